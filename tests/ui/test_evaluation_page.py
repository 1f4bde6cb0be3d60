"""The yearly evaluation page (R14): opening a year's round, the rubric editor with its live weight check and
the question before recomputing, the keyboard score grid (automatic cells read-only, Enter down, Tab right,
Delete clears, over-maximum refused in red), one save then a reload showing the values, the results with the
unfit flag and texts, and a closed round read-only everywhere. Real database, Chinese UI."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import (
    evaluation_rounds,
    evaluation_rubrics,
    evaluation_scoring,
    offices,
    people,
    posts,
    units,
)
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.progress import run_to_end
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.evaluation import EvaluationPage
from remoteedu_desktop.ui.evaluation.grid_model import FIRST_ITEM, ScoreGridModel
from remoteedu_desktop.ui.evaluation.page import TAB_AWARDS, TAB_RESULTS, TAB_RUBRIC, TAB_SCORES
from remoteedu_desktop.ui.evaluation.results_view import R_RANK_COUNTY, R_TOTAL, R_UNFIT
from remoteedu_desktop.ui.evaluation.rubric_view import C_CODE, C_INDICATOR, C_KIND, C_MAX, C_TITLE, C_WEIGHT
from remoteedu_desktop.ui.worker import Job

TODAY = dt.date(2026, 6, 30)
YEAR = 2025
#: Site managers: the first two at 第01村, the others at 第02村.
NAMES = ("安明", "白明", "陈明", "邓明")
INVALID = "#ffd6d6"
AUTOMATIC = "#ececec"


@dataclass
class Evaluated:
    round_id: str
    villages: list[str]
    people: list[str]  # person ids, in NAMES order


@pytest.fixture(autouse=True)
def inline_jobs() -> object:
    Job.inline = True
    yield
    Job.inline = False


def make_people(ctx: AppContext) -> tuple[list[str], list[str]]:
    """Two villages of 龙潭镇 with two site managers each (posts A and B since 2024)."""
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        villages = [units.add_unit(s, kind="village", name=f"第{n:02d}村", parent_id=township,
                                   code=f"3604991002{n:02d}").id for n in (1, 2)]
    ids = []
    for n, name in enumerate(NAMES):
        first17 = f"36049919800517{n * 2 + 1:03d}"
        with ctx.session() as s:
            person = people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17)),
                                       today=TODAY)
            posts.assign_post(s, person_id=person.id, unit_id=villages[n // 2], role="village_manager",
                              slot="AB"[n % 2], start_date=dt.date(2024, 3, 1), today=TODAY)
        ids.append(person.id)
    return villages, ids


@pytest.fixture
def evaluated(ctx: AppContext) -> Evaluated:
    """The 2025 round opened and scored: four site managers with their automatic indicators filled."""
    villages, ids = make_people(ctx)
    with ctx.session() as s:
        info = evaluation_rounds.open_round(s, YEAR, today=TODAY)
        run_to_end(evaluation_scoring.score_year(s, YEAR, today=TODAY))
    return Evaluated(info.id, villages, ids)


class Answers:
    """An injected question: records what was asked and answers from a list (the last one repeats)."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str, *_rest: object) -> object:
        self.asked.append(text)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def open_page(qtbot: QtBot, ctx: AppContext, **hooks: object) -> EvaluationPage:
    page = EvaluationPage(ctx)
    page.today = TODAY
    page.confirm = hooks.pop("confirm", Answers(True))  # type: ignore[assignment]
    page.ask_unsaved = hooks.pop("ask_unsaved", Answers("cancel"))  # type: ignore[assignment]
    for name, fn in hooks.items():
        setattr(page, name, fn)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def shot(page: QWidget, tmp_path: Path, name: str) -> None:
    """A look at the page (kept under tmp_path only)."""
    assert page.grab().save(str(tmp_path / f"{name}.png"))


def grid_of(page: EvaluationPage) -> ScoreGridModel:
    model = page.score_tab.model
    assert model is not None
    return model


