"""Award campaigns (R14): model site, excellent site manager, excellent tutor, excellent technician.

A campaign is one year's award of one kind (:data:`codes.AWARD_KIND`; one campaign per year and kind), with
an optional quota. Nominations are seeded from that year's evaluation ranking of the matching targets
(:data:`RANKED_TARGETS`: up to 2 × quota, best total first) or added by hand; each carries an eligibility
check written as a Chinese note (:func:`check_eligibility`):

- a person must hold a **valid certificate at year end** (R11: the on-duty certificate for site managers,
  the appointment certificate for tutors and technicians; :mod:`.certificate_status`), a model site must
  have its managers at year end all holding a valid on-duty certificate (持证上岗);
- the year's **evaluation** exists, its grade is not 不合格 (fail) and it is not flagged unfit (R14: those
  are for adjustment, not for awards);
- the nominee is **still in post** (an open post of the award's roles, still on the team), a site still
  active.

Ineligible nominees are listed, their note begins with :data:`INELIGIBLE`, and cannot be approved. At most
``quota`` nominations are approved. Closing a campaign (document number and date) writes an
:class:`~remoteedu_desktop.data.models.Award` per approved nomination into the person's (or site's) archive
(R10), titled "<year>年度<award>"; a closed campaign refuses every later change.

The evaluation is read through :func:`.evaluation_scoring.evaluations` (totals, grades, county ranks and
unfit flags of the year's round). Every function takes the caller's Session; nothing commits here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Generator, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Award,
    AwardCampaign,
    Certificate,
    Nomination,
    OrgUnit,
    Person,
    Post,
)
from ..errors import ValidationError
from ..printing import honour_certificates as hc
from . import certificate_settings, evaluation_scoring
from ._common import clean_text
from .certificate_eligibility import Units
from .certificate_status import current_status
from .progress import Progress

#: Which evaluation targets (codes.EVALUATION_TARGET) rank the nominees of each award kind (R14).
RANKED_TARGETS: dict[str, tuple[str, ...]] = {
    "model_site": ("site",),
    "excellent_manager": ("site_manager", "township_manager"),
    "excellent_tutor": ("tutor",),
    "excellent_technician": ("technician",),
}
#: The post roles (codes.ROLE) a person nominee must hold (R2–R5).
AWARD_ROLES: dict[str, frozenset[str]] = {
    "model_site": frozenset(),
    "excellent_manager": codes.MANAGER_ROLES,
    "excellent_tutor": codes.TUTOR_ROLES,
    "excellent_technician": frozenset({"technician"}),
}
#: The certificate kind a person nominee must hold at year end (R11).
AWARD_CERTIFICATE: dict[str, str] = {
    "model_site": "on_duty",
    "excellent_manager": "on_duty",
    "excellent_tutor": "appointment",
    "excellent_technician": "appointment",
}
CAMPAIGN_STATUS = {"open": "评选中", "closed": "已结束"}
NOMINATION_STATUS = {"proposed": "待审批", "approved": "已批准", "rejected": "未批准"}
NOMINATION_SOURCE = {"ranking": "考评排名", "manual": "人工推荐"}
#: The start of the note of an ineligible nominee.
INELIGIBLE = "不符合条件："
_DECISION = "\n审批意见："
_CAMPAIGN = "评选"
_NOMINATION = "提名"
MAX_QUOTA = 1000


# --- the rows handed out ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CampaignInfo:
    id: str
    year: int
    kind: str  #: codes.AWARD_KIND
    kind_label: str  #: "优秀站点管理员"
    name: str  #: "2025年度优秀站点管理员评选"
    quota: int | None
    status: str  #: "open" | "closed"
    status_label: str
    nominated: int
    approved: int
    awarded: int

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def award_title(self) -> str:
        """What the archive records: "2025年度优秀站点管理员"."""
        return f"{self.year}年度{self.kind_label}"


@dataclass(frozen=True)
class NominationRow:
    id: str
    campaign_id: str
    person_id: str | None
    site_id: str | None
    name: str  #: the person, or the site ("龙潭镇杨家村站点")
    unit: str  #: the post's unit, or the site's township
    township: str
    post: str  #: "村站点管理员", or "站点"
    source: str  #: "ranking" | "manual"
    source_label: str
    total: float | None
    grade_label: str
    rank_county: int | None
    eligible: bool
    note: str  #: the eligibility note (Chinese), then the decision note if any
    status: str  #: "proposed" | "approved" | "rejected"
    status_label: str
    decided_on: dt.date | None


@dataclass(frozen=True)
class AwardRow:
    id: str
    campaign_id: str | None
    person_id: str | None
    site_id: str | None
    name: str
    unit: str
    post: str
    title: str  #: "2025年度优秀站点管理员"
    award: str  #: "优秀站点管理员"
    awarded_on: dt.date
    document_no: str | None


@dataclass(frozen=True)
class Eligibility:
    """The outcome of the checks for one nominee (R11, R14)."""

    eligible: bool
    note: str  #: Chinese: the facts, or :data:`INELIGIBLE` and the reasons


# --- campaigns ------------------------------------------------------------------------------------

def _get_campaign(session: Session, campaign_id: str) -> AwardCampaign:
    row = session.get(AwardCampaign, campaign_id)
    if row is None or row.deleted:
        raise ValidationError("找不到该评选", field=_CAMPAIGN)
    return row


def _require_open(campaign: AwardCampaign) -> None:
    if campaign.status == "closed":
        raise ValidationError(f"“{campaign.name}”已结束，不能再修改", field=_CAMPAIGN, rule="R14")


def _info(session: Session, c: AwardCampaign) -> CampaignInfo:
    counts: dict[str, int] = dict(session.execute(
        select(Nomination.status, func.count())
        .where(Nomination.campaign_id == c.id, Nomination.deleted.is_(False))
        .group_by(Nomination.status)).tuples().all())
    awarded = session.scalar(select(func.count()).select_from(Award).where(
        Award.campaign_id == c.id, Award.deleted.is_(False))) or 0
    return CampaignInfo(c.id, c.year, c.kind, codes.label(codes.AWARD_KIND, c.kind), c.name, c.quota,
                        c.status, CAMPAIGN_STATUS.get(c.status, c.status), sum(counts.values()),
                        counts.get("approved", 0), awarded)


def campaigns(session: Session, year: int | None = None) -> list[CampaignInfo]:
    """Every campaign (of *year*), newest year first, then in the order of codes.AWARD_KIND."""
    stmt = select(AwardCampaign).where(AwardCampaign.deleted.is_(False))
    if year is not None:
        stmt = stmt.where(AwardCampaign.year == year)
    kinds = {kind: n for n, kind in enumerate(codes.AWARD_KIND)}
    rows = sorted(session.scalars(stmt), key=lambda c: (-c.year, kinds.get(c.kind, 99), c.name))
    return [_info(session, c) for c in rows]


def campaign(session: Session, campaign_id: str) -> CampaignInfo:
    return _info(session, _get_campaign(session, campaign_id))


def _check_quota(quota: int | None) -> int | None:
    if quota is None:
        return None
    if isinstance(quota, bool) or not isinstance(quota, int) or not 1 <= quota <= MAX_QUOTA:
        raise ValidationError(f"名额应为 1 到 {MAX_QUOTA} 的整数，实际为 {quota}", field="名额")
    return quota


def open_campaign(session: Session, year: int, kind: str, *, name: str | None = None,
                  quota: int | None = None) -> CampaignInfo:
    """A new campaign of *kind* for *year*; refused when the year already has one of that kind (R14)."""
    kind = codes.require_code(codes.AWARD_KIND, kind, field="奖项")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError(f"年度应在 2000 到 2100 之间，实际为 {year}", field="年度")
    quota = _check_quota(quota)
    label = codes.AWARD_KIND[kind]
    title = clean_text(name, field="评选名称", max_len=100) or f"{year}年度{label}评选"
    existing = session.scalar(select(AwardCampaign).where(
        AwardCampaign.year == year, AwardCampaign.kind == kind, AwardCampaign.deleted.is_(False)))
    if existing is not None:
        raise ValidationError(f"{year}年度已有“{label}”评选（{existing.name}），每年每个奖项只评一次",
                              field="奖项", rule="R14")
    row = AwardCampaign(year=year, kind=kind, name=title, quota=quota, status="open")
    session.add(row)
    session.flush()
    return _info(session, row)


def update_campaign(session: Session, campaign_id: str, *, name: str | None = None,
                    quota: int | None = None) -> CampaignInfo:
    """Rename an open campaign or change its quota; a quota below the approved count is refused."""
    c = _get_campaign(session, campaign_id)
    _require_open(c)
    quota = _check_quota(quota)
    title = clean_text(name, field="评选名称", max_len=100) or c.name
    approved = _approved_count(session, c.id)
    if quota is not None and approved > quota:
        raise ValidationError(f"已批准 {approved} 名，名额不能少于 {approved}", field="名额", rule="R14")
    c.name, c.quota = title, quota
    session.flush()
    return _info(session, c)


def _approved_count(session: Session, campaign_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Nomination).where(
        Nomination.campaign_id == campaign_id, Nomination.status == "approved",
        Nomination.deleted.is_(False))) or 0


# --- the evaluation of the year ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Evaluated:
    person_id: str | None
    site_id: str | None
    target: str
    total: float | None
    grade: str | None
    grade_label: str
    rank_county: int | None
    unfit: bool


def _evaluated(session: Session, year: int, targets: Iterable[str]) -> list[_Evaluated]:
    """The year's evaluations of *targets* (:func:`.evaluation_scoring.evaluations`), best total first (the
    R14 ranking; the targets of the manager award merged by total, ties by county rank)."""
    out = [_Evaluated(r.person_id, r.site_id, r.target, r.total, r.grade, r.grade_label, r.rank_county,
                      r.unfit)
           for target in targets for r in evaluation_scoring.evaluations(session, year, target=target)]
    out.sort(key=lambda e: (e.total is None, -(e.total or 0.0), e.rank_county or 10**9))
    return out


def _evaluation_of(session: Session, year: int, kind: str, *, person_id: str | None, site_id: str | None,
                   evaluated: list[_Evaluated] | None = None) -> _Evaluated | None:
    for e in _evaluated(session, year, RANKED_TARGETS[kind]) if evaluated is None else evaluated:
        if (person_id is not None and e.person_id == person_id) or (
                site_id is not None and e.site_id == site_id):
            return e
    return None


# --- eligibility ----------------------------------------------------------------------------------

def _valid_at(cert: Certificate, day: dt.date) -> bool:
    """The certificate was valid on *day* (R11): issued by then, not expired, not yet revoked or replaced."""
    if cert.issue_date > day or (cert.valid_until is not None and cert.valid_until < day):
        return False
    if current_status(cert, day) == "valid":
        return True
    # Revoked or replaced later: it was valid on that day.
    return cert.status_changed_on is not None and cert.status_changed_on > day and cert.status != "expired"


def _has_certificate(session: Session, person_id: str, kind: str, day: dt.date) -> bool:
    certs = session.scalars(select(Certificate).where(
        Certificate.person_id == person_id, Certificate.kind == kind, Certificate.deleted.is_(False)))
    return any(_valid_at(c, day) for c in certs)


def _posts(session: Session, person_id: str) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.person_id == person_id, Post.deleted.is_(False))))


def _evaluation_reasons(year: int, ev: _Evaluated | None) -> tuple[list[str], list[str]]:
    facts: list[str] = []
    reasons: list[str] = []
    if ev is None:
        reasons.append(f"无{year}年度考评结果")
        return facts, reasons
    if ev.total is not None:
        rank = f"，全县第 {ev.rank_county} 名" if ev.rank_county else ""
        grade = f"（{ev.grade_label}）" if ev.grade else ""
        facts.append(f"{year}年度考评 {ev.total:g} 分{grade}{rank}")
    else:
        reasons.append(f"{year}年度考评尚未计分")
    if ev.grade is None:
        reasons.append(f"{year}年度考评尚未评定等次")
    elif ev.grade == "fail":
        reasons.append(f"{year}年度考评等次为{ev.grade_label}")
    if ev.unfit:
        reasons.append("考评中被标记为不能胜任、需调整")
    return facts, reasons


def check_eligibility(session: Session, year: int, kind: str, *, person_id: str | None = None,
                      site_id: str | None = None, today: dt.date | None = None) -> Eligibility:
    """The checks of the module docstring for one nominee of a *kind* campaign of *year* (R11, R14)."""
    ev = _evaluation_of(session, year, kind, person_id=person_id, site_id=site_id)
    return _check(session, year, kind, person_id=person_id, site_id=site_id, today=today, ev=ev)


def _check(session: Session, year: int, kind: str, *, person_id: str | None, site_id: str | None,
           today: dt.date | None, ev: _Evaluated | None) -> Eligibility:
    today = today or dt.date.today()
    year_end = dt.date(year, 12, 31)
    facts, reasons = _evaluation_reasons(year, ev)
    if kind == "model_site":
        assert site_id is not None
        site = session.get(OrgUnit, site_id)
        if site is None or site.deleted or not site.active:
            reasons.append("站点已撤销")
        managers = [p for p in session.scalars(select(Post).where(
            Post.unit_id == site_id, Post.role.in_(codes.MANAGER_ROLES), Post.deleted.is_(False)))
            if p.start_date <= year_end and (p.end_date is None or p.end_date >= year_end)]
        if not managers:
            reasons.append(f"{year}年末无站点管理员在岗")
        else:
            names = {pid: name for pid, name in session.execute(select(Person.id, Person.name).where(
                Person.id.in_({p.person_id for p in managers}))).tuples()}
            missing = sorted({names.get(p.person_id, "") for p in managers
                              if not _has_certificate(session, p.person_id, "on_duty", year_end)})
            if missing:
                reasons.append(f"站点管理员{'、'.join(missing)}{year}年末无有效上岗证书")
            else:
                facts.append("站点管理员均持有效上岗证书")
    else:
        assert person_id is not None
        person = session.get(Person, person_id)
        roles = AWARD_ROLES[kind]
        held = [p for p in _posts(session, person_id) if p.role in roles]
        open_now = [p for p in held if p.start_date <= today and (p.end_date is None or p.end_date > today)]
        if person is None or person.deleted or person.left_on is not None or not open_now:
            reasons.append(f"现已不在{codes.AWARD_KIND[kind].removeprefix('优秀')}岗位")
        cert_kind = AWARD_CERTIFICATE[kind]
        cert_label = codes.CERTIFICATE_KIND[cert_kind]
        if _has_certificate(session, person_id, cert_kind, year_end):
            facts.append(f"{year}年末持有效{cert_label}")
        else:
            reasons.append(f"{year}年末无有效{cert_label}")
    if reasons:
        return Eligibility(False, INELIGIBLE + "；".join(reasons))
    return Eligibility(True, "；".join(facts))


# --- nominations ----------------------------------------------------------------------------------

def _nominee_rows(session: Session, nominations: list[Nomination], campaign: AwardCampaign,
                  ranked: list[_Evaluated] | None = None) -> list[NominationRow]:
    units = Units(session)
    if ranked is None:
        ranked = _evaluated(session, campaign.year, RANKED_TARGETS[campaign.kind])
    evaluated = {(e.person_id or e.site_id): e for e in ranked}
    names = dict(session.execute(select(Person.id, Person.name).where(
        Person.id.in_({n.person_id for n in nominations if n.person_id}))).tuples().all())
    people = {n.person_id for n in nominations if n.person_id}
    where = _where_people(session, people, AWARD_ROLES[campaign.kind], units)
    out = []
    for n in nominations:
        ev = evaluated.get(n.person_id or n.site_id or "")
        note = n.eligibility_note or ""
        if n.site_id is not None:
            name, post = units.title(n.site_id), "站点"
            unit = township = units.area(n.site_id)
        else:
            assert n.person_id is not None
            name = names.get(n.person_id, "")
            unit, township, post = where.get(n.person_id, ("", "", ""))
        out.append(NominationRow(
            n.id, n.campaign_id, n.person_id, n.site_id, name, unit, township, post, n.source,
            NOMINATION_SOURCE.get(n.source, n.source), ev.total if ev else None, ev.grade_label if ev else "",
            ev.rank_county if ev else None, not note.startswith(INELIGIBLE), note, n.status,
            NOMINATION_STATUS.get(n.status, n.status), n.decided_on))
    return out


def _where_people(session: Session, person_ids: set[str], roles: frozenset[str],
                  units: Units) -> dict[str, tuple[str, str, str]]:
    """Each person's (unit, township, post label) from the latest post of *roles*."""
    if not person_ids:
        return {}
    best: dict[str, Post] = {}
    for p in session.scalars(select(Post).where(Post.person_id.in_(person_ids), Post.deleted.is_(False))):
        if p.role not in roles:
            continue
        cur = best.get(p.person_id)
        key = (p.end_date is None, p.end_date or dt.date.max, p.start_date)
        if cur is None or key > (cur.end_date is None, cur.end_date or dt.date.max, cur.start_date):
            best[p.person_id] = p
    return {pid: (units.title(p.unit_id), units.area(p.unit_id), codes.label(codes.ROLE, p.role))
            for pid, p in best.items()}


