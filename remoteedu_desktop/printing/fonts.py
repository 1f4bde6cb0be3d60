"""The CJK fonts for PDFs, with a per-character fallback.

ReportLab embeds TrueType outlines only (not CFF/OTF), so the bundled fonts are TrueType:
LXGW WenKai (all GBK hanzi, rare name characters such as 𬌗 𬍛) first, then a TrueType
conversion of Noto Serif CJK SC for what WenKai lacks (CJK Ext A …). Text is split into runs,
each run drawn in the first font that has its characters; a character no bundled font has
is refused by name (:class:`GlyphError`) instead of printing as an empty box (R10, R11).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from functools import cache, lru_cache
from itertools import islice
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .. import paths
from ..errors import ValidationError

FONT_NAME = "LXGWWenKai"
FALLBACK_FONT_NAME = "NotoSerifCJKscFallback"


class GlyphError(ValidationError):
    """A text holds characters that no bundled font can draw."""

    def __init__(self, chars: list[str], where: str = "") -> None:
        shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in chars[:5])
        more = f"等 {len(chars)} 个字符" if len(chars) > 5 else ""
        super().__init__(f"{shown}{more}不在任何内置字体中，打印会成为空白方框，已拒绝打印。"
                         f"请核对该字，或换用常用写法", field=where or "文字")
        self.chars = chars


def _utf16_hex(code: int) -> str:
    """A code point as ToUnicode wants it: UTF-16BE hex, a surrogate pair above U+FFFF."""
    return f"{code:04X}" if code <= 0xFFFF else chr(code).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab 5.1's ``ttfonts.makeToUnicodeCMap`` with one fix: characters above U+FFFF (𬌗 𬍛 …)
    are written as UTF-16 surrogate pairs. ReportLab writes ``<2C317>``, which readers take as
    U+2C31 'Ⰱ': the name prints right but copies, searches and extracts wrong."""
    cmap = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
            f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar"]
    cmap += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    cmap += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(cmap)


def fix_to_unicode() -> None:
    """Make every PDF written from now on extract characters above U+FFFF correctly (idempotent).
    For BMP text the CMap is byte-identical to ReportLab's own."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@cache
def register_fonts() -> str:
    """Register the bundled fonts with ReportLab (once) and return the primary font's name."""
    fix_to_unicode()
    # Streams as binary Flate data, not also ASCII85 text: 16 % smaller PDFs and less work per page.
    rl_config.useA85 = 0
    for name, path in ((FONT_NAME, paths.font_path()), (FALLBACK_FONT_NAME, paths.fallback_font_path())):
        font = TTFont(name, str(path))
        _cache_tables(font.face)
        pdfmetrics.registerFont(font)
    return FONT_NAME


def _cache_tables(face: ttfonts.TTFontFile) -> None:
    """Keep each font table ReportLab slices out of the font file: every PDF's subset otherwise copies
    the whole 'glyf' table again (~3 ms a PDF, which counts when each issued certificate is hashed)."""
    tables: dict[str, bytes] = {}
    read = face.get_table

    def get_table(tag: str) -> bytes:
        data = tables.get(tag)
        if data is None:
            data = tables[tag] = read(tag)
        return data

    face.get_table = get_table  # type: ignore[method-assign]


@cache
def _coverage() -> tuple[frozenset[int], dict[int, str]]:
    """(code points of the primary font, code point → first font that has it)."""
    register_fonts()
    font_of: dict[int, str] = {}
    for name in (FALLBACK_FONT_NAME, FONT_NAME):  # the primary last: it wins where both have a glyph
        widths = pdfmetrics.getFont(name).face.charWidths  # type: ignore[attr-defined]
        font_of.update(dict.fromkeys(widths, name))
    primary = frozenset(pdfmetrics.getFont(FONT_NAME).face.charWidths)  # type: ignore[attr-defined]
    return primary, font_of


