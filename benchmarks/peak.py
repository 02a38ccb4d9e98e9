"""The CPU's dense FP32 ceiling: ONNX Runtime multiplying two N x N float32 matrices on the benchmark's threads.

    python -m foodcam.benchmarks.peak job.json result.json      # job: {"threads": 2, "n": 1024, "reps": 15}

A large MatMul is the best case for a CPU (compute bound, blocked for the caches, vectorised), so its GFLOP/s
bounds what any FP32 artifact can reach here: a row's achieved rate (GFLOPs per frame x FPS) against it says
how much faster its backend could possibly get, and whether a wanted speed-up is even within reach.
"""

from __future__ import annotations

import time

import numpy as np

from foodcam.benchmarks.job import job_main


def matmul_graph(n: int) -> bytes:
    """An ONNX model computing C = A @ B for float32 (n, n) inputs, serialised."""
    from onnx import TensorProto, helper

    def vi(name: str):
        return helper.make_tensor_value_info(name, TensorProto.FLOAT, [n, n])

    graph = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["C"])], "matmul_peak",
                              [vi("A"), vi("B")], [vi("C")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def matmul_peak(threads: int, n: int = 1024, reps: int = 15, warmup: int = 3) -> dict:
    """{"gflops_s" (best call), "median_gflops_s", "n", "threads", "reps", "how"}."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = int(threads)
    sess = ort.InferenceSession(matmul_graph(n), so, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    feeds = {k: rng.standard_normal((n, n), dtype=np.float32) for k in ("A", "B")}
    for _ in range(warmup):
        sess.run(None, feeds)
    secs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        sess.run(None, feeds)
        secs.append(time.perf_counter() - t0)
    flop = 2.0 * n**3
    return {"gflops_s": flop / min(secs) / 1e9, "median_gflops_s": flop / float(np.median(secs)) / 1e9,
            "n": n, "threads": int(threads), "reps": reps,
            "how": f"ONNX Runtime {ort.__version__} CPU MatMul {n}x{n} float32, best of {reps} calls"}


def achieved(row: dict) -> float | None:
    """The row's compute rate in GFLOP/s (GFLOPs per frame x frames per second), when both are known."""
    g, fps = row.get("gflops"), row.get("fps")
    return g * fps if g and fps else None


def _job(job: dict) -> dict:
    return matmul_peak(int(job["threads"]), int(job.get("n", 1024)), int(job.get("reps", 15)))


def main(argv: list[str] | None = None) -> int:
    return job_main(argv, "peak", _job)


if __name__ == "__main__":
    raise SystemExit(main())
