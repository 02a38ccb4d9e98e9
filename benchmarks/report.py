"""The benchmark's outputs: one JSON (everything), a CSV (one line per row, every column), a Markdown
report (tables a person reads) and the console table. All writes are atomic."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

from foodcam.benchmarks.peak import achieved
from foodcam.benchmarks.plan import row_key
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.fmt import ms, num, pct, plural
from foodcam.runtime.imageio import write_json_atomic, write_text_atomic

SCHEMA = "foodcam-bench/1"
JSON_KEYS = ("schema", "created", "command", "machine", "system", "settings", "timer", "rows", "comparisons",
             "noise", "rounds", "load_average", "cpu_peak")
LAT = ("min", "mean", "median", "p90", "p95", "p99", "max", "std")
STAGES = ("h2d_ms", "compute_ms", "d2h_ms")
LOOP_STAGES = ("capture", "preprocess", "inference", "postprocess", "render")
COLUMNS = tuple(
    ["name", "model", "task", "format", "precision", "backend", "runtime", "imgsz", "batch", "status", "reason",
     "size_mb", "params", "gflops", "metric", "miou"]
    + [f"lat_{k}_ms" for k in LAT]
    + ["iters", "processes", "process_spread_pct", "fps", "gflop_s", *STAGES, "peak_rss_mb", "peak_rss_delta_mb", "load_s",
       "loop_fps", "loop_ratio", "loop_latency_ms", "loop_miou", *[f"loop_{s}_ms" for s in LOOP_STAGES]]
)
TABLE = ("model", "format", "precision", "backend", "input", "batch", "size MB", "params", "GFLOPs", "mIoU",
         "p50 ms", "p99 ms", "FPS", "peak RSS MB", "status")




def _params(n) -> str:
    if n is None:
        return "-"
    return f"{n / 1e6:.2f}M" if n >= 1e5 else f"{n / 1e3:.1f}k" if n >= 1000 else str(n)


def flat_row(row: dict) -> dict:
    """One row as the CSV's columns (every column present; absent values empty)."""
    lat = row.get("latency_ms") or {}
    stages = row.get("stages_ms") or {}
    loop = row.get("loop") or {}
    lstages = loop.get("stages_ms") or {}
    out = {
        "name": row.get("name"), "model": row.get("model"), "task": row.get("task"), "format": row.get("format"),
        "precision": row.get("precision"), "backend": row.get("backend"), "runtime": row.get("runtime"),
        "imgsz": "x".join(map(str, row["imgsz"])) if row.get("imgsz") else None, "batch": row.get("batch"),
        "status": row.get("status"), "reason": row.get("reason"),
        "size_mb": row["size_bytes"] / 1e6 if row.get("size_bytes") is not None else None,
        "params": row.get("params"), "gflops": row.get("gflops"), "metric": row.get("metric"), "miou": row.get("miou"),
        **{f"lat_{k}_ms": lat.get(k) for k in LAT},
        "iters": row.get("iters"), "processes": len(row.get("processes") or []) or None,
        "process_spread_pct": row.get("process_spread_pct"), "fps": row.get("fps"), "gflop_s": achieved(row),
        **{k: stages.get(k) for k in STAGES},
        "peak_rss_mb": row.get("peak_rss_mb"), "peak_rss_delta_mb": row.get("peak_rss_delta_mb"),
        "load_s": row.get("load_s"), "loop_fps": loop.get("fps"), "loop_ratio": loop.get("ratio"),
        "loop_latency_ms": loop.get("latency_ms"), "loop_miou": (loop.get("accuracy") or {}).get("miou"),
        **{f"loop_{s}_ms": lstages.get(s) for s in LOOP_STAGES},
    }
    return {k: out.get(k) for k in COLUMNS}


def status_text(row: dict) -> str:
    s = row.get("status") or "-"
    return f"{s}: {row['reason']}" if row.get("reason") else s


