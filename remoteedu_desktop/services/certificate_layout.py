"""Certificate templates as data (R11): every element's box in mm, its font size and alignment.

No Qt and no ReportLab here: the renderer (``printing/certificate_render.py``), the template
editor and the services all share these dataclasses, stored as JSON in
``certificate_template.layout_json`` and frozen into each certificate's snapshot.

Coordinates are in millimetres from the **top-left** corner of the page, the way a clerk
measures a pre-printed booklet with a ruler. ``static`` elements belong to the printed design
(title, frame, fixed wording): plain-paper templates print them, pre-printed stock already has
them, so a ``preprinted`` template prints only the other elements (fields-only mode).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..errors import ValidationError

ELEMENT_KINDS = ("text", "paragraph", "photo", "seal", "qr", "frame", "line")
ALIGNS = ("left", "center", "right")
STOCKS = ("plain", "preprinted")
A4_LANDSCAPE = (297.0, 210.0)
ONE_INCH_PHOTO = (25.0, 35.0)  # 一寸照片, mm
LAYOUT_VERSION = 1

#: Placeholders a text may use, with their Chinese labels (the template editor lists them).
FIELDS: dict[str, str] = {
    "name": "姓名",
    "gender": "性别",
    "birth": "出生年月",
    "unit": "工作单位（站点）",
    "area": "聘任辖区（乡镇或县）",
    "post": "岗位",
    "role": "岗位类别（站点管理员、教学辅导员、技术服务员）",
    "office": "发证机关",
    "number": "证书编号",
    "kind_label": "证书名称",
    "issue_date": "发证日期",
    "term_start": "聘期开始",
    "valid_until": "聘期（有效期）截止",
    "training": "培训名称",
    "score": "考核成绩",
    "code": "验证码",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass
class Element:
    """One box on the page. ``text`` may hold ``{placeholders}`` from :data:`FIELDS`."""

    key: str
    kind: str
    x_mm: float
    y_mm: float
    w_mm: float
    h_mm: float
    text: str = ""
    font_size: float = 14.0  #: points; the largest size, shrunk down to ``min_font_size`` to fit
    min_font_size: float = 6.0
    align: str = "left"
    static: bool = False  #: part of the pre-printed design: not printed on pre-printed stock
    line_width: float = 0.5  #: points, for frames and lines
    letter_spacing: float = 0.0  #: points between characters (titles are spaced out)
    indent: float = 0.0  #: paragraphs: first-line indent in characters (the conventional body: 2)

    def placeholders(self) -> list[str]:
        return _PLACEHOLDER.findall(self.text)


@dataclass
class Layout:
    kind: str  #: "on_duty" or "appointment"
    stock: str = "plain"
    page_w_mm: float = A4_LANDSCAPE[0]
    page_h_mm: float = A4_LANDSCAPE[1]
    elements: list[Element] = field(default_factory=list)
    version: int = LAYOUT_VERSION

    @property
    def fields_only(self) -> bool:
        return self.stock == "preprinted"

    def printed_elements(self) -> list[Element]:
        """What goes on paper: everything on plain paper, only the non-static elements on pre-printed stock."""
        return [e for e in self.elements if not (self.fields_only and e.static)]

    def element(self, key: str) -> Element:
        for e in self.elements:
            if e.key == key:
                return e
        raise KeyError(key)

    def moved(self, key: str, **changes: Any) -> Layout:
        """A copy with one element changed (the editor's undo-friendly update)."""
        return replace(self, elements=[replace(e, **changes) if e.key == key else e for e in self.elements])

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        elements = [Element(**e) for e in data.get("elements", [])]
        layout = cls(kind=data["kind"], stock=data.get("stock", "plain"),
                     page_w_mm=float(data.get("page_w_mm", A4_LANDSCAPE[0])),
                     page_h_mm=float(data.get("page_h_mm", A4_LANDSCAPE[1])),
                     elements=elements, version=int(data.get("version", LAYOUT_VERSION)))
        validate(layout)
        return layout

    @classmethod
    def from_json(cls, text: str) -> Layout:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(f"模板数据不是有效的 JSON：{exc}", field="模板") from exc
        if not isinstance(data, dict):
            raise ValidationError("模板数据格式不对", field="模板")
        try:
            return cls.from_dict(data)
        except (KeyError, TypeError) as exc:
            raise ValidationError(f"模板数据缺少或多出字段：{exc}", field="模板") from exc


def validate(layout: Layout) -> None:
    """Refuse a layout that cannot print: unknown kinds, boxes off the page, unknown placeholders."""
    if layout.kind not in ("on_duty", "appointment"):
        raise ValidationError(f"“{layout.kind}”不是证书类别", field="模板类别")
    if layout.stock not in STOCKS:
        raise ValidationError(f"“{layout.stock}”不是纸张类型（plain/preprinted）", field="纸张")
    if not (50 <= layout.page_w_mm <= 500 and 50 <= layout.page_h_mm <= 500):
        raise ValidationError(f"纸张尺寸 {layout.page_w_mm}×{layout.page_h_mm} mm 超出范围（50–500 mm）", field="纸张尺寸")
    seen: set[str] = set()
    for e in layout.elements:
        where = f"元素“{e.key}”"
        if not e.key or e.key in seen:
            raise ValidationError(f"{where}的标识为空或重复", field="元素")
        seen.add(e.key)
        if e.kind not in ELEMENT_KINDS:
            raise ValidationError(f"{where}的类型“{e.kind}”未知", field="元素类型")
        if e.align not in ALIGNS:
            raise ValidationError(f"{where}的对齐方式“{e.align}”未知", field="对齐")
        if e.w_mm <= 0 or e.h_mm < 0 and e.kind != "line":
            raise ValidationError(f"{where}的宽或高不能为零或负数", field="尺寸")
        if (e.x_mm < 0 or e.y_mm < 0 or e.x_mm + e.w_mm > layout.page_w_mm + 0.01
                or e.y_mm + max(e.h_mm, 0) > layout.page_h_mm + 0.01):
            raise ValidationError(f"{where}超出纸张（{e.x_mm}, {e.y_mm}, {e.w_mm}×{e.h_mm} mm）", field="位置")
        if e.kind in ("text", "paragraph"):
            if not (3 <= e.min_font_size <= e.font_size <= 96):
                raise ValidationError(f"{where}的字号应在 3–96 磅之间，且最小字号不大于字号", field="字号")
            unknown = [p for p in e.placeholders() if p not in FIELDS]
            if unknown:
                raise ValidationError(f"{where}使用了未知的字段 {{{unknown[0]}}}", field="字段")


def fill(text: str, values: dict[str, str]) -> str:
    """Replace ``{placeholders}`` by *values*; a missing value prints as empty."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)


# --- default templates ----------------------------------------------------------------------------

def _e(key: str, kind: str, x: float, y: float, w: float, h: float, text: str = "", **kw: Any) -> Element:
    return Element(key=key, kind=kind, x_mm=x, y_mm=y, w_mm=w, h_mm=h, text=text, **kw)


_ON_DUTY_BODY = "{name} 同志参加{training}，经考核合格，准予在{unit}担任{post}，持证上岗。特发此证。"
_APPOINTMENT_BODY = ("兹聘请 {name} 同志为{area}远程教育{role}，"
                     "聘期自 {term_start} 至 {valid_until}。")


def default_layout(kind: str, stock: str = "plain") -> Layout:
    """The conventional certificate of *kind*: A4 landscape on plain paper, or the fields of a
    pre-printed booklet's inner page (190 × 130 mm) on pre-printed stock.

    Plain paper: a double border, the spaced-out title, the number top right, the 1-inch photo
    with the name under it on the left, the body (first line indented two characters) on the right,
    the issuing office and date bottom right under the seal, the QR code and the verification code
    bottom left."""
    if stock == "preprinted":
        return _booklet_layout(kind)
    title = "上 岗 证 书" if kind == "on_duty" else "聘 任 证 书"
    body = _ON_DUTY_BODY if kind == "on_duty" else _APPOINTMENT_BODY
    elements = [
        _e("frame", "frame", 10, 10, 277, 190, static=True, line_width=2.4),
        _e("title", "text", 60, 26, 177, 22, title, font_size=40, min_font_size=20, align="center", static=True,
           letter_spacing=6.0),
        _e("number", "text", 170, 52, 100, 8, "编号：{number}", font_size=12, min_font_size=7, align="right"),
        _e("photo", "photo", 34, 72, *ONE_INCH_PHOTO),
        _e("name", "text", 29, 110, 35, 8, "{name}", font_size=14, min_font_size=6, align="center"),
        _e("body", "paragraph", 78, 72, 186, 56, body, font_size=20, min_font_size=9, indent=2.0),
        _e("office", "text", 166, 146, 98, 9, "{office}", font_size=16, min_font_size=8, align="center"),
        _e("issue_date", "text", 166, 157, 98, 9, "{issue_date}", font_size=15, min_font_size=8, align="center"),
        _e("seal", "seal", 194, 135, 42, 42),
        _e("qr", "qr", 28, 152, 30, 30),
        _e("code", "paragraph", 60, 166, 92, 14, "验证码：{code}", font_size=6.5, min_font_size=4),
    ]
    return Layout(kind=kind, stock="plain", elements=elements)


def _booklet_layout(kind: str) -> Layout:
    """Fields on the inner page of a pre-printed booklet (190 × 130 mm, landscape, left half holds
    the photo and number, right half the wording with blanks)."""
    if kind == "on_duty":
        elements = [
            _e("photo", "photo", 30, 22, *ONE_INCH_PHOTO),
            _e("number", "text", 22, 66, 60, 7, "{number}", font_size=11, min_font_size=6),
            _e("name", "text", 128, 24, 45, 8, "{name}", font_size=14, min_font_size=6),
            _e("gender", "text", 128, 36, 45, 8, "{gender}", font_size=14, min_font_size=6),
            _e("unit", "text", 128, 48, 52, 8, "{unit}", font_size=13, min_font_size=6),
            _e("post", "text", 128, 60, 52, 8, "{post}", font_size=13, min_font_size=6),
            _e("issue_date", "text", 128, 96, 52, 8, "{issue_date}", font_size=12, min_font_size=6),
            _e("qr", "qr", 32, 84, 22, 22),
        ]
    else:
        elements = [
            _e("photo", "photo", 30, 22, *ONE_INCH_PHOTO),
            _e("number", "text", 22, 66, 60, 7, "{number}", font_size=11, min_font_size=6),
            _e("name", "text", 118, 30, 40, 8, "{name}", font_size=14, min_font_size=6),
            _e("area", "text", 104, 44, 40, 8, "{area}", font_size=13, min_font_size=6),
            _e("role", "text", 140, 44, 45, 8, "{role}", font_size=13, min_font_size=6),
            _e("term", "text", 110, 58, 75, 8, "{term_start} 至 {valid_until}", font_size=12, min_font_size=6),
            _e("issue_date", "text", 128, 96, 52, 8, "{issue_date}", font_size=12, min_font_size=6),
            _e("qr", "qr", 32, 84, 22, 22),
        ]
    return Layout(kind=kind, stock="preprinted", page_w_mm=190.0, page_h_mm=130.0, elements=elements)
