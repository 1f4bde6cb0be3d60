"""The Windows installer script (issue 9 item 2) cannot be compiled here; these checks keep its promises
from drifting: per-user install without admin rights, x64, the version of the program, Chinese shortcuts,
and an uninstaller that never lists the data folder for deletion."""

from __future__ import annotations

import re
from pathlib import Path

from remoteedu_desktop import __version__

ISS = Path(__file__).resolve().parent.parent / "installer" / "remoteedu.iss"


def script() -> str:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, or Inno Setup misreads the Chinese text"
    return raw[3:].decode("utf-8")


def section(text: str, name: str) -> str:
    match = re.search(rf"^\[{re.escape(name)}\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert match, f"[{name}] missing"
    return match.group(1)


def test_setup_is_per_user_x64_and_versioned_like_the_program() -> None:
    text = script()
    setup = section(text, "Setup")
    assert re.search(r"^PrivilegesRequired=lowest$", setup, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}\\RemoteEdu$", setup, re.M)
    assert re.search(r"^ArchitecturesInstallIn64BitMode=x64compatible$", setup, re.M)
    assert re.search(r"^AppVersion=\{#MyAppVersion\}$", setup, re.M)
    default = re.search(r'#define MyAppVersion "([^"]+)"', text)
    assert default and default.group(1) == __version__, "bump the installer's default version with the program"


def test_chinese_messages_with_english_fallback_and_chinese_shortcuts() -> None:
    text = script()
    languages = section(text, "Languages")
    assert 'MessagesFile: "{#ChineseIsl}"' in languages and "compiler:Default.isl" in languages
    assert languages.index("ChineseIsl") < languages.index("Default.isl"), "Chinese first: the default"
    assert '#define MyAppName "远程教育骨干队伍管理"' in text
    icons = section(text, "Icons")
    assert "{group}\\{#MyAppName}" in icons and "{autodesktop}\\{#MyAppName}" in icons


def test_uninstall_keeps_the_data_folder_and_says_so() -> None:
    text = script()
    # platformdirs' user_data_dir("RemoteEdu", appauthor=False) on Windows, i.e. paths.data_dir()
    assert '#define DataFolder "{localappdata}\\RemoteEdu"' in text
    for name in ("UninstallDelete", "InstallDelete"):
        entries = [line for line in section(text, name).splitlines() if line and not line.startswith(";")]
        assert not any("localappdata" in line.lower() or "DataFolder" in line for line in entries), name
    code = section(text, "Code")
    assert "usPostUninstall" in code and "DataKept" in code
    assert "chinesesimp.DataKept=" in text and "没有删除" in text


def test_the_program_folder_holds_no_portable_marker() -> None:
    files = section(script(), "Files")
    assert "portable.txt" in files and "便携版.txt" in files
