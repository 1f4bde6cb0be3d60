"""The org tree for the main window (R1, R3): county → township → sites, in order, with post A/B flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.services import org_tree, people, posts, units

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]
TODAY = dt.date(2026, 6, 30)


def _tree(db: Database) -> list[org_tree.TreeNode]:
    with db.session() as s:
        return org_tree.org_tree(s)


def test_county_then_township_then_sites_in_display_order(db: Database, township_id: str,
                                                          new_village: NewVillage) -> None:
    second = new_village("石桥村")
    first = new_village("下湾村")
    with db.session() as s:
        unit = s.get(OrgUnit, first.id)
        assert unit is not None
        unit.sort_order = -1
        station = units.add_unit(s, kind="township_station", name="龙潭镇远程教育站点", parent_id=township_id,
                                 sort_order=-5)
    nodes = _tree(db)
    assert [(n.kind, n.name) for n in nodes] == [
        ("county", "青山县"), ("township", "龙潭镇"),
        ("township_station", "龙潭镇远程教育站点"), ("village", "下湾村"), ("village", "石桥村")]
    county, township = nodes[0], nodes[1]
    assert county.parent_id is None and township.parent_id == county.id
    assert {n.parent_id for n in nodes[2:]} == {township_id}
    assert nodes[2].id == station.id and nodes[4].id == second.id
    assert township.code == "360499100" and township.kind_label == "乡镇"
    assert [n.is_site for n in nodes] == [False, False, True, True, True]


def test_village_sites_flag_missing_post_a_and_b(db: Database, new_village: NewVillage,
                                                 new_person: NewPerson) -> None:
    village = new_village("石桥村")
    with db.session() as s:
        posts.assign_post(s, person_id=new_person().id, unit_id=village.id, role="village_manager", slot="A",
                          start_date=dt.date(2020, 1, 6), today=TODAY)
    node = next(n for n in _tree(db) if n.id == village.id)
    assert (node.missing_a, node.missing_b) == (False, True)
    township = next(n for n in _tree(db) if n.kind == "township")
    assert (township.missing_a, township.missing_b) == (False, False)  # R3 is about village sites only


def test_inactive_units_stay_in_the_tree_without_flags(db: Database, new_village: NewVillage) -> None:
    village = new_village("石桥村")
    with db.session() as s:
        units.deactivate_unit(s, village.id, reason="撤并")
    node = next(n for n in _tree(db) if n.id == village.id)
    assert node.active is False
    assert (node.missing_a, node.missing_b) == (False, False)


def test_descendants_and_summary(db: Database, township_id: str, new_village: NewVillage,
                                 new_person: NewPerson) -> None:
    a, b = new_village(), new_village()
    new_person()
    nodes = _tree(db)
    assert org_tree.descendants(nodes, township_id) == {township_id, a.id, b.id}
    assert org_tree.descendants(nodes, a.id) == {a.id}
    with db.session() as s:
        summary = org_tree.org_summary(s)
    assert summary == org_tree.OrgSummary(townships=1, sites=2, people=1, open_posts=0, vacant_slots=4)


def test_empty_database_has_an_empty_tree(db: Database) -> None:
    assert _tree(db) == []
