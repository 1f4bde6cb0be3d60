"""Training paperwork (R8) as PDF bytes: sign-in sheets (签到表), the roster of a plan (培训花名册) and
each person's training record (培训记录). A4, the bundled CJK font embedded.

Plain frozen dataclasses in, bytes out: no Session here. The services in
:mod:`remoteedu_desktop.services.training_print` gather the data. None of these sheets carries an ID
number or a phone: they are passed round a classroom and filed.

The sign-in sheet is drawn on the canvas directly: its rows have a fixed height (tall enough to sign by
hand), so the pages are known before drawing, long unit names are shrunk to fit their cell rather than
wrapped out of it, and 4 sessions × 500 names take a fraction of a second. The roster and the record
have free-length text (titles, organizers) and use platypus tables that repeat their header row.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .fonts import draw_string, font_runs, register_fonts, string_width

RESULT_PASSED = "合格"
RESULT_FAILED = "不合格"
RESULT_NOT_ASSESSED = "未考核"

_WEEKDAYS = "一二三四五六日"
_PAGE_W, _PAGE_H = A4
_MARGIN_X = 15 * mm
_MARGIN_TOP = 14 * mm
_MARGIN_BOTTOM = 12 * mm
_HEADER_FILL = colors.Color(0.90, 0.90, 0.90)
_INK = colors.black


def result_label(passed: bool | None) -> str:
    """合格 / 不合格 / 未考核 from a derived pass/fail (R8)."""
    if passed is None:
        return RESULT_NOT_ASSESSED
    return RESULT_PASSED if passed else RESULT_FAILED


def cn_date(day: dt.date | None, *, weekday: bool = False) -> str:
    """"2026年11月05日", with "（星期四）" on request; "" for no date."""
    if day is None:
        return ""
    text = f"{day.year}年{day.month:02d}月{day.day:02d}日"
    return text + (f"（星期{_WEEKDAYS[day.weekday()]}）" if weekday else "")


def hours_text(hours: float | None) -> str:
    """2.0 → "2", 2.5 → "2.5"; None → ""."""
    if hours is None:
        return ""
    return f"{round(float(hours), 2):g}"


# --- the data --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignInRow:
    name: str
    unit: str  #: e.g. "龙潭镇 / 杨家村"
    post: str  #: e.g. "村站点管理员 A岗"
    note: str = ""


@dataclass(frozen=True)
class SignInSheet:
    """One session's sign-in sheet (签到表)."""

    plan_title: str
    organizer: str  #: e.g. "县远程办（青山县）"
    date: dt.date
    time_label: str  #: "09:00–11:30", or ""
    place: str
    instructor: str
    hours: float
    rows: tuple[SignInRow, ...]
    session_number: int = 1  #: this session's place in the plan (1-based)
    session_count: int = 1  #: sessions in the plan

    @property
    def title(self) -> str:
        return f"{self.plan_title} 签到表"


@dataclass(frozen=True)
class RosterRow:
    name: str
    gender: str  #: 男 / 女
    unit: str
    post: str
    lecture_hours: float  #: hours credited at the sessions attended (集中学时)
    self_study_hours: float  #: 自学学时
    score: float | None
    result: str  #: 合格 / 不合格 / 未考核


@dataclass(frozen=True)
class PlanRoster:
    """The roster of a plan (培训花名册)."""

    title: str
    year: int
    organizer: str
    target: str  #: e.g. "村级 村站点管理员"
    kind: str  #: 岗前培训 / 经常性培训
    mode: str  #: 集中授课 / 分散自学 / 集中与自学结合
    topics: tuple[str, ...]  #: the R7 topic labels
    planned_hours: float
    pass_mark: float
    period: str  #: "2026年11月05日 至 2026年11月08日", or ""
    session_count: int
    rows: tuple[RosterRow, ...]

    def counts(self) -> Counter[str]:
        return Counter(r.result for r in self.rows)


@dataclass(frozen=True)
class TrainingEntry:
    """One training in a person's record."""

    year: int
    title: str
    organizer: str
    kind: str
    mode: str
    lecture_hours: float
    self_study_hours: float
    score: float | None
    result: str


@dataclass(frozen=True)
class YearHoursRow:
    year: int
    trainings: int
    lecture_hours: float
    self_study_hours: float

    @property
    def total(self) -> float:
        return self.lecture_hours + self.self_study_hours


