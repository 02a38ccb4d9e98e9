"""Votes over the frames an item was seen in, and the decision: reject, pass or divert.

Each frame's crop gives probabilities per head; an item's verdict is their mean. Reject when the mean
P(rotten) reaches the line's threshold. An item seen in too few frames, or whose P(rotten) lies within
the low-confidence band around the threshold, gets the line's low-confidence action instead. An item most of
whose frames the model was unsure about (a calibrated model: not like the photos it was made for, e.g. a glove or
a stone on the belt; runtime/calibration.py) gets the line's `unsure` action (default reject).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.results import ClassificationResult
from foodcam.runtime.tasks import TaskSpec

FRESHNESS_HEAD = "freshness"
ROTTEN = "rotten"
FRUIT_HEAD = "fruit"


def check_task(task: TaskSpec, where: str) -> None:
    """A sorting model must have a freshness head with a `rotten` class."""
    names = [h.name for h in task.heads]
    if FRESHNESS_HEAD not in names or ROTTEN not in task.head(FRESHNESS_HEAD).classes:
        raise FoodcamError(f"{where}: a {task.name!r} model (heads {names}); sorting needs a freshness model "
                           f"with a {FRESHNESS_HEAD!r} head that has a {ROTTEN!r} class")


@dataclass
class Votes:
    """Per-frame probabilities of one item, per head."""

    probs: dict[str, list[np.ndarray]] = field(default_factory=dict)
    times: list[float | None] = field(default_factory=list)  # when each vote's frame was taken
    unsure: list[bool] = field(default_factory=list)  # whether the model was unsure about each vote's crop

    def add(self, result: ClassificationResult, t: float | None = None) -> None:
        for head, p in result.probs.items():
            self.probs.setdefault(head, []).append(np.asarray(p, np.float64))
        self.times.append(t)
        self.unsure.append(result.is_unsure())

    def between(self, t0: float, t1: float) -> Votes:
        """The votes of frames taken from t0 to t1 (inclusive)."""
        keep = [i for i, t in enumerate(self.times) if t is not None and t0 <= t <= t1]
        return Votes({h: [ps[i] for i in keep] for h, ps in self.probs.items()}, [self.times[i] for i in keep],
                     [self.unsure[i] for i in keep if i < len(self.unsure)])

    @property
    def unsure_count(self) -> int:
        return sum(self.unsure)

    @property
    def count(self) -> int:
        return len(self.probs.get(FRESHNESS_HEAD, []))

    def mean(self, head: str) -> np.ndarray | None:
        ps = self.probs.get(head)
        return np.mean(ps, axis=0) if ps else None

    def series(self, task: TaskSpec) -> list[float]:
        """P(rotten) of every vote, in order."""
        i = task.head(FRESHNESS_HEAD).classes.index(ROTTEN)
        return [float(p[i]) for p in self.probs.get(FRESHNESS_HEAD, [])]


@dataclass(frozen=True)
class Decision:
    action: str  # reject | pass | divert
    p_rotten: float | None  # mean over the votes (None: no vote)
    fruit: str | None
    fruit_p: float | None
    low_confidence: bool
    reason: str
    mean_probs: dict[str, dict[str, float]]  # head -> class -> mean probability
    unsure: bool = False  # most votes unsure: the model did not recognise the item (the line's `unsure` action)


def decide(votes: Votes, task: TaskSpec, threshold: float, band: float, low_action: str,
           min_frames: int, unsure_action: str = "reject") -> Decision:
    """The verdict of one item from its votes."""
    means = {h.name: votes.mean(h.name) for h in task.heads if votes.mean(h.name) is not None}
    mean_probs = {h: {c: round(float(v), 4) for c, v in zip(task.head(h).classes, p)} for h, p in means.items()}
    fruit = fruit_p = None
    if FRUIT_HEAD in means:
        k = int(np.argmax(means[FRUIT_HEAD]))
        fruit, fruit_p = task.head(FRUIT_HEAD).classes[k], float(means[FRUIT_HEAD][k])
    if FRESHNESS_HEAD not in means:
        return Decision(low_action, None, fruit, fruit_p, True, "no vote: never seen whole", mean_probs)
    p = float(means[FRESHNESS_HEAD][task.head(FRESHNESS_HEAD).classes.index(ROTTEN)])
    if votes.unsure_count * 2 > votes.count:
        return Decision(unsure_action, p, fruit, fruit_p, False, f"unsure: {votes.unsure_count} of {votes.count} "
                        "vote(s) unlike the photos the model was made for", mean_probs, unsure=True)
    if votes.count < min_frames:
        return Decision(low_action, p, fruit, fruit_p, True, f"{votes.count} vote(s) < min_frames {min_frames}",
                        mean_probs)
    if abs(p - threshold) < band:
        return Decision(low_action, p, fruit, fruit_p, True,
                        f"P(rotten) {p:.3f} within {band:g} of the threshold {threshold:g}", mean_probs)
    if p >= threshold:
        return Decision("reject", p, fruit, fruit_p, False, f"P(rotten) {p:.3f} >= {threshold:g}", mean_probs)
    return Decision("pass", p, fruit, fruit_p, False, f"P(rotten) {p:.3f} < {threshold:g}", mean_probs)
