"""`--pretrained`: ImageNet backbones through torchvision's weights API, read from torch's hub cache (the test
writes the file there: nothing is downloaded), and a one-line error naming the file when it is absent offline."""

from __future__ import annotations

from urllib.error import URLError

import pytest

pytest.importorskip("torch")
import torch  # noqa: E402

from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS, KITCHEN  # noqa: E402
from foodcam.train.checkpoint import read_checkpoint  # noqa: E402
from foodcam.train.models import build_model  # noqa: E402
from foodcam.train.models.pretrained import cache_file  # noqa: E402
from tests.conftest import foodcam  # noqa: E402


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """torch's cache in a temporary TORCH_HOME, and no network: a download attempt fails as offline."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))

    def offline(*args, **kwargs):
        raise URLError("offline")

    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    return tmp_path


def _write_cached_resnet18() -> dict[str, torch.Tensor]:
    from torchvision.models import resnet18

    torch.manual_seed(123)
    sd = resnet18(weights=None).state_dict()
    _, path = cache_file("ResNet18_Weights.IMAGENET1K_V1")
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(sd, path)
    return sd


def test_pretrained_backbone_comes_from_the_cache(hub):
    sd = _write_cached_resnet18()
    model = build_model("resnet18", FRESHNESS, pretrained=True)
    got = model.backbone.state_dict()
    matched = [k for k in got if k in sd or f"{k}" in sd]
    assert len(matched) > 50
    for k in matched:
        assert torch.equal(got[k], sd[k]), k
    plain = build_model("resnet18", FRESHNESS)
    assert not torch.equal(plain.backbone.state_dict()["conv1.weight"], sd["conv1.weight"])


def test_absent_offline_names_the_file_and_where_to_put_it(hub):
    _, path = cache_file("ResNet18_Weights.IMAGENET1K_V1")
    with pytest.raises(FoodcamError) as e:
        build_model("resnet18", FRESHNESS, pretrained=True)
    text = str(e.value)
    assert "\n" not in text and str(path) in text and "--init" in text


def test_a_model_without_public_weights_says_so(hub):
    with pytest.raises(FoodcamError, match="thinseg.*no public ImageNet weights.*--init"):
        build_model("thinseg", KITCHEN, pretrained=True)


def test_a_damaged_cache_file_is_one_line(hub):
    _, path = cache_file("ResNet18_Weights.IMAGENET1K_V1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a zip")
    with pytest.raises(FoodcamError, match="not a readable weights file"):
        build_model("resnet18", FRESHNESS, pretrained=True)


@pytest.mark.slow  # a short training run
def test_train_pretrained_end_to_end(hub, tmp_path):
    sd = _write_cached_resnet18()
    data = tmp_path / "fruit"
    assert foodcam("synth", "fruit", "--out", data, "--count", 48, "--seed", 0, "--size", "40x40") == 0
    run = tmp_path / "run"
    assert foodcam("train", "freshness", "--data", data, "--model", "resnet18", "--pretrained", "--imgsz", 32,
                   "--epochs", 1, "--batch", 16, "--out", run, "--device", "cpu", "--lr", 1e-9) == 0
    ckpt = read_checkpoint(run / "last.pt")
    assert ckpt["config"]["pretrained"] is True
    # one step at a vanishing learning rate: the backbone still holds the cached weights
    assert torch.allclose(ckpt["state_dict"]["backbone.conv1.weight"], sd["conv1.weight"], atol=1e-4)
