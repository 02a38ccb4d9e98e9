"""Sources that wait: keep trying a camera or stream that is not up yet (boot order, a restarting NVR).

    backoff_delays(0.5, 10.0)          -> 0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, ...
    retry_open(grabber.open, "rtsp://cam/stream", give_up_after=None)   # tries until it opens or is stopped

Every failed attempt is logged with its number, the error and the wait before the next one. Errors that
cannot heal by waiting (a malformed URI, an unknown option) are raised before any retry starts, by the
caller's parsing; only the open itself is retried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from foodcam.camera.supervise import backoff_delays  # the one backoff (also Backoff's)
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.camera")
T = TypeVar("T")

INITIAL_S = 0.5
MAXIMUM_S = 10.0


def retry_open(attempt: Callable[[], T], name: str, *, give_up_after: float | None = None,
               initial: float = INITIAL_S, maximum: float = MAXIMUM_S,
               stop: threading.Event | None = None, retry_on: tuple = (FoodcamError, OSError)) -> T:
    """`attempt()` until it returns; waits from `backoff_delays` between failures, logging each one.

    give_up_after: seconds after which the last error is raised (None: never give up). `stop` (set from
    another thread, e.g. a signal handler) ends the wait with the last error at once."""
    stop = stop or threading.Event()
    start = time.monotonic()
    for number, delay in enumerate(backoff_delays(initial, maximum), start=1):
        try:
            result = attempt()
        except retry_on as e:
            waited = time.monotonic() - start
            if give_up_after is not None and waited + delay > give_up_after:
                log.error("%s: still not up after %d attempts in %.1f s; giving up (%s)", name, number, waited, e)
                raise
            log.warning("%s: not up yet (attempt %d: %s); next try in %.1f s", name, number, e, delay)
            if stop.wait(delay):
                raise
            continue
        if number > 1:
            log.info("%s: opened on attempt %d after %.1f s", name, number, time.monotonic() - start)
        return result
    raise AssertionError("unreachable")  # backoff_delays never ends
