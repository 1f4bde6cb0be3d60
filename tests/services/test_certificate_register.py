"""The register (R11): search, revoke / reissue / renew with their trail, expiry, verification with the
current status, and the Excel export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from test_certificate_eligibility import ISSUE, build_world
from test_certificate_issue import issue_all

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import AuditLog, Certificate
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import certificate_codes, people
from remoteedu_desktop.services import certificate_register as cr
from remoteedu_desktop.services.progress import run_to_end

NewPerson = Callable[..., people.PersonInfo]


def _by_name(db: Database, name: str, kind: str | None = None) -> cr.RegisterRow:
    with db.session() as s:
        rows = [r for r in cr.register(s, cr.RegisterFilter(text=name, kind=kind), today=ISSUE) if r.status == "valid"]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def issued(db: Database, township_id: str, new_person: NewPerson) -> None:
    build_world(db, township_id, new_person)
    with db.session() as s:
        for p in s.scalars(select(people.Person)):
            p.name_initials = {"王喆": "wz", "孙玥": "sy", "周八": "zb", "郑十": "zs"}.get(p.name)
    assert len(issue_all(db)) == 4


def test_search_and_filters(db: Database, issued: None) -> None:
    with db.session() as s:
        all_rows = cr.register(s, today=ISSUE)
        assert len(all_rows) == 4
        assert [r.name for r in cr.register(s, cr.RegisterFilter(text="SY"), today=ISSUE)] == ["孙玥"]
        assert [r.name for r in cr.register(s, cr.RegisterFilter(text="杨家村"), today=ISSUE)] == ["王喆"]
        assert len(cr.register(s, cr.RegisterFilter(text="3604992026PR"), today=ISSUE)) == 2
        assert len(cr.register(s, cr.RegisterFilter(kind="on_duty"), today=ISSUE)) == 2
        assert cr.register(s, cr.RegisterFilter(year=2025), today=ISSUE) == []
        yang = next(u.id for u in cr.Units(s).by_id.values() if u.name == "杨家村")
        assert [r.name for r in cr.register(s, cr.RegisterFilter(unit_id=yang), today=ISSUE)] == ["王喆"]
        later = cr.register(s, cr.RegisterFilter(status="expired"), today=dt.date(2029, 7, 1))
        assert {r.name for r in later} == {"孙玥", "周八"}
        assert {r.status_label for r in later} == {"已过期"}


def test_revoke_then_nothing_more(db: Database, issued: None) -> None:
    row = _by_name(db, "王喆")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        cr.revoke(s, row.id, reason="  ")
    assert exc.value.field == "吊销原因"
    with db.session() as s:
        cr.revoke(s, row.id, reason="弄虚作假", on=dt.date(2026, 8, 1))
    with db.session() as s:
        d = cr.detail(s, row.id, today=ISSUE)
        code = d.code
        assert (d.row.status, d.row.status_label, d.row.status_reason) == ("revoked", "已吊销", "弄虚作假")
        for act in (lambda: cr.revoke(s, row.id, reason="again"),
                    lambda: cr.reissue(s, row.id, mode="lost", reason="遗失")):
            with pytest.raises(ValidationError) as exc:
                act()
            assert "已吊销" in exc.value.message and row.number in exc.value.message
        check = certificate_codes.verify(s, code, today=ISSUE)
        assert check.genuine and check.status == "revoked" and "已吊销" in check.message
        audit = s.scalars(select(AuditLog).where(AuditLog.record_id == row.id, AuditLog.field == "status")).all()
        assert [(a.old_value, a.new_value, a.account) for a in audit] == [("valid", "revoked", "clerk1")]


def test_reissue_lost_and_exchange_keep_the_trail(db: Database, issued: None) -> None:
    old = _by_name(db, "孙玥")
    with db.session() as s:
        lost_id = cr.reissue(s, old.id, mode="lost", reason="证书遗失", issue_date=dt.date(2026, 9, 1))
    with db.session() as s:
        exchanged_id = cr.reissue(s, lost_id, mode="exchange", reason="证书污损", issue_date=dt.date(2026, 10, 1))
    with db.session() as s:
        d = cr.detail(s, exchanged_id, today=dt.date(2026, 10, 2))
        first, second, third = d.trail
        assert [r.number for r in d.trail] == ["3604992026PR0001", "3604992026PR0003", "3604992026PR0004"] or \
            [r.number for r in d.trail] == ["3604992026PR0002", "3604992026PR0003", "3604992026PR0004"]
        assert (first.status, first.status_reason, first.replaced_by_number) == ("replaced", "补发：证书遗失",
                                                                              second.number)
        assert (second.status, second.status_reason, second.replaces_number) == ("replaced", "换发：证书污损",
                                                                              first.number)
        assert (third.status, third.replaces_number) == ("valid", second.number)
        # The term stays that of the first certificate.
        assert (third.term_start, third.valid_until) == (first.term_start, first.valid_until)
        new = s.get(Certificate, exchanged_id)
        assert new is not None and new.replaces_id == lost_id and new.pdf_sha256
        assert d.values["issue_date"] == "2026年10月1日" and d.values["number"] == third.number
        with pytest.raises(ValidationError) as exc:
            cr.reissue(s, old.id, mode="exchange", reason="再次换发")
        assert "已换发" in exc.value.message
        with pytest.raises(ValidationError):
            cr.reissue(s, exchanged_id, mode="stolen", reason="x")


def test_renew_appointment(db: Database, issued: None) -> None:
    old = _by_name(db, "周八")
    on_duty = _by_name(db, "王喆")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        cr.renew(s, on_duty.id)
    assert "只有聘任证书可以续聘" in exc.value.message
    with db.session() as s:
        assert cr.expire_due(s, dt.date(2029, 7, 2)) == 2
        assert cr.expire_due(s, dt.date(2029, 7, 2)) == 0
    with db.session() as s:
        new_id = cr.renew(s, old.id, issue_date=dt.date(2029, 7, 2))
    with db.session() as s:
        d = cr.detail(s, new_id, today=dt.date(2029, 7, 2))
        assert (d.row.term_start, d.row.valid_until) == (dt.date(2029, 7, 1), dt.date(2032, 6, 30))
        assert d.row.number == "3604992029PR0001" and d.row.status == "valid"
        assert [r.status_reason for r in d.trail] == ["续聘", ""]


def test_export(db: Database, issued: None, tmp_path: Path) -> None:
    target = tmp_path / "登记簿.xlsx"
    with db.session() as s:
        assert run_to_end(cr.export_register(s, cr.RegisterFilter(), target, today=ISSUE)) == 4
        with pytest.raises(ValidationError):
            cr.export_register(s, cr.RegisterFilter(), tmp_path / "x.csv")
    book = load_workbook(target)
    sheet = book.active
    assert sheet is not None and sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("证书编号", "证书类别", "姓名") and len(rows) == 5
    assert {r[2] for r in rows[1:]} == {"王喆", "郑十", "孙玥", "周八"}
    assert all(isinstance(r[5], dt.datetime) for r in rows[1:])
    assert sheet.column_dimensions["D"].width == 26
