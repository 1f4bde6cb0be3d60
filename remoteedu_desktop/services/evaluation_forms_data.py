"""The data of the yearly evaluation forms (年度考评表, R14) and the results export, gathered in bulk.

One year's evaluations (optionally one target, optionally a county, township or site and everything
under it) are read with a handful of queries whatever their number — evaluations with their rubric,
the org tree, the people, the posts held during the year, the rubric items and the points, the photos
chunk by chunk — into plain frozen dataclasses:

- :func:`load_batch` → :class:`Batch` of :class:`EvaluationRecord` (used by the forms and by
  :mod:`.evaluation_export`), ordered township → target → rank in the township → name;
- :func:`form_data` → the :class:`~remoteedu_desktop.printing.evaluation_forms.EvaluationForm` of each;
- :func:`forms_pdf`: one PDF, one page per person (a township's or the county's batch), as a generator
  yielding progress; everything is checked before the first ``next`` (no round, no evaluations, unknown
  target or unit), so the caller can refuse at once.

Nothing is computed here: totals, grades, ranks and the unfit flag are the ones the scoring stored
(:mod:`.evaluation_scoring`); a form shows what the clerk will sign.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import (
    Evaluation,
    EvaluationRound,
    EvaluationScore,
    OrgUnit,
    Person,
    PersonPhoto,
    Post,
    Rubric,
    RubricItem,
)
from ..errors import ValidationError
from ..printing import evaluation_forms as ef
from .pinyin import initials as pinyin_initials
from .progress import Progress
from .training_enrolment import post_label, unit_label

_CHUNK = 500
_PHOTO_CHUNK = 100
_YEAR_FIELD = "考评年度"
_TARGET_FIELD = "考评对象"
_SCOPE_FIELD = "范围"

#: The post roles each person target covers (R2–R5, R14), most specific first.
TARGET_ROLES: dict[str, tuple[str, ...]] = {
    "site_manager": ("village_manager", "enterprise_manager"),
    "township_manager": ("township_manager",),
    "tutor": ("township_tutor", "county_tutor"),
    "technician": ("technician",),
    "site": (),
}
_SITE_MANAGER_ROLES = ("village_manager", "enterprise_manager", "township_manager")


@dataclass(frozen=True)
class ItemScore:
    """One rubric item with the points of one evaluation (None: not scored yet)."""

    item_id: str
    code: str
    title: str
    kind: str
    max_points: float
    weight_pct: float
    points: float | None
    automatic: bool


@dataclass(frozen=True)
class EvaluationRecord:
    """One evaluation with everything its form and its export row show."""

    id: str
    target: str
    target_label: str
    person_id: str | None
    site_id: str | None
    name: str
    unit: str  #: "龙潭镇 / 杨家村"; the township or the county for staff posted there
    township: str  #: the township, or the county for county-level staff
    post: str  #: "村站点管理员 A岗"; for a site its kind
    items: tuple[ItemScore, ...]
    total: float | None
    grade: str | None
    grade_label: str
    rank_township: int | None
    rank_county: int | None
    unfit: bool
    self_summary: str
    opinion: str
    # The personal data of the form (blank for a site) and a site's data (blank for a person).
    gender: str = ""
    birth: str = ""
    political_status: str = ""
    education: str = ""
    since: str = ""
    site_kind: str = ""
    site_code: str = ""
    manager_a: str = ""
    manager_b: str = ""
    contact: str = ""
    address: str = ""


@dataclass(frozen=True)
class Batch:
    """One year's evaluations in a scope, in print order."""

    round_id: str
    year: int
    round_name: str
    grade_scale: str
    scope: str  #: "青山县", "龙潭镇", … (for titles and messages)
    records: tuple[EvaluationRecord, ...]

    def targets(self) -> list[str]:
        """The targets present, in the order of :data:`codes.EVALUATION_TARGET`."""
        present = {r.target for r in self.records}
        return [t for t in codes.EVALUATION_TARGET if t in present]


def year_month(day: dt.date | None) -> str:
    """"1980年05月"; "" for no date."""
    return f"{day.year}年{day.month:02d}月" if day else ""


def grade_text(grade: str | None, grade_scale: str) -> str:
    """The grade's label in the round's wording (R14: 合格 or 称职 scale)."""
    table = codes.GRADE_COMPETENT if grade_scale == "competent" else codes.GRADE_STANDARD
    return codes.label(table, grade)


# --- the org tree ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    id: str
    parent_id: str | None
    kind: str
    name: str
    code: str | None
    sort_order: int
    address: str | None
    contact: str | None


