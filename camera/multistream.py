"""Several streams, one model, one loop: the frame loop (camera/pipeline.py) over a batch of streams.

    source = MultiSource([open_source(a), open_source(b), ...], batch=8)   # a reader thread per stream
    Pipeline(source, BatchStage(model), StreamSinks([sinks_a, sinks_b, ...])).run()

`MultiSource.read` hands the loop a `Batch`: the frames that are ready, at most one per stream and at most
`batch`, taken round-robin so no stream starves; `BatchStage` preprocesses them and makes one inference call;
`StreamSinks` routes each frame's result to its own stream's outputs (video, events ...). A live stream keeps
only its newest frame (stale ones dropped and counted, as a single-stream run); a file stream loses no frame.
A slow or dead stream just has nothing ready: the batch goes without it and the others keep their pace.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from foodcam.camera.frame import Frame
from foodcam.camera.hotswap import swap_point
from foodcam.camera.pipeline import Stage
from foodcam.camera.sinks import Rendered, Sinks
from foodcam.camera.sources import Source
from foodcam.camera.stats import Stats
from foodcam.camera.supervise import Worker

log = logging.getLogger("foodcam.camera")

STREAM_FIELD = "{stream}"  # in --save / --events / --collect paths: the stream's number (0, 1, ...)


@dataclass
class Batch:
    """Frames of several streams handed to the loop together: `items` = [(stream index, Frame), ...]."""

    items: list[tuple[int, Frame]]
    t0: float = field(default_factory=time.perf_counter)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def t0s(self) -> list[float]:
        return [f.t0 for _, f in self.items]


class StreamFeed:
    """One stream's reader thread: a live stream keeps its newest frame, a file stream a short queue (no loss)."""

    def __init__(self, index: int, source: Source, ready: threading.Condition, depth: int = 2) -> None:
        self.index, self.source, self.ready = index, source, ready
        self.ended = False
        self.error: str | None = None
        self._q: queue.Queue = queue.Queue(maxsize=1 if source.live else depth)
        self._stop = threading.Event()
        self.dropped = 0  # newest-only: frames replaced before the loop took them (besides the source's own)
        self._worker = Worker(f"stream {index} {source.uri}", self._run, self._stop).start()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self.source.read(timeout=0.2)
                if frame is None:
                    if self.source.ended:
                        break
                    continue
                while not self._stop.is_set():
                    try:
                        self._q.put(frame, timeout=0.1 if not self.source.live else 0)
                        break
                    except queue.Full:
                        if self.source.live:  # newest only: replace the waiting frame
                            try:
                                self._q.get_nowait()
                                self.dropped += 1
                            except queue.Empty:
                                pass
                with self.ready:
                    self.ready.notify_all()
        except Exception as e:  # noqa: BLE001 - a dead stream ends alone; the others go on
            self.error = f"{type(e).__name__}: {e}"
            log.error("stream %d (%s) failed and ended: %s", self.index, self.source.uri, self.error)
        finally:
            self.ended = True
            with self.ready:
                self.ready.notify_all()

    def take(self) -> Frame | None:
        try:
            return self._q.get_nowait()
        except queue.Empty:
            return None

    @property
    def drained(self) -> bool:
        return self.ended and self._q.empty()

    def close(self) -> None:
        self._stop.set()
        self.source.close()
        self._worker.join(timeout=5.0)


