"""The activities page (R13, R9): the activity log filtered by the org tree's unit, year, month, channel and
text; an activity added and changed through the dialog (refusals under their field, the R4 tutor warning);
delete with a confirmation; the work-record book and the report card saved as PDF through the worker; the
equipment and fault tabs of ui/equipment created when shown, or a note while they are missing. Dialogs run
through the view's hooks: no modal loop; the UI is in Chinese."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import activities, people, posts, units
from remoteedu_desktop.services.activities import ActivityInput
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.ui.activities import page as page_module
from remoteedu_desktop.ui.activities.activities_view import (
    COL_PARTICIPANTS,
    COL_SITE,
    COL_TITLE,
    ActivitiesView,
)
from remoteedu_desktop.ui.activities.activity_dialog import ActivityDialog
from remoteedu_desktop.ui.activities.page import TAB_EQUIPMENT, TAB_FAULTS, ActivitiesPage
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


@pytest.fixture
def data(ctx: AppContext) -> dict[str, str]:
    """Two villages of 龙潭镇, a tutor in post and one whose post ended, three activities."""
    township = ctx.office().unit_id
    assert township is not None
    out: dict[str, str] = {"township": township}
    with ctx.session() as s:
        out["yang"] = units.add_unit(s, kind="village", name="杨家村", parent_id=township, code="360499100201").id
        out["li"] = units.add_unit(s, kind="village", name="李家村", parent_id=township, code="360499100202").id
        for n, (name, end) in enumerate((("王五", None), ("赵六", dt.date(2026, 3, 31)))):
            first17 = f"360499{dt.date(1980, 5, 17):%Y%m%d}{n * 2 + 1:03d}"
            person = people.add_person(s, people.PersonInput(name=name, id_number=first17 + check_digit(first17)),
                                       today=TODAY)
            post = posts.assign_post(s, person_id=person.id, unit_id=township, role="township_tutor",
                                     start_date=dt.date(2025, 1, 1), today=TODAY)
            if end is not None:
                posts.end_post(s, post.id, end_date=end, reason="调离", today=TODAY)
            out[name] = person.id
        for key, site, day, channel, title, count in (
                ("a1", "yang", dt.date(2026, 6, 5), "sci_tech_to_country", "科技下乡：油茶低改技术", 30),
                ("a2", "li", dt.date(2026, 5, 20), "online_qa", "柑橘病虫害网上答疑", 9),
                ("a3", "yang", dt.date(2025, 11, 2), "playback", "课件播放：法治宣传教育", 120)):
            out[key] = activities.add_activity(s, ActivityInput(
                site_id=out[site], date=day, channel=channel, title=title, participants=count, hours=2,
                tutor_ids=(out["王五"],) if key == "a1" else ()), today=TODAY).id
    return out


def make_view(qtbot: QtBot, ctx: AppContext) -> ActivitiesView:
    view = ActivitiesView(ctx)
    view.today = TODAY
    qtbot.addWidget(view)
    view.resize(1280, 640)
    view.show()
    view.confirm = lambda *_args: True
    return view


def driver(qtbot: QtBot, fill: Callable[[ActivityDialog], None]) -> Callable[[QDialog], int]:
    """A ``run_dialog`` that shows the dialog, fills it in and presses Save (no modal loop)."""
    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, ActivityDialog)
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog)
        dialog.accept()
        return dialog.result()
    return run


def titles(view: ActivitiesView) -> list[str]:
    return [view.proxy.index(r, COL_TITLE).data() for r in range(view.proxy.rowCount())]


def select(view: ActivitiesView, activity_id: str) -> None:
    view.select_ids({activity_id})
    assert view.current_row() is not None and view.current_row().id == activity_id  # type: ignore[union-attr]


def test_list_follows_unit_year_month_channel_and_search(qtbot: QtBot, ctx: AppContext, data: dict[str, str],
                                                         tmp_path: Path) -> None:
    view = make_view(qtbot, ctx)
    assert titles(view) == ["科技下乡：油茶低改技术", "柑橘病虫害网上答疑", "课件播放：法治宣传教育"]
    assert "3" in view.count_label.text() and "159" in view.totals_label.text()
    years = [view.year_combo.itemData(i) for i in range(view.year_combo.count())]
    assert years == [None, 2026, 2025]
    assert not view.month_combo.isEnabled()

    view.set_period(2026, 6)
    assert titles(view) == ["科技下乡：油茶低改技术"] and view.month_combo.isEnabled()
    view.set_period(None)
    view.channel_combo.setCurrentIndex(view.channel_combo.findData("online_qa"))
    assert titles(view) == ["柑橘病虫害网上答疑"]
    view.channel_combo.setCurrentIndex(0)
    view.search_edit.setText("王五")  # a tutor's name
    view.reload()
    assert titles(view) == ["科技下乡：油茶低改技术"]
    view.search_edit.clear()
    view.reload()

    view.select_unit(data["yang"])  # the org tree: one site
    assert sorted(titles(view)) == sorted(["科技下乡：油茶低改技术", "课件播放：法治宣传教育"])
    view.table.sortByColumn(COL_PARTICIPANTS, Qt.SortOrder.DescendingOrder)  # numbers sort as numbers
    assert [view.proxy.index(r, COL_PARTICIPANTS).data() for r in range(view.proxy.rowCount())] == ["120", "30"]
    view.select_unit(data["township"])
    assert len(titles(view)) == 3
    view.grab().save(str(tmp_path / "activities_view.png"))


def test_add_through_the_dialog_with_refusal_under_its_field(qtbot: QtBot, ctx: AppContext,
                                                             data: dict[str, str]) -> None:
    view = make_view(qtbot, ctx)
    view.select_unit(data["li"])  # a site chosen in the tree is the new activity's site
    notified: list[str] = []
    ctx.changed.connect(notified.append)

    def bad(dialog: ActivityDialog) -> None:
        assert dialog.site_id() == data["li"]
        dialog.title_edit.setText("送政策到村：惠农政策解读")
        dialog.hours_spin.setValue(0)

    view.run_dialog = driver(qtbot, bad)
    dialog = view.add_activity()
    assert dialog is not None and dialog.result() != QDialog.DialogCode.Accepted and dialog.saved is None
    assert "大于 0" in dialog._errors["hours"].text() and dialog._errors["hours"].isVisibleTo(dialog)
    assert notified == [] and len(titles(view)) == 1

    def good(dialog: ActivityDialog) -> None:
        dialog.set_channel("policy_to_village")
        dialog.title_edit.setText("送政策到村：惠农政策解读")
        dialog.date_edit.setDate(dialog.date_edit.date().addDays(-3))
        dialog.tutor_picker.search.setText("王五")
        item = next(dialog.tutor_picker.list.item(n) for n in range(dialog.tutor_picker.list.count())
                    if not dialog.tutor_picker.list.item(n).isHidden())
        item.setCheckState(Qt.CheckState.Checked)
        dialog.participants_spin.setValue(25)
        dialog.hours_spin.setValue(1.5)

    view.run_dialog = driver(qtbot, good)
    dialog = view.add_activity()
    assert dialog is not None and dialog.saved is not None and dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved.tutor_names == ("王五",) and dialog.saved.date == dt.date(2026, 6, 27)
    assert notified == ["activities"]
    assert "送政策到村：惠农政策解读" in titles(view)
    assert view.current_row() is not None and view.current_row().id == dialog.saved.id  # type: ignore[union-attr]
    assert "李家村" in view.message.text()


def test_edit_shows_the_r4_warning_for_a_tutor_out_of_post(qtbot: QtBot, ctx: AppContext, data: dict[str, str],
                                                           tmp_path: Path) -> None:
    """A tutor whose post ended before the day: saved, the dialog says so (R4) and offers Close."""
    view = make_view(qtbot, ctx)
    select(view, data["a1"])
    shots: list[ActivityDialog] = []

    def fill(dialog: ActivityDialog) -> None:
        assert dialog.title_edit.text() == "科技下乡：油茶低改技术"
        assert dialog.tutor_picker.person_ids() == (data["王五"],)
        dialog.tutor_picker.set_person_ids((data["王五"], data["赵六"]))
        shots.append(dialog)

    view.run_dialog = driver(qtbot, fill)
    dialog = view.edit_activity()
    assert dialog is not None and dialog.saved is not None
    assert "赵六" in dialog.warnings_text() and "R4" in dialog.warnings_text()
    assert dialog.result() != QDialog.DialogCode.Accepted  # still open, now with "Close"
    dialog.grab().save(str(tmp_path / "activity_dialog_warning.png"))
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with ctx.session() as s:
        assert set(activities.get_activity(s, data["a1"]).tutor_names) == {"王五", "赵六"}


def test_delete_asks_first(qtbot: QtBot, ctx: AppContext, data: dict[str, str]) -> None:
    view = make_view(qtbot, ctx)
    select(view, data["a2"])
    questions: list[str] = []
    view.confirm = lambda _parent, _title, text: questions.append(text) or False
    assert not view.delete_activity()
    assert len(titles(view)) == 3 and "柑橘病虫害网上答疑" in questions[0]
    view.confirm = lambda *_args: True
    assert view.delete_activity()
    assert "柑橘病虫害网上答疑" not in titles(view)
    with ctx.session() as s:
        assert len(activities.list_activities(s)) == 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_print_book_and_card_through_the_worker(qtbot: QtBot, ctx: AppContext, data: dict[str, str],
                                                tmp_path: Path) -> None:
    """The selected activity's site and month; then every site of the township (R13 paperwork)."""
    view = make_view(qtbot, ctx)
    select(view, data["a1"])
    assert view.print_actions[("book", "site")].isEnabled()
    suggested: list[str] = []

    def save_to(name: str) -> Callable[..., str]:
        def choose(_parent: object, _title: str, proposal: str) -> str:
            suggested.append(proposal)
            return str(tmp_path / name)
        return choose

    view.choose_save_path = save_to("book")  # the suffix is added
    assert view.print_documents("book", "site") is not None
    out = tmp_path / "book.pdf"
    assert out.exists() and view.last_saved == out
    text = "".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "远程教育终端接收站点工作记录簿" in text and "杨家村" in text and "2026年06月" in text
    assert "月报卡" not in text and "杨家村" in suggested[0]

    view.select_ids(set())
    view.set_period(2026, 5)
    view.choose_save_path = save_to("all.pdf")
    view.print_documents("both", "all")
    text = "".join(subprocess.run(["pdftotext", str(tmp_path / "all.pdf"), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert text.count("远程教育终端接收站点工作记录簿") == 2 and text.count("远程教育终端接收站点月报卡") == 2
    assert "柑橘病虫害网上答疑" in text and "2026年05月" in text
    assert "all.pdf" in view.message.text()

    view.choose_save_path = lambda *_args: None  # cancelled: nothing happens
    assert view.print_documents("card", "all") is None


def test_print_without_a_site_says_so(qtbot: QtBot, ctx: AppContext, data: dict[str, str]) -> None:
    view = make_view(qtbot, ctx)
    view.select_ids(set())
    assert not view.print_actions[("card", "site")].isEnabled()
    assert view.print_documents("card", "site") is None
    assert view.message.isVisibleTo(view) and view.message.text()


def test_page_tabs_follow_the_tree_and_stand_in_for_missing_views(qtbot: QtBot, ctx: AppContext,
                                                                  data: dict[str, str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(page_module.LAZY_VIEWS, TAB_FAULTS, ("remoteedu_desktop.ui.no_such_package.view", "X"))
    page = ActivitiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    assert page.tabs.count() == 3
    page.select_unit(data["yang"])
    assert page.activities.unit_id == data["yang"]
    assert sorted(page.activities.model.index(r, COL_SITE).data()
                  for r in range(page.activities.model.rowCount())) == ["杨家村", "杨家村"]
    page.show_tab(TAB_FAULTS)
    assert page.faults is None
    notes = page._holders[TAB_FAULTS].findChildren(QLabel)
    assert notes and notes[0].text()
    page.show_tab(TAB_EQUIPMENT)  # helper C's view when it is in this build, else the note
    holder = page._holders[TAB_EQUIPMENT]
    assert page.equipment is not None or holder.findChildren(QLabel)
    page.grab().save(str(tmp_path / "activities_page.png"))
    page.refresh()
