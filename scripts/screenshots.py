"""Screenshots of every page of the main window on a demo database, offscreen, at 1366×768.

    python scripts/screenshots.py OUTDIR [--home DIR] [--language zh_CN|en] [--townships N --sites N]

Builds the demo database in ``--home`` (a temporary folder by default) unless
the office there is already set up, then opens the main window, visits every
page of the navigation and saves ``OUTDIR/<key>.png``. It also saves the
first-run wizard on an empty database (``wizard_*.png``). Used to look at the
screens after a change: truncated text, empty boxes instead of Chinese
characters, broken layouts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from remoteedu_desktop import paths  # noqa: E402
from remoteedu_desktop.ui.app import (  # noqa: E402
    APPLICATION,
    ORGANIZATION,
    SCREEN_SIZE,
    open_context,
)
from remoteedu_desktop.ui.context import AppContext  # noqa: E402
from remoteedu_desktop.ui.fonts import install_app_font  # noqa: E402
from remoteedu_desktop.ui.i18n import install_translators  # noqa: E402
from remoteedu_desktop.ui.main_window import MainWindow  # noqa: E402
from remoteedu_desktop.ui.pages import PAGES  # noqa: E402
from remoteedu_desktop.ui.wizard import SetupWizard  # noqa: E402


def settle(app: QCoreApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def ready(app: QCoreApplication, page: QWidget | None) -> None:
    """Pages that load in a worker: wait for their figures; the reports page: build the first report."""
    from PySide6.QtCore import QThreadPool

    wait = getattr(page, "wait_for_figures", None)
    if callable(wait):
        wait()
    build = getattr(page, "build", None)
    if callable(build) and type(page).__name__ == "ReportsPage":
        build()
        QThreadPool.globalInstance().waitForDone(20000)
    settle(app, 20)


def save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def build_demo(ctx: AppContext, townships: int, sites: int) -> None:
    from remoteedu_desktop.services import demo

    with ctx.session() as session:
        steps = demo.demo_steps(session, townships=townships, sites=sites, seed=1)
        for done, total, text in steps:
            print(f"[{done}/{total}] {text}", flush=True)


def main_window_shots(app: QApplication, out: Path, home: Path, townships: int, sites: int) -> None:
    paths.set_home(home)
    ctx = open_context()
    try:
        if not ctx.office().initialized:
            build_demo(ctx, townships, sites)
        window = MainWindow(ctx)
        window.resize(*SCREEN_SIZE)
        window.show()
        settle(app)
        for spec in PAGES:
            page = window.show_page(spec.key)
            settle(app)
            ready(app, page)
            save(window, out / f"{spec.key}.png")
        # The overview narrowed to the first township, as a clerk sees it after a click in the tree.
        township = next((uid for uid in window.tree.unit_ids() if "镇" in window.tree.item_text(uid)), None)
        if township is not None:
            window.show_page("overview")
            window.select_unit(township)
            settle(app)
            ready(app, window.page("overview"))
            save(window, out / "overview_township.png")
        certificate_shots(app, window, ctx, out)
        window.close()
        window.deleteLater()
        settle(app)
    finally:
        ctx.db.dispose()


def certificate_shots(app: QApplication, window: MainWindow, ctx: AppContext, out: Path) -> None:
    """The register tab, the template editor with its live preview, and one issued certificate as
    printed (the frozen PDF rendered by QtPdf at 100 dpi)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument
    from sqlalchemy import select

    from remoteedu_desktop.data.models import Certificate
    from remoteedu_desktop.services import certificate_print, certificate_templates
    from remoteedu_desktop.ui.cert_templates.template_editor import TemplateEditorDialog

    window.select_unit(None)
    page = window.show_page("certificates")
    page.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    settle(app, 20)
    save(window, out / "certificates_register.png")
    page.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]
    with ctx.session() as session:
        template = certificate_templates.default_template(session, "appointment")
        cert_id = session.scalar(select(Certificate.id).where(Certificate.kind == "on_duty")
                                 .order_by(Certificate.number))
        pdf = certificate_print.frozen_pdf(session, cert_id) if cert_id else None
    editor = TemplateEditorDialog(ctx, template.id)
    editor.resize(*SCREEN_SIZE)
    editor.show()
    settle(app, 20)
    app.processEvents()
    save(editor, out / "template_editor.png")
    editor.reject()
    editor.deleteLater()
    if pdf is not None:
        data = QByteArray(pdf)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        doc = QPdfDocument()
        doc.load(buffer)
        size = doc.pagePointSize(0)
        image = doc.render(0, QSize(round(size.width() * 100 / 72), round(size.height() * 100 / 72)))
        path = out / "certificate_on_duty.png"
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
        print(path)


def wizard_shots(app: QApplication, out: Path) -> None:
    with tempfile.TemporaryDirectory() as empty:
        paths.set_home(empty)
        ctx = open_context()
        try:
            wizard = SetupWizard(ctx)
            wizard.show()
            settle(app)
            save(wizard, out / "wizard_choice.png")
            wizard.next()
            wizard.office_page.code.setText("36049910")
            wizard.office_page.name.setText("龙潭镇")
            wizard.next()  # refused: 8 digits
            settle(app)
            save(wizard, out / "wizard_township_error.png")
            wizard.back()
            wizard.choice_page.demo.setChecked(True)
            wizard.next()
            settle(app)
            save(wizard, out / "wizard_demo.png")
            wizard.close()
            wizard.deleteLater()
            settle(app)
        finally:
            ctx.db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--home", help="data folder with (or for) the demo database; default: a temporary one")
    parser.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    parser.add_argument("--townships", type=int, default=6)
    parser.add_argument("--sites", type=int, default=10)
    args = parser.parse_args()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)

    app = QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    with tempfile.TemporaryDirectory() as settings_dir:
        # The screenshots never read or change the user's own settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
        install_app_font(app)
        install_translators(app, args.language)
        if args.home:
            main_window_shots(app, out, Path(args.home), args.townships, args.sites)
        else:
            with tempfile.TemporaryDirectory() as home:
                main_window_shots(app, out, Path(home), args.townships, args.sites)
        wizard_shots(app, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
