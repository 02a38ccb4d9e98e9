"""`foodcam sort`: run a sorting line (camera -> freshness model -> ejector). Imports nothing heavy."""

from __future__ import annotations

import argparse

from foodcam.argtypes import nonnegative_float, positive_float, positive_int
from foodcam.camera.cli import add_model_poll_arg, add_output_args, check_loop_outputs


def _sort(args) -> int:
    from foodcam.runtime.outdir import print_wrote

    written = check_loop_outputs(args, ("--audit", args.audit, "file"), ("--json", args.json, "file"))
    from foodcam.camera.sorting.app import main

    rc = main(args)
    print_wrote("sort", *written)
    return rc


def register(sub) -> None:
    p = sub.add_parser(
        "sort", help="sort fruit on a conveyor: track, classify, eject the rotten ones",
        description="Track items crossing the lane, classify each on every frame it is seen, decide by vote "
                    "when it leaves, and fire the ejector after the belt's travel time. Every item goes to "
                    "the audit log. synth://conveyor is a simulated line with ground truth (accuracy and "
                    "timing in the summary).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  foodcam sort --model fresh.onnx --source 'synth://conveyor?fps=30&size=640x240' "
               "--line line.yaml --audit audit.jsonl --max-seconds 20\n"
               "  foodcam sort --model fresh.onnx --source csi://0 --line line.yaml --save line.mp4 --serve 0.0.0.0:8080",
    )
    p.add_argument("--model", required=True, help="freshness model: .onnx, .engine or grpc://HOST:8001/NAME (Triton)")
    p.add_argument("--source", required=True, help="camera URI, video, image folder or synth://conveyor")
    p.add_argument("--line", required=True, help="line.yaml (lane, timing, decision, actuator)")
    p.add_argument("--audit", default=None, help="JSONL audit log, one line per item (appended)")
    p.add_argument("--max-seconds", type=positive_float, default=None,
                   help="stop after this much source time (simulated seconds for synth/recorded sources)")
    p.add_argument("--max-frames", type=positive_int, default=None, help="stop after this many frames")
    p.add_argument("--dry-run", action="store_true", help="log commands instead of using the line's actuator")
    p.add_argument("--realtime", action="store_true", help="pace synthetic/recorded sources on the wall clock")
    p.add_argument("--sim-latency", type=nonnegative_float, default=None, metavar="S",
                   help="simulated clock: assume S seconds of processing per frame instead of measuring it "
                        "(results that do not depend on how busy this machine is)")
    p.add_argument("--backend", default=None, help="model backend (onnxruntime | cpu | cuda | tensorrt)")
    add_model_poll_arg(p)
    p.add_argument("--json", default=None, help="also write the summary as JSON here")
    add_output_args(p)
    p.set_defaults(func=_sort)
