"""The accuracy gate for foodseg models: masks AND ingredient labels of the artifact vs its FP32 reference.

Both ONNX files run on ONNX Runtime CPU through the one foodseg evaluation (`train.foodseg_eval`) on the
same labelled split. Metrics gated (points, x100): mIoU of the mask head, micro-F1 and mAP of each
multi-label head; the artifact is "validated" when the WORST drop is within the limit, else "failed".
Agreement with FP32: equal mask pixels, equal present/absent label decisions.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from foodcam.export.verdict import class_drops_text, mask_agreement, verdict, worst_class_drops
from foodcam.runtime.tasks import TaskSpec


def evaluate_food_onnx(path: str | Path, split, desc: str) -> dict:
    from foodcam.runtime.open import open_model
    from foodcam.train.foodseg_eval import evaluate_food

    with open_model(path, backend="cpu") as model:
        return evaluate_food(model, split, progress=True, desc=desc, keep=True)


def gated_metrics(m: dict) -> dict[str, float]:
    """{"mIoU": .., "<head> micro-F1": .., "<head> mAP": ..} of one evaluation."""
    out = {}
    if "miou" in m:
        out["mIoU"] = m["miou"]
    for head, lm in m.get("labels", {}).items():
        out[f"{head} micro-F1"] = lm["micro_f1"]
        out[f"{head} mAP"] = lm["map"]
    return out


def label_agreement(task: TaskSpec, ref: dict, cand: dict) -> dict[str, float]:
    out = {}
    for h in task.image_heads:
        a, b = ref["label_probs"].get(h.name), cand["label_probs"].get(h.name)
        if a is not None and b is not None and a.size:
            t = h.decision_threshold
            out[h.name] = float(np.mean((a >= t) == (b >= t)))
    return out


def run_food_gate(task: TaskSpec, reference: Path, artifact: Path, precision: str, split, data: str,
                  split_name: str, limit: float) -> dict:
    ref = evaluate_food_onnx(reference, split, f"eval {reference.name}")
    cand = ref if artifact == reference else evaluate_food_onnx(artifact, split, f"eval {artifact.name}")
    rm, cm = gated_metrics(ref), gated_metrics(cand)
    drops = {k: 100.0 * (rm[k] - cm[k]) for k in rm}
    worst = max(drops, key=lambda k: math.inf if math.isnan(drops[k]) else drops[k])
    status, reason = verdict(drops[worst], limit, worst, "no labelled images")
    agree = label_agreement(task, ref, cand)
    if task.has_segmentation:
        agree = {"mask": mask_agreement(ref["masks"], cand["masks"]), **agree}
    if task.has_segmentation:  # which foods a lower precision costs most: mask IoU per class
        key, per_ref, per_cand = "iou", ref["per_class"], cand["per_class"]
    else:
        first = next(iter(ref.get("labels", {})), None)
        key = "f1"
        per_ref = ref["labels"][first]["per_class"] if first else {}
        per_cand = cand["labels"][first]["per_class"] if first else {}
    class_drops = worst_class_drops(per_ref, per_cand, key)
    rows = []
    for path, prec, m, st in ([(reference, "fp32", rm, "reference")] if artifact != reference else []) + \
            [(artifact, precision, cm, status)]:
        for metric, value in m.items():
            d = 0.0 if st == "reference" else drops[metric]
            failed = st != "reference" and (math.isnan(d) or d > limit)
            rows.append({"artifact": path.name, "precision": prec, "metric": metric, "value": value,
                         "drop_points": d, "size_bytes": path.stat().st_size,
                         "status": st if st == "reference" else ("failed" if failed else "validated"),
                         "reason": f"drop {d:.2f} points > {limit:.2f}" if failed else None})
    per = ", ".join(f"{k} {100 * cm[k]:.2f} vs {100 * rm[k]:.2f} ({drops[k]:+.2f})" for k in rm)
    return {
        "artifact": artifact.name, "precision": precision, "kind": "foodseg", "classes": [], "rows": rows,
        "status": status, "reason": reason, "metrics": cm, "reference_metrics": rm, "metric_drops": drops,
        "miou": cand.get("miou"), "reference_miou": ref.get("miou"), "drop_points": drops[worst],
        "agreement": min(agree.values()) if agree else float("nan"), "agreements": agree,
        "class_drops": class_drops,
        "gate": {"ran": True, "metric": f"mIoU / label micro-F1 / mAP (worst: {worst})", "data": data,
                 "split": split_name, "images": ref["images"], "max_drop_points": limit,
                 "drop_points": drops[worst], "passed": status == "validated"},
        "summary": (f"{precision} vs FP32 on {split_name} ({ref['images']} images): {per}; worst drop "
                    f"{drops[worst]:+.2f} points ({worst}, max {limit:.2f}); agreement "
                    + ", ".join(f"{k} {100 * v:.2f}%" for k, v in agree.items())
                    + (class_drops_text(class_drops, key) if artifact != reference else "")),
    }
