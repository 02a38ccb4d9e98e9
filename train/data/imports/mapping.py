"""Annotation label names -> kitchen classes: sensible defaults, overridden by `--map "spatula=stirrer,wok=pan"`.

Names match case-insensitively, with spaces, hyphens and underscores alike ("Wooden_Spoon" = "wooden spoon").
A label maps to a kitchen class (stirrer, pan, food), to `background` (= pan: the kitchen task's "pan" class is
pan + background), to `ignore` (the shape is not drawn: what lies under it shows) or to `void` (its pixels are
black in the mask: no class, left out of training loss and metrics). `*=TARGET` maps every label not named
otherwise. A label with no mapping is an error that lists every such label and where it was used.
"""

from __future__ import annotations

import re

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import IGNORE_INDEX, KITCHEN

HEAD = KITCHEN.seg_head
IGNORE = -1  # a shape that is not drawn
VOID = IGNORE_INDEX  # pixels that belong to no class (black in the colour-coded mask)
TARGETS = {**{c: HEAD.classes.index(c) for c in HEAD.classes}, "background": HEAD.classes.index("pan"),
           "ignore": IGNORE, "void": VOID}

# What kitchen annotators call things. Every utensil that moves food is a stirrer; a hand or arm is background.
DEFAULTS: dict[str, str] = {
    **{n: "stirrer" for n in ("stirrer", "spatula", "spoon", "wooden spoon", "ladle", "chopstick", "chopsticks",
                               "whisk", "turner", "tongs", "spurtle", "utensil", "stirring spoon", "fork")},
    **{n: "pan" for n in ("pan", "wok", "pot", "skillet", "frying pan", "saucepan", "kadai", "kadhai", "tawa")},
    **{n: "background" for n in ("background", "_background_", "__background__", "bg", "hand", "arm")},
    **{n: "food" for n in ("food",)},
}


def norm(name: str) -> str:
    """The form labels are compared in: lower case, runs of space/hyphen/underscore as one space, trimmed."""
    return re.sub(r"[\s_\-]+", " ", str(name).lower()).strip()


class LabelMap:
    """label name -> class index, IGNORE (not drawn) or VOID (no class)."""

    def __init__(self, overrides: dict[str, str] | None = None, defaults: bool = True) -> None:
        self.names: dict[str, str] = {norm(k): v for k, v in (DEFAULTS if defaults else {}).items()}
        self.fallback: str | None = None
        for label, target in (overrides or {}).items():
            if target not in TARGETS:
                raise FoodcamError(f"--map {label}={target}: unknown target {target!r} "
                                   f"(expected one of {', '.join(TARGETS)})")
            if label.strip() == "*":
                self.fallback = target
            else:
                self.names[norm(label)] = target

    def target(self, label: str) -> str | None:
        """The target name of `label` (stirrer, pan, food, background, ignore, void), or None when unmapped."""
        return self.names.get(norm(label), self.fallback)

    def index(self, label: str) -> int:
        t = self.target(label)
        if t is None:
            raise FoodcamError(f"label {label!r} has no mapping")
        return TARGETS[t]


def parse_map(text: str | None) -> dict[str, str]:
    """`"spatula=stirrer, wok=pan,*=ignore"` -> {"spatula": "stirrer", ...}; FoodcamError naming a bad entry."""
    out: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        label, sep, target = part.partition("=")
        if not sep or not label.strip() or not target.strip():
            raise FoodcamError(f"--map entry {part.strip()!r}: expected LABEL=TARGET, e.g. spatula=stirrer")
        out[label.strip()] = norm(target)
    return out
