"""Exporting the staff roster (花名册) to Excel (R10), with personal data masked by default.

The file has a title row (office name, date, what is masked), the roster header (the same columns the
importer and the template use, so an unmasked export imports back unchanged) and one row per person on
the team, with their open posts ("；"-separated when a person holds several). ID numbers are written
as text so that Excel shows all 18 characters. Masking follows DOMAIN.md ("Personal data"): ID number
first 6 + ******** + last 4, phone 3 + **** + 4. An unmasked export is written to the audit log.

Plain styles only (bold header, thin borders, a merged title), streamed with openpyxl's write-only
mode so that 100,000 people fit in memory. No Qt.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import AuditLog, OrgUnit, Person, Post
from ..data.stamping import local_office, os_account, utcnow
from ..errors import ValidationError
from ..sync.safe_write import save_with
from . import roster_columns as rc
from .accounts import require_role
from .id_number import mask_id_number
from .progress import run_to_end
from .staff_query import mask_phone

Progress = tuple[int, int, str]
SHEET_NAME = "花名册"
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"
_CHUNK = 500
_SEP = "；"
#: What an unmasked export is called in the role refusal (services/accounts.require_role).
UNMASKED_EXPORT = "导出完整身份证号码"

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class _PostRow:
    unit_name: str
    unit_sort: tuple[int, str, str]
    role: str
    slot: str | None
    tenure: str
    start_date: dt.date


def _subtree(session: Session, unit_id: str) -> set[str]:
    children: dict[str | None, list[str]] = defaultdict(list)
    for uid, parent in session.execute(select(OrgUnit.id, OrgUnit.parent_id)).tuples():
        children[parent].append(uid)
    found, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _selected(session: Session, unit_id: str | None, role: str | None) -> tuple[list[str], dict[str, list[_PostRow]]]:
    """Ids of the people to export, in roster order, and each one's open posts."""
    if role is not None:
        role = codes.require_code(codes.ROLE, role, field="职务类别")
    units = _subtree(session, unit_id) if unit_id is not None else None
    posts: dict[str, list[_PostRow]] = defaultdict(list)
    stmt = (select(Post.person_id, Post.unit_id, Post.role, Post.slot, Post.tenure, Post.start_date, OrgUnit.name,
                   OrgUnit.code, OrgUnit.sort_order)
            .join(OrgUnit, OrgUnit.id == Post.unit_id)
            .where(Post.end_date.is_(None), Post.deleted.is_(False)))
    matched: set[str] = set()
    for pid, uid, prole, slot, tenure, start, uname, ucode, usort in session.execute(stmt).tuples():
        posts[pid].append(_PostRow(uname, (usort or 0, ucode or "", uname), prole, slot, tenure, start))
        if (units is None or uid in units) and (role is None or prole == role):
            matched.add(pid)
    role_rank = {code: n for n, code in enumerate(codes.ROLE)}
    for held in posts.values():
        held.sort(key=lambda p: (role_rank.get(p.role, 99), p.unit_sort, p.slot or "", p.start_date))
    people = session.execute(select(Person.id, Person.name, Person.name_initials).where(
        Person.deleted.is_(False), Person.left_on.is_(None))).tuples().all()
    filtered = unit_id is not None or role is not None
    chosen = [(pid, name, initials) for pid, name, initials in people if not filtered or pid in matched]

    def order(item: tuple[str, str, str | None]) -> tuple[object, ...]:
        pid, name, initials = item
        held = posts.get(pid)
        if not held:
            return (1, (), 99, "", initials or "", name, pid)
        first = held[0]
        return (0, first.unit_sort, role_rank.get(first.role, 99), first.slot or "", initials or "", name, pid)

    chosen.sort(key=order)
    return [pid for pid, _, _ in chosen], posts


def _title(session: Session, today: dt.date, count: int, unmasked: bool) -> tuple[str, str]:
    office = local_office(session)
    name = office.name if office is not None and office.name else ""
    title = f"{name}远程教育骨干队伍花名册"
    note = "身份证号码、联系电话为完整号码，请妥善保管" if unmasked else "身份证号码、联系电话已脱敏"
    return title, f"导出日期：{today.isoformat()}　共 {count} 人　（{note}）"


