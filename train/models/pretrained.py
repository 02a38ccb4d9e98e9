"""ImageNet-pretrained backbones through torchvision's weights API, for users with a network (`--pretrained`).

The weights file goes into torch's hub cache (`$TORCH_HOME/hub/checkpoints`) on first use and is read from there
afterwards, offline too; it is loaded weights-only. Models without public weights in torchvision (ThinSeg, the
U-Net) have none: `--init PATH` takes any local state dict instead.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlparse

import torch

from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.models")

# model name -> torchvision weights of its backbone's ImageNet classifier (matched by load_backbone's name rules)
PRETRAINED: dict[str, str] = {
    "mobilenetv3": "MobileNet_V3_Large_Weights.IMAGENET1K_V1",
    "resnet18": "ResNet18_Weights.IMAGENET1K_V1",
    "resnet50": "ResNet50_Weights.IMAGENET1K_V1",
    "lraspp": "MobileNet_V3_Large_Weights.IMAGENET1K_V1",
    "deeplabv3": "ResNet50_Weights.IMAGENET1K_V1",
    "foodseg-edge": "MobileNet_V3_Large_Weights.IMAGENET1K_V1",
    "foodseg-edge-small": "MobileNet_V3_Small_Weights.IMAGENET1K_V1",
    "foodseg-r50": "ResNet50_Weights.IMAGENET1K_V1",
}


def cache_file(weights_name: str) -> tuple[str, Path]:
    """(download URL, the file in torch's hub cache that torchvision reads it from) of a weights name."""
    from torchvision.models import get_weight

    url = get_weight(weights_name).url
    return url, Path(torch.hub.get_dir()) / "checkpoints" / Path(urlparse(url).path).name


def pretrained_state_dict(model: str) -> tuple[dict[str, torch.Tensor], str]:
    """(state dict, weights name) of model `model`'s ImageNet backbone: from the cache, else downloaded into it."""
    name = PRETRAINED.get(model)
    if name is None:
        raise FoodcamError(f"--pretrained: model {model!r} has no public ImageNet weights in torchvision (those that "
                           f"have: {', '.join(sorted(PRETRAINED))}); use --init PATH for a local state dict")
    url, cached = cache_file(name)
    if not cached.is_file():
        log.info("--pretrained: downloading %s into %s", name, cached.parent)
    try:
        sd = torch.hub.load_state_dict_from_url(url, map_location="cpu", progress=True, check_hash=True,
                                                weights_only=True)
    except (URLError, TimeoutError, ConnectionError) as e:
        why = getattr(e, "reason", e)
        raise FoodcamError(f"--pretrained: {name} is not in torch's cache and could not be downloaded ({why}); "
                           f"put {cached.name} (from {url}) at {cached}, or use --init PATH") from None
    except (pickle.UnpicklingError, RuntimeError, EOFError, OSError) as e:
        raise FoodcamError(f"--pretrained: {cached}: not a readable weights file ({type(e).__name__}); delete it "
                           f"to download it again") from None
    return sd, name
