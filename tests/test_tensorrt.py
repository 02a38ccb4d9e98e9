"""TensorRT: `foodcam build`, the engine cache, the native backend.

The first part runs everywhere (clear errors without TensorRT, sidecar checks, cache keying with an injected
builder). The second part needs TensorRT and a GPU and is skipped with the reason where they are absent.
"""

from __future__ import annotations

import importlib.util
import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
from tiny_onnx import SEG_TASK, cls_onnx, random_frames, seg_onnx

from foodcam.runtime.backends.onnx_meta import make_metadata
from foodcam.runtime.backends.tensorrt import check_compatible
from foodcam.runtime.backends.trt_build import network_flags, sidecar_path, write_engine
from foodcam.runtime.engine_cache import cache_key, cached_engine
from foodcam.runtime.errors import FoodcamError

HAS_TRT = importlib.util.find_spec("tensorrt") is not None


def _gpu_count() -> int:
    from foodcam.runtime.backends.cuda_mem import device_count

    return device_count()


needs_trt_gpu = pytest.mark.skipif(
    not HAS_TRT or _gpu_count() == 0,
    reason="needs TensorRT (python module 'tensorrt') and a CUDA GPU",
)
# Jetson AGX Orin 64 GB; an Orin NX 16 GB reports the same name and compute capability, fewer SMs and less memory
ENV = {"tensorrt": "10.3.0", "gpu": "Orin", "compute_capability": "8.7", "sm_count": "16", "memory_mib": "62841"}
ORIN_NX = {**ENV, "sm_count": "8", "memory_mib": "15656"}


def foodcam(*argv) -> int:
    from foodcam.cli import main

    return main([str(a) for a in argv])


# --- everywhere ----------------------------------------------------------------------------------------------


@pytest.mark.skipif(HAS_TRT, reason="checks the message shown where TensorRT is absent")
def test_build_without_tensorrt_is_one_clear_line(tmp_path, capsys):
    onnx = seg_onnx(tmp_path / "m.onnx")
    assert foodcam("build", onnx) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "TensorRT" in err and "install TensorRT" in err and ".onnx" in err
    assert not (tmp_path / "m.engine").exists()


def test_build_rejects_garbage_before_needing_tensorrt(tmp_path, capsys):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\xff" * 64)
    assert foodcam("build", bad) == 2
    err = capsys.readouterr().err.strip()
    assert str(bad) in err and "not an ONNX model" in err


