"""The page of a certificate template as a QGraphicsScene, one scene unit = one millimetre (R11).

From the bottom up: the paper (white) with a 5 mm grid, the scan of the blank pre-printed stock
(pre-printed templates), the live preview of the rendered PDF (transparent paper, so the scan shows
through), and one outline box per element. A box can be selected and dragged; its position snaps to
0.5 mm and stays on the page, and a small handle at its bottom-right corner resizes it. The scene
reports every change by element key in mm (:attr:`LayoutScene.element_changed`); the editor writes it
into the layout. Boxes of static elements (the printed design: title, frame, fixed wording) are grey
and dashed, the fields are blue.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QWidget,
)

from ...services.certificate_layout import Element, Layout

SNAP_MM = 0.5
GRID_MM = 5.0
MIN_SIZE_MM = 1.0
HANDLE_MM = 2.0
FIELD_COLOUR = QColor(30, 100, 220)
STATIC_COLOUR = QColor(120, 120, 120)
SELECTED_COLOUR = QColor(230, 80, 0)


def snap(value: float, step: float = SNAP_MM) -> float:
    """*value* rounded to the nearest *step* (0.5 mm), without float noise (12.499999 → 12.5)."""
    return round(round(value / step) * step, 3)


class ResizeHandle(QGraphicsRectItem):
    """The small square at an element box's bottom-right corner: dragging it changes w and h."""

    def __init__(self, box: ElementItem) -> None:
        super().__init__(QRectF(-HANDLE_MM / 2, -HANDLE_MM / 2, HANDLE_MM, HANDLE_MM), box)
        self.box = box
        self.setBrush(QBrush(SELECTED_COLOUR))
        pen = QPen(Qt.GlobalColor.white, 0)
        self.setPen(pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.setCursor(Qt.CursorShape.SizeFDiagCursor)
        self.setZValue(2)
        self._placing = False

    def place(self) -> None:
        self._placing = True
        try:
            r = self.box.rect()
            self.setPos(r.width(), r.height())
        finally:
            self._placing = False

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and not self._placing:
            pos = QPointF(value)
            box_pos = self.box.pos()
            page = self.box.page_rect()
            w = min(max(snap(pos.x()), MIN_SIZE_MM), page.right() - box_pos.x())
            h = min(max(snap(pos.y()), MIN_SIZE_MM), page.bottom() - box_pos.y())
            w, h = snap(w), snap(h)
            return QPointF(w, h)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and not self._placing:
            pos = self.pos()
            self.box.resize_to(pos.x(), pos.y(), notify=True)
        return super().itemChange(change, value)


class ElementItem(QGraphicsRectItem):
    """One element's box: its position is the element's top-left in mm, its rect the size."""

    def __init__(self, element: Element) -> None:
        super().__init__()
        self.key = element.key
        self.static = element.static
        self._moving_quietly = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        self.setZValue(10)
        self.label = QGraphicsSimpleTextItem(element.key, self)
        font = QFont()
        font.setPointSizeF(2.2)  # scene units are mm: a 2.2 mm label
        self.label.setFont(font)
        self.label.setBrush(QBrush(STATIC_COLOUR if element.static else FIELD_COLOUR))
        self.label.setPos(0.3, -3.0)
        self.handle = ResizeHandle(self)
        self.handle.setVisible(False)
        self.update_from(element)

    # --- geometry -----------------------------------------------------------------------------------
    def page_rect(self) -> QRectF:
        scene = self.scene()
        return scene.page_rect() if isinstance(scene, LayoutScene) else QRectF(0, 0, 1e4, 1e4)

    def update_from(self, element: Element) -> None:
        """Show *element* (called by the editor: no change signal back)."""
        self.static = element.static
        self.label.setText(element.key)
        self.label.setBrush(QBrush(STATIC_COLOUR if element.static else FIELD_COLOUR))
        self._moving_quietly = True
        try:
            self.setPos(element.x_mm, element.y_mm)
            self.setRect(QRectF(0, 0, max(element.w_mm, 0.01), max(element.h_mm, 0.01)))
            self.handle.place()
        finally:
            self._moving_quietly = False
        self._update_pen()

    def resize_to(self, w: float, h: float, *, notify: bool) -> None:
        self.prepareGeometryChange()
        self.setRect(QRectF(0, 0, w, h))
        if notify:
            self._notify()

    def mm(self) -> tuple[float, float, float, float]:
        r = self.rect()
        return (round(self.pos().x(), 3), round(self.pos().y(), 3), round(r.width(), 3), round(r.height(), 3))

    def _notify(self) -> None:
        scene = self.scene()
        if isinstance(scene, LayoutScene):
            scene.element_changed.emit(self.key, *self.mm())

    def _update_pen(self) -> None:
        colour = SELECTED_COLOUR if self.isSelected() else (STATIC_COLOUR if self.static else FIELD_COLOUR)
        pen = QPen(colour, 0)  # cosmetic: one screen pixel at any zoom
        if self.static and not self.isSelected():
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        fill = QColor(colour)
        fill.setAlpha(28 if self.isSelected() else 0)
        self.setBrush(QBrush(fill))

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and not self._moving_quietly:
            pos = QPointF(value)
            page = self.page_rect()
            r = self.rect()
            # snapped to 0.5 mm, and never off the page (R11: a template that cannot print is refused)
            x = min(max(snap(pos.x()), page.left()), max(page.right() - r.width(), 0.0))
            y = min(max(snap(pos.y()), page.top()), max(page.bottom() - r.height(), 0.0))
            return QPointF(round(x, 3), round(y, 3))
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and not self._moving_quietly:
            self._notify()
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._update_pen()
            self.handle.setVisible(bool(value))
        return super().itemChange(change, value)


class LayoutScene(QGraphicsScene):
    """The page of *layout* in mm with its elements as draggable boxes."""

    element_changed = Signal(str, float, float, float, float)  #: key, x, y, w, h (mm) after a drag
    current_key_changed = Signal(str)  #: the selected element's key ("" when none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page = QRectF(0, 0, 297, 210)
        self._items: dict[str, ElementItem] = {}
        self.scan_item = QGraphicsPixmapItem()
        self.scan_item.setZValue(-2)
        self.scan_item.setOpacity(0.9)
        self.scan_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.preview_item = QGraphicsPixmapItem()
        self.preview_item.setZValue(-1)
        self.preview_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.addItem(self.scan_item)
        self.addItem(self.preview_item)
        self.selectionChanged.connect(self._selection_changed)
        self._update_scene_rect()

    # --- page and images ----------------------------------------------------------------------------
    def page_rect(self) -> QRectF:
        return QRectF(self._page)

    def set_page(self, w_mm: float, h_mm: float) -> None:
        self._page = QRectF(0, 0, w_mm, h_mm)
        self._update_scene_rect()
        self._fit_pixmap(self.scan_item)
        self._fit_pixmap(self.preview_item)
        self.update()

    def _update_scene_rect(self) -> None:
        margin = 8.0
        self.setSceneRect(self._page.adjusted(-margin, -margin, margin, margin))

    def _fit_pixmap(self, item: QGraphicsPixmapItem) -> None:
        pixmap = item.pixmap()
        if pixmap.isNull():
            return
        item.setPos(0, 0)
        item.setScale(1.0)
        sx = self._page.width() / pixmap.width()
        sy = self._page.height() / pixmap.height()
        item.setTransform(QTransform.fromScale(sx, sy))

    def set_preview(self, image: QImage | None) -> None:
        """The rendered certificate (any resolution; stretched onto the page)."""
        self.preview_item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self._fit_pixmap(self.preview_item)

    def set_scan(self, image: QImage | None) -> None:
        """The scan of the blank pre-printed stock, stretched onto the page (None: no scan)."""
        self.scan_item.setPixmap(QPixmap.fromImage(image) if image is not None and not image.isNull()
                                 else QPixmap())
        self._fit_pixmap(self.scan_item)

    # --- elements -----------------------------------------------------------------------------------
    def set_layout(self, layout: Layout) -> None:
        """Show *layout*: page size and one box per element (keeps the selection by key)."""
        selected = self.current_key()
        self.blockSignals(True)
        try:
            for item in self._items.values():
                self.removeItem(item)
            self._items.clear()
            self.set_page(layout.page_w_mm, layout.page_h_mm)
            for element in layout.elements:
                item = ElementItem(element)
                self.addItem(item)
                self._items[element.key] = item
            if selected in self._items:
                self._items[selected].setSelected(True)
        finally:
            self.blockSignals(False)

    def update_element(self, element: Element, old_key: str | None = None) -> None:
        """Show a changed element (from the form) without sending :attr:`element_changed` back."""
        key = old_key or element.key
        item = self._items.pop(key, None)
        if item is None:
            item = ElementItem(element)
            self.addItem(item)
        item.key = element.key
        self._items[element.key] = item
        item.update_from(element)

    def item(self, key: str) -> ElementItem:
        return self._items[key]

    def element_keys(self) -> list[str]:
        return list(self._items)

    def current_key(self) -> str:
        items = [i for i in self.selectedItems() if isinstance(i, ElementItem)]
        return items[0].key if items else ""

    def select(self, key: str) -> None:
        self.clearSelection()
        if key in self._items:
            self._items[key].setSelected(True)

    def _selection_changed(self) -> None:
        self.current_key_changed.emit(self.current_key())

    # --- drawing ------------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, QColor(200, 200, 200))
        page = self._page
        painter.fillRect(page, Qt.GlobalColor.white)
        minor = QPen(QColor(225, 232, 242), 0)
        major = QPen(QColor(190, 205, 228), 0)
        x = 0.0
        i = 0
        while x <= page.width() + 1e-6:
            painter.setPen(major if i % 2 == 0 else minor)
            painter.drawLine(QPointF(x, 0), QPointF(x, page.height()))
            x += GRID_MM
            i += 1
        y = 0.0
        i = 0
        while y <= page.height() + 1e-6:
            painter.setPen(major if i % 2 == 0 else minor)
            painter.drawLine(QPointF(0, y), QPointF(page.width(), y))
            y += GRID_MM
            i += 1

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        painter.setPen(QPen(QColor(90, 90, 90), 0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._page)


__all__ = ["ElementItem", "GRID_MM", "LayoutScene", "ResizeHandle", "SNAP_MM", "snap"]
