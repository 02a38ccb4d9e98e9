"""Label Studio's brush RLE: a bit-packed run-length code of the RGBA canvas, numpy only.

The layout is thi.ng's rle-pack, as Label Studio's editor writes it and `label_studio_sdk.converter.brush` reads it:

    32 bits   number of values (height * width * 4: the canvas as RGBA bytes, row-major)
     5 bits   word size - 1 (8: one byte per value)
    4x4 bits  the four run-length field sizes - 1 ([3, 4, 8, 16])
    then, until every value is out:
      1 bit   1 = a repeated run, 0 = literal values
      2 bits  which run-length field size follows
      n bits  run length - 1
      a run: one word, repeated; literals: that many words

A layer is painted where its alpha byte is set (>= 128); `encode_mask` writes 255 in all four channels as the
SDK's `mask2rle` does, so what Label Studio shows is exactly the mask given.
"""

from __future__ import annotations

import numpy as np

RLE_SIZES = (3, 4, 8, 16)
WORD_SIZE = 8
ALPHA_ON = 128  # a pixel belongs to the layer when its alpha is at least this


class RLEError(ValueError):
    """The list of numbers is not a brush RLE of the size it claims."""


def _bits(values: list[int] | bytes) -> str:
    try:
        data = np.asarray(values, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        raise RLEError("rle must be a list of byte values (0..255)") from None
    if data.ndim != 1 or data.size == 0 or (data.size and (data.min() < 0 or data.max() > 255)):
        raise RLEError("rle must be a non-empty list of byte values (0..255)")
    return (np.unpackbits(data.astype(np.uint8)) + ord("0")).tobytes().decode("ascii")


def decode(rle: list[int] | bytes) -> np.ndarray:
    """The flat array of values (uint8 for word sizes up to 8) an RLE holds; RLEError when it is cut short."""
    bits = _bits(rle)
    pos = 0

    def read(n: int) -> int:
        nonlocal pos
        if pos + n > len(bits):
            raise RLEError(f"rle ends after {len(bits)} bits, in the middle of a run")
        v = int(bits[pos:pos + n], 2) if n else 0
        pos += n
        return v

    num = read(32)
    word = read(5) + 1
    sizes = [read(4) + 1 for _ in range(4)]
    out = np.zeros(num, np.uint8 if word <= 8 else np.uint16 if word <= 16 else np.uint32)
    i = 0
    while i < num:
        repeated = read(1)
        j = i + 1 + read(sizes[read(2)])
        if j > num:
            raise RLEError(f"a run reaches value {j} of {num}")
        if repeated:
            out[i:j] = read(word)
        else:
            for k in range(i, j):
                out[k] = read(word)
        i = j
    return out


def _run_bits(length: int, value: str) -> list[str]:
    """The codes of one run of `length` equal words, as the SDK's `encode_rle` writes them: a literal for one,
    else the shortest run field that holds it; longer than 2**16: full 16-bit runs, then the rest."""
    if length == 1:
        return ["0" + "00" + "000" + value]
    for index, size in enumerate(RLE_SIZES[:-1]):
        if length <= 2 ** size:
            return ["1" + f"{index:02b}" + f"{length - 1:0{size}b}" + value]
    parts = []
    while length > 2 ** 16:
        parts.append("1" + "11" + f"{2 ** 16 - 1:016b}" + value)
        length -= 2 ** 16
    return parts + ["1" + "11" + f"{length - 1:016b}" + value]


def encode(values: np.ndarray) -> list[int]:
    """A flat uint8 array -> its RLE as a list of byte values (Label Studio's JSON form)."""
    arr = np.ascontiguousarray(values, dtype=np.uint8).ravel()
    n = arr.size
    if n == 0 or n >= 2 ** 32:
        raise RLEError(f"cannot encode {n} values")
    head = f"{n:032b}" + f"{WORD_SIZE - 1:05b}" + "".join(f"{s - 1:04b}" for s in RLE_SIZES)
    ends = np.append(np.flatnonzero(arr[1:] != arr[:-1]), n - 1)
    lengths = np.diff(np.append(-1, ends))
    words = [f"{v:08b}" for v in range(256)]
    parts = [head]
    for length, value in zip(lengths.tolist(), arr[ends].tolist()):
        parts += _run_bits(length, words[value])
    bits = "".join(parts)
    bits += "0" * (8 - len(bits) % 8)  # as the SDK: 1..8 zero bits (a whole zero byte when already aligned)
    return np.packbits(np.frombuffer(bits.encode("ascii"), np.uint8) - ord("0")).tolist()


def encode_mask(mask: np.ndarray) -> list[int]:
    """A (H, W) boolean layer -> the RLE of its RGBA canvas (255 in every channel where set)."""
    m = np.asarray(mask)
    if m.ndim != 2:
        raise RLEError(f"a brush layer is 2-D, got shape {m.shape}")
    return encode(np.repeat(np.where(m.astype(bool), 255, 0).astype(np.uint8).ravel(), 4))


def decode_mask(rle: list[int] | bytes, height: int, width: int) -> np.ndarray:
    """An RLE -> the (H, W) boolean layer painted in it (alpha >= 128); RLEError when its size is not H x W."""
    flat = decode(rle)
    if flat.size != height * width * 4:
        raise RLEError(f"rle holds {flat.size} values, expected {height}x{width}x4 = {height * width * 4} for a "
                       f"{width}x{height} image")
    return flat.reshape(height, width, 4)[:, :, 3] >= ALPHA_ON
