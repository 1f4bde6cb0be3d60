"""Automatic indicators of the yearly evaluation (R14), computed in bulk from the year's data.

Each indicator gives, for one evaluation, a share between 0 and 1 of the item's maximum points and a
short Chinese note saying where the figure comes from (kept in ``EvaluationScore.note``). Every table is
read once per call, for the whole round (no query per person), so 5,000 people score in well under a
second of SQL.

The period of a year Y is 1 January Y to its *reference day*: 31 December Y, or today when the year is
still running. What each indicator measures:

``training_hours`` (R8)
    Hours credited in trainings of the year (a training counts in its plan's year, as in
    ``training_views``): hours at sessions attended plus self-study hours, against
    :data:`FULL_TRAINING_HOURS`. Full marks at or above it, proportional below.
``assessment_passed`` (R8)
    Of the year's trainings with an assessment result, the share passed (``passed``, or a score at or
    above the plan's pass mark when ``passed`` is blank). No result in the year: 0.
``activity_count`` (R13)
    Site manager: activities logged by the site(s) while they held the post. Township manager: at a
    township station its activities; at a township the mean number per site of the township. Tutor:
    activities they led or supported (``ActivityTutor``). Site: its own activities. Against
    :data:`FULL_ACTIVITIES`; full marks at or above it.
``fault_response`` (R9)
    Mean response time, from report to assignment (as the fault statistics count it), of the tickets
    reported in the period: a technician's own tickets; for a site or its manager those of the site(s);
    for a township manager those of the township. A ticket not yet assigned counts until it was resolved,
    else until the end of the reference day. Full marks at ≤ 24 h, sliding to 0 at 168 h; no
    tickets: full marks.
``certificate_valid`` (R11)
    Holds on the reference day a valid certificate of the kind the post needs: on-duty for managers,
    appointment for tutors and technicians (``certificate_status.current_status``). For a site: the
    share of its managers in post that day who hold a valid on-duty certificate.
``post_stability`` (R12)
    The share of the period spent in a post of the target's roles (a site: with a manager in post);
    the note gives the months.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Activity,
    ActivityTutor,
    Attendance,
    Certificate,
    Enrolment,
    FaultTicket,
    OrgUnit,
    Post,
    TrainingPlan,
    TrainingSession,
)
from .certificate_status import current_status

INDICATORS: dict[str, str] = {
    "training_hours": "培训学时",
    "assessment_passed": "培训考核合格",
    "activity_count": "开展/辅导活动次数",
    "fault_response": "故障响应时间",
    "certificate_valid": "持有效证书",
    "post_stability": "在岗稳定性",
}

#: Training hours in a year that earn full marks (R8).
FULL_TRAINING_HOURS = 24.0
#: Activities in a year that earn full marks: one a month (R13).
FULL_ACTIVITIES = 12
#: Mean response time (hours) with full marks, and the time at which the marks reach 0 (R9).
RESPONSE_FULL_HOURS = 24.0
RESPONSE_ZERO_HOURS = 168.0

#: The post roles that each evaluation target covers (R2–R5, R14).
TARGET_ROLES: dict[str, frozenset[str]] = {
    "site_manager": frozenset({"village_manager", "enterprise_manager"}),
    "township_manager": frozenset({"township_manager"}),
    "tutor": codes.TUTOR_ROLES,
    "technician": frozenset({"technician"}),
    "site": frozenset(),
}

#: The certificate each target works with (R11).
TARGET_CERTIFICATE: dict[str, str] = {
    "site_manager": "on_duty",
    "township_manager": "on_duty",
    "tutor": "appointment",
    "technician": "appointment",
    "site": "on_duty",
}


@dataclass(frozen=True)
class Span:
    """A stretch of the period in one post: at *unit_id* from *start* to *end* (both included)."""

    unit_id: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Subject:
    """What an indicator is computed for: a person (with the spans of their posts of the target's roles)
    or a site (``person_id`` None, ``site_id`` set)."""

    evaluation_id: str
    target: str
    person_id: str | None
    site_id: str | None
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Reading:
    """One indicator for one subject: the share of the maximum points earned and where it comes from."""

    share: float
    note: str


def _clip(share: float) -> float:
    return max(0.0, min(1.0, share))


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def period_of(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period of *year* as the indicators read it: 1 January to 31 December, or to *today*."""
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)


