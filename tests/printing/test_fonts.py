"""The bundled font is embedded in real PDFs and covers the names the demo uses."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from remoteedu_desktop.printing.fonts import missing_glyphs, register_fonts


def test_font_covers_common_and_rare_name_characters() -> None:
    assert missing_glyphs("远程教育骨干队伍管理 上岗证书 聘任证书 王喆 李堃 张玥 陈昇 刘珺 赵婧 孙燚") == []


def test_missing_glyph_is_reported() -> None:
    assert missing_glyphs("王\U0002a6a5") == ["\U0002a6a5"]  # an Extension B character outside GBK


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdf_embeds_the_font(tmp_path: Path) -> None:
    name = register_fonts()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.setFont(name, 14)
    pdf.drawString(72, 720, "兹聘请 王喆 同志为龙潭镇远程教育教学辅导员")
    pdf.save()
    path = tmp_path / "f.pdf"
    path.write_bytes(buf.getvalue())
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(row for row in out.splitlines() if "LXGW" in row)
    assert " yes " in line, out  # the "emb" column
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "王喆" in text


# --- certificates (R11): per-character fallback, every font embedded, refusal by name -----------------

RARE_NAME = "欧阳𬌗𬍛㐀"  # 𬌗 𬍛 are in LXGW WenKai, 㐀 (U+3400, CJK Ext A) only in the Noto fallback


def _certificate(name: str) -> bytes:
    from remoteedu_desktop.printing.certificate_render import CertificatePage, render_one
    from remoteedu_desktop.services.certificate_layout import default_layout

    values = {"name": name, "number": "3604992026P0001", "office": "青山县远程教育工作领导小组办公室",
              "issue_date": "2026年11月01日", "area": "龙潭镇", "role": "教学辅导员",
              "term_start": "2026年11月01日", "valid_until": "2029年10月31日"}
    return render_one(CertificatePage(default_layout("appointment"), values))


def test_fallback_font_takes_only_what_wenkai_lacks() -> None:
    from remoteedu_desktop.printing.fonts import FALLBACK_FONT_NAME, FONT_NAME, font_runs

    assert font_runs(RARE_NAME) == ((FONT_NAME, "欧阳𬌗𬍛"), (FALLBACK_FONT_NAME, "㐀"))


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_certificate_embeds_both_fonts_and_prints_rare_names(tmp_path: Path) -> None:
    path = tmp_path / "c.pdf"
    path.write_bytes(_certificate(RARE_NAME))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [r for r in out.splitlines()[2:] if r.strip()]
    assert any("LXGWWenKai" in r for r in rows) and any("NotoSerifCJKSC-Fallback" in r for r in rows), out
    for row in rows:  # name type encoding emb sub uni object ID
        assert row.split()[-5] == "yes", row  # the "emb" column: every font embedded
    assert "STSong" not in out and "Helvetica" not in out
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert RARE_NAME in text


def test_certificate_with_a_character_no_font_has_is_refused_by_name() -> None:
    from remoteedu_desktop.printing.fonts import GlyphError

    with pytest.raises(GlyphError) as exc:
        _certificate("王\U000f0000")
    assert exc.value.chars == ["\U000f0000"]
    assert "U+F0000" in exc.value.message
    assert "姓名" in (exc.value.field or "")  # where: the element holding the name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_training_paperwork_uses_the_fallback_too(tmp_path: Path) -> None:
    import datetime as dt

    from remoteedu_desktop.printing.training_sheets import (
        SignInRow,
        SignInSheet,
        TrainingRecordSheet,
        render_sign_in_sheets,
        render_training_records,
    )

    sheet = SignInSheet(plan_title="岗前培训", organizer="县远程办", date=dt.date(2026, 11, 5), time_label="",
                        place="县委党校", instructor="李堃", hours=2, rows=(SignInRow(RARE_NAME, "龙潭镇 / 杨家村", "村站点管理员"),))
    record = TrainingRecordSheet(name=RARE_NAME, gender="男", unit="龙潭镇㐀家村", post="村站点管理员", entries=())
    for n, pdf in enumerate((render_sign_in_sheets([sheet]), render_training_records([record]))):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert "NotoSerifCJKSC-Fallback" in fonts and "STSong" not in fonts, fonts
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert RARE_NAME in text, text
    with pytest.raises(Exception, match="U\\+F0000"):
        render_training_records([TrainingRecordSheet(name="王\U000f0000", gender="男", unit="", post="", entries=())])
