"""`foodcam run`: a model over a live camera, a stream, a file or the synthetic kitchen. Imports nothing heavy.
Its flags are RunConfig's fields (camera/loopconfig.py); the loop itself is camera/app.py's run_loop."""

from __future__ import annotations

import argparse

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


def _run(cfg) -> int:
    """The CLI face: the config parsed from the flags (and --config), the core run, the summary printed."""
    from foodcam.camera.app import check_loop_outputs, report, run_loop
    from foodcam.runtime.outdir import print_wrote

    written = check_loop_outputs(cfg)
    rc = report(run_loop(cfg))
    print_wrote("run", *written)
    return rc


def register(sub) -> None:
    from foodcam.camera.loopconfig import RunConfig
    from foodcam.verbconfig import add_verb

    add_verb(sub, "run", RunConfig, _run, epilog=SOURCES_HELP, formatter_class=RunHelp,
             help="run a model on a camera, stream, file or synthetic source, frame by frame")
