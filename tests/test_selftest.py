"""The self-test (``--self-test``) in-process: it passes on a working program and fails, with a Chinese and
an English reason and exit code 1, when something is broken. The PyInstaller build itself is run by
scripts/build_bundle.sh, never here."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from remoteedu_desktop import paths, selftest
from remoteedu_desktop.selftest import SelfTestFailure, check_pdf, run_self_test
from remoteedu_desktop.services import certificate_print
from remoteedu_desktop.ui.worker import Job


@pytest.fixture(autouse=True)
def settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings in tmp_path before and after: nothing reaches the user's own settings."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    yield folder
    QCoreApplication.setOrganizationName(names[0])
    QCoreApplication.setApplicationName(names[1])


def test_self_test_passes_and_leaves_nothing_behind(qapp: QApplication, _isolated_home: Path,
                                                    tmp_path: Path) -> None:
    out = io.StringIO()
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("remoteedu-selftest-*"))

    code = run_self_test(out=out)

    text = out.getvalue()
    assert code == 0, text
    for number in range(1, len(selftest.STEPS) + 1):
        assert f"[通过 ok] {number}." in text
    assert "自检通过 / SELF-TEST PASSED" in text and "FAIL" not in text
    assert "9 个页面 / pages" in text
    assert not _isolated_home.exists() or not any(_isolated_home.iterdir())  # the clerk's folder untouched
    assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob("remoteedu-selftest-*")) == before
    assert Job.inline is False and QSettings.defaultFormat() == QSettings.Format.NativeFormat


def test_a_bad_certificate_pdf_fails_with_both_languages(qapp: QApplication,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_print, "frozen_pdf", lambda session, cert_id: b"<html>not a pdf</html>")
    out = io.StringIO()

    assert run_self_test(out=out) == 1

    lines = out.getvalue().splitlines()
    assert "[失败 FAIL] 6. 生成证书 PDF / produce a certificate PDF" in lines
    assert "自检失败：生成证书 PDF——生成的证书不是 PDF 文件" in lines
    assert "SELF-TEST FAILED: produce a certificate PDF: the certificate produced is not a PDF file" in lines
    assert not any("PASSED" in line for line in lines)


def test_missing_font_stops_at_the_first_step(qapp: QApplication, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setattr(paths, "font_paths", lambda: (tmp_path / "LXGWWenKai-Regular.ttf",))
    out = io.StringIO()

    assert run_self_test(out=out) == 1

    text = out.getvalue()
    assert "[失败 FAIL] 1. 字体和翻译 / fonts and translations" in text
    assert "缺少字体文件" in text and "font files missing" in text and "LXGWWenKai-Regular.ttf" in text
    assert "[通过 ok] 2." not in text  # nothing after the failure runs


def test_an_unexpected_error_and_a_slot_exception_fail(qapp: QApplication) -> None:
    def broken(state: object) -> str:
        raise KeyError("boom")

    out = io.StringIO()
    assert run_self_test(out=out, steps=[("坏步骤", "broken step", broken)]) == 1
    assert "自检失败：坏步骤——意外错误 KeyError: 'boom'" in out.getvalue()
    assert "SELF-TEST FAILED: broken step: unexpected KeyError: 'boom'" in out.getvalue()

    def slot_raises(state: object) -> str:
        import sys

        try:
            raise RuntimeError("in a slot")
        except RuntimeError as exc:  # what PySide does with an exception raised in a slot
            sys.excepthook(type(exc), exc, exc.__traceback__)
        return "went on"

    out = io.StringIO()
    assert run_self_test(out=out, steps=[("槽", "slot", slot_raises)]) == 1
    assert "RuntimeError: in a slot" in out.getvalue()


def test_check_pdf_wants_an_embedded_truetype_font() -> None:
    check_pdf(b"%PDF-1.4\n/FontFile2 12 0 R\n%%EOF\n")
    with pytest.raises(SelfTestFailure) as info:
        check_pdf(b"%PDF-1.4\n/Type /Font /BaseFont /Helvetica\n%%EOF\n")
    assert info.value.zh == "证书 PDF 没有嵌入字体" and "/FontFile2" in info.value.en
    with pytest.raises(SelfTestFailure, match="truncated"):
        check_pdf(b"%PDF-1.4\n/FontFile2\n" + b"x" * 100)
