"""`foodcam calibrate`: fit each classification head's temperature and "unsure" threshold on the val split.

    foodcam calibrate --weights best.pt --data fr18b --out best.cal.pt       # then: foodcam export --weights best.cal.pt
    foodcam calibrate --weights model.onnx --data fr18b --out model.cal.onnx  # msp only (the graph gives no features)

Per head (maths in runtime/calibration.py): the temperature T minimising the NLL of softmax(logits / T) on
val; the unsure score (`--score`: mahalanobis for a checkpoint whose network exposes its pooled features,
else msp); its threshold, the smallest that flags at most `--max-flagged` of the val photos. The mahalanobis
statistics (class means, shared covariance with shrinkage) come from the train split and travel in the
checkpoint (`unsure_stats`); the export puts the distance into the graph. Nothing is chosen on any other set.
Prints ECE (15 bins) before and after, and writes the numbers to OUT.calibration.json.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from foodcam.runtime import calibration as cal
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_json_atomic
from foodcam.runtime.tasks import TaskSpec

log = logging.getLogger("foodcam.calibrate")
SHRINK = 0.01  # covariance + SHRINK * mean variance * I: a well-conditioned inverse from a few thousand photos
MAX_STATS = 3000  # train photos the feature statistics are drawn from (seeded sample)
BATCH = 64


def _split(task: TaskSpec, data: str | Path, split: str):
    from foodcam.train.evaluate import CLASSIFICATION_DATA

    reader = CLASSIFICATION_DATA.get(task.name)
    if reader is None:
        raise FoodcamError(f"calibration of task {task.name!r} is not available (classification tasks: "
                           f"{', '.join(CLASSIFICATION_DATA)})")
    if not Path(data).is_dir():
        raise FoodcamError(f"--data {data}: no such dataset folder")
    dataset, _ = reader(Path(data), split)
    if len(dataset) == 0:
        raise FoodcamError(f"--data {data}: the {split} split is empty")
    return dataset


def _frames(dataset, idx, size: tuple[int, int]):
    """(uint8 NHWC BGR batch at `size`, labels (N, heads)) of dataset items `idx`."""
    h, w = size
    imgs, labels = [], []
    for i in idx:
        bgr, *lab = dataset.load(int(i))
        imgs.append(bgr if bgr.shape[:2] == (h, w) else cv2.resize(bgr, (w, h), interpolation=cv2.INTER_LINEAR))
        labels.append(lab)
    return np.stack(imgs), np.asarray(labels, np.int64)


class TorchOutputs:
    """Raw logits per head and pooled features of a checkpoint's network."""

    def __init__(self, net, task: TaskSpec) -> None:
        import torch

        self.net, self.task, self.torch = net, task, torch
        self.features = hasattr(net, "embed") and hasattr(net, "classify")
        self.mean = torch.tensor(task.mean).view(1, 3, 1, 1)
        self.std = torch.tensor(task.std).view(1, 3, 1, 1)

    def __call__(self, images: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        torch = self.torch
        with torch.inference_mode():
            x = torch.from_numpy(images).float().permute(0, 3, 1, 2).flip(1) / 255.0  # as DeployWrapper
            x = (x - self.mean) / self.std
            if self.features:
                z = self.net.embed(x)
                out = self.net.classify(z)
                return {k: v.double().numpy() for k, v in out.items()}, z.double().numpy()
            out = self.net(x)
            return {k: v.double().numpy() for k, v in out.items()}, None


class OnnxOutputs:
    """log probabilities per head of a deployment model (logits up to a per-photo constant)."""

    features = False

    def __init__(self, model, task: TaskSpec) -> None:
        self.model, self.task = model, task

    def __call__(self, images: np.ndarray) -> tuple[dict[str, np.ndarray], None]:
        outs = [self.model.infer(images[i:i + 1]) for i in range(len(images))]  # fixed-batch exports take one
        return {h.name: cal.log_probs(np.concatenate([o[h.name] for o in outs])) for h in self.task.image_heads}, None


def _run(runner, dataset, idx, size, desc: str):
    from tqdm import tqdm

    logits: dict[str, list[np.ndarray]] = {}
    feats, labels = [], []
    for k in tqdm(range(0, len(idx), BATCH), desc=desc, unit="batch", leave=False):
        images, lab = _frames(dataset, idx[k:k + BATCH], size)
        lo, z = runner(images)
        for name, v in lo.items():
            logits.setdefault(name, []).append(v)
        if z is not None:
            feats.append(z)
        labels.append(lab)
    return ({n: np.concatenate(v) for n, v in logits.items()}, np.concatenate(feats) if feats else None,
            np.concatenate(labels))


def _normalised(z: np.ndarray) -> np.ndarray:
    return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)


