"""Reading images of any depth/channel layout as BGR uint8, listing image inputs, atomic writes (bytes, text,
images, JSON)."""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import json_safe  # noqa: F401 - imageio.json_safe, as before

log = logging.getLogger("foodcam.runtime")

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


MAX_SIZE_SIDE = 16384  # a frame size asked for on the command line or in a URI


def parse_size(text: str) -> tuple[int, int]:
    """'WxH' -> (W, H); ValueError naming the text when it is not two integers in 1..MAX_SIZE_SIDE."""
    t = str(text)
    try:
        w, h = (int(v) for v in t.lower().split("x")) if len(t) <= 32 else (0, 0)
    except ValueError:
        w = h = 0
    if not (0 < w <= MAX_SIZE_SIDE and 0 < h <= MAX_SIZE_SIDE):
        raise ValueError(f"size {t[:40]!r}: expected WxH with sides 1-{MAX_SIZE_SIDE}, e.g. 320x240")
    return w, h


MAX_PIXELS = 50_000_000  # decoded at full size up to here (an 8160x6120 phone photo); the app's limit too
MAX_IMAGE_BYTES = 256 << 20
REDUCED = ((2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4), (8, cv2.IMREAD_REDUCED_COLOR_8))


def _megapixels(w: int, h: int) -> str:
    return f"{w}x{h} ({w * h / 1e6:.0f} MP)"


def decode_image(data: bytes | np.ndarray, name: object) -> np.ndarray:
    """Encoded image bytes -> BGR uint8 under the one decode policy of every entry point (predict, sources,
    dataset readers, the app): the header is read first; up to MAX_PIXELS an image is decoded at full size,
    a larger JPEG at 1/2, 1/4 or 1/8 scale by the JPEG decoder itself, any other larger image is refused.
    FoodcamError naming `name` otherwise."""
    from foodcam.runtime.imagesize import header_size

    buf = np.frombuffer(data, np.uint8) if isinstance(data, (bytes, bytearray, memoryview)) else data
    if buf.size == 0:
        raise FoodcamError(f"{name}: not a readable image (empty, truncated or unknown format)")
    if buf.size > MAX_IMAGE_BYTES:
        raise FoodcamError(f"{name}: {buf.size / 2**20:.0f} MiB; images are read up to {MAX_IMAGE_BYTES >> 20} MiB")
    head = header_size(buf[:65536].tobytes())
    flag = cv2.IMREAD_UNCHANGED
    if head is not None:
        fmt, w, h = head
        if w == 0 or h == 0:
            raise FoodcamError(f"{name}: not a readable image ({fmt} header says {w}x{h} pixels)")
        if w * h > MAX_PIXELS:
            fits = [(k, f) for k, f in REDUCED if w * h / (k * k) <= MAX_PIXELS] if fmt == "JPEG" else []
            if not fits:
                raise FoodcamError(f"{name}: {_megapixels(w, h)} {fmt} is too large; images are read up to "
                                   f"{MAX_PIXELS / 1e6:.0f} MP (a JPEG up to {64 * MAX_PIXELS / 1e6:.0f} MP at "
                                   "reduced scale): downscale it first")
            k, flag = fits[0]
            log.warning("%s: %s decoded at 1/%d scale", name, _megapixels(w, h), k)
    try:
        img = cv2.imdecode(buf, flag)
    except cv2.error as e:  # OpenCV's own limits (a format whose header this does not read)
        raise FoodcamError(f"{name}: not a readable image ({' '.join(str(e).split())[-120:]})") from None
    if img is None or img.size == 0:
        raise FoodcamError(f"{name}: not a readable image (empty, truncated or unknown format)")
    return to_bgr8(img)


def read_image(path: str | os.PathLike) -> np.ndarray:
    """Read an image file as BGR uint8 (decode_image's policy); FoodcamError naming the file when missing,
    too large or undecodable."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such file")
    if p.stat().st_size > MAX_IMAGE_BYTES:
        raise FoodcamError(f"{p}: {p.stat().st_size / 2**20:.0f} MiB; images are read up to "
                           f"{MAX_IMAGE_BYTES >> 20} MiB")
    return decode_image(np.fromfile(str(p), dtype=np.uint8), p)


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
