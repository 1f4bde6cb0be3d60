"""Reminders on start (issue 8, item 4): each kind against hand-counted data, and the thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AppSetting, Certificate, SyncLedger, SyncPeer
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import faults, posts
from remoteedu_desktop.services.reminders import (
    KIND_APPOINTMENT,
    KIND_CERTIFICATE,
    KIND_FAULT,
    KIND_SYNC,
    KIND_VACANT,
    Reminder,
    ReminderThresholds,
    reminder_thresholds,
    reminders,
    set_reminder_thresholds,
)

TODAY = dt.date(2026, 6, 30)  # the fixtures' "today" (conftest)


def of_kind(found: list[Reminder], kind: str) -> list[Reminder]:
    return [r for r in found if r.kind == kind]


def test_nothing_to_remind_on_an_empty_office(db: Database, township_id: str) -> None:
    with db.session() as s:
        assert reminders(s, today=TODAY) == []


def test_sites_missing_post_a_or_b(db: Database, township_id: str, new_village: Callable, new_person: Callable) -> None:
    """R3: three villages; one has A and B, one only A, one none → 2 sites, 3 empty posts."""
    full, half, _empty = new_village("杨家村"), new_village("李家村"), new_village("王家村")
    with db.session() as s:
        for unit, slot, name in ((full, "A", "甲"), (full, "B", "乙"), (half, "A", "丙")):
            person = new_person(s, name)
            posts.assign_post(s, person_id=person.id, unit_id=unit.id, role="village_manager", slot=slot,
                              start_date=dt.date(2025, 1, 1), today=TODAY)
    with db.session() as s:
        found = of_kind(reminders(s, today=TODAY), KIND_VACANT)
    assert len(found) == 1
    r = found[0]
    assert (r.count, r.unit_id, r.page, r.severity) == (2, township_id, "sites", "warning")
    assert r.text == "龙潭镇：2 个村站点缺少A岗或B岗管理员（共空缺 3 个岗位，R3）"


def _certificate(s, person_id: str, kind: str, number: str, valid_until: dt.date, status: str = "valid",
                 post_id: str | None = None) -> None:
    s.add(Certificate(kind=kind, number=number, person_id=person_id, post_id=post_id,
                      issue_date=dt.date(2024, 1, 1), valid_until=valid_until, status=status))


def test_certificates_and_appointment_terms_ending(db: Database, township_id: str, new_village: Callable,
                                                  new_person: Callable) -> None:
    """R11: valid certificates whose validity ends from today to today + 60 days; revoked or already
    expired ones and those ending later are not counted."""
    village = new_village("杨家村")
    with db.session() as s:
        a = new_person(s, "甲")
        post = posts.assign_post(s, person_id=a.id, unit_id=village.id, role="village_manager", slot="A",
                                 start_date=dt.date(2025, 1, 1), today=TODAY)
        b = new_person(s, "乙")
        _certificate(s, a.id, "on_duty", "SG-1", TODAY + dt.timedelta(days=10), post_id=post.id)  # urgent
        _certificate(s, a.id, "on_duty", "SG-2", TODAY + dt.timedelta(days=60))  # the last day counted
        _certificate(s, a.id, "on_duty", "SG-3", TODAY + dt.timedelta(days=61))  # too far
        _certificate(s, a.id, "on_duty", "SG-4", TODAY - dt.timedelta(days=1))  # already past
        _certificate(s, a.id, "on_duty", "SG-5", TODAY + dt.timedelta(days=5), status="revoked")
        _certificate(s, b.id, "appointment", "PR-1", TODAY + dt.timedelta(days=30))
    with db.session() as s:
        found = reminders(s, today=TODAY)
    cert = of_kind(found, KIND_CERTIFICATE)
    assert [(r.count, r.severity, r.page) for r in cert] == [(1, "warning", "certificates"),
                                                            (1, "info", "certificates")]
    assert cert[0].unit_id == township_id  # through the post: the certificate of 杨家村 belongs to 龙潭镇
    assert cert[0].text.startswith("龙潭镇：1 份上岗证书将在 60 天内到期（其中 1 份在 14 天内）")
    assert cert[1].unit_id is None and cert[1].text.startswith("本单位：1 份上岗证书")
    appointment = of_kind(found, KIND_APPOINTMENT)
    assert [(r.count, r.severity, r.text[:24]) for r in appointment] == [(1, "info", "本单位：1 份聘任证书的聘期将在 60 天内届满")]
    # A shorter threshold leaves out the certificate ending in 60 days and the appointment ending in 30.
    with db.session() as s:
        short = reminders(s, today=TODAY, thresholds=ReminderThresholds(expiring_days=20))
    assert [(r.kind, r.count) for r in short if r.kind in (KIND_CERTIFICATE, KIND_APPOINTMENT)] == [
        (KIND_CERTIFICATE, 1)]


def test_faults_open_over_n_days(db: Database, township_id: str, new_village: Callable) -> None:
    """R9: open faults older than 7 days (8 days counts, 7 does not); a resolved old one does not."""
    village = new_village("杨家村")
    now = dt.datetime.combine(TODAY, dt.time(12))
    with db.session() as s:
        for days in (30, 8, 7, 1):
            faults.report_fault(s, faults.FaultReport(site_id=village.id, reported_at=now - dt.timedelta(days=days),
                                                      reported_by="村支书", description=f"{days} 天前黑屏"), now=now)
    with db.session() as s:
        found = of_kind(reminders(s, today=TODAY), KIND_FAULT)
        assert [(r.count, r.unit_id, r.page) for r in found] == [(2, township_id, "activities")]
        assert found[0].text == "龙潭镇：2 个故障超过 7 天未解决（最久 30 天，R9）"
        loose = of_kind(reminders(s, today=TODAY, thresholds=ReminderThresholds(fault_days=0)), KIND_FAULT)
        assert loose[0].count == 4


def test_sync_bundle_not_exchanged(db: Database, township_id: str) -> None:
    """A peer with no bundle for over 30 days is named; one exchanged recently is not; a new enrolment
    without any bundle counts from its acceptance."""
    at = dt.datetime.combine(TODAY, dt.time(9))
    with db.session() as s:
        s.add(SyncPeer(code="360499", name="青山县远程办", level="county", accepted_at=at - dt.timedelta(days=200)))
        s.add(SyncPeer(code="360499101", name="石门乡", level="township", accepted_at=at - dt.timedelta(days=200)))
        s.add(SyncPeer(code="360499102", name="白沙镇", level="township", accepted_at=at - dt.timedelta(days=40)))
        s.add(SyncPeer(code="360499103", name="新开乡", level="township", accepted_at=at - dt.timedelta(days=3)))
        s.add(SyncLedger(bundle_id="b1", direction="up", source_office="360499100", target_office="360499",
                         sequence=1, sha256="0" * 64, status="written", at=at - dt.timedelta(days=31)))
        s.add(SyncLedger(bundle_id="b2", direction="down", source_office="360499101", target_office="360499100",
                         sequence=1, sha256="1" * 64, status="applied", at=at - dt.timedelta(days=30)))
    with db.session() as s:
        found = of_kind(reminders(s, today=TODAY), KIND_SYNC)
    assert [r.text for r in found] == [
        "与青山县远程办已 31 天未交换数据包（上次 2026-05-30），请发送或导入数据包",
        "与白沙镇登记 40 天来从未交换过数据包，请发送或导入数据包",
    ]
    assert {(r.page, r.severity) for r in found} == {("sync", "info")}


def test_thresholds_stored_with_defaults(db: Database, township_id: str) -> None:
    with db.session() as s:
        assert reminder_thresholds(s) == ReminderThresholds(60, 7, 30)
        set_reminder_thresholds(s, ReminderThresholds(expiring_days=90, fault_days=3, sync_days=14))
    with db.session() as s:
        assert reminder_thresholds(s) == ReminderThresholds(90, 3, 14)
        s.get(AppSetting, "reminders.fault_days").value_json = '"abc"'  # damaged: back to the default
    with db.session() as s:
        assert reminder_thresholds(s) == ReminderThresholds(90, 7, 14)
    with db.session() as s, pytest.raises(ValidationError) as caught:
        set_reminder_thresholds(s, ReminderThresholds(expiring_days=0))
    assert "证书到期提醒天数" in caught.value.text()
    with db.session() as s:
        assert reminder_thresholds(s).expiring_days == 90


def test_stored_thresholds_are_used(db: Database, township_id: str, new_village: Callable) -> None:
    village = new_village("杨家村")
    now = dt.datetime.combine(TODAY, dt.time(12))
    with db.session() as s:
        faults.report_fault(s, faults.FaultReport(site_id=village.id, reported_at=now - dt.timedelta(days=5),
                                                  reported_by="村支书", description="黑屏"), now=now)
    with db.session() as s:
        assert of_kind(reminders(s, today=TODAY), KIND_FAULT) == []
        set_reminder_thresholds(s, ReminderThresholds(fault_days=3))
    with db.session() as s:
        assert [r.count for r in of_kind(reminders(s, today=TODAY), KIND_FAULT)] == [1]
