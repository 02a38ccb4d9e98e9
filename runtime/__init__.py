"""foodcam runtime: open a model artifact (.onnx / .engine) and run it. numpy + OpenCV + backend; never torch."""

from runtime.errors import FoodcamError
from runtime.tasks import TASKS, Head, TaskSpec, get_task

__all__ = ["FoodcamError", "Head", "TaskSpec", "TASKS", "get_task"]