def post_spans(session: Session, year: int, today: dt.date, roles: Iterable[str],
               person_ids: Iterable[str] | None = None) -> dict[str, list[tuple[str, Span]]]:
    """person id → (role, span) of every post of *roles* overlapping the period, clipped to it."""
    first, last = period_of(year, today)
    wanted = set(person_ids) if person_ids is not None else None
    out: dict[str, list[tuple[str, Span]]] = defaultdict(list)
    for pid, unit_id, role, start, end in session.connection().execute(
            select(Post.person_id, Post.unit_id, Post.role, Post.start_date, Post.end_date)
            .where(Post.deleted.is_(False), Post.role.in_(sorted(set(roles))), Post.start_date <= last,
                   (Post.end_date.is_(None)) | (Post.end_date >= first))
            .order_by(Post.start_date)).tuples().all():
        if wanted is not None and pid not in wanted:
            continue
        out[pid].append((role, Span(unit_id, max(start, first), min(end or last, last))))
    return out


class _Year:
    """The year's data for the indicators, read once in bulk and kept in memory."""

    def __init__(self, session: Session, year: int, today: dt.date,
                 spans: Mapping[str, list[tuple[str, Span]]] | None = None) -> None:
        self.session = session
        self._spans = spans
        self.year = year
        self.first, self.last = period_of(year, today)
        self.days = (self.last - self.first).days + 1
        self.last_text = f"{self.last:%Y-%m-%d}"  #: formatted once: 7,500 strftime calls showed in profiles
        self.end_of_period = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time())
        self._cache: dict[str, object] = {}
        units = session.connection().execute(select(OrgUnit.id, OrgUnit.kind, OrgUnit.parent_id, OrgUnit.active)
                                .where(OrgUnit.deleted.is_(False))).tuples().all()
        self.kind = {uid: kind for uid, kind, _p, _a in units}
        self.sites_of_township: dict[str, list[str]] = defaultdict(list)
        for uid, kind, parent, active in units:
            if kind in codes.SITE_KINDS and active and parent is not None:
                self.sites_of_township[parent].append(uid)

    # --- training (R8) ---------------------------------------------------------------------------

    def hours(self) -> dict[str, float]:
        if "hours" not in self._cache:
            hours: dict[str, float] = defaultdict(float)
            for pid, h in self.session.connection().execute(
                    select(Attendance.person_id, Attendance.hours)
                    .join(TrainingSession, TrainingSession.id == Attendance.session_id)
                    .join(TrainingPlan, TrainingPlan.id == TrainingSession.plan_id)
                    .where(TrainingPlan.year == self.year, TrainingPlan.deleted.is_(False),
                           TrainingSession.deleted.is_(False), Attendance.deleted.is_(False),
                           Attendance.present.is_(True))).tuples().all():
                hours[pid] += float(h or 0.0)
            for pid, h in self.session.connection().execute(
                    select(Enrolment.person_id, Enrolment.self_study_hours)
                    .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
                    .where(TrainingPlan.year == self.year, TrainingPlan.deleted.is_(False),
                           Enrolment.deleted.is_(False), Enrolment.self_study_hours > 0)).tuples().all():
                hours[pid] += float(h or 0.0)
            self._cache["hours"] = hours
        return self._cache["hours"]  # type: ignore[return-value]

    def assessments(self) -> dict[str, tuple[int, int]]:
        """person id → (trainings passed, trainings with a result) in the year."""
        if "assessments" not in self._cache:
            out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for pid, passed, score, mark in self.session.connection().execute(
                    select(Enrolment.person_id, Enrolment.passed, Enrolment.score, TrainingPlan.pass_mark)
                    .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
                    .where(TrainingPlan.year == self.year, TrainingPlan.deleted.is_(False),
                           Enrolment.deleted.is_(False))).tuples().all():
                if passed is None and score is None:
                    continue
                ok = bool(passed) if passed is not None else float(score) >= float(mark or 60.0)
                out[pid][0] += int(ok)
                out[pid][1] += 1
            self._cache["assessments"] = {pid: (p, n) for pid, (p, n) in out.items()}
        return self._cache["assessments"]  # type: ignore[return-value]

    # --- activities (R13) ------------------------------------------------------------------------

    def activity_dates(self) -> dict[str, list[dt.date]]:
        """site id → sorted dates of its activities in the period."""
        if "activity_dates" not in self._cache:
            dates: dict[str, list[dt.date]] = defaultdict(list)
            for site, day in self.session.connection().execute(
                    select(Activity.site_id, Activity.date)
                    .where(Activity.deleted.is_(False), Activity.date >= self.first, Activity.date <= self.last)
                    .order_by(Activity.date)).tuples().all():
                dates[site].append(day)
            self._cache["activity_dates"] = dates
        return self._cache["activity_dates"]  # type: ignore[return-value]

    def tutor_activities(self) -> dict[str, int]:
        if "tutor_activities" not in self._cache:
            counts: dict[str, int] = defaultdict(int)
            for (pid,) in self.session.connection().execute(
                    select(ActivityTutor.person_id)
                    .join(Activity, Activity.id == ActivityTutor.activity_id)
                    .where(ActivityTutor.deleted.is_(False), Activity.deleted.is_(False),
                           Activity.date >= self.first, Activity.date <= self.last)).tuples().all():
                counts[pid] += 1
            self._cache["tutor_activities"] = counts
        return self._cache["tutor_activities"]  # type: ignore[return-value]

    # --- faults (R9) -----------------------------------------------------------------------------

    def tickets(self) -> list[tuple[str, str | None, dt.datetime, float]]:
        """(site id, technician id, reported at, response hours) of the tickets reported in the period."""
        if "tickets" not in self._cache:
            start = dt.datetime.combine(self.first, dt.time())
            out = []
            for site, tech, reported, assigned, resolved in self.session.connection().execute(
                    select(FaultTicket.site_id, FaultTicket.technician_id, FaultTicket.reported_at,
                           FaultTicket.assigned_at, FaultTicket.resolved_at)
                    .where(FaultTicket.deleted.is_(False), FaultTicket.reported_at >= start,
                           FaultTicket.reported_at < self.end_of_period)
                    .order_by(FaultTicket.reported_at)).tuples().all():
                until = assigned or resolved or self.end_of_period
                out.append((site, tech, reported, max(0.0, (until - reported).total_seconds() / 3600)))
            self._cache["tickets"] = out
        return self._cache["tickets"]  # type: ignore[return-value]

    def tickets_by_site(self) -> dict[str, list[tuple[dt.date, float]]]:
        if "tickets_by_site" not in self._cache:
            by_site: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
            for site, _tech, reported, hours in self.tickets():
                by_site[site].append((reported.date(), hours))
            self._cache["tickets_by_site"] = by_site
        return self._cache["tickets_by_site"]  # type: ignore[return-value]

    def tickets_by_technician(self) -> dict[str, list[float]]:
        if "tickets_by_technician" not in self._cache:
            by_tech: dict[str, list[float]] = defaultdict(list)
            for _site, tech, _reported, hours in self.tickets():
                if tech is not None:
                    by_tech[tech].append(hours)
            self._cache["tickets_by_technician"] = by_tech
        return self._cache["tickets_by_technician"]  # type: ignore[return-value]

    # --- certificates (R11) and managers of a site (R12) -----------------------------------------

    def certificates(self) -> set[tuple[str, str]]:
        """(person id, kind) of the certificates valid on the reference day."""
        if "certificates" not in self._cache:
            held: set[tuple[str, str]] = set()
            for pid, kind, status, until in self.session.connection().execute(
                    select(Certificate.person_id, Certificate.kind, Certificate.status, Certificate.valid_until)
                    .where(Certificate.deleted.is_(False), Certificate.status == "valid",
                           Certificate.issue_date <= self.last)).tuples().all():
                # The rule of certificate_status, read from plain columns: loading 5,000 ORM rows cost 1 s.
                view = cast(Certificate, SimpleNamespace(status=status, valid_until=until))
                if current_status(view, self.last) == "valid":
                    held.add((pid, kind))
            self._cache["certificates"] = held
        return self._cache["certificates"]  # type: ignore[return-value]

    def site_managers(self) -> dict[str, list[tuple[str, Span]]]:
        """site id → (person id, span) of the manager posts there in the period."""
        if "site_managers" not in self._cache:
            out: dict[str, list[tuple[str, Span]]] = defaultdict(list)
            spans = self._spans
            if spans is None:
                spans = post_spans(self.session, self.year, self.last, codes.MANAGER_ROLES)
            for pid, held in spans.items():
                for role, span in held:
                    if role in codes.MANAGER_ROLES:
                        out[span.unit_id].append((pid, span))
            self._cache["site_managers"] = out
        return self._cache["site_managers"]  # type: ignore[return-value]


