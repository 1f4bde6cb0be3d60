"""Long work is a generator yielding ``(done, total, text)`` and returning its result.

The UI runs such generators in a worker (``ui/worker.py``, with cancel); the
CLI and plain callers run them to the end with :func:`run_to_end`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar

Progress = tuple[int, int, str]
T = TypeVar("T")


def run_to_end(steps: Generator[Progress, None, T],
               on_progress: Callable[[int, int, str], None] | None = None) -> T:
    """Drive *steps* to completion, reporting each step to *on_progress*; return the generator's result."""
    while True:
        try:
            done, total, text = next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        if on_progress is not None:
            on_progress(done, total, text)
