"""Training paperwork PDFs (R8): real PDFs read back with poppler (pdffonts, pdftotext, pdfinfo)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from remoteedu_desktop.printing.fonts import register_fonts
from remoteedu_desktop.printing.training_sheets import (
    RESULT_FAILED,
    RESULT_NOT_ASSESSED,
    RESULT_PASSED,
    SIGN_IN_COLUMNS,
    PlanRoster,
    RosterRow,
    SignInRow,
    SignInSheet,
    TrainingEntry,
    TrainingRecordSheet,
    YearHoursRow,
    cn_date,
    fit_text,
    hours_text,
    one_line,
    render_plan_roster,
    render_sign_in_sheets,
    render_training_records,
    result_label,
    sign_in_pages,
    sign_in_rows_per_page,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils not installed")

RARE = ("王喆", "李堃", "张玥")
LONG_UNIT = "龙潭镇 / 青山县龙潭镇人民政府党政综合办公室远程教育终端接收站点（第二分站）附属非公企业站点"


def write(tmp_path: Path, data: bytes, name: str = "f.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[2:]


def assert_only_embedded_font(path: Path) -> None:
    """Every font of the PDF is the bundled one, embedded (the "emb" column): no Helvetica fallback."""
    rows = fonts(path)
    assert rows, "no font at all"
    for row in rows:
        assert "LXGWWenKai" in row, row
        assert row.split()[-5] == "yes", row  # emb sub uni object ID → emb is 5th from the end


def page_of(out: str, page: int, total: int) -> bool:
    """"第 x 页 共 y 页" (pdftotext -layout may drop the spaces)."""
    return re.search(rf"第\s*{page}\s*页\s*共\s*{total}\s*页", out) is not None


def sheet(n: int, *, unit: str = "龙潭镇 / 杨家村", number: int = 1, count: int = 1) -> SignInSheet:
    names = [*RARE, *(f"赵{i:03d}" for i in range(max(0, n - len(RARE))))][:n]
    return SignInSheet(plan_title="2026年龙潭镇村级站点管理员岗前培训", organizer="乡镇（龙潭镇）",
                       date=dt.date(2026, 11, 5), time_label="09:00–11:30", place="龙潭镇党员活动室",
                       instructor="王堃", hours=2.5,
                       rows=tuple(SignInRow(name, unit, "村站点管理员 A岗") for name in names),
                       session_number=number, session_count=count)


# --- sign-in sheets --------------------------------------------------------------------------------

def test_sign_in_sheet_embeds_the_font_and_prints_rare_names(tmp_path: Path) -> None:
    path = write(tmp_path, render_sign_in_sheets([sheet(5)]))
    assert_only_embedded_font(path)
    out = text(path)
    for name in RARE:
        assert name in out
    assert "2026年龙潭镇村级站点管理员岗前培训 签到表" in out
    for label in ("培训时间：2026年11月05日（星期四） 09:00–11:30", "地点：龙潭镇党员活动室", "授课人：王堃",
                  "学时：2.5", "组织单位：乡镇（龙潭镇）", "应到：5 人", "组织单位（盖章）", "日期："):
        assert label in out, label
    assert re.search(r"序号\s+姓名\s+单位\s+岗位\s+签到\s+备注", out)
    assert page_of(out, 1, 1)
    assert pages(path) == 1


def test_rows_are_tall_enough_to_sign_and_fill_a_page() -> None:
    per_page = sign_in_rows_per_page()
    assert 18 <= per_page <= 26  # ~9.5 mm rows on A4 under the header block
    assert sum(w for _h, w, _a in SIGN_IN_COLUMNS) == pytest.approx(180)  # 210 mm less 2 × 15 mm margins
    widths = {h: w for h, w, _a in SIGN_IN_COLUMNS}
    assert widths["签到"] == max(widths.values())


def test_pages_grow_with_rows_and_the_header_repeats(tmp_path: Path) -> None:
    per_page = sign_in_rows_per_page()
    one = write(tmp_path, render_sign_in_sheets([sheet(per_page)]), "one.pdf")
    assert pages(one) == 1
    two = write(tmp_path, render_sign_in_sheets([sheet(per_page + 1)]), "two.pdf")
    assert pages(two) == 2 == sign_in_pages(sheet(per_page + 1))
    for page in (1, 2):
        out = text(two, page)
        assert "签到表" in out and "培训时间" in out
        assert re.search(r"序号\s+姓名\s+单位\s+岗位\s+签到\s+备注", out), f"no table header on page {page}"
        assert page_of(out, page, 2)
    assert re.search(rf"^\s*{per_page + 1}\s+赵", text(two, 2), re.M), "numbering goes on across pages"
    assert "王喆" in text(two, 1) and "王喆" not in text(two, 2)


def test_each_session_is_numbered_on_its_own(tmp_path: Path) -> None:
    per_page = sign_in_rows_per_page()
    path = write(tmp_path, render_sign_in_sheets([sheet(per_page + 1, number=1, count=2),
                                                  sheet(per_page + 1, number=2, count=2)]))
    assert pages(path) == 4
    third = text(path, 3)
    assert page_of(third, 1, 2) and "课次：第 2 次（共 2 次）" in third
    assert "王喆" in third  # the second session's sheet starts with the first name again


def test_an_empty_sheet_is_one_page_of_blank_rows(tmp_path: Path) -> None:
    path = write(tmp_path, render_sign_in_sheets([sheet(0)]))
    assert pages(path) == 1
    assert "应到：0 人" in text(path)


def test_long_unit_names_shrink_inside_their_cell(tmp_path: Path) -> None:
    path = write(tmp_path, render_sign_in_sheets([sheet(3, unit=LONG_UNIT)]))
    # Word boxes (points from the page's top left): every piece of the unit lies inside the unit column.
    left = 15 * mm + sum(w for h, w, _a in SIGN_IN_COLUMNS[:2]) * mm
    right = left + SIGN_IN_COLUMNS[2][1] * mm
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    boxes = [(float(a), float(b), w) for a, b, w in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"'
                                                                 r' yMax="[\d.]+">([^<]*)</word>', bbox)]
    unit_words = [(a, b, w) for a, b, w in boxes if len(w) > 1 and w.rstrip("…") in LONG_UNIT]
    assert len(unit_words) >= 3 * 2  # two lines in each of the three rows
    for x_min, x_max, word in unit_words:
        assert left <= x_min and x_max <= right, (word, x_min, x_max, left, right)


def test_fit_text_shrinks_then_wraps_then_cuts() -> None:
    font = register_fonts()
    width, height = 40 * mm, 9.5 * mm
    size, lines = fit_text("龙潭镇 / 杨家村", width, height, font, 10.5)
    assert (size, lines) == (10.5, ["龙潭镇 / 杨家村"])
    # A little smaller on one line first; then two lines at the largest size, split at a space.
    size, lines = fit_text("村站点管理员 B岗", 28.5 * mm, height, font, 10.5)
    assert 10.5 * 0.8 <= size < 10.5 and lines == ["村站点管理员 B岗"]
    size, lines = fit_text("龙潭镇石桥村 / 青山县远程教育站", width, height, font, 10.5)
    assert (size, lines) == (10.5, ["龙潭镇石桥村 /", "青山县远程教育站"])
    middle = "龙潭镇 / 青山县龙潭镇人民政府党政综合办公室远程教育站点"
    size, lines = fit_text(middle, width, height, font, 10.5)
    assert 6.0 < size < 10.5 and len(lines) == 2
    assert all(stringWidth(line, font, size) <= width for line in lines)
    assert "".join(lines) == middle
    size, lines = fit_text(LONG_UNIT * 3, width, height, font, 10.5)
    assert size == 6.0 and len(lines) == 2 and lines[-1].endswith("…")
    assert all(stringWidth(line, font, size) <= width for line in lines)
    size, line = one_line(LONG_UNIT, 30 * mm, font, 10.5)
    assert line.endswith("…") and stringWidth(line, font, size) <= 30 * mm


# --- the roster of a plan --------------------------------------------------------------------------

def roster(n: int) -> PlanRoster:
    results = (RESULT_PASSED, RESULT_FAILED, RESULT_NOT_ASSESSED)
    rows = tuple(RosterRow(name=(RARE[i] if i < 3 else f"钱{i:03d}"), gender="男" if i % 2 else "女",
                           unit="龙潭镇 / 杨家村" if i else LONG_UNIT, post="村站点管理员 B岗", lecture_hours=7.5,
                           self_study_hours=4.0, score=(None if i % 3 == 2 else 55.0 + i % 3 * 30),
                           result=results[i % 3]) for i in range(n))
    return PlanRoster(title="2026年龙潭镇村级站点管理员岗前培训", year=2026, organizer="乡镇（龙潭镇）",
                      target="村级 村站点管理员", kind="岗前培训", mode="集中与自学结合",
                      topics=("远程教育指导意见", "平台知识", "站点设备操作维护"), planned_hours=10.0, pass_mark=60.0,
                      period="2026年11月05日 至 2026年11月08日", session_count=4, rows=rows)


def test_plan_roster_has_the_plan_block_and_every_person(tmp_path: Path) -> None:
    path = write(tmp_path, render_plan_roster(roster(6), printed_on=dt.date(2026, 11, 9)))
    assert_only_embedded_font(path)
    out = text(path)
    assert "2026年龙潭镇村级站点管理员岗前培训 培训花名册" in out
    for label in ("乡镇（龙潭镇）", "村级 村站点管理员", "岗前培训", "集中与自学结合", "10 学时", "60 分",
                  "远程教育指导意见、平台知识、站点设备操作维护", "2026年11月05日 至 2026年11月08日",
                  "制表日期：2026年11月09日"):
        assert label in out, label
    assert "报名 6 人，其中合格 2 人、不合格 2 人、未考核 2 人" in out
    for name in RARE:
        assert name in out
    assert re.search(r"王喆\s+女\s+", out)
    assert RESULT_NOT_ASSESSED in out and RESULT_FAILED in out


def test_roster_pages_grow_and_the_header_repeats(tmp_path: Path) -> None:
    short = write(tmp_path, render_plan_roster(roster(5)), "short.pdf")
    long = write(tmp_path, render_plan_roster(roster(120)), "long.pdf")
    assert pages(short) == 1
    n = pages(long)
    assert n >= 3
    for page in range(1, n + 1):
        out = text(long, page)
        assert re.search(r"序号\s+姓名\s+性别\s+单位\s+岗位", out), f"no header on page {page}"
        assert page_of(out, page, n)
    assert "钱119" in text(long, n)


# --- the training record ---------------------------------------------------------------------------

def record(name: str, trainings: int) -> TrainingRecordSheet:
    entries = tuple(TrainingEntry(year=2025 + i % 2, title=f"第{i + 1}期村级站点管理员岗前培训", organizer="县远程办（青山县）",
                                  kind="岗前培训", mode="集中授课", lecture_hours=2.5, self_study_hours=1.0,
                                  score=80.0 if i % 2 else None, result=RESULT_PASSED if i % 2 else RESULT_NOT_ASSESSED)
                    for i in range(trainings))
    years = tuple(YearHoursRow(y, sum(1 for e in entries if e.year == y), sum(e.lecture_hours for e in entries
                                                                             if e.year == y),
                               sum(e.self_study_hours for e in entries if e.year == y)) for y in (2025, 2026))
    return TrainingRecordSheet(name=name, gender="女", unit="龙潭镇 / 杨家村", post="村站点管理员 A岗", entries=entries,
                               years=years if trainings else ())


def test_training_record_per_person_with_hours_per_year(tmp_path: Path) -> None:
    path = write(tmp_path, render_training_records([record("张玥", 4), record("李堃", 0)],
                                                   printed_on=dt.date(2026, 11, 9)))
    assert_only_embedded_font(path)
    assert pages(path) == 2
    first, second = text(path, 1), text(path, 2)
    assert "培训记录" in first and "张玥" in first and "龙潭镇 / 杨家村" in first and "村站点管理员 A岗" in first
    assert "第1期" in first and "第4期" in first and "县远程办（青山县）" in first
    assert re.search(r"2025年\s+2\s+5\s+2\s+7", first)  # year, trainings, lecture, self-study, total
    assert re.search(r"合计\s+4\s+10\s+4\s+14", first)
    assert page_of(first, 1, 1) and "打印日期：2026年11月09日" in first
    assert "李堃" in second and "暂无培训记录" in second and page_of(second, 1, 1)


def test_a_long_record_runs_over_pages_numbered_per_person(tmp_path: Path) -> None:
    path = write(tmp_path, render_training_records([record("王喆", 60), record("李堃", 1)]))
    n = pages(path)
    assert n >= 3
    assert page_of(text(path, 1), 1, n - 1)
    assert re.search(r"年度\s+培训名称\s+组织单位", text(path, 2)), "the table header repeats"
    assert page_of(text(path, n), 1, 1) and "李堃" in text(path, n)


# --- small helpers ---------------------------------------------------------------------------------

def test_labels_and_numbers() -> None:
    assert result_label(True) == "合格" and result_label(False) == "不合格" and result_label(None) == "未考核"
    assert hours_text(2.0) == "2" and hours_text(2.5) == "2.5" and hours_text(None) == "" and hours_text(0.1 + 0.2) == "0.3"
    assert cn_date(dt.date(2026, 11, 5), weekday=True) == "2026年11月05日（星期四）"
    assert cn_date(None) == ""
