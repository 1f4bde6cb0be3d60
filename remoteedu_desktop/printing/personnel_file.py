"""A person's whole archive (档案, R10) in the paper layout of a cadre archive, as PDF bytes.

A4 portrait. The first page opens with the title and a bordered personal-data table with the 1-inch
photo box top right (the photo when there is one, else an empty box marked "照片"); then the posts held
as the usual ``YYYY.MM--YYYY.MM  单位及职务`` lines (the open one ``YYYY.MM--至今``), training,
certificates, yearly evaluations and awards, each a bordered table whose header row repeats on a new
page. Every page after the first carries the person's name in its header (a loose page still says
whose it is), every page "第 x 页 共 y 页" and the print date in the footer. Fonts are embedded
(:mod:`.fonts`, per-character fallback: rare name characters print).

Plain frozen dataclasses in, bytes out: no Session here (:mod:`..services.personnel_file` gathers them).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import draw_string, font_runs, register_fonts, string_width

PHOTO_W_MM, PHOTO_H_MM = 25.0, 35.0  #: the 1-inch photo (一寸照片)
TITLE = "人员档案"
OPEN_END = "至今"

_PAGE_W, _PAGE_H = A4
_MARGIN_X = 18 * mm
_MARGIN_TOP = 16 * mm
_MARGIN_BOTTOM = 14 * mm
_HEADER_FILL = colors.Color(0.92, 0.92, 0.92)
_INK = colors.black


@dataclass(frozen=True)
class PostLine:
    """One post: ``2019.03--2023.12  龙潭镇杨家村 村站点管理员（A岗，兼职）``."""

    start: dt.date
    end: dt.date | None
    text: str  #: unit and post
    note: str = ""  #: reason of the start or the end, shown after the line in brackets

    @property
    def period(self) -> str:
        end = f"{self.end.year}.{self.end.month:02d}" if self.end else OPEN_END
        return f"{self.start.year}.{self.start.month:02d}--{end}"

    @property
    def line(self) -> str:
        return f"{self.period}  {self.text}"


@dataclass(frozen=True)
class PersonnelFile:
    """Everything one person's archive prints (R10)."""

    name: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    political_status: str
    education: str
    id_number: str
    phone: str
    employer: str
    job_title: str
    source: str  #: 人员来源 (R2–R5)
    current_posts: str  #: the posts held now, "" when none
    left: str  #: "2025年03月01日 调离" when the person left the team, else ""
    photo: bytes | None
    posts: tuple[PostLine, ...]
    #: (年度, 培训名称, 类别, 方式, 学时, 成绩, 结果)
    training: tuple[tuple[str, ...], ...]
    #: (证书编号, 类别, 发证日期, 有效期至, 状态)
    certificates: tuple[tuple[str, ...], ...]
    #: (年度, 考评, 总分, 等次, 备注)
    evaluations: tuple[tuple[str, ...], ...]
    #: (日期, 奖励名称, 类别, 文号)
    awards: tuple[tuple[str, ...], ...]
    office_name: str = ""
    printed_on: dt.date | None = None


def cn_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month:02d}月{day.day:02d}日"


# --- paragraphs and tables -----------------------------------------------------------------------

def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=12.5, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14, alignment=TA_CENTER,
                                   spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=base, fontSize=12, leading=16, spaceBefore=8, spaceAfter=3),
        "cell": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "label": ParagraphStyle("label", parent=base, alignment=TA_CENTER),
        "line": ParagraphStyle("line", parent=base, fontSize=10, leading=14, leftIndent=0),
    }


def _markup(text: str, font: str) -> str:
    """Escaped markup; runs the primary font lacks go in the bundled font that has them."""
    parts = []
    for line in text.split("\n"):
        parts.append("".join(escape(run) if name == font else f'<font name="{name}">{escape(run)}</font>'
                             for name, run in font_runs(line)))
    return "<br/>".join(parts)


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(str(text), style.fontName), style)


