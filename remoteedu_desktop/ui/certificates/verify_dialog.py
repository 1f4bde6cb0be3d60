"""Checking a certificate's code with no network (R11): typed, pasted, or scanned.

A barcode scanner types the code and presses Enter, so Enter checks and selects the text, ready for
the next scan. The verdict is big and coloured: green when the signature is genuine and the register
says valid, amber when genuine but not valid (revoked, expired, replaced, not in this register or not
matching it), red when the code fails. Below it, what the code and the register say.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...services import certificate_codes
from ...services.certificate_codes import Verification
from ..context import AppContext
from .common import FAIL_COLOUR, HINT_STYLE, VALID_COLOUR, WARN_COLOUR, date_text, error_text

VERDICT_GENUINE, VERDICT_NOT_VALID, VERDICT_FAILS = "genuine", "not_valid", "fails"
_COLOURS = {VERDICT_GENUINE: VALID_COLOUR, VERDICT_NOT_VALID: WARN_COLOUR, VERDICT_FAILS: FAIL_COLOUR}


def verdict_of(result: Verification) -> str:
    if not result.genuine:
        return VERDICT_FAILS
    if result.status == "valid" and result.register_matches is not False:
        return VERDICT_GENUINE
    return VERDICT_NOT_VALID


class VerifyDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, code: str = "",
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.result_info: Verification | None = None
        self.verdict: str | None = None
        self.setWindowTitle(self.tr("Verify a certificate"))

        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText(self.tr("Type or scan the code printed on the certificate (RE1-…)"))
        self.code_edit.setClearButtonEnabled(True)
        self.code_edit.setMinimumWidth(520)
        self.check_button = QPushButton(self.tr("Check"), self)
        self.check_button.setDefault(True)
        entry = QHBoxLayout()
        entry.addWidget(self.code_edit, 1)
        entry.addWidget(self.check_button)

        self.verdict_label = QLabel(self)
        font = self.verdict_label.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict_label.setMinimumHeight(56)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        captions = [("number", self.tr("Number")), ("name", self.tr("Name")), ("kind", self.tr("Kind")),
                    ("issue_date", self.tr("Issued on")), ("issuer", self.tr("Issued by")),
                    ("status", self.tr("Status")), ("unit", self.tr("Unit")), ("post", self.tr("Post")),
                    ("valid_until", self.tr("Valid until"))]
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(14)
        for row, (key, caption) in enumerate(captions):
            label = QLabel(caption, self)
            label.setStyleSheet(HINT_STYLE)
            value = QLabel(self)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            self.values[key] = value
        self.content = QWidget(self)
        self.content.setLayout(grid)
        hint = QLabel(self.tr("The check needs no network: the signature is checked against the issuing "
                              "office's key, the status against this computer's register."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.content)
        layout.addStretch(1)
        layout.addWidget(hint)
        layout.addWidget(close)
        self.code_edit.returnPressed.connect(self.check)
        self.check_button.clicked.connect(lambda _checked=False: self.check())
        self._show(None)
        self.resize(640, 520)
        if code:
            self.code_edit.setText(code)
            self.check()

    def check(self) -> Verification | None:
        code = self.code_edit.text().strip()
        if not code:
            self._show(None)
            return None
        try:
            with self.ctx.session() as session:
                result = certificate_codes.verify(session, code, today=self.today)
        except Exception as exc:  # the check itself failed (database): said, not crashed
            self._show(None)
            self._set_verdict(VERDICT_FAILS, self.tr("Cannot check"), error_text(exc))
            return None
        self._show(result)
        self.code_edit.selectAll()  # the next scan replaces it
        return result

    def _show(self, result: Verification | None) -> None:
        self.result_info = result
        if result is None:
            self.verdict = None
            self.verdict_label.setText("")
            self.verdict_label.setStyleSheet("")
            self.message_label.setText("")
            self.content.hide()
            return
        verdict = verdict_of(result)
        titles = {VERDICT_GENUINE: self.tr("✔ Genuine and valid"),
                  VERDICT_NOT_VALID: self.tr("⚠ Genuine, but not valid"),
                  VERDICT_FAILS: self.tr("✘ Verification failed")}
        self._set_verdict(verdict, titles[verdict], result.message)
        content = result.content
        values = {
            "number": content.number if content else "",
            "name": content.name if content else "",
            "kind": content.kind_label if content else "",
            "issue_date": date_text(content.issue_date) if content else "",
            "issuer": result.issuer,
            "status": "：".join(p for p in (result.status_label, result.status_reason) if p),
            "unit": result.unit,
            "post": result.post,
            "valid_until": date_text(result.valid_until),
        }
        for key, value in values.items():
            self.values[key].setText(value or "—")
        self.content.setVisible(content is not None)

    def _set_verdict(self, verdict: str, title: str, message: str) -> None:
        self.verdict = verdict
        colour = _COLOURS[verdict]
        self.verdict_label.setText(title)
        self.verdict_label.setStyleSheet(f"color: white; background: {colour}; border-radius: 6px; padding: 8px;")
        self.message_label.setText(message)
        self.message_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
