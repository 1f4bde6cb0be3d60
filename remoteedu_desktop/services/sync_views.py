"""Read-only views of the sync ledger for the Sync page (issue 6, items 6 and 10).

The page shows, beside each peer of :func:`.sync_enrolment.sync_status`, when the last bundle went to it or
came from it. This module only reads ``sync_ledger``; it never changes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..data.models import SyncLedger


@dataclass(frozen=True)
class PeerExchange:
    """The last bundle written for a peer and the last one imported from it (None when there is none)."""

    code: str
    last_written_at: dt.datetime | None
    last_applied_at: dt.datetime | None

    @property
    def last_at(self) -> dt.datetime | None:
        """The later of the two: the peer's last exchange of any kind."""
        dates = [d for d in (self.last_written_at, self.last_applied_at) if d is not None]
        return max(dates) if dates else None


def last_exchanges(session: Session) -> dict[str, PeerExchange]:
    """peer code → :class:`PeerExchange`, for every peer that has at least one bundle in the ledger
    (written to it, or imported from it). Peers without any bundle are absent; refused (quarantined) bundles
    do not count as an exchange."""
    written = dict(session.execute(
        select(SyncLedger.target_office, func.max(SyncLedger.at))
        .where(SyncLedger.status == "written").group_by(SyncLedger.target_office)).tuples().all())
    applied = dict(session.execute(
        select(SyncLedger.source_office, func.max(SyncLedger.at))
        .where(SyncLedger.status == "applied").group_by(SyncLedger.source_office)).tuples().all())
    return {code: PeerExchange(code, written.get(code), applied.get(code))
            for code in sorted(set(written) | set(applied)) if code}
