"""The staff list's table model: it holds the ordered person ids and nothing else up front.

Like Anki's browser table (``qt/aqt/browser/table/model.py``): one query gives
the ids of every matching person in order; a row's text is fetched only when
the view asks for it, a block of :data:`BLOCK_SIZE` rows at a time, and kept in
a cache bounded to :data:`CACHE_ROWS` rows (least recently used goes first).
The cache is keyed by person id, so rows survive a new search: typing "zh"
after "z" repaints from the cache what both lists share.

Why plain lazy fetching in :meth:`data` and not ``canFetchMore``/``fetchMore``:
``fetchMore`` grows ``rowCount`` as the clerk scrolls, so the scroll bar lies
about the length of the list, the count "共 N 人" is not the model's row count,
and dragging the scroll thumb to the end (or Ctrl+End) fetches every row in
between. With the full id list (about 9 MB for 100,000 people) ``rowCount`` is
exact from the start and any position costs one block. The block is fetched
synchronously inside :meth:`data` — one indexed query for 100 rows, 5 to
10 ms — and everything :meth:`data` returns afterwards is a precomputed string.

The id query itself runs on a background thread (``Job.inline`` runs it
synchronously in tests, like every job), because over 100,000 people the full
sorted list takes ~0.2 s and sorting by unit ~0.7 s: typing stays fluid, the
newest request wins and at most one query runs at a time. A list without
search text (everyone, a role, a township) is the long one: its first
screenful comes from a LIMIT query and is shown at once, and the rest is
appended when the full query returns. The last few id lists are kept per
(filter, sort), so clearing the search box or going back to a previous sort
shows at once; any data change clears them (:meth:`refresh`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from ...services.staff_query import StaffFilter, StaffQuery, StaffRow, rows_for
from ...services.staff_search import SearchIndex, build_search_index
from ..context import AppContext
from ..worker import Job

BLOCK_SIZE = 100  # rows per fetch: a screenful is ~25 rows; 100 rows cost ~10 ms, 200 ~16 ms (measured)
CACHE_ROWS = 2_000  # rows kept (LRU); a few screens either way of the current one
ID_LISTS_KEPT = 6  # id lists kept per (filter, sort key, descending) …
ID_LISTS_BUDGET = 150_000  # … and ids in all of them together (~9 MB each 100,000), the newest always kept

# (sort key or None when the column is not sortable): the order of the columns.
COLUMN_SORT_KEYS: tuple[str | None, ...] = ("name", "gender", "age", None, None, "role", "certificate", "status",
                                            "unit")
COL_NAME, COL_GENDER, COL_AGE, COL_ID_NUMBER, COL_PHONE, COL_ROLE, COL_CERTIFICATE, COL_STATUS, COL_UNIT = range(9)

_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _USER = (
    int(r.value) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole,
                           Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.UserRole))
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _USER})
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_CENTER = Qt.AlignmentFlag.AlignCenter

QueryKey = tuple[StaffFilter, str, bool]
_Index = QModelIndex | QPersistentModelIndex


class StaffSource(Protocol):
    """Where the model gets its data (the database through services, or a fake in tests)."""

    def ids(self, flt: StaffFilter, sort: str, descending: bool, limit: int | None = None) -> list[str]: ...

    def rows(self, ids: Sequence[str]) -> list[StaffRow]: ...

    def search_index(self) -> SearchIndex: ...


class ContextSource:
    """The database of an :class:`AppContext`: one short session per call (safe from any thread)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def ids(self, flt: StaffFilter, sort: str, descending: bool, limit: int | None = None) -> list[str]:
        with self.ctx.session() as session:
            return StaffQuery(flt, sort, descending).ids(session, limit=limit)

    def rows(self, ids: Sequence[str]) -> list[StaffRow]:
        with self.ctx.session() as session:
            return rows_for(session, ids)

    def search_index(self) -> SearchIndex:
        with self.ctx.session() as session:
            return build_search_index(session)


def without_text(key: QueryKey) -> QueryKey:
    """The same list before any search text: what a search filters (in memory, keeping its order)."""
    flt, sort, descending = key
    return replace(flt, text=""), sort, descending


