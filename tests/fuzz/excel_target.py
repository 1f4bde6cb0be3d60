"""Fuzz target 2: the Excel staff-roster importer (``services/staff_import.py``, as ``remoteedu people import`` and
the staff page's import dialog use it: ``read_roster`` → ``preview_roster`` → ``apply_import``).

Prepared once (:func:`prepare`): a township office with village and enterprise sites and people holding posts,
and real rosters the program writes: its unmasked export (``staff_export.export_roster``) and its template
(``roster_template.write_template``) filled in with new people and their posts, as a clerk would (as written, with
its 2000 prepared rows, and with the empty rows deleted).

Each input (:func:`make_input`) starts from one of them and mutates, with openpyxl:

- ``cell``: values of any type (empty, very long, formulas, dates as datetimes/serials/text/garbage, ID numbers
  that are wrong, numeric, masked or full-width, codes that do not exist, rare hanzi, emoji, RTL marks);
- ``row``: rows repeated, removed, moved, blank rows, a person's row again with other values;
- ``header``: headers moved, removed, renamed (synonyms and garbage), repeated, rows inserted above;
- ``sheet``: sheets renamed, added (empty or copies), removed, hidden, emptied, merged ranges;

and then, sometimes, the bytes: of the .xlsx file (flips, cuts), or of one XML part inside the zip (flips,
cuts, control characters, entity expansion, error cells, huge dimensions), re-zipped so that the zip is sound.

The input then goes through read → preview → apply (with or without "skip error rows") on a fresh copy of the
database, and :mod:`.oracle` judges the result.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select

from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import roster_columns as rc
from remoteedu_desktop.services import staff_export
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.people import PersonInput, add_person
from remoteedu_desktop.services.posts import assign_post
from remoteedu_desktop.services.roster_template import FIRST_DATA_ROW, column_letter, write_template
from remoteedu_desktop.services.staff_import import apply_import, preview_roster, read_roster
from remoteedu_desktop.services.units import add_unit

from .oracle import Broken, Outcome, Slot, changed_tables, chinese, integrity_problem, snapshot

TODAY = dt.date(2026, 6, 30)
TOWNSHIP = "360499100"


def make_id(birth: str, seq: int) -> str:
    first17 = f"360499{birth}{seq:03d}"
    return first17 + check_digit(first17)


@dataclass
class World:
    base: Path
    db: Path  #: the prepared township database (one file)
    rosters: dict[str, bytes]  #: "export" / "template" / "template_full" → the .xlsx bytes
    #: how often each roster is the start of an input (the full template is slow to read: 2000 prepared rows)
    weights: dict[str, int] = field(default_factory=lambda: {"export": 5, "template": 5, "template_full": 1})


NEW_PEOPLE = [  # name, birth, seq, phone, unit, role, slot, tenure, start
    ("孙一", "19800101", 11, "13900000011", "石桥村", "村站点管理员", "A岗", "兼职", "2024-03-01"),
    ("周二", "19810202", 12, "13900000012", "石桥村", "村站点管理员", "B岗", "专职", "2024/3/1"),
    ("吴三", "19820303", 13, "0791-8888888", "新村", "村站点管理员", "B岗", "", "2024年3月1日"),
    ("郑四", "19830404", 14, "", "龙潭镇", "乡镇教学辅导员", "", "兼职", "20240301"),
    ("冯𠀀", "19840505", 15, "13900000015", "", "", "", "", ""),
    ("陈五", "19850606", 16, "13900000016", "360499100203", "非公企业站点管理员", "", "兼职", "2023-12-31"),
    ("欧阳娜娜", "19860707", 18, "13900000018", "", "", "", "", ""),
]


def prepare(base: Path) -> World:
    """The township and its two real rosters, made once under *base* (emptied first)."""
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    db = open_database(f"sqlite:///{base / 'township.sqlite3'}", account="town_clerk")
    try:
        with db.session() as s:
            office = init_office(s, level="township", code=TOWNSHIP, name="龙潭镇", county_name="青山县")
            add_unit(s, kind="village", name="石桥村", parent_id=office.unit_id, code=f"{TOWNSHIP}201")
            new_village = add_unit(s, kind="village", name="新村", parent_id=office.unit_id, code=f"{TOWNSHIP}202")
            add_unit(s, kind="enterprise", name="龙潭茶业公司", parent_id=office.unit_id, code=f"{TOWNSHIP}203")
            add_unit(s, kind="village", name="𠀀家村", parent_id=office.unit_id, code=f"{TOWNSHIP}204")
            wang = add_person(s, PersonInput(name="王五", id_number=make_id("19700101", 31), phone="13900000005"),
                              today=TODAY)
            assign_post(s, person_id=wang.id, unit_id=new_village.id, role="village_manager", slot="A",
                        start_date=dt.date(2020, 1, 1), today=TODAY)
            add_person(s, PersonInput(name="赵六", id_number=make_id("19750505", 42), phone="13900000006",
                                      notes="老档案"), today=TODAY)
        export = base / "export.xlsx"
        with db.session() as s:
            staff_export.export_roster(s, export, unmasked=True, today=TODAY)
        path = db.path
        assert path is not None
    finally:
        db.dispose()
    template = write_template(base / "template.xlsx", units=["石桥村", "新村", "龙潭茶业公司"])
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    for n, (name, birth, seq, phone, unit, role, slot, tenure, start) in enumerate(NEW_PEOPLE):
        values = {"name": name, "id_number": make_id(birth, seq), "phone": phone, "unit": unit, "role": role,
                  "slot": slot, "tenure": tenure, "start_date": start, "ethnicity": "汉族" if n % 2 else None,
                  "political_status": "中共党员" if n % 3 == 0 else None}
        for key, value in values.items():
            if value:
                ws[f"{column_letter(key)}{FIRST_DATA_ROW + n}"] = value
    full = io.BytesIO()
    wb.save(full)
    # The same filled template without the ~2000 prepared empty rows below the data: what a clerk's copy looks
    # like after "delete rows", and five times faster to read; most inputs start from it.
    ws.delete_rows(FIRST_DATA_ROW + len(NEW_PEOPLE), ws.max_row)
    compact = io.BytesIO()
    wb.save(compact)
    prepared = base / "township-prepared.sqlite3"
    snapshot(path, prepared)
    return World(base, prepared, {"export": export.read_bytes(), "template": compact.getvalue(),
                                  "template_full": full.getvalue()})


def make_slot(world: World, work: Path) -> Slot:
    return Slot(world.db, work, "town_clerk")


# --- mutations ---------------------------------------------------------------------------------------------------

RARE = ["𠀀", "𪚥", "䶮", "🙂", "👨‍👩‍👧", "\u200b", "\u202e", "\ufeff", "ｱ", "é", "\u3000", "·", "\u2028"]
CELL_VALUES: list[Any] = [
    None, "", " ", "\u3000", "x" * 32_767, "长" * 20_000, "=1/0", "=A1+1", '=HYPERLINK("http://x","y")', "=NOW()",
    "#N/A", "#REF!", dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1, 13, 45), dt.date(1900, 1, 1), dt.time(9, 30),
    dt.datetime(1899, 12, 31), dt.datetime(9999, 12, 31), 45000, 45000.5, 0, -1, 1, 60, 2958466, 1e308, -1e308,
    3.60499197001e17, 36049919700101003, 360499197001010031, 360499197001010031.0, True, False,
    "2024/3/1", "2024年3月1日", "20240301", "2024.03", 2024.03, 2024.1, 2024, 202403, 20240301, "1970-02-30",
    "2024-1-32", "2024-03-01 09:00", "2024-03-01T09:00:00.123", "１９８０－０１－０１", "99", "9" * 400,
    "3604**********0031", "36049919700101003x", " 360499 1970 0101 0031 ", "３６０４９９１９７００１０１００３１",
    "'360499197001010031", "360499197001010032", "000000000000000000", "11010519491231002X", "36049919700101003X",
    "男", "女", "未知", "汉", "汉族", "外星族", "党员", "群众", "博士", "A岗", "Ｂ岗 ", "C岗", "AB岗", "专职", "半职",
    "村站点管理员", "县级教学辅导员", "技术服务员", "站长", "石桥村", "新村", "𠀀家村", "龙潭镇/石桥村", "青山县/新村",
    "360499100201", "360499100999", "石桥村；新村", "石桥村；", "；；", ";", "\n", "王\n五", "13800138000",
    "138-0013-8000", "+86 138 0013 8000", "138****8000", "电话：无", "填表人：张三", "合计", "注：以上人员", "姓名",
    "身份证号码", "一、村站点管理员",
]


def _cell_value(rng: random.Random) -> Any:
    if rng.random() < 0.15:
        return "".join(rng.choice(RARE + ["张", "李", "3", "X"]) for _ in range(rng.randint(1, 8)))
    return rng.choice(CELL_VALUES)


def _set(ws: Worksheet, row: int, col: int, value: Any, steps: list[str] | None = None) -> None:
    """Write a cell as a clerk's Excel would; a value openpyxl refuses, or a cell inside a merged range, stays."""
    try:
        ws.cell(row, col).value = value
    except (IllegalCharacterError, ValueError, TypeError, AttributeError) as exc:
        if steps is not None:
            steps.append(f"cell:unwritable {type(exc).__name__}")


