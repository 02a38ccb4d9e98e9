"""Photo-eye inputs: a light barrier across the belt reports "beam blocked" and "beam clear".

    detection:
      method: trigger
      trigger: {type: udp, host: 127.0.0.1, port: 5005}     # JSON {"beam": "blocked"|"clear"}, {"state": 1|0}, 1/0
               # allow: [192.168.1.20]: the senders accepted (addresses or networks; default loopback only)
      trigger: {type: serial, port: /dev/ttyUSB0, baudrate: 115200}   # lines 1/0 or blocked/clear
      trigger: {type: gpio, pin: 12, mode: BOARD, active_low: true}  # Jetson.GPIO edge detection
      trigger: {type: synth}                                 # synth://conveyor: the beam from its ground truth
    (every type also takes offset_s, min_blocked_s and roi: see trigger_tracker.py)

Each input is a background receiver that stamps an event with `time.perf_counter()` when it arrives (the
clock of `Frame.t0` and the sorting line's `WallClock`) and hands it over thread-safely: `poll()` returns
the events received since the last call as `[(t, blocked), ...]`. `synth` is the exception: it derives the
events from the simulated items (ConveyorItem kinematics) on the simulated clock.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import time
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from foodcam.camera.config import Seconds, Section, check_box
from foodcam.camera.supervise import Reconnect, Worker
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.sorting")

WORDS = {"1": True, "0": False, "blocked": True, "clear": False}


MAX_MESSAGE = 256  # bytes: the longest well-formed message is ~20; anything longer is malformed unread
_FLAT_OBJECT = re.compile(r'\{[^{}\[\]]*\}')  # one JSON object with no nesting inside


def parse_state(payload: bytes | str) -> bool | None:
    """True (blocked), False (clear), or None (malformed) for one datagram or line.

    Accepts JSON {"beam": "blocked"|"clear"} or {"state": 1|0}, and plain 1/0 or blocked/clear text.
    Never raises and never recurses: anything over MAX_MESSAGE bytes, or that is not a plain word or one
    flat JSON object, is malformed before any JSON parser sees it (one datagram of 1,500 `[` characters
    used to raise RecursionError and kill the receiving thread)."""
    try:
        if len(payload) > MAX_MESSAGE:
            return None
        text = payload.decode("utf-8") if isinstance(payload, (bytes, bytearray)) else str(payload)
        text = text.strip()
        if text.lower() in WORDS:
            return WORDS[text.lower()]
        if not _FLAT_OBJECT.fullmatch(text):
            return None
        msg = json.loads(text)
        if isinstance(msg, dict) and len(msg) == 1:
            if msg.get("beam") in ("blocked", "clear"):
                return msg["beam"] == "blocked"
            state = msg.get("state")
            if state in (0, 1) and not isinstance(state, float):
                return bool(state)
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return None


class TriggerInput:
    """The hand-over every input shares; usable on its own as a manual input (`push`)."""

    kind = "manual"
    wall_clock = True  # events are stamped with time.perf_counter()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[tuple[float, bool]] = []
        self._stop = threading.Event()
        self._worker: Worker | None = None
        self.received = 0  # well-formed events
        self.malformed = 0

    def start(self) -> None:
        """Open the input and start receiving (FoodcamError when it cannot be opened)."""

    def close(self) -> None:
        self._stop.set()
        if self._worker is not None:
            self._worker.join(timeout=2.0)
        self._worker = None

    @property
    def restarts(self) -> int:
        """Times the receiving thread failed unexpectedly and was restarted."""
        return self._worker.restarts if self._worker is not None else 0

    def push(self, blocked: bool, t: float | None = None) -> None:
        """Hand over one beam state, stamped now (perf_counter) unless `t` is given."""
        t = time.perf_counter() if t is None else float(t)
        with self._lock:
            self._queue.append((t, bool(blocked)))
            self.received += 1

    def poll(self) -> list[tuple[float, bool]]:
        """The events received since the last poll, oldest first: [(t, blocked), ...]."""
        with self._lock:
            out, self._queue = self._queue, []
        return out

    def _receive(self, payload: bytes | str, t: float) -> None:
        state = parse_state(payload)
        if state is None:
            with self._lock:
                self.malformed += 1
                first = self.malformed == 1
            if first:
                log.warning("trigger %s: ignoring malformed input %r (expected 1/0, blocked/clear or "
                            "{\"beam\": \"blocked\"|\"clear\"}; further ones are only counted)", self.kind,
                            payload[:80])
            return
        self.push(state, t)

    def _spawn(self, target) -> None:
        """Run the receiver as a supervised worker: an unexpected error is logged, counted, and it restarts."""
        self._stop.clear()
        self._worker = Worker(f"trigger {self.kind}", target, self._stop).start()


LOOPBACK = ["127.0.0.0/8", "::1/128"]


def allowed_networks(allow: list[str] | None) -> list:
    """The senders a UDP trigger accepts: `allow` (addresses or networks), loopback only when not given."""
    import ipaddress

    out = []
    for a in LOOPBACK if allow is None else allow:
        try:
            out.append(ipaddress.ip_network(str(a).strip(), strict=False))
        except ValueError:
            raise FoodcamError(f"trigger allow: {str(a)[:60]!r}: expected an IP address or network "
                               "(192.168.1.20, 192.168.1.0/24)") from None
    return out


def _allowed(host: str, networks: list) -> bool:
    import ipaddress

    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip.version == n.version and ip in n for n in networks)


class UdpTrigger(TriggerInput):
    """Datagrams on a bound UDP socket, one state each."""

    kind = "udp"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, allow: list[str] | None = None) -> None:
        super().__init__()
        self.host, self.port = host, int(port)
        self.sock: socket.socket | None = None
        self.allow = allowed_networks(allow)
        self.refused = 0  # datagrams from senders not in the allow-list

    def start(self) -> None:
        try:
            info = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_DGRAM)[0]
            sock = socket.socket(info[0], socket.SOCK_DGRAM)
            sock.bind(info[4])
        except OSError as e:
            raise FoodcamError(f"trigger udp {self.host}:{self.port}: cannot bind ({e.strerror or e})") from None
        sock.settimeout(0.2)
        self.sock, self.port = sock, sock.getsockname()[1]
        log.info("trigger udp: listening on %s:%d", self.host, self.port)
        self._spawn(self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, sender = self.sock.recvfrom(2048)
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            if not _allowed(sender[0], self.allow):
                self.refused += 1
                if self.refused == 1:
                    log.warning("trigger udp: datagram from %s ignored (not in the trigger's allow list)", sender[0])
                continue
            self._receive(data, time.perf_counter())

    def close(self) -> None:
        super().close()
        if self.sock is not None:
            self.sock.close()
            self.sock = None


class SerialTrigger(TriggerInput):
    """Lines from a serial port (pyserial); reopened with backoff when the port goes away."""

    kind = "serial"

    def __init__(self, port: str, baudrate: int = 115200, backoff_s: float = 0.2, backoff_max_s: float = 5.0) -> None:
        super().__init__()
        self.port, self.baudrate = port, int(baudrate)
        self.link = Reconnect(f"trigger serial {port}", log, backoff_s, backoff_max_s)
        self.connected = False

    @property
    def reconnects(self) -> int:
        return self.link.reconnects

    def start(self) -> None:
        try:
            import serial  # noqa: F401  (pyserial)
        except ImportError:
            raise FoodcamError("trigger type serial needs pyserial (pip install 'foodcam[actuators]')") from None
        self._spawn(self._run)

    def _run(self) -> None:
        import serial

        while not self._stop.is_set():
            try:
                ser = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.2)
            except (OSError, ValueError) as e:
                self.link.failed(e, self._stop)
                continue
            self.link.opened()
            self.connected = True
            try:
                self._read(ser)
            except (OSError, serial.SerialException) as e:
                log.warning("trigger serial %s: lost (%s); reopening in the background", self.port, e)
            finally:
                self.connected = False
                ser.close()

    def _read(self, ser) -> None:
        """Read lines until stopped or the port disappears; a line is stamped when its end arrives."""
        buf = b""
        while not self._stop.is_set():
            chunk = ser.readline()
            if not chunk:
                if "://" not in self.port and not os.path.exists(self.port):
                    raise OSError(f"{self.port} is gone")
                continue
            t = time.perf_counter()
            buf += chunk
            if buf.endswith(b"\n"):
                line, buf = buf.strip(), b""
                if line:
                    self._receive(line, t)


def import_gpio():
    """The Jetson.GPIO module, or a one-line error on a machine without it."""
    try:
        import Jetson.GPIO as GPIO
    except (ImportError, RuntimeError) as e:  # RuntimeError: installed, but not on a Jetson
        raise FoodcamError(f"trigger type gpio needs Jetson.GPIO on a Jetson ({type(e).__name__}: {e}); "
                           "use a udp or serial trigger elsewhere") from None
    return GPIO


class GpioTrigger(TriggerInput):
    """A Jetson header pin with edge detection on both edges; `active_low`: low level = beam blocked."""

    kind = "gpio"

    def __init__(self, pin: int, mode: str = "BOARD", active_low: bool = False,
                 bouncetime_ms: int | None = None) -> None:
        super().__init__()
        self.GPIO = import_gpio()
        self.pin, self.mode, self.active_low, self.bouncetime = int(pin), mode, bool(active_low), bouncetime_ms

    def blocked(self, level) -> bool:
        return (level == self.GPIO.LOW) if self.active_low else (level == self.GPIO.HIGH)

    def start(self) -> None:
        G = self.GPIO
        G.setmode(getattr(G, self.mode))
        G.setup(self.pin, G.IN)
        if self.blocked(G.input(self.pin)):  # already blocked: the state machine starts from it
            self.push(True)
        extra = {"bouncetime": int(self.bouncetime)} if self.bouncetime else {}
        G.add_event_detect(self.pin, G.BOTH, callback=self._edge, **extra)

    def _edge(self, channel) -> None:
        t = time.perf_counter()
        self.push(self.blocked(self.GPIO.input(self.pin)), t)

    def close(self) -> None:
        super().close()
        try:
            self.GPIO.remove_event_detect(self.pin)
            self.GPIO.cleanup(self.pin)
        except Exception as e:  # noqa: BLE001 - closing is best effort
            log.debug("trigger gpio: error while closing: %s", e)


class SynthTrigger(TriggerInput):
    """The beam a photo-eye at `beam_x` would see on synth://conveyor, from the items' exact kinematics.

    `feed(truth, t, truth_t)` with every frame's items (ConveyorItem or TruthItem); the events of an item are
    known as soon as it is in view and released by `poll()` once the frame time reaches them. `offset_s`
    puts the beam that many seconds of travel upstream of `beam_x` (as `offset_s` in the line file means)."""

    kind = "synth"
    wall_clock = False

    def __init__(self, beam_x: float, offset_s: float = 0.0) -> None:
        super().__init__()
        self.beam_x, self.offset_s = float(beam_x), float(offset_s)
        self.fed = False
        self.now = float("-inf")
        self.intervals: dict[int, tuple[float, float]] = {}  # item id -> (blocked, clear) on the frame clock
        self._pending: list[tuple[float, bool]] = []

    def feed(self, truth: list, t: float, truth_t: float | None = None) -> None:
        shift = t - (t if truth_t is None else truth_t)  # simulated item time -> frame clock
        for obj in truth:
            item = getattr(obj, "item", obj)
            if item.id in self.intervals:
                continue
            try:
                x = self.beam_x - self.offset_s * item.speed
                tb, tc = item.time_at_x(x - item.width / 2) + shift, item.time_at_x(x + item.width / 2) + shift
            except AttributeError:
                raise FoodcamError("trigger type synth simulates a photo-eye on synth://conveyor; this source's "
                                   f"ground truth has no item kinematics ({type(item).__name__})") from None
            self.intervals[item.id] = (tb, tc)
            self._pending += [(tb, True), (tc, False)]
        self.fed, self.now = True, float(t)

    def poll(self) -> list[tuple[float, bool]]:
        due = sorted(e for e in self._pending if e[0] <= self.now)
        self._pending = [e for e in self._pending if e[0] > self.now]
        self.received += len(due)
        return due


# --- configuration ------------------------------------------------------------------------------------
class TriggerBase(Section):
    offset_s: Annotated[float, Field(ge=-3600, le=3600)] = 0.0  # beam -> camera line, seconds of travel
    min_blocked_s: Annotated[float, Field(ge=0, le=3600)] = 0.02  # shorter intervals are glitches
    # x0, y0, x1, y1: the classification window, frame pixels
    roi: Annotated[list[Annotated[float, Field(ge=0, le=100_000)]], AfterValidator(check_box)] | None = None

    @property
    def roi_box(self) -> tuple[int, int, int, int] | None:
        return None if self.roi is None else tuple(int(round(v)) for v in self.roi)


class UdpTriggerConfig(TriggerBase):
    type: Literal["udp"]
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)]  # 0: any free port
    allow: list[str] | None = None  # sender addresses/networks accepted; default loopback only

    @field_validator("allow")
    @classmethod
    def _networks(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            try:
                allowed_networks(v)
            except FoodcamError as e:
                raise ValueError(str(e).removeprefix("trigger allow: ")) from None
        return v


class SerialTriggerConfig(TriggerBase):
    type: Literal["serial"]
    port: str
    baudrate: Annotated[int, Field(gt=0, le=10_000_000)] = 115200
    backoff_s: Seconds = 0.2
    backoff_max_s: Seconds = 5.0


class GpioTriggerConfig(TriggerBase):
    type: Literal["gpio"]
    pin: Annotated[int, Field(ge=0, le=1000)]
    mode: Literal["BOARD", "BCM"] = "BOARD"
    active_low: bool = False
    bouncetime_ms: Annotated[int, Field(ge=1, le=60_000)] | None = None


class SynthTriggerConfig(TriggerBase):
    type: Literal["synth"]


TriggerConfig = Annotated[UdpTriggerConfig | SerialTriggerConfig | GpioTriggerConfig | SynthTriggerConfig,
                          Field(discriminator="type")]


def open_trigger(cfg: TriggerBase, beam_x: float) -> TriggerInput:
    """The input a validated `detection.trigger` describes (not started: call `start()`).

    `beam_x`: the camera line in frame pixels (where the synth beam sits)."""
    if isinstance(cfg, UdpTriggerConfig):
        return UdpTrigger(cfg.host, cfg.port, cfg.allow)
    if isinstance(cfg, SerialTriggerConfig):
        return SerialTrigger(cfg.port, cfg.baudrate, cfg.backoff_s, cfg.backoff_max_s)
    if isinstance(cfg, GpioTriggerConfig):
        return GpioTrigger(cfg.pin, cfg.mode, cfg.active_low, cfg.bouncetime_ms)
    return SynthTrigger(beam_x, cfg.offset_s)
