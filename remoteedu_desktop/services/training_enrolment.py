"""Enrolment in a training plan (R6, R8): in one step by filters, or one person at a time.

Enrolment is per plan: a person enrolled in a plan is expected at every session of it. The database
has one enrolment row per (plan, person) — a unique index that tombstones count against too — so a
person removed and enrolled again gets the old row back, emptied, never a duplicate.

CONTRACT (step 3): the dataclasses and signatures below are fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session, aliased

from .. import codes
from ..data.models import (
    Attendance,
    Certificate,
    Enrolment,
    OrgUnit,
    Person,
    Post,
    TrainingPlan,
    TrainingSession,
)
from ..errors import ValidationError
from .bulk import insert_rows, write_updates
from .staff_query import mask_phone, unit_subtree
from .units import get_unit

#: Rows per ``IN (…)`` list: well under SQLite's parameter limit.
_CHUNK = 5000


@dataclass(frozen=True)
class EnrolFilter:
    """"All village site managers of township X without an on-duty certificate", "all technicians"…

    Only people still on the team (no left_on) with an open post are candidates.
    """

    role: str | None = None  #: codes.ROLE; None: any role
    unit_id: str | None = None  #: the unit and every unit below it (a township includes its sites)
    without_on_duty_certificate: bool = False  #: no valid on-duty certificate (R11)
    without_pre_job_training: bool = False  #: never passed the assessment of a pre-job training


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    unit: str  #: where the matching post is, e.g. "龙潭镇 / 杨家村"
    post: str  #: role label with A岗/B岗 where there is one
    enrolled: bool  #: already enrolled in the plan


@dataclass(frozen=True)
class EnrolledPerson:
    enrolment_id: str
    person_id: str
    name: str
    gender: str  #: 男 / 女
    unit: str
    post: str
    phone_masked: str
    has_records: bool  #: attendance, hours or a score recorded: removing needs confirming


@dataclass(frozen=True)
class EnrolResult:
    added: int  #: new enrolments
    restored: int  #: enrolments removed earlier and now back (the tombstone is lifted, no duplicate)
    already: int  #: were enrolled already; untouched


# --- where a person works: shared by the roster, the grid and the coverage view ----------------------

@dataclass(frozen=True)
class Placement:
    """The post a person is shown with: unit label ("龙潭镇 / 杨家村"), post label ("村站点管理员 A岗")."""

    unit_id: str
    unit: str
    post: str
    role: str


_PARENT = aliased(OrgUnit, name="parent_unit")


def unit_label(name: str, kind: str, parent_name: str | None) -> str:
    """A site under its township ("龙潭镇 / 杨家村"); a county or township by its own name."""
    if kind in codes.SITE_KINDS and parent_name:
        return f"{parent_name} / {name}"
    return name


def post_label(role: str, slot: str | None) -> str:
    text = codes.label(codes.ROLE, role)
    return f"{text} {codes.label(codes.SLOT, slot)}" if slot else text


_ROLE_ORDER = {role: n for n, role in enumerate(codes.ROLE)}


def placements(session: Session, person_ids: Sequence[str], *, prefer_role: str | None = None,
               open_only: bool = False, within: Collection[str] | None = None) -> dict[str, Placement]:
    """person id → the post to show them with: an open post in *prefer_role* first, then any open post
    (in the order of the role table), then — unless *open_only* — the post they held last. With
    *within*, only posts at those units count."""
    ids = list(dict.fromkeys(person_ids))
    best: dict[str, tuple[tuple[Any, ...], Placement]] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Post.person_id, Post.role, Post.slot, Post.start_date, Post.end_date, OrgUnit.id, OrgUnit.name,
                   OrgUnit.kind, _PARENT.name)
            .join(OrgUnit, OrgUnit.id == Post.unit_id)
            .outerjoin(_PARENT, _PARENT.id == OrgUnit.parent_id)
            .where(Post.person_id.in_(ids[start:start + _CHUNK]), Post.deleted.is_(False))).tuples()
        for pid, role, slot, start_date, end_date, uid, name, kind, parent in rows:
            if (open_only and end_date is not None) or (within is not None and uid not in within):
                continue
            rank = (end_date is not None, role != prefer_role, _ROLE_ORDER.get(role, 99),
                    -(end_date or dt.date.max).toordinal(), start_date, uid)
            if pid not in best or rank < best[pid][0]:
                best[pid] = (rank, Placement(uid, unit_label(name, kind, parent), post_label(role, slot), role))
    return {pid: place for pid, (_rank, place) in best.items()}


# --- filters ----------------------------------------------------------------------------------------

def _plan(session: Session, plan_id: str) -> TrainingPlan:
    plan = session.get(TrainingPlan, plan_id)
    if plan is None or plan.deleted:
        raise ValidationError("找不到该培训计划", field="培训计划")
    return plan


def valid_on_duty_certificate(today: dt.date) -> Any:
    """EXISTS a valid, unexpired on-duty certificate (R11) of the correlated Person."""
    return (select(Certificate.id)
            .where(Certificate.person_id == Person.id, Certificate.kind == "on_duty",
                   Certificate.status == "valid", Certificate.deleted == false(),
                   or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today))
            .correlate(Person).exists())


def passed_pre_job() -> Any:
    """EXISTS a passed assessment of a pre-job training (what R11 needs for an on-duty certificate)."""
    return (select(Enrolment.id)
            .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
            .where(Enrolment.person_id == Person.id, Enrolment.deleted == false(), Enrolment.passed.is_(True),
                   TrainingPlan.deleted == false(), TrainingPlan.kind == "pre_job")
            .correlate(Person).exists())


def candidates(session: Session, plan_id: str, flt: EnrolFilter) -> list[Candidate]:
    """Who the filter selects, by unit then name; ``enrolled`` marks those already in the plan."""
    plan = _plan(session, plan_id)
    stmt = (select(Person.id, Person.name, Person.name_initials, Post.role, Post.slot, OrgUnit.name, OrgUnit.kind,
                   _PARENT.name, Post.start_date)
            .select_from(Post)
            .join(Person, Person.id == Post.person_id)
            .join(OrgUnit, OrgUnit.id == Post.unit_id)
            .outerjoin(_PARENT, _PARENT.id == OrgUnit.parent_id)
            .where(Post.end_date.is_(None), Post.deleted.is_(False), Person.left_on.is_(None),
                   Person.deleted.is_(False)))
    if flt.role:
        stmt = stmt.where(Post.role == codes.require_code(codes.ROLE, flt.role, field="职务类别"))
    if flt.unit_id:
        unit = get_unit(session, flt.unit_id, field="单位")
        stmt = stmt.where(Post.unit_id.in_(unit_subtree(unit.id)))
    if flt.without_on_duty_certificate:
        stmt = stmt.where(~valid_on_duty_certificate(dt.date.today()))
    if flt.without_pre_job_training:
        stmt = stmt.where(~passed_pre_job())
    already = set(session.scalars(select(Enrolment.person_id).where(
        Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False))))
    chosen: dict[str, tuple[tuple[Any, ...], str, Candidate]] = {}
    for pid, name, initials, role, slot, unit, kind, parent, start in session.execute(stmt).tuples():
        label = unit_label(unit, kind, parent)
        # One line per person: the post in the plan's target role first, then the role order.
        rank = (role != plan.target_role, _ROLE_ORDER.get(role, 99), start, label)
        if pid not in chosen or rank < chosen[pid][0]:
            chosen[pid] = (rank, initials or name, Candidate(pid, name, label, post_label(role, slot), pid in already))
    ordered = sorted(chosen.values(), key=lambda item: (item[2].unit, item[1], item[2].name, item[2].person_id))
    return [c for _rank, _initials, c in ordered]


# --- enrol and remove -------------------------------------------------------------------------------

_ENROLMENT_RESET = ("deleted", "self_study_hours", "score", "passed", "assessed_on", "notes")


def enrol(session: Session, plan_id: str, person_ids: Sequence[str]) -> EnrolResult:
    """Enrol the people; refuses (ValidationError, nothing written) a person who left or does not exist."""
    plan = _plan(session, plan_id)
    ids = list(dict.fromkeys(pid for pid in person_ids if pid))
    if not ids:
        return EnrolResult(0, 0, 0)
    people: dict[str, tuple[str, dt.date | None]] = {}
    for start in range(0, len(ids), _CHUNK):
        for pid, name, left_on in session.execute(
                select(Person.id, Person.name, Person.left_on)
                .where(Person.id.in_(ids[start:start + _CHUNK]), Person.deleted.is_(False))).tuples():
            people[pid] = (name, left_on)
    for pid in ids:
        if pid not in people:
            raise ValidationError(f"找不到人员（{pid[:8]}）", field="人员")
        name, left_on = people[pid]
        if left_on is not None:
            raise ValidationError(f"{name}已于 {left_on.isoformat()} 离开队伍，不能报名参加培训", field="人员")
    rows: dict[str, tuple[Any, ...]] = {}
    for start in range(0, len(ids), _CHUNK):
        for eid, pid, gone, study, score, ok, on, notes in session.execute(
                select(Enrolment.id, Enrolment.person_id, Enrolment.deleted, Enrolment.self_study_hours,
                       Enrolment.score, Enrolment.passed, Enrolment.assessed_on, Enrolment.notes)
                .where(Enrolment.plan_id == plan.id, Enrolment.person_id.in_(ids[start:start + _CHUNK]))).tuples():
            rows[pid] = (eid, (bool(gone), study, score, ok, on, notes))
    already = sum(1 for pid in ids if pid in rows and not rows[pid][1][0])
    # A removed enrolment comes back empty: records dropped on removal must not return with it.
    restore = [(eid, old, (False, 0.0, None, None, None, None))
               for eid, old in (rows[pid] for pid in ids if pid in rows and rows[pid][1][0])]
    restored = write_updates(session, Enrolment, _ENROLMENT_RESET, restore)
    new = [(plan.id, pid, 0.0) for pid in ids if pid not in rows]
    added = insert_rows(session, Enrolment.__table__, ("plan_id", "person_id", "self_study_hours"), new,
                        note="培训报名").count if new else 0
    return EnrolResult(added=added, restored=restored, already=already)


def enrol_matching(session: Session, plan_id: str, flt: EnrolFilter) -> EnrolResult:
    """enrol(candidates(flt)) in one step."""
    found = candidates(session, plan_id, flt)
    result = enrol(session, plan_id, [c.person_id for c in found if not c.enrolled])
    return EnrolResult(result.added, result.restored, result.already + sum(1 for c in found if c.enrolled))


def _records(session: Session, plan_id: str, person_ids: Sequence[str] | None = None) -> set[str]:
    """The people of the plan with something recorded: present at a session, self-study hours or a score."""
    att = (select(Attendance.person_id)
           .join(TrainingSession, TrainingSession.id == Attendance.session_id)
           .where(TrainingSession.plan_id == plan_id, TrainingSession.deleted.is_(False),
                  Attendance.deleted.is_(False), or_(Attendance.present.is_(True), Attendance.hours > 0)))
    enr = select(Enrolment.person_id).where(
        Enrolment.plan_id == plan_id, Enrolment.deleted.is_(False),
        or_(Enrolment.score.is_not(None), Enrolment.self_study_hours > 0, Enrolment.passed.is_not(None)))
    if person_ids is not None:
        att = att.where(Attendance.person_id.in_(person_ids))
        enr = enr.where(Enrolment.person_id.in_(person_ids))
    return set(session.scalars(att)) | set(session.scalars(enr))


def unenrol(session: Session, plan_id: str, person_ids: Sequence[str], *, drop_records: bool = False) -> int:
    """Remove people from the plan (tombstones). A person with attendance or a score is refused unless
    drop_records, which also tombstones their attendance at the plan's sessions. Returns the count removed."""
    plan = _plan(session, plan_id)
    ids = list(dict.fromkeys(pid for pid in person_ids if pid))
    if not ids:
        return 0
    session.flush()
    found = session.execute(
        select(Enrolment.id, Enrolment.person_id, Person.name)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False), Enrolment.person_id.in_(ids))).tuples().all()
    if not found:
        return 0
    with_records = _records(session, plan.id, [pid for _e, pid, _n in found])
    if with_records and not drop_records:
        names = "、".join(name for _e, pid, name in found if pid in with_records)
        raise ValidationError(f"{names}已有考勤、学时或成绩记录，确认删除这些记录后才能移出", field="人员",
                              rule="R8")
    # Their attendance rows go too (absent rows as well: nothing is left pointing at a removed enrolment).
    attendance = session.execute(
        select(Attendance.id)
        .join(TrainingSession, TrainingSession.id == Attendance.session_id)
        .where(TrainingSession.plan_id == plan.id, Attendance.deleted.is_(False),
               Attendance.person_id.in_([pid for _e, pid, _n in found]))).scalars().all()
    write_updates(session, Attendance, ("deleted",), [(aid, (False,), (True,)) for aid in attendance])
    return write_updates(session, Enrolment, ("deleted",), [(eid, (False,), (True,)) for eid, _p, _n in found])


