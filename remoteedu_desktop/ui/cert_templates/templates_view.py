"""The certificate templates of one kind (R11): which one prints, new ones from the defaults, edits.

A template is versioned: editing saves a new version and certificates already issued keep the layout
frozen in their snapshot. For pre-printed booklets a scan of the blank stock can be attached; it is
shown under the fields in the editor's preview only and is never printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QImage, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import certificate_templates
from ...services.certificate_layout import default_layout
from ...services.certificate_templates import TemplateInfo
from ..context import AppContext
from . import OpenPathFn, choose_open_path, error_text
from .template_editor import TemplateEditorDialog

ERROR_STYLE = "color: #c0392b;"
OK_STYLE = "color: #2e7d32;"
HINT_STYLE = "color: #666;"
MAX_SCAN_BYTES = 20 * 1024 * 1024
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_STOCK, COL_SIZE, COL_VERSION, COL_DEFAULT, COL_SCAN = range(6)
RunDialogFn = Callable[[QDialog], int]


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


class TemplatesView(QWidget):
    """The list of templates of the chosen kind with the buttons that act on the selected one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_dialog: RunDialogFn = exec_dialog
        self.choose_open_path: OpenPathFn = choose_open_path
        self.last_editor: TemplateEditorDialog | None = None
        self._templates: list[TemplateInfo] = []
        self._scans: dict[str, bool] = {}
        self._stale = True

        self.kind_combo = QComboBox(self)
        for kind, label in codes.CERTIFICATE_KIND.items():
            self.kind_combo.addItem(label, kind)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Paper"), self.tr("Page size"),
                                              self.tr("Version"), self.tr("Default"), self.tr("Scan")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.new_plain_button = QPushButton(self.tr("New from default (plain paper)"), self)
        self.new_booklet_button = QPushButton(self.tr("New from default (pre-printed booklet)"), self)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.duplicate_button = QPushButton(self.tr("Duplicate"), self)
        self.default_button = QPushButton(self.tr("Set as default"), self)
        self.load_scan_button = QPushButton(self.tr("Load scan of blank stock…"), self)
        self.remove_scan_button = QPushButton(self.tr("Remove scan"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        hint = QLabel(self.tr("The default template of each kind is used when certificates are issued. Editing a "
                              "template saves a new version; certificates already issued keep their layout. "
                              "A scan of the blank booklet is only shown under the fields in the preview."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Certificate kind"), self))
        top.addWidget(self.kind_combo)
        top.addStretch(1)
        buttons = QVBoxLayout()
        for button in (self.new_plain_button, self.new_booklet_button, self.edit_button, self.duplicate_button,
                       self.default_button, self.load_scan_button, self.remove_scan_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.message)
        layout.addWidget(hint)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_plain_button.clicked.connect(lambda: self.new_from_default("plain"))
        self.new_booklet_button.clicked.connect(lambda: self.new_from_default("preprinted"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.default_button.clicked.connect(self.set_default_selected)
        self.load_scan_button.clicked.connect(self.load_scan)
        self.remove_scan_button.clicked.connect(self.remove_scan)
        ctx.changed.connect(self._on_changed)
        self._update_buttons()

    # --- data ---------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changed(self, area: str) -> None:
        if area == "certificates":
            self._stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self, select_id: str | None = None) -> None:
        """Reload the kind's templates (the built-in default is created on first use)."""
        self._stale = False
        select_id = select_id or self.selected_id()
        try:
            with self.ctx.session() as session:
                certificate_templates.default_template(session, self.kind())
                templates = certificate_templates.list_templates(session, self.kind())
                scans = {t.id: certificate_templates.scan(session, t.id) is not None for t in templates}
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return
        self._templates = templates
        self._scans = scans
        self.table.setRowCount(len(templates))
        stock_names = {"plain": self.tr("plain paper"), "preprinted": self.tr("pre-printed booklet")}
        for row, info in enumerate(templates):
            values = [info.name, stock_names.get(info.stock, info.stock),
                      f"{info.layout.page_w_mm:g} × {info.layout.page_h_mm:g} mm", str(info.version),
                      "✓" if info.is_default else "", self.tr("yes") if scans[info.id] else ""]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, info.id)
                if info.is_default:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                if column in (COL_VERSION, COL_DEFAULT, COL_SCAN):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        target = select_id if any(t.id == select_id for t in templates) else \
            next((t.id for t in templates if t.is_default), None)
        for row, info in enumerate(templates):
            if info.id == target:
                self.table.selectRow(row)
        self._update_buttons()

    def templates(self) -> list[TemplateInfo]:
        return list(self._templates)

    def selected(self) -> TemplateInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._templates[rows[0].row()] if rows[0].row() < len(self._templates) else None

    def selected_id(self) -> str | None:
        info = self.selected() if self._templates else None
        return info.id if info else None

    def select_template(self, template_id: str) -> None:
        for row, info in enumerate(self._templates):
            if info.id == template_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        info = self.selected() if self._templates else None
        for button in (self.edit_button, self.duplicate_button, self.load_scan_button):
            button.setEnabled(info is not None)
        self.default_button.setEnabled(info is not None and not info.is_default)
        self.remove_scan_button.setEnabled(info is not None and self._scans.get(info.id, False))

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    # --- actions ------------------------------------------------------------------------------------
    def _open_editor(self, dialog: TemplateEditorDialog) -> TemplateInfo | None:
        self.last_editor = dialog
        self.run_dialog(dialog)
        if dialog.saved is not None:
            self.refresh(select_id=dialog.saved.id)
            self.show_message(self.tr("Saved “{0}”, version {1}.").format(dialog.saved.name, dialog.saved.version))
        return dialog.saved

    def new_from_default(self, stock: str) -> TemplateInfo | None:
        kind_label = codes.CERTIFICATE_KIND.get(self.kind(), self.kind())
        name = (self.tr("{0}, A4 plain paper") if stock == "plain" else self.tr("{0}, pre-printed booklet")
                ).format(kind_label)
        return self._open_editor(TemplateEditorDialog(self.ctx, layout=default_layout(self.kind(), stock),
                                                      name=name, parent=self))

    def edit_selected(self) -> TemplateInfo | None:
        info = self.selected()
        if info is None:
            return None
        return self._open_editor(TemplateEditorDialog(self.ctx, info.id, parent=self))

    def duplicate_selected(self) -> TemplateInfo | None:
        info = self.selected()
        if info is None:
            return None
        try:
            with self.ctx.session() as session:
                copy = certificate_templates.save_template(session, info.layout,
                                                           name=self.tr("{0} (copy)").format(info.name))
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return None
        self.ctx.notify("certificates")
        self.refresh(select_id=copy.id)
        self.show_message(self.tr("Made “{0}”.").format(copy.name))
        return copy

    def set_default_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            with self.ctx.session() as session:
                certificate_templates.set_default(session, info.id)
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return
        self.ctx.notify("certificates")
        self.refresh(select_id=info.id)
        self.show_message(self.tr("“{0}” is now used for new certificates.").format(info.name))

    def load_scan(self) -> None:
        """Attach a scan (JPEG/PNG) of the blank stock to the selected template, for the preview."""
        info = self.selected()
        if info is None:
            return
        path = self.choose_open_path(self, self.tr("Scan of the blank stock"),
                                     self.tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)"))
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.show_message(error_text(exc), error=True)
            return
        if len(data) > MAX_SCAN_BYTES:
            self.show_message(self.tr("The scan {0} is larger than 20 MB; scan at 150–300 dpi.").format(
                Path(path).name), error=True)
            return
        if QImage.fromData(data).isNull():
            self.show_message(self.tr("{0} is not an image this program can read (use PNG or JPEG).").format(
                Path(path).name), error=True)
            return
        try:
            with self.ctx.session() as session:
                certificate_templates.set_scan(session, info.id, data)
        except ValidationError as exc:
            self.show_message(exc.text(), error=True)
            return
        self.ctx.notify("certificates")
        self.refresh(select_id=info.id)
        self.show_message(self.tr("The scan is shown under the fields of “{0}” in the editor.").format(info.name))

    def remove_scan(self) -> None:
        info = self.selected()
        if info is None:
            return
        with self.ctx.session() as session:
            certificate_templates.set_scan(session, info.id, None)
        self.ctx.notify("certificates")
        self.refresh(select_id=info.id)
        self.show_message(self.tr("Scan removed."))


__all__ = ["TemplatesView"]
