"""Unexpected errors (issue 9, item 4): logged with their traceback, shown to the clerk without one.

:func:`install_error_handlers` (called once in ``ui/app.py`` main) routes ``sys.excepthook``,
``threading.excepthook`` and Qt's own critical/fatal messages to the log; an exception also opens
:class:`ErrorDialog`, a Chinese message with a "Save diagnostic package…" button.
"""

from __future__ import annotations

from .dialog import ErrorDialog, ErrorReporter, install_error_handlers, qsettings_dump, save_diagnostics

__all__ = ["ErrorDialog", "ErrorReporter", "install_error_handlers", "qsettings_dump", "save_diagnostics"]
