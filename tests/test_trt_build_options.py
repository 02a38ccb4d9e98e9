"""What `build_engine_file` asks of TensorRT: device identity, DLA rules, timing-cache merging, batch profiles.

TensorRT is replaced by tests/recording_trt.py, a recorder that builds nothing, and CUDA's device calls by a
two-GPU table: these tests check foodcam's option handling only. Real builds are in test_tensorrt.py (GPU).
"""

from __future__ import annotations

import json
import logging

import pytest
from recording_trt import NOT_A_PLAN, BuilderFlag, DeviceType, RecordingTensorRT
from tiny_onnx import SEG_TASK, seg_onnx

from foodcam.runtime.backends import cuda_mem, trt_build
from foodcam.runtime.backends.onnx_meta import make_metadata
from foodcam.runtime.backends.tensorrt import check_compatible
from foodcam.runtime.backends.trt_build import build_engine_file, sidecar_path
from foodcam.runtime.errors import FoodcamError

GPUS = {0: {"gpu": "NVIDIA RTX A2000", "compute_capability": "8.6", "sm_count": "26", "memory_mib": "5928"},
        1: {"gpu": "NVIDIA RTX A4000", "compute_capability": "8.6", "sm_count": "48", "memory_mib": "16376"}}


class TwoGpus:
    """cudaSetDevice / cudaGetDevice / cudaGetDeviceProperties of a machine with two different GPUs."""

    def __init__(self) -> None:
        self.current = 0

    def set_device(self, d: int = 0) -> None:
        self.current = int(d)

    def current_device(self) -> int:
        return self.current

    def device_info(self, d: int = 0) -> dict:
        return dict(GPUS[int(d)])


@pytest.fixture
def machine(monkeypatch):
    gpus = TwoGpus()
    for name in ("set_device", "current_device", "device_info"):
        monkeypatch.setattr(cuda_mem, name, getattr(gpus, name))
    monkeypatch.setattr(trt_build, "_LOGGER", None)
    return gpus


def _use(monkeypatch, fake: RecordingTensorRT) -> RecordingTensorRT:
    monkeypatch.setattr(trt_build, "import_tensorrt", lambda: fake)
    return fake


def _onnx(tmp_path, precision="fp32"):
    return seg_onnx(tmp_path / f"m.{precision}.onnx", meta=make_metadata(SEG_TASK, precision), precision=precision)


def test_engine_records_the_device_it_was_built_on(tmp_path, monkeypatch, machine):
    trt = _use(monkeypatch, RecordingTensorRT(current_device=machine.current_device))
    out, side = build_engine_file(_onnx(tmp_path), tmp_path / "m.engine", device_id=1)
    assert out.read_bytes() == NOT_A_PLAN
    assert ("build_serialized_network", 1) in trt.calls  # built on device 1 ...
    assert {k: side[k] for k in GPUS[1]} == GPUS[1]  # ... and recorded as device 1, not device 0
    assert json.loads(sidecar_path(out).read_text()) == side
    check_compatible(side, {"tensorrt": "10.3.0", **GPUS[1]}, out)
    with pytest.raises(FoodcamError, match="gpu NVIDIA RTX A4000 vs NVIDIA RTX A2000 here"):
        check_compatible(side, {"tensorrt": "10.3.0", **GPUS[0]}, out)
    machine.set_device(1)  # no device_id: the thread's current device
    _, side = build_engine_file(_onnx(tmp_path), tmp_path / "n.engine")
    assert side["sm_count"] == "48"


def test_gpu_build_gets_a_1_to_max_batch_profile_and_its_options(tmp_path, monkeypatch, machine):
    trt = _use(monkeypatch, RecordingTensorRT())
    _, side = build_engine_file(_onnx(tmp_path), tmp_path / "m.engine", max_batch=4, opt_level=5, workspace_gib=0.5)
    (profile,) = trt.config.profiles
    assert profile.shapes["images"] == ((1, 16, 20, 3), (1, 16, 20, 3), (4, 16, 20, 3))
    assert trt.config.builder_optimization_level == 5 and trt.config.pools == {0: 1 << 29}
    assert trt.network.flags == 1 << 5 and trt.config.flags == set()  # strongly typed, no precision flags
    assert trt.config.default_device_type == DeviceType.GPU
    assert side["build"] == {"workspace_gib": 0.5, "opt_level": 5, "dla_core": None, "max_batch": 4,
                             "strongly_typed": True, "batch_profile": {"min": [1, 16, 20, 3], "opt": [1, 16, 20, 3],
                                                                       "max": [4, 16, 20, 3]}, "dla_layers": None}


