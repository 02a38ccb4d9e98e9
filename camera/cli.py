"""`foodcam run`: a model over a live camera, a stream, a file or the synthetic kitchen. Imports nothing heavy."""

from __future__ import annotations

import argparse

SOURCES_HELP = """sources:
  0 | v4l2:///dev/video0     USB camera          csi://0               Jetson CSI camera (GStreamer)
  rtsp://host/path           network camera      gst://<pipeline>      any GStreamer pipeline
  clip.mp4                   video file          img.jpg | dir/ | 'frames/*.png'   images
  synth://kitchen?fps=15&size=320x240&seed=0     procedural kitchen with ground truth (summary gets mIoU)

outputs (any number at once):
  --save out.mp4 | --save 'out/%%06d.jpg'   --events run.jsonl   --serve 127.0.0.1:8080   --show
  --rotate 100MB --keep 10   out.000001-<start time>.mp4 ... the 10 newest kept (also for --events)
  --collect frames/ [--collect-every 30] [--collect-by uncertain]   frames worth labelling

several streams, one model (frames batched into one inference call; {stream} = 0, 1, ... in output paths):
  --source rtsp://cam1/s --source rtsp://cam2/s --batch 8 --save 'out_{stream}.mp4' --events 'ev_{stream}.jsonl'
models served by Triton: --model grpc://gpu-server:8001/kitchen  (or http://HOST:8000/NAME; ?shm=1 on its host)

every flag can come from a YAML file: --config run.yaml (keys = flag names; the command line overrides)
"""


def _size(text: str) -> tuple[int, int]:
    # imported here: it imports cv2, and the verb must exist (and say what to install) without OpenCV
    from foodcam.runtime.imageio import parse_size

    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _roi(text: str) -> tuple[float, float, float, float]:
    try:
        v = tuple(float(x) for x in text.split(","))
        if len(v) != 4 or not all(0 <= x <= 1 for x in v):
            raise ValueError
        return v
    except ValueError:
        raise argparse.ArgumentTypeError(f"pan region {text!r}: expected CX,CY,RX,RY in 0..1, e.g. 0.5,0.5,0.4,0.4") from None


def _run(args) -> int:
    from foodcam.camera.app import main

    return main(args)


def add_output_args(p: argparse.ArgumentParser) -> None:
    """The outputs of the frame loop, the same for every verb that runs it (run, sort)."""
    p.add_argument("--save", action="append", metavar="PATH", help="video file, or image pattern with %%d (repeatable)")
    p.add_argument("--events", metavar="FILE", help="JSON Lines: per-frame records and events")
    p.add_argument("--events-interval", type=float, default=None, metavar="S",
                   help="write a stats record every S seconds instead of one per frame")
    p.add_argument("--rotate", metavar="SIZE|TIME", default=None,
                   help="long runs: start a new numbered --save video / --events file at this size or age "
                        "(100MB, 1h, or 100MB,1h)")
    p.add_argument("--keep", type=int, default=None, metavar="N",
                   help="keep only the N newest rotated files (or images of a %%d --save pattern); older ones are deleted")
    p.add_argument("--serve", nargs="?", const="127.0.0.1:8080", metavar="[HOST:]PORT",
                   help="HTTP live view (/, /stream, /stats); default 127.0.0.1:8080")
    p.add_argument("--show", nargs="?", const="auto", choices=["auto", "require"],
                   help="window on the display; without one: warn and go on (auto) or fail (require)")
    p.add_argument("--collect", metavar="DIR", help="save frames worth labelling into DIR (+ DIR/index.jsonl)")
    p.add_argument("--collect-every", type=int, default=30, metavar="N", help="one frame per N frames (default 30)")
    p.add_argument("--collect-by", choices=["every", "uncertain"], default="every",
                   help="every: the first of each N; uncertain: the least sure of each N (mean per-pixel entropy; "
                        "model exported with --uncertainty or --logits)")
    p.add_argument("--collect-max", type=int, default=None, metavar="K", help="stop collecting after K frames")


def register(sub) -> None:
    p = sub.add_parser("run", help="run a model on a camera, stream, file or synthetic source, frame by frame",
                       epilog=SOURCES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="deployment .onnx, TensorRT .engine, or grpc://HOST:8001/NAME (Triton)")
    p.add_argument("--source", required=True, action="append",
                   help="source URI (see below); repeat it to run several streams through one model, batched")
    p.add_argument("--batch", type=int, default=None, metavar="N",
                   help="several --source: at most N frames per inference call (default: one per stream)")
    p.add_argument("--backend", default=None, help="runtime backend (default: chosen from the file)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads for inference")
    p.add_argument("--verify", action="store_true",
                   help="also compare the model file's full sha256 with the one recorded at export/build")
    add_output_args(p)
    p.add_argument("--visualize", choices=["overlay", "mask", "side-by-side"], default="overlay")
    p.add_argument("--alpha", type=float, default=0.5, help="mask opacity over the frame, 0..1")
    p.add_argument("--no-analytics", action="store_true", help="skip kitchen analytics and their events")
    p.add_argument("--pan-roi", type=_roi, default=None, metavar="CX,CY,RX,RY",
                   help="pan region for food coverage, fractions of width/height (default 0.5,0.5,0.4,0.4)")
    p.add_argument("--retry", action=argparse.BooleanOptionalAction, default=None,
                   help="keep trying a source that is not up yet, with backoff, logging each attempt "
                        "(default: on for cameras and streams, off for files)")
    p.add_argument("--retry-for", type=float, default=None, metavar="S",
                   help="with --retry: give up after S seconds (default: keep trying)")
    p.add_argument("--loop", action="store_true", help="repeat a file or image sequence")
    p.add_argument("--realtime", action="store_true", help="play files at their frame rate, dropping frames when behind")
    p.add_argument("--fps", type=float, default=None, help="camera frame rate to request (files: the rate to assume)")
    p.add_argument("--size", type=_size, default=None, help="camera resolution to request, WxH")
    p.add_argument("--max-frames", type=int, default=None)
    p.add_argument("--max-seconds", type=float, default=None)
    p.add_argument("--summary", metavar="FILE", help="also write the exit summary as JSON")
    p.set_defaults(func=_run)
