"""Issuing certificates (R11): preview, numbers without gaps (also when two issues race or one is refused),
the frozen snapshot and what it prints, glyph refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import threading
from collections.abc import Callable

import pytest
from PIL import Image
from sqlalchemy import select
from test_certificate_eligibility import ISSUE, PLAN_TITLE, TODAY, build_world

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import Certificate, CertificateAsset, CertificateSerial, Enrolment, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing.fonts import GlyphError
from remoteedu_desktop.services import (
    certificate_codes,
    certificate_issue,
    certificate_settings,
    people,
    photos,
    posts,
)
from remoteedu_desktop.services import certificate_eligibility as ce
from remoteedu_desktop.services.progress import run_to_end

NewPerson = Callable[..., people.PersonInfo]


def jpeg(color: str = "navy") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (250, 350), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def issue_all(db: Database, day: dt.date = ISSUE, **kw: object) -> list[str]:
    with db.session() as s:
        return run_to_end(certificate_issue.issue_all_eligible(s, issue_date=day, **kw))  # type: ignore[arg-type]


def certs(db: Database) -> dict[str, Certificate]:
    with db.session() as s:
        return {c.person_id: c for c in s.scalars(select(Certificate))}


def test_preview_then_issue(db: Database, township_id: str, new_person: NewPerson) -> None:
    w = build_world(db, township_id, new_person)
    with db.session() as s:
        rows = ce.eligibility(s, today=ISSUE)
        items = certificate_issue.preview_issue(s, rows, issue_date=ISSUE)
    assert [i.number for i in items] == ["3604992026SG0001", "3604992026SG0002", "3604992026PR0001",
                                         "3604992026PR0002"]
    assert {i.person_id for i in items} == {w.ids[k] for k in ("passed", "township", "tutor", "tech")}
    tutor = next(i for i in items if i.person_id == w.ids["tutor"])
    assert (tutor.term_start, tutor.valid_until) == (ISSUE, dt.date(2029, 6, 30))
    with db.session() as s:
        assert s.scalar(select(Certificate.id)) is None  # a preview writes nothing
        ids = run_to_end(certificate_issue.issue(s, items))
    issued = certs(db)
    assert sorted(ids) == sorted(c.id for c in issued.values())
    assert {c.number for c in issued.values()} == {i.number for i in items}
    on_duty = issued[w.ids["passed"]]
    snapshot = json.loads(on_duty.snapshot_json or "")
    assert snapshot["v"] == 1 and snapshot["renderer"].startswith("reportlab ") and snapshot["photo"] is None
    assert snapshot["layout"]["kind"] == "on_duty"
    values = snapshot["values"]
    assert values["name"] == "王喆" and values["gender"] == "男" and values["birth"] == "1980年5月"
    assert values["unit"] == "龙潭镇杨家村站点" and values["post"] == "A岗村站点管理员" and values["role"] == "站点管理员"
    assert values["area"] == "龙潭镇" and values["office"] == "龙潭镇" and values["issue_date"] == "2026年7月1日"
    assert values["training"] == PLAN_TITLE and values["score"] == "86" and values["kind_label"] == "上岗证书"
    assert on_duty.enrolment_id is not None and on_duty.issued_by == "clerk1"
    assert re.fullmatch(r"[0-9a-f]{64}", on_duty.pdf_sha256 or "")
    appointment = json.loads(issued[w.ids["tutor"]].snapshot_json or "")["values"]
    assert (appointment["term_start"], appointment["valid_until"]) == ("2026年7月1日", "2029年6月30日")
    assert (appointment["area"], appointment["role"]) == ("龙潭镇", "教学辅导员")
    with db.session() as s:  # the printed code verifies against the register
        check = certificate_codes.verify(s, values["code"], today=ISSUE)
    assert check.genuine and check.status == "valid" and check.content is not None
    assert (check.content.number, check.content.name) == (on_duty.number, "王喆")


def test_settings_shape_the_certificate(db: Database, township_id: str, new_person: NewPerson) -> None:
    w = build_world(db, township_id, new_person)
    seal = jpeg("red")
    with db.session() as s:
        certificate_settings.set_number_pattern(s, "青山{year}{kind}-{serial:03d}")
        certificate_settings.set_term_years(s, 5)
        certificate_settings.set_issuer_name(s, "中共青山县委组织部")
        certificate_settings.set_seal(s, seal)
        photos.set_photo(s, w.ids["tutor"], jpeg())
    issue_all(db, kind="appointment")
    tutor = certs(db)[w.ids["tutor"]]
    assert tutor.number in ("青山2026PR-001", "青山2026PR-002")
    assert tutor.valid_until == dt.date(2031, 6, 30)
    snapshot = json.loads(tutor.snapshot_json or "")
    assert snapshot["values"]["office"] == "中共青山县委组织部"
    with db.session() as s:
        assets = {a.sha256: bytes(a.data) for a in s.scalars(select(CertificateAsset))}
    assert assets[snapshot["seal"]] == seal and assets[snapshot["photo"]] == jpeg()
    with db.session() as s, pytest.raises(ValidationError) as exc:
        certificate_settings.set_number_pattern(s, "{county}{year}{kind}")
    assert "{serial}" in exc.value.message


def test_numbers_have_no_gaps_across_issues(db: Database, township_id: str, new_person: NewPerson) -> None:
    w = build_world(db, township_id, new_person)
    assert len(issue_all(db, kind="on_duty")) == 2
    assert issue_all(db, kind="on_duty") == []  # nobody new: nothing issued, nothing taken
    with db.session() as s:  # the pending assessment is passed later in the year
        enrolment = s.scalars(select(Enrolment).where(Enrolment.person_id == w.ids["pending"])).one()
        enrolment.score, enrolment.passed = 75.0, True
    assert len(issue_all(db, dt.date(2026, 9, 1), kind="on_duty")) == 1
    assert issue_all(db, dt.date(2027, 1, 4), kind="on_duty") == []
    issued = certs(db)
    assert sorted(c.number for c in issued.values() if c.kind == "on_duty") == [
        "3604992026SG0001", "3604992026SG0002", "3604992026SG0003"]
    assert issued[w.ids["pending"]].number == "3604992026SG0003"


def test_a_character_no_font_has_is_refused_and_takes_no_number(db: Database, township_id: str,
                                                                  new_person: NewPerson) -> None:
    w = build_world(db, township_id, new_person)
    with db.session() as s:
        s.get(Person, w.ids["tech"]).name = "周\U000F0000"  # type: ignore[union-attr]
    with db.session() as s:
        rows = ce.eligibility(s, today=ISSUE, kind="appointment")
        items = certificate_issue.preview_issue(s, rows, issue_date=ISSUE)
        with pytest.raises(GlyphError) as exc:
            certificate_issue.issue(s, items)
    assert "U+F0000" in exc.value.message and exc.value.field == "周\U000F0000的姓名"
    with db.session() as s:
        assert s.scalar(select(Certificate.id)) is None
        assert s.scalar(select(CertificateSerial.last_serial)) is None  # no serial taken: no gap
    # The rare characters of real names print (WenKai or the fallback font).
    with db.session() as s:
        s.get(Person, w.ids["tech"]).name = "周㐀"  # type: ignore[union-attr]
    issue_all(db, kind="appointment")
    assert sorted(c.number for c in certs(db).values()) == ["3604992026PR0001", "3604992026PR0002"]


def test_an_item_no_longer_eligible_is_refused(db: Database, township_id: str, new_person: NewPerson) -> None:
    w = build_world(db, township_id, new_person)
    with db.session() as s:
        items = certificate_issue.preview_issue(s, ce.eligibility(s, today=ISSUE), issue_date=ISSUE)
    issue_all(db, kind="appointment")  # someone else issued meanwhile
    with db.session() as s, pytest.raises(ValidationError) as exc:
        certificate_issue.issue(s, items)
    assert "已持有有效聘任证书" in exc.value.message and exc.value.rule == "R11"
    assert len(certs(db)) == 2 and w.ids["tutor"] in certs(db)


def test_two_offices_clerks_racing_get_distinct_gap_free_numbers(db: Database, township_id: str,
                                                                  new_person: NewPerson) -> None:
    """Two clerks (separate Database objects on the same file, so separate connections) issue at the
    same moment, one certificate per transaction: every number once, 1..N without gaps."""
    per_clerk = 8
    people_ids = []
    with db.session() as s:
        for n in range(2 * per_clerk):
            person = new_person(s, "技术员" + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"[n])
            posts.assign_post(s, person_id=person.id, unit_id=township_id, role="technician",
                              start_date=dt.date(2025, 1, 1), today=TODAY)
            people_ids.append(person.id)
    url = db.url
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def clerk(mine: list[str]) -> None:
        other = open_database(url, account="clerk2")
        try:
            start.wait()
            for pid in mine:
                with other.session() as s:
                    rows = [r for r in ce.evaluate(s, today=ISSUE, person_ids=[pid]) if r.eligible]
                    run_to_end(certificate_issue.issue(s, certificate_issue.preview_issue(s, rows, issue_date=ISSUE)))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=clerk, args=(people_ids[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(c.number for c in certs(db).values())
    assert numbers == [f"3604992026PR{n:04d}" for n in range(1, 2 * per_clerk + 1)]
