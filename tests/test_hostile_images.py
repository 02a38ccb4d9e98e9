"""Image headers that declare huge sizes: one decode policy (runtime/imageio.decode_image, the app's limits) for
`foodcam predict`, image sources and dataset readers. Files are written here with their header patched; the CLI
runs in a child process capped at 3 GB and 120 s, so a 3.9 GB decode fails the test instead of the machine."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest
from capped import run_cli

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import MAX_PIXELS, read_image
from foodcam.runtime.imagesize import header_size

KITCHEN = "foodcam/assets/kitchen.onnx"


def _jpeg_declaring(w: int, h: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.full((16, 16, 3), 128, np.uint8))
    data = bytearray(buf.tobytes())
    i = data.index(b"\xff\xc0")  # baseline SOF0: length, precision, height, width
    data[i + 5:i + 9] = struct.pack(">HH", h, w)
    return bytes(data)


def _png_declaring(w: int, h: int) -> bytes:
    ok, buf = cv2.imencode(".png", np.zeros((16, 16, 3), np.uint8))
    data = bytearray(buf.tobytes())
    data[16:24] = struct.pack(">II", w, h)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_headers_are_read_without_decoding():
    assert header_size(_jpeg_declaring(20000, 15000)) == ("JPEG", 20000, 15000)
    assert header_size(_png_declaring(65000, 65000)) == ("PNG", 65000, 65000)
    for ext in (".bmp", ".webp", ".png", ".jpg"):
        ok, buf = cv2.imencode(ext, np.zeros((30, 40, 3), np.uint8))
        assert header_size(buf.tobytes())[1:] == (40, 30), ext


@pytest.mark.parametrize(("kind", "side"), [("jpg", 65000), ("png", 20000), ("png", 65000)])
def test_predict_refuses_an_image_declaring_too_many_pixels(kind, side, tmp_path):
    img = tmp_path / f"huge.{kind}"
    img.write_bytes(_jpeg_declaring(side, side) if kind == "jpg" else _png_declaring(side, side))
    r = run_cli("predict", "--weights", KITCHEN, "--source", img, "--out", tmp_path / "out")
    assert r.verdict == "exit" and "Traceback" not in r.err, (r.verdict, r.err[-1500:])
    assert r.rc != 0 and f"{side}x{side}" in r.err and "too large" in r.err, r.err[-1500:]


def test_predict_decodes_a_big_jpeg_at_reduced_scale_within_the_cap(tmp_path):
    img = tmp_path / "big.jpg"
    img.write_bytes(_jpeg_declaring(20000, 20000))  # 3.9 GB at full size; 1/8 scale is 6 MP
    r = run_cli("predict", "--weights", KITCHEN, "--source", img, "--out", tmp_path / "out")
    assert r.clean, (r.verdict, r.err[-1500:])


def test_read_image_applies_the_policy(tmp_path):
    p = tmp_path / "huge.png"
    p.write_bytes(_png_declaring(10000, 10000))
    with pytest.raises(FoodcamError, match=r"huge.png: 10000x10000 \(100 MP\) PNG is too large"):
        read_image(p)
    ok = tmp_path / "ok.png"
    cv2.imwrite(str(ok), np.zeros((30, 40, 3), np.uint8))
    assert read_image(ok).shape == (30, 40, 3) and 40 * 30 < MAX_PIXELS
