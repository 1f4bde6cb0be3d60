"""The blank roster (花名册) template a clerk hands out to village sites and fills in for import.

Row 1 is the title, row 2 says what each column takes, row 3 is the header, data starts in row 4.
Code columns have drop-downs whose lists live on a hidden sheet; the ID number and phone columns are
formatted as text so that Excel keeps all 18 characters (and a final X); the header is frozen.
Only plain features (merged title, fills, borders, list validations through defined names), so the
file opens the same in Excel, WPS and LibreOffice. No Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import ValidationError
from . import roster_columns as rc

SHEET_NAME = "花名册"
LISTS_SHEET = "代码表"
NOTES_SHEET = "填写说明"
TITLE = "远程教育骨干队伍花名册"
TITLE_ROW, HINT_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3, 4
#: Rows prepared (text format, drop-downs) below the header.
TEMPLATE_ROWS = 2000
DATE_FORMAT = "yyyy-mm-dd"

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HINT_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=16)
HEADER_FONT = Font(bold=True)
HINT_FONT = Font(size=9, color="595959")

#: The code columns with a drop-down (the unit column gets one only when unit names are given).
DROPDOWN_KEYS: tuple[str, ...] = ("gender", "ethnicity", "political_status", "education", "source_category",
                                  "role", "slot", "tenure")

GENERAL_HINT = ("填写说明：每行一人，从第 4 行起填写；带下拉箭头的列请从列表选择；日期一律填 YYYY-MM-DD（如 2024-03-01）；"
                "身份证号码须以文本输入完整 18 位（本列已设为文本格式，请勿改为数字，否则末位 X 和后几位会丢失）；"
                "填写“所在单位”和“职务类别”时同时任职，村站点管理员须填 A岗 或 B岗。")


def column_letter(key: str) -> str:
    """The template's column letter for a roster column key."""
    return get_column_letter(rc.HEADERS.index(rc.COLUMN_BY_KEY[key].header) + 1)


def write_template(path: str | Path, *, units: Sequence[str] = (), title: str = TITLE) -> Path:
    """Write the blank roster template to *path* (.xlsx); return the path.

    *units* (unit names, e.g. this township's sites) become the drop-down of the 所在单位 column; the
    column still accepts any name or statistical code typed in.
    """
    target = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    last = get_column_letter(len(rc.COLUMNS))

    ws.cell(TITLE_ROW, 1, title).font = TITLE_FONT
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.row_dimensions[HINT_ROW].height = 48
    ws.row_dimensions[HEADER_ROW].height = 22

    text_style_rows = range(FIRST_DATA_ROW, FIRST_DATA_ROW + TEMPLATE_ROWS)
    for n, column in enumerate(rc.COLUMNS, start=1):
        letter = get_column_letter(n)
        hint = ws.cell(HINT_ROW, n, column.hint or None)
        hint.font, hint.fill, hint.border = HINT_FONT, HINT_FILL, BORDER
        hint.alignment = Alignment(wrap_text=True, vertical="top")
        head = ws.cell(HEADER_ROW, n, column.header)
        head.font, head.fill, head.border = HEADER_FONT, HEADER_FILL, BORDER
        head.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = column.width
        if column.text:
            # Column style for cells typed later, and the prepared cells themselves (WPS reads these).
            ws.column_dimensions[letter].number_format = "@"
            for row in text_style_rows:
                ws.cell(row, n).number_format = "@"
        elif column.key in ("birth_date", "start_date"):
            for row in text_style_rows:
                ws.cell(row, n).number_format = DATE_FORMAT

    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 2)  # header rows and the name column stay in view
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    notes = wb.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    notes.cell(1, 1, GENERAL_HINT).alignment = Alignment(wrap_text=True, vertical="top")
    notes.merge_cells("A1:B1")
    notes.row_dimensions[1].height = 80
    for n, column in enumerate(rc.COLUMNS, start=3):
        notes.cell(n, 1, column.header).font = HEADER_FONT
        extra = f"；也可写作：{'、'.join(column.synonyms)}" if column.synonyms else ""
        notes.cell(n, 2, (column.hint or "可不填") + extra)

    _add_dropdowns(wb, ws, units)
    try:
        wb.save(target)
    except OSError as exc:
        raise ValidationError(f"无法写入“{target}”：{exc.strerror or exc}。文件可能正在 Excel 或 WPS 中打开，"
                              "请关闭后重试", field="模板文件") from exc
    return target


def _add_dropdowns(wb: Workbook, ws: object, units: Sequence[str]) -> None:
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    columns: list[tuple[str, list[str]]] = [(key, rc.choices(key)) for key in DROPDOWN_KEYS]
    unit_names = [u for u in dict.fromkeys(str(u).strip() for u in units) if u]
    if unit_names:
        columns.append(("unit", unit_names))
    first, last_row = FIRST_DATA_ROW, FIRST_DATA_ROW + TEMPLATE_ROWS - 1
    for n, (key, labels) in enumerate(columns, start=1):
        letter = get_column_letter(n)
        lists.cell(1, n, rc.COLUMN_BY_KEY[key].header)
        for row, text in enumerate(labels, start=2):
            lists.cell(row, n, text)
        # A defined name rather than a direct cross-sheet reference: Excel 2007 and WPS need it.
        name = f"list_{key}"
        wb.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(labels) + 1}")
        header = rc.COLUMN_BY_KEY[key].header
        dv = DataValidation(type="list", formula1=name, allow_blank=True, showDropDown=False)
        dv.showErrorMessage = True
        # The unit column also takes codes and names not in the list: warn, do not block.
        dv.errorStyle = "warning" if key == "unit" else "stop"
        dv.errorTitle = f"{header}无效"
        dv.error = f"请从下拉列表中选择{header}。"
        dv.promptTitle = header
        dv.prompt = rc.COLUMN_BY_KEY[key].hint[:200] or f"请选择{header}"
        dv.showInputMessage = True
        target = column_letter(key)
        dv.add(f"{target}{first}:{target}{last_row}")
        ws.add_data_validation(dv)  # type: ignore[attr-defined]


__all__ = ["FIRST_DATA_ROW", "HEADER_ROW", "LISTS_SHEET", "NOTES_SHEET", "SHEET_NAME", "TEMPLATE_ROWS", "column_letter",
           "write_template"]
