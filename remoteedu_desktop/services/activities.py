"""Teaching activities of the sites (R13): what was done, through which service channel, by whom, for how many.

Sites log each activity: the date, the channel of R13 (专家讲座, 网上答疑, 科技下乡, 送政策到村, 送技术入户,
课堂+基地, 基地+农户, 协会+农户, 课件播放, 集中学习…), what it was about, the tutors who led it (R4, R9),
the participants and the hours. From the log come the monthly statistics per site and channel, the
counts the yearly evaluation uses (R14, indicator ``activity_count``) and the paperwork of a site: the
work-record book (工作记录簿) and the monthly report card (月报卡), rendered in
:mod:`remoteedu_desktop.printing.activity_books`.

Every function takes the caller's Session; nothing commits here. Input is validated completely before
anything is written (ValidationError naming the field). A tutor without a tutor post on the day is a
warning, not a refusal: the activity happened, the archive may lag behind (R4).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Activity, ActivityTutor, Equipment, FaultTicket, OrgUnit, Person, Post
from ..errors import ValidationError
from ..printing import activity_books as books
from ._common import clean_text
from .offices import office_info
from .progress import Progress

#: More participants than this in one activity is a typing slip (a township's market-day lecture is a few hundred).
MAX_PARTICIPANTS = 100_000
MAX_TITLE = 200
MAX_NOTES = 2000
#: What the batch prints: the work-record book, the monthly report card, or both (book first, per site).
Documents = Literal["book", "card", "both"]


# --- the data --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityInput:
    """What the clerk types into the activity dialog. ``channel`` is a code of codes.ACTIVITY_CHANNEL."""

    site_id: str
    date: dt.date
    channel: str
    title: str  #: 内容: what the activity was about
    participants: int = 0
    hours: float = 1.0
    tutor_ids: tuple[str, ...] = ()  #: people holding a tutor post (R4)
    notes: str | None = None


@dataclass(frozen=True)
class ActivityRow:
    """One logged activity, as the table and the printed book show it."""

    id: str
    site_id: str
    site_name: str
    site_code: str | None
    township_id: str | None
    township_name: str
    date: dt.date
    channel: str
    channel_label: str
    title: str
    participants: int
    hours: float
    tutor_ids: tuple[str, ...]
    tutor_names: tuple[str, ...]
    notes: str | None
    #: R4/R13 warnings of the last save (a tutor without a tutor post on the day); empty when listed.
    warnings: tuple[str, ...] = field(default=())

    @property
    def tutors_text(self) -> str:
        return "、".join(self.tutor_names)

    @property
    def site_label(self) -> str:
        """"龙潭镇 杨家村" (the township first, as the clerk reads it)."""
        return f"{self.township_name} {self.site_name}".strip()


@dataclass(frozen=True)
class ActivityFilter:
    """What the list shows: everything under a unit (county, township, or one site), narrowed by month,
    channel and text (title, notes, site or tutor name)."""

    unit_id: str | None = None
    site_id: str | None = None
    year: int | None = None
    month: int | None = None  #: 1–12, only with year
    channel: str | None = None
    text: str = ""


@dataclass(frozen=True)
class TutorChoice:
    """A person offered in the tutor picker: everyone who holds or held a tutor post (R4)."""

    person_id: str
    name: str
    unit: str  #: where the (latest) tutor post is, e.g. "龙潭镇" or "青山县"
    role_label: str
    active: bool  #: holds a tutor post today

    @property
    def display(self) -> str:
        past = "" if self.active else "（已离任）"
        return f"{self.name}（{self.unit} {self.role_label}）{past}"


@dataclass(frozen=True)
class Tally:
    """Count, participants and hours of a group of activities."""

    count: int = 0
    participants: int = 0
    hours: float = 0.0

    def plus(self, participants: int, hours: float) -> Tally:
        return Tally(self.count + 1, self.participants + participants, round(self.hours + hours, 2))

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.participants + other.participants,
                     round(self.hours + other.hours, 2))


@dataclass(frozen=True)
class MonthlyStat:
    """One site and one channel over a year: a tally per month (index 0 = January) and the year's total."""

    site_id: str
    site_name: str
    township_name: str
    channel: str
    channel_label: str
    months: tuple[Tally, ...]  #: 12 entries
    total: Tally


