"""`foodcam build model.onnx`: a deployment ONNX -> TensorRT engine (plain plan) + sidecar JSON.

The engine is loadable by trtexec and Triton as it is; the sidecar repeats the ONNX's foodcam metadata and
adds what the engine is tied to (TensorRT version, GPU, compute capability, ONNX sha256, build time).
Needs no torch: the builder lives in runtime/backends/trt_build.py so a Jetson can build its own engines.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.export.config import BuildConfig
from foodcam.runtime.backends.onnx_meta import read_metadata
from foodcam.runtime.backends.trt_build import build_engine_file, import_tensorrt
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.outdir import check_writable, inside_package, print_wrote, run_dir


def build_engine(cfg: BuildConfig) -> tuple[int, Path]:
    """`foodcam build`: (exit code, the engine written). Without --out the engine goes beside the ONNX, or for
    the shipped models into a new runs/build/buildN/; where it goes is checked writable before the build."""
    onnx = Path(cfg.onnx)
    if cfg.out:
        check_writable(cfg.out, "--out", kind="file")
    elif inside_package(onnx):  # the shipped ONNX: the engine goes to runs/build/buildN
        cfg = cfg.model_copy(update={"out": str(run_dir("build") / onnx.with_suffix(".engine").name)})
    else:
        check_writable(onnx.with_suffix(".engine"), "output folder (beside the ONNX)", kind="file")
    if cfg.timing_cache:
        check_writable(cfg.timing_cache, "--timing-cache", kind="file")
    rc = _build(cfg)
    out = Path(cfg.out) if cfg.out else onnx.with_suffix(".engine")
    print_wrote("build", out)
    return rc, out


def _build(args: BuildConfig) -> int:
    onnx = Path(args.onnx)
    if onnx.suffix.lower() != ".onnx":
        raise FoodcamError(f"{onnx}: expected a deployment .onnx from `foodcam export`")
    meta = read_metadata(onnx)  # missing file, garbage, no foodcam metadata: clear errors first
    import_tensorrt()
    out = Path(args.out) if args.out else onnx.with_suffix(".engine")
    if out.resolve() == onnx.resolve():
        raise FoodcamError(f"--out {out}: would overwrite the ONNX it is built from")
    path, sidecar = build_engine_file(
        onnx,
        out,
        workspace_gib=float(args.workspace),
        timing_cache=args.timing_cache,
        opt_level=args.opt_level,
        dla_core=args.dla,
        max_batch=args.max_batch,  # None: 8 on the GPU, a fixed 1 on a DLA
        device_id=args.device,
        verbose=args.verbose,
    )
    size_mb = path.stat().st_size / 1e6
    build = sidecar["build"]
    if args.dla is not None:
        on_dla, layers = build["dla_layers"]
        where = f"DLA core {args.dla}: {on_dla} of {layers} layers can run there, the rest on the GPU"
    else:
        where = "GPU"
    profile = build["batch_profile"]
    if not profile:
        batch = "fixed batch"
    elif profile["min"][0] == profile["max"][0]:
        batch = f"fixed batch {profile['max'][0]}"
    else:
        batch = f"batch 1..{profile['max'][0]}"
    print(
        f"built {path} ({size_mb:.1f} MB) from {onnx.name}: task {meta['task']['name']}, "
        f"{sidecar['precision']}, {batch}, TensorRT {sidecar['tensorrt']} on {sidecar['gpu']} "
        f"(sm {sidecar['compute_capability']}, {where}) in {sidecar['build_seconds']:.1f}s; sidecar {path.name}.json"
    )
    if args.timing_cache:
        print(f"timing cache: {args.timing_cache}")
    return 0
