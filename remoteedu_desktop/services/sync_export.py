"""Up bundles, written at the township for its county (issue 6, items 2, 4 and 5).

:func:`export_up` gathers every travelling row this office changed (``changed_by`` = own code) with a
``change_seq`` above what the county has *acknowledged*, tombstones included, and writes them with
:func:`~remoteedu_desktop.sync.bundle_format.write_bundle`: signed with this office's key, encrypted to
the county's exchange key. Bundles are cumulative (item 4): until the county acknowledges a sequence
(acknowledgements come back in down bundles, table ``sync_state``; :func:`set_acknowledged` records them), each
bundle carries everything since the last acknowledgement, so a lost bundle is healed by the next one.
``everything=True`` sends every row this office changed ("send everything again"). The ledger row of each bundle keeps (in ``message``, JSON)
the change_seq range it carried, so that an acknowledgement of bundle *n* can be turned into "everything up to
change_seq m" (:func:`acknowledge_bundle`).

Every bundle also carries the table :data:`OFFICE_KEYS_TABLE` with one row, this office's two public keys
(``{"id": code, "signing_public_key": hex, "exchange_public_key": hex}``): the county records them as pending
on the first bundle and trusts them only after the fingerprint is checked by phone (item 1).

Every bundle, up or down, also carries the table :data:`SYNC_STATE_TABLE` with one row about the sender
(items 4 and 9): ``{"id": code, "instance_id": …, "up_to_seq": …, "acked_sequence": …, "acked_change_seq": …}``.
``instance_id`` is this installation's random id (:func:`instance_id`, made once and kept in ``app_setting``);
``up_to_seq`` the sender's change counter when the bundle was made; ``acked_change_seq`` the highest change_seq
of the *recipient* that the sender has applied (:func:`received`), i.e. the acknowledgement travelling back;
``acked_sequence`` (down bundles) the highest bundle sequence of the recipient that the sender has applied.

The ledger row (direction ``up``, status ``written``) and ``SyncPeer.last_sent_seq`` change in the caller's
transaction, and only after the file was written and verified by reading it back (item 5).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.migrate import head_revision
from ..data.models import AppSetting, LocalOffice, SyncLedger, SyncPeer
from ..data.stamping import utcnow
from ..errors import ValidationError
from ..sync.bundle_format import BundleHeader, OfficeRef, Row, write_bundle
from . import office_keys, offices, sync_rows

OFFICE_KEYS_TABLE = "office_keys"
SYNC_STATE_TABLE = "sync_state"
UNIT_CODES_TABLE = "org_unit_codes"  #: down bundles: org unit id → code (see sync_down)
#: Tables of a bundle that are not database tables (read by the importer, never applied as rows).
EDITED_FIELDS_TABLE = "edited_fields"  #: which fields the sender edited in the rows it sends (see sync_edits)
META_TABLES = (OFFICE_KEYS_TABLE, SYNC_STATE_TABLE, UNIT_CODES_TABLE, EDITED_FIELDS_TABLE)
ACKED_PREFIX = "sync.acked."
RECEIVED_PREFIX = "sync.received."
INSTANCE_KEY = "sync.instance_id"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sequence: int
    counts: dict[str, tuple[int, int]]  #: table → (changes, tombstones), tables with rows only
    sha256: str
    bundle_id: str
    since_seq: int  #: rows with change_seq above this were sent (0 with everything=True)
    up_to_seq: int  #: … and up to this one: this office's change counter when the bundle was made

    @property
    def total(self) -> int:
        return sum(c + t for c, t in self.counts.values())


def acknowledged(session: Session, peer_code: str) -> int:
    """The highest change_seq of this office that *peer_code* has acknowledged (0 when none)."""
    row = session.get(AppSetting, ACKED_PREFIX + peer_code)
    return int(json.loads(row.value_json)["change_seq"]) if row is not None else 0


def set_acknowledged(session: Session, peer_code: str, change_seq: int) -> None:
    """Record an acknowledgement from *peer_code* (never moves backwards)."""
    if change_seq <= acknowledged(session, peer_code):
        return
    row = session.get(AppSetting, ACKED_PREFIX + peer_code)
    value = json.dumps({"change_seq": change_seq})
    if row is None:
        session.add(AppSetting(key=ACKED_PREFIX + peer_code, value_json=value))
    else:
        row.value_json = value
    session.flush()


def received(session: Session, peer_code: str) -> int:
    """The highest change_seq of *peer_code* whose rows this office has applied (0 when none): what the next
    bundle to *peer_code* acknowledges (issue 6, item 4)."""
    row = session.get(AppSetting, RECEIVED_PREFIX + peer_code)
    return int(json.loads(row.value_json)["change_seq"]) if row is not None else 0


def set_received(session: Session, peer_code: str, change_seq: int) -> None:
    """Record that this office applied *peer_code*'s changes up to *change_seq* (never moves backwards)."""
    if change_seq <= received(session, peer_code):
        return
    row = session.get(AppSetting, RECEIVED_PREFIX + peer_code)
    value = json.dumps({"change_seq": change_seq})
    if row is None:
        session.add(AppSetting(key=RECEIVED_PREFIX + peer_code, value_json=value))
    else:
        row.value_json = value
    session.flush()


