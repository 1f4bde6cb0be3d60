"""The Reports page (issue 8, item 2): the tables the office sends upward, previewed, saved as PDF and .xlsx.

- :mod:`.page` — :class:`ReportsPage`: the list of reports, the parameters, the preview, the save buttons.
- :mod:`.table_model` — :class:`ReportTableModel`, a read-only item model over a built report.
"""
