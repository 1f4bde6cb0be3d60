"""Shared fixtures. Qt runs offscreen; every database is a real SQLite file in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from remoteedu_desktop import paths  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test touches the real data directory."""
    home = tmp_path / "home"
    monkeypatch.setenv("REMOTEEDU_HOME", str(home))
    monkeypatch.delenv("REMOTEEDU_DATABASE_URL", raising=False)
    paths.set_home(None)
    yield home
    paths.set_home(None)
