"""Issuing certificates (R11): preview, then number and freeze each one in the caller's transaction.

Freezing fixes what a certificate prints, for good: the filled-in values, the template's layout, the
photo and seal (by SHA-256 in ``certificate_asset``), the verification code, and the SHA-256 of the
rendered PDF. A reprint is rebuilt from that snapshot alone (``certificate_print.frozen_pdf``), so it
gives the same bytes after the person's record, photo, the seal or the template changed.

Everything is checked before the first number is taken (eligibility, every printed character in the
bundled fonts, the number pattern): a refusal takes no number, so the register keeps no gap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import asdict, dataclass

import reportlab
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Certificate, Enrolment, Person, PersonPhoto, Post, TrainingPlan, new_uuid
from ..errors import ValidationError
from ..printing import qr
from ..printing.certificate_render import CertificatePage, render_one
from ..printing.fonts import check_printable
from . import certificate_assets, certificate_codes, certificate_settings
from .certificate_eligibility import ROLE_GROUP_LABEL, Eligibility, Units, evaluate, post_title
from .certificate_layout import FIELDS, Layout, default_layout
from .certificate_numbers import format_number, next_number, peek_serial
from .offices import office_info
from .progress import Progress

SNAPSHOT_VERSION = 1
RENDERER = f"reportlab {reportlab.Version}"


@dataclass(frozen=True)
class IssueItem:
    person_id: str
    post_id: str | None
    enrolment_id: str | None
    kind: str
    name: str
    unit: str
    post: str
    issue_date: dt.date
    term_start: dt.date | None
    valid_until: dt.date | None
    number: str  #: what the number will be if nothing else is issued first (preview only)

    @property
    def kind_label(self) -> str:
        return codes.CERTIFICATE_KIND[self.kind]


# --- small formatting helpers -------------------------------------------------------------------

def date_text(day: dt.date | None) -> str:
    """"2026年11月29日" (no leading zeros, the way certificates are written)."""
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def month_text(day: dt.date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month}月"


def score_text(score: float | None) -> str:
    if score is None:
        return ""
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_end(term_start: dt.date, years: int) -> dt.date:
    """The last day of an appointment term of *years* starting on *term_start*."""
    return add_years(term_start, years) - dt.timedelta(days=1)


def county_code(session: Session) -> str:
    code = office_info(session).code
    if len(code) < 6:
        raise ValidationError("本机尚未设置为县或乡镇远程办，无法编号", field="单位代码", rule="R11")
    return code[:6]


# --- templates ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FrozenTemplate:
    layout: Layout
    template_id: str | None
    version: int


def template_for(session: Session, kind: str) -> FrozenTemplate:
    """The kind's default template (``certificate_templates``), or the built-in layout when that
    module is not there."""
    try:
        from . import certificate_templates
    except ImportError:  # pragma: no cover - the templates module arrives with the template editor
        return FrozenTemplate(default_layout(kind), None, 1)
    info = certificate_templates.default_template(session, kind)
    return FrozenTemplate(info.layout, info.id, info.version)


# --- the values a certificate prints ----------------------------------------------------------------

def check_values(values: dict[str, str], who: str) -> None:
    """Every printed value in the bundled fonts, or a refusal naming the person and the field."""
    for key, value in values.items():
        check_printable(value, f"{who}的{FIELDS.get(key, key)}")


class ValueSource:
    """Reads people, posts and trainings for many certificates at once and fills in their values."""

    def __init__(self, session: Session, person_ids: Sequence[str], post_ids: Sequence[str | None],
                 enrolment_ids: Sequence[str | None]) -> None:
        self.session = session
        self.units = Units(session)
        self.office = certificate_settings.issuer_name(session)
        ids = sorted(set(person_ids))
        self.people = {p.id: p for start in range(0, len(ids), 2000)
                       for p in session.scalars(select(Person).where(Person.id.in_(ids[start:start + 2000])))}
        pids = sorted({p for p in post_ids if p})
        self.posts = {p.id: p for start in range(0, len(pids), 2000)
                      for p in session.scalars(select(Post).where(Post.id.in_(pids[start:start + 2000])))}
        eids = sorted({e for e in enrolment_ids if e})
        self.trainings: dict[str, tuple[str, float | None]] = {}
        for start in range(0, len(eids), 2000):
            for eid, title, score in session.execute(
                    select(Enrolment.id, TrainingPlan.title, Enrolment.score)
                    .join(TrainingPlan, TrainingPlan.id == Enrolment.plan_id)
                    .where(Enrolment.id.in_(eids[start:start + 2000]))).tuples():
                self.trainings[eid] = (title, score)

    def values(self, *, person_id: str, post_id: str | None, enrolment_id: str | None, kind: str,
               issue_date: dt.date, term_start: dt.date | None, valid_until: dt.date | None) -> dict[str, str]:
        """Every placeholder but ``number`` and ``code`` (known once the number is taken)."""
        person = self.people.get(person_id)
        if person is None or person.deleted:
            raise ValidationError("找不到该人员", field="人员")
        post = self.posts.get(post_id or "")
        title, score = self.trainings.get(enrolment_id or "", ("", None))
        return {
            "name": person.name,
            "gender": codes.label(codes.GENDER, person.gender),
            "birth": month_text(person.birth_date),
            "unit": self.units.title(post.unit_id) if post else "",
            "area": self.units.area(post.unit_id) if post else "",
            "post": post_title(post.role, post.slot) if post else "",
            "role": ROLE_GROUP_LABEL.get(post.role, "") if post else "",
            "office": self.office,
            "kind_label": codes.CERTIFICATE_KIND[kind],
            "issue_date": date_text(issue_date),
            "term_start": date_text(term_start),
            "valid_until": date_text(valid_until),
            "training": title,
            "score": score_text(score),
        }


def photo_of(session: Session, person_id: str) -> bytes | None:
    row = session.scalar(select(PersonPhoto.image).where(PersonPhoto.person_id == person_id,
                                                         PersonPhoto.deleted.is_(False)))
    return bytes(row) if row is not None else None


# --- freezing --------------------------------------------------------------------------------------

class Freezer:
    """Signs, renders and snapshots certificates; caches the templates, the seal and stored images
    for a batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.templates: dict[str, FrozenTemplate] = {}
        self.layouts: dict[str, dict[str, object]] = {}  #: each template's layout as snapshot data, made once
        self.seal = certificate_settings.seal(session)
        self.stored: set[str] = set()

    def template(self, kind: str) -> FrozenTemplate:
        if kind not in self.templates:
            self.templates[kind] = template_for(self.session, kind)
            self.layouts[kind] = asdict(self.templates[kind].layout)
        return self.templates[kind]

    def _store(self, data: bytes | None) -> str | None:
        if not data:
            return None
        digest = certificate_assets.sha256(data)
        if digest not in self.stored:
            certificate_assets.store(self.session, data)
            self.stored.add(digest)
        return digest

    def freeze(self, cert: Certificate, values: dict[str, str], *, photo: bytes | None) -> dict[str, str]:
        """Complete *values* with the number and the signed code, render, and write the snapshot and
        the PDF's SHA-256 onto *cert* (whose number and dates are set). Returns the values."""
        template = self.template(cert.kind)
        values = dict(values, number=cert.number, kind_label=codes.CERTIFICATE_KIND[cert.kind])
        values["code"] = certificate_codes.make_code(self.session, number=cert.number, name=values["name"],
                                                     kind=cert.kind, issue_date=cert.issue_date)
        check_printable(values["number"], f"{values['name']}的证书编号")
        matrix = qr.encode(values["code"]).to_text()  # frozen too: a batch print never encodes again
        page = CertificatePage(template.layout, values, photo, self.seal, matrix)
        pdf = render_one(page)
        snapshot = {"v": SNAPSHOT_VERSION, "layout": self.layouts[cert.kind], "values": values,
                    "photo": self._store(photo), "seal": self._store(self.seal), "qr": matrix,
                    "template_version": template.version, "renderer": RENDERER}
        cert.template_id = template.template_id
        cert.snapshot_json = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        cert.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        return values


