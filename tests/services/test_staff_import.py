"""Importing Excel rosters (services/staff_import.py): read tolerant, preview exact, apply all-or-nothing (R3, R10, R12).

Every roster is a real .xlsx written with openpyxl in tmp_path; every database a real SQLite file, and a
PostgreSQL database when a test server is set (issue 10 item 1).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import AuditLog, OrgUnit, Person, Post
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import roster_columns as rc
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.people import PersonInput, add_person
from remoteedu_desktop.services.posts import assign_post
from remoteedu_desktop.services.roster_template import FIRST_DATA_ROW, column_letter, write_template
from remoteedu_desktop.services.staff_import import (
    ImportPreview,
    apply_import,
    id_number_text,
    parse_date,
    preview_roster,
    read_roster,
    write_row_report,
)
from remoteedu_desktop.services.units import add_unit

TODAY = dt.date(2024, 5, 1)


def make_id(birth: str, seq: str = "123") -> str:
    first17 = "360499" + birth + seq
    return first17 + check_digit(first17)


def make_x_id(birth: str) -> str:
    """A valid ID number of a woman (even sequence) whose check character is X."""
    for n in range(0, 1000, 2):
        first17 = f"360499{birth}{n:03d}"
        if check_digit(first17) == "X":
            return first17 + "X"
    raise AssertionError("no X check digit found")


@pytest.fixture
def db(database_url: Callable[..., str]) -> Iterator[Database]:
    """龙潭镇 (township office) with villages 石桥村 and 新村; 王五 already holds 新村's post A."""
    database = open_database(database_url("office.sqlite3"))
    with database.session() as s:
        office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        add_unit(s, kind="village", name="石桥村", parent_id=office.unit_id, code="360499100201")
        new_village = add_unit(s, kind="village", name="新村", parent_id=office.unit_id, code="360499100202")
        wang = add_person(s, PersonInput(name="王五", id_number=make_id("19700101", "031"), phone="13900000005"),
                          today=TODAY)
        assign_post(s, person_id=wang.id, unit_id=new_village.id, role="village_manager", slot="A",
                    start_date=dt.date(2020, 1, 1), today=TODAY)
    yield database
    database.dispose()


def people_count(database: Database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def post_count(database: Database) -> int:
    with database.session() as s:
        return s.scalar(select(func.count()).select_from(Post)) or 0


def preview_file(database: Database, path: Path) -> ImportPreview:
    with database.session() as s:
        return preview_roster(s, read_roster(path), today=TODAY)


def apply_file(database: Database, path: Path, *, skip_errors: bool = False) -> ImportPreview:
    with database.session() as s:
        preview = preview_roster(s, read_roster(path), today=TODAY)
        for _ in apply_import(s, preview, today=TODAY, skip_errors=skip_errors):
            pass
    return preview


def statuses(preview: ImportPreview) -> dict[int, str]:
    return {r.row: r.status for r in preview.rows}


def reason(preview: ImportPreview, row: int) -> str:
    return "\n".join(next(r for r in preview.rows if r.row == row).reasons)


# --- the template --------------------------------------------------------------------------------------

def test_template_has_title_hints_header_dropdowns_and_text_id_column(tmp_path: Path) -> None:
    path = write_template(tmp_path / "模板.xlsx", units=["石桥村", "新村"])
    wb = load_workbook(path)
    ws = wb["花名册"]
    assert "花名册" in ws["A1"].value
    assert [c.value for c in ws[3]] == list(rc.HEADERS)
    hints = " ".join(str(c.value) for c in ws[2] if c.value)
    assert "YYYY-MM-DD" in hints and "文本" in hints
    assert ws.freeze_panes == "B4"
    id_col = column_letter("id_number")
    assert ws[f"{id_col}{FIRST_DATA_ROW}"].number_format == "@"
    assert ws.column_dimensions[id_col].width >= 20
    assert wb["代码表"].sheet_state == "hidden"
    validated = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation}
    for key in ("gender", "ethnicity", "political_status", "education", "role", "slot", "tenure", "unit"):
        assert column_letter(key) in validated, key
    lists = wb["代码表"]
    listed = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)
                                       if lists.cell(r, c).value] for c in range(1, lists.max_column + 1)}
    assert listed["岗位"] == ["A岗", "B岗"] and listed["所在单位"] == ["石桥村", "新村"]
    assert "list_role" in wb.defined_names


