"""Search as you type over the whole staff, in memory: the text part of :class:`StaffFilter`.

Why not SQL: a term has to be matched anywhere inside a name or a phone number
(``LIKE '%002%'``), which no index serves, so over 100,000 people SQLite reads
every row for every keystroke (``002``: 35–80 ms for the query alone, measured
by ``bench/staff_list.py``; the goal for a whole keystroke is 50 ms). This index
holds what the terms look at for every person — about 20 MB for 100,000, built
off the UI thread in about half a second — and answers a term in a few milliseconds:

- letters (pinyin initials, from the start): a bisect over the initials sorted;
- digits at the end of the ID number: a bisect over the reversed ID numbers sorted;
- digits inside a phone: the phones holding each run of three digits (trigrams),
  checked against the whole term when it is longer;
- characters inside a name: ``str.find`` over all names joined into one string,
  each hit mapped back to its person.

Each field is kept as one joined string with the start of every value, not as
100,000 string objects.

The matches are then kept in the order of the list without search text (the
filter's other criteria and the sort come from :class:`StaffQuery`, which the
list has already run), so a search never sorts. :meth:`SearchIndex.filter` gives
exactly what ``StaffQuery`` with the same text gives: the terms are
:func:`staff_query.search_terms` and each is matched as
:func:`staff_query._term_condition` does in SQL (tests compare the two).

The index is built from one query and never changes: after a data change,
build a new one. No Qt here.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import Person
from .staff_query import _LETTERS, _is_digit_term, search_terms

_SEP = "\x00"  # never inside a name, phone or ID number
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # SQLite LIKE folds ASCII only
_MAX_PREFIX = "\U0010ffff"


class _Joined:
    """Strings joined into one, with each one's start: ``find`` over all of them at C speed, and any
    one of them back by slicing (no object per string kept)."""

    _CHUNK = 4096  # values joined a chunk at a time: the single values are never all alive at once

    def __init__(self) -> None:
        self.starts = array("i")
        self._chunks: list[str] = []
        self._parts: list[str] = []
        self._pos = 1
        self.text = ""

    def add(self, value: str) -> None:
        self.starts.append(self._pos)
        self._pos += len(value) + 1
        self._parts.append(value)
        if len(self._parts) >= self._CHUNK:
            self._chunks.append(_SEP.join(self._parts))
            self._parts = []

    def close(self) -> None:
        self._chunks.append(_SEP.join(self._parts))
        self.starts.append(self._pos)  # one past the last: the end of value k is starts[k + 1] - 1
        self.text = _SEP + _SEP.join(self._chunks) + _SEP
        self._chunks, self._parts = [], []

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, k: int) -> str:
        return self.text[self.starts[k]:self.starts[k + 1] - 1]

    def containing(self, term: str) -> list[int]:
        """The positions (in order) of the strings that contain *term*."""
        found: list[int] = []
        text, starts = self.text, self.starts
        pos = text.find(term)
        while pos != -1:
            k = bisect_right(starts, pos) - 1
            found.append(k)
            pos = text.find(term, starts[k + 1])  # one hit per string is enough
        return found


class _Prefixes:
    """Which strings start with a prefix: their positions sorted by the strings, searched by bisection."""

    def __init__(self, values: _Joined) -> None:
        self.values = values
        every = values.text[1:-1].split(_SEP) if len(values) else []  # for the sort only: 100,000 keys by list index, not by slicing
        self.order = array("i", sorted(range(len(every)), key=every.__getitem__))

    def starting_with(self, prefix: str) -> Sequence[int]:
        key = self.values.__getitem__
        lo = bisect_left(self.order, prefix, key=key)
        hi = bisect_left(self.order, prefix + _MAX_PREFIX, lo, key=key)
        return self.order[lo:hi]


class _Trigrams:
    """For each run of three digits, the positions of the phone numbers holding it: a digit term of a
    phone is found without reading every number (``002`` is in about one number in ten)."""

    def __init__(self) -> None:
        self.grams: dict[str, array[int]] = {}

    def add(self, k: int, phone: str) -> None:
        for gram in {phone[i:i + 3] for i in range(len(phone) - 2)}:
            if gram.isdigit() and gram.isascii():
                found = self.grams.get(gram)
                if found is None:
                    found = self.grams[gram] = array("i")
                found.append(k)

    def containing(self, term: str, phones: _Joined) -> Sequence[int]:
        """Positions of the phones containing *term* (ASCII digits, at least three)."""
        grams = [self.grams.get(term[i:i + 3]) for i in range(len(term) - 2)]
        if not all(grams):
            return ()
        rarest = min(grams, key=len)  # type: ignore[arg-type]
        if len(term) == 3:
            return rarest  # type: ignore[return-value]
        return [k for k in rarest if term in phones[k]]  # type: ignore[union-attr]


class SearchIndex:
    """What the search terms match, for every person (see the module docstring)."""

    def __init__(self, people: Iterable[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        """*people*: (id, name, initials, phone, ID number) of every person."""
        self._ids = _Joined()
        self._names, self._initial_text, self._phones, self._id_text = _Joined(), _Joined(), _Joined(), _Joined()
        self._trigrams = _Trigrams()
        for k, (pid, name, init, phone, id_number) in enumerate(people):
            self._ids.add(pid)
            self._names.add((name or "").translate(_ASCII_LOWER))
            self._initial_text.add((init or "").translate(_ASCII_LOWER))
            self._phones.add(phone or "")
            self._id_text.add((id_number or "").upper()[::-1])  # reversed: the last digits are a prefix
            if phone:
                self._trigrams.add(k, phone)
        for joined in (self._ids, self._names, self._initial_text, self._phones, self._id_text):
            joined.close()
        self._initials = _Prefixes(self._initial_text)
        self._id_tails = _Prefixes(self._id_text)

    def __len__(self) -> int:
        return len(self._ids)

    def _positions(self, term: str) -> Iterable[int]:
        """Who one term matches, as in ``staff_query._term_condition``."""
        if _is_digit_term(term):
            tails = self._id_tails.starting_with(term.upper()[::-1])
            if not term.isdigit():
                return tails
            phones = self._trigrams.containing(term, self._phones) if term.isascii() else \
                self._phones.containing(term)
            return set(tails).union(phones)
        if _LETTERS.match(term):
            return self._initials.starting_with(term)
        return self._names.containing(term)

    def matching(self, text: str) -> set[str] | None:
        """The ids of everyone the search *text* matches; None when it has no term that applies."""
        terms = search_terms(text)
        if not terms:
            return None
        # The rarest term first would be best; the longest is a good guess and cheap.
        terms.sort(key=len, reverse=True)
        positions: Iterable[int] = self._positions(terms[0])
        for term in terms[1:]:
            positions = set(positions).intersection(self._positions(term))
            if not positions:
                return set()
        text_, starts = self._ids.text, self._ids.starts  # inlined _Joined.__getitem__: 11,000 ids in 2 ms
        return {text_[starts[k]:starts[k + 1] - 1] for k in positions}

    def filter(self, ordered_ids: list[str], text: str) -> list[str]:
        """The ids of *ordered_ids* (a list without search text) that *text* matches, in their order."""
        matched = self.matching(text)
        if matched is None:
            return list(ordered_ids)
        if not matched:
            return []
        return list(filter(matched.__contains__, ordered_ids))


def build_search_index(session: Session) -> SearchIndex:
    """The index over every person in the database (deleted and left ones too: the list's own
    criteria, applied by :class:`StaffQuery`, decide who is shown)."""
    stmt = select(Person.id, Person.name, Person.name_initials, Person.phone, Person.id_number)
    result = session.connection().execute(stmt)
    cursor = result.cursor

    def rows() -> Iterator[tuple[str, str | None, str | None, str | None, str | None]]:
        # Plain tuples from the driver (no per-row result processing), a block at a time, so that the
        # whole result is never held at once beside the index being built.
        while block := cursor.fetchmany(5000):
            yield from block

    try:
        return SearchIndex(rows())
    finally:
        result.close()


__all__ = ["SearchIndex", "build_search_index"]
