"""The reports the office sends upward (issue 8 item 2): one table model, seven builders.

Each report is a :class:`ReportTable` — title, office, date, "prepared by" (制表人), a Chinese parameters
line, headers, rows, an optional totals row, relative column widths, notes, orientation — built by
``services/report_<key>.py`` from bulk queries and rendered unchanged to PDF
(:func:`remoteedu_desktop.printing.report_pdf.report_pdf`) and to .xlsx
(:func:`remoteedu_desktop.services.report_export.write_report_xlsx`), so the two never disagree.

The builders are imported lazily (a report module imports this one for :class:`ReportTable`).
No Qt.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Post
from ..errors import ValidationError
from .offices import office_info


@dataclass(frozen=True)
class ReportTable:
    key: str
    title: str
    office_name: str
    prepared_by: str
    made_on: dt.date
    params: str  #: one Chinese line: "年度：2026年；范围：某某镇"
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    totals: tuple[object, ...] | None
    widths: tuple[float, ...]  #: relative column widths, one per header
    notes: tuple[str, ...] = ()
    landscape: bool = False


@dataclass(frozen=True)
class ReportSpec:
    key: str
    title: str  #: Chinese
    needs_year: bool
    needs_unit: bool  #: the report can be limited to a unit (township / site); None = the whole office
    build: Callable[..., ReportTable]  #: build(session, *, year, unit_id, today, prepared_by) -> ReportTable


def _lazy(key: str) -> Callable[..., ReportTable]:
    def build(session: Session, *, year: int | None, unit_id: str | None, today: dt.date,
              prepared_by: str) -> ReportTable:
        module = importlib.import_module(f"{__package__}.report_{key}")
        table: ReportTable = module.build(session, year=year, unit_id=unit_id, today=today,
                                          prepared_by=prepared_by)
        return table

    build.__name__ = f"build_{key}"
    return build


REPORTS: dict[str, ReportSpec] = {
    "staffing": ReportSpec("staffing", "站点人员配备情况表", False, True, _lazy("staffing")),
    "roster": ReportSpec("roster", "工作人员花名册", False, True, _lazy("roster")),
    "certificates": ReportSpec("certificates", "证书登记表", False, True, _lazy("certificates")),
    "training": ReportSpec("training", "培训情况统计表", True, True, _lazy("training")),
    "activities": ReportSpec("activities", "活动开展情况统计表", True, True, _lazy("activities")),
    "faults": ReportSpec("faults", "技术服务员故障处理情况统计表", True, True, _lazy("faults")),
    "evaluation": ReportSpec("evaluation", "年度考评结果及表彰情况表", True, True, _lazy("evaluation")),
}

MIN_YEAR = 2000
CHUNK = 900  #: ids per IN (...) query: under SQLite's variable limit


# --- helpers shared by the builders ------------------------------------------------------------------

@dataclass(frozen=True)
class UnitNode:
    id: str
    parent_id: str | None
    kind: str
    code: str
    name: str
    active: bool


class Tree:
    """Every unit, read once, in tree order (sort order, code, name under each parent)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.code, OrgUnit.name,
                                      OrgUnit.active, OrgUnit.sort_order)
                               .where(OrgUnit.deleted.is_(False))).tuples().all()
        self.by_id = {r[0]: UnitNode(r[0], r[1], r[2], r[3] or "", r[4], bool(r[5])) for r in rows}
        sort_key = {r[0]: (r[6] or 0, r[3] or "", r[4]) for r in rows}
        below: dict[str | None, list[str]] = {}
        for uid, node in self.by_id.items():
            parent = node.parent_id if node.parent_id in self.by_id else None
            below.setdefault(parent, []).append(uid)
        for ids in below.values():
            ids.sort(key=lambda uid: sort_key[uid])
        self.children = below
        self.order: dict[str, int] = {}
        todo = list(reversed(below.get(None, [])))
        while todo:
            uid = todo.pop()
            if uid in self.order:
                continue
            self.order[uid] = len(self.order)
            todo.extend(reversed(below.get(uid, [])))

    def subtree(self, unit_id: str) -> set[str]:
        out: set[str] = set()
        todo = [unit_id]
        while todo:
            current = todo.pop()
            if current not in out:
                out.add(current)
                todo.extend(self.children.get(current, ()))
        return out

    def up(self, unit_id: str, kind: str) -> UnitNode | None:
        seen: set[str] = set()
        node = self.by_id.get(unit_id)
        while node is not None and node.id not in seen:
            if node.kind == kind:
                return node
            seen.add(node.id)
            node = self.by_id.get(node.parent_id or "")
        return None

    def township_of(self, unit_id: str) -> UnitNode | None:
        """The township of a unit, or the county for a county-level unit."""
        return self.up(unit_id, "township") or self.up(unit_id, "county")

    def site_title(self, unit_id: str) -> str:
        """A unit as a roster prints it: "龙潭镇 杨家村", a township or county by its own name."""
        node = self.by_id.get(unit_id)
        if node is None:
            return ""
        if node.kind not in codes.SITE_KINDS:
            return node.name
        township = self.township_of(unit_id)
        return f"{township.name} {node.name}" if township is not None else node.name


