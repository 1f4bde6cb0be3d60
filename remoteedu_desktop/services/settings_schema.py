"""Every setting of the program, declared once (issue 9, item 5), with a stored schema version.

A :class:`Setting` says its key, type, default, Chinese label (the field a refusal names) and where it
is stored:

- ``"db"``: the office database, shared by every PC of the office (``app_setting``, or the table that
  owns the value: the office's name in ``local_office``, default templates in ``certificate_template``);
  read and written through the services that own them (offices/units, certificate_templates,
  certificate_settings, reminders);
- ``"pc"``: this computer only. Kept in ``settings.json`` in the data folder, except the settings with a
  ``qsettings`` key (the UI language), which Qt's QSettings keeps and the UI reads and writes (``ui/i18n``).

The schema version is stored on both sides (``app_setting`` key ``settings.schema_version``, and
``schema_version`` in ``settings.json``); :func:`migrate_settings` brings older stores up to date. A stored
value that is unknown or unusable falls back to its default, with a log line, rather than stopping the
program. :func:`save_settings` validates every value first and writes nothing when one is refused; the
caller's session is the one transaction.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import paths
from ..data.models import AppSetting, SyncPeer
from ..errors import ValidationError
from . import certificate_settings, certificate_templates, offices, reminders, units
from ._common import clean_text
from .certificate_numbers import format_number

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
VERSION_KEY = "settings.schema_version"
PC_FILENAME = "settings.json"

DB, PC = "db", "pc"
INT, TEXT, CHOICE, FOLDER, TEMPLATE = "int", "text", "choice", "folder", "template"
LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class Setting:
    key: str
    type: str  #: "int" | "text" | "choice" | "folder" | "template"
    default: Any  #: for "db" text settings, "" means "derived" (e.g. the issuer: the office's name)
    label: str  #: Chinese field name, used in refusals and the dialog
    where: str  #: "db" (the office database) or "pc" (this computer)
    group: str  #: the settings dialog tab: office, language, templates, backup, reminders, certificates
    minimum: int | None = None
    maximum: int | None = None
    max_len: int | None = None
    choices: tuple[str, ...] = ()
    template_kind: str | None = None  #: for "template": on_duty | appointment
    read_only: bool = False  #: never changed here (set by the setup wizard)
    locked_when_enrolled: bool = False  #: read-only once this office exchanges sync bundles
    app_setting_key: str | None = None  #: the app_setting row holding it, when it is one
    qsettings: str | None = None  #: a "pc" setting kept in QSettings under this key (the UI handles it)


SETTINGS: tuple[Setting, ...] = (
    Setting("office.name", TEXT, "", "单位名称", DB, "office", max_len=100, locked_when_enrolled=True),
    Setting("office.code", TEXT, "", "单位代码", DB, "office", read_only=True),
    Setting("ui.language", CHOICE, "zh_CN", "界面语言", PC, "language", choices=LANGUAGES,
            qsettings="ui/language"),
    Setting("certificate.default_template.on_duty", TEMPLATE, "", "上岗证书默认模板", DB, "templates",
            template_kind="on_duty"),
    Setting("certificate.default_template.appointment", TEMPLATE, "", "聘任证书默认模板", DB, "templates",
            template_kind="appointment"),
    Setting("certificate.issuer_name", TEXT, "", "发证机关", DB, "certificates", max_len=60,
            app_setting_key=certificate_settings.ISSUER_KEY),
    Setting("certificate.number_pattern", TEXT, "", "证书编号格式", DB, "certificates", max_len=100,
            app_setting_key=certificate_settings.PATTERN_KEY),
    Setting("certificate.term_years", INT, certificate_settings.DEFAULT_TERM_YEARS, "聘期", DB, "certificates",
            minimum=1, maximum=certificate_settings.MAX_TERM_YEARS, app_setting_key=certificate_settings.TERM_KEY),
    Setting("backup.folder", FOLDER, "", "备份文件夹", PC, "backup", max_len=500),
    Setting("reminders.expiring_days", INT, reminders.ReminderThresholds.expiring_days, "证书到期提醒天数", DB,
            "reminders", minimum=1, maximum=3650, app_setting_key=reminders.SETTING_EXPIRING),
    Setting("reminders.fault_days", INT, reminders.ReminderThresholds.fault_days, "故障超期天数", DB,
            "reminders", minimum=1, maximum=3650, app_setting_key=reminders.SETTING_FAULT),
    Setting("reminders.sync_days", INT, reminders.ReminderThresholds.sync_days, "数据交换超期天数", DB,
            "reminders", minimum=1, maximum=3650, app_setting_key=reminders.SETTING_SYNC),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


def defaults() -> dict[str, Any]:
    return {s.key: s.default for s in SETTINGS}


# --- checking one value -------------------------------------------------------------------------------


def clean_value(setting: Setting, value: Any) -> Any:
    """The value in its stored form; a ValidationError (naming the setting's label) when it cannot be."""
    label = setting.label
    if setting.type == INT:
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(f"应为整数，现为“{value}”", field=label)
        low, high = setting.minimum, setting.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValidationError(f"应为 {low} 至 {high} 之间的整数，现为 {value}", field=label)
        return value
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"应为文字，现为“{value}”", field=label)
    value = value.strip()
    if setting.type == CHOICE:
        if value not in setting.choices:
            raise ValidationError(f"应为 {'、'.join(setting.choices)} 之一，现为“{value}”", field=label)
        return value
    if setting.max_len is not None and len(value) > setting.max_len:
        raise ValidationError(f"最多 {setting.max_len} 个字，实际 {len(value)} 个字", field=label)
    if setting.type == FOLDER and value:
        folder = Path(value).expanduser()
        if not folder.is_absolute():
            raise ValidationError(f"应为完整路径（如 E:\\备份），现为“{value}”", field=label)
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"“{value}”是一个文件，不是文件夹", field=label)
    return value


