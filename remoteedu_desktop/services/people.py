"""The staff archive (R10): adding and correcting people, with their personal data checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import codes
from ..data.models import Person
from ..errors import ValidationError
from ._common import check_version, clean_phone, clean_text
from .id_number import check_consistency, mask_id_number, parse_id_number
from .pinyin import initials


@dataclass(frozen=True)
class PersonInput:
    """What a clerk types for a person. Birth date and gender may be left empty:
    they are derived from the ID number, and cross-checked when entered."""

    name: str
    id_number: str
    gender: str | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    political_status: str | None = None
    education: str | None = None
    phone: str | None = None
    employer: str | None = None
    job_title: str | None = None
    source_category: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class PersonInfo:
    id: str
    name: str
    gender: str
    birth_date: dt.date
    id_number_masked: str


def _info(person: Person) -> PersonInfo:
    return PersonInfo(person.id, person.name, person.gender, person.birth_date, mask_id_number(person.id_number))


def get_person(session: Session, person_id: str, *, field: str = "人员") -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise ValidationError("找不到该人员", field=field)
    return person


def validated_values(data: PersonInput, *, today: dt.date | None = None) -> dict[str, object]:
    """Check every field of *data*; return the column values to store (no database access)."""
    name = clean_text(data.name, field="姓名", required=True, max_len=50) or ""
    if any(c.isdigit() for c in name):
        raise ValidationError(f"“{name}”含有数字", field="姓名")
    info = parse_id_number(data.id_number, today=today)
    gender = (data.gender or "").strip() or None
    if gender is not None:
        codes.require_code(codes.GENDER, gender, field="性别")
    check_consistency(info, birth_date=data.birth_date, gender=gender)

    def code(table: dict[str, str], value: str | None, field: str) -> str | None:
        value = (value or "").strip()
        return codes.require_code(table, value, field=field) if value else None

    return {
        "name": name,
        "name_initials": initials(name),
        "id_number": info.number,
        "gender": info.gender,
        "birth_date": info.birth_date,
        "ethnicity": code(codes.ETHNICITY, data.ethnicity, "民族"),
        "political_status": code(codes.POLITICAL_STATUS, data.political_status, "政治面貌"),
        "education": code(codes.EDUCATION, data.education, "学历"),
        "phone": clean_phone(data.phone),
        "employer": clean_text(data.employer, field="工作单位", max_len=100),
        "job_title": clean_text(data.job_title, field="职务", max_len=100),
        "source_category": code(codes.SOURCE_CATEGORY, data.source_category, "人员来源"),
        "notes": clean_text(data.notes, field="备注"),
    }


def _refuse_duplicate_id(session: Session, id_number: str, own_id: str | None = None) -> None:
    other = session.scalar(select(Person).where(Person.id_number == id_number))
    if other is not None and other.id != own_id:
        raise ValidationError(
            f"{mask_id_number(id_number)} 已登记为“{other.name}”的身份证号码，同一号码不能登记两人",
            field="身份证号码")


def add_person(session: Session, data: PersonInput, *, today: dt.date | None = None) -> PersonInfo:
    """Add a person to the archive (R10): valid ID number, no second person with the same number."""
    values = validated_values(data, today=today)
    _refuse_duplicate_id(session, str(values["id_number"]))
    person = Person(**values)
    session.add(person)
    session.flush()
    return _info(person)


def person_input(person: Person) -> PersonInput:
    """The stored person as an editable input (for corrections)."""
    return PersonInput(**{f.name: getattr(person, f.name) for f in fields(PersonInput)})


def update_person(session: Session, person_id: str, *, today: dt.date | None = None,
                  expected_version: int | None = None, **changes: object) -> PersonInfo:
    """Correct a person's data; every field is checked again, every change is audited.

    *expected_version*: the ``row_version`` the editor showed; a person saved by another clerk since is
    refused with :class:`ConcurrentEditError` (issue 10 item 1), never silently overwritten.
    """
    person = get_person(session, person_id)
    check_version(person, expected_version, f"人员“{person.name}”的档案")
    try:
        data = replace(person_input(person), **changes)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ValidationError(f"未知字段：{exc}", field="人员") from exc
    if "id_number" in changes and "birth_date" not in changes and "gender" not in changes:
        # A corrected ID number brings its own birth date and gender.
        data = replace(data, birth_date=None, gender=None)
    values = validated_values(data, today=today)
    _refuse_duplicate_id(session, str(values["id_number"]), own_id=person.id)
    from .sync_ownership import person_ownership, refuse_if_owned

    refuse_if_owned(person_ownership(session, person.id), [k for k, v in values.items() if getattr(person, k) != v],
                    where="人员档案")  # issue 6, item 3: the owning township corrects its people
    for key, value in values.items():
        if getattr(person, key) != value:
            setattr(person, key, value)
    session.flush()
    return _info(person)
