"""Up bundles from a township imported at its county (issue 6, items 4, 6 and 12), between two real databases
enrolled with each other: real zips, real keys, real SQLite files (and PostgreSQL databases when a test server is
set, issue 10 item 1), no mocks."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pg_server import PgServer
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import (
    Attendance,
    AuditLog,
    Base,
    OrgUnit,
    Person,
    SyncConflict,
    SyncLedger,
    SyncPeer,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import (
    office_keys,
    offices,
    people,
    posts,
    sync_export,
    sync_import,
    sync_rows,
)
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.sync.bundle_format import BundleHeader, OfficeRef, write_bundle

COUNTY, TOWNSHIP = "360499", "360499100"
TODAY = dt.date(2026, 6, 30)
_seq = itertools.count(11, 2)


def id_number(birth: dt.date = dt.date(1980, 5, 17)) -> str:
    first17 = f"{COUNTY}{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    return first17 + check_digit(first17)


def dump(db: Database, *, without: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read in a fresh session: "unchanged" means equal dumps."""
    with db.session() as s:
        return {t.name: sorted(map(tuple, s.execute(select(t)).all()), key=repr)
                for t in Base.metadata.sorted_tables if t.name not in without}


@dataclass
class Pair:
    county: Database
    township: Database
    tmp: Path
    pg: PgServer | None = None  #: the test server when the pair lives on PostgreSQL
    copies: list[str] = field(default_factory=list)  #: PostgreSQL databases to drop when the test ends

    def stick(self, name: str = "stick") -> Path:
        folder = self.tmp / name
        folder.mkdir(exist_ok=True)
        return folder

    def export(self, *, everything: bool = False, folder: str = "stick") -> sync_export.ExportResult:
        with self.township.session() as s:
            return sync_export.export_up(s, self.stick(folder), everything=everything)

    def copy_township(self) -> str:
        """The clerk's copy of the township database as it is now (a file copy; on PostgreSQL a database made
        from it as a template): its URL, for :meth:`restore_township`. The township is reopened afterwards."""
        self.township.dispose()
        url = self.township.engine.url.render_as_string(hide_password=False)
        copy_url = copy_database(url, self.tmp / f"township-copy-{len(self.copies)}.sqlite3", self.pg)
        self.copies.append(copy_url)
        self.township = open_database(url, account="town_clerk")
        return copy_url

    def restore_township(self, copy_url: str) -> None:
        """The township database replaced by the copy (a file copied back; on PostgreSQL the copy is opened)."""
        self.township.dispose()
        url = self.township.engine.url.render_as_string(hide_password=False)
        if self.pg is None:
            shutil.copy2(str(make_url(copy_url).database), str(make_url(url).database))
        else:
            url = copy_url
        self.township = open_database(url, account="town_clerk")

    def close(self) -> None:
        self.county.dispose()
        self.township.dispose()
        if self.pg is not None:
            for url in self.copies:
                self.pg.drop(url)


def copy_database(url: str, file: Path, pg: PgServer | None) -> str:
    """A copy of the database at *url* (no connection open to it): the SQLite file copied to *file*, or on
    PostgreSQL a database made from it as a template (dropped by ``Pair.close`` or when the server closes)."""
    if pg is None:
        file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(str(make_url(url).database), file)
        return f"sqlite:///{file}"
    name = f"{pg.prefix}_{next(pg.counter)}"
    with pg.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}" STRATEGY FILE_COPY'))
    pg.made.append(name)
    return pg.url_of(name)


def _enrol(county_url: str, township_url: str, *, accept: bool) -> tuple[Database, Database]:
    county = open_database(county_url, account="county_clerk")
    township = open_database(township_url, account="town_clerk")
    with county.session() as s:
        offices.init_office(s, level="county", code=COUNTY, name="青山县")
        se.add_township_office(s, TOWNSHIP, "龙潭镇")
        enrolment = se.enrolment_file(s, TOWNSHIP)
    with township.session() as s:
        se.install_enrolment(s, enrolment, where="龙潭镇.json")
        keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
        fp = office_keys.own_fingerprint(s)
    if accept:
        with county.session() as s:
            se.pending_peer_key(s, TOWNSHIP, *keys)
            se.accept_peer(s, TOWNSHIP, fp.short)
    return county, township


