"""Model kinds that other parts of foodcam teach `open_model`: a file suffix -> a loader returning a `Model`.

The runtime opens ONNX files, engines and served models itself. A PyTorch checkpoint (.pt / .pth) needs the training
side, which the runtime never imports by name (it must run on a Jetson without torch): the training side registers
its loader, in two ways that lead to the same function.

- on import of `foodcam.train`: `register_loader((".pt", ".pth"), loader)`;
- as an entry point of the installed distribution (pyproject.toml), group `foodcam.loaders`, name = the suffix
  without its dot, value = the loader (`pt = "foodcam.train:checkpoint_model"`). `find_loader` loads it the first
  time such a file is opened, so `open_model("x.pt")` works without importing the training side first.

A loader takes no arguments and returns the `Model` class (importing what it needs only then: an ImportError means
the side is not installed); `open_model` constructs it as `cls(path, device=..., **options)`, options checked
against its signature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing foodcam.train (every `foodcam` command does) stays free of OpenCV and numpy
    from foodcam.runtime.model import Model

GROUP = "foodcam.loaders"
Loader = Callable[[], "type[Model]"]
_loaders: dict[str, Loader] = {}


def register_loader(suffixes: Iterable[str], loader: Loader) -> None:
    """Open files with these suffixes (".pt") with `loader` from now on."""
    for suffix in suffixes:
        _loaders[suffix.lower()] = loader


def find_loader(suffix: str) -> Loader | None:
    """The loader registered for `suffix`, else the one the installed distribution's entry points name (loaded and
    registered now), else None. An entry point whose module cannot be imported raises its ImportError."""
    suffix = suffix.lower()
    if suffix in _loaders:
        return _loaders[suffix]
    for ep in entry_points(group=GROUP):
        if ep.name.lower() == suffix.lstrip("."):
            register_loader([suffix], ep.load())
            return _loaders[suffix]
    return None

