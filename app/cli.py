"""`foodcam app`: the web page for people off the command line. Registration imports nothing heavy."""

from __future__ import annotations

from foodcam.argtypes import port, positive_int, thread_count


def _app(args) -> int:
    from foodcam.app.server import serve

    return serve(args)


def register(sub) -> None:
    p = sub.add_parser("app", help="web page: upload a photo or use the webcam, see what every model sees (foodcam[app])",
                       description="Serve a Gradio page that runs deployment models (.onnx, .engine) on uploaded or "
                                   "webcam photos; with a segmentation model, a Correct tab paints its mask right and "
                                   "saves training pairs. Binds 127.0.0.1 unless --host says otherwise.")
    p.add_argument("--model", action="append", required=True, metavar="PATH",
                   help="deployment .onnx, TensorRT .engine or a Triton-served grpc://HOST:8001/NAME (repeatable: one panel per model)")
    p.add_argument("--backend", default=None, help="runtime backend for every model (default: chosen from the file)")
    p.add_argument("--threads", type=thread_count, default=None, help="CPU threads for inference")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 opens it to the network)")
    p.add_argument("--port", type=port, default=7860)
    p.add_argument("--topk", type=positive_int, default=5, help="classes shown for label heads with more than 10 classes")
    p.add_argument("--no-examples", action="store_true", help="leave out the example photos")
    p.add_argument("--labels", default=None, metavar="DIR",
                   help="Correct tab (segmentation models): save corrected frames as DIR/train/images/<name>.jpg + "
                        "DIR/train/masks/<name>.png (default ./labels)")
    p.add_argument("--collected", default=None, metavar="DIR",
                   help="Correct tab: offer the frames of DIR (what `foodcam run --collect DIR` writes), least sure first")
    p.set_defaults(func=_app)