def nominations(session: Session, campaign_id: str) -> list[NominationRow]:
    """The campaign's nominees: ranked ones in ranking order, then the manual ones in the order added."""
    c = _get_campaign(session, campaign_id)
    rows = list(session.scalars(select(Nomination).where(
        Nomination.campaign_id == c.id, Nomination.deleted.is_(False))))
    out = _nominee_rows(session, rows, c)
    order = {n.id: k for k, n in enumerate(sorted(rows, key=lambda n: (n.change_seq, n.updated_at)))}
    out.sort(key=lambda r: (r.source != "ranking", r.total is None, -(r.total or 0.0), order.get(r.id, 0)))
    return out


def _nomination_row(session: Session, n: Nomination, ranked: list[_Evaluated] | None = None) -> NominationRow:
    return _nominee_rows(session, [n], _get_campaign(session, n.campaign_id), ranked)[0]


def _already(session: Session, campaign_id: str) -> set[str]:
    return {pid or sid for pid, sid in session.execute(select(Nomination.person_id, Nomination.site_id).where(
        Nomination.campaign_id == campaign_id, Nomination.deleted.is_(False))).tuples() if pid or sid}


def seed_from_ranking(session: Session, campaign_id: str, *,
                      today: dt.date | None = None) -> list[NominationRow]:
    """Nominate from the year's evaluation ranking (R14), best total first: the top 2 × quota of the
    ranking (everyone graded 优秀 when the campaign has no quota), each checked; those already nominated
    are kept as they are. Returns the new nominations; refused when the year has no evaluation."""
    c = _get_campaign(session, campaign_id)
    _require_open(c)
    everyone = _evaluated(session, c.year, RANKED_TARGETS[c.kind])
    ranked = [e for e in everyone if e.total is not None]
    if not ranked:
        targets = "、".join(codes.EVALUATION_TARGET[t] for t in RANKED_TARGETS[c.kind])
        raise ValidationError(f"{c.year}年度没有{targets}的考评结果，无法按排名提名", field=_CAMPAIGN, rule="R14")
    chosen = ranked[:2 * c.quota] if c.quota else [e for e in ranked if e.grade == "excellent"]
    if not chosen:
        raise ValidationError(f"{c.year}年度考评没有评为优秀的对象；请为“{c.name}”设定名额，按排名提名",
                              field=_CAMPAIGN, rule="R14")
    seen = _already(session, c.id)
    added: list[Nomination] = []
    for e in chosen:
        key = e.person_id if c.kind != "model_site" else e.site_id
        if key is None or key in seen:
            continue
        seen.add(key)
        check = _check(session, c.year, c.kind, person_id=e.person_id if c.kind != "model_site" else None,
                       site_id=e.site_id if c.kind == "model_site" else None, today=today, ev=e)
        row = Nomination(campaign_id=c.id, person_id=None if c.kind == "model_site" else e.person_id,
                         site_id=e.site_id if c.kind == "model_site" else None, source="ranking",
                         eligibility_note=check.note, status="proposed")
        session.add(row)
        added.append(row)
    session.flush()
    return _nominee_rows(session, added, c, everyone)


