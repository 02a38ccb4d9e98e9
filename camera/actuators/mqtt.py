"""Commands over MQTT (paho-mqtt 2.x): QoS 1 commands, a retained online/offline status with a last will.

    actuator: {type: mqtt, host: 127.0.0.1, port: 1883, topic: foodcam/line-1, qos: 1, keepalive_s: 10,
               ack_timeout_s: 0.5, username: null, password_env: null}

Topics: `<topic>/command` gets one JSON object per command ({"line", "id", "action", "at", "pulse_ms",
"sent_unix", "expires_unix"}); `<topic>/status` holds "online" (retained) while this line is connected and
"offline" after it closes or dies (the broker publishes the will). paho reconnects by itself with backoff.
A command counts as delivered when the broker acknowledges it (PUBACK) within `ack_timeout_s`.
A receiver should drop a command after `expires_unix`: one sent just before an outage may be re-sent late.
"""

from __future__ import annotations

import json
import os
import time

from foodcam.camera.actuators.base import Actuator, ActuatorError, log
from foodcam.camera.actuators.config import MqttConfig
from foodcam.runtime.errors import FoodcamError


class MqttActuator(Actuator):
    kind = "mqtt"

    def __init__(self, host: str = "127.0.0.1", port: int = 1883, topic: str | None = None, qos: int = 1,
                 keepalive_s: int = 10, client_id: str | None = None, ack_timeout_s: float = 0.5,
                 username: str | None = None, password: str | None = None, expiry_s: float = 1.0,
                 **common) -> None:
        super().__init__(**common)
        try:
            import paho.mqtt.client  # noqa: F401
        except ImportError:
            raise FoodcamError("actuator type mqtt needs paho-mqtt 2.x (pip install 'foodcam[actuators]')") from None
        self.host, self.port, self.qos, self.keepalive = host, int(port), int(qos), int(keepalive_s)
        self.topic = (topic or f"foodcam/{self.line}").rstrip("/")
        self.client_id = client_id or f"foodcam-{self.line}-{os.getpid()}"
        self.ack_timeout, self.expiry = float(ack_timeout_s), float(expiry_s)
        self.username, self.password = username, password
        self.client = None

    @property
    def command_topic(self) -> str:
        return f"{self.topic}/command"

    @property
    def status_topic(self) -> str:
        return f"{self.topic}/status"

    def describe(self) -> str:
        return f"{self.host}:{self.port}/{self.topic}"

    def command(self, item_id: int, action: str, at: float) -> dict:
        cmd = super().command(item_id, action, at)
        cmd["expires_unix"] = round(cmd["sent_unix"] + self.expiry, 6)
        return cmd

    # paho runs its own network thread and reconnects by itself: no keeper thread here
    def connect(self) -> bool:
        import paho.mqtt.client as mqtt

        if self.client is not None:
            return self.connected
        c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, clean_session=True)
        c.will_set(self.status_topic, "offline", qos=1, retain=True)
        if self.username:
            c.username_pw_set(self.username, self.password)
        c.reconnect_delay_set(min_delay=max(1, int(round(self.backoff0))), max_delay=max(1, int(self.backoff_max)))
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        self.client = c
        c.connect_async(self.host, self.port, keepalive=self.keepalive)
        c.loop_start()
        return self.connected

    def close(self) -> None:
        c, self.client = self.client, None
        if c is None:
            return
        if self._up:
            try:
                c.publish(self.status_topic, "offline", qos=1, retain=True).wait_for_publish(1.0)
            except (RuntimeError, ValueError) as e:
                log.debug("mqtt: could not publish offline status: %s", e)
        self._up = False
        c.disconnect()
        c.loop_stop()

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.warning("mqtt %s: broker refused the connection: %s", self.describe(), reason_code)
            return
        client.publish(self.status_topic, "online", qos=1, retain=True)
        self.link.opened()
        self._up = True

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        if self._up:
            log.warning("mqtt %s: disconnected (%s); paho reconnects in the background", self.describe(), reason_code)
        self._up = False

    def _open(self) -> None:  # the base class never calls these for MQTT (connect is overridden)
        raise NotImplementedError

    def _drop(self) -> None:
        pass

    def _deliver(self, cmd) -> None:
        import paho.mqtt.client as mqtt

        payload = cmd if isinstance(cmd, str) else json.dumps(cmd, separators=(",", ":"))
        info = self.client.publish(self.command_topic, payload, qos=self.qos)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            raise ActuatorError(f"mqtt {self.describe()}: publish failed: {mqtt.error_string(info.rc)}")
        if self.qos > 0:
            t0 = time.monotonic()
            info.wait_for_publish(self.ack_timeout)
            if not info.is_published():
                raise ActuatorError(f"mqtt {self.describe()}: no acknowledgement from the broker within "
                                    f"{self.ack_timeout:g} s (waited {time.monotonic() - t0:.2f} s)")


def from_config(cfg: MqttConfig, line: str) -> MqttActuator:
    password = os.environ.get(cfg.password_env) if cfg.password_env else None
    if cfg.password_env and password is None:
        raise FoodcamError(f"actuator.password_env: environment variable {cfg.password_env} is not set")
    return MqttActuator(host=cfg.host, port=cfg.port, topic=cfg.topic, qos=cfg.qos, keepalive_s=cfg.keepalive_s,
                        client_id=cfg.client_id, ack_timeout_s=cfg.ack_timeout_s, expiry_s=cfg.expiry_s,
                        username=cfg.username, password=password, **cfg.common(line))
