"""Cropping a picture to a 1-inch photo (一寸照片, 25×35 mm).

The clerk drags a frame fixed to 25:35 over the picture (drag inside to move it, drag a corner or
turn the mouse wheel to resize it); the result is scaled to 413×579 pixels and saved as a JPEG,
which :func:`services.photos.set_photo` checks and stores.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageReader,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...services import photos

RATIO = photos.PHOTO_MM[0] / photos.PHOTO_MM[1]  # width / height
OUTPUT_SIZE = QSize(photos.MAX_WIDTH, photos.MAX_HEIGHT)
JPEG_QUALITY = 90
MIN_CROP_WIDTH = 20.0  # image pixels
HANDLE = 9  # screen pixels around a corner that grab it


def load_image(path: str) -> QImage:
    """A picture from a file, turned upright as the camera's orientation tag says (phone photos)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    return reader.read()


def jpeg_bytes(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    """*image* as JPEG bytes, transparent parts on white."""
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    flat.save(buffer, "JPG", quality)
    buffer.close()
    return bytes(data.data())


def largest_crop(width: float, height: float, share: float = 0.9) -> QRectF:
    """The biggest 25:35 frame inside a picture, shrunk to *share* and centred."""
    w = min(width, height * RATIO) * share
    h = w / RATIO
    return QRectF((width - w) / 2, (height - h) / 2, w, h)


class CropArea(QWidget):
    """The picture with a movable, resizable 25:35 frame; the frame is kept in image pixels."""

    cropChanged = Signal(QRectF)  # noqa: N815 - Qt's naming

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self._pixmap = QPixmap.fromImage(image)
        self._crop = largest_crop(image.width(), image.height())
        self._drag: str | None = None  # "move" or a corner "tl", "tr", "bl", "br"
        self._press = QPointF()
        self._start = QRectF()
        self.setMouseTracking(True)
        self.setMinimumSize(300, 300)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(520, 520)

    # -- geometry ----------------------------------------------------------------------------------

    def _view(self) -> tuple[float, float, float]:
        """(scale, x offset, y offset) that fit the picture in the widget."""
        w, h = max(self.image.width(), 1), max(self.image.height(), 1)
        scale = min((self.width() - 16) / w, (self.height() - 16) / h)
        scale = max(scale, 0.01)
        return scale, (self.width() - w * scale) / 2, (self.height() - h * scale) / 2

    def _to_screen(self, rect: QRectF) -> QRectF:
        scale, ox, oy = self._view()
        return QRectF(ox + rect.x() * scale, oy + rect.y() * scale, rect.width() * scale, rect.height() * scale)

    def _to_image(self, point: QPointF) -> QPointF:
        scale, ox, oy = self._view()
        return QPointF((point.x() - ox) / scale, (point.y() - oy) / scale)

    def crop_rectf(self) -> QRectF:
        return QRectF(self._crop)

    def crop_rect(self) -> QRect:
        """The frame in whole image pixels (inside the picture)."""
        r = self._crop
        x, y = max(0, round(r.x())), max(0, round(r.y()))
        w = min(round(r.width()), self.image.width() - x)
        h = min(round(r.height()), self.image.height() - y)
        return QRect(x, y, w, h)

    def set_crop_rect(self, rect: QRectF) -> None:
        """Place the frame (image pixels); its height follows its width (25:35) and it stays inside."""
        w = max(MIN_CROP_WIDTH, min(rect.width(), self.image.width(), self.image.height() * RATIO))
        h = w / RATIO
        x = min(max(rect.x(), 0.0), self.image.width() - w)
        y = min(max(rect.y(), 0.0), self.image.height() - h)
        self._crop = QRectF(x, y, w, h)
        self.cropChanged.emit(QRectF(self._crop))
        self.update()

    def _corner_at(self, pos: QPointF) -> str | None:
        r = self._to_screen(self._crop)
        corners = {"tl": r.topLeft(), "tr": r.topRight(), "bl": r.bottomLeft(), "br": r.bottomRight()}
        for name, point in corners.items():
            if abs(point.x() - pos.x()) <= HANDLE and abs(point.y() - pos.y()) <= HANDLE:
                return name
        return None

    def _resize_from(self, corner: str, pos: QPointF) -> None:
        """Drag *corner* to *pos* (image pixels); the opposite corner stays put."""
        s = self._start
        anchor = {"tl": s.bottomRight(), "tr": s.bottomLeft(), "bl": s.topRight(), "br": s.topLeft()}[corner]
        sx = -1 if corner in ("tl", "bl") else 1
        sy = -1 if corner in ("tl", "tr") else 1
        want = max(sx * (pos.x() - anchor.x()), sy * (pos.y() - anchor.y()) * RATIO, MIN_CROP_WIDTH)
        room_x = anchor.x() if sx < 0 else self.image.width() - anchor.x()
        room_y = anchor.y() if sy < 0 else self.image.height() - anchor.y()
        w = max(MIN_CROP_WIDTH, min(want, room_x, room_y * RATIO))
        h = w / RATIO
        x = anchor.x() - w if sx < 0 else anchor.x()
        y = anchor.y() - h if sy < 0 else anchor.y()
        self.set_crop_rect(QRectF(x, y, w, h))

    # -- events ------------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        corner = self._corner_at(pos)
        if corner is not None:
            self._drag = corner
        elif self._to_screen(self._crop).contains(pos):
            self._drag = "move"
        else:
            self._drag = None
        self._press = self._to_image(pos)
        self._start = QRectF(self._crop)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        if self._drag is None:
            corner = self._corner_at(pos)
            if corner in ("tl", "br"):
                self.setCursor(Qt.CursorShape.SizeFDiagCursor)
            elif corner in ("tr", "bl"):
                self.setCursor(Qt.CursorShape.SizeBDiagCursor)
            elif self._to_screen(self._crop).contains(pos):
                self.setCursor(Qt.CursorShape.SizeAllCursor)
            else:
                self.unsetCursor()
            return
        point = self._to_image(pos)
        if self._drag == "move":
            delta = point - self._press
            self.set_crop_rect(self._start.translated(delta))
        else:
            self._resize_from(self._drag, point)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self._drag = None

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        factor = 0.95 if event.angleDelta().y() > 0 else 1.05
        r = self._crop
        w = r.width() * factor
        h = w / RATIO
        center = r.center()
        self.set_crop_rect(QRectF(center.x() - w / 2, center.y() - h / 2, w, h))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.fillRect(self.rect(), QColor("#3a3a3a"))
        scale, ox, oy = self._view()
        target = QRectF(ox, oy, self.image.width() * scale, self.image.height() * scale)
        painter.drawPixmap(target, self._pixmap, QRectF(self._pixmap.rect()))
        frame = self._to_screen(self._crop)
        shade = QPainterPath()
        shade.addRect(target)
        hole = QPainterPath()
        hole.addRect(frame)
        painter.fillPath(shade.subtracted(hole), QColor(0, 0, 0, 140))
        painter.setPen(QPen(QColor("white"), 2))
        painter.drawRect(frame)
        painter.setPen(QPen(QColor(255, 255, 255, 110), 1, Qt.PenStyle.DashLine))
        for k in (1, 2):  # thirds, to place eyes and chin
            painter.drawLine(QPointF(frame.left() + frame.width() * k / 3, frame.top()),
                             QPointF(frame.left() + frame.width() * k / 3, frame.bottom()))
            painter.drawLine(QPointF(frame.left(), frame.top() + frame.height() * k / 3),
                             QPointF(frame.right(), frame.top() + frame.height() * k / 3))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        for point in (frame.topLeft(), frame.topRight(), frame.bottomLeft(), frame.bottomRight()):
            painter.drawRect(QRectF(point.x() - 4, point.y() - 4, 8, 8))
        painter.end()


class PhotoCropDialog(QDialog):
    """Choose the 1-inch part of a picture; ``jpeg`` holds the result after accept."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Crop photo (1 inch, 25×35 mm)"))
        self.jpeg: bytes | None = None
        self.area = CropArea(image, self)
        self.preview = QLabel(self)
        self.preview.setFixedSize(125, 175)
        self.preview.setFrameShape(QLabel.Shape.Box)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.size_label = QLabel(self)
        self.size_label.setWordWrap(True)
        help_text = QLabel(self.tr("Drag the frame to move it; drag a corner or turn the mouse wheel to resize it. "
                                   "The frame keeps the 25:35 shape of a 1-inch photo."), self)
        help_text.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Result"), self))
        side.addWidget(self.preview)
        side.addWidget(self.size_label)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.area, 1)
        row.addLayout(side)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.area.cropChanged.connect(self._update_preview)
        self._update_preview()
        self.resize(720, 560)

    def cropped(self) -> QImage:
        """The frame's part of the picture at the stored size (413×579)."""
        part = self.area.image.copy(self.area.crop_rect())
        return part.scaled(OUTPUT_SIZE, Qt.AspectRatioMode.IgnoreAspectRatio,
                           Qt.TransformationMode.SmoothTransformation)

    def _update_preview(self) -> None:
        rect = self.area.crop_rect()
        image = self.area.image.copy(rect).scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.size_label.setText(self.tr("{0}×{1} px of the picture → {2}×{3} px").format(
            rect.width(), rect.height(), OUTPUT_SIZE.width(), OUTPUT_SIZE.height()))

    def accept(self) -> None:
        image = self.cropped()
        for quality in (JPEG_QUALITY, 80, 70, 60, 50):  # a very busy picture may need stronger compression
            self.jpeg = jpeg_bytes(image, quality)
            if len(self.jpeg) <= photos.MAX_BYTES:
                break
        super().accept()
