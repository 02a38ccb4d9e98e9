"""CVAT "Segmentation mask 1.1" export -> Items (the .zip as downloaded, or its unpacked folder).

    labelmap.txt                      # label:r,g,b:parts:actions, one line per label ('#' comments)
    ImageSets/Segmentation/<subset>.txt   # image names without extension (may contain folders)
    SegmentationClass/<name>.png      # class masks: each pixel is its label's colour (PNG: RGB or palette)
    SegmentationObject/<name>.png     # instance masks (not needed here)
    JPEGImages/<name>.<ext>           # only when exported with "Save images"; else pass --images DIR

CVAT has already rasterised the shapes (later ones on top), so each label is the set of pixels of its colour.
A pixel whose colour is in no labelmap line is an error naming the mask and the colour.
"""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, read_image
from foodcam.train.data.imports.common import Item, Problems, Shape, safe_stem

MAX_MEMBERS = 200_000  # files in an export
MAX_UNPACKED = 8 << 30  # bytes, all files together
MAX_RATIO = 200  # uncompressed / compressed, per file over 1 MiB (masks compress well; bombs compress ~1000x)


def _text(path: Path, problems: Problems) -> str | None:
    """A text file of the export as UTF-8; an error naming it (and the byte) otherwise."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.error(path, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})")
        return None


def parse_labelmap(path: Path, problems: Problems) -> dict[tuple[int, int, int], str]:
    """RGB colour -> label name."""
    colours: dict[tuple[int, int, int], str] = {}
    text = _text(path, problems)
    if text is None:
        return colours
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, rest = line.partition(":")
        rgb = rest.split(":")[0]
        try:
            colour = tuple(int(v) for v in rgb.split(","))
            if len(colour) != 3 or not all(0 <= v <= 255 for v in colour):
                raise ValueError
        except ValueError:
            problems.error(path, f"line {n} {line.strip()[:80]!r}: expected label:r,g,b::")
            continue
        if colour in colours:
            problems.error(path, f"line {n}: colour {colour} is used by {colours[colour]!r} and {name!r}")
            continue
        colours[colour] = name.strip()  # type: ignore[index]
    if not colours:
        problems.error(path, "no labels (expected lines like 'spatula:250,50,83::')")
    return colours


def _check_members(src: Path, z: zipfile.ZipFile) -> None:
    """FoodcamError naming the zip when it holds too many files, too many bytes, or a member that expands
    suspiciously (a zip bomb); checked from the central directory before anything is written."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FoodcamError(f"{src}: {len(infos)} files; a CVAT export is read up to {MAX_MEMBERS}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1 << 20 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise FoodcamError(f"{src}: {info.filename[:80]!r} expands {info.file_size / max(1, info.compress_size):.0f}"
                               f"-fold (more than {MAX_RATIO}x: refused as a zip bomb)")
    if total > MAX_UNPACKED:
        raise FoodcamError(f"{src}: unpacks to {total / 2**30:.1f} GiB; a CVAT export is read up to "
                           f"{MAX_UNPACKED >> 30} GiB")


def _extract(src: Path, z: zipfile.ZipFile, dest: str) -> None:
    """Extract every member (zipfile drops absolute paths and '..'), at most its declared size each."""
    _check_members(src, z)
    try:
        for info in z.infolist():
            z.extract(info, dest)  # ZipExtFile stops at the declared size and checks the CRC
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as e:
        raise FoodcamError(f"{src}: damaged zip ({' '.join(str(e).split())[:120]})") from None
    except OSError as e:
        raise FoodcamError(f"{src}: cannot unpack ({e.strerror or e})") from None


@contextlib.contextmanager
def opened(src: Path) -> Iterator[Path]:
    """The export's root folder: SRC itself, or a zip unpacked (with size limits) into a temporary folder."""
    if src.is_dir():
        yield src
        return
    if not src.is_file() or not zipfile.is_zipfile(src):
        raise FoodcamError(f"{src}: not a CVAT export (expected its .zip or the unpacked folder)")
    with tempfile.TemporaryDirectory(prefix="foodcam-cvat-") as tmp:
        try:
            z = zipfile.ZipFile(src)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
            raise FoodcamError(f"{src}: damaged zip ({' '.join(str(e).split())[:120]})") from None
        with z:
            _extract(src, z, tmp)
        root = Path(tmp)
        inner = [p for p in root.iterdir() if p.is_dir()]
        if not (root / "labelmap.txt").exists() and len(inner) == 1 and (inner[0] / "labelmap.txt").exists():
            root = inner[0]  # a zip that wraps everything in one folder
        yield root


