"""Scoring of the yearly evaluation (R14): who is evaluated, automatic and manual item scores, totals,
grades, the top-grade quota, ranks and the flag for those who cannot do the job.

The scoring rule
----------------
- **Total** = Σ over the *score* items (points / max_points × weight_pct) + Σ *bonus* points
  − Σ *deduction* points, floored at 0 and rounded to 0.1. A missing score counts 0 in the total.
- An evaluation is **complete** when every manual *score* item has points (automatic items are filled
  by :func:`score_year`; deductions and bonus points are entered only where they apply, blank = none).
  Only complete evaluations get a grade, take part in the quota and the ranks, and may be flagged
  automatically; an incomplete one shows its running total and no grade.
- **Grade** by the round's thresholds, each "at least": ≥ excellent → 优秀, ≥ pass → 合格 (称职),
  ≥ basic → 基本合格 (基本称职), else 不合格 (不称职). The wording follows the round's grade scale
  (``codes.GRADE_STANDARD`` or ``codes.GRADE_COMPETENT``); the stored codes are the same.
- **Quota** (when the round has ``top_quota_pct``): within each township (the county-level staff form
  one group of their own) and target, at most floor(pct% × n) "excellent" grades, n the complete
  evaluations of the group, and at least 1 when anyone reaches the threshold. The best totals keep
  优秀; the others above the threshold get 合格. Equal totals are treated alike: when a tie straddles
  the cut, the whole tie drops to 合格 — unless nobody would then be 优秀, in which case the tied best
  all keep it (the "at least 1" rule wins over "at most").
- **Ranks**: competition ranking (1, 2, 2, 4) by total, per target, within the township
  (``rank_township``, None for county-level staff) and within the county (``rank_county``).
- **Unfit** (R14, "flag those who cannot do the job for adjustment"): set when an evaluation's grade
  becomes 不合格, cleared when it stops being 不合格; otherwise whatever was set by hand stays.

Who is evaluated (:func:`score_year`): everyone who held, at some time in the year, a post of a
target's roles (``evaluation_indicators.TARGET_ROLES``) — one evaluation per person and round, for the
first of township manager, site manager, tutor, technician they held, at the unit of their latest such
post; and every active site for the target "site". Evaluations are never removed by scoring.

A closed round is never recomputed: :func:`score_year`, :func:`save_scores`, :func:`set_unfit` refuse.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Evaluation, EvaluationRound, EvaluationScore, OrgUnit, Person, Rubric, RubricItem
from ..errors import ValidationError
from .bulk import insert_rows, write_updates
from .evaluation_indicators import TARGET_ROLES, IndicatorReader, Span, Subject, post_spans
from .evaluation_rounds import (
    ensure_rubrics,
    get_round,
    open_round,
    require_open,
    round_for_year,
    thresholds_of,
)
from .pinyin import initials
from .progress import Progress
from .staff_query import unit_subtree

#: Which target a person holding posts of several targets is evaluated as: the first one held.
PERSON_TARGETS: tuple[str, ...] = ("township_manager", "site_manager", "tutor", "technician")
MAX_TEXT_LEN = 5000
_CHUNK = 500


@dataclass(frozen=True)
class EvaluationRow:
    id: str
    round_id: str
    year: int
    target: str
    target_label: str
    person_id: str | None
    site_id: str | None
    name: str
    unit: str
    township: str
    post: str  #: the post (role) label, or the site's kind for a site
    total: float | None
    grade: str | None
    grade_label: str
    rank_township: int | None
    rank_county: int | None
    unfit: bool
    complete: bool


@dataclass(frozen=True)
class ScoreSummary:
    round_id: str
    evaluated: int
    complete: int
    by_grade: dict[str, int]


@dataclass(frozen=True)
class GridItem:
    id: str
    code: str
    title: str
    kind: str
    max_points: float
    automatic: bool


@dataclass(frozen=True)
class GridRow:
    evaluation_id: str
    name: str
    unit: str
    points: dict[str, float | None]  #: item id → points (None: not entered)
    automatic: dict[str, bool]  #: item id → filled automatically
    total: float | None
    grade_label: str


# --- the rule -----------------------------------------------------------------------------------------

def grade_for(total: float, thresholds: Mapping[str, float]) -> str:
    """"excellent" | "pass" | "basic" | "fail" by the thresholds, each "at least" (R14)."""
    for grade in ("excellent", "pass", "basic"):
        if total >= thresholds[grade] - 1e-9:
            return grade
    return "fail"


def grade_label(grade: str | None, grade_scale: str) -> str:
    """The grade's wording on the round's scale; "" for no grade."""
    if grade is None:
        return ""
    return codes.label(codes.GRADE_COMPETENT if grade_scale == "competent" else codes.GRADE_STANDARD, grade)


@dataclass(frozen=True)
class _Item:
    id: str
    code: str
    title: str
    kind: str
    max_points: float
    weight_pct: float
    indicator: str | None


def total_of(items: Iterable[_Item], points: Mapping[str, float]) -> float | None:
    """The total of one evaluation by the rule above; None when it has no points at all."""
    if not points:
        return None
    total = 0.0
    for item in items:
        p = points.get(item.id)
        if p is None:
            continue
        if item.kind == "score":
            total += p / item.max_points * item.weight_pct if item.max_points else 0.0
        elif item.kind == "bonus":
            total += p
        else:
            total -= p
    return round(max(0.0, total) + 1e-9, 1)


def competition_ranks(totals: Sequence[tuple[str, float]]) -> dict[str, int]:
    """id → rank, best total first, equal totals sharing a rank (1, 2, 2, 4)."""
    ordered = sorted(totals, key=lambda pair: -pair[1])
    ranks: dict[str, int] = {}
    prev: float | None = None
    rank = 0
    for k, (eid, total) in enumerate(ordered, start=1):
        if prev is None or total != prev:
            rank, prev = k, total
        ranks[eid] = rank
    return ranks


def quota_keep(candidates: Sequence[tuple[str, float]], group_size: int, pct: float) -> set[str]:
    """Which of *candidates* (id, total — all at or above the excellent threshold) keep 优秀 in a group of
    *group_size* complete evaluations under a quota of *pct*% (R14; rule in the module docstring)."""
    if not candidates:
        return set()
    limit = max(1, math.floor(pct / 100.0 * group_size + 1e-9))
    ordered = sorted(candidates, key=lambda pair: -pair[1])
    if len(ordered) <= limit:
        return {eid for eid, _t in ordered}
    cut = ordered[limit][1]  # the best total that does not fit
    keep = {eid for eid, total in ordered if total > cut}
    if not keep:
        keep = {eid for eid, total in ordered if total == ordered[0][1]}
    return keep


# --- reading the round --------------------------------------------------------------------------------

@dataclass
class _Units:
    name: dict[str, str]
    kind: dict[str, str]
    parent: dict[str, str | None]
    order: dict[str, tuple[int, str, str]]  #: id → sort key: sort order, statistical code, name
    _township: dict[str, str | None] = field(default_factory=dict)  #: unit id → its township, as found

    def key(self, unit_id: str | None) -> tuple[int, str, str]:
        return self.order.get(unit_id or "", (0, "", ""))

    def township(self, unit_id: str | None) -> str | None:
        """The township a unit lies in (the township itself for a township); None at county level."""
        key = unit_id or ""
        if key not in self._township:
            self._township[key] = self._find_township(unit_id)
        return self._township[key]

    def _find_township(self, unit_id: str | None) -> str | None:
        seen = 0
        while unit_id is not None and seen < 10:
            if self.kind.get(unit_id) == "township":
                return unit_id
            unit_id = self.parent.get(unit_id)
            seen += 1
        return None


def _units(session: Session) -> _Units:
    rows = session.connection().execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id,
                                               OrgUnit.sort_order, OrgUnit.code)).tuples().all()
    return _Units({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, {r[0]: r[3] for r in rows},
                  {r[0]: (r[4] or 0, r[5] or "", r[1]) for r in rows})


def _rubric_items(session: Session, round_id: str) -> tuple[dict[str, str], dict[str, list[_Item]]]:
    """rubric id → target, and rubric id → its live items in order."""
    targets = dict(session.execute(select(Rubric.id, Rubric.target)
                                   .where(Rubric.round_id == round_id, Rubric.deleted.is_(False))).tuples().all())
    items: dict[str, list[_Item]] = {rid: [] for rid in targets}
    if targets:
        for row in session.execute(
                select(RubricItem.rubric_id, RubricItem.id, RubricItem.code, RubricItem.title, RubricItem.kind,
                       RubricItem.max_points, RubricItem.weight_pct, RubricItem.indicator)
                .where(RubricItem.rubric_id.in_(list(targets)), RubricItem.deleted.is_(False))
                .order_by(RubricItem.sort_order, RubricItem.code)).tuples().all():
            items[row[0]].append(_Item(row[1], row[2], row[3], row[4], float(row[5]), float(row[6]), row[7]))
    return targets, items


_EVAL_COLUMNS = (Evaluation.id, Evaluation.rubric_id, Evaluation.person_id, Evaluation.site_id, Evaluation.unit_id,
                 Evaluation.total, Evaluation.grade, Evaluation.rank_township, Evaluation.rank_county,
                 Evaluation.unfit)


def _raw(session: Session) -> object | None:
    """The driver connection of the session's own transaction on SQLite, else None.

    The round's ~45,000 score rows (5,000 people) are read with plain SQL on it: SQLAlchemy's row
    building and type processing of the same select cost about as much again as the query itself.
    Booleans come back as 0/1 there, floats as floats."""
    conn = session.connection()
    return conn.connection.driver_connection if conn.dialect.name == "sqlite" else None


def _evaluations(session: Session, round_id: str) -> list[tuple]:  # type: ignore[type-arg]
    """(id, rubric id, person id, site id, unit id, total, grade, rank_township, rank_county, unfit) of
    the round's live evaluations."""
    raw = _raw(session)
    if raw is not None:
        return [(*r[:9], bool(r[9])) for r in raw.execute(  # type: ignore[attr-defined]
            f"SELECT {', '.join(c.expression.name for c in _EVAL_COLUMNS)} FROM {Evaluation.__tablename__} "
            "WHERE round_id = ? AND deleted = 0", (round_id,)).fetchall()]
    return list(session.connection().execute(
        select(*_EVAL_COLUMNS).where(Evaluation.round_id == round_id, Evaluation.deleted.is_(False))).tuples().all())


