"""Setting up this installation as a county or a township office."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import LocalOffice, OrgUnit
from ..errors import ValidationError
from ._common import clean_digits, clean_text

CODE_LENGTH = {"county": 6, "township": 9}  # R1: statistical division codes


@dataclass(frozen=True)
class OfficeInfo:
    level: str | None
    code: str
    name: str
    unit_id: str | None
    change_counter: int

    @property
    def initialized(self) -> bool:
        return self.level is not None


def office_info(session: Session) -> OfficeInfo:
    office = session.get(LocalOffice, 1)
    if office is None:
        return OfficeInfo(None, "", "", None, 0)
    return OfficeInfo(office.level, office.code, office.name, office.unit_id, office.change_counter)


def init_office(session: Session, *, level: str, code: str, name: str,
                county_name: str | None = None) -> OfficeInfo:
    """Make this installation the office of a county or a township (R1).

    A township office also records its county (the first 6 digits of its
    9-digit code) as the parent unit, so that its data can travel upward.
    """
    if level not in CODE_LENGTH:
        raise ValidationError("应为 county（县）或 township（乡镇）", field="级别")
    code = clean_digits(code, field="单位代码", lengths=(CODE_LENGTH[level],)) or ""
    if not code:
        raise ValidationError("不能为空", field="单位代码")
    name = clean_text(name, field="单位名称", required=True, max_len=100) or ""
    office = session.get(LocalOffice, 1)
    if office is None:
        office = LocalOffice(id=1, change_counter=0)
        session.add(office)
    if office.level is not None:
        raise ValidationError(f"本机已设置为{office.name}（{office.code}），不能重复设置", field="单位")
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == code)) is not None:
        raise ValidationError(f"代码 {code} 已被其他单位使用", field="单位代码")
    # Stamp from here on with this office's code.
    office.level, office.code, office.name = level, code, name
    session.flush()
    if level == "county":
        unit = OrgUnit(kind="county", code=code, name=name)
        session.add(unit)
    else:
        county = session.scalar(select(OrgUnit).where(OrgUnit.code == code[:6]))
        if county is None:
            county = OrgUnit(kind="county", code=code[:6],
                             name=clean_text(county_name, field="所属县名称", max_len=100) or f"{code[:6]}（县）")
            session.add(county)
            session.flush()
        unit = OrgUnit(kind="township", code=code, name=name, parent_id=county.id)
        session.add(unit)
    session.flush()
    office.unit_id = unit.id
    session.flush()
    session.expire(office, ["change_counter"])  # stamping advances it with a Core UPDATE
    return office_info(session)
