"""Award paperwork (R14) as PDF bytes: the honour certificate (荣誉证书) and the award list (表彰名单).

- The **honour certificate** is A4 landscape in the conventional wording: "荣誉证书" at the top, the
  addressee ("<姓名> 同志：", a site by its name alone), the citation "在<year>年度农村党员干部现代远程
  教育工作中成绩突出，被评为<award>。特发此证，以资鼓励。" indented two characters and wrapped per
  character (closing punctuation never starts a line), the issuer and the date (in Chinese numerals,
  "二〇二六年一月二十日") bottom right, the seal image over them when there is one. A double frame in
  red. A long name or issuer shrinks to fit; the citation shrinks until it fits its box.
- The **award list** is A4 portrait: title, the document number (文号), a table 序号/姓名/单位/岗位/奖项
  that repeats its header on every page, the issuer and date at the end, "第 x 页 共 y 页".

Plain frozen dataclasses in, bytes out: no Session, no Qt. Text goes through :mod:`.fonts` (the bundled
fonts embedded, per-character fallback); a character no bundled font has refuses the print by name.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Generator, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table

from .fonts import draw_string, register_fonts, string_width
from .training_sheets import _build, _footer, _grid_style, _p, _styles, cn_date

Progress = tuple[int, int, str]

CERT_TITLE = "荣誉证书"
_CN_DIGITS = "〇一二三四五六七八九"
_NO_LINE_START = set("，。、；：！？）》」』”’…")
_RED = colors.Color(0.70, 0.08, 0.08)
_INK = colors.black
_LAND_W, _LAND_H = landscape(A4)


def cn_upper_date(day: dt.date | None) -> str:
    """"二〇二六年一月二十日" (the date as printed under a seal); "　　年　　月　　日" for no date."""
    if day is None:
        return "　　　　年　　月　　日"

    def small(n: int) -> str:  # 1..31
        tens, ones = divmod(n, 10)
        text = ("" if tens < 2 else _CN_DIGITS[tens]) + ("十" if tens else "")
        return text + (_CN_DIGITS[ones] if ones else "") if n else "〇"

    year = "".join(_CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{small(day.month)}月{small(day.day)}日"


@dataclass(frozen=True)
class HonourCertificate:
    """One honour certificate (R14)."""

    name: str  #: the person, or the site
    year: int
    award: str  #: "优秀站点管理员"
    issuer: str  #: the issuing office
    date: dt.date | None  #: None prints a blank date to fill in by hand
    is_site: bool = False  #: a model site is addressed without "同志"
    seal: bytes | None = None  #: PNG (transparent) or JPEG

    @property
    def addressee(self) -> str:
        return f"{self.name}：" if self.is_site else f"{self.name} 同志："

    @property
    def citation(self) -> str:
        return (f"在{self.year}年度农村党员干部现代远程教育工作中成绩突出，被评为{self.award}。"
                "特发此证，以资鼓励。")


@dataclass(frozen=True)
class AwardListRow:
    name: str
    unit: str
    post: str
    award: str


@dataclass(frozen=True)
class AwardList:
    """The award list (表彰名单) of one campaign."""

    title: str  #: "2025年度优秀站点管理员表彰名单"
    document_no: str  #: "青远教字〔2026〕1号", or "" while the campaign is open
    issuer: str
    date: dt.date | None
    rows: tuple[AwardListRow, ...]
    final: bool = True  #: False: the campaign is still open, the list is a draft


# --- text helpers ---------------------------------------------------------------------------------

def _put(c: Canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    if align != "left":
        width = string_width(text, size)
        x -= width / 2 if align == "center" else width
    draw_string(c, x, y, text, size)


def _shrunk(text: str, width: float, size: float, min_size: float) -> float:
    """The largest size ≤ *size* (0.5 pt steps, not below *min_size*) at which *text* fits *width*."""
    while size > min_size and string_width(text, size) > width:
        size -= 0.5
    return size


def wrap_chars(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Lines no wider than *width* (the first *first_indent* narrower), broken between any two
    characters, except that closing punctuation stays at the end of the line before."""
    lines: list[str] = []
    line = ""
    limit = width - first_indent
    for ch in text:
        if line and string_width(line + ch, size) > limit and ch not in _NO_LINE_START:
            lines.append(line)
            line = ""
            limit = width
        line += ch
    if line:
        lines.append(line)
    return lines


# --- the honour certificate -----------------------------------------------------------------------

_FRAME_OUT = 10 * mm
_FRAME_IN = 14 * mm
_TEXT_X = 38 * mm
_TEXT_W = _LAND_W - 2 * _TEXT_X
_TITLE_SIZE = 54.0
_BODY_SIZE = 24.0
_SEAL_MM = 40.0


def _frame(c: Canvas) -> None:
    c.setStrokeColor(_RED)
    c.setLineWidth(3)
    c.rect(_FRAME_OUT, _FRAME_OUT, _LAND_W - 2 * _FRAME_OUT, _LAND_H - 2 * _FRAME_OUT, stroke=1, fill=0)
    c.setLineWidth(0.8)
    c.rect(_FRAME_IN, _FRAME_IN, _LAND_W - 2 * _FRAME_IN, _LAND_H - 2 * _FRAME_IN, stroke=1, fill=0)


