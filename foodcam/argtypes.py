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


def positive_float(text: str) -> float:
    """A finite number > 0."""
    v = _number(text, "a positive number")
    if v <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return v


def nonnegative_float(text: str) -> float:
    """A finite number >= 0."""
    v = _number(text, "a number >= 0")
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return v


def fraction(text: str) -> float:
    """A number in 0..1 (opacities, thresholds)."""
    v = _number(text, "a number from 0 to 1")
    if not 0 <= v <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return v


def positive_int(text: str) -> int:
    """A whole number >= 1 (counts, sizes, threads)."""
    v = _integer(text, "a whole number >= 1")
    if v < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return v


def nonnegative_int(text: str) -> int:
    """A whole number >= 0 (seeds, worker counts, 'how many, or none')."""
    v = _integer(text, "a whole number >= 0")
    if v < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return v


def port(text: str) -> int:
    """A TCP/UDP port, 1..65535."""
    v = _integer(text, "a port number 1-65535")
    if not 1 <= v <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 1-65535, got {text!r}")
    return v


def int_range(low: int, high: int):
    """A whole number in low..high, e.g. `--opt-level` 0-5."""
    def check(text: str) -> int:
        v = _integer(text, f"a whole number {low}-{high}")
        if not low <= v <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number {low}-{high}, got {text!r}")
        return v

    check.__name__ = f"int_{low}_{high}"
    return check
