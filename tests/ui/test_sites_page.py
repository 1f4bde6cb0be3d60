"""The sites page (R1–R3, R12): add and edit sites through the editor, warnings in the table and the
detail, A/B posts assigned from the detail's buttons, deactivation with a reason. Child dialogs run
through the page's ``run_dialog`` hook, so no modal loop runs; the UI is in Chinese."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from remoteedu_desktop.data.models import OrgUnit
from remoteedu_desktop.services import offices, people, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.sites.editor import SiteEditorDialog
from remoteedu_desktop.ui.sites.page import COL_A, COL_B, COL_NAME, COL_WARNINGS, SitesPage
from remoteedu_desktop.ui.staff.person_editor import PersonEditorDialog
from remoteedu_desktop.ui.staff.post_dialogs import AssignPostDialog, EndPostDialog, TransferPostDialog

TODAY = dt.date.today()




@pytest.fixture
def township(ctx: AppContext) -> str:
    with ctx.session() as s:
        unit_id = offices.office_info(s).unit_id
    assert unit_id is not None
    return unit_id


_seq = itertools.count(11, 2)


def add_person(ctx: AppContext, name: str) -> str:
    first17 = f"36049919800517{next(_seq) % 1000:03d}"
    with ctx.session() as s:
        return people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17))).id


def add_village(ctx: AppContext, township: str, name: str, n: int) -> str:
    with ctx.session() as s:
        return units.add_unit(s, kind="village", name=name, parent_id=township, code=f"360499100{n:03d}").id


def unit_count(ctx: AppContext) -> int:
    with ctx.session() as s:
        return s.scalar(select(func.count()).select_from(OrgUnit)) or 0


def make_page(qtbot: QtBot, ctx: AppContext, unit_id: str | None = None) -> SitesPage:
    page = SitesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.confirm = lambda *_args: True
    page.select_unit(unit_id)
    return page


def table_text(page: SitesPage, row: int, column: int) -> str:
    return page.proxy.index(row, column).data() or ""


def driver(qtbot: QtBot, fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A ``run_dialog`` that shows the dialog, fills it in and presses OK (no modal loop)."""
    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog)
        dialog.accept()
        return dialog.result()
    return run


def test_create_a_site_through_the_editor(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    page = make_page(qtbot, ctx, township)
    assert page.rows() == []
    assert page.count_label.text() == "共 0 个站点，0 个有提醒"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SiteEditorDialog)
        assert dialog.windowTitle() == "新增站点"
        assert dialog.parent_combo.currentData() == township  # the township shown is preset
        assert dialog.code_hint.text() == "12 位数字，以 360499100（龙潭镇）开头；不知道可不填。"
        dialog.name_edit.setText("杨家村")
        dialog.code_edit.setText("360499100201")
        dialog.address_edit.setText("青山县龙潭镇杨家村村委会")
        dialog.contact_edit.setText("杨书记")
        dialog.phone_edit.setText("0792-1234567")

    page.run_dialog = driver(qtbot, fill)
    dialog = page.add_site()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.errors_text()
    [row] = page.rows()
    assert (row.name, row.code, row.kind_label, row.township_name) == ("杨家村", "360499100201", "行政村站点", "龙潭镇")
    assert table_text(page, 0, COL_NAME) == "杨家村"
    assert table_text(page, 0, COL_A) == "空缺" and table_text(page, 0, COL_B) == "空缺"
    assert table_text(page, 0, COL_WARNINGS) == "[R3] A岗空缺；[R3] B岗空缺"
    d = page.current_detail()  # the new site is shown
    assert d is not None and (d.name, d.address, d.contact_person, d.contact_phone) == (
        "杨家村", "青山县龙潭镇杨家村村委会", "杨书记", "0792-1234567")
    assert [label.text() for label in page.detail_panel.warning_labels] == ["⚠ [R3] A岗空缺", "⚠ [R3] B岗空缺"]
    assert page.count_label.text() == "共 1 个站点，1 个有提醒"
    assert page.message.text() == "已新增站点“杨家村”。"


