"""Post dialogs (R3, R12): assign A and B, refuse one person on both, change a holder, transfer, end.

Each dialog is shown, filled in and accepted through its slot; the confirmation is an injected
function that records the text, so no modal loop runs. The UI is in Chinese (the default).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Base, LocalOffice, Post
from remoteedu_desktop.services import offices, people, person_views, posts, site_views, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.person_views import PostRecord
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.staff.post_dialogs import AssignPostDialog, EndPostDialog, TransferPostDialog

TODAY = dt.date.today()


class Confirm:
    """Records every confirmation text and answers as told."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.texts: list[str] = []

    def __call__(self, _parent: QWidget, _title: str, text: str) -> bool:
        self.texts.append(text)
        return self.answer




_seq = itertools.count(11, 2)  # odd sequence numbers: men (GB 11643)


def add_person(ctx: AppContext, name: str) -> str:
    first17 = f"36049919800517{next(_seq) % 1000:03d}"
    with ctx.session() as s:
        return people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17))).id


def add_village(ctx: AppContext, name: str, n: int) -> str:
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        return units.add_unit(s, kind="village", name=name, parent_id=township, code=f"360499100{n:03d}").id


def state(db: Database) -> dict[str, int]:
    with db.session() as s:
        counts = {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}
        office = s.get(LocalOffice, 1)
        counts["change_counter"] = office.change_counter if office else -1
    return counts


def open_posts(ctx: AppContext, unit_id: str) -> dict[str | None, str]:
    """slot → holder's name of the open manager posts at a unit."""
    with ctx.session() as s:
        d = site_views.site_detail(s, unit_id)
    return {v.slot: v.holder.person_name for v in d.slots if v.holder}


def assign(qtbot: QtBot, ctx: AppContext, unit_id: str, slot: str, person_id: str, *, reason: str = "",
           confirm: Confirm | None = None) -> AssignPostDialog:
    dialog = AssignPostDialog(ctx, unit_id=unit_id, role="village_manager", slot=slot,
                              confirm=confirm or Confirm())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.person.select_person(person_id)
    dialog.reason.setText(reason)
    dialog.accept()
    return dialog


@pytest.fixture
def site(ctx: AppContext) -> str:
    return add_village(ctx, "杨家村", 201)


