"""The certificate template editor (R11, issue 5 § 4): drag the boxes or type the numbers, see the result.

Left: the page at its real proportions with a 5 mm grid, the scan of the blank stock (pre-printed
templates), the live preview of one sample certificate rendered by the real renderer, and the elements
as boxes to drag (snapped to 0.5 mm) or resize. Right: the page settings, the element list and the
selected element's form (mm, text with ``{field}`` placeholders, font sizes, alignment, static).
The sample has a long name and a long unit so the clerk sees long names shrink to fit their box.

Saving writes a new version of the template (``certificate_templates.save_template``); certificates
already issued keep the layout frozen in their snapshot, so they never change.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGraphicsView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...printing.certificate_render import CertificatePage, render_pdf
from ...services import certificate_templates
from ...services.certificate_layout import ALIGNS, ELEMENT_KINDS, FIELDS, STOCKS, Element, Layout, validate
from ...services.certificate_templates import TemplateInfo
from ..context import AppContext
from .layout_scene import LayoutScene, snap
from .qt_print import load_document, page_image

PREVIEW_DPI = 110.0
DEBOUNCE_MS = 150
ERROR_STYLE = "color: #c0392b;"
HINT_STYLE = "color: #666;"

#: One sample certificate: a long name with rare characters (CJK Ext B and Ext A, from the two fonts) and a
#: long unit, so shrink-to-fit shows in the preview.
SAMPLE_VALUES: dict[str, str] = {
    "name": "欧阳𬌗㐀",
    "gender": "男",
    "birth": "1978年9月",
    "unit": "龙潭镇新村村委会远程教育终端接收站点",
    "area": "龙潭镇",
    "post": "站点管理员",
    "role": "教学辅导员",
    "office": "青山县农村党员干部现代远程教育工作领导小组办公室",
    "number": "3604992026SG0001",
    "kind_label": "上岗证书",
    "issue_date": "2026年6月30日",
    "term_start": "2026年7月1日",
    "valid_until": "2029年6月30日",
    "training": "2026年龙潭镇站点管理员岗前培训",
    "score": "92",
    "code": "RE1-3604992026SG0001-7Q4K-MZ2P-XXXX",
}


def sample_values(kind: str) -> dict[str, str]:
    values = dict(SAMPLE_VALUES)
    values["kind_label"] = codes.CERTIFICATE_KIND.get(kind, kind)
    if kind == "appointment":
        values["number"] = "3604992026PR0001"
    return values


def render_preview(layout: Layout, dpi: float = PREVIEW_DPI) -> QImage:
    """The sample certificate on *layout* as an image with a transparent paper (the scan shows through)."""
    pdf = render_pdf([CertificatePage(layout=layout, values=sample_values(layout.kind))])
    doc = load_document(pdf)
    try:
        return page_image(doc, 0, dpi, white=False)
    finally:
        doc.deleteLater()


class PageView(QGraphicsView):
    """The scene, always fitted to the page (the page keeps its real proportions)."""

    def __init__(self, scene: LayoutScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setMinimumSize(520, 380)

    def fit(self) -> None:
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


def _mm_spin(parent: QWidget, maximum: float = 500.0, minimum: float = 0.0) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(parent)
    spin.setRange(minimum, maximum)
    spin.setDecimals(1)
    spin.setSingleStep(0.1)
    spin.setSuffix(" mm")
    spin.setKeyboardTracking(False)
    return spin


class TemplateEditorDialog(QDialog):
    """Edit a saved template (*template_id*) or a new one starting from *layout*; ``saved`` holds the result."""

    TABLE_COLUMNS = 6

    def __init__(self, ctx: AppContext, template_id: str | None = None, *, layout: Layout | None = None,
                 name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.template_id = template_id
        self.saved: TemplateInfo | None = None
        self.scan_bytes: bytes | None = None
        existing: TemplateInfo | None = None
        if template_id is not None:
            with ctx.session() as session:
                existing = certificate_templates.template(session, template_id)
                self.scan_bytes = certificate_templates.scan(session, template_id)
            layout = existing.layout
            name = name or existing.name
        if layout is None:
            raise ValueError("TemplateEditorDialog needs a template_id or a layout")
        self.layout: Layout = layout
        self.preview_renders = 0
        self._syncing = False
        self._current = ""
        kind_label = codes.CERTIFICATE_KIND.get(layout.kind, layout.kind)
        self.setWindowTitle(self.tr("Certificate template: {0}").format(kind_label))

        # --- left: the page ---
        self.scene = LayoutScene(self)
        self.view = PageView(self.scene, self)
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(DEBOUNCE_MS)
        self.preview_timer.timeout.connect(self.refresh_preview)

        # --- right: template settings ---
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setMaxLength(100)
        self.name_edit.setPlaceholderText(self.tr("e.g. On-duty certificate, A4 plain paper"))
        self.version_label = QLabel(
            self.tr("Kind: {0} · version {1}").format(kind_label, existing.version) if existing
            else self.tr("Kind: {0} · new template").format(kind_label), self)
        self.version_label.setStyleSheet(HINT_STYLE)
        self.page_w_spin = _mm_spin(self, 500, 50)
        self.page_h_spin = _mm_spin(self, 500, 50)
        self.stock_combo = QComboBox(self)
        self.stock_combo.addItem(self.tr("Plain paper (everything printed)"), "plain")
        self.stock_combo.addItem(self.tr("Pre-printed booklet (fields only)"), "preprinted")
        assert [self.stock_combo.itemData(i) for i in range(self.stock_combo.count())] == list(STOCKS)

        self.table = QTableWidget(0, self.TABLE_COLUMNS, self)
        self.table.setHorizontalHeaderLabels([self.tr("Element"), self.tr("Kind"), self.tr("x"), self.tr("y"),
                                              self.tr("w"), self.tr("h")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setMinimumHeight(150)
        self.add_button = QPushButton(self.tr("Add element"), self)
        self.remove_button = QPushButton(self.tr("Remove element"), self)

        # --- right: the selected element ---
        self.key_edit = QLineEdit(self)
        self.key_edit.setMaxLength(40)
        self.kind_combo = QComboBox(self)
        kind_names = {"text": self.tr("text (one line)"), "paragraph": self.tr("paragraph (wrapped)"),
                      "photo": self.tr("photo (1-inch)"), "seal": self.tr("seal image"),
                      "qr": self.tr("QR code"), "frame": self.tr("frame"), "line": self.tr("line")}
        for kind in ELEMENT_KINDS:
            self.kind_combo.addItem(kind_names.get(kind, kind), kind)
        self.x_spin, self.y_spin = _mm_spin(self), _mm_spin(self)
        self.w_spin, self.h_spin = _mm_spin(self), _mm_spin(self)
        self.text_edit = QLineEdit(self)
        self.text_edit.setPlaceholderText(self.tr("Text; {name} and the like are filled in"))
        self.field_combo = QComboBox(self)
        self.field_combo.addItem(self.tr("Insert a field…"), "")
        for key, label in FIELDS.items():
            self.field_combo.addItem(f"{label}  {{{key}}}", key)
        self.font_spin = QDoubleSpinBox(self)
        self.font_spin.setRange(3, 96)
        self.font_spin.setDecimals(1)
        self.font_spin.setSingleStep(0.5)
        self.font_spin.setSuffix(self.tr(" pt"))
        self.font_spin.setKeyboardTracking(False)
        self.min_font_spin = QDoubleSpinBox(self)
        self.min_font_spin.setRange(3, 96)
        self.min_font_spin.setDecimals(1)
        self.min_font_spin.setSingleStep(0.5)
        self.min_font_spin.setSuffix(self.tr(" pt"))
        self.min_font_spin.setKeyboardTracking(False)
        self.spacing_spin = QDoubleSpinBox(self)
        self.spacing_spin.setRange(0, 40)
        self.spacing_spin.setDecimals(1)
        self.spacing_spin.setSingleStep(0.5)
        self.spacing_spin.setSuffix(self.tr(" pt"))
        self.spacing_spin.setKeyboardTracking(False)
        self.indent_spin = QDoubleSpinBox(self)
        self.indent_spin.setRange(0, 8)
        self.indent_spin.setDecimals(1)
        self.indent_spin.setSingleStep(0.5)
        self.indent_spin.setSuffix(self.tr(" characters"))
        self.indent_spin.setKeyboardTracking(False)
        self.align_combo = QComboBox(self)
        align_names = {"left": self.tr("left"), "center": self.tr("centre"), "right": self.tr("right")}
        for align in ALIGNS:
            self.align_combo.addItem(align_names[align], align)
        self.static_check = QCheckBox(self.tr("Part of the printed design (not printed on pre-printed stock)"),
                                      self)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.note_label = QLabel(self.tr("Saving makes a new version of this template. Certificates already "
                                         "issued keep the layout they were issued with and print exactly as "
                                         "before."), self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(HINT_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))

        self._build()
        self._connect()
        self._load_layout(select=layout.elements[0].key if layout.elements else "")
        self._set_scan_image()
        self.refresh_preview()

    # --- building -----------------------------------------------------------------------------------
    def _build(self) -> None:
        page_box = QGroupBox(self.tr("Template"), self)
        page_form = QFormLayout(page_box)
        page_form.addRow(self.tr("Name"), self.name_edit)
        page_form.addRow("", self.version_label)
        size_row = QWidget(page_box)
        size_layout = QHBoxLayout(size_row)
        size_layout.setContentsMargins(0, 0, 0, 0)
        size_layout.addWidget(self.page_w_spin)
        size_layout.addWidget(QLabel("×", size_row))
        size_layout.addWidget(self.page_h_spin)
        page_form.addRow(self.tr("Page size"), size_row)
        page_form.addRow(self.tr("Paper"), self.stock_combo)

        element_box = QGroupBox(self.tr("Element"), self)
        form = QFormLayout(element_box)
        form.addRow(self.tr("Key"), self.key_edit)
        form.addRow(self.tr("Kind"), self.kind_combo)
        pos = QWidget(element_box)
        pos_layout = QHBoxLayout(pos)
        pos_layout.setContentsMargins(0, 0, 0, 0)
        for caption, spin in (("x", self.x_spin), ("y", self.y_spin)):
            pos_layout.addWidget(QLabel(caption, pos))
            pos_layout.addWidget(spin)
        size = QWidget(element_box)
        size_layout2 = QHBoxLayout(size)
        size_layout2.setContentsMargins(0, 0, 0, 0)
        for caption, spin in ((self.tr("w"), self.w_spin), (self.tr("h"), self.h_spin)):
            size_layout2.addWidget(QLabel(caption, size))
            size_layout2.addWidget(spin)
        form.addRow(self.tr("Position"), pos)
        form.addRow(self.tr("Size"), size)
        form.addRow(self.tr("Text"), self.text_edit)
        form.addRow("", self.field_combo)
        fonts = QWidget(element_box)
        fonts_layout = QHBoxLayout(fonts)
        fonts_layout.setContentsMargins(0, 0, 0, 0)
        fonts_layout.addWidget(self.font_spin)
        fonts_layout.addWidget(QLabel(self.tr("shrinks down to"), fonts))
        fonts_layout.addWidget(self.min_font_spin)
        form.addRow(self.tr("Font size"), fonts)
        spacing = QWidget(element_box)
        spacing_layout = QHBoxLayout(spacing)
        spacing_layout.setContentsMargins(0, 0, 0, 0)
        spacing_layout.addWidget(self.spacing_spin)
        spacing_layout.addWidget(QLabel(self.tr("first-line indent"), spacing))
        spacing_layout.addWidget(self.indent_spin)
        form.addRow(self.tr("Letter spacing"), spacing)
        form.addRow(self.tr("Alignment"), self.align_combo)
        form.addRow("", self.static_check)

        element_buttons = QHBoxLayout()
        element_buttons.addWidget(self.add_button)
        element_buttons.addWidget(self.remove_button)
        element_buttons.addStretch(1)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(page_box)
        right_layout.addWidget(self.table, 1)
        right_layout.addLayout(element_buttons)
        right_layout.addWidget(element_box)
        right_layout.addWidget(self.error_label)
        right_layout.addWidget(self.note_label)
        right_layout.addWidget(self.buttons)
        right.setMinimumWidth(400)
        right.setMaximumWidth(520)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1280, 760)

    def _connect(self) -> None:
        self.scene.element_changed.connect(self._dragged)
        self.scene.current_key_changed.connect(self._scene_selected)
        self.table.itemSelectionChanged.connect(self._table_selected)
        for spin in (self.x_spin, self.y_spin, self.w_spin, self.h_spin, self.font_spin, self.min_font_spin,
                     self.spacing_spin, self.indent_spin):
            spin.valueChanged.connect(self._form_changed)
        self.key_edit.editingFinished.connect(self._form_changed)
        self.text_edit.textChanged.connect(self._form_changed)
        self.kind_combo.currentIndexChanged.connect(self._form_changed)
        self.align_combo.currentIndexChanged.connect(self._form_changed)
        self.static_check.toggled.connect(self._form_changed)
        self.field_combo.activated.connect(self._insert_field)
        self.page_w_spin.valueChanged.connect(self._page_changed)
        self.page_h_spin.valueChanged.connect(self._page_changed)
        self.stock_combo.currentIndexChanged.connect(self._page_changed)
        self.add_button.clicked.connect(self.add_element)
        self.remove_button.clicked.connect(self.remove_element)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    # --- layout ⇄ widgets ---------------------------------------------------------------------------
    def _load_layout(self, select: str = "") -> None:
        """Show the whole of ``self.layout``: page fields, scene boxes, the table."""
        self._syncing = True
        try:
            self.page_w_spin.setValue(self.layout.page_w_mm)
            self.page_h_spin.setValue(self.layout.page_h_mm)
            self.stock_combo.setCurrentIndex(max(0, self.stock_combo.findData(self.layout.stock)))
            self.scene.set_layout(self.layout)
            self.table.setRowCount(len(self.layout.elements))
            for row, element in enumerate(self.layout.elements):
                self._fill_row(row, element)
        finally:
            self._syncing = False
        self.select(select)
        self.view.fit()

    def _fill_row(self, row: int, element: Element) -> None:
        values = [element.key, element.kind, f"{element.x_mm:g}", f"{element.y_mm:g}", f"{element.w_mm:g}",
                  f"{element.h_mm:g}"]
        for column, value in enumerate(values):
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText(value)
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def current_key(self) -> str:
        return self._current

    def select(self, key: str) -> None:
        """Make *key* the element shown in the form, selected in the table and on the page."""
        self._current = key if any(e.key == key for e in self.layout.elements) else ""
        self._syncing = True
        try:
            with QSignalBlocker(self.table):
                self.table.clearSelection()
                for row, element in enumerate(self.layout.elements):
                    if element.key == self._current:
                        self.table.selectRow(row)
            with QSignalBlocker(self.scene):
                self.scene.select(self._current)
            self._show_element()
        finally:
            self._syncing = False
        self.remove_button.setEnabled(bool(self._current))

    def _show_element(self) -> None:
        element = self.layout.element(self._current) if self._current else None
        widgets: list[QWidget] = [self.key_edit, self.kind_combo, self.x_spin, self.y_spin, self.w_spin,
                                  self.h_spin, self.text_edit, self.field_combo, self.font_spin,
                                  self.min_font_spin, self.spacing_spin, self.indent_spin, self.align_combo,
                                  self.static_check]
        for widget in widgets:
            widget.setEnabled(element is not None)
        if element is None:
            return
        self.key_edit.setText(element.key)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(element.kind)))
        self.x_spin.setValue(element.x_mm)
        self.y_spin.setValue(element.y_mm)
        self.w_spin.setValue(element.w_mm)
        self.h_spin.setValue(element.h_mm)
        self.text_edit.setText(element.text)
        self.font_spin.setValue(element.font_size)
        self.min_font_spin.setValue(element.min_font_size)
        self.spacing_spin.setValue(element.letter_spacing)
        self.indent_spin.setValue(element.indent)
        self.align_combo.setCurrentIndex(max(0, self.align_combo.findData(element.align)))
        self.static_check.setChecked(element.static)
        has_text = element.kind in ("text", "paragraph")
        for widget in (self.text_edit, self.field_combo, self.font_spin, self.min_font_spin, self.spacing_spin,
                       self.align_combo):
            widget.setEnabled(has_text)
        self.indent_spin.setEnabled(element.kind == "paragraph")

    def _replace_element(self, old_key: str, element: Element) -> None:
        self.layout = replace(self.layout, elements=[element if e.key == old_key else e
                                                     for e in self.layout.elements])
        row = next(i for i, e in enumerate(self.layout.elements) if e.key == element.key)
        self._fill_row(row, element)
        self._current = element.key
        self.changed()

    # --- slots ----------------------------------------------------------------------------------------
    def _dragged(self, key: str, x: float, y: float, w: float, h: float) -> None:
        """A box was dragged or resized on the page: take its mm into the layout and the form."""
        if self._syncing:
            return
        element = replace(self.layout.element(key), x_mm=x, y_mm=y, w_mm=w, h_mm=h)
        self._replace_element(key, element)
        if key == self._current:
            self._syncing = True
            try:
                for spin, value in ((self.x_spin, x), (self.y_spin, y), (self.w_spin, w), (self.h_spin, h)):
                    spin.setValue(value)
            finally:
                self._syncing = False

    def _scene_selected(self, key: str) -> None:
        if not self._syncing and key != self._current:
            self.select(key)

    def _table_selected(self) -> None:
        if self._syncing:
            return
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.select(self.layout.elements[rows[0].row()].key)

    def _form_changed(self) -> None:
        """An edit in the form: change the element, move its box, re-render after a pause."""
        if self._syncing or not self._current:
            return
        old = self.layout.element(self._current)
        key = self.key_edit.text().strip() or old.key
        element = replace(old, key=key, kind=self.kind_combo.currentData(), x_mm=round(self.x_spin.value(), 2),
                          y_mm=round(self.y_spin.value(), 2), w_mm=round(self.w_spin.value(), 2),
                          h_mm=round(self.h_spin.value(), 2), text=self.text_edit.text(),
                          font_size=self.font_spin.value(), min_font_size=self.min_font_spin.value(),
                          letter_spacing=self.spacing_spin.value(), indent=self.indent_spin.value(),
                          align=self.align_combo.currentData(), static=self.static_check.isChecked())
        if element == old:
            return
        if key != old.key and any(e.key == key for e in self.layout.elements):
            self.show_error(self.tr("Another element is already called “{0}”.").format(key))
            self.key_edit.setText(old.key)
            return
        self._replace_element(old.key, element)
        self._syncing = True
        try:
            self.scene.update_element(element, old_key=old.key)
        finally:
            self._syncing = False

    def _insert_field(self, index: int) -> None:
        key = self.field_combo.itemData(index)
        if key:
            self.text_edit.insert(f"{{{key}}}")
            self.text_edit.setFocus()
        self.field_combo.setCurrentIndex(0)

    def _page_changed(self) -> None:
        if self._syncing:
            return
        self.layout = replace(self.layout, page_w_mm=round(self.page_w_spin.value(), 2),
                              page_h_mm=round(self.page_h_spin.value(), 2), stock=self.stock_combo.currentData())
        self.scene.set_page(self.layout.page_w_mm, self.layout.page_h_mm)
        self._set_scan_image()
        self.view.fit()
        self.changed()

    def _set_scan_image(self) -> None:
        image = None
        if self.scan_bytes and self.layout.stock == "preprinted":
            image = QImage.fromData(self.scan_bytes)
        self.scene.set_scan(image)

    # --- elements ---------------------------------------------------------------------------------------
    def add_element(self) -> None:
        """A new one-line text box in the middle of the page, selected for editing."""
        taken = {e.key for e in self.layout.elements}
        n = 1
        while f"text{n}" in taken:
            n += 1
        w = min(60.0, self.layout.page_w_mm)
        element = Element(key=f"text{n}", kind="text", x_mm=snap((self.layout.page_w_mm - w) / 2),
                          y_mm=snap(self.layout.page_h_mm / 2), w_mm=w, h_mm=8.0, text="{name}")
        self.layout = replace(self.layout, elements=[*self.layout.elements, element])
        self._load_layout(select=element.key)
        self.changed()

    def remove_element(self) -> None:
        if not self._current:
            return
        index = next(i for i, e in enumerate(self.layout.elements) if e.key == self._current)
        self.layout = replace(self.layout, elements=[e for e in self.layout.elements if e.key != self._current])
        following = self.layout.elements[min(index, len(self.layout.elements) - 1)].key if self.layout.elements \
            else ""
        self._load_layout(select=following)
        self.changed()

    # --- preview, validation, save ----------------------------------------------------------------------
    def changed(self) -> None:
        """Something changed: check it now, re-render the preview after a short pause (debounced)."""
        self.check()
        self.preview_timer.start()

    def check(self) -> bool:
        try:
            validate(self.layout)
        except ValidationError as exc:
            self.show_error(exc.text())
            return False
        self.show_error("")
        return True

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def refresh_preview(self) -> None:
        """Render the sample certificate on the current layout (skipped while the layout is invalid)."""
        self.preview_timer.stop()
        if not self.check():
            return
        try:
            image = render_preview(self.layout)
        except ValidationError as exc:  # e.g. a character no bundled font has, typed into a fixed text
            self.show_error(exc.text())
            return
        self.scene.set_preview(image)
        self.preview_renders += 1

    def save(self) -> None:
        """Validate, then save a new version; an invalid layout stays open with its message in red."""
        name = self.name_edit.text().strip()
        if not name:
            self.show_error(self.tr("Give the template a name."))
            self.name_edit.setFocus()
            return
        if not self.check():
            return
        try:
            with self.ctx.session() as session:
                self.saved = certificate_templates.save_template(session, self.layout, name=name,
                                                                 template_id=self.template_id)
        except ValidationError as exc:
            self.show_error(exc.text())
            return
        self.template_id = self.saved.id
        self.ctx.notify("certificates")
        self.accept()


__all__ = ["SAMPLE_VALUES", "TemplateEditorDialog", "render_preview", "sample_values"]