_CERTIFICATE_LABEL = {kind: codes.label(codes.CERTIFICATE_KIND, kind) for kind in set(TARGET_CERTIFICATE.values())}


def _count_between(dates: list[dt.date], start: dt.date, end: dt.date) -> int:
    return bisect_right(dates, end) - bisect_left(dates, start)


def _covered_days(spans: Iterable[Span]) -> int:
    """Days covered by the union of *spans*."""
    total = 0
    cur_start: dt.date | None = None
    cur_end: dt.date | None = None
    for span in sorted(spans, key=lambda s: s.start):
        if cur_end is None or span.start > cur_end + dt.timedelta(days=1):
            if cur_start is not None and cur_end is not None:
                total += (cur_end - cur_start).days + 1
            cur_start, cur_end = span.start, span.end
        elif span.end > cur_end:
            cur_end = span.end
    if cur_start is not None and cur_end is not None:
        total += (cur_end - cur_start).days + 1
    return total


def response_share(mean_hours: float) -> float:
    """Full marks at ≤ 24 h, sliding linearly to 0 at 168 h (R9)."""
    if mean_hours <= RESPONSE_FULL_HOURS:
        return 1.0
    return _clip((RESPONSE_ZERO_HOURS - mean_hours) / (RESPONSE_ZERO_HOURS - RESPONSE_FULL_HOURS))


