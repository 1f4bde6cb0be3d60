"""Printing from the frozen snapshot (R11): a reprint is byte-identical after the person's record, photo
and the template changed; batches with progress and cancel; the print log; verification codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from test_certificate_eligibility import ISSUE, build_world
from test_certificate_issue import issue_all, jpeg

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Certificate, CertificatePrint, Person
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing.certificate_render import CertificatePage, render_one
from remoteedu_desktop.services import (
    certificate_codes,
    certificate_issue,
    certificate_layout,
    people,
    photos,
)
from remoteedu_desktop.services import certificate_print as cp
from remoteedu_desktop.services.progress import run_to_end

NewPerson = Callable[..., people.PersonInfo]


@pytest.fixture
def world_ids(db: Database, township_id: str, new_person: NewPerson) -> dict[str, str]:
    w = build_world(db, township_id, new_person)
    with db.session() as s:
        photos.set_photo(s, w.ids["passed"], jpeg("navy"))
    issue_all(db)
    with db.session() as s:
        return {p: c for p, c in s.execute(select(Certificate.person_id, Certificate.id)).tuples()} | {
            f"person:{k}": v for k, v in w.ids.items()}


def _change_default_template(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the name box and change the wording of the kind's default template."""
    try:
        from remoteedu_desktop.services import certificate_templates
    except ImportError:
        original = certificate_layout.default_layout

        def moved(kind: str, stock: str = "plain") -> certificate_layout.Layout:
            return original(kind, stock).moved("name", x_mm=40.0, text="持证人：{name}")

        monkeypatch.setattr(certificate_issue, "default_layout", moved)
        return
    with db.session() as s:
        current = certificate_templates.default_template(s, "on_duty")
        certificate_templates.save_template(s, current.layout.moved("name", x_mm=40.0, text="持证人：{name}"),
                                            name=current.name, template_id=current.id)


