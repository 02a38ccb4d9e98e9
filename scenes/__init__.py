"""Procedural scenes (numpy + OpenCV only): the same renderer writes training sets and feeds `synth://` sources."""

from foodcam.scenes.conveyor import ConveyorFeed
from foodcam.scenes.kitchen import KitchenFeed, KitchenScene
from foodcam.scenes.plate import PlateFeed, PlateScene

# scene name -> live feed class, for `synth://NAME` sources: Feed(size=(W, H), seed=0).next() -> (bgr, mask)
FEEDS = {"kitchen": KitchenFeed, "conveyor": ConveyorFeed,  # conveyor: truth is a list of items
         "foodseg": PlateFeed}  # plates of food (24 foods, as `foodcam synth foodseg` renders them)
# one line per feed for `foodcam run --help` (which lists every FEEDS entry, described here or not)
SUMMARIES = {"kitchen": "kitchen pan, stirrer and food with ground-truth masks (summary: mIoU); &style=all",
             "conveyor": "fruit on a sorting conveyor with ground truth per item (for `foodcam sort`)",
             "foodseg": "plates of food (24 foods) with ground-truth ingredient masks"}
# scene name -> (what it shows, the tasks (runtime/tasks.py names) whose models were made for that); a run of
# any other model on it is refused (camera/scene_fit.py)
SCENE_TASKS = {"kitchen": ("a cooking pan", ("kitchen",)), "conveyor": ("fruit on a conveyor", ("freshness",)),
               "foodseg": ("plates of food", ("foodseg", "foodrec"))}

__all__ = ["FEEDS", "SCENE_TASKS", "SUMMARIES", "ConveyorFeed", "KitchenFeed", "KitchenScene", "PlateFeed", "PlateScene"]