class _IdQuerySignals(QObject):
    first = Signal(object)  # the first ids, before the whole list (long lists only)
    base = Signal(object)  # a search's list without text, read on the way (cached by the model)
    done = Signal(object)  # every id
    index = Signal(object)  # the search index, built on the way
    failed = Signal(object)  # the exception
    ended = Signal()  # always last


class _IdQuery(QRunnable):
    """One id query off the UI thread; ``Job.inline`` (tests) runs it synchronously, like every job.

    A list without search text comes from :class:`StaffQuery`; with *build_index* the search index
    is built after it (still off the UI thread), so the first keystroke finds it ready. A search
    filters its list without text through the index, reading whichever of the two it is not given.
    """

    def __init__(self, source: StaffSource, key: QueryKey, first: int | None, *,
                 base: list[str] | None = None, index: SearchIndex | None = None, build_index: bool = False) -> None:
        super().__init__()
        self.source, self.key, self.first = source, key, first
        self.base_ids, self.search, self.build_index = base, index, build_index
        self.signals = _IdQuerySignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        flt, sort, descending = self.key
        try:
            if flt.text:
                base = self.base_ids
                if base is None:
                    base = self.source.ids(replace(flt, text=""), sort, descending)
                    self.signals.base.emit(base)
                index = self.search
                if index is None:
                    index = self.source.search_index()
                    self.signals.index.emit(index)
                self.signals.done.emit(index.filter(base, flt.text))
            else:
                if self.first:
                    self.signals.first.emit(self.source.ids(flt, sort, descending, self.first))
                self.signals.done.emit(self.source.ids(flt, sort, descending))
                if self.build_index:
                    self.signals.index.emit(self.source.search_index())
        except Exception as exc:  # shown by the page
            self.signals.failed.emit(exc)
        finally:
            self.signals.ended.emit()

    def start(self) -> None:
        if Job.inline:
            self.run()
        else:
            QThreadPool.globalInstance().start(self)


