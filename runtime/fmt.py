"""Numbers in reports and tables, written one way everywhere: a missing value (None, NaN) is "-".

    num(3.14159)      -> "3.14"        num(3.1, "+.2e") -> "+3.10e+00"     num(7) -> "7"
    pct(0.98765)      -> "98.77"       pct(None) -> "-"                    (a fraction as percent, no sign)
    ms(0.123) -> "0.123"   ms(12.34) -> "12.34"   ms(250.0) -> "250.0"    (latency: three significant-ish digits)
"""

from __future__ import annotations

import math


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def num(x, spec: int | str = 2) -> str:
    """`spec`: decimals (ints are then printed as they are), or a format spec such as "+.2f"."""
    if missing(x):
        return "-"
    if isinstance(spec, int):
        return str(x) if isinstance(x, int) else f"{x:.{spec}f}"
    return format(x, spec)


def pct(x, digits: int = 2) -> str:
    """A fraction (0.98) as a percentage ("98.00")."""
    return "-" if missing(x) else f"{100.0 * x:.{digits}f}"


def share(part: float, whole: float, digits: int = 1) -> str:
    """part / whole as "12.3%" ("-" when whole is 0)."""
    return f"{pct(part / whole, digits)}%" if whole else "-"


def ms(x) -> str:
    """Milliseconds with the digits that matter: 0.123, 12.34, 250.0."""
    if missing(x):
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}" if x >= 100 else f"{x:.2f}"


def plural(n, word: str, many: str | None = None) -> str:
    """A count and its noun: plural(1, "thread") -> "1 thread", plural(2, "thread") -> "2 threads"."""
    return f"{num(n)} {word if str(n) == '1' else many or word + 's'}"
