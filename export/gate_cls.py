"""The accuracy gate for classifiers: per head, is the artifact's top-1 accuracy still that of FP32?

Reference and artifact are opened through `runtime.open_model` on ONNX Runtime CPU and measured by the
one classification evaluation (`train.cls_metrics.evaluate_classification`) on the same labelled split.
Each head reports its accuracy, the drop vs FP32 in accuracy points (x100) and its top-1 agreement with
FP32; the artifact is "validated" when the WORST head's drop is at most the limit, else "failed".
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from foodcam.export.verdict import class_drops_text, verdict, worst_class_drops
from foodcam.runtime.tasks import TaskSpec


def evaluate_cls_onnx(path: str | Path, dataset, classes: dict, desc: str) -> dict:
    """evaluate_classification of an ONNX file on ONNX Runtime CPU, keeping the top-1 predictions."""
    from foodcam.runtime.open import open_model
    from foodcam.train.cls_metrics import evaluate_classification

    with open_model(path, backend="cpu") as model:
        return evaluate_classification(model, dataset, classes, progress=True, desc=desc, keep_predictions=True)


def top1_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of images on which two evaluations of the same split pick the same class."""
    return float(np.mean(np.asarray(a) == np.asarray(b))) if len(a) else float("nan")


def _rows(path: Path, precision: str, metrics: dict, status: str, drops: dict, agree: dict, limit: float) -> list:
    """One row per head of one artifact."""
    rows = []
    for head, h in metrics["heads"].items():
        row = {"artifact": path.name, "precision": precision, "head": head, "status": status,
               "size_bytes": path.stat().st_size, "accuracy": h["accuracy"], "macro_f1": h["macro_f1"],
               "drop_points": drops[head], "agreement": agree[head]}
        if status != "reference":
            failed = math.isnan(drops[head]) or drops[head] > limit
            row.update(status="failed" if failed else "validated",
                       reason=f"accuracy drop {drops[head]:.2f} points > {limit:.2f}" if failed else None)
        rows.append(row)
    return rows


def run_cls_gate(task: TaskSpec, reference: Path, artifact: Path, precision: str, opened: tuple, data: str,
                 split: str, limit: float) -> dict:
    """Measure reference and artifact on the opened split `(dataset, class names per head)`; the report."""
    dataset, classes = opened
    ref = evaluate_cls_onnx(reference, dataset, classes, f"eval {reference.name}")
    cand = ref if artifact == reference else evaluate_cls_onnx(artifact, dataset, classes, f"eval {artifact.name}")
    heads = list(ref["heads"])
    drops = {h: 100.0 * (ref["acc"][h] - cand["acc"][h]) for h in heads}
    agree = {h: top1_agreement(ref["predictions"][h], cand["predictions"][h]) for h in heads}
    worst = max(heads, key=lambda h: math.inf if math.isnan(drops[h]) else drops[h])
    drop = drops[worst]
    status, reason = verdict(drop, limit, f"{worst} accuracy", "no labelled images")
    class_drops = {h: worst_class_drops(ref["heads"][h]["per_class"], cand["heads"][h]["per_class"], "f1")
                   for h in heads}
    rows = []
    if artifact != reference:
        rows += _rows(reference, "fp32", ref, "reference", dict.fromkeys(heads, 0.0), dict.fromkeys(heads, 1.0), limit)
    rows += _rows(artifact, precision, cand, status, drops, agree, limit)
    per_head = ", ".join(f"{h} {100 * cand['acc'][h]:.2f} vs {100 * ref['acc'][h]:.2f} "
                         f"(drop {drops[h]:+.2f}, agreement {100 * agree[h]:.2f}%)" for h in heads)
    return {
        "artifact": artifact.name, "precision": precision, "kind": "classification", "heads": heads,
        "classes": [], "rows": rows, "status": status, "reason": reason,
        "accuracy": dict(cand["acc"]), "reference_accuracy": dict(ref["acc"]), "head_drop_points": drops,
        "head_agreement": agree, "drop_points": drop, "agreement": min(agree.values()), "class_drops": class_drops,
        "gate": {"ran": True, "metric": "top-1 accuracy (worst head)", "data": data, "split": split,
                 "images": ref["images"], "max_drop_points": limit, "drop_points": drop,
                 "passed": status == "validated"},
        "summary": (f"{precision} accuracy vs FP32 on {split} ({ref['images']} images): {per_head}; "
                    f"worst drop {drop:+.2f} points ({worst}, max {limit:.2f})"
                    + (class_drops_text(class_drops[worst], "f1") if artifact != reference else "")),
    }