def _main_sheet(wb: Workbook) -> Worksheet:
    return wb.worksheets[0]


def _header_row(ws: Worksheet) -> int:
    for r in range(1, min(ws.max_row, 10) + 1):
        if ws.cell(r, 1).value == "姓名" or any(ws.cell(r, c).value == "身份证号码" for c in range(1, 18)):
            return r
    return 3


def _cell_op(rng: random.Random, wb: Workbook, steps: list[str]) -> None:
    ws = _main_sheet(wb)
    head = _header_row(ws)
    last = max(ws.max_row, head + 1)
    row = rng.randint(head + 1, min(last + 2, head + 40))
    if rng.random() < 0.6:
        key = rng.choice(("id_number", "birth_date", "start_date", "name", "unit", "role", "slot", "phone",
                          "gender", "tenure", "source_category", "education", "political_status", "ethnicity"))
        col = rc.HEADERS.index(rc.COLUMN_BY_KEY[key].header) + 1
    else:
        col = rng.randint(1, 20)
    value = _cell_value(rng)
    _set(ws, row, col, value, steps)
    steps.append(f"cell:{type(value).__name__} r{row}c{col}")


def _copy_row(ws: Worksheet, source: int, dest: int) -> None:
    for c in range(1, 19):
        _set(ws, dest, c, ws.cell(source, c).value)


