"""Verbs of the deployment side: export (ONNX + precision ladder + gate) and build (TensorRT engine)."""

from __future__ import annotations

from pathlib import Path

from foodcam.argtypes import finite_float, int_range, nonnegative_int, positive_float, positive_int
from foodcam.runtime.outdir import check_writable, inside_package, print_wrote, run_dir


def _check_export_out(args, weights: Path) -> None:
    """Where a checkpoint's export goes, checked writable before the work (args.out set for the shipped models)."""
    if args.out:
        check_writable(args.out, "--out", kind="file")
    elif inside_package(weights):  # e.g. the shipped model: never write into the installed package
        suffix = "" if args.precision == "fp32" else f".{args.precision}"
        args.out = str(run_dir("export") / f"model{suffix}.onnx")
    else:
        check_writable(weights.parent / "model.onnx", "output folder (beside --weights)", kind="file")


def _export(args):
    weights = Path(args.weights) if args.weights else None  # None: --onnx / --engine into a Triton repository
    if weights is not None:
        _check_export_out(args, weights)
    if args.triton_repo:
        check_writable(args.triton_repo, "--triton-repo", kind="dir")
    from foodcam.export.main import output_paths
    from foodcam.export.triton_cli import main  # --weights: export/main.py; --triton-repo: + the repository

    rc = main(args)
    if weights is not None and not (getattr(args, "result", None) or {}).get("refused"):
        print_wrote("export", *dict.fromkeys(output_paths(weights, args.out, args.precision)))
    return rc


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
    p = sub.add_parser("export", help="checkpoint -> deployment ONNX (fp32 | fp16 | int8 Q/DQ), gated on accuracy")
    p.add_argument("--weights", default=None, help="a foodcam .pt checkpoint")
    p.add_argument("--onnx", default=None, help="--triton-repo from an existing deployment ONNX (no export)")
    p.add_argument("--engine", default=None, help="--triton-repo from an existing TensorRT engine + sidecar")
    p.add_argument("--imgsz", type=positive_int, nargs=2, metavar=("H", "W"), default=None, help="input size (default: trained size)")
    p.add_argument("--mask-size", type=nonnegative_int, nargs=2, metavar=("H", "W"), default=None,
                   help="segmentation: the mask (and logits) at this size, class scores resized bilinearly in the graph "
                        "(default: the checkpoint's, the training frames' size; 0 0: at the input size)")
    p.add_argument("--opset", type=positive_int, default=17, help="ONNX opset (<= 20 for TensorRT 10.3)")
    p.add_argument("--out", default=None, help="output .onnx (default: beside the weights, model[.fp16|.int8].onnx; "
                   "for the shipped models a new runs/export/exportN/); an existing file is overwritten, with a warning")
    p.add_argument("--precision", choices=["fp32", "fp16", "int8"], default="fp32")
    p.add_argument("--target", choices=["tensorrt", "cpu"], default="tensorrt",
                   help="int8: tensorrt = symmetric S8S8 Q/DQ (what TensorRT builds from); cpu = the ONNX Runtime CPU "
                        "form (U8S8 Q/DQ or QOperator, per-channel/tensor, reduce_range) with the least CPU time per "
                        "frame among those that pass the gate")
    p.add_argument("--calib", default=None, help="int8: folder of real frames for calibration")
    p.add_argument("--calib-count", type=positive_int, default=64)
    p.add_argument("--calib-method", choices=["entropy", "percentile", "minmax"], default="percentile")
    p.add_argument("--logits", action="store_true", help="also output raw class scores")
    p.add_argument("--uncertainty", action="store_true",
                   help="segmentation: also output per-pixel entropy / log(C) (float, 0..1) for `run --collect-by uncertain`")
    p.add_argument("--dynamic-batch", action="store_true")
    p.add_argument("--no-simplify", action="store_true")
    p.add_argument("--force", action="store_true",
                   help="export a fine-tuned checkpoint even though it scored below its base on the held-back frames")
    p.add_argument("--data", default=None, help="labelled dataset folder for parity and the accuracy gate")
    p.add_argument("--split", default="val")
    p.add_argument("--max-drop", type=finite_float, default=None,
                   help="allowed metric drop vs FP32, points (fp16 0.2, int8 1.0; negative: demand a gain)")
    t = p.add_argument_group("Triton model repository (pip install 'foodcam[triton]')")
    t.add_argument("--triton-repo", default=None, metavar="REPO",
                   help="also write REPO/<name>/config.pbtxt + REPO/<name>/<version>/model.onnx|model.plan "
                        "(from --weights the ONNX is exported with a dynamic batch)")
    t.add_argument("--name", default=None, help="model name in the repository (default: the task name)")
    t.add_argument("--version", type=positive_int, default=1, dest="triton_version", help="model version folder (default 1)")
    t.add_argument("--max-batch", type=positive_int, default=8, help="Triton max_batch_size with dynamic batching (default 8)")
    t.add_argument("--instance-kind", choices=["gpu", "cpu"], default="gpu", help="instance_group kind (default gpu)")
    t.add_argument("--instances", type=positive_int, default=1, help="model instances per device (default 1)")
    t.add_argument("--fp16-accelerator", action="store_true",
                   help="ONNX on a GPU: Triton's ONNX Runtime backend builds TensorRT FP16 engines")
    p.set_defaults(func=_export)

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