#: One score as :func:`_scores` gives it: (score id, evaluation id, item id, points, automatic, deleted, note).
ScoreRow = tuple[str, str, str, float, bool, bool, str | None]


def _scores(session: Session, round_id: str, *, with_deleted: bool = False, item_ids: Iterable[str] | None = None
            ) -> list[ScoreRow]:
    """(score id, evaluation id, item id, points, automatic, deleted, note) of the round's scores (of
    *item_ids* only, when given), in one select into plain tuples."""
    raw = _raw(session)
    if raw is not None:
        sql = (f"SELECT s.id, s.evaluation_id, s.item_id, s.points, s.automatic, s.deleted, s.note "
               f"FROM {EvaluationScore.__tablename__} s JOIN {Evaluation.__tablename__} e ON e.id = s.evaluation_id "
               "WHERE e.round_id = ? AND e.deleted = 0")
        params: list[object] = [round_id]
        if not with_deleted:
            sql += " AND s.deleted = 0"
        if item_ids is not None:
            wanted = sorted(item_ids)
            if not wanted:
                return []
            sql += f" AND s.item_id IN ({', '.join('?' * len(wanted))})"
            params += wanted
        return [(a, b, c, float(d), e == 1, f == 1, g)
                for a, b, c, d, e, f, g in raw.execute(sql, params).fetchall()]  # type: ignore[attr-defined]
    stmt = (select(EvaluationScore.id, EvaluationScore.evaluation_id, EvaluationScore.item_id,
                   EvaluationScore.points, EvaluationScore.automatic, EvaluationScore.deleted, EvaluationScore.note)
            .join(Evaluation, Evaluation.id == EvaluationScore.evaluation_id)
            .where(Evaluation.round_id == round_id, Evaluation.deleted.is_(False)))
    if not with_deleted:
        stmt = stmt.where(EvaluationScore.deleted.is_(False))
    if item_ids is not None:
        stmt = stmt.where(EvaluationScore.item_id.in_(sorted(item_ids)))
    rows = session.connection().execute(stmt).tuples().all()
    return [(a, b, c, float(d), bool(e), bool(f), g) for a, b, c, d, e, f, g in rows]


