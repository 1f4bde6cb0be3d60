"""The diagnostic zip a clerk sends to support after an unexpected error (issue 9, item 4).

It holds the log files, the versions of the program and its libraries, the operating system, the
settings, the database's schema revision and the row count of every table — never the database itself
and no personal data: on top of the log filter's masking, every name, ID number and phone number
held in the database is blanked out of every text that goes into the zip.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .. import __version__, logs
from ..data.models import Base, LocalOffice, Person

#: Distributions whose versions are reported (Qt's version is added by the UI), with the module to ask when
#: the distribution's metadata is missing (a PyInstaller bundle may not carry it).
PACKAGES = {"PySide6": "PySide6", "shiboken6": "shiboken6", "SQLAlchemy": "sqlalchemy", "alembic": "alembic",
            "reportlab": "reportlab", "openpyxl": "openpyxl", "cryptography": "cryptography"}
BLANK = "＊＊"


@dataclass(frozen=True)
class DiagnosticsInfo:
    path: Path
    files: tuple[str, ...]  #: the names inside the zip


def versions(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The program's, Python's and each library's version (``"-"`` when a library is missing)."""
    out = {"RemoteEdu Desktop": __version__, "Python": sys.version.split()[0]}
    for name, module in PACKAGES.items():
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            try:
                loaded = importlib.import_module(module)
            except ImportError:
                out[name] = "-"
                continue
            out[name] = str(getattr(loaded, "__version__", None) or getattr(loaded, "Version", "-"))
    out.update(extra or {})
    return out


def system_info() -> dict[str, str]:
    return {"system": platform.system(), "release": platform.release(), "version": platform.version(),
            "machine": platform.machine(), "platform": platform.platform(),
            "frozen": str(bool(getattr(sys, "frozen", False)))}


def database_summary(session: Session) -> dict[str, Any]:
    """Schema revision, office level and code, and the row count of each table (no row contents)."""
    try:
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # a database without the table still gets its counts reported
        session.rollback()
        revision = None
    counts = {t.name: session.scalar(select(func.count()).select_from(t)) or 0
              for t in Base.metadata.sorted_tables}
    office = session.get(LocalOffice, 1)
    return {"schema_revision": revision, "dialect": session.get_bind().dialect.name,
            "office_level": office.level if office else None, "office_code": office.code if office else None,
            "row_counts": counts}


def personal_values(session: Session) -> set[str]:
    """Every person's name, ID number and phone number held in the database (to blank out)."""
    found: set[str] = set()
    for name, id_number, phone in session.execute(select(Person.name, Person.id_number, Person.phone)):
        found.update(v.strip() for v in (name, id_number, phone) if v and v.strip())
    return found


class _Scrubber:
    def __init__(self, values: Iterable[str]) -> None:
        ordered = sorted({v for v in values if v}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text_: str) -> str:
        text_ = logs.mask_personal_data(text_)
        return self.pattern.sub(BLANK, text_) if self.pattern is not None else text_


def write_diagnostics(path: Path, session: Session | None, *, data_dir: Path,
                      settings: Mapping[str, Any] | None = None,
                      extra_versions: Mapping[str, str] | None = None,
                      now: dt.datetime | None = None) -> DiagnosticsInfo:
    """Write the diagnostic zip to *path* (replacing it); *settings*: the settings dump.

    *session* is None when the database could not be opened: the zip then has no database summary."""
    scrub = _Scrubber(personal_values(session) if session is not None else ())
    summary = database_summary(session) if session is not None else {"error": "database not open"}
    info = {"created": (now or dt.datetime.now()).isoformat(timespec="seconds"),
            "versions": versions(extra_versions), "system": system_info(), "database": summary}
    entries: list[tuple[str, str]] = [
        ("info.json", json.dumps(info, ensure_ascii=False, indent=2)),
        ("settings.json", json.dumps(_clean(settings or {}), ensure_ascii=False, indent=2, default=str)),
    ]
    for log_file in logs.log_files(data_dir):
        entries.append((f"logs/{log_file.name}", log_file.read_text(encoding="utf-8", errors="replace")))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries:
            archive.writestr(name, scrub(body))
    partial.replace(path)
    return DiagnosticsInfo(path, tuple(name for name, _ in entries))


def _clean(value: Any) -> Any:
    """Settings as JSON-friendly values (QSettings may hand back bytes or odd types)."""
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def default_file_name(now: dt.datetime | None = None) -> str:
    return f"remoteedu-diagnostics-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.zip"
