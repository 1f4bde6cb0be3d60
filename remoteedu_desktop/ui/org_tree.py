"""The org tree on the left of the main window: county → townships → sites (R1).

Fed with :class:`~remoteedu_desktop.services.org_tree.TreeNode` dataclasses;
the panel never touches the database itself. Each unit gets a small kind icon,
inactive units are greyed, and village sites with an empty post A or B are
marked (R3). Selecting a unit emits :attr:`OrgTreePanel.unit_selected` with
its id, or ``None`` when nothing is selected (= everything).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QTreeView, QVBoxLayout, QWidget

from ..services.org_tree import TreeNode

UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
CODE_ROLE = Qt.ItemDataRole.UserRole + 3
ICON_SIZE = 18

_KIND_COLOURS = {
    "county": "#a93226",
    "township": "#1f618d",
    "village": "#1e8449",
    "enterprise": "#b9770e",
    "township_station": "#117a65",
}
MISSING_POST_COLOUR = QColor("#b03a00")
INACTIVE_COLOUR = QColor("#9a9a9a")


def kind_letter(kind: str) -> str:
    """The one character drawn on a unit's icon."""
    return {
        "county": QCoreApplication.translate("OrgTree", "C", "icon letter of a county"),
        "township": QCoreApplication.translate("OrgTree", "T", "icon letter of a township"),
        "village": QCoreApplication.translate("OrgTree", "V", "icon letter of a village site"),
        "enterprise": QCoreApplication.translate("OrgTree", "E", "icon letter of an enterprise site"),
        "township_station": QCoreApplication.translate("OrgTree", "S", "icon letter of a township station"),
    }.get(kind, "?")


def kind_name(kind: str) -> str:
    return {
        "county": QCoreApplication.translate("OrgTree", "County"),
        "township": QCoreApplication.translate("OrgTree", "Township"),
        "village": QCoreApplication.translate("OrgTree", "Village site"),
        "enterprise": QCoreApplication.translate("OrgTree", "Non-public enterprise site"),
        "township_station": QCoreApplication.translate("OrgTree", "Township station"),
    }.get(kind, kind)


def kind_icon(kind: str, *, active: bool = True) -> QIcon:
    """A small rounded square in the kind's colour with its letter (grey when inactive)."""
    scale = 2  # drawn at twice the size so it stays sharp on high-DPI screens
    pixmap = QPixmap(ICON_SIZE * scale, ICON_SIZE * scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(_KIND_COLOURS.get(kind, "#555555")) if active else INACTIVE_COLOUR
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    rect = QRect(1, 1, pixmap.width() - 2, pixmap.height() - 2)
    painter.drawRoundedRect(rect, 7, 7)
    font = QFont(QApplication.font())
    font.setPixelSize(int(pixmap.height() * 0.66))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, kind_letter(kind))
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return QIcon(pixmap)


class _TreeFilter(QSortFilterProxyModel):
    """Keeps a unit when its name or code contains the text, with its parents (recursive filtering)."""

    needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self.needle = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802 - Qt's name
        if not self.needle:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "").casefold()
        code = str(index.data(CODE_ROLE) or "")
        return self.needle in name or self.needle in code


class OrgTreePanel(QWidget):
    """A filter box over a tree of the units."""

    unit_selected = Signal(object)  # str | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.proxy = _TreeFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self._items: dict[str, QStandardItem] = {}
        self._emitting = True

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Find a unit: name or code"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)

    # --- data ---------------------------------------------------------------------------------

    def load(self, nodes: list[TreeNode]) -> None:
        """Show *nodes* (parents before children), keeping the selection and what was expanded."""
        selected = self.selected_unit()
        expanded = {uid for uid, item in self._items.items()
                    if self.view.isExpanded(self.proxy.mapFromSource(item.index()))}
        first_load = not self._items
        self._emitting = False
        try:
            self.model.clear()
            self._items.clear()
            for node in nodes:
                item = self._make_item(node)
                parent = self._items.get(node.parent_id) if node.parent_id else None
                (parent or self.model.invisibleRootItem()).appendRow(item)
                self._items[node.id] = item
            townships = sum(n.kind == "township" for n in nodes)
            for node in nodes:
                open_it = (node.id in expanded if not first_load
                           else node.kind == "county" or (node.kind == "township" and townships == 1))
                if open_it:
                    self.view.setExpanded(self.proxy.mapFromSource(self._items[node.id].index()), True)
            if selected in self._items:
                self.select_unit(selected)
        finally:
            self._emitting = True
        if selected is not None and selected not in self._items:
            self.unit_selected.emit(None)  # the selected unit is gone

    def _make_item(self, node: TreeNode) -> QStandardItem:
        text = node.name
        tips = [f"{kind_name(node.kind)}：{node.name}"]
        if node.code:
            tips.append(self.tr("Code: {0}").format(node.code))
        missing = [slot for slot, gone in (("A", node.missing_a), ("B", node.missing_b)) if gone]
        if not node.active:
            text += self.tr(" (inactive)")
            tips.append(self.tr("Deactivated"))
        elif missing:
            text += self.tr(" (no post {0})").format("/".join(missing))
            tips.append(self.tr("Post {0} is empty (rule R3)").format("/".join(missing)))
        item = QStandardItem(kind_icon(node.kind, active=node.active), text)
        item.setData(node.id, UNIT_ID_ROLE)
        item.setData(node.kind, KIND_ROLE)
        item.setData(node.code or "", CODE_ROLE)
        item.setToolTip("\n".join(tips))
        item.setEditable(False)
        if not node.active:
            item.setForeground(QBrush(INACTIVE_COLOUR))
        elif missing:
            item.setForeground(QBrush(MISSING_POST_COLOUR))
        return item

    # --- selection ----------------------------------------------------------------------------

    def selected_unit(self) -> str | None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes:
            return None
        value = indexes[0].data(UNIT_ID_ROLE)
        return str(value) if value else None

    def select_unit(self, unit_id: str | None) -> None:
        """Select (and reveal) *unit_id*, or clear the selection for ``None``."""
        if unit_id is None or unit_id not in self._items:
            self.view.selectionModel().clearSelection()
            self.view.setCurrentIndex(QModelIndex())
            return
        index = self.proxy.mapFromSource(self._items[unit_id].index())
        if not index.isValid():  # hidden by the filter: clear the filter to show it
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(self._items[unit_id].index())
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def item_text(self, unit_id: str) -> str:
        item = self._items.get(unit_id)
        return item.text() if item else ""

    def unit_ids(self) -> list[str]:
        return list(self._items)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._emitting:
            self.unit_selected.emit(self.selected_unit())

    def _apply_filter(self, text: str) -> None:
        self.proxy.set_needle(text)
        if text.strip():
            self.view.expandAll()
