"""QR codes for the certificates' verification codes (R11).

Encoding uses zxing-cpp's C++ encoder (about 1 ms for a 188-character code; ReportLab's pure-Python
encoder takes ~150 ms). The module matrix is frozen into a certificate's snapshot at issue time as
hex text, so printing a batch never encodes again, and it is drawn as one inline 1-bit image mask:
crisp at any printer resolution (no interpolation), a few hundred bytes per code.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from reportlab.pdfgen.canvas import Canvas

from ..errors import ValidationError


@dataclass(frozen=True)
class QrMatrix:
    size: int  #: modules per side, without the quiet zone
    rows: bytes  #: packed rows, most significant bit first, 1 = light, 0 = dark; each row byte-aligned

    @property
    def row_bytes(self) -> int:
        return (self.size + 7) // 8

    def dark(self, row: int, col: int) -> bool:
        byte = self.rows[row * self.row_bytes + col // 8]
        return not (byte >> (7 - col % 8)) & 1

    def to_text(self) -> str:
        """``"<size>:<hex>"``, the form kept in a snapshot."""
        return f"{self.size}:{self.rows.hex()}"

    @classmethod
    def from_text(cls, text: str) -> QrMatrix:
        try:
            size_text, hex_rows = text.split(":", 1)
            size, rows = int(size_text), bytes.fromhex(hex_rows)
        except ValueError as exc:
            raise ValidationError("证书快照中的二维码数据已损坏", field="二维码") from exc
        if not 21 <= size <= 177 or len(rows) != size * ((size + 7) // 8):
            raise ValidationError("证书快照中的二维码数据已损坏", field="二维码")
        return cls(size, rows)


def encode(text: str) -> QrMatrix:
    """The QR code of *text* (error correction level M)."""
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
    return QrMatrix(size, bytes(packed))


def draw(canvas: Canvas, matrix: QrMatrix, x: float, y: float, size: float) -> None:
    """Draw *matrix* as a *size*-point square with its lower-left corner at (x, y), in the fill colour."""
    canvas.saveState()
    canvas.transform(size, 0, 0, size, x, y)
    canvas.addLiteral(f"BI /W {matrix.size} /H {matrix.size} /IM true /BPC 1 /F /AHx ID\n"
                      f"{matrix.rows.hex()}>\nEI")
    canvas.restoreState()
