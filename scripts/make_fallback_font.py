"""Build resources/fonts/NotoSerifCJKsc-Fallback.ttf: the glyphs of Noto Serif CJK SC that LXGW WenKai
lacks, converted from CFF to TrueType outlines (ReportLab embeds TrueType only)."""
import sys
from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools.subset import Subsetter, Options
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

src, wenkai, out = sys.argv[1:4]
coll = TTCollection(src)
font = next(f for f in coll.fonts if "SC" in f["name"].getDebugName(1))
print("source:", font["name"].getDebugName(4))
wk = set(TTFont(wenkai).getBestCmap())
have = set(font.getBestCmap())
RANGES = [(0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31A0, 0x31EF), (0x3200, 0x33FF),
          (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
          (0x20000, 0x3FFFF)]
want = sorted(cp for cp in have - wk if any(a <= cp <= b for a, b in RANGES))
print("fallback codepoints:", len(want))
opts = Options(); opts.name_IDs = ["*"]; opts.name_languages = ["*"]; opts.notdef_outline = True
opts.layout_features = []; opts.hinting = False; opts.desubroutinize = True
sub = Subsetter(opts); sub.populate(unicodes=want); sub.subset(font)
# CFF -> glyf (quadratic), after fontTools Snippets/otf2ttf.py
order = font.getGlyphOrder(); gs = font.getGlyphSet(); glyf = {}
for name in order:
    pen = TTGlyphPen(gs); gs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True)); glyf[name] = pen.glyph()
font["loca"] = newTable("loca"); font["glyf"] = g = newTable("glyf")
g.glyphOrder = order; g.glyphs = glyf; del font["CFF "]
if "VORG" in font: del font["VORG"]
font["maxp"] = m = newTable("maxp"); m.tableVersion = 0x00010000
for a in ("maxZones","maxTwilightPoints","maxStorage","maxFunctionDefs","maxInstructionDefs","maxStackElements",
          "maxSizeOfInstructions","maxComponentElements"): setattr(m, a, 0)
m.maxZones = 1; font["head"].glyphDataFormat = 0; font["post"].formatType = 2.0; font["post"].extraNames=[]; font["post"].mapping={}
font.sfntVersion = "\x00\x01\x00\x00"
name = font["name"]
for rec in list(name.names):
    if rec.nameID in (1, 4, 16): rec.string = "Noto Serif CJK SC Fallback"
    if rec.nameID == 6: rec.string = "NotoSerifCJKSC-Fallback"
font.save(out)
print("saved", out)
