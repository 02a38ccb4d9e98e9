"""Every INT8 form on ONNX Runtime CPU: size, speed, accuracy and the gate's verdict, against FP32.

    python -m foodcam.benchmarks.int8_forms --weights runs/x/best.pt --data data/kitchen --out runs/int8_forms
    python -m foodcam.benchmarks.int8_forms --weights runs/x/model.onnx ...   # from an FP32 deployment ONNX

Rows: the FP32 deployment graph; the symmetric S8S8 Q/DQ form made for TensorRT (`--target tensorrt`); every
CPU form of export/int8_cpu.py (U8S8 Q/DQ and QOperator, per-channel / per-tensor, reduce_range, ORT graph
optimisations applied offline) and one Q/DQ form without the offline optimisation, to show what it changes.
All are calibrated on the same frames (DATA/train unless --calib). Timing: one session per file, opened as
`foodcam run` opens models (graph optimisation ALL, --threads intra-op threads), `--iters` single-frame calls
per round, rounds taken in turns across the rows, the median of all calls. Accuracy: `foodcam eval`'s
frame-resolution mIoU on DATA/val; the gate passes a form whose mIoU is at most --max-drop points below FP32.

Writes OUT/int8_forms.json and OUT/int8_forms.md (and the artifacts themselves, for `foodcam bench`).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import plural
from foodcam.runtime.imageio import write_json_atomic, write_text_atomic


def _export(weights: Path, data: Path, out: Path) -> None:
    from foodcam.cli import main

    if main(["export", "--weights", str(weights), "--data", str(data), "--out", str(out)]) != 0:
        raise FoodcamError(f"FP32 export of {weights} to {out} failed")


def make_forms(fp32_path: Path, out: Path, calib: Path, count: int, method: str) -> dict[str, Path]:
    """The TensorRT S8S8 form and every CPU form (and one without offline optimisation), each stamped with the
    FP32 model's description."""
    import onnx

    from foodcam.export.calib import FrameReader, calibration_images
    from foodcam.export.int8 import QUANTIZATION, quantize_int8
    from foodcam.export.int8_cpu import CPU_FORMS, CpuForm, quantize_cpu_forms
    from foodcam.export.onnx_export import get_metadata, save_onnx, set_metadata
    from foodcam.export.parity import GraphModel
    from foodcam.runtime.backends.onnx_meta import task_from_metadata

    fp32 = onnx.load(str(fp32_path))
    meta = get_metadata(fp32)
    task = task_from_metadata(meta, fp32_path)
    forms = CPU_FORMS + (CpuForm("qdq-u8s8-pc-noopt", "qdq", True, False, optimize=False),)
    paths = {}
    images = calibration_images(calib, count)

    def reader():
        return FrameReader(images, GraphModel(fp32, task).preprocess, fp32.graph.input[0].name)

    trt = quantize_int8(fp32, reader(), method)
    set_metadata(trt, {**meta, "precision": "int8", "export": {**meta.get("export", {}), "quantization": QUANTIZATION}})
    paths["qdq-s8s8-pc (tensorrt)"] = save_onnx(trt, out / "model.int8.trt.onnx")
    for name, graph in quantize_cpu_forms(fp32, reader(), method, forms).items():
        form = next(f for f in forms if f.name == name)
        set_metadata(graph, {**meta, "precision": "int8", "export": {**meta.get("export", {}),
                                                                     "quantization": form.describe()}})
        paths[name] = save_onnx(graph, out / f"model.int8.{name}.onnx")
    return paths


def time_rows(paths: dict[str, Path], threads: int, iters: int, rounds: int, warmup: int = 5) -> dict[str, dict]:
    """ms per frame of each file: `rounds` rounds of `iters` calls, rows in turns; median and per-round medians."""
    from foodcam.export.int8_select import cpu_session

    sessions = {name: cpu_session(path, threads, warmup) for name, path in paths.items()}
    samples: dict[str, list[float]] = {n: [] for n in paths}
    cpu: dict[str, list[float]] = {n: [] for n in paths}
    per_round: dict[str, list[float]] = {n: [] for n in paths}
    for _ in range(rounds):
        for name, (sess, x) in sessions.items():
            got = []
            for _ in range(iters):
                c0, t0 = time.process_time(), time.perf_counter()
                sess.run(None, x)
                got.append((time.perf_counter() - t0) * 1e3)
                cpu[name].append((time.process_time() - c0) * 1e3)
            samples[name] += got
            per_round[name].append(statistics.median(got))
    return {n: {"ms_p50": statistics.median(s), "ms_p90": float(np.percentile(s, 90)),
                "ms_best_round": min(per_round[n]),  # the least disturbed round: robust on a shared CPU
                # CPU time of this process per call: the work done, nearly blind to other processes (with one
                # thread it is the uncontended latency; with more it adds up every thread, spin-waits included)
                "cpu_ms_p50": statistics.median(cpu[n]),
                "round_medians": [round(v, 3) for v in per_round[n]]} for n, s in samples.items()}


