"""Pages and tabs that keep up with data changes without reloading while hidden."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class RefreshingWidget(QWidget):
    """A widget with ``refresh()`` that follows ``AppContext.changed``: a change in one of
    ``refresh_areas`` reloads it at once when it is visible, otherwise the next time it is shown.
    Subclasses connect ``ctx.changed`` to :meth:`_on_data_changed` and clear ``_stale`` in ``refresh()``."""

    refresh_areas: ClassVar[frozenset[str]] = frozenset()
    _stale: bool = False

    def refresh(self) -> None:
        raise NotImplementedError

    def _on_data_changed(self, area: str) -> None:
        if area not in self.refresh_areas:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()
