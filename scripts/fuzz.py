"""Fuzz the sync bundle reader and the Excel roster importer (issue 10, item 4).

    python scripts/fuzz.py --count 5000                  # both targets, 5000 inputs each, seed 0
    python scripts/fuzz.py --count 500 --target bundle --seed 7
    python scripts/fuzz.py --target excel --replay 1234  # one input again, by the seed printed beside it

Prints per target: inputs, refused (with the top messages and how many of each), imported, crashes, hangs and
partial writes; exits 1 if any of the last three is not zero. The targets live in ``tests/fuzz/`` (the tests run a
few hundred inputs through the same code).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the ``fuzz`` package of the tests, before this script's own folder
sys.path.insert(1, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fuzz.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
