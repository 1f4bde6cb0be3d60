"""The overview: the figures the office (or the county) looks at first — is every site staffed,
certified, trained, working? — and the list behind each figure (click-through).

Scope: the subtree of *unit_id*, else of the office's own unit, else the whole database. At a county
the same figures come per township as well (``Overview.per_township``, tree order, active townships).

Every figure is read with a handful of bulk queries over the whole scope (no query per person or per
site); the rows are then grouped in Python, once for the scope and once per township.

A figure that is a share carries the count in ``value`` and the denominator in ``total`` (``unit`` is
then ""); the others have ``total`` None. The figures (year = *today*'s year):

- ``sites_staffed`` (R3): active village sites with an open post A and an open post B / active village
  sites. The detail adds township stations with at least 2 managers (R2).
- ``managers_certified`` (R11): people on an open manager post (township, village, enterprise) holding
  an on-duty certificate valid today (``certificate_status.current_status``: valid, issued by today, not
  past ``valid_until``) / those people.
- ``pre_job_coverage`` (R8): people on an open post who passed a pre-job training / people on posts.
- ``training_hours`` (R6–R8): hours credited in this year's trainings (sessions attended plus
  self-study; a training counts in its plan's year) to the people now on posts in scope.
- ``activities`` (R13): activities logged this year at the sites in scope.
- ``open_faults`` (R9): tickets still open or assigned; age = whole days from the report to the end of
  *today* (as ``faults.open_faults``).
- ``expiring`` (R11): valid certificates of the people on posts — appointment terms (聘任证书) and
  on-duty certificates — whose ``valid_until`` falls in the next 60 days (today included).
- ``evaluation_progress`` (R14): complete evaluations (``evaluation_scoring``: every manual score item
  has points) / evaluations of this year's round, by the evaluation's unit.

People are counted once in the scope; in the per-township split a person with posts in two townships
counts in both.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Activity,
    Attendance,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    EvaluationScore,
    FaultTicket,
    OrgUnit,
    Person,
    Post,
    RubricItem,
    TrainingPlan,
    TrainingSession,
)
from ..errors import ValidationError
from .offices import office_info

FIGURE_KEYS: tuple[str, ...] = (
    "sites_staffed", "managers_certified", "pre_job_coverage", "training_hours", "activities",
    "open_faults", "expiring", "evaluation_progress",
)
LABELS: dict[str, str] = {
    "sites_staffed": "A、B 岗齐全的村站点",
    "managers_certified": "持有效上岗证书的管理员",
    "pre_job_coverage": "岗前培训覆盖",
    "training_hours": "今年培训学时",
    "activities": "今年教学活动",
    "open_faults": "未修复故障",
    "expiring": "60 天内到期的聘期和证书",
    "evaluation_progress": "年度考评进度",
}
#: Which main-window page holds the records behind each figure.
PAGES: dict[str, str] = {
    "sites_staffed": "sites", "managers_certified": "certificates", "pre_job_coverage": "training",
    "training_hours": "training", "activities": "activities", "open_faults": "activities",
    "expiring": "certificates", "evaluation_progress": "evaluation",
}
EXPIRY_DAYS = 60
MIN_STATION_MANAGERS = 2  # R2
#: Age buckets of open faults: (label, lowest age in days); a fault falls in the last bucket it reaches.
FAULT_AGE_BUCKETS: tuple[tuple[str, int], ...] = (
    ("3 天以内", 0), ("4–7 天", 4), ("8–30 天", 8), ("30 天以上", 31),
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    total: float | None
    unit: str
    detail: str


@dataclass(frozen=True)
class TownshipFigures:
    unit_id: str
    code: str | None
    name: str
    figures: dict[str, Figure]


@dataclass(frozen=True)
class Overview:
    scope_id: str | None
    scope_name: str
    year: int
    figures: dict[str, Figure]
    activities_per_month: tuple[tuple[int, int], ...]
    training_hours_per_month: tuple[tuple[int, float], ...]
    fault_ages: tuple[tuple[str, int], ...]
    per_township: tuple[TownshipFigures, ...]


@dataclass(frozen=True)
class Behind:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    page: str


# --- units and scope -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    id: str
    parent_id: str | None
    kind: str
    name: str
    code: str | None
    active: bool
    sort_order: int


class _Units:
    """Every unit read once: subtrees, the township of a unit, display names."""

    def __init__(self, session: Session) -> None:
        self.by_id = {r[0]: _Unit(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6] or 0) for r in session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.code, OrgUnit.active,
                   OrgUnit.sort_order).where(OrgUnit.deleted.is_(False))).tuples()}
        self.children: dict[str | None, list[_Unit]] = defaultdict(list)
        for u in self.by_id.values():
            self.children[u.parent_id if u.parent_id in self.by_id else None].append(u)
        for siblings in self.children.values():
            siblings.sort(key=lambda u: (u.sort_order, u.code or "", u.name))

    def live(self, unit_id: str) -> bool:
        """Active, and under active units only (R1: a deactivated township takes its sites along)."""
        seen: set[str] = set()
        unit = self.by_id.get(unit_id)
        while unit is not None and unit.id not in seen:
            if not unit.active:
                return False
            seen.add(unit.id)
            unit = self.by_id.get(unit.parent_id or "")
        return True

    def subtree(self, unit_id: str) -> set[str]:
        out: set[str] = set()
        todo = [unit_id]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(u.id for u in self.children.get(current, ()))
        return out

    def township(self, unit_id: str | None) -> _Unit | None:
        seen: set[str] = set()
        unit = self.by_id.get(unit_id or "")
        while unit is not None and unit.id not in seen:
            if unit.kind == "township":
                return unit
            seen.add(unit.id)
            unit = self.by_id.get(unit.parent_id or "")
        return None

    def title(self, unit_id: str | None) -> str:
        """A site under its township ("龙潭镇 / 杨家村"), a township or county by its own name."""
        unit = self.by_id.get(unit_id or "")
        if unit is None:
            return ""
        township = self.township(unit.id)
        if unit.kind in codes.SITE_KINDS and township is not None:
            return f"{township.name} / {unit.name}"
        return unit.name

    def townships_under(self, unit_id: str | None) -> list[_Unit]:
        """Active townships below *unit_id* (everywhere for None), in tree order."""
        out: list[_Unit] = []
        stack = list(reversed(self.children.get(unit_id, []))) if unit_id else list(reversed(self.children[None]))
        while stack:
            u = stack.pop()
            if u.kind == "township":
                if self.live(u.id):
                    out.append(u)
                continue
            stack.extend(reversed(self.children.get(u.id, [])))
        return out


@dataclass(frozen=True)
class _Scope:
    root: _Unit | None
    name: str
    units: frozenset[str]
    county: bool


def _scope(session: Session, units: _Units, unit_id: str | None) -> _Scope:
    root_id = unit_id
    office_name = ""
    if root_id is None:
        info = office_info(session)
        office_name = info.name
        root_id = info.unit_id if info.unit_id in units.by_id else None
        if root_id is None:
            counties = units.children.get(None, [])
            counties = [u for u in counties if u.kind == "county"]
            root_id = counties[0].id if len(counties) == 1 else None
    if root_id is not None and root_id not in units.by_id:
        raise ValidationError("找不到该单位", field="单位")
    if root_id is None:
        return _Scope(None, office_name or "全部单位", frozenset(units.by_id), True)
    root = units.by_id[root_id]
    return _Scope(root, root.name, frozenset(units.subtree(root_id)), root.kind == "county")


# --- facts: the rows every figure is counted from -------------------------------------------------------

@dataclass
class _Facts:
    villages: list[str] = field(default_factory=list)  # active village sites
    filled: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # site → open slots (R3)
    townships: list[str] = field(default_factory=list)  # active townships
    station_managers: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # township → count (R2)
    posts: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # person, unit, role, slot
    certified: set[str] = field(default_factory=set)  # valid on-duty certificate today (R11)
    pre_job: set[str] = field(default_factory=set)  # passed a pre-job training (R8)
    lecture: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # this year, per person
    study: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    hours_month: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    activities: list[tuple[str, int, int, int]] = field(default_factory=list)  # site, month, count, participants
    faults: list[tuple[str, int]] = field(default_factory=list)  # site, age in days
    expiring: list[tuple[str, str]] = field(default_factory=list)  # person, certificate kind
    evaluations: list[tuple[str | None, bool]] = field(default_factory=list)  # unit, complete
    round_name: str | None = None


def _month_in(year: int, day: dt.date | None, fallback: int) -> int:
    if day is None:
        return fallback
    if day.year < year:
        return 1
    if day.year > year:
        return 12
    return day.month


def _now_of(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(23, 59, 59))


def _read_facts(session: Session, scope: _Scope, units: _Units, today: dt.date) -> _Facts:
    facts = _Facts()
    year = today.year
    inside = scope.units
    for uid in inside:
        u = units.by_id[uid]
        if u.kind == "village" and units.live(uid):
            facts.villages.append(uid)
        elif u.kind == "township" and units.live(uid):
            facts.townships.append(uid)

    for pid, uid, role, slot, left in session.execute(
            select(Post.person_id, Post.unit_id, Post.role, Post.slot, Person.left_on)
            .join(Person, Person.id == Post.person_id)
            .where(Post.deleted.is_(False), Post.end_date.is_(None), Person.deleted.is_(False))).tuples():
        if uid not in inside:
            continue
        if role == "village_manager" and slot:  # as the org tree marks them (R3)
            facts.filled[uid].add(slot)
        if left is not None:
            continue
        if role == "township_manager":  # R2, counted as checks.rule_warnings does
            kind = units.by_id[uid].kind
            township = uid if kind == "township" else units.by_id[uid].parent_id if kind == "township_station" else None
            if township:
                facts.station_managers[township] += 1
        facts.posts.append((pid, uid, role, slot))
    people = {p[0] for p in facts.posts}

    facts.certified = {pid for (pid,) in session.execute(
        select(Certificate.person_id).where(
            Certificate.deleted.is_(False), Certificate.kind == "on_duty", Certificate.status == "valid",
            Certificate.issue_date <= today,
            or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today))).tuples()} & people
    # From the few pre-job plans to their enrolments (the plan-person index), not through every enrolment.
    pre_job_plans = select(TrainingPlan.id).where(TrainingPlan.deleted.is_(False), TrainingPlan.kind == "pre_job")
    facts.pre_job = {pid for (pid,) in session.execute(
        select(Enrolment.person_id).where(Enrolment.plan_id.in_(pre_job_plans), Enrolment.deleted.is_(False),
                                          Enrolment.passed.is_(True))).tuples()} & people

    fallback = today.month
    session_year, session_month = extract("year", TrainingSession.date), extract("month", TrainingSession.date)
    for pid, y, mon, hours in session.execute(
            select(Attendance.person_id, session_year, session_month, func.sum(Attendance.hours))
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
            .where(TrainingPlan.year == year, Attendance.deleted.is_(False), Attendance.present.is_(True),
                   TrainingSession.deleted.is_(False), TrainingPlan.deleted.is_(False))
            .group_by(Attendance.person_id, session_year, session_month)).tuples():
        if pid in people and hours:
            facts.lecture[pid] += float(hours)
            m = fallback if mon is None else 1 if int(y) < year else 12 if int(y) > year else int(mon)
            facts.hours_month[pid][m] += float(hours)
    # Self-study has no session: it counts in the month it was assessed, else the plan's end or start.
    for pid, hours, assessed, end, start in session.execute(
            select(Enrolment.person_id, Enrolment.self_study_hours, Enrolment.assessed_on, TrainingPlan.end_date,
                   TrainingPlan.start_date)
            .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
            .where(TrainingPlan.year == year, Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False),
                   Enrolment.self_study_hours > 0)).tuples():
        if pid in people and hours:
            facts.study[pid] += float(hours)
            facts.hours_month[pid][_month_in(year, assessed or end or start, fallback)] += float(hours)

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = extract("month", Activity.date)
    for site, mon, count, participants in session.execute(
            select(Activity.site_id, month, func.count(), func.sum(Activity.participants))
            .where(Activity.deleted.is_(False), Activity.date >= first, Activity.date <= last)
            .group_by(Activity.site_id, month)).tuples():
        if site in inside:
            facts.activities.append((site, int(mon), int(count), int(participants or 0)))

    now = _now_of(today)
    for site, reported in session.execute(
            select(FaultTicket.site_id, FaultTicket.reported_at)
            .where(FaultTicket.deleted.is_(False), FaultTicket.status.in_(("open", "assigned")))).tuples():
        if site in inside:
            facts.faults.append((site, max(0, (now - reported).days)))

    for pid, kind in session.execute(
            select(Certificate.person_id, Certificate.kind).where(
                Certificate.deleted.is_(False), Certificate.status == "valid", Certificate.issue_date <= today,
                Certificate.valid_until >= today,
                Certificate.valid_until <= today + dt.timedelta(days=EXPIRY_DAYS))).tuples():
        if pid in people:
            facts.expiring.append((pid, kind))

    rnd = session.execute(select(EvaluationRound.id, EvaluationRound.name).where(
        EvaluationRound.year == year, EvaluationRound.deleted.is_(False))).first()
    if rnd is not None:
        facts.round_name = rnd[1]
        for _eid, uid, complete in _evaluation_state(session, rnd[0]):
            if uid in inside:
                facts.evaluations.append((uid, complete))
    return facts


def _evaluation_state(session: Session, round_id: str) -> list[tuple[str, str | None, bool]]:
    """(evaluation id, unit id, complete) of the round's live evaluations; complete as in
    ``evaluation_scoring``: the rubric has items and every manual score item has points (R14)."""
    items: dict[str, int] = defaultdict(int)
    manual: dict[str, set[str]] = defaultdict(set)
    evaluations = session.execute(select(Evaluation.id, Evaluation.unit_id, Evaluation.rubric_id).where(
        Evaluation.round_id == round_id, Evaluation.deleted.is_(False))).tuples().all()
    rubrics = {r for _e, _u, r in evaluations}
    if rubrics:
        for rid, iid, kind, indicator in session.execute(
                select(RubricItem.rubric_id, RubricItem.id, RubricItem.kind, RubricItem.indicator)
                .where(RubricItem.rubric_id.in_(sorted(rubrics)), RubricItem.deleted.is_(False))).tuples():
            items[rid] += 1
            if kind == "score" and indicator is None:
                manual[rid].add(iid)
    scored: dict[str, int] = {}
    if manual:  # manual score items with points, counted per evaluation in SQL
        scored = dict(session.execute(
            select(EvaluationScore.evaluation_id, func.count(func.distinct(EvaluationScore.item_id)))
            .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
            .join(RubricItem, (RubricItem.id == EvaluationScore.item_id)
                  & (RubricItem.rubric_id == Evaluation.rubric_id))
            .where(Evaluation.round_id == round_id, Evaluation.deleted.is_(False),
                   EvaluationScore.deleted.is_(False), RubricItem.deleted.is_(False), RubricItem.kind == "score",
                   RubricItem.indicator.is_(None))
            .group_by(EvaluationScore.evaluation_id)).tuples().all())
    return [(eid, uid, items.get(rid, 0) > 0 and scored.get(eid, 0) >= len(manual.get(rid, ())))
            for eid, uid, rid in evaluations]


# --- figures ------------------------------------------------------------------------------------------

def _pct(value: float, total: float) -> str:
    return f"{value / total * 100:.0f}%" if total else "—"


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _figures(facts: _Facts) -> dict[str, Figure]:
    """The eight figures of *facts* (the scope's, or one township's part of them)."""
    def fig(key: str, value: float, total: float | None, unit: str, detail: str) -> Figure:
        return Figure(key, LABELS[key], float(value), None if total is None else float(total), unit, detail)

    out: dict[str, Figure] = {}
    villages = facts.villages
    staffed = sum(1 for v in villages if {"A", "B"} <= facts.filled.get(v, set()))
    stations = facts.townships
    stations_ok = sum(1 for s in stations if facts.station_managers.get(s, 0) >= MIN_STATION_MANAGERS)
    detail = f"{len(villages)} 个村站点中 {staffed} 个 A、B 岗齐全"
    if stations:
        detail += f"；{len(stations)} 个乡镇中 {stations_ok} 个乡镇站点管理员不少于 {MIN_STATION_MANAGERS} 人"
    out["sites_staffed"] = fig("sites_staffed", staffed, len(villages), "", detail)

    posts = facts.posts
    people = {p[0] for p in posts}
    managers = {p[0] for p in posts if p[2] in codes.MANAGER_ROLES}
    certified = len(managers & facts.certified)
    out["managers_certified"] = fig("managers_certified", certified, len(managers), "",
                                    f"{len(managers)} 名站点管理员中 {certified} 名持有效上岗证书"
                                    f"（{_pct(certified, len(managers))}）")
    trained = len(people & facts.pre_job)
    out["pre_job_coverage"] = fig("pre_job_coverage", trained, len(people), "",
                                  f"{len(people)} 名在岗人员中 {trained} 名通过岗前培训（{_pct(trained, len(people))}）")

    lecture = sum(facts.lecture.get(p, 0.0) for p in people)
    study = sum(facts.study.get(p, 0.0) for p in people)
    learners = sum(1 for p in people if facts.lecture.get(p) or facts.study.get(p))
    hours = round(lecture + study, 1)
    mean = hours / len(people) if people else 0.0
    out["training_hours"] = fig("training_hours", hours, None, "小时",
                                f"{learners} 人参加培训，共 {_num(hours)} 学时（集中 {_num(round(lecture, 1))}、"
                                f"自学 {_num(round(study, 1))}），在岗人均 {mean:.1f} 学时")

    acts = facts.activities
    count = sum(a[2] for a in acts)
    active_sites = len({a[0] for a in acts if a[2]})
    detail = f"今年 {count} 次，{sum(a[3] for a in acts)} 人次参加，{active_sites} 个站点开展"
    out["activities"] = fig("activities", count, None, "次", detail)

    ages = [age for _site, age in facts.faults]
    detail = f"{len(ages)} 件未修复" + (f"，最久 {max(ages)} 天，超过 30 天 {sum(a > 30 for a in ages)} 件"
                                      if ages else "")
    out["open_faults"] = fig("open_faults", len(ages), None, "件", detail)

    expiring = [e for e in facts.expiring if e[0] in people]
    terms = sum(1 for _p, kind in expiring if kind == "appointment")
    out["expiring"] = fig("expiring", len(expiring), None, "份",
                          f"{EXPIRY_DAYS} 天内到期：聘任证书 {terms} 份，上岗证书 {len(expiring) - terms} 份")

    evals = facts.evaluations
    done = sum(1 for e in evals if e[1])
    if facts.round_name is None:
        detail = "今年尚未开始年度考评"
    else:
        detail = f"{facts.round_name}：{len(evals)} 份考评中 {done} 份已评完（{_pct(done, len(evals))}）"
    out["evaluation_progress"] = fig("evaluation_progress", done, len(evals), "", detail)
    return out


def _part_of(facts: _Facts) -> _Facts:
    """An empty part of *facts* that shares its per-person and per-unit lookups."""
    return _Facts(filled=facts.filled, station_managers=facts.station_managers, certified=facts.certified,
                  pre_job=facts.pre_job, lecture=facts.lecture, study=facts.study, hours_month=facts.hours_month,
                  round_name=facts.round_name)


def _split(facts: _Facts, units: _Units, inside: Collection[str]) -> dict[str | None, _Facts]:
    """The facts per township (None: county-level units), in one pass over each list."""
    township: dict[str | None, str | None] = {}
    for uid in inside:
        tw = units.township(uid)
        township[uid] = tw.id if tw else None
    parts: dict[str | None, _Facts] = defaultdict(lambda: _part_of(facts))
    for v in facts.villages:
        parts[township[v]].villages.append(v)
    for t in facts.townships:
        parts[t].townships.append(t)
    for p in facts.posts:
        parts[township[p[1]]].posts.append(p)
    for a in facts.activities:
        parts[township[a[0]]].activities.append(a)
    for f in facts.faults:
        parts[township[f[0]]].faults.append(f)
    for e in facts.evaluations:
        parts[township.get(e[0])].evaluations.append(e)
    for part in parts.values():
        people = {p[0] for p in part.posts}
        part.expiring = [e for e in facts.expiring if e[0] in people]
    return parts


def _bucket(age: int) -> str:
    label = FAULT_AGE_BUCKETS[0][0]
    for name, lowest in FAULT_AGE_BUCKETS:
        if age >= lowest:
            label = name
    return label


def overview(session: Session, *, unit_id: str | None = None, today: dt.date | None = None) -> Overview:
    """The figures of the scope (see the module docstring), and per township at a county."""
    today = today or dt.date.today()
    units = _Units(session)
    scope = _scope(session, units, unit_id)
    facts = _read_facts(session, scope, units, today)
    figures = _figures(facts)

    per_month = [0] * 13
    for _site, month, count, _n in facts.activities:
        per_month[month] += count
    people = {p[0] for p in facts.posts}
    hours_month = [0.0] * 13
    for pid in people:
        for month, hours in facts.hours_month.get(pid, {}).items():
            hours_month[month] += hours
    ages: dict[str, int] = {name: 0 for name, _low in FAULT_AGE_BUCKETS}
    for _site, age in facts.faults:
        ages[_bucket(age)] += 1

    per_township: list[TownshipFigures] = []
    if scope.county:
        townships = units.townships_under(scope.root.id if scope.root else None)
        parts = _split(facts, units, scope.units)
        for township in townships:
            per_township.append(TownshipFigures(township.id, township.code, township.name,
                                                _figures(parts.get(township.id) or _part_of(facts))))
    return Overview(
        scope_id=scope.root.id if scope.root else None, scope_name=scope.name, year=today.year,
        figures=figures,
        activities_per_month=tuple((m, per_month[m]) for m in range(1, 13)),
        training_hours_per_month=tuple((m, round(hours_month[m], 1)) for m in range(1, 13)),
        fault_ages=tuple(ages.items()),
        per_township=tuple(per_township))


# --- behind: the list under a figure --------------------------------------------------------------------

def _people_names(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """person id → (name, pinyin initials) of every person (one query; lists are sorted by initials)."""
    wanted = set(ids)
    return {pid: (name, initials or name) for pid, name, initials in session.execute(
        select(Person.id, Person.name, Person.name_initials)).tuples() if pid in wanted}


def _post_of(facts: _Facts, units: _Units, *, managers_only: bool = False
             ) -> dict[str, tuple[str, str]]:
    """person id → (unit title, post label) of one open post in scope, in role-table order."""
    order = {role: n for n, role in enumerate(codes.ROLE)}
    best: dict[str, tuple[tuple[int, str], str, str]] = {}
    for pid, uid, role, slot in facts.posts:
        if managers_only and role not in codes.MANAGER_ROLES:
            continue
        rank = (order.get(role, 99), units.title(uid))
        if pid not in best or rank < best[pid][0]:
            post = codes.label(codes.ROLE, role) + (f" {codes.label(codes.SLOT, slot)}" if slot else "")
            best[pid] = (rank, units.title(uid), post)
    return {pid: (where, post) for pid, (_rank, where, post) in best.items()}


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def behind(session: Session, key: str, *, unit_id: str | None = None, today: dt.date | None = None) -> Behind:
    """The records behind the figure *key* over the same scope as :func:`overview` (click-through)."""
    if key not in FIGURE_KEYS:
        raise ValidationError(f"没有“{key}”这项统计", field="统计项")
    today = today or dt.date.today()
    units = _Units(session)
    scope = _scope(session, units, unit_id)

    def facts() -> _Facts:  # read only for the lists that need it
        return _read_facts(session, scope, units, today)

    build: dict[str, Callable[[], tuple[str, tuple[str, ...], list[tuple[str, ...]]]]] = {
        "sites_staffed": lambda: _behind_sites(facts(), units),
        "managers_certified": lambda: _behind_certified(session, facts(), units, today),
        "pre_job_coverage": lambda: _behind_pre_job(session, facts(), units),
        "training_hours": lambda: _behind_hours(session, facts(), units),
        "activities": lambda: _behind_activities(session, scope, units, today),
        "open_faults": lambda: _behind_faults(session, scope, today),
        "expiring": lambda: _behind_expiring(session, facts(), units, today),
        "evaluation_progress": lambda: _behind_evaluation(session, scope, units, today),
    }
    title, headers, rows = build[key]()
    return Behind(title=f"{scope.name} · {title}", headers=headers, rows=tuple(rows), page=PAGES[key])


_Rows = tuple[str, tuple[str, ...], list[tuple[str, ...]]]


def _behind_sites(facts: _Facts, units: _Units) -> _Rows:
    rows: list[tuple[str, ...]] = []
    for site in facts.villages:
        slots = facts.filled.get(site, set())
        missing = [f"{s}岗空缺" for s in ("A", "B") if s not in slots]
        if missing:
            rows.append((units.title(site), codes.UNIT_KIND["village"], "、".join(missing), "R3"))
    for township in facts.townships:
        count = facts.station_managers.get(township, 0)
        if count < MIN_STATION_MANAGERS:
            rows.append((units.title(township), codes.UNIT_KIND["township_station"],
                         f"乡镇站点管理员 {count} 人，至少应有 {MIN_STATION_MANAGERS} 人", "R2"))
    rows.sort()
    return "缺 A 岗或 B 岗的站点", ("站点", "类别", "缺什么", "规则"), rows


def _behind_certified(session: Session, facts: _Facts, units: _Units, today: dt.date) -> _Rows:
    where = _post_of(facts, units, managers_only=True)
    lacking = sorted(set(where) - facts.certified)
    latest: dict[str, tuple[dt.date, str, str, dt.date | None]] = {}
    if lacking:
        for pid, issued, number, status, until in session.execute(
                select(Certificate.person_id, Certificate.issue_date, Certificate.number, Certificate.status,
                       Certificate.valid_until)
                .where(Certificate.deleted.is_(False), Certificate.kind == "on_duty")).tuples():
            if pid in where and (pid not in latest or issued > latest[pid][0]):
                latest[pid] = (issued, number, status, until)
    names = _people_names(session, lacking)
    rows = []
    for pid in sorted(lacking, key=lambda p: (where[p][0], names.get(p, ("", ""))[1], p)):
        cert = latest.get(pid)
        if cert is None:
            state = "无上岗证书"
        else:
            status = "expired" if cert[2] == "valid" and cert[3] is not None and cert[3] < today else cert[2]
            if status == "valid":
                status_text = f"{cert[0].isoformat()} 起有效"  # issued after today
            else:
                status_text = codes.label(codes.CERTIFICATE_STATUS, status)
            state = f"{cert[1]} {status_text}"
        rows.append((names.get(pid, ("", ""))[0], where[pid][0], where[pid][1], state))
    return "未持有效上岗证书的管理员", ("姓名", "单位", "岗位", "证书情况"), rows


def _behind_pre_job(session: Session, facts: _Facts, units: _Units) -> _Rows:
    where = _post_of(facts, units)
    lacking = set(where) - facts.pre_job
    results: dict[str, set[bool | None]] = defaultdict(set)
    for pid, ok, score in session.execute(
            select(Enrolment.person_id, Enrolment.passed, Enrolment.score)
            .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
            .where(Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False),
                   TrainingPlan.kind == "pre_job")).tuples():
        if pid in lacking:
            results[pid].add(ok if ok is not None else (False if score is not None else None))
    names = _people_names(session, lacking)
    rows = []
    for pid in sorted(lacking, key=lambda p: (where[p][0], names.get(p, ("", ""))[1], p)):
        got = results.get(pid, set())
        state = "未参加岗前培训" if not got else ("岗前培训考核未通过" if False in got else "岗前培训未考核")
        rows.append((names.get(pid, ("", ""))[0], where[pid][0], where[pid][1], state))
    return "未通过岗前培训的在岗人员", ("姓名", "单位", "岗位", "情况"), rows


def _behind_hours(session: Session, facts: _Facts, units: _Units) -> _Rows:
    where = _post_of(facts, units)
    names = _people_names(session, where)
    rows = []
    for pid in sorted(where, key=lambda p: (-(facts.lecture.get(p, 0.0) + facts.study.get(p, 0.0)),
                                            where[p][0], names.get(p, ("", ""))[1], p)):
        lecture, study = facts.lecture.get(pid, 0.0), facts.study.get(pid, 0.0)
        rows.append((names.get(pid, ("", ""))[0], where[pid][0], where[pid][1], _num(round(lecture, 1)),
                     _num(round(study, 1)), _num(round(lecture + study, 1))))
    return "在岗人员今年培训学时", ("姓名", "单位", "岗位", "集中学时", "自学学时", "合计"), rows


def _behind_activities(session: Session, scope: _Scope, units: _Units, today: dt.date) -> _Rows:
    rows = []
    for day, site, channel, title, participants, hours in session.execute(
            select(Activity.date, Activity.site_id, Activity.channel, Activity.title, Activity.participants,
                   Activity.hours)
            .where(Activity.deleted.is_(False), Activity.date >= dt.date(today.year, 1, 1),
                   Activity.date <= dt.date(today.year, 12, 31))
            .order_by(Activity.date.desc(), Activity.title)).tuples():
        if site in scope.units:
            rows.append((day.isoformat(), units.title(site), codes.label(codes.ACTIVITY_CHANNEL, channel), title,
                         str(participants or 0), _num(round(float(hours or 0.0), 1))))
    return f"{today.year} 年教学活动", ("日期", "站点", "服务渠道", "主题", "参加人数", "学时"), rows


def _behind_faults(session: Session, scope: _Scope, today: dt.date) -> _Rows:
    from .faults import open_faults  # the same rows the fault list shows (R9)

    rows = [(f.site, f.equipment, f.description, f.reported_at.strftime("%Y-%m-%d"), str(f.age_days),
             f.status_label, f.technician)
            for f in open_faults(session, scope.root.id if scope.root else None, now=_now_of(today))]
    return "未修复的故障", ("站点", "设备", "故障", "报修日期", "已过天数", "状态", "技术服务员"), rows


def _behind_expiring(session: Session, facts: _Facts, units: _Units, today: dt.date) -> _Rows:
    where = _post_of(facts, units)
    found = []
    for pid, kind, number, until in session.execute(
            select(Certificate.person_id, Certificate.kind, Certificate.number, Certificate.valid_until).where(
                Certificate.deleted.is_(False), Certificate.status == "valid", Certificate.issue_date <= today,
                Certificate.valid_until >= today,
                Certificate.valid_until <= today + dt.timedelta(days=EXPIRY_DAYS))).tuples():
        if pid in where:
            found.append((until, pid, kind, number))
    names = _people_names(session, (f[1] for f in found))
    rows = [(names.get(pid, ("", ""))[0], where[pid][0], where[pid][1], codes.label(codes.CERTIFICATE_KIND, kind),
             number, until.isoformat(), str((until - today).days))
            for until, pid, kind, number in sorted(found, key=lambda f: (f[0], f[3]))]
    return (f"{EXPIRY_DAYS} 天内到期的聘期和证书",
            ("姓名", "单位", "岗位", "证书", "编号", "到期日", "剩余天数"), rows)


def _behind_evaluation(session: Session, scope: _Scope, units: _Units, today: dt.date) -> _Rows:
    headers = ("考评对象", "单位", "类别", "情况")
    rnd = session.execute(select(EvaluationRound.id, EvaluationRound.name).where(
        EvaluationRound.year == today.year, EvaluationRound.deleted.is_(False))).first()
    if rnd is None:
        return f"{today.year} 年度考评（尚未开始）", headers, []
    state = {eid: complete for eid, _u, complete in _evaluation_state(session, rnd[0])}
    from ..data.models import Rubric

    rows = []
    people = dict(session.execute(select(Person.id, Person.name)).tuples().all())
    for eid, pid, site, uid, target in session.execute(
            select(Evaluation.id, Evaluation.person_id, Evaluation.site_id, Evaluation.unit_id, Rubric.target)
            .join(Rubric, Rubric.id == Evaluation.rubric_id)
            .where(Evaluation.round_id == rnd[0], Evaluation.deleted.is_(False))).tuples():
        if uid not in scope.units or state.get(eid, False):
            continue
        who = people.get(pid or "", "") if pid else units.by_id[site].name if site in units.by_id else ""
        rows.append((who, units.title(uid), codes.label(codes.EVALUATION_TARGET, target), "未评完"))
    rows.sort(key=lambda r: (r[1], r[2], r[0]))
    return f"{rnd[1]}：未评完的考评", headers, rows
