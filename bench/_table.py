"""The one table format every bench script prints, ending with ``goals: N met, M missed``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    figure: str
    measured: float
    comparison: float | None
    unit: str
    goal: str
    met: bool | None  # None: no goal for this row

    @property
    def ratio(self) -> str:
        if not self.comparison:
            return "-"
        return f"{self.measured / self.comparison:.2f}×"


def print_table(rows: list[Row]) -> tuple[int, int]:
    header = ("figure", "measured", "comparison", "ratio", "goal", "met")
    body = [(r.figure, f"{r.measured:.2f} {r.unit}",
             "-" if r.comparison is None else f"{r.comparison:.2f} {r.unit}", r.ratio, r.goal,
             "-" if r.met is None else ("yes" if r.met else "NO")) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=True)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for b in body:
        print("| " + " | ".join(str(x).ljust(w) for x, w in zip(b, widths, strict=True)) + " |")
    met = sum(1 for r in rows if r.met)
    missed = sum(1 for r in rows if r.met is False)
    print(f"goals: {met} met, {missed} missed")
    return met, missed
