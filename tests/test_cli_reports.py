"""``remoteedu report list`` and ``remoteedu report NAME … --out FILE`` (cli_reports.py, issue 8 item 2).

Run through ``cli.main`` when cli.py registers the command, else through a parser with only
``cli_reports.register`` (the same code path below the parser). The data directory is the test's own."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import load_workbook

from remoteedu_desktop import cli, cli_reports, paths
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.services import people, posts
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.report_model import REPORTS
from remoteedu_desktop.services.units import add_unit

TODAY = "2026-06-30"


def _main(argv: Sequence[str]) -> int:
    parser = cli.build_parser()
    if "report" in parser._subparsers._group_actions[0].choices:  # type: ignore[union-attr]
        return cli.main(list(argv))
    parser = argparse.ArgumentParser(prog="remoteedu")
    cli_reports.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = _main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def home() -> None:
    """龙潭镇 (360499100) with 杨家村 (A: 王喆) and 李家村 (no managers)."""
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
            yang = add_unit(s, kind="village", name="杨家村", parent_id=office.unit_id, code="360499100201")
            add_unit(s, kind="village", name="李家村", parent_id=office.unit_id, code="360499100202")
            first17 = "36049919850312001"
            person = people.add_person(s, people.PersonInput(name="王喆", id_number=first17 + check_digit(first17),
                                                             phone="13912345678"), today=dt.date(2026, 1, 1))
            posts.assign_post(s, person_id=person.id, unit_id=yang.id, role="village_manager", slot="A",
                              start_date=dt.date(2024, 1, 1), today=dt.date(2026, 1, 1))
    finally:
        db.dispose()


def test_list_names_every_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "report", "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(REPORTS)
    assert "站点人员配备情况表" in lines[0] and "--year" in lines[3]


def test_a_report_to_xlsx_and_pdf(home: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_x = tmp_path / "staffing.xlsx"
    code, out, err = run(capsys, "report", "staffing", "--unit", "360499100", "--by", "李会计", "--today", TODAY,
                         "--out", str(out_x))
    assert (code, err) == (0, "")
    assert out.strip() == f"已生成 {out_x}（站点人员配备情况表）"
    ws = load_workbook(out_x).active
    assert [c.value for c in ws[4]][:4] == ["龙潭镇", "杨家村", "行政村站点", "王喆"]
    assert [c.value for c in ws[5]][7] == "缺A岗、缺B岗（R3）"
    out_p = tmp_path / "roster.pdf"
    code, out, err = run(capsys, "report", "roster", "--by", "李会计", "--today", TODAY, "--out", str(out_p))
    assert code == 0, err
    text = subprocess.run(["pdftotext", str(out_p), "-"], capture_output=True, text=True, check=True).stdout
    assert "工作人员花名册" in text and "139****5678" in text and "13912345678" not in text
    assert "制表人：李会计" in text.replace(" ", "")


def test_a_yearly_report_takes_the_year(home: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_x = tmp_path / "a.xlsx"
    code, _out, err = run(capsys, "report", "activities", "--year", "2025", "--today", TODAY, "--out", str(out_x))
    assert code == 0, err
    assert "年度：2025年" in str(load_workbook(out_x).active["A2"].value)


@pytest.mark.parametrize(("argv", "says"), [
    (["report", "nope", "--out", "x.pdf"], "没有名为“nope”的报表"),
    (["report", "staffing"], "请用 --out 指定输出文件"),
    (["report", "staffing", "--out", "x.doc"], "应以 .pdf 或 .xlsx 结尾"),
    (["report", "staffing", "--out", "/no/such/dir/x.pdf"], "目录不存在"),
    (["report", "staffing", "--year", "2025", "--out", "x.pdf"], "不按年度统计"),
    (["report", "staffing", "--unit", "999999999", "--out", "x.pdf"], "找不到代码或名称为“999999999”的单位"),
    (["report", "evaluation", "--year", "2024", "--out", "x.pdf"], "2024"),
])
def test_bad_input_exits_2_with_a_chinese_message(home: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], argv: list[str],
                                                  says: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and says in err
    assert not list(tmp_path.glob("x.*"))


def test_a_bad_year_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _main(["report", "training", "--year", "20x5", "--out", "x.pdf"])
    assert exc.value.code == 2
    assert "不是年度" in capsys.readouterr().err
