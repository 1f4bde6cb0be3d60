"""The activities page (R9, R13), key "activities" of ``ui/pages.py``.

Tab "Teaching activities": :class:`ActivitiesView` (the log of R13, with the work-record book and the
monthly report card). Tabs "Equipment" and "Fault repairs" hold ``EquipmentView`` and ``FaultsView`` of
``ui/equipment`` (R9); they are created when first shown, and a note stands in for them while that
package is not in this build. The page follows the org tree: :meth:`select_unit` passes the unit on to
every view that takes one.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ..context import AppContext
from ..staff.post_dialogs import HINT_STYLE
from .activities_view import ActivitiesView

TAB_ACTIVITIES, TAB_EQUIPMENT, TAB_FAULTS = range(3)
# (module, class) of the views written in ui/equipment, per tab.
LAZY_VIEWS: dict[int, tuple[str, str]] = {
    TAB_EQUIPMENT: ("remoteedu_desktop.ui.equipment.equipment_view", "EquipmentView"),
    TAB_FAULTS: ("remoteedu_desktop.ui.equipment.faults_view", "FaultsView"),
}
log = logging.getLogger(__name__)


def lazy_view(module: str, name: str) -> type[QWidget] | None:
    """A view class of ``ui/equipment``, or None while it is not in this build (the page shows a note)."""
    try:
        view: type[QWidget] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        log.warning("%s.%s is not available", module, name, exc_info=True)
        return None
    return view


class ActivitiesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: str | None = None
        self.activities = ActivitiesView(ctx, self)
        self.equipment: QWidget | None = None
        self.faults: QWidget | None = None
        self._holders = {TAB_EQUIPMENT: self._holder(), TAB_FAULTS: self._holder()}
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.activities, self.tr("Teaching activities"))
        self.tabs.addTab(self._holders[TAB_EQUIPMENT], self.tr("Equipment"))
        self.tabs.addTab(self._holders[TAB_FAULTS], self.tr("Fault repairs"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)

    def _holder(self) -> QWidget:
        holder = QWidget(self)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        return holder

    def views(self) -> list[QWidget]:
        return [w for w in (self.activities, self.equipment, self.faults) if w is not None]

    def refresh(self) -> None:
        """Reload the tab in view now; the others reload when shown."""
        for view in self.views():
            refresh = getattr(view, "refresh", None)
            if not callable(refresh):
                continue
            if view.isVisible():
                refresh()
            else:
                view._stale = True  # type: ignore[attr-defined] # RefreshingWidget reloads when shown

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit: every view that takes one follows it."""
        self.unit_id = unit_id
        for view in self.views():
            select = getattr(view, "select_unit", None)
            if callable(select):
                select(unit_id)

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self._tab_changed(index)

    def _tab_changed(self, index: int) -> None:
        if index == TAB_EQUIPMENT and self.equipment is None:
            self.equipment = self._make(index)
        elif index == TAB_FAULTS and self.faults is None:
            self.faults = self._make(index)

    def _make(self, index: int) -> QWidget | None:
        holder = self._holders[index]
        layout = holder.layout()
        view_class = lazy_view(*LAZY_VIEWS[index])
        if view_class is None:
            if layout.count() == 0:
                note = QLabel(self.tr("This function is not available in this version."), holder)
                note.setStyleSheet(HINT_STYLE)
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(note)
            return None
        view = view_class(self.ctx)  # type: ignore[call-arg]
        view.setParent(holder)
        layout.addWidget(view)
        select = getattr(view, "select_unit", None)
        if callable(select) and self.unit_id is not None:
            select(self.unit_id)
        return view
