"""The staff list (R10): which people match a filter, in which order, and what a list row shows.

Two calls, shaped for a list of 100,000 people that only ever shows a screenful:

- :meth:`StaffQuery.ids` runs ONE statement and returns the ordered ids of every
  matching person (a list of strings is cheap; the rows are not);
- :func:`rows_for` fetches the display rows for one block of those ids, in one
  statement, with personal data already masked (DOMAIN.md, "Personal data").

Both use portable SQL only (a recursive CTE, ``IN``/``EXISTS`` subqueries,
``CASE``, ``LIKE`` with an explicit escape character, ``NULLS LAST``), so they
run unchanged on SQLite (3.30 or later) and PostgreSQL. No Qt here.

Where a person "is": an active person is where their open posts are; a person
who left the team (``left_on`` set) has no open post, so they are found at, and
shown with, the posts they last held.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    nulls_last,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from .. import codes
from ..data.models import Certificate, OrgUnit, Person, Post
from .id_number import mask_id_number

Status = Literal["active", "left", "all"]
STATUSES: tuple[Status, ...] = ("active", "left", "all")

#: Sort keys, each with its own secondary order (always ending on name and id, so the order is total).
SORT_KEYS: tuple[str, ...] = ("name", "gender", "age", "birth_date", "unit", "role", "certificate", "status")

#: Certificate ranks, best first: what the list shows for a person is their best certificate (R11).
CERT_VALID, CERT_EXPIRED, CERT_REPLACED, CERT_REVOKED = 0, 1, 2, 3
_CERT_LABEL = {CERT_VALID: codes.CERTIFICATE_STATUS["valid"], CERT_EXPIRED: codes.CERTIFICATE_STATUS["expired"],
               CERT_REPLACED: codes.CERTIFICATE_STATUS["replaced"],
               CERT_REVOKED: codes.CERTIFICATE_STATUS["revoked"]}
NO_CERTIFICATE = "无"

_ROLE_RANK = {code: n for n, code in enumerate(codes.ROLE)}  # the order of the code table
#: Digit terms shorter than this are not applied yet: "1" or "13" is in nearly every phone number, so
#: the list would not narrow, and over 100,000 people such a query costs ~0.3 s for nothing.
MIN_DIGITS = 3
_LIKE_ESCAPE = "\\"
_ID_TAIL = re.compile(r"^[0-9]+X?$")
_LETTERS = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class StaffFilter:
    """What the clerk asked for. Every field narrows the list; the defaults show everyone on the team."""

    #: Search as you type: space-separated terms, all must match. A term of Chinese characters matches
    #: the name; letters match the start of the pinyin initials (zs → 张三丰); digits (from
    #: :data:`MIN_DIGITS` on) match anywhere in the phone number or the end of the ID number (last
    #: digits, optionally with a final X).
    text: str = ""
    role: str | None = None  #: a code of :data:`codes.ROLE`
    unit_id: str | None = None  #: the unit and every unit below it (a township includes its sites)
    status: Status = "active"  #: active: still on the team; left: left it; all
    has_valid_certificate: bool | None = None  #: True: yes, False: no, None: any

    def normalized(self) -> StaffFilter:
        """The same filter with its text reduced to the applied terms: "张 1" and "张" select the
        same people, and as cache keys they are equal."""
        return replace(self, text=" ".join(search_terms(self.text)))


@dataclass(frozen=True)
class StaffRow:
    """One row of the staff list, ready to show: no ORM object, personal data masked."""

    id: str
    name: str
    gender: str  #: label (男/女)
    birth_date: dt.date
    age: int
    id_number_masked: str  #: first 6 + ******** + last 4
    phone_masked: str  #: 3 + **** + 4
    units: str  #: current unit(s), a site with its township ("龙潭镇 / 新村"), "；"-separated
    roles: str  #: role label(s), with A岗/B岗 for village site managers (R3), in the order of ``units``
    certificate: str  #: best certificate's status label, or "无"
    left_on: dt.date | None

    @property
    def active(self) -> bool:
        return self.left_on is None


def normalize_text(text: str) -> list[str]:
    """The words of *text*: full-width characters folded (NFKC), lower-cased, split on spaces."""
    return unicodedata.normalize("NFKC", text or "").lower().split()


def _is_digit_term(term: str) -> bool:
    return bool(_ID_TAIL.match(term.upper())) and any(c.isdigit() for c in term)


def search_terms(text: str) -> list[str]:
    """The terms of *text* that are applied (digit terms shorter than :data:`MIN_DIGITS` are not)."""
    return [t for t in normalize_text(text) if not (_is_digit_term(t) and len(t) < MIN_DIGITS)]


def _escape_like(term: str) -> str:
    return term.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace(
        "_", _LIKE_ESCAPE + "_")


def _term_condition(term: str) -> ColumnElement[bool]:
    esc = _escape_like(term)
    name_has = Person.name.like(f"%{esc}%", escape=_LIKE_ESCAPE)
    if _is_digit_term(term):
        tail = Person.id_number.like(f"%{esc.upper()}", escape=_LIKE_ESCAPE)
        if term.isdigit():
            return or_(Person.phone.like(f"%{esc}%", escape=_LIKE_ESCAPE), tail)
        return tail
    if _LETTERS.match(term):
        # Initials only: names are in Chinese characters, and the initials of any other character are
        # the character itself, lower-cased, so a Latin name still matches from its start. Testing
        # the name as well cost 7 ms a keystroke over 100,000 people for nothing.
        return Person.name_initials.like(f"{esc}%", escape=_LIKE_ESCAPE)
    return name_has


def _placing(post: type[Post], status: Status) -> ColumnElement[bool]:
    """The posts that place a person (see the module docstring), inside a subquery correlated to
    :class:`Person`; knowing the status filter spares the per-row test where it can."""
    if status == "active":
        return and_(post.end_date.is_(None), post.deleted == false())
    if status == "left":
        return post.deleted == false()
    return and_(post.deleted == false(), or_(post.end_date.is_(None), Person.left_on.is_not(None)))


def _cert_rank(today: dt.date | BindParameter[dt.date]) -> ColumnElement[int]:
    c = Certificate
    return case(
        (and_(c.status == "valid", or_(c.valid_until.is_(None), c.valid_until >= today)), CERT_VALID),
        (c.status.in_(("valid", "expired")), CERT_EXPIRED),  # a "valid" one past its date has expired
        (c.status == "replaced", CERT_REPLACED),
        else_=CERT_REVOKED,
    )


_PARENT = aliased(OrgUnit, name="parent_unit")


def _role_rank() -> ColumnElement[int]:
    """A post's role as its place in the code table (township managers first)."""
    return case(_ROLE_RANK, value=Post.role, else_=len(_ROLE_RANK))


