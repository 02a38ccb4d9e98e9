"""Draw a result on its frame: colour-coded mask (overlay | mask | side-by-side), class legend, HUD.

Fast by construction: the class mask is coloured at model resolution with a uint8 lookup table, upsampled (nearest)
in two steps into buffers reused every frame and blended with cv2.addWeighted (runtime/maskblend.py); the legend is
drawn once and pasted.
A task with many classes (foodseg: 104) gets a per-frame legend instead: only the classes present, largest
first, each with its area share of the frame, then the per-image heads' decisions (the ingredient list).
"""

from __future__ import annotations

import cv2
import numpy as np

from foodcam.runtime.colour import palette_bgr
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.maskblend import MaskPainter, nearest_rows  # noqa: F401 - nearest_rows re-exported
from foodcam.runtime.results import ClassificationResult, SegmentationResult
from foodcam.runtime.tasks import TaskSpec

MODES = ("overlay", "mask", "side-by-side")
MAX_STATIC_LEGEND = 12  # more classes than this: the legend lists only those present in the frame
FONT = cv2.FONT_HERSHEY_SIMPLEX


class Visualizer:
    def __init__(self, task: TaskSpec, mode: str = "overlay", alpha: float = 0.5, legend: bool = True,
                 hud: bool = True) -> None:
        if mode not in MODES:
            raise FoodcamError(f"visualize {mode!r}: expected one of {', '.join(MODES)}")
        if not 0.0 <= alpha <= 1.0:
            raise FoodcamError(f"alpha {alpha}: expected a value in 0..1")
        self.task, self.mode, self.alpha = task, mode, float(alpha)
        self.show_legend, self.show_hud = legend, hud
        self._lut = palette_bgr(task.seg_head).reshape(256, 1, 3) if task.kind == "segmentation" else None
        self._painter = MaskPainter(self._lut) if self._lut is not None else None
        self._legend: dict[float, np.ndarray] = {}  # per text scale

    def colour_mask(self, result: SegmentationResult) -> np.ndarray:
        """The colour-coded mask at the frame's resolution (a new array)."""
        return self._mask_painter().colour(result.mask, result.frame_shape)

    def _mask_painter(self) -> MaskPainter:
        if self._painter is None:
            raise TypeError(f"task {self.task.name!r} has no class mask to colour")
        return self._painter

    def draw(self, image: np.ndarray, result, info: dict | None = None) -> np.ndarray:
        """A new annotated BGR image; `image` is left untouched. info: fps, latency_ms, frame for the HUD."""
        scale = _text_scale(image.shape[0])
        if isinstance(result, SegmentationResult):
            if self.mode == "mask":
                out = view = self.colour_mask(result)
            elif self.mode == "overlay":
                out = view = self._mask_painter().blend(image, result.mask, self.alpha,
                                                       np.empty((*image.shape[:2], 3), np.uint8))
            else:  # side-by-side: the frame on the left, the overlay blended straight into the right half
                h, w = image.shape[:2]
                out = np.empty((h, 2 * w, 3), np.uint8)
                out[:, :w] = image
                view = self._mask_painter().blend(image, result.mask, self.alpha, out[:, w:])
            if self.show_legend and self.dynamic_legend:
                hud = _line_height(scale) + 12 if self.show_hud and info else 0  # the HUD's strip at the bottom
                patch = self.present_legend(result, scale, fit=(view.shape[0] - hud, view.shape[1]))
                h, w = min(patch.shape[0], view.shape[0]), min(patch.shape[1], view.shape[1])
                view[:h, :w] = patch[:h, :w]
            elif self.show_legend:
                self._paste_legend(view, scale)
        elif isinstance(result, ClassificationResult):
            out = image.copy()
            lines = [f"{head}: {result.head_text(head)}" for head in result.probs]  # "unsure (score ...)" too
            _text_block(out, lines, (8, 8), scale)
        else:
            raise TypeError(f"cannot draw a {type(result).__name__}")
        if self.show_hud and info:
            _text_block(out, [hud_text(info)], (8, out.shape[0] - _line_height(scale) - 12), scale)
        return out

    @property
    def dynamic_legend(self) -> bool:
        """Many classes (or per-image heads besides the mask): list what is present, not every class."""
        return self.task.kind == "segmentation" and (self.task.seg_head.num_classes > MAX_STATIC_LEGEND
                                                     or bool(self.task.image_heads))

    def present_legend(self, result: SegmentationResult, scale: float = 0.5, max_rows: int = 10,
                       fit: tuple[int, int] | None = None) -> np.ndarray:
        """A dark patch: swatch + "name 12.3%" for each class present (background left out), largest first;
        then one line per per-image head with its decision. `fit` (height, width): the patch stays inside it,
        listing fewer foods (and "+N more") and shortening lines that are too wide; empty where not one line fits."""
        head = self.task.seg_head
        shares = result.shares
        rows = [(i, n, shares[n]) for i, n in enumerate(head.classes)
                if shares[n] > 0 and not (i == 0 and n == "background")]
        rows.sort(key=lambda r: -r[2])
        heads: list[tuple[int | None, str]] = []
        for h in self.task.image_heads:
            if h.name in result.probs and result.is_unsure(h.name):
                heads.append((None, f"{h.name}: unsure"))
            elif h.name in result.probs:
                names = [n for n, _ in result.decisions(h.name, 1)]
                heads.append((None, f"{h.name}: {', '.join(names[:4]) or '-'}" + (" ..." if len(names) > 4 else "")))
        lh, pad = _line_height(scale), 6
        room = (fit[0] - pad) // (lh + pad) if fit else len(rows) + len(heads) + 2
        if room < 1:  # a frame too small for one line of text: no legend
            return np.zeros((0, 0, 3), np.uint8)
        shown = min(max_rows, len(rows))
        while shown > 1 and shown + (len(rows) > shown) + len(heads) > room:
            shown -= 1
        lines: list[tuple[int | None, str]] = [(i, f"{n} {100 * s:.1f}%") for i, n, s in rows[:shown]]
        if len(rows) > shown:
            lines.append((None, f"+{len(rows) - shown} more"))
        if not rows:
            lines.append((None, "no food"))
        lines = (lines + heads)[:room]
        text_room = fit[1] - lh - 3 * pad if fit else None
        lines = [(i, _shorten(t, scale, text_room)) for i, t in lines]
        width = max(cv2.getTextSize(t, FONT, scale, 1)[0][0] for _, t in lines) + lh + 3 * pad
        patch = np.full((pad + len(lines) * (lh + pad), width, 3), 32, np.uint8)
        lut = palette_bgr(head)
        for k, (i, text) in enumerate(lines):
            y = pad + k * (lh + pad)
            x = pad
            if i is not None:
                cv2.rectangle(patch, (pad, y), (pad + lh, y + lh), tuple(int(c) for c in lut[i]), -1)
                x = 2 * pad + lh
            cv2.putText(patch, text, (x, y + lh - 2), FONT, scale, (255, 255, 255), 1, cv2.LINE_AA)
        return patch

    def _paste_legend(self, out: np.ndarray, scale: float) -> None:
        patch = self._legend.get(scale)
        if patch is None:
            patch = self._legend[scale] = self.legend(scale)
        h, w = min(patch.shape[0], out.shape[0]), min(patch.shape[1], out.shape[1])
        out[:h, :w] = patch[:h, :w]

    def legend(self, scale: float = 0.5) -> np.ndarray:
        """A small dark patch: one colour swatch and class name per line."""
        head = self.task.seg_head
        lh, pad = _line_height(scale), 6
        width = max(cv2.getTextSize(n, FONT, scale, 1)[0][0] for n in head.classes) + lh + 3 * pad
        patch = np.full((pad + len(head.classes) * (lh + pad), width, 3), 32, np.uint8)
        lut = palette_bgr(head)
        for i, name in enumerate(head.classes):
            y = pad + i * (lh + pad)
            cv2.rectangle(patch, (pad, y), (pad + lh, y + lh), tuple(int(c) for c in lut[i]), -1)
            cv2.putText(patch, name, (2 * pad + lh, y + lh - 2), FONT, scale, (255, 255, 255), 1, cv2.LINE_AA)
        return patch


