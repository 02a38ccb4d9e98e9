"""Kitchen scene generator (contract section "Kitchen"): camera over a cooking pan.

Writes OUT/test/images/<stem>.jpg and OUT/test/masks/<stem>.png with
stirrer = RGB(255,0,0), pan/background = RGB(0,255,0), food = RGB(0,0,255).

Everything is drawn into an image and a label map in the same pass; labels are only
ever set together with the pixels that are painted.
"""
import argparse
import math
import pathlib

import cv2
import numpy as np

BG, ST, FD = 0, 1, 2
EMPTY = 255
# BGR as written by cv2 -> RGB in file: stirrer red, pan green, food blue
LUT = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)


# ----------------------------------------------------------------------------- helpers
def U(rng, a, b):
    return float(rng.uniform(a, b))


def noise(rng, h, w, cells):
    cells = max(2, int(cells))
    ch = max(2, int(round(cells * h / max(w, 1))))
    small = rng.random((ch, cells)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def fbm(rng, h, w, base=4, octaves=3):
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        out += amp * noise(rng, h, w, base * 2 ** o)
        tot += amp
        amp *= 0.5
    return out / tot


def hsv2bgr(h, s, v):
    """h in [0,360), s,v in [0,1] -> BGR floats 0..255"""
    c = np.uint8([[[int(h / 2) % 180, int(np.clip(s, 0, 1) * 255), int(np.clip(v, 0, 1) * 255)]]])
    return cv2.cvtColor(c, cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32)


def jitter(rng, col, amt):
    return np.clip(np.asarray(col, np.float32) + rng.normal(0, amt, 3), 0, 255).astype(np.float32)


def ipts(p):
    return np.round(np.asarray(p)).astype(np.int32).reshape(-1, 1, 2)


def ell_pts(cx, cy, a, b, rot, n=72, t0=0.0, t1=2 * math.pi):
    t = np.linspace(t0, t1, n, endpoint=False if t1 - t0 >= 2 * math.pi - 1e-6 else True)
    x, y = a * np.cos(t), b * np.sin(t)
    c, s = math.cos(rot), math.sin(rot)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], 1)


def blob_pts(rng, cx, cy, r, sq=1.0, rot=0.0, irr=0.3, n=None):
    n = n or int(rng.integers(7, 14))
    t = np.sort(rng.uniform(0, 2 * math.pi, n))
    rr = r * (1 + irr * rng.uniform(-1, 1, n))
    x, y = rr * np.cos(t), rr * np.sin(t) * sq
    c, s = math.cos(rot), math.sin(rot)
    return np.stack([cx + c * x - s * y, cy + s * x + c * y], 1)


def fill(mask, pts, val=255):
    cv2.fillPoly(mask, [ipts(pts)], val)


class Canvas:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.img = np.zeros((h, w, 3), np.float32)
        self.lab = np.zeros((h, w), np.uint8)

    def mask(self):
        return np.zeros((self.h, self.w), np.uint8)

    def put(self, m, col, lab, bbox=None):
        """paint colour (const or full-frame/crop array) where mask m>0; set label."""
        if bbox is None:
            x, y, w, h = cv2.boundingRect(m)
        else:
            x, y, w, h = bbox
        if w == 0 or h == 0:
            return
        sel = m[y:y + h, x:x + w] > 0
        if isinstance(col, np.ndarray) and col.ndim == 3:
            if col.shape[0] == self.h and col.shape[1] == self.w:
                col = col[y:y + h, x:x + w]
        else:
            col = np.asarray(col, np.float32).reshape(1, 1, 3)
        np.copyto(self.img[y:y + h, x:x + w], col, where=sel[..., None])
        np.copyto(self.lab[y:y + h, x:x + w], np.uint8(lab), where=sel)

    def layer(self):
        L = Canvas(self.w, self.h)
        L.lab[:] = EMPTY
        return L

    def comp(self, L, clip=None, mod=None):
        sel = L.lab != EMPTY
        if clip is not None:
            sel &= clip > 0
        src = L.img if mod is None else L.img * mod[..., None]
        np.copyto(self.img, src, where=sel[..., None])
        np.copyto(self.lab, L.lab, where=sel)
        return sel


# ----------------------------------------------------------------------------- materials
def material(rng, kind=None, near=None):
    """returns (base BGR, kind). near: a colour to imitate (food or pan colour)."""
    kinds = ["wood", "bamboo", "steel", "silicone", "nylon", "plastic", "wood", "steel"]
    kind = kind or kinds[int(rng.integers(len(kinds)))]
    if near is not None and rng.random() < 0.5:
        return jitter(rng, near, 18), ("silicone" if rng.random() < 0.5 else "plastic")
    if kind == "wood":
        base = hsv2bgr(U(rng, 18, 38), U(rng, 0.35, 0.75), U(rng, 0.3, 0.85))
    elif kind == "bamboo":
        base = hsv2bgr(U(rng, 35, 50), U(rng, 0.25, 0.55), U(rng, 0.65, 0.92))
    elif kind == "steel":
        v = U(rng, 0.45, 0.85)
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.08), v)
    elif kind == "nylon":
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.2), U(rng, 0.06, 0.25))
    else:
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0.2, 0.95), U(rng, 0.25, 0.98))
    return base, kind


