"""`foodcam bench --compare old.json new.json`: what got faster or slower, row by matching row.

Rows match on (name, format, precision, backend, input size, batch); the ratio is new median / old median,
flagged "faster" or "slower" beyond the threshold (default 5 %), "same" within it.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.benchmarks.plan import row_key
from foodcam.benchmarks.report import SCHEMA, text_table
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import finite_number, load_json

DEFAULT_THRESHOLD = 0.05


def load_report(path: str | Path) -> dict:
    """A bench.json, checked field by field (every field --compare reads); FoodcamError naming file and row."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such benchmark report")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise FoodcamError(f"{p}: cannot read the benchmark report ({e.strerror})") from None
    report = load_json(data, p, "benchmark report")
    if not isinstance(report, dict) or report.get("schema") != SCHEMA or not isinstance(report.get("rows"), list):
        raise FoodcamError(f"{p}: not a foodcam benchmark report (expected schema {SCHEMA!r} from `foodcam bench`)")
    machine = report.get("machine")
    if machine is not None and not isinstance(machine, str):
        raise FoodcamError(f"{p}: 'machine' is {type(machine).__name__}, expected a string")
    for i, row in enumerate(report["rows"]):
        _check_row(row, f"{p}: rows[{i}]")
    return report


def _check_row(row: object, at: str) -> None:
    if not isinstance(row, dict):
        raise FoodcamError(f"{at} is {type(row).__name__}, expected an object")
    for key in ("name", "format", "backend"):
        if not isinstance(row.get(key), str) or not row[key]:
            raise FoodcamError(f"{at}: {key!r} is {row.get(key)!r:.40}, expected a non-empty string")
    for key in ("precision", "status"):
        if row.get(key) is not None and not isinstance(row[key], str):
            raise FoodcamError(f"{at}: {key!r} is {row[key]!r:.40}, expected a string or null")
    size = row.get("imgsz")
    if size is not None and not (isinstance(size, list) and 1 <= len(size) <= 2
                                 and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in size)):
        raise FoodcamError(f"{at}: 'imgsz' is {size!r:.40}, expected null or [height, width] positive integers")
    batch = row.get("batch")
    if batch is not None and not (isinstance(batch, int) and not isinstance(batch, bool) and batch > 0):
        raise FoodcamError(f"{at}: 'batch' is {batch!r:.40}, expected null or a positive integer")
    latency = row.get("latency_ms")
    if latency is not None:
        if not isinstance(latency, dict):
            raise FoodcamError(f"{at}: 'latency_ms' is {type(latency).__name__}, expected an object")
        median = latency.get("median")
        if median is not None and not (finite_number(median) and median > 0):
            raise FoodcamError(f"{at}: latency_ms.median is {median!r:.40}, expected a positive number of ms")
    miou = row.get("miou")
    if miou is not None and not finite_number(miou):
        raise FoodcamError(f"{at}: 'miou' is {miou!r:.40}, expected a number or null")


def _median(row: dict) -> float | None:
    return (row.get("latency_ms") or {}).get("median")


def compare_reports(old: dict, new: dict, threshold: float = DEFAULT_THRESHOLD) -> dict:
    """{"rows": [{key, old_ms, new_ms, ratio, verdict, miou_old, miou_new}], "only_old", "only_new", counts}."""
    if not finite_number(threshold) or threshold < 0:
        raise FoodcamError(f"--threshold {threshold}: expected a non-negative fraction, e.g. 0.05")
    olds = {row_key(r): r for r in old["rows"]}
    news = {row_key(r): r for r in new["rows"]}
    rows = []
    for key, n in news.items():
        o = olds.get(key)
        if o is None:
            continue
        a, b = _median(o), _median(n)
        if a and b:
            ratio = b / a
            verdict = "slower" if ratio > 1 + threshold else "faster" if ratio < 1 - threshold else "same"
        else:
            ratio, verdict = None, f"not timed ({o.get('status')} -> {n.get('status')})"
        rows.append({"key": key, "old_ms": a, "new_ms": b, "ratio": ratio, "verdict": verdict,
                     "miou_old": o.get("miou"), "miou_new": n.get("miou")})
    counts = {v: sum(r["verdict"] == v for r in rows) for v in ("faster", "slower", "same")}
    return {"threshold": threshold, "rows": rows, "counts": counts,
            "only_old": [k for k in olds if k not in news], "only_new": [k for k in news if k not in olds],
            "machines": [old.get("machine"), new.get("machine")]}


def format_comparison(c: dict) -> str:
    def ms(x):
        return "-" if x is None else f"{x:.3f}"

    def miou(r):
        if r["miou_old"] is None and r["miou_new"] is None:
            return "-"
        f = lambda x: "-" if x is None else f"{100 * x:.2f}"  # noqa: E731
        return f"{f(r['miou_old'])} -> {f(r['miou_new'])}"

    lines = []
    if c["machines"][0] != c["machines"][1]:
        lines.append(f"note: different machines ({c['machines'][0]} vs {c['machines'][1]})")
    lines.append(text_table(("row", "old p50 ms", "new p50 ms", "new/old", "mIoU", "verdict"),
                            [[r["key"], ms(r["old_ms"]), ms(r["new_ms"]),
                              "-" if r["ratio"] is None else f"{r['ratio']:.3f}", miou(r), r["verdict"]]
                             for r in c["rows"]]))
    k = c["counts"]
    lines.append(f"{k['faster']} faster, {k['slower']} slower, {k['same']} within ±{100 * c['threshold']:.0f}% "
                 f"(ratio of medians, new/old)")
    for what in ("only_old", "only_new"):
        if c[what]:
            lines.append(f"only in the {what.split('_')[1]} report: " + "; ".join(c[what]))
    return "\n".join(lines)


def main(old: str | Path, new: str | Path, threshold: float = DEFAULT_THRESHOLD) -> int:
    c = compare_reports(load_report(old), load_report(new), threshold)
    print(format_comparison(c))
    return 0
