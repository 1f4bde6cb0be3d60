"""Issue 6, item 3 in the program: a non-owner cannot edit an owned field, and is told who owns it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pg_server import PgServer
from sqlalchemy import select
from test_sync_import import COUNTY, TODAY, TOWNSHIP, Pair, make_pair, seed

from remoteedu_desktop.data.models import OrgUnit, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, sync_import, units
from remoteedu_desktop.services.sync_ownership import person_ownership, unit_ownership


@pytest.fixture
def pair(tmp_path: Path, backend: str, database_url: Callable[..., str], pg_server: PgServer | None) -> Iterator[Pair]:
    p = make_pair(tmp_path, database_url, backend=backend, pg=pg_server)
    yield p
    p.close()


def unit_id(db: object, code: str) -> str:
    with db.session() as s:  # type: ignore[attr-defined]
        return s.scalar(select(OrgUnit.id).where(OrgUnit.code == code))  # type: ignore[return-value]


def test_at_the_county_a_township_person_and_site_are_the_townships(pair: Pair) -> None:
    ids = seed(pair.township)
    assert sync_import.apply(pair.county, pair.export().path).status == "applied"
    with pair.county.session() as s:
        own = person_ownership(s, ids.person_ids[0])
        assert own is not None and own.fields is None and "龙潭镇" in own.owner
        with pytest.raises(ValidationError, match="由龙潭镇远程办（360499100）维护"):
            people.update_person(s, ids.person_ids[0], phone="13700000003", today=TODAY)
        with pytest.raises(ValidationError, match="龙潭镇"):
            units.update_unit(s, ids.village_id, name="石门村（改）")
        with pytest.raises(ValidationError, match="龙潭镇"):
            posts.end_post(s, ids.post_id, end_date=TODAY, reason="调动", today=TODAY)
        township = unit_ownership(s, unit_id(pair.county, TOWNSHIP))
        assert township is not None and township.covers("address") and not township.covers("name")
        units.rename_unit(s, unit_id(pair.county, TOWNSHIP), name="龙潭镇（新）")  # the county's field
        county_unit = unit_ownership(s, unit_id(pair.county, COUNTY))
        assert county_unit is None
    with pair.county.session() as s:
        person = s.get(Person, ids.person_ids[0])
        assert person is not None and person.phone == "13800000001", "nothing was written"


def test_at_the_township_the_countys_fields_of_its_own_unit_are_read_only(pair: Pair) -> None:
    seed(pair.township)
    with pair.township.session() as s:
        own = unit_ownership(s, unit_id(pair.township, TOWNSHIP))
        assert own is not None and own.covers("name") and own.covers("code") and not own.covers("address")
        with pytest.raises(ValidationError, match="青山县"):
            units.rename_unit(s, unit_id(pair.township, TOWNSHIP), name="别的名字")
        info = units.update_unit(s, unit_id(pair.township, TOWNSHIP), name="龙潭镇", code=TOWNSHIP,
                                 address="龙潭镇政府大院")  # its own fields: fine
        assert info is not None
        assert unit_ownership(s, unit_id(pair.township, COUNTY)) is not None, "the county's unit"
        assert unit_ownership(s, unit_id(pair.township, f"{TOWNSHIP}201")) is None, "its own site"


def test_without_sync_peers_nothing_is_refused(database_url: Callable[..., str]) -> None:
    from remoteedu_desktop.data.database import open_database
    from remoteedu_desktop.services import offices

    db = open_database(database_url("c.sqlite3"))
    try:
        with db.session() as s:
            info = offices.init_office(s, level="county", code=COUNTY, name="青山县")
            tw = units.add_unit(s, kind="township", name="龙潭镇", parent_id=info.unit_id, code=TOWNSHIP)
            assert unit_ownership(s, tw.id) is None
            units.rename_unit(s, tw.id, name="龙潭镇（新）")
            p = people.add_person(s, people.PersonInput(name="王五", id_number="36049919800517001X"), today=TODAY)
            assert person_ownership(s, p.id) is None
            posts.assign_post(s, person_id=p.id, unit_id=tw.id, role="township_manager",
                              start_date=dt.date(2026, 1, 1), today=TODAY)
    finally:
        db.dispose()
