"""The certificates page (R11): eligibility rows and reasons for a seeded township, issuing to all eligible
through the preview dialog, the register's search and filters, revoke (refused without a reason), reissue
and renew with their trail, and screenshots of every tab and dialog (under tmp_path, and REMOTEEDU_SHOTS if set).

Dialogs run through the views' ``run_dialog`` hooks and jobs inline: no modal loop. The UI is in Chinese.
``world`` and ``issued`` are imported by test_certificates_dialogs.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.models import Certificate, CertificateSerial, Enrolment
from remoteedu_desktop.services import (
    certificate_eligibility,
    certificate_issue,
    people,
    posts,
    training_enrolment,
    training_plans,
    units,
)
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.services.progress import run_to_end
from remoteedu_desktop.ui.certificates.eligibility_view import E_ELIGIBLE, E_NAME
from remoteedu_desktop.ui.certificates.issue_dialog import IssueDialog
from remoteedu_desktop.ui.certificates.page import TAB_ELIGIBILITY, TAB_REGISTER, CertificatesPage
from remoteedu_desktop.ui.certificates.preview_dialog import PreviewDialog
from remoteedu_desktop.ui.certificates.register_model import R_NUMBER, R_STATUS
from remoteedu_desktop.ui.certificates.status_dialogs import ReissueDialog, RenewDialog, RevokeDialog
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.pages import page_spec
from remoteedu_desktop.ui.worker import Job

SHOTS = os.environ.get("REMOTEEDU_SHOTS")  #: a folder to copy the screenshots to, for a look
START = dt.date(2024, 3, 1)
PLAN_TITLE = "2026年龙潭镇村级站点管理员岗前培训"


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


@dataclass
class World:
    township_id: str
    village_id: str
    ids: dict[str, str]  #: short name → person id


_seq = itertools.count(1)


def _id_number(female: bool) -> str:
    seq = next(_seq) * 2 + (0 if female else 1)
    first17 = f"36049919800517{seq:03d}"
    return first17 + check_digit(first17)


@pytest.fixture
def world(ctx: AppContext) -> World:
    """龙潭镇 with 杨家村 and 欧阳家村: a manager who passed the pre-job training, one who failed, one never
    trained, a tutor, a technician, and a township manager with a long name."""
    with ctx.session() as s:
        township_id = ctx.office().unit_id
        assert township_id is not None
        yang = units.add_unit(s, kind="village", name="杨家村", parent_id=township_id, code="360499100201")
        ouyang = units.add_unit(s, kind="village", name="欧阳家村", parent_id=township_id, code="360499100202")

        def person(name: str, female: bool = False) -> str:
            return people.add_person(s, people.PersonInput(name=name, id_number=_id_number(female))).id

        ids = {"passed": person("王喆"), "failed": person("李四", True), "untrained": person("钱七"),
               "tutor": person("孙玥", True), "tech": person("周八"), "township": person("欧阳娜娜", True)}

        def post(key: str, unit: str, role: str, slot: str | None = None) -> None:
            posts.assign_post(s, person_id=ids[key], unit_id=unit, role=role, slot=slot, start_date=START)

        post("passed", yang.id, "village_manager", "A")
        post("failed", yang.id, "village_manager", "B")
        post("untrained", ouyang.id, "village_manager", "A")
        post("tutor", township_id, "township_tutor")
        post("tech", township_id, "technician")
        post("township", township_id, "township_manager")
        plan = training_plans.add_plan(s, training_plans.PlanInput(
            title=PLAN_TITLE, year=2026, organizer_level="township", organizer_unit_id=township_id,
            target_role="village_manager", target_level="village", topics=("1", "2"), kind="pre_job",
            mode="lecture", start_date=dt.date(2026, 5, 6), end_date=dt.date(2026, 5, 8)))
        training_enrolment.enrol(s, plan.id, [ids["passed"], ids["failed"], ids["township"]])
        results = {ids["passed"]: (86.0, True), ids["failed"]: (41.0, False), ids["township"]: (90.5, True)}
        for e in s.scalars(select(Enrolment)):
            e.score, e.passed = results[e.person_id]
            e.assessed_on = dt.date(2026, 5, 8)
        return World(township_id, yang.id, ids)


@pytest.fixture
def issued(ctx: AppContext, world: World) -> dict[str, str]:
    """Everyone eligible got a certificate through the service: person key → certificate id."""
    with ctx.session() as s:
        rows = certificate_eligibility.eligibility(s)
        items = certificate_issue.preview_issue(s, [r for r in rows if r.eligible], issue_date=dt.date(2026, 7, 1))
        ids = run_to_end(certificate_issue.issue(s, items))
    by_person = dict(zip((i.person_id for i in items), ids, strict=True))
    return {key: by_person[pid] for key, pid in world.ids.items() if pid in by_person}


def make_page(qtbot: QtBot, ctx: AppContext) -> CertificatesPage:
    page = CertificatesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 740)
    page.show()
    for view in (page.eligibility, page.register):
        view.confirm = lambda *_args: False  # type: ignore[method-assign]
    return page


def driver(qtbot: QtBot, fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A ``run_dialog`` that shows the dialog, acts on it (no modal loop) and returns its result."""
    def run(dialog: QDialog) -> int:
        if dialog.parent() is None:  # a child goes with its page
            qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog)
        return dialog.result()
    return run


