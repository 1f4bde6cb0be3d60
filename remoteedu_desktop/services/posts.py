"""Posts (R2–R5, R12): assign, end, transfer and swap, never overwriting history.

R3: a village site has one open post A and one open post B, never the same
person on both (the database's partial unique indexes refuse it too).
R12: a change of post needs a reason and stays in the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import OrgUnit, Post
from ..errors import ValidationError
from ._common import clean_text
from .people import get_person
from .units import get_unit

#: Which kind of unit each role is held at (R2–R5).
ROLE_UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "township_manager": ("township", "township_station"),
    "village_manager": ("village",),
    "enterprise_manager": ("enterprise",),
    "county_tutor": ("county",),
    "township_tutor": ("township",),
    "technician": ("county", "township"),
}
DEFAULT_FIRST_REASON = "新任"


@dataclass(frozen=True)
class PostInfo:
    id: str
    person_id: str
    unit_id: str
    role: str
    slot: str | None
    tenure: str
    start_date: dt.date
    end_date: dt.date | None


def _info(post: Post) -> PostInfo:
    return PostInfo(post.id, post.person_id, post.unit_id, post.role, post.slot, post.tenure,
                    post.start_date, post.end_date)


def open_posts(session: Session, *, unit_id: str | None = None, person_id: str | None = None,
               role: str | None = None) -> list[Post]:
    stmt = select(Post).where(Post.end_date.is_(None), Post.deleted.is_(False))
    if unit_id is not None:
        stmt = stmt.where(Post.unit_id == unit_id)
    if person_id is not None:
        stmt = stmt.where(Post.person_id == person_id)
    if role is not None:
        stmt = stmt.where(Post.role == role)
    return list(session.scalars(stmt.order_by(Post.start_date)))


def _reason(reason: str | None, *, field: str) -> str:
    text = clean_text(reason, field=field, max_len=200)
    if not text:
        raise ValidationError("岗位变动必须填写原因", field=field, rule="R12")
    return text


def _check_date(value: dt.date | None, *, field: str, today: dt.date) -> dt.date:
    if value is None:
        raise ValidationError("不能为空", field=field)
    if value > today:
        raise ValidationError(f"{value.isoformat()} 晚于今天（{today.isoformat()}）", field=field)
    return value


def _check_role_unit(role: str, unit: OrgUnit, slot: str | None) -> str | None:
    allowed = ROLE_UNIT_KINDS[role]
    if unit.kind not in allowed:
        kinds = "或".join(codes.label(codes.UNIT_KIND, k) for k in allowed)
        raise ValidationError(
            f"{codes.label(codes.ROLE, role)}应在{kinds}任职，“{unit.name}”是{codes.label(codes.UNIT_KIND, unit.kind)}",
            field="任职单位", rule="R3" if role == "village_manager" else "R2")
    if not unit.active:
        raise ValidationError(f"“{unit.name}”已停用，不能任职", field="任职单位", rule="R1")
    slot = (slot or "").strip().upper() or None
    if role == "village_manager":
        if slot is None:
            raise ValidationError("村站点管理员须指定 A岗 或 B岗", field="岗位", rule="R3")
        codes.require_code(codes.SLOT, slot, field="岗位")
    elif slot is not None:
        raise ValidationError("只有村站点管理员分 A岗/B岗", field="岗位", rule="R3")
    return slot


def _check_slot_free(session: Session, unit: OrgUnit, slot: str, person_id: str) -> None:
    for post in open_posts(session, unit_id=unit.id, role="village_manager"):
        if post.slot == slot:
            raise ValidationError(
                f"“{unit.name}”的{slot}岗已由{post.person.name}担任，请先结束或调整其岗位",
                field="岗位", rule="R3")
        if post.person_id == person_id:
            raise ValidationError(
                f"{post.person.name}已在“{unit.name}”担任{post.slot}岗，同一人不能同时担任A岗和B岗",
                field="岗位", rule="R3")


def _slot_had_holder(session: Session, unit_id: str, role: str, slot: str) -> bool:
    stmt = select(Post.id).where(Post.unit_id == unit_id, Post.role == role, Post.slot == slot,
                                 Post.end_date.is_not(None), Post.deleted.is_(False))
    return session.scalar(stmt.limit(1)) is not None


def assign_post(session: Session, *, person_id: str, unit_id: str, role: str, slot: str | None = None,
                tenure: str = "part_time", start_date: dt.date, reason: str | None = None,
                today: dt.date | None = None) -> PostInfo:
    """Open a post for a person at a unit.

    The first holder of a post A or B may be appointed without a reason
    ("新任"); taking over a slot someone held before is a change and needs one
    (R12). Other roles are not slots: a new appointment adds a person (the
    end of a predecessor's post already carries its own reason).
    """
    today = today or dt.date.today()
    role = codes.require_code(codes.ROLE, role, field="职务类别")
    tenure = codes.require_code(codes.TENURE, tenure, field="专兼职")
    person = get_person(session, person_id)
    if person.left_on is not None:
        raise ValidationError(f"{person.name}已于 {person.left_on.isoformat()} 离开队伍，不能任职", field="人员")
    unit = get_unit(session, unit_id, field="任职单位")
    _refuse_owned(session, unit.id)
    slot = _check_role_unit(role, unit, slot)
    start_date = _check_date(start_date, field="任职日期", today=today)
    if slot is not None:
        _check_slot_free(session, unit, slot, person.id)
    for post in open_posts(session, unit_id=unit.id, person_id=person.id, role=role):
        raise ValidationError(f"{person.name}已在“{unit.name}”担任{codes.label(codes.ROLE, post.role)}",
                              field="职务类别")
    if slot is not None and _slot_had_holder(session, unit.id, role, slot):
        reason = _reason(reason, field="任职原因")
    else:
        reason = clean_text(reason, field="任职原因", max_len=200) or DEFAULT_FIRST_REASON
    post = Post(person_id=person.id, unit_id=unit.id, role=role, slot=slot, tenure=tenure,
                start_date=start_date, start_reason=reason)
    session.add(post)
    session.flush()
    return _info(post)


def _refuse_owned(session: Session, unit_id: str) -> None:
    """Issue 6, item 3: posts at a unit another office owns (a township's site at the county) are its to change."""
    from .sync_ownership import refuse_if_owned, unit_ownership

    refuse_if_owned(unit_ownership(session, unit_id), ["posts"], where="岗位")


def get_open_post(session: Session, post_id: str) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.deleted:
        raise ValidationError("找不到该岗位", field="岗位")
    if post.end_date is not None:
        raise ValidationError(f"该岗位已于 {post.end_date.isoformat()} 结束", field="岗位", rule="R12")
    return post


def end_post(session: Session, post_id: str, *, end_date: dt.date, reason: str,
             today: dt.date | None = None) -> PostInfo:
    """Close a post with a date and a reason (R12); the record stays in the history."""
    today = today or dt.date.today()
    post = get_open_post(session, post_id)
    _refuse_owned(session, post.unit_id)
    reason = _reason(reason, field="离岗原因")
    end_date = _check_date(end_date, field="离岗日期", today=today)
    if end_date < post.start_date:
        raise ValidationError(f"{end_date.isoformat()} 早于任职日期 {post.start_date.isoformat()}",
                              field="离岗日期")
    post.end_date = end_date
    post.end_reason = reason
    session.flush()
    return _info(post)


def transfer_post(session: Session, post_id: str, *, to_unit_id: str, on: dt.date, reason: str,
                  to_slot: str | None = None, to_role: str | None = None,
                  today: dt.date | None = None) -> PostInfo:
    """Move a person from one post to another: the old post closes, a new one opens (R12)."""
    today = today or dt.date.today()
    post = get_open_post(session, post_id)
    reason = _reason(reason, field="调动原因")
    role = to_role or post.role
    unit = get_unit(session, to_unit_id, field="调入单位")
    slot = _check_role_unit(role, unit, to_slot)
    if unit.id == post.unit_id and slot == post.slot and role == post.role:
        raise ValidationError("调入岗位与原岗位相同", field="调入单位")
    if slot is not None:
        # Check the target before the old post is closed: a refusal leaves the session unchanged.
        for other in open_posts(session, unit_id=unit.id, role="village_manager"):
            if other.id == post.id:
                continue
            if other.slot == slot:
                raise ValidationError(f"“{unit.name}”的{slot}岗已由{other.person.name}担任，请先结束或调整其岗位",
                                      field="岗位", rule="R3")
            if other.person_id == post.person_id:
                raise ValidationError(f"{other.person.name}已在“{unit.name}”担任{other.slot}岗，"
                                      "同一人不能同时担任A岗和B岗", field="岗位", rule="R3")
    end_post(session, post.id, end_date=on, reason=reason, today=today)
    return assign_post(session, person_id=post.person_id, unit_id=unit.id, role=role, slot=slot,
                       tenure=post.tenure, start_date=on, reason=reason, today=today)


def swap_slots(session: Session, unit_id: str, *, on: dt.date, reason: str,
               today: dt.date | None = None) -> tuple[PostInfo, PostInfo]:
    """Exchange the holders of post A and post B at a village site (R3, R12)."""
    today = today or dt.date.today()
    reason = _reason(reason, field="调整原因")
    unit = get_unit(session, unit_id, field="站点")
    by_slot = {p.slot: p for p in open_posts(session, unit_id=unit.id, role="village_manager")}
    if "A" not in by_slot or "B" not in by_slot:
        raise ValidationError(f"“{unit.name}”的A岗和B岗须都有人在岗才能互换", field="岗位", rule="R3")
    a, b = by_slot["A"], by_slot["B"]
    for post in (a, b):
        end_post(session, post.id, end_date=on, reason=reason, today=today)
    new_a = assign_post(session, person_id=b.person_id, unit_id=unit.id, role="village_manager", slot="A",
                        tenure=b.tenure, start_date=on, reason=reason, today=today)
    new_b = assign_post(session, person_id=a.person_id, unit_id=unit.id, role="village_manager", slot="B",
                        tenure=a.tenure, start_date=on, reason=reason, today=today)
    return new_a, new_b


def post_history(session: Session, person_id: str) -> list[PostInfo]:
    """Every post a person held, oldest first (R10, R12)."""
    stmt = (select(Post).where(Post.person_id == person_id, Post.deleted.is_(False))
            .order_by(Post.start_date, Post.end_date.is_(None), Post.end_date))
    return [_info(p) for p in session.scalars(stmt)]
