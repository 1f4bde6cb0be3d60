"""工作人员花名册 by team (R2–R5, R10): the site managers, then the tutors, then the technicians, each in tree
order of their units; one row per person and team (several posts of a team joined with "；").

Phones are masked as the staff export masks them (138****5678); no ID numbers: the roster is sent upward
and filed (DOMAIN.md, "Personal data"). Three queries whatever the size of the county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Person, Post
from .certificate_eligibility import post_title
from .report_model import REPORTS, ReportTable, chunks, office_name, open_posts, params_line, scope
from .staff_query import mask_phone

TEAMS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("managers", "站点管理员", codes.MANAGER_ROLES),
    ("tutors", "教学辅导员", codes.TUTOR_ROLES),
    ("technicians", "技术服务员", frozenset({"technician"})),
)
HEADERS = ("队伍", "序号", "姓名", "性别", "出生年月", "学历", "政治面貌", "单位", "岗位", "任职时间", "联系电话")
WIDTHS = (4.5, 2.5, 4.0, 2.5, 4.0, 4.5, 4.5, 9.0, 7.0, 4.5, 5.0)
SEP = "；"


def year_month(day: dt.date | None) -> str:
    return f"{day.year}.{day.month:02d}" if day else ""


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    del year
    sc = scope(session, unit_id)
    tree = sc.tree
    posts = [p for p in open_posts(session, today) if sc.holds(p.unit_id)]
    people: dict[str, Person] = {}
    for ids in chunks(sorted({p.person_id for p in posts})):
        people.update((p.id, p) for p in session.scalars(select(Person).where(Person.id.in_(ids))))
    rows: list[tuple[object, ...]] = []
    counts: list[str] = []
    everyone: set[str] = set()
    for _key, team_label, roles in TEAMS:
        held: dict[str, list[Post]] = defaultdict(list)
        for p in posts:
            person = people.get(p.person_id)
            if p.role in roles and person is not None and not person.deleted and (
                    person.left_on is None or person.left_on > today):
                held[p.person_id].append(p)
        for ps in held.values():
            ps.sort(key=lambda p: (tree.order.get(p.unit_id, 0), p.slot or "", p.start_date))
        order = sorted(held, key=lambda pid: (tree.order.get(held[pid][0].unit_id, 0), held[pid][0].slot or "",
                                              people[pid].name, pid))
        for n, pid in enumerate(order, start=1):
            person, ps = people[pid], held[pid]
            rows.append((team_label, n, person.name, codes.label(codes.GENDER, person.gender),
                         year_month(person.birth_date), codes.label(codes.EDUCATION, person.education),
                         codes.label(codes.POLITICAL_STATUS, person.political_status),
                         SEP.join(dict.fromkeys(tree.site_title(p.unit_id) for p in ps)),
                         SEP.join(post_title(p.role, p.slot) + f"（{codes.label(codes.TENURE, p.tenure)}）" for p in ps),
                         SEP.join(year_month(p.start_date) for p in ps), mask_phone(person.phone)))
        counts.append(f"{team_label} {len(order)} 人")
        everyone.update(order)
    notes = ("按队伍分列；同一人在同一队伍担任多个岗位时合并为一行，在不同队伍任职时分别列出。",
             "联系电话已隐去中间四位（个人信息保护）。")
    totals = ("合计", len(everyone), "", "", "", "", "", "；".join(counts), "", "", "")
    return ReportTable(
        key="roster", title=REPORTS["roster"].title, office_name=office_name(session), prepared_by=prepared_by,
        made_on=today, params=params_line(scope_name=sc.name, extra=f"截至：{today.isoformat()}"), headers=HEADERS,
        rows=tuple(rows), totals=totals, widths=WIDTHS, notes=notes, landscape=True)
