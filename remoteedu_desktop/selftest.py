"""``--self-test``: does this build of the program work on this computer? (issue 9 item 1)

Run as ``RemoteEdu --self-test`` (the bundle), ``remoteedu-desktop --self-test`` or
``python -m remoteedu_desktop.selftest`` (a source checkout). In a temporary folder, never the
clerk's data folder or settings, it

1. checks the bundled fonts and translations load,
2. imports every module of the program (a module PyInstaller missed fails here, not at a clerk's desk),
3. opens a new database (all migrations run),
4. builds a small demo county (units, people, posts, training, certificates),
5. opens the main window offscreen and visits every page, with and without a unit selected,
6. reprints a certificate as PDF (same bytes as at issue, R11; fonts embedded),

then prints one line per step and exits 0. Any failure prints the step and the reason in Chinese
and English and exits 1. A windowed program on Windows has no console: there the lines go to
``%TEMP%\\RemoteEdu-selftest.txt`` (run ``start /wait RemoteEdu.exe --self-test`` for the exit code).

Pages are visited with ``Job.inline`` (work runs in the UI thread, as in the tests) so that the run is
deterministic; an exception raised in a slot or a message box opened during the run fails the test.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

PACKAGE = "remoteedu_desktop"
#: Alembic's env.py runs migrations when imported: loaded by Alembic from disk, never imported here.
SKIPPED_MODULES = (f"{PACKAGE}.data.migrations",)
REPORT_FILE = "RemoteEdu-selftest.txt"
DEMO_SIZE = {"townships": 1, "sites": 2, "seed": 1}


class SelfTestFailure(Exception):
    """A check that did not hold, with its reason in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


@dataclass
class _State:
    """What the steps hand each other."""

    folder: Path
    app: Any = None
    db: Any = None
    ctx: Any = None
    cert_id: str = ""
    pdf: bytes = b""
    slot_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


# --- the steps -------------------------------------------------------------------------------


def check_resources(state: _State) -> str:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from . import paths
    from .ui.fonts import install_app_font

    missing = [p for p in paths.font_paths() if not p.is_file()]
    if missing:
        raise SelfTestFailure(f"缺少字体文件：{', '.join(map(str, missing))}",
                              f"font files missing: {', '.join(map(str, missing))}")
    family = install_app_font(state.app)
    if not family:
        raise SelfTestFailure("内置字体无法加载", "the bundled fonts cannot be loaded")
    qms = sorted((paths.resources_dir() / "i18n").glob("*_zh_CN.qm"))
    if not qms:
        raise SelfTestFailure(f"{paths.resources_dir() / 'i18n'} 中没有中文界面翻译（*_zh_CN.qm）",
                              f"no Chinese UI translations (*_zh_CN.qm) in {paths.resources_dir() / 'i18n'}")
    bad = [qm.name for qm in qms if not QTranslator().load(str(qm))]
    if bad:
        raise SelfTestFailure(f"翻译文件无法加载：{', '.join(bad)}", f"translations cannot be loaded: {', '.join(bad)}")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator().load(QLocale("zh_CN"), "qtbase", "_", qt_dir):
        raise SelfTestFailure(f"缺少 Qt 自带的中文翻译 qtbase_zh_CN.qm（{qt_dir}）",
                              f"Qt's own Chinese translation qtbase_zh_CN.qm is missing ({qt_dir})")
    from .ui.i18n import install_translators

    install_translators(state.app, "zh_CN")
    check_qt_runtime()
    return f"{family}; {len(qms)} 个翻译 / translations"


def check_qt_runtime() -> None:
    """The native platform plugin is there (a clerk's PC does not run offscreen), and Qt's ICU data
    sorts Chinese by pinyin (the Linux bundle carries ICU's zh/en data only, installer/slim_icu.py)."""
    from PySide6.QtCore import QCollator, QCoreApplication, QLocale

    native = {"win32": "qwindows", "darwin": "qcocoa"}.get(sys.platform, "qxcb")
    folders = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    if not any(f.name.split(".")[0].removeprefix("lib") == native for d in folders if d.is_dir() for f in d.iterdir()):
        raise SelfTestFailure(f"缺少 Qt 平台插件 {native}（{', '.join(map(str, folders))}）",
                              f"Qt's platform plugin {native} is missing ({', '.join(map(str, folders))})")
    names = ["张", "李", "王", "安"]
    ordered = sorted(names, key=QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China)).sortKey)
    if ordered != ["安", "李", "王", "张"]:
        raise SelfTestFailure(f"中文排序不对（{''.join(ordered)}），Qt 的 ICU 数据不完整",
                              f"Chinese collation is wrong ({''.join(ordered)}): Qt's ICU data is incomplete")