class StaffTableModel(QAbstractTableModel):
    """Rows are people; columns are :data:`COLUMN_SORT_KEYS`. See the module docstring."""

    loaded = Signal(int)  # a query's result is shown: the number of people
    busy_changed = Signal(bool)  # a query started (True) or every query ended (False)
    failed = Signal(str)  # a query or a block fetch failed: the message

    def __init__(self, source: StaffSource, parent: QObject | None = None, *, block_size: int = BLOCK_SIZE,
                 cache_rows: int = CACHE_ROWS) -> None:
        super().__init__(parent)
        self._source = source
        self._block = block_size
        self._cache_limit = max(cache_rows, 2 * block_size)
        self._ids: list[str] = []
        self._rows: OrderedDict[str, tuple[tuple[str, ...], StaffRow | None]] = OrderedDict()
        self._id_lists: OrderedDict[QueryKey, list[str]] = OrderedDict()
        self._index: SearchIndex | None = None  # built off the UI thread after the first whole list
        self._filter = StaffFilter()
        self._sort_column = COL_NAME
        self._order = Qt.SortOrder.AscendingOrder
        self._shown: QueryKey | None = None  # the query whose ids are in self._ids
        self._wanted: QueryKey | None = None  # the newest query asked for
        self._job: _IdQuery | None = None
        self._running: tuple[QueryKey, int] | None = None  # the query in flight and its generation
        self._generation = 0  # grows with every refresh(): results of older queries are stale
        self._partial = False  # only the first screenful of the shown query is in self._ids
        self._whole_next = False  # the next query skips the first-screenful step (refresh)
        self._active = False  # no query before the first filter (the view sorts the model when it is set)
        self.fetched_rows = 0  # rows fetched from the source since creation (the tests watch it)
        self._headers = [self.tr("Name"), self.tr("Gender"), self.tr("Age"), self.tr("ID number"), self.tr("Phone"),
                         self.tr("Post"), self.tr("Certificate"), self.tr("Status"), self.tr("Unit")]
        self._on_team = self.tr("On the team")
        self._left = self.tr("Left {0}")
        self._left_brush = QBrush(QColor(128, 128, 128))

    # -- what the page asks ------------------------------------------------------------------------

    @property
    def filter(self) -> StaffFilter:
        return self._filter

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def cached_rows(self) -> int:
        return len(self._rows)

    def ids(self) -> list[str]:
        return list(self._ids)

    def person_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def set_filter(self, flt: StaffFilter) -> None:
        """Show the people matching *flt*. The model queries nothing before its first filter."""
        self._filter = flt.normalized()
        self._active = True
        self._request()

    def refresh(self, flt: StaffFilter | None = None) -> None:
        """The data changed: forget every cached row and id list and query again (the whole list at once,
        so that the page can keep the clerk's place in it), with *flt* if given."""
        if flt is not None:
            self._filter = flt.normalized()
            self._active = True
        self._generation += 1
        self._rows.clear()
        self._id_lists.clear()
        self._index = None
        self._shown = None
        self._whole_next = True
        self._request()

    def row_of(self, person_id: str) -> int:
        """The row of *person_id*, or -1."""
        try:
            return self._ids.index(person_id)
        except ValueError:
            return -1

    @staticmethod
    def is_sortable(column: int) -> bool:
        return 0 <= column < len(COLUMN_SORT_KEYS) and COLUMN_SORT_KEYS[column] is not None

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMN_SORT_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _ROLES:
            return None
        return self._value(index.row(), index.column(), int(role))

    def multiData(self, index: _Index, span: QModelRoleDataSpan) -> None:  # noqa: N802 - Qt's name
        """Every role of a cell in one Python call: the delegate asks for 7 roles per painted cell,
        and 7 calls across the binding cost more than the painting (measured: repaint 45 → 30 ms)."""
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        for item in span:
            role = item.role()
            value = self._value(row, column, role) if role in _ROLES else None
            # The delegate reuses the span from cell to cell: a role without a value must be cleared,
            # or the previous cell's alignment or grey text carries over.
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _value(self, row: int, column: int, role: int) -> Any:
        if row >= len(self._ids):
            return None
        if role == _USER:
            return self._ids[row]
        if role == _ALIGNMENT:
            return _CENTER if column in (COL_GENDER, COL_AGE) else None
        pid = self._ids[row]
        cached = self._rows.get(pid)
        if cached is None:
            self._fetch_block(row // self._block)
            cached = self._rows.get(pid)
            if cached is None:
                return None
        elif role == _DISPLAY and column == 0:
            self._rows.move_to_end(pid)  # once per painted row, not once per cell and role
        texts, person = cached
        if role == _DISPLAY:
            return texts[column]
        if person is None:
            return None
        if role == _FOREGROUND:
            return None if person.active else self._left_brush
        # Tooltips: the birth date behind an age, long texts in full.
        if column == COL_AGE:
            return person.birth_date.isoformat()
        if column in (COL_UNIT, COL_ROLE):
            return texts[column].replace("；", "\n") or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Clicking a header: query the ids again in the new order (columns without a key are ignored)."""
        if not self.is_sortable(column):
            return
        self._sort_column, self._order = column, order
        self._request()

    # -- fetching rows ----------------------------------------------------------------------------

    def _display(self, row: StaffRow) -> tuple[str, ...]:
        status = self._on_team if row.active else self._left.format(row.left_on.isoformat() if row.left_on else "")
        return (row.name, row.gender, str(row.age), row.id_number_masked, row.phone_masked, row.roles,
                row.certificate, status, row.units)

    def _fetch_block(self, block: int) -> None:
        wanted = [pid for pid in self._ids[block * self._block:(block + 1) * self._block] if pid not in self._rows]
        if not wanted:
            return
        try:
            found = self._source.rows(wanted)
        except Exception as exc:  # shown by the page; the block shows empty rather than asking again and again
            self.failed.emit(str(exc))
            found = []
        self.fetched_rows += len(found)
        for person in found:
            self._rows[person.id] = (self._display(person), person)
        blank = ("",) * len(COLUMN_SORT_KEYS)
        for pid in wanted:
            if pid not in self._rows:  # deleted meanwhile: an empty row until the next refresh
                self._rows[pid] = (blank, None)
        while len(self._rows) > self._cache_limit:
            self._rows.popitem(last=False)

    # -- querying ids -----------------------------------------------------------------------------

    def _key(self) -> QueryKey:
        sort = COLUMN_SORT_KEYS[self._sort_column] or "name"
        return self._filter, sort, self._order == Qt.SortOrder.DescendingOrder

    def _request(self) -> None:
        if not self._active:
            return
        key = self._key()
        self._wanted = key
        if key == self._shown and self._job is None:
            return
        cached = self._id_lists.get(key)
        if cached is not None:
            self._id_lists.move_to_end(key)
            self._apply(key, cached)
            return
        base = self._id_lists.get(without_text(key)) if key[0].text else None
        if base is not None and self._index is not None:
            # Search as you type: the list without text is here, and the index: a few ms, no query.
            self._keep(key, self._index.filter(base, key[0].text))
            self._apply(key, self._id_lists[key])
            return
        if self._job is None:
            self._start(key)
        # else: the running query's end starts the newest one (the ones in between are never run)

    def _start(self, key: QueryKey) -> None:
        # A list without search text is the long one (everyone, a role, a township …): its first
        # screenful comes from a quick LIMIT query and shows at once, the rest follows.
        whole, self._whole_next = self._whole_next, False
        text = key[0].text
        job = _IdQuery(self._source, key, first=None if whole or text else self._block,
                       base=self._id_lists.get(without_text(key)) if text else None, index=self._index,
                       build_index=self._index is None)
        job.signals.first.connect(self._on_first_ids)
        job.signals.base.connect(self._on_base_ids)
        job.signals.done.connect(self._on_ids)
        job.signals.index.connect(self._on_index)
        job.signals.failed.connect(self._on_failed)
        job.signals.ended.connect(self._on_ended)
        self._job, self._running = job, (key, self._generation)
        self.busy_changed.emit(True)
        job.start()

    def _finish(self) -> None:
        """A query ended: start the newest one if it is not shown yet, else report idle."""
        if self._wanted is not None and self._wanted != self._shown:
            self._request()
        if self._job is None:
            self.busy_changed.emit(False)

    def _current(self, running: tuple[QueryKey, int] | None) -> QueryKey | None:
        """The key of a result still worth showing: asked for last, and not from before a refresh()
        (such a result may predate the change that caused the refresh)."""
        if running is None or running[1] != self._generation:
            return None
        return running[0]

    @Slot(object)
    def _on_first_ids(self, ids: object) -> None:
        key = self._current(self._running)
        if key is not None and key == self._wanted and isinstance(ids, list):
            self._apply(key, ids, complete=False)

    def _keep(self, key: QueryKey, ids: list[str]) -> None:
        """Cache an id list; the oldest go first beyond :data:`ID_LISTS_KEPT` or the budget. A search's list
        without text is kept longest (touched whenever the search changes), as the searches need it."""
        self._id_lists[key] = ids
        self._id_lists.move_to_end(key)
        if key[0].text and without_text(key) in self._id_lists:
            self._id_lists.move_to_end(without_text(key))
        total = sum(map(len, self._id_lists.values()))
        while len(self._id_lists) > 1 and (len(self._id_lists) > ID_LISTS_KEPT or total > ID_LISTS_BUDGET):
            total -= len(self._id_lists.popitem(last=False)[1])

    @Slot(object)
    def _on_base_ids(self, ids: object) -> None:
        key = self._current(self._running)
        if key is not None and isinstance(ids, list):
            self._keep(without_text(key), ids)

    @Slot(object)
    def _on_index(self, index: object) -> None:
        if self._current(self._running) is not None and isinstance(index, SearchIndex):
            self._index = index
            if self._wanted is not None and self._wanted != self._shown and self._wanted[0].text:
                self._request()  # a search typed while the index was being built: answer it now

    @Slot(object)
    def _on_ids(self, ids: object) -> None:
        key = self._current(self._running)
        if key is not None and isinstance(ids, list):
            self._keep(key, ids)
            if key == self._wanted:
                self._apply(key, ids)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self.failed.emit(str(exc))
        if self._running is not None and self._running[0] == self._wanted:
            self._shown = self._wanted  # do not retry the same failing query in a loop

    @Slot()
    def _on_ended(self) -> None:
        self._job = self._running = None
        self._finish()

    def _apply(self, key: QueryKey, ids: list[str], *, complete: bool = True) -> None:
        n = len(self._ids)
        if complete and self._partial and key == self._shown and ids[:n] == self._ids:
            # The rest of a list whose first screenful is shown: appended, so the scroll position
            # and the selection stay.
            if len(ids) > n:
                self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            self.beginResetModel()
            self._ids = ids
            self._shown = key
            self.endResetModel()
        self._partial = not complete
        if complete:
            self.loaded.emit(len(ids))
