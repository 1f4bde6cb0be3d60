"""The certificate renderer (R11), read back from real PDFs: positions (pdfminer.six), QR codes
(rasterized by poppler, decoded by zxing-cpp), determinism, shrink-to-fit, the calibration page.

Positions are in mm from the top-left corner of the page, like the templates. "Where a text lands"
is defined on pdfminer's character boxes (the em box of each glyph: from the font's descent to
descent + size above the baseline):

- horizontally: the first character's left edge for ``left``, the middle between the first
  character's left edge and the last one's right edge for ``center``, the last character's right
  edge for ``right``; against the box's left edge, centre or right edge;
- vertically: the characters' vertical centre against the box's vertical centre (one-line texts),
  the first line's top against the box's top (paragraphs).

With a calibration every expected point goes through ``x·sx + dx``, ``y·sy + dy`` first.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTImage, LTPage
from PIL import Image, ImageDraw

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.printing import qr
from remoteedu_desktop.printing.certificate_render import (
    Calibration,
    Cancelled,
    CertificatePage,
    calibration_page_pdf,
    crosshair_points,
    fit_line,
    render_one,
    render_pdf,
    wrap,
)
from remoteedu_desktop.services import certificate_codes, offices
from remoteedu_desktop.services.certificate_layout import Element, Layout, default_layout

PT = 72 / 25.4  # points per mm
TOLERANCE_MM = 0.5
CALIBRATIONS = (Calibration(), Calibration(dx_mm=3.2, dy_mm=-1.7, sx=0.99, sy=1.01))
LONG_UNIT = "青山县龙潭镇人民政府党政综合办公室远程教育终端接收站点附属非公企业站点"  # 36 characters
CODE = "RE1-" + "-".join(["ABCDE", "FGHIJ", "KLMN2", "OPQR3", "STUV4", "WXYZ5", "23456", "7ABCD"] * 4)

VALUES = {
    "name": "王喆", "gender": "男", "birth": "1980年05月", "unit": "龙潭镇杨家村远程教育站点", "area": "龙潭镇",
    "post": "村站点管理员", "role": "教学辅导员", "office": "青山县远程教育工作领导小组办公室",
    "number": "3604992026P0001", "kind_label": "上岗证书", "issue_date": "2026年11月01日",
    "term_start": "2026年11月01日", "valid_until": "2029年10月31日",
    "training": "2026年青山县村级站点管理员岗前培训", "score": "86", "code": CODE,
}
LAYOUTS = [(kind, stock) for kind in ("on_duty", "appointment") for stock in ("plain", "preprinted")]


def _jpeg(size: tuple[int, int] = (295, 413)) -> bytes:
    img = Image.new("RGB", size, (200, 220, 255))
    ImageDraw.Draw(img).ellipse((size[0] // 4, size[1] // 5, 3 * size[0] // 4, size[1] // 2), fill=(230, 190, 160))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _seal() -> bytes:
    img = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((5, 5, 195, 195), outline=(220, 0, 0, 230), width=8)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@dataclass(frozen=True)
class Char:
    text: str
    x0: float  #: mm from the left
    top: float  #: mm from the top
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def _pages(pdf: bytes) -> list[LTPage]:
    return list(extract_pages(io.BytesIO(pdf)))


def _walk(item: object) -> list[object]:
    out = [item]
    for child in getattr(item, "_objs", []) or []:
        out.extend(_walk(child))
    return out


def chars(pdf: bytes, page: int = 0) -> list[Char]:
    """Every character on the page, in drawing order, in mm from the top-left."""
    p = _pages(pdf)[page]
    found = [o for o in _walk(p) if isinstance(o, LTChar)]
    return [Char(c.get_text(), c.x0 / PT, (p.height - c.y1) / PT, c.x1 / PT, (p.height - c.y0) / PT) for c in found]


def only(layout: Layout, key: str) -> Layout:
    return replace(layout, elements=[layout.element(key)])


def text_keys(layout: Layout, kind: str = "text") -> list[str]:
    return [e.key for e in layout.printed_elements() if e.kind == kind]


# --- positions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("cal", CALIBRATIONS, ids=["no-calibration", "calibrated"])
@pytest.mark.parametrize(("kind", "stock"), LAYOUTS)
def test_each_text_lands_within_half_a_millimetre(kind: str, stock: str, cal: Calibration) -> None:
    layout = default_layout(kind, stock)
    keys = text_keys(layout)
    assert len(keys) >= 4
    for key in keys:
        e = layout.element(key)
        found = chars(render_pdf([CertificatePage(only(layout, key), VALUES)], calibration=cal))
        assert found, key
        first, last = found[0], found[-1]
        if e.align == "left":
            want_x, got_x = e.x_mm, first.x0
        elif e.align == "right":
            want_x, got_x = e.x_mm + e.w_mm, last.x1
        else:
            want_x, got_x = e.x_mm + e.w_mm / 2, (first.x0 + last.x1) / 2
        want_x, want_y = cal.apply(want_x, e.y_mm + e.h_mm / 2)
        if e.align == "center":  # the centre of a scaled box is the scaled centre
            want_x = cal.apply(e.x_mm + e.w_mm / 2, 0)[0]
        assert abs(got_x - want_x) <= TOLERANCE_MM, (key, e.align, got_x, want_x)
        for c in found:
            assert abs(c.middle - want_y) <= TOLERANCE_MM, (key, c.text, c.middle, want_y)


@pytest.mark.parametrize("cal", CALIBRATIONS, ids=["no-calibration", "calibrated"])
@pytest.mark.parametrize("kind", ["on_duty", "appointment"])
def test_paragraph_starts_at_its_box_and_stays_inside(kind: str, cal: Calibration) -> None:
    layout = default_layout(kind)
    e = layout.element("body")
    found = chars(render_pdf([CertificatePage(only(layout, "body"), dict(VALUES, unit=LONG_UNIT))], calibration=cal))
    first = found[0]
    size_mm = first.bottom - first.top
    left, top = cal.apply(e.x_mm, e.y_mm)
    right, bottom = cal.apply(e.x_mm + e.w_mm, e.y_mm + e.h_mm)
    assert abs(first.x0 - (left + e.indent * size_mm)) <= TOLERANCE_MM  # two characters' indent
    assert abs(first.top - top) <= TOLERANCE_MM
    lines = sorted({round(c.top, 1) for c in found})
    assert len(lines) >= 2
    for c in found:
        assert left - 0.1 <= c.x0 and c.x1 <= right + 0.1 and c.bottom <= bottom + 0.1, c
    # Justified: every line but the last ends at the right edge.
    for line_top in lines[:-1]:
        row = [c for c in found if round(c.top, 1) == line_top]
        assert abs(max(c.x1 for c in row) - right) <= TOLERANCE_MM


def test_a_long_unit_name_shrinks_inside_its_box() -> None:
    layout = default_layout("on_duty", "preprinted")
    e = layout.element("unit")
    assert len(LONG_UNIT) >= 30
    found = chars(render_one(CertificatePage(only(layout, "unit"), dict(VALUES, unit=LONG_UNIT))))
    assert "".join(c.text for c in found) == LONG_UNIT
    assert found[0].x0 >= e.x_mm - 0.1
    assert all(c.x1 <= e.x_mm + e.w_mm + 0.1 for c in found), max(c.x1 for c in found)
    assert all(e.y_mm - 0.1 <= c.top and c.bottom <= e.y_mm + e.h_mm + 0.1 for c in found)


def test_fit_line_shrinks_in_quarter_points_then_compresses() -> None:
    fit = fit_line("王喆", 200, 30, 14, 6)
    assert (fit.size, fit.scale) == (14, 100)
    fit = fit_line("龙潭镇杨家村远程教育站点", 100, 30, 14, 6)  # 12 characters in 100 pt: 8.25 pt
    assert fit.size == 8.25 and fit.scale == 100 and fit.width <= 100
    assert fit_line("龙潭镇杨家村远程教育站点", 100, 30, 8.5, 6).size == 8.25
    fit = fit_line(LONG_UNIT, 100, 30, 14, 6)  # 36 × 6 pt = 216 pt: compressed to under half
    assert fit.size == 6 and fit.width * fit.scale / 100 <= 100 and fit.scale < 48
    assert fit_line("上岗证书", 500, 10, 36, 6).size == 10  # the box's height limits too


def test_wrap_keeps_latin_words_and_punctuation() -> None:
    lines = wrap("验证码：RE1-ABCDE-FGHIJ-KLMN2，聘期自2026年11月01日。", 60, 10)
    joined = "".join(lines)
    assert joined == "验证码：RE1-ABCDE-FGHIJ-KLMN2，聘期自2026年11月01日。"
    assert all(line[0] not in "，。、" for line in lines)
    for word in ("2026", "ABCDE-", "11", "01"):
        assert any(word in line for line in lines), (word, lines)


# --- pictures, QR -------------------------------------------------------------------------------

def _images(pdf: bytes) -> list[tuple[float, float, float, float]]:
    p = _pages(pdf)[0]
    return [(o.x0 / PT, (p.height - o.y1) / PT, o.x1 / PT, (p.height - o.y0) / PT)
            for o in _walk(p) if isinstance(o, LTImage)]


def test_photo_keeps_its_proportions_and_placeholder_only_on_plain_paper() -> None:
    layout = default_layout("on_duty")
    e = layout.element("photo")
    square = _images(render_one(CertificatePage(only(layout, "photo"), VALUES, photo=_jpeg((300, 300)))))
    assert len(square) == 1
    x0, top, x1, bottom = square[0]
    assert abs((x1 - x0) - e.w_mm) < 0.1 and abs((bottom - top) - e.w_mm) < 0.1  # 25 × 25 mm, not stretched
    assert abs((top + bottom) / 2 - (e.y_mm + e.h_mm / 2)) < 0.1
    placeholder = chars(render_one(CertificatePage(only(layout, "photo"), VALUES)))
    assert "".join(c.text for c in placeholder) == "照片"
    booklet = default_layout("on_duty", "preprinted")
    assert chars(render_one(CertificatePage(only(booklet, "photo"), VALUES))) == []


def _rasterize(pdf: bytes, tmp_path: Path, dpi: int = 300) -> Image.Image:
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(tmp_path / "qr")], check=True)
    return Image.open(tmp_path / "qr.png")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A real office database (the township of the service tests), for signing codes."""
    database = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}", account="clerk1")
    with database.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
    yield database
    database.dispose()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(("kind", "stock"), [("appointment", "plain"), ("on_duty", "preprinted")])
