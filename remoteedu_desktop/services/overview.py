"""What the main window shows at start, as plain data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..data.database import open_database
from ..data.models import OrgUnit, Person, Post
from .checks import rule_warnings
from .offices import office_info


@dataclass(frozen=True)
class WindowSummary:
    office_level: str | None
    office_code: str
    office_name: str
    database: str
    units: int
    people: int
    open_posts: int
    warnings: list[str]


def window_summary(url: str) -> WindowSummary:
    """Open (and if needed migrate) the database at *url* and summarise it."""
    db = open_database(url)
    try:
        with db.session() as session:
            office = office_info(session)
            units = session.scalar(select(func.count()).select_from(OrgUnit).where(
                OrgUnit.deleted.is_(False), OrgUnit.active.is_(True))) or 0
            people = session.scalar(select(func.count()).select_from(Person).where(
                Person.deleted.is_(False), Person.left_on.is_(None))) or 0
            posts = session.scalar(select(func.count()).select_from(Post).where(
                Post.deleted.is_(False), Post.end_date.is_(None))) or 0
            warnings = [w.text() for w in rule_warnings(session)]
        return WindowSummary(office.level, office.code, office.name, str(db.path or db.url),
                             units, people, posts, warnings)
    finally:
        db.dispose()
