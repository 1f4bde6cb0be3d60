"""Who may edit a record here (issue 6, item 3, in the program): a non-owner cannot edit an owned field.

Between offices that exchange sync bundles, each table or field has an owning level (:mod:`sync_rows`): a
township owns its sites, people's personal and contact data, posts…; the county owns county-run trainings,
certificates, evaluations, awards, and the name, code and place in the tree of a township's own unit. The sync
merge lets the owner's value win anyway; this module lets the program say so before the clerk types anything:
editors open owned fields read-only and name the owner, and the services refuse such an edit.

Only offices that exchange bundles are concerned: a county's records of a township that is not enrolled as a
sync peer are the county's to keep, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import OrgUnit, Person, Post, SyncPeer
from ..errors import ValidationError
from . import offices
from .sync_rows import COUNTY_FIELDS_OF_TOWNSHIP_UNIT

#: The township's fields of its own unit row ("posts": the posts held at it, e.g. its township managers).
TOWNSHIP_FIELDS_OF_TOWNSHIP_UNIT = frozenset({"address", "contact_person", "contact_phone", "notes", "posts"})


@dataclass(frozen=True)
class Ownership:
    """A record (or some of its fields) owned by another office."""

    owner: str  #: e.g. "龙潭镇远程办（360499100）"
    fields: frozenset[str] | None  #: the fields this office may not edit; None: the whole record

    @property
    def message(self) -> str:
        what = "此记录" if self.fields is None else "此记录的部分内容"
        return f"{what}由{self.owner}维护（同步数据的所有方），本机不能修改；如需更正，请联系{self.owner}"

    def covers(self, field: str) -> bool:
        return self.fields is None or field in self.fields


def _townships(session: Session) -> dict[str, str]:
    """Enrolled township peers: code → name (only at a county office)."""
    return dict(session.execute(select(SyncPeer.code, SyncPeer.name).where(SyncPeer.level == "township")).all())


def _county_peer(session: Session) -> tuple[str, str] | None:
    row = session.execute(select(SyncPeer.code, SyncPeer.name).where(SyncPeer.level == "county")).first()
    return (row[0], row[1]) if row is not None else None


def _owner_label(name: str, code: str) -> str:
    return f"{name}远程办（{code}）" if not name.endswith("远程办") else f"{name}（{code}）"


def _unit_township(unit: OrgUnit, townships: Iterable[str]) -> str | None:
    """The enrolled township whose unit this is (by code, or a site without a code under one)."""
    node: OrgUnit | None = unit
    while node is not None:
        if node.code:
            return next((t for t in townships if str(node.code).startswith(t) and node.kind != "county"), None)
        node = node.parent
    return None


def unit_ownership(session: Session, unit_id: str) -> Ownership | None:
    """Whether (and which fields of) this org unit another office owns; None when this office may edit it."""
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        return None
    office = offices.office_info(session)
    if office.level == "county":
        townships = _townships(session)
        code = _unit_township(unit, townships)
        if code is None:
            return None
        label = _owner_label(townships[code], code)
        if unit.kind == "township" and unit.code == code:
            return Ownership(label, TOWNSHIP_FIELDS_OF_TOWNSHIP_UNIT)
        return Ownership(label, None)
    county = _county_peer(session)
    if office.level != "township" or county is None:
        return None
    label = _owner_label(county[1], county[0])
    if unit.kind == "township" and unit.code == office.code:
        return Ownership(label, COUNTY_FIELDS_OF_TOWNSHIP_UNIT)
    if _unit_township(unit, [office.code]) == office.code:
        return None
    return Ownership(label, None)  # the county's unit, another township's site: reference copies


def person_ownership(session: Session, person_id: str) -> Ownership | None:
    """At a county: a person of an enrolled township (first recorded there, or holding a post in one of its
    units) is the township's: personal and contact data, posts (R10 archives are kept where the person works)."""
    office = offices.office_info(session)
    if office.level != "county":
        return None
    townships = _townships(session)
    if not townships:
        return None
    person = session.get(Person, person_id)
    if person is None:
        return None
    if person.origin in townships:
        return Ownership(_owner_label(townships[person.origin], person.origin), None)
    units = session.scalars(select(OrgUnit).join(Post, Post.unit_id == OrgUnit.id)
                            .where(Post.person_id == person_id, Post.deleted.is_(False)))
    for unit in units:
        code = _unit_township(unit, townships)
        if code is not None:
            return Ownership(_owner_label(townships[code], code), None)
    return None


def refuse_if_owned(ownership: Ownership | None, changed: Iterable[str], *, where: str) -> None:
    """Refuse an edit of fields another office owns (the services call this before writing)."""
    if ownership is None:
        return
    owned = [f for f in changed if ownership.covers(f)]
    if owned:
        raise ValidationError(ownership.message, field=owned[0], where=where)