@dataclass(frozen=True)
class TrainingRecordSheet:
    """One person's training record (培训记录)."""

    name: str
    gender: str
    unit: str
    post: str
    entries: tuple[TrainingEntry, ...]
    years: tuple[YearHoursRow, ...] = field(default=())


# --- text that fits --------------------------------------------------------------------------------

def stringWidth(text: str, font: str, size: float) -> float:  # noqa: N802 - ReportLab's name, same arguments
    """Width of *text* with the per-character font fallback (:mod:`.fonts`); *font* is the primary font."""
    del font
    return string_width(text, size)


def _put(c: Canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    """*text* with its baseline at *y*, starting at (``left``), centred on (``center``) or ending at
    (``right``) *x*, each character in the first bundled font that has it."""
    if align != "left":
        width = string_width(text, size)
        x -= width / 2 if align == "center" else width
    draw_string(c, x, y, text, size)


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Lines no wider than *width*: two lines split at a space where that fits ("龙潭镇 / 杨家村" between
    township and site, "村站点管理员 B岗" before the slot), otherwise a greedy character wrap (CJK has no
    spaces to break at)."""
    spaces = [n for n, ch in enumerate(text) if ch == " "]
    splits = [(text[:n].rstrip(), text[n + 1:].lstrip()) for n in spaces]
    fitting = [pair for pair in splits if all(stringWidth(part, font, size) <= width for part in pair)]
    if fitting:  # the most even split
        return list(min(fitting, key=lambda pair: abs(len(pair[0]) - len(pair[1]))))
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and stringWidth(line + ch, font, size) > width:
            lines.append(line.rstrip())
            line = ch.lstrip()
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


def fit_text(text: str, width: float, height: float, font: str, size: float,
             min_size: float = 6.0) -> tuple[float, list[str]]:
    """*text* in a box no wider than *width*: a long unit name shrinks or wraps, it never overflows.

    One line at a slightly smaller size first (down to 80 % of *size*); then the largest size down to
    *min_size* at which it fits on one line or two; failing that, two lines at *min_size* cut off by "…".
    """
    text = " ".join(text.split())
    sizes = [size - 0.5 * k for k in range(int((size - min_size) / 0.5) + 1)]
    for s in sizes:
        if s < size * 0.8:
            break
        if stringWidth(text, font, s) <= width:
            return s, [text]
    for s in sizes:
        if stringWidth(text, font, s) <= width:
            return s, [text]
        if 2 * s * 1.15 <= height:
            lines = _wrap(text, width, font, s)
            if len(lines) <= 2:
                return s, lines
    lines = _wrap(text, width, font, min_size)[:2]
    last = lines[-1]
    while last and stringWidth(last + "…", font, min_size) > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return min_size, lines


def _draw_fitted(c: Canvas, text: str, x: float, y: float, width: float, height: float, font: str,
                 size: float, *, align: str = "center", min_size: float = 6.0) -> None:
    """*text* inside the box (x, y bottom-left, width, height), vertically centred."""
    if not text:
        return
    s, lines = fit_text(text, width, height, font, size, min_size)
    leading = s * 1.15
    # The baseline of the first line, so that the block of lines is centred in the box.
    top = y + height / 2 + leading * len(lines) / 2 - s * 0.88
    for n, line in enumerate(lines):
        base = top - n * leading
        if align == "left":
            _put(c, x, base, line, s)
        else:
            _put(c, x + width / 2, base, line, s, "center")


# --- sign-in sheets --------------------------------------------------------------------------------

#: (header, width in mm, alignment) of the sign-in table; the signature column is the widest.
SIGN_IN_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 12, "center"), ("姓名", 24, "center"), ("单位", 46, "left"), ("岗位", 30, "center"),
    ("签到", 46, "center"), ("备注", 22, "center"),
)
SIGN_IN_ROW_MM = 9.5  #: tall enough to sign by hand
SIGN_IN_HEADER_ROW_MM = 9.0
_TITLE_SIZE = 16.0
_TEXT_SIZE = 10.5
_CELL_PAD = 1.5 * mm


def _sign_in_layout() -> tuple[float, int]:
    """(y of the table's top edge, data rows per page)."""
    top = _PAGE_H - _MARGIN_TOP - 11 * mm - 3 * 6.5 * mm - 2 * mm  # title, three header lines, a gap
    bottom = _MARGIN_BOTTOM + 17 * mm  # the stamp line and the page number
    rows = int((top - bottom - SIGN_IN_HEADER_ROW_MM * mm) // (SIGN_IN_ROW_MM * mm))
    return top, rows


def sign_in_rows_per_page() -> int:
    return _sign_in_layout()[1]


def sign_in_pages(sheet: SignInSheet) -> int:
    """Pages one sheet takes: at least one (an empty sheet is blank rows to sign)."""
    return max(1, math.ceil(len(sheet.rows) / sign_in_rows_per_page()))


def one_line(text: str, width: float, font: str, size: float, min_size: float = 7.0) -> tuple[float, str]:
    """*text* on one line no wider than *width*: shrunk down to *min_size*, then cut off with "…"."""
    text = " ".join(text.split())
    s = size
    while s > min_size and stringWidth(text, font, s) > width:
        s -= 0.5
    s = max(s, min_size)
    if stringWidth(text, font, s) <= width:
        return s, text
    while text and stringWidth(text + "…", font, s) > width:
        text = text[:-1]
    return s, text + "…"


def _label_value(c: Canvas, label: str, value: str, x: float, y: float, width: float, font: str) -> None:
    """"地点：县委党校报告厅" in *width*, the value shrunk to fit."""
    _put(c, x, y, label, _TEXT_SIZE)
    lw = stringWidth(label, font, _TEXT_SIZE)
    s, text = one_line(value, width - lw, font, _TEXT_SIZE)
    _put(c, x + lw, y, text, s)


def _draw_sign_in_page(c: Canvas, sheet: SignInSheet, rows: Sequence[tuple[int, SignInRow] | None],
                       page: int, pages: int, font: str) -> None:
    left, right = _MARGIN_X, _PAGE_W - _MARGIN_X
    width = right - left
    y = _PAGE_H - _MARGIN_TOP - _TITLE_SIZE
    _draw_fitted(c, sheet.title, left, y - 3, width, _TITLE_SIZE * 1.4, font, _TITLE_SIZE, min_size=10)

    # The header block: three lines of label：value, aligned on two columns.
    col2 = left + 100 * mm
    y = _PAGE_H - _MARGIN_TOP - 11 * mm - 5 * mm
    when = cn_date(sheet.date, weekday=True) + (f" {sheet.time_label}" if sheet.time_label else "")
    _label_value(c, "培训时间：", when, left, y, col2 - left - 3 * mm, font)
    _label_value(c, "地点：", sheet.place, col2, y, right - col2, font)
    y -= 6.5 * mm
    _label_value(c, "授课人：", sheet.instructor, left, y, 52 * mm, font)
    _label_value(c, "学时：", hours_text(sheet.hours), left + 55 * mm, y, col2 - left - 58 * mm, font)
    _label_value(c, "组织单位：", sheet.organizer, col2, y, right - col2, font)
    y -= 6.5 * mm
    if sheet.session_count > 1:
        _label_value(c, "课次：", f"第 {sheet.session_number} 次（共 {sheet.session_count} 次）", left, y,
                     col2 - left, font)
    _label_value(c, "应到：", f"{len(sheet.rows)} 人", col2, y, 35 * mm, font)
    _put(c, col2 + 38 * mm, y, "实到：________ 人", _TEXT_SIZE)

    # The table: header row (repeated on every page), then fixed-height rows.
    top, _per_page = _sign_in_layout()
    widths = [w * mm for _h, w, _a in SIGN_IN_COLUMNS]
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    head_h, row_h = SIGN_IN_HEADER_ROW_MM * mm, SIGN_IN_ROW_MM * mm
    bottom = top - head_h - row_h * len(rows)
    c.setFillColor(_HEADER_FILL)
    c.rect(left, top - head_h, width, head_h, stroke=0, fill=1)
    c.setFillColor(_INK)
    for (label, _w, _a), x0, w in zip(SIGN_IN_COLUMNS, xs, widths, strict=False):
        _draw_fitted(c, label, x0, top - head_h, w, head_h, font, _TEXT_SIZE)
    for n, item in enumerate(rows):
        y0 = top - head_h - row_h * (n + 1)
        if item is None:
            continue  # a blank row for someone not on the list
        number, row = item
        cells = (str(number), row.name, row.unit, row.post, "", row.note)
        for (_label, _w, align), x0, w, text in zip(SIGN_IN_COLUMNS, xs, widths, cells, strict=False):
            if align == "left":
                _draw_fitted(c, text, x0 + _CELL_PAD, y0, w - 2 * _CELL_PAD, row_h, font, _TEXT_SIZE, align="left")
            else:
                _draw_fitted(c, text, x0 + _CELL_PAD / 2, y0, w - _CELL_PAD, row_h, font, _TEXT_SIZE)
    c.setStrokeColor(_INK)
    c.setLineWidth(0.5)
    for n in range(len(rows) + 1):
        y0 = top - head_h - row_h * n
        c.line(left, y0, right, y0)
    for x0 in xs[1:-1]:
        c.line(x0, top, x0, bottom)
    c.setLineWidth(1.0)
    c.rect(left, bottom, width, top - bottom, stroke=1, fill=0)

    # The footer: stamp and date, the page number.
    y = _MARGIN_BOTTOM + 9 * mm
    _put(c, left, y, "组织单位（盖章）：", _TEXT_SIZE)
    _put(c, right, y, "日期：　　　　年　　月　　日", _TEXT_SIZE, "right")
    _put(c, _PAGE_W / 2, _MARGIN_BOTTOM, f"第 {page} 页 共 {pages} 页", 9, "center")


def _new_canvas(buf: io.BytesIO, title: str, font: str) -> Canvas:
    # The initial font is ours too: otherwise ReportLab lists an unembedded Helvetica in every PDF.
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle(title)
    c.setCreator("RemoteEdu Desktop")
    return c


def render_sign_in_sheets(sheets: Sequence[SignInSheet]) -> bytes:
    """Every sheet from a new page; each numbered on its own ("第 x 页 共 y 页" per session), the table
    header and the session's header block on every page, blank rows to fill the last page."""
    font = register_fonts()
    per_page = sign_in_rows_per_page()
    buf = io.BytesIO()
    c = _new_canvas(buf, sheets[0].title if sheets else "签到表", font)
    for sheet in sheets:
        pages = sign_in_pages(sheet)
        numbered = list(enumerate(sheet.rows, start=1))
        for page in range(pages):
            chunk: list[tuple[int, SignInRow] | None] = list(numbered[page * per_page:(page + 1) * per_page])
            chunk += [None] * (per_page - len(chunk))
            _draw_sign_in_page(c, sheet, chunk, page + 1, pages, font)
            c.showPage()
    if not sheets:
        c.showPage()
    c.save()
    return buf.getvalue()


# --- platypus documents: per-group page numbers ----------------------------------------------------

class _GroupStart(Flowable):
    """Marks where a group of pages (one person's record) starts, for "第 x 页 共 y 页" per group."""

    def __init__(self, key: int) -> None:
        super().__init__()
        self.key = key
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._page_group = self.key  # type: ignore[attr-defined]


class _DeferredCanvas(Canvas):
    """Holds every page until the end, so the footer can say how many pages its group has."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._page_group = 0
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(state["_page_group"] for state in self._pages)
        seen: Counter[int] = Counter()
        for state in self._pages:
            self.__dict__.update(state)
            seen[self._page_group] += 1
            self._footer(self, seen[self._page_group], totals[self._page_group])
            Canvas.showPage(self)
        Canvas.save(self)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=9, leading=11.5, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", parent=base, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        "text": ParagraphStyle("text", parent=base, fontSize=10, leading=14),
        "cell": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontSize=9.5, alignment=TA_CENTER),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name with "<" or "&" prints as typed); "\n" breaks the line."""
    return Paragraph(_markup(str(text), style.fontName), style)


def _markup(text: str, font: str) -> str:
    """Escaped paragraph markup of *text*, each run a character of *font* lacks in a ``<font name>``
    of the bundled font that has it (㐀 prints in the fallback font); "\n" breaks the line."""
    parts = []
    for line in text.split("\n"):
        runs = [escape(run) if name == font else f'<font name="{name}">{escape(run)}</font>'
                for name, run in font_runs(line)]
        parts.append("".join(runs))
    return "<br/>".join(parts)


def _grid_style(font: str, *, header_rows: int = 1, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9),  # every cell, Paragraphs too: Table sets a font for each cell
        ("GRID", (0, 0), (-1, -1), 0.5, _INK),
        ("BOX", (0, 0), (-1, -1), 1.0, _INK),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), _HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ])