def feature_stats(z: np.ndarray, labels: np.ndarray, num_classes: int, shrink: float = SHRINK):
    """(class means (M, D), whitening W (D, D) with W W^T = inverse shared covariance) of L2-normalised
    features `z` (N, D) with class `labels`. M: the classes with photos (all K, or fewer when some class has no
    photo among them, e.g. foodrec's rarer foods): the score is the distance to the nearest of them."""
    zn = _normalised(np.asarray(z, np.float64))
    present = [k for k in range(num_classes) if (labels == k).any()]
    if not present:
        raise FoodcamError("feature statistics: no labelled photo in the train split")
    means = np.stack([zn[labels == k].mean(0) for k in present])
    centred = zn - means[np.searchsorted(present, labels)]
    cov = centred.T @ centred / len(zn)
    cov += shrink * np.trace(cov) / len(cov) * np.eye(len(cov))
    whiten = np.linalg.cholesky(np.linalg.inv(cov))
    return means, whiten


def mahalanobis(z: np.ndarray, means: np.ndarray, whiten: np.ndarray) -> np.ndarray:
    """(N,) squared Mahalanobis distance of L2-normalised `z` to the nearest of `means` (as the graph computes)."""
    y = _normalised(np.asarray(z, np.float64)) @ whiten
    m = means @ whiten
    return np.min([((y - mk) ** 2).sum(1) for mk in m], axis=0)


