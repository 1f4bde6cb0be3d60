"""The yearly evaluation form (年度考评表, R14) as PDF bytes: one A4 page per person (or site).

The conventional layout, one bordered table from top to bottom:

- the title "<year>年度农村党员干部现代远程教育<角色>考评表", a line with the township and the ranking;
- the personal data (姓名 / 性别 / 出生年月, 政治面貌 / 文化程度 / 任职时间, 工作单位, 岗位) beside a
  1-inch photo box (25 × 35 mm; the photo when there is one, else an empty box marked "照片");
- the item scores (序号 / 考评内容 / 分值 / 得分): the score items, then deduction (扣分) and bonus (加分)
  rows, then 合计;
- 总分, 等次 and 排名 (with "不胜任现岗位，建议调整" for those flagged for adjustment, R14);
- a tall "个人总结" box (the self-summary, or blank lines to write on by hand), then "所在单位意见" and
  "乡镇（县）远教办意见" boxes (the latter holds the stored opinion) with 签字 / 盖章 / 年 月 日 lines.

分值 and 得分 are on the 100-point scale of the total (R14: weights sum to 100): a score item's 分值 is
its weight and its 得分 the points entered scaled by weight ÷ maximum, so the column adds up to 总分;
a deduction or a bonus shows its cap ("最多扣 5") and the points (−2 / +2). A cell not scored yet is
left blank, to be filled in by hand.

Drawn on the canvas directly (fixed geometry, text shrunk or wrapped to fit its cell, never out of it):
5,000 forms in one batch must stay close to bare ReportLab (bench/evaluation.py). Text goes through
:mod:`.fonts` (per-character fallback, fonts embedded); a character no bundled font has refuses the
batch and names the form it is on. Plain frozen dataclasses in, bytes out: no Session here
(:mod:`remoteedu_desktop.services.evaluation_forms_data` gathers the data).
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .fonts import GlyphError, draw_string, register_fonts, string_width
from .training_sheets import fit_text, one_line

TITLE_PREFIX = "农村党员干部现代远程教育"
PHOTO_W_MM, PHOTO_H_MM = 25.0, 35.0  #: the 1-inch photo (一寸照片)
UNFIT_NOTE = "不胜任现岗位，建议调整"  #: R14: flagged for adjustment

_PAGE_W, _PAGE_H = A4
_MARGIN_X = 15 * mm
_MARGIN_TOP = 12 * mm
_MARGIN_BOTTOM = 12 * mm
_LEFT = _MARGIN_X
_RIGHT = _PAGE_W - _MARGIN_X
_WIDTH = _RIGHT - _LEFT
_INK = colors.black
_GREY = colors.Color(0.55, 0.55, 0.55)
_FILL = colors.Color(0.92, 0.92, 0.92)

_TITLE_SIZE = 16.0
_TEXT_SIZE = 10.5
_SMALL_SIZE = 9.0
_PAD = 1.5 * mm

#: The personal block: six label/value columns (mm), the photo column taking the rest; four rows.
_INFO_COLS_MM = (18.0, 31.0, 18.0, 30.0, 20.0, 33.0)
_INFO_ROW_MM = 9.0
#: The item table: 序号, 考评内容, 分值, 得分.
ITEM_COLUMNS: tuple[tuple[str, float], ...] = (("序号", 14.0), ("考评内容", 126.0), ("分值", 20.0), ("得分", 20.0))
_ITEM_HEAD_MM = 8.0
_ITEM_ROW_MM = 7.5  #: the usual row height; shrunk down to _ITEM_ROW_MIN_MM when a rubric has many items
_ITEM_ROW_MIN_MM = 4.5
_TOTAL_ROW_MM = 9.0
_BOX_LABEL_MM = 22.0
_SUMMARY_MIN_MM = 40.0
_OPINION_MIN_MM = 28.0
_SIGN_LINE_MM = 9.0  #: the signature line at the foot of each box

_NO_LINE_START = frozenset("，。、；：？！）》」』”’…—·,.;:?!)")
_KIND_PREFIX = {"score": "", "deduction": "扣分：", "bonus": "加分："}


@dataclass(frozen=True)
class FormItem:
    """One row of the item table."""

    title: str
    kind: str  #: "score" | "deduction" | "bonus"
    max_points: float
    weight_pct: float
    points: float | None  #: as entered (out of max_points); None: not scored yet

    @property
    def value_text(self) -> str:
        """分值: the weight of a score item, the cap of a deduction or bonus."""
        if self.kind == "deduction":
            return f"最多扣{number(self.max_points)}"
        if self.kind == "bonus":
            return f"最多加{number(self.max_points)}"
        return number(self.weight_pct)

    @property
    def contribution(self) -> float | None:
        """The item's share of the total: weighted points, +bonus, −deduction (R14)."""
        if self.points is None:
            return None
        if self.kind == "deduction":
            return -self.points
        if self.kind == "bonus":
            return self.points
        if not self.max_points:
            return 0.0
        return round(self.points / self.max_points * self.weight_pct, 1)

    @property
    def points_text(self) -> str:
        value = self.contribution
        if value is None:
            return ""
        if self.kind == "deduction":
            return f"−{number(-value)}" if value else "0"
        if self.kind == "bonus":
            return f"+{number(value)}" if value else "0"
        return number(value)


