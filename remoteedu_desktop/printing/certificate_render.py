"""Drawing certificates (R11) from a frozen page description: layout + values + images.

Deterministic: the same :class:`CertificatePage` always gives the same PDF bytes (ReportLab's
invariant mode: fixed dates and document id), which is what lets a reprint be checked against
the SHA-256 stored at issue time. Printer calibration is applied as a page transform and is not
part of the frozen bytes.

Every element stays inside its box (R11: "long names and unit names shrink to fit"):

- ``text``: one line, the font size shrunk in 0.25 pt steps down to ``min_font_size`` until it fits
  the box's width and height; at the minimum size a still-too-long text is compressed horizontally.
  Vertically the em box (ascent 0.88, descent 0.12 of the size in both bundled fonts) is centred
  in the box, so a character's centre lies on the box's horizontal centre line.
- ``paragraph``: wrapped per character (Latin words and numbers kept together, closing
  punctuation never starts a line), first line indented by ``indent`` characters, lines
  justified except the last, the size shrunk until every line fits; line height 1.6 × size.
- ``photo``/``seal``: images kept in proportion, centred in their box; ``qr``: the ``code`` value
  as a QR code (level M) drawn as merged rectangles; ``frame``: a double border; ``line``: a rule.

Text goes through :mod:`.fonts` only (per-character fallback, every font embedded); a character no
bundled font has refuses the whole print by name (:class:`.fonts.GlyphError`).

CONTRACT (step 4): ``render_pdf``, ``render_one``, ``calibration_page_pdf``, ``CertificatePage``,
``Calibration`` are used by services/certificate_*.py, the UI and the bench.
"""

from __future__ import annotations

import gc
import io
import math
import re
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..services.certificate_layout import FIELDS, Element, Layout, fill
from . import qr
from .fonts import FONT_NAME, GlyphError, check_printable, draw_string, font_for, register_fonts, string_width

ProgressCallback = Callable[[int], bool]  #: called with pages done; return False to cancel

SIZE_STEP = 0.25  #: points: the font size shrinks in these steps
LINE_HEIGHT = 1.6  #: paragraph line height, × font size
MIN_HORIZ_SCALE = 10.0  #: percent: the narrowest a paragraph is compressed at its minimum size
QR_BORDER_MODULES = 2  #: white modules around the QR code inside its box (plus the blank paper around)
#: Where a character's em box sits around the baseline, as fractions of the size (both bundled fonts:
#: ascent 880, descent -120 per 1000). The box's vertical centre is 0.38 × size above the baseline.
EM_DESCENT = 0.12
EM_CENTRE = 0.5 - EM_DESCENT

_GRID_LIGHT = Color(0.75, 0.75, 0.75)
_GRID_DARK = Color(0.45, 0.45, 0.45)
_PLACEHOLDER_GREY = Color(0.55, 0.55, 0.55)


@dataclass(frozen=True)
class CertificatePage:
    """Everything one printed certificate needs, frozen at issue time."""

    layout: Layout
    values: dict[str, str] = field(hash=False)
    photo: bytes | None = None  #: JPEG/PNG bytes of the 1-inch photo
    seal: bytes | None = None  #: PNG (transparent) of the office seal
    qr: str | None = None  #: the frozen QR matrix of values["code"] (:meth:`.qr.QrMatrix.to_text`)


