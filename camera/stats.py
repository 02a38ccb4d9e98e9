"""Per-stage timing of the frame loop: recent values for the live view, totals for the exit summary."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Iterator

STAGES = ("capture", "preprocess", "inference", "postprocess", "render")


class Stats:
    """Thread-safe: the loop's thread and the output thread both add to it.

    `stages`: the timed steps in report order (the loop's: capture, the stage's own steps, render).
    capture is the time spent waiting for the next frame; render covers overlay, analytics and every sink;
    latency is capture to rendered, per frame.
    """

    def __init__(self, stages: tuple[str, ...] = STAGES, window: int = 60) -> None:
        self._lock = threading.Lock()
        self.start = time.perf_counter()
        self.frames = 0
        self._window = window
        self._total = dict.fromkeys(stages, 0.0)
        self._count = dict.fromkeys(stages, 0)
        self._recent = {s: deque(maxlen=window) for s in stages}
        self._done: deque[float] = deque(maxlen=window)
        self._latency: deque[float] = deque(maxlen=window)
        self._latency_total = 0.0

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            if stage not in self._total:  # a step the stage did not announce: reported all the same
                self._total[stage], self._count[stage] = 0.0, 0
                self._recent[stage] = deque(maxlen=self._window)
            self._total[stage] += seconds
            self._count[stage] += 1
            self._recent[stage].append(seconds)

    @contextlib.contextmanager
    def time(self, stage: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - t)

    def frame_done(self, t0: float) -> None:
        """A frame captured at perf_counter `t0` has been rendered."""
        now = time.perf_counter()
        with self._lock:
            self.frames += 1
            self._done.append(now)
            self._latency.append(now - t0)
            self._latency_total += now - t0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def snapshot(self) -> dict:
        """Now: fps over the last frames, mean ms per stage over the last frames."""
        with self._lock:
            done = list(self._done)
            fps = (len(done) - 1) / (done[-1] - done[0]) if len(done) > 1 and done[-1] > done[0] else 0.0
            return {
                "frames": self.frames,
                "elapsed_s": round(self.elapsed, 3),
                "fps": round(fps, 2),
                "latency_ms": _ms(sum(self._latency) / len(self._latency)) if self._latency else None,
                "stages_ms": {s: _ms(sum(r) / len(r)) if r else None for s, r in self._recent.items()},
            }

    def summary(self) -> dict:
        """The whole run: average fps, mean ms per stage."""
        with self._lock:
            elapsed = self.elapsed
            return {
                "frames": self.frames,
                "elapsed_s": round(elapsed, 3),
                "fps": round(self.frames / elapsed, 2) if elapsed > 0 else 0.0,
                "latency_ms": _ms(self._latency_total / self.frames) if self.frames else None,
                "stages_ms": {s: _ms(self._total[s] / self._count[s]) if self._count[s] else None for s in self._total},
            }


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def format_line(snap: dict, extra: str = "") -> str:
    """One log line: '14.9 fps | capture 0.1 pre 0.4 infer 31.0 post 0.1 render 2.2 ms | latency 40 ms'."""
    short = {"capture": "capture", "preprocess": "pre", "inference": "infer", "postprocess": "post", "render": "render"}
    stages = " ".join(f"{short.get(s, s)} {v:.1f}" for s, v in snap["stages_ms"].items() if v is not None)
    lat = f" | latency {snap['latency_ms']:.0f} ms" if snap.get("latency_ms") is not None else ""
    return f"{snap['fps']:.1f} fps | {stages} ms{lat} | {snap['frames']} frames{extra}"
