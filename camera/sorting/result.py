"""What the sorting line hands to the outputs for one frame: a snapshot, safe to read on another thread."""

from __future__ import annotations

from dataclasses import dataclass

from foodcam.runtime.tasks import TaskSpec


@dataclass(frozen=True)
class ItemView:
    """One item in view (or waiting for its command) as of this frame."""

    id: int
    box: tuple[int, int, int, int] | None  # frame pixels; None: not seen in this frame
    anchor: tuple[float | None, float | None] | None  # a frame point on the item (ground-truth matching)
    votes: int  # frames classified so far
    p_rotten: float | None  # running mean P(rotten) over those frames
    fruit: str | None  # running most likely fruit
    decision: str | None  # reject | pass | divert once decided
    fire_at: float | None  # when its command is due (line clock)
    leaning: str | None = None  # before the decision: what the votes so far say (reject | pass), None: no vote


@dataclass(frozen=True)
class Pending:
    """A command waiting in the ejection queue."""

    id: int
    action: str
    fire_at: float


@dataclass(frozen=True)
class LineGeometry:
    lane: tuple[tuple[int, int], ...]  # polygon, frame pixels
    direction: str
    camera_line: float  # frame coordinate along the motion axis (x, or y for vertical belts)
    window: tuple[int, int, int, int] | None = None  # photo-eye classification window, frame pixels


@dataclass(frozen=True)
class LineResult:
    task: TaskSpec
    t: float  # this frame's time on the line clock
    truth_t: float  # its time in the source's own (simulated) time
    now: float  # line clock after processing it
    realtime: bool  # wall clock (live) or simulated clock
    items: tuple[ItemView, ...]
    queue: tuple[Pending, ...]
    counts: dict  # items, rejected, passed, fired, missed, ... so far
    geometry: LineGeometry

    def countdown(self, p: Pending) -> float:
        """Seconds until a queued command fires (line clock)."""
        return p.fire_at - self.now

    def summary(self) -> dict:
        """A JSON-able record of this frame (for --events)."""
        return {
            "t": round(self.t, 6),
            "items": [{"id": v.id, "box": v.box, "votes": v.votes,
                       "p_rotten": None if v.p_rotten is None else round(v.p_rotten, 4), "fruit": v.fruit,
                       "decision": v.decision} for v in self.items],
            "queue": [{"id": p.id, "action": p.action, "in_s": round(self.countdown(p), 4)} for p in self.queue],
            "line": self.counts,
        }
