"""Importing a staff roster (花名册) from Excel: read, preview, then apply in one transaction (R10).

Three steps, so that nothing is half-written and the clerk sees every problem before anything changes:

1. :func:`read_roster` reads the .xlsx as real rosters come: any sheet with a recognizable header
   (title rows above it, merged or two-row headers, headers named with synonyms), full-width
   characters and stray spaces, dates typed in the usual Chinese ways or stored as Excel dates. An ID
   number that Excel stored as a number (a 17-digit number that lost its final X, a float in
   scientific notation that lost its last digits) is flagged, never guessed.
2. :func:`preview_roster` checks every row against the database: new person, update (which fields
   change, old → new), unchanged, or error with a Chinese reason naming sheet, row, column, header and
   value. When 所在单位 and 职务类别 are filled the row also plans posts, with the A/B slot rules (R3)
   checked within the file and against the database.
3. :func:`apply_import` writes the valid rows through :mod:`.people` and :mod:`.posts` (so validation
   and the audit log apply), yielding progress; the caller's session scope owns the transaction.

No Qt here; the UI runs :func:`apply_import` on its worker with a cancel button.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Person, Post
from ..errors import ValidationError
from . import roster_columns as rc
from . import roster_template
from ._common import clean_phone, clean_text
from .id_number import IdInfo, check_consistency, mask_id_number, parse_id_number
from .people import PersonInput, add_person, person_input, update_person, validated_values
from .posts import ROLE_UNIT_KINDS, assign_post

Progress = tuple[int, int, str]
Status = Literal["new", "update", "unchanged", "error"]
STATUS_LABEL: dict[str, str] = {"new": "新增", "update": "更新", "unchanged": "无变化", "error": "错误"}

#: How far down a sheet the header is looked for (title and note rows come first).
HEADER_SEARCH_ROWS = 30
_FOOTER_WORDS = ("填表", "审核", "制表", "负责人", "合计", "注：", "注:", "说明：", "说明:", "盖章")
_POST_SPLIT = re.compile(r"[；;\n]")
_PERSON_KEYS = tuple(f.name for f in fields(PersonInput))
#: Column key → the field label services use in their ValidationErrors.
_FIELD_LABEL: dict[str, str] = {c.key: c.header for c in rc.COLUMNS}
_KEY_BY_LABEL: dict[str, str] = {label: key for key, label in _FIELD_LABEL.items()} | {"任职单位": "unit"}


# --- cells ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CellRef:
    """Where a value sits, as the clerk sees it in Excel."""

    sheet: str
    row: int
    column: int  #: 1-based
    header: str  #: the header text as written in the file

    @property
    def letter(self) -> str:
        return get_column_letter(self.column)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, float) and abs(value) >= 1e15:
        text = f"{value:.5E}"  # as Excel shows it: 3.60499E+17
    else:
        text = str(value).strip()
    return text if len(text) <= 40 else text[:38] + "…"


def cell_message(sheet: str, row: int, ref: CellRef | None, label: str, value: object, message: str) -> str:
    """ "花名册 第 7 行 C 列【身份证号码】“36049919910101007”：…" """
    where = f"{sheet} 第 {row} 行"
    where += f" {ref.letter} 列【{ref.header}】" if ref is not None else f"【{label}】"
    shown = _shown(value)
    return f"{where}“{shown}”：{message}" if shown else f"{where}：{message}"


def _error_text(exc: ValidationError) -> str:
    return exc.message + (f"（规则 {exc.rule}）" if exc.rule else "")


@dataclass(frozen=True)
class ParsedDate:
    value: dt.date
    month_only: bool = False  #: "2024.03": the month is known, the day is not


_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_YM = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_TIME_SUFFIX = re.compile(r"(?<=\d)[ T]?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DATE_HINT = "请填 YYYY-MM-DD（如 2024-03-01；也可 2024/3/1、2024年3月1日、20240301）"


def _make_date(year: int, month: int, day: int = 1, *, month_only: bool = False) -> ParsedDate:
    try:
        return ParsedDate(dt.date(year, month, day), month_only)
    except ValueError:
        shown = f"{year}-{month:02d}" if month_only else f"{year}-{month:02d}-{day:02d}"
        raise ValidationError(f"{shown} 不是有效日期") from None


def parse_date(value: object, *, epoch: dt.datetime | None = None) -> ParsedDate | None:
    """A date cell as typed in real rosters; None when empty. Raises ValidationError (no field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return ParsedDate(value.date())
    if isinstance(value, dt.date):
        return ParsedDate(value)
    if isinstance(value, bool):
        raise ValidationError(f"不是日期，{_DATE_HINT}")
    if isinstance(value, float) and not value.is_integer():
        if 1900 <= value < 2101:  # "2024.03" typed into a number cell
            year, _, frac = repr(value).partition(".")
            if frac == "1":
                raise ValidationError("是数字格式的年月，无法区分 1 月和 10 月，请改为文本，如 2024-10 或 2024-01")
            if len(frac) > 2:
                raise ValidationError(f"不是可识别的日期，{_DATE_HINT}")
            return _make_date(int(year), int(frac.ljust(1, "0")), month_only=True)
        return _serial(value, epoch)
    if isinstance(value, int | float):
        number = int(value)
        if 19000101 <= number <= 21001231:
            return _make_date(number // 10000, number // 100 % 100, number % 100)
        if 190001 <= number <= 210012:
            return _make_date(number // 100, number % 100, month_only=True)
        if 1900 <= number <= 2100:
            raise ValidationError(f"只有年份，{_DATE_HINT}")
        return _serial(number, epoch)
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    text = _TIME_SUFFIX.sub("", text)
    if m := _YMD.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _YM.match(text):
        return _make_date(int(m[1]), int(m[2]), month_only=True)
    if text.isdigit() and len(text) == 8:
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if text.isdigit() and len(text) == 6:
        return _make_date(int(text[:4]), int(text[4:]), month_only=True)
    raise ValidationError(f"不是可识别的日期，{_DATE_HINT}")


def _serial(number: float, epoch: dt.datetime | None) -> ParsedDate:
    """An Excel date serial in a cell without a date format."""
    try:
        day = from_excel(number, epoch) if epoch is not None else from_excel(number)
    except (ValueError, OverflowError):
        day = None
    if not isinstance(day, dt.datetime) or not 1900 <= day.year <= 2100:
        raise ValidationError(f"不是可识别的日期，{_DATE_HINT}")
    return ParsedDate(day.date())


_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?e\+?\d+$", re.IGNORECASE)
_RETYPE = "请把该列设为“文本”格式，重新输入完整的 18 位号码"


def id_number_text(value: object) -> tuple[str, bool]:
    """The ID number cell as text, and whether Excel stored it as a number.

    Raises ValidationError when Excel's number storage lost digits: a 17-digit number (the final X
    dropped) or a float beyond 15 significant digits (shown as 3.60499E+17). Never guessed.
    """
    if value is None or isinstance(value, bool):
        return "", False
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 1e15:
            lost_x = "只有 17 位，末位（很可能是 X）已丢失；并且" if 1e16 <= abs(value) < 1e17 else ""
            raise ValidationError(f"以数字（科学计数法）保存，{lost_x}Excel 只保留 15 位有效数字，后几位已丢失，"
                                  f"无法还原。{_RETYPE}")
        value = int(value)
    if isinstance(value, int):
        digits = str(abs(value))
        if len(digits) == 17:
            raise ValidationError(f"以数字保存，只有 17 位：末位（很可能是 X）已丢失。{_RETYPE}")
        return digits, True
    text = "".join(unicodedata.normalize("NFKC", str(value)).split()).lstrip("'")
    if "*" in text:
        raise ValidationError("含有“*”：这是脱敏后的号码（如“脱敏导出”的花名册），不能用于导入，请填写完整号码")
    if _SCIENTIFIC.match(text):
        raise ValidationError(f"是科学计数法（{text}），后几位已丢失，无法还原。{_RETYPE}")
    return text, False


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    return str(value).strip()


# --- reading ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PostCells:
    """One post a row asks for (several are written "；"-separated, as the export writes them)."""

    unit: str  #: unit name or statistical code, as typed
    role: str  #: code
    slot: str | None
    tenure: str
    start_date: dt.date | None


@dataclass
class RosterRow:
    """One data row of a roster, parsed without the database."""

    sheet: str
    row: int
    refs: dict[str, CellRef]
    raw: dict[str, object]
    name: str = ""
    id_text: str = ""
    id_from_number: bool = False
    id_flagged: bool = False  #: the ID cell was refused while reading (lost digits, masked)
    values: dict[str, Any] = field(default_factory=dict)  #: PersonInput fields present in the row
    birth_month: tuple[int, int] | None = None  #: a birth date given as year and month only
    posts: list[PostCells] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.sheet} 第 {self.row} 行"

    def message(self, key: str, message: str, value: object = None) -> str:
        ref = self.refs.get(key)
        shown = self.raw.get(key) if value is None else value
        return cell_message(self.sheet, self.row, ref, _FIELD_LABEL.get(key, key), shown, message)

    def problem(self, key: str, message: str, value: object = None) -> None:
        self.problems.append(self.message(key, message, value))


@dataclass(frozen=True)
class RosterSheet:
    name: str
    header_rows: tuple[int, ...]
    columns: dict[str, CellRef]  #: column key → the header cell that named it
    rows: int  #: data rows read


@dataclass
class RosterPreview:
    """What :func:`read_roster` found in a file."""

    path: Path
    sheets: list[RosterSheet]
    rows: list[RosterRow]
    notes: list[str]  #: sheets and rows left out, and why

    @property
    def file_name(self) -> str:
        return self.path.name


def _open_workbook(path: Path) -> Workbook:
    if not path.is_file():
        raise ValidationError(f"找不到文件“{path}”", field="花名册文件")
    if path.suffix.lower() in (".xls", ".et", ".csv"):
        raise ValidationError(f"“{path.name}”是 {path.suffix} 格式，请在 Excel 或 WPS 中“另存为”.xlsx 后再导入",
                              field="花名册文件")
    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:  # a damaged file raises many kinds (ParseError, zlib.error, …: found by fuzzing)
        raise ValidationError(f"“{path.name}”不是有效的 .xlsx 文件（可能已加密、损坏或正在被编辑）：{exc}",
                              field="花名册文件") from exc


def _grid(ws: Worksheet) -> list[list[object]]:
    """Every cell value, with a merged range's value repeated over all its cells."""
    width = ws.max_column or 0
    grid = [list(row) for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=width, values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = value
    return grid


def _match_header(rows: Sequence[Sequence[object]]) -> dict[str, tuple[int, object]]:
    """Column key → (0-based column, header value); the lowest header row names a column first."""
    found: dict[str, tuple[int, object]] = {}
    width = max((len(r) for r in rows), default=0)
    for c in range(width):
        for row in reversed(rows):
            value = row[c] if c < len(row) else None
            key = rc.header_key(value) if isinstance(value, str) else None
            if key is not None:
                if key not in found:
                    found[key] = (c, value)
                break
    return found


def _header_like(row: Sequence[object]) -> bool:
    return sum(1 for v in row if isinstance(v, str) and rc.header_key(v)) >= 2


def _sub_header(row: Sequence[object]) -> bool:
    """A row under a header that names columns too, and holds nothing that looks like an ID number."""
    if any(sum(ch.isdigit() for ch in _text(v)) >= 10 for v in row):
        return False
    return any(isinstance(v, str) and rc.header_key(v) for v in row)


def _find_header(grid: list[list[object]]) -> tuple[tuple[int, ...], dict[str, tuple[int, object]]] | None:
    best: tuple[int, tuple[int, ...], dict[str, tuple[int, object]]] | None = None
    for r in range(min(HEADER_SEARCH_ROWS, len(grid))):
        if not _header_like(grid[r]):
            continue
        rows: tuple[int, ...] = (r,)
        if r + 1 < len(grid) and _sub_header(grid[r + 1]):
            rows = (r, r + 1)  # a two-row header: group titles above, column names below
        mapping = _match_header([grid[i] for i in rows])
        if not all(k in mapping for k in rc.REQUIRED_KEYS):
            continue
        if best is None or len(mapping) > best[0]:
            best = (len(mapping), rows, mapping)
    return None if best is None else (best[1], best[2])


def _is_footer(values: Iterable[object]) -> bool:
    return any(isinstance(v, str) and any(w in v for w in _FOOTER_WORDS) for v in values)


def read_roster(path: str | Path) -> RosterPreview:
    """Read every sheet of *path* that has a recognizable roster header (姓名 and 身份证号码 at least).

    Raises ValidationError when the file cannot be read or no sheet has such a header.
    """
    path = Path(path)
    wb = _open_workbook(path)
    sheets: list[RosterSheet] = []
    rows: list[RosterRow] = []
    notes: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            if ws.title != roster_template.LISTS_SHEET:
                notes.append(f"工作表“{ws.title}”已隐藏，未读取")
            continue
        grid = _grid(ws)
        found = _find_header(grid)
        if found is None:
            if ws.title != roster_template.NOTES_SHEET and any(v not in (None, "") for row in grid for v in row):
                notes.append(f"工作表“{ws.title}”没有找到含“姓名”和“身份证号码”的表头，未读取")
            continue
        header_rows, mapping = found
        refs = {key: CellRef(ws.title, header_rows[-1] + 1, c + 1, "".join(str(v).split()))
                for key, (c, v) in mapping.items()}
        has_role = "role" in refs
        if "unit" in refs and not has_role:
            notes.append(f"工作表“{ws.title}”没有【职务类别】列，【{refs['unit'].header}】列不用于任职")
        before = len(rows)
        for r in range(header_rows[-1] + 1, len(grid)):
            line = grid[r]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in line):
                continue
            if _header_like(line):
                continue  # the header repeated (printed rosters repeat it on every page)
            raw = {key: (line[ref.column - 1] if ref.column - 1 < len(line) else None) for key, ref in refs.items()}
            filled = list(dict.fromkeys(_text(v) for v in line if _text(v)))
            single = len(filled) == 1 and sum(ch.isdigit() for ch in filled[0]) < 15
            no_id = not _text(raw.get("id_number"))
            if single or (no_id and (_is_footer(filled) or not _text(raw.get("name")))):
                # a section title ("一、村站点管理员"), a note merged across the row, a signature line
                notes.append(f"{ws.title} 第 {r + 1} 行（“{'、'.join(filled)[:40]}”）不是人员行"
                             "（没有姓名和身份证号码），未导入")
                continue
            row_refs = {k: replace(ref, row=r + 1) for k, ref in refs.items()}
            rows.append(_parse_row(RosterRow(ws.title, r + 1, row_refs, raw), epoch=wb.epoch, with_posts=has_role))
        sheets.append(RosterSheet(ws.title, tuple(i + 1 for i in header_rows), refs, len(rows) - before))
    if not sheets:
        detail = "；".join(notes) if notes else "文件是空的"
        raise ValidationError(f"“{path.name}”中没有找到花名册（表头须含“姓名”和“身份证号码”）：{detail}",
                              field="花名册文件")
    return RosterPreview(path, sheets, rows, notes)


def _parse_row(row: RosterRow, *, epoch: dt.datetime, with_posts: bool) -> RosterRow:
    raw = row.raw
    row.name = "".join(unicodedata.normalize("NFKC", _text(raw.get("name"))).split())
    try:
        row.id_text, row.id_from_number = id_number_text(raw.get("id_number"))
    except ValidationError as exc:
        row.problem("id_number", exc.message)
        row.id_flagged = True

    def code(key: str, *, role: str | None = None) -> None:
        try:
            value = rc.to_code(key, raw.get(key), role=role)
        except ValidationError as exc:
            row.problem(key, exc.message)
            return
        if value is not None:
            row.values[key] = value

    for key in ("gender", "ethnicity", "political_status", "education"):
        code(key)
    for key in ("employer", "job_title", "notes"):
        text = _text(raw.get(key))
        if text:
            row.values[key] = text
    phone = unicodedata.normalize("NFKC", _text(raw.get("phone")))
    if phone:
        row.values["phone"] = phone
    try:
        birth = parse_date(raw.get("birth_date"), epoch=epoch)
    except ValidationError as exc:
        row.problem("birth_date", exc.message)
        birth = None
    if birth is not None:
        if birth.month_only:
            row.birth_month = (birth.value.year, birth.value.month)
        else:
            row.values["birth_date"] = birth.value
    if with_posts:
        _parse_posts(row, epoch)
    roles = [p.role for p in row.posts] or [None]
    if _text(raw.get("source_category")):
        errors: list[ValidationError] = []
        for role in roles:
            try:
                row.values["source_category"] = rc.to_code("source_category", raw.get("source_category"),
                                                           role=role)
                break
            except ValidationError as exc:
                errors.append(exc)
        else:
            row.problem("source_category", errors[0].message)
    return row


def _pieces(row: RosterRow, key: str) -> list[str]:
    value = row.raw.get(key)
    if isinstance(value, str):
        parts = [p.strip() for p in _POST_SPLIT.split(value.strip())]
        return parts if any(parts) else []
    return [_text(value)] if _text(value) else []


def _parse_posts(row: RosterRow, epoch: dt.datetime) -> None:
    units, roles = _pieces(row, "unit"), _pieces(row, "role")
    if not units and not roles:
        for key in ("slot", "tenure", "start_date"):
            if _text(row.raw.get(key)):
                row.problem(key, "填写了岗位信息，但没有填写所在单位和职务类别")
                return
        return
    if not units or not roles:
        missing = "所在单位" if not units else "职务类别"
        row.problem("unit" if not units else "role", f"所在单位和职务类别须同时填写（缺{missing}）")
        return
    count = len(units)
    if len(roles) != count:
        row.problem("role", f"填了 {count} 个所在单位、{len(roles)} 个职务类别，须一一对应（用“；”分隔）")
        return

    def spread(key: str, *, may_repeat: bool) -> list[object] | None:
        value = row.raw.get(key)
        if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
            parts: list[object] = [value]
        else:
            parts = list(_pieces(row, key))
        if not parts:
            return [None] * count
        if len(parts) == count:
            return parts
        if len(parts) == 1 and may_repeat:
            return parts * count
        row.problem(key, f"须与所在单位一一对应（{count} 项，用“；”分隔）")
        return None

    slots = spread("slot", may_repeat=False)
    tenures = spread("tenure", may_repeat=True)
    starts = spread("start_date", may_repeat=True)
    if slots is None or tenures is None or starts is None:
        return
    ok = True
    for unit, role_text, slot_text, tenure_text, start_value in zip(units, roles, slots, tenures, starts,
                                                                   strict=True):
        parsed: dict[str, str | None] = {}
        for key, text in (("role", role_text), ("slot", slot_text), ("tenure", tenure_text)):
            try:
                parsed[key] = rc.to_code(key, text)
            except ValidationError as exc:
                row.problem(key, exc.message, value=text)
                ok = False
        if len(parsed) < 3:
            continue
        role, slot, tenure = parsed["role"], parsed["slot"], parsed["tenure"] or "part_time"
        try:
            start = parse_date(start_value, epoch=epoch)
        except ValidationError as exc:
            row.problem("start_date", exc.message, value=start_value)
            ok = False
            continue
        if not unit:
            row.problem("unit", "所在单位不能为空")
            ok = False
            continue
        if role is None:
            row.problem("role", "职务类别不能为空")
            ok = False
            continue
        row.posts.append(PostCells(unit, role, slot, tenure, start.value if start else None))
    if not ok:
        row.posts.clear()


# --- preview -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldChange:
    field: str  #: Chinese label
    old: str
    new: str

    def text(self) -> str:
        return f"{self.field}：{self.old or '（空）'} → {self.new or '（空）'}"


@dataclass(frozen=True)
class PlannedPost:
    unit_id: str
    unit_name: str
    role: str
    slot: str | None
    tenure: str
    start_date: dt.date
    reason: str | None  #: None: first holder ("新任"); a text when the post had a holder before (R12)

    def text(self) -> str:
        slot = f" {codes.label(codes.SLOT, self.slot)}" if self.slot else ""
        return (f"{self.unit_name} {codes.label(codes.ROLE, self.role)}{slot}"
                f"（{codes.label(codes.TENURE, self.tenure)}，{self.start_date.isoformat()} 起）")


@dataclass
class ImportRow:
    """One roster row's verdict."""

    sheet: str
    row: int
    status: Status
    name: str
    id_number: str  #: normalized when valid, else as typed
    person_id: str | None = None  #: the existing person (update / unchanged)
    person: PersonInput | None = None  #: what is added (new)
    updates: dict[str, Any] = field(default_factory=dict)  #: update_person changes (update)
    changes: list[FieldChange] = field(default_factory=list)
    posts: list[PlannedPost] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  #: why the row is refused (error)

    @property
    def where(self) -> str:
        return f"{self.sheet} 第 {self.row} 行"

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]

    def description(self) -> str:
        """What the report and the preview table show for the row."""
        if self.status == "error":
            return "\n".join(self.reasons)
        parts = [c.text() for c in self.changes] + [f"任职：{p.text()}" for p in self.posts]
        if self.status == "new":
            return "新增人员" + (f"；{'；'.join(parts)}" if parts else "")
        return "；".join(parts) if parts else "与库中记录一致"


@dataclass(frozen=True)
class ImportSummary:
    new: int = 0
    update: int = 0
    unchanged: int = 0
    error: int = 0

    @property
    def total(self) -> int:
        return self.new + self.update + self.unchanged + self.error

    def text(self) -> str:
        return (f"共 {self.total} 行：新增 {self.new} 人，更新 {self.update} 人，无变化 {self.unchanged} 人，"
                f"错误 {self.error} 行")


@dataclass
class ImportPreview:
    file: Path
    rows: list[ImportRow]
    notes: list[str]
    today: dt.date

    @property
    def summary(self) -> ImportSummary:
        count = defaultdict(int, {s: 0 for s in STATUS_LABEL})
        for row in self.rows:
            count[row.status] += 1
        return ImportSummary(count["new"], count["update"], count["unchanged"], count["error"])

    @property
    def has_errors(self) -> bool:
        return any(r.status == "error" for r in self.rows)

    @property
    def errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == "error"]


