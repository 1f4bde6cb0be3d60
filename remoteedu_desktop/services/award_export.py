"""Exporting an award campaign (R14) to Excel: the award list (表彰名单) and every nomination.

Sheet "表彰名单": a merged title ("2025年度优秀站点管理员表彰名单"), the document number and date, then
序号/姓名/单位/岗位/奖项 — the awarded nominees once the campaign is closed, the approved ones (marked as a
draft) while it is open. Sheet "提名名单": every nominee with the evaluation total, grade and county rank,
the eligibility note and the approval state, so the committee's paper trail goes with the list. No ID
numbers, no phones. The file is written through :func:`sync.safe_write.save_with` (never half a file).
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..sync.safe_write import save_with
from . import awards
from .progress import Progress, run_to_end

LIST_SHEET = "表彰名单"
NOMINATION_SHEET = "提名名单"
LIST_HEADER = ("序号", "姓名", "单位", "岗位", "奖项")
NOMINATION_HEADER = ("序号", "姓名", "单位", "岗位", "来源", "考评得分", "等次", "全县排名", "资格", "说明", "状态",
                     "审批日期")
_LIST_WIDTHS = (8, 14, 34, 18, 22)
_NOMINATION_WIDTHS = (8, 14, 34, 18, 12, 10, 10, 10, 8, 60, 10, 12)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws: Worksheet, row: int, titles: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col, value=title)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width


def _title(ws: Worksheet, text: str, columns: int, note: str) -> None:
    last = get_column_letter(columns)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws["A2"] = note
    ws["A2"].alignment = Alignment(horizontal="center")


def _body(ws: Worksheet, row: int, values: list[object]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value if value != "" else None)
        cell.border = _BORDER


def export_campaign_steps(session: Session, campaign_id: str,
                          path: str | Path) -> Generator[Progress, None, int]:
    """Write the campaign's award list and nominations to *path* (.xlsx); return the rows of the list."""
    target = Path(path)
    info = awards.campaign(session, campaign_id)
    yield 0, 0, "正在读取评选名单"
    listing = awards.award_list(session, campaign_id)
    nominees = awards.nominations(session, campaign_id)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = LIST_SHEET
    when = listing.date.isoformat() if listing.date else ""
    note = (f"文号：{listing.document_no}　表彰日期：{when}　共 {len(listing.rows)} 名" if listing.final
            else f"（评选尚未结束，名单为草稿）　共 {len(listing.rows)} 名")
    _title(ws, listing.title, len(LIST_HEADER), note)
    _header(ws, 3, LIST_HEADER, _LIST_WIDTHS)
    for n, r in enumerate(listing.rows, start=1):
        _body(ws, 3 + n, [n, r.name, r.unit, r.post, r.award])
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"

    wn = wb.create_sheet(NOMINATION_SHEET)
    _title(wn, f"{info.name}提名名单", len(NOMINATION_HEADER),
           f"名额：{info.quota if info.quota is not None else '不限'}　提名 {len(nominees)} 名　已批准 {info.approved} 名")
    _header(wn, 3, NOMINATION_HEADER, _NOMINATION_WIDTHS)
    total = len(nominees)
    for n, r in enumerate(nominees, start=1):
        _body(wn, 3 + n, [n, r.name, r.unit, r.post, r.source_label, r.total, r.grade_label, r.rank_county,
                          "符合" if r.eligible else "不符合", r.note.replace("\n", "；"), r.status_label,
                          r.decided_on])
        if r.decided_on is not None:
            wn.cell(row=3 + n, column=12).number_format = "yyyy-mm-dd"
        if n % 200 == 0:
            yield n, total, f"已写入 {n}/{total} 名提名"
    wn.freeze_panes = "B4"
    wn.page_setup.orientation = "landscape"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        save_with(target, wb.save)
    except OSError as exc:
        raise ValidationError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，或目录不可写，请关闭后重试",
                              field="导出文件") from exc
    yield total, total, f"已导出到 {target.name}"
    return len(listing.rows)


def export_campaign(session: Session, campaign_id: str, path: str | Path) -> int:
    """See :func:`export_campaign_steps`."""
    return int(run_to_end(export_campaign_steps(session, campaign_id, path)))
