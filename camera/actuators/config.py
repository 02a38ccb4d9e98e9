"""The `actuator:` section of a line file: one typed variant per link, chosen by `type`.

    actuator: {type: serial, port: /dev/ttyUSB0, baudrate: 115200, ack: true, template: "{ACTION} {id}"}
    actuator: {type: mqtt, host: 127.0.0.1, port: 1883, topic: foodcam/line-1, qos: 1}
    actuator: {type: udp, host: 192.168.1.50, port: 9999}
    actuator: {type: gpio, pin: 18, divert_pin: null, mode: BOARD, active_high: true}
    actuator: {type: dryrun}
    (every type also takes pulse_ms, backoff_s and backoff_max_s)

Validation opens nothing: a config is checked without touching the port, broker or pin it names.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

from pydantic import Field, field_validator

from foodcam.camera.config import Port, Seconds, Section, parse_config

TEMPLATE_FIELDS = {"ACTION": "REJECT", "action": "reject", "id": 0, "pulse_ms": 60.0, "at": 0.0}


class ActuatorBase(Section):
    pulse_ms: Annotated[float, Field(gt=0, le=60_000)] = 60.0  # how long the pusher is driven
    backoff_s: Seconds = 0.2  # first wait before reopening a lost link, doubled up to backoff_max_s
    backoff_max_s: Seconds = 5.0

    def common(self, line: str) -> dict:
        return {"line": line, "pulse_ms": self.pulse_ms, "backoff_s": self.backoff_s,
                "backoff_max_s": self.backoff_max_s}


class SerialConfig(ActuatorBase):
    type: Literal["serial"]
    port: str  # /dev/ttyUSB0, or a pyserial URL (socket://host:port, rfc2217://, loop://)
    baudrate: Annotated[int, Field(gt=0, le=10_000_000)] = 115200
    ack: bool = False  # wait for a line starting OK after each command
    ack_timeout_s: Seconds = 0.2
    write_timeout_s: Seconds = 0.5
    template: str = "{ACTION} {id}"  # fields: ACTION action id pulse_ms at

    @field_validator("template")
    @classmethod
    def _formats(cls, v: str) -> str:
        try:
            v.format(**TEMPLATE_FIELDS)
        except Exception as e:  # noqa: BLE001 - any failure to format (KeyError, TypeError on {id[0]}, ...)
            raise ValueError(f"expected fields among {{ACTION}} {{action}} {{id}} {{pulse_ms}} {{at}}, got {v!r} "
                             f"({type(e).__name__}: {e})") from None
        return v


class MqttConfig(ActuatorBase):
    type: Literal["mqtt"]
    host: str = "127.0.0.1"
    port: Port = 1883
    topic: str | None = None  # default foodcam/<line name>
    qos: Annotated[int, Field(ge=0, le=2)] = 1
    keepalive_s: Annotated[int, Field(ge=1, le=65535)] = 10
    client_id: str | None = None
    ack_timeout_s: Seconds = 0.5
    username: str | None = None
    password_env: str | None = None  # the name of an environment variable holding the password
    expiry_s: Seconds = 1.0

    @field_validator("topic")
    @classmethod
    def _publishable(cls, v: str | None) -> str | None:
        """MQTT forbids publishing to a filter: '+' and '#' are wildcards, and a topic is 1-65535 bytes, no NUL."""
        if v is not None and (not v or any(c in v for c in "+#\0") or len(v.encode("utf-8", "replace")) > 65535):
            raise ValueError(f"expected a topic to publish to (no '+' or '#' wildcards, not empty), got {v[:80]!r}")
        return v

    @field_validator("password_env")
    @classmethod
    def _env_is_set(cls, v: str | None) -> str | None:
        if v is not None and os.environ.get(v) is None:
            raise ValueError(f"environment variable {v} is not set")
        return v


class UdpConfig(ActuatorBase):
    type: Literal["udp"]
    host: str
    port: Port


class GpioConfig(ActuatorBase):
    type: Literal["gpio"]
    pin: Annotated[int, Field(ge=0, le=1000)]
    divert_pin: Annotated[int, Field(ge=0, le=1000)] | None = None
    mode: Literal["BOARD", "BCM"] = "BOARD"
    active_high: bool = True


class DryRunConfig(ActuatorBase):
    type: Literal["dryrun"] = "dryrun"


ActuatorConfig = Annotated[SerialConfig | MqttConfig | UdpConfig | GpioConfig | DryRunConfig,
                           Field(discriminator="type")]


class _Holder(Section):
    actuator: ActuatorConfig


def parse_actuator(cfg: dict | ActuatorBase, where: str = "actuator") -> ActuatorBase:
    """A validated actuator section (FoodcamError naming `where` and the key); opens nothing."""
    if isinstance(cfg, ActuatorBase):
        return cfg
    return parse_config({"actuator": cfg}, _Holder, where).actuator
