"""Issue 10 item 1: the PostgreSQL URL a clerk types works whichever driver this installation has, and every
server connection gets the lock timeout that turns a long wait into a clear "busy" message."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from sqlalchemy import Engine, event

from remoteedu_desktop.data.engine import PG_LOCK_TIMEOUT_MS, make_engine

URL = "postgresql+psycopg://clerk@127.0.0.1:1/remoteedu"


class _Captured(Exception):
    pass


def connect_params(engine: Engine) -> dict[str, Any]:
    """The driver's connect() arguments, caught before any connection is made."""
    captured: dict[str, Any] = {}

    @event.listens_for(engine, "do_connect")
    def catch(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
        captured.update(cparams)
        raise _Captured

    with pytest.raises(_Captured):
        engine.connect()
    engine.dispose()
    return captured


def test_psycopg_is_used_where_installed() -> None:
    engine = make_engine(URL)
    assert engine.dialect.driver == "psycopg"
    assert f"lock_timeout={PG_LOCK_TIMEOUT_MS}" in connect_params(engine)["options"]


def test_without_psycopg_the_bundles_pg8000_takes_the_same_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Windows bundle carries pg8000 only: the same URL opens through it, with the same lock timeout."""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    engine = make_engine(URL)
    assert engine.dialect.driver == "pg8000"
    assert engine.url.username == "clerk" and engine.url.database == "remoteedu"
    params = connect_params(engine)
    assert params["startup_params"] == {"lock_timeout": str(PG_LOCK_TIMEOUT_MS)}


def test_sqlite_urls_are_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    engine = make_engine("sqlite://")
    assert engine.dialect.name == "sqlite"
    engine.dispose()
