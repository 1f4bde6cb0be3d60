"""Build resources/fonts/NotoSerifCJKsc-Fallback.ttf from Debian's fonts-noto-cjk.

The result holds the CJK characters of Noto Serif CJK SC that LXGW WenKai lacks (CJK Ext A and
more), with its CFF outlines converted to TrueType quadratics (after fontTools' Snippets/otf2ttf.py),
because ReportLab embeds TrueType outlines only.

    apt-get install fonts-noto-cjk
    .venv/bin/python scripts/make_fallback_font.py \\
        /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \\
        resources/fonts/LXGWWenKai-Regular.ttf resources/fonts/NotoSerifCJKsc-Fallback.ttf
"""

from __future__ import annotations

import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

#: CJK radicals, symbols and punctuation, bopomofo, strokes, enclosed, compatibility, Ext A,
#: URO, compatibility ideographs, vertical forms, full-width forms, Ext B and beyond.
RANGES = [(0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31A0, 0x31EF), (0x3200, 0x33FF),
          (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
          (0x20000, 0x3FFFF)]
NAME = "Noto Serif CJK SC Fallback"


def _to_truetype(font: TTFont) -> None:
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def main(source: str, primary: str, out: str) -> None:
    font = next(f for f in TTCollection(source).fonts if "SC" in f["name"].getDebugName(1))
    have = set(font.getBestCmap())
    covered = set(TTFont(primary).getBestCmap())
    wanted = sorted(cp for cp in have - covered if any(a <= cp <= b for a, b in RANGES))
    options = Options()
    options.name_IDs, options.name_languages = ["*"], ["*"]
    options.notdef_outline, options.layout_features, options.hinting = True, [], False
    options.desubroutinize = True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    _to_truetype(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = NAME
        elif record.nameID == 6:
            record.string = NAME.replace(" ", "")
    font.save(out)
    print(f"{out}: {len(wanted)} characters")


if __name__ == "__main__":
    main(*sys.argv[1:4])
