"""A person's 1-inch photo (一寸照片, 25×35 mm): stored as one small JPEG per person.

The UI crops and scales the picture (Qt does the pixels); this module only checks that what it is
given really is a JPEG of the right shape and size, without decoding it (no image library below
ui/): the JPEG markers are read up to the frame header, which holds the width and height.
The photo lives in its own table so that lists of people never load image bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import PersonPhoto
from ..errors import ValidationError
from .people import get_person

PHOTO_MM = (25, 35)  # 1 inch ID photo
#: 25×35 mm at 420 dpi, the size the crop dialog produces; larger photos are refused.
MAX_WIDTH, MAX_HEIGHT = 413, 579
MIN_WIDTH, MIN_HEIGHT = 100, 140
MAX_BYTES = 400 * 1024
RATIO_TOLERANCE = 0.02  # rounding to whole pixels
MIME = "image/jpeg"

_FIELD = "照片"
# Start-of-frame markers (baseline, progressive, …); C4, C8 and CC are not frames.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


@dataclass(frozen=True)
class PhotoInfo:
    person_id: str
    width: int
    height: int
    size: int  # bytes


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a JPEG, read from its frame header; ValidationError if it is not a JPEG."""
    if not isinstance(data, bytes | bytearray) or len(data) < 4 or data[:2] != b"\xff\xd8":
        raise ValidationError("不是 JPEG 图片", field=_FIELD)
    i = 2
    n = len(data)
    while i < n:
        if data[i] != 0xFF:
            raise ValidationError("JPEG 图片已损坏（标记错误）", field=_FIELD)
        while i < n and data[i] == 0xFF:  # fill bytes
            i += 1
        if i >= n:
            break
        marker = data[i]
        i += 1
        if marker in _STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            break
        if i + 2 > n:
            break
        length = int.from_bytes(data[i:i + 2], "big")
        if length < 2 or i + length > n:
            break
        if marker in _SOF:
            if length < 7:
                break
            height = int.from_bytes(data[i + 3:i + 5], "big")
            width = int.from_bytes(data[i + 5:i + 7], "big")
            if width == 0 or height == 0:
                break
            return width, height
        i += length
    raise ValidationError("JPEG 图片已损坏（找不到图像尺寸）", field=_FIELD)


def check_photo(data: bytes) -> tuple[int, int]:
    """Refuse anything but a 25:35 JPEG between the minimum and the maximum size; return its size."""
    width, height = jpeg_size(data)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"照片文件 {len(data) // 1024} KB，最大 {MAX_BYTES // 1024} KB", field=_FIELD)
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise ValidationError(f"照片 {width}×{height} 像素，最大 {MAX_WIDTH}×{MAX_HEIGHT} 像素", field=_FIELD)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(f"照片 {width}×{height} 像素，太小（至少 {MIN_WIDTH}×{MIN_HEIGHT} 像素）",
                              field=_FIELD)
    want = PHOTO_MM[0] / PHOTO_MM[1]
    if abs(width / height - want) > want * RATIO_TOLERANCE:
        raise ValidationError(f"照片 {width}×{height} 像素，宽高比应为 {PHOTO_MM[0]}:{PHOTO_MM[1]}（一寸照片）",
                              field=_FIELD)
    return width, height


def _row(session: Session, person_id: str) -> PersonPhoto | None:
    return session.scalar(select(PersonPhoto).where(PersonPhoto.person_id == person_id))


def set_photo(session: Session, person_id: str, jpeg: bytes) -> PhotoInfo:
    """Store (or replace) a person's photo; the change is audited like any other (R10)."""
    person = get_person(session, person_id)
    width, height = check_photo(bytes(jpeg))
    row = _row(session, person.id)
    if row is None:
        session.add(PersonPhoto(person_id=person.id, mime_type=MIME, image=bytes(jpeg)))
    else:  # one row per person (unique): a removed photo's row is reused
        row.image = bytes(jpeg)
        row.mime_type = MIME
        row.deleted = False
    session.flush()
    return PhotoInfo(person.id, width, height, len(jpeg))


def get_photo(session: Session, person_id: str) -> bytes | None:
    """The person's photo as JPEG bytes, or None."""
    row = _row(session, person_id)
    if row is None or row.deleted:
        return None
    return bytes(row.image)


def remove_photo(session: Session, person_id: str) -> bool:
    """Remove the photo (a tombstone, so that the removal travels to the other office); False if none."""
    person = get_person(session, person_id)
    row = _row(session, person.id)
    if row is None or row.deleted:
        return False
    row.deleted = True
    session.flush()
    return True
