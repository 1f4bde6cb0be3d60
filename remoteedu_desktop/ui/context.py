"""What every page and dialog is handed: the open database and change notifications.

Pages call services inside ``ctx.session()`` and get dataclasses back; they
never keep ORM objects. After a change, a page calls ``ctx.notify(area)`` so
that other pages showing the same data refresh (areas: "units", "people",
"posts", "training", "certificates", …).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..data.database import Database
from ..services.offices import OfficeInfo, office_info


class AppContext(QObject):
    changed = Signal(str)  # the area that changed

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def session(self) -> AbstractContextManager[Any]:
        """One transaction: commits at the end of the block, rolls back if it raises."""
        return self.db.session()

    def office(self) -> OfficeInfo:
        with self.session() as session:
            return office_info(session)

    @property
    def database_location(self) -> str:
        return str(self.db.path or self.db.url)

    def notify(self, area: str) -> None:
        self.changed.emit(area)


@contextmanager
def opened(url: str) -> Iterator[AppContext]:
    """An AppContext over the database at *url*, disposed at the end (tests and scripts)."""
    from ..data.database import open_database

    db = open_database(url)
    ctx = AppContext(db)
    try:
        yield ctx
    finally:
        db.dispose()
