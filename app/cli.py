"""`foodcam app`: the web page for people off the command line. AppConfig is the verb's one schema
(foodcam/verbconfig.py); app/server.py's serve(cfg) is its core. Registration imports nothing heavy."""

from __future__ import annotations

from foodcam.argtypes import Port, PositiveInt, Sha256, ThreadCount
from foodcam.verbconfig import VerbConfig, add_verb, opt


class AppConfig(VerbConfig):
    """`foodcam app`: the models the page serves, and where it binds."""

    verb = "app"

    model: list[str] = opt([], "deployment .onnx, TensorRT .engine or a Triton-served grpc://HOST:8001/NAME "
                           "(repeatable: one panel per model; default: the four shipped models)", metavar="PATH")
    backend: str | None = opt(None, "runtime backend for every model (default: chosen from the file)")
    threads: ThreadCount | None = opt(None, "CPU threads for inference")
    host: str = opt("127.0.0.1", "address to bind (default 127.0.0.1; 0.0.0.0 opens it to the network)")
    port: Port = 7860
    topk: PositiveInt = opt(5, "classes shown for label heads with more than 10 classes")
    no_examples: bool = opt(False, "leave out the example photos")
    labels: str | None = opt(None, "Correct tab (segmentation models): save corrected frames as "
                             "DIR/train/images/<name>.jpg + DIR/train/masks/<name>.png (default ./labels)",
                             metavar="DIR")
    collected: str | None = opt(None, "Correct tab: offer the frames of DIR (what `foodcam run --collect DIR` "
                                "writes), least sure first", metavar="DIR")
    model_sha256: Sha256 | None = opt(None, "refuse a model file whose sha256 is not HEX (pin the validated model)",
                                      metavar="HEX")


def _app(cfg: AppConfig) -> int:
    from foodcam.app.server import serve

    return serve(cfg)


def register(sub) -> None:
    add_verb(sub, "app", AppConfig, _app,
             help="web page: upload a photo or use the webcam, see what every model sees (foodcam[app])",
             description="Serve a Gradio page that runs deployment models (.onnx, .engine) on uploaded or webcam "
                         "photos; with a segmentation model, a Correct tab paints its mask right and saves "
                         "training pairs. Binds 127.0.0.1 unless --host says otherwise.")