@dataclass(frozen=True)
class ActivityCounts:
    """Activities of a year per site and per tutor (R14 indicator ``activity_count``)."""

    year: int
    by_site: Mapping[str, int]
    by_tutor: Mapping[str, int]


# --- helpers ---------------------------------------------------------------------------------------

def _units(session: Session) -> dict[str, OrgUnit]:
    return {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.deleted.is_(False)))}


def _under(units: Mapping[str, OrgUnit], root_id: str) -> set[str]:
    """*root_id* and every unit below it."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id].append(unit.id)
    out, todo = {root_id}, [root_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def sites_under(session: Session, unit_id: str | None, *, include_inactive: bool = False) -> list[OrgUnit]:
    """The sites (R1: village, enterprise and township stations) under *unit_id* (a site gives itself; None
    gives every site), ordered by township, code and name."""
    units = _units(session)
    keep = _under(units, unit_id) if unit_id else set(units)
    sites = [u for u in units.values()
             if u.id in keep and u.kind in codes.SITE_KINDS and (include_inactive or u.active)]

    def key(u: OrgUnit) -> tuple[object, ...]:
        parent = units.get(u.parent_id or "")
        return (parent.sort_order if parent else 0, parent.name if parent else "", u.sort_order, u.code or "", u.name)

    return sorted(sites, key=key)


def _number(value: object, *, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
        raise ValidationError(f"“{value}”不是数字", field=field)
    return float(value)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(f"“{year}”应为 2000–2100 之间的年份", field="年度")
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"“{month}”应为 1–12 月", field="月份")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _tutor_posts(session: Session, person_ids: Iterable[str]) -> dict[str, list[Post]]:
    ids = list(set(person_ids))
    if not ids:
        return {}
    out: dict[str, list[Post]] = defaultdict(list)
    for post in session.scalars(select(Post).where(Post.person_id.in_(ids), Post.deleted.is_(False),
                                                   Post.role.in_(codes.TUTOR_ROLES))):
        out[post.person_id].append(post)
    return out


def _holds_on(posts: Sequence[Post], day: dt.date) -> bool:
    return any(p.start_date <= day and (p.end_date is None or p.end_date >= day) for p in posts)


# --- validation ------------------------------------------------------------------------------------

def _check_site(session: Session, site_id: str, *, keep_inactive: str | None = None) -> OrgUnit:
    """A site under this office (R1, R13); a deactivated site only when the activity already was there."""
    site = session.get(OrgUnit, site_id) if site_id else None
    if site is None or site.deleted:
        raise ValidationError("请选择开展活动的站点" if not site_id else "找不到该站点", field="站点")
    if site.kind not in codes.SITE_KINDS:
        raise ValidationError(f"“{site.name}”是{codes.label(codes.UNIT_KIND, site.kind)}，活动应记在站点上"
                              "（村、非公企业或乡镇站点）", field="站点", rule="R13")
    office = office_info(session)
    if office.unit_id is None:
        raise ValidationError("本机尚未设置为县或乡镇远程办，不能登记活动", field="站点")
    if site.id not in _under(_units(session), office.unit_id):
        raise ValidationError(f"“{site.name}”不属于本单位（{office.name}）的站点", field="站点")
    if not site.active and site.id != keep_inactive:
        raise ValidationError(f"“{site.name}”已撤销，不能再登记新的活动", field="站点")
    return site


def _values(session: Session, data: ActivityInput, *, today: dt.date,
            keep_inactive: str | None = None) -> tuple[dict[str, object], tuple[str, ...], list[str]]:
    """(column values, tutor ids, R4 warnings), or ValidationError naming the first bad field."""
    site = _check_site(session, (data.site_id or "").strip(), keep_inactive=keep_inactive)
    if not isinstance(data.date, dt.date) or isinstance(data.date, dt.datetime):
        raise ValidationError("不能为空", field="日期")
    if data.date > today:
        raise ValidationError(f"{data.date.isoformat()} 晚于今天（{today.isoformat()}）：只能登记已开展的活动",
                              field="日期")
    if data.date.year < 2000:
        raise ValidationError(f"{data.date.isoformat()} 早于 2000 年", field="日期")
    channel = codes.require_code(codes.ACTIVITY_CHANNEL, data.channel, field="活动形式")
    title = clean_text(data.title, field="活动内容", required=True, max_len=MAX_TITLE)
    participants = _number(data.participants, field="参加人数")
    if participants != int(participants) or not 0 <= participants <= MAX_PARTICIPANTS:
        raise ValidationError(f"{participants:g} 应为 0–{MAX_PARTICIPANTS} 之间的整数", field="参加人数")
    hours = _number(data.hours, field="时长")
    if not 0 < hours <= 24:
        raise ValidationError(f"{hours:g} 应大于 0 且不超过 24 小时", field="时长")
    notes = clean_text(data.notes, field="备注", max_len=MAX_NOTES)

    tutor_ids = tuple(dict.fromkeys(t.strip() for t in data.tutor_ids if t and t.strip()))
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(tutor_ids),
                                                                    Person.deleted.is_(False)))} if tutor_ids else {}
    posts = _tutor_posts(session, people)
    warnings: list[str] = []
    for pid in tutor_ids:
        person = people.get(pid)
        if person is None:
            raise ValidationError("档案中找不到该辅导员", field="辅导员")
        if not posts.get(pid):
            raise ValidationError(f"{person.name}没有担任过教学辅导员，不能记为活动的辅导员", field="辅导员",
                                  rule="R4")
        if not _holds_on(posts[pid], data.date):
            warnings.append(f"[R4] {person.name}在 {data.date.isoformat()} 没有在任的教学辅导员职务")
    values: dict[str, object] = {"site_id": site.id, "date": data.date, "channel": channel, "title": title,
                                 "participants": int(participants), "hours": round(hours, 2), "notes": notes}
    return values, tutor_ids, warnings


def activity_warnings(session: Session, data: ActivityInput, *, today: dt.date | None = None) -> list[str]:
    """The R4 warnings an activity would get (a tutor without a tutor post on the day); ValidationError
    when the input would be refused anyway."""
    site = session.get(OrgUnit, data.site_id) if data.site_id else None
    return _values(session, data, today=today or dt.date.today(), keep_inactive=site.id if site else None)[2]


# --- rows ------------------------------------------------------------------------------------------

def _rows(session: Session, activities: Sequence[Activity]) -> list[ActivityRow]:
    if not activities:
        return []
    units = _units(session)
    ids = [a.id for a in activities]
    tutors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        for aid, pid, name in session.execute(
                select(ActivityTutor.activity_id, Person.id, Person.name)
                .join(Person, Person.id == ActivityTutor.person_id)
                .where(ActivityTutor.activity_id.in_(ids[chunk:chunk + 500]), ActivityTutor.deleted.is_(False))
                .order_by(Person.name, Person.id)):
            tutors[aid].append((pid, name))
    out = []
    for a in activities:
        site = units.get(a.site_id)
        parent = units.get(site.parent_id or "") if site else None
        township = parent if parent is not None and parent.kind == "township" else None
        people = tutors.get(a.id, [])
        out.append(ActivityRow(
            id=a.id, site_id=a.site_id, site_name=site.name if site else "?", site_code=site.code if site else None,
            township_id=township.id if township else None, township_name=township.name if township else "",
            date=a.date, channel=a.channel, channel_label=codes.label(codes.ACTIVITY_CHANNEL, a.channel),
            title=a.title, participants=int(a.participants or 0), hours=float(a.hours or 0.0),
            tutor_ids=tuple(p for p, _n in people), tutor_names=tuple(n for _p, n in people), notes=a.notes))
    return out


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_activities(session: Session, flt: ActivityFilter = ActivityFilter()) -> list[ActivityRow]:  # noqa: B008
    """Activities not deleted, newest first (then by site): under the filter's unit (its whole subtree),
    of one site, a year or a month, a channel, and matching every word of the text in the title, notes,
    site name or a tutor's name."""
    stmt = select(Activity).where(Activity.deleted.is_(False))
    if flt.unit_id:
        units = _units(session)
        stmt = stmt.where(Activity.site_id.in_(_under(units, flt.unit_id)))
    if flt.site_id:
        stmt = stmt.where(Activity.site_id == flt.site_id)
    if flt.year is not None:
        if flt.month is not None:
            first, last = _month_bounds(flt.year, flt.month)
        else:
            first, last = dt.date(flt.year, 1, 1), dt.date(flt.year, 12, 31)
        stmt = stmt.where(Activity.date >= first, Activity.date <= last)
    if flt.channel:
        stmt = stmt.where(Activity.channel == flt.channel)
    for term in (flt.text or "").split():
        pattern = _like(term)
        by_tutor = (select(ActivityTutor.activity_id).join(Person, Person.id == ActivityTutor.person_id)
                    .where(ActivityTutor.deleted.is_(False),
                           or_(Person.name.like(pattern, escape="\\"),
                               Person.name_initials.like(pattern, escape="\\"))))
        by_site = select(OrgUnit.id).where(OrgUnit.name.like(pattern, escape="\\"))
        stmt = stmt.where(or_(Activity.title.like(pattern, escape="\\"), Activity.notes.like(pattern, escape="\\"),
                              Activity.site_id.in_(by_site), Activity.id.in_(by_tutor)))
    stmt = stmt.order_by(Activity.date.desc(), Activity.site_id, Activity.title, Activity.id)
    return _rows(session, list(session.scalars(stmt)))