def _build(story: list[Flowable], title: str, font: str, footer: Callable[[Canvas, int, int], None]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=_MARGIN_X, rightMargin=_MARGIN_X, topMargin=_MARGIN_TOP,
                            bottomMargin=_MARGIN_BOTTOM + 10 * mm, title=title, creator="RemoteEdu Desktop",
                            initialFontName=font)  # else an unembedded Helvetica is listed in the PDF
    doc.build(story, canvasmaker=partial(_DeferredCanvas, footer=footer))
    return buf.getvalue()


def _footer(font: str, left_text: str) -> Callable[[Canvas, int, int], None]:
    def draw(c: Canvas, page: int, pages: int) -> None:
        c.setFillColor(_INK)
        if left_text:
            _put(c, _MARGIN_X, _MARGIN_BOTTOM + 1, left_text, 9)
        _put(c, _PAGE_W / 2, _MARGIN_BOTTOM + 1, f"第 {page} 页 共 {pages} 页", 9, "center")
    return draw


# --- the roster of a plan --------------------------------------------------------------------------

ROSTER_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 11), ("姓名", 20), ("性别", 10), ("单位", 45), ("岗位", 30), ("集中\n学时", 15), ("自学\n学时", 15),
    ("成绩", 13), ("结果", 21),
)


