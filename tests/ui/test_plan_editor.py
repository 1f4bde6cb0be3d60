"""The plan editor (R6–R8): a plan typed into the editor is saved with every field; a refusal (no topic,
R7) stays in the dialog in red and writes nothing; R6 warnings appear while the clerk chooses who
organizes the training for whom. The UI is in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import offices, site_views, training_plans
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.training.plan_editor import PlanEditorDialog


@pytest.fixture
def units(ctx: AppContext) -> dict[str, str]:
    with ctx.session() as s:
        found = site_views.unit_choices(s, kinds=("county", "township"))
        township = offices.office_info(s).unit_id
    by_kind = {u.kind: u.id for u in found}
    assert by_kind["township"] == township
    return by_kind


def open_editor(qtbot: QtBot, ctx: AppContext, plan_id: str | None = None) -> PlanEditorDialog:
    dialog = PlanEditorDialog(ctx, plan_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def plans(ctx: AppContext) -> list[training_plans.PlanInfo]:
    with ctx.session() as s:
        return training_plans.list_plans(s)


def test_a_plan_typed_into_the_editor_is_saved_with_every_field_r6_r7_r8(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.title_edit.setText("2026年村站点管理员岗前培训")
    dialog.year_spin.setValue(2026)
    dialog.set_organizer("county", unit_id=units["county"])
    dialog.set_target("village_manager")
    assert dialog.target_level_combo.currentData() == "village"  # proposed from the role
    dialog.set_topics(["2", "5"])
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("pre_job"))
    dialog.mode_combo.setCurrentIndex(dialog.mode_combo.findData("mixed"))
    dialog.hours_spin.setValue(16)
    dialog.pass_spin.setValue(70)
    dialog.start_date.set_value(dt.date(2026, 3, 2))
    dialog.end_date.set_value(dt.date(2026, 3, 6))
    dialog.notes_edit.setPlainText("县委党校")
    assert dialog.warnings_text() == ""  # the county trains village site managers: as R6 wants
    dialog.accept()

    assert dialog.errors_text() == ""
    assert dialog.result() == PlanEditorDialog.DialogCode.Accepted
    [plan] = plans(ctx)
    assert dialog.saved is not None and dialog.saved.id == plan.id
    assert (plan.title, plan.year, plan.organizer_level, plan.organizer_unit_id) == (
        "2026年村站点管理员岗前培训", 2026, "county", units["county"])
    assert (plan.target_role, plan.target_level, plan.topics) == ("village_manager", "village", ("2", "5"))
    assert (plan.kind, plan.mode, plan.planned_hours, plan.pass_mark) == ("pre_job", "mixed", 16.0, 70.0)
    assert (plan.start_date, plan.end_date, plan.notes) == (dt.date(2026, 3, 2), dt.date(2026, 3, 6), "县委党校")
    assert plan.warnings == ()


def test_a_plan_without_a_topic_is_refused_in_red_and_nothing_is_saved_r7(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.title_edit.setText("没有内容的培训")
    dialog.set_organizer("county", unit_id=units["county"])
    dialog.set_target("village_manager")
    dialog.accept()

    assert dialog.saved is None
    assert dialog.isVisible() and dialog.result() != PlanEditorDialog.DialogCode.Accepted
    shown = dialog.errors_text()
    assert shown and ("培训内容" in shown or "R7" in shown), shown
    assert plans(ctx) == []
    # once a topic is ticked the same dialog saves
    dialog.set_topics(["1"])
    dialog.accept()
    assert dialog.saved is not None and len(plans(ctx)) == 1


def test_a_department_organizer_is_named_in_text(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.title_edit.setText("辅导员业务培训")
    dialog.set_organizer("department", department="县委党校")
    assert dialog.department_edit.isVisibleTo(dialog) and not dialog.organizer_unit_combo.isVisibleTo(dialog)
    dialog.set_target("county_tutor")
    dialog.set_topics(["4", "6"])
    dialog.accept()
    assert dialog.saved is not None
    assert (dialog.saved.organizer_level, dialog.saved.organizer_unit_id, dialog.saved.organizer_department) == (
        "department", None, "县委党校")


def test_r6_warning_appears_live_for_a_township_training_its_own_managers(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.set_organizer("township", unit_id=units["township"])
    dialog.set_target("village_manager")
    assert dialog.warnings_text() == ""  # the township trains its village site managers (R6)
    assert not dialog.warning_label.isVisibleTo(dialog)

    dialog.set_target("township_manager")  # township managers are the county's to train (R6)
    assert "R6" in dialog.warnings_text()
    assert dialog.warning_label.isVisibleTo(dialog)

    dialog.set_organizer("county", unit_id=units["county"])
    assert dialog.warnings_text() == ""
    assert not dialog.warning_label.isVisibleTo(dialog)


def test_a_warned_plan_still_saves_and_keeps_its_warning_r6(
        qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    dialog = open_editor(qtbot, ctx)
    dialog.title_edit.setText("乡镇管理员培训")
    dialog.set_organizer("township", unit_id=units["township"])
    dialog.set_target("township_manager")
    dialog.set_topics(["1"])
    dialog.accept()
    assert dialog.saved is not None
    assert [w.rule for w in dialog.saved.warnings] == ["R6"]


def test_the_editor_loads_a_plan_and_saves_changes(qtbot: QtBot, ctx: AppContext, units: dict[str, str]) -> None:
    with ctx.session() as s:
        plan = training_plans.add_plan(s, training_plans.PlanInput(
            title="技术服务员培训", year=2026, organizer_level="telecom", target_role="technician",
            target_level="township", topics=("3", "5"), kind="regular", mode="lecture",
            organizer_department="中国电信青山分公司", planned_hours=4))
    dialog = open_editor(qtbot, ctx, plan.id)
    assert dialog.title_edit.text() == "技术服务员培训"
    assert dialog.organizer_combo.currentData() == "telecom"
    assert dialog.department_edit.text() == "中国电信青山分公司"
    assert [c for c, check in dialog.topic_checks.items() if check.isChecked()] == ["3", "5"]
    assert dialog.hours_spin.value() == 4
    dialog.title_edit.setText("技术服务员年度培训")
    dialog.set_topics(["3"])
    dialog.accept()
    [saved] = plans(ctx)
    assert (saved.id, saved.title, saved.topics) == (plan.id, "技术服务员年度培训", ("3",))