def _get(session: Session, activity_id: str) -> Activity:
    row = session.get(Activity, activity_id) if activity_id else None
    if row is None or row.deleted:
        raise ValidationError("找不到该活动记录（可能已被删除）", field="活动")
    return row


def get_activity(session: Session, activity_id: str) -> ActivityRow:
    return _rows(session, [_get(session, activity_id)])[0]


def _set_tutors(session: Session, activity_id: str, tutor_ids: tuple[str, ...]) -> None:
    """The activity's tutors become *tutor_ids*: links removed are tombstoned, a link removed before and
    wanted again is revived (the (activity, person) index is unique over tombstones too)."""
    links = {t.person_id: t for t in session.scalars(
        select(ActivityTutor).where(ActivityTutor.activity_id == activity_id))}
    wanted = set(tutor_ids)
    for pid, link in links.items():
        if link.deleted == (pid in wanted):
            link.deleted = pid not in wanted
    for pid in tutor_ids:
        if pid not in links:
            session.add(ActivityTutor(activity_id=activity_id, person_id=pid))
    session.flush()


def add_activity(session: Session, data: ActivityInput, *, today: dt.date | None = None) -> ActivityRow:
    """Log an activity (R13); the returned row carries the R4 warnings (a tutor without a post on the day)."""
    values, tutor_ids, warnings = _values(session, data, today=today or dt.date.today())
    row = Activity(**values)
    session.add(row)
    session.flush()
    _set_tutors(session, row.id, tutor_ids)
    info = get_activity(session, row.id)
    return _with_warnings(info, warnings)


