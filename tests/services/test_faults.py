"""Fault tickets (R9): report, assign to a technician, resolve, close, reopen; the status flow with its
refusals; the list's filters; and the figures — response, repair, downtime, open count and age per
technician and per site — checked against values computed by hand below.

The world (now = 2026-06-30 12:00; 赵工 is a township technician, 钱工 a county technician):

    T1 杨家村  reported 03-01 08:00, assigned 赵 10:00 (2 h), resolved 16:00 (repair 6 h), closed   downtime 8 h
    T2 杨家村  reported 04-10 09:00, assigned 赵 13:00 (4 h), resolved 04-11 13:00 (24 h)          downtime 28 h
    T3 李家村  reported 06-20 12:00, assigned 钱 06-21 00:00 (12 h), open → now                   downtime 240 h, 10 days
    T4 李家村  reported 06-28 18:00, not assigned → now                                          downtime 42 h, 1 day
    T0 杨家村  reported 2025-12-30 08:00, assigned 赵 09:00 (1 h), resolved 12-31 08:00          (last year)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import equipment, faults, people, posts, units
from remoteedu_desktop.services.equipment import EquipmentInput
from remoteedu_desktop.services.faults import FaultFilter, FaultReport

TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 6, 30, 12, 0)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@dataclass
class World:
    township_id: str
    county_id: str
    yang: str  #: 杨家村 site
    li: str  #: 李家村 site
    receiver: str  #: 杨家村's satellite receiver
    pc_li: str  #: 李家村's computer
    zhao: str  #: township technician
    qian: str  #: county technician
    sun: str  #: a township tutor, no technician post
    t0: str = ""
    t1: str = ""
    t2: str = ""
    t3: str = ""
    t4: str = ""


def report(db: Database, site: str, when: str, *, equipment_id: str | None = None, by: str = "王站长",
           what: str = "卫星接收机无信号") -> str:
    with db.session() as s:
        return faults.report_fault(s, FaultReport(site_id=site, reported_at=at(when), reported_by=by,
                                                  description=what, equipment_id=equipment_id), now=NOW).id


def assign(db: Database, ticket: str, person: str, when: str) -> faults.FaultRow:
    with db.session() as s:
        return faults.assign_fault(s, ticket, technician_id=person, assigned_at=at(when), now=NOW)


def resolve(db: Database, ticket: str, when: str, how: str = "更换高频头，信号恢复") -> faults.FaultRow:
    with db.session() as s:
        return faults.resolve_fault(s, ticket, resolved_at=at(when), resolution=how, now=NOW)


@pytest.fixture
def world(db: Database, township_id: str, new_village: Callable[..., units.UnitInfo],
          new_person: Callable[..., people.PersonInfo]) -> World:
    yang = new_village("杨家村").id
    li = new_village("李家村").id
    with db.session() as s:
        county_id = s.scalar(select(OrgUnit.id).where(OrgUnit.kind == "county"))
        receiver = equipment.add_equipment(s, EquipmentInput(site_id=yang, kind="卫星接收机", model="同洲 CDVB3188C",
                                                             serial_no="SR01"), today=TODAY).id
        pc_li = equipment.add_equipment(s, EquipmentInput(site_id=li, kind="电脑", serial_no="PC01"), today=TODAY).id
        zhao = new_person(s, "赵工").id
        qian = new_person(s, "钱工").id
        sun = new_person(s, "孙老师", female=True).id
        start = dt.date(2024, 1, 1)
        posts.assign_post(s, person_id=zhao, unit_id=township_id, role="technician", start_date=start, today=TODAY)
        posts.assign_post(s, person_id=qian, unit_id=county_id, role="technician", start_date=start, today=TODAY)
        posts.assign_post(s, person_id=sun, unit_id=township_id, role="township_tutor", start_date=start, today=TODAY)
    w = World(township_id, str(county_id), yang, li, receiver, pc_li, zhao, qian, sun)
    w.t0 = report(db, yang, "2025-12-30 08:00", equipment_id=receiver)
    assign(db, w.t0, zhao, "2025-12-30 09:00")
    resolve(db, w.t0, "2025-12-31 08:00")
    w.t1 = report(db, yang, "2026-03-01 08:00", equipment_id=receiver)
    assign(db, w.t1, zhao, "2026-03-01 10:00")
    resolve(db, w.t1, "2026-03-01 16:00")
    with db.session() as s:
        faults.close_fault(s, w.t1, now=NOW)
    w.t2 = report(db, yang, "2026-04-10 09:00", what="电脑无法开机")
    assign(db, w.t2, zhao, "2026-04-10 13:00")
    resolve(db, w.t2, "2026-04-11 13:00", "更换电源，已恢复")
    w.t3 = report(db, li, "2026-06-20 12:00", equipment_id=pc_li, what="电脑中毒，课件无法播放")
    assign(db, w.t3, qian, "2026-06-21 00:00")
    w.t4 = report(db, li, "2026-06-28 18:00", by="李会计", what="网络连接中断")
    return w


def test_a_ticket_row_has_its_times(db: Database, world: World) -> None:
    with db.session() as s:
        t2 = faults.fault(s, world.t2, now=NOW)
        t3 = faults.fault(s, world.t3, now=NOW)
        t4 = faults.fault(s, world.t4, now=NOW)
    assert (t2.status, t2.status_label, t2.technician, t2.site) == ("resolved", "已解决", "赵工", "龙潭镇杨家村站点")
    assert (t2.response_hours, t2.repair_hours, t2.downtime_hours, t2.age_days) == (4.0, 24.0, 28.0, None)
    assert t3.equipment == "电脑（PC01）"
    assert (t3.status, t3.response_hours, t3.repair_hours, t3.downtime_hours, t3.age_days) == (
        "assigned", 12.0, None, 240.0, 10)
    assert (t4.status_label, t4.technician, t4.response_hours, t4.downtime_hours, t4.age_days) == (
        "待处理", "", None, 42.0, 1)


def test_statistics_per_technician_and_site_match_the_hand_computed_figures(db: Database, world: World) -> None:
    """R9: response and downtime per technician and per site; unresolved faults counted to now."""
    with db.session() as s:
        stats = faults.year_statistics(s, 2026, now=NOW)
    zhao, qian = stats.by_technician
    assert (zhao.key, zhao.name, zhao.unit) == (world.zhao, "赵工", "龙潭镇")
    assert (zhao.tickets, zhao.resolved, zhao.open, zhao.oldest_open_days) == (2, 2, 0, None)
    assert zhao.mean_response_hours == pytest.approx(3.0)
    assert zhao.max_response_hours == pytest.approx(4.0)
    assert zhao.mean_repair_hours == pytest.approx(15.0)
    assert zhao.downtime_hours == pytest.approx(36.0)
    assert (qian.key, qian.unit) == (world.qian, "青山县")
    assert (qian.tickets, qian.resolved, qian.open, qian.oldest_open_days) == (1, 0, 1, 10)
    assert (qian.mean_response_hours, qian.max_response_hours, qian.mean_repair_hours) == (12.0, 12.0, None)
    assert qian.downtime_hours == pytest.approx(240.0)

    li, yang = stats.by_site  # longest downtime first
    assert (li.key, li.name, li.unit) == (world.li, "龙潭镇李家村站点", "龙潭镇")
    assert (li.tickets, li.resolved, li.open, li.oldest_open_days) == (2, 0, 2, 10)
    assert (li.mean_response_hours, li.max_response_hours) == (12.0, 12.0)
    assert li.downtime_hours == pytest.approx(282.0)
    assert (yang.tickets, yang.resolved, yang.open) == (2, 2, 0)
    assert yang.mean_response_hours == pytest.approx(3.0)
    assert yang.mean_repair_hours == pytest.approx(15.0)
    assert yang.downtime_hours == pytest.approx(36.0)

    total = stats.total
    assert (total.name, total.tickets, total.resolved, total.open, total.oldest_open_days) == ("合计", 4, 2, 2, 10)
    assert total.mean_response_hours == pytest.approx(6.0)  # (2 + 4 + 12) / 3
    assert total.max_response_hours == pytest.approx(12.0)
    assert total.mean_repair_hours == pytest.approx(15.0)
    assert total.downtime_hours == pytest.approx(318.0)

    with db.session() as s:
        last_year = faults.year_statistics(s, 2025, now=NOW)
        only_yang = faults.year_statistics(s, 2026, unit_id=world.yang, now=NOW)
        march = faults.statistics(s, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 1), now=NOW)
    assert [(f.name, f.tickets, f.mean_response_hours) for f in last_year.by_technician] == [("赵工", 1, 1.0)]
    assert [f.key for f in only_yang.by_site] == [world.yang]
    assert only_yang.total.tickets == 2
    assert march.total.tickets == 1 and march.total.downtime_hours == pytest.approx(8.0)


def test_a_period_ending_before_it_starts_is_refused(db: Database, world: World,
                                                    refused: Callable[..., None]) -> None:
    with pytest.raises(ValidationError) as exc, db.session() as s:
        faults.statistics(s, start=dt.date(2026, 5, 1), end=dt.date(2026, 4, 1), now=NOW)
    refused(exc.value, field="统计期间", says="早于开始日期")


def test_technician_response_for_the_evaluation(db: Database, world: World) -> None:
    """R14 indicator fault_response: mean hours reported → assigned per technician, tickets of that year."""
    with db.session() as s:
        assert faults.technician_response(s, 2026) == {world.zhao: pytest.approx(3.0), world.qian: pytest.approx(12.0)}
        assert faults.technician_response(s, 2025) == {world.zhao: pytest.approx(1.0)}
        assert faults.technician_response(s, 2024) == {}


def test_open_faults_for_the_overview(db: Database, world: World) -> None:
    with db.session() as s:
        rows = faults.open_faults(s, now=NOW)
        at_yang = faults.open_faults(s, world.yang, now=NOW)
    assert [(r.id, r.site, r.equipment, r.age_days, r.technician) for r in rows] == [
        (world.t3, "龙潭镇李家村站点", "电脑（PC01）", 10, "钱工"),
        (world.t4, "龙潭镇李家村站点", "", 1, ""),
    ]
    assert rows[1].status_label == "待处理"
    assert at_yang == []


def test_list_filters(db: Database, world: World) -> None:
    def ids(flt: FaultFilter) -> list[str]:
        with db.session() as s:
            return [r.id for r in faults.faults(s, flt, now=NOW)]

    assert ids(FaultFilter()) == [world.t3, world.t4, world.t2, world.t1, world.t0]  # unresolved oldest first
    assert ids(FaultFilter(status="closed")) == [world.t1]
    assert ids(FaultFilter(open_only=True)) == [world.t3, world.t4]
    assert ids(FaultFilter(min_age_days=5)) == [world.t3]
    assert ids(FaultFilter(unit_id=world.yang)) == [world.t2, world.t1, world.t0]
    assert ids(FaultFilter(unit_id=world.township_id, technician_id=world.qian)) == [world.t3]
    assert ids(FaultFilter(equipment_id=world.receiver)) == [world.t1, world.t0]
    assert ids(FaultFilter(text="李会计")) == [world.t4]
    with pytest.raises(ValidationError), db.session() as s:
        faults.faults(s, FaultFilter(status="lost"), now=NOW)


def test_reopen_keeps_the_story(db: Database, world: World, refused: Callable[..., None]) -> None:
    """R9: a fault that comes back goes back to its technician; the former resolution stays readable."""
    with pytest.raises(ValidationError) as exc, db.session() as s:
        faults.reopen_fault(s, world.t2, reason="  ", now=NOW)
    refused(exc.value, field="重新打开原因", says="不能为空")
    with db.session() as s:
        row = faults.reopen_fault(s, world.t2, reason="电脑再次无法开机", now=NOW)
    assert (row.status, row.technician, row.resolved_at, row.resolution) == ("assigned", "赵工", None, "")
    assert row.description == ("电脑无法开机\n【2026-06-30 12:00 重新打开】电脑再次无法开机"
                               "（原处理：更换电源，已恢复，2026-04-11 13:00 解决）")
    assert row.response_hours == 4.0 and row.downtime_hours == pytest.approx(81 * 24 + 3)  # 04-10 09:00 → 06-30 12:00
    resolved = resolve(db, world.t2, "2026-06-30 11:00", "更换主板")
    assert resolved.status == "resolved" and resolved.repair_hours == pytest.approx(81 * 24 - 2)  # 04-10 13:00 → 06-30 11:00
    with db.session() as s:
        closed_again = faults.reopen_fault(s, world.t1, reason="复发", now=NOW)
    assert closed_again.status == "assigned"


@pytest.mark.parametrize(("action", "ticket", "says"), [
    ("resolve", "t4", "“待处理”状态，尚未派单，请先指派技术服务员"),
    ("close", "t3", "“已派单”状态，尚未解决，只有已解决的故障单才能关闭"),
    ("close", "t1", "“已关闭”状态，不能关闭"),
    ("reopen", "t4", "“待处理”状态，尚未解决，无需重新打开"),
    ("assign", "t2", "“已解决”状态，不能派单"),
])
def test_the_status_flow_is_enforced(db: Database, world: World, state: Callable[[], dict[str, int]],
                                     refused: Callable[..., None], action: str, ticket: str, says: str) -> None:
    ticket_id = getattr(world, ticket)
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        if action == "resolve":
            faults.resolve_fault(s, ticket_id, resolved_at=NOW, resolution="修好", now=NOW)
        elif action == "close":
            faults.close_fault(s, ticket_id, now=NOW)
        elif action == "reopen":
            faults.reopen_fault(s, ticket_id, reason="复发", now=NOW)
        else:
            faults.assign_fault(s, ticket_id, technician_id=world.zhao, assigned_at=NOW, now=NOW)
    refused(exc.value, field="故障单状态", rule="R9", says=says)
    assert state() == before


def test_assign_needs_a_technician_post(db: Database, world: World, state: Callable[[], dict[str, int]],
                                        refused: Callable[..., None]) -> None:
    """R9 (R5): only a person holding a technician post on the day of assignment gets the ticket."""
    before = state()
    with pytest.raises(ValidationError) as exc:
        assign(db, world.t4, world.sun, "2026-06-29 08:00")
    refused(exc.value, field="技术服务员", rule="R9", says="孙老师 在 2026-06-29 没有担任技术服务员")
    with pytest.raises(ValidationError) as exc:
        assign(db, world.t4, world.zhao, "2026-06-28 17:00")
    refused(exc.value, field="派单时间", rule="R9", says="早于报修时间 2026-06-28 18:00")
    with pytest.raises(ValidationError) as exc:
        assign(db, world.t4, world.zhao, "2026-06-30 13:00")
    refused(exc.value, field="派单时间", says="晚于现在（2026-06-30 12:00）")
    assert state() == before

    with db.session() as s:
        post = posts.open_posts(s, person_id=world.zhao)[0]
        posts.end_post(s, post.id, end_date=dt.date(2026, 6, 1), reason="调离", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        assign(db, world.t4, world.zhao, "2026-06-29 08:00")
    refused(exc.value, field="技术服务员", says="赵工 在 2026-06-29 没有担任技术服务员")
    row = assign(db, world.t4, world.qian, "2026-06-29 08:00")
    assert (row.status, row.technician, row.response_hours) == ("assigned", "钱工", 14.0)
    again = assign(db, world.t4, world.qian, "2026-06-29 10:00")  # re-assigned: the new time counts
    assert again.response_hours == 16.0


def test_resolve_checks_times_and_text(db: Database, world: World, state: Callable[[], dict[str, int]],
                                       refused: Callable[..., None]) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        resolve(db, world.t3, "2026-06-20 23:00")
    refused(exc.value, field="解决时间", rule="R9", says="早于派单时间 2026-06-21 00:00")
    with pytest.raises(ValidationError) as exc:
        resolve(db, world.t3, "2026-06-20 11:00")
    refused(exc.value, field="解决时间", rule="R9", says="早于报修时间")
    with pytest.raises(ValidationError) as exc:
        resolve(db, world.t3, "2026-06-22 08:00", " ")
    refused(exc.value, field="处理情况", says="不能为空")
    assert state() == before
    row = resolve(db, world.t3, "2026-06-22 08:00", "重装系统并杀毒")
    assert (row.status, row.repair_hours, row.downtime_hours, row.age_days) == ("resolved", 32.0, 44.0, None)


@pytest.mark.parametrize(("change", "field", "says"), [
    ({"reported_at": NOW + dt.timedelta(minutes=1)}, "报修时间", "晚于现在"),
    ({"reported_by": " "}, "报修人", "不能为空"),
    ({"description": ""}, "故障描述", "不能为空"),
    ({"equipment_id": "pc_li"}, "故障设备", "电脑登记在龙潭镇李家村站点，不属于龙潭镇杨家村站点"),
    ({"site_id": "township_id"}, "站点", "故障应报在站点"),
])
def test_report_refusals(db: Database, world: World, state: Callable[[], dict[str, int]],
                         refused: Callable[..., None], change: dict[str, object], field: str, says: str) -> None:
    data: dict[str, object] = {"site_id": world.yang, "reported_at": at("2026-06-29 08:00"), "reported_by": "王站长",
                               "description": "无信号", "equipment_id": world.receiver}
    data.update({k: getattr(world, v) if k in ("site_id", "equipment_id") else v for k, v in change.items()})
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        faults.report_fault(s, FaultReport(**data), now=NOW)  # type: ignore[arg-type]
    refused(exc.value, field=field, says=says)
    assert state() == before


def test_out_of_service_equipment_is_not_reported(db: Database, world: World, refused: Callable[..., None]) -> None:
    with db.session() as s:
        equipment.take_out_of_service(s, world.receiver, on=TODAY, reason="报废", today=TODAY)
    with pytest.raises(ValidationError) as exc:
        report(db, world.yang, "2026-06-30 09:00", equipment_id=world.receiver)
    refused(exc.value, field="故障设备", rule="R9", says="已停用")


def test_technician_choices_put_the_site_s_own_first(db: Database, world: World,
                                                     new_person: Callable[..., people.PersonInfo]) -> None:
    """The picker offers people holding a technician post on the day: the township's own before the county's."""
    with db.session() as s:
        gone = new_person(s, "孔工").id
        posts.assign_post(s, person_id=gone, unit_id=world.township_id, role="technician",
                          start_date=dt.date(2024, 1, 1), today=TODAY)
        post = posts.open_posts(s, person_id=gone)[0]
        posts.end_post(s, post.id, end_date=dt.date(2026, 1, 1), reason="辞职", today=TODAY)
        choices = faults.technician_choices(s, site_id=world.yang, on=TODAY)
        before = faults.technician_choices(s, on=dt.date(2025, 6, 1))
    assert [(c.name, c.unit, c.serves_site) for c in choices] == [("赵工", "龙潭镇", True), ("钱工", "青山县", False)]
    assert choices[0].display == "赵工（龙潭镇）"
    assert {c.name for c in before} == {"赵工", "钱工", "孔工"}
