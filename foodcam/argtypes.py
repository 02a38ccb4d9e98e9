"""Typed command-line values, checked by argparse before any verb's work (and before torch is imported).

    p.add_argument("--fps", type=positive_float)    # foodcam run: error: --fps: expected a positive number, got 'abc'

Each validator raises argparse.ArgumentTypeError with "expected ..., got ...": argparse prefixes the flag's name,
and `--config FILE.yaml` values go through the same functions (foodcam/config.py). NaN and infinities are refused
everywhere: no flag means "forever" by being infinite.
"""

from __future__ import annotations

import argparse
import math
from typing import Annotated

from pydantic import BeforeValidator

from foodcam.pinned import sha256_hex


def _number(text: str, what: str) -> float:
    if len(str(text)) > 64:
        raise argparse.ArgumentTypeError(f"expected {what}, got {str(text)[:24]!r}... ({len(str(text))} characters)")
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r} (not a finite number)")
    return v


def _integer(text: str, what: str) -> int:
    text = str(text).strip()
    if len(text) > 24:  # no count needs more digits; int() of 4,300+ digits is a ValueError of its own
        raise argparse.ArgumentTypeError(f"expected {what}, got {text[:24]!r}... ({len(text)} characters)")
    try:
        return int(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def finite_float(text: str) -> float:
    """Any finite number."""
    return _number(text, "a number")


def _bounded(parse, what: str, ok, name: str, doc: str, high: float | None = None):
    """A validator: `parse` the text as `what`, then refuse it unless `ok(value)` and value <= `high`."""
    def check(text: str):
        v = parse(text, what)
        if not ok(v):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        if high is not None and v > high:
            top = high if isinstance(high, int) else f"{high:g}"
            raise argparse.ArgumentTypeError(f"expected {what} up to {top}, got {text!r}")
        return v

    check.__name__, check.__doc__ = name, doc
    return check


MAX_FLOAT = 1e9  # seconds, rates, sizes: a billion of anything is a typo (and overflows timers and allocations)
MAX_INT = 2**31 - 1  # counts and seeds fit a C int, as the libraries below them expect
MAX_THREADS = 1024

positive_float = _bounded(_number, "a positive number", lambda v: v > 0, "positive_float",
                          "A finite number in (0, 1e9].", MAX_FLOAT)
nonnegative_float = _bounded(_number, "a number >= 0", lambda v: v >= 0, "nonnegative_float",
                             "A finite number in [0, 1e9].", MAX_FLOAT)
fraction = _bounded(_number, "a number from 0 to 1", lambda v: 0 <= v <= 1, "fraction",
                    "A number in 0..1 (opacities, thresholds).")
positive_int = _bounded(_integer, "a whole number >= 1", lambda v: v >= 1, "positive_int",
                        "A whole number 1..2**31-1 (counts, sizes).", MAX_INT)
nonnegative_int = _bounded(_integer, "a whole number >= 0", lambda v: v >= 0, "nonnegative_int",
                           "A whole number 0..2**31-1 (seeds, worker counts, 'how many, or none').", MAX_INT)
thread_count = _bounded(_integer, "a whole number >= 1", lambda v: v >= 1, "thread_count",
                        "CPU threads, 1..1024.", MAX_THREADS)
port = _bounded(_integer, "a port number 1-65535", lambda v: 1 <= v <= 65535, "port", "A TCP/UDP port, 1..65535.")


def int_range(low: int, high: int):
    """A whole number in low..high, e.g. `--opt-level` 0-5."""
    return _bounded(_integer, f"a whole number {low}-{high}", lambda v: low <= v <= high, f"int_{low}_{high}",
                    f"A whole number {low}..{high}.")


# The same checks as pydantic field types, for the typed configs of the verbs (foodcam/verbconfig.py): a field
# declared `max_seconds: PositiveFloat | None = None` takes "2.5" from a flag, 2.5 from YAML or Python, and
# refuses NaN, infinities and out-of-range values with the flag's own words.

def field_check(check, base: type):
    """An argparse validator as a pydantic BeforeValidator: the value (text, or a number from YAML/Python) goes
    through `check` as text; its "expected ..., got ..." becomes the field's error."""

    def validate(value):
        if isinstance(value, base) and not isinstance(value, bool) and base is not str:
            value = repr(value) if isinstance(value, float) else str(value)  # repr: all the digits of a float
        try:
            return check(value if isinstance(value, str) else str(value))
        except argparse.ArgumentTypeError as e:
            raise ValueError(str(e)) from None

    return BeforeValidator(validate)


FiniteFloat = Annotated[float, field_check(finite_float, float)]
PositiveFloat = Annotated[float, field_check(positive_float, float)]
NonNegativeFloat = Annotated[float, field_check(nonnegative_float, float)]
Fraction = Annotated[float, field_check(fraction, float)]
PositiveInt = Annotated[int, field_check(positive_int, int)]
NonNegativeInt = Annotated[int, field_check(nonnegative_int, int)]
ThreadCount = Annotated[int, field_check(thread_count, int)]
Port = Annotated[int, field_check(port, int)]
Sha256 = Annotated[str, field_check(sha256_hex, str)]  # 64 hex digits (--model-sha256)


def _size(value) -> tuple[int, int]:
    """'WxH', or (W, H) from Python/YAML; the same limits either way."""
    # imported here: it imports cv2, and the verb must exist (and say what to install) without OpenCV
    from foodcam.runtime.imageio import parse_size

    if isinstance(value, (list, tuple)) and len(value) == 2 and not any(isinstance(v, bool) for v in value):
        value = f"{value[0]}x{value[1]}"
    return parse_size(str(value))


Size = Annotated[tuple[int, int], BeforeValidator(_size)]  # a frame size, WxH
