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
  as a QR code (level M) drawn as one inline 1-bit image; ``frame``: a double border; ``line``: a rule.

Text goes through :mod:`.fonts` only (per-character fallback, every font embedded); a character no
bundled font has refuses the whole print by name (:class:`.fonts.GlyphError`).

Speed (issue 5 item 10) without changing a byte: issued certificates are checked against their
stored SHA-256, so ``render_one`` must give for an existing snapshot exactly what it always gave
(tests/printing/test_certificate_render_frozen.py pins it). A batch therefore saves work, not
output: per layout the printed elements, their fill-in templates and the form XObject of the fixed
ones are worked out once (:class:`_Plan`); a text element drawn before with the same text replays
its operators (:meth:`_Document.replay`); text operators are encoded by translation tables
(:func:`.fonts.text_operators`); tokens come from one regular expression and line breaking adds the
same widths in the same order with ``accumulate`` and ``bisect`` (:func:`wrap`).

CONTRACT (step 4): ``render_pdf``, ``render_one``, ``calibration_page_pdf``, ``CertificatePage``,
``Calibration`` are used by services/certificate_*.py, the UI and the bench.
"""

from __future__ import annotations

import gc
import io
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import accumulate

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from ..services.certificate_layout import _PLACEHOLDER, FIELDS, Element, Layout
from . import qr
from .fonts import (
    FONT_NAME,
    GlyphError,
    check_printable,
    draw_string,
    font_for,
    register_fonts,
    string_width,
    text_operators,
)

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
    doc = _Document(_new_canvas(buf))
    backdrop = _image(background) if background else None
    done = 0
    collecting = gc.isenabled()
    gc.disable()  # ReportLab makes many small objects; a batch's cyclic-GC passes cost ~10 % for nothing
    try:
        for page in pages:
            done += 1
            _render_page(doc, page, calibration, backdrop)
            yield done
        if done == 0:
            doc.canvas.showPage()
        doc.canvas.save()
    finally:
        if collecting:
            gc.enable()
    return buf.getvalue()


def _fixed(e: Element) -> bool:
    """A static element whose drawing is the same on every certificate (no placeholders)."""
    return e.static and e.kind in ("text", "paragraph", "frame", "line") and not e.placeholders()


@dataclass(frozen=True)
class _Item:
    """One element a layout draws on every page, with what is worked out once per document."""

    e: Element
    key: int  #: the element's number in its document, for :attr:`_Document.drawn`
    text: bool  #: a text or paragraph (filled in from the page's values)
    where: str  #: where a refused character is, for :class:`.fonts.GlyphError`
    template: str  #: the text as a ``str.format_map`` template (see :func:`_template`)


def _template(text: str) -> str:
    """*text* with its ``{placeholders}`` as format fields and every other brace doubled, so that
    ``_template(t).format_map(_Blank(values)) == certificate_layout.fill(t, values)`` for text values:
    the same placeholders (``_PLACEHOLDER``), the same empty text for a missing value, filled in C."""
    parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, …, literal
    return "".join("{" + part + "}" if n % 2 else part.replace("{", "{{").replace("}", "}}")
                   for n, part in enumerate(parts))


class _Blank(dict[str, str]):
    """A page's values, a missing one printing as empty (as :func:`.certificate_layout.fill` does)."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class _Plan:
    """What every page of one layout draws: its size, the form XObject of its fixed elements, the rest."""

    layout: Layout
    size: tuple[float, float]
    form: str | None
    items: tuple[_Item, ...]


class _Document:
    """One PDF being written: its canvas, a plan per layout, and the content-stream operators of every
    element already drawn, by (element, text).

    A text element draws the same operators wherever its filled-in text is the same (font subset
    codes are fixed for the document once given), without any graphics state left behind; so the
    second certificate with the same office, date or name replays them instead of fitting and
    encoding again. The bytes are those of drawing it anew."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.plans: dict[int, _Plan] = {}
        self.drawn: dict[tuple[int, str], tuple[str, ...]] = {}

    def plan(self, layout: Layout) -> _Plan:
        known = self.plans.get(id(layout))
        if known is not None and known.layout is layout:
            return known
        printed = layout.printed_elements()
        fixed = [e for e in printed if _fixed(e)]
        forms = sum(1 for p in self.plans.values() if p.form)
        form = _static_form(self.canvas, layout, fixed, forms) if fixed else None
        first = sum(len(p.items) for p in self.plans.values())
        items = tuple(_Item(e, first + n, e.kind in ("text", "paragraph"), _where(e), _template(e.text))
                      for n, e in enumerate(e for e in printed if not (form and _fixed(e))))
        plan = self.plans[id(layout)] = _Plan(layout, (layout.page_w_mm * mm, layout.page_h_mm * mm), form, items)
        return plan

    def replay(self, key: tuple[int, str], draw: Callable[[], None]) -> None:
        """Append the operators drawn for *key* before, or *draw* now and keep what it appended."""
        code: list[str] = self.canvas._code  # noqa: SLF001 - the page's content stream
        done = self.drawn.get(key)
        if done is None:
            start = len(code)
            draw()
            self.drawn[key] = tuple(code[start:])
        else:
            code.extend(done)


def _static_form(canvas: Canvas, layout: Layout, fixed: list[Element], number: int) -> str:
    """The name of a form XObject holding the layout's fixed elements (frame, title…), drawn once per
    document and placed on every page that uses the layout."""
    name = f"static{number}"
    canvas.beginForm(name, 0, 0, layout.page_w_mm * mm, layout.page_h_mm * mm)
    for e in fixed:
        if e.kind in ("text", "paragraph"):
            check_printable(e.text, where=_where(e))
        _draw(canvas, layout, e, CertificatePage(layout, {}), e.text)
    canvas.endForm()
    return name


def _render_page(doc: _Document, page: CertificatePage, calibration: Calibration | None,
                 backdrop: ImageReader | None) -> None:
    """One certificate on its own page: every text checked first, then every printed element
    (the fixed ones as one form XObject)."""
    layout = page.layout
    plan = doc.plan(layout)
    drawn = doc.drawn
    values = _Blank(page.values)
    texts: list[str] = []
    for item in plan.items:
        text = ""
        if item.text:
            text = item.template.format_map(values)
            if (item.key, text) not in drawn:  # drawn before: checked before
                check_printable(text, where=item.where)
        texts.append(text)
    canvas = doc.canvas
    canvas.setPageSize(plan.size)
    if backdrop is not None:
        canvas.drawImage(backdrop, 0, 0, *plan.size)
    canvas.saveState()
    if calibration is not None and not calibration.is_identity:
        _apply_calibration(canvas, layout, calibration)
    if plan.form:
        canvas.doForm(plan.form)
    for item, text in zip(plan.items, texts, strict=True):
        e = item.e
        if item.text:
            doc.replay((item.key, text), partial(_draw, canvas, layout, e, page, text))
        elif e.kind == "photo" and not page.photo:
            if not layout.fields_only:
                doc.replay((item.key, ""), partial(_draw, canvas, layout, e, page, text))
        else:
            _draw(canvas, layout, e, page, text)
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
        # canvas.saveState()/restoreState() write exactly "q" and "Q"; draw_string changes no canvas state
        canvas._code += ("q", text_operators(canvas, x, baseline, text, size, char_space, scale), "Q")  # noqa: SLF001
    else:
        draw_string(canvas, x, baseline, text, size)


@lru_cache(maxsize=8192)
def _unit_width(ch: str) -> float:
    """Advance of *ch* at 1 pt in the font that draws it (0 for a character no font has)."""
    name = font_for(ch) or FONT_NAME
    return pdfmetrics.stringWidth(ch, name, 1.0)


class _UnitWidths(dict[str, float]):
    """:func:`_unit_width` as a plain dictionary (filled on first use): summing a token's widths through
    ``dict.__getitem__`` costs half the cached function's calls, for the same floats."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = _unit_width(ch)
        return width


