"""The sync bundle file (issue 6, items 2, 5, 6 and 12): round trip, and every way a bundle must be refused.

Real zips, real crypto, real files in tmp_path. A "forged" bundle below is one re-signed with the
sender's real key after a change, i.e. what a buggy or newer program of a *known* office could
produce: it passes the signature, so the later checks are the ones that must refuse it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from remoteedu_desktop.data import migrate
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.sync import bundle_format as bf
from remoteedu_desktop.sync import crypto, safe_write, zip_layout

TOWNSHIP = bf.OfficeRef("360499100", "龙潭镇", "township")
COUNTY = bf.OfficeRef("360499", "青山县", "county")
NAME = "欧阳娜娜"
ID_NUMBER = "360499199001011" + "23"  # completed with its check character below
ID_NUMBER += check_digit(ID_NUMBER)
PHONE = "13907981234"
CREATED = dt.datetime(2026, 6, 30, 2, 3, 4, tzinfo=dt.UTC)
HEAD = migrate.head_revision()
KNOWN_SCHEMAS = frozenset(migrate.known_revisions())


class Keys:
    def __init__(self) -> None:
        self.township_sign = Ed25519PrivateKey.generate()
        self.county_sign = Ed25519PrivateKey.generate()
        self.county_box = X25519PrivateKey.generate()
        self.township_box = X25519PrivateKey.generate()

    def signers(self) -> dict[bytes, Any]:
        """The county's known keys: its own and the accepted township's."""
        return {crypto.key_id(k.public_key()): k.public_key() for k in (self.township_sign, self.county_sign)}


@pytest.fixture
def keys() -> Keys:
    return Keys()


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    path = tmp_path / "stick"
    path.mkdir()
    return path


def header(**changes: Any) -> bf.BundleHeader:
    values: dict[str, Any] = dict(source=TOWNSHIP, target_code=COUNTY.code, direction="up", sequence=1,
                                  previous_sha256=None, schema_revision=HEAD, created_at=CREATED)
    values.update(changes)
    return bf.BundleHeader(**values)


def sample_tables() -> dict[str, list[dict[str, Any]]]:
    return {
        "person": [  # deliberately not in id order
            {"id": "p-3", "name": "李四", "id_number": "360499198502020021", "phone": "13800000000"},
            {"id": "p-1", "name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "note": "第一行\n第二行"},
            {"id": "p-2", "deleted": True},
        ],
        "attendance": [{"id": f"a-{i:03d}", "person_id": "p-1", "present": i % 2 == 0} for i in range(20)],
        "equipment": [],
    }


def write(stick: Path, keys: Keys, tables: dict[str, list[dict[str, Any]]] | None = None,
          **changes: Any) -> bf.WrittenBundle:
    return bf.write_bundle(stick, header=header(**changes), tables=sample_tables() if tables is None else tables,
                           signing_key=keys.township_sign, recipient=keys.county_box.public_key())


def read(path: Path, keys: Keys, **changes: Any) -> bf.OpenedBundle:
    kwargs: dict[str, Any] = dict(signers=keys.signers(), recipient_key=keys.county_box,
                                  expected_target=COUNTY.code, known_schemas=KNOWN_SCHEMAS)
    kwargs.update(changes)
    return bf.read_bundle(path, **kwargs)


def refused(path: Path, keys: Keys, says: str, **changes: Any) -> bf.BundleError:
    with pytest.raises(bf.BundleError) as exc:
        read(path, keys, **changes)
    assert says in exc.value.text(), exc.value.text()
    assert exc.value.where == path.name
    return exc.value


def members_of(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info.orig_filename, archive.read(info)) for info in archive.infolist()]


def forge(path: Path, keys: Keys, *, manifest: Callable[[dict[str, Any]], None] | None = None,
          replace: dict[str, bytes] | None = None, extra: list[tuple[str, bytes]] | None = None,
          signer: Ed25519PrivateKey | None = None, name: str = "forged.zip") -> Path:
    """Change members and/or manifest fields, update the member hashes, re-sign, rebuild canonically."""
    members = dict(members_of(path))
    value = json.loads(members.pop(bf.MANIFEST))
    members.pop(bf.SIGNATURE)
    for member, body in (replace or {}).items():
        members[member] = body
        value["files"][member].update(sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    if manifest:
        manifest(value)
    raw = bf.canonical_json(value)
    sig = (signer or keys.township_sign).sign(raw)
    order = [(bf.MANIFEST, raw), (bf.SIGNATURE, sig), *members.items(), *(extra or [])]
    out = path.parent / name
    out.write_bytes(zip_layout.build(order))
    return out


def reseal(path: Path, keys: Keys, member: str, plain: bytes, *, counts: dict[str, int] | None = None,
           name: str = "resealed.zip") -> Path:
    """Replace one data file's plaintext (already the JSON lines), sealed with the bundle's real content key."""
    value = json.loads(dict(members_of(path))[bf.MANIFEST])
    enc = value["encryption"]
    wrapped = crypto.WrappedKey(bytes.fromhex(enc["recipient_key_id"]), bytes.fromhex(enc["ephemeral_public_key"]),
                                bytes.fromhex(enc["wrap_nonce"]), bytes.fromhex(enc["wrapped_key"]))
    key = crypto.unwrap_content_key(wrapped, keys.county_box, value["bundle_id"])
    nonce = bytes.fromhex(value["files"][member]["nonce"])
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(plain), crypto.member_aad(value["bundle_id"], member))
    table = member[len(bf.DATA_PREFIX):-len(bf.DATA_SUFFIX)]

    def set_counts(m: dict[str, Any]) -> None:
        if counts is not None:
            m["tables"][table] = counts

    return forge(path, keys, replace={member: sealed}, manifest=set_counts, name=name)


# --- round trip -----------------------------------------------------------------------------------

def test_round_trip(stick: Path, keys: Keys) -> None:
    written = write(stick, keys)
    assert written.path == stick / "TWN-360499100-UP-000001-20260630.zip"
    assert os.listdir(stick) == [written.path.name]
    data = written.path.read_bytes()
    assert written.size == len(data)
    assert written.sha256 == hashlib.sha256(data).hexdigest()

    opened = read(written.path, keys)
    assert opened.sha256 == written.sha256 and opened.size == written.size
    assert opened.tables == ("attendance", "equipment", "person")
    people = opened.rows("person")
    assert [r["id"] for r in people] == ["p-1", "p-2", "p-3"]
    assert people[0] == sample_tables()["person"][1]  # newline and Chinese text survive
    assert people[1] == {"id": "p-2", "deleted": True}
    assert opened.rows("attendance") == sample_tables()["attendance"]
    assert opened.rows("equipment") == [] and opened.rows("not_in_bundle") == []

    m = opened.manifest
    assert m == written.manifest
    assert (m.format, m.min_reader_format, m.schema_revision) == (bf.FORMAT, bf.MIN_READER_FORMAT, HEAD)
    assert (m.source, m.target_code, m.direction, m.sequence, m.previous_sha256) == (TOWNSHIP, "360499", "up", 1, None)
    assert m.bundle_id == written.bundle_id and m.created_at == CREATED
    assert m.tables == {"attendance": bf.TableCounts(20, 0), "equipment": bf.TableCounts(0, 0),
                        "person": bf.TableCounts(2, 1)}
    assert json.loads(m.counts_json())["person"] == {"changes": 2, "tombstones": 1}
    assert m.total_rows == 23
    assert m.signer_key_id == crypto.key_id(keys.township_sign.public_key())
    assert "龙潭镇" in opened.readme and "人员" not in opened.readme and "person：2 条新增或修改，1 条删除" in opened.readme


def test_layout_of_the_zip(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert [i.orig_filename for i in infos] == [
            "manifest.json", "manifest.sig", "说明.txt",
            "data/attendance.jsonl.enc", "data/equipment.jsonl.enc", "data/person.jsonl.enc"]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        assert [bool(i.flag_bits & 0x800) for i in infos] == [False, False, True, False, False, False]
        assert archive.testzip() is None
        raw = archive.read("manifest.json")
        assert raw == bf.canonical_json(json.loads(raw)) and b": " not in raw and b", " not in raw
        assert len(archive.read("manifest.sig")) == 64
        readme = archive.read("说明.txt")
        assert readme.startswith("\ufeff".encode()) and b"\r\n" in readme
        value = json.loads(raw)
    assert set(value) >= {"format", "min_reader_format", "schema_revision", "bundle_id", "source", "target",
                          "direction", "sequence", "previous_sha256", "created_at", "tables", "files",
                          "signer_key_id", "encryption"}
    assert value["created_at"] == "2026-06-30T02:03:04Z"
    assert value["encryption"]["cipher"] == "AES-256-GCM"
    assert set(value["files"]) == {"说明.txt", "data/attendance.jsonl.enc", "data/equipment.jsonl.enc",
                                   "data/person.jsonl.enc"}
    nonces = [f["nonce"] for n, f in value["files"].items() if n.startswith("data/")]
    assert len(set(nonces)) == 3


def test_same_rows_never_give_the_same_ciphertext(stick: Path, keys: Keys) -> None:
    first = write(stick, keys, sequence=1)
    second = write(stick, keys, sequence=2, previous_sha256=first.sha256)
    a, b = dict(members_of(first.path)), dict(members_of(second.path))
    assert a["data/person.jsonl.enc"] != b["data/person.jsonl.enc"]
    assert read(second.path, keys).manifest.previous_sha256 == first.sha256
    assert read(first.path, keys).rows("person") == read(second.path, keys).rows("person")


def test_down_bundle_names_its_township(stick: Path, keys: Keys) -> None:
    written = bf.write_bundle(stick, header=header(source=COUNTY, target_code=TOWNSHIP.code, direction="down",
                                                   sequence=12), tables={"certificate": [{"id": "c1"}]},
                              signing_key=keys.county_sign, recipient=keys.township_box.public_key())
    assert written.path.name == "CTY-360499-DOWN-360499100-000012-20260630.zip"
    assert bf.looks_like_bundle_name(written.path.name)
    assert bf.looks_like_bundle_name("TWN-360499100-UP-000001-20260630.zip")
    assert not bf.looks_like_bundle_name("TWN-360499100-UP-000001-20260630.zip.partial")
    opened = bf.read_bundle(written.path, signers=keys.signers(), recipient_key=keys.township_box,
                            expected_target=TOWNSHIP.code)
    assert opened.rows("certificate") == [{"id": "c1"}] and opened.manifest.direction == "down"


def test_inspect_without_the_private_key(stick: Path, keys: Keys) -> None:
    written = write(stick, keys)
    info = bf.inspect_bundle(written.path)
    assert (info.sha256, info.size, info.signature_checked) == (written.sha256, written.size, False)
    assert info.manifest == written.manifest
    assert [m.name for m in info.members][:1] == ["说明.txt"]
    assert bf.inspect_bundle(written.path, signers=keys.signers()).signature_checked
    with pytest.raises(bf.BundleError, match="签名单位未知"):
        bf.inspect_bundle(written.path, signers={})
    flipped = flip(written.path, len(written.path.read_bytes()) // 2)
    with pytest.raises(bf.BundleError):
        bf.inspect_bundle(flipped)


# --- one flipped byte anywhere --------------------------------------------------------------------

def flip(path: Path, position: int, name: str = "flipped.zip") -> Path:
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    out = path.parent / name
    out.write_bytes(bytes(data))
    return out


def test_one_flipped_byte_anywhere_is_refused(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    data = path.read_bytes()
    positions = set(range(0, len(data), 7)) | {len(data) - 1}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():  # each member's header, first, middle and last data byte
            start = info.header_offset + 30 + len(info.orig_filename.encode())
            positions |= {info.header_offset, info.header_offset + 14, start, start + info.compress_size // 2,
                          start + max(info.compress_size - 1, 0)}
    checked = 0
    for position in sorted(positions):
        bad = flip(path, position)
        with pytest.raises(bf.BundleError):
            read(bad, keys)
        checked += 1
    assert checked > 100
    read(path, keys)  # the original is still fine


def test_truncated_file(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    data = path.read_bytes()
    for length in (0, 10, len(data) // 3, len(data) // 2, len(data) - 22, len(data) - 1):
        cut = stick / "cut.zip"
        cut.write_bytes(data[:length])
        refused(cut, keys, "文件不完整或已损坏")


def test_missing_file_and_not_a_zip(tmp_path: Path, keys: Keys) -> None:
    with pytest.raises(bf.BundleError, match="找不到"):
        read(tmp_path / "nope.zip", keys)
    text = tmp_path / "text.zip"
    text.write_text("hello", encoding="utf-8")
    refused(text, keys, "不是有效的数据包")


# --- names and structure --------------------------------------------------------------------------

@pytest.mark.parametrize(("evil", "says"), [
    ("../x", "含有 .. 路径"),
    ("data/../../x.jsonl.enc", "含有 .. 路径"),
    ("/etc/x", "是绝对路径"),
    ("C:/Windows/x", "是绝对路径"),
    ("data\\person.jsonl.enc", "含有反斜杠"),
    ("evil.exe", "不是数据包应有的文件"),
    ("data/", "不是数据包应有的文件"),
    ("data/Person.jsonl.enc", "不是数据包应有的文件"),
])
def test_member_names_that_escape_or_do_not_belong(stick: Path, keys: Keys, evil: str, says: str) -> None:
    path = write(stick, keys).path
    bad = stick / "bad.zip"
    bad.write_bytes(zip_layout.build([*members_of(path), (evil, b"x")]))  # canonical layout: only the name is wrong
    error = refused(bad, keys, says)
    assert "不允许" in error.text()


def test_an_extra_or_missing_member(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    members = members_of(path)
    extra = stick / "extra.zip"
    extra.write_bytes(zip_layout.build([*members, ("data/salary.jsonl.enc", b"0" * 40)]))
    refused(extra, keys, "清单中没有的文件：data/salary.jsonl.enc")
    missing = stick / "missing.zip"
    missing.write_bytes(zip_layout.build([m for m in members if m[0] != "data/person.jsonl.enc"]))
    refused(missing, keys, "缺少清单中列出的文件：data/person.jsonl.enc")
    no_sig = stick / "nosig.zip"
    no_sig.write_bytes(zip_layout.build([m for m in members if m[0] != "manifest.sig"]))
    refused(no_sig, keys, "缺少 manifest.sig")
    twice = stick / "twice.zip"
    twice.write_bytes(zip_layout.build([*members, members[3]]))
    refused(twice, keys, "出现了两次")


def test_a_zip_written_by_another_tool_is_refused(stick: Path, keys: Keys) -> None:
    """Same members, same order, but deflated by zipfile: not the canonical layout."""
    path = write(stick, keys).path
    other = stick / "rezipped.zip"
    with zipfile.ZipFile(other, "w", zipfile.ZIP_STORED) as archive:
        for name, body in members_of(path):
            archive.writestr(name, body)
    refused(other, keys, "文件结构与数据包格式不符")


# --- decompression bombs and size limits ----------------------------------------------------------

def test_a_deflate_bomb_is_refused_before_it_expands(stick: Path, keys: Keys) -> None:
    bomb = stick / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", b"{}")
        archive.writestr("manifest.sig", b"0" * 64)
        archive.writestr("data/person.jsonl.enc", b"\0" * (40 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    refused(bomb, keys, "解压后过大", limits=bf.Limits(max_member_bytes=10 * 1024 * 1024))
    refused(bomb, keys, "压缩比异常")
    refused(bomb, keys, "使用了数据包不会使用的压缩", limits=bf.Limits(max_ratio=1e9))


def test_a_member_declaring_more_than_the_limit(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    refused(path, keys, "解压后过大", limits=bf.Limits(max_member_bytes=100))
    refused(path, keys, "解压后总大小过大", limits=bf.Limits(max_total_bytes=1000))
    refused(path, keys, "文件太大", limits=bf.Limits(max_file_bytes=1000))
    refused(path, keys, "包含的文件太多", limits=bf.Limits(max_members=3))
    # a central directory that lies about a member's size (claims 3 GB)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")  # the last member's central header
    data[central + 24:central + 28] = (3 * 10**9).to_bytes(4, "little")
    liar = stick / "liar.zip"
    liar.write_bytes(bytes(data))
    refused(liar, keys, "解压后过大")


def test_a_table_that_inflates_past_the_limit(stick: Path, keys: Keys) -> None:
    """The bomb inside the encrypted data: signed by a known office, still refused before it is parsed."""
    big = {"people": [{"id": "p1", "note": "a" * (3 * 1024 * 1024)}]}
    path = write(stick, keys, tables=big).path
    assert path.stat().st_size < 64 * 1024
    refused(path, keys, "解压后过大", limits=bf.Limits(max_table_plain_bytes=1024 * 1024))
    refused(path, keys, "压缩比异常")
    refused(path, keys, "解压后总大小过大", limits=bf.Limits(max_plain_total_bytes=1024 * 1024, max_plain_ratio=1e9))
    assert read(path, keys, limits=bf.Limits(max_plain_ratio=1e9)).rows("people")[0]["note"] == "a" * (3 * 1024 * 1024)


def test_the_writer_refuses_what_the_reader_would_refuse(stick: Path, keys: Keys) -> None:
    with pytest.raises(bf.BundleError, match="太大"):
        bf.write_bundle(stick, header=header(), tables={"people": [{"id": "p1", "note": "a" * 5000}]},
                        signing_key=keys.township_sign, recipient=keys.county_box.public_key(),
                        limits=bf.Limits(max_table_plain_bytes=1000))
    assert os.listdir(stick) == []


# --- who, to whom, which version ------------------------------------------------------------------

def test_wrong_target(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    error = refused(path, keys, "是发给单位 360499 的，不是本单位（360500）", expected_target="360500")
    assert isinstance(error, ValidationError)


def test_unknown_signer_and_bad_signature(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    refused(path, keys, "签名单位未知", signers={crypto.key_id(keys.county_sign.public_key()):
                                                  keys.county_sign.public_key()})
    # a stranger signs a manifest that claims to be from the township's key
    stranger = forge(path, keys, signer=Ed25519PrivateKey.generate())
    refused(stranger, keys, "签名不符")
    # a stranger signs with its own key id: unknown
    impostor_key = Ed25519PrivateKey.generate()
    impostor = forge(path, keys, signer=impostor_key, name="impostor.zip", manifest=lambda m: m.update(
        signer_key_id=crypto.key_id(impostor_key.public_key()).hex()))
    refused(impostor, keys, "签名单位未知")


def test_a_changed_manifest_field_breaks_the_signature(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    members = members_of(path)
    value = json.loads(members[0][1])
    value["target"]["code"] = "360500"
    bad = stick / "retargeted.zip"
    bad.write_bytes(zip_layout.build([(bf.MANIFEST, bf.canonical_json(value)), *members[1:]]))
    refused(bad, keys, "签名不符", expected_target="360500")


def test_newer_format_is_refused_with_please_upgrade(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path

    def newer(m: dict[str, Any]) -> None:
        m.update(format=2, min_reader_format=2, tables="a new shape this program cannot know")

    refused(forge(path, keys, manifest=newer), keys, "此数据包由更新版本的程序生成，请先升级本程序")
    with pytest.raises(bf.BundleError, match="请先升级"):
        bf.inspect_bundle(forge(path, keys, manifest=newer, name="newer2.zip"))


def test_newer_format_that_old_readers_can_read_is_accepted(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    forward = forge(path, keys, manifest=lambda m: m.update(format=2, something_new={"x": 1}))
    assert read(forward, keys).manifest.format == 2


def test_newer_schema_is_refused_with_please_upgrade(stick: Path, keys: Keys) -> None:
    path = write(stick, keys, schema_revision="0099_from_the_future").path
    refused(path, keys, "请先升级")
    assert read(path, keys, known_schemas=None).manifest.schema_revision == "0099_from_the_future"


@pytest.mark.parametrize(("field", "value", "says"), [
    ("sequence", 0, "sequence 应不小于 1"),
    ("sequence", "1", "sequence 类型不对"),
    ("sequence", True, "sequence 类型不对"),
    ("bundle_id", "not-a-uuid", "不是规范的 UUID"),
    ("previous_sha256", "abc", "previous_sha256 应为 64 位"),
    ("created_at", "2026-06-30 02:03", "created_at 不是 UTC 时间"),
    ("direction", "down", "单位或方向不对"),
    ("signer_key_id", None, "signer_key_id 类型不对"),
])
def test_manifest_fields_are_checked(stick: Path, keys: Keys, field: str, value: Any, says: str) -> None:
    path = write(stick, keys).path
    refused(forge(path, keys, manifest=lambda m: m.update({field: value})), keys, says)


def test_manifest_missing_a_field(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    refused(forge(path, keys, manifest=lambda m: m["source"].pop("name")), keys, "source.name 缺失")
    refused(forge(path, keys, manifest=lambda m: m["encryption"].update(cipher="ROT13"), name="rot.zip"),
            keys, "encryption.cipher 是本程序不认识的方式")


# --- encryption -----------------------------------------------------------------------------------

def test_wrong_recipient_key_cannot_decrypt(stick: Path, keys: Keys) -> None:
    path = write(stick, keys).path
    refused(path, keys, "不是用本单位的密钥加密的", recipient_key=keys.township_box)
    # even when the manifest is made to name the wrong key, the key cannot be unwrapped
    thief = X25519PrivateKey.generate()
    renamed = forge(path, keys, manifest=lambda m: m["encryption"].update(
        recipient_key_id=crypto.key_id(thief.public_key()).hex()))
    refused(renamed, keys, "无法解开数据包的密钥", recipient_key=thief)


def test_data_file_moved_to_another_table_fails_decryption(stick: Path, keys: Keys) -> None:
    """AAD binds each ciphertext to its member name: swapping two tables' files is caught by GCM."""
    path = write(stick, keys, tables={"a": [{"id": "1"}], "b": [{"id": "1"}]}).path
    members = dict(members_of(path))
    nonces = {n: f["nonce"] for n, f in json.loads(members[bf.MANIFEST])["files"].items() if "nonce" in f}

    def swap_nonces(m: dict[str, Any]) -> None:
        m["files"]["data/a.jsonl.enc"]["nonce"] = nonces["data/b.jsonl.enc"]
        m["files"]["data/b.jsonl.enc"]["nonce"] = nonces["data/a.jsonl.enc"]

    swapped = forge(path, keys, replace={"data/a.jsonl.enc": members["data/b.jsonl.enc"],
                                         "data/b.jsonl.enc": members["data/a.jsonl.enc"]}, manifest=swap_nonces)
    refused(swapped, keys, "解密失败")


