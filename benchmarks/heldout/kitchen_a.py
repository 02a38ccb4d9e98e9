#!/usr/bin/env python3
"""kitchen_a: a blind, procedural held-out scene generator (camera over a cooking pan).

Labels (per pixel): stirrer (hand-held tool) / pan (pan + everything that is neither tool nor food) / food.

How it works
------------
* A small 3-D world in centimetres (counter plane z=0, a back wall, a hob, a pan of revolution, food,
  tools, hands, clutter) is seen by a pinhole camera from straight above to ~35 deg elevation.
* Every object is rasterised ONCE into a hard mask; that mask sets both the image colours and the label,
  in painter's order (later objects cover earlier ones in both).  Parts of a tool inside the pan are
  clipped to the pan opening (the rim hides them), parts below a liquid/bulk food surface are not drawn.
  Decorations inside an object (grain, highlights, rice grains) only change the image.
* Rendering happens at 2x and is box-downsampled (image) / majority-voted per 2x2 block (labels).
* Photometric and sensor effects (white balance, light gradients, shadows, exposure, vignetting, blur,
  noise, JPEG) are applied to the image only, afterwards.

Only numpy + OpenCV + the standard library; nothing is read at run time.  Same seed -> same bytes.
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import cv2
import numpy as np

SS = 2                       # supersampling factor
SH = 3                       # fixed-point bits for cv2 drawing
ONE = 1 << SH
NEAR = 3.0                   # camera near plane (cm)
PAN, TOOL, FOOD = 0, 1, 2
MASK_BGR = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)  # pan green, stirrer red, food blue
ZUP = np.array([0.0, 0.0, 1.0])


# ----------------------------------------------------------------------------------------------- utils
def U(rng, a, b):
    return float(rng.uniform(a, b))


def pick(rng, seq, p=None):
    if p is None:
        return seq[int(rng.integers(len(seq)))]
    p = np.asarray(p, np.float64)
    return seq[int(rng.choice(len(seq), p=p / p.sum()))]


def _c255(v):
    return 0.0 if v < 0 else (255.0 if v > 255 else float(v))


def jit(rng, c, s=10.0):
    n = rng.normal(0, s, 3)
    return (_c255(c[0] + n[0]), _c255(c[1] + n[1]), _c255(c[2] + n[2]))


def mul(c, k):
    return (_c255(c[0] * k), _c255(c[1] * k), _c255(c[2] * k))


def mix(c1, c2, t):
    return (c1[0] * (1 - t) + c2[0] * t, c1[1] * (1 - t) + c2[1] * t, c1[2] * (1 - t) + c2[2] * t)


def unit(v):
    v = np.asarray(v, np.float64)
    return v / max(np.linalg.norm(v), 1e-9)


def circ3(cx, cy, z, r, n=64, a0=0.0):
    t = a0 + np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t), np.full(n, float(z))], 1)


def blob2(rng, r, n=12, rough=0.25, ax=1.0):
    """Irregular closed 2-D outline (radial noise, smoothed)."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 2 * np.pi)
    k = rng.normal(0, rough, n)
    k = (k + np.roll(k, 1) + np.roll(k, -1)) / 2.0
    rr = r * np.clip(1 + k, 0.45, 1.6)
    return np.stack([rr * np.cos(t) * ax, rr * np.sin(t)], 1)


def chaikin(p, it=2):
    p = np.asarray(p, np.float64)
    for _ in range(it):
        q = np.roll(p, -1, 0)
        p = np.stack([0.75 * p + 0.25 * q, 0.25 * p + 0.75 * q], 1).reshape(-1, 2)
    return p


def rot2(p, a):
    c, s = math.cos(a), math.sin(a)
    return p @ np.array([[c, s], [-s, c]])


def clip_ge(P, axis, val):
    """Sutherland-Hodgman: keep the part of polygon P with P[:,axis] >= val."""
    P = np.asarray(P, np.float64)
    n = len(P)
    if n == 0:
        return P
    inside = P[:, axis] >= val
    if inside.all():
        return P
    if not inside.any():
        return P[:0]
    out = []
    for i in range(n):
        a, b = P[i], P[(i + 1) % n]
        ia, ib = inside[i], inside[(i + 1) % n]
        if ia:
            out.append(a)
        if ia != ib:
            t = (val - a[axis]) / (b[axis] - a[axis])
            out.append(a + t * (b - a))
    return np.array(out)


def clip_le(P, axis, val):
    P = np.asarray(P, np.float64).copy()
    P[:, axis] *= -1
    Q = clip_ge(P, axis, -val)
    if len(Q):
        Q[:, axis] *= -1
    return Q