@dataclass(frozen=True)
class Scope:
    tree: Tree
    unit_ids: set[str] | None  #: None: the whole database
    name: str  #: "青山县", "龙潭镇", or "全部单位"

    def holds(self, unit_id: str | None) -> bool:
        return self.unit_ids is None or (unit_id is not None and unit_id in self.unit_ids)


def scope(session: Session, unit_id: str | None) -> Scope:
    """The units a report covers; an unknown unit is refused."""
    tree = Tree(session)
    if unit_id is None:  # everything this database holds: the office's own area
        info = office_info(session)
        top = tree.by_id.get(info.unit_id or "")
        county = next((n for n in tree.by_id.values() if n.kind == "county"), None)
        name = top.name if top is not None else county.name if county is not None else "全部单位"
        return Scope(tree, None, name)
    node = tree.by_id.get(unit_id)
    if node is None:
        raise ValidationError(f"找不到单位“{unit_id}”", field="范围")
    return Scope(tree, tree.subtree(unit_id), node.name)


def office_name(session: Session) -> str:
    return office_info(session).name or "（未设置本单位）"


def params_line(*, year: int | None = None, scope_name: str = "", extra: str = "") -> str:
    parts = []
    if year is not None:
        parts.append(f"年度：{year}年")
    if scope_name:
        parts.append(f"范围：{scope_name}")
    if extra:
        parts.append(extra)
    return "；".join(parts)


def open_posts(session: Session, today: dt.date, roles: frozenset[str] | None = None) -> list[Post]:
    """Every post open on *today* (started, not ended, not deleted), in one query."""
    stmt = select(Post).where(Post.deleted.is_(False), Post.start_date <= today,
                              (Post.end_date.is_(None)) | (Post.end_date > today))
    if roles is not None:
        stmt = stmt.where(Post.role.in_(sorted(roles)))
    return list(session.scalars(stmt))


def chunks(ids: list[str], size: int = CHUNK) -> list[list[str]]:
    return [ids[n:n + size] for n in range(0, len(ids), size)]


def report(session: Session, key: str, *, year: int | None = None, unit_id: str | None = None,
           today: dt.date | None = None, prepared_by: str = "") -> ReportTable:
    """Build report *key*. *year* defaults to *today*'s year for the yearly reports; *unit_id* limits the
    report to a unit's subtree (None: the whole office). Bad input: ValidationError, in Chinese."""
    spec = REPORTS.get(key)
    if spec is None:
        known = "、".join(REPORTS)
        raise ValidationError(f"没有名为“{key}”的报表，可选：{known}", field="报表")
    today = today or dt.date.today()
    if spec.needs_year and year is None:
        year = today.year
    if year is not None and not MIN_YEAR <= year <= today.year + 1:
        raise ValidationError(f"{year} 不是有效年度（{MIN_YEAR}—{today.year + 1}）", field="年度")
    return spec.build(session, year=year, unit_id=unit_id, today=today, prepared_by=prepared_by.strip())


__all__ = ["REPORTS", "ReportSpec", "ReportTable", "Scope", "Tree", "chunks", "office_name", "open_posts", "params_line",
           "report", "scope"]
