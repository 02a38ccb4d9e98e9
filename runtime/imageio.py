"""Reading images of any depth/channel layout as BGR uint8, listing image inputs, atomic writes (bytes, text,
images, JSON)."""

from __future__ import annotations

import contextlib
import glob
import json
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
from foodcam.runtime.errors import FoodcamError

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once at import: os.umask can only be read by setting it

IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp")


def to_bgr8(img: np.ndarray) -> np.ndarray:
    """Any decoded image (grayscale, BGRA, 16-bit, float) as 3-channel BGR uint8."""
    if img.dtype == np.uint16:
        img = (img.astype(np.float32) / 257.0).round().astype(np.uint8)
    elif img.dtype != np.uint8:
        img = np.clip(img.astype(np.float32) * (255.0 if img.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 1:
        return cv2.cvtColor(img[:, :, 0], cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(img[:, :, :3])


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' -> (W, H); ValueError naming the text when it is not two positive integers."""
    try:
        w, h = (int(v) for v in str(text).lower().split("x"))
    except ValueError:
        w = h = 0
    if w <= 0 or h <= 0:
        raise ValueError(f"size {text!r}: expected WxH, e.g. 320x240")
    return w, h


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as BGR uint8; FoodcamError naming the file when missing or undecodable."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such file")
    data = np.fromfile(str(p), dtype=np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if img is None:
        raise FoodcamError(f"{p}: not a readable image (empty, truncated or unknown format)")
    return to_bgr8(img)


def is_image(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in IMAGE_EXTS


def list_images(source: str | os.PathLike) -> list[Path]:
    """Images named by a file, a directory (sorted, non-recursive) or a glob pattern."""
    s = str(source)
    p = Path(s)
    if p.is_dir():
        return sorted(q for q in p.iterdir() if q.is_file() and is_image(q))
    if p.is_file():
        return [p]
    if any(ch in s for ch in "*?["):
        return sorted(Path(q) for q in glob.glob(s, recursive=True) if is_image(q))
    raise FoodcamError(f"{s}: no such file, directory or matching glob")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it onto `path` only if the block succeeds."""
    dst = Path(path)
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dst.stem}.", suffix=dst.suffix, dir=dst.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; the result gets a normal file's permissions
    try:
        yield Path(tmp)
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def json_safe(x):
    """A value standard JSON can hold: NaN/inf (a class absent from truth and prediction) -> null, tuples -> lists,
    keys -> str, paths -> str."""
    if isinstance(x, float):
        return None if math.isnan(x) or math.isinf(x) else x
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, os.PathLike):
        return os.fspath(x)
    return x


def write_json_atomic(path: str | os.PathLike, obj, **dumps_kwargs) -> None:
    """`obj` through json_safe as indented standard JSON, written atomically."""
    write_text_atomic(path, json.dumps(json_safe(obj), indent=2, allow_nan=False, **dumps_kwargs) + "\n")


def write_image(path: str | os.PathLike, img: np.ndarray, jpeg_quality: int = 95) -> None:
    """Encode by extension and write atomically (never a half-written image)."""
    ext = Path(path).suffix.lower() or ".png"
    params = [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)] if ext in (".jpg", ".jpeg") else []
    ok, buf = cv2.imencode(ext, img, params)
    if not ok:
        raise FoodcamError(f"{path}: could not encode image as {ext}")
    write_bytes_atomic(path, buf.tobytes())
