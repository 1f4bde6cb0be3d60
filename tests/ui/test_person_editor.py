"""The person editor (R10): the ID number checked as typed, save or refuse inline with nothing written,
the 1-inch photo cropped to 25:35, the archive tabs and the audit trail. The UI is in Chinese."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Base, Enrolment, LocalOffice, Person, TrainingPlan
from remoteedu_desktop.services import offices, people, photos, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.staff.person_editor import TAB_AUDIT, TAB_POSTS, TAB_TRAINING, PersonEditorDialog
from remoteedu_desktop.ui.staff.photo_crop import RATIO, CropArea, PhotoCropDialog
from remoteedu_desktop.ui.staff.post_dialogs import AssignPostDialog, EndPostDialog

VALID_ID = "36049919800517" + "035"
VALID_ID += check_digit(VALID_ID)  # a man born 1980-05-17
WOMAN_ID = "36049919920229" + "046"
WOMAN_ID += check_digit(WOMAN_ID)  # a woman born 1992-02-29




def state(db: Database) -> dict[str, int]:
    with db.session() as s:
        counts = {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}
        office = s.get(LocalOffice, 1)
        counts["change_counter"] = office.change_counter if office else -1
    return counts


def editor(qtbot: QtBot, ctx: AppContext, person_id: str | None = None) -> PersonEditorDialog:
    dialog = PersonEditorDialog(ctx, person_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add_zhang(ctx: AppContext, **fields: object) -> str:
    with ctx.session() as s:
        return people.add_person(s, people.PersonInput(name="张三", id_number=VALID_ID, **fields)).id  # type: ignore[arg-type]


def test_new_person_with_valid_id_fills_birth_and_gender(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = editor(qtbot, ctx)
    assert dialog.windowTitle() == "新增人员"
    assert not dialog.tabs.isTabEnabled(TAB_POSTS)  # no archive before the person exists
    dialog.name_edit.setText("李梅")
    dialog.id_edit.setText(WOMAN_ID.lower())
    assert dialog.birth_edit.text() == "1992-02-29"
    assert dialog.gender_combo.currentText() == "女"
    assert dialog.id_status_text().startswith("✓ 号码有效：1992-02-29 出生，女，")
    dialog.ethnicity_combo.setCurrentIndex(dialog.ethnicity_combo.findData("03"))
    dialog.political_combo.setCurrentIndex(dialog.political_combo.findData("01"))
    dialog.education_combo.setCurrentIndex(dialog.education_combo.findData("21"))
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("VIL_GRADUATE"))
    assert dialog.source_combo.currentText() == "大学生村官（村站点管理员）"
    dialog.phone_edit.setText("13912345678")
    dialog.employer_edit.setText("杨家村村民委员会")
    dialog.job_edit.setText("村主任助理")
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.errors_text()
    assert areas == ["people"]
    assert dialog.saved is not None
    with ctx.session() as s:
        person = s.get(Person, dialog.saved.id)
        assert person is not None
        assert (person.name, person.id_number, person.gender, person.birth_date, person.ethnicity,
                person.political_status, person.education, person.source_category, person.phone,
                person.employer, person.job_title, person.name_initials) == (
            "李梅", WOMAN_ID, "2", dt.date(1992, 2, 29), "03", "01", "21", "VIL_GRADUATE", "13912345678",
            "杨家村村民委员会", "村主任助理", "lm")


@pytest.mark.parametrize(("typed", "says", "red"), [
    ("3604991980", "输入了 10 位，应为 18 位（旧号码为 15 位）", False),  # still typing: grey
    (VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1"), "第18位校验码应为", True),
    ("36049919801317035X", "出生日期 19801317 不是有效日期", True),
    ("3604991980051703A5", "第17位“A”不是数字", True),
    ("990499198005170351", "前两位 99 不是有效的省级行政区划代码", True),
])
def test_id_number_checked_as_typed(qtbot: QtBot, ctx: AppContext, typed: str, says: str, red: bool) -> None:
    dialog = editor(qtbot, ctx)
    dialog.id_edit.setText(typed)
    assert says in dialog.id_status_text()
    assert ("c62828" in dialog.id_status.styleSheet()) is red
    assert dialog.birth_edit.text() == "" and dialog.gender_combo.currentData() is None


def test_invalid_id_refused_inline_nothing_written(qtbot: QtBot, ctx: AppContext) -> None:
    before = state(ctx.db)
    dialog = editor(qtbot, ctx)
    dialog.name_edit.setText("王五")
    bad = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    dialog.id_edit.setText(bad)
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.id_status_text() == f"第18位校验码应为 {VALID_ID[17]}，实际为 {bad[17]}"
    assert dialog.errors_text().startswith("第18位校验码应为")
    assert state(ctx.db) == before and areas == []


def test_other_fields_refused_inline(qtbot: QtBot, ctx: AppContext) -> None:
    add_zhang(ctx)
    before = state(ctx.db)
    dialog = editor(qtbot, ctx)
    dialog.id_edit.setText(WOMAN_ID)
    dialog.accept()
    assert dialog.error_label("name").text() == "不能为空"
    dialog.name_edit.setText("李梅")
    dialog.phone_edit.setText("abc")
    dialog.accept()
    assert dialog.error_label("name").text() == ""
    assert "不是有效的电话号码" in dialog.error_label("phone").text()
    dialog.phone_edit.setText("")
    assert dialog.error_label("phone").text() == "" and not dialog.error_label("phone").isVisible()
    dialog.id_edit.setText(VALID_ID)  # already Zhang San's number
    dialog.accept()
    assert "已登记为“张三”的身份证号码" in dialog.id_status_text()
    assert state(ctx.db) == before


def test_person_and_photo_are_written_together_or_not_at_all(qtbot: QtBot, ctx: AppContext) -> None:
    before = state(ctx.db)
    dialog = editor(qtbot, ctx)
    dialog.name_edit.setText("李梅")
    dialog.id_edit.setText(WOMAN_ID)
    dialog._pending_photo, dialog._photo_action = b"\x89PNG not a jpeg", "set"  # slipped past the crop dialog
    dialog.accept()
    assert dialog.error_label("photo").text() == "不是 JPEG 图片"
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert state(ctx.db) == before  # the person was added in the same transaction: rolled back too


def test_existing_person_shows_full_id_and_update_is_audited(qtbot: QtBot, ctx: AppContext) -> None:
    person_id = add_zhang(ctx, phone="13800000000")
    dialog = editor(qtbot, ctx, person_id)
    assert dialog.windowTitle() == "人员档案：张三"
    assert dialog.id_edit.text() == VALID_ID  # the full number, only here
    assert (dialog.birth_edit.text(), dialog.gender_combo.currentText()) == ("1980-05-17", "男")
    dialog.phone_edit.setText("13900000000")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.errors_text()

    again = editor(qtbot, ctx, person_id)
    assert again.tabs.tabText(TAB_AUDIT) == "修改记录（2）"
    table = again.audit_table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert rows[0][1:] == ["clerk1", "人员档案", "修改", "联系电话", "13800000000", "13900000000"]
    assert rows[1][1:4] == ["clerk1", "人员档案", "新增"]
    assert VALID_ID not in rows[1][6] and "360499********" in rows[1][6]


def test_photo_import_crop_and_save(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    person_id = add_zhang(ctx)
    picture = QImage(1200, 900, QImage.Format.Format_RGB32)
    picture.fill(QColor("#88aacc"))
    painter = QPainter(picture)
    painter.fillRect(500, 200, 200, 300, QColor("#aa5533"))  # "the face"
    painter.end()
    path = tmp_path / "photo.png"
    assert picture.save(str(path))

    dialog = editor(qtbot, ctx, person_id)
    crops: list[PhotoCropDialog] = []

    def run(child: QDialog) -> int:
        assert isinstance(child, PhotoCropDialog)
        qtbot.addWidget(child)
        child.show()
        child.area.set_crop_rect(QRectF(450, 150, 300, 999))  # height follows the width: 25:35
        crops.append(child)
        child.accept()
        return child.result()

    dialog.run_dialog = run
    assert dialog.import_photo(str(path))
    frame = crops[0].area.crop_rect()
    assert (frame.x(), frame.y(), frame.width(), frame.height()) == (450, 150, 300, 420)
    assert dialog.remove_photo_button.isEnabled()
    with ctx.session() as s:
        assert photos.get_photo(s, person_id) is None  # nothing stored before Save
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.errors_text()
    with ctx.session() as s:
        stored = photos.get_photo(s, person_id)
    assert stored is not None and stored[:2] == b"\xff\xd8"
    assert photos.jpeg_size(stored) == (413, 579)  # 25:35
    image = QImage.fromData(stored)
    assert (image.width(), image.height()) == (413, 579)
    centre = image.pixelColor(206, 289)
    assert centre.red() > centre.blue()  # the cropped part is "the face", not the background


def test_unreadable_picture_and_remove_photo(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    person_id = add_zhang(ctx)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a picture")
    dialog = editor(qtbot, ctx, person_id)
    dialog.run_dialog = lambda child: pytest.fail("no crop dialog for an unreadable file")  # type: ignore[assignment]
    assert not dialog.import_photo(str(junk))
    assert dialog.error_label("photo").text() == "无法把这个文件读作图片。"
    dialog.choose_file = lambda _parent: None
    assert not dialog.import_photo()  # cancelled file dialog
    header = b"\xff\xd8\xff\xc0\x00\x11\x08" + (579).to_bytes(2, "big") + (413).to_bytes(2, "big") + b"\x03" + b"\x00" * 9
    with ctx.session() as s:
        photos.set_photo(s, person_id, header + b"\xff\xd9")
    dialog = editor(qtbot, ctx, person_id)
    assert dialog.remove_photo_button.isEnabled()
    dialog.remove_photo()
    dialog.accept()
    with ctx.session() as s:
        assert photos.get_photo(s, person_id) is None


def test_crop_frame_keeps_25_35_when_dragged(qtbot: QtBot, qapp: QApplication) -> None:
    image = QImage(800, 600, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    area = CropArea(image)
    qtbot.addWidget(area)
    area.resize(400, 300)  # scale 0.48 (8 px margin each side)
    area.show()
    area.set_crop_rect(QRectF(100, 100, 200, 280))
    start = area.crop_rectf()

    def screen(x: float, y: float) -> QPoint:
        scale, ox, oy = area._view()
        return QPoint(round(ox + x * scale), round(oy + y * scale))

    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=screen(150, 200))  # inside: move
    qtbot.mouseMove(area, screen(250, 220))
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=screen(250, 220))
    moved = area.crop_rectf()
    assert moved.width() == start.width() and moved.x() > start.x()

    corner = moved.bottomRight()
    qtbot.mousePress(area, Qt.MouseButton.LeftButton, pos=screen(corner.x(), corner.y()))
    qtbot.mouseMove(area, screen(corner.x() + 60, corner.y() + 10))
    qtbot.mouseRelease(area, Qt.MouseButton.LeftButton, pos=screen(corner.x() + 60, corner.y() + 10))
    grown = area.crop_rectf()
    assert grown.width() > moved.width()
    assert abs(grown.width() / grown.height() - RATIO) < 1e-9
    assert grown.topLeft() == moved.topLeft()  # the opposite corner stays put
    area.set_crop_rect(QRectF(700, 500, 5000, 5000))  # too big and outside: clamped into the picture
    clamped = area.crop_rectf()
    assert clamped.height() <= 600 and clamped.right() <= 800 and clamped.bottom() <= 600
    assert abs(clamped.width() / clamped.height() - RATIO) < 1e-9


def test_history_tabs_and_post_actions(qtbot: QtBot, ctx: AppContext) -> None:
    person_id = add_zhang(ctx)
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        site = units.add_unit(s, kind="village", name="杨家村", parent_id=township, code="360499100201").id
        posts.assign_post(s, person_id=person_id, unit_id=site, role="village_manager", slot="A",
                          start_date=dt.date(2020, 3, 1))
        plan = TrainingPlan(title="2025年村级站点管理员岗前培训", year=2025, organizer_level="township",
                            target_role="village_manager", target_level="village", kind="pre_job", mode="lecture",
                            planned_hours=8.0)
        s.add(plan)
        s.flush()
        s.add(Enrolment(plan_id=plan.id, person_id=person_id, self_study_hours=2.0, score=90.0, passed=True))
    dialog = editor(qtbot, ctx, person_id)
    assert dialog.tabs.tabText(TAB_POSTS) == "岗位（1）"
    assert dialog.tabs.tabText(TAB_TRAINING) == "培训（1）"
    row = [dialog.posts_table.item(0, c).text() for c in range(dialog.posts_table.columnCount())]
    assert row == ["2020-03-01 – 至今", "龙潭镇杨家村", "村站点管理员", "A岗", "兼职", "新任", ""]
    training = [dialog.training_table.item(0, c).text() for c in range(dialog.training_table.columnCount())]
    assert training == ["2025", "2025年村级站点管理员岗前培训", "岗前培训", "集中授课", "2", "90", "合格"]
    assert not dialog.end_button.isEnabled()

    opened: list[QWidget] = []

    def run(child: QDialog) -> int:
        qtbot.addWidget(child)
        opened.append(child)
        child.show()
        if isinstance(child, EndPostDialog):
            child.reason.setText("外出务工")
        child.accept()
        return child.result()

    dialog.run_dialog = run
    dialog.confirm = lambda *_args: True
    dialog.posts_table.selectRow(0)
    assert dialog.end_button.isEnabled()
    dialog.end_post()
    assert isinstance(opened[-1], EndPostDialog)
    assert dialog.posts_table.item(0, 6).text() == "外出务工"
    assert dialog.posts_table.item(0, 0).text().endswith(dt.date.today().isoformat())
    assert "修改" in [dialog.audit_table.item(r, 3).text() for r in range(dialog.audit_table.rowCount())]
    new = dialog.assign_post()
    assert isinstance(new, AssignPostDialog) and new.person.person_id() == person_id


def test_training_tab_shows_hours_per_year(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    """R8, R10: under the trainings, the hours of each year (lecture, self-study, total, trainings)."""
    from remoteedu_desktop.services import training_enrolment, training_grid, training_plans
    from remoteedu_desktop.services.training_grid import GridChanges

    person_id = add_zhang(ctx)

    def plan(title: str, year: int, lectures: list[tuple[dt.date, float]], present: bool, study: float) -> None:
        with ctx.session() as s:
            township = offices.office_info(s).unit_id
            plan_id = training_plans.add_plan(s, training_plans.PlanInput(
                title=title, year=year, organizer_level="township", target_role="village_manager",
                target_level="village", topics=("1",), kind="regular", mode="mixed", organizer_unit_id=township)).id
            sessions = [training_plans.add_session(s, plan_id, training_plans.SessionInput(date=day, hours=hours)).id
                        for day, hours in lectures]
            training_enrolment.enrol(s, plan_id, [person_id])
            training_grid.save_grid(s, plan_id, GridChanges(
                present={(person_id, sid): True for sid in sessions} if present else {},
                self_study={person_id: study}, scores={}))

    plan("2025年站点管理员培训", 2025, [(dt.date(2025, 4, 1), 3.0), (dt.date(2025, 4, 2), 3.0)], True, 2.0)
    plan("2026年设备维护培训", 2026, [(dt.date(2026, 3, 5), 4.0)], True, 0.0)
    plan("2026年远程教育政策培训", 2026, [(dt.date(2026, 6, 5), 2.5)], False, 1.5)
    dialog = editor(qtbot, ctx, person_id)
    assert dialog.tabs.tabText(TAB_TRAINING) == "培训（3）"
    table = dialog.hours_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["年度", "集中授课学时", "自学学时", "合计学时", "培训次数"]
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert rows == [["2025", "6", "2", "8", "1"], ["2026", "4", "1.5", "5.5", "2"]]
    dialog.tabs.setCurrentIndex(TAB_TRAINING)
    dialog.resize(920, 660)
    qtbot.wait(10)
    assert dialog.grab().save(str(tmp_path / "person_editor_training.png"))
    # The training record (培训记录) prints from here: a real PDF naming the person and both years.
    target = tmp_path / "record.pdf"
    dialog.choose_save_path = lambda parent, title, suggested: str(target)
    assert dialog.print_training_record() == str(target)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "张" in text and "培训记录" in text and "2025" in text and "2026年设备维护培训" in text
    assert str(target) in dialog.record_status.text()
    dialog.choose_save_path = lambda parent, title, suggested: None  # cancelled: nothing written
    assert dialog.print_training_record() is None


def test_print_personnel_file_button(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    """Issue 8, item 3: one click saves the whole archive (档案, R10) as a PDF, through the save-as hook and
    a worker; cancelling writes nothing; a new person (not saved yet) has nothing to print."""
    from remoteedu_desktop.ui.worker import Job

    person_id = add_zhang(ctx)
    new = editor(qtbot, ctx)
    assert not new.print_file_button.isEnabled()
    dialog = editor(qtbot, ctx, person_id)
    assert dialog.print_file_button.isEnabled() and dialog.print_file_button.text() == "打印人员档案…"
    asked: list[str] = []
    target = tmp_path / "档案"  # no suffix: .pdf is added

    def choose(parent: QWidget, title: str, suggested: str) -> str:
        asked.append(suggested)
        return str(target)

    dialog.choose_save_path = choose
    Job.inline = True
    try:
        dialog.print_file_button.click()
    finally:
        Job.inline = False
    assert asked == ["人员档案-张三.pdf"]
    written = tmp_path / "档案.pdf"
    text = subprocess.run(["pdftotext", str(written), "-"], capture_output=True, text=True, check=True).stdout
    assert "人员档案" in text and "张三" in text and VALID_ID in text
    assert str(written) in dialog.file_status.text() and dialog.file_status.isVisible()
    written.unlink()
    dialog.choose_save_path = lambda parent, title, suggested: None  # cancelled: nothing written
    assert dialog.print_personnel_file() is None
    assert not written.exists()


def test_save_after_another_clerks_save_is_refused_with_a_message(qtbot: QtBot, ctx: AppContext,
                                                                  tmp_path: Path) -> None:
    """Issue 10 item 1: the editor was opened before another clerk saved the same person: nothing is
    overwritten, the clerk reads why, and the other clerk's value stays."""
    person_id = add_zhang(ctx, phone="13800001111")
    dialog = editor(qtbot, ctx, person_id)
    with ctx.session() as s:  # another clerk (or window) saves first
        people.update_person(s, person_id, phone="13900002222")
    dialog.phone_edit.setText("13700003333")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "其他用户" in dialog.general_error.text() and "未保存" in dialog.general_error.text()
    dialog.grab().save(str(tmp_path / "concurrent_edit.png"))
    with ctx.session() as s:
        assert s.get(Person, person_id).phone == "13900002222"
