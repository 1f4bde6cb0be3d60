"""Fault tickets of the sites (R9): reported when and by whom, assigned to a technician, resolved when and
how, closed — and the figures the county watches: response and repair times per technician and per site,
downtime, open faults and their age.

The status flow (codes.FAULT_STATUS) is enforced::

    open ──assign──▶ assigned ──resolve──▶ resolved ──close──▶ closed
                     ▲  │ (re-assign)          │                 │
                     └──┴──────── reopen (with a reason) ◀───────┘

A ticket is resolved only once assigned (R9: technicians clear faults). Reopening keeps the times of the
first report and assignment, clears the resolution, and writes the reason, the time and the former
resolution into the description, so the ticket keeps its whole story (the audit log has every change too).

Figures, all in hours (days for the age of an open fault):

- response = reported_at → assigned_at (tickets assigned so far);
- repair = assigned_at → resolved_at (tickets resolved);
- downtime = reported_at → resolved_at, or → *now* for a ticket not resolved yet;
- age = whole days from reported_at to *now*, for tickets still open or assigned.

A period selects the tickets reported in it. Times are naive local times, as the clerk types them.
Every function takes the caller's Session and commits nothing; validation comes first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Equipment, FaultTicket, OrgUnit, Person, Post, PostServedSite
from ..errors import ValidationError
from ._common import clean_text
from .certificate_eligibility import Units

UNRESOLVED = frozenset({"open", "assigned"})
DONE = frozenset({"resolved", "closed"})
#: Which statuses each action starts from (R9 flow).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "assign": frozenset({"open", "assigned"}),
    "resolve": frozenset({"assigned"}),
    "close": frozenset({"resolved"}),
    "reopen": frozenset({"resolved", "closed"}),
}
_ACTION_LABEL = {"assign": "派单", "resolve": "填写解决情况", "close": "关闭", "reopen": "重新打开"}
_WHY_NOT = {
    ("resolve", "open"): "尚未派单，请先指派技术服务员",
    ("close", "open"): "尚未解决，只有已解决的故障单才能关闭",
    ("close", "assigned"): "尚未解决，只有已解决的故障单才能关闭",
    ("reopen", "open"): "尚未解决，无需重新打开",
    ("reopen", "assigned"): "尚未解决，无需重新打开",
}
REOPEN_MARK = "重新打开"
HOUR = 3600.0


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else dt.datetime.now().replace(microsecond=0)


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / HOUR


def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


# --- rows -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FaultRow:
    id: str
    site_id: str
    site: str  #: "龙潭镇杨家村站点"
    township: str
    equipment_id: str | None
    equipment: str  #: "卫星接收机 同洲 CDVB3188C（SR01234567）", "" when none was named
    reported_at: dt.datetime
    reported_by: str
    description: str
    technician_id: str | None
    technician: str
    assigned_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution: str
    status: str
    status_label: str
    response_hours: float | None  #: reported → assigned
    repair_hours: float | None  #: assigned → resolved
    downtime_hours: float  #: reported → resolved, or → now while unresolved
    age_days: int | None  #: whole days since reported, while open or assigned

    @property
    def unresolved(self) -> bool:
        return self.status in UNRESOLVED


@dataclass(frozen=True)
class FaultFilter:
    status: str | None = None  #: one code of codes.FAULT_STATUS
    unit_id: str | None = None  #: a site, or every site under a township / the county
    technician_id: str | None = None
    open_only: bool = False  #: open or assigned
    min_age_days: int | None = None  #: open or assigned, reported at least this many days ago
    equipment_id: str | None = None
    text: str = ""  #: part of the site, equipment, description, reporter or technician


class _Names:
    """Sites, equipment and people, read once for a list."""

    def __init__(self, session: Session, tickets: Iterable[FaultTicket]) -> None:
        tickets = list(tickets)
        self.units = Units(session)
        eq_ids = sorted({t.equipment_id for t in tickets if t.equipment_id})
        person_ids = sorted({t.technician_id for t in tickets if t.technician_id})
        self.equipment: dict[str, str] = {}
        for start in range(0, len(eq_ids), 2000):
            for eid, kind, model, serial in session.execute(
                    select(Equipment.id, Equipment.kind, Equipment.model, Equipment.serial_no)
                    .where(Equipment.id.in_(eq_ids[start:start + 2000]))).tuples():
                text = f"{kind} {model}" if model else kind
                self.equipment[eid] = f"{text}（{serial}）" if serial else text
        self.people: dict[str, str] = {}
        for start in range(0, len(person_ids), 2000):
            self.people.update(session.execute(select(Person.id, Person.name).where(
                Person.id.in_(person_ids[start:start + 2000]))).tuples().all())

    def row(self, t: FaultTicket, now: dt.datetime) -> FaultRow:
        unresolved = t.status in UNRESOLVED
        end = now if unresolved or t.resolved_at is None else t.resolved_at
        return FaultRow(
            id=t.id, site_id=t.site_id, site=self.units.title(t.site_id), township=self.units.area(t.site_id),
            equipment_id=t.equipment_id, equipment=self.equipment.get(t.equipment_id or "", ""),
            reported_at=t.reported_at, reported_by=t.reported_by or "", description=t.description,
            technician_id=t.technician_id, technician=self.people.get(t.technician_id or "", ""),
            assigned_at=t.assigned_at, resolved_at=t.resolved_at, resolution=t.resolution or "",
            status=t.status, status_label=codes.label(codes.FAULT_STATUS, t.status),
            response_hours=_hours(t.reported_at, t.assigned_at),
            repair_hours=None if unresolved else _hours(t.assigned_at, t.resolved_at),
            downtime_hours=max(0.0, _hours(t.reported_at, end) or 0.0),
            age_days=max(0, (now - t.reported_at).days) if unresolved else None)


def _tickets(session: Session, *, unit_id: str | None = None, reported_from: dt.datetime | None = None,
             reported_before: dt.datetime | None = None) -> list[FaultTicket]:
    stmt = select(FaultTicket).where(FaultTicket.deleted.is_(False))
    if reported_from is not None:
        stmt = stmt.where(FaultTicket.reported_at >= reported_from)
    if reported_before is not None:
        stmt = stmt.where(FaultTicket.reported_at < reported_before)
    tickets = list(session.scalars(stmt))
    if unit_id:
        scope = Units(session).subtree(unit_id)
        tickets = [t for t in tickets if t.site_id in scope]
    return tickets


def faults(session: Session, flt: FaultFilter = FaultFilter(), *,
           now: dt.datetime | None = None) -> list[FaultRow]:
    """The tickets matching *flt*: unresolved first (oldest first), then the others newest first."""
    now = _now(now)
    if flt.status:
        codes.require_code(codes.FAULT_STATUS, flt.status, field="故障单状态")
    if flt.min_age_days is not None and flt.min_age_days < 0:
        raise ValidationError("不能为负数", field="报修天数")
    tickets = _tickets(session, unit_id=flt.unit_id)
    if flt.status:
        tickets = [t for t in tickets if t.status == flt.status]
    if flt.open_only or flt.min_age_days is not None:
        tickets = [t for t in tickets if t.status in UNRESOLVED]
    if flt.technician_id:
        tickets = [t for t in tickets if t.technician_id == flt.technician_id]
    if flt.equipment_id:
        tickets = [t for t in tickets if t.equipment_id == flt.equipment_id]
    names = _Names(session, tickets)
    rows = [names.row(t, now) for t in tickets]
    if flt.min_age_days is not None:
        rows = [r for r in rows if (r.age_days or 0) >= flt.min_age_days]
    text = flt.text.strip()
    if text:
        rows = [r for r in rows if any(text in v for v in (r.site, r.equipment, r.description, r.reported_by,
                                                           r.technician, r.resolution))]
    rows.sort(key=lambda r: (0, r.reported_at.timestamp(), r.id) if r.unresolved
              else (1, -r.reported_at.timestamp(), r.id))
    return rows


def fault(session: Session, ticket_id: str, *, now: dt.datetime | None = None) -> FaultRow:
    ticket = _get(session, ticket_id)
    return _Names(session, [ticket]).row(ticket, _now(now))


def _get(session: Session, ticket_id: str) -> FaultTicket:
    ticket = session.get(FaultTicket, ticket_id)
    if ticket is None or ticket.deleted:
        raise ValidationError("找不到该故障单", field="故障单")
    return ticket


# --- checks -----------------------------------------------------------------------------------------

def _not_future(at: dt.datetime | None, now: dt.datetime, field: str) -> dt.datetime:
    if at is None:
        raise ValidationError("不能为空", field=field)
    if at > now:
        raise ValidationError(f"{_stamp(at)} 晚于现在（{_stamp(now)}）", field=field)
    return at.replace(microsecond=0)


def _allowed(ticket: FaultTicket, action: str) -> None:
    if ticket.status in ALLOWED_FROM[action]:
        return
    label = codes.label(codes.FAULT_STATUS, ticket.status)
    why = _WHY_NOT.get((action, ticket.status), f"不能{_ACTION_LABEL[action]}")
    raise ValidationError(f"故障单是“{label}”状态，{why}", field="故障单状态", rule="R9")


def _site_of_report(session: Session, site_id: str | None) -> OrgUnit:
    unit = session.get(OrgUnit, site_id) if site_id else None
    if unit is None or unit.deleted:
        raise ValidationError("请选择报修的站点", field="站点")
    if unit.kind not in codes.SITE_KINDS:
        raise ValidationError(f"“{unit.name}”是{codes.label(codes.UNIT_KIND, unit.kind)}，故障应报在站点",
                              field="站点", rule="R9")
    return unit


def _equipment_of_report(session: Session, site: OrgUnit, equipment_id: str | None,
                         reported_at: dt.datetime) -> str | None:
    if not equipment_id:
        return None
    item = session.get(Equipment, equipment_id)
    if item is None or item.deleted:
        raise ValidationError("找不到该设备", field="故障设备")
    if item.site_id != site.id:
        other = Units(session).title(item.site_id)
        raise ValidationError(f"{item.kind}登记在{other}，不属于{Units(session).title(site.id)}",
                              field="故障设备", rule="R9")
    if not item.in_service:
        raise ValidationError(f"{item.kind}已停用，不能再报修", field="故障设备", rule="R9")
    if item.installed_on is not None and reported_at.date() < item.installed_on:
        raise ValidationError(f"报修时间 {_stamp(reported_at)} 早于该设备的安装日期 {item.installed_on.isoformat()}",
                              field="报修时间")
    return item.id


def technician_posts_on(session: Session, person_id: str, on: dt.date) -> list[Post]:
    """The technician posts (R5) *person_id* holds on day *on*."""
    return list(session.scalars(select(Post).where(
        Post.person_id == person_id, Post.role == "technician", Post.deleted.is_(False),
        Post.start_date <= on, (Post.end_date.is_(None)) | (Post.end_date >= on))))


def _technician(session: Session, person_id: str | None, on: dt.date) -> Person:
    person = session.get(Person, person_id) if person_id else None
    if person is None or person.deleted:
        raise ValidationError("请选择技术服务员", field="技术服务员")
    if person.left_on is not None and person.left_on <= on:
        raise ValidationError(f"{person.name} 已于 {person.left_on.isoformat()} 离开队伍，不能派单",
                              field="技术服务员", rule="R9")
    if not technician_posts_on(session, person.id, on):
        raise ValidationError(f"{person.name} 在 {on.isoformat()} 没有担任技术服务员，不能派单",
                              field="技术服务员", rule="R9")
    return person


# --- actions ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FaultReport:
    """What the clerk types when a fault is reported."""

    site_id: str
    reported_at: dt.datetime
    reported_by: str
    description: str
    equipment_id: str | None = None


def report_fault(session: Session, data: FaultReport, *, now: dt.datetime | None = None) -> FaultRow:
    """Open a ticket for a fault at a site (R9): the equipment, when named, must be the site's own."""
    now = _now(now)
    site = _site_of_report(session, data.site_id)
    reported_at = _not_future(data.reported_at, now, "报修时间")
    reported_by = clean_text(data.reported_by, field="报修人", required=True, max_len=50)
    description = clean_text(data.description, field="故障描述", required=True, max_len=1000) or ""
    equipment_id = _equipment_of_report(session, site, data.equipment_id, reported_at)
    ticket = FaultTicket(site_id=site.id, equipment_id=equipment_id, reported_at=reported_at,
                         reported_by=reported_by, description=description, status="open")
    session.add(ticket)
    session.flush()
    return fault(session, ticket.id, now=now)