def column_of(model: ScoreGridModel, code: str) -> int:
    return next(FIRST_ITEM + n for n, item in enumerate(model.items) if item.code == code)


def row_of(page: EvaluationPage, name: str) -> int:
    return next(r for r, row in enumerate(grid_of(page).rows) if row.name == name)


def go(page: EvaluationPage, row: int, column: int) -> None:
    view = page.score_tab.view
    view.setFocus()
    view.setCurrentIndex(grid_of(page).index(row, column))


def type_points(qtbot: QtBot, page: EvaluationPage, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:
    """Type into the current cell as a clerk does: the first key opens the editor, the rest go to it, then
    *key* (Enter or Tab) commits and moves."""
    view = page.score_tab.view
    qtbot.keyClick(view, text[0])
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QLineEdit), "typing a digit starts editing"
    if text[1:]:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, key)


def position(page: EvaluationPage) -> tuple[int, int]:
    current = page.score_tab.view.currentIndex()
    return current.row(), current.column()


def stored_points(ctx: AppContext, round_id: str, target: str = "site_manager") -> dict[tuple[str, str], float | None]:
    """(person name, item code) → points, read back in a new session."""
    with ctx.session() as s:
        items, rows = evaluation_scoring.score_grid(s, round_id, target)
    return {(r.name, i.code): r.points[i.id] for r in rows for i in items}


def test_a_new_years_round_is_opened_from_the_page(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    make_people(ctx)
    ask_year = Answers(YEAR)
    page = open_page(qtbot, ctx, ask_year=ask_year)
    assert page.year_combo.count() == 0 and page.empty_label.isVisible() and not page.settings.isEnabled()
    assert not page.tabs.isTabEnabled(TAB_SCORES) and page.tabs.isTabEnabled(TAB_AWARDS)
    info = page.open_year()
    assert info is not None and info.year == YEAR
    assert ask_year.asked == ["考评年度"]
    assert page.year_combo.currentText() == "2025 · 2025年度远程教育考评（进行中）"
    assert not page.empty_label.isVisible() and page.settings.isEnabled() and page.tabs.isTabEnabled(TAB_SCORES)
    assert page.close_button.isVisible() and not page.reopen_button.isVisible()
    # Every target has its rubric, shown in the rubric tab; the grid is empty until computed.
    rubric_targets = [page.rubric_tab.target_combo.itemText(n) for n in range(page.rubric_tab.target_combo.count())]
    assert rubric_targets == ["站点管理员", "乡镇站点管理员", "教学辅导员", "技术服务员", "站点"]
    page.tabs.setCurrentIndex(TAB_SCORES)
    assert page.score_tab.empty_label.isVisible()
    page.score_tab.compute(today=TODAY)
    assert grid_of(page).rowCount() == 4
    assert sorted(grid_of(page).rows[r].name for r in range(4)) == sorted(NAMES)
    # Four site managers and the two village sites (target "site") are evaluated; nothing manual yet.
    assert page.score_tab.message.text() == "计算完成：参评 6 人，录入完整 0 人。"
    assert page.status_label.text() == "进行中 · 已考评 6 人"
    shot(page, tmp_path, "opened")
    # The same year again is refused in the service's words, in red.
    assert page.open_year(YEAR) is None
    assert "2025年度已有考评" in page.message.text() and "c62828" in page.message.styleSheet()


def rubric_version(ctx: AppContext, round_id: str, target: str) -> tuple[int, dict[str, tuple[float, float]]]:
    """The stored rubric's version and code → (max points, weight)."""
    with ctx.session() as s:
        rubric = next(r for r in evaluation_rubrics.rubrics(s, round_id) if r.target == target)
    return rubric.version, {i.code: (i.max_points, i.weight_pct) for i in rubric.items}


def edit_rubric_cell(qtbot: QtBot, page: EvaluationPage, row: int, column: int, text: str) -> None:
    """Type into a cell of the items table and press Enter, as a clerk does."""
    table = page.rubric_tab.table
    table.setFocus()
    table.setCurrentIndex(page.rubric_tab.model.index(row, column))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:
        editor.insert(text)  # QTest cannot type Chinese: what an input method would hand over
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.indexWidget(table.currentIndex()) is None)  # Qt commits on the next turn


