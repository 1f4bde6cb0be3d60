"""Writing a report (:class:`~.report_model.ReportTable`) to .xlsx or .pdf.

The workbook: a merged title row, a line with the office, the parameters and the date, the header
(frozen with the first column, repeated when printed), one row per table row, the totals row in bold,
the notes, then "制表人：… 制表日期：…". Column widths follow the table's relative widths; long texts wrap.
Both files are written through :func:`~remoteedu_desktop.sync.safe_write.save_with` (temporary file,
fsync, rename): a crash or a file held open by Excel/WPS never leaves half a file. No Qt.

:func:`export_report_steps` is what the Reports page and the CLI run: build, render, write, as one
generator yielding progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..printing.report_pdf import cn_date, is_subtotal, report_pdf_steps
from ..sync.safe_write import save_with
from .progress import Progress, run_to_end
from .report_model import REPORTS, ReportTable, report

TITLE_ROW = 1
META_ROW = 2
HEADER_ROW = 3
SUFFIXES = (".pdf", ".xlsx")
_FILE_FIELD = "导出文件"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_WIDTH_SCALE = 4.0  #: Excel character widths per unit of relative width
_MIN_WIDTH, _MAX_WIDTH = 5.0, 60.0
DATE_FORMAT = "yyyy-mm-dd"


class ReportWriteError(ValidationError):
    """The file could not be written (folder, disk, a file held open by Excel/WPS): not bad input."""


def _checked_path(path: str | Path, suffixes: tuple[str, ...] = SUFFIXES) -> Path:
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        wanted = " 或 ".join(suffixes)
        raise ValidationError(f"“{target.name}”应以 {wanted} 结尾", field=_FILE_FIELD)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportWriteError(f"无法写入“{target}”：无法创建目录“{target.parent}”", field=_FILE_FIELD) from exc
    return target


def _save(target: Path, save: object) -> None:
    try:
        save_with(target, save)  # type: ignore[arg-type]
    except OSError as exc:
        raise ReportWriteError(f"无法写入“{target}”：文件可能正在 Excel、WPS 或 PDF 阅读器中打开，或目录不可写，"
                               f"请关闭后重试", field=_FILE_FIELD) from exc


def column_widths(table: ReportTable) -> list[float]:
    """Excel widths from the relative widths, scaled so that the narrowest useful column stays readable."""
    count = len(table.headers)
    rel = list(table.widths) if len(table.widths) == count else [1.0] * count
    return [min(_MAX_WIDTH, max(_MIN_WIDTH, w * _WIDTH_SCALE)) for w in rel]


def _xlsx_value(value: object) -> object:
    return None if value == "" else value


def write_report_xlsx(table: ReportTable, path: str | Path) -> Path:
    """Write *table* to *path* (.xlsx); return the path."""
    target = _checked_path(path, (".xlsx",))
    wb = Workbook()
    ws = wb.active
    ws.title = table.title[:31]
    count = max(1, len(table.headers))
    last = get_column_letter(count)
    ws.cell(TITLE_ROW, 1, table.title).font = Font(bold=True, size=14)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 26
    meta = "　　".join(x for x in (f"填报单位：{table.office_name}", table.params,
                                   f"制表日期：{cn_date(table.made_on)}") if x)
    ws.cell(META_ROW, 1, meta).alignment = Alignment(vertical="center", wrap_text=True)
    ws.merge_cells(f"A{META_ROW}:{last}{META_ROW}")
    ws.row_dimensions[META_ROW].height = 20
    for c, header in enumerate(table.headers, start=1):
        cell = ws.cell(HEADER_ROW, c, header)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 30
    wrap = Alignment(vertical="center", wrap_text=True)
    r = HEADER_ROW
    for row in table.rows:
        r += 1
        subtotal = is_subtotal(row)
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, _xlsx_value(value))
            cell.border, cell.alignment = _BORDER, wrap
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            if subtotal:
                cell.font, cell.fill = Font(bold=True), _TOTAL_FILL
    if table.totals is not None:
        r += 1
        for c, value in enumerate(table.totals, start=1):
            cell = ws.cell(r, c, _xlsx_value(value))
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _TOTAL_FILL, _BORDER, wrap
    r += 1
    for note in table.notes:
        r += 1
        ws.cell(r, 1, note)
    r += 2
    ws.cell(r, 1, f"制表人：{table.prepared_by}")
    ws.cell(r, max(2, count - 1), f"制表日期：{cn_date(table.made_on)}")
    for c, width in enumerate(column_widths(table), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape" if table.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    _save(target, wb.save)
    return target


def write_report_pdf(table: ReportTable, path: str | Path) -> Path:
    """Write *table* to *path* (.pdf); return the path."""
    target = _checked_path(path, (".pdf",))
    data = run_to_end(report_pdf_steps(table))
    _save(target, lambda p: Path(p).write_bytes(data))
    return target


def write_report(table: ReportTable, path: str | Path) -> Path:
    """Write *table* to *path*, as PDF or .xlsx by the file's suffix."""
    target = _checked_path(path)
    if target.suffix.lower() == ".pdf":
        return write_report_pdf(table, target)
    return write_report_xlsx(table, target)


def export_report_steps(session: Session, key: str, path: str | Path, *, year: int | None = None,
                        unit_id: str | None = None, today: dt.date | None = None,
                        prepared_by: str = "") -> Generator[Progress, None, Path]:
    """Build report *key* and write it to *path* (.pdf or .xlsx), yielding ``(done, total, text)``; return the
    path. The file name and the report name are checked at the call, before the first ``next``."""
    target = _checked_path(path)
    if key not in REPORTS:
        report(session, key)  # raises the Chinese refusal naming the reports there are
    return _export_steps(session, key, target, year=year, unit_id=unit_id, today=today, prepared_by=prepared_by)


def _export_steps(session: Session, key: str, target: Path, *, year: int | None, unit_id: str | None,
                  today: dt.date | None, prepared_by: str) -> Generator[Progress, None, Path]:
    yield 0, 0, "正在汇总报表数据"
    table = report(session, key, year=year, unit_id=unit_id, today=today, prepared_by=prepared_by)
    if target.suffix.lower() == ".pdf":
        data = yield from report_pdf_steps(table)
        _save(target, lambda p: Path(p).write_bytes(data))
    else:
        write_report_xlsx(table, target)
    yield 1, 1, f"已导出“{table.title}”到 {target.name}"
    return target


def export_report(session: Session, key: str, path: str | Path, **kwargs: object) -> Path:
    """Build report *key* and write it to *path*. See :func:`export_report_steps`."""
    return Path(run_to_end(export_report_steps(session, key, path, **kwargs)))  # type: ignore[arg-type]


__all__ = ["HEADER_ROW", "ReportWriteError", "column_widths", "export_report", "export_report_steps", "write_report",
           "write_report_pdf", "write_report_xlsx"]
