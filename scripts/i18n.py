"""Update and compile the UI translations.

Source strings in ``ui/`` are English, written through ``self.tr()`` /
``QCoreApplication.translate()``; ``zh_CN`` is the default language and must
be complete. Each area of the UI has its own translation file, so that
people working on different areas never edit the same file:

- ``remoteedu_desktop/ui/*.py``        → ``resources/i18n/main_zh_CN.ts``
- ``remoteedu_desktop/ui/<area>/*.py`` → ``resources/i18n/<area>_zh_CN.ts``

    python scripts/i18n.py                 # lupdate every area, then lrelease to .qm
    python scripts/i18n.py --area sites    # one area
    python scripts/i18n.py --release-only  # only compile .ts → .qm

lupdate keeps existing translations and adds new source strings as
"unfinished"; fill those in the .ts file (any editor, or Qt Linguist), then
run again to compile. ``tests/ui/test_i18n.py`` fails on anything unfinished.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "remoteedu_desktop" / "ui"
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)


def areas() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {"main": sorted(UI.glob("*.py"))}
    for sub in sorted(p for p in UI.iterdir() if p.is_dir() and not p.name.startswith("__")):
        files = sorted(sub.rglob("*.py"))
        if files:
            found[sub.name] = files
    return found


def tool(name: str) -> str:
    import PySide6

    exe = Path(PySide6.__file__).parent / name
    for candidate in (exe, exe.with_suffix(".exe")):
        if candidate.exists():
            return str(candidate)
    return f"pyside6-{name}"


def update(area: str, files: list[Path], lang: str) -> Path:
    ts = I18N / f"{area}_{lang}.ts"
    subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", *map(str, files), "-ts", str(ts)],
                   check=True, capture_output=True)
    return ts


def release(ts: Path) -> None:
    subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--area")
    parser.add_argument("--release-only", action="store_true")
    args = parser.parse_args()
    I18N.mkdir(parents=True, exist_ok=True)
    selected = areas()
    if args.area:
        if args.area not in selected:
            print(f"unknown area {args.area}; known: {', '.join(selected)}", file=sys.stderr)
            return 2
        selected = {args.area: selected[args.area]}
    for area, files in selected.items():
        for lang in LANGUAGES:
            ts = I18N / f"{area}_{lang}.ts"
            if not args.release_only:
                ts = update(area, files, lang)
            if ts.exists():
                release(ts)
                print(f"{ts.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
