"""File → Settings… (issue 9, item 5): every setting of :mod:`services.settings_schema`, on six tabs.

OK validates every value first and saves them in one transaction (nothing is written when one is
refused: the message names the field); the per-PC language goes to QSettings (``ui/i18n``) and takes
effect at the next start. The printer tab is the calibration view, which saves each profile itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import paths
from ...errors import ValidationError
from ...services import settings_schema
from ...services.settings_schema import BY_KEY
from .. import i18n
from ..cert_templates.printers_view import PrintersView
from ..sync.common import ERROR_STYLE, HINT_STYLE, FolderFn, choose_folder

#: The reminders tab's spin boxes, in order.
REMINDER_KEYS = ("reminders.expiring_days", "reminders.fault_days", "reminders.sync_days")
TEMPLATE_KEYS = ("certificate.default_template.on_duty", "certificate.default_template.appointment")


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


class SettingsDialog(QDialog):
    """Office data, language, printers, default templates, backup folder and reminder thresholds."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_folder: FolderFn = choose_folder
        self.saved: dict[str, Any] | None = None
        self.setWindowTitle(self.tr("Settings"))
        with ctx.session() as session:
            self.initial = settings_schema.load_settings(session)
            self.enrolled = settings_schema.enrolled(session)
            choices = {key: settings_schema.template_choices(session, BY_KEY[key].template_kind or "")
                       for key in TEMPLATE_KEYS}
        self.initial["ui.language"] = i18n.saved_language()

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._office_tab(), self.tr("Office"))
        self.tabs.addTab(self._language_tab(), self.tr("Language"))
        self.printers = PrintersView(ctx, self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.printers)
        self.tabs.addTab(scroll, self.tr("Printers and calibration"))
        self.tabs.addTab(self._templates_tab(choices), self.tr("Certificate templates"))
        self.tabs.addTab(self._backup_tab(), self.tr("Backup"))
        self.tabs.addTab(self._reminders_tab(), self.tr("Reminders"))

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(760, 620)

    # --- tabs ------------------------------------------------------------------------------------------

    def _office_tab(self) -> QWidget:
        page = QWidget(self)
        self.name_edit = QLineEdit(self.initial["office.name"], page)
        self.name_edit.setMaxLength(BY_KEY["office.name"].max_len or 100)
        self.code_edit = QLineEdit(self.initial["office.code"], page)
        self.code_edit.setReadOnly(True)
        self.name_edit.setReadOnly(self.enrolled)
        form = QFormLayout(page)
        form.addRow(self.tr("Office name"), self.name_edit)
        form.addRow(self.tr("Office code"), self.code_edit)
        if self.enrolled:
            text = self.tr("This office exchanges sync data with other offices: its name and code can no longer "
                           "be changed here. Ask the county office to correct them.")
        else:
            text = self.tr("The office code was set by the first-run wizard and cannot be changed: every record "
                           "carries it. The name can be corrected until the office starts exchanging sync data.")
        self.office_hint = _hint(text, page)
        form.addRow(self.office_hint)
        return page

    def _language_tab(self) -> QWidget:
        page = QWidget(self)
        self.language_combo = QComboBox(page)
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.initial["ui.language"])))
        form = QFormLayout(page)
        form.addRow(self.tr("Language of this computer"), self.language_combo)
        form.addRow(_hint(self.tr("The new language is used from the next start of the program."), page))
        return page

    def _templates_tab(self, choices: dict[str, list[tuple[str, str]]]) -> QWidget:
        page = QWidget(self)
        self.template_combos: dict[str, QComboBox] = {}
        form = QFormLayout(page)
        labels = {TEMPLATE_KEYS[0]: self.tr("On-duty certificates"),
                  TEMPLATE_KEYS[1]: self.tr("Appointment certificates")}
        for key in TEMPLATE_KEYS:
            combo = QComboBox(page)
            for template_id, name in choices[key]:
                combo.addItem(name, template_id)
            combo.setCurrentIndex(max(0, combo.findData(self.initial[key])))
            self.template_combos[key] = combo
            form.addRow(labels[key], combo)
        self.issuer_edit = QLineEdit(self.initial["certificate.issuer_name"], page)
        self.issuer_edit.setPlaceholderText(self.initial["office.name"])
        self.pattern_edit = QLineEdit(self.initial["certificate.number_pattern"], page)
        self.pattern_edit.setPlaceholderText("{county}{year}{kind}{serial:04d}")
        self.term_spin = QSpinBox(page)
        self.term_spin.setRange(1, BY_KEY["certificate.term_years"].maximum or 10)
        self.term_spin.setValue(self.initial["certificate.term_years"])
        self.term_spin.setSuffix(self.tr(" years"))
        form.addRow(self.tr("Issuing office"), self.issuer_edit)
        form.addRow(self.tr("Certificate number pattern"), self.pattern_edit)
        form.addRow(self.tr("Appointment term"), self.term_spin)
        form.addRow(_hint(self.tr("New certificates are issued with the default templates; certificates already "
                                  "issued keep their own layout. Leave the issuing office empty to print this "
                                  "office's name."), page))
        return page

    def _backup_tab(self) -> QWidget:
        page = QWidget(self)
        self.backup_edit = QLineEdit(self.initial["backup.folder"], page)
        self.backup_edit.setPlaceholderText(str(paths.data_dir() / "backups"))
        browse = QPushButton(self.tr("Choose…"), page)
        browse.clicked.connect(self._browse_backup)
        row = QHBoxLayout()
        row.addWidget(self.backup_edit, 1)
        row.addWidget(browse)
        form = QFormLayout(page)
        form.addRow(self.tr("Backup folder"), row)
        form.addRow(_hint(self.tr("Automatic backups of this computer's database go to this folder. Leave it empty "
                                  "to use the backups folder in the data folder. A folder on another disk keeps "
                                  "the backups safe when this disk fails."), page))
        return page

    def _browse_backup(self) -> None:
        folder = self.choose_folder(self, self.tr("Backup folder"))
        if folder:
            self.backup_edit.setText(folder)

    def _reminders_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        labels = (self.tr("Certificates and appointment terms ending within"),
                  self.tr("Faults open for more than"), self.tr("No sync exchange with a peer for more than"))
        self.reminder_spins: dict[str, QSpinBox] = {}
        for key, label in zip(REMINDER_KEYS, labels, strict=True):
            spin = QSpinBox(page)
            spin.setRange(BY_KEY[key].minimum or 1, BY_KEY[key].maximum or 3650)
            spin.setValue(self.initial[key])
            spin.setSuffix(self.tr(" days"))
            self.reminder_spins[key] = spin
            form.addRow(label, spin)
        form.addRow(_hint(self.tr("These thresholds are shared by every computer of this office."), page))
        return page

    # --- saving ----------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the tabs show now, by setting key."""
        out: dict[str, Any] = {
            "office.name": self.name_edit.text(),
            "office.code": self.code_edit.text(),
            "ui.language": self.language_combo.currentData(),
            "certificate.issuer_name": self.issuer_edit.text(),
            "certificate.number_pattern": self.pattern_edit.text(),
            "certificate.term_years": self.term_spin.value(),
            "backup.folder": self.backup_edit.text(),
        }
        out.update({key: combo.currentData() for key, combo in self.template_combos.items()})
        out.update({key: spin.value() for key, spin in self.reminder_spins.items()})
        return out

    def save(self) -> bool:
        """Validate and save everything; on a refusal show it, go to its tab and stay open."""
        values = self.values()
        try:
            with self.ctx.session() as session:
                self.saved = settings_schema.save_settings(session, values)
        except ValidationError as exc:
            self._refused(exc)
            return False
        if self.saved["backup.folder"] != self.initial["backup.folder"] and hasattr(self.ctx.db, "backup_dir"):
            self.ctx.db.backup_dir = settings_schema.backup_folder()  # backups from now on go there
        if values["ui.language"] != self.initial["ui.language"]:
            i18n.save_language(values["ui.language"])
        self.ctx.notify("settings")
        if self.saved["office.name"] != self.initial["office.name"]:
            self.ctx.notify("units")  # the office's own unit was renamed: the tree and status bar show it
        self.message.setVisible(False)
        self.accept()
        return True

    def _refused(self, exc: ValidationError) -> None:
        self.message.setText(exc.text())
        self.message.setVisible(True)
        setting = next((s for s in settings_schema.SETTINGS if s.label == exc.field), None)
        tabs = {"office": 0, "language": 1, "templates": 3, "certificates": 3, "backup": 4, "reminders": 5}
        if setting is not None:
            self.tabs.setCurrentIndex(tabs.get(setting.group, self.tabs.currentIndex()))
