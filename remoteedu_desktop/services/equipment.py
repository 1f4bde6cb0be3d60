"""The equipment register of the sites (R9): what receiving and teaching equipment each site has, since
when, from whom, and whether it is still in service.

Equipment is never deleted: a set that no longer works is taken out of service with the date and the
reason, written as a line of its notes (``停用 2026-05-10：雷击损坏，无法修复``) so that the register keeps
its history; putting it back in service adds a ``恢复使用`` line. The notes are parsed back for the
register's "out of service since" column. Every function takes the caller's Session and commits nothing;
validation comes first, so a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Equipment, FaultTicket, OrgUnit
from ..errors import ValidationError
from ._common import clean_text
from .certificate_eligibility import Units

#: Kinds offered in the editor (the field is free text: a site may have something else).
EQUIPMENT_KINDS: tuple[str, ...] = ("卫星接收机", "电脑", "电视机", "投影仪", "路由器", "打印机", "音响设备",
                                    "UPS电源", "其他")

OUT_OF_SERVICE_MARK = "停用"
BACK_IN_SERVICE_MARK = "恢复使用"
_EVENT = re.compile(rf"^({OUT_OF_SERVICE_MARK}|{BACK_IN_SERVICE_MARK}) (\d{{4}}-\d{{2}}-\d{{2}})：(.*)$")
UNRESOLVED = ("open", "assigned")


@dataclass(frozen=True)
class EquipmentInput:
    """What the clerk types into the equipment editor."""

    site_id: str
    kind: str
    model: str | None = None
    serial_no: str | None = None
    supplier: str | None = None
    installed_on: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True)
class EquipmentRow:
    id: str
    site_id: str
    site: str  #: the site with its township, "龙潭镇杨家村站点"
    township: str
    kind: str
    model: str | None
    serial_no: str | None
    supplier: str | None
    installed_on: dt.date | None
    in_service: bool
    out_of_service_on: dt.date | None  #: from the last 停用 line of the notes, when out of service
    out_of_service_reason: str
    notes: str | None
    faults: int  #: fault tickets ever reported on it
    open_faults: int  #: of which still open or assigned

    @property
    def status_label(self) -> str:
        if self.in_service:
            return "在用"
        return f"停用（{self.out_of_service_on.isoformat()}）" if self.out_of_service_on else "停用"

    @property
    def display(self) -> str:
        """"卫星接收机 同洲 CDVB3188C（SR01234567）" for pickers and the fault list."""
        text = f"{self.kind} {self.model}" if self.model else self.kind
        return f"{text}（{self.serial_no}）" if self.serial_no else text


def _events(notes: str | None) -> list[tuple[str, dt.date, str]]:
    out = []
    for line in (notes or "").splitlines():
        match = _EVENT.match(line.strip())
        if match:
            try:
                day = dt.date.fromisoformat(match.group(2))
            except ValueError:
                continue
            out.append((match.group(1), day, match.group(3)))
    return out


def _last_out(notes: str | None) -> tuple[dt.date | None, str]:
    for mark, day, reason in reversed(_events(notes)):
        if mark == OUT_OF_SERVICE_MARK:
            return day, reason
    return None, ""


def _rows(session: Session, items: list[Equipment], units: Units) -> list[EquipmentRow]:
    ids = [e.id for e in items]
    total: Counter[str] = Counter()
    unresolved: Counter[str] = Counter()
    for start in range(0, len(ids), 2000):
        for eid, status, count in session.execute(
                select(FaultTicket.equipment_id, FaultTicket.status, func.count())
                .where(FaultTicket.equipment_id.in_(ids[start:start + 2000]), FaultTicket.deleted.is_(False))
                .group_by(FaultTicket.equipment_id, FaultTicket.status)).tuples():
            total[eid or ""] += count
            if status in UNRESOLVED:
                unresolved[eid or ""] += count
    out = []
    for e in items:
        out_on, out_reason = _last_out(e.notes) if not e.in_service else (None, "")
        out.append(EquipmentRow(
            id=e.id, site_id=e.site_id, site=units.title(e.site_id), township=units.area(e.site_id),
            kind=e.kind, model=e.model, serial_no=e.serial_no, supplier=e.supplier,
            installed_on=e.installed_on,
            in_service=e.in_service, out_of_service_on=out_on, out_of_service_reason=out_reason,
            notes=e.notes, faults=total[e.id], open_faults=unresolved[e.id]))
    return out


def equipment_list(session: Session, *, unit_id: str | None = None, include_out_of_service: bool = True
                   ) -> list[EquipmentRow]:
    """The register of the sites at or under *unit_id* (a site, a township, the county; None: all),
    by township, site, kind and serial number."""
    units = Units(session)
    stmt = select(Equipment).where(Equipment.deleted.is_(False))
    if not include_out_of_service:
        stmt = stmt.where(Equipment.in_service.is_(True))
    items = list(session.scalars(stmt))
    if unit_id:
        scope = units.subtree(unit_id)
        items = [e for e in items if e.site_id in scope]
    rows = _rows(session, items, units)
    rows.sort(key=lambda r: (r.township, r.site, not r.in_service, r.kind, r.serial_no or "", r.id))
    return rows


def equipment_item(session: Session, equipment_id: str) -> EquipmentRow:
    return _rows(session, [_get(session, equipment_id)], Units(session))[0]


def _get(session: Session, equipment_id: str) -> Equipment:
    item = session.get(Equipment, equipment_id)
    if item is None or item.deleted:
        raise ValidationError("找不到该设备", field="设备")
    return item


def _site(session: Session, site_id: str | None, *, new: bool) -> OrgUnit:
    unit = session.get(OrgUnit, site_id) if site_id else None
    if unit is None or unit.deleted:
        raise ValidationError("请选择设备所在的站点", field="站点")
    if unit.kind not in codes.SITE_KINDS:
        raise ValidationError(f"“{unit.name}”是{codes.label(codes.UNIT_KIND, unit.kind)}，设备应登记在站点",
                              field="站点", rule="R9")
    if new and not unit.active:
        raise ValidationError(f"“{unit.name}”已停用，不能登记新设备", field="站点", rule="R1")
    return unit


def _check(session: Session, data: EquipmentInput, *, today: dt.date,
           item: Equipment | None) -> dict[str, object]:
    site = _site(session, data.site_id, new=item is None or item.site_id != data.site_id)
    kind = clean_text(data.kind, field="设备类别", required=True, max_len=50)
    model = clean_text(data.model, field="品牌型号", max_len=100)
    serial = clean_text(data.serial_no, field="序列号", max_len=100)
    supplier = clean_text(data.supplier, field="供货单位", max_len=100)
    notes = clean_text(data.notes, field="备注", max_len=2000)
    if data.installed_on is not None and data.installed_on > today:
        raise ValidationError(f"{data.installed_on.isoformat()} 晚于今天（{today.isoformat()}）", field="安装日期")
    if serial:
        other = session.execute(
            select(Equipment.site_id, Equipment.kind).where(
                Equipment.serial_no == serial, Equipment.deleted.is_(False),
                Equipment.id != (item.id if item is not None else ""))).first()
        if other is not None:
            where = Units(session).title(other[0])
            raise ValidationError(f"序列号 {serial} 已登记为{where}的{other[1]}", field="序列号")
    if item is not None and item.site_id != site.id:
        tickets = session.scalar(select(func.count()).select_from(FaultTicket).where(
            FaultTicket.equipment_id == item.id, FaultTicket.deleted.is_(False))) or 0
        if tickets:
            raise ValidationError(f"该设备已有 {tickets} 张故障单，不能改到其他站点；请在新站点另行登记",
                                  field="站点", rule="R9")
    if item is not None and not item.in_service and data.installed_on is not None:
        out_on, _reason = _last_out(item.notes)
        if out_on is not None and data.installed_on > out_on:
            raise ValidationError(f"{data.installed_on.isoformat()} 晚于停用日期 {out_on.isoformat()}",
                                  field="安装日期")
    return {"site_id": site.id, "kind": kind, "model": model, "serial_no": serial, "supplier": supplier,
            "installed_on": data.installed_on, "notes": notes}


def add_equipment(session: Session, data: EquipmentInput, *, today: dt.date | None = None) -> EquipmentRow:
    """Register a piece of equipment at an active site (R9)."""
    values = _check(session, data, today=today or dt.date.today(), item=None)
    item = Equipment(in_service=True, **values)
    session.add(item)
    session.flush()
    return equipment_item(session, item.id)


def update_equipment(session: Session, equipment_id: str, data: EquipmentInput, *,
                     today: dt.date | None = None) -> EquipmentRow:
    """Correct a register entry; the in-service state changes only through :func:`take_out_of_service`
    and :func:`return_to_service` (their lines in the notes are kept by the editor, which shows the notes
    whole)."""
    item = _get(session, equipment_id)
    values = _check(session, data, today=today or dt.date.today(), item=item)
    if not item.in_service and _last_out(str(values["notes"] or ""))[0] is None:
        raise ValidationError(f"设备已停用，备注中应保留“{OUT_OF_SERVICE_MARK} 日期：原因”一行", field="备注", rule="R9")
    for key, value in values.items():
        if getattr(item, key) != value:
            setattr(item, key, value)
    session.flush()
    return equipment_item(session, item.id)


def _event_reason(reason: str | None, field: str) -> str:
    text = clean_text(reason, field=field, required=True, max_len=150) or ""
    return " ".join(text.split())  # one line: the notes hold one event per line


def _event_date(item: Equipment, on: dt.date, today: dt.date, field: str) -> None:
    if on > today:
        raise ValidationError(f"{on.isoformat()} 晚于今天（{today.isoformat()}）", field=field)
    if item.installed_on is not None and on < item.installed_on:
        raise ValidationError(f"{on.isoformat()} 早于安装日期 {item.installed_on.isoformat()}", field=field)
    events = _events(item.notes)
    if events and on < events[-1][1]:
        raise ValidationError(f"{on.isoformat()} 早于上一次{events[-1][0]}的日期 {events[-1][1].isoformat()}",
                              field=field)


def _append(notes: str | None, line: str) -> str:
    text = (notes or "").rstrip()
    return f"{text}\n{line}" if text else line


def take_out_of_service(session: Session, equipment_id: str, *, on: dt.date, reason: str,
                        today: dt.date | None = None) -> EquipmentRow:
    """Take equipment out of service from *on* for *reason* (R9); the date and reason go into the notes.
    Open fault tickets on it stay open: the technician still closes them (e.g. "更换新设备")."""
    item = _get(session, equipment_id)
    today = today or dt.date.today()
    if not item.in_service:
        out_on, out_reason = _last_out(item.notes)
        since = f"于 {out_on.isoformat()}（{out_reason}）" if out_on else ""
        raise ValidationError(f"该设备已{since}停用", field="设备状态", rule="R9")
    text = _event_reason(reason, "停用原因")
    _event_date(item, on, today, "停用日期")
    item.in_service = False
    item.notes = _append(item.notes, f"{OUT_OF_SERVICE_MARK} {on.isoformat()}：{text}")
    session.flush()
    return equipment_item(session, item.id)


def return_to_service(session: Session, equipment_id: str, *, on: dt.date, reason: str,
                      today: dt.date | None = None) -> EquipmentRow:
    """Put equipment taken out of service back in service (repaired), the date and reason in the notes."""
    item = _get(session, equipment_id)
    today = today or dt.date.today()
    if item.in_service:
        raise ValidationError("该设备正在使用，无需恢复", field="设备状态")
    text = _event_reason(reason, "恢复原因")
    _event_date(item, on, today, "恢复日期")
    site = _site(session, item.site_id, new=False)
    if not site.active:
        raise ValidationError(f"“{site.name}”已停用，设备不能在此恢复使用", field="站点", rule="R1")
    item.in_service = True
    item.notes = _append(item.notes, f"{BACK_IN_SERVICE_MARK} {on.isoformat()}：{text}")
    session.flush()
    return equipment_item(session, item.id)


def site_equipment_choices(session: Session, site_id: str, *,
                           include_id: str | None = None) -> list[EquipmentRow]:
    """The site's equipment in service (and *include_id* whatever its state), for the fault report."""
    rows = equipment_list(session, unit_id=site_id)
    return [r for r in rows if r.site_id == site_id and (r.in_service or r.id == include_id)]
