"""``remoteedu-desktop``: the GUI entry point."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__, paths
from ..errors import DatabaseError
from ..services.overview import window_summary
from .fonts import install_app_font
from .main_window import MainWindow, WindowState


def load_state() -> WindowState:
    summary = window_summary(paths.database_url())
    return WindowState(**summary.__dict__)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="remoteedu-desktop", description="远程教育骨干队伍管理")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--home", help="数据目录（默认：系统数据目录；也可用环境变量 REMOTEEDU_HOME）")
    parser.add_argument("--screenshot", help="打开主窗口，保存截图到该 PNG 文件后退出")
    args, qt_args = parser.parse_known_args(argv if argv is not None else sys.argv[1:])
    paths.set_home(args.home)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("RemoteEdu")
    install_app_font(app)  # type: ignore[arg-type]
    try:
        state = load_state()
    except DatabaseError as exc:
        QMessageBox.critical(None, "远程教育骨干队伍管理", str(exc))
        return 1
    window = MainWindow(state)
    window.show()
    if args.screenshot:
        app.processEvents()
        window.grab().save(args.screenshot)
        window.close()
        return 0
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
