"""foodcam: food vision from training to the edge. The `foodcam` command dispatches to each package's verbs;
the Python API mirrors them (docs/python.md):

    import foodcam
    model = foodcam.load(foodcam.shipped("kitchen", "onnx"))   # .pt, .onnx or .engine alike
    result = model.predict("frame.jpg")                           # or a BGR array, a list, a folder
    overlay = result.plot()                                       # BGR uint8 image with the mask drawn
    summary = foodcam.run("synth://kitchen", model, save="out.mp4", max_frames=100)
    data = foodcam.synth("kitchen", out="data/kitchen", count=12)  # a labelled procedural dataset
    run = foodcam.train_model("kitchen", data="data/kitchen", epochs=2)  # foodcam train: best.pt, metrics.csv...

`import foodcam` stays cheap: the API (and with it OpenCV, ONNX Runtime or PyTorch) loads on first use.
"""

import os as _os
import pkgutil as _pkgutil

# From the repository root (`python -m foodcam`, pytest) this folder is found first, and it holds only the foodcam/
# part of the package; the installed link tree (build/__editable__.foodcam-*/foodcam, docs/layout.md) holds all of it:
# search both, so foodcam.runtime & co. resolve wherever Python starts.
__path__ = _pkgutil.extend_path(__path__, __name__)

from foodcam.shipped import shipped, shipped_examples  # noqa: E402 - after the search path is complete
from foodcam.version import __version__

# No network at run time: albumentations asks PyPI for its latest version when imported unless told not to.
_os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

__all__ = ["__version__", "load", "run", "sort", "synth", "train_model", "adapt", "shipped", "shipped_examples", "FoodcamModel",
           "FoodcamError"]

# public name -> module holding it, imported on first access (PEP 562)
_LAZY = {"load": "foodcam.api", "run": "foodcam.api", "sort": "foodcam.api", "synth": "foodcam.api", "adapt": "foodcam.api",
         "train_model": "foodcam.api",
         "FoodcamModel": "foodcam.api",
         "FoodcamError": "foodcam.runtime.errors"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'foodcam' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
