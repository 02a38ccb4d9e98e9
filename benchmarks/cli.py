"""`foodcam bench` (also `python -m foodcam.benchmarks`): latency, throughput and accuracy of every artifact. Imports nothing heavy."""

from __future__ import annotations

import argparse

from foodcam.argtypes import nonnegative_float, nonnegative_int, positive_float, positive_int, thread_count

EPILOG = """examples:
  foodcam bench --models runs/k/best.pt runs/k/model.onnx runs/k/model.fp16.onnx runs/k/model.int8.onnx \\
                --backends cpu torch --threads 2 --data data/kitchen --loop-frames 100
  foodcam bench --models model.engine model.onnx --backends tensorrt cuda --batch 1 8
  foodcam bench --models model.onnx grpc://gpu-server:8001/kitchen --backends cpu --data data/kitchen
  foodcam bench --compare runs/bench/bench/bench.json runs/bench/bench2/bench.json
  foodcam bench --streams 1 2 4 8 --models model.onnx grpc://127.0.0.1:8001/kitchen --seconds 10

without --out, reports go to a new runs/bench/bench, runs/bench/bench2, ... in the current folder.

backends: cpu (ONNX Runtime CPU EP), cuda (ONNX Runtime CUDA EP; PyTorch on CUDA for a .pt),
          tensorrt (an .engine, or an .onnx built into one), torch (PyTorch eager on the CPU for a .pt).
Rows a machine cannot run stay in the table as skipped, with the reason.
"""


def _bench(args) -> int:
    from foodcam.runtime.outdir import output_dir, print_wrote

    measures = bool(args.models) and not args.compare  # --compare reads two reports and writes nothing
    if measures:
        args.out = str(output_dir(args.out, "bench"))  # default runs/bench/benchN; checked before any work
    from foodcam.benchmarks.run import main

    rc = main(args)
    if measures:
        print_wrote("bench", args.out)
    return rc


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--models", nargs="+", metavar="FILE", help=".pt, .onnx or .engine files, or served models grpc://HOST:8001/NAME (a row with backend triton)")
    p.add_argument("--backends", nargs="+", default=None, choices=["cpu", "cuda", "tensorrt", "torch"],
                   help="backends to try (default: all; rows that cannot run say why)")
    p.add_argument("--imgsz", nargs="+", type=positive_int, default=None, metavar="N",
                   help="square input sizes (default: each artifact's own; fixed-size ONNX rows at others are skipped)")
    p.add_argument("--batch", nargs="+", type=positive_int, default=None, metavar="N", help="batch sizes (default 1)")
    p.add_argument("--data", default=None, help="labelled dataset folder: adds mIoU by the export gate's evaluation")
    p.add_argument("--split", default="val")
    p.add_argument("--threads", type=thread_count, default=None, help="CPU threads per model (default: all usable cores)")
    p.add_argument("--warmup", type=nonnegative_int, default=10, help="untimed calls before timing")
    timing = p.add_mutually_exclusive_group()
    timing.add_argument("--iters", type=positive_int, default=None, help="timed calls per row (default 100)")
    timing.add_argument("--seconds", type=positive_float, default=None, help="time each row for S seconds instead")
    p.add_argument("--processes", type=positive_int, default=3,
                   help="fresh worker processes per row, taken in turns across the rows; latency statistics "
                        "pool their calls, and their medians' spread is the run-to-run repeatability")
    p.add_argument("--loop-frames", type=nonnegative_int, default=100,
                   help="camera-loop frames per deployable row on synth://<task> (0: no loop)")
    p.add_argument("--loop-source", default=None, help="loop source URI (default synth://<task>?fps=0, unpaced)")
    p.add_argument("--rounds", type=nonnegative_int, default=5, help="interleaved rounds for the comparisons (0: none)")
    p.add_argument("--round-iters", type=positive_int, default=20, help="timed calls per artifact per round")
    p.add_argument("--timeout", type=positive_float, default=1800.0, help="seconds allowed per row's worker")
    p.add_argument("--out", default=None, help="report folder (default: a new runs/bench/benchN in the current folder)")
    p.add_argument("--verify", action="store_true", help="also compare the model file's full sha256 with the one recorded at export/build")
    p.add_argument("--streams", nargs="+", type=positive_int, default=None, metavar="N",
                   help="multi-stream mode: N synthetic streams through each model in one process, batched; "
                        "aggregate FPS and per-stream latency per N (--models may include grpc://HOST:8001/NAME); "
                        "timed by --seconds (default 10) or --iters frames")
    p.add_argument("--stream-batch", type=positive_int, default=None, metavar="B",
                   help="--streams: at most B frames per inference call (default: one per stream)")
    p.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"), default=None,
                   help="compare two bench.json reports row by row instead of measuring")
    p.add_argument("--threshold", type=nonnegative_float, default=0.05, help="--compare: flag ratios beyond this fraction")


def register(sub) -> None:
    p = sub.add_parser("bench", help="latency, throughput and accuracy of every artifact, side by side",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.set_defaults(func=_bench)
