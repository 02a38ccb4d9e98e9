"""foodcam train: data (real formats + procedural), models, losses, metrics, training and evaluation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from foodcam.runtime.loaders import register_loader

if TYPE_CHECKING:
    from foodcam.runtime.model import Model


def checkpoint_model() -> type[Model]:
    """`open_model`'s loader for .pt/.pth (runtime/loaders.py): the Model class of a checkpoint,
    foodcam.train.torch_model.TorchModel, registered here and named by the `foodcam.loaders` entry points. Torch
    loads only now."""
    from foodcam.train.torch_model import TorchModel

    return TorchModel


register_loader((".pt", ".pth"), checkpoint_model)
