"""`foodcam run`: a model over a live camera, a stream, a file or the synthetic kitchen. Imports nothing heavy."""

from __future__ import annotations

import argparse

from foodcam.argtypes import fraction, nonnegative_float, positive_float, positive_int, thread_count

SOURCES_HELP = """sources:
  0 | v4l2:///dev/video0     USB camera          csi://0               Jetson CSI camera (GStreamer)
  rtsp://host/path           network camera      gst://<pipeline>      any GStreamer pipeline
  clip.mp4                   video file          img.jpg | dir/ | 'frames/*.png'   images
  synth://NAME?fps=15&size=320x240&seed=0   a procedural scene rendered live, with its ground truth
    (fps 0.1-1000, or 0: unpaced; sides 16-8192, at most 16 MP; seed 0-4294967295):
{synth}

outputs (any number at once):
  --save out.mp4 | --save 'out/%06d.jpg'   --events run.jsonl   --serve 127.0.0.1:8080   --show
  --save rtsp://host:8554/path   publish H.264 to an RTSP server (RECORD; ffmpeg, or OpenCV's GStreamer)
  --save rtp://host:5000         send H.264 as RTP over UDP (payload type 96)
  --serve pages: /  live view    /stream  MJPEG    /snapshot.jpg  the latest frame    /stats  JSON
  --rotate 100MB --keep 10   out.000001-<start time>.mp4 ... the 10 newest kept (also for --events)
  --collect frames/ [--collect-every 30] [--collect-by uncertain]   frames worth labelling

.mp4/.mov/.mkv are H.264 (ffmpeg's libx264/libopenh264, OpenCV's avc1 or GStreamer's x264enc, whichever
exists; otherwise MPEG-4 Part 2 with a warning); the codec chosen is printed.
several streams, one model (frames batched into one inference call; {stream} = 0, 1, ... in output paths):
  --source rtsp://cam1/s --source rtsp://cam2/s --batch 8 --save 'out_{stream}.mp4' --events 'ev_{stream}.jsonl'
models served by Triton: --model grpc://gpu-server:8001/kitchen  (or http://HOST:8000/NAME; ?shm=1 on its host)

every flag can come from a YAML file: --config run.yaml (keys = flag names; the command line overrides)
"""


def synth_sources() -> str:
    """One line per `synth://` scene in the registry (scenes.FEEDS), for the help text."""
    try:
        from foodcam.scenes import FEEDS, SUMMARIES
    except ImportError as e:  # the scenes need numpy and OpenCV
        return f"  synth://NAME   (the list needs {getattr(e, 'name', None) or e})"
    return "\n".join(f"  {'synth://' + name:<26} {SUMMARIES.get(name, '')}".rstrip() for name in FEEDS)


class RunHelp(argparse.RawDescriptionHelpFormatter):
    """Raw epilog; its {synth} line is filled in when help is shown (the scenes import OpenCV)."""

    def add_text(self, text: str | None) -> None:
        if text and "{synth}" in text:
            text = text.replace("{synth}", synth_sources())
        super().add_text(text)


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


def check_loop_outputs(args, *extra: tuple[str, object, str]) -> list:
    """Check every file output of the frame loop (and `extra` (flag, path, kind) ones) for writability before the
    model loads; returns the paths given, for the closing `wrote` line."""
    from foodcam.runtime.outdir import check_outputs

    outputs = [("--save", args.save, "file"), ("--events", args.events, "file"),
               ("--collect", getattr(args, "collect", None), "dir"), *extra]
    check_outputs(outputs)
    return [p for _, v, _ in outputs for p in (v if isinstance(v, list) else [v]) if p]


def _run(args) -> int:
    from foodcam.runtime.outdir import print_wrote

    written = check_loop_outputs(args, ("--summary", args.summary, "file"))
    from foodcam.camera.app import main

    rc = main(args)
    print_wrote("run", *written)
    return rc


