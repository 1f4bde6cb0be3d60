"""The certificate settings tab (R11): number pattern with a live sample, term, issuing office, seal."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from remoteedu_desktop.services import certificate_settings
from remoteedu_desktop.ui.certificates.page import CertificatesPage
from remoteedu_desktop.ui.certificates.settings_view import SettingsView
from remoteedu_desktop.ui.context import AppContext


def make_view(qtbot: QtBot, ctx: AppContext) -> SettingsView:
    view = SettingsView(ctx)
    qtbot.addWidget(view)
    view.resize(900, 560)
    view.show()
    return view


def test_pattern_sample_follows_typing_and_a_bad_pattern_is_refused(qtbot: QtBot, ctx: AppContext) -> None:
    view = make_view(qtbot, ctx)
    assert "360499" in view.pattern_sample.text() and "SG0001" in view.pattern_sample.text()
    view.pattern_edit.setText("{county}-{year}-{kind}-{serial:05d}")
    assert "360499-" in view.pattern_sample.text() and "-SG-00001" in view.pattern_sample.text()
    view.pattern_edit.setText("{county}{year}")  # no serial: every certificate would get one number
    assert "流水号" in view.pattern_sample.text()
    assert not view.save()
    assert "流水号" in view.message.text()
    with ctx.session() as s:
        assert certificate_settings.number_pattern(s) == "{county}{year}{kind}{serial:04d}"


def test_saving_term_issuer_and_seal(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    view = make_view(qtbot, ctx)
    assert view.issuer_edit.text() == "龙潭镇" and view.term_spin.value() == 3
    seal = tmp_path / "seal.png"
    image = QImage(120, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor(200, 0, 0, 180))
    assert image.save(str(seal))
    view.choose_image = lambda: str(seal)
    view.load_seal()
    view.pattern_edit.setText("{county}{kind}{year}{serial:04d}")
    view.term_spin.setValue(5)
    view.issuer_edit.setText("龙潭镇远程教育工作站")
    assert view.save(), view.message.text()
    with ctx.session() as s:
        assert certificate_settings.term_years(s) == 5
        assert certificate_settings.issuer_name(s) == "龙潭镇远程教育工作站"
        assert certificate_settings.number_pattern(s) == "{county}{kind}{year}{serial:04d}"
        assert certificate_settings.seal(s) == seal.read_bytes()
    view.grab().save(str(tmp_path / "certificate_settings.png"))
    view.remove_seal()
    assert view.save()
    with ctx.session() as s:
        assert certificate_settings.seal(s) is None


def test_a_file_that_is_not_an_image_is_refused(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    view = make_view(qtbot, ctx)
    bad = tmp_path / "seal.png"
    bad.write_bytes(b"not an image")
    view.choose_image = lambda: str(bad)
    view.load_seal()
    assert "seal.png" in view.message.text() and view.seal_data is None and not view.seal_changed


def test_the_page_has_a_settings_tab(qtbot: QtBot, ctx: AppContext) -> None:
    page = CertificatesPage(ctx)
    qtbot.addWidget(page)
    assert page.tabs.tabText(page.tabs.count() - 1) == "证书设置"
    assert page.tabs.widget(page.tabs.count() - 1) is page.settings
