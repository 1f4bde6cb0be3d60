"""年度考评结果及表彰情况表 (R14): every evaluation of the year by target, in county rank order — rank,
name, unit, post, total, grade (in the round's wording), the unfit flag — then the awards of the year's
campaigns (and awards entered without a campaign that year). The evaluations come from
:func:`.evaluation_forms_data.load_batch`, the same bulk data as the forms and the Excel export, so
the three never disagree; a year without a round is refused there, in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import AwardCampaign, Post
from . import awards as awards_service
from .evaluation_forms_data import load_batch
from .report_model import ReportTable, office_name, params_line, scope

HEADERS = ("类别", "县排名", "乡镇排名", "姓名（站点）", "单位", "岗位", "总分", "等次", "备注")
WIDTHS = (5.0, 2.8, 2.8, 5.0, 8.0, 6.0, 3.0, 4.5, 6.0)
AWARD_PREFIX = "表彰："
UNFIT_NOTE = "不胜任，建议调整（R14）"


def _awards(session: Session, year: int, unit_ids: set[str] | None) -> list[awards_service.AwardRow]:
    years = dict(session.execute(select(AwardCampaign.id, AwardCampaign.year)).tuples().all())
    rows = [a for a in awards_service.awards(session)
            if (years.get(a.campaign_id) == year if a.campaign_id else a.awarded_on.year == year)]
    if unit_ids is None:
        return rows
    people = {pid for pid, uid in session.execute(select(Post.person_id, Post.unit_id).where(
        Post.deleted.is_(False))).tuples() if uid in unit_ids}
    return [a for a in rows if (a.site_id in unit_ids if a.site_id else a.person_id in people)]


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    assert year is not None
    sc = scope(session, unit_id)
    batch = load_batch(session, year, unit_id=unit_id)
    place = {r.id: n for n, r in enumerate(batch.records)}
    rows: list[tuple[object, ...]] = []
    notes: list[str] = []
    for target in batch.targets():
        records = sorted((r for r in batch.records if r.target == target),
                         key=lambda r: (r.rank_county is None, r.rank_county or 0, place[r.id]))
        label = codes.label(codes.EVALUATION_TARGET, target)
        for r in records:
            rows.append((label, r.rank_county, r.rank_township, r.name, r.unit, r.post,
                         None if r.total is None else round(r.total, 1), r.grade_label, UNFIT_NOTE if r.unfit else ""))
        grades = Counter(r.grade_label or "未评定" for r in records)
        notes.append(f"{label} {len(records)} " + ("个" if target == "site" else "人") + "："
                     + "，".join(f"{g} {n}" for g, n in grades.items()))
    won = _awards(session, year, sc.unit_ids)
    for a in won:
        rows.append((AWARD_PREFIX + a.award if a.award else "表彰", None, None, a.name, a.unit, a.post, None, a.title,
                     f"文号：{a.document_no}" if a.document_no else ""))
    unfit = sum(1 for r in batch.records if r.unfit)
    totals = ("合计", None, None, f"考评对象 {len(batch.records)} 个", "", f"表彰 {len(won)} 个", None, "",
              f"不胜任 {unfit} 个" if unfit else "")
    return ReportTable(
        key="evaluation", title=f"{year}年度考评结果及表彰情况表", office_name=office_name(session),
        prepared_by=prepared_by, made_on=today,
        params=params_line(year=year, scope_name=sc.name, extra=f"考评轮次：{batch.round_name}"), headers=HEADERS,
        rows=tuple(rows), totals=totals, widths=WIDTHS, notes=tuple(notes), landscape=True)