def add_output_args(p: argparse.ArgumentParser) -> None:
    """The outputs of the frame loop, the same for every verb that runs it (run, sort)."""
    p.add_argument("--save", action="append", metavar="PATH", help="video file (.mp4: H.264), image pattern with %%d, or stream rtsp://HOST:PORT/PATH | "
                        "rtp://HOST:PORT (repeatable)")
    p.add_argument("--events", metavar="FILE", help="JSON Lines: per-frame records and events")
    p.add_argument("--events-interval", type=positive_float, default=None, metavar="S",
                   help="write a stats record every S seconds instead of one per frame")
    p.add_argument("--rotate", metavar="SIZE|TIME", default=None,
                   help="long runs: start a new numbered --save video / --events file at this size or age "
                        "(100MB, 1h, or 100MB,1h)")
    p.add_argument("--keep", type=positive_int, default=None, metavar="N",
                   help="keep only the N newest rotated files (or images of a %%d --save pattern); older ones are deleted")
    p.add_argument("--serve", nargs="?", const="127.0.0.1:8080", metavar="[HOST:]PORT",
                   help="HTTP live view: / page, /stream MJPEG, /snapshot.jpg latest frame, /stats JSON; "
                        "default 127.0.0.1:8080")
    p.add_argument("--show", nargs="?", const="auto", choices=["auto", "require"],
                   help="window on the display; without one: warn and go on (auto) or fail (require)")
    p.add_argument("--collect", metavar="DIR", help="save frames worth labelling into DIR (+ DIR/index.jsonl)")
    p.add_argument("--collect-every", type=positive_int, default=30, metavar="N", help="one frame per N frames (default 30)")
    p.add_argument("--collect-by", choices=["every", "uncertain"], default="every",
                   help="every: the first of each N; uncertain: the least sure of each N (mean per-pixel entropy; "
                        "model exported with --uncertainty or --logits)")
    p.add_argument("--collect-max", type=positive_int, default=None, metavar="K", help="stop collecting after K frames")


def add_model_poll_arg(p) -> None:
    p.add_argument("--model-poll", type=nonnegative_float, default=None, metavar="S",
                   help="check the --model file every S seconds (default 1): a file replaced there (atomic rename) "
                        "is opened, self-tested and swapped in between two frames; SIGHUP reloads it at once; "
                        "0: on SIGHUP only")


def register(sub) -> None:
    p = sub.add_parser("run", help="run a model on a camera, stream, file or synthetic source, frame by frame",
                       epilog=SOURCES_HELP, formatter_class=RunHelp)
    p.add_argument("--model", required=True, help="deployment .onnx, TensorRT .engine, or grpc://HOST:8001/NAME (Triton)")
    p.add_argument("--source", required=True, action="append",
                   help="source URI (see below); repeat it to run several streams through one model, batched")
    p.add_argument("--batch", type=positive_int, default=None, metavar="N",
                   help="several --source: at most N frames per inference call (default: one per stream)")
    p.add_argument("--backend", default=None, help="runtime backend (default: chosen from the file)")
    p.add_argument("--threads", type=thread_count, default=None, help="CPU threads for inference")
    p.add_argument("--verify", action="store_true",
                   help="also compare the model file's full sha256 with the one recorded at export/build")
    add_model_poll_arg(p)
    add_output_args(p)
    p.add_argument("--visualize", choices=["overlay", "mask", "side-by-side"], default="overlay")
    p.add_argument("--alpha", type=fraction, default=0.5, help="mask opacity over the frame, 0..1")
    p.add_argument("--no-analytics", action="store_true", help="skip kitchen analytics and their events")
    p.add_argument("--pan-roi", type=_roi, default=None, metavar="CX,CY,RX,RY",
                   help="pan region for food coverage, fractions of width/height (default 0.5,0.5,0.4,0.4)")
    p.add_argument("--retry", action=argparse.BooleanOptionalAction, default=None,
                   help="keep trying a source that is not up yet, with backoff, logging each attempt "
                        "(default: on for cameras and streams, off for files)")
    p.add_argument("--retry-for", type=positive_float, default=None, metavar="S",
                   help="with --retry: give up after S seconds (default: keep trying)")
    p.add_argument("--loop", action="store_true", help="repeat a file or image sequence")
    p.add_argument("--realtime", action="store_true", help="play files at their frame rate, dropping frames when behind")
    p.add_argument("--fps", type=positive_float, default=None, help="camera frame rate to request (files: the rate to assume)")
    p.add_argument("--size", type=_size, default=None, help="camera resolution to request, WxH")
    p.add_argument("--max-frames", type=positive_int, default=None)
    p.add_argument("--max-seconds", type=positive_float, default=None)
    p.add_argument("--summary", metavar="FILE", help="also write the exit summary as JSON")
    p.set_defaults(func=_run)
