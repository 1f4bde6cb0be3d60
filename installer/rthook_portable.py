"""PyInstaller runtime hook: portable mode (issue 9 item 1).

A clerk who carries the program on a USB stick puts an empty file ``portable.txt`` (or
``便携版.txt``) beside ``RemoteEdu.exe``; the data folder is then ``data`` beside the program
instead of the Windows user's AppData, so the database travels with the stick. The hook runs
before any module of the program, and sets ``REMOTEEDU_HOME``, which ``paths.data_dir()`` reads
(``--home`` still wins). ``REMOTEEDU_PORTABLE=1`` tells the program that it runs portable.

Without the marker nothing changes. Qt-free and side-effect free on import outside a bundle, so
tests/test_portable.py loads it as a module and calls :func:`apply_portable_mode`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

MARKERS = ("portable.txt", "便携版.txt")
DATA_FOLDER = "data"


def portable_marker(exe_dir: Path) -> Path | None:
    """The marker file beside the program, or None."""
    for name in MARKERS:
        marker = exe_dir / name
        if marker.is_file():
            return marker
    return None


def apply_portable_mode(exe_dir: str | os.PathLike[str],
                        environ: MutableMapping[str, str] | None = None) -> Path | None:
    """With a marker in *exe_dir*: set REMOTEEDU_HOME to ``<exe_dir>/data`` in *environ* (default:
    ``os.environ``) and return that folder. Without one: leave *environ* as it is and return None.

    The marker wins over a REMOTEEDU_HOME set for the whole computer: a portable copy must never
    write into an installed copy's data folder."""
    env = os.environ if environ is None else environ
    folder = Path(exe_dir)
    if portable_marker(folder) is None:
        return None
    home = folder.resolve() / DATA_FOLDER
    env["REMOTEEDU_HOME"] = str(home)
    env["REMOTEEDU_PORTABLE"] = "1"
    return home


if getattr(sys, "frozen", False):
    apply_portable_mode(Path(sys.executable).resolve().parent)
