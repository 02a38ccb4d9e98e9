"""A synth:// scene is for the models of its task: `foodcam run` (and `sort`) refuses any other in one line naming
both, before a frame is drawn, and never shows the scorer's exceptions; a model of the scene's task with another
class list runs unscored after one warning."""

import json
import logging
import sys
from pathlib import Path

import pytest
from tiny_onnx import cls_onnx, seg_onnx

from foodcam.camera.scene_fit import check_scene, truth_classes
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import FOODREC, FOODSEG, FRESHNESS, KITCHEN, food_segmentation_task
from tests.conftest import foodcam

sys.path.insert(0, str(Path(__file__).parent))

REFUSED = [  # (scene, task, the scene the message suggests)
    ("kitchen", FRESHNESS, "synth://conveyor"),
    ("kitchen", FOODSEG, "synth://foodseg"),
    ("conveyor", KITCHEN, "synth://kitchen"),
    ("conveyor", FOODREC, "synth://foodseg"),
    ("foodseg", KITCHEN, "synth://kitchen"),
    ("foodseg", FRESHNESS, "synth://conveyor"),
]


@pytest.mark.parametrize("scene, task, fits", REFUSED)
def test_a_model_of_another_task_is_refused_naming_both(scene, task, fits):
    with pytest.raises(FoodcamError) as e:
        check_scene(f"synth://{scene}?fps=0&size=64x48", task, "m.onnx")
    text = str(e.value)
    assert "\n" not in text and text.startswith(f"m.onnx is a {task.name} {task.kind} model")
    assert f"synth://{scene} shows" in text and f"run it on {fits}" in text


@pytest.mark.parametrize("scene, task", [("kitchen", KITCHEN), ("conveyor", FRESHNESS), ("foodseg", FOODREC)])
def test_the_scenes_own_task_runs_scored(scene, task, caplog):
    with caplog.at_level(logging.WARNING):
        assert check_scene(f"synth://{scene}", task, "m.onnx") is True
    assert not caplog.records


def test_other_sources_are_not_judged():
    assert check_scene("clip.mp4", FRESHNESS, "m.onnx") is True  # not even opened: no ground truth, no judgement
    assert check_scene(0, KITCHEN, "m.onnx") is True


def test_a_foodseg_model_with_other_classes_runs_unscored_with_one_warning(caplog):
    truth = truth_classes("foodseg")
    same = food_segmentation_task(list(truth))
    other = food_segmentation_task(["background", "rice", "egg"])
    assert check_scene("synth://foodseg", same, "same.onnx") is True
    with caplog.at_level(logging.WARNING):
        assert check_scene("synth://foodseg", other, "other.onnx") is False
    [record] = caplog.records
    assert "other.onnx predicts 3 classes" in record.getMessage() and "not scored" in record.getMessage()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scene_fit")
    return {"seg": seg_onnx(tmp / "seg.onnx"), "cls": cls_onnx(tmp / "cls.onnx")}


@pytest.mark.parametrize("model, source", [("cls", "synth://kitchen"), ("seg", "synth://conveyor"),
                                           ("seg", "synth://foodseg")])
def test_run_refuses_before_writing_anything(tiny, model, source, tmp_path, capsys):
    save = tmp_path / "out.mp4"
    rc = foodcam("run", "--model", tiny[model], "--source", f"{source}?size=96x72", "--max-frames", "3",
                 "--save", save, "--threads", "1")
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1, err
    assert err.startswith(f"foodcam run: error: {tiny[model]} is a ") and source in err
    assert "ValueError" not in err and not save.exists()


def test_run_on_its_own_scene_is_still_scored(tiny, tmp_path):
    summary = tmp_path / "summary.json"
    assert foodcam("run", "--model", tiny["seg"], "--source", "synth://kitchen?fps=0&size=64x48", "--max-frames",
                   "3", "--threads", "1", "--summary", summary) == 0
    assert json.loads(summary.read_text())["accuracy"]["frames"] == 3


def test_the_scorer_skips_item_truth():
    """A mask against synth://conveyor's list of items is not a score (and not an exception)."""
    import numpy as np

    from foodcam.camera.frame import Frame
    from foodcam.camera.sinks import ScoreSink
    from foodcam.camera.sinks.base import Rendered
    from foodcam.runtime.results import SegmentationResult

    sink = ScoreSink()
    result = SegmentationResult.__new__(SegmentationResult)
    sink.write(Rendered(Frame(np.zeros((4, 4, 3), np.uint8), 0, truth=[]), result, None, None, [], None))
    assert sink.summary() == {} and sink.frames == 0


def test_a_scene_that_cannot_open_fails_at_once(tiny, capsys):
    """A rendered scene's bad option never comes up later: one line, no retrying as for a camera."""
    rc = foodcam("run", "--model", tiny["cls"], "--source", "synth://conveyor?fps=0&size=64x48", "--max-frames", "1")
    assert rc == 2
    assert capsys.readouterr().err.strip() == "foodcam run: error: conveyor size 64x48: expected at least 64x64"