def shade_crop(rng, m, base, kind, ang, light):
    """m: cropped uint8 mask. returns BGR float crop."""
    h, w = m.shape
    d = cv2.distanceTransform(m, cv2.DIST_L2, 3)
    dn = d / (d.max() + 1e-6)
    prof = np.sqrt(dn)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ca, sa = math.cos(ang), math.sin(ang)
    u = xx * ca + yy * sa
    v = -xx * sa + yy * ca
    lit = 0.8 + 0.25 * ((xx * light[0] + yy * light[1]) / (max(h, w) + 1))
    shade = (0.55 + 0.5 * prof) * lit
    col = np.asarray(base, np.float32)[None, None, :] * shade[..., None]
    if kind in ("wood", "bamboo"):
        nz = noise(rng, h, w, max(2, max(h, w) // 12))
        freq = U(rng, 0.5, 1.6) if kind == "wood" else U(rng, 1.2, 2.5)
        g = np.sin(v * freq + nz * U(rng, 2, 8))
        col *= (0.88 + 0.12 * g)[..., None]
        if kind == "bamboo" and rng.random() < 0.7:
            per = U(rng, 25, 60)
            node = (np.abs(((u / per) % 1.0) - 0.5) < 0.03)
            col[node] *= 0.75
    elif kind == "steel":
        env = noise(rng, h, w, max(2, max(h, w) // 15))
        col = col * (0.7 + 0.6 * env)[..., None] + (dn ** 3 * U(rng, 60, 160))[..., None]
    elif kind == "skin":
        col = col * (0.92 + 0.16 * noise(rng, h, w, max(2, max(h, w) // 10)))[..., None]
        col += (dn ** 4 * U(rng, 10, 40))[..., None]
    elif kind == "cloth":
        nz = noise(rng, h, w, max(2, max(h, w) // 6))
        col = col * (0.7 + 0.5 * nz)[..., None]
    else:
        col += (dn ** 6 * U(rng, 10, 90))[..., None]
    return np.clip(col, 0, 255)


def put_shaded(cv, rng, m, base, kind, ang, light, lab):
    x, y, w, h = cv2.boundingRect(m)
    if w == 0:
        return
    mc = m[y:y + h, x:x + w]
    col = shade_crop(rng, mc, base, kind, ang, light)
    cv.put(m, col, lab, bbox=(x, y, w, h))


# ----------------------------------------------------------------------------- food colours
def food_color(rng):
    k = int(rng.integers(10))
    if k == 0:   # greens (veg, herbs)
        return hsv2bgr(U(rng, 70, 150), U(rng, 0.4, 0.95), U(rng, 0.25, 0.85))
    if k == 1:   # reds (pepper, tomato, chili)
        return hsv2bgr(U(rng, 350, 375) % 360, U(rng, 0.6, 1), U(rng, 0.45, 0.95))
    if k == 2:   # orange/yellow (carrot, pepper, corn, egg)
        return hsv2bgr(U(rng, 20, 58), U(rng, 0.5, 1), U(rng, 0.6, 1))
    if k == 3:   # browns (meat, mushrooms)
        return hsv2bgr(U(rng, 8, 35), U(rng, 0.3, 0.8), U(rng, 0.15, 0.6))
    if k == 4:   # pale (onion, tofu, chicken, potato, pasta)
        return hsv2bgr(U(rng, 25, 55), U(rng, 0.05, 0.4), U(rng, 0.7, 0.98))
    if k == 5:   # purple (onion, eggplant, cabbage)
        return hsv2bgr(U(rng, 270, 340), U(rng, 0.3, 0.8), U(rng, 0.25, 0.7))
    if k == 6:   # pink (shrimp, ham, salmon)
        return hsv2bgr(U(rng, 0, 25), U(rng, 0.3, 0.7), U(rng, 0.7, 1))
    if k == 7:   # dark (beans, seaweed, burnt)
        return hsv2bgr(U(rng, 0, 360), U(rng, 0.1, 0.5), U(rng, 0.05, 0.25))
    if k == 8:   # grey-white (mushroom, cauliflower)
        return hsv2bgr(U(rng, 0, 60), U(rng, 0.0, 0.15), U(rng, 0.55, 0.95))
    return hsv2bgr(U(rng, 0, 360), U(rng, 0.2, 0.9), U(rng, 0.2, 0.95))


def sauce_color(rng):
    k = int(rng.integers(7))
    if k == 0:
        return hsv2bgr(U(rng, 0, 15), U(rng, 0.6, 0.95), U(rng, 0.35, 0.85))  # tomato
    if k == 1:
        return hsv2bgr(U(rng, 20, 45), U(rng, 0.5, 0.95), U(rng, 0.4, 0.9))  # curry
    if k == 2:
        return hsv2bgr(U(rng, 15, 35), U(rng, 0.4, 0.85), U(rng, 0.1, 0.45))  # brown stew / soy
    if k == 3:
        return hsv2bgr(U(rng, 35, 55), U(rng, 0.05, 0.3), U(rng, 0.7, 0.97))  # cream
    if k == 4:
        return hsv2bgr(U(rng, 35, 60), U(rng, 0.3, 0.8), U(rng, 0.5, 0.9))  # broth
    if k == 5:
        return hsv2bgr(U(rng, 70, 130), U(rng, 0.3, 0.8), U(rng, 0.25, 0.7))  # green curry / pea soup
    return hsv2bgr(U(rng, 0, 360), U(rng, 0.1, 0.8), U(rng, 0.15, 0.9))


# ----------------------------------------------------------------------------- food pieces
def piece(L, rng, cx, cy, r, col, kind, sq, lab=FD):
    light_dx, light_dy = -0.25 * r, -0.25 * r
    hi = np.clip(col * U(rng, 1.1, 1.35) + 10, 0, 255)
    if kind == "blob" or kind == "cube" or kind == "leaf":
        irr = {"blob": 0.3, "cube": 0.08, "leaf": 0.45}[kind]
        n = 4 if kind == "cube" else None
        p = blob_pts(rng, cx, cy, r, sq * U(rng, 0.6, 1.0), U(rng, 0, 6.3), irr, n)
        fill(L.img, p, col.tolist())
        fill(L.lab, p, lab)
        if r > 3:
            q = (p - [cx, cy]) * 0.55 + [cx + light_dx, cy + light_dy * sq]
            fill(L.img, q, hi.tolist())
    elif kind == "strip":
        a = U(rng, 0, math.pi)
        ln, wd = r * U(rng, 1.2, 2.6), r * U(rng, 0.25, 0.6)
        c, s = math.cos(a), math.sin(a)
        p = np.array([[-ln, -wd], [ln, -wd], [ln, wd], [-ln, wd]], np.float32)
        p = np.stack([cx + c * p[:, 0] - s * p[:, 1], cy + (s * p[:, 0] + c * p[:, 1]) * sq], 1)
        fill(L.img, p, col.tolist())
        fill(L.lab, p, lab)
        if wd > 2:
            q = (p - [cx, cy]) * [0.8, 0.4] + [cx, cy - wd * 0.3]
            fill(L.img, q, hi.tolist())
    elif kind == "floret":
        for _ in range(int(rng.integers(3, 7))):
            ox, oy = rng.normal(0, r * 0.35, 2)
            rr = max(1, int(r * U(rng, 0.3, 0.55)))
            cv2.circle(L.img, (int(cx + ox), int(cy + oy * sq)), rr, (col * U(rng, 0.8, 1.15)).tolist(), -1)
            cv2.circle(L.lab, (int(cx + ox), int(cy + oy * sq)), rr, lab, -1)
    elif kind == "ring":
        ax = (max(1, int(r)), max(1, int(r * sq * U(rng, 0.6, 1))))
        th = max(1, int(r * U(rng, 0.15, 0.35)))
        ang = U(rng, 0, 180)
        cv2.ellipse(L.img, (int(cx), int(cy)), ax, ang, 0, 360, col.tolist(), th)
        cv2.ellipse(L.lab, (int(cx), int(cy)), ax, ang, 0, 360, lab, th)
    elif kind == "strand":
        n = int(rng.integers(4, 9))
        a = U(rng, 0, 6.3)
        pts = [(cx, cy)]
        step = r * U(rng, 0.4, 0.9)
        for _ in range(n):
            a += rng.normal(0, 0.6)
            x, y = pts[-1]
            pts.append((x + step * math.cos(a), y + step * math.sin(a) * sq))
        th = max(1, int(r * U(rng, 0.12, 0.3)))
        cv2.polylines(L.img, [ipts(pts)], False, col.tolist(), th)
        cv2.polylines(L.lab, [ipts(pts)], False, lab, th)
        if th >= 3:
            cv2.polylines(L.img, [ipts(np.array(pts) - [0, th * 0.3])], False, hi.tolist(), max(1, th // 3))
    elif kind == "egg":
        p = blob_pts(rng, cx, cy, r, sq, U(rng, 0, 6.3), 0.35, 12)
        white = jitter(rng, (225, 235, 240), 12)
        fill(L.img, p, white.tolist())
        fill(L.lab, p, lab)
        yr = max(2, int(r * U(rng, 0.3, 0.45)))
        yc = (int(cx + rng.normal(0, r * 0.15)), int(cy + rng.normal(0, r * 0.15) * sq))
        yol = hsv2bgr(U(rng, 28, 48), U(rng, 0.75, 1), U(rng, 0.8, 1))
        cv2.ellipse(L.img, yc, (yr, max(1, int(yr * sq))), 0, 0, 360, yol.tolist(), -1)
        cv2.circle(L.img, (yc[0] - yr // 3, yc[1] - yr // 3), max(1, yr // 4), (230, 250, 255), -1)
    elif kind == "grain":
        cv2.ellipse(L.img, (int(cx), int(cy)), (max(1, int(r)), max(1, int(r * 0.45))), U(rng, 0, 180), 0, 360,
                    col.tolist(), -1)
        cv2.ellipse(L.lab, (int(cx), int(cy)), (max(1, int(r)), max(1, int(r * 0.45))), U(rng, 0, 180), 0, 360,
                    lab, -1)


PIECE_KINDS = ["blob", "cube", "strip", "floret", "ring", "leaf", "strand"]


def sample_in_ellipse(rng, n, cx, cy, a, b, rot):
    t = rng.uniform(0, 2 * math.pi, n)
    rr = np.sqrt(rng.uniform(0, 1, n))
    x, y = a * rr * np.cos(t), b * rr * np.sin(t)
    c, s = math.cos(rot), math.sin(rot)
    return cx + c * x - s * y, cy + s * x + c * y


# ----------------------------------------------------------------------------- tools
def tool_geometry(rng, typ, hl, hwid):
    """Local coordinates: tip at x=0, head extends to x=hl, handle to x=hl+L.
    Returns list of parts: (name, kind 'poly'|'line'|'hole', pts, thickness)."""
    parts = []
    if typ in ("spoon", "slotted", "wooden_spoon", "pasta_server"):
        w = hl * U(rng, 0.28, 0.42)
        e = ell_pts(hl / 2, 0, hl / 2, w, 0, 36)
        parts.append(("head", "poly", e, 0))
        if typ == "slotted":
            if rng.random() < 0.5:
                for k in range(int(rng.integers(2, 5))):
                    yy = (k - 1.5) * w * 0.35
                    parts.append(("head", "hole", np.array([[hl * 0.25, yy - 1], [hl * 0.75, yy - 1],
                                                            [hl * 0.75, yy + 1.2], [hl * 0.25, yy + 1.2]]), 0))
            else:
                for _ in range(int(rng.integers(4, 12))):
                    hx, hy = hl / 2 + rng.normal(0, hl * 0.15), rng.normal(0, w * 0.3)
                    parts.append(("head", "hole", ell_pts(hx, hy, max(1.2, w * 0.12), max(1.2, w * 0.12), 0, 10), 0))
        if typ == "pasta_server":
            for k in range(5):
                yy = (k - 2) * w * 0.38
                parts.append(("head", "poly", np.array([[-hl * 0.12, yy - 1], [hl * 0.1, yy - 1],
                                                        [hl * 0.1, yy + 1], [-hl * 0.12, yy + 1]]), 0))
            parts.append(("head", "hole", ell_pts(hl * 0.5, 0, hl * 0.12, w * 0.3, 0, 12), 0))
    elif typ == "spatula":
        w = hl * U(rng, 0.3, 0.5)
        r = w * U(rng, 0.1, 0.9)
        p = np.array([[0, -w], [hl, -w * 0.8], [hl, w * 0.8], [0, w]], np.float32)
        parts.append(("head", "poly", p, 0))
        if r > 1:
            parts.append(("head", "poly", ell_pts(r * 0.3, 0, r * 0.4, w, 0, 24), 0))
    elif typ == "turner":
        w1 = hl * U(rng, 0.35, 0.6)
        w0 = w1 * U(rng, 0.35, 0.8)
        sk = U(rng, -0.2, 0.2) * hl
        p = np.array([[sk, -w1], [hl, -w0], [hl, w0], [-sk, w1]], np.float32)
        parts.append(("head", "poly", p, 0))
        if rng.random() < 0.65:
            ns = int(rng.integers(2, 6))
            for k in range(ns):
                yy = (k - (ns - 1) / 2) * (2 * w0 * 0.8) / max(ns, 1)
                sw = max(1.2, w0 * 0.08)
                parts.append(("head", "hole", np.array([[hl * 0.2, yy - sw], [hl * 0.8, yy - sw],
                                                        [hl * 0.8, yy + sw], [hl * 0.2, yy + sw]]), 0))
    elif typ == "ladle":
        r = hl * 0.5
        parts.append(("head", "poly", ell_pts(r, 0, r, r * U(rng, 0.85, 1.0), 0, 40), 0))
    elif typ == "whisk":
        nw = int(rng.integers(5, 12))
        wmax = hl * U(rng, 0.22, 0.38)
        xs = np.linspace(0, hl, 16)
        th = max(1, int(round(hwid * U(rng, 0.12, 0.25))))
        for j in range(nw):
            c = -1 + 2 * j / max(nw - 1, 1)
            prof = np.sin(np.pi * (xs / hl) * 0.5 + np.pi * 0.5) ** 0.7 * (1 - xs / hl) ** 0.3
            prof = np.sin(np.clip((1 - xs / hl), 0, 1) * np.pi * 0.8 + 0.25) * 1.0
            ys = c * wmax * prof
            pts = np.stack([xs, ys], 1)
            parts.append(("head", "line", pts, th))
        parts.append(("head", "line", ell_pts(0, 0, hl * 0.05, wmax * 0.95, 0, 16), th))
    elif typ == "tongs":
        gap = hl * U(rng, 0.05, 0.35)
        for sgn in (-1, 1):
            p = np.array([[0, sgn * gap - 2.5], [hl * 0.4, sgn * gap * 0.9 - 2], [hl * 3.0, sgn * 2 - 2],
                          [hl * 3.0, sgn * 2 + 2], [hl * 0.4, sgn * gap * 0.9 + 2], [0, sgn * gap + 2.5]])
            p[:, 1] = p[:, 1] * max(1.0, hwid / 4)
            parts.append(("head", "poly", p, 0))
            parts.append(("head", "poly", ell_pts(hl * 0.12, sgn * gap * max(1.0, hwid / 4), hl * 0.14,
                                                    max(2, hwid * 0.8), 0, 16), 0))
    elif typ == "chopsticks":
        for sgn in (-1, 1):
            y0 = sgn * hl * U(rng, 0.0, 0.1)
            y1 = sgn * hl * U(rng, 0.15, 0.45)
            t0, t1 = max(0.8, hwid * 0.2), max(1.5, hwid * 0.45)
            p = np.array([[0, y0 - t0], [hl * 4, y1 - t1], [hl * 4, y1 + t1], [0, y0 + t0]])
            parts.append(("head", "poly", p, 0))
    elif typ == "fork":
        nt = int(rng.integers(2, 5))
        w = hl * U(rng, 0.15, 0.3)
        for k in range(nt):
            yy = (k - (nt - 1) / 2) * 2 * w / max(nt - 1, 1) if nt > 1 else 0
            tw = max(1.0, w * 0.12)
            parts.append(("head", "poly", np.array([[0, yy - tw], [hl * 0.6, yy - tw], [hl * 0.6, yy + tw],
                                                    [0, yy + tw]]), 0))
        parts.append(("head", "poly", np.array([[hl * 0.55, -w - 1], [hl, -w * 0.4], [hl, w * 0.4],
                                                [hl * 0.55, w + 1]]), 0))
    elif typ == "brush":
        w = hl * U(rng, 0.2, 0.35)
        parts.append(("bristle", "poly", np.array([[0, -w], [hl * 0.7, -w * 0.9], [hl * 0.7, w * 0.9],
                                                   [0, w]]), 0))
        parts.append(("head", "poly", np.array([[hl * 0.65, -w * 0.95], [hl, -w * 0.6], [hl, w * 0.6],
                                                [hl * 0.65, w * 0.95]]), 0))
    elif typ in ("skimmer", "spider"):
        r = hl * 0.5
        parts.append(("head", "line", ell_pts(r, 0, r, r, 0, 40), max(1, int(hwid * 0.3))))
        if typ == "skimmer":
            parts.append(("head", "poly", ell_pts(r, 0, r, r, 0, 40), 0))
            step = max(3.0, r / U(rng, 3, 6))
            for gx in np.arange(r - r, r + r, step):
                for gy in np.arange(-r, r, step):
                    if (gx - r) ** 2 + gy ** 2 < (r * 0.85) ** 2:
                        parts.append(("head", "hole", ell_pts(gx, gy, step * 0.28, step * 0.28, 0, 8), 0))
        else:
            step = max(2.5, r / U(rng, 3, 7))
            for g in np.arange(-r, r, step):
                h2 = math.sqrt(max(r * r - g * g, 0))
                parts.append(("head", "line", np.array([[r + g, -h2], [r + g, h2]]), 1))
                parts.append(("head", "line", np.array([[r - h2, g], [r + h2, g]]), 1))
    elif typ == "masher":
        w = hl * U(rng, 0.25, 0.4)
        zz = [[0 if k % 2 == 0 else hl * 0.25, -w + 2 * w * k / 6] for k in range(7)]
        parts.append(("head", "line", np.array(zz), max(1, int(hwid * 0.3))))
        parts.append(("head", "line", np.array([[hl * 0.12, 0], [hl, 0]]), max(1, int(hwid * 0.3))))
    else:  # stick / paddle / spurtle
        w = hwid * U(rng, 0.7, 2.2)
        parts.append(("head", "poly", np.concatenate([ell_pts(w, 0, w, w, 0, 16, math.pi / 2, 1.5 * math.pi),
                                                      np.array([[hl, -w * 0.8], [hl, w * 0.8]])]), 0))
    return parts


TOOL_TYPES = ["spoon", "wooden_spoon", "slotted", "pasta_server", "spatula", "turner", "ladle", "whisk",
              "tongs", "chopsticks", "fork", "brush", "skimmer", "spider", "masher", "paddle"]


def draw_tool(cv, rng, typ, tip, ang, hl, L, hwid, fs, light, lab, near_col=None, held=False):
    """Draw a tool whose tip is at `tip`, handle direction angle `ang` (radians), into canvas cv with label lab.
    Returns (mask of the tool, head mask, hand anchor point or None, dir)."""
    parts = tool_geometry(rng, typ, hl, hwid)
    if typ not in ("tongs", "chopsticks"):
        # neck + handle
        w_end = hwid * U(rng, 0.5, 0.75)
        hx0 = hl * (0.95 if typ not in ("ladle", "skimmer", "spider") else 1.0)
        neck = np.array([[hx0, -hwid * 0.25], [hl + L, -w_end], [hl + L, w_end], [hx0, hwid * 0.25]])
        if rng.random() < 0.6:
            neck = np.array([[hx0, -hwid * 0.22], [hl + L * 0.25, -w_end * 0.9], [hl + L, -w_end * 1.15],
                             [hl + L, w_end * 1.15], [hl + L * 0.25, w_end * 0.9], [hx0, hwid * 0.22]])
        parts.append(("handle", "poly", neck, 0))
        parts.append(("handle", "poly", ell_pts(hl + L, 0, w_end * 1.1, w_end * 1.15, 0, 16), 0))
        if rng.random() < 0.35:
            parts.append(("handle", "hole", ell_pts(hl + L * 0.93, 0, max(1.2, w_end * 0.5), max(1.2, w_end * 0.4),
                                                     0, 12), 0))
    c, s = math.cos(ang), math.sin(ang)

    def tf(p):
        p = np.asarray(p, np.float32)
        x, y = p[:, 0] * fs, p[:, 1]
        return np.stack([tip[0] + c * x - s * y, tip[1] + s * x + c * y], 1)

    same = rng.random() < 0.45
    mh, kh = material(rng, near=near_col)
    if typ in ("whisk", "skimmer", "spider", "masher", "fork", "ladle") and rng.random() < 0.8:
        mh, kh = material(rng, "steel")
    if same or typ in ("chopsticks", "tongs"):
        mhand, khand = mh, kh
    else:
        mhand, khand = material(rng)
    mb, kb = material(rng, "silicone" if rng.random() < 0.5 else "nylon")
    if rng.random() < 0.4:
        mb = hsv2bgr(U(rng, 20, 50), U(rng, 0.1, 0.5), U(rng, 0.6, 0.95))  # natural bristles
    mats = {"head": (mh, kh), "handle": (mhand, khand), "bristle": (mb, "cloth")}
    total = cv.mask()
    headm = cv.mask()
    order = ["handle", "head", "bristle"]
    for name in order:
        m = cv.mask()
        any_ = False
        for (pn, k, pts, th) in parts:
            if pn != name:
                continue
            any_ = True
            if k == "poly":
                fill(m, tf(pts))
            elif k == "line":
                cv2.polylines(m, [ipts(tf(pts))], False, 255, int(th))
        if not any_:
            continue
        for (pn, k, pts, th) in parts:
            if pn == name and k == "hole":
                fill(m, tf(pts), 0)
        base, kind = mats[name]
        put_shaded(cv, rng, m, base, kind, ang, light, lab)
        total |= m
        if name != "handle":
            headm |= m
    grip = None
    if held:
        gx = hl + L * U(rng, 0.45, 0.9)
        grip = tf([[gx, 0]])[0]
    return total, headm, grip


def draw_hand(cv, rng, grip, ang, size, light, skin=None, lab=BG, fist=False):
    """Hand gripping at `grip`, forearm running away along ang (+/- some bend) to outside frame."""
    skin = skin if skin is not None else skin_tone(rng)
    c, s = math.cos(ang), math.sin(ang)
    side = 1 if rng.random() < 0.5 else -1

    def tf(p):
        p = np.asarray(p, np.float32)
        return np.stack([grip[0] + c * p[:, 0] - s * p[:, 1], grip[1] + s * p[:, 0] + c * p[:, 1]], 1)

    m = cv.mask()
    # forearm
    bend = rng.normal(0, 0.35)
    a2 = ang + bend
    far = np.array([grip[0] + math.cos(a2) * size * 12, grip[1] + math.sin(a2) * size * 12])
    wrist = tf([[size * 0.9, side * size * 0.25]])[0]
    nx, ny = -math.sin(a2), math.cos(a2)
    aw0, aw1 = size * 0.38, size * U(rng, 0.5, 0.7)
    arm = np.array([wrist + [nx * aw0, ny * aw0], far + [nx * aw1, ny * aw1],
                    far - [nx * aw1, ny * aw1], wrist - [nx * aw0, ny * aw0]])
    fill(m, arm)
    # palm
    fill(m, tf(blob_pts(rng, size * 0.4, side * size * 0.3, size * 0.55, U(rng, 0.75, 0.95), 0, 0.08, 14)))
    # knuckle line / back of the hand toward the wrist
    fill(m, tf(np.array([[size * 0.2, side * size * 0.05], [size * 1.0, side * size * 0.1],
                         [size * 1.0, side * size * 0.6], [size * 0.2, side * size * 0.75]])))
    # fingers wrapping across the handle
    for k in range(4):
        fx = -size * 0.15 + k * size * 0.22 * U(rng, 0.9, 1.1)
        fw = max(2, int(size * 0.2))
        if fist:
            p = [[fx, side * size * 0.5], [fx - size * 0.05, -side * size * 0.1]]
        else:
            p = [[fx, side * size * 0.5], [fx - size * 0.05, -side * size * 0.3], [fx + size * 0.05, -side * size * 0.15]]
        cv2.polylines(m, [ipts(tf(p))], False, 255, fw)
    # thumb
    cv2.polylines(m, [ipts(tf([[size * 0.5, -side * size * 0.05], [-size * 0.2, -side * size * U(rng, 0.0, 0.25)]]))],
                  False, 255, max(2, int(size * 0.24)))
    put_shaded(cv, rng, m, skin, "skin", ang, light, lab)
    # sleeve
    if rng.random() < 0.8:
        t0 = U(rng, 1.2, 5.0)
        p0 = np.array([grip[0] + math.cos(a2) * size * t0, grip[1] + math.sin(a2) * size * t0])
        sw = size * U(rng, 0.65, 0.95)
        sl = np.array([p0 + [nx * sw, ny * sw], far + [nx * sw * 1.3, ny * sw * 1.3],
                       far - [nx * sw * 1.3, ny * sw * 1.3], p0 - [nx * sw, ny * sw]])
        ms = cv.mask()
        fill(ms, sl)
        scol = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.9), U(rng, 0.08, 0.95))
        put_shaded(cv, rng, ms, scol, "cloth", ang, light, lab)
        m |= ms
    return m


def skin_tone(rng):
    t = rng.random()
    light = np.array([170, 195, 240], np.float32)
    dark = np.array([40, 60, 95], np.float32)
    col = light * (1 - t) + dark * t
    return jitter(rng, col, 10)


# ----------------------------------------------------------------------------- background
def draw_background(cv, rng, light, sq, rot):
    H, W = cv.h, cv.w
    k = int(rng.integers(6))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if k == 0:  # wood counter
        base = hsv2bgr(U(rng, 15, 40), U(rng, 0.2, 0.7), U(rng, 0.3, 0.85))
        a = U(rng, 0, math.pi)
        v = -xx * math.sin(a) + yy * math.cos(a)
        g = np.sin(v * U(rng, 0.1, 0.5) + fbm(rng, H, W, 3) * U(rng, 4, 14))
        img = base * (0.85 + 0.15 * g)[..., None]
    elif k == 1:  # stone / granite
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.3), U(rng, 0.1, 0.9))
        sp = rng.random((H, W)).astype(np.float32)
        img = base * (0.75 + 0.4 * fbm(rng, H, W, 6))[..., None]
        img[sp < 0.05] *= 0.5
        img[sp > 0.96] = np.clip(img[sp > 0.96] * 1.5 + 30, 0, 255)
    elif k == 2:  # tiles
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.6), U(rng, 0.4, 0.95))
        img = np.broadcast_to(base, (H, W, 3)).copy() * (0.9 + 0.15 * noise(rng, H, W, 3))[..., None]
        ts = U(rng, 15, 70)
        grout = hsv2bgr(0, 0, U(rng, 0.2, 0.9))
        gl = (np.abs(((xx / ts) % 1) - 0.5) > 0.46) | (np.abs(((yy / (ts * sq)) % 1) - 0.5) > 0.46)
        img[gl] = grout
    elif k == 3:  # brushed steel / stove top
        base = hsv2bgr(0, 0, U(rng, 0.35, 0.8))
        st = cv2.resize(rng.random((H, 8)).astype(np.float32), (W, H), interpolation=cv2.INTER_LINEAR)
        img = base * (0.85 + 0.3 * st * noise(rng, H, W, 3))[..., None]
    elif k == 4:  # black glass (induction / ceramic)
        img = np.zeros((H, W, 3), np.float32) + hsv2bgr(0, 0, U(rng, 0.03, 0.15))
        img += (fbm(rng, H, W, 2) * U(rng, 10, 50))[..., None]
    else:  # laminate plain colour
        base = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.7), U(rng, 0.2, 0.98))
        img = base * (0.88 + 0.2 * fbm(rng, H, W, 4))[..., None]
    cv.img[:] = img
    cv.lab[:] = BG
    # wall at the top for oblique views
    if sq < 0.75 and rng.random() < 0.6:
        hz = int(H * U(rng, 0.05, 0.35))
        wc = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.4), U(rng, 0.3, 0.95))
        wall = wc * (0.8 + 0.3 * noise(rng, hz, W, 3))[..., None]
        if rng.random() < 0.5:  # backsplash tiles
            ts = U(rng, 10, 40)
            yy2, xx2 = np.mgrid[0:hz, 0:W].astype(np.float32)
            gl = (np.abs(((xx2 / ts) % 1) - 0.5) > 0.45) | (np.abs(((yy2 / (ts * 0.6)) % 1) - 0.5) > 0.45)
            wall[gl] *= 0.7
        cv.img[:hz] = wall
        cv.img[hz:hz + 2] *= 0.6


def draw_hob(cv, rng, kind, cx, cy, rb, sq, rot, light):
    """burner under the pan, drawn before the pan (background)."""
    if kind == "gas":
        # grate bars
        gc = hsv2bgr(0, 0, U(rng, 0.05, 0.25))
        m = cv.mask()
        gr = rb * U(rng, 1.3, 1.9)
        for k in range(int(rng.integers(3, 7))):
            a = rot + k * math.pi / 3 + U(rng, -0.1, 0.1)
            p0 = (cx + math.cos(a) * rb * 0.4, cy + math.sin(a) * rb * 0.4 * sq)
            p1 = (cx + math.cos(a) * gr, cy + math.sin(a) * gr * sq)
            cv2.line(m, (int(p0[0]), int(p0[1])), (int(p1[0]), int(p1[1])), 255, max(2, int(rb * 0.06)))
        cv2.ellipse(m, (int(cx), int(cy)), (int(gr), int(gr * sq)), math.degrees(rot), 0, 360, 255,
                    max(2, int(rb * 0.05)))
        put_shaded(cv, rng, m, gc, "steel", rot, light, BG)
    elif kind == "coil":
        m = cv.mask()
        glow = rng.random() < 0.5
        col = hsv2bgr(U(rng, 0, 20), 0.9, 0.9) if glow else hsv2bgr(0, 0, 0.15)
        for r in np.linspace(rb * 0.3, rb * 1.25, int(rng.integers(4, 7))):
            cv2.ellipse(m, (int(cx), int(cy)), (int(r), int(r * sq)), math.degrees(rot), 0, 360, 255,
                        max(2, int(rb * 0.05)))
        cv.put(m, col, BG)
    elif kind == "induction":
        cv2.ellipse(cv.img, (int(cx), int(cy)), (int(rb * 1.3), int(rb * 1.3 * sq)), math.degrees(rot), 0, 360,
                    hsv2bgr(0, 0, U(rng, 0.3, 0.7)).tolist(), max(1, int(rb * 0.02)))
    elif kind == "ceramic":
        m = cv.mask()
        cv2.ellipse(m, (int(cx), int(cy)), (int(rb * 1.35), int(rb * 1.35 * sq)), math.degrees(rot), 0, 360, 255, -1)
        glow = hsv2bgr(U(rng, 0, 15), 0.9, U(rng, 0.3, 0.8))
        cv.img[m > 0] = cv.img[m > 0] * 0.5 + glow * 0.5


def flames(cv, rng, cx, cy, rb, sq, rot):
    n = int(rng.integers(12, 30))
    base = hsv2bgr(U(rng, 200, 240), U(rng, 0.5, 0.9), U(rng, 0.6, 1))
    for k in range(n):
        a = 2 * math.pi * k / n + rng.normal(0, 0.05)
        r0 = rb * 0.95
        r1 = rb * U(rng, 1.05, 1.3)
        p = np.array([[cx + math.cos(a - 0.06) * r0, cy + math.sin(a - 0.06) * r0 * sq],
                      [cx + math.cos(a) * r1, cy + math.sin(a) * r1 * sq - rb * 0.05],
                      [cx + math.cos(a + 0.06) * r0, cy + math.sin(a + 0.06) * r0 * sq]])
        col = base if rng.random() < 0.85 else hsv2bgr(U(rng, 20, 40), 0.9, 1)
        cv2.fillPoly(cv.img, [ipts(p)], col.tolist())  # label stays BG


def clutter(cv, rng, light, sq, avoid):
    """Objects on the counter (background): knives, boards, bottles, towels, utensils, lids, 2nd pan."""
    H, W = cv.h, cv.w
    n = int(rng.integers(0, 9))
    for _ in range(n):
        k = int(rng.integers(7))
        x, y = U(rng, -0.1, 1.1) * W, U(rng, -0.1, 1.1) * H
        sz = U(rng, 0.1, 0.5) * max(W, H)
        a = U(rng, 0, math.pi * 2)
        # keep counter objects off the pan's footprint (they must not look like they are in the pan)
        probe = np.zeros_like(avoid)
        cv2.circle(probe, (int(x), int(y)), int(sz * 0.55), 255, -1)
        cv2.line(probe, (int(x), int(y)), (int(x + math.cos(a) * sz * 1.1), int(y + math.sin(a) * sz * 1.1)), 255,
                 max(2, int(sz * 0.1)))
        if np.count_nonzero(probe & avoid) > 0:
            continue
        if k == 0:  # knife
            c, s = math.cos(a), math.sin(a)
            bl = np.array([[0, 0], [sz * 0.6, -sz * 0.02], [sz * 0.6, sz * 0.1], [sz * 0.05, sz * 0.06]])
            hd = np.array([[sz * 0.6, 0], [sz, 0.01 * sz], [sz, sz * 0.08], [sz * 0.6, sz * 0.08]])
            for pp, (col, kd) in ((bl, material(rng, "steel")), (hd, material(rng))):
                m = cv.mask()
                fill(m, np.stack([x + c * pp[:, 0] - s * pp[:, 1], y + s * pp[:, 0] + c * pp[:, 1]], 1))
                put_shaded(cv, rng, m, col, kd, a, light, BG)
        elif k == 1:  # cutting board
            m = cv.mask()
            p = ell_pts(x, y, sz * 0.6, sz * 0.4 * sq, a, 4)
            p = ell_pts(x, y, sz * 0.6, sz * 0.4 * sq, 0, 4, math.pi / 4, 2 * math.pi + math.pi / 4)
            fill(m, p)
            col, kd = material(rng, "wood" if rng.random() < 0.6 else "plastic")
            put_shaded(cv, rng, m, col, kd, 0, light, BG)
        elif k == 2:  # bottle / jar (top or oblique)
            m = cv.mask()
            r = sz * 0.15
            if sq > 0.8:
                cv2.circle(m, (int(x), int(y)), int(r), 255, -1)
            else:
                fill(m, np.array([[x - r, y], [x + r, y], [x + r, y - sz * 0.8], [x - r, y - sz * 0.8]]))
                cv2.ellipse(m, (int(x), int(y)), (int(r), int(r * sq)), 0, 0, 360, 255, -1)
            col = hsv2bgr(U(rng, 0, 360), U(rng, 0.1, 0.9), U(rng, 0.1, 0.9))
            put_shaded(cv, rng, m, col, "plastic", math.pi / 2, light, BG)
            cv2.circle(cv.img, (int(x), int(y - (0 if sq > 0.8 else sz * 0.8))), max(1, int(r * 0.5)),
                       hsv2bgr(U(rng, 0, 360), 0.7, 0.7).tolist(), -1)
        elif k == 3:  # towel
            m = cv.mask()
            p = blob_pts(rng, x, y, sz * 0.5, sq * U(rng, 0.4, 1), a, 0.25, 10)
            fill(m, p)
            col = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.3, 0.95))
            xx0, yy0, ww, hh = cv2.boundingRect(m)
            if ww > 0:
                crop = shade_crop(rng, m[yy0:yy0 + hh, xx0:xx0 + ww], col, "cloth", a, light)
                if rng.random() < 0.6:
                    per = U(rng, 6, 20)
                    yy2, xx2 = np.mgrid[0:hh, 0:ww].astype(np.float32)
                    crop[((xx2 * math.cos(a) + yy2 * math.sin(a)) / per % 1) < 0.3] *= 0.6
                cv.put(m, crop, BG, bbox=(xx0, yy0, ww, hh))
        elif k == 4:  # utensil lying on the counter (looks like a tool, but background)
            typ = TOOL_TYPES[int(rng.integers(len(TOOL_TYPES)))]
            draw_tool(cv, rng, typ, (x, y), a, sz * 0.3, sz * 0.6, max(3, sz * 0.06), 1.0, light, BG)
        elif k == 5:  # lid / plate
            m = cv.mask()
            cv2.ellipse(m, (int(x), int(y)), (int(sz * 0.5), int(sz * 0.5 * sq)), 0, 0, 360, 255, -1)
            col, kd = material(rng, "steel" if rng.random() < 0.6 else "plastic")
            put_shaded(cv, rng, m, col, kd, 0, light, BG)
            cv2.ellipse(cv.img, (int(x), int(y)), (int(sz * 0.08), int(sz * 0.08 * sq)), 0, 0, 360,
                        hsv2bgr(0, 0, 0.1).tolist(), -1)
        else:  # second pan with handle (background)
            m = cv.mask()
            r = sz * 0.6
            cv2.ellipse(m, (int(x), int(y)), (int(r), int(r * sq)), 0, 0, 360, 255, -1)
            col, kd = material(rng, "steel" if rng.random() < 0.5 else "nylon")
            put_shaded(cv, rng, m, col, kd, 0, light, BG)
            cv2.ellipse(cv.img, (int(x), int(y)), (int(r * 0.85), int(r * 0.85 * sq)), 0, 0, 360,
                        (col * 0.7).tolist(), -1)
            hm = cv.mask()
            c, s = math.cos(a), math.sin(a)
            p0 = np.array([x + c * r * 0.9, y + s * r * 0.9 * sq])
            p1 = np.array([x + c * r * 2.2, y + s * r * 2.2 * sq])
            cv2.line(hm, tuple(int(v) for v in p0), tuple(int(v) for v in p1), 255, max(3, int(r * 0.15)))
            hc, hk = material(rng)
            put_shaded(cv, rng, hm, hc, hk, a, light, BG)


# ----------------------------------------------------------------------------- the scene
def render(rng, W, H):
    cv = Canvas(W, H)
    la = U(rng, 0, 2 * math.pi)
    light = (math.cos(la), math.sin(la))
    view = rng.random()
    sq = U(rng, 0.88, 1.0) if view < 0.35 else U(rng, 0.42, 0.9)
    rot = rng.normal(0, 0.25) if rng.random() < 0.7 else U(rng, -math.pi, math.pi) * (sq > 0.85)
    cmax = math.sqrt(max(0.0, 1 - sq * sq))
    draw_background(cv, rng, light, sq, rot)

    # pan geometry
    ptype = ["fry", "fry", "wok", "sauce", "pot", "skillet", "saute"][int(rng.integers(7))]
    R = W * (U(rng, 0.16, 0.55) if rng.random() < 0.6 else U(rng, 0.55, 1.1))
    cx = W * U(rng, 0.2, 0.8)
    cy = H * U(rng, 0.3, 0.85)
    taper = {"fry": U(rng, 0.7, 0.85), "skillet": U(rng, 0.8, 0.9), "wok": U(rng, 0.35, 0.55),
             "sauce": U(rng, 0.9, 0.98), "pot": U(rng, 0.92, 0.99), "saute": U(rng, 0.85, 0.95)}[ptype]
    depth = R * {"fry": U(rng, 0.12, 0.22), "skillet": U(rng, 0.12, 0.2), "wok": U(rng, 0.3, 0.45),
                 "sauce": U(rng, 0.4, 0.8), "pot": U(rng, 0.5, 1.0), "saute": U(rng, 0.2, 0.35)}[ptype]
    dx, dy = -math.sin(rot) * depth * cmax, math.cos(rot) * depth * cmax
    Rb = R * taper
    rimt = max(2.0, R * U(rng, 0.02, 0.06))
    drot = math.degrees(rot)

    foot = cv.mask()
    fp = np.concatenate([ell_pts(cx, cy, R * 1.15, R * 1.15 * sq, rot, 48),
                         ell_pts(cx + dx, cy + dy, Rb * 1.15, Rb * 1.15 * sq, rot, 48)])
    fill(foot, cv2.convexHull(fp.astype(np.float32)).reshape(-1, 2))
    clutter(cv, rng, light, sq, foot)
    hob = ["gas", "coil", "induction", "ceramic", "none"][int(rng.integers(5))]
    if hob != "none":
        draw_hob(cv, rng, hob, cx + dx, cy + dy, Rb * 1.05, sq, rot, light)
        if hob == "gas" and rng.random() < 0.7:
            flames(cv, rng, cx + dx, cy + dy, Rb * 1.02, sq, rot)
        # other burners
        for _ in range(int(rng.integers(0, 3))):
            ox, oy = cx + U(rng, -2, 2) * R, cy + U(rng, -2, 2) * R * sq
            draw_hob(cv, rng, hob, ox, oy, R * U(rng, 0.4, 0.8), sq, rot, light)

    # pan materials
    pk = int(rng.integers(6))
    if pk == 0:
        body = hsv2bgr(0, 0, U(rng, 0.06, 0.2)); inner = body * U(rng, 0.8, 1.4); bkind = "nylon"
    elif pk == 1:
        body = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.06), U(rng, 0.5, 0.85)); inner = body * U(rng, 0.7, 1.1); bkind = "steel"
    elif pk == 2:  # cast iron
        body = hsv2bgr(0, 0, U(rng, 0.08, 0.18)); inner = body * U(rng, 0.9, 1.3); bkind = "nylon"
    elif pk == 3:  # copper
        body = hsv2bgr(U(rng, 12, 28), U(rng, 0.5, 0.8), U(rng, 0.5, 0.85)); inner = hsv2bgr(0, 0, U(rng, 0.5, 0.8)); bkind = "steel"
    elif pk == 4:  # enamel coloured
        body = hsv2bgr(U(rng, 0, 360), U(rng, 0.4, 0.9), U(rng, 0.3, 0.9))
        inner = hsv2bgr(U(rng, 30, 50), U(rng, 0, 0.2), U(rng, 0.6, 0.95)) if rng.random() < 0.5 else body * 0.5
        bkind = "plastic"
    else:  # ceramic coated light
        body = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.5), U(rng, 0.3, 0.9)); inner = hsv2bgr(U(rng, 0, 360), U(rng, 0, 0.3), U(rng, 0.5, 0.95)); bkind = "plastic"
    inner = np.clip(inner, 0, 255)

    # handles
    handles = []
    if ptype in ("pot", "sauce") and rng.random() < 0.6 or ptype == "pot":
        t = U(rng, 0, math.pi)
        handles = [("loop", t), ("loop", t + math.pi)]
    else:
        handles = [("long", U(rng, 0, 2 * math.pi))]
        if ptype in ("wok", "saute") and rng.random() < 0.5:
            handles.append(("loop", handles[0][1] + math.pi))
    hmat, hkind = material(rng) if rng.random() < 0.6 else (body, bkind)

    def handle_mask(kind, t):
        m = cv.mask()
        p0 = ell_pts(cx, cy, R, R * sq, rot, 1, t, t + 1)[0]
        ex, ey = math.cos(t), math.sin(t) * sq
        c, s = math.cos(rot), math.sin(rot)
        ex, ey = c * ex - s * ey, s * ex + c * ey
        nrm = math.hypot(ex, ey) + 1e-6
        ex, ey = ex / nrm, ey / nrm
        if kind == "long":
            hlen = R * U(rng, 0.9, 1.6) * (0.55 + 0.45 * math.hypot(math.cos(t), math.sin(t) * sq))
            w0, w1 = R * U(rng, 0.05, 0.09), R * U(rng, 0.06, 0.12)
            nx, ny = -ey, ex
            p1 = p0 + np.array([ex, ey]) * hlen
            fill(m, np.array([p0 + [nx * w0, ny * w0], p1 + [nx * w1, ny * w1], p1 - [nx * w1, ny * w1],
                              p0 - [nx * w0, ny * w0]]))
            cv2.circle(m, (int(p1[0]), int(p1[1])), max(1, int(w1)), 255, -1)
            if rng.random() < 0.4:
                hp = p0 + np.array([ex, ey]) * hlen * 0.9
                cv2.circle(m, (int(hp[0]), int(hp[1])), max(1, int(w1 * 0.45)), 0, -1)
        else:
            pc = p0 + np.array([ex, ey]) * R * 0.12
            cv2.ellipse(m, (int(pc[0]), int(pc[1])), (max(2, int(R * 0.15)), max(2, int(R * 0.15 * sq))),
                        math.degrees(math.atan2(ey, ex)) + 90, 0, 360, 255, max(2, int(R * 0.05)))
        return m, math.atan2(ey, ex), p0

    hmasks = [(handle_mask(k, t), t) for (k, t) in handles]
    for (m, a, p0), t in hmasks:
        if math.sin(t) <= 0:
            put_shaded(cv, rng, m, hmat, hkind, a, light, BG)

    # pan body: hull of rim and bottom
    rim = ell_pts(cx, cy, R + rimt, (R + rimt) * sq, rot, 90)
    bot = ell_pts(cx + dx, cy + dy, Rb, Rb * sq, rot, 90)
    hull = cv2.convexHull(np.concatenate([rim, bot]).astype(np.float32))
    m = cv.mask()
    fill(m, hull.reshape(-1, 2))
    put_shaded(cv, rng, m, body, bkind, rot + math.pi / 2, light, BG)
    # rim ring
    rim_m = cv.mask()
    cv2.ellipse(rim_m, (int(cx), int(cy)), (int(R + rimt), int((R + rimt) * sq)), drot, 0, 360, 255, -1)
    cv.put(rim_m, np.clip(body * U(rng, 1.0, 1.6) + 15, 0, 255), BG)
    # interior
    inner_m = cv.mask()
    cv2.ellipse(inner_m, (int(cx), int(cy)), (int(R), int(R * sq)), drot, 0, 360, 255, -1)
    wallcol = inner * U(rng, 0.6, 0.9)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    grad = 0.75 + 0.35 * np.clip(((xx - cx) * light[0] + (yy - cy) * light[1]) / (R + 1), -1, 1)
    cv.put(inner_m, wallcol[None, None, :] * grad[..., None], BG)
    floor_m = cv.mask()
    cv2.ellipse(floor_m, (int(cx + dx), int(cy + dy)), (int(Rb * 0.98), int(Rb * 0.98 * sq)), drot, 0, 360, 255, -1)
    floor_m &= inner_m
    fl = inner[None, None, :] * (0.85 + 0.3 * fbm(rng, H, W, 3))[..., None] * (2 - grad)[..., None] * 0.9
    cv.put(floor_m, np.clip(fl, 0, 255), BG)
    if bkind in ("steel", "nylon", "plastic") and rng.random() < 0.7:  # reflection on the pan interior
        rm = cv.mask()
        cv2.ellipse(rm, (int(cx - light[0] * R * 0.4), int(cy - light[1] * R * 0.4 * sq)),
                    (max(2, int(R * U(rng, 0.1, 0.4))), max(1, int(R * 0.08 * sq))), U(rng, 0, 180), 0, 360, 255, -1)
        rm &= inner_m
        cv.img[rm > 0] = np.clip(cv.img[rm > 0] * 1.3 + 40, 0, 255)
    for (m, a, p0), t in hmasks:
        if math.sin(t) > 0:
            put_shaded(cv, rng, m, hmat, hkind, a, light, BG)

    # ---------------- food
    fmode = ["stirfry", "stew", "soup", "sauce", "oil", "eggs", "rice", "pasta", "discs", "stirfry"][int(rng.integers(10))]
    if ptype in ("pot", "sauce") and fmode in ("eggs", "discs") and rng.random() < 0.7:
        fmode = "soup"
    level = U(rng, 0.0, 0.25) if fmode in ("stirfry", "eggs", "oil", "discs", "rice", "pasta") else U(rng, 0.2, 0.8)
    fcx, fcy = cx + dx * (1 - level), cy + dy * (1 - level)
    Rf = Rb + (R - Rb) * level
    surf = cv.mask()
    cv2.ellipse(surf, (int(fcx), int(fcy)), (int(Rf), int(Rf * sq)), drot, 0, 360, 255, -1)
    surf &= inner_m
    fl_layer = cv.layer()
    mod = 0.78 + 0.4 * fbm(rng, H, W, 6)
    liquid_col = None
    pal = [food_color(rng) for _ in range(int(rng.integers(1, 6)))]
    psc = R * U(rng, 0.04, 0.11)

    def scatter(n, kinds, size, region_frac=0.95, cols=pal):
        xs, ys = sample_in_ellipse(rng, n, fcx, fcy, Rf * region_frac, Rf * region_frac * sq, rot)
        for i in range(n):
            piece(fl_layer, rng, xs[i], ys[i], size * U(rng, 0.5, 1.4), jitter(rng, cols[int(rng.integers(len(cols)))], 12),
                  kinds[int(rng.integers(len(kinds)))], sq)

    if fmode in ("stew", "soup", "sauce"):
        liquid_col = sauce_color(rng)
        lf = liquid_col[None, None, :] * (0.85 + 0.3 * fbm(rng, H, W, 5))[..., None]
        if fmode == "soup" and rng.random() < 0.5:  # clear broth: see the pan floor through
            lf = cv.img * U(rng, 0.3, 0.6) + lf * U(rng, 0.4, 0.7)
        fl_layer.put(surf, np.clip(lf, 0, 255), FD)
        npieces = {"stew": int(rng.integers(10, 60)), "soup": int(rng.integers(0, 30)), "sauce": int(rng.integers(0, 12))}[fmode]
        scatter(npieces, PIECE_KINDS, psc)
        # bubbles and glints
        for _ in range(int(rng.integers(0, 25))):
            x, y = sample_in_ellipse(rng, 1, fcx, fcy, Rf * 0.9, Rf * 0.9 * sq, rot)
            rr = max(1, int(R * U(rng, 0.005, 0.03)))
            cv2.circle(fl_layer.img, (int(x[0]), int(y[0])), rr, np.clip(liquid_col * 1.4 + 30, 0, 255).tolist(), 1)
    elif fmode == "oil":
        oilm = cv.mask()
        fill(oilm, blob_pts(rng, fcx, fcy, Rb * U(rng, 0.5, 1.0), sq, rot, 0.08, 40))
        oilm &= floor_m | surf
        tint = hsv2bgr(U(rng, 35, 55), U(rng, 0.4, 0.9), 0.9)
        of = cv.img * U(rng, 0.55, 0.85) + tint * U(rng, 0.15, 0.4)
        fl_layer.put(oilm, np.clip(of, 0, 255), FD)
        # meniscus: a bright/dark line just inside the oil edge (drawn only inside the oil region)
        edge = oilm & ~cv2.erode(oilm, np.ones((3, 3), np.uint8), iterations=max(1, int(R * 0.01)))
        ecol = np.clip(of * U(rng, 0.6, 1.5), 0, 255)
        np.copyto(fl_layer.img, ecol, where=(edge > 0)[..., None])
        for _ in range(int(rng.integers(3, 20))):
            x, y = sample_in_ellipse(rng, 1, fcx, fcy, Rb * 0.7, Rb * 0.7 * sq, rot)
            if oilm[min(H - 1, max(0, int(y[0]))), min(W - 1, max(0, int(x[0])))]:
                cv2.circle(fl_layer.img, (int(x[0]), int(y[0])), max(1, int(R * U(rng, 0.005, 0.02))), (235, 245, 250), -1)
        k = int(rng.integers(4))
        if k == 0:
            scatter(int(rng.integers(1, 4)), ["egg"], R * U(rng, 0.15, 0.3), 0.6)
        elif k == 1:
            scatter(int(rng.integers(5, 40)), ["strip", "cube"], psc, 0.7, [hsv2bgr(U(rng, 25, 45), 0.6, 0.85)])
        elif k == 2:
            scatter(int(rng.integers(1, 6)), ["blob"], R * U(rng, 0.08, 0.22), 0.7)
    elif fmode == "eggs":
        if rng.random() < 0.5:
            scatter(int(rng.integers(1, 5)), ["egg"], R * U(rng, 0.12, 0.3), 0.6)
        else:
            ycol = [hsv2bgr(U(rng, 38, 52), U(rng, 0.5, 0.9), U(rng, 0.8, 1))]
            scatter(int(rng.integers(15, 60)), ["blob", "leaf"], psc * 1.3, 0.8, ycol + pal[:1])
    elif fmode == "rice":
        rc = hsv2bgr(U(rng, 30, 50), U(rng, 0.0, 0.6), U(rng, 0.75, 0.97))
        mound = cv.mask()
        fill(mound, blob_pts(rng, fcx, fcy, Rf * U(rng, 0.6, 0.95), sq, rot, 0.12, 18))
        mound &= inner_m
        fl_layer.put(mound, np.clip(rc[None, None, :] * (0.8 + 0.3 * fbm(rng, H, W, 20, 2))[..., None], 0, 255), FD)
        gs = max(1.2, R * 0.018)
        n = int(min(900, (Rf * Rf * sq) / (gs * gs) * 0.8))
        xs, ys = sample_in_ellipse(rng, n, fcx, fcy, Rf * 0.9, Rf * 0.9 * sq, rot)
        for i in range(n):
            if mound[min(H - 1, max(0, int(ys[i]))), min(W - 1, max(0, int(xs[i])))]:
                cv2.ellipse(fl_layer.img, (int(xs[i]), int(ys[i])), (int(gs + 0.5), max(1, int(gs * 0.45))),
                            U(rng, 0, 180), 0, 360, np.clip(rc * U(rng, 0.85, 1.15), 0, 255).tolist(), -1)
        scatter(int(rng.integers(0, 40)), ["cube", "blob", "leaf"], psc * 0.5, 0.8)
    elif fmode == "pasta":
        pc = [hsv2bgr(U(rng, 35, 50), U(rng, 0.3, 0.7), U(rng, 0.7, 0.97))]
        if rng.random() < 0.6:
            scatter(int(rng.integers(30, 120)), ["strand"], psc * 1.3, 0.9, pc)
        else:
            scatter(int(rng.integers(20, 80)), ["strip", "ring"], psc * 0.8, 0.9, pc)
        if rng.random() < 0.5:
            scatter(int(rng.integers(5, 30)), ["blob", "cube"], psc * 0.5, 0.8)
    elif fmode == "discs":
        dc = [hsv2bgr(U(rng, 10, 40), U(rng, 0.3, 0.8), U(rng, 0.2, 0.85))]
        scatter(int(rng.integers(1, 7)), ["blob", "cube"], min(R * U(rng, 0.12, 0.3), W * U(rng, 0.06, 0.16)), 0.65, dc)
    else:  # stirfry
        scatter(int(rng.integers(15, 110)), PIECE_KINDS, psc, U(rng, 0.6, 0.98))
        if rng.random() < 0.35:  # glaze / sauce around the pieces
            gm = cv.mask()
            fill(gm, blob_pts(rng, fcx, fcy, Rf * U(rng, 0.5, 0.9), sq, rot, 0.2, 14))
            gm &= surf
            g = cv.img * 0.4 + sauce_color(rng) * 0.6
            sel = (gm > 0) & (fl_layer.lab == EMPTY)
            fl_layer.img[sel] = g[sel]
            fl_layer.lab[sel] = FD
    cv.comp(fl_layer, clip=inner_m, mod=mod)
    # glints on the food surface
    fm = (cv.lab == FD)
    if fm.any() and rng.random() < 0.7:
        gl = (fbm(rng, H, W, 10, 2) > U(rng, 0.72, 0.8)) & fm
        cv.img[gl] = np.clip(cv.img[gl] * 1.25 + 35, 0, 255)
    # spills outside the pan (food)
    if rng.random() < 0.25:
        sp = cv.layer()
        for _ in range(int(rng.integers(1, 6))):
            a = U(rng, 0, 2 * math.pi)
            rr = R * U(rng, 1.0, 1.5)
            px, py = cx + math.cos(a) * rr, cy + math.sin(a) * rr * sq + dy
            piece(sp, rng, px, py, psc * U(rng, 0.6, 1.3), jitter(rng, pal[0], 15), "blob", sq)
        cv.comp(sp)

    # ---------------- tools (in / over the pan)
    ntools = [0, 1, 1, 1, 1, 2, 2, 3][int(rng.integers(8))]
    hand_pts = []
    shadow_dir = (-light[0] * R * 0.05, -light[1] * R * 0.05 + R * 0.04)
    for ti in range(ntools):
        typ = TOOL_TYPES[int(rng.integers(len(TOOL_TYPES)))]
        x, y = sample_in_ellipse(rng, 1, fcx, fcy, Rf * 0.85, Rf * 0.85 * sq, rot)
        tip = (float(x[0]), float(y[0]))
        if rng.random() < 0.75:
            ang = math.atan2(tip[1] - cy, tip[0] - cx) + rng.normal(0, 0.8)
        else:
            ang = U(rng, 0, 2 * math.pi)
        hl = R * U(rng, 0.22, 0.5)
        if typ == "ladle":
            hl = R * U(rng, 0.25, 0.5)
        L = R * U(rng, 0.8, 2.5)
        hwid = max(2.5, R * U(rng, 0.03, 0.08))
        if typ == "chopsticks":
            hl = R * U(rng, 0.25, 0.5)
        near = None
        r_ = rng.random()
        if r_ < 0.15 and pal:
            near = pal[0]
        elif r_ < 0.25:
            near = body
        held = rng.random() < 0.65
        before = cv.img.copy()
        before_lab = cv.lab.copy()
        tl = cv.layer()
        tm, headm, grip = draw_tool(tl, rng, typ, tip, ang, hl, L, hwid, U(rng, 0.55, 1.0), light, ST, near, held)
        # shadow of the tool
        if rng.random() < 0.7:
            M = np.float32([[1, 0, shadow_dir[0] * U(rng, 0.5, 2)], [0, 1, shadow_dir[1] * U(rng, 0.5, 2)]])
            sh = cv2.warpAffine(tm, M, (W, H)).astype(np.float32) / 255
            sh = cv2.GaussianBlur(sh, (0, 0), max(0.8, R * 0.015))
            cv.img *= (1 - U(rng, 0.2, 0.5) * sh)[..., None]
        cv.comp(tl)
        # part of the head under the food (submerged in liquid or buried under pieces)
        if rng.random() < 0.45:
            sub = cv.mask()
            c, s = math.cos(ang), math.sin(ang)
            depth_sub = hl * U(rng, 0.15, 0.8)
            p = np.array([[tip[0] - s * R - c * R, tip[1] + c * R - s * R],
                          [tip[0] - s * R + c * depth_sub, tip[1] + c * R + s * depth_sub],
                          [tip[0] + s * R + c * depth_sub, tip[1] - c * R + s * depth_sub],
                          [tip[0] + s * R - c * R, tip[1] - c * R - s * R]])
            fill(sub, p)
            sel = (sub > 0) & (headm > 0) & (before_lab == FD)
            if fmode in ("stew", "soup", "sauce") or rng.random() < 0.3:
                a_ = U(rng, 0.7, 1.0)
                cv.img[sel] = before[sel] * a_ + cv.img[sel] * (1 - a_)
                cv.lab[sel] = FD
            else:
                bury = cv.layer()
                xs = np.linspace(0, depth_sub, 5)
                for xv in xs:
                    piece(bury, rng, tip[0] + c * xv + rng.normal(0, hl * 0.1), tip[1] + s * xv + rng.normal(0, hl * 0.1),
                          psc * U(rng, 0.8, 1.5), jitter(rng, pal[int(rng.integers(len(pal)))], 12),
                          PIECE_KINDS[int(rng.integers(4))], sq)
                cv.comp(bury, clip=inner_m, mod=mod)
        elif typ not in ("whisk", "masher", "fork", "chopsticks", "tongs") and rng.random() < 0.4:
            # food lifted on the tool
            lift = cv.layer()
            c, s = math.cos(ang), math.sin(ang)
            hc = (tip[0] + c * hl * 0.5, tip[1] + s * hl * 0.5)
            if fmode in ("stew", "soup", "sauce") and liquid_col is not None and rng.random() < 0.6:
                bp = blob_pts(rng, hc[0], hc[1], hl * 0.3, 0.7, ang, 0.2, 12)
                fill(lift.img, bp, (liquid_col * 1.05).tolist())
                fill(lift.lab, bp, FD)
            for _ in range(int(rng.integers(1, 6))):
                piece(lift, rng, hc[0] + rng.normal(0, hl * 0.15), hc[1] + rng.normal(0, hl * 0.12),
                      psc * U(rng, 0.6, 1.3), jitter(rng, pal[int(rng.integers(len(pal)))], 12),
                      PIECE_KINDS[int(rng.integers(len(PIECE_KINDS)))], 1.0)
            dil = cv2.dilate(headm, np.ones((3, 3), np.uint8), iterations=max(1, int(psc * 0.3)))
            # liquid blob pixels fill only where the blob was drawn (img and lab drawn from the same pts)
            cv.comp(lift, clip=dil, mod=mod)
        if grip is not None:
            hand_pts.append((grip, ang, hwid))
    # hands: holding tools, or no tool (resting near / on pan handle / hovering)
    skin = skin_tone(rng)
    for grip, ang, hwid in hand_pts:
        draw_hand(cv, rng, grip, ang, max(hwid * U(rng, 3, 5), R * 0.15), light, skin)
    if rng.random() < 0.25:
        if rng.random() < 0.5 and hmasks:
            (m, a, p0), t = hmasks[0]
            gp = p0 + np.array([math.cos(a), math.sin(a)]) * R * U(rng, 0.4, 0.9)
            draw_hand(cv, rng, gp, a, R * U(rng, 0.12, 0.22), light, skin, fist=True)
        else:
            gp = (U(rng, 0, W), U(rng, 0, H))
            draw_hand(cv, rng, gp, U(rng, 0, 2 * math.pi), R * U(rng, 0.12, 0.25), light, skin,
                      fist=rng.random() < 0.5)

    # steam: faint, does not change labels (the pixel still shows what is under it)
    if rng.random() < 0.35:
        st = np.clip((fbm(rng, H, W, 4) - 0.45) * 2, 0, 1) * U(rng, 0.1, 0.35)
        cv.img = cv.img * (1 - st[..., None]) + 235 * st[..., None]
    return cv


