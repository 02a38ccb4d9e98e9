"""The typed configs of the frame-loop verbs: `LoopOptions` (model, sources and outputs: what every job of the loop
takes) and `RunConfig` (`foodcam run`: the model over the whole frame). `foodcam sort` adds its own fields in
camera/sorting/config.py. Flags, `--config` keys and Python keywords are these fields (foodcam/verbconfig.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator

from foodcam.argtypes import (
    Fraction,
    NonNegativeFloat,
    PositiveFloat,
    PositiveInt,
    Sha256,
    Size,
    ThreadCount,
)
from foodcam.verbconfig import VerbConfig, opt


def _roi(value) -> tuple[float, float, float, float]:
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    try:
        v = tuple(float(x) for x in text.split(","))
        if len(v) != 4 or not all(0 <= x <= 1 for x in v):
            raise ValueError
        return v  # type: ignore[return-value]
    except ValueError:
        raise ValueError(f"pan region {text!r}: expected CX,CY,RX,RY in 0..1, e.g. 0.5,0.5,0.4,0.4") from None


PanRegion = Annotated[tuple[float, float, float, float], BeforeValidator(_roi)]


class LoopOptions(VerbConfig):
    """A model over one or more sources, and the outputs: the same for every verb of the frame loop."""

    model: str = opt(..., "deployment .onnx, TensorRT .engine, or grpc://HOST:8001/NAME (Triton)")
    source: list[str] = opt(..., "source URI (see below); repeat it to run several streams through one model, batched")
    batch: PositiveInt | None = opt(None, "several --source: at most N frames per inference call (default: one per "
                                    "stream)", metavar="N")
    backend: str | None = opt(None, "runtime backend (default: chosen from the file)")
    threads: ThreadCount | None = opt(None, "CPU threads for inference")
    verify: bool = opt(False, "also compare the model file's full sha256 with the one recorded at export/build")
    model_poll: NonNegativeFloat | None = opt(
        None, "check the --model file every S seconds (default 1): a file replaced there (atomic rename) is opened, "
              "self-tested and swapped in between two frames; SIGHUP reloads it at once; 0: on SIGHUP only",
        metavar="S")
    model_sha256: Sha256 | None = opt(None, "refuse a model file whose sha256 is not HEX (pin the validated model)",
                                      metavar="HEX")
    # outputs
    save: list[str] = opt([], "video file (.mp4: H.264), image pattern with %%d, or stream rtsp://HOST:PORT/PATH | "
                              "rtp://HOST:PORT (repeatable)", metavar="PATH")
    events: str | None = opt(None, "JSON Lines: per-frame records and events", metavar="FILE")
    events_interval: PositiveFloat | None = opt(None, "write a stats record every S seconds instead of one per frame",
                                                metavar="S")
    rotate: str | None = opt(None, "long runs: start a new numbered --save video / --events file at this size or age "
                                   "(100MB, 1h, or 100MB,1h)", metavar="SIZE|TIME")
    keep: PositiveInt | None = opt(None, "keep only the N newest rotated files (or images of a %%d --save pattern); "
                                         "older ones are deleted", metavar="N")
    serve: str | None = opt(None, "HTTP live view: / page, /stream MJPEG, /snapshot.jpg latest frame, /stats JSON; "
                                  "default 127.0.0.1:8080", metavar="[HOST:]PORT", const="127.0.0.1:8080")
    show: Literal["auto", "require"] | None = opt(
        None, "window on the display; without one: warn and go on (auto) or fail (require)", const="auto")
    collect: str | None = opt(None, "save frames worth labelling into DIR (+ DIR/index.jsonl)", metavar="DIR")
    collect_every: PositiveInt = opt(30, "one frame per N frames (default 30)", metavar="N")
    collect_by: Literal["every", "uncertain"] = opt(
        "every", "every: the first of each N; uncertain: the least sure of each N (mean per-pixel entropy; model "
                 "exported with --uncertainty or --logits)")
    collect_max: PositiveInt | None = opt(None, "stop collecting after K frames", metavar="K")
    # the source
    retry: bool | None = opt(None, "keep trying a source that is not up yet, with backoff, logging each attempt "
                                   "(default: on for cameras and streams, off for files)")
    retry_for: PositiveFloat | None = opt(None, "with --retry: give up after S seconds (default: keep trying)",
                                          metavar="S")
    loop: bool = opt(False, "repeat a file or image sequence")
    realtime: bool = opt(False, "play files at their frame rate, dropping frames when behind")
    fps: PositiveFloat | None = opt(None, "camera frame rate to request (files: the rate to assume)")
    size: Size | None = opt(None, "camera resolution to request, WxH")
    # how long, and the summary
    max_frames: PositiveInt | None = opt(None, "stop after this many frames")
    max_seconds: PositiveFloat | None = opt(None, "stop after this many seconds")
    summary: str | None = opt(None, "also write the exit summary as JSON", metavar="FILE")


class RunConfig(LoopOptions):
    """`foodcam run`: the model over the whole frame, drawn as an overlay, with the kitchen analytics."""

    verb = "run"

    visualize: Literal["overlay", "mask", "side-by-side"] = "overlay"
    alpha: Fraction = opt(0.5, "mask opacity over the frame, 0..1")
    no_analytics: bool = opt(False, "skip kitchen analytics and their events")
    pan_roi: PanRegion | None = opt(None, "pan region for food coverage, fractions of width/height (default "
                                          "0.5,0.5,0.4,0.4)", metavar="CX,CY,RX,RY")
