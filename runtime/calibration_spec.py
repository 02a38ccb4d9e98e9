"""The calibration a classification head may carry in its task description, and its check (no numpy: the task
description is read wherever foodcam is imported). What the fields mean and the maths that fits and applies
them: runtime/calibration.py."""

from __future__ import annotations

import math
from dataclasses import dataclass

from foodcam.runtime.errors import FoodcamError

SCORES = ("msp", "mahalanobis")
T_RANGE = (0.05, 20.0)


@dataclass(frozen=True)
class Calibration:
    """Temperature, unsure score kind and its threshold of one classification head."""

    temperature: float
    score: str
    threshold: float

    def __post_init__(self) -> None:
        check_calibration({"temperature": self.temperature, "score": self.score, "threshold": self.threshold},
                          "calibration")

    @staticmethod
    def from_dict(d: dict) -> Calibration:
        return Calibration(float(d["temperature"]), str(d["score"]), float(d["threshold"]))


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_calibration(d: object, where: str) -> dict:
    """A calibration dict as described above, or one FoodcamError naming `where` and the bad value."""
    if not isinstance(d, dict):
        raise FoodcamError(f"{where} is {str(d)[:40]!r}, expected null or "
                           "{temperature, score, threshold}")
    missing = [k for k in ("temperature", "score", "threshold") if k not in d]
    if missing:
        raise FoodcamError(f"{where} has no {missing[0]!r} field (expected temperature, score, threshold)")
    t = d["temperature"]
    if not _number(t) or not T_RANGE[0] <= t <= T_RANGE[1]:
        raise FoodcamError(f"{where}.temperature is {str(t)[:40]!r}, expected a number in {T_RANGE[0]}..{T_RANGE[1]}")
    if d["score"] not in SCORES:
        raise FoodcamError(f"{where}.score is {str(d['score'])[:40]!r}, expected one of {', '.join(SCORES)}")
    th = d["threshold"]
    lo, hi = (0.0, 1.0) if d["score"] == "msp" else (0.0, 1e12)
    if not _number(th) or not lo <= th <= hi:
        raise FoodcamError(f"{where}.threshold is {str(th)[:40]!r}, expected a number in {lo:g}..{hi:g} "
                           f"for score {d['score']}")
    return d
