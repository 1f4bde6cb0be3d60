"""The template editor (R11): dragging a box moves the element by the dragged mm (snapped to 0.5 mm), typing
a number moves the box, the live preview renders the sample (long name shrunk into its box), saving makes
a new version, and a layout with an element off the page shows the Chinese reason and is not saved."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import certificate_templates
from remoteedu_desktop.services.certificate_layout import default_layout
from remoteedu_desktop.ui.cert_templates.layout_scene import snap
from remoteedu_desktop.ui.cert_templates.template_editor import TemplateEditorDialog
from remoteedu_desktop.ui.cert_templates.templates_view import TemplatesView
from remoteedu_desktop.ui.context import AppContext

SHOTS = os.environ.get("REMOTEEDU_SHOTS")  #: a folder to copy the screenshots to, for a look


def shot(widget: QWidget, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    assert widget.grab().save(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / name)


def default_id(ctx: AppContext, kind: str = "on_duty") -> str:
    with ctx.session() as s:
        return certificate_templates.default_template(s, kind).id


def open_editor(qtbot: QtBot, ctx: AppContext, template_id: str) -> TemplateEditorDialog:
    dialog = TemplateEditorDialog(ctx, template_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def png(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def test_snap_rounds_to_half_millimetres() -> None:
    assert [snap(v) for v in (12.24, 12.26, 12.74, 0.0, 99.999)] == [12.0, 12.5, 12.5, 0.0, 100.0]


def test_dragging_a_box_moves_the_element_by_the_dragged_mm(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = open_editor(qtbot, ctx, default_id(ctx))
    before = dialog.layout.element("name")
    item = dialog.scene.item("name")
    assert (item.pos().x(), item.pos().y()) == (before.x_mm, before.y_mm)
    item.setPos(item.pos() + QPointF(12.26, -7.74))  # what a mouse drag does: the item moves, snapped
    moved = dialog.layout.element("name")
    assert (moved.x_mm, moved.y_mm) == (before.x_mm + 12.5, before.y_mm - 7.5)
    assert (moved.w_mm, moved.h_mm) == (before.w_mm, before.h_mm)
    dialog.select("name")
    assert dialog.x_spin.value() == moved.x_mm and dialog.y_spin.value() == moved.y_mm

    # dragged beyond the right edge: stops at the edge, never off the page
    item.setPos(QPointF(500, 500))
    edge = dialog.layout.element("name")
    assert edge.x_mm + edge.w_mm == pytest.approx(dialog.layout.page_w_mm)
    assert edge.y_mm + edge.h_mm == pytest.approx(dialog.layout.page_h_mm)
    assert dialog.error_label.text() == ""


def test_a_real_mouse_drag_on_the_view_moves_the_box(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, ctx, default_id(ctx))
    before = dialog.layout.element("body")
    view = dialog.view
    start = view.mapFromScene(QPointF(before.x_mm + 20, before.y_mm + 20))
    end = view.mapFromScene(QPointF(before.x_mm + 30, before.y_mm + 25))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    move = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(end), view.viewport().mapToGlobal(QPointF(end)),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), move)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    after = dialog.layout.element("body")
    assert dialog.current_key() == "body"
    assert after.x_mm == pytest.approx(before.x_mm + 10, abs=0.5)
    assert after.y_mm == pytest.approx(before.y_mm + 5, abs=0.5)
    assert after.x_mm * 2 == int(after.x_mm * 2)  # on the 0.5 mm grid


def test_typing_a_number_moves_the_box_and_the_preview_follows(qtbot: QtBot, ctx: AppContext,
                                                               tmp_path: Path) -> None:
    dialog = open_editor(qtbot, ctx, default_id(ctx))
    renders = dialog.preview_renders
    assert renders >= 1 and not dialog.scene.preview_item.pixmap().isNull()
    dialog.select("office")
    dialog.x_spin.setValue(150.3)
    dialog.w_spin.setValue(100.0)
    item = dialog.scene.item("office")
    assert item.pos().x() == pytest.approx(150.3) and item.rect().width() == pytest.approx(100.0)
    assert dialog.layout.element("office").x_mm == pytest.approx(150.3)
    assert dialog.preview_timer.isActive()  # debounced, not rendered on every keystroke
    qtbot.waitUntil(lambda: dialog.preview_renders > renders, timeout=2000)
    shot(dialog, tmp_path, "template_editor.png")


def test_letter_spacing_and_indent_are_edited_for_paragraphs_only(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, ctx, default_id(ctx))
    dialog.select("body")
    assert dialog.indent_spin.isEnabled() and dialog.indent_spin.value() == pytest.approx(2.0)
    dialog.indent_spin.setValue(0.0)
    dialog.spacing_spin.setValue(1.5)
    body = dialog.layout.element("body")
    assert (body.indent, body.letter_spacing) == (0.0, 1.5)
    dialog.select("number")
    assert not dialog.indent_spin.isEnabled() and dialog.spacing_spin.isEnabled()
    dialog.select("frame")
    assert not dialog.spacing_spin.isEnabled()


def test_preview_shows_the_long_sample_name_inside_its_box(qtbot: QtBot, ctx: AppContext) -> None:
    """The sample name 欧阳𬌗㐀 is printed inside the name box (shrunk to fit), nothing outside it."""
    dialog = open_editor(qtbot, ctx, default_id(ctx))
    image = dialog.scene.preview_item.pixmap().toImage()
    page = dialog.layout
    e = page.element("name")
    sx, sy = image.width() / page.page_w_mm, image.height() / page.page_h_mm

    def inked(x0: float, y0: float, x1: float, y1: float) -> int:
        return sum(1 for y in range(int(y0 * sy), int(y1 * sy)) for x in range(int(x0 * sx), int(x1 * sx))
                   if image.pixelColor(x, y).alpha() > 100)

    assert inked(e.x_mm, e.y_mm, e.x_mm + e.w_mm, e.y_mm + e.h_mm) > 20
    assert inked(e.x_mm - 4, e.y_mm, e.x_mm - 0.3, e.y_mm + e.h_mm) == 0  # no overflow to the left


def test_save_makes_version_2_and_an_invalid_layout_is_not_saved(qtbot: QtBot, ctx: AppContext,
                                                                 tmp_path: Path) -> None:
    template_id = default_id(ctx)
    dialog = open_editor(qtbot, ctx, template_id)
    dialog.select("number")
    dialog.w_spin.setValue(150.0)  # 180 + 150 > 297: off the page
    assert "超出纸张" in dialog.error_label.text() and "number" in dialog.error_label.text()
    shot(dialog, tmp_path, "template_editor_error.png")
    dialog.save()
    assert dialog.saved is None and dialog.isVisible()
    with ctx.session() as s:
        assert certificate_templates.template(s, template_id).version == 1

    dialog.w_spin.setValue(90.0)
    dialog.y_spin.setValue(55.0)
    assert dialog.error_label.text() == ""
    dialog.save()
    assert dialog.saved is not None and dialog.saved.version == 2
    with ctx.session() as s:
        stored = certificate_templates.template(s, template_id)
    assert stored.version == 2 and stored.layout.element("number").y_mm == 55.0


def test_adding_editing_and_removing_an_element(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_editor(qtbot, ctx, default_id(ctx, "appointment"))
    count = len(dialog.layout.elements)
    dialog.add_element()
    key = dialog.current_key()
    assert key == "text1" and len(dialog.layout.elements) == count + 1 and key in dialog.scene.element_keys()
    dialog.text_edit.setText("培训：")
    index = dialog.field_combo.findData("training")
    dialog.field_combo.activated.emit(index)
    assert dialog.layout.element(key).text == "培训：{training}"
    dialog.text_edit.setText("{nonsense}")
    assert "未知的字段" in dialog.error_label.text()
    dialog.text_edit.setText("{training}")
    dialog.remove_element()
    assert key not in [e.key for e in dialog.layout.elements] and key not in dialog.scene.element_keys()


def test_preprinted_template_shows_the_scan_under_the_fields(qtbot: QtBot, ctx: AppContext,
                                                             tmp_path: Path) -> None:
    with ctx.session() as s:
        info = certificate_templates.save_template(s, default_layout("on_duty", "preprinted"), name="内页")
        scan = QImage(760, 520, QImage.Format.Format_RGB32)
        scan.fill(QColor("#f3ead2"))
        painter = QPainter(scan)
        painter.setPen(QColor("#b03a2e"))
        painter.drawRect(40, 40, 680, 440)
        painter.drawText(300, 60, "上 岗 证")
        painter.end()
        certificate_templates.set_scan(s, info.id, png(scan))
    dialog = open_editor(qtbot, ctx, info.id)
    assert not dialog.scene.scan_item.pixmap().isNull()
    assert dialog.scene.scan_item.zValue() < dialog.scene.preview_item.zValue()
    shot(dialog, tmp_path, "template_editor_booklet.png")


def test_templates_view_new_duplicate_default_and_scan(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    view = TemplatesView(ctx)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    # The built-in plain A4 default and the pre-printed booklet layout.
    assert len(view.templates()) == 2 and [t.stock for t in view.templates() if t.is_default] == ["plain"]
    edited: list[TemplateEditorDialog] = []

    def run(dialog: TemplateEditorDialog) -> int:  # the clerk moves the title and saves
        edited.append(dialog)
        dialog.name_edit.setText("上岗证书（竖排）")
        dialog.save()
        return 1

    view.run_dialog = run  # type: ignore[assignment]
    new = view.new_from_default("plain")
    assert new is not None and new.version == 1 and len(view.templates()) == 3
    copy = view.duplicate_selected()
    assert copy is not None and "上岗证书（竖排）" in copy.name and len(view.templates()) == 4
    view.select_template(copy.id)
    view.set_default_selected()
    assert [t.id for t in view.templates() if t.is_default] == [copy.id]

    scan = tmp_path / "blank.png"
    image = QImage(200, 140, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert image.save(str(scan))
    view.choose_open_path = lambda parent, title, flt: str(scan)  # type: ignore[assignment]
    view.load_scan()
    with ctx.session() as s:
        assert certificate_templates.scan(s, copy.id) == scan.read_bytes()
    assert view.remove_scan_button.isEnabled()
    not_an_image = tmp_path / "blank.txt"
    not_an_image.write_text("hello")
    view.choose_open_path = lambda parent, title, flt: str(not_an_image)  # type: ignore[assignment]
    view.load_scan()
    assert "blank.txt" in view.message.text()
    view.remove_scan()
    with ctx.session() as s:
        assert certificate_templates.scan(s, copy.id) is None
    shot(view, tmp_path, "templates_view.png")
