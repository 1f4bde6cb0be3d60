"""Issued certificates keep reprinting byte for byte (R11: "a reprint reproduces the same bytes"), and
the batch renderer's shortcuts draw exactly what the plain way draws.

Every issued certificate's SHA-256 is stored at issue time and ``certificate_print.frozen_pdf`` refuses
to reprint when the rebuilt PDF differs. So ``render_one`` may get faster but must never change its
output for an existing snapshot: :data:`PINNED` holds the hashes of varied pages (every element kind,
both kinds and stocks, shrinking, horizontal compression, justification, letter spacing, the
per-character fallback font, characters above U+FFFF, PDF string escapes, a photo and a QR code) as
computed by the renderer of step 4, before the speed work of step 6. If one of these changes, every
certificate issued so far stops reprinting: do not update the hashes, keep the old drawing selected
by the snapshot's ``renderer`` instead.

The hashes hold for the pinned ReportLab (5.1), the bundled fonts and this platform's zlib.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from remoteedu_desktop.printing import certificate_render, fonts, qr
from remoteedu_desktop.printing.certificate_render import (
    Calibration,
    CertificatePage,
    _tokens,
    _tokens_by_rule,
    _unit_width,
    render_one,
    render_pdf,
    wrap,
)
from remoteedu_desktop.printing.fonts import FALLBACK_FONT_NAME, FONT_NAME, font_runs, register_fonts
from remoteedu_desktop.services.certificate_layout import Element, Layout, default_layout, fill

#: A 24 × 32 px JPEG (embedded as is by ReportLab), so that the hash does not depend on an image encoder.
PHOTO = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8"
    "SDc9Pjv/2wBDAQoLCw4NDhwQEBw7KCIoOzs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozv/wAARCAAgABgDASIA"
    "AhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0Kx"
    "wRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ip"
    "qrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREA"
    "AgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldY"
    "WVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3"
    "+Pn6/9oADAMBAAIRAxEAPwD0imedHnG4UsgJjYL1xVKtcRiJUmkkKhRVRNtl/qMiio4AREM/hRXTCXNFSMJx5ZNElJtUnO0Z9cUtFU0nuSm0FFFFMD//2Q==")
CODE = "RE1-" + "-".join(["ABCDE", "FGHIJ", "KLMN2", "OPQR3", "STUV4", "WXYZ5", "23456", "7ABCD"] * 4)


def _matrix() -> str:
    """A fixed 29-module pattern (not zxing's output, which could change with its version)."""
    size = 29
    rows = bytearray()
    for r in range(size):
        bits = "".join("0" if (r * 7 + c * 3) % 5 < 2 or (r < 7 and c < 7) else "1" for c in range(size)) + "111"
        rows += int(bits, 2).to_bytes(4, "big")
    return qr.QrMatrix(size, bytes(rows)).to_text()


def _values(name: str, unit: str, office: str, training: str) -> dict[str, str]:
    return {"name": name, "gender": "男", "birth": "1980年5月", "unit": unit, "area": "龙潭镇", "post": "村站点管理员",
            "role": "教学辅导员", "office": office, "number": "3604992026P0007", "kind_label": "上岗证书",
            "issue_date": "2026年11月1日", "term_start": "2026年11月1日", "valid_until": "2029年10月31日",
            "training": training, "score": "86", "code": CODE}


def _custom() -> Layout:
    """The appointment layout plus spaced, centred, right-aligned, static and line elements."""
    layout = default_layout("appointment")
    extra = [
        Element("spaced", "text", 20, 60, 50, 10, "{name}", font_size=18, min_font_size=5, align="right",
                letter_spacing=3.0),
        Element("centred", "paragraph", 80, 130, 60, 12, "{unit}（{post}）{training}", font_size=14,
                min_font_size=4, align="center", indent=1.0, letter_spacing=0.5),
        Element("right", "paragraph", 150, 185, 60, 8, "{office}，{training}", font_size=12, min_font_size=3,
                align="right"),
        Element("rule", "line", 20, 199, 100, 0, line_width=0.7),
        Element("box", "frame", 150, 60, 20, 20, line_width=1.0, static=True),
        Element("fixed", "text", 100, 190, 60, 8, "固定文字 Static (a\\b)", static=True, letter_spacing=1.0),
    ]
    return replace(layout, elements=[*layout.elements, *extra])


LONG_UNIT = "青山县龙潭镇人民政府党政综合办公室远程教育终端接收站点附属非公企业站点" * 2


def pinned_pages() -> list[tuple[str, CertificatePage]]:
    """The pages whose hashes are pinned (also used to compute them with the step 4 renderer)."""
    m = _matrix()
    plain = _values("王喆", "龙潭镇杨家村远程教育站点", "青山县远程教育工作领导小组办公室", "2026年村级站点管理员岗前培训")
    return [
        ("on_duty_plain", CertificatePage(default_layout("on_duty"), plain, PHOTO, None, m)),
        ("appointment_plain", CertificatePage(default_layout("appointment"), plain, None, None, m)),
        ("on_duty_booklet", CertificatePage(default_layout("on_duty", "preprinted"), plain, PHOTO, None, m)),
        ("appointment_booklet", CertificatePage(default_layout("appointment", "preprinted"),
                                                _values("欧阳𬌗𬍛", LONG_UNIT, "龙潭镇", ""), None, None, m)),
        ("rare_and_fallback", CertificatePage(default_layout("on_duty"),
                                              _values("钱㐀㑇 a\u00a0b", LONG_UNIT, "（很长）》" * 9, "培训" * 40),
                                              None, None, None)),
        ("long_name_latin", CertificatePage(default_layout("appointment"),
                                            _values("阿卜杜热合曼·买买提明" * 2, "X", "Zhang (Wei)\\Ming", ""),
                                            PHOTO, None, m)),
        ("custom", CertificatePage(_custom(), plain, None, None, m)),
        ("custom_long", CertificatePage(_custom(), _values("李" * 12, LONG_UNIT, "（（很长）》" * 9, "培训" * 40),
                                        PHOTO, None, None)),
    ]


#: Computed with the step 4 renderer (before the step 6 speed work). Never update: see the module docstring.
PINNED = {
    "on_duty_plain": "a09e838ba000e91dd3ca4bd81d410fb879303ac370e958b5bfcdf84de1dc3096",
    "appointment_plain": "9fe16f737e83751741af092b833b2a9915a33ccf9621e96991b07620d02b662e",
    "on_duty_booklet": "b869cfa2c00bbf9c68574b1c87a6b0bf497ece1b8133dba1750c14da68ddf355",
    "appointment_booklet": "8428be18870c5648bdef606b91af8b32f51af7e1d128f803f36505585177cd2c",
    "rare_and_fallback": "2c45ca3ec84a63941b34cf6de6ac4034b183f449cc9ae1e165f5b507a953117d",
    "long_name_latin": "96889c5cd367823de24db9d21a7755230106b7b9e754fd90c0d372298f2be050",
    "custom": "4d0d2037cb6fae97823050e079d823af2cf76a3515828a002f7907ce8f8b83d8",
    "custom_long": "274b814ecac79c07e949c9aa89f83cdeeba55cc9d475383a59377df7f9f4c62b",
}


@pytest.mark.parametrize("name", list(PINNED))
def test_render_one_keeps_the_bytes_of_step_4(name: str) -> None:
    """R11: the PDF of an issued certificate, and so its stored SHA-256, never changes."""
    page = dict(pinned_pages())[name]
    assert hashlib.sha256(render_one(page)).hexdigest() == PINNED[name]


def test_every_pinned_page_is_pinned() -> None:
    assert sorted(PINNED) == sorted(name for name, _ in pinned_pages())


# --- the batch's shortcuts give the plain way's bytes ------------------------------------------------

def _pages_with_repeats() -> list[CertificatePage]:
    pages = [page for _, page in pinned_pages()]
    return pages + [replace(p, values=dict(p.values, number=f"X{n}")) for n, p in enumerate(pages)] + pages[:3]


def test_replayed_elements_give_the_bytes_of_drawing_them_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch replays the operators of a text it drew before (same element, same text); the PDF is
    the one drawn without that (R11: the batch prints exactly the frozen content)."""
    pages = _pages_with_repeats()
    cal = Calibration(dx_mm=1.5, dy_mm=-0.5, sx=1.01, sy=0.99)
    replayed = render_pdf(pages, calibration=cal)
    drawn: list[int] = []

    def always_draw(self: certificate_render._Document, key: tuple[int, str], draw: object) -> None:
        drawn.append(1)
        draw()  # type: ignore[operator]

    monkeypatch.setattr(certificate_render._Document, "replay", always_draw)
    assert render_pdf(pages, calibration=cal) == replayed
    assert drawn  # the monkeypatch was used: this test can fail


def _splitstring_operators(canvas: Canvas, x: float, y: float, text: str, size: float, char_space: float,
                           scale: float) -> str:
    """draw_string's operators the step 4 way: ReportLab's ``splitString`` for every run."""
    from reportlab.lib.rl_accel import escapePDF, fp_str

    doc = canvas._doc
    ops = ["q BT 1 0 0 1", fp_str(x, y), "Tm"]
    if char_space:
        ops += [fp_str(char_space), "Tc"]
    if scale != 100.0:
        ops += [fp_str(scale), "Tz"]
    for name, run in font_runs(text):
        font = pdfmetrics.getFont(name)
        for subset, chunk in font.splitString(run, doc):  # type: ignore[attr-defined]
            ops += [font.getSubsetInternalName(subset, doc), fp_str(size), f"Tf ({escapePDF(chunk)}) Tj"]  # type: ignore[attr-defined]
    ops.append("ET Q")
    return " ".join(ops)


def test_subset_encoder_matches_reportlabs_split_string() -> None:
    """Texts of known characters are encoded by translation tables; the result is ReportLab's own,
    across several 256-code subsets, both fonts, escapes and U+00A0."""
    register_fonts()
    rnd = random.Random(11)
    hanzi = [chr(c) for c in range(0x4E00, 0x4E00 + 700)]
    alphabet = hanzi + list("()\\ \u00a0ABCxyz019，。（）㐀𬌗")
    texts = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(600)]
    texts += texts[:300]  # again: all characters known by now
    ours, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for n, text in enumerate(texts):
        size, spacing, scale = 6 + n % 7, (n % 3) * 0.5, 100.0 if n % 4 else 80.0
        assert (fonts.text_operators(ours, 10, 20, text, size, spacing, scale)
                == _splitstring_operators(theirs, 10, 20, text, size, spacing, scale)), text
    assert len(pdfmetrics.getFont(FONT_NAME).state[ours._doc].subsets) > 2  # type: ignore[attr-defined]
    assert FALLBACK_FONT_NAME in {name for text in texts for name, _ in font_runs(text)}


# --- tokens and wrapping: the same lines as the step 4 loop -----------------------------------------

def _wrap_step4(text: str, width: float, size: float, first_indent: float = 0.0,
                letter_spacing: float = 0.0) -> list[str]:
    """The line breaking of step 4, token by token (the reference for :func:`wrap`)."""
    lines: list[str] = []
    line, used = "", 0.0
    avail = width - first_indent
    for tok in _tokens_by_rule(text):
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
        for ch in tok:
            cw = _unit_width(ch) * size + letter_spacing
            if line and used + cw > avail + 1e-6:
                lines.append(line)
                line, used, avail = "", 0.0, width
            line += ch
            used += cw
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _random_texts(seed: int, count: int) -> Iterator[str]:
    rnd = random.Random(seed)
    alphabet = list("，。、：；！？（）《》“”-.,:()[]{}%/ \t\u3000王喆𬌗㐀兹聘请同志为龙潭镇远程教育ABCXYZ0129abcé") + [
        "RE1-", "2026年", "  ", "……"]
    for _ in range(count):
        yield "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 50)))


def test_token_expression_follows_the_token_rules() -> None:
    """Closing punctuation never starts a line, opening punctuation never ends one (R11 paragraphs)."""
    for text in _random_texts(5, 20000):
        assert _tokens(text) == _tokens_by_rule(text), text


def test_wrap_gives_the_lines_of_step_4() -> None:
    """Issued certificates' paragraphs break exactly where they always did (their hashes depend on it)."""
    register_fonts()
    rnd = random.Random(9)
    for text in _random_texts(6, 8000):
        width = rnd.choice([15.0, 40.5, 100.0, 263.62, 527.24])
        size = rnd.choice([4.0, 6.5, 9.0, 12.25, 20.0])
        indent = rnd.choice([0.0, 0.0, 13.0, 40.0])
        spacing = rnd.choice([0.0, 0.0, 0.5, 3.0])
        assert wrap(text, width, size, indent, spacing) == _wrap_step4(text, width, size, indent, spacing), (
            text, width, size, indent, spacing)


def test_format_templates_fill_in_like_fill() -> None:
    """Each page fills its texts through a ``str.format_map`` template: the same text as
    ``certificate_layout.fill`` (missing values empty, other braces kept), or certificates would change."""
    rnd = random.Random(3)
    pieces = ["{name}", "{unit}", "{code}", "{nosuch}", "{", "}", "{{", "}}", "{Name}", "{na me}", "{}", "{0}",
              "王", "a", " ", "{name", "name}", "{{name}}", "%s", "\\"]
    values = {"name": "王喆 {x}", "unit": "{unit}", "code": "RE1-ABC"}
    for _ in range(5000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        filled = certificate_render._template(text).format_map(certificate_render._Blank(values))
        assert filled == fill(text, values), text


def _encode_step4(text: str) -> qr.QrMatrix:
    """qr.encode of step 4: zxing's modules packed row by row."""
    import zxingcpp

    image = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
        scale=1, add_quiet_zones=False)
    view = memoryview(image)
    size = view.shape[0]
    cells = bytes(view)
    row_bytes = (size + 7) // 8
    pad = "1" * (row_bytes * 8 - size)
    packed = bytearray()
    table = str.maketrans({"\x00": "0", "\xff": "1"})
    for r in range(size):
        bits = cells[r * size:(r + 1) * size].decode("latin-1").translate(table) + pad
        packed += int(bits, 2).to_bytes(row_bytes, "big")
    return qr.QrMatrix(size, bytes(packed))


def test_qr_matrix_packing_is_unchanged() -> None:
    """The frozen QR matrix (R11 snapshot) of a code is what step 4 froze, padding bits included."""
    rnd = random.Random(4)
    for length in [1, 20, 60, 188, 400]:
        text = "RE1-" + "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567-") for _ in range(length))
        assert qr.encode(text) == _encode_step4(text)


def test_documents_are_not_kept_alive_by_the_encoders() -> None:
    """The per-document encoding tables are held weakly: every rendered PDF's document is freed (the
    program issues and prints thousands of certificates in one session)."""
    import gc

    page = pinned_pages()[1][1]
    for _ in range(3):
        render_one(page)
    gc.collect()
    assert len(fonts._encoders) == 0
