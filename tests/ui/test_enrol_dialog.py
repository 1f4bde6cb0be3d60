"""The enrolment dialog (R6, R8, R11): enrol by filter in one step, single adds, removals that ask, twice
when records would go. Real database, real widgets, the UI in Chinese."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.models import Attendance, Certificate, Enrolment, Person
from remoteedu_desktop.services import (
    offices,
    people,
    posts,
    training_enrolment,
    training_grid,
    training_plans,
    units,
)
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.training_grid import GridChanges
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.enrolment import EnrolDialog
from remoteedu_desktop.ui.enrolment.common import MUTED_COLOUR
from remoteedu_desktop.ui.enrolment.enrol_dialog import C_NAME, C_STATUS

TODAY = dt.date(2026, 6, 30)
START = dt.date(2024, 3, 1)


@dataclass
class Org:
    township: str
    yang: str
    li: str
    ids: dict[str, str]  # name → person id


@pytest.fixture
def org(ctx: AppContext) -> Org:
    """龙潭镇 with 杨家村 and 李家村 (posts A and B each), a township manager and a technician;
    杨一 holds a valid on-duty certificate."""
    seqs = itertools.count(1)
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township, code="360499100201").id
        li = units.add_unit(s, kind="village", name="李家村", parent_id=township, code="360499100202").id
    ids: dict[str, str] = {}
    layout = [("杨一", yang, "village_manager", "A"), ("杨二", yang, "village_manager", "B"),
              ("李一", li, "village_manager", "A"), ("李二", li, "village_manager", "B"),
              ("镇管", township, "township_manager", None), ("技术", township, "technician", None)]
    for name, unit_id, role, slot in layout:
        first17 = f"36049919800517{next(seqs) * 2 + 1:03d}"
        with ctx.session() as s:
            person = people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17),
                                                             phone="13812345678"), today=TODAY)
            posts.assign_post(s, person_id=person.id, unit_id=unit_id, role=role, slot=slot, start_date=START,
                              today=TODAY)
        ids[name] = person.id
    with ctx.session() as s:
        s.add(Certificate(kind="on_duty", number="QS2025-001", person_id=ids["杨一"], issue_date=dt.date(2025, 1, 1),
                          status="valid"))
    return Org(township, yang, li, ids)


def add_plan(ctx: AppContext, org: Org) -> str:
    with ctx.session() as s:
        return training_plans.add_plan(s, training_plans.PlanInput(
            title="2026年村级站点管理员岗前培训", year=2026, organizer_level="township", target_role="village_manager",
            target_level="village", topics=("1", "2"), kind="pre_job", mode="lecture",
            organizer_unit_id=org.township)).id


class Asker:
    """An injected confirmation: records each question and gives the prepared answers in turn."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.questions: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str) -> bool:
        self.questions.append(text)
        return self.answers.pop(0)


def open_dialog(qtbot: QtBot, ctx: AppContext, plan_id: str, confirm: Asker | None = None) -> EnrolDialog:
    dialog = EnrolDialog(ctx, plan_id, confirm=confirm or Asker())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def roster_names(dialog: EnrolDialog) -> list[str]:
    return [dialog.roster_table.item(r, 0).text() for r in range(dialog.roster_table.rowCount())]


def enrolled_in_db(ctx: AppContext, plan_id: str) -> set[str]:
    with ctx.session() as s:
        return set(s.scalars(select(Enrolment.person_id).where(Enrolment.plan_id == plan_id,
                                                               Enrolment.deleted.is_(False))))


