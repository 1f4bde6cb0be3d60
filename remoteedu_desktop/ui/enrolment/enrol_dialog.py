"""Enrolment in a plan in one step (R6, R8, R11): the roster on top, "add by filter" below, and a single
add by name.

"All village site managers of 龙潭镇 without an on-duty certificate" is a role, a unit and two check
boxes; Preview lists who that selects (those already enrolled greyed), the clerk unticks whom they do
not want, and "Enrol all checked" enrols the rest in one transaction, with a summary of what happened
(added / restored / already enrolled). Removing asks first; removing someone whose attendance or
score is recorded asks a second time, naming them, and then drops those records with the enrolment.

Every change is written at once (one transaction each) and announced with ``ctx.notify("training")``.
Questions go through ``self.confirm`` so tests never enter a modal loop.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import offices, site_views, training_enrolment, training_plans
from ...services.training_enrolment import Candidate, EnrolFilter, EnrolledPerson, EnrolResult
from ..context import AppContext
from ..staff.post_dialogs import ConfirmFn, PersonPicker, ask_confirmation
from .common import ERROR_STYLE, HINT_STYLE, MUTED_COLOUR, OK_STYLE, error_text

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: The unit kinds offered in the unit filter: townships and every kind of site (R1).
FILTER_UNIT_KINDS = frozenset({"township", *codes.SITE_KINDS})
R_NAME, R_GENDER, R_UNIT, R_POST, R_PHONE, R_RECORDS = range(6)
C_NAME, C_UNIT, C_POST, C_STATUS = range(4)


def _table(parent: QWidget, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setDefaultSectionSize(24)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _item(text: str, person_id: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    if person_id is not None:
        item.setData(PERSON_ID_ROLE, person_id)
    return item


class EnrolDialog(QDialog):
    """Who is enrolled in one plan, and adding or removing people."""

    def __init__(self, ctx: AppContext, plan_id: str, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.confirm: ConfirmFn = confirm or ask_confirmation
        self.roster: list[EnrolledPerson] = []
        self.candidates: list[Candidate] = []
        self.last_result: EnrolResult | None = None
        with ctx.session() as session:
            self.plan = training_plans.get_plan(session, plan_id)
            office = offices.office_info(session)
            self._units = site_views.unit_choices(session, kinds=FILTER_UNIT_KINDS, under_unit_id=office.unit_id)
        self._office_unit_id = office.unit_id
        self._office_name = office.name
        self.setWindowTitle(self.tr("Enrolment: {0}").format(self.plan.title))

        header = QLabel(self.tr("{0} · {1} · for {2} · {3}").format(
            self.plan.title, self.plan.kind_label, self.plan.target_role_label, self.plan.organizer_label), self)
        header.setWordWrap(True)
        font = header.font()
        font.setBold(True)
        header.setFont(font)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self._roster_box())
        splitter.addWidget(self._filter_box())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._single_box())
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(1080, 720)
        self.reload_roster()
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------------

    def _roster_box(self) -> QGroupBox:
        self.roster_box = QGroupBox(self)
        self.roster_table = _table(self.roster_box, [self.tr("Name"), self.tr("Gender"), self.tr("Unit"),
                                                     self.tr("Post"), self.tr("Phone"), self.tr("Records")])
        self.roster_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.roster_table.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton(self.tr("Remove…"), self.roster_box)
        self.remove_button.setToolTip(self.tr("Remove the selected people from this training"))
        self.remove_button.clicked.connect(lambda: self.remove_selected())
        hint = QLabel(self.tr("Select several rows with Ctrl or Shift."), self.roster_box)
        hint.setStyleSheet(HINT_STYLE)
        strip = QHBoxLayout()
        strip.addWidget(self.remove_button)
        strip.addWidget(hint)
        strip.addStretch(1)
        layout = QVBoxLayout(self.roster_box)
        layout.addWidget(self.roster_table, 1)
        layout.addLayout(strip)
        return self.roster_box

    def _filter_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Add by filter"), self)
        self.role_combo = QComboBox(box)
        self.role_combo.addItem(self.tr("Any role"), None)
        for code, label in codes.ROLE.items():
            self.role_combo.addItem(label, code)
        # The plan's own target role is the usual choice (R6: each training serves one kind of staff).
        self.role_combo.setCurrentIndex(max(self.role_combo.findData(self.plan.target_role), 0))
        self.unit_combo = QComboBox(box)
        self.unit_combo.setMaxVisibleItems(25)
        self.unit_combo.addItem(self.tr("Whole office ({0})").format(self._office_name) if self._office_name
                                else self.tr("Whole office"), self._office_unit_id)
        for unit in self._units:
            if unit.id == self._office_unit_id:
                continue
            label = f"{unit.township_name} / {unit.name}" if unit.township_name else unit.name
            self.unit_combo.addItem(label, unit.id)
        self.without_certificate = QCheckBox(self.tr("without a valid on-duty certificate"), box)
        self.without_pre_job = QCheckBox(self.tr("never passed pre-job training"), box)
        self.preview_button = QPushButton(self.tr("Preview"), box)
        self.preview_button.setDefault(False)
        self.preview_button.setAutoDefault(False)
        self.preview_button.clicked.connect(lambda: self.preview())
        # Once a preview is on screen it follows the filter: what "Enrol all checked" enrols always
        # matches the filter shown.
        self._previewed = False
        for combo in (self.role_combo, self.unit_combo):
            combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        for box_ in (self.without_certificate, self.without_pre_job):
            box_.toggled.connect(lambda _on: self._filter_changed())
        row = QHBoxLayout()
        for caption, widget in ((self.tr("Role"), self.role_combo), (self.tr("Unit"), self.unit_combo)):
            label = QLabel(caption, box)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1)
        row.addWidget(self.without_certificate)
        row.addWidget(self.without_pre_job)
        row.addWidget(self.preview_button)

        self.candidate_table = _table(box, [self.tr("Name"), self.tr("Unit"), self.tr("Post"), self.tr("Status")])
        self.candidate_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.candidate_table.itemChanged.connect(lambda _item: self._update_buttons())
        self.check_all_button = QPushButton(self.tr("Check all"), box)
        self.check_none_button = QPushButton(self.tr("Check none"), box)
        self.enrol_button = QPushButton(self.tr("Enrol all checked"), box)
        self.check_all_button.clicked.connect(lambda: self.set_all_checked(True))
        self.check_none_button.clicked.connect(lambda: self.set_all_checked(False))
        self.enrol_button.clicked.connect(lambda: self.enrol_checked())
        self.preview_note = QLabel(box)
        self.preview_note.setStyleSheet(HINT_STYLE)
        actions = QHBoxLayout()
        actions.addWidget(self.check_all_button)
        actions.addWidget(self.check_none_button)
        actions.addWidget(self.preview_note, 1)
        actions.addWidget(self.enrol_button)
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.candidate_table, 1)
        layout.addLayout(actions)
        return box

    def _single_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Add one person"), self)
        self.picker = PersonPicker(self.ctx, box)
        self.add_one_button = QPushButton(self.tr("Enrol"), box)
        self.add_one_button.setAutoDefault(False)
        self.add_one_button.clicked.connect(lambda: self.enrol_picked())
        self.picker.combo.currentIndexChanged.connect(lambda _i: self._update_buttons())
        layout = QHBoxLayout(box)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.add_one_button, 0, Qt.AlignmentFlag.AlignBottom)
        return box

    # -- state -------------------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.selected_roster_ids()))
        checked = len(self.checked_ids())
        self.enrol_button.setEnabled(checked > 0)
        self.enrol_button.setText(self.tr("Enrol all checked ({0})").format(checked) if checked
                                  else self.tr("Enrol all checked"))
        self.add_one_button.setEnabled(self.picker.person_id() is not None)

    def current_filter(self) -> EnrolFilter:
        role = self.role_combo.currentData()
        unit = self.unit_combo.currentData()
        return EnrolFilter(role=str(role) if role else None, unit_id=str(unit) if unit else None,
                           without_on_duty_certificate=self.without_certificate.isChecked(),
                           without_pre_job_training=self.without_pre_job.isChecked())

    def set_filter(self, *, role: str | None = None, unit_id: str | None = None,
                   without_certificate: bool = False, without_pre_job: bool = False) -> None:
        """Set the filter fields (for callers that know what they want, and for tests)."""
        self.role_combo.setCurrentIndex(max(self.role_combo.findData(role), 0))
        if unit_id is None:
            self.unit_combo.setCurrentIndex(0)
        else:
            index = self.unit_combo.findData(unit_id)
            if index < 0:
                raise ValueError(f"unit {unit_id} is not offered")
            self.unit_combo.setCurrentIndex(index)
        self.without_certificate.setChecked(without_certificate)
        self.without_pre_job.setChecked(without_pre_job)

    # -- the roster --------------------------------------------------------------------------------

    def reload_roster(self) -> None:
        with self.ctx.session() as session:
            self.roster = training_enrolment.enrolled(session, self.plan_id)
        table = self.roster_table
        table.setSortingEnabled(False)
        table.setRowCount(len(self.roster))
        records = self.tr("recorded")
        for r, p in enumerate(self.roster):
            values = [p.name, p.gender, p.unit, p.post, p.phone_masked, records if p.has_records else ""]
            for c, value in enumerate(values):
                table.setItem(r, c, _item(value, p.person_id if c == R_NAME else None))
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):
            table.horizontalHeader().resizeSection(c, min(max(table.horizontalHeader().sectionSize(c), 70), 260))
        self.roster_box.setTitle(self.tr("Enrolled ({0})").format(len(self.roster)))
        self._update_buttons()

    def roster_ids(self) -> list[str]:
        return [p.person_id for p in self.roster]

    def selected_roster_ids(self) -> list[str]:
        rows = sorted({index.row() for index in self.roster_table.selectionModel().selectedRows()})
        return [self.roster[r].person_id for r in rows if r < len(self.roster)]

    def select_roster(self, person_ids: Sequence[str]) -> None:
        wanted = set(person_ids)
        self.roster_table.clearSelection()
        mode = self.roster_table.selectionMode()
        self.roster_table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for r, p in enumerate(self.roster):
            if p.person_id in wanted:
                self.roster_table.selectRow(r)
        self.roster_table.setSelectionMode(mode)

    def remove_selected(self) -> int:
        """Remove the selected people after confirming; those with records only after a second, explicit
        confirmation that names them (their attendance and scores go with them, R8)."""
        ids = self.selected_roster_ids()
        if not ids:
            return 0
        chosen = [p for p in self.roster if p.person_id in set(ids)]
        names = "、".join(p.name for p in chosen)
        title = self.tr("Remove from the training")
        if not self.confirm(self, title, self.tr("Remove {0} from “{1}”?").format(names, self.plan.title)):
            return 0
        with_records = [p for p in chosen if p.has_records]
        drop = False
        if with_records:
            question = self.tr("{0} already have attendance, self-study hours or a score recorded in this "
                               "training. Removing them deletes these records as well. Remove and delete the "
                               "records?").format("、".join(p.name for p in with_records))
            if not self.confirm(self, title, question):
                self._say(self.tr("Nobody was removed."))
                return 0
            drop = True
        try:
            with self.ctx.session() as session:
                removed = training_enrolment.unenrol(session, self.plan_id, ids, drop_records=drop)
        except ValidationError as exc:
            self._say(error_text(exc), error=True)
            return 0
        self._changed()
        if self._previewed:
            self.preview()  # those removed can be checked again
        self._say(self.tr("Removed: {0}.").format(removed))
        return removed

    # -- adding ------------------------------------------------------------------------------------

    def _filter_changed(self) -> None:
        if self._previewed:
            self.preview()

    def preview(self) -> list[Candidate]:
        """List whom the filter selects; those not yet enrolled are checked."""
        self._previewed = True
        try:
            with self.ctx.session() as session:
                self.candidates = training_enrolment.candidates(session, self.plan_id, self.current_filter())
        except ValidationError as exc:
            self._say(error_text(exc), error=True)
            return []
        self._fill_candidates()
        self._say("")
        return self.candidates

    def _fill_candidates(self) -> None:
        table = self.candidate_table
        table.blockSignals(True)
        table.setRowCount(len(self.candidates))
        grey = QBrush(QColor(MUTED_COLOUR))
        enrolled_text, new_text = self.tr("enrolled already"), self.tr("not enrolled")
        for r, c in enumerate(self.candidates):
            items = [_item(c.name, c.person_id), _item(c.unit), _item(c.post),
                     _item(enrolled_text if c.enrolled else new_text)]
            if c.enrolled:  # shown, greyed, never checkable: they are in already
                for item in items:
                    item.setForeground(grey)
                    item.setFlags(Qt.ItemFlag.ItemIsSelectable)
            else:
                items[C_NAME].setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                       | Qt.ItemFlag.ItemIsUserCheckable)
                items[C_NAME].setCheckState(Qt.CheckState.Checked)
            for col, item in enumerate(items):
                table.setItem(r, col, item)
        table.blockSignals(False)
        table.resizeColumnsToContents()
        for col in range(table.columnCount()):
            table.horizontalHeader().resizeSection(col, min(max(table.horizontalHeader().sectionSize(col), 80), 280))
        new = sum(1 for c in self.candidates if not c.enrolled)
        self.preview_note.setText(self.tr("{0} found, {1} of them not enrolled yet.").format(
            len(self.candidates), new) if self.candidates else self.tr("Nobody matches the filter."))
        self._update_buttons()

    def checked_ids(self) -> list[str]:
        out = []
        for r in range(self.candidate_table.rowCount()):
            item = self.candidate_table.item(r, C_NAME)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable \
                    and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(PERSON_ID_ROLE)))
        return out

    def set_checked(self, person_id: str, checked: bool) -> None:
        self._set_checked([person_id], checked)

    def set_all_checked(self, checked: bool) -> None:
        self._set_checked([c.person_id for c in self.candidates if not c.enrolled], checked)

    def _set_checked(self, person_ids: Sequence[str], checked: bool) -> None:
        rows = {c.person_id: r for r, c in enumerate(self.candidates)}
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.candidate_table.blockSignals(True)  # one update at the end, not one per row
        for pid in person_ids:
            item = self.candidate_table.item(rows[pid], C_NAME) if pid in rows else None
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(state)
        self.candidate_table.blockSignals(False)
        self.candidate_table.viewport().update()
        self._update_buttons()

    def enrol_checked(self) -> EnrolResult | None:
        """Enrol every checked candidate in one transaction; say what happened."""
        ids = self.checked_ids()
        if not ids:
            self._say(self.tr("Nobody is checked."), error=True)
            return None
        shown_enrolled = sum(1 for c in self.candidates if c.enrolled)
        result = self._enrol(ids)
        if result is None:
            return None
        # "already" counts those the filter found enrolled already, as enrolling by the filter would.
        self.last_result = EnrolResult(result.added, result.restored, result.already + shown_enrolled)
        self.preview()  # the preview now shows them enrolled
        self._say(self.summary_text(self.last_result))
        return self.last_result

    def enrol_picked(self) -> EnrolResult | None:
        """Enrol the person chosen in the single-add picker."""
        person_id = self.picker.person_id()
        if person_id is None:
            return None
        result = self._enrol([person_id])
        if result is None:
            return None
        self.last_result = result
        name = self.picker.person_name()
        if self.candidates:
            self.preview()  # the preview marks them enrolled
        self._say(self.tr("{0} is enrolled already.").format(name) if result.already
                  else self.tr("{0} enrolled.").format(name))
        return result

    def _enrol(self, person_ids: list[str]) -> EnrolResult | None:
        try:
            with self.ctx.session() as session:
                result = training_enrolment.enrol(session, self.plan_id, person_ids)
        except ValidationError as exc:
            self._say(error_text(exc), error=True)
            return None
        if result.added or result.restored:
            self._changed()
        return result

    def summary_text(self, result: EnrolResult) -> str:
        return self.tr("Added {0}, restored {1} removed earlier, {2} enrolled already.").format(
            result.added, result.restored, result.already)

    def _changed(self) -> None:
        self.reload_roster()
        self.ctx.notify("training")
