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
DLA takes no dynamic shapes: a DLA build gets a fixed batch (profile min = opt = max, default 1), and a build
in which no layer can run on the DLA is refused rather than silently run on the GPU. TensorRT 11.0-11.4.0 has
no DLA at all; 11.4.1 has it again on Jetson AGX Orin with JetPack 7.2.2+, strongly typed (FP16/INT8 ONNX only).

The engine is tied to the device TensorRT builds on: the calling thread's current CUDA device, whose model
(ENV_FIELDS: name, compute capability, SM count, memory) the sidecar records.
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

ENV_FIELDS = ("tensorrt", "gpu", "compute_capability", "sm_count", "memory_mib")
BUILD_FIELDS = ("workspace_gib", "opt_level", "dla_core", "max_batch")  # options that change the engine
DLA_RETURNS = (11, 4, 1)  # TensorRT 11.0 .. 11.4.0 have no DLA
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


def trt_version(trt) -> tuple[int, ...]:
    """(major, minor, patch) of a tensorrt module ("10.3.0.30" -> (10, 3, 0))."""
    parts = []
    for p in str(trt.__version__).split(".")[:3]:
        digits = "".join(c for c in p if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts + [0] * (3 - len(parts)))


def trt_major(trt) -> int:
    return trt_version(trt)[0]


def get_logger(verbose: bool = False):
    """One tensorrt.Logger for the process (TensorRT prefers a single logger)."""
    global _LOGGER
    trt = import_tensorrt()
    if _LOGGER is None:
        _LOGGER = trt.Logger(trt.Logger.WARNING)
    _LOGGER.min_severity = trt.Logger.VERBOSE if verbose else trt.Logger.WARNING
    return _LOGGER


def environment(device: int | None = None) -> dict[str, str]:
    """What an engine is tied to (ENV_FIELDS): the TensorRT version and the model of CUDA device `device`
    (default: the calling thread's current device, where TensorRT builds and runs)."""
    from foodcam.runtime.backends import cuda_mem

    trt = import_tensorrt()
    dev = cuda_mem.current_device() if device is None else int(device)
    return {"tensorrt": str(trt.__version__), **cuda_mem.device_info(dev)}


def resolve_build_options(
    workspace_gib: float = 2.0, opt_level: int | None = 3, dla_core: int | None = None, max_batch: int | None = None,
) -> dict:
    """The options that change an engine (BUILD_FIELDS), defaults filled in and checked: the engine cache keys
    on exactly what the builder records. max_batch None: 1 on a DLA (fixed shapes), else DEFAULT_MAX_BATCH."""
    if workspace_gib is None or float(workspace_gib) <= 0:
        raise FoodcamError(f"--workspace {workspace_gib}: expected a positive size in GiB")
    if opt_level is not None and not 0 <= int(opt_level) <= 5:
        raise FoodcamError(f"--opt-level {opt_level}: expected 0..5")
    if dla_core is not None and int(dla_core) < 0:
        raise FoodcamError(f"--dla {dla_core}: expected a DLA core number >= 0")
    if max_batch is None:
        max_batch = 1 if dla_core is not None else DEFAULT_MAX_BATCH
    if int(max_batch) < 1:
        raise FoodcamError(f"--max-batch {max_batch}: expected at least 1")
    return {"workspace_gib": float(workspace_gib), "opt_level": None if opt_level is None else int(opt_level),
            "dla_core": None if dla_core is None else int(dla_core), "max_batch": int(max_batch)}


