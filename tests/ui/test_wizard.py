"""The first-run wizard: county or township office through offices.init_office (R1: 6 or 9 digits),
the service's Chinese refusal shown on the page, and the demo built behind the progress dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QWizard
from pytestqt.qtbot import QtBot

from remoteedu_desktop import paths
from remoteedu_desktop.services import offices
from remoteedu_desktop.ui import wizard as wizard_module
from remoteedu_desktop.ui.context import AppContext, opened
from remoteedu_desktop.ui.main_window import MainWindow
from remoteedu_desktop.ui.wizard import PAGE_DEMO, PAGE_OFFICE, SetupWizard
from remoteedu_desktop.ui.worker import Job


@pytest.fixture(autouse=True)
def zh_cn(qapp: QApplication) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(paths.resources_dir() / "i18n" / "main_zh_CN.qm"))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def inline_jobs() -> Iterator[None]:
    """Background jobs run synchronously: deterministic widget tests."""
    Job.inline = True
    yield
    Job.inline = False


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    with opened(f"sqlite:///{tmp_path / 'w.sqlite3'}") as context:
        yield context


@pytest.fixture
def wizard(qtbot: QtBot, ctx: AppContext) -> SetupWizard:
    w = SetupWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    return w


def finish(w: SetupWizard) -> None:
    w.button(QWizard.WizardButton.FinishButton).click()


def test_sets_up_a_township_office(wizard: SetupWizard, ctx: AppContext) -> None:
    assert wizard.choice() == "township"
    wizard.next()
    assert wizard.currentId() == PAGE_OFFICE
    page = wizard.office_page
    assert page.title() == "乡镇远程办" and "9 位" in page.code_hint.text()
    assert page.county_name.isVisible()
    page.code.setText("360499100")
    page.name.setText("龙潭镇")
    page.county_name.setText("青山县")
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted
    office = ctx.office()
    assert (office.level, office.code, office.name) == ("township", "360499100", "龙潭镇")
    assert wizard.outcome() == "已设置为龙潭镇（360499100）。"
    with ctx.session() as s:
        from remoteedu_desktop.services.org_tree import org_tree

        assert [(n.kind, n.name) for n in org_tree(s)] == [("county", "青山县"), ("township", "龙潭镇")]


def test_refuses_a_bad_code_with_the_chinese_message(wizard: SetupWizard, ctx: AppContext) -> None:
    wizard.next()
    page = wizard.office_page
    page.code.setText("36049910")  # 8 digits
    page.name.setText("龙潭镇")
    finish(wizard)
    assert wizard.isVisible() and wizard.result() != QDialog.DialogCode.Accepted
    assert page.error.isVisible()
    assert page.error.text() == "【单位代码】“36049910”应为 9 位数字"
    assert not ctx.office().initialized
    page.name.setText("")
    page.code.setText("360499100")
    finish(wizard)
    assert "【单位名称】" in page.error.text() and not ctx.office().initialized
    page.name.setText("龙潭镇")
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted and ctx.office().code == "360499100"


def test_sets_up_a_county_office(wizard: SetupWizard, ctx: AppContext) -> None:
    wizard.choice_page.county.setChecked(True)
    wizard.next()
    page = wizard.office_page
    assert page.title() == "县远程办" and not page.county_name.isVisible()
    page.code.setText("360499100")  # a township's code for a county
    page.name.setText("青山县")
    finish(wizard)
    assert "6 位" in page.error.text()
    page.code.setText("360499")
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert ctx.office().level == "county"


@pytest.mark.usefixtures("inline_jobs")
def test_builds_the_demo(wizard: SetupWizard, ctx: AppContext) -> None:
    wizard.choice_page.demo.setChecked(True)
    wizard.next()
    assert wizard.currentId() == PAGE_DEMO
    wizard.demo_page.townships.setValue(1)
    wizard.demo_page.sites.setValue(2)
    changed: list[str] = []
    ctx.changed.connect(changed.append)
    finish(wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert ctx.office().name == "青山县"
    assert wizard.outcome().startswith("演示数据已生成：乡镇 1 个")
    assert {"office", "units", "people"} <= set(changed)


@pytest.mark.usefixtures("inline_jobs")
def test_a_demo_on_a_used_database_is_refused_on_the_page(wizard: SetupWizard, ctx: AppContext) -> None:
    with ctx.session() as s:
        offices.init_office(s, level="township", code="360499100", name="龙潭镇")
    wizard.choice_page.demo.setChecked(True)
    wizard.next()
    finish(wizard)
    assert wizard.result() != QDialog.DialogCode.Accepted
    assert wizard.demo_page.error.isVisible()
    assert wizard.demo_page.error.text().startswith("演示数据未能生成：")
    assert ctx.office().name == "龙潭镇"  # nothing else written


def test_the_demo_choice_is_disabled_without_the_demo_module(qtbot: QtBot, ctx: AppContext,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wizard_module, "demo_available", lambda: False)
    w = SetupWizard(ctx)
    qtbot.addWidget(w)
    assert not w.choice_page.demo.isEnabled()
    assert w.choice_page.county.isEnabled() and w.choice_page.township.isEnabled()


def test_the_main_window_opens_the_wizard_when_no_office(qtbot: QtBot, ctx: AppContext,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(self: SetupWizard) -> int:
        self.restart()
        self.next()
        self.office_page.code.setText("360499100")
        self.office_page.name.setText("龙潭镇")
        return int(QDialog.DialogCode.Accepted) if self.validateCurrentPage() else 0

    monkeypatch.setattr(SetupWizard, "exec", fake_exec)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.setup_action.isEnabled()
    window.setup_action.trigger()
    assert ctx.office().code == "360499100"
    assert window.windowTitle().endswith("龙潭镇")
    assert not window.setup_action.isEnabled()
    assert window.statusBar().currentMessage() == "已设置为龙潭镇（360499100）。"
