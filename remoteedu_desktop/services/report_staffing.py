"""站点人员配备情况表: every active site by township with its managers, the tutors and technicians serving it,
and the missing posts flagged (R2–R5); a subtotal per township and a total.

Missing posts: a village site needs post A and post B (R3); a township station at least 2 managers (R2;
township managers posted at the township itself count for its station, as :mod:`.checks` counts them);
an enterprise site at least one manager (R3). Five queries whatever the size of the county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Person, PostServedSite
from .report_model import REPORTS, ReportTable, chunks, office_name, open_posts, params_line, scope

HEADERS = ("乡镇", "站点", "类别", "A岗管理员", "B岗管理员", "服务的教学辅导员", "服务的技术服务员", "缺岗情况")
WIDTHS = (5.0, 7.0, 4.5, 5.0, 5.0, 8.0, 8.0, 7.0)
SEP = "、"


def missing_posts(kind: str, slots: dict[str, list[str]], managers: int) -> str:
    """The missing posts of a site, in Chinese ("" when complete)."""
    if kind == "village":
        lack = [f"缺{codes.SLOT[s]}" for s in ("A", "B") if not slots.get(s)]
        return "、".join(lack) + ("（R3）" if lack else "")
    if kind == "township_station" and managers < 2:
        return f"管理员不足2人（现有{managers}人，R2）"
    if kind == "enterprise" and managers < 1:
        return "无管理员（R3）"
    return ""


def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
          prepared_by: str) -> ReportTable:
    del year
    sc = scope(session, unit_id)
    tree = sc.tree
    sites = sorted((n for n in tree.by_id.values() if n.kind in codes.SITE_KINDS and n.active and sc.holds(n.id)),
                   key=lambda n: tree.order.get(n.id, 0))
    site_ids = {n.id for n in sites}
    posts = open_posts(session, today)
    names: dict[str, str] = {}
    person_ids = sorted({p.person_id for p in posts})
    for ids in chunks(person_ids):
        names.update(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).tuples().all())
    managers: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # site → slot → names
    by_post = {p.id: p for p in posts}
    # R2: township managers are posted at the township or at its station; both count for the station.
    station_of: dict[str, str] = {}
    for site in sites:
        if site.kind == "township_station" and site.parent_id:
            station_of.setdefault(site.parent_id, site.id)
    for p in sorted(posts, key=lambda p: (p.start_date, names.get(p.person_id, ""))):
        if p.role not in codes.MANAGER_ROLES:
            continue
        at = p.unit_id if p.unit_id in site_ids else station_of.get(p.unit_id) if p.role == "township_manager" else None
        if at is not None:
            managers[at][p.slot or ""].append(names.get(p.person_id, ""))
    tutors: dict[str, list[str]] = defaultdict(list)
    techs: dict[str, list[str]] = defaultdict(list)
    for post_id, site_id in session.execute(select(PostServedSite.post_id, PostServedSite.site_id).where(
            PostServedSite.deleted.is_(False))).tuples():
        post = by_post.get(post_id)
        if post is None or site_id not in site_ids:
            continue
        target = techs if post.role == "technician" else tutors if post.role in codes.TUTOR_ROLES else None
        if target is not None and names.get(post.person_id, "") not in target[site_id]:
            target[site_id].append(names.get(post.person_id, ""))

    rows: list[tuple[object, ...]] = []
    notes: list[str] = []
    grand = [0, 0, 0, 0, set(), set()]  # sites, A filled, B filled, sites lacking, tutors, technicians

    def subtotal(label: str, acc: list) -> tuple[object, ...]:
        return (label, f"站点 {acc[0]} 个", "", f"在岗 {acc[1]} 人", f"在岗 {acc[2]} 人", f"{len(acc[4])} 人",
                f"{len(acc[5])} 人", f"缺岗站点 {acc[3]} 个")

    current: str | None = None
    acc: list = [0, 0, 0, 0, set(), set()]
    for site in sites:
        township = tree.township_of(site.id)
        town_name = township.name if township is not None else ""
        if current is not None and town_name != current:
            rows.append(subtotal(f"{current} 小计", acc))
            acc = [0, 0, 0, 0, set(), set()]
        current = town_name
        slots = managers.get(site.id, {})
        count = sum(len(v) for v in slots.values())
        lack = missing_posts(site.kind, slots, count)
        if site.kind == "village":
            a_text, b_text = SEP.join(slots.get("A", [])), SEP.join(slots.get("B", []))
        else:  # township stations and enterprises: managers without a slot, all in the first column
            a_text, b_text = SEP.join(n for v in slots.values() for n in v), "—"
        site_tutors, site_techs = tutors.get(site.id, []), techs.get(site.id, [])
        rows.append((town_name, site.name, codes.label(codes.UNIT_KIND, site.kind), a_text, b_text,
                     SEP.join(site_tutors), SEP.join(site_techs), lack))
        for total in (acc, grand):
            total[0] += 1
            total[1] += 1 if site.kind == "village" and slots.get("A") else 0
            total[2] += 1 if site.kind == "village" and slots.get("B") else 0
            total[3] += 1 if lack else 0
            total[4].update(site_tutors)
            total[5].update(site_techs)
    if current is not None:
        rows.append(subtotal(f"{current} 小计", acc))
    notes.append("A岗、B岗在岗人数只计行政村站点（R3）；乡镇站点和非公企业站点的管理员列在“A岗管理员”栏。")
    notes.append("缺岗：行政村站点缺A岗或B岗（R3），乡镇站点管理员不足2人（R2），非公企业站点无管理员。")
    return ReportTable(
        key="staffing", title=REPORTS["staffing"].title, office_name=office_name(session), prepared_by=prepared_by,
        made_on=today, params=params_line(scope_name=sc.name, extra=f"截至：{today.isoformat()}"), headers=HEADERS,
        rows=tuple(rows), totals=subtotal("合计", grand), widths=WIDTHS, notes=tuple(notes), landscape=True)
