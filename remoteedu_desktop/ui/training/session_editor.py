"""One session of a plan (R8): date, times, hours, place and the instructor.

The instructor is a tutor from the archive (picked by name, pinyin initials or the end of the ID number)
or an outsider named in text. Hours follow the times until the clerk types them. After a save the
clashes of the session (an enrolled person or the instructor in two places at once) are shown in the
dialog as a warning: the save stands, the clerk decides what to move.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ...errors import ValidationError
from ...services import training_plans
from ...services.training_plans import Clash, PlanInfo, SessionInfo, SessionInput
from ..context import AppContext
from ..staff.post_dialogs import (
    ERROR_STYLE,
    HINT_STYLE,
    ErrorLabel,
    PersonPicker,
    inline_text,
    to_date,
    to_qdate,
)
from .common import to_qtime, to_time

NO_INSTRUCTOR, TUTOR, OUTSIDER = range(3)


class SessionEditorDialog(QDialog):
    """Add a session to a plan (``session_id=None``) or change one; ``saved`` holds the result."""

    FIELD_KEYS = {"日期": "date", "培训日期": "date", "开始时间": "time", "结束时间": "time", "时间": "time",
                  "学时": "hours", "地点": "place", "培训地点": "place", "授课人": "instructor",
                  "授课教师": "instructor", "教师": "instructor", "备注": "notes"}

    def __init__(self, ctx: AppContext, plan_id: str, session_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.session_id = session_id
        self.saved: SessionInfo | None = None
        self.clashes: list[Clash] = []
        existing: SessionInfo | None = None
        with ctx.session() as session:
            self.plan: PlanInfo = training_plans.get_plan(session, plan_id)
            if session_id is not None:
                existing = training_plans.get_session(session, session_id)
        self.setWindowTitle(self.tr("New session") if session_id is None else self.tr("Edit session"))
        self._hours_typed = False

        self.header = QLabel(self.tr("Plan: {0}").format(self.plan.title), self)
        self.header.setWordWrap(True)
        self.header.setStyleSheet("font-weight: bold;")
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(to_qdate(self._default_date()))
        self.times_check = QCheckBox(self.tr("from"), self)
        self.times_check.setChecked(True)
        self.start_edit = QTimeEdit(QTime(9, 0), self)
        self.start_edit.setDisplayFormat("HH:mm")
        self.end_edit = QTimeEdit(QTime(11, 30), self)
        self.end_edit.setDisplayFormat("HH:mm")
        self.hours_spin = QDoubleSpinBox(self)
        self.hours_spin.setRange(0, 24)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setSuffix(self.tr(" h"))
        self.place_edit = QLineEdit(self)
        self.place_edit.setMaxLength(200)
        self.place_edit.setPlaceholderText(self.tr("e.g. township Party school, meeting room 2"))
        self.instructor_group = QButtonGroup(self)
        self.no_instructor_radio = QRadioButton(self.tr("not set"), self)
        self.tutor_radio = QRadioButton(self.tr("a tutor from the archive"), self)
        self.outsider_radio = QRadioButton(self.tr("an outside instructor"), self)
        for i, radio in enumerate((self.no_instructor_radio, self.tutor_radio, self.outsider_radio)):
            self.instructor_group.addButton(radio, i)
        self.tutor_picker = PersonPicker(ctx, self)
        self.outsider_edit = QLineEdit(self)
        self.outsider_edit.setMaxLength(50)
        self.outsider_edit.setPlaceholderText(self.tr("Name of the outside instructor, e.g. 县农业局 王工"))
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(48)

        self._errors: dict[str, ErrorLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        times = QWidget(self)
        times_layout = QHBoxLayout(times)
        times_layout.setContentsMargins(0, 0, 0, 0)
        times_layout.addWidget(self.times_check)
        times_layout.addWidget(self.start_edit)
        times_layout.addWidget(QLabel(self.tr("to"), times))
        times_layout.addWidget(self.end_edit)
        times_layout.addStretch(1)
        radios = QWidget(self)
        radios_layout = QHBoxLayout(radios)
        radios_layout.setContentsMargins(0, 0, 0, 0)
        for radio in (self.no_instructor_radio, self.tutor_radio, self.outsider_radio):
            radios_layout.addWidget(radio)
        radios_layout.addStretch(1)
        self.hours_hint = QLabel(self.tr("Filled in from the times; type to change."), self)
        self.hours_hint.setStyleSheet(HINT_STYLE)
        hours_row = QWidget(self)
        hours_layout = QHBoxLayout(hours_row)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self.hours_spin)
        hours_layout.addWidget(self.hours_hint, 1)
        rows: list[tuple[str, str, QWidget]] = [
            ("date", self.tr("Date"), self.date_edit), ("time", self.tr("Time"), times),
            ("hours", self.tr("Hours"), hours_row), ("place", self.tr("Place"), self.place_edit),
            ("instructor", self.tr("Instructor"), radios)]
        row = 0
        for key, caption, widget in rows:
            label = QLabel(caption, self)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            row += 1
            if key == "instructor":
                grid.addWidget(self.tutor_picker, row, 1)
                grid.addWidget(self.outsider_edit, row + 1, 1)
                row += 2
            error = ErrorLabel(self)
            grid.addWidget(error, row, 1)
            self._errors[key] = error
            row += 1
        notes_label = QLabel(self.tr("Notes"), self)
        grid.addWidget(notes_label, row, 0)
        grid.addWidget(self.notes_edit, row, 1)
        self._errors["notes"] = ErrorLabel(self)
        grid.addWidget(self._errors["notes"], row + 1, 1)

        self.general_error = ErrorLabel(self)
        self.clash_label = QLabel(self)
        self.clash_label.setWordWrap(True)
        self.clash_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.clash_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(grid)
        layout.addWidget(self.general_error)
        layout.addWidget(self.clash_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        self.times_check.toggled.connect(self._times_toggled)
        self.start_edit.timeChanged.connect(self._times_changed)
        self.end_edit.timeChanged.connect(self._times_changed)
        self.hours_spin.valueChanged.connect(self._hours_edited)
        self.instructor_group.idToggled.connect(self._instructor_kind_changed)
        self.date_edit.dateChanged.connect(self._errors["date"].clear_error)
        for edit in (self.start_edit, self.end_edit):
            edit.timeChanged.connect(self._errors["time"].clear_error)
        self.hours_spin.valueChanged.connect(self._errors["hours"].clear_error)
        self.place_edit.textChanged.connect(self._errors["place"].clear_error)
        self.tutor_picker.combo.currentIndexChanged.connect(self._errors["instructor"].clear_error)
        self.outsider_edit.textChanged.connect(self._errors["instructor"].clear_error)

        self.no_instructor_radio.setChecked(True)
        if existing is not None:
            self._load(existing)
        else:
            self._times_changed()
        self._instructor_kind_changed()

    def _default_date(self) -> dt.date:
        """A new session starts on the plan's first day when it has one, else today."""
        return self.plan.start_date or dt.date.today()

    # -- state -------------------------------------------------------------------------------------

    def _load(self, info: SessionInfo) -> None:
        self.date_edit.setDate(to_qdate(info.date))
        self.times_check.setChecked(info.start_time is not None)
        if info.start_time is not None:
            self.start_edit.setTime(to_qtime(info.start_time))
        if info.end_time is not None:
            self.end_edit.setTime(to_qtime(info.end_time))
        self.hours_spin.blockSignals(True)
        self.hours_spin.setValue(info.hours)
        self.hours_spin.blockSignals(False)
        # The stored hours are the clerk's: changing a time no longer overwrites them.
        self._hours_typed = True
        self.place_edit.setText(info.place or "")
        if info.instructor_person_id:
            self.tutor_radio.setChecked(True)
            self.tutor_picker.select_person(info.instructor_person_id)
        elif info.instructor_name:
            self.outsider_radio.setChecked(True)
            self.outsider_edit.setText(info.instructor_name)
        self.notes_edit.setPlainText(info.notes or "")

    def set_times(self, start: dt.time | None, end: dt.time | None) -> None:
        self.times_check.setChecked(start is not None)
        if start is not None:
            self.start_edit.setTime(to_qtime(start))
        if end is not None:
            self.end_edit.setTime(to_qtime(end))

    def set_tutor(self, person_id: str) -> None:
        self.tutor_radio.setChecked(True)
        self.tutor_picker.select_person(person_id)

    def set_outsider(self, name: str) -> None:
        self.outsider_radio.setChecked(True)
        self.outsider_edit.setText(name)

    def _times_toggled(self, on: bool) -> None:
        self.start_edit.setEnabled(on)
        self.end_edit.setEnabled(on)
        self._times_changed()

    def _times_changed(self) -> None:
        """Hours follow the times (to the half hour) until the clerk types their own."""
        if self._hours_typed or not self.times_check.isChecked():
            return
        minutes = self.start_edit.time().secsTo(self.end_edit.time()) // 60
        if minutes > 0:
            self.hours_spin.blockSignals(True)
            self.hours_spin.setValue(round(minutes / 30) / 2)
            self.hours_spin.blockSignals(False)

    def _hours_edited(self) -> None:
        self._hours_typed = True
        self.hours_hint.setText(self.tr("Typed by you; the times no longer change it."))

    def _instructor_kind_changed(self, *_args: object) -> None:
        kind = self.instructor_group.checkedId()
        self.tutor_picker.setVisible(kind == TUTOR)
        self.outsider_edit.setVisible(kind == OUTSIDER)

    def session_input(self) -> SessionInput:
        kind = self.instructor_group.checkedId()
        timed = self.times_check.isChecked()
        return SessionInput(
            date=to_date(self.date_edit.date()),
            hours=self.hours_spin.value(),
            start_time=to_time(self.start_edit.time()) if timed else None,
            end_time=to_time(self.end_edit.time()) if timed else None,
            place=self.place_edit.text().strip() or None,
            instructor_person_id=self.tutor_picker.person_id() if kind == TUTOR else None,
            instructor_name=(self.outsider_edit.text().strip() or None) if kind == OUTSIDER else None,
            notes=self.notes_edit.toPlainText().strip() or None,
        )

    # -- errors and saving -------------------------------------------------------------------------

    def errors_text(self) -> str:
        return "\n".join(label.text() for label in (*self._errors.values(), self.general_error) if label.text())

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear_error()
        self.general_error.clear_error()

    def show_error(self, exc: ValidationError) -> None:
        key = self.FIELD_KEYS.get(exc.field or "")
        if key in self._errors:
            self._errors[key].show_error(inline_text(exc))
        else:
            self.general_error.show_error(exc.text())

    def check_inputs(self) -> None:
        """What the dialog itself can tell before the service: a chosen way needs its instructor."""
        kind = self.instructor_group.checkedId()
        if kind == TUTOR and self.tutor_picker.person_id() is None:
            raise ValidationError("请选择授课的辅导员，或改选“外请授课人”", field="授课人")
        if kind == OUTSIDER and not self.outsider_edit.text().strip():
            raise ValidationError("请填写外请授课人的姓名", field="授课人")

    def accept(self) -> None:
        if self.saved is not None and self.clashes:  # the clash warning was shown: this is "Close"
            super().accept()
            return
        self.clear_errors()
        try:
            self.check_inputs()
            data = self.session_input()
            with self.ctx.session() as session:
                if self.session_id is None:
                    self.saved = training_plans.add_session(session, self.plan_id, data)
                else:
                    self.saved = training_plans.update_session(session, self.session_id, data)
        except ValidationError as exc:
            self.saved = None
            self.show_error(exc)
            return
        self.session_id = self.saved.id
        with self.ctx.session() as session:
            self.clashes = training_plans.clashes(session, session_id=self.saved.id)
        self.ctx.notify("training")
        if not self.clashes:
            super().accept()
            return
        self._show_clashes()

    def _show_clashes(self) -> None:
        """Saved, but someone is in two places at once: say who and where; the clerk closes the dialog."""
        lines = [self.tr("Saved. This session clashes with others:")]
        lines += ["⚠ " + clash.text() for clash in self.clashes]
        self.clash_label.setText("\n".join(lines))
        self.clash_label.show()
        for widget in (self.date_edit, self.times_check, self.start_edit, self.end_edit, self.hours_spin,
                       self.place_edit, self.no_instructor_radio, self.tutor_radio, self.outsider_radio,
                       self.tutor_picker, self.outsider_edit, self.notes_edit):
            widget.setEnabled(False)
        self.buttons.clear()
        # An accept-role button: "accepted" is already wired to accept(), which now just closes.
        self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.AcceptRole)

    def clash_text(self) -> str:
        return self.clash_label.text() if self.clashes else ""
