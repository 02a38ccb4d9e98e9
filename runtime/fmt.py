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


def shown(value, limit: int = 60) -> str:
    """repr(value) for an error message: one line, at most `limit` characters (a hostile value is never echoed
    whole). Containers are cut before repr walks them all, and huge integers are not converted to digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"<an integer of {value.bit_length()} bits>"
    if isinstance(value, (list, tuple, dict, set)) and len(value) > limit:
        kind = type(value).__name__
        return f"<a {kind} of {len(value)} items>"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = f"<a {type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line, cut to `limit` characters (for messages that may quote a hostile value)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
