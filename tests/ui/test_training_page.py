"""The training page (R6–R8): plans listed with their R6 warnings, a plan added through the editor and
shown, sessions added with their clashes, delete with a confirmation, refresh on notify, the calendar's
double-click, printing through the worker, and the wiring of the enrolment, attendance and coverage
widgets of ui/enrolment. Child dialogs run through the page's hooks: no modal loop; the UI is in Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import offices, site_views, training_plans
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.pages import page_spec
from remoteedu_desktop.ui.training.page import (
    COL_ENROLLED,
    COL_SESSIONS,
    COL_TITLE,
    TAB_CALENDAR,
    TAB_COVERAGE,
    TAB_PLANS,
    TrainingPage,
    enrolment_widget,
)
from remoteedu_desktop.ui.training.plan_editor import PlanEditorDialog
from remoteedu_desktop.ui.training.session_editor import SessionEditorDialog
from remoteedu_desktop.ui.worker import Job

DAY = dt.date(2026, 4, 15)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


@pytest.fixture
def units(ctx: AppContext) -> dict[str, str]:
    with ctx.session() as s:
        return {u.kind: u.id for u in site_views.unit_choices(s, kinds=("county", "township"))}


def add_plan(ctx: AppContext, title: str, *, year: int = 2026, organizer: str = "county",
             unit_id: str | None = None, role: str = "village_manager") -> str:
    level = {"township_manager": "township", "village_manager": "village"}.get(role, "county")
    with ctx.session() as s:
        if unit_id is None:  # R6: the organizing office is named
            unit_id = next(u.id for u in site_views.unit_choices(s, kinds=(organizer,)))
        return training_plans.add_plan(s, training_plans.PlanInput(
            title=title, year=year, organizer_level=organizer, organizer_unit_id=unit_id, target_role=role,
            target_level=level, topics=("1", "2"), kind="pre_job", mode="lecture", planned_hours=8)).id


def add_session(ctx: AppContext, plan_id: str, start: dt.time, end: dt.time, *, instructor: str = "王建国",
                day: dt.date = DAY) -> str:
    with ctx.session() as s:
        return training_plans.add_session(s, plan_id, training_plans.SessionInput(
            date=day, hours=2, start_time=start, end_time=end, place="龙潭镇会议室",
            instructor_name=instructor)).id


def make_page(qtbot: QtBot, ctx: AppContext) -> TrainingPage:
    page = TrainingPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 740)
    page.show()
    page.confirm = lambda *_args: True
    return page


def driver(qtbot: QtBot, fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A ``run_dialog`` that shows the dialog, fills it in and presses OK (no modal loop)."""
    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog)
        dialog.accept()
        return dialog.result()
    return run


def titles(page: TrainingPage) -> list[str]:
    return [page.model.index(r, COL_TITLE).data() for r in range(page.model.rowCount())]


def test_the_training_page_is_registered_in_the_main_window(qtbot: QtBot, ctx: AppContext) -> None:
    page = page_spec("training").create(ctx)
    qtbot.addWidget(page)
    assert isinstance(page, TrainingPage)


