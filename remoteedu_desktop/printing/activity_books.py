"""A site's monthly paperwork of teaching activities (R13) as PDF bytes: the work-record book (工作记录簿)
and the monthly report card (月报卡). The bundled CJK fonts are embedded, each character in the first font
that has it (:mod:`.fonts`); a character no font has is refused by name, never printed as an empty box.

Plain frozen dataclasses in, bytes out: no Session here (:mod:`remoteedu_desktop.services.activities` gathers
the data). Drawn on the canvas directly with fixed row heights, so the pages of a book are known before
drawing ("第 x 页 共 y 页" per site) and a long content is shrunk or wrapped inside its cell, never out of it.

- The book: A4 landscape, the conventional ledger: title, site, month and manager, then a table
  日期 / 形式（渠道） / 内容 / 辅导员 / 参加人数 / 时长 / 备注, the rest of the page in blank rows to fill by
  hand, the month's totals and the site manager's signature line (站点管理员签字).
- The card: A4 portrait, one per site and month: activities, participants and hours per service channel
  (every channel of R13 listed, zeros too) with the total, the equipment line (R9: equipment in service,
  faults reported in the month, faults still open at the month's end), a box for the month's summary and
  the 填报人 / 填报日期 / 审核 lines.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .fonts import draw_string, register_fonts, string_width
from .training_sheets import cn_date, fit_text, hours_text, one_line

Progress = tuple[int, int, str]  #: (done, total, text), as services/progress.py

BOOK_TITLE = "远程教育终端接收站点工作记录簿"
CARD_TITLE = "远程教育终端接收站点月报卡"
_INK = colors.black
_HEADER_FILL = colors.Color(0.90, 0.90, 0.90)
_TEXT = 10.5
_PAD = 1.5 * mm


# --- the data --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BookEntry:
    """One activity in the book."""

    date: dt.date
    channel: str  #: the channel's label, e.g. "科技下乡"
    content: str
    tutors: str  #: "王五、赵六"
    participants: int
    hours: float
    notes: str = ""


@dataclass(frozen=True)
class WorkRecordBook:
    """One site's work-record book (工作记录簿) for one month."""

    site_name: str
    site_code: str
    township: str
    county: str
    year: int
    month: int
    manager: str  #: the site's managers, "张三、李四"; "" when none
    entries: tuple[BookEntry, ...]

    @property
    def site_label(self) -> str:
        code = f"（{self.site_code}）" if self.site_code else ""
        return f"{self.township} {self.site_name}{code}".strip()

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month:02d}月"


@dataclass(frozen=True)
class ChannelTotal:
    """One service channel's line on the card."""

    channel: str  #: the label
    count: int
    participants: int
    hours: float


@dataclass(frozen=True)
class MonthlyReportCard:
    """One site's monthly report card (月报卡)."""

    site_name: str
    site_code: str
    township: str
    county: str
    year: int
    month: int
    manager: str
    channels: tuple[ChannelTotal, ...]
    equipment_in_service: int
    faults_reported: int  #: reported in the month (R9)
    faults_open: int  #: not yet repaired on ``faults_as_of``
    faults_as_of: dt.date

    @property
    def month_label(self) -> str:
        return f"{self.year}年{self.month:02d}月"

    @property
    def count(self) -> int:
        return sum(c.count for c in self.channels)

    @property
    def participants(self) -> int:
        return sum(c.participants for c in self.channels)

    @property
    def hours(self) -> float:
        return round(sum(c.hours for c in self.channels), 2)

    @property
    def equipment_line(self) -> str:
        state = f"有 {self.faults_open} 起故障未修复" if self.faults_open else "运行正常"
        return (f"在用设备 {self.equipment_in_service} 台；本月报修 {self.faults_reported} 次；"
                f"截至{cn_date(self.faults_as_of)}未修复故障 {self.faults_open} 起（{state}）")


# --- drawing helpers -------------------------------------------------------------------------------

