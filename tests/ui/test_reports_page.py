"""The Reports page (issue 8, item 2): the list, the parameters, the preview in the worker, PDF and .xlsx
through the save-as hook, "prepared by" remembered, refusals shown in red with nothing written."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import offices, people, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.report_model import REPORTS, report
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.reports.page import PREPARED_BY_KEY, ReportsPage
from remoteedu_desktop.ui.worker import Job

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def _staffed(ctx: AppContext) -> tuple[str, str]:
    """龙潭镇 with 杨家村 (张三 on post A) and 李家村 (nobody); returns (township id, 杨家村 id)."""
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township, code="360499100201")
        units.add_unit(s, kind="village", name="李家村", parent_id=township, code="360499100202")
        first17 = "36049919800517035"
        person = people.add_person(s, people.PersonInput(name="张三", id_number=first17 + check_digit(first17)))
        posts.assign_post(s, person_id=person.id, unit_id=yang.id, role="village_manager", slot="A",
                          start_date=dt.date(2025, 1, 1), today=TODAY)
        return township, yang.id


def _page(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> ReportsPage:
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.today = TODAY
    page.set_settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    page.resize(1100, 600)
    page.show()
    return page


def _cells(page: ReportsPage) -> list[list[str]]:
    m = page.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_list_and_parameters(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    page = _page(qtbot, ctx, tmp_path)
    titles = [page.list.item(r).text() for r in range(page.list.count())]
    assert titles == [spec.title for spec in REPORTS.values()] and len(titles) == 7
    assert page.spec().key == "staffing" and not page.year_spin.isEnabled()  # not a yearly report
    page.select_report("training")
    assert page.year_spin.isEnabled() and page.year_spin.value() == dt.date.today().year
    assert page.unit_label.text() == "本单位全部"


def test_preview_matches_the_service_and_follows_the_tree(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    township, yang = _staffed(ctx)
    page = _page(qtbot, ctx, tmp_path)
    page.prepared_edit.setText("李四")
    page.build()
    with ctx.session() as s:
        expected = report(s, "staffing", today=TODAY, prepared_by="李四")
    assert page.table == expected
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == list(expected.headers)
    cells = _cells(page)
    assert cells[0][:5] == ["龙潭镇", "杨家村", "行政村站点", "张三", ""]
    assert len(cells) == len(expected.rows) + 1 and cells[-1][0] == "合计"  # the totals row last, in bold
    assert page.model.index(len(cells) - 1, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert page.title_label.text() == "站点人员配备情况表"
    assert "龙潭镇" in page.params_label.text() and "2026-06-30" in page.params_label.text()
    assert page.status.text() == f"站点人员配备情况表：共 {len(expected.rows)} 行"
    # The tree selects 杨家村: the preview is marked out of date, and the next one covers 杨家村 only.
    page.select_unit(yang)
    assert page.unit_label.text() == "杨家村" and "参数已更改" in page.status.text()
    page.build()
    assert [row[1] for row in page.table.rows if row[1] in ("杨家村", "李家村")] == ["杨家村"]
    page.select_unit(None)
    assert page.unit_label.text() == "本单位全部"
    assert page.grab().save(str(tmp_path / "reports_page.png"))


def test_save_pdf_and_excel(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    _staffed(ctx)
    page = _page(qtbot, ctx, tmp_path)
    page.prepared_edit.setText("王五")
    asked: list[tuple[str, str]] = []
    target = tmp_path / "out" / "配备表"

    def choose(parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
        asked.append((suggested, file_filter))
        return str(target)

    page.choose_save_path = choose
    page.save(".pdf")  # nothing previewed yet: built in the same job, then shown
    pdf = target.with_suffix(".pdf")
    assert asked == [("站点人员配备情况表.pdf", "PDF 文件 (*.pdf)")]
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "站点人员配备情况表" in text and "王五" in text and "杨家村" in text
    assert page.table is not None and page.last_written == pdf and str(pdf) in page.status.text()
    page.save(".xlsx")
    workbook = load_workbook(target.with_suffix(".xlsx"))
    values = [str(v) for row in workbook.active.iter_rows(values_only=True) for v in row if v is not None]
    assert "站点人员配备情况表" in values and "杨家村" in values
    # "Prepared by" was remembered: a new page (the next start) shows it.
    again = _page(qtbot, ctx, tmp_path)
    assert again.prepared_edit.text() == "王五"
    assert QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat).value(PREPARED_BY_KEY) == "王五"
    # Cancelled: nothing written, nothing said.
    page.choose_save_path = lambda parent, title, suggested, file_filter: None
    assert page.save(".pdf") is None


def test_refusals_in_red_nothing_written(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    page = _page(qtbot, ctx, tmp_path)
    page.select_report("evaluation")  # no evaluation round this year: the service refuses (R14)
    page.build()
    assert page.table is None and "报表无法生成" in page.status.text() and "考评" in page.status.text()
    assert "b3261e" in page.status.styleSheet()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    page.select_report("staffing")
    page.choose_save_path = lambda parent, title, suggested, file_filter: str(blocker / "r.pdf")
    page.save(".pdf")  # the folder is a file: nothing written
    assert "未写入任何文件" in page.status.text() and not (blocker / "r.pdf").exists()


def test_suggested_name_names_the_unit_and_year(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    township, _yang = _staffed(ctx)
    page = _page(qtbot, ctx, tmp_path)
    page.select_unit(township)
    page.select_report("training")
    page.year_spin.setValue(2025)
    asked: list[str] = []
    page.choose_save_path = lambda parent, title, suggested, file_filter: asked.append(suggested)  # type: ignore
    assert page.save(".xlsx") is None
    assert asked == ["培训情况统计表_龙潭镇_2025.xlsx"]
