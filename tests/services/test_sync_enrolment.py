"""Enrolment of a township with its county (issue 6, item 1) between two real databases: the county's
signed enrolment file, its installation at the township, and the township's keys accepted at the county
only after the fingerprint read over the phone matches."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Base, OrgUnit, SyncPeer
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import certificate_codes, office_keys, offices, units
from remoteedu_desktop.services import sync_enrolment as se

COUNTY, TOWNSHIP = "360499", "360499100"


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read in a fresh session: "nothing changed" means equal snapshots."""
    with db.session() as s:
        return {t.name: sorted(map(tuple, s.execute(select(t)).all()), key=repr) for t in Base.metadata.sorted_tables}


def _county_db(url: str, name: str = "青山县") -> Database:
    database = open_database(url)
    with database.session() as s:
        offices.init_office(s, level="county", code=COUNTY, name=name)
    return database


@pytest.fixture
def county(database_url: Callable[..., str]) -> Iterator[Database]:
    database = _county_db(database_url("county.sqlite3"))
    yield database
    database.dispose()


@pytest.fixture
def enrolment(county: Database) -> Callable[..., bytes]:
    """The county's enrolment file for a township (added on first use)."""
    def make(code: str = TOWNSHIP, name: str = "龙潭镇", db: Database | None = None) -> bytes:
        with (db or county).session() as s:
            se.add_township_office(s, code, name)
            return se.enrolment_file(s, code)
    return make


def _install(db: Database, data: bytes) -> se.InstalledEnrolment:
    with db.session() as s:
        return se.install_enrolment(s, data, where="龙潭镇.json")


def _refused(db: Database, data: bytes, says: str) -> ValidationError:
    before = snapshot(db)
    with pytest.raises(ValidationError) as caught:
        _install(db, data)
    assert says in caught.value.message, caught.value.message
    assert caught.value.field == "登记文件" and caught.value.where == "龙潭镇.json"
    assert snapshot(db) == before
    return caught.value


def test_round_trip_county_file_then_township_install_then_county_accepts(
        db: Database, county: Database, enrolment: Callable[..., bytes]) -> None:
    data = enrolment()
    doc = json.loads(data)
    assert doc["format"] == se.FORMAT and doc["township"] == {"code": TOWNSHIP, "name": "龙潭镇"}
    with county.session() as s:
        county_fp = office_keys.own_fingerprint(s)
        county_signing, county_exchange = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
        assert doc["county"]["signing_public_key"] == county_signing.hex()
        assert doc["county"]["exchange_public_key"] == county_exchange.hex()
        status = se.sync_status(s)
        assert [(p.code, p.name, p.level, p.state) for p in status.peers] == [
            (TOWNSHIP, "龙潭镇", "township", "awaiting_key")]
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
        assert unit is not None and unit.kind == "township"
    # An empty database becomes the township named in the file.
    installed = _install(db, data)
    assert installed.initialised_office and not installed.already_installed
    assert (installed.township.level, installed.township.code, installed.township.name) == (
        "township", TOWNSHIP, "龙潭镇")
    assert installed.county.fingerprint == county_fp and installed.county.state == "accepted"
    with db.session() as s:
        parent = s.scalar(select(OrgUnit).where(OrgUnit.code == COUNTY))
        assert parent is not None and parent.name == "青山县"
        keys = office_keys.peer_keys(s, COUNTY)
        assert keys is not None
        assert keys.signing.public_bytes_raw() == county_signing
        assert keys.exchange.public_bytes_raw() == county_exchange
        township_fp = office_keys.own_fingerprint(s)
        township_keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
        status = se.sync_status(s)
        assert status.office.code == TOWNSHIP and status.fingerprint == township_fp
        [peer] = status.peers
        assert (peer.code, peer.level, peer.state, peer.fingerprint) == (COUNTY, "county", "accepted", county_fp)
        assert peer.accepted_at is not None
    # The township's keys come up with its first bundle; the county trusts them after the phone check.
    with county.session() as s:
        pending = se.pending_peer_key(s, TOWNSHIP, *township_keys)
        assert pending.state == "pending" and pending.fingerprint is None and not pending.accepted
        assert office_keys.peer_keys(s, TOWNSHIP) is None, "a pending key is not trusted"
        accepted = se.accept_peer(s, TOWNSHIP, township_fp.short.lower())
        assert accepted.state == "accepted" and accepted.fingerprint == township_fp
    with county.session() as s:
        [peer] = se.sync_status(s).peers
        assert peer.fingerprint == township_fp and peer.accepted_at is not None
        row = s.scalar(select(SyncPeer).where(SyncPeer.code == TOWNSHIP))
        assert row is not None and row.fingerprint == township_fp.hex
        keys = office_keys.peer_keys(s, TOWNSHIP)
        assert keys is not None
        county_secret = office_keys.exchange_key(s).exchange(keys.exchange)
    with db.session() as s:
        county_keys = office_keys.peer_keys(s, COUNTY)
        assert county_keys is not None
        assert office_keys.exchange_key(s).exchange(county_keys.exchange) == county_secret


