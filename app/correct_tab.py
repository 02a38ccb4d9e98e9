"""The page's Correct tab (segmentation models only): load a photo or a collected frame, the model's mask appears as
an editable layer over it, paint the classes right with a brush per class (the eraser gives a pixel back to the
model), Save writes the photo and the corrected colour mask into the labels folder (app/correct.py does the work).
Needs foodcam[app].

API (gradio_client): "/correct_load_upload" (photo) and "/correct_load_frame" (collected frame path) return
[editor value, state, name, status]; "/correct_save" (editor value, name, split) returns the status markdown.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path

import cv2
import gradio as gr
import numpy as np

from foodcam.app.analysis import ServedModel, _display
from foodcam.app.correct import (
    JPEG_QUALITY,
    SPLITS,
    check_stem,
    collected_frames,
    corrected_mask,
    hex_colours,
    mask_layer,
    paint_to_classes,
    save_pair,
)
from foodcam.app.photo import MIN_SIDE, Photo, load_photo, open_upload, raw_upload
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.app")
BRUSH_OPACITY = 0.6  # see-through strokes, still above correct.PAINTED_ALPHA on an empty spot
BRUSH_SIZE = 12  # radius in photo pixels (the editor's brush-size button changes it)


@dataclass
class Loaded:
    """The photo being corrected: the frame at full size, the model's mask, the editor's (smaller) size."""

    frame: np.ndarray  # BGR, as decoded
    mask: np.ndarray  # the model's class mask at the frame's size
    edit_size: tuple[int, int]  # (H, W) of the editor's background and layers
    name: str


def _error(message: str) -> gr.Error:
    return gr.Error(html.escape(message), duration=None, print_exception=False)


def legend_html(head) -> str:
    rows = "".join(f'<tr><td><span class="foodcam-swatch" style="background:{c}"></span></td>'
                   f'<td class="foodcam-class">{html.escape(name)}</td><td><code>{c}</code></td></tr>'
                   for name, c in zip(head.classes, hex_colours(head)))
    return f'<table class="foodcam-legend"><tr><th></th><th>brush</th><th>colour</th></tr>{rows}</table>'


class CorrectTab:
    """Components and handlers of the Correct tab for one segmentation model."""

    def __init__(self, served: ServedModel, labels: Path, collected: Path | None = None) -> None:
        head = served.seg_head
        if head is None:
            raise FoodcamError(f"{served.name}: the Correct tab needs a segmentation model")
        self.served, self.head, self.labels = served, head, Path(labels).resolve()
        self.collected = None if collected is None else Path(collected).resolve()
        colours = hex_colours(self.head)
        gr.Markdown(
            f"### Correct the mask of `{served.name}`\nLoad a photo or a collected frame: the model's mask is the "
            "layer over it. Pick the brush and a class colour and paint where the model is wrong; the eraser gives "
            "a pixel back to the model. **Save** writes the photo and the corrected colour mask to "
            f"`{self.labels}/<split>/images/<name>.jpg` and `masks/<name>.png` (the same name again replaces "
            "them): `train` frames for fine-tuning, `val` frames held back to judge it; `foodcam train --data` reads "
            "that folder.", elem_id="correct-help")
        with gr.Row():
            with gr.Column(scale=1, min_width=260):
                self.photo = gr.Image(label="photo", sources=["upload", "clipboard"], type="filepath", image_mode=None,
                                      elem_id="correct-photo", height=180)
                self.photo.preprocess = raw_upload  # the page's one door for photos (see page.py)
                self.frame: gr.Dropdown | None = None
                self.refresh: gr.Button | None = None
                if self.collected is not None:
                    self.frame = gr.Dropdown(label=f"collected frames ({self.collected}), least sure first",
                                             choices=self._choices(), value=None, elem_id="correct-frame")
                    self.refresh = gr.Button("rescan the folder", size="sm", elem_id="correct-refresh")
                gr.HTML(legend_html(self.head), elem_id="correct-legend")
                self.stem = gr.Textbox(label="name (file stem)", elem_id="correct-stem", max_lines=1)
                self.split = gr.Radio(list(SPLITS), value=SPLITS[0], label="save into", elem_id="correct-split")
                self.save = gr.Button("Save", variant="primary", elem_id="correct-save")
                self.status = gr.Markdown(elem_id="correct-status", min_height=24)
            with gr.Column(scale=3):
                self.editor = gr.ImageEditor(
                    label="mask (paint to correct)", type="numpy", image_mode="RGBA", sources=[], transforms=(),
                    format="png", elem_id="correct-editor", height=640, visible=False,
                    # the editor centres a layer in the largest thing it already holds: an initial canvas no larger
                    # than any photo (photo.MIN_SIDE) keeps the mask layer aligned with the photo
                    canvas_size=(MIN_SIDE, MIN_SIDE),
                    brush=gr.Brush(colors=[(c, BRUSH_OPACITY) for c in colours], default_color=(colours[0], BRUSH_OPACITY),
                                   color_mode="fixed", default_size=BRUSH_SIZE),
                    eraser=gr.Eraser(default_size=BRUSH_SIZE), layers=gr.LayerOptions(allow_additional_layers=False))
        self.state = gr.State(None)
        outputs = [self.editor, self.state, self.stem, self.status]
        self.photo.upload(self.load_upload, inputs=self.photo, outputs=outputs, api_name="correct_load_upload",
                          concurrency_limit=1)
        if self.frame is not None and self.refresh is not None:
            self.frame.input(self.load_frame, inputs=self.frame, outputs=outputs, api_name="correct_load_frame",
                             concurrency_limit=1)
            self.refresh.click(lambda: gr.Dropdown(choices=self._choices()), outputs=self.frame,
                               api_visibility="private")
        self.save.click(self.save_edits, inputs=[self.editor, self.state, self.stem, self.split], outputs=self.status,
                        api_name="correct_save", concurrency_limit=1)

    def _choices(self) -> list[tuple[str, str]]:
        if self.collected is None:
            return []
        try:
            return [(c.label, str(c.path)) for c in collected_frames(self.collected)]
        except FoodcamError as e:
            log.warning("%s", e)
            return []

    def _load(self, shot: Photo):
        try:
            mask = self.served.segment(shot.frame)
        except Exception as e:  # a model failing on one photo must not take the page down
            log.exception("segmenting %s failed", shot.name)
            raise _error(f"{shot.name}: the model failed on this photo ({type(e).__name__}: {e})") from None
        shown = _display(shot.frame)
        h, w = shown.shape[:2]
        small = mask if (h, w) == mask.shape else _resize_nearest(mask, (h, w))
        value = {"background": shown[:, :, ::-1], "layers": [mask_layer(small, self.head)], "composite": None}
        editor = gr.ImageEditor(value=value, visible=True)
        state = Loaded(frame=shot.frame, mask=mask, edit_size=(h, w), name=shot.name)
        fh, fw = shot.frame.shape[:2]
        status = (f"**{html.escape(shot.name)}**: {fw}x{fh}" + (f", edited at {w}x{h}" if (h, w) != (fh, fw) else "")
                  + "".join(f" · {n}" for n in shot.notes) + " · nothing written yet")
        return editor, state, shot.stem, status

    def load_upload(self, value):
        if value is None:
            return None, None, "", ""
        try:
            return self._load(open_upload(value))
        except FoodcamError as e:
            raise _error(str(e)) from None

    def load_frame(self, path: str | None):
        if not path:
            return None, None, "", ""
        try:
            p = Path(path)
            if self.collected is None or p.resolve().parent != self.collected:
                raise FoodcamError(f"{path}: not a frame of the collected folder")
            return self._load(load_photo(p))
        except FoodcamError as e:
            raise _error(str(e)) from None

    def save_edits(self, value, state: Loaded | None, stem: str, split: str = SPLITS[0]) -> str:
        if state is None:
            raise _error("nothing to save: load a photo or a collected frame first")
        try:
            stem = check_stem((stem or "").strip())
            painted = paint_to_classes(_layers(value, state.edit_size), self.head, state.edit_size)
            fixed = corrected_mask(state.mask, painted)
            image, mask = save_pair(self.labels, stem, state.frame, fixed, self.head, split or SPLITS[0])
        except FoodcamError as e:
            raise _error(str(e)) from None
        changed = fixed != state.mask
        counts = ", ".join(f"{n} {int((fixed[changed] == i).sum())} px" for i, n in enumerate(self.head.classes)
                           if (fixed[changed] == i).any())
        return (f"Wrote **{html.escape(stem)}**: `{image}` (JPEG q{JPEG_QUALITY}) and `{mask}`. "
                + (f"Changed from the model's mask: {counts}." if changed.any() else "Same as the model's mask."))


def _resize_nearest(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return cv2.resize(mask, (size[1], size[0]), interpolation=cv2.INTER_NEAREST)


def _layers(value, size: tuple[int, int]) -> list[np.ndarray]:
    """The editor's layers as RGBA at `size`: a canvas exported at another pixel ratio is scaled back (nearest)."""
    out = []
    for layer in (value or {}).get("layers") or []:
        if layer is None:
            continue
        layer = np.asarray(layer)
        if layer.ndim != 3 or layer.shape[2] != 4:
            raise FoodcamError(f"the editor sent a layer of shape {layer.shape}; expected RGBA")
        if layer.shape[:2] != tuple(size):
            layer = _resize_nearest(layer, size)
        out.append(layer)
    return out

