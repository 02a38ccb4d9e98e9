"""Calibrated probabilities and an "unsure" answer for classification heads (numpy only).

A classification head may carry a calibration in the task description (`Head.calibration`), fitted on the
task's val split by `foodcam calibrate` (train/calibrate.py):

    {"temperature": T, "score": "msp" | "mahalanobis", "threshold": t}

- temperature: the head's probabilities become softmax(logits / T). The deployment graph gives
  probabilities, and softmax(log p / T) equals softmax(logits / T), so the runtime rescales them here.
- score, higher = less sure:
    msp          1 - the largest calibrated probability;
    mahalanobis  the squared Mahalanobis distance of the photo's pooled features (L2-normalised) to the
                 nearest class mean of the training photos (one covariance shared by the classes); the graph
                 computes it and returns it as the output "<head>_distance" (runtime.model.distance_output).
- threshold: a photo whose score is above it is "unsure" for that head: chosen on val so that at most a
  set share (2 % by default) of in-task val photos is flagged.

A head without a calibration behaves as before: probabilities as the graph gives them, never unsure.
"""

from __future__ import annotations

import math

import numpy as np

from foodcam.runtime.calibration_spec import SCORES, T_RANGE, Calibration, check_calibration
from foodcam.runtime.errors import FoodcamError

__all__ = ["SCORES", "T_RANGE", "Calibration", "check_calibration"]  # the description, kept importable from here

ECE_BINS = 15
MAX_FLAGGED = 0.02  # default share of in-task val photos a threshold may flag


# --- the maths --------------------------------------------------------------------------------------------


def softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def log_probs(probs: np.ndarray) -> np.ndarray:
    """log of probabilities (logits up to a per-row constant); a zero probability becomes a large negative."""
    return np.log(np.clip(np.asarray(probs, np.float64), 1e-30, None))


def rescale(probs: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities (..., K) -> softmax(log p / T): what softmax(logits / T) gives."""
    return softmax(log_probs(probs) / float(temperature))


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of `labels` under softmax(logits / T)."""
    z = np.asarray(logits, np.float64) / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(labels)), np.asarray(labels, np.int64)].mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T minimising the NLL of softmax(logits / T) (golden-section search over log T in T_RANGE)."""
    logits, labels = np.asarray(logits, np.float64), np.asarray(labels, np.int64)
    if logits.ndim != 2 or len(logits) != len(labels) or len(labels) == 0:
        raise FoodcamError(f"fit_temperature: {logits.shape} logits for {labels.shape} labels")
    lo, hi = math.log(T_RANGE[0]), math.log(T_RANGE[1])
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(logits, labels, math.exp(a)), nll(logits, labels, math.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(logits, labels, math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(logits, labels, math.exp(b))
    return float(math.exp((lo + hi) / 2))


def ece(probs: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS) -> float:
    """Expected calibration error: confidence (top probability) vs accuracy over `bins` equal-width bins."""
    probs, labels = np.asarray(probs, np.float64), np.asarray(labels, np.int64)
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    correct = (pred == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, bins - 1)
    total = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            total += sel.mean() * abs(conf[sel].mean() - correct[sel].mean())
    return float(total)


def msp_score(probs: np.ndarray) -> np.ndarray:
    """1 - the largest (calibrated) probability: 0 sure .. 1 - 1/K uniform."""
    return 1.0 - np.asarray(probs, np.float64).max(axis=-1)


def energy_score(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """-T logsumexp(logits / T), higher = less sure (needs real logits, not probabilities)."""
    z = np.asarray(logits, np.float64) / float(temperature)
    m = z.max(axis=-1)
    return -float(temperature) * (m + np.log(np.exp(z - m[..., None]).sum(axis=-1)))


def choose_threshold(scores: np.ndarray, max_flagged: float = MAX_FLAGGED) -> float:
    """The smallest threshold t such that at most `max_flagged` of `scores` lie above t (score > t = unsure)."""
    s = np.sort(np.asarray(scores, np.float64).ravel())
    if s.size == 0 or not np.isfinite(s).all():
        raise FoodcamError("choose_threshold: no scores, or scores that are not finite")
    allowed = int(math.floor(float(max_flagged) * s.size))
    return float(s[s.size - 1 - allowed])


# --- applying it to one photo -----------------------------------------------------------------------------


def decide_unsure(cal: Calibration, probs: np.ndarray, distance: float | None) -> tuple[np.ndarray, float, bool]:
    """(calibrated probabilities, score, unsure) of one photo's head; `distance`: the graph's distance output."""
    p = rescale(probs, cal.temperature)
    if cal.score == "msp":
        score = float(msp_score(p))
    else:
        if distance is None:
            raise FoodcamError("a mahalanobis calibration needs the model's distance output")
        score = float(np.asarray(distance, np.float64).reshape(-1)[0])
    return p.astype(np.float32), score, bool(score > cal.threshold)