def export_roster_steps(session: Session, path: str | Path, *, unit_id: str | None = None, role: str | None = None,
                        unmasked: bool = False, account: str | None = None,
                        today: dt.date | None = None) -> Generator[Progress, None, int]:
    """Write the roster to *path* (.xlsx), yielding ``(done, total, text)``; return the number of people.

    *unit_id* limits the roster to people with an open post at that unit or below it; *role* (a code
    of :data:`codes.ROLE`) to people holding that role. ``unmasked=True`` writes ID numbers and phones
    in full and records who did it in the audit log (in the caller's transaction).
    """
    if unmasked:  # issue 10 item 5: full ID numbers only for an office head or higher when login is in use
        require_role(session, "office_head", UNMASKED_EXPORT)
    target = Path(path)
    today = today or dt.date.today()
    if unit_id is not None:
        unit = session.get(OrgUnit, unit_id)
        if unit is None or unit.deleted:
            raise ValidationError("找不到该单位", field="导出范围")
    yield 0, 0, "正在查询人员"
    ids, posts = _selected(session, unit_id, role)
    total = len(ids)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    last = get_column_letter(len(rc.COLUMNS))
    for n, column in enumerate(rc.COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = column.width
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.merged_cells.add(CellRange(f"A1:{last}1"))
    ws.merged_cells.add(CellRange(f"A2:{last}2"))
    title_text, note_text = _title(session, today, total, unmasked)
    title = WriteOnlyCell(ws, title_text)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([title])
    ws.append([note_text])
    header = []
    for column in rc.COLUMNS:
        cell = WriteOnlyCell(ws, column.header)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        header.append(cell)
    ws.append(header)

    done = 0
    for start in range(0, total, _CHUNK):
        block = ids[start:start + _CHUNK]
        people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(block)))}
        for pid in block:
            ws.append(_row(ws, people[pid], posts.get(pid, []), unmasked))
        done += len(block)
        yield done, total, f"已写入 {done}/{total} 人"

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        save_with(target, wb.save)
    except OSError as exc:
        raise ValidationError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，或目录不可写，请关闭后重试",
                              field="导出文件") from exc
    if unmasked:
        office = local_office(session)
        session.add(AuditLog(at=utcnow(), account=account or str(session.info.get("account") or os_account()),
                             office=office.code if office is not None else "", table_name="person", record_id=None,
                             action="bulk_insert", field="unmasked_export",
                             old_value=None, new_value=f"{target.name}，{total} 行"))
        session.flush()
    yield total, total, f"已导出 {total} 人到 {target.name}"
    return total


def export_roster(session: Session, path: str | Path, *, unit_id: str | None = None, role: str | None = None,
                  unmasked: bool = False, account: str | None = None, today: dt.date | None = None) -> int:
    """Write the roster to *path*; return the number of people written. See :func:`export_roster_steps`."""
    steps = export_roster_steps(session, path, unit_id=unit_id, role=role, unmasked=unmasked, account=account,
                                today=today)
    return int(run_to_end(steps))


def _row(ws: object, person: Person, held: list[_PostRow], unmasked: bool) -> list[object]:
    def joined(values: list[str]) -> str:
        return _SEP.join(values) if len(values) > 1 else (values[0] if values else "")

    id_number = person.id_number if unmasked else mask_id_number(person.id_number)
    phone = (person.phone or "") if unmasked else mask_phone(person.phone)
    start: object = (held[0].start_date if len(held) == 1
                     else _SEP.join(p.start_date.isoformat() for p in held) if held else None)
    values: dict[str, object] = {
        "name": person.name,
        "gender": rc.display("gender", person.gender),
        "id_number": id_number,
        "birth_date": person.birth_date,
        "ethnicity": rc.display("ethnicity", person.ethnicity),
        "political_status": rc.display("political_status", person.political_status),
        "education": rc.display("education", person.education),
        "phone": phone,
        "employer": person.employer or "",
        "job_title": person.job_title or "",
        "source_category": rc.display("source_category", person.source_category),
        "unit": joined([p.unit_name for p in held]),
        "role": joined([rc.display("role", p.role) for p in held]),
        "slot": joined([rc.display("slot", p.slot) for p in held]) if any(p.slot for p in held) else "",
        "tenure": joined([rc.display("tenure", p.tenure) for p in held]),
        "start_date": start,
        "notes": person.notes or "",
    }
    cells: list[object] = []
    for column in rc.COLUMNS:
        value = values[column.key]
        cell = WriteOnlyCell(ws, value if value != "" else None)  # type: ignore[arg-type]
        if column.text:
            cell.number_format = "@"
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        cells.append(cell)
    return cells


__all__ = ["UNMASKED_EXPORT", "export_roster", "export_roster_steps", "mask_phone"]
