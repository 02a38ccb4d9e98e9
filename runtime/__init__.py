"""foodcam runtime: open a model artifact (.onnx / .engine) and run it. numpy + OpenCV + backend; never torch."""

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TASKS, Head, TaskSpec, get_task

__all__ = ["FoodcamError", "Head", "TaskSpec", "TASKS", "get_task", "open_model"]


def __getattr__(name: str):
    if name == "open_model":  # imported on first use: keeps `import runtime` free of OpenCV and backends
        from foodcam.runtime.open import open_model

        return open_model
    raise AttributeError(f"module 'runtime' has no attribute {name!r}")
