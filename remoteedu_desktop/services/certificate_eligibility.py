"""Who may receive a certificate now, and why the others may not (R11).

- **On-duty certificate (上岗证书)**: a person still on the team holding an open post as township,
  village or enterprise site manager (R2, R3) who passed the assessment of a pre-job training (a
  training of that role preferred) and holds no valid on-duty certificate.
- **Appointment certificate (聘任证书)**: an open post as county or township tutor (R4) or technician
  (R5), and no valid (unexpired) appointment certificate.

One row per person and kind, eligible or not, with the reasons in Chinese. People of the archive
whose posts all ended (or who left the team) show too, as not eligible (无在岗岗位). A handful of
queries whatever the number of people: units, posts, pre-job results and valid certificates are
each read once and joined in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Certificate, Enrolment, OrgUnit, Person, Post, TrainingPlan
from ..errors import ValidationError

#: Rows per ``IN (…)`` list: well under SQLite's parameter limit.
_CHUNK = 5000
_ROLE_ORDER = {role: n for n, role in enumerate(codes.ROLE)}
APPOINTMENT_ROLES: frozenset[str] = codes.TUTOR_ROLES | {"technician"}

NO_POST = "无在岗岗位"
NO_PRE_JOB = "未参加岗前培训"
PRE_JOB_FAILED = "岗前培训未通过考核"
PRE_JOB_PENDING = "岗前培训尚未评定"

#: The generic role printed on a certificate ("聘任为……远程教育教学辅导员").
ROLE_GROUP_LABEL = {"township_manager": "站点管理员", "village_manager": "站点管理员",
                    "enterprise_manager": "站点管理员", "county_tutor": "教学辅导员",
                    "township_tutor": "教学辅导员", "technician": "技术服务员"}


def kind_of_role(role: str) -> str:
    return "on_duty" if role in codes.MANAGER_ROLES else "appointment"


@dataclass(frozen=True)
class Eligibility:
    person_id: str
    name: str
    unit: str  #: the post's unit, full name ("龙潭镇杨家村站点")
    post: str  #: "A岗村站点管理员"
    role: str  #: codes.ROLE code of the post
    kind: str  #: "on_duty" | "appointment"
    eligible: bool
    reasons: tuple[str, ...]  #: Chinese; empty when eligible
    post_id: str | None
    enrolment_id: str | None  #: the passed pre-job training the on-duty certificate rests on
    training: str  #: that training's title
    holds_number: str | None  #: the valid certificate of this kind the person holds

    @property
    def kind_label(self) -> str:
        return codes.CERTIFICATE_KIND[self.kind]


# --- units: names as printed --------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    id: str
    parent_id: str | None
    kind: str
    name: str


class Units:
    """Every unit, read once: full names for certificates, the area of a post, subtrees."""

    def __init__(self, session: Session) -> None:
        self.by_id = {uid: _Unit(uid, parent, kind, name) for uid, parent, kind, name in session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name)
            .where(OrgUnit.deleted.is_(False))).tuples()}

    def _up(self, unit_id: str, kind: str) -> _Unit | None:
        seen: set[str] = set()
        unit = self.by_id.get(unit_id)
        while unit is not None and unit.id not in seen:
            if unit.kind == kind:
                return unit
            seen.add(unit.id)
            unit = self.by_id.get(unit.parent_id or "")
        return None

    def title(self, unit_id: str) -> str:
        """A site with its township ("龙潭镇杨家村站点"); a township or county by its own name."""
        unit = self.by_id.get(unit_id)
        if unit is None:
            return ""
        if unit.kind not in codes.SITE_KINDS:
            return unit.name
        name = unit.name if unit.name.endswith("站点") else f"{unit.name}站点"
        township = self._up(unit_id, "township")
        if township is None or name.startswith(township.name):
            return name
        return f"{township.name}{name}"

    def area(self, unit_id: str) -> str:
        """Where an appointment holds: the post's township, or the county for county posts."""
        unit = self._up(unit_id, "township") or self._up(unit_id, "county")
        return unit.name if unit is not None else self.title(unit_id)

    def subtree(self, unit_id: str) -> set[str]:
        if unit_id not in self.by_id:
            raise ValidationError("找不到该单位", field="单位")
        below: dict[str, list[str]] = defaultdict(list)
        for u in self.by_id.values():
            if u.parent_id:
                below[u.parent_id].append(u.id)
        out: set[str] = set()
        todo = [unit_id]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(below.get(current, ()))
        return out