def _body_layout(sheet: HonourCertificate) -> tuple[float, list[str]]:
    """(size, lines) of the citation: two characters of indent, no more than four lines."""
    size = _BODY_SIZE
    while True:
        lines = wrap_chars(sheet.citation, _TEXT_W, size, first_indent=2 * size)
        if len(lines) <= 4 or size <= 12:
            return size, lines
        size -= 1


def _draw_certificate(c: Canvas, sheet: HonourCertificate) -> None:
    _frame(c)
    c.setFillColor(_RED)
    _put(c, _LAND_W / 2, _LAND_H - 52 * mm, CERT_TITLE, _TITLE_SIZE, "center")
    c.setFillColor(_INK)
    size = _shrunk(sheet.addressee, _TEXT_W, _BODY_SIZE + 2, 12)
    y = _LAND_H - 82 * mm
    _put(c, _TEXT_X, y, sheet.addressee, size)
    body, lines = _body_layout(sheet)
    y -= body * 2.0
    for n, line in enumerate(lines):
        _put(c, _TEXT_X + (2 * body if n == 0 else 0), y, line, body)
        y -= body * 1.8
    # Issuer and date, right-aligned on a common centre line; the seal over them.
    centre_x = _LAND_W - _TEXT_X - 55 * mm
    issuer_size = _shrunk(sheet.issuer, 130 * mm, 20, 11)
    date_text = cn_upper_date(sheet.date)
    base = _FRAME_IN + 34 * mm
    if sheet.issuer:
        _put(c, centre_x, base + 12 * mm, sheet.issuer, issuer_size, "center")
    _put(c, centre_x, base, date_text, 18, "center")
    if sheet.seal:
        img = ImageReader(io.BytesIO(sheet.seal))
        iw, ih = img.getSize()
        side = _SEAL_MM * mm
        scale = min(side / iw, side / ih)
        w, h = iw * scale, ih * scale
        c.drawImage(img, centre_x - w / 2, base + 6 * mm - h / 2, w, h, mask="auto")


def _new_canvas(buf: io.BytesIO, title: str, font: str, pagesize: tuple[float, float]) -> Canvas:
    # The initial font is ours too: otherwise ReportLab lists an unembedded Helvetica in every PDF.
    c = Canvas(buf, pagesize=pagesize, pageCompression=1, initialFontName=font)
    c.setTitle(title)
    c.setCreator("RemoteEdu Desktop")
    return c


def render_honour_certificates_steps(sheets: Sequence[HonourCertificate]) -> Generator[Progress, None, bytes]:
    """One landscape page per certificate, yielding ``(done, total, text)`` per page."""
    font = register_fonts()
    buf = io.BytesIO()
    c = _new_canvas(buf, CERT_TITLE, font, (_LAND_W, _LAND_H))
    total = len(sheets)
    for n, sheet in enumerate(sheets):
        yield n, total, f"正在生成荣誉证书 {n + 1}/{total}：{sheet.name}"
        _draw_certificate(c, sheet)
        c.showPage()
    if not sheets:
        c.showPage()
    c.save()
    yield total, total, "荣誉证书已生成"
    return buf.getvalue()


def render_honour_certificates(sheets: Sequence[HonourCertificate]) -> bytes:
    steps = render_honour_certificates_steps(sheets)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


# --- the award list -------------------------------------------------------------------------------

AWARD_LIST_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 14), ("姓名", 28), ("单位", 60), ("岗位", 36), ("奖项", 42),
)


def render_award_list(award_list: AwardList) -> bytes:
    """表彰名单: title, 文号, the table (header repeated on every page), issuer and date."""
    font = register_fonts()
    st = _styles(font)
    story: list[Flowable] = [_p(award_list.title, st["title"])]
    if award_list.document_no:
        story.append(_p(f"文号：{award_list.document_no}", st["subtitle"]))
    if not award_list.final:
        story.append(_p("（评选尚未结束，名单为草稿）", st["subtitle"]))
    story.append(_p(f"共 {len(award_list.rows)} 名", st["subtitle"]))
    story.append(Spacer(1, 4 * mm))
    header = [_p(h, st["head"]) for h, _w in AWARD_LIST_COLUMNS]
    body = [[_p(str(n), st["center"]), _p(r.name, st["center"]), _p(r.unit, st["cell"]),
             _p(r.post, st["center"]), _p(r.award, st["center"])]
            for n, r in enumerate(award_list.rows, start=1)]
    table = Table([header, *body], colWidths=[w * mm for _h, w in AWARD_LIST_COLUMNS], repeatRows=1)
    table.setStyle(_grid_style(font))
    story.append(table)
    story.append(Spacer(1, 12 * mm))
    right = ParagraphStyle("right", parent=st["text"], alignment=TA_RIGHT, fontSize=11, leading=18)
    story.append(_p(award_list.issuer, right))
    story.append(_p(cn_date(award_list.date) if award_list.date else "　　年　　月　　日", right))
    return _build(story, award_list.title, font, _footer(font, award_list.document_no))
