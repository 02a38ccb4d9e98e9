"""Blind held-out generator: foods on a plate / in a bowl / on a tray (25 classes, FoodSeg103 layout).

Everything is drawn on a top-down "table plane" canvas (colour + label in the same pass), then a pinhole
camera (tilt, yaw, focal length, distance) projects it into the photo; hands are drawn in image space;
lighting, colour cast, blur, noise and JPEG touch the photo only.
"""
from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np

CLASSES = ["background", "rice", "noodles", "lettuce", "tomato", "cucumber", "carrot", "potato", "tofu", "beef",
           "chicken", "salmon", "fried egg", "broccoli", "peas", "corn", "curry", "tomato sauce", "cream sauce",
           "bread", "strawberry", "blueberry", "orange", "mushroom", "cheese"]

# ----------------------------------------------------------------------------------------------- helpers
def vnoise(rng, h, w, cells, octaves=2):
    h, w = max(1, int(h)), max(1, int(w))
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        c = max(2, int(cells * (2 ** o)))
        cy = max(2, int(round(c * h / max(h, w)))) if h != w else c
        cx = max(2, int(round(c * w / max(h, w)))) if h != w else c
        small = rng.random((cy, cx)).astype(np.float32)
        out += amp * cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        tot, amp = tot + amp, amp * 0.5
    return out / tot - 0.5

def jit(rng, c, j=12.0):
    return tuple(float(np.clip(v + rng.normal(0, j), 0, 255)) for v in c)

def scale(c, k):
    return tuple(float(np.clip(v * k, 0, 255)) for v in c)

def mix(a, b, t):
    return tuple(float(x * (1 - t) + y * t) for x, y in zip(a, b))

def blob(rng, cx, cy, rx, ry, irr=0.15, n=28, ang=0.0, hf=0.0):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    for k in (2, 3, 4, 5):
        r += irr * rng.uniform(-1, 1) / (k - 1) * np.cos(k * t + rng.uniform(0, 6.3))
    if hf:
        r += hf * rng.uniform(-1, 1, n)
    x, y = rx * r * np.cos(t), ry * r * np.sin(t)
    ca, sa = math.cos(ang), math.sin(ang)
    return np.stack([cx + ca * x - sa * y, cy + sa * x + ca * y], 1).round().astype(np.int32)

def rot_pts(pts, cx, cy, ang):
    pts = np.asarray(pts, np.float64)
    ca, sa = math.cos(ang), math.sin(ang)
    x, y = pts[:, 0], pts[:, 1]
    return np.stack([cx + ca * x - sa * y, cy + sa * x + ca * y], 1).round().astype(np.int32)

def rrect(w, h, rad, n=6):
    rad = min(rad, w / 2, h / 2)
    pts = []
    for (sx, sy, a0) in ((1, 1, 0), (-1, 1, 90), (-1, -1, 180), (1, -1, 270)):
        ccx, ccy = sx * (w / 2 - rad), sy * (h / 2 - rad)
        for k in range(n + 1):
            a = math.radians(a0 + 90 * k / n)
            pts.append((ccx + rad * math.cos(a), ccy + rad * math.sin(a)))
    return np.array(pts)

def I(v):
    return int(round(float(v)))

class Patch:
    """A local drawing surface: colour, food coverage m, garnish coverage g (garnish is labelled 0)."""

    def __init__(self, r):
        n = int(2 * r) + 8
        self.n, self.c = n, n / 2.0
        self.col = np.zeros((n, n, 3), np.float32)
        self.m = np.zeros((n, n), np.uint8)
        self.g = np.zeros((n, n), np.uint8)

    def _do(self, fn, color, garnish):
        fn(self.col, tuple(float(v) for v in color))
        if garnish:
            fn(self.g, 1)
        else:
            fn(self.m, 1)
            fn(self.g, 0)

    def poly(self, pts, color, garnish=False):
        self._do(lambda a, c: cv2.fillPoly(a, [pts], c), color, garnish)

    def circ(self, x, y, r, color, garnish=False):
        self._do(lambda a, c: cv2.circle(a, (I(x), I(y)), max(1, I(r)), c, -1), color, garnish)

    def ell(self, x, y, a, b, ang, color, garnish=False):
        self._do(lambda arr, c: cv2.ellipse(arr, (I(x), I(y)), (max(1, I(a)), max(1, I(b))), float(ang), 0, 360,
                                            c, -1), color, garnish)

    def line(self, pts, color, th, garnish=False, closed=False):
        self._do(lambda a, c: cv2.polylines(a, [np.asarray(pts, np.int32)], closed, c, max(1, I(th))), color,
                 garnish)

    def erase_circ(self, x, y, r):
        cv2.circle(self.m, (I(x), I(y)), max(1, I(r)), 0, -1)

    # colour-only decorations (drawn on food already present)
    def dpoly(self, pts, color):
        cv2.fillPoly(self.col, [pts], tuple(float(v) for v in color))

    def dline(self, pts, color, th, closed=False):
        cv2.polylines(self.col, [np.asarray(pts, np.int32)], closed, tuple(float(v) for v in color), max(1, I(th)))

    def dcirc(self, x, y, r, color):
        cv2.circle(self.col, (I(x), I(y)), max(1, I(r)), tuple(float(v) for v in color), -1)

    def dell(self, x, y, a, b, ang, color):
        cv2.ellipse(self.col, (I(x), I(y)), (max(1, I(a)), max(1, I(b))), float(ang), 0, 360,
                    tuple(float(v) for v in color), -1)

    def points_inside(self, rng, k):
        ys, xs = np.nonzero(self.m)
        if len(xs) == 0:
            return np.zeros((0, 2))
        idx = rng.integers(0, len(xs), k)
        return np.stack([xs[idx], ys[idx]], 1).astype(np.float64)

    def finish(self, rng, light, tex=0.12, cells=6, dome=0.0, gloss=0.0, fine=0.0):
        n = self.n
        if tex:
            self.col *= (1.0 + 2 * tex * vnoise(rng, n, n, cells, 3))[..., None]
        if fine:
            self.col *= (1.0 + fine * rng.normal(0, 1, (n, n)).astype(np.float32))[..., None]
        if dome or gloss:
            d = cv2.distanceTransform(self.m, cv2.DIST_L2, 3)
            d = cv2.GaussianBlur(np.sqrt(d), (0, 0), 1.5)
            gx = cv2.Sobel(d, cv2.CV_32F, 1, 0, ksize=3)
            gy = cv2.Sobel(d, cv2.CV_32F, 0, 1, ksize=3)
            s = -(gx * light[0] + gy * light[1])
            s /= (np.abs(s).max() + 1e-6)
            if dome:
                self.col *= (1.0 + dome * s)[..., None]
            if gloss:
                sp = np.clip(s - 0.55, 0, None) / 0.45
                sp *= (vnoise(rng, n, n, 5) > -0.05)
                self.col += (gloss * 255 * sp)[..., None]
        np.clip(self.col, 0, 255, out=self.col)

# ----------------------------------------------------------------------------------------------- context
class Ctx:
    def __init__(self, rng, Hc, Wc, light, unit):
        self.rng = rng
        self.img = np.zeros((Hc, Wc, 3), np.float32)
        self.mask = np.zeros((Hc, Wc), np.uint8)
        self.light = light  # unit vector in the plane, pointing towards the light
        self.shadow_k = rng.uniform(0.15, 0.5)
        self.unit = unit
        self.used = []
        self.away, self.tant = (0.0, -1.0), 0.0  # plane direction away from the camera, tan(tilt)

    def paste(self, p, cx, cy, cid, shadow=1.0, height=1.0):
        Hc, Wc = self.mask.shape
        n = p.n
        x0, y0 = I(cx - p.c), I(cy - p.c)
        if shadow and self.shadow_k > 0:
            off = height * self.unit * 2.5
            dx, dy = I(-self.light[0] * off), I(-self.light[1] * off)
            pad = abs(dx) + abs(dy) + 6
            sm = np.zeros((n + 2 * pad, n + 2 * pad), np.float32)
            sm[pad + dy:pad + dy + n, pad + dx:pad + dx + n] = np.maximum(p.m, p.g)
            sm = cv2.GaussianBlur(sm, (0, 0), 1.0 + 0.5 * off)
            self._apply(sm, x0 - pad, y0 - pad, lambda reg, s: reg.__imul__(1 - self.shadow_k * shadow * s[..., None]))
        cx0, cy0 = max(0, x0), max(0, y0)
        cx1, cy1 = min(Wc, x0 + n), min(Hc, y0 + n)
        if cx1 <= cx0 or cy1 <= cy0:
            return
        px0, py0 = cx0 - x0, cy0 - y0
        sl = (slice(py0, py0 + cy1 - cy0), slice(px0, px0 + cx1 - cx0))
        m, g, col = p.m[sl] > 0, p.g[sl] > 0, p.col[sl]
        sel = m | g
        reg = self.img[cy0:cy1, cx0:cx1]
        reg[sel] = col[sel]
        mreg = self.mask[cy0:cy1, cx0:cx1]
        mreg[m] = cid
        mreg[g] = 0

    def _apply(self, arr, x0, y0, fn):
        Hc, Wc = self.mask.shape
        h, w = arr.shape[:2]
        cx0, cy0 = max(0, x0), max(0, y0)
        cx1, cy1 = min(Wc, x0 + w), min(Hc, y0 + h)
        if cx1 <= cx0 or cy1 <= cy0:
            return
        fn(self.img[cy0:cy1, cx0:cx1], arr[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0])

# ----------------------------------------------------------------------------------------------- foods
def scatter(rng, c, r, k, spread=0.75):
    out = []
    for _ in range(k):
        a, d = rng.uniform(0, 2 * np.pi), r * spread * math.sqrt(rng.uniform(0, 1))
        out.append((c + d * math.cos(a), c + d * math.sin(a)))
    return out

def arrangement(rng, c, r, k, s):
    """positions for k pieces of size s: pile, fanned row or ring"""
    k = max(1, int(round(k * rng.uniform(1.0, 1.8))))
    mode = rng.choice(["pile", "pile", "row", "ring"]) if k > 2 else "pile"
    if mode == "row":
        ang = rng.uniform(0, np.pi)
        L = min(2 * r * 0.8, k * s * rng.uniform(0.7, 1.3))
        return [(c + (t - 0.5) * L * math.cos(ang) + rng.normal(0, s * 0.08),
                 c + (t - 0.5) * L * math.sin(ang) + rng.normal(0, s * 0.08)) for t in np.linspace(0, 1, k)]
    if mode == "ring":
        rr = r * 0.55
        a0 = rng.uniform(0, 6.3)
        return [(c + rr * math.cos(a0 + 2 * np.pi * i / k), c + rr * math.sin(a0 + 2 * np.pi * i / k)) for i in range(k)]
    return scatter(rng, c, r, k, 0.7)

def f_rice(ctx, p, r):
    rng, c = ctx.rng, p.c
    base = [(238, 236, 226), (236, 233, 222), (185, 150, 105), (235, 200, 80), (205, 160, 90), (225, 215, 195)][
        rng.integers(6)]
    base = jit(rng, base, 6)
    if rng.random() < 0.35:
        p.circ(c, c, r * 0.72, scale(base, 0.8))
    else:
        p.poly(blob(rng, c, c, r * rng.uniform(0.75, 0.95), r * rng.uniform(0.55, 0.95), 0.2, 30, rng.uniform(0, 6)),
               scale(base, 0.78))
    gl = max(1.5, r * rng.uniform(0.045, 0.07))
    k = int(min(900, p.m.sum() / (gl * gl * 0.9)))
    for (x, y) in p.points_inside(rng, k):
        col = scale(base, rng.uniform(0.88, 1.08))
        if rng.random() < 0.05 and base[0] < 215:
            col = scale(base, 0.6)
        p.ell(x, y, gl, gl * 0.42, rng.uniform(0, 180), col)
    if rng.random() < 0.2:  # sesame / spring onion garnish (background)
        for (x, y) in p.points_inside(rng, int(rng.integers(4, 15))):
            p.line(cv2.ellipse2Poly((I(x), I(y)), (max(1, I(gl)), max(1, I(gl * 0.8))), 0, 0, 360, 30),
                   jit(rng, (80, 155, 60), 15), 1, garnish=True, closed=True)
    p.finish(rng, ctx.light, tex=0.05, dome=0.2, fine=0.03)

def walk(rng, c, r, n, step, curl=0.3):
    x, y = scatter(rng, c, r, 1, 0.8)[0]
    a = rng.uniform(0, 2 * np.pi)
    pts = []
    for _ in range(n):
        pts.append((x, y))
        a += rng.normal(0, curl)
        if math.hypot(x - c, y - c) > r * 0.85:
            a = math.atan2(c - y, c - x) + rng.normal(0, 0.5)
        x += step * math.cos(a)
        y += step * math.sin(a)
    return np.array(pts)