def _unit_path() -> ColumnElement[str]:
    """What the list shows as a unit, so that sorting by it follows the display: "龙潭镇 / 新村"."""
    return case((and_(OrgUnit.kind.in_(codes.SITE_KINDS), _PARENT.name.is_not(None)),
                 _PARENT.name + " / " + OrgUnit.name), else_=OrgUnit.name)


def unit_subtree(unit_id: str) -> Select[tuple[str]]:
    """The ids of *unit_id* and every unit below it (a portable recursive CTE)."""
    tree = select(OrgUnit.id).where(OrgUnit.id == unit_id).cte("unit_tree", recursive=True)
    child = aliased(OrgUnit)
    tree = tree.union_all(select(child.id).where(child.parent_id == tree.c.id))
    return select(tree.c.id)


class StaffQuery:
    """The ordered ids of the people matching *flt*, sorted by *sort* (one of :data:`SORT_KEYS`).

    Ascending ``age`` is youngest first; people without a unit, role or
    certificate sort after the others whatever the direction. Ties fall back
    to the name (pinyin initials, then the characters) and the id.

    How each criterion is written was chosen by measurement over 100,000
    people on SQLite (``bench/staff_list.py``): the text terms first (see
    :meth:`conditions`); the unit as an uncorrelated ``IN`` driven by the
    ``(unit_id, role)`` index, because a unit's subtree is small (a township:
    13 ms); role alone and certificates as correlated ``EXISTS``, probed only
    for the rows the text left (``IN`` over 80,000 village managers cost more).
    """

    def __init__(self, flt: StaffFilter | None = None, sort: str = "name", descending: bool = False,
                 *, today: dt.date | None = None) -> None:
        if sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {sort!r}; known: {', '.join(SORT_KEYS)}")
        self.filter = flt or StaffFilter()
        if self.filter.status not in STATUSES:
            raise ValueError(f"unknown status {self.filter.status!r}")
        self.sort = sort
        self.descending = descending
        self.today = today or dt.date.today()

    # -- the WHERE clause -------------------------------------------------------------------------

    def conditions(self) -> list[ColumnElement[bool]]:
        f = self.filter
        # The text terms come first: SQLite tests the terms in this order and decodes a row's
        # columns only as far as it needs; name, initials, ID number and phone come early in the
        # row, left_on and deleted late (measured: 'zh' over 100,000 people 38 → 23 ms).
        where = [_term_condition(term) for term in search_terms(f.text)]
        if f.status == "active":
            where.append(Person.left_on.is_(None))
        elif f.status == "left":
            where.append(Person.left_on.is_not(None))
        where.append(Person.deleted == false())
        if f.unit_id is not None:
            posts = select(Post.person_id).where(Post.unit_id.in_(unit_subtree(f.unit_id)), Post.deleted == false())
            if f.role is not None:  # the same post: a tutor at this township, not a tutor elsewhere
                posts = posts.where(Post.role == f.role)
            open_posts = posts.where(Post.end_date.is_(None))
            if f.status == "active":
                where.append(Person.id.in_(open_posts))
            elif f.status == "left":
                where.append(Person.id.in_(posts))
            else:
                where.append(or_(Person.id.in_(open_posts), and_(Person.left_on.is_not(None), Person.id.in_(posts))))
        elif f.role is not None:
            where.append(select(Post.id).where(Post.person_id == Person.id, Post.role == f.role,
                                               _placing(Post, f.status)).exists())
        if f.has_valid_certificate is not None:
            valid = select(Certificate.id).where(
                Certificate.person_id == Person.id, Certificate.deleted == false(), Certificate.status == "valid",
                or_(Certificate.valid_until.is_(None), Certificate.valid_until >= self.today)).exists()
            where.append(valid if f.has_valid_certificate else ~valid)
        return where

    # -- the ORDER BY clause ----------------------------------------------------------------------

    def _per_person(self, value: ColumnElement[object], *, with_unit: bool = False) -> ColumnElement[object]:
        """min(*value*) over the posts that place the person (a correlated scalar subquery)."""
        stmt = select(func.min(value)).select_from(Post)
        if with_unit:
            stmt = stmt.join(OrgUnit, OrgUnit.id == Post.unit_id).outerjoin(
                _PARENT, _PARENT.id == OrgUnit.parent_id)
        stmt = stmt.where(Post.person_id == Person.id, _placing(Post, self.filter.status))
        return stmt.correlate(Person).scalar_subquery()

    def order_by(self) -> list[ColumnElement[object]]:
        # Pinyin initials, then the characters: close to the 按拼音 order a clerk expects. No coalesce()
        # around the initials: computing it for every row made the full sort 50 % slower (measured);
        # the price is that a person without initials (none written by this program) sorts first on
        # SQLite and last on PostgreSQL.
        name_keys: list[ColumnElement[object]] = [Person.name_initials, Person.name]
        desc = self.descending

        def d(col: ColumnElement[object]) -> ColumnElement[object]:
            return col.desc() if desc else col.asc()

        def missing_last(value: ColumnElement[object]) -> list[ColumnElement[object]]:
            # Standard NULLS LAST (SQLite ≥ 3.30, PostgreSQL): one term, so the subquery runs once per
            # row; a CASE … IS NULL key beside it ran it twice (unit order over 100,000: 1.0 → 0.6 s).
            return [nulls_last(d(value))]

        if self.sort == "name":
            keys = [d(k) for k in name_keys]
        elif self.sort == "gender":
            keys = [d(Person.gender), *name_keys]
        elif self.sort in ("age", "birth_date"):
            young_first = (self.sort == "age") != desc
            keys = [Person.birth_date.desc() if young_first else Person.birth_date.asc(), *name_keys]
        elif self.sort == "unit":
            keys = [*missing_last(self._per_person(_unit_path(), with_unit=True)), *name_keys]
        elif self.sort == "role":
            role_rank = _role_rank()
            slot_rank = case((Post.slot == "A", 1), (Post.slot == "B", 2), else_=0)
            keys = [*missing_last(self._per_person(role_rank * 10 + slot_rank)), *name_keys]
        elif self.sort == "certificate":
            rank = (select(func.min(_cert_rank(self.today)))
                    .where(Certificate.person_id == Person.id, Certificate.deleted == false())
                    .correlate(Person).scalar_subquery())
            keys = [*missing_last(rank), *name_keys]
        else:  # status: on the team first (ascending), then the most recent leavers
            keys = [d(case((Person.left_on.is_(None), 0), else_=1)), Person.left_on.desc(), *name_keys]
        return [*keys, Person.id]

    # -- running it -------------------------------------------------------------------------------

    def statement(self) -> Select[tuple[str]]:
        return select(Person.id).where(*self.conditions()).order_by(*self.order_by())

    def ids(self, session: Session, *, limit: int | None = None) -> list[str]:
        """Every matching person id in order, or the first *limit* of them.

        The ids are read from the driver's cursor: a column of plain strings needs none of
        SQLAlchemy's per-row result processing, which costs more than the query itself here
        (98,000 ids: 345 ms through ``scalars().all()``, 150 ms from the cursor, measured).
        With a *limit* the database keeps only the best rows while it scans instead of sorting
        them all (the first 100 of 98,000: 40 ms instead of 160 ms).
        """
        stmt = self.statement() if limit is None else self.statement().limit(limit)
        result = session.connection().execute(stmt)
        try:
            return [row[0] for row in result.cursor.fetchall()]
        finally:
            result.close()


