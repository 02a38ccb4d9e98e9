"""One interface for every ejector link, and the keeper that reopens a lost link (camera/supervise.py).

    act = open_actuator({"type": "serial", "port": "/dev/ttyUSB0"}, line="line-1")
    act.connect()                      # tries once now; a background thread keeps retrying with backoff
    act.fire(item_id, "reject", at)    # ActuatorError when the link is down or the command failed
    act.close()

A link that fails while sending is marked down and reopened in the background; the sorting line keeps
deciding meanwhile, and the scheduler logs the commands that could not be sent as missed.
"""

from __future__ import annotations

import abc
import logging
import threading
import time

from foodcam.camera.supervise import Reconnect, Worker
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.actuators")

ACTIONS = ("reject", "divert")


class ActuatorError(FoodcamError):
    """A command that was not delivered (link down, no ack, device error)."""


class Actuator(abc.ABC):
    """Subclasses implement `_open`, `_drop` and `_deliver`; this class keeps the link up."""

    kind = "actuator"

    def __init__(self, line: str = "line", pulse_ms: float = 60.0, backoff_s: float = 0.2,
                 backoff_max_s: float = 5.0) -> None:
        self.line, self.pulse_ms = line, float(pulse_ms)
        self.backoff0, self.backoff_max = float(backoff_s), float(backoff_max_s)
        self.sent = 0  # commands delivered
        self._lock = threading.RLock()  # one command or (re)open at a time
        self._up = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._keeper_worker: Worker | None = None
        self._link: Reconnect | None = None
        self._open_error: BaseException | None = None

    @property
    def link(self) -> Reconnect:
        """Backoff, outage warnings and the reconnect count of this link (made on first use: describe()
        may depend on attributes a subclass sets after this constructor)."""
        if self._link is None:
            self._link = Reconnect(f"{self.kind} {self.describe()}".strip(), log, self.backoff0, self.backoff_max)
        return self._link

    @property
    def reconnects(self) -> int:
        return self.link.reconnects

    # --- the interface ------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._up

    def connect(self) -> bool:
        """Open the link now if possible; keep (re)opening it in the background. Returns `connected`."""
        self._stop.clear()
        self._try_open()
        if self._keeper_worker is None:
            self._keeper_worker = Worker(f"{self.kind} keeper", self._keeper, self._stop).start()
        return self.connected

    def wait_connected(self, timeout: float) -> bool:
        """Block until connected or `timeout` seconds pass."""
        end = time.monotonic() + timeout
        while not self.connected and time.monotonic() < end:
            time.sleep(0.01)
        return self.connected

    def fire(self, item_id: int, action: str, at: float) -> None:
        """Deliver one command for item `item_id` due at `at` (scheduler clock); ActuatorError if it can't."""
        if action not in ACTIONS:
            raise ActuatorError(f"{self.kind}: unknown action {action!r} (expected {', '.join(ACTIONS)})")
        self.send(self.command(item_id, action, at))

    def send(self, cmd) -> None:
        """Deliver a raw command (a line of text, or a dict for JSON links)."""
        with self._lock:
            if not self._up:
                raise ActuatorError(f"{self.kind} {self.describe()}: not connected")
            try:
                self._deliver(cmd)
            except ActuatorError:
                raise
            except Exception as e:  # noqa: BLE001 - any I/O failure means the link is gone
                self._mark_down(e)
                raise ActuatorError(f"{self.kind} {self.describe()}: {type(e).__name__}: {e}") from None
            self.sent += 1

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._keeper_worker is not None:
            self._keeper_worker.join(timeout=5.0)
        self._keeper_worker = None
        with self._lock:
            if self._up:
                self._up = False
                try:
                    self._drop()
                except Exception as e:  # noqa: BLE001
                    log.debug("%s: error while closing: %s", self.kind, e)

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- what a link provides --------------------------------------------------------------------------
    def command(self, item_id: int, action: str, at: float):
        """The command for one item: a JSON-able dict (text links format it in `_deliver`)."""
        return {"line": self.line, "id": int(item_id), "action": action, "at": round(float(at), 6),
                "pulse_ms": self.pulse_ms, "sent_unix": round(time.time(), 6)}

    def describe(self) -> str:
        return ""

    @abc.abstractmethod
    def _open(self) -> None:
        """Establish the link; raise on failure."""

    @abc.abstractmethod
    def _drop(self) -> None:
        """Tear the link down (best effort)."""

    @abc.abstractmethod
    def _deliver(self, cmd) -> None:
        """Send one command over an open link; raise OSError (link lost) or ActuatorError (command refused)."""

    def _healthy(self) -> bool:
        """Cheap check, every second while up, that the link is still there."""
        return True

    # --- keeping the link up --------------------------------------------------------------------------
    def _try_open(self) -> bool:
        """One attempt to open the link (the keeper waits with backoff after a failure)."""
        with self._lock:
            if self._up:
                return True
            try:
                self._open()
            except Exception as e:  # noqa: BLE001 - every failure to open is retried
                self._open_error = e
                return False
            self._up = True
            self.link.opened()
            return True

    def _mark_down(self, err: BaseException) -> None:
        with self._lock:
            if not self._up:
                return
            self._up = False
            log.warning("%s %s: link lost (%s); reconnecting in the background", self.kind, self.describe(), err)
            try:
                self._drop()
            except Exception:  # noqa: BLE001
                pass
        self._wake.set()

    def _keeper(self) -> None:
        while not self._stop.is_set():
            if self._up:
                self._wake.wait(1.0)
                self._wake.clear()
                if self._up and not self._stop.is_set() and not self._healthy():
                    self._mark_down(OSError("health check failed"))
                continue
            if not self._try_open():
                self.link.failed(self._open_error, self._stop)
