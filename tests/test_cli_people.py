"""``remoteedu people import|export|template`` (cli_people.py), run in-process through a parser of its own."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from remoteedu_desktop import paths
from remoteedu_desktop.cli_people import register, report_path
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import AuditLog, Person, Post
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.units import add_unit

TODAY = "2024-05-01"


def make_id(birth: str, seq: str) -> str:
    first17 = "360499" + birth + seq
    return first17 + check_digit(first17)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="remoteedu")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    code = int(args.func(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office() -> None:
    """The data directory (REMOTEEDU_HOME, set by conftest) holds 龙潭镇 with 石桥村."""
    db = open_database(paths.database_url())
    with db.session() as s:
        info = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        add_unit(s, kind="village", name="石桥村", parent_id=info.unit_id, code="360499100201")
    db.dispose()


def counts() -> tuple[int, int]:
    db = open_database(paths.database_url())
    try:
        with db.session() as s:
            return (s.scalar(select(func.count()).select_from(Person)) or 0,
                    s.scalar(select(func.count()).select_from(Post)) or 0)
    finally:
        db.dispose()


def roster(path: Path, *, with_error: bool) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["石桥村站点管理员名单"])
    ws.append(["姓名", "身份证号", "手机", "站点", "职务类别", "岗位", "任职时间"])
    ws.append(["张三", make_id("19850312", "123"), "13800000001", "石桥村", "村站点管理员", "A岗", "2024.3.1"])
    ws.append(["李梅", make_id("19900707", "042"), "13800000002", "石桥村", "村站点管理员", "B岗", "2024/3/1"])
    if with_error:
        ws.append(["钱七", int(make_id("19880808", "055")[:17]), None, None, None, None, None])
    wb.save(path)
    return path


def test_dry_run_writes_nothing_and_reports(office: None, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    file = roster(tmp_path / "石桥村.xlsx", with_error=False)
    code, out, _ = run(capsys, "people", "import", str(file), "--dry-run", "--today", TODAY)
    assert code == 0, out
    assert "新增 2 人" in out and "试运行" in out
    assert counts() == (0, 0)
    report = report_path(file)
    assert report.name == "石桥村.导入报告.xlsx" and report.exists()


def test_errors_refuse_the_whole_file(office: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = roster(tmp_path / "花名册.xlsx", with_error=True)
    code, out, err = run(capsys, "people", "import", str(file), "--dry-run", "--today", TODAY)
    assert code == 1
    assert "花名册 第 5 行 B 列【身份证号】" in out and "17 位" in out
    assert counts() == (0, 0)

    code, out, err = run(capsys, "people", "import", str(file), "--today", TODAY)
    assert code == 1
    assert "错误 1 行" in out and "--skip-errors" in err
    assert counts() == (0, 0)
    rows = list(load_workbook(report_path(file)).active.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[4]) for r in rows] == [(3, "新增"), (4, "新增"), (5, "错误")]

    code, out, _ = run(capsys, "people", "import", str(file), "--skip-errors", "--today", TODAY)
    assert code == 1, "rows were refused, even though the valid ones were imported"
    assert "跳过错误 1 行" in out
    assert counts() == (2, 2)


def test_import_applies_then_reimport_is_unchanged(office: None, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    file = roster(tmp_path / "花名册.xlsx", with_error=False)
    code, out, _ = run(capsys, "people", "import", str(file), "--today", TODAY)
    assert code == 0, out
    assert "导入完成：新增 2 人" in out
    assert counts() == (2, 2)
    code, out, _ = run(capsys, "people", "import", str(file), "--today", TODAY)
    assert code == 0 and "无变化 2 人" in out
    assert counts() == (2, 2)


def test_export_and_template(office: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "people", "import", str(roster(tmp_path / "in.xlsx", with_error=False)), "--today", TODAY)

    code, out, _ = run(capsys, "people", "export", str(tmp_path / "out.xlsx"), "--unit", "石桥村",
                       "--role", "村站点管理员")
    assert code == 0 and "已导出 2 人" in out and "脱敏" in out
    ws = load_workbook(tmp_path / "out.xlsx").active
    assert "********" in ws["C4"].value

    code, out, _ = run(capsys, "people", "export", str(tmp_path / "full.xlsx"), "--unit", "360499100201",
                       "--unmasked")
    assert code == 0 and "操作日志" in out
    assert "********" not in load_workbook(tmp_path / "full.xlsx").active["C4"].value
    db = open_database(paths.database_url())
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.field == "unmasked_export")) == 1
    db.dispose()

    code, _, err = run(capsys, "people", "export", str(tmp_path / "x.xlsx"), "--unit", "火星村")
    assert code == 1 and "火星村" in err

    code, out, _ = run(capsys, "people", "template", str(tmp_path / "模板.xlsx"))
    assert code == 0 and "模板" in out
    wb = load_workbook(tmp_path / "模板.xlsx")
    assert "石桥村" in [c.value for c in wb["代码表"]["I"]]


def test_refuses_without_office_or_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = roster(tmp_path / "花名册.xlsx", with_error=False)
    code, _, err = run(capsys, "people", "import", str(file))
    assert code == 1 and "init" in err
    code, _, err = run(capsys, "people", "import", str(tmp_path / "没有.xlsx"))
    assert code == 1 and "找不到文件" in err