def _put(c: Canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    if align != "left":
        width = string_width(text, size)
        x -= width / 2 if align == "center" else width
    draw_string(c, x, y, text, size)


def _cell(c: Canvas, text: str, x: float, y: float, width: float, height: float, size: float, font: str, *,
          align: str = "center", names: bool = False) -> None:
    """*text* inside the box (x, y bottom-left), shrunk or wrapped to two lines, vertically centred; a list
    of *names* ("王五、赵六、钱七") wraps between names, not inside one."""
    if not text:
        return
    inner = width - 2 * _PAD
    if names and "、" in text and string_width(text, size * 0.8) > inner:
        text = text.replace("、", "、 ")
    s, lines = fit_text(text, inner, height - 2, font, size, min_size=6.5)
    if names:
        lines = [line.replace("、 ", "、") for line in lines]
    leading = s * 1.15
    top = y + height / 2 + leading * len(lines) / 2 - s * 0.88
    for n, line in enumerate(lines):
        base = top - n * leading
        if align == "left":
            _put(c, x + _PAD, base, line, s)
        elif align == "right":
            _put(c, x + width - _PAD, base, line, s, "right")
        else:
            _put(c, x + width / 2, base, line, s, "center")


def _label_value(c: Canvas, label: str, value: str, x: float, y: float, width: float, font: str) -> None:
    """"站点：龙潭镇 杨家村" in *width*, the value shrunk (then cut) to fit."""
    _put(c, x, y, label, _TEXT)
    lw = string_width(label, _TEXT)
    s, text = one_line(value, width - lw, font, _TEXT)
    _put(c, x + lw, y, text, s)


def _grid(c: Canvas, xs: Sequence[float], top: float, heights: Sequence[float], *, header_rows: int = 1) -> float:
    """Lines of a table with column edges *xs* and row *heights* from *top*; the header rows shaded.
    Returns the bottom edge."""
    left, right = xs[0], xs[-1]
    y = top
    edges = [top]
    for h in heights:
        y -= h
        edges.append(y)
    if header_rows:
        c.setFillColor(_HEADER_FILL)
        c.rect(left, edges[header_rows], right - left, top - edges[header_rows], stroke=0, fill=1)
        c.setFillColor(_INK)
    c.setStrokeColor(_INK)
    c.setLineWidth(0.5)
    for e in edges[1:-1]:
        c.line(left, e, right, e)
    for x in xs[1:-1]:
        c.line(x, top, x, edges[-1])
    c.setLineWidth(1.0)
    c.rect(left, edges[-1], right - left, top - edges[-1], stroke=1, fill=0)
    return edges[-1]


def _new_canvas(buf: io.BytesIO, title: str, font: str) -> Canvas:
    # The initial font is ours too: otherwise ReportLab lists an unembedded Helvetica in the PDF.
    c = Canvas(buf, pagesize=landscape(A4), pageCompression=1, initialFontName=font)
    c.setTitle(title)
    c.setCreator("RemoteEdu Desktop")
    return c


# --- the work-record book --------------------------------------------------------------------------

#: (header, width in mm, alignment) of the book's table; 267 mm = A4 landscape less the margins.
BOOK_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("日期", 22, "center"), ("形式（渠道）", 30, "center"), ("内容", 92, "left"), ("辅导员", 40, "center"),
    ("参加人数", 20, "center"), ("时长（小时）", 21, "center"), ("备注", 42, "left"),
)
_TUTORS = 3  #: the column of the tutors' names
BOOK_ROW_MM = 10.0  #: two lines of content, or a line written by hand
BOOK_HEADER_MM = 9.0
_BOOK_W, _BOOK_H = landscape(A4)
_BOOK_MARGIN_X = 15 * mm
_BOOK_TOP = _BOOK_H - 12 * mm
_BOOK_TABLE_TOP = _BOOK_TOP - 10 * mm - 9 * mm
_BOOK_BOTTOM = 12 * mm + 21 * mm  #: room for the totals, the signature line and the page number


