"""``remoteedu evaluation score|forms|export`` (cli_evaluation.py, R14), through the main CLI's ``main()`` so
that the registration in cli.py is tested too. The data directory is the test's own (REMOTEEDU_HOME)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from remoteedu_desktop import cli, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import Evaluation
from remoteedu_desktop.services import evaluation_rounds, people, posts
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.units import add_unit

YEAR = 2025
TODAY = "2026-06-30"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_id(seq: int) -> str:
    first17 = f"36049919850312{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def home() -> None:
    """龙潭镇 (360499100) with 杨家村 and 李家村: three village managers and a township tutor since 2024."""
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
            yang = add_unit(s, kind="village", name="杨家村", parent_id=office.unit_id, code="360499100201")
            li = add_unit(s, kind="village", name="李家村", parent_id=office.unit_id, code="360499100202")
            staff = (("王喆", yang.id, "village_manager", "A"), ("张玥", yang.id, "village_manager", "B"),
                     ("李堃", li.id, "village_manager", "A"), ("赵敏", office.unit_id, "township_tutor", None))
            for n, (name, unit, role, slot) in enumerate(staff):
                person = people.add_person(s, people.PersonInput(name=name, id_number=make_id(n + 1)),
                                           today=dt.date(2026, 1, 1))
                posts.assign_post(s, person_id=person.id, unit_id=unit, role=role, slot=slot,
                                  start_date=dt.date(2024, 1, 1), today=dt.date(2026, 1, 1))
    finally:
        db.dispose()


def evaluations() -> int:
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Evaluation).where(Evaluation.deleted.is_(False))) or 0
    finally:
        db.dispose()


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_evaluation_is_registered_with_its_three_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluation", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("score", "forms", "export"):
        assert command in out


def test_score_prints_the_summary_by_grade(capsys: pytest.CaptureFixture[str], home: None) -> None:
    """The round is opened with the defaults, everyone with a post in the year evaluated, plus the sites (R14)."""
    code, out, err = run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"{YEAR}年度考评已计算：共 6 人（站点）")  # 4 people + 2 village sites
    assert lines[1].startswith("等次：优秀 ") and "不合格" in lines[1]  # the default 合格 wording
    assert evaluations() == 6
    code, out, _ = run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)
    assert code == 0 and evaluations() == 6  # scoring again adds nobody twice


def test_score_limited_to_a_unit(capsys: pytest.CaptureFixture[str], home: None) -> None:
    """--unit by code: only 杨家村's managers and the site itself are created."""
    code, out, err = run(capsys, "evaluation", "score", "--year", str(YEAR), "--unit", "360499100201",
                         "--today", TODAY)
    assert code == 0, err
    assert evaluations() == 3


def test_score_bad_input_exits_2_in_chinese(capsys: pytest.CaptureFixture[str], home: None) -> None:
    """Unknown unit, a closed round (R14: never recomputed), a year not yet begun: exit 2, nothing written."""
    code, _, err = run(capsys, "evaluation", "score", "--year", str(YEAR), "--unit", "999", "--today", TODAY)
    assert code == 2 and "找不到代码或名称为“999”的单位" in err
    assert evaluations() == 0
    code, _, err = run(capsys, "evaluation", "score", "--year", "2030", "--today", TODAY)
    assert code == 2 and "2030年度尚未开始" in err
    assert run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)[0] == 0
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            info = evaluation_rounds.round_for_year(s, YEAR)
            assert info is not None
            evaluation_rounds.close_round(s, info.id)
    finally:
        db.dispose()
    code, out, err = run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)
    assert code == 2 and "2025年度考评已关闭，不重新计算" in err and out == ""


def test_score_rejects_a_year_that_is_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["evaluation", "score", "--year", "二〇二五"])
    assert exc.value.code == 2
    assert "不是年度" in capsys.readouterr().err


def test_forms_writes_one_page_per_evaluation(capsys: pytest.CaptureFixture[str], home: None,
                                              tmp_path: Path) -> None:
    """All targets, then one target in one township (given by name); the PDF written atomically."""
    assert run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)[0] == 0
    out = tmp_path / "forms.pdf"
    code, stdout, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(out))
    assert code == 0, err
    assert "6 份考评表" in stdout and pdf_pages(out) == 6
    text = pdf_text(out)
    assert "2025年度农村党员干部现代远程教育站点管理员考评表" in text
    assert "2025年度农村党员干部现代远程教育教学辅导员考评表" in text and "站点考评表" in text
    code, stdout, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(out),
                            "--target", "站点管理员", "--unit", "龙潭镇")
    assert code == 0, err
    assert "龙潭镇，2025年度，站点管理员，3 份考评表" in stdout and pdf_pages(out) == 3
    assert "王喆" in pdf_text(out) and "赵敏" not in pdf_text(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_forms_bad_input_exits_2(capsys: pytest.CaptureFixture[str], home: None, tmp_path: Path) -> None:
    """No round, an unknown target, no evaluations of the target, a wrong name or folder: exit 2, no file."""
    out = tmp_path / "f.pdf"
    code, _, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(out))
    assert code == 2 and "没有2025年度的考评" in err
    assert run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)[0] == 0
    code, _, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(out), "--target", "foo")
    assert code == 2 and "“foo”不是考评对象" in err
    code, _, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(out), "--target",
                       "technician")
    assert code == 2 and "没有2025年度技术服务员的考评记录" in err
    code, _, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(tmp_path / "f.txt"))
    assert code == 2 and "不是 .pdf 文件名" in err
    code, _, err = run(capsys, "evaluation", "forms", "--year", str(YEAR), "--out", str(tmp_path / "no" / "f.pdf"))
    assert code == 2 and "目录不存在" in err
    assert not out.exists()


def test_export_writes_one_sheet_per_target(capsys: pytest.CaptureFixture[str], home: None, tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    code, _, err = run(capsys, "evaluation", "export", "--year", str(YEAR), str(out))
    assert code == 2 and "没有2025年度的考评" in err and not out.exists()
    assert run(capsys, "evaluation", "score", "--year", str(YEAR), "--today", TODAY)[0] == 0
    code, stdout, err = run(capsys, "evaluation", "export", "--year", str(YEAR), str(out))
    assert code == 0, err
    assert "6 人" in stdout
    wb = load_workbook(out)
    assert wb.sheetnames == ["站点管理员", "教学辅导员", "站点"]
    names = sorted(r[1] for r in wb["站点管理员"].iter_rows(min_row=3, values_only=True))
    assert names == ["张玥", "李堃", "王喆"]
    code, _, err = run(capsys, "evaluation", "export", "--year", str(YEAR), str(tmp_path / "r.csv"))
    assert code == 2 and "不是 .xlsx 文件名" in err