def _is_complete(items: Iterable[_Item], points: Mapping[str, float]) -> bool:
    return all(i.id in points for i in items if i.kind == "score" and i.indicator is None)


# --- recomputing totals, grades, quota, ranks ---------------------------------------------------------

def recompute_round(session: Session, round_id: str, *, refill_rubric_id: str | None = None,
                    today: dt.date | None = None) -> None:
    """Totals, grades, quota, ranks and unfit flags of the whole round, written where they changed.

    With *refill_rubric_id*, the automatic items of that rubric's evaluations are read again first
    (after a rubric change). Refused on a closed round (R14).
    """
    rnd = get_round(session, round_id)
    require_open(rnd)
    points = None
    if refill_rubric_id is not None:
        session.flush()
        evaluations = [e for e in _evaluations(session, rnd.id) if e[1] == refill_rubric_id]
        scores = _scores(session, rnd.id, with_deleted=True)  # read once, for both steps
        points = _live_points(scores)
        _fill_automatic(session, rnd, evaluations, today or dt.date.today(), scores=scores, points=points)
    _regrade(session, rnd, points)


def _live_points(scores: Iterable[ScoreRow]) -> dict[str, dict[str, float]]:
    """evaluation id → item id → points of the scores not deleted."""
    points: dict[str, dict[str, float]] = defaultdict(dict)
    for _sid, eid, item_id, p, _auto, gone, _note in scores:
        if not gone:
            points[eid][item_id] = p
    return points


