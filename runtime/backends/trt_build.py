"""TensorRT engine builder: deployment ONNX -> plain serialized plan + sidecar JSON. Pure tensorrt API, no torch.

Small steps, each testable alone (Polygraphy style):

    builder, network, parser = network_from_onnx("model.onnx")       # strongly typed, parser errors listed
    config = create_config(builder, workspace_gib=2, timing_cache=blob, opt_level=3, dla_core=None)
    add_batch_profile(builder, network, config, max_batch=8)          # only for a dynamic batch axis
    plan = build_engine(builder, network, config, "model.onnx")       # bytes
    write_engine("model.engine", plan, sidecar)                       # atomic plan, then atomic sidecar

`build_engine_file` chains them the way `foodcam build` and the engine cache use them.
Precision lives in the ONNX (FP16 weights, INT8 Q/DQ), so networks are strongly typed: TensorRT 10.x gets
the STRONGLY_TYPED creation flag, 11.x is always strongly typed (its FP16/INT8 builder flags are gone).
The one exception is DLA on TensorRT 10.x (JetPack 6), which builds weakly typed with FP16 (+INT8) enabled.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import numpy as np
from foodcam.runtime.backends import check_input_layout, is_dynamic
from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata, task_from_metadata
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_bytes_atomic, write_text_atomic
from foodcam.runtime.integrity import plan_record

log = logging.getLogger("foodcam.tensorrt")

NO_TENSORRT = "TensorRT is not installed (no python module 'tensorrt'): install TensorRT (JetPack or pip tensorrt) or use the .onnx"
DEFAULT_MAX_BATCH = 8
_LOGGER = None


def import_tensorrt():
    """The tensorrt module, or a one-line FoodcamError saying how to get it."""
    try:
        import tensorrt as trt
    except ImportError:
        raise FoodcamError(NO_TENSORRT) from None
    except OSError as e:  # the module is there but libnvinfer is not
        raise FoodcamError(f"TensorRT could not load its libraries ({e}); install TensorRT or use the .onnx") from None
    return trt


def trt_major(trt) -> int:
    return int(str(trt.__version__).split(".")[0])


def get_logger(verbose: bool = False):
    """One tensorrt.Logger for the process (TensorRT prefers a single logger)."""
    global _LOGGER
    trt = import_tensorrt()
    if _LOGGER is None:
        _LOGGER = trt.Logger(trt.Logger.WARNING)
    _LOGGER.min_severity = trt.Logger.VERBOSE if verbose else trt.Logger.WARNING
    return _LOGGER


def environment(device: int = 0) -> dict[str, str]:
    """What an engine is tied to: {"tensorrt": version, "gpu": name, "compute_capability": "8.7"}."""
    from foodcam.runtime.backends.cuda_mem import device_info

    trt = import_tensorrt()
    return {"tensorrt": str(trt.__version__), **device_info(device)}


def network_flags(trt, strongly_typed: bool = True) -> int:
    """create_network flags: STRONGLY_TYPED on 10.x; 0 on 11.x (always strongly typed, always explicit batch)."""
    if not strongly_typed or trt_major(trt) >= 11:
        return 0
    flag = getattr(trt.NetworkDefinitionCreationFlag, "STRONGLY_TYPED", None)
    return 0 if flag is None else 1 << int(flag)


def network_from_onnx(path: str | Path, *, strongly_typed: bool = True, verbose: bool = False):
    """Parse an ONNX file into a new network: (builder, network, parser). Keep the parser alive with the network."""
    trt = import_tensorrt()
    logger = get_logger(verbose)
    builder = trt.Builder(logger)
    network = builder.create_network(network_flags(trt, strongly_typed))
    parser = trt.OnnxParser(network, logger)
    if not parser.parse_from_file(str(path)):
        errors = [" ".join(str(parser.get_error(i)).split()) for i in range(parser.num_errors)]
        raise FoodcamError(f"{path}: TensorRT's ONNX parser failed: {' | '.join(errors) or 'no detail given'}")
    return builder, network, parser


def check_network_io(network, where: str | Path) -> None:
    """The network's one input must be uint8 (N, H, W, 3), as `foodcam export` writes it."""
    trt = import_tensorrt()
    if network.num_inputs != 1:
        raise FoodcamError(f"{where}: network has {network.num_inputs} inputs, expected one uint8 (N, H, W, 3) image")
    inp = network.get_input(0)
    try:
        dtype = np.dtype(trt.nptype(inp.dtype)).name
    except TypeError:
        dtype = str(inp.dtype)
    check_input_layout(tuple(inp.shape), dtype, str(where))