def test_reprint_is_byte_identical_after_record_photo_and_template_changed(
        db: Database, world_ids: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pid = world_ids["person:passed"]
    cert_id = world_ids[pid]
    with db.session() as s:
        first = cp.frozen_pdf(s, cert_id)
        stored = s.get(Certificate, cert_id)
        assert stored is not None and hashlib.sha256(first).hexdigest() == stored.pdf_sha256
        snapshot = json.loads(stored.snapshot_json or "")
    (tmp_path / "first.pdf").write_bytes(first)
    # The person's name and photo change, and so does the template.
    with db.session() as s:
        person = s.get(Person, pid)
        assert person is not None
        person.name = "王喆新"
        photos.set_photo(s, pid, jpeg("darkgreen"))
    _change_default_template(db, monkeypatch)
    with db.session() as s:
        again = cp.frozen_pdf(s, cert_id)
        # What issuing now would print differs: the test could fail if the reprint used today's data.
        template = certificate_issue.template_for(s, "on_duty")
        values = dict(snapshot["values"], name="王喆新")
        now = render_one(CertificatePage(template.layout, values, photos.get_photo(s, pid), None))
    assert again == first
    assert now != first
    assert template.layout.element("name").x_mm == 40.0


def test_altered_snapshot_is_refused(db: Database, world_ids: dict[str, str]) -> None:
    cert_id = world_ids[world_ids["person:tutor"]]
    with db.session() as s:
        cert = s.get(Certificate, cert_id)
        assert cert is not None
        cert.snapshot_json = (cert.snapshot_json or "").replace("孙玥", "孙月")
    with db.session() as s, pytest.raises(ValidationError) as exc:
        cp.frozen_pdf(s, cert_id)
    assert "SHA-256" in exc.value.message and exc.value.rule == "R11"


def test_batch_progress_cancel_and_log(db: Database, world_ids: dict[str, str], tmp_path: Path) -> None:
    ids = [world_ids[world_ids[f"person:{k}"]] for k in ("passed", "township", "tutor", "tech")]
    with db.session() as s:
        seen: list[tuple[int, int]] = []
        pdf = run_to_end(cp.batch_pdf(s, ids), lambda done, total, _text: seen.append((done, total)))
        assert seen[-1] == (4, 4) and pdf.startswith(b"%PDF")
        steps = cp.batch_pdf(s, ids * 30)
        next(steps)
        steps.close()  # cancel: the rendering thread stops
        with pytest.raises(ValidationError):
            cp.batch_pdf(s, ["nope"])
        cp.log_prints(s, ids[:2], target="HP LaserJet 1020")
        with pytest.raises(ValidationError):
            cp.log_prints(s, ids, target=" ")
    out = tmp_path / "batch.pdf"
    out.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+4$", info, re.M)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "STSong" not in fonts and all(" yes " in line for line in fonts.splitlines()[2:])
    with db.session() as s:
        logged = s.scalars(select(CertificatePrint)).all()
        assert sorted(p.certificate_id for p in logged) == sorted(ids[:2])
        assert {(p.account, p.target) for p in logged} == {("clerk1", "HP LaserJet 1020")}
        assert all(p.pdf_sha256 == s.get(Certificate, p.certificate_id).pdf_sha256 for p in logged)  # type: ignore[union-attr]


def test_verify_round_trip_and_tamper(db: Database, world_ids: dict[str, str]) -> None:
    cert_id = world_ids[world_ids["person:tech"]]
    with db.session() as s:
        cert = s.get(Certificate, cert_id)
        assert cert is not None
        code = json.loads(cert.snapshot_json or "")["values"]["code"]
        good = certificate_codes.verify(s, code, today=ISSUE)
        assert good.genuine and good.status == "valid" and good.register_matches
        assert good.content is not None and good.content.name == "周八" and good.unit == "龙潭镇"
        assert good.valid_until == dt.date(2029, 6, 30)
        # One changed character anywhere in the signed part fails.
        body = code.replace("-", "")
        for pos in (len("RE1") + 3, len("RE1") + 20, len(body) - 30):
            swapped = body[:pos] + ("A" if body[pos] != "A" else "B") + body[pos + 1:]
            assert not certificate_codes.verify(s, swapped, today=ISSUE).genuine
        expired = certificate_codes.verify(s, code, today=dt.date(2029, 7, 1))
        assert expired.genuine and expired.status == "expired" and "已过期" in expired.message


def test_snapshot_reader_reads_what_json_loads_reads() -> None:
    """A batch parses the layout shared by certificates of one template once (R11 snapshots are written
    with sorted keys, the layout first); every snapshot, odd ones included, still reads exactly as
    ``json.loads`` reads it, and certificates of the same template share one parsed layout."""
    layout = certificate_layout.default_layout("on_duty").to_json()
    other = certificate_layout.default_layout("appointment").to_json()

    def snap(lay: str, name: str) -> str:
        return '{"layout":' + lay + ',"photo":null,"qr":null,"v":1,"values":{"name":"' + name + '"}}'

    texts = [snap(layout, "王喆"), snap(layout, "李堃"), snap(other, "张玥"), snap(layout, "陈昇"),
             '{"layout":{"a":1},"layout":2,"v":1}', '{"layout":{"a":1},}', '{"layout":{"a":1}}',
             '{"layout": {"a":1},"x":1}', '{"layout":{"a":1}, "x":1}', '{"layout":{"a":1},"x":1} junk',
             snap(layout, "x")[:-1], snap(layout, "x") + " ", "[1]", ""]
    reader = cp._SnapshotReader()
    parsed = []
    for text in texts:
        try:
            expected: object = json.loads(text)
        except ValueError:
            with pytest.raises(ValueError):
                reader.parse(text)
            continue
        got = reader.parse(text)
        assert got == expected, text
        parsed.append(got)
    assert parsed[0]["layout"] is parsed[1]["layout"]  # type: ignore[index]
    assert parsed[2]["layout"] != parsed[0]["layout"]  # type: ignore[index]
