"""systemd's notify protocol, no dependency: READY=1 once the loop runs, WATCHDOG=1 from the loop, STOPPING=1.

Under `Type=notify` + `WatchdogSec=` (docs/foodcam.service) systemd sets NOTIFY_SOCKET (a unix datagram socket,
`@name` for the abstract namespace) and WATCHDOG_USEC; if the frame loop stops sending WATCHDOG=1 for that long,
systemd kills and restarts the service — a frozen camera loop does not stay frozen. Outside systemd (no
NOTIFY_SOCKET) every call does nothing. A notification that cannot be sent is logged once, never raised, and never
blocks the loop (a datagram socket whose reader lags has a full queue: WATCHDOG=1 is then dropped, READY=1 and
STOPPING=1 wait at most a second): the watchdog must not be what stops a run.
"""

from __future__ import annotations

import logging
import os
import socket
import time

log = logging.getLogger("foodcam.camera")


class Notifier:
    """Sends sd_notify messages to `address`; `watchdog()` is cheap to call every frame (rate-limited)."""

    def __init__(self, address: str | None, watchdog_usec: int | None = None) -> None:
        self.address = address
        self.interval = watchdog_usec / 1e6 / 3 if watchdog_usec else None  # ping at 3x the rate systemd needs
        self._last = float("-inf")
        self._sock: socket.socket | None = None
        self._warned = False
        self.sent = 0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Notifier:
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET") or None
        usec: int | None = None
        if env.get("WATCHDOG_USEC", "").isdigit() and int(env["WATCHDOG_USEC"]) > 0:
            pid = env.get("WATCHDOG_PID", "")
            if not pid or pid == str(os.getpid()):  # the watchdog is meant for this process
                usec = int(env["WATCHDOG_USEC"])
        return cls(address, usec)

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def notify(self, message: str, wait: float = 0.0) -> bool:
        """Send one datagram, e.g. "READY=1\\nSTATUS=running", waiting at most `wait` seconds for room in the
        socket's queue; False (logged once) when it cannot be sent."""
        if not self.address:
            return False
        addr = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            if wait > 0:
                self._sock.settimeout(wait)
                self._sock.sendto(message.encode(), addr)
            else:
                self._sock.sendto(message.encode(), socket.MSG_DONTWAIT, addr)
        except OSError as e:  # also BlockingIOError / TimeoutError: the queue is full
            if not self._warned:
                self._warned = True
                log.warning("systemd notify socket %s: %s (service watchdog pings are not arriving)", self.address, e)
            return False
        self.sent += 1
        return True

    def ready(self, status: str = "") -> bool:
        return self.notify("READY=1" + (f"\nSTATUS={status}" if status else ""), wait=1.0)

    def watchdog(self) -> bool:
        """WATCHDOG=1 if the watchdog is on and the last ping is older than a third of its timeout."""
        if self.interval is None or not self.address:
            return False
        now = time.monotonic()
        if now - self._last < self.interval:
            return False
        self._last = now
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1", wait=1.0)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