@pytest.mark.skipif(HAS_TRT, reason="checks the message shown where TensorRT is absent")
def test_open_onnx_with_tensorrt_backend_without_tensorrt(tmp_path):
    from foodcam.runtime import open_model

    with pytest.raises(FoodcamError, match="install TensorRT"):
        open_model(seg_onnx(tmp_path / "m.onnx"), backend="tensorrt", cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


def test_engine_without_sidecar(tmp_path):
    from foodcam.runtime import open_model

    engine = tmp_path / "m.engine"
    engine.write_bytes(b"plan")
    with pytest.raises(FoodcamError, match="no sidecar m.engine.json") as e:
        open_model(engine)
    assert str(engine) in str(e.value) and "foodcam build" in str(e.value)


def test_engine_sidecar_with_unknown_schema(tmp_path):
    from foodcam.runtime import open_model

    engine = tmp_path / "m.engine"
    write_engine(engine, b"plan", {**make_metadata(SEG_TASK, "fp16"), **ENV, "schema": 7})
    with pytest.raises(FoodcamError, match="schema 7") as e:
        open_model(engine)
    assert str(sidecar_path(engine)) in str(e.value)


@pytest.mark.skipif(HAS_TRT, reason="checks the message shown where TensorRT is absent")
def test_engine_with_sidecar_without_tensorrt(tmp_path):
    from foodcam.runtime import open_model

    engine = tmp_path / "m.plan"
    write_engine(engine, b"plan", {**make_metadata(SEG_TASK, "fp16"), **ENV})
    with pytest.raises(FoodcamError, match="install TensorRT"):
        open_model(engine)


def test_engine_for_another_tensorrt_or_gpu(tmp_path):
    side = {**make_metadata(SEG_TASK, "fp32"), **ENV}
    check_compatible(side, dict(ENV), tmp_path / "m.engine")  # same machine: fine
    with pytest.raises(FoodcamError, match=r"tensorrt 10\.3\.0 vs 10\.7\.0") as e:
        check_compatible(side, {**ENV, "tensorrt": "10.7.0"}, tmp_path / "m.engine")
    assert str(tmp_path / "m.engine") in str(e.value) and "foodcam build" in str(e.value)
    with pytest.raises(FoodcamError, match="gpu Orin vs NVIDIA H100"):
        check_compatible(side, {**ENV, "gpu": "NVIDIA H100", "compute_capability": "9.0"}, "m.engine")
    with pytest.raises(FoodcamError, match="sm_count 16 vs 8 here; memory_mib 62841 vs 15656 here"):
        check_compatible(side, ORIN_NX, "m.engine")  # same name and compute capability, another board
    with pytest.raises(FoodcamError, match="sidecar lacks tensorrt, gpu"):
        check_compatible(make_metadata(SEG_TASK, "fp32"), ENV, "m.engine")
    old = {k: v for k, v in side.items() if k not in ("sm_count", "memory_mib")}  # written before they were recorded
    with pytest.raises(FoodcamError, match="sidecar lacks sm_count, memory_mib"):
        check_compatible(old, ENV, "m.engine")


def test_network_flags_follow_the_tensorrt_major_version():
    flags = SimpleNamespace(STRONGLY_TYPED=1)
    assert network_flags(SimpleNamespace(__version__="10.3.0", NetworkDefinitionCreationFlag=flags)) == 1 << 1
    assert network_flags(SimpleNamespace(__version__="11.4.1", NetworkDefinitionCreationFlag=flags)) == 0
    assert network_flags(SimpleNamespace(__version__="10.3.0", NetworkDefinitionCreationFlag=flags), False) == 0


class _Recorder:
    """A stand-in builder for the cache's keying logic: writes marker bytes (no engine) and the sidecar a real
    build writes (environment, ONNX sha, precision and the resolved build options)."""

    def __init__(self, env: dict) -> None:
        self.env, self.calls = env, []

    def __call__(self, onnx, out, **options):
        from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata
        from foodcam.runtime.backends.trt_build import BUILD_FIELDS

        self.calls.append((onnx, out, options))
        build = {k: options[k] for k in BUILD_FIELDS}
        sidecar = {**read_metadata(onnx), **self.env, "onnx_sha256": file_sha256(onnx), "build": build}
        write_engine(out, b"not a plan: cache-key test for " + onnx.name.encode(), sidecar)
        return out, sidecar


def test_engine_cache_reuses_and_rebuilds_on_any_key_change(tmp_path):
    onnx = seg_onnx(tmp_path / "m.onnx")
    cache = tmp_path / "cache"
    build = _Recorder(ENV)
    first = cached_engine(onnx, cache, env=ENV, build=build, opt_level=2)
    assert first.parent == cache and first.is_file() and sidecar_path(first).is_file()
    assert len(build.calls) == 1 and build.calls[0][2] == {
        "device_id": 0, "workspace_gib": 2.0, "opt_level": 2, "dla_core": None, "max_batch": 8}
    assert cached_engine(onnx, cache, env=ENV, build=build, opt_level=2) == first and len(build.calls) == 1

    for change in ({"tensorrt": "10.7.0"}, {"gpu": "NVIDIA H100"}, {"compute_capability": "9.0"},
                   {"sm_count": "8"}, {"memory_mib": "15656"}):
        env = {**ENV, **change}
        other = cached_engine(onnx, cache, env=env, build=_Recorder(env), opt_level=2)
        assert other != first and other.is_file(), change

    seg_onnx(onnx, meta=make_metadata(SEG_TASK, "fp16"))  # new bytes, same name
    rebuilt = cached_engine(onnx, cache, env=ENV, build=build, opt_level=2)
    assert rebuilt != first and len(build.calls) == 2

    sidecar_path(first).write_text("{broken")  # a damaged entry is rebuilt, not trusted
    seg_onnx(onnx)
    assert cached_engine(onnx, cache, env=ENV, build=build, opt_level=2) == first and len(build.calls) == 3


def test_engine_cache_keys_on_every_build_option(tmp_path):
    onnx = seg_onnx(tmp_path / "m.onnx")
    cache = tmp_path / "cache"
    build = _Recorder(ENV)
    default = cached_engine(onnx, cache, env=ENV, build=build)
    assert cached_engine(onnx, cache, env=ENV, build=build, max_batch=8, opt_level=3, workspace_gib=2) == default
    assert len(build.calls) == 1  # the defaults, spelled out, are the same engine
    seen = {default}
    for options in ({"max_batch": 16, "opt_level": 5}, {"max_batch": 16}, {"opt_level": 5}, {"workspace_gib": 4},
                    {"dla_core": 0}, {"dla_core": 1}, {"dla_core": 0, "max_batch": 2}, {"opt_level": None}):
        path = cached_engine(onnx, cache, env=ENV, build=build, **options)
        assert path not in seen, options
        seen.add(path)
        asked = {k: v for k, v in build.calls[-1][2].items() if k != "device_id"}
        assert json.loads(sidecar_path(path).read_text())["build"] == asked
        assert cached_engine(onnx, cache, env=ENV, build=build, **options) == path  # and reused after
    assert len(build.calls) == 9
    dla = [c[2] for c in build.calls if c[2]["dla_core"] == 0]
    assert [c["max_batch"] for c in dla] == [1, 2]  # a DLA engine has a fixed batch, 1 unless asked

    side = json.loads(sidecar_path(default).read_text())  # an entry whose sidecar says other options is rebuilt
    side["build"]["max_batch"] = 16
    sidecar_path(default).write_text(json.dumps(side))
    assert cached_engine(onnx, cache, env=ENV, build=build) == default and len(build.calls) == 10
    with pytest.raises(FoodcamError, match="--opt-level 9"):
        cached_engine(onnx, cache, env=ENV, build=build, opt_level=9)


def test_engine_cache_refuses_a_build_that_does_not_match(tmp_path):
    onnx = seg_onnx(tmp_path / "m.onnx")
    with pytest.raises(FoodcamError, match="does not match what was asked for"):
        cached_engine(onnx, tmp_path / "c", env=ENV, build=_Recorder(ORIN_NX))  # built on another board


def test_cache_key_is_stable_and_distinct():
    parts = {"onnx_sha256": "ab" * 32, **ENV, "max_batch": 8}
    a = cache_key(parts)
    assert a == cache_key(dict(reversed(parts.items()))) and len(a) == 20
    assert len({a, cache_key({**parts, "onnx_sha256": "cd" * 32}), cache_key({**parts, "max_batch": 16})}) == 3


# --- with TensorRT and a GPU ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if not HAS_TRT or _gpu_count() == 0:
        pytest.skip("needs TensorRT (python module 'tensorrt') and a CUDA GPU")
    from foodcam.runtime.backends.trt_build import build_engine_file

    d = tmp_path_factory.mktemp("trt")
    onnx = seg_onnx(d / "seg.onnx")
    engine, sidecar = build_engine_file(onnx, d / "seg.engine", workspace_gib=0.5, timing_cache=d / "timing.cache",
                                        max_batch=4)
    return SimpleNamespace(dir=d, onnx=onnx, engine=engine, sidecar=sidecar)


@needs_trt_gpu
def test_build_writes_plan_sidecar_and_timing_cache(built):
    from foodcam.runtime.backends.onnx_meta import file_sha256, read_metadata
    from foodcam.runtime.backends.trt_build import environment

    assert built.engine.stat().st_size > 0 and (built.dir / "timing.cache").stat().st_size > 0
    side = json.loads(sidecar_path(built.engine).read_text())
    assert side == built.sidecar
    env = environment()
    assert {k: side[k] for k in env} == env
    assert side["onnx_sha256"] == file_sha256(built.onnx)
    assert side["precision"] == "fp32" and side["build_seconds"] > 0
    assert side["task"] == read_metadata(built.onnx)["task"]
    assert side["build"]["batch_profile"]["max"] == [4, 16, 20, 3]


@needs_trt_gpu
@pytest.mark.parametrize("cuda_graph", [False, True])
def test_engine_matches_onnxruntime(built, cuda_graph):
    from foodcam.runtime import open_model

    ort = open_model(built.onnx, backend="cpu")
    with open_model(built.engine, cuda_graph=cuda_graph) as m:
        assert m.backend == "tensorrt" and m.input_spec.shape == (-1, 16, 20, 3) and m.max_batch == 4
        for n in (1, 3, 3, 1):
            images = random_frames(n, 16, 20, seed=n)
            got, want = m.infer(images), ort.infer(images)
            np.testing.assert_array_equal(got["mask"], want["mask"])
            np.testing.assert_allclose(got["logits"], want["logits"], rtol=1e-3, atol=1e-3)
            assert set(m.last_timings) == {"h2d_ms", "compute_ms", "d2h_ms", "total_ms"}
            assert all(v >= 0 for v in m.last_timings.values())
        with pytest.raises(FoodcamError, match="exceeds the engine's maximum of 4"):
            m.infer(random_frames(5, 16, 20))
        frame = random_frames(1, 48, 64, seed=9)[0]
        np.testing.assert_array_equal(m.predict(frame).mask_full, ort.predict(frame).mask_full)


@needs_trt_gpu
def test_classifier_engine_matches_onnxruntime(built):
    from foodcam.runtime import open_model
    from foodcam.runtime.backends.trt_build import build_engine_file

    onnx = cls_onnx(built.dir / "cls.onnx")
    engine, _ = build_engine_file(onnx, workspace_gib=0.5)
    images = random_frames(2, 12, 12, seed=5)
    with open_model(engine) as m:
        got = m.infer(images)
    want = open_model(onnx, backend="cpu").infer(images)
    for head in ("fruit", "freshness"):
        np.testing.assert_allclose(got[head], want[head], rtol=1e-3, atol=1e-4)


@needs_trt_gpu
def test_open_onnx_with_tensorrt_builds_once_then_reuses(built, tmp_path):
    from foodcam.runtime import open_model

    onnx = seg_onnx(tmp_path / "m.onnx")
    cache = tmp_path / "engines"
    with open_model(onnx, backend="tensorrt", cache_dir=cache, workspace_gib=0.5) as m:
        engine = m.path
        assert m.infer(random_frames(1, 16, 20))["mask"].shape == (1, 16, 20)
    mtime = os.stat(engine).st_mtime_ns
    with open_model(onnx, backend="tensorrt", cache_dir=cache) as m:
        assert m.path == engine and os.stat(engine).st_mtime_ns == mtime
    seg_onnx(onnx, meta=make_metadata(SEG_TASK, "fp32", source={"checkpoint": "changed"}))
    with open_model(onnx, backend="tensorrt", cache_dir=cache, workspace_gib=0.5) as m:
        assert m.path != engine
    assert len(list(cache.glob("*.engine"))) == 2


@needs_trt_gpu
def test_build_cli_prints_what_it_built(built, capsys):
    out = built.dir / "cli.engine"
    assert foodcam("build", built.onnx, "--out", out, "--workspace", 0.5, "--opt-level", 1,
                   "--timing-cache", built.dir / "timing.cache") == 0
    printed = capsys.readouterr().out
    assert f"built {out}" in printed and "TensorRT" in printed and sidecar_path(out).is_file()


@needs_trt_gpu
def test_inference_from_another_thread_with_a_cuda_graph(built):
    """The camera loop calls infer() from its own thread: the device is set there, the graph captured there."""
    from concurrent.futures import ThreadPoolExecutor

    from foodcam.runtime import open_model

    ort = open_model(built.onnx, backend="cpu")
    images = random_frames(2, 16, 20, seed=11)
    with open_model(built.engine, cuda_graph=True) as m, ThreadPoolExecutor(1) as pool:
        for _ in range(3):  # warm-up + capture, then replays, all in the pool's thread
            got = pool.submit(m.infer, images).result()
            np.testing.assert_array_equal(got["mask"], ort.infer(images)["mask"])
        assert m.cuda_graph  # the capture succeeded (a failure turns graphs off with a warning)


@needs_trt_gpu
def test_changed_build_options_give_another_cached_engine(built, tmp_path):
    from foodcam.runtime import open_model

    onnx = seg_onnx(tmp_path / "m.onnx")
    cache = tmp_path / "engines"
    with open_model(onnx, backend="tensorrt", cache_dir=cache, workspace_gib=0.5, max_batch=2) as m:
        small, max_small = m.path, m.max_batch
    with open_model(onnx, backend="tensorrt", cache_dir=cache, workspace_gib=0.5, max_batch=4, opt_level=1) as m:
        assert m.path != small and m.max_batch == 4 and max_small == 2
        assert m.infer(random_frames(4, 16, 20))["mask"].shape == (4, 16, 20)
        side = json.loads(sidecar_path(m.path).read_text())
        assert side["build"]["opt_level"] == 1 and side["build"]["max_batch"] == 4
    with open_model(onnx, backend="tensorrt", cache_dir=cache, workspace_gib=0.5, max_batch=2) as m:
        assert m.path == small  # the first engine, reused
    assert len(list(cache.glob("*.engine"))) == 2


@pytest.mark.skipif(not HAS_TRT or _gpu_count() < 2, reason="needs TensorRT and two CUDA GPUs")
def test_engine_for_device_1_is_built_and_run_there(built, tmp_path):
    from foodcam.runtime import open_model
    from foodcam.runtime.backends import cuda_mem
    from foodcam.runtime.backends.trt_build import build_engine_file, environment

    onnx = seg_onnx(tmp_path / "m.onnx")
    engine, side = build_engine_file(onnx, tmp_path / "m1.engine", workspace_gib=0.5, device_id=1)
    assert {k: side[k] for k in cuda_mem.device_info(1)} == cuda_mem.device_info(1)
    assert environment(1)["gpu"] == side["gpu"]
    images = random_frames(2, 16, 20, seed=4)
    with open_model(engine, device_id=1) as m:
        np.testing.assert_array_equal(m.infer(images)["mask"], seg_reference_mask(images))
    cuda_mem.set_device(0)


def seg_reference_mask(images: np.ndarray) -> np.ndarray:
    from tiny_onnx import seg_reference

    return seg_reference(images)["mask"]
