"""Every path the program uses goes through here.

- the data directory: ``REMOTEEDU_HOME`` (or ``--home``) overrides the
  platform data directory;
- resources (fonts, images): inside a PyInstaller bundle they live under
  ``sys._MEIPASS``, from a source checkout under the repository's ``resources/``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

DB_FILENAME = "remoteedu.sqlite3"
_home_override: Path | None = None


def set_home(path: str | os.PathLike[str] | None) -> None:
    """Use *path* as the data directory for this process (the ``--home`` option)."""
    global _home_override
    _home_override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    if _home_override is not None:
        home = _home_override
    elif os.environ.get("REMOTEEDU_HOME"):
        home = Path(os.environ["REMOTEEDU_HOME"]).expanduser().resolve()
    else:
        home = Path(user_data_dir("RemoteEdu", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_path() -> Path:
    return data_dir() / DB_FILENAME


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """``REMOTEEDU_DATABASE_URL`` (e.g. PostgreSQL) or the SQLite file in the data directory."""
    url = os.environ.get("REMOTEEDU_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{database_path().as_posix()}"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    """The bundled CJK TrueType font (LXGW WenKai, covers all GBK hanzi)."""
    return resources_dir() / "fonts" / "LXGWWenKai-Regular.ttf"


def fallback_font_path() -> Path:
    """Noto Serif CJK SC's characters that LXGW WenKai lacks (CJK Ext A and more), as TrueType outlines."""
    return resources_dir() / "fonts" / "NotoSerifCJKsc-Fallback.ttf"


def font_paths() -> tuple[Path, ...]:
    """Every bundled font, in fallback order: a character prints in the first font that has it."""
    return (font_path(), fallback_font_path())
