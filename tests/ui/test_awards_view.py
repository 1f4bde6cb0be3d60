"""The award campaigns view (R14): a new campaign, nominations seeded from the ranking with the ineligible
ones marked and not approvable, the quota on approvals, a manual nominee, closing with the document number
(awards written into the archive, the campaign frozen), the honour certificates, the award list and the
Excel export through the worker, and screenshots under tmp_path (and /tmp/step6/G when it exists).

Dialogs go through the view's ``run_dialog`` hook and jobs run inline: no modal loop. The UI is in Chinese.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from remoteedu_desktop.data.models import Certificate, Evaluation, EvaluationRound, Rubric
from remoteedu_desktop.services import awards, people, person_views, posts, units
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.awards.awards_view import (
    N_ELIGIBLE,
    N_NAME,
    N_NOTE,
    N_STATUS,
    AddNomineeDialog,
    AwardsView,
    CloseCampaignDialog,
    NewCampaignDialog,
)
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

TODAY = dt.date(2026, 6, 30)
ON = dt.date(2026, 1, 20)
DOC = "青远教字〔2026〕1号"
SHOTS = Path("/tmp/step6/G") if Path("/tmp/step6/G").is_dir() else None
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def _id_number() -> str:
    first17 = f"36049919800517{next(_seq) * 2 + 1:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def ids(ctx: AppContext) -> dict[str, str]:
    """龙潭镇: four village managers evaluated in 2025 (one without a certificate, one graded 不合格) and a
    technician; the evaluation rows as the scoring service leaves them."""
    with ctx.session() as s:
        township_id = ctx.office().unit_id
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township_id, code="360499100201")
        li = units.add_unit(s, kind="village", name="李家村", parent_id=township_id, code="360499100202")
        found = {key: people.add_person(s, people.PersonInput(name=name, id_number=_id_number())).id
                 for key, name in (("best", "王喆"), ("second", "李四"), ("nocert", "孙八"), ("fail", "周九"),
                                   ("tech", "褚三"))}
        for key, unit, slot in (("best", yang.id, "A"), ("second", yang.id, "B"), ("nocert", li.id, "A"),
                                ("fail", li.id, "B")):
            posts.assign_post(s, person_id=found[key], unit_id=unit, role="village_manager", slot=slot,
                              start_date=dt.date(2024, 3, 1), today=TODAY)
        posts.assign_post(s, person_id=found["tech"], unit_id=township_id, role="technician",
                          start_date=dt.date(2024, 3, 1), today=TODAY)
        for n, key in enumerate(("best", "second", "fail", "tech")):
            s.add(Certificate(kind="appointment" if key == "tech" else "on_duty", number=f"36049920240{n:03d}",
                              person_id=found[key], issue_date=dt.date(2024, 6, 1), valid_until=dt.date(2027, 5, 31),
                              status="valid"))
        rnd = EvaluationRound(year=2025, name="2025年度考评", status="closed")
        s.add(rnd)
        s.flush()
        rubric = Rubric(round_id=rnd.id, target="site_manager", name="站点管理员", version=1)
        tech_rubric = Rubric(round_id=rnd.id, target="technician", name="技术服务员", version=1)
        s.add_all([rubric, tech_rubric])
        s.flush()
        for key, total, grade, rank, unfit in (("best", 95.0, "excellent", 1, False), ("nocert", 92.0, "excellent", 2,
                                                                                        False),
                                               ("second", 88.0, "pass", 3, False), ("fail", 50.0, "fail", 4, True)):
            s.add(Evaluation(round_id=rnd.id, rubric_id=rubric.id, person_id=found[key], unit_id=township_id,
                             total=total, grade=grade, rank_county=rank, unfit=unfit))
        s.add(Evaluation(round_id=rnd.id, rubric_id=tech_rubric.id, person_id=found["tech"], unit_id=township_id,
                         total=85.0, grade="pass", rank_county=1))
    return found


def make_view(qtbot: QtBot, ctx: AppContext) -> AwardsView:
    view = AwardsView(ctx)
    qtbot.addWidget(view)
    view.today = TODAY
    view.resize(1366, 760)
    view.show()
    return view


def driver(qtbot: QtBot, fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    def run(dialog: QDialog) -> int:
        dialog.show()
        fill(dialog)
        return dialog.result()
    return run


def shoot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    QApplication.processEvents()
    image = widget.grab()
    path = tmp_path / f"{name}.png"
    assert image.save(str(path))
    if SHOTS is not None:
        image.save(str(SHOTS / f"{name}.png"))
    return path


def shown(view: AwardsView, column: int) -> dict[str, str]:
    proxy = view.nomination_proxy
    return {str(proxy.data(proxy.index(r, N_NAME))): str(proxy.data(proxy.index(r, column)))
            for r in range(proxy.rowCount())}


def open_campaign(view: AwardsView, qtbot: QtBot, tmp_path: Path, *, quota: int = 1) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, NewCampaignDialog)
        assert dialog.year_spin.value() == 2025  # last year's evaluation by default
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("excellent_manager"))
        dialog.quota_spin.setValue(quota)
        shoot(dialog, tmp_path, "awards_new_campaign")
        dialog.accept()

    view.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    view.new_campaign()


def test_campaign_seed_approve_and_quota(ctx: AppContext, qtbot: QtBot, ids: dict[str, str], tmp_path: Path) -> None:
    """R14: seeded in ranking order (2 × quota), the ineligible marked red and not approvable, quota kept."""
    view = make_view(qtbot, ctx)
    assert not view.seed_button.isEnabled()
    open_campaign(view, qtbot, tmp_path, quota=1)
    chosen = view.campaign()
    assert chosen is not None and chosen.name == "2025年度优秀站点管理员评选" and chosen.quota == 1
    assert view.message.text() == "已新建评选“2025年度优秀站点管理员评选”。"
    assert view.seed_button.isEnabled() and not view.close_button.isEnabled()

    view.seed()
    assert [r.name for r in view.nominations()] == ["王喆", "孙八"]
    assert shown(view, N_ELIGIBLE) == {"王喆": "✓", "孙八": "✗"}
    assert shown(view, N_NOTE)["孙八"] == "不符合条件：2025年末无有效上岗证书"
    assert view.message.text() == "已按考评排名提名 2 名（其中 1 名不符合条件，以红色标出）。"
    assert view.count_label.text() == "提名 2 名，符合条件 1 名，已批准 0 名；名额 1"

    view.select_nominees({"孙八"})
    assert not view.approve_button.isEnabled()  # ineligible: never approvable
    assert view.reject_button.isEnabled()
    view.select_nominees({"王喆"})
    assert view.approve_button.isEnabled()
    view.note_edit.setText("党委会研究同意")
    view.approve_button.click()
    assert shown(view, N_STATUS)["王喆"] == "已批准"
    assert view.campaign().approved == 1  # type: ignore[union-attr]
    assert view.close_button.isEnabled()
    shoot(view, tmp_path, "awards_view")

    def add(dialog: QDialog) -> None:
        assert isinstance(dialog, AddNomineeDialog)
        dialog.choose(ids["second"])
        shoot(dialog, tmp_path, "awards_add_nominee")
        dialog.accept()

    view.run_dialog = driver(qtbot, add)  # type: ignore[method-assign]
    view.add_nominee()
    assert shown(view, N_ELIGIBLE)["李四"] == "✓"
    view.select_nominees({"李四"})
    view.approve_button.click()  # beyond the quota of 1: refused, said in red
    assert "名额 1 名已满" in view.message.text()
    assert "c62828" in view.message.styleSheet()
    assert shown(view, N_STATUS)["李四"] == "待审批"
    view.reject_button.click()
    assert shown(view, N_STATUS)["李四"] == "未批准"


def test_closing_writes_the_archive_and_freezes_the_campaign(ctx: AppContext, qtbot: QtBot, ids: dict[str, str],
                                                              tmp_path: Path) -> None:
    """R10/R14: closing with the document number writes the award; afterwards every change button is off."""
    view = make_view(qtbot, ctx)
    open_campaign(view, qtbot, tmp_path, quota=2)
    view.seed()
    view.select_nominees({"王喆", "李四"})
    view.approve_button.click()
    assert shown(view, N_STATUS) == {"王喆": "已批准", "孙八": "待审批", "李四": "已批准", "周九": "待审批"}

    def refuse_then_close(dialog: QDialog) -> None:
        assert isinstance(dialog, CloseCampaignDialog)
        dialog.accept()  # no document number: refused in the dialog
        assert "不能为空" in dialog.error.text() and dialog.isVisible()
        dialog.document_edit.setText(DOC)
        dialog.date_edit.setDate(QDate(2026, 1, 20))
        shoot(dialog, tmp_path, "awards_close")
        dialog.accept()

    view.run_dialog = driver(qtbot, refuse_then_close)  # type: ignore[method-assign]
    view.close_campaign()
    chosen = view.campaign()
    assert chosen is not None and chosen.closed and chosen.awarded == 2
    assert view.message.text() == "“2025年度优秀站点管理员评选”已结束：2 项表彰已记入档案。"
    for button in (view.seed_button, view.add_button, view.approve_button, view.reject_button, view.close_button):
        assert not button.isEnabled()
    with ctx.session() as s:
        history = person_views.person_history(s, ids["best"])
    assert [(a.title, a.document_no, a.awarded_on) for a in history.awards] == [("2025年度优秀站点管理员", DOC, ON)]
    shoot(view, tmp_path, "awards_closed")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_certificates_list_and_export(ctx: AppContext, qtbot: QtBot, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.session() as s:
        c = awards.open_campaign(s, 2025, "excellent_technician", quota=1)
        row = awards.add_nomination(s, c.id, person_id=ids["tech"], today=TODAY)
        awards.decide(s, row.id, True, on=ON, today=TODAY)
        awards.close_campaign(s, c.id, document_no=DOC, awarded_on=ON)
    view = make_view(qtbot, ctx)
    assert view.campaign() is not None and view.campaign().kind == "excellent_technician"  # type: ignore[union-attr]
    assert view.certificates_button.isEnabled() and view.list_button.isEnabled()
    asked: list[str] = []

    def chooser(suffix: str) -> Callable[[QWidget, str, str], str]:
        def choose(_parent: QWidget, _title: str, suggested: str) -> str:
            asked.append(suggested)
            return str(tmp_path / f"out{len(asked)}")  # no suffix: added
        return choose

    view.choose_pdf = chooser(".pdf")  # type: ignore[method-assign]
    view.choose_xlsx = chooser(".xlsx")  # type: ignore[method-assign]
    view.save_certificates()
    assert view.last_saved == tmp_path / "out1.pdf"
    out = subprocess.run(["pdftotext", str(tmp_path / "out1.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout.replace(" ", "")
    assert "荣誉证书" in out and "褚三同志：" in out and "被评为优秀技术服务员" in out and "二〇二六年一月二十日" in out
    view.save_award_list()
    listing = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out2.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "2025年度优秀技术服务员表彰名单" in listing and DOC in listing and "褚三" in listing
    view.export_xlsx()
    assert view.last_saved == tmp_path / "out3.xlsx"
    ws = load_workbook(tmp_path / "out3.xlsx")["表彰名单"]
    assert [c.value for c in ws[4]] == [1, "褚三", "龙潭镇", "技术服务员", "优秀技术服务员"]
    assert asked == ["2025年度优秀技术服务员荣誉证书.pdf", "2025年度优秀技术服务员表彰名单.pdf",
                     "2025年度优秀技术服务员表彰名单.xlsx"]
    assert "out3.xlsx" in view.message.text()
    if SHOTS is not None:
        for name in ("out1", "out2"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / f"{name}.pdf"),
                            str(SHOTS / f"ui_{name}")], check=False)


def test_a_failed_save_says_so(ctx: AppContext, qtbot: QtBot, ids: dict[str, str], tmp_path: Path) -> None:
    with ctx.session() as s:
        c = awards.open_campaign(s, 2025, "excellent_technician", quota=1)
        row = awards.add_nomination(s, c.id, person_id=ids["tech"], today=TODAY)
        awards.decide(s, row.id, True, on=ON, today=TODAY)
    view = make_view(qtbot, ctx)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    view.choose_xlsx = lambda *_args: str(blocker / "x.xlsx")  # type: ignore[method-assign]
    view.export_xlsx()
    assert "无法写入" in view.message.text() and view.last_saved is None
    assert not os.path.exists(blocker / "x.xlsx")


def test_seeding_runs_in_the_background(ctx: AppContext, qtbot: QtBot, ids: dict[str, str], tmp_path: Path) -> None:
    """The checks read the whole year's evaluation: they run on the worker thread, the table follows."""
    with ctx.session() as s:
        awards.open_campaign(s, 2025, "excellent_manager", quota=2)
    view = make_view(qtbot, ctx)
    Job.inline = False
    try:
        job = view.seed()
        assert job is not None
        qtbot.waitUntil(lambda: len(view.nominations()) == 4, timeout=20000)
    finally:
        Job.inline = True
    assert [r.name for r in view.nominations()] == ["王喆", "孙八", "李四", "周九"]
    assert view.message.text() == "已按考评排名提名 4 名（其中 2 名不符合条件，以红色标出）。"
