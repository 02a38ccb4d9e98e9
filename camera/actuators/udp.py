"""JSON datagrams over UDP: one per command, fire-and-forget (a PLC or microcontroller listens).

    actuator: {type: udp, host: 192.168.1.50, port: 9999}

Payload: {"line", "id", "action", "at", "pulse_ms", "sent_unix"} as UTF-8 JSON.
"""

from __future__ import annotations

import json
import socket

from foodcam.camera.actuators.base import COMMON_KEYS, Actuator, Settings, common_kwargs

KEYS = COMMON_KEYS + ("host", "port")


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


def from_config(cfg: dict, where: str, line: str) -> UdpActuator:
    s = Settings(where, "actuator.")
    s.known(cfg, KEYS)
    return UdpActuator(
        host=s.text(cfg, "host", required=True),
        port=s.number(cfg, "port", required=True, integer=True, lo=1, hi=65535),
        **common_kwargs(cfg, s, line),
    )