def instance_id(session: Session) -> str:
    """This installation's random instance id (issue 6, item 9), sent in every bundle so that the recipient
    notices when the same office starts sending from another database. Made once: until
    :func:`keep_instance_id` stores it (after a bundle was written), the same new id is kept in the session."""
    row = session.get(AppSetting, INSTANCE_KEY)
    if row is not None:
        return str(json.loads(row.value_json)["id"])
    return str(session.info.setdefault(INSTANCE_KEY, uuid.uuid4().hex))


def keep_instance_id(session: Session) -> None:
    """Store the instance id :func:`instance_id` made, if it is new (call after a bundle was written)."""
    if session.get(AppSetting, INSTANCE_KEY) is None:
        session.add(AppSetting(key=INSTANCE_KEY, value_json=json.dumps({"id": instance_id(session)})))
        session.flush()


def sync_state_row(session: Session, own_code: str, peer_code: str, up_to_seq: int,
                   acked_sequence: int = 0) -> Row:
    """The :data:`SYNC_STATE_TABLE` row of a bundle from this office to *peer_code*."""
    return {"id": own_code, "instance_id": instance_id(session), "up_to_seq": up_to_seq,
            "acked_sequence": acked_sequence, "acked_change_seq": received(session, peer_code)}


def acknowledge_bundle(session: Session, peer_code: str, sequence: int) -> int:
    """*peer_code* says it applied our bundle number *sequence*: everything that bundle carried (change_seq up
    to its ``up_to_seq``, kept in the ledger) is acknowledged. Returns the acknowledged change_seq."""
    row = session.scalar(select(SyncLedger).where(
        SyncLedger.direction == "up", SyncLedger.target_office == peer_code, SyncLedger.sequence == sequence,
        SyncLedger.status == "written"))
    if row is None or not row.message:
        raise ValidationError(f"本机没有发给 {peer_code} 的第 {sequence} 号数据包的记录", field="确认")
    set_acknowledged(session, peer_code, int(json.loads(row.message)["up_to_seq"]))
    return acknowledged(session, peer_code)


def county_peer(session: Session) -> SyncPeer:
    """This township's county, enrolled and with accepted keys; refused clearly otherwise."""
    office = offices.office_info(session)
    if not office.initialized or office.level != "township":
        raise ValidationError("只有乡镇远程办可以导出上报数据包", field="单位")
    peer = session.scalar(select(SyncPeer).where(SyncPeer.level == "county"))
    if peer is None or peer.signing_public_key is None or peer.exchange_public_key is None:
        raise ValidationError("本机尚未登记县远程办：请先安装县里发来的登记文件（remoteedu sync enroll --install）",
                              field="县远程办")
    return peer


