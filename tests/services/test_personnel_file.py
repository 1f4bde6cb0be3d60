"""The data of the printed archive (档案, R10) gathered from a real database: personal data, photo,
post history lines (R12: a transfer closes one post and opens the next), certificates, awards."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Award, Certificate
from remoteedu_desktop.services import photos, posts
from remoteedu_desktop.services.personnel_file import (
    personnel_file_data,
    personnel_file_pdf,
    personnel_file_steps,
)
from remoteedu_desktop.services.progress import run_to_end

TODAY = dt.date(2026, 6, 30)  # the fixtures' "today" (conftest)


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (250, 350), (200, 30, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def _person_with_archive(db: Database, new_person: Callable, new_village: Callable) -> str:
    first, second = new_village("杨家村"), new_village("李家村")
    with db.session() as s:
        person = new_person(s, "王芳", female=True, phone="13907912345", employer="杨家村村委会",
                            ethnicity="01", political_status="01", education="31")
        post = posts.assign_post(s, person_id=person.id, unit_id=first.id, role="village_manager", slot="B",
                                 start_date=dt.date(2018, 3, 1), today=TODAY)
        posts.transfer_post(s, post.id, to_unit_id=second.id, to_slot="A", on=dt.date(2022, 9, 1),
                            reason="工作调动", today=TODAY)
        photos.set_photo(s, person.id, _jpeg())
        s.add(Certificate(kind="on_duty", number="SG2023-0007", person_id=person.id, issue_date=dt.date(2023, 5, 1),
                          valid_until=dt.date(2026, 4, 30), status="valid"))
        s.add(Award(person_id=person.id, title="优秀站点管理员", awarded_on=dt.date(2025, 1, 10),
                    document_no="青远办〔2025〕3号"))
        return person.id


def test_archive_data(db: Database, township_id: str, new_person: Callable, new_village: Callable) -> None:
    person_id = _person_with_archive(db, new_person, new_village)
    with db.session() as s:
        f = personnel_file_data(s, person_id, today=TODAY)
    assert (f.name, f.gender, f.birth_date, f.phone, f.employer) == (
        "王芳", "女", dt.date(1980, 5, 17), "13907912345", "杨家村村委会")
    assert len(f.id_number) == 18 and "*" not in f.id_number  # the archive carries the full number
    assert (f.ethnicity, f.political_status, f.education) == ("汉族", "中共党员", "大学专科毕业")  # labels
    assert [p.line for p in f.posts] == ["2018.03--2022.09  龙潭镇杨家村 村站点管理员（B岗，兼职）",
                                         "2022.09--至今  龙潭镇李家村 村站点管理员（A岗，兼职）"]
    assert f.posts[0].note == "离任原因：工作调动" and f.posts[1].note == ""
    assert f.current_posts == "龙潭镇李家村 村站点管理员（A岗，兼职）"
    assert f.photo is not None and f.photo[:2] == b"\xff\xd8"
    assert f.certificates == (("SG2023-0007", "上岗证书", "2023年05月01日", "2026年04月30日", "有效"),)
    assert f.awards == (("2025年01月10日", "优秀站点管理员", "", "青远办〔2025〕3号"),)
    assert f.training == () and f.evaluations == ()
    assert f.office_name == "龙潭镇" and f.printed_on == TODAY


def test_archive_pdf_and_steps(db: Database, township_id: str, new_person: Callable, new_village: Callable,
                               tmp_path: Path) -> None:
    person_id = _person_with_archive(db, new_person, new_village)
    seen: list[tuple[int, int, str]] = []
    with db.session() as s:
        pdf = run_to_end(personnel_file_steps(s, person_id, today=TODAY), lambda *step: seen.append(step))
        assert pdf[:5] == personnel_file_pdf(s, person_id, today=TODAY)[:5] == b"%PDF-"
    assert [step[:2] for step in seen] == [(0, 2), (1, 2), (2, 2)]
    path = tmp_path / "archive.pdf"
    path.write_bytes(pdf)
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "王芳" in text and "2018.03--2022.09龙潭镇杨家村" in text and "2022.09--至今龙潭镇李家村" in text
    assert "暂无培训记录" in text and "SG2023-0007" in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert len(images) == 1
