"""One interface for every ejector link, and the reconnect-with-backoff keeper they share.

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
        self.reconnects = 0
        self._lock = threading.RLock()  # one command or (re)open at a time
        self._up = False
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._ever_up = False

    # --- the interface ------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._up

    def connect(self) -> bool:
        """Open the link now if possible; keep (re)opening it in the background. Returns `connected`."""
        self._stop.clear()
        self._try_open()
        if self._thread is None:
            self._thread = threading.Thread(target=self._keeper, name=f"{self.kind} keeper", daemon=True)
            self._thread.start()
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
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5.0)
        self._thread = None
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
        with self._lock:
            if self._up:
                return True
            try:
                self._open()
            except Exception as e:  # noqa: BLE001 - every failure to open is retried
                log.debug("%s %s: cannot open: %s", self.kind, self.describe(), e)
                return False
            self._up = True
            if self._ever_up:
                self.reconnects += 1
                log.info("%s %s: reconnected", self.kind, self.describe())
            self._ever_up = True
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
        backoff = self.backoff0
        while not self._stop.is_set():
            if self._up:
                self._wake.wait(1.0)
                self._wake.clear()
                if self._up and not self._stop.is_set() and not self._healthy():
                    self._mark_down(OSError("health check failed"))
                backoff = self.backoff0
                continue
            if self._try_open():
                continue
            self._stop.wait(backoff)
            backoff = min(backoff * 2, self.backoff_max)
