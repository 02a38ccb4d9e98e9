"""The Label Studio labelling config (XML) of a foodcam task: the names its pre-annotations and exports use.

kitchen (a segmentation head): one image, brush labels and polygon labels with the task's classes in the
task's colours (the user paints or outlines; both are read back);
freshness (classification heads): one single choice per head (fruit, freshness) with the head's classes.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec

IMAGE = "image"  # <Image name> and the task's data key ($image)
BRUSH = "mask"  # <BrushLabels name>
POLYGON = "outline"  # <PolygonLabels name>


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def label_config(task: TaskSpec) -> str:
    """The XML a Label Studio project is created with for `task`."""
    lines = ["<View>", f'  <Image name="{IMAGE}" value="${IMAGE}" zoom="true" zoomControl="true"/>']
    if task.has_segmentation:
        head = task.seg_head
        labels = [f"    <Label value={quoteattr(c)} background={quoteattr(_hex(rgb))}/>"
                  for c, rgb in zip(head.classes, head.colours)]
        lines += [f'  <BrushLabels name="{BRUSH}" toName="{IMAGE}">', *labels, "  </BrushLabels>",
                  f'  <PolygonLabels name="{POLYGON}" toName="{IMAGE}" strokeWidth="2" opacity="0.4">', *labels,
                  "  </PolygonLabels>"]
    else:
        heads = [h for h in task.image_heads if h.kind == "classification"]
        if not heads:
            raise FoodcamError(f"task {task.name!r}: no segmentation or classification head to label")
        for h in heads:
            lines += [f"  <Header value={quoteattr(h.name)}/>",
                      f'  <Choices name={quoteattr(h.name)} toName="{IMAGE}" choice="single-radio" '
                      'showInline="true" required="true">',
                      *(f"    <Choice value={quoteattr(c)}/>" for c in h.classes), "  </Choices>"]
    lines.append("</View>")
    return "\n".join(lines) + "\n"