def book_rows_per_page() -> int:
    return int((_BOOK_TABLE_TOP - _BOOK_BOTTOM - BOOK_HEADER_MM * mm) // (BOOK_ROW_MM * mm))


def book_pages(book: WorkRecordBook) -> int:
    """Pages one book takes: at least one (a month without activities is a page of blank rows)."""
    return max(1, math.ceil(len(book.entries) / book_rows_per_page()))


def _day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def _draw_book_page(c: Canvas, book: WorkRecordBook, rows: Sequence[BookEntry | None], page: int, pages: int,
                    font: str) -> None:
    c.setPageSize(landscape(A4))
    left, right = _BOOK_MARGIN_X, _BOOK_W - _BOOK_MARGIN_X
    _put(c, _BOOK_W / 2, _BOOK_TOP - 7 * mm, BOOK_TITLE, 18, "center")
    y = _BOOK_TOP - 10 * mm - 5.5 * mm
    _label_value(c, "站点：", book.site_label, left, y, 120 * mm, font)
    _label_value(c, "站点管理员：", book.manager or "", left + 125 * mm, y, 70 * mm, font)
    _put(c, right, y, f"{book.month_label}", _TEXT + 1, "right")

    widths = [w * mm for _h, w, _a in BOOK_COLUMNS]
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    head, row_h = BOOK_HEADER_MM * mm, BOOK_ROW_MM * mm
    top = _BOOK_TABLE_TOP
    _grid(c, xs, top, [head] + [row_h] * len(rows))
    for (label, _w, _a), x0, w in zip(BOOK_COLUMNS, xs, widths, strict=False):
        _cell(c, label, x0, top - head, w, head, _TEXT, font)
    for n, entry in enumerate(rows):
        if entry is None:
            continue  # a blank row to fill by hand
        y0 = top - head - row_h * (n + 1)
        cells = (_day(entry.date), entry.channel, entry.content, entry.tutors, str(entry.participants),
                 hours_text(entry.hours), entry.notes)
        for col, ((_label, _w, align), x0, w, text) in enumerate(zip(BOOK_COLUMNS, xs, widths, cells, strict=False)):
            _cell(c, text, x0, y0, w, row_h, _TEXT, font, align=align, names=col == _TUTORS)

    y = _BOOK_BOTTOM - 7 * mm
    if page == pages:
        count = len(book.entries)
        people = sum(e.participants for e in book.entries)
        hours = sum(e.hours for e in book.entries)
        _put(c, left, y, f"本月合计：开展活动 {count} 次，参加 {people} 人次，时长 {hours_text(hours)} 小时", _TEXT)
    else:
        _put(c, left, y, "（续下页）", _TEXT)
    y -= 8 * mm
    _put(c, left, y, "站点管理员签字：________________", _TEXT)
    _put(c, right, y, "日期：　　　　年　　月　　日", _TEXT, "right")
    _put(c, _BOOK_W / 2, 12 * mm, f"第 {page} 页 共 {pages} 页", 9, "center")


def _book_pages(c: Canvas, book: WorkRecordBook, font: str) -> None:
    per_page = book_rows_per_page()
    pages = book_pages(book)
    for page in range(pages):
        chunk: list[BookEntry | None] = list(book.entries[page * per_page:(page + 1) * per_page])
        chunk += [None] * (per_page - len(chunk))
        _draw_book_page(c, book, chunk, page + 1, pages, font)
        c.showPage()


# --- the monthly report card -----------------------------------------------------------------------

_CARD_W, _CARD_H = A4
_CARD_MARGIN_X = 20 * mm
CARD_COLUMNS: tuple[tuple[str, float], ...] = (("服务形式（渠道）", 60), ("活动次数", 36), ("参加人次", 37),
                                               ("时长（小时）", 37))
CARD_ROW_MM = 7.5


def _draw_card(c: Canvas, card: MonthlyReportCard, font: str) -> None:
    c.setPageSize(A4)
    left, right = _CARD_MARGIN_X, _CARD_W - _CARD_MARGIN_X
    width = right - left
    y = _CARD_H - 20 * mm
    _put(c, _CARD_W / 2, y, CARD_TITLE, 18, "center")
    y -= 8 * mm
    _put(c, _CARD_W / 2, y, card.month_label, 12, "center")
    y -= 5 * mm

    # Who: the site, its code, township and managers, in a 4-column grid.
    label_w = 24 * mm
    value_w = width / 2 - label_w
    xs = [left, left + label_w, left + label_w + value_w, left + 2 * label_w + value_w, right]
    row = 8.5 * mm
    info = (("站点名称", card.site_name, "站点代码", card.site_code or "—"),
            ("所属乡镇", f"{card.county} {card.township}".strip() or "—", "站点管理员", card.manager or "—"))
    _grid(c, xs, y, [row] * len(info), header_rows=0)
    c.setFillColor(_HEADER_FILL)
    for col in (0, 2):
        c.rect(xs[col], y - row * len(info), xs[col + 1] - xs[col], row * len(info), stroke=0, fill=1)
    c.setFillColor(_INK)
    _grid(c, xs, y, [row] * len(info), header_rows=0)  # lines over the shading
    for n, cells in enumerate(info):
        y0 = y - row * (n + 1)
        for col, text in enumerate(cells):
            _cell(c, text, xs[col], y0, xs[col + 1] - xs[col], row, _TEXT, font,
                  align="center" if col in (0, 2) else "left")
    y -= row * len(info) + 7 * mm

    _put(c, left, y, "一、教学活动开展情况（按服务形式统计）", 11.5)
    y -= 3 * mm
    widths = [w * mm for _h, w in CARD_COLUMNS]
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    r = CARD_ROW_MM * mm
    body = [(ch.channel, str(ch.count), str(ch.participants), hours_text(ch.hours)) for ch in card.channels]
    total = ("合计", str(card.count), str(card.participants), hours_text(card.hours))
    heights = [r] * (1 + len(body) + 1)
    bottom = _grid(c, xs, y, heights)
    c.setFillColor(_HEADER_FILL)
    c.rect(left, bottom, xs[-1] - left, r, stroke=0, fill=1)
    c.setFillColor(_INK)
    _grid(c, xs, y, heights)
    for (label, _w), x0, w in zip(CARD_COLUMNS, xs, widths, strict=False):
        _cell(c, label, x0, y - r, w, r, _TEXT, font)
    for n, cells in enumerate([*body, total], start=1):
        y0 = y - r * (n + 1)
        for col, (text, x0, w) in enumerate(zip(cells, xs, widths, strict=False)):
            _cell(c, text, x0, y0, w, r, _TEXT, font, align="left" if col == 0 else "center")
    y = bottom - 8 * mm

    _put(c, left, y, "二、设备运行情况", 11.5)
    y -= 3 * mm
    box = 12 * mm
    _grid(c, [left, right], y, [box], header_rows=0)
    _cell(c, card.equipment_line, left, y - box, width, box, _TEXT, font, align="left")
    y -= box + 8 * mm

    _put(c, left, y, "三、本月工作小结及存在问题", 11.5)
    y -= 3 * mm
    summary = max(20 * mm, y - 40 * mm)
    _grid(c, [left, right], y, [summary], header_rows=0)
    c.setLineWidth(0.3)
    c.setStrokeColor(colors.Color(0.75, 0.75, 0.75))
    ruled = y - 9 * mm
    while ruled > y - summary + 3 * mm:
        c.line(left + 3 * mm, ruled, right - 3 * mm, ruled)
        ruled -= 9 * mm
    c.setStrokeColor(_INK)
    y -= summary + 10 * mm

    _put(c, left, y, "填报人：________________", _TEXT)
    _put(c, right, y, "填报日期：　　　　年　　月　　日", _TEXT, "right")
    y -= 9 * mm
    _put(c, left, y, "乡镇远程办审核：________________", _TEXT)
    _put(c, right, y, "审核日期：　　　　年　　月　　日", _TEXT, "right")


# --- documents -------------------------------------------------------------------------------------

def render_documents(books: Sequence[WorkRecordBook], cards: Sequence[MonthlyReportCard], *,
                     interleave: bool = False) -> Generator[Progress, None, bytes]:
    """Books and cards in one PDF, yielding progress per document. With *interleave* (a book and a card for
    each site, in the same order) each site's book is followed by its card; otherwise all books, then all
    cards. An empty batch is one blank book page (never an invalid PDF)."""
    font = register_fonts()
    buf = io.BytesIO()
    first = books[0] if books else None
    title = (f"{BOOK_TITLE} {first.month_label}" if first is not None
             else f"{CARD_TITLE} {cards[0].month_label}" if cards else BOOK_TITLE)
    c = _new_canvas(buf, title, font)
    order: list[WorkRecordBook | MonthlyReportCard] = []
    if interleave and len(books) == len(cards):
        for book, card in zip(books, cards, strict=True):
            order += [book, card]
    else:
        order = [*books, *cards]
    total = len(order)
    for n, doc in enumerate(order):
        what = "工作记录簿" if isinstance(doc, WorkRecordBook) else "月报卡"
        yield n, total, f"正在排版 {doc.site_name} {what}（{n + 1}/{total}）"
        if isinstance(doc, WorkRecordBook):
            _book_pages(c, doc, font)
        else:
            _draw_card(c, doc, font)
            c.showPage()
    if not order:
        c.showPage()
    yield total, total, "正在生成 PDF"
    c.save()
    return buf.getvalue()


def _to_end(steps: Generator[Progress, None, bytes]) -> bytes:
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def render_work_record_books(books: Sequence[WorkRecordBook]) -> bytes:
    """工作记录簿: each book from a new page, numbered per book."""
    return _to_end(render_documents(books, ()))


def render_report_cards(cards: Sequence[MonthlyReportCard]) -> bytes:
    """月报卡: one page per card."""
    return _to_end(render_documents((), cards))


__all__ = [
    "BOOK_COLUMNS", "BOOK_TITLE", "CARD_TITLE", "BookEntry", "ChannelTotal", "MonthlyReportCard", "WorkRecordBook",
    "book_pages", "book_rows_per_page", "render_documents", "render_report_cards", "render_work_record_books",
]
