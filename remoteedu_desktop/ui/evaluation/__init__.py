"""The yearly evaluation page (R14): rounds, rubrics, the keyboard score grid, results and awards.

- :mod:`.page` — :class:`EvaluationPage`, the year's round with its settings and the four tabs.
- :mod:`.rubric_view` — :class:`RubricTab`, one target's rubric items with the live weight check.
- :mod:`.grid_model` / :mod:`.score_view` — the score grid (people × items) driven by the keyboard.
- :mod:`.results_view` — :class:`ResultsTab`, ranks, grades, the unfit flag and the texts.
- :mod:`.output` — the evaluation forms PDF and the .xlsx export, in a worker.
"""

from __future__ import annotations

from .page import EvaluationPage

__all__ = ["EvaluationPage"]
