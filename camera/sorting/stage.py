"""The sorting line as a stage of the frame loop (camera/pipeline.py): the Sorter per frame, on the right clock.

Live sources run on the wall clock: a frame's time is its capture time (`Frame.t0`) and a timer thread fires
the commands. Synthetic and recorded sources run on a simulated clock: a frame's time is index / fps, every
frame is processed (the loop's prefetch loses none) and each command fires at exactly its own time.
"""

from __future__ import annotations

import math

from foodcam.camera.actuators import Actuator
from foodcam.camera.frame import Frame
from foodcam.camera.hotswap import swap_point
from foodcam.camera.pipeline import Stage
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.line import LineConfig
from foodcam.camera.sorting.result import LineResult
from foodcam.camera.sorting.scheduler import SimClock, WallClock
from foodcam.camera.sorting.sorter import Sorter
from foodcam.camera.stats import Stats
from foodcam.runtime.model import Model

DEFAULT_FPS = 30.0


class SortStage(Stage):
    steps = ("sort",)

    def __init__(self, model: Model, line: LineConfig, actuator: Actuator, audit: AuditLog | None = None,
                 live: bool = False, fps: float | None = None, sim_latency: float | None = None) -> None:
        if fps:
            line.check_frame_rate(float(fps))  # a belt speed no tracker can follow at this frame rate
        self.live, self.fps = live, float(fps or DEFAULT_FPS)
        self.sorter = Sorter(model, line, actuator, audit, WallClock() if live else SimClock(), sim_latency)
        self.actuator = actuator

    @property
    def clock(self) -> str:
        return "wall" if self.live else "simulated"

    def frames_for(self, seconds: float) -> int:
        """Simulated clock: how many frames make `seconds` of source time (the first frame is at 0 s)."""
        return int(math.ceil(seconds * self.fps - 1e-9)) + 1

    def process(self, frame: Frame, stats: Stats) -> LineResult:
        for record in swap_point(self.sorter.model):  # a replaced model file takes over between two frames
            self.sorter.note({**record, "frame": frame.index})
        truth_t = frame.index / self.fps
        t = frame.t0 if self.live else truth_t
        truth = frame.truth if isinstance(frame.truth, list) else None
        with stats.time("sort"):
            return self.sorter.process(frame.image, t, truth, truth_t)

    def events(self) -> list[dict]:
        return self.sorter.drain_events()

    def counters(self) -> dict:
        return {"line": self.sorter.counters()}

    def finish(self) -> dict:
        s = self.sorter.finish()
        model = self.sorter.model
        if hasattr(model, "swaps"):  # a HotModel (camera/hotswap.py)
            s.update(model_swaps=model.swaps, model_swaps_refused=getattr(model, "refusals", 0))
        a = self.actuator
        return {**s, "clock": self.clock,
                "actuator": {"type": a.kind, "connected": a.connected, "sent": a.sent, "reconnects": a.reconnects}}

    def describe(self) -> str:
        return str(self.sorter.model.path)