def _row_op(rng: random.Random, wb: Workbook, steps: list[str]) -> None:
    ws = _main_sheet(wb)
    head = _header_row(ws)
    last = max(ws.max_row, head + 1)
    data_rows = [r for r in range(head + 1, min(last, head + 40) + 1) if ws.cell(r, 1).value]
    r = rng.choice(data_rows) if data_rows else head + 1
    op = rng.choice(("duplicate", "delete", "blank_above", "move_end", "same_person_new_phone", "swap_ids",
                     "header_again", "footer"))
    end = max(data_rows, default=head) + 1
    if op == "duplicate":
        _copy_row(ws, r, end)
    elif op == "delete":
        ws.delete_rows(r)
    elif op == "blank_above":
        ws.insert_rows(r)
    elif op == "move_end":
        _copy_row(ws, r, end)
        ws.delete_rows(r)
    elif op == "same_person_new_phone":
        _copy_row(ws, r, end)
        _set(ws, end, rc.HEADERS.index("联系电话") + 1, f"139{rng.randrange(10 ** 8):08d}", steps)
    elif op == "swap_ids" and len(data_rows) > 1:
        col = rc.HEADERS.index("身份证号码") + 1
        a, b = rng.sample(data_rows, 2)
        va, vb = ws.cell(a, col).value, ws.cell(b, col).value
        _set(ws, a, col, vb)
        _set(ws, b, col, va)
    elif op == "header_again":
        _copy_row(ws, head, end)
    elif op == "footer":
        _set(ws, end + 1, 1, rng.choice(("填表人：张三", "合计：7 人", "注：本表一式两份")))
    steps.append(f"row:{op} r{r}")


