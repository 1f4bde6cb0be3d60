"""The site editor (R1): a new site under a township, or a corrected name and code.

Every refusal of the units service appears in red under the field it names; nothing is written
until the service accepts the whole site.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import site_views, sync_ownership, units
from ...services.site_views import SiteDetail, UnitChoice
from ..context import AppContext
from ..staff.post_dialogs import HINT_STYLE, ErrorLabel, clear_on_edit, inline_text

#: Site kinds in the order the clerk meets them (R1).
SITE_KIND_ORDER = ("village", "enterprise", "township_station")


class SiteEditorDialog(QDialog):
    """Add a site (``unit_id=None``) or correct a site's name and statistical code."""

    FIELD_KEYS = {"单位类型": "kind", "单位名称": "name", "上级单位": "parent", "统计代码": "code", "地址": "address",
                  "联系人": "contact", "联系电话": "phone", "备注": "notes"}

    def __init__(self, ctx: AppContext, unit_id: str | None = None, parent: QWidget | None = None, *,
                 township_id: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit_id = unit_id
        self.saved: units.UnitInfo | None = None
        self.detail: SiteDetail | None = None
        with ctx.session() as session:
            self._townships: list[UnitChoice] = site_views.unit_choices(session, kinds=("township",))
            if unit_id is not None:
                self.detail = site_views.site_detail(session, unit_id)
            #: fields another office owns (issue 6, item 3): read-only here, with the owner named
            self.ownership = sync_ownership.unit_ownership(session, unit_id) if unit_id is not None else None
        self.setWindowTitle(self.tr("New site") if unit_id is None else self.tr("Edit site"))

        self.kind_combo = QComboBox(self)
        for kind in SITE_KIND_ORDER:
            self.kind_combo.addItem(codes.label(codes.UNIT_KIND, kind), kind)
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(100)
        self.parent_combo = QComboBox(self)
        for tw in self._townships:
            self.parent_combo.addItem(tw.display, tw.id)
        self.code_edit = QLineEdit(self)
        self.code_edit.setMaxLength(12)
        self.code_hint = QLabel(self)
        self.address_edit = QLineEdit(self)
        self.address_edit.setMaxLength(200)
        self.contact_edit = QLineEdit(self)
        self.contact_edit.setMaxLength(50)
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setMaxLength(30)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(64)

        self._errors: dict[str, ErrorLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        row = 0
        fields = [("kind", self.tr("Kind"), self.kind_combo), ("name", self.tr("Name"), self.name_edit),
                  ("parent", self.tr("Township"), self.parent_combo), ("code", self.tr("Statistical code"), self.code_edit),
                  ("address", self.tr("Address"), self.address_edit), ("contact", self.tr("Contact person"), self.contact_edit),
                  ("phone", self.tr("Phone"), self.phone_edit), ("notes", self.tr("Notes"), self.notes_edit)]
        for key, label, widget in fields:
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            grid.addWidget(caption, row, 0)
            grid.addWidget(widget, row, 1)
            row += 1
            if key == "code":
                self.code_hint.setStyleSheet(HINT_STYLE)
                self.code_hint.setWordWrap(True)
                grid.addWidget(self.code_hint, row, 1)
                row += 1
            error = ErrorLabel(self)
            grid.addWidget(error, row, 1)
            row += 1
            self._errors[key] = error
            clear_on_edit(widget, error)
        self.general_error = ErrorLabel(self)
        self.edit_note = QLabel(self)
        self.edit_note.setStyleSheet(HINT_STYLE)
        self.edit_note.setWordWrap(True)
        self.edit_note.hide()

        self.owner_label = QLabel(self)
        self.owner_label.setWordWrap(True)
        self.owner_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.owner_label.setVisible(self.ownership is not None)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner_label)
        layout.addLayout(grid)
        layout.addWidget(self.edit_note)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

        self.kind_combo.currentIndexChanged.connect(self._update_code_hint)
        self.parent_combo.currentIndexChanged.connect(self._update_code_hint)
        if township_id is not None:
            index = self.parent_combo.findData(township_id)
            if index >= 0:
                self.parent_combo.setCurrentIndex(index)
        if self.detail is not None:
            self._load(self.detail)
        self._update_code_hint()
        if self.ownership is not None:
            self._lock_owned(self.ownership)

    def _lock_owned(self, ownership: sync_ownership.Ownership) -> None:
        """Fields another office owns are read-only, and the note says who owns them (issue 6, item 3)."""
        widgets = {"name": self.name_edit, "code": self.code_edit, "address": self.address_edit,
                   "contact_person": self.contact_edit, "contact_phone": self.phone_edit, "notes": self.notes_edit}
        locked = [column for column, widget in widgets.items() if ownership.covers(column)]
        for column in locked:
            widgets[column].setReadOnly(True)
            widgets[column].setToolTip(ownership.message)
        if len(locked) == len(widgets):
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(ownership.message)
        self.owner_label.setText(self.tr("Read only: {0}").format(ownership.message))

    def _load(self, d: SiteDetail) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(d.kind), 0))
        self.name_edit.setText(d.name)
        index = self.parent_combo.findData(d.parent_id)
        if index >= 0:
            self.parent_combo.setCurrentIndex(index)
        self.code_edit.setText(d.code or "")
        self.address_edit.setText(d.address or "")
        self.contact_edit.setText(d.contact_person or "")
        self.phone_edit.setText(d.contact_phone or "")
        self.notes_edit.setPlainText(d.notes or "")
        # R1: a site keeps its kind and township; everything else can be corrected.
        for widget in (self.kind_combo, self.parent_combo):
            widget.setEnabled(False)
        self.edit_note.setText(self.tr("Kind and township of an existing site do not change (R1)."))
        self.edit_note.show()

    def _update_code_hint(self) -> None:
        index = self.parent_combo.currentIndex()
        township = self._townships[index] if 0 <= index < len(self._townships) else None
        length = units.CODE_LENGTH.get(str(self.kind_combo.currentData()), 12)
        if township is not None and township.code:
            self.code_hint.setText(self.tr("{0} digits starting with {1} ({2}); may be left empty.").format(
                length, township.code, township.name))
        else:
            self.code_hint.setText(self.tr("{0} digits; may be left empty.").format(length))

    # -- errors ------------------------------------------------------------------------------------

    def error_label(self, key: str) -> ErrorLabel:
        return self._errors[key]

    def errors_text(self) -> str:
        return "\n".join(lb.text() for lb in (*self._errors.values(), self.general_error) if lb.text())

    def _show_error(self, exc: ValidationError) -> None:
        key = self.FIELD_KEYS.get(exc.field or "")
        if key in self._errors:
            self._errors[key].show_error(inline_text(exc))
        else:
            self.general_error.show_error(exc.text())

    def accept(self) -> None:
        for label in (*self._errors.values(), self.general_error):
            label.clear_error()
        try:
            with self.ctx.session() as session:
                if self.unit_id is None:
                    self.saved = units.add_unit(
                        session, kind=str(self.kind_combo.currentData()), name=self.name_edit.text(),
                        parent_id=self.parent_combo.currentData(), code=self.code_edit.text(),
                        address=self.address_edit.text(), contact_person=self.contact_edit.text(),
                        contact_phone=self.phone_edit.text(), notes=self.notes_edit.toPlainText())
                else:
                    self.saved = units.update_unit(
                        session, self.unit_id, name=self.name_edit.text(), code=self.code_edit.text(),
                        address=self.address_edit.text(), contact_person=self.contact_edit.text(),
                        contact_phone=self.phone_edit.text(), notes=self.notes_edit.toPlainText(),
                        expected_version=self.detail.row_version if self.detail is not None else None)
        except ValidationError as exc:
            self._show_error(exc)
            return
        self.ctx.notify("units")
        super().accept()