@dataclass(frozen=True)
class Calibration:
    """A printer's correction: where the paper really is. Positions become ``x * sx + dx``."""

    dx_mm: float = 0.0
    dy_mm: float = 0.0
    sx: float = 1.0
    sy: float = 1.0

    @property
    def is_identity(self) -> bool:
        return (self.dx_mm, self.dy_mm, self.sx, self.sy) == (0.0, 0.0, 1.0, 1.0)

    def apply(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Where a point of the template (mm from the top-left) lands on paper through this correction."""
        return x_mm * self.sx + self.dx_mm, y_mm * self.sy + self.dy_mm


class Cancelled(Exception):
    """The progress callback asked to stop."""


def render_one(page: CertificatePage) -> bytes:
    """The frozen PDF of one certificate (no calibration): hashed at issue, compared at reprint."""
    return render_pdf([page])


def _new_canvas(buf: io.BytesIO) -> Canvas:
    # initialFontName: otherwise ReportLab lists an unembedded Helvetica in every PDF.
    canvas = Canvas(buf, invariant=True, pageCompression=1, initialFontName=register_fonts())
    canvas.setCreator("RemoteEdu Desktop")
    return canvas


def render_pdf(pages: Iterable[CertificatePage], *, calibration: Calibration | None = None,
               background: bytes | None = None, progress: ProgressCallback | None = None) -> bytes:
    """One PDF with one page per certificate. *background* (a scan of blank pre-printed stock) is
    drawn under the fields for on-screen preview only; never pass it when printing.

    Every filled text is checked first (:func:`.fonts.check_printable`): a character no bundled font
    has raises :class:`.fonts.GlyphError` naming it and the element, before anything is drawn."""
    steps = render_steps(pages, calibration=calibration, background=background)
    while True:
        try:
            done = next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        if progress is not None and progress(done) is False:
            steps.close()
            raise Cancelled()


def render_steps(pages: Iterable[CertificatePage], *, calibration: Calibration | None = None,
                 background: bytes | None = None) -> Generator[int, None, bytes]:
    """:func:`render_pdf` as a generator yielding the pages done and returning the PDF, so that a
    caller reports progress and cancels (closes it) from its own thread."""
    register_fonts()
    buf = io.BytesIO()
    canvas = _new_canvas(buf)
    backdrop = _image(background) if background else None
    done = 0
    collecting = gc.isenabled()
    gc.disable()  # ReportLab makes many small objects; a batch's cyclic-GC passes cost ~10 % for nothing
    try:
        forms: dict[int, tuple[Layout, str]] = {}
        for page in pages:
            done += 1
            _render_page(canvas, page, calibration, backdrop, _static_form(canvas, page.layout, forms))
            yield done
        if done == 0:
            canvas.showPage()
        canvas.save()
    finally:
        if collecting:
            gc.enable()
    return buf.getvalue()


def _fixed(e: Element) -> bool:
    """A static element whose drawing is the same on every certificate (no placeholders)."""
    return e.static and e.kind in ("text", "paragraph", "frame", "line") and not e.placeholders()


def _static_form(canvas: Canvas, layout: Layout, forms: dict[int, tuple[Layout, str]]) -> str | None:
    """The name of a form XObject holding the layout's fixed elements (frame, title…), drawn once per
    document and placed on every page that uses the layout; None when it has none."""
    known = forms.get(id(layout))
    if known is not None and known[0] is layout:
        return known[1]
    fixed = [e for e in layout.printed_elements() if _fixed(e)]
    if not fixed:
        return None
    name = f"static{len(forms)}"
    canvas.beginForm(name, 0, 0, layout.page_w_mm * mm, layout.page_h_mm * mm)
    for e in fixed:
        if e.kind in ("text", "paragraph"):
            check_printable(e.text, where=_where(e))
        _draw(canvas, layout, e, CertificatePage(layout, {}), e.text)
    canvas.endForm()
    forms[id(layout)] = (layout, name)
    return name


def _render_page(canvas: Canvas, page: CertificatePage, calibration: Calibration | None,
                 backdrop: ImageReader | None, static_form: str | None = None) -> None:
    """One certificate on its own page: every text checked first, then every printed element
    (the fixed ones as one form XObject)."""
    layout = page.layout
    elements = [e for e in layout.printed_elements() if not (static_form and _fixed(e))]
    texts = {e.key: fill(e.text, page.values) for e in elements if e.kind in ("text", "paragraph")}
    for e in elements:
        if e.key in texts:
            check_printable(texts[e.key], where=_where(e))
    canvas.setPageSize((layout.page_w_mm * mm, layout.page_h_mm * mm))
    if backdrop is not None:
        canvas.drawImage(backdrop, 0, 0, layout.page_w_mm * mm, layout.page_h_mm * mm)
    canvas.saveState()
    if calibration is not None and not calibration.is_identity:
        _apply_calibration(canvas, layout, calibration)
    if static_form:
        canvas.doForm(static_form)
    for e in elements:
        _draw(canvas, layout, e, page, texts.get(e.key, ""))
    canvas.restoreState()
    canvas.showPage()


def _where(e: Element) -> str:
    names = [FIELDS[p] for p in e.placeholders() if p in FIELDS]
    return f"证书上的{'、'.join(names) if names else '文字'}（元素 {e.key}）"


def _apply_calibration(canvas: Canvas, layout: Layout, cal: Calibration) -> None:
    """Top-left-based x' = x·sx + dx, y' = y·sy + dy, expressed in PDF (bottom-left) space."""
    h = layout.page_h_mm * mm
    canvas.translate(cal.dx_mm * mm, h - cal.dy_mm * mm - h * cal.sy)
    canvas.scale(cal.sx, cal.sy)


def _draw(canvas: Canvas, layout: Layout, e: Element, page: CertificatePage, text: str) -> None:
    x, w, h = e.x_mm * mm, e.w_mm * mm, e.h_mm * mm
    y = (layout.page_h_mm - e.y_mm - e.h_mm) * mm  # the box's bottom edge in PDF space
    if e.kind == "text":
        draw_text_box(canvas, text, x, y, w, h, e)
    elif e.kind == "paragraph":
        draw_paragraph(canvas, text, x, y, w, h, e)
    elif e.kind == "frame":
        _draw_frame(canvas, x, y, w, h, e.line_width)
    elif e.kind == "line":
        canvas.setLineWidth(e.line_width)
        canvas.line(x, y + h, x + w, y + h)
    elif e.kind == "photo":
        if page.photo:
            _draw_image(canvas, page.photo, x, y, w, h)
        elif not layout.fields_only:
            _draw_photo_placeholder(canvas, x, y, w, h)
    elif e.kind == "seal":
        if page.seal:
            _draw_image(canvas, page.seal, x, y, w, h, mask="auto")
    elif e.kind == "qr":
        code = page.values.get("code", "")
        if page.qr:
            draw_qr(canvas, qr.QrMatrix.from_text(page.qr), x, y, w, h)
        elif code:
            draw_qr(canvas, qr.encode(code), x, y, w, h)


# --- text ------------------------------------------------------------------------------------------

def _text(canvas: Canvas, x: float, baseline: float, text: str, size: float, char_space: float = 0.0,
          scale: float = 100.0) -> None:
    """:func:`.fonts.draw_string`; letter spacing and horizontal scale are graphics state in PDF and
    would carry over to the next text, so they are drawn inside save/restore."""
    if char_space or scale != 100.0:
        canvas.saveState()
        draw_string(canvas, x, baseline, text, size, char_space=char_space, horizontal_scale=scale)
        canvas.restoreState()
    else:
        draw_string(canvas, x, baseline, text, size)


@lru_cache(maxsize=8192)
def _unit_width(ch: str) -> float:
    """Advance of *ch* at 1 pt in the font that draws it (0 for a character no font has)."""
    name = font_for(ch) or FONT_NAME
    return pdfmetrics.stringWidth(ch, name, 1.0)


@lru_cache(maxsize=16384)
def _unit_text_width(text: str) -> float:
    """Width of *text* at 1 pt, run by run (ReportLab's C width function); unprintable characters count 0."""
    try:
        return string_width(text, 1.0)
    except GlyphError:
        return sum(_unit_width(ch) for ch in text)


@dataclass(frozen=True)
class LineFit:
    """How one line of text fits its box."""

    size: float
    width: float  #: visible width in points (trailing letter spacing excluded), before horizontal scaling
    scale: float  #: horizontal scale in percent, 100 unless compressed at the minimum size


def fit_line(text: str, width: float, height: float, size: float, min_size: float,
             letter_spacing: float = 0.0) -> LineFit:
    """The largest size on the 0.25 pt grid from *size* down to *min_size* at which *text* fits the
    box on one line; below that, *min_size* compressed horizontally to the box width."""
    unit = _unit_text_width(text)
    gaps = letter_spacing * max(len(text) - 1, 0)
    limit = size
    if unit > 0:
        limit = min(limit, (width - gaps) / unit)
    limit = min(limit, height)  # the em box fits the box's height
    steps = 0 if limit >= size else math.ceil(round((size - limit) / SIZE_STEP, 6))
    s = max(size - steps * SIZE_STEP, min_size)
    visible = unit * s + gaps
    scale = 100.0
    if visible > width > 0:
        scale = math.floor(10000.0 * width / visible) / 100.0  # never wider than the box, however narrow
    return LineFit(s, visible, scale)


def draw_text_box(canvas: Canvas, text: str, x: float, y: float, w: float, h: float, e: Element) -> None:
    """One line of *text* in the box (x, y bottom-left, w × h, points), shrunk to fit, centred vertically."""
    if not text:
        return
    fit = fit_line(text, w, h, e.font_size, e.min_font_size, e.letter_spacing)
    drawn = fit.width * fit.scale / 100.0
    if e.align == "center":
        x += (w - drawn) / 2
    elif e.align == "right":
        x += w - drawn
    baseline = y + h / 2 - EM_CENTRE * fit.size
    _text(canvas, x, baseline, text, fit.size, e.letter_spacing, fit.scale)


#: A Latin word or number with the punctuation that sticks to it ("RE1-", "2026.", "A岗" splits before 岗).
_LATIN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+[-./:,;!?%)\]]*|\s+|.", re.S)
#: Characters that must not start a line (they join the token before) or end one (they join the next).
_NO_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}-")
_NO_END = set("（《「『【〔〈“‘([{")


