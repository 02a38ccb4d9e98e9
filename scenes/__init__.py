"""Procedural scenes (numpy + OpenCV only): the same renderer writes training sets and feeds `synth://` sources."""

from foodcam.scenes.conveyor import ConveyorFeed
from foodcam.scenes.kitchen import KitchenFeed, KitchenScene

# scene name -> live feed class, for `synth://NAME` sources: Feed(size=(W, H), seed=0).next() -> (bgr, mask)
FEEDS = {"kitchen": KitchenFeed, "conveyor": ConveyorFeed}  # conveyor: truth is a list of items

__all__ = ["FEEDS", "ConveyorFeed", "KitchenFeed", "KitchenScene"]
