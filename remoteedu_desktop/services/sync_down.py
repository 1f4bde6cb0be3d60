"""Down bundles, written at the county for each township (issue 6, items 4 and 8).

:func:`export_down` writes the next down bundle for one township; :func:`export_down_all` one for every enrolled
township whose keys are accepted, in one step (item 8). The township imports them with
:mod:`~remoteedu_desktop.services.sync_import` (``check_bundle`` / ``preview`` / ``apply`` accept direction
``down`` at a township from its county).

What a down bundle for township *T* carries — rows **changed by the county** (``changed_by`` = the county's code)
with ``change_seq`` above what *T* has acknowledged (:func:`sync_export.acknowledged`; *T*'s acknowledgement of
county changes travels in its up bundles, table ``sync_state``), tombstones included, and only rows that concern
*T* (see :func:`concerning`):

- county-run trainings (``training_plan.organizer_level`` is not ``township``) and their sessions — all of
  them, since any township's people may take part;
- enrolments and attendance the county recorded in county-run trainings for *T*'s people;
- certificates of *T*'s people; every certificate serial, template and asset (county-wide reference data);
- every evaluation round, rubric, rubric item and award campaign (county-wide);
  evaluations (and their scores), nominations and awards of *T*'s people or *T*'s sites.

Org units referred to by these rows that are not *T*'s own (the county's unit, another township's site) travel
as reference copies (table ``org_unit``, whatever their change_seq) with their parents, so that every reference
can be held at the township; *T*'s own units never travel down (a unit of *T* that only the county has, referred
to by a county row, makes the township refuse the bundle naming the record), except *T*'s own unit row when the
county changed it: its code, name, parent, kind, active flag and order are the county's fields (per-field
ownership, :func:`sync_rows.field_owners`), merged at *T* with *T*'s address and contacts.

*T*'s people: persons first recorded by *T* (``origin`` = *T*) or holding a post in one of *T*'s units (code
starting with *T*'s code, or a site without a code under such a unit). Township-owned tables (people, posts,
sites, activities, equipment, …) never travel down.

Besides the rows, a down bundle carries :data:`sync_export.SYNC_STATE_TABLE` (the acknowledgement: the highest
up-bundle sequence applied from *T* and the township change_seq it reached, plus the county's instance id and
change counter) and :data:`UNIT_CODES_TABLE`: ``{"id": …, "code": …}`` for every org unit the rows refer to.
The county and the township each created their own org_unit row for the county and the township unit at
enrolment (different ids), so the township translates these references by code (item 4 of the brief: we keep
the translation by code, in both directions, rather than re-keying units at enrolment).

``everything=True`` sends every concerning county row again ("send everything again", item 4).
The ledger row (direction ``down``, status ``written``, message ``{"since_seq", "up_to_seq"}``) and
``SyncPeer.last_sent_seq`` change in the caller's transaction, after the file was written and verified (item 5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..data.models import LocalOffice, SyncPeer
from ..errors import ValidationError
from ..sync.bundle_format import OfficeRef, Row
from . import offices, sync_edits, sync_export, sync_rows
from .sync_export import UNIT_CODES_TABLE, ExportResult

#: Tables that travel down for every township (county-wide reference data).
COUNTY_WIDE = frozenset({"certificate_serial", "certificate_template", "certificate_asset", "evaluation_round",
                         "rubric", "rubric_item", "award_campaign"})
#: Tables that travel down when the row concerns the township's people or sites.
PER_TOWNSHIP = ("training_plan", "training_session", "enrolment", "attendance", "certificate", "evaluation",
                "evaluation_score", "nomination", "award")


def _county(session: Session) -> offices.OfficeInfo:
    office = offices.office_info(session)
    if not office.initialized or office.level != "county":
        raise ValidationError("只有县远程办可以导出下发数据包", field="单位")
    return office


def township_peer(session: Session, township_code: str) -> SyncPeer:
    """The enrolled township *township_code* with accepted keys; refused clearly otherwise."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == township_code, SyncPeer.level == "township"))
    if peer is None:
        raise ValidationError(f"{township_code} 不是本县已登记的乡镇远程办", field="乡镇代码")
    if peer.signing_public_key is None or peer.exchange_public_key is None:
        raise ValidationError(f"{peer.name}（{peer.code}）的密钥尚未确认：请先导入它的第一个上报数据包并电话核对指纹",
                              field="乡镇代码")
    return peer


