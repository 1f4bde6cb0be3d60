"""The staff list page: count, search as you type, sorting, unit selection, the person editor hook,
and a model over 20,000 people that fetches only what is painted."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, QPoint, Qt, QTranslator
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from remoteedu_desktop import paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import Certificate
from remoteedu_desktop.services import bulk, offices, people, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.staff_query import StaffFilter, StaffRow
from remoteedu_desktop.services.staff_search import SearchIndex
from remoteedu_desktop.ui.context import AppContext, opened
from remoteedu_desktop.ui.staff_list import StaffPage
from remoteedu_desktop.ui.staff_list.table_model import (
    BLOCK_SIZE,
    CACHE_ROWS,
    COL_AGE,
    COL_ID_NUMBER,
    COL_NAME,
    COL_PHONE,
    COL_UNIT,
    ContextSource,
)
from remoteedu_desktop.ui.worker import Job

BENCH = Path(__file__).resolve().parents[2] / "bench"
TODAY = dt.date(2026, 6, 30)
EDITOR = "remoteedu_desktop.ui.staff.person_editor"


def id_number(birth: dt.date, seq: int) -> str:
    first17 = f"360499{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture(autouse=True)
def zh_cn(qapp: QApplication) -> Iterator[None]:
    """The default language: this area's Chinese translation."""
    translator = QTranslator()
    assert translator.load(str(paths.resources_dir() / "i18n" / "staff_list_zh_CN.qm"))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def town(tmp_path: Path) -> Iterator[tuple[AppContext, dict[str, str]]]:
    """龙潭镇 with two village sites; five people on the team (one with a certificate), one who left."""
    url = f"sqlite:///{tmp_path / 'town.sqlite3'}"
    db = open_database(url)
    with db.session() as s:
        office = offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        town_id = office.unit_id or ""
        v1 = units.add_unit(s, kind="village", name="新村", parent_id=town_id, code="360499100201").id
        v2 = units.add_unit(s, kind="village", name="大塘村", parent_id=town_id, code="360499100202").id
        ids: dict[str, str] = {"town": town_id, "v1": v1, "v2": v2}
        for name, birth, seq, phone, unit, slot in [("张三丰", dt.date(1970, 3, 1), 11, "13800138000", v1, "A"),
                                                    ("张小明", dt.date(1990, 7, 9), 13, "13912345678", v1, "B"),
                                                    ("李四", dt.date(1985, 1, 20), 22, "15000000021", v2, "A"),
                                                    ("王五", dt.date(1962, 12, 31), 35, None, v2, "B"),
                                                    ("钱七", dt.date(1995, 2, 14), 57, None, None, None),
                                                    ("赵六", dt.date(1978, 5, 5), 46, None, None, None)]:
            pid = people.add_person(s, people.PersonInput(name=name, id_number=id_number(birth, seq), phone=phone),
                                    today=TODAY).id
            ids[name] = pid
            if unit:
                posts.assign_post(s, person_id=pid, unit_id=unit, role="village_manager", slot=slot,
                                  start_date=dt.date(2024, 1, 1), today=TODAY)
        s.add(Certificate(kind="on_duty", number="3604992025SG0001", person_id=ids["张三丰"],
                          issue_date=dt.date(2025, 6, 1), status="valid"))
        from remoteedu_desktop.data.models import Person

        s.get(Person, ids["赵六"]).left_on = dt.date(2026, 3, 1)  # type: ignore[union-attr]
    db.dispose()
    with opened(url) as ctx:
        yield ctx, ids


