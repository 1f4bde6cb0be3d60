"""Teaching activities (R13): validation, tutors (R4 warning), filters, tombstones, statistics, counts for the
evaluation (R14) and the data of the work-record book and the monthly report card (R9 equipment line)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Activity, ActivityTutor, Equipment, FaultTicket, OrgUnit
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import activities as act
from remoteedu_desktop.services import people, posts, units
from remoteedu_desktop.services.activities import ActivityFilter, ActivityInput
from remoteedu_desktop.services.progress import run_to_end

TODAY = dt.date(2026, 6, 30)  #: as the conftest's TODAY

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]


def _tutor(db: Database, new_person: NewPerson, unit_id: str, name: str, *, start: dt.date = dt.date(2025, 1, 1),
           end: dt.date | None = None, role: str = "township_tutor") -> str:
    person = new_person(name=name)
    with db.session() as s:
        post = posts.assign_post(s, person_id=person.id, unit_id=unit_id, role=role, start_date=start, today=TODAY)
        if end is not None:
            posts.end_post(s, post.id, end_date=end, reason="调离", today=TODAY)
    return person.id


def _input(site_id: str, **changes: object) -> ActivityInput:
    base = ActivityInput(site_id=site_id, date=dt.date(2026, 6, 5), channel="sci_tech_to_country",
                         title="科技下乡：油茶低改技术", participants=30, hours=2.5)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _count(db: Database, model: type) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False))) or 0


@pytest.fixture
def site(new_village: NewVillage) -> str:
    return new_village("杨家村").id


def test_add_lists_and_reads_back_with_tutors(db: Database, township_id: str, site: str,
                                              new_person: NewPerson) -> None:
    """An activity is logged at a site through an R13 channel, with its tutors (R4)."""
    tutor = _tutor(db, new_person, township_id, "王五")
    with db.session() as s:
        row = act.add_activity(s, _input(site, tutor_ids=(tutor, tutor), notes=" 村委会议室 "), today=TODAY)
    assert row.site_name == "杨家村" and row.township_name == "龙潭镇"
    assert row.channel_label == "科技下乡" and row.tutor_names == ("王五",) and row.warnings == ()
    assert row.notes == "村委会议室" and row.participants == 30 and row.hours == 2.5
    with db.session() as s:
        listed = act.list_activities(s)
    assert [r.id for r in listed] == [row.id] and listed[0].tutors_text == "王五"
    assert _count(db, ActivityTutor) == 1


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"date": TODAY + dt.timedelta(days=1)}, "日期", "晚于今天"),
    ({"channel": "karaoke"}, "活动形式", "karaoke"),
    ({"title": "  "}, "活动内容", "不能为空"),
    ({"participants": -1}, "参加人数", "0–"),
    ({"participants": 2.5}, "参加人数", "整数"),
    ({"hours": 0}, "时长", "大于 0"),
    ({"hours": 24.5}, "时长", "不超过 24"),
    ({"hours": float("nan")}, "时长", "不是数字"),
    ({"site_id": ""}, "站点", "请选择"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(db: Database, site: str, changes: dict[str, object],
                                                              field: str, says: str,
                                                              refused: Callable[..., None]) -> None:
    """Date not in the future, a channel of R13, participants ≥ 0, 0 < hours ≤ 24: refused before any write."""
    with db.session() as s, pytest.raises(ValidationError) as err:
        act.add_activity(s, dataclasses.replace(_input(site), **changes), today=TODAY)  # type: ignore[arg-type]
    refused(err.value, field=field, says=says)
    assert _count(db, Activity) == 0


def test_site_must_be_a_site_under_this_office(db: Database, township_id: str, site: str,
                                               refused: Callable[..., None]) -> None:
    """A township is no site; a site of another township (outside this office) is refused (R13)."""
    with db.session() as s:
        county_id = s.get(OrgUnit, township_id).parent_id
        other = units.add_unit(s, kind="township", name="石门乡", parent_id=county_id, code="360499101")
        foreign = units.add_unit(s, kind="village", name="外乡村", parent_id=other.id, code="360499101201")
    with db.session() as s, pytest.raises(ValidationError) as err:
        act.add_activity(s, _input(township_id), today=TODAY)
    refused(err.value, field="站点", rule="R13", says="乡镇")
    with db.session() as s, pytest.raises(ValidationError) as err:
        act.add_activity(s, _input(foreign.id), today=TODAY)
    refused(err.value, field="站点", says="不属于本单位")
    assert _count(db, Activity) == 0


def test_a_deactivated_site_takes_no_new_activity_but_keeps_its_own(db: Database, site: str) -> None:
    with db.session() as s:
        row = act.add_activity(s, _input(site), today=TODAY)
        units.deactivate_unit(s, site, reason="村改居")
    with db.session() as s, pytest.raises(ValidationError, match="已撤销"):
        act.add_activity(s, _input(site), today=TODAY)
    with db.session() as s:
        changed = act.update_activity(s, row.id, _input(site, participants=12), today=TODAY)
    assert changed.participants == 12


def test_tutor_must_have_held_a_tutor_post(db: Database, township_id: str, site: str, new_person: NewPerson,
                                           refused: Callable[..., None]) -> None:
    """Only people holding tutor roles lead activities (R4): a manager or a stranger is refused."""
    stranger = new_person(name="路人甲")
    with db.session() as s, pytest.raises(ValidationError) as err:
        act.add_activity(s, _input(site, tutor_ids=(stranger.id,)), today=TODAY)
    refused(err.value, field="辅导员", rule="R4", says="路人甲")
    with db.session() as s, pytest.raises(ValidationError) as err:
        act.add_activity(s, _input(site, tutor_ids=("no-such-person",)), today=TODAY)
    refused(err.value, field="辅导员")
    assert _count(db, Activity) == 0 and _count(db, ActivityTutor) == 0


def test_tutor_without_a_post_on_the_day_is_a_warning_not_a_block(db: Database, township_id: str, site: str,
                                                                   new_person: NewPerson) -> None:
    """A tutor whose post ended before the activity: saved, with an R4 warning naming them and the day."""
    former = _tutor(db, new_person, township_id, "赵六", start=dt.date(2024, 1, 1), end=dt.date(2026, 3, 31))
    current = _tutor(db, new_person, township_id, "钱七")
    with db.session() as s:
        row = act.add_activity(s, _input(site, tutor_ids=(former, current)), today=TODAY)
    assert row.warnings == ("[R4] 赵六在 2026-06-05 没有在任的教学辅导员职务",)
    assert set(row.tutor_names) == {"赵六", "钱七"}
    with db.session() as s:  # the same day inside the post: no warning
        assert act.activity_warnings(s, _input(site, date=dt.date(2026, 3, 1), tutor_ids=(former,)),
                                     today=TODAY) == []


def test_update_changes_tutors_and_revives_a_removed_link(db: Database, township_id: str, site: str,
                                                          new_person: NewPerson) -> None:
    """Removing a tutor tombstones the link; adding them again revives it (unique over tombstones)."""
    a = _tutor(db, new_person, township_id, "王五")
    b = _tutor(db, new_person, township_id, "钱七")
    with db.session() as s:
        row = act.add_activity(s, _input(site, tutor_ids=(a,)), today=TODAY)
    with db.session() as s:
        row = act.update_activity(s, row.id, _input(site, tutor_ids=(b,), title="送技术入户：家禽饲养",
                                                    channel="tech_to_household"), today=TODAY)
    assert row.tutor_names == ("钱七",) and row.channel_label == "送技术入户"
    with db.session() as s:
        row = act.update_activity(s, row.id, _input(site, tutor_ids=(a, b)), today=TODAY)
    assert set(row.tutor_ids) == {a, b}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ActivityTutor)) == 2  # no third row


def test_delete_tombstones_activity_and_tutors(db: Database, township_id: str, site: str,
                                               new_person: NewPerson) -> None:
    tutor = _tutor(db, new_person, township_id, "王五")
    with db.session() as s:
        row = act.add_activity(s, _input(site, tutor_ids=(tutor,)), today=TODAY)
    with db.session() as s:
        act.delete_activity(s, row.id)
    assert _count(db, Activity) == 0 and _count(db, ActivityTutor) == 0
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 1  # a tombstone, not a hard delete
        assert act.list_activities(s) == []
        with pytest.raises(ValidationError, match="找不到"):
            act.delete_activity(s, row.id)


def test_filters_unit_subtree_site_month_channel_text(db: Database, township_id: str, new_village: NewVillage,
                                                      new_person: NewPerson) -> None:
    one, two = new_village("杨家村").id, new_village("李家村").id
    tutor = _tutor(db, new_person, township_id, "王五")
    with db.session() as s:
        a = act.add_activity(s, _input(one, date=dt.date(2026, 5, 3)), today=TODAY)
        b = act.add_activity(s, _input(two, date=dt.date(2026, 6, 7), channel="online_qa", title="柑橘病虫害网上答疑",
                                       tutor_ids=(tutor,)), today=TODAY)
        c = act.add_activity(s, _input(one, date=dt.date(2025, 6, 1), notes="雨天改在室内"), today=TODAY)

    def ids(**kw: object) -> list[str]:
        with db.session() as s:
            return [r.id for r in act.list_activities(s, ActivityFilter(**kw))]  # type: ignore[arg-type]

    assert ids() == [b.id, a.id, c.id]  # newest first
    assert ids(unit_id=township_id) == [b.id, a.id, c.id]
    assert ids(unit_id=one) == [a.id, c.id] == ids(site_id=one)
    assert ids(year=2026) == [b.id, a.id]
    assert ids(year=2026, month=6) == [b.id]
    assert ids(channel="online_qa") == [b.id]
    assert ids(text="柑橘") == [b.id]
    assert ids(text="王五") == [b.id]  # a tutor's name
    assert ids(text="李家") == [b.id]  # the site's name
    assert ids(text="室内") == [c.id]  # the notes
    assert ids(text="100%") == []
    with db.session() as s:
        assert act.activity_years(s) == [2026, 2025]


def test_monthly_statistics_and_counts(db: Database, township_id: str, new_village: NewVillage,
                                       new_person: NewPerson) -> None:
    """Per site and channel, per month: count, participants, hours (R13); per site and tutor for R14."""
    one, two = new_village("杨家村").id, new_village("李家村").id
    t1 = _tutor(db, new_person, township_id, "王五")
    t2 = _tutor(db, new_person, township_id, "钱七")
    with db.session() as s:
        act.add_activity(s, _input(one, date=dt.date(2026, 5, 3), participants=10, hours=2, tutor_ids=(t1,)), today=TODAY)
        act.add_activity(s, _input(one, date=dt.date(2026, 5, 20), participants=5, hours=1.5, tutor_ids=(t1, t2)),
                         today=TODAY)
        act.add_activity(s, _input(one, date=dt.date(2026, 6, 1), channel="playback", participants=7, hours=1),
                         today=TODAY)
        act.add_activity(s, _input(two, date=dt.date(2026, 2, 1), participants=3, hours=1), today=TODAY)
        act.add_activity(s, _input(two, date=dt.date(2025, 2, 1), participants=99, hours=3, tutor_ids=(t2,)),
                         today=TODAY)
        gone = act.add_activity(s, _input(two, date=dt.date(2026, 3, 1), tutor_ids=(t2,)), today=TODAY)
        act.delete_activity(s, gone.id)
    with db.session() as s:
        stats = act.monthly_statistics(s, 2026)
        counts = act.activity_counts(s, 2026)
        only_two = act.monthly_statistics(s, 2026, unit_id=two)
    keyed = {(st.site_name, st.channel_label): st for st in stats}
    assert set(keyed) == {("杨家村", "科技下乡"), ("杨家村", "课件播放"), ("李家村", "科技下乡")}
    may = keyed[("杨家村", "科技下乡")].months[4]
    assert (may.count, may.participants, may.hours) == (2, 15, 3.5)
    assert keyed[("杨家村", "科技下乡")].total == act.Tally(2, 15, 3.5)
    assert keyed[("李家村", "科技下乡")].months[1] == act.Tally(1, 3, 1.0)  # 2025 and the deleted one left out
    assert [st.site_name for st in only_two] == ["李家村"]
    assert counts.by_site == {one: 3, two: 1}
    assert counts.by_tutor == {t1: 2, t2: 1}
    with db.session() as s, pytest.raises(ValidationError):
        act.monthly_statistics(s, 1999)


def test_tutor_choices_active_first(db: Database, township_id: str, new_person: NewPerson) -> None:
    _tutor(db, new_person, township_id, "赵六", start=dt.date(2020, 1, 1), end=dt.date(2025, 1, 1))
    _tutor(db, new_person, township_id, "钱七")
    new_person(name="路人甲")
    with db.session() as s:
        choices = act.tutor_choices(s, today=TODAY)
    assert [(c.name, c.active) for c in choices] == [("钱七", True), ("赵六", False)]
    assert "已离任" in choices[1].display and "乡镇教学辅导员" in choices[0].display


def test_book_and_card_data(db: Database, township_id: str, site: str, new_person: NewPerson) -> None:
    """The book lists the month's activities by date with the site's managers; the card totals per channel
    (every R13 channel listed) and reads the equipment and fault tickets (R9) as of the month's end."""
    manager = new_person(name="张三")
    tutor = _tutor(db, new_person, township_id, "王五")
    with db.session() as s:
        posts.assign_post(s, person_id=manager.id, unit_id=site, role="village_manager", slot="A",
                          start_date=dt.date(2025, 1, 1), today=TODAY)
        act.add_activity(s, _input(site, date=dt.date(2026, 5, 20), tutor_ids=(tutor,)), today=TODAY)
        act.add_activity(s, _input(site, date=dt.date(2026, 5, 3), channel="playback", title="课件播放", hours=1,
                                   participants=8), today=TODAY)
        act.add_activity(s, _input(site, date=dt.date(2026, 6, 3)), today=TODAY)
        s.add_all([Equipment(site_id=site, kind="电脑", in_service=True),
                   Equipment(site_id=site, kind="卫星接收机", in_service=True),
                   Equipment(site_id=site, kind="旧电视", in_service=False)])
        s.add_all([
            FaultTicket(site_id=site, reported_at=dt.datetime(2026, 5, 10, 9), description="无信号",
                        resolved_at=dt.datetime(2026, 5, 11, 9), status="resolved"),
            FaultTicket(site_id=site, reported_at=dt.datetime(2026, 5, 28, 9), description="电脑蓝屏",
                        resolved_at=dt.datetime(2026, 6, 2, 9), status="resolved"),  # open at the end of May
            FaultTicket(site_id=site, reported_at=dt.datetime(2026, 4, 2, 9), description="停电", status="open"),
            FaultTicket(site_id=site, reported_at=dt.datetime(2026, 6, 2, 9), description="六月的", status="open"),
        ])
    with db.session() as s:
        book = act.work_record_book(s, site, 2026, 5)
        card = act.report_card(s, site, 2026, 5, today=TODAY)
    assert [e.date.day for e in book.entries] == [3, 20]
    assert book.entries[1].tutors == "王五" and book.manager == "张三" and book.township == "龙潭镇"
    assert book.county == "青山县" and book.site_code.endswith("201")
    assert len(card.channels) >= 11
    by = {c.channel: c for c in card.channels}
    assert (by["科技下乡"].count, by["课件播放"].participants, by["专家讲座"].count) == (1, 8, 0)
    assert (card.count, card.participants, card.hours) == (2, 38, 3.5)
    assert (card.equipment_in_service, card.faults_reported, card.faults_open) == (2, 2, 2)
    assert card.faults_as_of == dt.date(2026, 5, 31)
    assert "未修复故障 2 起" in card.equipment_line
    with db.session() as s:  # the current month: as of today
        june = act.report_card(s, site, 2026, 6, today=TODAY)
    assert (june.faults_reported, june.faults_open, june.faults_as_of) == (1, 2, TODAY)