def test_enrol_by_filter_in_one_step_then_reopening_shows_the_roster(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog = open_dialog(qtbot, ctx, plan)
    assert dialog.windowTitle() == "培训报名：2026年村级站点管理员岗前培训"
    assert dialog.role_combo.currentText() == "村站点管理员"  # the plan's target role is proposed (R6)
    assert dialog.unit_combo.itemText(0) == "全辖区（龙潭镇）"
    assert [dialog.unit_combo.itemText(i) for i in range(1, dialog.unit_combo.count())] == [
        "龙潭镇 / 杨家村", "龙潭镇 / 李家村"]
    assert roster_names(dialog) == [] and dialog.roster_box.title() == "已报名（0）"

    # "All village site managers of 龙潭镇 without an on-duty certificate" (R11): 杨一 holds one.
    dialog.set_filter(role="village_manager", unit_id=org.township, without_certificate=True)
    found = dialog.preview()
    assert [c.name for c in found] == ["李二", "李一", "杨二"]
    assert dialog.checked_ids() == [org.ids["李二"], org.ids["李一"], org.ids["杨二"]]  # all checked at first
    assert dialog.enrol_button.text() == "勾选人员全部报名（3）"
    dialog.set_checked(org.ids["李二"], False)
    result = dialog.enrol_checked()
    assert result is not None and (result.added, result.restored, result.already) == (2, 0, 0)
    assert dialog.message.text() == "新报名 2 人，恢复此前移出的 0 人，0 人原已报名。"
    assert areas == ["training"]
    assert enrolled_in_db(ctx, plan) == {org.ids["李一"], org.ids["杨二"]}
    dialog.close()

    again = open_dialog(qtbot, ctx, plan)
    assert roster_names(again) == ["李一", "杨二"]  # by unit, then name
    assert again.roster_box.title() == "已报名（2）"
    assert [again.roster_table.item(0, c).text() for c in range(again.roster_table.columnCount())] == [
        "李一", "男", "龙潭镇 / 李家村", "村站点管理员 A岗", "138****5678", ""]
    # Without the certificate condition the enrolled are listed greyed and cannot be checked.
    again.set_filter(role="village_manager", unit_id=org.township)
    again.preview()
    table = again.candidate_table
    states = {table.item(r, C_NAME).text(): table.item(r, C_STATUS).text() for r in range(table.rowCount())}
    assert states == {"李二": "未报名", "李一": "已报名", "杨二": "已报名", "杨一": "未报名"}
    grey = next(r for r in range(table.rowCount()) if table.item(r, C_NAME).text() == "李一")
    assert not table.item(grey, C_NAME).flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert table.item(grey, C_NAME).foreground().color().name() == MUTED_COLOUR
    assert again.checked_ids() == [org.ids["李二"], org.ids["杨一"]]
    result = again.enrol_checked()
    assert result is not None and (result.added, result.restored, result.already) == (2, 0, 2)
    assert roster_names(again) == ["李二", "李一", "杨二", "杨一"]
    assert again.checked_ids() == []  # the preview now shows everyone enrolled
    assert not again.enrol_button.isEnabled()


def test_the_unit_and_role_filters_and_never_passed_pre_job(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    dialog = open_dialog(qtbot, ctx, plan)
    dialog.set_filter(unit_id=org.yang)
    assert [c.name for c in dialog.preview()] == ["杨二", "杨一"]
    dialog.set_filter(role="technician")
    assert [(c.name, c.unit, c.post) for c in dialog.preview()] == [("技术", "龙潭镇", "技术服务员")]
    assert dialog.checked_ids() == [org.ids["技术"]]
    dialog.check_none_button.click()
    assert dialog.checked_ids() == [] and not dialog.enrol_button.isEnabled()
    dialog.check_all_button.click()
    assert dialog.checked_ids() == [org.ids["技术"]] and dialog.enrol_button.isEnabled()
    # Once previewed, the list follows the filter as it is changed.
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("township_manager"))
    assert [c.name for c in dialog.candidates] == ["镇管"]
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(org.li))
    assert dialog.candidates == [] and dialog.preview_note.text() == "没有符合条件的人员。"
    # 杨一 passes a pre-job training: "never passed pre-job training" leaves him out.
    with ctx.session() as s:
        training_enrolment.enrol(s, plan, [org.ids["杨一"]])
        training_grid.save_grid(s, plan, GridChanges(present={}, self_study={}, scores={org.ids["杨一"]: 88.0}))
    dialog.set_filter(role="village_manager", without_pre_job=True)
    assert [c.name for c in dialog.preview()] == ["李二", "李一", "杨二"]


