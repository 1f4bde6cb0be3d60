"""Down bundles county → township, acknowledgements both ways, restored databases (issue 6, items 4, 8, 9),
between two real databases enrolled with each other: real zips, real keys, real SQLite files (and PostgreSQL
databases when a test server is set, issue 10 item 1), no mocks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer
from sqlalchemy import select
from test_sync_import import COUNTY, TOWNSHIP, Pair, Seed, dump, make_pair, seed

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.migrate import head_revision
from remoteedu_desktop.data.models import (
    AppSetting,
    Attendance,
    Award,
    AwardCampaign,
    Certificate,
    Enrolment,
    OrgUnit,
    Person,
    SyncConflict,
    SyncLedger,
    SyncPeer,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import office_keys, sync_down, sync_export, sync_import, sync_rows
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.sync.bundle_format import BundleHeader, OfficeRef, read_bundle, write_bundle


@pytest.fixture
def pair(tmp_path: Path, backend: str, database_url: Callable[..., str], pg_server: PgServer | None) -> Iterator[Pair]:
    p = make_pair(tmp_path, database_url, backend=backend, pg=pg_server)
    yield p
    p.close()


def up_and_in(pair: Pair, folder: str = "stick") -> sync_export.ExportResult:
    result = pair.export(folder=folder)
    report = sync_import.apply(pair.county, result.path)
    assert report.status == "applied", report.message
    return result


def county_training(county: Database, ids: Seed) -> dict[str, str]:
    """At the county: a county-run training with one sitting, the township's first person enrolled and present,
    and a certificate for that person."""
    with county.session() as s:
        county_unit = s.scalar(select(OrgUnit).where(OrgUnit.code == COUNTY))
        assert county_unit is not None
        plan = TrainingPlan(title="全县站长轮训", year=2026, organizer_level="county", organizer_unit_id=county_unit.id,
                            target_role="village_manager", target_level="village", kind="regular", mode="lecture",
                            planned_hours=8)
        s.add(plan)
        s.flush()
        sitting = TrainingSession(plan_id=plan.id, date=dt.date(2026, 5, 8), hours=8, place="县党校")
        s.add(sitting)
        s.flush()
        enrolment = Enrolment(plan_id=plan.id, person_id=ids.person_ids[0], score=88.0, passed=True)
        attendance = Attendance(session_id=sitting.id, person_id=ids.person_ids[0], present=True, hours=8)
        s.add_all([enrolment, attendance])
        s.flush()
        cert = Certificate(kind="on_duty", number="青山2026-0001", person_id=ids.person_ids[0],
                           enrolment_id=enrolment.id, issue_date=dt.date(2026, 6, 1), status="valid")
        s.add(cert)
        s.flush()
        return {"plan": plan.id, "sitting": sitting.id, "enrolment": enrolment.id, "attendance": attendance.id,
                "certificate": cert.id, "county_unit": county_unit.id}


def down(pair: Pair, folder: str = "down") -> sync_export.ExportResult:
    with pair.county.session() as s:
        return sync_down.export_down(s, TOWNSHIP, pair.stick(folder))


def test_round_trip_with_edits_on_both_sides_and_acknowledgements(pair: Pair) -> None:
    ids = seed(pair.township)
    first = up_and_in(pair, "up1")
    made = county_training(pair.county, ids)

    result = down(pair)
    assert result.path.name.startswith(f"CTY-{COUNTY}-DOWN-{TOWNSHIP}-000001-")
    assert result.counts == {"training_plan": (1, 0), "training_session": (1, 0), "enrolment": (1, 0),
                             "attendance": (1, 0), "certificate": (1, 0),
                             "org_unit": (2, 0)}, ("only county rows, the county's unit (referred to) and the "
                                                   "township's own unit row, whose name and code are the county's")
    with pair.township.session() as s:
        opened = read_bundle(result.path, signers=office_keys.peer_signers(s),
                             recipient_key=office_keys.exchange_key(s), expected_target=TOWNSHIP)
    [state] = opened.rows(sync_export.SYNC_STATE_TABLE)
    assert state["acked_sequence"] == 1 and state["acked_change_seq"] == first.up_to_seq
    assert {r["code"] for r in opened.rows(sync_export.UNIT_CODES_TABLE)} == {COUNTY, TOWNSHIP}

    report = sync_import.apply(pair.township, result.path)
    assert report.status == "applied", report.message
    statuses = {(r.table, r.status) for r in report.records}
    assert statuses == {(t, "new") for t in result.counts if t != "org_unit"} | {("org_unit", "unchanged")}
    with pair.township.session() as s:
        plan = s.get(TrainingPlan, made["plan"])
        local_county = s.scalar(select(OrgUnit).where(OrgUnit.code == COUNTY))
        assert plan is not None and local_county is not None
        assert plan.organizer_unit_id == local_county.id, "the county's unit id is translated by code"
        assert plan.changed_by == COUNTY and plan.origin == COUNTY, "the county's stamps are kept"
        cert = s.get(Certificate, made["certificate"])
        assert cert is not None and cert.number == "青山2026-0001" and cert.person_id == ids.person_ids[0]
        att = s.get(Attendance, made["attendance"])
        assert att is not None and att.hours == 8
        assert sync_export.acknowledged(s, COUNTY) == first.up_to_seq, "the county's ack arrived"
        assert sync_export.received(s, COUNTY) == result.up_to_seq
        ledger = s.scalar(select(SyncLedger).where(SyncLedger.bundle_id == result.bundle_id))
        assert ledger is not None and (ledger.direction, ledger.status) == ("down", "applied")
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == COUNTY))
        assert peer is not None and peer.last_received_seq == 1
        # the township edits a person: the next up bundle carries only that, not the county's rows
        person = s.get(Person, ids.person_ids[0])
        assert person is not None
        person.phone = "13900000009"

    second = pair.export(folder="up2")
    assert second.since_seq == first.up_to_seq
    assert second.counts == {"person": (1, 0)}
    report = sync_import.apply(pair.county, second.path)
    assert report.status == "applied", report.message
    with pair.county.session() as s:
        assert sync_export.acknowledged(s, TOWNSHIP) == result.up_to_seq, "the township's ack arrived"
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and person.phone == "13900000009"
        # the county edits its certificate: the next down bundle carries only that
        cert = s.get(Certificate, made["certificate"])
        assert cert is not None
        cert.status, cert.status_reason, cert.status_changed_on = "revoked", "调离岗位", dt.date(2026, 7, 1)
    again = down(pair, "down2")
    assert again.since_seq == result.up_to_seq and again.counts == {"certificate": (1, 0)}
    report = sync_import.apply(pair.township, again.path)
    assert report.status == "applied", report.message
    [record] = report.records
    assert record.status == "changed" and {c.field for c in record.changes} == {
        "status", "status_reason", "status_changed_on"}
    with pair.township.session() as s:
        cert = s.get(Certificate, made["certificate"])
        assert cert is not None and cert.status == "revoked"


def test_reimport_and_preview_of_a_down_bundle_change_nothing(pair: Pair) -> None:
    ids = seed(pair.township)
    up_and_in(pair)
    county_training(pair.county, ids)
    result = down(pair)
    before = dump(pair.township)
    with pair.township.session() as s:
        preview = sync_import.preview(s, result.path)
    assert preview.status == "preview" and len(preview.records) == 7
    assert dump(pair.township) == before
    assert sync_import.apply(pair.township, result.path).status == "applied"
    after = dump(pair.township)
    again = sync_import.apply(pair.township, result.path)
    assert again.status == "already" and again.already_at is not None
    assert dump(pair.township) == after


def test_a_down_bundle_at_the_county_and_one_for_another_township_are_refused(pair: Pair) -> None:
    ids = seed(pair.township)
    up_and_in(pair)
    county_training(pair.county, ids)
    result = down(pair)
    with pair.county.session() as s, pytest.raises(ValidationError, match="不能在县里导入"):
        sync_import.check_bundle(s, result.path)


def _forged_down(pair: Pair, tables: dict[str, list[dict[str, object]]], folder: str = "forged") -> Path:
    """A down bundle signed by the real county key, written by hand (the county's exporter never sends these)."""
    with pair.county.session() as s:
        keys = office_keys.peer_keys(s, TOWNSHIP)
        assert keys is not None
        header = BundleHeader(source=OfficeRef(COUNTY, "青山县", "county"), target_code=TOWNSHIP, direction="down",
                              sequence=1, previous_sha256=None, schema_revision=head_revision())
        written = write_bundle(pair.stick(folder), header=header, tables=tables,
                               signing_key=office_keys.signing_key(s), recipient=keys.exchange)
    return written.path


def test_a_county_edit_of_a_township_row_loses_is_queued_and_the_row_goes_back_up(pair: Pair) -> None:
    """Issue 6, items 3 and 7: the owner (the township) keeps its value; the county's goes to the conflict queue;
    the row is re-stamped so the next up bundle carries the township's value back and both sides agree."""
    ids = seed(pair.township)
    up_and_in(pair)
    t = sync_rows.table("person")
    with pair.county.session() as s:
        row = dict(s.connection().execute(select(t).where(t.c.id == ids.person_ids[0])).mappings().one())
    row.update(name="王五", changed_by=COUNTY, change_seq=999)
    path = _forged_down(pair, {"person": [sync_rows.row_to_json("person", row)]})
    report = sync_import.apply(pair.township, path)
    [record] = report.records
    assert record.status == "conflict" and "保留本机的值" in (record.reason or "")
    assert any("冲突" in line for line in report.lines())
    with pair.township.session() as s:
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and person.name == "张三" and person.changed_by == TOWNSHIP
        [queued] = s.scalars(select(SyncConflict)).all()
        assert (queued.winner, queued.kind, queued.peer_code) == ("here", "edit", COUNTY)
        assert json.loads(queued.fields_json) == {"name": ["张三", "王五"]}
    again = pair.export()
    assert again.counts.get("person", (0, 0))[0] >= 1, "the township's value travels back up"


def test_a_restored_township_database_is_detected_and_the_county_is_unchanged(pair: Pair) -> None:
    seed(pair.township)
    copy = pair.copy_township()  # the clerk's backup, taken before any export
    up_and_in(pair, "a")
    up_and_in(pair, "b")

    pair.restore_township(copy)
    stale = pair.export(folder="c")
    assert stale.sequence == 1, "the restored database counts from its old sequence"
    before = dump(pair.county, without=("sync_ledger",))
    report = sync_import.apply(pair.county, stale.path)
    assert report.status == "refused"
    assert "从备份恢复或复制" in (report.message or "") and "请联系县远程办" in (report.message or "")
    assert dump(pair.county, without=("sync_ledger",)) == before
    with pair.county.session() as s:
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == TOWNSHIP))
        assert peer is not None and peer.last_received_seq == 2, "counters never move backwards"

    # the restored database goes on: its bundle 2 follows its own bundle 1, not the county's → fork
    forked = pair.export(folder="d")
    assert forked.sequence == 2
    report = sync_import.apply(pair.county, forked.path)
    assert report.status == "refused" and "从备份恢复或复制" in (report.message or "")
    assert dump(pair.county, without=("sync_ledger",)) == before


