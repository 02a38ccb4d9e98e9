"""The typed configs of the PyTorch side's verbs (foodcam/verbconfig.py): each is the verb's one schema, its flags,
`--config FILE.yaml` keys and Python keywords. Light: no torch import, so the CLI builds its parsers fast."""

from __future__ import annotations

import argparse
from types import SimpleNamespace
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from foodcam.argtypes import (
    FiniteFloat,
    Fraction,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Sha256,
    Size,
    ThreadCount,
    positive_float,
)
from foodcam.verbconfig import VerbConfig, opt

MODEL_FILE = ".pt, .onnx, .engine or a served model grpc://HOST:8001/NAME"
VERIFY = "also compare the model file's full sha256 with the one recorded at export/build"
PIN = "refuse a model file whose sha256 is not HEX (pin the validated model)"


class SynthConfig(VerbConfig):
    """`foodcam synth` / `foodcam.synth(...)`: train/synth.py's synth_dataset runs it."""

    verb = "synth"

    task: Literal["kitchen", "fruit", "foodseg"] = opt(..., "which scene to render", positional=True)
    out: str | None = opt(None, "output dataset folder (default: a new runs/synth/synthN)")
    count: PositiveInt = opt(600, "number of images in all splits")
    seed: NonNegativeInt = 0
    size: Size | None = opt(None, "frame size WxH (kitchen default 320x240, fruit 224x224, foodseg 256x256)")
    styles: str | None = opt(None, "kitchen: comma-separated styles home,wok,pot,night,closeup | train (all but the "
                             "held-out closeup) | all (default home); fruit: table,belt,bunch,studio,plate | train "
                             "(all but the held-out plate) | all (default table)")
    hand: str | None = opt(None, "kitchen/fruit: draw with a generator another hand wrote from the label contract "
                           "(scenes/hands: kitchen_c, kitchen_d | fruit_c, fruit_d) instead of the renderer")
    format: Literal["foodseg103", "coco"] = opt("foodseg103", "foodseg: write the FoodSeg103 layout or the AIcrowd "
                                                "food-recognition (COCO) layout")
    classes: PositiveInt = opt(24, "foodseg: number of food classes (24 distinct foods; more are colour variants; "
                               "foodseg103 at most 254, coco e.g. AIcrowd's 498)")


class EvalConfig(VerbConfig):
    """`foodcam eval` / `model.eval(...)`: train/evaluate.py's eval_model runs it."""

    verb = "eval"

    weights: str = opt(..., MODEL_FILE)
    data: str = opt(..., "dataset folder")
    split: str = "val"
    out: str | None = opt(None, "folder for metrics.json and confusion.png (default: a new runs/eval/evalN)")
    device: str | None = None
    verify: bool = opt(False, VERIFY)
    model_sha256: Sha256 | None = opt(None, PIN, metavar="HEX")


class PredictConfig(VerbConfig):
    """`foodcam predict` / `model.predict_files(...)`: train/predict.py's predict_files runs it."""

    verb = "predict"

    weights: str = opt(..., MODEL_FILE)
    source: str = opt(..., "image file, folder or glob")
    out: str | None = opt(None, "output folder (default: a new runs/predict/predictN)")
    overlay: bool = opt(False, "also write the mask blended over the image")
    alpha: Fraction = 0.5
    topk: PositiveInt = opt(2, "classification heads: top-k labels printed per head (multi-label heads print every "
                            "class over their threshold)")
    device: str | None = None
    verify: bool = opt(False, VERIFY)
    model_sha256: Sha256 | None = opt(None, PIN, metavar="HEX")


class CalibrateConfig(VerbConfig):
    """`foodcam calibrate` / `model.calibrate(...)`: train/calibrate.py's calibrate runs it (docs/unsure.md)."""

    verb = "calibrate"

    weights: str = opt(..., ".pt checkpoint (any score) or deployment .onnx (msp only)")
    data: str = opt(..., "dataset folder (its val split fits; its train split gives the feature statistics of "
                         "the mahalanobis score)")
    out: str = opt(..., "calibrated model, the same kind of file as --weights")
    score: Literal["auto", "msp", "mahalanobis"] = opt("auto", "unsure score (auto: mahalanobis for a checkpoint, "
                                                               "msp for an .onnx)")
    max_flagged: Fraction = opt(0.02, "share of val photos the unsure threshold may flag")
    split: str = opt("val", "split the temperature and threshold are fitted on")


def _learning_rate(value: Any) -> Any:
    """--lr: a positive rate or "find" (the learning-rate finder), from text, YAML or Python."""
    if isinstance(value, str) and value.strip().lower() == "find":
        return "find"
    if isinstance(value, bool):
        raise ValueError(f"expected a positive learning rate (e.g. 2e-3) or 'find', got {value!r}")
    try:
        return positive_float(repr(value) if isinstance(value, float) else str(value))
    except argparse.ArgumentTypeError:
        raise ValueError(f"expected a positive learning rate (e.g. 2e-3) or 'find', got {str(value)!r}") from None


LearningRate = Annotated[float | Literal["find"], BeforeValidator(_learning_rate)]


