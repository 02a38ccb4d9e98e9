"""Screenshot of a running `foodcam app` page with a photo analysed (docs/app.png), or of its Correct tab with a
photo or the first collected frame loaded in the mask editor (docs/app-correct.png), taken in the system Chromium.

    foodcam app --model runs/demo/model.onnx &
    python -m foodcam.app.screenshot --url http://127.0.0.1:7860/ --photo app/examples/kitchen_3.jpg --out docs/app.png
    python -m foodcam.app.screenshot --tab correct --photo app/examples/kitchen_3.jpg --out docs/app-correct.png
    foodcam app &   # the four shipped models; the foodseg panel (the third) on a plate:
    python -m foodcam.app.screenshot --photo app/examples/plate_6.jpg --panel 2 --out docs/app-plate.png

Needs Playwright for Python (the dev extra) and a Chromium binary; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_bytes_atomic

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# Where the Correct tab's mask editor shows the photo: page position of its top-left pixel, zoom, photo size; null
# until the editor holds the photo and has zoomed it to fit its canvas. Reads the editor Gradio exposes as
# window.editor.
EDITOR_GEOMETRY = """() => { try {
    const e = window.editor; if (!e || !e.width) return null;
    const c = e.image_container, box = e.app.canvas.getBoundingClientRect();
    const w = c.scale.x * e.width, h = c.scale.y * e.height;
    const inside = c.position.x >= 0 && c.position.y >= 0 && c.position.x + w <= box.width + 1
                   && c.position.y + h <= box.height + 1;
    return inside ? {x: box.x + c.position.x, y: box.y + c.position.y, s: c.scale.x, w: e.width, h: e.height} : null;
} catch (err) { return null } }"""


def editor_geometry(page, size: tuple[int, int], timeout_s: float = 120.0) -> dict:
    """EDITOR_GEOMETRY once the editor shows a photo of `size` (W, H) and its zoom has settled."""
    last = None
    for _ in range(int(timeout_s * 2)):
        geo = page.evaluate(EDITOR_GEOMETRY)
        if geo is not None and geo == last and (geo["w"], geo["h"]) == tuple(size):
            return geo
        last = geo
        page.wait_for_timeout(500)
    raise FoodcamError(f"the mask editor did not show the {size[0]}x{size[1]} photo within {timeout_s:.0f} s")


def _load_correct_tab(page, photo: Path | None, timeout_s: float) -> None:
    page.get_by_role("tab", name="Correct").click()
    if photo is not None:
        page.locator("#correct-photo input[type=file]").set_input_files(str(photo))
    else:
        page.locator("#correct-frame input").click()
        page.get_by_role("option").first.click()
    page.wait_for_selector("#correct-status:has-text('nothing written yet')", timeout=timeout_s * 1000)
    status = page.locator("#correct-status").inner_text()  # "name: WxH[, edited at wxh] · ..."
    m = re.search(r"edited at (\d+)x(\d+)", status) or re.search(r": (\d+)x(\d+)", status)
    w, h = int(m.group(1)), int(m.group(2))
    editor_geometry(page, (w, h), timeout_s)


def screenshot(url: str, photo: Path | None, out: Path, chromium: str = CHROMIUM, size: tuple[int, int] = (1280, 1100),
               timeout_s: float = 120.0, tab: str = "analyse", panel: int = 0) -> Path:
    """Upload `photo` to the page at `url`, wait for model `panel`'s result (0: the first model's), save a PNG of the
    viewport, scrolled to that panel when it is not the first. Tab "correct": load `photo` (None: the first
    collected frame) into the Correct tab's mask editor instead."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise FoodcamError("screenshots need Playwright: pip install playwright (the dev extra)") from None
    if not Path(chromium).exists():
        raise FoodcamError(f"{chromium}: no Chromium there (Debian: apt-get install chromium)")
    if photo is None and tab != "correct":
        raise FoodcamError("--photo: needed for the analyse tab")
    if photo is not None and not Path(photo).is_file():
        raise FoodcamError(f"{photo}: no such photo")
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(url)
            if tab == "correct":
                _load_correct_tab(page, photo, timeout_s)
            else:
                page.locator("#photo input[type=file]").set_input_files(str(photo))
                page.wait_for_selector(f"#photo-info:has-text('{Path(photo).name}')", timeout=timeout_s * 1000)
                status = f"#m{int(panel)}-status"
                page.wait_for_selector(f"{status}:has-text('ms inference')", timeout=timeout_s * 1000)
                if panel:
                    page.locator(status).evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(1000)  # images finish loading
            write_bytes_atomic(out, page.screenshot())  # lossless: the class colours exactly as served
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m foodcam.app.screenshot", description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:7860/")
    ap.add_argument("--photo", type=Path, default=None, help="the photo to load (tab correct: default the first "
                                                                  "collected frame)")
    ap.add_argument("--tab", choices=("analyse", "correct"), default="analyse")
    ap.add_argument("--panel", type=int, default=0, help="analyse: the model whose panel is shown (0: the first, at "
                    "the top of the page; N: scrolled to the N-th model's panel)")
    ap.add_argument("--out", type=Path, default=None, help="default docs/app.png (docs/app-correct.png for --tab correct)")
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args(argv)
    out = args.out or Path("docs/app-correct.png" if args.tab == "correct" else "docs/app.png")
    try:
        print(screenshot(args.url, args.photo, out, args.chromium, tab=args.tab, panel=args.panel))
    except FoodcamError as e:
        print(f"screenshot: error: {e}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