class _Tree:
    def __init__(self, session: Session) -> None:
        rows = session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.kind, OrgUnit.name, OrgUnit.code,
                                      OrgUnit.sort_order, OrgUnit.address, OrgUnit.contact_person)
                               .where(OrgUnit.deleted.is_(False))).tuples()
        self.units = {r[0]: _Unit(*r) for r in rows}
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for u in self.units.values():
            self.children[u.parent_id].append(u.id)

    def subtree(self, unit_id: str) -> set[str]:
        found, todo = {unit_id}, [unit_id]
        while todo:
            for child in self.children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def township(self, unit_id: str | None) -> _Unit | None:
        """The township above (or at) the unit; the county for a county-level unit."""
        seen = 0
        unit = self.units.get(unit_id) if unit_id else None
        while unit is not None and seen < 10:
            if unit.kind in ("township", "county"):
                return unit
            unit = self.units.get(unit.parent_id) if unit.parent_id else None
            seen += 1
        return None

    def label(self, unit_id: str | None) -> str:
        unit = self.units.get(unit_id) if unit_id else None
        if unit is None:
            return ""
        parent = self.units.get(unit.parent_id) if unit.parent_id else None
        return unit_label(unit.name, unit.kind, parent.name if parent else None)

    def sort_key(self, unit: _Unit | None) -> tuple[int, int, str, str]:
        if unit is None:
            return (2, 0, "", "")
        return (0 if unit.kind == "county" else 1, unit.sort_order or 0, unit.code or "", unit.name)


# --- loading ---------------------------------------------------------------------------------------

def _round(session: Session, year: int) -> EvaluationRound:
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ValidationError(f"“{year}”不是有效的年度", field=_YEAR_FIELD)
    found = session.scalars(select(EvaluationRound).where(EvaluationRound.year == year,
                                                          EvaluationRound.deleted.is_(False))).first()
    if found is None:
        raise ValidationError(f"没有{year}年度的考评：请先开始该年度考评并计算得分", field=_YEAR_FIELD, rule="R14")
    return found


