"""Dialogs that change posts (R2–R5, R12): assign (or replace the holder of post A/B), end, transfer.

Each dialog first runs the service in a transaction that is rolled back, so every refusal appears
inline under its field before anything is asked; then it shows a confirmation that says exactly
what will change ("张三：龙潭镇杨家村 A岗 → 结束于 2026-11-29（原因：外出务工）；李四：新任 …"),
and only then writes, in one transaction, and announces ``ctx.notify("posts")``.

The confirmation and the running of child dialogs are injectable (``confirm=``, ``run_dialog``) so
tests never enter a modal loop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import person_views, posts, site_views
from ...services.person_views import PersonChoice, PostRecord
from ...services.site_views import SlotView, UnitChoice
from ..context import AppContext

ConfirmFn = Callable[[QWidget, str, str], bool]
RunDialogFn = Callable[[QDialog], int]

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #666666;"
OK_STYLE = "color: #2e7d32;"


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    """The real confirmation: a Yes/No question."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def exec_dialog(dialog: QDialog) -> int:
    return dialog.exec()


def inline_text(exc: ValidationError) -> str:
    """A refusal shown under its field: the message and the rule, without repeating the field name."""
    return f"{exc.message}（规则 {exc.rule}）" if exc.rule else exc.message


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ErrorLabel(QLabel):
    """Red text under a field; hidden while empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.setText("")
        self.hide()


def clear_on_edit(widget: QWidget, label: ErrorLabel) -> None:
    """Hide a field's error as soon as the clerk changes the field."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(label.clear_error)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(label.clear_error)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(label.clear_error)
    elif isinstance(widget, PersonPicker):
        widget.combo.currentIndexChanged.connect(label.clear_error)


class _Rollback(Exception):
    """Raised inside a transaction to undo a trial run of the service."""


