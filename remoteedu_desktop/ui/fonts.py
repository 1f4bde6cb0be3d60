"""The bundled CJK fonts, registered with Qt so every Chinese name renders (no empty boxes):
LXGW WenKai first, then the Noto Serif CJK SC fallback for the characters WenKai lacks."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .. import paths


def _register(path: str) -> str | None:
    font_id = QFontDatabase.addApplicationFont(path)
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def install_app_font(app: QApplication, point_size: int = 10) -> str | None:
    """Register the bundled fonts and make them the application font; return the primary family."""
    families = [f for f in (_register(str(p)) for p in paths.font_paths()) if f]
    if not families:
        return None
    font = QFont(families[0], point_size)
    font.setFamilies(families)  # per-character fallback, in this order
    app.setFont(font)
    return families[0]