def test_template_round_trip(db: Database, tmp_path: Path) -> None:
    path = write_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    ws = wb["花名册"]
    rows = [
        {"name": "张三", "id_number": make_id("19850312"), "ethnicity": "汉族", "political_status": "中共党员",
         "education": "大学专科毕业", "phone": "13800000001", "employer": "石桥村村委会", "job_title": "村委委员",
         "source_category": "村“两委”班子成员", "unit": "石桥村", "role": "村站点管理员", "slot": "A岗",
         "tenure": "兼职", "start_date": "2024-03-01"},
        {"name": "李梅", "gender": "女", "id_number": make_x_id("19900707"), "birth_date": "1990-07-07",
         "political_status": "共青团员", "source_category": "中小学教师", "unit": "龙潭镇",
         "role": "乡镇教学辅导员", "tenure": "兼职", "start_date": "2023-09-01", "notes": "龙潭中学"},
    ]
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for key, value in values.items():
            ws[f"{column_letter(key)}{r}"] = value
    wb.save(path)

    preview = apply_file(db, path)
    assert statuses(preview) == {4: "new", 5: "new"}
    assert preview.notes == []
    with db.session() as s:
        zhang = s.scalar(select(Person).where(Person.name == "张三"))
        assert zhang is not None
        assert (zhang.gender, zhang.birth_date, zhang.ethnicity, zhang.political_status, zhang.education,
                zhang.source_category) == ("1", dt.date(1985, 3, 12), "01", "01", "31", "VIL_COMMITTEE")
        post = s.scalar(select(Post).where(Post.person_id == zhang.id))
        assert post is not None
        assert (post.role, post.slot, post.tenure, post.start_date, post.start_reason) == (
            "village_manager", "A", "part_time", dt.date(2024, 3, 1), "新任")
        li = s.scalar(select(Person).where(Person.name == "李梅"))
        assert li is not None and li.id_number.endswith("X") and li.source_category == "TUT_TEACHER"
        assert s.scalar(select(Post.role).where(Post.person_id == li.id)) == "township_tutor"
        # written through services.people: the audit log has the inserts
        assert s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.table_name == "person", AuditLog.action == "insert")) == 3  # 王五 + 2


# --- a messy real-world roster -------------------------------------------------------------------------

