"""Procedural scenes (numpy + OpenCV only): the same renderer writes training sets and feeds `synth://` sources."""

from foodcam.scenes.conveyor import ConveyorFeed
from foodcam.scenes.kitchen import KitchenFeed, KitchenScene
from foodcam.scenes.plate import PlateFeed, PlateScene

# scene name -> live feed class, for `synth://NAME` sources: Feed(size=(W, H), seed=0).next() -> (bgr, mask)
FEEDS = {"kitchen": KitchenFeed, "conveyor": ConveyorFeed,  # conveyor: truth is a list of items
         "foodseg": PlateFeed}  # plates of food (24 foods, as `foodcam synth foodseg` renders them)

__all__ = ["FEEDS", "ConveyorFeed", "KitchenFeed", "KitchenScene", "PlateFeed", "PlateScene"]