_UNIT_WIDTHS = _UnitWidths()


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
_LATIN_WORD = r"[0-9A-Za-z\u00C0-\u024F]+[-./:,;!?%)\]]*"
_LATIN = re.compile(_LATIN_WORD + r"|\s+|.", re.S)
#: Characters that must not start a line (they join the token before) or end one (they join the next).
_NO_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}-")
_NO_END = set("（《「『【〔〈“‘([{")


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


#: :func:`_tokens` as one regular expression (run in C): a Latin word, whitespace or one character,
#: preceded by the characters that must not end a line and followed by those that must not start one
#: (a whitespace run takes no followers unless something precedes it). Equal to the token rules
#: spelt out in :func:`_tokens_by_rule` (tests compare them on random texts).
_TOKEN = re.compile(
    f"{_char_class(_NO_END)}+(?:{_LATIN_WORD}|\\s+|.){_char_class(_NO_START)}*"
    f"|\\s+"
    f"|(?:{_LATIN_WORD}|.){_char_class(_NO_START)}*", re.S)


def _tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character alone, Latin words whole, punctuation kept with its neighbour."""
    return _TOKEN.findall(text)


def _tokens_by_rule(text: str) -> list[str]:
    """:func:`_tokens` step by step: characters that must not end a line are carried into the next
    token; a token starting with a character that must not start a line joins the one before (unless
    that is whitespace)."""
    out: list[str] = []
    carry = ""
    for tok in _LATIN.findall(text):
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
    A token wider than a whole line is cut per character; spaces at line ends are dropped.

    Greedy, token by token: a line takes tokens while its width (the tokens' widths added one by one)
    stays within the line; a space that does not fit ends the line, as does any other token, which
    then starts the next line (or, wider than a line, is cut per character); spaces do not start a
    line. The arithmetic is frozen: issued certificates' lines (and so their hashes) depend on it to
    the last bit. The running widths of a line are ``itertools.accumulate`` (the same additions in
    the same order) and how many tokens fit is a ``bisect`` in them (widths are never negative), so
    the per-token work runs in C."""
    tokens = _tokens(text)
    unit_width = _UNIT_WIDTHS.__getitem__
    # Per character (cached): tokens of verification codes are unique and would miss any text cache.
    # (sum() of one width is that width: 0 + w == w.)
    widths = [(unit_width(tok) if len(tok) == 1 else sum(map(unit_width, tok))) * size + letter_spacing * len(tok)
              for tok in tokens]
    lines: list[str] = []
    line, used = "", 0.0
    avail = width - first_indent
    i, n = 0, len(tokens)
    while i < n:
        if not line:
            while i < n and tokens[i].isspace():
                i += 1
            if i == n:
                break
        running = list(accumulate(widths[i:], initial=used))
        fit = bisect_right(running, avail + 1e-6, 1) - 1  # tokens from i that fit: running[k] = used after k
        if fit:
            line += "".join(tokens[i:i + fit])
            used = running[fit]
            i += fit
            if i == n:
                break
        tok, tw = tokens[i], widths[i]
        i += 1
        if tok.isspace():  # (never on an empty line: leading spaces were skipped)
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
            cw = unit_width(ch) * size + letter_spacing
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
        spacing = e.letter_spacing
        last = n == len(fit.lines) - 1
        lx = x + lead
        if e.align != "left" or (not last and len(line) > 1):  # (a left-aligned last line needs no width)
            natural = _unit_text_width(line) * fit.size * k
            drawn = natural + spacing * k * max(len(line) - 1, 0)
            if e.align == "left":
                if drawn < avail:
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
