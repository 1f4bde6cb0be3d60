"""Issue 10, item 4: mutated sync bundles at the county — refused with a clear Chinese message naming the file, or
imported consistently; never a crash, a hang or a partial write. A fixed seed, a few hundred inputs; thousands run
with ``python scripts/fuzz.py --target bundle --count 5000``."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from . import bundle_target as bt
from .oracle import Broken, Outcome, changed_tables, run_guarded
from .runner import Target, describe, run

SEED = 20261129


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    t = Target("bundle", tmp_path_factory.mktemp("fuzz"))
    yield t
    t.close()


def test_the_real_bundle_imports_and_a_cut_one_is_refused(target: Target) -> None:
    assert bt.judge(target.slot, target.world.bundle, target.world.bundle_name).kind == "imported"
    refused = bt.judge(target.slot, target.world.bundle[:-10], target.world.bundle_name)
    assert refused.kind == "refused" and "不完整或已损坏" in refused.message


def test_the_oracle_can_fail(target: Target) -> None:
    """A write behind the oracle's back, a hang and a crash are each counted as such."""
    target.slot.restore()
    with target.slot.open().session() as s:
        s.execute(text("UPDATE local_office SET change_counter = change_counter + 1"))
    assert changed_tables(target.slot.digests, target.slot.after()) == ["change_counter", "local_office"]
    target.slot.dirty = True

    def broken() -> Outcome:
        raise Broken("partial", "a refused import changed tables")

    def spin() -> Outcome:
        while True:
            pass

    assert run_guarded(spin, limit=0.2, steps=[]).kind == "hang"  # CPU time
    assert run_guarded(lambda: time.sleep(5) or Outcome("refused"), limit=0.2, steps=[]).kind == "hang"  # waiting
    assert run_guarded(lambda: Outcome("refused", str(1 / 0)), limit=5, steps=[]).kind == "crash"
    assert run_guarded(broken, limit=5, steps=[]).kind == "partial"


def test_mutated_bundles_dry_run(target: Target) -> None:
    tally = run(target, 80, SEED, limit=20, dry_run=True)
    assert tally.inputs >= 75, describe(tally)
    assert tally.failures == 0, describe(tally)
    assert tally.kinds["refused"] > 35 and tally.kinds["imported"] > 5, describe(tally)


def test_mutated_bundles_imported(target: Target) -> None:
    tally = run(target, 15, SEED + 1, limit=20)
    assert tally.failures == 0, describe(tally)
    assert tally.kinds["refused"] + tally.kinds["imported"] == tally.inputs, describe(tally)


def test_an_input_is_made_again_from_its_seed(target: Target) -> None:
    """What ``scripts/fuzz.py --replay SEED`` relies on (the ciphertext differs: fresh keys and nonces)."""
    for seed in (1, 2453, 352189787, 12544644914):
        first = bt.make_input(random.Random(seed), target.world)
        again = bt.make_input(random.Random(seed), target.world)
        assert first[1:] == again[1:]
