"""The overview page (issue 8, items 1 and 5): the eight figure tiles and the three charts match
``overview()``, clicking a tile (or a per-township cell) opens the list behind it with ``behind()``'s rows,
"Open the page" emits ``page_requested``, the county sees its townships side by side, selecting a unit
narrows everything, and the figures load in the background while the old ones stay. A small demo county
(2 townships × 3 sites, built once per module and copied per test), Chinese UI."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import demo, offices
from remoteedu_desktop.services.org_tree import descendants, org_tree
from remoteedu_desktop.services.overview_figures import FIGURE_KEYS, Behind, Overview, behind, overview
from remoteedu_desktop.ui import overview_page
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.overview_dialog import BehindDialog, sort_keys
from remoteedu_desktop.ui.overview_page import CELL_BACKGROUND, OverviewPage, cell_text, share_of, two_lines
from remoteedu_desktop.ui.worker import Job


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_database(f"sqlite:///{path}", account="clerk1")
    with db.session() as s:
        demo.generate_demo(s, townships=2, sites=3, seed=1)
    db.dispose()
    return path


@pytest.fixture
def county(tmp_path: Path, demo_file: Path, chinese: None) -> Iterator[AppContext]:
    """The demo county 青山县 (a county office) with 2 townships of 3 village sites each."""
    path = tmp_path / "county.sqlite3"
    shutil.copy(demo_file, path)
    db = open_database(f"sqlite:///{path}", account="clerk1")
    yield AppContext(db)
    db.dispose()


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


@pytest.fixture
def page(qtbot: QtBot, county: AppContext) -> OverviewPage:
    widget = OverviewPage(county)
    qtbot.addWidget(widget)
    widget.resize(1280, 900)
    widget.show()
    return widget


def figures(ctx: AppContext, unit_id: str | None = None) -> Overview:
    with ctx.session() as s:
        return overview(s, unit_id=unit_id)


def townships(ctx: AppContext) -> list[tuple[str, str]]:
    """(id, name) of the demo's townships, in tree order."""
    with ctx.session() as s:
        return [(n.id, n.name) for n in org_tree(s) if n.kind == "township"]


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def check_tiles(page: OverviewPage, expected: Overview) -> None:
    for key in FIGURE_KEYS:
        figure, tile = expected.figures[key], page.tiles[key]
        assert tile.isVisible(), key
        assert tile.caption.text() == figure.label, key
        assert tile.detail.text() == figure.detail, key
        if figure.total is not None:
            assert tile.value.text() == f"{number(figure.value)}/{number(figure.total)}", key
            if figure.total > 0:
                assert tile.bar.isVisible() and tile.bar.text() == f"{figure.value / figure.total * 100:.0f}%", key
        else:
            assert tile.value.text() == f"{number(figure.value)} {figure.unit}".strip(), key
            assert not tile.bar.isVisible(), key
        assert figure.detail in tile.toolTip()


def click_cell(qtbot: QtBot, page: OverviewPage, row: int, column: int) -> None:
    table = page.townships
    rect = table.visualItemRect(table.item(row, column))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_tiles_and_charts_show_the_overview_figures(page: OverviewPage, county: AppContext) -> None:
    expected = figures(county)
    assert expected.scope_id is None or expected.scope_name == "青山县"
    check_tiles(page, expected)
    assert page.scope_label.text() == f"{expected.scope_name}，{expected.year}年"
    assert page.activities_chart.values == [float(n) for _, n in expected.activities_per_month]
    assert page.activities_chart.categories == [str(m) for m, _ in expected.activities_per_month]
    assert page.training_chart.values == [float(h) for _, h in expected.training_hours_per_month]
    assert page.faults_chart.categories == [label for label, _ in expected.fault_ages]
    assert page.faults_chart.values == [float(n) for _, n in expected.fault_ages]
    assert str(expected.year) in page.activities_chart.title() and "活动" in page.activities_chart.title()
    # the tree counts stay in the head line (the demo: 2 townships, 9 sites with the township stations)
    assert page.counts["townships"].text() == "2" and page.counts["sites"].text() == "9"


def test_clicking_a_tile_opens_the_list_behind_it(qtbot: QtBot, page: OverviewPage, county: AppContext) -> None:
    for key in ("managers_certified", "activities", "open_faults", "expiring"):
        qtbot.mouseClick(page.tiles[key], Qt.MouseButton.LeftButton)
        dialog = page.behind_dialog
        assert isinstance(dialog, BehindDialog) and dialog.isVisible(), key
        with county.session() as s:
            expected = behind(s, key)
        assert dialog.windowTitle() == expected.title
        headers = [dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(dialog.model.columnCount())]
        assert headers == list(expected.headers)
        assert dialog.row_texts() == [tuple(row) for row in expected.rows], key
        assert expected.rows or key == "expiring", key  # the demo has rows behind these (none expiring)
        assert dialog.table.isVisible() == bool(expected.rows) and dialog.empty_label.isVisible() != bool(expected.rows)
        assert dialog.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        assert str(len(expected.rows)) in dialog.count_label.text()
        dialog.reject()
        assert not dialog.isVisible()