class PostChangeDialog(QDialog):
    """Shared shape: a grid of fields with an error line under each, a general error line, OK/Cancel."""

    #: service field name → the key of the field whose error label shows it
    FIELD_KEYS: dict[str, str] = {}

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.confirm: ConfirmFn = confirm or ask_confirmation
        self.result_info: posts.PostInfo | None = None
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        self._grid.setHorizontalSpacing(12)
        self._row = 0
        self._errors: dict[str, ErrorLabel] = {}
        self.general_error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        layout.addLayout(self._grid)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

    # -- building ----------------------------------------------------------------------------------

    def add_field(self, key: str, label: str, widget: QWidget, hint: QLabel | None = None) -> QLabel:
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self._grid.addWidget(caption, self._row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._grid.addWidget(widget, self._row, 1)
        self._row += 1
        if hint is not None:
            hint.setWordWrap(True)
            hint.setStyleSheet(HINT_STYLE)
            self._grid.addWidget(hint, self._row, 1)
            self._row += 1
        error = ErrorLabel(self)
        self._grid.addWidget(error, self._row, 1)
        self._row += 1
        self._errors[key] = error
        clear_on_edit(widget, error)
        return caption

    def date_edit(self, *, minimum: dt.date | None = None) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        today = dt.date.today()
        edit.setMaximumDate(to_qdate(today))
        edit.setMinimumDate(to_qdate(minimum or dt.date(1950, 1, 1)))
        edit.setDate(to_qdate(today))
        return edit

    # -- errors ------------------------------------------------------------------------------------

    def error_label(self, key: str) -> ErrorLabel:
        return self._errors[key]

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

    def errors_text(self) -> str:
        """Every error now shown (for tests and screen readers)."""
        texts = [label.text() for label in (*self._errors.values(), self.general_error) if label.text()]
        return "\n".join(texts)

    # -- the flow ----------------------------------------------------------------------------------

    def check_inputs(self) -> None:
        """Checks the dialog itself makes before the service (raise ValidationError)."""

    def apply(self, session: Any) -> posts.PostInfo:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def summary(self) -> str:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def accept(self) -> None:
        self.clear_errors()
        try:
            self.check_inputs()
            with self.ctx.session() as session:  # a trial run: every refusal now, nothing written
                self.apply(session)
                raise _Rollback
        except _Rollback:
            pass
        except ValidationError as exc:
            self.show_error(exc)
            return
        if not self.confirm(self, self.windowTitle(), self.summary()):
            return
        try:
            with self.ctx.session() as session:
                self.result_info = self.apply(session)
        except ValidationError as exc:
            self.show_error(exc)
            return
        self.ctx.notify("posts")
        super().accept()


def _reason_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setMaxLength(200)
    return edit


class PersonPicker(QWidget):
    """Search by name, pinyin initials or the end of the ID number; pick from the matches."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Type a name, pinyin initials or the last digits of the ID number"))
        self.search.setClearButtonEnabled(True)
        self.combo = QComboBox(self)
        self.combo.setMinimumContentsLength(30)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.combo)
        self._pinned: PersonChoice | None = None
        self._names: dict[str, str] = {}
        self.search.textChanged.connect(self.reload)
        self.reload()

    def reload(self, text: str | None = None) -> None:
        text = self.search.text() if text is None else text
        current = self.person_id()
        with self.ctx.session() as session:
            found = person_views.person_choices(session, text)
        if self._pinned is not None and not text and all(c.id != self._pinned.id for c in found):
            found.insert(0, self._pinned)  # the person the dialog was opened for stays on offer
        self.combo.clear()
        # Nobody is chosen until the clerk picks someone: a preselected stranger would be easy to miss.
        self.combo.addItem(self.tr("(choose a person)") if found else self.tr("(nobody found)"), None)
        for choice in found:
            self.combo.addItem(choice.display, choice.id)
            self._names[choice.id] = choice.name
        if current is not None and self.combo.findData(current) >= 0:
            self.combo.setCurrentIndex(self.combo.findData(current))
        elif len(found) == 1 and text:  # the search found exactly one person: take them
            self.combo.setCurrentIndex(1)

    def select_person(self, person_id: str) -> None:
        index = self.combo.findData(person_id)
        if index < 0:
            with self.ctx.session() as session:
                self._pinned = person_views.person_choice(session, person_id)
            self.combo.insertItem(1, self._pinned.display, self._pinned.id)
            self._names[self._pinned.id] = self._pinned.name
            index = 1
        self.combo.setCurrentIndex(index)

    def person_id(self) -> str | None:
        value = self.combo.currentData()
        return str(value) if value else None

    def person_name(self) -> str:
        return self._names.get(self.person_id() or "", "")


class AssignPostDialog(PostChangeDialog):
    """Appoint a person to a post; for post A or B that is held, the holder's post ends the same day
    with the same reason (a change of post, R12)."""

    FIELD_KEYS = {"人员": "person", "任职单位": "unit", "职务类别": "role", "岗位": "slot", "专兼职": "tenure",
                  "任职日期": "date", "离岗日期": "date", "任职原因": "reason", "离岗原因": "reason"}

    def __init__(self, ctx: AppContext, *, unit_id: str | None = None, person_id: str | None = None,
                 role: str | None = None, slot: str | None = None, parent: QWidget | None = None,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(ctx, parent, confirm=confirm)
        self.setWindowTitle(self.tr("Assign a post"))
        self._slots: dict[str, SlotView] = {}
        with ctx.session() as session:
            if unit_id is not None:
                self._units = [site_views.unit_choice(session, unit_id)]
            else:
                kinds = {k for ks in posts.ROLE_UNIT_KINDS.values() for k in ks}
                self._units = site_views.unit_choices(session, kinds=kinds)

        self.person = PersonPicker(ctx, self)
        self.unit_combo = QComboBox(self)
        for unit in self._units:
            self.unit_combo.addItem(f"{unit.display} · {codes.label(codes.UNIT_KIND, unit.kind)}", unit.id)
        self.unit_combo.setEnabled(unit_id is None)
        self.role_combo = QComboBox(self)
        self.slot_combo = QComboBox(self)
        self.tenure_combo = QComboBox(self)
        for code, label in codes.TENURE.items():
            self.tenure_combo.addItem(label, code)
        self.tenure_combo.setCurrentIndex(self.tenure_combo.findData("part_time"))
        self.start_date = self.date_edit()
        self.reason = _reason_edit(self)
        self.holder_note = QLabel(self)
        self.holder_note.setWordWrap(True)
        self.reason_hint = QLabel(self)

        self.add_field("person", self.tr("Person"), self.person)
        self.add_field("unit", self.tr("Unit"), self.unit_combo)
        self.add_field("role", self.tr("Post"), self.role_combo)
        self.slot_caption = self.add_field("slot", self.tr("A/B post"), self.slot_combo, self.holder_note)
        self.add_field("tenure", self.tr("Full/part time"), self.tenure_combo)
        self.add_field("date", self.tr("Start date"), self.start_date)
        self.add_field("reason", self.tr("Reason"), self.reason, self.reason_hint)

        self.unit_combo.currentIndexChanged.connect(self._unit_changed)
        self.role_combo.currentIndexChanged.connect(self._role_changed)
        self.slot_combo.currentIndexChanged.connect(self._slot_changed)
        self._unit_changed()
        if role is not None:
            self.set_role(role)
        if slot is not None:
            self.set_slot(slot)
        if person_id is not None:
            self.person.select_person(person_id)
        self._update_header()

    # -- state -------------------------------------------------------------------------------------

    def unit(self) -> UnitChoice | None:
        index = self.unit_combo.currentIndex()
        return self._units[index] if 0 <= index < len(self._units) else None

    def role(self) -> str | None:
        value = self.role_combo.currentData()
        return str(value) if value else None

    def slot(self) -> str | None:
        if self.role() != "village_manager":
            return None
        value = self.slot_combo.currentData()
        return str(value) if value else None

    def holder(self) -> PostRecord | None:
        """Who holds the chosen post A/B now (they will be replaced)."""
        slot = self.slot()
        view = self._slots.get(slot or "")
        return view.holder if view else None

    def reason_required(self) -> bool:
        slot = self.slot()
        view = self._slots.get(slot or "")
        return view is not None and (view.holder is not None or view.had_holder)

    def set_role(self, role: str) -> None:
        index = self.role_combo.findData(role)
        if index >= 0:
            self.role_combo.setCurrentIndex(index)

    def set_slot(self, slot: str) -> None:
        index = self.slot_combo.findData(slot)
        if index >= 0:
            self.slot_combo.setCurrentIndex(index)

    def set_unit(self, unit_id: str) -> None:
        index = self.unit_combo.findData(unit_id)
        if index >= 0:
            self.unit_combo.setCurrentIndex(index)

    def _unit_changed(self) -> None:
        unit = self.unit()
        self.role_combo.blockSignals(True)
        previous = self.role()
        self.role_combo.clear()
        if unit is not None:
            for code, kinds in posts.ROLE_UNIT_KINDS.items():
                if unit.kind in kinds:
                    self.role_combo.addItem(codes.label(codes.ROLE, code), code)
        if previous is not None and self.role_combo.findData(previous) >= 0:
            self.role_combo.setCurrentIndex(self.role_combo.findData(previous))
        self.role_combo.blockSignals(False)
        self._slots = {}
        if unit is not None and unit.kind == "village":
            with self.ctx.session() as session:
                self._slots = {v.slot: v for v in site_views.site_detail(session, unit.id).slots}
        self.slot_combo.blockSignals(True)
        previous_slot = self.slot_combo.currentData()
        self.slot_combo.clear()
        for code, label in codes.SLOT.items():
            view = self._slots.get(code)
            if view is not None and view.holder is not None:
                text = self.tr("{0} (now: {1})").format(label, view.holder.person_name)
            else:
                text = self.tr("{0} (vacant)").format(label)
            self.slot_combo.addItem(text, code)
        if previous_slot is not None:
            self.set_slot(str(previous_slot))
        elif self._slots:  # offer the first empty post first
            empty = next((s for s, v in self._slots.items() if v.holder is None), None)
            if empty:
                self.set_slot(empty)
        self.slot_combo.blockSignals(False)
        self._role_changed()

    def _role_changed(self) -> None:
        is_village = self.role() == "village_manager"
        self.slot_combo.setEnabled(is_village)
        self.slot_combo.setVisible(is_village)
        self.slot_caption.setVisible(is_village)
        self._slot_changed()

    def _slot_changed(self) -> None:
        holder = self.holder()
        if holder is not None:
            self.holder_note.setText(self.tr("{0} holds this post since {1}; their post ends on the start date "
                                             "below, with the same reason.").format(holder.person_name,
                                                                                    holder.start_date.isoformat()))
            self.holder_note.show()
        else:
            self.holder_note.setText("")
            self.holder_note.hide()
        if self.reason_required():
            self.reason_hint.setText(self.tr("Required: a change of post needs a reason (R12)."))
            self.reason.setPlaceholderText(self.tr("e.g. went to work elsewhere, elected to the village committee"))
        else:
            self.reason_hint.setText(self.tr("May be left empty for a first appointment (recorded as “新任”)."))
            self.reason.setPlaceholderText("新任")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Change holder…") if holder is not None else self.tr("Assign…"))
        self._update_header()

    def _update_header(self) -> None:
        unit = self.unit()
        if unit is None:
            self.header.setText("")
            return
        self.header.setText(self.tr("Post at {0}").format(f"<b>{unit.township_name}{unit.name}</b>"))

    # -- the change --------------------------------------------------------------------------------

    def check_inputs(self) -> None:
        if self.person.person_id() is None:
            raise ValidationError("请选择人员", field="人员")
        if self.unit() is None:
            raise ValidationError("请选择任职单位", field="任职单位")
        holder = self.holder()
        if holder is not None and holder.person_id == self.person.person_id():
            raise ValidationError(f"{holder.person_name}已担任{holder.slot_label}", field="人员", rule="R3")

    def apply(self, session: Any) -> posts.PostInfo:
        unit = self.unit()
        person_id = self.person.person_id()
        assert unit is not None and person_id is not None
        day = to_date(self.start_date.date())
        reason = self.reason.text().strip()
        holder = self.holder()
        if holder is not None:
            posts.end_post(session, holder.id, end_date=day, reason=reason)
        return posts.assign_post(session, person_id=person_id, unit_id=unit.id, role=self.role() or "",
                                 slot=self.slot(), tenure=str(self.tenure_combo.currentData()), start_date=day,
                                 reason=reason or None)

    def summary(self) -> str:
        unit = self.unit()
        assert unit is not None
        day = to_date(self.start_date.date()).isoformat()
        reason = self.reason.text().strip()
        place = f"{unit.township_name}{unit.name}"
        post = codes.label(codes.SLOT, self.slot()) or codes.label(codes.ROLE, self.role())
        lines = []
        holder = self.holder()
        if holder is not None:
            lines.append(self.tr("{0}: {1} → ends on {2} (reason: {3})").format(
                holder.person_name, holder.title, day, reason))
        new = self.tr("{0}: new at {1} {2} ({3}, {4}), from {5}").format(
            self.person.person_name(), place, post, codes.label(codes.ROLE, self.role()),
            self.tenure_combo.currentText(), day)
        if reason:
            new += self.tr(" (reason: {0})").format(reason)
        lines.append(new)
        return "；\n".join(lines)


class EndPostDialog(PostChangeDialog):
    """End a post with a date and a reason (R12); it stays in the history."""

    FIELD_KEYS = {"离岗日期": "date", "离岗原因": "reason", "岗位": "date"}

    def __init__(self, ctx: AppContext, post_id: str, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(ctx, parent, confirm=confirm)
        self.setWindowTitle(self.tr("End a post"))
        with ctx.session() as session:
            self.post = person_views.post_record(session, post_id)
        p = self.post
        self.header.setText(self.tr("{0}: {1} ({2}), since {3}").format(
            f"<b>{p.person_name}</b>", p.title, p.role_label, p.start_date.isoformat()))
        self.end_date = self.date_edit(minimum=p.start_date)
        self.reason = _reason_edit(self)
        self.reason.setPlaceholderText(self.tr("e.g. went to work elsewhere, retired, moved away"))
        hint = QLabel(self.tr("Required (R12): a post ends only with a reason, kept in the history."), self)
        self.add_field("date", self.tr("End date"), self.end_date)
        self.add_field("reason", self.tr("Reason"), self.reason, hint)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("End post…"))

    def apply(self, session: Any) -> posts.PostInfo:
        return posts.end_post(session, self.post.id, end_date=to_date(self.end_date.date()),
                              reason=self.reason.text())

    def summary(self) -> str:
        p = self.post
        text = self.tr("{0}: {1} → ends on {2} (reason: {3})").format(
            p.person_name, p.title, to_date(self.end_date.date()).isoformat(), self.reason.text().strip())
        if p.slot:
            text += "\n" + self.tr("{0} will then be vacant (R3): appoint a new holder soon.").format(p.title)
        return text


class TransferPostDialog(PostChangeDialog):
    """Move a person to another unit or slot: the old post ends, a new one opens, same reason (R12)."""

    FIELD_KEYS = {"调入单位": "unit", "任职单位": "unit", "岗位": "slot", "调动原因": "reason", "离岗原因": "reason",
                  "任职原因": "reason", "离岗日期": "date", "任职日期": "date"}

    def __init__(self, ctx: AppContext, post_id: str, parent: QWidget | None = None, *,
                 confirm: ConfirmFn | None = None) -> None:
        super().__init__(ctx, parent, confirm=confirm)
        self.setWindowTitle(self.tr("Transfer"))
        with ctx.session() as session:
            self.post = person_views.post_record(session, post_id)
            self._units = site_views.unit_choices(session, kinds=posts.ROLE_UNIT_KINDS[self.post.role])
        p = self.post
        self.header.setText(self.tr("{0}: {1} ({2}), since {3}").format(
            f"<b>{p.person_name}</b>", p.title, p.role_label, p.start_date.isoformat()))
        self._slots: dict[str, SlotView] = {}
        self.unit_combo = QComboBox(self)
        for unit in self._units:
            self.unit_combo.addItem(unit.display, unit.id)
        self.slot_combo = QComboBox(self)
        self.slot_note = QLabel(self)
        self.on_date = self.date_edit(minimum=p.start_date)
        self.reason = _reason_edit(self)
        self.reason.setPlaceholderText(self.tr("e.g. needed at another village"))
        hint = QLabel(self.tr("Required (R12): a change of post needs a reason, kept in the history."), self)
        self.add_field("unit", self.tr("To unit"), self.unit_combo)
        self.slot_caption = self.add_field("slot", self.tr("A/B post"), self.slot_combo, self.slot_note)
        self.add_field("date", self.tr("Date"), self.on_date)
        self.add_field("reason", self.tr("Reason"), self.reason, hint)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Transfer…"))
        self.unit_combo.currentIndexChanged.connect(self._unit_changed)
        self.slot_combo.currentIndexChanged.connect(self._slot_changed)
        # Start on another unit than the present one: a transfer usually moves somewhere else.
        others = [i for i, u in enumerate(self._units) if u.id != p.unit_id]
        self.unit_combo.setCurrentIndex(others[0] if others else max(self.unit_combo.findData(p.unit_id), 0))
        self._unit_changed()

    def unit(self) -> UnitChoice | None:
        index = self.unit_combo.currentIndex()
        return self._units[index] if 0 <= index < len(self._units) else None

    def set_unit(self, unit_id: str) -> None:
        index = self.unit_combo.findData(unit_id)
        if index >= 0:
            self.unit_combo.setCurrentIndex(index)

    def slot(self) -> str | None:
        if self.post.role != "village_manager":
            return None
        value = self.slot_combo.currentData()
        return str(value) if value else None

    def set_slot(self, slot: str) -> None:
        index = self.slot_combo.findData(slot)
        if index >= 0:
            self.slot_combo.setCurrentIndex(index)

    def _unit_changed(self) -> None:
        unit = self.unit()
        self._slots = {}
        if unit is not None and unit.kind == "village":
            with self.ctx.session() as session:
                self._slots = {v.slot: v for v in site_views.site_detail(session, unit.id).slots}
        self.slot_combo.blockSignals(True)
        self.slot_combo.clear()
        for code, label in codes.SLOT.items():
            view = self._slots.get(code)
            if view is not None and view.holder is not None:
                self.slot_combo.addItem(self.tr("{0} (now: {1})").format(label, view.holder.person_name), code)
            else:
                self.slot_combo.addItem(self.tr("{0} (vacant)").format(label), code)
        empty = next((s for s, v in self._slots.items() if v.holder is None), None)
        if empty:
            self.set_slot(empty)
        self.slot_combo.blockSignals(False)
        uses_slots = self.post.role == "village_manager"
        self.slot_combo.setVisible(uses_slots)
        self.slot_caption.setVisible(uses_slots)
        self._slot_changed()

    def _slot_changed(self) -> None:
        view = self._slots.get(self.slot() or "")
        if view is not None and view.holder is not None and view.holder.person_id != self.post.person_id:
            self.slot_note.setText(self.tr("{0} is held by {1}: end or transfer that post first.").format(
                view.label, view.holder.person_name))
            self.slot_note.show()
        else:
            self.slot_note.setText("")
            self.slot_note.hide()

    def apply(self, session: Any) -> posts.PostInfo:
        unit = self.unit()
        if unit is None:
            raise ValidationError("请选择调入单位", field="调入单位")
        return posts.transfer_post(session, self.post.id, to_unit_id=unit.id, on=to_date(self.on_date.date()),
                                   reason=self.reason.text(), to_slot=self.slot())

    def summary(self) -> str:
        p = self.post
        unit = self.unit()
        assert unit is not None
        day = to_date(self.on_date.date()).isoformat()
        reason = self.reason.text().strip()
        post = codes.label(codes.SLOT, self.slot()) or p.role_label
        return "；\n".join([
            self.tr("{0}: {1} → ends on {2} (reason: {3})").format(p.person_name, p.title, day, reason),
            self.tr("{0}: new at {1} {2} ({3}, {4}), from {5}").format(
                p.person_name, f"{unit.township_name}{unit.name}", post, p.role_label, p.tenure_label, day)
            + self.tr(" (reason: {0})").format(reason),
        ])
