"""`foodcam data export labelstudio`: frames -> Label Studio tasks carrying the model's guess as pre-annotations.

    foodcam data export labelstudio --model kitchen.onnx --frames frames/ --out tasks.json

One task per image: `data.image` is a local-files URL (`/data/local-files/?d=<path under the document root>`) that
Label Studio serves when started with LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED=true and
LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT=<a folder above the frames>; `data.frame` keeps the file's own name.
`predictions` hold one prediction (model_version = the model file's name, score = how sure it is): a brush RLE
layer per class for a segmentation model, one choice per head for a classifier. The labelling config that
names these (label_config.xml) is written beside tasks.json. The model runs through the deployed runtime
(`open_model`): an .onnx needs no PyTorch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from foodcam.runtime.errors import FoodcamError
from foodcam.train.data.labelstudio import labelconfig as lc
from foodcam.train.data.labelstudio.rle import encode_mask
from foodcam.train.dataconfig import LabelExportConfig

ROOT_ENV = "LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT"
URL_PREFIX = "/data/local-files/?d="


def image_url(frame: Path, root: Path) -> str:
    """The local-files URL Label Studio serves `frame` at; FoodcamError when it is not under `root`."""
    try:
        rel = frame.resolve().relative_to(root.resolve())
    except ValueError:
        raise FoodcamError(f"{frame}: not under the document root {root}; give --document-root (or set {ROOT_ENV}) "
                           "to a folder that holds the frames") from None
    return URL_PREFIX + quote(rel.as_posix(), safe="/")


def document_root(cfg: LabelExportConfig, frames: list[Path]) -> Path:
    if cfg.document_root:
        root = Path(cfg.document_root)
    elif os.environ.get(ROOT_ENV):
        root = Path(os.environ[ROOT_ENV])
    else:
        root = Path(os.path.commonpath([str(f.resolve().parent) for f in frames]))
    if not root.is_dir():
        raise FoodcamError(f"document root {root}: no such folder")
    return root


def segmentation_prediction(result, task) -> list[dict]:
    """One brushlabels result per class the model found, in class order."""
    mask = result.mask_full
    h, w = mask.shape
    out = []
    for index, name in enumerate(task.seg_head.classes):
        layer = mask == index
        if layer.any():
            out.append({"id": f"pred-{name}", "from_name": lc.BRUSH, "to_name": lc.IMAGE, "type": "brushlabels",
                        "original_width": int(w), "original_height": int(h), "image_rotation": 0,
                        "value": {"format": "rle", "rle": encode_mask(layer), "brushlabels": [name]}})
    return out


def classification_prediction(result, task) -> tuple[list[dict], float]:
    """One choices result per classification head, and the least sure head's probability."""
    out, score = [], 1.0
    for h in task.image_heads:
        if h.kind != "classification" or h.name not in result.probs:
            continue
        name, p = result.top(h.name, 1)[0]
        out.append({"id": f"pred-{h.name}", "from_name": h.name, "to_name": lc.IMAGE, "type": "choices",
                    "value": {"choices": [name]}})
        score = min(score, p)
    return out, score


def export_labelstudio(cfg: LabelExportConfig) -> dict:
    """`foodcam data export labelstudio`: where it writes checked first, the tasks and the labelling config
    written, one line saying what; the report of export_tasks."""
    from foodcam.runtime.outdir import check_writable

    check_writable(cfg.out, "--out", kind="file")
    if cfg.config_out:
        check_writable(cfg.config_out, "--config-out", kind="file")
    report = export_tasks(cfg)
    print(f"wrote {report['tasks']} {report['task']} tasks with {report['model_version']} pre-annotations to "
          f"{report['out']} and the labelling config to {report['config']} (image URLs under document root "
          f"{report['document_root']})")
    return report


def export_tasks(cfg: LabelExportConfig, progress: bool = True) -> dict:
    """Run the model on every frame and write tasks.json and the labelling config; a small report back."""
    from tqdm import tqdm

    from foodcam.runtime.imageio import list_images, read_image, write_text_atomic
    from foodcam.runtime.open import model_label, open_model

    frames = list_images(cfg.frames)
    if not frames:
        raise FoodcamError(f"--frames {cfg.frames}: no images found")
    root = document_root(cfg, frames)
    urls = [image_url(f, root) for f in frames]  # every frame checked before the model runs
    out = Path(cfg.out)
    config_out = Path(cfg.config_out) if cfg.config_out else out.with_name("label_config.xml")
    version = cfg.model_version or model_label(cfg.model)
    tasks = []
    with open_model(cfg.model, device=cfg.device) as model:
        task = model.task
        xml = lc.label_config(task)
        for frame, url in tqdm(list(zip(frames, urls)), desc="pre-label", unit="img", disable=not progress,
                               leave=False):
            result = model.predict(read_image(frame))
            if task.has_segmentation:
                regions = segmentation_prediction(result, task)
                unsure = result.mean_uncertainty
                score = 1.0 - unsure if unsure is not None else None
            else:
                regions, score = classification_prediction(result, task)
            prediction = {"model_version": version, "result": regions}
            if score is not None:
                prediction["score"] = round(float(score), 4)
            tasks.append({"data": {lc.IMAGE: url, "frame": frame.name}, "predictions": [prediction]})
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, json.dumps(tasks, separators=(",", ":")) + "\n")
    config_out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(config_out, xml)
    return {"tasks": len(tasks), "out": str(out), "config": str(config_out), "document_root": str(root),
            "task": task.name, "model_version": version}
