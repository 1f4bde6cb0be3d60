"""Honour certificates and the award list (R14): real PDFs read back with poppler (pdftotext, pdffonts,
pdfinfo, pdfimages)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from remoteedu_desktop.printing import honour_certificates as hc
from remoteedu_desktop.printing.fonts import GlyphError, string_width

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                reason="poppler-utils not installed")

ON = dt.date(2026, 1, 20)
ISSUER = "中共青山县委组织部"


def write(tmp_path: Path, data: bytes, name: str = "f.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-layout", *pages, str(path), "-")


def info(path: Path) -> str:
    return run("pdfinfo", str(path))


def assert_only_embedded_fonts(path: Path) -> None:
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows
    for row in rows:
        assert "LXGWWenKai" in row or "NotoSerifCJK" in row, row
        assert row.split()[-5] == "yes", row


def seal_png() -> bytes:
    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((8, 8, 192, 192), outline=(200, 0, 0, 255), width=10)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def cert(name: str = "王喆", **kw: object) -> hc.HonourCertificate:
    fields: dict[str, object] = {"name": name, "year": 2025, "award": "优秀站点管理员", "issuer": ISSUER, "date": ON}
    fields.update(kw)
    return hc.HonourCertificate(**fields)  # type: ignore[arg-type]


# --- the honour certificate ------------------------------------------------------------------------

def test_certificate_wording_on_a_landscape_page(tmp_path: Path) -> None:
    """R14: "荣誉证书", "<姓名> 同志：", the citation, issuer and date; A4 landscape, fonts embedded."""
    path = write(tmp_path, hc.render_honour_certificates([cert()]))
    assert_only_embedded_fonts(path)
    assert re.search(r"Page size:\s+841\.89 x 595\.2", info(path))
    out = re.sub(r"\s+", "", text(path))
    assert "荣誉证书" in out
    assert "王喆同志：" in out
    assert "在2025年度农村党员干部现代远程教育工作中成绩突出，被评为优秀站点管理员。特发此证，以资鼓励。" in out
    assert ISSUER in out and "二〇二六年一月二十日" in out


def test_one_page_per_certificate_and_progress(tmp_path: Path) -> None:
    sheets = [cert(f"赵{n}") for n in range(3)] + [cert("龙潭镇杨家村站点", award="远程教育示范站点", is_site=True)]
    steps = list(_steps(hc.render_honour_certificates_steps(sheets)))
    data = steps[-1]
    assert isinstance(data, bytes)
    progress = steps[:-1]
    assert progress[0] == (0, 4, "正在生成荣誉证书 1/4：赵0") and progress[-1][:2] == (4, 4)
    path = write(tmp_path, data)
    assert re.search(r"Pages:\s+4", info(path))
    last = re.sub(r"\s+", "", text(path, 4))
    assert "龙潭镇杨家村站点：" in last and "同志" not in last and "被评为远程教育示范站点" in last


def _steps(gen: object) -> list[object]:
    out: list[object] = []
    while True:
        try:
            out.append(next(gen))  # type: ignore[call-overload]
        except StopIteration as stop:
            out.append(stop.value)
            return out


def test_the_seal_is_printed_when_given(tmp_path: Path) -> None:
    with_seal = write(tmp_path, hc.render_honour_certificates([cert(seal=seal_png())]), "a.pdf")
    without = write(tmp_path, hc.render_honour_certificates([cert()]), "b.pdf")
    assert len(run("pdfimages", "-list", str(with_seal)).splitlines()[2:]) >= 1
    assert run("pdfimages", "-list", str(without)).splitlines()[2:] == []


def test_a_blank_date_and_rare_characters(tmp_path: Path) -> None:
    path = write(tmp_path, hc.render_honour_certificates([cert("李堃", date=None)]))
    out = text(path)
    assert "李堃" in out and "年" in out and "二〇" not in out
    with pytest.raises(GlyphError):
        hc.render_honour_certificates([cert("王\ue000")])


def test_long_names_and_issuers_shrink_rather_than_overflow(tmp_path: Path) -> None:
    long_name = "青山县龙潭镇人民政府党政综合办公室远程教育终端接收站点第二分站附属非公企业站点联合体"
    long_issuer = "中共青山县委农村党员干部现代远程教育工作领导小组办公室暨县委组织部电化教育中心"
    path = write(tmp_path, hc.render_honour_certificates([cert(long_name, issuer=long_issuer, is_site=True)]))
    out = re.sub(r"\s+", "", text(path))
    assert long_name in out and long_issuer in out
    # pdftotext -bbox: every word lies inside the inner frame.
    bbox = run("pdftotext", "-bbox", str(path), "-")
    xs = [float(v) for v in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert xs and max(xs) < 841.89 - 14 * 72 / 25.4


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2026, 1, 20), "二〇二六年一月二十日"), (dt.date(2025, 12, 31), "二〇二五年十二月三十一日"),
    (dt.date(2030, 10, 5), "二〇三〇年十月五日"), (dt.date(2026, 11, 19), "二〇二六年十一月十九日"),
])
def test_dates_in_chinese_numerals(day: dt.date, expected: str) -> None:
    assert hc.cn_upper_date(day) == expected


def test_closing_punctuation_never_starts_a_line() -> None:
    citation = cert().citation
    for size in (14.0, 18.0, 20.0, 24.0, 30.0):
        for width in (150.0, 220.0, 300.0, 420.0):
            lines = hc.wrap_chars(citation, width, size)
            assert "".join(lines) == citation
            assert all(line[0] not in "，。、；：" for line in lines[1:]), lines
            assert all(string_width(line[:-1], size) <= width for line in lines)


# --- the award list --------------------------------------------------------------------------------

def award_list(n: int, *, final: bool = True) -> hc.AwardList:
    rows = tuple(hc.AwardListRow(f"张{k:02d}" if k else "王喆", "龙潭镇杨家村站点", "村站点管理员", "优秀站点管理员")
                 for k in range(n))
    return hc.AwardList("2025年度优秀站点管理员表彰名单", "青远教字〔2026〕1号" if final else "", ISSUER,
                        ON if final else None, rows, final=final)


def test_award_list_has_title_document_number_and_table(tmp_path: Path) -> None:
    """R14: 表彰名单 with 文号 and 序号/姓名/单位/岗位/奖项."""
    path = write(tmp_path, hc.render_award_list(award_list(3)))
    assert_only_embedded_fonts(path)
    out = text(path)
    assert "2025年度优秀站点管理员表彰名单" in out
    assert "文号：青远教字〔2026〕1号" in out and re.search(r"共\s*3\s*名", out)
    assert re.search(r"序号\s+姓名\s+单位\s+岗位\s+奖项", out)
    assert re.search(r"1\s+王喆\s+龙潭镇杨家村站点\s+村站点管理员\s+优秀站点管理员", out)
    assert ISSUER in out and "2026年01月20日" in out
    assert "草稿" not in out


def test_a_long_award_list_repeats_its_header_and_numbers_pages(tmp_path: Path) -> None:
    path = write(tmp_path, hc.render_award_list(award_list(80)))
    pages = int(re.search(r"Pages:\s+(\d+)", info(path)).group(1))  # type: ignore[union-attr]
    assert pages >= 2
    for page in range(1, pages + 1):
        out = text(path, page)
        assert re.search(r"序号\s+姓名\s+单位\s+岗位\s+奖项", out), page
        assert re.search(rf"第\s*{page}\s*页\s*共\s*{pages}\s*页", out), page
    assert "80" in text(path, pages)


def test_a_draft_list_says_so(tmp_path: Path) -> None:
    out = text(write(tmp_path, hc.render_award_list(award_list(2, final=False))))
    assert "评选尚未结束，名单为草稿" in out and "文号" not in out
