"""`open_model(path)`: a deployment artifact in, a ready `Model` out.

    .onnx            -> ONNX Runtime (TensorRT EP, then CUDA EP, then CPU — whichever are available)
    .onnx + backend="tensorrt" -> a native TensorRT engine built once into the engine cache, then reused
    .engine / .plan  -> native TensorRT (needs the sidecar x.engine.json from `foodcam build`)

backend: None (by suffix), "onnxruntime"/"ort", "cpu" or "cuda" (ONNX Runtime on that device), "tensorrt"/"trt".
Options go to the backend: ONNX Runtime takes providers, threads, device_id, trt_engine_cache_dir,
trt_timing_cache, fp16; TensorRT takes device_id, cuda_graph, verbose and, for an .onnx, cache_dir plus the
build options workspace_gib, timing_cache, opt_level, dla_core, max_batch.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from foodcam.runtime.backends import ONNXRUNTIME_NAMES, TENSORRT_NAMES
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import Model

ENGINE_SUFFIXES = (".engine", ".plan")
BUILD_OPTIONS = ("workspace_gib", "timing_cache", "opt_level", "dla_core", "max_batch")


def _construct(cls, path: Path, options: dict) -> Model:
    params = inspect.signature(cls.__init__).parameters
    unknown = sorted(set(options) - set(params))
    if unknown:
        known = sorted(k for k in params if k not in ("self", "path"))
        raise FoodcamError(f"{path}: unknown option(s) {unknown} for {cls.__name__} (known: {', '.join(known)})")
    return cls(path, **options)


def _onnx_via_tensorrt(path: Path, options: dict) -> Model:
    from foodcam.runtime.backends import cuda_mem
    from foodcam.runtime.backends.tensorrt import TensorRTModel
    from foodcam.runtime.backends.trt_build import import_tensorrt
    from foodcam.runtime.engine_cache import cached_engine

    import_tensorrt()  # the one-line "install TensorRT" error before anything else
    cache_dir = options.pop("cache_dir", None)
    build = {k: options.pop(k) for k in BUILD_OPTIONS if k in options}
    device_id = int(options.get("device_id", 0))
    cuda_mem.set_device(device_id)
    engine = cached_engine(path, cache_dir, device_id=device_id, **build)
    return _construct(TensorRTModel, engine, options)


def check_artifact(path: str | Path, verify: bool = False) -> dict:
    """What can be checked without a runtime: metadata, recorded size (+ sha256 with `verify`), ONNX weights
    free of NaN/Inf. Returns the metadata (ONNX) or sidecar (engine)."""
    from foodcam.runtime import integrity

    p = Path(path)
    if p.suffix.lower() in ENGINE_SUFFIXES:
        from foodcam.runtime.backends.tensorrt import read_sidecar

        sidecar = read_sidecar(p)
        integrity.check_plan(p, sidecar, verify)
        return sidecar
    from foodcam.runtime.backends.onnx_meta import read_metadata

    meta = read_metadata(p)
    integrity.check_onnx(p, meta, verify)
    integrity.check_weights_finite(p)
    return meta


def open_model(path: str | Path, backend: str | None = None, *, verify: bool = False, self_test: bool = True,
               **options) -> Model:
    """Open a deployment ONNX or a TensorRT engine as a `Model`; FoodcamError naming the file on bad input.

    Every open checks the recorded size and (ONNX) that the weights hold no NaN/Inf, then runs one test frame
    (runtime.selftest); `verify=True` also compares the full sha256 recorded at export / build."""
    model = _open(Path(path), backend, verify, options)
    if self_test:
        from foodcam.runtime.selftest import self_test as run_self_test

        try:
            run_self_test(model)
        except BaseException:
            model.close()
            raise
    return model


def _open(p: Path, backend: str | None, verify: bool, options: dict) -> Model:
    if not p.is_file():
        raise FoodcamError(f"{p}: no such model file")
    suffix = p.suffix.lower()
    name = backend.lower() if backend else None
    if name is not None and name not in ONNXRUNTIME_NAMES + TENSORRT_NAMES:
        raise FoodcamError(f"backend {backend!r}: expected one of {', '.join(ONNXRUNTIME_NAMES + TENSORRT_NAMES)}")
    if suffix in (".pt", ".pth"):
        raise FoodcamError(f"{p}: a PyTorch checkpoint; the runtime opens .onnx and .engine files (export it with `foodcam export`)")
    if suffix in ENGINE_SUFFIXES:
        if name not in (None, *TENSORRT_NAMES):
            raise FoodcamError(f"{p}: a TensorRT engine runs with the tensorrt backend only, not {backend!r}")
        from foodcam.runtime.backends.tensorrt import TensorRTModel
        from foodcam.runtime.backends.trt_build import import_tensorrt

        check_artifact(p, verify)
        try:
            import_tensorrt()
        except FoodcamError as e:
            raise FoodcamError(f"{p}: {e}") from None
        return _construct(TensorRTModel, p, options)
    if suffix == ".onnx":
        check_artifact(p, verify)
        if name in TENSORRT_NAMES:
            return _onnx_via_tensorrt(p, dict(options))
        from foodcam.runtime.backends.onnxrt import OnnxRuntimeModel

        device = name if name in ("cpu", "cuda") else None
        return _construct(OnnxRuntimeModel, p, {"device": device, **options})
    raise FoodcamError(f"{p}: unknown model file kind {suffix or '(no suffix)'!r}; expected .onnx, .engine or .plan")