def f_noodles(ctx, p, r):
    rng, c = ctx.rng, p.c
    base = jit(rng, [(232, 200, 120), (242, 236, 214), (236, 206, 140), (135, 105, 85), (226, 190, 100),
                     (170, 115, 55), (245, 240, 230)][rng.integers(7)], 8)
    th = max(1.5, min(r * rng.uniform(0.025, 0.05), 9.0))
    p.poly(blob(rng, c, c, r * rng.uniform(0.7, 0.9), r * rng.uniform(0.6, 0.9), 0.2, 30, rng.uniform(0, 6)),
           scale(base, 0.62))
    style = rng.integers(3)
    ns = int(np.clip(r * r / (th * 60), 15, 90))
    for i in range(ns):
        if style == 0:  # swirl nest
            rr = r * rng.uniform(0.15, 0.8)
            a0 = rng.uniform(0, 6.3)
            t = np.linspace(a0, a0 + rng.uniform(1.5, 4.5), 24)
            rr2 = rr * (1 + 0.15 * np.sin(t * rng.uniform(1, 3)))
            pts = np.stack([c + rr2 * np.cos(t), c + rr2 * np.sin(t) * rng.uniform(0.8, 1.0)], 1)
        elif style == 1:  # tangled
            pts = walk(rng, c, r, 30, r * 0.08, curl=0.45)
        else:  # roughly parallel (ramen / stir fry)
            a = rng.uniform(-0.3, 0.3) + (0.0 if i % 2 else 0.2)
            off = rng.uniform(-0.8, 0.8) * r
            t = np.linspace(-0.85, 0.85, 20) * r * math.sqrt(max(0.05, 1 - (off / r) ** 2))
            wob = np.sin(t / r * rng.uniform(4, 9) + rng.uniform(0, 6)) * th * 1.5
            pts = np.stack([c + t * math.cos(a) - (off + wob) * math.sin(a), c + t * math.sin(a) + (off + wob) * math.cos(a)], 1)
        col = scale(base, rng.uniform(0.85, 1.1))
        pts = pts.round().astype(np.int32)
        p.line(pts, scale(col, 0.8), th + 1)
        p.line(pts, col, th)
        if th > 2.5:
            p.dline(pts + np.int32([-ctx.light[0] * th * 0.3, -ctx.light[1] * th * 0.3]), scale(col, 1.15), th * 0.35)
    p.finish(rng, ctx.light, tex=0.06, dome=0.15, gloss=0.15 * rng.random())

def leaf(rng, p, x, y, L, ang, col, wav=0.12):
    t = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    w = rng.uniform(0.45, 0.75)
    rr = 1 + wav * np.sin(t * rng.integers(7, 14) + rng.uniform(0, 6)) + rng.uniform(-wav, wav, 40) * 0.6
    xs = L * 0.5 * np.cos(t) * rr
    ys = L * 0.5 * w * np.sin(t) * rr * (1 + 0.3 * np.cos(t))
    pts = rot_pts(np.stack([xs, ys], 1), x, y, ang)
    p.poly(pts, col)
    if rng.random() < 0.3:
        p.dline(pts, mix(col, (120, 40, 60), 0.6), max(1, L * 0.04), True)
    else:
        p.dline(pts, scale(col, 0.7), 1, True)
    rib = rot_pts(np.array([[-L * 0.45, 0], [L * 0.45, 0]]), x, y, ang)
    p.dline(rib, mix(col, (235, 245, 200), 0.5), max(1, L * 0.035))
    for k in range(5):
        u = -0.3 + 0.15 * k
        vv = rot_pts(np.array([[u * L, 0], [(u + 0.15) * L, L * 0.25 * w], [u * L, 0], [(u + 0.15) * L, -L * 0.25 * w]]),
                     x, y, ang)
        p.dline(vv[:2], mix(col, (225, 240, 190), 0.3), 1)
        p.dline(vv[2:], mix(col, (225, 240, 190), 0.3), 1)

def f_lettuce(ctx, p, r):
    rng, c = ctx.rng, p.c
    greens = [(120, 180, 60), (80, 140, 45), (160, 205, 95), (100, 160, 50), (60, 110, 40)]
    if rng.random() < 0.25:  # shredded
        base = jit(rng, greens[rng.integers(len(greens))], 10)
        for (x, y) in scatter(rng, c, r, int(np.clip(r * 2, 40, 250)), 0.8):
            a = rng.uniform(0, np.pi)
            L = r * rng.uniform(0.12, 0.3)
            pts = np.array([[x - L * math.cos(a), y - L * math.sin(a)], [x + L * math.cos(a), y + L * math.sin(a)]])
            p.line(pts.round().astype(np.int32), mix(scale(base, rng.uniform(0.8, 1.2)), (230, 240, 200),
                                                     rng.uniform(0, 0.4)), max(1.5, r * 0.04))
    else:
        k = int(rng.integers(3, 9))
        for (x, y) in scatter(rng, c, r, k, 0.55):
            col = mix(jit(rng, greens[rng.integers(len(greens))], 12), (220, 235, 170), rng.uniform(0, 0.3))
            leaf(rng, p, x, y, r * rng.uniform(0.6, 1.0), rng.uniform(0, 6.3), col)
    p.finish(rng, ctx.light, tex=0.1, cells=8, dome=0.25)

def f_tomato(ctx, p, r):
    rng, c = ctx.rng, p.c
    red = jit(rng, (205, 40, 30), 15)
    style = rng.integers(4)
    if style == 0:  # slices
        s = r * rng.uniform(0.3, 0.45)
        for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 6)), s * 1.5):
            sr = s * rng.uniform(0.85, 1.1)
            p.circ(x, y, sr, red)
            p.dcirc(x, y, sr * 0.86, mix(red, (240, 110, 80), 0.35))
            nl = int(rng.integers(3, 5))
            a0 = rng.uniform(0, 6.3)
            for j in range(nl):
                a = a0 + 2 * np.pi * j / nl
                p.dell(x + sr * 0.45 * math.cos(a), y + sr * 0.45 * math.sin(a), sr * 0.3, sr * 0.22, math.degrees(a),
                       (235, 120, 70))
                for q in range(3):
                    p.dell(x + sr * (0.4 + 0.08 * q) * math.cos(a + 0.2 * (q - 1)),
                           y + sr * (0.4 + 0.08 * q) * math.sin(a + 0.2 * (q - 1)), max(1, sr * 0.06), max(1, sr * 0.04),
                           math.degrees(a), (240, 215, 150))
            p.dcirc(x, y, sr * 0.14, mix(red, (245, 150, 120), 0.5))
    elif style == 1:  # wedges
        s = r * rng.uniform(0.35, 0.55)
        for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 6)), s):
            a = rng.uniform(0, 6.3)
            t = np.linspace(-1.2, 1.2, 16)
            outer = np.stack([s * np.sin(t), -s * 0.35 * np.cos(t) * 1.6], 1)
            inner = np.stack([s * np.sin(t[::-1]) * 0.95, s * 0.1 + 0 * t], 1)
            pts = rot_pts(np.vstack([outer, inner]), x, y, a)
            p.poly(pts, red)
            gel = rot_pts(np.vstack([outer * 0.72 + [0, s * 0.02], inner * 0.8]), x, y, a)
            p.dpoly(gel, (238, 120, 80))
            for q in range(4):
                p.dcirc(*rot_pts([[s * rng.uniform(-0.5, 0.5), -s * rng.uniform(0.05, 0.25)]], x, y, a)[0],
                        max(1, s * 0.05), (240, 215, 150))
    else:  # cherry tomatoes, whole or halved
        s = r * rng.uniform(0.16, 0.26)
        for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 9)), s * 2):
            col = jit(rng, (200, 35, 25) if rng.random() < 0.8 else (240, 170, 30), 12)
            sr = s * rng.uniform(0.85, 1.15)
            p.circ(x, y, sr, col)
            if style == 3 and rng.random() < 0.6:
                p.dcirc(x, y, sr * 0.85, mix(col, (245, 130, 90), 0.4))
                for j in range(3):
                    a = 2 * np.pi * j / 3 + 0.5
                    p.dcirc(x + sr * 0.4 * math.cos(a), y + sr * 0.4 * math.sin(a), sr * 0.22, (240, 200, 130))
            else:
                lx, ly = ctx.light
                p.dcirc(x + lx * sr * 0.4, y + ly * sr * 0.4, sr * 0.22, mix(col, (255, 255, 255), 0.6))
                if rng.random() < 0.5:
                    for j in range(5):
                        a = 2 * np.pi * j / 5
                        p.dline(np.array([[x, y], [x + sr * 0.35 * math.cos(a), y + sr * 0.35 * math.sin(a)]]).round(),
                                (60, 120, 40), max(1, sr * 0.08))
    p.finish(rng, ctx.light, tex=0.06, dome=0.25, gloss=0.25)

def f_cucumber(ctx, p, r):
    rng, c = ctx.rng, p.c
    skin = jit(rng, (45, 95, 35), 10)
    flesh = jit(rng, (195, 222, 150), 10)
    style = rng.integers(3)
    s = r * rng.uniform(0.22, 0.36)
    for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 9)), s * 1.6):
        sr = s * rng.uniform(0.9, 1.1)
        if style == 0:  # round slices
            p.circ(x, y, sr, skin)
            p.dcirc(x, y, sr * 0.86, flesh)
            p.dcirc(x, y, sr * 0.5, mix(flesh, (225, 235, 190), 0.5))
            for j in range(6):
                a = 2 * np.pi * j / 6 + rng.uniform(-0.2, 0.2)
                p.dell(x + sr * 0.3 * math.cos(a), y + sr * 0.3 * math.sin(a), sr * 0.12, sr * 0.06, math.degrees(a),
                       (235, 240, 205))
        elif style == 1:  # half moons
            a = rng.uniform(0, 6.3)
            t = np.linspace(0, np.pi, 14)
            pts = rot_pts(np.stack([sr * np.cos(t), sr * np.sin(t)], 1), x, y, a)
            p.poly(pts, skin)
            pts2 = rot_pts(np.stack([sr * 0.86 * np.cos(t), sr * 0.86 * np.sin(t)], 1), x, y, a)
            p.dpoly(pts2, flesh)
            p.dell(*rot_pts([[0, sr * 0.25]], x, y, a)[0], sr * 0.4, sr * 0.15, math.degrees(a), (230, 238, 200))
        else:  # sticks / chunks
            a = rng.uniform(0, 6.3)
            L = sr * rng.uniform(1.2, 3.5)
            p.poly(rot_pts(rrect(L, sr * 0.8, sr * 0.1), x, y, a), flesh)
            p.dpoly(rot_pts(rrect(L, sr * 0.22, 1) + [0, sr * 0.3], x, y, a), skin)
            p.dpoly(rot_pts(rrect(L * 0.9, sr * 0.2, 1) - [0, sr * 0.05], x, y, a), (228, 238, 200))
    p.finish(rng, ctx.light, tex=0.05, dome=0.15, gloss=0.15)

def f_carrot(ctx, p, r):
    rng, c = ctx.rng, p.c
    col = jit(rng, (240, 125, 30), 12)
    style = rng.integers(4)
    if style == 2:  # grated
        for (x, y) in scatter(rng, c, r, int(np.clip(r * 3, 40, 300)), 0.7):
            a = rng.uniform(0, np.pi)
            L = r * rng.uniform(0.08, 0.18)
            p.line(np.array([[x - L * math.cos(a), y - L * math.sin(a)], [x + L * math.cos(a), y + L * math.sin(a)]]
                            ).round().astype(np.int32), scale(col, rng.uniform(0.8, 1.15)), max(1.2, r * 0.025))
        p.finish(rng, ctx.light, tex=0.05, dome=0.3)
        return
    s = r * rng.uniform(0.16, 0.3)
    for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 10)), s * 1.6):
        sr = s * rng.uniform(0.8, 1.1)
        cc = scale(col, rng.uniform(0.9, 1.1))
        if style == 0:  # coins
            p.ell(x, y, sr, sr * rng.uniform(0.8, 1), rng.uniform(0, 180), scale(cc, 0.85))
            p.dcirc(x, y, sr * 0.82, cc)
            p.dcirc(x, y, sr * 0.42, mix(cc, (250, 190, 90), 0.4))
        elif style == 1:  # sticks
            a = rng.uniform(0, 6.3)
            p.poly(rot_pts(rrect(sr * rng.uniform(2.5, 4), sr * 0.6, sr * 0.1), x, y, a), cc)
            p.dline(rot_pts([[-sr * 1.2, 0], [sr * 1.2, 0]], x, y, a), scale(cc, 1.1), 1)
        else:  # baby carrots
            a = rng.uniform(0, 6.3)
            L = sr * rng.uniform(2.5, 3.5)
            t = np.linspace(0, 1, 10)
            w = sr * 0.5 * (1 - 0.6 * t)
            pts = np.vstack([np.stack([-L / 2 + L * t, w], 1), np.stack([L / 2 - L * t, -w[::-1]], 1)])
            pts = rot_pts(pts, x, y, a)
            p.poly(pts, cc)
            for q in range(4):
                u = rng.uniform(-0.4, 0.4) * L
                p.dline(rot_pts([[u, -sr * 0.3], [u, sr * 0.3]], x, y, a), scale(cc, 0.8), 1)
    p.finish(rng, ctx.light, tex=0.06, dome=0.2, gloss=0.12)

