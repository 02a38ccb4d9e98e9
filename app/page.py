"""The Gradio page: one photo input (upload, webcam, clipboard, examples) and one panel per served model, built
from the model's task description. Needs foodcam[app]; `server.py` imports this after configuring Gradio.

API (gradio_client): endpoint "/analyze" takes the photo and returns, in order,
  [photo info (markdown), report (JSON: the photo and every model's numbers), then per model its panel:
   status (markdown); for a segmentation head: overlay image, legend (HTML), colour mask PNG (file);
   one gr.Label per classification/multilabel head]
Scripts need only the report: `Client(url).predict(handle_file("x.jpg"), api_name="/analyze")[1]`.
With a segmentation model served, that is the Analyse tab and a Correct tab follows (app/correct_tab.py).
"""

from __future__ import annotations

import html
import logging
import re
import time
import uuid
from pathlib import Path

import gradio as gr

from foodcam.app.analysis import Analysis, ServedModel
from foodcam.app.photo import open_upload, raw_upload
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_image

log = logging.getLogger("foodcam.app")
MASK_KEEP_S = 600  # colour-mask files are copied into Gradio's cache when returned; ours are pruned after this
CSS = """
.foodcam-legend td { padding: 2px 8px; }
.foodcam-swatch { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #0004; vertical-align: middle; }
"""


