"""The two-head classifier: shapes per backbone, freezing, local backbone weights, the deployment wrapper,
the loss and the classification metrics."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
import torch  # noqa: E402

from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.runtime.metrics import ConfusionMatrix  # noqa: E402
from foodcam.runtime.tasks import FRESHNESS  # noqa: E402
from foodcam.train.cls_metrics import head_metrics  # noqa: E402
from foodcam.train.cls_task import MultiHeadLoss, parse_loss_weights  # noqa: E402
from foodcam.train.models import build_model, model_names  # noqa: E402
from foodcam.train.models.deploy import DeployWrapper  # noqa: E402

torch.set_num_threads(1)


def test_registered_as_classification_models():
    assert {"mobilenetv3", "resnet18", "resnet50"} <= set(model_names("classification"))
    with pytest.raises(FoodcamError, match="segmentation"):
        build_model("unet", FRESHNESS)


@pytest.mark.parametrize("name", ["mobilenetv3", "resnet18", "resnet50"])
def test_forward_returns_both_heads(name):
    task = FRESHNESS.with_head_classes("fruit", ["apple", "banana", "orange", "strawberry", "tomato"])
    model = build_model(name, task).eval()
    with torch.no_grad():
        out = model(torch.randn(2, 3, 64, 64))
    assert set(out) == {"fruit", "freshness"}
    assert out["fruit"].shape == (2, 5) and out["freshness"].shape == (2, 2)


def test_freeze_and_finetune_last():
    full = build_model("resnet18", FRESHNESS)
    frozen = build_model("resnet18", FRESHNESS, freeze=True)
    last = build_model("resnet18", FRESHNESS, finetune_last=True)

    def trainable(m):
        return {n.split(".")[1] if n.startswith("backbone.") else n.split(".")[0]
                for n, p in m.named_parameters() if p.requires_grad}

    assert trainable(full) >= {"conv1", "layer1", "layer4", "shared", "heads"}
    assert "layer1" not in trainable(frozen) and "conv1" not in trainable(frozen) and "layer3" in trainable(frozen)
    assert trainable(last) == {"layer4", "shared", "heads"}
    frozen.train()
    assert not frozen.backbone.bn1.training and frozen.backbone.layer3.training  # frozen BN keeps its statistics
    mob = build_model("mobilenetv3", FRESHNESS, finetune_last=True)
    assert not any(p.requires_grad for p in mob.backbone.features[:13].parameters())
    assert all(p.requires_grad for p in mob.backbone.features[13:].parameters())


def test_init_loads_a_local_torchvision_state_dict(tmp_path):
    from torchvision.models import resnet18

    ref = resnet18(weights=None, num_classes=1000)
    path = tmp_path / "resnet18.pth"
    torch.save(ref.state_dict(), path)
    model = build_model("resnet18", FRESHNESS, init=path)
    assert torch.equal(model.backbone.layer3[0].conv1.weight, ref.layer3[0].conv1.weight)
    assert torch.equal(model.backbone.bn1.running_var, ref.bn1.running_var)
    with pytest.raises(FoodcamError, match="no such file"):
        build_model("resnet18", FRESHNESS, init=tmp_path / "missing.pth")


def test_deploy_wrapper_gives_probabilities_per_head_in_task_order():
    model = build_model("mobilenetv3", FRESHNESS).eval()
    wrapped = DeployWrapper(model, FRESHNESS).eval()
    frames = torch.from_numpy(np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3), dtype=np.uint8))
    with torch.no_grad():
        fruit, fresh = wrapped(frames)
    assert fruit.shape == (3, 4) and fresh.shape == (3, 2)
    assert torch.allclose(fruit.sum(1), torch.ones(3)) and torch.allclose(fresh.sum(1), torch.ones(3))


def test_loss_weights_and_training_statistics():
    assert parse_loss_weights(None, ("fruit", "freshness")) == {"fruit": 1.0, "freshness": 1.0}
    assert parse_loss_weights("freshness=2", ("fruit", "freshness")) == {"fruit": 1.0, "freshness": 2.0}
    assert parse_loss_weights("0.5, 3", ("fruit", "freshness")) == {"fruit": 0.5, "freshness": 3.0}
    for bad in ("colour=1", "1,2,3", "fruit=x", "0,0"):
        with pytest.raises(FoodcamError, match="--loss-weights"):
            parse_loss_weights(bad, ("fruit", "freshness"))
    loss = MultiHeadLoss({"fruit": 1.0, "freshness": 2.0})
    outputs = {"fruit": torch.tensor([[5.0, 0, 0, 0], [0, 5.0, 0, 0]]), "freshness": torch.tensor([[0.0, 0], [0, 0]])}
    targets = {"fruit": torch.tensor([0, 2]), "freshness": torch.tensor([0, 1])}
    total = loss(outputs, targets)
    ce = torch.nn.functional.cross_entropy
    expected = ce(outputs["fruit"], targets["fruit"]) + 2 * ce(outputs["freshness"], targets["freshness"])
    assert torch.isclose(total, expected)
    stats = loss.take()
    assert stats["fruit"][1] == 0.5 and math.isclose(stats["freshness"][0], math.log(2), rel_tol=1e-5)
    with torch.no_grad():  # validation passes are not training statistics
        loss(outputs, targets)
    assert math.isnan(loss.take()["fruit"][0])


def test_head_metrics_precision_recall_f1():
    cm = ConfusionMatrix(2)
    cm.update(np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0]))
    m = head_metrics(cm, ("fresh", "rotten"))
    assert m["accuracy"] == pytest.approx(0.6)
    assert m["per_class"]["rotten"]["precision"] == pytest.approx(2 / 3)
    assert m["per_class"]["rotten"]["recall"] == pytest.approx(2 / 3)
    assert m["per_class"]["fresh"]["f1"] == pytest.approx(0.5)
    assert m["confusion"] == [[1, 1], [1, 2]]