def program_modules() -> list[str]:
    """Every module of the program, migrations excepted."""
    package = importlib.import_module(PACKAGE)
    names = [PACKAGE]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{PACKAGE}."):
        if not info.name.startswith(SKIPPED_MODULES):
            names.append(info.name)
    return names


def import_modules(state: _State) -> str:
    names = program_modules()
    if len(names) < 20:  # the package has well over a hundred: walking it went wrong
        raise SelfTestFailure(f"只找到 {len(names)} 个程序模块，程序文件不完整",
                              f"only {len(names)} program modules found: the program is incomplete")
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            raise SelfTestFailure(f"模块 {name} 无法导入：{type(exc).__name__}: {exc}",
                                  f"module {name} cannot be imported: {type(exc).__name__}: {exc}") from exc
    return f"{len(names)} 个模块 / modules"


def open_temporary_database(state: _State) -> str:
    from .data.database import open_database
    from .ui.context import AppContext

    state.db = open_database(f"sqlite:///{(state.folder / 'selftest.sqlite3').as_posix()}")
    state.ctx = AppContext(state.db)
    return str(state.folder / "selftest.sqlite3")


def build_demo(state: _State) -> str:
    from .services import demo

    with state.ctx.session() as session:
        summary = demo.generate_demo(session, **DEMO_SIZE)
    if not summary.certificates:
        raise SelfTestFailure("演示数据中没有证书", "the demo data holds no certificate")
    return f"{summary.people} 人 / people, {summary.certificates} 本证书 / certificates"


def visit_pages(state: _State) -> str:
    from PySide6.QtWidgets import QApplication

    from .ui.main_window import MainWindow
    from .ui.pages import PAGES
    from .ui.placeholder import PlaceholderPage

    window = MainWindow(state.ctx)
    try:
        window.resize(1366, 768)
        window.show()
        QApplication.processEvents()
        units = window.tree.unit_ids()
        if len(units) < 2:
            raise SelfTestFailure(f"组织树只有 {len(units)} 个单位", f"the org tree holds {len(units)} units only")
        for spec in PAGES:
            page = window.show_page(spec.key)
            QApplication.processEvents()
            if isinstance(page, PlaceholderPage):
                detail = page.detail_label.text() or spec.key
                raise SelfTestFailure(f"页面“{spec.title}”不可用：{detail}",
                                      f"page {spec.key!r} is not available: {detail}")
            for unit in (units[1], units[-1], None):
                window.select_unit(unit)
                QApplication.processEvents()
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()
            QApplication.processEvents()
            if window.grab().isNull():
                raise SelfTestFailure(f"页面“{spec.title}”无法绘制", f"page {spec.key!r} cannot be drawn")
            _raise_collected(state, spec.key)
        return f"{len(PAGES)} 个页面 / pages"
    finally:
        window.close()
        window.deleteLater()
        QApplication.processEvents()


def _raise_collected(state: _State, where: str) -> None:
    if state.slot_errors:
        raise SelfTestFailure(f"页面 {where} 出错：{state.slot_errors[0]}", f"error on page {where}: {state.slot_errors[0]}")
    if state.dialogs:
        raise SelfTestFailure(f"页面 {where} 弹出了提示框：{state.dialogs[0]}",
                              f"page {where} opened a message box: {state.dialogs[0]}")