def _names(root: Path, problems: Problems) -> list[str]:
    sets = root / "ImageSets" / "Segmentation"
    names: list[str] = []
    if sets.is_dir():
        for f in sorted(sets.glob("*.txt")):
            text = _text(f, problems)
            names += [ln.strip() for ln in (text or "").splitlines() if ln.strip() and "\0" not in ln]
    if not names:  # no image list: every class mask
        names = [str(p.relative_to(root / "SegmentationClass").with_suffix(""))
                 for p in sorted((root / "SegmentationClass").rglob("*.png"))]
    return list(dict.fromkeys(names))


def _find_image(name: str, folders: list[Path]) -> Path | None:
    for folder in folders:
        for ext in IMAGE_EXTS + tuple(e.upper() for e in IMAGE_EXTS):
            p = folder / f"{name}{ext}"
            if p.is_file():
                return p
    return None


def _codes(path: Path) -> np.ndarray:
    """The mask as one int per pixel: r << 16 | g << 8 | b (palette PNGs expanded)."""
    rgb = read_image(path)[:, :, ::-1].astype(np.int32)
    return (rgb[:, :, 0] << 16) | (rgb[:, :, 1] << 8) | rgb[:, :, 2]


def _layers(mask_path: Path, colours: dict[tuple[int, int, int], str], where: Path,
            problems: Problems) -> tuple[tuple[int, int], list[Shape]] | None:
    """(mask size, one shape per label colour present); unknown colours are errors. The shapes read the mask
    again when drawn, so an import of many large masks holds one at a time."""
    try:
        codes = _codes(mask_path)
    except FoodcamError as e:
        problems.error(where, str(e))
        return None
    present, counts = np.unique(codes, return_counts=True)
    known = {(r << 16) | (g << 8) | b: name for (r, g, b), name in colours.items()}
    unknown = [(int(c), int(n)) for c, n in zip(present, counts) if int(c) not in known]
    if unknown:
        shown = ", ".join(f"({c >> 16},{(c >> 8) & 255},{c & 255}) x{n}" for c, n in unknown[:4])
        problems.error(where, f"{sum(n for _, n in unknown)} pixels have colours not in labelmap.txt: {shown}"
                       + (f" and {len(unknown) - 4} more" if len(unknown) > 4 else ""))
        return None
    shapes = [Shape(known[int(c)], (lambda h, w, c=int(c): _codes(mask_path) == c), f"colour {known[int(c)]}")
              for c in present]
    return codes.shape[:2], shapes


def read_cvat(root: Path, problems: Problems, images: str | Path | None = None) -> list[Item]:
    """Items of an unpacked export folder (see `opened`)."""
    labelmap = root / "labelmap.txt"
    if not labelmap.is_file():
        problems.error(root, "no labelmap.txt (not a CVAT 'Segmentation mask 1.1' export?)")
        return []
    if not (root / "SegmentationClass").is_dir():
        problems.error(root, "no SegmentationClass/ folder (not a CVAT 'Segmentation mask 1.1' export?)")
        return []
    colours = parse_labelmap(labelmap, problems)
    folders = ([Path(images)] if images else []) + [root / "JPEGImages"]
    items = []
    for name in _names(root, problems):
        mask_path = root / "SegmentationClass" / f"{name}.png"
        where = Path("SegmentationClass") / f"{name}.png"
        if not mask_path.is_file():
            problems.error(where, "class mask missing (listed in ImageSets/Segmentation)")
            continue
        layers = _layers(mask_path, colours, where, problems)
        image = _find_image(name, folders)
        if image is None:
            problems.error(where, f"no image {name}.* in " + " or ".join(str(f) for f in folders)
                           + " (export with 'Save images' or pass --images DIR)")
        if layers is not None:
            items.append(Item(safe_stem(name), where, image, *layers))
    if not items and not problems.errors:
        problems.error(root, "no class masks listed or found")
    return items
