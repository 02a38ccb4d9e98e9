"""Verbs of the deployment side: export (ONNX + precision ladder + gate; flags from export/config.py's ExportConfig,
run by export/verb.py) and build (TensorRT engine)."""

from __future__ import annotations

from pathlib import Path

from foodcam.argtypes import int_range, nonnegative_int, positive_float, positive_int
from foodcam.export.config import ExportConfig
from foodcam.runtime.outdir import check_writable, inside_package, print_wrote, run_dir
from foodcam.verbconfig import add_verb


def _export(cfg: ExportConfig) -> int:
    from foodcam.export.verb import export_model

    return export_model(cfg)[0]


def _build(args):
    onnx = Path(args.onnx)
    if args.out:
        check_writable(args.out, "--out", kind="file")
    elif inside_package(onnx):  # the shipped ONNX: the engine goes to runs/build/buildN
        args.out = str(run_dir("build") / onnx.with_suffix(".engine").name)
    else:
        check_writable(onnx.with_suffix(".engine"), "output folder (beside the ONNX)", kind="file")
    if args.timing_cache:
        check_writable(args.timing_cache, "--timing-cache", kind="file")
    from foodcam.export.trt_build import main

    rc = main(args)
    print_wrote("build", args.out or onnx.with_suffix(".engine"))
    return rc


def register(sub) -> None:
    add_verb(sub, "export", ExportConfig, _export,
             help="checkpoint -> deployment ONNX (fp32 | fp16 | int8 Q/DQ), gated on accuracy")

    p = sub.add_parser("build", help="ONNX -> TensorRT engine (plain plan + sidecar JSON)")
    p.add_argument("onnx", help="deployment ONNX from `foodcam export`")
    p.add_argument("--out", default=None, help="output .engine (default: beside the ONNX; for the shipped models "
                   "a new runs/build/buildN/)")
    p.add_argument("--workspace", type=positive_float, default=2.0, help="workspace pool limit, GiB")
    p.add_argument("--timing-cache", default=None, help="timing cache file, read and updated")
    p.add_argument("--opt-level", type=int_range(0, 5), default=3, help="builder optimisation level 0-5")
    p.add_argument("--dla", type=nonnegative_int, default=None, metavar="CORE", help="Jetson DLA core (GPU fallback allowed)")
    p.add_argument("--max-batch", type=positive_int, default=None,
                   help="largest batch of a dynamic-batch ONNX (default 8; on a DLA the fixed batch, default 1)")
    p.add_argument("--device", type=nonnegative_int, default=None, help="CUDA device to build on (default: the current, 0)")
    p.set_defaults(func=_build)