def _tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character alone, Latin words whole, punctuation kept with its neighbour."""
    raw = _LATIN.findall(text)
    out: list[str] = []
    carry = ""
    for tok in raw:
        if tok in _NO_END:
            carry += tok
            continue
        tok = carry + tok
        carry = ""
        if out and tok[0] in _NO_START and not out[-1].isspace():
            out[-1] += tok
        else:
            out.append(tok)
    if carry:
        out.append(carry)
    return out


def wrap(text: str, width: float, size: float, first_indent: float = 0.0, letter_spacing: float = 0.0) -> list[str]:
    """Lines of *text* no wider than *width* at *size* (the first one *first_indent* points shorter).
    A token wider than a whole line is cut per character; spaces at line ends are dropped."""
    lines: list[str] = []
    line, used = "", 0.0
    avail = width - first_indent
    for tok in _tokens(text):
        # Per character (cached): tokens of verification codes are unique and would miss any text cache.
        tw = sum(map(_unit_width, tok)) * size + letter_spacing * len(tok)
        if tok.isspace() and not line:
            continue
        if used + tw <= avail + 1e-6:
            line += tok
            used += tw
            continue
        if tok.isspace():
            lines.append(line)
            line, used, avail = "", 0.0, width
            continue
        if line:
            lines.append(line.rstrip())
            line, used, avail = "", 0.0, width
        if tw <= avail + 1e-6:
            line, used = tok, tw
            continue
        for ch in tok:  # longer than a line: cut it
            cw = _unit_width(ch) * size + letter_spacing
            if line and used + cw > avail + 1e-6:
                lines.append(line)
                line, used, avail = "", 0.0, width
            line += ch
            used += cw
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class ParagraphFit:
    size: float
    lines: tuple[str, ...]
    scale: float  #: horizontal scale in percent
    leading: float  #: points between baselines


def fit_paragraph(text: str, width: float, height: float, size: float, min_size: float,
                  indent_chars: float = 0.0, letter_spacing: float = 0.0) -> ParagraphFit:
    """The largest size (0.25 pt steps) at which the wrapped *text* fits the box's height; at the
    minimum size, lines are compressed horizontally (in 5 % steps) until they fit."""

    def fits(s: float, scale: float) -> tuple[bool, list[str]]:
        lines = wrap(text, width * 100.0 / scale, s, indent_chars * s, letter_spacing)
        needed = (len(lines) - 1) * LINE_HEIGHT * s + s
        return needed <= height + 1e-6, lines

    s = size
    while True:
        ok, lines = fits(s, 100.0)
        if ok or s <= min_size:
            break
        s = max(min_size, s - SIZE_STEP)
    scale = 100.0
    while not ok and scale > MIN_HORIZ_SCALE:
        scale -= 5.0
        ok, lines = fits(s, scale)
    return ParagraphFit(s, tuple(lines), scale, LINE_HEIGHT * s)


def draw_paragraph(canvas: Canvas, text: str, x: float, y: float, w: float, h: float, e: Element) -> None:
    """*text* wrapped in the box, top-aligned, lines justified (but the last) for ``align == "left"``."""
    if not text:
        return
    indent = e.indent
    fit = fit_paragraph(text, w, h, e.font_size, e.min_font_size, indent, e.letter_spacing)
    k = fit.scale / 100.0
    top = y + h
    for n, line in enumerate(fit.lines):
        baseline = top - (1.0 - EM_DESCENT) * fit.size - n * fit.leading
        lead = indent * fit.size * k if n == 0 else 0.0
        avail = w - lead
        natural = _unit_text_width(line) * fit.size * k
        spacing = e.letter_spacing
        drawn = natural + spacing * k * max(len(line) - 1, 0)
        last = n == len(fit.lines) - 1
        lx = x + lead
        if e.align == "left" and not last and len(line) > 1 and drawn < avail:
            spacing = (avail - natural) / k / (len(line) - 1)  # justified: the line ends at the right edge
        elif e.align == "center":
            lx += (avail - drawn) / 2
        elif e.align == "right":
            lx += avail - drawn
        _text(canvas, lx, baseline, line, fit.size, spacing, fit.scale)


# --- pictures, frames ------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _image(data: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(data))


def _draw_image(canvas: Canvas, data: bytes, x: float, y: float, w: float, h: float,
                mask: str | None = None) -> None:
    """*data* (JPEG/PNG) centred in the box, keeping its proportions."""
    img = _image(data)
    iw, ih = img.getSize()
    k = min(w / iw, h / ih)
    dw, dh = iw * k, ih * k
    canvas.drawImage(img, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh, mask=mask)


def _draw_photo_placeholder(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.setStrokeColor(_PLACEHOLDER_GREY)
    canvas.setFillColor(_PLACEHOLDER_GREY)
    canvas.rect(x, y, w, h)
    size = min(9.0, w / 3)
    label = "照片"
    draw_string(canvas, x + (w - _unit_text_width(label) * size) / 2, y + h / 2 - EM_CENTRE * size, label, size)
    canvas.restoreState()


def _draw_frame(canvas: Canvas, x: float, y: float, w: float, h: float, line_width: float) -> None:
    """A double border: the heavy line outside, a thin one 1.2 mm inside it."""
    canvas.setLineWidth(line_width)
    half = line_width / 2
    canvas.rect(x + half, y + half, w - line_width, h - line_width)
    thin = max(0.3, line_width / 3)
    gap = line_width + 1.2 * mm
    if w > 2 * gap and h > 2 * gap:
        canvas.setLineWidth(thin)
        canvas.rect(x + gap, y + gap, w - 2 * gap, h - 2 * gap)


def draw_qr(canvas: Canvas, matrix: qr.QrMatrix, x: float, y: float, w: float, h: float) -> None:
    """*matrix* as a square QR code centred in the box, with a white border of 2 modules."""
    side = min(w, h)
    module = side / (matrix.size + 2 * QR_BORDER_MODULES)
    canvas.setFillColor(black)
    qr.draw(canvas, matrix, x + (w - side) / 2 + QR_BORDER_MODULES * module,
            y + (h - side) / 2 + QR_BORDER_MODULES * module, matrix.size * module)


# --- the calibration page --------------------------------------------------------------------------

CROSS_ARM_MM = 6.0
CROSS_MARGIN_MM = 20.0


def crosshair_points(width_mm: float, height_mm: float) -> list[tuple[float, float]]:
    """The calibration crosshairs, mm from the top-left: four at 20 mm from the corners, one centred."""
    m = CROSS_MARGIN_MM
    return [(m, m), (width_mm - m, m), (m, height_mm - m), (width_mm - m, height_mm - m),
            (width_mm / 2, height_mm / 2)]


def calibration_page_pdf(width_mm: float, height_mm: float, calibration: Calibration | None = None) -> bytes:
    """A page with a millimetre grid (5 mm, labelled every 10 mm) and crosshairs at known positions,
    with Chinese instructions for measuring the printer's offset and scale.

    Print it with no calibration, measure, enter the values, print it again with them: the crosshairs
    then sit exactly at the printed coordinates."""
    font = register_fonts()
    buf = io.BytesIO()
    canvas = _new_canvas(buf)
    canvas.setTitle("打印校准页")
    W, H = width_mm * mm, height_mm * mm  # noqa: N806 - page size
    canvas.setPageSize((W, H))
    canvas.saveState()
    if calibration is not None and not calibration.is_identity:
        _apply_calibration(canvas, Layout(kind="on_duty", page_w_mm=width_mm, page_h_mm=height_mm), calibration)

    def pdf_y(y_mm: float) -> float:
        return H - y_mm * mm

    # The grid: every 5 mm light, every 10 mm darker with its value.
    for step in range(0, int(width_mm) + 1, 5):
        canvas.setStrokeColor(_GRID_DARK if step % 10 == 0 else _GRID_LIGHT)
        canvas.setLineWidth(0.3 if step % 10 == 0 else 0.15)
        canvas.line(step * mm, 0, step * mm, H)
    for step in range(0, int(height_mm) + 1, 5):
        canvas.setStrokeColor(_GRID_DARK if step % 10 == 0 else _GRID_LIGHT)
        canvas.setLineWidth(0.3 if step % 10 == 0 else 0.15)
        canvas.line(0, pdf_y(step), W, pdf_y(step))
    canvas.setFillColor(_GRID_DARK)
    for step in range(10, int(width_mm), 10):
        draw_string(canvas, step * mm + 0.6 * mm, H - 3.2 * mm, str(step), 5)
    for step in range(10, int(height_mm), 10):
        draw_string(canvas, 0.8 * mm, pdf_y(step) - 2.4 * mm, str(step), 5)

    # The crosshairs, each with its coordinates.
    canvas.setFillColor(black)
    canvas.setStrokeColor(black)
    for cx, cy in crosshair_points(width_mm, height_mm):
        px, py = cx * mm, pdf_y(cy)
        canvas.setLineWidth(0.25)
        canvas.line(px - CROSS_ARM_MM * mm, py, px + CROSS_ARM_MM * mm, py)
        canvas.line(px, py - CROSS_ARM_MM * mm, px, py + CROSS_ARM_MM * mm)
        canvas.circle(px, py, 2 * mm)
        label = f"({cx:g}, {cy:g}) mm"
        lx = px + 2.6 * mm if cx < width_mm - 45 else px - 2.6 * mm - _unit_text_width(label) * 8
        draw_string(canvas, lx, py + 1.6 * mm, label, 8)

    # The instructions, in a white box in the middle of the upper half.
    cal = calibration or Calibration()
    lines = [
        "打印校准页",
        f"纸张 {width_mm:g} × {height_mm:g} mm。请用实际要打印证书的纸张和打印机打印本页，打印时选“实际大小”（不缩放）。",
        "1. 用尺子测量左上角十字中心到纸张左边、上边的距离，以及左右、上下两对十字中心之间的距离（mm）。",
        "2. 在程序“证书 → 打印机校准”中填入量得的数值，点“计算校正值”，程序算出偏移和比例。",
        "   只需改偏移时：X 偏移 = 20 − 量得的左边距离，Y 偏移 = 20 − 量得的上边距离（打印偏右、偏下时为负）。",
        "3. 保存到该打印机的配置后重新打印本页：各十字中心应正好落在所标坐标上（误差不超过 0.5 mm）。",
        f"本页使用的校准：X 偏移 {cal.dx_mm:+.1f} mm，Y 偏移 {cal.dy_mm:+.1f} mm，"
        f"X 比例 {cal.sx:.4f}，Y 比例 {cal.sy:.4f}",
    ]
    box_w = min(width_mm - 2 * (CROSS_MARGIN_MM + 12), 200.0)
    box_x = (width_mm - box_w) / 2
    box_top = CROSS_MARGIN_MM + 10
    size = 9.0
    widest = max(_unit_text_width(t) for t in lines[1:])
    size = min(size, (box_w - 8) * mm / widest)
    box_h = (len(lines) + 1) * size * 1.55 / mm + 6
    canvas.setFillColor(Color(1, 1, 1))
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.5)
    canvas.rect(box_x * mm, pdf_y(box_top + box_h), box_w * mm, box_h * mm, stroke=1, fill=1)
    canvas.setFillColor(black)
    y = pdf_y(box_top) - 4 * mm - size * 1.4
    title = lines[0]
    tsize = size * 1.5
    draw_string(canvas, (box_x + box_w / 2) * mm - _unit_text_width(title) * tsize / 2, y, title, tsize)
    y -= size * 2.2
    for text in lines[1:]:
        draw_string(canvas, (box_x + 4) * mm, y, text, size)
        y -= size * 1.55
    canvas.restoreState()
    del font
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
