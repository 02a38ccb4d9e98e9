"""`foodcam sort`'s typed config: every option of the frame loop (LoopOptions: sources, model, outputs) and the
line's own. Flags, `--config` keys and Python keywords are these fields (foodcam/verbconfig.py)."""

from __future__ import annotations

from foodcam.argtypes import NonNegativeFloat, PositiveFloat
from foodcam.camera.loopconfig import LoopOptions
from foodcam.verbconfig import opt


class SortConfig(LoopOptions):
    """A sorting line: track, classify, decide by vote, fire the ejector (camera/sorting/app.py)."""

    verb = "sort"

    model: str = opt(..., "freshness model: .onnx, .engine or grpc://HOST:8001/NAME (Triton)")
    source: list[str] = opt(..., "camera URI, video, image folder or synth://conveyor (one)")
    max_seconds: PositiveFloat | None = opt(
        None, "stop after this much source time (simulated seconds for synth/recorded sources)")
    realtime: bool = opt(False, "pace synthetic/recorded sources on the wall clock")
    summary: str | None = opt(None, "also write the exit summary as JSON (--json: the old name)", metavar="FILE",
                              deprecated=["--json"])
    line: str = opt(..., "line.yaml (lane, timing, decision, actuator)")
    audit: str | None = opt(None, "JSONL audit log, one line per item (appended)")
    dry_run: bool = opt(False, "log commands instead of using the line's actuator")
    sim_latency: NonNegativeFloat | None = opt(
        None, "simulated clock: assume S seconds of processing per frame instead of measuring it (results that do "
              "not depend on how busy this machine is); below 60", metavar="S", lt=60)
