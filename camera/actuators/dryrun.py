"""No hardware: every command is logged and kept in `fired`, for rehearsals and simulations."""

from __future__ import annotations

from foodcam.camera.actuators.base import Actuator, log
from foodcam.camera.actuators.config import DryRunConfig


class DryRunActuator(Actuator):
    kind = "dryrun"

    def __init__(self, **common) -> None:
        super().__init__(**common)
        self.fired: list[dict] = []

    def describe(self) -> str:
        return "(dry run)"

    def _open(self) -> None:
        pass

    def _drop(self) -> None:
        pass

    def _deliver(self, cmd) -> None:
        self.fired.append(cmd if isinstance(cmd, dict) else {"raw": cmd})
        log.info("dry run: %s", cmd)


def from_config(cfg: DryRunConfig, line: str) -> DryRunActuator:
    return DryRunActuator(**cfg.common(line))
