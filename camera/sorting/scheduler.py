"""Firing ejector commands at the right moment, and accounting for every one of them.

A command is due at `fire_at` on the scheduler's clock (the clock the frame timestamps are on). The
delay left when it is submitted is `fire_at - now`: the processing latency since the frame was taken is
already spent, so it is compensated by construction. At its time the command is sent; one that is late by
more than `tolerance_s` (the pusher would hit the wrong spot), or finds the actuator down, is not sent and
is reported `missed` with the reason. Nothing is dropped silently: `close()` reports whatever is pending.

Two clocks: `WallClock` (live cameras; a timer thread fires commands) and `SimClock` (simulated and
recorded sources; `advance_to(t)` fires everything due up to t, each at exactly its own time).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from foodcam.camera.actuators import Actuator, ActuatorError
from foodcam.camera.supervise import Worker

log = logging.getLogger("foodcam.sorting")

EARLY_S = 0.0005  # a real-time command may go this much before its time (timer granularity)


class WallClock:
    """Seconds of time.perf_counter (the clock of Frame.t0)."""

    realtime = True

    def now(self) -> float:
        return time.perf_counter()


class SimClock:
    """A clock that moves only when told: simulated time, exact and repeatable."""

    realtime = False

    def __init__(self, t: float = 0.0) -> None:
        self.t = float(t)

    def now(self) -> float:
        return self.t


@dataclass(frozen=True)
class Outcome:
    item_id: int
    action: str
    scheduled_at: float
    actual_at: float | None  # when it was sent (None: missed)
    outcome: str  # fired | missed
    error: str | None = None


@dataclass
class _Command:
    item_id: int
    action: str
    fire_at: float
    on_done: Callable[[Outcome], None] | None


class Scheduler:
    """`submit(item_id, action, fire_at, on_done)`; `on_done(Outcome)` is called exactly once per command."""

    def __init__(self, actuator: Actuator, clock: WallClock | SimClock | None = None,
                 tolerance_s: float = 0.05) -> None:
        self.actuator = actuator
        self.clock = clock or WallClock()
        self.tolerance = float(tolerance_s)
        self._heap: list[tuple[float, int, _Command]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self.fired = self.missed = 0
        self._worker: Worker | None = None
        if self.clock.realtime:  # a timer thread that is restarted, never silently lost, if it fails
            self._worker = Worker("ejection timer", self._run).start()

    @property
    def pending(self) -> int:
        with self._cond:
            return len(self._heap)

    def queue(self) -> list[tuple[int, str, float]]:
        """The commands waiting, soonest first: (item id, action, due at)."""
        with self._cond:
            return [(c.item_id, c.action, c.fire_at) for _, _, c in sorted(self._heap, key=lambda e: (e[0], e[1]))]

    def submit(self, item_id: int, action: str, fire_at: float,
               on_done: Callable[[Outcome], None] | None = None) -> None:
        cmd = _Command(int(item_id), action, float(fire_at), on_done)
        now = self.clock.now()
        if now - cmd.fire_at > self.tolerance:
            self._finish(cmd, None, f"decided {1000 * (now - cmd.fire_at):.0f} ms after its actuation time "
                                    f"(tolerance {1000 * self.tolerance:.0f} ms)")
            return
        with self._cond:
            if self._closed:
                raise RuntimeError("scheduler is closed")
            heapq.heappush(self._heap, (cmd.fire_at, next(self._seq), cmd))
            self._cond.notify_all()
        if not self.clock.realtime and cmd.fire_at <= now:
            self.advance_to(now)

    def advance_to(self, t: float) -> None:
        """Simulated clock: fire, in order and each at its own time, every command due up to t."""
        if self.clock.realtime:
            raise RuntimeError("advance_to is for a simulated clock")
        while True:
            with self._cond:
                if not self._heap or self._heap[0][0] > t:
                    break
                _, _, cmd = heapq.heappop(self._heap)
            self.clock.t = max(self.clock.t, cmd.fire_at)
            self._fire(cmd)
        self.clock.t = max(self.clock.t, float(t))

    def close(self, drain: bool = True, timeout: float | None = None) -> None:
        """Stop: fire what is due (drain) or report everything pending missed.

        Simulated clock: draining fires every pending command at its own time (no wall time passes). Wall clock:
        draining waits only for the commands due within the tolerance; the rest are reported missed with
        "not fired: stopped", so a line with a long travel time still stops promptly."""
        if drain and not self.clock.realtime:
            with self._cond:
                last = max((c.fire_at for _, _, c in self._heap), default=None)
            if last is not None:
                self.advance_to(last)
        elif drain:
            horizon = self.clock.now() + self.tolerance
            wait = self.tolerance + 0.2
            end = time.monotonic() + (wait if timeout is None else min(wait, timeout))
            while time.monotonic() < end:
                with self._cond:
                    if not any(c.fire_at <= horizon for _, _, c in self._heap):
                        break
                time.sleep(0.005)
        with self._cond:
            self._closed = True
            left = [c for _, _, c in sorted(self._heap, key=lambda e: (e[0], e[1]))]
            self._heap.clear()
            self._cond.notify_all()
        if self._worker is not None:
            self._worker.stop.set()
            self._worker.join(timeout=2.0)
        for cmd in left:
            self._finish(cmd, None, "not fired: stopped (still pending when the line stopped)")

    # --- firing ---------------------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed:
                    if self._heap:
                        delay = self._heap[0][0] - self.clock.now()
                        if delay <= EARLY_S:
                            break
                        self._cond.wait(min(delay, 0.5))
                    else:
                        self._cond.wait(0.5)
                if self._closed:
                    return
                _, _, cmd = heapq.heappop(self._heap)
            self._fire(cmd)

    def _fire(self, cmd: _Command) -> None:
        now = self.clock.now()
        late = now - cmd.fire_at
        if late > self.tolerance:
            self._finish(cmd, None, f"{1000 * late:.0f} ms late (tolerance {1000 * self.tolerance:.0f} ms)")
            return
        if not self.actuator.connected:
            self._finish(cmd, None, f"actuator {self.actuator.kind} not connected")
            return
        try:
            self.actuator.fire(cmd.item_id, cmd.action, cmd.fire_at)
        except ActuatorError as e:
            self._finish(cmd, None, str(e))
            return
        self._finish(cmd, now, None)

    def _finish(self, cmd: _Command, actual: float | None, error: str | None) -> None:
        out = Outcome(cmd.item_id, cmd.action, cmd.fire_at, actual, "fired" if error is None else "missed", error)
        if error is None:
            self.fired += 1
        else:
            self.missed += 1
            log.warning("item %d: %s command missed: %s", cmd.item_id, cmd.action, error)
        if cmd.on_done is not None:
            try:
                cmd.on_done(out)
            except Exception:  # noqa: BLE001 - a failing callback must not stop the scheduler
                log.exception("item %d: outcome callback failed", cmd.item_id)
