"""The ``remoteedu`` command line, run in-process (and once as the installed script)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from remoteedu_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "h")
    code, out, _ = run(capsys, "--home", home, "init", "--level", "township", "--code", "360499100",
                       "--name", "龙潭镇", "--county-name", "青山县")
    assert code == 0 and "龙潭镇" in out
    code, out, _ = run(capsys, "--home", home, "check")
    assert code == 0
    assert "完整性检查：通过" in out
    assert "[R2] 龙潭镇" in out, "a township with no managers is warned about (R2)"


def test_init_refuses_bad_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--home", str(tmp_path / "h"), "init", "--level", "county", "--code", "12345",
                       "--name", "青山县")
    assert code == 1
    assert "单位代码" in err and "6 位数字" in err


def test_demo_then_check_has_no_rule_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "h")
    code, out, _ = run(capsys, "--home", home, "demo", "--townships", "2", "--sites", "3", "--seed", "7")
    assert code == 0, out
    code, out, _ = run(capsys, "--home", home, "check", "--today", "2026-11-01")
    assert code == 0
    assert "规则检查：无问题" in out
    code, out, _ = run(capsys, "--home", home, "demo", "--if-missing")
    assert code == 0 and "未改动" in out
    code, _, err = run(capsys, "--home", home, "demo")
    assert code == 1 and "空数据库" in err


def test_check_exits_1_on_broken_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "remoteedu.sqlite3").write_bytes(b"not a database at all" * 200)
    code, _, err = run(capsys, "--home", str(home), "check")
    assert code == 1
    assert "损坏" in err


def test_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    run(capsys, "--home", str(home), "init", "--level", "county", "--code", "360499", "--name", "青山县")
    code, out, _ = run(capsys, "--home", str(home), "backup", "--to", str(tmp_path / "usb"))
    assert code == 0
    saved = next((tmp_path / "usb").glob("remoteedu-*-manual.sqlite3"))
    with sqlite3.connect(home / "remoteedu.sqlite3") as conn:
        conn.execute("UPDATE org_unit SET name = '改过的县'")
    code, _, err = run(capsys, "--home", str(home), "restore", str(saved))
    assert code == 1 and "--yes" in err, "restore without --yes and no terminal does nothing"
    code, out, _ = run(capsys, "--home", str(home), "restore", str(saved), "--yes")
    assert code == 0, out
    assert "青山县" in out and "原数据库已另存为" in out
    with sqlite3.connect(home / "remoteedu.sqlite3") as conn:
        assert conn.execute("SELECT name FROM org_unit").fetchone()[0] == "青山县"
    kept = list((home / "backups").glob("*-pre_restore.sqlite3"))
    assert len(kept) == 1


def test_restore_refuses_corrupt_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    run(capsys, "--home", str(home), "init", "--level", "county", "--code", "360499", "--name", "青山县")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "--home", str(home), "restore", str(bad), "--yes")
    assert code == 1 and "备份文件" in err
    with sqlite3.connect(home / "remoteedu.sqlite3") as conn:
        assert conn.execute("SELECT name FROM org_unit").fetchone()[0] == "青山县"


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    exe = shutil.which("remoteedu", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "remoteedu_desktop.cli"]
    result = subprocess.run([*cmd, "--home", str(tmp_path / "h"), "check"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "完整性检查：通过" in result.stdout
