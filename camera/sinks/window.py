"""An on-screen window (cv2.imshow) when there is a display and this OpenCV has a GUI backend."""

from __future__ import annotations

import os

import cv2

from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError


def display_problem() -> str | None:
    """Why a window cannot be shown here, or None when it can."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display (DISPLAY / WAYLAND_DISPLAY unset)"
    for line in cv2.getBuildInformation().splitlines():
        if line.strip().startswith("GUI:") and "NONE" in line.upper():
            return "this OpenCV has no GUI backend (opencv-python-headless); install opencv-python or use JetPack's"
    return None


class WindowSink(Sink):
    """Shows annotated frames; q or Esc in the window ends the run."""

    def __init__(self, title: str = "foodcam") -> None:
        problem = display_problem()
        if problem:
            raise FoodcamError(f"--show: cannot open a window: {problem}")
        self.name = self.title = title

    def write(self, out: Rendered) -> None:
        cv2.imshow(self.title, out.image)
        if (cv2.waitKey(1) & 0xFF) in (ord("q"), 27):
            self.stop = True

    def close(self) -> None:
        try:
            cv2.destroyWindow(self.title)
        except cv2.error:
            pass
