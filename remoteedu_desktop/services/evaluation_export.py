"""The yearly evaluation results (R14) to Excel: one sheet per target (站点管理员, 教学辅导员 …).

Each sheet: a title row (year, target, scope, round), then the header row — 排名 (in the county), 姓名 (站点),
单位, 乡镇, 乡镇排名, one column per rubric item (the points as entered: score items out of their maximum,
deductions and bonuses as points), 总分, 等次 (in the round's wording), 不胜任标记 (R14: flagged for
adjustment) — frozen with the rank and name columns, then one row per evaluation by county rank (those
not ranked yet last, in township order).
The same bulk data as the printed forms (:mod:`.evaluation_forms_data`), so the two never disagree.

No ID numbers or phones: the file is for the evaluation committee. Streamed with openpyxl's
write-only mode and saved through :func:`~remoteedu_desktop.sync.safe_write.save_with` (temporary file,
fsync, rename): a crash or a file held open by Excel/WPS never leaves half a workbook. No Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from sqlalchemy.orm import Session

from .. import codes
from ..errors import ValidationError
from ..sync.safe_write import save_with
from .evaluation_forms_data import Batch, EvaluationRecord, ItemScore, load_batch
from .progress import Progress, run_to_end

HEADER_ROW = 2
UNFIT_MARK = "不胜任"
#: Fixed columns before the items: (header, width).
LEAD_COLUMNS: tuple[tuple[str, float], ...] = (("排名", 7), ("姓名", 12), ("单位", 26), ("乡镇", 12),
                                               ("乡镇排名", 9))
#: Fixed columns after the items.
TAIL_COLUMNS: tuple[tuple[str, float], ...] = (("总分", 9), ("等次", 10), ("不胜任标记", 11))
SITE_NAME_HEADER = "站点"  #: the 姓名 column of the sites' sheet
ITEM_WIDTH = 14.0
_POINTS_FORMAT = "0.0"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FILE_FIELD = "导出文件"


class ExportWriteError(ValidationError):
    """The file could not be written (folder, disk, a file held open by Excel/WPS): not bad input."""


def item_header(item: ItemScore) -> str:
    """"A1 组织开展学习活动（30分）"; deductions and bonuses say so."""
    prefix = {"deduction": "扣分：", "bonus": "加分："}.get(item.kind, "")
    return f"{item.code} {prefix}{item.title}（{item.max_points:g}分）"


def _items_of(records: list[EvaluationRecord]) -> list[ItemScore]:
    """The target's rubric items in order (one rubric per target and round; union in first-seen order)."""
    seen: dict[str, ItemScore] = {}
    for r in records:
        for item in r.items:
            seen.setdefault(item.item_id, item)
    return list(seen.values())


def export_results_steps(session: Session, path: str | Path, year: int, *, unit_id: str | None = None,
                         today: dt.date | None = None) -> Generator[Progress, None, int]:
    """Write *year*'s results (under *unit_id*) to *path* (.xlsx), yielding ``(done, total, text)``; return
    the number of rows written. Checked at once, before the first ``next``: a year without a round, an
    unknown unit or a scope without evaluations is refused (ValidationError), nothing written."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError(f"“{target.name}”不是 .xlsx 文件名", field=_FILE_FIELD)
    batch = load_batch(session, year, unit_id=unit_id)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportWriteError(f"无法写入“{target}”：无法创建目录“{target.parent}”", field=_FILE_FIELD) from exc
    return _steps(target, batch, today or dt.date.today())


def _steps(target: Path, batch: Batch, today: dt.date) -> Generator[Progress, None, int]:
    total = len(batch.records)
    yield 0, total, f"正在导出 {batch.year}年度考评结果（{total} 人）"
    wb = Workbook(write_only=True)
    done = 0
    place = {r.id: n for n, r in enumerate(batch.records)}  # township order, then rank in the township, name
    for tgt in batch.targets():
        records = sorted((r for r in batch.records if r.target == tgt),
                         key=lambda r: (r.rank_county is None, r.rank_county or 0, place[r.id]))
        items = _items_of(records)
        label = codes.label(codes.EVALUATION_TARGET, tgt)
        ws = wb.create_sheet(label)
        widths = [w for _h, w in LEAD_COLUMNS] + [ITEM_WIDTH] * len(items) + [w for _h, w in TAIL_COLUMNS]
        for n, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(n)].width = width
        ws.freeze_panes = f"C{HEADER_ROW + 1}"  # the header row, and 排名 + 姓名 while scrolling right
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        last = get_column_letter(len(widths))
        ws.merged_cells.add(CellRange(f"A1:{last}1"))
        counted = f"{len(records)} 个" if tgt == "site" else f"{len(records)} 人"
        title = WriteOnlyCell(ws, f"{batch.year}年度{label}考评结果（{batch.scope}，{batch.round_name}；"
                                  f"导出日期 {today.isoformat()}，共 {counted}）")
        title.font = Font(bold=True, size=13)
        title.alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 24
        ws.append([title])
        header = []
        lead = [SITE_NAME_HEADER if tgt == "site" and h == "姓名" else h for h, _w in LEAD_COLUMNS]
        for text in lead + [item_header(i) for i in items] + [h for h, _w in TAIL_COLUMNS]:
            cell = WriteOnlyCell(ws, text)
            cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            header.append(cell)
        ws.row_dimensions[HEADER_ROW].height = 32
        ws.append(header)
        for r in records:
            points = {i.item_id: i.points for i in r.items}
            values: list[object] = [r.rank_county, r.name, r.unit, r.township, r.rank_township]
            values += [points.get(i.item_id) for i in items]
            values += [r.total, r.grade_label or None, UNFIT_MARK if r.unfit else None]
            row = []
            for n, value in enumerate(values):
                cell = WriteOnlyCell(ws, value)
                cell.border = _BORDER
                if isinstance(value, float):
                    cell.number_format = _POINTS_FORMAT
                if n in (0, 4) or n >= len(values) - 2:
                    cell.alignment = Alignment(horizontal="center")
                row.append(cell)
            ws.append(row)
            done += 1
            if done % 500 == 0:
                yield done, total, f"已写入 {done}/{total} 人"
    try:
        save_with(target, wb.save)
    except OSError as exc:
        raise ExportWriteError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，或目录不可写，请关闭后重试",
                              field=_FILE_FIELD) from exc
    yield total, total, f"已导出 {total} 人到 {target.name}"
    return total


def export_results(session: Session, path: str | Path, year: int, *, unit_id: str | None = None,
                   today: dt.date | None = None) -> int:
    """Write *year*'s results to *path*; return the number of rows. See :func:`export_results_steps`."""
    return int(run_to_end(export_results_steps(session, path, year, unit_id=unit_id, today=today)))


__all__ = ["HEADER_ROW", "ExportWriteError", "LEAD_COLUMNS", "TAIL_COLUMNS", "UNFIT_MARK", "export_results", "export_results_steps",
           "item_header"]