class _Scope:
    """Which rows of the county database concern one township (see the module docstring)."""

    def __init__(self, conn: Connection, township_code: str) -> None:
        self.conn = conn
        units = sync_rows.table("org_unit")
        all_units = conn.execute(select(units.c.id, units.c.code, units.c.parent_id)).all()
        mine = {u.id for u in all_units if u.code is not None and str(u.code).startswith(township_code)}
        grew = True
        while grew:  # sites without a code under one of the township's units
            more = {u.id for u in all_units if u.code is None and u.parent_id in mine and u.id not in mine}
            mine |= more
            grew = bool(more)
        self.units = mine
        person, post = sync_rows.table("person"), sync_rows.table("post")
        self.people = set(conn.execute(select(person.c.id).where(person.c.origin == township_code)).scalars())
        self.people |= {pid for pid, unit in conn.execute(select(post.c.person_id, post.c.unit_id)) if unit in mine}
        plan = sync_rows.table("training_plan")
        self.county_plans = set(conn.execute(select(plan.c.id).where(plan.c.organizer_level != "township"))
                                .scalars())
        sitting = sync_rows.table("training_session")
        self.session_plan = dict(conn.execute(select(sitting.c.id, sitting.c.plan_id)).all())
        ev = sync_rows.table("evaluation")
        self.evaluations = {e.id for e in conn.execute(select(ev.c.id, ev.c.person_id, ev.c.site_id, ev.c.unit_id))
                            if e.person_id in self.people or e.site_id in mine or e.unit_id in mine}

    def concerns(self, table: str, row: Mapping[str, Any]) -> bool:
        rule: Callable[[Mapping[str, Any]], bool] | None = {
            "training_plan": lambda r: r["id"] in self.county_plans,
            "training_session": lambda r: r["plan_id"] in self.county_plans,
            "enrolment": lambda r: r["plan_id"] in self.county_plans and r["person_id"] in self.people,
            "attendance": lambda r: (self.session_plan.get(r["session_id"]) in self.county_plans
                                     and r["person_id"] in self.people),
            "certificate": lambda r: r["person_id"] in self.people,
            "evaluation": lambda r: r["id"] in self.evaluations,
            "evaluation_score": lambda r: r["evaluation_id"] in self.evaluations,
            "nomination": lambda r: r["person_id"] in self.people or r["site_id"] in self.units,
            "award": lambda r: r["person_id"] in self.people or r["site_id"] in self.units,
        }.get(table)
        if table in COUNTY_WIDE:
            return True
        return rule is not None and rule(row)


def concerning(session: Session, township_code: str, since_seq: int) -> dict[str, list[Row]]:
    """The county's rows for *township_code* with change_seq above *since_seq*, per table (every travelling
    table present, possibly empty), as canonical JSON rows."""
    county_code = offices.office_info(session).code
    conn = session.connection()
    scope = _Scope(conn, township_code)
    out: dict[str, list[Row]] = {}
    for t in sync_rows.synced_tables():
        rows: list[Row] = []
        if t.name in COUNTY_WIDE or t.name in PER_TOWNSHIP:
            stmt = select(t).where(t.c.changed_by == county_code, t.c.change_seq > since_seq).order_by(t.c.id)
            rows = [sync_rows.row_to_json(t.name, r) for r in conn.execute(stmt).mappings()
                    if scope.concerns(t.name, r)]
        out[t.name] = rows
    return out


def _referenced_units(tables: Mapping[str, list[Row]]) -> set[str]:
    ids: set[str] = set()
    for name, rows in tables.items():
        refs = [c for c, target in sync_rows.references(sync_rows.table(name)).items() if target == "org_unit"]
        for row in rows:
            ids.update(row[c] for c in refs if row.get(c))
    return ids


