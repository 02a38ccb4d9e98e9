"""A RECORDING STAND-IN for the `tensorrt` module, to test foodcam's own option handling where TensorRT is absent.

It builds nothing and runs nothing: every call the builder code makes is recorded, and the "plan" it returns is
the marker bytes NOT_A_PLAN. Tests use it to check which TensorRT calls foodcam makes (flags, profiles, DLA
settings, timing-cache merges), never to claim an engine works; the real builds are the GPU tests.
Names mirror the TensorRT 10.x Python API that runtime/backends/trt_build.py calls.
"""

from __future__ import annotations

import enum
from types import SimpleNamespace

NOT_A_PLAN = b"recording_trt: not a TensorRT plan"


class BuilderFlag(enum.IntEnum):
    FP16 = 0
    INT8 = 1
    GPU_FALLBACK = 3


class MemoryPoolType(enum.IntEnum):
    WORKSPACE = 0


class DeviceType(enum.IntEnum):
    GPU = 0
    DLA = 1


NetworkDefinitionCreationFlag = SimpleNamespace(STRONGLY_TYPED=5)


class Logger:
    WARNING, VERBOSE = 2, 4

    def __init__(self, severity: int) -> None:
        self.min_severity = severity


def nptype(dtype):
    return dtype  # the recorded network's input dtype is already a numpy type name


class TimingCache:
    def __init__(self, blob: bytes, log: list) -> None:
        self.blob, self.log = bytes(blob), log
        self.device = blob.split(b":", 1)[0] if blob else b""

    def combine(self, other: TimingCache, ignore_mismatch: bool) -> bool:
        self.log.append(("combine", other.blob, ignore_mismatch))
        if other.device and self.device and other.device != self.device and not ignore_mismatch:
            return False
        self.blob += b"+" + other.blob
        return True

    def serialize(self) -> bytes:
        return self.blob or b"fresh"


class Layer:
    def __init__(self, name: str, dla_ok: bool) -> None:
        self.name, self.dla_ok = name, dla_ok


class Network:
    def __init__(self, flags: int, shape: tuple, dtype: str, layers: list[Layer]) -> None:
        self.flags = flags
        self._input = SimpleNamespace(name="images", shape=shape, dtype=dtype)
        self.layers = layers

    num_inputs = property(lambda self: 1)
    num_layers = property(lambda self: len(self.layers))

    def get_input(self, i: int):
        return self._input

    def get_layer(self, i: int) -> Layer:
        return self.layers[i]


class Profile:
    def __init__(self) -> None:
        self.shapes: dict = {}

    def set_shape(self, name, low, opt, high) -> None:
        self.shapes[name] = (tuple(low), tuple(opt), tuple(high))


class Config:
    def __init__(self, builder: Builder) -> None:
        self.builder, self.flags, self.profiles, self.pools = builder, set(), [], {}
        self.builder_optimization_level = None
        self.default_device_type = DeviceType.GPU
        self.DLA_core = -1
        self.timing_cache = None
        self.progress_monitor = None

    def set_memory_pool_limit(self, pool, size: int) -> None:
        self.pools[pool] = size

    def create_timing_cache(self, blob: bytes) -> TimingCache:
        return TimingCache(blob, self.builder.module.calls)

    def set_timing_cache(self, cache: TimingCache, ignore_mismatch: bool) -> bool:
        self.builder.module.calls.append(("set_timing_cache", cache.blob, ignore_mismatch))
        if cache.device and cache.device != self.builder.module.device_tag and not ignore_mismatch:
            return False
        self.timing_cache = cache
        return True

    def get_timing_cache(self) -> TimingCache:
        if self.timing_cache is None or not self.timing_cache.blob:
            self.timing_cache = TimingCache(self.builder.module.device_tag + b":new", self.builder.module.calls)
        return self.timing_cache

    def set_flag(self, flag) -> None:
        self.flags.add(flag)

    def add_optimization_profile(self, profile: Profile) -> int:
        self.profiles.append(profile)
        return len(self.profiles) - 1

    def can_run_on_DLA(self, layer: Layer) -> bool:
        return self.default_device_type == DeviceType.DLA and layer.dla_ok


class Builder:
    def __init__(self, logger: Logger, module: RecordingTensorRT) -> None:
        self.module = module
        self.num_DLA_cores = module.dla_cores

    def create_network(self, flags: int) -> Network:
        m = self.module
        m.network = Network(flags, m.input_shape, m.input_dtype, [Layer(f"l{i}", ok) for i, ok in enumerate(m.dla_ok)])
        return m.network

    def create_builder_config(self) -> Config:
        self.module.config = Config(self)
        return self.module.config

    def create_optimization_profile(self) -> Profile:
        return Profile()

    def build_serialized_network(self, network: Network, config: Config) -> bytes:
        self.module.calls.append(("build_serialized_network", self.module.current_device()))
        return NOT_A_PLAN


class OnnxParser:
    def __init__(self, network: Network, logger: Logger) -> None:
        self.num_errors = 0

    def parse_from_file(self, path: str) -> bool:
        return True


class RecordingTensorRT:
    """Stands in for `import tensorrt` (version, DLA cores, the parsed input and per-layer DLA support chosen
    by the test); `calls` records what was asked of it, `config` / `network` are the last ones made."""

    def __init__(self, version: str = "10.3.0", *, dla_cores: int = 0, input_shape=(-1, 16, 20, 3),
                 dla_ok=(True, True, False), device_tag: bytes = b"gpu0", current_device=lambda: 0) -> None:
        self.__version__ = version
        self.dla_cores, self.input_shape, self.input_dtype = dla_cores, tuple(input_shape), "uint8"
        self.dla_ok, self.device_tag, self.current_device = tuple(dla_ok), device_tag, current_device
        self.calls: list = []
        self.config = self.network = None
        self.Logger, self.BuilderFlag, self.MemoryPoolType, self.DeviceType = Logger, BuilderFlag, MemoryPoolType, DeviceType
        self.NetworkDefinitionCreationFlag, self.nptype = NetworkDefinitionCreationFlag, nptype

    def Builder(self, logger: Logger) -> Builder:  # noqa: N802 (TensorRT's name)
        return Builder(logger, self)

    def OnnxParser(self, network: Network, logger: Logger) -> OnnxParser:  # noqa: N802
        return OnnxParser(network, logger)
