"""synth://NAME: a procedural scene rendered live (scenes.FEEDS), with the ground truth of every frame."""

from __future__ import annotations

import inspect

from foodcam.camera.sources.base import Grab
from foodcam.runtime.errors import FoodcamError


class SynthGrabber:
    """Frames from the renderer that also writes the training sets; the mask rides along as ground truth."""

    def __init__(self, scene: str, size: tuple[int, int] = (320, 240), fps: float = 15.0, seed: int = 0,
                 style: str | None = None) -> None:
        from foodcam.scenes import FEEDS

        if scene not in FEEDS:
            raise FoodcamError(f"synth://{scene}: unknown scene (known: {', '.join(sorted(FEEDS))})")
        self.scene, self.size, self.fps, self.seed = scene, size, fps, seed
        self.name = f"synth://{scene}?fps={fps:g}&size={size[0]}x{size[1]}&seed={seed}"
        self._extra = {}
        if style:  # kitchen styles (scenes.styles): 'wok', 'home,night', 'all'
            if "styles" not in inspect.signature(FEEDS[scene]).parameters:
                raise FoodcamError(f"synth://{scene}: this scene has no styles")
            from foodcam.scenes.styles import parse_styles

            self._extra["styles"] = parse_styles(style)
            self.name += f"&style={style}"
        self.skipped = 0
        self._feed_class = FEEDS[scene]
        self.feed = None

    def open(self) -> None:
        if self.feed is None:  # a reopen continues the scene rather than starting it over
            takes_fps = "fps" in inspect.signature(self._feed_class).parameters  # simulated clocks (conveyor)
            self.feed = self._feed_class(size=self.size, seed=self.seed, **({"fps": self.fps} if takes_fps else {}),
                                         **self._extra)

    def grab(self) -> Grab | None:
        bgr, mask = self.feed.next()
        return bgr, mask

    def close(self) -> None:
        pass
