"""Every session of every plan in a week or month grid (R8), clashing sessions in red.

Weeks start on Monday, as Chinese calendars do. Each day is a small cell with its date and a list of
entries ("09:00–11:30 plan title"); double-clicking an entry emits :attr:`SessionCalendar.plan_activated`
with the plan's id so the page can show that plan.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...services import training_plans
from ...services.training_plans import SessionInfo
from ..context import AppContext

WEEK, MONTH = "week", "month"
PLAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SESSION_ID_ROLE = Qt.ItemDataRole.UserRole + 2
CLASH_ROLE = Qt.ItemDataRole.UserRole + 3
CLASH_FG, CLASH_BG = QColor("#b71c1c"), QColor("#fde0e0")
ENTRY_FG, ENTRY_BG = QColor("#1a3d6d"), QColor("#e3eefb")
TODAY_STYLE = "background: #1565c0; color: white; font-weight: bold; border-radius: 3px; padding: 1px 4px;"
DAY_STYLE = "color: #333333; padding: 1px 4px;"
OTHER_MONTH_STYLE = "color: #aaaaaa; padding: 1px 4px;"


class DayCell(QFrame):
    """One day: its date on top, its sessions below."""

    def __init__(self, parent: SessionCalendar) -> None:
        super().__init__(parent)
        self.day: dt.date | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("dayCell")
        self.header = QLabel(self)
        self.entries = QListWidget(self)
        self.entries.setFrameShape(QFrame.Shape.NoFrame)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.entries.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.entries.setSpacing(1)
        self.entries.setStyleSheet("QListWidget { background: transparent; }")
        self.entries.itemDoubleClicked.connect(parent.entry_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(1)
        layout.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.entries, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(60, 40)

    def show_day(self, day: dt.date, *, text: str, in_range: bool, today: bool) -> None:
        self.day = day
        self.header.setText(text)
        self.header.setStyleSheet(TODAY_STYLE if today else DAY_STYLE if in_range else OTHER_MONTH_STYLE)
        self.setStyleSheet("#dayCell { background: %s; }" % ("#ffffff" if in_range else "#f5f5f5"))
        self.entries.clear()

    def add_entry(self, info: SessionInfo, *, text: str, tooltip: str, clash: bool) -> QListWidgetItem:
        item = QListWidgetItem(text, self.entries)
        item.setData(PLAN_ID_ROLE, info.plan_id)
        item.setData(SESSION_ID_ROLE, info.id)
        item.setData(CLASH_ROLE, clash)
        item.setToolTip(tooltip)
        item.setForeground(QBrush(CLASH_FG if clash else ENTRY_FG))
        item.setBackground(QBrush(CLASH_BG if clash else ENTRY_BG))
        return item

    def texts(self) -> list[str]:
        return [self.entries.item(i).text() for i in range(self.entries.count())]


class SessionCalendar(QWidget):
    """Sessions from ``training_plans.sessions_between`` by week or by month."""

    plan_activated = Signal(str)  #: a plan's id, when one of its entries is double-clicked

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = MONTH
        self.anchor = dt.date.today()
        self.first_day = self.last_day = self.anchor
        self.sessions: list[SessionInfo] = []
        self.clash_ids: set[str] = set()

        self.prev_button = QPushButton("◀", self)
        self.prev_button.setToolTip(self.tr("Previous"))
        self.today_button = QPushButton(self.tr("Today"), self)
        self.next_button = QPushButton("▶", self)
        self.next_button.setToolTip(self.tr("Next"))
        for button in (self.prev_button, self.next_button):
            button.setFixedWidth(36)
        self.range_label = QLabel(self)
        font = self.range_label.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.range_label.setFont(font)
        self.week_button = QPushButton(self.tr("Week"), self)
        self.month_button = QPushButton(self.tr("Month"), self)
        self.view_group = QButtonGroup(self)
        for button in (self.week_button, self.month_button):
            button.setCheckable(True)
            self.view_group.addButton(button)
        self.month_button.setChecked(True)
        self.legend = QLabel(self.tr("Red: a person or an instructor is in two sessions at once. "
                                     "Double-click an entry to open its plan."), self)
        self.legend.setStyleSheet("color: #666666;")

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.prev_button)
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.range_label)
        toolbar.addStretch(1)
        toolbar.addWidget(self.legend)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.week_button)
        toolbar.addWidget(self.month_button)

        self.grid = QGridLayout()
        self.grid.setSpacing(2)
        weekdays = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"),
                    self.tr("Sun")]
        for column, name in enumerate(weekdays):
            label = QLabel(name, self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("font-weight: bold; color: #555555; padding: 2px;")
            self.grid.addWidget(label, 0, column)
            self.grid.setColumnStretch(column, 1)
        self.cells: list[DayCell] = []
        for index in range(42):
            cell = DayCell(self)
            self.cells.append(cell)
            self.grid.addWidget(cell, 1 + index // 7, index % 7)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addLayout(self.grid, 1)

        self.prev_button.clicked.connect(lambda _checked=False: self.step(-1))
        self.next_button.clicked.connect(lambda _checked=False: self.step(1))
        self.today_button.clicked.connect(lambda _checked=False: self.go_to(dt.date.today()))
        self.week_button.clicked.connect(lambda _checked=False: self.set_view(WEEK))
        self.month_button.clicked.connect(lambda _checked=False: self.set_view(MONTH))
        self.refresh()

    # -- navigation --------------------------------------------------------------------------------

    def set_view(self, view: str) -> None:
        self.view = WEEK if view == WEEK else MONTH
        (self.week_button if self.view == WEEK else self.month_button).setChecked(True)
        self.refresh()

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self.refresh()

    def step(self, direction: int) -> None:
        """One week or one month back (-1) or forward (+1)."""
        if self.view == WEEK:
            self.anchor += dt.timedelta(days=7 * direction)
        else:
            month = self.anchor.month - 1 + direction
            year = self.anchor.year + month // 12
            self.anchor = dt.date(year, month % 12 + 1, 1)
        self.refresh()

    def _range(self) -> tuple[dt.date, dt.date, int]:
        """First and last day shown, and the number of week rows."""
        if self.view == WEEK:
            first = self.anchor - dt.timedelta(days=self.anchor.weekday())
            return first, first + dt.timedelta(days=6), 1
        month_first = self.anchor.replace(day=1)
        days = calendar.monthrange(month_first.year, month_first.month)[1]
        rows = -(-(month_first.weekday() + days) // 7)
        first = month_first - dt.timedelta(days=month_first.weekday())
        return first, first + dt.timedelta(days=7 * rows - 1), rows

    # -- loading -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        first, last, rows = self._range()
        self.first_day, self.last_day = first, last
        with self.ctx.session() as session:
            self.sessions = training_plans.sessions_between(session, first, last)
            clashes = training_plans.clashes(session) if self.sessions else []
        shown = {s.id for s in self.sessions}
        self.clash_ids = {info.id for clash in clashes for info in (clash.first, clash.second) if info.id in shown}
        clash_texts: dict[str, list[str]] = {}
        for clash in clashes:
            for info in (clash.first, clash.second):
                clash_texts.setdefault(info.id, []).append(clash.text())

        by_day: dict[dt.date, list[SessionInfo]] = {}
        for info in self.sessions:
            by_day.setdefault(info.date, []).append(info)
        today = dt.date.today()
        week = self.view == WEEK
        for index, cell in enumerate(self.cells):
            visible = index < rows * 7
            cell.setVisible(visible)
            if not visible:
                continue
            day = first + dt.timedelta(days=index)
            in_range = week or day.month == self.anchor.month
            text = self._day_text(day) if week or day.day == 1 else str(day.day)
            cell.show_day(day, text=text, in_range=in_range, today=day == today)
            for info in sorted(by_day.get(day, []), key=lambda s: (s.start_time or dt.time(0), s.plan_title)):
                clash = info.id in self.clash_ids
                cell.add_entry(info, text=self._entry_text(info, week=week), clash=clash,
                               tooltip=self._tooltip(info, clash_texts.get(info.id, [])))
        for row in range(1, 7):
            self.grid.setRowStretch(row, 1 if row <= rows else 0)
        self.range_label.setText(self._range_text(first, last))

    @staticmethod
    def _entry_text(info: SessionInfo, *, week: bool) -> str:
        time = info.time_label if week else (f"{info.start_time:%H:%M}" if info.start_time else "")
        if week:  # a tall cell: time, title and place on their own lines
            return "\n".join(part for part in (time, info.plan_title, info.place or "") if part)
        return f"{time} {info.plan_title}".strip()

    def _tooltip(self, info: SessionInfo, clash_texts: list[str]) -> str:
        lines = [info.plan_title, f"{info.date.isoformat()} {info.time_label}".strip()]
        if info.place:
            lines.append(self.tr("Place: {0}").format(info.place))
        if info.instructor_label:
            lines.append(self.tr("Instructor: {0}").format(info.instructor_label))
        lines.append(self.tr("{0} hours").format(f"{info.hours:g}"))
        lines += ["⚠ " + text for text in clash_texts]
        return "\n".join(lines)

    def _day_text(self, day: dt.date) -> str:
        return self.tr("{0}/{1}", "month/day").format(day.month, day.day)

    def _full_day_text(self, day: dt.date) -> str:
        return self.tr("{0}/{1}/{2}", "year/month/day").format(day.year, day.month, day.day)

    def _range_text(self, first: dt.date, last: dt.date) -> str:
        if self.view == MONTH:
            return self.tr("{1}/{0}", "month/year").format(self.anchor.year, self.anchor.month)
        end = self._day_text(last) if last.year == first.year else self._full_day_text(last)
        return f"{self._full_day_text(first)} – {end}"

    # -- reactions and helpers ---------------------------------------------------------------------

    def entry_activated(self, item: QListWidgetItem) -> None:
        plan_id = item.data(PLAN_ID_ROLE)
        if plan_id:
            self.plan_activated.emit(str(plan_id))

    def cell_for(self, day: dt.date) -> DayCell | None:
        """The visible cell of *day*, or None when the day is not shown."""
        for cell in self.cells:
            if cell.isVisibleTo(self) and cell.day == day:
                return cell
        return None

    def entries_on(self, day: dt.date) -> list[str]:
        cell = self.cell_for(day)
        return cell.texts() if cell is not None else []

    def grid_position(self, day: dt.date) -> tuple[int, int] | None:
        """(week row, weekday column) of *day* in the grid shown, both from 0."""
        for index, cell in enumerate(self.cells):
            if cell.isVisibleTo(self) and cell.day == day:
                return index // 7, index % 7
        return None