def update_activity(session: Session, activity_id: str, data: ActivityInput, *,
                    today: dt.date | None = None) -> ActivityRow:
    """Change an activity and its tutors; an activity of a since deactivated site may stay there."""
    row = _get(session, activity_id)
    values, tutor_ids, warnings = _values(session, data, today=today or dt.date.today(), keep_inactive=row.site_id)
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    session.flush()
    _set_tutors(session, row.id, tutor_ids)
    return _with_warnings(get_activity(session, row.id), warnings)


def _with_warnings(row: ActivityRow, warnings: list[str]) -> ActivityRow:
    return ActivityRow(**{**row.__dict__, "warnings": tuple(warnings)})


def delete_activity(session: Session, activity_id: str) -> None:
    """Tombstone the activity and its tutor links (R1: never a hard delete, the deletion travels)."""
    row = _get(session, activity_id)
    for link in session.scalars(select(ActivityTutor).where(ActivityTutor.activity_id == row.id,
                                                            ActivityTutor.deleted.is_(False))):
        link.deleted = True
    row.deleted = True
    session.flush()


def activity_years(session: Session) -> list[int]:
    """Years that have activities, newest first (the year filter)."""
    years = {d.year for d in session.scalars(select(Activity.date).where(Activity.deleted.is_(False)).distinct())}
    return sorted(years, reverse=True)


def tutor_choices(session: Session, *, today: dt.date | None = None) -> list[TutorChoice]:
    """Everyone who holds or held a tutor post (R4), those holding one today first, then by name."""
    today = today or dt.date.today()
    units = _units(session)
    posts = list(session.scalars(select(Post).where(Post.deleted.is_(False), Post.role.in_(codes.TUTOR_ROLES))))
    by_person: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_person[post.person_id].append(post)
    names = dict(session.execute(select(Person.id, Person.name).where(
        Person.id.in_(list(by_person)), Person.deleted.is_(False))).tuples().all()) if by_person else {}
    out = []
    for pid, held in by_person.items():
        if pid not in names:
            continue
        latest = max(held, key=lambda p: (p.end_date is None, p.end_date or p.start_date, p.start_date))
        unit = units.get(latest.unit_id)
        out.append(TutorChoice(pid, names[pid], unit.name if unit else "", codes.label(codes.ROLE, latest.role),
                               _holds_on(held, today)))
    out.sort(key=lambda c: (not c.active, c.name, c.unit, c.person_id))
    return out


