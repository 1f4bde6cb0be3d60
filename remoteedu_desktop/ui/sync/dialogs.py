"""The Sync page's dialogs (issue 6): adding a township with its enrolment file, accepting a township's key
by its phone-read fingerprint, the import preview and the printable import report.

Each dialog calls the services itself and stays open with the refusal in red under its fields when a
service refuses, so the clerk can correct and try again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import sync_enrolment as se
from ...services import sync_import
from ...sync.safe_write import write_file_safely
from ..context import AppContext
from .common import (
    HINT_STYLE,
    FolderFn,
    SavePathFn,
    choose_folder,
    choose_save_path,
    error_text,
    show_message,
)


def refuse_in(dialog: QDialog, label: QLabel, exc_or_text: BaseException | str) -> None:
    """Show a refusal in red under the dialog's fields and grow the dialog to fit it at once (a wrapped
    two-line message must not squeeze the fields above it)."""
    text = exc_or_text if isinstance(exc_or_text, str) else error_text(exc_or_text)
    show_message(label, text, error=True)
    dialog.layout().activate()
    height = dialog.layout().heightForWidth(dialog.width()) if dialog.layout().hasHeightForWidth() else -1
    dialog.resize(dialog.width(), max(dialog.height(), height, dialog.sizeHint().height()))


def enrolment_file_name(code: str) -> str:
    """The enrolment file's name in the chosen folder: ASCII, so any USB stick and any Windows take it."""
    return f"ENROL-{code}.json"