def test_qr_round_trip_verifies(db: Database, tmp_path: Path, kind: str, stock: str) -> None:
    import zxingcpp

    with db.session() as s:
        code = certificate_codes.make_code(s, number="3604992026P0007", name="王喆", kind=kind,
                                           issue_date=dt.date(2026, 11, 1))
    pdf = render_one(CertificatePage(default_layout(kind, stock), dict(VALUES, code=code), _jpeg(), _seal()))
    found = zxingcpp.read_barcodes(_rasterize(pdf, tmp_path))
    assert [r.text for r in found] == [code]
    with db.session() as s:
        result = certificate_codes.verify(s, found[0].text, today=dt.date(2026, 11, 2))
        assert result.genuine and result.content is not None
        assert (result.content.name, result.content.number) == ("王喆", "3604992026P0007")
        tampered = certificate_codes.verify(s, found[0].text.replace("-", "-A", 1), today=dt.date(2026, 11, 2))
        assert not tampered.genuine


def test_no_code_no_qr() -> None:
    layout = default_layout("on_duty")
    empty = render_one(CertificatePage(only(layout, "qr"), dict(VALUES, code="")))
    drawn = render_one(CertificatePage(only(layout, "qr"), VALUES))
    assert len(drawn) > len(empty) + 200  # the 49×49 module image, compressed
    frozen = render_one(CertificatePage(only(layout, "qr"), VALUES, qr=qr.encode(CODE).to_text()))
    assert frozen == drawn  # the matrix frozen at issue draws exactly what encoding the code draws


