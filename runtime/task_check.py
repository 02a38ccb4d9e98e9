"""The one validator for a task description read from outside: checkpoints, ONNX metadata, engine sidecars.

`TaskSpec.from_dict` calls `check_task_dict` before building anything, so a description that is a string,
a list, has no heads or no classes, colours given as strings, an input size of [0, 0] or [96], a NaN mean
or a zero std gets one FoodcamError naming the field and what was expected, never an AttributeError,
IndexError or cv2.error later in the runtime.
"""

from __future__ import annotations

from foodcam.runtime.calibration_spec import check_calibration
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import finite_number

KINDS = ("segmentation", "classification", "multilabel")
RESIZE_MODES = ("stretch",)
MIN_SIZE, MAX_SIZE = 8, 8192  # input height / width in pixels
MAX_HEADS = 16
MAX_SEG_CLASSES = 255  # a uint8 mask; 255 is IGNORE_INDEX
MAX_CLASSES = 100_000


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, field: str, value: object, expected: str):
        raise FoodcamError(f"{self.where}task description: {field} is {_show(value)}, expected {expected}")

    def text(self, field: str, value: object, empty_ok: bool = False) -> str:
        if not isinstance(value, str) or (not empty_ok and not value.strip()) or len(value) > 4096:
            self.fail(field, value, "a string" if empty_ok else "a non-empty string")
        return value

    def seq(self, field: str, value: object, lo: int, hi: int, what: str) -> list:
        if not isinstance(value, (list, tuple)) or not lo <= len(value) <= hi:
            self.fail(field, value, f"a list of {lo}..{hi} {what}" if lo != hi else f"a list of {lo} {what}")
        return list(value)


def check_task_dict(d: object, where: object = "") -> dict:
    """Validate a task description dict (TaskSpec.to_dict's shape); return it. Errors name `where`."""
    c = _Checker(f"{where}: " if where != "" else "")
    if not isinstance(d, dict):
        c.fail("the description", d, "a JSON object with name, heads, input_size, mean, std")
    for key in ("name", "heads", "input_size", "mean", "std"):
        if key not in d:
            raise FoodcamError(f"{c.where}task description has no {key!r} field")
    c.text("name", d["name"])
    heads = c.seq("heads", d["heads"], 1, MAX_HEADS, "heads")
    names = set()
    for i, h in enumerate(heads):
        _check_head(c, f"heads[{i}]", h)
        if h["name"] in names:
            c.fail(f"heads[{i}].name", h["name"], "a name no other head has")
        names.add(h["name"])
    size = c.seq("input_size", d["input_size"], 2, 2, "integers (height, width)")
    if not all(isinstance(v, int) and not isinstance(v, bool) and MIN_SIZE <= v <= MAX_SIZE for v in size):
        c.fail("input_size", size, f"[height, width] integers in {MIN_SIZE}..{MAX_SIZE}")
    if d.get("mask_size") is not None:
        out = c.seq("mask_size", d["mask_size"], 2, 2, "integers (height, width)")
        if not all(isinstance(v, int) and not isinstance(v, bool) and MIN_SIZE <= v <= MAX_SIZE for v in out):
            c.fail("mask_size", out, f"null or [height, width] integers in {MIN_SIZE}..{MAX_SIZE}")
    mean = c.seq("mean", d["mean"], 3, 3, "numbers")
    if not all(finite_number(v) for v in mean):
        c.fail("mean", mean, "three finite numbers")
    std = c.seq("std", d["std"], 3, 3, "numbers")
    if not all(finite_number(v) and v > 0 for v in std):
        c.fail("std", std, "three finite numbers above zero")
    if d.get("resize", "stretch") not in RESIZE_MODES:
        c.fail("resize", d.get("resize"), f"one of {', '.join(RESIZE_MODES)}")
    c.text("description", d.get("description", ""), empty_ok=True)
    if not isinstance(d.get("extra", {}), dict):
        c.fail("extra", d.get("extra"), "a JSON object")
    return d


def _check_head(c: _Checker, at: str, h: object) -> None:
    if not isinstance(h, dict):
        c.fail(at, h, "a head object with name, kind and classes")
    for key in ("name", "kind", "classes"):
        if key not in h:
            raise FoodcamError(f"{c.where}task description: {at} has no {key!r} field")
    c.text(f"{at}.name", h["name"])
    if h["kind"] not in KINDS:
        c.fail(f"{at}.kind", h["kind"], f"one of {', '.join(KINDS)}")
    most = MAX_SEG_CLASSES if h["kind"] == "segmentation" else MAX_CLASSES
    classes = c.seq(f"{at}.classes", h["classes"], 1, most, "class names")
    for j, name in enumerate(classes):
        c.text(f"{at}.classes[{j}]", name)
    if len(set(classes)) != len(classes):
        c.fail(f"{at}.classes", classes, "distinct class names")
    threshold = h.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0.0 < threshold < 1.0):
        c.fail(f"{at}.threshold", threshold, "null or a number inside 0..1")
    calibration = h.get("calibration") if isinstance(h, dict) else None
    if calibration is not None:
        if isinstance(h, dict) and h.get("kind") != "classification":
            c.fail(f"{at}.calibration", calibration, "null (only classification heads are calibrated)")
        check_calibration(calibration, f"{c.where}task description: {at}.calibration")
    colours = h.get("colours")
    if colours is None or colours == []:
        return
    if h["kind"] != "segmentation":
        c.fail(f"{at}.colours", colours, "null (only segmentation heads have colours)")
    colours = c.seq(f"{at}.colours", colours, len(classes), len(classes), "[r, g, b] colours, one per class")
    for j, rgb in enumerate(colours):
        if (not isinstance(rgb, (list, tuple)) or len(rgb) != 3
                or not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 255 for v in rgb)):
            c.fail(f"{at}.colours[{j}]", rgb, "[r, g, b] integers in 0..255")
