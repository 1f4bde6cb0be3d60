"""The yearly evaluation form (年度考评表, R14): real PDFs read back with poppler (pdfinfo, pdffonts,
pdftotext with word boxes, pdfimages)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from remoteedu_desktop.printing.evaluation_forms import (
    UNFIT_NOTE,
    EvaluationForm,
    FormItem,
    number,
    person_fields,
    rank_text,
    render_forms,
    render_forms_steps,
    site_fields,
    wrap_lines,
)
from remoteedu_desktop.printing.fonts import GlyphError, register_fonts, string_width

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
                                reason="poppler-utils not installed")

LONG_UNIT = "龙潭镇 / 青山县龙潭镇人民政府党政综合办公室远程教育终端接收站点（第二分站）附属非公企业站点"
ITEMS = (
    FormItem("组织开展远程教育学习活动", "score", 30, 30, 27.0),
    FormItem("站点设备管理与安全运行", "score", 20, 20, 18.0),
    FormItem("参加培训和考核", "score", 10, 50, 9.0),  # max ≠ weight: prints 9 / 10 × 50 = 45
    FormItem("设备无故停播", "deduction", 10, 0, 2.0),
    FormItem("经验做法被县级媒体刊发", "bonus", 5, 0, 3.0),
)


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (250, 350), "navy").save(buf, "JPEG", quality=80)
    return buf.getvalue()


def form(name: str = "王喆", **changes: object) -> EvaluationForm:
    short, wide = person_fields(name=name, gender="男", birth="1980年05月", political_status="中共党员",
                                education="大学本科毕业", since="2024年01月", unit="龙潭镇 / 杨家村",
                                post="村站点管理员 A岗")
    base = EvaluationForm(year=2025, role="站点管理员", name=name, township="龙潭镇", short_fields=short,
                          wide_fields=wide, items=ITEMS, total=91.0, grade="优秀", rank_township=1, rank_county=3,
                          self_summary="一年来，本人认真履行站点管理员职责。", opinion="同意评定为优秀。")
    return replace(base, **changes)  # type: ignore[arg-type]


def write(tmp_path: Path, data: bytes, name: str = "f.pdf") -> Path:
    assert data.startswith(b"%PDF-")
    path = tmp_path / name
    path.write_bytes(data)
    return path


def text(path: Path, page: int | None = None, *, layout: bool = True) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    mode = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *mode, *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def images(path: Path) -> int:
    out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines()[2:])


def word_boxes(path: Path) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of every word, in points from the top left."""
    raw = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout
    out = raw.decode("utf-8", errors="replace")  # poppler writes characters above U+FFFF as surrogates here
    return [(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)]


def assert_only_embedded_font(path: Path) -> None:
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert "LXGWWenKai" in row or "NotoSerif" in row, row
        assert row.split()[-5] == "yes", row


def test_title_blocks_and_labels_of_the_conventional_layout(tmp_path: Path) -> None:
    """Title with year and role; personal data; items; totals; the three boxes with signature lines."""
    path = write(tmp_path, render_forms([form()]))
    assert pages(path) == 1
    assert_only_embedded_font(path)
    out = text(path)
    assert "2025年度农村党员干部现代远程教育站点管理员考评表" in out
    for label in ("姓名", "性别", "出生年月", "政治面貌", "文化程度", "任职时间", "工作单位", "岗位", "序号",
                  "考评内容", "分值", "得分", "个人", "总结", "所在单位", "远教办", "本人签字", "负责人签字",
                  "（盖章）", "所在乡镇（县）：龙潭镇"):
        assert label in out, label
    assert re.search(r"乡镇（县）\s", out)
    for value in ("王喆", "1980年05月", "中共党员", "大学本科毕业", "2024年01月", "龙潭镇 / 杨家村", "村站点管理员 A岗"):
        assert value in out, value
    assert re.search(r"总\s*分\s+91\s+等\s*次\s+优秀\s+排\s*名\s+乡镇第 1 名，全县第 3 名", out)
    assert re.search(r"年\s+月\s+日", out)
    assert "一年来，本人认真履行站点管理员职责。" in out and "同意评定为优秀。" in out


def test_item_rows_show_weights_and_weighted_points_adding_up_to_the_total(tmp_path: Path) -> None:
    """分值 is the weight, 得分 the weighted points; deductions and bonuses by their caps; 合计 (R14)."""
    out = text(write(tmp_path, render_forms([form()])))
    assert re.search(r"1\s+组织开展远程教育学习活动\s+30\s+27\b", out)
    assert re.search(r"3\s+参加培训和考核\s+50\s+45\b", out)
    assert re.search(r"4\s+扣分：设备无故停播\s+最多扣10\s+−2", out)
    assert re.search(r"5\s+加分：经验做法被县级媒体刊发\s+最多加5\s+\+3", out)
    assert re.search(r"合\s*计\s+100\s+91\b", out)
    assert sum(i.contribution or 0 for i in ITEMS) == 91.0


def test_form_item_texts() -> None:
    assert [i.value_text for i in ITEMS] == ["30", "20", "50", "最多扣10", "最多加5"]
    assert [i.points_text for i in ITEMS] == ["27", "18", "45", "−2", "+3"]
    assert FormItem("x", "score", 30, 30, None).points_text == ""  # not scored: blank, to fill in by hand
    assert FormItem("x", "deduction", 5, 0, 0.0).points_text == "0"
    assert FormItem("x", "score", 3, 10, 1.0).contribution == 3.3
    assert (number(85.0), number(85.55), number(None)) == ("85", "85.5", "")