def _header_op(rng: random.Random, wb: Workbook, steps: list[str]) -> None:
    ws = _main_sheet(wb)
    head = _header_row(ws)
    width = len(rc.HEADERS)
    op = rng.choice(("swap_columns", "remove", "rename_synonym", "rename_garbage", "repeat", "rows_above",
                     "remove_title", "column_before", "two_row"))
    c = rng.randint(1, width)
    if op == "swap_columns":
        d = rng.randint(1, width)
        for r in range(1, ws.max_row + 1):
            vc, vd = ws.cell(r, c).value, ws.cell(r, d).value
            _set(ws, r, c, vd)
            _set(ws, r, d, vc)
    elif op == "remove":
        _set(ws, head, c, None)
    elif op == "rename_synonym":
        column = rc.COLUMNS[c - 1]
        _set(ws, head, c, rng.choice(column.synonyms or (column.header,)) + rng.choice(("", " ", "*", "（必填）")))
    elif op == "rename_garbage":
        _set(ws, head, c, rng.choice(("", "列1", "姓 名", "身份证号码身份证号码", "🙂", 42, "Name", "证件类型")))
    elif op == "repeat":
        _set(ws, head, rng.randint(1, width), ws.cell(head, c).value)
    elif op == "rows_above":
        ws.insert_rows(1, rng.choice((1, 5, 30)))
    elif op == "remove_title" and head > 1:
        ws.delete_rows(1, head - 1)
    elif op == "column_before":
        ws.insert_cols(1)
    elif op == "two_row":  # a group title row above the header
        ws.insert_rows(head)
        _set(ws, head, 1, "基本情况")
        _set(ws, head, 12, "任职情况")
    steps.append(f"header:{op} c{c}")


SHEET_NAMES = ["花名册", "Sheet1", "代码表", "填写说明", "人员 名单", "𠀀", "a" * 31, "导入报告", "History"]


def _sheet_op(rng: random.Random, wb: Workbook, steps: list[str]) -> None:
    ws = _main_sheet(wb)
    op = rng.choice(("rename", "add_empty", "add_copy", "remove", "hide", "empty", "reorder", "merge",
                     "add_junk"))
    if op == "rename":
        name = rng.choice(SHEET_NAMES)
        if name not in wb.sheetnames:
            ws.title = name
    elif op == "add_empty":
        wb.create_sheet(rng.choice(("Sheet2", "空表", "𪚥")), index=rng.randint(0, len(wb.sheetnames)))
    elif op == "add_copy":
        copy = wb.copy_worksheet(ws)
        copy.title = "花名册（二）"
    elif op == "remove" and len(wb.sheetnames) > 1:
        wb.remove(ws)
    elif op == "hide" and len(wb.sheetnames) > 1:
        ws.sheet_state = "hidden"
        wb.active = len(wb.sheetnames) - 1
        other = wb.worksheets[-1]
        other.sheet_state = "visible"
    elif op == "empty":
        ws.delete_rows(1, ws.max_row)
    elif op == "reorder":
        wb.move_sheet(ws, offset=len(wb.sheetnames) - 1)
    elif op == "merge":
        head = _header_row(ws)
        r = rng.randint(1, head + 8)
        c = rng.randint(1, 16)
        with contextlib.suppress(ValueError):
            ws.merge_cells(start_row=r, start_column=c, end_row=r + rng.randint(0, 3), end_column=c + rng.randint(0, 3))
    elif op == "add_junk":
        junk = wb.create_sheet("统计")
        for r in range(1, 6):
            for c in range(1, 6):
                _set(junk, r, c, _cell_value(rng))
    steps.append(f"sheet:{op}")


