"""From interleaved rounds to the report's comparisons and noise figures (pure functions, no timing here).

A comparison is a ratio computed within each round, summarised across rounds by its median, min-max
and quartiles:
  vs PyTorch eager  speedup = PyTorch median / artifact median   (same device, input size, batch, checkpoint)
  vs FP32           speedup = FP32 median / artifact median      (same format, backend, size, batch, checkpoint)
  loop / model      ratio   = camera-loop FPS / model-only FPS   (same artifact, same round)
Harness noise: the same artifact measured once per round; its per-round medians' spread around their median.
"""

from __future__ import annotations

from foodcam.benchmarks.plan import row_device, row_key
from foodcam.benchmarks.timing import spread

RAN = ("ran", "validated")


def _same_shape(a: dict, b: dict) -> bool:
    return a.get("imgsz") == b.get("imgsz") and a.get("batch") == b.get("batch")


def _partner(row: dict, candidates: list[int], rows: list[dict]) -> int | None:
    """The candidate built from the same checkpoint (source hash); failing that, the only one of the same task."""
    same = [j for j in candidates if rows[j].get("source_sha256") and rows[j]["source_sha256"] == row.get("source_sha256")]
    if same:
        return same[0]
    task = [j for j in candidates if rows[j].get("task") == row.get("task")]
    return task[0] if len(task) == 1 else None


def pairs(rows: list[dict]) -> list[tuple[str, int, int]]:
    """(kind, baseline index, candidate index) for every comparison the rows allow."""
    out = []
    for i, row in enumerate(rows):
        if row.get("status") not in RAN or row["format"] == "pytorch":
            continue
        torch_rows = [j for j, t in enumerate(rows) if t.get("status") in RAN and t["format"] == "pytorch"
                      and row_device(t) == row_device(row) and _same_shape(t, row)]
        j = _partner(row, torch_rows, rows)
        if j is not None:
            out.append(("vs_torch", j, i))
        if row.get("precision") != "fp32":
            fp32 = [j for j, f in enumerate(rows) if f.get("status") in RAN and f.get("precision") == "fp32"
                    and f["format"] == row["format"] and f["backend"] == row["backend"] and _same_shape(f, row)]
            j = _partner(row, fp32, rows)
            if j is not None:
                out.append(("vs_fp32", j, i))
    return out


LABELS = {
    "vs_torch": "speedup vs PyTorch eager",
    "vs_fp32": "speedup vs FP32",
    "loop_vs_model": "camera loop FPS / model-only FPS",
}


def comparisons(rows: list[dict], rounds: dict) -> list[dict]:
    """Per-comparison ratio summaries across rounds; `rows` are the ones given to the rounds, in order."""
    med = rounds["medians_ms"]
    out = []
    for kind, a, b in pairs(rows):
        ra = [x / y for x, y in zip(med[a], med[b]) if y > 0]
        if ra:
            out.append({"kind": kind, "label": LABELS[kind], "baseline": row_key(rows[a]),
                        "candidate": row_key(rows[b]), "per_round": ra, **spread(ra)})
    for i, fps in enumerate(rounds.get("loop_fps") or []):
        if fps:
            model_fps = [rows[i]["batch"] * 1000.0 / m for m in med[i][: len(fps)]]
            ra = [lf / mf for lf, mf in zip(fps, model_fps) if mf > 0]
            if ra:
                out.append({"kind": "loop_vs_model", "label": LABELS["loop_vs_model"], "baseline": row_key(rows[i]),
                            "candidate": f"camera loop ({rows[i].get('loop', {}).get('source', 'synth')})",
                            "per_round": ra, "loop_fps": fps, **spread(ra)})
    return out


def noise(rows: list[dict], rounds: dict) -> list[dict]:
    """Per artifact: its per-round medians, their spread (% of the median), and how far the fresh-process
    median (the main table) lies from the interleaved one."""
    out = []
    for row, meds in zip(rows, rounds["medians_ms"]):
        if not meds:
            continue
        s = spread(meds)
        fresh = (row.get("latency_ms") or {}).get("median")
        out.append({"row": row_key(row), "round_medians_ms": meds, **s,
                    "fresh_median_ms": fresh,
                    "fresh_vs_rounds_pct": 100.0 * (fresh - s["median"]) / s["median"] if fresh and s["median"] else None})
    return out
