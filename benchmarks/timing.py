"""The timer: warm-up, then timed calls; latency statistics; what the timer itself costs.

Every latency in the benchmark comes from `time_calls`: one `perf_counter_ns` pair around each call,
nothing else inside the timed region. `timer_overhead` measures that harness on an empty call, so the
report can say how much of a number is the stopwatch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from foodcam.runtime.errors import FoodcamError

PERCENTILES = (90, 95, 99)
LATENCY_KEYS = ("min", "mean", "median", "p90", "p95", "p99", "max", "std")


def time_calls(fn: Callable[[], object], warmup: int = 10, iters: int | None = 100,
               seconds: float | None = None, min_iters: int = 3,
               after: Callable[[], None] | None = None) -> list[float]:
    """Call `fn` `warmup` times untimed, then `iters` times (or for `seconds`, at least `min_iters`);
    return each timed call's wall time in ms. `after` runs after each timed call, outside the timing."""
    if iters is None and seconds is None:
        raise FoodcamError("timing needs --iters N or --seconds S")
    if iters is not None and iters < 1:
        raise FoodcamError(f"--iters {iters}: expected at least 1")
    if seconds is not None and seconds <= 0:
        raise FoodcamError(f"--seconds {seconds}: expected a positive duration")
    for _ in range(max(0, int(warmup))):
        fn()
    samples: list[float] = []
    clock = time.perf_counter_ns
    deadline = None if seconds is None else time.perf_counter() + float(seconds)
    while True:
        t0 = clock()
        fn()
        t1 = clock()
        samples.append((t1 - t0) / 1e6)
        if after is not None:
            after()
        if deadline is None:
            if len(samples) >= iters:
                break
        elif time.perf_counter() >= deadline and len(samples) >= min_iters:
            break
    return samples


def latency_stats(samples_ms: Sequence[float]) -> dict[str, float]:
    """min, mean, median, p90, p95, p99, max, std (ms) of timed calls."""
    a = np.asarray(samples_ms, dtype=np.float64)
    if a.size == 0:
        raise FoodcamError("no timed calls to summarise")
    p = np.percentile(a, [50, *PERCENTILES])
    return {
        "min": float(a.min()), "mean": float(a.mean()), "median": float(p[0]),
        "p90": float(p[1]), "p95": float(p[2]), "p99": float(p[3]),
        "max": float(a.max()), "std": float(a.std(ddof=1)) if a.size > 1 else 0.0,
    }


def throughput_fps(samples_ms: Sequence[float], batch: int) -> float:
    """Frames per second over the timed calls: frames processed / time spent in the calls."""
    total_s = float(np.sum(samples_ms)) / 1000.0
    return batch * len(samples_ms) / total_s if total_s > 0 else float("inf")


def spread(values: Sequence[float]) -> dict[str, float]:
    """Median, min, max, quartiles of repeated measurements, and the spreads relative to the median (%)."""
    a = np.asarray(values, dtype=np.float64)
    if a.size == 0:
        raise FoodcamError("no repeated measurements to summarise")
    q1, med, q3 = (float(v) for v in np.percentile(a, [25, 50, 75]))
    lo, hi = float(a.min()), float(a.max())
    rel = (lambda x: 100.0 * x / med) if med else (lambda x: float("nan"))
    return {"median": med, "min": lo, "max": hi, "q1": q1, "q3": q3, "n": int(a.size),
            "range_pct": rel(hi - lo), "iqr_pct": rel(q3 - q1)}


def timer_overhead(calls: int = 20000) -> dict[str, float]:
    """The stopwatch's own cost: perf_counter's declared resolution, the smallest step seen between two
    reads, and `time_calls` on an empty function (what every latency includes besides the model)."""
    info = time.get_clock_info("perf_counter")
    clock = time.perf_counter_ns
    steps = []
    for _ in range(min(calls, 5000)):
        a = clock()
        b = clock()
        while b == a:
            b = clock()
        steps.append(b - a)
    empty = latency_stats(time_calls(lambda: None, warmup=100, iters=calls))
    return {
        "clock": info.implementation,
        "resolution_ns": float(info.resolution) * 1e9,
        "min_step_ns": float(min(steps)),
        "median_step_ns": float(np.median(steps)),
        "empty_call_median_us": empty["median"] * 1000.0,
        "empty_call_p99_us": empty["p99"] * 1000.0,
        "empty_calls": int(calls),
    }