@dataclass(frozen=True)
class _Unit:
    id: str
    code: str | None
    name: str
    kind: str
    active: bool
    parent_name: str | None


_UNIT_SUFFIXES = ("远程教育终端接收站点", "终端接收站点", "接收站点", "站点", "村民委员会", "村委会")


def _core_name(name: str) -> str:
    form = rc.normalize(name)
    for suffix in _UNIT_SUFFIXES:
        if form.endswith(suffix) and len(form) > len(suffix):
            return form[: -len(suffix)]
    return form


class _UnitIndex:
    def __init__(self, session: Session) -> None:
        units = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.active,
                                       OrgUnit.parent_id).where(OrgUnit.deleted.is_(False))).tuples().all()
        names = {u[0]: u[2] for u in units}
        self.units = [_Unit(i, c, n, k, bool(a), names.get(p) if p else None) for i, c, n, k, a, p in units]
        self.by_code = {u.code: u for u in self.units if u.code}
        self.by_name: dict[str, list[_Unit]] = defaultdict(list)
        self.by_core: dict[str, list[_Unit]] = defaultdict(list)
        for u in self.units:
            self.by_name[rc.normalize(u.name)].append(u)
            self.by_core[_core_name(u.name)].append(u)

    def resolve(self, text: str) -> _Unit:
        form = rc.normalize(text)
        if form.isdigit():
            unit = self.by_code.get(form)
            if unit is None:
                raise ValidationError(f"没有统计代码为 {form} 的单位，请先在单位管理中添加")
            return unit
        parent_form = None
        if "/" in form:
            parent_form, _, form = form.rpartition("/")
        found = self.by_name.get(form) or self.by_core.get(_core_name(form)) or []
        if parent_form:
            found = [u for u in found if u.parent_name and rc.normalize(u.parent_name) == parent_form]
        if len(found) > 1:
            active = [u for u in found if u.active]
            found = active if len(active) == 1 else found
        if not found:
            raise ValidationError("找不到这个单位，请先在单位管理中添加，或填写统计代码")
        if len(found) > 1:
            where = "、".join(f"{u.parent_name or ''}{u.name}（{u.code or '无代码'}）" for u in found[:5])
            raise ValidationError(f"有 {len(found)} 个同名单位：{where}，请填写统计代码或“乡镇/村”")
        return found[0]


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