def write_messy_roster(path: Path) -> dict[str, str]:
    wb = Workbook()
    notes = wb.active
    notes.title = "说明"
    notes["A1"] = "本表由各村填报，报镇远程办汇总。"
    ws = wb.create_sheet("花名册")
    ws["A1"] = "龙潭镇远程教育站点管理员花名册"
    ws.merge_cells("A1:N1")
    ws["A2"] = "填报单位：龙潭镇远程办　　　　填报日期：2024年4月"
    ws.merge_cells("A2:N2")
    for col, text in zip("ABCDEFGHN", ("序号", "姓 名", "公民身份号码", "性别", "出生年月", "民族", "政治面貌",
                                        "文化程度", "任职时间"), strict=True):
        ws[f"{col}3"] = text
        ws.merge_cells(f"{col}3:{col}4")
    ws["I3"] = "联系方式"
    ws.merge_cells("I3:J3")
    ws["I4"], ws["J4"] = "手机", "固定电话"
    ws["K3"] = "任职情况"
    ws.merge_cells("K3:M3")
    ws["K4"], ws["L4"], ws["M4"] = "所在站点", "职务类别", "岗位(A/B)"

    ids = {"zhang": make_id("19850312", "123"), "li": make_x_id("19900707"), "zhao": make_id("19880808", "045"),
           "sun": make_id("19791111", "067"), "zhou": make_id("19920202", "089"), "wu": make_id("19930303", "101"),
           "zheng": make_id("19940404", "121"), "feng": make_id("19950505", "141"), "chen": make_id("19960606", "161")}
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    data: list[list[object]] = [
        # row 5: spaces in the name, full-width digits in the ID and phone, label short forms, 2024年3月1日
        [1, " 张  三 ", ids["zhang"].translate(fw), "男", "1985.03", "汉", "党员", "大专", "１３８００００００01", None,
         " 石桥村 ", "村站点管理员", "Ａ岗 ", "2024年3月1日"],
        # row 6: a lowercase x, a datetime birth date, phone as a number, YYYYMMDD as a number
        [2, "李梅", ids["li"].lower(), "女", dt.datetime(1990, 7, 7), "汉族", "中共党员", "高中", 13800000002, None,
         "360499100201", "村站点管理员", "B", 20240301],
        # row 7: an ID stored as a number that lost its final X
        [3, "钱七", int(ids["li"][:17]), "男", None, None, None, None, None, None, None, None, None, None],
        # row 8: an ID in scientific notation
        [4, "孙八", float(ids["sun"]), "男", None, None, None, None, None, None, None, None, None, None],
        # rows 9 and 10: the same ID twice
        [5, "赵九", ids["zhao"], None, None, None, None, None, None, None, None, None, None, None],
        [6, "赵久", ids["zhao"], None, None, None, None, None, None, None, None, None, None, None],
        # row 11: a unit that does not exist
        [7, "周十", ids["zhou"], None, None, None, None, None, None, None, "火星村", "村站点管理员", "A岗", "2024/3/1"],
        # row 12: post A of 新村 is held by 王五
        [8, "吴一", ids["wu"], None, None, None, None, None, None, None, "新村", "村站点管理员", "A岗", "2024.3.1"],
        # row 13: a township tutor, date with slashes
        [9, "郑二", ids["zheng"], "男", None, "汉族", "群众", "本科", "0791-8888888", None, "龙潭镇",
         "乡镇教学辅导员", None, "2024/3/1"],
        # row 14: no post at all
        [10, "冯三", ids["feng"], None, "1995年5月5日", None, None, None, None, None, None, None, None, None],
        # row 15: a section title
        [None, "二、技术服务员", None, None, None, None, None, None, None, None, None, None, None, None],
        # row 16: a technician at the township given by code, the date an Excel serial number
        [11, "陈四", ids["chen"], None, None, None, None, None, None, None, 360499100, "技术服务员", None, 45352],
        # row 17: the signature line
        ["填表人：", "赵六", None, None, None, "审核人：", None, None, None, None, None, None, None, None],
        # row 18: a note merged across the whole row
        ["注：本表一式两份，报镇远程办一份。"] + [None] * 13,
    ]
    for r, values in enumerate(data, start=5):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    ws.merge_cells("A18:N18")
    wb.save(path)
    # openpyxl writes big integers as floats; WPS and Excel can store an exact integer literal, as here
    store_number_literal(path, "xl/worksheets/sheet2.xml", "C7", ids["li"][:17])
    return ids


