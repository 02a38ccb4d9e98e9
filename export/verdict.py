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


def worst_class_drops(reference: dict[str, dict], candidate: dict[str, dict], key: str, n: int = 5) -> list[dict]:
    """The `n` classes whose per-class `key` (iou, f1) fell most against the reference, in points (x100), among
    the classes the split has (support > 0) that fell at all; a class undefined in one of the two counts as 0 there."""
    def val(v: dict) -> float:
        x = v.get(key)
        return 0.0 if x is None or math.isnan(x) else float(x)

    drops = [(c, val(r), val(candidate[c])) for c, r in reference.items() if r.get("support", 0) > 0 and c in candidate]
    fell = [d for d in drops if 100.0 * (d[1] - d[2]) >= 0.005]  # what rounds to a drop in the report's 0.01 points
    return [{"class": c, "reference": ref, "value": got, "drop_points": 100.0 * (ref - got)}
            for c, ref, got in sorted(fell, key=lambda d: d[2] - d[1])[:n]]


def class_drops_text(drops: list[dict], key: str) -> str:
    """"worst classes by iou drop: rice 2 -1.20, ..." (empty when there are none)."""
    if not drops:
        return ""
    return f"; worst classes by {key} drop: " + ", ".join(f"{d['class']} {-d['drop_points']:+.2f}" for d in drops)
