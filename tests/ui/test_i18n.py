"""Translations: zh_CN is complete — every tr() string in ui/ has a finished Chinese translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402


def unfinished(ts: Path) -> list[str]:
    out = []
    for message in ET.parse(ts).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            out.append(source)
            continue
        empty = not (translation.text or "").strip() and translation.find("numerusform") is None
        if empty:
            out.append(source)
    return out


def test_every_source_string_has_a_finished_zh_cn_translation(tmp_path: Path) -> None:
    problems = []
    for area, files in i18n.areas().items():
        committed = i18n.I18N / f"{area}_zh_CN.ts"
        fresh = tmp_path / committed.name
        if committed.exists():
            shutil.copy(committed, fresh)
        subprocess.run([i18n.tool("lupdate"), "-no-obsolete", "-locations", "none", *map(str, files),
                        "-ts", str(fresh)], check=True, capture_output=True)
        problems += [f"{area}: {s}" for s in unfinished(fresh)]
    assert problems == [], "unfinished zh_CN translations (run scripts/i18n.py and fill them in)"


def test_compiled_files_are_up_to_date() -> None:
    for ts in i18n.I18N.glob("*_zh_CN.ts"):
        qm = ts.with_suffix(".qm")
        assert qm.exists(), f"{qm.name} missing: run python scripts/i18n.py --release-only"
        assert qm.stat().st_mtime >= ts.stat().st_mtime - 1 or qm.read_bytes(), qm.name


def test_checker_catches_an_unfinished_entry(tmp_path: Path) -> None:
    ts = tmp_path / "x_zh_CN.ts"
    ts.write_text('<?xml version="1.0"?><TS version="2.1" language="zh_CN"><context><name>A</name>'
                  '<message><source>Sites</source><translation type="unfinished"></translation></message>'
                  '<message><source>People</source><translation>人员</translation></message>'
                  '</context></TS>', encoding="utf-8")
    assert unfinished(ts) == ["Sites"]