def test_editor_refuses_inline_and_writes_nothing(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    add_village(ctx, township, "杨家村", 201)
    before = unit_count(ctx)
    dialog = SiteEditorDialog(ctx, None, township_id=township)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    assert dialog.error_label("name").text() == "不能为空"
    dialog.name_edit.setText("李家村")
    dialog.code_edit.setText("360499101202")
    dialog.accept()
    assert dialog.error_label("name").text() == ""
    assert dialog.error_label("code").text() == "360499101202 应以上级单位“龙潭镇”的代码 360499100 开头（规则 R1）"
    dialog.code_edit.setText("360499100201")
    dialog.accept()
    assert dialog.error_label("code").text() == "代码 360499100201 已被“杨家村”使用（规则 R1）"
    dialog.code_edit.setText("")
    dialog.name_edit.setText("杨家村")
    dialog.accept()
    assert dialog.error_label("name").text() == "“龙潭镇”下已有同名单位“杨家村”"
    assert dialog.isVisible() and unit_count(ctx) == before


def test_edit_site_renames_and_keeps_kind(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    page = make_page(qtbot, ctx, site)
    assert [r.name for r in page.rows()] == ["杨家村"]  # one site shown

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SiteEditorDialog) and dialog.windowTitle() == "编辑站点"
        assert not dialog.kind_combo.isEnabled() and not dialog.parent_combo.isEnabled()
        assert dialog.code_edit.text() == "360499100201"
        dialog.name_edit.setText("杨家坪村")

    page.run_dialog = driver(qtbot, fill)
    dialog = page.edit_site()
    assert dialog is not None and dialog.result() == QDialog.DialogCode.Accepted, dialog.errors_text()
    assert [r.name for r in page.rows()] == ["杨家坪村"]
    d = page.current_detail()
    assert d is not None and (d.name, d.code) == ("杨家坪村", "360499100201")


def test_assign_a_and_b_from_the_detail_then_same_person_refused(qtbot: QtBot, ctx: AppContext,
                                                                 township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    zhang, li = add_person(ctx, "张三"), add_person(ctx, "李四")
    page = make_page(qtbot, ctx, township)
    page.select_site(site)
    panel = page.detail_panel
    assert set(panel.slot_buttons) == {"A", "B"}
    assert panel.slot_buttons["A"]["assign"].text() == "任命…"
    chosen = {"A": zhang, "B": li}
    confirmations: list[str] = []
    page.confirm = lambda _p, _t, text: confirmations.append(text) or True

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignPostDialog)
        slot = dialog.slot()
        assert slot is not None
        dialog.person.select_person(chosen[slot])

    page.run_dialog = driver(qtbot, fill)
    panel.slot_buttons["B"]["assign"].click()  # B first: the button, not "the first vacant post", decides
    page.detail_panel.slot_buttons["A"]["assign"].click()
    assert len(confirmations) == 2
    assert "李四：新任 龙潭镇杨家村 B岗" in confirmations[0] and "张三：新任 龙潭镇杨家村 A岗" in confirmations[1]
    assert (table_text(page, 0, COL_A), table_text(page, 0, COL_B), table_text(page, 0, COL_WARNINGS)) == (
        "张三", "李四", "")
    d = page.current_detail()
    assert d is not None and d.warnings == []
    assert page.detail_panel.warning_labels == []
    assert page.detail_panel.slot_buttons["A"]["assign"].text() == "更换…"
    assert page.message.text().startswith("已保存：张三：新任 龙潭镇杨家村 A岗")

    # Zhang San onto post B as well: refused (R3), nothing changes.
    refused: list[AssignPostDialog] = []

    def same_person(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignPostDialog)
        dialog.person.select_person(zhang)
        dialog.reason.setText("调整")
        refused.append(dialog)

    page.run_dialog = driver(qtbot, same_person)
    page.assign_slot("B")
    assert "同一人不能同时担任A岗和B岗（规则 R3）" in refused[0].errors_text()
    assert refused[0].result() != QDialog.DialogCode.Accepted
    assert (table_text(page, 0, COL_A), table_text(page, 0, COL_B)) == ("张三", "李四")


def test_end_post_shows_r3_and_r12_after_two_changes(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    zhang, li, wang = add_person(ctx, "张三"), add_person(ctx, "李四"), add_person(ctx, "王五")
    with ctx.session() as s:
        first = posts.assign_post(s, person_id=zhang, unit_id=site, role="village_manager", slot="A",
                                  start_date=TODAY - dt.timedelta(days=300))
        posts.assign_post(s, person_id=wang, unit_id=site, role="village_manager", slot="B",
                          start_date=TODAY - dt.timedelta(days=300))
        posts.end_post(s, first.id, end_date=TODAY - dt.timedelta(days=100), reason="外出务工")
        second = posts.assign_post(s, person_id=li, unit_id=site, role="village_manager", slot="A",
                                   start_date=TODAY - dt.timedelta(days=100), reason="接任")
    page = make_page(qtbot, ctx, site)
    assert page.current_detail().changes_12m == 1  # type: ignore[union-attr]
    assert page.detail_panel.warning_labels == []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EndPostDialog)
        dialog.reason.setText("考上公务员")

    page.run_dialog = driver(qtbot, fill)
    page.detail_panel.slot_buttons["A"]["end"].click()
    d = page.current_detail()
    assert d is not None and d.slots[0].holder is None and d.changes_12m == 2
    assert [label.text() for label in page.detail_panel.warning_labels] == [
        "⚠ [R3] A岗空缺", "⚠ [R12] 近 12 个月管理员变动 2 次，请保持稳定"]
    assert table_text(page, 0, COL_WARNINGS) == "[R3] A岗空缺；[R12] 近 12 个月管理员变动 2 次，请保持稳定"
    assert [p.id for p in d.past_managers][0] == second.id


def test_transfer_from_the_detail(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    yang = add_village(ctx, township, "杨家村", 201)
    li_cun = add_village(ctx, township, "李家村", 202)
    zhang = add_person(ctx, "张三")
    with ctx.session() as s:
        posts.assign_post(s, person_id=zhang, unit_id=yang, role="village_manager", slot="A",
                          start_date=dt.date(2020, 1, 1))
    page = make_page(qtbot, ctx, township)
    page.select_site(yang)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TransferPostDialog)
        dialog.set_unit(li_cun)
        dialog.set_slot("B")
        dialog.reason.setText("工作需要")

    page.run_dialog = driver(qtbot, fill)
    page.detail_panel.slot_buttons["A"]["transfer"].click()
    by_name = {r.name: r for r in page.rows()}
    assert (by_name["杨家村"].post_a, by_name["李家村"].post_b) == ("", "张三")


def test_township_detail_r2_and_add_manager(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    liu = add_person(ctx, "刘一")
    page = make_page(qtbot, ctx, township)
    d = page.current_detail()
    assert d is not None and d.kind == "township"
    assert [label.text() for label in page.detail_panel.warning_labels] == [
        "⚠ [R2] 乡镇站点管理员只有 0 人，至少应有 2 人"]
    assert page.overview_button.isVisible() and not page.edit_button.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignPostDialog) and dialog.role() == "township_manager"
        dialog.person.select_person(liu)

    page.run_dialog = driver(qtbot, fill)
    assert page.detail_panel.add_manager_button is not None
    page.detail_panel.add_manager_button.click()
    assert [label.text() for label in page.detail_panel.warning_labels] == [
        "⚠ [R2] 乡镇站点管理员只有 1 人，至少应有 2 人"]


def test_deactivate_needs_a_reason_and_free_posts(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    zhang = add_person(ctx, "张三")
    with ctx.session() as s:
        held = posts.assign_post(s, person_id=zhang, unit_id=site, role="village_manager", slot="A",
                                 start_date=dt.date(2020, 1, 1))
    page = make_page(qtbot, ctx, township)
    page.select_site(site)
    asked: list[str] = []
    answers = iter([None, "  ", "村庄合并", "村庄合并"])

    def ask(_parent: QWidget, _title: str, label: str) -> str | None:
        asked.append(label)
        return next(answers)

    page.ask_text = ask
    assert not page.deactivate_site()  # cancelled
    assert asked == ["停用“杨家村”的原因（记入站点档案，R1）："]
    assert not page.deactivate_site()
    assert page.message.text() == "【停用原因】不能为空"
    assert not page.deactivate_site()
    assert "还有 1 个在岗岗位" in page.message.text() and "（规则 R12）" in page.message.text()
    with ctx.session() as s:
        posts.end_post(s, held.id, end_date=TODAY, reason="外出务工")
    assert page.deactivate_site()
    assert page.rows() == []  # deactivated sites are hidden …
    page.inactive_check.setChecked(True)
    assert [(r.name, r.active) for r in page.rows()] == [("杨家村", False)]  # … until asked for
    assert table_text(page, 0, COL_NAME) == "杨家村（已停用）"


def test_person_link_opens_the_editor(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    zhang = add_person(ctx, "张三")
    with ctx.session() as s:
        posts.assign_post(s, person_id=zhang, unit_id=site, role="village_manager", slot="A",
                          start_date=dt.date(2020, 1, 1))
    page = make_page(qtbot, ctx, site)
    opened: list[QDialog] = []

    def run(dialog: QDialog) -> int:
        qtbot.addWidget(dialog)
        opened.append(dialog)
        return 0

    page.run_dialog = run
    page.open_person(zhang)
    assert isinstance(opened[0], PersonEditorDialog) and opened[0].windowTitle() == "人员档案：张三"


def test_refreshes_when_posts_change_elsewhere(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 201)
    zhang = add_person(ctx, "张三")
    page = make_page(qtbot, ctx, township)
    assert table_text(page, 0, COL_A) == "空缺"
    with ctx.session() as s:
        posts.assign_post(s, person_id=zhang, unit_id=site, role="village_manager", slot="A",
                          start_date=dt.date(2020, 1, 1))
    ctx.notify("posts")
    assert table_text(page, 0, COL_A) == "张三"
    page.hide()
    with ctx.session() as s:
        units.rename_unit(s, site, name="杨家坪村")
    ctx.notify("units")
    assert table_text(page, 0, COL_NAME) == "杨家村"  # hidden: only marked stale
    page.show()
    assert table_text(page, 0, COL_NAME) == "杨家坪村"


def test_swap_a_and_b_needs_a_reason(qtbot: QtBot, ctx: AppContext, township: str) -> None:
    site = add_village(ctx, township, "杨家村", 205)
    zhang, li = add_person(ctx, "张三"), add_person(ctx, "李四")
    with ctx.session() as s:
        for person, slot in ((zhang, "A"), (li, "B")):
            posts.assign_post(s, person_id=person, unit_id=site, role="village_manager", slot=slot,
                              start_date=dt.date(2020, 1, 1))
    page = make_page(qtbot, ctx, township)
    page.select_site(site)
    assert page.swap_button.isEnabled()
    answers = iter(["  ", "工作分工调整"])
    page.ask_text = lambda *_args: next(answers)
    assert not page.swap_slots()
    assert "原因" in page.message.text() and "R12" in page.message.text()
    with ctx.session() as s:
        assert {p.slot: p.person_id for p in posts.open_posts(s, unit_id=site)} == {"A": zhang, "B": li}
    assert page.swap_slots()
    with ctx.session() as s:
        assert {p.slot: p.person_id for p in posts.open_posts(s, unit_id=site)} == {"A": li, "B": zhang}
    assert table_text(page, 0, COL_A) == "李四" and table_text(page, 0, COL_B) == "张三"
