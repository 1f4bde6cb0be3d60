"""A page that is not built yet: its title, what it will hold, and a short "not yet" notice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    """Stands in for a page of a later step (or one whose module is not in this build)."""

    def __init__(self, title: str, description: str = "", detail: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(12)

        self.title_label = QLabel(title, self)
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.title_label.setFont(font)
        layout.addWidget(self.title_label)

        self.description_label = QLabel(description, self)
        self.description_label.setWordWrap(True)
        self.description_label.setVisible(bool(description))
        layout.addWidget(self.description_label)

        self.notice_label = QLabel(self.tr("This feature will come in a later version."), self)
        self.notice_label.setObjectName("notice")
        self.notice_label.setStyleSheet(
            "QLabel#notice { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 4px;"
            " padding: 10px 14px; color: #6d5200; }")
        self.notice_label.setWordWrap(True)
        layout.addWidget(self.notice_label)

        # Only when a page's module exists but failed to import: say why instead of hiding it.
        self.detail_label = QLabel(detail, self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setStyleSheet("color: #777;")
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setVisible(bool(detail))
        layout.addWidget(self.detail_label)
        layout.addStretch(1)