def test_plans_are_listed_with_their_r6_warning_and_filtered_by_year_and_search(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    add_plan(ctx, "村站点管理员岗前培训")
    warned = add_plan(ctx, "乡镇管理员培训", organizer="township", unit_id=units["township"], role="township_manager")
    add_plan(ctx, "往年培训", year=2025)
    page = make_page(qtbot, ctx)

    assert sorted(titles(page)) == sorted(["村站点管理员岗前培训", "乡镇管理员培训", "往年培训"])
    row = titles(page).index("乡镇管理员培训")
    title_item = page.model.item(row, COL_TITLE)
    assert not title_item.icon().isNull() and "R6" in title_item.toolTip()
    plain = page.model.item(titles(page).index("往年培训"), COL_TITLE)
    assert plain.icon().isNull()
    assert "1" in page.count_label.text()

    assert [page.year_combo.itemText(i) for i in range(page.year_combo.count())][1:] == ["2026", "2025"]
    page.year_combo.setCurrentIndex(page.year_combo.findData(2025))
    assert titles(page) == ["往年培训"]
    page.year_combo.setCurrentIndex(0)
    page.search_edit.setText("乡镇")
    assert titles(page) == ["乡镇管理员培训"]
    page.search_edit.clear()

    page.select_plan(warned)
    assert page.current_plan() is not None and page.current_plan().id == warned
    assert "R6" in page.detail.warnings_label.text() and page.detail.warnings_label.isVisibleTo(page)
    assert not page.detail.ok_label.isVisibleTo(page)


def test_a_plan_added_through_the_editor_is_listed_and_shown(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    page = make_page(qtbot, ctx)
    assert not page.edit_button.isEnabled() and not page.detail.add_session_button.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PlanEditorDialog)
        dialog.title_edit.setText("2026年村站点管理员岗前培训")
        dialog.set_organizer("county", unit_id=units["county"])
        dialog.set_target("village_manager")
        dialog.set_topics(["5", "6"])

    page.run_dialog = driver(qtbot, fill)
    dialog = page.new_plan()
    assert dialog.saved is not None
    assert titles(page) == ["2026年村站点管理员岗前培训"]
    plan = page.current_plan()
    assert plan is not None and plan.id == dialog.saved.id
    assert page.detail.title.text() == "2026年村站点管理员岗前培训"
    assert "站点设备操作维护" in page.detail.facts["topics"].text()
    assert page.detail.ok_label.isVisibleTo(page)
    assert page.edit_button.isEnabled() and page.detail.add_session_button.isEnabled()
    assert "已添加" in page.message.text() or plan.title in page.message.text()


def test_a_refused_plan_leaves_the_list_unchanged(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.run_dialog = driver(qtbot, lambda d: d.title_edit.setText("没有内容"))  # type: ignore[attr-defined]
    dialog = page.new_plan()
    assert dialog.saved is None and dialog.errors_text()
    assert titles(page) == []


def test_sessions_are_added_from_the_detail_and_a_clash_is_shown(qtbot: QtBot, ctx: AppContext) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    other = add_plan(ctx, "技术服务员培训")
    add_session(ctx, other, dt.time(9), dt.time(11), instructor="王建国")
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    assert page.detail.sessions_table.rowCount() == 0 and not page.detail.clash_label.isVisibleTo(page)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SessionEditorDialog)
        dialog.date_edit.setDate(DAY)
        dialog.set_times(dt.time(10), dt.time(12))
        dialog.place_edit.setText("龙潭镇会议室")
        dialog.set_outsider("王建国")  # teaches the other plan at 9–11 the same day

    page.run_dialog = driver(qtbot, fill)
    dialog = page.add_session()
    assert dialog is not None and dialog.saved is not None and dialog.clashes
    table = page.detail.sessions_table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(5)] == ["2026-04-15", "10:00–12:00", "龙潭镇会议室", "2",
                                                          "王建国"]
    assert table.item(0, 0).foreground().color().name() == "#c62828"
    assert page.detail.clash_label.isVisibleTo(page) and "王建国" in page.detail.clash_label.text()
    assert page.model.item(titles(page).index("村站点管理员岗前培训"), COL_SESSIONS).text() == "1"
    assert page.detail.selected_session_id() == dialog.saved.id and page.detail.edit_session_button.isEnabled()

    # moving it to the afternoon clears the clash
    page.run_dialog = driver(qtbot, lambda d: d.set_times(dt.time(14), dt.time(16)))  # type: ignore[attr-defined]
    page.edit_session()
    assert table.item(0, 1).text() == "14:00–16:00"
    assert not page.detail.clash_label.isVisibleTo(page)


