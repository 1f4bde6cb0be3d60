"""Org units (R1): the county, its townships and their sites."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Post
from ..errors import ValidationError
from ._common import check_version, clean_digits, clean_phone, clean_text

#: What each kind of unit hangs under (R1).
PARENT_KIND: dict[str, str | None] = {
    "county": None,
    "township": "county",
    "village": "township",
    "enterprise": "township",
    "township_station": "township",
}
#: Statistical division code lengths (R1): county 6, township 9, village 12 digits.
CODE_LENGTH = {"county": 6, "township": 9, "village": 12, "enterprise": 12, "township_station": 12}


@dataclass(frozen=True)
class UnitInfo:
    id: str
    parent_id: str | None
    kind: str
    code: str | None
    name: str
    active: bool


def _info(unit: OrgUnit) -> UnitInfo:
    return UnitInfo(unit.id, unit.parent_id, unit.kind, unit.code, unit.name, unit.active)


def get_unit(session: Session, unit_id: str, *, field: str = "单位") -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None or unit.deleted:
        raise ValidationError("找不到该单位", field=field)
    return unit


def _check_code(session: Session, kind: str, code: str | None, parent: OrgUnit | None,
                own_id: str | None = None) -> str | None:
    code = clean_digits(code, field="统计代码", lengths=(CODE_LENGTH[kind],))
    if code is None:
        return None
    if parent is not None and parent.code and not code.startswith(parent.code):
        raise ValidationError(f"{code} 应以上级单位“{parent.name}”的代码 {parent.code} 开头",
                              field="统计代码", rule="R1")
    clash = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if clash is not None and clash.id != own_id:
        raise ValidationError(f"代码 {code} 已被“{clash.name}”使用", field="统计代码", rule="R1")
    return code


def add_unit(session: Session, *, kind: str, name: str, parent_id: str | None = None, code: str | None = None,
             address: str | None = None, contact_person: str | None = None, contact_phone: str | None = None,
             notes: str | None = None, sort_order: int = 0) -> UnitInfo:
    """Add a county, township or site under the right parent (R1)."""
    kind = codes.require_code(codes.UNIT_KIND, kind, field="单位类型")
    name = clean_text(name, field="单位名称", required=True, max_len=100) or ""
    parent: OrgUnit | None = None
    need = PARENT_KIND[kind]
    if need is None:
        if parent_id:
            raise ValidationError("县级单位没有上级单位", field="上级单位", rule="R1")
    else:
        if not parent_id:
            raise ValidationError(f"{codes.label(codes.UNIT_KIND, kind)}须属于一个{codes.label(codes.UNIT_KIND, need)}",
                                  field="上级单位", rule="R1")
        parent = get_unit(session, parent_id, field="上级单位")
        if parent.kind != need:
            raise ValidationError(
                f"{codes.label(codes.UNIT_KIND, kind)}的上级应为{codes.label(codes.UNIT_KIND, need)}，"
                f"“{parent.name}”是{codes.label(codes.UNIT_KIND, parent.kind)}", field="上级单位", rule="R1")
        same_name = session.scalar(select(OrgUnit.id).where(
            OrgUnit.parent_id == parent.id, OrgUnit.name == name, OrgUnit.deleted.is_(False)))
        if same_name is not None:
            raise ValidationError(f"“{parent.name}”下已有同名单位“{name}”", field="单位名称")
    unit = OrgUnit(
        kind=kind, name=name, parent_id=parent.id if parent else None,
        code=_check_code(session, kind, code, parent),
        address=clean_text(address, field="地址", max_len=200),
        contact_person=clean_text(contact_person, field="联系人", max_len=50),
        contact_phone=clean_phone(contact_phone), notes=clean_text(notes, field="备注"),
        sort_order=sort_order, active=True,
    )
    session.add(unit)
    session.flush()
    return _info(unit)


def rename_unit(session: Session, unit_id: str, *, name: str, code: str | None = None) -> UnitInfo:
    unit = get_unit(session, unit_id)
    _refuse_owned(session, unit, ["name", "code"] if code is not None else ["name"])
    unit.name = clean_text(name, field="单位名称", required=True, max_len=100) or unit.name
    if code is not None:
        unit.code = _check_code(session, unit.kind, code, unit.parent, own_id=unit.id)
    session.flush()
    return _info(unit)


def update_unit(session: Session, unit_id: str, *, name: str, code: str | None = None,
                address: str | None = None, contact_person: str | None = None, contact_phone: str | None = None,
                notes: str | None = None, expected_version: int | None = None) -> UnitInfo:
    """Correct a unit's name, code, address, contact and notes. Its kind and parent stay (R1).

    *expected_version*: the ``row_version`` the editor showed (issue 10 item 1, see people.update_person).
    """
    unit = get_unit(session, unit_id)
    check_version(unit, expected_version, f"单位“{unit.name}”的信息")
    values = {
        "name": clean_text(name, field="单位名称", required=True, max_len=100),
        "code": _check_code(session, unit.kind, code, unit.parent, own_id=unit.id),
        "address": clean_text(address, field="地址", max_len=200),
        "contact_person": clean_text(contact_person, field="联系人", max_len=50),
        "contact_phone": clean_phone(contact_phone),
        "notes": clean_text(notes, field="备注"),
    }
    _refuse_owned(session, unit, [k for k, v in values.items() if getattr(unit, k) != v])
    for key, value in values.items():
        if getattr(unit, key) != value:
            setattr(unit, key, value)
    session.flush()
    return _info(unit)


def _refuse_owned(session: Session, unit: OrgUnit, changed: list[str]) -> None:
    """Issue 6, item 3: fields another office owns (a township's sites at the county; the county's name and code
    of the township at the township) are refused, naming the owner."""
    from .sync_ownership import refuse_if_owned, unit_ownership

    refuse_if_owned(unit_ownership(session, unit.id), changed, where=f"单位“{unit.name}”")


def open_posts_at(session: Session, unit_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Post).where(
        Post.unit_id == unit_id, Post.end_date.is_(None), Post.deleted.is_(False))) or 0


def deactivate_unit(session: Session, unit_id: str, *, reason: str) -> UnitInfo:
    """Deactivate a unit (R1: never silently deleted). Its posts must be ended first (R12)."""
    unit = get_unit(session, unit_id)
    reason = clean_text(reason, field="停用原因", required=True, max_len=200) or ""
    if not unit.active:
        raise ValidationError(f"“{unit.name}”已经停用", field="单位")
    _refuse_owned(session, unit, ["active"])
    holders = open_posts_at(session, unit.id)
    if holders:
        raise ValidationError(f"“{unit.name}”还有 {holders} 个在岗岗位，请先结束这些岗位（须填写原因）",
                              field="单位", rule="R12")
    active_children = session.scalar(select(func.count()).select_from(OrgUnit).where(
        OrgUnit.parent_id == unit.id, OrgUnit.active.is_(True), OrgUnit.deleted.is_(False))) or 0
    if active_children:
        raise ValidationError(f"“{unit.name}”下还有 {active_children} 个启用的下级单位，请先停用它们", field="单位")
    unit.active = False
    unit.notes = f"{unit.notes}\n停用：{reason}" if unit.notes else f"停用：{reason}"
    session.flush()
    return _info(unit)