def post_title(role: str, slot: str | None) -> str:
    """"A岗村站点管理员", "乡镇教学辅导员"."""
    label = codes.label(codes.ROLE, role)
    return f"{codes.label(codes.SLOT, slot)}{label}" if slot else label


# --- the pieces, read in bulk ---------------------------------------------------------------------

@dataclass(frozen=True)
class PostRow:
    post_id: str
    person_id: str
    unit_id: str
    role: str
    slot: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class PreJob:
    enrolment_id: str
    person_id: str
    passed: bool | None  #: None: not assessed yet
    score: float | None
    title: str
    target_role: str
    end: dt.date | None


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def pre_job_results(session: Session, person_ids: Collection[str]) -> dict[str, list[PreJob]]:
    """person id → their enrolments in pre-job trainings (deleted ones left out)."""
    out: dict[str, list[PreJob]] = defaultdict(list)
    for chunk in _chunks(list(person_ids)):
        for eid, pid, passed, score, title, target, end in session.execute(
                select(Enrolment.id, Enrolment.person_id, Enrolment.passed, Enrolment.score, TrainingPlan.title,
                       TrainingPlan.target_role, TrainingPlan.end_date)
                .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
                .where(Enrolment.person_id.in_(chunk), Enrolment.deleted.is_(False),
                       TrainingPlan.deleted.is_(False), TrainingPlan.kind == "pre_job")).tuples():
            out[pid].append(PreJob(eid, pid, passed, score, title, target, end))
    return out


def best_pre_job(results: list[PreJob], role: str) -> PreJob | None:
    """The passed pre-job training an on-duty certificate rests on: one for *role* first, then the
    most recent."""
    passed = [r for r in results if r.passed]
    if not passed:
        return None
    return min(passed, key=lambda r: (r.target_role != role, -(r.end or dt.date.min).toordinal(), r.enrolment_id))


def valid_certificates(session: Session, person_ids: Collection[str], today: dt.date
                       ) -> dict[tuple[str, str], tuple[str, dt.date | None]]:
    """(person id, kind) → (number, valid until) of a valid, unexpired certificate (R11)."""
    out: dict[tuple[str, str], tuple[str, dt.date | None]] = {}
    for chunk in _chunks(list(person_ids)):
        for pid, kind, number, until in session.execute(
                select(Certificate.person_id, Certificate.kind, Certificate.number, Certificate.valid_until)
                .where(Certificate.person_id.in_(chunk), Certificate.deleted.is_(False),
                       Certificate.status == "valid",
                       or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today))
                .order_by(Certificate.issue_date)).tuples():
            out[(pid, kind)] = (number, until)
    return out


def _rank(p: PostRow) -> tuple[object, ...]:
    return (p.end is not None, _ROLE_ORDER.get(p.role, 99), -(p.end or dt.date.max).toordinal(), p.start, p.post_id)


def _holding_reason(kind: str, number: str, until: dt.date | None) -> str:
    if kind == "on_duty":
        return f"已持有有效上岗证书（编号 {number}）"
    return f"已持有有效聘任证书（编号 {number}，有效期至 {until.isoformat() if until else '长期'}）"


def _training_reason(results: list[PreJob]) -> str:
    if not results:
        return NO_PRE_JOB
    assessed = [r.passed if r.passed is not None else (False if r.score is not None else None) for r in results]
    return PRE_JOB_FAILED if False in assessed else PRE_JOB_PENDING


# --- the list -------------------------------------------------------------------------------------