def test_the_rubric_shows_a_weight_error_as_typed_and_saves_once_fixed(qtbot: QtBot, ctx: AppContext,
                                                                      evaluated: Evaluated, tmp_path: Path) -> None:
    """R14: the weights of the score items sum to 100; the sum follows the typing, red with the service's
    words while it is wrong, and a rubric nobody is scored under saves without a question."""
    confirm = Answers(True)
    page = open_page(qtbot, ctx, confirm=confirm)
    tab = page.rubric_tab
    assert page.tabs.currentIndex() == TAB_RUBRIC and tab.target_combo.currentText() == "站点管理员"
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("township_manager"))
    assert tab.name_edit.text() == "2025年度乡镇站点管理员考评细则" and tab.version_label.text() == "第 1 版"
    assert tab.sum_label.text() == "评分项权重合计：100%" and "2e7d32" in tab.sum_label.styleSheet()
    assert not tab.problems_label.isVisible() and not tab.save_button.isEnabled()
    edit_rubric_cell(qtbot, page, 0, C_WEIGHT, "30")  # A1 25 → 30
    assert tab.sum_label.text() == "评分项权重合计：105%" and "c62828" in tab.sum_label.styleSheet()
    assert tab.problems_label.isVisible() and "105" in tab.problems_label.text()
    shot(page, tmp_path, "weights_wrong")
    assert not tab.save()
    assert tab.message.text().startswith("未保存。") and "105" in tab.message.text()
    assert rubric_version(ctx, evaluated.round_id, "township_manager")[0] == 1
    edit_rubric_cell(qtbot, page, 1, C_WEIGHT, "10")  # A2 15 → 10: 100 again
    assert tab.sum_label.text() == "评分项权重合计：100%" and not tab.problems_label.isVisible()
    # A new bonus item through the combo boxes: it carries no weight.
    row = tab.add_item()
    assert row == 10 and tab.model.items[row].code == "X11"
    edit_rubric_cell(qtbot, page, row, C_TITLE, "获得市级表彰")
    edit_rubric_cell(qtbot, page, row, C_CODE, "B2")
    kind = tab.model.index(row, C_KIND)
    tab.table.edit(kind)
    combo = tab.table.indexWidget(kind)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(n) for n in range(combo.count())] == ["评分项", "扣分项", "加分项"]
    combo.setCurrentIndex(combo.findData("bonus"))
    combo.activated.emit(combo.currentIndex())
    assert tab.model.items[row].kind == "bonus" and kind.data() == "加分项"
    assert tab.model.index(row, C_WEIGHT).data() == "—"
    assert not tab.model.flags(tab.model.index(row, C_WEIGHT)) & Qt.ItemFlag.ItemIsEditable
    indicator = tab.model.index(0, C_INDICATOR)
    assert indicator.data() == "开展/辅导活动次数"
    assert tab.sum_label.text() == "评分项权重合计：100%" and tab.save_button.isEnabled()
    assert tab.save()
    assert confirm.asked == []  # nobody is evaluated as a township manager: nothing to recompute
    version, items = rubric_version(ctx, evaluated.round_id, "township_manager")
    assert version == 2 and items["A1"] == (25.0, 30.0) and items["A2"] == (15.0, 10.0)
    assert items["B2"] == (10.0, 0.0)
    assert tab.version_label.text() == "第 2 版" and tab.message.text() == "考评细则已保存为第 2 版。"
    assert not tab.save_button.isEnabled()