class _Reader:
    def __init__(self, data: _Year) -> None:
        self.d = data

    def training_hours(self, s: Subject) -> Reading:
        if s.person_id is None:
            return Reading(0.0, "站点无培训学时")
        hours = self.d.hours().get(s.person_id, 0.0)
        return Reading(_clip(hours / FULL_TRAINING_HOURS),
                       f"培训 {_fmt(hours)} 学时（满分 {_fmt(FULL_TRAINING_HOURS)} 学时）")

    def assessment_passed(self, s: Subject) -> Reading:
        passed, assessed = self.d.assessments().get(s.person_id or "", (0, 0))
        if not assessed:
            return Reading(0.0, "本年度无培训考核成绩")
        return Reading(passed / assessed, f"考核 {assessed} 次，合格 {passed} 次")

    def activity_count(self, s: Subject) -> Reading:
        dates = self.d.activity_dates()
        if s.target == "site":
            count: float = len(dates.get(s.site_id or "", ()))
            note = f"站点开展活动 {count:g} 次"
        elif s.target in ("tutor", "technician"):
            count = self.d.tutor_activities().get(s.person_id or "", 0)
            note = f"辅导活动 {count:g} 次"
        else:
            count = 0.0
            for span in s.spans:
                kind = self.d.kind.get(span.unit_id)
                if kind == "township":
                    sites = self.d.sites_of_township.get(span.unit_id, [])
                    if sites:
                        count += sum(_count_between(dates.get(site, []), span.start, span.end)
                                     for site in sites) / len(sites)
                else:
                    count += _count_between(dates.get(span.unit_id, []), span.start, span.end)
            count = round(count, 1)
            note = (f"所辖站点平均开展活动 {_fmt(count)} 次" if s.target == "township_manager"
                    else f"站点开展活动 {_fmt(count)} 次")
        return Reading(_clip(count / FULL_ACTIVITIES), f"{note}（满分 {FULL_ACTIVITIES} 次）")

    def fault_response(self, s: Subject) -> Reading:
        if s.target == "site":
            hours = [h for _day, h in self.d.tickets_by_site().get(s.site_id or "", [])]
        elif s.target in ("tutor", "technician"):
            hours = list(self.d.tickets_by_technician().get(s.person_id or "", []))
        else:
            by_site = self.d.tickets_by_site()
            hours = []
            for span in s.spans:
                sites = (self.d.sites_of_township.get(span.unit_id, []) + [span.unit_id]
                         if self.d.kind.get(span.unit_id) == "township" else [span.unit_id])
                for site in sites:
                    hours += [h for day, h in by_site.get(site, []) if span.start <= day <= span.end]
        if not hours:
            return Reading(1.0, "无故障报修")
        mean = sum(hours) / len(hours)
        return Reading(response_share(mean), f"故障 {len(hours)} 起，平均响应 {_fmt(mean)} 小时")

    def certificate_valid(self, s: Subject) -> Reading:
        kind = TARGET_CERTIFICATE[s.target]
        label = _CERTIFICATE_LABEL[kind]
        held = self.d.certificates()
        if s.target == "site":
            managers = {pid for pid, span in self.d.site_managers().get(s.site_id or "", [])
                        if span.end == self.d.last}
            if not managers:
                return Reading(0.0, f"{self.d.last_text} 无在岗管理员")
            ok = sum((pid, kind) in held for pid in managers)
            return Reading(ok / len(managers), f"在岗管理员 {len(managers)} 人，{ok} 人持有效{label}")
        if (s.person_id, kind) in held:
            return Reading(1.0, f"{self.d.last_text} 持有效{label}")
        return Reading(0.0, f"{self.d.last_text} 未持有效{label}")

    def post_stability(self, s: Subject) -> Reading:
        if s.target == "site":
            spans: Iterable[Span] = [span for _pid, span in self.d.site_managers().get(s.site_id or "", [])]
        else:
            spans = s.spans
        days = _covered_days(spans)
        share = days / self.d.days
        months = round(share * (self.d.days / 365.25 * 12), 1)
        who = "有管理员在岗" if s.target == "site" else "在岗"
        return Reading(_clip(share), f"{who} {_fmt(months)} 个月")


