"""The attendance & assessment grid (R8): the keyboard (space toggles, arrows move, a typed score +
Enter moves down), the result derived from the pass mark, one save of exactly what changed, a refused
save that writes nothing, and the question on closing with unsaved changes. Real database, Chinese UI."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from remoteedu_desktop.data.models import AuditLog, Enrolment
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
from remoteedu_desktop.services.training_grid import GridChanges, GridData
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.enrolment import AttendanceGridDialog
from remoteedu_desktop.ui.enrolment.grid_model import FIRST_SESSION

TODAY = dt.date(2026, 6, 30)
#: Surnames in the order of their pinyin initials, so that the grid's order (unit, then initials) is known.
SURNAMES = "安白陈邓范高何金孔刘马宁欧潘秦任孙唐王徐"


@dataclass
class Training:
    plan: str
    sessions: list[str]
    people: list[str]  # person ids in the grid's order


def make_training(ctx: AppContext, count: int = 4, sessions: int = 3, *, pass_mark: float = 60.0) -> Training:
    """A pre-job training of 龙潭镇 (pass mark 60) with *sessions* sessions of 3 hours and *count* (up to 20)
    village site managers enrolled: 安明 and 白明 at 第01村 (posts A and B), 陈明 and 邓明 at 第02村…"""
    seqs = itertools.count(1)
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        villages = [units.add_unit(s, kind="village", name=f"第{n:02d}村", parent_id=township,
                                   code=f"3604991002{n:02d}").id for n in range(1, 11)]
        plan = training_plans.add_plan(s, training_plans.PlanInput(
            title="2026年村级站点管理员岗前培训", year=2026, organizer_level="township", target_role="village_manager",
            target_level="village", topics=("1", "2", "5"), kind="pre_job", mode="mixed", planned_hours=12.0,
            pass_mark=pass_mark, organizer_unit_id=township)).id
        session_ids = [training_plans.add_session(s, plan, training_plans.SessionInput(
            date=dt.date(2026, 5, 10 + n), hours=3.0, start_time=dt.time(9, 0), end_time=dt.time(12, 0),
            place="镇党校")).id for n in range(sessions)]
    ids = []
    for n in range(count):
        name = SURNAMES[n] + "明"
        first17 = f"36049919800517{next(seqs) * 2 + 1:03d}"
        with ctx.session() as s:
            person = people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17)),
                                       today=TODAY)
            village = villages[(n // 2) % len(villages)]
            posts.assign_post(s, person_id=person.id, unit_id=village, role="village_manager", slot="AB"[n % 2],
                              start_date=dt.date(2024, 3, 1), today=TODAY)
        ids.append(person.id)
    with ctx.session() as s:
        training_enrolment.enrol(s, plan, ids)
        order = [p.person_id for p in training_grid.load_grid(s, plan).people]
    assert order == ids  # the grid's order: by unit, then name
    return Training(plan, session_ids, order)


@pytest.fixture
def training(ctx: AppContext) -> Training:
    return make_training(ctx)


class Answer:
    """The injected Save / Discard / Cancel question."""

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str) -> str:
        self.asked.append(text)
        return self.answer


def open_grid(qtbot: QtBot, ctx: AppContext, plan: str, ask: Answer | None = None) -> AttendanceGridDialog:
    dialog = AttendanceGridDialog(ctx, plan, ask=ask or Answer("cancel"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def loaded(ctx: AppContext, plan: str) -> GridData:
    """The grid as stored, read in a new session."""
    with ctx.session() as s:
        return training_grid.load_grid(s, plan)


def go(dialog: AttendanceGridDialog, row: int, column: int) -> None:
    dialog.view.setCurrentIndex(dialog.model.index(row, column))


def type_number(qtbot: QtBot, dialog: AttendanceGridDialog, text: str, enter: bool = True) -> None:
    """Type into the current cell as a clerk does: the first key opens the editor on the view, the rest go
    to the editor, Enter commits."""
    view = dialog.view
    qtbot.keyClick(view, text[0])
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QLineEdit), "typing a digit starts editing"
    if text[1:]:
        qtbot.keyClicks(editor, text[1:])
    if enter:
        qtbot.keyClick(editor, Qt.Key.Key_Return)


def cell(dialog: AttendanceGridDialog, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    return dialog.model.index(row, column).data(role)


def test_the_grid_shows_people_sessions_and_what_is_recorded(qtbot: QtBot, ctx: AppContext,
                                                               training: Training) -> None:
    with ctx.session() as s:
        training_grid.save_grid(s, training.plan, GridChanges(
            present={(training.people[0], training.sessions[1]): True}, self_study={training.people[1]: 2.5},
            scores={training.people[0]: 75.0}))
    dialog = open_grid(qtbot, ctx, training.plan)
    m = dialog.model
    assert dialog.windowTitle() == "考勤与考核：2026年村级站点管理员岗前培训[*]"
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["姓名", "单位", "05-10 09:00\n3学时", "05-11 09:00\n3学时", "05-12 09:00\n3学时", "自学学时",
                       "成绩", "结果"]
    assert [cell(dialog, 0, c) for c in range(m.columnCount())] == [
        "安明", "龙潭镇 / 第01村", "", "✓", "", "", "75", "合格"]
    assert [cell(dialog, 1, c) for c in range(m.columnCount())] == [
        "白明", "龙潭镇 / 第01村", "", "", "", "2.5", "", "未考核"]
    assert not dialog.is_dirty() and not dialog.save_button.isEnabled()
    assert dialog.summary.text().splitlines() == [
        "共 4 人 · 合格 1，不合格 0，未考核 3 · 学时：集中授课 3，自学 2.5，合计 5.5",
        "到课人数：05-10 09:00：0，05-11 09:00：1，05-12 09:00：0"]


def test_space_toggles_the_current_cell_and_arrows_move(qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    view, m = dialog.view, dialog.model
    assert view.currentIndex().row() == 0 and view.currentIndex().column() == FIRST_SESSION
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert m.is_present(0, FIRST_SESSION) and cell(dialog, 0, FIRST_SESSION) == "✓"
    assert cell(dialog, 0, FIRST_SESSION, Qt.ItemDataRole.BackgroundRole) is not None  # highlighted until saved
    assert dialog.is_dirty() and dialog.save_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, FIRST_SESSION + 1)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert m.is_present(1, FIRST_SESSION + 1)
    assert dialog.summary.text().startswith("共 4 人 · 合格 0，不合格 0，未考核 4 · 学时：集中授课 6，")
    # Toggled back: no longer a change, no highlight.
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not m.is_present(1, FIRST_SESSION + 1)
    assert cell(dialog, 1, FIRST_SESSION + 1, Qt.ItemDataRole.BackgroundRole) is None
    go(dialog, 0, FIRST_SESSION)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not dialog.is_dirty()


def test_space_on_several_cells_sets_them_all_to_the_same_state(qtbot: QtBot, ctx: AppContext,
                                                                  training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    view, m = dialog.view, dialog.model
    m.set_present([(0, FIRST_SESSION)], True)  # a mixed column: the first present, the rest not
    go(dialog, 1, FIRST_SESSION)
    selection = QItemSelection(m.index(0, FIRST_SESSION), m.index(3, FIRST_SESSION + 1))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # the current cell was absent: all present
    assert all(m.is_present(r, c) for r in range(4) for c in (FIRST_SESSION, FIRST_SESSION + 1))
    assert not any(m.is_present(r, FIRST_SESSION + 2) for r in range(4))
    qtbot.keyClick(view, Qt.Key.Key_Space)  # now present: all absent
    assert not any(m.is_present(r, c) for r in range(4) for c in range(FIRST_SESSION, FIRST_SESSION + 3))


def test_scores_are_typed_one_after_another_and_the_result_follows_the_pass_mark(
        qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    view, m = dialog.view, dialog.model
    go(dialog, 0, m.col_score)
    type_number(qtbot, dialog, "85")
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, m.col_score)  # Enter moved down
    type_number(qtbot, dialog, "59.5")
    type_number(qtbot, dialog, "60")
    assert view.currentIndex().row() == 3
    assert [cell(dialog, r, m.col_score) for r in range(4)] == ["85", "59.5", "60", ""]
    assert [cell(dialog, r, m.col_result) for r in range(4)] == ["合格", "不合格", "合格", "未考核"]
    assert cell(dialog, 1, m.col_result, Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    # Letters do not open an editor in a number column; the result updates as a score is corrected.
    qtbot.keyClick(view, "x")
    assert view.indexWidget(view.currentIndex()) is None
    go(dialog, 1, m.col_score)
    type_number(qtbot, dialog, "70")
    assert cell(dialog, 1, m.col_result) == "合格"
    # Self-study hours are typed the same way; Delete clears a score back to "not assessed".
    go(dialog, 0, m.col_self_study)
    type_number(qtbot, dialog, "4")
    assert m.self_study[training.people[0]] == 4.0
    go(dialog, 2, m.col_score)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert cell(dialog, 2, m.col_result) == "未考核"
    assert dialog.summary.text().startswith("共 4 人 · 合格 2，不合格 0，未考核 2 · 学时：集中授课 0，自学 4，合计 4")


def test_a_whole_column_and_everyone_are_marked_present(qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    m = dialog.model
    header = dialog.view.horizontalHeader()
    header.sectionDoubleClicked.emit(FIRST_SESSION + 1)
    assert [m.is_present(r, FIRST_SESSION + 1) for r in range(4)] == [True] * 4
    assert not any(m.is_present(r, FIRST_SESSION) for r in range(4))
    menu = dialog.header_menu(FIRST_SESSION + 1)
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["05-11 09:00 全部到课", "05-11 09:00 全部未到"]
    menu.actions()[1].trigger()
    assert not any(m.is_present(r, FIRST_SESSION + 1) for r in range(4))
    assert dialog.header_menu(m.col_score) is None  # only sessions have it
    dialog.all_present_button.click()
    assert all(m.is_present(r, c) for r in range(4) for c in range(FIRST_SESSION, m.col_self_study))
    assert dialog.summary.text().splitlines()[1] == "到课人数：05-10 09:00：4，05-11 09:00：4，05-12 09:00：4"


def test_save_writes_exactly_the_changed_cells_in_one_step(qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    p, s_ = training.people, training.sessions
    with ctx.session() as s:  # already recorded: 安 present at sessions 1 and 2 with 80, 白 present at 1
        training_grid.save_grid(s, training.plan, GridChanges(
            present={(p[0], s_[0]): True, (p[0], s_[1]): True, (p[1], s_[0]): True}, self_study={},
            scores={p[0]: 80.0}, assessed_on=dt.date(2026, 5, 12)))
        assessed = training_grid.load_grid(s, training.plan).assessed_on
        versions = dict(s.execute(select(Enrolment.person_id, Enrolment.row_version)
                                  .where(Enrolment.plan_id == training.plan)).tuples().all())
        audit_before = s.scalar(select(func.count()).select_from(AuditLog))
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog = open_grid(qtbot, ctx, training.plan)
    m = dialog.model
    assert dialog.assessment_date() == assessed == dt.date(2026, 5, 12)
    go(dialog, 1, FIRST_SESSION)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # 白 absent at session 1 after all
    go(dialog, 2, FIRST_SESSION + 2)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # 陈 present at session 3
    go(dialog, 2, m.col_score)
    type_number(qtbot, dialog, "45")  # 陈 scored 45
    go(dialog, 3, m.col_self_study)
    type_number(qtbot, dialog, "6")  # 邓 6 hours of self-study
    go(dialog, 0, FIRST_SESSION)  # 安: toggled twice, so unchanged
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    assert m.changes() == GridChanges(present={(p[1], s_[0]): False, (p[2], s_[2]): True},
                                      self_study={p[3]: 6.0}, scores={p[2]: 45.0})
    summary = dialog.save()
    assert summary is not None
    assert (summary.attendance_written, summary.enrolments_written) == (2, 2)
    assert (summary.passed, summary.failed, summary.not_assessed) == (1, 1, 2)
    assert areas == ["training"]
    assert not dialog.is_dirty() and not dialog.save_button.isEnabled()
    assert cell(dialog, 2, m.col_score, Qt.ItemDataRole.BackgroundRole) is None  # highlights gone
    assert dialog.error.text() == "已保存：写入考勤记录 2 条、报名记录 2 条。"

    stored = loaded(ctx, training.plan)
    assert stored.present == {(p[0], s_[0]), (p[0], s_[1]), (p[2], s_[2])}
    assert dict(stored.scores) == {p[0]: 80.0, p[1]: None, p[2]: 45.0, p[3]: None}
    assert dict(stored.self_study) == {p[0]: 0.0, p[1]: 0.0, p[2]: 0.0, p[3]: 6.0}
    with ctx.session() as s:
        after = dict(s.execute(select(Enrolment.person_id, Enrolment.row_version)
                               .where(Enrolment.plan_id == training.plan)).tuples().all())
        audit_after = s.scalar(select(func.count()).select_from(AuditLog))
    # Only 陈 and 邓 were rewritten: 安 and 白 keep their row versions.
    assert {pid: after[pid] - versions[pid] for pid in p} == {p[0]: 0, p[1]: 0, p[2]: 1, p[3]: 1}
    assert audit_after is not None and audit_before is not None and audit_after > audit_before


def test_a_bad_score_is_shown_and_nothing_is_written(qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    m = dialog.model
    before = loaded(ctx, training.plan)
    go(dialog, 0, FIRST_SESSION)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)  # a good change in the same save
    go(dialog, 1, m.col_score)
    type_number(qtbot, dialog, "120")
    assert cell(dialog, 1, m.col_score, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffd6d6"
    assert cell(dialog, 1, m.col_score, Qt.ItemDataRole.ToolTipRole) == "成绩应在 0 到 100 之间"
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    go(dialog, 3, 0)
    assert dialog.save() is None
    assert dialog.error.isVisible()
    assert dialog.error.text() == "【成绩】白明：120 超出 0–100（规则 R8）"
    assert (dialog.view.currentIndex().row(), dialog.view.currentIndex().column()) == (1, m.col_score)
    assert areas == []
    after = loaded(ctx, training.plan)
    assert (after.present, dict(after.scores)) == (before.present, dict(before.scores))
    assert dialog.is_dirty()  # the edits stay on screen to be corrected
    type_number(qtbot, dialog, "100")
    assert not dialog.error.isVisible()
    assert dialog.save() is not None
    assert loaded(ctx, training.plan).scores[training.people[1]] == 100.0


def test_closing_with_unsaved_changes_asks_save_discard_or_cancel(qtbot: QtBot, ctx: AppContext,
                                                                   training: Training) -> None:
    # Nothing changed: closes without a question.
    ask = Answer("cancel")
    dialog = open_grid(qtbot, ctx, training.plan, ask)
    dialog.reject()
    assert ask.asked == [] and not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected

    # Cancel: stays open with the edit.
    ask = Answer("cancel")
    dialog = open_grid(qtbot, ctx, training.plan, ask)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    dialog.close()
    assert ask.asked == ["表格中有未保存的修改。关闭前是否保存？"]
    assert dialog.isVisible() and dialog.is_dirty()

    # Discard: closes, nothing written.
    dialog.ask_unsaved = Answer("discard")
    dialog.reject()
    assert not dialog.isVisible()
    assert loaded(ctx, training.plan).present == frozenset()

    # Save: writes, then closes accepted.
    dialog = open_grid(qtbot, ctx, training.plan, Answer("save"))
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert loaded(ctx, training.plan).present == {(training.people[0], training.sessions[0])}

    # Save refused: the message shows and the dialog stays open.
    dialog = open_grid(qtbot, ctx, training.plan, Answer("save"))
    go(dialog, 0, dialog.model.col_self_study)
    type_number(qtbot, dialog, "900")
    dialog.reject()
    assert dialog.isVisible() and "自学学时" in dialog.error.text()


def test_a_new_assessment_date_goes_with_the_scores(qtbot: QtBot, ctx: AppContext, training: Training) -> None:
    dialog = open_grid(qtbot, ctx, training.plan)
    m = dialog.model
    dialog.assessed_on.setDate(dialog.assessed_on.date().addDays(-3))
    assert not dialog.is_dirty()  # no score yet: the date alone changes nothing
    go(dialog, 0, m.col_score)
    type_number(qtbot, dialog, "90")
    day = dialog.assessment_date()
    assert dialog.save() is not None
    assert loaded(ctx, training.plan).assessed_on == day
    dialog.assessed_on.setDate(dialog.assessed_on.date().addDays(1))
    assert dialog.is_dirty()
    dialog.save()
    assert loaded(ctx, training.plan).assessed_on == day + dt.timedelta(days=1)


def test_screenshot_of_the_grid(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    training = make_training(ctx, count=20, sessions=4)
    p = training.people
    with ctx.session() as s:
        training_grid.save_grid(s, training.plan, GridChanges(
            present={(pid, sid): True for n, pid in enumerate(p) for k, sid in enumerate(training.sessions)
                     if (n + k) % 5},
            self_study={pid: 2.0 for pid in p[::3]}, scores={pid: float(55 + (n * 7) % 45) for n, pid in enumerate(p[:14])},
            assessed_on=dt.date(2026, 5, 14)))
    dialog = open_grid(qtbot, ctx, training.plan)
    go(dialog, 14, dialog.model.col_score)
    type_number(qtbot, dialog, "88")
    go(dialog, 3, FIRST_SESSION)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Space)
    dialog.resize(1240, 720)
    qtbot.wait(10)
    assert dialog.grab().save(str(tmp_path / "attendance_grid.png"))
