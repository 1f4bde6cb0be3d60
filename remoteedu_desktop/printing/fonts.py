"""The CJK font for PDFs: the bundled LXGW WenKai TrueType (ReportLab embeds TrueType outlines
only, not CFF/OTF), registered once, with a check that a text has a glyph for every character."""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import paths

FONT_NAME = "LXGWWenKai"


@cache
def register_fonts() -> str:
    """Register the bundled font with ReportLab (once) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(paths.font_path())))
    return FONT_NAME


def missing_glyphs(text: str, font_name: str | None = None) -> list[str]:
    """Characters of *text* the font cannot draw (they would print as empty boxes)."""
    font = pdfmetrics.getFont(font_name or register_fonts())
    widths = font.face.charWidths  # type: ignore[attr-defined]
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in widths})
