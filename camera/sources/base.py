"""Sources: iterate frames from a grabber, either on the caller's thread (files) or on their own (live).

A *grabber* is the small synchronous thing that talks to a device or file (`open`, `grab`, `close`);
a *source* turns it into a stream of `Frame`s with the right semantics:

- `FileSource`: every frame, in order, on the caller's thread; end of file ends it (or loops).
- `LiveSource`: a reader thread keeps only the latest frame (stale ones are dropped and counted);
  a device that stops delivering is reopened with capped exponential backoff, never ending the run, and
  a reader that fails unexpectedly is restarted (camera/supervise.py), never leaving the loop waiting.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import numpy as np

from foodcam.camera.frame import Frame, GroundTruth
from foodcam.camera.supervise import Reconnect, Worker
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import to_bgr8

log = logging.getLogger("foodcam.camera")

Grab = tuple[np.ndarray, "GroundTruth | None"]  # (BGR image, what the source knows of it or None)


class Grabber(Protocol):
    name: str  # for messages: the URI or path
    fps: float | None  # native frame rate when known
    skipped: int  # unreadable frames skipped so far

    def open(self) -> None: ...  # raise FoodcamError/OSError when it cannot

    def grab(self) -> Grab | None: ...  # None: end of file, or the device stopped delivering

    def close(self) -> None: ...


class Source:
    """Iterate to get frames: `for frame in source: ...`; ends at end of file or on `close()`."""

    live = False

    def __init__(self, grabber: Grabber) -> None:
        self.grabber = grabber
        self.uri = grabber.name
        self.produced = 0  # frames delivered by the grabber (index of the next one)
        self.dropped = 0  # live: frames replaced by a newer one before anyone read them
        self.reopens = 0
        self.ended = False

    @property
    def fps(self) -> float | None:
        return self.grabber.fps

    @property
    def skipped(self) -> int:
        return self.grabber.skipped

    def read(self, timeout: float | None = None) -> Frame | None:
        """The next frame; None at the end (then `ended` is true) or when `timeout` passes first."""
        raise NotImplementedError

    def close(self) -> None:
        self.ended = True

    def counters(self) -> dict:
        return {"produced": self.produced, "dropped": self.dropped, "skipped": self.skipped, "reopens": self.reopens}

    def _frame(self, grab: Grab) -> Frame:
        img, truth = grab
        if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
            img = to_bgr8(img)
        frame = Frame(image=img, index=self.produced, truth=truth)
        self.produced += 1
        return frame

    def __iter__(self):
        while True:
            frame = self.read()
            if frame is None:
                if self.ended:
                    return
                continue
            yield frame

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.uri}>"


class FileSource(Source):
    """Every frame of a file or image sequence, in order, read when asked; `loop` starts over at the end."""

    def __init__(self, grabber: Grabber, loop: bool = False, opened: bool = False) -> None:
        super().__init__(grabber)
        self.loop = loop
        if not opened:  # opened: the caller opened it already (camera.sources.retry)
            grabber.open()
        self._pass_frames = 0

    def read(self, timeout: float | None = None) -> Frame | None:
        while not self.ended:
            got = self.grabber.grab()
            if got is not None:
                self._pass_frames += 1
                return self._frame(got)
            if not (self.loop and self._pass_frames):  # a pass with no frame would loop forever
                self.close()
                break
            self.grabber.close()
            self.grabber.open()
            self._pass_frames = 0
        return None

    def close(self) -> None:
        super().close()
        self.grabber.close()


SAME_FAILURES = 3  # a reader failing the same way this many times in a row, with no frame between, stops


class LiveSource(Source):
    """A reader thread holding only the newest frame; reopens a device that stops, with backoff.

    paced: deliver at the grabber's own frame rate (synthetic scenes, files played in real time)
    rather than as fast as it returns frames. reconnect: False for files, which end instead.
    """

    live = True

    def __init__(self, grabber: Grabber, paced: bool = False, reconnect: bool = True, loop: bool = False,
                 backoff: float = 0.1, backoff_max: float = 5.0, opened: bool = False) -> None:
        super().__init__(grabber)
        self.reconnect, self.loop = reconnect, loop
        self.link = Reconnect(self.uri, log, backoff, backoff_max)
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._taken = True  # the latest frame was read (or there is none)
        self._stop = threading.Event()
        if not opened:  # opened: the caller opened it already (camera.sources.retry)
            grabber.open()  # a wrong URI fails here, loudly; later failures are retried
        self._opened = True
        self.pace = (grabber.fps or 30.0) if paced else None
        self.fatal: str | None = None  # the error that stopped the source (the same one, SAME_FAILURES times)
        self._failure: tuple[str, int] = ("", 0)  # (last unexpected error, times in a row without a frame)
        self._worker = Worker(f"source {self.uri}", self._run, self._stop).start()

    def read(self, timeout: float | None = None) -> Frame | None:
        with self._cond:
            if not self._cond.wait_for(lambda: not self._taken or self.ended, timeout):
                return None
            if self._taken:  # ended with nothing new
                if self.fatal is not None:
                    raise FoodcamError(self.fatal)
                return None
            self._taken = True
            return self._latest

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self.ended = True
            self._cond.notify_all()
        self._worker.join(timeout=5.0)

    # -- the reader thread (restarted, with the device reopened, if it fails unexpectedly) ------------
    def _run(self) -> None:
        due, pass_frames = time.perf_counter(), 0
        try:
            while not self._stop.is_set():
                if not self._opened:
                    try:
                        self.grabber.open()
                    except Exception as e:  # noqa: BLE001 - an absent device is waited for; a bug is not
                        if not isinstance(e, (FoodcamError, OSError)) and self._same_failure(e):
                            return
                        self.link.failed(e, self._stop)
                        continue
                    self._opened, pass_frames = True, 0
                got = self.grabber.grab()
                if got is None:
                    self._close_grabber()
                    if not self.reconnect:
                        if self.loop and pass_frames:
                            continue
                        break
                    self.reopens += 1
                    self.link.failed("stopped delivering frames", self._stop)
                    continue
                if pass_frames == 0:  # delivering again: the link is back, the next outage starts short
                    self.link.opened()
                    self._failure = ("", 0)
                pass_frames += 1
                if self.pace:
                    due = max(due + 1.0 / self.pace, time.perf_counter())  # behind: no burst to catch up
                    self._stop.wait(max(0.0, due - time.perf_counter()))
                frame = self._frame(got)
                with self._cond:
                    if not self._taken:
                        self.dropped += 1
                    self._latest, self._taken = frame, False
                    self._cond.notify_all()
        except Exception as e:
            self._close_grabber()  # the worker restarts this loop, which reopens the device
            if not self._same_failure(e):
                raise
            return
        self._close_grabber()
        with self._cond:
            self.ended = True
            self._cond.notify_all()

    def _same_failure(self, e: Exception) -> bool:
        """True (and the source ends with the error) when `e` is the error of the last SAME_FAILURES runs, none
        of which delivered a frame: a deterministic failure, which no restart heals."""
        what = f"{type(e).__name__}: {' '.join(str(e).split())[:200]}"
        n = self._failure[1] + 1 if self._failure[0] == what else 1
        self._failure = (what, n)
        if n < SAME_FAILURES:
            return False
        log.error("%s: failed the same way %d times in a row (%s); stopping", self.uri, n, what)
        with self._cond:
            self.fatal = f"{self.uri}: {what} (the same error {n} times in a row; not retried)"
            self.ended = True
            self._cond.notify_all()
        return True

    def _close_grabber(self) -> None:
        if self._opened:
            self._opened = False
            try:
                self.grabber.close()
            except Exception as e:  # noqa: BLE001 - closing is best effort
                log.debug("%s: error while closing: %s", self.uri, e)