def font_for(ch: str) -> str | None:
    """The first bundled font that has *ch*; spaces and controls take the primary font."""
    if ch.isspace():
        return FONT_NAME
    return _coverage()[1].get(ord(ch))


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """Characters of *text* that would print as empty boxes: in no bundled font (or, when
    *font_name* is given, not in that one font)."""
    if font_name is not None:
        widths = pdfmetrics.getFont(font_name).face.charWidths  # type: ignore[attr-defined]
        return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in widths})
    primary, font_of = _coverage()
    if primary.issuperset(map(ord, text)):
        return []
    return sorted({ch for ch in text if ord(ch) not in font_of and not ch.isspace()})


def check_printable(text: str, where: str = "") -> None:
    """Raise :class:`GlyphError` naming every character of *text* no bundled font has."""
    missing = missing_glyphs(text)
    if missing:
        raise GlyphError(missing, where)


@lru_cache(maxsize=8192)
def font_runs(text: str) -> tuple[tuple[str, str], ...]:
    """*text* cut into (font name, run) pieces; raises :class:`GlyphError` for unprintable characters."""
    primary, font_of = _coverage()
    if primary.issuperset(map(ord, text)):  # the common case, checked in C
        return ((FONT_NAME, text),) if text else ()
    runs: list[tuple[str, str]] = []
    missing: list[str] = []
    for ch in text:
        name = FONT_NAME if ch.isspace() else font_of.get(ord(ch))
        if name is None:
            missing.append(ch)
            continue
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    if missing:
        raise GlyphError(sorted(set(missing)))
    return tuple(runs)


def string_width(text: str, size: float, char_space: float = 0.0) -> float:
    """Width in points of *text* at *size*, each character in its own font."""
    runs = font_runs(text)
    if len(runs) == 1:  # the common case; sum() of one width is that width (0 + w == w)
        width = _ttf(runs[0][0]).stringWidth(runs[0][1], size)
    else:
        width = sum(pdfmetrics.stringWidth(run, name, size) for name, run in runs)
    return width + char_space * len(text)


def draw_string(canvas: Canvas, x: float, y: float, text: str, size: float, *,
                char_space: float = 0.0, horizontal_scale: float = 100.0) -> None:
    """Draw *text* with its baseline at (x, y), switching fonts per run (per-character fallback).

    Writes the text operators directly, as ReportLab's text object would (subset fonts from
    ``splitString``/``getSubsetInternalName``), inside ``q … Q`` so that character spacing and
    horizontal scale do not leak: a third of the cost of ``beginText``/``textOut`` for the thousands
    of strings of a certificate batch. ReportLab is pinned; tests read the text back from the PDF."""
    canvas._code.append(text_operators(canvas, x, y, text, size, char_space, horizontal_scale))  # noqa: SLF001


def text_operators(canvas: Canvas, x: float, y: float, text: str, size: float, char_space: float = 0.0,
                   horizontal_scale: float = 100.0) -> str:
    """The content-stream text :func:`draw_string` appends (``q BT … ET Q``), without appending it.

    The same arguments give the same operators for the whole document (its subset codes are fixed
    once given), so a document keeps them: a batch's repeated lines (the second line of most bodies,
    the office, the date) are not encoded again. Zero coordinates are not kept (0.0 and -0.0 are equal
    keys but could print differently)."""
    doc = canvas._doc  # noqa: SLF001 - see draw_string
    texts = _doc_texts(doc)
    key = (x, y, text, size, char_space, horizontal_scale)
    done = texts.ops.get(key)
    if done is not None:
        return done
    ops = ["q BT 1 0 0 1", fp_str(x, y), "Tm"]
    if char_space:
        ops += [fp_str(char_space), "Tc"]
    if horizontal_scale != 100.0:
        ops += [fp_str(horizontal_scale), "Tz"]
    size_text = fp_str(size)
    for name, run in font_runs(text):
        for subset_name, escaped in texts.encoder(name).encode(run, doc):
            ops += [subset_name, size_text, f"Tf ({escaped}) Tj"]
    ops.append("ET Q")
    done = " ".join(ops)
    if x and y:
        texts.ops[key] = done
    return done


