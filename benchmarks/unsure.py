"""`python -m foodcam.benchmarks.unsure`: how often a calibrated classifier says "unsure", in task and out of it.

    python -m foodcam.benchmarks.unsure --model freshness.onnx --data fr18b --other fr_s7 \
        --blind runs/heldout/sets/fruit_a-seed1000-n400-128x128 --blind runs/heldout/sets/fruit_b-seed1000-n400-128x128 \
        --compare freshness.pt --out runs/unsure

Sets: the val split of --data (the split the thresholds were chosen on), photos of another seed's render
(--other, every photo), the blind fruit sets (--blind, scoring only) and --count frames of each out-of-task
live feed (scenes FEEDS: kitchen pans, plates of food; for a foodrec model kitchen pans and fruit photos, its
--data a food set whose val split chose the thresholds). Per set and head: the share flagged unsure by the
model's own calibration. With --compare CKPT (the model's checkpoint) the same shares for each score
(msp, energy, mahalanobis), each with the threshold that flags at most 2 % of val, computed from the
checkpoint's logits and features. Writes OUT/unsure.json and OUT/unsure.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

from foodcam.runtime import calibration as cal
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_json_atomic, write_text_atomic

FEED_SEED = 11


def _folder_frames(root: str | Path, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    """(photos, labels (N, 2): fruit index in the folder's own fruit list, freshness index)."""
    frames, labels, _ = _labelled(root, split)
    return frames, labels


def _labelled(root: str | Path, split: str) -> tuple[list[np.ndarray], np.ndarray, list[tuple[str, str]]]:
    """Photos, label indices and label names (fruit, freshness) of a <Fruit>/<Fresh|Rotten> folder's split."""
    from foodcam.train.data.fruit import FreshnessFolder

    folder = FreshnessFolder.open(root, split, progress=False)
    rows = [folder.load(i) for i in range(len(folder))]
    names = [(folder.fruits[r[1]], folder.freshness[r[2]]) for r in rows]
    return [r[0] for r in rows], np.asarray([r[1:] for r in rows], np.int64), names


def accuracy_split(model, frames: list[np.ndarray], names: list[tuple[str, str]]) -> dict[str, dict]:
    """Per calibrated head: accuracy on the photos it is sure about and on those it flags (does "unsure" catch
    the mistakes?)."""
    results = [model.predict(f) for f in frames]
    out = {}
    for j, head in enumerate(("fruit", "freshness")):
        if head not in results[0].unsure:
            continue
        right = np.array([r.label(head) == n[j] for r, n in zip(results, names)])
        flag = np.array([r.unsure[head] for r in results])
        out[head] = {"sure": int((~flag).sum()), "acc_sure": float(right[~flag].mean()) if (~flag).any() else None,
                     "unsure": int(flag.sum()), "acc_unsure": float(right[flag].mean()) if flag.any() else None}
    return out


def _food_frames(root: str | Path, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    """(photos, labels (N, 1): the largest food's index) of a food set's split, as `foodcam train foodrec` reads it."""
    from foodcam.train.foodrec_task import recognition_split

    data, _ = recognition_split(root, split)
    rows = [data.load(i) for i in range(len(data))]
    return [r[0] for r in rows], np.asarray([[r[1]] for r in rows], np.int64)


def _task_frames(task: str, root: str | Path, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    return _food_frames(root, split) if task == "foodrec" else _folder_frames(root, split)


OUT_OF_TASK = {"freshness": ("kitchen", "foodseg"), "foodrec": ("kitchen", "fruit")}  # what each model never sees


def _feed_frames(name: str, count: int, seed: int = FEED_SEED) -> list[np.ndarray]:
    """`count` frames of a live feed (scenes FEEDS), or single fruit photos ("fruit", as `foodcam synth fruit`)."""
    if name == "fruit":
        from foodcam.scenes.fruit import FruitScene

        scene = FruitScene(seed=seed, styles="all")
        return [scene.render(i)[0] for i in range(count)]
    from foodcam.scenes import FEEDS

    feed = FEEDS[name](seed=seed)
    return [feed.next()[0] for _ in range(count)]


def flagged_by_model(model, frames: list[np.ndarray]) -> dict[str, float]:
    """Share of `frames` each calibrated head of `model` calls unsure, and "any head" (what the sorting line uses)."""
    results = [model.predict(f) for f in frames]
    heads = list(results[0].unsure)
    if not heads:
        raise FoodcamError(f"{model.path}: no calibrated head (run `foodcam calibrate` first)")
    shares = {h: float(np.mean([r.unsure[h] for r in results])) for h in heads}
    return {**shares, "any head": float(np.mean([r.is_unsure() for r in results]))}


def compare_scores(ckpt: str, sets: dict[str, list[np.ndarray]], val_labels: np.ndarray,
                   train: tuple[list, np.ndarray], max_flagged: float = cal.MAX_FLAGGED) -> dict[str, dict[str, dict[str, float]]]:
    """score -> head -> set -> share flagged, thresholds chosen on sets["val"]: msp and energy of
    softmax(logits / T) (T fitted on val), mahalanobis of the pooled features (statistics from `train`)."""
    from foodcam.train.calibrate import TorchOutputs, feature_stats
    from foodcam.train.checkpoint import load_checkpoint

    net, ck = load_checkpoint(ckpt)
    task = ck["task"]
    run = TorchOutputs(net, task)
    h, w = task.input_size

    def outputs(frames):
        lo, zs = {}, []
        for k in range(0, len(frames), 64):
            batch = np.stack([cv2.resize(f, (w, h), interpolation=cv2.INTER_LINEAR) for f in frames[k:k + 64]])
            out, z = run(batch)
            for n, v in out.items():
                lo.setdefault(n, []).append(v)
            zs.append(z)
        return {n: np.concatenate(v) for n, v in lo.items()}, np.concatenate(zs)

    got = {name: outputs(frames) for name, frames in sets.items()}
    _, z_train = outputs(train[0])
    result: dict = {"msp": {}, "energy": {}, "mahalanobis": {}}
    for j, head in enumerate(hd for hd in task.heads if hd.kind == "classification"):
        t = cal.fit_temperature(got["val"][0][head.name], val_labels[:, j])
        means, whiten = feature_stats(z_train, train[1][:, j], head.num_classes)
        for kind in result:
            s = {name: _score(kind, lo[head.name], z, t, means, whiten) for name, (lo, z) in got.items()}
            thr = cal.choose_threshold(s["val"], max_flagged)
            result[kind][head.name] = {name: float((v > thr).mean()) for name, v in s.items()}
    return result


def _score(kind: str, logits: np.ndarray, z: np.ndarray, t: float, means: np.ndarray, whiten: np.ndarray):
    from foodcam.train.calibrate import mahalanobis

    if kind == "msp":
        return cal.msp_score(cal.softmax(logits / t))
    if kind == "energy":
        return cal.energy_score(logits, t)
    return mahalanobis(z, means, whiten)


def markdown(rows: dict, sizes: dict[str, int]) -> str:
    names = list(sizes)
    lines = ["| score | head | " + " | ".join(f"{n} ({sizes[n]})" for n in names) + " |",
             "|---|---|" + "---|" * len(names)]
    for kind, heads in rows.items():
        for head, shares in heads.items():
            lines.append(f"| {kind} | {head} | " + " | ".join(f"{100 * shares[n]:.1f} %" for n in names) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.unsure", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="calibrated .onnx or .pt (foodcam calibrate)")
    p.add_argument("--data", required=True, help="the dataset whose val split chose the thresholds")
    p.add_argument("--other", action="append", default=[], help="another render of the task (all photos scored)")
    p.add_argument("--blind", action="append", default=[], help="a blind held-out set folder (scoring only)")
    p.add_argument("--count", type=int, default=300, help="frames of each out-of-task feed (freshness: kitchen pans and "
                   "plates; foodrec: kitchen pans and fruit photos)")
    p.add_argument("--compare", default=None, help="the model's checkpoint: also compare msp, energy, mahalanobis")
    p.add_argument("--out", default="runs/unsure")
    a = p.parse_args(argv)
    try:
        from foodcam.runtime.open import open_model

        with open_model(a.model) as model:
            task = model.task.name
        if task not in OUT_OF_TASK:
            raise FoodcamError(f"{a.model}: a {task} model; this benchmark measures {' and '.join(OUT_OF_TASK)} models")
        if task == "foodrec" and (a.other or a.blind):
            raise FoodcamError("--other and --blind are fruit photo folders: a foodrec model is measured on --data only")
        val, val_labels = _task_frames(task, a.data, "val")
        sets = {"val": val}
        named = {}
        for d in a.other:
            sets[f"other:{Path(d).name}"], _, named[f"other:{Path(d).name}"] = _labelled(d, "all")
        for d in a.blind:
            key = f"blind:{Path(d).name.split('-')[0]}"
            sets[key], _, named[key] = _labelled(d, "all")
        for feed in OUT_OF_TASK[task]:
            sets[feed] = _feed_frames(feed, a.count)
        sizes = {n: len(f) for n, f in sets.items()}
        with open_model(a.model) as model:
            own: dict[str, dict[str, float]] = {}
            for name, frames in sets.items():
                for h, share in flagged_by_model(model, frames).items():
                    own.setdefault(h, {})[name] = share
            kind = next(hd.calibration.score for hd in model.task.heads if hd.calibration is not None)
            accuracy = {name: accuracy_split(model, sets[name], names) for name, names in named.items()}
        rows = {f"model ({kind})": own}
        if a.compare:
            train = _task_frames(task, a.data, "train")
            keep = np.random.default_rng(0).permutation(len(train[0]))[:3000]
            rows.update(compare_scores(a.compare, sets, val_labels, ([train[0][i] for i in keep], train[1][keep])))
    except FoodcamError as e:
        print(f"unsure benchmark: error: {e}", file=sys.stderr)
        return 2
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    table = markdown(rows, sizes)
    acc_lines = ["| set | head | sure: photos, accuracy | unsure: photos, accuracy |", "|---|---|---|---|"]
    for name, heads in accuracy.items():
        for head, r in heads.items():
            pct = {k: "-" if r[k] is None else f"{100 * r[k]:.1f} %" for k in ("acc_sure", "acc_unsure")}
            acc_lines.append(f"| {name} | {head} | {r['sure']}, {pct['acc_sure']} | {r['unsure']}, {pct['acc_unsure']} |")
    table = table + "\n\n" + "\n".join(acc_lines)
    write_json_atomic(out / "unsure.json", {"model": a.model, "data": a.data, "sizes": sizes, "flagged": rows,
                                            "accuracy_sure_vs_unsure": accuracy})
    write_text_atomic(out / "unsure.md", table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