def f_potato(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(5)
    lx, ly = ctx.light
    if style == 0:  # mashed
        col = jit(rng, (240, 226, 175), 8)
        p.poly(blob(rng, c, c, r * 0.85, r * rng.uniform(0.65, 0.9), 0.2, 30, rng.uniform(0, 6)), col)
        for k in range(int(rng.integers(5, 12))):
            a0 = rng.uniform(0, 6.3)
            rr = r * rng.uniform(0.15, 0.7)
            t = np.linspace(a0, a0 + rng.uniform(1, 3), 12)
            p.dline(np.stack([c + rr * np.cos(t), c + rr * np.sin(t)], 1).round(), scale(col, 0.85), max(1, r * 0.03))
        if rng.random() < 0.3:  # butter / gravy -> background
            if rng.random() < 0.5:
                p.poly(rot_pts(rrect(r * 0.25, r * 0.2, 2), c, c, rng.uniform(0, 3)), (250, 225, 120), garnish=True)
            else:
                p.poly(blob(rng, c, c, r * 0.35, r * 0.3, 0.3), jit(rng, (110, 65, 35), 10), garnish=True)
        p.finish(rng, ctx.light, tex=0.06, dome=0.35, fine=0.02)
        return
    if style == 1:  # fries
        col = jit(rng, (235, 185, 75), 12)
        s = r * rng.uniform(0.08, 0.12)
        for (x, y) in scatter(rng, c, r, int(rng.integers(10, 30)), 0.7):
            a = rng.uniform(0, np.pi)
            L = s * rng.uniform(4, 8)
            cc = scale(col, rng.uniform(0.85, 1.1))
            pts = rot_pts(rrect(L, s, s * 0.2), x, y, a)
            p.poly(pts, cc)
            p.dline(pts, scale(cc, 0.75), 1, True)
            p.dline(rot_pts([[-L * 0.45, -s * 0.2], [L * 0.45, -s * 0.2]], x, y, a), mix(cc, (255, 240, 180), 0.4), 1)
        p.finish(rng, ctx.light, tex=0.08, dome=0.1)
        return
    s = r * rng.uniform(0.22, 0.32)
    for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 8)), s * 1.6):
        a = rng.uniform(0, 6.3)
        if style == 2:  # wedges
            col = jit(rng, (225, 165, 75), 12)
            t = np.linspace(-0.9, 0.9, 12)
            L = s * 2.2
            pts = np.vstack([np.stack([L * t / 2 / 0.9, -s * 0.5 * np.cos(t * 1.5)], 1), [[L * 0.5, s * 0.25], [-L * 0.5, s * 0.25]]])
            pp = rot_pts(pts, x, y, a)
            p.poly(pp, col)
            p.dline(rot_pts(pts[:12], x, y, a), (140, 85, 40), max(1, s * 0.12))
        elif style == 3:  # boiled
            col = jit(rng, (236, 215, 150), 10)
            p.poly(blob(rng, x, y, s, s * rng.uniform(0.7, 0.95), 0.15, 20, a), col)
            for q in range(3):
                p.dcirc(x + rng.uniform(-s, s) * 0.6, y + rng.uniform(-s, s) * 0.6, s * 0.15, (190, 150, 95))
            p.dcirc(x + lx * s * 0.3, y + ly * s * 0.3, s * 0.35, mix(col, (255, 250, 220), 0.4))
        else:  # roast chunks
            col = jit(rng, (215, 155, 70), 14)
            pts = blob(rng, x, y, s, s * 0.85, 0.4, 7, a)
            p.poly(pts, col)
            p.dline(pts, (150, 90, 40), max(1, s * 0.12), True)
            for q in range(4):
                p.dcirc(x + rng.uniform(-s, s) * 0.6, y + rng.uniform(-s, s) * 0.6, s * 0.1, (140, 85, 35))
    p.finish(rng, ctx.light, tex=0.1, dome=0.25, gloss=0.08)

def cube(rng, p, x, y, s, a, top, light, depth=0.35):
    """a block seen roughly from above: top face plus the two side faces towards the viewer's default 'down'"""
    sq = rot_pts(rrect(s, s * rng.uniform(0.8, 1.2), s * 0.08), x, y, a)
    d = np.int32([I(-light[0] * s * depth * 0.6), I(s * depth)])
    p.poly(sq + d, scale(top, 0.7))
    hull = cv2.convexHull(np.vstack([sq, sq + d]))
    p.poly(hull, scale(top, 0.78))
    p.poly(sq, top)

def f_tofu(ctx, p, r):
    rng, c = ctx.rng, p.c
    fried = rng.random() < 0.4
    top = jit(rng, (210, 150, 70) if fried else (245, 240, 222), 8)
    s = r * rng.uniform(0.22, 0.32) if rng.random() < 0.7 else r * 0.6
    k = 1 if s > r * 0.5 else int(rng.integers(3, 9))
    for (x, y) in arrangement(rng, c, r, k, s * 1.5):
        cube(rng, p, x, y, s, rng.uniform(0, 6.3), scale(top, rng.uniform(0.95, 1.05)), ctx.light)
    if rng.random() < 0.3:
        for (x, y) in p.points_inside(rng, int(rng.integers(5, 20))):
            p.line(cv2.ellipse2Poly((I(x), I(y)), (max(1, I(r * 0.025)), max(1, I(r * 0.02))), 0, 0, 360, 30),
                   (90, 160, 60), 1, garnish=True, closed=True)  # spring onion rings
    p.finish(rng, ctx.light, tex=0.05, fine=0.04, dome=0.1)

def grill(p, x, y, s, a, col, n=4):
    for k in range(n):
        u = (k - (n - 1) / 2) * s * 0.45
        p.dline(rot_pts([[u - s * 0.4, -s], [u + s * 0.4, s]], x, y, a + 0.6), col, max(1, s * 0.08))

def f_beef(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(5)
    if style == 0:  # steak
        col = jit(rng, (105, 58, 38), 12)
        a = rng.uniform(0, 6.3)
        pts = blob(rng, c, c, r * 0.8, r * 0.55, 0.25, 30, a)
        p.poly(pts, col)
        if rng.random() < 0.6:
            p.dline(pts[:12], (225, 200, 160), max(2, r * 0.06))
        grill(p, c, c, r * 0.35, a, (45, 25, 18), int(rng.integers(3, 6)))
        p.finish(rng, ctx.light, tex=0.14, cells=10, dome=0.2, gloss=0.15)
        return
    if style == 1:  # sliced steak fanned
        a = rng.uniform(0, 6.3)
        k = int(rng.integers(4, 9))
        w = r * rng.uniform(0.14, 0.22)
        for i in range(k):
            u = (i - (k - 1) / 2) * w * 0.95
            pts = rot_pts(rrect(w * 1.1, r * rng.uniform(0.9, 1.3), w * 0.3), c, c, a)
            pts = pts + np.int32(rot_pts([[u, 0]], 0, 0, a)[0])
            p.poly(pts, jit(rng, (95, 55, 35), 8))
            inner = rot_pts(rrect(w * 0.8, r * 0.9, w * 0.3), c, c, a) + np.int32(rot_pts([[u, 0]], 0, 0, a)[0])
            p.dpoly(inner, jit(rng, (190, 85, 80) if rng.random() < 0.6 else (150, 85, 65), 10))
        p.finish(rng, ctx.light, tex=0.1, dome=0.1, gloss=0.2)
        return
    if style == 2:  # mince
        col = jit(rng, (110, 65, 40), 12)
        for (x, y) in scatter(rng, c, r, int(np.clip(r * 4, 60, 400)), 0.75):
            s = r * rng.uniform(0.04, 0.08)
            p.poly(blob(rng, x, y, s, s * 0.8, 0.5, 7, rng.uniform(0, 6)), scale(col, rng.uniform(0.6, 1.25)))
        p.finish(rng, ctx.light, tex=0.05, dome=0.3, gloss=0.1)
        return
    if style == 3:  # stew chunks
        for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 9)), r * 0.4):
            s = r * rng.uniform(0.18, 0.28)
            pts = blob(rng, x, y, s, s * 0.9, 0.35, 8, rng.uniform(0, 6))
            p.poly(pts, jit(rng, (80, 45, 30), 10))
            p.dline(pts, (55, 30, 20), 1, True)
        p.finish(rng, ctx.light, tex=0.12, cells=10, dome=0.3, gloss=0.35)
        return
    # thin slices (bulgogi / roast beef)
    for (x, y) in scatter(rng, c, r, int(rng.integers(4, 10)), 0.6):
        s = r * rng.uniform(0.25, 0.4)
        a = rng.uniform(0, 6.3)
        pts = blob(rng, x, y, s, s * 0.45, 0.3, 16, a, hf=0.05)
        col = jit(rng, (125, 70, 50) if rng.random() < 0.6 else (170, 95, 85), 10)
        p.poly(pts, col)
        p.dline(pts, scale(col, 0.7), max(1, s * 0.08), True)
    p.finish(rng, ctx.light, tex=0.12, dome=0.15, gloss=0.25)

def f_chicken(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(4)
    if style == 0:  # breast / thigh fillet
        col = jit(rng, (215, 170, 110), 12)
        a = rng.uniform(0, 6.3)
        pts = blob(rng, c, c, r * 0.8, r * 0.5, 0.25, 30, a)
        p.poly(pts, col)
        if rng.random() < 0.5:
            grill(p, c, c, r * 0.35, a, (120, 70, 30), int(rng.integers(3, 6)))
        else:
            for (x, y) in p.points_inside(rng, 6):
                p.dcirc(x, y, r * 0.12, (185, 120, 55))
        p.finish(rng, ctx.light, tex=0.15, cells=8, dome=0.2, gloss=0.1)
    elif style == 1:  # drumsticks
        for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 4)), r * 0.6):
            a = rng.uniform(0, 6.3)
            s = r * rng.uniform(0.28, 0.38)
            col = jit(rng, (195, 125, 55), 14)
            bulb = blob(rng, 0, 0, s, s * 0.75, 0.1, 20)
            shaft = np.array([[s * 0.6, -s * 0.35], [s * 2.0, -s * 0.18], [s * 2.0, s * 0.18], [s * 0.6, s * 0.35]])
            p.poly(rot_pts(shaft, x, y, a), col)
            p.poly(rot_pts(bulb, x, y, a), col)
            p.circ(*rot_pts([[s * 2.1, 0]], x, y, a)[0], s * 0.22, (200, 150, 80))
            p.dcirc(*rot_pts([[-s * 0.2, -s * 0.2]], x, y, a)[0], s * 0.35, mix(col, (240, 200, 120), 0.3))
        p.finish(rng, ctx.light, tex=0.18, cells=10, dome=0.3, gloss=0.2)
    elif style == 2:  # fried pieces / nuggets
        col = jit(rng, (205, 140, 55), 14)
        for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 9)), r * 0.45):
            s = r * rng.uniform(0.16, 0.26)
            pts = blob(rng, x, y, s, s * 0.8, 0.45, 12, rng.uniform(0, 6), hf=0.08)
            p.poly(pts, scale(col, rng.uniform(0.85, 1.1)))
            p.dline(pts, scale(col, 0.7), 1, True)
        p.finish(rng, ctx.light, tex=0.12, cells=14, dome=0.3, fine=0.08)
    else:  # sliced breast
        a = rng.uniform(0, 6.3)
        k = int(rng.integers(3, 8))
        w = r * rng.uniform(0.15, 0.22)
        for i in range(k):
            u = (i - (k - 1) / 2) * w * 0.9
            off = np.int32(rot_pts([[u, 0]], 0, 0, a)[0])
            p.poly(rot_pts(rrect(w * 1.1, r * rng.uniform(0.8, 1.2), w * 0.5), c, c, a) + off, (190, 130, 70))
            p.dpoly(rot_pts(rrect(w * 0.85, r * 0.75, w * 0.4), c, c, a) + off, jit(rng, (240, 225, 195), 6))
        p.finish(rng, ctx.light, tex=0.08, dome=0.1)

