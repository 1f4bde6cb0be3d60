"""The data of the yearly evaluation forms (R14): services/evaluation_forms_data.py on a real database.

The world: 青山县 / 龙潭镇 (the office) with 杨家村 and 李家村, and 石门乡 beside it; village managers, a
tutor, a photo; the 2025 round (称职 wording) seeded row by row as the scoring would leave it (totals,
grades, ranks, unfit flag), so that these tests read exactly what a form must show.
:func:`seed_round` is shared with the export tests.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Evaluation, EvaluationRound, EvaluationScore, Rubric, RubricItem
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing.evaluation_forms import EvaluationForm
from remoteedu_desktop.services import evaluation_forms_data as efd
from remoteedu_desktop.services import people, photos, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.offices import init_office
from remoteedu_desktop.services.progress import run_to_end

YEAR = 2025
TODAY = dt.date(2026, 6, 30)


def jpeg(color: str = "navy") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (250, 350), color).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def id_number(seq: int, birth: dt.date) -> str:
    first17 = f"360499{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


#: Site manager items: (code, title, kind, max, weight).
MANAGER_ITEMS = (
    ("A1", "组织开展远程教育学习活动", "score", 30.0, 30.0),
    ("A2", "站点设备管理与安全运行", "score", 20.0, 20.0),
    ("A3", "参加培训和考核", "score", 50.0, 50.0),
    ("D1", "设备无故停播", "deduction", 10.0, 0.0),
    ("B1", "经验做法被县级媒体刊发", "bonus", 5.0, 0.0),
)
TUTOR_ITEMS = (
    ("T1", "辅导教学活动", "score", 10.0, 60.0),  # max ≠ weight: the form prints the weighted points
    ("T2", "参加培训", "score", 40.0, 40.0),
)


@dataclass
class World:
    county: str
    township: str
    other_township: str
    yang: str  # 杨家村
    li: str  # 李家村
    shi: str  # 石门村 (石门乡)
    people: dict[str, str] = field(default_factory=dict)  # name → person id
    evaluations: dict[str, str] = field(default_factory=dict)  # name → evaluation id
    items: dict[str, str] = field(default_factory=dict)  # code → item id
    round_id: str = ""


def seed_round(db: Database, *, status: str = "closed", grade_scale: str = "competent") -> World:
    """The world of this module (see the module docstring)."""
    with db.session() as s:
        office = init_office(s, level="township", code="360499100", name="龙潭镇", county_name="青山县")
        assert office.unit_id is not None
        township = units.get_unit(s, office.unit_id)
        county_id = township.parent_id
        assert county_id is not None
        other = units.add_unit(s, kind="township", name="石门乡", parent_id=county_id, code="360499101")
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=office.unit_id, code="360499100201")
        li = units.add_unit(s, kind="village", name="李家村", parent_id=office.unit_id, code="360499100202")
        shi = units.add_unit(s, kind="village", name="石门村", parent_id=other.id, code="360499101201")
        world = World(county=county_id, township=office.unit_id, other_township=other.id, yang=yang.id, li=li.id,
                      shi=shi.id)
        staff = (  # name, seq, birth, unit, role, slot, start, political, education
            ("王喆", 1, dt.date(1980, 5, 17), yang.id, "village_manager", "A", dt.date(2024, 1, 1), "01", "21"),
            ("张玥", 2, dt.date(1990, 11, 3), yang.id, "village_manager", "B", dt.date(2019, 3, 1), "13", "31"),
            ("李堃", 3, dt.date(1975, 2, 1), li.id, "village_manager", "A", dt.date(2022, 6, 1), None, None),
            ("赵敏", 5, dt.date(1985, 8, 8), office.unit_id, "township_tutor", None, dt.date(2020, 1, 1), "01", "21"),
            ("石磊", 7, dt.date(1982, 1, 1), shi.id, "village_manager", "A", dt.date(2021, 1, 1), "01", "61"),
        )
        for name, seq, birth, unit, role, slot, start, political, education in staff:
            p = people.add_person(s, people.PersonInput(name=name, id_number=id_number(seq, birth),
                                                        political_status=political, education=education),
                                  today=TODAY)
            posts.assign_post(s, person_id=p.id, unit_id=unit, role=role, slot=slot, start_date=start, today=TODAY)
            world.people[name] = p.id
        photos.set_photo(s, world.people["王喆"], jpeg())

        rnd = EvaluationRound(year=YEAR, name=f"{YEAR}年度考评", grade_scale=grade_scale, status=status,
                              top_quota_pct=20.0)
        s.add(rnd)
        s.flush()
        world.round_id = rnd.id
        manager = Rubric(round_id=rnd.id, target="site_manager", name="站点管理员考评细则")
        tutor = Rubric(round_id=rnd.id, target="tutor", name="教学辅导员考评细则")
        s.add_all([manager, tutor])
        s.flush()
        for rubric, specs in ((manager, MANAGER_ITEMS), (tutor, TUTOR_ITEMS)):
            for n, (code, title, kind, max_points, weight) in enumerate(specs):
                item = RubricItem(rubric_id=rubric.id, code=code, title=title, kind=kind, max_points=max_points,
                                  weight_pct=weight, sort_order=n)
                s.add(item)
                s.flush()
                world.items[code] = item.id
        # name → (rubric, unit, points by item code, total, grade, rank twn, rank county, unfit, summary, opinion)
        scored = {
            "王喆": (manager, yang.id, {"A1": 27.0, "A2": 18.0, "A3": 45.0, "D1": 2.0, "B1": 3.0}, 91.0, "excellent",
                   1, 1, False, "一年来，本人认真履行站点管理员职责。", "同意评定为优秀。"),
            "张玥": (manager, yang.id, {"A1": 24.0, "A2": 16.0, "A3": 40.0}, 80.0, "pass", 2, 2, False, None, None),
            "李堃": (manager, li.id, {"A1": 10.0, "A2": 8.0, "A3": 30.0, "D1": 4.0}, 44.0, "fail", 3, 4, True,
                   None, None),
            "石磊": (manager, shi.id, {"A1": 22.0, "A2": 15.0, "A3": 40.0}, 77.0, "pass", 1, 3, False, None, None),
            "赵敏": (tutor, office.unit_id, {"T1": 8.0}, None, None, None, None, False, None, None),
        }
        for name, (rubric, unit, pts, total, grade, r_twn, r_cty, unfit, summary, opinion) in scored.items():
            ev = Evaluation(round_id=rnd.id, rubric_id=rubric.id, person_id=world.people[name], unit_id=unit,
                            total=total, grade=grade, rank_township=r_twn, rank_county=r_cty, unfit=unfit,
                            self_summary=summary, opinion=opinion)
            s.add(ev)
            s.flush()
            world.evaluations[name] = ev.id
            for code, value in pts.items():
                s.add(EvaluationScore(evaluation_id=ev.id, item_id=world.items[code], points=value,
                                      automatic=code == "A3"))
        s.flush()
    return world


@pytest.fixture
def world(db: Database) -> World:
    return seed_round(db)


def test_batch_reads_every_evaluation_in_print_order(db: Database, world: World) -> None:
    """Township (the county's order: 龙潭镇 before 石门乡), then target, then rank in the township."""
    with db.session() as s:
        batch = efd.load_batch(s, YEAR)
    assert batch.year == YEAR and batch.scope == "青山县" and batch.grade_scale == "competent"
    assert [r.name for r in batch.records] == ["王喆", "张玥", "李堃", "赵敏", "石磊"]
    assert batch.targets() == ["site_manager", "tutor"]


def test_record_carries_person_post_items_and_results(db: Database, world: World) -> None:
    """Personal data in labels, the post held at the evaluated unit, every item with its points (R14)."""
    with db.session() as s:
        records = {r.name: r for r in efd.load_batch(s, YEAR).records}
    wang = records["王喆"]
    assert (wang.gender, wang.birth, wang.political_status, wang.education) == ("男", "1980年05月", "中共党员",
                                                                                   "大学本科毕业")
    assert (wang.unit, wang.township, wang.post, wang.since) == ("龙潭镇 / 杨家村", "龙潭镇", "村站点管理员 A岗",
                                                                 "2024年01月")
    assert [(i.code, i.kind, i.points) for i in wang.items] == [
        ("A1", "score", 27.0), ("A2", "score", 18.0), ("A3", "score", 45.0), ("D1", "deduction", 2.0),
        ("B1", "bonus", 3.0)]
    assert [i.automatic for i in wang.items] == [False, False, True, False, False]
    assert (wang.total, wang.grade, wang.grade_label, wang.rank_township, wang.rank_county) == (
        91.0, "excellent", "优秀", 1, 1)
    assert wang.self_summary.startswith("一年来") and wang.opinion == "同意评定为优秀。"
    zhang = records["张玥"]
    assert zhang.gender == "女" and zhang.post == "村站点管理员 B岗" and zhang.since == "2019年03月"
    assert [i.points for i in zhang.items][3:] == [None, None]  # no deduction, no bonus entered
    li = records["李堃"]
    assert li.unfit and li.grade_label == "不称职"  # R14: the competent wording, flagged for adjustment
    assert (li.political_status, li.education) == ("", "")
    zhao = records["赵敏"]
    assert (zhao.target_label, zhao.unit, zhao.post, zhao.total, zhao.grade_label) == (
        "教学辅导员", "龙潭镇", "乡镇教学辅导员", None, "")


def test_standard_scale_prints_the_standard_wording(db: Database) -> None:
    """A round on the 合格 scale prints 合格/不合格, the codes being the same (R14)."""
    seed_round(db, grade_scale="standard")
    with db.session() as s:
        labels = {r.name: r.grade_label for r in efd.load_batch(s, YEAR).records}
    assert labels["张玥"] == "合格" and labels["李堃"] == "不合格"


def test_scope_and_target_filters(db: Database, world: World) -> None:
    """A township's batch holds its own people only; a site's, the people evaluated there; a target, its own."""
    with db.session() as s:
        assert [r.name for r in efd.load_batch(s, YEAR, unit_id=world.township).records] == [
            "王喆", "张玥", "李堃", "赵敏"]
        assert [r.name for r in efd.load_batch(s, YEAR, unit_id=world.other_township).records] == ["石磊"]
        assert [r.name for r in efd.load_batch(s, YEAR, unit_id=world.yang).records] == ["王喆", "张玥"]
        assert [r.name for r in efd.load_batch(s, YEAR, target="tutor").records] == ["赵敏"]
        batch = efd.load_batch(s, YEAR, target="site_manager", unit_id=world.township)
        assert batch.scope == "龙潭镇" and [r.name for r in batch.records] == ["王喆", "张玥", "李堃"]


def test_a_post_changed_during_the_year_shows_the_post_at_the_evaluated_unit(db: Database, world: World) -> None:
    """李堃 took a second post in the autumn: the form keeps the post at the evaluated unit and its start."""
    with db.session() as s:
        posts.assign_post(s, person_id=world.people["李堃"], unit_id=world.township, role="township_tutor",
                          start_date=dt.date(2025, 9, 1), today=TODAY)
    with db.session() as s:
        li = next(r for r in efd.load_batch(s, YEAR).records if r.name == "李堃")
    assert (li.unit, li.post, li.since) == ("龙潭镇 / 李家村", "村站点管理员 A岗", "2022年06月")


def test_refusals_name_what_is_missing(db: Database, world: World) -> None:
    """No round for the year, an unknown target or unit, an empty scope: refused in Chinese, nothing read."""
    with db.session() as s:
        with pytest.raises(ValidationError) as exc:
            efd.load_batch(s, 2024)
        assert exc.value.field == "考评年度" and "没有2024年度的考评" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            efd.load_batch(s, YEAR, target="mayor")
        assert exc.value.field == "考评对象"
        with pytest.raises(ValidationError) as exc:
            efd.load_batch(s, YEAR, unit_id="no-such-unit")
        assert exc.value.field == "范围"
        with pytest.raises(ValidationError) as exc:
            efd.load_batch(s, YEAR, target="technician")
        assert "青山县没有2025年度技术服务员的考评记录" in exc.value.message
        with pytest.raises(ValidationError) as exc:
            efd.load_batch(s, YEAR, target="tutor", unit_id=world.other_township)
        assert "石门乡" in exc.value.message


def test_forms_pdf_checks_before_the_first_step(db: Database, world: World) -> None:
    """The generator refuses at once (the CLI and the UI can refuse before showing progress)."""
    with db.session() as s, pytest.raises(ValidationError):
        efd.forms_pdf(s, 2024)


def test_form_data_maps_records_to_forms(db: Database, world: World) -> None:
    """Labels, photo (only 王喆 has one), items with weights; the title names the role (R14)."""
    with db.session() as s:
        forms = {f.name: f for f in efd.form_data(s, YEAR, unit_id=world.township)}
    wang = forms["王喆"]
    assert isinstance(wang, EvaluationForm)
    assert wang.title == "2025年度农村党员干部现代远程教育站点管理员考评表"
    assert forms["赵敏"].title == "2025年度农村党员干部现代远程教育教学辅导员考评表"
    assert dict(wang.short_fields)["出生年月"] == "1980年05月"
    assert dict(wang.wide_fields) == {"工作单位": "龙潭镇 / 杨家村", "岗位": "村站点管理员 A岗"}
    assert wang.photo == jpeg() and forms["张玥"].photo is None
    assert (wang.grade, wang.total, wang.rank_county) == ("优秀", 91.0, 1)
    assert [i.points_text for i in wang.items] == ["27", "18", "45", "−2", "+3"]
    assert [i.points_text for i in forms["赵敏"].items] == ["48", ""]  # 8 of 10 × 60 % weight; T2 not scored


def test_forms_pdf_progress_and_pages(db: Database, world: World, tmp_path: Path) -> None:
    """One page per person, progress up to the total."""
    with db.session() as s:
        steps: list[tuple[int, int, str]] = []
        pdf = run_to_end(efd.forms_pdf(s, YEAR), lambda *a: steps.append(a))
    assert pdf.startswith(b"%PDF-")
    assert steps[0][:2] == (0, 5) and steps[-1][:2] == (5, 5)
    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           5" in info
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("考评表") == 5 and "石磊" in text and "不胜任现岗位" in text


def test_site_evaluation_shows_the_site_and_its_managers(db: Database, world: World) -> None:
    """A site's evaluation (model site, R14): its name, kind, code, A and B managers, no photo box."""
    with db.session() as s:
        rubric = Rubric(round_id=world.round_id, target="site", name="示范站点考评细则")
        s.add(rubric)
        s.flush()
        s.add(RubricItem(rubric_id=rubric.id, code="S1", title="阵地建设", kind="score", max_points=100.0,
                         weight_pct=100.0, sort_order=0))
        s.add(Evaluation(round_id=world.round_id, rubric_id=rubric.id, site_id=world.yang, unit_id=world.yang,
                         total=88.0, grade="pass", rank_township=1, rank_county=1))
    with db.session() as s:
        site = efd.load_batch(s, YEAR, target="site").records[0]
        form = efd.form_data(s, YEAR, target="site")[0]
    assert (site.name, site.site_kind, site.site_code, site.manager_a, site.manager_b, site.township) == (
        "杨家村", "行政村站点", "360499100201", "王喆", "张玥", "龙潭镇")
    assert form.kind == "site" and not form.show_photo and form.title.endswith("站点考评表")
    assert dict(form.short_fields)["管理员B岗"] == "张玥"
