"""Issue 10 item 3: the program killed (SIGKILL) at random points of each operation leaves the database whole
and the operation fully applied or not at all — a small run of ``scripts/faults.py`` through the same code
(``--count 100`` is the real run). Replaces the former ``tests/test_sync_kill.py``."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from faults import harness

pytestmark = pytest.mark.skipif(not hasattr(harness.os, "fork"), reason="fork: the kills run on POSIX")


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[harness.Tally], Path]:
    """Three kills of each operation (one per targeted kind), two at a time, with a fixed seed."""
    work = tmp_path_factory.mktemp("faults")
    lines: list[str] = []
    tallies = harness.run_all(harness.ALL_OPS, 3, 10, work, small=True, jobs=2, echo=lines.append)
    print("\n".join([*lines, *harness.table(tallies)]))  # shown with -s
    return tallies, work


def test_killed_anywhere_each_operation_is_all_or_nothing(
        fault_run: tuple[list[harness.Tally], Path]) -> None:
    tallies, _ = fault_run
    assert [t.op for t in tallies] == list(harness.ALL_OPS)
    for t in tallies:
        assert t.failures == 0, t.messages
        assert t.trials == 3 and t.not_applied + t.applied_killed + t.ran_to_end == 3
        assert dict(t.kinds) == {"statement": 1, "commit": 1, "connect": 1}, t.op
        assert t.not_applied >= 1, t.op  # a kill inside the work undoes all of it
    sync = next(t for t in tallies if t.op == "sync")
    assert sync.applied_killed >= 1  # killed just after its commit: all of the bundle, and the ledger says so
    certificates = next(t for t in tallies if t.op == "certificates")
    assert certificates.measured is not None and certificates.measured.statements > 20


def test_the_checks_see_a_half_written_state(fault_run: tuple[list[harness.Tally], Path],
                                             tmp_path: Path) -> None:
    """The checks the trials rely on do fail: a numbering gap, a truncated backup, a half-written state."""
    _, work = fault_run
    home = tmp_path / "home"
    shutil.copytree(work / "certificates" / "pristine", home)
    db = home / harness.DB
    op = harness.CertificatesOp("certificates", "", tmp_path / "unused")
    assert harness.integrity(db) == "ok" and harness.numbering_problems(db) == []
    before = harness.snapshot(db)
    with closing(sqlite3.connect(db)) as conn, conn:
        number = conn.execute("SELECT number FROM certificate ORDER BY number LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM certificate_print")
        conn.execute("DELETE FROM certificate WHERE number = ?", (number,))
    assert any("last_serial" in p for p in harness.numbering_problems(db))  # R11: a gap
    now = harness.snapshot(db)
    assert harness.differences(before, now) and op.applied(home, before, before, now) is None
    backups = home / "backups"
    backups.mkdir(exist_ok=True)
    (backups / "remoteedu-20261129-120000-000000-manual.sqlite3").write_bytes(b"")
    (backups / "remoteedu-20261129-120001-000000-manual.sqlite3.partial").write_bytes(b"SQLite")
    problems = harness.backup_problems(backups)
    assert len(problems) == 1 and "manual.sqlite3 " in problems[0]  # the listed one; the temp file is ignored
