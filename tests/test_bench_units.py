"""The benchmark's pieces alone: the timing loop's bookkeeping, statistics, MAC counting from ONNX shapes,
row planning, comparison arithmetic, machine slugs. Counts and formulas only; no timings asserted."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from tiny_onnx import seg_onnx

from foodcam.benchmarks.comparisons import comparisons, noise, pairs
from foodcam.benchmarks.complexity import onnx_complexity
from foodcam.benchmarks.load import NotApplicable, bench_frames, open_row
from foodcam.benchmarks.plan import plan_rows
from foodcam.benchmarks.sysinfo import machine_slug, slug
from foodcam.benchmarks.timing import latency_stats, spread, throughput_fps, time_calls
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import KITCHEN


def test_time_calls_counts_warmup_and_iterations():
    calls = []
    after = []
    samples = time_calls(lambda: calls.append(1), warmup=4, iters=7, after=lambda: after.append(1))
    assert len(samples) == 7 and len(calls) == 11 and len(after) == 7
    assert all(s >= 0 for s in samples)
    timed = time_calls(lambda: None, warmup=0, iters=None, seconds=0.01, min_iters=5)
    assert len(timed) >= 5
    with pytest.raises(FoodcamError):
        time_calls(lambda: None, iters=None, seconds=None)
    with pytest.raises(FoodcamError):
        time_calls(lambda: None, iters=0)


def test_statistics():
    s = latency_stats([4.0, 1.0, 3.0, 2.0])
    assert (s["min"], s["max"], s["median"], s["mean"]) == (1.0, 4.0, 2.5, 2.5)
    assert s["p90"] == pytest.approx(3.7) and s["p99"] == pytest.approx(3.97)
    assert throughput_fps([10.0, 10.0], batch=4) == pytest.approx(400.0)
    sp = spread([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (sp["median"], sp["min"], sp["max"], sp["q1"], sp["q3"], sp["n"]) == (3.0, 1.0, 5.0, 2.0, 4.0, 5)
    assert sp["range_pct"] == pytest.approx(400 / 3) and sp["iqr_pct"] == pytest.approx(200 / 3)
    with pytest.raises(FoodcamError):
        latency_stats([])


def _mac_graph(path):
    """x(N,3,16,16) -> Conv 3->8 k3 p1 -> ConvTranspose 8->4 k2 s2 -> Flatten -> Gemm 4096->10 -> MatMul 10->5,
    with a quantised copy of the Conv weight to check Q/DQ scales are not parameters."""
    rng = np.random.default_rng(0)
    w = rng.normal(size=(8, 3, 3, 3)).astype(np.float32)
    wt = rng.normal(size=(8, 4, 2, 2)).astype(np.float32)
    g = rng.normal(size=(10, 4 * 32 * 32)).astype(np.float32)
    m = rng.normal(size=(10, 5)).astype(np.float32)
    inits = [numpy_helper.from_array(w.astype(np.int8), "w_q"), numpy_helper.from_array(np.float32(0.1), "w_scale"),
             numpy_helper.from_array(wt, "wt"), numpy_helper.from_array(g, "g"), numpy_helper.from_array(m, "m")]
    nodes = [
        helper.make_node("DequantizeLinear", ["w_q", "w_scale"], ["w"]),
        helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("ConvTranspose", ["c", "wt"], ["t"], strides=[2, 2]),
        helper.make_node("Flatten", ["t"], ["f"]),
        helper.make_node("Gemm", ["f", "g"], ["y"], transB=1),
        helper.make_node("MatMul", ["y", "m"], ["z"]),
    ]
    graph = helper.make_graph(nodes, "macs", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 16, 16])],
                              [helper.make_tensor_value_info("z", TensorProto.FLOAT, ["N", 5])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def test_onnx_macs_and_params_from_shapes(tmp_path):
    c = onnx_complexity(_mac_graph(tmp_path / "macs.onnx"))
    conv = (8 * 16 * 16) * (3 * 3 * 3)
    convt = (8 * 16 * 16) * (4 * 2 * 2)
    gemm = 10 * (4 * 32 * 32)
    matmul = 5 * 10
    assert c["macs"] == conv + convt + gemm + matmul
    assert c["gflops"] == pytest.approx(2 * c["macs"] / 1e9)
    assert c["params"] == 8 * 3 * 3 * 3 + 8 * 4 * 2 * 2 + 10 * 4096 + 10 * 5  # the scale is not a parameter
    assert c["uncounted"] == []


def test_plan_rows(tmp_path):
    onnx_path = seg_onnx(tmp_path / "m.onnx")
    rows = plan_rows([str(onnx_path), str(tmp_path / "x.bin"), str(tmp_path / "a" / "m.onnx")],
                     ["cpu", "torch"], imgsz=[32, 64], batches=[1, 2])
    ok = [r for r in rows if r["model"] == str(onnx_path)]
    assert [(r["imgsz"], r["batch"]) for r in ok] == [([32, 32], 1), ([32, 32], 2), ([64, 64], 1), ([64, 64], 2)]
    assert all(r["status"] is None and r["precision"] == "fp32" and r["backend"] == "cpu" for r in ok)
    (bad,) = [r for r in rows if r["name"].endswith("x.bin")]
    assert bad["status"] == "failed" and ".bin" in bad["reason"]
    # two files named m.onnx get names that tell them apart
    names = {r["name"] for r in rows if r["model"].endswith("m.onnx")}
    assert len(names) == 2
    with pytest.raises(FoodcamError):
        plan_rows([])
    with pytest.raises(FoodcamError):
        plan_rows([str(onnx_path)], batches=[0])


def test_open_row_applies_or_refuses_the_shape(tmp_path):
    path = str(seg_onnx(tmp_path / "fixed.onnx", task=KITCHEN.with_input_size(16, 20), dynamic=False))
    base = {"model": path, "format": "onnx", "backend": "cpu", "imgsz": None, "batch": 1}
    row = dict(base)
    with open_row(row, threads=1) as model:
        assert row["imgsz"] == [16, 20]
        frames = bench_frames(model, 1)
        assert frames.shape == (1, 16, 20, 3) and frames.dtype == np.uint8
        assert model.infer(frames)["mask"].shape == (1, 16, 20)
    with pytest.raises(NotApplicable, match="input fixed at 16x20"):
        open_row({**base, "imgsz": [32, 32]}, threads=1)
    with pytest.raises(NotApplicable, match="fixed batch of 1"):
        open_row({**base, "batch": 4}, threads=1)


def _row(name, fmt, precision, backend, sha="s", imgsz=(32, 32)):
    return {"name": name, "format": fmt, "precision": precision, "backend": backend, "imgsz": list(imgsz),
            "batch": 1, "status": "ran", "source_sha256": sha, "task": "kitchen", "latency_ms": {"median": 1.0}}


def test_comparison_pairs_and_per_round_ratios():
    rows = [_row("best.pt", "pytorch", "fp32", "torch"), _row("m.onnx", "onnx", "fp32", "cpu"),
            _row("m.int8.onnx", "onnx", "int8", "cpu"), _row("other.onnx", "onnx", "fp32", "cpu", imgsz=(64, 64)),
            _row("m.onnx", "onnx", "fp32", "cuda")]
    assert sorted(pairs(rows)) == [("vs_fp32", 1, 2), ("vs_torch", 0, 1), ("vs_torch", 0, 2)]
    rounds = {"medians_ms": [[10.0, 20.0, 12.0], [2.0, 5.0, 3.0], [1.0, 2.5, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]],
              "loop_fps": [None, [250.0, 100.0, 150.0], None, None, None]}
    out = {(c["kind"], c["candidate"].split(" ")[0]): c for c in comparisons(rows, rounds)}
    assert out[("vs_torch", "m.onnx")]["per_round"] == [5.0, 4.0, 4.0]
    assert out[("vs_torch", "m.onnx")]["median"] == 4.0
    assert out[("vs_fp32", "m.int8.onnx")]["per_round"] == [2.0, 2.0, 3.0]
    loop = out[("loop_vs_model", "camera")]
    assert loop["per_round"] == pytest.approx([0.5, 0.5, 0.45])
    assert (loop["min"], loop["max"]) == pytest.approx((0.45, 0.5))
    nz = noise(rows, rounds)
    assert nz[0]["median"] == 12.0 and nz[0]["range_pct"] == pytest.approx(100 * 10 / 12)
    assert nz[0]["fresh_vs_rounds_pct"] == pytest.approx(100 * (1 - 12) / 12)


def test_machine_slug_names_hardware_not_hosts():
    cpu = {"cpu": "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", "cores": 6, "gpus": [], "jetson": None}
    assert machine_slug(cpu) == "cpu-intel-core-i7-8700-6c"
    gpu = {**cpu, "gpus": [{"name": "NVIDIA GeForce RTX 3060", "driver": "550.54"}]}
    assert machine_slug(gpu) == "gpu-geforce-rtx-3060"
    assert machine_slug({**gpu, "jetson": "NVIDIA Jetson Orin Nano Developer Kit"}) == "jetson-orin-nano-developer-kit"
    assert slug("AMD EPYC 7763 64-Core Processor") == "amd-epyc-7763-64-core"


def test_peak_graph_is_a_real_matmul():
    import onnxruntime as ort

    from foodcam.benchmarks.peak import achieved, matmul_graph, matmul_peak

    sess = ort.InferenceSession(matmul_graph(8), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal((8, 8), dtype=np.float32) for _ in range(2))
    np.testing.assert_allclose(sess.run(None, {"A": a, "B": b})[0], a @ b, rtol=1e-5, atol=1e-5)
    res = matmul_peak(threads=1, n=64, reps=3, warmup=1)
    assert res["n"] == 64 and res["threads"] == 1 and res["gflops_s"] >= res["median_gflops_s"] > 0
    assert achieved({"gflops": 2.0, "fps": 10.0}) == 20.0
    assert achieved({"gflops": 0, "fps": 10.0}) is None and achieved({"gflops": 1.0}) is None