def _regrade(session: Session, rnd: EvaluationRound, points: Mapping[str, Mapping[str, float]] | None = None
             ) -> dict[str, tuple[float | None, str | None, bool]]:
    """Totals, grades, quota, ranks, unfit of the round, written where they changed. *points*: the live
    points of the round (evaluation id → item id → points) when the caller has them already."""
    session.flush()
    thresholds = thresholds_of(rnd)
    targets, items = _rubric_items(session, rnd.id)
    units = _units(session)
    rows = _evaluations(session, rnd.id)
    if points is None:
        points = _live_points(_scores(session, rnd.id))
    result: dict[str, tuple[float | None, str | None, bool]] = {}
    grade: dict[str, str | None] = {}
    groups: dict[tuple[str, str | None], list[tuple[str, float]]] = defaultdict(list)
    county: dict[str, list[tuple[str, float]]] = defaultdict(list)
    township_of: dict[str, str | None] = {}
    live = {rid: {i.id for i in its} for rid, its in items.items()}
    for eid, rubric_id, _pid, _site, unit_id, *_rest in rows:
        its = items.get(rubric_id, [])
        mine_live = live.get(rubric_id, set())
        mine = {k: v for k, v in points.get(eid, {}).items() if k in mine_live}
        total = total_of(its, mine)
        complete = bool(its) and _is_complete(its, mine)
        result[eid] = (total, None, complete)
        grade[eid] = None
        township_of[eid] = units.township(unit_id)
        if complete and total is not None:
            grade[eid] = grade_for(total, thresholds)
            target = targets.get(rubric_id, "")
            groups[(target, township_of[eid])].append((eid, total))
            county[target].append((eid, total))
    if rnd.top_quota_pct is not None:
        for members in groups.values():
            above = [(eid, t) for eid, t in members if grade[eid] == "excellent"]
            keep = quota_keep(above, len(members), rnd.top_quota_pct)
            for eid, _t in above:
                if eid not in keep:
                    grade[eid] = "pass"
    rank_t: dict[str, int] = {}
    for (_target, township), members in groups.items():
        if township is not None:
            rank_t.update(competition_ranks(members))
    rank_c: dict[str, int] = {}
    for members in county.values():
        rank_c.update(competition_ranks(members))
    updates = []
    for eid, _rubric, _pid, _site, _unit, old_total, old_grade, old_rt, old_rc, old_unfit in rows:
        new_grade = grade[eid]
        unfit = bool(old_unfit)
        if new_grade == "fail" and old_grade != "fail":
            unfit = True  # R14: flagged for adjustment
        elif old_grade == "fail" and new_grade != "fail":
            unfit = False
        new = (result[eid][0], new_grade, rank_t.get(eid), rank_c.get(eid), unfit)
        updates.append((eid, (old_total, old_grade, old_rt, old_rc, bool(old_unfit)), new))
        result[eid] = (result[eid][0], new_grade, result[eid][2])
    write_updates(session, Evaluation, ("total", "grade", "rank_township", "rank_county", "unfit"), updates)
    return result


# --- who is evaluated, and the automatic items --------------------------------------------------------

def _subject_spans(spans: Sequence[tuple[str, Span]], target: str) -> tuple[Span, ...]:
    roles = TARGET_ROLES[target]
    return tuple(span for role, span in spans if role in roles)


_ALL_ROLES = frozenset().union(*TARGET_ROLES.values())


def _fill_automatic(session: Session, rnd: EvaluationRound, evaluations: Sequence[tuple],  # type: ignore[type-arg]
                    today: dt.date, spans: Mapping[str, list[tuple[str, Span]]] | None = None, *,
                    scores: Sequence[ScoreRow] | None = None,
                    points: dict[str, dict[str, float]] | None = None) -> int:
    """Read the indicators of *evaluations* and write their automatic scores where they changed (points,
    note, or a score deleted or entered by hand before); returns the scores written.

    *spans*: :func:`post_spans` of the year for every person and role, when the caller has it.
    *scores*: the round's scores with the deleted ones (:func:`_scores`), when the caller has read them.
    *points*: the round's live points, brought up to date here with what is written."""
    targets, items = _rubric_items(session, rnd.id)
    auto_items = {rid: [i for i in its if i.indicator] for rid, its in items.items()}
    wanted = [e for e in evaluations if auto_items.get(e[1])]
    if not wanted:
        return 0
    if spans is None:
        spans = post_spans(session, rnd.year, today, _ALL_ROLES)
    reader = IndicatorReader(session, rnd.year, today, spans)
    auto_ids = {i.id for its in auto_items.values() for i in its}
    if scores is None:
        scores = _scores(session, rnd.id, with_deleted=True, item_ids=auto_ids)
    existing = {(eid, item_id): (sid, p, auto, gone, note)
                for sid, eid, item_id, p, auto, gone, note in scores if item_id in auto_ids}
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[str, tuple[object, ...], tuple[object, ...]]] = []
    read = {rid: [(item, reader.reader_of(item.indicator or "")) for item in its] for rid, its in auto_items.items()}
    for eid, rubric_id, pid, site_id, *_rest in wanted:
        target = targets[rubric_id]
        subject = Subject(evaluation_id=eid, target=target, person_id=pid, site_id=site_id,
                          spans=_subject_spans(spans.get(pid or "", ()), target))
        for item, read_one in read[rubric_id]:
            if read_one is None:
                continue
            reading = read_one(subject)
            earned = round(item.max_points * reading.share + 1e-9, 1)
            note = reading.note[:200]
            if points is not None:
                points.setdefault(eid, {})[item.id] = earned
            old = existing.get((eid, item.id))
            if old is None:
                inserts.append((eid, item.id, earned, True, note))
            elif old[1:] != (earned, True, False, note):  # write only what changed
                sid, p, auto, gone, old_note = old
                updates.append((sid, (p, auto, gone, old_note), (earned, True, False, note)))
    inserts.sort(key=lambda row: (row[0], row[1]))  # in the unique index's order: 15 % less SQLite time
    written = insert_rows(session, EvaluationScore.__table__,
                          ("evaluation_id", "item_id", "points", "automatic", "note"), inserts, note="考评得分").count
    written += write_updates(session, EvaluationScore, ("points", "automatic", "deleted", "note"), updates)
    return written