def add_nomination(session: Session, campaign_id: str, *, person_id: str | None = None,
                   site_id: str | None = None, today: dt.date | None = None) -> NominationRow:
    """Nominate a person (or, for the model-site award, a site) by hand, with the same checks (R14)."""
    c = _get_campaign(session, campaign_id)
    _require_open(c)
    if c.kind == "model_site":
        if site_id is None or person_id is not None:
            raise ValidationError("示范站点评选只能推荐站点", field=_NOMINATION)
        site = session.get(OrgUnit, site_id)
        if site is None or site.deleted or site.kind not in codes.SITE_KINDS:
            raise ValidationError("找不到该站点", field=_NOMINATION)
        key, label = site_id, site.name
    else:
        if person_id is None or site_id is not None:
            raise ValidationError(f"“{codes.AWARD_KIND[c.kind]}”评选只能推荐人员", field=_NOMINATION)
        person = session.get(Person, person_id)
        if person is None or person.deleted:
            raise ValidationError("找不到该人员", field=_NOMINATION)
        key, label = person_id, person.name
    if key in _already(session, c.id):
        raise ValidationError(f"{label}已在“{c.name}”的提名名单中", field=_NOMINATION)
    everyone = _evaluated(session, c.year, RANKED_TARGETS[c.kind])
    ev = _evaluation_of(session, c.year, c.kind, person_id=person_id, site_id=site_id, evaluated=everyone)
    check = _check(session, c.year, c.kind, person_id=person_id, site_id=site_id, today=today, ev=ev)
    row = Nomination(campaign_id=c.id, person_id=person_id, site_id=site_id, source="manual",
                     eligibility_note=check.note, status="proposed")
    session.add(row)
    session.flush()
    return _nominee_rows(session, [row], c, everyone)[0]


