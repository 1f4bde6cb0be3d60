"""The report PDF (issue 8 item 2), read back from real files with poppler (pdftotext, pdffonts, pdfinfo) and
pdfminer.six (character boxes): title, office, parameters, date, "prepared by", page x of y on every page,
the header repeated, fonts embedded, a long cell wrapped inside its column, a missing glyph refused."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent
from reportlab.lib.units import mm

from remoteedu_desktop.printing.fonts import GlyphError
from remoteedu_desktop.printing.report_pdf import cell_text, is_subtotal, report_pdf, report_pdf_steps
from remoteedu_desktop.services.report_model import ReportTable

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils not installed")

LONG = "杨家村十二组远程教育终端接收站点管理员办公室" * 4
DAY = dt.date(2026, 6, 30)


def table(rows: tuple[tuple[object, ...], ...] = (("a1", 1, 2.5),), *, landscape: bool = False,
          totals: tuple[object, ...] | None = ("合计", 1, 2.5), widths: tuple[float, ...] = (1.0, 1.0, 1.0),
          headers: tuple[str, ...] = ("A", "B", "C")) -> ReportTable:
    return ReportTable(key="t", title="测试报表", office_name="龙潭镇", prepared_by="李会计", made_on=DAY,
                       params="年度：2026年；范围：龙潭镇", headers=headers, rows=rows, totals=totals, widths=widths,
                       notes=("说明：按计划年度统计。",), landscape=landscape)


def write(tmp_path: Path, data: bytes, name: str = "r.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def flat(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", info(path), re.M).group(1))  # type: ignore[union-attr]


def test_the_frame_reads_back(tmp_path: Path) -> None:
    path = write(tmp_path, report_pdf(table()))
    text = flat(path)
    for expected in ("测试报表", "填报单位：龙潭镇", "年度：2026年；范围：龙潭镇", "ABC", "a112.5", "合计12.5",
                     "说明：按计划年度统计。", "制表人：李会计", "制表日期：2026年06月30日", "第1页共1页"):
        assert expected in text, expected
    assert "595.276 x 841.89" in info(path)  # portrait A4


def test_fonts_are_embedded_and_nothing_else_is_listed(tmp_path: Path) -> None:
    path = write(tmp_path, report_pdf(table(rows=(("龙潭镇", 1, 2.0), ("㐀", 2, 3.0)))))  # 㐀: the fallback font
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [r for r in out.splitlines()[2:] if r.strip()]
    assert len(rows) >= 2
    for row in rows:
        assert row.split()[-5] == "yes", row  # emb
    assert "Helvetica" not in out
    assert "㐀" in flat(path)


def test_long_rows_run_to_several_pages_each_with_the_header_and_page_x_of_y(tmp_path: Path) -> None:
    rows = tuple((f"r{n}", n, n / 2) for n in range(1, 121))
    steps = report_pdf_steps(table(rows=rows, landscape=True))
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as stop:
            data = stop.value
            break
    assert seen[0][:2] == (0, 120) and seen[-1][:2] == (120, 120)
    path = write(tmp_path, data)
    count = pages(path)
    assert count >= 3
    assert "841.89 x 595.276" in info(path)  # landscape
    for page in range(1, count + 1):
        text = flat(path, page)
        assert f"第{page}页共{count}页" in text
        assert "制表人：李会计" in text
        assert text.count("ABC") >= 1  # the header row repeats
    assert "r120" in flat(path, count) and "合计" in flat(path, count)


def _chars(path: Path, wanted: set[str]) -> list[LTChar]:
    found: list[LTChar] = []

    def walk(item: LTComponent) -> None:
        if isinstance(item, LTChar) and item.get_text() in wanted:
            found.append(item)
        for child in getattr(item, "_objs", []) or []:
            walk(child)

    for page in extract_pages(str(path)):
        walk(page)
    return found


def test_a_long_cell_wraps_inside_its_column(tmp_path: Path) -> None:
    t = table(rows=(("x", LONG, 1),), widths=(1.0, 1.0, 1.0))
    path = write(tmp_path, report_pdf(t))
    assert LONG in re.sub("[x1]", "", flat(path))  # nothing lost (the short cells sit beside its middle line)
    page_w = 595.276
    col = (page_w - 2 * 14 * mm) / 3
    left, right = 14 * mm + col, 14 * mm + 2 * col
    chars = _chars(path, set(LONG))
    assert len(chars) == len(LONG)
    assert all(left - 0.5 <= c.x0 and c.x1 <= right + 0.5 for c in chars)  # inside the middle column
    assert len({round(c.y0) for c in chars}) >= 4  # wrapped onto several lines


def test_a_character_no_font_has_is_refused_by_name() -> None:
    with pytest.raises(GlyphError, match="U\\+F0000"):
        report_pdf(table(rows=(("\U000F0000", 1, 1),)))


def test_an_empty_report_says_so(tmp_path: Path) -> None:
    path = write(tmp_path, report_pdf(table(rows=(), totals=None)))
    assert "（无数据）" in flat(path)


def test_cell_text_and_subtotals() -> None:
    assert [cell_text(v) for v in (None, 2.0, 2.456, 3, dt.date(2026, 1, 2), "x", True)] == [
        "", "2", "2.46", "3", "2026-01-02", "x", "是"]
    assert is_subtotal(("龙潭镇 小计", "站点 3 个"))
    assert is_subtotal(("龙潭镇", "小计", 1))
    assert not is_subtotal(("龙潭镇", "杨家村小计站", 1))