def test_assign_a_and_b_through_the_dialog(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang, li = add_person(ctx, "张三"), add_person(ctx, "李四")
    confirm = Confirm()
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog = assign(qtbot, ctx, site, "A", zhang, confirm=confirm)
    assert dialog.windowTitle() == "任命岗位"
    assert dialog.result() == AssignPostDialog.DialogCode.Accepted, dialog.errors_text()
    assert confirm.texts == [f"张三：新任 龙潭镇杨家村 A岗（村站点管理员，兼职），自 {TODAY.isoformat()} 起"]
    assert areas == ["posts"]
    dialog = assign(qtbot, ctx, site, "B", li, confirm=confirm)
    assert dialog.result() == AssignPostDialog.DialogCode.Accepted, dialog.errors_text()
    assert open_posts(ctx, site) == {"A": "张三", "B": "李四"}
    with ctx.session() as s:
        assert site_views.site_detail(s, site).warnings == []  # R3 satisfied


def test_vacant_slot_offered_first_and_reason_optional(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang = add_person(ctx, "张三")
    assign(qtbot, ctx, site, "A", zhang)
    dialog = AssignPostDialog(ctx, unit_id=site, role="village_manager", confirm=Confirm())
    qtbot.addWidget(dialog)
    assert dialog.slot() == "B"
    assert dialog.slot_combo.itemText(0) == "A岗（现任：张三）"
    assert dialog.slot_combo.itemText(1) == "B岗（空缺）"
    assert not dialog.reason_required()
    assert "首次任命可不填" in dialog.reason_hint.text()
    dialog.set_slot("A")
    assert dialog.reason_required() and "必填" in dialog.reason_hint.text()


def test_same_person_on_a_and_b_refused(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang = add_person(ctx, "张三")
    assign(qtbot, ctx, site, "A", zhang)
    before = state(ctx.db)
    confirm = Confirm()
    dialog = assign(qtbot, ctx, site, "B", zhang, confirm=confirm)
    assert dialog.result() != AssignPostDialog.DialogCode.Accepted
    assert dialog.error_label("slot").text() == \
        "张三已在“杨家村”担任A岗，同一人不能同时担任A岗和B岗（规则 R3）"
    assert dialog.error_label("slot").isVisible()
    assert confirm.texts == []  # refused before anything is asked
    assert state(ctx.db) == before
    assert open_posts(ctx, site) == {"A": "张三"}


def test_picking_nobody_is_refused(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    add_person(ctx, "张三")
    dialog = AssignPostDialog(ctx, unit_id=site, role="village_manager", slot="A", confirm=Confirm())
    qtbot.addWidget(dialog)
    assert dialog.person.person_id() is None  # nobody preselected
    dialog.accept()
    assert dialog.error_label("person").text() == "请选择人员"


def test_change_holder_needs_a_reason_then_ends_and_appoints(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang, li = add_person(ctx, "张三"), add_person(ctx, "李四")
    assign(qtbot, ctx, site, "A", zhang)
    before = state(ctx.db)
    confirm = Confirm()
    dialog = assign(qtbot, ctx, site, "A", li, confirm=confirm)
    assert dialog.result() != AssignPostDialog.DialogCode.Accepted
    assert dialog.error_label("reason").text() == "岗位变动必须填写原因（规则 R12）"
    assert state(ctx.db) == before and confirm.texts == []

    dialog.reason.setText("外出务工")
    dialog.accept()
    assert dialog.result() == AssignPostDialog.DialogCode.Accepted, dialog.errors_text()
    day = TODAY.isoformat()
    assert confirm.texts == [f"张三：龙潭镇杨家村 A岗 → 结束于 {day}（原因：外出务工）；\n"
                             f"李四：新任 龙潭镇杨家村 A岗（村站点管理员，兼职），自 {day} 起（原因：外出务工）"]
    assert open_posts(ctx, site) == {"A": "李四"}
    with ctx.session() as s:
        [old] = [p for p in posts.post_history(s, zhang)]
        new = s.scalar(select(Post).where(Post.person_id == li))
        assert (old.end_date, new.start_reason) == (TODAY, "外出务工")  # type: ignore[union-attr]


def test_declined_confirmation_writes_nothing(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang = add_person(ctx, "张三")
    before = state(ctx.db)
    dialog = assign(qtbot, ctx, site, "A", zhang, confirm=Confirm(answer=False))
    assert dialog.isVisible() and dialog.result() != AssignPostDialog.DialogCode.Accepted
    assert state(ctx.db) == before


def test_transfer_without_then_with_a_reason(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    other = add_village(ctx, "李家村", 202)
    zhang = add_person(ctx, "张三")
    assign(qtbot, ctx, site, "A", zhang)
    post_id = next(p.id for p in _history(ctx, zhang))
    before = state(ctx.db)
    confirm = Confirm()
    dialog = TransferPostDialog(ctx, post_id, confirm=confirm)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "调动"
    dialog.set_unit(other)
    dialog.set_slot("B")
    dialog.accept()
    assert dialog.result() != TransferPostDialog.DialogCode.Accepted
    assert dialog.error_label("reason").text() == "岗位变动必须填写原因（规则 R12）"
    assert state(ctx.db) == before and confirm.texts == []

    dialog.reason.setText("工作需要")
    dialog.accept()
    assert dialog.result() == TransferPostDialog.DialogCode.Accepted, dialog.errors_text()
    day = TODAY.isoformat()
    assert confirm.texts == [f"张三：龙潭镇杨家村 A岗 → 结束于 {day}（原因：工作需要）；\n"
                             f"张三：新任 龙潭镇李家村 B岗（村站点管理员，兼职），自 {day} 起（原因：工作需要）"]
    assert open_posts(ctx, site) == {} and open_posts(ctx, other) == {"B": "张三"}
    history = _history(ctx, zhang)
    assert [(p.unit_name, p.slot, p.end_reason, p.start_reason) for p in history] == [
        ("杨家村", "A", "工作需要", "新任"), ("李家村", "B", None, "工作需要")]


def test_transfer_into_a_held_slot_is_refused(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    other = add_village(ctx, "李家村", 202)
    zhang, li = add_person(ctx, "张三"), add_person(ctx, "李四")
    assign(qtbot, ctx, site, "A", zhang)
    assign(qtbot, ctx, other, "A", li)
    dialog = TransferPostDialog(ctx, _history(ctx, zhang)[0].id, confirm=Confirm())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_unit(other)
    dialog.set_slot("A")
    assert dialog.slot_note.text() == "A岗现由李四担任：请先结束或调动其岗位。"
    dialog.reason.setText("工作需要")
    before = state(ctx.db)
    dialog.accept()
    assert "已由李四担任" in dialog.error_label("slot").text()
    assert state(ctx.db) == before


def test_end_post_needs_a_reason(qtbot: QtBot, ctx: AppContext, site: str) -> None:
    zhang = add_person(ctx, "张三")
    assign(qtbot, ctx, site, "A", zhang)
    post_id = _history(ctx, zhang)[0].id
    confirm = Confirm()
    dialog = EndPostDialog(ctx, post_id, confirm=confirm)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "结束岗位"
    before = state(ctx.db)
    dialog.accept()
    assert dialog.error_label("reason").text() == "岗位变动必须填写原因（规则 R12）"
    assert state(ctx.db) == before

    dialog.reason.setText("外出务工")
    areas: list[str] = []
    ctx.changed.connect(areas.append)
    dialog.accept()
    assert dialog.result() == EndPostDialog.DialogCode.Accepted, dialog.errors_text()
    assert confirm.texts == [f"张三：龙潭镇杨家村 A岗 → 结束于 {TODAY.isoformat()}（原因：外出务工）\n"
                             "随后 龙潭镇杨家村 A岗 将空缺（R3），请尽快任命新的管理员。"]
    assert areas == ["posts"]
    [post] = _history(ctx, zhang)
    assert (post.end_date, post.end_reason) == (TODAY, "外出务工")
    with ctx.session() as s:
        assert [w.text() for w in site_views.site_detail(s, site).warnings] == ["[R3] A岗空缺", "[R3] B岗空缺"]


def test_assign_other_roles_without_slots(qtbot: QtBot, ctx: AppContext) -> None:
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
    assert township is not None
    liu = add_person(ctx, "刘一")
    dialog = AssignPostDialog(ctx, unit_id=township, role="township_manager", confirm=Confirm())
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.role_combo.itemData(i) for i in range(dialog.role_combo.count())] == [
        "township_manager", "township_tutor", "technician"]
    assert not dialog.slot_combo.isVisible()
    dialog.person.search.setText("刘")  # one match: taken
    assert dialog.person.person_id() == liu
    dialog.tenure_combo.setCurrentIndex(dialog.tenure_combo.findData("full_time"))
    dialog.accept()
    assert dialog.result() == AssignPostDialog.DialogCode.Accepted, dialog.errors_text()
    with ctx.session() as s:
        [held] = posts.open_posts(s, person_id=liu)
        assert (held.role, held.slot, held.tenure) == ("township_manager", None, "full_time")


def _history(ctx: AppContext, person_id: str) -> list[PostRecord]:
    with ctx.session() as s:
        return person_views.person_history(s, person_id).posts
