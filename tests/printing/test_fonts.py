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