def table_cells(row: dict) -> list[str]:
    f = flat_row(row)
    return [
        row.get("name") or "-", f["format"] or "-", f["precision"] or "-", f["backend"] or "-", f["imgsz"] or "-",
        num(f["batch"]), num(f["size_mb"], 3), _params(f["params"]), num(f["gflops"], 3),
        pct(f["miou"]), ms(f["lat_median_ms"]), ms(f["lat_p99_ms"]),
        num(f["fps"], 1), num(f["peak_rss_mb"], 0), status_text(row),
    ]


def md_table(headers, rows) -> str:
    def esc(c) -> str:
        return str(c).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(map(esc, headers)) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(map(esc, r)) + " |" for r in rows]
    return "\n".join(lines)


def text_table(headers, rows) -> str:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths[-1] = len(headers[-1])  # the last column (status, reasons) runs free
    fmt = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(headers), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def comparison_cells(c: dict) -> list[str]:
    def r(x: float) -> str:
        return f"{x:.3g}"

    return [c["label"], c["candidate"], c["baseline"], f"{r(c['median'])}x",
            f"{r(c['min'])}-{r(c['max'])}", f"{r(c['q1'])}-{r(c['q3'])}", str(c["n"])]


COMPARISON_HEADERS = ("comparison", "candidate", "baseline", "median", "min-max", "IQR", "rounds")


def console_summary(report: dict) -> str:
    lines = [text_table(TABLE, [table_cells(r) for r in report["rows"]])]
    if report.get("comparisons"):
        lines += ["", "Interleaved comparisons (ratio per round; median, min-max, IQR across rounds):",
                  text_table(COMPARISON_HEADERS, [comparison_cells(c) for c in report["comparisons"]])]
    noise = report.get("noise") or []
    if noise:
        worst = max(noise, key=lambda n: n["range_pct"])
        lines.append(f"harness noise: same artifact across {worst['n']} rounds, median spread (max-min) "
                     f"<= {worst['range_pct']:.1f}% ({worst['row']})")
    repeats = [r for r in report["rows"] if r.get("process_spread_pct") is not None]
    if repeats:
        worst = max(repeats, key=lambda r: r["process_spread_pct"])
        lines.append(f"run to run: medians of {len(worst['processes'])} fresh processes per row agree within "
                     f"{worst['process_spread_pct']:.1f}% (worst: {row_key(worst)})")
    peak = report.get("cpu_peak") or {}
    if peak.get("gflops_s"):
        lines.append(f"CPU FP32 ceiling (MatMul {peak['n']}x{peak['n']}, {plural(peak['threads'], 'thread')}): "
                     f"{peak['gflops_s']:.1f} GFLOP/s")
    load = (report.get("load_average") or {}).get("start")
    cores = (report.get("system") or {}).get("cores")
    if load and cores and load[0] > cores:
        lines.append(f"note: load average {load[0]} on {cores} cores at the start: other work competed for the CPU")
    return "\n".join(lines)