_DISPLAY_CODES = {"gender": codes.GENDER, "ethnicity": codes.ETHNICITY, "political_status": codes.POLITICAL_STATUS,
                  "education": codes.EDUCATION, "source_category": codes.SOURCE_CATEGORY}


def _display(key: str, value: object) -> str:
    if value is None:
        return ""
    if key in _DISPLAY_CODES:
        return codes.label(_DISPLAY_CODES[key], str(value))
    if key == "phone":
        text = "".join(str(value).split())
        return text[:3] + "****" + text[-4:] if len(text) >= 8 else "*" * max(len(text) - 2, 0) + text[-2:]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def preview_roster(session: Session, roster: RosterPreview, *, today: dt.date | None = None) -> ImportPreview:
    """Classify every row of *roster* against the database: new, update, unchanged or error. Writes nothing."""
    today = today or dt.date.today()
    units = _UnitIndex(session)
    infos: dict[int, IdInfo] = {}
    rows = [replace(r, problems=list(r.problems)) for r in roster.rows]  # the roster can be previewed again
    for n, row in enumerate(rows):
        if row.id_text:
            try:
                infos[n] = parse_id_number(row.id_text, today=today)
            except ValidationError as exc:
                hint = "（该单元格是数字格式，号码可能已被 Excel 改动，请设为文本后重新输入）" if row.id_from_number else ""
                row.problem("id_number", exc.message + hint)
        elif not row.id_flagged:
            row.problem("id_number", "不能为空")

    numbers = sorted({info.number for info in infos.values()})
    people: dict[str, Person] = {}
    for chunk in _chunks(numbers):
        for person in session.scalars(select(Person).where(Person.id_number.in_(chunk))):
            people[person.id_number] = person
    person_ids = [p.id for p in people.values()]
    held: dict[str, list[tuple[str, str, str | None, str]]] = defaultdict(list)  # person → (unit, role, slot, name)
    for chunk in _chunks(person_ids):
        for pid, unit_id, role, slot, unit_name in session.execute(
                select(Post.person_id, Post.unit_id, Post.role, Post.slot, OrgUnit.name)
                .join(OrgUnit, OrgUnit.id == Post.unit_id)
                .where(Post.person_id.in_(chunk), Post.end_date.is_(None), Post.deleted.is_(False))).tuples():
            held[pid].append((unit_id, role, slot, unit_name))
    slot_holders = {(u, s): (pid, name) for u, s, pid, name in session.execute(
        select(Post.unit_id, Post.slot, Post.person_id, Person.name).join(Person, Person.id == Post.person_id)
        .where(Post.end_date.is_(None), Post.slot.is_not(None), Post.deleted.is_(False))).tuples()}
    ended = set(session.execute(select(Post.unit_id, Post.role, Post.slot).where(
        Post.end_date.is_not(None), Post.deleted.is_(False)).distinct()).tuples())
    ended_roles = {(u, r) for u, r, _ in ended}

    seen: dict[str, list[int]] = defaultdict(list)
    for n, info in infos.items():
        seen[info.number].append(n)
    for number, where in seen.items():
        if len(where) > 1:
            places = "、".join(rows[i].where for i in where)
            for i in where:
                row = rows[i]
                row.problem("id_number", f"同一号码在文件中出现 {len(where)} 次（{places}），请只保留一行；"
                            "一人有多个岗位时，在同一行内用“；”分隔填写",
                            value=mask_id_number(number))

    result: list[ImportRow] = []
    slot_claims: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, row in enumerate(rows):
        info = infos.get(n)
        out = ImportRow(row.sheet, row.row, "error", row.name, info.number if info else row.id_text)
        result.append(out)
        if info is None:
            _check_person_fields(row, None)
            out.reasons = row.problems
            continue
        existing = people.get(info.number)
        _check_person_fields(row, info)
        if existing is not None:
            out.person_id = existing.id
            if existing.deleted:
                row.problem("id_number", "该号码属于已删除的人员记录，不能导入，请联系县远程办",
                            value=mask_id_number(info.number))
            elif existing.name != row.name and row.name:
                row.problem("name", f"身份证号码 {mask_id_number(info.number)} 已登记为“{existing.name}”，"
                                    "与本行姓名不一致；请核对号码，如确需更名请在人员档案中修改")
        if not row.problems:
            _plan_person(row, out, info, existing, today)
        for cells in row.posts:
            post = _plan_post(row, cells, info, existing, units, held, slot_holders, ended, ended_roles,
                              today, roster.file_name)
            if post is not None:
                out.posts.append(post)
                if post.slot:
                    slot_claims[(post.unit_id, post.slot)].append(n)
        out.reasons = row.problems

    for (_unit_id, slot), where in slot_claims.items():
        if len(where) > 1:
            places = "、".join(rows[i].where for i in where)
            for i in where:
                post = next(p for p in result[i].posts if p.slot == slot and p.unit_id == _unit_id)
                rows[i].problem("slot", f"{places}都填了“{post.unit_name}”的{slot}岗，一个岗位只能一人担任",
                                       value=f"{slot}岗")
                result[i].reasons = rows[i].problems
    for out in result:
        if out.reasons:
            out.status = "error"
        elif out.person_id is None:
            out.status = "new"
        else:
            out.status = "update" if out.changes or out.posts else "unchanged"
    return ImportPreview(roster.path, result, list(roster.notes), today)