def shoot(widget: QWidget, tmp_path: Path, name: str) -> Path:
    """Save a screenshot under tmp_path and, when REMOTEEDU_SHOTS names a folder, there too."""
    QApplication.processEvents()  # pending layout requests: labels set just before get their size
    image = widget.grab()
    path = tmp_path / f"{name}.png"
    assert image.save(str(path))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        image.save(str(Path(SHOTS) / f"{name}.png"))
    return path


def cell(view: QWidget, row: int, column: int) -> str:
    proxy = view.proxy  # type: ignore[attr-defined]
    return str(proxy.data(proxy.index(row, column)))


# -- the page in the window ----------------------------------------------------------------------------

def test_the_window_gets_the_page(ctx: AppContext, qtbot: QtBot) -> None:
    page = page_spec("certificates").create(ctx)
    qtbot.addWidget(page)
    assert isinstance(page, CertificatesPage)


# -- eligibility -----------------------------------------------------------------------------------------

def test_eligibility_rows_and_reasons(ctx: AppContext, qtbot: QtBot, world: World, tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    view = page.eligibility
    rows = {r.name: r for r in view.rows()}
    assert set(rows) == {"王喆", "李四", "钱七", "孙玥", "周八", "欧阳娜娜"}
    shown = {cell(view, n, E_NAME): cell(view, n, E_ELIGIBLE) for n in range(view.proxy.rowCount())}
    assert shown["王喆"] == "✓" and shown["孙玥"] == "✓" and shown["周八"] == "✓" and shown["欧阳娜娜"] == "✓"
    assert shown["李四"] == "岗前培训未通过考核"
    assert shown["钱七"] == "未参加岗前培训"
    assert rows["王喆"].training == PLAN_TITLE and rows["孙玥"].kind == "appointment"
    assert "4" in view.count_label.text() and "6" in view.count_label.text()
    shoot(page, tmp_path, "tab_eligibility")

    view.only_eligible.setChecked(True)
    assert {r.name for r in view.rows()} == {"王喆", "孙玥", "周八", "欧阳娜娜"}
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("appointment"))
    assert {r.name for r in view.rows()} == {"孙玥", "周八"}

    view.only_eligible.setChecked(False)
    view.kind_combo.setCurrentIndex(0)
    page.select_unit(world.village_id)  # the org tree: only 杨家村
    assert {r.name for r in view.rows()} == {"王喆", "李四"}
    assert not view.issue_selected_button.isEnabled()  # nothing selected
    view.select_people({"李四"})
    assert not view.issue_selected_button.isEnabled()  # not eligible
    view.select_people({"王喆", "李四"})
    assert view.issue_selected_button.isEnabled()


def test_issue_all_eligible_through_the_dialog(ctx: AppContext, qtbot: QtBot, world: World,
                                               tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    view = page.eligibility
    seen: dict[str, object] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, IssueDialog)
        dialog.set_issue_date(dt.date(2026, 7, 1))
        assert dialog.term_spin.isVisible()  # tutors and technicians: an appointment term
        dialog.term_spin.setValue(3)
        items = {i.name: i for i in dialog.items}
        assert set(items) == {"王喆", "孙玥", "周八", "欧阳娜娜"}
        assert items["孙玥"].term_start == dt.date(2026, 7, 1) and items["孙玥"].valid_until is not None
        assert items["王喆"].valid_until is None
        seen["numbers"] = {i.number for i in dialog.items}
        shoot(dialog, tmp_path, "dialog_issue")
        dialog.buttons.accepted.emit()

    view.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    dialog = view.issue_all()
    assert dialog is not None and len(dialog.issued_ids) == 4
    with ctx.session() as s:
        certs = list(s.scalars(select(Certificate)))
    assert {c.number for c in certs} == seen["numbers"]  # the preview's numbers are the issued ones
    assert all(c.status == "valid" and c.pdf_sha256 and c.snapshot_json for c in certs)
    assert "4" in view.message.text()
    # Issued: nobody is eligible any more; the reason names the certificate held.
    rows = {r.name: r for r in view.rows()}
    assert not rows["王喆"].eligible and rows["王喆"].holds_number in seen["numbers"]  # type: ignore[operator]
    assert not view.issue_all_button.isEnabled()


