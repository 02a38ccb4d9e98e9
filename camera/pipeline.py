"""The frame loop of every job, with its three steps overlapped so throughput is the slowest one's pace.

    capture   (the source's thread for live sources; a prefetch thread for files)
      -> stage.process: the job's per-frame work     (the calling thread)
      -> stage.result + overlay + sinks              (an output thread)

The stage is the job: `ModelStage(model)` runs a model on the whole frame (`foodcam run`: preprocess and
inference here, postprocess on the output thread); the sorting line's `SortStage` tracks, classifies and
decides (`foodcam sort`). Any other job is another `Stage`. Queues between the steps hold at most `depth`
items: a slow step holds the earlier ones back (files lose no frame); a live source keeps only its newest
frame, so a slow stage drops frames instead of falling behind. The same loop without the overlap is simply:

    for frame in source:
        sinks.render(frame, stage.result(frame, stage.process(frame, stats), stats))

Hooks for whoever embeds the loop: `pipeline.on_frame` (callables run on the output thread after every
rendered frame with the `Rendered` frame: a watchdog ping, a metrics exporter; one that returns True ends
the run, stopped by "on_frame"), `pipeline.live_stats()` (what /stats serves), `pipeline.stop(reason)`
(safe from any thread or a signal handler).

A remote model (Triton) that stops answering raises `ModelUnavailable`: like a dropped camera, the loop logs it
once, drops the frame in hand (counted: `model_dropped`), waits with capped backoff and tries the next frame;
a live source meanwhile keeps only its newest frame. `model_reconnects` counts the recoveries.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from foodcam.camera import supervise
from foodcam.camera.frame import Frame
from foodcam.camera.hotswap import swap_point
from foodcam.camera.sdnotify import Notifier
from foodcam.camera.sinks import Rendered, Sinks
from foodcam.camera.sources import Source
from foodcam.camera.stats import Stats, format_line
from foodcam.runtime.errors import ModelUnavailable

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


class Stage:
    """A job's per-frame work. `process` runs on the loop's thread, `result` on the output thread."""

    steps: tuple[str, ...] = ()  # the timed steps it reports (Stats names)

    def process(self, frame: Frame, stats: Stats) -> Any:
        raise NotImplementedError

    def result(self, frame: Frame, raw: Any, stats: Stats) -> Any:
        """What the outputs draw and record (default: what `process` returned)."""
        return raw

    def events(self) -> list[dict]:
        """Records for the outputs that arose since the last call (decisions, commands fired ...)."""
        return []

    def counters(self) -> dict:
        """Live counters for /stats and the periodic log line."""
        return {}

    def finish(self) -> dict:
        """The run is over: finish the work in hand; what it adds to the summary."""
        return {}

    def describe(self) -> str:
        return type(self).__name__


def mask_size_hint(task, frame_shape: tuple[int, int]) -> str | None:
    """A one-line hint when a segmentation model draws its masks in another shape than the camera's frames (the
    mask is then stretched to the frame and thin objects lose their edges; the kitchen study measured 0.7 mIoU on 16:9
    frames), else None. The suggested size keeps the mask's height, at most twice the input's width."""
    if task is None or not getattr(task, "has_segmentation", False):
        return None
    mh, mw = task.output_size
    fh, fw = int(frame_shape[0]), int(frame_shape[1])
    if fh <= 0 or fw <= 0 or abs((fw / fh) / (mw / mh) - 1) < 0.05:
        return None
    width = min(int(round(mh * fw / fh)), 2 * int(task.input_size[1]))
    return (f"the model draws masks at {mw}x{mh} and the frames are {fw}x{fh} (another shape): the mask is stretched "
            f"to them; export for this camera with --mask-size {mh} {width} for sharper edges")


class ModelStage(Stage):
    """A model over the whole frame: preprocess + inference here, postprocess on the output thread."""

    steps = ("preprocess", "inference", "postprocess")

    def __init__(self, model) -> None:
        self.model = model
        self._shapes_seen: set[tuple[int, int]] = set()
        self._records: dict[int, list[dict]] = {}  # id(frame) -> records that go out with that frame
        self._due: list[dict] = []

    def process(self, frame: Frame, stats: Stats) -> dict:
        swapped = swap_point(self.model)  # a replaced model file takes over here, between two frames
        if swapped:
            self._records[id(frame)] = [{**r, "frame": frame.index} for r in swapped]
        with stats.time("preprocess"):
            batch = self.model.preprocess(frame.image)
        with stats.time("inference"):
            return {k: np.array(v, copy=True) for k, v in self.model.infer(batch).items()}

    def result(self, frame: Frame, raw: dict, stats: Stats):
        self._due += self._records.pop(id(frame), [])  # rendered with the first frame the new model ran on
        shape = tuple(frame.shape[:2])
        if shape not in self._shapes_seen:
            self._shapes_seen.add(shape)
            hint = mask_size_hint(getattr(self.model, "task", None), shape)
            if hint:
                log.warning("%s: %s", self.describe(), hint)
        with stats.time("postprocess"):
            return self.model.postprocess(raw, frame.shape)

    def events(self) -> list[dict]:
        out, self._due = self._due, []
        return out

    def counters(self) -> dict:
        swaps = getattr(self.model, "swaps", None)  # a HotModel (camera/hotswap.py)
        return {"model_swap": {"swapped": swaps, "refused": self.model.refusals}} if swaps is not None else {}

    def finish(self) -> dict:
        swaps = getattr(self.model, "swaps", None)
        return {"model_swaps": swaps, "model_swaps_refused": self.model.refusals} if swaps is not None else {}

    def describe(self) -> str:
        return str(getattr(self.model, "path", type(self.model).__name__))


class Pipeline:
    def __init__(self, source: Source, stage, sinks: Sinks, depth: int = 2, log_interval: float = 5.0) -> None:
        """`stage`: a Stage, or a model (run as ModelStage)."""
        self.source, self.sinks = source, sinks
        self.stage: Stage = stage if isinstance(stage, Stage) else ModelStage(stage)
        self.depth, self.log_interval = depth, log_interval
        self.stats = self._new_stats()
        self.on_frame: list[Callable[[Rendered], bool | None]] = []
        self._stop = threading.Event()
        self._output_error: BaseException | None = None
        self._faults_before: dict[str, int] = {}
        self._stage_summary: dict = {}
        self.stopped_by = ""
        self.model_link = supervise.Reconnect(f"model {self.stage.describe()}", log, first_s=0.2, most_s=5.0)
        self.model_link.ever_opened = True  # the model opened before the loop: its first recovery is a reconnect
        self.model_dropped, self._model_down = 0, False
        self.notifier = Notifier.from_env()  # systemd: READY=1, then WATCHDOG=1 from the loop (no-op outside it)

    def _new_stats(self) -> Stats:
        return Stats(("capture", *self.stage.steps, "render"))

    def stop(self, reason: str = "stopped") -> None:
        """Ask the run to end after the frame in hand (safe from signal handlers and other threads)."""
        self.stopped_by = self.stopped_by or reason
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def live_stats(self) -> dict:
        return {**self.stats.snapshot(), **self.source.counters(), **self.stage.counters()}

    def run(self, max_frames: int | None = None, max_seconds: float | None = None) -> dict:
        """Process frames until the source ends, a limit is reached or `stop()`; returns the summary."""
        self.stats = stats = self._new_stats()
        self._faults_before = supervise.faults()
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
                try:
                    raw = self.stage.process(frame, stats)
                except ModelUnavailable as e:
                    self.model_dropped += getattr(frame, "count", 1)
                    self._model_down = True
                    self.model_link.failed(e, self._stop)  # backoff; the next frame is the next attempt
                    wait_from = time.perf_counter()
                    continue
                if self._model_down:
                    self._model_down = False
                    self.model_link.opened()
                self._put(out_q, (frame, raw))
                frames += getattr(frame, "count", 1)  # a multi-stream Batch (camera/multistream.py) is several
                if time.perf_counter() >= next_log:
                    next_log += self.log_interval
                    log.info(format_line(stats.snapshot(), self._log_extra()))
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
        restarts = supervise.faults_since(self._faults_before)
        return {
            "source": self.source.uri,
            "model": self.stage.describe(),
            "stopped_by": self.stopped_by,
            **self.stats.summary(),
            **self.source.counters(),
            **self._stage_summary,
            **({"model_dropped": self.model_dropped, "model_reconnects": self.model_link.reconnects}
               if self.model_dropped or self.model_link.reconnects else {}),
            **self.sinks.summary(),
            **({"thread_restarts": restarts} if restarts else {}),
        }

    def _log_extra(self) -> str:
        c = self.source.counters()
        extra = f" | dropped {c['dropped']} skipped {c['skipped']}"
        for name, values in self.stage.counters().items():
            if isinstance(values, dict):
                extra += f" | {name}: " + " ".join(f"{k} {v}" for k, v in values.items())
        return extra

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
        self._stage_summary = self.stage.finish()
        self.sinks.emit(self.stage.events())  # what the end of the run decided (items still in view ...)

    def _output(self, q: queue.Queue) -> None:
        stats = self.stats
        try:
            while (item := q.get()) is not None:
                frame, raw = item
                result = self.stage.result(frame, raw, stats)
                with stats.time("render"):
                    out = self.sinks.render(frame, result, self.live_stats(), self.stage.events())
                for t0 in getattr(frame, "t0s", (frame.t0,)):
                    stats.frame_done(t0)
                for hook in self.on_frame:
                    if hook(out):
                        self.stop("on_frame")
        except BaseException as e:  # noqa: BLE001 - re-raised on the calling thread
            self._output_error = e
            log.error("output stage failed: %s", e)
