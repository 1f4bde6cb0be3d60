"""What the sites page shows (R1–R5, R12): the list of sites with their A/B holders and warnings, and one
site's (or township's) detail. Plain dataclasses out, no Qt.

Warnings come from :func:`checks.rule_warnings` (one pass over the data), so the page and the rule check
never disagree: R3 (post A or B empty, one person on both), R2 (a township with fewer than two township
managers) and R12 (a site whose managers changed more than once in 12 months).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Person, Post, PostServedSite
from .checks import RuleWarning, rule_warnings
from .person_views import PostRecord, post_records
from .units import get_unit

#: Roles that serve sites without managing one (R4, R5).
HELPER_ROLES: frozenset[str] = frozenset({"county_tutor", "township_tutor", "technician"})
#: Kinds of unit the sites page shows a detail for.
DETAIL_KINDS: frozenset[str] = frozenset({"township", *codes.SITE_KINDS})
_KIND_ORDER = {"township_station": 0, "village": 1, "enterprise": 2}


@dataclass(frozen=True)
class SiteRow:
    """One line of the sites table."""

    id: str
    name: str
    code: str | None
    kind: str
    kind_label: str
    township_id: str | None
    township_name: str
    active: bool
    post_a: str  # holder's name, "" when empty; only village sites have slots (R3)
    post_b: str
    managers: tuple[str, ...]  # managers of a site without slots (enterprise, township station)
    helpers: int  # tutors and technicians serving the site (R4, R5)
    warnings: tuple[str, ...]  # "[R3] A岗空缺", …

    @property
    def has_slots(self) -> bool:
        return self.kind == "village"

    @property
    def warnings_text(self) -> str:
        return "；".join(self.warnings)


@dataclass(frozen=True)
class SlotView:
    """Post A or B of a village site."""

    slot: str
    label: str
    holder: PostRecord | None
    had_holder: bool  # someone held it before: a new holder is a change and needs a reason (R12)


@dataclass(frozen=True)
class SiteWarning:
    rule: str
    message: str

    def text(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class SiteDetail:
    """A site (or a township) with its posts, the people serving it and its warnings."""

    id: str
    name: str
    code: str | None
    kind: str
    kind_label: str
    parent_id: str | None
    parent_name: str
    parent_code: str | None
    active: bool
    address: str | None
    contact_person: str | None
    contact_phone: str | None
    notes: str | None
    slots: list[SlotView] = field(default_factory=list)  # village sites: A and B
    managers: list[PostRecord] = field(default_factory=list)  # other open manager posts
    helpers: list[PostRecord] = field(default_factory=list)  # tutors and technicians serving it
    past_managers: list[PostRecord] = field(default_factory=list)  # ended manager posts, newest first
    changes_12m: int = 0  # manager posts ended in the last 12 months (R12)
    warnings: list[SiteWarning] = field(default_factory=list)
    row_version: int = 0  # what the editor sends back to detect another clerk's save (issue 10 item 1)

    @property
    def has_slots(self) -> bool:
        return self.kind == "village"

    @property
    def full_name(self) -> str:
        return f"{self.parent_name}{self.name}" if self.kind in codes.SITE_KINDS else self.name


@dataclass(frozen=True)
class UnitChoice:
    """A unit offered in a picker."""

    id: str
    name: str
    kind: str
    code: str | None
    township_name: str  # "" for a county or a township

    @property
    def display(self) -> str:
        code = f"（{self.code}）" if self.code else ""
        return f"{self.township_name}{self.name}{code}"


def _warnings_by_unit(session: Session, today: dt.date | None) -> dict[str, list[RuleWarning]]:
    by_unit: dict[str, list[RuleWarning]] = defaultdict(list)
    for w in rule_warnings(session, today=today):
        by_unit[w.unit_id].append(w)
    return by_unit


def _sites_under(units: list[OrgUnit], under_unit_id: str | None) -> list[OrgUnit]:
    by_id = {u.id: u for u in units}
    sites = [u for u in units if u.kind in codes.SITE_KINDS]
    if under_unit_id is None:
        return sites
    target = by_id.get(under_unit_id)
    if target is None:
        return []
    if target.kind in codes.SITE_KINDS:
        return [target]

    def under(unit: OrgUnit) -> bool:
        seen = 0
        parent_id = unit.parent_id
        while parent_id is not None and seen < 8:
            if parent_id == under_unit_id:
                return True
            parent = by_id.get(parent_id)
            parent_id = parent.parent_id if parent else None
            seen += 1
        return False

    return [u for u in sites if under(u)]


def _helper_counts(session: Session, site_ids: Iterable[str]) -> dict[str, int]:
    ids = list(site_ids)
    if not ids:
        return {}
    stmt = (select(PostServedSite.site_id, func.count(func.distinct(Post.person_id)))
            .join(Post, Post.id == PostServedSite.post_id)
            .where(PostServedSite.site_id.in_(ids), PostServedSite.deleted.is_(False),
                   Post.end_date.is_(None), Post.deleted.is_(False), Post.role.in_(HELPER_ROLES))
            .group_by(PostServedSite.site_id))
    return {site_id: int(n) for site_id, n in session.execute(stmt).tuples()}


def list_sites(session: Session, *, under_unit_id: str | None = None, include_inactive: bool = False,
               today: dt.date | None = None) -> list[SiteRow]:
    """The sites under a county or township (or the one site *under_unit_id* names; all when None),
    ordered by township, then as the clerk arranged them."""
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.deleted.is_(False))))
    by_id = {u.id: u for u in units}
    sites = [u for u in _sites_under(units, under_unit_id) if include_inactive or u.active]
    site_ids = [u.id for u in sites]
    holders: dict[str, dict[str, str]] = defaultdict(dict)
    managers: dict[str, list[str]] = defaultdict(list)
    if site_ids:
        stmt = (select(Post.unit_id, Post.slot, Person.name).join(Person, Person.id == Post.person_id)
                .where(Post.unit_id.in_(site_ids), Post.end_date.is_(None), Post.deleted.is_(False),
                       Post.role.in_(codes.MANAGER_ROLES))
                .order_by(Post.start_date, Person.name))
        for unit_id, slot, name in session.execute(stmt).tuples():
            if slot:
                previous = holders[unit_id].get(slot)
                holders[unit_id][slot] = f"{previous}、{name}" if previous else name
            else:
                managers[unit_id].append(name)
    helpers = _helper_counts(session, site_ids)
    warnings = _warnings_by_unit(session, today)

    def township_of(unit: OrgUnit) -> OrgUnit | None:
        parent = by_id.get(unit.parent_id or "")
        return parent if parent is not None and parent.kind == "township" else None

    rows = []
    for u in sites:
        tw = township_of(u)
        rows.append(SiteRow(
            id=u.id, name=u.name, code=u.code, kind=u.kind, kind_label=codes.label(codes.UNIT_KIND, u.kind),
            township_id=tw.id if tw else None, township_name=tw.name if tw else "", active=u.active,
            post_a=holders[u.id].get("A", ""), post_b=holders[u.id].get("B", ""),
            managers=tuple(managers.get(u.id, ())), helpers=helpers.get(u.id, 0),
            warnings=tuple(f"[{w.rule}] {w.message}" for w in warnings.get(u.id, ()))))

    def key(row: SiteRow) -> tuple[object, ...]:
        tw = by_id.get(row.township_id or "")
        unit = by_id[row.id]
        return (tw.sort_order if tw else 0, (tw.code or "") if tw else "", row.township_name,
                _KIND_ORDER.get(row.kind, 9), unit.sort_order, row.code or "", row.name)

    return sorted(rows, key=key)


def _manager_posts(session: Session, unit_ids: list[str], *, open_: bool) -> list[Post]:
    stmt = select(Post).where(Post.unit_id.in_(unit_ids), Post.deleted.is_(False),
                              Post.role.in_(codes.MANAGER_ROLES))
    if open_:
        stmt = stmt.where(Post.end_date.is_(None)).order_by(Post.slot, Post.start_date)
    else:
        stmt = stmt.where(Post.end_date.is_not(None)).order_by(Post.end_date.desc(), Post.start_date.desc())
    return list(session.scalars(stmt))


def site_detail(session: Session, site_id: str, *, today: dt.date | None = None,
                past_limit: int = 10) -> SiteDetail:
    """One site or township: its open posts (A and B for a village), the tutors and technicians serving
    it, its recent manager changes and every rule warning about it."""
    today = today or dt.date.today()
    unit = get_unit(session, site_id, field="站点")
    parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    unit_ids = [unit.id]
    # R2 counts the township managers of the township and of its station together: each shows both.
    if unit.kind == "township":
        unit_ids += list(session.scalars(select(OrgUnit.id).where(
            OrgUnit.parent_id == unit.id, OrgUnit.kind == "township_station", OrgUnit.deleted.is_(False))))
    elif unit.kind == "township_station" and parent is not None:
        unit_ids.append(parent.id)
    open_posts = post_records(session, _manager_posts(session, unit_ids, open_=True))
    ended = post_records(session, _manager_posts(session, [unit.id], open_=False))
    since = today - dt.timedelta(days=365)
    changes = len({p.end_date for p in ended if p.end_date and p.end_date >= since})

    slots: list[SlotView] = []
    managers = open_posts
    if unit.kind == "village":
        had = {p.slot for p in ended if p.role == "village_manager"}
        for slot, label in codes.SLOT.items():
            holder = next((p for p in open_posts if p.slot == slot), None)
            slots.append(SlotView(slot, label, holder, slot in had))
        shown = {s.holder.id for s in slots if s.holder}
        managers = [p for p in open_posts if p.id not in shown]

    if unit.kind == "township":
        helper_posts = list(session.scalars(select(Post).where(
            Post.unit_id == unit.id, Post.role.in_(HELPER_ROLES), Post.end_date.is_(None),
            Post.deleted.is_(False)).order_by(Post.role, Post.start_date)))
    else:
        helper_posts = list(session.scalars(
            select(Post).join(PostServedSite, PostServedSite.post_id == Post.id)
            .where(PostServedSite.site_id == unit.id, PostServedSite.deleted.is_(False),
                   Post.role.in_(HELPER_ROLES), Post.end_date.is_(None), Post.deleted.is_(False))
            .order_by(Post.role, Post.start_date)))
    warnings = [SiteWarning(w.rule, w.message) for w in rule_warnings(session, today=today)
                if w.unit_id == unit.id]
    return SiteDetail(
        id=unit.id, name=unit.name, code=unit.code, kind=unit.kind, kind_label=codes.label(codes.UNIT_KIND, unit.kind),
        parent_id=unit.parent_id, parent_name=parent.name if parent else "", parent_code=parent.code if parent else None,
        active=unit.active, address=unit.address, contact_person=unit.contact_person,
        contact_phone=unit.contact_phone, notes=unit.notes, slots=slots, managers=managers,
        helpers=post_records(session, helper_posts), past_managers=ended[:past_limit], changes_12m=changes,
        warnings=warnings, row_version=unit.row_version)


def unit_choices(session: Session, *, kinds: Iterable[str], under_unit_id: str | None = None,
                 include_inactive: bool = False) -> list[UnitChoice]:
    """Units of the given kinds (optionally only those under one unit), for pickers."""
    wanted = set(kinds)
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.deleted.is_(False))))
    by_id = {u.id: u for u in units}
    if under_unit_id is not None:
        keep = {under_unit_id}
        changed = True
        while changed:  # the unit and everything below it (a few levels)
            changed = False
            for u in units:
                if u.parent_id in keep and u.id not in keep:
                    keep.add(u.id)
                    changed = True
        units = [u for u in units if u.id in keep]
    out = []
    for u in units:
        if u.kind not in wanted or not (include_inactive or u.active):
            continue
        parent = by_id.get(u.parent_id or "")
        township = parent.name if parent is not None and parent.kind == "township" else ""
        out.append((parent.sort_order if parent else 0, township, _KIND_ORDER.get(u.kind, 9), u.sort_order,
                    u.code or "", u.name, UnitChoice(u.id, u.name, u.kind, u.code, township)))
    out.sort(key=lambda t: t[:-1])
    return [t[-1] for t in out]


def unit_choice(session: Session, unit_id: str) -> UnitChoice:
    """One unit as a picker entry (also tells its kind)."""
    unit = get_unit(session, unit_id)
    parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    township = parent.name if parent is not None and parent.kind == "township" else ""
    return UnitChoice(unit.id, unit.name, unit.kind, unit.code, township)