def _grid(font: str, *, header: bool = True, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, _INK),
        ("BOX", (0, 0), (-1, -1), 1.2, _INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL))
    return TableStyle([*commands, *extra])


class _Photo(Flowable):
    """The 1-inch photo box: the photo kept in proportion, or an empty box marked "照片"."""

    def __init__(self, data: bytes | None) -> None:
        super().__init__()
        self.data = data
        self.width, self.height = PHOTO_W_MM * mm, PHOTO_H_MM * mm

    def draw(self) -> None:
        c = self.canv
        if self.data:
            img = ImageReader(io.BytesIO(self.data))
            iw, ih = img.getSize()
            scale = min(self.width / iw, self.height / ih)
            dw, dh = iw * scale, ih * scale
            c.drawImage(img, (self.width - dw) / 2, (self.height - dh) / 2, dw, dh)
        else:
            c.setDash(2, 2)
            c.setLineWidth(0.5)
            c.rect(0, 0, self.width, self.height)
            c.setDash()
            draw_string(c, self.width / 2 - string_width("照片", 10) / 2, self.height / 2 - 3, "照片", 10)


def _personal_table(f: PersonnelFile, font: str, st: dict[str, ParagraphStyle], width: float) -> Table:
    """Four label/value columns and the photo column, the photo spanning the first five rows."""
    label_w, photo_w = 20 * mm, PHOTO_W_MM * mm + 6 * mm
    value_w = (width - 2 * label_w - photo_w) / 2
    lab, val = st["label"], st["cell"]

    def row(a: str, b: str, c: str, d: str) -> list[Any]:
        return [_p(a, lab), _p(b, val), _p(c, lab), _p(d, val), ""]

    rows = [
        row("姓名", f.name, "性别", f.gender),
        row("出生日期", cn_date(f.birth_date), "民族", f.ethnicity),
        row("政治面貌", f.political_status, "学历", f.education),
        row("联系电话", f.phone, "人员来源", f.source),
        [_p("身份证号码", lab), _p(f.id_number, val), "", "", ""],
        [_p("工作单位", lab), _p(f.employer, val), _p("职务", lab), _p(f.job_title, val), ""],
        [_p("现任岗位", lab), _p(f.current_posts or "无", val), "", "", ""],
    ]
    if f.left:
        rows.append([_p("离开队伍", lab), _p(f.left, val), "", "", ""])
    rows[0][4] = _Photo(f.photo)
    last = len(rows) - 1
    extra: list[tuple[Any, ...]] = [
        ("SPAN", (4, 0), (4, 4)), ("ALIGN", (4, 0), (4, 4), "CENTER"),
        ("SPAN", (1, 4), (3, 4)),
        ("SPAN", (3, 5), (4, 5)),
        *[("SPAN", (1, r), (4, r)) for r in range(6, last + 1)],
        ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
        ("BACKGROUND", (2, 0), (2, 3), _HEADER_FILL),
        ("BACKGROUND", (2, 5), (2, 5), _HEADER_FILL),
    ]
    heights = [8.2 * mm] * len(rows)
    return Table(rows, colWidths=[label_w, value_w, label_w, value_w, photo_w], rowHeights=heights,
                 style=_grid(font, header=False, extra=extra))


def _section(title: str, headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]],
             font: str, st: dict[str, ParagraphStyle], empty: str) -> list[Flowable]:
    data: list[list[Any]] = [[_p(h, st["label"]) for h in headers]]
    for r in rows:
        data.append([_p(v, st["center"] if n != 1 else st["cell"]) for n, v in enumerate(r)])
    if not rows:
        data.append([_p(empty, st["center"])] + [""] * (len(headers) - 1))
    extra = [("SPAN", (0, 1), (-1, 1))] if not rows else []
    total = sum(widths)
    return [_p(title, st["heading"]),
            Table(data, colWidths=[w / total * (_PAGE_W - 2 * _MARGIN_X) for w in widths], repeatRows=1,
                  style=_grid(font, extra=extra))]


