"""Rule warnings over the whole database: what a clerk should fix (R2, R3, R12)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import OrgUnit, Person, Post

MIN_TOWNSHIP_MANAGERS = 2  # R2
FREQUENT_CHANGE_WINDOW_DAYS = 365  # R12: "changed more than once in 12 months"


@dataclass(frozen=True)
class RuleWarning:
    rule: str
    unit_id: str
    unit_name: str
    message: str

    def text(self) -> str:
        return f"[{self.rule}] {self.unit_name}：{self.message}"


def rule_warnings(session: Session, *, today: dt.date | None = None) -> list[RuleWarning]:
    """Every rule the current data breaks, by township and site (a warning, not a block)."""
    today = today or dt.date.today()
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.active.is_(True), OrgUnit.deleted.is_(False))
                                 .order_by(OrgUnit.code, OrgUnit.name)))
    names = dict(session.execute(select(Person.id, Person.name)).tuples().all())
    open_by_unit: dict[str, list[Post]] = defaultdict(list)
    ended_by_unit: dict[str, set[dt.date]] = defaultdict(set)
    since = today - dt.timedelta(days=FREQUENT_CHANGE_WINDOW_DAYS)
    for post in session.scalars(select(Post).where(Post.deleted.is_(False))):
        if post.end_date is None:
            open_by_unit[post.unit_id].append(post)
        elif post.role == "village_manager" and post.end_date >= since:
            ended_by_unit[post.unit_id].add(post.end_date)

    out: list[RuleWarning] = []
    township_managers: dict[str, int] = defaultdict(int)
    for unit in units:
        posts = open_by_unit.get(unit.id, [])
        if unit.kind in ("township", "township_station"):
            township_id = unit.id if unit.kind == "township" else unit.parent_id
            if township_id:
                township_managers[township_id] += sum(p.role == "township_manager" for p in posts)
        if unit.kind != "village":
            continue
        slots: dict[str, list[Post]] = defaultdict(list)
        for p in posts:
            if p.role == "village_manager" and p.slot:
                slots[p.slot].append(p)
        for slot in ("A", "B"):
            if not slots[slot]:
                out.append(RuleWarning("R3", unit.id, unit.name, f"{slot}岗空缺"))
            elif len(slots[slot]) > 1:
                who = "、".join(names.get(p.person_id, "?") for p in slots[slot])
                out.append(RuleWarning("R3", unit.id, unit.name, f"{slot}岗同时有 {len(slots[slot])} 人：{who}"))
        both = {p.person_id for p in slots["A"]} & {p.person_id for p in slots["B"]}
        for person_id in both:
            out.append(RuleWarning("R3", unit.id, unit.name, f"{names.get(person_id, '?')}同时担任A岗和B岗"))
        changes = len(ended_by_unit.get(unit.id, ()))
        if changes > 1:
            out.append(RuleWarning("R12", unit.id, unit.name, f"近 12 个月管理员变动 {changes} 次，请保持稳定"))
    for unit in units:
        if unit.kind == "township":
            count = township_managers.get(unit.id, 0)
            if count < MIN_TOWNSHIP_MANAGERS:
                out.append(RuleWarning("R2", unit.id, unit.name,
                                       f"乡镇站点管理员只有 {count} 人，至少应有 {MIN_TOWNSHIP_MANAGERS} 人"))
    return out
