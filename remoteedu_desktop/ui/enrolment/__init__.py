"""Enrolment in a training plan, the attendance & assessment grid and per-unit coverage (R6, R8, R11).

The training page opens these by name (``EnrolDialog``, ``AttendanceGridDialog``, ``CoverageView``).
"""

from __future__ import annotations

from .attendance_grid import AttendanceGridDialog
from .coverage import CoverageView
from .enrol_dialog import EnrolDialog

__all__ = ["AttendanceGridDialog", "CoverageView", "EnrolDialog"]