# --- preview and issue -----------------------------------------------------------------------------

def _term(kind: str, issue_date: dt.date, years: int) -> tuple[dt.date | None, dt.date | None]:
    if kind != "appointment":
        return None, None
    return issue_date, term_end(issue_date, years)


def preview_issue(session: Session, rows: Sequence[Eligibility], *, issue_date: dt.date | None = None,
                  term_years: int | None = None) -> list[IssueItem]:
    """What issuing to the eligible *rows* would give, numbers included; ineligible rows are left out.
    Nothing is written and no number is taken."""
    issue_date = issue_date or dt.date.today()
    years = term_years if term_years is not None else certificate_settings.term_years(session)
    if isinstance(years, bool) or not 1 <= years <= certificate_settings.MAX_TERM_YEARS:
        raise ValidationError(f"聘期应为 1 到 {certificate_settings.MAX_TERM_YEARS} 年，实际为 {years}",
                              field="聘期")
    pattern = certificate_settings.number_pattern(session)
    county = county_code(session) if rows else ""
    taken: dict[str, int] = {}
    items = []
    for row in rows:
        if not row.eligible:
            continue
        if row.kind not in taken:
            taken[row.kind] = peek_serial(session, row.kind, issue_date.year)
        taken[row.kind] += 1
        start, until = _term(row.kind, issue_date, years)
        items.append(IssueItem(
            person_id=row.person_id, post_id=row.post_id, enrolment_id=row.enrolment_id, kind=row.kind,
            name=row.name, unit=row.unit, post=row.post, issue_date=issue_date, term_start=start,
            valid_until=until,
            number=format_number(pattern, county=county, year=issue_date.year, kind=row.kind,
                                 serial=taken[row.kind])))
    return items