def create_config(
    builder,
    workspace_gib: float = 2.0,
    timing_cache: bytes | None = None,
    opt_level: int | None = 3,
    dla_core: int | None = None,
    precision_flags: tuple[str, ...] = (),
):
    """Builder config: workspace pool limit, optimisation level, timing cache, DLA (+GPU fallback), weak-typing flags."""
    trt = import_tensorrt()
    config = builder.create_builder_config()
    if workspace_gib <= 0:
        raise FoodcamError(f"--workspace {workspace_gib}: expected a positive size in GiB")
    config.set_memory_pool_limit(trt.MemoryPoolType.WORKSPACE, int(workspace_gib * (1 << 30)))
    if opt_level is not None:
        if not 0 <= int(opt_level) <= 5:
            raise FoodcamError(f"--opt-level {opt_level}: expected 0..5")
        config.builder_optimization_level = int(opt_level)
    cache = config.create_timing_cache(timing_cache or b"")
    if cache is None or not config.set_timing_cache(cache, False):
        log.warning("timing cache is from another GPU or TensorRT version; starting a fresh one")
        config.set_timing_cache(config.create_timing_cache(b""), False)
    if dla_core is not None:
        cores = int(builder.num_DLA_cores)
        if cores == 0:
            raise FoodcamError(f"--dla {dla_core}: this device has no DLA cores (Jetson AGX/NX Orin and Xavier have them)")
        if not 0 <= int(dla_core) < cores:
            raise FoodcamError(f"--dla {dla_core}: this device has DLA cores 0..{cores - 1}")
        config.default_device_type = trt.DeviceType.DLA
        config.DLA_core = int(dla_core)
        config.set_flag(trt.BuilderFlag.GPU_FALLBACK)
    for name in precision_flags:
        config.set_flag(getattr(trt.BuilderFlag, name))
    return config


def add_batch_profile(
    builder, network, config, max_batch: int = DEFAULT_MAX_BATCH, opt_batch: int = 1,
    input_size: tuple[int, int] | None = None,
) -> dict | None:
    """An optimisation profile 1..max_batch for a dynamic batch axis; None for a fixed-shape input."""
    inp = network.get_input(0)
    shape = tuple(inp.shape)
    if not any(is_dynamic(d) for d in shape):
        return None
    h, w = shape[1], shape[2]
    if is_dynamic(h) or is_dynamic(w):
        if input_size is None:
            raise FoodcamError(f"input {inp.name!r} has a dynamic height/width {shape}; export with a fixed --imgsz")
        h, w = input_size
    if not 1 <= opt_batch <= max_batch:
        raise FoodcamError(f"batch profile: need 1 <= opt ({opt_batch}) <= max ({max_batch})")
    dims = {k: (n, int(h), int(w), 3) for k, n in (("min", 1), ("opt", opt_batch), ("max", max_batch))}
    profile = builder.create_optimization_profile()
    profile.set_shape(inp.name, dims["min"], dims["opt"], dims["max"])
    if config.add_optimization_profile(profile) < 0:
        raise FoodcamError(f"TensorRT rejected the batch profile {dims} for input {inp.name!r}")
    return {k: list(v) for k, v in dims.items()}


def build_engine(builder, network, config, where: str | Path = "network") -> bytes:
    """build_serialized_network -> plan bytes; a clear error when TensorRT returns nothing."""
    plan = builder.build_serialized_network(network, config)
    if plan is None:
        raise FoodcamError(
            f"{where}: TensorRT could not build an engine (see its log above; a larger --workspace may help)"
        )
    return bytes(plan)


def sidecar_path(engine: str | Path) -> Path:
    """x.engine -> x.engine.json."""
    return Path(str(engine) + ".json")


