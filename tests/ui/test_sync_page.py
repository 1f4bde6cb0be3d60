"""The Sync page (issue 6) between a real county database and a real township database, enrolled with each
other: the county adds the township and writes its enrolment file, the township installs it, exports a bundle
to a folder (the "USB stick"), the county previews it (counts and new records), imports it, imports it again
(already imported, nothing changes), and refuses a wrongly typed fingerprint.

Real SQLite files, real zips, real keys; dialogs run through the page's ``run_dialog`` hook and jobs inline, so
there is no modal loop. Screenshots go under tmp_path (and REMOTEEDU_SHOTS if set). The UI is in Chinese.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.services import office_keys, offices, people, sync_export
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.pages import page_spec
from remoteedu_desktop.ui.sync.dialogs import (
    P_CHANGED,
    P_FROM,
    P_NEW,
    P_RESULT,
    P_TABLE,
    AcceptKeyDialog,
    AddTownshipDialog,
    ImportPreviewDialog,
    ImportReportDialog,
)
from remoteedu_desktop.ui.sync.page import C_LAST, C_RECEIVED, C_SENT, C_STATE, SyncPage, down_service
from remoteedu_desktop.ui.worker import Job

SHOTS = os.environ.get("REMOTEEDU_SHOTS")
COUNTY, TOWNSHIP = "360499", "360499100"
TODAY = dt.date(2026, 6, 30)
_seq = itertools.count(11, 2)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def id_number(birth: dt.date = dt.date(1980, 5, 17)) -> str:
    first17 = f"{COUNTY}{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    return first17 + check_digit(first17)


def shoot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    QApplication.processEvents()
    image = widget.grab()
    path = tmp_path / f"{name}.png"
    assert image.save(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SHOTS) / f"{name}.png"))
    return path


class Offices:
    """A county and a township database, each behind its own AppContext, and a "stick" folder."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.county_db = open_database(f"sqlite:///{tmp / 'county' / 'county.sqlite3'}", account="county_clerk")
        self.township_db = open_database(f"sqlite:///{tmp / 'township' / 'township.sqlite3'}", account="town_clerk")
        with self.county_db.session() as s:
            offices.init_office(s, level="county", code=COUNTY, name="青山县")
        self.county = AppContext(self.county_db)
        self.township = AppContext(self.township_db)
        self.stick = tmp / "stick"
        self.stick.mkdir()

    def enrol(self, *, accept: bool) -> None:
        """The enrolment through the services (the page's own enrolment is tested on its own)."""
        with self.county_db.session() as s:
            se.add_township_office(s, TOWNSHIP, "龙潭镇")
            enrolment = se.enrolment_file(s, TOWNSHIP)
        with self.township_db.session() as s:
            se.install_enrolment(s, enrolment, where="龙潭镇.json")
        if accept:
            with self.township_db.session() as s:
                keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
                fp = office_keys.own_fingerprint(s)
            with self.county_db.session() as s:
                se.pending_peer_key(s, TOWNSHIP, *keys)
                se.accept_peer(s, TOWNSHIP, fp.short)

    def seed_people(self, *names: str) -> list[str]:
        with self.township_db.session() as s:
            return [people.add_person(s, people.PersonInput(name=n, id_number=id_number(), phone="13800000001"),
                                      today=TODAY).id for n in names]

    def township_fingerprint(self) -> str:
        with self.township_db.session() as s:
            return office_keys.own_fingerprint(s).short

    def dispose(self) -> None:
        self.county_db.dispose()
        self.township_db.dispose()


@pytest.fixture
def world(tmp_path: Path, chinese: None) -> Iterator[Offices]:
    w = Offices(tmp_path)
    yield w
    w.dispose()


def person_count(db: Database) -> int:
    from sqlalchemy import func, select

    from remoteedu_desktop.data.models import Person
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Person)) or 0


def dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    from sqlalchemy import select

    from remoteedu_desktop.data.models import Base
    with db.session() as s:
        return {t.name: sorted(map(tuple, s.execute(select(t)).all()), key=repr) for t in Base.metadata.sorted_tables}


def make_page(qtbot: QtBot, ctx: AppContext) -> SyncPage:
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 640)
    page.show()
    return page