def test_hash_chain_fork_on_the_next_sequence(pair: Pair) -> None:
    seed(pair.township)
    up_and_in(pair, "a")
    copy = pair.copy_township()
    pair.export(folder="lost")  # bundle 2 written but never reaches the county
    third = pair.export(folder="b")  # bundle 3, chained to the lost 2: a gap is fine (cumulative)
    pair.restore_township(copy)
    other = pair.export(folder="c")  # a second "bundle 2" from the copy, chained to bundle 1: fine too
    assert other.sequence == 2
    assert sync_import.apply(pair.county, other.path).status == "applied"
    before = dump(pair.county, without=("sync_ledger",))
    report = sync_import.apply(pair.county, third.path)  # 3 follows a bundle 2 the county never had
    assert report.status == "refused" and "数据链分叉" in (report.message or "")
    assert dump(pair.county, without=("sync_ledger",)) == before


def test_a_new_instance_id_is_reported(pair: Pair) -> None:
    seed(pair.township)
    up_and_in(pair, "a")
    with pair.township.session() as s:
        setting = s.get(AppSetting, sync_export.INSTANCE_KEY)
        assert setting is not None
        setting.value_json = '{"id": "another-installation"}'
    result = pair.export(folder="b")
    report = sync_import.apply(pair.county, result.path)
    assert report.status == "applied" and any("实例编号变了" in w for w in report.warnings)
    assert any("实例编号变了" in line for line in report.lines())