def mask_phone(phone: str | None) -> str:
    """The phone for lists: 3 + **** + last 4 (138****5678). Shorter numbers keep only their last 2."""
    text = "".join((phone or "").split())
    if not text:
        return ""
    if len(text) >= 8:
        return text[:3] + "****" + text[-4:]
    return "*" * max(len(text) - 2, 0) + text[-2:]


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _role_label(role: str | None, slot: str | None) -> str:
    text = codes.label(codes.ROLE, role)
    return f"{text} {codes.label(codes.SLOT, slot)}" if slot else text


@lru_cache(maxsize=1)
def _rows_statement() -> Select[tuple[object, ...]]:
    """Built once (the block fetch runs for every screenful; building it cost more than running it)."""
    parent = _PARENT
    today = bindparam("today", type_=Date)
    cert = (select(func.min(_cert_rank(today)))
            .where(Certificate.person_id == Person.id, Certificate.deleted == false())
            .correlate(Person).scalar_subquery())
    return (select(Person.id, Person.name, Person.gender, Person.birth_date, Person.id_number, Person.phone,
                   Person.left_on, Post.role, Post.slot, Post.end_date, OrgUnit.name, OrgUnit.kind,
                   parent.name, cert)
            .select_from(Person)
            .outerjoin(Post, and_(Post.person_id == Person.id, _placing(Post, "all")))
            .outerjoin(OrgUnit, OrgUnit.id == Post.unit_id)
            .outerjoin(parent, parent.id == OrgUnit.parent_id)
            .where(Person.id.in_(bindparam("ids", expanding=True)))
            .order_by(Person.id, Post.start_date, _role_rank(), Post.id))