def camera(rng, img):
    H, W = img.shape[:2]
    # light falloff + white balance + exposure
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    gx, gy = U(rng, -1, 1), U(rng, -1, 1)
    fall = 1 + U(rng, 0, 0.5) * ((xx / W - 0.5) * gx + (yy / H - 0.5) * gy)
    vig = 1 - U(rng, 0, 0.5) * (((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2) * 2)
    wb = np.array([U(rng, 0.7, 1.3), U(rng, 0.9, 1.1), U(rng, 0.7, 1.3)], np.float32)
    exp = math.exp(rng.normal(0, 0.35))
    img = img * (fall * vig)[..., None] * wb * exp
    img = np.clip(img, 0, 255)
    g = U(rng, 0.8, 1.25)
    img = 255 * (img / 255) ** g
    r = rng.random()
    if r < 0.2:
        img = cv2.GaussianBlur(img, (0, 0), U(rng, 0.5, 1.8))
    elif r < 0.35:
        k = int(rng.integers(3, 9))
        ker = np.zeros((k, k), np.float32)
        a = U(rng, 0, math.pi)
        c = (k - 1) / 2
        cv2.line(ker, (int(c - math.cos(a) * c), int(c - math.sin(a) * c)),
                 (int(c + math.cos(a) * c), int(c + math.sin(a) * c)), 1.0, 1)
        img = cv2.filter2D(img, -1, ker / ker.sum())
    elif r < 0.45:
        f = U(rng, 0.35, 0.7)
        small = cv2.resize(img, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
    sig = U(rng, 0, 10) if rng.random() < 0.7 else U(rng, 8, 20)
    n = rng.normal(0, 1, (H, W, 1)).astype(np.float32) * sig
    if rng.random() < 0.5:
        n = n + rng.normal(0, 1, (H, W, 3)).astype(np.float32) * sig * 0.5
    img = img + n * np.sqrt(np.clip(img, 8, 255) / 128)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def generate(out: pathlib.Path, count: int, seed: int, size=(320, 240)) -> None:
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    di, dm = out / "test" / "images", out / "test" / "masks"
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = np.random.default_rng([int(seed), i])
        cv = render(rng, W, H)
        img = camera(rng, cv.img)
        q = int(rng.integers(35, 97))
        stem = f"kc_{seed}_{i:06d}"
        cv2.imwrite(str(di / f"{stem}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, q])
        cv2.imwrite(str(dm / f"{stem}.png"), LUT[cv.lab])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="320x240")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split("x"))
    generate(pathlib.Path(a.out), a.count, a.seed, (w, h))
