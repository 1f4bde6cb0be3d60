"""The certificate register (R11): search, detail with its print log and trail, revoke, reissue
(补发 / 换发), renew appointment terms, expire, and the Excel export.

A number is never reused: a reissue or a renewal gets a new number, the old certificate stays in the
register as "replaced" with the reason and the new one points back to it (``replaces_id``). Every
change goes through the ORM, so it is stamped for sync and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Certificate, CertificatePrint, Person, Post, new_uuid
from ..errors import ValidationError
from ..sync.safe_write import save_with
from . import certificate_settings
from .certificate_eligibility import APPOINTMENT_ROLES, Units, best_pre_job, pre_job_results
from .certificate_issue import Freezer, ValueSource, check_values, county_code, photo_of, term_end
from .certificate_numbers import next_number
from .certificate_status import current_status
from .progress import Progress

REISSUE_MODES = {"lost": "补发", "exchange": "换发"}
RENEW_REASON = "续聘"
EXPIRED_REASON = "聘期届满"


@dataclass(frozen=True)
class RegisterRow:
    id: str
    number: str
    kind: str
    kind_label: str
    person_id: str
    name: str
    unit: str  #: as printed on the certificate
    post: str
    issue_date: dt.date
    term_start: dt.date | None
    valid_until: dt.date | None
    status: str  #: today's status: a valid certificate past its term is "expired"
    status_label: str
    status_reason: str
    replaces_number: str | None
    replaced_by_number: str | None
    prints: int


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""  #: number, name, pinyin initials or unit (part of any)
    kind: str | None = None
    status: str | None = None
    year: int | None = None  #: issue year
    unit_id: str | None = None  #: the certificate's post at this unit or below


@dataclass(frozen=True)
class PrintRecord:
    printed_at: dt.datetime
    account: str
    target: str
    pdf_sha256: str


@dataclass(frozen=True)
class CertificateDetail:
    row: RegisterRow
    values: dict[str, str]
    code: str
    pdf_sha256: str
    prints: tuple[PrintRecord, ...]
    trail: tuple[RegisterRow, ...]  #: every certificate of the chain, oldest first (this one included)


def snapshot_values(snapshot_json: str | None) -> dict[str, str]:
    """The printed values of a snapshot (the demo's first format kept its values at the top)."""
    if not snapshot_json:
        return {}
    data = json.loads(snapshot_json)
    values = data.get("values", data) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


# --- the list ---------------------------------------------------------------------------------------

def _rows(session: Session, certs: list[Certificate], today: dt.date) -> list[RegisterRow]:
    ids = [c.id for c in certs]
    people: dict[str, tuple[str, str]] = {}
    person_ids = sorted({c.person_id for c in certs})
    for start in range(0, len(person_ids), 2000):
        for pid, name, initials in session.execute(select(Person.id, Person.name, Person.name_initials).where(
                Person.id.in_(person_ids[start:start + 2000]))).tuples():
            people[pid] = (name, initials or "")
    prints: dict[str, int] = {}
    for start in range(0, len(ids), 2000):
        prints.update(session.execute(
            select(CertificatePrint.certificate_id, func.count())
            .where(CertificatePrint.certificate_id.in_(ids[start:start + 2000]))
            .group_by(CertificatePrint.certificate_id)).tuples().all())
    numbers = dict(session.execute(select(Certificate.id, Certificate.number)).tuples().all())
    replaced_by = dict(session.execute(
        select(Certificate.replaces_id, Certificate.number)
        .where(Certificate.replaces_id.is_not(None), Certificate.deleted.is_(False))).tuples().all())
    out = []
    for c in certs:
        values = snapshot_values(c.snapshot_json)
        status = current_status(c, today)
        reason = c.status_reason or (EXPIRED_REASON if status == "expired" else "")
        out.append(RegisterRow(
            id=c.id, number=c.number, kind=c.kind, kind_label=codes.label(codes.CERTIFICATE_KIND, c.kind),
            person_id=c.person_id, name=values.get("name") or people.get(c.person_id, ("", ""))[0],
            unit=values.get("unit", ""), post=values.get("post", ""), issue_date=c.issue_date,
            term_start=c.term_start, valid_until=c.valid_until, status=status,
            status_label=codes.label(codes.CERTIFICATE_STATUS, status), status_reason=reason,
            replaces_number=numbers.get(c.replaces_id) if c.replaces_id else None,
            replaced_by_number=replaced_by.get(c.id), prints=prints.get(c.id, 0)))
    return out


def register(session: Session, flt: RegisterFilter = RegisterFilter(), *,
             today: dt.date | None = None) -> list[RegisterRow]:
    """The register, newest first (issue date, then number), filtered by *flt*."""
    today = today or dt.date.today()
    stmt = select(Certificate).where(Certificate.deleted.is_(False))
    if flt.kind:
        stmt = stmt.where(Certificate.kind == codes.require_code(codes.CERTIFICATE_KIND, flt.kind, field="证书类别"))
    if flt.status:
        codes.require_code(codes.CERTIFICATE_STATUS, flt.status, field="证书状态")
    if flt.year:
        stmt = stmt.where(Certificate.issue_date >= dt.date(flt.year, 1, 1),
                          Certificate.issue_date <= dt.date(flt.year, 12, 31))
    if flt.unit_id:
        scope = Units(session).subtree(flt.unit_id)
        post_units = dict(session.execute(select(Post.id, Post.unit_id)).tuples().all())
    certs = list(session.scalars(stmt.order_by(Certificate.issue_date.desc(), Certificate.number.desc())))
    if flt.unit_id:
        certs = [c for c in certs if post_units.get(c.post_id or "") in scope]
    rows = _rows(session, certs, today)
    if flt.status:
        rows = [r for r in rows if r.status == flt.status]
    text = flt.text.strip()
    if text:
        initials = _initials(session, {r.person_id for r in rows})
        low = text.lower()
        rows = [r for r in rows if text in r.number or text in r.name or text in r.unit
                or low in initials.get(r.person_id, "")]
    return rows


def _initials(session: Session, person_ids: set[str]) -> dict[str, str]:
    ids = sorted(person_ids)
    out: dict[str, str] = {}
    for start in range(0, len(ids), 2000):
        for pid, initials in session.execute(select(Person.id, Person.name_initials).where(
                Person.id.in_(ids[start:start + 2000]))).tuples():
            out[pid] = (initials or "").lower()
    return out


def _get(session: Session, cert_id: str) -> Certificate:
    cert = session.get(Certificate, cert_id)
    if cert is None or cert.deleted:
        raise ValidationError("找不到该证书", field="证书")
    return cert


def find_by_number(session: Session, number: str) -> str:
    """The id of the certificate with *number*; ValidationError naming the number when there is none."""
    cert_id = session.scalar(select(Certificate.id).where(Certificate.number == number.strip(),
                                                          Certificate.deleted.is_(False)))
    if cert_id is None:
        raise ValidationError(f"登记簿中没有编号为 {number.strip()} 的证书", field="证书编号")
    return cert_id


def detail(session: Session, cert_id: str, *, today: dt.date | None = None) -> CertificateDetail:
    cert = _get(session, cert_id)
    chain = _chain(session, cert)
    rows = {r.id: r for r in _rows(session, chain, today or dt.date.today())}
    values = snapshot_values(cert.snapshot_json)
    prints = tuple(PrintRecord(p.printed_at, p.account, p.target, p.pdf_sha256) for p in session.scalars(
        select(CertificatePrint).where(CertificatePrint.certificate_id == cert.id)
        .order_by(CertificatePrint.printed_at, CertificatePrint.id)))
    return CertificateDetail(row=rows[cert.id], values=values, code=values.get("code", ""),
                             pdf_sha256=cert.pdf_sha256 or "", prints=prints,
                             trail=tuple(rows[c.id] for c in chain))


def _chain(session: Session, cert: Certificate) -> list[Certificate]:
    """Every certificate linked to *cert* by reissues and renewals, oldest first."""
    first = cert
    seen = {cert.id}
    while first.replaces_id and first.replaces_id not in seen:
        older = session.get(Certificate, first.replaces_id)
        if older is None:
            break
        seen.add(older.id)
        first = older
    chain = [first]
    newer_of: dict[str, list[Certificate]] = defaultdict(list)
    for c in session.scalars(select(Certificate).where(Certificate.replaces_id.is_not(None),
                                                       Certificate.deleted.is_(False))):
        newer_of[c.replaces_id or ""].append(c)
    todo = [first.id]
    done = {first.id}
    while todo:
        for c in newer_of.get(todo.pop(), []):
            if c.id not in done:
                done.add(c.id)
                chain.append(c)
                todo.append(c.id)
    chain.sort(key=lambda c: (c.issue_date, c.number))
    return chain


# --- changes ----------------------------------------------------------------------------------------

def _reason(reason: str | None, field: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError("必须填写原因", field=field, rule="R11")
    if len(text) > 150:
        raise ValidationError(f"最多 150 个字，实际 {len(text)} 个字", field=field)
    return text


def _require_in_force(cert: Certificate, what: str, today: dt.date, *, allow_expired: bool = False) -> None:
    status = current_status(cert, today)
    if status == "valid" or (allow_expired and status == "expired"):
        return
    label = codes.label(codes.CERTIFICATE_STATUS, status)
    why = f"（{cert.status_reason}）" if cert.status_reason else ""
    raise ValidationError(f"证书 {cert.number} 已是“{label}”状态{why}，不能{what}", field="证书状态", rule="R11")


def revoke(session: Session, cert_id: str, *, reason: str, on: dt.date | None = None) -> None:
    """Revoke a valid certificate (reason required); it stays in the register as 已吊销."""
    on = on or dt.date.today()
    text = _reason(reason, "吊销原因")
    cert = _get(session, cert_id)
    _require_in_force(cert, "吊销", on, allow_expired=True)
    cert.status, cert.status_reason, cert.status_changed_on = "revoked", text, on
    session.flush()


def _open_post_for(session: Session, cert: Certificate) -> Post:
    """The post a new certificate of *cert*'s kind rests on: the same post if still open, else the
    person's open post of that kind."""
    post = session.get(Post, cert.post_id) if cert.post_id else None
    if post is not None and post.end_date is None and not post.deleted:
        return post
    want = codes.MANAGER_ROLES if cert.kind == "on_duty" else APPOINTMENT_ROLES
    person = session.get(Person, cert.person_id)
    if person is not None and person.left_on is None:
        for candidate in session.scalars(select(Post).where(Post.person_id == cert.person_id, Post.end_date.is_(None),
                                                            Post.deleted.is_(False)).order_by(Post.start_date)):
            if candidate.role in want:
                return candidate
    name = person.name if person else ""
    raise ValidationError(f"{name}已无在岗岗位，不能再发{codes.CERTIFICATE_KIND[cert.kind]}", field="岗位", rule="R11")


def _successor(session: Session, old: Certificate, *, issue_date: dt.date, term_start: dt.date | None,
               valid_until: dt.date | None, status_reason: str) -> str:
    """Issue the certificate that replaces *old* (new number, fresh freeze) and mark *old* replaced."""
    post = _open_post_for(session, old)
    enrolment_id = old.enrolment_id
    if old.kind == "on_duty":  # the post may have changed: rest on the training for its role
        chosen = best_pre_job(pre_job_results(session, [old.person_id]).get(old.person_id, []), post.role)
        enrolment_id = chosen.enrolment_id if chosen else old.enrolment_id
    source = ValueSource(session, [old.person_id], [post.id], [enrolment_id])
    values = source.values(person_id=old.person_id, post_id=post.id, enrolment_id=enrolment_id, kind=old.kind,
                           issue_date=issue_date, term_start=term_start, valid_until=valid_until)
    check_values(values, values["name"])
    county = county_code(session)
    old.status, old.status_reason, old.status_changed_on = "replaced", status_reason, issue_date
    number = next_number(session, old.kind, issue_date.year, county=county,
                         pattern=certificate_settings.number_pattern(session))
    account = str(session.info.get("account") or "")[:50] or None
    new = Certificate(id=new_uuid(), kind=old.kind, number=number, person_id=old.person_id, post_id=post.id,
                      enrolment_id=enrolment_id, issue_date=issue_date, term_start=term_start,
                      valid_until=valid_until, status="valid", replaces_id=old.id, issued_by=account)
    Freezer(session).freeze(new, values, photo=photo_of(session, old.person_id))
    session.add(new)
    session.flush()
    return new.id


def reissue(session: Session, cert_id: str, *, mode: str, reason: str,
            issue_date: dt.date | None = None) -> str:
    """补发 (``lost``) or 换发 (``exchange``): a new certificate with a new number and today's data
    (an appointment keeps its term); the old one becomes 已换发 with the reason. Returns the new id."""
    if mode not in REISSUE_MODES:
        raise ValidationError(f"“{mode}”不是补发（lost）或换发（exchange）", field="补发/换发")
    issue_date = issue_date or dt.date.today()
    text = _reason(reason, f"{REISSUE_MODES[mode]}原因")
    old = _get(session, cert_id)
    _require_in_force(old, REISSUE_MODES[mode], issue_date)
    return _successor(session, old, issue_date=issue_date, term_start=old.term_start, valid_until=old.valid_until,
                      status_reason=f"{REISSUE_MODES[mode]}：{text}")


def renew(session: Session, cert_id: str, *, term_start: dt.date | None = None, term_years: int | None = None,
          issue_date: dt.date | None = None) -> str:
    """Renew an appointment (续聘) for the next term: a new certificate, the old one 已换发 (续聘)."""
    old = _get(session, cert_id)
    if old.kind != "appointment":
        raise ValidationError(f"证书 {old.number} 是上岗证书，只有聘任证书可以续聘", field="证书类别", rule="R11")
    issue_date = issue_date or dt.date.today()
    _require_in_force(old, RENEW_REASON, issue_date, allow_expired=True)
    years = term_years if term_years is not None else certificate_settings.term_years(session)
    if isinstance(years, bool) or not 1 <= years <= certificate_settings.MAX_TERM_YEARS:
        raise ValidationError(f"聘期应为 1 到 {certificate_settings.MAX_TERM_YEARS} 年，实际为 {years}", field="聘期")
    start = term_start or ((old.valid_until + dt.timedelta(days=1)) if old.valid_until else issue_date)
    if old.term_start is not None and start <= old.term_start:
        raise ValidationError(f"新聘期开始 {start.isoformat()} 不晚于原聘期开始", field="聘期开始", rule="R11")
    return _successor(session, old, issue_date=issue_date, term_start=start, valid_until=term_end(start, years),
                      status_reason=RENEW_REASON)


def expire_due(session: Session, today: dt.date | None = None) -> int:
    """Write down "expired" for every valid certificate whose term ended before *today*."""
    today = today or dt.date.today()
    due = list(session.scalars(select(Certificate).where(
        Certificate.deleted.is_(False), Certificate.status == "valid", Certificate.valid_until.is_not(None),
        Certificate.valid_until < today)))
    for cert in due:
        cert.status, cert.status_reason = "expired", EXPIRED_REASON
        cert.status_changed_on = (cert.valid_until or today) + dt.timedelta(days=1)
    session.flush()
    return len(due)


# --- export -----------------------------------------------------------------------------------------

_COLUMNS: tuple[tuple[str, int], ...] = (
    ("证书编号", 20), ("证书类别", 10), ("姓名", 10), ("工作单位", 26), ("岗位", 18), ("发证日期", 12),
    ("聘期开始", 12), ("有效期至", 12), ("状态", 8), ("状态说明", 24), ("原证书编号", 20), ("新证书编号", 20),
    ("打印次数", 8),
)


def export_register(session: Session, flt: RegisterFilter, path: str | Path,
                    *, today: dt.date | None = None) -> Generator[Progress, None, int]:
    """The filtered register as an .xlsx (header row, frozen, widths, real dates); returns rows written.
    The file is written beside *path* and renamed, so it is never left half-written."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError(f"文件“{target.name}”应以 .xlsx 结尾", field="导出文件")
    if not target.parent.is_dir():
        raise ValidationError(f"目录不存在：{target.parent}", field="导出文件")
    rows = register(session, flt, today=today)
    return _export_steps(rows, target)


def _export_steps(rows: list[RegisterRow], target: Path) -> Generator[Progress, None, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    total = len(rows)
    yield 0, total, "正在导出证书登记簿"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "证书登记簿"
    sheet.append([title for title, _w in _COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, (_title, width) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"
    for n, r in enumerate(rows, start=1):
        values: list[Any] = [r.number, r.kind_label, r.name, r.unit, r.post, r.issue_date, r.term_start,
                             r.valid_until, r.status_label, r.status_reason, r.replaces_number or "",
                             r.replaced_by_number or "", r.prints]
        sheet.append(values)
        for col in (6, 7, 8):
            sheet.cell(row=n + 1, column=col).number_format = "yyyy-mm-dd"
        if n % 500 == 0:
            yield n, total, f"已导出 {n}/{total} 行"
    try:
        save_with(target, book.save)
    except OSError as exc:
        raise ValidationError(f"无法写入“{target}”：文件可能正在 Excel 或 WPS 中打开，或目录不可写，请关闭后重试",
                              field="导出文件") from exc
    yield total, total, f"已导出 {total} 行"
    return total