def certificate_pdf(state: _State) -> str:
    from .services import certificate_print, certificate_register

    with state.ctx.session() as session:
        rows = certificate_register.register(session)
        if not rows:
            raise SelfTestFailure("证书登记簿为空", "the certificate register is empty")
        state.cert_id = rows[0].id
        state.pdf = certificate_print.frozen_pdf(session, state.cert_id)  # same bytes as at issue (R11)
    check_pdf(state.pdf)
    file = state.folder / "certificate.pdf"
    file.write_bytes(state.pdf)
    fonts = pdffonts_check(file)
    return f"{len(state.pdf) // 1024} KB, {rows[0].number}" + (f"; pdffonts: {fonts}" if fonts else "")


def check_pdf(pdf: bytes) -> None:
    """A whole PDF with its TrueType font embedded (ReportLab writes the subset as /FontFile2)."""
    if not pdf.startswith(b"%PDF-"):
        raise SelfTestFailure("生成的证书不是 PDF 文件", "the certificate produced is not a PDF file")
    if b"%%EOF" not in pdf[-64:]:
        raise SelfTestFailure("证书 PDF 不完整（缺少结尾）", "the certificate PDF is truncated (no %%EOF)")
    if b"/FontFile2" not in pdf:
        raise SelfTestFailure("证书 PDF 没有嵌入字体", "the certificate PDF has no embedded font (/FontFile2)")


def pdffonts_check(file: Path) -> str:
    """With poppler's pdffonts installed (never in the bundle): every font embedded. '' without it."""
    tool = shutil.which("pdffonts")
    if not tool:
        return ""
    out = subprocess.run([tool, str(file)], capture_output=True, text=True, timeout=60, check=False).stdout
    lines = out.splitlines()
    if len(lines) < 3 or "emb" not in lines[0]:
        raise SelfTestFailure(f"pdffonts 无法读取证书 PDF：{out.strip()[:200]}",
                              f"pdffonts cannot read the certificate PDF: {out.strip()[:200]}")
    column = lines[0].index("emb")
    fonts = [line for line in lines[2:] if line.strip()]
    not_embedded = [line.split()[0] for line in fonts if line[column:column + 3] != "yes"]
    if not_embedded:
        raise SelfTestFailure(f"证书 PDF 中这些字体没有嵌入：{', '.join(not_embedded)}",
                              f"fonts not embedded in the certificate PDF: {', '.join(not_embedded)}")
    return f"{len(fonts)} 个字体均已嵌入 / fonts, all embedded"


Step = Callable[[_State], str]
def accounts_and_server_driver(state: _State) -> str:
    """Password hashing (scrypt, issue 10 item 5) and the PostgreSQL driver (item 1) work in this build."""
    from .data.engine import make_engine
    from .services import accounts

    stored = accounts.hash_password("自检密码-selftest", cost=accounts.KdfCost(n=2**10, r=8, p=1))
    if not accounts.verify_password("自检密码-selftest", stored) or accounts.verify_password("wrong", stored):
        raise SelfTestFailure("账户密码校验不正确", "password hashing does not verify")
    engine = make_engine("postgresql+psycopg://selftest@127.0.0.1:1/selftest")  # no connection is made
    try:
        driver = engine.dialect.driver
        engine.dialect.loaded_dbapi  # noqa: B018 - imports the driver module
    except Exception as exc:
        raise SelfTestFailure(f"PostgreSQL 驱动不可用：{exc}", f"the PostgreSQL driver is missing: {exc}") from exc
    finally:
        engine.dispose()
    return f"scrypt, PostgreSQL: {driver}"


STEPS: tuple[tuple[str, str, Step], ...] = (
    ("字体和翻译", "fonts and translations", check_resources),
    ("导入全部模块", "import every module", import_modules),
    ("打开临时数据库（迁移）", "open a temporary database (migrations)", open_temporary_database),
    ("生成演示数据", "build demo data", build_demo),
    ("打开主窗口并访问每个页面", "open the main window and visit every page", visit_pages),
    ("生成证书 PDF", "produce a certificate PDF", certificate_pdf),
    ("账户密码和服务器驱动", "account passwords and the server driver", accounts_and_server_driver),
)


# --- running them ----------------------------------------------------------------------------