def markdown(report: dict, chart_name: str | None = None) -> str:
    sysinfo, s, t = report["system"], report["settings"], report.get("timer") or {}
    gpus = ", ".join(f"{g['name']} (driver {g['driver']}, {g['memory']})" for g in sysinfo.get("gpus") or []) or "none"
    pk = sysinfo.get("packages") or {}
    out = [
        f"# foodcam benchmark — {report['machine']}", "",
        f"Created {report['created']} with `{report['command']}`.", "",
        "## System", "",
        md_table(("item", "value"), [
            ("CPU", f"{sysinfo.get('cpu')} ({sysinfo.get('cores')} usable cores)"),
            ("memory", f"{sysinfo.get('memory_gib')} GiB"), ("GPU", gpus),
            ("Jetson", sysinfo.get("jetson") or "-"), ("OS", sysinfo.get("os")),
            ("Python", sysinfo.get("python")),
            *[(k, v or "not installed") for k, v in pk.items()],
        ]), "",
        "## Settings", "",
        f"threads {s.get('threads')}, warm-up {s.get('warmup')} calls, "
        + (f"{s['iters']} timed calls" if s.get("iters") else f"{s.get('seconds')} s of timed calls")
        + f" per row in each of {s.get('processes', 1)} fresh process(es), taken in turns across the rows "
        "(latency over all their calls; memory, loop and accuracy from the first); accuracy: "
        + (f"{s['data']} split {s.get('split')}" if s.get("data") else "not measured (no --data)")
        + f"; camera loop: {s.get('loop_frames') or 0} frames; interleaved rounds: {s.get('rounds')} x "
        f"{s.get('round_iters')} calls.", "",
        "Latency is the wall time of one `Model.infer` call on a fixed uint8 batch at the input size (host to "
        "host, so GPU rows include the copies). FPS = frames / time spent in the timed calls. GFLOPs = "
        "2 x multiply-accumulates of Conv/ConvTranspose/Gemm/MatMul per frame. Peak RSS is the worker "
        "process's peak resident memory (interpreter and libraries included) after the timed calls; the CSV's "
        "peak_rss_delta_mb is its growth from just before the artifact was opened (its runtime library's import "
        "included).", "",
        "## Results", "",
        md_table(TABLE, [table_cells(r) for r in report["rows"]]), "",
    ]
    if chart_name:
        out += [f"![latency vs accuracy]({chart_name})", ""]
    ran = [r for r in report["rows"] if r.get("latency_ms")]
    if ran:
        out += ["## Latency detail (ms)", "",
                md_table(("model", "backend", "input", "batch", *LAT, "iters", "GFLOP/s", "% of CPU peak", "H2D",
                          "compute", "D2H", "load s"),
                         [[r["name"], r["backend"], flat_row(r)["imgsz"], r["batch"],
                           *[ms(r["latency_ms"].get(k)) for k in LAT], r.get("iters"), num(achieved(r), 1),
                           num(peak_share(r, report.get("cpu_peak")), 0),
                           *[ms((r.get("stages_ms") or {}).get(k)) for k in STAGES], num(r.get("load_s"))]
                          for r in ran]), ""]
        out += ceiling_lines(report.get("cpu_peak"))
    looped = [r for r in ran if r.get("loop")]
    if looped:
        out += ["## Camera loop (end to end)", "",
                md_table(("model", "backend", "source", "loop FPS", "model FPS", "loop/model", "latency ms",
                          *[f"{s} ms" for s in LOOP_STAGES], "loop mIoU"),
                         [_loop_cells(r) for r in looped]), ""]
    if report.get("comparisons"):
        out += ["## Interleaved comparisons", "",
                "Measured in one process, interleaved: each round runs every artifact for the same number of "
                "calls in a rotated order; the ratio is taken within each round, then summarised.", "",
                md_table(COMPARISON_HEADERS, [comparison_cells(c) for c in report["comparisons"]]), ""]
    out += ["## Timer and harness noise", ""]
    load = report.get("load_average") or {}
    if load.get("start") and load.get("end"):
        out += [f"Load average (1/5/15 min) at start {'/'.join(map(str, load['start']))}, at end "
                f"{'/'.join(map(str, load['end']))} on {sysinfo.get('cores')} usable cores: a load above the core "
                "count means other work competed for the CPU and the spreads below include it.", ""]
    if t:
        out += [f"`time.perf_counter` ({t['clock']}): declared resolution {t['resolution_ns']:.0f} ns, smallest "
                f"step seen {t['min_step_ns']:.0f} ns; an empty call through the same timing loop: median "
                f"{t['empty_call_median_us']:.2f} µs, p99 {t['empty_call_p99_us']:.2f} µs "
                f"({t['empty_calls']} calls).", ""]
    repeats = [r for r in report["rows"] if r.get("process_spread_pct") is not None]
    if repeats:
        out += ["Run to run: the same artifact timed in separate fresh processes (the medians of each process's "
                "calls, and their spread, max-min, as % of their median):", "",
                md_table(("artifact", "per-process medians ms", "spread %"),
                         [[row_key(r), ", ".join(ms(p["median"]) for p in r["processes"]),
                           num(r["process_spread_pct"], 1)] for r in repeats]), ""]
    if report.get("noise"):
        out += ["Within one process: the same artifact measured once per round (spread of the per-round medians "
                "around their median), and the fresh-process median of the results table against the "
                "interleaved one:", "",
                md_table(("artifact", "median ms", "min-max %", "IQR %", "rounds", "fresh-process vs rounds %"),
                         [[n["row"], ms(n["median"]), num(n["range_pct"], 1), num(n["iqr_pct"], 1), n["n"],
                           num(n["fresh_vs_rounds_pct"], 1)] for n in report["noise"]]), ""]
    if report.get("rounds", {}).get("errors"):
        out += ["Left out of the rounds: " + "; ".join(f"{k}: {v}" for k, v in report["rounds"]["errors"].items()), ""]
    return "\n".join(out)