def _candidates(session: Session, spans: Mapping[str, list[tuple[str, Span]]]
                ) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """person id → (target, unit id) of everyone to evaluate (from the year's post *spans*), and the ids
    of the sites to evaluate."""
    gone = set(session.scalars(select(Person.id).where(Person.deleted.is_(True))))
    people: dict[str, tuple[str, str]] = {}
    for pid, held in spans.items():
        if pid in gone:
            continue
        for target in PERSON_TARGETS:
            mine = [span for role, span in held if role in TARGET_ROLES[target]]
            if mine:
                latest = max(mine, key=lambda s: (s.end, s.start))
                people[pid] = (target, latest.unit_id)
                break
    sites = list(session.scalars(select(OrgUnit.id).where(OrgUnit.kind.in_(sorted(codes.SITE_KINDS)),
                                                           OrgUnit.active.is_(True), OrgUnit.deleted.is_(False))))
    return people, sites


def _subtree(session: Session, unit_id: str | None) -> set[str] | None:
    if unit_id is None:
        return None
    ids = set(session.scalars(unit_subtree(unit_id)))
    if not ids:
        raise ValidationError("找不到该单位", field="单位")
    return ids


def score_year(session: Session, year: int, *, unit_id: str | None = None,
               today: dt.date | None = None) -> Generator[Progress, None, ScoreSummary]:
    """Score *year* (R14): open the round with the defaults if there is none, create the missing
    evaluations, fill the automatic items, then totals, grades, quota, ranks and unfit flags of the round.

    *unit_id* limits which evaluations are created and read again to that unit's subtree; totals, quota
    and ranks are always those of the whole round. A closed round is refused at once (before the first
    step), as is a year not yet begun.
    """
    today = today or dt.date.today()
    if isinstance(year, bool) or not isinstance(year, int) or year > today.year:
        raise ValidationError(f"{year}年度尚未开始，不能计算", field="考评年度")
    existing = round_for_year(session, year)
    if existing is not None and existing.status == "closed":
        raise ValidationError(f"{year}年度考评已关闭，不重新计算", field="考评年度", rule="R14")
    scope = _subtree(session, unit_id)
    return _score_steps(session, year, scope, today)