#: backend → (county URL, township URL) of an enrolled pair made once per test process; each test gets copies
_ENROLLED: dict[str, tuple[str, str]] = {}


def make_pair(tmp: Path, database_url: Callable[..., str], *, backend: str = "sqlite", accept: bool = True,
              pg: PgServer | None = None) -> Pair:
    """A county and one of its townships on *backend*, enrolled with each other (keys accepted unless *accept*
    is False; *pg*: the test server, for PostgreSQL). An accepted pair is a copy of one enrolled once per test
    process (the keys are the same in every test; about 1 s saved per test)."""
    pg = pg if backend == "postgresql" else None
    if not accept:
        county, township = _enrol(database_url("county/county.sqlite3"), database_url("township/township.sqlite3"),
                                  accept=False)
        return Pair(county, township, tmp, pg)
    if backend not in _ENROLLED:
        if pg is None:
            folder = tmp.parent / "enrolled-pair"
            urls = f"sqlite:///{folder / 'county.sqlite3'}", f"sqlite:///{folder / 'township.sqlite3'}"
        else:
            urls = pg.create(), pg.create()  # dropped when the server closes
        for db in _enrol(*urls, accept=True):
            db.dispose()
        _ENROLLED[backend] = urls
    county_url, township_url = (copy_database(url, tmp / place / f"{place}.sqlite3", pg)
                                for url, place in zip(_ENROLLED[backend], ("county", "township"), strict=True))
    pair = Pair(open_database(county_url, account="county_clerk"), open_database(township_url, account="town_clerk"),
                tmp, pg)
    if pg is not None:
        pair.copies += [county_url, township_url]
    return pair


@pytest.fixture
def pair(tmp_path: Path, backend: str, database_url: Callable[..., str], pg_server: PgServer | None) -> Iterator[Pair]:
    """A county and a township on the backend under test (SQLite files, or PostgreSQL databases)."""
    p = make_pair(tmp_path, database_url, backend=backend, pg=pg_server)
    yield p
    p.close()


@dataclass
class Seed:
    person_ids: list[str]
    post_id: str
    attendance_id: str
    village_id: str


def seed(db: Database) -> Seed:
    """Two people, a village site with a post, a township training with one sitting and attendance."""
    with db.session() as s:
        township = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
        assert township is not None
        village = OrgUnit(kind="village", code=f"{TOWNSHIP}201", name="石门村", parent_id=township.id)
        s.add(village)
        s.flush()
        a = people.add_person(s, people.PersonInput(name="张三", id_number=id_number(), phone="13800000001"),
                              today=TODAY)
        b = people.add_person(s, people.PersonInput(name="李四", id_number=id_number(dt.date(1985, 1, 2))),
                              today=TODAY)
        post = posts.assign_post(s, person_id=a.id, unit_id=village.id, role="village_manager", slot="A",
                                 start_date=dt.date(2026, 1, 1), today=TODAY)
        plan = TrainingPlan(title="站点管理员培训", year=2026, organizer_level="township",
                            organizer_unit_id=township.id, target_role="village_manager", target_level="village",
                            kind="regular", mode="lecture", planned_hours=4)
        s.add(plan)
        s.flush()
        sitting = TrainingSession(plan_id=plan.id, date=dt.date(2026, 3, 1), start_time=dt.time(9, 0),
                                  hours=2.5, place="镇会议室")
        s.add(sitting)
        s.flush()
        att = Attendance(session_id=sitting.id, person_id=a.id, present=True, hours=2.5)
        s.add(att)
        s.flush()
        return Seed([a.id, b.id], post.id, att.id, village.id)


