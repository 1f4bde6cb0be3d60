"""Choose the sites a tutor's or technician's post serves (R4, R5, R9).

A checkable list of the candidate sites, grouped under their township, with a filter box. OK saves
through :func:`served_sites.set_served_sites` in one transaction (a refusal is shown inline and
nothing is written), then announces ``ctx.notify("posts")``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import person_views, served_sites
from ...services.served_sites import ServedSitesChange, SiteChoice
from ..context import AppContext
from .post_dialogs import HINT_STYLE, ErrorLabel

SITE_ID_ROLE = Qt.ItemDataRole.UserRole


class ServedSitesDialog(QDialog):
    """The sites one open tutor or technician post serves."""

    def __init__(self, ctx: AppContext, post_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.post_id = post_id
        self.result_change: ServedSitesChange | None = None
        self.setWindowTitle(self.tr("Sites served"))
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter by site, township or code"))
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Site"), self.tr("Kind")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 340)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)
        self.check_all_button = QPushButton(self.tr("Check shown"), self)
        self.uncheck_all_button = QPushButton(self.tr("Uncheck shown"), self)
        self.check_all_button.clicked.connect(lambda: self._check_shown(True))
        self.uncheck_all_button.clicked.connect(lambda: self._check_shown(False))
        self.general_error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        strip = QHBoxLayout()
        strip.addWidget(self.filter, 1)
        strip.addWidget(self.check_all_button)
        strip.addWidget(self.uncheck_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(strip)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumSize(560, 480)

        self.choices: list[SiteChoice] = []
        self._load()
        self.filter.textChanged.connect(self.apply_filter)
        self.tree.itemChanged.connect(lambda *_: self._changed())

    # -- loading -----------------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            with self.ctx.session() as session:
                post = person_views.post_record(session, self.post_id)
                self.choices = served_sites.candidate_sites(session, self.post_id)
        except ValidationError as exc:
            self.header.setText("")
            self.general_error.show_error(exc.text())
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        unit = f"{post.township_name}{post.unit_name}"
        self.header.setText(self.tr("{0} — {1} at {2}. Check the sites this post serves (R4, R5).")
                            .format(post.person_name, post.role_label, unit))
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for choice in self.choices:
            group = groups.get(choice.township_id)
            if group is None:
                group = QTreeWidgetItem(self.tree, [choice.township_name])
                group.setFont(0, bold)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[choice.township_id] = group
            label = choice.display if choice.active else self.tr("{0} (deactivated)").format(choice.display)
            item = QTreeWidgetItem(group, [label, choice.kind_label])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(0, Qt.CheckState.Checked if choice.checked else Qt.CheckState.Unchecked)
            item.setData(0, SITE_ID_ROLE, choice.id)
            item.setData(1, SITE_ID_ROLE, f"{choice.township_name} {choice.name} {choice.code or ''}".lower())
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if not self.choices:
            self.general_error.show_error(self.tr("There are no active sites this post could serve."))
        self._update_groups()
        self._changed()

    def _site_items(self) -> list[QTreeWidgetItem]:
        items = []
        it = QTreeWidgetItemIterator(self.tree)
        while it.value() is not None:
            item = it.value()
            if item.data(0, SITE_ID_ROLE):
                items.append(item)
            it += 1
        return items

    def _update_groups(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            children = [group.child(j) for j in range(group.childCount())]
            shown = [c for c in children if not c.isHidden()]
            checked = sum(c.checkState(0) == Qt.CheckState.Checked for c in children)
            group.setText(1, self.tr("{0} of {1} checked").format(checked, len(children)))
            group.setHidden(not shown)

    def _changed(self) -> None:
        self.general_error.clear_error()
        self.tree.blockSignals(True)
        self._update_groups()
        self.tree.blockSignals(False)
        self.count_label.setText(self.tr("{0} sites checked").format(len(self.checked_site_ids())))

    # -- filtering and checking --------------------------------------------------------------------

    def apply_filter(self, text: str | None = None) -> None:
        needle = (self.filter.text() if text is None else text).strip().lower()
        for item in self._site_items():
            item.setHidden(bool(needle) and needle not in str(item.data(1, SITE_ID_ROLE)))
        self.tree.blockSignals(True)
        self._update_groups()
        self.tree.blockSignals(False)

    def _check_shown(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.tree.blockSignals(True)
        for item in self._site_items():
            if not item.isHidden():
                item.setCheckState(0, state)
        self.tree.blockSignals(False)
        self._changed()

    def set_checked(self, site_id: str, on: bool = True) -> None:
        for item in self._site_items():
            if item.data(0, SITE_ID_ROLE) == site_id:
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def checked_site_ids(self) -> list[str]:
        return [str(item.data(0, SITE_ID_ROLE)) for item in self._site_items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def visible_site_names(self) -> list[str]:
        return [c.name for c, item in zip(self.choices, self._site_items(), strict=True) if not item.isHidden()]

    def errors_text(self) -> str:
        return self.general_error.text()

    # -- saving ------------------------------------------------------------------------------------

    def accept(self) -> None:
        self.general_error.clear_error()
        try:
            with self.ctx.session() as session:
                self.result_change = served_sites.set_served_sites(session, self.post_id, self.checked_site_ids())
        except ValidationError as exc:
            self.general_error.show_error(exc.text())
            return
        self.ctx.notify("posts")
        super().accept()