def render_plan_roster(roster: PlanRoster, *, printed_on: dt.date | None = None) -> bytes:
    """培训花名册: the plan's information block, then everyone enrolled with hours, score and result."""
    font = register_fonts()
    st = _styles(font)
    width = _PAGE_W - 2 * _MARGIN_X
    counts = roster.counts()
    story: list[Flowable] = [_p(f"{roster.title} 培训花名册", st["title"])]
    info = [
        ("组织单位", roster.organizer, "培训年度", f"{roster.year}年"),
        ("培训对象", roster.target, "培训类别", roster.kind),
        ("培训方式", roster.mode, "培训时间", roster.period or "—"),
        ("计划学时", f"{hours_text(roster.planned_hours)} 学时", "合格分数线", f"{hours_text(roster.pass_mark)} 分"),
        ("培训内容", "、".join(roster.topics) or "—", "", ""),
    ]
    data = [[_p(a, st["center"]), _p(b, st["cell"]), _p(c, st["center"]), _p(d, st["cell"])] for a, b, c, d in info]
    topics_row = len(info) - 1
    story.append(Table(data, colWidths=[22 * mm, width / 2 - 22 * mm, 22 * mm, width / 2 - 22 * mm],
                       style=_grid_style(font, header_rows=0, extra=[
                           ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
                           ("BACKGROUND", (2, 0), (2, topics_row - 1), _HEADER_FILL),
                           ("SPAN", (1, topics_row), (3, topics_row))])))
    story.append(Spacer(1, 3 * mm))
    story.append(_p(f"课次 {roster.session_count} 次；报名 {len(roster.rows)} 人，其中合格 {counts[RESULT_PASSED]} 人、"
                    f"不合格 {counts[RESULT_FAILED]} 人、未考核 {counts[RESULT_NOT_ASSESSED]} 人。", st["text"]))
    story.append(Spacer(1, 2 * mm))
    rows: list[list[Any]] = [[_p(h, st["head"]) for h, _w in ROSTER_COLUMNS]]
    for n, r in enumerate(roster.rows, start=1):
        rows.append([str(n), _p(r.name, st["center"]), r.gender, _p(r.unit, st["cell"]), _p(r.post, st["center"]),
                     hours_text(r.lecture_hours), hours_text(r.self_study_hours),
                     "" if r.score is None else hours_text(r.score), r.result])
    if not roster.rows:
        rows.append(["", _p("（尚无报名人员）", st["cell"]), "", "", "", "", "", "", ""])
    story.append(Table(rows, colWidths=[w * mm for _h, w in ROSTER_COLUMNS], repeatRows=1,
                       style=_grid_style(font, extra=[
                                                ("ALIGN", (0, 0), (-1, -1), "CENTER")])))
    story.append(Spacer(1, 8 * mm))
    story.append(Table([["制表单位（盖章）：", f"制表日期：{cn_date(printed_on or dt.date.today())}"]],
                       colWidths=[width / 2, width / 2],
                       style=TableStyle([("FONT", (0, 0), (-1, -1), font, 10.5), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0)])))
    return _build(story, f"{roster.title} 培训花名册", font, _footer(font, ""))