def decide(session: Session, nomination_id: str, approve: bool, *, on: dt.date | None = None,
           note: str | None = None, today: dt.date | None = None) -> NominationRow:
    """Approve or reject a nomination. Approval re-checks eligibility (an ineligible nominee is refused,
    its note updated) and keeps the approved count within the quota (R14)."""
    n = session.get(Nomination, nomination_id)
    if n is None or n.deleted:
        raise ValidationError("找不到该提名", field=_NOMINATION)
    c = _get_campaign(session, n.campaign_id)
    _require_open(c)
    remark = clean_text(note, field="审批意见", max_len=200)
    on = on or today or dt.date.today()
    eligibility_note = (n.eligibility_note or "").split(_DECISION)[0]
    everyone = _evaluated(session, c.year, RANKED_TARGETS[c.kind])
    if approve:
        name = _nomination_row(session, n, everyone).name
        ev = _evaluation_of(session, c.year, c.kind, person_id=n.person_id, site_id=n.site_id,
                            evaluated=everyone)
        check = _check(session, c.year, c.kind, person_id=n.person_id, site_id=n.site_id, today=today, ev=ev)
        if not check.eligible:
            n.eligibility_note = check.note
            session.flush()
            raise ValidationError(f"{name}{check.note}，不能批准", field=_NOMINATION, rule="R14")
        eligibility_note = check.note
        approved = _approved_count(session, c.id) - (1 if n.status == "approved" else 0)
        if c.quota is not None and approved >= c.quota:
            raise ValidationError(f"“{c.name}”名额 {c.quota} 名已满（已批准 {approved} 名），不能再批准{name}",
                                  field=_NOMINATION, rule="R14")
    n.status = "approved" if approve else "rejected"
    n.decided_on = on
    n.eligibility_note = eligibility_note + (f"{_DECISION}{remark}" if remark else "")
    session.flush()
    return _nomination_row(session, n, everyone)


