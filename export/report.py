"""The export report beside each artifact: `<artifact>.report.json` and a Markdown table `<artifact>.report.md`.

One row per artifact measured (the FP32 reference and the new one): precision, status, size, mIoU, drop
vs FP32 in mIoU points, mask agreement with FP32, and IoU per class — the Ultralytics-style table that
says per format whether it exported, whether it validated, and how good it is. Classifiers get one row
per artifact and head: top-1 accuracy, its drop vs FP32 in points, top-1 agreement with FP32, macro F1.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.fmt import num, pct, plural
from foodcam.runtime.imageio import write_json_atomic, write_text_atomic

STATUSES = ("exported", "validated", "failed")



def report_paths(artifact: str | Path) -> tuple[Path, Path]:
    a = Path(artifact)
    return a.with_name(a.name + ".report.json"), a.with_name(a.name + ".report.md")




def _size(n) -> str:
    if n is None:
        return "-"
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} kB"


def to_markdown(report: dict) -> str:
    """The report as a short Markdown document: one headline, one table."""
    rows = report.get("rows", [])
    classes = list(report.get("classes", []))
    status = report["status"] + (f" ({report['reason']})" if report.get("reason") else "")
    lines = [f"# Export report: {report['artifact']}", "", f"**Status:** {status}", ""]
    if report.get("summary"):
        lines += [report["summary"], ""]
    kind = report.get("kind")
    lines += _cls_table(rows) if kind == "classification" else _metric_table(rows) if kind == "foodseg" \
        else _seg_table(rows, classes)
    parity = report.get("parity") or {}
    if parity:
        diff = parity.get("max_abs_diff")
        lines += ["", f"Export parity (PyTorch vs ONNX Runtime, {parity.get('source', '')}): "
                      f"{pct(parity.get('agreement'))}% agreement, max |Δ {parity.get('scores') or 'score'}| "
                      f"{num(diff, '.2e')}"]
    if report.get("int8_cpu"):
        lines += ["", *int8_forms_table(report["int8_cpu"])]
    gate = report.get("gate") or {}
    if gate.get("ran"):
        lines += ["", f"Gate: {gate['metric']} drop vs FP32 ≤ {gate['max_drop_points']:.2f} points on "
                      f"`{gate['split']}` ({gate['images']} images of `{gate['data']}`)."]
    else:
        lines += ["", f"No accuracy gate ran: {gate.get('why', 'no --data given')}."]
    return "\n".join(lines) + "\n"


def int8_forms_table(record: dict) -> list[str]:
    """`--target cpu`: every INT8 form made, its speed against FP32 and its gate verdict; the chosen one in bold."""
    t = record.get("timing", {})
    lines = [f"INT8 forms for ONNX Runtime CPU (medians of {t.get('iters')} calls: wall ms on "
             f"{plural(t.get('threads'), 'thread')}, CPU ms per frame on 1 thread; FP32 {record['fp32_ms_p50']:.2f} / "
             f"{record['fp32_cpu_ms_1thread']:.2f} ms). The chosen form (bold) does the least work of those that "
             "passed the gate.", "",
             "| form | size | ms p50 | CPU ms / frame | FP32 CPU ms / this | mIoU drop (pts) | status |",
             "|---|---|---|---|---|---|---|"]
    for r in record["forms"]:
        name = f"**{r['form']}**" if r["form"] == record["form"] else r["form"]
        lines.append(f"| {name} | {_size(r.get('size_bytes'))} | {r['ms_p50']:.2f} | {r['cpu_ms_1thread']:.2f} | "
                     f"{num(r.get('speedup_vs_fp32'), '.2f')}x | {num(r.get('drop_points'), '+.2f')} | {_status(r)} |")
    return lines


def _status(r: dict) -> str:
    return r["status"] + (f" ({r['reason']})" if r.get("reason") else "")


def _seg_table(rows: list[dict], classes: list[str]) -> list[str]:
    head = ["artifact", "precision", "status", "size", "mIoU", "mIoU drop (pts)", "agreement", *classes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["artifact"], r["precision"], _status(r), _size(r.get("size_bytes")), pct(r.get("miou")),
                 num(r.get("drop_points"), "+.2f"), pct(r.get("agreement")),
                 *(pct(r.get("per_class_iou", {}).get(c)) for c in classes)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _cls_table(rows: list[dict]) -> list[str]:
    """One line per artifact and head: top-1 accuracy, its drop vs FP32, top-1 agreement with FP32."""
    head = ["artifact", "precision", "head", "status", "size", "accuracy", "accuracy drop (pts)", "agreement",
            "macro F1"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["artifact"], r["precision"], r.get("head", "-"), _status(r), _size(r.get("size_bytes")),
                 pct(r.get("accuracy")), num(r.get("drop_points"), "+.2f"), pct(r.get("agreement")),
                 pct(r.get("macro_f1"))]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _metric_table(rows: list[dict]) -> list[str]:
    """One line per artifact and gated metric (foodseg: mIoU, label micro-F1, label mAP)."""
    head = ["artifact", "precision", "metric", "status", "size", "value", "drop (pts)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["artifact"], r["precision"], r["metric"], _status(r), _size(r.get("size_bytes")),
                 pct(r.get("value")), num(r.get("drop_points"), "+.2f")]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_report(artifact: str | Path, report: dict) -> tuple[Path, Path]:
    """Write both files atomically beside `artifact`; returns their paths."""
    js, md = report_paths(artifact)
    write_json_atomic(js, report)
    write_text_atomic(md, to_markdown(report))
    return js, md
