"""Exporting the roster (services/staff_export.py): masked by default, unmasked only with an audit row (R10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import AuditLog, OrgUnit, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import roster_columns as rc
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.people import PersonInput, add_person
from remoteedu_desktop.services.posts import assign_post, end_post
from remoteedu_desktop.services.staff_export import export_roster, export_roster_steps, mask_phone
from remoteedu_desktop.services.staff_import import apply_import, preview_roster, read_roster
from remoteedu_desktop.services.units import add_unit

TODAY = dt.date(2024, 5, 1)


def make_id(birth: str, seq: str) -> str:
    first17 = "360499" + birth + seq
    return first17 + check_digit(first17)


def x_id(birth: str) -> str:
    for n in range(1, 1000, 2):
        first17 = f"360499{birth}{n:03d}"
        if check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError


IDS = {"张三": make_id("19850312", "123"), "李梅": make_id("19900707", "042"), "王五": x_id("19700101"),
       "赵六": make_id("19880808", "055"), "离开": make_id("19750505", "077")}


@pytest.fixture
def db(database_url: Callable[..., str]) -> Iterator[Database]:
    database = open_database(database_url("office.sqlite3"))
    with database.session() as s:
        office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        assert office.unit_id is not None
        shiqiao = add_unit(s, kind="village", name="石桥村", parent_id=office.unit_id, code="360499100201")
        xincun = add_unit(s, kind="village", name="新村", parent_id=office.unit_id, code="360499100202")

        def person(name: str, **kw: str) -> str:
            return add_person(s, PersonInput(name=name, id_number=IDS[name], **kw), today=TODAY).id

        zhang = person("张三", phone="13800000001", ethnicity="01", political_status="01", education="31",
                       source_category="VIL_COMMITTEE", employer="石桥村村委会", job_title="主任")
        li = person("李梅", phone="13800000002")
        wang = person("王五", phone="0791-88886666")
        zhao = person("赵六")
        gone = person("离开")
        assign_post(s, person_id=zhang, unit_id=shiqiao.id, role="village_manager", slot="A",
                    start_date=dt.date(2020, 3, 1), today=TODAY)
        assign_post(s, person_id=li, unit_id=shiqiao.id, role="village_manager", slot="B",
                    start_date=dt.date(2021, 6, 1), today=TODAY)
        assign_post(s, person_id=wang, unit_id=xincun.id, role="village_manager", slot="A",
                    start_date=dt.date(2019, 1, 1), today=TODAY)
        assign_post(s, person_id=wang, unit_id=office.unit_id, role="technician", tenure="full_time",
                    start_date=dt.date(2022, 1, 1), today=TODAY)
        post = assign_post(s, person_id=gone, unit_id=xincun.id, role="village_manager", slot="B",
                           start_date=dt.date(2018, 1, 1), today=TODAY)
        end_post(s, post.id, end_date=dt.date(2023, 1, 1), reason="外出务工", today=TODAY)
        s.get_one(Person, gone).left_on = dt.date(2023, 1, 1)  # left the team: not on the roster
        assert zhao
    yield database
    database.dispose()


def rows_of(path: Path) -> list[tuple[object, ...]]:
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2] == rc.HEADERS
    return rows[3:]


def by_name(path: Path) -> dict[str, dict[str, object]]:
    return {str(r[0]): dict(zip((c.key for c in rc.COLUMNS), r, strict=True)) for r in rows_of(path)}


def test_export_masks_by_default(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    with db.session() as s:
        count = export_roster(s, path, today=TODAY)
    assert count == 4, "people who left the team are not on the roster"
    wb = load_workbook(path)
    ws = wb.active
    assert ws["A1"].value == "龙潭镇远程教育骨干队伍花名册"
    assert "2024-05-01" in ws["A2"].value and "已脱敏" in ws["A2"].value
    assert ws.freeze_panes == "B4"
    people = by_name(path)
    assert set(people) == {"张三", "李梅", "王五", "赵六"}
    zhang = people["张三"]
    assert zhang["id_number"] == IDS["张三"][:6] + "********" + IDS["张三"][-4:]
    assert zhang["phone"] == "138****0001"
    assert (zhang["gender"], zhang["ethnicity"], zhang["political_status"], zhang["education"]) == (
        "男", "汉族", "中共党员", "大学专科毕业")
    assert (zhang["unit"], zhang["role"], zhang["slot"], zhang["tenure"]) == ("石桥村", "村站点管理员", "A岗", "兼职")
    assert zhang["start_date"] == dt.datetime(2020, 3, 1)
    assert people["王五"]["id_number"].endswith("X")  # type: ignore[union-attr]
    assert people["王五"]["unit"] == "新村；龙潭镇" and people["王五"]["role"] == "村站点管理员；技术服务员"
    assert people["赵六"]["unit"] is None
    id_col = rc.HEADERS.index("身份证号码") + 1
    for r in range(4, ws.max_row + 1):
        cell = ws.cell(r, id_col)
        assert cell.data_type == "s" and cell.number_format == "@"
    with db.session() as s:
        assert s.scalar(select(AuditLog).where(AuditLog.field == "unmasked_export")) is None


def test_unmasked_export_writes_in_full_and_is_audited(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "完整.xlsx"
    with db.session() as s:
        assert export_roster(s, path, unmasked=True, account="clerk1", today=TODAY) == 4
    people = by_name(path)
    assert people["张三"]["id_number"] == IDS["张三"] and people["张三"]["phone"] == "13800000001"
    assert people["王五"]["id_number"] == IDS["王五"] and people["王五"]["phone"] == "0791-88886666"
    assert "完整号码" in str(load_workbook(path).active["A2"].value)
    with db.session() as s:
        log = s.scalar(select(AuditLog).where(AuditLog.field == "unmasked_export"))
        assert log is not None
        assert (log.action, log.table_name, log.account, log.office) == ("bulk_insert", "person", "clerk1",
                                                                          "360499100")
        assert log.new_value == "完整.xlsx，4 行"


def test_unmasked_export_imports_back_unchanged_masked_one_is_refused(db: Database, tmp_path: Path) -> None:
    full, masked = tmp_path / "full.xlsx", tmp_path / "masked.xlsx"
    with db.session() as s:
        export_roster(s, full, unmasked=True, today=TODAY)
        export_roster(s, masked, today=TODAY)
    with db.session() as s:
        preview = preview_roster(s, read_roster(full), today=TODAY)
        assert [r.status for r in preview.rows] == ["unchanged"] * 4, [r.reasons for r in preview.rows]
        for _ in apply_import(s, preview, today=TODAY):
            pass
        refused = preview_roster(s, read_roster(masked), today=TODAY)
    assert [r.status for r in refused.rows] == ["error"] * 4
    assert all("脱敏" in r.reasons[0] for r in refused.rows)


def test_filters_by_unit_subtree_and_role(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        shiqiao = s.scalar(select(OrgUnit.id).where(OrgUnit.name == "石桥村"))
        township = s.scalar(select(OrgUnit.id).where(OrgUnit.name == "龙潭镇"))
        assert export_roster(s, tmp_path / "a.xlsx", unit_id=shiqiao, today=TODAY) == 2
        assert export_roster(s, tmp_path / "b.xlsx", role="technician", today=TODAY) == 1
        assert export_roster(s, tmp_path / "c.xlsx", unit_id=township, today=TODAY) == 3
        assert export_roster(s, tmp_path / "d.xlsx", unit_id=township, role="village_manager", today=TODAY) == 3
        with pytest.raises(ValidationError):
            export_roster(s, tmp_path / "e.xlsx", role="no_such_role")
    assert [r[0] for r in rows_of(tmp_path / "a.xlsx")] == ["张三", "李梅"], "in slot order"
    assert [r[0] for r in rows_of(tmp_path / "b.xlsx")] == ["王五"]


def test_steps_yield_progress_and_return_the_count(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        steps = export_roster_steps(s, tmp_path / "x.xlsx", today=TODAY)
        progress = []
        while True:
            try:
                progress.append(next(steps))
            except StopIteration as stop:
                count = stop.value
                break
    assert count == 4
    assert progress[0][0] == 0 and progress[-1][:2] == (4, 4)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_unwritable_target_is_refused_in_chinese(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "是目录.xlsx"
    target.mkdir()
    with db.session() as s, pytest.raises(ValidationError, match="无法写入"):
        export_roster(s, target, unmasked=True)
    with db.session() as s:
        assert s.scalar(select(AuditLog).where(AuditLog.field == "unmasked_export")) is None


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone(" 138 1234 5678 ") == "138****5678"
    assert mask_phone("12345") == "***45"
    assert mask_phone(None) == ""
