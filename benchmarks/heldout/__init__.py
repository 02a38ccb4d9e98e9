"""Blind held-out sets: scene generators written from the label contract alone (CONTRACT.md), by hands that never
read `scenes/`, `train/` or the shipped models. They score models; they never train, early-stop or choose one.

`python -m foodcam.benchmarks.heldout --model M [--model M2 ...]` renders each set of the models' task once (cached
under the output folder) and scores every model on every set: one table, per class / per head.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HeldoutSet:
    name: str  # the generator's module in this package
    task: str
    count: int
    size: tuple[int, int]  # width, height
    split: str  # what `foodcam eval --split` scores in the set's layout

    def generator(self):
        return importlib.import_module(f"{__name__}.{self.name}")

    def folder(self, root: Path, seed: int) -> Path:
        return Path(root) / f"{self.name}-seed{seed}-n{self.count}-{self.size[0]}x{self.size[1]}"

    def render(self, root: Path, seed: int) -> Path:
        """The set's folder under `root`, drawn once (a finished set is renamed into place whole)."""
        out = self.folder(root, seed)
        if out.is_dir():
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            self.generator().generate(tmp, self.count, seed, self.size)
            tmp.rename(out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out


# the canonical sets: counts and sizes of the other-hand sets the shipped models are also judged on
SETS: tuple[HeldoutSet, ...] = (
    HeldoutSet("kitchen_a", "kitchen", 150, (320, 240), "test"),
    HeldoutSet("kitchen_b", "kitchen", 150, (320, 240), "test"),
    HeldoutSet("fruit_a", "freshness", 400, (128, 128), "all"),
    HeldoutSet("fruit_b", "freshness", 400, (128, 128), "all"),
    HeldoutSet("plate_a", "foodseg", 200, (256, 256), "test"),
)
SEED = 1000  # the canonical seed; other seeds give sets of the same kind for spread


SCORED_ON = {"foodrec": "foodseg"}  # a recognition model names the largest food of each plate (foodrec's label)


def sets_for(task: str) -> tuple[HeldoutSet, ...]:
    return tuple(s for s in SETS if s.task == SCORED_ON.get(task, task))


def adapt_data(hs: HeldoutSet, root: Path, train_seed: int, count: int, seed: int = SEED) -> Path:
    """A "new place" from a blind generator, in the kitchen layout `foodcam train --from` reads: train/ = `count`
    frames drawn with `train_seed` (the user's labelled frames), val/ = the canonical set (what is scored)."""
    import os

    if hs.task != "kitchen":
        raise ValueError(f"{hs.name}: adaptation sets are drawn for kitchen generators only")
    scored = hs.render(root / "sets", seed)
    own = HeldoutSet(hs.name, hs.task, count, hs.size, hs.split).render(root / "sets", train_seed)
    out = root / f"{hs.name}-train{train_seed}-n{count}"
    for split, src in (("train", own), ("val", scored)):
        for sub in ("images", "masks"):
            (out / split / sub).mkdir(parents=True, exist_ok=True)
            for f in sorted((src / hs.split / sub).iterdir()):
                dst = out / split / sub / f.name
                if not dst.exists():
                    os.symlink(f.resolve(), dst)
    return out
