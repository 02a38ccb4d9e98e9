"""Which models a `synth://` scene is for. A scene shows one kind of subject with its own ground truth: a model
of another task is refused before the loop starts, in one line naming both (a fruit classifier on a kitchen pan,
a pan segmenter on a conveyor); a segmentation model of the right task whose classes are not the scene's runs
unscored, with one warning, instead of reporting an mIoU of labels it never predicts."""

from __future__ import annotations

import logging
from os import PathLike

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import KITCHEN, TaskSpec

log = logging.getLogger("foodcam.camera")


def truth_classes(scene: str) -> tuple[str, ...] | None:
    """The class names of a scene's ground-truth masks (index = mask value); None for item truth (conveyor)."""
    if scene == "kitchen":
        return tuple(KITCHEN.seg_head.classes)
    if scene == "foodseg":
        from foodcam.scenes.plate import PlateScene

        return tuple(PlateScene().class_names)  # synth://foodseg renders PlateScene's default catalogue
    return None


def _model_words(task: TaskSpec) -> str:
    heads = ", ".join(h.name for h in task.heads)
    return f"a {task.name} {task.kind} model (heads: {heads})"


def check_scene(source: str | int, task: TaskSpec, model: str | PathLike) -> bool:
    """For a `synth://` source: FoodcamError when the model's task is not one the scene is for; whether its
    frames' ground truth can score the model (False, after one warning, for other class lists). Any other
    source: True (frames without ground truth are not scored anyway)."""
    from foodcam.camera.sources import parse_uri
    from foodcam.scenes import SCENE_TASKS

    if not str(source).strip().lower().startswith("synth://"):
        return True
    scene = parse_uri(source).target
    if scene not in SCENE_TASKS:
        return True
    subject, tasks = SCENE_TASKS[scene]
    if task.name not in tasks:
        fits = [f"synth://{s}" for s, (_, t) in SCENE_TASKS.items() if task.name in t]
        hint = (f"run it on {' or '.join(fits)}" if fits else
                "no synth:// scene shows its subject: run it on a camera, a video or an image folder")
        if "synth://conveyor" in fits:
            hint += " (`foodcam sort` runs the sorting line there)"
        raise FoodcamError(f"{model} is {_model_words(task)} and synth://{scene} shows {subject}, for "
                           f"{' or '.join(tasks)} models: {hint}")
    truth = truth_classes(scene)
    if truth is None or not task.has_segmentation:
        return True
    predicted = tuple(task.seg_head.classes)
    if predicted != truth:
        log.warning("%s predicts %d classes (%s...), synth://%s's ground truth has %d (%s...): not scored", model,
                    len(predicted), ", ".join(predicted[:3]), scene, len(truth), ", ".join(truth[:3]))
        return False
    return True