class CountingSource(ContextSource):
    """The real source, counting what the model asks for."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.id_calls: list[tuple[StaffFilter, str, bool, int | None]] = []
        self.row_calls: list[int] = []
        self.index_builds = 0

    def search_index(self) -> SearchIndex:
        self.index_builds += 1
        return super().search_index()

    def ids(self, flt: StaffFilter, sort: str, descending: bool, limit: int | None = None) -> list[str]:
        self.id_calls.append((flt, sort, descending, limit))
        return super().ids(flt, sort, descending, limit)

    def rows(self, ids: Sequence[str]) -> list[StaffRow]:
        self.row_calls.append(len(ids))
        return super().rows(ids)


def open_page(qtbot: QtBot, ctx: AppContext, source: ContextSource | None = None) -> StaffPage:
    page = StaffPage(ctx, source=source)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_idle(qtbot, page)
    return page


def wait_idle(qtbot: QtBot, page: StaffPage) -> None:
    qtbot.waitUntil(lambda: not page.model.busy and not page._debounce.isActive(), timeout=10_000)


def shown_names(page: StaffPage) -> list[str]:
    model = page.model
    return [model.data(model.index(r, COL_NAME)) for r in range(model.rowCount())]


def test_page_shows_the_count_and_masked_rows_in_chinese(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, _ = town
    page = open_page(qtbot, ctx)
    assert page.count_label.text() == "共 5 人"  # 赵六 left the team
    assert page.add_button.text() == "新增人员"
    model = page.model
    assert model.headerData(COL_NAME, Qt.Orientation.Horizontal) == "姓名"
    assert shown_names(page) == ["李四", "钱七", "王五", "张三丰", "张小明"]  # pinyin initials order
    row = shown_names(page).index("张三丰")
    number = id_number(dt.date(1970, 3, 1), 11)
    assert model.data(model.index(row, COL_ID_NUMBER)) == number[:6] + "********" + number[-4:]
    assert model.data(model.index(row, COL_PHONE)) == "138****8000"
    assert model.data(model.index(row, COL_UNIT)) == "龙潭镇 / 新村"
    assert model.data(model.index(row, COL_AGE), Qt.ItemDataRole.ToolTipRole) == "1970-03-01"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.UserRole) == model.person_id(row)


def test_inline_jobs_give_the_same_page(qtbot: QtBot, town: tuple[AppContext, dict],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With Job.inline (the tests' fake thread pool) every query answers before the call returns."""
    monkeypatch.setattr(Job, "inline", True)
    ctx, ids = town
    page = StaffPage(ctx)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0 and not page.model.busy  # hidden: nothing queried yet
    page.show()
    assert page.count_label.text() == "共 5 人" and not page.model.busy
    page.select_unit(ids["v2"])
    assert shown_names(page) == ["李四", "王五"]


def test_typing_filters_after_a_pause(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, _ = town
    page = open_page(qtbot, ctx)
    qtbot.keyClicks(page.search, "zs")
    assert page.model.rowCount() == 5  # not yet: the search waits for a pause in the typing
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5_000)
    assert shown_names(page) == ["张三丰"]
    qtbot.waitUntil(lambda: page.count_label.text() == "共 1 人")
    page.search.clear()
    commit = QInputMethodEvent()  # Chinese arrives from the input method, committed as a whole
    commit.setCommitString("张")
    QApplication.sendEvent(page.search, commit)
    assert page.search.text() == "张"
    qtbot.waitUntil(lambda: shown_names(page) == ["张三丰", "张小明"], timeout=5_000)
    page.search.clear()
    qtbot.keyClicks(page.search, "0021")  # the end of a phone number
    qtbot.waitUntil(lambda: shown_names(page) == ["李四"], timeout=5_000)


def test_clearing_the_search_shows_the_earlier_list_without_a_query(qtbot: QtBot,
                                                                    town: tuple[AppContext, dict]) -> None:
    ctx, _ = town
    source = CountingSource(ctx)
    page = open_page(qtbot, ctx, source)
    # A list without search text shows its first screenful first, then the rest.
    assert [c[3] for c in source.id_calls] == [BLOCK_SIZE, None]
    qtbot.keyClicks(page.search, "zx")
    qtbot.waitUntil(lambda: shown_names(page) == ["张小明"], timeout=5_000)
    # With text, no query: the search index (built once, after the first whole list) filters that list.
    assert len(source.id_calls) == 2 and source.index_builds == 1
    calls = len(source.id_calls)
    page.search.clear()
    page.apply_filter_now()
    assert page.model.rowCount() == 5 and len(source.id_calls) == calls
    qtbot.keyClicks(page.search, "1")  # one digit narrows nothing: not a new query either
    page.apply_filter_now()
    assert page.model.rowCount() == 5 and len(source.id_calls) == calls


