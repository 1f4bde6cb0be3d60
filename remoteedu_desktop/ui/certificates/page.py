"""The certificates page (R11): who is eligible, the register, the templates and the printers.

Tab "Settings": :class:`SettingsView` (number pattern, term, issuing office, seal). Tab "Eligibility": :class:`EligibilityView` of the unit chosen in the org tree, issuing through the
preview. Tab "Register": :class:`RegisterView`, with preview, printing, status changes, export and the
verify dialog. Tabs "Templates" and "Printers" hold the template editor and the printer calibration
(written in ``ui/cert_templates``); they are created when first shown, and a note stands in for them
while that package is not in this build.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ..context import AppContext
from .common import HINT_STYLE
from .eligibility_view import EligibilityView
from .register_view import RegisterView
from .settings_view import SettingsView

TAB_ELIGIBILITY, TAB_REGISTER, TAB_TEMPLATES, TAB_PRINTERS = range(4)
TEMPLATES_PACKAGE = "remoteedu_desktop.ui.cert_templates"
log = logging.getLogger(__name__)


def templates_widget(name: str) -> type[QWidget] | None:
    """TemplatesView or PrintersView of ``ui/cert_templates``, or None while it (or a service it needs) is
    not in this build; the page shows a note instead of failing."""
    try:
        package = importlib.import_module(TEMPLATES_PACKAGE)
        widget: type[QWidget] = getattr(package, name)
    except (ImportError, AttributeError):
        log.warning("%s.%s is not available", TEMPLATES_PACKAGE, name, exc_info=True)
        return None
    return widget


class CertificatesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id: str | None = None
        self.eligibility = EligibilityView(ctx, self)
        self.register = RegisterView(ctx, self)
        self.templates: QWidget | None = None
        self.printers: QWidget | None = None
        self._holders = {TAB_TEMPLATES: self._holder(), TAB_PRINTERS: self._holder()}
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.eligibility, self.tr("Eligibility"))
        self.tabs.addTab(self.register, self.tr("Register"))
        self.tabs.addTab(self._holders[TAB_TEMPLATES], self.tr("Templates"))
        self.tabs.addTab(self._holders[TAB_PRINTERS], self.tr("Printers"))
        self.settings = SettingsView(ctx, self)
        self.tabs.addTab(self.settings, self.tr("Settings"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._tab_changed)

    def _holder(self) -> QWidget:
        holder = QWidget(self)
        QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
        return holder

    def refresh(self) -> None:
        """Reload the tab in view now; the other reloads when it is shown."""
        for view in (self.eligibility, self.register):
            if view.isVisible():
                view.refresh()
            else:
                view._stale = True
        for widget in (self.templates, self.printers):
            refresh = getattr(widget, "refresh", None)
            if callable(refresh) and widget is not None and widget.isVisible():
                refresh()

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit: eligibility and the register follow it."""
        self.unit_id = unit_id
        self.eligibility.select_unit(unit_id)
        self.register.select_unit(unit_id)

    def _tab_changed(self, index: int) -> None:
        if index == TAB_TEMPLATES and self.templates is None:
            self.templates = self._make(index, "TemplatesView")
        elif index == TAB_PRINTERS and self.printers is None:
            self.printers = self._make(index, "PrintersView")

    def _make(self, index: int, name: str) -> QWidget | None:
        holder = self._holders[index]
        layout = holder.layout()
        widget_class = templates_widget(name)
        if widget_class is None:
            if layout.count() == 0:
                note = QLabel(self.tr("This function is not available in this version."), holder)
                note.setStyleSheet(HINT_STYLE)
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(note)
            return None
        widget = widget_class(self.ctx)  # type: ignore[call-arg]
        widget.setParent(holder)
        layout.addWidget(widget)
        return widget