def _entity_bomb() -> bytes:
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "lol" * 10}">' for n in range(10))
    return (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&e9;</t></si></sst>').encode()


def _xml_op(rng: random.Random, data: bytes, steps: list[str]) -> bytes:
    """One XML part inside the .xlsx changed; the zip itself stays sound."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    names = [n for n, _ in parts]
    candidates = [n for n in names if n.endswith(".xml") or n.endswith(".rels")]
    target = rng.choice(candidates)
    op = rng.choice(("flip", "cut", "control_char", "entity_bomb", "external_entity", "error_cell", "dimension",
                     "bad_ref", "drop", "huge_index", "number_text"))
    out = []
    for name, body in parts:
        if name == target or (op in ("entity_bomb",) and name == "xl/sharedStrings.xml"):
            if op == "flip" and body:
                b = bytearray(body)
                for _ in range(rng.randint(1, 4)):
                    b[rng.randrange(len(b))] = rng.randrange(256)
                body = bytes(b)
            elif op == "cut":
                body = body[: rng.randrange(len(body) + 1)]
            elif op == "control_char":
                body = body.replace(b"<t>", b"<t>\x01", 1).replace(b"<v>", b"<v>&#1;", 1)
            elif op == "entity_bomb" and name == "xl/sharedStrings.xml":
                body = _entity_bomb()
            elif op == "external_entity":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY xx SYSTEM "file:///etc/passwd">]>', 1)
                body = body.replace(b"<t>", b"<t>&xx;", 1)
            elif op == "error_cell":
                body = re.sub(rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")?( t="[a-z]+")?>', rb'<c r="\1" t="e">', body, count=3)
            elif op == "dimension":
                body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', body)
            elif op == "bad_ref":
                body = re.sub(rb'<c r="[A-Z]+[0-9]+"', b'<c r="ZZZZ0"', body, count=2)
            elif op == "drop":
                continue
            elif op == "huge_index":
                body = re.sub(rb'(t="s"[^>]*>)<v>[0-9]+</v>', rb"\1<v>99999999</v>", body, count=1)
            elif op == "number_text":
                body = re.sub(rb'<v>([0-9.]+)</v>', b"<v>1e999</v>", body, count=2)
        out.append((name, body))
    steps.append(f"xml:{op} {target}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in out:
            zf.writestr(name, body)
    return buf.getvalue()


def _bytes_op(rng: random.Random, data: bytes, steps: list[str]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4))):
        op = rng.choice(("flip", "truncate", "insert", "delete", "zero"))
        at = rng.randrange(max(len(b), 1))
        if op == "flip" and b:
            b[at] ^= 1 << rng.randrange(8)
        elif op == "truncate":
            del b[at:]
        elif op == "insert":
            b[at:at] = rng.randbytes(rng.choice((1, 8, 200)))
        elif op == "delete":
            del b[at:at + rng.choice((1, 10, 500))]
        elif op == "zero":
            b[at:at + 32] = bytes(len(b[at:at + 32]))
        steps.append(f"bytes:{op}@{at}")
    return bytes(b)


OPS: dict[str, Callable[[random.Random, Workbook, list[str]], None]] = {
    "cell": _cell_op, "row": _row_op, "header": _header_op, "sheet": _sheet_op}
WEIGHTS = {"cell": 6, "row": 2, "header": 2, "sheet": 1}
NAMES = ["花名册.xlsx", "roster.XLSX", "花名册 (1).xlsx", "名单.xls", "名单.csv", "a" * 150 + ".xlsx", "𠀀.xlsx",
         "noext"]


def make_input(rng: random.Random, world: World) -> tuple[bytes, str, list[str]]:
    bases = sorted(world.weights)
    base = rng.choices(bases, weights=[world.weights[b] for b in bases])[0]
    steps = [f"base:{base}"]
    wb = load_workbook(io.BytesIO(world.rosters[base]))
    for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
        kind = rng.choices(sorted(WEIGHTS), weights=[WEIGHTS[k] for k in sorted(WEIGHTS)])[0]
        OPS[kind](rng, wb, steps)
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    roll = rng.random()
    if roll < 0.12:
        data = _xml_op(rng, data, steps)
    elif roll < 0.2:
        data = _bytes_op(rng, data, steps)
    name = "花名册.xlsx" if rng.random() < 0.9 else rng.choice(NAMES)
    if name != "花名册.xlsx":
        steps.append(f"name:{name[:20]}")
    return data, name, steps


# --- the oracle for one input ------------------------------------------------------------------------------------

def _check_refusal(exc: ValidationError, path: Path, what: str) -> str:
    text = exc.text()
    if not chinese(exc.message):
        raise Broken("crash", f"{what}: refusal without a Chinese message: {text!r}")
    if path.name not in text and str(path) not in text:
        raise Broken("crash", f"{what}: refusal does not name the file {path.name!r}: {text!r}")
    return exc.message


_ROW_PLACE = re.compile(r"第 (\d+) 行")


def _people(db: Any) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def judge(slot: Slot, data: bytes, name: str, *, dry_run: bool = False) -> Outcome:
    """Read, preview, apply (as ``remoteedu people import [--skip-errors]``) on a fresh copy of the township. With
    *dry_run* only read and preview (``--dry-run``): faster, for the tests' volume."""
    if dry_run:
        slot.pristine()
    else:
        slot.restore()
    inbox = slot.work / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir()
    path = inbox / name
    path.write_bytes(data)
    before = slot.digests
    skip_errors = len(data) % 2 == 1  # half the imports "skip error rows" (the length: the same on --replay)
    db = slot.open()
    slot.dirty = True  # until the dry run is shown to have written nothing
    try:
        try:
            roster = read_roster(path)
        except ValidationError as exc:
            message = _check_refusal(exc, path, "reading")
            if changed_tables(before, slot.after()):
                raise Broken("partial", "reading the file changed the database") from exc
            slot.dirty = False
            return Outcome("refused", message)
        with db.session() as s:
            preview = preview_roster(s, roster, today=TODAY)
        for row in preview.rows:
            if row.status == "error" and not row.reasons:
                raise Broken("crash", f"{row.where}: an error row without a reason")
            for reason in row.reasons:
                if not chinese(reason) or row.sheet not in reason or f"第 {row.row} 行" not in reason:
                    raise Broken("crash", f"{row.where}: a reason that does not say where: {reason!r}")
        if changed_tables(before, slot.after()):
            raise Broken("partial", "the preview changed the database")
        if dry_run:
            slot.dirty = False
            errors = preview.summary.error
            return Outcome("refused", f"{errors} 行有错误") if errors else Outcome("imported")
        people_before = _people(db)
        try:
            with db.session() as s:
                preview = preview_roster(s, roster, today=TODAY)  # as the CLI: preview and apply in one session
                for _ in apply_import(s, preview, today=TODAY, skip_errors=skip_errors):
                    pass
        except ValidationError as exc:
            message = _check_refusal(exc, path, "import")
            moved = changed_tables(before, slot.after())
            if moved:
                raise Broken("partial", f"a refused import changed tables {moved} ({message})") from exc
            if not preview.has_errors:
                message = f"(refused while writing) {message}"
            return Outcome("refused", message)
        if preview.has_errors and not skip_errors:
            raise Broken("partial", "rows with errors were imported without “skip error rows”")
        _check_applied(db, roster, preview, people_before)
    finally:
        db.engine.dispose()
    problem = integrity_problem(slot.file)
    if problem:
        raise Broken("partial", problem)
    summary = preview.summary
    if summary.new + summary.update == 0:
        return Outcome("refused" if summary.error else "imported",
                       f"{summary.error} 行有错误" if summary.error else "")
    return Outcome("imported")


def _check_applied(db: Any, roster: Any, preview: Any, people_before: int) -> None:
    """What the preview promised is what was written: the new people are there, and the same file previewed
    again finds nothing more to do in the rows that were imported."""
    summary = preview.summary
    people_after = _people(db)
    if people_after != people_before + summary.new:
        raise Broken("partial", f"{summary.new} new people previewed, {people_after - people_before} written")
    with db.session() as s:
        again = preview_roster(s, roster, today=TODAY)
        numbers = set(s.scalars(select(Person.id_number)))
    for first, second in zip(preview.rows, again.rows, strict=True):
        if first.status == "new" and first.id_number not in numbers:
            raise Broken("partial", f"{first.where}: previewed as new, not in the database")
        if first.status in ("new", "update", "unchanged") and second.status != "unchanged":
            raise Broken("partial", f"{first.where}: imported as {first.status}, previewed again as "
                                    f"{second.status} ({'; '.join(second.reasons) or second.description()})")


__all__ = ["World", "judge", "make_input", "make_slot", "prepare"]
