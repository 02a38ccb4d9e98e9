"""`foodcam build model.onnx`: a deployment ONNX -> TensorRT engine (plain plan) + sidecar JSON.

The engine is loadable by trtexec and Triton as it is; the sidecar repeats the ONNX's foodcam metadata and
adds what the engine is tied to (TensorRT version, GPU, compute capability, ONNX sha256, build time).
Needs no torch: the builder lives in runtime/backends/trt_build.py so a Jetson can build its own engines.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.backends.onnx_meta import read_metadata
from foodcam.runtime.backends.trt_build import build_engine_file, import_tensorrt
from foodcam.runtime.errors import FoodcamError


def main(args) -> int:
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
        max_batch=getattr(args, "max_batch", None),  # None: 8 on the GPU, a fixed 1 on a DLA
        device_id=getattr(args, "device", None),
        verbose=bool(getattr(args, "verbose", False)),
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