def test_month_documents_batch_for_a_township(db: Database, township_id: str, new_village: NewVillage) -> None:
    """All sites of the township in one PDF, with progress; a bad month or a unit without sites is refused."""
    one, _two = new_village("杨家村").id, new_village("李家村").id
    with db.session() as s:
        act.add_activity(s, _input(one), today=TODAY)
    progress: list[tuple[int, int, str]] = []
    with db.session() as s:
        data = run_to_end(act.month_documents(s, township_id, 2026, 6, documents="both", today=TODAY),
                          lambda *p: progress.append(p))
    assert data.startswith(b"%PDF-")
    assert any("杨家村" in text for _d, _t, text in progress) and any("李家村" in text for _d, _t, text in progress)
    with db.session() as s:  # a deactivated site is printed only for a month it logged activities in
        units.deactivate_unit(s, _two, reason="撤并")
        units.deactivate_unit(s, one, reason="撤并")
    progress.clear()
    with db.session() as s:
        run_to_end(act.month_documents(s, township_id, 2026, 6, documents="card", today=TODAY),
                   lambda *p: progress.append(p))
    assert any("杨家村" in text for _d, _t, text in progress) and not any("李家村" in text for _d, _t, text in progress)
    with db.session() as s:
        assert act.site_month_pdf(s, one, 2026, 6, documents="card", today=TODAY).startswith(b"%PDF-")
        with pytest.raises(ValidationError) as err:
            run_to_end(act.month_documents(s, township_id, 2026, 13))
        assert err.value.field == "月份"
        county_id = s.get(OrgUnit, township_id).parent_id
        empty = units.add_unit(s, kind="township", name="石门乡", parent_id=county_id, code="360499101")
        with pytest.raises(ValidationError, match="没有站点"):
            run_to_end(act.month_documents(s, empty.id, 2026, 6))
