"""An image's format and size from its header bytes alone: no pixel is decoded, so a file that claims to be
20000x20000 costs nothing to refuse (runtime/imageio.py's decode policy; the app reads headers the same way).

    header_size(data)  -> ("JPEG", 4000, 3000) | ("PNG", w, h) | ("BMP", ...) | ("WebP", ...) | ("GIF", ...) | None
"""

from __future__ import annotations

import struct

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xDA)}  # TEM, RSTn, SOI, EOI: no length field


def _jpeg(data: bytes) -> tuple[int, int] | None:
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _STANDALONE:
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker in _SOF:
            if i + 9 > n:
                return None
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        if length < 2:
            return None
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    kind = data[12:16]
    if kind == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if kind == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if kind == b"VP8 " and len(data) >= 30:
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    return None


def header_size(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) read from the header, or None for a format this does not know (or a broken
    header: the decoder then says what is wrong)."""
    size: tuple[int, int] | None = None
    fmt = None
    if data[:3] == b"\xff\xd8\xff":
        fmt, size = "JPEG", _jpeg(data)
    elif data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        fmt, size = "PNG", struct.unpack(">II", data[16:24])
    elif data[:2] == b"BM" and len(data) >= 26:
        w, h = struct.unpack("<ii", data[18:26])
        fmt, size = "BMP", (abs(w), abs(h))
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        fmt, size = "WebP", _webp(data)
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        fmt, size = "GIF", struct.unpack("<HH", data[6:10])
    if fmt is None or size is None:
        return None
    return fmt, int(size[0]), int(size[1])
