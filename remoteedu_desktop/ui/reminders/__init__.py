"""Reminders shown on start (issue 8, item 4): :mod:`.dialog` — :class:`RemindersDialog`."""
