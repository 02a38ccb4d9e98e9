"""The sorting line against ground truth, for sources that know it (synth://conveyor): an output like the
kitchen's ScoreSink, outside the sorter.

Per frame, each item in view is matched to the true item under its anchor (a belt track's box centre, or
the photo-eye's beam); when its record is final, the true item it followed most is the one it counts for.
The summary says whether every item whose centre crossed the camera line was counted exactly once, how
many decisions and fruit were right, and (simulated clock) how far each command was from the true time.
"""

from __future__ import annotations

from collections import Counter

from foodcam.camera.frame import ItemInView, TrueItem
from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.camera.sorting.line import LineConfig
from foodcam.camera.sorting.result import LineResult

SCORED = ("id", "decision", "outcome", "scheduled_at", "fruit")


class LineScoreSink(Sink):
    name = "line score"

    def __init__(self, line: LineConfig) -> None:
        self.line = line
        self.truth_items: dict[int, TrueItem] = {}  # every true item seen (ConveyorItem kinematics)
        self.follows: dict[int, Counter] = {}  # track id -> true item ids under it, per frame
        self.records: dict[int, dict] = {}  # track id -> the SCORED fields of its final record
        self.camera_x: float | None = None
        self.realtime = False
        self.truth_t_last: float | None = None

    def write(self, out: Rendered) -> None:
        res, truth = out.result, out.frame.truth
        if isinstance(res, LineResult) and isinstance(truth, list):
            self.camera_x, self.realtime, self.truth_t_last = res.geometry.camera_line, res.realtime, res.truth_t
            for t in truth:
                self.truth_items[t.id] = t.item
            for view in res.items:
                item = _under(view.anchor, truth)
                if item is not None:
                    self.follows.setdefault(view.id, Counter())[item] += 1
        self.write_events(out.events)

    def write_events(self, events: list[dict]) -> None:
        for e in events:
            if e.get("event") == "item":  # only what the score reads: the full record (votes...) is the audit's
                self.records[e["id"]] = {k: e.get(k) for k in SCORED}

    def summary(self) -> dict:
        if not self.truth_items or self.truth_t_last is None or self.camera_x is None:
            return {}
        per_item, decided = {}, [r for r in self.records.values() if r.get("decision")]
        for r in self.records.values():
            follows = self.follows.get(r["id"])
            if not follows:
                continue
            item = self.truth_items[follows.most_common(1)[0][0]]
            m = {"truth_id": item.id, "fruit": item.fruit, "rotten": item.rotten, "outcome": r["outcome"]}
            if r.get("scheduled_at") is not None and not self.realtime:  # truth times are simulated times
                m["fire_at"] = item.time_at_x(self.camera_x) + self.line.travel_time(item.speed)
                m["timing_error_s"] = r["scheduled_at"] - m["fire_at"]
            per_item[r["id"]] = m
        matched = Counter(per_item[r["id"]]["truth_id"] for r in decided if r["id"] in per_item)
        expected = {i for i, it in self.truth_items.items() if it.time_at_x(self.camera_x) <= self.truth_t_last}
        scored = [(r, per_item[r["id"]]) for r in decided if r["id"] in per_item]
        right = [r["id"] for r, m in scored if (r["decision"] != "pass") == m["rotten"]]
        errors = [abs(m["timing_error_s"]) for _, m in scored if "timing_error_s" in m]
        return {"truth": {
            "expected": len(expected),
            "counted_once": sum(matched[i] == 1 for i in expected),
            "not_counted": sorted(i for i in expected if matched[i] == 0),
            "counted_twice": sorted(i for i, n in matched.items() if n > 1),
            "false_items": len(decided) - len(scored),
            "accuracy": len(right) / len(decided) if decided else float("nan"),
            "fruit_accuracy": sum(r["fruit"] == m["fruit"] for r, m in scored) / len(decided) if decided else
            float("nan"),
            "wrong": sorted(r["id"] for r, _ in scored if r["id"] not in right),
            "max_timing_error_s": max(errors) if errors else None,
            "items": {str(k): v for k, v in sorted(per_item.items())},
        }}


def _under(anchor: tuple[float | None, float | None] | None, truth: list[ItemInView]) -> int | None:
    """The true item whose box holds the anchor (a None coordinate matches any)."""
    if anchor is None:
        return None
    x, y = anchor
    for t in truth:
        a0, b0, a1, b1 = t.bbox
        if (x is None or a0 <= x < a1) and (y is None or b0 <= y < b1):
            return t.id
    return None
