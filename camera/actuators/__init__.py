"""Ejector links for the sorting line: serial, MQTT, UDP, Jetson GPIO, or a dry run.

    from foodcam.camera.actuators import open_actuator
    act = open_actuator({"type": "mqtt", "host": "10.0.0.2", "topic": "plant/line-1"}, line="line-1")
    act.connect(); act.fire(42, "reject", at); act.close()

The settings of each type are the typed models in config.py (`parse_actuator` validates without opening).
"""

from __future__ import annotations

import importlib

from foodcam.camera.actuators.base import ACTIONS, Actuator, ActuatorError
from foodcam.camera.actuators.config import ActuatorBase, parse_actuator

__all__ = ["ACTIONS", "TYPES", "Actuator", "ActuatorError", "open_actuator", "parse_actuator"]

TYPES = ("serial", "mqtt", "udp", "gpio", "dryrun")


def open_actuator(cfg: dict | ActuatorBase, line: str = "line", where: str = "actuator") -> Actuator:
    """An actuator from its config section, validated first (not yet connected: call `connect()`)."""
    cfg = parse_actuator(cfg, where)
    mod = importlib.import_module(f"foodcam.camera.actuators.{cfg.type}")
    return mod.from_config(cfg, line)
