"""Up bundles written at the township (issue 6, items 2, 4 and 5): what goes in, the ledger, the sequence."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer
from sqlalchemy import select
from test_sync_import import COUNTY, TOWNSHIP, Pair, dump, make_pair, seed

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Person, SyncLedger, SyncPeer
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import office_keys, offices, sync_export
from remoteedu_desktop.sync.bundle_format import inspect_bundle, read_bundle


@pytest.fixture
def pair(tmp_path: Path, backend: str, database_url: Callable[..., str], pg_server: PgServer | None) -> Iterator[Pair]:
    p = make_pair(tmp_path, database_url, backend=backend, pg=pg_server)
    yield p
    p.close()


def test_refused_when_the_county_is_not_enrolled(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        offices.init_office(s, level="township", code=TOWNSHIP, name="龙潭镇", county_name="青山县")
    stick = tmp_path / "stick"
    stick.mkdir()
    before = dump(db)
    with db.session() as s, pytest.raises(ValidationError, match="尚未登记县远程办"):
        sync_export.export_up(s, stick)
    assert dump(db) == before and not list(stick.iterdir())


def test_refused_at_the_county(pair: Pair) -> None:
    with pair.county.session() as s, pytest.raises(ValidationError, match="只有乡镇远程办"):
        sync_export.export_up(s, pair.stick())


def test_bundle_contents_ledger_and_sequence(pair: Pair) -> None:
    ids = seed(pair.township)
    first = pair.export()
    assert first.path.name.startswith(f"TWN-{TOWNSHIP}-UP-000001-")
    raw = first.path.read_bytes()
    for secret in ("张三".encode(), b"13800000001", ids.person_ids[0].encode()):
        assert secret not in raw, "nothing personal is readable on the stick"
    with pair.county.session() as s:
        opened = read_bundle(first.path, signers=office_keys.peer_signers(s),
                             recipient_key=office_keys.exchange_key(s), expected_target=COUNTY)
    [keys] = opened.rows(sync_export.OFFICE_KEYS_TABLE)
    with pair.township.session() as s:
        assert keys == {"id": TOWNSHIP, "signing_public_key": office_keys.public_key_bytes(s).hex(),
                        "exchange_public_key": office_keys.exchange_public_bytes(s).hex()}
    people = {r["id"]: r for r in opened.rows("person")}
    assert people[ids.person_ids[0]]["phone"] == "13800000001"
    assert all(r["changed_by"] == TOWNSHIP for r in people.values())
    with pair.township.session() as s:
        ledger = s.scalar(select(SyncLedger).where(SyncLedger.bundle_id == first.bundle_id))
        assert ledger is not None
        assert (ledger.direction, ledger.status, ledger.sequence, ledger.sha256, ledger.previous_sha256) == (
            "up", "written", 1, first.sha256, None)
        assert json.loads(ledger.message or "{}") == {"since_seq": 0, "up_to_seq": first.up_to_seq}
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == COUNTY))
        assert peer is not None and peer.last_sent_seq == 1
    second = pair.export(folder="two")
    assert second.sequence == 2
    assert inspect_bundle(second.path).manifest.previous_sha256 == first.sha256


def test_a_failed_write_changes_nothing(pair: Pair) -> None:
    seed(pair.township)
    before = dump(pair.township)
    with pair.township.session() as s, pytest.raises(ValidationError, match="目标文件夹不存在"):
        sync_export.export_up(s, pair.tmp / "pulled-stick")
    assert dump(pair.township) == before


def test_only_own_changes_above_the_acknowledged_seq(pair: Pair) -> None:
    ids = seed(pair.township)
    first = pair.export()
    with pair.township.session() as s:
        sync_export.acknowledge_bundle(s, COUNTY, first.sequence)
        sync_export.set_acknowledged(s, COUNTY, 1)  # never moves backwards
        assert sync_export.acknowledged(s, COUNTY) == first.up_to_seq
        person = s.get(Person, ids.person_ids[1])
        assert person is not None
        person.deleted = True
    second = pair.export(folder="two")
    assert second.counts == {"person": (0, 1)} and second.since_seq == first.up_to_seq
    with pair.township.session() as s, pytest.raises(ValidationError, match="第 9 号"):
        sync_export.acknowledge_bundle(s, COUNTY, 9)
