"""Rows ⇄ canonical JSON for sync bundles, and the table-level ownership map (issue 6, items 2 and 3)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Base, Synced
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import sync_rows
from remoteedu_desktop.sync.bundle_format import canonical_json


def test_every_synced_table_in_foreign_key_order() -> None:
    names = sync_rows.synced_table_names()
    expected = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Synced)}
    assert set(names) == expected and len(names) == len(expected)
    assert "sync_ledger" not in names and "audit_log" not in names and "certificate_print" not in names
    position = {n: i for i, n in enumerate(names)}
    for t in sync_rows.synced_tables():
        for column, target in sync_rows.references(t).items():
            if target != t.name:
                assert position[target] < position[t.name], f"{t.name}.{column} → {target}"
    assert sync_rows.self_references(sync_rows.table("org_unit")) == ("parent_id",)


def _person_row() -> dict[str, object]:
    t = sync_rows.table("person")
    row: dict[str, object] = {c.name: None for c in t.columns}
    row.update(id="p1", origin="360499100", changed_by="360499100", change_seq=7, deleted=False, row_version=2,
               updated_at=dt.datetime(2026, 3, 4, 5, 6, 7, 89), name="张三", name_initials="ZS", gender="1",
               id_number="36049919800517001X", birth_date=dt.date(1980, 5, 17))
    return row


def test_row_round_trip_is_lossless_and_canonical() -> None:
    row = _person_row()
    obj = sync_rows.row_to_json("person", row)
    assert obj["birth_date"] == "1980-05-17" and obj["updated_at"] == "2026-03-04T05:06:07.000089"
    assert obj["deleted"] is False and obj["change_seq"] == 7 and obj["phone"] is None
    text = canonical_json(obj)
    back = sync_rows.json_to_values("person", json.loads(text))
    assert back == row
    assert canonical_json(sync_rows.row_to_json("person", back)) == text


def test_bytes_times_and_floats_round_trip() -> None:
    photo = {c.name: None for c in sync_rows.table("person_photo").columns}
    photo.update(id="x", origin="", changed_by="", change_seq=0, deleted=True, row_version=1,
                 updated_at=dt.datetime(2026, 1, 1), person_id="p1", mime_type="image/jpeg",
                 image=bytes(range(256)))
    obj = sync_rows.row_to_json("person_photo", photo)
    assert set(obj["image"]) == {"$b64"}
    assert sync_rows.json_to_values("person_photo", json.loads(canonical_json(obj))) == photo
    sitting = {c.name: None for c in sync_rows.table("training_session").columns}
    sitting.update(id="s", origin="", changed_by="", change_seq=0, deleted=False, row_version=1,
                   updated_at=dt.datetime(2026, 1, 1), plan_id="p", date=dt.date(2026, 3, 1),
                   start_time=dt.time(9, 30), hours=2.5)
    obj = sync_rows.row_to_json("training_session", sitting)
    assert obj["start_time"] == "09:30:00" and obj["hours"] == 2.5
    assert sync_rows.json_to_values("training_session", obj) == sitting


@pytest.mark.parametrize(("table", "change", "says", "field"), [
    ("sync_ledger", {}, "未知的同步表", "sync_ledger"),
    ("person", {"shoe_size": 42}, "未知字段 shoe_size", "person.shoe_size"),
    ("person", {"phone": 13800000000}, "应为文字", "person.phone"),
    ("person", {"birth_date": "17/05/1980"}, "应为日期", "person.birth_date"),
    ("person", {"deleted": 0}, "true/false", "person.deleted"),
    ("person", {"change_seq": 1.5}, "整数", "person.change_seq"),
    ("person", {"updated_at": "2026-03-04T05:06:07+08:00"}, "不带时区", "person.updated_at"),
    ("person_photo", {"image": "AAAA"}, "二进制", "person_photo.image"),
])
def test_bad_rows_refused_naming_table_and_column(table: str, change: dict[str, object], says: str,
                                                   field: str) -> None:
    row = {c.name: None for c in sync_rows.table(table).columns} if table != "sync_ledger" else {}
    if table == "person":
        row = sync_rows.row_to_json("person", _person_row())
    row.update(change)
    with pytest.raises(ValidationError) as caught:
        sync_rows.json_to_values(table, row)
    assert says in caught.value.message and caught.value.field == field


def test_missing_column_refused() -> None:
    obj = sync_rows.row_to_json("person", _person_row())
    del obj["phone"]
    with pytest.raises(ValidationError, match="缺少字段 phone"):
        sync_rows.json_to_values("person", obj)


def test_rows_from_a_real_database_round_trip(db: Database, office: object) -> None:
    with db.session() as s:
        for t in sync_rows.synced_tables():
            for r in s.connection().execute(select(t)).mappings():
                obj = json.loads(canonical_json(sync_rows.row_to_json(t.name, r)))
                assert sync_rows.json_to_values(t.name, obj) == dict(r)


def test_ownership_map() -> None:
    codes = {"u-town": "360499100", "u-county": "360499"}
    unit_code = codes.get
    def no_plan(_: str | None) -> bool:
        return False
    own = "360499100"
    assert sync_rows.township_owns("person", {}, own, unit_code, no_plan)
    assert not sync_rows.township_owns("certificate", {}, own, unit_code, no_plan)
    assert not sync_rows.township_owns("evaluation", {}, own, unit_code, no_plan)
    assert sync_rows.township_owns("org_unit", {"code": "360499100201", "kind": "village"}, own, unit_code, no_plan)
    assert not sync_rows.township_owns("org_unit", {"code": "360499", "kind": "county"}, own, unit_code, no_plan)
    assert not sync_rows.township_owns("org_unit", {"code": "360499101", "kind": "township"}, own, unit_code,
                                       no_plan)
    assert sync_rows.township_owns("org_unit", {"code": None, "parent_id": "u-town"}, own, unit_code, no_plan)
    assert not sync_rows.township_owns("org_unit", {"code": None, "parent_id": "u-county"}, own, unit_code,
                                       no_plan)
    plan = {"organizer_level": "township", "organizer_unit_id": "u-town"}
    assert sync_rows.township_owns("training_plan", plan, own, unit_code, no_plan)
    assert not sync_rows.township_owns("training_plan", {**plan, "organizer_level": "county"}, own, unit_code,
                                       no_plan)
    assert sync_rows.township_owns("training_session", {"plan_id": "p"}, own, unit_code, lambda p: p == "p")
    assert not sync_rows.township_owns("training_session", {"plan_id": "q"}, own, unit_code, lambda p: p == "p")


def test_stored_rows_give_the_same_json_as_sqlalchemy_rows(tmp_path: Path) -> None:
    """Exports read SQLite's stored values straight to JSON (issue 6, item 11, speed): for every travelling table
    of a demo database, byte for byte what row_to_json makes of the SQLAlchemy rows. SQLite only: other
    databases export the SQLAlchemy rows themselves (the sync round trips run on both backends)."""
    from remoteedu_desktop.data.database import open_database
    from remoteedu_desktop.services import demo
    from remoteedu_desktop.services.progress import run_to_end

    db = open_database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    try:
        with db.session() as s:
            run_to_end(demo.demo_steps(s, townships=1, sites=3, seed=3))
        with db.session() as s:
            conn = s.connection()
            raw = conn.connection.driver_connection
            compared = 0
            for t in sync_rows.synced_tables():
                names, _ = sync_rows.stored_codec(t.name)
                stored = sync_rows.stored_rows_to_json(
                    t.name, raw.execute(f"SELECT {', '.join(names)} FROM {t.name} ORDER BY id"))
                made = [sync_rows.row_to_json(t.name, r) for r in conn.execute(select(t).order_by(t.c.id)).mappings()]
                assert [canonical_json(r) for r in stored] == [canonical_json(r) for r in made], t.name
                compared += len(made)
            assert compared > 300
    finally:
        db.dispose()