def peak_share(row: dict, peak: dict | None) -> float | None:
    """A CPU row's achieved GFLOP/s as a percentage of the FP32 MatMul ceiling."""
    rate = achieved(row)
    if not rate or not peak or not peak.get("gflops_s") or row.get("backend") not in ("cpu", "torch"):
        return None
    return 100.0 * rate / peak["gflops_s"]


def ceiling_lines(peak: dict | None) -> list[str]:
    if not peak:
        return []
    if peak.get("error"):
        return [f"CPU FP32 ceiling not measured: {peak['error']}", ""]
    runs = peak.get("runs_gflops_s") or [peak["gflops_s"]]
    return [f"CPU FP32 ceiling: {peak['gflops_s']:.1f} GFLOP/s on {peak['threads']} thread(s) ({peak['how']}; "
            f"median call {peak['median_gflops_s']:.1f}; the faster of {len(runs)} measurement(s), before and after "
            f"the rows: {', '.join(f'{g:.1f}' for g in runs)}). GFLOP/s = GFLOPs per frame x FPS; a CPU row cannot run "
            "faster than GFLOPs / ceiling per frame, so its % of the ceiling is the headroom any backend has left "
            "here.", ""]


def _loop_cells(r: dict) -> list[str]:
    loop = r["loop"]
    if "error" in loop:
        return [r["name"], r["backend"], "-", "-", "-", "-", "-", *["-"] * len(LOOP_STAGES), f"failed: {loop['error']}"]
    st = loop.get("stages_ms") or {}
    acc = loop.get("accuracy") or {}
    return [r["name"], r["backend"], loop.get("source", "-"), num(loop.get("fps"), 1), num(r.get("fps"), 1),
            num(loop.get("ratio"), 3), ms(loop.get("latency_ms")), *[ms(st.get(s)) for s in LOOP_STAGES],
            "-" if acc.get("miou") is None else f"{100 * acc['miou']:.2f}"]


def csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in flat_row(r).items()})
    return buf.getvalue()



def write_reports(report: dict, out_dir: str | Path, stem: str = "bench") -> dict[str, Path]:
    """bench.json, bench.csv, bench.md and bench.png in `out_dir`; the paths written."""
    from foodcam.benchmarks.chart import write_chart
    from foodcam.runtime.plotting import can_plot

    out = Path(out_dir)
    paths = {k: out / f"{stem}.{k}" for k in ("json", "csv", "md", "png")}
    chart = can_plot("the bench chart") and write_chart(report["rows"], paths["png"],
                                                        title=f"foodcam bench — {report['machine']}")
    if not chart:
        paths.pop("png")
    write_json_atomic(paths["json"], report, default=str)
    write_text_atomic(paths["csv"], csv_text(report["rows"]))
    write_text_atomic(paths["md"], markdown(report, paths["png"].name if chart else None) + "\n")
    return paths


def run_one_report(name: str, measure: Callable[[], dict], table: Callable[[dict], str], out: str | None) -> int:
    """A one-report benchmark's CLI ending: `measure()`, print `table(report)`, write OUT/NAME.json; exit status.

    A FoodcamError, or a missing extra (ImportError: "install foodcam[train]"), is one line on stderr and exit 2."""
    try:
        try:
            report = measure()
        except ImportError as e:
            raise FoodcamError(f"{e.name or e}: install foodcam[train]") from None
    except FoodcamError as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        return 2
    print(table(report))
    if out:
        path = Path(out) / f"{name}.json"
        write_json_atomic(path, report)
        print(f"wrote {path}")
    return 0
