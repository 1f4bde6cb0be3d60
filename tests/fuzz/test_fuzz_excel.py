"""Issue 10, item 4: mutated staff rosters (.xlsx) through read → preview → import — refused with a clear Chinese
message naming the file (and sheet, row, column for a row), or imported consistently; never a crash, a hang or a
partial write. A fixed seed, a few hundred inputs; thousands run with
``python scripts/fuzz.py --target excel --count 5000``."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from remoteedu_desktop.services.staff_import import preview_roster, read_roster

from . import excel_target as et
from .runner import Target, describe, run

SEED = 20261129


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    t = Target("excel", tmp_path_factory.mktemp("fuzz"))
    t.world.weights = {"export": 1, "template": 1}  # the full template (2000 prepared rows) once, below: speed
    yield t
    t.close()


def test_the_real_rosters_import_and_a_cut_one_is_refused(target: Target) -> None:
    for base in ("export", "template"):
        assert et.judge(target.slot, target.world.rosters[base], "花名册.xlsx").kind == "imported"
    # the template as the program writes it, 2000 prepared rows: read and previewed (slow to import: once is enough)
    assert et.judge(target.slot, target.world.rosters["template_full"], "花名册.xlsx", dry_run=True).kind == "imported"
    refused = et.judge(target.slot, target.world.rosters["export"][:-100], "花名册.xlsx")
    assert refused.kind == "refused" and "不是有效的 .xlsx 文件" in refused.message


def test_a_row_error_names_sheet_row_and_column(target: Target, tmp_path: Path) -> None:
    """What the oracle demands of every row error, on one known bad cell (an ID number with a wrong check digit)."""
    wb = load_workbook(io.BytesIO(target.world.rosters["template"]))
    wb.worksheets[0]["C4"] = "360499198001010110"
    path = tmp_path / "花名册.xlsx"
    wb.save(path)
    assert et.judge(target.slot, path.read_bytes(), path.name, dry_run=True).message == "1 行有错误"
    with target.slot.open().session() as s:
        preview = preview_roster(s, read_roster(path), today=et.TODAY)
    [error] = preview.errors
    assert "花名册 第 4 行 C 列【身份证号码】“360499198001010110”" in error.reasons[0]


def test_mutated_rosters_dry_run(target: Target) -> None:
    tally = run(target, 45, SEED, limit=20, dry_run=True)
    assert tally.inputs >= 40, describe(tally)
    assert tally.failures == 0, describe(tally)
    assert tally.kinds["refused"] > 8 and tally.kinds["imported"] > 8, describe(tally)


def test_mutated_rosters_imported(target: Target) -> None:
    tally = run(target, 12, SEED + 1, limit=20)
    assert tally.failures == 0, describe(tally)


def test_an_input_is_made_again_from_its_seed(target: Target) -> None:
    """What ``scripts/fuzz.py --replay SEED`` relies on (the file's own time stamp may differ)."""
    for seed in (1, 68108, 3927270603):
        first = et.make_input(random.Random(seed), target.world)
        again = et.make_input(random.Random(seed), target.world)
        assert first[1:] == again[1:] and len(first[0]) == len(again[0])
