"""JSON datagrams over UDP: one per command, fire-and-forget (a PLC or microcontroller listens).

    actuator: {type: udp, host: 192.168.1.50, port: 9999}

Payload: {"line", "id", "action", "at", "pulse_ms", "sent_unix"} as UTF-8 JSON.
"""

from __future__ import annotations

import json
import socket

from foodcam.camera.actuators.base import Actuator
from foodcam.camera.actuators.config import UdpConfig


class UdpActuator(Actuator):
    kind = "udp"

    def __init__(self, host: str, port: int, **common) -> None:
        super().__init__(**common)
        self.host, self.port = host, int(port)
        self.sock: socket.socket | None = None
        self.addr = None

    def describe(self) -> str:
        return f"{self.host}:{self.port}"

    def _open(self) -> None:
        info = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_DGRAM)[0]
        self.sock = socket.socket(info[0], socket.SOCK_DGRAM)
        self.addr = info[4]

    def _drop(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            sock.close()

    def _deliver(self, cmd) -> None:
        data = cmd.encode("utf-8") if isinstance(cmd, str) else json.dumps(cmd, separators=(",", ":")).encode()
        self.sock.sendto(data, self.addr)


def from_config(cfg: UdpConfig, line: str) -> UdpActuator:
    return UdpActuator(host=cfg.host, port=cfg.port, **cfg.common(line))