#: A stretch of equal characters: in a text translated to subset tags, one subset's chunk.
_SAME = re.compile(r"(.)\1*", re.S)


class _SubsetEncoder:
    """One font's characters in one document as PDF string text, subset by subset.

    ReportLab's ``TTFont.splitString`` gives every new character the next code of the current
    256-code subset and returns (subset, bytes) chunks; the codes stay fixed for the document. This
    keeps, for the characters already given a code, two translation tables (character → subset tag,
    character → the escaped byte), so that a text of known characters is cut and escaped by
    ``str.translate`` and a regular expression, in C, with exactly ReportLab's chunks and bytes.
    Any text with a character not yet coded (or U+00A0, which ReportLab maps to the space) goes
    through ``splitString`` itself, which also codes it."""

    def __init__(self, font: TTFont) -> None:
        self.font = font
        self.known: set[int] = set()
        self.tags: dict[int, str] = {}
        self.escaped: dict[int, str] = {}
        self.names: list[str] = []
        self.seen = 0  #: entries of ReportLab's assignment table already copied into the tables

    def name(self, subset: int, doc: object) -> str:
        while len(self.names) <= subset:
            self.names.append(self.font.getSubsetInternalName(len(self.names), doc))
        return self.names[subset]

    def encode(self, run: str, doc: object) -> list[tuple[str, str]]:
        """(subset font name, escaped string text) per chunk of *run*: ReportLab's ``splitString``."""
        if not run:
            return []
        if not self.known.issuperset(map(ord, run)):
            chunks = self.font.splitString(run, doc)
            self._learn(doc)
            return [(self.name(subset, doc), escapePDF(chunk)) for subset, chunk in chunks]
        tags = run.translate(self.tags)
        if tags.count(tags[0]) == len(tags):  # one subset: the common case
            return [(self.name(ord(tags[0]), doc), run.translate(self.escaped))]
        return [(self.name(ord(m.group(1)), doc), run[m.start():m.end()].translate(self.escaped))
                for m in _SAME.finditer(tags)]

    def _learn(self, doc: object) -> None:
        assignments: dict[int, int] = self.font.state[doc].assignments  # type: ignore[index]
        if len(assignments) == self.seen:
            return
        new = list(islice(assignments.items(), self.seen, None))
        self.known.update(code for code, _ in new)
        self.tags.update({code: chr(n >> 8) for code, n in new})
        self.escaped.update({code: _ESCAPED_BYTE[n & 0xFF] for code, n in new})
        self.seen = len(assignments)


#: Each byte as PDF string text (escapePDF works byte by byte).
_ESCAPED_BYTE = tuple(escapePDF(bytes((b,))) for b in range(256))


class _DocTexts:
    """One document's text state: a subset encoder per font, and the operators drawn so far
    (:func:`text_operators`). Holds no reference to the document (it is a weak dictionary's value)."""

    def __init__(self) -> None:
        self.encoders: dict[str, _SubsetEncoder] = {}
        self.ops: dict[tuple[float, float, str, float, float, float], str] = {}

    def encoder(self, name: str) -> _SubsetEncoder:
        enc = self.encoders.get(name)
        if enc is None:
            enc = self.encoders[name] = _SubsetEncoder(_ttf(name))
        return enc


_encoders: WeakKeyDictionary[object, _DocTexts] = WeakKeyDictionary()
#: The last document's state (a weak reference to it), saving the weak dictionary's lookup per text.
_last: tuple[Callable[[], object], _DocTexts] = (lambda: None, _DocTexts())


def _doc_texts(doc: object) -> _DocTexts:
    global _last  # noqa: PLW0603 - a one-entry cache
    ref, texts = _last
    if ref() is not doc:
        found = _encoders.get(doc)
        if found is None:
            found = _encoders[doc] = _DocTexts()
        texts = found
        _last = (weakref.ref(doc), texts)
    return texts


@cache
def _ttf(name: str) -> TTFont:
    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font