def assign_fault(session: Session, ticket_id: str, *, technician_id: str, assigned_at: dt.datetime,
                 now: dt.datetime | None = None) -> FaultRow:
    """Give the ticket to a technician (R9); an assigned ticket can be given to another one."""
    now = _now(now)
    ticket = _get(session, ticket_id)
    _allowed(ticket, "assign")
    at = _not_future(assigned_at, now, "派单时间")
    if at < ticket.reported_at:
        raise ValidationError(f"{_stamp(at)} 早于报修时间 {_stamp(ticket.reported_at)}", field="派单时间", rule="R9")
    person = _technician(session, technician_id, at.date())
    ticket.technician_id = person.id
    ticket.assigned_at = at
    ticket.status = "assigned"
    session.flush()
    return fault(session, ticket.id, now=now)


def resolve_fault(session: Session, ticket_id: str, *, resolved_at: dt.datetime, resolution: str,
                  now: dt.datetime | None = None) -> FaultRow:
    """Record when and how the technician cleared the fault (R9)."""
    now = _now(now)
    ticket = _get(session, ticket_id)
    _allowed(ticket, "resolve")
    at = _not_future(resolved_at, now, "解决时间")
    if at < ticket.reported_at:
        raise ValidationError(f"{_stamp(at)} 早于报修时间 {_stamp(ticket.reported_at)}", field="解决时间", rule="R9")
    if ticket.assigned_at is not None and at < ticket.assigned_at:
        raise ValidationError(f"{_stamp(at)} 早于派单时间 {_stamp(ticket.assigned_at)}", field="解决时间", rule="R9")
    text = clean_text(resolution, field="处理情况", required=True, max_len=1000)
    ticket.resolved_at = at
    ticket.resolution = text
    ticket.status = "resolved"
    session.flush()
    return fault(session, ticket.id, now=now)


