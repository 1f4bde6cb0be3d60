"""The one table format every bench script prints, ending with ``goals: N met, M missed``.

``--json FILE`` (:func:`add_json_option`) makes a script also write its rows as JSON, which is how
``bench/run_all.py`` collects the rows of every script into one table.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

HEADER = ("figure", "measured", "comparison", "ratio", "goal", "met")


@dataclass
class Row:
    figure: str
    measured: float | None  # None: nothing was measured (a bench that failed, in bench/run_all.py)
    comparison: float | None
    unit: str
    goal: str
    met: bool | None  # None: no goal for this row

    @property
    def ratio(self) -> str:
        if not self.comparison or self.measured is None:
            return "-"
        return f"{self.measured / self.comparison:.2f}×"

    def cells(self) -> tuple[str, str, str, str, str, str]:
        """The six cells of this row as printed, in the order of :data:`HEADER`."""
        return (self.figure, "-" if self.measured is None else f"{self.measured:.2f} {self.unit}",
                "-" if self.comparison is None else f"{self.comparison:.2f} {self.unit}", self.ratio, self.goal,
                "-" if self.met is None else ("yes" if self.met else "NO"))


def table_lines(header: tuple[str, ...], body: list[tuple[str, ...]]) -> list[str]:
    """A Markdown pipe table, every column padded to its widest cell."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(x).ljust(w) for x, w in zip(b, widths, strict=True)) + " |" for b in body]
    return lines


def goals(rows: list[Row]) -> tuple[int, int]:
    """(met, missed) over the rows that have a goal."""
    return sum(1 for r in rows if r.met), sum(1 for r in rows if r.met is False)


def print_table(rows: list[Row], json_to: Path | None = None) -> tuple[int, int]:
    for line in table_lines(HEADER, [r.cells() for r in rows]):
        print(line)
    met, missed = goals(rows)
    print(f"goals: {met} met, {missed} missed")
    if json_to is not None:
        write_json(rows, json_to)
    return met, missed


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", type=Path, metavar="FILE", default=None,
                        help="also write the table's rows to FILE as JSON (bench/run_all.py reads them)")


def write_json(rows: list[Row], path: Path) -> None:
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows]}, ensure_ascii=False, indent=1), encoding="utf-8")


def read_json(path: Path) -> list[Row]:
    return [Row(**r) for r in json.loads(path.read_text(encoding="utf-8"))["rows"]]