class IndicatorReader:
    """Reads the indicators of one year for many subjects; every table is read once, on first use."""

    def __init__(self, session: Session, year: int, today: dt.date,
                 spans: Mapping[str, list[tuple[str, Span]]] | None = None) -> None:
        """*spans*: the result of :func:`post_spans` for the year with at least the manager roles and
        every person, when the caller has it already (else read here)."""
        self._reader = _Reader(_Year(session, year, today, spans))

    def read(self, subject: Subject, code: str) -> Reading | None:
        """The reading of indicator *code* for *subject*; None for an unknown code."""
        if code not in INDICATORS:
            return None
        return getattr(self._reader, code)(subject)  # type: ignore[no-any-return]

    def reader_of(self, code: str) -> Callable[[Subject], Reading] | None:
        """The function reading indicator *code* (None for an unknown code), to call for many subjects
        without looking it up each time."""
        if code not in INDICATORS:
            return None
        return getattr(self._reader, code)  # type: ignore[no-any-return]


def read_indicators(session: Session, year: int, today: dt.date, subjects: Iterable[Subject],
                    wanted: Mapping[str, Iterable[str]]) -> dict[tuple[str, str], Reading]:
    """(evaluation id, indicator) → reading, for each subject and each indicator its target's rubric uses
    (*wanted*: target → indicator codes). Unknown indicator codes are skipped."""
    reader = IndicatorReader(session, year, today)
    out: dict[tuple[str, str], Reading] = {}
    for subject in subjects:
        for code in wanted.get(subject.target, ()):
            reading = reader.read(subject, code)
            if reading is not None:
                out[(subject.evaluation_id, code)] = reading
    return out
