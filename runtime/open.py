"""`open_model(path)`: the one door to every model file; a ready `Model` out.

    .onnx            -> ONNX Runtime (TensorRT EP, then CUDA EP, then CPU — whichever are available)
    .onnx + backend="tensorrt" -> a native TensorRT engine built once into the engine cache, then reused
    .engine / .plan  -> native TensorRT (needs the sidecar x.engine.json from `foodcam build`)
    grpc://host:8001/name, http://host:8000/name -> a model on a Triton Inference Server (tritonclient;
                        runtime/backends/triton.py), options shm and timeout
    .pt / .pth       -> the PyTorch checkpoint, by the loader the training side registers (runtime/loaders.py,
                        imported only then: the deployed side never needs torch for the other kinds)

backend: None (by suffix), "onnxruntime"/"ort", "cpu" or "cuda" (ONNX Runtime on that device), "tensorrt"/"trt".
device: the user's --device ("cpu", "cuda", "cuda:N") mapped onto the backend and its device_id.
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
CHECKPOINT_SUFFIXES = (".pt", ".pth")
SUFFIXES = CHECKPOINT_SUFFIXES + (".onnx",) + ENGINE_SUFFIXES
BUILD_OPTIONS = ("workspace_gib", "timing_cache", "opt_level", "dla_core", "max_batch")


def is_model_url(path: object) -> bool:
    """A served model (grpc://HOST:PORT/NAME, http://HOST:PORT/NAME), not a file: verbs pass it to `open_model`
    as the string it is (Path() would fold its '//'), and check no file, suffix or sha256 for it."""
    from foodcam.runtime.backends.triton import is_triton_url

    return is_triton_url(path)


def model_label(path: str | Path) -> str:
    """How reports name a model: a file by its name, a served model by its URL."""
    return str(path) if is_model_url(path) else Path(path).name


def _construct(cls, path: Path, options: dict) -> Model:
    params = inspect.signature(cls.__init__).parameters
    unknown = sorted(set(options) - set(params))
    if unknown:
        known = sorted(k for k in params if k not in ("self", "path"))
        raise FoodcamError(f"{path}: unknown option(s) {unknown} for {cls.__name__} (known: {', '.join(known)})")
    return cls(path, **options)


def _construct_url(cls, url: str, options: dict) -> Model:
    options = {k: v for k, v in options.items() if k not in ("spin", "threads")}  # local-runtime knobs: no-ops here
    params = inspect.signature(cls.__init__).parameters
    unknown = sorted(set(options) - set(params))
    if unknown:
        raise FoodcamError(f"{url}: unknown option(s) {unknown} for a Triton model")
    return cls(url, **options)


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


SERVED_NOT_VERIFIABLE = ("--verify compares a model file's sha256; a served model has no local file (verify the file "
                         "in the server's repository instead)")


def open_model(path: str | Path, backend: str | None = None, device: str | None = None, *, verify: bool = False,
               self_test: bool = True, **options) -> Model:
    """Open a checkpoint, a deployment ONNX or a TensorRT engine as a `Model`; FoodcamError naming the file
    on bad input.

    Every open of an ONNX / engine checks the recorded size and (ONNX) that the weights hold no NaN/Inf;
    every model then runs one test frame (runtime.selftest); `verify=True` also compares the full sha256 recorded at export / build."""
    if is_model_url(path):
        if backend is not None or device is not None:
            raise FoodcamError(f"{path}: a Triton-served model runs where the server puts it; drop --backend/--device")
        if verify:
            raise FoodcamError(f"{path}: {SERVED_NOT_VERIFIABLE}")
        from foodcam.runtime.backends.triton import TritonModel

        model = _construct_url(TritonModel, str(path), options)
    else:
        model = _open(Path(path), backend, device, verify, options)
    if self_test:
        from foodcam.runtime.selftest import self_test as run_self_test

        try:
            run_self_test(model)
        except BaseException:
            model.close()
            raise
    return model


def _open(p: Path, backend: str | None, device: str | None, verify: bool, options: dict) -> Model:
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise FoodcamError(f"{p}: unknown model file kind {suffix or '(no suffix)'!r}; expected one of "
                           f"{', '.join(SUFFIXES)}")
    if not p.is_file():
        raise FoodcamError(f"{p}: no such model file")
    name = backend.lower() if backend else None
    if name is not None and name not in ONNXRUNTIME_NAMES + TENSORRT_NAMES:
        raise FoodcamError(f"backend {backend!r}: expected one of {', '.join(ONNXRUNTIME_NAMES + TENSORRT_NAMES)}")
    if suffix in CHECKPOINT_SUFFIXES:
        return _checkpoint(p, name, device, options)
    if device is not None:
        name, options = _device_options(suffix, name, device, options)
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
    check_artifact(p, verify)
    if name in TENSORRT_NAMES:
        return _onnx_via_tensorrt(p, dict(options))
    from foodcam.runtime.backends.onnxrt import OnnxRuntimeModel

    onnx_device = name if name in ("cpu", "cuda") else None
    return _construct(OnnxRuntimeModel, p, {"device": onnx_device, **options})


def _checkpoint(p: Path, backend: str | None, device: str | None, options: dict) -> Model:
    if backend is not None:
        raise FoodcamError(f"{p}: a PyTorch checkpoint runs on PyTorch, not backend {backend!r} (export it with "
                           "`foodcam export` for ONNX Runtime or TensorRT)")
    from foodcam.runtime.loaders import find_loader

    try:
        loader = find_loader(p.suffix)  # the training side's, registered or named by an entry point
        if loader is None:
            raise ImportError(f"no {p.suffix} loader is installed")
        cls = loader()  # the Model class: imports torch
    except ImportError as e:
        raise FoodcamError(f"{p}: a PyTorch checkpoint needs the training side ({e}; pip install "
                           "'foodcam[train]'), or export it with `foodcam export` and open the .onnx") from None
    return _construct(cls, p, {"device": device, **options})


def _device_options(suffix: str, backend: str | None, device: str, options: dict) -> tuple[str | None, dict]:
    """--device onto the backend: an ONNX runs on ONNX Runtime on that device; an engine on TensorRT on GPU N."""
    dev = str(device).strip().lower()
    if dev == "cpu":
        if suffix != ".onnx":
            raise FoodcamError(f"a TensorRT engine ({suffix}) runs on a GPU only; --device cpu needs an .onnx file")
        return backend or "cpu", options
    if dev == "cuda" or dev.startswith("cuda:"):
        try:
            device_id = int(dev.split(":", 1)[1]) if ":" in dev else 0
        except ValueError:
            raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N") from None
        return (backend or ("cuda" if suffix == ".onnx" else None)), {"device_id": device_id, **options}
    raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N")
