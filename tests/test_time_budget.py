"""`foodcam train --time-budget MIN`: the LR follows the clock and the run ends by itself.

The schedule is checked with a fake clock (no sleeping, no timing asserted); one tiny real run checks that
a budget shorter than an epoch still ends with a validated checkpoint and a clear message.
"""

from __future__ import annotations

import pytest
from conftest import foodcam

from foodcam.train.budget import TimeBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_schedule_follows_the_clock_and_reserves_validation():
    clock = Clock()
    b = TimeBudget(10, clock=clock)  # 600 s
    b.warmup_steps = 4
    assert [b.factor(s) for s in range(4)] == [0.25, 0.5, 0.75, 1.0]
    assert b.factor(10) == pytest.approx(1.0)  # no time spent yet: the peak rate
    clock.now += 300
    assert b.factor(10) == pytest.approx(0.01 + 0.99 * 0.5)  # half the budget: half-way down the cosine
    assert not b.spent()
    b.note_val(100)  # a validation takes 100 s: training must stop 110 s before the end
    assert b.train_deadline() == pytest.approx(100 + 600 - 110)
    clock.now = 100 + 490
    assert b.spent() and b.factor(10) == pytest.approx(0.01)  # the floor exactly when training stops
    assert b.fraction() == 1.0


def test_reserve_estimated_from_the_training_rate_before_the_first_validation():
    clock = Clock()
    b = TimeBudget(1, clock=clock)
    b.val_samples = 40
    assert b.reserve() == 0.0
    b.note_train(10.0, 20)  # 0.5 s per train sample
    assert b.reserve() == pytest.approx(1.1 * 0.5 * 0.5 * 40)
    b.note_val(3.0)
    assert b.reserve() == pytest.approx(3.3)  # measured beats guessed


@pytest.mark.parametrize("value", ["0", "-3", "nan", "inf", "soon"])
def test_budget_rejects_bad_values(tmp_path, capsys, value):
    """argparse refuses it under the verb's usage (exit 2), before any data is read."""
    with pytest.raises(SystemExit) as e:
        foodcam("train", "foodseg", "--data", tmp_path, "--time-budget", value, "--out", tmp_path / "r")
    assert e.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("foodcam train: error: --time-budget: expected a positive number"), err
    assert not (tmp_path / "r").exists()


def test_a_budget_shorter_than_an_epoch_still_ends_with_a_checkpoint(tmp_path, capsys):
    pytest.importorskip("pycocotools")
    data = tmp_path / "fs"
    assert foodcam("synth", "foodseg", "--out", data, "--count", 12, "--classes", 4, "--size", "32x32") == 0
    run = tmp_path / "run"
    capsys.readouterr()
    assert foodcam("train", "foodseg", "--data", data, "--model", "foodseg-edge-small", "--imgsz", 32, "--batch", 2,
                   "--time-budget", "0.001", "--out", run, "--device", "cpu") == 0
    out = capsys.readouterr().out
    assert "time budget of 0.001 min reached after epoch 1" in out
    assert (run / "best.pt").exists() and (run / "metrics.csv").read_text().count("\n") == 2