def withdraw(session: Session, nomination_id: str) -> None:
    """Remove a nomination from an open campaign (a mistaken manual entry)."""
    n = session.get(Nomination, nomination_id)
    if n is None or n.deleted:
        raise ValidationError("找不到该提名", field=_NOMINATION)
    _require_open(_get_campaign(session, n.campaign_id))
    n.deleted = True
    session.flush()


# --- closing and the archive ----------------------------------------------------------------------

def close_campaign(session: Session, campaign_id: str, *, document_no: str,
                   awarded_on: dt.date) -> list[AwardRow]:
    """Close the campaign: one Award per approved nomination into the archive (R10), titled
    "<year>年度<award>" with the document number; the campaign refuses changes afterwards (R14)."""
    c = _get_campaign(session, campaign_id)
    _require_open(c)
    doc = clean_text(document_no, field="表彰文号", required=True, max_len=100)
    if not isinstance(awarded_on, dt.date) or awarded_on < dt.date(c.year, 1, 1):
        raise ValidationError(f"表彰日期不能早于{c.year}年1月1日", field="表彰日期")
    approved = list(session.scalars(select(Nomination).where(
        Nomination.campaign_id == c.id, Nomination.status == "approved", Nomination.deleted.is_(False))))
    if not approved:
        raise ValidationError(f"“{c.name}”没有已批准的提名，不能结束", field=_CAMPAIGN, rule="R14")
    title = f"{c.year}年度{codes.AWARD_KIND[c.kind]}"
    for n in approved:
        session.add(Award(campaign_id=c.id, person_id=n.person_id, site_id=n.site_id, title=title,
                          awarded_on=awarded_on, document_no=doc))
    c.status = "closed"
    session.flush()
    return awards(session, campaign_id=c.id)