def test_every_changed_character_is_refused(db: Database, enrolment: Callable[..., bytes]) -> None:
    text = enrolment().decode("utf-8")
    original = json.loads(text)

    def other(ch: str) -> str:
        if ch.isdigit():
            return str((int(ch) + 1) % 10)
        if ch in "abcdef":
            return "abcdef"[("abcdef".index(ch) + 1) % 6]
        if ch.isascii() and ch.isalpha():
            return "x" if ch != "x" else "y"
        if not ch.isascii():
            return chr(ord(ch) + 1)
        return "x"

    changed = 0
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        tampered = text[:i] + other(ch) + text[i + 1:]
        with pytest.raises(ValidationError):
            se.read_enrolment(tampered.encode("utf-8"))
        with contextlib.suppress(json.JSONDecodeError):
            changed += json.loads(tampered) != original
    assert changed > 300, "most changes keep valid JSON and are caught by the signature"
    # Through install, on a database: refused, nothing written, and the reason is the signature.
    tampered = text.replace("龙潭镇", "龙谭镇")
    _refused(db, tampered.encode("utf-8"), "签名不符")
    key = original["county"]["signing_public_key"]
    _refused(db, text.replace(key, key[:10] + other(key[10]) + key[11:]).encode("utf-8"), "文件已损坏或被改动")


def test_layout_may_change_in_transit_but_not_content(db: Database, enrolment: Callable[..., bytes]) -> None:
    doc = json.loads(enrolment())
    compact = ("\ufeff" + json.dumps(doc, ensure_ascii=True).replace("\n", "\r\n")).encode("utf-8")
    assert _install(db, compact).county.code == COUNTY


def test_not_an_enrolment_file(db: Database, office: offices.OfficeInfo, enrolment: Callable[..., bytes]) -> None:
    _refused(db, b"\x00\x01PK", "不是有效的登记文件")
    _refused(db, b'{"format": "something-else"}', "不是远程教育县乡登记文件")
    _refused(db, b" " * (se.MAX_FILE_SIZE + 1), "文件过大")
    doc = json.loads(enrolment())
    del doc["signature"]
    _refused(db, json.dumps(doc).encode(), "没有签名")
    doc = json.loads(enrolment())
    doc["county"]["exchange_public_key"] = "00"
    _refused(db, json.dumps(doc).encode(), "不是有效的公钥")


def test_a_file_from_a_newer_program_asks_to_upgrade(db: Database, county: Database) -> None:
    with county.session() as s:
        se.add_township_office(s, TOWNSHIP, "龙潭镇")
        doc = se.enrolment_document(s, TOWNSHIP)
        doc["version"] = se.VERSION + 1
        unsigned = {k: v for k, v in doc.items() if k != "signature"}
        doc["signature"]["value"] = office_keys.signing_key(s).sign(
            se.SIGNATURE_CONTEXT + se.canonical_json(unsigned)).hex()
    _refused(db, json.dumps(doc, ensure_ascii=False).encode(), "请先升级本程序")


def test_the_wrong_township_is_refused(db: Database, office: offices.OfficeInfo,
                                       enrolment: Callable[..., bytes]) -> None:
    error = _refused(db, enrolment("360499101", "石门乡"), "此登记文件是给石门乡（360499101）的")
    assert "本机是龙潭镇（360499100）" in error.message


def test_a_county_cannot_install_an_enrolment_file(county: Database, enrolment: Callable[..., bytes]) -> None:
    _refused(county, enrolment(), "只能在乡镇安装")


def test_the_same_file_twice_is_harmless(db: Database, office: offices.OfficeInfo,
                                         enrolment: Callable[..., bytes]) -> None:
    data = enrolment()
    first = _install(db, data)
    assert not first.initialised_office and not first.already_installed
    before = snapshot(db)
    again = _install(db, data)
    assert again.already_installed and again.county == first.county
    assert snapshot(db) == before
    # A fresh file from the same county (another created_at, same keys) is harmless too.
    assert _install(db, enrolment()).already_installed
    assert snapshot(db) == before