# --- statistics ------------------------------------------------------------------------------------

def _year_rows(session: Session, year: int, site_ids: set[str] | None) -> list[tuple[str, str, dt.date, int, float]]:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(f"“{year}”应为 2000–2100 之间的年份", field="年度")
    stmt = (select(Activity.id, Activity.site_id, Activity.channel, Activity.date, Activity.participants,
                   Activity.hours)
            .where(Activity.deleted.is_(False), Activity.date >= dt.date(year, 1, 1),
                   Activity.date <= dt.date(year, 12, 31)))
    rows = session.execute(stmt).tuples().all()
    return [(site, channel, day, int(p or 0), float(h or 0.0)) for _id, site, channel, day, p, h in rows
            if site_ids is None or site in site_ids]


def monthly_statistics(session: Session, year: int, *, unit_id: str | None = None) -> list[MonthlyStat]:
    """Per site and per channel (R13): count, participants and hours of each month of *year* and the year's
    total; only pairs with at least one activity, ordered like the sites, then by channel as in codes.py."""
    units = _units(session)
    site_ids = _under(units, unit_id) if unit_id else None
    months: dict[tuple[str, str], list[Tally]] = {}
    for site, channel, day, participants, hours in _year_rows(session, year, site_ids):
        tallies = months.setdefault((site, channel), [Tally()] * 12)
        tallies[day.month - 1] = tallies[day.month - 1].plus(participants, hours)
    order = {s.id: n for n, s in enumerate(sites_under(session, unit_id, include_inactive=True))}
    channel_order = {c: n for n, c in enumerate(codes.ACTIVITY_CHANNEL)}
    out = []
    for (site_id, channel), tallies in sorted(months.items(), key=lambda item: (
            order.get(item[0][0], len(order)), channel_order.get(item[0][1], 99), item[0])):
        site = units.get(site_id)
        parent = units.get(site.parent_id or "") if site else None
        total = Tally()
        for tally in tallies:
            total = total + tally
        out.append(MonthlyStat(site_id, site.name if site else "?", parent.name if parent else "", channel,
                               codes.label(codes.ACTIVITY_CHANNEL, channel), tuple(tallies), total))
    return out


def activity_counts(session: Session, year: int) -> ActivityCounts:
    """Activities of *year* per site and per tutor (each activity counts once for each of its tutors);
    for the yearly evaluation's ``activity_count`` indicator (R14)."""
    by_site: dict[str, int] = defaultdict(int)
    for site, _channel, _day, _p, _h in _year_rows(session, year, None):
        by_site[site] += 1
    stmt = (select(ActivityTutor.person_id, func.count(func.distinct(Activity.id)))
            .join(Activity, Activity.id == ActivityTutor.activity_id)
            .where(ActivityTutor.deleted.is_(False), Activity.deleted.is_(False),
                   Activity.date >= dt.date(year, 1, 1), Activity.date <= dt.date(year, 12, 31))
            .group_by(ActivityTutor.person_id))
    by_tutor = {pid: int(n) for pid, n in session.execute(stmt).tuples()}
    return ActivityCounts(year, dict(by_site), by_tutor)


# --- paperwork: the work-record book and the monthly report card -----------------------------------

def _site_header(session: Session, site_id: str) -> tuple[OrgUnit, str, str]:
    """(the site, its township's name, its county's name)."""
    site = session.get(OrgUnit, site_id) if site_id else None
    if site is None or site.deleted or site.kind not in codes.SITE_KINDS:
        raise ValidationError("找不到该站点", field="站点")
    township = session.get(OrgUnit, site.parent_id) if site.parent_id else None
    county = session.get(OrgUnit, township.parent_id) if township is not None and township.parent_id else None
    return site, township.name if township else "", county.name if county else ""


