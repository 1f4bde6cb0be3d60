"""The person editor (R10): personal data with the ID number checked as it is typed, the 1-inch photo,
and the person's whole archive: posts, training, certificates, evaluations, awards, audit trail.

The full ID number is shown only here; lists show it masked (DOMAIN.md, "Personal data"). Saving
writes the person and the photo in one transaction through the people and photos services; a
refusal appears in red under its field and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import person_views, personnel_file, photos, sync_ownership, training_print, training_views
from ...services.id_number import IdInfo, parse_id_number
from ...services.people import PersonInfo, PersonInput, add_person, update_person
from ...services.person_views import AuditEntry, PersonDetail, PersonHistory, PostRecord
from ...services.progress import Progress
from ...services.served_sites import SERVING_ROLES
from ...services.training_views import YearHours
from ...sync.safe_write import write_file_safely
from ..context import AppContext
from ..worker import Job, run_with_progress
from .photo_crop import PhotoCropDialog, load_image
from .post_dialogs import (
    ERROR_STYLE,
    HINT_STYLE,
    OK_STYLE,
    AssignPostDialog,
    ConfirmFn,
    EndPostDialog,
    ErrorLabel,
    RunDialogFn,
    TransferPostDialog,
    ask_confirmation,
    clear_on_edit,
    exec_dialog,
    inline_text,
)
from .served_sites_dialog import ServedSitesDialog

ChooseFileFn = Callable[[QWidget], str | None]
ChooseSaveFn = Callable[[QWidget, str, str], str | None]  # parent, title, suggested name → path or None
PHOTO_PREVIEW = (125, 175)  # 25:35
IMAGE_FILTER = "*.jpg *.jpeg *.png *.bmp *.webp *.tif *.tiff"
TAB_BASIC, TAB_POSTS, TAB_TRAINING, TAB_CERTIFICATES, TAB_EVALUATIONS, TAB_AWARDS, TAB_AUDIT = range(7)
POST_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def choose_pdf_path(parent: QWidget, title: str, suggested: str) -> str | None:
    """The real file chooser for a PDF."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested,
                                          QCoreApplication.translate("PersonEditorDialog", "PDF files (*.pdf)"))
    return path or None


def choose_image_file(parent: QWidget) -> str | None:
    title = QCoreApplication.translate("PersonEditorDialog", "Choose a photo")
    kind = QCoreApplication.translate("PersonEditorDialog", "Pictures")
    path, _ = QFileDialog.getOpenFileName(parent, title, "", f"{kind} ({IMAGE_FILTER})")
    return path or None


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