def calibrate(weights: str | Path, data: str | Path, out: str | Path, score: str = "auto",
              max_flagged: float = cal.MAX_FLAGGED, split: str = "val", stats_split: str = "train",
              seed: int = 0) -> dict:
    """Calibrate every classification head of `weights` on `data`'s `split`; write the model to `out` (the
    same kind of file) and the numbers to OUT.calibration.json; return the record."""
    weights, out = Path(weights), Path(out)
    kind = weights.suffix.lower()
    if kind not in (".pt", ".onnx") or out.suffix.lower() != kind:
        raise FoodcamError(f"--weights {weights} --out {out}: expected a .pt or .onnx model and an --out of the "
                           "same kind (calibrate a checkpoint, then `foodcam export` it)")
    if score not in ("auto", *cal.SCORES):
        raise FoodcamError(f"--score {score!r}: expected auto, {', '.join(cal.SCORES)}")
    if not 0.0 <= float(max_flagged) < 0.5:
        raise FoodcamError(f"--max-flagged {max_flagged}: expected a share in 0..0.5")
    if kind == ".pt":
        from foodcam.train.checkpoint import load_checkpoint

        net, ckpt = load_checkpoint(weights)
        task: TaskSpec = ckpt["task"]
        runner: TorchOutputs | OnnxOutputs = TorchOutputs(net, task)
    else:
        from foodcam.runtime import open_model

        model = open_model(weights)
        task = model.task
        runner = OnnxOutputs(model, task)
    heads = [h for h in task.heads if h.kind == "classification"]
    if not heads:
        raise FoodcamError(f"{weights}: task {task.name!r} has no classification head to calibrate")
    chosen = ("mahalanobis" if runner.features else "msp") if score == "auto" else score
    if chosen == "mahalanobis" and not runner.features:
        raise FoodcamError(f"--score mahalanobis needs a checkpoint whose network exposes its pooled features; "
                           f"{weights} does not (use --score msp)")

    val = _split(task, data, split)
    size = tuple(task.input_size)
    print(f"calibrate: {len(val)} {split} photos of {data} through {weights}")
    logits, z_val, labels = _run(runner, val, np.arange(len(val)), size, f"{split} photos")
    stats = {}
    if chosen == "mahalanobis":
        train = _split(task, data, stats_split)
        rng = np.random.default_rng(seed)
        idx = np.sort(rng.permutation(len(train))[:MAX_STATS])
        print(f"calibrate: feature statistics from {len(idx)} {stats_split} photos")
        _, z_train, train_labels = _run(runner, train, idx, size, f"{stats_split} photos")
    record: dict = {"weights": str(weights), "data": str(data), "split": split, "photos": int(len(val)),
                    "max_flagged": float(max_flagged), "score": chosen, "heads": {}}
    for j, h in enumerate(task.heads):
        if h.kind != "classification":
            continue
        lo, y = logits[h.name], labels[:, j]
        t = cal.fit_temperature(lo, y)
        p0, p1 = cal.softmax(lo), cal.softmax(lo / t)
        scores = {"msp": cal.msp_score(p1)}
        if chosen == "mahalanobis":
            means, whiten = feature_stats(z_train, train_labels[:, j], h.num_classes)
            stats[h.name] = (means, whiten)
            scores["mahalanobis"] = mahalanobis(z_val, means, whiten)
        threshold = cal.choose_threshold(scores[chosen], max_flagged)
        task = task.with_calibration(h.name, cal.Calibration(t, chosen, threshold))
        rec = {"temperature": round(t, 4), "nll_before": round(cal.nll(lo, y), 4), "nll_after": round(cal.nll(lo, y, t), 4),
               "ece_before": round(cal.ece(p0, y), 4), "ece_after": round(cal.ece(p1, y), 4),
               "accuracy": round(float((p1.argmax(1) == y).mean()), 4), "threshold": threshold,
               "flagged": round(float((scores[chosen] > threshold).mean()), 4)}
        record["heads"][h.name] = rec
        print(f"  {h.name}: T {t:.3f}, ECE {100 * rec['ece_before']:.2f} % -> {100 * rec['ece_after']:.2f} % "
              f"(15 bins), NLL {rec['nll_before']:.4f} -> {rec['nll_after']:.4f}; unsure when {chosen} > "
              f"{threshold:.4g}: {100 * rec['flagged']:.2f} % of {split} flagged")
    _write(weights, out, task, stats)
    write_json_atomic(f"{out}.calibration.json", record)
    print(f"calibrate: wrote {out} and {out}.calibration.json")
    return record


def _write(weights: Path, out: Path, task: TaskSpec, stats: dict) -> None:
    if weights.suffix.lower() == ".pt":
        import torch

        from foodcam.train.checkpoint import read_checkpoint, save_checkpoint

        ckpt = read_checkpoint(weights)
        ckpt["task"] = task.to_dict()
        ckpt["unsure_stats"] = {name: {"means": torch.tensor(m, dtype=torch.float32),
                                       "whiten": torch.tensor(w, dtype=torch.float32)}
                                for name, (m, w) in stats.items()} or None
        save_checkpoint(out, ckpt)
        return
    import onnx

    from foodcam.export.onnx_export import get_metadata, save_onnx, set_metadata

    proto = onnx.load(str(weights))
    set_metadata(proto, {**get_metadata(proto), "task": task.to_dict()})
    save_onnx(proto, out)


def calibrate_config(cfg) -> dict:
    """The record of `calibrate` from its typed config (train/configs.py CalibrateConfig)."""
    return calibrate(cfg.weights, cfg.data, cfg.out, cfg.score, cfg.max_flagged, cfg.split)


def run_config(cfg) -> int:
    """`foodcam calibrate`: exit code 0 (errors are FoodcamError)."""
    calibrate_config(cfg)
    return 0