# --- the per-PC file ----------------------------------------------------------------------------------


def pc_settings_path() -> Path:
    return paths.data_dir() / PC_FILENAME


def _read_pc_file() -> tuple[int, dict[str, Any]]:
    path = pc_settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SCHEMA_VERSION, {}
    except (OSError, ValueError) as exc:
        log.warning("settings: %s unreadable (%s); defaults used", path, exc)
        return SCHEMA_VERSION, {}
    if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict):
        log.warning("settings: %s has no values object; defaults used", path)
        return SCHEMA_VERSION, {}
    version = data.get("schema_version", 1)
    return (version if isinstance(version, int) else 1), dict(data.get("values", {}))


def _write_pc_file(values: Mapping[str, Any]) -> None:
    path = pc_settings_path()
    body = json.dumps({"schema_version": SCHEMA_VERSION, "values": dict(values)}, ensure_ascii=False, indent=2)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(body, encoding="utf-8")
    os.replace(temp, path)


def _pc_values() -> dict[str, Any]:
    version, stored = _read_pc_file()
    if version > SCHEMA_VERSION:
        log.warning("settings: %s was written by a newer program (schema %s > %s); known keys read",
                    pc_settings_path(), version, SCHEMA_VERSION)
    out: dict[str, Any] = {}
    for key, value in stored.items():
        setting = BY_KEY.get(key)
        if setting is None or setting.where != PC or setting.qsettings:
            log.warning("settings: unknown per-PC setting %r ignored", key)
            continue
        try:
            out[key] = clean_value(setting, value)
        except ValidationError as exc:
            log.warning("settings: per-PC %s unusable (%s); default used", key, exc.text())
    return out


# --- the database side --------------------------------------------------------------------------------


def enrolled(session: Session) -> bool:
    """True once this office exchanges sync bundles with another (office data is then read-only)."""
    return session.scalar(select(SyncPeer.id).limit(1)) is not None


def _raw(session: Session, key: str) -> tuple[bool, Any]:
    row = session.get(AppSetting, key)
    if row is None:
        return False, None
    try:
        return True, json.loads(row.value_json)
    except ValueError:
        return True, row.value_json


