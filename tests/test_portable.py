"""Portable mode (installer/rthook_portable.py) and the bundle spec's lists (installer/remoteedu.spec).

The runtime hook is loaded from its file as a module: outside a bundle it does nothing on import, and its
function is called with a folder of tmp_path and a plain dict for the environment."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType

import pytest

from remoteedu_desktop import paths

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "installer" / "rthook_portable.py"
SPEC = ROOT / "installer" / "remoteedu.spec"


@pytest.fixture
def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rthook_portable", HOOK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("marker", ["portable.txt", "便携版.txt"])
def test_marker_beside_the_program_puts_the_data_there(hook: ModuleType, tmp_path: Path, marker: str) -> None:
    exe_dir = tmp_path / "U盘" / "RemoteEdu"
    exe_dir.mkdir(parents=True)
    (exe_dir / marker).write_text("", encoding="utf-8")
    env = {"REMOTEEDU_HOME": str(tmp_path / "installed-copy")}  # the marker wins over a computer-wide setting

    home = hook.apply_portable_mode(exe_dir, env)

    assert home == exe_dir.resolve() / "data"
    assert env == {"REMOTEEDU_HOME": str(exe_dir.resolve() / "data"), "REMOTEEDU_PORTABLE": "1"}


def test_without_marker_nothing_changes(hook: ModuleType, tmp_path: Path) -> None:
    exe_dir = tmp_path / "RemoteEdu"
    exe_dir.mkdir()
    (exe_dir / "portable.txt").mkdir()  # a folder of that name is not the marker
    (exe_dir / "readme.txt").write_text("", encoding="utf-8")
    env = {"REMOTEEDU_HOME": str(tmp_path / "elsewhere")}

    assert hook.apply_portable_mode(exe_dir, env) is None
    assert env == {"REMOTEEDU_HOME": str(tmp_path / "elsewhere")}
    assert hook.apply_portable_mode(tmp_path / "missing", {}) is None


def test_the_program_then_keeps_its_database_beside_itself(hook: ModuleType, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    exe_dir = tmp_path / "RemoteEdu"
    exe_dir.mkdir()
    (exe_dir / "portable.txt").write_text("", encoding="utf-8")
    monkeypatch.delenv("REMOTEEDU_PORTABLE", raising=False)
    hook.apply_portable_mode(exe_dir, os.environ)  # as in the bundle: the real environment

    assert paths.database_path() == exe_dir.resolve() / "data" / paths.DB_FILENAME
    assert (exe_dir / "data").is_dir()
    assert os.environ["REMOTEEDU_PORTABLE"] == "1"


def test_hook_does_nothing_on_import_outside_a_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REMOTEEDU_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REMOTEEDU_PORTABLE", raising=False)
    spec = importlib.util.spec_from_file_location("rthook_portable_again", HOOK)
    assert spec is not None and spec.loader is not None
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert os.environ["REMOTEEDU_HOME"] == str(tmp_path / "home")
    assert "REMOTEEDU_PORTABLE" not in os.environ


# --- the spec ---------------------------------------------------------------------------------


def spec_lists() -> dict[str, object]:
    """The spec's plain-literal settings (QT_MODULES_USED, …), read without running PyInstaller."""
    found: dict[str, object] = {}
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return found


def qt_modules_imported(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        found.update(re.findall(r"^\s*(?:from|import) PySide6\.(\w+)", path.read_text(encoding="utf-8"), re.M))
    return found


def test_spec_lists_exactly_the_qt_modules_the_program_imports() -> None:
    lists = spec_lists()
    used = qt_modules_imported(ROOT / "remoteedu_desktop")
    assert used and set(lists["QT_MODULES_USED"]) == used  # a new Qt import must be added to the spec
    assert not used & set(lists["QT_MODULES_EXCLUDED"])
    banned = ("WebEngine", "Quick", "Qml", "3D", "Multimedia")
    assert not [m for m in lists["QT_LIBRARIES_KEPT"] if any(b in m for b in banned)]
    assert {m for m in ("QtWebEngineCore", "QtQuick", "QtQml", "Qt3DCore", "QtMultimedia")} <= set(
        lists["QT_MODULES_EXCLUDED"])


def test_spec_keeps_offscreen_native_platforms_and_two_languages_only() -> None:
    lists = spec_lists()
    plugins = lists["QT_PLUGINS_KEPT"]
    assert {"offscreen", "minimal", "xcb", "windows"} <= set(plugins["platforms"])
    assert "printsupport" in plugins and "jpeg" in plugins["imageformats"]
    assert not {"webview", "sqldrivers", "multimedia", "qmltooling", "platformthemes"} & set(plugins)
    languages = {re.sub(r"^\w+?_", "", name).removesuffix(".qm") for name in lists["QT_TRANSLATIONS_KEPT"]}
    assert languages == {"zh_CN", "en"}


def test_checker_notices_a_new_qt_import(tmp_path: Path) -> None:
    (tmp_path / "page.py").write_text("from PySide6.QtSvg import QSvgRenderer\nimport PySide6.QtCore\n",
                                      encoding="utf-8")
    assert qt_modules_imported(tmp_path) == {"QtSvg", "QtCore"}


def test_spec_keeps_the_libraries_of_every_module_used() -> None:
    lists = spec_lists()
    assert set(lists["QT_MODULES_USED"]) <= set(lists["QT_LIBRARIES_KEPT"])


def test_slim_icu_keeps_root_english_chinese_and_everything_not_a_locale() -> None:
    spec = importlib.util.spec_from_file_location("slim_icu", ROOT / "installer" / "slim_icu.py")
    assert spec is not None and spec.loader is not None
    slim_icu = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(slim_icu)
    items = ["root.res", "en_GB.res", "zh_Hans_CN.res", "fr.res", "coll/zh.res", "coll/de__PHONEBOOK.res",
             "coll/ucadata.icu", "res_index.res", "pool.res", "supplementalData.res", "zoneinfo64.res",
             "ibm-1390_P110-2003.cnv", "cnvalias.icu", "brkitr/ja.res", "nfkc.nrm", "lang/yue.res"]
    assert slim_icu.removable(items) == ["fr.res", "coll/de__PHONEBOOK.res", "ibm-1390_P110-2003.cnv",
                                         "brkitr/ja.res", "lang/yue.res"]
