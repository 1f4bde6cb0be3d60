"""The staff list: every person on the three teams, searched and filtered over any number of people."""

from .page import StaffPage
from .table_model import StaffTableModel

__all__ = ["StaffPage", "StaffTableModel"]
