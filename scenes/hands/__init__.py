"""Training scenes drawn by other hands: generators written, like the blind held-out sets, from the label contract
alone (`benchmarks/heldout/CONTRACT.md`) by writers who never read the renderer in `scenes/`, the blind generators
or the models. Each has its own idea of a kitchen or a fruit photo, so training on several hands teaches what a
class is rather than how one renderer draws it. They only train: the blind sets (benchmarks/heldout) score.

Each module has `generate(out, count, seed, size)` writing the contract's layout (numpy + OpenCV only).
`foodcam synth kitchen --hand kitchen_c` writes its frames in the training layout.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# hand -> the task whose contract section it draws
HANDS: dict[str, str] = {
    "kitchen_c": "kitchen", "kitchen_d": "kitchen", "kitchen_e": "kitchen", "kitchen_f": "kitchen",
    "fruit_c": "fruit", "fruit_d": "fruit", "fruit_e": "fruit", "fruit_f": "fruit",
}


def generator(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")