def test_round_trip_people_posts_attendance_and_a_tombstone(pair: Pair) -> None:
    ids = seed(pair.township)
    with pair.township.session() as s:
        gone = s.get(Person, ids.person_ids[1])
        assert gone is not None
        gone.deleted = True
    result = pair.export()
    assert result.sequence == 1 and result.counts["person"] == (1, 1)
    assert result.counts["attendance"] == (1, 0) and result.counts["post"] == (1, 0)

    report = sync_import.apply(pair.county, result.path)
    assert report.status == "applied", report.message
    counts = report.counts()
    assert counts["person"]["new"] == 2 and counts["attendance"]["new"] == 1 and counts["post"]["new"] == 1
    assert sum(sum(c.values()) for c in counts.values()) == sum(report.manifest_counts.values())
    if pair.county.path is not None:
        assert report.backup is not None and report.backup.is_file()
    else:  # a server database is backed up by its server (pg_dump), not by the import
        assert report.backup is None
    with pair.county.session() as s:
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and person.phone == "13800000001"
        assert (person.origin, person.changed_by) == (TOWNSHIP, TOWNSHIP), "the township's stamps are kept"
        tomb = s.get(Person, ids.person_ids[1])
        assert tomb is not None and tomb.deleted
        att = s.get(Attendance, ids.attendance_id)
        assert att is not None and att.present and att.hours == 2.5
        sitting = s.get(TrainingSession, att.session_id)
        assert sitting is not None and sitting.start_time == dt.time(9, 0)
        # the township's rows for the county and the township unit were matched by code, not duplicated
        assert len(s.scalars(select(OrgUnit).where(OrgUnit.code == TOWNSHIP)).all()) == 1
        village = s.get(OrgUnit, ids.village_id)
        township_unit = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
        assert village is not None and township_unit is not None and village.parent_id == township_unit.id
        ledger = s.scalar(select(SyncLedger).where(SyncLedger.bundle_id == result.bundle_id))
        assert ledger is not None and ledger.status == "applied" and ledger.sha256 == result.sha256
        assert json.loads(ledger.counts_json or "{}")["person"] == {"changes": 1, "tombstones": 1}
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == TOWNSHIP))
        assert peer is not None and peer.last_received_seq == 1
        # new records are audited as one bulk row per table (like every bulk path), under the bundle's account
        audit = s.scalars(select(AuditLog).where(AuditLog.table_name == "person")).all()
        assert [(a.account, a.action, a.record_id) for a in audit if a.account.startswith("同步")] == [
            (f"同步:{result.bundle_id[:8]}", "bulk_insert", None)]

    # the same bundle again: "already", nothing changes
    before = dump(pair.county)
    again = sync_import.apply(pair.county, result.path)
    assert again.status == "already" and again.already_at is not None
    assert any("已于" in line for line in again.lines())
    assert dump(pair.county) == before


def test_preview_changes_nothing_and_counts_add_up(pair: Pair) -> None:
    seed(pair.township)
    result = pair.export()
    before = dump(pair.county)
    with pair.county.session() as s:
        report = sync_import.preview(s, result.path)
    assert report.status == "preview"
    assert dump(pair.county) == before
    for table, per in report.counts().items():
        assert sum(per.values()) == report.manifest_counts[table], table
    assert sum(report.manifest_counts.values()) == len(report.records)
    assert {r.status for r in report.records if r.table == "person"} == {"new"}


def test_second_export_carries_only_the_change_shown_old_to_new(pair: Pair) -> None:
    ids = seed(pair.township)
    first = pair.export()
    assert sync_import.apply(pair.county, first.path).status == "applied"
    with pair.township.session() as s:
        assert sync_export.acknowledge_bundle(s, COUNTY, first.sequence) == first.up_to_seq
        person = s.get(Person, ids.person_ids[0])
        assert person is not None
        person.phone = "13900000002"
    second = pair.export()
    assert second.sequence == 2 and second.counts == {"person": (1, 0)}
    with pair.county.session() as s:
        shown = sync_import.preview(s, second.path)
    [change] = [r for r in shown.records if r.status == "changed"]
    assert change.id == ids.person_ids[0]
    assert [(c.field, c.old, c.new) for c in change.changes] == [("phone", "13800000001", "13900000002")]
    assert any("phone：13800000001 → 13900000002" in line for line in shown.lines())
    report = sync_import.apply(pair.county, second.path)
    assert report.status == "applied"
    with pair.county.session() as s:
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and person.phone == "13900000002"
        [log] = s.scalars(select(AuditLog).where(AuditLog.record_id == ids.person_ids[0],
                                                 AuditLog.action == "update")).all()
        assert (log.field, log.old_value, log.new_value) == ("phone", "13800000001", "13900000002")