def _check_person_fields(row: RosterRow, info: IdInfo | None) -> None:
    """Every field on its own, so that a row lists all its problems at once."""
    try:
        name = clean_text(row.name, field="姓名", required=True, max_len=50) or ""
        if any(c.isdigit() for c in name):
            raise ValidationError("含有数字", field="姓名")
    except ValidationError as exc:
        row.problem("name", _error_text(exc))
    for key, label in (("employer", "工作单位"), ("job_title", "职务")):
        try:
            clean_text(row.values.get(key), field=label, max_len=100)
        except ValidationError as exc:
            row.problem(key, _error_text(exc))
    try:
        clean_phone(row.values.get("phone"))
    except ValidationError:
        masked = "含有“*”：这是脱敏后的号码，请填写完整号码" if "*" in str(row.values.get("phone")) else ""
        row.problem("phone", masked or "不是有效的电话号码（只能含数字、空格、+、-、括号）")
    if info is None:
        return
    for key in ("birth_date", "gender"):
        try:
            check_consistency(info, birth_date=row.values.get("birth_date") if key == "birth_date" else None,
                              gender=row.values.get("gender") if key == "gender" else None)
        except ValidationError as exc:
            row.problem(key, _error_text(exc))
    if row.birth_month and row.birth_month != (info.birth_date.year, info.birth_date.month):
        row.problem("birth_date", f"与身份证号码中的出生年月 {info.birth_date:%Y-%m} 不一致")
    for cells in row.posts:
        if cells.start_date is not None and cells.start_date < info.birth_date:
            row.problem("start_date", f"早于出生日期 {info.birth_date.isoformat()}", value=cells.start_date)


