"""Named fruit styles: each is a kind of photo the freshness model may be shown (a close-up on a table, a
sorting-line camera over a belt, a bunch of fruit, a studio shot, a phone photo of a plate). Training on some and
evaluating on one left out measures how a model copes with fruit photographed in ways it has never seen;
`foodcam synth fruit --styles belt,bunch` picks them.

A style holds ranges and weights only; every photo draws its own values from them, seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

from foodcam.scenes.styles import parse_styles


@dataclass(frozen=True)
class FruitStyle:
    name: str
    backgrounds: dict[str, float]  # scenes.fruit.background kind -> weight
    size: tuple[float, float]  # sprite side / the frame's smaller side (the fruit fills ~70 % of its sprite)
    count: tuple[int, int]  # fruit in the photo, inclusive range; all of them the one kind and state
    spread: float  # 0: centred (within 12 % of the sprite); 1: anywhere, at least 3/4 of each sprite in frame
    exposure: tuple[float, float]  # overall light gain
    warmth: tuple[float, float]  # colour temperature cast: -1 cool/blue .. +1 warm/orange
    noise: tuple[float, float]  # sensor noise sigma (8-bit units)
    jpeg: tuple[int, int]  # JPEG quality range
    blur_p: float = 0.5  # defocus
    motion_p: float = 0.0  # motion blur along a random direction (a moving belt, a shaking hand)


FRUIT_STYLES: dict[str, FruitStyle] = {
    s.name: s
    for s in (
        # the original photos: one fruit filling the frame on a table top, cloth or belt
        FruitStyle("table", backgrounds={"wood": 1, "cloth": 1, "conveyor": 1}, size=(0.8, 1.3), count=(1, 1),
                   spread=0.0, exposure=(0.75, 1.2), warmth=(0.0, 0.0), noise=(1.0, 6.0), jpeg=(55, 96)),
        # a sorting-line camera: a small fruit anywhere on the belt, cool light, motion along the belt
        FruitStyle("belt", backgrounds={"conveyor": 1}, size=(0.35, 0.7), count=(1, 2), spread=1.0,
                   exposure=(0.8, 1.3), warmth=(-0.6, 0.0), noise=(2.0, 7.0), jpeg=(45, 90), blur_p=0.3,
                   motion_p=0.4),
        # several fruit of one kind on a table or in a crate, overlapping, warm indoor light
        FruitStyle("bunch", backgrounds={"wood": 1, "cloth": 1}, size=(0.4, 0.75), count=(2, 4), spread=0.8,
                   exposure=(0.65, 1.15), warmth=(0.0, 0.6), noise=(1.0, 6.0), jpeg=(50, 95)),
        # a product shot: a plain white, grey or black sweep, bright even light, a clean sensor
        FruitStyle("studio", backgrounds={"studio": 2, "slate": 1}, size=(0.5, 1.1), count=(1, 1), spread=0.5,
                   exposure=(0.9, 1.4), warmth=(-0.2, 0.2), noise=(0.5, 3.0), jpeg=(70, 98), blur_p=0.2),
        # held out: a phone photo of fruit on a plate, light from dim and warm to blown out, a noisy sensor
        FruitStyle("plate", backgrounds={"plate": 1}, size=(0.4, 0.9), count=(1, 3), spread=0.6,
                   exposure=(0.45, 1.5), warmth=(-0.5, 0.9), noise=(2.0, 10.0), jpeg=(30, 90), blur_p=0.4,
                   motion_p=0.3),
    )
}

# the style a shipped model never trains on: its unseen-style number is measured there
FRUIT_HELD_OUT = "plate"
FRUIT_TRAIN_STYLES = tuple(n for n in FRUIT_STYLES if n != FRUIT_HELD_OUT)
FRUIT_DEFAULT_STYLES = ("table",)  # `foodcam synth fruit` without --styles: the original photos


def parse_fruit_styles(text: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """'belt,bunch' | 'all' | 'train' -> fruit style names; a clear error for an unknown one."""
    return parse_styles(text, FRUIT_STYLES, FRUIT_TRAIN_STYLES, FRUIT_DEFAULT_STYLES, kind="fruit")
