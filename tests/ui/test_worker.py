"""Background jobs: progress arrives as signals, cancel closes the generator and nothing is written."""

from __future__ import annotations

import time
from collections.abc import Generator
from pathlib import Path

from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.ui.worker import Job


def slow_insert(url: str, n: int, delay: float) -> Generator[tuple[int, int, str], None, int]:
    db = open_database(url)
    try:
        with db.session() as s:
            for i in range(n):
                s.add(OrgUnit(kind="county", name=f"县{i}", code=None))
                s.flush()
                time.sleep(delay)
                yield i + 1, n, f"第 {i + 1} 个"
        return n
    finally:
        db.dispose()


def count_units(url: str) -> int:
    db = open_database(url)
    try:
        with db.session() as s:
            return s.query(OrgUnit).count()
    finally:
        db.dispose()


def test_job_reports_progress_and_result(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    job = Job(lambda: slow_insert(url, 5, 0.0))
    seen: list[int] = []
    job.signals.progress.connect(lambda done, total, text: seen.append(done))
    with qtbot.waitSignal(job.signals.finished, timeout=10_000) as blocker:
        job.start()
    assert blocker.args == [5]
    qtbot.waitUntil(lambda: seen == [1, 2, 3, 4, 5])
    assert count_units(url) == 5


def test_cancel_rolls_back(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    job = Job(lambda: slow_insert(url, 200, 0.01))
    job.signals.progress.connect(lambda done, total, text: job.cancel() if done == 3 else None)
    with qtbot.waitSignal(job.signals.cancelled, timeout=10_000):
        job.start()
    QtBot.wait(qtbot, 50)
    assert count_units(url) == 0


def test_failure_is_reported_not_raised(qtbot: QtBot) -> None:
    def boom() -> Generator[tuple[int, int, str], None, None]:
        yield 0, 1, "开始"
        raise ValueError("坏数据")

    job = Job(boom)
    with qtbot.waitSignal(job.signals.failed, timeout=5_000) as blocker:
        job.start()
    assert isinstance(blocker.args[0], ValueError)
