"""Training coverage of a unit (R8, R10, R11) on a small fixed data set: the summary line, the table with
who lacks what, sorting, the "only those lacking something" filter, the year and the unit. Chinese UI."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.models import Certificate
from remoteedu_desktop.services import (
    offices,
    people,
    posts,
    training_enrolment,
    training_grid,
    training_plans,
    units,
)
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.training_grid import GridChanges
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.enrolment import CoverageView
from remoteedu_desktop.ui.enrolment.coverage import C_CERTIFICATE, C_HOURS, C_LACKS, C_NAME, C_PRE_JOB

TODAY = dt.date(2026, 6, 30)


@dataclass
class Data:
    township: str
    yang: str
    ids: dict[str, str]


def _plan(ctx: AppContext, township: str, title: str, *, year: int, kind: str, role: str) -> str:
    with ctx.session() as s:
        return training_plans.add_plan(s, training_plans.PlanInput(
            title=title, year=year, organizer_level="township", target_role=role, target_level="village",
            topics=("1",), kind=kind, mode="lecture", organizer_unit_id=township)).id


def _session(ctx: AppContext, plan: str, day: dt.date, hours: float) -> str:
    with ctx.session() as s:
        return training_plans.add_session(s, plan, training_plans.SessionInput(date=day, hours=hours)).id


@pytest.fixture
def data(ctx: AppContext) -> Data:
    """龙潭镇: 杨一 (杨家村 A) passed the 2026 pre-job training (3 h) and holds an on-duty certificate;
    杨二 (杨家村 B) failed it (3 h + 2 h self-study); 李一 (李家村 A) had no training; 镇管 (township manager)
    was enrolled, absent, not assessed; 辅导 (township tutor) had 4 h of a 2025 training, no appointment."""
    seqs = itertools.count(1)
    with ctx.session() as s:
        township = offices.office_info(s).unit_id
        assert township is not None
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township, code="360499100201").id
        li = units.add_unit(s, kind="village", name="李家村", parent_id=township, code="360499100202").id
    ids: dict[str, str] = {}
    for name, unit_id, role, slot in [("杨一", yang, "village_manager", "A"), ("杨二", yang, "village_manager", "B"),
                                      ("李一", li, "village_manager", "A"), ("镇管", township, "township_manager", None),
                                      ("辅导", township, "township_tutor", None)]:
        first17 = f"36049919800517{next(seqs) * 2 + 1:03d}"
        with ctx.session() as s:
            person = people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17)),
                                       today=TODAY)
            posts.assign_post(s, person_id=person.id, unit_id=unit_id, role=role, slot=slot,
                              start_date=dt.date(2024, 3, 1), today=TODAY)
        ids[name] = person.id
    pre_job = _plan(ctx, township, "2026年村级站点管理员岗前培训", year=2026, kind="pre_job", role="village_manager")
    lecture = _session(ctx, pre_job, dt.date(2026, 5, 10), 3.0)
    old = _plan(ctx, township, "2025年教学辅导员培训", year=2025, kind="regular", role="township_tutor")
    old_lecture = _session(ctx, old, dt.date(2025, 9, 1), 4.0)
    with ctx.session() as s:
        training_enrolment.enrol(s, pre_job, [ids["杨一"], ids["杨二"], ids["镇管"]])
        training_enrolment.enrol(s, old, [ids["辅导"]])
        training_grid.save_grid(s, pre_job, GridChanges(
            present={(ids["杨一"], lecture): True, (ids["杨二"], lecture): True}, self_study={ids["杨二"]: 2.0},
            scores={ids["杨一"]: 80.0, ids["杨二"]: 40.0}, assessed_on=dt.date(2026, 5, 10)))
        training_grid.save_grid(s, old, GridChanges(present={(ids["辅导"], old_lecture): True}, self_study={},
                                                    scores={}))
        s.add(Certificate(kind="on_duty", number="QS2026-001", person_id=ids["杨一"], issue_date=dt.date(2026, 5, 20),
                          status="valid"))
    return Data(township, yang, ids)


def make_view(qtbot: QtBot, ctx: AppContext) -> CoverageView:
    view = CoverageView(ctx)
    qtbot.addWidget(view)
    view.set_year(2026)
    view.select_unit(None)
    view.show()
    return view


def table(view: CoverageView) -> list[list[str]]:
    return [[view.cell_text(r, c) for c in range(view.proxy.columnCount())] for r in range(view.proxy.rowCount())]


def test_coverage_of_the_office_unit(qtbot: QtBot, ctx: AppContext, data: Data) -> None:
    view = make_view(qtbot, ctx)
    assert view.title.text() == "培训覆盖情况：龙潭镇"
    assert view.coverage is not None and view.coverage.unit_id == data.township
    assert view.summary_text(view.coverage) == (
        "在岗 5 人；1 人岗前培训考核合格；2026年共培训 8 学时。 3 名站点管理员尚不具备取得上岗证书的条件（R11）。")
    assert table(view) == [
        ["辅导", "龙潭镇", "乡镇教学辅导员", "—", "0", "—", "未持有效聘任证书"],
        ["镇管", "龙潭镇", "乡镇站点管理员", "✗", "0", "✗", "岗前培训未考核、未持有效上岗证书"],
        ["李一", "龙潭镇 / 李家村", "村站点管理员 A岗", "✗", "0", "✗", "未参加岗前培训、未持有效上岗证书"],
        ["杨二", "龙潭镇 / 杨家村", "村站点管理员 B岗", "✗", "5", "✗", "岗前培训考核未通过、未持有效上岗证书"],
        ["杨一", "龙潭镇 / 杨家村", "村站点管理员 A岗", "✓", "3", "✓", ""]]
    assert view.proxy.index(4, C_PRE_JOB).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#2e7d32"
    assert view.proxy.index(3, C_LACKS).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#c62828"
    assert "color:#c62828" in view.summary.text()  # the lacking count stands out in red


def test_sorting_filtering_year_and_unit(qtbot: QtBot, ctx: AppContext, data: Data) -> None:
    view = make_view(qtbot, ctx)
    view.table.sortByColumn(C_HOURS, Qt.SortOrder.DescendingOrder)
    assert [r.name for r in view.shown_rows()][:2] == ["杨二", "杨一"]
    view.table.sortByColumn(C_CERTIFICATE, Qt.SortOrder.DescendingOrder)
    assert view.shown_rows()[0].name == "杨一"
    view.table.sortByColumn(C_NAME, Qt.SortOrder.AscendingOrder)
    view.only_lacking.setChecked(True)
    assert [r.name for r in view.shown_rows()] == ["辅导", "镇管", "李一", "杨二"]
    view.only_lacking.setChecked(False)
    assert len(view.shown_rows()) == 5

    view.set_year(2025)  # the year selector: 辅导's 2025 training counts there, nothing of 2026 does
    assert view.coverage is not None and view.coverage.year == 2025
    assert [(r.name, r.hours_this_year) for r in view.shown_rows()] == [
        ("辅导", 4.0), ("镇管", 0.0), ("李一", 0.0), ("杨二", 0.0), ("杨一", 0.0)]
    assert "2025年共培训 4 学时" in view.summary_text(view.coverage)

    view.set_year(2026)
    view.select_unit(data.yang)
    assert view.title.text() == "培训覆盖情况：杨家村"
    assert [r.name for r in view.shown_rows()] == ["杨二", "杨一"]
    assert view.summary_text(view.coverage).startswith("在岗 2 人；1 人岗前培训考核合格；2026年共培训 8 学时。")


def test_the_view_follows_changes(qtbot: QtBot, ctx: AppContext, data: Data) -> None:
    view = make_view(qtbot, ctx)
    with ctx.session() as s:
        s.add(Certificate(kind="appointment", number="QS2026-P01", person_id=data.ids["辅导"],
                          issue_date=dt.date(2026, 3, 1), status="valid"))
    ctx.notify("certificates")
    assert table(view)[0][-1] == ""  # 辅导 lacks nothing now
    view.hide()
    with ctx.session() as s:
        [post] = posts.open_posts(s, person_id=data.ids["李一"])
        posts.end_post(s, post.id, end_date=TODAY, reason="外出务工", today=TODAY)
    ctx.notify("posts")
    assert len(view.shown_rows()) == 5  # hidden: reloads when shown again
    view.show()
    assert [r.name for r in view.shown_rows()] == ["辅导", "镇管", "杨二", "杨一"]


def test_an_unknown_unit_says_so(qtbot: QtBot, ctx: AppContext, data: Data) -> None:
    view = make_view(qtbot, ctx)
    view.select_unit("no-such-unit")
    assert view.coverage is None and view.shown_rows() == []
    assert view.title.text() == "培训覆盖情况"
    assert view.summary.text()  # the service's message, not an exception


def test_screenshot_of_the_coverage_view(qtbot: QtBot, ctx: AppContext, data: Data, tmp_path: Path) -> None:
    view = make_view(qtbot, ctx)
    view.resize(1200, 520)
    qtbot.wait(10)
    assert view.grab().save(str(tmp_path / "coverage_view.png"))
