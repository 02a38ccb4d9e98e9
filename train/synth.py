"""`foodcam synth`: procedural datasets written in the real data's layout.

kitchen: DIR/{train,val,test}/{images,masks}/<dish>_<index>.jpg|.png, split like the real 450/140/130,
images JPEG (quality 90), masks colour-coded PNG (stirrer red, pan+background green, food blue).
"""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm

from foodcam.runtime.colour import colorize
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_image
from foodcam.runtime.outdir import output_dir, print_wrote
from foodcam.runtime.tasks import KITCHEN
from foodcam.scenes import KitchenScene
from foodcam.scenes.styles import DEFAULT_STYLES
from foodcam.train.configs import SynthConfig

KITCHEN_SPLITS = (("train", 0.625), ("val", 0.195), ("test", 0.18))
KITCHEN_SIZE = (320, 240)
JPEG_QUALITY = 90


def split_counts(count: int, shares: tuple[tuple[str, float], ...] = KITCHEN_SPLITS) -> dict[str, int]:
    """Images per split for `count` in all; the last split takes the rounding remainder."""
    counts, left = {}, int(count)
    for name, share in shares[:-1]:
        counts[name] = min(left, int(round(count * share)))
        left -= counts[name]
    counts[shares[-1][0]] = left
    return counts


def write_kitchen_dataset(out: str | Path, count: int, seed: int = 0,
                          size: tuple[int, int] = KITCHEN_SIZE, progress: bool = True,
                          styles: str | tuple[str, ...] | None = None) -> dict[str, int]:
    """Render `count` kitchen frames into `out` in the real layout; returns the images per split.

    With several `styles` the frames take them in turn and each file name starts with its style
    (`wok_curry_000012.jpg`), so an evaluation can be broken down by style."""
    if int(count) < 1:
        raise FoodcamError(f"--count {count}: expected at least 1 image")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"{out}: exists and is not a folder")
    scene = KitchenScene(size=size, seed=seed, styles=styles)
    prefix = scene.styles != DEFAULT_STYLES
    head = KITCHEN.seg_head
    counts = split_counts(int(count))
    index = 0
    with tqdm(total=int(count), desc="synth kitchen", unit="img", disable=not progress) as bar:
        for split, n in counts.items():
            for _ in range(n):
                frame, mask, dish = scene.render_with_dish(index)
                stem = f"{scene.style_of(index)}_{dish}_{index:06d}" if prefix else f"{dish}_{index:06d}"
                write_image(out / split / "images" / f"{stem}.jpg", frame, jpeg_quality=JPEG_QUALITY)
                write_image(out / split / "masks" / f"{stem}.png", colorize(mask, head))
                index += 1
                bar.update(1)
    return counts


def _hand(task: str, name: str):
    """The generator another hand wrote (scenes/hands) for `task`; one line naming the choices otherwise."""
    from foodcam.scenes.hands import HANDS, generator

    if HANDS.get(name) != task:
        mine = ", ".join(h for h, t in HANDS.items() if t == task) or "none"
        raise FoodcamError(f"--hand {name}: expected one of {mine} for {task}")
    return generator(name)


def write_hand_dataset(task: str, name: str, out: str | Path, count: int, seed: int, size: tuple[int, int]) -> dict:
    """`count` examples drawn by the hand `name`, moved from the contract's layout into the training layout:
    kitchen frames split train/val/test like the renderer's, fruit photos into <Fruit>/<Fresh|Rotten>/. File names
    start with the hand, so folders of several sources merge without clashes. Returns the examples per folder."""
    import shutil
    import tempfile

    gen = _hand(task, name)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=out))
    try:
        gen.generate(tmp, int(count), int(seed), tuple(size))
        counts: dict[str, int] = {}
        if task == "kitchen":
            stems = sorted(p.stem for p in (tmp / "test" / "images").glob("*.jpg"))
            start = 0
            for split, n in split_counts(len(stems)).items():
                for stem in stems[start : start + n]:
                    for sub, ext in (("images", ".jpg"), ("masks", ".png")):
                        dst = out / split / sub / f"{name}_{seed}_{stem}{ext}"
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.move(str(tmp / "test" / sub / f"{stem}{ext}"), dst)
                counts[split], start = n, start + n
        else:
            for folder in sorted(p for p in tmp.iterdir() if p.is_dir()):
                fresh = "Fresh" if folder.name.startswith("fresh") else "Rotten"
                fruit = folder.name.removeprefix("fresh").removeprefix("rotten").capitalize()
                files = sorted(folder.glob("*.jpg"))
                for f in files:
                    dst = out / fruit / fresh / f"{name}_{seed}_{f.name}"
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(f), dst)
                counts[f"{fruit}/{fresh}"] = len(files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {sum(counts.values())} {task} examples drawn by {name} ({size[0]}x{size[1]}, seed {seed}) to {out}")
    return counts


def _kitchen(args: SynthConfig) -> dict:
    size = args.size or KITCHEN_SIZE
    if args.hand:
        counts = write_hand_dataset("kitchen", args.hand, str(args.out), args.count, args.seed, size)
        return {"task": "kitchen", "out": str(args.out), "counts": counts, "size": list(size), "hand": args.hand}
    styles = getattr(args, "styles", None)
    counts = write_kitchen_dataset(str(args.out), args.count, seed=args.seed, size=size, styles=styles)
    result = {"task": "kitchen", "out": str(args.out), "counts": counts, "size": list(size)}
    parts = ", ".join(f"{split} {n}" for split, n in counts.items())
    print(f"wrote {sum(counts.values())} kitchen frames ({size[0]}x{size[1]}, seed {args.seed}, "
          f"styles {','.join(KitchenScene(styles=styles).styles)}) to {args.out}: {parts}")
    return result


# task -> writer; each scene adds its own entry
WRITERS = {"kitchen": _kitchen}


# --- fruit -------------------------------------------------------------------------------------------

FRUIT_SIZE = (224, 224)
FRUIT_DUPLICATES = 0.05  # share of a fruit set that is near-copies of its other images, for dedup to find


def _near_copy(rng, img, kind: int):
    """A near-duplicate of `img`: kind 1 re-encoded, 2 downscaled, 3 cropped by 0.5-1.5% a side (kind 0: None,
    an exact byte copy)."""
    import cv2

    h, w = img.shape[:2]
    if kind == 2:
        f = rng.uniform(0.6, 0.85)
        return cv2.resize(img, (max(8, int(w * f)), max(8, int(h * f))), interpolation=cv2.INTER_AREA)
    if kind == 3:
        dx, dy = (max(1, int(round(v))) for v in rng.uniform(0.005, 0.015, 2) * (w, h))
        crop = img[dy : h - dy, dx : w - dx]
        return cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR) if rng.random() < 0.5 else crop
    return img if kind == 1 else None