def _unit_references(session: Session, township_code: str,
                     tables: Mapping[str, list[Row]]) -> tuple[list[Row], list[Row]]:
    """For the org units the rows refer to: (``org_unit_codes`` rows ``{"id", "code"}`` for every such unit with
    a code; reference copies of those that are not the township's own, with their parents, e.g. the county's
    unit or another township's site, so that the township can hold the references)."""
    ids = _referenced_units(tables)
    if not ids:
        return [], []
    units = sync_rows.table("org_unit")
    conn = session.connection()
    by_id = {r["id"]: r for r in conn.execute(select(units)).mappings()}
    codes = [{"id": uid, "code": by_id[uid]["code"]} for uid in sorted(ids) if uid in by_id and by_id[uid]["code"]]
    owned = _Scope(conn, township_code).units
    copies: dict[str, Row] = {}
    for uid in sorted(ids):
        while uid is not None and uid in by_id and uid not in owned and uid not in copies:
            copies[uid] = sync_rows.row_to_json("org_unit", by_id[uid])
            uid = by_id[uid]["parent_id"]
    return codes, [copies[k] for k in sorted(copies)]


def _township_unit(session: Session, county_code: str, township_code: str, since: int,
                   already: list[Row]) -> list[Row]:
    """The township's own unit row when the county changed it (its code, name, parent… are the county's fields,
    issue 6, item 3 per field; the township merges them and keeps its own address and contacts)."""
    units = sync_rows.table("org_unit")
    row = session.connection().execute(select(units).where(
        units.c.code == township_code, units.c.kind == "township", units.c.changed_by == county_code,
        units.c.change_seq > since)).mappings().first()
    if row is None or any(r["id"] == row["id"] for r in already):
        return []
    return [sync_rows.row_to_json("org_unit", row)]


def export_down(session: Session, township_code: str, dest_dir: Path | str, *,
                everything: bool = False) -> ExportResult:
    """Write the next down bundle for *township_code* into *dest_dir* (issue 6, items 4, 5, 8)."""
    session.flush()
    county = _county(session)
    peer = township_peer(session, township_code)
    since = 0 if everything else sync_export.acknowledged(session, peer.code)
    up_to = session.scalar(select(LocalOffice.change_counter).where(LocalOffice.id == 1)) or 0
    tables = concerning(session, peer.code, since)
    tables[UNIT_CODES_TABLE], tables["org_unit"] = _unit_references(session, peer.code, tables)
    own_unit = _township_unit(session, county.code, peer.code, since, tables["org_unit"])
    if own_unit:  # its parent (the county's unit) is matched by code at the township
        tables["org_unit"] += own_unit
        known = {r["id"] for r in tables[UNIT_CODES_TABLE]}
        units = sync_rows.table("org_unit")
        for uid in (own_unit[0]["id"], own_unit[0]["parent_id"]):
            code = session.connection().execute(select(units.c.code).where(units.c.id == uid)).scalar()
            if uid is not None and code and uid not in known:
                tables[UNIT_CODES_TABLE].append({"id": uid, "code": code})
    tables[sync_export.SYNC_STATE_TABLE] = [sync_export.sync_state_row(
        session, county.code, peer.code, up_to, acked_sequence=peer.last_received_seq or 0)]
    tables[sync_export.EDITED_FIELDS_TABLE] = sync_edits.edited_rows(session, tables, own_code=county.code,
                                                                     peer_code=peer.code)
    return sync_export.write_and_record(session, OfficeRef(county.code, county.name, "county"), peer, "down",
                                        tables, dest_dir, since=since, up_to=up_to)


def down_targets(session: Session) -> tuple[list[str], list[str]]:
    """(townships with accepted keys, townships still waiting for their keys to be accepted), by code."""
    _county(session)
    peers = session.scalars(select(SyncPeer).where(SyncPeer.level == "township").order_by(SyncPeer.code)).all()
    ready = [p.code for p in peers if p.signing_public_key is not None and p.exchange_public_key is not None]
    return ready, [p.code for p in peers if p.code not in ready]


def export_down_all(session: Session, dest_dir: Path | str, *, everything: bool = False) -> list[ExportResult]:
    """A down bundle for every enrolled township whose keys are accepted, in one step (issue 6, item 8).
    Townships still waiting for their keys are skipped (see :func:`down_targets`)."""
    ready, _waiting = down_targets(session)
    return [export_down(session, code, dest_dir, everything=everything) for code in ready]
