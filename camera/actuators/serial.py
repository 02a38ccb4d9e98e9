"""A line protocol over a serial port (pyserial): `REJECT <id>\n`, optionally answered `OK`.

    actuator: {type: serial, port: /dev/ttyUSB0, baudrate: 115200, ack: true, ack_timeout_s: 0.2,
               template: "{ACTION} {id}"}

`template` fields: ACTION (REJECT | DIVERT), action, id, pulse_ms, at. With `ack`, the device must answer
each command with a line starting `OK` within `ack_timeout_s`; anything else makes the command failed.
The port may also be a pyserial URL (rfc2217://host:port, socket://host:port, loop://).
"""

from __future__ import annotations

import os

from foodcam.camera.actuators.base import Actuator, ActuatorError
from foodcam.camera.actuators.config import SerialConfig
from foodcam.runtime.errors import FoodcamError


class SerialActuator(Actuator):
    kind = "serial"

    def __init__(self, port: str, baudrate: int = 115200, ack: bool = False, ack_timeout_s: float = 0.2,
                 template: str = "{ACTION} {id}", write_timeout_s: float = 0.5, **common) -> None:
        super().__init__(**common)
        try:
            import serial  # noqa: F401  (pyserial)
        except ImportError:
            raise FoodcamError("actuator type serial needs pyserial (pip install 'foodcam[actuators]')") from None
        self.port, self.baudrate, self.ack = port, int(baudrate), bool(ack)
        self.ack_timeout, self.write_timeout, self.template = float(ack_timeout_s), float(write_timeout_s), template
        self.ser = None

    def describe(self) -> str:
        return self.port

    def command(self, item_id: int, action: str, at: float) -> str:
        return self.template.format(ACTION=action.upper(), action=action, id=int(item_id), pulse_ms=self.pulse_ms,
                                    at=at)

    def _open(self) -> None:
        import serial

        self.ser = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=self.ack_timeout,
                                         write_timeout=self.write_timeout)

    def _drop(self) -> None:
        ser, self.ser = self.ser, None
        if ser is not None:
            ser.close()

    def _healthy(self) -> bool:
        return "://" in self.port or os.path.exists(self.port)

    def _deliver(self, cmd) -> None:
        line = cmd if isinstance(cmd, str) else " ".join(str(v) for v in cmd.values())
        ser = self.ser
        if self.ack:
            ser.reset_input_buffer()  # a late answer to an earlier command must not count for this one
        ser.write((line.rstrip("\n") + "\n").encode("ascii"))
        ser.flush()
        if self.ack:
            reply = ser.readline().decode("ascii", "replace").strip()
            if not reply:
                raise ActuatorError(f"serial {self.port}: no acknowledgement within {self.ack_timeout:g} s "
                                    f"for {line!r}")
            if not reply.upper().startswith("OK"):
                raise ActuatorError(f"serial {self.port}: device answered {reply!r} to {line!r}")


def from_config(cfg: SerialConfig, line: str) -> SerialActuator:
    return SerialActuator(port=cfg.port, baudrate=cfg.baudrate, ack=cfg.ack, ack_timeout_s=cfg.ack_timeout_s,
                          write_timeout_s=cfg.write_timeout_s, template=cfg.template, **cfg.common(line))