def noise_field(rng, h, w, cell):
    gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
    return cv2.resize(rng.standard_normal((gh, gw)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


# ------------------------------------------------------------------------------------------ rasterising
def _ip(p, off):
    return np.round((np.asarray(p, np.float64).reshape(-1, 2) - off) * ONE).astype(np.int32)


def rast(W, H, polys=(), lines=(), circles=(), clip=None, pad=2):
    """Hard (LINE_8) mask of polygons / thick polylines / discs, returned as (bool bbox mask, x0, y0)."""
    P = [np.asarray(p, np.float64).reshape(-1, 2) for p in polys if p is not None and len(p) >= 3]
    P = [p for p in P if np.isfinite(p).all()]
    Ls = [(np.asarray(p, np.float64).reshape(-1, 2), max(1, int(round(t)))) for p, t in lines
          if p is not None and len(p) >= 2]
    Cs = [(float(x), float(y), float(r)) for x, y, r in circles if r > 0.4]
    lo, hi = [], []
    for p in P:
        lo.append(p.min(0)); hi.append(p.max(0))
    for p, t in Ls:
        lo.append(p.min(0) - t); hi.append(p.max(0) + t)
    for x, y, r in Cs:
        lo.append((x - r, y - r)); hi.append((x + r, y + r))
    if not lo:
        return None
    lo = np.min(lo, 0); hi = np.max(hi, 0)
    x0 = max(int(math.floor(lo[0])) - pad, 0); y0 = max(int(math.floor(lo[1])) - pad, 0)
    x1 = min(int(math.ceil(hi[0])) + pad + 1, W); y1 = min(int(math.ceil(hi[1])) + pad + 1, H)
    if x1 <= x0 or y1 <= y0:
        return None
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    off = np.array([x0, y0], np.float64)
    for p in P:
        cv2.fillPoly(m, [_ip(p, off)], 1, cv2.LINE_8, SH)
    for p, t in Ls:
        cv2.polylines(m, [_ip(p, off)], False, 1, t, cv2.LINE_8, SH)
    for x, y, r in Cs:
        cv2.circle(m, (int(round((x - x0) * ONE)), int(round((y - y0) * ONE))), int(round(r * ONE)), 1, -1,
                   cv2.LINE_8, SH)
    if clip is not None:
        m &= clip[y0:y1, x0:x1]
    if not m.any():
        return None
    return m.astype(bool), x0, y0


def r_and(a, b):
    if a is None or b is None:
        return None
    ma, ax, ay = a
    mb, bx, by = b
    x0, y0 = max(ax, bx), max(ay, by)
    x1, y1 = min(ax + ma.shape[1], bx + mb.shape[1]), min(ay + ma.shape[0], by + mb.shape[0])
    if x1 <= x0 or y1 <= y0:
        return None
    m = ma[y0 - ay:y1 - ay, x0 - ax:x1 - ax] & mb[y0 - by:y1 - by, x0 - bx:x1 - bx]
    return (m, x0, y0) if m.any() else None


def r_or(rs):
    rs = [r for r in rs if r is not None]
    if not rs:
        return None
    if len(rs) == 1:
        return rs[0]
    x0 = min(r[1] for r in rs); y0 = min(r[2] for r in rs)
    x1 = max(r[1] + r[0].shape[1] for r in rs); y1 = max(r[2] + r[0].shape[0] for r in rs)
    m = np.zeros((y1 - y0, x1 - x0), bool)
    for mm, xx, yy in rs:
        m[yy - y0:yy - y0 + mm.shape[0], xx - x0:xx - x0 + mm.shape[1]] |= mm
    return m, x0, y0


def r_full(r, W, H):
    f = np.zeros((H, W), np.uint8)
    if r is not None:
        m, x0, y0 = r
        f[y0:y0 + m.shape[0], x0:x0 + m.shape[1]] = m
    return f


class Surface:
    """An image plus a per-pixel mask/label layer; shapes set both in one go (composited with cv2.copyTo)."""

    def __init__(self, W, H, img, mask, grain, grain3, tmp):
        self.W, self.H, self.img, self.mask, self.grain, self.grain3, self.tmp = W, H, img, mask, grain, grain3, tmp
        self.bb = [W, H, 0, 0]

    def _colour(self, sl, h, w, color, tex, src=None):
        if src is not None:
            col = src[sl]
        else:
            col = self.tmp[:h, :w]
            col[:] = color
        if tex:
            col = cv2.scaleAdd(cv2.multiply(col, self.grain3[sl], scale=tex), 1.0, col)
        return col

    def paint(self, r, color=(0, 0, 0), lab=1, tex=0.0, alpha=1.0, src=None):
        if r is None:
            return None
        m, x0, y0 = r
        h, w = m.shape
        sl = np.s_[y0:y0 + h, x0:x0 + w]
        reg = self.img[sl]
        col = self._colour(sl, h, w, color, tex, src)
        if alpha < 1:
            col = cv2.addWeighted(reg, 1 - alpha, col, alpha, 0)
        cv2.copyTo(col, m.view(np.uint8), reg)
        if lab is not None:
            self.mask[sl][m] = lab
            if lab:
                bb = self.bb
                bb[0] = min(bb[0], x0); bb[1] = min(bb[1], y0)
                bb[2] = max(bb[2], x0 + w); bb[3] = max(bb[3], y0 + h)
        return r

    def shape(self, polys=(), lines=(), circles=(), color=(0, 0, 0), lab=1, clip=None, tex=0.0, alpha=1.0,
              within=None, src=None):
        r = rast(self.W, self.H, polys, lines, circles, clip)
        if within is not None:
            r = r_and(r, within)
        return self.paint(r, color, lab, tex, alpha, src)

    def touch(self, p, pad=2):
        bb = self.bb
        lo, hi = p.min(0), p.max(0)
        bb[0] = max(0, min(bb[0], int(lo[0]) - pad)); bb[1] = max(0, min(bb[1], int(lo[1]) - pad))
        bb[2] = min(self.W, max(bb[2], int(hi[0]) + pad + 1)); bb[3] = min(self.H, max(bb[3], int(hi[1]) + pad + 1))

    def fill(self, p, color, lab=1):
        """Direct (unclipped) polygon into image and mask; clipping happens at commit time."""
        if p is None or len(p) < 3 or not np.isfinite(p).all():
            return
        q = [_ip(p, np.zeros(2))]
        cv2.fillPoly(self.img, q, color, cv2.LINE_8, SH)
        if lab is not None:
            cv2.fillPoly(self.mask, q, lab, cv2.LINE_8, SH)
            if lab:
                self.touch(p)

    def line(self, p, thick, color, lab=1):
        if p is None or len(p) < 2 or not np.isfinite(p).all():
            return
        q = [_ip(p, np.zeros(2))]
        t = max(1, int(round(thick)))
        cv2.polylines(self.img, q, False, color, t, cv2.LINE_8, SH)
        if lab is not None:
            cv2.polylines(self.mask, q, False, lab, t, cv2.LINE_8, SH)
            if lab:
                self.touch(p, t + 2)

    def stack(self, items, lab, clip=None, tex=0.0):
        """Painter's-order stack of polygons drawn through an index map and composited in one pass."""
        idx = np.zeros((self.H, self.W), np.uint8)
        lut = [(0.0, 0.0, 0.0)]
        for p, col in items:
            if p is None or len(p) < 3:
                continue
            lut.append(col)
            cv2.fillPoly(idx, [_ip(p, np.zeros(2))], len(lut) - 1, cv2.LINE_8, SH)
        if clip is not None:
            idx[clip == 0] = 0
        x0, y0, w, h = cv2.boundingRect(idx)
        if w == 0:
            return None
        sl = np.s_[y0:y0 + h, x0:x0 + w]
        sub = idx[sl]
        table = np.zeros((1, 256, 3), np.float32)
        table[0, :len(lut)] = lut
        col = cv2.LUT(cv2.merge([sub, sub, sub]), table)
        if tex:
            col = cv2.scaleAdd(cv2.multiply(col, self.grain3[sl], scale=tex), 1.0, col)
        m = sub > 0
        cv2.copyTo(col, m.view(np.uint8), self.img[sl])
        if lab is not None:
            self.mask[sl][m] = lab
        return m, x0, y0


class Canvas(Surface):
    def __init__(self, W, H, rng):
        fine = cv2.resize(rng.standard_normal((H // 2, W // 2)).astype(np.float32), (W, H),
                          interpolation=cv2.INTER_LINEAR)
        g = noise_field(rng, H, W, 18) * 0.6 + fine * 0.5
        super().__init__(W, H, np.zeros((H, W, 3), np.float32), np.zeros((H, W), np.uint8), g,
                         cv2.merge([g, g, g]), np.empty((H, W, 3), np.float32))

    def batch(self):
        b = Surface(self.W, self.H, self.img.copy(), np.zeros((self.H, self.W), np.uint8), self.grain, self.grain3,
                    self.tmp)
        b.canvas = self
        return b


def commit(b, cls, clip=None, tex=0.0):
    cv = b.canvas
    x0, y0, x1, y1 = b.bb
    if x1 <= x0 or y1 <= y0:
        return None
    sl = np.s_[y0:y1, x0:x1]
    m = b.mask[sl] > 0
    if clip is not None:
        m &= clip[sl] > 0
    col = b.img[sl]
    if tex:
        col = cv2.scaleAdd(cv2.multiply(col, b.grain3[sl], scale=tex), 1.0, col)
    cv2.copyTo(col, m.view(np.uint8), cv.img[sl])
    cv.mask[sl][m] = cls
    return (m, x0, y0) if m.any() else None


def soft_spot(img, c, rx, ry, color, strength, clip=None, ang=0.0):
    """Image-only soft elliptical glow (specular highlight) blended into img."""
    H, W = img.shape[:2]
    R = max(rx, ry) * 2.2
    x0, x1 = max(int(c[0] - R), 0), min(int(c[0] + R) + 1, W)
    y0, y1 = max(int(c[1] - R), 0), min(int(c[1] + R) + 1, H)
    if x1 <= x0 or y1 <= y0:
        return
    dy, dx = np.ogrid[y0:y1, x0:x1]
    dx, dy = dx.astype(np.float32) - c[0], dy.astype(np.float32) - c[1]
    ca, sa = math.cos(ang), math.sin(ang)
    u, v = (dx * ca + dy * sa) / max(rx, 0.5), (-dx * sa + dy * ca) / max(ry, 0.5)
    a = strength * np.exp(-0.5 * (u * u + v * v) * 2.5)
    if clip is not None:
        a = a * (clip[y0:y1, x0:x1] > 0)
    reg = img[y0:y1, x0:x1]
    reg += (np.asarray(color, np.float32) - reg) * a[..., None]


# ----------------------------------------------------------------------------------------------- camera
class Cam:
    def __init__(self, W, H, f, C, Rm):
        self.W, self.H, self.f, self.C, self.Rm = W, H, f, np.asarray(C, np.float64), Rm
        self.cx, self.cy = W / 2.0, H / 2.0

    def cam(self, P):
        return (np.asarray(P, np.float64) - self.C) @ self.Rm.T

    def pj(self, Pc):
        z = np.maximum(Pc[..., 2], NEAR * 0.5)
        return np.stack([self.f * Pc[..., 0] / z + self.cx, self.f * Pc[..., 1] / z + self.cy], -1)

    def pts(self, P):
        return self.pj(self.cam(P))

    def k(self, P):
        return self.f / np.maximum(self.cam(P)[..., 2], NEAR)

    def poly(self, P):
        Pc = self.cam(P)
        if (Pc[:, 2] < NEAR).any():
            Pc = clip_ge(Pc, 2, NEAR)
            if len(Pc) < 3:
                return None
        return self.pj(Pc)

    def ray(self, u, v):
        return self.Rm.T @ np.array([(u - self.cx) / self.f, (v - self.cy) / self.f, 1.0])


def make_camera(rng, W, H, R, h=0.0):
    fov = math.radians(U(rng, 34, 68))
    f = W / 2.0 / math.tan(fov / 2)
    e = math.radians(U(rng, 64, 90) if rng.random() < 0.45 else U(rng, 33, 64))
    a = math.radians(U(rng, -40, 40))
    frac = U(rng, 0.5, 1.15) if rng.random() < 0.8 else U(rng, 1.15, 1.7)   # pan diameter / image width
    D = max(f * 2 * R / (frac * W) + R * 0.3, U(rng, 32, 45))
    spread = 0.25 if rng.random() < 0.6 else 0.75
    target = np.array([rng.normal(0, spread) * R * 0.8, rng.normal(0, spread) * R * 0.6, U(rng, 0, 4)])
    hd = np.array([math.sin(a), -math.cos(a), 0.0])
    zmin = h + U(rng, 22, 35)                 # the camera is well above the rim
    if D * math.sin(e) + target[2] < zmin:
        e = math.asin(min(1.0, (zmin - target[2]) / D))
    C = target + D * (math.cos(e) * hd + math.sin(e) * ZUP)
    fwd = unit(target - C)
    right = np.array([math.cos(a), math.sin(a), 0.0])
    down = np.cross(fwd, right)
    roll = math.radians(rng.normal(0, 6))
    if e > math.radians(62) and rng.random() < 0.35:
        roll = U(rng, -math.pi, math.pi)
    r2 = math.cos(roll) * right + math.sin(roll) * down
    d2 = -math.sin(roll) * right + math.cos(roll) * down
    return Cam(W, H, f, C, np.stack([r2, d2, fwd])), a


# ------------------------------------------------------------------------------------------ backgrounds
WOODS = [(95, 150, 195), (70, 120, 170), (50, 85, 125), (120, 170, 205), (40, 65, 95), (85, 135, 165)]


def tex_surface(rng, kind, w, h, s, base=None):
    """Counter / hob / wall material texture, w x h pixels at s px per cm."""
    y = np.arange(h, dtype=np.float32)[:, None]
    x = np.arange(w, dtype=np.float32)[None, :]
    if kind == 'wood':
        base = base or pick(rng, WOODS)
        pw = U(rng, 6, 14) * s
        plank = np.floor(y / pw)
        pj = (np.sin(plank * 12.9898 + U(rng, 0, 9)) * 43758.5453) % 1.0
        n = noise_field(rng, h, w, 6 * s)
        grain = np.sin((y / s * U(rng, 1.5, 3.5) + 2.2 * n + plank * 3.1) * 2 * np.pi)
        lum = 1 + 0.07 * grain + 0.18 * (pj - 0.5) + 0.04 * noise_field(rng, h, w, 1.5 * s)
        seam = (np.abs((y % pw) - pw / 2) > pw / 2 - max(1.0, 0.12 * s))
        lum = lum * np.where(seam, 0.72, 1.0)
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
    elif kind == 'granite':
        base = base or pick(rng, [(60, 60, 62), (150, 150, 150), (40, 40, 45), (120, 130, 140), (90, 95, 110)])
        r = rng.random((h, w)).astype(np.float32)
        n = noise_field(rng, h, w, 3 * s)
        lum = 1 + 0.08 * n - 0.45 * (r < 0.07) + 0.5 * (r > 0.95) + 0.2 * ((r > 0.5) & (r < 0.56))
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
        t = cv2.GaussianBlur(t, (0, 0), max(0.5, 0.05 * s))
    elif kind == 'marble':
        base = base or pick(rng, [(230, 232, 235), (215, 220, 225), (200, 205, 205)])
        n = noise_field(rng, h, w, 12 * s) * 2.5 + noise_field(rng, h, w, 3 * s) * 0.6
        a = U(rng, 0, np.pi)
        v = np.abs(np.sin((x * math.cos(a) + y * math.sin(a)) / s * 0.06 + n))
        lum = 1 - 0.35 * np.exp(-v * U(rng, 10, 25)) + 0.02 * noise_field(rng, h, w, s)
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
    elif kind == 'steel':
        base = base or (165, 165, 168)
        n = cv2.blur(rng.standard_normal((h, w)).astype(np.float32), (max(3, int(8 * s)) | 1, 1))
        lum = 1 + 0.25 * n + 0.08 * noise_field(rng, h, w, 20 * s) + 0.12 * np.sin(x / w * np.pi * U(rng, 0.5, 2))
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
    elif kind == 'tile':
        base = base or pick(rng, [(235, 235, 232), (200, 190, 150), (120, 160, 90), (60, 60, 60),
                                   (160, 200, 220), (190, 120, 60), (215, 225, 230)])
        tw = U(rng, 7, 16) * s
        th = tw * (0.5 if rng.random() < 0.5 else 1.0)
        row = np.floor(y / th)
        off = (row % 2) * tw * 0.5 * (th < tw)
        col = np.floor((x + off) / tw)
        rnd = (np.sin(row * 17.1 + col * 5.3) * 91.7) % 1.0
        gw = max(1.0, U(rng, 0.2, 0.45) * s)
        grout = ((y % th) < gw) | (((x + off) % tw) < gw)
        gcol = np.asarray(pick(rng, [(200, 200, 200), (120, 120, 125), (60, 60, 60), (225, 230, 230)]), np.float32)
        lum = 1 + 0.06 * (rnd - 0.5) + 0.03 * noise_field(rng, h, w, 2 * s)
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
        t = np.where(grout[..., None], gcol[None, None], t)
    elif kind == 'concrete':
        base = base or pick(rng, [(140, 140, 135), (110, 112, 110), (170, 168, 160)])
        lum = 1 + 0.08 * noise_field(rng, h, w, 10 * s) + 0.06 * noise_field(rng, h, w, 2 * s)
        r = rng.random((h, w)).astype(np.float32)
        lum = lum - 0.3 * (r < 0.01)
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
    else:  # laminate / paint
        base = base or pick(rng, [(240, 240, 240), (200, 215, 225), (60, 60, 60), (180, 200, 200), (90, 120, 150),
                                   (200, 180, 150), (30, 30, 35), (140, 170, 120)])
        lum = 1 + 0.04 * noise_field(rng, h, w, 15 * s) + 0.015 * rng.standard_normal((h, w)).astype(np.float32)
        t = np.asarray(base, np.float32)[None, None] * lum[..., None]
    return np.clip(t, 0, 255).astype(np.float32)


def plane_extent(cam, plane, Yw):
    """Bounding box (in plane coords) of where image rays hit a plane.  plane: 'floor' or 'wall'."""
    pts = []
    for u in np.linspace(0, cam.W, 6):
        for v in np.linspace(0, cam.H, 6):
            d = cam.ray(u, v)
            if plane == 'floor':
                if d[2] < -1e-6:
                    t = -cam.C[2] / d[2]
                    p = cam.C + t * d
                    pts.append((p[0], min(p[1], Yw)))
            else:
                if d[1] > 1e-6:
                    t = (Yw - cam.C[1]) / d[1]
                    p = cam.C + t * d
                    if p[2] >= -5:
                        pts.append((p[0], max(p[2], 0)))
    if not pts:
        return None
    p = np.array(pts)
    lo = np.maximum(p.min(0) - 10, -400)
    hi = np.minimum(p.max(0) + 10, 400)
    return lo, hi


def draw_background(S, cv):
    rng, cam = S.rng, S.cam
    W, H = cv.W, cv.H
    Rm, C = cam.Rm, cam.C
    K = np.array([[cam.f, 0, cam.cx], [0, cam.f, cam.cy], [0, 0, 1.0]])
    # ---- counter with hob
    ext = plane_extent(cam, 'floor', S.Yw)
    if ext is None:
        ext = (np.array([-100.0, -100.0]), np.array([100.0, S.Yw]))
    lo, hi = ext
    hi[1] = max(hi[1], lo[1] + 5)
    span = max(hi[0] - lo[0], hi[1] - lo[1])
    s = float(np.clip(440.0 / span, 0.5, 9.0))
    tw, th = max(8, int((hi[0] - lo[0]) * s)), max(8, int((hi[1] - lo[1]) * s))
    kind = pick(rng, ['wood', 'granite', 'marble', 'steel', 'tile', 'concrete', 'laminate'],
                [3, 3, 2, 1.5, 1, 1, 2])
    tex = tex_surface(rng, kind, tw, th, s)

    def T(X, Y):
        return ((X - lo[0]) * s, (Y - lo[1]) * s)

    hob = S.hob
    if hob['kind'] != 'none':
        hx0, hy0 = T(hob['x0'], hob['y0'])
        hx1, hy1 = T(hob['x1'], hob['y1'])
        x0i, y0i, x1i, y1i = [int(round(v)) for v in (hx0, hy0, hx1, hy1)]
        x0c, y0c, x1c, y1c = max(x0i, 0), max(y0i, 0), min(x1i, tw), min(y1i, th)
        if x1c > x0c and y1c > y0c:
            hw, hh = x1c - x0c, y1c - y0c
            if hob['kind'] == 'glass':
                g = np.full((hh, hw, 3), hob['color'], np.float32)
                g *= (1 + 0.05 * noise_field(rng, hh, hw, 30 * s))[..., None]
                yy = np.arange(hh, dtype=np.float32)[:, None] / max(hh, 1)
                xx = np.arange(hw, dtype=np.float32)[None, :] / max(hw, 1)
                refl = np.exp(-((xx * 0.7 + yy * 0.5 - U(rng, 0.2, 1.0)) ** 2) / 0.01) * U(rng, 10, 45)
                g += refl[..., None]
            elif hob['kind'] == 'gas':
                g = tex_surface(rng, 'steel' if hob['steel'] else 'laminate', hw, hh, s,
                                None if hob['steel'] else hob['color'])
            else:  # coil
                g = tex_surface(rng, 'laminate', hw, hh, s, hob['color'])
            tex[y0c:y1c, x0c:x1c] = g
            ox, oy = x0c, y0c
            for (bx, by, br) in hob['burners']:
                cx, cy = T(bx, by)
                cc = (int(round(cx * ONE)), int(round(cy * ONE)))
                if hob['kind'] == 'glass':
                    cv2.circle(tex, cc, int(br * s * ONE), (95, 95, 100), max(1, int(0.25 * s)), cv2.LINE_AA, SH)
                    if rng.random() < 0.5:
                        cv2.circle(tex, cc, int(br * 0.6 * s * ONE), (70, 70, 75), max(1, int(0.2 * s)),
                                   cv2.LINE_AA, SH)
                elif hob['kind'] == 'gas':
                    cv2.circle(tex, cc, int(br * 0.5 * s * ONE), (40, 40, 42), -1, cv2.LINE_AA, SH)
                    cv2.circle(tex, cc, int(br * 0.32 * s * ONE), (25, 25, 25), -1, cv2.LINE_AA, SH)
                    cv2.circle(tex, cc, int(br * 0.22 * s * ONE), (70, 70, 75), -1, cv2.LINE_AA, SH)
                else:
                    for q in np.linspace(0.25, 1.0, 5):
                        cv2.circle(tex, cc, int(br * q * s * ONE), (45, 45, 48), max(1, int(0.6 * s)),
                                   cv2.LINE_AA, SH)
            if hob['kind'] == 'glass' and rng.random() < 0.7:   # control markings at the front edge
                for i in range(4):
                    cx, cy = T(hob['x0'] + 10 + i * (hob['x1'] - hob['x0'] - 20) / 3, hob['y0'] + 3)
                    cv2.circle(tex, (int(cx * ONE), int(cy * ONE)), int(0.8 * s * ONE), (150, 150, 150),
                               max(1, int(0.15 * s)), cv2.LINE_AA, SH)
    A = np.stack([Rm[:, 0], Rm[:, 1], -Rm @ C], 1)
    Tm = np.array([[1 / s, 0, lo[0]], [0, 1 / s, lo[1]], [0, 0, 1.0]])
    Hm = K @ A @ Tm
    cv.img[:] = cv2.warpPerspective(tex, Hm, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    cv.mask[:] = PAN
    # ---- back wall
    wall = np.array([[-500, S.Yw, 0], [500, S.Yw, 0], [500, S.Yw, 400], [-500, S.Yw, 400]], np.float64)
    wp = cam.poly(wall)
    r = rast(W, H, [wp]) if wp is not None else None
    if r is not None:
        ext = plane_extent(cam, 'wall', S.Yw)
        if ext is not None:
            lo2, hi2 = ext
            hi2 = np.maximum(hi2, lo2 + 5)
            span = max(hi2[0] - lo2[0], hi2[1] - lo2[1])
            s2 = float(np.clip(340.0 / span, 0.4, 6.0))
            tw, th = max(8, int((hi2[0] - lo2[0]) * s2)), max(8, int((hi2[1] - lo2[1]) * s2))
            wk = pick(rng, ['tile', 'laminate', 'steel', 'marble', 'concrete'], [4, 3, 1, 1, 1])
            wt = tex_surface(rng, wk, tw, th, s2)
            wt = wt[::-1].copy()          # texture row 0 = top of the wall extent
            if rng.random() < 0.3:        # a socket / switch plate
                sx, sy = int(rng.uniform(0.1, 0.9) * tw), int(rng.uniform(0.1, 0.6) * th)
                sz = int(8 * s2)
                cv2.rectangle(wt, (sx, sy), (sx + sz, sy + sz), (225, 228, 230), -1)
                cv2.circle(wt, (sx + sz // 2, sy + sz // 2), max(1, sz // 4), (150, 150, 150), -1)
            A2 = np.stack([Rm[:, 0], Rm[:, 2], Rm @ (np.array([0, S.Yw, 0]) - C)], 1)
            T2 = np.array([[1 / s2, 0, lo2[0]], [0, -1 / s2, hi2[1]], [0, 0, 1.0]])
            H2 = K @ A2 @ T2
            wimg = cv2.warpPerspective(wt, H2, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
            cv.paint(r, lab=PAN, src=wimg)
            # dark joint where the counter meets the wall
            j = cam.pts(np.array([[-500, S.Yw, 0.3], [500, S.Yw, 0.3]]))
            cv.shape(lines=[(j, max(1, 0.4 * cam.f / 80))], color=(40, 40, 45), lab=PAN, alpha=0.6)


# --------------------------------------------------------------------------------------------- the pan
PAN_STYLES = {
    'nonstick': dict(inner=[(48, 48, 52), (38, 40, 44), (60, 55, 55)], outer=[(40, 40, 160), (45, 45, 48), (30, 30, 30),
                                                                               (120, 80, 40), (60, 110, 190)]),
    'stainless': dict(inner=[(165, 165, 170), (150, 152, 155)], outer=[(170, 170, 172), (155, 155, 160)]),
    'castiron': dict(inner=[(35, 35, 38), (28, 30, 32)], outer=[(28, 28, 30)]),
    'enamel': dict(inner=[(200, 218, 228), (190, 200, 205), (40, 40, 45)], outer=[(40, 40, 175), (150, 100, 40),
                                                                                 (60, 120, 60), (40, 110, 220),
                                                                                 (210, 215, 220)]),
    'carbon': dict(inner=[(45, 55, 65), (55, 70, 85)], outer=[(40, 45, 50)]),
    'copper': dict(inner=[(160, 165, 170)], outer=[(70, 120, 190), (60, 100, 170)]),
    'alu': dict(inner=[(175, 178, 180), (160, 165, 168)], outer=[(180, 182, 185)]),
}


def make_pan(rng):
    kind = pick(rng, ['skillet', 'saute', 'saucepan', 'pot', 'wok', 'dutch'], [4, 2, 1.5, 1.5, 1.5, 1])
    if kind == 'skillet':
        R, h, Rb, p = U(rng, 10, 15), U(rng, 3.5, 6), 0, U(rng, 1.0, 1.8)
        Rb = R - U(rng, 1.5, 3.5)
        style = pick(rng, ['nonstick', 'stainless', 'castiron', 'carbon', 'copper', 'alu'], [4, 2, 2, 1, 0.5, 1])
    elif kind == 'saute':
        R, h, p = U(rng, 12, 16), U(rng, 5.5, 8), 1.0
        Rb = R - U(rng, 0.4, 1.2)
        style = pick(rng, ['nonstick', 'stainless', 'copper', 'alu'])
    elif kind == 'saucepan':
        R, h, p = U(rng, 8, 10.5), U(rng, 8, 12), 1.0
        Rb = R - U(rng, 0.2, 0.8)
        style = pick(rng, ['stainless', 'nonstick', 'enamel', 'copper', 'alu'])
    elif kind == 'pot':
        R, h, p = U(rng, 11, 15), U(rng, 10, 17), 1.0
        Rb = R - U(rng, 0.2, 0.8)
        style = pick(rng, ['stainless', 'enamel', 'alu', 'nonstick'])
    elif kind == 'wok':
        R, h, p = U(rng, 15, 18), U(rng, 7, 10), 2.0
        Rb = U(rng, 0, 4)
        style = pick(rng, ['carbon', 'nonstick', 'stainless', 'castiron'], [3, 2, 1, 1])
    else:
        R, h, p = U(rng, 11, 14), U(rng, 8, 11), 1.3
        Rb = R - U(rng, 1.0, 2.0)
        style = pick(rng, ['enamel', 'castiron'], [3, 1])
    st = PAN_STYLES[style]
    inner = jit(rng, pick(rng, st['inner']), 6)
    outer = jit(rng, pick(rng, st['outer']), 8)
    pan = dict(kind=kind, R=R, h=h, Rb=max(Rb, 0.0), p=p, t=U(rng, 0.25, 0.6), style=style, inner=inner,
               outer=outer, rim=mix(outer, (235, 235, 235), U(rng, 0.1, 0.5)) if style != 'enamel' or rng.random() < 0.5
               else mul(outer, 0.6))
    # handles
    ph = math.radians(pick(rng, [U(rng, -160, -20), U(rng, -180, 180)], [3, 1]))
    hmat = pick(rng, ['same', 'black', 'wood'], [2, 2, 1])
    hcol = {'same': mix(outer, (200, 200, 200), 0.3), 'black': jit(rng, (35, 35, 38), 5),
            'wood': jit(rng, pick(rng, WOODS), 10)}[hmat]
    handles = []
    if kind in ('skillet', 'saute', 'saucepan', 'wok'):
        handles.append(('long', ph, U(rng, 16, 24) if kind != 'saucepan' else U(rng, 15, 19), hcol))
        if kind in ('saute', 'wok') and rng.random() < 0.6:
            handles.append(('loop', ph + math.pi, 0, hcol if kind == 'wok' else mix(outer, (200, 200, 200), 0.3)))
    else:
        handles.append(('loop', ph, 0, hcol))
        handles.append(('loop', ph + math.pi, 0, hcol))
    pan['handles'] = handles
    return pan


def r_of_z(pan, z):
    z = np.minimum(np.maximum(z, 0), pan['h'])
    return pan['Rb'] + (pan['R'] - pan['Rb']) * (z / pan['h']) ** (1.0 / pan['p'])


def z_of_r(pan, r):
    r = np.asarray(r, np.float64)
    q = np.minimum(np.maximum((r - pan['Rb']) / max(pan['R'] - pan['Rb'], 1e-6), 0), 1)
    return pan['h'] * q ** pan['p']


def handle_parts(S, hd):
    pan = S.pan
    typ, ph, L, col = hd
    R, t, h = pan['R'], pan['t'], pan['h']
    c, s = math.cos(ph), math.sin(ph)
    out = np.array([c, s, 0.0])
    if typ == 'long':
        rise = math.radians(U(S.rng, 6, 22))
        dirv = math.cos(rise) * out + math.sin(rise) * ZUP
        base = np.array([(R + t) * c, (R + t) * s, h - 1.2])
        n = 24
        ss = np.linspace(0, L, n)
        P = base[None] + ss[:, None] * dirv[None]
        w = np.interp(ss, [0, 2, L * 0.3, L], [2.4, 1.7, 2.0, 3.0]) * U(S.rng, 0.85, 1.15)
        return [('rib', P, w, col, mix(col, (255, 255, 255), 0.35))], P[-2]
    # loop handle: U shape out of the wall
    dl = U(S.rng, 0.25, 0.4)
    pts = []
    for a in np.linspace(-1, 1, 13):
        ang = ph + a * dl
        rr = R + t + 3.2 * math.sqrt(max(0.0, 1 - a * a)) + 0.3
        pts.append([rr * math.cos(ang), rr * math.sin(ang), h - 1.5 + 0.4 * (1 - a * a)])
    P = np.array(pts)
    return [('rib', P, np.full(len(P), 1.1), col, mix(col, (255, 255, 255), 0.35))], None


def draw_pan(S, cv, stage):
    """stage 'body': far handles, body, rim, interior.  stage 'near': near handles."""
    pan, cam = S.pan, S.cam
    R, t, h = pan['R'], pan['t'], pan['h']
    cz = cam.cam(np.array([0, 0, h]))[2]
    if stage == 'near':
        for hd, far in S.handle_order:
            if not far:
                draw_parts(S, cv, hd, PAN)
        return
    S.handle_order = []
    for hd in pan['handles']:
        parts, grip = handle_parts(S, hd)
        mid = parts[0][1][len(parts[0][1]) // 2]
        far = cam.cam(mid)[2] > cz
        S.handle_order.append((parts, far))
        if hd[0] == 'long':
            S.pan_grip = (grip, unit(parts[0][1][-1] - parts[0][1][0]))
        if far:
            draw_parts(S, cv, parts, PAN)
    outer, inner, rim = pan['outer'], pan['inner'], pan['rim']
    zs = np.linspace(0, h, 7)
    circles = [circ3(0, 0, z, float(r_of_z(pan, z)) + t) for z in zs]
    pts = np.concatenate([cam.pts(c) for c in circles]).astype(np.float32)
    hull = cv2.convexHull(pts).reshape(-1, 2)
    items = [(hull, mul(outer, 0.5))]
    for i, c in enumerate(circles):
        q = i / (len(circles) - 1)
        items.append((cam.poly(c), mul(outer, 0.55 + 0.5 * q)))
    items.append((cam.poly(circ3(0, 0, h, R + t)), rim))
    cv.stack(items, PAN, tex=0.04)
    rO = rast(cv.W, cv.H, [cam.poly(circ3(0, 0, h, R, 96))])
    S.O = r_full(rO, cv.W, cv.H)
    S.rO = rO
    nz = 10
    wall_top = mul(inner, U(S.rng, 1.0, 1.25))
    items = []
    for i, z in enumerate(np.linspace(h, 0, nz)):
        q = i / (nz - 1)
        col = mix(wall_top, mul(inner, 0.8), q) if i < nz - 1 else inner
        rr = max(float(r_of_z(pan, z)), 0.6)
        items.append((cam.poly(circ3(0, 0, z, rr)), col))
    cv.stack(items, PAN, clip=S.O, tex=0.05)
    rB = rast(cv.W, cv.H, [cam.poly(circ3(0, 0, 0.01, max(pan['Rb'], 1.0)))], clip=S.O)
    if pan['style'] in ('stainless', 'alu', 'copper') and rB is not None:
        for q in np.linspace(0.15, 0.95, 7):
            c = cam.pts(circ3(0, 0, 0.01, pan['Rb'] * q, 48))
            cv.shape(lines=[(np.vstack([c, c[:1]]), 1)], color=mul(inner, U(S.rng, 0.85, 1.15)), lab=None,
                     within=rB)
    if pan['style'] in ('castiron', 'carbon', 'nonstick') and rB is not None:
        m, x0, y0 = rB
        reg = cv.img[y0:y0 + m.shape[0], x0:x0 + m.shape[1]]
        n = S.rng.standard_normal(m.shape).astype(np.float32) * (6 if pan['style'] != 'nonstick' else 3)
        reg[m] += n[m][:, None]
    # specular sheen on the pan interior
    if rO is not None and S.rng.random() < 0.8:
        c = cam.pts(np.array([U(S.rng, -0.6, 0.6) * R, U(S.rng, 0, 0.7) * R, h * 0.4]))
        k = cam.k(np.array([0, 0, h]))
        soft_spot(cv.img, c, U(S.rng, 2, 6) * k, U(S.rng, 1, 3) * k, (245, 245, 245), U(S.rng, 0.15, 0.6), S.O,
                  U(S.rng, 0, 3))


# ------------------------------------------------------------------------------------ 3-D part drawing
def zones(S, P):
    """0 hidden (below food / pan surface), 1 inside the pan (visible through the opening only), 2 free."""
    pan = S.pan
    r = np.hypot(P[:, 0], P[:, 1])
    inside = r < pan['R'] + pan['t']
    zsurf = np.maximum(S.zf, z_of_r(pan, r))
    z = P[:, 2]
    return np.where(~inside | (z >= pan['h']), 2, np.where(z >= zsurf, 1, 0))


def ribbon2d(p, w):
    d = np.gradient(p, axis=0)
    d = d / np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-9)
    nv = np.stack([-d[:, 1], d[:, 0]], 1)
    o = nv * (w[:, None] / 2)
    return np.concatenate([p + o, (p - o)[::-1]]), nv


def resample(P, w, step=0.3):
    seg = np.linalg.norm(np.diff(P, axis=0), axis=1)
    L = np.concatenate([[0.0], np.cumsum(seg)])
    n = min(400, max(2, int(L[-1] / step) + 1))
    if n <= len(P) or L[-1] <= 0:
        return P, w
    s = np.linspace(0, L[-1], n)
    return np.stack([np.interp(s, L, P[:, j]) for j in range(3)], 1), np.interp(s, L, w)


def rib3d(S, b, P, wcm, color, lab=1, hl=None, tex=0.06, caps=True, hide=True, minpx=2.0, grain=None, maxpx=None):
    """A round bar / wire along a 3-D centre line, split where it dives below the food (hidden) or is inside the pan."""
    cam = S.cam
    P, wcm = resample(np.asarray(P, np.float64), np.asarray(wcm, np.float64))
    if hide:
        zn = zones(S, P)
    else:
        r = np.hypot(P[:, 0], P[:, 1])
        zn = np.where((r < S.pan['R']) & (P[:, 2] < S.pan['h']), 1, 2)
    out = []
    n = len(P)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and zn[j + 1] == zn[i]:
            j += 1
        z0 = zn[i]
        if z0 == 0:
            i = j + 1
            continue
        a = i - 1 if i > 0 and zn[i - 1] != 0 else i
        e = j + 1 if j + 1 < n and zn[j + 1] != 0 else j
        i = j + 1
        if e <= a:
            continue
        seg, ws = P[a:e + 1], wcm[a:e + 1]
        Pc = cam.cam(seg)
        keep = Pc[:, 2] > NEAR
        if keep.sum() < 2:
            continue
        Pc, ws = Pc[keep], ws[keep]
        p = cam.pj(Pc)
        wpx = np.maximum(ws * cam.f / Pc[:, 2], minpx)
        if maxpx:
            wpx = np.minimum(wpx, maxpx)
        poly, nv = ribbon2d(p, wpx)
        circ = []
        if caps and a == 0:
            circ.append((p[0, 0], p[0, 1], wpx[0] / 2))
        if caps and e == n - 1:
            circ.append((p[-1, 0], p[-1, 1], wpx[-1] / 2))
        clip = S.O if z0 == 1 else None
        r = b.shape([poly], circles=circ, color=color, lab=lab, clip=clip, tex=tex)
        if r is not None:
            if hl is not None:
                hp, _ = ribbon2d(p + nv * (S.lside * 0.22 * wpx)[:, None], wpx * 0.28)
                b.shape([hp], color=hl, lab=None, within=r)
            if grain is not None:
                for _ in range(3):
                    off = S.rng.uniform(-0.35, 0.35)
                    b.shape(lines=[(p + nv * (off * wpx)[:, None], 1)], color=grain, lab=None, within=r)
            out.append(r)
    return r_or(out)


def poly3d(S, b, P, color, lab=1, tex=0.05, hide=True, within=None):
    cam, pan = S.cam, S.pan
    P = np.asarray(P, np.float64)
    if hide:
        c = P.mean(0)
        if np.hypot(c[0], c[1]) < pan['R']:
            zs = max(S.zf, float(z_of_r(pan, np.hypot(c[0], c[1]))) if pan['p'] > 1.5 else S.zf)
            P = clip_ge(P, 2, zs)
            if len(P) < 3:
                return None
    lo, hi = clip_le(P, 2, pan['h']), clip_ge(P, 2, pan['h'])
    rs = []
    for Q, clip in ((lo, S.O), (hi, None)):
        if len(Q) >= 3:
            q = cam.poly(Q)
            if q is not None:
                r = rast(cam.W, cam.H, [q], clip=clip)
                if within is not None:
                    r = r_and(r, within)
                rs.append(b.paint(r, color, lab, tex))
    return r_or(rs)


def draw_parts(S, surf, parts, cls_lab):
    """Draw tool/handle parts.  On a Canvas lab is the class; in a Batch lab 1 means 'covered'."""
    lab = cls_lab
    last = None
    for part in parts:
        typ = part[0]
        if typ == 'rib':
            _, P, w, col, hl = part[:5]
            grain = part[5] if len(part) > 5 else None
            last = rib3d(S, surf, P, w, col, lab, hl=hl, grain=grain)
        elif typ == 'wire':
            _, P, w, col = part
            last = rib3d(S, surf, P, np.full(len(P), w), col, lab, caps=False, tex=0.02, minpx=2.0)
        elif typ == 'poly':
            _, P, col = part[:3]
            last = poly3d(S, surf, P, col, lab)
        elif typ == 'hole':
            poly3d(S, surf, part[1], (0, 0, 0), 0, hide=False)
        elif typ == 'deco':            # image-only detail within the previous part
            _, P, col = part
            if last is not None:
                poly3d(S, surf, P, col, None, tex=0.0, within=last)
        elif typ == 'decoline':
            _, P, col = part
            if last is not None:
                q = S.cam.pts(P)
                surf.shape(lines=[(q, 1)], color=col, lab=None, within=last)
    return last


# ---------------------------------------------------------------------------------------------- food
C_GREEN = [(50, 140, 60), (40, 110, 40), (70, 170, 90), (60, 150, 110)]
C_RED = [(40, 40, 200), (30, 30, 170), (50, 60, 215)]
C_YEL = [(40, 190, 230), (60, 210, 240)]
C_ORANGE = [(30, 120, 235), (40, 140, 240)]
C_BROWN = [(40, 65, 105), (30, 50, 85), (55, 90, 140), (70, 110, 160)]
C_POTATO = [(150, 200, 225), (120, 185, 220), (90, 160, 215)]
C_ONION = [(200, 215, 225), (170, 200, 220), (140, 190, 220)]
C_CHICKEN = [(170, 205, 230), (120, 170, 215), (100, 150, 200)]

DISHES = [
    # name, kind, base colours, pieces [(shape, colours, (size range cm), weight)]
    ('tomato sauce', 'liquid', [(40, 50, 185), (30, 40, 150), (45, 70, 200)],
     [('fleck', C_GREEN, (0.2, 0.6), 1), ('dice', [(60, 90, 210)], (0.5, 1.0), 1)]),
    ('curry', 'chunky', [(30, 140, 215), (30, 110, 200), (40, 160, 225), (60, 150, 110)],
     [('dice', C_POTATO + C_CHICKEN, (1.2, 2.6), 3), ('dice', C_ORANGE, (0.8, 1.5), 1), ('round', C_GREEN, (0.3, 0.6), 1)]),
    ('stew', 'chunky', [(40, 70, 115), (35, 55, 95), (40, 50, 130)],
     [('dice', C_POTATO, (1.5, 3.0), 2), ('round', C_ORANGE, (1.0, 1.8), 1), ('blob', C_BROWN, (1.2, 2.5), 2)]),
    ('soup', 'liquid', [(110, 170, 210), (120, 190, 225), (70, 150, 200), (80, 120, 160)],
     [('dice', C_ORANGE + C_POTATO, (0.6, 1.2), 2), ('fleck', C_GREEN, (0.3, 0.7), 1), ('strip', C_ONION, (0.4, 0.8), 1)]),
    ('cream sauce', 'liquid', [(190, 215, 230), (170, 200, 225), (150, 200, 230)],
     [('fleck', C_GREEN, (0.15, 0.4), 1), ('slice', [(160, 185, 200)], (1.0, 2.0), 1)]),
    ('green soup', 'liquid', [(70, 150, 110), (60, 170, 140)], [('fleck', [(230, 235, 240)], (0.3, 0.6), 1)]),
    ('borscht', 'liquid', [(60, 30, 140), (70, 40, 120)], [('dice', C_ORANGE + C_POTATO, (0.5, 1.0), 1)]),
    ('chili', 'chunky', [(30, 45, 120), (35, 55, 140)],
     [('bean', [(40, 40, 110), (50, 60, 140)], (0.6, 0.9), 3), ('dice', C_RED + C_GREEN, (0.6, 1.2), 1)]),
    ('ratatouille', 'chunky', [(40, 60, 170)],
     [('dice', C_RED + C_YEL + C_GREEN + [(90, 40, 60)], (1.2, 2.5), 1)]),
    ('meatballs', 'chunky', [(35, 45, 160), (40, 70, 120)], [('round', C_BROWN, (1.8, 2.6), 1)]),
    ('fried rice', 'grains', [(80, 160, 210), (90, 150, 190)],
     [('grain', [(140, 205, 235), (120, 190, 225)], (0.5, 0.8), 12), ('round', C_GREEN, (0.4, 0.6), 1),
      ('dice', C_ORANGE + C_YEL, (0.4, 0.7), 1)]),
    ('rice', 'grains', [(195, 210, 220)], [('grain', [(232, 238, 242), (215, 225, 232)], (0.5, 0.8), 1)]),
    ('risotto', 'grains', [(150, 195, 220)], [('grain', [(190, 220, 235)], (0.5, 0.7), 8), ('slice', [(90, 120, 150)], (1, 2), 1)]),
    ('mince', 'grains', [(45, 65, 100), (60, 80, 120)], [('grain', C_BROWN, (0.3, 0.6), 1)]),
    ('lentils', 'grains', [(40, 100, 180), (60, 120, 150)], [('lentil', [(50, 120, 200), (60, 110, 160)], (0.4, 0.6), 1)]),
    ('noodles', 'noodles', [(40, 70, 120), (30, 40, 160), None, None, (170, 200, 225)],
     [('strand', [(80, 190, 230), (210, 222, 230), (70, 100, 130), (90, 180, 220), (150, 175, 190)], (0.25, 0.6), 1)]),
    ('stir fry', 'pieces', [None],
     [('floret', C_GREEN, (1.2, 2.2), 2), ('strip', C_RED + C_YEL + C_GREEN, (0.8, 1.4), 3), ('round', C_ORANGE, (0.9, 1.5), 1),
      ('arc', C_ONION, (1.5, 2.5), 1), ('dice', C_CHICKEN, (1.2, 2.0), 2)]),
    ('sausages', 'pieces', [None], [('sausage', [(40, 70, 130), (50, 90, 160), (60, 80, 150)], (1.8, 2.6), 1)]),
    ('mushrooms', 'pieces', [None], [('slice', [(110, 140, 170), (80, 110, 140), (150, 175, 190)], (1.5, 2.5), 1)]),
    ('potatoes', 'pieces', [None], [('dice', [(60, 160, 220), (80, 180, 230), (40, 120, 190)], (1.5, 2.5), 1)]),
    ('shrimp', 'pieces', [None], [('shrimp', [(90, 130, 235), (110, 150, 240)], (1.5, 2.2), 1), ('fleck', C_GREEN, (0.3, 0.6), 1)]),
    ('greens', 'pieces', [None], [('leaf', C_GREEN, (2.0, 4.0), 1)]),
    ('fried eggs', 'eggs', [None], []),
    ('scrambled eggs', 'pieces', [None], [('blob', [(80, 210, 240), (100, 220, 245), (60, 190, 230)], (1.0, 2.2), 1)]),
    ('pancakes', 'pieces', [None], [('disc', [(70, 150, 210), (90, 170, 225), (60, 130, 190)], (4.0, 6.0), 1)]),
    ('bacon', 'pieces', [None], [('bacon', [(80, 90, 190), (60, 70, 160)], (1.5, 2.2), 1)]),
    ('omelette', 'omelette', [None], []),
]


def piece2d(rng, shape, size):
    """Local 2-D outlines (cm) for one piece: list of (outline, colour_factor)."""
    if shape == 'dice':
        p = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * size / 2 * [U(rng, 0.7, 1.3), 1]
        p = chaikin(p + rng.normal(0, size * 0.08, p.shape), 2)
        top = p * 0.78 + np.array([-0.1, -0.1]) * size
        return [(p, 0.75), (top, 1.0)]
    if shape in ('round', 'lentil', 'pea'):
        p = blob2(rng, size / 2, 18, 0.05)
        return [(p, 0.85), (p * 0.55 + np.array([-0.12, -0.12]) * size, 1.12)]
    if shape == 'bean':
        p = blob2(rng, size / 2, 14, 0.05, ax=1.7)
        return [(p, 0.9), (p * 0.5 + np.array([-0.1, -0.1]) * size, 1.15)]
    if shape == 'blob':
        p = chaikin(blob2(rng, size / 2, 10, 0.3), 2)
        return [(p, 1.0), (p * 0.55 + rng.normal(0, size * 0.08, 2), 1.1)]
    if shape == 'fleck':
        return [(blob2(rng, size / 2, 7, 0.4, ax=U(rng, 1, 2.5)), 1.0)]
    if shape == 'strip':
        L = size * U(rng, 2.5, 4.5)
        t = np.linspace(-0.5, 0.5, 10)
        bend = U(rng, -0.4, 0.4)
        c = np.stack([t * L, bend * L * (t ** 2 - 0.25)], 1)
        w = size * 0.45
        o = np.array([0, w / 2])
        return [(np.vstack([c + o, (c - o)[::-1]]), 1.0), (np.vstack([c + o * 0.2, (c + o * 0.8)[::-1]]), 1.15)]
    if shape == 'arc':
        a0 = U(rng, 0, 6.28)
        t = np.linspace(a0, a0 + U(rng, 1.5, 3.5), 14)
        w = size * 0.14
        outer = np.stack([np.cos(t), np.sin(t)], 1) * (size / 2 + w)
        inner = np.stack([np.cos(t), np.sin(t)], 1) * (size / 2)
        return [(np.vstack([outer, inner[::-1]]), 1.0)]
    if shape == 'floret':
        outs = [(np.vstack([[-size * 0.12, 0], [size * 0.12, 0], [size * 0.1, size * 0.7], [-size * 0.1, size * 0.7]]),
                 1.5)]
        for _ in range(int(rng.integers(5, 9))):
            c = rng.normal(0, size * 0.22, 2) - np.array([0, size * 0.1])
            outs.append((blob2(rng, size * U(rng, 0.18, 0.3), 9, 0.15) + c, U(rng, 0.8, 1.1)))
        return outs
    if shape == 'sausage':
        L = size * U(rng, 2.5, 4.0)
        t = np.linspace(0, np.pi, 8)
        r = size * 0.45
        right = np.stack([L / 2 + r * np.sin(t), r * np.cos(t)], 1)
        left = np.stack([-L / 2 - r * np.sin(t), -r * np.cos(t)], 1)
        body = np.vstack([right, left])
        return [(body, 0.85), (np.array([[-L / 2, -r * 0.55], [L / 2, -r * 0.55], [L / 2, -r * 0.15], [-L / 2, -r * 0.15]]), 1.25)]
    if shape == 'shrimp':
        t = np.linspace(0.3, 4.0, 12)
        rr = size * 0.6
        w = np.linspace(size * 0.5, size * 0.15, 12)
        c = np.stack([np.cos(t), np.sin(t)], 1)
        return [(np.vstack([c * (rr + w[:, None] / 2), (c * (rr - w[:, None] / 2))[::-1]]), 1.0),
                (np.vstack([c * (rr + w[:, None] * 0.3), (c * (rr + w[:, None] * 0.1))[::-1]]), 1.2)]
    if shape == 'leaf':
        L = size * U(rng, 1.2, 1.8)
        t = np.linspace(0, 1, 12)
        w = size * U(rng, 0.35, 0.6) * np.sin(np.pi * t) ** 0.8
        up = np.stack([t * L - L / 2, w + rng.normal(0, size * 0.04, 12)], 1)
        dn = np.stack([t * L - L / 2, -w + rng.normal(0, size * 0.04, 12)], 1)
        return [(np.vstack([up, dn[::-1]]), 1.0), (np.array([[-L / 2, -0.04 * size], [L / 2, -0.02 * size],
                                                           [L / 2, 0.02 * size], [-L / 2, 0.04 * size]]), 1.35)]
    if shape == 'slice':
        t = np.linspace(0, np.pi, 12)
        cap = np.stack([np.cos(t) * size / 2, -np.sin(t) * size * 0.4], 1)
        stem = np.array([[size * 0.15, 0], [size * 0.12, size * 0.45], [-size * 0.12, size * 0.45], [-size * 0.15, 0]])
        return [(np.vstack([cap, stem]), 1.0), (np.vstack([cap * 0.75, stem * 0.8]), 1.15)]
    if shape == 'disc':
        p = blob2(rng, size, 24, 0.04)
        return [(p, 0.85), (p * 0.88, 1.0), (blob2(rng, size * 0.3, 10, 0.4) + rng.normal(0, size * 0.3, 2), 0.75)]
    if shape == 'bacon':
        L = size * U(rng, 4, 6)
        t = np.linspace(-0.5, 0.5, 16)
        c = np.stack([t * L, size * 0.2 * np.sin(t * U(rng, 8, 14))], 1)
        o = np.array([0, size * 0.5])
        return [(np.vstack([c + o, (c - o)[::-1]]), 1.0), (np.vstack([c + o * 0.1, (c - o * 0.25)[::-1]]), 1.6)]
    if shape == 'grain':
        return [(blob2(rng, size / 2, 8, 0.05, ax=2.2), 1.0)]
    return [(blob2(rng, size / 2, 10, 0.25), 1.0)]


def piece_world(rng, shape, size, P, tilt=0.0):
    """Outlines placed on the horizontal plane at world point P -> list of (3-D polygon, colour factor)."""
    ang = U(rng, 0, 2 * np.pi)
    out = []
    for p2, cf in piece2d(rng, shape, size):
        q = rot2(p2, ang)
        P3 = np.stack([P[0] + q[:, 0], P[1] + q[:, 1], P[2] + tilt * q[:, 0] + np.zeros(len(q))], 1)
        out.append((P3, cf))
    return out


PIECE_AREA = {'dice': 1.0, 'round': 0.8, 'lentil': 0.8, 'bean': 0.9, 'blob': 0.8, 'fleck': 0.3, 'strip': 1.6,
              'arc': 0.7, 'floret': 1.0, 'sausage': 3.5, 'shrimp': 1.5, 'leaf': 1.2, 'slice': 0.7, 'disc': 3.1,
              'bacon': 5.0, 'grain': 0.3}


class Food:
    def __init__(self, S):
        rng, pan = S.rng, S.pan
        self.S = S
        name, kind, bases, pieces = pick(rng, DISHES)
        self.name, self.kind = name, kind
        base = pick(rng, bases)
        self.base = jit(rng, base, 8) if base is not None else None
        self.pieces = pieces
        h = pan['h']
        if self.base is not None:
            if kind == 'liquid':
                self.level = h * U(rng, 0.2, 0.75)
            elif kind == 'noodles':
                self.level = h * U(rng, 0.08, 0.35)
            else:
                self.level = h * U(rng, 0.15, 0.6)
        else:
            self.level = 0.0
        S.zf = self.level if self.base is not None else -1.0
        self.rf = float(r_of_z(pan, self.level)) - 0.05
        self.oil = self.base is None and rng.random() < 0.3
        self.density = U(rng, 0.25, 1.1)
        self.sheen = rng.random() < 0.7

    # -- one labelled (or image-only) piece
    def piece(self, b, P, shape=None, cols=None, size=None, lab=1, clip=None, within=None, tilt=0.0):
        rng, S = self.S.rng, self.S
        if shape is None:
            if not self.pieces:
                shape, cols, sr = 'blob', [(235, 240, 245)], (1, 2)
            else:
                w = np.array([pp[3] for pp in self.pieces], np.float64)
                shape, cols, sr, _ = self.pieces[int(rng.choice(len(w), p=w / w.sum()))]
            size = size or U(rng, *sr)
        col = jit(rng, pick(rng, cols), 8)
        for i, (P3, cf) in enumerate(piece_world(rng, shape, size, P, tilt)):
            q = S.cam.poly(P3)
            if q is None:
                continue
            b.fill(q, mul(col, cf), lab if (i == 0 or shape == 'floret') else None)

    def random_point(self, rmax_frac=0.92, z=None):
        rng, pan = self.S.rng, self.S.pan
        rmax = (self.rf if self.base is not None else pan['R'] * 0.9) * rmax_frac
        r = rmax * math.sqrt(rng.random())
        a = U(rng, 0, 2 * np.pi)
        x, y = r * math.cos(a), r * math.sin(a)
        zz = z if z is not None else (self.level if self.base is not None else float(z_of_r(pan, r)) + 0.3)
        return np.array([x, y, zz])

    # -- the food in the pan, before tools
    def draw(self, cv):
        S, rng, cam, pan = self.S, self.S.rng, self.S.cam, self.S.pan
        b = cv.batch()
        W, H = cv.W, cv.H
        k = float(cam.k(np.array([0, 0, self.level])))
        if self.oil:
            rb = max(pan['Rb'], 3) * U(rng, 0.5, 0.95)
            c = rng.normal(0, 1.0, 2)
            P = np.concatenate([blob2(rng, rb, 20, 0.12) + c, np.full((20, 1), 0.05)], 1)
            oil_col = mix(pan['inner'], (40, 170, 215), U(rng, 0.35, 0.6))
            r = b.shape([cam.poly(P)], color=oil_col, lab=1, clip=S.O, tex=0.03)
            if r is not None:
                for _ in range(int(rng.integers(2, 6))):
                    q = cam.pts(np.array([*(c + rng.normal(0, rb * 0.4, 2)), 0.05]))
                    soft_spot(b.img, q, U(rng, 0.8, 2.5) * k, U(rng, 0.4, 1.2) * k, (230, 240, 250),
                              U(rng, 0.3, 0.7), None)
        rF = None
        if self.base is not None:
            Fp = cam.poly(circ3(0, 0, self.level, self.rf, 96))
            rF = b.shape([Fp], color=self.base, lab=1, clip=S.O, tex=0.07)
            if rF is not None:
                m, x0, y0 = rF
                cc = cam.pts(np.array([0, 0, self.level]))
                yy, xx = np.mgrid[y0:y0 + m.shape[0], x0:x0 + m.shape[1]].astype(np.float32)
                rr = np.hypot((xx - cc[0]) / (self.rf * k + 1), (yy - cc[1]) / (self.rf * k * 0.8 + 1))
                g = 1.0 - 0.22 * np.clip(rr, 0, 1.3) ** 2
                reg = b.img[y0:y0 + m.shape[0], x0:x0 + m.shape[1]]
                reg[m] *= g[m][:, None]
                self.decorate(b, rF, k)
        elif self.kind == 'eggs':
            for _ in range(int(rng.integers(1, 4))):
                P = self.random_point(0.6)
                self.egg(b, P)
        elif self.kind == 'omelette':
            P = self.random_point(0.2)
            rr = max(pan['Rb'], 6) * U(rng, 0.7, 0.95)
            col = jit(rng, (70, 190, 235), 10)
            o = blob2(rng, rr, 40, 0.03)
            if rng.random() < 0.4:        # folded in half
                o = np.vstack([o[o[:, 1] >= 0], [[-rr, 0]]])
            o3 = np.concatenate([o + P[:2], np.full((len(o), 1), 0.6)], 1)
            r = b.shape([cam.poly(o3)], color=col, lab=1, clip=S.O, tex=0.08)
            for _ in range(int(rng.integers(3, 12))):
                c = P[:2] + rng.normal(0, rr * 0.4, 2)
                q = cam.poly(np.concatenate([blob2(rng, U(rng, 0.5, 2), 10, 0.4) + c, np.full((10, 1), 0.6)], 1))
                b.shape([q], color=mix(col, (40, 90, 150), U(rng, 0.3, 0.7)), lab=None, within=r)
        else:
            area = math.pi * (pan['R'] * 0.9) ** 2
            wsum = sum(pp[3] for pp in self.pieces)
            avg = sum(pp[3] * PIECE_AREA.get(pp[0], 1.0) * np.mean(pp[2]) ** 2 for pp in self.pieces) / wsum
            n = int(np.clip(area * self.density / avg, 2, 160))
            if self.kind == 'noodles':
                n = 0
            for _ in range(n):
                self.piece(b, self.random_point(), clip=S.O)
        if self.kind == 'noodles':
            self.noodles(b, int(rng.integers(25, 70)) if self.base is None else int(rng.integers(40, 90)), S.O)
        commit(b, FOOD, S.O, tex=0.05)

    def decorate(self, b, rF, k):
        S, rng, cam = self.S, self.S.rng, self.S.cam
        area = math.pi * self.rf ** 2
        if self.kind == 'liquid':
            for _ in range(int(rng.integers(0, 30))):
                self.piece(b, self.random_point(), lab=None, within=rF)
            for _ in range(int(rng.integers(0, 25))):
                q = cam.pts(self.random_point())
                rad = U(rng, 0.15, 0.6) * k
                c = mix(self.base, (220, 230, 240) if rng.random() < 0.5 else (20, 120, 200), 0.35)
                b.shape(lines=[(circ3(q[0], q[1], 0, rad, 10)[:, :2], 1)], color=c, lab=None, within=rF)
        elif self.kind == 'chunky':
            n = int(area / 4.0 * U(rng, 0.4, 1.0))
            for _ in range(n):
                self.piece(b, self.random_point(), lab=None, within=rF)
        elif self.kind == 'grains':
            shape, cols, sr, _ = self.pieces[0]
            n = int(min(area / (sr[1] * sr[1] * 0.45) * U(rng, 0.5, 1.0), 1600))
            pts = np.stack([self.random_point(0.99) for _ in range(n)]) if n else np.zeros((0, 3))
            if n:
                q = cam.pts(pts)
                kk = cam.k(pts)
                angs = rng.uniform(0, 180, n)
                sz = rng.uniform(*sr, n)
                cidx = rng.integers(len(cols), size=n)
                shade = rng.uniform(0.85, 1.12, n)
                el = 2.2 if shape == 'grain' else 1.1
                for i in range(n):
                    a = max(1, int(sz[i] * kk[i] * 0.5 * ONE))
                    bb = max(1, int(sz[i] * kk[i] * 0.5 / el * ONE))
                    cc = (int(q[i, 0] * ONE), int(q[i, 1] * ONE))
                    col = mul(cols[cidx[i]], shade[i])
                    cv2.ellipse(b.img, (cc[0] + ONE, cc[1] + ONE), (a, bb), angs[i], 0, 360, mul(col, 0.7), -1,
                                cv2.LINE_8, SH)
                    cv2.ellipse(b.img, cc, (a, bb), angs[i], 0, 360, col, -1, cv2.LINE_8, SH)
            for pp in self.pieces[1:]:
                for _ in range(int(area / 25 * U(rng, 0.2, 1.0))):
                    self.piece(b, self.random_point(), shape=pp[0], cols=pp[1], size=U(rng, *pp[2]), lab=None, within=rF)
        # glossy highlights on wet surfaces
        if self.sheen and self.kind in ('liquid', 'chunky', 'noodles'):
            for _ in range(int(rng.integers(1, 5))):
                q = cam.pts(self.random_point(0.8))
                soft_spot(b.img, q, U(rng, 0.6, 3) * k, U(rng, 0.3, 1.0) * k, (240, 245, 250), U(rng, 0.3, 0.8),
                          None, U(rng, 0, 3))

    def noodles(self, b, n, clip, lab=1):
        S, rng, cam, pan = self.S, self.S.rng, self.S.cam, self.S.pan
        _, cols, sr, _ = self.pieces[0]
        col0 = pick(rng, cols)
        w = U(rng, *sr)
        rmax = (self.rf if self.base is not None else pan['R'] * 0.9) * 0.97
        for _ in range(n):
            p = self.random_point(0.9)[:2]
            ang = U(rng, 0, 2 * np.pi)
            curv = rng.normal(0, 0.25)
            pts = []
            for _ in range(int(rng.integers(15, 50))):
                pts.append(p.copy())
                curv = np.clip(curv + rng.normal(0, 0.12), -0.6, 0.6)
                ang += curv
                p = p + 0.6 * np.array([math.cos(ang), math.sin(ang)])
                if np.hypot(*p) > rmax:
                    ang += np.pi * 0.8
                    p = p * (rmax / np.hypot(*p))
            pts = np.array(pts)
            z = self.level + 0.2 if self.base is not None else z_of_r(pan, np.hypot(pts[:, 0], pts[:, 1])) + 0.25
            P3 = np.concatenate([pts, np.broadcast_to(np.asarray(z, np.float64).reshape(-1, 1), (len(pts), 1))], 1)
            q = cam.pts(P3)
            t = max(2.0, w * float(cam.k(P3[len(P3) // 2])))
            col = jit(rng, col0, 6)
            b.line(q, t, mul(col, 0.72), lab)
            b.line(q + np.array([-0.2, -0.2]) * t, max(1, t * 0.5), col, None)

    def egg(self, b, P, within=None, clip=None):
        S, rng, cam = self.S, self.S.rng, self.S.cam
        clip = S.O if clip is None else clip
        rr = U(rng, 3.5, 5.5)
        o = blob2(rng, rr, 22, 0.15)
        w3 = np.concatenate([o + P[:2], np.full((len(o), 1), P[2] + 0.3)], 1)
        q = cam.poly(w3)
        r = b.shape([q], color=jit(rng, (232, 238, 243), 6), lab=1, clip=clip, tex=0.03)
        if r is None:
            return None
        if rng.random() < 0.6:
            b.shape(lines=[(np.vstack([q, q[:1]]), max(2, 0.35 * float(cam.k(P))))], color=(90, 160, 215), lab=None,
                    within=r)
        yc = P[:2] + rng.normal(0, rr * 0.2, 2)
        yo = blob2(rng, U(rng, 1.4, 1.9), 16, 0.03 if rng.random() < 0.8 else 0.3)
        y3 = np.concatenate([yo + yc, np.full((len(yo), 1), P[2] + 0.8)], 1)
        ry = b.shape([cam.poly(y3)], color=jit(rng, (20, 165, 245), 8), lab=1, clip=clip)
        if ry is not None:
            qq = cam.pts(np.array([yc[0] - 0.4, yc[1] + 0.4, P[2] + 0.8]))
            kk = float(cam.k(P))
            soft_spot(b.img, qq, 0.5 * kk, 0.35 * kk, (220, 245, 255), 0.7, None)
        return r

    # -- after a tool was drawn: food covering the tool, food on the tool
    def cover(self, cv, tool):
        S, rng = self.S, self.S.rng
        b = cv.batch()
        for P in tool['entries']:
            if self.kind == 'liquid':
                continue
            for _ in range(int(rng.integers(1, 4))):
                Q = P + np.array([*rng.normal(0, 1.2, 2), 0.2])
                if self.kind == 'grains':
                    self.grain_clump(b, Q)
                elif self.kind == 'noodles':
                    pass
                else:
                    self.piece(b, Q, clip=S.O)
        hc = tool.get('head_c')
        if hc is not None and self.base is None and self.kind not in ('eggs', 'omelette') and rng.random() < 0.6:
            for _ in range(int(rng.integers(1, 4))):
                Q = hc + np.array([*rng.normal(0, 2.5, 2), 0.0])
                Q[2] = float(z_of_r(S.pan, np.hypot(Q[0], Q[1]))) + 0.8
                self.piece(b, Q, clip=S.O)
        if self.kind == 'noodles' and rng.random() < 0.8:
            self.noodles(b, int(rng.integers(3, 10)), S.O)
        commit(b, FOOD, S.O, tex=0.05)
        # food on a lifted / above-surface head
        if hc is not None and tool.get('carry') and rng.random() < 0.75:
            b = cv.batch()
            tb = tool['mask']
            if self.base is not None and self.kind == 'liquid':
                hp = tool.get('head_poly')
                if hp is not None:
                    c = hp.mean(0)
                    inner = c + (hp - c) * 0.78 + np.array([0, 0, 0.3])
                    q = S.cam.poly(inner)
                    r = b.shape([q], color=mul(self.base, 0.95), lab=1, within=tb, tex=0.05)
                    if r is not None:
                        cq = S.cam.pts(c)
                        kk = float(S.cam.k(c))
                        soft_spot(b.img, cq, 1.2 * kk, 0.6 * kk, (240, 245, 250), 0.5, None)
            elif self.kind == 'grains':
                self.grain_clump(b, hc + np.array([0, 0, 0.6]), clip=None, within=None, big=True)
            elif self.kind == 'eggs':
                self.egg(b, hc + np.array([0, 0, 0.3]), clip=np.ones((cv.H, cv.W), np.uint8))
            elif self.kind == 'noodles':
                pass
            else:
                for _ in range(int(rng.integers(1, 4))):
                    self.piece(b, hc + np.array([*rng.normal(0, 1.0, 2), 0.6]))
            commit(b, FOOD)
        # strands / a piece held between tong or chopstick tips
        if tool.get('pinch') is not None:
            b = cv.batch()
            tip = tool['pinch']
            if self.kind == 'noodles' or (self.kind in ('liquid', 'grains') and rng.random() < 0.2):
                if self.pieces and self.kind == 'noodles':
                    col = pick(rng, self.pieces[0][1])
                    w = U(rng, *self.pieces[0][2])
                else:
                    col, w = (200, 215, 225), 0.4
                for _ in range(int(rng.integers(2, 7))):
                    end = tip + np.array([*rng.normal(0, 2.5, 2), 0])
                    end[2] = max(S.zf, float(z_of_r(S.pan, np.hypot(end[0], end[1]))))
                    t = np.linspace(0, 1, 14)[:, None]
                    P = tip * (1 - t) + end * t + np.array([0, 0, 0]) + np.concatenate(
                        [rng.normal(0, 0.4, (14, 2)) * np.sin(np.pi * t), np.zeros((14, 1))], 1)
                    rib3d(S, b, P, np.full(14, w), jit(rng, col, 6), 1, hl=mul(col, 1.15), caps=False, tex=0.03)
            elif self.kind != 'liquid' and self.pieces:
                self.piece(b, tip + np.array([0, 0, 0.2]))
            commit(b, FOOD)

    def grain_clump(self, b, P, clip='O', within=None, big=False):
        S, rng, cam = self.S, self.S.rng, self.S.cam
        clip = S.O if clip == 'O' else clip
        size = U(rng, 1.5, 3.5) if big else U(rng, 0.8, 2.0)
        o = blob2(rng, size, 14, 0.25)
        q = cam.poly(np.concatenate([o + P[:2], np.full((len(o), 1), P[2])], 1))
        r = b.shape([q], color=self.base, lab=1, clip=clip, within=within, tex=0.08)
        if r is None:
            return
        shape, cols, sr, _ = self.pieces[0]
        kk = float(cam.k(P))
        el = 2.2 if shape == 'grain' else 1.1
        for _ in range(int(size * size * 6)):
            c = cam.pts(np.array([*(P[:2] + rng.normal(0, size * 0.5, 2)), P[2]]))
            a = max(1.0, U(rng, *sr) * kk * 0.5)
            e = ell_ab(0, a, a / el, 10)
            b.shape(polys=[rot2(e, U(rng, 0, np.pi)) + c], color=mul(pick(rng, cols), U(rng, 0.85, 1.1)), lab=None,
                    within=r)

    def spill(self, cv, n):
        S, rng, cam, pan = self.S, self.S.rng, self.S.cam, self.S.pan
        if n <= 0:
            return
        b = cv.batch()
        for _ in range(n):
            a = U(rng, 0, 2 * np.pi)
            rr = pan['R'] + pan['t'] + U(rng, 0.5, 9)
            P = np.array([rr * math.cos(a), rr * math.sin(a), 0.1])
            small = [pp for pp in self.pieces if pp[0] not in ('bacon', 'sausage', 'disc', 'strand', 'leaf')]
            if self.base is not None and self.kind in ('liquid', 'chunky') or not small:
                o = blob2(rng, U(rng, 0.3, 1.5), 12, 0.3)
                col = self.base or (200, 220, 230)
                b.shape([cam.poly(np.concatenate([o + P[:2], np.full((len(o), 1), 0.1)], 1))], color=mul(col, 0.9),
                        lab=1, tex=0.05)
            elif self.kind == 'grains':
                self.grain_clump(b, P, clip=None)
            elif self.kind == 'noodles':
                pass
            else:
                pp = pick(rng, small)
                self.piece(b, P, shape=pp[0], cols=pp[1], size=U(rng, *pp[2]) * 0.8)
        commit(b, FOOD)


# --------------------------------------------------------------------------------------------- tools
METAL = (170, 172, 175)
SILICONE = [(40, 40, 200), (180, 110, 40), (150, 150, 30), (30, 120, 235), (60, 160, 60), (120, 120, 120),
            (225, 225, 225), (35, 35, 38), (170, 120, 230), (40, 200, 230), (140, 60, 110), (120, 200, 170)]

TOOL_KINDS = ['wood_spoon', 'wood_spatula', 'metal_spoon', 'ladle', 'turner', 'silicone', 'whisk', 'tongs',
              'chopsticks', 'fork', 'spider', 'wok_chuan', 'rice_paddle', 'slotted_spoon', 'brush', 'plastic_spoon']
TOOL_W = [4, 2.5, 2, 2, 3, 3, 1.5, 2, 2, 1, 1, 1, 1, 1.5, 0.5, 1.5]


def tool_material(rng, kind, food):
    near = food.base if food.base is not None else (pick(rng, food.pieces[0][1]) if food.pieces else (70, 190, 235))
    if kind in ('wood_spoon', 'wood_spatula', 'chopsticks') and rng.random() < 0.85:
        c = jit(rng, pick(rng, WOODS), 12)
        return dict(col=c, hl=mix(c, (255, 255, 255), 0.25), grain=mul(c, 0.75), metal=False)
    if kind in ('metal_spoon', 'ladle', 'spider', 'wok_chuan', 'fork', 'whisk') and rng.random() < 0.8:
        c = jit(rng, METAL, 12)
        return dict(col=c, hl=(250, 250, 250), grain=None, metal=True)
    if rng.random() < 0.18:
        c = jit(rng, near, 14)    # a tool coloured very close to the food
    elif kind == 'rice_paddle' or (kind == 'plastic_spoon' and rng.random() < 0.4):
        c = jit(rng, (225, 228, 230), 6)
    elif kind == 'turner' and rng.random() < 0.6:
        c = jit(rng, (35, 35, 38), 5)
    else:
        c = jit(rng, pick(rng, SILICONE), 10)
    return dict(col=c, hl=mix(c, (255, 255, 255), 0.3), grain=None, metal=False)


def head_frame(theta, beta, phi):
    d = np.array([math.cos(beta) * math.cos(theta), math.cos(beta) * math.sin(theta), math.sin(beta)])
    u = np.array([-math.cos(theta), -math.sin(theta), 0.0])
    v = np.array([-math.sin(theta), math.cos(theta), 0.0])
    up = math.cos(phi) * u - math.sin(phi) * ZUP
    return d, u, v, up


def ab3(J, up, v, ab, dz=0.0):
    ab = np.asarray(ab, np.float64)
    return J[None] + ab[:, 0:1] * up[None] + ab[:, 1:2] * v[None] + np.array([0, 0, dz])


def ell_ab(cx, ax, bx, n=28, taper=0.0):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([cx + ax * np.cos(t), bx * np.sin(t) * (1 + taper * np.cos(t))], 1)


def build_tool(S, food, kind, mat, hand_side):
    """Returns a tool dict with 3-D parts, or None if the pose does not fit the pan."""
    rng, pan = S.rng, S.pan
    R, h = pan['R'], pan['h']
    col, hl, grain = mat['col'], mat['hl'], mat['grain']
    # where the head sits
    lifted = rng.random() < 0.13 and kind not in ('whisk', 'tongs', 'chopsticks')
    rad = (food.rf if food.base is not None else R) * math.sqrt(rng.random()) * 0.62
    a = U(rng, 0, 2 * np.pi)
    hx, hy = rad * math.cos(a), rad * math.sin(a)
    zsurf = float(z_of_r(pan, rad))
    if lifted:
        hz = h + U(rng, 1.5, 9)
    elif food.base is not None:
        hz = food.level + (U(rng, -2.5, 0.8) if food.kind == 'liquid' else U(rng, -1.2, 1.0))
        hz = max(hz, zsurf + 0.6)
    else:
        hz = zsurf + U(rng, 0.4, 1.6)
    Hc = np.array([hx, hy, hz])
    # handle direction: toward the cook (camera side) mostly
    theta = S.cook_dir + rng.normal(0, 0.9) if rng.random() < 0.85 else U(rng, 0, 2 * np.pi)
    beta = math.radians(U(rng, 18, 55))
    if kind == 'ladle':
        beta = math.radians(U(rng, 45, 75))
    if kind in ('whisk',):
        beta = math.radians(U(rng, 40, 70))
    if not lifted:
        # steep enough to clear the rim: distance from the head to the rim along the handle direction
        dx, dy = math.cos(theta), math.sin(theta)
        pb = hx * dx + hy * dy
        sh = -pb + math.sqrt(max(pb * pb - (hx * hx + hy * hy - (R + 1.5) ** 2), 0.0))
        bmin = math.atan2(h + 2.0 - hz, max(sh - 3.0, 0.5))
        if bmin > math.radians(76):
            return None
        beta = max(beta, bmin + math.radians(U(rng, 2, 12)))
    phi = beta * U(rng, 0.1, 0.7) if kind not in ('turner', 'wok_chuan', 'wood_spatula', 'silicone', 'rice_paddle') \
        else math.radians(U(rng, -5, 15))
    d, u, v, up = head_frame(theta, beta, phi)
    t = {'parts': [], 'kind': kind, 'carry': False, 'pinch': None, 'entries': [], 'head_c': None}
    parts = t['parts']
    Lh = U(rng, 22, 32)
    hw = U(rng, 1.3, 2.2)
    # per-kind head geometry (a along up, b along v), J = junction
    if kind in ('wood_spoon', 'metal_spoon', 'plastic_spoon', 'slotted_spoon'):
        L, Wd = U(rng, 5.5, 8), U(rng, 3.8, 5.5)
        if kind == 'metal_spoon':
            hw = U(rng, 1.0, 1.5)
        J = Hc - up * L / 2
        ab = ell_ab(L / 2, L / 2, Wd / 2, 28, 0.18)
        parts.append(('poly', ab3(J, up, v, ab), col))
        parts.append(('deco', ab3(J, up, v, ell_ab(L * 0.52, L * 0.36, Wd * 0.33, 20, 0.15), 0.02), mul(col, 0.85)))
        parts.append(('deco', ab3(J, up, v, ell_ab(L * 0.42, L * 0.12, Wd * 0.08, 12), 0.03), hl))
        if kind == 'slotted_spoon':
            for i in range(int(rng.integers(3, 6))):
                for jj in (-1, 0, 1):
                    parts.append(('hole', ab3(J, up, v, ell_ab(L * (0.3 + 0.12 * i), 0.35, 0.35, 10) + [0, jj * Wd * 0.2])))
        t['head_poly'] = ab3(J, up, v, ab)
        t['carry'] = True
    elif kind in ('ladle',):
        Rl = U(rng, 3.8, 5)
        J = Hc - up * Rl
        ab = ell_ab(Rl, Rl, Rl, 32)
        parts.append(('poly', ab3(J, up, v, ab), col))
        parts.append(('deco', ab3(J, up, v, ell_ab(Rl * 1.05, Rl * 0.82, Rl * 0.82, 28), 0.02), mul(col, 0.7)))
        parts.append(('deco', ab3(J, up, v, ell_ab(Rl * 1.4, Rl * 0.3, Rl * 0.15, 12), 0.03), hl))
        t['head_poly'] = ab3(J, up, v, ab)
        t['carry'] = True
        hw = U(rng, 1.0, 1.6)
    elif kind in ('turner', 'wood_spatula', 'silicone', 'wok_chuan', 'rice_paddle'):
        L = U(rng, 6.5, 9.5)
        Wf = U(rng, 5.5, 8.5)
        if kind == 'turner':
            ab = chaikin(np.array([[0, -1.3], [L * 0.3, -Wf * 0.42], [L, -Wf / 2], [L, Wf / 2], [L * 0.3, Wf * 0.42],
                                   [0, 1.3]]), 1)
        elif kind == 'wood_spatula':
            ab = chaikin(np.array([[0, -1.2], [L * 0.25, -Wf * 0.45], [L, -Wf * 0.45], [L, Wf * 0.45],
                                   [L * 0.25, Wf * 0.45], [0, 1.2]]), 1)
        elif kind == 'silicone':
            Wf = U(rng, 4.5, 6)
            ab = chaikin(np.array([[0, -Wf * 0.4], [L, -Wf / 2], [L, Wf / 2 * 0.8], [L * 0.8, Wf / 2], [0, Wf * 0.4]]), 2)
        elif kind == 'wok_chuan':
            tt = np.linspace(-1, 1, 9)
            front = np.stack([L + 0.8 * np.cos(tt * 1.2), tt * Wf / 2], 1)
            ab = np.vstack([[[0, -1.2], [L * 0.35, -Wf / 2]], front, [[L * 0.35, Wf / 2], [0, 1.2]]])
        else:
            ab = ell_ab(L / 2, L / 2, Wf / 2 * 0.75, 28, 0.1)
        J = Hc - up * L / 2
        parts.append(('poly', ab3(J, up, v, ab), col))
        if kind == 'turner' and rng.random() < 0.8:
            ns = int(rng.integers(3, 6))
            for i in range(ns):
                bpos = (i - (ns - 1) / 2) * Wf * 0.7 / ns
                parts.append(('hole', ab3(J, up, v, chaikin(np.array([[L * 0.3, bpos - 0.22], [L * 0.85, bpos - 0.3],
                                                                       [L * 0.85, bpos + 0.3], [L * 0.3, bpos + 0.22]]),
                                                            1))))
        if mat['metal'] or kind == 'silicone':
            parts.append(('deco', ab3(J, up, v, ab * [0.4, 0.25] + [L * 0.3, S.lside * Wf * 0.12], 0.02), hl))
        if grain is not None:
            for _ in range(3):
                bb = U(rng, -Wf * 0.35, Wf * 0.35)
                parts.append(('decoline', ab3(J, up, v, [[0.5, bb], [L * 0.95, bb + U(rng, -0.3, 0.3)]], 0.02), grain))
        t['head_poly'] = ab3(J, up, v, ab)
        t['carry'] = True
        if kind == 'rice_paddle':
            hw = U(rng, 2.2, 3.0)
            Lh = U(rng, 12, 18)
    elif kind == 'fork':
        Lt, nt = U(rng, 6, 10), int(pick(rng, [2, 2, 3, 4]))
        J = Hc - up * Lt / 2
        sp = U(rng, 0.5, 0.8) if nt > 2 else U(rng, 0.9, 1.4)
        for i in range(nt):
            bpos = (i - (nt - 1) / 2) * sp
            P = ab3(J, up, v, [[0.5, bpos * 0.5], [2, bpos], [Lt, bpos]])
            P = np.array([np.interp(np.linspace(0, 2, 12), [0, 1, 2], P[:, j]) for j in range(3)]).T
            parts.append(('rib', P, np.linspace(0.4, 0.22, 12), col, hl))
        hw = U(rng, 1.0, 1.6)
    elif kind == 'spider':
        Rs = U(rng, 4.5, 6.5)
        J = Hc - up * Rs
        ring = ab3(J, up, v, ell_ab(Rs, Rs, Rs, 40))
        parts.append(('wire', np.vstack([ring, ring[:1]]), 0.3, col))
        for q in (0.35, 0.7):
            rr = ab3(J, up, v, ell_ab(Rs, Rs * q, Rs * q, 30))
            parts.append(('wire', np.vstack([rr, rr[:1]]), 0.12, col))
        for i in range(8):
            aa = i * np.pi / 4
            parts.append(('wire', ab3(J, up, v, [[Rs, 0], [Rs + Rs * math.cos(aa), Rs * math.sin(aa)]]), 0.12, col))
        t['head_c'] = Hc
        hw = U(rng, 1.3, 2.0)
    elif kind == 'brush':
        J = Hc - up * 2.5
        parts.append(('poly', ab3(J, up, v, [[0, -1.4], [1.8, -1.5], [1.8, 1.5], [0, 1.4]]), jit(rng, METAL, 10)))
        bc = jit(rng, pick(rng, [(150, 200, 225), (40, 40, 200), (35, 35, 38)]), 10)
        parts.append(('poly', ab3(J, up, v, [[1.8, -1.5], [5.5, -1.8], [5.5, 1.8], [1.8, 1.5]]), bc))
        for i in range(6):
            bb = -1.4 + i * 0.55
            parts.append(('decoline', ab3(J, up, v, [[2, bb], [5.4, bb * 1.15]], 0.02), mul(bc, 0.75)))
        hw = U(rng, 1.4, 2.0)
    elif kind == 'whisk':
        Lw, Rw = U(rng, 13, 19), U(rng, 2.2, 3.5)
        tip = Hc.copy()
        if food.base is not None:
            tip[2] = max(food.level - U(rng, 0, 3), zsurf + 0.2)
        else:
            tip[2] = zsurf + 0.3
        J = tip + d * Lw
        e1 = unit(np.cross(d, ZUP)) if abs(d[2]) < 0.99 else np.array([1.0, 0, 0])
        e2 = np.cross(d, e1)
        nw = int(rng.integers(4, 7))
        tt = np.linspace(0, 1, 24)
        rad_t = Rw * np.sin(np.pi * np.clip(tt, 0, 1) ** 0.65) * (tt ** 0.3)
        for i in range(nw):
            ps = i * np.pi / nw
            e = math.cos(ps) * e1 + math.sin(ps) * e2
            side1 = J[None] - d[None] * (tt[:, None] * Lw) + e[None] * rad_t[:, None]
            side2 = J[None] - d[None] * (tt[::-1, None] * Lw) - e[None] * rad_t[::-1, None]
            parts.append(('wire', np.vstack([side1, side2]), 0.16, jit(rng, METAL, 8)))
        Lh = U(rng, 10, 14)
        hw = U(rng, 1.8, 2.8)
        t['head_c'] = None
    elif kind == 'tongs':
        Lt, sep = U(rng, 23, 30), U(rng, 1.0, 5.0)
        tip = Hc.copy()
        tip[2] = (max(food.level, zsurf) if food.base is not None else zsurf) + U(rng, 0.3, 3.5)
        hinge = tip + d * Lt
        hw2 = U(rng, 1.2, 1.8)
        tcol = col if not mat['metal'] else jit(rng, METAL, 10)
        tipcol = jit(rng, pick(rng, SILICONE), 10) if rng.random() < 0.5 else tcol
        for sgn in (-1, 1):
            t0 = tip + v * sgn * sep / 2
            ss = np.linspace(0, 1, 20)[:, None]
            P = t0 * (1 - ss) + hinge * ss + v * sgn * (np.sin(np.pi * ss) * 0.8)
            parts.append(('rib', P, np.full(20, hw2), tcol, mix(tcol, (255, 255, 255), 0.45)))
            tp = ab3(t0, -d * 0 + u * math.cos(beta) - ZUP * math.sin(beta), v, ell_ab(0.6, 1.8, 1.3, 16), 0.0)
            parts.append(('poly', tp, tipcol))
        t['pinch'] = tip.copy()
        Lh = 0
        J = hinge
        t['grip'] = tip + d * Lt * 0.72
        t['dir'] = d
    elif kind == 'chopsticks':
        Lc, sep = U(rng, 24, 34), U(rng, 0.3, 1.2)
        tip = Hc.copy()
        tip[2] = (max(food.level, zsurf) if food.base is not None else zsurf) + U(rng, 0.2, 3.0)
        back = tip + d * Lc
        for sgn in (-1, 1):
            t0 = tip + v * sgn * sep / 2 + rng.normal(0, 0.3, 3) * [1, 1, 0]
            t1 = back + v * sgn * U(rng, 0.8, 1.6)
            ss = np.linspace(0, 1, 24)[:, None]
            P = t0 * (1 - ss) + t1 * ss
            parts.append(('rib', P, np.linspace(0.4, 0.85, 24), col, hl, grain))
        t['pinch'] = tip.copy()
        Lh = 0
        J = back
        t['grip'] = tip + d * Lc * 0.65
        t['dir'] = d
    # the handle (straight, slightly flaring; a ladle may end in a hook)
    if Lh > 0:
        n = 28
        ss = np.linspace(0, Lh, n)
        P = J[None] + ss[:, None] * d[None]
        if kind == 'ladle' and rng.random() < 0.6:
            P[-4:] += np.array([0, 0, -1.0])[None] * np.linspace(0.3, 2.0, 4)[:, None] - d[None] * np.linspace(0, 1, 4)[:, None]
        w = np.interp(ss, [0, 2.5, Lh], [hw * 0.65, hw * 0.75, hw * 1.1])
        parts.insert(0, ('rib', P, w, col if not (kind == 'whisk' and rng.random() < 0.5) else jit(rng, pick(rng, SILICONE)),
                         hl, grain))
        t['grip'] = J + d * (Lh - U(rng, 2.5, 6))
        t['dir'] = d
    # check that the handle clears the rim (else the pose is impossible)
    allp = np.concatenate([p[1] for p in parts if p[0] in ('rib', 'wire')] or [np.zeros((0, 3))])
    if len(allp):
        r = np.hypot(allp[:, 0], allp[:, 1])
        near = (r > R - 0.8) & (r < R + pan['t'] + 1.5)
        if (allp[near, 2] < h + 0.8).any():
            return None
    # not too close to the lens (a handle sweeping past the camera is not the scene we want)
    if len(allp):
        zc = S.cam.cam(allp)[:, 2]
        if zc.min() < 0.33 * S.cam_dist:
            return None
    if not lifted:
        # world points where the tool enters the food surface (food covers the tool there)
        for p in parts:
            if p[0] in ('rib', 'wire', 'poly'):
                P = p[1]
                zn = zones(S, P)
                ch = np.nonzero(np.diff((zn == 0).astype(int)))[0]
                for i in ch[:2]:
                    t['entries'].append(P[i].copy())
        if t['head_c'] is None and 'head_poly' in t:
            t['head_c'] = t['head_poly'].mean(0)
        t['carry'] = t['carry'] and (hz > (food.level if food.base is not None else zsurf) + 0.3)
    else:
        t['head_c'] = t['head_poly'].mean(0) if 'head_poly' in t else Hc
    if t['head_c'] is None and 'head_poly' in t:
        t['head_c'] = t['head_poly'].mean(0)
    t['lifted'] = lifted
    return t


def draw_tool(S, cv, tool):
    b = cv.batch()
    draw_parts(S, b, tool['parts'], 1)
    x0, y0, x1, y1 = b.bb
    if x1 <= x0:
        tool['mask'] = None
        return None
    # soft cast shadow (image only)
    W, H = cv.W, cv.H
    dx, dy = int(S.shadow[0] * (1.6 if tool.get('lifted') else 1)), int(S.shadow[1] * (1.6 if tool.get('lifted') else 1))
    pad = 24
    X0, Y0, X1, Y1 = max(x0 + min(dx, 0) - pad, 0), max(y0 + min(dy, 0) - pad, 0), min(x1 + max(dx, 0) + pad, W), \
        min(y1 + max(dy, 0) + pad, H)
    sh = np.zeros((Y1 - Y0, X1 - X0), np.float32)
    src = b.mask[y0:y1, x0:x1].astype(np.float32)
    tx0, ty0 = x0 + dx - X0, y0 + dy - Y0
    sx0, sy0 = max(0, -tx0), max(0, -ty0)
    tx1, ty1 = min(tx0 + (x1 - x0), X1 - X0), min(ty0 + (y1 - y0), Y1 - Y0)
    if tx1 > max(tx0, 0) and ty1 > max(ty0, 0):
        sh[max(ty0, 0):ty1, max(tx0, 0):tx1] = src[sy0:sy0 + ty1 - max(ty0, 0), sx0:sx0 + tx1 - max(tx0, 0)]
        sh = cv2.GaussianBlur(sh, (0, 0), S.shadow_blur)
        cv.img[Y0:Y1, X0:X1] *= (1 - S.shadow_k * sh)[..., None]
    r = commit(b, TOOL)
    tool['mask'] = r
    return r


# --------------------------------------------------------------------------------------------- hands
SKIN = [(160, 190, 230), (140, 170, 215), (120, 150, 200), (100, 130, 180), (80, 110, 160), (60, 85, 130),
        (45, 65, 100), (130, 165, 220)]


def draw_hand(S, cv, G, tdir, side, pinch=False):
    """A fist closed around a handle at world point G (handle direction tdir), forearm leaving sideways.
    Everything here is labelled pan (hands and arms are background)."""
    rng, cam = S.rng, S.cam
    if float(cam.cam(G)[2]) < 0.45 * S.cam_dist:
        return
    k = float(cam.k(G))
    if 9 * k > 0.5 * cv.W:
        return
    b = cv.batch()
    skin = arm_col = jit(rng, pick(rng, SKIN), 8)
    glove = rng.random() < 0.12
    if glove:
        skin = jit(rng, pick(rng, [(35, 35, 38), (200, 120, 40), (220, 220, 220), (40, 40, 180), (60, 160, 220)]), 8)
    th = unit(np.array([tdir[0], tdir[1], 0.0]))
    nw = np.array([-th[1], th[0], 0.0]) * side                  # horizontal, toward the wrist
    g = cam.pts(G)
    tv = cam.pts(G + tdir) - g                                  # px per cm along the handle
    nv = cam.pts(G + nw) - g                                    # px per cm toward the wrist
    if np.linalg.norm(tv) < 0.25 * k:
        tv = unit(tv + 1e-6) * 0.25 * k

    def H2(pts):
        pts = np.asarray(pts, np.float64)
        return g[None] + pts[:, :1] * tv[None] + pts[:, 1:2] * nv[None]

    # forearm (3-D so that it widens toward the camera), sleeve
    al = math.radians(U(rng, 0, 55))
    hor = unit(nw * math.cos(al) + th * math.sin(al))
    top = 0.55 * float(cam.C[2])
    ae = math.atan2(max(min(U(rng, 5, 25), top - G[2]), -5), 45)
    adir = math.cos(ae) * hor + math.sin(ae) * ZUP
    wrist = G + nw * 3.2 + th * 0.8 + np.array([0, 0, 1.0])
    ss = np.linspace(0, 55, 14)
    P = wrist[None] + ss[:, None] * adir[None]
    keep = cam.cam(P)[:, 2] > 0.35 * S.cam_dist
    maxpx = cv.W * 0.4
    if keep.sum() >= 2:
        P, ss = P[keep], ss[keep]
        rib3d(S, b, P, np.interp(ss, [0, 6, 25, 55], [5.8, 6.3, 7.5, 8.5]), arm_col, 1, hl=mul(arm_col, 1.08),
              tex=0.05, hide=False, maxpx=maxpx)
        if rng.random() < (0.9 if glove else 0.7):
            s0 = U(rng, 5, 22)
            sl = jit(rng, pick(rng, [(40, 40, 40), (200, 200, 200), (120, 70, 30), (60, 60, 160), (90, 130, 70),
                                     (150, 150, 150), (30, 30, 90), (200, 170, 120)]), 15)
            sel = ss >= s0
            if sel.sum() >= 2:
                rib3d(S, b, P[sel], np.interp(ss[sel], [s0, 55], [9.5, 11]), sl, 1, hl=mul(sl, 1.15), tex=0.1,
                      hide=False, caps=False, maxpx=maxpx * 1.2)
    if glove and rng.random() < 0.5:   # oven mitt
        mitt = H2(chaikin(np.array([[-4.5, -2.5], [4.5, -2.5], [5, 4], [-4.5, 4.5]]), 3))
        b.shape([mitt], color=skin, lab=1, tex=0.15)
        tc = H2([[-5.0, 0.5]])[0]
        b.shape(circles=[(tc[0], tc[1], 1.8 * k)], color=mul(skin, 0.93), lab=1, tex=0.15)
    else:
        # back of the hand: rounded box over the handle, wrist side at +n
        body = chaikin(np.array([[-4.3, -1.6], [4.3, -1.6], [3.2, 3.6], [0.2, 4.3], [-3.6, 3.2]]), 3)
        rb = b.shape([H2(body)], color=skin, lab=1, tex=0.05)
        # curled fingers on the far side of the handle
        for i in range(4):
            o = -3.2 + i * 2.05
            ln = 2.0 + 0.3 * (i in (1, 2)) - (0.3 if i == 3 else 0)
            seg = H2([[o, -0.6], [o, -0.6 - ln]])
            b.shape(lines=[(seg, 1.9 * k)], circles=[(seg[1, 0], seg[1, 1], 0.95 * k)],
                    color=mul(skin, 0.96 + 0.02 * i), lab=1, tex=0.05)
        rh = r_or([rb])
        for i in range(3):
            o = -2.2 + i * 2.05
            b.shape(lines=[(H2([[o, -2.8], [o, 0.4]]), max(1, 0.15 * k))], color=mul(skin, 0.7), lab=None)
        # knuckle highlights
        for i in range(4):
            c = H2([[-3.2 + i * 2.05, 0.2]])[0]
            soft_spot(b.img, c, 0.7 * k, 0.5 * k, mix(skin, (255, 255, 255), 0.4), 0.35)
        # thumb over the top of the handle, pointing toward the tool head
        if pinch:
            th_pts = H2([[-3.5, 2.4], [-5.6, 0.3]])
        else:
            th_pts = H2([[-3.4, 2.6], [-5.8, 0.2]])
        b.shape(lines=[(th_pts, 2.1 * k)], circles=[(th_pts[1, 0], th_pts[1, 1], 1.05 * k)], color=mul(skin, 1.02),
                lab=1, tex=0.05)
        nail = H2([[-6.1, 0.25]])[0]
        b.shape(circles=[(nail[0], nail[1], 0.55 * k)], color=mix(skin, (200, 210, 235), 0.45), lab=None)
    # hand shadow (image only)
    x0, y0, x1, y1 = b.bb
    if x1 > x0:
        m = cv2.resize(b.mask.astype(np.float32), (cv.W // 4, cv.H // 4), interpolation=cv2.INTER_AREA)
        M = np.float32([[1, 0, S.shadow[0] * 2.5 / 4], [0, 1, S.shadow[1] * 2.5 / 4]])
        m = cv2.warpAffine(m, M, (cv.W // 4, cv.H // 4))
        m = cv2.GaussianBlur(m, (0, 0), max(0.5, S.shadow_blur / 2))
        m = cv2.resize(m, (cv.W, cv.H), interpolation=cv2.INTER_LINEAR)
        cv.img *= cv2.merge([1 - 0.8 * S.shadow_k * m] * 3)
    commit(b, PAN)


# --------------------------------------------------------------------------------------------- clutter
def draw_clutter(S, cv, items):
    rng, cam = S.rng, S.cam
    for it in items:
        typ, P, size, col = it
        x, y = P
        if typ in ('bottle', 'jar', 'pot', 'shaker'):
            r, hgt = size
            circles = [circ3(x, y, z, r, 40) for z in np.linspace(0, hgt, 4)]
            pts = [cam.poly(c) for c in circles]
            if any(p is None for p in pts):
                continue
            hull = cv2.convexHull(np.concatenate(pts).astype(np.float32)).reshape(-1, 2)
            rr = cv.shape([hull], color=mul(col, 0.8), lab=PAN, tex=0.05)
            if rr is None:
                continue
            top = cam.poly(circ3(x, y, hgt, r * (0.45 if typ == 'bottle' else 1.0), 40))
            if typ == 'bottle':
                neck = [cam.poly(circ3(x, y, z, r * 0.4, 24)) for z in (hgt, hgt + r * 2.5)]
                if any(n is None for n in neck):  # the neck leaves the camera's view
                    continue
                hull2 = cv2.convexHull(np.concatenate([pts[-1]] + neck).astype(np.float32)).reshape(-1, 2)
                cv.shape([hull2], color=mul(col, 0.9), lab=PAN, tex=0.05)
                cv.shape([neck[-1]], color=jit(rng, (40, 40, 180), 60), lab=PAN)
            elif typ == 'pot':
                cv.shape([pts[-1]], color=mul(col, 1.1), lab=PAN, tex=0.03)
                cv.shape([cam.poly(circ3(x, y, hgt + 1.5, r * 0.92, 40))], color=mix(col, (230, 230, 230), 0.3),
                         lab=PAN, tex=0.03)
                cv.shape([cam.poly(circ3(x, y, hgt + 3.0, 1.6, 16))], color=(30, 30, 30), lab=PAN)
            else:
                cv.shape([top], color=jit(rng, pick(rng, [(220, 220, 220), (40, 40, 40), (40, 40, 180), (170, 170, 170)]), 10),
                         lab=PAN, tex=0.04)
            sx = cam.pts(np.array([x, y, hgt * 0.5]))
            kk = float(cam.k(np.array([x, y, hgt * 0.5])))
            soft_spot(cv.img, sx + np.array([S.lside * 0.4 * r * kk, 0]), 0.2 * r * kk, 0.8 * hgt * kk * 0.3,
                      (250, 250, 250), 0.4, None)
        elif typ in ('board', 'towel', 'lid', 'plate', 'mat'):
            w, hh = size
            ang = U(rng, 0, np.pi)
            if typ in ('lid', 'plate'):
                q = circ3(x, y, 0.5, w, 48)
            else:
                q = np.array([[-w / 2, -hh / 2], [w / 2, -hh / 2], [w / 2, hh / 2], [-w / 2, hh / 2]])
                q = rot2(chaikin(q, 1) if typ == 'towel' else q, ang) + [x, y]
                q = np.concatenate([q, np.full((len(q), 1), 1.5 if typ == 'board' else 0.3)], 1)
            pq = cam.poly(q)
            if pq is None:
                continue
            if typ == 'board':
                side = cam.poly(q - np.array([0, 0, 1.5]))
                if side is not None:
                    hull = cv2.convexHull(np.concatenate([pq, side]).astype(np.float32)).reshape(-1, 2)
                    cv.shape([hull], color=mul(col, 0.7), lab=PAN, tex=0.05)
            r = cv.shape([pq], color=col, lab=PAN, tex=0.07 if typ != 'plate' else 0.02)
            if r is None:
                continue
            if typ == 'towel':
                c2 = jit(rng, pick(rng, [(40, 40, 180), (180, 100, 40), (60, 150, 60), (40, 40, 40)]), 10)
                for i in range(int(rng.integers(2, 7))):
                    fr = U(rng, -0.45, 0.45)
                    a0 = rot2(np.array([[-w / 2, fr * hh], [w / 2, fr * hh]]), ang) + [x, y]
                    cv.shape(lines=[(cam.pts(np.concatenate([a0, [[0.3], [0.3]]], 1)), max(2, 0.8 * float(cam.k(
                        np.array([x, y, 0])))))], color=c2, lab=None, within=r)
            elif typ == 'lid':
                inner = cam.poly(circ3(x, y, 1.2, w * 0.88, 48))
                cv.shape([inner], color=mix(col, (240, 240, 240), 0.15), lab=None, within=r)
                cv.shape([cam.poly(circ3(x, y, 3.5, 1.8, 16))], color=(30, 30, 30), lab=PAN)
            elif typ == 'plate':
                cv.shape([cam.poly(circ3(x, y, 0.3, w * 0.65, 48))], color=mul(col, 0.93), lab=None, within=r)


def plan_clutter(S):
    rng, pan = S.rng, S.pan
    items = []
    for _ in range(int(rng.integers(0, 6))):
        typ = pick(rng, ['bottle', 'jar', 'shaker', 'pot', 'board', 'towel', 'lid', 'plate'], [2, 2, 2, 1.5, 1.5, 1.5, 1, 1])
        for _try in range(6):
            a = U(rng, 0, 2 * np.pi)
            d = pan['R'] + U(rng, 12, 45)
            x, y = d * math.cos(a), d * math.sin(a)
            if y < S.Yw - 6:
                break
        else:
            continue
        if typ == 'bottle':
            size, col = (U(rng, 2.8, 4), U(rng, 18, 28)), jit(rng, pick(rng, [(40, 90, 40), (30, 60, 110), (200, 210, 210),
                                                                             (60, 140, 180), (30, 30, 30)]), 15)
        elif typ == 'jar':
            size, col = (U(rng, 2.5, 4.5), U(rng, 6, 14)), jit(rng, pick(rng, [(40, 60, 150), (90, 140, 180), (200, 200, 200),
                                                                             (40, 120, 60), (30, 90, 200)]), 15)
        elif typ == 'shaker':
            size, col = (U(rng, 1.8, 2.6), U(rng, 7, 12)), jit(rng, pick(rng, [(230, 230, 230), (40, 40, 40), (150, 150, 150)]), 8)
        elif typ == 'pot':
            size, col = (U(rng, 8, 12), U(rng, 8, 14)), jit(rng, pick(rng, [(170, 170, 172), (40, 40, 170), (40, 40, 45)]), 10)
        elif typ == 'board':
            size, col = (U(rng, 25, 40), U(rng, 18, 28)), jit(rng, pick(rng, WOODS + [(235, 235, 235), (90, 160, 90)]), 10)
        elif typ == 'towel':
            size, col = (U(rng, 20, 40), U(rng, 15, 30)), jit(rng, pick(rng, [(235, 235, 235), (180, 200, 220), (60, 60, 160),
                                                                             (160, 120, 60), (200, 200, 120)]), 10)
        elif typ == 'lid':
            size, col = (U(rng, 10, 14), 0), jit(rng, (170, 172, 175), 10)
        else:
            size, col = (U(rng, 10, 13), 0), jit(rng, pick(rng, [(240, 240, 240), (220, 230, 235), (60, 60, 60)]), 5)
        items.append((typ, (x, y), size, col))
    return items


# ------------------------------------------------------------------------------------------------ hob
def make_hob(rng, pan):
    kind = pick(rng, ['glass', 'gas', 'coil', 'none'], [4, 4, 1, 1.5])
    nb = 4 if rng.random() < 0.75 else 2
    bw, bh = U(rng, 26, 32), U(rng, 22, 28)
    burners = [(i * bw, j * bh) for i in range(2) for j in range(nb // 2)] if nb == 4 else [(0, 0), (0, bh)]
    me = burners[int(rng.integers(len(burners)))]
    burners = [(bx - me[0], by - me[1], U(rng, 8, 11)) for bx, by in burners]
    xs, ys = [b[0] for b in burners], [b[1] for b in burners]
    m = U(rng, 10, 16)
    return dict(kind=kind, burners=burners, x0=min(xs) - m - 4, x1=max(xs) + m + 4, y0=min(ys) - m - 4,
                y1=max(ys) + m, color=jit(rng, pick(rng, [(22, 22, 25), (30, 30, 32), (230, 230, 230), (40, 40, 40)]), 4)
                if kind != 'glass' else jit(rng, (20, 20, 24), 4), steel=rng.random() < 0.6)


def draw_grates(S, cv):
    hob, rng = S.hob, S.rng
    if hob['kind'] != 'gas':
        return
    col = jit(rng, (30, 30, 32), 5)
    hl = (80, 80, 85)
    for bx, by, br in hob['burners']:
        s = br + U(rng, 2, 4)
        sq = np.array([[bx - s, by - s], [bx + s, by - s], [bx + s, by + s], [bx - s, by + s], [bx - s, by - s]])
        for i in range(4):
            P = np.concatenate([np.linspace(sq[i], sq[i + 1], 10), np.full((10, 1), 1.0)], 1)
            rib3d(S, cv, P, np.full(10, 1.0), col, PAN, hl=hl, hide=False)
        for a in np.linspace(0, 2 * np.pi, 7)[:-1] + U(rng, 0, 1):
            c, sn = math.cos(a), math.sin(a)
            P = np.array([[bx + c * br * 0.55, by + sn * br * 0.55, 1.0], [bx + c * s, by + sn * s, 1.0]])
            P = np.array([np.linspace(P[0, j], P[1, j], 6) for j in range(3)]).T
            rib3d(S, cv, P, np.full(6, 0.9), col, PAN, hl=hl, hide=False)


# ---------------------------------------------------------------------------------------------- scene
class Scene:
    pass


def render(rng, W, H):
    """Render one frame at (W, H) (already supersampled size).
    Returns float BGR image, label map (0 pan, 1 tool, 2 food), share of the frame inside the pan opening."""
    S = Scene()
    S.rng = rng
    S.pan = make_pan(rng)
    pan = S.pan
    S.cam, az = make_camera(rng, W, H, pan['R'], pan['h'])
    S.cam_dist = float(S.cam.cam(np.zeros(3))[2])
    S.cook_dir = -math.pi / 2 + az + rng.normal(0, 0.3)       # the cook stands on the camera side (-Y)
    S.Yw = pan['R'] + U(rng, 14, 70)
    S.hob = make_hob(rng, pan)
    S.zf = -1.0
    S.O = np.zeros((H, W), np.uint8)
    la = U(rng, 0, 2 * np.pi)
    S.lside = 1 if rng.random() < 0.5 else -1
    sd = U(rng, 2, 12) * W / 640
    S.shadow = (sd * math.cos(la), sd * math.sin(la))
    S.shadow_blur = U(rng, 1.5, 6) * W / 640
    S.shadow_k = U(rng, 0.15, 0.5)
    cv = Canvas(W, H, rng)
    draw_background(S, cv)
    clutter = plan_clutter(S)
    cz = S.cam.cam(np.zeros(3))[2]
    far = [c for c in clutter if S.cam.cam(np.array([*c[1], 0]))[2] >= cz]
    near = [c for c in clutter if S.cam.cam(np.array([*c[1], 0]))[2] < cz]
    draw_clutter(S, cv, far)
    draw_grates(S, cv)
    food = Food(S)
    # pan shadow on the hob
    fp = S.cam.poly(circ3(0, 0, 0, pan['R'] + pan['t'] + 0.5, 48))
    if fp is not None:
        m = np.zeros((H // 4, W // 4), np.float32)
        cv2.fillPoly(m, [_ip((fp + np.array(S.shadow) * 2) / 4, np.zeros(2))], 1.0, cv2.LINE_8, SH)
        m = cv2.GaussianBlur(m, (0, 0), S.shadow_blur * 0.75)
        m = cv2.resize(m, (W, H), interpolation=cv2.INTER_LINEAR)
        cv.img *= cv2.merge([1 - 0.6 * m] * 3)
    food.spill(cv, int(rng.integers(0, 6)) if rng.random() < 0.3 else 0)
    draw_pan(S, cv, 'body')
    food.draw(cv)
    draw_pan(S, cv, 'near')
    # nearby clutter only when it does not overlap the pan in the image
    pr = r_full(rast(W, H, [cv2.convexHull(S.cam.pts(circ3(0, 0, pan['h'], pan['R'] + 3)).astype(np.float32)).reshape(-1, 2)]),
                W, H)
    keep = []
    for c in near:
        q = S.cam.pts(np.array([*c[1], 0]))
        if not (0 <= q[0] < W and 0 <= q[1] < H and pr[int(q[1]), int(q[0])]):
            keep.append(c)
    draw_clutter(S, cv, keep)
    # sometimes a lid rests across part of a pot (lid = pan class, it hides food)
    lid = pan['kind'] in ('pot', 'saucepan', 'dutch', 'saute') and rng.random() < 0.12
    if lid:
        a = U(rng, 0, 2 * np.pi)
        off = pan['R'] * U(rng, 0.45, 0.9)
        cx, cy, zl = off * math.cos(a), off * math.sin(a), pan['h'] + 0.4
        lr = pan['R'] + pan['t'] + 0.3
        lcol = jit(rng, pick(rng, [(175, 175, 178), pan['outer'], (150, 150, 150)]), 8)
        rim = cv.shape([S.cam.poly(circ3(cx, cy, zl, lr, 72))], color=mul(lcol, 0.8), lab=PAN, tex=0.04)
        cv.shape([S.cam.poly(circ3(cx, cy, zl + 0.8, lr * 0.9, 72))], color=lcol, lab=PAN, tex=0.04)
        cv.shape([S.cam.poly(circ3(cx, cy, zl + 1.6, lr * 0.55, 48))], color=mul(lcol, 1.08), lab=PAN, tex=0.04)
        cv.shape([S.cam.poly(circ3(cx, cy, zl + 4.0, 2.0, 24))], color=jit(rng, (35, 35, 38), 5), lab=PAN)
        q = S.cam.pts(np.array([cx - lr * 0.3, cy + lr * 0.2, zl + 1.2]))
        kk = float(S.cam.k(np.array([cx, cy, zl])))
        soft_spot(cv.img, q, 3 * kk, 1.2 * kk, (250, 250, 250), 0.5, None, U(rng, 0, 3))
    # tools
    ntool = pick(rng, [0, 1, 2], [0.14, 0.66, 0.2]) if not lid else 0
    tools = []
    for i in range(ntool):
        for _try in range(12):
            kind = pick(rng, TOOL_KINDS, TOOL_W)
            mat = tool_material(rng, kind, food)
            t = build_tool(S, food, kind, mat, 1 if i == 0 else -1)
            if t is not None:
                break
        else:
            continue
        draw_tool(S, cv, t)
        food.cover(cv, t)
        tools.append(t)
    # steam-free hands: some tools are held, sometimes a hand holds the pan handle
    sides = [1, -1]
    for i, t in enumerate(tools):
        if rng.random() < 0.6 and t.get('grip') is not None:
            draw_hand(S, cv, t['grip'], t['dir'], sides[i % 2], pinch=t['kind'] == 'chopsticks')
    if getattr(S, 'pan_grip', None) is not None and rng.random() < 0.15:
        g, dvec = S.pan_grip
        draw_hand(S, cv, g, dvec, -1)
    if not tools and rng.random() < 0.25:   # a hand over the pan (seasoning)
        G = np.array([U(rng, -0.5, 0.5) * pan['R'], U(rng, -0.5, 0.5) * pan['R'], pan['h'] + U(rng, 8, 18)])
        draw_hand(S, cv, G, np.array([math.cos(S.cook_dir), math.sin(S.cook_dir), 0.3]), 1, pinch=True)
    # faint steam (image only)
    if rng.random() < 0.3 and (food.kind in ('liquid', 'chunky', 'noodles')):
        st = np.zeros((H // 4, W // 4), np.float32)
        for _ in range(int(rng.integers(2, 6))):
            q = S.cam.pts(food.random_point(0.7)) / 4
            pts = [q]
            for _ in range(8):
                q = q + rng.normal(0, 4, 2) + np.array([0, -6])
                pts.append(q)
            cv2.polylines(st, [np.int32(pts)], False, 1.0, max(2, int(W / 80)))
        st = cv2.GaussianBlur(st, (0, 0), W / 160)
        st = cv2.resize(st, (W, H), interpolation=cv2.INTER_LINEAR)
        a = np.clip(st * U(rng, 0.1, 0.25), 0, 0.25)[..., None]
        cv.img += (235 - cv.img) * a
    return cv.img, cv.mask, float(S.O.mean())


def photometric(rng, img):
    H, W = img.shape[:2]
    x = np.clip(img, 0, 255) / 255.0
    wb = pick(rng, [(1, 1, 1), (0.78, 0.92, 1.08), (0.85, 0.95, 1.05), (1.1, 1.0, 0.88), (1.0, 1.06, 0.92),
                    (0.68, 0.86, 1.1), (1.05, 1.02, 0.95)], [3, 2, 2, 1.5, 1, 1, 1])
    wb = np.asarray(wb, np.float32) * rng.uniform(0.96, 1.04, 3).astype(np.float32)
    x = x * wb[None, None]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    yy = yy / H * 2 - 1
    xx = xx / W * 2 - 1
    a = U(rng, 0, 2 * np.pi)
    field = 1 + U(rng, 0, 0.35) * (xx * math.cos(a) + yy * math.sin(a))
    if rng.random() < 0.5:
        sx, sy, sg = U(rng, -1, 1), U(rng, -1, 1), U(rng, 0.3, 1.0)
        field += U(rng, 0.1, 0.5) * np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * sg * sg))
    if rng.random() < 0.3:  # a large soft shadow (cook, hood)
        pts = np.array([[U(rng, -0.2, 1.2) * W, U(rng, -0.2, 1.2) * H] for _ in range(5)], np.float32)
        hull = cv2.convexHull(pts).astype(np.int32)
        m = np.zeros((H, W), np.float32)
        cv2.fillPoly(m, [hull], 1.0)
        m = cv2.GaussianBlur(m, (0, 0), U(rng, 4, 20))
        field *= 1 - U(rng, 0.2, 0.5) * m
    x = x * field[..., None]
    x = x * math.exp(U(rng, -0.75, 0.4))
    x = np.clip(x, 0, None) ** U(rng, 0.8, 1.2)
    g = x.mean(2, keepdims=True)
    x = g + (x - g) * U(rng, 0.7, 1.35)
    if rng.random() < 0.7:
        r2 = xx * xx + yy * yy
        x = x * (1 - U(rng, 0.1, 0.45) * r2 / 2)[..., None]
    x = np.clip(x, 0, 1).astype(np.float32)
    bk = rng.random()
    if bk < 0.45:
        x = cv2.GaussianBlur(x, (0, 0), U(rng, 0.3, 1.3))
    elif bk < 0.55:
        rr = U(rng, 1.2, 2.6)
        n = int(math.ceil(rr)) * 2 + 1
        k = np.zeros((n, n), np.float32)
        cv2.circle(k, (n // 2, n // 2), int(rr), 1.0, -1)
        x = cv2.filter2D(x, -1, k / k.sum())
    elif bk < 0.7:
        L = int(rng.integers(3, 9))
        k = np.zeros((L, L), np.float32)
        k[L // 2] = 1
        M = cv2.getRotationMatrix2D((L / 2 - 0.5, L / 2 - 0.5), U(rng, 0, 180), 1)
        k = cv2.warpAffine(k, M, (L, L))
        x = cv2.filter2D(x, -1, k / max(k.sum(), 1e-6))
    dim = float(x.mean())
    sig = U(rng, 0.003, 0.02) + (0.02 if dim < 0.25 and rng.random() < 0.6 else 0)
    noise = rng.standard_normal((H, W, 1)).astype(np.float32) * sig
    noise = noise + rng.standard_normal((H, W, 3)).astype(np.float32) * sig * U(rng, 0.2, 0.8)
    x = x + noise * np.sqrt(np.clip(x, 0.02, 1))
    if rng.random() < 0.2:
        x[..., 0] = np.roll(x[..., 0], 1, 1)
        x[..., 2] = np.roll(x[..., 2], -1, 1)
    return np.clip(x * 255 + 0.5, 0, 255).astype(np.uint8)


def down_label(lab):
    """Majority vote per SSxSS block; ties go to the thinner classes (tool, then food)."""
    subs = [lab[i::SS, j::SS] for i in range(SS) for j in range(SS)]
    order = [TOOL, FOOD, PAN]
    cnt = np.stack([sum((s == c).astype(np.uint8) for s in subs) for c in order], 0)
    return np.array(order, np.uint8)[cnt.argmax(0)]


def make_frame(seed, idx, size):
    W, H = size
    for attempt in range(8):
        rng = np.random.default_rng([seed, idx, attempt])
        img2, lab2, opening = render(rng, W * SS, H * SS)
        lab = down_label(lab2)
        share = float((lab == TOOL).mean())
        if share <= 0.28 and (lab == PAN).any() and opening > 0.06 and (lab == FOOD).mean() > 0.02:
            break
    img = cv2.resize(np.clip(img2, 0, 255), (W, H), interpolation=cv2.INTER_AREA)
    out = photometric(rng, img)
    q = int(rng.integers(35, 96))
    return out, lab, q


def generate(out: Path, count: int, seed: int, size: tuple[int, int] = (320, 240)) -> None:
    out = Path(out)
    di = out / 'test' / 'images'
    dm = out / 'test' / 'masks'
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        img, lab, q = make_frame(seed, i, tuple(size))
        stem = f'ka_{i:05d}'
        ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, q])
        (di / f'{stem}.jpg').write_bytes(buf.tobytes())
        ok, buf = cv2.imencode('.png', MASK_BGR[lab])
        (dm / f'{stem}.png').write_bytes(buf.tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('out', type=Path)
    ap.add_argument('--count', type=int, default=100)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--size', default='320x240', help='WIDTHxHEIGHT')
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split('x'))
    t0 = time.time()
    generate(a.out, a.count, a.seed, (w, h))
    dt = time.time() - t0
    print(f'wrote {a.count} frames to {a.out}/test in {dt:.1f}s ({dt / max(a.count, 1) * 1000:.0f} ms/frame)')


if __name__ == '__main__':
    main()
