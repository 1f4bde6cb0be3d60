"""The reminders dialog on start (issue 8, item 4): lines, double-click → page, "don't show again today"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import offices, units
from remoteedu_desktop.services.reminders import Reminder
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.reminders.dialog import (
    HIDDEN_KEY,
    RemindersDialog,
    hidden_today,
    reminders_on_start,
)

TODAY = dt.date(2026, 6, 30)


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _villages(ctx: AppContext, count: int) -> str:
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        for n in range(count):
            units.add_unit(s, kind="village", name=f"第{n + 1}村", parent_id=township, code=f"360499100{201 + n}")
        return township


def test_nothing_to_remind_shows_nothing(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    assert reminders_on_start(ctx, settings=_settings(tmp_path), today=TODAY) is None


def test_lines_and_double_click_requests_the_page(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    township = _villages(ctx, 2)
    dialog = reminders_on_start(ctx, settings=_settings(tmp_path), today=TODAY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "提醒事项"
    assert dialog.texts() == ["龙潭镇：2 个村站点缺少A岗或B岗管理员（共空缺 4 个岗位，R3）"]
    assert dialog.table.item(0, 0).text() == "立即处理"
    with qtbot.waitSignal(dialog.page_requested) as signal:
        cell = dialog.table.item(0, 1)
        dialog.table.itemDoubleClicked.emit(cell)
    assert signal.args == ["sites", township]
    with qtbot.waitSignal(dialog.page_requested) as signal:
        dialog.open_button.click()
    assert signal.args == ["sites", township]
    dialog.resize(640, 300)
    qtbot.wait(10)
    assert dialog.grab().save(str(tmp_path / "reminders.png"))


def test_severity_order_and_colours(qtbot: QtBot, ctx: AppContext) -> None:
    items = [Reminder("post_vacant", "warning", "龙潭镇：1 个村站点缺少A岗或B岗管理员", "u1", "sites", 1),
             Reminder("sync_stale", "info", "与青山县远程办已 40 天未交换数据包", None, "sync", 1)]
    dialog = RemindersDialog(ctx, items, today=TODAY)
    qtbot.addWidget(dialog)
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["立即处理", "近期处理"]
    red = dialog.table.item(0, 1).foreground().color()
    plain = dialog.table.item(1, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert red.red() > 150 and red.green() < 80 and plain is None
    assert "2 项" in dialog.summary.text() and "1 项" in dialog.summary.text()
    with qtbot.waitSignal(dialog.page_requested) as signal:
        dialog.open_reminder(1)
    assert signal.args == ["sync", None]


def test_dont_show_again_today(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    _villages(ctx, 1)
    settings = _settings(tmp_path)
    dialog = reminders_on_start(ctx, settings=settings, today=TODAY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.reject()  # closed without the box ticked: shown again
    assert not hidden_today(settings, TODAY)
    dialog = reminders_on_start(ctx, settings=settings, today=TODAY)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.hide_today.setChecked(True)
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    assert settings.value(HIDDEN_KEY) == "2026-06-30"
    assert reminders_on_start(ctx, settings=settings, today=TODAY) is None
    assert reminders_on_start(ctx, settings=settings, today=TODAY + dt.timedelta(days=1)) is not None
