"""JSON Lines: one record per frame (or a stats record every `interval` seconds) and every event.

Each record is one complete line (camera/jsonl.py), so a reader tailing the file, or one reading it after
a kill, only ever sees whole records.
"""

from __future__ import annotations

import time
from pathlib import Path

from foodcam.camera.jsonl import JsonLines
from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.results import ClassificationResult, SegmentationResult


def result_summary(result) -> dict:
    if hasattr(result, "summary"):  # a job's own result (the sorting line's LineResult)
        return result.summary()
    if isinstance(result, SegmentationResult):
        return {"shares": {k: round(v, 4) for k, v in result.shares.items()}}
    if isinstance(result, ClassificationResult):
        return {h: {"label": name, "p": round(p, 4)} for h in result.probs for name, p in result.top(h, 1)}
    return {}


class EventsSink(Sink):
    def __init__(self, path: str | Path, interval: float | None = None) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.interval = interval if interval and interval > 0 else None
        self._out = JsonLines(self.path, append=False, digits=None, what="events file")
        self._last: float | None = None  # when the last stats record was written

    @property
    def records(self) -> int:
        return self._out.lines

    @property
    def bytes_written(self) -> int:
        """What --rotate 100MB measures."""
        return self._out.bytes_written

    def _line(self, record: dict) -> None:
        self._out.write(record)

    def write_events(self, events: list[dict]) -> None:
        for e in events:
            self._line({"type": "event", **e})

    def write(self, out: Rendered) -> None:
        f = out.frame
        self.write_events(out.events)
        if self.interval is None:
            rec = {"type": "frame", "frame": f.index, "time": round(f.timestamp, 3),
                   "latency_ms": out.stats.get("latency_ms"), "fps": out.stats.get("fps")}
            rec.update(result_summary(out.result))
            if out.analytics is not None:
                rec["analytics"] = out.analytics
            self._line(rec)
        elif self._last is None or time.monotonic() - self._last >= self.interval:
            self._last = time.monotonic()
            rec = {"type": "stats", "frame": f.index, "time": round(f.timestamp, 3), **out.stats}
            rec.update(result_summary(out.result))
            if out.analytics is not None:
                rec["analytics"] = out.analytics
            self._line(rec)

    def close(self) -> None:
        self._out.close()

    def summary(self) -> dict:
        return {"events_file": {"path": str(self.path), "records": self.records}}
