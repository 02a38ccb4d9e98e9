"""Per-class tables for the terminal that stay readable at 104 (FoodSeg103) or 498 (AIcrowd) classes.

Up to `max_rows` classes: every class, largest support first. More: the `max_rows` worst classes by the
score column among those the split has (support > 0), worst first, then one line saying how many classes
are left out and that metrics.json lists all of them. NaN prints as "-".
"""

from __future__ import annotations

import math

MAX_ROWS = 25


def class_rows(per_class: dict[str, dict], score: str, max_rows: int = MAX_ROWS) -> tuple[list[str], str]:
    """(class names to print, note line or "") for a per-class mapping {name: {score: ..., "support": ...}}."""
    names = list(per_class)
    if len(names) <= max_rows:
        return sorted(names, key=lambda c: -per_class[c]["support"]), ""
    seen = [c for c in names if per_class[c]["support"] > 0]
    worst = sorted(seen, key=lambda c: (_num(per_class[c][score]), -per_class[c]["support"]))[:max_rows]
    absent = len(names) - len(seen)
    note = (f"the {len(worst)} worst of {len(names)} classes by {score}"
            + (f" ({absent} not in this split)" if absent else "") + "; all of them in metrics.json")
    return worst, note


def class_table(per_class: dict[str, dict], columns: list[tuple[str, str]], score: str,
                max_rows: int = MAX_ROWS) -> list[str]:
    """Header + one line per chosen class (`columns`: (key, kind) with kind "pct" or "int") + the note."""
    names, note = class_rows(per_class, score, max_rows)
    w = max(10, *(len(c) for c in names)) if names else 10
    lines = [f"{'class':<{w}} " + " ".join(f"{k:>{10 if kind == 'int' else 7}}" for k, kind in columns)]
    for c in names:
        v = per_class[c]
        cells = [f"{v[k]:>10}" if kind == "int" else f"{pct(v[k]):>7}" for k, kind in columns]
        lines.append(f"{c:<{w}} " + " ".join(cells))
    if note:
        lines.append(note)
    return lines


def pct(x) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100.0 * x:.2f}"


def _num(x) -> float:
    """A missing or NaN score sorts as 0: among the worst."""
    return 0.0 if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
