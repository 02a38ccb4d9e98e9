"""One door to every model artifact: a checkpoint, a deployment ONNX or a TensorRT engine -> `Model`."""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import Model

CHECKPOINT_SUFFIXES = (".pt", ".pth")
DEPLOY_SUFFIXES = (".onnx", ".engine", ".plan")


def load_model(path: str | Path, device: str | None = None, *, verify: bool = False, self_test: bool = True,
               **options) -> Model:
    """Open `path` by its suffix: .pt/.pth -> TorchModel; .onnx/.engine/.plan -> runtime.open.open_model.

    `device` is 'cpu', 'cuda' or 'cuda:N' (None: the GPU when present). Other options go to the backend.
    Every model is checked at open (runtime.selftest; a checkpoint's structure and weights in
    train.checkpoint); `verify` compares the sha256 an ONNX / engine recorded at export.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in CHECKPOINT_SUFFIXES + DEPLOY_SUFFIXES:
        kinds = ", ".join(CHECKPOINT_SUFFIXES + DEPLOY_SUFFIXES)
        raise FoodcamError(f"{p}: unknown model file kind {suffix or '(no suffix)'!r}; expected one of {kinds}")
    if not p.is_file():
        raise FoodcamError(f"{p}: no such model file")
    if suffix in CHECKPOINT_SUFFIXES:
        from foodcam.runtime.selftest import self_test as run_self_test
        from foodcam.train.torch_model import TorchModel

        model = TorchModel(p, device=device, **options)
        if self_test:
            try:
                run_self_test(model)
            except BaseException:
                model.close()
                raise
        return model
    from foodcam.runtime.open import open_model

    return open_model(p, **_backend_options(suffix, device), verify=verify, self_test=self_test, **options)


def _backend_options(suffix: str, device: str | None) -> dict:
    """Map the user's --device onto runtime.open's options: an ONNX runs on ONNX Runtime on that device
    (None: best available provider); an engine runs on TensorRT on GPU N."""
    if device is None:
        return {}
    dev = str(device).strip().lower()
    if dev == "cpu":
        if suffix != ".onnx":
            raise FoodcamError(f"a TensorRT engine ({suffix}) runs on a GPU only; --device cpu needs an .onnx file")
        return {"backend": "cpu"}
    if dev == "cuda" or dev.startswith("cuda:"):
        try:
            device_id = int(dev.split(":", 1)[1]) if ":" in dev else 0
        except ValueError:
            raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N") from None
        opts: dict = {"device_id": device_id}
        if suffix == ".onnx":
            opts["backend"] = "cuda"
        return opts
    raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N")