def test_removing_asks_and_a_person_with_records_asks_a_second_time(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    with ctx.session() as s:
        session_id = training_plans.add_session(s, plan, training_plans.SessionInput(date=dt.date(2026, 5, 10),
                                                                                     hours=3.0)).id
    dialog = open_dialog(qtbot, ctx, plan)
    dialog.set_filter(role="village_manager", unit_id=org.township)
    dialog.preview()
    dialog.enrol_checked()
    with ctx.session() as s:  # 杨一 was present at the session (R8)
        training_grid.save_grid(s, plan, GridChanges(present={(org.ids["杨一"], session_id): True}, self_study={},
                                                     scores={}))
    dialog.reload_roster()
    assert [dialog.roster_table.item(r, 5).text() for r in range(4)] == ["", "", "", "有记录"]

    # Declined at the first question: nothing happens.
    dialog.confirm = asker = Asker(False)
    dialog.select_roster([org.ids["李一"]])
    assert dialog.remove_selected() == 0
    assert asker.questions == ["将 李一 移出“2026年村级站点管理员岗前培训”？"]
    assert len(enrolled_in_db(ctx, plan)) == 4

    # Without records: one question, then gone.
    dialog.confirm = asker = Asker(True)
    dialog.select_roster([org.ids["李一"]])
    assert dialog.remove_selected() == 1
    assert len(asker.questions) == 1
    assert roster_names(dialog) == ["李二", "杨二", "杨一"]

    # With records: a second, explicit question naming the person; declining it removes nobody.
    dialog.confirm = asker = Asker(True, False)
    dialog.select_roster([org.ids["杨一"], org.ids["杨二"]])
    assert dialog.remove_selected() == 0
    assert asker.questions[0] == "将 杨二、杨一 移出“2026年村级站点管理员岗前培训”？"
    assert asker.questions[1].startswith("杨一 在本培训中已有考勤、自学学时或成绩记录。")
    assert "杨二" not in asker.questions[1]
    assert dialog.message.text() == "未移出任何人员。"
    assert roster_names(dialog) == ["李二", "杨二", "杨一"]

    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog.confirm = asker = Asker(True, True)
    dialog.select_roster([org.ids["杨一"], org.ids["杨二"]])
    assert dialog.remove_selected() == 2
    assert len(asker.questions) == 2 and areas == ["training"]
    assert roster_names(dialog) == ["李二"]
    with ctx.session() as s:  # the records went with the enrolment (drop_records=True)
        kept = s.scalars(select(Attendance.deleted).where(Attendance.person_id == org.ids["杨一"])).all()
    assert kept == [True]


def test_a_removed_person_enrolled_again_is_restored(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    dialog = open_dialog(qtbot, ctx, plan, Asker(True))
    dialog.set_filter(unit_id=org.yang)
    dialog.preview()
    dialog.enrol_checked()
    dialog.select_roster([org.ids["杨一"]])
    assert dialog.remove_selected() == 1
    assert dialog.message.text() == "已移出 1 人。"
    assert dialog.checked_ids() == [org.ids["杨一"]]  # the preview follows: he can be checked again
    result = dialog.enrol_checked()
    assert result is not None and (result.added, result.restored, result.already) == (0, 1, 1)
    assert dialog.message.text() == "新报名 0 人，恢复此前移出的 1 人，1 人原已报名。"


def test_a_single_person_is_added_by_name(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    dialog = open_dialog(qtbot, ctx, plan)
    assert not dialog.add_one_button.isEnabled()  # nobody picked yet
    dialog.picker.search.setText("技术")
    assert dialog.picker.person_id() == org.ids["技术"]
    assert dialog.add_one_button.isEnabled()
    result = dialog.enrol_picked()
    assert result is not None and result.added == 1
    assert dialog.message.text() == "技术 已报名。"
    assert roster_names(dialog) == ["技术"]
    dialog.enrol_picked()
    assert dialog.message.text() == "技术 已经报名。"
    assert enrolled_in_db(ctx, plan) == {org.ids["技术"]}


def test_a_person_who_left_is_refused_with_the_reason(qtbot: QtBot, ctx: AppContext, org: Org) -> None:
    plan = add_plan(ctx, org)
    dialog = open_dialog(qtbot, ctx, plan)
    dialog.set_filter(unit_id=org.li)
    dialog.preview()
    with ctx.session() as s:  # 李一 leaves while the preview is on screen
        person = s.get(Person, org.ids["李一"])
        assert person is not None
        person.left_on, person.left_reason = TODAY, "调离"
    assert dialog.enrol_checked() is None
    assert "李一已于 2026-06-30 离开队伍" in dialog.message.text()
    assert enrolled_in_db(ctx, plan) == set()  # nothing half-written: 李二 was not enrolled either


def test_screenshot_of_the_enrol_dialog(qtbot: QtBot, ctx: AppContext, org: Org, tmp_path: Path) -> None:
    plan = add_plan(ctx, org)
    dialog = open_dialog(qtbot, ctx, plan)
    dialog.set_filter(unit_id=org.yang)
    dialog.preview()
    dialog.enrol_checked()
    dialog.set_filter(role="village_manager", unit_id=org.township, without_certificate=True)
    dialog.preview()
    dialog.resize(1200, 720)
    qtbot.wait(10)
    assert dialog.grab().save(str(tmp_path / "enrol_dialog.png"))
