"""The overview page: this office, a few counts, and the rule warnings the clerk should fix.

The data is read when the page is shown (never in the constructor) and again
after a change elsewhere (``ctx.changed``). Selecting a unit in the org tree
narrows the warnings to that unit and everything below it; double-clicking a
warning asks the window to open its unit on the sites page
(:attr:`OverviewPage.unit_requested`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services.checks import RuleWarning, rule_warnings
from ..services.faults import OpenFault, open_faults
from ..services.offices import OfficeInfo, office_info
from ..services.org_tree import OrgSummary, TreeNode, descendants, org_summary, org_tree
from .context import AppContext

REFRESH_AREAS = frozenset({"office", "units", "people", "posts", "faults", "equipment"})


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


@dataclass(frozen=True)
class OverviewData:
    office: OfficeInfo
    summary: OrgSummary
    nodes: list[TreeNode]
    warnings: list[RuleWarning]
    faults: list[OpenFault]


class _CountTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setStyleSheet("QFrame#tile { background: #f4f7fb; border: 1px solid #d5dde8; border-radius: 6px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        self.value = QLabel("–", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #1f4e79;")
        self.caption = QLabel(caption, self)
        self.caption.setStyleSheet("color: #555;")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class OverviewPage(QWidget):
    unit_requested = Signal(str)  # a warning was double-clicked: open its unit
    setup_requested = Signal()  # "set up this office" pressed on an uninitialised database

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._data: OverviewData | None = None
        self._unit_id: str | None = None
        self._stale = True

        self.office_label = QLabel(self)
        font = self.office_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.office_label.setFont(font)
        self.office_detail = QLabel(self)
        self.office_detail.setStyleSheet("color: #555;")

        self.setup_button = QPushButton(self.tr("Set up this office…"), self)
        self.setup_button.clicked.connect(self.setup_requested)
        self.setup_button.hide()

        self.tiles = {
            "townships": _CountTile(self.tr("Townships"), self),
            "sites": _CountTile(self.tr("Sites"), self),
            "people": _CountTile(self.tr("People on the teams"), self),
            "open_posts": _CountTile(self.tr("Posts held"), self),
            "vacant_slots": _CountTile(self.tr("Empty A/B posts"), self),
            "open_faults": _CountTile(self.tr("Open equipment faults"), self),
        }
        tiles = QGridLayout()
        tiles.setHorizontalSpacing(10)
        for column, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, column)

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
        warn_head = QHBoxLayout()
        warn_head.addWidget(self.warnings_title)
        warn_head.addStretch(1)
        warn_head.addWidget(self.warnings_hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addLayout(head)
        layout.addWidget(self.office_detail)
        layout.addLayout(tiles)
        layout.addSpacing(6)
        layout.addLayout(warn_head)
        layout.addWidget(self.no_warnings)
        layout.addWidget(self.warnings, 1)
        layout.addStretch(0)  # takes the space when there is no warnings list

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

    def select_unit(self, unit_id: str | None) -> None:
        self._unit_id = unit_id
        if self._data is not None:
            self._show_warnings()

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
        for key, tile in self.tiles.items():
            if key != "open_faults":
                tile.value.setText(str(getattr(data.summary, key)))
        self._show_warnings()

    def _show_warnings(self) -> None:
        data = self._data
        assert data is not None
        # R9: an open equipment fault is listed with the rule warnings, oldest first (issue 7, item 2)
        warnings = list(data.warnings) + [
            RuleWarning("R9", f.site_id, f.site, self.tr("{0} fault open for {1} days: {2} ({3})").format(
                f.status_label, f.age_days, f.description or f.equipment, f.technician or self.tr("no technician")))
            for f in data.faults]
        faults = data.faults
        scope = ""
        if self._unit_id is not None:
            inside = descendants(data.nodes, self._unit_id)
            warnings = [w for w in warnings if w.unit_id in inside]
            faults = [f for f in faults if f.site_id in inside]
            scope = next((n.name for n in data.nodes if n.id == self._unit_id), "")
        tile = self.tiles["open_faults"]
        tile.value.setText(str(len(faults)))
        tile.caption.setText(self.tr("Open equipment faults (oldest {0} days)").format(faults[0].age_days) if faults
                             else self.tr("Open equipment faults"))
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

    def warning_texts(self) -> list[str]:
        """The warnings shown now, as ``[rule] unit：message`` (what tests and screenshots check)."""
        return [f"[{self.warnings.topLevelItem(i).text(0)}] {self.warnings.topLevelItem(i).text(1)}："
                f"{self.warnings.topLevelItem(i).text(2)}" for i in range(self.warnings.topLevelItemCount())]

    # --- events -------------------------------------------------------------------------------

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
