"""The trained models that ship inside foodcam (foodcam/assets/), so the camera loop runs straight after install.

Each is a checkpoint (`<task>.pt`) and its deployment ONNX (`<task>.onnx`); foodcam/assets/MODELS.md gives the
command, seed, data and metrics that made each one, and a test re-exports each checkpoint and compares.
"""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.errors import FoodcamError

ASSETS = Path(__file__).resolve().parent / "assets"
TASKS = ("kitchen", "freshness", "foodseg", "foodrec")
EXAMPLES = (("kitchen_", ("kitchen",)), ("plate_", ("foodseg", "foodrec")))  # file prefix -> tasks; the rest: fruit


def shipped(task: str, kind: str = "onnx") -> Path:
    """Path of the shipped `task` model: kind 'onnx' (deployment) or 'pt' (checkpoint)."""
    if task not in TASKS or kind not in ("onnx", "pt"):
        raise FoodcamError(f"no shipped {kind} model for task {task!r} (shipped: {', '.join(TASKS)}; onnx or pt)")
    path = ASSETS / f"{task}.{kind}"
    if not path.is_file():
        raise FoodcamError(f"{path}: the shipped {task} model is missing from this installation")
    return path


def shipped_models() -> list[Path]:
    """The deployment ONNX of every shipped model, in TASKS order: what `foodcam app` serves with no --model."""
    return [shipped(task) for task in TASKS]


def _example_tasks(path: Path) -> tuple[str, ...]:
    return next((tasks for prefix, tasks in EXAMPLES if path.name.startswith(prefix)), ("freshness",))


def shipped_examples(task: str | None = None) -> list[Path]:
    """The example photos shipped with foodcam (app/examples/, kitchen frames first): all, or those of `task`
    ('kitchen' frames, 'freshness' fruit photos, 'foodseg' and 'foodrec' plates)."""
    from foodcam.app.examples import example_paths

    if task not in (None, *TASKS):
        raise FoodcamError(f"no shipped examples for task {task!r} (shipped: {', '.join(TASKS)})")
    paths = example_paths()
    if task is not None:
        paths = [p for p in paths if task in _example_tasks(p)]
    return paths
