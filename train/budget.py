"""`foodcam train --time-budget MIN`: a run that ends by itself within MIN minutes of wall-clock time.

On a shared or unknown machine the seconds per epoch are not known in advance, so a schedule written in
epochs either stops early (the budget unused) or runs over. Under a time budget the learning rate follows
the clock instead: linear warm-up over the first steps, then a cosine decay over the fraction of the
budget spent, reaching its floor when the training time is up. Each epoch's training stops at the
deadline less the time a validation takes (measured; estimated from the training rate before the first
one), so the last validation and checkpoint still fit; `--epochs` becomes a ceiling.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

VAL_SHARE = 0.5  # before the first validation: a val sample is guessed at half a train sample's time
MARGIN = 1.1  # reserve this multiple of the validation time


class TimeBudget:
    """Wall-clock budget of one training run: LR factor by time spent, and when to stop training."""

    def __init__(self, minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = float(minutes) * 60.0
        self.clock = clock
        self.start = clock()
        self.warmup_steps = 1
        self.final_factor = 0.01
        self.val_seconds: float | None = None
        self.val_samples = 0
        self.train_rate: float | None = None  # seconds per train sample

    def reserve(self) -> float:
        """Seconds kept back for the final validation and checkpoint."""
        if self.val_seconds is not None:
            return MARGIN * self.val_seconds
        if self.train_rate is not None:
            return MARGIN * VAL_SHARE * self.train_rate * self.val_samples
        return 0.0

    def train_deadline(self) -> float:
        """Clock time at which training (not validation) must stop."""
        return self.start + max(0.0, self.seconds - self.reserve())

    def fraction(self) -> float:
        """Share of the training time spent, 0..1."""
        span = max(1e-9, self.train_deadline() - self.start)
        return min(1.0, max(0.0, (self.clock() - self.start) / span))

    def factor(self, step: int) -> float:
        """LR factor for torch.optim.lr_scheduler.LambdaLR: warm-up by step, then cosine by time."""
        if step < self.warmup_steps:
            return (step + 1) / self.warmup_steps
        t = self.fraction()
        return self.final_factor + (1 - self.final_factor) * 0.5 * (1 + math.cos(math.pi * t))

    def note_train(self, seconds: float, samples: int) -> None:
        if samples > 0:
            self.train_rate = seconds / samples

    def note_val(self, seconds: float) -> None:
        self.val_seconds = max(self.val_seconds or 0.0, float(seconds))

    def spent(self) -> bool:
        """True once no more training fits."""
        return self.clock() >= self.train_deadline()

    def elapsed(self) -> float:
        return self.clock() - self.start