def test_changing_a_rubric_after_scores_exist_asks_first(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """R14: changing a rubric after scores exist asks, naming how many evaluations are recomputed; No keeps
    everything, Yes saves and recomputes."""
    page = open_page(qtbot, ctx)
    tab = page.rubric_tab
    page.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(page)
    a6, a7 = column_of(model, "A6"), column_of(model, "A7")
    an = row_of(page, "安明")
    model.setData(model.index(an, a6), "10")
    model.setData(model.index(an, a7), "10")
    assert page.score_tab.save()
    total_before = next(r.total for r in page.results_tab.model.rows if r.name == "安明")
    assert total_before == 40.0  # A2 20 (no fault tickets) + A6 10 + A7 10
    page.tabs.setCurrentIndex(TAB_RUBRIC)
    confirm = Answers(False, True)
    page.confirm = confirm  # type: ignore[assignment]
    row = next(n for n, item in enumerate(tab.model.items) if item.code == "A6")
    edit_rubric_cell(qtbot, page, row, C_MAX, "20")  # A6 marked out of 20 from now on
    assert not tab.save()
    assert confirm.asked[0].startswith("按此细则已有 4 份考评录入了得分。")
    assert tab.message.text() == "未保存：考评结果保持不变。"
    assert rubric_version(ctx, evaluated.round_id, "site_manager") == (1, rubric_version(
        ctx, evaluated.round_id, "site_manager")[1])
    assert rubric_version(ctx, evaluated.round_id, "site_manager")[1]["A6"] == (10.0, 10.0)
    assert tab.is_dirty()  # the edit is kept for another try
    assert tab.save()
    assert len(confirm.asked) == 2
    version, items = rubric_version(ctx, evaluated.round_id, "site_manager")
    assert version == 2 and items["A6"] == (20.0, 10.0)
    # The round was recomputed: 安明's 10 of 10 became 20 of 20 (the same share), the total is unchanged,
    # and the grid shows the new maximum.
    page.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(page)
    assert model.index(row_of(page, "安明"), column_of(model, "A6")).data() == "20"
    assert "满分 20" in str(model.headerData(column_of(model, "A6"), Qt.Orientation.Horizontal))
    assert next(r.total for r in page.results_tab.model.rows if r.name == "安明") == 40.0


def test_scores_are_typed_with_the_keyboard(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated,
                                            tmp_path: Path) -> None:
    """R14: automatic cells are grey and read-only; a number typed + Enter moves down, Tab moves right to the
    next manual cell, Delete clears; the total and the grade follow the typing."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_SCORES)
    tab, model = page.score_tab, grid_of(page)
    a1, a6, a7, d1 = (column_of(model, c) for c in ("A1", "A6", "A7", "D1"))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:4] == ["姓名", "单位", "总分", "等次"]
    assert headers[a6] == "A6 学用台账…\n满分 10" and headers[d1] == "D1 发生安全…\n最多扣 20"
    # Automatic cells: grey, read-only, with their value.
    assert model.is_automatic(0, a1) and not model.flags(model.index(0, a1)) & Qt.ItemFlag.ItemIsEditable
    assert model.index(0, a1).data(Qt.ItemDataRole.BackgroundRole).color().name() == AUTOMATIC
    assert model.index(0, a1).data() == "0"
    assert model.flags(model.index(0, a6)) & Qt.ItemFlag.ItemIsEditable
    # The cursor starts on the first manual cell; typing a letter does nothing.
    assert position(page) == (0, a6)
    qtbot.keyClick(tab.view, "x")
    assert tab.view.indexWidget(tab.view.currentIndex()) is None and not tab.is_dirty()
    # A column typed one after another: Enter moves down.
    for text in ("8", "9.5", "7", "6"):
        type_points(qtbot, page, text)
    assert [model.index(r, a6).data() for r in range(4)] == ["8", "9.5", "7", "6"]
    assert position(page) == (3, a6)  # the last row stays the last
    # Tab: the next manual cell to the right; from the last item on to the next row's first manual cell.
    go(page, 0, a7)
    type_points(qtbot, page, "9", Qt.Key.Key_Tab)
    assert position(page) == (0, d1)
    go(page, 0, model.columnCount() - 1)
    qtbot.keyClick(tab.view, Qt.Key.Key_Tab)
    assert position(page) == (1, a6)
    # Live total and grade: 安明 = A2 20 + A6 8 + A7 9 (A1, A3–A5 are 0 without data) = 37 → 不合格, complete.
    assert model.index(0, model.col_total).data() == "37"
    assert model.index(0, model.col_grade).data() == "不合格"
    assert model.index(1, model.col_grade).data() == ""  # A7 missing: no grade yet
    assert model.index(0, a7).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fff3bf"  # edited
    assert tab.summary.text() == "参评 4 人 · 录入完整 1 人 · 还有 3 个手工评分项未录入 · 5 个单元格已修改，尚未保存"
    shot(page, tmp_path, "typed")
    # Delete clears the selected manual cells (automatic ones stay).
    go(page, 3, a6)
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert model.index(3, a6).data() == ""
    go(page, 3, a1)
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert model.index(3, a1).data() == "0"
    assert len(model.changes()) == 4 and tab.save_button.isEnabled()


def test_a_value_over_the_maximum_is_refused_in_red(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """R14: points are 0 to the item's maximum; 12 of 10 stays red with a message naming the person and
    the item, and the save writes nothing until it is corrected."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_SCORES)
    tab, model = page.score_tab, grid_of(page)
    a6, a7 = column_of(model, "A6"), column_of(model, "A7")
    bai = row_of(page, "白明")
    go(page, row_of(page, "安明"), a6)
    type_points(qtbot, page, "8")
    go(page, bai, a6)
    type_points(qtbot, page, "12")
    assert model.index(bai, a6).data() == "12"
    assert model.index(bai, a6).data(Qt.ItemDataRole.BackgroundRole).color().name() == INVALID
    assert model.index(bai, a6).data(Qt.ItemDataRole.ToolTipRole) == "白明的“A6 学用台账和资料管理”最多 10 分"
    assert model.index(bai, model.col_total).data() == "?"
    assert tab.message.isVisible() and tab.message.text() == "不能接受：白明的“A6 学用台账和资料管理”最多 10 分"
    assert "c62828" in tab.message.styleSheet()
    assert not tab.save()
    assert tab.message.text() == "未保存。白明的“A6 学用台账和资料管理”最多 10 分"
    assert position(page) == (bai, a6)  # the cursor goes to the refused cell
    assert stored_points(ctx, evaluated.round_id)[("安明", "A6")] is None  # nothing written, not even 8
    # Corrected: the red goes and the save goes through.
    type_points(qtbot, page, "10")
    assert not tab.message.isVisible()
    assert model.index(bai, a6).data(Qt.ItemDataRole.BackgroundRole).color().name() != INVALID
    go(page, bai, a7)
    assert tab.save()
    assert stored_points(ctx, evaluated.round_id)[("白明", "A6")] == 10.0


def test_saved_scores_are_there_after_a_reload(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """One save writes the changed cells; a new page shows them, with the service's totals, grades and
    ranks in the grid and the results."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(page)
    a6, a7, b1, d2 = (column_of(model, c) for c in ("A6", "A7", "B1", "D2"))
    for name, points in (("安明", ("10", "10", "5", "")), ("白明", ("6", "7", "", "2")),
                         ("陈明", ("9", "9", "", "")), ("邓明", ("9", "9", "", ""))):
        row = row_of(page, name)
        for column, text in zip((a6, a7, b1, d2), points, strict=True):
            if text:
                model.setData(model.index(row, column), text)
    assert page.score_tab.save()
    assert page.score_tab.message.text() == "已保存 10 项得分；总分、等次和排名已重新计算。"
    assert not page.score_tab.is_dirty() and not page.score_tab.save_button.isEnabled()
    stored = stored_points(ctx, evaluated.round_id)
    assert stored[("安明", "B1")] == 5.0 and stored[("白明", "D2")] == 2.0 and stored[("陈明", "A6")] == 9.0

    again = open_page(qtbot, ctx)
    again.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(again)
    an, bai = row_of(again, "安明"), row_of(again, "白明")
    assert [model.index(an, c).data() for c in (a6, a7, b1, d2)] == ["10", "10", "5", ""]
    assert [model.index(bai, c).data() for c in (a6, a7, b1, d2)] == ["6", "7", "", "2"]
    assert model.index(an, model.col_total).data() == "45"  # 20 + 10 + 10 + bonus 5
    assert model.index(bai, model.col_total).data() == "31"  # 20 + 6 + 7 − 2
    assert not again.score_tab.is_dirty()
    results = {r.name: r for r in again.results_tab.model.rows}
    assert results["安明"].total == 45.0 and results["安明"].rank_county == 1 and results["安明"].complete
    assert results["陈明"].rank_county == results["邓明"].rank_county == 2  # 38 and 38: competition ranking
    assert results["白明"].rank_county == 4 and results["白明"].grade_label == "不合格" and results["白明"].unfit
    # Sortable: by total, best first; the sites (30) are not complete without their manual items.
    tab = again.results_tab
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("site_manager"))
    tab.table.sortByColumn(R_TOTAL, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in tab.shown_rows()][0] == "安明" and [r.name for r in tab.shown_rows()][-1] == "白明"
    tab.table.sortByColumn(R_RANK_COUNTY, Qt.SortOrder.AscendingOrder)
    assert [r.rank_county for r in tab.shown_rows()] == [1, 2, 2, 4]


def test_switching_with_unsaved_scores_asks(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """Another target or the org tree's unit with unsaved scores asks Save / Discard / Cancel; the unit
    filters the grid and the results."""
    page = open_page(qtbot, ctx, ask_unsaved=Answers("cancel"))
    page.tabs.setCurrentIndex(TAB_SCORES)
    tab, model = page.score_tab, grid_of(page)
    model.setData(model.index(0, column_of(model, "A6")), "5")
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("site"))
    assert tab.target() == "site_manager" and tab.is_dirty()  # cancelled: still here, edits kept
    page.ask_unsaved = Answers("discard")  # type: ignore[assignment]
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("site"))
    assert tab.target() == "site" and not tab.is_dirty() and grid_of(page).rowCount() == 2
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("site_manager"))
    model = grid_of(page)
    model.setData(model.index(0, column_of(model, "A6")), "5")
    name = model.rows[0].name
    page.ask_unsaved = Answers("save")  # type: ignore[assignment]
    page.select_unit(evaluated.villages[1])  # the org tree: only 第02村, after saving
    assert stored_points(ctx, evaluated.round_id)[(name, "A6")] == 5.0
    assert sorted(r.name for r in grid_of(page).rows) == sorted(["陈明", "邓明"])
    assert tab.unit_label.text() == "单位：第02村"
    assert sorted(r.name for r in page.results_tab.model.rows) == sorted(["陈明", "邓明", "第02村"])
    page.select_unit(None)
    assert grid_of(page).rowCount() == 4 and page.results_tab.model.rowCount() == 6


def test_results_flag_and_texts(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """R14: the flag for those who cannot do the job is set by hand from the results; the self-summary and
    the opinion are kept for the form."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_RESULTS)
    tab = page.results_tab
    assert tab.count_label.text() == "共 6 条，其中 0 人标记为不胜任"
    tab.target_combo.setCurrentIndex(tab.target_combo.findData("site_manager"))
    assert tab.model.rowCount() == 4
    row = tab.row_for(next(r.id for r in tab.model.rows if r.name == "陈明"))
    assert row is not None
    index = tab.proxy.index(row, R_UNFIT)
    assert tab.proxy.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert tab.proxy.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert tab.message.text() == "已将陈明标记为不胜任现岗位（建议调整）。"
    with ctx.session() as s:
        chen = next(r for r in evaluation_scoring.evaluations(s, YEAR) if r.name == "陈明")
    assert chen.unfit
    assert tab.count_label.text() == "共 4 条，其中 1 人标记为不胜任"
    # Texts of the selected evaluation.
    tab.table.selectRow(row)
    assert tab.detail_title.text().startswith("陈明 · ")
    assert tab.summary_edit.isEnabled() and not tab.texts_button.isEnabled()
    tab.summary_edit.setPlainText("全年组织学习活动24次。")
    tab.opinion_edit.setPlainText("同意评为合格。")
    assert tab.texts_button.isEnabled()
    assert tab.save_texts()
    fresh = open_page(qtbot, ctx)
    fresh.tabs.setCurrentIndex(TAB_RESULTS)
    ftab = fresh.results_tab
    again = ftab.row_for(chen.id)
    assert again is not None
    ftab.table.selectRow(again)
    assert ftab.summary_edit.toPlainText() == "全年组织学习活动24次。"
    assert ftab.opinion_edit.toPlainText() == "同意评为合格。"
    # The grade filter: nobody is graded yet (no manual scores), so 不合格 shows nobody.
    ftab.grade_combo.setCurrentIndex(ftab.grade_combo.findData("fail"))
    assert ftab.model.rowCount() == 0


def test_a_closed_round_is_read_only_and_reopens_with_a_reason(qtbot: QtBot, ctx: AppContext,
                                                               evaluated: Evaluated, tmp_path: Path) -> None:
    """R14: a closed year is never recomputed: the rubric, the grid and the flag are read-only, computing is
    off; reopening needs a reason."""
    confirm = Answers(True)
    ask_unsaved = Answers("discard")
    page = open_page(qtbot, ctx, confirm=confirm, ask_unsaved=ask_unsaved, ask_text=Answers("  ", "更正录入错误"))
    page.tabs.setCurrentIndex(TAB_SCORES)
    typed = grid_of(page)
    typed.setData(typed.index(0, column_of(typed, "A6")), "5")  # not saved: discarded on closing
    page.tabs.setCurrentIndex(TAB_RUBRIC)
    assert page.close_round()
    assert ask_unsaved.asked == ["评分表有未保存的修改，先保存吗？"]
    assert confirm.asked[0].startswith("关闭2025年度考评？")
    assert page.year_combo.currentText() == "2025 · 2025年度远程教育考评（已关闭）"
    assert page.status_label.text() == "已关闭 · 已考评 6 人 · 只读，不再重新计算"
    assert page.reopen_button.isVisible() and not page.close_button.isVisible()
    assert not page.apply_button.isEnabled() and not page.name_edit.isEnabled()
    # The rubric: read-only, no buttons.
    rubric = page.rubric_tab
    assert rubric.closed_label.isVisible()
    assert not rubric.model.flags(rubric.model.index(0, C_WEIGHT)) & Qt.ItemFlag.ItemIsEditable
    assert not rubric.add_button.isEnabled() and not rubric.save_button.isEnabled()
    assert rubric.add_item() is None and not rubric.save()
    # The grid: no editable cell, no compute, typing does nothing.
    page.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(page)
    a6 = column_of(model, "A6")
    assert not any(model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
                   for r in range(model.rowCount()) for c in range(model.columnCount()))
    assert not page.score_tab.compute_button.isEnabled() and page.score_tab.compute() is None
    assert not page.score_tab.save_button.isEnabled() and not page.score_tab.keys_label.isVisible()
    assert model.index(0, a6).data() == "" and stored_points(ctx, evaluated.round_id)[(model.rows[0].name, "A6")] is None
    go(page, 0, a6)
    qtbot.keyClick(page.score_tab.view, "7")
    assert model.index(0, a6).data() == "" and not page.score_tab.is_dirty()
    assert page.score_tab.summary.text().endswith("本年度考评已关闭，只读")
    shot(page, tmp_path, "closed")
    # The results: the flag cannot be ticked.
    page.tabs.setCurrentIndex(TAB_RESULTS)
    results = page.results_tab
    assert not results.proxy.flags(results.proxy.index(0, R_UNFIT)) & Qt.ItemFlag.ItemIsUserCheckable
    # Reopening: a blank reason is refused in the service's words; a reason reopens.
    assert not page.reopen_round()
    assert "须说明原因" in page.message.text()
    assert page.reopen_round()
    assert page.message.text() == "2025年度考评已重新开启。"
    page.tabs.setCurrentIndex(TAB_SCORES)
    assert grid_of(page).flags(grid_of(page).index(0, a6)) & Qt.ItemFlag.ItemIsEditable


def test_round_settings_regrade_the_round(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """R14: the 称职 wording and lower thresholds, stored from the settings, regrade at once."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_SCORES)
    model = grid_of(page)
    an = row_of(page, "安明")
    model.setData(model.index(an, column_of(model, "A6")), "10")
    model.setData(model.index(an, column_of(model, "A7")), "10")
    assert page.score_tab.save()
    page.scale_combo.setCurrentIndex(page.scale_combo.findData("competent"))
    assert [page.threshold_captions[k].text() for k in ("excellent", "pass", "basic")] == ["优秀", "称职", "基本称职"]
    page.threshold_spins["excellent"].setValue(40.0)
    page.threshold_spins["pass"].setValue(30.0)
    page.threshold_spins["basic"].setValue(20.0)
    page.quota_check.setChecked(True)
    page.quota_spin.setValue(50.0)
    info = page.apply_settings()
    assert info is not None and info.grade_scale == "competent" and info.top_quota_pct == 50.0
    assert page.message.text() == "2025年度考评设置已保存：分数线 40 / 30 / 20。"
    row = next(r for r in page.results_tab.model.rows if r.name == "安明")
    assert row.total == 40.0 and row.grade_label == "优秀"
    page.tabs.setCurrentIndex(TAB_SCORES)
    assert grid_of(page).index(row_of(page, "安明"), grid_of(page).col_grade).data() == "优秀"
    # Thresholds out of order are refused in the service's words; nothing changes.
    page.threshold_spins["basic"].setValue(35.0)
    assert page.apply_settings() is None
    assert page.message.text().startswith("设置未保存。") and "依次升高" in page.message.text()


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_forms_and_export_are_written_in_a_worker(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated,
                                                  tmp_path: Path) -> None:
    """The yearly evaluation forms of the selection or of everyone shown (one page each) and the .xlsx,
    through the save-as hook and a worker."""
    page = open_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_RESULTS)
    tab = page.results_tab
    assert tab.forms_all_button.isEnabled() and tab.export_button.isEnabled()
    assert not tab.forms_selected_button.isEnabled()  # nothing selected
    tab.table.selectRow(0)
    assert tab.forms_selected_button.isEnabled()
    chosen: list[str] = []

    def save_as(_parent: QWidget, _title: str, suggested: str, _filter: str) -> str:
        chosen.append(suggested)
        return str(tmp_path / Path(suggested).stem)

    page.choose_save_path = save_as  # type: ignore[assignment]
    first = tab.shown_rows()[0]
    page.output.print_forms(selected_only=True)
    assert chosen[0] == f"2025年度考评表_{first.name}.pdf"
    one = tmp_path / chosen[0]
    assert tab.message.text() == f"1 份考评表已保存到 {one}"
    assert page_count(one) == 1 and first.name in pdf_text(one)
    page.output.print_forms(selected_only=False)
    assert chosen[1] == "2025年度考评表.pdf"
    everything = tmp_path / "2025年度考评表.pdf"
    assert page_count(everything) == 6
    assert all(name in pdf_text(everything) for name in NAMES)
    page.output.export()
    assert chosen[2] == "2025年度考评结果.xlsx"
    workbook = tmp_path / "2025年度考评结果.xlsx"
    assert workbook.read_bytes().startswith(b"PK")
    assert tab.message.text() == f"6 条考评结果已保存到 {workbook}"


def test_the_awards_tab_holds_the_award_campaigns(qtbot: QtBot, ctx: AppContext, evaluated: Evaluated) -> None:
    """R14: the award campaigns (ui/awards) sit in the fourth tab, made when first shown."""
    page = open_page(qtbot, ctx)
    assert page.awards is None  # made when first shown
    page.tabs.setCurrentIndex(TAB_AWARDS)
    view = page.ensure_awards()
    assert view is not None and type(view).__name__ == "AwardsView"
    assert page.awards_holder.layout().count() == 1
