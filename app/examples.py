"""The example photos the page offers, rendered by the synthetic scenes and shipped small in app/examples/.

    python -m foodcam.app.examples            # rewrites app/examples/*.jpg (deterministic: same seeds, same files)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from foodcam.runtime.imageio import write_image
from foodcam.scenes.fruit import FruitScene
from foodcam.scenes.kitchen import KitchenScene
from foodcam.scenes.plate import PlateScene

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
JPEG_QUALITY = 88
KITCHEN_FRAMES = (3, 7)  # KitchenScene(size=(480, 360), seed=11) indices: a stirrer in the pan in both
FRUIT_PHOTOS = (0, 5, 9, 14)  # FruitScene(size=(320, 320), seed=11): fresh apple, rotten banana, fresh banana, rotten orange
PLATES = (1, 6)  # PlateScene(size=(320, 320), seed=11): meals of four foods each, for the food models


def render_examples(out: Path = EXAMPLES_DIR) -> list[Path]:
    """Render the example photos into `out`; returns their paths."""
    written = []
    kitchen = KitchenScene(size=(480, 360), seed=11)
    for i in KITCHEN_FRAMES:
        frame, _ = kitchen.render(i)
        written.append(out / f"kitchen_{i}.jpg")
        write_image(written[-1], frame, jpeg_quality=JPEG_QUALITY)
    fruit = FruitScene(size=(320, 320), seed=11)
    for i in FRUIT_PHOTOS:
        img, name, rotten = fruit.render(i)
        written.append(out / f"{name}_{'rotten' if rotten else 'fresh'}_{i}.jpg")
        write_image(written[-1], img, jpeg_quality=JPEG_QUALITY)
    plates = PlateScene(size=(320, 320), seed=11)
    for i in PLATES:
        written.append(out / f"plate_{i}.jpg")
        write_image(written[-1], plates.render(i)[0], jpeg_quality=JPEG_QUALITY)
    return written


def example_paths(folder: Path = EXAMPLES_DIR) -> list[Path]:
    """The shipped example photos: kitchen frames, then plates, then fruit."""
    return sorted(folder.glob("*.jpg"), key=lambda p: (not p.name.startswith("kitchen"), not p.name.startswith("plate"),
                                                       p.name))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m foodcam.app.examples", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=EXAMPLES_DIR)
    args = ap.parse_args(argv)
    for p in render_examples(args.out):
        print(f"{p}  {p.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
