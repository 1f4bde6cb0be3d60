"""Add or change a teaching activity (R13): site, date, service channel, content, tutors, participants, hours.

The site picker offers the sites under this office (type to find one); the tutor picker everyone who holds
or held a tutor post (R4), those in post first, filtered as the clerk types, several can be ticked. The
service validates; its refusal is shown under the field it names. A tutor without a post on the day is a
warning (R4): the activity is saved, the dialog says so and turns its button into "Close".
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import activities
from ...services.activities import ActivityInput, ActivityRow, TutorChoice
from ...services.site_views import UnitChoice, unit_choices
from ..context import AppContext
from ..staff.post_dialogs import ERROR_STYLE, HINT_STYLE, ErrorLabel, inline_text, to_date, to_qdate

PERSON_ROLE = Qt.ItemDataRole.UserRole + 1


class TutorPicker(QWidget):
    """Tick the tutors of an activity; the search box hides those not matching (name, unit, role)."""

    def __init__(self, choices: list[TutorChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a tutor by name or unit"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setMinimumHeight(110)
        self.list.setMaximumHeight(150)
        self.chosen_label = QLabel(self)
        self.chosen_label.setStyleSheet(HINT_STYLE)
        self.chosen_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.chosen_label)
        self._names: dict[str, str] = {}
        for choice in choices:
            self._add(choice.person_id, choice.display, choice.name)
        self.search.textChanged.connect(self._filter)
        self.list.itemChanged.connect(lambda _item: self._update_label())
        self._update_label()

    def _add(self, person_id: str, display: str, name: str) -> QListWidgetItem:
        item = QListWidgetItem(display, self.list)
        item.setData(PERSON_ROLE, person_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self._names[person_id] = name
        return item

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(n) for n in range(self.list.count())]

    def _filter(self, text: str) -> None:
        words = text.split()
        for item in self._items():
            shown = all(w in item.text() for w in words) or item.checkState() == Qt.CheckState.Checked
            item.setHidden(not shown)

    def _update_label(self) -> None:
        names = [self._names.get(pid, "") for pid in self.person_ids()]
        self.chosen_label.setText(self.tr("Chosen: {0}").format("、".join(names)) if names
                                  else self.tr("No tutor chosen."))

    def set_person_ids(self, ids: tuple[str, ...], names: tuple[str, ...] = ()) -> None:
        """Tick *ids*; one no longer offered (e.g. not found among the choices) is added with its name."""
        wanted = dict(zip(ids, names or ids, strict=False))
        known = {item.data(PERSON_ROLE) for item in self._items()}
        for pid in ids:
            if pid not in known:
                self._add(pid, wanted.get(pid, pid), wanted.get(pid, pid))
        for item in self._items():
            item.setCheckState(Qt.CheckState.Checked if item.data(PERSON_ROLE) in wanted else Qt.CheckState.Unchecked)
        # The ticked tutors on top, where the clerk sees them without scrolling.
        ticked = [n for n, item in enumerate(self._items()) if item.checkState() == Qt.CheckState.Checked]
        for place, n in enumerate(ticked):
            self.list.insertItem(place, self.list.takeItem(n))
        self._update_label()

    def person_ids(self) -> tuple[str, ...]:
        return tuple(item.data(PERSON_ROLE) for item in self._items() if item.checkState() == Qt.CheckState.Checked)


class ActivityDialog(QDialog):
    """Log a new activity (``activity_id=None``) or change one; ``saved`` holds the result."""

    FIELD_KEYS = {"站点": "site", "日期": "date", "活动形式": "channel", "活动内容": "title", "辅导员": "tutors",
                  "参加人数": "participants", "时长": "hours", "备注": "notes"}

    def __init__(self, ctx: AppContext, activity_id: str | None = None, parent: QWidget | None = None, *,
                 site_id: str | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity_id = activity_id
        self.today = today or dt.date.today()
        self.saved: ActivityRow | None = None
        existing: ActivityRow | None = None
        office_unit = ctx.office().unit_id
        with ctx.session() as session:
            self._sites: list[UnitChoice] = unit_choices(session, kinds=codes.SITE_KINDS, under_unit_id=office_unit)
            tutors = activities.tutor_choices(session, today=self.today)
            if activity_id is not None:
                existing = activities.get_activity(session, activity_id)
        self.setWindowTitle(self.tr("New activity") if activity_id is None else self.tr("Edit activity"))

        self.site_combo = QComboBox(self)
        self.site_combo.setEditable(True)
        self.site_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.site_combo.addItem("", None)
        for site in self._sites:
            self.site_combo.addItem(site.display, site.id)
        completer = QCompleter(self.site_combo.model(), self.site_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.site_combo.setCompleter(completer)
        self.site_combo.lineEdit().setPlaceholderText(self.tr("Type to find a site"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMaximumDate(to_qdate(self.today))
        self.date_edit.setMinimumDate(QDate(2000, 1, 1))
        self.date_edit.setDate(to_qdate(self.today))
        self.channel_combo = QComboBox(self)
        for key, label in codes.ACTIVITY_CHANNEL.items():
            self.channel_combo.addItem(label, key)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(activities.MAX_TITLE)
        self.title_edit.setPlaceholderText(self.tr("e.g. 科技下乡：油茶低改技术"))
        self.tutor_picker = TutorPicker(tutors, self)
        self.participants_spin = QSpinBox(self)
        self.participants_spin.setRange(0, activities.MAX_PARTICIPANTS)
        self.participants_spin.setSuffix(self.tr(" people"))
        self.hours_spin = QDoubleSpinBox(self)
        self.hours_spin.setRange(0, 24)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setValue(2.0)
        self.hours_spin.setSuffix(self.tr(" h"))
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(48)

        self._errors: dict[str, ErrorLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        rows: list[tuple[str, str, QWidget]] = [
            ("site", self.tr("Site"), self.site_combo), ("date", self.tr("Date"), self.date_edit),
            ("channel", self.tr("Channel"), self.channel_combo), ("title", self.tr("Content"), self.title_edit),
            ("tutors", self.tr("Tutors"), self.tutor_picker),
            ("participants", self.tr("Participants"), self.participants_spin),
            ("hours", self.tr("Hours"), self.hours_spin), ("notes", self.tr("Notes"), self.notes_edit)]
        row = 0
        for key, caption, widget in rows:
            label = QLabel(caption, self)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
            error = ErrorLabel(self)
            grid.addWidget(error, row + 1, 1)
            self._errors[key] = error
            row += 2

        self.general_error = ErrorLabel(self)
        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.warning_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.general_error)
        layout.addWidget(self.warning_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)

        self.site_combo.currentIndexChanged.connect(self._errors["site"].clear_error)
        self.date_edit.dateChanged.connect(self._errors["date"].clear_error)
        self.channel_combo.currentIndexChanged.connect(self._errors["channel"].clear_error)
        self.title_edit.textChanged.connect(self._errors["title"].clear_error)
        self.tutor_picker.list.itemChanged.connect(self._errors["tutors"].clear_error)
        self.participants_spin.valueChanged.connect(self._errors["participants"].clear_error)
        self.hours_spin.valueChanged.connect(self._errors["hours"].clear_error)

        if existing is not None:
            self._load(existing)
        elif site_id is not None:
            self.set_site(site_id)

    # -- state -------------------------------------------------------------------------------------

    def set_site(self, site_id: str, label: str = "") -> None:
        index = self.site_combo.findData(site_id)
        if index < 0:  # e.g. a deactivated site the activity stays at
            self.site_combo.addItem(label or site_id, site_id)
            index = self.site_combo.count() - 1
        self.site_combo.setCurrentIndex(index)

    def set_channel(self, channel: str) -> None:
        index = self.channel_combo.findData(channel)
        if index < 0:
            self.channel_combo.addItem(codes.label(codes.ACTIVITY_CHANNEL, channel), channel)
            index = self.channel_combo.count() - 1
        self.channel_combo.setCurrentIndex(index)

    def _load(self, row: ActivityRow) -> None:
        self.set_site(row.site_id, row.site_label)
        if row.date > self.today:
            self.date_edit.setMaximumDate(to_qdate(row.date))
        self.date_edit.setDate(to_qdate(row.date))
        self.set_channel(row.channel)
        self.title_edit.setText(row.title)
        self.tutor_picker.set_person_ids(row.tutor_ids, row.tutor_names)
        self.participants_spin.setValue(row.participants)
        self.hours_spin.setValue(row.hours)
        self.notes_edit.setPlainText(row.notes or "")

    def site_id(self) -> str:
        """The chosen site: the combo's entry, or the one whose name the clerk typed in full."""
        index = self.site_combo.currentIndex()
        typed = self.site_combo.currentText().strip()
        if index >= 0 and self.site_combo.itemText(index) == self.site_combo.currentText():
            return str(self.site_combo.itemData(index) or "")
        found = self.site_combo.findText(typed)
        return str(self.site_combo.itemData(found) or "") if found >= 0 else ""

    def activity_input(self) -> ActivityInput:
        return ActivityInput(
            site_id=self.site_id(), date=to_date(self.date_edit.date()), channel=self.channel_combo.currentData(),
            title=self.title_edit.text(), participants=self.participants_spin.value(),
            hours=self.hours_spin.value(), tutor_ids=self.tutor_picker.person_ids(),
            notes=self.notes_edit.toPlainText().strip() or None)

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

    def accept(self) -> None:
        if self.saved is not None and self.saved.warnings:  # the warning was shown: this is "Close"
            super().accept()
            return
        self.clear_errors()
        try:
            data = self.activity_input()
            with self.ctx.session() as session:
                if self.activity_id is None:
                    self.saved = activities.add_activity(session, data, today=self.today)
                else:
                    self.saved = activities.update_activity(session, self.activity_id, data, today=self.today)
        except ValidationError as exc:
            self.saved = None
            self.show_error(exc)
            return
        self.activity_id = self.saved.id
        self.ctx.notify("activities")
        if not self.saved.warnings:
            super().accept()
            return
        self._show_warnings()

    def _show_warnings(self) -> None:
        """Saved, with R4 warnings: say which tutor had no post on the day; the clerk closes the dialog."""
        assert self.saved is not None
        lines = [self.tr("Saved, with warnings:")] + ["⚠ " + w for w in self.saved.warnings]
        self.warning_label.setText("\n".join(lines))
        self.warning_label.show()
        for widget in (self.site_combo, self.date_edit, self.channel_combo, self.title_edit, self.tutor_picker,
                       self.participants_spin, self.hours_spin, self.notes_edit):
            widget.setEnabled(False)
        self.buttons.clear()
        self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.AcceptRole)

    def warnings_text(self) -> str:
        return self.warning_label.text() if self.saved is not None and self.saved.warnings else ""
