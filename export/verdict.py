"""The accuracy gate's verdict and mask agreement: shared by every gate (export/gate.py for segmentation,
gate_cls.py for classifiers, gate_food.py for foodseg), which import them from here, not from each other."""

from __future__ import annotations

import math

import numpy as np


def mask_agreement(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """Fraction of equal pixels over all masks of two evaluations of the same split."""
    equal = sum(int((x == y).sum()) for x, y in zip(a, b))
    total = sum(int(x.size) for x in a)
    return equal / total if total else float("nan")


def verdict(drop: float, limit: float, metric: str, empty: str) -> tuple[str, str | None]:
    """(status, reason) of an artifact whose `metric` dropped `drop` points against an allowed `limit`."""
    if math.isnan(drop):
        return "failed", f"{metric} undefined ({empty})"
    if drop > limit:
        return "failed", f"{metric} drop {drop:.2f} points > {limit:.2f}"
    return "validated", None
