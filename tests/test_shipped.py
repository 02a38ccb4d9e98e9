"""The models shipped in foodcam/assets: each deployment ONNX is what its checkpoint exports to, and both are
described in MODELS.md with the command that made them."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.runtime import open_model
from foodcam.shipped import ASSETS, TASKS, shipped
from tests.conftest import foodcam

pytest.importorskip("torch")


def frames(task: str, n: int = 6) -> list[np.ndarray]:
    if task == "kitchen":
        from foodcam.scenes import KitchenScene

        scene = KitchenScene((320, 240), seed=77, styles="all")
    elif task in ("foodseg", "foodrec"):
        from foodcam.scenes.plate import PlateScene

        scene = PlateScene(seed=77)
    else:
        from foodcam.scenes.fruit import FruitScene

        scene = FruitScene(seed=77)
    return [scene.render(i)[0] for i in range(n)]


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS)
def test_shipped_onnx_is_the_export_of_the_shipped_checkpoint(task, tmp_path):
    onnx, ckpt = shipped(task), shipped(task, "pt")
    out = tmp_path / "re.onnx"
    assert foodcam("export", "--weights", ckpt, "--out", out) == 0
    a, b = open_model(onnx), open_model(out)
    assert a.task.to_dict() == b.task.to_dict() and a.task.name == task
    for f in frames(task):
        ra, rb = a.predict(f), b.predict(f)
        for h in a.task.heads:
            if h.kind == "segmentation":
                assert (ra.mask == rb.mask).mean() > 0.999
            else:
                np.testing.assert_allclose(ra.probs[h.name], rb.probs[h.name], atol=1e-4)


def test_every_shipped_model_is_documented():
    doc = (ASSETS / "MODELS.md").read_text()
    for task in TASKS:
        assert f"{task}.onnx" in doc and f"{task}.pt" in doc
        assert shipped(task).stat().st_size < 20e6 and shipped(task, "pt").stat().st_size < 20e6


def test_each_task_has_its_example_photos():
    from foodcam.shipped import shipped_examples, shipped_models

    assert [p.name for p in shipped_models()] == [f"{t}.onnx" for t in TASKS]
    plates = shipped_examples("foodseg")
    assert plates and all(p.name.startswith("plate_") for p in plates) and plates == shipped_examples("foodrec")
    assert all(p.name.startswith("kitchen_") for p in shipped_examples("kitchen"))
    fruit = shipped_examples("freshness")
    assert fruit and not any(p.name.startswith(("kitchen_", "plate_")) for p in fruit)
    assert sorted(shipped_examples()) == sorted({*plates, *shipped_examples("kitchen"), *fruit})
