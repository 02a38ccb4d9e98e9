"""Measure one row in a fresh process, so its peak memory is its own:

    python -m foodcam.benchmarks.worker job.json result.json

job.json: {"row": <a row from plan_rows>, "settings": {threads, warmup, iters, seconds, data, split,
loop_frames, loop_source}}. result.json: the row with its measurements, status and reason. The order is
open -> warm-up -> timed calls -> peak memory -> complexity -> camera loop -> accuracy, so neither the
dataset nor the loop counts in the memory peak.
"""

from __future__ import annotations

import logging
import resource
import sys
import time
from pathlib import Path

from foodcam.benchmarks.job import job_main
from foodcam.benchmarks.load import NotApplicable, bench_frames, open_row
from foodcam.benchmarks.timing import latency_stats, throughput_fps, time_calls
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.bench")
STAGE_KEYS = ("h2d_ms", "compute_ms", "d2h_ms")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far.

    Linux: VmHWM of /proc/self/status, the high-water mark of this process's own memory (ru_maxrss would
    also carry the parent's peak across fork + exec). Elsewhere ru_maxrss (KiB; bytes on macOS)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 2**20 if sys.platform == "darwin" else r / 1024.0


def _reason(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return text if isinstance(e, (FoodcamError, NotApplicable)) else f"{type(e).__name__}: {text}".rstrip(": ")


def complexity(model, row: dict) -> dict:
    from foodcam.benchmarks.complexity import artifact_bytes, onnx_complexity, torch_complexity

    if row["format"] == "triton":  # the file lies in the server's repository, not here
        return {"complexity_note": "served model: size and FLOPs are counted on the repository's file, not here"}
    out = {"size_bytes": artifact_bytes(row["model"])}
    if row["format"] == "pytorch":
        out.update(torch_complexity(model))
    elif row["format"] == "onnx":
        out.update(onnx_complexity(row["model"]))
    else:  # an engine: count its source ONNX when it lies beside it
        source = Path(row["model"]).parent / str(model.meta.get("onnx", ""))
        if model.meta.get("onnx") and source.is_file():
            out.update(onnx_complexity(source), complexity_from=source.name)
    return out


def accuracy(model, data: str, split: str) -> dict:
    """mIoU by THE evaluation (train.evaluate.evaluate_segmentation) on the split the export gate reads."""
    from foodcam.export.gate import open_split
    from foodcam.train.evaluate import evaluate_segmentation

    dataset = open_split(model.task, data, split)
    if dataset is None:
        return {"metric": None, "metric_note": f"no labelled-data evaluation for task {model.task.name!r}"}
    if model.task.name == "foodseg":  # masks and/or the ingredient list: foodseg's own evaluation
        from foodcam.train.foodseg_eval import evaluate_food

        m = evaluate_food(model, dataset, progress=False)
        labels = {f"{h}_{k}": v[k] for h, v in m["labels"].items() for k in ("micro_f1", "map")}
        if "miou" not in m:
            first = next(iter(m["labels"]))
            return {"metric": f"{first} micro-F1", **labels, "eval_images": m["images"]}
        return {"metric": "mIoU", "miou": m["miou"], "pixel_accuracy": m["pixel_accuracy"], **labels,
                "eval_images": m["images"], "per_class_iou": {k: v["iou"] for k, v in m["per_class"].items()}}
    m = evaluate_segmentation(model, dataset, progress=False)
    return {"metric": "mIoU", "miou": m["miou"], "pixel_accuracy": m["pixel_accuracy"], "eval_images": m["images"],
            "per_class_iou": {k: v["iou"] for k, v in m["per_class"].items()}}


def measure(row: dict, settings: dict) -> tuple[dict, list[float]]:
    """The measured row and its raw latency samples (ms)."""
    out = dict(row)
    base_peak = peak_rss_mb()
    t0 = time.perf_counter()
    try:
        model = open_row(out, settings.get("threads"))
    except NotApplicable as e:
        return {**out, "status": "skipped", "reason": _reason(e)}, []
    except Exception as e:  # noqa: BLE001 - any failure to open is this row's result
        return {**out, "status": "failed", "reason": _reason(e)}, []
    samples: list[float] = []
    with model:
        out.update(load_s=time.perf_counter() - t0, runtime=model.backend, precision=model.precision,
                   task=model.task.name)
        try:
            batch = int(out["batch"])
            frames = bench_frames(model, batch)
            stages: list[dict] = []
            after = (lambda: stages.append(dict(model.last_timings))) if hasattr(model, "last_timings") else None
            samples = time_calls(lambda: model.infer(frames), settings.get("warmup", 10), settings.get("iters"),
                                 settings.get("seconds"), after=after)
        except Exception as e:  # noqa: BLE001
            return {**out, "status": "failed", "reason": _reason(e)}, samples
        peak = peak_rss_mb()
        out.update(latency_ms=latency_stats(samples), iters=len(samples), fps=throughput_fps(samples, batch),
                   peak_rss_mb=peak, peak_rss_delta_mb=peak - base_peak, status="ran", reason=None)
        if stages:
            import numpy as np

            out["stages_ms"] = {k: float(np.median([s[k] for s in stages if k in s])) for k in STAGE_KEYS}
        try:
            out.update(complexity(model, out))
        except Exception as e:  # noqa: BLE001 - the timings stand without it
            out["complexity_error"] = _reason(e)
        if settings.get("loop_frames") and batch == 1 and out["format"] != "pytorch":
            try:
                with open_row(out, settings.get("threads"), spin=False) as loop_model:  # as `foodcam run` opens it
                    loop = run_loop_row(loop_model, settings)
                out["loop"] = {**loop, "ratio": loop["fps"] / out["fps"] if out["fps"] else None}
            except Exception as e:  # noqa: BLE001
                out["loop"] = {"error": _reason(e)}
        if settings.get("data"):
            try:
                out.update(accuracy(model, settings["data"], settings.get("split", "val")))
                if out.get("metric"):
                    out["status"] = "validated"
            except Exception as e:  # noqa: BLE001
                out.update(status="failed", reason=f"accuracy: {_reason(e)}")
    return out, samples


def run_loop_row(model, settings: dict) -> dict:
    from foodcam.benchmarks.loop import run_loop

    return run_loop(model, int(settings["loop_frames"]), settings.get("loop_source"))


def _job(job: dict) -> dict:
    result, samples = measure(job["row"], job["settings"])
    return {"row": result, "samples_ms": samples}


def main(argv: list[str] | None = None) -> int:
    return job_main(argv, "worker", _job)


if __name__ == "__main__":
    raise SystemExit(main())
