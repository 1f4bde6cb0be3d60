"""Sites served by tutors and technicians (R4, R5, R9): set, remove as a tombstone, revive, refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, OrgUnit, PostServedSite
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, site_views, units
from remoteedu_desktop.services.served_sites import candidate_sites, served_sites, set_served_sites

TODAY = dt.date(2026, 6, 30)

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]


def assign(db: Database, person_id: str, unit_id: str, role: str, slot: str | None = None) -> str:
    with db.session() as s:
        return posts.assign_post(s, person_id=person_id, unit_id=unit_id, role=role, slot=slot,
                                 start_date=dt.date(2020, 1, 1), today=TODAY).id


def set_sites(db: Database, post_id: str, site_ids: list[str]):  # type: ignore[no-untyped-def]
    with db.session() as s:
        return set_served_sites(s, post_id, site_ids)


def links(db: Database, post_id: str) -> dict[str, bool]:
    """site id → deleted flag, for every row of the post (tombstones included)."""
    with db.session() as s:
        return {r.site_id: r.deleted for r in s.scalars(select(PostServedSite).where(
            PostServedSite.post_id == post_id))}


def county_id(db: Database, township_id: str) -> str:
    with db.session() as s:
        parent = s.get(OrgUnit, township_id).parent_id  # type: ignore[union-attr]
        assert parent is not None
        return parent


def other_township(db: Database, township_id: str) -> str:
    with db.session() as s:
        return units.add_unit(s, kind="township", name="石门乡", parent_id=county_id(db, township_id),
                              code="360499101").id


def test_set_remove_tombstone_and_revive(db: Database, township_id: str, new_village: NewVillage,
                                         new_person: NewPerson) -> None:
    yang, li, he = new_village("杨家村"), new_village("李家村"), new_village("何家村")
    post = assign(db, new_person(name="赵老师").id, township_id, "township_tutor")

    change = set_sites(db, post, [yang.id, li.id])
    assert (change.added, change.removed, change.changed) == (("杨家村", "李家村"), (), True)
    with db.session() as s:
        assert sorted(served_sites(s, post)) == sorted([yang.id, li.id])
        assert [p.person_name for p in site_views.site_detail(s, yang.id, today=TODAY).helpers] == ["赵老师"]

    change = set_sites(db, post, [li.id, he.id])
    assert (change.added, change.removed) == (("何家村",), ("杨家村",))
    assert links(db, post) == {yang.id: True, li.id: False, he.id: False}  # removed = tombstone, not deleted
    with db.session() as s:
        assert site_views.site_detail(s, yang.id, today=TODAY).helpers == []

    change = set_sites(db, post, [yang.id, li.id, he.id])  # revive the same row (unique post_id, site_id)
    assert (change.added, change.removed) == (("杨家村",), ())
    assert links(db, post) == {yang.id: False, li.id: False, he.id: False}
    assert set_sites(db, post, [yang.id, li.id, he.id]).changed is False

    with db.session() as s:
        choices = candidate_sites(s, post)
    assert [(c.name, c.township_name, c.checked) for c in choices] == [
        ("杨家村", "龙潭镇", True), ("李家村", "龙潭镇", True), ("何家村", "龙潭镇", True)]


def test_changes_are_audited_and_stamped(db: Database, township_id: str, new_village: NewVillage,
                                         new_person: NewPerson) -> None:
    yang = new_village("杨家村")
    post = assign(db, new_person(name="钱技术").id, township_id, "technician")
    set_sites(db, post, [yang.id])
    set_sites(db, post, [])
    set_sites(db, post, [yang.id])
    with db.session() as s:
        link = s.scalars(select(PostServedSite)).one()
        audit = list(s.scalars(select(AuditLog).where(AuditLog.table_name == "post_served_site",
                                                      AuditLog.record_id == link.id).order_by(AuditLog.id)))
        assert link.changed_by == "360499100" and link.change_seq > 0 and link.row_version >= 3
    assert [a.action for a in audit][0] == "insert" and {a.account for a in audit} == {"clerk1"}
    deleted_changes = [(a.old_value, a.new_value) for a in audit if a.field == "deleted"]
    assert len(deleted_changes) == 2, [(a.action, a.field, a.old_value, a.new_value) for a in audit]


def test_county_post_serves_any_township(db: Database, township_id: str, new_village: NewVillage,
                                         new_person: NewPerson) -> None:
    shimen = other_township(db, township_id)
    yang, far = new_village("杨家村"), new_village("石门村", parent_id=shimen, code="360499101201")
    post = assign(db, new_person(name="孙老师").id, county_id(db, township_id), "county_tutor")
    assert set_sites(db, post, [yang.id, far.id]).added == ("杨家村", "石门村")
    with db.session() as s:
        assert {(c.township_name, c.name, c.checked) for c in candidate_sites(s, post)} == {
            ("龙潭镇", "杨家村", True), ("石门乡", "石门村", True)}


def test_refusals_write_nothing(db: Database, township_id: str, new_village: NewVillage, new_person: NewPerson,
                                state: Callable[[], dict[str, int]], refused: Callable[..., None]) -> None:
    shimen = other_township(db, township_id)
    yang, far = new_village("杨家村"), new_village("石门村", parent_id=shimen, code="360499101201")
    shut = new_village("关停村")
    with db.session() as s:
        units.deactivate_unit(s, shut.id, reason="撤并")
    tutor = assign(db, new_person(name="赵老师").id, township_id, "township_tutor")
    tech = assign(db, new_person(name="钱技术").id, township_id, "technician")
    manager = assign(db, new_person(name="张三").id, yang.id, "village_manager", "A")
    ended = assign(db, new_person(name="周老师").id, township_id, "township_tutor")
    with db.session() as s:
        posts.end_post(s, ended, end_date=dt.date(2026, 6, 1), reason="调离", today=TODAY)
    before = state()

    cases = [
        (manager, [yang.id], "岗位", "R4", "只有辅导员和技术员"),
        (ended, [yang.id], "岗位", "R12", "已于 2026-06-01 结束"),
        (tutor, [yang.id, far.id], "服务站点", "R4", "乡镇岗位只能服务本乡镇的站点"),
        (tech, [far.id], "服务站点", "R5", "石门乡石门村"),
        (tutor, [shut.id], "服务站点", "R4", "已停用"),
        (tutor, [township_id], "服务站点", "R4", "不是站点"),
        (tutor, ["no-such-site"], "服务站点", "R4", "找不到"),
    ]
    for post_id, site_ids, field, rule, says in cases:
        with pytest.raises(ValidationError) as exc:
            set_sites(db, post_id, site_ids)
        refused(exc.value, field=field, rule=rule, says=says)
    assert state() == before
    with db.session() as s:
        with pytest.raises(ValidationError):
            candidate_sites(s, manager)
        assert [c.name for c in candidate_sites(s, tutor)] == ["杨家村"]  # not the inactive one, not 石门村