# --- each person's training record -----------------------------------------------------------------

RECORD_COLUMNS: tuple[tuple[str, float], ...] = (
    ("年度", 12), ("培训名称", 44), ("组织单位", 32), ("类别", 17), ("方式", 19), ("集中\n学时", 14),
    ("自学\n学时", 14), ("成绩", 12), ("结果", 16),
)


def render_training_records(sheets: Sequence[TrainingRecordSheet], *, printed_on: dt.date | None = None) -> bytes:
    """培训记录: one person from a new page each, numbered per person; trainings, then hours per year."""
    font = register_fonts()
    st = _styles(font)
    width = _PAGE_W - 2 * _MARGIN_X
    story: list[Flowable] = []
    for n, sheet in enumerate(sheets):
        if n:
            story.append(PageBreak())
        story.append(_GroupStart(n))
        story.append(_p("培训记录", st["title"]))
        person = [[_p("姓名", st["center"]), _p(sheet.name, st["cell"]), _p("性别", st["center"]),
                   _p(sheet.gender, st["cell"])],
                  [_p("单位", st["center"]), _p(sheet.unit or "—", st["cell"]), _p("岗位", st["center"]),
                   _p(sheet.post or "—", st["cell"])]]
        story.append(Table(person, colWidths=[18 * mm, width / 2 - 18 * mm, 18 * mm, width / 2 - 18 * mm],
                           style=_grid_style(font, header_rows=0, extra=[
                               ("BACKGROUND", (0, 0), (0, -1), _HEADER_FILL),
                               ("BACKGROUND", (2, 0), (2, -1), _HEADER_FILL)])))
        story.append(_p("参加培训情况", st["heading"]))
        rows: list[list[Any]] = [[_p(h, st["head"]) for h, _w in RECORD_COLUMNS]]
        for e in sheet.entries:
            rows.append([str(e.year), _p(e.title, st["cell"]), _p(e.organizer, st["cell"]), _p(e.kind, st["center"]),
                         _p(e.mode, st["center"]), hours_text(e.lecture_hours), hours_text(e.self_study_hours),
                         "" if e.score is None else hours_text(e.score), e.result])
        if not sheet.entries:
            rows.append(["", _p("暂无培训记录", st["cell"]), "", "", "", "", "", "", ""])
        story.append(Table(rows, colWidths=[w * mm for _h, w in RECORD_COLUMNS], repeatRows=1,
                           style=_grid_style(font, extra=[
                                                    ("ALIGN", (0, 0), (-1, -1), "CENTER")])))
        story.append(_p("年度学时统计", st["heading"]))
        years: list[list[Any]] = [[_p(h, st["head"]) for h in ("年度", "培训次数", "集中学时", "自学学时", "合计学时")]]
        for y in sheet.years:
            years.append([f"{y.year}年", str(y.trainings), hours_text(y.lecture_hours), hours_text(y.self_study_hours),
                          hours_text(y.total)])
        years.append(["合计", str(sum(y.trainings for y in sheet.years)),
                      hours_text(sum(y.lecture_hours for y in sheet.years)),
                      hours_text(sum(y.self_study_hours for y in sheet.years)),
                      hours_text(sum(y.total for y in sheet.years))])
        story.append(Table(years, colWidths=[24 * mm] * 5, repeatRows=1, hAlign="LEFT",
                           style=_grid_style(font, extra=[("FONT", (0, 0), (-1, -1), font, 9.5),
                                                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                                    ("BACKGROUND", (0, -1), (-1, -1), _HEADER_FILL)])))
    if not sheets:
        story.append(_p("培训记录", st["title"]))
    title = f"培训记录 {sheets[0].name}" + (f" 等 {len(sheets)} 人" if len(sheets) > 1 else "") if sheets else "培训记录"
    return _build(story, title, font, _footer(font, f"打印日期：{cn_date(printed_on or dt.date.today())}"))


__all__ = [
    "RESULT_FAILED", "RESULT_NOT_ASSESSED", "RESULT_PASSED", "PlanRoster", "RosterRow", "SignInRow", "SignInSheet",
    "TrainingEntry", "TrainingRecordSheet", "YearHoursRow", "cn_date", "fit_text", "hours_text", "one_line",
    "render_plan_roster", "render_sign_in_sheets", "render_training_records", "result_label",
    "sign_in_pages", "sign_in_rows_per_page",
]
