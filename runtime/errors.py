"""The exception types the CLI turns into a one-line error message, and what to install for a missing module."""


class FoodcamError(Exception):
    """A user-facing error: bad input, missing file, wrong model. Message names what and where."""


class ModelUnavailable(FoodcamError):
    """A remote model (a Triton server) did not answer a request: the camera loop drops the frame and retries
    with backoff instead of ending the run."""


# a missing module -> what to install (the deployed side runs without the PyTorch side, and with the platform's OpenCV)
INSTALL_HINTS = {
    "cv2": "install foodcam[opencv] or your platform's OpenCV (on a Jetson: JetPack's, see docs/jetson.md)",
    "onnxruntime": "install onnxruntime (or onnxruntime-gpu; on a Jetson the wheel from docs/jetson.md)",
    "paho": "install foodcam[actuators] for the MQTT actuator",
    "serial": "install foodcam[actuators] for the serial actuator and trigger",
    "cuda": "install foodcam[gpu] (cuda-python) for the TensorRT backend",
    "tensorrt": "install TensorRT (JetPack's, or NVIDIA's pip index; docs/gpu-server.md)",
    "gradio": "install foodcam[app] for the web page",
    "gradio_client": "install foodcam[app] for the web page's Python client",
    "tritonclient": "install foodcam[triton] for the Triton client",
    "yaml": "install pyyaml",
}
TRAIN_HINT = "install foodcam[train] for the PyTorch side"  # torch, torchvision, albumentations, onnx, ...


def install_hint(missing: str | None) -> str:
    """What to install for the module `missing` (a dotted name: its top package counts)."""
    top = (missing or "").split(".")[0]
    return INSTALL_HINTS.get(top, TRAIN_HINT)


class MissingExtra(FoodcamError, ModuleNotFoundError):
    """A module of an optional extra is not installed: one line naming it and what to install. Still a
    ModuleNotFoundError, so code that falls back when an import fails keeps doing so."""

    def __init__(self, name: str) -> None:
        super().__init__(f"missing package {name!r} ({install_hint(name)})")
        self.name = name


def missing_extra(e: ModuleNotFoundError) -> FoodcamError | None:
    """The MissingExtra for an import that failed for want of a third-party module; None for one of foodcam's
    own modules (a broken install or a bug, whose traceback is the useful message)."""
    if isinstance(e, MissingExtra):
        return e
    name = e.name or ""
    if not name or name.split(".")[0] == "foodcam":
        return None
    return MissingExtra(name)