def test_clicking_a_header_sorts(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, _ = town
    page = open_page(qtbot, ctx)
    header = page.table.horizontalHeader()

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
        wait_idle(qtbot, page)

    click(COL_AGE)
    assert shown_names(page) == ["钱七", "张小明", "李四", "张三丰", "王五"]  # youngest first
    click(COL_AGE)
    assert shown_names(page) == ["王五", "张三丰", "李四", "张小明", "钱七"]
    assert header.sortIndicatorSection() == COL_AGE
    click(COL_ID_NUMBER)  # masked: not sortable, the order and the indicator stay
    assert shown_names(page) == ["王五", "张三丰", "李四", "张小明", "钱七"]
    assert header.sortIndicatorSection() == COL_AGE
    click(COL_NAME)
    assert shown_names(page) == ["李四", "钱七", "王五", "张三丰", "张小明"]


def test_select_unit_restricts_the_list(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, ids = town
    page = open_page(qtbot, ctx)
    page.select_unit(ids["v1"])
    wait_idle(qtbot, page)
    assert shown_names(page) == ["张三丰", "张小明"]
    assert page.count_label.text() == "共 2 人"
    page.select_unit(ids["town"])  # a township includes its sites
    wait_idle(qtbot, page)
    assert shown_names(page) == ["李四", "王五", "张三丰", "张小明"]
    page.select_unit(None)
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 5


def test_filter_combos(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, _ = town
    page = open_page(qtbot, ctx)
    page.status_combo.setCurrentIndex(page.status_combo.findData("left"))
    wait_idle(qtbot, page)
    assert shown_names(page) == ["赵六"]
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    page.status_combo.setCurrentIndex(page.status_combo.findData("active"))
    page.certificate_combo.setCurrentIndex(page.certificate_combo.findData(True))
    wait_idle(qtbot, page)
    assert shown_names(page) == ["张三丰"]
    page.certificate_combo.setCurrentIndex(0)
    page.role_combo.setCurrentIndex(page.role_combo.findData("township_tutor"))
    wait_idle(qtbot, page)
    assert shown_names(page) == []
    assert page.count_label.text() == "共 0 人"


def test_a_cell_gives_every_role_in_one_call_and_nothing_from_the_cell_before(
        qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    """The delegate asks for all roles of a cell at once (multiData) and reuses its buffers from cell
    to cell: a role without a value is cleared, so grey text or centring does not carry over."""
    ctx, _ = town
    page = open_page(qtbot, ctx)
    page.status_combo.setCurrentIndex(page.status_combo.findData("all"))
    wait_idle(qtbot, page)
    model = page.model
    left_row, active_row = shown_names(page).index("赵六"), shown_names(page).index("李四")

    def roles(row: int, column: int, stale: object) -> dict[int, object]:
        out = {}
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                     Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole):
            item = QModelRoleData(role)
            item.setData(stale)
            model.multiData(model.index(row, column), QModelRoleDataSpan(item))
            out[int(role.value)] = item.data()
        return out

    grey = roles(left_row, COL_NAME, None)
    assert grey[0] == "赵六" and grey[int(Qt.ItemDataRole.ForegroundRole.value)] is not None
    plain = roles(active_row, COL_NAME, "stale")
    assert plain == {0: "李四", int(Qt.ItemDataRole.ForegroundRole.value): None,
                     int(Qt.ItemDataRole.TextAlignmentRole.value): None, int(Qt.ItemDataRole.FontRole.value): None}
    assert roles(active_row, COL_AGE, None)[int(Qt.ItemDataRole.TextAlignmentRole.value)] is not None


def test_the_list_follows_changes_announced_by_other_pages(qtbot: QtBot, town: tuple[AppContext, dict]) -> None:
    ctx, ids = town
    page = open_page(qtbot, ctx)
    with ctx.session() as s:
        people.add_person(s, people.PersonInput(name="孙九", id_number=id_number(dt.date(1988, 4, 4), 91)),
                          today=TODAY)
    ctx.notify("training")  # not an area the list shows
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 5
    page.table.setCurrentIndex(page.model.index(shown_names(page).index("王五"), COL_NAME))
    ctx.notify("people")
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 6 and page.count_label.text() == "共 6 人"
    qtbot.waitUntil(lambda: page.model.person_id(page.table.currentIndex().row()) == ids["王五"])  # kept
    page.hide()
    with ctx.session() as s:
        people.add_person(s, people.PersonInput(name="周十", id_number=id_number(dt.date(1991, 1, 1), 93)),
                          today=TODAY)
    ctx.notify("people")  # hidden: noted, not queried
    page.select_unit(ids["v1"])
    assert page.model.rowCount() == 6 and not page.model.busy
    page.show()
    wait_idle(qtbot, page)
    assert shown_names(page) == ["张三丰", "张小明"]
    page.select_unit(None)
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 7


class FakeEditor:
    opened: list[tuple[object, str | None, object]] = []
    result = 1

    def __init__(self, ctx: object, person_id: str | None, parent: object) -> None:
        FakeEditor.opened.append((ctx, person_id, parent))

    def exec(self) -> int:
        return FakeEditor.result


@pytest.fixture
def editor(monkeypatch: pytest.MonkeyPatch) -> type[FakeEditor]:
    module = types.ModuleType(EDITOR)
    module.PersonEditorDialog = FakeEditor  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, EDITOR, module)
    FakeEditor.opened = []
    return FakeEditor


def test_double_click_enter_and_add_open_the_person_editor(qtbot: QtBot, town: tuple[AppContext, dict],
                                                          editor: type[FakeEditor]) -> None:
    ctx, ids = town
    source = CountingSource(ctx)
    page = open_page(qtbot, ctx, source)
    table = page.table
    index = page.model.index(shown_names(page).index("王五"), COL_NAME)
    center = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)  # a double click starts with a press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert editor.opened == [(ctx, ids["王五"], page)]
    wait_idle(qtbot, page)
    assert source.id_calls[-1][3] is None  # saved without an announcement: the page queried again
    table.setCurrentIndex(page.model.index(0, COL_NAME))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert editor.opened[-1][1] == ids["李四"]
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert editor.opened[-1] == (ctx, None, page)
    wait_idle(qtbot, page)


def test_without_the_person_editor_nothing_happens(qtbot: QtBot, town: tuple[AppContext, dict],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, _ = town
    monkeypatch.setitem(sys.modules, EDITOR, None)  # the module is missing: ModuleNotFoundError
    page = open_page(qtbot, ctx)
    page.open_person(None)
    page.table.activated.emit(page.model.index(0, 0))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)


@pytest.fixture(scope="module")
def crowd_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """20,000 people, written with the bulk path."""
    url = f"sqlite:///{tmp_path_factory.mktemp('crowd') / 'crowd.sqlite3'}"
    db = open_database(url)
    rng = random.Random(7)
    rows = []
    for i in range(20_000):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 14000))
        first17 = f"36{(i // 1000) % 10000:04d}{birth:%Y%m%d}{i % 1000:03d}"
        rows.append({"name": rng.choice("王李张刘陈杨黄赵吴周") + rng.choice("伟芳娜秀英敏静丽强磊"),
                     "id_number": first17 + check_digit(first17), "phone": f"139{i:08d}"})
    with db.session() as s:
        offices.init_office(s, level="county", code="360499", name="青山县")
        bulk.add_people(s, rows, today=TODAY)
    db.dispose()
    return url


