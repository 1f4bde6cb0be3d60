"""The session calendar (R8): each session in its day's cell of the week and of the month, navigation by
week and month, clashing sessions in red, and a double-click that names the entry's plan."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import training_plans
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.training.calendar_view import CLASH_ROLE, MONTH, PLAN_ID_ROLE, WEEK, SessionCalendar

WEDNESDAY = dt.date(2026, 4, 15)  # a Wednesday: column 2 of a Monday-first week


def add_plan(ctx: AppContext, title: str) -> str:
    with ctx.session() as s:
        return training_plans.add_plan(s, training_plans.PlanInput(
            title=title, year=2026, organizer_level="department", organizer_department="县委党校",
            target_role="county_tutor", target_level="county", topics=("2",), kind="regular",
            mode="lecture")).id


def add_session(ctx: AppContext, plan_id: str, day: dt.date, start: dt.time, end: dt.time, *,
                instructor: str | None = None) -> str:
    with ctx.session() as s:
        return training_plans.add_session(s, plan_id, training_plans.SessionInput(
            date=day, hours=2, start_time=start, end_time=end, place="龙潭镇会议室",
            instructor_name=instructor)).id


@pytest.fixture
def calendar(qtbot: QtBot, ctx: AppContext) -> SessionCalendar:
    view = SessionCalendar(ctx)
    qtbot.addWidget(view)
    view.resize(1300, 640)
    view.show()
    return view


def test_a_session_is_in_its_day_cell_of_the_week_and_of_the_month(
        calendar: SessionCalendar, ctx: AppContext) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    add_session(ctx, plan, WEDNESDAY, dt.time(9), dt.time(11, 30))

    calendar.set_view(WEEK)
    calendar.go_to(WEDNESDAY)
    assert (calendar.first_day, calendar.last_day) == (dt.date(2026, 4, 13), dt.date(2026, 4, 19))
    assert calendar.grid_position(WEDNESDAY) == (0, 2)
    [entry] = calendar.entries_on(WEDNESDAY)
    assert "09:00–11:30" in entry and "村站点管理员岗前培训" in entry
    assert all(calendar.entries_on(WEDNESDAY + dt.timedelta(days=d)) == [] for d in (-2, -1, 1, 2, 3, 4))
    assert "4月13日" in calendar.range_label.text()

    calendar.step(1)  # the next week has nothing
    assert calendar.entries_on(WEDNESDAY) == [] and calendar.first_day == dt.date(2026, 4, 20)
    calendar.step(-1)

    calendar.set_view(MONTH)
    assert calendar.range_label.text() == "2026年4月"
    # April 2026 starts on a Wednesday: the 15th is in the third week row, Wednesday's column
    assert calendar.grid_position(WEDNESDAY) == (2, 2)
    [entry] = calendar.entries_on(WEDNESDAY)
    assert entry == "09:00 村站点管理员岗前培训"
    calendar.step(1)
    assert calendar.range_label.text() == "2026年5月" and calendar.cell_for(WEDNESDAY) is None
    calendar.step(-2)
    assert calendar.range_label.text() == "2026年3月"


def test_clashing_sessions_are_red_and_others_are_not(calendar: SessionCalendar, ctx: AppContext) -> None:
    first, second, third = add_plan(ctx, "甲培训"), add_plan(ctx, "乙培训"), add_plan(ctx, "丙培训")
    add_session(ctx, first, WEDNESDAY, dt.time(9), dt.time(11), instructor="王建国")
    add_session(ctx, second, WEDNESDAY, dt.time(10), dt.time(12), instructor="王建国")
    add_session(ctx, third, WEDNESDAY, dt.time(14), dt.time(16), instructor="王建国")
    calendar.go_to(WEDNESDAY)
    cell = calendar.cell_for(WEDNESDAY)
    assert cell is not None
    flags = {cell.entries.item(i).data(PLAN_ID_ROLE): cell.entries.item(i).data(CLASH_ROLE)
             for i in range(cell.entries.count())}
    assert flags == {first: True, second: True, third: False}
    red = cell.entries.item(0)
    assert red.foreground().color().name() == "#b71c1c"
    assert "王建国" in red.toolTip()


def test_double_clicking_an_entry_names_its_plan(qtbot: QtBot, calendar: SessionCalendar, ctx: AppContext) -> None:
    plan = add_plan(ctx, "技术服务员培训")
    add_session(ctx, plan, WEDNESDAY, dt.time(9), dt.time(11))
    calendar.set_view(WEEK)
    calendar.go_to(WEDNESDAY)
    cell = calendar.cell_for(WEDNESDAY)
    assert cell is not None
    with qtbot.waitSignal(calendar.plan_activated) as blocker:
        cell.entries.itemDoubleClicked.emit(cell.entries.item(0))
    assert blocker.args == [plan]


def test_today_goes_back_to_the_current_week(calendar: SessionCalendar) -> None:
    calendar.set_view(WEEK)
    calendar.go_to(dt.date(2020, 1, 1))
    calendar.today_button.click()
    today = dt.date.today()
    assert calendar.first_day <= today <= calendar.last_day
    assert calendar.cell_for(today) is not None
