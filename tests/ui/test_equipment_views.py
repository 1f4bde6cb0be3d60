"""The equipment register and fault ticket views (R9): the register narrowed by the org tree's unit, add /
edit / out of service through their dialogs with refusals shown under the field; a fault's life (report,
assign to a technician picked among people holding a technician post, resolve, close, reopen) with the
status filter and the age column; the year's figures per technician and per site; and screenshots of the
views and dialogs (under tmp_path, and REMOTEEDU_SHOTS if set).

Dialogs run through the views' ``run_dialog`` hook and confirmations through ``confirm``: no modal loop.
The UI is in Chinese.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import equipment, faults, offices, people, posts, units
from remoteedu_desktop.services.equipment import EquipmentInput
from remoteedu_desktop.services.faults import FaultReport
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.equipment.common import FormDialog, to_qdatetime
from remoteedu_desktop.ui.equipment.equipment_view import (
    E_STATUS,
    EquipmentDialog,
    EquipmentView,
    ServiceStateDialog,
)
from remoteedu_desktop.ui.equipment.fault_dialogs import (
    AssignDialog,
    ReopenDialog,
    ReportFaultDialog,
    ResolveDialog,
)
from remoteedu_desktop.ui.equipment.faults_view import (
    F_AGE,
    F_STATUS,
    S_DOWNTIME,
    S_MEAN_RESPONSE,
    S_NAME,
    TAB_STATISTICS,
    UNRESOLVED_FILTER,
    FaultsView,
)
from remoteedu_desktop.ui.worker import Job

SHOTS = os.environ.get("REMOTEEDU_SHOTS")
TODAY = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 6, 30, 12, 0)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


@dataclass
class World:
    township_id: str
    yang: str
    li: str
    zhao: str  #: township technician
    sun: str  #: township tutor
    receiver: str
    old_ticket: str  #: 杨家村, reported 06-20 08:00, assigned to 赵 10:00 (2 h), still open


def _id_number(seq: int) -> str:
    first17 = f"360499{dt.date(1980, 5, 17):%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def world(ctx: AppContext) -> World:
    with ctx.session() as s:
        township_id = offices.office_info(s).unit_id
        assert township_id is not None
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township_id, code="360499100201").id
        li = units.add_unit(s, kind="village", name="李家村", parent_id=township_id, code="360499100202").id
        zhao = people.add_person(s, people.PersonInput(name="赵工", id_number=_id_number(11)), today=TODAY).id
        sun = people.add_person(s, people.PersonInput(name="孙老师", id_number=_id_number(12)), today=TODAY).id
        posts.assign_post(s, person_id=zhao, unit_id=township_id, role="technician", start_date=dt.date(2024, 1, 1),
                          today=TODAY)
        posts.assign_post(s, person_id=sun, unit_id=township_id, role="township_tutor",
                          start_date=dt.date(2024, 1, 1), today=TODAY)
        receiver = equipment.add_equipment(s, EquipmentInput(site_id=yang, kind="卫星接收机", model="同洲 CDVB3188C",
                                                             serial_no="SR01", installed_on=dt.date(2020, 5, 1)),
                                           today=TODAY).id
        equipment.add_equipment(s, EquipmentInput(site_id=li, kind="电脑", model="联想 启天M4600", serial_no="PC01"),
                                today=TODAY)
        old = faults.report_fault(s, FaultReport(site_id=yang, reported_at=dt.datetime(2026, 6, 20, 8, 0),
                                                 reported_by="王站长", description="卫星接收机无信号",
                                                 equipment_id=receiver), now=NOW).id
        faults.assign_fault(s, old, technician_id=zhao, assigned_at=dt.datetime(2026, 6, 20, 10, 0), now=NOW)
    return World(township_id, yang, li, zhao, sun, receiver, old)


def shot(widget: QWidget, tmp_path: Path, name: str) -> None:
    if isinstance(widget, QDialog):
        widget.adjustSize()
    else:
        widget.resize(max(widget.width(), 1100), max(widget.height(), 560))
    image = widget.grab()
    assert not image.isNull()
    assert image.save(str(tmp_path / f"{name}.png"))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SHOTS) / f"{name}.png"))


def filled(fill: Callable[[QDialog], None], shots: tuple[Path, str] | None = None) -> Callable[[QDialog], int]:
    """A run_dialog hook: fill the dialog as the clerk would, optionally photograph it, press OK."""
    def run(dialog: QDialog) -> int:
        fill(dialog)
        if shots is not None:
            dialog.show()
            shot(dialog, *shots)
        dialog.accept()
        return dialog.result()
    return run


def equipment_view(qtbot: QtBot, ctx: AppContext, unit_id: str | None = None) -> EquipmentView:
    view = EquipmentView(ctx)
    qtbot.addWidget(view)
    view.today = TODAY
    view.select_unit(unit_id)
    view.show()
    return view


def faults_view(qtbot: QtBot, ctx: AppContext, unit_id: str | None = None) -> FaultsView:
    view = FaultsView(ctx)
    qtbot.addWidget(view)
    view.now = NOW
    view.select_unit(unit_id)
    view.show()
    return view


def test_register_lists_by_unit_and_adds_through_the_dialog(qtbot: QtBot, ctx: AppContext, world: World,
                                                            tmp_path: Path) -> None:
    """R9: a site's register; the township shows all its sites'; a new set is added at the selected site."""
    view = equipment_view(qtbot, ctx, world.township_id)
    assert [(r.site, r.kind) for r in view.rows()] == [("龙潭镇李家村站点", "电脑"), ("龙潭镇杨家村站点", "卫星接收机")]
    assert view.count_label.text() == "2 台"
    shot(view, tmp_path, "equipment_register")
    view.select_unit(world.yang)
    assert [r.serial_no for r in view.rows()] == ["SR01"]

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EquipmentDialog)
        assert dialog.site_combo.currentData() == world.yang  # the selected site is proposed
        dialog.kind_combo.setCurrentText("电脑")
        dialog.model_edit.setText("清华同方 超翔TL630")
        dialog.serial_edit.setText("PC02")
        dialog.supplier_edit.setText("江西远教设备服务有限公司")

    view.run_dialog = filled(fill, (tmp_path, "equipment_add_dialog"))
    dialog = view.add()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert sorted(r.serial_no or "" for r in view.rows()) == ["PC02", "SR01"]
    assert "已登记到龙潭镇杨家村站点" in view.message.text()


def test_a_refusal_shows_under_its_field(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    view = equipment_view(qtbot, ctx, world.li)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, EquipmentDialog)
        dialog.kind_combo.setCurrentText("卫星接收机")
        dialog.serial_edit.setText("SR01")  # 杨家村's

    view.run_dialog = filled(fill)
    dialog = view.add()
    assert isinstance(dialog, FormDialog)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.error_label("serial").text() == "序列号 SR01 已登记为龙潭镇杨家村站点的卫星接收机"
    dialog.show()
    shot(dialog, tmp_path, "equipment_refused_dialog")
    assert len(view.rows()) == 1


def test_out_of_service_and_back(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    """R9: out of service from a date for a reason; the row stays, greyed, with the date in its status."""
    view = equipment_view(qtbot, ctx, world.yang)
    view.select_id(world.receiver)
    assert view.out_button.isEnabled() and not view.back_button.isEnabled()

    def empty(dialog: QDialog) -> None:
        assert isinstance(dialog, ServiceStateDialog)

    view.run_dialog = filled(empty)
    refused = view.change_state()
    assert refused is not None and refused.result() == QDialog.DialogCode.Rejected
    assert refused.error_label("reason").text() == "不能为空"

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ServiceStateDialog)
        dialog.date.setDate(dialog.date.date().addDays(-5))
        dialog.reason_edit.setText("雷击损坏，无法修复")

    view.run_dialog = filled(fill, (tmp_path, "equipment_out_of_service_dialog"))
    view.change_state()
    row = view.current_row()
    assert row is not None and not row.in_service
    assert view.model.index(0, E_STATUS).data() == "停用（2026-06-25）"
    assert view.back_button.isEnabled()
    shot(view, tmp_path, "equipment_out_of_service")
    view.show_out.setChecked(False)
    assert view.rows() == []


def test_a_fault_s_life_through_the_dialogs(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    """R9: report → assign (technicians only) → resolve → close → reopen, each shown in the list."""
    view = faults_view(qtbot, ctx, world.township_id)
    assert [r.id for r in view.rows()] == [world.old_ticket]
    assert view.model.index(0, F_AGE).data() == "10"
    assert view.model.index(0, F_STATUS).data() == "已派单"

    def report(dialog: QDialog) -> None:
        assert isinstance(dialog, ReportFaultDialog)
        dialog.site_combo.setCurrentIndex(dialog.site_combo.findData(world.li))
        assert [dialog.equipment_combo.itemText(i) for i in range(dialog.equipment_combo.count())][1:] == [
            "电脑 联想 启天M4600（PC01）"]
        dialog.equipment_combo.setCurrentIndex(1)
        dialog.reported_at.setDateTime(to_qdatetime(dt.datetime(2026, 6, 30, 8, 0)))
        dialog.reported_by.setText("李站长")
        dialog.description.setPlainText("电脑无法开机")

    view.run_dialog = filled(report, (tmp_path, "fault_report_dialog"))
    dialog = view.report()
    assert dialog.result() == QDialog.DialogCode.Accepted
    new = view.current_row()
    assert new is not None and (new.site, new.status, new.equipment) == ("龙潭镇李家村站点", "open",
                                                                        "电脑 联想 启天M4600（PC01）")
    assert view.assign_button.isEnabled() and not view.resolve_button.isEnabled()

    def assign(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        offered = [dialog.technician_combo.itemData(i) for i in range(1, dialog.technician_combo.count())]
        assert offered == [world.zhao]  # the tutor holds no technician post
        dialog.choose(world.zhao)
        dialog.assigned_at.setDateTime(to_qdatetime(dt.datetime(2026, 6, 30, 9, 30)))

    view.run_dialog = filled(assign, (tmp_path, "fault_assign_dialog"))
    view.assign()
    row = view.current_row()
    assert row is not None and (row.status, row.technician, row.response_hours) == ("assigned", "赵工", 1.5)

    def too_early(dialog: QDialog) -> None:
        assert isinstance(dialog, ResolveDialog)
        dialog.resolved_at.setDateTime(to_qdatetime(dt.datetime(2026, 6, 30, 9, 0)))
        dialog.resolution.setPlainText("更换电源")

    view.run_dialog = filled(too_early)
    refused = view.resolve()
    assert refused is not None and refused.result() == QDialog.DialogCode.Rejected
    assert "早于派单时间 2026-06-30 09:30" in refused.error_label("resolved_at").text()

    def resolve(dialog: QDialog) -> None:
        assert isinstance(dialog, ResolveDialog)
        dialog.resolved_at.setDateTime(to_qdatetime(dt.datetime(2026, 6, 30, 11, 30)))
        dialog.resolution.setPlainText("更换电源，已恢复")

    view.run_dialog = filled(resolve, (tmp_path, "fault_resolve_dialog"))
    view.resolve()
    row = view.current_row()
    assert row is not None and (row.status_label, row.repair_hours, row.downtime_hours) == ("已解决", 2.0, 3.5)
    assert view.close_button.isEnabled() and view.reopen_button.isEnabled()

    asked: list[str] = []
    view.confirm = lambda _parent, _title, text: asked.append(text) is None and False
    assert not view.close_ticket()
    assert asked and "龙潭镇李家村站点" in asked[0]
    view.confirm = lambda _parent, _title, _text: True
    assert view.close_ticket()
    row = view.current_row()
    assert row is not None and row.status == "closed"

    def reopen(dialog: QDialog) -> None:
        assert isinstance(dialog, ReopenDialog)
        dialog.reason.setText("故障复发")

    view.run_dialog = filled(reopen, (tmp_path, "fault_reopen_dialog"))
    view.reopen()
    row = view.current_row()
    assert row is not None and row.status == "assigned"
    assert "重新打开】故障复发（原处理：更换电源，已恢复" in row.description
    shot(view, tmp_path, "faults_tickets")


def test_status_and_age_filters(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    with ctx.session() as s:
        fresh = faults.report_fault(s, FaultReport(site_id=world.li, reported_at=dt.datetime(2026, 6, 29, 8, 0),
                                                   reported_by="李站长", description="网络连接中断"), now=NOW).id
        done = faults.report_fault(s, FaultReport(site_id=world.li, reported_at=dt.datetime(2026, 6, 1, 8, 0),
                                                  reported_by="李站长", description="无法开机"), now=NOW).id
        faults.assign_fault(s, done, technician_id=world.zhao, assigned_at=dt.datetime(2026, 6, 1, 9, 0), now=NOW)
        faults.resolve_fault(s, done, resolved_at=dt.datetime(2026, 6, 1, 12, 0), resolution="重启", now=NOW)
    view = faults_view(qtbot, ctx)
    assert [r.id for r in view.rows()] == [world.old_ticket, fresh, done]
    view.status_combo.setCurrentIndex(view.status_combo.findData(UNRESOLVED_FILTER))
    assert [r.id for r in view.rows()] == [world.old_ticket, fresh]
    view.status_combo.setCurrentIndex(view.status_combo.findData("open"))
    assert [r.id for r in view.rows()] == [fresh]
    view.status_combo.setCurrentIndex(0)
    view.age_spin.setValue(3)
    assert [r.id for r in view.rows()] == [world.old_ticket]
    view.age_spin.setValue(0)
    view.technician_combo.setCurrentIndex(view.technician_combo.findData(world.zhao))
    assert [r.id for r in view.rows()] == [world.old_ticket, done]
    assert view.count_label.text() == "2 张故障单，1 张未解决"


def test_statistics_tab_for_the_year(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    """R9: per technician and per site figures for the chosen year (the open ticket counted to now)."""
    view = faults_view(qtbot, ctx)
    view.tabs.setCurrentIndex(TAB_STATISTICS)
    panel = view.statistics
    panel.year_spin.setValue(2026)
    assert panel.technician_model.index(0, S_NAME).data() == "赵工"
    assert panel.technician_model.index(0, S_MEAN_RESPONSE).data() == "2.0"
    assert panel.technician_model.index(0, S_DOWNTIME).data() == "244.0"  # 06-20 08:00 → 06-30 12:00
    assert panel.site_model.rowCount() == 1 and panel.site_model.index(0, S_NAME).data() == "龙潭镇杨家村站点"
    assert "1 张故障单" in panel.total_label.text()
    shot(view, tmp_path, "faults_statistics")
    panel.year_spin.setValue(2025)
    assert panel.technician_model.rowCount() == 0


def test_views_follow_notifications_and_units(qtbot: QtBot, ctx: AppContext, world: World) -> None:
    view = faults_view(qtbot, ctx, world.li)
    assert view.rows() == []
    with ctx.session() as s:
        faults.report_fault(s, FaultReport(site_id=world.li, reported_at=NOW, reported_by="李站长",
                                           description="无信号"), now=NOW)
    ctx.notify("faults")
    assert len(view.rows()) == 1
    view.select_unit(world.yang)
    assert [r.id for r in view.rows()] == [world.old_ticket]
    register = equipment_view(qtbot, ctx, world.li)
    with ctx.session() as s:
        equipment.add_equipment(s, EquipmentInput(site_id=world.li, kind="投影仪"), today=TODAY)
    ctx.notify("equipment")
    assert sorted(r.kind for r in register.rows()) == ["投影仪", "电脑"]
