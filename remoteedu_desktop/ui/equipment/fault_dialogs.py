"""The dialogs of a fault ticket's life (R9): report, assign to a technician, resolve, reopen.

Each one writes through one service call in one transaction; the service's refusal shows under the field
it names and nothing is written. Times default to now (``now`` is fixed by tests; otherwise the
service checks "not in the future" against the time OK is pressed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ... import codes
from ...services import equipment, faults, site_views
from ...services.faults import FaultReport, FaultRow
from ..context import AppContext
from .common import FormDialog, now_minutes, stamp_text, to_datetime

AREAS = ("faults", "equipment")


def _text_edit(parent: QWidget, height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setFixedHeight(height)
    return edit


def ticket_summary(row: FaultRow) -> str:
    what = f"{row.site} · {row.equipment}" if row.equipment else row.site
    return f"{what}\n{stamp_text(row.reported_at)} {row.reported_by}：{row.description}"


class ReportFaultDialog(FormDialog):
    """A fault reported at a site: when, by whom, what; the equipment is one of the site's own."""

    FIELD_KEYS = {"站点": "site", "故障设备": "equipment", "报修时间": "reported_at", "报修人": "reported_by",
                  "故障描述": "description"}
    areas = AREAS

    def __init__(self, ctx: AppContext, *, unit_id: str | None = None, parent: QWidget | None = None,
                 now: dt.datetime | None = None) -> None:
        super().__init__(ctx, parent)
        self.now = now  # None: the service checks against the real time when OK is pressed
        start = now or now_minutes()
        self.setWindowTitle(self.tr("Report a fault"))
        with ctx.session() as session:
            sites = site_views.unit_choices(session, kinds=codes.SITE_KINDS, under_unit_id=unit_id)
        self.site_combo = QComboBox(self)
        self.site_combo.addItem(self.tr("(choose a site)"), None)
        for site in sites:
            self.site_combo.addItem(site.display, site.id)
        self.equipment_combo = QComboBox(self)
        self.reported_at = self.datetime_edit(start)
        self.reported_by = QLineEdit(self)
        self.reported_by.setMaxLength(50)
        self.reported_by.setPlaceholderText(self.tr("Who called: the site manager, a villager…"))
        self.description = _text_edit(self)
        self.add_field("site", self.tr("Site"), self.site_combo)
        self.add_field("equipment", self.tr("Equipment"), self.equipment_combo)
        self.add_field("reported_at", self.tr("Reported at"), self.reported_at)
        self.add_field("reported_by", self.tr("Reported by"), self.reported_by)
        self.add_field("description", self.tr("What is wrong"), self.description)
        self.site_combo.currentIndexChanged.connect(lambda _i: self._fill_equipment())
        if len(sites) == 1:
            self.site_combo.setCurrentIndex(1)
        self._fill_equipment()

    def _fill_equipment(self) -> None:
        self.equipment_combo.clear()
        site_id = self.site_combo.currentData()
        self.equipment_combo.addItem(self.tr("(not a registered set / not known)"), None)
        if not site_id:
            return
        with self.ctx.session() as session:
            for row in equipment.site_equipment_choices(session, site_id):
                self.equipment_combo.addItem(row.display, row.id)

    def apply(self, session: Any) -> FaultRow:
        data = FaultReport(site_id=self.site_combo.currentData() or "",
                           reported_at=to_datetime(self.reported_at.dateTime()),
                           reported_by=self.reported_by.text(), description=self.description.toPlainText(),
                           equipment_id=self.equipment_combo.currentData())
        return faults.report_fault(session, data, now=self.now)


