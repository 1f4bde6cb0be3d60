"""The main window on a real database: office in the status bar, navigation to every page, the org
tree, the language menu, the page registry's fallback, and the ``remoteedu-desktop`` entry point."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QSettings, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from remoteedu_desktop import paths
from remoteedu_desktop.cli import main as cli
from remoteedu_desktop.services import units
from remoteedu_desktop.ui.app import main
from remoteedu_desktop.ui.context import AppContext, opened
from remoteedu_desktop.ui.fonts import install_app_font
from remoteedu_desktop.ui.i18n import install_translators, saved_language
from remoteedu_desktop.ui.main_window import MainWindow
from remoteedu_desktop.ui.org_tree import UNIT_ID_ROLE
from remoteedu_desktop.ui.overview_page import OverviewPage
from remoteedu_desktop.ui.pages import PAGES, PageSpec, lazy_page
from remoteedu_desktop.ui.placeholder import PlaceholderPage

NOT_YET = "该功能将在后续版本提供"


@pytest.fixture(autouse=True)
def zh_cn(qapp: QApplication) -> Iterator[None]:
    """The default language: the main area's Chinese translation."""
    translator = QTranslator()
    assert translator.load(str(paths.resources_dir() / "i18n" / "main_zh_CN.qm"))
    qapp.installTranslator(translator)
    yield
    qapp.removeTranslator(translator)


@pytest.fixture(autouse=True)
def settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings in tmp_path: no test reads or writes the user's own settings."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    yield folder
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])


@pytest.fixture
def township(tmp_path: Path) -> Iterator[AppContext]:
    """龙潭镇 township office with two village sites and nobody on their posts yet."""
    home = tmp_path / "h"
    assert cli(["--home", str(home), "init", "--level", "township", "--code", "360499100", "--name", "龙潭镇",
                "--county-name", "青山县"]) == 0
    paths.set_home(home)
    with opened(paths.database_url()) as ctx:
        with ctx.session() as s:
            office = ctx.office()
            assert office.unit_id is not None
            units.add_unit(s, kind="village", name="石桥村", parent_id=office.unit_id, code="360499100201",
                           sort_order=1)
            units.add_unit(s, kind="village", name="下湾村", parent_id=office.unit_id, code="360499100202",
                           sort_order=2)
        yield ctx


@pytest.fixture
def window(qtbot: QtBot, township: AppContext) -> MainWindow:
    win = MainWindow(township)
    qtbot.addWidget(win)
    win.show()
    return win


def labels_text(win: MainWindow) -> str:
    return " ".join(w.text() for w in win.statusBar().findChildren(QLabel))


def test_main_window_shows_office_in_title_status_bar_and_overview(window: MainWindow, township: AppContext,
                                                                   tmp_path: Path) -> None:
    assert window.windowTitle() == "远程教育骨干队伍管理 — 龙潭镇"
    status = labels_text(window)
    assert "乡镇远程办" in status and "360499100" in status and "龙潭镇" in status
    assert str(tmp_path / "h") in status and "数据库" in status
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage) and window.stack.currentWidget() is overview
    assert overview.office_label.text() == "龙潭镇"
    assert overview.counts["sites"].text() == "2"
    assert overview.counts["vacant_slots"].text() == "4"
    overview.wait_for_figures()
    assert overview.tiles["sites_staffed"].value.text() == "0/2"  # no A/B managers yet (R3)
    texts = overview.warning_texts()
    assert any(t.startswith("[R2] 龙潭镇：") for t in texts)  # no township managers yet
    assert "[R3] 石桥村：A岗空缺" in texts
    assert not window.setup_action.isEnabled()  # the office is set up already


def test_every_navigation_entry_switches_the_page(window: MainWindow) -> None:
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["概览", "站点", "人员档案", "培训", "证书", "活动与设备", "年度考评", "同步", "报表"]
    for row, spec in enumerate(PAGES):
        window.nav.setCurrentRow(row)
        page = window.page(spec.key)
        assert page is not None and window.stack.currentWidget() is page, spec.key
        assert window.current_key() == spec.key
    from remoteedu_desktop.ui.reports.page import ReportsPage

    assert isinstance(window.page("reports"), ReportsPage), "every page of the roadmap is built"
    assert window.show_page("overview") is window.page("overview")
    assert window.nav.currentRow() == 0
    assert window.stack.count() == len(PAGES)  # each page created once


def test_org_tree_shows_county_township_sites(window: MainWindow) -> None:
    model = window.tree.model
    assert model.rowCount() == 1
    county = model.item(0)
    assert county.text() == "青山县"
    township = county.child(0)
    assert township.text() == "龙潭镇"
    sites = [township.child(i).text() for i in range(township.rowCount())]
    assert sites == ["石桥村（缺A/B岗）", "下湾村（缺A/B岗）"]
    assert "A/B岗空缺" in township.child(0).toolTip()
    assert window.tree.view.isExpanded(window.tree.proxy.mapFromSource(township.index()))  # one township: open


