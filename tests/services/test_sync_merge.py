"""Three-way merges and the conflict queue (issue 6, items 3 and 7): edits to different fields merge, the owner
wins on the same field and the other value is queued, deletions against edits are conflicts, never silent."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer
from sqlalchemy import select
from test_sync_down import county_training, down
from test_sync_import import TOWNSHIP, Pair, make_pair, seed

from remoteedu_desktop.data.models import OrgUnit, Person, SyncConflict, TrainingPlan
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import sync_conflicts, sync_import


@pytest.fixture
def pair(tmp_path: Path, backend: str, database_url: Callable[..., str], pg_server: PgServer | None) -> Iterator[Pair]:
    p = make_pair(tmp_path, database_url, backend=backend, pg=pg_server)
    yield p
    p.close()


def up(pair: Pair, folder: str) -> sync_import.ImportReport:
    report = sync_import.apply(pair.county, pair.export(folder=folder).path)
    assert report.status == "applied", report.message
    return report


def down_in(pair: Pair, folder: str) -> sync_import.ImportReport:
    report = sync_import.apply(pair.township, down(pair, folder).path)
    assert report.status == "applied", report.message
    return report


def queued(db: object) -> list[SyncConflict]:
    with db.session() as s:  # type: ignore[attr-defined]
        rows = s.scalars(select(SyncConflict).order_by(SyncConflict.id)).all()
        s.expunge_all()
        return list(rows)


def township_unit(db: object) -> OrgUnit:
    with db.session() as s:  # type: ignore[attr-defined]
        unit = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
        assert unit is not None
        s.expunge(unit)
        return unit


def test_edits_to_different_fields_of_one_row_merge_without_a_conflict(pair: Pair) -> None:
    """The township's own unit row: the county owns its name, the township its address (per-field ownership)."""
    seed(pair.township)
    up(pair, "up1")
    down_in(pair, "down1")  # acknowledgements both ways
    up(pair, "up2")
    with pair.county.session() as s:
        s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP)).name = "龙潭镇（新）"  # type: ignore[union-attr]
    with pair.township.session() as s:
        s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP)).address = "龙潭镇政府大院"  # type: ignore[union-attr]
    report = up(pair, "up3")
    merged = township_unit(pair.county)
    assert (merged.name, merged.address) == ("龙潭镇（新）", "龙潭镇政府大院")
    assert not [r for r in report.records if r.status == "conflict"]
    assert queued(pair.county) == []
    down_in(pair, "down2")
    back = township_unit(pair.township)
    assert (back.name, back.address) == ("龙潭镇（新）", "龙潭镇政府大院"), "the merged row reached the township"
    assert queued(pair.township) == []


def test_same_field_owner_wins_and_the_other_value_is_queued(pair: Pair) -> None:
    ids = seed(pair.township)
    up(pair, "up1")
    with pair.township.session() as s:
        s.get(Person, ids.person_ids[0]).phone = "13900000002"  # type: ignore[union-attr]
    with pair.county.session() as s:  # a non-owner's edit (e.g. a script) of the township's person
        s.get(Person, ids.person_ids[0]).phone = "13700000003"  # type: ignore[union-attr]
    report = up(pair, "up2")
    [record] = [r for r in report.records if r.table == "person" and r.status == "conflict"]
    assert "phone" in (record.reason or "")
    with pair.county.session() as s:
        assert s.get(Person, ids.person_ids[0]).phone == "13900000002"  # type: ignore[union-attr]
    [c] = queued(pair.county)
    assert (c.winner, c.kind, c.peer_code, c.record_id) == ("there", "edit", TOWNSHIP, ids.person_ids[0])
    assert json.loads(c.fields_json) == {"phone": ["13900000002", "13700000003"]}
    with pair.county.session() as s:
        [row] = sync_conflicts.conflicts(s)
        assert not row.can_take_other and row.fields[0].kept == "13900000002"
        with pytest.raises(ValidationError, match="龙潭镇"):
            sync_conflicts.resolve(s, row.id, "take_other")
    with pair.county.session() as s:
        sync_conflicts.resolve(s, row.id, "keep")
        assert sync_conflicts.open_count(s) == 0
        with pytest.raises(ValidationError, match="处理过"):
            sync_conflicts.resolve(s, row.id, "keep")


