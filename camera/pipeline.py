"""The frame loop with its three stages overlapped, so throughput is the slowest stage's pace, not the sum.

    capture   (the source's thread for live sources; a prefetch thread for files)
      -> preprocess + inference              (the calling thread)
      -> postprocess + overlay + sinks       (an output thread)

Queues between stages hold at most `depth` items: a slow stage holds the earlier ones back (files lose no
frame); a live source keeps only its newest frame, so a slow model drops frames instead of falling behind.
The same loop without the overlap is simply:

    for frame in source:
        sinks.render(frame, model.predict(frame.image))
"""

from __future__ import annotations

import logging
import queue
import threading
import time

import numpy as np
from foodcam.camera.frame import Frame
from foodcam.camera.sdnotify import Notifier
from foodcam.camera.sinks import Sinks
from foodcam.camera.sources import Source
from foodcam.camera.stats import Stats, format_line

log = logging.getLogger("foodcam.camera")


class Prefetch:
    """Reads a file source ahead on its own thread so decoding overlaps inference; loses no frame."""

    def __init__(self, source: Source, depth: int = 2) -> None:
        self.source, self.ended = source, False
        self._q: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for frame in self.source:
                while not self._stop.is_set():
                    try:
                        self._q.put(frame, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            self._error = e
        finally:
            self._q.put(None)  # the consumer always learns of the end; it drains the queue

    def read(self, timeout: float | None = None) -> Frame | None:
        try:
            frame = self._q.get(timeout=timeout)
        except queue.Empty:
            return None
        if frame is None:
            self.ended = True
            if self._error is not None:
                raise self._error
        return frame

    def close(self) -> None:
        self._stop.set()
        while self._thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                self._q.get(timeout=0.05)
            except queue.Empty:
                pass


class Pipeline:
    def __init__(self, source: Source, model, sinks: Sinks, depth: int = 2, log_interval: float = 5.0) -> None:
        self.source, self.model, self.sinks = source, model, sinks
        self.depth, self.log_interval = depth, log_interval
        self.stats = Stats()
        self._stop = threading.Event()
        self._output_error: BaseException | None = None
        self.stopped_by = ""
        self.notifier = Notifier.from_env()  # systemd: READY=1, then WATCHDOG=1 from the loop (no-op outside it)

    def stop(self, reason: str = "stopped") -> None:
        """Ask the run to end after the frame in hand (safe from signal handlers and other threads)."""
        self.stopped_by = self.stopped_by or reason
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def live_stats(self) -> dict:
        return {**self.stats.snapshot(), **self.source.counters()}

    def run(self, max_frames: int | None = None, max_seconds: float | None = None) -> dict:
        """Process frames until the source ends, a limit is reached or `stop()`; returns the summary."""
        self.stats = stats = Stats()
        feed = self.source if self.source.live else Prefetch(self.source, self.depth)
        out_q: queue.Queue = queue.Queue(maxsize=self.depth)
        output = threading.Thread(target=self._output, args=(out_q,), name="output", daemon=True)
        output.start()
        frames, next_log = 0, time.perf_counter() + self.log_interval
        self.notifier.ready(f"running on {self.source.uri}")
        try:
            wait_from = time.perf_counter()
            while not self._stop.is_set():
                self.notifier.watchdog()  # a loop frozen here (or behind a stuck output) misses it: restarted
                if max_frames is not None and frames >= max_frames:
                    self.stop("max_frames")
                elif max_seconds is not None and stats.elapsed >= max_seconds:
                    self.stop("max_seconds")
                elif self.sinks.stop_requested:
                    self.stop("window closed")
                elif self._output_error is not None:
                    self.stop("error")
                if self._stop.is_set():
                    break
                frame = feed.read(timeout=0.2)
                if frame is None:
                    if feed.ended:
                        self.stop("end of source")
                    continue
                stats.add("capture", time.perf_counter() - wait_from)
                with stats.time("preprocess"):
                    batch = self.model.preprocess(frame.image)
                with stats.time("inference"):
                    outputs = {k: np.array(v, copy=True) for k, v in self.model.infer(batch).items()}
                self._put(out_q, (frame, outputs))
                frames += 1
                if time.perf_counter() >= next_log:
                    next_log += self.log_interval
                    c = self.source.counters()
                    log.info(format_line(stats.snapshot(), f" | dropped {c['dropped']} skipped {c['skipped']}"))
                wait_from = time.perf_counter()
        except KeyboardInterrupt:
            self.stop("interrupted")
        finally:
            self.notifier.stopping()
            self._finish(out_q, output, feed)
        if self._output_error is not None:
            raise self._output_error
        return self.summary()

    def summary(self) -> dict:
        return {
            "source": self.source.uri,
            "model": getattr(self.model, "path", type(self.model).__name__),
            "stopped_by": self.stopped_by,
            **self.stats.summary(),
            **self.source.counters(),
            **self.sinks.summary(),
        }

    def _put(self, q: queue.Queue, item) -> None:
        while self._output_error is None:
            try:
                q.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _finish(self, out_q: queue.Queue, output: threading.Thread, feed) -> None:
        while output.is_alive():
            try:
                out_q.put(None, timeout=0.1)  # after the frames already queued: they are all rendered
                break
            except queue.Full:
                continue
        output.join()
        if isinstance(feed, Prefetch):
            feed.close()

    def _output(self, q: queue.Queue) -> None:
        stats = self.stats
        try:
            while (item := q.get()) is not None:
                frame, outputs = item
                with stats.time("postprocess"):
                    result = self.model.postprocess(outputs, frame.shape)
                with stats.time("render"):
                    self.sinks.render(frame, result, self.live_stats())
                stats.frame_done(frame.t0)
        except BaseException as e:  # noqa: BLE001 - re-raised on the calling thread
            self._output_error = e
            log.error("output stage failed: %s", e)
