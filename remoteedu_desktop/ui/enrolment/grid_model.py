"""The attendance & assessment grid as an item model (R8): people × sessions, self-study hours, score,
and the result derived from the plan's pass mark.

It works over plain sets and dicts loaded once by ``training_grid.load_grid`` (no per-cell objects), so a
training of 500 people × 4 sessions scrolls and toggles instantly. It keeps the values as loaded beside
the values as edited: a cell differs → it is highlighted, and :meth:`GridModel.changes` sends only those.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ...services.training_grid import MAX_SELF_STUDY, GridChanges, GridData, GridSession, passed
from .common import EDITED_COLOUR, FAILED_COLOUR, INVALID_COLOUR, MUTED_COLOUR, PASSED_COLOUR, number_text

COL_NAME, COL_UNIT = 0, 1
FIRST_SESSION = 2
PRESENT_MARK = "✓"
AnyIndex = QModelIndex | QPersistentModelIndex


def grid_texts() -> dict[str, str]:
    """The grid's words, translated once per model (data() is called for every visible cell)."""
    texts = {
        "name": QCoreApplication.translate("AttendanceGrid", "Name"),
        "unit": QCoreApplication.translate("AttendanceGrid", "Unit"),
        "hours": QCoreApplication.translate("AttendanceGrid", "{0} h"),
        "self_study": QCoreApplication.translate("AttendanceGrid", "Self-study hours"),
        "score": QCoreApplication.translate("AttendanceGrid", "Score"),
        "result": QCoreApplication.translate("AttendanceGrid", "Result"),
        "header_tip": QCoreApplication.translate(
            "AttendanceGrid", "Double-click: mark everyone present at this session; right-click for more"),
        "not_assessed": QCoreApplication.translate("AttendanceGrid", "not assessed"),
        "passed": QCoreApplication.translate("AttendanceGrid", "passed"),
        "failed": QCoreApplication.translate("AttendanceGrid", "failed"),
        "cell_tip": QCoreApplication.translate("AttendanceGrid", "{0} · {1}: {2}"),
        "present": QCoreApplication.translate("AttendanceGrid", "present"),
        "absent": QCoreApplication.translate("AttendanceGrid", "absent"),
        "bad_hours": QCoreApplication.translate("AttendanceGrid", "Self-study hours must be between 0 and {0}"),
        "bad_score": QCoreApplication.translate("AttendanceGrid", "A score must be between 0 and 100"),
    }
    return texts


