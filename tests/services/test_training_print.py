"""Training paperwork from the database (R8): targets by id, prefix or title; sign-in sheets, the roster of a
plan and training records as real PDFs, read back with poppler. No ID number, no phone on any sheet."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Person, TrainingPlan
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing.training_sheets import sign_in_rows_per_page
from remoteedu_desktop.services import posts, training_enrolment, training_grid, training_plans
from remoteedu_desktop.services.training_print import (
    plan_roster_pdf,
    resolve_target,
    sign_in_sheet_pdf,
    training_record_pdf,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils not installed")

TODAY = dt.date(2026, 6, 30)  #: the conftest's fixed "today"
NAMES = ("王喆", "李堃", "张玥")
PHONES = ("13800001111", "13900002222", "13700003333")


def pdf_text(tmp_path: Path, data: bytes, page: int | None = None) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def embedded_fonts_only(tmp_path: Path, data: bytes) -> bool:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return bool(rows) and all("LXGWWenKai" in r and r.split()[-5] == "yes" for r in rows)


def plan_input(title: str = "2026年龙潭镇村级站点管理员岗前培训", year: int = 2026, **kw: object) -> training_plans.PlanInput:
    values: dict[str, object] = dict(title=title, year=year, organizer_level="township", target_role="village_manager",
                                     target_level="village", topics=("1", "2", "5"), kind="pre_job", mode="mixed",
                                     planned_hours=5.0, pass_mark=60.0)
    values.update(kw)
    return training_plans.PlanInput(**values)  # type: ignore[arg-type]


@dataclass
class Setup:
    plan_id: str
    session_ids: list[str]
    people: list[str]
    id_numbers: list[str]


@pytest.fixture
def trained(db: Database, township_id: str, new_person: Callable[..., object],
            new_village: Callable[..., object]) -> Setup:
    """Three village managers of 杨家村 and 石桥村 enrolled in a plan of two sessions."""
    village = new_village("杨家村")
    other = new_village("石桥村")
    with db.session() as s:
        people, ids = [], []
        for n, (name, phone) in enumerate(zip(NAMES, PHONES, strict=True)):
            info = new_person(s, name, phone=phone, female=n == 2)
            people.append(info.id)  # type: ignore[attr-defined]
            ids.append(s.get(Person, info.id).id_number)  # type: ignore[attr-defined, union-attr]
            unit = village if n < 2 else other
            posts.assign_post(s, person_id=info.id, unit_id=unit.id, role="village_manager",  # type: ignore[attr-defined]
                              slot="AB"[n % 2], start_date=dt.date(2024, 1, 1), today=TODAY)
        plan = training_plans.add_plan(s, plan_input(organizer_unit_id=township_id,
                                                     start_date=dt.date(2026, 5, 6), end_date=dt.date(2026, 5, 7)))
        sessions = [training_plans.add_session(s, plan.id, training_plans.SessionInput(
            date=dt.date(2026, 5, 6 + k), hours=2.5, start_time=dt.time(9, 0), end_time=dt.time(11, 30),
            place=f"龙潭镇党员活动室{k + 1}", instructor_name="赵老师")).id for k in range(2)]
        training_enrolment.enrol(s, plan.id, people)
    return Setup(plan.id, sessions, people, ids)


def no_personal_data(text: str, setup: Setup) -> None:
    for phone in PHONES:
        assert phone not in text and phone[-4:] not in text
    for number in setup.id_numbers:
        assert number not in text and number[-4:] not in text


# --- resolve_target --------------------------------------------------------------------------------

def test_resolve_by_full_id_prefix_title_and_session(db: Database, trained: Setup) -> None:
    with db.session() as s:
        assert resolve_target(s, trained.plan_id) == ("plan", trained.plan_id)
        assert resolve_target(s, trained.plan_id[:8]) == ("plan", trained.plan_id)
        assert resolve_target(s, f"  {trained.plan_id[:6].upper()} ") == ("plan", trained.plan_id)
        assert resolve_target(s, "2026年龙潭镇村级站点管理员岗前培训") == ("plan", trained.plan_id)
        sid = trained.session_ids[1]
        assert resolve_target(s, sid[:8]) == ("session", sid)
        assert resolve_target(s, sid) == ("session", sid)


def test_resolve_refuses_unknown_short_and_deleted(db: Database, trained: Setup,
                                                   refused: Callable[..., None]) -> None:
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            resolve_target(s, "ffffffff")
        refused(exc.value, field="培训计划或课次", says="找不到“ffffffff”")
        with pytest.raises(ValidationError) as exc:
            resolve_target(s, trained.plan_id[:5])
        refused(exc.value, field="培训计划或课次", says="至少输入前 6 位")
        with pytest.raises(ValidationError):
            resolve_target(s, "   ")
        training_plans.delete_plan(s, trained.plan_id)
    with db.session() as s:
        for gone in (trained.plan_id, trained.plan_id[:8], trained.session_ids[0][:8], "2026年龙潭镇村级站点管理员岗前培训"):
            with pytest.raises(ValidationError):
                resolve_target(s, gone)


def test_resolve_refuses_an_ambiguous_prefix_or_title(db: Database, office: object,
                                                      refused: Callable[..., None]) -> None:
    with db.session() as s:
        for n in (1, 2):
            s.add(TrainingPlan(id=f"abcdef0{n}-0000-4000-8000-00000000000{n}", title="远程教育技术服务员技能培训",
                               year=2024 + n, organizer_level="telecom", target_role="technician",
                               target_level="township", topics=1, kind="regular", mode="lecture"))
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            resolve_target(s, "abcdef0")
        refused(exc.value, field="培训计划或课次", says="对应多个")
        assert "abcdef01" in exc.value.message and "abcdef02" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            resolve_target(s, "远程教育技术服务员技能培训")
        assert "对应多个" in exc.value.message and "2025年" in exc.value.message
        assert resolve_target(s, "abcdef02") == ("plan", "abcdef02-0000-4000-8000-000000000002")


# --- sign-in sheets --------------------------------------------------------------------------------

def test_plan_gives_a_sheet_for_every_session(db: Database, trained: Setup, tmp_path: Path) -> None:
    with db.session() as s:
        pdf = sign_in_sheet_pdf(s, trained.plan_id)
    assert embedded_fonts_only(tmp_path, pdf)
    assert pdf_pages(tmp_path, pdf) == 2
    first, second = pdf_text(tmp_path, pdf, 1), pdf_text(tmp_path, pdf, 2)
    for page, day, place in ((first, "2026年05月06日", "龙潭镇党员活动室1"), (second, "2026年05月07日", "龙潭镇党员活动室2")):
        assert "2026年龙潭镇村级站点管理员岗前培训 签到表" in page
        assert day in page and place in page and "赵老师" in page and "乡镇（龙潭镇）" in page
        for name in NAMES:
            assert name in page
        assert "龙潭镇 / 杨家村" in page and "龙潭镇 / 石桥村" in page and "村站点管理员 A岗" in page
        assert "应到：3 人" in page
        no_personal_data(page, trained)
    assert "课次：第 2 次（共 2 次）" in second


def test_a_session_gives_its_own_sheet(db: Database, trained: Setup, tmp_path: Path) -> None:
    with db.session() as s:
        pdf = sign_in_sheet_pdf(s, trained.session_ids[1])
    assert pdf_pages(tmp_path, pdf) == 1
    out = pdf_text(tmp_path, pdf)
    assert "2026年05月07日" in out and "2026年05月06日" not in out


def test_sheet_leaves_out_who_was_removed_and_grows_with_the_roster(db: Database, trained: Setup, tmp_path: Path,
                                                                     new_person: Callable[..., object]) -> None:
    with db.session() as s:
        training_enrolment.unenrol(s, trained.plan_id, [trained.people[1]])
        more = [new_person(s, f"钱{chr(0x4e00 + n)}").id for n in range(sign_in_rows_per_page())]  # type: ignore[attr-defined]
        training_enrolment.enrol(s, trained.plan_id, more)
    with db.session() as s:
        pdf = sign_in_sheet_pdf(s, trained.session_ids[0])
    out = pdf_text(tmp_path, pdf)
    assert "李堃" not in out and "王喆" in out
    assert pdf_pages(tmp_path, pdf) == 2  # 2 + a page's worth of people


def test_sheet_refuses_unknown_target_and_plan_without_sessions(db: Database, trained: Setup,
                                                                township_id: str) -> None:
    with db.session() as s:
        with pytest.raises(ValidationError):
            sign_in_sheet_pdf(s, "00000000-0000-4000-8000-000000000000")
        empty = training_plans.add_plan(s, plan_input("2026年空计划", organizer_unit_id=township_id))
        with pytest.raises(ValidationError) as exc:
            sign_in_sheet_pdf(s, empty.id)
        assert "还没有课次" in exc.value.message


# --- the roster of a plan --------------------------------------------------------------------------

def test_roster_has_hours_scores_and_derived_results(db: Database, trained: Setup, tmp_path: Path) -> None:
    a, b, c = trained.people
    s1, s2 = trained.session_ids
    with db.session() as s:
        training_grid.save_grid(s, trained.plan_id, training_grid.GridChanges(
            present={(a, s1): True, (a, s2): True, (b, s1): True},
            self_study={a: 4.0, b: 1.5}, scores={a: 88.0, b: 59.5}, assessed_on=dt.date(2026, 5, 7)))
    with db.session() as s:
        pdf = plan_roster_pdf(s, trained.plan_id)
    assert embedded_fonts_only(tmp_path, pdf)
    out = pdf_text(tmp_path, pdf)
    assert "2026年龙潭镇村级站点管理员岗前培训 培训花名册" in out
    for label in ("乡镇（龙潭镇）", "村级 村站点管理员", "岗前培训", "集中与自学结合", "5 学时", "60 分",
                  "远程教育指导意见、平台知识、站点设备操作维护", "2026年05月06日 至 2026年05月07日"):
        assert label in out, label
    assert re.search(r"王喆\s+男\s+龙潭镇 / 杨家村\s+村站点管理员 A岗\s+5\s+4\s+88\s+合格", out), out
    assert re.search(r"李堃\s+男\s+龙潭镇 / 杨家村\s+村站点管理员 B岗\s+2.5\s+1.5\s+59.5\s+不合格", out), out
    assert re.search(r"张玥\s+女\s+龙潭镇 / 石桥村\s+村站点管理员 A岗\s+0\s+0\s+未考核", out), out
    assert "报名 3 人，其中合格 1 人、不合格 1 人、未考核 1 人" in out
    no_personal_data(out, trained)


def test_roster_result_follows_a_new_pass_mark(db: Database, trained: Setup, tmp_path: Path,
                                               township_id: str) -> None:
    b = trained.people[1]
    with db.session() as s:
        training_grid.save_grid(s, trained.plan_id, training_grid.GridChanges(present={}, self_study={},
                                                                               scores={b: 59.5}))
        training_plans.update_plan(s, trained.plan_id, plan_input(pass_mark=55.0, organizer_unit_id=township_id))
    with db.session() as s:
        out = pdf_text(tmp_path, plan_roster_pdf(s, trained.plan_id))
    assert re.search(r"李堃.*59.5\s+合格", out)


# --- training records ------------------------------------------------------------------------------

def test_record_lists_every_training_with_hours_per_year(db: Database, trained: Setup, tmp_path: Path,
                                                         township_id: str) -> None:
    a, b, _c = trained.people
    s1, s2 = trained.session_ids
    with db.session() as s:
        training_grid.save_grid(s, trained.plan_id, training_grid.GridChanges(
            present={(a, s1): True, (a, s2): True}, self_study={a: 4.0}, scores={a: 91.0}))
        old = training_plans.add_plan(s, plan_input("2025年龙潭镇站点设备维护培训", 2025, kind="regular",
                                                    mode="lecture", organizer_unit_id=township_id))
        old_session = training_plans.add_session(s, old.id, training_plans.SessionInput(
            date=dt.date(2025, 9, 1), hours=3.0))
        training_enrolment.enrol(s, old.id, [a])
        training_grid.save_grid(s, old.id, training_grid.GridChanges(
            present={(a, old_session.id): True}, self_study={}, scores={a: 45.0}))
    with db.session() as s:
        pdf = training_record_pdf(s, [a, b, a])
    assert embedded_fonts_only(tmp_path, pdf)
    assert pdf_pages(tmp_path, pdf) == 2  # one page each, the repeat left out
    first, second = pdf_text(tmp_path, pdf, 1), pdf_text(tmp_path, pdf, 2)
    assert "培训记录" in first and "王喆" in first and "龙潭镇 / 杨家村" in first and "村站点管理员 A岗" in first
    assert first.index("2025年龙潭镇站点") < first.index("2026年龙潭镇村级")  # oldest first
    assert re.search(r"2025\s+.*3\s+0\s+45\s+不合格", first)
    assert re.search(r"2026\s+.*5\s+4\s+91\s+合格", first)
    assert re.search(r"2025年\s+1\s+3\s+0\s+3", first)
    assert re.search(r"2026年\s+1\s+5\s+4\s+9", first)
    assert re.search(r"合计\s+2\s+8\s+4\s+12", first)
    assert "李堃" in second and "未考核" in second
    no_personal_data(first + second, trained)


def test_record_refuses_nobody_and_unknown_people(db: Database, trained: Setup) -> None:
    with db.session() as s:
        with pytest.raises(ValidationError):
            training_record_pdf(s, [])
        with pytest.raises(ValidationError):
            training_record_pdf(s, [trained.people[0], "00000000-0000-4000-8000-000000000000"])