def close_fault(session: Session, ticket_id: str, *, now: dt.datetime | None = None) -> FaultRow:
    """Close a resolved ticket (the site confirmed the repair)."""
    ticket = _get(session, ticket_id)
    _allowed(ticket, "close")
    ticket.status = "closed"
    session.flush()
    return fault(session, ticket.id, now=now)


def reopen_fault(session: Session, ticket_id: str, *, reason: str,
                 now: dt.datetime | None = None) -> FaultRow:
    """The fault came back: the ticket goes back to its technician ("assigned"), the former resolution and
    the reason are kept in the description; the response time stays that of the first assignment."""
    now = _now(now)
    ticket = _get(session, ticket_id)
    _allowed(ticket, "reopen")
    text = " ".join((clean_text(reason, field="重新打开原因", required=True, max_len=200) or "").split())
    former = ""
    if ticket.resolution or ticket.resolved_at:
        when = f"，{_stamp(ticket.resolved_at)} 解决" if ticket.resolved_at else ""
        former = f"（原处理：{ticket.resolution or ''}{when}）"
    ticket.description = f"{ticket.description.rstrip()}\n【{_stamp(now)} {REOPEN_MARK}】{text}{former}"
    ticket.resolved_at = None
    ticket.resolution = None
    ticket.status = "assigned" if ticket.technician_id else "open"
    session.flush()
    return fault(session, ticket.id, now=now)


