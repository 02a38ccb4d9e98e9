"""The accuracy gate: is a lower-precision artifact still as good as its FP32 reference?

Both ONNX files are opened through `runtime.open_model` on ONNX Runtime CPU and measured by the one
evaluation (`train.evaluate.evaluate_segmentation`) on the same labelled split. The artifact passes
("validated") when its mIoU is at most `max_drop` points (x100) below the reference; otherwise it is
"failed" with the reason. Classifiers are gated per head on top-1 accuracy (`export.gate_cls`). Without
labelled data no gate runs and the status stays "exported".
"""

from __future__ import annotations

from pathlib import Path

from foodcam.export.verdict import mask_agreement, verdict  # noqa: F401 - also gate.verdict, as before
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec

DEFAULT_MAX_DROP = {"fp32": 0.0, "fp16": 0.2, "int8": 1.0}  # mIoU points; accuracy points of the worst head


def open_labelled(task: TaskSpec, data: str | Path, split: str):
    """(split, class names per head or None) for `task` on DATA, or None when foodcam has no labelled-data
    reader for this task yet. Segmentation reads the folder DATA/split; classification draws `split` from
    the whole of DATA (de-duplicated, seeded), as training did."""
    from foodcam.train.evaluate import CLASSIFICATION_DATA, SEGMENTATION_DATA

    root = Path(data)
    if not root.is_dir():
        raise FoodcamError(f"--data {root}: no such dataset folder")
    if task.name == "foodseg":  # FoodSeg103 / COCO layout, masks and ingredient labels
        from foodcam.train.foodseg_eval import food_split

        return food_split(root, split), None
    if task.kind == "classification":
        cls_reader = CLASSIFICATION_DATA.get(task.name)
        if cls_reader is None:
            return None
        dataset, classes = cls_reader(root, split)
        if len(dataset) == 0:
            raise FoodcamError(f"--data {root}: no labelled images in its {split!r} split")
        return dataset, classes
    if not (root / split).is_dir():
        have = sorted(p.name for p in root.iterdir() if p.is_dir())
        raise FoodcamError(f"--data {root}: no split {split!r} (found: {', '.join(have) or 'no folders'})")
    reader = SEGMENTATION_DATA.get(task.name) if task.kind == "segmentation" else None
    if reader is None:
        return None
    dataset = reader(root, split)
    if len(dataset) == 0:
        raise FoodcamError(f"{root / split}: no labelled images (expected images with masks in this split)")
    return dataset, None


def open_split(task: TaskSpec, data: str | Path, split: str):
    """The labelled split of DATA for `task` (anything with len() and load(i) -> (frame, labels...)),
    or None when foodcam has no labelled-data reader for this task yet."""
    opened = open_labelled(task, data, split)
    return None if opened is None else opened[0]


def evaluate_onnx(path: str | Path, dataset, desc: str) -> dict:
    """evaluate_segmentation of an ONNX file on ONNX Runtime CPU, keeping the predicted masks."""
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import evaluate_segmentation

    with open_model(path, backend="cpu") as model:
        return evaluate_segmentation(model, dataset, progress=True, keep_masks=True, desc=desc)


def _row(path: Path, precision: str, metrics: dict) -> dict:
    return {
        "artifact": path.name,
        "precision": precision,
        "size_bytes": path.stat().st_size,
        "miou": metrics["miou"],
        "pixel_accuracy": metrics.get("pixel_accuracy"),
        "per_class_iou": {c: v["iou"] for c, v in metrics["per_class"].items()},
    }


def run_gate(task: TaskSpec, reference: Path, artifact: Path, precision: str, data: str | Path, split: str,
             max_drop: float | None = None, opened: tuple | None = None) -> dict:
    """Measure reference and artifact on the labelled split (`opened`, from `open_labelled`, or read from
    DATA); the report dict (status, rows, gate)."""
    limit = DEFAULT_MAX_DROP[precision] if max_drop is None else float(max_drop)
    report = {"artifact": artifact.name, "precision": precision, "classes": [], "rows": []}
    opened = open_labelled(task, data, split) if opened is None else opened
    if opened is not None and task.name == "foodseg":
        from foodcam.export.gate_food import run_food_gate

        return run_food_gate(task, reference, artifact, precision, opened[0], str(data), split, limit)
    if opened is not None and task.kind == "classification":
        from foodcam.export.gate_cls import run_cls_gate

        return run_cls_gate(task, reference, artifact, precision, opened, str(data), split, limit)
    dataset = None if opened is None else opened[0]
    if dataset is None:
        why = f"no labelled-data evaluation for {task.kind} task {task.name!r} yet"
        report.update(status="exported", reason=None, gate={"ran": False, "why": why})
        report["rows"] = [{"artifact": artifact.name, "precision": precision, "status": "exported",
                           "size_bytes": artifact.stat().st_size}]
        return report
    ref = evaluate_onnx(reference, dataset, f"eval {reference.name}")
    cand = ref if artifact == reference else evaluate_onnx(artifact, dataset, f"eval {artifact.name}")
    drop = 100.0 * (ref["miou"] - cand["miou"])
    agreement = mask_agreement(ref["masks"], cand["masks"])
    status, reason = verdict(drop, limit, "mIoU", "no labelled pixels")
    rows = []
    if artifact != reference:
        rows.append({**_row(reference, "fp32", ref), "status": "reference", "drop_points": 0.0, "agreement": 1.0})
    rows.append({**_row(artifact, precision, cand), "status": status, "reason": reason,
                 "drop_points": drop, "agreement": agreement})
    report.update(
        status=status, reason=reason, classes=list(ref["classes"]), rows=rows,
        miou=cand["miou"], reference_miou=ref["miou"], drop_points=drop, agreement=agreement,
        gate={"ran": True, "metric": "mIoU", "data": str(data), "split": split, "images": ref["images"],
              "max_drop_points": limit, "drop_points": drop, "passed": status == "validated"},
        summary=(f"{precision} mIoU {100 * cand['miou']:.2f} vs FP32 {100 * ref['miou']:.2f} on {split} "
                 f"({ref['images']} images): drop {drop:+.2f} points (max {limit:.2f}), "
                 f"mask agreement {100 * agreement:.2f}%"),
    )
    return report


def not_gated(artifact: Path, precision: str) -> dict:
    """The report of an artifact exported without labelled data."""
    return {
        "artifact": artifact.name, "precision": precision, "status": "exported", "reason": None, "classes": [],
        "rows": [{"artifact": artifact.name, "precision": precision, "status": "exported",
                  "size_bytes": artifact.stat().st_size}],
        "gate": {"ran": False, "why": "no --data given"},
    }
