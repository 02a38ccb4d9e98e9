"""JSON from outside (ONNX metadata, engine sidecars, bench reports, datagrams), parsed with limits.

`json.loads` recurses once per nesting level: 1,500 `[` characters raise RecursionError, and a deep
structure that does load breaks every later `json.dumps` or walk over it. `load_json` measures the nesting
depth first, without recursion (strings masked out, brackets counted with numpy), and refuses what is too
deep or too large with a one-line FoodcamError naming the input.
"""

from __future__ import annotations

import json
import math
import os
import re

import numpy as np

from foodcam.runtime.errors import FoodcamError

MAX_DEPTH = 32  # no foodcam document nests deeper than ~6 levels
MAX_BYTES = 64 << 20
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text (strings ignored); no recursion, linear time."""
    bare = _STRING.sub("", text)
    codes = np.frombuffer(bare.encode("utf-8", "surrogatepass"), np.uint8)
    step = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(codes, (ord("]"), ord("}")))
    return int(np.cumsum(step).max()) if step.size else 0


def _finite(x: str) -> float:
    raise ValueError(f"{x} is not a finite number")


def load_json(text: str | bytes, where: object, what: str = "JSON", max_depth: int = MAX_DEPTH,
              max_bytes: int = MAX_BYTES, allow_nonfinite: bool = False) -> object:
    """Parse `text`; FoodcamError("{where}: {what} ...") for invalid, too deep or too large input.

    NaN / Infinity (which Python's json accepts by default) are refused unless `allow_nonfinite`."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        if len(text) > max_bytes:
            raise FoodcamError(f"{where}: {what} is {len(text)} bytes, more than the {max_bytes} allowed")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise FoodcamError(f"{where}: {what} is not UTF-8 text (byte {e.start})") from None
    if len(text) > max_bytes:
        raise FoodcamError(f"{where}: {what} is {len(text)} characters, more than the {max_bytes} allowed")
    depth = nesting_depth(text)
    if depth > max_depth:
        raise FoodcamError(f"{where}: {what} nests {depth} levels deep (at most {max_depth} allowed)")
    try:
        return json.loads(text, parse_constant=None if allow_nonfinite else _finite)
    except (ValueError, RecursionError) as e:  # RecursionError: belt and braces, depth is checked above
        msg = " ".join(str(e).split())[:120]
        raise FoodcamError(f"{where}: {what} is not valid JSON ({msg})") from None


def finite_number(x: object) -> bool:
    """A real int or float (not bool) that is finite as a float (10**400 is not: it overflows one)."""
    if not isinstance(x, (int, float)) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(float(x))
    except OverflowError:
        return False


def json_safe(x, digits: int | None = None):
    """A value standard JSON can hold: NaN/inf (a class absent from truth and prediction) -> null, numpy scalars
    -> Python, tuples -> lists, keys -> str, paths -> str; finite floats rounded to `digits` decimals when given.
    The one cleaner: atomic JSON files (runtime/imageio.py) and JSON Lines (camera/jsonl.py) both use it."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x):
            return None
        return x if digits is None else round(x, digits)
    if isinstance(x, dict):
        return {str(k): json_safe(v, digits) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v, digits) for v in x]
    if isinstance(x, os.PathLike):
        return os.fspath(x)
    return x