def _check_items(session: Session, items: Sequence[IssueItem]) -> None:
    seen: set[tuple[str, str]] = set()
    by_date: dict[dt.date, list[IssueItem]] = defaultdict(list)
    for item in items:
        if item.kind not in codes.CERTIFICATE_KIND:
            raise ValidationError(f"“{item.kind}”不是证书类别", field="证书类别")
        if (item.person_id, item.kind) in seen:
            raise ValidationError(f"{item.name}在本次发放中出现了两次（{item.kind_label}）", field="证书发放",
                                  rule="R11")
        seen.add((item.person_id, item.kind))
        if item.kind == "appointment" and (item.term_start is None or item.valid_until is None
                                           or item.valid_until < item.term_start):
            raise ValidationError(f"{item.name}的聘期不完整或结束早于开始", field="聘期", rule="R11")
        by_date[item.issue_date].append(item)
    for day, group in by_date.items():
        now = {(r.person_id, r.kind): r for r in evaluate(session, today=day, person_ids={i.person_id for i in group})}
        for item in group:
            row = now.get((item.person_id, item.kind))
            if row is None or not row.eligible:
                why = "、".join(row.reasons) if row else "无在岗岗位"
                raise ValidationError(f"{item.name}不能领取{item.kind_label}：{why}", field="证书发放", rule="R11")
            if row.post_id != item.post_id:
                raise ValidationError(f"{item.name}的岗位已变化，请重新预览", field="证书发放", rule="R11")


def issue(session: Session, items: Sequence[IssueItem]) -> Generator[Progress, None, list[str]]:
    """Number and freeze *items* in order; yields progress per certificate, returns the new ids.

    Checked at once, before the first ``next`` (eligibility now, every printed character, the
    number pattern): a refusal raises :class:`ValidationError` and takes no number.
    """
    items = list(items)
    _check_items(session, items)
    pattern = certificate_settings.number_pattern(session)
    county = county_code(session) if items else ""
    for item in items[:1]:
        check_printable(format_number(pattern, county=county, year=item.issue_date.year, kind=item.kind, serial=1),
                        "证书编号格式")
    source = ValueSource(session, [i.person_id for i in items], [i.post_id for i in items],
                         [i.enrolment_id for i in items])
    values = []
    for item in items:
        v = source.values(person_id=item.person_id, post_id=item.post_id, enrolment_id=item.enrolment_id,
                          kind=item.kind, issue_date=item.issue_date, term_start=item.term_start,
                          valid_until=item.valid_until)
        check_values(v, item.name)
        values.append(v)
    return _issue_steps(session, items, values, pattern, county)


def _issue_steps(session: Session, items: list[IssueItem], values: list[dict[str, str]], pattern: str,
                 county: str) -> Generator[Progress, None, list[str]]:
    freezer = Freezer(session)
    account = str(session.info.get("account") or "")[:50] or None
    ids: list[str] = []
    total = len(items)
    for n, (item, v) in enumerate(zip(items, values, strict=True)):
        yield n, total, f"正在发放 {item.name} 的{item.kind_label}（{n + 1}/{total}）"
        number = next_number(session, item.kind, item.issue_date.year, county=county, pattern=pattern)
        cert = Certificate(id=new_uuid(), kind=item.kind, number=number, person_id=item.person_id,
                           post_id=item.post_id, enrolment_id=item.enrolment_id, issue_date=item.issue_date,
                           term_start=item.term_start, valid_until=item.valid_until, status="valid",
                           issued_by=account)
        freezer.freeze(cert, v, photo=photo_of(session, item.person_id))
        session.add(cert)
        ids.append(cert.id)
    session.flush()
    yield total, total, f"已发放 {total} 本证书"
    return ids


def issue_all_eligible(session: Session, *, kind: str | None = None, unit_id: str | None = None,
                       issue_date: dt.date | None = None) -> Generator[Progress, None, list[str]]:
    """Issue to everyone eligible on *issue_date* (default today) in one step (R11)."""
    day = issue_date or dt.date.today()
    rows = [r for r in evaluate(session, kind=kind, unit_id=unit_id, today=day) if r.eligible]
    return issue(session, preview_issue(session, rows, issue_date=day))
