"""The printed archive (档案, R10): text order, the post lines, the photo and fonts embedded, long
histories flowing onto a continuation page with the name in its header."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from dataclasses import replace
from pathlib import Path

from PIL import Image

from remoteedu_desktop.printing.personnel_file import PersonnelFile, PostLine, render_personnel_file


def _jpeg(size: tuple[int, int] = (250, 350)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buf, "JPEG", quality=85)
    return buf.getvalue()


FILE = PersonnelFile(
    name="杨𬌗", gender="男", birth_date=dt.date(1980, 5, 17), ethnicity="汉族", political_status="中共党员",
    education="大学专科", id_number="360499198005170359", phone="13907912345", employer="杨家村㐀组",
    job_title="村委委员", source="村“两委”班子成员", current_posts="龙潭镇杨家村 村站点管理员（A岗，兼职）", left="",
    photo=_jpeg(),
    posts=(PostLine(dt.date(2015, 3, 1), dt.date(2019, 12, 31), "龙潭镇杨家村 村站点管理员（B岗，兼职）",
                    "离任原因：改任A岗"),
           PostLine(dt.date(2020, 1, 1), None, "龙潭镇杨家村 村站点管理员（A岗，兼职）")),
    training=(("2025", "2025年站点管理员岗前培训", "岗前培训", "集中授课", "8", "86", "合格"),),
    certificates=(("SG2025-0001", "上岗证书", "2025年05月01日", "2028年04月30日", "有效"),),
    evaluations=(("2025", "2025年度考评", "91.5", "优秀", ""),),
    awards=(("2026年01月10日", "优秀站点管理员", "优秀站点管理员", "青远办〔2026〕1号"),),
    office_name="龙潭镇", printed_on=dt.date(2026, 6, 30))


def _write(tmp_path: Path, pdf: bytes, name: str = "file.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    """pdftotext turns a run of spaces into one (or none between CJK): compare without whitespace."""
    return "".join(text.split())


def _pages(path: Path) -> int:
    info = _run("pdfinfo", str(path))
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_text_in_archive_order_with_post_lines(tmp_path: Path) -> None:
    path = _write(tmp_path, render_personnel_file(FILE))
    text = _flat(_run("pdftotext", "-layout", str(path), "-"))
    order = ["远程教育骨干队伍人员档案", "建档单位：龙潭镇", "姓名", "杨𬌗", "360499198005170359", "任职经历",
             "2015.03--2019.12  龙潭镇杨家村 村站点管理员（B岗，兼职）（离任原因：改任A岗）",
             "2020.01--至今  龙潭镇杨家村 村站点管理员（A岗，兼职）",
             "培训情况", "2025年站点管理员岗前培训", "证书情况", "SG2025-0001", "年度考评", "91.5",
             "奖励情况", "青远办〔2026〕1号", "第 1 页 共 1 页", "打印日期：2026年06月30日"]
    positions = [text.find(_flat(part)) for part in order]
    assert all(p >= 0 for p in positions), [part for part, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert _pages(path) == 1
    assert "（续）" not in text  # a single page has no continuation header
    assert tmp_path.joinpath("shot").mkdir() is None
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "shot" / "p")], check=True)


def test_photo_and_fonts_embedded(tmp_path: Path) -> None:
    path = _write(tmp_path, render_personnel_file(FILE))
    images = _run("pdfimages", "-list", str(path)).splitlines()[2:]
    assert len(images) == 1 and images[0].split()[3:5] == ["250", "350"]
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # "emb" column
    assert len(fonts) == 2  # 㐀 came from the fallback font, embedded too
    # Without a photo: no image, an empty box marked 照片.
    bare = _write(tmp_path, render_personnel_file(replace(FILE, photo=None)), "bare.pdf")
    assert _run("pdfimages", "-list", str(bare)).splitlines()[2:] == []
    assert "照片" in _run("pdftotext", str(bare), "-")


def test_thirty_posts_flow_onto_a_second_page_named_in_the_header(tmp_path: Path) -> None:
    posts = tuple(PostLine(dt.date(1990 + n, 1 + n % 12, 1), dt.date(1991 + n, 1 + n % 12, 1) if n < 29 else None,
                           f"龙潭镇第{n + 1}村 村站点管理员（A岗，兼职）") for n in range(30))
    many = replace(FILE, posts=posts, training=FILE.training * 12)
    path = _write(tmp_path, render_personnel_file(many))
    assert _pages(path) >= 2
    first = _run("pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-")
    second = _run("pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-")
    assert "人员档案（续）姓名：杨𬌗" in _flat(second) and "（续）" not in first
    whole = _flat(_run("pdftotext", "-layout", str(path), "-"))
    lines = [f"{1990 + n}.{1 + n % 12:02d}--{1991 + n}.{1 + n % 12:02d}  龙潭镇第{n + 1}村" for n in range(29)]
    lines.append("2019.06--至今  龙潭镇第30村")
    positions = [whole.find(_flat(line)) for line in lines]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert f"共{_pages(path)}页" in _flat(second)


def test_post_line_format() -> None:
    """The usual archive lines: two spaces between the period and the post, 至今 for the open one."""
    assert FILE.posts[0].line == "2015.03--2019.12  龙潭镇杨家村 村站点管理员（B岗，兼职）"
    assert FILE.posts[1].line == "2020.01--至今  龙潭镇杨家村 村站点管理员（A岗，兼职）"