def _score_steps(session: Session, year: int, scope: set[str] | None,
                 today: dt.date) -> Generator[Progress, None, ScoreSummary]:
    total_steps = 4
    yield (0, total_steps, f"准备{year}年度考评…")
    info = round_for_year(session, year)
    if info is None:
        info = open_round(session, year, today=today)
    rnd = get_round(session, info.id)
    require_open(rnd)
    ensure_rubrics(session, rnd)
    session.flush()
    rubric_of = dict(session.execute(select(Rubric.target, Rubric.id).where(Rubric.round_id == rnd.id,
                                                                           Rubric.deleted.is_(False))).tuples().all())

    yield (1, total_steps, "查找应参加考评的人员和站点…")
    spans = post_spans(session, year, today, _ALL_ROLES)
    people, sites = _candidates(session, spans)
    rows = _evaluations(session, rnd.id)
    by_person = {r[2]: r for r in rows if r[2]}
    by_site = {r[3]: r for r in rows if r[3]}
    new_rows: list[tuple[object, ...]] = []
    moves: list[tuple[str, tuple[object, ...], tuple[object, ...]]] = []
    for pid, (target, unit) in people.items():
        if scope is not None and unit not in scope:
            continue
        old = by_person.get(pid)
        if old is None:
            new_rows.append((rnd.id, rubric_of[target], pid, None, unit, False))
        elif old[4] != unit:
            moves.append((old[0], (old[4],), (unit,)))  # the unit of their latest post
    for site in sites:
        if (scope is None or site in scope) and site not in by_site:
            new_rows.append((rnd.id, rubric_of["site"], None, site, site, False))
    insert_rows(session, Evaluation.__table__, ("round_id", "rubric_id", "person_id", "site_id", "unit_id", "unfit"),
                new_rows, note="年度考评")
    write_updates(session, Evaluation, ("unit_id",), moves)

    yield (2, total_steps, "计算自动指标…")
    rows = _evaluations(session, rnd.id)
    in_scope = [r for r in rows if scope is None or r[4] in scope]
    scores = _scores(session, rnd.id, with_deleted=True)  # read once, for the automatic items and the totals
    points = _live_points(scores)
    _fill_automatic(session, rnd, in_scope, today, spans, scores=scores, points=points)
    del scores

    yield (3, total_steps, "计算总分、等次和排名…")
    result = _regrade(session, rnd, points)
    by_grade: dict[str, int] = {g: 0 for g in codes.GRADE_STANDARD}
    for _total, grade, _complete in result.values():
        if grade is not None:
            by_grade[grade] += 1
    yield (4, total_steps, "完成")
    return ScoreSummary(round_id=rnd.id, evaluated=len(result),
                        complete=sum(1 for _t, _g, c in result.values() if c), by_grade=by_grade)


# --- reading results ----------------------------------------------------------------------------------

def _post_labels(session: Session, year: int, person_targets: Mapping[str, tuple[str, str | None]]
                 ) -> dict[str, str]:
    """person id → the label of the post of their target they held last in the year (at their unit)."""
    spans = post_spans(session, year, dt.date(year, 12, 31), _ALL_ROLES, person_targets)
    out: dict[str, str] = {}
    for pid, (target, unit) in person_targets.items():
        mine = [(role, s) for role, s in spans.get(pid, []) if role in TARGET_ROLES.get(target, ())]
        if mine:
            here = [(r, s) for r, s in mine if s.unit_id == unit] or mine
            role = max(here, key=lambda pair: (pair[1].end, pair[1].start))[0]
            out[pid] = codes.label(codes.ROLE, role)
        else:
            out[pid] = codes.label(codes.EVALUATION_TARGET, target)
    return out


_TARGET_ORDER = {t: k for k, t in enumerate(codes.EVALUATION_TARGET)}


def _person_names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """person id → name, and person id → the key names sort by: the pinyin initials (stored with the
    person, else computed), as the training grid orders names — not by code point."""
    names: dict[str, str] = {}
    keys: dict[str, str] = {}
    for pid, name, name_initials in session.connection().execute(
            select(Person.id, Person.name, Person.name_initials)).tuples().all():
        names[pid] = name
        keys[pid] = name_initials or initials(name)
    return names, keys


def evaluations(session: Session, year: int, *, target: str | None = None,
                unit_id: str | None = None) -> list[EvaluationRow]:
    """The year's evaluations (none when the year has no round), by target then county rank (unranked
    last) then township, unit and name (by pinyin, as the training lists); *unit_id* keeps those whose
    unit lies in that subtree."""
    session.flush()
    info = round_for_year(session, year)
    if info is None:
        return []
    if target is not None and target not in codes.EVALUATION_TARGET:
        raise ValidationError(f"“{target}”不是有效的考评对象", field="考评对象")
    scope = _subtree(session, unit_id)
    targets, items = _rubric_items(session, info.id)
    units = _units(session)
    rows = [r for r in _evaluations(session, info.id)
            if (target is None or targets.get(r[1]) == target) and (scope is None or r[4] in scope)]
    points: dict[str, dict[str, float]] = defaultdict(dict)
    for _sid, eid, item_id, p, _auto, _gone, _note in _scores(session, info.id):
        points[eid][item_id] = p
    names, name_keys = _person_names(session)
    labels = _post_labels(session, year, {r[2]: (targets.get(r[1], ""), r[4]) for r in rows if r[2]})
    live = {rid: {i.id for i in its} for rid, its in items.items()}
    out: list[EvaluationRow] = []
    place: dict[str, tuple[tuple[int, str, str], tuple[int, str, str], str]] = {}
    for eid, rubric_id, pid, site, unit, total, grade, rt, rc, unfit in rows:
        place[eid] = (units.key(units.township(unit)), units.key(unit),
                      name_keys.get(pid, "") if pid else initials(units.name.get(site or "", "")))
        tgt = targets.get(rubric_id, "")
        township = units.township(unit)
        mine = {k: v for k, v in points.get(eid, {}).items() if k in live.get(rubric_id, ())}
        out.append(EvaluationRow(
            id=eid, round_id=info.id, year=year, target=tgt, target_label=codes.label(codes.EVALUATION_TARGET, tgt),
            person_id=pid, site_id=site, name=names.get(pid, "") if pid else units.name.get(site or "", ""),
            unit=units.name.get(unit or "", ""), township=units.name.get(township, "") if township else "",
            post=labels.get(pid, "") if pid else codes.label(codes.UNIT_KIND, units.kind.get(site or "", "")),
            total=total, grade=grade, grade_label=grade_label(grade, info.grade_scale), rank_township=rt,
            rank_county=rc, unfit=bool(unfit), complete=bool(items.get(rubric_id)) and _is_complete(
                items.get(rubric_id, []), mine)))
    out.sort(key=lambda r: (_TARGET_ORDER.get(r.target, 99), r.rank_county is None, r.rank_county or 0,
                            place[r.id], r.name))
    return out