class _Held(NamedTuple):
    role: str
    slot: str | None
    end_date: dt.date | None
    unit: str
    kind: str
    parent: str | None


def rows_for(session: Session, ids: Sequence[str], *, today: dt.date | None = None) -> list[StaffRow]:
    """The display rows of *ids* (one block of a list, e.g. 100), in the order of *ids*, in one statement.

    Ids that no longer exist are left out. Keep blocks well under the database's parameter
    limit (SQLite: 32,766).
    """
    if not ids:
        return []
    today = today or dt.date.today()
    people: dict[str, tuple[str, str, dt.date, str, str | None, dt.date | None, int | None]] = {}
    posts: dict[str, list[_Held]] = {}
    result = session.connection().execute(_rows_statement(), {"ids": list(ids), "today": today})
    for (pid, name, gender, birth, id_number, phone, left_on, role, slot, end_date, unit, kind, parent,
         rank) in result:
        if pid not in people:
            people[pid] = (name, gender, birth, id_number, phone, left_on, rank)
            posts[pid] = []
        if role is not None:
            posts[pid].append(_Held(role, slot, end_date, unit or "", kind or "", parent))
    out = []
    for pid in ids:
        if pid not in people:
            continue
        name, gender, birth, id_number, phone, left_on, rank = people[pid]
        held = posts[pid]
        if left_on is not None and held:  # someone who left: the posts they held last
            last = max(p.end_date or dt.date.max for p in held)
            held = [p for p in held if (p.end_date or dt.date.max) == last]
        out.append(StaffRow(
            id=pid, name=name, gender=codes.label(codes.GENDER, gender), birth_date=birth,
            age=age_on(birth, today), id_number_masked=mask_id_number(id_number), phone_masked=mask_phone(phone),
            units="；".join(f"{p.parent} / {p.unit}" if p.kind in codes.SITE_KINDS and p.parent else p.unit
                           for p in held),
            roles="；".join(_role_label(p.role, p.slot) for p in held),
            certificate=NO_CERTIFICATE if rank is None else _CERT_LABEL.get(rank, NO_CERTIFICATE),
            left_on=left_on))
    return out


__all__ = ["MIN_DIGITS", "NO_CERTIFICATE", "SORT_KEYS", "STATUSES", "StaffFilter", "StaffQuery", "StaffRow", "age_on",
           "mask_phone", "normalize_text", "rows_for", "search_terms", "unit_subtree"]