def test_issue_to_selected_then_preview_the_new_ones(ctx: AppContext, qtbot: QtBot, world: World) -> None:
    page = make_page(qtbot, ctx)
    view = page.eligibility
    view.confirm = lambda *_args: True  # type: ignore[method-assign]
    pages: list[int] = []

    def fill(dialog: QDialog) -> None:
        if isinstance(dialog, IssueDialog):
            assert [i.name for i in dialog.items] == ["王喆"]  # 李四 is not eligible and is left out
            assert not dialog.term_spin.isVisible()  # on-duty only: no term
            dialog.buttons.accepted.emit()
        else:
            assert isinstance(dialog, PreviewDialog)
            pages.append(dialog.page_count())

    view.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    view.select_people({"王喆", "李四"})
    dialog = view.issue_selected()
    assert dialog is not None and len(dialog.issued_ids) == 1
    assert pages == [1]  # the clerk said yes: the new certificate's preview
    assert "1" in view.message.text()


def test_cancelling_the_issue_dialog_writes_nothing(ctx: AppContext, qtbot: QtBot, world: World) -> None:
    page = make_page(qtbot, ctx)
    view = page.eligibility
    view.run_dialog = driver(qtbot, lambda d: d.reject())  # type: ignore[method-assign]
    view.select_people({"王喆"})
    dialog = view.issue_selected()
    assert dialog is not None and dialog.issued_ids == []
    with ctx.session() as s:
        assert s.scalars(select(Certificate)).first() is None


def test_cancel_during_the_issue_rolls_everything_back(ctx: AppContext, qtbot: QtBot, world: World,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def start_then_cancel(job: Job) -> None:  # the clerk presses Cancel when two certificates are done
        job.signals.progress.connect(lambda done, _total, _text: job.cancel() if done >= 2 else None)
        job.run()

    monkeypatch.setattr(Job, "start", start_then_cancel)
    dialog = IssueDialog(ctx, [r for r in _eligibility(ctx) if r.eligible], today=dt.date(2026, 7, 1))
    qtbot.addWidget(dialog)
    assert len(dialog.items) == 4
    dialog.issue()
    assert dialog.issued_ids == [] and dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.error.isHidden() and dialog.ok_button.isEnabled()
    with ctx.session() as s:
        assert s.scalars(select(Certificate)).first() is None
        assert s.scalars(select(CertificateSerial)).first() is None or all(
            c.last_serial == 0 for c in s.scalars(select(CertificateSerial)))  # no number taken


def _eligibility(ctx: AppContext) -> list[certificate_eligibility.Eligibility]:
    with ctx.session() as s:
        return certificate_eligibility.eligibility(s)


# -- the register ---------------------------------------------------------------------------------------

def test_register_search_and_filters(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                     tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    assert len(view.rows()) == 4
    assert view.year_combo.findData(2026) > 0
    shoot(page, tmp_path, "tab_register")

    view.search_edit.setText("欧阳")
    qtbot.waitUntil(lambda: len(view.rows()) == 1, timeout=2000)  # after the debounce
    assert view.rows()[0].name == "欧阳娜娜"
    number = view.rows()[0].number
    view.search_edit.setText(number)
    view.reload()
    assert [r.number for r in view.rows()] == [number]
    view.search_edit.setText("")
    view.reload()
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("appointment"))
    assert {r.name for r in view.rows()} == {"孙玥", "周八"}
    view.kind_combo.setCurrentIndex(0)
    view.status_combo.setCurrentIndex(view.status_combo.findData("revoked"))
    assert view.rows() == []
    view.status_combo.setCurrentIndex(0)
    view.year_combo.setCurrentIndex(view.year_combo.findData(2026))
    assert len(view.rows()) == 4


def test_export_the_register_to_excel(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                      tmp_path: Path) -> None:
    from openpyxl import load_workbook

    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("appointment"))
    target = tmp_path / "register"
    view.choose_export_path = lambda *_args: str(target)  # type: ignore[method-assign]
    assert view.export() is not None
    book = load_workbook(target.with_suffix(".xlsx"))
    sheet = book.worksheets[0]
    assert sheet.max_row == 1 + 2  # header and the two appointment certificates (the filter applies)
    names = {str(c.value) for row in sheet.iter_rows(min_row=2) for c in row}
    assert {"孙玥", "周八"} <= names and "王喆" not in names
    assert str(target.with_suffix(".xlsx")) in view.message.text()