class PersonEditorDialog(QDialog):
    """Add a person (``person_id=None``) or correct one, and see their whole archive."""

    FIELD_KEYS = {"姓名": "name", "身份证号码": "id_number", "出生日期": "id_number", "性别": "gender",
                  "民族": "ethnicity", "政治面貌": "political_status", "学历": "education",
                  "人员来源": "source_category", "联系电话": "phone", "工作单位": "employer", "职务": "job_title",
                  "备注": "notes", "照片": "photo"}

    def __init__(self, ctx: AppContext, person_id: str | None, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id = person_id
        self.run_dialog: RunDialogFn = exec_dialog
        self.confirm: ConfirmFn = confirm or ask_confirmation
        self.choose_file: ChooseFileFn = choose_image_file
        self.choose_save_path: ChooseSaveFn = choose_pdf_path
        self.record_status = QLabel("", self)
        self.print_record_button = QPushButton(self.tr("Print training record…"), self)
        self.print_record_button.clicked.connect(lambda _checked=False: self.print_training_record())
        self.print_record_button.setEnabled(person_id is not None)
        self.saved: PersonInfo | None = None
        self.detail: PersonDetail | None = None
        self.history: PersonHistory | None = None
        self.audit: list[AuditEntry] = []
        self.hours: list[YearHours] = []
        self._id_info: IdInfo | None = None
        self._photo_action: str = "keep"  # "keep", "set" or "remove"
        self._pending_photo: bytes | None = None
        self._current_photo: bytes | None = None
        self._errors: dict[str, ErrorLabel] = {}

        #: another office owns this person's record (issue 6, item 3): read-only here, with the owner named
        self.ownership: sync_ownership.Ownership | None = None
        if person_id is not None:
            with ctx.session() as session:
                self.detail = person_views.person_detail(session, person_id)
                self._current_photo = photos.get_photo(session, person_id)
                self.ownership = sync_ownership.person_ownership(session, person_id)
        self.owner_label = QLabel(self)
        self.owner_label.setWordWrap(True)
        self.owner_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.owner_label.setVisible(self.ownership is not None)
        if self.ownership is not None:
            self.owner_label.setText(self.tr("Read only: {0}").format(self.ownership.message))

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._basic_tab(), self.tr("Personal data"))
        self.posts_table = self._table([self.tr("From – to"), self.tr("Unit"), self.tr("Post"), self.tr("A/B"),
                                        self.tr("Full/part time"), self.tr("Reason for start"),
                                        self.tr("Reason for end")])
        self.tabs.addTab(self._posts_tab(), "")
        self.training_table = self._table([self.tr("Year"), self.tr("Training"), self.tr("Kind"), self.tr("Mode"),
                                           self.tr("Hours"), self.tr("Score"), self.tr("Assessment")])
        self.hours_table = self._table([self.tr("Year"), self.tr("Lecture hours"), self.tr("Self-study hours"),
                                        self.tr("Total hours"), self.tr("Trainings")])
        self.tabs.addTab(self._training_tab(), "")
        self.certificates_table = self._table([self.tr("Number"), self.tr("Kind"), self.tr("Issued"),
                                               self.tr("Valid until"), self.tr("Status"), self.tr("Note")])
        self.tabs.addTab(self.certificates_table, "")
        self.evaluations_table = self._table([self.tr("Year"), self.tr("Evaluation"), self.tr("Total"),
                                              self.tr("Grade"), self.tr("Flag")])
        self.tabs.addTab(self.evaluations_table, "")
        self.awards_table = self._table([self.tr("Date"), self.tr("Award"), self.tr("Kind"), self.tr("Document")])
        self.tabs.addTab(self.awards_table, "")
        self.audit_table = self._table([self.tr("Time"), self.tr("By"), self.tr("Record"), self.tr("Action"),
                                        self.tr("Field"), self.tr("Old value"), self.tr("New value")])
        self.tabs.addTab(self.audit_table, "")

        self.general_error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # The whole archive on paper (issue 8, item 3; R10), in a worker behind a save-as dialog.
        self.print_file_button = self.buttons.addButton(self.tr("Print personnel file…"),
                                                        QDialogButtonBox.ButtonRole.ActionRole)
        self.print_file_button.setToolTip(self.tr("The person's whole archive as a PDF: personal data with the "
                                                  "photo, posts, training, certificates, evaluations, awards"))
        self.print_file_button.setEnabled(person_id is not None)
        self.print_file_button.clicked.connect(lambda _checked=False: self.print_personnel_file())
        self.file_status = QLabel("", self)
        self.file_status.setVisible(False)
        self.file_job: Job | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.owner_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.file_status)
        layout.addWidget(self.buttons)

        if self.detail is not None:
            self._load(self.detail)
            self.setWindowTitle(self.tr("Person: {0}").format(self.detail.name))
        else:
            self.setWindowTitle(self.tr("New person"))
            self._id_changed("")
        self._show_photo()
        self.reload_history()
        if self.ownership is not None:
            self._make_read_only()
        self.resize(920, 660)

    def _make_read_only(self) -> None:
        """Another office owns the record: every field shows, nothing can be changed here."""
        for edit in self.basic_page.findChildren(QLineEdit):
            edit.setReadOnly(True)
        for text in self.basic_page.findChildren(QPlainTextEdit):
            text.setReadOnly(True)
        for widget in (*self.basic_page.findChildren(QComboBox), self.import_photo_button, self.remove_photo_button):
            widget.setEnabled(False)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)
        save.setToolTip(self.ownership.message if self.ownership else "")
        self._update_post_buttons()

    # -- building ----------------------------------------------------------------------------------

    def _combo(self, table: dict[str, str], *, empty: bool = True) -> QComboBox:
        combo = QComboBox(self)
        if empty:
            combo.addItem(self.tr("(not entered)"), None)
        for code, label in table.items():
            combo.addItem(label, code)
        return combo

    def _source_combo(self) -> QComboBox:
        groups = {"TWN": self.tr("township manager"), "VIL": self.tr("village site manager"),
                  "ENT": self.tr("enterprise site manager"), "TUT": self.tr("tutor"), "TEC": self.tr("technician")}
        combo = QComboBox(self)
        combo.addItem(self.tr("(not entered)"), None)
        for code, label in codes.SOURCE_CATEGORY.items():
            group = groups.get(code.split("_", 1)[0], "")
            combo.addItem(f"{label}（{group}）" if group else label, code)
        return combo

    def _basic_tab(self) -> QWidget:
        page = QWidget(self)
        self.basic_page = page
        self.name_edit = QLineEdit(page)
        self.name_edit.setMaxLength(50)
        self.id_edit = QLineEdit(page)
        self.id_edit.setMaxLength(22)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
        self.id_edit.setFont(mono)
        self.id_edit.setPlaceholderText(self.tr("18 characters; birth date and gender are filled in from it"))
        self.id_status = QLabel(page)
        self.id_status.setWordWrap(True)
        self.birth_edit = QLineEdit(page)
        self.birth_edit.setReadOnly(True)
        self.birth_edit.setPlaceholderText(self.tr("from the ID number"))
        self.gender_combo = self._combo(codes.GENDER)
        self.gender_combo.setEnabled(False)
        self.gender_combo.setToolTip(self.tr("Filled in from the ID number"))
        self.ethnicity_combo = self._combo(codes.ETHNICITY)
        self.political_combo = self._combo(codes.POLITICAL_STATUS)
        self.education_combo = self._combo(codes.EDUCATION)
        self.source_combo = self._source_combo()
        self.phone_edit = QLineEdit(page)
        self.phone_edit.setMaxLength(30)
        self.employer_edit = QLineEdit(page)
        self.employer_edit.setMaxLength(100)
        self.job_edit = QLineEdit(page)
        self.job_edit.setMaxLength(100)
        self.notes_edit = QPlainTextEdit(page)
        self.notes_edit.setFixedHeight(56)
        self.left_label = QLabel(page)
        self.left_label.setStyleSheet(ERROR_STYLE)
        self.left_label.hide()

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        # (key, label, widget, column); two columns of fields, the ID number across both
        rows: list[list[tuple[str, str, QWidget]]] = [
            [("name", self.tr("Name"), self.name_edit), ("gender", self.tr("Gender"), self.gender_combo)],
            [("id_number", self.tr("ID number"), self.id_edit)],
            [("birth", self.tr("Birth date"), self.birth_edit), ("ethnicity", self.tr("Ethnicity"),
                                                                   self.ethnicity_combo)],
            [("political_status", self.tr("Political status"), self.political_combo),
             ("education", self.tr("Education"), self.education_combo)],
            [("source_category", self.tr("Source"), self.source_combo), ("phone", self.tr("Phone"), self.phone_edit)],
            [("employer", self.tr("Employer"), self.employer_edit), ("job_title", self.tr("Job title"), self.job_edit)],
            [("notes", self.tr("Notes"), self.notes_edit)],
        ]
        r = 0
        for fields in rows:
            for col, (key, label, widget) in enumerate(fields):
                caption = QLabel(label, page)
                caption.setBuddy(widget)
                span = 3 if len(fields) == 1 else 1
                grid.addWidget(caption, r, col * 2, Qt.AlignmentFlag.AlignVCenter)
                grid.addWidget(widget, r, col * 2 + 1, 1, span)
                if key == "id_number":  # its status line, checked as it is typed, also shows save errors
                    grid.addWidget(self.id_status, r + 1, 1, 1, span)
                    continue
                error = ErrorLabel(page)
                grid.addWidget(error, r + 1, col * 2 + 1, 1, span)
                self._errors[key] = error
                clear_on_edit(widget, error)
            r += 2

        self.photo_label = QLabel(page)
        self.photo_label.setFixedSize(*PHOTO_PREVIEW)
        self.photo_label.setFrameShape(QLabel.Shape.Box)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet("background: #f4f4f4; color: #888888;")
        self.import_photo_button = QPushButton(self.tr("Import photo…"), page)
        self.remove_photo_button = QPushButton(self.tr("Remove photo"), page)
        self.import_photo_button.clicked.connect(lambda: self.import_photo())
        self.remove_photo_button.clicked.connect(self.remove_photo)
        photo_hint = QLabel(self.tr("1-inch photo, 25×35 mm"), page)
        photo_hint.setStyleSheet(HINT_STYLE)
        self._errors["photo"] = ErrorLabel(page)
        self._errors["photo"].setMaximumWidth(180)
        photo_box = QVBoxLayout()
        photo_box.addWidget(self.photo_label, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_box.addWidget(photo_hint, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_box.addWidget(self.import_photo_button)
        photo_box.addWidget(self.remove_photo_button)
        photo_box.addWidget(self._errors["photo"])
        photo_box.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(grid, 1)
        body.addSpacing(16)
        body.addLayout(photo_box)
        outer = QVBoxLayout(page)
        outer.addWidget(self.left_label)
        outer.addLayout(body)
        outer.addStretch(1)
        self.id_edit.textChanged.connect(self._id_changed)
        return page

    def _table(self, headers: Sequence[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(list(headers))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        return table

    def _posts_tab(self) -> QWidget:
        page = QWidget(self)
        self.assign_button = QPushButton(self.tr("New post…"), page)
        self.transfer_button = QPushButton(self.tr("Transfer…"), page)
        self.end_button = QPushButton(self.tr("End post…"), page)
        self.sites_button = QPushButton(self.tr("Sites served…"), page)
        self.sites_button.setToolTip(self.tr("The sites an open tutor or technician post serves (R4, R5)"))
        self.assign_button.clicked.connect(lambda: self.assign_post())
        self.sites_button.clicked.connect(lambda: self.edit_served_sites())
        self.transfer_button.clicked.connect(lambda: self.transfer_post())
        self.end_button.clicked.connect(lambda: self.end_post())
        strip = QHBoxLayout()
        for button in (self.assign_button, self.transfer_button, self.end_button, self.sites_button):
            strip.addWidget(button)
        strip.addStretch(1)
        hint = QLabel(self.tr("Posts change with a date and a reason and stay in the history (R12)."), page)
        hint.setStyleSheet(HINT_STYLE)
        strip.addWidget(hint)
        layout = QVBoxLayout(page)
        layout.addLayout(strip)
        layout.addWidget(self.posts_table, 1)
        self.posts_table.itemSelectionChanged.connect(self._update_post_buttons)
        return page

    def _training_tab(self) -> QWidget:
        """The trainings, and under them the hours per year (R8, R10)."""
        page = QWidget(self)
        caption = QLabel(self.tr("Hours per year"), page)
        font = caption.font()
        font.setBold(True)
        caption.setFont(font)
        self.hours_table.setMaximumHeight(170)
        layout = QVBoxLayout(page)
        layout.addWidget(self.training_table, 3)
        layout.addWidget(caption)
        layout.addWidget(self.hours_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.record_status, 1)
        row.addWidget(self.print_record_button)
        layout.addLayout(row)
        return page

    def print_training_record(self) -> str | None:
        """The person's training record (培训记录, R8/R10) as a PDF; returns the path written.

        One person's record is a page or two (~50 ms), so it is rendered here rather than in a worker."""
        if self.person_id is None or self.detail is None:
            return None
        path = self.choose_save_path(self, self.tr("Save the training record"), f"培训记录-{self.detail.name}.pdf")
        if not path:
            return None
        try:
            with self.ctx.session() as session:
                data = training_print.training_record_pdf(session, [self.person_id])
            Path(path).write_bytes(data)
        except (ValidationError, OSError) as exc:
            text = exc.text() if isinstance(exc, ValidationError) else str(exc)
            self.record_status.setStyleSheet(ERROR_STYLE)
            self.record_status.setText(self.tr("Not printed: {0}").format(text))
            return None
        self.record_status.setStyleSheet("")
        self.record_status.setText(self.tr("Training record saved to {0}").format(path))
        return path

    def print_personnel_file(self) -> Job | None:
        """The person's archive (档案, R10) as a PDF, written in a worker; None when there is nothing to do."""
        if self.person_id is None or self.detail is None:
            return None
        path = self.choose_save_path(self, self.tr("Save the personnel file"), f"人员档案-{self.detail.name}.pdf")
        if not path:
            return None
        target = Path(path) if Path(path).suffix.lower() == ".pdf" else Path(f"{path}.pdf")
        ctx, person_id = self.ctx, self.person_id

        def work() -> Generator[Progress, None, bytes]:
            with ctx.session() as session:
                pdf: bytes = yield from personnel_file.personnel_file_steps(session, person_id)
                return pdf

        def say(text: str, *, error: bool = False) -> None:
            self.file_status.setStyleSheet(ERROR_STYLE if error else "")
            self.file_status.setText(text)
            self.file_status.setVisible(True)

        def done(result: object) -> None:
            try:
                write_file_safely(target, result if isinstance(result, bytes) else b"", overwrite=True)
            except OSError as exc:
                say(self.tr("Not printed: {0}").format(exc), error=True)
                return
            say(self.tr("Personnel file saved to {0}").format(target))

        def failed(exc: Exception) -> None:
            say(self.tr("Not printed: {0}").format(exc.text() if isinstance(exc, ValidationError) else exc),
                error=True)

        self.file_job = run_with_progress(self, self.tr("Printing the personnel file"), work, on_done=done,
                                          on_error=failed)
        return self.file_job

    # -- loading -----------------------------------------------------------------------------------

    @staticmethod
    def _set_combo(combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code) if code else 0
        combo.setCurrentIndex(max(index, 0))

    def _load(self, d: PersonDetail) -> None:
        self.name_edit.setText(d.name)
        self.id_edit.setText(d.id_number)  # the full number: only the editor shows it
        self._set_combo(self.ethnicity_combo, d.ethnicity)
        self._set_combo(self.political_combo, d.political_status)
        self._set_combo(self.education_combo, d.education)
        self._set_combo(self.source_combo, d.source_category)
        self.phone_edit.setText(d.phone or "")
        self.employer_edit.setText(d.employer or "")
        self.job_edit.setText(d.job_title or "")
        self.notes_edit.setPlainText(d.notes or "")
        if d.left_on is not None:
            reason = f"（{d.left_reason}）" if d.left_reason else ""
            self.left_label.setText(self.tr("Left the team on {0}").format(d.left_on.isoformat()) + reason)
            self.left_label.show()

    def reload_history(self) -> None:
        """Fill the archive tabs (again, after a post changed)."""
        has_person = self.person_id is not None
        if has_person:
            with self.ctx.session() as session:
                self.history = person_views.person_history(session, self.person_id)
                self.audit = person_views.audit_trail(session, self.person_id)
                self.hours = training_views.hours_per_year(session, self.person_id)
        else:
            self.history = PersonHistory([], [], [], [], [])
            self.audit = []
            self.hours = []
        h = self.history
        now = self.tr("now")
        self._fill(self.posts_table, [[
            f"{p.start_date.isoformat()} – {p.end_date.isoformat() if p.end_date else now}",
            p.place, p.role_label, p.slot_label, p.tenure_label, p.start_reason or "", p.end_reason or ""]
            for p in h.posts], bold=[p.is_open for p in h.posts], ids=[p.id for p in h.posts])
        self._fill(self.training_table, [[
            str(t.year), t.plan_title, t.kind_label, t.mode_label, _number(t.hours), _number(t.score),
            "" if t.passed is None else (self.tr("passed") if t.passed else self.tr("not passed"))]
            for t in h.training])
        self._fill(self.hours_table, [[
            str(y.year), _number(y.lecture_hours), _number(y.self_study_hours), _number(y.total), str(y.trainings)]
            for y in self.hours])  # oldest first, as the trainings above
        self._fill(self.certificates_table, [[
            c.number, c.kind_label, _date(c.issue_date), _date(c.valid_until), c.status_label, c.status_reason or ""]
            for c in h.certificates])
        self._fill(self.evaluations_table, [[
            str(e.year), e.round_name, _number(e.total), e.grade_label, self.tr("for adjustment") if e.unfit else ""]
            for e in h.evaluations])
        self._fill(self.awards_table, [[_date(a.awarded_on), a.title, a.kind_label, a.document_no or ""]
                                       for a in h.awards])
        self._fill(self.audit_table, wrap=True, rows=[[
            a.at.strftime("%Y-%m-%d %H:%M:%S"), a.account, a.subject, a.action, a.field, a.old_value, a.new_value]
            for a in self.audit])
        titles = {TAB_POSTS: self.tr("Posts ({0})"), TAB_TRAINING: self.tr("Training ({0})"),
                  TAB_CERTIFICATES: self.tr("Certificates ({0})"), TAB_EVALUATIONS: self.tr("Evaluations ({0})"),
                  TAB_AWARDS: self.tr("Awards ({0})"), TAB_AUDIT: self.tr("Audit trail ({0})")}
        counts = {TAB_POSTS: len(h.posts), TAB_TRAINING: len(h.training), TAB_CERTIFICATES: len(h.certificates),
                  TAB_EVALUATIONS: len(h.evaluations), TAB_AWARDS: len(h.awards), TAB_AUDIT: len(self.audit)}
        for tab, title in titles.items():
            self.tabs.setTabText(tab, title.format(counts[tab]))
            self.tabs.setTabEnabled(tab, has_person)
            self.tabs.setTabToolTip(tab, "" if has_person else self.tr("Save the person first"))
        self._update_post_buttons()

    def _fill(self, table: QTableWidget, rows: list[list[str]], *, bold: list[bool] | None = None,
              ids: list[str] | None = None, wrap: bool = False) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if bold and bold[r]:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if ids is not None and c == 0:
                    item.setData(POST_ID_ROLE, ids[r])
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for c in range(table.columnCount()):
            if header.sectionSize(c) > 260:
                header.resizeSection(c, 260)
        if wrap:  # long values (a whole new record) wrap instead of being cut
            table.setWordWrap(True)
            table.resizeRowsToContents()

    # -- the ID number, as it is typed -------------------------------------------------------------

    def _id_changed(self, text: str) -> None:
        raw = "".join(text.split()).upper()
        if not raw:
            self._id_info = None
            self.id_status.setStyleSheet(HINT_STYLE)
            self.id_status.setText(self.tr("Type the 18-character ID number; birth date and gender follow from it."))
            self._show_derived(None)
            return
        try:
            info = parse_id_number(raw)
        except ValidationError as exc:
            self._id_info = None
            typing = len(raw) < 18 and raw.isascii() and raw.isdigit()
            self.id_status.setStyleSheet(HINT_STYLE if typing else ERROR_STYLE)
            self.id_status.setText(exc.message)  # exactly what the service says is wrong
            self._show_derived(None)
            return
        self._id_info = info
        self.id_status.setStyleSheet(OK_STYLE)
        self.id_status.setText(self.tr("✓ Valid: born {0}, {1}, {2} years old").format(
            info.birth_date.isoformat(), codes.label(codes.GENDER, info.gender), info.age_on(dt.date.today())))
        self._show_derived(info)

    def _show_derived(self, info: IdInfo | None) -> None:
        if info is None:
            self.birth_edit.clear()
            self.gender_combo.setCurrentIndex(0)
            return
        self.birth_edit.setText(info.birth_date.isoformat())
        self._set_combo(self.gender_combo, info.gender)

    # -- the photo ---------------------------------------------------------------------------------

    def _shown_photo(self) -> bytes | None:
        if self._photo_action == "set":
            return self._pending_photo
        if self._photo_action == "remove":
            return None
        return self._current_photo

    def _show_photo(self) -> None:
        data = self._shown_photo()
        if data:
            image = QImage.fromData(data)
            self.photo_label.setPixmap(QPixmap.fromImage(image).scaled(
                self.photo_label.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(self.tr("no photo"))
        self.remove_photo_button.setEnabled(bool(data))

    def import_photo(self, path: str | None = None) -> bool:
        """Open a picture, crop it to 25:35 and keep it for saving; False if nothing changed."""
        self._errors["photo"].clear_error()
        path = path or self.choose_file(self)
        if not path:
            return False
        image = load_image(path)
        if image.isNull():
            self._errors["photo"].show_error(self.tr("Cannot read this file as a picture."))
            return False
        return self.crop_photo(image)

    def crop_photo(self, image: QImage) -> bool:
        crop = PhotoCropDialog(image, self)
        if not self.run_dialog(crop) or crop.jpeg is None:
            return False
        try:
            photos.check_photo(crop.jpeg)
        except ValidationError as exc:
            self._errors["photo"].show_error(inline_text(exc))
            return False
        self._pending_photo = crop.jpeg
        self._photo_action = "set"
        self._show_photo()
        return True

    def remove_photo(self) -> None:
        self._photo_action = "remove"
        self._pending_photo = None
        self._show_photo()

    # -- posts -------------------------------------------------------------------------------------

    def _selected_post(self) -> PostRecord | None:
        if self.history is None:
            return None
        rows = self.posts_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.posts_table.item(rows[0].row(), 0)
        post_id = item.data(POST_ID_ROLE) if item else None
        return next((p for p in self.history.posts if p.id == post_id), None)

    def select_post(self, post_id: str) -> None:
        for r in range(self.posts_table.rowCount()):
            item = self.posts_table.item(r, 0)
            if item is not None and item.data(POST_ID_ROLE) == post_id:
                self.posts_table.selectRow(r)
                return

    def _update_post_buttons(self) -> None:
        post = self._selected_post()
        if getattr(self, "ownership", None) is not None:  # another office's record (issue 6, item 3)
            for button in (self.assign_button, self.transfer_button, self.end_button, self.sites_button):
                button.setEnabled(False)
            return
        active = self.person_id is not None and (self.detail is None or self.detail.left_on is None)
        self.assign_button.setEnabled(active)
        self.transfer_button.setEnabled(active and post is not None and post.is_open)
        self.end_button.setEnabled(post is not None and post.is_open)
        self.sites_button.setEnabled(post is not None and post.is_open and post.role in SERVING_ROLES)

    def _after_post_dialog(self, dialog: QDialog) -> None:
        if self.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.reload_history()

    def assign_post(self) -> AssignPostDialog | None:
        if self.person_id is None:
            return None
        dialog = AssignPostDialog(self.ctx, person_id=self.person_id, parent=self, confirm=self.confirm)
        self._after_post_dialog(dialog)
        return dialog

    def transfer_post(self) -> TransferPostDialog | None:
        post = self._selected_post()
        if post is None or not post.is_open:
            return None
        dialog = TransferPostDialog(self.ctx, post.id, self, confirm=self.confirm)
        self._after_post_dialog(dialog)
        return dialog

    def end_post(self) -> EndPostDialog | None:
        post = self._selected_post()
        if post is None or not post.is_open:
            return None
        dialog = EndPostDialog(self.ctx, post.id, self, confirm=self.confirm)
        self._after_post_dialog(dialog)
        return dialog

    def edit_served_sites(self) -> ServedSitesDialog | None:
        post = self._selected_post()
        if post is None or not post.is_open or post.role not in SERVING_ROLES:
            return None
        dialog = ServedSitesDialog(self.ctx, post.id, self)
        self._after_post_dialog(dialog)
        return dialog

    # -- saving ------------------------------------------------------------------------------------

    def error_label(self, key: str) -> ErrorLabel:
        return self._errors[key]

    def errors_text(self) -> str:
        """Every refusal now shown, the ID number's status line included when it is red."""
        texts = [lb.text() for lb in (*self._errors.values(), self.general_error) if lb.text()]
        if self.id_status.styleSheet() == ERROR_STYLE:
            texts.insert(0, self.id_status.text())
        return "\n".join(texts)

    def person_input(self) -> PersonInput:
        """What the form says; birth date is left to the ID number."""
        def code(combo: QComboBox) -> str | None:
            value = combo.currentData()
            return str(value) if value else None

        return PersonInput(
            name=self.name_edit.text(), id_number=self.id_edit.text(), gender=code(self.gender_combo),
            birth_date=None, ethnicity=code(self.ethnicity_combo), political_status=code(self.political_combo),
            education=code(self.education_combo), phone=self.phone_edit.text(), employer=self.employer_edit.text(),
            job_title=self.job_edit.text(), source_category=code(self.source_combo),
            notes=self.notes_edit.toPlainText())

    def id_status_text(self) -> str:
        return self.id_status.text()

    def _show_error(self, exc: ValidationError) -> None:
        key = self.FIELD_KEYS.get(exc.field or "")
        if key == "id_number":
            self.id_status.setStyleSheet(ERROR_STYLE)
            self.id_status.setText(inline_text(exc))
            self.tabs.setCurrentIndex(TAB_BASIC)
        elif key in self._errors:
            self._errors[key].show_error(inline_text(exc))
            self.tabs.setCurrentIndex(TAB_BASIC)
        else:
            self.general_error.show_error(exc.text())

    def accept(self) -> None:
        for label in (*self._errors.values(), self.general_error):
            label.clear_error()
        self._id_changed(self.id_edit.text())
        data = self.person_input()
        try:
            with self.ctx.session() as session:  # person and photo together, or nothing
                if self.person_id is None:
                    self.saved = add_person(session, data)
                else:
                    changes = {name: getattr(data, name) for name in data.__dataclass_fields__}
                    self.saved = update_person(  # another clerk's save since opening is refused (issue 10)
                        session, self.person_id,
                        expected_version=self.detail.row_version if self.detail is not None else None, **changes)
                if self._photo_action == "set" and self._pending_photo is not None:
                    photos.set_photo(session, self.saved.id, self._pending_photo)
                elif self._photo_action == "remove":
                    photos.remove_photo(session, self.saved.id)
        except ValidationError as exc:
            self.saved = None
            self._show_error(exc)
            return
        self.person_id = self.saved.id
        self.ctx.notify("people")
        super().accept()
