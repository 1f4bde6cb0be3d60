"""The first-run wizard: set this computer up as a county or township office, or open the demo.

Shown when the office is not set up yet (at start, or from the File menu).
Setting up calls :func:`services.offices.init_office` and shows its Chinese
refusal inline on the page (R1: the code has 6 digits for a county, 9 for a
township). The demo fills this database with a made-up county through
``services.demo.demo_steps`` behind a progress dialog, so the window never
freezes; without that module the choice is disabled.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Generator
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..errors import ValidationError
from ..services.offices import CODE_LENGTH, OfficeInfo, init_office
from .context import AppContext
from .worker import Job, Progress, run_with_progress

PAGE_CHOICE, PAGE_OFFICE, PAGE_DEMO = range(3)
CHOICES = ("county", "township", "demo")
DEMO_MODULE = "remoteedu_desktop.services.demo"
ERROR_STYLE = "color: #b00020;"


def demo_available() -> bool:
    return importlib.util.find_spec(DEMO_MODULE) is not None


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class ChoicePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome"))
        self.setSubTitle(self.tr("This computer's office is not set up yet. What should it be?"))
        self.county = QRadioButton(self.tr("Set up as the county office (县远程办)"), self)
        self.township = QRadioButton(self.tr("Set up as a township office (乡镇远程办)"), self)
        self.demo = QRadioButton(self.tr("Open the demo: a made-up county to try the program"), self)
        self.group = QButtonGroup(self)
        for i, button in enumerate((self.county, self.township, self.demo)):
            self.group.addButton(button, i)
        self.township.setChecked(True)

        hints = {
            self.county: self.tr("The county office sees the whole county and imports the townships' data."),
            self.township: self.tr("A township office keeps its own sites and staff and sends them to the county."),
            self.demo: self.tr("Fills this database with example townships, sites and people. "
                               "Use a new data folder for real work."),
        }
        layout = QVBoxLayout(self)
        for button, hint in hints.items():
            layout.addWidget(button)
            label = QLabel(hint, self)
            label.setWordWrap(True)
            label.setStyleSheet("color: #666; margin-left: 24px; margin-bottom: 8px;")
            layout.addWidget(label)
        if not demo_available():
            self.demo.setEnabled(False)
            self.demo.setToolTip(self.tr("The demo is not part of this version."))
        layout.addStretch(1)

    def choice(self) -> str:
        return CHOICES[max(self.group.checkedId(), 0)]

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return PAGE_DEMO if self.choice() == "demo" else PAGE_OFFICE


class OfficePage(QWizardPage):
    """Code and name of this office; the service checks them (R1)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: OfficeInfo | None = None
        self.code = QLineEdit(self)
        self.name = QLineEdit(self)
        self.county_name = QLineEdit(self)
        self.county_name.setPlaceholderText(self.tr("optional, e.g. 青山县"))
        self.code_hint = QLabel(self)
        self.code_hint.setStyleSheet("color: #666;")
        self.code_hint.setWordWrap(True)
        self.error = _error_label(self)

        self.form = QFormLayout()
        self.form.addRow(self.tr("Code:"), self.code)
        self.form.addRow("", self.code_hint)
        self.form.addRow(self.tr("Name:"), self.name)
        self.form.addRow(self.tr("County name:"), self.county_name)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addSpacing(8)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.code.textEdited.connect(lambda _text: _show_error(self.error, ""))
        self.name.textEdited.connect(lambda _text: _show_error(self.error, ""))

    def level(self) -> str:
        wizard = self.wizard()
        return wizard.choice() if isinstance(wizard, SetupWizard) else "township"

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        level = self.level()
        _show_error(self.error, "")
        township = level == "township"
        if township:
            self.setTitle(self.tr("Township office"))
            self.setSubTitle(self.tr("Enter the township's statistical division code and its name."))
            self.code.setPlaceholderText(self.tr("9 digits, e.g. 360499100"))
            self.name.setPlaceholderText(self.tr("e.g. 龙潭镇"))
            self.code_hint.setText(self.tr("A township code has {0} digits; its first 6 digits are the county's "
                                           "code.").format(CODE_LENGTH["township"]))
        else:
            self.setTitle(self.tr("County office"))
            self.setSubTitle(self.tr("Enter the county's statistical division code and its name."))
            self.code.setPlaceholderText(self.tr("6 digits, e.g. 360499"))
            self.name.setPlaceholderText(self.tr("e.g. 青山县"))
            self.code_hint.setText(self.tr("A county code has {0} digits.").format(CODE_LENGTH["county"]))
        self.county_name.setVisible(township)
        self.form.labelForField(self.county_name).setVisible(township)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.result is not None:
            return True
        level = self.level()
        try:
            with self.ctx.session() as session:
                self.result = init_office(session, level=level, code=self.code.text(), name=self.name.text(),
                                          county_name=(self.county_name.text() or None) if level == "township"
                                          else None)
        except ValidationError as exc:
            _show_error(self.error, exc.text())
            return False
        self.ctx.notify("office")
        self.ctx.notify("units")
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1