# --- determinism ---------------------------------------------------------------------------------

def test_same_page_same_bytes_and_any_change_shows() -> None:
    layout = default_layout("appointment")
    page = CertificatePage(layout, VALUES, _jpeg(), _seal())
    first = render_one(page)
    assert render_one(CertificatePage(default_layout("appointment"), dict(VALUES), _jpeg(), _seal())) == first
    assert render_pdf([page]) == first
    moved = CertificatePage(layout.moved("name", x_mm=30.0), VALUES, _jpeg(), _seal())
    assert render_one(moved) != first
    assert render_one(CertificatePage(layout, dict(VALUES, name="王哲"), _jpeg(), _seal())) != first
    assert render_one(CertificatePage(layout, VALUES, _jpeg(), None)) != first
    calibrated = render_pdf([page], calibration=CALIBRATIONS[1])
    assert calibrated != first and render_pdf([page], calibration=CALIBRATIONS[1]) == calibrated
    assert render_pdf([page], calibration=Calibration()) == first


def test_batch_progress_and_cancel() -> None:
    pages = [CertificatePage(default_layout("on_duty"), dict(VALUES, number=f"N{i}")) for i in range(5)]
    seen: list[int] = []
    pdf = render_pdf(pages, progress=lambda done: seen.append(done) is None)
    assert seen == [1, 2, 3, 4, 5] and len(_pages(pdf)) == 5
    with pytest.raises(Cancelled):
        render_pdf(pages, progress=lambda done: done < 2)


