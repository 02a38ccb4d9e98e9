"""`--model-sha256 HEX` on the verbs that open a model (run, sort, predict, eval, app: a `model_sha256` field of
their config, foodcam/verbconfig.py; each verb's core calls `check` once, before it opens the file): a deployment pins the
exact model file it was validated with, and any other file (tampered, swapped, damaged) is refused in one line
before it is opened. (The integrity record inside a model file detects damage; only a hash kept outside the file
detects tampering: docs/security.md.)

    foodcam run --model /models/kitchen.onnx --model-sha256 3f2a...c9 --source csi://0
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

from foodcam.runtime.errors import FoodcamError

OPTION = "--model-sha256"
MODEL_KEYS = ("model", "weights")  # the flags those verbs name their model file with
_HEX = re.compile(r"[0-9a-fA-F]{64}")


def sha256_hex(text: str) -> str:
    """An argparse type: 64 hex digits."""
    t = str(text).strip()
    if not _HEX.fullmatch(t):
        raise argparse.ArgumentTypeError(f"expected 64 hex digits (sha256sum's output), got {t[:70]!r}")
    return t.lower()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def check(args: object) -> None:
    """FoodcamError naming the file when the verb's model file does not have the pinned sha256 (`args`: a verb's
    config with `model_sha256` and `model` or `weights`)."""
    want = getattr(args, "model_sha256", None)
    if want is None:
        return
    paths: list = []
    for key in MODEL_KEYS:
        v = getattr(args, key, None)
        paths += v if isinstance(v, list) else [v] if v else []
    if not paths:
        raise FoodcamError(f"{OPTION}: this command names no model file to check")
    for p in paths:
        path = Path(str(p))
        if "://" in str(p):
            raise FoodcamError(f"{OPTION}: {p} is a served model, not a file; pin the file in the server's repository")
        if not path.is_file():
            raise FoodcamError(f"{path}: no such model file")
        got = file_sha256(path)
        if got != want:
            raise FoodcamError(f"{path}: sha256 is {got}, not the pinned {want} ({OPTION}); refusing to open it")
