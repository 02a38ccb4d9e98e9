"""The camera loop's overlays: the drawing itself lives in runtime/draw.py, beside the results it draws, so
`result.plot()` works on the deployed side without the camera package."""

from foodcam.runtime.draw import (  # noqa: F401 - re-exported for the camera side
    FONT,
    MAX_STATIC_LEGEND,
    MODES,
    Visualizer,
    _line_height,
    _text_block,
    _text_scale,
    hud_text,
    nearest_rows,
)
