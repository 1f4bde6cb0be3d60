"""QR codes for the certificates' verification codes (R11).

Encoding uses zxing-cpp's C++ encoder (about 1 ms for a 188-character code; ReportLab's pure-Python
encoder takes ~150 ms). The module matrix is frozen into a certificate's snapshot at issue time as
hex text, so printing a batch never encodes again, and it is drawn as one inline 1-bit image mask:
crisp at any printer resolution (no interpolation), a few hundred bytes per code.
"""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from reportlab.lib.rl_accel import fp_str
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
    bits = bytes(view).translate(_BIT_DIGITS)  # one b"0"/b"1" per module
    pad = b"1" * ((size + 7) // 8 * 8 - size)  # light padding up to whole bytes
    rows = b"".join([bits[r * size:(r + 1) * size] + pad for r in range(size)])
    # All rows as one binary number: big-endian bytes are the rows' bytes one after the other.
    return QrMatrix(size, int(rows, 2).to_bytes(len(rows) // 8, "big"))


#: zxing's modules (0 dark, 255 light) as binary digits; any other value stays and fails ``int``.
_BIT_DIGITS = bytes.maketrans(b"\x00\xff", b"01")


def draw(canvas: Canvas, matrix: QrMatrix, x: float, y: float, size: float) -> None:
    """Draw *matrix* as a *size*-point square with its lower-left corner at (x, y), in the fill colour.

    The operators of ``saveState``, ``transform``, ``addLiteral``, ``restoreState``, written directly:
    after "q" ReportLab's transform never merges with a previous ``cm``, and the graphics state it
    would track is restored at once."""
    canvas._code += ("q", f"{fp_str(size, 0, 0, size, x, y)} cm",  # noqa: SLF001
                     f"BI /W {matrix.size} /H {matrix.size} /IM true /BPC 1 /F /AHx ID\n{matrix.rows.hex()}>\nEI", "Q")
