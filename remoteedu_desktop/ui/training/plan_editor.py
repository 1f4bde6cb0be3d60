"""The plan editor (R6–R8): who organizes a training, for whom, what it covers, how and how long.

R6 (分级负责、分层培训) is shown, never silently ignored and never a block: as the clerk changes the
organizer or the target, the warnings of ``training_plans.plan_warnings`` appear in red under the form.
A refusal of the service (no topic, R7; an end before the start …) appears in red, the dialog stays open
and nothing is saved.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import site_views, training_plans
from ...services.site_views import UnitChoice
from ...services.training_plans import PlanInfo, PlanInput, PlanWarning
from ..context import AppContext
from ..staff.post_dialogs import ERROR_STYLE, HINT_STYLE, ErrorLabel, inline_text, to_date, to_qdate
from .common import ROLE_LEVEL, TARGET_LEVELS, target_level_label

#: Organizer levels that name a unit of ours; the others (departments, telecom) name themselves in text.
UNIT_LEVELS = {"county": "county", "township": "township"}


class OptionalDate(QWidget):
    """A date the clerk may leave unset: a check box that enables the date edit."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(text, self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setDate(to_qdate(dt.date.today()))
        self.edit.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)

    def value(self) -> dt.date | None:
        return to_date(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, day: dt.date | None) -> None:
        self.check.setChecked(day is not None)
        if day is not None:
            self.edit.setDate(to_qdate(day))