def test_selecting_a_unit_narrows_the_pages(window: MainWindow) -> None:
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)
    everything = len(overview.warning_texts())
    site_id = window.tree.model.item(0).child(0).child(0).data(UNIT_ID_ROLE)
    window.tree.select_unit(site_id)
    assert window.selected_unit() == site_id
    assert [t.split("：")[0] for t in overview.warning_texts()] == ["[R3] 石桥村", "[R3] 石桥村"]
    assert overview.warnings_title.text() == "石桥村的规则提醒：2 条"
    window.select_unit(None)
    assert window.selected_unit() is None
    assert len(overview.warning_texts()) == everything
    # a page created after the selection gets it too
    window.select_unit(site_id)
    window.show_page("training")
    assert window.selected_unit() == site_id


def test_double_clicking_a_warning_opens_its_unit_on_the_sites_page(qtbot: QtBot, window: MainWindow) -> None:
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)
    item = overview.warnings.topLevelItem(0)
    unit_id = item.data(0, Qt.ItemDataRole.UserRole)
    rect = overview.warnings.visualItemRect(item)
    qtbot.mouseClick(overview.warnings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(overview.warnings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_key() == "sites")
    assert window.selected_unit() == unit_id
    assert window.tree.selected_unit() == unit_id


def test_tree_filter_finds_units_by_name_or_code(window: MainWindow) -> None:
    window.tree.filter_edit.setText("下湾")
    proxy = window.tree.proxy
    township = proxy.index(0, 0, proxy.index(0, 0, QModelIndex()))
    assert proxy.rowCount(township) == 1
    assert proxy.index(0, 0, township).data() == "下湾村（缺A/B岗）"
    window.tree.filter_edit.setText("360499100201")
    assert proxy.index(0, 0, township).data() == "石桥村（缺A/B岗）"


def test_a_change_elsewhere_reloads_tree_and_overview(qtbot: QtBot, window: MainWindow,
                                                      township: AppContext) -> None:
    office = township.office()
    with township.session() as s:
        units.add_unit(s, kind="village", name="枫树村", parent_id=office.unit_id, code="360499100203",
                       sort_order=3)
    township.notify("units")
    qtbot.waitUntil(lambda: "枫树村（缺A/B岗）" in [window.tree.model.item(0).child(0).child(i).text()
                                                   for i in range(window.tree.model.item(0).child(0).rowCount())])
    overview = window.page("overview")
    assert isinstance(overview, OverviewPage)
    assert overview.counts["sites"].text() == "3"
    overview.wait_for_figures()
    assert overview.tiles["sites_staffed"].value.text() == "0/3"


def test_language_menu_stores_the_choice(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *a: shown.append(text))
    assert window.language_actions["zh_CN"].isChecked()
    window.language_actions["en"].trigger()
    assert QSettings().value("ui/language") == "en"
    assert saved_language() == "en"
    assert window.language_actions["en"].isChecked()
    assert len(shown) == 1 and "重新启动" in shown[0] and "English" in shown[0]
    window.language_actions["zh_CN"].trigger()
    assert saved_language() == "zh_CN"


def test_about_names_the_office(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, title, text: shown.append(title + text))
    window.about_action.trigger()
    assert "关于" in shown[0] and "龙潭镇" in shown[0] and "版本" in shown[0]


def test_window_on_an_empty_database_offers_the_setup(qtbot: QtBot, tmp_path: Path) -> None:
    with opened(f"sqlite:///{tmp_path / 'e.sqlite3'}") as ctx:
        win = MainWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        assert "尚未设置单位" in labels_text(win)
        assert win.setup_action.isEnabled()
        overview = win.page("overview")
        assert isinstance(overview, OverviewPage)
        assert overview.setup_button.isVisible()
        assert win.tree.model.rowCount() == 0


# --- the page registry ------------------------------------------------------------------------------

def test_a_page_module_that_does_not_exist_falls_back_to_a_placeholder(township: AppContext) -> None:
    spec = PageSpec("x", "Sites", lazy_page("remoteedu_desktop.ui.no_such_area.page", "NoSuchPage"))
    page = spec.create(township)
    assert isinstance(page, PlaceholderPage)
    assert not page.detail_label.text()


def test_a_page_failing_to_import_shows_why_but_other_errors_propagate(
        township: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "half_built_page.py").write_text("import no_such_dependency_xyz\n", encoding="utf-8")
    (tmp_path / "broken_page.py").write_text("raise RuntimeError('bug in the page')\n", encoding="utf-8")
    (tmp_path / "failing_page.py").write_text(
        "class FailingPage:\n    def __init__(self, ctx):\n        raise ValueError('bad page')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("half_built_page", "broken_page", "failing_page"):
        monkeypatch.delitem(sys.modules, name, raising=False)

    page = PageSpec("a", "Sites", lazy_page("half_built_page", "Page")).create(township)
    assert isinstance(page, PlaceholderPage)
    assert "no_such_dependency_xyz" in page.detail_label.text()
    with pytest.raises(RuntimeError, match="bug in the page"):
        PageSpec("b", "Sites", lazy_page("broken_page", "Page")).create(township)
    with pytest.raises(ValueError, match="bad page"):
        PageSpec("c", "Sites", lazy_page("failing_page", "FailingPage")).create(township)


# --- the entry point --------------------------------------------------------------------------------

@pytest.fixture
def app_state(qapp: QApplication) -> Iterator[None]:
    """``main()`` installs the saved language's translators on the shared QApplication: undo that."""
    locale = QLocale()
    yield
    install_translators(qapp, "en")  # removes what main() installed
    QLocale.setDefault(locale)


def test_bundled_font_covers_demo_names(qapp: QApplication) -> None:
    family = install_app_font(qapp)
    assert family is not None
    metrics = QFontMetrics(QFont(family))
    for ch in "远程教育骨干队伍管理喆堃玥昇珺婧燚":
        assert metrics.inFontUcs4(ord(ch)), ch
    assert family in QFontDatabase.families()


@pytest.mark.usefixtures("app_state")
def test_screenshot_entry(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert cli(["--home", str(home), "init", "--level", "county", "--code", "360499", "--name", "青山县"]) == 0
    shot = tmp_path / "main.png"
    assert main(["--home", str(home), "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 1000
    assert QCoreApplication.organizationName() == "RemoteEdu"
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"  # zh_CN by default


@pytest.mark.usefixtures("app_state")
def test_a_damaged_database_is_refused_with_a_chinese_message(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / paths.DB_FILENAME).write_bytes(b"this is not a database" * 100)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a: shown.append(text))
    assert main(["--home", str(home), "--screenshot", str(tmp_path / "x.png")]) == 1
    assert len(shown) == 1 and "数据库" in shown[0]
    assert not (tmp_path / "x.png").exists()


@pytest.mark.usefixtures("app_state")
def test_start_without_an_office_runs_the_wizard_then_shows_the_window(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> None:
    from remoteedu_desktop.ui.wizard import SetupWizard

    seen: list[str] = []
    monkeypatch.setattr(SetupWizard, "exec", lambda self: seen.append("wizard") or 0)  # the clerk cancels

    def fake_exec() -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.append(f"window:{len(windows)}")
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    assert main(["--home", str(tmp_path / "h")]) == 0
    assert seen == ["wizard", "window:1"]


def test_an_open_fault_shows_on_the_overview_with_its_age(qtbot: QtBot, township: AppContext) -> None:
    """Issue 7, item 2 (R9): open faults and the age of the oldest one on the overview, listed with the warnings."""
    import datetime as dt

    from sqlalchemy import select

    from remoteedu_desktop.data.models import OrgUnit
    from remoteedu_desktop.services import faults

    with township.session() as s:
        site_id = s.scalar(select(OrgUnit.id).where(OrgUnit.name == "石桥村"))
        assert site_id is not None
        faults.report_fault(s, faults.FaultReport(site_id=site_id, reported_at=dt.datetime.now() - dt.timedelta(days=5),
                                                  reported_by="张三", description="接收机无信号"))
    win = MainWindow(township)
    qtbot.addWidget(win)
    win.show()
    overview = win.page("overview")
    assert isinstance(overview, OverviewPage)
    overview.wait_for_figures()
    assert overview.tiles["open_faults"].value.text() == "1 件"
    assert "5 天" in overview.tiles["open_faults"].detail.text()  # the oldest one's age
    assert any(t.startswith("[R9] ") and "石桥村" in t and "接收机无信号" in t for t in overview.warning_texts()), overview.warning_texts()


def test_file_settings_opens_the_settings_dialog(qtbot: QtBot, window: MainWindow,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 item 5: File → Settings… opens the settings dialog on this office."""
    from remoteedu_desktop.ui.settings.dialog import SettingsDialog

    opened: list[SettingsDialog] = []

    def fake_exec(dialog: SettingsDialog) -> int:
        opened.append(dialog)
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", fake_exec)
    window.settings_action.trigger()
    assert opened and opened[0].name_edit.text() == "龙潭镇"


def test_file_menu_backup_and_restore_open_their_dialogs(qtbot: QtBot, window: MainWindow,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 item 3: File → Back up to USB… and Restore from backup… open their dialogs."""
    from remoteedu_desktop.ui.backups.dialogs import BackupToDialog, RestoreDialog

    opened: list[str] = []
    monkeypatch.setattr(BackupToDialog, "exec", lambda self: opened.append("backup") or 0)
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: opened.append("restore") or 0)
    window.backup_action.trigger()
    window.restore_action.trigger()
    assert opened == ["backup", "restore"]