@contextmanager
def _isolated(folder: Path) -> Iterator[None]:
    """Data folder and QSettings in *folder*: the self-test never reads or writes the clerk's own."""
    from PySide6.QtCore import QSettings

    from . import paths

    previous_format = QSettings.defaultFormat()
    settings = str(folder / "settings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # on Windows the native format is the registry
    paths.set_home(folder / "home")
    try:
        yield
    finally:
        # The self-test ends the program; a later --home (or a test's fixture) sets the folder again.
        paths.set_home(None)
        QSettings.setDefaultFormat(previous_format)


@contextmanager
def _watched(state: _State) -> Iterator[None]:
    """Collect exceptions raised in Qt slots (PySide prints them and goes on) and close any message box
    (a modal loop would hang an unattended run); both fail the step."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .ui.worker import Job

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        state.slot_errors.append(f"{exc_type.__name__}: {exc}")
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr if sys.stderr else None)

    def close_modal() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            return
        text = widget.text() if isinstance(widget, QMessageBox) else ""
        state.dialogs.append(f"{widget.windowTitle()} {text}".strip() or type(widget).__name__)
        widget.close()

    timer = QTimer()
    timer.setInterval(200)
    timer.timeout.connect(close_modal)
    timer.start()
    previous_hook, previous_inline = sys.excepthook, Job.inline
    sys.excepthook = hook
    Job.inline = True
    try:
        yield
    finally:
        timer.stop()
        sys.excepthook = previous_hook
        Job.inline = previous_inline


def _application(qt_args: Sequence[str]) -> Any:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication([sys.argv[0] if sys.argv else "remoteedu", *qt_args])
    app.setOrganizationName("RemoteEdu")
    app.setApplicationName("RemoteEdu Desktop")
    return app


def _output() -> tuple[TextIO, Path | None]:
    """stdout, or a report file in the temp folder when there is none (a windowed program on Windows)."""
    if sys.stdout is not None:
        return sys.stdout, None
    file = Path(tempfile.gettempdir()) / REPORT_FILE
    return file.open("w", encoding="utf-8"), file


def run_self_test(qt_args: Sequence[str] = (), *, out: TextIO | None = None,
                  steps: Sequence[tuple[str, str, Step]] = STEPS) -> int:
    """Run every step; 0 when all passed, 1 (with the reason printed in Chinese and English) otherwise."""
    report_file: Path | None = None
    if out is None:
        out, report_file = _output()

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    from . import __version__

    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    say(f"RemoteEdu 自检 / self-test {__version__} ({frozen}, Python {sys.version.split()[0]}, {sys.platform})")
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="remoteedu-selftest-"))
    state = _State(folder=folder)
    code = 0
    try:
        state.app = _application(qt_args)
        with _isolated(folder), _watched(state):
            for number, (zh, en, step) in enumerate(steps, 1):
                t0 = time.perf_counter()
                try:
                    detail = step(state)
                    _raise_collected(state, en)
                except SelfTestFailure as exc:
                    say(f"[失败 FAIL] {number}. {zh} / {en}")
                    say(f"自检失败：{zh}——{exc.zh}")
                    say(f"SELF-TEST FAILED: {en}: {exc.en}")
                    code = 1
                    break
                except Exception as exc:
                    traceback.print_exc(file=sys.stderr if sys.stderr else out)
                    say(f"[失败 FAIL] {number}. {zh} / {en}")
                    say(f"自检失败：{zh}——意外错误 {type(exc).__name__}: {exc}")
                    say(f"SELF-TEST FAILED: {en}: unexpected {type(exc).__name__}: {exc}")
                    code = 1
                    break
                say(f"[通过 ok] {number}. {zh} / {en} ({time.perf_counter() - t0:.1f} s) {detail}")
    except Exception as exc:  # the application itself could not start
        traceback.print_exc(file=sys.stderr if sys.stderr else out)
        say(f"自检失败：程序无法启动——{type(exc).__name__}: {exc}")
        say(f"SELF-TEST FAILED: the program cannot start: {type(exc).__name__}: {exc}")
        code = 1
    finally:
        if state.db is not None:
            state.db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    if code == 0:
        say(f"自检通过 / SELF-TEST PASSED ({time.perf_counter() - started:.1f} s)")
    if report_file is not None:
        out.close()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m remoteedu_desktop.selftest [Qt options]``."""
    return run_self_test(list(argv if argv is not None else sys.argv[1:]))


if __name__ == "__main__":
    raise SystemExit(main())