def test_a_tile_opens_by_keyboard_too(qtbot: QtBot, page: OverviewPage) -> None:
    page.tiles["training_hours"].setFocus()
    qtbot.keyClick(page.tiles["training_hours"], Qt.Key.Key_Return)
    assert page.behind_dialog is not None and page.behind_dialog.isVisible()


def test_open_the_page_emits_page_requested(qtbot: QtBot, page: OverviewPage, county: AppContext) -> None:
    qtbot.mouseClick(page.tiles["managers_certified"], Qt.MouseButton.LeftButton)
    dialog = page.behind_dialog
    assert dialog is not None
    with county.session() as s:
        expected = behind(s, "managers_certified")
    assert expected.page in ("sites", "staff", "training", "certificates", "activities", "evaluation")
    with qtbot.waitSignal(page.page_requested, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [expected.page, ""]  # the whole county: no unit
    assert not dialog.isVisible()


def test_the_county_sees_its_townships_side_by_side(qtbot: QtBot, page: OverviewPage, county: AppContext) -> None:
    expected = figures(county)
    names = [name for _, name in townships(county)]
    assert len(expected.per_township) == 2 and [t.name for t in expected.per_township] == names
    assert page.townships.isVisible()
    rows = page.township_texts()
    assert [row[0] for row in rows] == names
    for row, township in zip(rows, expected.per_township, strict=True):
        assert row[1:] == [cell_text(township.figures[key]) for key in FIGURE_KEYS]
    # shares are colour-coded: the cell's background follows the share
    shared = [(r, c) for r, t in enumerate(expected.per_township) for c, key in enumerate(FIGURE_KEYS, start=1)
              if share_of(t.figures[key]) is not None]
    assert shared
    for r, c in shared:
        share = share_of(expected.per_township[r].figures[FIGURE_KEYS[c - 1]])
        assert share is not None
        color = "#1e8449" if share >= 0.9 else "#b9770e" if share >= 0.6 else "#c0392b"
        assert page.townships.item(r, c).background().color().name() == CELL_BACKGROUND[color]
    # a cell opens the list for that township, and "Open the page" names it
    second = expected.per_township[1]
    column = 1 + FIGURE_KEYS.index("pre_job_coverage")
    click_cell(qtbot, page, 1, column)
    dialog = page.behind_dialog
    assert dialog is not None and dialog.isVisible()
    with county.session() as s:
        rows_behind = behind(s, "pre_job_coverage", unit_id=second.unit_id)
    assert rows_behind.rows and dialog.row_texts() == [tuple(r) for r in rows_behind.rows]
    assert second.name in dialog.count_label.text()
    with qtbot.waitSignal(page.page_requested, timeout=1000) as blocker:
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [rows_behind.page, second.unit_id]
    # the name column is no figure: nothing opens
    page.behind_dialog = None
    click_cell(qtbot, page, 0, 0)
    assert page.behind_dialog is None


def test_selecting_a_unit_narrows_figures_charts_and_lists(qtbot: QtBot, page: OverviewPage,
                                                           county: AppContext) -> None:
    everything = figures(county)
    township_id, name = townships(county)[1]
    page.select_unit(township_id)
    narrowed = figures(county, township_id)
    assert narrowed.scope_name == name and narrowed.per_township == ()
    check_tiles(page, narrowed)
    assert page.scope_label.text().startswith(name)
    assert page.activities_chart.values == [float(n) for _, n in narrowed.activities_per_month]
    assert not page.townships.isVisible()  # a township has no townships below it
    with county.session() as s:
        inside = descendants(org_tree(s), township_id)
    shown = {page.warnings.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
             for i in range(page.warnings.topLevelItemCount())}
    assert shown and shown <= inside
    assert page.warnings_title.text().startswith(f"{name}的规则提醒")
    # the list behind a tile is the township's
    qtbot.mouseClick(page.tiles["training_hours"], Qt.MouseButton.LeftButton)
    with county.session() as s:
        expected = behind(s, "training_hours", unit_id=township_id)
        county_wide = behind(s, "training_hours")
    assert expected.rows and len(expected.rows) < len(county_wide.rows)
    assert page.behind_dialog is not None and page.behind_dialog.row_texts() == [tuple(r) for r in expected.rows]
    with qtbot.waitSignal(page.page_requested, timeout=1000) as blocker:
        qtbot.mouseClick(page.behind_dialog.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [expected.page, township_id]
    # back to the whole county
    page.select_unit(None)
    check_tiles(page, everything)
    assert page.townships.isVisible()


def test_old_figures_stay_while_new_ones_load(qtbot: QtBot, page: OverviewPage, county: AppContext,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before = figures(county)
    township_id, name = townships(county)[0]
    release = threading.Event()
    real = overview_page.overview

    def slow(session: object, *, unit_id: str | None = None) -> Overview:
        assert release.wait(5)
        return real(session, unit_id=unit_id)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_page, "overview", slow)
    Job.inline = False
    page.select_unit(township_id)
    # the warnings narrow at once; the figures are still the county's and say they are updating
    assert page.warnings_title.text().startswith(name)
    check_tiles(page, before)
    assert page.loading_label.isVisible()
    release.set()
    qtbot.waitUntil(lambda: not page.loading_label.isVisible(), timeout=5000)
    check_tiles(page, figures(county, township_id))
    assert page.wait_for_figures()


def test_a_newer_request_wins_over_an_older_answer(qtbot: QtBot, page: OverviewPage, county: AppContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (first, _), (second, _) = townships(county)
    gates = {first: threading.Event(), second: threading.Event()}
    real = overview_page.overview

    def gated(session: object, *, unit_id: str | None = None) -> Overview:
        assert gates[str(unit_id)].wait(5)
        return real(session, unit_id=unit_id)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_page, "overview", gated)
    Job.inline = False
    page.select_unit(first)
    page.select_unit(second)
    gates[second].set()
    qtbot.waitUntil(lambda: page.figures is not None and page.figures.scope_id == second, timeout=5000)
    gates[first].set()  # the older answer arrives last and is dropped
    assert page.wait_for_figures()
    assert page.figures is not None and page.figures.scope_id == second
    check_tiles(page, figures(county, second))


def test_a_failure_keeps_the_figures_and_says_why(page: OverviewPage, county: AppContext,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = figures(county)

    def broken(_session: object, *, unit_id: str | None = None) -> Overview:
        raise ValidationError("统计口径未设置")

    monkeypatch.setattr(overview_page, "overview", broken)
    page.select_unit(townships(county)[0][0])
    assert page.error_label.isVisible() and "统计口径未设置" in page.error_label.text()
    check_tiles(page, before)


def test_a_change_elsewhere_reloads_the_figures(page: OverviewPage, county: AppContext,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str | None] = []
    real = overview_page.overview

    def counted(session: object, *, unit_id: str | None = None) -> Overview:
        calls.append(unit_id)
        return real(session, unit_id=unit_id)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_page, "overview", counted)
    county.notify("sync")  # not an area the overview shows: nothing
    assert calls == []
    county.notify("activities")
    county.notify("training")
    assert calls == [None, None]


def test_no_figures_before_the_office_is_set_up(qtbot: QtBot, tmp_path: Path, chinese: None) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}", account="clerk1")
    try:
        widget = OverviewPage(AppContext(db))
        qtbot.addWidget(widget)
        widget.show()
        assert widget.setup_button.isVisible()
        assert not widget.figures_box.isVisible() and widget.figures is None
        with db.session() as s:
            offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        widget.refresh()
        assert widget.figures_box.isVisible() and widget.figures is not None
        assert widget.townships.isHidden()  # a township office: no side-by-side table
    finally:
        db.dispose()


def test_a_refused_list_says_why(qtbot: QtBot, page: OverviewPage, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []

    def refuse(_session: object, key: str, *, unit_id: str | None = None) -> object:
        raise ValidationError(f"未知的统计项：{key}")

    monkeypatch.setattr(overview_page, "behind", refuse)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text))
    qtbot.mouseClick(page.tiles["activities"], Qt.MouseButton.LeftButton)
    assert page.behind_dialog is None
    assert len(shown) == 1 and "未知的统计项：activities" in shown[0]
    assert QApplication.overrideCursor() is None


