"""What the person editor shows (R10): one person's data, full history and audit trail, as plain dataclasses.

The UI gets these and never an ORM object. The full ID number is handed out only by
:func:`person_detail` (for the editor); lists and the audit trail show it masked
(DOMAIN.md, "Personal data").
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Attendance,
    AuditLog,
    Award,
    AwardCampaign,
    Certificate,
    Enrolment,
    Evaluation,
    EvaluationRound,
    OrgUnit,
    Person,
    PersonPhoto,
    Post,
    TrainingPlan,
    TrainingSession,
)
from ..errors import ValidationError
from .id_number import mask_id_number
from .people import get_person


@dataclass(frozen=True)
class PersonDetail:
    """Everything the editor's form shows; ``id_number`` is the full number (the editor only)."""

    id: str
    name: str
    id_number: str
    id_number_masked: str
    gender: str
    birth_date: dt.date
    ethnicity: str | None
    political_status: str | None
    education: str | None
    phone: str | None
    employer: str | None
    job_title: str | None
    source_category: str | None
    notes: str | None
    left_on: dt.date | None
    left_reason: str | None
    has_photo: bool
    row_version: int = 0  # what the editor sends back to detect another clerk's save (issue 10 item 1)


@dataclass(frozen=True)
class PostRecord:
    """One post, open or ended, with the names the clerk reads (R10, R12)."""

    id: str
    person_id: str
    person_name: str
    unit_id: str
    unit_name: str
    unit_kind: str
    township_name: str  # "" for a county or township unit
    role: str
    role_label: str
    slot: str | None
    slot_label: str
    tenure: str
    tenure_label: str
    start_date: dt.date
    start_reason: str | None
    end_date: dt.date | None
    end_reason: str | None

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def place(self) -> str:
        """Township and unit, e.g. "龙潭镇杨家村"; a slot is not included."""
        return f"{self.township_name}{self.unit_name}"

    @property
    def title(self) -> str:
        """Where and which post, e.g. "龙潭镇杨家村 A岗" or "龙潭镇 乡镇教学辅导员"."""
        return f"{self.place} {self.slot_label or self.role_label}"


@dataclass(frozen=True)
class TrainingRecord:
    enrolment_id: str
    plan_title: str
    year: int
    kind_label: str
    mode_label: str
    planned_hours: float
    attended_hours: float  # hours credited at the plan's sessions
    self_study_hours: float
    score: float | None
    passed: bool | None
    assessed_on: dt.date | None

    @property
    def hours(self) -> float:
        return self.attended_hours + self.self_study_hours


@dataclass(frozen=True)
class CertificateRecord:
    id: str
    number: str
    kind_label: str
    issue_date: dt.date
    valid_until: dt.date | None
    status: str
    status_label: str
    status_reason: str | None


@dataclass(frozen=True)
class EvaluationRecord:
    year: int
    round_name: str
    total: float | None
    grade_label: str
    unfit: bool  # R14: flagged for adjustment


@dataclass(frozen=True)
class AwardRecord:
    title: str
    kind_label: str
    awarded_on: dt.date
    document_no: str | None


