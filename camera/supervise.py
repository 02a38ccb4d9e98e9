"""Threads that feed the line never die silently, and links that drop are reopened with backoff.

    worker = Worker("trigger udp", self._run, stop=self._stop)   # restarted if _run raises; counted
    worker.start()

    link = Reconnect("serial /dev/ttyUSB0", log, first_s=0.2, most_s=5.0)
    while not stop.is_set():
        try:
            handle = open_it()
        except OSError as e:
            link.failed(e, stop)          # warns once per outage, then waits (0.2, 0.4, ... 5 s)
            continue
        link.opened()                     # "reconnected" after an outage; counts it
        use(handle)

An unexpected exception in a worker is logged with its traceback, counted in `FAULTS` under the worker's
name, and the worker starts again after a short wait; `faults()` is what a run's summary reports.
Sources (camera reader), triggers (photo-eye receivers), actuators (link keeper) and the ejection timer
all run as workers.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator

log = logging.getLogger("foodcam.camera")

FAULTS: Counter = Counter()  # worker name -> restarts after an unexpected exception, this process
_faults_lock = threading.Lock()


def faults() -> dict[str, int]:
    """Restarts so far, per worker name."""
    with _faults_lock:
        return dict(FAULTS)


def faults_since(before: dict[str, int]) -> dict[str, int]:
    """Restarts since the snapshot `before` (a run's share of them)."""
    now = faults()
    return {k: n - before.get(k, 0) for k, n in now.items() if n > before.get(k, 0)}


def backoff_delays(initial: float, maximum: float, factor: float = 2.0) -> Iterator[float]:
    """Capped exponential waits: initial, initial*factor, ... up to maximum, forever."""
    delay = max(0.0, float(initial))
    while True:
        yield min(delay, maximum)
        delay = min(max(delay, 1e-3) * factor, maximum)


class Backoff:
    """Capped exponential waits (`backoff_delays`): first_s, 2 x first_s, ... up to most_s; `reset()` after a
    success."""

    def __init__(self, first_s: float = 0.2, most_s: float = 5.0) -> None:
        self.first, self.most = float(first_s), float(most_s)
        self.delay: float  # the next wait
        self._delays: Iterator[float]
        self.reset()

    def wait(self, stop: threading.Event) -> bool:
        """Sleep the current delay (cut short by `stop`) and double the next; True if stopped meanwhile."""
        stopped = stop.wait(self.delay)
        self.delay = next(self._delays)
        return stopped

    def reset(self) -> None:
        self._delays = backoff_delays(self.first, self.most)
        self.delay = next(self._delays)


class Reconnect:
    """The bookkeeping of a link that may drop: backoff between attempts, one warning per outage,
    `reconnects` counted, "reconnected" logged when it comes back."""

    def __init__(self, name: str, logger: logging.Logger | None = None, first_s: float = 0.2,
                 most_s: float = 5.0) -> None:
        self.name, self.log = name, logger or log
        self.backoff = Backoff(first_s, most_s)
        self.reconnects = 0
        self.ever_opened = False
        self._warned = False

    def failed(self, error: BaseException | str, stop: threading.Event | None = None) -> bool:
        """An attempt failed: log it (a warning the first time in an outage) and wait; True if stopped."""
        (self.log.debug if self._warned else self.log.warning)(
            "%s: down (%s); retrying in %.1f s", self.name, error, self.backoff.delay)
        self._warned = True
        return self.backoff.wait(stop or threading.Event())

    def opened(self) -> None:
        """An attempt succeeded."""
        if self.ever_opened:
            self.reconnects += 1
            self.log.info("%s: reconnected", self.name)
        self.ever_opened, self._warned = True, False
        self.backoff.reset()


class Worker:
    """A daemon thread running `target()` until it returns or `stop` is set; restarted when it raises."""

    def __init__(self, name: str, target: Callable[[], None], stop: threading.Event | None = None,
                 restart_s: float = 0.1, restart_max_s: float = 5.0) -> None:
        self.name, self.target = name, target
        self.stop = stop or threading.Event()
        self.restarts = 0
        self.last_error: str | None = None
        self._backoff = Backoff(restart_s, restart_max_s)
        self._thread: threading.Thread | None = None

    def start(self) -> Worker:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                self.target()
                return
            except Exception as e:  # noqa: BLE001 - the point: log, count, restart
                self.restarts += 1
                self.last_error = f"{type(e).__name__}: {e}"
                with _faults_lock:
                    FAULTS[self.name] += 1
                log.exception("%s: thread failed (%s); restarting it (restart %d)", self.name, self.last_error,
                              self.restarts)
                if self._backoff.wait(self.stop):
                    return