def test_cumulative_until_acknowledged_and_everything_again_imports_as_unchanged(pair: Pair) -> None:
    seed(pair.township)
    first = pair.export()
    assert sync_import.apply(pair.county, first.path).status == "applied"
    # nothing acknowledged yet: the next bundle carries everything again (a lost bundle is healed)
    second = pair.export()
    assert second.counts == first.counts and second.since_seq == 0
    report = sync_import.apply(pair.county, second.path)
    assert report.status == "applied"
    assert {r.status for r in report.records} == {"unchanged"}
    with pair.township.session() as s:
        sync_export.set_acknowledged(s, COUNTY, 10**9)
    assert pair.export().counts == {}
    again = pair.export(everything=True)
    assert again.counts == first.counts
    assert {r.status for r in sync_import.apply(pair.county, again.path).records} == {"unchanged"}


def test_flipped_byte_refused_county_unchanged_and_quarantined(pair: Pair) -> None:
    seed(pair.township)
    result = pair.export()
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = pair.stick("bad") / result.path.name
    bad.write_bytes(bytes(data))
    before = dump(pair.county, without=("sync_ledger",))
    report = sync_import.apply(pair.county, bad)
    assert report.status == "refused" and report.message
    assert dump(pair.county, without=("sync_ledger",)) == before
    assert report.quarantine is not None and report.quarantine.read_bytes() == bytes(data)
    assert report.quarantine.parent == sync_import.quarantine_dir(pair.county)
    if pair.county.path is not None:  # beside a SQLite file; a server database's go to the data directory
        assert report.quarantine.parent == pair.tmp / "county" / "sync" / "quarantine"
    with pair.county.session() as s:
        [ledger] = s.scalars(select(SyncLedger)).all()
        assert ledger.status == "refused" and ledger.message == report.message
    # the good file still imports afterwards
    assert sync_import.apply(pair.county, result.path).status == "applied"


def test_replayed_older_sequence_refused(pair: Pair) -> None:
    seed(pair.township)
    first = pair.export(folder="one")
    second = pair.export(folder="two")
    assert sync_import.apply(pair.county, second.path).status == "applied"
    before = dump(pair.county, without=("sync_ledger",))
    report = sync_import.apply(pair.county, first.path)
    assert report.status == "refused" and "重放" in (report.message or "")
    assert dump(pair.county, without=("sync_ledger",)) == before


def test_same_id_different_hash_refused(pair: Pair) -> None:
    seed(pair.township)
    result = pair.export(folder="one")
    assert sync_import.apply(pair.county, result.path).status == "applied"
    with pair.township.session() as s:  # the same bundle id written again: another file, another hash
        office = offices.office_info(s)
        keys = office_keys.peer_keys(s, COUNTY)
        assert keys is not None
        header = BundleHeader(OfficeRef(office.code, office.name, "township"), COUNTY, "up", 5, None,
                              result_revision(), bundle_id=result.bundle_id)
        forged = write_bundle(pair.stick("two"), header=header, tables={"person": []},
                              signing_key=office_keys.signing_key(s), recipient=keys.exchange)
    report = sync_import.apply(pair.county, forged.path)
    assert report.status == "refused" and "内容不同" in (report.message or "")


def result_revision() -> str:
    from remoteedu_desktop.data.migrate import head_revision
    return head_revision()


def test_county_owned_row_in_an_up_bundle_kept_and_queued_or_refused(pair: Pair) -> None:
    """Issue 6, items 3 and 7: the township's edit of a county row loses to the owner and goes to the conflict
    queue; a county row the county never had (a county training made at the township) is refused."""
    seed(pair.township)
    with pair.township.session() as s:  # the township renames the county (not its data)
        county_unit = s.scalar(select(OrgUnit).where(OrgUnit.code == COUNTY))
        assert county_unit is not None
        county_unit.name = "青山县（改）"
        plan = TrainingPlan(title="县里的培训", year=2026, organizer_level="county", organizer_unit_id=None,
                            target_role="village_manager", target_level="village", kind="regular", mode="lecture")
        s.add(plan)
    result = pair.export()
    report = sync_import.apply(pair.county, result.path)
    assert report.status == "applied"
    refused = {(r.table, r.reason) for r in report.records if r.status == "refused"}
    assert refused == {("training_plan", "县级数据，乡镇不能修改")}
    [conflict] = [r for r in report.records if r.status == "conflict"]
    assert conflict.table == "org_unit" and "name" in (conflict.reason or "")
    with pair.county.session() as s:
        [queued] = s.scalars(select(SyncConflict)).all()
        assert (queued.table_name, queued.winner, queued.kind) == ("org_unit", "here", "edit")
        assert json.loads(queued.fields_json) == {"name": ["青山县", "青山县（改）"]}
    with pair.county.session() as s:
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == COUNTY))
        assert unit is not None and unit.name == "青山县"
        assert s.scalar(select(TrainingPlan).where(TrainingPlan.title == "县里的培训")) is None
        assert s.scalar(select(TrainingPlan).where(TrainingPlan.title == "站点管理员培训")) is not None