class PlanEditorDialog(QDialog):
    """Add a plan (``plan_id=None``) or change one; ``saved`` holds the result after a save."""

    #: the service's field name (ValidationError.field) → the key of the error label under that field
    FIELD_KEYS = {"培训名称": "title", "名称": "title", "标题": "title", "年度": "year",
                  "组织层级": "organizer", "组织者": "organizer", "组织单位": "organizer", "组织部门": "organizer",
                  "培训对象": "target", "对象": "target", "对象层级": "target", "培训层级": "target",
                  "培训内容": "topics", "培训类型": "kind", "培训方式": "kind", "计划学时": "hours",
                  "学时": "hours", "合格分数": "pass", "合格分": "pass", "及格分": "pass",
                  "开始日期": "dates", "结束日期": "dates", "日期": "dates", "备注": "notes"}

    def __init__(self, ctx: AppContext, plan_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id = plan_id
        self.saved: PlanInfo | None = None
        self.warnings: list[PlanWarning] = []
        plan: PlanInfo | None = None
        with ctx.session() as session:
            self._units: list[UnitChoice] = site_views.unit_choices(session, kinds=("county", "township"))
            if plan_id is not None:
                plan = training_plans.get_plan(session, plan_id)
        self.setWindowTitle(self.tr("New training plan") if plan_id is None else self.tr("Edit training plan"))

        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(200)
        self.title_edit.setPlaceholderText(self.tr("e.g. 2026 pre-job training of village site managers"))
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(dt.date.today().year)
        self.organizer_combo = self._code_combo(codes.ORGANIZER_LEVEL)
        self.organizer_unit_combo = QComboBox(self)
        self.organizer_unit_combo.setMinimumContentsLength(16)
        self.department_edit = QLineEdit(self)
        self.department_edit.setMaxLength(100)
        self.department_edit.setPlaceholderText(self.tr("e.g. 县委党校, 县农业局, 中国电信青山分公司"))
        self.target_role_combo = self._code_combo(codes.ROLE)
        self.target_level_combo = QComboBox(self)
        for level in TARGET_LEVELS:
            self.target_level_combo.addItem(target_level_label(level), level)
        self.kind_combo = self._code_combo(codes.TRAINING_KIND)
        self.mode_combo = self._code_combo(codes.TRAINING_MODE)
        self.topic_checks: dict[str, QCheckBox] = {}
        topics_box = QGroupBox(self.tr("Content (R7: at least one of the seven topics)"), self)
        topics_grid = QGridLayout(topics_box)
        for i, (code, label) in enumerate(codes.TRAINING_TOPIC.items()):
            check = QCheckBox(f"（{code}）{label}", topics_box)
            self.topic_checks[code] = check
            topics_grid.addWidget(check, i // 2, i % 2)
        self.hours_spin = QDoubleSpinBox(self)
        self.hours_spin.setRange(0, 1000)
        self.hours_spin.setDecimals(1)
        self.hours_spin.setSingleStep(0.5)
        self.hours_spin.setSuffix(self.tr(" h"))
        self.pass_spin = QDoubleSpinBox(self)
        self.pass_spin.setRange(0, 100)
        self.pass_spin.setDecimals(1)
        self.pass_spin.setValue(60)
        self.start_date = OptionalDate(self.tr("from"), self)
        self.end_date = OptionalDate(self.tr("to"), self)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setFixedHeight(54)

        self._errors: dict[str, ErrorLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        self._grid = grid
        self._row = 0
        self._pair(("title", self.tr("Title"), self.title_edit, 3))
        self._pair(("year", self.tr("Year"), self.year_spin, 1), ("kind", self.tr("Kind"), self._kind_row(), 1))
        self._pair(("organizer", self.tr("Organizer"), self.organizer_combo, 1),
                   (None, "", self._organizer_row(), 1))
        self._pair(("target", self.tr("Trains"), self.target_role_combo, 1),
                   (None, self.tr("at"), self.target_level_combo, 1))
        grid.addWidget(topics_box, self._row, 0, 1, 4)
        self._row += 1
        self._add_error("topics", 0, 4)
        self._pair(("hours", self.tr("Planned hours"), self.hours_spin, 1),
                   ("pass", self.tr("Pass mark"), self.pass_spin, 1))
        dates = QWidget(self)
        dates_layout = QHBoxLayout(dates)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.addWidget(self.start_date)
        dates_layout.addWidget(self.end_date)
        self._pair(("dates", self.tr("Dates"), dates, 3))
        self._pair(("notes", self.tr("Notes"), self.notes_edit, 3))

        self.warning_label = QLabel(self)
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_hint = QLabel(self.tr("Warnings do not block saving: check that the plan is meant this way."),
                                   self)
        self.warning_hint.setStyleSheet(HINT_STYLE)
        self.general_error = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.warning_hint)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(700)

        self.organizer_combo.currentIndexChanged.connect(self._organizer_changed)
        self.target_role_combo.currentIndexChanged.connect(self._role_changed)
        for widget in (self.organizer_unit_combo, self.target_level_combo):
            widget.currentIndexChanged.connect(self.update_warnings)
        self.department_edit.textChanged.connect(self.update_warnings)
        self._connect_error_clearing()

        if plan is not None:
            self._load(plan)
        else:
            self._organizer_changed()
            self._role_changed()
        self.update_warnings()

    # -- building ----------------------------------------------------------------------------------

    def _code_combo(self, table: dict[str, str]) -> QComboBox:
        combo = QComboBox(self)
        for code, label in table.items():
            combo.addItem(label, code)
        return combo

    def _kind_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo, 1)
        layout.addWidget(QLabel(self.tr("Mode"), row))
        layout.addWidget(self.mode_combo, 1)
        return row

    def _organizer_row(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.organizer_unit_combo, 1)
        layout.addWidget(self.department_edit, 1)
        return row

    def _pair(self, *cells: tuple[str | None, str, QWidget, int]) -> None:
        """One row of the form: (error key, caption, widget, column span) per cell; errors on the next row."""
        column = 0
        keys = []
        for key, caption, widget, span in cells:
            label = QLabel(caption, self)
            label.setBuddy(widget)
            self._grid.addWidget(label, self._row, column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._grid.addWidget(widget, self._row, column + 1, 1, span)
            keys.append((key, column + 1, span))
            column += 1 + span
        self._row += 1
        for key, col, span in keys:
            if key is not None:
                self._add_error(key, col, span, same_row=True)
        self._row += 1

    def _add_error(self, key: str, column: int, span: int, *, same_row: bool = False) -> None:
        error = ErrorLabel(self)
        self._grid.addWidget(error, self._row, column, 1, span)
        self._errors[key] = error
        if not same_row:
            self._row += 1

    def _connect_error_clearing(self) -> None:
        self.title_edit.textChanged.connect(self._errors["title"].clear_error)
        self.year_spin.valueChanged.connect(self._errors["year"].clear_error)
        for combo in (self.organizer_combo, self.organizer_unit_combo):
            combo.currentIndexChanged.connect(self._errors["organizer"].clear_error)
        self.department_edit.textChanged.connect(self._errors["organizer"].clear_error)
        for combo in (self.target_role_combo, self.target_level_combo):
            combo.currentIndexChanged.connect(self._errors["target"].clear_error)
        for check in self.topic_checks.values():
            check.toggled.connect(self._errors["topics"].clear_error)
        for combo in (self.kind_combo, self.mode_combo):
            combo.currentIndexChanged.connect(self._errors["kind"].clear_error)
        self.hours_spin.valueChanged.connect(self._errors["hours"].clear_error)
        self.pass_spin.valueChanged.connect(self._errors["pass"].clear_error)
        for date in (self.start_date, self.end_date):
            date.check.toggled.connect(self._errors["dates"].clear_error)
            date.edit.dateChanged.connect(self._errors["dates"].clear_error)

    # -- state -------------------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _load(self, plan: PlanInfo) -> None:
        self.title_edit.setText(plan.title)
        self.year_spin.setValue(plan.year)
        self._select(self.organizer_combo, plan.organizer_level)
        self._organizer_changed()
        if plan.organizer_unit_id:
            self._select(self.organizer_unit_combo, plan.organizer_unit_id)
        self.department_edit.setText(plan.organizer_department or "")
        self._select(self.target_role_combo, plan.target_role)
        self._select(self.target_level_combo, plan.target_level)
        for code, check in self.topic_checks.items():
            check.setChecked(code in plan.topics)
        self._select(self.kind_combo, plan.kind)
        self._select(self.mode_combo, plan.mode)
        self.hours_spin.setValue(plan.planned_hours)
        self.pass_spin.setValue(plan.pass_mark)
        self.start_date.set_value(plan.start_date)
        self.end_date.set_value(plan.end_date)
        self.notes_edit.setPlainText(plan.notes or "")

    def set_organizer(self, level: str, *, unit_id: str | None = None, department: str | None = None) -> None:
        self._select(self.organizer_combo, level)
        if unit_id is not None:
            self._select(self.organizer_unit_combo, unit_id)
        if department is not None:
            self.department_edit.setText(department)

    def set_target(self, role: str, level: str | None = None) -> None:
        self._select(self.target_role_combo, role)
        if level is not None:
            self._select(self.target_level_combo, level)

    def set_topics(self, topics: tuple[str, ...] | list[str]) -> None:
        for code, check in self.topic_checks.items():
            check.setChecked(code in topics)

    def _organizer_changed(self) -> None:
        """A county or township organizer is one of our units; a department or telecom company is named."""
        level = str(self.organizer_combo.currentData())
        unit_kind = UNIT_LEVELS.get(level)
        previous = self.organizer_unit_combo.currentData()
        self.organizer_unit_combo.blockSignals(True)
        self.organizer_unit_combo.clear()
        if unit_kind is not None:
            for unit in self._units:
                if unit.kind == unit_kind:
                    self.organizer_unit_combo.addItem(unit.display, unit.id)
            if previous is not None:
                self._select(self.organizer_unit_combo, previous)
        self.organizer_unit_combo.blockSignals(False)
        self.organizer_unit_combo.setVisible(unit_kind is not None)
        self.department_edit.setVisible(unit_kind is None)
        self.update_warnings()

    def _role_changed(self) -> None:
        level = ROLE_LEVEL.get(str(self.target_role_combo.currentData()))
        if level is not None:
            self.target_level_combo.blockSignals(True)
            self._select(self.target_level_combo, level)
            self.target_level_combo.blockSignals(False)
        self.update_warnings()

    def plan_input(self) -> PlanInput:
        level = str(self.organizer_combo.currentData())
        unit_id = self.organizer_unit_combo.currentData() if level in UNIT_LEVELS else None
        department = self.department_edit.text().strip() if level not in UNIT_LEVELS else ""
        return PlanInput(
            title=self.title_edit.text().strip(),
            year=self.year_spin.value(),
            organizer_level=level,
            target_role=str(self.target_role_combo.currentData()),
            target_level=str(self.target_level_combo.currentData()),
            topics=tuple(code for code, check in self.topic_checks.items() if check.isChecked()),
            kind=str(self.kind_combo.currentData()),
            mode=str(self.mode_combo.currentData()),
            planned_hours=self.hours_spin.value(),
            pass_mark=self.pass_spin.value(),
            organizer_unit_id=str(unit_id) if unit_id else None,
            organizer_department=department or None,
            start_date=self.start_date.value(),
            end_date=self.end_date.value(),
            notes=self.notes_edit.toPlainText().strip() or None,
        )

    # -- R6 warnings -------------------------------------------------------------------------------

    def update_warnings(self) -> None:
        """R6 as the clerk types: who organizes a training for whom (shown, not a block)."""
        if not hasattr(self, "warning_label"):  # still building the form
            return
        try:
            with self.ctx.session() as session:
                self.warnings = training_plans.plan_warnings(session, self.plan_input())
        except ValidationError:
            self.warnings = []  # an incomplete form: its refusal is shown on save, not while typing
        self.warning_label.setText("\n".join("⚠ " + w.text() for w in self.warnings))
        self.warning_label.setVisible(bool(self.warnings))
        self.warning_hint.setVisible(bool(self.warnings))

    def warnings_text(self) -> str:
        return self.warning_label.text() if self.warnings else ""

    # -- errors and saving -------------------------------------------------------------------------

    def error_label(self, key: str) -> ErrorLabel:
        return self._errors[key]

    def errors_text(self) -> str:
        """Every error now shown (for tests and screen readers)."""
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
        self.clear_errors()
        data = self.plan_input()
        try:
            with self.ctx.session() as session:
                if self.plan_id is None:
                    self.saved = training_plans.add_plan(session, data)
                else:
                    self.saved = training_plans.update_plan(session, self.plan_id, data)
        except ValidationError as exc:
            self.saved = None
            self.show_error(exc)
            return
        self.plan_id = self.saved.id
        self.ctx.notify("training")
        super().accept()
