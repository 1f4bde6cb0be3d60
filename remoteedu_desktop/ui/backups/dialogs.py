"""File menu → "Back up to USB…" and "Restore from backup…" (issue 9 item 3).

:class:`BackupToDialog` writes a verified copy (:func:`...services.backups.backup_to_steps`) into a chosen folder
with a progress bar, then says where it went, its checksum, and that the stick may now be removed.

:class:`RestoreDialog` reads a chosen backup first (:func:`...services.backups.inspect_backup`: date, office,
schema revision, counts), refuses a corrupt or foreign file with the service's Chinese reason, asks for
confirmation, then restores (:func:`...services.backups.restore_steps`): the replaced database is kept as a
backup, the restored one is reopened and becomes ``ctx.db``, and every page is told to read again.

File choosers and the confirmation are hooks (``choose_folder``, ``choose_open_file``, ``confirm``) so tests
never enter a modal loop; work runs through :class:`..worker.Job` (inline in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import DatabaseError, ValidationError
from ...services import backups
from ...services.backups import BackupInfo, RestoreOutcome, UsbBackup
from ...services.progress import Progress
from ..context import AppContext
from ..worker import Job

# (parent, title) → the chosen folder, or None when cancelled.
FolderFn = Callable[[QWidget, str], str | None]
# (parent, title, name filter) → the chosen file, or None when cancelled.
OpenFileFn = Callable[[QWidget, str, str], str | None]
# (parent, title, question) → True to go ahead.
ConfirmFn = Callable[[QWidget, str, str], bool]

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #2e7d32;"
WARN_STYLE = "color: #b3261e; font-weight: bold;"
HINT_STYLE = "color: #666666;"
# Every area a page may show: after a restore everything is read again.
ALL_AREAS = ("office", "units", "posts", "people", "training", "certificates", "activities", "equipment",
             "faults", "evaluation", "awards", "sync", "settings")

KIND_NAMES = {
    "daily": QT_TRANSLATE_NOOP("Backups", "daily automatic backup"),
    "manual": QT_TRANSLATE_NOOP("Backups", "manual backup"),
    "usb": QT_TRANSLATE_NOOP("Backups", "backup to USB"),
    "pre_import": QT_TRANSLATE_NOOP("Backups", "before a sync import"),
    "pre_staff_import": QT_TRANSLATE_NOOP("Backups", "before a roster import"),
    "pre_cert_issue": QT_TRANSLATE_NOOP("Backups", "before issuing certificates"),
    "pre_scoring": QT_TRANSLATE_NOOP("Backups", "before evaluation scoring"),
    "pre_restore": QT_TRANSLATE_NOOP("Backups", "the database replaced by a restore"),
    "pre_migrate": QT_TRANSLATE_NOOP("Backups", "before a program upgrade"),
    "damaged": QT_TRANSLATE_NOOP("Backups", "a damaged database, kept as it was"),
    "external": QT_TRANSLATE_NOOP("Backups", "a copy from elsewhere"),
}
LEVEL_NAMES = {
    "county": QT_TRANSLATE_NOOP("Backups", "county office"),
    "township": QT_TRANSLATE_NOOP("Backups", "township office"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Backups", text)


def choose_folder(parent: QWidget, title: str) -> str | None:
    return QFileDialog.getExistingDirectory(parent, title) or None


def choose_open_file(parent: QWidget, title: str, name_filter: str, folder: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, folder, name_filter)
    return path or None


def confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question, QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def error_text(exc: BaseException) -> str:
    """A refusal in the service's own Chinese words; anything else short, never a traceback."""
    if isinstance(exc, ValidationError):
        return exc.text()
    if isinstance(exc, DatabaseError):
        return str(exc)
    if isinstance(exc, OSError):
        return QCoreApplication.translate("Backups", "The file {0} could not be read or written: {1}").format(exc.filename or "",
                                                                            exc.strerror or str(exc))
    return QCoreApplication.translate("Backups", "Unexpected error ({0}): {1}").format(type(exc).__name__, exc)


def kind_name(label: str) -> str:
    source = KIND_NAMES.get(label)
    return _tr(source) if source else label


def size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} KB"


def _message(label: QLabel, text: str, style: str) -> None:
    label.setStyleSheet(style)
    label.setText(text)
    label.setVisible(bool(text))


def _set_busy(dialog: QDialog, buttons: QDialogButtonBox, busy: bool) -> None:
    """While a copy or a restore runs, the dialog cannot be closed (Close, Escape, the title bar's X)."""
    dialog.setProperty("busy", busy)
    buttons.setEnabled(not busy)


