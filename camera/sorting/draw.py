"""The sorting line on its frame: lane, camera line, every item boxed in the colour of its decision with its
id, fruit, running P(rotten) and countdown, and below the frame a panel with the line's counters and the
ejection queue (next commands first, each with the seconds left until it fires).

    thick box: decided      green: pass   red: reject   blue: divert
    thin box: deciding      coloured by what its votes say so far; amber before its first vote
    grey box: the photo-eye's classification window
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.camera.overlay import FONT, _line_height, _text_scale, hud_text
from foodcam.camera.sorting.result import ItemView, LineResult

COLOURS = {None: (0, 200, 255), "pass": (60, 200, 60), "reject": (40, 40, 235), "divert": (235, 140, 40)}
LANE, CAMERA_LINE, WINDOW, PANEL = (0, 220, 220), (255, 255, 255), (160, 160, 160), (32, 32, 32)
QUEUE_SHOWN = 4


class LineVisualizer:
    """`draw(image, result, info)` -> a new image: the annotated frame with a panel below it."""

    def draw(self, image: np.ndarray, result: LineResult, info: dict | None = None) -> np.ndarray:
        scale = _text_scale(max(image.shape[0], 360))
        lh = _line_height(scale) + 4
        h, w = image.shape[:2]
        out = np.empty((h + 2 * lh + 8, w, 3), np.uint8)
        out[:h] = image
        out[h:] = PANEL
        frame = out[:h]
        g = result.geometry
        cv2.polylines(frame, [np.asarray(g.lane, np.int32)], True, LANE, 1, cv2.LINE_AA)
        if g.window is not None:
            x0, y0, x1, y1 = g.window
            cv2.rectangle(frame, (x0, y0), (x1 - 1, y1 - 1), WINDOW, 1)
        c = int(round(g.camera_line))
        if g.direction in ("left_to_right", "right_to_left"):
            cv2.line(frame, (c, 0), (c, h - 1), CAMERA_LINE, 1)
        else:
            cv2.line(frame, (0, c), (w - 1, c), CAMERA_LINE, 1)
        for item in result.items:
            if item.box is not None:
                self._item(frame, item, result, scale)
        self._panel(out, h, result, info or {}, scale, lh)
        return out

    def _item(self, frame: np.ndarray, item: ItemView, result: LineResult, scale: float) -> None:
        colour = COLOURS.get(item.decision or item.leaning, COLOURS[None])
        x0, y0, x1, y1 = item.box
        cv2.rectangle(frame, (x0, y0), (x1 - 1, y1 - 1), colour, 2 if item.decision else 1)
        label = f"#{item.id}" + (f" {item.fruit}" if item.fruit else "")
        if item.p_rotten is not None:
            label += f" P {item.p_rotten:.2f}"
        if item.decision is not None:
            label += f" {item.decision}"
            if item.fire_at is not None and item.fire_at >= result.now:
                label += f" in {item.fire_at - result.now:.1f}s"
        (tw, th), _ = cv2.getTextSize(label, FONT, scale, 1)
        ty = y0 - 4 if y0 - th - 6 >= 0 else y1 + th + 4
        cv2.rectangle(frame, (x0, ty - th - 3), (x0 + tw + 4, ty + 3), colour, -1)
        cv2.putText(frame, label, (x0 + 2, ty), FONT, scale, (0, 0, 0), 1, cv2.LINE_AA)

    def _panel(self, out: np.ndarray, top: int, result: LineResult, info: dict, scale: float, lh: int) -> None:
        n = result.counts
        counts = (f"items {n.get('items', 0)}  reject {n.get('rejected', 0)}  pass {n.get('passed', 0)}  "
                  f"divert {n.get('diverted', 0)}  fired {n.get('fired', 0)}  missed {n.get('missed', 0)}")
        hud = hud_text(info)
        queue = "  ".join(f"#{p.id} {p.action} {result.countdown(p):.1f}s" for p in result.queue[:QUEUE_SHOWN])
        more = len(result.queue) - QUEUE_SHOWN
        queue = "queue: " + (queue or "empty") + (f"  +{more}" if more > 0 else "")
        for i, text in enumerate((counts + ("   " + hud if hud else ""), queue)):
            cv2.putText(out, text, (6, top + (i + 1) * lh), FONT, scale, (255, 255, 255), 1, cv2.LINE_AA)