def _plan_person(row: RosterRow, out: ImportRow, info: IdInfo, existing: Person | None, today: dt.date) -> None:
    values = {k: v for k, v in row.values.items() if k in _PERSON_KEYS}
    if existing is None:
        data = PersonInput(name=row.name, id_number=info.number, **values)
        try:
            validated_values(data, today=today)
        except ValidationError as exc:
            row.problem(_KEY_BY_LABEL.get(exc.field or "", "id_number"), _error_text(exc))
            return
        out.person = data
        return
    data = replace(person_input(existing), **values)
    try:
        new = validated_values(data, today=today)
    except ValidationError as exc:
        row.problem(_KEY_BY_LABEL.get(exc.field or "", "id_number"), _error_text(exc))
        return
    for key in values:
        old = getattr(existing, key)
        if new[key] != old:
            out.updates[key] = values[key]
            out.changes.append(FieldChange(_FIELD_LABEL[key], _display(key, old), _display(key, new[key])))


def _plan_post(row: RosterRow, cells: PostCells, info: IdInfo, existing: Person | None, units: _UnitIndex,
               held: dict[str, list[tuple[str, str, str | None, str]]],
               slot_holders: dict[tuple[str, str], tuple[str, str]], ended: set[tuple[str, str, str | None]],
               ended_roles: set[tuple[str, str]], today: dt.date, file_name: str) -> PlannedPost | None:
    role_label = codes.label(codes.ROLE, cells.role)
    try:
        unit = units.resolve(cells.unit)
    except ValidationError as exc:
        row.problem("unit", exc.message, value=cells.unit)
        return None
    allowed = ROLE_UNIT_KINDS[cells.role]
    if unit.kind not in allowed:
        kinds = "或".join(codes.label(codes.UNIT_KIND, k) for k in allowed)
        rule = "R3" if cells.role in ("village_manager", "enterprise_manager") else "R2–R5"
        row.problem("role", f"{role_label}应在{kinds}任职，“{unit.name}”是{codes.label(codes.UNIT_KIND, unit.kind)}"
                            f"（规则 {rule}）", value=role_label)
        return None
    if not unit.active:
        row.problem("unit", f"“{unit.name}”已停用，不能任职（规则 R1）", value=cells.unit)
        return None
    if cells.role == "village_manager" and cells.slot is None:
        row.problem("slot", "村站点管理员须填 A岗 或 B岗（规则 R3）")
        return None
    if cells.role != "village_manager" and cells.slot is not None:
        row.problem("slot", f"只有村站点管理员分 A岗/B岗，{role_label}不填（规则 R3）")
        return None
    if cells.start_date is None:
        row.problem("start_date", f"在“{unit.name}”任{role_label}须填写任职日期")
        return None
    if cells.start_date > today:
        row.problem("start_date", f"晚于今天（{today.isoformat()}）", value=cells.start_date)
        return None
    slot_label = codes.label(codes.SLOT, cells.slot) if cells.slot else ""
    if existing is not None:
        if existing.left_on is not None:
            row.problem("role", f"{existing.name}已于 {existing.left_on.isoformat()} 离开队伍，不能任职",
                        value=role_label)
            return None
        for unit_id, role, slot, unit_name in held.get(existing.id, []):
            if unit_id == unit.id and role == cells.role:
                if slot == cells.slot:
                    return None  # already holds exactly this post: nothing to do
                row.problem("slot", f"已在“{unit_name}”担任{codes.label(codes.SLOT, slot)}；调整岗位须在程序中办理"
                                    "并填写原因（规则 R3、R12）", value=slot_label)
                return None
            if role == cells.role and role in codes.MANAGER_ROLES:
                row.problem("unit", f"已在“{unit_name}”担任{role_label}；调动须在程序中办理并填写原因（规则 R12）",
                            value=cells.unit)
                return None
    if cells.slot is not None:
        holder = slot_holders.get((unit.id, cells.slot))
        if holder is not None and (existing is None or holder[0] != existing.id):
            row.problem("slot", f"“{unit.name}”的{slot_label}已由{holder[1]}担任，一个岗位只能一人担任；"
                                "换人须先在程序中结束其岗位（规则 R3、R12）", value=slot_label)
            return None
    had_holder = ((unit.id, cells.role, cells.slot) in ended if cells.slot
                  else (unit.id, cells.role) in ended_roles)
    reason = f"按花名册导入（{file_name}）" if had_holder else None
    return PlannedPost(unit.id, unit.name, cells.role, cells.slot, cells.tenure, cells.start_date, reason)


