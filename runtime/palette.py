"""Class colours that stay distinguishable for 100+ classes (stdlib only: the task module imports it).

Greedy farthest-point sampling in CIELAB: from a grid of saturated and mid-tone candidate colours, each
next class takes the candidate farthest (perceptually) from every colour already chosen, so any two
classes of a 104-class set differ clearly, and the first dozen (the most common foods) very clearly.
Class 0 (the background of food segmentation) is black. Deterministic: the same n gives the same list.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """sRGB (0..255) -> CIELAB (D65)."""
    def lin(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(v) for v in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


@lru_cache(maxsize=1)
def _candidates() -> tuple[tuple[tuple[int, int, int], tuple[float, float, float]], ...]:
    out = []
    for hi in range(48):
        for s in (1.0, 0.7, 0.45):
            for v in (1.0, 0.75, 0.5):
                r, g, b = colorsys.hsv_to_rgb(hi / 48, s, v)
                rgb = (int(round(r * 255)), int(round(g * 255)), int(round(b * 255)))
                out.append((rgb, _lab(rgb)))
    for v in (0.35, 0.6, 0.85, 1.0):  # a few greys
        rgb = (int(v * 255),) * 3
        out.append((rgb, _lab(rgb)))
    return tuple(out)


@lru_cache(maxsize=32)
def distinct_colours(n: int, background: bool = True) -> tuple[tuple[int, int, int], ...]:
    """`n` RGB colours; index 0 black when `background`, every other as far from the rest as the grid allows."""
    chosen: list[tuple[int, int, int]] = []
    labs: list[tuple[float, float, float]] = []
    if background and n > 0:
        chosen.append((0, 0, 0))
        labs.append(_lab((0, 0, 0)))
    cands = list(_candidates())
    nearest = [min((_d2(lab, c) for c in labs), default=float("inf")) for _, lab in cands]
    while len(chosen) < n:
        if not cands:  # more classes than candidates: start over on the grid, slightly darker
            cands = [(tuple(int(v * 0.85) for v in rgb), _lab(tuple(int(v * 0.85) for v in rgb)))
                     for rgb, _ in _candidates()]
            nearest = [min(_d2(lab, c) for c in labs) for _, lab in cands]
        i = max(range(len(cands)), key=lambda k: (nearest[k], -k))
        rgb, lab = cands.pop(i)
        nearest.pop(i)
        chosen.append(rgb)
        labs.append(lab)
        nearest = [min(d, _d2(lab2, lab)) for d, (_, lab2) in zip(nearest, cands)]
    return tuple(chosen)


def _d2(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2