def test_one_page_per_person_and_progress(tmp_path: Path) -> None:
    forms = [form(f"赵{i:02d}") for i in range(12)]
    steps = render_forms_steps(forms)
    done = []
    while True:
        try:
            done.append(next(steps))
        except StopIteration as stop:
            pdf = stop.value
            break
    assert done == list(range(1, 13))
    path = write(tmp_path, pdf)
    assert pages(path) == 12
    for n in (1, 7, 12):
        page = text(path, n)
        assert f"赵{n - 1:02d}" in page and page.count("考评表") == 1


def test_photo_is_drawn_when_there_is_one_else_an_empty_photo_box(tmp_path: Path) -> None:
    with_photo = write(tmp_path, render_forms([form(photo=jpeg())]), "a.pdf")
    without = write(tmp_path, render_forms([form()]), "b.pdf")
    assert images(with_photo) == 1 and images(without) == 0
    assert "照片" not in text(with_photo) and "照片" in text(without)


def test_long_texts_stay_inside_the_page_and_their_cells(tmp_path: Path) -> None:
    """A long unit name shrinks or wraps; a long summary is cut with a note; nothing crosses the border."""
    long = form(name="欧阳堃𬌗", short_fields=person_fields(
        name="欧阳堃𬌗", gender="女", birth="1990年11月", political_status="中国共产党预备党员",
        education="博士研究生毕业", since="2019年03月", unit=LONG_UNIT, post="非公企业站点管理员")[0],
        wide_fields=(("工作单位", LONG_UNIT), ("岗位", "非公企业站点管理员")),
        self_summary="一年来，本人认真履行站点管理员职责，组织党员群众学习。" * 60, unfit=True)
    path = write(tmp_path, render_forms([long]))
    assert pages(path) == 1
    out = text(path, layout=False)
    assert "欧阳堃𬌗" in out  # the character above U+FFFF extracts right (fonts.fix_to_unicode)
    assert "…（全文见档案）" in out
    assert UNFIT_NOTE in out.replace("\n", "")
    left, right = 15 * mm, A4[0] - 15 * mm
    boxes = word_boxes(path)
    assert len(boxes) > 50
    for word, x0, y0, x1, y1 in boxes:
        assert left - 0.5 <= x0 and x1 <= right + 0.5, (word, x0, x1)
        assert 12 * mm - 1 <= y0 and y1 <= A4[1] - 12 * mm + 1, (word, y0, y1)


def test_many_items_still_fit_on_one_page_with_the_boxes(tmp_path: Path) -> None:
    many = tuple(FormItem(f"考评内容第{i}项", "score", 4, 4, 3.0) for i in range(25))
    path = write(tmp_path, render_forms([form(items=many, total=75.0)]))
    assert pages(path) == 1
    out = text(path)
    assert "考评内容第24项" in out and "本人签字" in out and re.search(r"合\s*计\s+100\s+75", out)
    bottom = max(y1 for _w, _x0, _y0, _x1, y1 in word_boxes(path))
    assert bottom <= A4[1] - 12 * mm + 1


def test_site_form_has_no_photo_box_and_a_work_summary(tmp_path: Path) -> None:
    short, wide = site_fields(name="杨家村远程教育站点", kind="行政村站点", code="360499100201", township="龙潭镇",
                              manager_a="王喆", manager_b="张玥", contact="王喆", address="杨家村村委会")
    site = form(name="杨家村", role="站点", short_fields=short, wide_fields=wide, kind="site", total=None, grade="",
                rank_township=None, rank_county=None)
    out = text(write(tmp_path, render_forms([site])))
    assert "2025年度农村党员干部现代远程教育站点考评表" in out
    assert "照片" not in out and "工作" in out and "站点代码" in out and "管理员B岗" in out and "张玥" in out


def test_unprintable_character_refuses_and_names_the_form() -> None:
    """A character no bundled font has would print as an empty box: refused, naming whose form (R10)."""
    bad = "\U000F0000"  # a private-use plane character
    with pytest.raises(GlyphError) as exc:
        render_forms([form(), form("李四", self_summary=f"总结{bad}")])
    assert "李四" in exc.value.text() and "U+F0000" in exc.value.text()


def test_empty_batch_is_a_valid_pdf(tmp_path: Path) -> None:
    assert pages(write(tmp_path, render_forms([]))) == 1


def test_wrap_lines_keeps_closing_punctuation_off_the_line_start() -> None:
    register_fonts()
    width = string_width("一" * 10, 10.5)
    lines = wrap_lines("一二三四五六七八九十，一二三四五六七八九。\n\n第二段", width, 10.5)
    assert all(line[0] not in "，。" for line in lines)
    assert all(string_width(line, 10.5) <= width + 0.01 for line in lines)
    assert lines[0].startswith("\u3000\u3000") and lines[-1] == "\u3000\u3000第二段"


def test_rank_text_with_the_unfit_flag() -> None:
    assert rank_text(form()) == "乡镇第 1 名，全县第 3 名"
    assert rank_text(form(rank_township=None, rank_county=None, unfit=True)) == UNFIT_NOTE
    assert rank_text(form(unfit=True)).endswith(f"；{UNFIT_NOTE}")