def _posts(f: PersonnelFile, font: str, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """The posts as lines in one bordered box: a row per line, so a long history flows across pages."""
    lines = [[_p(p.line + (f"（{p.note}）" if p.note else ""), st["line"])] for p in f.posts]
    if not lines:
        lines = [[_p("暂无任职记录", st["line"])]]
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 10),
        ("BOX", (0, 0), (-1, -1), 1.2, _INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, 0), 6), ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
    ])
    return [_p("任职经历", st["heading"]), Table(lines, colWidths=[width], style=style)]


# --- the document --------------------------------------------------------------------------------

class _NumberedCanvas(Canvas):
    """Keeps every page until the end, so each footer can say how many pages there are."""

    def __init__(self, *args: Any, person: str = "", printed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._person = person
        self._printed = printed
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for n, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(n, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _decorate(self, page: int, pages: int) -> None:
        self.setFillColor(_INK)
        if page > 1:  # a continuation page says whose archive it is
            y = _PAGE_H - _MARGIN_TOP + 4 * mm
            draw_string(self, _MARGIN_X, y, f"{TITLE}（续）  姓名：{self._person}", 9.5)
            self.setLineWidth(0.5)
            self.line(_MARGIN_X, y - 2 * mm, _PAGE_W - _MARGIN_X, y - 2 * mm)
        text = f"第 {page} 页 共 {pages} 页"
        draw_string(self, _PAGE_W / 2 - string_width(text, 9) / 2, _MARGIN_BOTTOM - 6 * mm, text, 9)
        if self._printed:
            draw_string(self, _PAGE_W - _MARGIN_X - string_width(self._printed, 9), _MARGIN_BOTTOM - 6 * mm,
                        self._printed, 9)


def render_personnel_file(f: PersonnelFile) -> bytes:
    """The archive of one person as a PDF (A4 portrait, fonts embedded)."""
    font = register_fonts()
    st = _styles(font)
    width = _PAGE_W - 2 * _MARGIN_X
    story: list[Flowable] = [_p(f"远程教育骨干队伍{TITLE}", st["title"])]
    if f.office_name:
        story.append(_p(f"建档单位：{f.office_name}", st["subtitle"]))
    story.append(Spacer(1, 2 * mm))
    story.append(_personal_table(f, font, st, width))
    story += _posts(f, font, st, width)
    story += _section("培训情况", ("年度", "培训名称", "类别", "方式", "学时", "成绩", "结果"),
                      (11, 46, 16, 21, 10, 10, 13), f.training, font, st, "暂无培训记录")
    story += _section("证书情况", ("证书编号", "类别", "发证日期", "有效期至", "状态"),
                      (34, 20, 22, 22, 16), f.certificates, font, st, "暂无证书")
    story += _section("年度考评", ("年度", "考评", "总分", "等次", "备注"),
                      (12, 50, 14, 16, 22), f.evaluations, font, st, "暂无考评记录")
    story += _section("奖励情况", ("日期", "奖励名称", "类别", "文号"),
                      (22, 50, 22, 26), f.awards, font, st, "暂无奖励")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=_MARGIN_X, rightMargin=_MARGIN_X,
                            topMargin=_MARGIN_TOP + 4 * mm, bottomMargin=_MARGIN_BOTTOM,
                            title=f"{TITLE} {f.name}", creator="RemoteEdu Desktop",
                            initialFontName=font)  # else an unembedded Helvetica is listed in the PDF
    printed = f"打印日期：{cn_date(f.printed_on or dt.date.today())}"

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, person=f.name, printed=printed, **kwargs)

    doc.build(story, canvasmaker=canvasmaker)
    return buf.getvalue()


__all__ = ["OPEN_END", "PHOTO_H_MM", "PHOTO_W_MM", "PersonnelFile", "PostLine", "TITLE", "cn_date",
           "render_personnel_file"]
