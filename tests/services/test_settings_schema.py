"""Settings declared once, with a schema version (issue 9, item 5)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AppSetting, SyncPeer
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import (
    certificate_settings,
    certificate_templates,
    offices,
    reminders,
    settings_schema,
)
from remoteedu_desktop.services.settings_schema import BY_KEY, SCHEMA_VERSION, SETTINGS


def test_declared_once_with_a_label_and_a_store() -> None:
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    labels = [s.label for s in SETTINGS]
    assert len(labels) == len(set(labels))  # a refusal's field names exactly one setting
    assert {s.where for s in SETTINGS} == {"db", "pc"}
    assert {s.group for s in SETTINGS} == {"office", "language", "templates", "certificates", "backup",
                                           "reminders"}
    assert BY_KEY["backup.folder"].where == "pc" and BY_KEY["reminders.fault_days"].where == "db"
    # the declared defaults are the owning services' defaults
    assert BY_KEY["reminders.expiring_days"].default == reminders.ReminderThresholds().expiring_days
    assert BY_KEY["certificate.term_years"].default == certificate_settings.DEFAULT_TERM_YEARS


def test_defaults_on_a_fresh_database(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        values = settings_schema.load_settings(s)
        on_duty = certificate_templates.default_template(s, "on_duty").id
    assert set(values) == set(BY_KEY)
    assert values["office.name"] == "龙潭镇" and values["office.code"] == "360499100"
    assert values["reminders.expiring_days"] == 60 and values["reminders.fault_days"] == 7
    assert values["backup.folder"] == "" and values["ui.language"] == "zh_CN"
    assert values["certificate.default_template.on_duty"] == on_duty
    assert settings_schema.backup_folder() == settings_schema.paths.backup_dir()


def test_save_writes_through_the_owning_services(db: Database, office: offices.OfficeInfo, tmp_path: Path) -> None:
    with db.session() as s:
        other = [t for t in settings_schema.template_choices(s, "on_duty")
                 if t[0] != certificate_templates.default_template(s, "on_duty").id][0][0]
        settings_schema.save_settings(s, {
            "office.name": "龙潭镇人民政府", "reminders.fault_days": 10, "certificate.term_years": "5",
            "certificate.issuer_name": "青山县远程办", "certificate.default_template.on_duty": other,
            "backup.folder": str(tmp_path / "usb"),
        })
    with db.session() as s:
        assert offices.office_info(s).name == "龙潭镇人民政府"
        assert reminders.reminder_thresholds(s).fault_days == 10
        assert certificate_settings.term_years(s) == 5
        assert certificate_settings.issuer_name(s) == "青山县远程办"
        assert certificate_templates.default_template(s, "on_duty").id == other
        assert settings_schema.stored_version(s) == SCHEMA_VERSION
        assert settings_schema.load_settings(s)["backup.folder"] == str(tmp_path / "usb")
    stored = json.loads(settings_schema.pc_settings_path().read_text(encoding="utf-8"))
    assert stored == {"schema_version": SCHEMA_VERSION, "values": {"backup.folder": str(tmp_path / "usb")}}
    assert settings_schema.backup_folder() == tmp_path / "usb" and (tmp_path / "usb").is_dir()


@pytest.mark.parametrize(("key", "value", "field", "says"), [
    ("reminders.fault_days", 0, "故障超期天数", "1 至 3650"),
    ("reminders.sync_days", "三十", "数据交换超期天数", "应为整数"),
    ("certificate.term_years", 11, "聘期", "1 至 10"),
    ("office.name", "", "单位名称", "不能为空"),
    ("office.code", "360499101", "单位代码", "首次设置向导"),
    ("ui.language", "fr", "界面语言", "zh_CN、en"),
    ("backup.folder", "relative/folder", "备份文件夹", "完整路径"),
    ("certificate.default_template.appointment", "no-such-id", "聘任证书默认模板", "不存在"),
    ("certificate.issuer_name", "远" * 61, "发证机关", "最多 60 个字"),
])
def test_bad_values_are_refused_naming_the_field(db: Database, office: offices.OfficeInfo,
                                                 state: Callable[[], dict[str, int]], refused: Callable[..., None],
                                                 key: str, value: object, field: str, says: str) -> None:
    with db.session() as s:
        settings_schema.load_settings(s)  # built-in templates exist before the count
    before = state()
    with pytest.raises(ValidationError) as info, db.session() as s:
        settings_schema.save_settings(s, {"reminders.expiring_days": 90, key: value})  # a good one first
    refused(info.value, field=field, says=says)
    assert state() == before  # nothing written, not even the good value
    assert not settings_schema.pc_settings_path().exists()


def test_a_bad_number_pattern_is_refused_with_the_services_reason(db: Database, office: offices.OfficeInfo,
                                                                  state: Callable[[], dict[str, int]]) -> None:
    with db.session() as s:
        settings_schema.load_settings(s)
    before = state()
    with pytest.raises(ValidationError) as info, db.session() as s:
        settings_schema.save_settings(s, {"reminders.expiring_days": 90,
                                          "certificate.number_pattern": "{county}{nonsense}"})
    assert info.value.rule == "R11"
    assert info.value.field == "证书编号格式" and "流水号" in info.value.message
    assert state() == before


def test_office_name_is_read_only_after_sync_enrolment(db: Database, office: offices.OfficeInfo,
                                                       refused: Callable[..., None]) -> None:
    with db.session() as s:
        s.add(SyncPeer(code="360499", name="青山县", level="county"))
    with db.session() as s:
        assert settings_schema.enrolled(s)
        settings_schema.save_settings(s, {"office.name": "龙潭镇"})  # unchanged: fine
        with pytest.raises(ValidationError) as info:
            settings_schema.save_settings(s, {"office.name": "龙潭乡"})
    refused(info.value, field="单位名称", says="同步")


def test_unknown_key_refused(db: Database, office: offices.OfficeInfo) -> None:
    with pytest.raises(ValidationError, match="没有这项设置：colour"), db.session() as s:
        settings_schema.save_settings(s, {"colour": "red"})


def test_migration_from_version_1(db: Database, office: offices.OfficeInfo,
                                  caplog: pytest.LogCaptureFixture) -> None:
    """Version 1 stores: numbers as text become numbers, unusable and unknown values go (with a log line)."""
    with db.session() as s:
        for key, text in ((reminders.SETTING_FAULT, '"12"'), (reminders.SETTING_SYNC, '"很久"'),
                          (reminders.SETTING_EXPIRING, "99999"), ("reminders.old_colour", '"red"')):
            s.add(AppSetting(key=key, value_json=text))
    settings_schema.pc_settings_path().write_text(json.dumps(
        {"values": {"backup.folder": "relative", "window.colour": "red"}}), encoding="utf-8")
    with db.session() as s:
        assert settings_schema.stored_version(s) == 1
        with caplog.at_level(logging.INFO, logger=settings_schema.__name__):
            assert settings_schema.migrate_settings(s) == SCHEMA_VERSION
    with db.session() as s:
        assert settings_schema.stored_version(s) == SCHEMA_VERSION
        assert json.loads(s.get(AppSetting, reminders.SETTING_FAULT).value_json) == 12
        assert s.get(AppSetting, reminders.SETTING_SYNC) is None
        assert s.get(AppSetting, reminders.SETTING_EXPIRING) is None
        assert s.get(AppSetting, "reminders.old_colour") is None
        values = settings_schema.load_settings(s)
    assert (values["reminders.fault_days"], values["reminders.sync_days"], values["reminders.expiring_days"]) == \
        (12, 30, 60)
    assert values["backup.folder"] == ""
    assert json.loads(settings_schema.pc_settings_path().read_text(encoding="utf-8")) == \
        {"schema_version": SCHEMA_VERSION, "values": {}}
    messages = caplog.text
    assert "reminders.sync_days" in messages and "reminders.old_colour" in messages
    assert "window.colour" in messages and "backup.folder" in messages
    with db.session() as s:  # a second run changes nothing
        assert settings_schema.migrate_settings(s) == SCHEMA_VERSION


def test_a_newer_schema_is_left_alone(db: Database, office: offices.OfficeInfo,
                                      caplog: pytest.LogCaptureFixture) -> None:
    with db.session() as s:
        s.add(AppSetting(key=settings_schema.VERSION_KEY, value_json=str(SCHEMA_VERSION + 5)))
    with db.session() as s, caplog.at_level(logging.WARNING):
        assert settings_schema.migrate_settings(s) == SCHEMA_VERSION + 5
    assert "newer" in caplog.text


def test_unusable_stored_values_fall_back_with_a_log_line(db: Database, office: offices.OfficeInfo,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    with db.session() as s:
        s.add(AppSetting(key=reminders.SETTING_FAULT, value_json="-3"))
    settings_schema.pc_settings_path().write_text("{damaged", encoding="utf-8")
    with db.session() as s, caplog.at_level(logging.WARNING):
        values = settings_schema.load_settings(s)
    assert values["reminders.fault_days"] == 7 and values["backup.folder"] == ""
    assert "reminders.fault_days" in caplog.text and "settings.json" in caplog.text


def test_an_unusable_backup_folder_falls_back_to_the_data_folder(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    settings_schema.pc_settings_path().write_text(json.dumps(
        {"schema_version": SCHEMA_VERSION, "values": {"backup.folder": str(blocker / "sub")}}), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert settings_schema.backup_folder() == settings_schema.paths.backup_dir()
    assert "backup folder" in caplog.text
