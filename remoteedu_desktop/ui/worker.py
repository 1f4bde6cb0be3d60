"""Long work off the UI thread, with progress and cancel.

Long jobs are Qt-free generators (in services/) that yield ``(done, total,
text)`` and return a result. :class:`Job` runs one on the thread pool and
turns each yield into a signal; cancelling sets a flag that is checked
between yields, and the generator is closed (its ``finally`` blocks and the
caller's transaction roll back). :func:`run_with_progress` shows a modal
progress dialog with a cancel button. In tests, ``Job.inline = True`` runs
jobs synchronously so widget tests are deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..services.progress import Progress

JobFactory = Callable[[], Generator[Progress, None, Any]]


class Cancelled(Exception):
    """The clerk pressed cancel; nothing was written."""


class JobSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class Job(QRunnable):
    inline: ClassVar[bool] = False

    def __init__(self, factory: JobFactory) -> None:
        super().__init__()
        self.factory = factory
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        gen = None
        try:
            gen = self.factory()
            while True:
                if self._cancel.is_set():
                    gen.close()
                    self.signals.cancelled.emit()
                    return
                try:
                    done, total, text = next(gen)
                except StopIteration as stop:
                    self.signals.finished.emit(stop.value)
                    return
                self.signals.progress.emit(done, total, text)
        except Exception as exc:  # reported to the UI thread, shown as a Chinese message there
            self.signals.failed.emit(exc)

    def start(self) -> None:
        if Job.inline:
            self.run()
        else:
            QThreadPool.globalInstance().start(self)


def run_with_progress(parent: QWidget | None, title: str, factory: JobFactory, *,
                      on_done: Callable[[Any], None], on_error: Callable[[Exception], None],
                      on_cancel: Callable[[], None] | None = None) -> Job:
    """Start *factory*'s generator in the background behind a progress dialog with a cancel button."""
    dialog = QProgressDialog(title, QCoreApplication.translate("Worker", "Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    job = Job(factory)

    def progress(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)
        dialog.setLabelText(text)

    def finish(result: object) -> None:
        dialog.reset()
        on_done(result)

    def fail(exc: object) -> None:
        dialog.reset()
        on_error(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))

    def cancelled() -> None:
        dialog.reset()
        if on_cancel:
            on_cancel()

    job.signals.progress.connect(progress)
    job.signals.finished.connect(finish)
    job.signals.failed.connect(fail)
    job.signals.cancelled.connect(cancelled)
    dialog.canceled.connect(job.cancel)
    job.start()
    return job
