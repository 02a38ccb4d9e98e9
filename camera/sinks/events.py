"""JSON Lines: one record per frame (or a stats record every `interval` seconds) and every analytics event.

Each record is one complete line, written in one call and flushed, so a reader tailing the file,
or one reading it after a kill, only ever sees whole records.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.results import ClassificationResult, SegmentationResult


def result_summary(result) -> dict:
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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self._last: float | None = None  # when the last stats record was written
        self.records = 0
        self.bytes_written = 0  # what --rotate 100MB measures

    def _line(self, record: dict) -> None:
        line = json.dumps(record, separators=(",", ":")) + "\n"
        self._f.write(line)
        self._f.flush()
        self.records += 1
        self.bytes_written += len(line.encode("utf-8"))

    def write(self, out: Rendered) -> None:
        f = out.frame
        for e in out.events:
            self._line({"type": "event", **e})
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
        if not self._f.closed:
            self._f.close()

    def summary(self) -> dict:
        return {"events_file": {"path": str(self.path), "records": self.records}}
