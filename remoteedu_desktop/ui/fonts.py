"""The bundled CJK font, registered with Qt so every Chinese name renders (no empty boxes)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from .. import paths


def install_app_font(app: QApplication, point_size: int = 10) -> str | None:
    """Register LXGW WenKai and make it the application font; return its family name."""
    font_id = QFontDatabase.addApplicationFont(str(paths.font_path()))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    app.setFont(QFont(families[0], point_size))
    return families[0]