def write_fruit_dataset(out: str | Path, count: int, seed: int = 0, size: tuple[int, int] = FRUIT_SIZE,
                        progress: bool = True, styles: str | tuple[str, ...] | None = None) -> dict:
    """Render `count` fruit photos as `out/<Fruit>/<Fresh|Rotten>/<stem>.jpg` (the real "Fruit Freshness
    Dataset" layout), balanced over fruit x freshness; about 5% of them are near-copies of other images under
    new names (exact, re-encoded, downscaled, slightly cropped), each checked to be within the default pHash
    threshold of its original, so de-duplication has something real to find. With `styles` other than the
    default the photos take them in turn (`scenes.fruit_styles`) and each file name starts with its style
    (`belt_apple_0_00012.jpg`), so an evaluation can be broken down by style.

    Returns {"images": n, "duplicates": [(original, copy), ...], "size": (W, H)}.
    """
    import numpy as np

    from foodcam.runtime.imageio import read_image, write_bytes_atomic
    from foodcam.scenes.fruit import FruitScene
    from foodcam.scenes.fruit_styles import FRUIT_DEFAULT_STYLES
    from foodcam.train.data.dedup import DEFAULT_THRESHOLD, hamming, phash

    count = int(count)
    if count < 8:
        raise FoodcamError(f"--count {count}: a fruit set needs at least 8 images (one per fruit x freshness)")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"{out}: exists and is not a folder")
    scene = FruitScene(size=size, seed=seed, styles=styles)
    prefix = scene.styles != FRUIT_DEFAULT_STYLES
    n_dup = int(round(count * FRUIT_DUPLICATES)) if count >= 20 else 0
    originals: list[Path] = []
    dups: list[tuple[Path, Path]] = []
    rng = np.random.default_rng([seed, 0xD0B])
    with tqdm(total=count, desc="synth fruit", unit="img", disable=not progress) as bar:
        for i in range(count - n_dup):
            img, fruit, rotten = scene.render(i)
            stem = f"{scene.style_of(i)}_{fruit}_{seed}_{i:05d}" if prefix else f"{fruit}_{seed}_{i:05d}"
            path = out / fruit.capitalize() / ("Rotten" if rotten else "Fresh") / f"{stem}.jpg"
            write_image(path, img, jpeg_quality=JPEG_QUALITY)
            originals.append(path)
            bar.update(1)
        for k in range(n_dup):
            src = originals[int(rng.integers(len(originals)))]
            dst = src.parent / f"{src.stem.rsplit('_', 2)[0]}_{seed}_{count - n_dup + k:05d}.jpg"
            img = read_image(src)
            for kind in (k % 4, 1):  # a copy that drifted too far from its original falls back to a re-encode
                copy = _near_copy(rng, img, kind)
                if copy is None:
                    write_bytes_atomic(dst, src.read_bytes())
                    break
                write_image(dst, copy, jpeg_quality=int(rng.integers(70, 90)))
                if hamming(phash(read_image(dst)), phash(img)) <= DEFAULT_THRESHOLD:
                    break
            dups.append((src, dst))
            bar.update(1)
    return {"images": count, "duplicates": dups, "size": tuple(size)}