def test_no_personal_string_on_the_stick(stick: Path, keys: Keys) -> None:
    data = write(stick, keys).path.read_bytes()
    for secret in (NAME, ID_NUMBER, PHONE, "李四", "第一行"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gbk"):
            assert secret.encode(encoding) not in data, (secret, encoding)
    assert "龙潭镇".encode() in data  # the office name is not personal and is readable, so the test can fail


def test_rows_are_checked_after_decryption(stick: Path, keys: Keys) -> None:
    path = write(stick, keys, tables={"person": [{"id": "a"}, {"id": "b", "deleted": True}]}).path
    member = "data/person.jsonl.enc"
    cases = [
        (b'{"id":"a"}\n{"id":"b","deleted":true}\n', {"changes": 2, "tombstones": 0}, "记录数与清单不符"),
        (b'{"id":"a"}\n{"id":"b"\n', None, "第 2 行不是有效的 JSON"),
        (b'{"id":"a"},{"id":"b"}\n', None, "第 1 行不是有效的 JSON"),
        (b'{"id":"b"}\n{"id":"a"}\n', None, "第 2 行的 id 没有按顺序排列或重复"),
        (b'{"id":"a"}\n{"id":"a"}\n', None, "第 2 行的 id 没有按顺序排列或重复"),
        (b'{"id":"a"}\n{"name":"x"}\n', None, "第 2 行缺少 id"),
        (b'{"id":"a"}\n[1]\n', None, "第 2 行不是对象"),
        (b'{"id":"a"}\n{"id":"b","deleted":"yes"}\n', None, "deleted 不是 true/false"),
        (b'{"id":"a"}\n{"id":"b","deleted":true}', None, "最后一行不完整"),
        (b'{"id":"a","x":NaN}\n', None, "第 1 行不是有效的 JSON"),
        (b'\xff\xfe\n', None, "不是 UTF-8"),
    ]
    for number, (plain, counts, says) in enumerate(cases):
        refused(reseal(path, keys, member, plain, counts=counts, name=f"r{number}.zip"), keys, says)
    good = reseal(path, keys, member, b'{"id":"a"}\n{"deleted":true,"id":"b"}\n', name="good.zip")
    assert read(good, keys).rows("person") == [{"id": "a"}, {"id": "b", "deleted": True}]


@pytest.mark.parametrize(("rows", "says"), [
    ([{"id": "1"}, {"id": "1"}], "重复"),
    ([{"name": "x"}], "缺少文本 id"),
    ([{"id": 5}], "缺少文本 id"),
    ([{"id": "1", "deleted": 1}], "deleted 不是 true/false"),
    ([{"id": "1", "when": dt.date(2026, 1, 1)}], "不能写成 JSON"),
    ([{"id": "1", "x": float("nan")}], "不能写成 JSON"),
])
def test_the_writer_checks_rows(stick: Path, keys: Keys, rows: list[dict[str, Any]], says: str) -> None:
    with pytest.raises(bf.BundleError, match=says):
        write(stick, keys, tables={"person": rows})
    assert os.listdir(stick) == []


@pytest.mark.parametrize(("changes", "says"), [
    ({"direction": "down"}, "方向 down 与来源单位级别 township 不符"),
    ({"target_code": "360499100"}, "目标单位代码“360499100”不对"),
    ({"source": bf.OfficeRef("36049910", "龙潭镇", "township")}, "来源单位代码“36049910”不对"),
    ({"sequence": 0}, "序号"),
    ({"previous_sha256": "xyz"}, "SHA-256"),
    ({"created_at": dt.datetime(2026, 6, 30)}, "时区"),
    ({"bundle_id": "123"}, "UUID"),
])
def test_the_writer_checks_the_header(stick: Path, keys: Keys, changes: dict[str, Any], says: str) -> None:
    with pytest.raises(bf.BundleError, match=says):
        write(stick, keys, **changes)
    assert os.listdir(stick) == []


# --- safe writing (item 5) ------------------------------------------------------------------------

def test_rename_fails_leaves_nothing(stick: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(src: Any, dst: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(bf.BundleError, match="空间不足"):
        write(stick, keys)
    assert os.listdir(stick) == []


def test_fsync_fails_leaves_nothing(stick: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    def pulled(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", pulled)
    with pytest.raises(bf.BundleError, match="U 盘可能已被拔出"):
        write(stick, keys)
    assert os.listdir(stick) == []


def test_a_stick_that_reads_back_wrong_leaves_no_final_file(stick: Path, keys: Keys,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def flaky(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        data = bytearray(Path(dst).read_bytes())
        data[len(data) // 2] ^= 0xFF
        Path(dst).write_bytes(bytes(data))

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(bf.BundleError, match="读回的内容与写入的不一致"):
        write(stick, keys)
    assert os.listdir(stick) == []


def test_verify_runs_on_what_was_read_back(tmp_path: Path) -> None:
    """safe_write hands the read-back bytes to verify; a refusal removes the final file."""
    dest = tmp_path / "f.zip"

    def refuse(back: bytes) -> None:
        assert back == b"abc"
        raise ValueError("no")

    with pytest.raises(ValueError):
        safe_write.write_file_safely(dest, b"abc", verify=refuse)
    assert os.listdir(tmp_path) == []
    assert safe_write.write_file_safely(dest, b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert dest.read_bytes() == b"abc"


def test_an_existing_file_is_not_overwritten(stick: Path, keys: Keys) -> None:
    first = write(stick, keys)
    before = first.path.read_bytes()
    with pytest.raises(bf.BundleError, match="同名文件已存在"):
        write(stick, keys)
    assert first.path.read_bytes() == before and os.listdir(stick) == [first.path.name]
    again = bf.write_bundle(stick, header=header(), tables={}, signing_key=keys.township_sign,
                            recipient=keys.county_box.public_key(), overwrite=True)
    assert again.path == first.path and read(again.path, keys).tables == ()


def test_missing_destination(tmp_path: Path, keys: Keys) -> None:
    with pytest.raises(bf.BundleError, match="目标文件夹不存在"):
        write(tmp_path / "pulled", keys)


def test_in_memory_zip_reading_is_consistent_with_zipfile(stick: Path, keys: Keys) -> None:
    """The canonical layout is a zip any tool reads (Explorer, unzip): zipfile agrees on every member."""
    path = write(stick, keys).path
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert archive.testzip() is None
        assert zip_layout.build([(i.orig_filename, archive.read(i)) for i in archive.infolist()]) == path.read_bytes()
