"""The 1-inch photo (R10): only a 25:35 JPEG of sane size is stored; one row per person, audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, PersonPhoto
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import people, person_views, photos

NewPerson = Callable[..., people.PersonInfo]
State = Callable[[], dict[str, int]]


def jpeg_header(width: int, height: int, *, sof: int = 0xC0, body: int = 0) -> bytes:
    """The markers of a JPEG up to its frame header (what the service reads), then filler and the end."""
    app0 = b"\xff\xe0" + (16).to_bytes(2, "big") + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"\xff\xfe" + (7).to_bytes(2, "big") + b"hello"
    frame = (bytes([0xFF, sof]) + (17).to_bytes(2, "big") + b"\x08" + height.to_bytes(2, "big")
             + width.to_bytes(2, "big") + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    return b"\xff\xd8" + app0 + comment + frame + b"\x00" * body + b"\xff\xd9"


def test_jpeg_size_reads_baseline_and_progressive_frames() -> None:
    assert photos.jpeg_size(jpeg_header(413, 579)) == (413, 579)
    assert photos.jpeg_size(jpeg_header(295, 413, sof=0xC2)) == (295, 413)


def test_jpeg_size_of_a_real_jpeg(qapp: object) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(250, 350, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "JPG", 85)
    assert photos.check_photo(bytes(data.data())) == (250, 350)


@pytest.mark.parametrize(("data", "says"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "不是 JPEG 图片"),
    (b"", "不是 JPEG 图片"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "找不到图像尺寸"),
    (b"\xff\xd8\x00\x00\x00\x00", "标记错误"),
    (jpeg_header(413, 579)[:30], "找不到图像尺寸"),
    (jpeg_header(826, 1158), "最大 413×579 像素"),
    (jpeg_header(80, 112), "太小"),
    (jpeg_header(413, 413), "宽高比应为 25:35"),
    (jpeg_header(413, 579, body=photos.MAX_BYTES), "最大 400 KB"),
])
def test_check_refuses(data: bytes, says: str) -> None:
    with pytest.raises(ValidationError) as info:
        photos.check_photo(data)
    assert info.value.field == "照片"
    assert says in info.value.message


def test_set_get_replace_remove(db: Database, new_person: NewPerson) -> None:
    p = new_person(name="张三")
    first, second = jpeg_header(413, 579, body=10), jpeg_header(250, 350, body=20)
    with db.session() as s:
        assert photos.get_photo(s, p.id) is None
        info = photos.set_photo(s, p.id, first)
    assert (info.width, info.height, info.size) == (413, 579, len(first))
    with db.session() as s:
        assert photos.get_photo(s, p.id) == first
        assert person_views.person_detail(s, p.id).has_photo
        photos.set_photo(s, p.id, second)
    with db.session() as s:
        assert photos.get_photo(s, p.id) == second
        assert photos.remove_photo(s, p.id) is True
        assert photos.remove_photo(s, p.id) is False
    with db.session() as s:
        assert photos.get_photo(s, p.id) is None
        assert not person_views.person_detail(s, p.id).has_photo
        photos.set_photo(s, p.id, first)  # the removed row comes back (one row per person)
    with db.session() as s:
        assert photos.get_photo(s, p.id) == first
        assert s.scalar(select(func.count()).select_from(PersonPhoto)) == 1
        logged = list(s.scalars(select(AuditLog.new_value).where(
            AuditLog.table_name == "person_photo", AuditLog.field == "image")))
    assert logged == [f"<{len(second)} 字节>", f"<{len(first)} 字节>"]  # sizes, never the bytes


def test_refusal_writes_nothing(db: Database, new_person: NewPerson, state: State) -> None:
    p = new_person(name="张三")
    before = state()
    with pytest.raises(ValidationError), db.session() as s:
        photos.set_photo(s, p.id, jpeg_header(400, 400))
    with pytest.raises(ValidationError), db.session() as s:
        photos.set_photo(s, "nobody", jpeg_header(413, 579))
    assert state() == before