def f_salmon(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(3)
    if style == 0:  # fillet
        cooked = rng.random() < 0.6
        col = jit(rng, (235, 150, 110) if cooked else (250, 125, 75), 10)
        a = rng.uniform(0, 6.3)
        L, W = r * rng.uniform(1.2, 1.7), r * rng.uniform(0.6, 0.9)
        pts = rot_pts(rrect(L, W, W * 0.3) * [1, 1] + 0, c, c, a)
        p.poly(pts, col)
        if rng.random() < 0.5:  # skin edge
            p.dline(rot_pts([[-L / 2, W / 2], [L / 2, W / 2]], c, c, a), (90, 80, 80), max(2, W * 0.08))
        for k in range(int(rng.integers(4, 8))):
            u = (k / 6 - 0.5) * L
            p.dline(rot_pts([[u, -W / 2], [u + W * 0.3, 0], [u, W / 2]], c, c, a), mix(col, (255, 235, 215), 0.5),
                    max(1, r * 0.025))
        if cooked:
            for (x, y) in p.points_inside(rng, 5):
                p.dcirc(x, y, r * 0.15, mix(col, (170, 90, 50), 0.5))
        p.finish(rng, ctx.light, tex=0.12, dome=0.2, gloss=0.15)
        return
    if style == 1:  # sashimi slices
        col = jit(rng, (250, 120, 65), 10)
        a = rng.uniform(0, 6.3)
        k = int(rng.integers(3, 7))
        w = r * rng.uniform(0.2, 0.3)
        for i in range(k):
            u = (i - (k - 1) / 2) * w * 0.8
            off = np.int32(rot_pts([[u, 0]], 0, 0, a)[0])
            p.poly(rot_pts(rrect(w, r * 0.9, w * 0.15), c, c, a) + off, scale(col, rng.uniform(0.95, 1.05)))
            for q in range(5):
                v = (q / 4 - 0.5) * r * 0.75
                p.dline(rot_pts([[-w / 2, v], [w / 2, v + w * 0.3]], c, c, a) + off, mix(col, (255, 230, 210), 0.6), 1)
            p.dline(rot_pts([[-w / 2, -r * 0.45], [-w / 2, r * 0.45]], c, c, a) + off, scale(col, 0.8), 1)
        p.finish(rng, ctx.light, tex=0.06, dome=0.1, gloss=0.35)
        return
    # smoked salmon ribbons
    col = jit(rng, (245, 125, 90), 10)
    for (x, y) in scatter(rng, c, r, int(rng.integers(3, 7)), 0.55):
        s = r * rng.uniform(0.3, 0.45)
        a = rng.uniform(0, 6.3)
        pts = blob(rng, x, y, s, s * 0.5, 0.35, 18, a, hf=0.06)
        p.poly(pts, scale(col, rng.uniform(0.9, 1.08)))
        p.dline(pts, scale(col, 0.75), 1, True)
        for q in range(3):
            p.dline(rot_pts([[-s * 0.6, (q - 1) * s * 0.2], [s * 0.6, (q - 1) * s * 0.2 + s * 0.1]], x, y, a),
                    mix(col, (255, 220, 200), 0.4), 1)
    p.finish(rng, ctx.light, tex=0.08, dome=0.2, gloss=0.25)

def f_egg(ctx, p, r):
    rng, c = ctx.rng, p.c
    k = 1 if rng.random() < 0.75 else 2
    for (x, y) in scatter(rng, c, r, k, 0.3 * (k - 1)):
        s = r * (0.85 if k == 1 else 0.55)
        pts = blob(rng, x, y, s, s * rng.uniform(0.7, 0.95), 0.3, 36, rng.uniform(0, 6), hf=0.04)
        p.poly(pts, jit(rng, (250, 250, 246), 3))
        if rng.random() < 0.5:
            p.dline(pts, (200, 150, 90), max(1, s * 0.06), True)
        yx, yy = x + rng.uniform(-0.2, 0.2) * s, y + rng.uniform(-0.2, 0.2) * s
        ys = s * rng.uniform(0.28, 0.38)
        yc = jit(rng, (250, 175, 20) if rng.random() < 0.7 else (245, 205, 110), 8)
        p.dcirc(yx, yy, ys * 1.15, (245, 240, 215))
        p.dcirc(yx, yy, ys, yc)
        if rng.random() < 0.15:
            p.dpoly(blob(rng, yx + ys, yy, ys * 0.9, ys * 0.5, 0.4), yc)
        lx, ly = ctx.light
        p.dcirc(yx + lx * ys * 0.4, yy + ly * ys * 0.4, max(1, ys * 0.22), mix(yc, (255, 255, 255), 0.7))
    if rng.random() < 0.25:  # pepper / herbs -> background
        for (x, y) in p.points_inside(rng, int(rng.integers(5, 20))):
            p.circ(x, y, max(1, r * 0.015), (40, 40, 35) if rng.random() < 0.6 else (60, 130, 40), garnish=True)
    p.finish(rng, ctx.light, tex=0.04, dome=0.15, gloss=0.1)

def f_broccoli(ctx, p, r):
    rng, c = ctx.rng, p.c
    base = jit(rng, (55, 110, 40), 12)
    for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 7)), r * 0.5):
        s = r * rng.uniform(0.22, 0.34)
        a = rng.uniform(0, 6.3)
        stalk = rot_pts(np.array([[0, -s * 0.25], [s * 1.4, -s * 0.15], [s * 1.4, s * 0.15], [0, s * 0.25]]), x, y, a)
        p.poly(stalk, jit(rng, (160, 195, 110), 8))
        p.circ(x, y, s, scale(base, 0.55))
        for q in range(int(14 + s)):
            d = s * math.sqrt(rng.uniform(0, 1)) * 0.85
            b = rng.uniform(0, 6.3)
            p.circ(x + d * math.cos(b), y + d * math.sin(b), s * rng.uniform(0.18, 0.3),
                   mix(scale(base, rng.uniform(0.75, 1.25)), (120, 150, 60), rng.uniform(0, 0.3)))
    p.finish(rng, ctx.light, tex=0.1, cells=12, dome=0.35, fine=0.1)

def f_small_round(ctx, p, r, col, spread, size, k, hl=0.5, crown=None):
    rng, c = ctx.rng, p.c
    lx, ly = ctx.light
    for (x, y) in scatter(rng, c, r, k, spread):
        s = size * rng.uniform(0.85, 1.15)
        cc = scale(col, rng.uniform(0.85, 1.12))
        p.circ(x, y, s, scale(cc, 0.75))
        p.dcirc(x + lx * s * 0.15, y + ly * s * 0.15, s * 0.8, cc)
        p.dcirc(x + lx * s * 0.4, y + ly * s * 0.4, max(1, s * 0.25), mix(cc, (255, 255, 255), hl))
        if crown is not None and rng.random() < 0.6:
            p.dcirc(x - lx * s * 0.2, y - ly * s * 0.2, max(1, s * 0.25), crown)

def f_peas(ctx, p, r):
    rng = ctx.rng
    size = max(1.5, r * rng.uniform(0.05, 0.08))
    k = int(np.clip((r / size) ** 2 * rng.uniform(0.3, 0.8), 8, 250))
    f_small_round(ctx, p, r, jit(rng, (105, 175, 55), 12), rng.uniform(0.5, 0.85), size, k, 0.45)
    p.finish(rng, ctx.light, tex=0.05)

def f_corn(ctx, p, r):
    rng, c = ctx.rng, p.c
    col = jit(rng, (250, 205, 60), 10)
    if rng.random() < 0.35:  # cob
        a = rng.uniform(0, 6.3)
        L, W = r * rng.uniform(1.0, 1.6), r * rng.uniform(0.45, 0.6)
        p.poly(rot_pts(rrect(L, W, W * 0.45), c, c, a), scale(col, 0.7))
        ks = max(2.0, W / 7)
        for i in np.arange(-L / 2 + ks, L / 2 - ks * 0.5, ks * 1.05):
            for j in np.arange(-W / 2 + ks * 0.8, W / 2 - ks * 0.5, ks * 1.05):
                ww = W / 2 * math.sqrt(max(0.0, 1 - (max(0, abs(i) - (L / 2 - W / 2)) / (W / 2)) ** 2))
                if abs(j) < ww - ks * 0.5:
                    cx_, cy_ = rot_pts([[i, j]], c, c, a)[0]
                    p.dell(cx_, cy_, ks * 0.5, ks * 0.45, math.degrees(a), scale(col, rng.uniform(0.9, 1.1) * (1 - 0.25 * (abs(j) / (W / 2)) ** 2)))
        if rng.random() < 0.5:
            for (x, y) in p.points_inside(rng, 6):
                p.dcirc(x, y, ks * 0.7, (120, 80, 30))
        p.finish(rng, ctx.light, tex=0.05, dome=0.3, gloss=0.15)
        return
    size = max(1.5, r * rng.uniform(0.05, 0.08))
    k = int(np.clip((r / size) ** 2 * rng.uniform(0.3, 0.8), 8, 250))
    for (x, y) in scatter(rng, c, r, k, rng.uniform(0.5, 0.85)):
        cc = scale(col, rng.uniform(0.85, 1.1))
        pts = rot_pts(rrect(size * 2, size * 1.6, size * 0.6), x, y, rng.uniform(0, 6.3))
        p.poly(pts, scale(cc, 0.8))
        p.dcirc(x + ctx.light[0] * size * 0.2, y + ctx.light[1] * size * 0.2, size * 0.6, cc)
        p.dcirc(x + ctx.light[0] * size * 0.4, y + ctx.light[1] * size * 0.4, max(1, size * 0.2), (255, 245, 200))
    p.finish(rng, ctx.light, tex=0.04)

def f_sauce_like(ctx, p, r, col, chunks, gloss, garn_cols, garn_k, rx=0.85):
    rng, c = ctx.rng, p.c
    pts = blob(rng, c, c, r * rx, r * rx * rng.uniform(0.6, 1.0), 0.3, 36, rng.uniform(0, 6), hf=0.03)
    p.poly(pts, col)
    p.dline(pts, scale(col, 0.85), max(1, r * 0.04), True)
    for (x, y) in p.points_inside(rng, chunks):
        s = r * rng.uniform(0.06, 0.16)
        cc = [(230, 180, 80), (235, 120, 40), (120, 70, 40), (col[0] * 1.1, col[1] * 1.1, col[2] * 1.1)][rng.integers(4)]
        p.poly(blob(rng, x, y, s, s * 0.85, 0.3, 8, rng.uniform(0, 6)), mix(cc, col, 0.35))
    for (x, y) in p.points_inside(rng, garn_k):  # chopped herbs / pepper: tiny irregular flecks
        s = max(1.0, r * rng.uniform(0.006, 0.016))
        p.poly(blob(rng, x, y, s * 1.5, s, 0.5, 6, rng.uniform(0, 6)), garn_cols[rng.integers(len(garn_cols))], garnish=True)
    p.finish(rng, ctx.light, tex=0.06, cells=5, dome=0.15, gloss=gloss)

def f_curry(ctx, p, r):
    rng = ctx.rng
    col = jit(rng, [(200, 130, 40), (150, 90, 40), (175, 110, 30), (160, 165, 80), (195, 85, 40), (120, 70, 35)][
        rng.integers(6)], 10)
    f_sauce_like(ctx, p, r, col, int(rng.integers(0, 12)), 0.3, [(60, 130, 40), (245, 245, 240)],
                 int(rng.integers(0, 8)) if rng.random() < 0.3 else 0)

def f_tsauce(ctx, p, r):
    rng = ctx.rng
    col = jit(rng, (185, 40, 25), 12)
    f_sauce_like(ctx, p, r, col, 0, 0.35, [(50, 110, 35), (70, 130, 40)],
                 int(rng.integers(0, 15)) if rng.random() < 0.5 else 0, rx=rng.uniform(0.6, 0.85))

def f_csauce(ctx, p, r):
    rng = ctx.rng
    col = jit(rng, (240, 228, 195), 6)
    f_sauce_like(ctx, p, r, col, 0, 0.25, [(40, 40, 35), (60, 130, 40)],
                 int(rng.integers(0, 20)) if rng.random() < 0.5 else 0, rx=rng.uniform(0.6, 0.85))

