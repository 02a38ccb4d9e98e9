"""`foodcam train` and `foodcam.train(...)`: the one core both faces call, from a TrainConfig.

The run folder is resolved and checked before PyTorch loads; train/engine.py trains into it.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.outdir import output_dir, print_wrote
from foodcam.train.configs import TrainConfig, TrainOptions


def train_model(cfg: TrainConfig) -> tuple[int, dict]:
    """Train as configured; (exit code, {"out": the run folder, "best", "last", "metrics_csv": its files})."""
    if cfg.resume and not cfg.out:
        raise FoodcamError("--resume continues OUT/last.pt: give the run folder with --out")
    out = output_dir(cfg.out, "train")  # default runs/train/trainN; checked before torch loads
    from foodcam.train.engine import main

    rc = main(TrainOptions.from_config(cfg, str(out)))
    print_wrote("train", out)
    return rc, {"out": Path(out), "best": Path(out) / "best.pt", "last": Path(out) / "last.pt",
                "metrics_csv": Path(out) / "metrics.csv"}