def test_a_session_is_deleted_after_confirming(qtbot: QtBot, ctx: AppContext) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    session_id = add_session(ctx, plan, dt.time(9), dt.time(11))
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    page.detail.select_session(session_id)
    page.confirm = lambda *_args: False
    assert page.delete_session() is False and page.detail.sessions_table.rowCount() == 1
    page.confirm = lambda *_args: True
    assert page.delete_session() is True
    assert page.detail.sessions_table.rowCount() == 0
    with ctx.session() as s:
        assert training_plans.list_sessions(s, plan) == []


def test_a_plan_is_deleted_only_after_confirming(qtbot: QtBot, ctx: AppContext) -> None:
    plan = add_plan(ctx, "要删除的培训")
    add_session(ctx, plan, dt.time(9), dt.time(11))
    keep = add_plan(ctx, "保留的培训")
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    questions: list[str] = []

    def no(_parent: object, _title: str, text: str) -> bool:
        questions.append(text)
        return False

    page.confirm = no
    assert page.delete_plan() is False
    assert "要删除的培训" in questions[0] and len(titles(page)) == 2

    page.confirm = lambda *_args: True
    assert page.delete_plan() is True
    assert titles(page) == ["保留的培训"] and page.current_plan() is None
    with ctx.session() as s:
        assert [p.id for p in training_plans.list_plans(s)] == [keep]


def test_the_page_refreshes_when_training_changes_elsewhere(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    assert titles(page) == []
    plan = add_plan(ctx, "县级辅导员培训")
    assert titles(page) == []  # nobody said anything yet
    ctx.notify("certificates")
    assert titles(page) == []
    ctx.notify("training")
    assert titles(page) == ["县级辅导员培训"]
    page.select_plan(plan)
    add_session(ctx, plan, dt.time(9), dt.time(11))
    ctx.notify("training")
    assert page.detail.sessions_table.rowCount() == 1  # the plan shown stays shown, with its new session
    assert page.current_plan() is not None and page.current_plan().id == plan


def test_a_hidden_page_refreshes_when_shown_again(qtbot: QtBot, ctx: AppContext) -> None:
    page = make_page(qtbot, ctx)
    page.hide()
    add_plan(ctx, "县级辅导员培训")
    ctx.notify("training")
    assert titles(page) == []
    page.show()
    assert titles(page) == ["县级辅导员培训"]


def test_double_clicking_a_calendar_entry_opens_its_plan(qtbot: QtBot, ctx: AppContext) -> None:
    add_plan(ctx, "甲培训")
    plan = add_plan(ctx, "乙培训", year=2025)
    add_session(ctx, plan, dt.time(9), dt.time(11), day=dt.date(2025, 6, 4))
    page = make_page(qtbot, ctx)
    page.year_combo.setCurrentIndex(page.year_combo.findData(2026))  # the filter hides the plan
    page.tabs.setCurrentIndex(TAB_CALENDAR)
    page.calendar.go_to(dt.date(2025, 6, 4))
    cell = page.calendar.cell_for(dt.date(2025, 6, 4))
    assert cell is not None and cell.texts() == ["09:00 乙培训"]
    cell.entries.itemDoubleClicked.emit(cell.entries.item(0))
    assert page.tabs.currentIndex() == TAB_PLANS
    assert page.current_plan() is not None and page.current_plan().id == plan
    assert "乙培训" in titles(page)


def test_the_calendar_tab_follows_changes_made_while_it_is_hidden_or_shown(qtbot: QtBot, ctx: AppContext) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_CALENDAR)
    page.calendar.go_to(DAY)
    assert page.calendar.entries_on(DAY) == []
    add_session(ctx, plan, dt.time(9), dt.time(11))
    ctx.notify("training")
    assert page.calendar.entries_on(DAY) == ["09:00 村站点管理员岗前培训"]

    page.tabs.setCurrentIndex(TAB_PLANS)
    add_session(ctx, plan, dt.time(14), dt.time(16))
    ctx.notify("training")
    page.tabs.setCurrentIndex(TAB_CALENDAR)
    assert page.calendar.entries_on(DAY) == ["09:00 村站点管理员岗前培训", "14:00 村站点管理员岗前培训"]


