"""The overview page (the first page after start): this office, the eight figures of issue 8 as tiles,
three small charts, the per-township table in county scope, and the rule warnings the clerk should fix.

The data is read when the page is shown (never in the constructor) and again after a change elsewhere
(``ctx.changed``). The office, the tree counts and the warnings are read at once (they are quick); the
figures and charts (:func:`services.overview_figures.overview`, which may take longer on a county) are
read by a background :class:`~.worker.Job` while the previous figures stay on screen.

Selecting a unit in the org tree narrows everything to that unit and what is below it. Double-clicking a
warning asks the window to open its unit on the sites page (:attr:`OverviewPage.unit_requested`).
Clicking a tile, or a cell of the per-township table, opens the list behind that figure
(:class:`.overview_dialog.BehindDialog`); its "Open the page" button emits
:attr:`OverviewPage.page_requested` ``(page_key, unit_id)``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QCursor, QKeyEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from ..services.checks import RuleWarning, rule_warnings
from ..services.faults import OpenFault, open_faults
from ..services.offices import OfficeInfo, office_info
from ..services.org_tree import OrgSummary, TreeNode, descendants, org_summary, org_tree
from ..services.overview_figures import FIGURE_KEYS, Figure, Overview, behind, overview
from ..services.progress import Progress
from .context import AppContext
from .overview_charts import BarChart, month_label
from .overview_dialog import BehindDialog
from .worker import Job

REFRESH_AREAS = frozenset({"office", "units", "people", "posts", "faults", "equipment", "training",
                           "certificates", "activities", "evaluation"})
COUNT_KEYS = ("townships", "sites", "people", "open_posts", "vacant_slots")  # OrgSummary fields, in the head line
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1  # per-township cell: the figure key
UNIT_ROLE = Qt.ItemDataRole.UserRole + 2  # per-township cell: the township's unit id
GOOD, FAIR, POOR = "#1e8449", "#b9770e", "#c0392b"  # share colours: ≥ 90 %, ≥ 60 %, below
CELL_BACKGROUND = {GOOD: "#e3f4e9", FAIR: "#fcf0dc", POOR: "#f9e0dd"}


_KEPT: deque[Job] = deque(maxlen=32)


def _keep(job: Job) -> None:
    """Hold a reference to a figures job beyond its page: a QRunnable must outlive its run on the thread
    pool even if the page is closed meanwhile (its answer is then dropped). A load takes well under a
    second, so the 32 latest are plenty."""
    _KEPT.append(job)


def office_level_text(level: str | None) -> str:
    if level == "county":
        return QCoreApplication.translate("Overview", "County office")
    if level == "township":
        return QCoreApplication.translate("Overview", "Township office")
    return QCoreApplication.translate("Overview", "Office not set up")


def rule_text(rule: str) -> str:
    """What a rule id means, for the warning's tooltip (DOMAIN.md)."""
    return {
        "R2": QCoreApplication.translate("Overview", "R2: every township station has at least 2 managers"),
        "R3": QCoreApplication.translate("Overview",
                                         "R3: every village site has one manager on post A and one on post B"),
        "R12": QCoreApplication.translate("Overview", "R12: site managers stay stable; frequent changes are flagged"),
        "R9": QCoreApplication.translate("Overview", "R9: technicians keep the site equipment working; open faults"),
    }.get(rule, rule)


