"""QR codes of the verification codes: encoded once, frozen as text, drawn as a 1-bit image mask."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing import qr

CODE = "RE1-" + "-".join(["AEASM", "ZO6LZ", "VKUEB", "TGYYD"] * 8)


def test_the_matrix_survives_its_text_form() -> None:
    matrix = qr.encode(CODE)
    again = qr.QrMatrix.from_text(matrix.to_text())
    assert again == matrix
    assert matrix.dark(0, 0) and matrix.dark(6, 6) and not matrix.dark(1, 1)  # finder pattern corner
    for bad in ("x", "49:zz", "21:00", "500:" + "00" * 10):
        with pytest.raises(ValidationError):
            qr.QrMatrix.from_text(bad)


def test_a_drawn_code_scans_back_to_its_text(tmp_path: Path) -> None:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(60 * mm, 60 * mm))
    qr.draw(canvas, qr.encode(CODE), 10 * mm, 10 * mm, 30 * mm)
    canvas.showPage()
    canvas.save()
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(buf.getvalue())
    subprocess.run(["pdftoppm", "-png", "-r", "300", str(pdf), str(tmp_path / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("page*.png"))))
    assert [r.text for r in found] == [CODE]
