"""设备故障处理情况统计表 by technician for a year (R9): tickets reported that year and assigned to each
technician — resolved, mean response (reported → assigned) and repair (assigned → resolved) hours,
downtime (unresolved tickets counted to the end of the report day) — from :func:`.faults.statistics`,
so the report and the faults page never disagree. Tickets nobody was assigned count in the total only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from . import faults
from .report_model import REPORTS, ReportTable, office_name, params_line, scope

HEADERS = ("序号", "技术服务员", "所在乡镇", "受理工单", "已解决", "未解决", "平均响应（小时）",
           "平均修复（小时）", "停机时长（小时）")
WIDTHS = (2.5, 4.5, 4.5, 3.0, 3.0, 3.0, 3.5, 3.5, 3.5)


def _h(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _now(today: dt.date) -> dt.datetime:
    """Downtime of unresolved tickets runs to now on the real today, else to the end of the report day."""
    if today == dt.date.today():
        return dt.datetime.now()
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time())


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    assert year is not None
    sc = scope(session, unit_id)
    stats = faults.year_statistics(session, year, unit_id=unit_id, now=_now(today))
    place = {n.name: sc.tree.order.get(n.id, 0) for n in sc.tree.by_id.values() if n.kind in ("county", "township")}
    rows: list[tuple[object, ...]] = []
    in_order = sorted(stats.by_technician, key=lambda f: (place.get(f.unit, 10**9), f.unit, f.name, f.key))
    for n, f in enumerate(in_order, start=1):
        rows.append((n, f.name, f.unit, f.tickets, f.resolved, f.open, _h(f.mean_response_hours),
                     _h(f.mean_repair_hours), _h(f.downtime_hours)))
    t = stats.total
    assigned = sum(f.tickets for f in stats.by_technician)
    notes = [f"统计{year}年内报修的故障工单；响应 = 报修到派单，修复 = 派单到解决；未解决工单的停机时长计至制表日（R9）。"]
    if t.tickets > assigned:
        notes.append(f"另有 {t.tickets - assigned} 张工单尚未派给技术服务员，只计入合计。")
    totals = ("合计", f"{len(stats.by_technician)} 人", "", t.tickets, t.resolved, t.open,
              _h(t.mean_response_hours), _h(t.mean_repair_hours), _h(t.downtime_hours))
    return ReportTable(
        key="faults", title=REPORTS["faults"].title, office_name=office_name(session), prepared_by=prepared_by,
        made_on=today, params=params_line(year=year, scope_name=sc.name), headers=HEADERS, rows=tuple(rows),
        totals=totals, widths=WIDTHS, notes=tuple(notes), landscape=False)