def hud_text(info: dict) -> str:
    parts = []
    if info.get("fps") is not None:
        parts.append(f"{info['fps']:.1f} fps")
    if info.get("latency_ms") is not None:
        parts.append(f"{info['latency_ms']:.0f} ms")
    if info.get("frame") is not None:
        parts.append(f"#{info['frame']}")
    return "  ".join(parts)


def _text_scale(height: int) -> float:
    return round(max(0.4, min(1.0, height / 720 * 0.6)), 2)


def _line_height(scale: float) -> int:
    return cv2.getTextSize("Ag", FONT, scale, 1)[0][1] + 4


def _shorten(text: str, scale: float, room: int | None) -> str:
    """`text`, cut and ended with ".." where it is wider than `room` pixels (None: no limit)."""
    if room is None or cv2.getTextSize(text, FONT, scale, 1)[0][0] <= room:
        return text
    while len(text) > 1 and cv2.getTextSize(text + "..", FONT, scale, 1)[0][0] > room:
        text = text[:-1]
    return text.rstrip() + ".."


def _text_block(img: np.ndarray, lines: list[str], org: tuple[int, int], scale: float) -> None:
    """White text on a dark box, top-left corner at `org`."""
    lh = _line_height(scale)
    w = max((cv2.getTextSize(t, FONT, scale, 1)[0][0] for t in lines), default=0) + 8
    x, y = org
    y = max(0, y)
    img[y:y + len(lines) * (lh + 4) + 4, x:x + w] = 32
    for i, t in enumerate(lines):
        cv2.putText(img, t, (x + 4, y + (i + 1) * (lh + 4) - 2), FONT, scale, (255, 255, 255), 1, cv2.LINE_AA)