def parse_number(value: object) -> float | None | bool:
    """Typed text → a number; "" → None; anything else → False (refused)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return number if math.isfinite(number) else False
    text = str(value).strip().replace("，", ".").replace("。", ".")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return False
    return number if math.isfinite(number) else False


class GridModel(QAbstractTableModel):
    """Rows are the enrolled people; columns: name, unit, one per session, 自学学时, 成绩, 结果."""

    #: Something was edited (or saved): the dialog updates its summary and Save button.
    edited = Signal()

    def __init__(self, data: GridData, parent: Any = None) -> None:
        super().__init__(parent)
        self.data_loaded = data
        self.sessions: tuple[GridSession, ...] = data.sessions
        self.people = data.people
        self.pass_mark = data.pass_mark
        self.col_self_study = FIRST_SESSION + len(self.sessions)
        self.col_score = self.col_self_study + 1
        self.col_result = self.col_score + 1
        self._row_of = {p.person_id: r for r, p in enumerate(self.people)}
        self._orig_present: set[tuple[str, str]] = set(data.present)
        self._orig_study: dict[str, float] = {p.person_id: float(data.self_study.get(p.person_id, 0.0))
                                              for p in self.people}
        self._orig_scores: dict[str, float | None] = {p.person_id: data.scores.get(p.person_id)
                                                      for p in self.people}
        self.present: set[tuple[str, str]] = set(self._orig_present)
        self.self_study: dict[str, float] = dict(self._orig_study)
        self.scores: dict[str, float | None] = dict(self._orig_scores)
        self._edited_brush = QBrush(QColor(EDITED_COLOUR))
        self._invalid_brush = QBrush(QColor(INVALID_COLOUR))
        self._passed_brush = QBrush(QColor(PASSED_COLOUR))
        self._failed_brush = QBrush(QColor(FAILED_COLOUR))
        self._muted_brush = QBrush(QColor(MUTED_COLOUR))
        self.texts = grid_texts()
        self._bold = QFont()
        self._bold.setBold(True)

    # -- shape -------------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else self.col_result + 1

    def is_session_column(self, column: int) -> bool:
        return FIRST_SESSION <= column < self.col_self_study

    def is_number_column(self, column: int) -> bool:
        return column in (self.col_self_study, self.col_score)

    def session_at(self, column: int) -> GridSession:
        return self.sessions[column - FIRST_SESSION]

    def session_column(self, session_id: str) -> int:
        for n, s in enumerate(self.sessions):
            if s.id == session_id:
                return FIRST_SESSION + n
        raise KeyError(session_id)

    def row_of(self, person_id: str) -> int:
        return self._row_of[person_id]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_number_column(index.column()):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        t = self.texts
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_NAME:
                return t["name"]
            if section == COL_UNIT:
                return t["unit"]
            if self.is_session_column(section):
                s = self.session_at(section)
                return f"{s.label}\n" + t["hours"].format(number_text(s.hours))
            if section == self.col_self_study:
                return t["self_study"]
            if section == self.col_score:
                return t["score"]
            if section == self.col_result:
                return t["result"]
        if role == Qt.ItemDataRole.ToolTipRole and self.is_session_column(section):
            return t["header_tip"]
        return None

    # -- values ------------------------------------------------------------------------------------

    def result(self, person_id: str) -> bool | None:
        """合格 / 不合格 / 未考核, derived from the pass mark as the score is typed (R8)."""
        return passed(self.scores.get(person_id), self.pass_mark)

    def _cell_edited(self, row: int, column: int) -> bool:
        pid = self.people[row].person_id
        if self.is_session_column(column):
            key = (pid, self.session_at(column).id)
            return (key in self.present) != (key in self._orig_present)
        if column == self.col_self_study:
            return self.self_study[pid] != self._orig_study[pid]
        if column == self.col_score:
            return self.scores[pid] != self._orig_scores[pid]
        return False

    def _cell_invalid(self, row: int, column: int) -> bool:
        pid = self.people[row].person_id
        if column == self.col_self_study:
            return not 0 <= self.self_study[pid] <= MAX_SELF_STUDY
        if column == self.col_score:
            score = self.scores[pid]
            return score is not None and not 0 <= score <= 100
        return False

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        person = self.people[row]
        pid = person.person_id
        t = self.texts
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NAME:
                return person.name
            if column == COL_UNIT:
                return person.unit
            if self.is_session_column(column):
                return PRESENT_MARK if (pid, self.session_at(column).id) in self.present else ""
            if column == self.col_self_study:
                hours = self.self_study[pid]
                return number_text(hours) if hours or role == Qt.ItemDataRole.EditRole else ""
            if column == self.col_score:
                return number_text(self.scores[pid])
            if column == self.col_result:
                if self._cell_invalid(row, self.col_score):
                    return "?"
                result = self.result(pid)
                return t["not_assessed"] if result is None else (t["passed"] if result else t["failed"])
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FIRST_SESSION:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._cell_invalid(row, column):
                return self._invalid_brush
            if self._cell_edited(row, column):
                return self._edited_brush
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.col_result:
            result = self.result(pid)
            return self._muted_brush if result is None else (self._passed_brush if result else self._failed_brush)
        if role == Qt.ItemDataRole.FontRole and self.is_session_column(column):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.is_session_column(column):
                s = self.session_at(column)
                here = (pid, s.id) in self.present
                return t["cell_tip"].format(person.name, s.label, t["present"] if here else t["absent"])
            if column == self.col_self_study and self._cell_invalid(row, column):
                return t["bad_hours"].format(number_text(MAX_SELF_STUDY))
            if column == self.col_score and self._cell_invalid(row, column):
                return t["bad_score"]
            if column in (COL_NAME, COL_UNIT):
                return f"{person.name} · {person.unit}"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, column = index.row(), index.column()
        pid = self.people[row].person_id
        if self.is_session_column(column):
            self.set_present([(row, column)], bool(value))
            return True
        number = parse_number(value)
        if number is False:
            return False  # not a number: the cell keeps its value
        if column == self.col_self_study:
            hours = 0.0 if number is None else float(number)
            if hours == self.self_study[pid]:
                return True
            self.self_study[pid] = hours
            self._changed(row, column, column)
            return True
        if column == self.col_score:
            score = None if number is None else float(number)
            if score == self.scores[pid]:
                return True
            self.scores[pid] = score
            self._changed(row, column, self.col_result)
            return True
        return False

    def _changed(self, row: int, first: int, last: int, last_row: int | None = None) -> None:
        self.dataChanged.emit(self.index(row, first), self.index(last_row if last_row is not None else row, last))
        self.edited.emit()

    # -- attendance in bulk ------------------------------------------------------------------------

    def is_present(self, row: int, column: int) -> bool:
        return (self.people[row].person_id, self.session_at(column).id) in self.present

    def set_present(self, cells: Iterable[tuple[int, int]], here: bool) -> int:
        """Mark the (row, column) session cells present or absent; returns how many changed."""
        rows: list[int] = []
        columns: list[int] = []
        for row, column in cells:
            if not self.is_session_column(column):
                continue
            key = (self.people[row].person_id, self.session_at(column).id)
            if (key in self.present) == here:
                continue
            if here:
                self.present.add(key)
            else:
                self.present.discard(key)
            rows.append(row)
            columns.append(column)
        if rows:
            self.dataChanged.emit(self.index(min(rows), min(columns)), self.index(max(rows), max(columns)))
            self.edited.emit()
        return len(rows)

    def toggle(self, cells: list[tuple[int, int]], anchor: tuple[int, int] | None = None) -> int:
        """SPACE: every cell takes the opposite of the anchor cell's state (the current cell), so a mixed
        selection ends all present or all absent, never half flipped."""
        cells = [(r, c) for r, c in cells if self.is_session_column(c)]
        if not cells:
            return 0
        row, column = anchor if anchor is not None and self.is_session_column(anchor[1]) else cells[0]
        return self.set_present(cells, not self.is_present(row, column))

    def set_column(self, column: int, here: bool = True) -> int:
        return self.set_present(((r, column) for r in range(len(self.people))), here)

    def set_all(self, here: bool = True) -> int:
        return self.set_present(((r, c) for r in range(len(self.people))
                                 for c in range(FIRST_SESSION, self.col_self_study)), here)

    def clear_numbers(self, cells: Iterable[tuple[int, int]]) -> int:
        """Delete: the score becomes "not assessed", self-study hours 0."""
        count = 0
        for row, column in cells:
            if self.is_number_column(column) and self.data(self.index(row, column)):
                count += bool(self.setData(self.index(row, column), ""))
        return count

    # -- what changed ------------------------------------------------------------------------------

    def changes(self, assessed_on: Any = None) -> GridChanges:
        """Only what differs from what was loaded (or last saved)."""
        present = {key: key in self.present for key in self.present ^ self._orig_present}
        study = {pid: hours for pid, hours in self.self_study.items() if hours != self._orig_study[pid]}
        scores = {pid: score for pid, score in self.scores.items() if score != self._orig_scores[pid]}
        return GridChanges(present=present, self_study=study, scores=scores, assessed_on=assessed_on)

    def is_dirty(self) -> bool:
        return bool(self.present ^ self._orig_present) or self.self_study != self._orig_study \
            or self.scores != self._orig_scores

    def scores_changed(self) -> bool:
        return self.scores != self._orig_scores

    def mark_saved(self) -> None:
        """What is shown is now what is stored: the highlights go."""
        self._orig_present = set(self.present)
        self._orig_study = dict(self.self_study)
        self._orig_scores = dict(self.scores)
        if self.people:
            self._changed(0, 0, self.col_result, last_row=len(self.people) - 1)

    def first_invalid(self) -> QModelIndex | None:
        for row in range(len(self.people)):
            for column in (self.col_self_study, self.col_score):
                if self._cell_invalid(row, column):
                    return self.index(row, column)
        return None

    # -- the summary -------------------------------------------------------------------------------

    def counts(self) -> dict[str, float]:
        """people, passed, failed, not assessed, lecture / self-study / total hours."""
        hours = {s.id: s.hours for s in self.sessions}
        lecture = sum(hours.get(sid, 0.0) for _pid, sid in self.present)
        study = sum(self.self_study.values())
        results = [self.result(p.person_id) for p in self.people]
        return {"people": len(self.people), "passed": sum(1 for r in results if r is True),
                "failed": sum(1 for r in results if r is False),
                "not_assessed": sum(1 for r in results if r is None),
                "lecture": lecture, "self_study": study, "total": lecture + study}

    def present_count(self, column: int) -> int:
        sid = self.session_at(column).id
        return sum(1 for _pid, s in self.present if s == sid)
