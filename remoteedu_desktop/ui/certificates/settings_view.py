"""Certificate settings (R11): the number pattern, the appointment term, the issuing office printed on
certificates and the seal image. They apply to certificates issued from now on; issued ones keep
what was frozen into them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import certificate_numbers, certificate_settings
from ...services.offices import office_info
from ..context import AppContext
from .common import HINT_STYLE

MAX_SEAL_BYTES = 2 * 1024 * 1024
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


class SettingsView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.seal_data: bytes | None = None
        self.seal_changed = False
        self.county = "360499"
        # Asks for a seal image file; replaced in tests.
        self.choose_image: Callable[[], str | None] = self._choose_image

        self.pattern_edit = QLineEdit(self)
        self.pattern_edit.setPlaceholderText(certificate_numbers.DEFAULT_PATTERN)
        self.pattern_sample = QLabel(self)
        self.term_spin = QSpinBox(self)
        self.term_spin.setRange(1, certificate_settings.MAX_TERM_YEARS)
        self.term_spin.setSuffix(self.tr(" years"))
        self.issuer_edit = QLineEdit(self)
        self.seal_label = QLabel(self)
        self.seal_label.setFixedSize(140, 140)
        self.seal_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.seal_label.setStyleSheet("border: 1px solid #bbb; background: white;")
        self.load_seal_button = QPushButton(self.tr("Load seal image…"), self)
        self.remove_seal_button = QPushButton(self.tr("Remove seal"), self)
        self.save_button = QPushButton(self.tr("Save settings"), self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)

        hint = QLabel(self.tr(
            "Placeholders: {county} county code, {year} year of issue, {kind} SG (on-duty) or PR "
            "(appointment), {serial:04d} the serial of the kind and year, without gaps. Leave empty for "
            "the default. Settings apply to certificates issued from now on; issued certificates keep "
            "their number and printed content."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)

        form = QFormLayout()
        form.addRow(self.tr("Number pattern"), self.pattern_edit)
        form.addRow("", self.pattern_sample)
        form.addRow(self.tr("Appointment term"), self.term_spin)
        form.addRow(self.tr("Issuing office (printed)"), self.issuer_edit)
        seal_row = QHBoxLayout()
        seal_row.addWidget(self.seal_label)
        seal_buttons = QVBoxLayout()
        seal_buttons.addWidget(self.load_seal_button)
        seal_buttons.addWidget(self.remove_seal_button)
        seal_note = QLabel(self.tr("A PNG with a transparent background prints best. Optional."), self)
        seal_note.setWordWrap(True)
        seal_note.setStyleSheet(HINT_STYLE)
        seal_buttons.addWidget(seal_note)
        seal_buttons.addStretch(1)
        seal_row.addLayout(seal_buttons)
        seal_row.addStretch(1)
        form.addRow(self.tr("Seal"), seal_row)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.pattern_edit.textChanged.connect(self._show_sample)
        self.load_seal_button.clicked.connect(self.load_seal)
        self.remove_seal_button.clicked.connect(self.remove_seal)
        self.save_button.clicked.connect(self.save)
        self.refresh()

    def refresh(self) -> None:
        with self.ctx.session() as session:
            pattern = certificate_settings.number_pattern(session)
            years = certificate_settings.term_years(session)
            issuer = certificate_settings.issuer_name(session)
            seal = certificate_settings.seal(session)
            self.county = office_info(session).code[:6] or "360499"
        self.pattern_edit.setText("" if pattern == certificate_numbers.DEFAULT_PATTERN else pattern)
        self.term_spin.setValue(years)
        self.issuer_edit.setText(issuer)
        self._set_seal(seal, changed=False)
        self._show_sample()

    def _show_sample(self) -> None:
        pattern = self.pattern_edit.text().strip() or certificate_numbers.DEFAULT_PATTERN
        year = dt.date.today().year
        try:
            samples = [certificate_numbers.format_number(pattern, county=self.county, year=year, kind=kind,
                                                         serial=1) for kind in ("on_duty", "appointment")]
        except ValidationError as exc:
            self.pattern_sample.setText(exc.message)
            self.pattern_sample.setStyleSheet(ERROR_STYLE)
            return
        self.pattern_sample.setText(self.tr("For example: {0} (on-duty), {1} (appointment)").format(*samples))
        self.pattern_sample.setStyleSheet(HINT_STYLE)

    def _set_seal(self, data: bytes | None, *, changed: bool) -> None:
        self.seal_data = data
        self.seal_changed = changed
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.seal_label.setPixmap(pixmap.scaled(self.seal_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.SmoothTransformation))
        else:
            self.seal_label.setPixmap(QPixmap())
            self.seal_label.setText(self.tr("No seal"))
        self.remove_seal_button.setEnabled(data is not None)

    def _choose_image(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Seal image"), "",
                                              self.tr("Images (*.png *.jpg *.jpeg)"))
        return path or None

    def load_seal(self) -> None:
        path = self.choose_image()
        if not path:
            return
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            self.show_message(self.tr("Cannot read {0}: {1}").format(file.name, exc), ok=False)
            return
        if len(data) > MAX_SEAL_BYTES:
            self.show_message(self.tr("{0} is larger than 2 MB.").format(file.name), ok=False)
            return
        if not QPixmap().loadFromData(data):
            self.show_message(self.tr("{0} is not a PNG or JPEG image.").format(file.name), ok=False)
            return
        self._set_seal(data, changed=True)
        self.show_message(self.tr("Seal loaded; press Save settings to keep it."), ok=True)

    def remove_seal(self) -> None:
        self._set_seal(None, changed=True)

    def save(self) -> bool:
        try:
            with self.ctx.session() as session:
                certificate_settings.set_number_pattern(session, self.pattern_edit.text())
                certificate_settings.set_term_years(session, self.term_spin.value())
                certificate_settings.set_issuer_name(session, self.issuer_edit.text())
                if self.seal_changed:
                    certificate_settings.set_seal(session, self.seal_data)
        except ValidationError as exc:
            self.show_message(exc.text(), ok=False)
            return False
        self.seal_changed = False
        self.show_message(self.tr("Saved. New certificates use these settings; issued ones are unchanged."), ok=True)
        self.ctx.notify("certificates")
        return True

    def show_message(self, text: str, *, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
