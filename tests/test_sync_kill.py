"""Issue 6, item 12: an import killed at random points leaves the county database fully before or fully
after the bundle, with ``integrity_check`` ok — never half of it.

A township with a few thousand people exports one up bundle; then, several times, a pristine copy of the
county's data directory gets ``remoteedu sync import`` in a separate process that is killed (SIGKILL) after
a random delay. Each time the copy must open cleanly and hold either none of the bundle or all of it, with
the ledger saying the same. Kills land before, during and after the transaction; the delays are spread so
that both outcomes occur.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.services import bulk, office_keys
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.services.id_number import check_digit

PEOPLE = 2000
ROUNDS = 5
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰"


def run(capsys: pytest.CaptureFixture[str], home: Path, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--home", str(home), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def counts(home: Path) -> tuple[str, int, int]:
    """(integrity_check, people, applied up bundles) of the database in *home*, read with bare sqlite3."""
    with sqlite3.connect(home / paths.DB_FILENAME) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        people = conn.execute("SELECT count(*) FROM person").fetchone()[0]
        applied = conn.execute("SELECT count(*) FROM sync_ledger WHERE status = 'applied'").fetchone()[0]
    return integrity, people, applied


@pytest.fixture
def bundle_and_county(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    county, township, stick = tmp_path / "county", tmp_path / "township", tmp_path / "stick"
    stick.mkdir()
    enrolment = tmp_path / "enrol.json"
    assert run(capsys, county, "init", "--level", "county", "--code", "360499", "--name", "青山县")[0] == 0
    assert run(capsys, county, "sync", "enroll", "--township", "360499100", "--name", "龙潭镇",
               "--out", str(enrolment))[0] == 0
    assert run(capsys, township, "sync", "enroll", "--install", str(enrolment))[0] == 0
    db = open_database(f"sqlite:///{township / paths.DB_FILENAME}")
    try:
        with db.session() as s:
            rows = []
            for i in range(PEOPLE):
                first17 = f"360499{dt.date(1960, 1, 1) + dt.timedelta(days=i * 7):%Y%m%d}{i % 1000:03d}"
                name = SURNAMES[i % 10] + GIVEN[i // 10 % 20] + GIVEN[i // 200 % 20]
                rows.append({"name": name, "id_number": first17 + check_digit(first17)})
            bulk.add_people(s, rows, today=dt.date(2026, 6, 30))
            fingerprint = office_keys.own_fingerprint(s).short
    finally:
        db.dispose()
    code, _, err = run(capsys, township, "sync", "export", "--to", str(stick))
    assert code == 0, err
    [bundle] = list(stick.iterdir())
    # The first import records the township's key as pending; the county clerk then confirms it by phone.
    assert run(capsys, county, "sync", "import", str(bundle))[0] == 1
    code, _, err = run(capsys, county, "sync", "enroll", "--accept", "360499100", "--fingerprint", fingerprint)
    assert code == 0, err
    db = open_database(f"sqlite:///{county / paths.DB_FILENAME}")
    try:
        with db.session() as s:
            assert se.peer_info(s, "360499100").state == "accepted"
    finally:
        db.dispose()
    paths.set_home(None)
    return bundle, county


def test_an_import_killed_anywhere_leaves_before_or_after(bundle_and_county: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    bundle, county = bundle_and_county
    assert counts(county) == ("ok", 0, 0)
    rng = random.Random(6)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("REMOTEEDU_HOME", None)

    # One uninterrupted import, timed, so that the kills can be spread over its whole length.
    whole = tmp_path / "whole"
    shutil.copytree(county, whole)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "remoteedu_desktop.cli", "--home", str(whole), "sync", "import",
                           str(bundle)], env=env, capture_output=True, text=True, timeout=300)
    took = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert counts(whole) == ("ok", PEOPLE, 1)

    outcomes = []
    for n in range(ROUNDS):
        home = tmp_path / f"killed{n}"
        shutil.copytree(county, home)
        proc = subprocess.Popen([sys.executable, "-m", "remoteedu_desktop.cli", "--home", str(home), "sync",
                                 "import", str(bundle)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.1) * took)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        integrity, people, applied = counts(home)
        assert integrity == "ok", (n, integrity)
        assert (people, applied) in ((0, 0), (PEOPLE, 1)), (n, people, applied)
        outcomes.append(people)
    assert len(outcomes) == ROUNDS