def score_grid(session: Session, round_id: str, target: str, *,
               unit_id: str | None = None) -> tuple[list[GridItem], list[GridRow]]:
    """The items of the round's rubric for *target*, and one row per evaluation (in the unit's subtree),
    ordered by township, unit and name (by pinyin, as the training grid)."""
    session.flush()
    rnd = get_round(session, round_id)
    if target not in codes.EVALUATION_TARGET:
        raise ValidationError(f"“{target}”不是有效的考评对象", field="考评对象")
    scope = _subtree(session, unit_id)
    targets, items = _rubric_items(session, rnd.id)
    rubric_id = next((rid for rid, t in targets.items() if t == target), None)
    if rubric_id is None:
        return [], []
    its = items[rubric_id]
    grid_items = [GridItem(i.id, i.code, i.title, i.kind, i.max_points, i.indicator is not None) for i in its]
    units = _units(session)
    rows = [r for r in _evaluations(session, rnd.id) if r[1] == rubric_id and (scope is None or r[4] in scope)]
    live = {i.id for i in its}
    points: dict[str, dict[str, float]] = defaultdict(dict)
    auto: dict[str, dict[str, bool]] = defaultdict(dict)
    for _sid, eid, item_id, p, a, _gone, _note in _scores(session, rnd.id):
        if item_id in live:
            points[eid][item_id] = p
            auto[eid][item_id] = a
    names, name_keys = _person_names(session)
    out: list[tuple[tuple[object, ...], GridRow]] = []
    for eid, _rid, pid, site, unit, total, grade, *_rest in rows:
        name = names.get(pid, "") if pid else units.name.get(site or "", "")
        township = units.township(unit)
        unit_name = units.name.get(unit or "", "")
        row = GridRow(evaluation_id=eid, name=name, unit=unit_name,
                      points={i.id: points[eid].get(i.id) for i in its},
                      automatic={i.id: auto[eid].get(i.id, i.indicator is not None) for i in its},
                      total=total, grade_label=grade_label(grade, rnd.grade_scale))
        key = name_keys.get(pid, "") if pid else initials(name)
        out.append(((units.key(township), units.key(unit), key, name), row))
    out.sort(key=lambda pair: pair[0])
    return grid_items, [row for _key, row in out]


# --- entering scores and flags ------------------------------------------------------------------------

def _get_evaluation(session: Session, evaluation_id: str) -> Evaluation:
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.deleted:
        raise ValidationError("找不到该考评记录", field="考评记录")
    return ev


