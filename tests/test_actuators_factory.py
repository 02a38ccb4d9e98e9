"""The actuator factory's validation, the dry run, and the Jetson GPIO pulse."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
import types

import pytest

from foodcam.camera.actuators import ActuatorError, open_actuator, parse_actuator
from foodcam.runtime.errors import FoodcamError

HAS_JETSON_GPIO = importlib.util.find_spec("Jetson") is not None


@pytest.mark.parametrize("cfg, key", [
    ({"type": "laser"}, "actuator.type"),
    ({"type": "serial"}, "actuator.port"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "baudrate": -5}, "actuator.baudrate"),
    ({"type": "serial", "port": "/dev/ttyUSB0", "template": "{ACTION} {item}"}, "actuator.template"),
    ({"type": "mqtt", "qos": 3}, "actuator.qos"),
    ({"type": "mqtt", "password_env": "FOODCAM_TEST_UNSET_VARIABLE"}, "actuator.password_env"),
    ({"type": "udp", "host": "10.0.0.1", "port": 70000}, "actuator.port"),
    ({"type": "udp", "host": "10.0.0.1", "port": 9, "colour": "red"}, "actuator.colour"),
    ({"type": "dryrun", "pulse_ms": 0}, "actuator.pulse_ms"),
])
def test_bad_settings_name_the_key(cfg, key):
    with pytest.raises(FoodcamError, match=key.replace(".", r"\.")):
        parse_actuator(cfg, "line.yaml")


def test_dry_run_records_every_command():
    act = open_actuator({"type": "dryrun", "pulse_ms": 25}, line="demo")
    with act:
        act.fire(3, "reject", at=1.5)
        act.fire(4, "divert", at=2.0)
    assert [(c["id"], c["action"], c["at"], c["pulse_ms"]) for c in act.fired] == [(3, "reject", 1.5, 25.0),
                                                                                    (4, "divert", 2.0, 25.0)]
    assert act.sent == 2 and not act.connected


@pytest.mark.skipif(HAS_JETSON_GPIO, reason="Jetson.GPIO is installed here")
def test_gpio_without_jetson_gpio_is_a_clear_error():
    with pytest.raises(FoodcamError, match="Jetson.GPIO"):
        open_actuator({"type": "gpio", "pin": 18})


class RecordingGPIO(types.ModuleType):
    """STAND-IN for Jetson.GPIO (records calls) to check the pulse logic on machines without the header."""

    BOARD, BCM, OUT, HIGH, LOW = "BOARD", "BCM", "OUT", 1, 0

    def __init__(self) -> None:
        super().__init__("Jetson.GPIO")
        self.calls: list[tuple] = []
        self.changed = threading.Event()

    def setmode(self, mode):
        self.calls.append(("setmode", mode))

    def setup(self, pin, direction, initial):
        self.calls.append(("setup", pin, initial))

    def output(self, pin, level):
        self.calls.append(("output", pin, level))
        self.changed.set()

    def cleanup(self, pins):
        self.calls.append(("cleanup", tuple(pins)))


def test_gpio_pulse_logic_with_a_recording_stand_in(monkeypatch):
    gpio = RecordingGPIO()
    pkg = types.ModuleType("Jetson")
    pkg.GPIO = gpio
    monkeypatch.setitem(sys.modules, "Jetson", pkg)
    monkeypatch.setitem(sys.modules, "Jetson.GPIO", gpio)
    act = open_actuator({"type": "gpio", "pin": 18, "divert_pin": 22, "active_high": False, "pulse_ms": 20})
    assert act.connect()
    assert gpio.calls[:3] == [("setmode", "BOARD"), ("setup", 18, 1), ("setup", 22, 1)]  # idle high
    gpio.calls.clear()
    act.fire(1, "reject", at=0.0)
    act.fire(2, "divert", at=0.0)
    end = time.monotonic() + 3
    while len(gpio.calls) < 4 and time.monotonic() < end:
        time.sleep(0.01)
    assert gpio.calls[:2] == [("output", 18, 0), ("output", 22, 0)]  # active low
    assert sorted(gpio.calls[2:4]) == [("output", 18, 1), ("output", 22, 1)]  # back to idle after the pulse
    act.close()
    assert gpio.calls[-1] == ("cleanup", (18, 22))
    no_divert = open_actuator({"type": "gpio", "pin": 18})
    no_divert.connect()
    with pytest.raises(ActuatorError, match="divert_pin"):
        no_divert.fire(3, "divert", at=0.0)
    no_divert.close()