# --- technicians ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TechnicianChoice:
    id: str
    name: str
    unit: str  #: where the post is held (the township, or the county)
    serves_site: bool  #: the post serves the ticket's site, or is in its township

    @property
    def display(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


def technician_choices(session: Session, *, site_id: str | None = None, on: dt.date | None = None
                       ) -> list[TechnicianChoice]:
    """People holding a technician post on *on* (R5, R9): those serving *site_id* (or posted in its township)
    first, then the others, by name."""
    on = on or dt.date.today()
    units = Units(session)
    posts = session.execute(
        select(Post.id, Post.person_id, Post.unit_id, Person.name)
        .join(Person, Person.id == Post.person_id)
        .where(Post.role == "technician", Post.deleted.is_(False), Person.deleted.is_(False),
               Post.start_date <= on, (Post.end_date.is_(None)) | (Post.end_date >= on),
               (Person.left_on.is_(None)) | (Person.left_on > on))).tuples().all()
    served: set[str] = set()
    township = ""
    if site_id:
        served = set(session.scalars(select(PostServedSite.post_id).where(
            PostServedSite.site_id == site_id, PostServedSite.deleted.is_(False))))
        township = units.area(site_id)
    best: dict[str, TechnicianChoice] = {}
    for post_id, person_id, unit_id, name in posts:
        area = units.area(unit_id)
        unit = units.by_id.get(unit_id)
        serves = post_id in served or (bool(township) and area == township and unit is not None
                                       and unit.kind == "township")
        choice = TechnicianChoice(person_id, name, area, serves)
        if person_id not in best or (serves and not best[person_id].serves_site):
            best[person_id] = choice
    return sorted(best.values(), key=lambda c: (not c.serves_site, c.name, c.id))


# --- figures ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FaultFigures:
    """Tickets reported in a period, for one technician, one site, or everything (key "")."""

    key: str  #: person id, site id, or "" for the total
    name: str  #: technician, site, or "合计"
    unit: str  #: technician's township/county, or the site's township
    tickets: int
    resolved: int  #: resolved or closed
    mean_response_hours: float | None
    max_response_hours: float | None
    mean_repair_hours: float | None
    downtime_hours: float  #: sum over the tickets; unresolved ones counted to now
    open: int  #: still open or assigned
    oldest_open_days: int | None


@dataclass(frozen=True)
class FaultStatistics:
    start: dt.date
    end: dt.date
    by_technician: tuple[FaultFigures, ...]
    by_site: tuple[FaultFigures, ...]
    total: FaultFigures


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _figures(key: str, name: str, unit: str, rows: list[FaultRow]) -> FaultFigures:
    responses = [r.response_hours for r in rows if r.response_hours is not None]
    repairs = [r.repair_hours for r in rows if r.repair_hours is not None]
    ages = [r.age_days for r in rows if r.age_days is not None]
    return FaultFigures(
        key=key, name=name, unit=unit, tickets=len(rows), resolved=sum(1 for r in rows if r.status in DONE),
        mean_response_hours=_mean(responses), max_response_hours=max(responses) if responses else None,
        mean_repair_hours=_mean(repairs), downtime_hours=sum(r.downtime_hours for r in rows),
        open=sum(1 for r in rows if r.unresolved), oldest_open_days=max(ages) if ages else None)


def _period_rows(session: Session, start: dt.date, end: dt.date, unit_id: str | None,
                 now: dt.datetime) -> list[FaultRow]:
    if end < start:
        raise ValidationError(f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}", field="统计期间")
    tickets = _tickets(session, unit_id=unit_id, reported_from=dt.datetime.combine(start, dt.time()),
                       reported_before=dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    names = _Names(session, tickets)
    return [names.row(t, now) for t in tickets]


def statistics(session: Session, *, start: dt.date, end: dt.date, unit_id: str | None = None,
               now: dt.datetime | None = None) -> FaultStatistics:
    """Response, repair and downtime per technician and per site for the tickets reported from *start* to
    *end* (both included) at sites under *unit_id* (R9). Technicians by mean response time (slowest last),
    sites by downtime (longest first)."""
    now = _now(now)
    rows = _period_rows(session, start, end, unit_id, now)
    units = Units(session)
    by_tech: dict[str, list[FaultRow]] = defaultdict(list)
    by_site: dict[str, list[FaultRow]] = defaultdict(list)
    names: dict[str, str] = {}
    for r in rows:
        by_site[r.site_id].append(r)
        if r.technician_id:
            by_tech[r.technician_id].append(r)
            names[r.technician_id] = r.technician
    tech_units = _technician_units(session, set(by_tech), units, end)
    techs = [_figures(pid, names[pid], tech_units.get(pid, ""), group) for pid, group in by_tech.items()]
    techs.sort(key=lambda f: (f.mean_response_hours is None, f.mean_response_hours or 0.0, f.name, f.key))
    sites = [_figures(sid, units.title(sid), units.area(sid), group) for sid, group in by_site.items()]
    sites.sort(key=lambda f: (-f.downtime_hours, f.name, f.key))
    return FaultStatistics(start=start, end=end, by_technician=tuple(techs), by_site=tuple(sites),
                           total=_figures("", "合计", "", rows))


def _technician_units(session: Session, person_ids: set[str], units: Units, on: dt.date) -> dict[str, str]:
    """Where each technician's post is (the latest one started by *on*)."""
    out: dict[str, tuple[dt.date, str]] = {}
    if not person_ids:
        return {}
    for person_id, unit_id, start in session.execute(
            select(Post.person_id, Post.unit_id, Post.start_date).where(
                Post.person_id.in_(sorted(person_ids)), Post.role == "technician",
                Post.deleted.is_(False))).tuples():
        if person_id not in out or (start <= on and start > out[person_id][0]):
            out[person_id] = (start, units.area(unit_id))
    return {pid: area for pid, (_start, area) in out.items()}


def year_statistics(session: Session, year: int, *, unit_id: str | None = None,
                    now: dt.datetime | None = None) -> FaultStatistics:
    return statistics(session, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), unit_id=unit_id, now=now)


def technician_response(session: Session, year: int) -> dict[str, float]:
    """Mean response time in hours (reported → assigned) per technician, over the tickets reported in *year*
    and assigned to them: the evaluation's ``fault_response`` indicator (R14). Technicians without an
    assigned ticket that year are absent."""
    start = dt.datetime(year, 1, 1)
    end = dt.datetime(year + 1, 1, 1)
    hours: dict[str, list[float]] = defaultdict(list)
    for technician_id, reported, assigned in session.execute(
            select(FaultTicket.technician_id, FaultTicket.reported_at, FaultTicket.assigned_at).where(
                FaultTicket.deleted.is_(False), FaultTicket.technician_id.is_not(None),
                FaultTicket.assigned_at.is_not(None), FaultTicket.reported_at >= start,
                FaultTicket.reported_at < end)).tuples():
        hours[technician_id or ""].append((assigned - reported).total_seconds() / HOUR)
    return {pid: sum(values) / len(values) for pid, values in hours.items()}


@dataclass(frozen=True)
class OpenFault:
    """An unresolved fault for the overview page."""

    id: str
    site: str
    equipment: str
    age_days: int
    technician: str  #: "" while nobody is assigned
    site_id: str
    status: str
    status_label: str
    description: str
    reported_at: dt.datetime


def open_faults(session: Session, unit_id: str | None = None,
                now: dt.datetime | None = None) -> list[OpenFault]:
    """Faults still open or assigned at sites under *unit_id*, oldest first (R9)."""
    rows = faults(session, FaultFilter(unit_id=unit_id, open_only=True), now=now)
    return [OpenFault(id=r.id, site=r.site, equipment=r.equipment, age_days=r.age_days or 0,
                      technician=r.technician, site_id=r.site_id, status=r.status,
                      status_label=r.status_label,
                      description=r.description.splitlines()[0] if r.description else "",
                      reported_at=r.reported_at)
            for r in rows]
