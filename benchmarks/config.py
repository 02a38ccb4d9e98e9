"""`foodcam bench`'s typed config (foodcam/verbconfig.py): its flags, `--config FILE.yaml` keys and
`model.bench(...)` keywords. Light: no heavy import, so the CLI builds its parser fast."""

from __future__ import annotations

from typing import Literal

from foodcam.argtypes import NonNegativeFloat, NonNegativeInt, PositiveFloat, PositiveInt, ThreadCount
from foodcam.verbconfig import VerbConfig, opt

Backend = Literal["cpu", "cuda", "tensorrt", "torch"]


class BenchConfig(VerbConfig):
    """`foodcam bench` / `model.bench(...)`: benchmarks/run.py's bench runs it."""

    verb = "bench"
    exclusive = (("iters", "seconds"),)

    models: list[str] | None = opt(None, ".pt, .onnx or .engine files, or served models grpc://HOST:8001/NAME "
                                   "(a row with backend triton)", nargs="+", metavar="FILE")
    backends: list[Backend] | None = opt(None, "backends to try (default: all; rows that cannot run say why)",
                                         nargs="+")
    imgsz: list[PositiveInt] | None = opt(None, "square input sizes (default: each artifact's own; fixed-size ONNX "
                                          "rows at others are skipped)", nargs="+", metavar="N")
    batch: list[PositiveInt] | None = opt(None, "batch sizes (default 1)", nargs="+", metavar="N")
    data: str | None = opt(None, "labelled dataset folder: adds mIoU by the export gate's evaluation")
    split: str = "val"
    threads: ThreadCount | None = opt(None, "CPU threads per model (default: all usable cores)")
    warmup: NonNegativeInt = opt(10, "untimed calls before timing")
    iters: PositiveInt | None = opt(None, "timed calls per row (default 100)")
    seconds: PositiveFloat | None = opt(None, "time each row for S seconds instead")
    processes: PositiveInt = opt(3, "fresh worker processes per row, taken in turns across the rows; latency "
                                 "statistics pool their calls, and their medians' spread is the run-to-run "
                                 "repeatability")
    loop_frames: NonNegativeInt = opt(100, "camera-loop frames per deployable row on synth://<task> (0: no loop)")
    loop_source: str | None = opt(None, "loop source URI (default synth://<task>?fps=0, unpaced)")
    rounds: NonNegativeInt = opt(5, "interleaved rounds for the comparisons (0: none)")
    round_iters: PositiveInt = opt(20, "timed calls per artifact per round")
    timeout: PositiveFloat = opt(1800.0, "seconds allowed per row's worker")
    out: str | None = opt(None, "report folder (default: a new runs/bench/benchN in the current folder)")
    verify: bool = opt(False, "also compare the model file's full sha256 with the one recorded at export/build")
    streams: list[PositiveInt] | None = opt(
        None, "multi-stream mode: N synthetic streams through each model in one process, batched; aggregate FPS "
              "and per-stream latency per N (--models may include grpc://HOST:8001/NAME); timed by --seconds "
              "(default 10) or --iters frames", nargs="+", metavar="N")
    stream_batch: PositiveInt | None = opt(None, "--streams: at most B frames per inference call (default: one "
                                           "per stream)", metavar="B")
    compare: list[str] | None = opt(None, "compare two bench.json reports row by row instead of measuring",
                                    nargs=2, metavar=("OLD", "NEW"), min_length=2, max_length=2)
    threshold: NonNegativeFloat = opt(0.05, "--compare: flag ratios beyond this fraction")