def f_bread(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(5)
    lx, ly = ctx.light
    if style in (0, 1):  # slice or toast
        for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 3)), r * 0.6):
            s = r * rng.uniform(0.5, 0.7)
            a = rng.uniform(0, 6.3)
            sq = rrect(s * 1.5, s * 1.3, s * 0.15)
            top = np.array([[s * 0.75 * math.cos(t) * 1.05, -s * 0.65 - s * 0.35 * math.sin(t)] for t in np.linspace(0, np.pi, 10)])
            body = np.vstack([sq[sq[:, 1] > 0], top])
            hull = cv2.convexHull(rot_pts(body, x, y, a))
            crust = jit(rng, (170, 105, 45), 12)
            crumb = jit(rng, (240, 215, 160) if style == 0 else (205, 145, 65), 12)
            p.poly(hull, crust)
            inner = cv2.convexHull(rot_pts(body * 0.86, x, y, a))
            p.dpoly(inner, crumb)
            for q in range(int(s * 0.6)):
                px_, py_ = x + rng.uniform(-0.5, 0.5) * s, y + rng.uniform(-0.5, 0.5) * s
                p.dell(px_, py_, s * rng.uniform(0.01, 0.04), s * rng.uniform(0.01, 0.03), rng.uniform(0, 180),
                       scale(crumb, 0.8))
        p.finish(rng, ctx.light, tex=0.1, cells=10, dome=0.1, fine=0.05)
    elif style == 2:  # rolls
        for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 4)), r * 0.7):
            s = r * rng.uniform(0.3, 0.45)
            a = rng.uniform(0, 6.3)
            col = jit(rng, (185, 115, 50), 14)
            p.ell(x, y, s, s * rng.uniform(0.65, 0.9), math.degrees(a), col)
            p.dell(x + lx * s * 0.2, y + ly * s * 0.2, s * 0.6, s * 0.4, math.degrees(a), mix(col, (235, 180, 110), 0.4))
            if rng.random() < 0.7:
                for q in range(int(rng.integers(1, 4))):
                    u = (q - 1) * s * 0.35
                    p.dline(rot_pts([[u - s * 0.1, -s * 0.4], [u + s * 0.1, s * 0.4]], x, y, a), (240, 215, 165), max(1, s * 0.06))
        p.finish(rng, ctx.light, tex=0.1, dome=0.35, gloss=0.1)
    elif style == 3:  # baguette slices
        for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 6)), r * 0.5):
            s = r * rng.uniform(0.22, 0.3)
            a = rng.uniform(0, 180)
            p.ell(x, y, s * 1.3, s, a, jit(rng, (175, 110, 45), 10))
            p.dell(x, y, s * 1.15, s * 0.85, a, jit(rng, (240, 220, 170), 8))
            for q in range(8):
                p.dcirc(x + rng.uniform(-0.7, 0.7) * s, y + rng.uniform(-0.5, 0.5) * s, s * rng.uniform(0.04, 0.12), (205, 180, 130))
        p.finish(rng, ctx.light, tex=0.08, dome=0.1)
    else:  # flatbread / naan
        col = jit(rng, (235, 205, 150), 10)
        pts = blob(rng, c, c, r * 0.85, r * rng.uniform(0.55, 0.8), 0.25, 30, rng.uniform(0, 6))
        p.poly(pts, col)
        for (x, y) in p.points_inside(rng, int(rng.integers(8, 25))):
            s = r * rng.uniform(0.03, 0.09)
            p.dell(x, y, s, s * 0.7, rng.uniform(0, 180), (150, 95, 45) if rng.random() < 0.7 else (60, 45, 35))
        p.finish(rng, ctx.light, tex=0.12, dome=0.1)

def f_strawberry(ctx, p, r):
    rng, c = ctx.rng, p.c
    lx, ly = ctx.light
    halved = rng.random() < 0.35
    for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 7)), r * 0.5):
        s = r * rng.uniform(0.2, 0.32)
        a = rng.uniform(0, 6.3)
        t = np.linspace(0, 2 * np.pi, 30, endpoint=False)
        xs = s * np.sin(t) * (0.75 + 0.25 * np.cos(t))
        ys = -s * np.cos(t) * 1.1
        pts = rot_pts(np.stack([xs, ys], 1), x, y, a)
        red = jit(rng, (210, 30, 40), 14)
        p.poly(pts, red)
        if halved and rng.random() < 0.8:
            p.dpoly(rot_pts(np.stack([xs * 0.82, ys * 0.85], 1), x, y, a), (245, 120, 120))
            p.dpoly(rot_pts(np.stack([xs * 0.35, ys * 0.55 - s * 0.2], 1), x, y, a), (250, 215, 205))
        else:
            for q in range(int(s * 0.8) + 6):
                u, v = rng.uniform(-0.6, 0.6) * s, rng.uniform(-0.8, 0.9) * s
                if abs(u) < s * 0.6 * (1 - 0.3 * (v / s)):
                    p.dcirc(*rot_pts([[u, v]], x, y, a)[0], max(1, s * 0.04), (240, 215, 110))
            p.dcirc(x + lx * s * 0.35, y + ly * s * 0.35, max(1, s * 0.18), mix(red, (255, 255, 255), 0.5))
            if rng.random() < 0.7:  # calyx (leafy top) - part of the strawberry
                for q in range(6):
                    b = q * np.pi / 3 + rng.uniform(-0.2, 0.2)
                    tip = rot_pts([[0, s * 1.05], [s * 0.35 * math.cos(b), s * 1.05 + s * 0.35 * math.sin(b) * 0.6]], x, y, a + np.pi)
                    p.line(tip, jit(rng, (60, 135, 45), 10), max(1, s * 0.12))
    p.finish(rng, ctx.light, tex=0.05, dome=0.25, gloss=0.2)

def f_blueberry(ctx, p, r):
    rng = ctx.rng
    size = max(1.8, r * rng.uniform(0.08, 0.12))
    k = int(np.clip((r / size) ** 2 * rng.uniform(0.2, 0.6), 4, 120))
    f_small_round(ctx, p, r, jit(rng, (60, 60, 105), 10), rng.uniform(0.4, 0.8), size, k, 0.35, crown=(35, 30, 55))
    p.finish(rng, ctx.light, tex=0.05)

def f_orange(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(4)
    oc = jit(rng, (245, 140, 20), 10)
    flesh = jit(rng, (250, 160, 40), 10)
    if style == 0:  # slices / halves
        k = int(rng.integers(1, 5))
        for (x, y) in arrangement(rng, c, r, k, r * 0.6):
            s = r * (rng.uniform(0.3, 0.45) if k > 1 else 0.7)
            p.circ(x, y, s, oc)
            p.dcirc(x, y, s * 0.9, (250, 235, 200))
            p.dcirc(x, y, s * 0.84, flesh)
            ns = int(rng.integers(8, 12))
            for j in range(ns):
                b = 2 * np.pi * j / ns
                p.dline(np.array([[x, y], [x + s * 0.84 * math.cos(b), y + s * 0.84 * math.sin(b)]]).round(), (250, 215, 160), max(1, s * 0.03))
            p.dcirc(x, y, s * 0.1, (250, 225, 180))
    elif style == 1:  # segments
        for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 9)), r * 0.4):
            s = r * rng.uniform(0.28, 0.38)
            a = rng.uniform(0, 6.3)
            t = np.linspace(0, np.pi, 14)
            pts = np.vstack([np.stack([s * np.cos(t), -s * 0.8 * np.sin(t)], 1),
                             np.stack([s * np.cos(t[::-1]) * 0.95, -s * 0.25 * np.sin(t[::-1])], 1)])
            pp = rot_pts(pts, x, y, a)
            p.poly(pp, flesh if rng.random() < 0.6 else mix(flesh, (250, 220, 170), 0.4))
            p.dline(pp, (250, 210, 150), 1, True)
            for q in range(4):
                p.dline(rot_pts([[(q - 1.5) * s * 0.35, -s * 0.1], [(q - 1.5) * s * 0.4, -s * 0.45]], x, y, a), mix(flesh, (255, 230, 180), 0.5), 1)
    elif style == 2:  # whole / wedges with rind
        for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 3)), r * 0.8):
            s = r * rng.uniform(0.45, 0.7)
            p.circ(x, y, s, oc)
            p.dcirc(x + ctx.light[0] * s * 0.35, y + ctx.light[1] * s * 0.35, s * 0.25, mix(oc, (255, 230, 180), 0.5))
            p.dcirc(x, y, max(1, s * 0.05), (110, 110, 40))
        p.finish(rng, ctx.light, tex=0.06, cells=20, dome=0.35, fine=0.06)
        return
    else:  # wedges
        for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 6)), r * 0.5):
            s = r * rng.uniform(0.35, 0.5)
            a = rng.uniform(0, 6.3)
            t = np.linspace(-1.0, 1.0, 14)
            outer = np.stack([s * np.sin(t), -s * 0.5 * np.cos(t)], 1)
            pts = rot_pts(np.vstack([outer, [[s * 0.84, s * 0.05], [-s * 0.84, s * 0.05]]]), x, y, a)
            p.poly(pts, oc)
            p.dpoly(rot_pts(np.vstack([outer * 0.85, [[s * 0.7, s * 0.02], [-s * 0.7, s * 0.02]]]), x, y, a), flesh)
    p.finish(rng, ctx.light, tex=0.06, dome=0.15, gloss=0.2)