def enrolled(session: Session, plan_id: str) -> list[EnrolledPerson]:
    """The plan's roster by unit then name."""
    plan = _plan(session, plan_id)
    rows = session.execute(
        select(Enrolment.id, Person.id, Person.name, Person.name_initials, Person.gender, Person.phone)
        .join(Person, Person.id == Enrolment.person_id)
        .where(Enrolment.plan_id == plan.id, Enrolment.deleted.is_(False))).tuples().all()
    where = placements(session, [r[1] for r in rows], prefer_role=plan.target_role)
    records = _records(session, plan.id) if rows else set()
    out = []
    for eid, pid, name, initials, gender, phone in rows:
        place = where.get(pid)
        out.append(((place.unit if place else "", initials or name, name, pid), EnrolledPerson(
            enrolment_id=eid, person_id=pid, name=name, gender=codes.label(codes.GENDER, gender),
            unit=place.unit if place else "", post=place.post if place else "", phone_masked=mask_phone(phone),
            has_records=pid in records)))
    out.sort(key=lambda item: item[0])
    return [person for _key, person in out]


__all__ = ["Candidate", "EnrolFilter", "EnrolResult", "EnrolledPerson", "Placement", "candidates", "enrol",
           "enrol_matching", "enrolled", "passed_pre_job", "placements", "post_label", "unenrol", "unit_label",
           "valid_on_duty_certificate"]
