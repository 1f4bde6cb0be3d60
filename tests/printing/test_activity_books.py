"""The work-record book (工作记录簿) and the monthly report card (月报卡) of a site (R13, R9): real PDFs read
back with poppler (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from remoteedu_desktop.printing.activity_books import (
    BOOK_TITLE,
    CARD_TITLE,
    BookEntry,
    ChannelTotal,
    MonthlyReportCard,
    WorkRecordBook,
    book_pages,
    book_rows_per_page,
    render_documents,
    render_report_cards,
    render_work_record_books,
)
from remoteedu_desktop.printing.fonts import GlyphError

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                reason="poppler-utils not installed")

LONG = "送技术入户：蔬菜大棚管理、病虫害绿色防控、水肥一体化滴灌设备安装与调试、冬季保温及采收后的商品化处理现场教学"


def write(tmp_path: Path, data: bytes, name: str = "f.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(path: Path, page: int | None = None) -> str:
    """The text without any whitespace (pdftotext -layout spaces CJK columns at will)."""
    return re.sub(r"\s+", "", text(path, page))


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def page_sizes(path: Path) -> list[str]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return re.findall(r"Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", out)


def assert_fonts_embedded(path: Path) -> None:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [r for r in out.splitlines()[2:] if r.strip()]
    assert rows, "no font at all"
    for row in rows:  # name type encoding emb sub uni object ID
        assert row.split()[-5] == "yes", row
    assert "Helvetica" not in out and "STSong" not in out


def entry(day: int, content: str = "科技下乡：油茶低改技术", *, tutors: str = "王五、赵六", participants: int = 30,
          hours: float = 2.5, channel: str = "科技下乡", notes: str = "") -> BookEntry:
    return BookEntry(dt.date(2026, 6, day), channel, content, tutors, participants, hours, notes)


def book(entries: tuple[BookEntry, ...] = (), *, site: str = "杨家村") -> WorkRecordBook:
    return WorkRecordBook(site_name=site, site_code="360499100201", township="龙潭镇", county="青山县", year=2026,
                          month=6, manager="张三、李四", entries=entries)


def card(*, site: str = "杨家村", faults_open: int = 1) -> MonthlyReportCard:
    channels = (ChannelTotal("专家讲座", 0, 0, 0.0), ChannelTotal("科技下乡", 2, 45, 4.5),
                ChannelTotal("课件播放", 3, 60, 3.0))
    return MonthlyReportCard(site_name=site, site_code="360499100201", township="龙潭镇", county="青山县",
                             year=2026, month=6, manager="张三、李四", channels=channels, equipment_in_service=2,
                             faults_reported=3, faults_open=faults_open, faults_as_of=dt.date(2026, 6, 30))


def test_book_page_has_title_site_month_columns_entries_totals_and_signature(tmp_path: Path) -> None:
    """The ledger layout: title, site, month, the seven columns, the entries, totals, 站点管理员签字 (R13)."""
    pdf = write(tmp_path, render_work_record_books([book((entry(5), entry(20, "课件播放：农村实用技术",
                                                                          tutors="", participants=12, hours=1,
                                                                          channel="课件播放", notes="停电改期")))]))
    out = flat(pdf)
    assert page_count(pdf) == 1
    for needle in (BOOK_TITLE, "龙潭镇杨家村（360499100201）", "2026年06月", "站点管理员：张三、李四", "日期",
                   "形式（渠道）", "内容", "辅导员", "参加人数", "时长（小时）", "备注", "6月5日", "科技下乡：油茶低改技术",
                   "王五、赵六", "6月20日", "课件播放：农村实用技术", "停电改期", "站点管理员签字", "第1页共1页",
                   "本月合计：开展活动2次，参加42人次，时长3.5小时"):
        assert needle in out, needle
    assert_fonts_embedded(pdf)
    assert page_sizes(pdf) == ["841.89 x 595.276"]  # A4 landscape


def test_book_with_few_entries_is_one_page_of_blank_rows(tmp_path: Path) -> None:
    """A month without activities still prints: one page of blank rows to fill by hand."""
    empty = book()
    assert book_pages(empty) == 1
    pdf = write(tmp_path, render_work_record_books([empty]))
    out = flat(pdf)
    assert page_count(pdf) == 1 and "开展活动0次" in out and "站点管理员签字" in out


def test_long_book_continues_on_numbered_pages(tmp_path: Path) -> None:
    """More entries than rows: continued pages, "第 x 页 共 y 页" per site, totals on the last page only;
    a long content stays inside its cell (shrunk or cut, never spilling into the next column)."""
    per_page = book_rows_per_page()
    assert per_page >= 10
    many = tuple(entry(1 + n % 28, LONG * 3 if n == 0 else f"第{n + 1}次活动") for n in range(per_page + 3))
    pdf = write(tmp_path, render_work_record_books([book(many), book((entry(2),), site="李家村")]))
    assert page_count(pdf) == 3
    first, second, third = flat(pdf, 1), flat(pdf, 2), flat(pdf, 3)
    assert "第1页共2页" in first and "续下页" in first and "本月合计" not in first
    assert "第2页共2页" in second and f"开展活动{per_page + 3}次" in second
    assert f"第{per_page + 3}次活动" in second
    assert "李家村" in third and "第1页共1页" in third
    assert "送技术入户：蔬菜大棚管理" in first
    assert "…" in first  # cut with "…" rather than drawn past the cell


def test_report_card_totals_equipment_and_signature_lines(tmp_path: Path) -> None:
    """One card per site: per channel (zeros too), the total, the equipment line (R9), 填报人 / 日期."""
    pdf = write(tmp_path, render_report_cards([card(), card(site="李家村", faults_open=0)]))
    assert page_count(pdf) == 2
    assert page_sizes(pdf) == ["595.276 x 841.89"] * 2  # A4 portrait
    one = flat(pdf, 1)
    for needle in (CARD_TITLE, "2026年06月", "杨家村", "360499100201", "青山县龙潭镇", "张三、李四", "专家讲座",
                   "科技下乡", "课件播放", "合计", "5", "105", "7.5", "在用设备2台", "本月报修3次",
                   "未修复故障1起", "有1起故障未修复", "填报人", "填报日期", "审核"):
        assert needle in one, needle
    assert re.search(r"合计510\d*7\.5", one), one  # 合计 | 5 | 105 | 7.5
    assert "运行正常" in flat(pdf, 2)
    assert_fonts_embedded(pdf)


def test_batch_interleaves_book_and_card_per_site_with_progress(tmp_path: Path) -> None:
    steps = render_documents([book((entry(3),)), book(site="李家村")], [card(), card(site="李家村")],
                             interleave=True)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            data = stop.value
            break
    pdf = write(tmp_path, data)
    assert page_count(pdf) == 4
    assert [BOOK_TITLE in flat(pdf, p) for p in range(1, 5)] == [True, False, True, False]
    assert "李家村" in flat(pdf, 3) and "李家村" in flat(pdf, 4) and "杨家村" in flat(pdf, 2)
    assert [d for d, _t, _x in progress] == [0, 1, 2, 3, 4] and all(t == 4 for _d, t, _x in progress)
    assert "李家村" in progress[2][2]


def test_rare_characters_print_and_a_missing_glyph_is_refused(tmp_path: Path) -> None:
    """No empty boxes: a rare name prints through the fallback font; a character no font has is refused."""
    pdf = write(tmp_path, render_work_record_books([book((entry(5, tutors="欧阳𬌗㐀"),))]))
    assert "欧阳𬌗㐀" in flat(pdf)
    assert_fonts_embedded(pdf)
    with pytest.raises(GlyphError):
        render_work_record_books([book((entry(5, tutors="\U000f0000"),))])


def test_empty_batch_is_still_a_pdf(tmp_path: Path) -> None:
    pdf = write(tmp_path, render_report_cards([]))
    assert page_count(pdf) == 1