def test_export_down_all_and_refusals(pair: Pair) -> None:
    ids = seed(pair.township)
    up_and_in(pair)
    county_training(pair.county, ids)
    with pair.county.session() as s:
        se.add_township_office(s, "360499101", "石门乡")  # enrolled, keys not accepted yet: skipped
        assert sync_down.down_targets(s) == ([TOWNSHIP], ["360499101"])
        results = sync_down.export_down_all(s, pair.stick("all"))
        with pytest.raises(ValidationError, match="密钥尚未确认"):
            sync_down.export_down(s, "360499101", pair.stick("all"))
    assert [r.path.name.split("-")[3] for r in results] == [TOWNSHIP]
    with pair.township.session() as s, pytest.raises(ValidationError, match="只有县远程办可以导出下发"):
        sync_down.export_down(s, TOWNSHIP, pair.stick("x"))


def test_an_award_at_another_townships_site_brings_that_site_as_a_reference_copy(pair: Pair) -> None:
    ids = seed(pair.township)
    up_and_in(pair)
    with pair.county.session() as s:
        other = se.add_township_office(s, "360499101", "石门乡")
        site = OrgUnit(kind="village", code="360499101201", name="石门乡上村", parent_id=other.unit_id)
        campaign = AwardCampaign(year=2026, kind="excellent_manager", name="优秀站长", status="open")
        s.add_all([site, campaign])
        s.flush()
        award = Award(campaign_id=campaign.id, person_id=ids.person_ids[0], site_id=site.id, title="优秀站长",
                      awarded_on=dt.date(2026, 9, 1))
        s.add(award)
        s.flush()
        award_id, site_id = award.id, site.id
    result = down(pair)
    assert result.counts["award"] == (1, 0) and result.counts["award_campaign"] == (1, 0)
    assert result.counts["org_unit"] == (4, 0), ("the site, its township and the county (a parent chain), and the "
                                                 "township's own unit row")
    report = sync_import.apply(pair.township, result.path)
    assert report.status == "applied", report.message
    with pair.township.session() as s:
        award = s.get(Award, award_id)
        site = s.get(OrgUnit, site_id)
        assert award is not None and award.site_id == site_id and site is not None
        parent = s.get(OrgUnit, site.parent_id)
        assert parent is not None and parent.code == "360499101"
        assert len(s.scalars(select(OrgUnit).where(OrgUnit.code == COUNTY)).all()) == 1