def changed_rows(session: Session, office_code: str, since_seq: int) -> dict[str, list[Row]]:
    """Every travelling row changed by *office_code* with change_seq above *since_seq*, per table (all
    travelling tables present, possibly empty), as canonical JSON rows (tombstones included)."""
    out: dict[str, list[Row]] = {}
    conn = session.connection()
    raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
    for t in sync_rows.synced_tables():
        if raw is not None:  # the stored values straight to JSON (see sync_rows.stored_codec): 2x faster
            names, _ = sync_rows.stored_codec(t.name)
            cursor = raw.execute(  # type: ignore[union-attr]
                f"SELECT {', '.join(names)} FROM {t.name} WHERE changed_by = ? AND change_seq > ? ORDER BY id",
                (office_code, since_seq))
            out[t.name] = sync_rows.stored_rows_to_json(t.name, cursor)
            continue
        stmt = select(t).where(t.c.changed_by == office_code, t.c.change_seq > since_seq).order_by(t.c.id)
        out[t.name] = [sync_rows.row_to_json(t.name, r) for r in conn.execute(stmt).mappings()]
    return out


def export_up(session: Session, dest_dir: Path | str, *, everything: bool = False) -> ExportResult:
    """Write this township's next up bundle into *dest_dir* (issue 6, items 2, 4, 5)."""
    session.flush()
    office = offices.office_info(session)
    peer = county_peer(session)
    since = 0 if everything else acknowledged(session, peer.code)
    up_to = session.scalar(select(LocalOffice.change_counter).where(LocalOffice.id == 1)) or 0
    tables = changed_rows(session, office.code, since)
    tables[OFFICE_KEYS_TABLE] = [{
        "id": office.code,
        "signing_public_key": office_keys.public_key_bytes(session).hex(),
        "exchange_public_key": office_keys.exchange_public_bytes(session).hex(),
    }]
    tables[SYNC_STATE_TABLE] = [sync_state_row(session, office.code, peer.code, up_to)]
    from .sync_edits import edited_rows

    tables[EDITED_FIELDS_TABLE] = edited_rows(session, tables, own_code=office.code, peer_code=peer.code)
    return write_and_record(session, OfficeRef(office.code, office.name, "township"), peer, "up", tables,
                            dest_dir, since=since, up_to=up_to)


def write_and_record(session: Session, source: OfficeRef, peer: SyncPeer, direction: str,
                     tables: dict[str, list[dict[str, object]]], dest_dir: Path | str, *,
                     since: int, up_to: int) -> ExportResult:
    """Write the next *direction* bundle to *peer* (sequence, hash of the previous one), signed by this office
    and encrypted to the peer; only once the file verified, record it in the ledger and advance the peer's
    sent sequence (issue 6, items 2, 5). Shared by up bundles and the county's down bundles."""
    previous = session.scalar(
        select(SyncLedger.sha256).where(SyncLedger.direction == direction, SyncLedger.source_office == source.code,
                                        SyncLedger.target_office == peer.code, SyncLedger.status == "written")
        .order_by(SyncLedger.sequence.desc()).limit(1))
    sequence = (peer.last_sent_seq or 0) + 1
    header = BundleHeader(source=source, target_code=peer.code, direction=direction, sequence=sequence,
                          previous_sha256=previous, schema_revision=head_revision())
    keys = office_keys.peer_keys(session, peer.code)
    assert keys is not None
    written = write_bundle(dest_dir, header=header, tables=tables, signing_key=office_keys.signing_key(session),
                           recipient=keys.exchange)
    manifest = written.manifest
    session.add(SyncLedger(bundle_id=written.bundle_id, direction=direction, source_office=source.code,
                           target_office=peer.code, sequence=sequence, sha256=written.sha256,
                           previous_sha256=previous, status="written", counts_json=manifest.counts_json(),
                           message=json.dumps({"since_seq": since, "up_to_seq": up_to}),
                           at=utcnow()))  # to the microsecond: sync_edits compares audit times with it
    keep_instance_id(session)
    peer.last_sent_seq = sequence
    session.flush()
    counts = {t: (c.changes, c.tombstones) for t, c in manifest.tables.items()
              if c.rows and t not in META_TABLES}
    return ExportResult(written.path, sequence, counts, written.sha256, written.bundle_id, since, up_to)