def driver(qtbot: QtBot, fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A ``run_dialog`` that shows the dialog, acts on it (no modal loop) and returns its result."""
    def run(dialog: QDialog) -> int:
        dialog.show()
        fill(dialog)
        return dialog.result()
    return run


def test_the_window_makes_the_sync_page(qtbot: QtBot, world: Offices) -> None:
    page = page_spec("sync").create(world.county)
    qtbot.addWidget(page)
    assert isinstance(page, SyncPage)
    assert page.county_box.isVisibleTo(page) and not page.township_box.isVisibleTo(page)


def test_county_adds_township_and_township_installs_the_enrolment_file(
        qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    county = make_page(qtbot, world.county)
    with world.county_db.session() as s:
        county_fp = office_keys.own_fingerprint(s)
    assert county.fingerprint_label.text() == county_fp.short
    assert county_fp.long in county.long_fingerprint_label.text()
    assert "青山县" in county.office_label.text() and "360499" in county.office_label.text()
    assert "电话核对时请读这一串" in [label.text() for label in county.findChildren(QLabel)]

    county.choose_folder = lambda *_: str(world.stick)  # type: ignore[method-assign]
    seen: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AddTownshipDialog)
        dialog.code_edit.setText("360498100")  # another county's code: refused, the dialog stays open
        dialog.name_edit.setText("龙潭镇")
        dialog._browse()
        assert dialog.folder_edit.text() == str(world.stick)
        dialog.submit()
        assert dialog.result() != QDialog.DialogCode.Accepted
        seen.append(dialog.error_label.text())
        shoot(dialog, tmp_path, "sync_add_township_refused")
        dialog.code_edit.setText(TOWNSHIP)
        dialog.submit()

    county.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    county.add_township()
    assert "应以本县代码 360499 开头" in seen[0]
    enrolment = world.stick / f"ENROL-{TOWNSHIP}.json"
    assert enrolment.is_file()
    assert str(enrolment) in county.message_label.text() and county_fp.short in county.message_label.text()
    row = county.peer_row(TOWNSHIP)
    assert row >= 0 and county.peer_cell(row, C_STATE) == "等待对方首个数据包"
    shoot(county, tmp_path, "sync_county_after_add")

    # the township: a fresh database becomes 龙潭镇 by installing the file
    township = make_page(qtbot, world.township)
    assert township.township_box.isVisibleTo(township) and not township.export_button.isEnabled()
    township.choose_open_file = lambda *_: str(world.tmp / "nothing.json")  # type: ignore[method-assign]
    township.install_enrolment()
    assert township.message_label.isVisible() and "nothing.json" in township.message_label.text()
    township.choose_open_file = lambda *_: str(enrolment)  # type: ignore[method-assign]
    township.install_enrolment()
    text = township.message_label.text()
    assert "已安装青山县（360499）的登记文件" in text and county_fp.short in text, text
    assert "龙潭镇" in township.office_label.text()
    row = township.peer_row(COUNTY)
    assert row >= 0 and township.peer_cell(row, C_STATE) == "已确认"
    assert township.export_button.isEnabled()
    shoot(township, tmp_path, "sync_township_installed")
    township.install_enrolment()
    assert "此登记文件已安装过" in township.message_label.text()


def test_township_exports_a_bundle_into_the_chosen_folder(qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    world.enrol(accept=True)
    world.seed_people("张三", "李四")
    page = make_page(qtbot, world.township)
    assert page.export_button.isEnabled()
    page.choose_folder = lambda *_: str(world.stick)  # type: ignore[method-assign]
    page.export_up()
    result = page.last_export
    assert result is not None and result.sequence == 1
    assert result.path.parent == world.stick and result.path.is_file()
    assert result.path.name.startswith(f"TWN-{TOWNSHIP}-UP-")
    text = page.message_label.text()
    assert f"数据包已写好并核对无误，可以拔出 U 盘：{result.path}" in text, text
    assert "人员 2" in text
    row = page.peer_row(COUNTY)
    assert page.peer_cell(row, C_SENT) == "1" and page.peer_cell(row, C_LAST) != "—"
    shoot(page, tmp_path, "sync_township_exported")

    # nothing new, and "send everything again": the people go again in bundle 2
    page.everything_box.setChecked(True)
    page.export_up()
    assert page.last_export is not None and page.last_export.sequence == 2
    assert page.last_export.counts.get("person", (0, 0))[0] == 2
    assert not page.everything_box.isChecked()  # a one-time choice
    assert len(list(world.stick.glob("*.zip"))) == 2

    # a folder that is not there: refused plainly, nothing written
    page.choose_folder = lambda *_: str(world.tmp / "pulled-stick")  # type: ignore[method-assign]
    page.export_up()
    assert "文件夹不存在" in page.message_label.text()
    assert page.last_export.sequence == 2


def test_county_previews_imports_and_refuses_to_import_twice(qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    world.enrol(accept=True)
    ids = world.seed_people("张三", "李四")
    with world.township_db.session() as s:
        bundle = sync_export.export_up(s, world.stick).path
    page = make_page(qtbot, world.county)
    before = dump(world.county_db)
    looked: dict[str, object] = {}

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        rows = {dialog.table.cell_text(r, P_TABLE): r for r in range(dialog.table.rowCount())}
        assert "人员" in rows, rows
        person = rows["人员"]
        looked["new"] = dialog.table.cell_text(person, P_NEW)
        looked["from"] = dialog.table.cell_text(person, P_FROM)
        looked["result"] = dialog.table.cell_text(person, P_RESULT)
        looked["details"] = dialog.details.toPlainText()
        assert dialog.import_button.isEnabled()
        shoot(dialog, tmp_path, "sync_import_preview")
        dialog.reject()

    page.run_dialog = driver(qtbot, cancel)  # type: ignore[method-assign]
    page.import_from(bundle)
    assert looked["new"] == "2" and looked["from"] == "龙潭镇（360499100）" and looked["result"] == "可导入"
    assert "人员：新增 2" in str(looked["details"])
    for person_id in ids:  # each new record is listed, by name
        assert re.search(rf"新增 人员 \S+（{person_id[:8]}）", str(looked["details"]))
    assert "未写入" in page.message_label.text()
    assert dump(world.county_db) == before  # the preview and the cancel wrote nothing

    saved = tmp_path / "report"

    def run_import(dialog: QDialog) -> None:
        if isinstance(dialog, ImportPreviewDialog):
            dialog.import_button.click()
            return
        assert isinstance(dialog, ImportReportDialog)
        assert dialog.table.cell_text(0, P_RESULT) == "已导入"
        shoot(dialog, tmp_path, "sync_import_report")
        dialog.choose_save_path = lambda *_: str(saved)  # type: ignore[method-assign]
        dialog.save()
        dialog.accept()

    page.run_dialog = driver(qtbot, run_import)  # type: ignore[method-assign]
    page.import_from(world.stick)  # the whole folder: one bundle
    assert [r.status for r in page.last_reports] == ["applied"]
    assert person_count(world.county_db) == 2
    text = (tmp_path / "report.txt").read_text(encoding="utf-8-sig")
    assert "导入报告" in text and "已导入" in text and "人员：新增 2" in text
    row = page.peer_row(TOWNSHIP)
    assert page.peer_cell(row, C_RECEIVED) == "1" and page.peer_cell(row, C_LAST) != "—"
    shoot(page, tmp_path, "sync_county_imported")

    after = dump(world.county_db)
    again: dict[str, object] = {}

    def look_again(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        again["result"] = dialog.table.cell_text(0, P_RESULT)
        again["enabled"] = dialog.import_button.isEnabled()
        again["note"] = dialog.note_label.text()
        shoot(dialog, tmp_path, "sync_import_again")
        dialog.reject()

    page.run_dialog = driver(qtbot, look_again)  # type: ignore[method-assign]
    page.import_from(bundle)
    assert str(again["result"]).startswith("已于 ") and "导入" in str(again["result"]), again
    assert again["enabled"] is False and "不会有任何改动" in str(again["note"])
    assert dump(world.county_db) == after

    # an edit at the township: the next bundle's preview shows the field, old → new
    with world.township_db.session() as s:
        people.update_person(s, ids[0], phone="13900000002", today=TODAY)
    with world.township_db.session() as s:
        second = sync_export.export_up(s, world.stick).path
    changed: dict[str, str] = {}

    def look_changed(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        rows = {dialog.table.cell_text(r, P_TABLE): r for r in range(dialog.table.rowCount())}
        changed["count"] = dialog.table.cell_text(rows["人员"], P_CHANGED)
        changed["details"] = dialog.details.toPlainText()
        shoot(dialog, tmp_path, "sync_import_changed")
        dialog.reject()

    page.run_dialog = driver(qtbot, look_changed)  # type: ignore[method-assign]
    page.import_from(second)
    assert changed["count"] == "1"
    assert f"（{ids[0][:8]}） phone：13800000001 → 13900000002" in changed["details"], changed["details"]


def test_a_wrong_fingerprint_is_refused_and_the_right_one_accepted(
        qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    world.enrol(accept=False)
    world.seed_people("王五")
    with world.township_db.session() as s:
        bundle = sync_export.export_up(s, world.stick).path
    page = make_page(qtbot, world.county)
    results: dict[str, str] = {}

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        results["result"] = dialog.table.cell_text(0, P_RESULT)
        results["reason"] = dialog.table.cell_text(0, P_TABLE)
        dialog.reject()

    page.run_dialog = driver(qtbot, look)  # type: ignore[method-assign]
    page.import_from(bundle)
    assert results["result"] == "拒收"
    assert "尚未确认" in results["reason"] and "确认乡镇密钥" in results["reason"], results
    assert "remoteedu" not in results["reason"]  # the CLI's hint is not shown on the page
    row = page.peer_row(TOWNSHIP)
    assert page.peer_cell(row, C_STATE) == se.STATE_LABEL["pending"]
    assert page.accept_button.isEnabled()
    right = world.township_fingerprint()
    wrong = "0000-0000-0000-0000" if right != "0000-0000-0000-0000" else "1111-1111-1111-1111"
    refusals: list[str] = []

    def type_wrong_then_right(dialog: QDialog) -> None:
        assert isinstance(dialog, AcceptKeyDialog)
        assert dialog.township_box.currentData() == TOWNSHIP
        dialog.fingerprint_edit.setText(wrong)
        dialog.submit()
        assert dialog.result() != QDialog.DialogCode.Accepted
        refusals.append(dialog.error_label.text())
        shoot(dialog, tmp_path, "sync_accept_refused")
        with world.county_db.session() as s:
            assert se.peer_info(s, TOWNSHIP).state == "pending"  # nothing changed
        dialog.fingerprint_edit.setText(right.lower().replace("-", " "))
        dialog.submit()

    page.run_dialog = driver(qtbot, type_wrong_then_right)  # type: ignore[method-assign]
    page.accept_key()
    assert "不符" in refusals[0], refusals
    assert page.peer_cell(page.peer_row(TOWNSHIP), C_STATE) == "已确认"
    assert right in page.message_label.text()

    def run_import(dialog: QDialog) -> None:
        if isinstance(dialog, ImportPreviewDialog):
            dialog.import_button.click()
        else:
            dialog.accept()

    page.run_dialog = driver(qtbot, run_import)  # type: ignore[method-assign]
    page.import_from(bundle)
    assert [r.status for r in page.last_reports] == ["applied"]
    assert person_count(world.county_db) == 1


def test_a_refused_bundle_is_quarantined_on_import_and_the_database_is_unchanged(
        qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    world.enrol(accept=True)
    world.seed_people("赵六")
    with world.township_db.session() as s:
        bundle = sync_export.export_up(s, world.stick).path
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped byte
    bundle.write_bytes(bytes(data))
    page = make_page(qtbot, world.county)
    before = dump(world.county_db)
    seen: dict[str, object] = {}

    def run_import(dialog: QDialog) -> None:
        if isinstance(dialog, ImportPreviewDialog):
            seen["result"] = dialog.table.cell_text(0, P_RESULT)
            seen["note"] = dialog.note_label.text()
            dialog.import_button.click()
        else:
            seen["report"] = dialog.details.toPlainText()  # type: ignore[attr-defined]
            dialog.accept()

    page.run_dialog = driver(qtbot, run_import)  # type: ignore[method-assign]
    page.import_from(bundle)
    assert seen["result"] == "拒收" and "隔离" in str(seen["note"])
    assert [r.status for r in page.last_reports] == ["refused"]
    quarantined = page.last_reports[0].quarantine
    assert quarantined is not None and quarantined.is_file()
    assert "已隔离保存" in str(seen["report"])
    assert page.message_label.text().startswith("0 个数据包已导入")
    row = page.peer_row(TOWNSHIP)
    assert page.peer_cell(row, C_RECEIVED) == "—" and page.peer_cell(row, C_LAST) == "—"  # a refusal is no exchange
    after = dump(world.county_db)
    assert after["person"] == before["person"]
    assert person_count(world.county_db) == 0


def test_county_exports_down_bundles_and_the_township_imports_its_own(
        qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    """Item 8 through the pages, when this build has down bundles (services.sync_down); otherwise the county's
    button says they come in a later version."""
    county = make_page(qtbot, world.county)
    county.choose_folder = lambda *_: str(world.stick)  # type: ignore[method-assign]
    if down_service() is None:
        county.export_down()
        assert county.message_label.text() == "下发数据包将在后续版本提供。"
        return
    assert not county.export_down_button.isEnabled()  # no township with an accepted key yet
    world.enrol(accept=True)
    with world.county_db.session() as s:
        se.add_township_office(s, "360499101", "石门乡")  # enrolled, key not accepted: gets no bundle
    county.refresh()
    assert county.export_down_button.isEnabled()
    county.export_down()
    [written] = county.last_down
    assert written.path.parent == world.stick and written.path.is_file()
    text = county.message_label.text()
    assert "可以拔出 U 盘" in text and str(written.path) in text and "360499101" in text, text
    assert county.peer_cell(county.peer_row(TOWNSHIP), C_SENT) == "1"
    shoot(county, tmp_path, "sync_county_exported_down")

    township = make_page(qtbot, world.township)
    assert township.import_down_button.isEnabled()
    township.choose_open_file = lambda *_: str(written.path)  # type: ignore[method-assign]

    def run_import(dialog: QDialog) -> None:
        if isinstance(dialog, ImportPreviewDialog):
            assert dialog.table.cell_text(0, P_RESULT) == "可导入", dialog.details.toPlainText()
            dialog.import_button.click()
        else:
            shoot(dialog, tmp_path, "sync_township_import_report")
            dialog.accept()

    township.run_dialog = driver(qtbot, run_import)  # type: ignore[method-assign]
    township.import_down_button.click()
    assert [r.status for r in township.last_reports] == ["applied"], township.last_reports[0].message
    assert township.peer_cell(township.peer_row(COUNTY), C_RECEIVED) == "1"


def test_conflicts_are_counted_on_the_page_and_settled_side_by_side(
        qtbot: QtBot, world: Offices, tmp_path: Path) -> None:
    """Issue 6, item 7: both offices changed one phone number; at the county the owner's (township's) value is
    kept and the county's waits in the queue; the dialog shows both, refuses "take the other value" (not the
    county's record) and settles it with "keep"."""
    from remoteedu_desktop.data.models import Person
    from remoteedu_desktop.services import sync_import
    from remoteedu_desktop.ui.sync.conflicts_dialog import ConflictsDialog

    world.enrol(accept=True)
    [pid] = world.seed_people("张三")
    with world.township_db.session() as s:
        first = sync_export.export_up(s, world.stick)
    assert sync_import.apply(world.county_db, first.path).status == "applied"
    with world.township_db.session() as s:
        s.get(Person, pid).phone = "13900000002"  # type: ignore[union-attr]
    with world.county_db.session() as s:
        s.get(Person, pid).phone = "13700000003"  # type: ignore[union-attr]
    with world.township_db.session() as s:
        second = sync_export.export_up(s, world.stick)
    report = sync_import.apply(world.county_db, second.path)
    assert report.counts()["person"]["conflict"] == 1

    page = make_page(qtbot, world.county)
    assert "1" in page.conflicts_label.text() and page.conflicts_button.isEnabled()
    seen: list[ConflictsDialog] = []

    def settle(dialog: QDialog) -> None:
        assert isinstance(dialog, ConflictsDialog)
        seen.append(dialog)
        assert dialog.list.rowCount() == 1
        cells = [dialog.fields.item(0, c).text() for c in range(3)]
        assert cells == ["电话", "13900000002", "13700000003"]
        assert "龙潭镇" in dialog.owner_label.text()
        assert dialog.keep_button.isEnabled() and not dialog.take_button.isEnabled()
        shoot(dialog, tmp_path, "sync_conflicts")
        dialog.keep_button.click()
        assert dialog.list.rowCount() == 0 and "已处理" in dialog.message.text()
        dialog.show_settled.setChecked(True)
        assert dialog.list.rowCount() == 1 and dialog.list.item(0, 5).text() == "已处理"
        dialog.reject()

    page.run_dialog = driver(qtbot, settle)
    page.conflicts_button.click()
    assert seen and "没有" in page.conflicts_label.text()
    with world.county_db.session() as s:
        assert s.get(Person, pid).phone == "13900000002"  # type: ignore[union-attr]