def _folder_row(parent: QWidget, edit: QLineEdit, on_browse: Callable[[], None]) -> QHBoxLayout:
    browse = QPushButton(QCoreApplication.translate("Backups", "Choose…"), parent)
    browse.clicked.connect(on_browse)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class BackupToDialog(QDialog):
    """Back up to a USB stick (or any folder): choose the folder, watch the progress, read where it went."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, folder: str | Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_folder: FolderFn = choose_folder
        self.result_backup: UsbBackup | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Back up to USB"))
        intro = QLabel(self.tr("Insert the USB stick and choose it (or a folder on it). The whole database is "
                               "copied, checked, and its checksum written beside it."), self)
        intro.setWordWrap(True)
        self.folder_edit = QLineEdit(str(folder) if folder else "", self)
        self.folder_edit.setPlaceholderText(self.tr("e.g. E:\\"))
        form = QFormLayout()
        form.addRow(self.tr("Back up to"), _folder_row(self, self.folder_edit, self._browse))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 4)
        self.progress.setValue(0)
        self.progress.setVisible(False)
        self.step_label = QLabel(self)
        self.step_label.setStyleSheet(HINT_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Back up"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_label)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(580)

    def reject(self) -> None:
        if not self.property("busy"):
            super().reject()

    def _browse(self) -> None:
        folder = self.choose_folder(self, self.tr("Choose the USB stick or a folder"))
        if folder:
            self.folder_edit.setText(folder)

    def start(self) -> Job | None:
        """Write the copy in the background; the outcome (or the refusal) appears under the folder."""
        text = self.folder_edit.text().strip()
        if not text:
            _message(self.message, self.tr("Choose the USB stick or a folder first."), ERROR_STYLE)
            return None
        db, folder = self.ctx.db, Path(text)
        _set_busy(self, self.buttons, True)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        _message(self.message, "", OK_STYLE)

        def work() -> Generator[Progress, None, UsbBackup]:
            return (yield from backups.backup_to_steps(db, folder))

        job = Job(work)
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self.job = job
        job.start()
        return job

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.step_label.setText(text)

    def _on_done(self, result: object) -> None:
        assert isinstance(result, UsbBackup)
        self.result_backup = result
        self.progress.setValue(self.progress.maximum())
        self.step_label.setText("")
        _set_busy(self, self.buttons, False)
        info = result.info
        lines = [
            self.tr("The backup was written and read back without errors."),
            self.tr("File: {0} ({1})").format(result.path, size_text(result.size)),
            self.tr("Holds: {0} people, {1} sites, {2} certificates.").format(info.people, info.sites,
                                                                             info.certificates),
            self.tr("SHA-256: {0}").format(result.sha256),
            "",
            self.tr("It is now safe to remove the USB stick. Keep it somewhere other than this computer."),
        ]
        _message(self.message, "\n".join(lines), OK_STYLE)

    def _on_failed(self, exc: object) -> None:
        self.progress.setVisible(False)
        self.step_label.setText("")
        _set_busy(self, self.buttons, False)
        text = error_text(exc) if isinstance(exc, BaseException) else str(exc)
        _message(self.message, self.tr("Nothing was backed up. {0}").format(text), ERROR_STYLE)


class RestoreDialog(QDialog):
    """Restore from a backup: choose the file, read what it holds, confirm, restore, reopen."""

    # After a restore: the reopened database is ``ctx.db``; the argument is where the replaced one was kept.
    restored = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # opens in this computer's backups folder: the usual place to restore from
        self.choose_open_file: OpenFileFn = partial(choose_open_file, folder=str(ctx.db.backup_dir))
        self.confirm: ConfirmFn = confirm
        self.info: BackupInfo | None = None
        self.outcome: RestoreOutcome | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Restore from backup"))
        intro = QLabel(self.tr("Choose a backup. What it holds is shown before anything is replaced; the "
                               "current database is kept as a backup itself."), self)
        intro.setWordWrap(True)
        self.file_edit = QLineEdit(self)
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("Backups are in the data folder's \"backups\" folder, or on "
                                                  "the USB stick"))
        top = QFormLayout()
        top.addRow(self.tr("Backup file"), _folder_row(self, self.file_edit, self.choose_file))
        self.fields: dict[str, QLabel] = {}
        self.details = QFormLayout()
        for key, title in (("taken", self.tr("Taken")), ("kind", self.tr("Kind")), ("office", self.tr("Office")),
                           ("revision", self.tr("Schema revision")), ("people", self.tr("People")),
                           ("sites", self.tr("Sites")), ("certificates", self.tr("Certificates")),
                           ("trainings", self.tr("Training sessions")), ("activities", self.tr("Site activities")),
                           ("size", self.tr("Size"))):
            value = QLabel("—", self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self.details.addRow(title, value)
        self.details_box = QWidget(self)
        self.details_box.setLayout(self.details)
        self.details_box.setVisible(False)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Restore…"))
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.details_box)
        layout.addWidget(self.warning)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

    def reject(self) -> None:
        if not self.property("busy"):
            super().reject()

    # --- choose and inspect -------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = self.choose_open_file(self, self.tr("Choose a backup"),
                                     self.tr("Database backups (*.sqlite3 *.db);;All files (*)"))
        if path:
            self.load(path)

    def load(self, path: str | Path) -> Job:
        """Read what *path* holds (integrity check included) in the background; show it or the refusal."""
        self.file_edit.setText(str(path))
        self.info = None
        self.ok_button.setEnabled(False)
        self.details_box.setVisible(False)
        _message(self.warning, "", WARN_STYLE)
        _message(self.message, self.tr("Reading the backup…"), HINT_STYLE)
        source = Path(path)

        def work() -> Generator[Progress, None, BackupInfo]:
            yield 0, 1, ""
            return backups.inspect_backup(source)

        job = Job(work)
        job.signals.finished.connect(self._on_inspected)
        job.signals.failed.connect(self._on_refused)
        self.job = job
        job.start()
        return job

    def _on_inspected(self, result: object) -> None:
        assert isinstance(result, BackupInfo)
        info = self.info = result
        level = LEVEL_NAMES.get(info.office_level or "")
        office = " ".join(part for part in (_tr(level) if level else "", info.office, info.office_code) if part)
        checked = {True: self.tr("checksum matches"), False: "", None: ""}[info.checksum_ok]
        values = {
            "taken": info.taken.strftime("%Y-%m-%d %H:%M"),
            "kind": kind_name(info.label),
            "office": office or self.tr("(office not set up)"),
            "revision": info.revision or "—",
            "people": str(info.people),
            "sites": str(info.sites),
            "certificates": str(info.certificates),
            "trainings": str(info.trainings),
            "activities": str(info.activities),
            "size": size_text(info.size) + (f"，{checked}" if checked else ""),
        }
        for key, value in values.items():
            self.fields[key].setText(value)
        self.details_box.setVisible(True)
        current = self.ctx.office()
        if current.initialized and info.office_code and info.office_code != current.code:
            _message(self.warning, self.tr("This backup belongs to another office ({0} {1}), not to this "
                                           "computer's office ({2} {3}).").format(
                info.office, info.office_code, current.name, current.code), WARN_STYLE)
        _message(self.message, self.tr("The backup is sound. Restoring replaces everything in the current "
                                       "database with what it holds."), HINT_STYLE)
        self.ok_button.setEnabled(True)

    def _on_refused(self, exc: object) -> None:
        text = error_text(exc) if isinstance(exc, BaseException) else str(exc)
        _message(self.message, self.tr("This file cannot be restored. {0}").format(text), ERROR_STYLE)

    # --- restore ------------------------------------------------------------------------------------

    def restore(self) -> Job | None:
        info = self.info
        if info is None:
            return None
        taken = info.taken.strftime("%Y-%m-%d %H:%M")
        question = "\n\n".join([
            self.tr("Replace the current database with the backup of {0} ({1} people, {2} sites)?").format(
                taken, info.people, info.sites),
            self.tr("The current database is first kept as a backup, so this can be undone by restoring that one."),
        ])
        if not self.confirm(self, self.tr("Restore from backup"), question):
            return None
        db, source = self.ctx.db, info.path
        self.ok_button.setEnabled(False)
        _set_busy(self, self.buttons, True)
        _message(self.message, self.tr("Restoring…"), HINT_STYLE)

        def work() -> Generator[Progress, None, RestoreOutcome]:
            return (yield from backups.restore_steps(db, source))

        job = Job(work)
        job.signals.finished.connect(self._on_restored)
        job.signals.failed.connect(self._on_restore_failed)
        self.job = job
        job.start()
        return job

    def _on_restored(self, result: object) -> None:
        assert isinstance(result, RestoreOutcome)
        _set_busy(self, self.buttons, False)
        self.outcome = result
        self.ctx.db = result.database  # every page's next ctx.session() reads the restored database
        kept = str(result.kept) if result.kept else self.tr("(there was no database to keep)")
        _message(self.message, "\n".join([
            self.tr("Restored the backup of {0}.").format(result.info.taken.strftime("%Y-%m-%d %H:%M")),
            self.tr("The database it replaced is kept as: {0}").format(kept),
            self.tr("The restored database is open now. If a page still shows old figures, restart the "
                    "program."),
        ]), OK_STYLE)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        for area in ALL_AREAS:
            self.ctx.notify(area)
        self.restored.emit(result.kept)

    def _on_restore_failed(self, exc: object) -> None:
        text = error_text(exc) if isinstance(exc, BaseException) else str(exc)
        _set_busy(self, self.buttons, False)
        _message(self.message, self.tr("The restore did not happen. {0}").format(text), ERROR_STYLE)
        self.ok_button.setEnabled(self.info is not None)
