"""Ejector links for the sorting line: serial, MQTT, UDP, Jetson GPIO, or a dry run.

    from foodcam.camera.actuators import open_actuator
    act = open_actuator({"type": "mqtt", "host": "10.0.0.2", "topic": "plant/line-1"}, line="line-1")
    act.connect(); act.fire(42, "reject", at); act.close()
"""

from __future__ import annotations

import importlib

from foodcam.camera.actuators.base import ACTIONS, Actuator, ActuatorError
from foodcam.runtime.errors import FoodcamError

__all__ = ["ACTIONS", "TYPES", "Actuator", "ActuatorError", "open_actuator", "check_config"]

TYPES = ("serial", "mqtt", "udp", "gpio", "dryrun")


def open_actuator(cfg: dict, line: str = "line", where: str = "actuator") -> Actuator:
    """An actuator from its config section (not yet connected: call `connect()`)."""
    if not isinstance(cfg, dict):
        raise FoodcamError(f"{where}: actuator: expected a mapping with a type, got {cfg!r}")
    kind = cfg.get("type")
    if kind not in TYPES:
        raise FoodcamError(f"{where}: actuator.type: expected one of {', '.join(TYPES)}, got {kind!r}")
    mod = importlib.import_module(f"foodcam.camera.actuators.{kind}")
    return mod.from_config(cfg, where, line)


def check_config(cfg: dict, where: str = "actuator") -> None:
    """Validate an actuator section without opening anything (errors name the key)."""
    act = open_actuator(cfg, where=where)
    act.close()
