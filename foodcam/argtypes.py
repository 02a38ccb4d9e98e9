"""Typed command-line values, checked by argparse before any verb's work (and before torch is imported).

    p.add_argument("--fps", type=positive_float)    # foodcam run: error: --fps: expected a positive number, got 'abc'

Each validator raises argparse.ArgumentTypeError with "expected ..., got ...": argparse prefixes the flag's name,
and `--config FILE.yaml` values go through the same functions (foodcam/config.py). NaN and infinities are refused
everywhere: no flag means "forever" by being infinite.
"""

from __future__ import annotations

import argparse
import math


def _number(text: str, what: str) -> float:
    try:
        v = float(text)
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r} (not a finite number)")
    return v


def _integer(text: str, what: str) -> int:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def finite_float(text: str) -> float:
    """Any finite number."""
    return _number(text, "a number")


def _bounded(parse, what: str, ok, name: str, doc: str):
    """A validator: `parse` the text as `what`, then refuse it unless `ok(value)`."""
    def check(text: str):
        v = parse(text, what)
        if not ok(v):
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return v

    check.__name__, check.__doc__ = name, doc
    return check


positive_float = _bounded(_number, "a positive number", lambda v: v > 0, "positive_float", "A finite number > 0.")
nonnegative_float = _bounded(_number, "a number >= 0", lambda v: v >= 0, "nonnegative_float", "A finite number >= 0.")
fraction = _bounded(_number, "a number from 0 to 1", lambda v: 0 <= v <= 1, "fraction",
                    "A number in 0..1 (opacities, thresholds).")
positive_int = _bounded(_integer, "a whole number >= 1", lambda v: v >= 1, "positive_int",
                        "A whole number >= 1 (counts, sizes, threads).")
nonnegative_int = _bounded(_integer, "a whole number >= 0", lambda v: v >= 0, "nonnegative_int",
                           "A whole number >= 0 (seeds, worker counts, 'how many, or none').")
port = _bounded(_integer, "a port number 1-65535", lambda v: 1 <= v <= 65535, "port", "A TCP/UDP port, 1..65535.")


def int_range(low: int, high: int):
    """A whole number in low..high, e.g. `--opt-level` 0-5."""
    return _bounded(_integer, f"a whole number {low}-{high}", lambda v: low <= v <= high, f"int_{low}_{high}",
                    f"A whole number {low}..{high}.")
