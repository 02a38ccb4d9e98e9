"""What every sink receives (a rendered frame) and the group that feeds them, isolating their failures."""

from __future__ import annotations

import errno
import logging
import time

import numpy as np

from foodcam.camera.analytics import KitchenAnalytics
from foodcam.camera.food_analytics import FoodAnalytics
from foodcam.camera.frame import Frame
from foodcam.camera.overlay import Visualizer

log = logging.getLogger("foodcam.camera")


class Rendered:
    """One frame after the model: the result, analytics, new events, live stats, and the annotated image.

    The annotated image is drawn on first use, so sinks that only log (events, scores) cost no drawing.
    """

    def __init__(self, frame: Frame, result, stats: dict | None, analytics: dict | None, events: list[dict],
                 visualizer: Visualizer) -> None:
        self.frame, self.result, self.stats = frame, result, stats or {}
        self.analytics, self.events = analytics, events
        self._vis = visualizer
        self._image: np.ndarray | None = None

    @property
    def image(self) -> np.ndarray:
        if self._image is None:
            info = {"fps": self.stats.get("fps"), "latency_ms": self.stats.get("latency_ms"), "frame": self.frame.index}
            self._image = self._vis.draw(self.frame.image, self.result, info)
        return self._image


class Sink:
    """One output. `write` may raise: the group reports it once and disables this sink only."""

    name = "sink"
    stop = False  # a sink may ask the run to end (a window closed with q)

    def write(self, out: Rendered) -> None:
        raise NotImplementedError

    def write_events(self, events: list[dict]) -> None:
        """Records that arrive without a frame (the end of a run): sinks that keep records take them."""

    def close(self) -> None:
        pass

    def summary(self) -> dict:
        return {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


TRANSIENT_ERRNOS = {errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.EAGAIN, errno.ENOBUFS}
MAX_RETRIES = 100


class Sinks:
    """All outputs of a run. `render(frame, result)` draws once and hands the same picture to every sink.

    The visualizer (unless one is given: the sorting line brings its own) and the analytics (kitchen: stirrer
    and coverage; foodseg: foods present) are set up from the first result's task.
    """

    def __init__(self, sinks: list[Sink] | None = None, visualize: str = "overlay", alpha: float = 0.5,
                 analytics: bool = True, visualizer=None, **analytics_options) -> None:
        self.sinks = list(sinks or [])
        self.failed: dict[str, str] = {}  # sink name -> first error
        self.visualize, self.alpha = visualize, alpha
        self.want_analytics, self.analytics_options = analytics, analytics_options
        self.visualizer = visualizer  # anything with draw(image, result, info) -> image
        self.analytics: KitchenAnalytics | FoodAnalytics | None = None
        self.event_counts: dict[str, int] = {}
        self.latest: Rendered | None = None
        self._started = False
        self.retries: dict[str, int] = {}  # sink name -> writes skipped for a transient error (no file handle)
        self._paused: dict[int, tuple[float, float]] = {}  # id(sink) -> (retry at, backoff s)

    def add(self, sink: Sink) -> Sink:
        self.sinks.append(sink)
        return sink

    @property
    def stop_requested(self) -> bool:
        return any(s.stop for s in self.sinks)

    def render(self, frame: Frame, result, stats: dict | None = None, events: list[dict] | None = None) -> Rendered:
        """Hand one frame's result to every sink; `events`: the stage's records that arose meanwhile."""
        if not self._started:
            self._started = True
            if self.visualizer is None:
                self.visualizer = Visualizer(result.task, self.visualize, self.alpha)
            if self.want_analytics and KitchenAnalytics.supports(result.task):
                self.analytics = KitchenAnalytics(result.task, **self.analytics_options)
            elif self.want_analytics and FoodAnalytics.supports(result.task):  # foods on a plate
                self.analytics = FoodAnalytics(result.task)
        state, new = None, []
        if isinstance(self.analytics, FoodAnalytics):
            state, new = self.analytics.update(result.mask, frame.index, frame.timestamp, result.probs)
        elif self.analytics is not None:
            state, new = self.analytics.update(result.mask, frame.index, frame.timestamp)
        for e in new:
            log.info("event %s at frame %d", e["event"], e["frame"])
        new = new + list(events or [])
        self._count(new)
        out = Rendered(frame, result, stats, state, new, self.visualizer)
        for sink in list(self.sinks):
            if self._waiting(sink):
                continue
            try:
                sink.write(out)
                self._paused.pop(id(sink), None)
            except Exception as e:  # noqa: BLE001 - one broken output must not stop the others
                self._failed(sink, e)
        self.latest = out
        return out

    def emit(self, events: list[dict]) -> None:
        """Records without a frame (what the end of a run decided) to the sinks that keep records."""
        if not events:
            return
        self._count(events)
        for sink in list(self.sinks):
            try:
                sink.write_events(events)
            except Exception as e:  # noqa: BLE001 - one broken output must not stop the others
                self._failed(sink, e)

    def _count(self, events: list[dict]) -> None:
        for e in events:
            self.event_counts[e["event"]] = self.event_counts.get(e["event"], 0) + 1

    def _waiting(self, sink: Sink) -> bool:
        paused = self._paused.get(id(sink))
        return paused is not None and time.monotonic() < paused[0]

    def _failed(self, sink: Sink, error: Exception) -> None:
        """A transient shortage (no file handle, no memory for a buffer) pauses the output and it is tried again
        after a backoff (1 s doubling to 30 s, up to MAX_RETRIES times); any other error disables it."""
        transient = isinstance(error, MemoryError) or (isinstance(error, OSError) and error.errno in TRANSIENT_ERRNOS)
        if transient and self.retries.get(sink.name, 0) < MAX_RETRIES:
            delay = min(30.0, 2 * self._paused.get(id(sink), (0.0, 0.5))[1])
            self._paused[id(sink)] = (time.monotonic() + delay, delay)
            self.retries[sink.name] = self.retries.get(sink.name, 0) + 1
            log.warning("output %s: %s; trying again in %.0f s", sink.name, error, delay)
            return
        self._disable(sink, error)

    def _disable(self, sink: Sink, error: Exception) -> None:
        self.sinks.remove(sink)
        self.failed[sink.name] = f"{type(error).__name__}: {error}"
        log.error("output %s failed and is disabled: %s", sink.name, self.failed[sink.name])
        try:
            sink.close()
        except Exception as e:  # noqa: BLE001
            log.debug("closing failed output %s: %s", sink.name, e)

    def close(self) -> None:
        for sink in list(self.sinks):
            try:
                sink.close()
            except Exception as e:  # noqa: BLE001 - finalise every other output regardless
                self.failed[sink.name] = f"{type(e).__name__}: {e}"
                log.error("output %s could not be finalised: %s", sink.name, e)

    def summary(self) -> dict:
        out: dict = {"events": dict(self.event_counts)}
        if self.analytics is not None:
            out["analytics"] = self.analytics.state
        for sink in self.sinks:
            out.update(sink.summary())
        if self.failed:
            out["failed_outputs"] = dict(self.failed)
        return out

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
