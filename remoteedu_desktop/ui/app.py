"""``remoteedu-desktop``: the GUI entry point.

Sets the names QSettings uses, installs the bundled CJK font and the saved
language's translations, opens the database (a damaged or too-new file is
refused with a Chinese message), runs the first-run wizard when this
computer's office is not set up yet, and shows the main window.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from .. import __version__, logs, paths
from ..data.database import Database, open_database
from ..errors import DatabaseError
from ..services import settings_schema
from ..services.backups import daily_backup_if_due
from .context import AppContext
from .errors import ErrorReporter, install_error_handlers
from .fonts import install_app_font
from .i18n import install_translators
from .login import login_if_required
from .main_window import MainWindow

ORGANIZATION = "RemoteEdu"
APPLICATION = "RemoteEdu Desktop"
SCREEN_SIZE = (1366, 768)  # the township PCs' usual screen; screenshots use it too


def open_context() -> AppContext:
    """Open (migrating if needed) the database in the data directory; raises DatabaseError."""
    db: Database = open_database(paths.database_url(), backup_dir=settings_schema.backup_folder())
    return AppContext(db)


def app_title() -> str:
    return QCoreApplication.translate("App", "Remote Education Backbone Teams")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="remoteedu-desktop", description="远程教育骨干队伍管理")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="数据目录（默认：系统数据目录；也可用环境变量 REMOTEEDU_HOME）")
    parser.add_argument("--screenshot", help="打开主窗口，保存截图到该 PNG 文件后退出")
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时文件夹中打开数据库、主窗口并生成证书 PDF，全部通过时退出码为 0")
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    if args.self_test:  # issue 9 item 1: the same check the built bundle runs
        from ..selftest import run_self_test

        return run_self_test(qt_args)
    paths.set_home(args.home)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    logs.setup_logging(paths.data_dir())  # issue 9 item 4: logs/remoteedu.log, rotated, no personal data
    logging.getLogger(__name__).info("start %s, data folder %s", __version__, paths.data_dir())
    reporter = install_error_handlers()  # unexpected errors: logged, Chinese message, diagnostic zip
    try:
        return _open_and_run(app, args, reporter)
    finally:
        reporter.uninstall()  # tests call main() more than once in one process
        logs.shutdown_logging()


def _open_and_run(app: QApplication, args: argparse.Namespace, reporter: ErrorReporter) -> int:
    install_app_font(app)
    install_translators(app)
    try:
        ctx = open_context()
    except DatabaseError as exc:
        logging.getLogger(__name__).error("database cannot be opened: %s", exc)
        QMessageBox.critical(None, app_title(), QCoreApplication.translate(
            "App", "The database cannot be opened:\n{0}").format(exc))
        return 1
    reporter.ctx = ctx  # the diagnostic zip then holds the schema revision and row counts
    if not login_if_required(ctx):  # issue 10 item 5: asked only when the database has an active account
        ctx.db.dispose()
        return 0
    with ctx.session() as session:
        settings_schema.migrate_settings(session)  # issue 9 item 5: stored settings up to this version
    daily_backup_if_due(ctx.db)  # issue 9 item 3: first start of the day; logs and carries on if it fails
    try:
        window = MainWindow(ctx)
        window.resize(*SCREEN_SIZE)
        if args.screenshot:
            window.show()
            app.processEvents()
            wait = getattr(window.page("overview"), "wait_for_figures", None)
            if callable(wait):  # the overview's figures load in a worker: shoot them, not the blank tiles
                wait()
                app.processEvents()
            window.grab().save(args.screenshot)
            window.close()
            return 0
        window.restore_layout()
        if not ctx.office().initialized:
            from .wizard import SetupWizard

            wizard = SetupWizard(ctx)
            if wizard.exec() == QDialog.DialogCode.Accepted:
                message = wizard.outcome()
                QTimer.singleShot(0, lambda: window.statusBar().showMessage(message, 15000))
        window.show()
        QTimer.singleShot(0, window.show_reminders)  # issue 8 item 4: what needs attention, after start
        return app.exec()
    finally:
        ctx.db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