def test_a_different_key_for_the_same_county_is_refused(db: Database, office: offices.OfficeInfo,
                                                        database_url: Callable[..., str],
                                                        enrolment: Callable[..., bytes]) -> None:
    _install(db, enrolment())
    impostor = _county_db(database_url("impostor.sqlite3"))
    try:
        error = _refused(db, enrolment(db=impostor), "此文件中的密钥不同")
        assert "青山县（360499）" in error.message and "不能直接覆盖" in error.message
    finally:
        impostor.dispose()


def test_a_second_county_is_refused(db: Database, office: offices.OfficeInfo, enrolment: Callable[..., bytes]) -> None:
    _install(db, enrolment())
    with db.session() as s:
        row = s.scalar(select(SyncPeer))
        assert row is not None
        row.code = "360498"  # as if an earlier county had been enrolled
    _refused(db, enrolment(), "不能再登记另一个县")


def test_add_township_office_rules(county: Database, db: Database, office: offices.OfficeInfo) -> None:
    with county.session() as s:
        first = se.add_township_office(s, TOWNSHIP, "龙潭镇")
        assert first.new_unit and first.new_peer
    before = snapshot(county)
    with county.session() as s:
        again = se.add_township_office(s, f" {TOWNSHIP} ", None)
        assert (again.code, again.name, again.unit_id) == (TOWNSHIP, "龙潭镇", first.unit_id)
        assert not again.new_unit and not again.new_peer
    assert snapshot(county) == before
    # A township already in the county's tree (made on the units page) is enrolled as it is.
    with county.session() as s:
        parent = offices.office_info(s).unit_id
        unit = units.add_unit(s, kind="township", name="石门乡", parent_id=parent, code="360499101")
    with county.session() as s:
        stone = se.add_township_office(s, "360499101", "石门乡")
        assert stone.unit_id == unit.id and not stone.new_unit and stone.new_peer
    before = snapshot(county)
    for code, name, field, says in [
            ("360499101", "石门镇", "乡镇名称", "与填写的名称“石门镇”不符"),
            ("360498100", "外县镇", "乡镇代码", "应以本县代码 360499 开头"),
            ("36049910", "短码镇", "乡镇代码", "9 位数字"),
            ("360499102", None, "乡镇名称", "新乡镇须填写名称"),
            ("360499102", "龙潭镇", "单位名称", "已有同名单位")]:
        with pytest.raises(ValidationError) as caught, county.session() as s:
            se.add_township_office(s, code, name)
        assert caught.value.field == field and says in caught.value.message, caught.value.text()
    assert snapshot(county) == before
    with pytest.raises(ValidationError) as caught, db.session() as s:
        se.add_township_office(s, "360499102", "新镇")
    assert "只有县远程办可以添加乡镇远程办" in caught.value.message
    with pytest.raises(se.UnknownOffice), county.session() as s:
        se.enrolment_file(s, "360499109")


def test_write_enrolment_writes_the_file_atomically(county: Database, tmp_path: Path) -> None:
    target = tmp_path / "out" / "龙潭镇.json"
    with pytest.raises(ValidationError) as caught, county.session() as s:
        se.add_township_office(s, TOWNSHIP, "龙潭镇")
        se.write_enrolment(s, TOWNSHIP, target)
    assert "目录不存在" in caught.value.message
    target.parent.mkdir()
    with county.session() as s:
        se.add_township_office(s, TOWNSHIP, "龙潭镇")
        assert se.write_enrolment(s, TOWNSHIP, target) == target
    assert [p.name for p in target.parent.iterdir()] == ["龙潭镇.json"], "no temporary file left"
    se.read_enrolment(target.read_bytes())


@pytest.fixture
def township_keys(db: Database, county: Database, enrolment: Callable[..., bytes]) -> tuple[bytes, bytes]:
    _install(db, enrolment())
    with db.session() as s:
        return office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)


def test_a_wrong_fingerprint_is_refused_and_changes_nothing(
        db: Database, county: Database, township_keys: tuple[bytes, bytes]) -> None:
    fp = office_keys.office_fingerprint(*township_keys)
    with county.session() as s:
        se.pending_peer_key(s, TOWNSHIP, *township_keys)
    before = snapshot(county)
    wrong = fp.short[:-1] + ("1" if fp.short[-1] == "0" else "0")
    for typed, says in [(wrong, "与龙潭镇（360499100）发来的密钥不符"), (fp.short[:-2], "不完整"), ("", "不完整")]:
        with pytest.raises(ValidationError) as caught, county.session() as s:
            se.accept_peer(s, TOWNSHIP, typed)
        assert caught.value.field == "指纹" and says in caught.value.message, caught.value.text()
    assert snapshot(county) == before
    with county.session() as s:
        assert se.accept_peer(s, TOWNSHIP, f"  {fp.long.lower()} ").fingerprint == fp
    with pytest.raises(ValidationError) as caught, county.session() as s:
        se.accept_peer(s, TOWNSHIP, fp.short)
    assert "已确认，没有待核对的新密钥" in caught.value.message


