"""`foodcam export --precision int8 --target cpu`: make every CPU INT8 form, gate each, ship the fastest that passes.

Each form (export/int8_cpu.py) is checked for structure, run on ONNX Runtime CPU, compared with the FP32 graph
on the check frames, scored on the labelled split against the FP32 reference (the accuracy gate's rule: mIoU
drop <= max_drop points) and timed twice, FP32 the same way: the median wall time of `iters` single-frame calls
on `threads` threads (what a quiet machine's user sees), and the median CPU time per call on one thread (the work
per frame: nearly blind to other processes, so the choice holds on a shared machine). The validated form with
the least CPU time is returned with the whole table. Without labelled data nothing can be gated: the cheapest
form that runs is returned, marked ungated.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx

from foodcam.runtime.errors import FoodcamError

TIMING_THREADS = 2
TIMING_ITERS = 30
TIMING_WARMUP = 5


def cpu_session(path: str | Path, threads: int, warmup: int = TIMING_WARMUP):
    """(ONNX Runtime CPU session opened as `foodcam run` opens models, a fixed uint8 batch-1 feed), warmed up."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = int(threads)
    so.log_severity_level = 3
    sess = ort.InferenceSession(str(path), sess_options=so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    shape = [1 if not isinstance(d, int) or d < 1 else d for d in inp.shape]
    x = {inp.name: np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)}
    for _ in range(warmup):
        sess.run(None, x)
    return sess, x


def time_onnx(path: str | Path, threads: int = TIMING_THREADS, iters: int = TIMING_ITERS,
              warmup: int = TIMING_WARMUP, cpu: bool = False) -> float:
    """Median ms of one frame (batch 1) on ORT CPU with graph optimisation ALL, as `foodcam run` opens models:
    wall time, or with `cpu` this process's CPU time per call."""
    sess, x = cpu_session(path, threads, warmup)
    clock = time.process_time if cpu else time.perf_counter
    samples = []
    for _ in range(max(1, iters)):
        t0 = clock()
        sess.run(None, x)
        samples.append((clock() - t0) * 1e3)
    return float(statistics.median(samples))


def masks_vs_fp32(task, fp32: onnx.ModelProto, graph: onnx.ModelProto, frames: list) -> dict:
    """Mask agreement of a CPU form with FP32 on the check frames. Masks only: ORT's INT8 graphs may take the
    ArgMax straight from uint8 scores, so there are no float logits to compare."""
    from foodcam.export.parity import GraphModel, compare

    ref, cand = GraphModel(fp32, task), GraphModel(graph, task, "int8")
    return compare(task, frames, ref.preprocess, ref.infer, cand.infer, None, None)


def measure(path: Path, dataset, reference: dict | None, limit: float, threads: int, iters: int) -> dict:
    """One row: size, ms, and (with labelled data) mIoU, drop vs the reference and the gate's verdict."""
    from foodcam.export.gate import evaluate_onnx, mask_agreement, verdict

    row: dict = {"size_bytes": path.stat().st_size, "ms_p50": time_onnx(path, threads, iters),
                 "cpu_ms_1thread": time_onnx(path, 1, iters, cpu=True)}
    if dataset is None or reference is None:
        return {**row, "status": "exported", "reason": "no labelled data: not gated"}
    m = evaluate_onnx(path, dataset, f"eval {path.name}")
    drop = 100.0 * (reference["miou"] - m["miou"])
    status, reason = verdict(drop, limit, "mIoU", "no labelled pixels")
    return {**row, "miou": m["miou"], "drop_points": drop, "agreement": mask_agreement(reference["masks"], m["masks"]),
            "status": status, "reason": reason}


def choose_cpu_form(fp32: onnx.ModelProto, task, reader, method: str, frames: list, frames_from: str,
                    dataset=None, max_drop: float | None = None, threads: int = TIMING_THREADS,
                    iters: int = TIMING_ITERS) -> tuple[onnx.ModelProto, dict]:
    """(graph of the chosen form, record: chosen form, FP32 timing, every form's row)."""
    from foodcam.export.gate import DEFAULT_MAX_DROP, evaluate_onnx
    from foodcam.export.int8_cpu import FORMS_BY_NAME, check_cpu_form, quantize_cpu_forms
    from foodcam.export.onnx_export import save_onnx, smoke_run

    limit = DEFAULT_MAX_DROP["int8"] if max_drop is None else float(max_drop)
    graphs = quantize_cpu_forms(fp32, reader, method)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="foodcam-int8sel-") as tmp:
        ref_path = save_onnx(fp32, Path(tmp, "fp32.onnx"))
        reference = evaluate_onnx(ref_path, dataset, "eval fp32") if dataset is not None else None
        fp32_ms, fp32_cpu = time_onnx(ref_path, threads, iters), time_onnx(ref_path, 1, iters, cpu=True)
        for name, graph in graphs.items():
            form = FORMS_BY_NAME[name]
            smoke_run(graph, f"INT8 {name} graph")
            structure = check_cpu_form(graph, form)
            vs = masks_vs_fp32(task, fp32, graph, frames)
            path = save_onnx(graph, Path(tmp, f"{name}.onnx"))
            row = {"form": name, **form.describe(), "structure": structure, "vs_fp32": {**vs, "source": frames_from},
                   **measure(path, dataset, reference, limit, threads, iters)}
            row["speedup_vs_fp32"] = fp32_cpu / row["cpu_ms_1thread"] if row["cpu_ms_1thread"] > 0 else None
            rows.append(row)
            print(f"  {name:<16} {row['ms_p50']:7.2f} ms, CPU {row['cpu_ms_1thread']:6.2f} ms/frame "
                  f"(FP32 {fp32_ms:.2f} / {fp32_cpu:.2f})  "
                  + (f"mIoU drop {row['drop_points']:+.2f}  " if "drop_points" in row else "") + row["status"])
    if not rows:
        raise FoodcamError("INT8 (cpu): no form was made")
    ok = [r for r in rows if r["status"] in ("validated", "exported")]
    if not ok:
        best = min(rows, key=lambda r: r.get("drop_points", 0.0))
        print(f"INT8 (cpu): no form passed the gate; keeping the most accurate ({best['form']}), marked failed")
    else:
        best = min(ok, key=lambda r: r["cpu_ms_1thread"])
    faster = best["cpu_ms_1thread"] < fp32_cpu
    print(f"INT8 (cpu): chose {best['form']} ({best['cpu_ms_1thread']:.2f} CPU ms per frame vs FP32 {fp32_cpu:.2f}: "
          + (f"{fp32_cpu / best['cpu_ms_1thread']:.2f}x less work)" if faster
             else "more work than FP32 on this CPU: deploy the FP32 model here)"))
    record = {"target": "cpu", "form": best["form"], "quantization": FORMS_BY_NAME[best["form"]].describe(),
              "fp32_ms_p50": fp32_ms, "fp32_cpu_ms_1thread": fp32_cpu, "faster_than_fp32": faster,
              "timing": {"threads": threads, "iters": iters},
              "forms": rows, "calibration_method": method}
    return graphs[best["form"]], record