@dataclass(frozen=True)
class EvaluationForm:
    """Everything one person's (or one site's) yearly evaluation form shows."""

    year: int
    role: str  #: the evaluated role in the title, e.g. "站点管理员", "教学辅导员", "站点"
    name: str
    township: str  #: "龙潭镇", or the county for county-level staff
    #: The six short fields, in reading order: (姓名, x), (性别, x), (出生年月, x), (政治面貌, x), (文化程度, x),
    #: (任职时间, x) for a person; see :func:`person_fields` and :func:`site_fields`.
    short_fields: tuple[tuple[str, str], ...]
    #: The two full-width fields: (工作单位, x), (岗位, x) for a person.
    wide_fields: tuple[tuple[str, str], ...]
    items: tuple[FormItem, ...]
    total: float | None
    grade: str  #: the grade's label in the round's wording (优秀 / 称职 …), "" when not graded
    rank_township: int | None = None
    rank_county: int | None = None
    unfit: bool = False
    self_summary: str = ""
    opinion: str = ""
    photo: bytes | None = None  #: JPEG/PNG bytes of the 1-inch photo
    kind: str = "person"  #: "person", or "site" (no photo box, 工作总结 instead of 个人总结)

    @property
    def show_photo(self) -> bool:
        return self.kind != "site"

    @property
    def title(self) -> str:
        return f"{self.year}年度{TITLE_PREFIX}{self.role}考评表"


def number(value: float | None) -> str:
    """85.0 → "85", 85.5 → "85.5"; None → ""."""
    if value is None:
        return ""
    return f"{round(float(value), 1):g}"


