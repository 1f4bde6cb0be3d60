"""File → Settings… (issue 9, item 5): six tabs, OK validates everything and saves in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.models import SyncPeer
from remoteedu_desktop.services import certificate_templates, offices, reminders, settings_schema
from remoteedu_desktop.ui import i18n
from remoteedu_desktop.ui.cert_templates.printers_view import PrintersView
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.settings import SettingsDialog

SHOTS = Path("/tmp/step8/R")


@pytest.fixture
def settings_file(tmp_path: Path) -> Iterator[None]:
    """QSettings (the language) in a file of this test, never the user's."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext, settings_file: None) -> SettingsDialog:
    dlg = SettingsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_tabs_show_the_current_settings(dialog: SettingsDialog, qtbot: QtBot) -> None:
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["本单位", "界面语言", "打印机与校准", "证书模板", "备份", "提醒"]
    assert dialog.windowTitle() == "设置"
    assert dialog.name_edit.text() == "龙潭镇" and dialog.code_edit.text() == "360499100"
    assert dialog.code_edit.isReadOnly() and not dialog.name_edit.isReadOnly()
    assert isinstance(dialog.printers, PrintersView)
    assert dialog.language_combo.currentData() == "zh_CN"
    assert [s.value() for s in dialog.reminder_spins.values()] == [60, 7, 30]
    names = [dialog.template_combos["certificate.default_template.on_duty"].itemText(i)
             for i in range(dialog.template_combos["certificate.default_template.on_duty"].count())]
    assert names[0].startswith("默认上岗证书") and len(names) == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        dialog.grab().save(str(SHOTS / f"settings_tab{index}.png"))


def test_ok_saves_every_tab(dialog: SettingsDialog, ctx: AppContext, tmp_path: Path) -> None:
    dialog.name_edit.setText("龙潭镇人民政府")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    combo = dialog.template_combos["certificate.default_template.appointment"]
    combo.setCurrentIndex(1)
    chosen = combo.currentData()
    dialog.choose_folder = lambda *_: str(tmp_path / "usb")
    dialog._browse_backup()
    assert dialog.backup_edit.text() == str(tmp_path / "usb")
    dialog.reminder_spins["reminders.fault_days"].setValue(3)
    dialog.issuer_edit.setText("青山县远程教育办公室")
    notified: list[str] = []
    ctx.changed.connect(notified.append)
    dialog.buttons.accepted.emit()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted and notified == ["settings", "units"]
    with ctx.session() as s:
        assert offices.office_info(s).name == "龙潭镇人民政府"
        assert certificate_templates.default_template(s, "appointment").id == chosen
        assert reminders.reminder_thresholds(s).fault_days == 3
        assert settings_schema.load_settings(s)["certificate.issuer_name"] == "青山县远程教育办公室"
    assert settings_schema.backup_folder() == tmp_path / "usb" == ctx.db.backup_dir
    assert i18n.saved_language() == "en"


def test_a_refusal_names_the_field_keeps_the_dialog_open_and_writes_nothing(dialog: SettingsDialog,
                                                                            ctx: AppContext) -> None:
    dialog.reminder_spins["reminders.fault_days"].setValue(20)  # a good change on another tab
    dialog.name_edit.setText("   ")
    dialog.tabs.setCurrentIndex(5)
    assert dialog.save() is False
    assert dialog.isVisible()
    assert dialog.message.isVisibleTo(dialog) and dialog.message.text() == "【单位名称】不能为空"
    assert dialog.tabs.currentIndex() == 0  # taken to the field's tab
    with ctx.session() as s:
        assert reminders.reminder_thresholds(s).fault_days == 7
        assert offices.office_info(s).name == "龙潭镇"
    dialog.pattern_edit.setText("{county}")
    dialog.name_edit.setText("龙潭镇")
    assert dialog.save() is False
    assert "证书编号格式" in dialog.message.text() and dialog.tabs.currentIndex() == 3


def test_office_name_read_only_after_enrolment(qtbot: QtBot, ctx: AppContext, settings_file: None) -> None:
    with ctx.session() as s:
        s.add(SyncPeer(code="360499", name="青山县", level="county"))
    dlg = SettingsDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.name_edit.isReadOnly() and "同步" in dlg.office_hint.text()
    assert dlg.save() is True  # nothing changed: saving is fine