# --- apply ---------------------------------------------------------------------------------------------

def apply_import(session: Session, preview: ImportPreview, *, today: dt.date,
                 skip_errors: bool = False) -> Generator[Progress, None, ImportSummary]:
    """Write the preview's new and changed rows and their posts; yield ``(done, total, text)``.

    Runs in the caller's transaction (its session scope commits). A preview with errors is refused
    unless *skip_errors* (then only the valid rows are written). Every write goes through
    :func:`.people.add_person`, :func:`.people.update_person` and :func:`.posts.assign_post`, so the
    rules are checked again and the audit log records each change. Closing the generator early
    (cancel) or a refusal part-way (the database changed since the preview) rolls the session back,
    so nothing of the import remains even if the caller then commits.
    """
    errors = preview.errors
    if errors and not skip_errors:
        raise ValidationError(f"有 {len(errors)} 行有错误，未导入任何数据。请改正后重新导入，或选择“跳过错误行”",
                              field="花名册", where=preview.file.name)
    work = [r for r in preview.rows if r.status in ("new", "update")]
    total = len(work)
    done = {"new": 0, "update": 0}
    try:
        yield 0, total, f"开始导入 {total} 人"
        for n, row in enumerate(work, start=1):
            try:
                if row.status == "new":
                    assert row.person is not None
                    person_id = add_person(session, row.person, today=today).id
                else:
                    assert row.person_id is not None
                    person_id = row.person_id
                    if row.updates:
                        update_person(session, person_id, **row.updates)
                for post in row.posts:
                    assign_post(session, person_id=person_id, unit_id=post.unit_id, role=post.role, slot=post.slot,
                                tenure=post.tenure, start_date=post.start_date, reason=post.reason, today=today)
            except ValidationError as exc:
                raise ValidationError(exc.message, field=exc.field, rule=exc.rule,
                                      where=f"{preview.file.name} {row.where}") from exc
            done[row.status] += 1
            yield n, total, f"已导入 {n}/{total}：{row.name}"
    except (GeneratorExit, Exception):
        if sum(done.values()) < total:  # cancelled or refused part-way: undo the rows already written
            session.rollback()
        raise
    unchanged = sum(1 for r in preview.rows if r.status == "unchanged")
    return ImportSummary(done["new"], done["update"], unchanged, len(errors))


