"""Kill the program (SIGKILL) at random points of a roster import, a sync import, a certificate batch and a
backup, hundreds of times, and check each time that the database is whole and the operation fully applied or
not at all (issue 10 item 3). The work is in ``tests/faults/harness.py``; this runs it.

    .venv/bin/python scripts/faults.py [--count 100] [--ops import,sync,certificates,backup,usb] [--seed 1]
                                       [--spawn] [--workdir DIR]

Prints a table per operation and a summary line; exit code 1 when any check failed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # first: this file is also called faults
sys.path.insert(1, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faults.harness import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