def awards(session: Session, *, campaign_id: str | None = None, person_id: str | None = None,
           site_id: str | None = None) -> list[AwardRow]:
    """Awards in the archive (R10), oldest first, filtered by campaign, person or site."""
    stmt = (select(Award, AwardCampaign.kind).outerjoin(AwardCampaign, AwardCampaign.id == Award.campaign_id)
            .where(Award.deleted.is_(False)))
    if campaign_id is not None:
        stmt = stmt.where(Award.campaign_id == campaign_id)
    if person_id is not None:
        stmt = stmt.where(Award.person_id == person_id)
    if site_id is not None:
        stmt = stmt.where(Award.site_id == site_id)
    rows = session.execute(stmt).all()
    units = Units(session)
    names = dict(session.execute(select(Person.id, Person.name).where(
        Person.id.in_({a.person_id for a, _ in rows if a.person_id}))).tuples().all())
    where: dict[str, tuple[str, str, str]] = {}
    by_kind: dict[str, set[str]] = defaultdict(set)
    for a, kind in rows:
        if a.person_id and kind:
            by_kind[kind].add(a.person_id)
    for kind, pids in by_kind.items():
        where.update(_where_people(session, pids, AWARD_ROLES.get(kind, frozenset()), units))
    out = []
    for a, kind in rows:
        if a.site_id is not None:
            name, unit, post = units.title(a.site_id), units.area(a.site_id), "站点"
        else:
            name = names.get(a.person_id or "", "")
            unit, _township, post = where.get(a.person_id or "", ("", "", ""))
        out.append(AwardRow(a.id, a.campaign_id, a.person_id, a.site_id, name, unit, post, a.title,
                            codes.label(codes.AWARD_KIND, kind), a.awarded_on, a.document_no))
    if campaign_id is not None:  # the campaign's list order: the ranking, then the manual nominees
        rank = {(n.person_id or n.site_id): k for k, n in enumerate(nominations(session, campaign_id))}
        out.sort(key=lambda r: (r.awarded_on, rank.get(r.person_id or r.site_id, 10**9), r.name))
    else:
        out.sort(key=lambda r: (r.awarded_on, r.title, r.name))
    return out