def _chunks(ids: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for n in range(0, len(ids), size):
        yield ids[n:n + size]


def _managers(session: Session, site_ids: Sequence[str], last: dt.date) -> dict[str, str]:
    """Each site's managers on the month's last day, A before B: "张三、李四" (one query per 500 sites)."""
    names: dict[str, dict[str, None]] = defaultdict(dict)
    for chunk in _chunks(site_ids):
        for unit_id, name in session.execute(
                select(Post.unit_id, Person.name).join(Person, Person.id == Post.person_id)
                .where(Post.unit_id.in_(chunk), Post.deleted.is_(False), Post.role.in_(codes.MANAGER_ROLES),
                       Post.start_date <= last, or_(Post.end_date.is_(None), Post.end_date >= last))
                .order_by(Post.unit_id, Post.slot.is_(None), Post.slot, Person.name)).tuples():
            names[unit_id][name] = None
    return {site: "、".join(people) for site, people in names.items()}


def _equipment_in_service(session: Session, site_ids: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(site_ids):
        out.update({site: int(n) for site, n in session.execute(
            select(Equipment.site_id, func.count()).where(
                Equipment.site_id.in_(chunk), Equipment.deleted.is_(False), Equipment.in_service.is_(True))
            .group_by(Equipment.site_id)).tuples()})
    return out


def _faults(session: Session, site_ids: Sequence[str], cutoff: dt.datetime) -> dict[str, tuple[int, int]]:
    """Per site (R9): (faults reported in *cutoff*'s month up to it, faults still not repaired at *cutoff*)."""
    start = dt.datetime(cutoff.year, cutoff.month, 1)
    out: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(site_ids):
        for site, reported_at, resolved_at, status in session.execute(
                select(FaultTicket.site_id, FaultTicket.reported_at, FaultTicket.resolved_at, FaultTicket.status)
                .where(FaultTicket.site_id.in_(chunk), FaultTicket.deleted.is_(False),
                       FaultTicket.reported_at <= cutoff)).tuples():
            reported, still_open = out.get(site, (0, 0))
            # Not repaired at the cutoff: no repair recorded yet (and not closed without one), or repaired later.
            not_repaired = status in ("open", "assigned") if resolved_at is None else resolved_at > cutoff
            out[site] = (reported + (reported_at >= start), still_open + not_repaired)
    return out


@dataclass(frozen=True)
class _SiteMonth:
    """What the paperwork of sites for one month needs besides the activities, read once for all sites."""

    managers: dict[str, str]
    equipment: dict[str, int]
    faults: dict[str, tuple[int, int]]
    as_of: dt.date  #: the month's last day, or today for the month running (R9 equipment line)

    @classmethod
    def read(cls, session: Session, site_ids: Sequence[str], year: int, month: int, today: dt.date) -> _SiteMonth:
        _first, last = _month_bounds(year, month)
        as_of = min(last, today)
        return cls(_managers(session, site_ids, last), _equipment_in_service(session, site_ids),
                   _faults(session, site_ids, dt.datetime.combine(as_of, dt.time(23, 59, 59))), as_of)


def _book(site: OrgUnit, township: str, county: str, extra: _SiteMonth, year: int, month: int,
          rows: Sequence[ActivityRow]) -> books.WorkRecordBook:
    ordered = sorted(rows, key=lambda r: (r.date, r.title, r.id))
    entries = tuple(books.BookEntry(date=r.date, channel=r.channel_label, content=r.title, tutors=r.tutors_text,
                                    participants=r.participants, hours=r.hours, notes=r.notes or "")
                    for r in ordered)
    return books.WorkRecordBook(site_name=site.name, site_code=site.code or "", township=township, county=county,
                                year=year, month=month, manager=extra.managers.get(site.id, ""), entries=entries)


def _card(site: OrgUnit, township: str, county: str, extra: _SiteMonth, year: int, month: int,
          rows: Sequence[ActivityRow]) -> books.MonthlyReportCard:
    tallies: dict[str, Tally] = {}
    for r in rows:
        tallies[r.channel] = tallies.get(r.channel, Tally()).plus(r.participants, r.hours)
    known = list(codes.ACTIVITY_CHANNEL.items())
    known += [(c, c) for c in sorted(tallies) if c not in codes.ACTIVITY_CHANNEL]  # a code from a newer version
    channels = tuple(books.ChannelTotal(label, tallies.get(code, Tally()).count,
                                        tallies.get(code, Tally()).participants, tallies.get(code, Tally()).hours)
                     for code, label in known)
    reported, still_open = extra.faults.get(site.id, (0, 0))
    return books.MonthlyReportCard(
        site_name=site.name, site_code=site.code or "", township=township, county=county, year=year, month=month,
        manager=extra.managers.get(site.id, ""), channels=channels,
        equipment_in_service=extra.equipment.get(site.id, 0), faults_reported=reported, faults_open=still_open,
        faults_as_of=extra.as_of)


def work_record_book(session: Session, site_id: str, year: int, month: int) -> books.WorkRecordBook:
    """The site's work-record book (工作记录簿) for one month: every activity by date."""
    site, township, county = _site_header(session, site_id)
    rows = list_activities(session, ActivityFilter(site_id=site.id, year=year, month=month))
    extra = _SiteMonth.read(session, [site.id], year, month, dt.date.max)
    return _book(site, township, county, extra, year, month, rows)


def report_card(session: Session, site_id: str, year: int, month: int, *,
                today: dt.date | None = None) -> books.MonthlyReportCard:
    """The site's monthly report card (月报卡): totals per channel (R13), the equipment line (R9) as of the
    month's last day (today for the month running)."""
    site, township, county = _site_header(session, site_id)
    rows = list_activities(session, ActivityFilter(site_id=site.id, year=year, month=month))
    extra = _SiteMonth.read(session, [site.id], year, month, today or dt.date.today())
    return _card(site, township, county, extra, year, month, rows)


def month_documents(session: Session, unit_id: str, year: int, month: int, *, documents: Documents = "both",
                    today: dt.date | None = None) -> Generator[Progress, None, bytes]:
    """One PDF for every site under *unit_id* (a township gives all its sites, a site itself) for the month:
    each site's work-record book and/or report card. The active sites are printed, and a deactivated one
    that logged activities in the month. Yields progress per site gathered, then per document drawn."""
    if documents not in ("book", "card", "both"):
        raise ValidationError(f"“{documents}”应为 book、card 或 both", field="打印内容")
    _month_bounds(year, month)
    units = _units(session)
    if unit_id not in units:
        raise ValidationError("找不到该单位", field="单位")
    by_site: dict[str, list[ActivityRow]] = defaultdict(list)
    for row in list_activities(session, ActivityFilter(unit_id=unit_id, year=year, month=month)):
        by_site[row.site_id].append(row)
    sites = [s for s in sites_under(session, unit_id, include_inactive=True) if s.active or s.id in by_site]
    if not sites:
        raise ValidationError(f"“{units[unit_id].name}”下没有站点，无可打印的内容", field="单位")
    total = len(sites)
    yield 0, total, f"正在汇总 {total} 个站点"
    extra = _SiteMonth.read(session, [s.id for s in sites], year, month, today or dt.date.today())
    record_books: list[books.WorkRecordBook] = []
    cards: list[books.MonthlyReportCard] = []
    for n, site in enumerate(sites):
        if n % 50 == 0:
            yield n, total, f"正在汇总 {site.name}（{n + 1}/{total}）"
        township = units.get(site.parent_id or "")
        county = units.get(township.parent_id or "") if township is not None else None
        names = (township.name if township else "", county.name if county else "")
        rows = by_site.get(site.id, [])
        if documents in ("book", "both"):
            record_books.append(_book(site, *names, extra, year, month, rows))
        if documents in ("card", "both"):
            cards.append(_card(site, *names, extra, year, month, rows))
    return (yield from books.render_documents(record_books, cards, interleave=documents == "both"))


def site_month_pdf(session: Session, site_id: str, year: int, month: int, *, documents: Documents = "both",
                   today: dt.date | None = None) -> bytes:
    """One site's book and/or card for the month, as PDF bytes."""
    steps = month_documents(session, site_id, year, month, documents=documents, today=today)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


__all__ = [
    "ActivityCounts", "ActivityFilter", "ActivityInput", "ActivityRow", "MonthlyStat", "Tally", "TutorChoice",
    "activity_counts", "activity_warnings", "activity_years", "add_activity", "delete_activity", "get_activity",
    "list_activities", "month_documents", "monthly_statistics", "report_card", "site_month_pdf", "sites_under",
    "tutor_choices", "update_activity", "work_record_book",
]