def save_scores(session: Session, changes: Mapping[tuple[str, str], float | None]) -> None:
    """Enter or clear (None) manual points: (evaluation id, item id) → points (R14).

    Everything is checked first — the evaluation and item exist and belong together, the item is entered
    by hand, 0 ≤ points ≤ the item's maximum; the message names the person (or site) and the item — and
    a closed round is refused. Then the points are written and the round's totals, grades, quota and ranks
    recomputed.
    """
    if not changes:
        return
    eval_ids = sorted({eid for eid, _item in changes})
    evs: dict[str, tuple[str, str, str | None, str | None, str | None]] = {}
    for chunk_start in range(0, len(eval_ids), _CHUNK):
        chunk = eval_ids[chunk_start:chunk_start + _CHUNK]
        for eid, rid, rubric_id, pid, site, unit in session.execute(
                select(Evaluation.id, Evaluation.round_id, Evaluation.rubric_id, Evaluation.person_id,
                       Evaluation.site_id, Evaluation.unit_id)
                .where(Evaluation.id.in_(chunk), Evaluation.deleted.is_(False))).tuples().all():
            evs[eid] = (rid, rubric_id, pid, site, unit)
    missing = [eid for eid in eval_ids if eid not in evs]
    if missing:
        raise ValidationError(f"找不到考评记录 {missing[0]}", field="考评记录")
    round_ids = {v[0] for v in evs.values()}
    if len(round_ids) > 1:
        raise ValidationError("一次只能保存同一年度的得分", field="考评年度")
    rnd = get_round(session, next(iter(round_ids)))
    require_open(rnd, "得分不能再修改")
    _targets, items = _rubric_items(session, rnd.id)
    item_by_id = {i.id: (rid, i) for rid, its in items.items() for i in its}
    units = _units(session)
    person_ids = [v[2] for v in evs.values() if v[2]]
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(person_ids))).tuples().all()) \
        if len(person_ids) <= _CHUNK else dict(session.execute(select(Person.id, Person.name)).tuples().all())

    def who(eid: str) -> str:
        _rid, _rub, pid, site, unit = evs[eid]
        name = names.get(pid, "") if pid else units.name.get(site or "", "")
        place = units.name.get(unit or "", "")
        return f"{name}（{place}）" if place and place != name else name

    clean: dict[tuple[str, str], float | None] = {}
    for (eid, item_id), value in changes.items():
        found = item_by_id.get(item_id)
        if found is None or found[0] != evs[eid][1]:
            raise ValidationError(f"{who(eid)}：考评细则中没有该项目", field="得分", rule="R14")
        item = found[1]
        what = f"{who(eid)}的“{item.code} {item.title}”"
        if item.indicator is not None:
            raise ValidationError(f"{what}由数据自动计算，不能手工录入", field="得分", rule="R14")
        if value is None:
            clean[(eid, item_id)] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValidationError(f"{what}：“{value}”不是数字", field="得分", rule="R14")
        if not 0 <= value <= item.max_points:
            raise ValidationError(f"{what}：{value:g} 分超出 0–{item.max_points:g} 分", field="得分", rule="R14")
        clean[(eid, item_id)] = round(float(value), 2)

    scores = _scores(session, rnd.id, with_deleted=True)  # read once, for the writes and the totals
    existing = {(eid, item_id): (sid, p, auto, gone)
                for sid, eid, item_id, p, auto, gone, _note in scores if eid in evs}
    points = _live_points(scores)
    del scores
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[str, tuple[object, ...], tuple[object, ...]]] = []
    for (eid, item_id), value in clean.items():
        old = existing.get((eid, item_id))
        if old is None:
            if value is not None:
                inserts.append((eid, item_id, value, False))
            continue
        sid, p, auto, gone = old
        new = (p, False, True) if value is None else (value, False, False)
        updates.append((sid, (p, auto, gone), new))
    insert_rows(session, EvaluationScore.__table__, ("evaluation_id", "item_id", "points", "automatic"), inserts,
                note="考评得分")
    write_updates(session, EvaluationScore, ("points", "automatic", "deleted"), updates)
    for (eid, item_id), value in clean.items():
        if value is None:
            points.get(eid, {}).pop(item_id, None)
        else:
            points.setdefault(eid, {})[item_id] = value
    _regrade(session, rnd, points)


def set_unfit(session: Session, evaluation_id: str, unfit: bool) -> None:
    """Flag (or unflag) by hand one evaluated person as unable to do the job, for adjustment (R14)."""
    ev = _get_evaluation(session, evaluation_id)
    require_open(get_round(session, ev.round_id), "不能再修改")
    if ev.unfit != bool(unfit):
        ev.unfit = bool(unfit)
        session.flush()


def evaluation_texts(session: Session, evaluation_id: str) -> tuple[str | None, str | None]:
    """(self-summary, opinion) stored for one evaluation (None where there is none); any round, open or
    closed. An unknown or deleted evaluation is refused."""
    row = session.execute(select(Evaluation.self_summary, Evaluation.opinion)
                          .where(Evaluation.id == evaluation_id, Evaluation.deleted.is_(False))).tuples().first()
    if row is None:
        raise ValidationError("找不到该考评记录", field="考评记录")
    return row[0], row[1]


def set_texts(session: Session, evaluation_id: str, *, self_summary: str | None = None,
              opinion: str | None = None) -> None:
    """Set the self-summary and the opinion printed on the form; None leaves a text as it is, "" clears
    it. Allowed on a closed round too: texts change no score."""
    ev = _get_evaluation(session, evaluation_id)
    for value, label in ((self_summary, "个人总结"), (opinion, "单位意见")):
        if value is not None and len(value.strip()) > MAX_TEXT_LEN:
            raise ValidationError(f"最多 {MAX_TEXT_LEN} 个字，实际 {len(value.strip())} 个字", field=label)
    if self_summary is not None:
        ev.self_summary = self_summary.strip() or None
    if opinion is not None:
        ev.opinion = opinion.strip() or None
    session.flush()
