"""The training page (R6–R8): plans, their sessions, a calendar of all sessions, and unit coverage.

- :mod:`.page` — :class:`TrainingPage`, the plan list with one plan's detail, the calendar and coverage tabs.
- :mod:`.plan_editor` — :class:`PlanEditorDialog`, a plan with live R6 warnings.
- :mod:`.session_editor` — :class:`SessionEditorDialog`, one session; clashes shown after saving.
- :mod:`.calendar_view` — :class:`SessionCalendar`, every session in a week or month grid.
"""