def test_first_bundle_of_an_unaccepted_township_records_its_key_and_waits_for_the_phone_check(
        tmp_path: Path, backend: str, database_url: Callable[..., str]) -> None:
    p = make_pair(tmp_path, database_url, backend=backend, accept=False)
    try:
        seed(p.township)
        result = p.export()
        local = ("sync_ledger", "app_setting", "audit_log", "local_office")  # the pending key is recorded
        before, audit_before = dump(p.county, without=local), dump(p.county)["audit_log"]
        report = sync_import.apply(p.county, result.path)
        assert report.status == "refused" and "请电话核对指纹后确认" in (report.message or "")
        assert dump(p.county, without=local) == before
        new_audit = set(dump(p.county)["audit_log"]) - set(audit_before)
        assert new_audit and {row[4] for row in new_audit} == {"app_setting"}
        with p.township.session() as s:
            fp = office_keys.own_fingerprint(s)
        with p.county.session() as s:
            [peer] = se.sync_status(s).peers
            assert peer.state == "pending"
            se.accept_peer(s, TOWNSHIP, fp.short)
        assert sync_import.apply(p.county, result.path).status == "applied"
    finally:
        p.close()


def test_up_bundle_refused_at_a_township(pair: Pair) -> None:
    result = pair.export()
    with pair.township.session() as s, pytest.raises(ValidationError, match="乡镇上报县里的数据包，不能在乡镇导入"):
        sync_import.check_bundle(s, result.path)


def test_a_folder_is_imported_with_one_backup_before_the_first_bundle(pair: Pair) -> None:
    """Issue 6, item 8: apply_all takes one backup for the folder; each bundle still in its own transaction."""
    if pair.county.path is None:
        pytest.skip("backup files are SQLite's; a server database is backed up by its server")
    seed(pair.township)
    first = pair.export(folder="f")
    with pair.township.session() as s:
        s.add(OrgUnit(kind="village", code=f"{TOWNSHIP}202", name="下村",
                      parent_id=s.scalar(select(OrgUnit.id).where(OrgUnit.code == TOWNSHIP))))
    second = pair.export(folder="f")
    reports = [r for _, r in sync_import.apply_all(pair.county, [first.path, second.path])]
    assert [r.status for r in reports] == ["applied", "applied"]
    assert reports[0].backup is not None and reports[1].backup == reports[0].backup
    assert len(list(reports[0].backup.parent.glob("*pre_import*"))) == 1


def test_a_value_too_long_for_its_column_is_refused_on_every_backend(pair: Pair) -> None:
    """SQLite does not enforce VARCHAR widths, PostgreSQL does (issue 10 item 1): a bundle from a township on
    SQLite may carry a value longer than its column. Refused by the check on both backends alike, naming the
    table and the field, and nothing written (not a crash half-way on PostgreSQL)."""
    ids = seed(pair.township)
    t = sync_rows.table("person")
    with pair.township.session() as s:
        row = dict(s.connection().execute(select(t).where(t.c.id == ids.person_ids[0])).mappings().one())
        office = offices.office_info(s)
        keys = office_keys.peer_keys(s, COUNTY)
        assert keys is not None
        header = BundleHeader(OfficeRef(office.code, office.name, "township"), COUNTY, "up", 1, None,
                              result_revision())
        row["name"] = "张" * 51  # person.name is VARCHAR(50)
        forged = write_bundle(pair.stick("long"), header=header,
                              tables={"person": [sync_rows.row_to_json("person", row)]},
                              signing_key=office_keys.signing_key(s), recipient=keys.exchange)
    before = dump(pair.county, without=("sync_ledger",))
    report = sync_import.apply(pair.county, forged.path)
    assert report.status == "refused", report.message
    assert "字段 person.name" in (report.message or "") and "最多 50 个字符" in (report.message or "")
    assert dump(pair.county, without=("sync_ledger",)) == before