@dataclass(frozen=True)
class PersonHistory:
    """The archive of one person (R10): posts, training, certificates, evaluations, awards."""

    posts: list[PostRecord]
    training: list[TrainingRecord]
    certificates: list[CertificateRecord]
    evaluations: list[EvaluationRecord]
    awards: list[AwardRecord]


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: who changed what, old → new, when (local time)."""

    at: dt.datetime
    account: str
    subject: str  # what was changed, e.g. "人员档案", "岗位：龙潭镇杨家村 A岗"
    action: str  # "新增", "修改", "删除"
    field: str  # the field's Chinese label, "" for a whole record
    old_value: str
    new_value: str


@dataclass(frozen=True)
class PersonChoice:
    """A person offered in a picker: masked ID number and what they hold now."""

    id: str
    name: str
    id_number_masked: str
    gender: str
    birth_date: dt.date
    posts: str  # e.g. "龙潭镇杨家村 A岗"; "" when none

    @property
    def display(self) -> str:
        where = f" · {self.posts}" if self.posts else ""
        return f"{self.name}（{codes.label(codes.GENDER, self.gender)}，{self.birth_date.year}年生，" \
               f"{self.id_number_masked}）{where}"


# --- person and history ------------------------------------------------------------------------------

def person_detail(session: Session, person_id: str) -> PersonDetail:
    person = get_person(session, person_id)
    has_photo = session.scalar(select(PersonPhoto.id).where(
        PersonPhoto.person_id == person.id, PersonPhoto.deleted.is_(False))) is not None
    return PersonDetail(
        id=person.id, name=person.name, id_number=person.id_number,
        id_number_masked=mask_id_number(person.id_number), gender=person.gender, birth_date=person.birth_date,
        ethnicity=person.ethnicity, political_status=person.political_status, education=person.education,
        phone=person.phone, employer=person.employer, job_title=person.job_title,
        source_category=person.source_category, notes=person.notes, left_on=person.left_on,
        left_reason=person.left_reason, has_photo=has_photo, row_version=person.row_version)


def _unit_names(session: Session, unit_ids: set[str]) -> dict[str, tuple[str, str, str]]:
    """unit id → (name, kind, township name) for each unit (township name "" above the township level)."""
    if not unit_ids:
        return {}
    parent = OrgUnit.__table__.alias("parent")
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.kind, parent.c.name, parent.c.kind)
        .outerjoin(parent, parent.c.id == OrgUnit.parent_id).where(OrgUnit.id.in_(unit_ids))).all()
    out = {}
    for uid, name, kind, parent_name, parent_kind in rows:
        township = parent_name if parent_kind == "township" and kind in codes.SITE_KINDS else ""
        out[uid] = (name, kind, township or "")
    return out


def post_records(session: Session, posts: list[Post]) -> list[PostRecord]:
    """PostRecords for loaded posts (two extra queries for all of them: names of units and people)."""
    units = _unit_names(session, {p.unit_id for p in posts})
    people = dict(session.execute(select(Person.id, Person.name).where(
        Person.id.in_({p.person_id for p in posts}))).tuples().all()) if posts else {}
    out = []
    for p in posts:
        unit_name, unit_kind, township = units.get(p.unit_id, ("?", "", ""))
        out.append(PostRecord(
            id=p.id, person_id=p.person_id, person_name=people.get(p.person_id, "?"), unit_id=p.unit_id,
            unit_name=unit_name, unit_kind=unit_kind, township_name=township, role=p.role,
            role_label=codes.label(codes.ROLE, p.role), slot=p.slot, slot_label=codes.label(codes.SLOT, p.slot),
            tenure=p.tenure, tenure_label=codes.label(codes.TENURE, p.tenure), start_date=p.start_date,
            start_reason=p.start_reason, end_date=p.end_date, end_reason=p.end_reason))
    return out


def post_record(session: Session, post_id: str) -> PostRecord:
    post = session.get(Post, post_id)
    if post is None or post.deleted:
        raise ValidationError("找不到该岗位", field="岗位")
    return post_records(session, [post])[0]


def _posts_of(session: Session, person_id: str) -> list[Post]:
    stmt = (select(Post).where(Post.person_id == person_id, Post.deleted.is_(False))
            .order_by(Post.start_date, Post.end_date.is_(None), Post.end_date))
    return list(session.scalars(stmt))


def _training(session: Session, person_id: str) -> list[TrainingRecord]:
    rows = session.execute(
        select(Enrolment, TrainingPlan).join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
        .where(Enrolment.person_id == person_id, Enrolment.deleted.is_(False), TrainingPlan.deleted.is_(False))
        .order_by(TrainingPlan.year, TrainingPlan.start_date, TrainingPlan.title)).all()
    attended: dict[str, float] = defaultdict(float)
    for plan_id, hours in session.execute(
            select(TrainingSession.plan_id, func.sum(Attendance.hours))
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .where(Attendance.person_id == person_id, Attendance.present.is_(True),
                   Attendance.deleted.is_(False), TrainingSession.deleted.is_(False))
            .group_by(TrainingSession.plan_id)).tuples():
        attended[plan_id] = float(hours or 0.0)
    return [TrainingRecord(
        enrolment_id=e.id, plan_title=plan.title, year=plan.year, kind_label=codes.label(codes.TRAINING_KIND, plan.kind),
        mode_label=codes.label(codes.TRAINING_MODE, plan.mode), planned_hours=plan.planned_hours or 0.0,
        attended_hours=attended.get(plan.id, 0.0), self_study_hours=e.self_study_hours or 0.0, score=e.score,
        passed=e.passed, assessed_on=e.assessed_on) for e, plan in rows]


def _certificates(session: Session, person_id: str) -> list[CertificateRecord]:
    stmt = (select(Certificate).where(Certificate.person_id == person_id, Certificate.deleted.is_(False))
            .order_by(Certificate.issue_date, Certificate.number))
    return [CertificateRecord(c.id, c.number, codes.label(codes.CERTIFICATE_KIND, c.kind), c.issue_date,
                              c.valid_until, c.status, codes.label(codes.CERTIFICATE_STATUS, c.status),
                              c.status_reason) for c in session.scalars(stmt)]


def _evaluations(session: Session, person_id: str) -> list[EvaluationRecord]:
    rows = session.execute(
        select(Evaluation, EvaluationRound).join(EvaluationRound, EvaluationRound.id == Evaluation.round_id)
        .where(Evaluation.person_id == person_id, Evaluation.deleted.is_(False))
        .order_by(EvaluationRound.year)).all()
    out = []
    for ev, rnd in rows:
        table = codes.GRADE_COMPETENT if rnd.grade_scale == "competent" else codes.GRADE_STANDARD
        out.append(EvaluationRecord(rnd.year, rnd.name, ev.total, codes.label(table, ev.grade), bool(ev.unfit)))
    return out


def _awards(session: Session, person_id: str) -> list[AwardRecord]:
    rows = session.execute(
        select(Award, AwardCampaign.kind).outerjoin(AwardCampaign, AwardCampaign.id == Award.campaign_id)
        .where(Award.person_id == person_id, Award.deleted.is_(False)).order_by(Award.awarded_on)).all()
    return [AwardRecord(a.title, codes.label(codes.AWARD_KIND, kind), a.awarded_on, a.document_no)
            for a, kind in rows]


def person_history(session: Session, person_id: str) -> PersonHistory:
    """The whole archive of one person (R10), each part oldest first."""
    person = get_person(session, person_id)
    return PersonHistory(
        posts=post_records(session, _posts_of(session, person.id)),
        training=_training(session, person.id),
        certificates=_certificates(session, person.id),
        evaluations=_evaluations(session, person.id),
        awards=_awards(session, person.id))


# --- audit trail -------------------------------------------------------------------------------------

_PERSON_FIELDS: dict[str, str] = {
    "name": "姓名", "gender": "性别", "id_number": "身份证号码", "birth_date": "出生日期", "ethnicity": "民族",
    "political_status": "政治面貌", "education": "学历", "phone": "联系电话", "employer": "工作单位",
    "job_title": "职务", "source_category": "人员来源", "left_on": "离开日期", "left_reason": "离开原因",
    "notes": "备注", "deleted": "已删除",
}
_POST_FIELDS: dict[str, str] = {
    "person_id": "人员", "unit_id": "任职单位", "role": "职务类别", "slot": "岗位", "tenure": "专兼职",
    "start_date": "任职日期", "start_reason": "任职原因", "end_date": "离岗日期", "end_reason": "离岗原因",
    "notes": "备注", "deleted": "已删除",
}
_PHOTO_FIELDS: dict[str, str] = {"image": "照片", "mime_type": "照片格式", "deleted": "已删除"}
_CODE_TABLES: dict[str, dict[str, str]] = {
    "gender": codes.GENDER, "ethnicity": codes.ETHNICITY, "political_status": codes.POLITICAL_STATUS,
    "education": codes.EDUCATION, "source_category": codes.SOURCE_CATEGORY, "role": codes.ROLE,
    "slot": codes.SLOT, "tenure": codes.TENURE,
}
#: Derived or internal columns the clerk never edits: their changes are noise in the trail.
_HIDDEN = frozenset({"name_initials", "origin", "id", "person_id"})
_ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除", "bulk_insert": "批量导入"}


def _shown(column: str, value: str | None) -> str:
    if value is None or value == "":
        return ""
    if column == "id_number":
        return mask_id_number(value)  # the trail is a list: the number stays masked
    if column == "deleted":
        return "是" if value in ("True", "1", "true") else "否"
    table = _CODE_TABLES.get(column)
    return codes.label(table, value) if table else value


def _local(at: dt.datetime) -> dt.datetime:
    """The log stores UTC (naive); the clerk reads local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def audit_trail(session: Session, person_id: str) -> list[AuditEntry]:
    """Who changed this person's record, their posts and their photo, and when; newest first."""
    person = get_person(session, person_id)
    posts = {r.id: r for r in post_records(session, _posts_of(session, person.id))}
    photo_ids = set(session.scalars(select(PersonPhoto.id).where(PersonPhoto.person_id == person.id)))
    conditions = [(AuditLog.table_name == "person") & (AuditLog.record_id == person.id)]
    if posts:
        conditions.append((AuditLog.table_name == "post") & AuditLog.record_id.in_(posts))
    if photo_ids:
        conditions.append((AuditLog.table_name == "person_photo") & AuditLog.record_id.in_(photo_ids))
    logs = session.scalars(select(AuditLog).where(or_(*conditions)).order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    out: list[AuditEntry] = []
    for log in logs:
        if log.table_name == "person":
            subject, labels = "人员档案", _PERSON_FIELDS
        elif log.table_name == "post":
            record = posts.get(log.record_id or "")
            subject, labels = (f"岗位：{record.title}" if record else "岗位"), _POST_FIELDS
        else:
            subject, labels = "照片", _PHOTO_FIELDS
        action = _ACTIONS.get(log.action, log.action)
        if log.action == "update":
            if log.field in _HIDDEN:
                continue
            field = log.field or ""
            out.append(AuditEntry(_local(log.at), log.account, subject, action, labels.get(field, field),
                                  _shown(field, log.old_value), _shown(field, log.new_value)))
        else:
            snapshot = log.new_value if log.action == "insert" else log.old_value
            summary = _snapshot_summary(log.table_name, snapshot, labels)
            old, new = ("", summary) if log.action == "insert" else (summary, "")
            out.append(AuditEntry(_local(log.at), log.account, subject, action, "", old, new))
    return out


def _snapshot_summary(table: str, snapshot: str | None, labels: dict[str, str]) -> str:
    """A whole inserted or removed record in one line, in the clerk's words."""
    try:
        values = json.loads(snapshot or "{}")
    except ValueError:
        return snapshot or ""
    if table == "person_photo":
        return _shown("image", values.get("image"))
    parts = []
    for column, label in labels.items():
        if column in _HIDDEN or column == "deleted" or column == "unit_id":
            continue
        value = _shown(column, values.get(column))
        if value:
            parts.append(f"{label}：{value}")
    return "；".join(parts)


# --- pickers -----------------------------------------------------------------------------------------

def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def person_choices(session: Session, search: str = "", *, limit: int = 50,
                   include_left: bool = False) -> list[PersonChoice]:
    """People a clerk may pick (for a post): by name, pinyin initials or the end of the ID number."""
    text = (search or "").strip()
    stmt = select(Person).where(Person.deleted.is_(False))
    if not include_left:
        stmt = stmt.where(Person.left_on.is_(None))
    if text:
        pattern = _like(text)
        stmt = stmt.where(or_(Person.name.like(pattern, escape="\\"),
                              Person.name_initials.like(_like(text.lower()).lstrip("%"), escape="\\"),
                              Person.id_number.like("%" + text.upper().replace("%", ""), escape="\\")))
    people = list(session.scalars(stmt.order_by(Person.name_initials, Person.name, Person.id).limit(limit)))
    held: dict[str, list[str]] = defaultdict(list)
    if people:
        open_posts = list(session.scalars(select(Post).where(
            Post.person_id.in_([p.id for p in people]), Post.end_date.is_(None), Post.deleted.is_(False))
            .order_by(Post.start_date)))
        for record in post_records(session, open_posts):
            held[record.person_id].append(record.title)
    return [PersonChoice(p.id, p.name, mask_id_number(p.id_number), p.gender, p.birth_date,
                         "、".join(held.get(p.id, []))) for p in people]


def person_choice(session: Session, person_id: str) -> PersonChoice:
    """One person as a picker entry (to preselect someone)."""
    person = get_person(session, person_id)
    open_posts = list(session.scalars(select(Post).where(
        Post.person_id == person.id, Post.end_date.is_(None), Post.deleted.is_(False)).order_by(Post.start_date)))
    return PersonChoice(person.id, person.name, mask_id_number(person.id_number), person.gender, person.birth_date,
                        "、".join(r.title for r in post_records(session, open_posts)))