def number_text(value: float) -> str:
    """12 → "12", 12.25 → "12.3"."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def share_of(figure: Figure) -> float | None:
    """value / total for a share figure, None when the figure is a plain count (or has no denominator)."""
    if figure.total is None or figure.total <= 0:
        return None
    return max(0.0, min(1.0, figure.value / figure.total))


def share_color(share: float) -> str:
    return GOOD if share >= 0.9 else FAIR if share >= 0.6 else POOR


def value_text(figure: Figure) -> str:
    """The big number of a tile: "58/62" for a share, "1234.5 小时" for an amount."""
    if figure.total is not None:
        return f"{number_text(figure.value)}/{number_text(figure.total)}"
    if figure.unit == "%":
        return f"{number_text(figure.value)}%"
    return f"{number_text(figure.value)} {figure.unit}".strip()


def cell_text(figure: Figure) -> str:
    """A per-township cell: "58/62 (94%)" for a share, the amount otherwise."""
    share = share_of(figure)
    if share is not None:
        return f"{value_text(figure)} ({share * 100:.0f}%)"
    return value_text(figure)


def two_lines(label: str, width: int = 7) -> str:
    """A long column header on two lines, broken after "的" or at a space near the middle when it can."""
    if len(label) <= width:
        return label
    middle = len(label) // 2
    cut = middle if not label.isascii() else -1  # an English word is never cut
    for marks in ("的", " "):  # after "的" first, then at a space, if near the middle
        candidates = [i + 1 for i, ch in enumerate(label) if ch in marks and 2 <= i + 1 <= len(label) - 2]
        near = [i for i in candidates if abs(i - middle) <= len(label) // 3]
        if near:
            cut = min(near, key=lambda i: abs(i - middle))
            break
    if cut < 0:
        return label
    return f"{label[:cut].rstrip()}\n{label[cut:].lstrip()}"


@dataclass(frozen=True)
class OverviewData:
    office: OfficeInfo
    summary: OrgSummary
    nodes: list[TreeNode]
    warnings: list[RuleWarning]
    faults: list[OpenFault]


class _FigureTile(QFrame):
    """One figure: caption, big value, a share bar (for shares) and the one-line detail. Clicking it (or
    Enter/Space when it has the focus) emits :attr:`clicked` with the figure key."""

    clicked = Signal(str)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.figure: Figure | None = None
        self.setObjectName("tile")
        self.setStyleSheet("QFrame#tile { background: #f4f7fb; border: 1px solid #d5dde8; border-radius: 6px; }"
                           "QFrame#tile:hover, QFrame#tile:focus { border: 1px solid #5b8cc4; }")
        self.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        self.caption = QLabel("–", self)
        self.caption.setStyleSheet("color: #444; font-weight: bold;")
        self.value = QLabel("–", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #1f4e79;")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setFixedHeight(14)
        self.bar.setTextVisible(True)
        self.bar_font = self.bar.font()
        self.bar_font.setPointSizeF(self.bar_font.pointSizeF() * 0.8)
        self.bar.setFont(self.bar_font)
        self.detail = QLabel("", self)
        self.detail.setStyleSheet("color: #666;")
        detail_font = self.detail.font()
        detail_font.setPointSizeF(detail_font.pointSizeF() * 0.9)
        self.detail.setFont(detail_font)
        self.detail.setWordWrap(True)
        value_row = QHBoxLayout()
        value_row.setSpacing(8)
        value_row.addWidget(self.value)
        value_row.addWidget(self.bar, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.caption)
        layout.addLayout(value_row)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.bar.hide()

    def set_figure(self, figure: Figure) -> None:
        self.figure = figure
        self.caption.setText(figure.label)
        self.value.setText(value_text(figure))
        share = share_of(figure)
        if share is None:
            self.bar.hide()
        else:
            color = share_color(share)
            self.bar.setValue(round(share * 1000))
            self.bar.setFormat(f"{share * 100:.0f}%")
            self.bar.setStyleSheet(
                "QProgressBar { border: 1px solid #c8d1dc; border-radius: 3px; background: #fff; text-align: center; }"
                f"QProgressBar::chunk {{ background: {CELL_BACKGROUND[color]}; border-right: 2px solid {color}; }}")
            self.bar.show()
        self.detail.setText(figure.detail)
        hint = QCoreApplication.translate("Overview", "Click to see the list behind this figure.")
        self.setToolTip(f"{figure.label}：{value_text(figure)}\n{figure.detail}\n{hint}")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit(self.key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.key)
            return
        super().keyPressEvent(event)


class OverviewPage(QWidget):
    unit_requested = Signal(str)  # a warning was double-clicked: open its unit
    setup_requested = Signal()  # "set up this office" pressed on an uninitialised database
    page_requested = Signal(str, str)  # "Open the page" in a figure's list: (page key, unit id or "")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._data: OverviewData | None = None
        self.figures: Overview | None = None  # the figures on screen (kept while newer ones load)
        self._unit_id: str | None = None
        self._stale = True
        self._generation = 0  # the newest figures request; older answers are dropped
        self._loading: set[int] = set()  # generations of the figure loads not answered yet
        self.behind_dialog: BehindDialog | None = None

        self.office_label = QLabel(self)
        font = self.office_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.office_label.setFont(font)
        self.office_detail = QLabel(self)
        self.office_detail.setStyleSheet("color: #555;")

        self.setup_button = QPushButton(self.tr("Set up this office…"), self)
        self.setup_button.clicked.connect(self.setup_requested)
        self.setup_button.hide()

        # the tree counts, one line under the office
        captions = {"townships": self.tr("Townships"), "sites": self.tr("Sites"),
                    "people": self.tr("People on the teams"), "open_posts": self.tr("Posts held"),
                    "vacant_slots": self.tr("Empty A/B posts")}
        self.counts: dict[str, QLabel] = {}
        counts_row = QHBoxLayout()
        counts_row.setSpacing(4)
        for i, key in enumerate(COUNT_KEYS):
            if i:
                dot = QLabel("·", self)
                dot.setStyleSheet("color: #aaa;")
                counts_row.addWidget(dot)
            caption = QLabel(captions[key], self)
            caption.setStyleSheet("color: #555;")
            value = QLabel("–", self)
            value.setStyleSheet("color: #1f4e79; font-weight: bold;")
            self.counts[key] = value
            counts_row.addWidget(caption)
            counts_row.addWidget(value)
        counts_row.addStretch(1)

        # the figures: scope line, 2 × 4 tiles, charts, per-township table
        self.scope_label = QLabel(self)
        scope_font = self.scope_label.font()
        scope_font.setBold(True)
        scope_font.setPointSizeF(scope_font.pointSizeF() * 1.1)
        self.scope_label.setFont(scope_font)
        self.loading_label = QLabel(self.tr("Updating the figures…"), self)
        self.loading_label.setStyleSheet("color: #777;")
        self.loading_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.tiles: dict[str, _FigureTile] = {key: _FigureTile(key, self) for key in FIGURE_KEYS}
        tiles = QGridLayout()
        tiles.setHorizontalSpacing(10)
        tiles.setVerticalSpacing(10)
        for i, tile in enumerate(self.tiles.values()):
            tile.clicked.connect(self._on_tile_clicked)
            tiles.addWidget(tile, i // 4, i % 4)
        for column in range(4):
            tiles.setColumnStretch(column, 1)

        self.activities_chart = BarChart(self.tr("Activities per month"), "#5b8cc4", self)
        self.training_chart = BarChart(self.tr("Training hours per month"), "#52a373", self)
        self.faults_chart = BarChart(self.tr("Open faults by age"), "#d9822b", self, horizontal=True)
        charts = QHBoxLayout()
        charts.setSpacing(10)
        charts.addWidget(self.activities_chart, 4)
        charts.addWidget(self.training_chart, 4)
        charts.addWidget(self.faults_chart, 3)

        self.townships_title = QLabel(self.tr("Townships side by side"), self)
        self.townships_title.setFont(scope_font)
        self.townships_hint = QLabel(self.tr("Click a cell to see the list behind it."), self)
        self.townships_hint.setStyleSheet("color: #777;")
        self.townships = QTableWidget(self)
        self.townships.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.townships.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.townships.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.townships.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.townships.setWordWrap(False)
        self.townships.verticalHeader().hide()
        self.townships.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.townships.setCursor(QCursor(Qt.CursorShape.PointingHandCursor))
        self.townships.cellClicked.connect(self._on_township_cell_clicked)
        self.townships.cellActivated.connect(self._on_township_cell_clicked)

        self.warnings_title = QLabel(self)
        title_font = self.warnings_title.font()
        title_font.setBold(True)
        self.warnings_title.setFont(title_font)
        self.warnings_hint = QLabel(self.tr("Double-click a warning to open its unit on the Sites page."), self)
        self.warnings_hint.setStyleSheet("color: #777;")

        self.warnings = QTreeWidget(self)
        self.warnings.setHeaderLabels([self.tr("Rule"), self.tr("Unit"), self.tr("Problem")])
        self.warnings.setRootIsDecorated(False)
        self.warnings.setAlternatingRowColors(True)
        self.warnings.setUniformRowHeights(True)
        self.warnings.setMinimumHeight(220)
        header = self.warnings.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.warnings.setColumnWidth(1, 200)
        self.warnings.itemDoubleClicked.connect(self._on_warning_activated)
        self.no_warnings = QLabel(self.tr("Rule check: no problems found."), self)
        self.no_warnings.setStyleSheet("color: #1e8449;")

        head = QHBoxLayout()
        head.addWidget(self.office_label)
        head.addStretch(1)
        head.addWidget(self.setup_button)
        scope_head = QHBoxLayout()
        scope_head.addWidget(self.scope_label)
        scope_head.addWidget(self.loading_label)
        scope_head.addStretch(1)
        townships_head = QHBoxLayout()
        townships_head.addWidget(self.townships_title)
        townships_head.addStretch(1)
        townships_head.addWidget(self.townships_hint)
        warn_head = QHBoxLayout()
        warn_head.addWidget(self.warnings_title)
        warn_head.addStretch(1)
        warn_head.addWidget(self.warnings_hint)

        self.figures_box = QWidget(self)
        figures = QVBoxLayout(self.figures_box)
        figures.setContentsMargins(0, 0, 0, 0)
        figures.setSpacing(8)
        figures.addLayout(scope_head)
        figures.addWidget(self.error_label)
        figures.addLayout(tiles)
        figures.addLayout(charts)
        figures.addLayout(townships_head)
        figures.addWidget(self.townships)
        self.figures_box.hide()

        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(self.office_detail)
        layout.addLayout(counts_row)
        layout.addWidget(self.figures_box)
        layout.addSpacing(6)
        layout.addLayout(warn_head)
        layout.addWidget(self.no_warnings)
        layout.addWidget(self.warnings, 1)
        layout.addStretch(0)  # takes the space when there is no warnings list
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)

        ctx.changed.connect(self._on_data_changed)

    # --- the page protocol the main window uses -----------------------------------------------

    def refresh(self) -> None:
        with self.ctx.session() as session:
            office = office_info(session)
            nodes = org_tree(session)
            summary = org_summary(session, nodes)
            warnings = rule_warnings(session)
            faults = open_faults(session)
        self._data = OverviewData(office, summary, nodes, warnings, faults)
        self._stale = False
        self._show()
        self._load_figures()

    def select_unit(self, unit_id: str | None) -> None:
        if unit_id == self._unit_id:
            return
        self._unit_id = unit_id
        if self._data is not None:
            self._show_warnings()
            self._load_figures()

    def open_behind(self, key: str, unit_id: str | None = None) -> BehindDialog | None:
        """Open the list behind figure *key* for *unit_id* (the page's unit when None); a refusal is shown
        in a message box and gives None."""
        unit = unit_id if unit_id is not None else self._unit_id
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.session() as session:
                rows = behind(session, key, unit_id=unit)
        except ValidationError as exc:
            refusal: ValidationError | None = exc
        else:
            refusal = None
        finally:
            QApplication.restoreOverrideCursor()
        if refusal is not None:
            QMessageBox.warning(self, self.tr("Overview"), str(refusal))
            return None
        if self.behind_dialog is not None:
            self.behind_dialog.close()
            self.behind_dialog.deleteLater()
        dialog = BehindDialog(rows, unit, self._unit_name(unit), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.page_requested.connect(self.page_requested)
        self.behind_dialog = dialog
        dialog.open()
        return dialog

    # --- the figures (in the background) ------------------------------------------------------

    def _load_figures(self) -> None:
        data = self._data
        if data is None or not data.office.initialized:
            self.figures_box.hide()
            return
        self._generation += 1
        generation, unit_id, ctx = self._generation, self._unit_id, self.ctx

        def work() -> Progress:
            try:
                with ctx.session() as session:
                    result: object = overview(session, unit_id=unit_id)
            except Exception as exc:  # shown on the page, the old figures stay
                result = exc
            return (generation, result)  # type: ignore[return-value]
            yield  # a generator for Job

        job = Job(work)  # type: ignore[arg-type]
        job.signals.finished.connect(self._on_figures_loaded)
        self._loading.add(generation)
        _keep(job)
        self.loading_label.setVisible(self.figures is not None)
        job.start()

    def _on_figures_loaded(self, answer: object) -> None:
        generation, result = answer  # type: ignore[misc]
        self._loading.discard(generation)
        if generation != self._generation:
            return  # a newer request is under way
        self.loading_label.hide()
        if isinstance(result, Exception):
            self.error_label.setText(self.tr("The figures could not be read: {0}").format(result))
            self.error_label.show()
            self.figures_box.setVisible(True)
            return
        assert isinstance(result, Overview)
        self.error_label.hide()
        self.figures = result
        self._show_figures()

    def wait_for_figures(self, timeout_ms: int = 5000) -> bool:
        """Wait until no figures are loading (scripts and screenshots; tests run jobs inline)."""
        from PySide6.QtCore import QDeadlineTimer, QThreadPool

        deadline = QDeadlineTimer(timeout_ms)
        while self._loading and not deadline.hasExpired():
            QThreadPool.globalInstance().waitForDone(50)
            QCoreApplication.processEvents()
        return not self._loading

    # --- showing ------------------------------------------------------------------------------

    def _show(self) -> None:
        data = self._data
        assert data is not None
        office = data.office
        if office.initialized:
            self.office_label.setText(office.name)
            self.office_detail.setText(self.tr("{0} · code {1} · database {2}").format(
                office_level_text(office.level), office.code, self.ctx.database_location))
        else:
            self.office_label.setText(self.tr("This computer's office is not set up yet"))
            self.office_detail.setText(self.tr("Set it up as a county or township office, or open the demo."))
        self.setup_button.setVisible(not office.initialized)
        for key, label in self.counts.items():
            label.setText(str(getattr(data.summary, key)))
        self._show_warnings()

    def _show_figures(self) -> None:
        figures = self.figures
        assert figures is not None
        self.scope_label.setText(self.tr("{0}, {1}").format(figures.scope_name, figures.year))
        for key, tile in self.tiles.items():
            figure = figures.figures.get(key)
            if figure is not None:
                tile.set_figure(figure)
            tile.setVisible(figure is not None)
        year = figures.year
        self.activities_chart.set_title(self.tr("Activities per month, {0}").format(year))
        self.activities_chart.set_data([month_label(m) for m, _ in figures.activities_per_month],
                                       [n for _, n in figures.activities_per_month])
        self.training_chart.set_title(self.tr("Training hours per month, {0}").format(year))
        self.training_chart.set_data([month_label(m) for m, _ in figures.training_hours_per_month],
                                     [h for _, h in figures.training_hours_per_month])
        self.faults_chart.set_title(self.tr("Open faults by age ({0} open)").format(
            sum(n for _, n in figures.fault_ages)))
        self.faults_chart.set_data([label for label, _ in figures.fault_ages], [n for _, n in figures.fault_ages])
        self._show_townships()
        self.figures_box.show()

    def _show_townships(self) -> None:
        figures = self.figures
        assert figures is not None
        rows = figures.per_township
        table = self.townships
        for widget in (self.townships_title, self.townships_hint, table):
            widget.setVisible(bool(rows))
        table.clear()
        keys = [k for k in FIGURE_KEYS if k in figures.figures]
        table.setColumnCount(1 + len(keys))
        table.setRowCount(len(rows))
        headers = [self.tr("Township")] + [figures.figures[k].label for k in keys]
        table.setHorizontalHeaderLabels(headers[:1] + [two_lines(h) for h in headers[1:]])
        for column, text in enumerate(headers):
            table.horizontalHeaderItem(column).setToolTip(text)
        hint = self.tr("Click to see the list behind this figure.")
        for row, township in enumerate(rows):
            name = QTableWidgetItem(township.name)
            name.setToolTip(f"{township.name}（{township.code}）" if township.code else township.name)
            name.setData(UNIT_ROLE, township.unit_id)
            table.setItem(row, 0, name)
            for column, key in enumerate(keys, start=1):
                figure = township.figures.get(key)
                item = QTableWidgetItem(cell_text(figure) if figure is not None else "–")
                item.setData(FIGURE_ROLE, key)
                item.setData(UNIT_ROLE, township.unit_id)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if figure is not None:
                    share = share_of(figure)
                    if share is not None:
                        color = share_color(share)
                        item.setBackground(QBrush(QColor(CELL_BACKGROUND[color])))
                        item.setForeground(QBrush(QColor(color)))
                    item.setToolTip(f"{township.name} · {figure.label}\n{figure.detail}\n{hint}")
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        # as tall as its rows: the page scrolls, not the table
        height = header.sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height + 2)

    def _show_warnings(self) -> None:
        data = self._data
        assert data is not None
        # R9: an open equipment fault is listed with the rule warnings, oldest first (issue 7, item 2)
        warnings = list(data.warnings) + [
            RuleWarning("R9", f.site_id, f.site, self.tr("{0} fault open for {1} days: {2} ({3})").format(
                f.status_label, f.age_days, f.description or f.equipment, f.technician or self.tr("no technician")))
            for f in data.faults]
        scope = ""
        if self._unit_id is not None:
            inside = descendants(data.nodes, self._unit_id)
            warnings = [w for w in warnings if w.unit_id in inside]
            scope = self._unit_name(self._unit_id)
        if scope:
            self.warnings_title.setText(self.tr("Rule warnings in {0}: {1}").format(scope, len(warnings)))
        else:
            self.warnings_title.setText(self.tr("Rule warnings: {0}").format(len(warnings)))
        self.warnings.clear()
        items = []
        for w in warnings:
            item = QTreeWidgetItem([w.rule, w.unit_name, w.message])
            item.setData(0, Qt.ItemDataRole.UserRole, w.unit_id)
            item.setToolTip(0, rule_text(w.rule))
            item.setToolTip(2, w.message)
            items.append(item)
        self.warnings.addTopLevelItems(items)
        self.warnings.setVisible(bool(warnings))
        self.warnings_hint.setVisible(bool(warnings))
        self.no_warnings.setVisible(not warnings)

    def _unit_name(self, unit_id: str | None) -> str:
        if unit_id is None or self._data is None:
            return ""
        return next((n.name for n in self._data.nodes if n.id == unit_id), "")

    def warning_texts(self) -> list[str]:
        """The warnings shown now, as ``[rule] unit：message`` (what tests and screenshots check)."""
        return [f"[{self.warnings.topLevelItem(i).text(0)}] {self.warnings.topLevelItem(i).text(1)}："
                f"{self.warnings.topLevelItem(i).text(2)}" for i in range(self.warnings.topLevelItemCount())]

    def township_texts(self) -> list[list[str]]:
        """The per-township table as shown: one list per township, its name first."""
        table = self.townships
        return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]

    # --- events -------------------------------------------------------------------------------

    def _on_tile_clicked(self, key: str) -> None:
        self.open_behind(key)

    def _on_township_cell_clicked(self, row: int, column: int) -> None:
        item = self.townships.item(row, column)
        key = item.data(FIGURE_ROLE) if item is not None else None
        if self.behind_dialog is not None and self.behind_dialog.isVisible():
            return  # a click and an activation of the same cell: one list
        if key:
            self.open_behind(str(key), str(item.data(UNIT_ROLE)))

    def _on_warning_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        unit_id = item.data(0, Qt.ItemDataRole.UserRole)
        if unit_id:
            # After the view has finished with the double-click: selecting the unit rebuilds this list.
            QTimer.singleShot(0, lambda: self.unit_requested.emit(str(unit_id)))

    def _on_data_changed(self, area: str) -> None:
        if area in REFRESH_AREAS:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
