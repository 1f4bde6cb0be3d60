"""The settings dialog (issue 9, item 5)."""

from __future__ import annotations

from .dialog import SettingsDialog

__all__ = ["SettingsDialog"]
