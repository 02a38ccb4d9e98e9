"""Screenshot of a running `foodcam app` page with a photo analysed (docs/app.png), taken in the system Chromium.

    foodcam app --model runs/demo/model.onnx &
    python -m foodcam.app.screenshot --url http://127.0.0.1:7860/ --photo app/examples/kitchen_3.jpg --out docs/app.png

Needs Playwright for Python (the dev extra) and a Chromium binary; nothing is downloaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_bytes_atomic

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def screenshot(url: str, photo: Path, out: Path, chromium: str = CHROMIUM, size: tuple[int, int] = (1280, 1100),
               timeout_s: float = 120.0) -> Path:
    """Upload `photo` to the page at `url`, wait for the first model's result, save a PNG of the viewport."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise FoodcamError("screenshots need Playwright: pip install playwright (the dev extra)") from None
    if not Path(chromium).exists():
        raise FoodcamError(f"{chromium}: no Chromium there (Debian: apt-get install chromium)")
    if not Path(photo).is_file():
        raise FoodcamError(f"{photo}: no such photo")
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(url)
            page.locator("#photo input[type=file]").set_input_files(str(photo))
            page.wait_for_selector(f"#photo-info:has-text('{Path(photo).name}')", timeout=timeout_s * 1000)
            page.wait_for_selector("#m0-status:has-text('ms inference')", timeout=timeout_s * 1000)
            page.wait_for_timeout(1000)  # images finish loading
            write_bytes_atomic(out, page.screenshot())  # lossless: the class colours exactly as served
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m foodcam.app.screenshot", description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:7860/")
    ap.add_argument("--photo", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("docs/app.png"))
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args(argv)
    try:
        print(screenshot(args.url, args.photo, args.out, args.chromium))
    except FoodcamError as e:
        print(f"screenshot: error: {e}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
