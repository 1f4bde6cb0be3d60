"""File → "Back up to USB…" and "Restore from backup…" (issue 9 items 3 and 7): a verified copy with the
"safe to remove" message; a restore that shows what the backup holds first, refuses a corrupt file with a
Chinese reason, keeps the replaced database and reopens the restored one."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data import backup as files
from remoteedu_desktop.services import backups, offices, units
from remoteedu_desktop.services.site_views import unit_choices
from remoteedu_desktop.ui.backups.dialogs import BackupToDialog, RestoreDialog
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

SHOTS = Path(os.environ.get("REMOTEEDU_SHOTS", "")) if os.environ.get("REMOTEEDU_SHOTS") else None


@pytest.fixture(autouse=True)
def _inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def shoot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    widget.show()
    widget.adjustSize()
    target = (SHOTS or tmp_path) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(target))
    return target


def add_village(ctx: AppContext, name: str, code: str) -> None:
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        units.add_unit(s, kind="village", name=name, parent_id=township, code=code)


def village_names(ctx: AppContext) -> set[str]:
    with ctx.session() as s:
        return {c.name for c in unit_choices(s, kinds=("village",))}


def names_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM org_unit WHERE deleted = 0")}


# --- back up to USB -------------------------------------------------------------------------------------

def test_backup_to_usb_writes_a_verified_copy_and_says_safe_to_remove(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    add_village(ctx, "石门村", "360499100201")
    dialog = BackupToDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.choose_folder = lambda _parent, _title: str(stick)
    dialog._browse()
    assert dialog.folder_edit.text() == str(stick)
    dialog.start()
    made = dialog.result_backup
    assert made is not None and made.path.parent == stick
    assert "石门村" in names_in(made.path)
    text = dialog.message.text()
    assert "可以安全拔出" in text and made.sha256 in text and str(made.path) in text
    assert dialog.progress.value() == dialog.progress.maximum()
    shoot(dialog, tmp_path, "backup_to_usb.png")


def test_backup_to_a_missing_folder_is_refused_in_red(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = BackupToDialog(ctx, folder=tmp_path / "gone")
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.result_backup is None
    assert "文件夹不存在" in dialog.message.text() and "c62828" in dialog.message.styleSheet()
    assert dialog.ok_button.isEnabled()
    dialog2 = BackupToDialog(ctx)
    qtbot.addWidget(dialog2)
    assert dialog2.start() is None and dialog2.message.text()


# --- restore --------------------------------------------------------------------------------------------

def test_restore_shows_what_the_backup_holds_then_replaces_and_reopens(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    add_village(ctx, "石门村", "360499100201")
    saved = ctx.db.backup("manual")
    add_village(ctx, "后来村", "360499100202")
    old_db = ctx.db
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.choose_open_file = lambda _p, _t, _f: str(saved)
    asked: list[str] = []
    dialog.confirm = lambda _p, _t, question: asked.append(question) or True
    dialog.choose_file()
    assert dialog.info is not None
    assert dialog.fields["sites"].text() == "1" and "龙潭镇" in dialog.fields["office"].text()
    assert dialog.fields["kind"].text() == "手动备份"
    assert dialog.ok_button.isEnabled() and dialog.warning.isHidden()
    shoot(dialog, tmp_path, "restore_inspected.png")
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    with qtbot.waitSignal(dialog.restored) as signal:
        dialog.restore()
    assert asked and "替换" in asked[0]
    assert ctx.db is not old_db, "the reopened database is the context's now"
    kept = signal.args[0]
    assert kept is not None and files.parse_name(kept)[1] == "pre_restore" and "后来村" in names_in(kept)
    assert "后来村" not in names_in(ctx.db.path) and "石门村" in names_in(ctx.db.path)
    assert village_names(ctx) == {"石门村"}, "pages read the restored database through ctx.session()"
    assert "units" in areas and "people" in areas
    assert str(kept) in dialog.message.text()
    shoot(dialog, tmp_path, "restore_done.png")


def test_corrupt_backup_is_refused_and_restore_stays_off(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 500)
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *_a: pytest.fail("no confirmation for a refused file")
    dialog.load(bad)
    assert dialog.info is None and not dialog.ok_button.isEnabled()
    assert "不能用于恢复" in dialog.message.text() and "c62828" in dialog.message.styleSheet()
    assert "Traceback" not in dialog.message.text()
    assert dialog.restore() is None
    assert files.list_backups(ctx.db.backup_dir, "pre_restore") == []
    shoot(dialog, tmp_path, "restore_refused.png")


def test_backup_of_another_office_is_flagged(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    other = ctx.db.backup("manual")
    with sqlite3.connect(other) as conn:
        conn.execute("UPDATE local_office SET code = '360499200', name = '石岭乡'")
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(other)
    assert dialog.info is not None and not dialog.warning.isHidden()
    assert "石岭乡" in dialog.warning.text() and "龙潭镇" in dialog.warning.text()
    shoot(dialog, tmp_path, "restore_other_office.png")


def test_declined_confirmation_changes_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    saved = ctx.db.backup("manual")
    add_village(ctx, "后来村", "360499100202")
    db = ctx.db
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda *_a: False
    dialog.load(saved)
    assert dialog.restore() is None
    assert ctx.db is db and "后来村" in names_in(db.path)
    assert files.list_backups(db.backup_dir, "pre_restore") == []


def test_the_dialog_cannot_be_closed_while_restoring(qtbot: QtBot, ctx: AppContext, monkeypatch) -> None:
    saved = ctx.db.backup("manual")
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.confirm = lambda *_a: True
    dialog.load(saved)
    seen: list[tuple[bool, bool]] = []
    real = backups.restore_steps

    def watched(db, source):  # runs inside the job, while the restore is under way
        dialog.reject()
        seen.append((dialog.buttons.isEnabled(), dialog.isVisible()))
        return (yield from real(db, source))

    monkeypatch.setattr(backups, "restore_steps", watched)
    dialog.restore()
    assert seen == [(False, True)], "Close disabled and Escape ignored during the restore"
    assert dialog.outcome is not None and dialog.buttons.isEnabled() and not dialog.ok_button.isEnabled()
    dialog.reject()
    assert not dialog.isVisible()