def retime(out: Path, threads: int, iters: int, rounds: int) -> dict:
    """--timing-only: time the files of an earlier run again (e.g. on a quiet machine); accuracy is kept."""
    import json

    try:
        report = json.loads((out / "int8_forms.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise FoodcamError(f"--timing-only: {out / 'int8_forms.json'} is not readable ({e}); run without it first") from None
    paths = {r["form"]: Path(r.get("path") or out / r["file"]) for r in report["rows"]}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise FoodcamError(f"--timing-only: {', '.join(missing)} not found")
    timing = time_rows(paths, threads, iters, rounds)
    for r in report["rows"]:
        r.update(timing[r["form"]])
        r["speedup_vs_fp32"] = timing["fp32"]["ms_p50"] / timing[r["form"]]["ms_p50"]
    report.update(threads=threads, iters=iters, rounds=rounds)
    return report


def run(weights: Path, data: Path, out: Path, calib: Path | None, count: int, method: str, threads: int,
        iters: int, rounds: int, max_drop: float) -> dict:
    from foodcam.export.gate import evaluate_onnx, mask_agreement, open_split, verdict
    from foodcam.runtime.backends.onnx_meta import read_metadata, task_from_metadata

    out.mkdir(parents=True, exist_ok=True)
    calib = calib or data / "train"
    if weights.suffix.lower() == ".onnx":
        fp32 = weights
    else:
        fp32 = out / "model.onnx"
        _export(weights, data, fp32)
    paths = {"fp32": fp32}
    paths.update(make_forms(fp32, out, calib, count, method))
    print(f"timing {len(paths)} models: {rounds} rounds x {iters} calls, {plural(threads, 'thread')}", flush=True)
    timing = time_rows(paths, threads, iters, rounds)
    task = task_from_metadata(read_metadata(fp32), fp32)
    dataset = open_split(task, data, "val")
    ref = evaluate_onnx(fp32, dataset, "eval fp32")
    rows = []
    for name, path in paths.items():
        m = ref if name == "fp32" else evaluate_onnx(path, dataset, f"eval {name}")
        drop = 100.0 * (ref["miou"] - m["miou"])
        status, reason = ("reference", None) if name == "fp32" else verdict(drop, max_drop, "mIoU", "no labelled pixels")
        rows.append({"form": name, "file": path.name, "path": str(path), "size_bytes": path.stat().st_size,
                     **timing[name],
                     "speedup_vs_fp32": timing["fp32"]["ms_p50"] / timing[name]["ms_p50"],
                     "miou": m["miou"], "drop_points": drop,
                     "agreement": 1.0 if name == "fp32" else mask_agreement(ref["masks"], m["masks"]),
                     "status": status, "reason": reason})
    return {"weights": str(weights), "data": str(data), "val_images": ref["images"], "threads": threads,
            "iters": iters, "rounds": rounds, "calibration": {"folder": str(calib), "frames": count, "method": method},
            "max_drop_points": max_drop, "cpu": platform.processor() or platform.machine(), "rows": rows}


def format_markdown(report: dict) -> str:
    head = ["form", "size", "ms p50", "ms p90", "ms best round", "CPU ms p50", "vs FP32 (p50)", "vs FP32 (CPU ms)",
            "val mIoU", "mIoU drop (pts)", "mask agreement", "gate"]
    fp32 = next(r for r in report["rows"] if r["form"] == "fp32")
    lines = [f"INT8 forms on ONNX Runtime CPU, {plural(report['threads'], 'thread')}, {report['rounds']} rounds x "
             f"{report['iters']} calls in turns; mIoU on {report['val_images']} val frames of `{report['data']}`; "
             f"gate: drop ≤ {report['max_drop_points']:.2f} points", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in report["rows"]:
        gate = r["status"] + (f" ({r['reason']})" if r.get("reason") else "")
        lines.append(f"| {r['form']} | {r['size_bytes'] / 1e6:.2f} MB | {r['ms_p50']:.2f} | {r['ms_p90']:.2f} | "
                     f"{r['ms_best_round']:.2f} | {r['cpu_ms_p50']:.2f} | {r['speedup_vs_fp32']:.2f}x | "
                     f"{fp32['cpu_ms_p50'] / r['cpu_ms_p50']:.2f}x | {100 * r['miou']:.2f} | {r['drop_points']:+.2f} | "
                     f"{100 * r['agreement']:.2f}% | {gate} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.int8_forms", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True, help="a kitchen .pt checkpoint, or its FP32 deployment .onnx")
    p.add_argument("--data", required=True, help="labelled dataset (val scores, train calibrates)")
    p.add_argument("--calib", default=None, help="calibration frames (default DATA/train)")
    p.add_argument("--calib-count", type=int, default=64)
    p.add_argument("--calib-method", default="percentile", choices=["percentile", "entropy", "minmax"])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--max-drop", type=float, default=1.0, help="gate: allowed mIoU drop vs FP32, points")
    p.add_argument("--timing-only", action="store_true",
                   help="re-time the files of an earlier run in OUT (accuracy kept), e.g. on a quieter machine")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    try:
        if args.iters < 1 or args.rounds < 1 or args.threads < 1:
            raise FoodcamError("--iters, --rounds and --threads must be positive")
        if args.timing_only:
            report = retime(Path(args.out), args.threads, args.iters, args.rounds)
        else:
            report = run(Path(args.weights), Path(args.data), Path(args.out), Path(args.calib) if args.calib else None,
                         args.calib_count, args.calib_method, args.threads, args.iters, args.rounds, args.max_drop)
    except FoodcamError as e:
        print(f"int8_forms: error: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    write_json_atomic(out / "int8_forms.json", report)
    md = format_markdown(report)
    write_text_atomic(out / "int8_forms.md", md)
    print(md)
    print(f"wrote {out / 'int8_forms.json'} and {out / 'int8_forms.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
