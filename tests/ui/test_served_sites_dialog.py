"""The served-sites dialog (R4, R5, R9): check sites grouped by township, filter, save, refuse inline."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import offices, people, posts, site_views, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.staff.person_editor import TAB_POSTS, PersonEditorDialog
from remoteedu_desktop.ui.staff.served_sites_dialog import ServedSitesDialog

ID_17 = "36049919800517035"


def setup_tutor(ctx: AppContext) -> tuple[str, str, dict[str, str]]:
    """A township tutor of 龙潭镇 and three village sites; returns (person id, post id, site ids by name)."""
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        sites = {name: units.add_unit(s, kind="village", name=name, parent_id=township,
                                      code=f"360499100{201 + i}").id
                 for i, name in enumerate(["杨家村", "李家村", "何家村"])}
        person = people.add_person(s, people.PersonInput(name="赵老师", id_number=ID_17 + check_digit(ID_17)))
        post = posts.assign_post(s, person_id=person.id, unit_id=township, role="township_tutor",
                                 start_date=dt.date(2020, 3, 1))
    return person.id, post.id, sites


def test_check_two_sites_save_and_site_detail_shows_tutor(qtbot: QtBot, ctx: AppContext) -> None:
    _, post_id, sites = setup_tutor(ctx)
    dialog = ServedSitesDialog(ctx, post_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "服务站点"
    assert dialog.header.text().startswith("赵老师——龙潭镇")
    assert dialog.tree.topLevelItemCount() == 1 and dialog.tree.topLevelItem(0).text(0) == "龙潭镇"
    assert dialog.checked_site_ids() == []

    dialog.filter.setText("李")
    assert dialog.visible_site_names() == ["李家村"]
    dialog.filter.setText("")
    assert dialog.visible_site_names() == ["杨家村", "李家村", "何家村"]

    dialog.set_checked(sites["杨家村"])
    dialog.set_checked(sites["李家村"])
    assert dialog.count_label.text() == "已选 2 个站点"
    assert dialog.tree.topLevelItem(0).text(1) == "已选 2 / 3"

    if os.environ.get("SERVED_SITES_PNG"):
        dialog.resize(640, 480)
        dialog.grab().save(os.environ["SERVED_SITES_PNG"])

    with qtbot.waitSignal(ctx.changed) as blocker:
        dialog.accept()
    assert blocker.args == ["posts"]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_change is not None and dialog.result_change.added == ("杨家村", "李家村")
    with ctx.session() as s:
        assert [p.person_name for p in site_views.site_detail(s, sites["杨家村"]).helpers] == ["赵老师"]
        assert [p.person_name for p in site_views.site_detail(s, sites["李家村"]).helpers] == ["赵老师"]
        assert site_views.site_detail(s, sites["何家村"]).helpers == []

    again = ServedSitesDialog(ctx, post_id)
    qtbot.addWidget(again)
    assert sorted(again.checked_site_ids()) == sorted([sites["杨家村"], sites["李家村"]])


def test_refusal_is_shown_inline_and_nothing_is_written(qtbot: QtBot, ctx: AppContext) -> None:
    _, post_id, sites = setup_tutor(ctx)
    dialog = ServedSitesDialog(ctx, post_id)
    qtbot.addWidget(dialog)
    dialog.set_checked(sites["杨家村"])
    with ctx.session() as s:  # the site is closed after the dialog opened
        units.deactivate_unit(s, sites["杨家村"], reason="撤并")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "已停用" in dialog.errors_text() and "【服务站点】" in dialog.errors_text()
    assert dialog.general_error.isVisibleTo(dialog)
    with ctx.session() as s:
        assert site_views.site_detail(s, sites["李家村"]).helpers == []


def test_person_editor_button_enabled_only_for_open_tutor_post(qtbot: QtBot, ctx: AppContext) -> None:
    person_id, post_id, sites = setup_tutor(ctx)
    with ctx.session() as s:
        posts.assign_post(s, person_id=person_id, unit_id=sites["何家村"], role="village_manager", slot="A",
                          start_date=dt.date(2021, 1, 1))
    editor = PersonEditorDialog(ctx, person_id)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentIndex(TAB_POSTS)
    assert editor.sites_button.text() == "服务站点…"
    rows = {editor.posts_table.item(r, 2).text(): r for r in range(editor.posts_table.rowCount())}
    editor.posts_table.selectRow(rows["村站点管理员"])
    assert not editor.sites_button.isEnabled()
    assert editor.edit_served_sites() is None
    editor.posts_table.selectRow(rows["乡镇教学辅导员"])
    assert editor.sites_button.isEnabled()

    def run(child: QDialog) -> int:
        qtbot.addWidget(child)
        assert isinstance(child, ServedSitesDialog)
        child.set_checked(sites["何家村"])
        child.accept()
        return child.result()

    editor.run_dialog = run
    opened = editor.edit_served_sites()
    assert isinstance(opened, ServedSitesDialog) and opened.post_id == post_id
    with ctx.session() as s:
        assert [p.person_name for p in site_views.site_detail(s, sites["何家村"]).helpers] == ["赵老师"]