@pytest.mark.parametrize("precision, flags", [("fp32", {BuilderFlag.FP16}), ("int8", {BuilderFlag.FP16, BuilderFlag.INT8})])
def test_dla_on_tensorrt_10_is_fixed_shape_weakly_typed(tmp_path, monkeypatch, machine, precision, flags):
    trt = _use(monkeypatch, RecordingTensorRT("10.3.0", dla_cores=2))
    _, side = build_engine_file(_onnx(tmp_path, precision), tmp_path / "m.engine", dla_core=1)
    (profile,) = trt.config.profiles
    assert profile.shapes["images"] == ((1, 16, 20, 3),) * 3  # min = opt = max: DLA takes no dynamic shapes
    assert trt.config.default_device_type == DeviceType.DLA and trt.config.DLA_core == 1
    assert trt.config.flags == flags | {BuilderFlag.GPU_FALLBACK} and trt.network.flags == 0
    assert side["build"]["dla_layers"] == [2, 3] and side["build"]["max_batch"] == 1
    assert side["build"]["batch_profile"]["min"] == side["build"]["batch_profile"]["max"] == [1, 16, 20, 3]
    _, side = build_engine_file(_onnx(tmp_path, precision), tmp_path / "b.engine", dla_core=0, max_batch=4)
    assert trt.config.profiles[0].shapes["images"] == ((4, 16, 20, 3),) * 3


def test_dla_build_with_nothing_on_the_dla_is_refused(tmp_path, monkeypatch, machine):
    _use(monkeypatch, RecordingTensorRT("10.3.0", dla_cores=2, dla_ok=(False, False, False)))
    with pytest.raises(FoodcamError, match="none of the network's 3 layers can run on the DLA"):
        build_engine_file(_onnx(tmp_path, "fp16"), tmp_path / "m.engine", dla_core=0)
    assert not (tmp_path / "m.engine").exists()
    _use(monkeypatch, RecordingTensorRT("10.3.0", dla_cores=0))
    with pytest.raises(FoodcamError, match="no DLA cores"):
        build_engine_file(_onnx(tmp_path, "fp16"), tmp_path / "m.engine", dla_core=0)


def test_dla_on_tensorrt_11(tmp_path, monkeypatch, machine):
    for version in ("11.0.0", "11.1.0", "11.4.0"):
        _use(monkeypatch, RecordingTensorRT(version, dla_cores=2))
        with pytest.raises(FoodcamError, match=f"TensorRT {version} has no DLA support"):
            build_engine_file(_onnx(tmp_path, "fp16"), tmp_path / "m.engine", dla_core=0)
    _use(monkeypatch, RecordingTensorRT("11.4.1", dla_cores=2))
    with pytest.raises(FoodcamError, match="strongly typed .* export with --precision fp16 or int8"):
        build_engine_file(_onnx(tmp_path), tmp_path / "m.engine", dla_core=0)
    trt = _use(monkeypatch, RecordingTensorRT("11.4.1", dla_cores=2))
    _, side = build_engine_file(_onnx(tmp_path, "fp16"), tmp_path / "m.engine", dla_core=0)
    assert trt.network.flags == 0 and trt.config.flags == {BuilderFlag.GPU_FALLBACK}  # 11.x: always strongly typed
    assert side["build"]["strongly_typed"] and trt.config.default_device_type == DeviceType.DLA


def test_timing_cache_from_this_gpu_is_merged(tmp_path, monkeypatch, machine):
    cache = tmp_path / "timing.cache"
    cache.write_bytes(b"gpu0:earlier")
    trt = _use(monkeypatch, RecordingTensorRT(device_tag=b"gpu0"))
    build_engine_file(_onnx(tmp_path), tmp_path / "m.engine", timing_cache=cache)
    assert ("set_timing_cache", b"gpu0:earlier", False) in trt.calls
    assert ("combine", b"gpu0:earlier", False) in trt.calls
    assert b"gpu0:earlier" in cache.read_bytes()


def test_timing_cache_from_another_gpu_is_not_merged(tmp_path, monkeypatch, machine, caplog):
    cache = tmp_path / "timing.cache"
    cache.write_bytes(b"orin:foreign")
    trt = _use(monkeypatch, RecordingTensorRT(device_tag=b"gpu0"))
    with caplog.at_level(logging.WARNING, logger="foodcam.tensorrt"):
        build_engine_file(_onnx(tmp_path), tmp_path / "m.engine", timing_cache=cache)
    merges = [c for c in trt.calls if c[0] == "combine"]
    assert merges and all(ignore is False for _, _, ignore in merges)  # never ignore_mismatch=True
    assert b"foreign" not in cache.read_bytes() and cache.read_bytes().startswith(b"gpu0:")
    assert "not merged" in caplog.text


def test_resolve_build_options():
    from foodcam.runtime.backends.trt_build import resolve_build_options

    assert resolve_build_options() == {"workspace_gib": 2.0, "opt_level": 3, "dla_core": None, "max_batch": 8}
    assert resolve_build_options(dla_core=0)["max_batch"] == 1
    for bad, match in (({"workspace_gib": 0}, "--workspace"), ({"opt_level": 6}, "--opt-level"),
                       ({"dla_core": -1}, "--dla"), ({"max_batch": 0}, "--max-batch")):
        with pytest.raises(FoodcamError, match=match):
            resolve_build_options(**bad)
