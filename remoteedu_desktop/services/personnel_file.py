"""The data of a person's printed archive (档案, R10): from :mod:`.person_views` and :mod:`.photos`.

The printed archive is the one place besides the editor that carries the full ID number and the phone:
it is the record the office files (DOMAIN.md, "Personal data": exported only where needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator

from sqlalchemy.orm import Session

from .. import codes
from ..printing.personnel_file import PersonnelFile, PostLine, cn_date, render_personnel_file
from .accounts import require_role
from .offices import office_info
from .person_views import PostRecord, person_detail, person_history
from .photos import get_photo
from .progress import Progress


def _number(value: float | None) -> str:
    return "" if value is None else f"{round(float(value), 2):g}"


def _post_text(p: PostRecord) -> str:
    """"龙潭镇杨家村 村站点管理员（A岗，兼职）"."""
    details = "，".join(x for x in (p.slot_label, p.tenure_label) if x)
    return f"{p.place} {p.role_label}" + (f"（{details}）" if details else "")


def post_line(p: PostRecord) -> PostLine:
    """One post as a ``YYYY.MM--YYYY.MM`` line (R10, R12: why it ended stays in the history)."""
    note = f"离任原因：{p.end_reason}" if p.end_date and p.end_reason else ""
    return PostLine(p.start_date, p.end_date, _post_text(p), note)


def personnel_file_data(session: Session, person_id: str, *, today: dt.date | None = None) -> PersonnelFile:
    """Everything the archive of *person_id* prints, oldest first in each part."""
    require_role(session, "office_head", "打印含完整身份证号码的人员档案")  # issue 10 item 5
    d = person_detail(session, person_id)
    h = person_history(session, person_id)
    current = "、".join(_post_text(p) for p in h.posts if p.is_open)
    left = f"{cn_date(d.left_on)} {d.left_reason or ''}".strip() if d.left_on else ""
    training = tuple((str(t.year), t.plan_title, t.kind_label, t.mode_label, _number(t.hours), _number(t.score),
                      "" if t.passed is None else ("合格" if t.passed else "不合格")) for t in h.training)
    certificates = tuple((c.number, c.kind_label, cn_date(c.issue_date), cn_date(c.valid_until) or "长期",
                          c.status_label + (f"（{c.status_reason}）" if c.status_reason and c.status != "valid"
                                            else "")) for c in h.certificates)
    evaluations = tuple((str(e.year), e.round_name, _number(e.total), e.grade_label, "建议调整" if e.unfit else "")
                        for e in h.evaluations)
    awards = tuple((cn_date(a.awarded_on), a.title, a.kind_label, a.document_no or "") for a in h.awards)
    return PersonnelFile(
        name=d.name, gender=codes.label(codes.GENDER, d.gender), birth_date=d.birth_date,
        ethnicity=codes.label(codes.ETHNICITY, d.ethnicity) if d.ethnicity else "",
        political_status=codes.label(codes.POLITICAL_STATUS, d.political_status) if d.political_status else "",
        education=codes.label(codes.EDUCATION, d.education) if d.education else "",
        id_number=d.id_number, phone=d.phone or "", employer=d.employer or "", job_title=d.job_title or "",
        source=codes.label(codes.SOURCE_CATEGORY, d.source_category) if d.source_category else "",
        current_posts=current, left=left, photo=get_photo(session, person_id),
        posts=tuple(post_line(p) for p in h.posts), training=training, certificates=certificates,
        evaluations=evaluations, awards=awards, office_name=office_info(session).name,
        printed_on=today or dt.date.today())


def personnel_file_pdf(session: Session, person_id: str, *, today: dt.date | None = None) -> bytes:
    return render_personnel_file(personnel_file_data(session, person_id, today=today))


def personnel_file_steps(session: Session, person_id: str, *,
                         today: dt.date | None = None) -> Generator[Progress, None, bytes]:
    """The same as a job for ``ui/worker.py``: gathering, then rendering."""
    yield 0, 2, "正在读取档案…"
    data = personnel_file_data(session, person_id, today=today)
    yield 1, 2, "正在生成 PDF…"
    pdf = render_personnel_file(data)
    yield 2, 2, "完成"
    return pdf


__all__ = ["personnel_file_data", "personnel_file_pdf", "personnel_file_steps", "post_line"]