class AddTownshipDialog(QDialog):
    """County: add a township office (code, name) and write its enrolment file into a folder (item 1).

    On success ``written`` is the file, ``township`` the office and ``county_fingerprint`` the short
    fingerprint to tell the township over the phone."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_folder: FolderFn = choose_folder
        self.written: Path | None = None
        self.township: se.TownshipOffice | None = None
        self.county_fingerprint = ""
        self.setWindowTitle(self.tr("Add township and write enrolment file"))
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText(self.tr("9 digits, e.g. 360499100"))
        self.name_edit = QLineEdit(self)
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText(self.tr("USB stick or another folder"))
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("Township code"), self.code_edit)
        form.addRow(self.tr("Township name"), self.name_edit)
        form.addRow(self.tr("Save the file in"), folder_row)
        hint = QLabel(self.tr("The enrolment file holds only the county's public keys; give it to the township "
                              "office and tell them this county's fingerprint over the phone."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add and write file"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        folder = self.choose_folder(self, self.tr("Folder for the enrolment file"))
        if folder:
            self.folder_edit.setText(folder)

    def submit(self) -> None:
        folder_text = self.folder_edit.text().strip()
        if not folder_text:
            refuse_in(self, self.error_label, self.tr("Choose the folder to save the enrolment file in."))
            return
        folder = Path(folder_text)
        if not folder.is_dir():
            refuse_in(self, self.error_label, self.tr("The folder does not exist: {0}").format(folder))
            return
        try:
            with self.ctx.session() as s:
                township = se.add_township_office(s, self.code_edit.text(), self.name_edit.text() or None)
                path = se.write_enrolment(s, township.code, folder / enrolment_file_name(township.code))
                fingerprint = se.sync_status(s).fingerprint.short
        except ValidationError as exc:
            refuse_in(self, self.error_label, exc)
            return
        self.written, self.township, self.county_fingerprint = path, township, fingerprint
        self.accept()


class AcceptKeyDialog(QDialog):
    """County: accept a township's keys, received with its first bundle, once the short fingerprint read over
    the phone is typed here (item 1). A mismatch is refused by the service and nothing changes."""

    def __init__(self, ctx: AppContext, peers: list[se.PeerInfo], parent: QWidget | None = None,
                 code: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.accepted_peer: se.PeerInfo | None = None
        self.setWindowTitle(self.tr("Accept township key"))
        self.township_box = QComboBox(self)
        for p in peers:
            if p.level == "township":
                self.township_box.addItem(f"{p.name}（{p.code}）— {p.state_label}", p.code)
        pending = [i for i in range(self.township_box.count())
                   if any(p.code == self.township_box.itemData(i) and p.state in ("pending", "key_changed")
                          for p in peers)]
        if code is not None:
            index = self.township_box.findData(code)
            if index >= 0:
                self.township_box.setCurrentIndex(index)
        elif pending:
            self.township_box.setCurrentIndex(pending[0])
        self.fingerprint_edit = QLineEdit(self)
        self.fingerprint_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.2)
        self.fingerprint_edit.setFont(mono)
        form = QFormLayout()
        form.addRow(self.tr("Township"), self.township_box)
        form.addRow(self.tr("Fingerprint read over the phone"), self.fingerprint_edit)
        hint = QLabel(self.tr("Phone the township office and ask them to read the fingerprint shown on their "
                              "Sync page. Type it here; do not copy it from the bundle."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Accept key"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.township_box.count() > 0)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def submit(self) -> None:
        code = self.township_box.currentData()
        if not code:
            return
        try:
            with self.ctx.session() as s:
                peer = se.accept_peer(s, str(code), self.fingerprint_edit.text())
        except ValidationError as exc:
            refuse_in(self, self.error_label, exc)
            return
        self.accepted_peer = peer
        self.accept()


# --- import: preview and report ---------------------------------------------------------------------------

PREVIEW_COLUMNS = (
    QT_TRANSLATE_NOOP("ReportTable", "Bundle"), QT_TRANSLATE_NOOP("ReportTable", "From"),
    QT_TRANSLATE_NOOP("ReportTable", "Result"), QT_TRANSLATE_NOOP("ReportTable", "Table"),
    QT_TRANSLATE_NOOP("ReportTable", "New"), QT_TRANSLATE_NOOP("ReportTable", "Changed"),
    QT_TRANSLATE_NOOP("ReportTable", "Unchanged"), QT_TRANSLATE_NOOP("ReportTable", "Conflict"),
    QT_TRANSLATE_NOOP("ReportTable", "Refused"),
)
P_BUNDLE, P_FROM, P_RESULT, P_TABLE, P_NEW, P_CHANGED, P_UNCHANGED, P_CONFLICT, P_REFUSED = range(len(PREVIEW_COLUMNS))


def _from(report: sync_import.ImportReport) -> str:
    return f"{report.source_name}（{report.source_code}）" if report.source_code else ""


def importable(reports: list[sync_import.ImportReport]) -> bool:
    """Whether pressing Import would do anything: some bundle is neither already imported nor empty of files."""
    return any(r.status != "already" for r in reports)


def record_lines(report: sync_import.ImportReport) -> list[str]:
    """Per record (item 6): new and deleted records, each changed field as old → new, each refusal with its
    reason. Unchanged records are only counted (in the table lines above)."""
    out: list[str] = []
    for r in report.records:
        table = sync_import.TABLE_LABEL.get(r.table, r.table)
        if r.status == "unchanged":
            continue
        verb = "删除" if r.tombstone and r.status != "refused" else sync_import.STATUS_LABEL[r.status]
        if r.status == "changed" and not r.tombstone:
            for c in r.changes:
                out.append(f"    {verb} {table} {r.label} {c.field}：{show_value(c.old)} → {show_value(c.new)}")
        elif r.status in ("refused", "conflict"):
            out.append(f"    {verb} {table} {r.label}：{r.reason}")
        else:
            out.append(f"    {verb} {table} {r.label}")
    return out


def show_value(value: object) -> str:
    """A field's value in a report line: empty shown as （空）, bytes by their size."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def report_text(title: str, office: str, reports: list[sync_import.ImportReport], *,
                at: dt.datetime | None = None) -> str:
    """A printable plain-text report of several bundles (issue 6, item 10): a heading, each bundle's lines
    from :meth:`ImportReport.lines`, and the totals by result."""
    when = (at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    lines = [title, f"{office}　{when}", ""]
    for report in reports:
        head = report.lines(details=False)
        # the records under the table counts, before the backup and quarantine lines
        tail = [i for i, line in enumerate(head) if line.startswith(("  导入前备份", "  已隔离保存"))]
        cut = tail[0] if tail else len(head)
        lines.extend([*head[:cut], *record_lines(report), *head[cut:]])
        lines.append("")
    by_status: dict[str, int] = {}
    for report in reports:
        by_status[report.status] = by_status.get(report.status, 0) + 1
    labels = {"applied": "已导入", "preview": "可导入", "already": "已导入过", "refused": "拒收"}
    lines.append(f"共 {len(reports)} 个数据包：" + "，".join(f"{labels[k]} {v}" for k, v in by_status.items()))
    return "\n".join(lines) + "\n"


class ReportTable(QTableWidget):
    """Per bundle and table: new / changed / unchanged / refused, or the bundle's refusal or date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PREVIEW_COLUMNS), parent)
        self.setHorizontalHeaderLabels([self.tr(c) for c in PREVIEW_COLUMNS])
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)

    def result_label(self, report: sync_import.ImportReport) -> str:
        if report.status == "already":
            when = report.already_at.strftime("%Y-%m-%d %H:%M") if report.already_at else ""
            return self.tr("Already imported on {0}").format(when)
        return {"preview": self.tr("Ready to import"), "applied": self.tr("Imported"),
                "refused": self.tr("Refused")}[report.status]

    def show_reports(self, reports: list[sync_import.ImportReport]) -> None:
        self.setRowCount(0)
        for report in reports:
            counts = report.counts()
            rows: list[list[str]] = []
            if counts:
                for table, per in counts.items():
                    rows.append([sync_import.TABLE_LABEL.get(table, table), str(per["new"]), str(per["changed"]),
                                 str(per["unchanged"]), str(per["conflict"]), str(per["refused"])])
            elif report.message:
                rows.append([report.message, "", "", "", "", ""])
            else:
                rows.append([self.tr("No records (only the acknowledgement and keys)")
                             if report.status in ("preview", "applied") else "", "", "", "", "", ""])
            for cells in rows:
                row = self.rowCount()
                self.insertRow(row)
                values = [report.path.name, _from(report), self.result_label(report), *cells]
                for column, text in enumerate(values):
                    item = QTableWidgetItem(text)
                    if column >= P_NEW:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    if report.status == "refused" or (column == P_REFUSED and text not in ("", "0")):
                        item.setForeground(Qt.GlobalColor.darkRed)
                    elif column == P_CONFLICT and text not in ("", "0"):
                        item.setForeground(Qt.GlobalColor.darkYellow)
                    self.setItem(row, column, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""


def _details_box(parent: QWidget, text: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    box.setPlainText(text)
    return box


class ImportPreviewDialog(QDialog):
    """County: what importing would do, from the real import run and rolled back (item 6): per bundle and
    table the counts, and per record the changed fields (old → new) and the refusals. Import / Cancel."""

    def __init__(self, reports: list[sync_import.ImportReport], office: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = reports
        self.setWindowTitle(self.tr("Import preview"))
        ready = sum(1 for r in reports if r.status == "preview")
        already = sum(1 for r in reports if r.status == "already")
        refused = sum(1 for r in reports if r.status == "refused")
        summary = self.tr("{0} bundles: {1} ready to import, {2} already imported, {3} refused. "
                          "Nothing has been written yet.").format(len(reports), ready, already, refused)
        self.summary_label = QLabel(summary, self)
        self.summary_label.setWordWrap(True)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        if not importable(reports):
            show_message(self.note_label, self.tr("Every bundle here was imported before; importing again "
                                                  "changes nothing."))
        elif refused:
            show_message(self.note_label, self.tr("Refused bundles are not imported; when you press Import they "
                                                  "are kept in quarantine and recorded."), error=True)
        else:
            self.note_label.setVisible(False)
        self.table = ReportTable(self)
        self.table.show_reports(reports)
        self.details = _details_box(self, report_text(self.tr("Import preview"), office, reports))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("Import"))
        self.import_button.setEnabled(importable(reports))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.note_label)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(self.tr("Per record:"), self))
        layout.addWidget(self.details, 3)
        layout.addWidget(self.buttons)
        self.resize(900, 620)


class ImportReportDialog(QDialog):
    """County: the import's outcome, printable: the same table and text, and Save report as .txt."""

    def __init__(self, reports: list[sync_import.ImportReport], office: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reports = reports
        self.choose_save_path: SavePathFn = choose_save_path
        self.saved: Path | None = None
        self.setWindowTitle(self.tr("Import report"))
        self.text = report_text(self.tr("Import report"), office, reports)
        self.table = ReportTable(self)
        self.table.show_reports(reports)
        self.details = _details_box(self, self.text)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)
        save = QPushButton(self.tr("Save report as .txt…"), self)
        save.clicked.connect(self.save)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.details, 3)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self.resize(900, 620)

    def save(self) -> None:
        suggested = f"sync-import-{dt.datetime.now():%Y%m%d-%H%M}.txt"
        chosen = self.choose_save_path(self, self.tr("Save import report"), suggested)
        if not chosen:
            return
        path = Path(chosen if chosen.lower().endswith(".txt") else chosen + ".txt")
        try:
            # UTF-8 with a BOM and CRLF: Notepad on an old Windows opens and prints it correctly.
            data = "\ufeff".encode() + self.text.replace("\n", "\r\n").encode("utf-8")
            write_file_safely(path, data, overwrite=True)
        except OSError as exc:
            show_message(self.message_label, error_text(exc), error=True)
            return
        self.saved = path
        show_message(self.message_label, self.tr("Report saved: {0}").format(path))
