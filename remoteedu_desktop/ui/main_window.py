"""The main window: navigation to every area, the org tree, the pages, menus and status bar.

On the left, the navigation list (one entry per page of :mod:`.pages`) above
the org tree (county → townships → sites); on the right, the current page.
Pages are created on first visit. Selecting a unit in the tree is passed to
every page that has ``select_unit``. Nothing is read from the database in the
constructor: :meth:`MainWindow.load` does that (called when first shown).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..services.offices import OfficeInfo
from ..services.org_tree import org_tree
from .accounts.menu import AccountControls
from .context import AppContext
from .i18n import LANGUAGES, save_language, saved_language
from .org_tree import OrgTreePanel
from .overview_page import OverviewPage, office_level_text
from .pages import PAGES, PageSpec, page_spec

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
TREE_AREAS = frozenset({"office", "units", "posts"})  # changes that alter the tree or the status bar
SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_SPLITTER = "main_window/splitter"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.office: OfficeInfo | None = None
        self.remember_layout = False  # the app sets it; tests and screenshots leave QSettings alone
        self._pages: dict[str, QWidget] = {}
        self._unit_id: str | None = None
        self._loaded = False
        self._reload_pending = False
        self.setWindowTitle(self.tr("Remote Education Backbone Teams"))
        self.resize(1280, 760)

        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet(
            "QListWidget#nav { border: none; background: #eef2f7; outline: 0; }"
            "QListWidget#nav::item { padding: 5px 12px; }"
            "QListWidget#nav::item:selected { background: #1f4e79; color: white; }"
            "QListWidget#nav::item:hover:!selected { background: #dde5f0; }")
        for spec in PAGES:
            item = QListWidgetItem(spec.title)
            item.setData(KEY_ROLE, spec.key)
            if spec.description:
                item.setToolTip(spec.description)
            self.nav.addItem(item)
        self.nav.currentItemChanged.connect(self._on_nav)

        self.tree = OrgTreePanel(self)
        self.tree.unit_selected.connect(self._on_unit_selected)
        tree_box = QWidget(self)
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(6, 6, 6, 6)
        tree_layout.setSpacing(4)
        self.tree_title = QLabel(self.tr("Organization"), tree_box)
        font = self.tree_title.font()
        font.setBold(True)
        self.tree_title.setFont(font)
        tree_layout.addWidget(self.tree_title)
        tree_layout.addWidget(self.tree, 1)
        self.tree_box = tree_box

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.nav)
        left_layout.addWidget(tree_box, 1)

        self.stack = QStackedWidget(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([250, 1030])
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(200)
        self.setCentralWidget(self.splitter)

        self.office_status = QLabel(self)
        self.database_status = QLabel(self)
        self.database_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.office_status)
        self.statusBar().addPermanentWidget(self.database_status)

        self._build_menus()
        self._fit_nav()
        ctx.changed.connect(self._on_data_changed)

    # --- menus --------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.setup_action = file_menu.addAction(self.tr("&Set up this office…"))
        self.setup_action.triggered.connect(self.open_setup_wizard)
        file_menu.addSeparator()
        self.import_roster_action = file_menu.addAction(self.tr("&Import roster…"))
        self.import_roster_action.triggered.connect(self.import_roster)
        self.export_roster_action = file_menu.addAction(self.tr("Ex&port roster…"))
        self.export_roster_action.triggered.connect(self.export_roster)
        self.template_action = file_menu.addAction(self.tr("Save roster &template…"))
        self.template_action.triggered.connect(self.save_roster_template)
        file_menu.addSeparator()
        self.backup_action = file_menu.addAction(self.tr("&Back up to USB…"))
        self.backup_action.triggered.connect(self.backup_to_usb)
        self.restore_action = file_menu.addAction(self.tr("&Restore from backup…"))
        self.restore_action.triggered.connect(self.restore_from_backup)
        file_menu.addSeparator()
        self.settings_action = file_menu.addAction(self.tr("S&ettings…"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addSeparator()
        self.quit_action = file_menu.addAction(self.tr("E&xit"))
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.accounts = AccountControls(self, self.ctx, file_menu, before=self.quit_action)  # issue 10 item 5

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.tree_action = view_menu.addAction(self.tr("&Organization tree"))
        self.tree_action.setCheckable(True)
        self.tree_action.setChecked(True)
        self.tree_action.toggled.connect(self.tree_box.setVisible)
        self.refresh_action = view_menu.addAction(self.tr("&Refresh"))
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh)
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        current = saved_language()
        for code, label in LANGUAGES.items():  # each language named in itself
            action = language_menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, code=code: self.choose_language(code))
            self.language_actions[code] = action

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = help_menu.addAction(self.tr("&About"))
        self.about_action.triggered.connect(self.show_about)

    def _fit_nav(self) -> None:
        """The navigation list is exactly as tall as its entries, the tree takes the rest."""
        rows = sum(self.nav.sizeHintForRow(i) for i in range(self.nav.count()))
        self.nav.setFixedHeight(rows + 2 * self.nav.frameWidth() + 8)

    # --- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the office and the tree, fill the status bar, show the current page (overview first)."""
        self.office = self.ctx.office()
        self._loaded = True
        office = self.office
        title = self.tr("Remote Education Backbone Teams")
        self.setWindowTitle(f"{title} — {office.name}" if office.initialized else title)
        if office.initialized:
            self.office_status.setText(f"{office_level_text(office.level)}  {office.code}  {office.name}")
        else:
            self.office_status.setText(self.tr("Office not set up"))
        self.database_status.setText(self.tr("Database: {0}").format(self.ctx.database_location))
        self.setup_action.setEnabled(not office.initialized)
        self.accounts.refresh()
        self.reload_tree()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def reload_tree(self) -> None:
        with self.ctx.session() as session:
            nodes = org_tree(session)
        self.tree.load(nodes)

    def refresh(self) -> None:
        """Read everything again (F5): office, tree, and the current page."""
        self.load()
        page = self.stack.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    # --- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget | None:
        """The page for *key* if it was created already."""
        return self._pages.get(key)

    def current_key(self) -> str | None:
        item = self.nav.currentItem()
        return str(item.data(KEY_ROLE)) if item is not None else None

    def show_reminders(self) -> None:
        """Issue 8 item 4: what needs attention, after start; nothing when all is well or hidden for today."""
        from .reminders.dialog import reminders_on_start

        dialog = reminders_on_start(self.ctx, self)
        if dialog is None:
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.page_requested.connect(self.open_page_for)
        self._reminders_dialog = dialog
        dialog.show()

    def open_page_for(self, page: str, unit_id: object) -> None:
        """Open *page* with *unit_id* selected in the tree (reminders, overview click-through)."""
        if unit_id:
            self.select_unit(str(unit_id))
        self.show_page(page)

    def show_page(self, key: str) -> QWidget:
        """Switch to the page *key*, creating it on first visit."""
        row = next(i for i, spec in enumerate(PAGES) if spec.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # comes back here through _on_nav
            return self._pages[key]
        page = self._pages.get(key)
        if page is None:
            page = self._create_page(page_spec(key))
        self.stack.setCurrentWidget(page)
        return page

    def _create_page(self, spec: PageSpec) -> QWidget:
        page = spec.create(self.ctx)
        page.setObjectName(f"page_{spec.key}")
        if isinstance(page, OverviewPage):
            page.unit_requested.connect(self._open_unit)
            page.setup_requested.connect(self.open_setup_wizard)
            page.page_requested.connect(self.open_page_for)  # issue 8 item 1: a figure opens its records' page
        select = getattr(page, "select_unit", None)
        if self._unit_id is not None and callable(select):
            select(self._unit_id)
        self._pages[spec.key] = page
        self.stack.addWidget(page)
        return page

    def _on_nav(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.show_page(str(current.data(KEY_ROLE)))

    # --- the org tree -------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        """Select *unit_id* in the tree (which tells the pages)."""
        self.tree.select_unit(unit_id)
        if unit_id is None:
            self._on_unit_selected(None)

    def selected_unit(self) -> str | None:
        return self._unit_id

    def _on_unit_selected(self, unit_id: object) -> None:
        self._unit_id = str(unit_id) if unit_id else None
        for page in self._pages.values():
            select = getattr(page, "select_unit", None)
            if callable(select):
                select(self._unit_id)

    def _open_unit(self, unit_id: str) -> None:
        self.select_unit(unit_id)
        self.show_page("sites")

    def _on_data_changed(self, area: str) -> None:
        if area in TREE_AREAS and self._loaded and not self._reload_pending:
            self._reload_pending = True  # several changes in a row: read once
            QTimer.singleShot(0, self._reload_after_change)

    def _reload_after_change(self) -> None:
        self._reload_pending = False
        self.load()

    # --- actions ------------------------------------------------------------------------------

    def open_setup_wizard(self) -> None:
        from .wizard import SetupWizard

        if self.ctx.office().initialized:
            return
        wizard = SetupWizard(self.ctx, self)
        if wizard.exec() == QDialog.DialogCode.Accepted:
            self.load()
            self.statusBar().showMessage(wizard.outcome(), 15000)
        wizard.deleteLater()

    def import_roster(self) -> None:
        from .rosters.import_dialog import RosterImportDialog

        dialog = RosterImportDialog(self.ctx, parent=self)
        dialog.choose_file()
        if dialog.path_edit.text():
            dialog.exec()
        dialog.deleteLater()

    def export_roster(self) -> None:
        from .rosters.export_dialog import RosterExportDialog

        dialog = RosterExportDialog(self.ctx, self)
        dialog.select_unit(self._unit_id)
        dialog.exec()
        dialog.deleteLater()

    def backup_to_usb(self) -> None:
        """Issue 9 item 3: a verified copy of the database on a USB stick."""
        from .backups.dialogs import BackupToDialog

        dialog = BackupToDialog(self.ctx, self)
        dialog.exec()
        dialog.deleteLater()

    def restore_from_backup(self) -> None:
        """Issue 9 item 3: what a backup holds first, then the restore (the replaced database is kept)."""
        from .backups.dialogs import RestoreDialog

        dialog = RestoreDialog(self.ctx, self)
        dialog.restored.connect(lambda _kept: self.refresh())
        dialog.exec()
        dialog.deleteLater()

    def save_roster_template(self) -> None:
        from ..errors import ValidationError
        from ..services.roster_template import write_template
        from ..services.site_views import unit_choices
        from .rosters import choose_save_path

        path = choose_save_path(self, self.tr("Save roster template"), "花名册模板.xlsx")
        if not path:
            return
        with self.ctx.session() as session:
            names = [c.name for c in unit_choices(session, kinds=("township_station", "village", "enterprise"))]
        try:
            written = write_template(path, units=names)
        except (OSError, ValidationError) as exc:
            text = exc.text() if isinstance(exc, ValidationError) else str(exc)
            QMessageBox.warning(self, self.tr("Save roster template"), text)
            return
        self.statusBar().showMessage(self.tr("Roster template saved: {0}").format(written), 15000)

    def choose_language(self, language: str) -> None:
        """Keep the choice (QSettings); it applies at the next start."""
        if language not in LANGUAGES:
            return
        changed = language != saved_language()
        save_language(language)
        self.language_actions[language].setChecked(True)
        if changed:
            QMessageBox.information(self, self.tr("Language"),
                                    self.tr("The language will change to {0} when you restart the program.")
                                    .format(LANGUAGES[language]))

    def open_settings(self) -> None:
        """File → Settings… (issue 9, item 5); the dialog saves on OK and notifies the pages."""
        from .settings import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.exec()

    def show_about(self) -> None:
        office = self.office or self.ctx.office()
        lines = [
            f"<h3>{self.tr('Remote Education Backbone Teams')}</h3>",
            self.tr("Version {0}").format(__version__),
            self.tr("Managing the managers, tutors and technicians of rural remote education for Party "
                    "members and cadres."),
            self.tr("Office: {0}").format(f"{office_level_text(office.level)} {office.name} {office.code}"
                                          if office.initialized else office_level_text(None)),
            self.tr("Database: {0}").format(self.ctx.database_location),
            self.tr("Font: LXGW WenKai (SIL Open Font License)"),
        ]
        QMessageBox.about(self, self.tr("About"), "<br>".join(lines))

    # --- events -------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        splitter = settings.value(SETTINGS_SPLITTER)
        if splitter is not None:
            self.splitter.restoreState(splitter)  # type: ignore[arg-type]
        self.remember_layout = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if not self._loaded:
            self.load()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.remember_layout:
            settings = QSettings()
            settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
            settings.setValue(SETTINGS_SPLITTER, self.splitter.saveState())
        super().closeEvent(event)
