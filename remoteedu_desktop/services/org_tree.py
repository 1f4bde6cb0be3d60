"""The organisation tree the main window shows on the left: county → townships → sites (R1).

One query per table, no ORM objects handed out: the UI gets :class:`TreeNode`
dataclasses, parents before children, in each parent's display order
(``sort_order``, then code, then name). Village sites carry flags for an empty
post A or B (R3), so the tree can mark them without asking again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Person, Post

#: Kinds that are terminal receiving sites (R1).
SITE_KINDS = frozenset({"village", "enterprise", "township_station"})


@dataclass(frozen=True)
class TreeNode:
    id: str
    parent_id: str | None
    kind: str
    name: str
    code: str | None
    active: bool
    missing_a: bool = False  # R3: a village site without a current post-A manager
    missing_b: bool = False  # R3: … without a current post-B manager

    @property
    def is_site(self) -> bool:
        return self.kind in SITE_KINDS

    @property
    def kind_label(self) -> str:
        return codes.UNIT_KIND.get(self.kind, self.kind)


@dataclass(frozen=True)
class _Row:
    id: str
    parent_id: str | None
    kind: str
    name: str
    code: str | None
    active: bool
    sort_order: int


@dataclass(frozen=True)
class OrgSummary:
    """Counts for the overview page (active units, people on the teams, posts held now)."""

    townships: int
    sites: int
    people: int
    open_posts: int
    vacant_slots: int  # empty post A/B places at active village sites (R3)


def org_tree(session: Session) -> list[TreeNode]:
    """Every unit that is not deleted (inactive ones too, R1: deactivated, never deleted)."""
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.code, OrgUnit.active,
               OrgUnit.sort_order)
        .where(OrgUnit.deleted.is_(False))
    ).tuples().all()
    filled: dict[str, set[str]] = defaultdict(set)
    for unit_id, slot in session.execute(
            select(Post.unit_id, Post.slot).where(Post.deleted.is_(False), Post.end_date.is_(None),
                                                   Post.role == "village_manager", Post.slot.is_not(None))
    ).tuples():
        filled[unit_id].add(slot or "")

    known = {row[0] for row in rows}
    children: dict[str | None, list[_Row]] = defaultdict(list)
    for unit_id, parent_id, kind, name, code, active, sort_order in rows:
        parent = parent_id if parent_id in known else None  # an orphan shows at the top, never lost
        children[parent].append(_Row(unit_id, parent, kind, name, code, bool(active), sort_order or 0))
    for siblings in children.values():
        siblings.sort(key=lambda r: (r.sort_order, r.code or "", r.name))

    out: list[TreeNode] = []
    stack = list(reversed(children[None]))
    seen: set[str] = set()
    while stack:
        r = stack.pop()
        if r.id in seen:  # a cycle in damaged data must not hang the window
            continue
        seen.add(r.id)
        village = r.kind == "village" and r.active
        slots = filled.get(r.id, set())
        out.append(TreeNode(r.id, r.parent_id, r.kind, r.name, r.code, r.active,
                            missing_a=village and "A" not in slots, missing_b=village and "B" not in slots))
        stack.extend(reversed(children.get(r.id, [])))
    return out


def descendants(nodes: list[TreeNode], unit_id: str) -> set[str]:
    """*unit_id* and every unit below it."""
    below: dict[str | None, list[str]] = defaultdict(list)
    for n in nodes:
        below[n.parent_id].append(n.id)
    out: set[str] = set()
    todo = [unit_id]
    while todo:
        current = todo.pop()
        if current in out:
            continue
        out.add(current)
        todo.extend(below.get(current, []))
    return out


def org_summary(session: Session, nodes: list[TreeNode] | None = None) -> OrgSummary:
    nodes = nodes if nodes is not None else org_tree(session)
    active = [n for n in nodes if n.active]
    people = session.scalar(select(func.count()).select_from(Person).where(
        Person.deleted.is_(False), Person.left_on.is_(None))) or 0
    posts = session.scalar(select(func.count()).select_from(Post).where(
        Post.deleted.is_(False), Post.end_date.is_(None))) or 0
    return OrgSummary(
        townships=sum(n.kind == "township" for n in active),
        sites=sum(n.is_site for n in active),
        people=people,
        open_posts=posts,
        vacant_slots=sum(n.missing_a + n.missing_b for n in active),
    )
