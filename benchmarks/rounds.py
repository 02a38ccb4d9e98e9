"""Interleaved rounds, so a comparison is measured under the same machine conditions on both sides:

    python -m foodcam.benchmarks.rounds job.json result.json

Every artifact that ran is opened once in one process. Each of R rounds runs every artifact for a fixed
number of calls (after two untimed calls that refill its caches), in an order rotated by one per round;
an artifact with the camera loop enabled runs its loop right after its model-only block. Per round and
artifact the result keeps the median latency and the loop FPS; `benchmarks.comparisons` turns those
into per-round ratios, so slow drifts of the machine hit both sides of a ratio alike.
"""

from __future__ import annotations

import logging
import sys

from foodcam.benchmarks.job import job_main
from foodcam.benchmarks.load import bench_frames, open_row
from foodcam.benchmarks.timing import latency_stats, time_calls

log = logging.getLogger("foodcam.bench")
REFILL_CALLS = 2


def rotation(n: int, r: int) -> list[int]:
    """Indices 0..n-1 starting at r mod n: each artifact leads once every n rounds."""
    return [(r + i) % n for i in range(n)] if n else []


def run_rounds(rows: list[dict], settings: dict, progress=None) -> dict:
    """{"rounds", "order", "medians_ms": [[per round] per row], "loop_fps": [[...] or None per row], "errors"}."""
    threads = settings.get("threads")
    rounds, iters = int(settings.get("rounds", 5)), int(settings.get("round_iters", 20))
    loop_frames = int(settings.get("loop_frames") or 0)
    models, frames, errors = [], [], {}
    loop_models: dict = {}
    try:
        for i, row in enumerate(rows):
            try:
                model = open_row(dict(row), threads)
                frames.append(bench_frames(model, int(row["batch"])))
                time_calls(lambda m=model, f=frames[-1]: m.infer(f), int(settings.get("warmup", 10)), iters=1)
                models.append(model)
            except Exception as e:  # noqa: BLE001 - this row drops out of the comparisons, with its reason
                errors[str(i)] = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                models.append(None)
                frames.append(None)
        live = [i for i, m in enumerate(models) if m is not None]
        looped = {i for i in live if loop_frames and rows[i]["format"] != "pytorch" and int(rows[i]["batch"]) == 1}
        medians: list[list[float]] = [[] for _ in rows]
        loop_fps: list[list[float] | None] = [[] if i in looped else None for i in range(len(rows))]
        order = []
        for r in range(rounds):
            this = [live[j] for j in rotation(len(live), r)]
            order.append(this)
            for i in this:
                model, batch = models[i], frames[i]
                samples = time_calls(lambda m=model, b=batch: m.infer(b), REFILL_CALLS, iters=iters)
                medians[i].append(latency_stats(samples)["median"])
                if i in looped:
                    try:
                        from foodcam.benchmarks.loop import run_loop

                        if loop_models.get(i) is None:  # opened as `foodcam run` opens it (no spinning)
                            loop_models[i] = open_row(dict(rows[i]), threads, spin=False)
                        loop = run_loop(loop_models[i], loop_frames, settings.get("loop_source"), warmup=REFILL_CALLS)
                        loop_fps[i].append(float(loop["fps"]))
                    except Exception as e:  # noqa: BLE001
                        errors[f"loop {i}"] = str(e).strip().splitlines()[0]
                        looped.discard(i)
                        loop_fps[i] = None
            if progress is not None:
                progress(r + 1, rounds)
        return {"rounds": rounds, "round_iters": iters, "order": order, "medians_ms": medians,
                "loop_fps": loop_fps, "errors": errors}
    finally:
        for m in [*models, *loop_models.values()]:
            if m is not None:
                m.close()


def _progress(done: int, total: int) -> None:
    print(f"round {done}/{total}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    return job_main(argv, "rounds", lambda job: run_rounds(job["rows"], job["settings"], _progress))


if __name__ == "__main__":
    raise SystemExit(main())