def _fruit(args: SynthConfig) -> dict:
    size = args.size or FRUIT_SIZE
    if args.hand:
        counts = write_hand_dataset("fruit", args.hand, str(args.out), args.count, args.seed, size)
        return {"task": "fruit", "out": str(args.out), "images": sum(counts.values()), "size": list(size),
                "hand": args.hand}
    from foodcam.scenes.fruit_styles import parse_fruit_styles

    styles = parse_fruit_styles(args.styles)
    info = write_fruit_dataset(str(args.out), args.count, seed=args.seed, size=size, styles=styles)
    result = {"task": "fruit", "out": str(args.out), "images": info["images"], "size": list(size),
                   "duplicates": len(info["duplicates"])}
    print(f"wrote {info['images']} fruit photos ({size[0]}x{size[1]}, seed {args.seed}, styles {','.join(styles)}) "
          f"to {args.out}, {len(info['duplicates'])} of them planted near-duplicates")
    return result


WRITERS["fruit"] = _fruit


def synth_dataset(cfg: SynthConfig) -> tuple[int, dict]:
    """`foodcam synth` and `foodcam.synth(...)`: the dataset written (without --out, into a new
    runs/synth/synthN, claimed before any work); (exit code, what was written)."""
    if cfg.hand and cfg.styles:
        raise FoodcamError(f"--hand {cfg.hand} and --styles {cfg.styles}: the styles are our renderer's; pick one")
    cfg = cfg.model_copy(update={"out": str(output_dir(cfg.out, "synth"))})
    result = WRITERS[cfg.task](cfg)  # SynthConfig's choices are WRITERS' keys
    print_wrote("synth", cfg.out)
    return 0, result


# --- foodseg: plates of food, in the FoodSeg103 layout or the AIcrowd (COCO) layout ---------------------

FOODSEG_SIZE = (256, 256)
# foodseg103 stores 8-bit class ids; COCO polygons have no such bound (the AIcrowd set has 498 foods)
MAX_FOODS = {"foodseg103": 254, "coco": 4000}
FOODSEG_SPLITS = {"foodseg103": (("train", 0.7), ("test", 0.3)), "coco": (("train", 0.8), ("val", 0.2))}


def write_foodseg_dataset(out: str | Path, count: int, classes: int = 24, fmt: str = "foodseg103", seed: int = 0,
                          size: tuple[int, int] = FOODSEG_SIZE, progress: bool = True) -> dict[str, int]:
    """Render `count` plates with `classes` food classes into `out` in the real layout of `fmt`:

    foodseg103: Images/img_dir/{train,test}/<n>.jpg, Images/ann_dir/{train,test}/<n>.png (8-bit class ids,
                0 background; at most 254 foods) and category_id.txt ("id<TAB>name" per line)
    coco:       {train,val}/images/<n>.jpg and {train,val}/annotations.json (polygons, category ids that are
                not contiguous), as the AIcrowd food-recognition benchmark ships them (498 foods there)
    Returns the images per split."""
    from foodcam.scenes.plate import PlateScene
    from foodcam.train.data.food_write import CocoWriter, FoodSeg103Writer

    if int(count) < 2:
        raise FoodcamError(f"--count {count}: expected at least 2 images (one per split)")
    if fmt not in FOODSEG_SPLITS:
        raise FoodcamError(f"--format {fmt!r}: expected one of {', '.join(FOODSEG_SPLITS)}")
    most = MAX_FOODS[fmt]
    if not 1 <= int(classes) <= most:
        why = " (its masks are 8-bit PNGs: 0 background, 255 ignore)" if fmt == "foodseg103" else ""
        raise FoodcamError(f"--classes {classes}: expected 1..{most} food classes for --format {fmt}{why}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"{out}: exists and is not a folder")
    scene = PlateScene(size=size, seed=seed, classes=int(classes))
    writer = (FoodSeg103Writer if fmt == "foodseg103" else CocoWriter)(out, scene.class_names)
    counts = split_counts(int(count), FOODSEG_SPLITS[fmt])
    index = 0
    with tqdm(total=int(count), desc=f"synth foodseg ({fmt})", unit="img", disable=not progress) as bar:
        for split, n in counts.items():
            for _ in range(n):
                frame, mask = scene.render(index)
                writer.add(split, f"{index:06d}", frame, mask)
                index += 1
                bar.update(1)
    writer.close()
    return counts


def _foodseg(args: SynthConfig) -> dict:
    size = args.size or FOODSEG_SIZE
    if args.hand:
        _hand("foodseg", args.hand)  # no hand draws plates for training: the one-line error names the choices
    counts = write_foodseg_dataset(str(args.out), args.count, classes=args.classes, fmt=args.format, seed=args.seed,
                                   size=size)
    result = {"task": "foodseg", "out": str(args.out), "counts": counts, "size": list(size),
                   "format": args.format}
    parts = ", ".join(f"{split} {n}" for split, n in counts.items())
    print(f"wrote {sum(counts.values())} plates with {args.classes} food classes ({size[0]}x{size[1]}, "
          f"{args.format} layout, seed {args.seed}) to {args.out}: {parts}")
    return result


WRITERS["foodseg"] = _foodseg
