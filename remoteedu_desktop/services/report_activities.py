"""活动开展情况统计表 for a year (R13): per township, per service channel — activities, participants
(人次), hours, and the sites that logged them — with a subtotal per township, then all townships per
channel, and the total. One query (grouped by site and channel) whatever the size of the county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Activity
from .report_model import REPORTS, ReportTable, office_name, params_line, scope

HEADERS = ("乡镇", "服务渠道", "活动次数", "参与人次", "活动时长（小时）", "开展站点数")
WIDTHS = (5.0, 5.0, 3.0, 3.0, 3.5, 3.0)
ALL_TOWNSHIPS = "全部乡镇"


@dataclass
class _Tally:
    count: int = 0
    participants: int = 0
    hours: float = 0.0
    sites: set[str] = field(default_factory=set)

    def add(self, count: int, participants: int, hours: float, site_id: str) -> None:
        self.count += count
        self.participants += participants
        self.hours += hours
        self.sites.add(site_id)

    def cells(self) -> tuple[object, ...]:
        return (self.count, self.participants, round(self.hours, 2), len(self.sites))


def _channel_order(code: str) -> tuple[int, str]:
    keys = list(codes.ACTIVITY_CHANNEL)
    return (keys.index(code) if code in keys else len(keys), code)


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    assert year is not None
    sc = scope(session, unit_id)
    tree = sc.tree
    per_town: dict[str, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    town_total: dict[str, _Tally] = defaultdict(_Tally)
    per_channel: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for site_id, channel, count, participants, hours in session.execute(
            select(Activity.site_id, Activity.channel, func.count(), func.sum(Activity.participants),
                   func.sum(Activity.hours))
            .where(Activity.deleted.is_(False), Activity.date >= dt.date(year, 1, 1),
                   Activity.date <= dt.date(year, 12, 31))
            .group_by(Activity.site_id, Activity.channel)).tuples():
        if not sc.holds(site_id):
            continue
        town = tree.township_of(site_id)
        town_id = town.id if town is not None else ""
        values = (int(count), int(participants or 0), float(hours or 0.0), site_id)
        for tally in (per_town[town_id][channel], town_total[town_id], per_channel[channel], total):
            tally.add(*values)
    rows: list[tuple[object, ...]] = []
    for town_id in sorted(per_town, key=lambda t: (tree.order.get(t, 10**9), t)):
        name = tree.by_id[town_id].name if town_id in tree.by_id else "（未归属乡镇）"
        for channel in sorted(per_town[town_id], key=_channel_order):
            rows.append((name, codes.label(codes.ACTIVITY_CHANNEL, channel), *per_town[town_id][channel].cells()))
        rows.append((name, "小计", *town_total[town_id].cells()))
    if len(per_town) > 1:
        for channel in sorted(per_channel, key=_channel_order):
            rows.append((ALL_TOWNSHIPS, codes.label(codes.ACTIVITY_CHANNEL, channel), *per_channel[channel].cells()))
    notes = ("按活动日期统计；只列出开展过活动的服务渠道（R13）。开展站点数为登记过该渠道活动的站点个数。",)
    return ReportTable(
        key="activities", title=REPORTS["activities"].title, office_name=office_name(session),
        prepared_by=prepared_by, made_on=today, params=params_line(year=year, scope_name=sc.name), headers=HEADERS,
        rows=tuple(rows), totals=("合计", "", *total.cells()), widths=WIDTHS, notes=notes, landscape=False)
