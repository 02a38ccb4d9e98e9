"""Named kitchen styles: each is a slice of the world the renderer can draw (vessel, view, tools, food, light,
camera). Training on several and evaluating on one left out measures how a model copes with kitchens it has
never seen; `foodcam synth kitchen --styles home,wok` picks them.

A style holds ranges and weights only; every frame draws its own values from them, seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from foodcam.runtime.errors import FoodcamError


@dataclass(frozen=True)
class Style:
    name: str
    # vessel: (name -> weight); geometry ranges per vessel live in props.VESSELS
    vessels: dict[str, float]
    view_k: tuple[float, float]  # rim ellipse ratio: 1 = straight from above, 0.5 = oblique (side wall shows)
    size: tuple[float, float]  # rim half-width as a share of the frame's smaller side x 4/3
    materials: dict[str, float]
    stirrers: dict[str, float]
    dishes: dict[str, float]
    exposure: tuple[float, float]  # overall light gain
    warmth: tuple[float, float]  # colour temperature cast: -1 cool/blue .. +1 warm/orange
    noise: tuple[float, float]  # sensor noise sigma (8-bit units)
    jpeg: tuple[int, int]  # JPEG quality range; applied with probability jpeg_p
    jpeg_p: float = 0.5
    hand_p: float = 0.0  # a hand/arm on the stirrer's handle (labelled background: it is not the stirrer)
    steam_p: float = 0.0  # steam or smoke drifting over the frame
    motion_p: float = 0.0  # motion blur along a random direction
    distortion_p: float = 0.0  # barrel distortion of a wide lens
    stirrer_p: float = 0.85  # share of frames with a stirrer in view
    extra: dict[str, float] = field(default_factory=dict)


ALL_STIRRERS = {"wooden_spatula": 1, "wooden_spoon": 1, "steel_ladle": 1, "steel_turner": 1, "nylon_spatula": 1,
                "silicone_spatula": 1, "steel_spoon": 1, "chopsticks": 1, "whisk": 1}

STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        # the original scene: a pan seen from above, Indian home cooking, daylight
        Style("home", vessels={"pan": 1.0}, view_k=(0.72, 0.96), size=(0.3, 0.5),
              materials={"steel": 0.4, "nonstick": 0.25, "iron": 0.2, "anodised": 0.15},
              stirrers={"wooden_spatula": 1, "wooden_spoon": 1, "steel_ladle": 1, "steel_turner": 1,
                        "nylon_spatula": 1},
              dishes={"upma": 1, "palak": 1, "curry": 1, "rice": 1, "dal": 1, "poha": 1},
              exposure=(0.8, 1.15), warmth=(-0.2, 0.4), noise=(1.5, 5.0), jpeg=(55, 95), hand_p=0.15),
        # a wok seen at an angle, stir-fry and noodles, chopsticks and turners, steam, warm light
        Style("wok", vessels={"wok": 0.8, "pan": 0.2}, view_k=(0.5, 0.8), size=(0.32, 0.55),
              materials={"iron": 0.45, "steel": 0.3, "anodised": 0.15, "nonstick": 0.1},
              stirrers={"steel_turner": 1.5, "chopsticks": 1.5, "steel_ladle": 1, "wooden_spatula": 1,
                        "silicone_spatula": 0.5},
              dishes={"stirfry": 2, "noodles": 2, "rice": 1, "curry": 0.5},
              exposure=(0.85, 1.25), warmth=(0.2, 0.8), noise=(1.5, 6.0), jpeg=(45, 95), hand_p=0.35,
              steam_p=0.5, motion_p=0.3),
        # a deep pot from above, soups and stews, ladles and whisks, cool fluorescent light
        Style("pot", vessels={"pot": 0.8, "pan": 0.2}, view_k=(0.75, 0.98), size=(0.28, 0.45),
              materials={"steel": 0.5, "enamel": 0.3, "copper": 0.2},
              stirrers={"steel_ladle": 1.5, "whisk": 1.5, "wooden_spoon": 1, "steel_spoon": 1,
                        "silicone_spatula": 1},
              dishes={"soup": 2, "dal": 1, "curry": 1, "palak": 1},
              exposure=(0.8, 1.2), warmth=(-0.8, -0.1), noise=(1.5, 5.0), jpeg=(50, 95), hand_p=0.15,
              steam_p=0.35),
        # evening at home: dim warm light, grainy sensor, motion blur, heavy compression
        Style("night", vessels={"pan": 0.5, "wok": 0.25, "pot": 0.25}, view_k=(0.6, 0.95), size=(0.3, 0.5),
              materials={"nonstick": 0.35, "iron": 0.25, "steel": 0.25, "anodised": 0.15},
              stirrers=dict(ALL_STIRRERS),
              dishes={"upma": 1, "curry": 1, "rice": 1, "dal": 1, "stirfry": 1, "soup": 1, "noodles": 1},
              exposure=(0.35, 0.7), warmth=(0.4, 1.0), noise=(5.0, 12.0), jpeg=(25, 70), jpeg_p=0.8,
              hand_p=0.25, motion_p=0.5, steam_p=0.15),
        # a camera close over the stove: the vessel fills and leaves the frame, wide-angle lens,
        # hands in view, harsh or blown-out light
        Style("closeup", vessels={"pan": 0.4, "wok": 0.3, "pot": 0.3}, view_k=(0.65, 0.98), size=(0.55, 0.8),
              materials={"steel": 0.3, "nonstick": 0.2, "iron": 0.2, "copper": 0.15, "enamel": 0.15},
              stirrers=dict(ALL_STIRRERS),
              dishes={"upma": 1, "palak": 1, "poha": 1, "stirfry": 1, "noodles": 1, "soup": 1},
              exposure=(0.9, 1.6), warmth=(-0.3, 0.5), noise=(1.5, 6.0), jpeg=(50, 95), hand_p=0.6,
              distortion_p=0.7, motion_p=0.2, steam_p=0.2),
    )
}

# the style a shipped model never trains on: its unseen-style number is measured there
HELD_OUT = "closeup"
TRAIN_STYLES = tuple(n for n in STYLES if n != HELD_OUT)
DEFAULT_STYLES = ("home",)  # `foodcam synth kitchen` without --styles: the original scene


def parse_styles(text: str | list[str] | tuple[str, ...] | None, styles: dict | None = None,
                 train: tuple[str, ...] | None = None, default: tuple[str, ...] | None = None,
                 kind: str = "kitchen") -> tuple[str, ...]:
    """'home,wok' | ['home', 'wok'] | 'all' | 'train' -> style names; a clear error for an unknown one.

    The kitchen's styles unless another scene passes its own `styles` registry, `train` and `default` names."""
    styles = STYLES if styles is None else styles
    train = TRAIN_STYLES if train is None else train
    default = DEFAULT_STYLES if default is None else default
    if text is None or text == "":
        return default
    parts = text.split(",") if isinstance(text, str) else list(text)
    names: list[str] = []
    for p in (x.strip() for x in parts):
        if p == "all":
            names += list(styles)
        elif p == "train":
            names += list(train)
        elif p in styles:
            names.append(p)
        elif p:
            raise FoodcamError(f"unknown {kind} style {p!r}; known: {', '.join(styles)} (or 'all', 'train')")
    if not names:
        raise FoodcamError(f"--styles {text!r}: no style named")
    return tuple(dict.fromkeys(names))


def pick(rng, weights: dict[str, float]) -> str:
    """One key of `weights`, drawn with probability proportional to its weight."""
    keys = list(weights)
    p = [float(weights[k]) for k in keys]
    total = sum(p)
    return keys[int(rng.choice(len(keys), p=[x / total for x in p]))]