# --- printing ---------------------------------------------------------------------------------------

def _winners(session: Session, c: AwardCampaign) -> list[tuple[str, str, str, bool]]:
    """(name, unit, post, is_site) of the awarded (closed) or approved (open) nominees, in list order."""
    if c.status == "closed":
        return [(a.name, a.unit, a.post, a.site_id is not None) for a in awards(session, campaign_id=c.id)]
    return [(n.name, n.unit, n.post, n.site_id is not None) for n in nominations(session, c.id)
            if n.status == "approved"]


def _award_meta(session: Session, c: AwardCampaign, on: dt.date | None) -> tuple[str | None, dt.date | None]:
    """(document number, award date): from the archive once closed; *on* and no number before."""
    if c.status == "closed":
        row = session.scalars(select(Award).where(
            Award.campaign_id == c.id, Award.deleted.is_(False))).first()
        if row is not None:
            return row.document_no, row.awarded_on
    return None, on


def honour_certificates(session: Session, campaign_id: str, *, on: dt.date | None = None,
                        with_seal: bool = True) -> list[hc.HonourCertificate]:
    """The honour certificates (荣誉证书) of a campaign: one per awarded (or, while open, approved) nominee;
    issuer and seal from the certificate settings (R11)."""
    c = _get_campaign(session, campaign_id)
    winners = _winners(session, c)
    if not winners:
        raise ValidationError(f"“{c.name}”还没有已批准的提名，没有荣誉证书可打印", field=_CAMPAIGN)
    _doc, day = _award_meta(session, c, on)
    issuer = certificate_settings.issuer_name(session)
    seal = certificate_settings.seal(session) if with_seal else None
    award = codes.AWARD_KIND[c.kind]
    return [hc.HonourCertificate(name=name, year=c.year, award=award, issuer=issuer, date=day,
                                 is_site=is_site, seal=seal) for name, _unit, _post, is_site in winners]


