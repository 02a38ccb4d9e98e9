"""`foodcam bench`: plan the rows, measure each in a fresh worker process, run the interleaved rounds,
write the reports. This process imports no model library; the workers do."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from foodcam.benchmarks.comparisons import RAN, comparisons, noise
from foodcam.benchmarks.config import BenchConfig
from foodcam.benchmarks.plan import plan_rows, row_key
from foodcam.benchmarks.report import SCHEMA, console_summary, write_reports
from foodcam.benchmarks.sysinfo import machine_slug, system_info, usable_cores
from foodcam.benchmarks.timing import latency_stats, throughput_fps, timer_overhead
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic
from foodcam.runtime.outdir import output_dir

DEFAULT_ITERS = 100
REPO_ROOT = Path(__file__).resolve().parent.parent


def settings_from(args: BenchConfig) -> dict:
    threads = args.threads if args.threads else usable_cores()
    iters = args.iters or (None if args.seconds else DEFAULT_ITERS)
    s: dict[str, Any] = {
        "threads": int(threads), "warmup": int(args.warmup), "iters": iters if iters is None else int(iters),
        "seconds": args.seconds, "data": str(args.data) if args.data else None, "split": args.split,
        "loop_frames": int(args.loop_frames or 0), "loop_source": args.loop_source,
        "rounds": int(args.rounds), "round_iters": int(args.round_iters), "timeout_s": float(args.timeout),
        "processes": int(args.processes)}
    for key in ("warmup", "loop_frames", "rounds"):
        if s[key] < 0:
            raise FoodcamError(f"--{key.replace('_', '-')} {s[key]}: expected 0 or more")
    if s["round_iters"] < 1 or s["threads"] < 1 or s["processes"] < 1:
        raise FoodcamError("--round-iters, --threads and --processes: expected at least 1")
    if s["data"]:
        root = Path(s["data"])
        if not root.is_dir():
            raise FoodcamError(f"--data {root}: no such dataset folder")
        if not (root / s["split"]).is_dir():
            have = sorted(p.name for p in root.iterdir() if p.is_dir())
            raise FoodcamError(f"--data {root}: no split {s['split']!r} (found: {', '.join(have) or 'no folders'})")
    return s


def command_line(args: BenchConfig) -> str:
    """The command that reproduces this run (output folder left out)."""
    parts = ["foodcam bench --models", *map(str, args.models or [])]
    lists: tuple[tuple[str, list | None], ...] = (("--backends", args.backends), ("--imgsz", args.imgsz),
                                                  ("--batch", args.batch))
    for flag, value in lists:
        if value:
            parts += [flag, *map(str, value)]
    if args.data:
        parts += ["--data", str(args.data), "--split", args.split]
    single: tuple[tuple[str, object], ...] = (
        ("--threads", args.threads), ("--processes", args.processes), ("--warmup", args.warmup),
        ("--iters", args.iters), ("--seconds", args.seconds), ("--loop-frames", args.loop_frames),
        ("--loop-source", args.loop_source), ("--rounds", args.rounds), ("--round-iters", args.round_iters))
    for flag, one in single:
        if one is not None:
            parts += [flag, str(one)]
    return " ".join(parts)


def _env(threads: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env["OMP_NUM_THREADS"] = str(threads)
    return env


def run_python_module(module: str, job: dict, tmp: Path, name: str, timeout: float, threads: int) -> dict:
    """Run `python -m module job.json result.json` in a fresh process; the result, or FoodcamError with the
    worker's last words when it crashed or timed out."""
    job_path, out_path, err_path = tmp / f"{name}.job.json", tmp / f"{name}.out.json", tmp / f"{name}.err"
    job_path.write_text(json.dumps(job))
    with open(err_path, "w") as err:
        try:
            proc = subprocess.run([sys.executable, "-m", module, str(job_path), str(out_path)], stdout=err,
                                  stderr=subprocess.STDOUT, env=_env(threads), timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise FoodcamError(f"timed out after {timeout:.0f} s (--timeout)") from None
    if proc.returncode != 0 or not out_path.is_file():
        tail = [ln for ln in err_path.read_text(errors="replace").splitlines() if ln.strip()]
        raise FoodcamError(f"worker exited with code {proc.returncode}" + (f": {tail[-1].strip()}" if tail else ""))
    return json.loads(out_path.read_text())


def measure_rows(rows: list[dict], settings: dict, tmp: Path) -> tuple[list[dict], dict]:
    """Each row to run, in `processes` fresh workers taken in turns across the rows (so a slow spell of the
    machine falls on every row, not all on one); (rows with results, raw samples per row key).

    The first worker of a row measures everything (latency, memory, complexity, camera loop, accuracy); the
    others time it again. Latency statistics pool every worker's calls; `processes` keeps each one's median."""
    out = list(rows)
    pooled: dict[int, list[float]] = {}
    todo = [i for i, r in enumerate(rows) if r.get("status") is None]
    timing_only = {**settings, "loop_frames": 0, "data": None}
    with tqdm(total=len(todo) * settings["processes"], desc="bench", unit="run", leave=False) as bar:
        for turn in range(settings["processes"]):
            for i in todo:
                bar.update(1)
                if turn and out[i].get("status") not in RAN:
                    continue  # skipped or failed on its first run: nothing to repeat
                bar.set_postfix_str(f"{rows[i]['name']} {rows[i]['backend']} #{turn + 1}")
                job = {"row": rows[i], "settings": settings if turn == 0 else timing_only}
                try:
                    res = run_python_module("foodcam.benchmarks.worker", job, tmp, f"row{i}", settings["timeout_s"],
                                            settings["threads"])
                except FoodcamError as e:
                    res = {"row": {**rows[i], "status": "failed", "reason": str(e)}, "samples_ms": []}
                if turn == 0:
                    out[i] = res["row"]
                elif res["row"].get("status") != "ran":
                    out[i].setdefault("process_errors", []).append(res["row"].get("reason"))
                    continue
                if res["samples_ms"]:
                    pooled.setdefault(i, []).extend(res["samples_ms"])
                    out[i].setdefault("processes", []).append(
                        {k: res["row"]["latency_ms"][k] for k in ("median", "p99")} | {"fps": res["row"]["fps"]})
    samples = {}
    for i, calls in pooled.items():
        pool(out[i], calls)
        samples[row_key(out[i])] = calls
    for r in out:
        tqdm.write(_row_line(r))
    return out, samples


def pool(row: dict, calls: list[float]) -> None:
    """Latency and FPS of a row over the calls of all its workers, and their medians' spread."""
    meds = [p["median"] for p in row.get("processes", [])]
    row.update(latency_ms=latency_stats(calls), iters=len(calls), fps=throughput_fps(calls, int(row["batch"])))
    if len(meds) > 1:
        row["process_spread_pct"] = 100.0 * (max(meds) - min(meds)) / float(np.median(meds))
    loop = row.get("loop") or {}
    if loop.get("fps") and row["fps"]:
        loop["ratio"] = loop["fps"] / row["fps"]


def _row_line(r: dict) -> str:
    head = f"{r.get('status'):<9} {row_key(r)}"
    if r.get("latency_ms"):
        head += f": p50 {r['latency_ms']['median']:.3f} ms, {r['fps']:.1f} FPS"
        if r.get("miou") is not None:
            head += f", mIoU {100 * r['miou']:.2f}"
    return head + (f" ({r['reason']})" if r.get("reason") else "")


def interleaved(rows: list[dict], settings: dict, tmp: Path) -> tuple[dict, list, list]:
    """The rounds over every row that ran: (rounds record, comparisons, noise)."""
    ran = [r for r in rows if r.get("status") in RAN]
    if not settings["rounds"] or not ran:
        return {}, [], []
    timeout = settings["timeout_s"] * max(1, len(ran))
    try:
        res = run_python_module("foodcam.benchmarks.rounds", {"rows": ran, "settings": settings}, tmp, "rounds", timeout,
                                settings["threads"])
    except FoodcamError as e:
        return {"error": str(e)}, [], []
    keys = [row_key(r) for r in ran]

    def key_of(k: str) -> str:
        return f"camera loop of {keys[int(k.split()[1])]}" if k.startswith("loop ") else keys[int(k)]

    record = {"rounds": res["rounds"], "round_iters": res["round_iters"], "rows": keys,
              "order": [[keys[i] for i in o] for o in res["order"]],
              "medians_ms": {k: m for k, m in zip(keys, res["medians_ms"]) if m},
              "loop_fps": {k: f for k, f in zip(keys, res["loop_fps"]) if f},
              "errors": {key_of(k): v for k, v in res["errors"].items()}}
    return record, comparisons(ran, res), noise(ran, res)


def cpu_peak(rows: list[dict], settings: dict, tmp: Path, before: dict | None = None) -> dict | None:
    """The FP32 MatMul ceiling on the benchmark's threads (benchmarks/peak.py), when a row runs on the CPU.

    Measured before the rows and again after them (`before`: the first result); the ceiling is the faster
    of the two, since a shared machine can be slower for a while, and both rates are kept (`runs_gflops_s`)."""
    if not any(r.get("backend") in ("cpu", "torch") and r.get("status") in (None, *RAN) for r in rows):
        return None
    try:
        res = run_python_module("foodcam.benchmarks.peak", {"threads": settings["threads"]}, tmp, "peak",
                                settings["timeout_s"], settings["threads"])
    except FoodcamError as e:
        res = {"error": str(e)}
    if before is None:
        return res
    runs = [r for r in (before, res) if r.get("gflops_s")]
    if not runs:
        return res
    return {**max(runs, key=lambda r: r["gflops_s"]), "runs_gflops_s": [r["gflops_s"] for r in runs]}


def load_average() -> list[float] | None:
    """The 1/5/15-minute load averages: above the core count, other work competed with the benchmark."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def bench(cfg: BenchConfig) -> tuple[int, dict | None]:
    """`foodcam bench` and `model.bench(...)`: (exit code, {"report", "paths", "out"} of a measuring run; None
    for --compare and --streams). Without --out, a new runs/bench/benchN is claimed before any work."""
    from foodcam.runtime.outdir import print_wrote

    measures = bool(cfg.models) and not cfg.compare  # --compare reads two reports and writes nothing
    if measures:
        cfg = cfg.model_copy(update={"out": str(output_dir(cfg.out, "bench"))})
    rc, result = _measure(cfg)
    if measures:
        print_wrote("bench", cfg.out)
    return rc, result


def _measure(args: BenchConfig) -> tuple[int, dict | None]:
    if args.compare:
        from foodcam.benchmarks.compare import main as compare_main

        return compare_main(args.compare[0], args.compare[1], args.threshold), None
    if args.streams:
        from foodcam.benchmarks.streams import main as streams_main

        return streams_main(args), None
    if not args.models:
        raise FoodcamError("give --models A B ... to measure, or --compare OLD.json NEW.json")
    settings = settings_from(args)
    rows = plan_rows(args.models, args.backends, args.imgsz, args.batch, verify=args.verify)
    info = system_info()
    machine = machine_slug(info)
    out_dir = output_dir(args.out, "bench")  # bench() resolved --out (default runs/bench/benchN) before any work
    timer = timer_overhead()
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="foodcam-bench-") as t:
        tmp = Path(t)
        peak = cpu_peak(rows, settings, tmp)
        rows, samples = measure_rows(rows, settings, tmp)
        rounds, comps, noise_rows = interleaved(rows, settings, tmp)
        peak = cpu_peak(rows, settings, tmp, before=peak) if peak is not None else None
    report = {
        "schema": SCHEMA, "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command_line(args), "machine": machine, "system": info, "settings": settings, "timer": timer,
        "rows": rows, "comparisons": comps, "noise": noise_rows, "rounds": rounds, "cpu_peak": peak,
        "load_average": {"start": load_start, "end": load_average()},
    }
    paths = write_reports(report, out_dir)
    write_text_atomic(out_dir / "raw" / "samples.json", json.dumps(samples) + "\n")
    print(console_summary(report))
    print("wrote " + ", ".join(str(p) for p in paths.values()))
    return 0, {"report": report, "paths": paths, "out": out_dir}
