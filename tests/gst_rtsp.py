"""Where the tests' GStreamer RTSP server (tests/rtsp_server.py) can run, and why not when it cannot."""

from __future__ import annotations

import subprocess
from pathlib import Path

SERVER = Path(__file__).with_name("rtsp_server.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # the server needs PyGObject, which Debian installs for the system Python


def server_missing(elements: tuple[str, ...], packages: str) -> str | None:
    """None when the system Python has gst-rtsp-server and every GStreamer element named; else the reason."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} not found (the RTSP server runs on the system Python with PyGObject)"
    probe = ("import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import Gst, GstRtspServer;"
             f"Gst.init(None); assert all(Gst.ElementFactory.find(e) for e in {elements!r})")
    r = subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, text=True, timeout=60)
    if r.returncode:
        return f"no GStreamer RTSP server with {', '.join(elements)} (apt install {packages}): " + \
            (r.stderr.strip().splitlines() or ["?"])[-1]
    return None