def test_sign_in_sheets_and_the_roster_are_printed_to_the_chosen_file(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    add_session(ctx, plan, dt.time(9), dt.time(11))
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    page.choose_save_path = lambda *_args: None  # cancelled: nothing happens
    assert page.print_sign_in_sheets() is None

    suggested: list[str] = []

    def choose(_parent: object, _title: str, name: str) -> str:
        suggested.append(name)
        return str(tmp_path / "sheets")

    page.choose_save_path = choose
    page.print_sign_in_sheets()
    target = tmp_path / "sheets.pdf"
    assert target.read_bytes().startswith(b"%PDF"), page.message.text()
    assert "村站点管理员岗前培训" in suggested[0] and suggested[0].endswith(".pdf")
    assert str(target) in page.message.text()

    page.choose_save_path = lambda *_args: str(tmp_path / "roster.pdf")
    page.print_roster()
    assert (tmp_path / "roster.pdf").read_bytes().startswith(b"%PDF"), page.message.text()


def test_a_print_that_cannot_be_written_says_so(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    add_session(ctx, plan, dt.time(9), dt.time(11))
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    page.choose_save_path = lambda *_args: str(tmp_path / "no such folder" / "x.pdf")
    page.print_sign_in_sheets()
    assert page.last_printed is None
    assert "没有打印" in page.message.text() and "无法写入" in page.message.text(), page.message.text()


needs_enrolment = pytest.mark.skipif(enrolment_widget("EnrolDialog") is None,
                                     reason="ui/enrolment is not in this build yet")


@needs_enrolment
def test_enrol_and_attendance_open_the_enrolment_dialogs_for_the_plan(qtbot: QtBot, ctx: AppContext) -> None:
    plan = add_plan(ctx, "村站点管理员岗前培训")
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    opened: list[QDialog] = []

    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        opened.append(dialog)
        return QDialog.DialogCode.Rejected

    page.run_dialog = run
    enrol = page.enrol()
    grid = page.attendance()
    assert [type(d).__name__ for d in opened] == ["EnrolDialog", "AttendanceGridDialog"]
    assert enrol is opened[0] and grid is opened[1]
    assert [d.plan_id for d in opened] == [plan, plan]  # type: ignore[attr-defined]


@needs_enrolment
def test_enrolling_updates_the_enrolled_count(qtbot: QtBot, ctx: AppContext) -> None:
    from remoteedu_desktop.services import people, training_enrolment
    from remoteedu_desktop.services.id_number import check_digit

    plan = add_plan(ctx, "村站点管理员岗前培训")
    page = make_page(qtbot, ctx)
    page.select_plan(plan)
    first17 = "36049919800517011"
    with ctx.session() as s:
        person = people.add_person(s, people.PersonInput(name="张三", id_number=first17 + check_digit(first17))).id
        training_enrolment.enrol(s, plan, [person])
    ctx.notify("training")  # what EnrolDialog announces after saving
    row = titles(page).index("村站点管理员岗前培训")
    assert page.model.item(row, COL_ENROLLED).text() == "1"
    assert page.detail.facts["people"].text() == "1 人"


@needs_enrolment
def test_the_coverage_tab_shows_the_unit_chosen_in_the_tree(qtbot: QtBot, ctx: AppContext) -> None:
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
    page = make_page(qtbot, ctx)
    page.select_unit(township)
    assert page.coverage is None  # made when first shown
    page.tabs.setCurrentIndex(TAB_COVERAGE)
    assert page.coverage is not None and type(page.coverage).__name__ == "CoverageView"
    page.select_unit(None)  # forwarded without error
    page.select_unit(township)