def person_fields(*, name: str, gender: str, birth: str, political_status: str, education: str, since: str,
                  unit: str, post: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(short, wide) fields of a person's form."""
    return ((("姓名", name), ("性别", gender), ("出生年月", birth), ("政治面貌", political_status),
             ("文化程度", education), ("任职时间", since)),
            (("工作单位", unit), ("岗位", post)))


def site_fields(*, name: str, kind: str, code: str, township: str, manager_a: str, manager_b: str, contact: str,
                address: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(short, wide) fields of a site's form (the model-site evaluation, R14): no photo box."""
    return ((("站点类别", kind), ("站点代码", code), ("所属乡镇", township), ("管理员A岗", manager_a),
             ("管理员B岗", manager_b), ("联系人", contact)),
            (("站点名称", name), ("地址", address)))


def rank_text(form: EvaluationForm) -> str:
    parts = []
    if form.rank_township is not None:
        parts.append(f"乡镇第 {form.rank_township} 名")
    if form.rank_county is not None:
        parts.append(f"全县第 {form.rank_county} 名")
    text = "，".join(parts)
    if form.unfit:
        text = f"{text}；{UNFIT_NOTE}" if text else UNFIT_NOTE
    return text


# --- drawing helpers -------------------------------------------------------------------------------

@lru_cache(maxsize=32768)
def _width(text: str, size: float) -> float:
    """:func:`.fonts.string_width`, remembered: labels, units and single characters repeat on every form."""
    return string_width(text, size)


def _put(c: Canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
    if align != "left":
        width = _width(text, size)
        x -= width / 2 if align == "center" else width
    draw_string(c, x, y, text, size)


def _fitted(c: Canvas, text: str, x: float, y: float, w: float, h: float, size: float = _TEXT_SIZE, *,
            align: str = "center", min_size: float = 6.0) -> None:
    """*text* inside the box (x, y bottom-left), shrunk or wrapped to two lines, vertically centred."""
    if not text:
        return
    if _width(text, size) <= w and "\n" not in text:  # the common case: one line at full size
        s, lines = size, [text]
    else:
        s, lines = fit_text(text, w, h, "", size, min_size)
    leading = s * 1.15
    top = y + h / 2 + leading * len(lines) / 2 - s * 0.88
    for n, line in enumerate(lines):
        base = top - n * leading
        if align == "left":
            _put(c, x, base, line, s)
        else:
            _put(c, x + w / 2, base, line, s, "center")


def _label_lines(c: Canvas, lines: Sequence[str], x: float, y: float, w: float, h: float) -> None:
    """A box's label (several short lines) centred in its label cell."""
    leading = _TEXT_SIZE * 1.5
    top = y + h / 2 + leading * len(lines) / 2 - _TEXT_SIZE * 1.1
    for n, line in enumerate(lines):
        _put(c, x + w / 2, top - n * leading, line, _TEXT_SIZE, "center")


def wrap_lines(text: str, width: float, size: float) -> list[str]:
    """*text* as lines no wider than *width* at *size*: its own line breaks kept, each paragraph wrapped per
    character (CJK has no spaces), a paragraph's first line indented by two full-width spaces."""
    out: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        para = para.strip()
        if not para:
            continue
        line = "\u3000\u3000"
        line_w = _width(line, size)
        for ch in para:
            cw = _width(ch, size)
            if line_w + cw > width and line.strip():
                if ch in _NO_LINE_START and len(line.strip()) > 1:
                    # Closing punctuation never starts a line: the character before it moves down too.
                    ch, line = line[-1] + ch, line[:-1]
                    cw = _width(ch, size)
                out.append(line)
                line, line_w = ch, cw
            else:
                line += ch
                line_w += cw
        if line.strip():
            out.append(line)
    return out


def _paragraph(c: Canvas, text: str, x: float, y: float, w: float, h: float) -> None:
    """A free text (self-summary, opinion) in the box from the top, the size shrunk down to 7.5 pt until it
    fits; what still does not fit ends with "…（全文见档案）"."""
    size = _TEXT_SIZE
    while True:
        leading = size * 1.55
        lines = wrap_lines(text, w, size)
        rows = int((h - size * 0.4) // leading)
        if len(lines) <= rows or size <= 7.5:
            break
        size -= 0.5
    if len(lines) > rows:
        tail = "…（全文见档案）"
        lines = lines[:max(rows, 1)]
        last = lines[-1]
        while last and string_width(last + tail, size) > w:
            last = last[:-1]
        lines[-1] = last + tail
    for n, line in enumerate(lines):
        _put(c, x, y + h - size - n * leading, line, size)


@lru_cache(maxsize=64)
def _image(data: bytes) -> ImageReader:
    return ImageReader(io.BytesIO(data))


def _photo(c: Canvas, data: bytes | None, x: float, y: float, w: float, h: float) -> None:
    """The 1-inch photo centred in its cell, kept in proportion; an empty marked box without one."""
    pw, ph = PHOTO_W_MM * mm, PHOTO_H_MM * mm
    px, py = x + (w - pw) / 2, y + (h - ph) / 2
    if data:
        img = _image(data)
        iw, ih = img.getSize()
        k = min(pw / iw, ph / ih)
        dw, dh = iw * k, ih * k
        c.drawImage(img, px + (pw - dw) / 2, py + (ph - dh) / 2, dw, dh)
        return
    c.saveState()
    c.setStrokeColor(_GREY)
    c.setFillColor(_GREY)
    c.setLineWidth(0.4)
    c.setDash(2, 2)
    c.rect(px, py, pw, ph, stroke=1, fill=0)
    _put(c, px + pw / 2, py + ph / 2 + 1.5 * mm, "照片", _SMALL_SIZE, "center")
    _put(c, px + pw / 2, py + ph / 2 - 3.5 * mm, "（一寸）", _SMALL_SIZE, "center")
    c.restoreState()


def _sign_line(c: Canvas, x: float, y: float, w: float, who: str, *, seal: bool) -> None:
    """"签字：          （盖章）          年    月    日" along the foot of a box."""
    base = y + 3 * mm
    _put(c, x + 4 * mm, base, f"{who}：", _TEXT_SIZE)
    if seal:
        _put(c, x + w * 0.52, base, "（盖章）", _TEXT_SIZE, "center")
    _put(c, x + w - 4 * mm, base, "年\u3000\u3000月\u3000\u3000日", _TEXT_SIZE, "right")


# --- the page --------------------------------------------------------------------------------------
#
# A page is drawn in two passes. What is the same on every form of a kind — rules, shading, labels, the
# title, the item rows' numbers, titles and 分值 — is drawn once per batch into a PDF form XObject
# (keyed by those texts and the geometry) and placed on each page; then the person's own values are drawn
# over it. A county's 5,000 forms thus draw ~40 strings a page instead of ~110, and the PDF holds the
# shared part once.

@dataclass(frozen=True)
class _Geometry:
    item_row: float  #: points
    item_size: float
    summary_h: float
    opinion_h: float


def _geometry(item_count: int) -> _Geometry:
    """Row height of the item table and the heights of the three boxes: the items take what they need
    (shrinking rows of a long rubric), the summary ~45 % of what is left and the opinions the rest."""
    top = _PAGE_H - _MARGIN_TOP - 17 * mm
    fixed = 4 * _INFO_ROW_MM * mm + _ITEM_HEAD_MM * mm + _TOTAL_ROW_MM * mm
    rows = item_count + 1  # + 合计
    avail = top - _MARGIN_BOTTOM - fixed
    boxes_min = (_SUMMARY_MIN_MM + 2 * _OPINION_MIN_MM) * mm
    row = min(_ITEM_ROW_MM * mm, max(_ITEM_ROW_MIN_MM * mm, (avail - boxes_min) / rows))
    size = min(_TEXT_SIZE, max(6.5, row / mm * 1.35))
    left = avail - rows * row
    summary = max(_SUMMARY_MIN_MM * mm * 0.6, left * 0.44)
    opinion = (left - summary) / 2
    return _Geometry(row, size, summary, opinion)


@dataclass(frozen=True)
class _Layout:
    """Where everything of one form goes (points, origin bottom left)."""

    geo: _Geometry
    top: float  #: the table's top edge
    info_xs: tuple[float, ...]  #: the 7 column edges of the personal block
    info_right: float
    info_bottom: float
    item_xs: tuple[float, ...]  #: the 5 column edges of the item table
    items_top: float  #: under the item header
    items_bottom: float
    total_xs: tuple[float, ...]
    total_bottom: float
    boxes: tuple[tuple[float, float], ...]  #: (top, bottom) of the three boxes


@lru_cache(maxsize=64)
def _layout(item_count: int, show_photo: bool) -> _Layout:
    geo = _geometry(item_count)
    top = _PAGE_H - _MARGIN_TOP - 17 * mm
    xs = [_LEFT]
    for w in _INFO_COLS_MM:
        xs.append(xs[-1] + w * mm)
    if not show_photo:  # the personal block takes the photo's width too
        k = _WIDTH / (xs[-1] - _LEFT)
        xs = [_LEFT + (x - _LEFT) * k for x in xs]
    info_right = xs[-1]
    info_bottom = top - 4 * _INFO_ROW_MM * mm
    ix = [_LEFT]
    for _h, w in ITEM_COLUMNS:
        ix.append(ix[-1] + w * mm)
    items_top = info_bottom - _ITEM_HEAD_MM * mm
    items_bottom = items_top - geo.item_row * (item_count + 1)
    total_bottom = items_bottom - _TOTAL_ROW_MM * mm
    boxes = []
    y = total_bottom
    for height in (geo.summary_h, geo.opinion_h, geo.opinion_h):
        boxes.append((y, y - height))
        y -= height
    return _Layout(geo, top, tuple(xs), info_right, info_bottom, tuple(ix), items_top, items_bottom,
                   tuple(_LEFT + w * mm for w in (0, 20, 45, 65, 90, 110)) + (_RIGHT,), total_bottom, tuple(boxes))


def _fill(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    c.setFillColor(_FILL)
    c.rect(x, y, w, h, stroke=0, fill=1)
    c.setFillColor(_INK)


def _static_key(form: EvaluationForm) -> tuple[object, ...]:
    return (form.title, form.kind, bool(form.photo), tuple(label for label, _v in form.short_fields),
            tuple(label for label, _v in form.wide_fields[:2]),
            tuple((item.kind, item.title, item.value_text) for item in form.items))


def _draw_static(c: Canvas, form: EvaluationForm, lay: _Layout) -> None:
    """Everything that is the same on every form with the same key (:func:`_static_key`)."""
    c.setFillColor(_INK)
    c.setStrokeColor(_INK)
    _fitted(c, form.title, _LEFT, _PAGE_H - _MARGIN_TOP - 10 * mm, _WIDTH, 10 * mm, _TITLE_SIZE, min_size=11)
    top, xs, row_h = lay.top, lay.info_xs, _INFO_ROW_MM * mm
    lines: list[tuple[float, float, float, float]] = []
    # Personal data: labels, shading, rules; the photo box.
    for r in range(2):
        y0 = top - row_h * (r + 1)
        for k in range(3):
            label = form.short_fields[r * 3 + k][0]
            lx, vx = xs[2 * k], xs[2 * k + 1]
            if label:
                _fill(c, lx, y0, vx - lx, row_h)
                _fitted(c, label, lx + _PAD / 2, y0, vx - lx - _PAD, row_h)
    for r, (label, _value) in enumerate(form.wide_fields[:2]):
        y0 = top - row_h * (r + 3)
        _fill(c, xs[0], y0, xs[1] - xs[0], row_h)
        _fitted(c, label, xs[0] + _PAD / 2, y0, xs[1] - xs[0] - _PAD, row_h)
    for x in xs[2:-1]:
        lines.append((x, top, x, top - 2 * row_h))
    lines.append((xs[1], top, xs[1], lay.info_bottom))
    for r in range(1, 4):
        lines.append((_LEFT, top - row_h * r, lay.info_right, top - row_h * r))
    if form.show_photo:
        lines.append((lay.info_right, top, lay.info_right, lay.info_bottom))
        if not form.photo:
            _photo(c, None, lay.info_right, lay.info_bottom, _RIGHT - lay.info_right, top - lay.info_bottom)
    lines.append((_LEFT, lay.info_bottom, _RIGHT, lay.info_bottom))

    # The item table: header, numbers, titles, 分值, 合计.
    ix, row, size = lay.item_xs, lay.geo.item_row, lay.geo.item_size
    head_h = lay.info_bottom - lay.items_top
    _fill(c, _LEFT, lay.items_top, _WIDTH, head_h)
    for (label, _w), x0, x1 in zip(ITEM_COLUMNS, ix, ix[1:], strict=False):
        _fitted(c, label, x0, lay.items_top, x1 - x0, head_h)
    lines.append((_LEFT, lay.items_top, _RIGHT, lay.items_top))
    scored = [i for i in form.items if i.kind == "score"]
    for n, item in enumerate(form.items, start=1):
        y1 = lay.items_top - row * n
        _fitted(c, str(n), ix[0], y1, ix[1] - ix[0], row, size)
        _fitted(c, _KIND_PREFIX.get(item.kind, "") + item.title, ix[1] + _PAD, y1, ix[2] - ix[1] - 2 * _PAD, row,
                size, align="left")
        _fitted(c, item.value_text, ix[2] + _PAD / 2, y1, ix[3] - ix[2] - _PAD, row, size)
        lines.append((_LEFT, y1, _RIGHT, y1))
    y1 = lay.items_bottom
    _fitted(c, "合\u3000计", ix[1], y1, ix[2] - ix[1], row, size)
    if scored:
        _fitted(c, number(sum(i.weight_pct for i in scored)), ix[2] + _PAD / 2, y1, ix[3] - ix[2] - _PAD, row, size)
    lines.append((_LEFT, y1, _RIGHT, y1))
    for x0 in ix[1:-1]:
        lines.append((x0, lay.info_bottom, x0, lay.items_bottom))

    # 总分 / 等次 / 排名 labels.
    tx, y2, total_h = lay.total_xs, lay.total_bottom, lay.items_bottom - lay.total_bottom
    for k, label in ((0, "总\u3000分"), (2, "等\u3000次"), (4, "排\u3000名")):
        _fill(c, tx[k], y2, tx[k + 1] - tx[k], total_h)
        _fitted(c, label, tx[k] + _PAD / 2, y2, tx[k + 1] - tx[k] - _PAD, total_h)
    for x in tx[1:-1]:
        lines.append((x, y2, x, lay.items_bottom))
    lines.append((_LEFT, y2, _RIGHT, y2))

    # The three boxes: label cell, signature line.
    bx = _LEFT + _BOX_LABEL_MM * mm
    summary = (("个人", "总结"), "本人签字") if form.show_photo else (("工作", "总结"), "负责人签字")
    labels = ((summary[0], summary[1], False), (("所在单位", "意见"), "负责人签字", True),
              (("乡镇（县）", "远教办", "意见"), "负责人签字", True))
    for (box_top, box_bottom), (label, who, seal) in zip(lay.boxes, labels, strict=True):
        _fill(c, _LEFT, box_bottom, bx - _LEFT, box_top - box_bottom)
        _label_lines(c, label, _LEFT, box_bottom, bx - _LEFT, box_top - box_bottom)
        _sign_line(c, bx, box_bottom, _RIGHT - bx, who, seal=seal)
        lines.append((bx, box_top, bx, box_bottom))
        if box_bottom > _MARGIN_BOTTOM + 1:
            lines.append((_LEFT, box_bottom, _RIGHT, box_bottom))

    c.setLineWidth(0.5)
    path = c.beginPath()
    for x1, y1_, x2, y2_ in lines:
        path.moveTo(x1, y1_)
        path.lineTo(x2, y2_)
    c.drawPath(path, stroke=1, fill=0)
    c.setLineWidth(1.2)
    c.rect(_LEFT, lay.boxes[-1][1], _WIDTH, top - lay.boxes[-1][1], stroke=1, fill=0)


def _draw_values(c: Canvas, form: EvaluationForm, lay: _Layout) -> None:
    """The person's own values over the static part."""
    y = _PAGE_H - _MARGIN_TOP - 15 * mm
    if form.township:
        s, text = one_line(f"所在乡镇（县）：{form.township}", _WIDTH * 0.55, "", _TEXT_SIZE)
        _put(c, _LEFT, y, text, s)
    ranks = rank_text(form)
    if ranks:
        s, text = one_line(ranks, _WIDTH * 0.44, "", _TEXT_SIZE)
        _put(c, _RIGHT, y, text, s, "right")
    top, xs, row_h = lay.top, lay.info_xs, _INFO_ROW_MM * mm
    for r in range(2):
        y0 = top - row_h * (r + 1)
        for k in range(3):
            value = form.short_fields[r * 3 + k][1]
            vx, vx1 = xs[2 * k + 1], xs[2 * k + 2]
            _fitted(c, value, vx + _PAD / 2, y0, vx1 - vx - _PAD, row_h)
    for r, (_label, value) in enumerate(form.wide_fields[:2]):
        y0 = top - row_h * (r + 3)
        _fitted(c, value, xs[1] + _PAD, y0, lay.info_right - xs[1] - 2 * _PAD, row_h, align="left")
    if form.show_photo and form.photo:
        _photo(c, form.photo, lay.info_right, lay.info_bottom, _RIGHT - lay.info_right, top - lay.info_bottom)

    ix, row, size = lay.item_xs, lay.geo.item_row, lay.geo.item_size
    for n, item in enumerate(form.items, start=1):
        _fitted(c, item.points_text, ix[3] + _PAD / 2, lay.items_top - row * n, ix[4] - ix[3] - _PAD, row, size)
    _fitted(c, number(form.total), ix[3] + _PAD / 2, lay.items_bottom, ix[4] - ix[3] - _PAD, row, size)

    tx, y2, total_h = lay.total_xs, lay.total_bottom, lay.items_bottom - lay.total_bottom
    for k, text in ((1, number(form.total)), (3, form.grade), (5, ranks)):
        _fitted(c, text, tx[k] + _PAD / 2, y2, tx[k + 1] - tx[k] - _PAD, total_h)

    bx = _LEFT + _BOX_LABEL_MM * mm
    sign = _SIGN_LINE_MM * mm
    for (box_top, box_bottom), text in zip(lay.boxes, (form.self_summary, "", form.opinion), strict=True):
        if text.strip():
            _paragraph(c, text, bx + 2 * _PAD, box_bottom + sign, _RIGHT - bx - 4 * _PAD,
                       box_top - box_bottom - sign - 2 * _PAD)


def _draw_form(c: Canvas, form: EvaluationForm, templates: dict[tuple[object, ...], str]) -> None:
    lay = _layout(len(form.items), form.show_photo)
    key = _static_key(form)
    name = templates.get(key)
    if name is None:
        name = templates[key] = f"EvalForm{len(templates)}"
        c.beginForm(name)
        _draw_static(c, form, lay)
        c.endForm()
    c.doForm(name)
    c.setFillColor(_INK)
    _draw_values(c, form, lay)


def _new_canvas(buf: io.BytesIO, title: str, font: str) -> Canvas:
    # The initial font is ours too: otherwise ReportLab lists an unembedded Helvetica in every PDF.
    c = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font)
    c.setTitle(title)
    c.setCreator("RemoteEdu Desktop")
    return c


def batch_title(forms: Sequence[EvaluationForm]) -> str:
    if not forms:
        return "年度考评表"
    first = forms[0]
    return f"{first.title} {first.name}" + (f" 等 {len(forms)} 份" if len(forms) > 1 else "")


def render_forms_steps(forms: Iterable[EvaluationForm], *, title: str | None = None) -> Generator[int, None, bytes]:
    """One page per form, yielding the number of pages drawn after each; returns the PDF bytes. *forms* may
    be a lazy iterable (a county's batch read chunk by chunk); *title* is the PDF's title (by default from
    the forms when they are a sequence). A character no bundled font has refuses the batch, naming the
    form (:class:`GlyphError`)."""
    font = register_fonts()
    if title is None:
        title = batch_title(forms) if isinstance(forms, Sequence) else "年度考评表"
    buf = io.BytesIO()
    c = _new_canvas(buf, title, font)
    n = 0
    templates: dict[tuple[object, ...], str] = {}
    for form in forms:
        try:
            _draw_form(c, form, templates)
        except GlyphError as exc:
            raise GlyphError(exc.chars, where=f"{form.name}的{form.title}") from exc
        c.showPage()
        n += 1
        yield n
    if not n:
        c.showPage()
    c.save()
    return buf.getvalue()


def render_forms(forms: Sequence[EvaluationForm]) -> bytes:
    """All forms in one PDF, one page each."""
    steps = render_forms_steps(forms)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


__all__ = [
    "ITEM_COLUMNS", "PHOTO_H_MM", "PHOTO_W_MM", "TITLE_PREFIX", "UNFIT_NOTE", "EvaluationForm", "FormItem",
    "batch_title", "number", "person_fields", "rank_text", "render_forms", "render_forms_steps", "site_fields",
    "wrap_lines",
]