def eligibility(session: Session, *, kind: str | None = None, unit_id: str | None = None,
                today: dt.date | None = None) -> list[Eligibility]:
    """Everyone in scope with a post (open or ended), one row per certificate kind their posts call
    for; eligible first, then by unit and name."""
    return evaluate(session, kind=kind, unit_id=unit_id, today=today)


def evaluate(session: Session, *, kind: str | None = None, unit_id: str | None = None,
             today: dt.date | None = None, person_ids: Collection[str] | None = None) -> list[Eligibility]:
    """:func:`eligibility`, optionally for some people only (the issue re-checks its items)."""
    today = today or dt.date.today()
    if kind is not None and kind not in codes.CERTIFICATE_KIND:
        raise ValidationError(f"“{kind}”不是证书类别", field="证书类别")
    units = Units(session)
    scope = units.subtree(unit_id) if unit_id else None
    people: dict[str, tuple[str, str, bool]] = {}
    posts: dict[str, list[PostRow]] = defaultdict(list)
    stmt = (select(Post.id, Post.person_id, Post.unit_id, Post.role, Post.slot, Post.start_date, Post.end_date,
                   Person.name, Person.name_initials, Person.left_on)
            .join(Person, Person.id == Post.person_id)
            .where(Post.deleted.is_(False), Person.deleted.is_(False)))
    wanted = None if person_ids is None else set(person_ids)
    if wanted is not None and len(wanted) <= _CHUNK:
        stmt = stmt.where(Post.person_id.in_(sorted(wanted)))
    for pid_post, pid, uid, role, slot, start, end, name, initials, left_on in session.execute(stmt).tuples():
        if wanted is not None and pid not in wanted:
            continue
        people[pid] = (name, initials or name, left_on is not None)
        posts[pid].append(PostRow(pid_post, pid, uid, role, slot, start, end))
    # Scope: the people with an open post in it, or (for those with none) whose last post was in it.
    plans: list[tuple[str, str, PostRow | None, PostRow]] = []  # (person, kind, open post or None, shown post)
    for pid, held in posts.items():
        left = people[pid][2]
        open_posts = [] if left else [p for p in held if p.end is None]
        if scope is not None:
            open_posts = [p for p in open_posts if p.unit_id in scope]
        by_kind: dict[str, list[PostRow]] = defaultdict(list)
        for p in open_posts:
            by_kind[kind_of_role(p.role)].append(p)
        if by_kind:
            for k, group in by_kind.items():
                best = min(group, key=_rank)
                plans.append((pid, k, best, best))
            continue
        if not left and any(p.end is None for p in held):
            continue  # open posts, all outside the scope
        last = min(held, key=_rank)
        if scope is None or last.unit_id in scope:
            plans.append((pid, kind_of_role(last.role), None, last))
    if kind is not None:
        plans = [p for p in plans if p[1] == kind]
    ids = sorted({p[0] for p in plans})
    results = pre_job_results(session, ids)
    holding = valid_certificates(session, ids, today)
    rows: list[tuple[tuple[object, ...], Eligibility]] = []
    for pid, k, open_post, shown in plans:
        reasons: list[str] = []
        enrolment_id, training = None, ""
        if open_post is None:
            reasons.append(NO_POST)
        elif k == "on_duty":
            chosen = best_pre_job(results.get(pid, []), open_post.role)
            if chosen is None:
                reasons.append(_training_reason(results.get(pid, [])))
            else:
                enrolment_id, training = chosen.enrolment_id, chosen.title
        held_cert = holding.get((pid, k))
        if held_cert is not None:
            reasons.append(_holding_reason(k, *held_cert))
        row = Eligibility(
            person_id=pid, name=people[pid][0], unit=units.title(shown.unit_id), post=post_title(shown.role, shown.slot),
            role=shown.role, kind=k, eligible=not reasons, reasons=tuple(reasons),
            post_id=open_post.post_id if open_post else None, enrolment_id=enrolment_id, training=training,
            holds_number=held_cert[0] if held_cert else None)
        rows.append(((not row.eligible, k != "on_duty", row.unit, people[pid][1], row.name, pid), row))
    rows.sort(key=lambda item: item[0])
    return [row for _key, row in rows]
