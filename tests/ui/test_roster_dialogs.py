"""Roster import and export dialogs: preview with reasons, skip errors, one transaction, cancel, masking, audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from remoteedu_desktop.data.models import AuditLog, Person
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.people import PersonInput, add_person
from remoteedu_desktop.services.roster_template import FIRST_DATA_ROW, column_letter, write_template
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.rosters.export_dialog import RosterExportDialog
from remoteedu_desktop.ui.rosters.import_dialog import PreviewModel, RosterImportDialog
from remoteedu_desktop.ui.worker import Job

TODAY = dt.date(2024, 5, 1)


def make_id(birth: str, seq: str = "123") -> str:
    first17 = "360499" + birth + seq
    return first17 + check_digit(first17)


GOOD = [
    {"name": "张三", "id_number": make_id("19850312", "123"), "phone": "13800000001"},
    {"name": "赵六", "id_number": make_id("19880808", "045"), "gender": "男", "unit": "龙潭镇",
     "role": "乡镇教学辅导员", "tenure": "兼职", "start_date": "2023-09-01"},
]


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    before = Job.inline
    Job.inline = True
    yield
    Job.inline = before


def write_roster(path: Path, *, bad: bool = True) -> Path:
    write_template(path)
    wb = load_workbook(path)
    ws = wb["花名册"]
    rows = list(GOOD)
    if bad:
        wrong = make_id("19900707", "200")
        wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")  # a wrong check digit
        rows.append({"name": "钱七", "id_number": wrong})
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for key, value in values.items():
            ws[f"{column_letter(key)}{r}"] = value
    wb.save(path)
    return path


def people(ctx: AppContext) -> list[str]:
    with ctx.session() as s:
        return sorted(s.scalars(select(Person.name)))


def open_import(qtbot: QtBot, ctx: AppContext, path: Path) -> RosterImportDialog:
    dlg = RosterImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.today = TODAY
    dlg.ask_open_path = lambda *_: str(path)
    dlg.choose_file()
    assert dlg.preview is not None, dlg.message_label.text()
    return dlg


def test_preview_shows_errors_in_chinese_and_import_waits_for_skip(qtbot: QtBot, ctx: AppContext,
                                                                    tmp_path: Path) -> None:
    dlg = open_import(qtbot, ctx, write_roster(tmp_path / "花名册.xlsx"))
    model = dlg.model
    assert model.rowCount() == 3
    statuses = [model.index(r, PreviewModel.STATUS).data() for r in range(3)]
    assert statuses == ["新增", "新增", "错误"]
    error_detail = model.index(2, PreviewModel.DETAIL).data()
    assert "身份证号码" in error_detail and "第 6 行" in error_detail
    assert model.index(2, PreviewModel.STATUS).data(Qt.ItemDataRole.BackgroundRole) is not None
    masked = model.index(0, PreviewModel.ID).data()
    assert "*" in masked and masked != GOOD[0]["id_number"]
    assert "新增 2 人" in dlg.summary_label.text() and "错误 1 行" in dlg.summary_label.text()
    assert model.headerData(PreviewModel.STATUS, Qt.Orientation.Horizontal) == "状态"  # translated

    assert not dlg.import_button.isEnabled()
    dlg.skip_errors.setChecked(True)
    assert dlg.import_button.isEnabled()
    dlg.skip_errors.setChecked(False)
    assert not dlg.import_button.isEnabled()

    report = tmp_path / "报告.xlsx"
    dlg.ask_save_path = lambda *_: str(report)
    dlg.report_button.click()
    assert report.exists()


def test_import_writes_the_good_rows_and_notifies(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dlg = open_import(qtbot, ctx, write_roster(tmp_path / "花名册.xlsx"))
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dlg.skip_errors.setChecked(True)
    dlg.import_button.click()
    assert dlg.result is not None, dlg.message_label.text()
    assert (dlg.result.new, dlg.result.error) == (2, 1)
    assert people(ctx) == ["张三", "赵六"]
    assert {"people", "posts"} <= set(areas)
    assert "2" in dlg.message_label.text() and not dlg.import_button.isEnabled()


def test_cancelling_an_import_writes_nothing(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dlg = open_import(qtbot, ctx, write_roster(tmp_path / "花名册.xlsx", bad=False))
    assert dlg.import_button.isEnabled()
    seen: list[int] = []

    def step(done: int, total: int, text: str) -> None:
        seen.append(done)
        if done == 1:  # the first person is written (in the open transaction): cancel now
            dlg.cancel_import()

    dlg.progressed.connect(step)
    dlg.import_button.click()
    assert seen == [0, 1]
    assert dlg.result is None
    assert "取消" in dlg.message_label.text()
    assert people(ctx) == []


def test_unreadable_file_shows_chinese_error(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "旧表.xls"
    bad.write_bytes(b"not a workbook")
    dlg = RosterImportDialog(ctx, str(bad))
    qtbot.addWidget(dlg)
    assert dlg.preview is None
    text = dlg.message_label.text()
    assert ".xlsx" in text and "另存为" in text and "Traceback" not in text
    assert not dlg.import_button.isEnabled()


def add_people(ctx: AppContext) -> str:
    number = make_id("19850312", "123")
    with ctx.session() as s:
        add_person(s, PersonInput(name="张三", id_number=number, phone="13800000001"), today=TODAY)
    return number


def test_export_is_masked_by_default(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    number = add_people(ctx)
    dlg = RosterExportDialog(ctx, confirm=lambda *_: pytest.fail("no confirmation for a masked export"))
    qtbot.addWidget(dlg)
    target = tmp_path / "导出.xlsx"
    dlg.ask_save_path = lambda *_: str(target)
    dlg.choose_path()
    dlg.export_button.click()
    assert dlg.written == 1, dlg.message_label.text()
    text = " ".join(str(c) for row in load_workbook(target).active.iter_rows(values_only=True) for c in row if c)
    assert number not in text and number[:6] + "********" + number[-4:] in text
    assert "13800000001" not in text
    with ctx.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.field == "unmasked_export")) == 0


def test_unmasked_export_needs_confirmation_and_is_audited(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    number = add_people(ctx)
    answers = [False, True]
    asked: list[str] = []

    def confirm(_parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    dlg = RosterExportDialog(ctx, confirm=confirm)
    qtbot.addWidget(dlg)
    dlg.unmasked.setChecked(True)
    assert not dlg.unmasked.isChecked()  # refused
    dlg.unmasked.setChecked(True)
    assert dlg.unmasked.isChecked() and len(asked) == 2 and "审计" in asked[0]
    target = tmp_path / "完整.xlsx"
    dlg.path_edit.setText(str(target))
    dlg.export_button.click()
    assert dlg.written == 1, dlg.message_label.text()
    text = " ".join(str(c) for row in load_workbook(target).active.iter_rows(values_only=True) for c in row if c)
    assert number in text
    with ctx.session() as s:
        log = s.scalars(select(AuditLog).where(AuditLog.field == "unmasked_export")).all()
        assert len(log) == 1 and log[0].account == "clerk1" and "完整.xlsx" in (log[0].new_value or "")


def test_export_by_unit_and_role_lists_units(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dlg = RosterExportDialog(ctx)
    qtbot.addWidget(dlg)
    assert dlg.unit_combo.count() >= 2 and any("龙潭镇" in dlg.unit_combo.itemText(i)
                                               for i in range(dlg.unit_combo.count()))
    assert dlg.role_combo.findText("村站点管理员") > 0
    dlg.unit_combo.setCurrentIndex(1)
    dlg.role_combo.setCurrentIndex(dlg.role_combo.findText("村站点管理员"))
    target = tmp_path / "村.xlsx"
    dlg.path_edit.setText(str(target))
    dlg.export_button.click()
    assert dlg.written == 0 and target.exists(), dlg.message_label.text()


def test_main_window_file_menu_saves_the_template(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from remoteedu_desktop.ui import rosters
    from remoteedu_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.import_roster_action.text().startswith("导入花名册")
    assert window.export_roster_action.text().startswith("导出花名册")
    target = tmp_path / "模板.xlsx"
    monkeypatch.setattr(rosters, "choose_save_path", lambda *_: str(target))
    window.template_action.trigger()
    assert "花名册" in load_workbook(target).sheetnames
    assert "模板" in window.statusBar().currentMessage()
