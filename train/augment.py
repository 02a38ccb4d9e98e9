"""Frame -> model input exactly as deployment does it, plus joint image+mask augmentation for training.

Deployment (`train/models/deploy.py`, every ONNX/engine) feeds a model the BGR frame resized to the
input size with cv2.INTER_LINEAR, swapped to RGB, scaled by 1/255 and normalised with the task's
mean/std. Training and validation start from that same resized frame; masks are resized with nearest
neighbour and keep IGNORE_INDEX. Training augmentation then happens at the input size, so the model
never sees detail finer than what the camera pipeline will give it.
"""

from __future__ import annotations

import albumentations as A
import cv2
import numpy as np

from foodcam.runtime.tasks import IGNORE_INDEX


def resize_frame(bgr: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """BGR frame -> (H, W) = size with cv2.INTER_LINEAR, as `runtime.model.Model.preprocess` does."""
    h, w = size
    if bgr.shape[:2] == (h, w):
        return bgr
    return cv2.resize(bgr, (w, h), interpolation=cv2.INTER_LINEAR)


def resize_mask(mask: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Class-index mask -> (H, W) = size with nearest neighbour (labels are never blended)."""
    h, w = size
    if mask.shape[:2] == (h, w):
        return mask
    return cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)


def normalise(rgb: np.ndarray, mean, std) -> np.ndarray:
    """uint8 HxWx3 RGB -> float32 3xHxW, (x / 255 - mean) / std."""
    x = rgb.astype(np.float32) * np.float32(1.0 / 255.0)
    x = (x - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def camera_faults(palette_p: float = 0.0) -> list:
    """The faults of real cameras, for any task's training augmentation: exposure and white balance off,
    blur (motion, focus), sensor noise, JPEG artefacts. A share `palette_p` is repainted (hue turned
    anywhere, channels shuffled or grey): only for classes that are a shape whatever their colour."""
    return [
        A.OneOf([A.RandomGamma(gamma_limit=(60, 160)),  # under- and over-exposure
                 A.RandomBrightnessContrast(brightness_limit=(-0.45, 0.3), contrast_limit=0.3)], p=0.3),
        A.RGBShift(r_shift_limit=25, g_shift_limit=10, b_shift_limit=25, p=0.25),  # white balance
        # scenes in colours the renderer never painted: any hue (OpenCV's 180 steps = 360 degrees), the channels
        # in another order, grey. The model must find a thing by its shape (a stirrer, not wood or steel).
        # Left out entirely at 0, so recipes without it draw the same random numbers as before it existed.
        *([A.OneOf([A.HueSaturationValue(hue_shift_limit=90, sat_shift_limit=(-40, 20), val_shift_limit=0),
                    A.ChannelShuffle(), A.ToGray()], p=palette_p)] if palette_p > 0 else []),
        A.OneOf([A.GaussianBlur(blur_limit=(3, 5)), A.MotionBlur(blur_limit=(3, 7))], p=0.2),
        A.OneOf([A.GaussNoise(std_range=(0.02, 0.08)), A.ISONoise(intensity=(0.1, 0.5))], p=0.25),
        A.ImageCompression(quality_range=(30, 90), p=0.25),
    ]


def seg_train_transform(size: tuple[int, int], seed: int | None = None, p: float = 0.8,
                        palette_p: float = 0.0) -> A.Compose:
    """Joint augmentation of an RGB image and its mask at the input size (output keeps that size).

    A share `p` of the samples is augmented, the rest is seen exactly as the camera delivers it.
    Flips (a camera over a pan has no preferred orientation), scale/rotate/shift with ignored borders,
    occasional zoom-in crops, and the faults of real cameras: exposure and white balance off, colour jitter,
    blur (motion while stirring, focus), sensor noise and JPEG artefacts. A share `palette_p` of the augmented
    samples is repainted (hue turned anywhere, channels shuffled or grey), for classes that are a shape whatever
    their colour (a stirrer, a pan, "food"); not for classes that colour tells apart (tomato from cucumber).
    """
    h, w = size
    return A.Compose(
        [
            A.HorizontalFlip(p=0.5),
            A.VerticalFlip(p=0.5),
            A.Affine(
                scale=(0.8, 1.25),
                rotate=(-20, 20),
                translate_percent=(-0.05, 0.05),
                interpolation=cv2.INTER_LINEAR,
                mask_interpolation=cv2.INTER_NEAREST,
                border_mode=cv2.BORDER_CONSTANT,
                fill=0,
                fill_mask=IGNORE_INDEX,
                p=0.5,
            ),
            A.RandomResizedCrop(size=(h, w), scale=(0.5, 1.0), ratio=(0.75, 1.333), p=0.1),
            A.ColorJitter(brightness=0.25, contrast=0.25, saturation=0.3, hue=0.03, p=0.5),
            *camera_faults(palette_p),
        ],
        p=p,
        seed=seed,
    )


class PasteFirst:
    """A joint transform that changes a share `p` of the frames with its own random stream before `inner` (the
    albumentations pipeline) runs."""

    def __init__(self, inner, p: float, seed: int | None = None) -> None:
        self.inner, self.p = inner, float(p)
        self.rng = np.random.default_rng(seed)

    def set_random_seed(self, seed: int) -> None:
        """Called by each DataLoader worker (train.datasets.seed_worker): distinct, reproducible streams."""
        self.rng = np.random.default_rng(seed)
        if hasattr(self.inner, "set_random_seed"):
            self.inner.set_random_seed(seed)


class WithTools(PasteFirst):
    """Pastes procedural tools (`scenes.tools.paste_tools`) into a share `p` of the frames, then runs `inner`: the
    model meets tools of every shape, material and colour, lit like the frame, partly buried or held, in every
    kitchen it trains on (user frames included)."""

    def __init__(self, inner: A.Compose, p: float, seed: int | None = None, stirrer: int = 0, pan: int = 1,
                 food: int = 2) -> None:
        from foodcam.scenes.tools import Classes

        super().__init__(inner, p, seed)
        self.classes = Classes(stirrer=stirrer, pan=pan, food=food)

    def __call__(self, image: np.ndarray, mask: np.ndarray) -> dict:
        from foodcam.scenes.tools import paste_tools

        if self.p > 0 and self.rng.random() < self.p:
            bgr, mask = paste_tools(self.rng, np.ascontiguousarray(image[:, :, ::-1]), mask, self.classes)
            image = np.ascontiguousarray(bgr[:, :, ::-1])
        return self.inner(image=image, mask=mask)