def award_list(session: Session, campaign_id: str, *, on: dt.date | None = None) -> hc.AwardList:
    """The award list (表彰名单) of a campaign: 序号/姓名/单位/岗位/奖项 with the document number."""
    c = _get_campaign(session, campaign_id)
    doc, day = _award_meta(session, c, on)
    award = codes.AWARD_KIND[c.kind]
    rows = tuple(hc.AwardListRow(name, unit, post, award) for name, unit, post, _site in _winners(session, c))
    return hc.AwardList(title=f"{c.year}年度{award}表彰名单", document_no=doc or "",
                        issuer=certificate_settings.issuer_name(session), date=day, rows=rows,
                        final=c.status == "closed")


def honour_certificates_pdf(session: Session, campaign_id: str, *, on: dt.date | None = None,
                            with_seal: bool = True) -> Generator[Progress, None, bytes]:
    """The batch PDF of a campaign's honour certificates, yielding progress per page."""
    yield 0, 0, "正在准备荣誉证书"
    sheets = honour_certificates(session, campaign_id, on=on, with_seal=with_seal)
    return (yield from hc.render_honour_certificates_steps(sheets))


def award_list_pdf(session: Session, campaign_id: str, *, on: dt.date | None = None) -> bytes:
    return hc.render_award_list(award_list(session, campaign_id, on=on))


def site_choices(session: Session) -> list[tuple[str, str]]:
    """(id, "龙潭镇杨家村站点") of every active site, for a model-site nomination by hand."""
    units = Units(session)
    sites = session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.sort_order).where(
        OrgUnit.deleted.is_(False), OrgUnit.active.is_(True),
        OrgUnit.kind.in_(codes.SITE_KINDS))).tuples().all()
    ordered = sorted(sites, key=lambda r: (units.area(r[0]), r[2] or 0, r[1] or "", units.title(r[0])))
    return [(sid, units.title(sid)) for sid, _code, _sort in ordered]