def _chunks(ids: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _pick_post(held: list[tuple[str, str, str | None, dt.date, dt.date | None]], unit_id: str | None,
               roles: tuple[str, ...], year_end: dt.date) -> tuple[str, str, str | None, dt.date, dt.date | None] | None:
    """The post a form shows: at the evaluated unit, in the target's roles, held at the year's end, latest."""
    if not held:
        return None

    def rank(p: tuple[str, str, str | None, dt.date, dt.date | None]) -> tuple[object, ...]:
        uid, role, _slot, start, end = p
        return (uid != unit_id, role not in roles, roles.index(role) if role in roles else 99,
                end is not None and end < year_end, -start.toordinal())

    return min(held, key=rank)


def load_batch(session: Session, year: int, *, target: str | None = None, unit_id: str | None = None) -> Batch:
    """Every evaluation of *year* (of *target*, under *unit_id*) with its item points, in print order.

    ValidationError (Chinese, says what) for a year without a round, an unknown target or unit, or a scope
    without evaluations."""
    rnd = _round(session, year)
    if target is not None:
        target = codes.require_code(codes.EVALUATION_TARGET, target, field=_TARGET_FIELD)
    tree = _Tree(session)
    if unit_id is not None and unit_id not in tree.units:
        raise ValidationError("找不到该单位", field=_SCOPE_FIELD)
    scope_units = tree.subtree(unit_id) if unit_id is not None else None
    county = next((u for u in tree.units.values() if u.kind == "county"), None)
    scope = tree.units[unit_id].name if unit_id is not None else (county.name if county else "全县")

    stmt = (select(Evaluation.id, Rubric.target, Evaluation.rubric_id, Evaluation.person_id, Evaluation.site_id,
                   Evaluation.unit_id, Evaluation.total, Evaluation.grade, Evaluation.rank_township,
                   Evaluation.rank_county, Evaluation.unfit, Evaluation.self_summary, Evaluation.opinion)
            .join(Rubric, Rubric.id == Evaluation.rubric_id)
            .where(Evaluation.round_id == rnd.id, Evaluation.deleted.is_(False)))
    if target is not None:
        stmt = stmt.where(Rubric.target == target)
    rows = [r for r in session.execute(stmt).tuples()
            if scope_units is None or r[5] in scope_units or r[4] in scope_units]
    if not rows:
        what = codes.label(codes.EVALUATION_TARGET, target) if target else ""
        raise ValidationError(f"{scope}没有{year}年度{what}的考评记录：请先计算考评", field=_SCOPE_FIELD, rule="R14")

    # Rubric items and points.
    rubric_ids = sorted({r[2] for r in rows})
    items: dict[str, list[tuple[str, str, str, str, float, float]]] = defaultdict(list)
    for iid, rid, code, title, kind, max_points, weight in session.execute(
            select(RubricItem.id, RubricItem.rubric_id, RubricItem.code, RubricItem.title, RubricItem.kind,
                   RubricItem.max_points, RubricItem.weight_pct)
            .where(RubricItem.rubric_id.in_(rubric_ids), RubricItem.deleted.is_(False))
            .order_by(RubricItem.rubric_id, RubricItem.sort_order, RubricItem.code)).tuples():
        items[rid].append((iid, code, title, kind, float(max_points), float(weight)))
    eval_ids = [r[0] for r in rows]
    points: dict[tuple[str, str], tuple[float, bool]] = {}
    for chunk in _chunks(eval_ids):
        for eid, iid, value, auto in session.execute(
                select(EvaluationScore.evaluation_id, EvaluationScore.item_id, EvaluationScore.points,
                       EvaluationScore.automatic)
                .where(EvaluationScore.evaluation_id.in_(chunk), EvaluationScore.deleted.is_(False))).tuples():
            points[(eid, iid)] = (float(value), bool(auto))

    # People and the posts they held during the year.
    person_ids = sorted({r[3] for r in rows if r[3]})
    people: dict[str, tuple[str, str, dt.date | None, str | None, str | None, str | None]] = {}
    for chunk in _chunks(person_ids):
        for row in session.execute(select(Person.id, Person.name, Person.gender, Person.birth_date,
                                          Person.political_status, Person.education, Person.name_initials)
                                   .where(Person.id.in_(chunk))).tuples():
            people[row[0]] = (row[1], row[2], row[3], row[4], row[5], row[6])
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posts: dict[str, list[tuple[str, str, str | None, dt.date, dt.date | None]]] = defaultdict(list)
    for chunk in _chunks(person_ids):
        for pid, uid, role, slot, start, end in session.execute(
                select(Post.person_id, Post.unit_id, Post.role, Post.slot, Post.start_date, Post.end_date)
                .where(Post.person_id.in_(chunk), Post.deleted.is_(False), Post.start_date <= year_end,
                       (Post.end_date.is_(None)) | (Post.end_date >= year_start))).tuples():
            posts[pid].append((uid, role, slot, start, end))

    # Sites: their managers at the year's end (A and B posts of a village).
    site_ids = sorted({r[4] for r in rows if r[4]})
    managers: dict[str, dict[str, tuple[dt.date, str]]] = defaultdict(dict)
    for chunk in _chunks(site_ids):
        for uid, slot, start, name in session.execute(
                select(Post.unit_id, Post.slot, Post.start_date, Person.name)
                .join(Person, Person.id == Post.person_id)
                .where(Post.unit_id.in_(chunk), Post.deleted.is_(False), Post.role.in_(_SITE_MANAGER_ROLES),
                       Post.start_date <= year_end,
                       (Post.end_date.is_(None)) | (Post.end_date >= year_end))).tuples():
            key = slot or "A"
            if key not in managers[uid] or managers[uid][key][0] < start:
                managers[uid][key] = (start, name)

    records: list[tuple[tuple[object, ...], EvaluationRecord]] = []
    target_order = {t: n for n, t in enumerate(codes.EVALUATION_TARGET)}
    for (eid, tgt, rubric_id, person_id, site_id, eval_unit, total, grade, r_twn, r_cty, unfit, summary,
         opinion) in rows:
        scores = tuple(ItemScore(iid, code, title, kind, max_points, weight, *points.get((eid, iid), (None, False)))
                       for iid, code, title, kind, max_points, weight in items.get(rubric_id, ()))
        fields: dict[str, Any] = dict(
            id=eid, target=tgt, target_label=codes.label(codes.EVALUATION_TARGET, tgt), person_id=person_id,
            site_id=site_id, items=scores, total=total, grade=grade, grade_label=grade_text(grade, rnd.grade_scale),
            rank_township=r_twn, rank_county=r_cty, unfit=bool(unfit), self_summary=summary or "",
            opinion=opinion or "")
        initials = ""
        site = tree.units.get(site_id) if site_id else None
        if site is not None:
            township = tree.township(site.id)
            held = managers.get(site.id, {})
            kind = codes.label(codes.UNIT_KIND, site.kind)
            initials = pinyin_initials(site.name)
            fields.update(name=site.name, unit=tree.label(site.id), post=kind, site_kind=kind,
                          site_code=site.code or "", manager_a=held["A"][1] if "A" in held else "",
                          manager_b=held["B"][1] if "B" in held else "", contact=site.contact or "",
                          address=site.address or "")
        else:
            name, gender, birth, political, education, initials_ = people.get(
                person_id or "", ("", "", None, None, None, None))
            initials = initials_ or ""
            post = _pick_post(posts.get(person_id or "", []), eval_unit, TARGET_ROLES.get(tgt, ()), year_end)
            shown = eval_unit or (post[0] if post else None)
            township = tree.township(shown)
            fields.update(name=name, unit=tree.label(shown), post=post_label(post[1], post[2]) if post else "",
                          gender=codes.label(codes.GENDER, gender), birth=year_month(birth),
                          political_status=codes.label(codes.POLITICAL_STATUS, political),
                          education=codes.label(codes.EDUCATION, education),
                          since=year_month(post[3]) if post else "")
        record = EvaluationRecord(township=township.name if township else "", **fields)
        key = (tree.sort_key(township), target_order.get(tgt, 99), r_twn if r_twn is not None else 1_000_000,
               initials, record.name, eid)
        records.append((key, record))
    records.sort(key=lambda pair: pair[0])
    return Batch(round_id=rnd.id, year=year, round_name=rnd.name, grade_scale=rnd.grade_scale, scope=scope,
                 records=tuple(r for _k, r in records))


# --- the forms -------------------------------------------------------------------------------------

def _form_role(record: EvaluationRecord) -> str:
    """The role in the form's title: the target's label ("站点管理员", "教学辅导员" …)."""
    return record.target_label


def to_form(record: EvaluationRecord, year: int, photo: bytes | None = None) -> ef.EvaluationForm:
    items = tuple(ef.FormItem(i.title, i.kind, i.max_points, i.weight_pct, i.points) for i in record.items)
    if record.site_id is not None:
        short, wide = ef.site_fields(name=record.name, kind=record.site_kind, code=record.site_code,
                                     township=record.township, manager_a=record.manager_a,
                                     manager_b=record.manager_b, contact=record.contact, address=record.address)
        kind = "site"
    else:
        short, wide = ef.person_fields(name=record.name, gender=record.gender, birth=record.birth,
                                       political_status=record.political_status, education=record.education,
                                       since=record.since, unit=record.unit, post=record.post)
        kind = "person"
    return ef.EvaluationForm(year=year, role=_form_role(record), name=record.name, township=record.township,
                             short_fields=short, wide_fields=wide, items=items, total=record.total,
                             grade=record.grade_label, rank_township=record.rank_township,
                             rank_county=record.rank_county, unfit=record.unfit, self_summary=record.self_summary,
                             opinion=record.opinion, photo=photo, kind=kind)


def _photos(session: Session, person_ids: Sequence[str]) -> dict[str, bytes]:
    ids = [pid for pid in person_ids if pid]
    if not ids:
        return {}
    return dict(session.execute(select(PersonPhoto.person_id, PersonPhoto.image)
                                .where(PersonPhoto.person_id.in_(ids), PersonPhoto.deleted.is_(False))).tuples().all())


def _forms(session: Session, batch: Batch) -> Iterator[ef.EvaluationForm]:
    """The forms in order, photos read a chunk at a time (a county's photos never all in memory twice)."""
    records = batch.records
    for start in range(0, len(records), _PHOTO_CHUNK):
        chunk = records[start:start + _PHOTO_CHUNK]
        photos = _photos(session, [r.person_id for r in chunk if r.person_id])
        for r in chunk:
            yield to_form(r, batch.year, photos.get(r.person_id) if r.person_id else None)


def form_data(session: Session, year: int, *, target: str | None = None,
              unit_id: str | None = None) -> list[ef.EvaluationForm]:
    """The forms of *year* (of *target*, under *unit_id*), in print order, photos included."""
    batch = load_batch(session, year, target=target, unit_id=unit_id)
    return list(_forms(session, batch))


def forms_pdf(session: Session, year: int, *, target: str | None = None,
              unit_id: str | None = None) -> Generator[Progress, None, bytes]:
    """One PDF with everyone's yearly evaluation form (one page each), yielding ``(done, total, text)``.

    Checked at once (ValidationError before the first ``next``): a year without a round, an unknown
    target or unit, a scope without evaluations. Closing the generator stops the rendering."""
    batch = load_batch(session, year, target=target, unit_id=unit_id)
    return batch_pdf(session, batch)


def batch_pdf(session: Session, batch: Batch) -> Generator[Progress, None, bytes]:
    """The forms of a batch already loaded with :func:`load_batch` (photos are read as pages are drawn)."""
    total = len(batch.records)
    yield 0, total, f"正在生成 {batch.scope} {batch.year}年度考评表（{total} 份）"
    title = f"{batch.year}年度考评表 {batch.scope}（{total} 份）"
    steps = ef.render_forms_steps(_forms(session, batch), title=title)
    try:
        while True:
            try:
                done = next(steps)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            if done % 25 == 0 or done == total:
                yield done, total, f"正在生成第 {done}/{total} 份考评表"
    finally:
        steps.close()


__all__ = ["TARGET_ROLES", "Batch", "batch_pdf", "EvaluationRecord", "ItemScore", "form_data", "forms_pdf", "grade_text",
           "load_batch", "to_form", "year_month"]