def test_the_list_sorts_numbers_as_numbers() -> None:
    keys = sort_keys((("甲", "9", "12.5 小时"), ("乙", "10", "—")), 3)
    assert keys == [["甲", 9.0, "12.5 小时"], ["乙", 10.0, "—"]]


def test_the_list_behind_sorts_by_a_header_click(qtbot: QtBot, county: AppContext) -> None:
    rows = (("北村", "9", "2026-10-01"), ("东村", "10", "2026-09-01"), ("南村", "2", "2026-11-01"))
    dialog = BehindDialog(Behind("未修复的故障", ("站点", "已过天数", "报修日期"), rows, "activities"), None, "")
    qtbot.addWidget(dialog)
    assert dialog.row_texts() == list(rows)  # the service's order first
    dialog.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert [r[1] for r in dialog.row_texts()] == ["10", "9", "2"]  # numbers, not text
    dialog.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in dialog.row_texts()] == ["东村", "北村", "南村"]


def test_long_column_headers_break_in_two_lines() -> None:
    assert two_lines("A、B 岗齐全的村站点") == "A、B 岗齐全的\n村站点"  # after "的"
    assert two_lines("年度考评进度") == "年度考评进度"  # short: one line
    assert two_lines("Township") == "Township"  # an English word is never cut
