"""The equipment register of the sites (R9): add and correct entries, list them by site and by township,
take a set out of service with its date and reason (kept in the notes) and put it back, and every refusal
named in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import equipment, faults, units
from remoteedu_desktop.services.equipment import EquipmentInput

TODAY = dt.date(2026, 6, 30)  #: the services conftest's fixed day


def _add(db: Database, site_id: str, kind: str = "卫星接收机", **fields: object) -> equipment.EquipmentRow:
    with db.session() as s:
        return equipment.add_equipment(s, EquipmentInput(site_id=site_id, kind=kind, **fields),  # type: ignore[arg-type]
                                       today=TODAY)


def test_add_and_list_by_site_and_township(db: Database, township_id: str,
                                           new_village: Callable[..., units.UnitInfo]) -> None:
    """R9: each site's equipment is listed under the site, and under its township with the other sites'."""
    a = new_village("杨家村")
    b = new_village("李家村")
    receiver = _add(db, a.id, model="同洲 CDVB3188C", serial_no="SR00000001", supplier="江西远教设备服务有限公司",
                    installed_on=dt.date(2020, 5, 1))
    _add(db, a.id, "电脑", model="联想 启天M4600", serial_no="PC00000001")
    _add(db, b.id, "电脑", serial_no="PC00000002")
    assert receiver.site == "龙潭镇杨家村站点"
    assert receiver.township == "龙潭镇"
    assert receiver.in_service and receiver.status_label == "在用"
    assert receiver.display == "卫星接收机 同洲 CDVB3188C（SR00000001）"
    with db.session() as s:
        at_a = equipment.equipment_list(s, unit_id=a.id)
        at_township = equipment.equipment_list(s, unit_id=township_id)
        everywhere = equipment.equipment_list(s)
    assert [(r.kind, r.serial_no) for r in at_a] == [("卫星接收机", "SR00000001"), ("电脑", "PC00000001")]
    assert len(at_township) == 3 == len(everywhere)
    assert {r.site for r in at_township} == {"龙潭镇杨家村站点", "龙潭镇李家村站点"}


def test_update_corrects_the_entry(db: Database, new_village: Callable[..., units.UnitInfo]) -> None:
    site = new_village()
    row = _add(db, site.id, serial_no="SR1")
    with db.session() as s:
        changed = equipment.update_equipment(s, row.id, EquipmentInput(
            site_id=site.id, kind="卫星接收机", model="九州 DVS-398E", serial_no="SR2", notes="机房东墙"), today=TODAY)
    assert (changed.model, changed.serial_no, changed.notes) == ("九州 DVS-398E", "SR2", "机房东墙")


@pytest.mark.parametrize(("fields", "field", "says"), [
    ({"kind": "  "}, "设备类别", "不能为空"),
    ({"installed_on": TODAY + dt.timedelta(days=1)}, "安装日期", "晚于今天"),
    ({"model": "型" * 101}, "品牌型号", "最多 100 个字"),
])
def test_bad_input_is_refused_and_nothing_written(db: Database, new_village: Callable[..., units.UnitInfo],
                                                  state: Callable[[], dict[str, int]], refused: Callable[..., None],
                                                  fields: dict[str, object], field: str, says: str) -> None:
    site = new_village()
    before = state()
    data = {"site_id": site.id, "kind": "电脑", **fields}
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.add_equipment(s, EquipmentInput(**data), today=TODAY)  # type: ignore[arg-type]
    refused(exc.value, field=field, says=says)
    assert state() == before


def test_equipment_belongs_to_a_site_not_a_township(db: Database, township_id: str,
                                                    refused: Callable[..., None]) -> None:
    """R9: equipment is registered at a receiving site."""
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.add_equipment(s, EquipmentInput(site_id=township_id, kind="电脑"), today=TODAY)
    refused(exc.value, field="站点", rule="R9", says="设备应登记在站点")


def test_duplicate_serial_number_names_where_it_is(db: Database, new_village: Callable[..., units.UnitInfo],
                                                   refused: Callable[..., None]) -> None:
    a = new_village("杨家村")
    b = new_village("李家村")
    _add(db, a.id, serial_no="SR77")
    with pytest.raises(ValidationError) as exc:
        _add(db, b.id, serial_no="SR77")
    refused(exc.value, field="序列号", says="已登记为龙潭镇杨家村站点的卫星接收机")


def test_a_deactivated_site_gets_no_new_equipment(db: Database, new_village: Callable[..., units.UnitInfo],
                                                  refused: Callable[..., None]) -> None:
    site = new_village("杨家村")
    with db.session() as s:
        units.deactivate_unit(s, site.id, reason="合并到李家村")
    with pytest.raises(ValidationError) as exc:
        _add(db, site.id)
    refused(exc.value, field="站点", rule="R1", says="已停用")


def test_take_out_of_service_keeps_date_and_reason(db: Database, new_village: Callable[..., units.UnitInfo],
                                                   state: Callable[[], dict[str, int]],
                                                   refused: Callable[..., None]) -> None:
    """R9: a set is never deleted; out of service from a date, for a reason, in its notes; put back later."""
    site = new_village()
    row = _add(db, site.id, installed_on=dt.date(2019, 3, 1), notes="机房东墙")
    with db.session() as s:
        out = equipment.take_out_of_service(s, row.id, on=dt.date(2026, 5, 10), reason=" 雷击损坏，\n无法修复 ",
                                            today=TODAY)
    assert not out.in_service
    assert out.out_of_service_on == dt.date(2026, 5, 10)
    assert out.out_of_service_reason == "雷击损坏， 无法修复"
    assert out.status_label == "停用（2026-05-10）"
    assert out.notes == "机房东墙\n停用 2026-05-10：雷击损坏， 无法修复"
    with db.session() as s:
        assert [r.id for r in equipment.equipment_list(s, unit_id=site.id, include_out_of_service=False)] == []
        assert equipment.site_equipment_choices(s, site.id) == []

    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.take_out_of_service(s, row.id, on=dt.date(2026, 6, 1), reason="再次", today=TODAY)
    refused(exc.value, field="设备状态", rule="R9", says="已于 2026-05-10（雷击损坏， 无法修复）停用")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.return_to_service(s, row.id, on=dt.date(2026, 5, 1), reason="修好", today=TODAY)
    refused(exc.value, field="恢复日期", says="早于上一次停用的日期 2026-05-10")
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.update_equipment(s, row.id, EquipmentInput(site_id=site.id, kind="卫星接收机", notes="机房东墙"),
                                   today=TODAY)
    refused(exc.value, field="备注", rule="R9", says="应保留")
    assert state() == before

    with db.session() as s:
        back = equipment.return_to_service(s, row.id, on=dt.date(2026, 6, 2), reason="更换主板后修复", today=TODAY)
    assert back.in_service and back.out_of_service_on is None
    assert back.notes is not None and back.notes.endswith("恢复使用 2026-06-02：更换主板后修复")


@pytest.mark.parametrize(("on", "reason", "field", "says"), [
    (dt.date(2026, 7, 1), "损坏", "停用日期", "晚于今天"),
    (dt.date(2018, 1, 1), "损坏", "停用日期", "早于安装日期 2019-03-01"),
    (dt.date(2026, 6, 1), "  ", "停用原因", "不能为空"),
])
def test_out_of_service_refusals(db: Database, new_village: Callable[..., units.UnitInfo],
                                 state: Callable[[], dict[str, int]], refused: Callable[..., None],
                                 on: dt.date, reason: str, field: str, says: str) -> None:
    site = new_village()
    row = _add(db, site.id, installed_on=dt.date(2019, 3, 1))
    before = state()
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.take_out_of_service(s, row.id, on=on, reason=reason, today=TODAY)
    refused(exc.value, field=field, says=says)
    assert state() == before


def test_fault_counts_and_moving_equipment_with_tickets(db: Database, new_village: Callable[..., units.UnitInfo],
                                                        refused: Callable[..., None]) -> None:
    """The register shows faults per set; a set with tickets stays at its site (its history is there, R9)."""
    a = new_village()
    b = new_village()
    row = _add(db, a.id)
    now = dt.datetime(2026, 6, 30, 12, 0)
    with db.session() as s:
        faults.report_fault(s, faults.FaultReport(site_id=a.id, equipment_id=row.id, reported_at=now,
                                                  reported_by="王五", description="无信号"), now=now)
        listed = equipment.equipment_item(s, row.id)
    assert (listed.faults, listed.open_faults) == (1, 1)
    with pytest.raises(ValidationError) as exc, db.session() as s:
        equipment.update_equipment(s, row.id, EquipmentInput(site_id=b.id, kind="卫星接收机"), today=TODAY)
    refused(exc.value, field="站点", rule="R9", says="已有 1 张故障单")