def _elem(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "x"


def models_markdown(served: list[ServedModel]) -> str:
    rows = ["| model | task | heads: classes | input | precision | backend |", "|---|---|---|---|---|---|"]
    for s in served:
        d = s.describe()
        heads = "<br>".join(f"**{h['name']}** ({h['kind']}, {len(h['classes'])}): " + ", ".join(h["classes"][:12])
                            + (" …" if len(h["classes"]) > 12 else "") for h in d["heads"])
        rows.append(f"| `{d['name']}` | {d['task']} | {heads} | {d['input_size']} | {d['precision']} | {d['backend']} |")
    return "\n".join(rows)


def legend_html(a: Analysis) -> str:
    rows = "".join(
        f'<tr><td><span class="foodcam-swatch" style="background:{a.colours.get(c, "#000000")}"></span></td>'
        f'<td class="foodcam-class">{html.escape(c)}</td><td class="foodcam-area">{pct:.2f} %</td></tr>'
        for c, pct in a.legend_rows())
    return f'<table class="foodcam-legend"><tr><th></th><th>class</th><th>area</th></tr>{rows}</table>'


class Panel:
    """The components showing one model's view of the photo, made from its heads."""

    def __init__(self, served: ServedModel, index: int, masks_dir: Path) -> None:
        self.served, self.masks_dir = served, masks_dir
        d, key = served.describe(), f"m{index}"
        self.title = f"### {d['name']}\n{d['task']}: {d['description'] or ''}"
        with gr.Group():
            self.status = gr.Markdown(self.title, label=f"{d['name']} status", elem_id=f"{key}-status")
            self.overlay = self.legend = self.mask = None
            if served.seg_head is not None:
                self.overlay = gr.Image(label=f"{d['name']}: photo with the colour mask", format="png", type="numpy",
                                        show_label=False, interactive=False, elem_id=f"{key}-overlay",
                                        buttons=["download", "fullscreen"])
                with gr.Row():
                    self.legend = gr.HTML(label=f"{d['name']} legend", elem_id=f"{key}-legend")
                    self.mask = gr.File(label="colour mask (PNG at the photo's size, the colours of `foodcam predict`)",
                                        interactive=False, elem_id=f"{key}-mask")
            self.labels = [gr.Label(label=f"{h.name} ({h.kind})", num_top_classes=served.shown(h),
                                    elem_id=f"{key}-{_elem(h.name)}") for h in served.label_heads]

    @property
    def components(self) -> list:
        seg = [self.overlay, self.legend, self.mask] if self.overlay is not None else []
        return [self.status, *seg, *self.labels]

    def empty(self) -> list:
        seg = [None, "", None] if self.overlay is not None else []
        return [self.title, *seg, *([None] * len(self.labels))]

    def values(self, a: Analysis, stem: str) -> list:
        status = (f"{self.title}\n\n**{a.latency_ms:.1f} ms** inference ({a.total_ms:.1f} ms with resize, decoding "
                  f"and drawing) · backend `{a.backend}` · {a.precision}")
        status += "".join(f"\n\n**{line}**" for line in a.unsure_lines())
        seg = []
        if self.overlay is not None:
            path = self.masks_dir / uuid.uuid4().hex / f"{stem}_mask.png"
            write_image(path, a.mask_bgr)
            seg = [a.overlay_bgr[:, :, ::-1], legend_html(a), str(path)]
        labels = [a.labels[h.name] for h in self.served.label_heads]
        return [status, *seg, *labels]


def _prune(folder: Path, older_than_s: float) -> None:
    cutoff = time.time() - older_than_s
    for f in folder.glob("*/*"):
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
                f.parent.rmdir()
        except OSError:
            pass


def build_page(served: list[ServedModel], workdir: Path, examples: list[Path] = (), labels: Path | None = None,
               collected: Path | None = None) -> gr.Blocks:
    """The page for `served` models; colour masks are written under `workdir`. With a segmentation model among
    them the page has a second tab, Correct (app/correct_tab.py), saving into `labels` (default ./labels) and
    offering the frames of the folder `collected`."""
    masks_dir = Path(workdir) / "masks"
    seg = next((s for s in served if s.seg_head is not None and s.seg_head.colours), None)
    with gr.Blocks(title="foodcam", analytics_enabled=False, delete_cache=(300, 900)) as page:
        gr.Markdown("# foodcam")
        gr.Markdown(models_markdown(served), elem_id="models")
        if seg is None:
            _analyse_tab(served, masks_dir, examples)
            return page
        from foodcam.app.correct_tab import CorrectTab

        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Analyse", id="analyse", elem_id="tab-analyse"):
                _analyse_tab(served, masks_dir, examples)
            with gr.Tab("Correct", id="correct", elem_id="tab-correct"):
                CorrectTab(seg, Path(labels or "labels").resolve(), collected)
    return page


def _analyse_tab(served: list[ServedModel], masks_dir: Path, examples: list[Path]) -> None:
    """One photo input and one panel per model."""
    gr.Markdown("Drop a photo, take one with the webcam or pick an example: every model below looks at it. JPEG, PNG, "
                "BMP or WebP; gray, alpha and 16-bit images are converted.")
    with gr.Row():
        with gr.Column(scale=2):
            photo = gr.Image(label="photo", sources=["upload", "webcam", "clipboard"], type="filepath",
                             image_mode=None, elem_id="photo")
            photo.preprocess = raw_upload  # on the instance: subclassing makes Gradio write a .pyi beside us
            info = gr.Markdown(label="photo info", elem_id="photo-info", min_height=24)
            if examples:
                gr.Examples([str(p) for p in examples], inputs=photo, label="examples (rendered by foodcam.scenes)",
                            examples_per_page=12)
        with gr.Column(scale=3):
            panels = [Panel(s, i, masks_dir) for i, s in enumerate(served)]
            report = gr.JSON(label="every number (the API's report)", elem_id="report", open=False)
    outputs = [info, report] + [c for p in panels for c in p.components]

    def clear():
        return ["", None] + [v for p in panels for v in p.empty()]

    def analyze(value):
        """The API's /analyze: a bad upload is an error (gradio_client raises AppError with the message)."""
        if value is None:
            return clear()
        try:
            shot = open_upload(value)
            _prune(masks_dir, MASK_KEEP_S)
            views = [p.served.analyse(shot.frame) for p in panels]
        except FoodcamError as e:
            raise gr.Error(html.escape(str(e)), duration=None, print_exception=False) from None
        except Exception as e:  # a model failing on one photo must not take the page down
            log.exception("analysing %s failed", value[0])
            raise gr.Error(html.escape(f"{value[0]}: the model failed on this photo ({type(e).__name__}: {e})"),
                           duration=None, print_exception=False) from None
        h, w = shot.frame.shape[:2]
        info_md = (f"**{html.escape(shot.name)}**: {shot.format} {shot.size[0]}x{shot.size[1]}"
                   + (f", analysed at {w}x{h}" if (w, h) != shot.size else "")
                   + "".join(f" · {n}" for n in shot.notes))
        report_value = {"photo": {"name": shot.name, "format": shot.format, "size": list(shot.size),
                                  "analysed_size": [w, h], "notes": shot.notes},
                        "models": [a.summary() for a in views]}
        return [info_md, report_value] + [v for p, a in zip(panels, views) for v in p.values(a, shot.stem)]

    def analyze_on_page(value):
        """The page's: a bad upload's message in the photo's info line, which the next photo replaces. A toast
        would outlive the upload it is about, and one per change event (the browser can send two for one
        replaced photo) stacks the same message twice."""
        try:
            return analyze(value)
        except gr.Error as e:
            return [f"⚠️ **{e.message}**", None] + [v for p in panels for v in p.empty()]

    photo.change(clear, outputs=outputs, queue=False, api_visibility="private").then(
        analyze_on_page, inputs=photo, outputs=outputs, api_visibility="private", concurrency_limit=1,
        concurrency_id="analyze", show_progress_on=[info], trigger_mode="always_last")
    # the API's /analyze (gradio_client, scripts): the same work from a trigger the page never fires
    api = gr.Button(visible=False, elem_id="api-analyze")
    api.click(analyze, inputs=photo, outputs=outputs, api_name="analyze", concurrency_limit=1,
              concurrency_id="analyze")
