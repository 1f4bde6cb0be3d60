"""Up bundles, written at the township for its county (issue 6, items 2, 4 and 5).

:func:`export_up` gathers every travelling row this office changed (``changed_by`` = own code) with a
``change_seq`` above what the county has *acknowledged*, tombstones included, and writes them with
:func:`~remoteedu_desktop.sync.bundle_format.write_bundle`: signed with this office's key, encrypted to
the county's exchange key. Bundles are cumulative (item 4): until the county acknowledges a sequence
(acknowledgements come back in down bundles, a later session; :func:`set_acknowledged` records them), each
bundle carries everything since the last acknowledgement, so a lost bundle is healed by the next one.
``everything=True`` sends every row this office changed ("send everything again"). The ledger row of each bundle keeps (in ``message``, JSON)
the change_seq range it carried, so that an acknowledgement of bundle *n* can be turned into "everything up to
change_seq m" (:func:`acknowledge_bundle`).

Every bundle also carries the table :data:`OFFICE_KEYS_TABLE` with one row, this office's two public keys
(``{"id": code, "signing_public_key": hex, "exchange_public_key": hex}``): the county records them as pending
on the first bundle and trusts them only after the fingerprint is checked by phone (item 1).

The ledger row (direction ``up``, status ``written``) and ``SyncPeer.last_sent_seq`` change in the caller's
transaction, and only after the file was written and verified by reading it back (item 5).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.migrate import head_revision
from ..data.models import AppSetting, LocalOffice, SyncLedger, SyncPeer
from ..errors import ValidationError
from ..sync.bundle_format import BundleHeader, OfficeRef, Row, write_bundle
from . import office_keys, offices, sync_rows

OFFICE_KEYS_TABLE = "office_keys"
ACKED_PREFIX = "sync.acked."


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
    for t in sync_rows.synced_tables():
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
    previous = session.scalar(
        select(SyncLedger.sha256).where(SyncLedger.direction == "up", SyncLedger.source_office == office.code,
                                        SyncLedger.target_office == peer.code, SyncLedger.status == "written")
        .order_by(SyncLedger.sequence.desc()).limit(1))
    sequence = (peer.last_sent_seq or 0) + 1
    header = BundleHeader(source=OfficeRef(office.code, office.name, "township"), target_code=peer.code,
                          direction="up", sequence=sequence, previous_sha256=previous,
                          schema_revision=head_revision())
    keys = office_keys.peer_keys(session, peer.code)
    assert keys is not None
    written = write_bundle(dest_dir, header=header, tables=tables, signing_key=office_keys.signing_key(session),
                           recipient=keys.exchange)
    manifest = written.manifest
    session.add(SyncLedger(bundle_id=written.bundle_id, direction="up", source_office=office.code,
                           target_office=peer.code, sequence=sequence, sha256=written.sha256,
                           previous_sha256=previous, status="written", counts_json=manifest.counts_json(),
                           message=json.dumps({"since_seq": since, "up_to_seq": up_to})))
    peer.last_sent_seq = sequence
    session.flush()
    counts = {t: (c.changes, c.tombstones) for t, c in manifest.tables.items()
              if c.rows and t != OFFICE_KEYS_TABLE}
    return ExportResult(written.path, sequence, counts, written.sha256, written.bundle_id, since, up_to)