def test_revoke_needs_a_reason_then_changes_the_status(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                                       tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.confirm = lambda *_args: True  # type: ignore[method-assign]
    view.select_ids({issued["passed"]})
    assert view.revoke_button.isEnabled() and not view.renew_button.isEnabled()  # on-duty: no term to renew
    results: list[bool] = []

    def empty_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, RevokeDialog)
        results.append(dialog.apply())
        assert dialog.error.isVisible() and "原因" in dialog.error.text()
        shoot(dialog, tmp_path, "dialog_revoke_refused")
        dialog.reject()

    view.run_dialog = driver(qtbot, empty_reason)  # type: ignore[method-assign]
    view.revoke()
    assert results == [False]
    with ctx.session() as s:
        assert s.get(Certificate, issued["passed"]).status == "valid"  # type: ignore[union-attr]

    def with_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, RevokeDialog)
        dialog.reason_edit.setText("离岗后拒不交回证书")
        results.append(dialog.apply())

    view.run_dialog = driver(qtbot, with_reason)  # type: ignore[method-assign]
    view.revoke()
    assert results == [False, True]
    with ctx.session() as s:
        cert = s.get(Certificate, issued["passed"])
        assert cert is not None and cert.status == "revoked" and cert.status_reason == "离岗后拒不交回证书"
    row = next(r for r in view.rows() if r.id == issued["passed"])
    n = next(i for i in range(view.proxy.rowCount()) if cell(view, i, R_NUMBER) == row.number)
    assert cell(view, n, R_STATUS) == "已吊销"
    assert "已吊销" in view.message.text() or row.number in view.message.text()


def test_reissue_links_old_and_new(ctx: AppContext, qtbot: QtBot, issued: dict[str, str], tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    view.confirm = confirm  # type: ignore[method-assign]
    view.select_ids({issued["tutor"]})
    old = view.current_row()
    assert old is not None

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ReissueDialog)
        assert dialog.mode == "exchange"
        dialog.reason_edit.setText("证书污损")
        shoot(dialog, tmp_path, "dialog_reissue")
        dialog.apply()

    view.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    dialog = view.reissue("exchange")
    assert dialog is not None and dialog.new_id is not None
    rows = {r.id: r for r in view.rows()}
    new = rows[dialog.new_id]
    assert asked and old.number in asked[0] and new.number in asked[0]  # "旧证 … 新证编号 …"
    assert rows[old.id].status == "replaced" and rows[old.id].replaced_by_number == new.number
    assert new.replaces_number == old.number and new.status == "valid"


def test_renew_an_appointment(ctx: AppContext, qtbot: QtBot, issued: dict[str, str]) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.confirm = lambda *_args: True  # type: ignore[method-assign]
    view.select_ids({issued["tech"]})
    assert view.renew_button.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, RenewDialog)
        dialog.years_spin.setValue(2)
        assert dialog.apply()

    view.run_dialog = driver(qtbot, fill)  # type: ignore[method-assign]
    dialog = view.renew()
    assert dialog is not None and dialog.new_id is not None
    new = next(r for r in view.rows() if r.id == dialog.new_id)
    assert new.kind == "appointment" and new.term_start is not None and new.valid_until is not None
    assert new.valid_until.year - new.term_start.year in (1, 2)


def test_detail_shows_frozen_values_and_trail(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                              tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.select_ids({issued["township"]})
    shown: list[QDialog] = []

    def look(dialog: QDialog) -> None:
        shown.append(dialog)
        shoot(dialog, tmp_path, "dialog_detail")

    view.run_dialog = driver(qtbot, look)  # type: ignore[method-assign]
    dialog = view.show_detail()
    assert dialog is not None and shown
    assert dialog.detail.values["name"] == "欧阳娜娜"
    assert dialog.detail.code.startswith("RE1-")
    assert dialog.trail_table.rowCount() >= 1


def test_the_page_shows_every_tab(ctx: AppContext, qtbot: QtBot, issued: dict[str, str], tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        shoot(page, tmp_path, f"tab_{index}")
    page.tabs.setCurrentIndex(TAB_ELIGIBILITY)
    assert page.eligibility.rows()
