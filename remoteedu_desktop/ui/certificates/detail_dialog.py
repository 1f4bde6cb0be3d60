"""One certificate in full (R11): the values frozen at issue, its code and hash, every print, and the
trail of the certificates it replaced or that replaced it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services import certificate_register
from ...services.certificate_layout import FIELDS
from ...services.certificate_register import CertificateDetail
from ..context import AppContext
from ..staff.post_dialogs import RunDialogFn, exec_dialog
from .common import HINT_STYLE, date_text
from .register_model import status_colour, term_text

#: The frozen values in the order a clerk reads a certificate; anything else follows.
VALUE_ORDER = ("number", "kind_label", "name", "gender", "birth", "unit", "post", "role", "area", "training",
               "score", "issue_date", "term_start", "valid_until", "office")


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class CertificateDetailDialog(QDialog):
    def __init__(self, ctx: AppContext, cert_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cert_id = cert_id
        self.run_dialog: RunDialogFn = exec_dialog
        with ctx.session() as session:
            self.detail: CertificateDetail = certificate_register.detail(session, cert_id)
        row = self.detail.row
        self.setWindowTitle(self.tr("Certificate {0}").format(row.number))

        title = QLabel(f"{row.kind_label} {row.number} · {row.name}", self)
        font = title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        title.setFont(font)
        status = QLabel(" ".join(p for p in (row.status_label, row.status_reason or "") if p), self)
        colour = status_colour(row.status)
        status.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "color: #2e7d32; "
                             "font-weight: bold;")

        values_box = QGroupBox(self.tr("Printed content, frozen at issue"), self)
        form = QFormLayout(values_box)
        keys = [k for k in VALUE_ORDER if k in self.detail.values]
        keys += sorted(k for k in self.detail.values if k not in VALUE_ORDER and k != "code")
        captions = {"valid_until": self.tr("Valid until"), "term_start": self.tr("Term starts")}
        for key in keys:
            if not str(self.detail.values[key]).strip():
                continue  # an on-duty certificate has no term
            value = QLabel(str(self.detail.values[key]), values_box)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(captions.get(key) or FIELDS.get(key, key).split("（")[0], value)
        code = QLabel(self.detail.code, values_box)
        code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code.setWordWrap(True)
        code.setStyleSheet("font-family: monospace;")
        form.addRow(self.tr("Verification code"), code)
        sha = self.detail.pdf_sha256
        digest = QLabel(f"{sha[:32]}\n{sha[32:]}", values_box)
        digest.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        digest.setStyleSheet(HINT_STYLE + " font-family: monospace;")
        digest.setWordWrap(True)
        form.addRow(self.tr("SHA-256 of the PDF"), digest)

        prints_box = QGroupBox(self.tr("Print log"), self)
        self.prints_table = _table(prints_box, [self.tr("Printed at"), self.tr("By"), self.tr("Printer or file")])
        self.prints_table.setRowCount(len(self.detail.prints))
        for n, record in enumerate(self.detail.prints):
            cells = [record.printed_at.strftime("%Y-%m-%d %H:%M"), record.account, record.target]
            for column, text in enumerate(cells):
                self.prints_table.setItem(n, column, QTableWidgetItem(text))
        QVBoxLayout(prints_box).addWidget(self.prints_table)
        if not self.detail.prints:
            self.prints_table.hide()
            none = QLabel(self.tr("Not printed yet."), prints_box)
            none.setStyleSheet(HINT_STYLE)
            prints_box.layout().addWidget(none)

        trail_box = QGroupBox(self.tr("Trail: replaced and replacing certificates"), self)
        self.trail_table = _table(trail_box, [self.tr("Number"), self.tr("Issued"), self.tr("Term / valid until"),
                                              self.tr("Status"), self.tr("Reason")])
        self.trail_table.setRowCount(len(self.detail.trail))
        for n, other in enumerate(self.detail.trail):
            cells = [other.number, date_text(other.issue_date), term_text(other), other.status_label,
                     other.status_reason or ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if other.id == cert_id:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.trail_table.setItem(n, column, item)
        QVBoxLayout(trail_box).addWidget(self.trail_table)

        self.preview_button = QPushButton(self.tr("Preview…"), self)
        self.preview_button.clicked.connect(lambda _checked=False: self.preview())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.preview_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        right = QVBoxLayout()
        right.addWidget(prints_box, 1)
        right.addWidget(trail_box, 1)
        columns = QHBoxLayout()
        values_box.setMaximumWidth(520)
        columns.addWidget(values_box, 0)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(status)
        layout.addLayout(head)
        layout.addLayout(columns, 1)
        layout.addLayout(bottom)
        self.resize(1160, 640)

    def preview(self) -> QDialog:
        from .preview_dialog import PreviewDialog

        dialog = PreviewDialog(self.ctx, [self.cert_id], self,
                               suggested_name=f"{self.detail.row.number}-{self.detail.row.name}.pdf")
        self.run_dialog(dialog)
        return dialog
