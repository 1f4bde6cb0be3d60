"""The yearly evaluation results to .xlsx (R14): services/evaluation_export.py, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from test_evaluation_forms_data import YEAR, World, seed_round

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Evaluation, Rubric, RubricItem
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import evaluation_export as ee
from remoteedu_desktop.services.progress import run_to_end

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def world(db: Database) -> World:
    return seed_round(db)


def rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    wb = load_workbook(path)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def test_one_sheet_per_target_with_ranks_items_totals_and_flags(db: Database, world: World, tmp_path: Path) -> None:
    """站点管理员 and 教学辅导员 sheets; rows by county rank; items as entered; 不胜任 marked (R14)."""
    out = tmp_path / "results.xlsx"
    with db.session() as s:
        count = ee.export_results(s, out, YEAR, today=TODAY)
    assert count == 5
    wb = load_workbook(out)
    assert wb.sheetnames == ["站点管理员", "教学辅导员"]
    data = rows(out, "站点管理员")
    assert data[0][0] == "2025年度站点管理员考评结果（青山县，2025年度考评；导出日期 2026-01-15，共 4 人）"
    assert data[1] == ("排名", "姓名", "单位", "乡镇", "乡镇排名", "A1 组织开展远程教育学习活动（30分）",
                       "A2 站点设备管理与安全运行（20分）", "A3 参加培训和考核（50分）", "D1 扣分：设备无故停播（10分）",
                       "B1 加分：经验做法被县级媒体刊发（5分）", "总分", "等次", "不胜任标记")
    assert data[2] == (1, "王喆", "龙潭镇 / 杨家村", "龙潭镇", 1, 27, 18, 45, 2, 3, 91, "优秀", None)
    assert data[3] == (2, "张玥", "龙潭镇 / 杨家村", "龙潭镇", 2, 24, 16, 40, None, None, 80, "称职", None)
    assert data[4][:2] == (3, "石磊") and data[4][3] == "石门乡"
    assert data[5] == (4, "李堃", "龙潭镇 / 李家村", "龙潭镇", 3, 10, 8, 30, 4, None, 44, "不称职", "不胜任")
    assert len(data) == 6
    tutors = rows(out, "教学辅导员")
    assert tutors[1][5:7] == ("T1 辅导教学活动（10分）", "T2 参加培训（40分）")
    assert tutors[2] == (None, "赵敏", "龙潭镇", "龙潭镇", None, 8, None, None, None, None)


def test_header_frozen_widths_and_no_personal_numbers(db: Database, world: World, tmp_path: Path) -> None:
    """The header row (and 排名, 姓名) frozen, every column given a width; no ID number or phone anywhere."""
    out = tmp_path / "results.xlsx"
    with db.session() as s:
        ee.export_results(s, out, YEAR, today=TODAY)
    wb = load_workbook(out)
    ws = wb["站点管理员"]
    assert ws.freeze_panes == f"C{ee.HEADER_ROW + 1}"
    assert [ws.column_dimensions[c].width for c in "ABCDE"] == [w for _h, w in ee.LEAD_COLUMNS]
    assert ws.column_dimensions["F"].width == ee.ITEM_WIDTH
    assert ws.column_dimensions["M"].width == 11
    text = " ".join(str(v) for sheet in wb for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert "360499" not in text


def test_unit_scope_limits_the_rows(db: Database, world: World, tmp_path: Path) -> None:
    """A township's export holds its own people; ranks stay the county's (R14)."""
    out = tmp_path / "twn.xlsx"
    with db.session() as s:
        assert ee.export_results(s, out, YEAR, unit_id=world.other_township, today=TODAY) == 1
    wb = load_workbook(out)
    assert wb.sheetnames == ["站点管理员"]
    data = rows(out, "站点管理员")
    assert data[2][:5] == (3, "石磊", "石门乡 / 石门村", "石门乡", 1)


def test_progress_and_refusals(db: Database, world: World, tmp_path: Path) -> None:
    """Progress to the total; no round, a wrong suffix: refused before anything is written."""
    out = tmp_path / "r.xlsx"
    with db.session() as s:
        steps: list[tuple[int, int, str]] = []
        run_to_end(ee.export_results_steps(s, out, YEAR, today=TODAY), lambda *a: steps.append(a))
        assert steps[0][:2] == (0, 5) and steps[-1][:2] == (5, 5) and "r.xlsx" in steps[-1][2]
        with pytest.raises(ValidationError) as exc:
            ee.export_results_steps(s, tmp_path / "x.xlsx", 2024)
        assert exc.value.field == "考评年度"
        with pytest.raises(ValidationError) as exc:
            ee.export_results_steps(s, tmp_path / "x.csv", YEAR)
        assert exc.value.field == "导出文件" and "x.csv" in exc.value.message
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".csv")) == ["r.xlsx"]


def test_unwritable_target_is_refused_and_leaves_nothing(db: Database, world: World, tmp_path: Path) -> None:
    """A folder that cannot be created (a file is in the way): a Chinese message, no temporary file left."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "busy").write_bytes(b"a file, not a folder")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        ee.export_results(s, folder / "busy" / "r.xlsx", YEAR)
    assert exc.value.field == "导出文件" and "无法写入" in exc.value.message
    assert sorted(p.name for p in folder.iterdir()) == ["busy"]


def test_save_failure_leaves_the_old_file(db: Database, world: World, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A failing save (disk full, Excel holding the file) never replaces the clerk's file with half a workbook."""
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old")

    real_save = Workbook.save

    def boom(self: Workbook, filename: str) -> None:
        real_save(self, filename)  # the whole workbook written to the temporary file, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", boom)
    with db.session() as s, pytest.raises(ValidationError):
        ee.export_results(s, out, YEAR)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_sites_sheet_and_unranked_rows_in_township_order(db: Database, world: World, tmp_path: Path) -> None:
    """The sites' sheet says 站点 and counts 个; rows not ranked yet follow the ranked ones in township order."""
    with db.session() as s:
        rubric = Rubric(round_id=world.round_id, target="site", name="示范站点考评细则")
        s.add(rubric)
        s.flush()
        s.add(RubricItem(rubric_id=rubric.id, code="S1", title="阵地建设", kind="score", max_points=100.0,
                         weight_pct=100.0, sort_order=0))
        for site in (world.li, world.yang):
            s.add(Evaluation(round_id=world.round_id, rubric_id=rubric.id, site_id=site, unit_id=site))
        s.add(Evaluation(round_id=world.round_id, rubric_id=rubric.id, site_id=world.shi, unit_id=world.shi,
                         total=70.0, grade="basic", rank_township=1, rank_county=1))
    out = tmp_path / "r.xlsx"
    with db.session() as s:
        ee.export_results(s, out, YEAR, today=TODAY)
    data = rows(out, "站点")
    assert data[0][0].endswith("共 3 个）")  # type: ignore[union-attr]
    assert data[1][:3] == ("排名", "站点", "单位")
    assert [r[1] for r in data[2:]] == ["石门村", "李家村", "杨家村"]  # ranked first; then by township, pinyin
