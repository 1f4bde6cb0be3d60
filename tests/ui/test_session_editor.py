"""The session editor (R8): hours follow the times until typed, the instructor is a tutor from the archive
or a named outsider, a refusal stays in red with nothing saved, and after a save that clashes (the same
instructor in two sessions at once) the clash is shown while the save stands."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import people, training_plans
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.training.session_editor import SessionEditorDialog

DAY = dt.date(2026, 4, 15)
_seq = itertools.count(31, 2)


def add_person(ctx: AppContext, name: str) -> str:
    first17 = f"36049919750911{next(_seq) % 1000:03d}"
    with ctx.session() as s:
        return people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17))).id


def add_plan(ctx: AppContext, title: str) -> str:
    with ctx.session() as s:
        return training_plans.add_plan(s, training_plans.PlanInput(
            title=title, year=2026, organizer_level="department", organizer_department="县委党校",
            target_role="county_tutor", target_level="county", topics=("1",), kind="regular",
            mode="lecture", start_date=DAY)).id


def sessions(ctx: AppContext, plan_id: str) -> list[training_plans.SessionInfo]:
    with ctx.session() as s:
        return training_plans.list_sessions(s, plan_id)


@pytest.fixture
def plan_id(ctx: AppContext) -> str:
    return add_plan(ctx, "辅导员培训")


def open_editor(qtbot: QtBot, ctx: AppContext, plan_id: str, session_id: str | None = None) -> SessionEditorDialog:
    dialog = SessionEditorDialog(ctx, plan_id, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_session_with_an_outside_instructor_is_saved_and_hours_follow_the_times(
        qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    dialog = open_editor(qtbot, ctx, plan_id)
    assert dialog.date_edit.date().toPython() == DAY  # a new session starts on the plan's first day
    dialog.set_times(dt.time(14, 0), dt.time(17, 0))
    assert dialog.hours_spin.value() == 3.0
    dialog.place_edit.setText("县委党校201教室")
    dialog.set_outsider("王建国")
    dialog.accept()

    assert dialog.errors_text() == "" and dialog.clashes == []
    assert dialog.result() == SessionEditorDialog.DialogCode.Accepted
    [info] = sessions(ctx, plan_id)
    assert (info.date, info.start_time, info.end_time, info.hours) == (DAY, dt.time(14), dt.time(17), 3.0)
    assert (info.place, info.instructor_person_id, info.instructor_name) == ("县委党校201教室", None, "王建国")


def test_hours_typed_by_the_clerk_are_kept_when_the_times_change(
        qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    dialog = open_editor(qtbot, ctx, plan_id)
    dialog.set_times(dt.time(9), dt.time(11, 30))
    assert dialog.hours_spin.value() == 2.5
    dialog.hours_spin.setValue(2)  # the plan counts two class hours
    dialog.set_times(dt.time(9), dt.time(12))
    assert dialog.hours_spin.value() == 2
    dialog.accept()
    assert [s.hours for s in sessions(ctx, plan_id)] == [2.0]


def test_a_tutor_from_the_archive_teaches_and_an_edit_keeps_them(
        qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    tutor = add_person(ctx, "李老师")
    dialog = open_editor(qtbot, ctx, plan_id)
    dialog.tutor_picker.search.setText("李老师")
    assert dialog.tutor_picker.person_id() == tutor  # the one match is taken
    dialog.tutor_radio.setChecked(True)
    dialog.accept()
    [info] = sessions(ctx, plan_id)
    assert (info.instructor_person_id, info.instructor_label) == (tutor, "李老师")

    edit = open_editor(qtbot, ctx, plan_id, info.id)
    assert edit.tutor_radio.isChecked() and edit.tutor_picker.person_id() == tutor
    edit.place_edit.setText("龙潭镇会议室")
    edit.accept()
    [again] = sessions(ctx, plan_id)
    assert (again.id, again.place, again.instructor_person_id) == (info.id, "龙潭镇会议室", tutor)


def test_a_tutor_chosen_without_a_person_is_refused_inline(qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    dialog = open_editor(qtbot, ctx, plan_id)
    dialog.tutor_radio.setChecked(True)
    dialog.accept()
    assert "授课" in dialog.errors_text()
    assert dialog.saved is None and sessions(ctx, plan_id) == []


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(
        qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    dialog = open_editor(qtbot, ctx, plan_id)
    dialog.set_times(dt.time(15), dt.time(9))
    dialog.hours_spin.setValue(2)
    dialog.accept()
    assert dialog.errors_text() != ""
    assert dialog.saved is None and dialog.isVisible()
    assert sessions(ctx, plan_id) == []


def test_an_instructor_in_two_sessions_at_once_is_shown_after_saving_and_the_save_stands(
        qtbot: QtBot, ctx: AppContext, plan_id: str) -> None:
    tutor = add_person(ctx, "赵辅导")
    other_plan = add_plan(ctx, "农业技术培训")
    with ctx.session() as s:
        training_plans.add_session(s, other_plan, training_plans.SessionInput(
            date=DAY, hours=3, start_time=dt.time(9), end_time=dt.time(12), instructor_person_id=tutor))

    dialog = open_editor(qtbot, ctx, plan_id)
    dialog.set_times(dt.time(10), dt.time(11, 30))
    dialog.set_tutor(tutor)
    dialog.accept()

    assert dialog.saved is not None and len(dialog.clashes) == 1
    assert dialog.isVisible()  # stays open to show the clash
    assert "赵辅导" in dialog.clash_text()
    assert dialog.clash_label.isVisibleTo(dialog)
    assert not dialog.date_edit.isEnabled()
    assert [s.id for s in sessions(ctx, plan_id)] == [dialog.saved.id]  # the save stands
    dialog.accept()  # "Close"
    assert dialog.result() == SessionEditorDialog.DialogCode.Accepted
    assert len(sessions(ctx, plan_id)) == 1  # closing did not save twice
