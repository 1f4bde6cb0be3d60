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

from remoteedu_desktop.printing.fonts import GlyphError, string_width
from remoteedu_desktop.printing.report_pdf import (
    cell_text,
    is_subtotal,
    report_pdf,
    report_pdf_steps,
    wrap_lines,
)
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


# --- drawn on the canvas: measured lines, the header on every page, the notes after the table ---------------

def test_wrap_lines_breaks_only_what_is_too_wide_and_keeps_punctuation_with_its_words() -> None:
    assert list(wrap_lines("第1镇 第1镇1村", 200, 9)) == [("第1镇 第1镇1村", string_width("第1镇 第1镇1村", 9))]
    lines = [text for text, _w in wrap_lines("乡镇站点管理员（兼职）", 9 * 10.5, 9)]
    assert lines == ["乡镇站点管理员（兼职）"]  # the closing bracket hangs, as ReportLab's CJK wrap does
    lines = [text for text, _w in wrap_lines("平均响应（小时）", 9 * 5.5, 9)]
    assert lines == ["平均响应", "（小时）"]  # an opening bracket goes down with what it opens
    lines = wrap_lines(LONG, 100, 9)
    assert "".join(text for text, _w in lines) == LONG and len(lines) > 5
    assert all(w <= 100 for _t, w in lines) and all(w == string_width(t, 9) for t, w in lines)
    assert [t for t, _w in wrap_lines("一\n二", 100, 9)] == ["一", "二"]


def test_numbers_are_right_aligned_and_text_left_aligned_in_their_columns(tmp_path: Path) -> None:
    path = write(tmp_path, report_pdf(table(rows=(("甲", 7, 2.5), ("乙", 12345, 8.0)), totals=("合计", 12352, 10.5))))
    col = (595.276 - 2 * 14 * mm) / 3
    by_char: dict[str, list[LTChar]] = {}
    for ch in _chars(path, set("甲乙753")):
        by_char.setdefault(ch.get_text(), []).append(ch)
    assert all(abs(c.x0 - (14 * mm + 2.5)) < 1 for c in by_char["甲"] + by_char["乙"])  # left, after the padding
    right_edge = 14 * mm + 2 * col - 2.5
    assert any(abs(c.x1 - right_edge) < 1 for c in by_char["7"])  # 7 ends at the column's right padding
    assert any(abs(c.x1 - right_edge) < 1 for c in by_char["5"])  # …and so does 12345


def test_the_header_repeats_at_the_same_place_and_a_wrapped_row_is_never_split(tmp_path: Path) -> None:
    rows = tuple((f"r{n}", LONG[: 10 + n % 40] if n % 7 == 0 else "短", n) for n in range(1, 161))
    path = write(tmp_path, report_pdf(table(rows=rows, headers=("甲列", "乙列", "丙列"))))
    count = pages(path)
    assert count >= 4
    heads: dict[int, list[tuple[float, float]]] = {}
    for number, page in enumerate(extract_pages(str(path)), start=1):
        found: list[LTChar] = []

        def walk(item: LTComponent, found: list[LTChar] = found) -> None:
            if isinstance(item, LTChar) and item.get_text() in "甲乙丙列":
                found.append(item)
            for child in getattr(item, "_objs", []) or []:
                walk(child)

        walk(page)
        top = max(c.y1 for c in found)
        heads[number] = sorted((round(c.x0, 1), round(c.y0, 1)) for c in found if c.y1 > top - 3)
    assert all(heads[n] == heads[2] for n in range(3, count + 1))  # the same header on every later page
    assert [x for x, _y in heads[1]] == [x for x, _y in heads[2]]  # …in the same columns as on page 1
    text = "".join(flat(path, n) for n in range(1, count + 1))
    for n in range(7, 161, 7):  # each wrapped cell whole, on one page
        assert any(LONG[: 10 + n % 40] in re.sub(r"r\d+|\d+", "", flat(path, p)) for p in range(1, count + 1)), n
    assert all(f"r{n}" in text for n in range(1, 161))
    assert all(c.y0 > 12 * mm + 9 * mm for c in _chars(path, {"r", "短"}))  # the rows stay above the footer


def test_notes_that_do_not_fit_go_on_a_page_of_their_own_with_the_footer(tmp_path: Path) -> None:
    rows = tuple((f"r{n}", n, n) for n in range(1, 40))
    notes = tuple(f"说明第{n}条：{'按计划年度统计' * 3}。" for n in range(1, 61))
    t = ReportTable(key="t", title="测试报表", office_name="龙潭镇", prepared_by="李会计", made_on=DAY, params="",
                    headers=("A", "B", "C"), rows=rows, totals=None, widths=(1.0, 1.0, 1.0), notes=notes)
    path = write(tmp_path, report_pdf(t))
    count = pages(path)
    assert count >= 3
    last = flat(path, count)
    assert "说明第60条" in last and "ABC" not in last  # no table header on a page of notes
    assert f"第{count}页共{count}页" in last and "制表人：李会计" in last
    everything = "".join(flat(path, n) for n in range(1, count + 1))
    assert all(f"说明第{n}条" in everything for n in range(1, 61))
    notes_chars = _chars(path, set("说"))
    assert all(c.y0 > 12 * mm + 9 * mm for c in notes_chars)  # above the footer


def test_a_fallback_character_in_a_long_cell_wraps_and_prints(tmp_path: Path) -> None:
    text = ("杨家村㐀十二组" * 12)
    path = write(tmp_path, report_pdf(table(rows=(("x", text, 1),))))
    assert text in re.sub("[x1]", "", flat(path))
    chars = _chars(path, {"㐀"})
    assert len(chars) == 12 and all("Noto" in c.fontname for c in chars)