def f_mushroom(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(4)
    cap = jit(rng, [(230, 220, 200), (160, 120, 85), (120, 85, 60), (200, 180, 150)][rng.integers(4)], 10)
    cooked = rng.random() < 0.5
    if cooked:
        cap = scale(cap, 0.7)
    for (x, y) in arrangement(rng, c, r, int(rng.integers(2, 8)), r * 0.45):
        s = r * rng.uniform(0.18, 0.28)
        a = rng.uniform(0, 6.3)
        if style in (0, 1):  # sliced profile
            t = np.linspace(0, np.pi, 14)
            capp = np.stack([s * np.cos(t), -s * 0.1 - s * 0.7 * np.sin(t)], 1)
            stem = np.array([[-s * 0.3, -s * 0.1], [-s * 0.32, s * 0.8], [s * 0.32, s * 0.8], [s * 0.3, -s * 0.1]])
            flesh = jit(rng, (230, 215, 185) if not cooked else (170, 130, 85), 8)
            p.poly(rot_pts(capp, x, y, a), scale(cap, 0.85))
            p.poly(rot_pts(stem, x, y, a), scale(cap, 0.85))
            p.dpoly(rot_pts(capp * 0.85, x, y, a), flesh)
            p.dpoly(rot_pts(stem * [0.75, 0.95], x, y, a), flesh)
        elif style == 2:  # whole button, from above
            p.circ(x, y, s, scale(cap, 0.8))
            p.dcirc(x + ctx.light[0] * s * 0.15, y + ctx.light[1] * s * 0.15, s * 0.8, cap)
            if rng.random() < 0.4:  # turned over: gills
                p.dcirc(x, y, s * 0.75, (110, 85, 65))
                for j in range(16):
                    b = j * np.pi / 8
                    p.dline(np.array([[x, y], [x + s * 0.75 * math.cos(b), y + s * 0.75 * math.sin(b)]]).round(), (80, 60, 45), 1)
                p.dcirc(x, y, s * 0.25, (215, 200, 175))
        else:  # shiitake / cap with cracks
            p.circ(x, y, s, jit(rng, (100, 70, 45), 8))
            for j in range(4):
                b = rng.uniform(0, 6.3)
                p.dline(np.array([[x + s * 0.2 * math.cos(b), y + s * 0.2 * math.sin(b)], [x + s * 0.8 * math.cos(b + 0.2), y + s * 0.8 * math.sin(b + 0.2)]]).round(), (190, 160, 120), 1)
    p.finish(rng, ctx.light, tex=0.08, dome=0.25, gloss=0.15 if cooked else 0)

def f_cheese(ctx, p, r):
    rng, c = ctx.rng, p.c
    style = rng.integers(5)
    col = jit(rng, [(250, 210, 80), (240, 160, 45), (250, 235, 170), (245, 240, 225)][rng.integers(4)], 8)
    if style == 0:  # slices (possibly with holes)
        for (x, y) in arrangement(rng, c, r, int(rng.integers(1, 4)), r * 0.6):
            s = r * rng.uniform(0.5, 0.75)
            a = rng.uniform(0, 6.3)
            tri = rng.random() < 0.3
            pts = rot_pts(np.array([[-s / 2, -s / 2], [s / 2, -s / 2], [-s / 2, s / 2]]) if tri else rrect(s, s * rng.uniform(0.8, 1), 2), x, y, a)
            p.poly(pts, col)
            p.dline(pts, scale(col, 0.85), 1, True)
            if rng.random() < 0.4:
                for q in range(int(rng.integers(2, 6))):
                    p.erase_circ(x + rng.uniform(-0.3, 0.3) * s, y + rng.uniform(-0.3, 0.3) * s, s * rng.uniform(0.04, 0.1))
        p.finish(rng, ctx.light, tex=0.04)
    elif style == 1:  # cubes
        for (x, y) in arrangement(rng, c, r, int(rng.integers(3, 10)), r * 0.35):
            cube(rng, p, x, y, r * rng.uniform(0.16, 0.24), rng.uniform(0, 6.3), scale(col, rng.uniform(0.95, 1.05)), ctx.light)
        p.finish(rng, ctx.light, tex=0.04, fine=0.03)
    elif style == 2:  # grated
        for (x, y) in scatter(rng, c, r, int(np.clip(r * 3, 40, 300)), rng.uniform(0.5, 0.8)):
            a = rng.uniform(0, np.pi)
            L = r * rng.uniform(0.05, 0.14)
            p.line(np.array([[x - L * math.cos(a), y - L * math.sin(a)], [x + L * math.cos(a), y + L * math.sin(a)]]).round().astype(np.int32),
                   scale(col, rng.uniform(0.85, 1.1)), max(1.2, r * 0.03))
        p.finish(rng, ctx.light, tex=0.03, dome=0.2)
    elif style == 3:  # melted
        pts = blob(rng, c, c, r * 0.8, r * rng.uniform(0.5, 0.8), 0.4, 36, rng.uniform(0, 6), hf=0.05)
        p.poly(pts, col)
        for (x, y) in p.points_inside(rng, int(rng.integers(3, 12))):
            p.dcirc(x, y, r * rng.uniform(0.03, 0.08), mix(col, (170, 100, 40), 0.5))
        p.finish(rng, ctx.light, tex=0.06, dome=0.15, gloss=0.35)
    else:  # crumbles / shavings
        for (x, y) in scatter(rng, c, r, int(rng.integers(8, 30)), 0.7):
            s = r * rng.uniform(0.06, 0.14)
            p.poly(blob(rng, x, y, s, s * 0.7, 0.5, 7, rng.uniform(0, 6)), scale(col, rng.uniform(0.9, 1.05)))
        p.finish(rng, ctx.light, tex=0.05, dome=0.2)


FOODS = {1: f_rice, 2: f_noodles, 3: f_lettuce, 4: f_tomato, 5: f_cucumber, 6: f_carrot, 7: f_potato, 8: f_tofu,
         9: f_beef, 10: f_chicken, 11: f_salmon, 12: f_egg, 13: f_broccoli, 14: f_peas, 15: f_corn, 16: f_curry,
         17: f_tsauce, 18: f_csauce, 19: f_bread, 20: f_strawberry, 21: f_blueberry, 22: f_orange, 23: f_mushroom,
         24: f_cheese}
BASES = {1, 2, 3, 7, 16}
TOPPINGS = {17, 18, 24, 12}

# ----------------------------------------------------------------------------------------------- non-food things
def d_distractor(ctx, cx, cy, r):
    """foods that are not in the list (labelled background): lemon, sausage, parsley, olives, pickled ginger"""
    rng, p = ctx.rng, Patch(r)
    c = p.c
    kind = rng.integers(5)
    if kind == 0:
        for (x, y) in scatter(rng, c, r, int(rng.integers(1, 3)), 0.4):
            s, a = r * 0.5, rng.uniform(0, 6.3)
            t = np.linspace(-1.0, 1.0, 14)
            p.poly(rot_pts(np.vstack([np.stack([s * np.sin(t), -s * 0.5 * np.cos(t)], 1), [[s * 0.84, s * 0.05], [-s * 0.84, s * 0.05]]]), x, y, a), (245, 225, 60))
            p.dpoly(rot_pts(np.stack([s * 0.8 * np.sin(t), -s * 0.4 * np.cos(t)], 1), x, y, a), (250, 240, 150))
    elif kind == 1:
        for (x, y) in scatter(rng, c, r, int(rng.integers(1, 4)), 0.5):
            p.poly(rot_pts(rrect(r * 0.9, r * 0.25, r * 0.12), x, y, rng.uniform(0, 6.3)), jit(rng, (150, 75, 45), 12))
    elif kind == 2:
        for (x, y) in scatter(rng, c, r, int(rng.integers(1, 3)), 0.3):  # parsley / herb sprig
            col = jit(rng, (60, 135, 40), 12)
            for k in range(int(rng.integers(4, 9))):
                a = rng.uniform(0, 6.3)
                ex, ey = x + r * 0.5 * math.cos(a), y + r * 0.5 * math.sin(a)
                p.line(np.array([[x, y], [ex, ey]]).round().astype(np.int32), scale(col, 0.9), max(1, r * 0.03))
                for q in range(3):
                    leaf(rng, p, ex + r * 0.08 * math.cos(a + q - 1), ey + r * 0.08 * math.sin(a + q - 1), r * 0.16, a + q - 1, col, 0.3)
    elif kind == 3:
        for (x, y) in scatter(rng, c, r, int(rng.integers(3, 9)), 0.6):
            s = r * 0.15
            p.ell(x, y, s * 1.2, s, rng.uniform(0, 180), (45, 40, 35) if rng.random() < 0.5 else (90, 100, 40))
            p.dcirc(x + s * 0.3, y - s * 0.3, max(1, s * 0.2), (200, 200, 190))
    else:
        for (x, y) in scatter(rng, c, r, int(rng.integers(3, 7)), 0.4):
            p.poly(blob(rng, x, y, r * 0.3, r * 0.18, 0.3, 10, rng.uniform(0, 6)), (245, 190, 180))
    p.finish(rng, ctx.light, tex=0.06, dome=0.2, gloss=0.15)
    ctx.paste(p, cx, cy, 0, shadow=0.6)

def dish(ctx, cx, cy, R, kind):
    """draws a plate / bowl / tray and returns a list of (x, y, r) places for food"""
    rng = ctx.rng
    pal = [(246, 246, 242), (240, 236, 225), (235, 240, 245), (40, 40, 42), (70, 90, 120), (180, 60, 50),
           (200, 170, 120), (120, 140, 110), (225, 205, 175), (150, 150, 155)]
    base = jit(rng, pal[rng.integers(len(pal))] if rng.random() < 0.6 else pal[0], 6)
    ar = 1.0 if kind in ("round", "bowl", "deep") else rng.uniform(0.6, 0.85)
    if kind in ("bowl", "deep") and ctx.tant > 0.05:  # outer wall seen from the side: rim is raised
        sh = min(R * rng.uniform(0.3, 0.6) * (1.4 if kind == "deep" else 1.0) * ctx.tant, R * 0.9)
        sx, sy = ctx.away[0] * sh, ctx.away[1] * sh
        q = Patch(R + sh)
        qc = q.c
        base_c = cv2.ellipse2Poly((I(qc - sx / 2), I(qc - sy / 2)), (I(R * 0.6), I(R * 0.6)), 0, 0, 360, 6)
        rim_c = cv2.ellipse2Poly((I(qc + sx / 2), I(qc + sy / 2)), (I(R), I(R)), 0, 0, 360, 6)
        q.poly(cv2.convexHull(np.vstack([base_c, rim_c])), scale(base, 0.8))
        n = q.n
        yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
        lam = ((xx - qc) * ctx.light[0] + (yy - qc) * ctx.light[1]) / (R + sh)
        q.col *= (0.9 + 0.25 * np.clip(lam, -1, 1))[..., None]
        q.finish(rng, ctx.light, tex=0.02)
        ctx.paste(q, cx, cy, 0, shadow=1.0, height=3.0)
        cx, cy = cx + sx / 2, cy + sy / 2
    p = Patch(R * 1.05)
    c = p.c
    ang = rng.uniform(0, np.pi) if kind != "round" else 0.0
    if kind in ("round", "bowl", "deep"):
        outer = cv2.ellipse2Poly((I(c), I(c)), (I(R), I(R)), 0, 0, 360, 4)
        rim = rng.uniform(0.75, 0.85) if kind == "round" else rng.uniform(0.86, 0.93)
    elif kind == "oval":
        outer = cv2.ellipse2Poly((I(c), I(c)), (I(R), I(R * ar)), I(math.degrees(ang)), 0, 360, 4)
        rim = rng.uniform(0.78, 0.88)
    else:  # square plate, tray, board
        outer = rot_pts(rrect(2 * R, 2 * R * ar, R * (0.12 if kind != "board" else 0.05)), c, c, ang)
        rim = rng.uniform(0.85, 0.93) if kind != "board" else 0.985
        if kind == "board":
            base = jit(rng, [(170, 120, 75), (60, 60, 62), (200, 160, 110)][rng.integers(3)], 10)
    inner = np.round((outer - c) * rim + c).astype(np.int32)
    p.poly(outer, base)
    lx, ly = ctx.light
    well = scale(base, rng.uniform(0.9, 1.0))
    if rng.random() < 0.25 and kind != "board":  # coloured rim band / pattern
        p.dline(np.round((outer - c) * (rim + (1 - rim) * 0.5) + c).astype(np.int32), jit(rng, (50, 80, 150), 30), max(1, R * 0.02), True)
    p.dpoly(inner, well)
    p.dline(inner, scale(base, 0.88), max(1, R * 0.012), True)
    p.dline(outer, scale(base, 0.8), max(1, R * 0.01), True)
    if kind in ("bowl", "deep"):  # inside of a bowl: wall shading, the side towards the light is in shade
        n = p.n
        yy, xx = np.mgrid[0:n, 0:n].astype(np.float32)
        d = np.sqrt((xx - c) ** 2 + (yy - c) ** 2) / (R * rim + 1e-6)
        proj = ((xx - c) * lx + (yy - c) * ly) / (R * rim + 1e-6)
        sh = 1 - 0.35 * np.clip(d, 0, 1) ** 2 * np.clip(proj + 0.3, 0, 1.3) + 0.1 * np.clip(-proj, 0, 1) * d
        inside = d < 1
        p.col[inside] *= sh[inside][:, None]
    if kind == "board":
        p.col *= (1 + 0.25 * vnoise(rng, p.n, p.n, 3, 2)[..., None] * np.float32(1))
    if rng.random() < 0.4:  # glossy glaze: a soft reflection of the lamp
        hl = np.zeros((p.n, p.n), np.float32)
        cv2.ellipse(hl, (I(c + ctx.light[0] * R * 0.6), I(c + ctx.light[1] * R * 0.6)), (I(R * 0.25), I(R * 0.1)),
                    math.degrees(math.atan2(ctx.light[1], ctx.light[0])) + 90, 0, 360, 1.0, -1)
        p.col += (rng.uniform(30, 90) * cv2.GaussianBlur(hl, (0, 0), R * 0.06 + 1) * p.m)[..., None]
    p.finish(rng, ctx.light, tex=0.02, fine=0.01)
    ctx.paste(p, cx, cy, 0, shadow=1.0, height=1.5)
    if kind == "deep" and rng.random() < 0.7:  # soup / broth (not a listed food -> background)
        q = Patch(R * rim * 0.95)
        q.circ(q.c, q.c, R * rim * 0.92, jit(rng, [(180, 120, 60), (220, 200, 160), (150, 80, 40), (200, 150, 70)][rng.integers(4)], 10))
        for k in range(int(rng.integers(5, 25))):
            x, y = scatter(rng, q.c, R * rim * 0.8, 1)[0]
            q.dcirc(x, y, R * rng.uniform(0.01, 0.04), (235, 200, 120))
        q.finish(rng, ctx.light, tex=0.04, gloss=0.1)
        ctx.paste(q, cx, cy, 0, shadow=0)
    places = []
    ri = R * rim
    if kind in ("tray",) and rng.random() < 0.7:  # compartments
        cols, rows = int(rng.integers(2, 4)), int(rng.integers(1, 3))
        W2, H2 = 2 * ri, 2 * ri * ar
        for i in range(cols):
            for j in range(rows):
                u = (i + 0.5) / cols * W2 - W2 / 2
                v = (j + 0.5) / rows * H2 - H2 / 2
                wc, hc = W2 / cols * 0.9, H2 / rows * 0.88
                x, y = rot_pts([[u, v]], cx, cy, ang)[0]
                q = Patch(max(wc, hc) / 2 + 2)
                pts = rot_pts(rrect(wc, hc, min(wc, hc) * 0.2), q.c, q.c, ang)
                q.poly(pts, scale(well, 0.95))
                q.dline(pts, scale(well, 0.75), max(1, R * 0.015), True)
                ctx.paste(q, x, y, 0, shadow=0)
                places.append((x, y, min(wc, hc) * 0.45))
        return places, ri
    if kind in ("round", "bowl", "deep"):
        places.append((cx, cy, ri * 0.9))
    else:
        places.append((cx, cy, ri * ar * 0.95))
    return places, ri

def cutlery(ctx, cx, cy, L, ang):
    rng = ctx.rng
    p = Patch(L * 0.55)
    c = p.c
    kind = rng.integers(5)
    metal = rng.random() < 0.75
    col = jit(rng, (190, 192, 198), 10) if metal else jit(rng, [(40, 40, 40), (200, 160, 100), (230, 230, 225)][rng.integers(3)], 10)
    w = L * 0.05
    if kind == 3:  # chopsticks
        col = jit(rng, [(190, 140, 80), (40, 30, 30), (170, 40, 35), (220, 210, 190)][rng.integers(4)], 10)
        for o in (-1, 1):
            d = o * L * rng.uniform(0.03, 0.07)
            p.poly(rot_pts(np.array([[-L / 2, d - w * 0.4], [L / 2, d * 0.3 - w * 0.2], [L / 2, d * 0.3 + w * 0.2], [-L / 2, d + w * 0.4]]), c, c, ang), col)
    else:
        p.poly(rot_pts(rrect(L * 0.55, w * 1.4, w * 0.6), c, c, ang) + np.int32(rot_pts([[-L * 0.2, 0]], 0, 0, ang)[0]), col)
        if kind == 0:  # fork
            p.poly(rot_pts(np.array([[L * 0.05, -w * 0.5], [L * 0.15, -w * 1.6], [L * 0.15, w * 1.6], [L * 0.05, w * 0.5]]), c, c, ang), col)
            for t in range(4):
                v = (t - 1.5) * w * 0.95
                p.poly(rot_pts(rrect(L * 0.2, w * 0.45, w * 0.2) + [L * 0.25, v], c, c, ang), col)
        elif kind == 1:  # knife
            p.poly(rot_pts(np.array([[L * 0.05, -w * 0.7], [L * 0.5, -w * 0.6], [L * 0.5, w * 0.2], [L * 0.05, w * 1.0]]), c, c, ang), col)
        else:  # spoon
            p.ell(*rot_pts([[L * 0.25, 0]], c, c, ang)[0], L * 0.16, w * 2.2, math.degrees(ang), col)
            p.dell(*rot_pts([[L * 0.25, 0]], c, c, ang)[0], L * 0.12, w * 1.6, math.degrees(ang), scale(col, 0.85))
        if metal:
            p.dline(rot_pts([[-L * 0.45, -w * 0.3], [L * 0.4, -w * 0.3]], c, c, ang), (250, 250, 252), max(1, w * 0.3))
    p.finish(rng, ctx.light, tex=0.05)
    ctx.paste(p, cx, cy, 0, shadow=0.8, height=1.2)

def d_glass(ctx, cx, cy, R):
    rng = ctx.rng
    p = Patch(R)
    c = p.c
    if rng.random() < 0.5:  # cup with a drink (not a listed food)
        p.circ(c, c, R, jit(rng, (240, 240, 236), 8))
        p.dcirc(c, c, R * 0.82, jit(rng, [(70, 40, 25), (160, 110, 70), (180, 60, 40), (235, 220, 180)][rng.integers(4)], 10))
        p.finish(rng, ctx.light, tex=0.03, gloss=0.2)
        ctx.paste(p, cx, cy, 0, shadow=1.0, height=3)
    else:  # glass: table shows through, tinted, with a bright rim
        h, w = ctx.mask.shape
        x0, y0 = I(cx - p.c), I(cy - p.c)
        if 0 <= x0 and 0 <= y0 and x0 + p.n <= w and y0 + p.n <= h:
            p.col[:] = ctx.img[y0:y0 + p.n, x0:x0 + p.n] * 0.9 + 20
            p.circ(c, c, R, (0, 0, 0))
            p.col[:] = ctx.img[y0:y0 + p.n, x0:x0 + p.n] * 0.85 + 25
            p.dline(cv2.ellipse2Poly((I(c), I(c)), (I(R), I(R)), 0, 0, 360, 6), (250, 250, 250), max(1, R * 0.06), True)
            p.dline(cv2.ellipse2Poly((I(c), I(c)), (I(R * 0.9), I(R * 0.9)), 0, 200, 300, 6), (255, 255, 255), max(1, R * 0.05))
            ctx.paste(p, cx, cy, 0, shadow=0.5, height=2)

def d_napkin(ctx, cx, cy, R):
    rng = ctx.rng
    p = Patch(R)
    col = jit(rng, [(245, 245, 240), (200, 60, 60), (70, 110, 160), (230, 210, 160), (90, 120, 90)][rng.integers(5)], 10)
    pts = rot_pts(rrect(R * 1.6, R * rng.uniform(0.8, 1.6), 3), p.c, p.c, rng.uniform(0, 6.3))
    p.poly(pts, col)
    for k in range(3):
        p.dline(rot_pts([[-R, (k - 1) * R * 0.3], [R, (k - 1) * R * 0.3 + 3]], p.c, p.c, rng.uniform(0, 6.3)), scale(col, 0.85), 1)
    p.finish(rng, ctx.light, tex=0.08, cells=10)
    ctx.paste(p, cx, cy, 0, shadow=0.4)

def table(rng, h, w):
    kind = rng.integers(6)
    if kind == 0:  # wood
        base = np.array(jit(rng, [(150, 100, 60), (190, 145, 95), (90, 60, 40), (210, 180, 140)][rng.integers(4)], 15), np.float32)
        s = cv2.resize(rng.random((max(2, h // 6), 3)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        g = cv2.resize(rng.random((max(2, h // 2), 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
        t = 1 + 0.25 * (s - 0.5) + 0.12 * (g - 0.5)
        if rng.random() < 0.5:
            plank = int(rng.integers(40, 140))
            t *= np.where((np.arange(h) % plank) < 2, 0.6, 1.0)[:, None]
        img = t[..., None] * base
        if rng.random() < 0.5:
            img = np.ascontiguousarray(np.transpose(img, (1, 0, 2)))
            img = cv2.resize(img, (w, h))
    elif kind == 1:  # gingham / check cloth
        base = np.array(jit(rng, [(200, 40, 40), (40, 80, 160), (40, 120, 60), (60, 60, 60)][rng.integers(4)], 15), np.float32)
        per = int(rng.integers(10, 40))
        yy, xx = np.mgrid[0:h, 0:w]
        a = ((xx // per) % 2).astype(np.float32)
        b = ((yy // per) % 2).astype(np.float32)
        t = (a + b) / 2
        img = (1 - t)[..., None] * np.float32(240) + t[..., None] * base
    elif kind == 2:  # marble / stone
        base = np.array(jit(rng, [(235, 235, 232), (60, 60, 62), (200, 195, 185)][rng.integers(3)], 8), np.float32)
        v = np.abs(vnoise(rng, h, w, 3, 4))
        img = base * (1 - 0.18 * (v < 0.006))[..., None] * (1 + 0.05 * vnoise(rng, h, w, 20, 1))[..., None]
    else:  # plain cloth / laminate
        base = np.array(jit(rng, [(240, 240, 235), (200, 190, 170), (120, 130, 140), (30, 30, 32), (170, 200, 210), (230, 210, 190)][rng.integers(6)], 15), np.float32)
        img = base * (1 + 0.08 * vnoise(rng, h, w, 6, 2))[..., None]
    img = img * (1 + 0.04 * rng.normal(0, 1, (h, w))).astype(np.float32)[..., None]
    return np.clip(img, 0, 255).astype(np.float32)

# ----------------------------------------------------------------------------------------------- meals
TEMPLATES = [  # (always, optional)
    ([1, 16], [3, 13, 6, 12]), ([2, 17], [24, 23, 13, 9]), ([2, 18], [23, 24, 13, 10, 11]),
    ([12, 19], [4, 23, 9, 7, 3, 20]), ([3, 4, 5], [6, 24, 15, 12, 10, 8]), ([9, 7], [13, 14, 6, 15, 23]),
    ([10, 1], [13, 15, 6, 5, 3]), ([11, 7], [13, 3, 4, 1, 22]), ([8, 1], [13, 2, 6, 23, 5]),
    ([20, 21], [22, 19, 24]), ([19, 24], [4, 5, 3, 9, 11]), ([2], [9, 6, 12, 15, 13, 8, 10]),
    ([1], [11, 5, 12, 8, 6]), ([7, 10], [14, 15, 6, 17]), ([22], [20, 21]), ([16], [19, 1, 3]),
    ([19, 17, 24], [23, 4]), ([2, 9, 17], [24, 3]), ([14, 6, 1], [15, 10]), ([14, 7], [9, 11, 17]),
    ([20, 19], [21, 24, 12]), ([21, 20, 22], [24]),
]

def pick_foods(rng):
    if rng.random() < 0.3:
        k = int(rng.integers(1, 7))
        return [int(v) for v in rng.choice(np.arange(1, 25), k, replace=False)]
    must, opt = TEMPLATES[rng.integers(len(TEMPLATES))]
    foods = list(must) + [f for f in opt if rng.random() < 0.4]
    rng.shuffle(foods)
    foods = foods[:6]
    if rng.random() < 0.15 and len(foods) > 1:
        foods = foods[:int(rng.integers(1, len(foods)))]
    return foods

def fill_place(ctx, x, y, rad, foods, allow_extra=True):
    rng = ctx.rng
    order = sorted(foods, key=lambda f: (0 if f in BASES else (2 if f in TOPPINGS else 1), rng.random()))
    n, a0 = len(order), rng.uniform(0, 2 * np.pi)
    placed, slot = {}, 0
    nslots = max(1, sum(1 for f in order if f not in TOPPINGS or not any(b in placed or b in order for b in (1, 2, 7, 19))))
    for f in order:
        base_for = [b for b in ((2, 7, 1, 16) if f in (17, 18, 24) else (1, 19, 2, 16) if f == 12 else ()) if b in placed]
        if f in TOPPINGS and base_for and rng.random() < 0.8:
            bx, by, br = placed[base_for[0]]
            fx, fy, fr = bx + rng.normal(0, br * 0.15), by + rng.normal(0, br * 0.15), br * rng.uniform(0.45, 0.75)
        elif n == 1:
            fx, fy, fr = x + rng.normal(0, rad * 0.05), y + rng.normal(0, rad * 0.05), rad * rng.uniform(0.6, 0.9)
        else:
            a = a0 + 2 * np.pi * slot / nslots + rng.normal(0, 0.15)
            d = rad * rng.uniform(0.3, 0.45)
            fx, fy = x + d * math.cos(a), y + d * math.sin(a)
            fr = rad * min(0.75, 1.4 / math.sqrt(nslots)) * rng.uniform(0.85, 1.1)
            slot += 1
        p = Patch(fr * 1.1)
        FOODS[f](ctx, p, fr)
        ctx.paste(p, fx, fy, f, shadow=0.6, height=0.8)
        placed[f] = (fx, fy, fr)
        ctx.used.append(f)
    if allow_extra and rng.random() < 0.12:
        a = rng.uniform(0, 6.3)
        d_distractor(ctx, x + rad * 0.6 * math.cos(a), y + rad * 0.6 * math.sin(a), rad * rng.uniform(0.15, 0.3))

def compose(ctx, R, Wc, Hc, ox, oy):
    rng = ctx.rng
    foods = pick_foods(rng)
    kinds = ["round"] * 5 + ["bowl"] * 2 + ["deep", "oval", "square", "tray", "board"]
    kind = kinds[rng.integers(len(kinds))]
    if kind == "deep" and (2 not in foods and 16 not in foods and 1 not in foods):
        kind = "bowl"
    cx, cy = ox + rng.normal(0, R * 0.25), oy + rng.normal(0, R * 0.25)
    # side things first (they lie on the table around the main dish)
    side_foods = []
    if len(foods) >= 3 and rng.random() < 0.35:
        side_foods = foods[-int(rng.integers(1, 3)):]
        foods = foods[:len(foods) - len(side_foods)]
    extras = []
    for k in range(int(rng.integers(0, 3)) + (1 if side_foods else 0)):
        a = rng.uniform(0, 2 * np.pi)
        r2 = R * rng.uniform(0.35, 0.6)
        extras.append((cx + (R + r2 + R * 0.1) * math.cos(a), cy + (R + r2 + R * 0.1) * math.sin(a), r2))
    for (x, y, r2) in extras[1 if side_foods else 0:]:
        t = rng.random()
        if t < 0.4:
            d_glass(ctx, x, y, r2 * 0.6)
        elif t < 0.65:
            d_napkin(ctx, x, y, r2)
        elif t < 0.8:
            cutlery(ctx, x, y, R * rng.uniform(1.0, 1.5), rng.uniform(0, 6.3))
    if rng.random() < 0.35:
        a = rng.uniform(0, 2 * np.pi)
        cutlery(ctx, cx + R * 1.15 * math.cos(a), cy + R * 1.15 * math.sin(a), R * rng.uniform(1.2, 1.6), a + np.pi / 2 + rng.normal(0, 0.2))
    places, ri = dish(ctx, cx, cy, R, kind)
    if len(places) > 1:  # tray compartments: spread foods
        idx = rng.permutation(len(places))
        groups = [[] for _ in places]
        for i, f in enumerate(foods):
            groups[idx[i % len(places)]].append(f)
        for (x, y, rr), g in zip(places, groups):
            if g:
                fill_place(ctx, x, y, rr, g, allow_extra=False)
    else:
        fill_place(ctx, *places[0], foods)
    if side_foods:
        x, y, r2 = extras[0]
        pl, _ = dish(ctx, x, y, r2, ["bowl", "round", "deep"][rng.integers(3)])
        fill_place(ctx, *pl[0], side_foods, allow_extra=False)
    if rng.random() < 0.25:  # a utensil resting on the food
        a = rng.uniform(0, 6.3)
        cutlery(ctx, cx + R * 0.4 * math.cos(a), cy + R * 0.4 * math.sin(a), R * rng.uniform(1.1, 1.5), rng.uniform(0, 6.3))

# ----------------------------------------------------------------------------------------------- camera
def make_camera(rng, W, H):
    for attempt in range(8):
        tilt = math.radians(rng.uniform(0, 8) if rng.random() < 0.4 else rng.uniform(15, 55)) * (0.8 ** attempt)
        yaw = rng.uniform(0, 2 * np.pi)
        f = W / 2 / math.tan(math.radians(rng.uniform(45, 75)) / 2)
        m = rng.uniform(0.6, 1.0)
        D = f / m
        ct, st = math.cos(tilt), math.sin(tilt)
        Rm = np.array([[1, 0, 0], [0, ct, -st], [0, -st, -ct]])
        C = np.array([0, D * st, D * ct])
        Rz = np.array([[math.cos(yaw), -math.sin(yaw), 0], [math.sin(yaw), math.cos(yaw), 0], [0, 0, 1]])
        M = Rm @ Rz
        roll = math.radians(rng.normal(0, 4))
        K = np.array([[f, 0, W / 2], [0, f, H / 2], [0, 0, 1]]) @ np.array(
            [[math.cos(roll), -math.sin(roll), 0], [math.sin(roll), math.cos(roll), 0], [0, 0, 1]])
        Hw = K @ np.column_stack([M[:, 0], M[:, 1], -Rm @ C])
        Hi = np.linalg.inv(Hw)
        pts = np.array([[0, 0, 1], [W, 0, 1], [0, H, 1], [W, H, 1], [W / 2, 0, 1], [0, H / 2, 1], [W, H / 2, 1], [W / 2, H, 1]], np.float64).T
        q = Hi @ pts
        if np.any(q[2] <= 1e-9):
            continue
        q = q[:2] / q[2]
        x0, y0 = q.min(1) - 8
        x1, y1 = q.max(1) + 8
        if (x1 - x0) * (y1 - y0) > 14 * W * H / (m * m):
            continue
        T = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]])
        return Hw @ T, int(math.ceil(x1 - x0)), int(math.ceil(y1 - y0)), -x0, -y0, m, (-math.sin(yaw), -math.cos(yaw)), math.tan(tilt)
    return np.eye(3), W, H, W / 2, H / 2, 1.0, (0.0, -1.0), 0.0  # top-down fallback

def hand(img, mask, rng, W, H):
    S = min(W, H)
    skin = np.array(jit(rng, [(235, 190, 160), (205, 150, 115), (160, 110, 75), (105, 70, 50), (240, 210, 185)][rng.integers(5)], 8))
    side = rng.integers(4)
    t = rng.uniform(0.15, 0.85)
    ex, ey = [(t * W, -5), (W + 5, t * H), (t * W, H + 5), (-5, t * H)][side]
    a = math.atan2(H / 2 - ey, W / 2 - ex) + rng.normal(0, 0.5)
    L = S * rng.uniform(0.25, 0.55)
    wid = S * rng.uniform(0.12, 0.2)
    hx, hy = ex + L * math.cos(a), ey + L * math.sin(a)
    occ = np.zeros((H, W), np.uint8)
    lay = np.zeros((H, W, 3), np.float32)
    back = (ex - S * math.cos(a), ey - S * math.sin(a))
    arm = rot_pts(np.array([[-L - S, -wid * 0.5], [0, -wid * 0.45], [0, wid * 0.45], [-L - S, wid * 0.5]]), hx, hy, a)
    cv2.fillPoly(occ, [arm], 1)
    cv2.fillPoly(lay, [arm], tuple(float(v) for v in skin))
    if rng.random() < 0.6:  # sleeve
        sl = rot_pts(np.array([[-L - S, -wid * 0.62], [-L * rng.uniform(0.3, 0.7), -wid * 0.6], [-L * 0.5, wid * 0.6], [-L - S, wid * 0.62]]), hx, hy, a)
        cv2.fillPoly(occ, [sl], 1)
        cv2.fillPoly(lay, [sl], jit(rng, [(40, 50, 90), (200, 200, 200), (120, 30, 30), (30, 30, 30)][rng.integers(4)], 20))
    cv2.ellipse(occ, (I(hx), I(hy)), (I(wid * 0.7), I(wid * 0.55)), math.degrees(a), 0, 360, 1, -1)
    cv2.ellipse(lay, (I(hx), I(hy)), (I(wid * 0.7), I(wid * 0.55)), math.degrees(a), 0, 360, tuple(float(v) for v in skin), -1)
    curl = rng.uniform(0.3, 1.0)
    for k in range(4):
        v = (k - 1.5) * wid * 0.22
        fl = wid * rng.uniform(0.6, 0.9) * (1 - 0.15 * abs(k - 1.5)) * curl
        pts = rot_pts(np.array([[wid * 0.5, v], [wid * 0.5 + fl, v * 1.1]]), hx, hy, a)
        th = max(2, I(wid * 0.17))
        cv2.line(occ, tuple(map(int, pts[0])), tuple(map(int, pts[1])), 1, th)
        cv2.line(lay, tuple(map(int, pts[0])), tuple(map(int, pts[1])), tuple(float(v) for v in scale(skin, 0.97)), th)
    tp = rot_pts(np.array([[0, -wid * 0.45], [wid * 0.55, -wid * 0.75]]), hx, hy, a)
    cv2.line(occ, tuple(map(int, tp[0])), tuple(map(int, tp[1])), 1, max(2, I(wid * 0.2)))
    cv2.line(lay, tuple(map(int, tp[0])), tuple(map(int, tp[1])), tuple(float(v) for v in skin), max(2, I(wid * 0.2)))
    if rng.random() < 0.5:  # holding a utensil
        u = rot_pts(np.array([[-wid * 0.3, 0], [wid * 0.5 + L * 0.6, wid * rng.uniform(-0.3, 0.3)]]), hx, hy, a)
        uc = jit(rng, [(190, 192, 198), (180, 130, 70)][rng.integers(2)], 10)
        cv2.line(occ, tuple(map(int, u[0])), tuple(map(int, u[1])), 1, max(2, I(wid * 0.1)))
        cv2.line(lay, tuple(map(int, u[0])), tuple(map(int, u[1])), uc, max(2, I(wid * 0.1)))
    sh = cv2.GaussianBlur(occ.astype(np.float32), (0, 0), S * 0.03)
    sh = np.roll(sh, (I(S * 0.04), I(S * 0.03)), (0, 1))
    img *= (1 - 0.35 * sh)[..., None]
    d = cv2.distanceTransform(occ, cv2.DIST_L2, 3)
    shade = 0.75 + 0.25 * np.clip(d / (wid * 0.25), 0, 1)
    lay *= (shade * (1 + 0.06 * vnoise(rng, H, W, 6)))[..., None]
    o = occ > 0
    img[o] = lay[o]
    mask[o] = 0

def faults(img, rng):
    H, W = img.shape[:2]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    xx, yy = xx / W - 0.5, yy / H - 0.5
    a = rng.uniform(0, 6.3)
    g = 1 + rng.uniform(0, 0.35) * (xx * math.cos(a) + yy * math.sin(a)) - rng.uniform(0, 0.6) * (xx * xx + yy * yy)
    casts = [(1, 1, 1), (1.1, 1.0, 0.8), (0.9, 1.0, 1.12), (0.95, 1.06, 0.9), (1.05, 1.0, 0.95)]
    cast = np.array(casts[rng.integers(len(casts))], np.float32) * rng.uniform(0.95, 1.05, 3).astype(np.float32)
    img = img * g[..., None] * cast * rng.uniform(0.75, 1.2)
    img = 255 * np.clip(img / 255, 0, 1) ** rng.uniform(0.8, 1.25)
    t = rng.random()
    if t < 0.3:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.5))
    elif t < 0.42:
        k = int(rng.integers(3, 9))
        ker = np.zeros((k, k), np.float32)
        cv2.line(ker, (0, k // 2), (k - 1, k // 2), 1.0, 1)
        M = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1)
        ker = cv2.warpAffine(ker, M, (k, k))
        img = cv2.filter2D(img, -1, ker / max(ker.sum(), 1e-6))
    elif t < 0.5:
        s = rng.uniform(0.4, 0.7)
        small = cv2.resize(img, (max(8, int(W * s)), max(8, int(H * s))), interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
    sig = rng.uniform(0, 7)
    img = img + rng.normal(0, sig, (H, W, 1)).astype(np.float32) + rng.normal(0, sig * 0.4, (H, W, 3)).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)

def render(rng, W, H):
    Hm, cw, ch, ox, oy, m, away, tant = make_camera(rng, W, H)
    la = rng.uniform(0, 2 * np.pi)
    mode = rng.random()
    k = rng.uniform(1.1, 2.4) if mode < 0.5 else (rng.uniform(0.75, 1.1) if mode < 0.85 else rng.uniform(0.5, 0.75))
    R = k * min(W, H) / (2 * m)
    ctx = Ctx(rng, ch, cw, (math.cos(la), math.sin(la)), R / 60.0)
    ctx.away, ctx.tant = away, tant
    ctx.img = table(rng, ch, cw)
    compose(ctx, R, cw, ch, ox, oy)
    src = cv2.GaussianBlur(ctx.img, (0, 0), 0.35 / m)
    img = cv2.warpPerspective(src, Hm, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    mask = cv2.warpPerspective(ctx.mask, Hm, (W, H), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    if rng.random() < 0.2:
        hand(img, mask, rng, W, H)
    return faults(img, rng), mask

def generate(out: Path, count: int, seed: int, size: tuple[int, int] = (256, 256)) -> None:
    out = Path(out)
    W, H = int(size[0]), int(size[1])
    idir, adir = out / "Images" / "img_dir" / "test", out / "Images" / "ann_dir" / "test"
    idir.mkdir(parents=True, exist_ok=True)
    adir.mkdir(parents=True, exist_ok=True)
    (out / "category_id.txt").write_text("".join(f"{i}\t{n}\n" for i, n in enumerate(CLASSES)))
    for i in range(count):
        rng = np.random.default_rng([int(seed), i])
        for attempt in range(10):
            img, mask = render(rng, W, H)
            nf = len(np.unique(mask[mask > 0]))
            if 1 <= nf <= 6 and (np.count_nonzero(mask) >= 0.03 * W * H or attempt >= 6):
                break
        q = int(rng.integers(35, 96))
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, q])
        (idir / f"{i:06d}.jpg").write_bytes(buf.tobytes())
        ok, buf = cv2.imencode(".png", mask)
        (adir / f"{i:06d}.png").write_bytes(buf.tobytes())

def palette():
    pal = np.zeros((256, 3), np.uint8)
    for i in range(1, 25):
        h = (i * 67) % 180
        pal[i] = cv2.cvtColor(np.uint8([[[h, 220 if i % 2 else 160, 255 if i % 3 else 170]]]), cv2.COLOR_HSV2BGR)[0, 0]
    return pal

def contact_sheet(out: Path, path: Path, n: int = 24, cols: int = 4) -> None:
    out = Path(out)
    names = sorted((out / "Images" / "img_dir" / "test").glob("*.jpg"))[:n]
    pal = palette()
    tiles = []
    for p in names:
        img = cv2.imread(str(p))
        mask = cv2.imread(str(out / "Images" / "ann_dir" / "test" / (p.stem + ".png")), cv2.IMREAD_UNCHANGED)
        cm = pal[mask]
        for cid in np.unique(mask[mask > 0]):
            ys, xs = np.nonzero(mask == cid)
            j = len(xs) // 2
            cv2.putText(cm, str(int(cid)), (int(xs[j]), int(ys[j])), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1)
        tiles.append(np.hstack([img, cm, np.full((img.shape[0], 4, 3), 255, np.uint8)]))
    while len(tiles) % cols:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.hstack(tiles[i:i + cols]) for i in range(0, len(tiles), cols)]
    cv2.imwrite(str(path), np.vstack(rows))


if __name__ == "__main__":  # python plate_a.py OUT [count] [seed]
    import sys
    o, n = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 48
    generate(o, n, int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    contact_sheet(o, o / "sheet.png")
