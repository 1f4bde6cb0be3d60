"""The CJK fonts for PDFs, with a per-character fallback.

ReportLab embeds TrueType outlines only (not CFF/OTF), so the bundled fonts are TrueType:
LXGW WenKai (all GBK hanzi, rare name characters such as 𬌗 𬍛) first, then a TrueType
conversion of Noto Serif CJK SC for what WenKai lacks (CJK Ext A …). Text is split into runs,
each run drawn in the first font that has its characters; a character no bundled font has
is refused by name (:class:`GlyphError`) instead of printing as an empty box (R10, R11).
"""

from __future__ import annotations

from functools import cache, lru_cache

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
    return code.to_bytes(4, "big").hex().upper()[4:] if code <= 0xFFFF else chr(code).encode("utf-16-be").hex().upper()


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
    width = sum(pdfmetrics.stringWidth(run, name, size) for name, run in font_runs(text))
    return width + char_space * len(text)


def draw_string(canvas: Canvas, x: float, y: float, text: str, size: float, *,
                char_space: float = 0.0, horizontal_scale: float = 100.0) -> None:
    """Draw *text* with its baseline at (x, y), switching fonts per run (per-character fallback).

    Writes the text operators directly, as ReportLab's text object would (subset fonts from
    ``splitString``/``getSubsetInternalName``), inside ``q … Q`` so that character spacing and
    horizontal scale do not leak: a third of the cost of ``beginText``/``textOut`` for the thousands
    of strings of a certificate batch. ReportLab is pinned; tests read the text back from the PDF."""
    runs = font_runs(text)
    doc = canvas._doc  # noqa: SLF001 - see above
    ops = ["q BT 1 0 0 1", fp_str(x, y), "Tm"]
    if char_space:
        ops += [fp_str(char_space), "Tc"]
    if horizontal_scale != 100.0:
        ops += [fp_str(horizontal_scale), "Tz"]
    size_text = fp_str(size)
    for name, run in runs:
        font = _ttf(name)
        for subset, chunk in font.splitString(run, doc):
            ops += [font.getSubsetInternalName(subset, doc), size_text, f"Tf ({escapePDF(chunk)}) Tj"]
    ops.append("ET Q")
    canvas._code.append(" ".join(ops))  # noqa: SLF001


@cache
def _ttf(name: str) -> TTFont:
    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font
