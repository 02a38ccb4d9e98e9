"""Model registry: every segmentation model builds, returns (N, C, H, W) float logits, loads a local backbone."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
import torch  # noqa: E402
from torch import nn  # noqa: E402

from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS, KITCHEN, Head, TaskSpec  # noqa: E402
from foodcam.train.models import MODELS, build_model, load_backbone, model_kwargs, model_names, register_model  # noqa: E402

torch.set_num_threads(1)

FIVE = TaskSpec("five", (Head("mask", "segmentation", ("a", "b", "c", "d", "e")),), input_size=(64, 64))


def small(name: str) -> dict:
    return model_kwargs(name, width=0.5 if name == "thinseg" else 8)


@pytest.mark.parametrize("name", ["unet", "lraspp", "deeplabv3", "thinseg"])
@pytest.mark.parametrize("task", [KITCHEN, FIVE], ids=["3 classes", "5 classes"])
def test_segmentation_models_return_logits_at_input_size(name, task):
    torch.manual_seed(0)
    model = build_model(name, task, **small(name)).eval()
    with torch.no_grad():
        y = model(torch.randn(2, 3, 64, 64))
    assert isinstance(y, torch.Tensor)
    assert y.shape == (2, task.seg_head.num_classes, 64, 64)
    assert y.dtype == torch.float32
    assert torch.isfinite(y).all()


@pytest.mark.parametrize("up", ["bilinear", "transpose"])
def test_unet_any_size_and_width(up):
    model = build_model("unet", KITCHEN, width=4, up=up).eval()
    with torch.no_grad():
        assert model(torch.randn(1, 3, 72, 56)).shape == (1, 3, 72, 56)  # not multiples of 16: padded, cropped
        assert model(torch.randn(1, 3, 32, 48)).shape == (1, 3, 32, 48)
    bigger = build_model("unet", KITCHEN, width=8)
    n = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert n(bigger) > 3 * n(model)  # width scales the channels


def test_unet_trains_in_train_mode():
    model = build_model("unet", FIVE, width=4)
    y = model(torch.randn(2, 3, 32, 32))
    y.mean().backward()
    assert model.head.weight.grad is not None


def test_registry_errors():
    assert {"unet", "lraspp", "deeplabv3"} <= set(model_names("segmentation"))
    with pytest.raises(FoodcamError, match="unknown model 'nope'"):
        build_model("nope", KITCHEN)
    with pytest.raises(FoodcamError, match="segmentation model"):
        build_model("unet", FRESHNESS)
    with pytest.raises(FoodcamError, match="takes no option"):
        build_model("lraspp", KITCHEN, width=8)
    assert model_kwargs("lraspp", width=8) == {}
    assert model_kwargs("unet", width=8, lr=1.0) == {"width": 8}


def test_a_classification_model_plugs_in_without_touching_the_registry():
    @register_model("_test_twohead", "classification")
    def build(task, *, hidden: int = 4) -> nn.Module:
        class TwoHead(nn.Module):
            def __init__(self):
                super().__init__()
                self.backbone = nn.Sequential(nn.Conv2d(3, hidden, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
                self.heads = nn.ModuleDict({h.name: nn.Linear(hidden, h.num_classes) for h in task.heads})

            def forward(self, x):
                f = self.backbone(x)
                return {name: head(f) for name, head in self.heads.items()}

        return TwoHead()

    try:
        out = build_model("_test_twohead", FRESHNESS, hidden=6)(torch.randn(2, 3, 16, 16))
        assert {k: v.shape for k, v in out.items()} == {"fruit": (2, 4), "freshness": (2, 2)}
        with pytest.raises(FoodcamError, match="classification model"):
            build_model("_test_twohead", KITCHEN)
    finally:
        MODELS.pop("_test_twohead")


def test_init_loads_a_backbone_state_dict_with_prefixes(tmp_path):
    torch.manual_seed(1)
    donor = build_model("unet", KITCHEN, width=4)
    path = tmp_path / "encoder.pt"
    # saved the way DDP-trained full models often are: "module.encoder.<...>", plus a head that must not load
    torch.save({"state_dict": {f"module.{k}": v for k, v in donor.state_dict().items()}}, path)
    torch.manual_seed(2)
    model = build_model("unet", FIVE, width=4, init=path)  # 5 classes: the head differs, the encoder matches
    for k, v in donor.encoder.state_dict().items():
        assert torch.equal(model.encoder.state_dict()[k], v), k
    assert not torch.equal(model.decoder[0].conv[0].weight, donor.decoder[0].conv[0].weight)  # only the backbone


def test_init_accepts_a_torchvision_classifier_state_dict(tmp_path):
    from torchvision.models import mobilenet_v3_large

    torch.manual_seed(3)
    classifier = mobilenet_v3_large(weights=None)  # keys "features.N...", like an ImageNet checkpoint
    path = tmp_path / "mnv3.pth"
    torch.save(classifier.state_dict(), path)
    model = build_model("lraspp", KITCHEN)
    loaded, total = load_backbone(model, path)
    assert loaded == total > 100
    w = classifier.features[0][0].weight
    assert torch.equal(model.backbone["0"][0].weight, w)


def test_init_errors(tmp_path):
    with pytest.raises(FoodcamError, match="no such file"):
        build_model("unet", KITCHEN, width=4, init=tmp_path / "missing.pt")
    unrelated = tmp_path / "unrelated.pt"
    torch.save({"foo.weight": torch.zeros(3, 3)}, unrelated)
    with pytest.raises(FoodcamError, match="match"):
        build_model("unet", KITCHEN, width=4, init=unrelated)
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"not a checkpoint")
    with pytest.raises(FoodcamError, match="state dict"):
        build_model("unet", KITCHEN, width=4, init=garbage)


def test_lraspp_batchnorm_tracks_training_statistics():
    # torchvision's 0.01 leaves eval-mode statistics near their initial values after a short run from scratch
    model = build_model("lraspp", KITCHEN)
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    assert norms and all(m.momentum == 0.1 for m in norms)


@pytest.mark.parametrize("width", [0.5, 1.0, 1.25])
@pytest.mark.parametrize("size", [(64, 64), (72, 96), (50, 70)])
def test_thinseg_any_size_and_width(width, size):
    from foodcam.train.models import build_model

    net = build_model("thinseg", KITCHEN, width=width).eval()
    with torch.no_grad():
        y = net(torch.randn(1, 3, *size))
    assert y.shape == (1, 3, *size)


def test_thinseg_keeps_a_one_pixel_line_that_stride_8_loses():
    """The stride-2 path can represent a 2-px-wide line: a briefly fitted model separates it."""
    from foodcam.train.losses import SegLoss
    from foodcam.train.models import build_model

    torch.manual_seed(0)
    net = build_model("thinseg", KITCHEN, width=0.5)
    x = torch.zeros(4, 3, 64, 64)
    y = torch.ones(4, 64, 64, dtype=torch.long)  # pan
    for i in range(4):
        c = 10 + 12 * i
        x[i, :, :, c:c + 2] = 1.0
        y[i, :, c:c + 2] = 0  # a 2-px vertical stirrer
    opt = torch.optim.Adam(net.parameters(), 1e-2)
    crit = SegLoss(torch.ones(3), boundary_weight=2.0)
    for _ in range(60):
        opt.zero_grad()
        crit(net(x), y).backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        pred = net(x).argmax(1)
    stirrer = y == 0
    inter = (pred[stirrer] == 0).sum().item()
    union = stirrer.sum().item() + (pred == 0).sum().item() - inter
    assert inter / union > 0.5


def test_boundary_map_on_cpu_is_the_max_pool_definition_the_gpu_uses():
    from foodcam.train.losses import boundary_map

    def pooled(t, r, ignore):  # the window holds more than one value: max != min
        f = torch.where(t == ignore, torch.full_like(t, -1), t).float().unsqueeze(1)
        hi = torch.nn.functional.max_pool2d(f, 2 * r + 1, 1, r)
        lo = -torch.nn.functional.max_pool2d(-f, 2 * r + 1, 1, r)
        return (hi != lo).squeeze(1).float()

    g = torch.Generator().manual_seed(0)
    t = torch.randint(0, 3, (3, 40, 30), generator=g)
    t[0] = 1
    t[1, :, 10:] = 2
    t[2, 5:9, 3:20] = 255
    for r in (1, 2):
        assert torch.equal(boundary_map(t, radius=r), pooled(t, r, 255))
    neg = torch.where(t == 255, torch.full_like(t, -100), t)  # an ignore index outside uint8: the pooled path
    assert torch.equal(boundary_map(neg, radius=2, ignore_index=-100), pooled(neg, 2, -100))
    assert boundary_map(t)[0].sum() == 0 and boundary_map(t)[1].sum() > 0


def test_boundary_map_marks_class_edges_and_loss_weights_them():
    from foodcam.train.losses import SegLoss, boundary_map

    t = torch.ones(1, 8, 8, dtype=torch.long)
    t[0, :, 4:] = 2
    b = boundary_map(t, radius=1)
    assert b[0, :, 3:5].eq(1).all() and b[0, :, :3].eq(0).all() and b[0, :, 5:].eq(0).all()
    logits = torch.nn.functional.one_hot(t, 3).permute(0, 3, 1, 2).float() * 5.0
    logits[0, :, :, 4] = torch.tensor([0.0, 5.0, 0.0])[:, None]  # wrong only on the edge column
    plain = SegLoss(torch.ones(3), dice_weight=0)(logits, t)
    weighted = SegLoss(torch.ones(3), dice_weight=0, boundary_weight=4.0)(logits, t)
    assert torch.isfinite(weighted) and weighted > plain * 1.5  # the edge errors now weigh more
