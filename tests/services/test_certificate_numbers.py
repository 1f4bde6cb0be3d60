"""Certificate numbers (R11): gap-free serials per kind and year, the default format, bad patterns refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import CertificateSerial
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import certificate_numbers as cn
from remoteedu_desktop.services import offices

State = Callable[[], dict[str, int]]
Refused = Callable[..., None]
COUNTY = "360499"


def _take(db: Database, kind: str = "on_duty", year: int = 2026, **kwargs: str) -> str:
    with db.session() as s:
        return cn.next_number(s, kind, year, county=COUNTY, **kwargs)


def _serials(db: Database) -> dict[tuple[str, int], int]:
    with db.session() as s:
        return {(r.kind, r.year): r.last_serial for r in s.scalars(select(CertificateSerial))}


def test_default_format(db: Database, office: offices.OfficeInfo) -> None:
    assert cn.DEFAULT_PATTERN == "{county}{year}{kind}{serial:04d}"
    assert _take(db, "on_duty") == "3604992026SG0001"
    assert _take(db, "appointment") == "3604992026PR0001"
    assert cn.format_number(cn.DEFAULT_PATTERN, county=COUNTY, year=2026, kind="on_duty", serial=12345) == \
        "3604992026SG12345"


def test_serials_follow_without_gaps(db: Database, office: offices.OfficeInfo) -> None:
    assert [_take(db) for _ in range(3)] == ["3604992026SG0001", "3604992026SG0002", "3604992026SG0003"]
    with db.session() as s:
        assert [cn.next_serial(s, "on_duty", 2026) for _ in range(3)] == [4, 5, 6]
    assert _serials(db) == {("on_duty", 2026): 6}


def test_serials_are_independent_per_kind_and_year(db: Database, office: offices.OfficeInfo) -> None:
    taken = [_take(db, "on_duty", 2026), _take(db, "appointment", 2026), _take(db, "on_duty", 2025),
             _take(db, "on_duty", 2026), _take(db, "appointment", 2026), _take(db, "appointment", 2027),
             _take(db, "on_duty", 2026)]
    assert taken == ["3604992026SG0001", "3604992026PR0001", "3604992025SG0001", "3604992026SG0002",
                     "3604992026PR0002", "3604992027PR0001", "3604992026SG0003"]
    assert _serials(db) == {("on_duty", 2026): 3, ("appointment", 2026): 2, ("on_duty", 2025): 1,
                            ("appointment", 2027): 1}


def test_serial_rows_are_stamped(db: Database, office: offices.OfficeInfo) -> None:
    _take(db)
    with db.session() as s:
        row = s.scalar(select(CertificateSerial))
        assert row is not None and row.origin == "360499100" and row.changed_by == "360499100"
        first_seq = row.change_seq
    _take(db)
    with db.session() as s:
        row = s.scalar(select(CertificateSerial))
        assert row is not None and row.change_seq > first_seq and row.row_version == 2


def test_committed_sequence_has_no_gaps_after_a_rollback(db: Database, office: offices.OfficeInfo) -> None:
    committed = [_take(db)]
    with pytest.raises(RuntimeError), db.session() as s:
        assert cn.next_number(s, "on_duty", 2026, county=COUNTY) == "3604992026SG0002"
        raise RuntimeError("printing failed: the transaction rolls back and gives the serial back")
    committed.append(_take(db))
    # The first serial of a year, rolled back, is returned too.
    with pytest.raises(RuntimeError), db.session() as s:
        cn.next_number(s, "appointment", 2026, county=COUNTY)
        raise RuntimeError("rolled back")
    committed.append(_take(db))
    assert committed == ["3604992026SG0001", "3604992026SG0002", "3604992026SG0003"]
    assert _take(db, "appointment") == "3604992026PR0001"


@pytest.mark.parametrize("pattern", ["{county}{year}{kind}{serial:04d}{office}", "{0}{serial}", "{serial:zz}",
                                     "{county", "{county}{year}{kind}{serial:04q}"])
def test_bad_pattern_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused,
                             pattern: str) -> None:
    _take(db)
    before = state()
    with pytest.raises(ValidationError) as exc:
        _take(db, pattern=pattern)
    refused(exc.value, field="证书编号格式", rule="R11", says=pattern)
    assert state() == before
    assert _serials(db) == {("on_duty", 2026): 1}
    assert _take(db) == "3604992026SG0002"


def test_good_custom_pattern(db: Database, office: offices.OfficeInfo) -> None:
    assert _take(db, pattern="{county}-{year}-{kind}-{serial:05d}") == "360499-2026-SG-00001"


def test_unknown_kind_refused(db: Database, office: offices.OfficeInfo, state: State, refused: Refused) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _take(db, "honorary")
    refused(exc.value, field="证书类别", says="honorary")
    assert state() == before


def test_bad_pattern_takes_no_serial_in_the_callers_session(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        assert cn.next_number(s, "on_duty", 2026, county=COUNTY) == "3604992026SG0001"
        with pytest.raises(ValidationError):
            cn.next_number(s, "on_duty", 2026, county=COUNTY, pattern="{county}{nope}")
        assert cn.next_number(s, "on_duty", 2026, county=COUNTY) == "3604992026SG0002"


@pytest.mark.parametrize("pattern", ["{county.upper}{serial:04d}x{county.nope}", "{county}{year}{kind}{serial[0]}"])
def test_attribute_or_index_in_pattern_refused(db: Database, office: offices.OfficeInfo, state: State,
                                               refused: Refused, pattern: str) -> None:
    before = state()
    with pytest.raises(ValidationError) as exc:
        _take(db, pattern=pattern)
    refused(exc.value, field="证书编号格式", rule="R11")
    assert state() == before
