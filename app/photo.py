"""The one door a photo comes in by: an uploaded file (or its bytes) -> a BGR uint8 frame, or a FoodcamError that
says in one line what is wrong with it.

    photo = load_photo("upload.png")          # Photo(frame, name, size, notes)
    photo.frame                               # (H, W, 3) uint8 BGR, as `foodcam predict` reads the same file

Accepted: JPEG, PNG, BMP and WebP; grayscale, alpha and 16-bit images are converted (and the conversion is noted).
The header is read before any pixel is decoded, so a file claiming to be huge costs nothing: up to MAX_PIXELS an
image is decoded at full size; a larger JPEG is decoded at 1/2, 1/4 or 1/8 scale by the JPEG decoder itself; a
larger PNG/BMP/WebP is refused. Images smaller than MIN_SIDE pixels on a side are refused. MAX_PIXELS and the
reduced JPEG scales are the runtime's (runtime/imageio.py): `foodcam predict`, sources and dataset readers decode
under the same policy.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import MAX_PIXELS, REDUCED, to_bgr8

FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "BMP": "BMP", "WEBP": "WebP"}  # PIL's name -> the name users know
MAX_BYTES = 64 * 1024 * 1024
MIN_SIDE = 16


@dataclass
class Photo:
    frame: np.ndarray  # (H, W, 3) uint8 BGR
    name: str  # the file name the user gave it
    size: tuple[int, int]  # (W, H) as stored in the file
    format: str
    notes: list[str] = field(default_factory=list)  # conversions done on the way in

    @property
    def stem(self) -> str:
        """The name reduced to a safe file stem for outputs (letters, digits, - and _)."""
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(self.name).stem).strip("_")[:48]
        return stem or "photo"


def _megapixels(w: int, h: int) -> str:
    return f"{w}x{h} ({w * h / 1e6:.0f} MP)"


def _open(data: bytes) -> Image.Image:
    """PIL's lazy open (header only); its size warning is ours to decide on (MAX_PIXELS), not a log line."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _header(data: bytes, name: str) -> tuple[str, int, int]:
    """(format, width, height) from the header alone; FoodcamError for anything that is not an accepted image."""
    try:
        with _open(data) as im:
            fmt, (w, h) = im.format, im.size
    except Image.DecompressionBombError:
        raise FoodcamError(f"{name}: image too large; this page takes at most {MAX_PIXELS / 1e6:.0f} MP") from None
    except Exception:  # PIL raises several types for garbage; each means the same to a user
        raise FoodcamError(f"{name}: not an image (expected a JPEG, PNG, BMP or WebP file)") from None
    if fmt not in FORMATS:
        raise FoodcamError(f"{name}: {fmt} images are not accepted (expected JPEG, PNG, BMP or WebP)")
    return fmt, int(w), int(h)


def _check_jpeg_complete(data: bytes, name: str) -> None:
    """Older OpenCV decodes a truncated JPEG into a half-grey picture without an error; decoding at 1/8 scale reads
    the whole entropy-coded stream cheaply and fails on a cut one."""
    try:
        with _open(data) as im:
            im.draft("RGB", (max(1, im.size[0] // 8), max(1, im.size[1] // 8)))
            im.load()
    except Exception:
        raise FoodcamError(f"{name}: truncated or corrupt JPEG (the file ends before the image does)") from None


def _notes(img: np.ndarray) -> list[str]:
    notes = []
    if img.dtype != np.uint8:
        notes.append(f"{img.dtype.itemsize * 8}-bit samples scaled to 8-bit")
    channels = 1 if img.ndim == 2 else img.shape[2]
    if channels == 1:
        notes.append("grayscale converted to colour")
    elif channels == 4:
        notes.append("alpha channel dropped")
    return notes


def decode_photo(data: bytes, name: str = "photo") -> Photo:
    """Bytes of an uploaded file -> Photo; FoodcamError naming the file and the reason when it cannot be used."""
    if not data:
        raise FoodcamError(f"{name}: empty file")
    if len(data) > MAX_BYTES:
        raise FoodcamError(f"{name}: {len(data) / 2**20:.0f} MiB; this page takes files up to {MAX_BYTES // 2**20} MiB")
    fmt, w, h = _header(data, name)
    if min(w, h) < MIN_SIDE:
        raise FoodcamError(f"{name}: {w}x{h} pixels is too small; expected at least {MIN_SIDE} pixels on each side")
    buf = np.frombuffer(data, np.uint8)
    notes: list[str] = []
    if fmt == "JPEG":
        _check_jpeg_complete(data, name)
        flag, scale = cv2.IMREAD_COLOR, 1  # JPEG is 8-bit; IMREAD_COLOR also applies the EXIF orientation
        if w * h > MAX_PIXELS:
            fits = [(s, f) for s, f in REDUCED if w * h / (s * s) <= MAX_PIXELS]
            if not fits:
                raise FoodcamError(f"{name}: {_megapixels(w, h)} is too large even at 1/8 scale")
            scale, flag = fits[0]
            notes.append(f"{_megapixels(w, h)} decoded at 1/{scale} scale")
        img = cv2.imdecode(buf, flag)
    else:
        if w * h > MAX_PIXELS:
            raise FoodcamError(f"{name}: {_megapixels(w, h)} {FORMATS[fmt]} is too large; this page takes at most "
                               f"{MAX_PIXELS / 1e6:.0f} MP (or a JPEG of any size): downscale it first")
        img = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    if img is None or img.size == 0:
        raise FoodcamError(f"{name}: truncated or corrupt {FORMATS[fmt]} (could not decode its pixels)")
    notes = _notes(img) + notes
    return Photo(frame=to_bgr8(img), name=name, size=(w, h), format=FORMATS[fmt], notes=notes)


def load_photo(path: str | os.PathLike, name: str | None = None) -> Photo:
    """An uploaded file on disk -> Photo (see decode_photo); `name` is what the user called it."""
    p = Path(path)
    label = name or p.name
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise FoodcamError(f"{label}: {size / 2**20:.0f} MiB; this page takes files up to {MAX_BYTES // 2**20} MiB")
        data = p.read_bytes()
    except OSError as e:
        raise FoodcamError(f"{label}: could not read the upload ({e.strerror or e})") from None
    return decode_photo(data, label)


def raw_upload(payload) -> tuple[str, str | bytes] | None:
    """Preprocess for the page's gr.Image: its upload (a Gradio FileData) reaches the handler untouched, as
    (name, path) for a file or (name, bytes) for a data URL, so decoding and every check happen once, here, and not
    in PIL inside Gradio (which fails on a non-image with a message of its own)."""
    if payload is None:
        return None
    url = getattr(payload, "url", None) or ""
    if url.startswith("data:"):
        try:
            data = base64.b64decode(url.partition(",")[2], validate=True)
        except (binascii.Error, ValueError):
            data = b""
        return payload.orig_name or "webcam", data
    if payload.path is None:
        return None
    return payload.orig_name or Path(payload.path).name, payload.path


def open_upload(value: tuple[str, str | bytes]) -> Photo:
    """What raw_upload passed on -> Photo (or the FoodcamError saying why not)."""
    name, src = value
    return decode_photo(src, name) if isinstance(src, bytes) else load_photo(src, name)