def store_number_literal(path: Path, member: str, ref: str, literal: str) -> None:
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == member:
                text = data.decode()
                text, count = re.subn(rf'(<c r="{ref}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{literal}\g<2>", text)
                assert count == 1
                data = text.encode()
            zout.writestr(info, data)


def test_messy_roster_statuses_and_messages(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "龙潭镇花名册.xlsx"
    ids = write_messy_roster(path)
    roster = read_roster(path)
    assert [s.name for s in roster.sheets] == ["花名册"]
    assert roster.sheets[0].header_rows == (3, 4)
    assert roster.sheets[0].columns["phone"].header == "手机"
    assert any("第 15 行" in n and "二、技术服务员" in n for n in roster.notes)
    assert any("第 17 行" in n for n in roster.notes)
    assert any("第 18 行" in n and "一式两份" in n for n in roster.notes)
    assert any("说明" in n for n in roster.notes)

    preview = preview_file(db, path)
    assert statuses(preview) == {5: "new", 6: "new", 7: "error", 8: "error", 9: "error", 10: "error",
                                 11: "error", 12: "error", 13: "new", 14: "new", 16: "new"}
    with db.session() as s:
        again = preview_roster(s, roster, today=TODAY)
        assert [r.reasons for r in again.rows] == [r.reasons for r in preview_roster(s, roster, today=TODAY).rows]
    assert [r.reasons for r in again.rows] == [r.reasons for r in preview.rows], "previewing twice says the same"
    summary = preview.summary
    assert (summary.new, summary.update, summary.unchanged, summary.error) == (5, 0, 0, 6)

    assert reason(preview, 7).startswith(f"花名册 第 7 行 C 列【公民身份号码】“{ids['li'][:17]}”：")
    assert "17 位" in reason(preview, 7) and "X" in reason(preview, 7)
    assert reason(preview, 8).startswith("花名册 第 8 行 C 列【公民身份号码】“3.60499E+17”：")
    assert "科学计数法" in reason(preview, 8)
    for row in (9, 10):
        assert "花名册 第 9 行" in reason(preview, row) and "花名册 第 10 行" in reason(preview, row)
    assert reason(preview, 11).startswith("花名册 第 11 行 K 列【所在站点】“火星村”：找不到")
    assert "王五" in reason(preview, 12) and "R3" in reason(preview, 12)
    assert reason(preview, 12).startswith("花名册 第 12 行 M 列【岗位(A/B)】“A岗”")

    zhang = next(r for r in preview.rows if r.row == 5)
    assert zhang.name == "张三" and zhang.id_number == ids["zhang"]
    assert zhang.person is not None
    assert (zhang.person.ethnicity, zhang.person.political_status, zhang.person.education, zhang.person.phone) == (
        "01", "01", "31", "13800000001")
    assert [(p.unit_name, p.slot, p.start_date) for p in zhang.posts] == [("石桥村", "A", dt.date(2024, 3, 1))]
    li = next(r for r in preview.rows if r.row == 6)
    assert li.id_number == ids["li"] and li.person is not None and li.person.phone == "13800000002"
    assert [(p.unit_name, p.slot, p.start_date) for p in li.posts] == [("石桥村", "B", dt.date(2024, 3, 1))]
    chen = next(r for r in preview.rows if r.row == 16)
    assert [(p.unit_name, p.role, p.start_date) for p in chen.posts] == [("龙潭镇", "technician", dt.date(2024, 3, 1))]

    # nothing is written while there are errors …
    before = people_count(db), post_count(db)
    with db.session() as s, pytest.raises(ValidationError, match="6 行有错误"):
        next(apply_import(s, preview, today=TODAY))
    assert (people_count(db), post_count(db)) == before

    # … unless the clerk asks to skip them: then exactly the valid rows are written
    with db.session() as s:
        steps = apply_import(s, preview, today=TODAY, skip_errors=True)
        progress = []
        while True:
            try:
                progress.append(next(steps))
            except StopIteration as stop:
                result = stop.value
                break
    assert (result.new, result.update, result.error) == (5, 0, 6)
    assert progress[-1][:2] == (5, 5)
    assert people_count(db) == before[0] + 5
    assert post_count(db) == before[1] + 4
    with db.session() as s:
        held = set(s.execute(select(OrgUnit.name, Post.slot, Person.name)
                             .join(Person, Person.id == Post.person_id).join(OrgUnit, OrgUnit.id == Post.unit_id)
                             .where(Post.end_date.is_(None))).tuples())
    assert held == {("新村", "A", "王五"), ("石桥村", "A", "张三"), ("石桥村", "B", "李梅"),
                    ("龙潭镇", None, "郑二"), ("龙潭镇", None, "陈四")}


def test_report_lists_every_row(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "花名册.xlsx"
    write_messy_roster(path)
    preview = preview_file(db, path)
    report = write_row_report(preview, tmp_path / "报告.xlsx")
    ws = load_workbook(report).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]
    assert [r[4] for r in rows].count("错误") == 6
    by_row = {r[1]: r for r in rows}
    assert "17 位" in by_row[7][5]
    assert "*" in by_row[5][3], "valid ID numbers are masked in the report"
    assert "新增" in by_row[5][5]


def test_two_rows_claiming_the_same_slot_are_both_refused(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "单位", "职务类别", "岗位", "任职日期"])
    ws.append(["甲", make_id("19800101", "011"), "石桥村", "村站点管理员", "A岗", "2024-01-01"])
    ws.append(["乙", make_id("19800202", "013"), "石桥村", "村站点管理员", "A岗", "2024-01-01"])
    ws.append(["丙", make_id("19800303", "015"), "石桥村", "村站点管理员", "B岗", "2024-01-01"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    preview = preview_file(db, path)
    assert statuses(preview) == {2: "error", 3: "error", 4: "new"}
    assert "第 2 行" in reason(preview, 3) and "第 3 行" in reason(preview, 2)


@pytest.mark.parametrize(("cells", "problem"), [
    (["石桥村", "村站点管理员", None, "2024-01-01"], "A岗 或 B岗"),
    (["石桥村", "乡镇教学辅导员", None, "2024-01-01"], "应在乡镇任职"),
    (["石桥村", None, None, "2024-01-01"], "缺职务类别"),
    (["石桥村", "村站点管理员", "A岗", None], "任职日期"),
    (["石桥村", "村站点管理员", "A岗", "2099-01-01"], "晚于今天"),
    (["石桥村", "村站点管理员", "C岗", "2024-01-01"], "不是可识别的岗位"),
])
def test_post_rules_are_checked_in_the_preview(db: Database, tmp_path: Path, cells: list[object],
                                               problem: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "所在单位", "职务类别", "岗位", "任职日期"])
    ws.append(["甲", make_id("19800101", "011"), *cells])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    preview = preview_file(db, path)
    assert statuses(preview) == {2: "error"}
    assert problem in reason(preview, 2)


def test_reimport_classifies_update_and_unchanged(db: Database, tmp_path: Path) -> None:
    def roster(phone: str, education: str) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "人员"
        ws.append(["姓名", "身份证号码", "手机", "学历", "所在单位", "职务类别", "岗位", "任职日期"])
        ws.append(["张三", make_id("19850312"), phone, education, "石桥村", "村站点管理员", "A岗", "2024-03-01"])
        ws.append(["李梅", make_x_id("19900707"), "13800000002", "高中", None, None, None, None])
        ws.append(["王五", make_id("19700101", "031"), "13900000005", None, "新村", "村站点管理员", "A岗",
                   "2020-01-01"])
        path = tmp_path / f"{phone}.xlsx"
        wb.save(path)
        return path

    first = apply_file(db, roster("13800000001", "大专"))
    assert statuses(first) == {2: "new", 3: "new", 4: "unchanged"}
    again = preview_file(db, roster("13800000001", "大学专科"))
    assert statuses(again) == {2: "unchanged", 3: "unchanged", 4: "unchanged"}

    changed = preview_file(db, roster("13900000009", "本科"))
    assert statuses(changed) == {2: "update", 3: "unchanged", 4: "unchanged"}
    zhang = changed.rows[0]
    assert [c.text() for c in zhang.changes] == ["学历：大学专科毕业 → 大学本科毕业",
                                                  "联系电话：138****0001 → 139****0009"]
    assert zhang.posts == [], "the post A already held is not planned again"
    with db.session() as s:
        for _ in apply_import(s, changed, today=TODAY):
            pass
    with db.session() as s:
        person = s.scalar(select(Person).where(Person.name == "张三"))
        assert person is not None and (person.phone, person.education) == ("13900000009", "21")
        audited = set(s.scalars(select(AuditLog.field).where(AuditLog.record_id == person.id,
                                                             AuditLog.action == "update")))
        assert {"phone", "education"} <= audited


def test_update_refuses_a_name_that_does_not_match_the_id(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码"])
    ws.append(["王武", make_id("19700101", "031")])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    preview = preview_file(db, path)
    assert statuses(preview) == {2: "error"}
    assert "王五" in reason(preview, 2)


def test_existing_holder_moving_slot_needs_the_program(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "所在单位", "职务类别", "岗位", "任职日期"])
    ws.append(["王五", make_id("19700101", "031"), "新村", "村站点管理员", "B岗", "2024-01-01"])
    ws.append(["王五", make_id("19700101", "031"), "石桥村", "村站点管理员", "A岗", "2024-01-01"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    preview = preview_file(db, path)
    assert "R12" in reason(preview, 2)
    assert "R12" in reason(preview, 3)


def test_cancel_leaves_nothing(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "所在单位", "职务类别", "岗位", "任职日期"])
    for n in range(6):
        ws.append([f"人员{'甲乙丙丁戊己'[n]}", make_id(f"198{n}0101", "011"), None, None, None, None])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    before = people_count(db)

    class Cancelled(Exception):
        pass

    with pytest.raises(Cancelled), db.session() as s:  # the worker's pattern: close, then the scope rolls back
        preview = preview_roster(s, read_roster(path), today=TODAY)
        steps = apply_import(s, preview, today=TODAY)
        for _ in range(4):
            next(steps)
        assert s.scalar(select(func.count()).select_from(Person)) == before + 3
        steps.close()
        raise Cancelled
    assert people_count(db) == before

    with db.session() as s:  # even a caller whose scope then commits keeps nothing of a cancelled import
        preview = preview_roster(s, read_roster(path), today=TODAY)
        steps = apply_import(s, preview, today=TODAY)
        for _ in range(3):
            next(steps)
        steps.close()
    assert people_count(db) == before


def test_stale_preview_fails_whole_and_names_the_row(db: Database, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "所在单位", "职务类别", "岗位", "任职日期"])
    ws.append(["甲", make_id("19800101", "011"), None, None, None, None])
    ws.append(["乙", make_id("19800202", "013"), "石桥村", "村站点管理员", "A岗", "2024-01-01"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    preview = preview_file(db, path)
    with db.session() as s:  # meanwhile someone else takes 石桥村's post A
        other = add_person(s, PersonInput(name="丁", id_number=make_id("19810101", "017")), today=TODAY)
        unit_id = preview.rows[1].posts[0].unit_id
        assign_post(s, person_id=other.id, unit_id=unit_id, role="village_manager", slot="A",
                    start_date=dt.date(2024, 1, 1), today=TODAY)
    before = people_count(db)
    with pytest.raises(ValidationError) as caught, db.session() as s:
        for _ in apply_import(s, preview, today=TODAY):
            pass
    assert "r.xlsx Sheet 第 3 行" in caught.value.text()
    assert people_count(db) == before, "the first row written is rolled back too"
    # a caller that catches the refusal inside its scope (which then commits) still writes nothing
    with db.session() as s, pytest.raises(ValidationError):
        for _ in apply_import(s, preview, today=TODAY):
            pass
    assert people_count(db) == before


def test_file_problems_are_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到文件"):
        read_roster(tmp_path / "nope.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match="另存为"):
        read_roster(tmp_path / "old.xls")
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="不是有效的 .xlsx"):
        read_roster(tmp_path / "bad.xlsx")
    wb = Workbook()
    wb.active.append(["序号", "名称", "备注"])
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(ValidationError, match="没有找到花名册"):
        read_roster(tmp_path / "other.xlsx")


# --- cell parsing ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected", "month_only"), [
    ("2024-03-01", dt.date(2024, 3, 1), False),
    ("2024/3/1", dt.date(2024, 3, 1), False),
    ("2024.3.1", dt.date(2024, 3, 1), False),
    ("2024年3月1日", dt.date(2024, 3, 1), False),
    ("２０２４年３月１日", dt.date(2024, 3, 1), False),
    (" 2024 - 03 - 01 ", dt.date(2024, 3, 1), False),
    ("20240301", dt.date(2024, 3, 1), False),
    ("2024-03-01 00:00:00", dt.date(2024, 3, 1), False),
    ("2024.03", dt.date(2024, 3, 1), True),
    ("2024年3月", dt.date(2024, 3, 1), True),
    (20240301, dt.date(2024, 3, 1), False),
    (45352, dt.date(2024, 3, 1), False),
    (2024.03, dt.date(2024, 3, 1), True),
    (2024.12, dt.date(2024, 12, 1), True),
    (dt.datetime(2024, 3, 1), dt.date(2024, 3, 1), False),
    (dt.date(2024, 3, 1), dt.date(2024, 3, 1), False),
])
def test_dates_in_common_chinese_formats(value: object, expected: dt.date, month_only: bool) -> None:
    parsed = parse_date(value)
    assert parsed is not None and (parsed.value, parsed.month_only) == (expected, month_only)


@pytest.mark.parametrize(("value", "problem"), [
    ("2024-02-30", "不是有效日期"),
    ("三月一日", "不是可识别的日期"),
    (2024, "只有年份"),
    (2024.1, "无法区分 1 月和 10 月"),
])
def test_bad_dates_are_refused(value: object, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        parse_date(value)


def test_id_numbers_stored_as_numbers_are_flagged_never_guessed() -> None:
    good = make_x_id("19900707")
    assert id_number_text(good) == (good, False)
    assert id_number_text(f" '{good.lower()} ") == (good.lower(), False)
    with pytest.raises(ValidationError, match="17 位"):
        id_number_text(int(good[:17]))
    with pytest.raises(ValidationError, match="科学计数法"):
        id_number_text(3.60499199007071e17)
    with pytest.raises(ValidationError, match="17 位"):
        id_number_text(float(good[:17]))
    with pytest.raises(ValidationError, match="科学计数法"):
        id_number_text("3.60499E+17")
    with pytest.raises(ValidationError, match="脱敏"):
        id_number_text("360499********123X")
    plain = make_id("19850312")
    assert id_number_text(int(plain)) == (plain, True), "an exact 18-digit integer is read, then checked"


def test_code_columns_accept_labels_short_forms_and_codes() -> None:
    assert rc.to_code("ethnicity", "汉") == rc.to_code("ethnicity", " 汉族 ") == rc.to_code("ethnicity", 1) == "01"
    assert rc.to_code("political_status", "党员") == rc.to_code("political_status", "中共党员") == "01"
    assert rc.to_code("slot", "ａ岗") == "A" and rc.to_code("slot", "B") == "B"
    assert rc.to_code("tenure", "专职") == "full_time"
    assert rc.to_code("role", "village_manager") == rc.to_code("role", "村站点管理员") == "village_manager"
    assert rc.to_code("source_category", "村“两委”班子成员") == rc.to_code("source_category", "村两委") == "VIL_COMMITTEE"
    assert rc.to_code("source_category", "其他", role="technician") == "TEC_OTHER"
    with pytest.raises(ValidationError, match="职务类别"):
        rc.to_code("source_category", "其他")
    with pytest.raises(ValidationError, match="不是可识别的民族"):
        rc.to_code("ethnicity", "火星族")
    assert rc.to_code("gender", "  ") is None
    assert rc.header_key("公民身份号码（18位）") == "id_number"
    assert rc.header_key("出 生 年 月") == "birth_date" and rc.header_key("所在站点") == "unit"
    assert rc.header_key("手机") == rc.header_key("联系方式") == "phone"
