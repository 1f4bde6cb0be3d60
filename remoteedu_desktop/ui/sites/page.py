"""The sites page (R1–R5, R12): every site of the township with its A/B holders and rule warnings,
and one site's detail with buttons that change its posts.

The main window calls :meth:`SitesPage.select_unit` when the org tree's selection changes: a
township restricts the list to its sites (and the detail shows the township: its managers, R2),
a site shows that one site. The page refreshes when units, posts or people change.

Child dialogs run through ``self.run_dialog`` and questions through ``self.confirm`` /
``self.ask_text``, so tests drive everything without a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import posts, site_views, units
from ...services.person_views import PostRecord
from ...services.site_views import SiteDetail, SiteRow, UnitChoice
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..staff.post_dialogs import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    AssignPostDialog,
    ConfirmFn,
    EndPostDialog,
    PostChangeDialog,
    RunDialogFn,
    TransferPostDialog,
    ask_confirmation,
    exec_dialog,
)
from ..tables import fit_columns, select_row_with
from .editor import SiteEditorDialog

AskTextFn = Callable[[QWidget, str, str], str | None]
REFRESH_AREAS = frozenset({"units", "posts", "people"})
WARNING_COLOR = QColor("#c62828")
COL_NAME, COL_CODE, COL_KIND, COL_TOWNSHIP, COL_A, COL_B, COL_HELPERS, COL_WARNINGS = range(8)
SITE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def ask_text(parent: QWidget, title: str, label: str) -> str | None:
    """The real question: a one-line text; None when cancelled."""
    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


class SiteDetailPanel(QWidget):
    """One site's (or township's) detail, rebuilt for each detail shown."""

    def __init__(self, page: SitesPage) -> None:
        super().__init__(page)
        self.page = page
        self.detail: SiteDetail | None = None
        self.slot_buttons: dict[str, dict[str, QPushButton]] = {}
        self.post_buttons: dict[str, dict[str, QPushButton]] = {}
        self.add_manager_button: QPushButton | None = None
        self.warning_labels: list[QLabel] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 8, 12, 8)
        self.show_detail(None)

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.slot_buttons = {}
        self.post_buttons = {}
        self.add_manager_button = None
        self.warning_labels = []

    def _label(self, text: str, *, style: str = "", rich: bool = False, wrap: bool = True) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(wrap)
        if style:
            label.setStyleSheet(style)
        if rich:
            label.setTextFormat(Qt.TextFormat.RichText)
            label.linkActivated.connect(self.page.open_person)
        else:
            label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _button(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        # clicked(bool) would fill the first default argument of a lambda: call the action bare.
        button.clicked.connect(lambda _checked=False: action())
        return button

    def show_detail(self, detail: SiteDetail | None) -> None:
        self._clear()
        self.detail = detail
        if detail is None:
            self._layout.addWidget(self._label(self.tr("Select a site to see its managers, tutors and "
                                                       "technicians."), style=HINT_STYLE))
            self._layout.addStretch(1)
            return
        title = self._label(detail.name)
        font = title.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        title.setFont(font)
        self._layout.addWidget(title)
        facts = [detail.kind_label]
        if detail.parent_name and detail.kind in codes.SITE_KINDS:
            facts.append(detail.parent_name)
        facts.append(self.tr("code {0}").format(detail.code) if detail.code else self.tr("no statistical code"))
        if not detail.active:
            facts.append(self.tr("deactivated"))
        self._layout.addWidget(self._label(" · ".join(facts), style=HINT_STYLE))
        contact = [text for text in (
            self.tr("Address: {0}").format(detail.address) if detail.address else "",
            self.tr("Contact: {0}").format(detail.contact_person) if detail.contact_person else "",
            self.tr("Phone: {0}").format(detail.contact_phone) if detail.contact_phone else "") if text]
        if contact:
            self._layout.addWidget(self._label("    ".join(contact)))

        if detail.warnings:
            for w in detail.warnings:
                label = self._label("⚠ " + w.text(), style=ERROR_STYLE + " font-weight: bold;")
                self.warning_labels.append(label)
                self._layout.addWidget(label)
        else:
            self._layout.addWidget(self._label(self.tr("✓ No rule warnings."), style=OK_STYLE))

        self._layout.addWidget(self._managers_box(detail))
        self._layout.addWidget(self._helpers_box(detail))
        if detail.past_managers:
            self._layout.addWidget(self._history_box(detail))
        self._layout.addStretch(1)

    def _person_link(self, post: PostRecord) -> str:
        return f'<a href="{post.person_id}">{post.person_name}</a>'

    def _since(self, post: PostRecord) -> str:
        return self.tr("{0} · since {1}").format(post.tenure_label, post.start_date.isoformat())

    def _managers_box(self, d: SiteDetail) -> QGroupBox:
        if d.kind == "township":
            title = self.tr("Township managers (R2: at least 2)")
        elif d.has_slots:
            title = self.tr("Site managers: post A and post B (R3)")
        else:
            title = self.tr("Site managers")
        box = QGroupBox(title, self)
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(4)
        row = 0

        def add(caption: str, text: str, buttons: dict[str, QPushButton], *, style: str = "") -> None:
            # Who on one line, what can be done on the next: the panel stays narrow beside the table.
            nonlocal row
            grid.addWidget(self._label(caption, wrap=False), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self._label(text, rich=not style, style=style), row, 1)
            strip = QHBoxLayout()
            for key in ("assign", "transfer", "end"):
                if key in buttons:
                    buttons[key].setEnabled(d.active)
                    strip.addWidget(buttons[key])
            strip.addStretch(1)
            grid.addLayout(strip, row + 1, 1)
            row += 2

        for view in d.slots:
            buttons: dict[str, QPushButton] = {}
            if view.holder is None:
                buttons["assign"] = self._button(self.tr("Assign…"), lambda s=view.slot: self.page.assign_slot(s))
                add(view.label, self.tr("vacant"), buttons, style=ERROR_STYLE)
            else:
                holder = view.holder
                buttons["assign"] = self._button(self.tr("Change…"), lambda s=view.slot: self.page.assign_slot(s))
                buttons["transfer"] = self._button(self.tr("Transfer…"),
                                                   lambda p=holder.id: self.page.transfer_post(p))
                buttons["end"] = self._button(self.tr("End…"), lambda p=holder.id: self.page.end_post(p))
                add(view.label, f"{self._person_link(holder)}　<span style='color:#666'>{self._since(holder)}</span>",
                    buttons)
            self.slot_buttons[view.slot] = buttons
        for post in d.managers:
            where = "" if post.unit_id == d.id else f"（{post.unit_name}）"
            buttons = {"transfer": self._button(self.tr("Transfer…"), lambda p=post.id: self.page.transfer_post(p)),
                       "end": self._button(self.tr("End…"), lambda p=post.id: self.page.end_post(p))}
            add(post.slot_label, f"{self._person_link(post)}{where}　<span style='color:#666'>"
                f"{self._since(post)}</span>", buttons)
            self.post_buttons[post.id] = buttons
        if not d.has_slots:
            if not d.managers:
                grid.addWidget(self._label(self.tr("nobody"), style=HINT_STYLE), row, 1)
                row += 1
            self.add_manager_button = self._button(self.tr("Add manager…"), self.page.add_manager)
            self.add_manager_button.setEnabled(d.active)
            grid.addWidget(self.add_manager_button, row, 1, Qt.AlignmentFlag.AlignLeft)
        return box

    def _helpers_box(self, d: SiteDetail) -> QGroupBox:
        title = (self.tr("Tutors and technicians of the township") if d.kind == "township"
                 else self.tr("Tutors and technicians serving this site"))
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        if not d.helpers:
            layout.addWidget(self._label(self.tr("none"), style=HINT_STYLE))
        for post in d.helpers:
            layout.addWidget(self._label(f"{self._person_link(post)} · {post.role_label}（{post.place}）", rich=True))
        return box

    def _history_box(self, d: SiteDetail) -> QGroupBox:
        title = self.tr("Earlier managers ({0} changes in the last 12 months)").format(d.changes_12m)
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        for post in d.past_managers:
            end = post.end_date.isoformat() if post.end_date else ""
            layout.addWidget(self._label(
                self.tr("{0} – {1}: {2} {3} (reason: {4})").format(
                    post.start_date.isoformat(), end, self._person_link(post), post.slot_label or post.role_label,
                    post.end_reason or ""), rich=True))
        return box


class SitesPage(RefreshingWidget):
    """Sites with their A/B holders, serving tutors and technicians, and rule warnings (R1–R5, R12)."""

    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = ask_confirmation
        self.ask_text: AskTextFn = ask_text
        self._scope: UnitChoice | None = None
        self._rows: list[SiteRow] = []
        self._detail_id: str | None = None
        self._stale = False

        self.add_button = QPushButton(self.tr("New site…"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.deactivate_button = QPushButton(self.tr("Deactivate…"), self)
        self.swap_button = QPushButton(self.tr("Swap A/B…"), self)
        self.swap_button.setToolTip(self.tr("Exchange the holders of post A and post B (R3); needs a reason (R12)"))
        self.overview_button = QPushButton(self.tr("Township overview"), self)
        self.overview_button.hide()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by name or code"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(220)
        self.inactive_check = QCheckBox(self.tr("Show deactivated"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(HINT_STYLE)

        toolbar = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.deactivate_button, self.swap_button,
                       self.overview_button):
            toolbar.addWidget(widget)
        toolbar.addSpacing(16)
        toolbar.addWidget(self.filter_edit)
        toolbar.addWidget(self.inactive_check)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)

        self.model = QStandardItemModel(0, 8, self)
        self.model.setHorizontalHeaderLabels([
            self.tr("Site"), self.tr("Code"), self.tr("Kind"), self.tr("Township"), self.tr("Post A / managers"),
            self.tr("Post B"), self.tr("Tutors & technicians"), self.tr("Warnings")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.model.horizontalHeaderItem(COL_HELPERS).setToolTip(
            self.tr("Tutors and technicians serving the site (R4, R5)"))
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order until asked

        self.detail_panel = SiteDetailPanel(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail_panel)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([900, 360])
        scroll.setMinimumWidth(320)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)
        self.message.hide()

        self.add_button.clicked.connect(self.add_site)
        self.edit_button.clicked.connect(self.edit_site)
        self.deactivate_button.clicked.connect(self.deactivate_site)
        self.swap_button.clicked.connect(self.swap_slots)
        self.overview_button.clicked.connect(self.show_township)
        self.inactive_check.toggled.connect(self.refresh)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_site())
        ctx.changed.connect(self._on_data_changed)
        self.refresh()

    # -- scope and loading -------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        """Show the sites of a township (or county), or the one site *unit_id* names; None: every site."""
        scope = None
        if unit_id is not None:
            with self.ctx.session() as session:
                try:
                    scope = site_views.unit_choice(session, unit_id)
                except ValidationError:
                    scope = None
        self._scope = scope
        # A site shows itself; a township shows its managers (R2) until a site is picked.
        self._detail_id = scope.id if scope is not None and scope.kind in site_views.DETAIL_KINDS else None
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        with self.ctx.session() as session:
            self._rows = site_views.list_sites(session, under_unit_id=self._scope.id if self._scope else None,
                                               include_inactive=self.inactive_check.isChecked())
        self._fill_table()
        self._show_detail(self._detail_id)
        with_warnings = sum(1 for r in self._rows if r.warnings)
        self.count_label.setText(self.tr("{0} sites, {1} with warnings").format(len(self._rows), with_warnings))
        self.overview_button.setVisible(self._scope is not None and self._scope.kind == "township")
        # Within one township the township column says the same thing on every row.
        self.table.setColumnHidden(COL_TOWNSHIP, self._scope is not None and self._scope.kind != "county")

    def _fill_table(self) -> None:
        warn_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        self.model.removeRows(0, self.model.rowCount())
        red = QBrush(WARNING_COLOR)
        gray = QBrush(QColor("#888888"))
        for row in self._rows:
            name = QStandardItem(row.name)
            name.setData(row.id, SITE_ID_ROLE)
            if row.warnings:
                name.setIcon(warn_icon)
            if not row.active:
                name.setText(self.tr("{0} (deactivated)").format(row.name))
                name.setForeground(gray)
            if row.has_slots:
                post_a = QStandardItem(row.post_a or self.tr("vacant"))
                post_b = QStandardItem(row.post_b or self.tr("vacant"))
                for item, holder in ((post_a, row.post_a), (post_b, row.post_b)):
                    if not holder:
                        item.setForeground(red)
            else:  # no A/B slots: the managers, plain (R2 is checked on the township, not here)
                post_a = QStandardItem("、".join(row.managers) or "—")
                post_b = QStandardItem("—")
                post_b.setToolTip(self.tr("Only village sites have post A and post B (R3)."))
            helpers = QStandardItem()
            helpers.setData(row.helpers, Qt.ItemDataRole.DisplayRole)
            helpers.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            warnings = QStandardItem(row.warnings_text)
            warnings.setForeground(red)
            warnings.setToolTip("\n".join(row.warnings))
            items = [name, QStandardItem(row.code or ""), QStandardItem(row.kind_label),
                     QStandardItem(row.township_name), post_a, post_b, helpers, warnings]
            self.model.appendRow(items)
        selection.blockSignals(False)
        self._fit_columns()
        self._select_row(self._detail_id)

    def _fit_columns(self) -> None:
        """Columns as wide as their contents (long names capped); the warnings take the rest."""
        fit_columns(self.table, ((COL_NAME, 220), (COL_A, 160), (COL_B, 120)))

    def _select_row(self, site_id: str | None) -> None:
        select_row_with(self.table, self.proxy, COL_NAME, SITE_ID_ROLE, site_id)

    def _show_detail(self, unit_id: str | None) -> None:
        detail = None
        if unit_id is not None:
            with self.ctx.session() as session:
                try:
                    detail = site_views.site_detail(session, unit_id)
                except ValidationError:
                    detail = None
        self._detail_id = detail.id if detail else None
        self.detail_panel.show_detail(detail)
        is_site = detail is not None and detail.kind in codes.SITE_KINDS
        self.edit_button.setEnabled(is_site)
        self.deactivate_button.setEnabled(is_site and detail is not None and detail.active)
        self.swap_button.setEnabled(detail is not None and detail.has_slots
                                    and all(s.holder is not None for s in detail.slots))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        site_id = current.siblingAtColumn(COL_NAME).data(SITE_ID_ROLE) if current.isValid() else None
        self._show_detail(site_id)

    # -- public helpers (the main window and tests) ------------------------------------------------

    def rows(self) -> list[SiteRow]:
        return list(self._rows)

    def current_detail(self) -> SiteDetail | None:
        return self.detail_panel.detail

    def select_site(self, site_id: str) -> None:
        self._select_row(site_id)
        self._show_detail(site_id)

    def show_township(self) -> None:
        if self._scope is not None and self._scope.kind == "township":
            self._select_row(None)
            self._show_detail(self._scope.id)

    def _township_id(self) -> str | None:
        d = self.current_detail()
        if d is not None and d.kind == "township":
            return d.id
        if d is not None and d.kind in codes.SITE_KINDS:
            return d.parent_id
        if self._scope is not None and self._scope.kind == "township":
            return self._scope.id
        return None

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- actions -----------------------------------------------------------------------------------

    def add_site(self) -> SiteEditorDialog:
        dialog = SiteEditorDialog(self.ctx, None, self, township_id=self._township_id())
        if self.run_dialog(dialog) and dialog.saved is not None:
            self._detail_id = dialog.saved.id
            self._say(self.tr("Site “{0}” added.").format(dialog.saved.name))
            self.refresh()
        return dialog

    def edit_site(self) -> SiteEditorDialog | None:
        d = self.current_detail()
        if d is None or d.kind not in codes.SITE_KINDS:
            return None
        dialog = SiteEditorDialog(self.ctx, d.id, self)
        if self.run_dialog(dialog):
            self.refresh()
        return dialog

    def deactivate_site(self) -> bool:
        """Deactivate the site shown (R1: never deleted); the clerk gives a reason."""
        d = self.current_detail()
        if d is None or d.kind not in codes.SITE_KINDS:
            return False
        reason = self.ask_text(self, self.tr("Deactivate site"),
                               self.tr("Why is “{0}” deactivated? (kept with the site, R1)").format(d.name))
        if reason is None:
            return False
        try:
            with self.ctx.session() as session:
                units.deactivate_unit(session, d.id, reason=reason)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self._say(self.tr("Site “{0}” deactivated.").format(d.name))
        self.ctx.notify("units")
        return True

    def swap_slots(self) -> bool:
        """Exchange the holders of post A and post B of the site shown (R3), with a reason (R12)."""
        d = self.current_detail()
        if d is None or not d.has_slots:
            return False
        reason = self.ask_text(self, self.tr("Swap post A and post B"),
                               self.tr("Why do the managers of “{0}” swap posts A and B? (R12)").format(d.name))
        if reason is None:
            return False
        try:
            with self.ctx.session() as session:
                posts.swap_slots(session, d.id, on=dt.date.today(), reason=reason)
        except ValidationError as exc:
            self._say(exc.text(), error=True)
            return False
        self._say(self.tr("Posts A and B of “{0}” swapped.").format(d.name))
        self.ctx.notify("posts")
        return True

    def assign_slot(self, slot: str) -> AssignPostDialog | None:
        """Appoint the holder of post A or B of the site shown (or change the holder, R12)."""
        d = self.current_detail()
        if d is None or not d.has_slots:
            return None
        dialog = AssignPostDialog(self.ctx, unit_id=d.id, role="village_manager", slot=slot, parent=self,
                                  confirm=self.confirm)
        self._run_post_dialog(dialog)
        return dialog

    def add_manager(self) -> AssignPostDialog | None:
        """Appoint a manager of a site without slots, or a township manager (R2)."""
        d = self.current_detail()
        if d is None:
            return None
        role = {"township": "township_manager", "township_station": "township_manager",
                "enterprise": "enterprise_manager"}.get(d.kind)
        dialog = AssignPostDialog(self.ctx, unit_id=d.id, role=role, parent=self, confirm=self.confirm)
        self._run_post_dialog(dialog)
        return dialog

    def end_post(self, post_id: str) -> EndPostDialog:
        dialog = EndPostDialog(self.ctx, post_id, self, confirm=self.confirm)
        self._run_post_dialog(dialog)
        return dialog

    def transfer_post(self, post_id: str) -> TransferPostDialog:
        dialog = TransferPostDialog(self.ctx, post_id, self, confirm=self.confirm)
        self._run_post_dialog(dialog)
        return dialog

    def _run_post_dialog(self, dialog: PostChangeDialog) -> None:
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self._say(self.tr("Saved: {0}").format(dialog.summary().replace("\n", " ")))

    def open_person(self, person_id: str) -> None:
        from ..staff.person_editor import PersonEditorDialog

        dialog = PersonEditorDialog(self.ctx, person_id, self)
        dialog.run_dialog = self.run_dialog
        dialog.confirm = self.confirm
        self.run_dialog(dialog)
