"""The yearly evaluation page (R14): one year's round, its rubrics, the score grid, the results and awards.

At the top the year selector (one entry per round, newest first, and "Open a new year's round…") and the
round's settings: name, grade scale (优秀/合格/基本合格/不合格 or 优秀/称职/基本称职/不称职), the thresholds,
the optional top-grade quota, and close / reopen (reopening needs a reason). Below, four tabs:

1. 考评细则 — :class:`.rubric_view.RubricTab`, one target's rubric (asks before recomputing);
2. 评分 — :class:`.score_view.ScoreTab`, the keyboard score grid and the automatic indicators;
3. 结果 — :class:`.results_view.ResultsTab`, ranks, grades, the unfit flag, texts, forms and export;
4. 评优表彰 — helper G's ``ui.awards.awards_view.AwardsView``, imported when first shown.

A closed round is read-only everywhere: nothing in it is recomputed silently (R14). The org tree's unit
(``select_unit``) filters the grid and the results. Questions go through hooks (``confirm``,
``ask_unsaved``, ``ask_text``, ``ask_year``, ``choose_save_path``) that tests replace.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ... import codes
from ...errors import ValidationError
from ...services import evaluation_rounds, evaluation_rubrics, site_views
from ...services.evaluation_rounds import RoundInfo
from ...services.evaluation_rubrics import RubricInfo
from ..context import AppContext
from ..refreshing import RefreshingWidget
from .common import (
    HINT_STYLE,
    AskTextFn,
    AskUnsavedFn,
    AskYearFn,
    ConfirmFn,
    SavePathFn,
    ask_confirmation,
    ask_text,
    ask_unsaved,
    ask_year,
    choose_save_path,
    error_text,
    grade_scale_label,
    number_text,
    optional_module,
    show_message,
)
from .output import ResultsOutput
from .results_view import ResultsTab
from .rubric_view import RubricTab
from .score_view import ScoreTab

REFRESH_AREAS = frozenset({"evaluation", "people", "posts", "units", "training", "activities", "certificates"})
TAB_RUBRIC, TAB_SCORES, TAB_RESULTS, TAB_AWARDS = range(4)
AWARDS_MODULE = "remoteedu_desktop.ui.awards.awards_view"
DEFAULT_THRESHOLDS = {"excellent": 90.0, "pass": 75.0, "basic": 60.0}


class EvaluationPage(RefreshingWidget):
    """One year's evaluation round: settings, rubrics, scores, results and awards (R14)."""

    refresh_areas = REFRESH_AREAS

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._confirm: ConfirmFn = ask_confirmation
        self._ask_unsaved: AskUnsavedFn = ask_unsaved
        self.ask_text: AskTextFn = ask_text
        self.ask_year: AskYearFn = ask_year
        self.choose_save_path: SavePathFn = choose_save_path
        self._today: dt.date | None = None
        self.rounds: list[RoundInfo] = []
        self.round: RoundInfo | None = None
        self.rubrics: list[RubricInfo] = []
        self.unit_id: str | None = None
        self.awards: QWidget | None = None
        self._announcing = False
        self._stale = False

        # -- the year and the round's settings --
        self.year_combo = QComboBox(self)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.open_button = QPushButton(self.tr("Open a new year's round…"), self)
        self.status_label = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year"), self))
        top.addWidget(self.year_combo)
        top.addWidget(self.open_button)
        top.addSpacing(12)
        top.addWidget(self.status_label, 1)

        self.settings = QGroupBox(self.tr("Round settings"), self)
        self.name_edit = QLineEdit(self.settings)
        self.name_edit.setMinimumWidth(220)
        self.scale_combo = QComboBox(self.settings)
        for scale in ("standard", "competent"):
            self.scale_combo.addItem(grade_scale_label(scale), scale)
        self.threshold_spins: dict[str, QDoubleSpinBox] = {}
        for key in ("excellent", "pass", "basic"):
            spin = QDoubleSpinBox(self.settings)
            spin.setRange(0.0, 100.0)
            spin.setDecimals(1)
            spin.setSingleStep(1.0)
            spin.setValue(DEFAULT_THRESHOLDS[key])
            self.threshold_spins[key] = spin
        self.threshold_captions: dict[str, QLabel] = {key: QLabel(self.settings) for key in self.threshold_spins}
        self.quota_check = QCheckBox(self.tr("Top-grade quota"), self.settings)
        self.quota_spin = QDoubleSpinBox(self.settings)
        self.quota_spin.setRange(1.0, 100.0)
        self.quota_spin.setDecimals(0)
        self.quota_spin.setSuffix(" %")
        self.quota_spin.setValue(20.0)
        self.quota_spin.setToolTip(self.tr("At most this share of each township's evaluated may get the top grade"))
        self.apply_button = QPushButton(self.tr("Apply settings"), self.settings)
        self.close_button = QPushButton(self.tr("Close round…"), self.settings)
        self.reopen_button = QPushButton(self.tr("Reopen round…"), self.settings)
        row1 = QHBoxLayout()
        row1.addWidget(QLabel(self.tr("Round name"), self.settings))
        row1.addWidget(self.name_edit, 1)
        row1.addSpacing(8)
        row1.addWidget(QLabel(self.tr("Grades"), self.settings))
        row1.addWidget(self.scale_combo)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel(self.tr("Thresholds (at least)"), self.settings))
        for key, spin in self.threshold_spins.items():
            row2.addWidget(self.threshold_captions[key])
            row2.addWidget(spin)
        row2.addSpacing(12)
        row2.addWidget(self.quota_check)
        row2.addWidget(self.quota_spin)
        row2.addStretch(1)
        row2.addWidget(self.apply_button)
        row2.addSpacing(12)
        row2.addWidget(self.close_button)
        row2.addWidget(self.reopen_button)
        settings_layout = QVBoxLayout(self.settings)
        settings_layout.addLayout(row1)
        settings_layout.addLayout(row2)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.empty_label = QLabel(self.tr("No yearly evaluation yet: open a new year's round to begin."), self)
        self.empty_label.setStyleSheet(HINT_STYLE)

        # -- the tabs --
        self.rubric_tab = RubricTab(ctx, self)
        self.score_tab = ScoreTab(ctx, self)
        self.results_tab = ResultsTab(ctx, self)
        self.output = ResultsOutput(self)
        self.awards_holder = QWidget(self)
        QVBoxLayout(self.awards_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.rubric_tab, self.tr("Rubrics"))
        self.tabs.addTab(self.score_tab, self.tr("Scores"))
        self.tabs.addTab(self.results_tab, self.tr("Results"))
        self.tabs.addTab(self.awards_holder, self.tr("Awards"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.settings)
        layout.addWidget(self.message)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tabs, 1)

        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.open_button.clicked.connect(lambda _checked=False: self.open_year())
        self.scale_combo.currentIndexChanged.connect(lambda _i: self._update_captions())
        self.quota_check.toggled.connect(self.quota_spin.setEnabled)
        self.apply_button.clicked.connect(lambda _checked=False: self.apply_settings())
        self.close_button.clicked.connect(lambda _checked=False: self.close_round())
        self.reopen_button.clicked.connect(lambda _checked=False: self.reopen_round())
        self.rubric_tab.saved.connect(self._rubric_saved)
        self.score_tab.saved.connect(self._scores_saved)
        self.results_tab.changed.connect(self._announce)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changed.connect(self._on_data_changed)
        self.confirm = ask_confirmation
        self.ask_unsaved = ask_unsaved
        self.refresh()

    # -- hooks shared with the tabs ----------------------------------------------------------------

    @property
    def confirm(self) -> ConfirmFn:
        return self._confirm

    @confirm.setter
    def confirm(self, fn: ConfirmFn) -> None:
        self._confirm = fn
        self.rubric_tab.confirm = fn

    @property
    def today(self) -> dt.date | None:
        """The day scoring and the export count up to (None: the services' own, today)."""
        return self._today

    @today.setter
    def today(self, day: dt.date | None) -> None:
        self._today = day
        self.score_tab.today = day

    @property
    def ask_unsaved(self) -> AskUnsavedFn:
        return self._ask_unsaved

    @ask_unsaved.setter
    def ask_unsaved(self, fn: AskUnsavedFn) -> None:
        self._ask_unsaved = fn
        self.rubric_tab.ask_unsaved = fn
        self.score_tab.ask_unsaved = fn

    # -- loading -----------------------------------------------------------------------------------

    def _on_data_changed(self, area: str) -> None:
        if self._announcing:
            return  # our own change: the tabs already show it
        super()._on_data_changed(area)

    def refresh(self) -> None:
        """Reload the rounds and the shown round; a tab with unsaved edits keeps them (reloaded later)."""
        self._stale = False
        keep = self.round.id if self.round else None
        with self.ctx.session() as session:
            self.rounds = evaluation_rounds.rounds(session)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for info in self.rounds:
            self.year_combo.addItem(self._round_label(info), info.id)
        index = self.year_combo.findData(keep) if keep else -1
        self.year_combo.setCurrentIndex(index if index >= 0 else (0 if self.rounds else -1))
        self.year_combo.blockSignals(False)
        self._show_round(self._round_by_id(self.year_combo.currentData()), force=False)

    def _round_label(self, info: RoundInfo) -> str:
        state = self.tr("open") if info.status == "open" else self.tr("closed")
        return self.tr("{0} · {1} ({2})").format(info.year, info.name, state)

    def _round_by_id(self, round_id: object) -> RoundInfo | None:
        return next((r for r in self.rounds if r.id == round_id), None)

    def _year_chosen(self, _index: int) -> None:
        chosen = self._round_by_id(self.year_combo.currentData())
        if chosen is not None and self.round is not None and chosen.id == self.round.id:
            return
        if not (self.rubric_tab.confirm_leave() and self.score_tab.confirm_leave()):
            self.year_combo.blockSignals(True)
            self.year_combo.setCurrentIndex(max(self.year_combo.findData(self.round.id if self.round else None), 0))
            self.year_combo.blockSignals(False)
            return
        self._show_round(chosen, force=True)

    def _show_round(self, info: RoundInfo | None, *, force: bool) -> None:
        """Show *info* in the settings and every tab; with *force* False a tab with unsaved edits is left."""
        self.round = info
        self.rubrics = []
        if info is not None:
            with self.ctx.session() as session:
                self.rubrics = evaluation_rubrics.rubrics(session, info.id)
        targets = [(r.target, r.target_label) for r in self.rubrics]
        self._fill_settings(info)
        if force or not self.rubric_tab.is_dirty():
            self.rubric_tab.set_round(info, self.rubrics)
        if force or not self.score_tab.is_dirty():
            self.score_tab.set_round(info, targets)
        self.results_tab.set_round(info, targets)
        self.output.set_round(info)
        self.empty_label.setVisible(info is None)
        for index in (TAB_RUBRIC, TAB_SCORES, TAB_RESULTS):  # award campaigns need no round of their own
            self.tabs.setTabEnabled(index, info is not None)

    def _fill_settings(self, info: RoundInfo | None) -> None:
        self.settings.setEnabled(info is not None)
        if info is None:
            self.status_label.setText("")
            return
        is_open = info.status == "open"
        self.name_edit.setText(info.name)
        self.scale_combo.setCurrentIndex(max(self.scale_combo.findData(info.grade_scale), 0))
        for key, spin in self.threshold_spins.items():
            spin.setValue(float(info.thresholds.get(key, DEFAULT_THRESHOLDS[key])))
        self.quota_check.setChecked(info.top_quota_pct is not None)
        if info.top_quota_pct is not None:
            self.quota_spin.setValue(info.top_quota_pct)
        self.quota_spin.setEnabled(info.top_quota_pct is not None and is_open)
        for widget in (self.name_edit, self.scale_combo, self.quota_check, self.apply_button,
                       *self.threshold_spins.values()):
            widget.setEnabled(is_open)
        self.close_button.setVisible(is_open)
        self.reopen_button.setVisible(not is_open)
        self._update_captions()
        if is_open:
            self.status_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.status_label.setText(self.tr("Open · {0} evaluated").format(info.evaluated))
        else:
            self.status_label.setStyleSheet("color: #c62828; font-weight: bold;")
            self.status_label.setText(self.tr("Closed · {0} evaluated · read-only, nothing is recomputed").format(
                info.evaluated))

    def _update_captions(self) -> None:
        names = codes.GRADE_COMPETENT if self.scale_combo.currentData() == "competent" else codes.GRADE_STANDARD
        for key, caption in self.threshold_captions.items():
            caption.setText(names[key])

    def _tab_changed(self, index: int) -> None:
        if index == TAB_AWARDS:
            self.ensure_awards()

    def ensure_awards(self) -> QWidget | None:
        """Helper G's awards view, made the first time its tab is shown (a note while it is not in this build)."""
        if self.awards is not None:
            return self.awards
        layout = self.awards_holder.layout()
        module = optional_module(AWARDS_MODULE)
        view_class = getattr(module, "AwardsView", None) if module is not None else None
        if view_class is None:
            if layout.count() == 0:
                note = QLabel(self.tr("Award campaigns are not available in this version."), self.awards_holder)
                note.setStyleSheet(HINT_STYLE)
                note.setAlignment(Qt.AlignmentFlag.AlignCenter)
                layout.addWidget(note)
            return None
        self.awards = view_class(self.ctx)
        layout.addWidget(self.awards)
        select = getattr(self.awards, "select_unit", None)
        if callable(select):
            select(self.unit_id)
        return self.awards

    # -- the org tree ------------------------------------------------------------------------------

    def select_unit(self, unit_id: str | None) -> None:
        """The org tree's unit filters the grid and the results (the grid asks first about unsaved scores)."""
        label = ""
        if unit_id is not None:
            try:
                with self.ctx.session() as session:
                    label = site_views.unit_choice(session, unit_id).name
            except ValidationError:
                unit_id = None
        if not self.score_tab.select_unit(unit_id, label):
            return
        self.unit_id = unit_id
        self.results_tab.select_unit(unit_id)
        select = getattr(self.awards, "select_unit", None)
        if callable(select):
            select(unit_id)

    # -- changes -----------------------------------------------------------------------------------

    def _announce(self) -> None:
        """Tell the other pages (the overview, awards…) without reloading ourselves."""
        self._announcing = True
        try:
            self.ctx.notify("evaluation")
        finally:
            self._announcing = False

    def _reload_round_info(self) -> None:
        if self.round is None:
            return
        with self.ctx.session() as session:
            self.rounds = evaluation_rounds.rounds(session)
        info = self._round_by_id(self.round.id)
        if info is not None:
            self.round = info
            self.year_combo.setItemText(max(self.year_combo.findData(info.id), 0), self._round_label(info))
            self._fill_settings(info)

    def _rubric_saved(self) -> None:
        self._reload_round_info()
        self.rubrics = list(self.rubric_tab.rubrics)
        targets = [(r.target, r.target_label) for r in self.rubrics]
        self.score_tab.set_round(self.round, targets)  # items may have changed; the grid had no edits to lose
        self.results_tab.set_round(self.round, targets)
        self._announce()

    def _scores_saved(self) -> None:
        self._reload_round_info()
        self.results_tab.load()
        self._announce()

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.message, text, error=error)

    # -- rounds ------------------------------------------------------------------------------------

    def open_year(self, year: int | None = None) -> RoundInfo | None:
        """Open a new year's round (rubrics copied from the previous round, else the defaults) and show it."""
        if year is None:
            proposed = max((r.year for r in self.rounds), default=dt.date.today().year - 1) + 1
            year = self.ask_year(self, self.tr("Open a new year's round"), self.tr("Year to evaluate"), proposed)
            if year is None:
                return None
        if not (self.rubric_tab.confirm_leave() and self.score_tab.confirm_leave()):
            return None
        try:
            with self.ctx.session() as session:
                info = evaluation_rounds.open_round(session, year)
        except ValidationError as exc:
            self._say(self.tr("No round was opened. {0}").format(error_text(exc)), error=True)
            return None
        self.round = info
        self.refresh()
        self._say(self.tr("The {0} round is open with its rubrics; enter the scores or compute the automatic "
                          "indicators.").format(info.year))
        self._announce()
        return info

    def settings_values(self) -> dict[str, object]:
        quota = float(self.quota_spin.value()) if self.quota_check.isChecked() else None
        return {"name": self.name_edit.text().strip() or None, "grade_scale": self.scale_combo.currentData(),
                "thresholds": {k: float(s.value()) for k, s in self.threshold_spins.items()},
                "top_quota_pct": quota}

    def apply_settings(self) -> RoundInfo | None:
        """Store the name, scale, thresholds and quota; the open round's grades follow (R14)."""
        info = self.round
        if info is None or info.status != "open":
            return None
        values = self.settings_values()
        try:
            with self.ctx.session() as session:
                saved = evaluation_rounds.update_round(
                    session, info.id, name=values["name"], grade_scale=values["grade_scale"],  # type: ignore[arg-type]
                    thresholds=values["thresholds"], top_quota_pct=values["top_quota_pct"])  # type: ignore[arg-type]
        except ValidationError as exc:
            self._say(self.tr("Settings not saved. {0}").format(error_text(exc)), error=True)
            return None
        self.round = saved
        self.refresh()
        thresholds = " / ".join(number_text(saved.thresholds.get(k)) for k in ("excellent", "pass", "basic"))
        self._say(self.tr("Settings of the {0} round saved: thresholds {1}.").format(saved.year, thresholds))
        self._announce()
        return saved

    def close_round(self) -> bool:
        info = self.round
        if info is None or info.status != "open":
            return False
        question = self.tr("Close the {0} round? Its rubrics, scores, grades and ranks become read-only and are "
                           "never recomputed; reopening needs a reason.").format(info.year)
        if not self.confirm(self, self.tr("Close round"), question):
            return False
        if not (self.rubric_tab.confirm_leave() and self.score_tab.confirm_leave()):
            return False
        try:
            with self.ctx.session() as session:
                evaluation_rounds.close_round(session, info.id)
        except ValidationError as exc:
            self._say(self.tr("Not closed. {0}").format(error_text(exc)), error=True)
            return False
        self.refresh()
        self._say(self.tr("The {0} round is closed.").format(info.year))
        self._announce()
        return True

    def reopen_round(self) -> bool:
        info = self.round
        if info is None or info.status != "closed":
            return False
        reason = self.ask_text(self, self.tr("Reopen round"),
                               self.tr("Why is the {0} round reopened? (kept in the audit log)").format(info.year))
        if reason is None:
            return False
        try:
            with self.ctx.session() as session:
                evaluation_rounds.reopen_round(session, info.id, reason=reason.strip())
        except ValidationError as exc:
            self._say(self.tr("Not reopened. {0}").format(error_text(exc)), error=True)
            return False
        self.refresh()
        self._say(self.tr("The {0} round is open again.").format(info.year))
        self._announce()
        return True
