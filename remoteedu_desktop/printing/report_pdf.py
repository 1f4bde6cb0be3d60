"""A report table (:class:`~remoteedu_desktop.services.report_model.ReportTable`) as PDF bytes.

A4, portrait or landscape as the table asks; the title, then a line with the office (填报单位), the
parameters and the date; the table with its header repeated on every page, every cell a paragraph that
wraps (CJK breaks anywhere), so a long unit name grows its row rather than running out of its cell;
the totals and subtotal rows shaded; the notes. Every page carries the signature line at its foot —
"制表人：…　审核人：…　制表单位：…", "第 x 页 共 y 页", "制表日期：…" — so no signature block is ever
left alone on a last page. The bundled fonts are embedded, with a per-character fallback
(:mod:`.fonts`), and a character no font has is refused by name rather than printed as an empty box.

Dataclasses in, bytes out: no Session, no Qt.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Generator, Sequence
from functools import partial
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..services.report_model import ReportTable
from .fonts import check_printable, draw_string, font_runs, register_fonts, string_width

_MARGIN_X = 14 * mm
_MARGIN_TOP = 14 * mm
_MARGIN_BOTTOM = 12 * mm
_FOOTER_GAP = 9 * mm
_HEADER_FILL = colors.Color(0.88, 0.88, 0.88)
_TOTAL_FILL = colors.Color(0.94, 0.94, 0.94)
_INK = colors.black
_CELL_SIZE = 9.0
_CHUNK = 400  #: rows per progress step
SUBTOTAL = "小计"


def cn_date(day: dt.date) -> str:
    """"2026年11月05日"."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def cell_text(value: object) -> str:
    """A cell as printed: None → "", 2.0 → "2", 2.456 → "2.46", a date → ISO, anything else str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{round(value, 2):g}" if abs(value) < 1e15 else f"{value:.0f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _markup(text: str, font: str) -> str:
    parts = []
    for line in text.split("\n"):
        parts.append("".join(escape(run) if name == font else f'<font name="{name}">{escape(run)}</font>'
                             for name, run in font_runs(line)))
    return "<br/>".join(parts)


class _DeferredCanvas(Canvas):
    """Holds the pages until the end, so each footer can say how many pages there are."""

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for n, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(self, n, total)
            Canvas.showPage(self)
        Canvas.save(self)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=font, fontSize=_CELL_SIZE, leading=_CELL_SIZE * 1.25, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=21, alignment=TA_CENTER, spaceAfter=3),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9.5, leading=13),
        "note": ParagraphStyle("note", parent=base, fontSize=9, leading=12.5),
        "cell": base,
        "num": ParagraphStyle("num", parent=base, alignment=TA_RIGHT),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontSize=_CELL_SIZE, alignment=TA_CENTER),
    }


def _check(table: ReportTable) -> None:
    """Refuse, by name, a character no bundled font has (instead of an empty box in the print)."""
    texts = [table.title, table.office_name, table.prepared_by, table.params, *table.headers, *table.notes]
    for text in texts:
        check_printable(text, "报表")
    for r, row in enumerate(table.rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                check_printable(value, f"第 {r} 行“{table.headers[c] if c < len(table.headers) else c}”")
    for value in table.totals or ():
        if isinstance(value, str):
            check_printable(value, "合计行")


def is_subtotal(row: Sequence[object]) -> bool:
    """A subtotal row ("龙潭镇 小计", "小计"), shaded like the totals."""
    return any(isinstance(v, str) and (v == SUBTOTAL or v.endswith(f" {SUBTOTAL}")) for v in row[:2])


def _column_widths(table: ReportTable, available: float) -> list[float]:
    count = len(table.headers)
    widths = list(table.widths) if len(table.widths) == count else [1.0] * count
    total = sum(widths) or 1.0
    return [available * w / total for w in widths]


_PADDING = 2.5


def _row_cells(values: Sequence[object], st: dict[str, ParagraphStyle], font: str,
               widths: Sequence[float]) -> list[object]:
    """The cells of a row: a plain string where the text fits its column on one line in the primary font
    (drawn by the table, fast), else a paragraph that wraps (CJK breaks anywhere) and switches fonts."""
    cells: list[object] = []
    for value, width in zip(values, widths, strict=False):
        text = cell_text(value)
        runs = font_runs(text)
        primary_only = not runs or (len(runs) == 1 and runs[0][0] == font)
        if primary_only and "\n" not in text and string_width(text, _CELL_SIZE) <= width - 2 * _PADDING - 0.5:
            cells.append(text)
            continue
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        cells.append(Paragraph(_markup(text, font), st["num"] if numeric else st["cell"]))
    return cells


def _numeric_columns(table: ReportTable) -> list[int]:
    """Columns whose filled cells are all numbers: right-aligned."""
    out = []
    for c in range(len(table.headers)):
        values = [row[c] for row in table.rows if c < len(row) and row[c] not in (None, "")]
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            out.append(c)
    return out


def _footer(font: str, table: ReportTable, page_w: float) -> Callable[[Canvas, int, int], None]:
    left = f"制表人：{table.prepared_by or '　' * 4}　　审核人：{'　' * 4}　　制表单位：{table.office_name}"
    right = f"制表日期：{cn_date(table.made_on)}"

    def draw(c: Canvas, page: int, pages: int) -> None:
        c.setFillColor(_INK)
        y = _MARGIN_BOTTOM + 1
        draw_string(c, _MARGIN_X, y, left, 8.5)
        middle = f"第 {page} 页 共 {pages} 页"
        draw_string(c, page_w / 2 - string_width(middle, 8.5) / 2, y, middle, 8.5)
        draw_string(c, page_w - _MARGIN_X - string_width(right, 8.5), y, right, 8.5)
    return draw


def report_pdf_steps(table: ReportTable) -> Generator[tuple[int, int, str], None, bytes]:
    """Render *table*, yielding ``(done, total, text)`` while the rows are laid out; return the PDF bytes."""
    font = register_fonts()
    _check(table)
    st = _styles(font)
    page_w, page_h = landscape(A4) if table.landscape else A4
    available = page_w - 2 * _MARGIN_X
    total = len(table.rows)
    yield 0, total, f"正在生成“{table.title}”PDF（{total} 行）"
    story: list[Flowable] = [Paragraph(_markup(table.title, font), st["title"])]
    meta = f"填报单位：{table.office_name}　　{table.params}" if table.params else f"填报单位：{table.office_name}"
    story.append(Paragraph(_markup(meta, font), st["meta"]))
    story.append(Spacer(1, 2.5 * mm))
    widths = _column_widths(table, available)
    data: list[list[Any]] = [[Paragraph(_markup(h, font), st["head"]) for h in table.headers]]
    extra: list[tuple[Any, ...]] = [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in _numeric_columns(table)]
    for n, row in enumerate(table.rows, start=1):
        data.append(_row_cells(row, st, font, widths))
        if is_subtotal(row):
            extra.append(("BACKGROUND", (0, n), (-1, n), _TOTAL_FILL))
        if n % _CHUNK == 0:
            yield n, total, f"已排版 {n}/{total} 行"
    if not table.rows:
        data.append([Paragraph(_markup("（无数据）", font), st["center"])] + [""] * (len(table.headers) - 1))
    if table.totals is not None:
        data.append(_row_cells(table.totals, st, font, widths))
        extra += [("BACKGROUND", (0, -1), (-1, -1), _TOTAL_FILL), ("LINEABOVE", (0, -1), (-1, -1), 1.0, _INK)]
    if not table.rows:
        extra.append(("SPAN", (0, 1), (-1, 1)))
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), font, _CELL_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, _INK),
        ("BOX", (0, 0), (-1, -1), 1.0, _INK),
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), _PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _PADDING + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
        *extra,
    ])
    story.append(Table(data, colWidths=widths, repeatRows=1, style=style))
    if table.notes:
        story.append(Spacer(1, 2.5 * mm))
        for note in table.notes:
            story.append(Paragraph(_markup(note, font), st["note"]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(page_w, page_h), leftMargin=_MARGIN_X, rightMargin=_MARGIN_X,
                            topMargin=_MARGIN_TOP, bottomMargin=_MARGIN_BOTTOM + _FOOTER_GAP, title=table.title,
                            author=table.office_name, creator="RemoteEdu Desktop",
                            initialFontName=font)  # else an unembedded Helvetica is listed in the PDF
    doc.build(story, canvasmaker=partial(_DeferredCanvas, footer=_footer(font, table, page_w)))
    yield total, total, f"已生成“{table.title}”PDF"
    return buf.getvalue()


def report_pdf(table: ReportTable) -> bytes:
    """*table* as PDF bytes. See :func:`report_pdf_steps`."""
    steps = report_pdf_steps(table)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return bytes(stop.value)


__all__ = ["SUBTOTAL", "cell_text", "cn_date", "is_subtotal", "report_pdf", "report_pdf_steps"]