def test_a_model_over_20000_people_fetches_only_what_is_painted(qtbot: QtBot, crowd_url: str) -> None:
    with opened(crowd_url) as ctx:
        source = CountingSource(ctx)
        page = open_page(qtbot, ctx, source)
        model = page.model
        assert model.rowCount() == 20_000
        page.grab()
        assert 0 < model.fetched_rows <= BLOCK_SIZE  # one block for the first screenful
        page.table.scrollToBottom()
        page.grab()
        last = model.data(model.index(19_999, COL_NAME))
        assert last and model.fetched_rows <= 3 * BLOCK_SIZE
        # Jumping about the list fetches a block per place, and the cache stays bounded.
        for row in range(0, 20_000, 397):
            page.table.scrollTo(model.index(row, 0))
            page.grab()
        assert model.fetched_rows <= 60 * BLOCK_SIZE < 20_000
        assert model.cached_rows <= CACHE_ROWS
        assert max(source.row_calls) <= BLOCK_SIZE
        # Sorting queries the ids again; the cached rows are reused where they are still shown.
        fetched = model.fetched_rows
        page.table.sortByColumn(COL_AGE, Qt.SortOrder.AscendingOrder)
        wait_idle(qtbot, page)
        assert page.table.rowAt(0) == 0  # a new order starts at its top
        page.grab()
        assert model.rowCount() == 20_000 and model.fetched_rows - fetched <= BLOCK_SIZE
        page.close()


def test_the_bench_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "staff_list.py"), "--people", "500"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "| figure" in result.stdout and "first paint of StaffPage" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("goals: ")