def test_a_deletion_against_an_edit_is_a_conflict_not_a_silent_loss(pair: Pair) -> None:
    ids = seed(pair.township)
    up(pair, "up1")
    with pair.county.session() as s:
        s.get(Person, ids.person_ids[1]).notes = "县里补充的备注"  # type: ignore[union-attr]
    with pair.township.session() as s:
        s.get(Person, ids.person_ids[1]).deleted = True  # type: ignore[union-attr]
    up(pair, "up2")
    with pair.county.session() as s:
        person = s.get(Person, ids.person_ids[1])
        assert person is not None and person.deleted, "the owner's deletion wins"
    [c] = queued(pair.county)
    assert (c.kind, c.winner) == ("deleted_there", "there")
    assert json.loads(c.fields_json) == {"notes": [None, "县里补充的备注"]}, "the county's edit is kept in the queue"


def test_an_edit_against_a_local_deletion_brings_the_record_back_and_is_queued(pair: Pair) -> None:
    ids = seed(pair.township)
    up(pair, "up1")
    with pair.county.session() as s:
        s.get(Person, ids.person_ids[0]).deleted = True  # type: ignore[union-attr]
    with pair.township.session() as s:
        s.get(Person, ids.person_ids[0]).phone = "13900000009"  # type: ignore[union-attr]
    up(pair, "up2")
    with pair.county.session() as s:
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and not person.deleted and person.phone == "13900000009"
    [c] = queued(pair.county)
    assert (c.kind, c.winner) == ("deleted_here", "there")


def test_an_owner_takes_the_other_value_as_its_own_edit_which_travels(pair: Pair) -> None:
    """At the county (owner of its trainings): the township's edit of a county-run training lost; the county clerk
    takes it after all, and it travels down as the county's own edit."""
    ids = seed(pair.township)
    up(pair, "up1")
    made = county_training(pair.county, ids)
    down_in(pair, "down1")
    with pair.township.session() as s:  # a non-owner's edit (e.g. a script) of the county's training
        s.get(TrainingPlan, made["plan"]).title = "全县站长轮训（第二期）"  # type: ignore[union-attr]
    up(pair, "up2")
    with pair.county.session() as s:
        assert s.get(TrainingPlan, made["plan"]).title == "全县站长轮训"  # type: ignore[union-attr]
        [row] = sync_conflicts.conflicts(s)
        assert row.can_take_other and row.winner == "here" and row.peer_code == TOWNSHIP
        assert [(f.field, f.kept, f.other) for f in row.fields] == [("title", "全县站长轮训", "全县站长轮训（第二期）")]
        sync_conflicts.resolve(s, row.id, "take_other")
    with pair.county.session() as s:
        assert s.get(TrainingPlan, made["plan"]).title == "全县站长轮训（第二期）"  # type: ignore[union-attr]
        assert sync_conflicts.conflicts(s) == [] and len(sync_conflicts.conflicts(s, open_only=False)) == 1
    report = down_in(pair, "down2")
    assert not [r for r in report.records if r.status == "conflict"]
    with pair.township.session() as s:
        assert s.get(TrainingPlan, made["plan"]).title == "全县站长轮训（第二期）"  # type: ignore[union-attr]
    assert queued(pair.township) == []


def test_preview_shows_the_conflict_and_queues_nothing(pair: Pair) -> None:
    ids = seed(pair.township)
    up(pair, "up1")
    with pair.township.session() as s:
        s.get(Person, ids.person_ids[0]).phone = "13900000002"  # type: ignore[union-attr]
    with pair.county.session() as s:
        s.get(Person, ids.person_ids[0]).phone = "13700000003"  # type: ignore[union-attr]
    path = pair.export(folder="up2").path
    with pair.county.session() as s:
        report = sync_import.preview(s, path)
    assert report.counts()["person"]["conflict"] == 1
    assert queued(pair.county) == []