class TrainConfig(VerbConfig):
    """`foodcam train` / `foodcam.train_model(...)`: train/verb.py's train_model runs it. Options that only some
    tasks read say so in their help; the others ignore them, as the command line always did."""

    verb = "train"

    task: Literal["kitchen", "freshness", "foodseg", "foodrec"] = opt(
        ..., "kitchen | freshness | foodseg | foodrec", positional=True, metavar="task")
    data: str = opt(..., "dataset folder (foodseg/foodrec: FoodSeg103 or COCO layout)")
    model: str | None = opt(None, "kitchen: thinseg (default) | unet | lraspp | deeplabv3; freshness, foodrec: "
                            "mobilenetv3 (default) | resnet18 | resnet50, foodrec also foodrec-thin (with --init-from "
                            "a foodseg-thin run); foodseg: foodseg-thin (default) | foodseg-edge | foodseg-edge-small | "
                            "foodseg-r50; with --from: the checkpoint's")
    variant: Literal["single-seg", "single-labels", "multi"] = opt(
        "multi", "foodseg: train the mask head, the ingredient-label head, or both on one encoder", flag="--task")
    mask_evidence: bool = opt(False, "foodseg --task multi: the ingredient head also reads each food's peak "
                              "probability in the mask head's output")
    init_from: str | None = opt(None, "foodseg, foodrec: initialise the encoder from a foodcam checkpoint (e.g. a "
                                "single-seg run's best.pt; foodrec-thin takes a foodseg-thin run's whole mask network)")
    imgsz: PositiveInt | None = opt(None, "square input size (default 256; with --from: the checkpoint's)")
    epochs: PositiveInt | None = opt(None, "default 30; with --from: 12 (freshness: 30); with --time-budget: a ceiling (default 1000)")
    time_budget: PositiveFloat | None = opt(
        None, "end the run within MIN minutes of wall-clock time: the LR schedule follows the clock and the last "
        "epoch is cut short so its validation still fits", metavar="MIN")
    threads: ThreadCount | None = opt(None, "CPU threads for torch (default: torch's own choice)")
    batch: PositiveInt = 8
    lr: LearningRate | None = opt(None, "learning rate (default 2e-3; with --from: 0.2x the checkpoint's, freshness 1x), or 'find' "
                                  "for a short LR sweep (lr_find.png) whose suggestion is used")
    from_ckpt: str | None = opt(None, "fine-tune this checkpoint: its weights, task and architecture, a short "
                                "schedule", flag="--from", metavar="CKPT")
    holdout: str | None = opt(
        None, "with --from (kitchen, freshness): the user's frames held back from training to compare the base and "
        "the fine-tuned model on at the end: a share of the train frames (default 0.2, at least 2; seeded by "
        "--seed), a labelled folder of their own, or 0 for no comparison", metavar="SHARE|DIR")
    freeze_encoder: bool = opt(False, "with --from: keep the backbone fixed, train the rest")
    replay: NonNegativeInt | None = opt(
        None, "kitchen: mix N synthetic frames of the training styles into every epoch, so a fine-tune on a few "
        "frames keeps what the base knew (default: 64 with --from, else 0)", metavar="N")
    weight_decay: NonNegativeFloat = 1e-4
    width: PositiveFloat | None = opt(None, "unet: base channels (default 32); thinseg, foodseg-thin, foodrec-thin: "
                                      "channel multiplier (default 1.0)")
    init: str | None = opt(None, "local backbone state dict (weights only); nothing is downloaded")
    pretrained: bool = opt(False, "ImageNet backbone weights through torchvision's weights API: read from torch's "
                           "cache ($TORCH_HOME/hub/checkpoints), downloaded there only when absent (mobilenetv3, "
                           "resnet18/50, lraspp, deeplabv3, foodseg-*)")
    out: str | None = opt(None, "run folder (best.pt, last.pt, metrics.csv, curves.png; default: a new "
                          "runs/train/trainN)")
    resume: bool = opt(False, "continue from OUT/last.pt")
    seed: NonNegativeInt = 0
    workers: NonNegativeInt = opt(0, "data loader worker processes")
    cache: Literal["auto", "ram", "off"] | None = opt(
        None, "kitchen: decode every frame once, into memory (default auto: when they fit in 2 GiB)")
    device: str | None = opt(None, "cpu | cuda | cuda:N (default: cuda when present)")
    max_dist: NonNegativeFloat = opt(100.0, "mask colour tolerance (RGB distance)")
    boundary_weight: NonNegativeFloat = opt(2.0, "segmentation: extra cross-entropy weight on pixels within 2 px of "
                                            "a class edge (0: off)")
    tools: Fraction | None = opt(
        None, "kitchen: share of training frames into which procedural tools (any head, handle, material and colour; "
        "lit, shadowed, partly buried, sometimes held) are pasted (default 0: off)", metavar="P")
    copy_paste: Fraction | None = opt(
        None, "kitchen, with --from: share of training frames into which the user's own labelled tools, cut from their "
        "frames, are pasted at a random place, scale and angle (default 0.5 with --from)", metavar="P")
    repaint: Fraction | None = opt(
        None, "kitchen: share of augmented frames repainted (any hue, shuffled channels or grey) so the model finds "
        "things by shape (default 0.3; 0: off, to lean on your kitchen's own colours)", metavar="P")
    class_weight_power: FiniteFloat | None = opt(
        None, "segmentation: cross-entropy class weights ~ pixel share^-P (default 0: unweighted; 0.5: 1/sqrt)")
    loss_weights: str | None = opt(None, "per-head loss weights, e.g. fruit=1,freshness=2 or mask=1,ingredients=0.5 "
                                   "(foodseg: CE on the mask + BCE on the labels)")
    freeze: bool = opt(False, "classifiers: freeze the backbone's stem and early stages")
    finetune_last: bool = opt(False, "classifiers: train only the last stage and the heads")


class TrainOptions(SimpleNamespace):
    """One training run's options: a TrainConfig's fields with the run folder, then completed by the run where the
    config leaves a choice to it (train/finetune.py's resolve_defaults: --from's model, size and schedule; the
    default model; --lr find's rate). Training code reads these, never a command line."""

    @classmethod
    def from_config(cls, cfg: TrainConfig, out: str) -> TrainOptions:
        return cls(**{**cfg.model_dump(), "out": out})