class AssignDialog(FormDialog):
    """Give the ticket to a person holding a technician post (R9): the site's own technicians first."""

    FIELD_KEYS = {"技术服务员": "technician", "派单时间": "assigned_at", "故障单状态": "technician"}
    areas = AREAS

    def __init__(self, ctx: AppContext, row: FaultRow, *, parent: QWidget | None = None,
                 now: dt.datetime | None = None) -> None:
        super().__init__(ctx, parent)
        self.row = row
        self.now = now  # None: the service checks against the real time when OK is pressed
        start = now or now_minutes()
        self.setWindowTitle(self.tr("Assign to a technician") if row.status == "open"
                            else self.tr("Assign to another technician"))
        self.set_header(ticket_summary(row))
        with ctx.session() as session:
            choices = faults.technician_choices(session, site_id=row.site_id, on=start.date())
        self.technician_combo = QComboBox(self)
        self.technician_combo.addItem(self.tr("(choose a technician)") if choices
                                      else self.tr("(nobody holds a technician post)"), None)
        for choice in choices:
            other = self.tr("{0} — other area").format(choice.display)
            label = choice.display if choice.serves_site else other
            self.technician_combo.addItem(label, choice.id)
        if row.technician_id and self.technician_combo.findData(row.technician_id) >= 0:
            self.technician_combo.setCurrentIndex(self.technician_combo.findData(row.technician_id))
        self.assigned_at = self.datetime_edit(start)
        self.add_field("technician", self.tr("Technician"), self.technician_combo)
        self.add_field("assigned_at", self.tr("Assigned at"), self.assigned_at)

    def choose(self, person_id: str) -> None:
        self.technician_combo.setCurrentIndex(self.technician_combo.findData(person_id))

    def apply(self, session: Any) -> FaultRow:
        technician = self.technician_combo.currentData() or ""
        return faults.assign_fault(session, self.row.id, technician_id=technician,
                                   assigned_at=to_datetime(self.assigned_at.dateTime()), now=self.now)


class ResolveDialog(FormDialog):
    """When and how the technician cleared the fault."""

    FIELD_KEYS = {"解决时间": "resolved_at", "处理情况": "resolution", "故障单状态": "resolution"}
    areas = AREAS

    def __init__(self, ctx: AppContext, row: FaultRow, *, parent: QWidget | None = None,
                 now: dt.datetime | None = None) -> None:
        super().__init__(ctx, parent)
        self.row = row
        self.now = now  # None: the service checks against the real time when OK is pressed
        start = now or now_minutes()
        self.setWindowTitle(self.tr("Fault resolved"))
        assigned = self.tr("Assigned to {0} at {1}").format(row.technician, stamp_text(row.assigned_at))
        self.set_header(f"{ticket_summary(row)}\n{assigned}")
        self.resolved_at = self.datetime_edit(start)
        self.resolution = _text_edit(self)
        self.resolution.setPlaceholderText(self.tr("What was done, e.g. 更换高频头，信号恢复"))
        self.add_field("resolved_at", self.tr("Resolved at"), self.resolved_at)
        self.add_field("resolution", self.tr("How"), self.resolution)

    def apply(self, session: Any) -> FaultRow:
        return faults.resolve_fault(session, self.row.id, now=self.now,
                                    resolved_at=to_datetime(self.resolved_at.dateTime()),
                                    resolution=self.resolution.toPlainText())


class ReopenDialog(FormDialog):
    """The fault came back: reopen with a reason (kept in the ticket with the former resolution)."""

    FIELD_KEYS = {"重新打开原因": "reason", "故障单状态": "reason"}
    areas = AREAS

    def __init__(self, ctx: AppContext, row: FaultRow, *, parent: QWidget | None = None,
                 now: dt.datetime | None = None) -> None:
        super().__init__(ctx, parent)
        self.row = row
        self.now = now  # None: the service checks against the real time when OK is pressed
        self.setWindowTitle(self.tr("Reopen the ticket"))
        former = self.tr("Resolved at {0}: {1}").format(stamp_text(row.resolved_at), row.resolution)
        self.set_header(f"{ticket_summary(row)}\n{former}")
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. 故障复发"))
        self.add_field("reason", self.tr("Reason"), self.reason)

    def apply(self, session: Any) -> FaultRow:
        return faults.reopen_fault(session, self.row.id, reason=self.reason.text(), now=self.now)