def test_preprinted_prints_fields_only_and_background_is_under_them() -> None:
    plain = default_layout("on_duty")
    booklet = default_layout("on_duty", "preprinted")
    texts = "".join(c.text for c in chars(render_one(CertificatePage(plain, VALUES))))
    assert "上岗证书" in texts.replace(" ", "")
    fields = "".join(c.text for c in chars(render_one(CertificatePage(booklet, VALUES))))
    assert "上岗证书" not in fields and "王喆" in fields
    scan = _jpeg((1900, 1300))
    with_scan = render_pdf([CertificatePage(booklet, VALUES)], background=scan)
    boxes = _images(with_scan)
    assert any(abs(b[2] - b[0] - 190) < 0.1 and abs(b[3] - b[1] - 130) < 0.1 for b in boxes)
    assert render_one(CertificatePage(booklet, VALUES)) != with_scan


def test_letter_spacing_does_not_leak_into_the_next_text() -> None:
    layout = Layout(kind="on_duty", elements=[
        Element("a", "text", 20, 20, 200, 20, "上 岗 证 书", font_size=30, letter_spacing=12, align="center"),
        Element("b", "text", 20, 60, 200, 10, "编号：1", font_size=12),
        Element("c", "text", 20, 80, 20, 10, "龙潭镇杨家村远程教育站点附属企业站点", font_size=12)])
    found = chars(render_one(CertificatePage(layout, {})))
    b = [c for c in found if 55 < c.top < 70]
    assert b[1].x0 - b[0].x1 < 0.2  # "编号" not spaced out like the title
    c = [ch for ch in found if ch.top > 75]
    assert c[-1].x1 <= 40.1


# --- the calibration page ----------------------------------------------------------------------------

@pytest.mark.parametrize("cal", CALIBRATIONS, ids=["no-calibration", "calibrated"])
def test_calibration_page_marks_its_crosshairs(cal: Calibration) -> None:
    pdf = calibration_page_pdf(297, 210, cal)
    page = _pages(pdf)[0]
    assert (round(page.width / PT), round(page.height / PT)) == (297, 210)
    found = chars(pdf)
    text = "".join(c.text for c in found)
    assert "测量左上角十字中心到纸张左边、上边的距离" in text and "计算校正值" in text
    assert f"X 偏移 {cal.dx_mm:+.1f} mm" in text
    for cx, cy in crosshair_points(297, 210):
        label = f"({cx:g}, {cy:g}) mm"
        start = text.index(label)
        first = found[start]
        # The label starts 2.6 mm right of its crosshair (or ends 2.6 mm left of it on the right side).
        if cx < 297 - 45:
            want_x, got_x = cal.apply(cx + 2.6, cy)[0], first.x0
        else:
            want_x, got_x = cal.apply(cx - 2.6, cy)[0], found[start + len(label) - 1].x1
        assert abs(got_x - want_x) <= TOLERANCE_MM, (label, got_x, want_x)
        assert first.bottom < cal.apply(cx, cy)[1]  # above the horizontal arm
