"""``remoteedu training list|signin-sheet`` (cli_training.py), through the main CLI's ``main()`` so that the
registration in cli.py is tested too. The data directory is the test's own (REMOTEEDU_HOME, conftest)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from remoteedu_desktop import cli, cli_training, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import TrainingPlan
from remoteedu_desktop.services import people, posts, training_enrolment, training_plans
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.units import add_unit
from remoteedu_desktop.sync import safe_write

TITLE = "2026年龙潭镇村级站点管理员岗前培训"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_id(seq: int) -> str:
    first17 = f"36049919850312{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def plans() -> dict[str, str]:
    """龙潭镇 with 杨家村; a 2026 plan with two sessions and two people enrolled; a 2025 plan, no sessions."""
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
            village = add_unit(s, kind="village", name="杨家村", parent_id=office.unit_id, code="360499100201")
            ids = []
            for n, name in enumerate(("王喆", "张玥")):
                person = people.add_person(s, people.PersonInput(name=name, id_number=make_id(n + 1)),
                                           today=dt.date(2026, 1, 1))
                posts.assign_post(s, person_id=person.id, unit_id=village.id, role="village_manager", slot="AB"[n],
                                  start_date=dt.date(2024, 1, 1), today=dt.date(2026, 1, 1))
                ids.append(person.id)
            common = dict(organizer_level="township", target_role="village_manager", target_level="village",
                          topics=("1", "2"), kind="pre_job", mode="lecture", organizer_unit_id=office.unit_id)
            plan = training_plans.add_plan(s, training_plans.PlanInput(title=TITLE, year=2026, **common))  # type: ignore[arg-type]
            first = training_plans.add_session(s, plan.id, training_plans.SessionInput(
                date=dt.date(2026, 5, 6), hours=2.5, start_time=dt.time(9, 0), end_time=dt.time(11, 30),
                place="龙潭镇党员活动室"))
            second = training_plans.add_session(s, plan.id, training_plans.SessionInput(date=dt.date(2026, 5, 7),
                                                                                        hours=3.0))
            training_enrolment.enrol(s, plan.id, ids)
            old = training_plans.add_plan(s, training_plans.PlanInput(title="2025年龙潭镇站点设备维护培训", year=2025,
                                                                      **common))  # type: ignore[arg-type]
            return {"plan": plan.id, "first": first.id, "second": second.id, "old": old.id}
    finally:
        db.dispose()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def leftovers(folder: Path) -> list[str]:
    """Temporary files (hidden, beside the target) left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- list ------------------------------------------------------------------------------------------

def test_list_shows_plans_with_their_sessions_indented(plans: dict[str, str],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "training", "list")
    assert code == 0, err
    lines = out.splitlines()
    head = next(n for n, line in enumerate(lines) if line.startswith(plans["plan"][:8]))
    assert f"{plans['plan'][:8]}  2026  {TITLE}  乡镇（龙潭镇）  岗前培训  课次 2  报名 2 人" == lines[head]
    assert lines[head + 1] == f"    {plans['first'][:8]}  2026-05-06  09:00–11:30  龙潭镇党员活动室"
    assert lines[head + 2] == f"    {plans['second'][:8]}  2026-05-07  （未定时间）  （未定地点）"
    assert any(line.startswith(plans["old"][:8]) and "课次 0  报名 0 人" in line for line in lines)
    assert lines[-1] == "共 2 个培训计划。"
    assert plans["plan"][8:] not in out  # short ids only


def test_list_by_year(plans: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "training", "list", "--year", "2025")
    assert code == 0
    assert "2025年龙潭镇站点设备维护培训" in out and TITLE not in out
    code, out, _ = run(capsys, "training", "list", "--year", "2019")
    assert code == 0 and "没有2019年的培训计划" in out


def test_list_on_an_empty_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "training", "list")
    assert code == 0 and "还没有培训计划" in out


# --- signin-sheet ----------------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@needs_poppler
def test_signin_sheet_of_a_plan_by_short_id(plans: dict[str, str], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "签到表.pdf"
    code, out, err = run(capsys, "training", "signin-sheet", plans["plan"][:8], "--out", str(out_file))
    assert code == 0, err
    assert f"已生成签到表：{out_file}" in out and "2 个课次" in out
    assert pdf_pages(out_file) == 2
    text = pdf_text(out_file)
    assert "王喆" in text and "张玥" in text and "2026年05月06日" in text and "2026年05月07日" in text
    assert leftovers(tmp_path) == []


@needs_poppler
def test_signin_sheet_of_one_session_and_by_title(plans: dict[str, str], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one.pdf"
    code, _, err = run(capsys, "training", "signin-sheet", plans["second"], "--out", str(one))
    assert code == 0, err
    assert pdf_pages(one) == 1 and "2026年05月07日" in pdf_text(one)
    by_title = tmp_path / "all.pdf"
    code, _, err = run(capsys, "training", "signin-sheet", TITLE, "--out", str(by_title))
    assert code == 0, err
    assert pdf_pages(by_title) == 2


def test_unknown_target_exits_2_and_writes_nothing(plans: dict[str, str], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "x.pdf"
    code, out, err = run(capsys, "training", "signin-sheet", "ffffffff", "--out", str(out_file))
    assert code == cli_training.EXIT_NOT_FOUND == 2
    assert "错误：" in err and "找不到“ffffffff”" in err and out == ""
    assert not out_file.exists() and leftovers(tmp_path) == []
    code, _, err = run(capsys, "training", "signin-sheet", "ab", "--out", str(out_file))
    assert code == 2 and "至少输入前 6 位" in err


def test_ambiguous_target_exits_2_and_keeps_the_old_file(plans: dict[str, str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            for n in (1, 2):
                s.add(TrainingPlan(id=f"abcdef0{n}-0000-4000-8000-00000000000{n}", title=f"技能培训{n}", year=2026,
                                   organizer_level="telecom", target_role="technician", target_level="township",
                                   topics=1, kind="regular", mode="lecture"))
    finally:
        db.dispose()
    out_file = tmp_path / "x.pdf"
    out_file.write_bytes(b"old")
    code, _, err = run(capsys, "training", "signin-sheet", "abcdef", "--out", str(out_file))
    assert code == 2
    assert "对应多个" in err and "abcdef01" in err and "abcdef02" in err
    assert out_file.read_bytes() == b"old"


def test_a_plan_without_sessions_is_refused(plans: dict[str, str], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "x.pdf"
    code, _, err = run(capsys, "training", "signin-sheet", plans["old"][:8], "--out", str(out_file))
    assert code == 1 and "还没有课次" in err
    assert not out_file.exists()


def test_missing_folder_is_refused(plans: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "training", "signin-sheet", plans["plan"][:8], "--out",
                       str(tmp_path / "nowhere" / "x.pdf"))
    assert code == 1 and "目录不存在" in err


def test_write_atomically_replaces_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    cli_training.write_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new" and leftovers(tmp_path) == []

    def refuse(src: str, dst: str) -> None:  # the rename fails (e.g. the PDF is open in a viewer on Windows)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safe_write.os, "replace", refuse)
    with pytest.raises(PermissionError):
        cli_training.write_atomically(target, b"%PDF-newer")
    assert target.read_bytes() == b"%PDF-new" and leftovers(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
