"""The Sync page (issue 6): this office and its fingerprint, its peers, and the USB-stick exchange.

- Top: this office (name, code, level) and its fingerprint, the short form big (read over the phone) and
  the long form selectable (item 1).
- Peers: code, name, level, state (accepted / pending / key changed), the accepted fingerprint, the last
  sequence sent and received and the date of the last bundle (:mod:`...services.sync_views`).
- Township: install the county's enrolment file (item 1); export the next up bundle to a USB stick, with
  "send everything again" (items 4, 5); the clerk is told the stick may be removed only after the file was
  written and read back; import a down bundle from the county (the same preview and report as the county).
- County: add a township and write its enrolment file; accept a township's key by the fingerprint read
  over the phone; import one bundle or a whole folder: a preview (the real import, rolled back, item 6),
  then Import / Cancel, then a printable report (item 10); a down bundle for every township whose key is
  accepted, in one step (item 8), when this build has ``services.sync_down`` (imported lazily: the button
  says "later version" otherwise).

Slow work (export, preview, import) runs through :func:`..worker.run_with_progress`; file and folder choosers
and dialogs go through hooks (``choose_open_file``, ``choose_folder``, ``run_dialog``) that tests replace.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import sync_conflicts, sync_export, sync_import, sync_views
from ...services import sync_enrolment as se
from ...services.progress import Progress
from ..context import AppContext
from ..refreshing import RefreshingWidget
from ..worker import Job, run_with_progress
from .common import (
    HINT_STYLE,
    FolderFn,
    OpenFileFn,
    RunDialogFn,
    choose_folder,
    choose_open_file,
    error_text,
    exec_dialog,
    local_time,
    show_message,
)
from .dialogs import AcceptKeyDialog, AddTownshipDialog, ImportPreviewDialog, ImportReportDialog

PEER_COLUMNS = (
    QT_TRANSLATE_NOOP("SyncPage", "Code"), QT_TRANSLATE_NOOP("SyncPage", "Name"),
    QT_TRANSLATE_NOOP("SyncPage", "Level"), QT_TRANSLATE_NOOP("SyncPage", "State"),
    QT_TRANSLATE_NOOP("SyncPage", "Fingerprint"), QT_TRANSLATE_NOOP("SyncPage", "Last sent"),
    QT_TRANSLATE_NOOP("SyncPage", "Last received"), QT_TRANSLATE_NOOP("SyncPage", "Last bundle"),
)
C_CODE, C_NAME, C_LEVEL, C_STATE, C_FINGERPRINT, C_SENT, C_RECEIVED, C_LAST = range(len(PEER_COLUMNS))
#: Areas other pages listen to; an import can change all of them.
IMPORT_AREAS = ("units", "people", "posts", "training", "certificates")


def bundles_in(source: Path) -> list[Path]:
    """The bundles to import from *source*: the file itself, or every ``.zip`` in the folder by name."""
    if source.is_dir():
        return sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".zip")
    return [source]


class SyncPage(RefreshingWidget):
    refresh_areas = frozenset({"units", "office", "sync"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.choose_open_file: OpenFileFn = choose_open_file
        self.choose_folder: FolderFn = choose_folder
        self.run_dialog: RunDialogFn = exec_dialog
        #: Called with each dialog right after it is made (tests set the report dialog's save hook).
        self.on_dialog: Callable[[QDialog], None] = lambda dialog: None
        self.status: se.SyncStatus | None = None
        self.last_export: sync_export.ExportResult | None = None
        self.last_reports: list[sync_import.ImportReport] = []
        self.last_down: list[sync_export.ExportResult] = []
        self.job: Job | None = None  #: the running export, preview or import (kept while it runs)
        self.open_conflicts_count = 0  #: sync conflicts waiting (item 7)

        # --- this office ---
        office_box = QGroupBox(self.tr("This office"), self)
        self.office_label = QLabel(office_box)
        self.office_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        big = QFont(mono)
        big.setPointSizeF(max(mono.pointSizeF(), 9.0) * 2.0)
        big.setBold(True)
        self.fingerprint_label = QLabel(office_box)
        self.fingerprint_label.setFont(big)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.long_fingerprint_label = QLabel(office_box)
        self.long_fingerprint_label.setFont(mono)
        self.long_fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.long_fingerprint_label.setWordWrap(True)
        note = QLabel(self.tr("Read this string when checking over the phone"), office_box)
        note.setStyleSheet(HINT_STYLE)
        fingerprint_row = QHBoxLayout()
        fingerprint_row.addWidget(QLabel(self.tr("Fingerprint:"), office_box))
        fingerprint_row.addWidget(self.fingerprint_label)
        fingerprint_row.addWidget(note)
        fingerprint_row.addStretch(1)
        office_layout = QVBoxLayout(office_box)
        office_layout.addWidget(self.office_label)
        office_layout.addLayout(fingerprint_row)
        office_layout.addWidget(self.long_fingerprint_label)

        # --- peers ---
        peers_box = QGroupBox(self.tr("Offices this office exchanges data with"), self)
        self.peers = QTableWidget(0, len(PEER_COLUMNS), peers_box)
        self.peers.setHorizontalHeaderLabels([self.tr(c) for c in PEER_COLUMNS])
        self.peers.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.peers.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.peers.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.peers.verticalHeader().setVisible(False)
        self.peers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.peers.horizontalHeader().setStretchLastSection(True)
        self.no_peers_label = QLabel(peers_box)
        self.no_peers_label.setStyleSheet(HINT_STYLE)
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peers)
        peers_layout.addWidget(self.no_peers_label)

        # --- township actions ---
        self.township_box = QGroupBox(self.tr("Township office"), self)
        self.install_button = QPushButton(self.tr("Install enrolment file…"), self.township_box)
        self.install_button.clicked.connect(self.install_enrolment)
        self.export_button = QPushButton(self.tr("Export to USB stick…"), self.township_box)
        self.export_button.clicked.connect(self.export_up)
        self.everything_box = QCheckBox(self.tr("Send everything again"), self.township_box)
        self.everything_box.setToolTip(self.tr("Send every record of this office again, not only what the county "
                                               "has not confirmed yet (when the county asks for it)."))
        self.import_down_button = QPushButton(self.tr("Import bundle from the county…"), self.township_box)
        self.import_down_button.clicked.connect(self.import_file)
        township_row = QHBoxLayout(self.township_box)
        township_row.addWidget(self.install_button)
        township_row.addSpacing(24)
        township_row.addWidget(self.export_button)
        township_row.addWidget(self.everything_box)
        township_row.addSpacing(24)
        township_row.addWidget(self.import_down_button)
        township_row.addStretch(1)

        # --- county actions ---
        self.county_box = QGroupBox(self.tr("County office"), self)
        self.add_button = QPushButton(self.tr("Add township and write enrolment file…"), self.county_box)
        self.add_button.clicked.connect(self.add_township)
        self.accept_button = QPushButton(self.tr("Accept township key…"), self.county_box)
        self.accept_button.clicked.connect(self.accept_key)
        self.import_button = QPushButton(self.tr("Import bundle or folder…"), self.county_box)
        menu = QMenu(self.import_button)
        self.import_file_action = QAction(self.tr("One bundle file…"), menu)
        self.import_file_action.triggered.connect(self.import_file)
        self.import_folder_action = QAction(self.tr("Every bundle in a folder…"), menu)
        self.import_folder_action.triggered.connect(self.import_folder)
        menu.addAction(self.import_file_action)
        menu.addAction(self.import_folder_action)
        self.import_button.setMenu(menu)
        self.export_down_button = QPushButton(self.tr("Export to townships…"), self.county_box)
        self.export_down_button.clicked.connect(self.export_down)
        self.everything_down_box = QCheckBox(self.tr("Send everything again"), self.county_box)
        self.everything_down_box.setToolTip(self.tr("Send every county record concerning each township again, not "
                                                    "only what it has not confirmed yet."))
        county_row = QHBoxLayout(self.county_box)
        for button in (self.add_button, self.accept_button, self.import_button):
            county_row.addWidget(button)
        county_row.addSpacing(24)
        county_row.addWidget(self.export_down_button)
        county_row.addWidget(self.everything_down_box)
        county_row.addStretch(1)

        # --- conflicts (item 7) ---
        self.conflicts_label = QLabel(self)
        self.conflicts_button = QPushButton(self.tr("Settle conflicts…"), self)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        conflicts_row = QHBoxLayout()
        conflicts_row.addWidget(self.conflicts_label)
        conflicts_row.addWidget(self.conflicts_button)
        conflicts_row.addStretch(1)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(office_box)
        layout.addWidget(self.township_box)
        layout.addWidget(self.county_box)
        layout.addLayout(conflicts_row)
        layout.addWidget(self.message_label)
        layout.addWidget(peers_box, 1)
        ctx.changed.connect(self._on_data_changed)
        self.refresh()

    # --- showing --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = False
        with self.ctx.session() as s:
            self.status = se.sync_status(s)
            exchanges = sync_views.last_exchanges(s)
            self.open_conflicts_count = sync_conflicts.open_count(s)
        n = self.open_conflicts_count
        self.conflicts_label.setText(self.tr("Sync conflicts waiting: {0}").format(n) if n
                                     else self.tr("No sync conflict waiting."))
        self.conflicts_label.setStyleSheet("color: #b26a00; font-weight: bold;" if n else HINT_STYLE)
        status = self.status
        office = status.office
        if office.initialized:
            level = se.LEVEL_LABEL.get(office.level or "", "")
            self.office_label.setText(self.tr("{0} (code {1}), {2} office").format(office.name, office.code, level))
        else:
            self.office_label.setText(self.tr("This computer is not set up yet. At a township, install the "
                                              "enrolment file from the county."))
        self.fingerprint_label.setText(status.fingerprint.short)
        self.long_fingerprint_label.setText(self.tr("Full fingerprint: {0}").format(status.fingerprint.long))
        county = office.level == "county"
        self.county_box.setVisible(county)
        self.township_box.setVisible(not county)
        county_peer = next((p for p in status.peers if p.level == "county"), None)
        self.export_button.setEnabled(office.level == "township" and county_peer is not None and county_peer.accepted)
        self.everything_box.setEnabled(self.export_button.isEnabled())
        self.import_down_button.setEnabled(self.export_button.isEnabled())
        self.export_down_button.setEnabled(county and any(p.level == "township" and p.accepted
                                                          for p in status.peers))
        self.everything_down_box.setEnabled(self.export_down_button.isEnabled())
        self.accept_button.setEnabled(any(p.level == "township" for p in status.peers))
        self._show_peers(status.peers, exchanges)

    def _show_peers(self, peers: list[se.PeerInfo], exchanges: dict[str, sync_views.PeerExchange]) -> None:
        self.peers.setRowCount(0)
        for peer in peers:
            row = self.peers.rowCount()
            self.peers.insertRow(row)
            exchange = exchanges.get(peer.code)
            values = [peer.code, peer.name, peer.level_label, peer.state_label,
                      peer.fingerprint.short if peer.fingerprint is not None else "—",
                      str(peer.last_sent_seq) if peer.last_sent_seq else "—",
                      str(peer.last_received_seq) if peer.last_received_seq else "—",
                      local_time(exchange.last_at) if exchange is not None else "—"]
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column == C_CODE:
                    item.setData(Qt.ItemDataRole.UserRole, peer.code)
                if column == C_STATE and not peer.accepted:
                    item.setForeground(Qt.GlobalColor.darkYellow if peer.state == "awaiting_key"
                                       else Qt.GlobalColor.darkRed)
                elif column == C_STATE and peer.state == "key_changed":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.peers.setItem(row, column, item)
        if peers:
            self.no_peers_label.setVisible(False)
        else:
            county = self.status is not None and self.status.office.level == "county"
            self.no_peers_label.setText(self.tr("No township yet: add one with \"Add township and write enrolment "
                                                "file…\".") if county else
                                        self.tr("No county yet: install the enrolment file the county gave you."))
            self.no_peers_label.setVisible(True)

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's selection does not change this page."""

    def peer_cell(self, row: int, column: int) -> str:
        item = self.peers.item(row, column)
        return item.text() if item is not None else ""

    def peer_row(self, code: str) -> int:
        for row in range(self.peers.rowCount()):
            if self.peer_cell(row, C_CODE) == code:
                return row
        return -1

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message_label, text, error=error)

    def _failed(self, exc: Exception) -> None:
        self._say(error_text(exc), error=True)
        self.refresh()

    def _run(self, dialog: QDialog) -> int:
        self.on_dialog(dialog)
        return self.run_dialog(dialog)

    # --- township ------------------------------------------------------------------------------------

    def install_enrolment(self) -> None:
        """Install the county's enrolment file (item 1); shows the county's fingerprint to compare."""
        chosen = self.choose_open_file(self, self.tr("Enrolment file from the county"),
                                       self.tr("Enrolment files (*.json)"))
        if not chosen:
            return
        path = Path(chosen)
        try:
            data = path.read_bytes()
            with self.ctx.session() as s:
                installed = se.install_enrolment(s, data, where=path.name)
        except (ValidationError, OSError) as exc:
            self._say(error_text(exc), error=True)
            return
        county = installed.county
        fingerprint = county.fingerprint.short if county.fingerprint is not None else "—"
        lead = (self.tr("This enrolment file was installed before; nothing changed.") if installed.already_installed
                else self.tr("Installed the enrolment file of {0} ({1}).").format(county.name, county.code))
        self._say(self.tr("{0} {1}").format(lead, self.tr("Check the county's fingerprint with the county office by phone; it must be "
                                       "{0}. If it differs, do not import anything from the county and call them.")
                  .format(fingerprint)))
        self.refresh()
        self.ctx.notify("office" if installed.initialised_office else "sync")
        if installed.initialised_office:
            self.ctx.notify("units")

    def export_up(self) -> None:
        """Write the next up bundle into a folder (items 4, 5); the stick may be removed only when told."""
        folder = self.choose_folder(self, self.tr("USB stick or folder for the bundle"))
        if not folder:
            return
        dest = Path(folder)
        everything = self.everything_box.isChecked()
        writing = self.tr("Writing and verifying the bundle…")

        def steps() -> Generator[Progress, None, sync_export.ExportResult]:
            yield 0, 0, writing
            if not dest.is_dir():
                raise ValidationError(f"文件夹不存在：{dest}（U 盘是否已插好？）", field="保存位置")
            with self.ctx.session() as s:
                return sync_export.export_up(s, dest, everything=everything)

        self.job = run_with_progress(self, self.tr("Export to USB stick"), steps, on_done=self._exported,
                                     on_error=self._failed)

    def _exported(self, result: Any) -> None:
        assert isinstance(result, sync_export.ExportResult)
        self.last_export = result
        parts = [f"{sync_import.TABLE_LABEL.get(t, t)} {c + d}" for t, (c, d) in sorted(result.counts.items())]
        what = (self.tr("Bundle no. {0}: {1}.").format(result.sequence, "，".join(parts)) if parts
                else self.tr("Bundle no. {0}: no new changes (only this office's public key).").format(result.sequence))
        self._say(self.tr("The bundle is written and verified; you may remove the USB stick: {0}")
                  .format(result.path) + "\n" + what)
        self.everything_box.setChecked(False)
        self.refresh()

    # --- county --------------------------------------------------------------------------------------

    def open_conflicts(self) -> None:
        """The conflict queue side by side (issue 6, item 7)."""
        from .conflicts_dialog import ConflictsDialog

        dialog = ConflictsDialog(self.ctx, self)
        self._run(dialog)
        self.refresh()

    def add_township(self) -> None:
        dialog = AddTownshipDialog(self.ctx, self)
        dialog.choose_folder = self.choose_folder
        if self._run(dialog) != QDialog.DialogCode.Accepted or dialog.written is None or dialog.township is None:
            return
        t = dialog.township
        self._say(self.tr("Enrolment file for {0} ({1}) written: {2}\nGive it to the township office and tell them "
                          "this county's fingerprint by phone: {3}").format(t.name, t.code, dialog.written,
                                                                            dialog.county_fingerprint))
        self.refresh()
        self.ctx.notify("units")

    def _selected_code(self) -> str | None:
        rows = self.peers.selectionModel().selectedRows()
        if not rows:
            return None
        return self.peer_cell(rows[0].row(), C_CODE) or None

    def accept_key(self) -> None:
        peers = self.status.peers if self.status is not None else []
        dialog = AcceptKeyDialog(self.ctx, peers, self, code=self._selected_code())
        if self._run(dialog) != QDialog.DialogCode.Accepted or dialog.accepted_peer is None:
            return
        p = dialog.accepted_peer
        fingerprint = p.fingerprint.short if p.fingerprint is not None else ""
        self._say(self.tr("Accepted the key of {0} ({1}), fingerprint {2}. Its bundles can be imported now.")
                  .format(p.name, p.code, fingerprint))
        self.refresh()
        self.ctx.notify("sync")

    def import_file(self) -> None:
        county = self.status is not None and self.status.office.level == "county"
        title = self.tr("Bundle from a township") if county else self.tr("Bundle from the county")
        chosen = self.choose_open_file(self, title, self.tr("Bundles (*.zip)"))
        if chosen:
            self.import_from(Path(chosen))

    def import_folder(self) -> None:
        chosen = self.choose_folder(self, self.tr("Folder with the townships' bundles"))
        if chosen:
            self.import_from(Path(chosen))

    def import_from(self, source: Path) -> None:
        """Preview every bundle in *source* (a file or a folder), then on Import apply them (item 6, 8)."""
        if not source.exists():
            self._say(self.tr("File or folder not found: {0}").format(source), error=True)
            return
        files = bundles_in(source)
        if not files:
            self._say(self.tr("There is no bundle (.zip) in the folder {0}").format(source), error=True)
            return
        checking = self.tr("Checking {0}…")
        accept_hint = self.tr("Phone the township to check the fingerprint, accept the key with \"Accept township "
                              "key…\", then import again.")
        ctx = self.ctx

        def steps() -> Generator[Progress, None, list[sync_import.ImportReport]]:
            reports = []
            for i, file in enumerate(files):
                yield i, len(files), checking.format(file.name)
                reports.append(preview_one(ctx, file, accept_hint))
            return reports

        self.job = run_with_progress(self, self.tr("Import preview"), steps, on_done=self._previewed,
                                     on_error=self._failed, on_cancel=self._preview_cancelled)

    def _preview_cancelled(self) -> None:
        self._say(self.tr("Import cancelled; nothing was written."))

    def _office_text(self) -> str:
        office = self.status.office if self.status is not None else None
        return f"{office.name}（{office.code}）" if office is not None and office.initialized else ""

    def _previewed(self, result: Any) -> None:
        reports: list[sync_import.ImportReport] = list(result)
        self.last_reports = reports
        self.refresh()  # a township's key that arrived with its bundle now shows as pending
        dialog = ImportPreviewDialog(reports, self._office_text(), self)
        if self._run(dialog) != QDialog.DialogCode.Accepted:
            self._say(self.tr("Import cancelled; nothing was written."))
            return
        files = [r.path for r in reports]
        importing = self.tr("Importing {0}…")
        db = self.ctx.db

        def steps() -> Generator[Progress, None, list[sync_import.ImportReport]]:
            done = []
            yield 0, len(files), importing.format(files[0].name) if files else ""
            for i, report in sync_import.apply_all(db, files):  # one backup before the first bundle
                done.append(report)
                if i + 1 < len(files):
                    yield i + 1, len(files), importing.format(files[i + 1].name)
            return done

        self.job = run_with_progress(self, self.tr("Import"), steps, on_done=self._imported, on_error=self._failed,
                                     on_cancel=self._import_stopped)

    def _import_stopped(self) -> None:
        """Each bundle is imported in its own transaction: those done before the stop stay imported."""
        self._say(self.tr("Import stopped: the bundles imported before stay imported, the rest were not imported. "
                          "Import the folder again to finish (bundles already imported are skipped)."), error=True)
        self.refresh()
        for area in IMPORT_AREAS:
            self.ctx.notify(area)

    def _imported(self, result: Any) -> None:
        reports: list[sync_import.ImportReport] = list(result)
        self.last_reports = reports
        counts = {s: sum(1 for r in reports if r.status == s) for s in ("applied", "already", "refused")}
        self._say(self.tr("{0} bundles imported, {1} already imported before, {2} refused.")
                  .format(counts["applied"], counts["already"], counts["refused"]), error=counts["refused"] > 0)
        self.refresh()
        if counts["applied"]:
            for area in IMPORT_AREAS:
                self.ctx.notify(area)
        self._run(ImportReportDialog(reports, self._office_text(), self))

    def export_down(self) -> None:
        """A down bundle for every township whose key is accepted, in one step (item 8), when the services
        provide ``sync_down.export_down_all``; otherwise the clerk is told it comes later."""
        service = down_service()
        if service is None:
            self._say(self.tr("Down bundles for the townships will come in a later version."))
            return
        folder = self.choose_folder(self, self.tr("USB stick or folder for the townships' bundles"))
        if not folder:
            return
        dest = Path(folder)
        everything = self.everything_down_box.isChecked()
        writing = self.tr("Writing and verifying the bundles…")

        def steps() -> Generator[Progress, None, tuple[list[sync_export.ExportResult], list[str]]]:
            yield 0, 0, writing
            if not dest.is_dir():
                raise ValidationError(f"文件夹不存在：{dest}（U 盘是否已插好？）", field="保存位置")
            with self.ctx.session() as s:
                _ready, waiting = service.down_targets(s)
                return service.export_down_all(s, dest, everything=everything), waiting

        self.job = run_with_progress(self, self.tr("Export to townships"), steps, on_done=self._exported_down,
                                     on_error=self._failed)

    def _exported_down(self, result: Any) -> None:
        written, waiting = result
        self.last_down = list(written)
        if written:
            lines = [self.tr("The bundles are written and verified; you may remove the USB stick:")]
            lines += [str(r.path) for r in written]
        else:
            lines = [self.tr("No bundle was written: no township's key is accepted yet.")]
        if waiting:
            lines.append(self.tr("Townships whose key is not accepted yet get no bundle: {0}")
                         .format("，".join(waiting)))
        self._say("\n".join(lines))
        self.everything_down_box.setChecked(False)
        self.refresh()


def down_service() -> ModuleType | None:
    """``services.sync_down`` when this build has it (down bundles, item 8), else None."""
    try:
        module = importlib.import_module("remoteedu_desktop.services.sync_down")
    except ModuleNotFoundError:
        return None
    return module if hasattr(module, "export_down_all") and hasattr(module, "down_targets") else None


def preview_one(ctx: AppContext, file: Path, accept_hint: str) -> sync_import.ImportReport:
    """The preview of one bundle (item 6): the real import rolled back, or the refusal as a report.

    A township's keys that came with its first bundle are recorded as pending (as the import itself does),
    so the clerk can accept them by fingerprint right after; nothing else is written."""
    try:
        with ctx.session() as s:
            report = sync_import.preview(s, file)
            s.rollback()
            return report
    except sync_import.KeyNotAccepted as exc:
        with ctx.session() as s:
            se.pending_peer_key(s, exc.code, exc.signing, exc.exchange)
        reason = exc.message.split(sync_import.CONFIRM_FINGERPRINT)[0] + accept_hint
        return sync_import.ImportReport(file, "refused", message=reason)
    except ValidationError as exc:
        return sync_import.ImportReport(file, "refused", message=exc.message)
