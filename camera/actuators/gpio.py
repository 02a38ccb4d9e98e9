"""A pulse on a Jetson header pin (Jetson.GPIO): the pusher's solenoid driver or a PLC input.

    actuator: {type: gpio, pin: 18, divert_pin: null, mode: BOARD, active_high: true, pulse_ms: 60}

`reject` pulses `pin`, `divert` pulses `divert_pin`. Only on a Jetson with Jetson.GPIO installed.
"""

from __future__ import annotations

import threading

from foodcam.camera.actuators.base import Actuator, ActuatorError
from foodcam.camera.actuators.config import GpioConfig
from foodcam.runtime.errors import FoodcamError


def import_gpio():
    """The Jetson.GPIO module, or a clear error on a machine without it."""
    try:
        import Jetson.GPIO as GPIO
    except (ImportError, RuntimeError) as e:  # RuntimeError: installed, but not running on a Jetson
        raise FoodcamError(
            f"actuator type gpio needs Jetson.GPIO on a Jetson ({type(e).__name__}: {e}); "
            "install it with `pip install Jetson.GPIO`, or use serial, mqtt, udp or dryrun"
        ) from None
    return GPIO


class GpioActuator(Actuator):
    kind = "gpio"

    def __init__(self, pin: int, divert_pin: int | None = None, mode: str = "BOARD", active_high: bool = True,
                 **common) -> None:
        super().__init__(**common)
        self.GPIO = import_gpio()
        self.pin, self.divert_pin, self.mode, self.active_high = int(pin), divert_pin, mode, bool(active_high)
        self._timers: list[threading.Timer] = []

    def describe(self) -> str:
        return f"pin {self.pin}" + (f"/{self.divert_pin}" if self.divert_pin is not None else "")

    @property
    def pins(self) -> list[int]:
        return [self.pin] + ([int(self.divert_pin)] if self.divert_pin is not None else [])

    def _levels(self) -> tuple[int, int]:
        hi, lo = self.GPIO.HIGH, self.GPIO.LOW
        return (hi, lo) if self.active_high else (lo, hi)

    def _open(self) -> None:
        G = self.GPIO
        G.setmode(getattr(G, self.mode))
        _, idle = self._levels()
        for p in self.pins:
            G.setup(p, G.OUT, initial=idle)

    def _drop(self) -> None:
        for t in self._timers:
            t.cancel()
        self._timers.clear()
        _, idle = self._levels()
        for p in self.pins:
            self.GPIO.output(p, idle)
        self.GPIO.cleanup(self.pins)

    def _deliver(self, cmd) -> None:
        action = cmd["action"] if isinstance(cmd, dict) else str(cmd).split()[0].lower()
        if action == "divert" and self.divert_pin is None:
            raise ActuatorError("gpio: a divert command, but no divert_pin is configured")
        pin = int(self.divert_pin) if action == "divert" else self.pin
        active, idle = self._levels()
        self.GPIO.output(pin, active)
        t = threading.Timer(self.pulse_ms / 1000.0, self.GPIO.output, (pin, idle))
        t.daemon = True
        t.start()
        self._timers = [x for x in self._timers if x.is_alive()] + [t]


def from_config(cfg: GpioConfig, line: str) -> GpioActuator:
    return GpioActuator(pin=cfg.pin, divert_pin=cfg.divert_pin, mode=cfg.mode, active_high=cfg.active_high,
                        **cfg.common(line))