def check_dla_support(trt, precision: str) -> None:
    """FoodcamError where a DLA build would put nothing on the DLA (TensorRT 11 before 11.4.1; FP32 on 11.x)."""
    version = trt_version(trt)
    if version[0] >= 11 and version < DLA_RETURNS:
        raise FoodcamError(
            f"--dla: TensorRT {trt.__version__} has no DLA support (removed in 11.0, back in 11.4.1 on Jetson AGX "
            "Orin with JetPack 7.2.2+); build for the GPU (no --dla) or use TensorRT 10.x (JetPack 6)"
        )
    if version[0] >= 11 and precision not in ("fp16", "int8"):
        raise FoodcamError(
            f"--dla: TensorRT {trt.__version__} builds strongly typed networks and the DLA runs FP16/INT8 only, "
            f"so a {precision} ONNX would run entirely on the GPU; export with --precision fp16 or int8"
        )


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
    input_size: tuple[int, int] | None = None, fixed: bool = False,
) -> dict | None:
    """An optimisation profile 1..max_batch for a dynamic batch axis (fixed: min = opt = max = max_batch, as
    the DLA requires); None for a fixed-shape input."""
    inp = network.get_input(0)
    shape = tuple(inp.shape)
    if not any(is_dynamic(d) for d in shape):
        return None
    h, w = shape[1], shape[2]
    if is_dynamic(h) or is_dynamic(w):
        if input_size is None:
            raise FoodcamError(f"input {inp.name!r} has a dynamic height/width {shape}; export with a fixed --imgsz")
        h, w = input_size
    low = max_batch if fixed else 1
    if fixed:
        opt_batch = max_batch
    if not 1 <= opt_batch <= max_batch:
        raise FoodcamError(f"batch profile: need 1 <= opt ({opt_batch}) <= max ({max_batch})")
    dims = {k: (n, int(h), int(w), 3) for k, n in (("min", low), ("opt", opt_batch), ("max", max_batch))}
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
    """Merge what another build on this GPU saved meanwhile, then write the cache atomically.

    combine(..., ignore_mismatch=False): a cache from another device or TensorRT version is not merged
    (TensorRT warns that mixing device properties may cause functional or performance bugs); it is replaced.
    """
    cache = config.get_timing_cache()
    on_disk = load_timing_cache(path)
    if on_disk:
        other = config.create_timing_cache(on_disk)
        if other is None or not cache.combine(other, False):
            log.warning("%s: timing cache on disk is from another GPU or TensorRT version; not merged, replaced "
                        "by this build's", path)
    write_bytes_atomic(path, bytes(cache.serialize()))


def count_dla_layers(config, network) -> int:
    """How many of the network's layers this config can place on the DLA."""
    return sum(bool(config.can_run_on_DLA(network.get_layer(i))) for i in range(network.num_layers))


def build_engine_file(
    onnx_path: str | Path,
    out: str | Path | None = None,
    *,
    workspace_gib: float = 2.0,
    timing_cache: str | Path | None = None,
    opt_level: int | None = 3,
    dla_core: int | None = None,
    max_batch: int | None = None,
    device_id: int | None = None,
    verbose: bool = False,
) -> tuple[Path, dict]:
    """Build `onnx_path` into `out` (default: beside it, .engine) with its sidecar; return (path, sidecar).

    device_id: the CUDA device to build on (made current in this thread); None: the current device.
    max_batch: None gives DEFAULT_MAX_BATCH on the GPU and a fixed batch of 1 on a DLA.
    """
    from foodcam.runtime.backends import cuda_mem

    onnx = Path(onnx_path)
    meta = read_metadata(onnx)
    task = task_from_metadata(meta, onnx)
    options = resolve_build_options(workspace_gib, opt_level, dla_core, max_batch)
    dla_core = options["dla_core"]
    trt = import_tensorrt()
    precision = meta.get("precision", "fp32")
    if dla_core is not None:
        check_dla_support(trt, precision)
    if device_id is not None:
        cuda_mem.set_device(device_id)
    env = environment()  # the device TensorRT builds on: this thread's current one
    out = Path(out) if out else onnx.with_suffix(".engine")
    strongly_typed, flags = True, ()
    if dla_core is not None and trt_major(trt) < 11:  # DLA on 10.x: weakly typed, reduced precision enabled
        strongly_typed, flags = False, ("FP16", "INT8") if precision == "int8" else ("FP16",)

    t0 = time.perf_counter()
    builder, network, _parser = network_from_onnx(onnx, strongly_typed=strongly_typed, verbose=verbose)
    check_network_io(network, onnx)
    config = create_config(builder, options["workspace_gib"], load_timing_cache(timing_cache), options["opt_level"],
                           dla_core, flags)
    profile = add_batch_profile(builder, network, config, max_batch=options["max_batch"], input_size=task.input_size,
                                fixed=dla_core is not None)
    dla_layers = None
    if dla_core is not None:
        dla_layers = count_dla_layers(config, network)
        if dla_layers == 0:
            raise FoodcamError(
                f"{onnx}: --dla {dla_core}: none of the network's {network.num_layers} layers can run on the DLA "
                f"with TensorRT {trt.__version__}; build for the GPU (no --dla)"
            )
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
            **options, "strongly_typed": strongly_typed, "batch_profile": profile,
            "dla_layers": None if dla_layers is None else [dla_layers, int(network.num_layers)],
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
