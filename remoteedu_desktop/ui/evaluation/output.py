"""The results tab's output: the yearly evaluation forms (年度考评表) as one PDF and the results as .xlsx.

Both are written by other modules (``services.evaluation_forms_data`` with ``printing.evaluation_forms``,
and ``services.evaluation_export``), imported when first used: while they are not in this build the
buttons are disabled with a tooltip saying so. The work runs in a worker behind a progress dialog
(``run_with_progress``) after a save-as dialog; the PDF is written safely (temporary file, rename), so a
full disk never leaves half a file under the clerk's name.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Generator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from ...services.evaluation_rounds import RoundInfo
from ...services.progress import Progress
from ...sync.safe_write import write_file_safely
from ..worker import Job, run_with_progress
from .common import error_text, file_name, optional_module, show_message

if TYPE_CHECKING:
    from .page import EvaluationPage

FORMS_DATA = "remoteedu_desktop.services.evaluation_forms_data"
FORMS_PRINTING = "remoteedu_desktop.printing.evaluation_forms"
EXPORT = "remoteedu_desktop.services.evaluation_export"


def with_suffix(path: str, suffix: str) -> Path:
    return Path(path if path.lower().endswith(suffix) else path + suffix)


def present(name: str) -> bool:
    """Whether module *name* is in this build, without importing it (ReportLab and openpyxl are heavy: they
    are loaded when the clerk first prints or exports, not when the page opens)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def forms_available() -> bool:
    return present(FORMS_DATA) and present(FORMS_PRINTING)


def forms_modules() -> tuple[ModuleType, ModuleType] | None:
    data, printing = optional_module(FORMS_DATA), optional_module(FORMS_PRINTING)
    if data is None or printing is None or not hasattr(data, "load_batch") or not hasattr(data, "forms_pdf"):
        return None
    return data, printing


def export_function() -> Any | None:
    """``evaluation_export.export_results_steps(session, path, year, *, unit_id)``, or None while that module is
    not in this build."""
    module = optional_module(EXPORT)
    fn = getattr(module, "export_results_steps", None) if module is not None else None
    return fn if callable(fn) else None


class ResultsOutput(QObject):
    """Wires the results tab's forms and export buttons to the page's save-as hook and a worker."""

    def __init__(self, page: EvaluationPage) -> None:
        super().__init__(page)
        self.page = page
        self.round: RoundInfo | None = None
        self.job: Job | None = None
        self.last_written: Path | None = None
        tab = page.results_tab
        tab.forms_selected_button.clicked.connect(lambda _checked=False: self.print_forms(selected_only=True))
        tab.forms_all_button.clicked.connect(lambda _checked=False: self.print_forms(selected_only=False))
        tab.export_button.clicked.connect(lambda _checked=False: self.export())
        tab.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())

    def set_round(self, info: RoundInfo | None) -> None:
        self.round = info
        self.update_buttons()

    def update_buttons(self) -> None:
        tab = self.page.results_tab
        has_rows = self.round is not None and tab.model.rowCount() > 0
        forms = forms_available()
        missing = self.tr("Not available in this version")
        for button, enabled in ((tab.forms_selected_button, forms and has_rows and bool(tab.selected_ids())),
                                (tab.forms_all_button, forms and has_rows)):
            button.setEnabled(enabled)
            button.setToolTip("" if forms else missing)
        export = present(EXPORT)
        tab.export_button.setEnabled(export and self.round is not None)
        tab.export_button.setToolTip(self.tr("Every target of the year, one sheet each") if export else missing)

    def _say(self, text: str, *, error: bool = False) -> None:
        show_message(self.page.results_tab.message, text, error=error)

    # -- the forms ---------------------------------------------------------------------------------

    def print_forms(self, *, selected_only: bool) -> Job | None:
        """The yearly evaluation forms of the selected evaluations, or of every one shown (one page each)."""
        modules = forms_modules()
        info = self.round
        tab = self.page.results_tab
        if modules is None or info is None:
            return None
        rows = tab.selected_rows() if selected_only else tab.shown_rows()
        if not rows:
            self._say(self.tr("Select the evaluations to print first."), error=True)
            return None
        data, printing = modules
        ids = [r.id for r in rows]
        target = tab.target_combo.currentData() or None
        unit_id = tab.unit_id
        suggested = file_name(self.tr("Evaluation forms {0}").format(info.year)) + ".pdf" if not selected_only or \
            len(rows) > 1 else file_name(self.tr("Evaluation form {0} {1}").format(info.year, rows[0].name)) + ".pdf"
        chosen = self.page.choose_save_path(self.page, self.tr("Save the evaluation forms"), suggested,
                                            self.tr("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = with_suffix(chosen, ".pdf")
        ctx, year = self.page.ctx, info.year
        preparing, step = self.tr("Preparing {0} forms…"), self.tr("Form {0} of {1}")

        def work() -> Generator[Progress, None, bytes]:
            with ctx.session() as session:
                batch = data.load_batch(session, year, target=target, unit_id=unit_id)
                order = {eid: n for n, eid in enumerate(ids)}
                records = [r for r in batch.records if r.id in order]
                if len(records) == len(batch.records):
                    pdf: bytes = yield from data.forms_pdf(session, year, target=target, unit_id=unit_id)
                    return pdf
                # Only some: the same forms, in the batch's print order, photos included.
                wanted = {r.id for r in records}
                total = len(records)
                yield 0, total, preparing.format(total)
                forms = [form for record, form in zip(batch.records, data.form_data(
                    session, year, target=target, unit_id=unit_id), strict=True) if record.id in wanted]
                steps = printing.render_forms_steps(forms)
                while True:
                    try:
                        done = next(steps)
                    except StopIteration as stop:
                        return stop.value  # type: ignore[no-any-return]
                    yield done, total, step.format(done, total)

        def done(result: object) -> None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_file_safely(path, result if isinstance(result, bytes) else b"", overwrite=True)
            except OSError as exc:
                self._say(self.tr("Nothing was written. {0}").format(error_text(exc)), error=True)
                return
            self.last_written = path
            self._say(self.tr("{0} forms saved to {1}").format(len(ids), path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was written. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self.page, self.tr("Printing the evaluation forms"), work,
                                     on_done=done, on_error=failed)
        return self.job

    # -- the .xlsx ---------------------------------------------------------------------------------

    def export(self) -> Job | None:
        """The year's results to .xlsx (one sheet per target), written by ``evaluation_export``."""
        fn = export_function()
        info = self.round
        if fn is None or info is None:
            return None
        suggested = file_name(self.tr("Evaluation results {0}").format(info.year)) + ".xlsx"
        chosen = self.page.choose_save_path(self.page, self.tr("Export the evaluation results"), suggested,
                                            self.tr("Excel workbooks (*.xlsx)"))
        if not chosen:
            return None
        path = with_suffix(chosen, ".xlsx")
        ctx, year, unit_id = self.page.ctx, info.year, self.page.results_tab.unit_id
        writing = self.tr("Writing {0}…").format(path.name)
        today = self.page.today

        def work() -> Generator[Progress, None, int]:
            yield 0, 1, writing
            with ctx.session() as session:
                count: int = yield from fn(session, path, year, unit_id=unit_id, today=today)
                return count

        def done(result: object) -> None:
            self.last_written = path
            self._say(self.tr("{0} results saved to {1}").format(result, path))

        def failed(exc: Exception) -> None:
            self._say(self.tr("Nothing was written. {0}").format(error_text(exc)), error=True)

        self.job = run_with_progress(self.page, self.tr("Exporting the evaluation results"), work,
                                     on_done=done, on_error=failed)
        return self.job
