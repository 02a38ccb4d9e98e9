"""The typed configs of the PyTorch side's verbs (foodcam/verbconfig.py): each is the verb's one schema, its flags,
`--config FILE.yaml` keys and Python keywords. Light: no torch import, so the CLI builds its parsers fast."""

from __future__ import annotations

from typing import Annotated

from foodcam.argtypes import Fraction, PositiveInt, field_check
from foodcam.pinned import sha256_hex
from foodcam.verbconfig import VerbConfig, opt

Sha256 = Annotated[str, field_check(sha256_hex, str)]  # 64 hex digits

MODEL_FILE = ".pt, .onnx, .engine or a served model grpc://HOST:8001/NAME"
VERIFY = "also compare the model file's full sha256 with the one recorded at export/build"
PIN = "refuse a model file whose sha256 is not HEX (pin the validated model)"


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
