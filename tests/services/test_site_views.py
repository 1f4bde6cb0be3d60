"""The sites page's data (R1–R5, R12): site rows with A/B holders and warnings, one site's detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import OrgUnit, PostServedSite
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, posts, site_views, units

TODAY = dt.date(2026, 6, 30)

NewPerson = Callable[..., people.PersonInfo]
NewVillage = Callable[..., units.UnitInfo]


def assign(db: Database, person_id: str, unit_id: str, slot: str | None = "A", *, role: str = "village_manager",
           start: dt.date = dt.date(2020, 1, 1), reason: str | None = None) -> posts.PostInfo:
    with db.session() as s:
        return posts.assign_post(s, person_id=person_id, unit_id=unit_id, role=role, slot=slot, start_date=start,
                                 reason=reason, today=TODAY)


def end(db: Database, post_id: str, on: dt.date, reason: str = "外出务工") -> None:
    with db.session() as s:
        posts.end_post(s, post_id, end_date=on, reason=reason, today=TODAY)


def rows(db: Database, **kwargs: object) -> list[site_views.SiteRow]:
    with db.session() as s:
        return site_views.list_sites(s, today=TODAY, **kwargs)  # type: ignore[arg-type]


def detail(db: Database, unit_id: str) -> site_views.SiteDetail:
    with db.session() as s:
        return site_views.site_detail(s, unit_id, today=TODAY)


def test_list_shows_holders_helpers_and_warnings(db: Database, township_id: str, new_village: NewVillage,
                                                 new_person: NewPerson) -> None:
    yang = new_village("杨家村")
    li = new_village("李家村")
    zhang, wang, tutor = new_person(name="张三"), new_person(name="王五"), new_person(name="赵老师", female=True)
    assign(db, zhang.id, yang.id, "A")
    assign(db, wang.id, yang.id, "B")
    held = assign(db, tutor.id, township_id, None, role="township_tutor")
    with db.session() as s:
        s.add_all([PostServedSite(post_id=held.id, site_id=yang.id), PostServedSite(post_id=held.id, site_id=li.id)])

    by_name = {r.name: r for r in rows(db, under_unit_id=township_id)}
    assert set(by_name) == {"杨家村", "李家村"}
    y, li_row = by_name["杨家村"], by_name["李家村"]
    assert (y.post_a, y.post_b, y.helpers, y.warnings) == ("张三", "王五", 1, ())
    assert (y.kind_label, y.township_name, y.code, y.has_slots) == ("行政村站点", "龙潭镇", "360499100201", True)
    assert (li_row.post_a, li_row.post_b, li_row.helpers) == ("", "", 1)
    assert li_row.warnings == ("[R3] A岗空缺", "[R3] B岗空缺")
    assert li_row.warnings_text == "[R3] A岗空缺；[R3] B岗空缺"


def test_ended_helper_posts_no_longer_count(db: Database, township_id: str, new_village: NewVillage,
                                            new_person: NewPerson) -> None:
    site = new_village("杨家村")
    tech = new_person(name="钱技术")
    held = assign(db, tech.id, township_id, None, role="technician")
    with db.session() as s:
        s.add(PostServedSite(post_id=held.id, site_id=site.id))
    assert rows(db)[0].helpers == 1
    assert [p.person_name for p in detail(db, site.id).helpers] == ["钱技术"]
    end(db, held.id, dt.date(2026, 6, 1), "调离")
    assert rows(db)[0].helpers == 0
    assert detail(db, site.id).helpers == []


def test_scope_one_site_county_and_inactive(db: Database, township_id: str, new_village: NewVillage) -> None:
    a, b = new_village("杨家村"), new_village("李家村")
    with db.session() as s:
        county = s.get(OrgUnit, township_id).parent_id  # type: ignore[union-attr]
        other = units.add_unit(s, kind="township", name="石门乡", parent_id=county, code="360499101")
        far = units.add_unit(s, kind="village", name="远村", parent_id=other.id, code="360499101201")
        county_id = str(other.parent_id)
    assert [r.name for r in rows(db, under_unit_id=a.id)] == ["杨家村"]
    assert [r.name for r in rows(db, under_unit_id=township_id)] == ["杨家村", "李家村"]
    assert {r.name for r in rows(db, under_unit_id=county_id)} == {"杨家村", "李家村", "远村"}
    assert {r.name for r in rows(db)} == {"杨家村", "李家村", "远村"}
    with db.session() as s:
        units.deactivate_unit(s, b.id, reason="村庄合并")
        units.deactivate_unit(s, far.id, reason="村庄合并")
    assert [r.name for r in rows(db, under_unit_id=township_id)] == ["杨家村"]
    shown = rows(db, under_unit_id=township_id, include_inactive=True)
    assert [(r.name, r.active) for r in shown] == [("杨家村", True), ("李家村", False)]
    assert rows(db, under_unit_id="no-such-unit") == []


def test_detail_slots_and_r3_warnings(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    site = new_village("杨家村")
    d = detail(db, site.id)
    assert [(v.slot, v.label, v.holder, v.had_holder) for v in d.slots] == [("A", "A岗", None, False),
                                                                          ("B", "B岗", None, False)]
    assert [w.text() for w in d.warnings] == ["[R3] A岗空缺", "[R3] B岗空缺"]
    assert (d.full_name, d.parent_name, d.parent_code, d.has_slots) == ("龙潭镇杨家村", "龙潭镇", "360499100", True)

    zhang = new_person(name="张三")
    post = assign(db, zhang.id, site.id, "A")
    d = detail(db, site.id)
    holder = d.slots[0].holder
    assert holder is not None and holder.id == post.id
    assert (holder.person_name, holder.title, holder.tenure_label, holder.start_reason) == (
        "张三", "龙潭镇杨家村 A岗", "兼职", "新任")
    assert [w.text() for w in d.warnings] == ["[R3] B岗空缺"]

    end(db, post.id, dt.date(2026, 5, 1), "外出务工")
    d = detail(db, site.id)
    assert d.slots[0].holder is None and d.slots[0].had_holder  # a new holder now needs a reason (R12)
    assert [(p.person_name, p.end_reason) for p in d.past_managers] == [("张三", "外出务工")]
    assert d.changes_12m == 1


def test_r12_frequent_changes_flagged(db: Database, new_village: NewVillage, new_person: NewPerson) -> None:
    site = new_village("杨家村")
    first, second, third = new_person(name="张三"), new_person(name="李四"), new_person(name="王五")
    p1 = assign(db, first.id, site.id, "A", start=dt.date(2020, 1, 1))
    end(db, p1.id, dt.date(2025, 9, 1), "外出务工")
    p2 = assign(db, second.id, site.id, "A", start=dt.date(2025, 9, 1), reason="接任")
    d = detail(db, site.id)
    assert d.changes_12m == 1 and not [w for w in d.warnings if w.rule == "R12"]
    end(db, p2.id, dt.date(2026, 3, 1), "考上公务员")
    assign(db, third.id, site.id, "A", start=dt.date(2026, 3, 1), reason="接任")
    d = detail(db, site.id)
    assert d.changes_12m == 2
    assert [w.text() for w in d.warnings if w.rule == "R12"] == ["[R12] 近 12 个月管理员变动 2 次，请保持稳定"]
    assert [p.person_name for p in d.past_managers] == ["李四", "张三"]  # newest first
    assert "[R12] 近 12 个月管理员变动 2 次，请保持稳定" in rows(db)[0].warnings


def test_township_detail_r2_counts_station_managers(db: Database, township_id: str, new_person: NewPerson) -> None:
    d = detail(db, township_id)
    assert (d.kind, d.slots, d.managers) == ("township", [], [])
    assert [w.text() for w in d.warnings] == ["[R2] 乡镇站点管理员只有 0 人，至少应有 2 人"]
    with db.session() as s:
        station = units.add_unit(s, kind="township_station", name="龙潭镇远程教育站点", parent_id=township_id)
    a, b = new_person(name="刘一"), new_person(name="陈二", female=True)
    assign(db, a.id, township_id, None, role="township_manager")
    assign(db, b.id, station.id, None, role="township_manager")
    d = detail(db, township_id)
    assert sorted(p.person_name for p in d.managers) == ["刘一", "陈二"]
    assert d.warnings == []
    station_detail = detail(db, station.id)  # the station shows the township's managers too (R2)
    assert sorted(p.person_name for p in station_detail.managers) == ["刘一", "陈二"]
    station_row = next(r for r in rows(db) if r.id == station.id)
    assert (station_row.has_slots, station_row.managers, station_row.warnings) == (False, ("陈二",), ())


def test_enterprise_site_lists_managers_without_slots(db: Database, township_id: str,
                                                      new_person: NewPerson) -> None:
    with db.session() as s:
        site = units.add_unit(s, kind="enterprise", name="龙潭竹业站点", parent_id=township_id)
    manager = new_person(name="胡德")
    assign(db, manager.id, site.id, None, role="enterprise_manager")
    row = rows(db)[0]
    assert (row.post_a, row.post_b, row.managers, row.has_slots) == ("", "", ("胡德",), False)
    d = detail(db, site.id)
    assert (d.slots, [p.role_label for p in d.managers]) == ([], ["非公企业站点管理员"])


def test_unit_choices_and_unknown_unit(db: Database, township_id: str, new_village: NewVillage) -> None:
    site = new_village("杨家村")
    with db.session() as s:
        villages = site_views.unit_choices(s, kinds=["village"])
        townships = site_views.unit_choices(s, kinds=["township"], under_unit_id=township_id)
        one = site_views.unit_choice(s, site.id)
        with pytest.raises(ValidationError) as info:
            site_views.site_detail(s, "nope")
    assert [(c.name, c.display) for c in villages] == [("杨家村", "龙潭镇杨家村（360499100201）")]
    assert [c.name for c in townships] == ["龙潭镇"]
    assert (one.kind, one.township_name) == ("village", "龙潭镇")
    assert info.value.field == "站点"