def test_accepting_needs_a_key_first_and_an_enrolled_township(county: Database) -> None:
    with county.session() as s:
        se.add_township_office(s, TOWNSHIP, "龙潭镇")
    with pytest.raises(ValidationError) as caught, county.session() as s:
        se.accept_peer(s, TOWNSHIP, "0000-0000-0000-0000")
    assert "尚未收到龙潭镇（360499100）的密钥" in caught.value.message
    for call in (lambda s: se.accept_peer(s, "360499177", "0000-0000-0000-0000"),
                 lambda s: se.pending_peer_key(s, "360499177", bytes(32), bytes(32))):
        with pytest.raises(se.UnknownOffice), county.session() as s:
            call(s)
    with pytest.raises(ValidationError) as caught, county.session() as s:
        se.pending_peer_key(s, TOWNSHIP, bytes(31), bytes(32))
    assert "长度不对" in caught.value.message


def test_a_pending_key_signs_nothing_until_accepted(
        db: Database, county: Database, township_keys: tuple[bytes, bytes]) -> None:
    with db.session() as s:
        code = certificate_codes.make_code(s, number="3604992026SG0001", name="张三", kind="on_duty",
                                           issue_date=dt.date(2026, 11, 29))
    with county.session() as s:
        se.pending_peer_key(s, TOWNSHIP, *township_keys)
    with county.session() as s:
        assert not certificate_codes.verify(s, code).genuine
        assert office_keys.peer_signers(s) == {}
        se.accept_peer(s, TOWNSHIP, office_keys.office_fingerprint(*township_keys).short)
    with county.session() as s:
        assert certificate_codes.verify(s, code).genuine
        assert list(office_keys.peer_signers(s)) == [office_keys.key_id(township_keys[0])]


def test_new_keys_for_an_accepted_township_wait_beside_the_old_ones(
        db: Database, county: Database, township_keys: tuple[bytes, bytes], database_url: Callable[..., str]) -> None:
    old_fp = office_keys.office_fingerprint(*township_keys)
    with county.session() as s:
        se.pending_peer_key(s, TOWNSHIP, *township_keys)
        se.accept_peer(s, TOWNSHIP, old_fp.short)
    before = snapshot(county)
    with county.session() as s:  # the accepted keys again (a re-sent bundle): nothing changes
        assert se.pending_peer_key(s, TOWNSHIP, *township_keys).state == "accepted"
    assert snapshot(county) == before
    rebuilt = open_database(database_url("rebuilt.sqlite3"))
    try:
        with rebuilt.session() as s:
            new_keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
    finally:
        rebuilt.dispose()
    new_fp = office_keys.office_fingerprint(*new_keys)
    with county.session() as s:
        info = se.pending_peer_key(s, TOWNSHIP, *new_keys)
        assert info.state == "key_changed" and info.fingerprint == old_fp and info.accepted
        keys = office_keys.peer_keys(s, TOWNSHIP)
        assert keys is not None and keys.signing.public_bytes_raw() == township_keys[0]
    with pytest.raises(ValidationError), county.session() as s:
        se.accept_peer(s, TOWNSHIP, old_fp.short)
    with county.session() as s:
        assert se.accept_peer(s, TOWNSHIP, new_fp.short).fingerprint == new_fp
        assert se.peer_info(s, TOWNSHIP).state == "accepted"


def test_status_lists_the_county_first_then_townships_by_code(county: Database, db: Database,
                                                              enrolment: Callable[..., bytes]) -> None:
    for code, name in [("360499102", "石门乡"), (TOWNSHIP, "龙潭镇")]:
        enrolment(code, name)
    with county.session() as s:
        status = se.sync_status(s)
        assert status.office.level == "county" and status.fingerprint == office_keys.own_fingerprint(s)
        assert [p.code for p in status.peers] == [TOWNSHIP, "360499102"]
        assert all(p.state_label == "等待对方首个数据包" and p.last_sent_seq == 0 for p in status.peers)
    with db.session() as s:
        status = se.sync_status(s)
        assert not status.office.initialized and status.peers == []