class MultiSource(Source):
    """N sources read concurrently; `read()` returns a Batch of up to `batch` ready frames (one per stream)."""

    live = True  # read() is called directly with a timeout (no prefetch thread around it)

    def __init__(self, sources: list[Source], batch: int | None = None) -> None:
        if not sources:
            raise ValueError("MultiSource needs at least one source")
        self.sources = list(sources)
        self.uri = " | ".join(s.uri for s in self.sources)
        self.batch = max(1, int(batch or len(self.sources)))
        self.ended = False
        self.produced = 0
        self._ready = threading.Condition()
        self.feeds = [StreamFeed(i, s, self._ready) for i, s in enumerate(self.sources)]
        self._next = 0  # round-robin start: the stream served first in the next batch

    @property
    def fps(self) -> float | None:
        return self.sources[0].fps

    @property
    def skipped(self) -> int:
        return sum(s.skipped for s in self.sources)

    def _collect(self) -> list[tuple[int, Frame]]:
        items: list[tuple[int, Frame]] = []
        n = len(self.feeds)
        for k in range(n):
            if len(items) >= self.batch:
                break
            i = (self._next + k) % n
            frame = self.feeds[i].take()
            if frame is not None:
                items.append((i, frame))
        if items:
            self._next = (items[-1][0] + 1) % n
        return items

    def read(self, timeout: float | None = None) -> Batch | None:
        end = None if timeout is None else time.perf_counter() + timeout
        with self._ready:
            while True:
                items = self._collect()
                if items:
                    self.produced += len(items)
                    return Batch(items)
                if all(f.drained for f in self.feeds):
                    self.ended = True
                    return None
                left = None if end is None else end - time.perf_counter()
                if left is not None and left <= 0:
                    return None
                self._ready.wait(0.05 if left is None else min(left, 0.05))

    def close(self) -> None:
        self.ended = True
        for f in self.feeds:
            f.close()

    def stream_counters(self, i: int) -> dict:
        return {**self.sources[i].counters(), "dropped": self.sources[i].counters()["dropped"] + self.feeds[i].dropped,
                **({"error": self.feeds[i].error} if self.feeds[i].error else {})}

    def counters(self) -> dict:
        per = [self.stream_counters(i) for i in range(len(self.sources))]
        return {k: sum(c[k] for c in per) for k in ("produced", "dropped", "skipped", "reopens")}


class BatchStage(Stage):
    """One model over a Batch: each frame preprocessed, one inference call, results split per frame."""

    steps = ("preprocess", "inference", "postprocess")

    def __init__(self, model) -> None:
        self.model = model
        self.batches = 0
        self.batched_frames = 0
        self._records: list[dict] = []

    def events(self) -> list[dict]:
        out, self._records = self._records, []
        return out

    def process(self, batch: Batch, stats: Stats) -> dict:
        swapped = swap_point(self.model)  # a replaced model file takes over here, between two batches
        if swapped:
            self._records = self._records + swapped  # read by the output thread (events)
        with stats.time("preprocess"):
            images = np.concatenate([self.model.preprocess(f.image) for _, f in batch.items])
        with stats.time("inference"):
            outs = self.model.infer(images)
        self.batches += 1
        self.batched_frames += batch.count
        return {k: np.array(v, copy=True) for k, v in outs.items()}

    def result(self, batch: Batch, raw: dict, stats: Stats) -> list:
        with stats.time("postprocess"):
            return [self.model.postprocess(raw, f.shape, index=i) for i, (_, f) in enumerate(batch.items)]

    def counters(self) -> dict:
        mean = self.batched_frames / self.batches if self.batches else 0.0
        return {"batching": {"batches": self.batches, "mean_batch": round(mean, 2)}}

    def finish(self) -> dict:
        swaps = getattr(self.model, "swaps", None)  # a HotModel (camera/hotswap.py)
        hot = {"model_swaps": swaps, "model_swaps_refused": self.model.refusals} if swaps is not None else {}
        return {**self.counters(), **hot}

    def describe(self) -> str:
        return str(getattr(self.model, "path", type(self.model).__name__))


class StreamSinks:
    """Each stream's own `Sinks`, behind the one-`Sinks` face the loop talks to; per-stream stats."""

    def __init__(self, per_stream: list[Sinks], names: list[str]) -> None:
        self.per_stream, self.names = per_stream, names
        self.stats = [Stats(("render",)) for _ in per_stream]
        self.source: MultiSource | None = None  # set by the caller: per-stream source counters in the summary

    @property
    def stop_requested(self) -> bool:
        return any(s.stop_requested for s in self.per_stream)

    @property
    def failed(self) -> dict[str, str]:
        return {f"stream {i} {k}": v for i, s in enumerate(self.per_stream) for k, v in s.failed.items()}

    def render(self, batch: Batch, results: list, stats: dict | None = None, events: list[dict] | None = None):
        out: Rendered | None = None
        for (i, frame), result in zip(batch.items, results):
            with self.stats[i].time("render"):
                out = self.per_stream[i].render(frame, result, self.stats[i].snapshot(), events)
            self.stats[i].frame_done(frame.t0)
            events = None  # the stage's records go to the first stream's outputs only once
        return out

    def emit(self, events: list[dict]) -> None:
        for s in self.per_stream:
            s.emit(events)

    def summary(self) -> dict:
        streams = {}
        for i, (name, sinks) in enumerate(zip(self.names, self.per_stream)):
            streams[str(i)] = {"source": name, **self.stats[i].summary(), **sinks.summary(),
                               **(self.source.stream_counters(i) if self.source else {})}
        return {"streams": streams}

    def close(self) -> None:
        for s in self.per_stream:
            s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
