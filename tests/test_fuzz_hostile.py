"""Seeded fuzzing of the hostile-input surfaces, each case in a child process under a 3 GB memory cap and a time
limit (tests/fuzz_capped.py, tests/fuzz_worker.py): line.yaml and --config YAML, numeric flags and synth:// URIs
through the CLI parser, the CVAT / LabelMe / COCO importers, and image headers. A traceback, a crash (the cap, a
segfault) or a hang is a finding; a one-line FoodcamError or argparse error is a rejection.

    pytest tests/test_fuzz_hostile.py                 # fast lane: ~40 cases per surface
    pytest -m slow tests/test_fuzz_hostile.py         # >= 10,000 cases (FOODCAM_FUZZ_HOSTILE=N per surface)
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import zipfile

import cv2
import numpy as np
import pytest
import yaml
from fuzz_capped import run_cases
from fuzzing import mutate_bytes, mutate_obj
from test_line_config import BASE as LINE_BASE

FAST = 40
SLOW = int(os.environ.get("FOODCAM_FUZZ_HOSTILE") or 1500)
LAUGHS = "\n".join(["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
                   + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)])


def _text_variants(rng: random.Random, base: dict, n: int, dump) -> list[str]:
    """Structure edits (dumped), byte edits of the dumped text, and a few known-hostile documents."""
    text = dump(base)
    special = [LAUGHS + "\n" + text, text + "\nx: " + "9" * 5000, "[" * 5000 + "]" * 5000, "{" * 200, "a: *nope",
               text.replace(": ", ": !!python/object/apply:os.system ['true'] #", 1), "\x00" * 100, ""]
    out = []
    for k in range(n):
        r = rng.random()
        if k < len(special) and r < 0.3:
            out.append(special[k])
        elif r < 0.6:
            out.append(dump(mutate_obj(rng, base)))
        else:
            out.append(mutate_bytes(rng, text.encode()).decode("utf-8", "surrogateescape"))
    return out


def _yaml_dump(d) -> str:
    try:
        return yaml.safe_dump(d, sort_keys=False, allow_unicode=True)
    except (yaml.YAMLError, RecursionError, ValueError):
        return "x: 1\n"


def _json_dump(d) -> str:
    try:
        return json.dumps(d)
    except (ValueError, RecursionError):
        return "{}"


def line_cases(rng, n):
    return _text_variants(rng, yaml.safe_load(LINE_BASE), n, _yaml_dump)


CONFIG = {"model": "m.onnx", "source": "synth://kitchen?fps=0&size=64x48", "threads": 2, "max-frames": 5,
          "max-seconds": 2.5, "alpha": 0.5, "fps": 15, "retry-for": 3, "save": ["out.mp4"], "loop": True}


def config_cases(rng, n):
    return _text_variants(rng, CONFIG, n, _yaml_dump)


NUMBERS = ["0", "-1", "1", "2", "1e-300", "1e300", "nan", "inf", "-inf", "9223372036854775808", "100000", "9" * 5000,
           "0x10", "1_000", " 3", "", "\x00", "1.5", "-0", "2147483648", "1e9", "abc"]
FLAGS = {"run": ["--threads", "--max-frames", "--max-seconds", "--fps", "--batch", "--alpha", "--retry-for",
                 "--events-interval", "--keep", "--collect-every", "--collect-max"],
         "sort": ["--max-frames", "--max-seconds", "--sim-latency"],
         "predict": ["--topk", "--alpha"]}


def _synth(rng) -> str:
    parts = []
    for key in rng.sample(["fps", "size", "seed", "style", "zz"], rng.randint(0, 4)):
        v = rng.choice(NUMBERS) if key != "size" else rng.choice(
            ["64x48", "99999x99999", "0x0", "-1x5", "8192x8192", "16x16", "1e3x2", "axb", "x", "64x48x3"])
        parts.append(f"{key}={v}")
    return f"synth://{rng.choice(['kitchen', 'conveyor', 'fruit', 'nope'])}?" + "&".join(parts)


def argv_cases(rng, n):
    out = []
    for _ in range(n):
        verb = rng.choice(list(FLAGS))
        argv = [verb]
        if verb == "predict":
            argv += ["--weights", "m.onnx", "--source", "x.jpg"]
        else:
            argv += ["--model", "m.onnx", "--source", _synth(rng)] + (["--line", "l.yaml"] if verb == "sort" else [])
        for flag in rng.sample(FLAGS[verb], rng.randint(1, min(3, len(FLAGS[verb])))):
            argv += [flag, rng.choice(NUMBERS)]
        out.append(argv)
    return out


COCO = {"images": [{"id": 1, "file_name": "a.jpg", "height": 30, "width": 40}],
        "categories": [{"id": 1, "name": "food"}, {"id": 7, "name": "rice"}],
        "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[2, 2, 20, 2, 20, 20, 2, 20]]},
                        {"id": 2, "image_id": 1, "category_id": 7,
                         "segmentation": {"size": [30, 40], "counts": [300, 100, 800]}},
                        {"id": 3, "image_id": 1, "category_id": 7,
                         "segmentation": {"size": [30, 40], "counts": "k45i000000ml0"}}]}
LABELME = {"version": "5.4.1", "flags": {}, "imagePath": "frame.jpg", "imageData": None, "imageHeight": 30,
           "imageWidth": 40, "shapes": [
               {"label": "food", "points": [[2, 2], [20, 2], [20, 20]], "shape_type": "polygon"},
               {"label": "pan", "points": [[1, 1], [30, 25]], "shape_type": "rectangle"},
               {"label": "stirrer", "points": [[5, 5], [9, 9]], "shape_type": "circle"},
               {"label": "stirrer", "points": [[0, 0], [39, 29], [3, 28]], "shape_type": "linestrip"}]}


def coco_cases(rng, n):
    return _text_variants(rng, COCO, n, _json_dump)


def labelme_cases(rng, n):
    return _text_variants(rng, LABELME, n, _json_dump)


def _cvat_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("labelmap.txt", "# label:color_rgb:parts:actions\nbackground:0,0,0::\nspatula:250,50,83::\n")
        z.writestr("ImageSets/Segmentation/default.txt", "f0\n")
        mask = np.zeros((30, 40, 3), np.uint8)
        mask[5:10, 5:30] = (83, 50, 250)  # BGR of spatula
        z.writestr("SegmentationClass/f0.png", cv2.imencode(".png", mask)[1].tobytes())
        z.writestr("JPEGImages/f0.jpg", cv2.imencode(".jpg", np.full((30, 40, 3), 90, np.uint8))[1].tobytes())
    return buf.getvalue()


def cvat_cases(rng, n):
    base = _cvat_zip()
    return [base if k == 0 else mutate_bytes(rng, base) for k in range(n)]


def _image_bases() -> list[bytes]:
    img = np.random.default_rng(0).integers(0, 256, (30, 40, 3), np.uint8)
    return [cv2.imencode(ext, img)[1].tobytes() for ext in (".jpg", ".png", ".bmp", ".webp")]


def image_cases(rng, n):
    bases, out = _image_bases(), []
    for _ in range(n):
        data = bytearray(rng.choice(bases))
        if rng.random() < 0.3:  # declare another size in the header
            w, h = rng.choice([(65000, 65000), (20000, 20000), (0, 0), (1, 100000), (8000, 8000), (40, 30)])
            if data[:2] == b"\xff\xd8":
                i = data.find(b"\xff\xc0")
                data[i + 5:i + 9] = struct.pack(">HH", min(h, 65535), min(w, 65535))
            elif data[:4] == b"\x89PNG":
                data[16:24] = struct.pack(">II", w, h)
            elif data[:2] == b"BM":
                data[18:26] = struct.pack("<ii", w, h)
        out.append(bytes(data) if rng.random() < 0.3 else mutate_bytes(rng, bytes(data)))
    return out


SURFACES = {"line_yaml": line_cases, "config_yaml": config_cases, "argv": argv_cases, "coco": coco_cases,
            "labelme": labelme_cases, "cvat": cvat_cases, "image": image_cases}


def _fuzz(kind: str, n: int, seed: int = 0) -> None:
    cases = SURFACES[kind](random.Random(f"{kind}-{seed}"), n)
    labels = [repr(c)[:80] for c in cases]
    run_cases(kind, cases, labels).check()


@pytest.mark.parametrize("kind", sorted(SURFACES))
def test_fuzz_hostile_fast(kind):
    _fuzz(kind, FAST)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SURFACES))
def test_fuzz_hostile_slow(kind):
    _fuzz(kind, SLOW, seed=1)