def write_engine(path: str | Path, plan: bytes, sidecar: dict) -> None:
    """The plan, then its sidecar JSON, each written atomically."""
    write_bytes_atomic(path, plan)
    write_text_atomic(sidecar_path(path), json.dumps(sidecar, indent=2, sort_keys=True) + "\n")


def load_timing_cache(path: str | Path | None) -> bytes | None:
    p = Path(path) if path else None
    return p.read_bytes() if p is not None and p.is_file() else None


def save_timing_cache(config, path: str | Path) -> None:
    """Merge what another build may have saved meanwhile, then write the cache atomically."""
    cache = config.get_timing_cache()
    on_disk = load_timing_cache(path)
    if on_disk:
        other = config.create_timing_cache(on_disk)
        if other is not None and not cache.combine(other, True):
            log.warning("%s: could not merge the timing cache on disk; replacing it", path)
    write_bytes_atomic(path, bytes(cache.serialize()))


def build_engine_file(
    onnx_path: str | Path,
    out: str | Path | None = None,
    *,
    workspace_gib: float = 2.0,
    timing_cache: str | Path | None = None,
    opt_level: int | None = 3,
    dla_core: int | None = None,
    max_batch: int = DEFAULT_MAX_BATCH,
    verbose: bool = False,
) -> tuple[Path, dict]:
    """Build `onnx_path` into `out` (default: beside it, .engine) with its sidecar; return (path, sidecar)."""
    onnx = Path(onnx_path)
    meta = read_metadata(onnx)
    task = task_from_metadata(meta, onnx)
    trt = import_tensorrt()
    env = environment()
    out = Path(out) if out else onnx.with_suffix(".engine")
    precision = meta.get("precision", "fp32")
    strongly_typed, flags = True, ()
    if dla_core is not None and trt_major(trt) < 11:  # DLA on 10.x: weakly typed, reduced precision enabled
        strongly_typed, flags = False, ("FP16", "INT8") if precision == "int8" else ("FP16",)

    t0 = time.perf_counter()
    builder, network, _parser = network_from_onnx(onnx, strongly_typed=strongly_typed, verbose=verbose)
    check_network_io(network, onnx)
    config = create_config(builder, workspace_gib, load_timing_cache(timing_cache), opt_level, dla_core, flags)
    profile = add_batch_profile(builder, network, config, max_batch=max_batch, input_size=task.input_size)
    monitor = _progress_monitor(trt, onnx.name)
    if monitor is not None:
        config.progress_monitor = monitor
    try:
        plan = build_engine(builder, network, config, onnx)
    finally:
        if monitor is not None:
            monitor.close()
    seconds = time.perf_counter() - t0

    sidecar = {
        **meta,
        **env,
        "precision": precision,
        "onnx": onnx.name,
        "onnx_sha256": file_sha256(onnx),
        "integrity": plan_record(plan),  # size checked at every open, sha256 with --verify (runtime.integrity)
        "build_seconds": round(seconds, 2),
        "build": {
            "workspace_gib": workspace_gib, "opt_level": opt_level, "dla_core": dla_core,
            "strongly_typed": strongly_typed, "batch_profile": profile,
        },
    }
    write_engine(out, plan, sidecar)
    if timing_cache:
        save_timing_cache(config, timing_cache)
    return out, sidecar


def _progress_monitor(trt, name: str):
    """A tqdm bar over TensorRT's top-level build phases (TensorRT >= 10 has IProgressMonitor)."""
    if not hasattr(trt, "IProgressMonitor"):
        return None
    from tqdm import tqdm

    class _Monitor(trt.IProgressMonitor):
        def __init__(self) -> None:
            trt.IProgressMonitor.__init__(self)
            self.bar = None

        def phase_start(self, phase_name, parent_phase, num_steps):
            if parent_phase is None:
                self.close()
                self.bar = tqdm(total=max(1, int(num_steps)), desc=f"build {name}: {phase_name}", leave=False)

        def step_complete(self, phase_name, step):
            if self.bar is not None and phase_name in self.bar.desc:
                self.bar.update(1)
            return True  # False would cancel the build

        def phase_finish(self, phase_name):
            if self.bar is not None and phase_name in self.bar.desc:
                self.close()

        def close(self) -> None:
            if self.bar is not None:
                self.bar.close()
                self.bar = None

    return _Monitor()
