"""证书登记表 (R11): every certificate of the scope — number, kind, holder, unit, issue date, term, today's
status — as the register (:func:`.certificate_register.register`) lists it, oldest first; with a year, the
certificates issued that year. Totals by status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy.orm import Session

from .. import codes
from .certificate_register import RegisterFilter, register
from .report_model import REPORTS, ReportTable, office_name, params_line, scope

HEADERS = ("序号", "证书编号", "证书类别", "姓名", "单位", "岗位", "发证日期", "有效期至", "状态", "备注")
WIDTHS = (2.5, 6.5, 4.0, 3.5, 9.0, 6.0, 4.5, 4.5, 3.0, 7.0)


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    sc = scope(session, unit_id)
    found = register(session, RegisterFilter(unit_id=unit_id, year=year), today=today)
    found.sort(key=lambda r: (r.issue_date, r.number))
    rows: list[tuple[object, ...]] = []
    for n, r in enumerate(found, start=1):
        note = r.status_reason
        if r.replaces_number:
            note = "；".join(x for x in (note, f"换发自 {r.replaces_number}") if x)
        rows.append((n, r.number, r.kind_label, r.name, r.unit, r.post, r.issue_date, r.valid_until or "长期",
                     r.status_label, note))
    by_status = Counter(r.status for r in found)
    summary = "，".join(f"{label} {by_status[code]} 本" for code, label in codes.CERTIFICATE_STATUS.items()
                       if by_status[code])
    by_kind = Counter(r.kind for r in found)
    kinds = "，".join(f"{label} {by_kind[code]} 本" for code, label in codes.CERTIFICATE_KIND.items() if by_kind[code])
    totals = ("合计", f"{len(found)} 本", kinds, "", "", "", "", "", summary, "")
    issued = f"发证年度：{year}年；" if year is not None else ""
    return ReportTable(
        key="certificates", title=REPORTS["certificates"].title, office_name=office_name(session),
        prepared_by=prepared_by, made_on=today,
        params=issued + params_line(scope_name=sc.name, extra=f"状态截至：{today.isoformat()}"),
        headers=HEADERS, rows=tuple(rows), totals=totals, widths=WIDTHS,
        notes=("状态按制表日计算：有效期已过的证书列为“已过期”（R11）。",), landscape=True)
