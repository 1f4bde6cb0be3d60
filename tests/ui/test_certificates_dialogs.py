"""Preview, printing, saving and verification of issued certificates (R11).

The preview loads the frozen PDF into QtPdf (one page per certificate); printing to a QPrinter in PDF
format writes a PDF and logs a CertificatePrint row with the file as target; saving writes the frozen
bytes (their SHA-256 is the one stored at issue); the verify dialog says genuine for a real code and fails
for one changed character. Screenshots under tmp_path (and REMOTEEDU_SHOTS if set).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_certificates_page as base
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from remoteedu_desktop.data.models import Certificate, CertificatePrint
from remoteedu_desktop.services import certificate_register
from remoteedu_desktop.ui.certificates.page import TAB_REGISTER
from remoteedu_desktop.ui.certificates.preview_dialog import PreviewDialog
from remoteedu_desktop.ui.certificates.verify_dialog import (
    VERDICT_FAILS,
    VERDICT_GENUINE,
    VERDICT_NOT_VALID,
    VerifyDialog,
)
from remoteedu_desktop.ui.context import AppContext
from remoteedu_desktop.ui.worker import Job

world, issued = base.world, base.issued  # the seeded township and its issued certificates (fixtures)
driver, make_page, shoot = base.driver, base.make_page, base.shoot


@pytest.fixture(autouse=True)
def inline_jobs() -> Iterator[None]:
    Job.inline = True
    yield
    Job.inline = False


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)  # keeps the test quick; the real dialog uses the printer's own
    return printer


def prints(ctx: AppContext) -> list[CertificatePrint]:
    with ctx.session() as s:
        rows = list(s.scalars(select(CertificatePrint).order_by(CertificatePrint.id)))
        s.expunge_all()
        return rows


def test_preview_loads_the_frozen_pdf(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                      tmp_path: Path) -> None:
    dialog = PreviewDialog(ctx, [issued["township"]])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() == 1
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    with ctx.session() as s:
        stored = s.get(Certificate, issued["township"]).pdf_sha256  # type: ignore[union-attr]
    assert dialog.pdf is not None and hashlib.sha256(dialog.pdf).hexdigest() == stored
    qtbot.wait(50)
    shoot(dialog, tmp_path, "dialog_preview")

    several = PreviewDialog(ctx, list(issued.values()))
    qtbot.addWidget(several)
    assert several.page_count() == len(issued)


def test_closing_the_preview_stops_a_batch_still_rendering(ctx: AppContext, qtbot: QtBot,
                                                           issued: dict[str, str]) -> None:
    dialog = PreviewDialog(ctx, [issued["township"]])
    qtbot.addWidget(dialog)
    dialog.show()
    running = Job(lambda: iter(()))  # type: ignore[arg-type, return-value]  # stands for a batch in progress
    dialog.job = running
    dialog.reject()
    assert running.is_cancelled


def test_printing_to_a_pdf_printer_logs_the_print(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                                  tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    dialog = PreviewDialog(ctx, [issued["passed"], issued["tutor"]])
    qtbot.addWidget(dialog)
    dialog.choose_printer = lambda _parent: pdf_printer(out)  # type: ignore[method-assign]
    assert dialog.print_() is not None
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    assert dialog.printed == 2
    logged = prints(ctx)
    assert {p.certificate_id for p in logged} == {issued["passed"], issued["tutor"]}
    assert all(p.target == str(out) and p.account == "clerk1" for p in logged)
    assert not dialog.message.isHidden() and str(out) in dialog.message.text()

    dialog.choose_printer = lambda _parent: None  # type: ignore[method-assign]
    assert dialog.print_() is None  # cancelled in the print dialog: nothing more logged
    assert len(prints(ctx)) == 2


def test_register_prints_and_saves_a_batch(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                           tmp_path: Path) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.select_ids(set(issued.values()))
    assert len(view.selected_ids()) == len(issued)
    saved = tmp_path / "batch"
    view.choose_save_path = lambda *_args: str(saved)  # type: ignore[method-assign]
    assert view.save_selected() is not None
    batch = saved.with_suffix(".pdf")
    assert batch.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob(".batch*.part"))  # written atomically: no temp file left
    assert len(prints(ctx)) == len(issued)

    view.select_ids({issued["tech"]})
    single = tmp_path / "one.pdf"
    view.choose_save_path = lambda *_args: str(single)  # type: ignore[method-assign]
    view.save_selected()
    with ctx.session() as s:
        stored = s.get(Certificate, issued["tech"]).pdf_sha256  # type: ignore[union-attr]
    assert hashlib.sha256(single.read_bytes()).hexdigest() == stored  # the frozen bytes themselves
    row = next(r for r in view.rows() if r.id == issued["tech"])
    assert row.prints == 2  # the batch and this one

    out = tmp_path / "printer.pdf"
    view.choose_printer = lambda _parent: pdf_printer(out)  # type: ignore[method-assign]
    view.select_ids({issued["tech"], issued["tutor"]})
    view.print_selected()
    assert out.exists()
    assert len(prints(ctx)) == len(issued) + 1 + 2


def test_preview_from_the_register_and_the_context_menu(ctx: AppContext, qtbot: QtBot,
                                                       issued: dict[str, str]) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    view.select_ids({issued["passed"]})
    seen: list[int] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, PreviewDialog)
        seen.append(dialog.page_count())

    view.run_dialog = driver(qtbot, look)  # type: ignore[method-assign]
    view.preview()
    assert seen == [1]
    menu = view.build_context_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert view.preview_button.text() in texts and view.renew_button.text() in texts
    renew = next(a for a in menu.actions() if a.text() == view.renew_button.text())
    assert not renew.isEnabled()  # on-duty certificate


def test_verify_dialog_genuine_changed_and_revoked(ctx: AppContext, qtbot: QtBot, issued: dict[str, str],
                                                   tmp_path: Path) -> None:
    with ctx.session() as s:
        code = certificate_register.detail(s, issued["township"]).code
    dialog = VerifyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.code_edit.setText(code)
    dialog.code_edit.returnPressed.emit()  # what a scanner does
    assert dialog.verdict == VERDICT_GENUINE
    assert dialog.values["name"].text() == "欧阳娜娜"
    assert dialog.values["status"].text() == "有效"
    assert dialog.values["issuer"].text() not in ("", "—")
    shoot(dialog, tmp_path, "dialog_verify_genuine")

    # One character changed (a letter of the signature part): the check fails.
    position = len(code) - 7
    swapped = "A" if code[position] != "A" else "B"
    dialog.code_edit.setText(code[:position] + swapped + code[position + 1:])
    dialog.check()
    assert dialog.verdict == VERDICT_FAILS
    assert "#c62828" in dialog.verdict_label.styleSheet()
    shoot(dialog, tmp_path, "dialog_verify_fails")

    dialog.code_edit.setText("not a code")
    dialog.check()
    assert dialog.verdict == VERDICT_FAILS

    with ctx.session() as s:
        certificate_register.revoke(s, issued["township"], reason="离岗")
    dialog.code_edit.setText(code)
    dialog.check()
    assert dialog.verdict == VERDICT_NOT_VALID
    assert "已吊销" in dialog.values["status"].text()
    shoot(dialog, tmp_path, "dialog_verify_revoked")


def test_verify_from_the_register_toolbar(ctx: AppContext, qtbot: QtBot, issued: dict[str, str]) -> None:
    page = make_page(qtbot, ctx)
    page.tabs.setCurrentIndex(TAB_REGISTER)
    view = page.register
    with ctx.session() as s:
        code = certificate_register.detail(s, issued["tutor"]).code
    opened: list[QWidget] = []
    view.run_dialog = driver(qtbot, opened.append)  # type: ignore[method-assign]
    dialog = view.verify(code)
    assert opened == [dialog] and dialog.verdict == VERDICT_GENUINE