def _put(session: Session, key: str, value: Any) -> None:
    row = session.get(AppSetting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(AppSetting(key=key, value_json=text))
    elif row.value_json != text:
        row.value_json = text


def _db_values(session: Session) -> dict[str, Any]:
    info = offices.office_info(session)
    limits = reminders.reminder_thresholds(session)
    out: dict[str, Any] = {
        "office.name": info.name,
        "office.code": info.code,
        "certificate.issuer_name": _raw(session, certificate_settings.ISSUER_KEY)[1] or "",
        "certificate.number_pattern": _raw(session, certificate_settings.PATTERN_KEY)[1] or "",
        "certificate.term_years": certificate_settings.term_years(session),
        "reminders.expiring_days": limits.expiring_days,
        "reminders.fault_days": limits.fault_days,
        "reminders.sync_days": limits.sync_days,
    }
    for setting in SETTINGS:
        if setting.type == TEMPLATE:
            assert setting.template_kind is not None
            out[setting.key] = certificate_templates.default_template(session, setting.template_kind).id
        elif setting.app_setting_key:
            present, raw = _raw(session, setting.app_setting_key)
            if present and raw is not None:
                try:
                    clean_value(setting, raw)
                except ValidationError as exc:
                    log.warning("settings: stored %s unusable (%s); default used", setting.key, exc.text())
                    out[setting.key] = setting.default
    return out


def load_settings(session: Session) -> dict[str, Any]:
    """Every setting's current value (QSettings-kept ones: their default; the UI fills them in)."""
    values = defaults()
    values.update(_db_values(session))
    values.update(_pc_values())
    return values


def template_choices(session: Session, kind: str) -> list[tuple[str, str]]:
    """(template id, name) of the live templates of *kind*, for the default-template choosers."""
    certificate_templates.default_template(session, kind)  # creates the built-ins on first use
    return [(t.id, t.name) for t in certificate_templates.list_templates(session, kind)]


def validate_settings(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every value cleaned, or the first refusal (nothing written). Keys not given keep their value."""
    current = load_settings(session)
    unknown = sorted(set(values) - set(BY_KEY))
    if unknown:
        raise ValidationError(f"没有这项设置：{'、'.join(unknown)}", field="设置")
    merged = dict(current)
    locked = enrolled(session)
    for setting in SETTINGS:
        if setting.key not in values:
            continue
        value = clean_value(setting, values[setting.key])
        if value != current[setting.key]:
            if setting.read_only:
                raise ValidationError("由首次设置向导确定，不能在这里修改", field=setting.label)
            if setting.locked_when_enrolled and locked:
                raise ValidationError("本单位已与其他单位交换同步数据，不能再修改；如需更正，请联系县远程办",
                                      field=setting.label)
        if setting.key == "office.name" and not value:
            raise ValidationError("不能为空", field=setting.label)
        if setting.type == TEMPLATE:
            assert setting.template_kind is not None
            ids = {tid for tid, _name in template_choices(session, setting.template_kind)}
            if value not in ids:
                raise ValidationError("所选模板不存在或已删除", field=setting.label)
        if setting.key == "certificate.number_pattern" and value and value != current[setting.key]:
            format_number(value, county="360499", year=2026, kind="on_duty", serial=1)  # refuses a bad pattern
        merged[setting.key] = value
    return merged


def save_settings(session: Session, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate everything, then store the changed values (the caller's session is the transaction).

    A refusal from an owning service at write time (e.g. an unprintable issuer name) propagates, so the caller's
    rollback leaves nothing written; the per-PC file is written last, after every database change."""
    current = load_settings(session)
    merged = validate_settings(session, values)
    changed = {k for k in merged if merged[k] != current[k]}
    writers: dict[str, Callable[[Any], None]] = {
        "certificate.issuer_name": lambda v: certificate_settings.set_issuer_name(session, v),
        "certificate.number_pattern": lambda v: certificate_settings.set_number_pattern(session, v),
        "certificate.term_years": lambda v: certificate_settings.set_term_years(session, v),
    }
    if "office.name" in changed:
        _rename_office(session, merged["office.name"])
    for key in ("certificate.default_template.on_duty", "certificate.default_template.appointment"):
        if key in changed:
            certificate_templates.set_default(session, merged[key])
    for key, write in writers.items():
        if key in changed:
            write(merged[key])
    if changed & {"reminders.expiring_days", "reminders.fault_days", "reminders.sync_days"}:
        reminders.set_reminder_thresholds(session, reminders.ReminderThresholds(
            expiring_days=merged["reminders.expiring_days"], fault_days=merged["reminders.fault_days"],
            sync_days=merged["reminders.sync_days"]))
    _put(session, VERSION_KEY, SCHEMA_VERSION)
    session.flush()
    pc = {s.key: merged[s.key] for s in SETTINGS if s.where == PC and not s.qsettings}
    if any(s.key in changed for s in SETTINGS if s.where == PC and not s.qsettings) or \
            not pc_settings_path().exists():
        _write_pc_file(pc)
    return merged


def _rename_office(session: Session, name: str) -> None:
    from ..data.models import LocalOffice

    clean = clean_text(name, field="单位名称", required=True, max_len=100) or ""
    office = session.get(LocalOffice, 1)
    if office is None or office.level is None:
        raise ValidationError("本机尚未设置单位，请先完成首次设置向导", field="单位名称")
    if office.unit_id:
        units.rename_unit(session, office.unit_id, name=clean)
    office.name = clean
    session.flush()


def backup_folder() -> Path:
    """Where automatic backups go: the per-PC "backup folder" setting, or the data folder's ``backups``."""
    folder = _pc_values().get("backup.folder") or ""
    if folder:
        path = Path(folder).expanduser()
        try:
            path.mkdir(parents=True, exist_ok=True)
            return path
        except OSError as exc:  # e.g. a USB stick that is not plugged in: back up anyway, locally
            log.warning("settings: backup folder %s unusable (%s); the data folder's backups used", path, exc)
    return paths.backup_dir()


# --- schema versions ----------------------------------------------------------------------------------


def _v1_to_v2(session: Session) -> None:
    """Version 1 (before this module) could hold numbers typed as text ("60") and stray ``reminders.*``
    keys; numbers become numbers, anything unusable is removed so the default applies."""
    for setting in SETTINGS:
        key = setting.app_setting_key
        if not key:
            continue
        present, raw = _raw(session, key)
        if not present or raw is None:
            continue
        try:
            value = clean_value(setting, raw)
        except ValidationError as exc:
            log.warning("settings migration: %s = %r unusable (%s); default %r used",
                        setting.key, raw, exc.text(), setting.default)
            row = session.get(AppSetting, key)
            if row is not None:
                session.delete(row)
            continue
        if value != raw:
            log.info("settings migration: %s %r → %r", setting.key, raw, value)
            _put(session, key, value)
    known = {s.app_setting_key for s in SETTINGS if s.app_setting_key}
    for row in session.scalars(select(AppSetting).where(AppSetting.key.like("reminders.%"))).all():
        if row.key not in known:
            log.warning("settings migration: unknown setting %s removed", row.key)
            session.delete(row)


MIGRATIONS: dict[int, Callable[[Session], None]] = {1: _v1_to_v2}


def stored_version(session: Session) -> int:
    present, raw = _raw(session, VERSION_KEY)
    return raw if present and isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else 1


def migrate_settings(session: Session) -> int:
    """Bring the stored settings up to :data:`SCHEMA_VERSION` (run at start); return the version now stored.

    A database written by a newer program keeps its version: nothing is downgraded, unknown values are
    simply not read (with a log line)."""
    version = stored_version(session)
    if version > SCHEMA_VERSION:
        log.warning("settings: schema %s is newer than this program's %s; left as is", version, SCHEMA_VERSION)
        return version
    while version < SCHEMA_VERSION:
        MIGRATIONS[version](session)
        version += 1
        log.info("settings: migrated to schema %s", version)
    _put(session, VERSION_KEY, version)
    session.flush()
    pc_version, _ = _read_pc_file()
    if pc_version < SCHEMA_VERSION and pc_settings_path().exists():
        _write_pc_file(_pc_values())  # bad or unknown per-PC values are dropped, each with a log line
    return version