class DemoPage(QWizardPage):
    """How big a demo; building it runs in the background behind a progress dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: Any = None
        self.job: Job | None = None
        self._starting = False  # inside validatePage: a job run inline must not accept() re-entrantly
        self._running = False
        self.setTitle(self.tr("Demo"))
        self.setSubTitle(self.tr("A made-up county with townships, village sites, staff, training, "
                                 "certificates and evaluations."))
        self.townships = QSpinBox(self)
        self.townships.setRange(1, 30)
        self.townships.setValue(6)
        self.sites = QSpinBox(self)
        self.sites.setRange(1, 50)
        self.sites.setValue(10)
        for spin in (self.townships, self.sites):
            spin.setMaximumWidth(120)
        warning = QLabel(self.tr("The demo is written into this computer's database, which then belongs to the "
                                 "demo county. To work for real later, start the program with a new data "
                                 "folder."), self)
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #6d5200; background: #fff8e1; padding: 8px;")
        self.error = _error_label(self)
        form = QFormLayout()
        form.addRow(self.tr("Townships:"), self.townships)
        form.addRow(self.tr("Village sites per township:"), self.sites)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(warning)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        """Start the build; the wizard closes when it has finished (at once when jobs run inline)."""
        if self.summary is not None:
            return True
        if self.job is None:
            _show_error(self.error, "")
            self._starting = self._running = True
            try:
                job = run_with_progress(self.wizard(), self.tr("Building the demo…"), self._work,
                                        on_done=self._done, on_error=self._failed, on_cancel=self._cancelled)
            finally:
                self._starting = False
            self.job = job if self._running else None  # a job run inline is already over
        return self.summary is not None

    def _work(self) -> Generator[Progress, None, Any]:
        from ..services import demo

        townships, sites = self.townships.value(), self.sites.value()
        with self.ctx.session() as session:
            summary = yield from demo.demo_steps(session, townships=townships, sites=sites, seed=1,
                                                 today=dt.date.today())
        return summary

    def _done(self, summary: object) -> None:
        self.job = None
        self._running = False
        self.summary = summary if summary is not None else True
        for area in ("office", "units", "people", "posts"):
            self.ctx.notify(area)
        wizard = self.wizard()
        if not self._starting and wizard is not None and wizard.currentPage() is self:
            wizard.accept()  # asynchronous finish: validatePage now says yes

    def _failed(self, exc: Exception) -> None:
        self.job = None
        self._running = False
        text = exc.text() if isinstance(exc, ValidationError) else str(exc)
        _show_error(self.error, self.tr("The demo could not be built: {0}").format(text))

    def _cancelled(self) -> None:
        self.job = None
        self._running = False
        _show_error(self.error, self.tr("Cancelled; nothing was written."))


class SetupWizard(QWizard):
    """Choose county, township or demo; ``accepted`` once the office is set up."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Set up this office"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.choice_page = ChoicePage(self)
        self.office_page = OfficePage(ctx, self)
        self.demo_page = DemoPage(ctx, self)
        self.setPage(PAGE_CHOICE, self.choice_page)
        self.setPage(PAGE_OFFICE, self.office_page)
        self.setPage(PAGE_DEMO, self.demo_page)
        self.setStartId(PAGE_CHOICE)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancel"))
        self.resize(620, 460)

    def choice(self) -> str:
        return self.choice_page.choice()

    def outcome(self) -> str:
        """One Chinese line for the status bar after the wizard was accepted."""
        if self.office_page.result is not None:
            info = self.office_page.result
            return self.tr("Set up as {0} ({1}).").format(info.name, info.code)
        if self.demo_page.summary is not None:
            return self.tr("Demo built: {0}").format(self.demo_page.summary)
        return ""
