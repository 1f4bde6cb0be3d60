"""Writing a report to .xlsx and .pdf (issue 8 item 2): the workbook read back with openpyxl — title row,
office/parameters/date line, header, frozen panes, widths, totals, the "prepared by" line — the file name
checked first, a file that cannot be written refused without a half file, and the whole build-and-write
run as one generator on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import report_export, units
from remoteedu_desktop.services.report_export import (
    HEADER_ROW,
    ReportWriteError,
    column_widths,
    export_report_steps,
    write_report,
    write_report_xlsx,
)
from remoteedu_desktop.services.report_model import ReportTable

DAY = dt.date(2026, 6, 30)


def table(**changes: object) -> ReportTable:
    values: dict[str, object] = dict(
        key="t", title="活动开展情况统计表", office_name="龙潭镇", prepared_by="李会计", made_on=DAY,
        params="年度：2026年；范围：龙潭镇", headers=("乡镇", "服务渠道", "活动次数", "日期"),
        rows=(("龙潭镇", "专家讲座", 3, DAY), ("龙潭镇", "小计", 3, None)), totals=("合计", "", 3, None),
        widths=(5.0, 5.0, 3.0, 30.0), notes=("说明一", "说明二"), landscape=True)
    values.update(changes)
    return ReportTable(**values)  # type: ignore[arg-type]


def test_the_workbook_reads_back(tmp_path: Path) -> None:
    path = write_report_xlsx(table(), tmp_path / "a.xlsx")
    ws = load_workbook(path).active
    assert ws.title == "活动开展情况统计表"
    assert ws["A1"].value == "活动开展情况统计表" and ws["A1"].font.bold
    assert "A1:D1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报单位：龙潭镇　　年度：2026年；范围：龙潭镇　　制表日期：2026年06月30日"
    assert [c.value for c in ws[HEADER_ROW]] == ["乡镇", "服务渠道", "活动次数", "日期"]
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert [c.value for c in ws[4]] == ["龙潭镇", "专家讲座", 3, dt.datetime(2026, 6, 30)]
    assert ws["D4"].number_format == "yyyy-mm-dd"
    assert ws["B5"].value == "小计" and ws["A5"].font.bold  # subtotal in bold
    assert [c.value for c in ws[6]] == ["合计", None, 3, None] and ws["A6"].font.bold
    assert ws["A8"].value == "说明一" and ws["A9"].value == "说明二"
    assert ws["A11"].value == "制表人：李会计"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.column_dimensions["A"].width == pytest.approx(20.0)
    assert ws.column_dimensions["D"].width == pytest.approx(60.0)  # capped


def test_column_widths_follow_the_relative_widths_within_bounds() -> None:
    assert column_widths(table(widths=(0.5, 5.0, 3.0, 100.0))) == [5.0, 20.0, 12.0, 60.0]
    assert column_widths(table(widths=(1.0,))) == [5.0] * 4  # one width per column or none


def test_write_report_picks_the_format_by_suffix(tmp_path: Path) -> None:
    pdf = write_report(table(), tmp_path / "a.PDF")
    assert pdf.read_bytes().startswith(b"%PDF-")
    xlsx = write_report(table(), tmp_path / "sub" / "a.xlsx")  # the folder is made
    assert xlsx.read_bytes().startswith(b"PK")
    with pytest.raises(ValidationError, match=r"“a.doc”应以 .pdf 或 .xlsx 结尾"):
        write_report(table(), tmp_path / "a.doc")
    assert not (tmp_path / "a.doc").exists()


def test_a_file_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    blocker = tmp_path / "held.xlsx"
    blocker.mkdir()  # a folder where the file should go: the rename fails like a file held open
    with pytest.raises(ReportWriteError, match="无法写入"):
        write_report_xlsx(table(), blocker)
    assert [p.name for p in tmp_path.iterdir()] == ["held.xlsx"]  # no temporary file left


def test_export_report_steps_builds_and_writes(db: Database, township_id: str,
                                               new_village: Callable[..., units.UnitInfo], tmp_path: Path) -> None:
    new_village("杨家村")
    with db.session() as s:
        steps = export_report_steps(s, "staffing", tmp_path / "s.xlsx", today=DAY, prepared_by="李会计")
        progress = []
        while True:
            try:
                progress.append(next(steps))
            except StopIteration as stop:
                path = stop.value
                break
    assert path == tmp_path / "s.xlsx"
    assert progress[0][2] == "正在汇总报表数据" and "已导出“站点人员配备情况表”" in progress[-1][2]
    ws = load_workbook(path).active
    assert [c.value for c in ws[HEADER_ROW + 1]][:3] == ["龙潭镇", "杨家村", "行政村站点"]
    assert ws[HEADER_ROW + 1][7].value == "缺A岗、缺B岗（R3）"
    with db.session() as s:
        pdf = report_export.export_report(s, "staffing", tmp_path / "s.pdf", today=DAY)
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_bad_file_name_is_refused_before_anything_is_built(db: Database, township_id: str, tmp_path: Path) -> None:
    with db.session() as s, pytest.raises(ValidationError) as exc:
        export_report_steps(s, "staffing", tmp_path / "s.txt")  # refused at the call, not at next()
    assert exc.value.field == "导出文件"
    with db.session() as s, pytest.raises(ValidationError, match="没有名为“nope”的报表"):
        export_report_steps(s, "nope", tmp_path / "s.pdf")
    assert not list(tmp_path.glob("s.*"))
