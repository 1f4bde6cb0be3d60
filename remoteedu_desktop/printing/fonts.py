"""The CJK fonts for PDFs, with a per-character fallback.

ReportLab embeds TrueType outlines only (not CFF/OTF), so the bundled fonts are TrueType:
LXGW WenKai (all GBK hanzi, rare name characters such as 𬌗 𬍛) first, then a TrueType
conversion of Noto Serif CJK SC for what WenKai lacks (CJK Ext A …). Text is split into runs,
each run drawn in the first font that has its characters; a character no bundled font has
is refused by name (:class:`GlyphError`) instead of printing as an empty box (R10, R11).
"""

from __future__ import annotations

from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics
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


@cache
def register_fonts() -> str:
    """Register the bundled fonts with ReportLab (once) and return the primary font's name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(paths.font_path())))
    pdfmetrics.registerFont(TTFont(FALLBACK_FONT_NAME, str(paths.fallback_font_path())))
    return FONT_NAME


@cache
def _chain() -> tuple[tuple[str, dict[int, float]], ...]:
    register_fonts()
    out = []
    for name in (FONT_NAME, FALLBACK_FONT_NAME):
        font = pdfmetrics.getFont(name)
        out.append((name, font.face.charWidths))  # type: ignore[attr-defined]
    return tuple(out)


def font_for(ch: str) -> str | None:
    """The first bundled font that has *ch*; spaces and controls take the primary font."""
    if ch.isspace():
        return FONT_NAME
    code = ord(ch)
    for name, widths in _chain():
        if code in widths:
            return name
    return None


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """Characters of *text* that would print as empty boxes: in no bundled font (or, when
    *font_name* is given, not in that one font)."""
    if font_name is not None:
        widths = pdfmetrics.getFont(font_name).face.charWidths  # type: ignore[attr-defined]
        return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in widths})
    return sorted({ch for ch in text if font_for(ch) is None})


def check_printable(text: str, where: str = "") -> None:
    """Raise :class:`GlyphError` naming every character of *text* no bundled font has."""
    missing = missing_glyphs(text)
    if missing:
        raise GlyphError(missing, where)


@lru_cache(maxsize=4096)
def font_runs(text: str) -> tuple[tuple[str, str], ...]:
    """*text* cut into (font name, run) pieces; raises :class:`GlyphError` for unprintable characters."""
    runs: list[tuple[str, str]] = []
    missing: list[str] = []
    for ch in text:
        name = font_for(ch)
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
    """Draw *text* with its baseline at (x, y), switching fonts per run (per-character fallback)."""
    runs = font_runs(text)
    obj = canvas.beginText(x, y)
    if char_space:
        obj.setCharSpace(char_space)
    if horizontal_scale != 100.0:
        obj.setHorizScale(horizontal_scale)
    for name, run in runs:
        obj.setFont(name, size)
        obj.textOut(run)
    canvas.drawText(obj)