# --- report --------------------------------------------------------------------------------------------

_STATUS_FILL = {"new": "E2EFDA", "update": "FFF2CC", "unchanged": None, "error": "F8CBAD"}
REPORT_HEADERS = ("工作表", "行号", "姓名", "身份证号码", "状态", "说明")


def write_row_report(preview: ImportPreview, path: str | Path) -> Path:
    """Write every row's status and reason to an .xlsx the clerk can sort and filter."""
    target = Path(path)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("导入报告")
    for letter, width in zip("ABCDEF", (14, 8, 10, 22, 8, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    title = WriteOnlyCell(ws, f"导入报告：{preview.file.name}（{preview.today.isoformat()}）{preview.summary.text()}")
    title.font = Font(bold=True, size=12)
    ws.append([title])
    head = []
    for text in REPORT_HEADERS:
        cell = WriteOnlyCell(ws, text)
        cell.font = Font(bold=True)
        head.append(cell)
    ws.append(head)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in preview.rows:
        number = mask_id_number(row.id_number) if row.status != "error" else row.id_number
        values: list[object] = [row.sheet, row.row, row.name, number, row.status_label, row.description()]
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value)
            cell.alignment = wrap
            if (color := _STATUS_FILL[row.status]) is not None:
                cell.fill = PatternFill("solid", fgColor=color)
            cells.append(cell)
        cells[3].number_format = "@"
        ws.append(cells)
    if preview.notes:
        notes = wb.create_sheet("说明")
        notes.column_dimensions["A"].width = 100
        for note in preview.notes:
            notes.append([note])
    partial = target.with_name(target.name + ".partial")  # a killed save leaves no truncated report (issue 10)
    try:
        wb.save(partial)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试",
                              field="导入报告") from exc
    return target


__all__ = ["CellRef", "FieldChange", "ImportPreview", "ImportRow", "ImportSummary", "ParsedDate", "PlannedPost",
           "PostCells", "RosterPreview", "RosterRow", "RosterSheet", "STATUS_LABEL", "apply_import",
           "cell_message", "id_number_text", "parse_date", "preview_roster", "read_roster",
           "write_row_report"]
