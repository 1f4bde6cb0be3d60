"""The layering holds: nothing below ui/ imports Qt, and ui/ imports no sqlalchemy.

Everything below ui/ runs without Qt (tested with plain pytest, reused by the
CLI and a county server); the UI gets dataclasses, never live ORM objects.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "remoteedu_desktop"
RULES = {
    "data": ("PySide6", "shiboken6"),
    "services": ("PySide6", "shiboken6"),
    "printing": ("PySide6", "shiboken6"),
    "ui": ("sqlalchemy", "alembic"),
    "sync": ("PySide6", "shiboken6", "sqlalchemy", "alembic"),  # the bundle format: bytes, keys and files only
}


def imported_modules(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def violations(root: Path) -> list[str]:
    out = []
    for layer, forbidden in RULES.items():
        for path in sorted((root / layer).rglob("*.py")):
            for module in imported_modules(path.read_text(encoding="utf-8")):
                if module.split(".")[0] in forbidden:
                    out.append(f"{path.relative_to(root)} imports {module}")
    return out


def test_layers_keep_their_imports() -> None:
    assert (PACKAGE / "ui").is_dir() and (PACKAGE / "services").is_dir()
    assert violations(PACKAGE) == []


def test_checker_catches_a_violation(tmp_path: Path) -> None:
    for layer in RULES:
        (tmp_path / layer).mkdir()
    (tmp_path / "services" / "bad.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    (tmp_path / "ui" / "bad.py").write_text("import sqlalchemy.orm\n", encoding="utf-8")
    assert violations(tmp_path) == ["services/bad.py imports PySide6.QtCore", "ui/bad.py imports sqlalchemy.orm"]
