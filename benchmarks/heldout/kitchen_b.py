#!/usr/bin/env python3
"""kitchen_b -- procedural held-out TEST scenes: a fixed camera over a busy commercial kitchen.

A hood / ceiling camera looks down (straight or at a steep angle) at woks, saute pans, stock pots,
skillets and flat griddles on gas ranges, induction hobs and stainless counters. Food (fried rice,
noodles, stir-fried vegetables, curries, soups, eggs, meat, sauces, burgers, pancakes ...) is cooked in
the pan; chefs work it with ladles, wok spatulas, slotted spoons, tongs, wooden paddles, whisks, cooking
chopsticks, fish slices, spiders, turners, silicone spatulas, forks -- held by bare or gloved hands in
sleeves.

Every object is drawn into the image and into the label map with the same hard-edged shape, in painter's
order (later objects cover earlier ones in both). Photometric effects (shadows, motion blur of the tool
layer, steam, flames, light, defocus, sensor noise, JPEG) are applied to the image only.

Label contract (masks, RGB): stirrer (255,0,0), pan/background (0,255,0), food (0,0,255).

numpy + OpenCV only. Usage:
    python kitchen_b.py OUT --count N --seed S --size 320x240
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import cv2
import numpy as np

PAN, STIR, FOOD = 0, 1, 2
# label id -> BGR colour as written by cv2.imwrite (RGB: pan green, stirrer red, food blue)
MASK_BGR = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)

F32 = np.float32


# ----------------------------------------------------------------------------------------------------
# small geometry helpers
# ----------------------------------------------------------------------------------------------------
def _ip(pts):
    """float (N,2) -> int32 points for cv2 with shift=4 (sub-pixel, still hard edged)."""
    return np.round(np.asarray(pts, np.float64).reshape(-1, 2) * 16.0).astype(np.int32).reshape(-1, 1, 2)


def fpoly(L, M, pts, col=None, mval=255):
    p = _ip(pts)
    if L is not None:
        cv2.fillPoly(L, [p], tuple(float(c) for c in col), cv2.LINE_8, 4)
    if M is not None:
        cv2.fillPoly(M, [p], int(mval), cv2.LINE_8, 4)


def fline(L, M, pts, col, th, closed=False, mval=255):
    p = _ip(pts)
    th = max(1, int(round(th)))
    if L is not None:
        cv2.polylines(L, [p], closed, tuple(float(c) for c in col), th, cv2.LINE_8, 4)
    if M is not None:
        cv2.polylines(M, [p], closed, int(mval), th, cv2.LINE_8, 4)


def ell(c, a, b, ang_deg=0.0, n=40, t0=0.0, t1=2 * math.pi):
    t = np.linspace(t0, t1, n, endpoint=(t1 - t0) < 2 * math.pi - 1e-6)
    ca, sa = math.cos(math.radians(ang_deg)), math.sin(math.radians(ang_deg))
    x, y = a * np.cos(t), b * np.sin(t)
    return np.stack([c[0] + x * ca - y * sa, c[1] + x * sa + y * ca], 1)


def capsule(p0, p1, w0, w1, n=7):
    """Tapered capsule polygon, w0/w1 are half widths at p0/p1."""
    p0 = np.asarray(p0, float)
    p1 = np.asarray(p1, float)
    d = p1 - p0
    ln = math.hypot(d[0], d[1]) + 1e-9
    d = d / ln
    nr = np.array([-d[1], d[0]])
    t1 = np.linspace(math.pi / 2, -math.pi / 2, n)
    t0 = np.linspace(-math.pi / 2, -3 * math.pi / 2, n)
    a1 = p1 + w1 * (np.cos(t1)[:, None] * d + np.sin(t1)[:, None] * nr)
    a0 = p0 + w0 * (np.cos(t0)[:, None] * d + np.sin(t0)[:, None] * nr)
    return np.concatenate([a1, a0], 0)


def quad(p0, p1, w0, w1):
    p0 = np.asarray(p0, float)
    p1 = np.asarray(p1, float)
    d = p1 - p0
    d = d / (math.hypot(d[0], d[1]) + 1e-9)
    nr = np.array([-d[1], d[0]])
    return np.array([p0 + nr * w0, p1 + nr * w1, p1 - nr * w1, p0 - nr * w0])


_TRIG: dict = {}


def _trig(k):
    if k not in _TRIG:
        t = np.linspace(0, 2 * math.pi, k, endpoint=False)
        _TRIG[k] = (np.cos(t), np.sin(t))
    return _TRIG[k]


def _ellpolys(P, a, b, ang, k, rr=None):
    """(n,k,2) ellipse polygons, centres P (n,2), semi axes a, b (n,), rotation ang (rad, n)."""
    c, s = _trig(k)
    a = np.asarray(a, float)[:, None]
    b = np.asarray(b, float)[:, None]
    x, y = a * c[None], b * s[None]
    if rr is not None:
        x, y = x * rr, y * rr
    ca, sa = np.cos(ang)[:, None], np.sin(ang)[:, None]
    return np.stack([P[:, 0, None] + x * ca - y * sa, P[:, 1, None] + x * sa + y * ca], -1)


def _boxpolys(P, a, b, ang, loc):
    """(n,m,2) polygons from local template loc (m,2) scaled by a (along) and b (across)."""
    x = np.asarray(a, float)[:, None] * loc[None, :, 0]
    y = np.asarray(b, float)[:, None] * loc[None, :, 1]
    ca, sa = np.cos(ang)[:, None], np.sin(ang)[:, None]
    return np.stack([P[:, 0, None] + x * ca - y * sa, P[:, 1, None] + x * sa + y * ca], -1)


def _arcpolys(P, a, b, ang_deg, t0, span, k):
    t = t0[:, None] + span[:, None] * np.linspace(0, 1, k)[None]
    x, y = np.asarray(a, float)[:, None] * np.cos(t), np.asarray(b, float)[:, None] * np.sin(t)
    ca, sa = np.cos(np.radians(ang_deg))[:, None], np.sin(np.radians(ang_deg))[:, None]
    return np.stack([P[:, 0, None] + x * ca - y * sa, P[:, 1, None] + x * sa + y * ca], -1)


def _radial(rng, n, k, irr):
    t = np.linspace(0, 2 * math.pi, k, endpoint=False)
    rr = np.ones((n, k))
    for h in (2, 3, 4):
        rr += (rng.normal(0, irr / h, n)[:, None]) * np.cos(h * t[None] + rng.uniform(0, 2 * math.pi, n)[:, None])
    return np.clip(rr, 0.4, 1.8)


def _fill(L, M, polys, cols):
    ip = np.round(polys * 16).astype(np.int32)
    cl = np.asarray(cols, float).tolist()
    for i in range(len(ip)):
        if L is not None:
            cv2.fillPoly(L, [ip[i]], cl[i], cv2.LINE_8, 4)
        if M is not None:
            cv2.fillPoly(M, [ip[i]], 255, cv2.LINE_8, 4)


def _lines(L, M, polys, cols, th, closed=False):
    ip = np.round(polys * 16).astype(np.int32)
    cl = np.asarray(cols, float).tolist()
    th = np.maximum(1, np.round(np.asarray(th, float))).astype(int).tolist()
    for i in range(len(ip)):
        if L is not None:
            cv2.polylines(L, [ip[i]], closed, cl[i], th[i], cv2.LINE_8, 4)
        if M is not None:
            cv2.polylines(M, [ip[i]], closed, 255, th[i], cv2.LINE_8, 4)


def _cyl_shade(X, Y, p0, p1, hw, spec=0.4, edge_dark=0.45):
    d = np.asarray(p1, float) - np.asarray(p0, float)
    d /= (np.linalg.norm(d) + 1e-9)
    sx = ((X - F32(p0[0])) * F32(-d[1]) + (Y - F32(p0[1])) * F32(d[0])) * F32(1.0 / max(hw, 0.5))
    np.clip(sx, -1.2, 1.2, out=sx)
    sh = 1 - edge_dark * sx * sx
    sh += spec * np.exp(-((sx - 0.35) / 0.22) ** 2)
    return sh.astype(F32)


def unit(a_deg):
    return np.array([math.cos(math.radians(a_deg)), math.sin(math.radians(a_deg))])


def jit(col, rng, amt=0.12, bri=0.15):
    c = np.asarray(col, float) * (1 + rng.normal(0, amt, 3)) * (1 + rng.uniform(-bri, bri))
    return np.clip(c, 0, 255)


# ----------------------------------------------------------------------------------------------------
# palettes (BGR)
# ----------------------------------------------------------------------------------------------------
C = dict(
    rice=(185, 215, 230), rice_y=(105, 180, 220), rice_soy=(60, 105, 150), rice_red=(60, 95, 185),
    egg=(55, 195, 245), egg_w=(222, 232, 238), carrot=(30, 110, 230), pea=(55, 165, 85),
    scallion=(70, 190, 115), dgreen=(35, 105, 40), broc=(40, 115, 45), rpep=(35, 35, 195),
    ypep=(30, 185, 235), gpep=(40, 150, 60), onion=(185, 200, 215), ponion=(140, 80, 140),
    mush=(70, 100, 130), beef=(40, 58, 95), chicken=(115, 165, 210), charsiu=(55, 65, 175),
    shrimp=(95, 140, 240), tofu=(165, 212, 232), nood_egg=(85, 175, 225), nood_br=(55, 110, 165),
    nood_rice=(205, 222, 230), nood_glass=(150, 160, 168), curry=(25, 125, 205), gcurry=(75, 160, 150),
    rcurry=(35, 70, 185), broth=(85, 150, 200), clear=(140, 178, 198), tomato=(40, 60, 185),
    miso=(90, 148, 188), stew=(30, 50, 88), sauce=(25, 40, 72), rsauce=(30, 42, 160), oil=(55, 160, 205),
    burger=(30, 45, 70), sausage=(60, 90, 160), pancake=(70, 150, 210), chili=(30, 30, 200),
    bokchoy=(95, 185, 140), potato=(105, 185, 220), sprout=(200, 225, 230), bacon=(70, 80, 170),
    basil=(40, 120, 50), corn=(40, 200, 240), cheese=(90, 200, 240), dumpling=(175, 210, 228),
)

SKIN = [(135, 170, 225), (110, 150, 210), (80, 120, 185), (60, 90, 140), (45, 65, 105), (150, 185, 235)]
GLOVE = [(200, 120, 40), (40, 40, 40), (235, 235, 235), (170, 80, 120), (200, 160, 60), (60, 60, 200)]
SLEEVE = [(235, 235, 235), (225, 230, 235), (40, 40, 40), (70, 60, 55), (120, 110, 100), (140, 90, 40),
          (60, 60, 150), (200, 200, 205)]
WOOD = [(120, 170, 210), (95, 145, 190), (50, 85, 120), (110, 180, 215), (70, 110, 160), (140, 190, 220)]
SILI = [(40, 40, 210), (200, 110, 30), (40, 40, 40), (235, 235, 235), (40, 130, 240), (60, 170, 60),
        (150, 60, 160), (140, 140, 140), (30, 150, 220), (90, 90, 230)]


# ----------------------------------------------------------------------------------------------------
# noise bank: smooth noise fields computed once per image size from a fixed seed; scenes take random
# crops of them (computed at run time, nothing is read from disk)
# ----------------------------------------------------------------------------------------------------
_BANK_CELLS = (2, 3, 4, 6, 8, 12, 16, 24, 32)
_BANK: dict = {}


def _get_bank(W, H):
    key = (W, H)
    if key not in _BANK:
        g = np.random.default_rng(20240611)
        fields = {}
        for cells in _BANK_CELLS:
            ch = int(round(cells * 2 * H / max(W, H))) + 3
            cw = int(round(cells * 2 * W / max(W, H))) + 3
            small = g.standard_normal((ch, cw)).astype(F32)
            f = cv2.resize(small, (2 * W, 2 * H), interpolation=cv2.INTER_CUBIC)
            f /= f.std() + 1e-6
            fields[cells] = f
        white = g.standard_normal((2 * H, 2 * W)).astype(F32)
        _BANK[key] = (fields, white)
    return _BANK[key]


# ----------------------------------------------------------------------------------------------------
# the scene
# ----------------------------------------------------------------------------------------------------
class Scene:
    def __init__(self, rng: np.random.Generator, W: int, H: int):
        self.rng = rng
        self.W, self.H = W, H
        self.s = min(W, H) / 240.0
        self.img = np.zeros((H, W, 3), F32)
        self.lab = np.zeros((H, W), np.uint8)
        yy, xx = np.mgrid[0:H, 0:W]
        self.X = xx.astype(F32)
        self.Y = yy.astype(F32)
        self.bank = _get_bank(W, H)

    # ------------------------------------------------------------------ basics
    def blank(self):
        return np.zeros((self.H, self.W), np.uint8)

    def layer(self):
        return np.zeros((self.H, self.W, 3), F32)

    def noise(self, cells=6.0, octaves=2, base=None):
        """smooth noise ~N(0,1): random crops of a precomputed bank (fast, deterministic per rng)."""
        H, W = self.H, self.W
        fields = self.bank[0]
        out = np.zeros((H, W), F32) if base is None else base
        amp, tot = 1.0, 0.0
        r = self.rng
        for o in range(octaves):
            c = cells * (2 ** o)
            key = min(_BANK_CELLS, key=lambda q: abs(math.log(q / max(c, 0.5))))
            f = fields[key]
            oy, ox = int(r.integers(0, H)), int(r.integers(0, W))
            crop = f[oy:oy + H, ox:ox + W]
            if r.random() < 0.5:
                crop = crop[::-1]
            if r.random() < 0.5:
                crop = crop[:, ::-1]
            if r.random() < 0.5:
                out -= crop * amp
            else:
                out += crop * amp
            tot += amp * amp
            amp *= 0.5
        out *= 1.0 / math.sqrt(tot)
        return out

    def fine(self, amp):
        H, W = self.H, self.W
        oy, ox = int(self.rng.integers(0, H)), int(self.rng.integers(0, W))
        return self.bank[1][oy:oy + H, ox:ox + W] * F32(amp)

    def tex(self, base, amp=0.08, cells=6.0, octaves=2, chroma=0.03, grain=0.0):
        n = self.noise(cells, octaves)
        n *= amp
        if grain:
            n += self.fine(grain)
        n += 1.0
        t = np.empty((self.H, self.W, 3), F32)
        t[:] = np.asarray(base, F32)
        t *= n[..., None]
        if chroma:
            ch = int(self.rng.integers(0, 3))
            t[..., ch] *= 1.0 + self.noise(cells * 0.7, 1) * chroma
        return t

    def brushed(self, base, amp=0.06, ang=0.0, low=0.08):
        H, W = self.H, self.W
        big = int(math.hypot(W, H)) + 4
        n = self.rng.standard_normal((big, 5)).astype(F32)
        n = cv2.resize(n, (big, big), interpolation=cv2.INTER_LINEAR)
        Mt = cv2.getRotationMatrix2D((big / 2, big / 2), float(ang), 1.0)
        Mt[:, 2] += (W / 2 - big / 2, H / 2 - big / 2)
        n = cv2.warpAffine(n, Mt, (W, H), borderMode=cv2.BORDER_REFLECT)
        t = np.empty((H, W, 3), F32)
        t[:] = np.asarray(base, F32)
        t *= (1.0 + amp * n + low * self.noise(3, 2))[..., None]
        return t

    def wood(self, base, ang, period):
        ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
        # grain runs along ang: stripes vary across it
        q = (-self.X * sa + self.Y * ca) / max(period, 1.0)
        g = np.sin(q * 2 * math.pi + 2.5 * self.noise(4, 2))
        t = np.empty((self.H, self.W, 3), F32)
        t[:] = np.asarray(base, F32)
        t *= (1.0 + 0.12 * g + 0.05 * self.noise(8, 1))[..., None]
        return t

    def paint(self, m, col, cls=None):
        x, y, w, h = cv2.boundingRect(m)
        if w == 0 or h == 0:
            return
        sub = m[y:y + h, x:x + w] > 0
        tgt = self.img[y:y + h, x:x + w]
        if isinstance(col, np.ndarray) and col.ndim == 3:
            np.copyto(tgt, col[y:y + h, x:x + w], where=sub[..., None])
        else:
            np.copyto(tgt, np.asarray(col, F32).reshape(1, 1, 3), where=sub[..., None])
        if cls is not None:
            self.lab[y:y + h, x:x + w][sub] = cls

    def shade_img(self, m, factor):
        """multiply image under mask by factor (float map or scalar); label unchanged."""
        x, y, w, h = cv2.boundingRect(m)
        if w == 0:
            return
        sub = m[y:y + h, x:x + w] > 0
        f = factor[y:y + h, x:x + w][sub] if isinstance(factor, np.ndarray) else factor
        tgt = self.img[y:y + h, x:x + w]
        if isinstance(f, np.ndarray) and f.ndim == 1:
            tgt[sub] = tgt[sub] * f[:, None]
        else:
            tgt[sub] = tgt[sub] * f

    def edge_shade(self, m, width, strength=0.35):
        """darken (strength>0) or brighten (<0) the image towards the edges of mask m (rounded look)."""
        x, y, w, h = cv2.boundingRect(m)
        if w == 0:
            return
        x0, y0 = max(0, x - 1), max(0, y - 1)
        x1, y1 = min(self.W, x + w + 1), min(self.H, y + h + 1)
        sub = m[y0:y1, x0:x1]
        dist = cv2.distanceTransform((sub > 0).astype(np.uint8), cv2.DIST_L2, 3)
        f = 1 - strength * (1 - np.clip(dist / max(width, 0.5), 0, 1)) ** 2
        tgt = self.img[y0:y1, x0:x1]
        np.multiply(tgt, f[..., None].astype(F32), out=tgt, where=(sub > 0)[..., None])

    def add_glow(self, pts_or_center, axes=None, ang=0.0, col=(255, 255, 255), strength=0.6, sigma=4.0,
                 clip=None, thick=-1):
        """soft additive light (image only), blurred inside a bounding box."""
        if axes is not None:
            pts = ell(pts_or_center, axes[0], axes[1], ang, 32)
        else:
            pts = np.asarray(pts_or_center, float).reshape(-1, 2)
        sigma = max(0.5, float(sigma))
        pad = int(3 * sigma + abs(thick) + 2)
        x0 = int(max(0, np.floor(pts[:, 0].min()) - pad))
        y0 = int(max(0, np.floor(pts[:, 1].min()) - pad))
        x1 = int(min(self.W, np.ceil(pts[:, 0].max()) + pad + 1))
        y1 = int(min(self.H, np.ceil(pts[:, 1].max()) + pad + 1))
        if x1 <= x0 or y1 <= y0:
            return
        g = np.zeros((y1 - y0, x1 - x0), F32)
        p = _ip(pts - np.array([x0, y0]))
        if axes is not None and thick < 0:
            cv2.fillPoly(g, [p], 1.0, cv2.LINE_8, 4)
        else:
            cv2.polylines(g, [p], axes is not None, 1.0, max(1, int(abs(thick))), cv2.LINE_8, 4)
        g = cv2.GaussianBlur(g, (0, 0), sigma)
        if clip is not None:
            g *= clip[y0:y1, x0:x1] > 0
        self.img[y0:y1, x0:x1] += g[..., None] * (np.asarray(col, F32) * F32(strength))

    def sample_in(self, m, n=1):
        ys, xs = np.nonzero(m)
        if len(xs) == 0:
            return None
        idx = self.rng.integers(0, len(xs), n)
        return np.stack([xs[idx], ys[idx]], 1).astype(float) + self.rng.uniform(0, 1, (n, 2))

    def inframe(self, p, margin=0):
        return margin <= p[0] < self.W - margin and margin <= p[1] < self.H - margin

    # ------------------------------------------------------------------ view / projection
    def setup_view(self):
        r = self.rng
        self.k = float(np.clip(r.choice([r.uniform(0.82, 1.0), r.uniform(0.55, 0.85), r.uniform(0.4, 0.6)],
                                        p=[0.35, 0.45, 0.2]), 0.38, 1.0))
        self.sinT = math.sqrt(max(0.0, 1 - self.k ** 2))
        self.ang = float(r.normal(0, 10)) if r.random() < 0.8 else float(r.uniform(-80, 80))
        self.u = unit(self.ang)
        self.v = np.array([-self.u[1], self.u[0]])
        self.light = unit(r.uniform(0, 360))  # direction shadows are thrown to (image plane)

    def proj(self, c, x, y, z=0.0):
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        z = np.asarray(z, float) + np.zeros_like(x)
        q = y * self.k - z * self.sinT
        px = c[0] + x * self.u[0] + q * self.v[0]
        py = c[1] + x * self.u[1] + q * self.v[1]
        return np.stack([px, py], -1)

    def circ(self, c, r, z=0.0, n=72, rr=None):
        t = np.linspace(0, 2 * math.pi, n, endpoint=False)
        rad = r if rr is None else r * rr
        return self.proj(c, rad * np.cos(t), rad * np.sin(t), z)

    def ground_coords(self, c):
        """per pixel ground-plane coords (x along u, y along v at z=0) relative to c."""
        dx, dy = self.X - c[0], self.Y - c[1]
        gx = dx * self.u[0] + dy * self.u[1]
        gy = (dx * self.v[0] + dy * self.v[1]) / max(self.k, 1e-3)
        return gx, gy

    # ------------------------------------------------------------------ build
    def build(self):
        self.setup_view()
        self.choose_pan()
        self.draw_background()
        self.draw_clutter()
        if self.pan_kind == "griddle":
            self.draw_griddle()
        else:
            self.draw_pan()
        self.draw_food()
        self.draw_spills()
        self.draw_tools()
        self.draw_free_arm()

    # ------------------------------------------------------------------ pan choice
    def choose_pan(self):
        r = self.rng
        W, H = self.W, self.H
        kind = r.choice(["wok", "skillet", "saute", "stock", "saucepan", "griddle"],
                        p=[0.31, 0.16, 0.14, 0.14, 0.09, 0.16])
        self.pan_kind = str(kind)
        framing = r.choice(["close", "mid", "wide"], p=[0.36, 0.44, 0.20])
        Rf = {"close": r.uniform(0.52, 0.95), "mid": r.uniform(0.33, 0.52), "wide": r.uniform(0.2, 0.33)}[framing]
        if kind in ("stock", "saucepan"):
            Rf *= 0.85
        self.R = Rf * H
        if framing == "close":
            off = r.uniform(-0.45, 0.45, 2)
        elif framing == "mid":
            off = r.uniform(-0.28, 0.28, 2)
        else:
            off = r.uniform(-0.22, 0.22, 2)
        self.c = np.array([W / 2 + off[0] * W, H / 2 + off[1] * H])
        self.framing = str(framing)
        R = self.R
        if kind == "wok":
            self.depth, self.rfloor = r.uniform(0.28, 0.42) * R, 0.38 * R
        elif kind == "skillet":
            self.depth, self.rfloor = r.uniform(0.12, 0.2) * R, 0.86 * R
        elif kind == "saute":
            self.depth, self.rfloor = r.uniform(0.25, 0.38) * R, 0.95 * R
        elif kind == "stock":
            self.depth, self.rfloor = r.uniform(0.8, 1.4) * R, 0.99 * R
        elif kind == "saucepan":
            self.depth, self.rfloor = r.uniform(0.5, 0.8) * R, 0.96 * R
        else:
            self.depth, self.rfloor = 0.0, R
        # raise the camera-side rim shift so tall pots do not push their interior fully out
        self.rim_t = max(1.5 * self.s, R * r.uniform(0.025, 0.05))
        mats = {
            "wok": ["carbon", "carbon", "carbon", "steel", "iron"],
            "skillet": ["iron", "nonstick", "steel", "carbon", "nonstick", "enamel"],
            "saute": ["steel", "steel", "nonstick", "alu", "copper"],
            "stock": ["steel", "steel", "alu", "enamel"],
            "saucepan": ["steel", "nonstick", "alu", "copper", "enamel"],
            "griddle": ["carbon"],
        }[self.pan_kind]
        self.mat = str(r.choice(mats))
        self.hob = str(r.choice(["gas", "gas", "wokrange", "induction", "none"] if kind == "wok"
                                else ["gas", "gas", "induction", "none", "wokrange"]))

    # ------------------------------------------------------------------ background
    def draw_background(self):
        r = self.rng
        H, W = self.H, self.W
        full = np.full((H, W), 255, np.uint8)
        bg = str(r.choice(["steel", "steel", "range", "range", "induction", "granite", "tile"]))
        if self.hob == "induction":
            bg = "induction"
        if self.hob == "wokrange":
            bg = "range"
        self.bg = bg
        if bg == "steel":
            base = jit((175, 175, 170), r, 0.03, 0.25)
            t = self.brushed(base, 0.05, self.ang + r.choice([0, 90]) + r.normal(0, 3))
        elif bg == "range":
            base = jit((40, 40, 42), r, 0.05, 0.4) if r.random() < 0.6 else jit((150, 150, 148), r, 0.03, 0.25)
            t = self.tex(base, 0.15, 5, 3, 0.02, grain=0.03)
        elif bg == "induction":
            base = jit((22, 22, 24), r, 0.05, 0.3)
            t = self.tex(base, 0.12, 3, 2, 0.0, grain=0.04)
        elif bg == "granite":
            base = jit((70, 72, 75), r, 0.1, 0.5)
            t = self.tex(base, 0.1, 6, 2, 0.05, grain=0.22)
        else:
            base = jit((215, 215, 210), r, 0.05, 0.15)
            t = self.tex(base, 0.05, 4, 2, 0.01, grain=0.02)
        self.paint(full, t, PAN)
        # soft reflections of the ceiling lights on shiny counters
        if bg in ("steel", "induction", "tile") and r.random() < 0.7:
            for _ in range(r.integers(1, 4)):
                p = (r.uniform(0, W), r.uniform(0, H))
                self.add_glow(p, (r.uniform(20, 90) * self.s, r.uniform(5, 25) * self.s), self.ang + r.normal(0, 20),
                              strength=r.uniform(0.15, 0.45), sigma=r.uniform(6, 16) * self.s)
        if bg == "tile":  # grout grid
            sp = r.uniform(25, 60) * self.s
            col = jit((150, 155, 150), r, 0.05, 0.3)
            for i in range(-30, 30):
                a = self.proj(self.c, [i * sp, i * sp], [-3000, 3000], 0)
                b = self.proj(self.c, [-3000, 3000], [i * sp, i * sp], 0)
                fline(self.img, None, a, col, 1.2 * self.s)
                fline(self.img, None, b, col, 1.2 * self.s)
        # counter edge / back wall for oblique views
        if self.k < 0.75 and r.random() < 0.6:
            dist = self.R * r.uniform(1.1, 2.2)
            q = np.array([[-4000, -dist], [4000, -dist], [4000, -6000], [-4000, -6000]])
            m = self.blank()
            fpoly(None, m, self.proj(self.c, q[:, 0], q[:, 1], 0))
            wall = str(r.choice(["tile", "steel", "paint"]))
            if wall == "tile":
                t = self.tex(jit((225, 225, 220), r, 0.05, 0.2), 0.04, 4, 2, 0.01)
            elif wall == "steel":
                t = self.brushed(jit((190, 190, 185), r, 0.03, 0.2), 0.05, self.ang + 90)
            else:
                t = self.tex(jit((170, 190, 200), r, 0.15, 0.3), 0.05, 4, 2, 0.02)
            self.paint(m, t, PAN)
            if wall == "tile":
                sp = r.uniform(18, 40) * self.s
                cg = jit((160, 160, 155), r, 0.05, 0.2)
                e = self.proj(self.c, 0, -dist, 0)
                for i in range(-40, 40):
                    p0 = e + self.u * i * sp
                    seg = np.array([p0, p0 - self.v * 2000])
                    fline(self.img, None, seg, cg, 1.0 * self.s)
                    p1 = e - self.v * (i + 0.5) * sp * 0.6
                    if i >= 0:
                        fline(self.img, None, np.array([p1 - self.u * 3000, p1 + self.u * 3000]), cg, 1.0 * self.s)
            edge = self.proj(self.c, np.array([-4000, 4000]), np.array([-dist, -dist]), 0)
            fline(self.img, None, edge, jit((230, 230, 230), r, 0.02, 0.1), 2 * self.s)
        # gas grates / burner rings around the main pan
        if bg == "range" and self.pan_kind != "griddle":
            self.draw_grates()
        if bg == "induction":
            col = jit((200, 200, 200), r, 0.02, 0.3)
            for rr in (1.15, 1.22):
                fline(self.img, None, self.circ(self.c, self.R * rr * r.uniform(0.95, 1.1), -self.depth, 96), col,
                      1.2 * self.s, closed=True)
            for _ in range(r.integers(0, 4)):  # control icons
                p = self.proj(self.c, r.uniform(-2, 2) * self.R, r.uniform(1.2, 2.0) * self.R, 0)
                fline(self.img, None, ell(p, 5 * self.s, 5 * self.s * self.k, self.ang, 16), col, 1, closed=True)

    def draw_grates(self):
        r = self.rng
        col = jit((28, 28, 30), r, 0.05, 0.3)
        hi = col * 1.8 + 10
        th = r.uniform(4, 9) * self.s
        z = -self.depth - 0.05 * self.R
        if r.random() < 0.5:  # rectangular grid
            sp = self.R * r.uniform(0.7, 1.2)
            off = r.uniform(0, sp, 2)
            for i in range(-6, 7):
                for axis in (0, 1):
                    a = np.array([-6 * sp, 6 * sp])
                    b = np.array([i * sp + off[axis], i * sp + off[axis]])
                    pts = self.proj(self.c, a, b, z) if axis == 0 else self.proj(self.c, b, a, z)
                    fline(self.img, None, pts, col, th)
                    fline(self.img, None, pts, hi, max(1, th * 0.25))
        nsp = int(r.integers(4, 7))
        a0 = r.uniform(0, 360)
        rr = self.R * r.uniform(1.0, 1.25)
        ring = self.circ(self.c, rr, z, 96)
        fline(self.img, None, ring, col, th, closed=True)
        for i in range(nsp):
            a = math.radians(a0 + 360 * i / nsp)
            pts = self.proj(self.c, np.array([0.5, 1.6]) * self.R * math.cos(a),
                            np.array([0.5, 1.6]) * self.R * math.sin(a), z)
            fline(self.img, None, pts, col, th)
            fline(self.img, None, pts, hi, max(1, th * 0.25))

    # ------------------------------------------------------------------ clutter (other cookware etc.)
    def draw_clutter(self):
        r = self.rng
        n = int(r.choice([0, 1, 2, 3, 4], p=[0.2, 0.3, 0.25, 0.15, 0.1]))
        if self.framing == "wide":
            n += 1
        for _ in range(n):
            ang = r.uniform(0, 2 * math.pi)
            dist = self.R * r.uniform(1.2, 2.6)
            p = self.proj(self.c, dist * math.cos(ang), dist * math.sin(ang), 0)
            kind = str(r.choice(["lidpot", "emptypan", "hotelpan", "towel", "bottle", "plates", "board", "bowl"]))
            sz = self.R * r.uniform(0.35, 0.9)
            self.clutter_item(kind, p, sz)

    def clutter_item(self, kind, p, sz):
        r = self.rng
        s = self.s
        m = self.blank()
        if kind in ("lidpot", "emptypan", "bowl"):
            steel = jit((180, 180, 178), r, 0.04, 0.3)
            h = sz * r.uniform(0.2, 0.9)
            body = np.concatenate([self.circ(p, sz, 0, 48), self.circ(p, sz * 0.95, -h, 48)], 0)
            hull = cv2.convexHull(body.astype(np.float32)).reshape(-1, 2)
            fpoly(None, m, hull)
            self.paint(m, self.brushed(steel * 0.85, 0.08, self.ang + 90), PAN)
            m2 = self.blank()
            fpoly(None, m2, self.circ(p, sz, 0, 64))
            if kind == "lidpot":
                self.paint(m2, self.tex(steel, 0.06, 3, 2), PAN)
                fline(self.img, None, self.circ(p, sz * 0.93, 0.02 * sz, 64), steel * 0.7, 1.5 * s, True)
                kn = self.blank()
                fpoly(None, kn, self.circ(p, sz * 0.15, 0.12 * sz, 24))
                self.paint(kn, jit((30, 30, 30), r, 0.1, 0.4), PAN)
                self.add_glow(self.proj(p, -0.3 * sz, -0.3 * sz, 0), (sz * 0.4, sz * 0.12), self.ang - 20,
                              strength=0.35, sigma=4 * s, clip=m2)
            else:
                self.paint(m2, steel * 1.05, PAN)
                m3 = self.blank()
                fpoly(None, m3, self.circ(p, sz * 0.92, 0, 64))
                inner = self.tex(steel * (0.55 if kind == "emptypan" else 0.8), 0.1, 4, 2)
                self.paint(m3, inner, PAN)
                fpoly(self.img, None, self.circ(self.proj(p, 0, 0, -h * 0.9), sz * 0.8, 0, 48), steel * 0.62)
        elif kind == "hotelpan":
            w2, h2 = sz * r.uniform(0.8, 1.4), sz * r.uniform(0.5, 0.9)
            rot = r.uniform(-20, 20)
            cr, sr = math.cos(math.radians(rot)), math.sin(math.radians(rot))
            q = np.array([[-w2, -h2], [w2, -h2], [w2, h2], [-w2, h2]])
            q = np.stack([q[:, 0] * cr - q[:, 1] * sr, q[:, 0] * sr + q[:, 1] * cr], 1)
            steel = jit((185, 185, 182), r, 0.04, 0.2)
            fpoly(None, m, self.proj(p, q[:, 0], q[:, 1], 0))
            self.paint(m, self.brushed(steel, 0.05, self.ang + rot), PAN)
            m2 = self.blank()
            fpoly(None, m2, self.proj(p, q[:, 0] * 0.9, q[:, 1] * 0.86, 0))
            self.paint(m2, self.tex(steel * r.uniform(0.6, 0.95), 0.05, 3, 2), PAN)
        elif kind == "towel":
            pts = self.blob_pts(p, sz * 0.8, 0.3, n=10)
            fpoly(None, m, pts)
            col = jit(r.choice([(230, 230, 230), (60, 60, 170), (160, 110, 60), (200, 200, 190), (90, 160, 80)]), r,
                      0.05, 0.2)
            t = self.tex(col, 0.12, 10, 2, 0.02, grain=0.06)
            if r.random() < 0.5:
                st = np.sin((self.X * self.u[0] + self.Y * self.u[1]) / (6 * s)) > 0.6
                t[st] *= 0.6
            self.paint(m, t, PAN)
        elif kind == "bottle":
            col = jit(r.choice([(40, 40, 200), (40, 200, 230), (230, 230, 230), (60, 150, 60)]), r, 0.08, 0.2)
            rb = sz * 0.25
            h = sz * r.uniform(0.8, 2.0)
            body = np.concatenate([self.circ(p, rb, 0, 32), self.circ(p, rb, h, 32)], 0)
            hull = cv2.convexHull(body.astype(np.float32)).reshape(-1, 2)
            fpoly(None, m, hull)
            self.paint(m, self.tex(col, 0.08, 3, 1), PAN)
            top = self.proj(p, 0, 0, h)
            m2 = self.blank()
            fpoly(None, m2, self.circ(top, rb * 0.6, 0, 24))
            self.paint(m2, jit((240, 240, 240), r, 0.02, 0.1), PAN)
        elif kind == "plates":
            for j in range(int(r.integers(1, 4))):
                m = self.blank()
                fpoly(None, m, self.circ(self.proj(p, 0, 0, 2 * j * s), sz * 0.8, 0, 48))
                self.paint(m, self.tex(jit((235, 235, 232), r, 0.02, 0.05), 0.03, 3, 1), PAN)
                fline(self.img, None, self.circ(self.proj(p, 0, 0, 2 * j * s), sz * 0.55, 0, 48),
                      (200, 200, 200), 1, True)
        elif kind == "board":
            w2, h2 = sz * r.uniform(1.0, 1.6), sz * r.uniform(0.6, 1.0)
            q = np.array([[-w2, -h2], [w2, -h2], [w2, h2], [-w2, h2]])
            fpoly(None, m, self.proj(p, q[:, 0], q[:, 1], 0))
            if r.random() < 0.5:
                t = self.wood(jit(WOOD[int(r.integers(len(WOOD)))], r, 0.05, 0.15), self.ang, 5 * s)
            else:
                t = self.tex(jit(r.choice([(230, 230, 230), (60, 160, 60), (60, 60, 200), (200, 150, 60)]), r, 0.03, 0.1),
                             0.05, 8, 2, grain=0.03)
            self.paint(m, t, PAN)

    def blob_pts(self, c, rad, irr=0.2, n=48, k=None, ang=None):
        r = self.rng
        t = np.linspace(0, 2 * math.pi, n, endpoint=False)
        rr = np.ones(n)
        for h in range(2, 6):
            rr += r.normal(0, irr / h) * np.cos(h * t + r.uniform(0, 2 * math.pi))
        rr = np.clip(rr, 0.35, 2.0)
        x, y = rad * rr * np.cos(t), rad * rr * np.sin(t)
        kk = self.k if k is None else k
        a = self.ang if ang is None else ang
        ca, sa = math.cos(math.radians(a)), math.sin(math.radians(a))
        y = y * kk
        return np.stack([c[0] + x * ca - y * sa, c[1] + x * sa + y * ca], 1)

    # ------------------------------------------------------------------ pans
    def pan_colours(self):
        r = self.rng
        m = self.mat
        if m == "carbon":
            inside, outside = jit((48, 52, 58), r, 0.1, 0.4), jit((35, 36, 40), r, 0.08, 0.4)
        elif m == "iron":
            inside, outside = jit((38, 38, 40), r, 0.05, 0.3), jit((32, 32, 34), r, 0.05, 0.3)
        elif m == "nonstick":
            inside = jit((45, 45, 48), r, 0.05, 0.4)
            outside = jit(r.choice([(40, 40, 40), (40, 40, 160), (130, 80, 40), (60, 60, 60), (40, 110, 200)]), r, 0.1, 0.2)
        elif m == "alu":
            inside, outside = jit((165, 165, 160), r, 0.03, 0.2), jit((170, 170, 168), r, 0.03, 0.2)
        elif m == "copper":
            inside, outside = jit((185, 185, 180), r, 0.03, 0.2), jit((70, 110, 190), r, 0.08, 0.2)
        elif m == "enamel":
            inside = jit(r.choice([(200, 215, 225), (40, 40, 40)]), r, 0.03, 0.15)
            outside = jit(r.choice([(40, 50, 190), (40, 110, 230), (150, 90, 40), (60, 130, 60), (40, 40, 40)]), r, 0.08,
                          0.2)
        else:
            inside, outside = jit((178, 178, 175), r, 0.03, 0.25), jit((185, 185, 182), r, 0.03, 0.25)
        return inside, outside

    def draw_pan(self):
        r = self.rng
        s = self.s
        c, R, D = self.c, self.R, self.depth
        kind = self.pan_kind
        inside, outside = self.pan_colours()
        self.inside_col = inside
        # exterior body (hull of rim and bottom)
        if kind == "wok":
            pts = [self.circ(c, R, 0, 96)]
            for f, zz in ((0.8, 0.45), (0.55, 0.8), (0.35, 1.0)):
                pts.append(self.circ(c, R * f, -D * zz * 1.05, 64))
            body = np.concatenate(pts, 0)
        else:
            body = np.concatenate([self.circ(c, R, 0, 96), self.circ(c, R * (0.97 if kind != "skillet" else 0.86),
                                                                      -D - 0.03 * R, 96)], 0)
        hull = cv2.convexHull(body.astype(np.float32)).reshape(-1, 2)
        mb = self.blank()
        fpoly(None, mb, hull)
        self.body_mask = mb
        # hob flames under / around the pan (drawn before the body)
        if self.hob in ("gas", "wokrange"):
            self.draw_flames(behind=True)
        if self.mat in ("steel", "alu", "copper"):
            tb = self.brushed(outside, 0.06, self.ang + 90)
            gx, _ = self.ground_coords(c)
            band = np.zeros_like(gx)
            for _ in range(r.integers(2, 5)):  # cylinder reflections of the environment
                x0 = r.uniform(-0.9, 0.9) * R
                band += np.exp(-((gx - x0) / (r.uniform(0.03, 0.15) * R)) ** 2) * r.uniform(-0.5, 0.6)
            tb *= np.clip(1 + band, 0.3, 2.0)[..., None]
        else:
            tb = self.tex(outside, 0.08, 4, 2, 0.02, grain=0.03)
        self.paint(mb, tb, PAN)
        # rim outline (needed by the handles)
        mo = self.blank()
        fpoly(None, mo, self.circ(c, R, 0, 128))
        self.rim_outer = mo
        # handles
        self.pan_handles = []
        self.draw_pan_handles(outside)
        # rim
        rim_col = outside * 1.25 + 15 if self.mat not in ("steel", "alu") else outside * 1.1
        self.paint(mo, self.tex(rim_col, 0.05, 5, 1), PAN)
        # interior
        Ri = R - self.rim_t
        mi = self.blank()
        fpoly(None, mi, self.circ(c, Ri, 0, 128))
        self.interior = mi
        cf = self.proj(c, 0, 0, -D)  # floor centre
        self.floor_c = cf
        gx, gy = self.ground_coords(self.proj(c, 0, 0, -D * 0.5))
        rho = np.sqrt(gx * gx + gy * gy) / R
        ti = self.tex(inside, 0.07, 5, 2, 0.02, grain=0.02)
        if kind == "wok":
            sh = 0.75 + 0.5 * np.clip(rho, 0, 1) ** 1.5
            if self.mat == "carbon":  # burnt centre, bronze/blue patina
                pat = self.noise(3, 2)
                ti[..., 0] *= 1 + 0.12 * pat
                ti[..., 2] *= 1 - 0.1 * pat
                sh *= 1 - 0.35 * np.exp(-(rho / 0.35) ** 2)
            ti *= sh[..., None]
            ti *= (1 + 0.04 * np.sin(rho * R / (1.6 * s)))[..., None]
        else:
            fl = self.blank()
            fpoly(None, fl, self.circ(c, self.rfloor, -D, 96))
            # far wall: darker towards the floor (occlusion)
            gxw, gyw = self.ground_coords(c)
            wall_sh = 0.7 + 0.3 * np.clip(-gyw / R, 0, 1)
            ti_w = ti * wall_sh[..., None]
            self.paint(mi, ti_w, PAN)
            ti = ti * (1 + 0.05 * np.sin(rho * R / (1.5 * s)))[..., None] * r.uniform(0.85, 1.1)
            mi = cv2.bitwise_and(mi, fl)
        self.paint(mi, ti, PAN)
        # specular highlights
        if r.random() < 0.85:
            hp = self.proj(c, r.uniform(-0.4, 0.4) * R, -r.uniform(0.55, 0.85) * R, -D * 0.3)
            self.add_glow(hp, (R * r.uniform(0.2, 0.5), R * r.uniform(0.03, 0.09)), self.ang + r.normal(0, 15),
                          strength=r.uniform(0.25, 0.8), sigma=r.uniform(2, 7) * s, clip=self.interior)
        for _ in range(r.integers(1, 3)):
            t0 = r.uniform(0, 2 * math.pi)
            t = np.linspace(t0, t0 + r.uniform(0.3, 1.2), 12)
            arc = self.proj(c, (R - self.rim_t / 2) * np.cos(t), (R - self.rim_t / 2) * np.sin(t), 0)
            self.add_glow(arc, None, strength=r.uniform(0.3, 0.9), sigma=1.2 * s, thick=-max(1, self.rim_t * 0.6),
                          clip=self.rim_outer)
        if self.hob in ("gas", "wokrange") and r.random() < 0.8:
            self.draw_flames(behind=False)

    def draw_pan_handles(self, outside):
        r = self.rng
        s = self.s
        c, R, D = self.c, self.R, self.depth
        kind = self.pan_kind
        phi = math.radians(r.uniform(0, 360))
        if kind == "wok" and r.random() < 0.35:  # two ear handles instead
            kinds = ["ear", "ear"]
        elif kind == "wok":
            kinds = ["long", "ear"]
        elif kind == "stock":
            kinds = ["ear", "ear"]
        elif kind == "saute" and r.random() < 0.5:
            kinds = ["long", "ear"]
        else:
            kinds = ["long"]
        for j, hk in enumerate(kinds):
            ph = phi + j * math.pi
            cp, sp = math.cos(ph), math.sin(ph)
            if hk == "long":
                Lh = R * r.uniform(0.9, 1.8)
                z0 = -0.1 * D
                a = self.proj(c, R * 0.98 * cp, R * 0.98 * sp, z0)
                b = self.proj(c, (R + Lh) * cp, (R + Lh) * sp, z0 + Lh * r.uniform(0.05, 0.3))
                hw = R * r.uniform(0.05, 0.08)
                mat = str(r.choice(["same", "wood", "black", "steel"]))
                col = {"same": outside, "wood": jit(WOOD[int(r.integers(len(WOOD)))], r, 0.05, 0.2),
                       "black": jit((30, 30, 32), r, 0.05, 0.3), "steel": jit((175, 175, 172), r, 0.03, 0.2)}[mat]
                m = self.blank()
                fpoly(None, m, capsule(a, b, hw, hw * r.uniform(1.0, 1.5)))
                m = cv2.bitwise_and(m, cv2.bitwise_not(self.rim_outer))
                t = self.cyl_tex(a, b, hw * 1.2, col, spec=0.5 if mat in ("steel", "same") else 0.2, m=m)
                self.paint(m, t, PAN)
                self.pan_handles.append((a, b, hw))
            else:
                a = self.proj(c, R * cp, R * sp, -0.1 * D)
                e = self.proj(c, R * 1.18 * cp, R * 1.18 * sp, 0)
                m = self.blank()
                w = R * 0.16
                d = (e - a)
                d = d / (np.linalg.norm(d) + 1e-9)
                nr = np.array([-d[1], d[0]])
                pts = np.array([a + nr * w, e + nr * w * 0.8, e - nr * w * 0.8, a - nr * w])
                fline(None, m, pts, None, max(2, R * 0.035))
                m = cv2.bitwise_and(m, cv2.bitwise_not(self.rim_outer))
                self.paint(m, self.tex(outside * 0.95, 0.06, 4, 1), PAN)

    def cyl_tex(self, p0, p1, hw, base, spec=0.4, edge_dark=0.45, m=None):
        """shading of a cylinder lying from p0 to p1 (half width hw); computed inside m's box only."""
        t = np.zeros((self.H, self.W, 3), F32)
        x, y, w, h = cv2.boundingRect(m) if m is not None else (0, 0, self.W, self.H)
        if w == 0:
            return t
        sh = _cyl_shade(self.X[y:y + h, x:x + w], self.Y[y:y + h, x:x + w], p0, p1, hw, spec, edge_dark)
        t[y:y + h, x:x + w] = np.asarray(base, F32) * sh[..., None]
        return t

    def draw_flames(self, behind):
        r = self.rng
        s = self.s
        c, R, D = self.c, self.R, self.depth
        g = np.zeros((self.H, self.W), F32)
        gb = np.zeros((self.H, self.W), F32)
        big = self.hob == "wokrange"
        nfl = int(r.integers(14, 30))
        rr = (self.rfloor if self.pan_kind == "wok" else R * 0.75) * (r.uniform(0.9, 1.3))
        for i in range(nfl):
            a = 2 * math.pi * i / nfl + r.normal(0, 0.05)
            base = self.proj(c, rr * math.cos(a), rr * math.sin(a), -D - 0.05 * R)
            L = R * (r.uniform(0.25, 0.7) if big else r.uniform(0.08, 0.2))
            tip = self.proj(c, (rr + L * 0.6) * math.cos(a), (rr + L * 0.6) * math.sin(a), -D - 0.05 * R + L)
            w = R * 0.05 * (2 if big else 1)
            d = tip - base
            nr = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-9)
            tri = np.array([base + nr * w, tip, base - nr * w])
            cv2.fillPoly(g, [_ip(tri)], float(r.uniform(0.5, 1.0)), cv2.LINE_8, 4)
            tri2 = np.array([base + nr * w * 0.6, base + d * 0.4, base - nr * w * 0.6])
            cv2.fillPoly(gb, [_ip(tri2)], 1.0, cv2.LINE_8, 4)
        g = cv2.GaussianBlur(g, (0, 0), 2.5 * s)
        gb = cv2.GaussianBlur(gb, (0, 0), 1.5 * s)
        if behind:
            # visible only around the body
            keep = (self.body_mask == 0)
            g *= keep
            gb *= keep
        else:
            keep = (self.rim_outer == 0)
            g *= keep * 0.6
            gb *= keep * 0.5
        orange = np.array([40, 150, 255], F32) if (big or r.random() < 0.4) else np.array([255, 160, 80], F32)
        a = np.clip(g * r.uniform(0.35, 0.7) + gb * 0.4, 0, 0.85)[..., None]
        col = (orange * g[..., None] + np.array([255, 150, 70], F32) * gb[..., None] * 1.5) / (g + gb * 1.5 + 1e-4)[..., None]
        self.img = self.img * (1 - a * 0.6) + col * a

    def draw_griddle(self):
        r = self.rng
        s = self.s
        c = self.c
        R = self.R = max(self.R, 0.45 * self.H)
        W2, H2 = R * r.uniform(1.4, 2.6), R * r.uniform(1.1, 2.0)
        q = np.array([[-W2, -H2], [W2, -H2], [W2, H2], [-W2, H2]])
        plate = self.proj(c, q[:, 0], q[:, 1], 0)
        m = self.blank()
        fpoly(None, m, plate)
        self.interior = m.copy()
        self.rim_outer = m.copy()
        self.body_mask = m.copy()
        self.floor_c = c.copy()
        self.inside_col = jit((38, 40, 44), r, 0.1, 0.5) if r.random() < 0.75 else jit((140, 142, 145), r, 0.03, 0.2)
        t = self.tex(self.inside_col, 0.2, 4, 3, 0.02, grain=0.03)
        # heat tint patches (bronze), scraping marks
        pat = np.clip(self.noise(2, 2), 0, None)
        t[..., 1] *= 1 + 0.12 * pat
        t[..., 2] *= 1 + 0.25 * pat
        self.paint(m, t, PAN)
        for _ in range(r.integers(5, 25)):
            p = self.sample_in(m)[0]
            d = unit(self.ang + r.normal(0, 10)) * r.uniform(10, 50) * s
            fline(self.img, None, np.array([p, p + d]), self.inside_col * r.uniform(1.2, 1.8), 1)
        # splash guard at the far edge and trough at the near edge
        g = np.array([[-W2, -H2], [W2, -H2], [W2, -H2], [-W2, -H2]], float)
        top = self.proj(c, g[:, 0], g[:, 1], np.array([0, 0, 0.25, 0.25]) * R)
        gm = self.blank()
        fpoly(None, gm, top[[0, 1, 2, 3]][[0, 1, 2, 3]])
        self.paint(gm, self.brushed(jit((180, 180, 178), r, 0.03, 0.2), 0.06, self.ang), PAN)
        tr = self.proj(c, np.array([-W2, W2, W2, -W2]), np.array([H2, H2, H2 + 0.12 * R, H2 + 0.12 * R]), 0)
        tm = self.blank()
        fpoly(None, tm, tr)
        self.paint(tm, self.tex((30, 30, 32), 0.1, 6, 1), PAN)
        self.add_glow(self.proj(c, r.uniform(-0.5, 0.5) * R, r.uniform(-1, 0.5) * R, 0),
                      (R * r.uniform(0.3, 0.8), R * r.uniform(0.1, 0.3)), self.ang + r.normal(0, 20),
                      strength=r.uniform(0.1, 0.35), sigma=12 * s, clip=self.interior)
        self.pan_handles = []
        self.depth = 0.0
        self.rfloor = R

    # ------------------------------------------------------------------ food
    def draw_food(self):
        r = self.rng
        kind = self.pan_kind
        self.surface = None
        self.food_tex = None
        self.recipe_pieces = None
        self.mound = None
        if kind == "griddle":
            recipes = ["burgers", "fried_eggs", "pancakes", "sausages", "veg", "fried_rice", "noodles", "meat", "flatbread"]
            p = [0.16, 0.14, 0.1, 0.1, 0.12, 0.12, 0.12, 0.08, 0.06]
        elif kind == "wok":
            recipes = ["fried_rice", "noodles", "veg", "meat", "curry", "sauce", "scrambled", "soup", "oil"]
            p = [0.2, 0.2, 0.2, 0.1, 0.08, 0.08, 0.06, 0.05, 0.03]
        elif kind in ("skillet", "saute"):
            recipes = ["veg", "meat", "sauce", "fried_eggs", "scrambled", "curry", "noodles", "fried_rice", "oil", "pancakes"]
            p = [0.16, 0.14, 0.13, 0.12, 0.08, 0.1, 0.08, 0.07, 0.04, 0.08]
        else:
            recipes = ["soup", "curry", "stew", "sauce", "noodle_soup", "boil", "oil"]
            p = [0.28, 0.2, 0.16, 0.12, 0.12, 0.1, 0.02]
        self.recipe = str(r.choice(recipes, p=np.array(p) / np.sum(p)))
        getattr(self, "food_" + self.recipe)()

    # --- piece primitives (draw into layer L and mask M)
    # --- vectorised food pieces: geometry for a whole batch at once, one cv2 call per piece and pass
    def _pk(self, L, M, kind, P, sz, cols, ang):
        r = self.rng
        n = len(P)
        k = self.k
        s = self.s
        lite = np.clip(cols * 1.25 + 12, 0, 255)
        dark = cols * 0.62
        lo = -self.light  # lit side of a piece
        if kind == "grain":
            poly = _ellpolys(P, sz, sz * 0.45, ang, 8)
            _fill(L, M, poly, cols)
            big = sz > 1.5 * s
            if big.any():
                _fill(L, None, _ellpolys(P[big] + lo * sz[big, None] * 0.2, sz[big] * 0.5, sz[big] * 0.18,
                                         ang[big], 6), lite[big])
        elif kind in ("cube", "disc", "pea", "chunk"):
            if kind == "cube":
                poly = _ellpolys(P, sz, sz * k, ang, 4)
                inner = _ellpolys(P + lo * sz[:, None] * 0.18, sz * 0.75, sz * 0.75 * k, ang, 4)
            elif kind == "disc":
                kk = k * r.uniform(0.8, 1.1, n)
                poly = _ellpolys(P, sz, sz * kk, ang, 14)
                inner = _ellpolys(P + lo * sz[:, None] * 0.1, sz * 0.78, sz * 0.78 * kk, ang, 14)
            elif kind == "pea":
                poly = _ellpolys(P, sz, sz, ang, 10)
                inner = _ellpolys(P + lo * sz[:, None] * 0.15, sz * 0.7, sz * 0.7, ang, 10)
            else:
                rr = _radial(r, n, 11, 0.35)
                kk = r.uniform(0.6, 1.0, n)
                poly = _ellpolys(P, sz, sz * kk, ang, 11, rr)
                inner = _ellpolys(P + lo * sz[:, None] * 0.18, sz * 0.72, sz * 0.72 * kk, ang, 11, rr)
            _fill(L, M, poly, dark if kind != "pea" else cols * 0.8)
            _fill(L, None, inner, cols)
            big = sz > 2.0 * s
            if big.any():
                _fill(L, None, _ellpolys(P[big] + lo * sz[big, None] * 0.4, sz[big] * 0.25, sz[big] * 0.15,
                                         ang[big], 6), lite[big])
        elif kind == "strip":
            ln, wd = sz * 1.5, sz * 0.4
            box = np.array([[-1, -0.7], [-0.85, -1], [0.85, -1], [1, -0.7], [1, 0.7], [0.85, 1], [-0.85, 1], [-1, 0.7]])
            poly = _boxpolys(P, ln, wd, ang, box)
            _fill(L, M, poly, dark)
            _fill(L, None, _boxpolys(P + lo * sz[:, None] * 0.1, ln * 0.92, wd * 0.6, ang, box), cols)
        elif kind == "floret":
            m6 = 6
            Q = np.repeat(P, m6, 0) + r.normal(0, 1, (n * m6, 2)) * np.repeat(sz, m6)[:, None] * 0.35
            zz = np.repeat(sz, m6) * 0.45
            cc = np.repeat(cols, m6, 0) * r.uniform(0.7, 1.1, (n * m6, 1))
            stem = _ellpolys(P + np.stack([np.cos(ang), np.sin(ang)], 1) * sz[:, None] * 0.6, sz * 0.55, sz * 0.22,
                             ang, 8)
            _fill(L, M, stem, lite)
            _fill(L, M, _ellpolys(Q, zz, zz * k, np.zeros(n * m6), 8), cc)
        elif kind == "leaf":
            t = np.linspace(0, math.pi, 8)
            loc = np.concatenate([np.stack([np.cos(t) * 1.3, np.sin(t) * 0.55], 1),
                                  np.stack([np.cos(t[::-1]) * 1.3, -np.sin(t[::-1]) * 0.55], 1)], 0)
            poly = _boxpolys(P, sz, sz, ang, loc)
            _fill(L, M, poly, cols)
            rib = _boxpolys(P, sz, sz, ang, np.array([[-1.2, 0], [1.2, 0]]))
            _lines(L, None, rib, lite, np.ones(n))
        elif kind in ("arc", "shrimp", "ring"):
            if kind == "ring":
                t0, span = np.zeros(n), np.full(n, 2 * math.pi)
                poly = _arcpolys(P, sz, sz * k, np.zeros(n), t0, span, 12)
                _lines(L, M, poly, cols, np.maximum(1, sz * 0.35), closed=True)
            elif kind == "arc":
                t0, span = r.uniform(0, 2 * math.pi, n), r.uniform(1.5, 3.5, n)
                poly = _arcpolys(P, sz, sz * k, np.full(n, self.ang), t0, span, 12)
                _lines(L, M, poly, cols, np.maximum(1, sz * 0.3))
            else:
                t0, span = r.uniform(0, 2 * math.pi, n), np.full(n, 3.6)
                poly = _arcpolys(P, sz, sz * 0.9, np.degrees(ang), t0, span, 10)
                _lines(L, M, poly, cols, np.maximum(2, sz * 0.55))
                _lines(L, None, poly, lite, np.maximum(1, sz * 0.15))
        elif kind == "sprout":
            loc = np.array([[-2, 0], [0, 0], [1.6, 0.5]])
            poly = _boxpolys(P, sz, sz, ang, loc)
            _lines(L, M, poly, cols, np.maximum(1, sz * 0.25))
        elif kind == "chili":
            _fill(L, M, _ellpolys(P, sz * 1.6, sz * 0.4, ang, 12), cols)
            _fill(L, None, _ellpolys(P + lo * sz[:, None] * 0.1, sz * 1.2, sz * 0.15, ang, 8), lite)
            stem = P + np.stack([np.cos(ang), np.sin(ang)], 1) * sz[:, None] * 1.4
            _fill(L, M, _ellpolys(stem, sz * 0.35, sz * 0.2, ang, 6), np.tile([[40, 130, 50]], (n, 1)))

    def pieces_batch(self, region, clip, plist, n):
        """Draw n pieces sampled inside `region`, clipped by `clip`; plist: [(kind, size, colour, weight)]."""
        r = self.rng
        if n <= 0 or region is None or not region.any():
            return self.blank()
        P = self.sample_in(region, n)
        L = self.layer()
        M = self.blank()
        w = np.array([q[3] for q in plist], float)
        w /= w.sum()
        idx = r.choice(len(plist), n, p=w)
        scale = self.s * self.food_scale
        for rnd in range(2):  # two interleaved rounds keep kinds mixed in depth
            for i in range(len(plist)):
                sel = np.nonzero((idx == i) & ((np.arange(n) % 2) == rnd))[0]
                if len(sel) == 0:
                    continue
                kind, sz, col, _ = plist[i]
                m = len(sel)
                szs = sz * scale * r.uniform(0.7, 1.3, m)
                cols = np.asarray(col, float)[None] * (1 + r.normal(0, 0.06, (m, 3))) * (1 + r.uniform(-0.15, 0.15, (m, 1)))
                cols = np.clip(cols, 0, 255)
                self._pk(L, M, kind, P[sel], szs, cols, r.uniform(0, math.pi, m))
        L *= (1 + 0.06 * self.noise(12, 1))[..., None]
        final = cv2.bitwise_and(M, clip)
        self.paint(final, L, FOOD)
        return final

    def strands(self, region, clip, n, cols, th, length, hang=None):
        r = self.rng
        s = self.s
        L = self.layer()
        M = self.blank()
        pts = self.sample_in(region, n) if hang is None else hang
        if pts is None:
            return self.blank()
        for p in pts:
            col = jit(cols[int(r.integers(len(cols)))], r, 0.05, 0.12)
            nseg = int(r.integers(5, 12))
            a = r.uniform(0, 2 * math.pi)
            q = [np.array(p, float)]
            step = length * s * self.food_scale / nseg
            for _ in range(nseg):
                a += r.normal(0, 0.6)
                dv = np.array([math.cos(a), math.sin(a) * self.k])
                if hang is not None:
                    dv = dv * 0.4 + self.v * 1.0
                q.append(q[-1] + dv * step)
            q = np.array(q)
            t = th * s * self.food_scale * r.uniform(0.8, 1.2)
            fline(L, M, q, col * 0.8, t + 1)
            fline(L, None, q, col, max(1, t - 0.6))
            if t > 2.5:
                fline(L, None, q - np.array([0.4, 0.6]) * t * 0.3, np.clip(col * 1.2 + 15, 0, 255), 1)
        final = cv2.bitwise_and(M, clip)
        self.paint(final, L, FOOD)
        return final

    @property
    def food_scale(self):
        return float(np.clip(self.R / (0.5 * self.H), 0.45, 1.8))

    def mound_mask(self, frac=(0.55, 0.95), lift=0.0, irr=0.25):
        r = self.rng
        rm = self.rfloor * r.uniform(*frac) if self.pan_kind != "wok" else self.R * r.uniform(*frac) * 0.75
        off = r.normal(0, 0.12, 2) * self.R
        c = self.proj(self.c, off[0], off[1], -self.depth * (1 - lift))
        m = self.blank()
        fpoly(None, m, self.blob_pts(c, rm, irr, 64))
        return cv2.bitwise_and(m, self.interior)

    def base_fill(self, m, col, amp=0.12, cells=10, grain=0.05, shade=True):
        t = self.tex(col, amp, cells, 2, 0.04, grain=grain)
        if shade:
            dist = cv2.distanceTransform(m, cv2.DIST_L2, 3)
            t *= (0.72 + 0.28 * np.clip(dist / (8 * self.s * self.food_scale), 0, 1))[..., None]
        self.paint(m, t, FOOD)
        self.food_tex = t
        return t

    def glossy(self, m, n=None, strength=0.5):
        r = self.rng
        n = int(r.integers(3, 12)) if n is None else n
        pts = self.sample_in(m, n)
        if pts is None:
            return
        g = np.zeros((self.H, self.W), F32)
        for p in pts:
            cv2.fillPoly(g, [_ip(ell(p, r.uniform(1, 4) * self.s, r.uniform(0.6, 2) * self.s, r.uniform(0, 180), 8))],
                         float(r.uniform(0.4, 1.0)), cv2.LINE_8, 4)
        g = cv2.GaussianBlur(g, (0, 0), 0.8 * self.s) * (m > 0)
        self.img += g[..., None] * 255 * strength

    # --- recipes
    def food_fried_rice(self):
        r = self.rng
        m = self.mound_mask((0.55, 1.0), lift=0.3)
        self.mound = m
        base = C[str(r.choice(["rice", "rice_y", "rice_y", "rice_soy", "rice_red"]))]
        self.base_fill(m, base, 0.15, 14, 0.08)
        extras = [("grain", 2.4, base, 10.0), ("grain", 2.2, np.array(base) * 1.15, 6.0),
                  ("cube", 2.5, C["carrot"], 0.8), ("pea", 2.0, C["pea"], 0.8), ("ring", 2.2, C["scallion"], 0.8),
                  ("chunk", 3.5, C["egg"], 1.0), ("cube", 3.0, C["charsiu"], 0.5), ("shrimp", 3.5, C["shrimp"], 0.3),
                  ("cube", 2.5, C["corn"], 0.3)]
        n = int(m.sum() / 255 / (14 * self.s * self.s * self.food_scale ** 2)) + 10
        self.recipe_pieces = extras
        self.pieces_batch(m, cv2.dilate(m, np.ones((3, 3), np.uint8)) & self.interior, extras, min(n, 900))
        self.pieces_batch(self.interior, self.interior, extras[:3], int(r.integers(0, 60)))
        self.glossy(m, strength=0.25)

    def food_noodles(self):
        r = self.rng
        m = self.mound_mask((0.5, 0.9), lift=0.2)
        self.mound = m
        if r.random() < 0.6:
            self.base_fill(m, jit(r.choice([C["sauce"], C["nood_br"], C["rsauce"]]), r), 0.1, 8, 0.03)
        ncol = [C[str(r.choice(["nood_egg", "nood_br", "nood_rice", "nood_glass", "nood_egg"]))]]
        ncol.append(np.array(ncol[0]) * 0.85)
        n = int(m.sum() / 255 / (90 * self.s * self.s * self.food_scale ** 2)) + 20
        th = r.uniform(1.8, 4.5)
        self.strands(m, self.interior, min(n, 400), ncol, th, r.uniform(30, 80))
        self.noodle_cols = (ncol, th)
        veg = [("strip", 3.5, C["carrot"], 1), ("leaf", 5, C["bokchoy"], 1), ("sprout", 3, C["sprout"], 1.5),
               ("chunk", 4.5, C["beef"], 1), ("shrimp", 4, C["shrimp"], 0.6), ("strip", 3, C["scallion"], 1)]
        self.recipe_pieces = veg
        self.pieces_batch(m, self.interior, veg, int(r.integers(5, 50)))
        self.glossy(m, strength=0.3)

    def food_veg(self):
        r = self.rng
        m = self.mound_mask((0.5, 1.0), lift=0.15, irr=0.35)
        self.mound = m
        if r.random() < 0.5:
            self.base_fill(m, jit(r.choice([C["sauce"], C["oil"], C["rsauce"], C["dgreen"]]), r), 0.1, 8, 0.04)
        pal = [("floret", 5.5, C["broc"], 1.0), ("strip", 4, C["rpep"], 1), ("strip", 4, C["ypep"], 0.7),
               ("strip", 4, C["gpep"], 0.7), ("arc", 5, C["onion"], 0.8), ("disc", 4, C["carrot"], 0.8),
               ("disc", 4.5, C["mush"], 0.6), ("leaf", 6, C["bokchoy"], 0.6), ("chunk", 5, C["chicken"], 0.6),
               ("chunk", 4.5, C["beef"], 0.5), ("cube", 4, C["tofu"], 0.3), ("chili", 3.5, C["chili"], 0.3),
               ("leaf", 4.5, C["basil"], 0.4), ("arc", 4, C["ponion"], 0.4), ("disc", 3.5, C["corn"], 0.2)]
        sub = [pal[i] for i in sorted(r.choice(len(pal), int(r.integers(3, 8)), replace=False))]
        self.recipe_pieces = sub
        n = int(m.sum() / 255 / (30 * self.s * self.s * self.food_scale ** 2)) + 12
        self.pieces_batch(m, self.interior, sub, min(n, 500))
        self.pieces_batch(self.interior, self.interior, sub, int(r.integers(0, 12)))
        self.glossy(m, strength=0.5)

    def food_meat(self):
        r = self.rng
        m = self.mound_mask((0.45, 0.95), lift=0.1, irr=0.35)
        self.mound = m
        if r.random() < 0.7:
            self.base_fill(m, jit(r.choice([C["sauce"], C["oil"], C["rsauce"], C["stew"]]), r), 0.08, 6, 0.03)
        col = C[str(r.choice(["beef", "chicken", "charsiu", "bacon", "sausage"]))]
        pal = [("chunk", r.uniform(5, 10), col, 3), ("chunk", 6, np.array(col) * 0.8, 1), ("arc", 4, C["onion"], 0.5),
               ("ring", 2.5, C["scallion"], 0.4), ("chili", 3, C["chili"], 0.3), ("leaf", 4, C["basil"], 0.2)]
        self.recipe_pieces = pal
        n = int(m.sum() / 255 / (60 * self.s * self.s * self.food_scale ** 2)) + 6
        self.pieces_batch(m, self.interior, pal, min(n, 250))
        self.glossy(m, strength=0.5)

    def food_scrambled(self):
        r = self.rng
        m = self.mound_mask((0.4, 0.85), lift=0.1, irr=0.4)
        self.mound = m
        col = jit(C["egg"], r, 0.05, 0.1)
        self.base_fill(m, col, 0.18, 12, 0.05)
        pal = [("chunk", 5, col, 3), ("chunk", 4, np.array(col) * 1.1, 2), ("chunk", 3, (40, 120, 200), 0.4),
               ("ring", 2, C["scallion"], 0.5), ("cube", 2.5, C["tomato"], 0.4)]
        self.recipe_pieces = pal
        n = int(m.sum() / 255 / (40 * self.s * self.s * self.food_scale ** 2)) + 6
        self.pieces_batch(m, self.interior, pal, min(n, 300))

    def food_fried_eggs(self):
        r = self.rng
        self.oil_film(0.5)
        n = int(r.integers(1, 5)) if self.pan_kind != "griddle" else int(r.integers(2, 8))
        es = self.R * (0.28 if self.pan_kind != "griddle" else 0.2) * r.uniform(0.8, 1.2)
        acc = self.blank()
        for _ in range(n):
            p = self.sample_in(cv2.erode(self.interior, np.ones((5, 5), np.uint8)))
            if p is None:
                break
            p = p[0]
            m = self.blank()
            fpoly(None, m, self.blob_pts(p, es, 0.3, 40))
            m &= self.interior
            t = self.tex(jit(C["egg_w"], r, 0.03, 0.05), 0.05, 8, 2)
            edge = cv2.distanceTransform(m, cv2.DIST_L2, 3)
            brown = np.clip(1 - edge / (2.5 * self.s), 0, 1) * r.uniform(0, 1)
            t = t * (1 - brown[..., None]) + np.array([40, 110, 180], F32) * brown[..., None]
            self.paint(m, t, FOOD)
            acc |= m
            y = self.blank()
            yc = p + r.normal(0, es * 0.15, 2)
            yr = es * r.uniform(0.3, 0.42)
            fpoly(None, y, ell(yc, yr, yr * self.k, 0, 24))
            y &= self.interior
            yt = self.tex(jit((30, 150, 245), r, 0.05, 0.1), 0.05, 6, 1)
            self.paint(y, yt, FOOD)
            self.add_glow(yc - np.array([yr * 0.3, yr * 0.3]), (yr * 0.3, yr * 0.2), 20, strength=0.6, sigma=1.2 * self.s,
                          clip=y)
        self.mound = acc
        self.recipe_pieces = [("chunk", 4, C["egg_w"], 1)]

    def oil_film(self, prob):
        r = self.rng
        if r.random() < prob:
            m = self.mound_mask((0.3, 0.75), lift=0.0, irr=0.5)
            a = r.uniform(0.35, 0.6)
            t = self.img * (1 - a) + np.array(jit(C["oil"], r, 0.1, 0.2), F32) * a
            t *= (1 + 0.12 * self.noise(6, 2))[..., None]
            self.paint(m, np.clip(t, 0, 255).astype(F32), FOOD)
            self.edge_shade(m, 3 * self.s, -0.35)
            self.glossy(m, n=int(r.integers(8, 25)), strength=0.7)
            return m
        return self.blank()

    def food_oil(self):
        m = self.oil_film(1.0)
        self.mound = m
        self.recipe_pieces = [("pea", 1.5, C["oil"], 1)]
        self.pieces_batch(m, m, [("pea", 1.5, C["oil"], 1)], int(self.rng.integers(5, 30)))

    def food_pancakes(self):
        r = self.rng
        n = 1 if self.pan_kind != "griddle" else int(r.integers(2, 7))
        acc = self.blank()
        for _ in range(n):
            p = self.sample_in(cv2.erode(self.interior, np.ones((9, 9), np.uint8)))
            if p is None:
                break
            rad = self.R * (0.7 if n == 1 else r.uniform(0.22, 0.35))
            m = self.blank()
            fpoly(None, m, self.blob_pts(p[0], rad, 0.08, 48))
            m &= self.interior
            col = jit(C["pancake"], r, 0.06, 0.2)
            t = self.tex(col, 0.25, 10, 3, 0.04, grain=0.04)
            self.paint(m, t, FOOD)
            self.edge_shade(m, rad * 0.15, -0.2)
            acc |= m
        self.mound = acc
        self.recipe_pieces = [("chunk", 4, C["pancake"], 1)]
        self.pieces_batch(acc, acc, [("pea", 1.3, (40, 90, 140), 1)], int(r.integers(10, 80)))

    def food_flatbread(self):
        self.food_pancakes()

    def food_burgers(self):
        r = self.rng
        n = int(r.integers(2, 9))
        acc = self.blank()
        self.oil_film(0.4)
        for _ in range(n):
            p = self.sample_in(cv2.erode(self.interior, np.ones((9, 9), np.uint8)))
            if p is None:
                break
            rad = self.R * r.uniform(0.16, 0.26)
            m = self.blank()
            fpoly(None, m, self.blob_pts(p[0], rad, 0.06, 36))
            m &= self.interior
            t = self.tex(jit(C["burger"], r, 0.1, 0.3), 0.15, 14, 2, 0.05, grain=0.1)
            self.paint(m, t, FOOD)
            self.edge_shade(m, rad * 0.3, 0.45)
            self.glossy(m, n=int(r.integers(2, 8)), strength=0.3)
            if r.random() < 0.3:  # cheese slice
                cm = self.blank()
                q = ell(p[0], rad * 0.85, rad * 0.85 * self.k, self.ang + r.uniform(0, 90), 4)
                fpoly(None, cm, q)
                cm &= self.interior
                self.paint(cm, self.tex(jit(C["cheese"], r, 0.05, 0.1), 0.05, 5, 1), FOOD)
            acc |= m
        self.mound = acc
        self.recipe_pieces = [("arc", 5, C["onion"], 1), ("chunk", 3, C["burger"], 1)]
        self.pieces_batch(self.interior, self.interior, self.recipe_pieces, int(r.integers(0, 25)))

    def food_sausages(self):
        r = self.rng
        n = int(r.integers(3, 12))
        acc = self.blank()
        a0 = r.uniform(0, 180)
        for _ in range(n):
            p = self.sample_in(cv2.erode(self.interior, np.ones((9, 9), np.uint8)))
            if p is None:
                break
            Ls = self.R * r.uniform(0.2, 0.35)
            d = unit(a0 + r.normal(0, 10)) * Ls
            m = self.blank()
            fpoly(None, m, capsule(p[0] - d, p[0] + d, Ls * 0.18, Ls * 0.18))
            m &= self.interior
            t = self.cyl_tex(p[0] - d, p[0] + d, Ls * 0.18, jit(C["sausage"], r, 0.08, 0.2), spec=0.35, m=m)
            t *= (1 + 0.08 * self.noise(10, 1))[..., None]
            self.paint(m, t, FOOD)
            for j in range(3):
                q = p[0] + d * (j - 1) * 0.5
                nr = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-9) * Ls * 0.15
                fline(self.img, None, np.array([q - nr, q + nr]), (25, 35, 60), 1.5 * self.s)
            acc |= m
        self.mound = acc
        self.recipe_pieces = [("chunk", 4, C["sausage"], 1)]

    def liquid(self, col, fill=None):
        r = self.rng
        fill = r.uniform(0.3, 0.85) if fill is None else fill
        z = -self.depth * (1 - fill)
        if self.pan_kind == "wok":
            rad = self.rfloor + (self.R - self.rfloor) * fill ** 0.6
        else:
            rad = self.R - self.rim_t
        m = self.blank()
        fpoly(None, m, self.circ(self.c, rad, z, 96))
        m &= self.interior
        self.surface = m
        t = self.tex(col, 0.08, 5, 2, 0.05, grain=0.02)
        gx, gy = self.ground_coords(self.proj(self.c, 0, 0, z))
        ripple = np.sin(np.sqrt(gx * gx + gy * gy) / (r.uniform(2, 5) * self.s) + self.noise(3, 1) * 3)
        t *= (1 + r.uniform(0.0, 0.05) * ripple)[..., None]
        self.paint(m, t, FOOD)
        self.food_tex = t
        # meniscus line darker
        fline(self.img, None, self.circ(self.c, rad, z, 96), np.asarray(col) * 0.6, 1, closed=True)
        self.mound = m
        return m

    def float_pieces(self, m, pal, n):
        self.recipe_pieces = pal
        self.pieces_batch(cv2.erode(m, np.ones((3, 3), np.uint8)), m, pal, n)
        # droplets of fat and bubbles (image only)
        r = self.rng
        L = self.layer()
        Mk = self.blank()
        pts = self.sample_in(m, int(r.integers(5, 60)))
        if pts is not None:
            base = np.array(C["oil"], F32)
            for p in pts:
                rad = r.uniform(0.8, 3.5) * self.s * self.food_scale
                fline(L, Mk, ell(p, rad, rad * self.k, 0, 10), np.clip(base * r.uniform(1.0, 1.4), 0, 255), 1, True)
            Mk &= m
            x = Mk > 0
            self.img[x] = self.img[x] * 0.5 + L[x] * 0.5

    def food_soup(self):
        r = self.rng
        col = C[str(r.choice(["broth", "clear", "tomato", "miso", "broth"]))]
        m = self.liquid(jit(col, r, 0.08, 0.2))
        pal = [("cube", 4, C["tofu"], 1), ("ring", 2.5, C["scallion"], 1), ("leaf", 5, C["bokchoy"], 0.8),
               ("disc", 4, C["carrot"], 0.7), ("chunk", 4.5, C["chicken"], 0.7), ("disc", 4.5, C["mush"], 0.5),
               ("leaf", 3, C["basil"], 0.3), ("shrimp", 4, C["shrimp"], 0.3), ("chunk", 6, C["dumpling"], 0.4)]
        sub = [pal[i] for i in sorted(r.choice(len(pal), int(r.integers(2, 6)), replace=False))]
        self.float_pieces(m, sub, int(r.integers(3, 60)))
        self.glossy(m, strength=0.4)

    def food_noodle_soup(self):
        r = self.rng
        m = self.liquid(jit(C[str(r.choice(["broth", "clear", "miso"]))], r, 0.08, 0.2))
        ncol = [C[str(r.choice(["nood_egg", "nood_rice", "nood_egg"]))]]
        self.strands(cv2.erode(m, np.ones((5, 5), np.uint8)), m, int(r.integers(10, 60)), ncol, r.uniform(1.5, 3.5),
                     r.uniform(20, 60))
        self.float_pieces(m, [("ring", 2.5, C["scallion"], 1), ("leaf", 5, C["bokchoy"], 0.8),
                              ("chunk", 6, C["charsiu"], 0.5), ("disc", 5, C["egg"], 0.3)], int(r.integers(3, 25)))

    def food_curry(self):
        r = self.rng
        col = C[str(r.choice(["curry", "gcurry", "rcurry", "curry"]))]
        if self.pan_kind == "wok":
            m = self.liquid(jit(col, r, 0.08, 0.2), fill=r.uniform(0.15, 0.5))
        else:
            m = self.liquid(jit(col, r, 0.08, 0.2))
        pal = [("cube", 5, C["potato"], 1), ("chunk", 5.5, C["chicken"], 1), ("disc", 4, C["carrot"], 0.6),
               ("chunk", 5, C["beef"], 0.5), ("leaf", 4, C["basil"], 0.4), ("chili", 3, C["chili"], 0.3),
               ("strip", 3.5, C["gpep"], 0.3)]
        sub = [pal[i] for i in sorted(r.choice(len(pal), int(r.integers(2, 5)), replace=False))]
        self.float_pieces(m, sub, int(r.integers(5, 80)))
        self.glossy(m, strength=0.5)

    def food_stew(self):
        r = self.rng
        m = self.liquid(jit(r.choice([C["stew"], C["tomato"], C["curry"]]), r, 0.08, 0.2))
        pal = [("chunk", 6, C["beef"], 1.5), ("cube", 5, C["potato"], 1), ("disc", 4.5, C["carrot"], 1),
               ("arc", 4, C["onion"], 0.5), ("leaf", 3, C["basil"], 0.3)]
        self.float_pieces(m, pal, int(r.integers(20, 140)))
        self.glossy(m, strength=0.35)

    def food_sauce(self):
        r = self.rng
        col = jit(r.choice([C["sauce"], C["rsauce"], C["tomato"], (60, 150, 210), C["stew"], (200, 215, 225)]), r,
                  0.08, 0.2)
        if self.pan_kind in ("stock", "saucepan"):
            m = self.liquid(col, fill=r.uniform(0.05, 0.4))
        else:
            m = self.mound_mask((0.5, 1.05), lift=0.0, irr=0.45)
            self.base_fill(m, col, 0.08, 6, 0.02, shade=False)
            self.mound = m
        pal = [("chunk", 5, C["chicken"], 1), ("ring", 2.5, C["scallion"], 0.5), ("pea", 1.5, np.array(col) * 1.3, 1.5),
               ("chunk", 4, C["beef"], 0.6)]
        self.recipe_pieces = pal
        self.pieces_batch(m, m, pal, int(r.integers(0, 40)))
        self.glossy(m, strength=0.6)

    def food_boil(self):
        r = self.rng
        m = self.liquid(jit((170, 175, 170), r, 0.05, 0.15))
        ncol = [C["nood_egg"], (150, 200, 225)]
        if r.random() < 0.6:
            self.strands(cv2.erode(m, np.ones((5, 5), np.uint8)), m, int(r.integers(20, 120)), ncol,
                         r.uniform(1.5, 3), r.uniform(30, 90))
        else:
            self.recipe_pieces = [("chunk", 6, C["dumpling"], 1), ("shrimp", 5, (140, 180, 230), 0.3)]
            self.pieces_batch(m, m, self.recipe_pieces, int(r.integers(5, 40)))
        # foam / bubbles on the water (food label already)
        L = self.layer()
        pts = self.sample_in(m, int(r.integers(30, 200)))
        if pts is not None:
            for p in pts:
                rad = r.uniform(1, 4) * self.s
                fline(L, None, ell(p, rad, rad * self.k, 0, 10), (235, 235, 235), 1, True)
            x = (L.sum(2) > 0) & (m > 0)
            self.img[x] = self.img[x] * 0.4 + L[x] * 0.6
        self.recipe_pieces = self.recipe_pieces or [("chunk", 4, C["nood_egg"], 1)]

    # ------------------------------------------------------------------ spills outside the pan
    def draw_spills(self):
        r = self.rng
        if r.random() > 0.28 or self.recipe_pieces is None:
            return
        out = cv2.bitwise_not(self.rim_outer if self.pan_kind != "griddle" else self.interior)
        ring = self.blank()
        fpoly(None, ring, self.circ(self.c, self.R * 1.6, -self.depth, 64))
        region = ring & out
        n = int(r.integers(1, 14))
        pal = self.recipe_pieces
        if self.surface is not None or r.random() < 0.3:  # drips of sauce
            pts = self.sample_in(region, int(r.integers(1, 5)))
            if pts is not None:
                col = self.food_tex[int(self.c[1]) % self.H, int(self.c[0]) % self.W] if self.food_tex is not None \
                    else np.array(C["sauce"], F32)
                for p in pts:
                    m = self.blank()
                    fpoly(None, m, self.blob_pts(p, r.uniform(2, 7) * self.s, 0.4, 16))
                    self.paint(m, np.asarray(col, F32) * r.uniform(0.7, 1.0), FOOD)
        self.pieces_batch(region, np.full_like(region, 255), pal, n)

    # ------------------------------------------------------------------ tools
    def draw_tools(self):
        r = self.rng
        ntool = int(r.choice([0, 1, 2], p=[0.14, 0.64, 0.22]))
        self.tools = []
        for i in range(ntool):
            self.one_tool(i)

    def tool_target(self):
        """head position P and direction d (from head towards the handle end)."""
        r = self.rng
        W, H = self.W, self.H
        region = self.mound if (self.mound is not None and self.mound.any() and r.random() < 0.7) else self.interior
        region = cv2.bitwise_and(region, self.interior)
        if not region.any():
            region = self.interior
        vis = region.copy()
        vis[:6, :] = 0
        vis[-6:, :] = 0
        vis[:, :6] = 0
        vis[:, -6:] = 0
        if vis.any():
            region = vis
        P = self.sample_in(region)
        if P is None:
            P = np.array([[W / 2, H / 2]])
        P = P[0]
        # where the cook stands: mostly bottom / sides of the frame
        side = r.choice(["bottom", "left", "right", "top", "away"], p=[0.42, 0.2, 0.2, 0.08, 0.1])
        if side == "bottom":
            T = np.array([r.uniform(-0.2, 1.2) * W, H * 1.3])
        elif side == "left":
            T = np.array([-0.3 * W, r.uniform(0, 1.3) * H])
        elif side == "right":
            T = np.array([1.3 * W, r.uniform(0, 1.3) * H])
        elif side == "top":
            T = np.array([r.uniform(0, 1) * W, -0.3 * H])
        else:
            T = P + (P - self.c + r.normal(0, 5, 2)) * 3
        d = T - P
        d /= (np.linalg.norm(d) + 1e-9)
        a = math.degrees(math.atan2(d[1], d[0])) + r.normal(0, 12)
        return P, unit(a)

    def one_tool(self, idx):
        r = self.rng
        s = self.s
        P, d = self.tool_target()
        n = np.array([-d[1], d[0]])
        S = float(np.clip(self.R * r.uniform(0.45, 0.72), 16 * s, 100 * s))
        if self.framing == "close":
            S = min(S, 75 * s)
        Lh = float(np.hypot(self.W, self.H) * r.uniform(0.45, 1.4))
        grow = r.uniform(1.0, 1.7)
        kinds = ["ladle", "wokspat", "slotted", "tongs", "paddle", "whisk", "chopsticks", "fishslice", "spider",
                 "silicone", "turner", "spoon", "fork"]
        wts = np.array([1.2, 1.3, 1.0, 1.0, 1.0, 0.7, 0.9, 0.8, 0.6, 0.8, 0.8, 0.7, 0.4])
        if self.pan_kind == "griddle":
            wts[kinds.index("turner")] *= 4
            wts[kinds.index("fishslice")] *= 2
            wts[kinds.index("ladle")] *= 0.4
            wts[kinds.index("whisk")] *= 0.2
        if self.surface is not None:
            wts[kinds.index("ladle")] *= 3
            wts[kinds.index("spider")] *= 1.5
            wts[kinds.index("whisk")] *= 1.5
        if self.pan_kind == "wok":
            wts[kinds.index("wokspat")] *= 3
            wts[kinds.index("ladle")] *= 2
        kind = str(r.choice(kinds, p=wts / wts.sum()))
        T = ToolDraw(self, P, d, n, S, Lh, grow)
        getattr(T, kind)()
        M = T.M
        if not M.any():
            return
        # state relative to the food
        state = "over"
        if self.surface is not None and kind in ("ladle", "spider", "whisk", "spoon", "slotted", "tongs", "silicone",
                                                 "paddle", "chopsticks") and r.random() < 0.65:
            state = "submerged"
        elif self.mound is not None and self.mound.any() and r.random() < 0.5:
            state = "dug"
        lift = state == "over" and r.random() < 0.6
        lab_before = self.lab.copy()
        cov = None
        if state == "submerged":  # part of the tool below the (opaque) liquid surface
            aa = (self.X - P[0]) * d[0] + (self.Y - P[1]) * d[1]
            a_cut = r.uniform(-0.2, 0.9) * S
            cov = ((aa < a_cut) & (self.surface > 0) & (M > 0) & (lab_before == FOOD)).astype(np.uint8) * 255
        # cast shadow first (image only), from the part above the food
        if r.random() < 0.75:
            off = self.light * (r.uniform(2, 6) if not lift else r.uniform(6, 18)) * s
            Mt = np.float32([[1, 0, off[0]], [0, 1, off[1]]])
            Ms = M if cov is None else cv2.bitwise_and(M, cv2.bitwise_not(cov))
            sh = cv2.warpAffine(Ms, Mt, (self.W, self.H)).astype(F32) / 255.0
            sh = cv2.GaussianBlur(sh, (0, 0), r.uniform(1.5, 5) * s)
            self.img *= (1 - r.uniform(0.25, 0.55) * sh)[..., None]
        pre = self.img.copy()
        self.paint(M, T.L, STIR)
        layer_mask = M.copy()
        # food lifted on the tool
        if lift and kind in ("ladle", "spider", "slotted", "wokspat", "turner", "fishslice", "spoon", "tongs",
                             "chopsticks", "paddle", "silicone") and r.random() < 0.6:
            fm = T.load_food()
            if fm is not None:
                layer_mask |= fm
        # motion blur of the moving tool layer
        if r.random() < 0.35:
            ln = int(r.integers(3, 10) * s) | 1
            ker = np.zeros((ln, ln), F32)
            ang = r.uniform(0, 180)
            cc = ln // 2
            dv = unit(ang) * cc
            cv2.line(ker, (int(round(cc - dv[0])), int(round(cc - dv[1]))),
                     (int(round(cc + dv[0])), int(round(cc + dv[1]))), 1.0, 1)
            ker /= ker.sum()
            A = layer_mask.astype(F32) / 255.0
            Fm = self.img * A[..., None]
            Ab = cv2.filter2D(A, -1, ker, borderType=cv2.BORDER_REFLECT)
            Fb = cv2.filter2D(Fm, -1, ker, borderType=cv2.BORDER_REFLECT)
            self.img = pre * (1 - Ab[..., None]) + Fb
        # food covering part of the tool
        if state == "submerged":
            if cov.any():
                # opaque liquid hides the tool below the surface; a thin meniscus where it enters
                self.paint(cov, self.food_tex, FOOD)
                vis_tool = cv2.bitwise_and(M, cv2.bitwise_not(cov))
                men = cv2.dilate(vis_tool, np.ones((3, 3), np.uint8)) & cov
                self.shade_img(men, r.uniform(1.1, 1.3))
        elif state == "dug":
            aa = (self.X - P[0]) * d[0] + (self.Y - P[1]) * d[1]
            a_cut = r.uniform(-0.4, 0.7) * S
            near = ((aa < a_cut) & (M > 0)).astype(np.uint8) * 255
            near = cv2.dilate(near, np.ones((5, 5), np.uint8))
            if near.any() and self.recipe_pieces:
                if self.food_tex is not None and self.recipe in ("fried_rice", "scrambled", "veg", "meat", "noodles",
                                                                 "sauce"):
                    cm = self.blank()
                    fpoly(None, cm, self.blob_pts(P - d * S * 0.2, S * r.uniform(0.3, 0.6), 0.35, 24, k=1, ang=0))
                    cm &= self.mound & cv2.dilate(near, np.ones((9, 9), np.uint8))
                    cm &= (((lab_before == FOOD) | (M > 0)) * 255).astype(np.uint8)
                    self.paint(cm, self.food_tex, FOOD)
                if self.recipe in ("noodles",) and hasattr(self, "noodle_cols"):
                    cols, th = self.noodle_cols
                    self.strands(near, self.interior, int(r.integers(4, 20)), cols, th, r.uniform(20, 50))
                area = near.sum() / 255
                self.pieces_batch(near, self.interior | near, self.recipe_pieces,
                                  int(min(200, area / (25 * s * s)) + 3))
        # the hand holding it
        if r.random() < 0.5:
            T.hand()
        self.tools.append(kind)

    # ------------------------------------------------------------------ hands
    def draw_hand(self, G, d, hw_handle, palm):
        """A fist gripping a handle at G; d points from the tool head to the handle end."""
        r = self.rng
        s = self.s
        n = np.array([-d[1], d[0]])
        side = 1 if r.random() < 0.5 else -1
        glove = r.random() < 0.45
        col = jit(GLOVE[int(r.integers(len(GLOVE)))] if glove else SKIN[int(r.integers(len(SKIN)))], r, 0.05, 0.12)
        sleeve = jit(SLEEVE[int(r.integers(len(SLEEVE)))], r, 0.04, 0.15)
        # arm / sleeve goes out of the frame roughly along the handle
        aa = math.degrees(math.atan2(d[1], d[0])) + r.normal(0, 18)
        da = unit(aa)
        wrist = G + d * palm * 0.75 + n * side * palm * 0.15
        far = wrist + da * (self.W + self.H) * 1.5
        forearm_w = palm * r.uniform(0.42, 0.55)
        M = self.blank()
        L = self.layer()
        skin_len = palm * r.uniform(0.0, 1.2) if not glove else palm * r.uniform(0.8, 2.0)
        cuff = wrist + da * skin_len
        # sleeve
        fpoly(L, M, capsule(cuff, far, forearm_w * 1.25, forearm_w * 2.2), sleeve)
        ts = self.tex(sleeve, 0.1, 6, 2, 0.02)
        fold = self.noise(5, 1)
        ts *= (1 + 0.12 * fold)[..., None]
        sm = M.copy()
        # wrist / forearm skin or glove cuff
        fpoly(L, M, capsule(wrist, cuff + da * 2 * s, forearm_w * 0.9, forearm_w), col)
        # palm / back of the hand
        pc = G + n * side * palm * 0.18 + d * palm * 0.2
        fpoly(L, M, ell(pc, palm * 0.55, palm * 0.42, math.degrees(math.atan2(d[1], d[0])), 28), col)
        # curled fingers across the handle
        fw = palm * 0.2
        for i in range(4):
            q = G + d * (i - 1.5) * fw * 0.95 - d * palm * 0.1
            p0 = q + n * side * palm * 0.25
            p1 = q - n * side * (hw_handle + fw * 0.4)
            fpoly(L, M, capsule(p0, p1, fw * 0.52, fw * 0.48), col * r.uniform(0.9, 1.05))
        # thumb along the handle towards the head
        t0 = G + n * (-side) * (hw_handle * 0.3) + d * palm * 0.1
        t1 = t0 - d * palm * r.uniform(0.35, 0.6) - n * side * hw_handle * 0.5
        fpoly(L, M, capsule(t0, t1, fw * 0.55, fw * 0.45), col * 1.05)
        t = self.tex(np.array([1, 1, 1], F32), 0.07, 6, 1) * L
        t[sm > 0] = ts[sm > 0]
        self.paint(M, t, PAN)
        hm = M.copy()
        hm[sm > 0] = 0
        self.edge_shade(sm, forearm_w * 0.5, 0.4)
        self.edge_shade(hm, palm * 0.12, 0.45)
        if glove and r.random() < 0.7:  # nitrile sheen
            self.add_glow(pc - self.light * palm * 0.15, (palm * 0.3, palm * 0.12), math.degrees(math.atan2(d[1], d[0])),
                          strength=0.35, sigma=palm * 0.08, clip=hm)
        # knuckle creases
        for i in range(3):
            q = G + d * (i - 1.0) * fw * 0.95 - d * palm * 0.1
            fline(self.img, None, np.array([q + n * side * palm * 0.2, q - n * side * hw_handle]), col * 0.7, 1)
        return M

    def draw_free_arm(self):
        r = self.rng
        if r.random() > 0.12:
            return
        # a hand on the pan handle, or an arm reaching across the edge of the frame
        if self.pan_handles and r.random() < 0.6:
            a, b, hw = self.pan_handles[0]
            G = a + (b - a) * r.uniform(0.55, 0.9)
            d = (b - a) / (np.linalg.norm(b - a) + 1e-9)
            self.draw_hand(G, d, hw, max(hw * 4.5, self.R * 0.35))
        else:
            edge = r.integers(4)
            W, H = self.W, self.H
            G = np.array([r.uniform(0.1, 0.9) * W, r.uniform(0.1, 0.9) * H])
            out = [np.array([G[0], H * 1.5]), np.array([-0.5 * W, G[1]]), np.array([1.5 * W, G[1]]),
                   np.array([G[0], -0.5 * H])][edge]
            d = out - G
            d /= np.linalg.norm(d)
            G = G + d * r.uniform(0.0, 0.3) * H
            self.draw_hand(G, d, 2 * self.s, self.R * r.uniform(0.3, 0.5))

    # ------------------------------------------------------------------ photometric finish
    def finish(self):
        r = self.rng
        s = self.s
        H, W = self.H, self.W
        img = self.img
        # steam (semi transparent, image only)
        if r.random() < 0.55:
            a = np.clip(self.noise(r.uniform(2, 5), 3) * 0.6 + r.uniform(-0.2, 0.3), 0, 1)
            blob = np.zeros((H, W), F32)
            for _ in range(r.integers(1, 4)):
                p = self.c + r.normal(0, self.R * 0.4, 2)
                cv2.fillPoly(blob, [_ip(ell(p, self.R * r.uniform(0.4, 1.0), self.R * r.uniform(0.3, 0.8),
                                            r.uniform(0, 180), 24))], 1.0, cv2.LINE_8, 4)
            blob = cv2.GaussianBlur(blob, (0, 0), self.R * 0.25 + 3)
            a = a * blob * r.uniform(0.25, 0.75)
            steam = np.array([235, 238, 240], F32) * r.uniform(0.85, 1.05)
            img = img * (1 - a[..., None]) + steam * a[..., None]
        # lighting: colour temperature, gradient, vignette, exposure
        temp = str(r.choice(["neutral", "warm", "fluor", "cool", "sodium"], p=[0.3, 0.28, 0.22, 0.12, 0.08]))
        gain = {"neutral": (1, 1, 1), "warm": (0.78, 0.93, 1.1), "fluor": (1.0, 1.06, 0.9), "cool": (1.12, 1.0, 0.9),
                "sodium": (0.55, 0.85, 1.15)}[temp]
        gain = np.array(gain, F32) * (1 + r.normal(0, 0.03, 3)).astype(F32)
        gdir = unit(r.uniform(0, 360))
        grad = ((self.X - W / 2) * gdir[0] + (self.Y - H / 2) * gdir[1]) / max(W, H)
        illum = 1 + r.uniform(0, 0.6) * grad
        rr2 = ((self.X - W / 2) ** 2 + (self.Y - H / 2) ** 2) / (0.25 * (W * W + H * H))
        illum *= 1 - r.uniform(0, 0.45) * rr2
        img = img * illum[..., None] * gain
        # auto exposure towards a random target brightness (some frames dim, some bright)
        target = float(r.choice([r.uniform(55, 85), r.uniform(85, 135), r.uniform(135, 165)], p=[0.2, 0.6, 0.2]))
        lum = img.mean(2)
        expo = target / (float(lum.mean()) + 1.0)
        if r.random() < 0.85:  # most cameras keep the bright steel / food from clipping wholesale
            expo = min(expo, 255 * r.uniform(1.0, 1.25) / (float(np.percentile(lum[::4, ::4], 98)) + 1.0))
        expo = float(np.clip(expo, 0.45, 2.2))
        img *= expo
        # specular bloom
        if r.random() < 0.5:
            hi = np.clip(img.max(2) - 230, 0, None)
            if hi.any():
                img += cv2.GaussianBlur(hi, (0, 0), 3 * s)[..., None] * 0.5
        # fluorescent flicker / rolling shutter bands
        if temp == "fluor" and r.random() < 0.35:
            img *= (1 + 0.07 * np.sin(self.Y / (r.uniform(10, 40) * s) + r.uniform(0, 6)))[..., None]
        # defocus / cheap lens
        sig = float(r.choice([0, r.uniform(0.4, 0.9), r.uniform(0.9, 1.4)], p=[0.25, 0.55, 0.2]))
        if sig > 0:
            img = cv2.GaussianBlur(img, (0, 0), sig * s)
        # low resolution camera (not on top of a strong defocus)
        if r.random() < 0.2 and sig < 0.9:
            f = r.uniform(0.5, 0.8)
            small = cv2.resize(img, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
            img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
        # sensor noise: shot + read + chroma
        lvl = r.choice([r.uniform(1, 4), r.uniform(4, 9), r.uniform(9, 16)], p=[0.5, 0.38, 0.12])
        img = np.clip(img, 0, 255)
        nz = self.rng.standard_normal((H, W, 3)).astype(F32)
        lum = self.rng.standard_normal((H, W)).astype(F32)
        shot = np.sqrt(img / 255.0 + 0.05)
        img = img + (lum[..., None] * 0.7 + nz * 0.5) * float(lvl) * shot
        if r.random() < 0.3:  # row noise
            img += self.rng.normal(0, lvl * 0.3, (H, 1, 1)).astype(F32)
        out = np.clip(img + 0.5, 0, 255).astype(np.uint8)
        q = int(r.choice([r.integers(30, 60), r.integers(60, 85), r.integers(85, 97)], p=[0.25, 0.45, 0.3]))
        return out, q


# ----------------------------------------------------------------------------------------------------
# tools
# ----------------------------------------------------------------------------------------------------
class ToolDraw:
    """Builds one hand tool into a colour layer L and hard mask M (tool pixels only)."""

    def __init__(self, sc: Scene, P, d, n, S, Lh, grow):
        self.sc = sc
        self.r = sc.rng
        self.P = np.asarray(P, float)
        self.d = d
        self.n = n
        self.S = S
        self.Lh = Lh
        self.grow = grow
        self.L = sc.layer()
        self.M = sc.blank()
        self.head = sc.blank()
        self.grip_t = None
        self.handle = None  # (a0, a1, w0, w1)
        self.bowl = None

    def at(self, a, b=0.0):
        return self.P + self.d * a + self.n * b

    def loc(self, pts):
        pts = np.asarray(pts, float)
        return self.P + np.outer(pts[:, 0], self.d) + np.outer(pts[:, 1], self.n)

    def mat(self, kind=None):
        r = self.r
        kind = kind or str(r.choice(["steel", "steel", "steel", "black", "wood", "sili", "alu", "bamboo"]))
        if kind == "steel":
            return kind, jit((190, 190, 188), r, 0.03, 0.2)
        if kind == "alu":
            return kind, jit((160, 162, 160), r, 0.03, 0.15)
        if kind == "black":
            return kind, jit((32, 32, 34), r, 0.08, 0.4)
        if kind == "wood":
            return kind, jit(WOOD[int(r.integers(len(WOOD)))], r, 0.05, 0.15)
        if kind == "bamboo":
            return kind, jit((110, 175, 210), r, 0.05, 0.12)
        return "sili", jit(SILI[int(r.integers(len(SILI)))], r, 0.05, 0.12)

    def put(self, m, kind, col, p0=None, p1=None, hw=None, flat=False):
        """paint part mask m into L/M with material shading (computed in m's bounding box)."""
        sc = self.sc
        x, y, w, h = cv2.boundingRect(m)
        if w == 0:
            return
        X, Y = sc.X[y:y + h, x:x + w], sc.Y[y:y + h, x:x + w]
        if not flat and p0 is not None:
            spec = {"steel": 0.6, "alu": 0.35, "black": 0.3, "wood": 0.12, "bamboo": 0.15, "sili": 0.2}.get(kind, 0.3)
            sh = _cyl_shade(X, Y, p0, p1, hw, spec)
        else:
            aa = (X - self.P[0]) * self.d[0] + (Y - self.P[1]) * self.d[1]
            sh = (0.85 + 0.3 * np.clip(0.5 + aa / (2.5 * self.S), 0, 1)).astype(F32)
        if kind in ("wood", "bamboo"):
            q = (-(X - self.P[0]) * self.d[1] + (Y - self.P[1]) * self.d[0]) / (2.5 * sc.s)
            g = np.sin(q * 2 * math.pi + 2.5 * sc.noise(4, 2)[y:y + h, x:x + w])
            sh = sh * (1 + 0.12 * g)
            sh *= 1 + 0.05 * sc.noise(8, 1)[y:y + h, x:x + w]
        elif kind in ("steel", "alu"):
            sh *= 1 + 0.04 * sc.noise(10, 1)[y:y + h, x:x + w]
        else:
            sh *= 1 + 0.03 * sc.noise(8, 1)[y:y + h, x:x + w]
        t = np.asarray(col, F32) * sh[..., None].astype(F32)
        sub = m[y:y + h, x:x + w] > 0
        np.copyto(self.L[y:y + h, x:x + w], t, where=sub[..., None])
        self.M[y:y + h, x:x + w][sub] = 255

    def poly(self, pts, kind, col, flat=True, head=True):
        m = self.sc.blank()
        fpoly(None, m, self.loc(pts))
        self.put(m, kind, col, flat=True)
        if head:
            self.head |= m
        return m

    def stick(self, a0, a1, w0, w1, kind, col, b0=0.0, b1=0.0, head=False):
        p0, p1 = self.at(a0, b0), self.at(a1, b1)
        m = self.sc.blank()
        fpoly(None, m, capsule(p0, p1, w0, w1))
        self.put(m, kind, col, p0, p1, max(w0, w1))
        if head:
            self.head |= m
        return m

    def cut(self, pts=None, ellipse=None, line=None, th=1):
        """remove holes from the tool (they show what is underneath)."""
        m = self.sc.blank()
        if pts is not None:
            fpoly(None, m, self.loc(pts))
        if ellipse is not None:
            (a, b), ra, rb = ellipse
            fpoly(None, m, ell(self.at(a, b), ra, rb, math.degrees(math.atan2(self.d[1], self.d[0])), 16))
        if line is not None:
            fline(None, m, self.loc(line), None, th)
        self.M[m > 0] = 0
        self.head[m > 0] = 0

    def handle_std(self, a0, w, kind=None, col=None, grip=None):
        """long handle from a0 to Lh, widening towards the viewer; optional grip sleeve."""
        r = self.r
        if kind is None:
            kind, col = self.mat()
        w1 = w * self.grow
        self.stick(a0, self.Lh, w, w1, kind, col)
        self.handle = (a0, self.Lh, w, w1)
        if grip is not None or r.random() < 0.45:
            gk, gc = grip if grip is not None else self.mat(str(r.choice(["wood", "black", "sili", "bamboo"])))
            g0 = a0 + (self.Lh - a0) * r.uniform(0.45, 0.75)
            wg = w * 1.35 + (w1 - w) * 0.6
            self.stick(g0, self.Lh, wg, wg * self.grow ** 0.3, gk, gc)
            if r.random() < 0.6:  # ferrule ring
                self.stick(g0 - 0.02 * self.S, g0 + 0.06 * self.S, wg * 1.05, wg * 1.05, "steel",
                           jit((200, 200, 198), r, 0.02, 0.1))
        # hanging hole at the end if visible
        if r.random() < 0.4:
            e = self.Lh - w1 * 2.2
            if self.sc.inframe(self.at(e)):
                self.cut(ellipse=((e, 0.0), w1 * 0.55, w1 * 0.4))

    # ---- individual tools
    def ladle(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "black", "alu", "sili"])))
        rb = S * r.uniform(0.35, 0.5)
        kb = r.uniform(0.55, 1.0) * max(self.sc.k, 0.6)
        ang = math.degrees(math.atan2(self.d[1], self.d[0]))
        m = self.sc.blank()
        ang = ang + 90 * (r.random() < 0.3)
        fpoly(None, m, ell(self.P, rb, rb * kb, ang, 40))
        self.put(m, kind, col * 1.05, flat=True)
        self.head |= m
        inner = self.sc.blank()
        fpoly(None, inner, ell(self.P + self.d * rb * 0.08, rb * 0.86, rb * kb * 0.86, ang, 40))
        t = np.empty_like(self.L)
        t[:] = col * 0.75
        aa = (self.sc.X - self.P[0]) * self.d[0] + (self.sc.Y - self.P[1]) * self.d[1]
        t *= (0.7 + 0.5 * np.clip(0.5 - aa / (2 * rb), 0, 1))[..., None]
        x = inner > 0
        self.L[x] = t[x]
        self.bowl = inner
        self.stick(rb * 0.85, rb * 1.6, S * 0.05, S * 0.045, kind, col)
        self.handle_std(rb * 1.5, S * 0.05, kind, col)
        if r.random() < 0.3:  # hook at the end
            e = self.at(self.Lh)
            fline(self.L, self.M, np.array([e, e + self.n * S * 0.2, e + self.n * S * 0.2 - self.d * S * 0.15]), col,
                  S * 0.06)

    def wokspat(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "steel", "black"])))
        wf, wb, lh = S * r.uniform(0.45, 0.6), S * r.uniform(0.3, 0.45), S * r.uniform(0.8, 1.1)
        t = np.linspace(-1, 1, 9)
        front = np.stack([-lh * 0.55 - (1 - t * t) * S * 0.08, t * wf], 1)
        pts = np.concatenate([front, np.array([[lh * 0.45, wb], [lh * 0.55, wb * 0.5], [lh * 0.55, -wb * 0.5],
                                               [lh * 0.45, -wb]])], 0)
        self.poly(pts, kind, col)
        # raised sides (lighter lines) inside the blade
        for sgn in (-1, 1):
            side = self.loc(np.array([[-lh * 0.45, sgn * wf * 0.92], [lh * 0.42, sgn * wb * 0.92]]))
            fline(self.L, None, side, np.clip(col * 1.3 + 20, 0, 255), max(1, S * 0.03))
        self.stick(lh * 0.5, lh * 0.95, S * 0.05, S * 0.05, kind, col)
        self.handle_std(lh * 0.9, S * 0.055, kind, col,
                        grip=self.mat(str(r.choice(["wood", "wood", "black", "bamboo"]))))

    def slotted(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "black", "sili", "alu"])))
        a, b = S * r.uniform(0.45, 0.6), S * r.uniform(0.25, 0.36)
        m = self.sc.blank()
        fpoly(None, m, ell(self.at(-a * 0.1), a, b, math.degrees(math.atan2(self.d[1], self.d[0])), 36))
        self.put(m, kind, col, flat=True)
        self.head |= m
        if r.random() < 0.5:
            ns = int(r.integers(3, 6))
            for i in range(ns):
                bb = (i - (ns - 1) / 2) * b * 1.4 / ns
                self.cut(line=np.array([[-a * 0.6, bb], [a * 0.3, bb]]), th=max(1, b * 0.12))
        else:
            for aa in np.linspace(-a * 0.7, a * 0.4, int(r.integers(3, 5))):
                for bb in np.linspace(-b * 0.55, b * 0.55, 3):
                    self.cut(ellipse=((aa, bb), max(1.0, S * 0.035), max(1.0, S * 0.035)))
        self.handle_std(a * 0.85, S * 0.05, kind, col)

    def spoon(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "wood", "black", "bamboo"])))
        a, b = S * r.uniform(0.4, 0.55), S * r.uniform(0.22, 0.32)
        m = self.sc.blank()
        fpoly(None, m, ell(self.at(-a * 0.1), a, b, math.degrees(math.atan2(self.d[1], self.d[0])), 36))
        self.put(m, kind, col, flat=True)
        self.head |= m
        inner = self.sc.blank()
        fpoly(None, inner, ell(self.at(-a * 0.12), a * 0.82, b * 0.78, math.degrees(math.atan2(self.d[1], self.d[0])), 36))
        x = inner > 0
        self.L[x] *= 0.85
        self.bowl = inner
        self.handle_std(a * 0.8, S * 0.055, kind, col)

    def tongs(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "steel", "black", "alu"])))
        g = S * r.uniform(0.06, 0.3)
        Lt = min(self.Lh, S * r.uniform(2.5, 5.0))
        w = S * 0.06
        tipcol = col if r.random() < 0.6 else jit(SILI[int(r.integers(len(SILI)))], self.r, 0.05, 0.1)
        tipk = kind if tipcol is col else "sili"
        for sgn in (-1, 1):
            p0, p1 = self.at(0.15 * S, sgn * g), self.at(Lt, sgn * w * 0.6)
            m = self.sc.blank()
            fpoly(None, m, quad(p0, p1, w, w * 1.1))
            self.put(m, kind, col, p0, p1, w)
            # scalloped gripping pad
            pm = self.sc.blank()
            for i in range(4):
                q = self.at(-0.2 * S + i * 0.1 * S, sgn * g)
                fpoly(None, pm, ell(q, S * 0.07, S * 0.09, 0, 12))
            fpoly(None, pm, quad(self.at(-0.22 * S, sgn * g), self.at(0.2 * S, sgn * g), S * 0.07, S * 0.07))
            self.put(pm, tipk, tipcol, flat=True)
            self.head |= pm
        # hinge / spring end
        hm = self.sc.blank()
        fpoly(None, hm, capsule(self.at(Lt - 0.3 * S), self.at(Lt + 0.05 * S), w * 1.6, w * 1.4))
        self.put(hm, kind, col * 0.9, flat=True)
        if r.random() < 0.5:
            self.cut(ellipse=((Lt - 0.05 * S, 0.0), w * 0.6, w * 0.6))
        self.handle = (0.3 * S, Lt, w * 2, w * 2)
        self.Lh = Lt

    def paddle(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["wood", "wood", "bamboo", "black"])))
        a, b = S * r.uniform(0.4, 0.6), S * r.uniform(0.22, 0.35)
        if r.random() < 0.5:  # flat straight-ended paddle
            pts = np.array([[-a, -b], [a * 0.6, -b], [a, -b * 0.4], [a, b * 0.4], [a * 0.6, b], [-a, b]])
            self.poly(pts, kind, col)
        else:
            m = self.sc.blank()
            fpoly(None, m, ell(self.P, a, b, math.degrees(math.atan2(self.d[1], self.d[0])), 36))
            self.put(m, kind, col, flat=True)
            self.head |= m
        self.handle_std(a * 0.9, S * 0.07, kind, col, grip=(kind, col))

    def whisk(self):
        r = self.r
        S = self.S
        kind, col = self.mat("steel")
        nl = int(r.integers(4, 9))
        la = S * r.uniform(0.55, 0.8)
        ang = math.degrees(math.atan2(self.d[1], self.d[0]))
        th = max(1, int(round(S * 0.025)))
        for i in range(nl):
            wi = S * 0.32 * (i + 1) / nl
            c = self.at(la * 0.35)
            pts = ell(c, la, wi, ang, 36)
            m = self.sc.blank()
            fline(None, m, pts, None, th, closed=True)
            # clip to the part before the handle junction
            aa = (self.sc.X - self.P[0]) * self.d[0] + (self.sc.Y - self.P[1]) * self.d[1]
            m[aa > la * 1.3] = 0
            self.put(m, "steel", col * r.uniform(0.9, 1.15), flat=True)
            self.head |= m
        hk, hc = self.mat(str(r.choice(["steel", "black", "wood", "sili"])))
        self.stick(la * 1.25, la * 1.5, S * 0.06, S * 0.06, "steel", col)
        self.handle_std(la * 1.45, S * 0.07, hk, hc, grip=(hk, hc))

    def chopsticks(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["bamboo", "wood", "bamboo", "black", "sili"])))
        Lc = min(self.Lh, S * r.uniform(3.5, 7))
        spread = S * r.uniform(0.05, 0.25)
        tipgap = S * r.uniform(0.0, 0.15)
        for sgn in (-1, 1):
            p0, p1 = self.at(0, sgn * tipgap), self.at(Lc, sgn * spread + r.normal(0, 0.04) * S)
            m = self.sc.blank()
            fpoly(None, m, capsule(p0, p1, S * 0.025, S * 0.045 * self.grow))
            self.put(m, kind, col * r.uniform(0.92, 1.05), p0, p1, S * 0.04)
            hm = self.sc.blank()
            fpoly(None, hm, capsule(p0, self.at(S * 0.8, sgn * tipgap), S * 0.03, S * 0.03))
            self.head |= hm & m
        self.handle = (S * 0.5, Lc, S * 0.08, S * 0.08)
        self.Lh = Lc

    def fishslice(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "black", "black", "sili"])))
        la, w0, w1 = S * r.uniform(0.8, 1.1), S * r.uniform(0.3, 0.42), S * r.uniform(0.18, 0.25)
        sk = r.uniform(-0.3, 0.3) * S
        pts = np.array([[-la * 0.55 - sk, -w0], [la * 0.45, -w1], [la * 0.45, w1], [-la * 0.55 + sk, w0]])
        self.poly(pts, kind, col)
        ns = int(r.integers(3, 6))
        for i in range(ns):
            bb = (i - (ns - 1) / 2) * (w1 * 1.6) / ns
            self.cut(line=np.array([[-la * 0.4, bb * 1.3], [la * 0.3, bb]]), th=max(1, S * 0.035))
        self.stick(la * 0.4, la * 0.75, S * 0.05, S * 0.05, kind, col, 0, S * 0.05)
        self.handle_std(la * 0.7, S * 0.06, *self.mat(str(r.choice(["wood", "black", "sili"]))))

    def spider(self):
        r = self.r
        S = self.S
        rad = S * r.uniform(0.4, 0.6)
        col = jit((175, 175, 172), r, 0.03, 0.2)
        ang = math.degrees(math.atan2(self.d[1], self.d[0]))
        kk = r.uniform(0.6, 1.0) * max(self.sc.k, 0.6)
        disc = self.sc.blank()
        fpoly(None, disc, ell(self.P, rad, rad * kk, ang, 48))
        mesh = self.sc.blank()
        sp = max(2.5, S * r.uniform(0.05, 0.09))
        th = 1
        for o in np.arange(-rad, rad, sp):
            fline(None, mesh, self.loc(np.array([[o, -rad], [o, rad]])), None, th)
            fline(None, mesh, self.loc(np.array([[-rad, o], [rad, o]])), None, th)
        if r.random() < 0.5:  # spiral-wire spider instead of mesh
            mesh[:] = 0
            t = np.linspace(0, 2 * math.pi * rad / sp, 400)
            rr = t / t.max() * rad
            pts = np.stack([self.P[0] + rr * np.cos(t), self.P[1] + rr * np.sin(t) * kk], 1)
            fline(None, mesh, pts, None, th)
            for k2 in range(6):
                a2 = math.pi * k2 / 6
                fline(None, mesh, np.array([self.P - unit(math.degrees(a2)) * rad * np.array([1, kk]),
                                            self.P + unit(math.degrees(a2)) * rad * np.array([1, kk])]), None, 1)
        mesh &= disc
        fline(None, mesh, ell(self.P, rad, rad * kk, ang, 48), None, max(2, S * 0.04), closed=True)
        self.put(mesh, "steel", col, flat=True)
        self.head |= disc
        self.bowl = disc
        # two wires to the handle
        for sgn in (-1, 1):
            m = self.sc.blank()
            fline(None, m, np.array([self.at(rad * 0.6, sgn * rad * 0.5 * kk), self.at(rad * 1.6, 0)]), None,
                  max(1, S * 0.025))
            self.put(m, "steel", col, flat=True)
        self.handle_std(rad * 1.5, S * 0.06, *self.mat(str(r.choice(["bamboo", "bamboo", "wood", "steel"]))))

    def silicone(self):
        r = self.r
        S = self.S
        kind, col = self.mat("sili")
        a, b = S * r.uniform(0.35, 0.5), S * r.uniform(0.25, 0.35)
        pts = np.array([[-a, -b * 0.8], [-a * 0.9, -b], [a * 0.6, -b], [a, -b * 0.5], [a, b * 0.5], [a * 0.6, b],
                        [-a * 0.9, b], [-a, b * 0.8]])
        self.poly(pts, kind, col)
        if r.random() < 0.5:
            hk, hc = kind, col
        else:
            hk, hc = self.mat(str(r.choice(["black", "wood", "steel", "sili"])))
        self.handle_std(a * 0.9, S * 0.06, hk, hc, grip=(hk, hc))

    def turner(self):
        r = self.r
        S = self.S
        kind, col = self.mat(str(r.choice(["steel", "steel", "steel", "black"])))
        la, wb = S * r.uniform(0.7, 1.0), S * r.uniform(0.32, 0.48)
        pts = np.array([[-la * 0.5, -wb], [-la * 0.5, wb], [la * 0.4, wb * 0.9], [la * 0.5, wb * 0.4],
                        [la * 0.5, -wb * 0.4], [la * 0.4, -wb * 0.9]])
        self.poly(pts, kind, col)
        fline(self.L, None, self.loc(np.array([[-la * 0.48, -wb], [-la * 0.48, wb]])), np.clip(col * 1.3 + 25, 0, 255), 1)
        if r.random() < 0.4:  # slots
            for i in range(3):
                bb = (i - 1) * wb * 0.5
                self.cut(line=np.array([[-la * 0.3, bb], [la * 0.25, bb]]), th=max(1, S * 0.04))
        self.stick(la * 0.45, la * 0.85, S * 0.06, S * 0.05, kind, col)
        hk, hc = self.mat(str(r.choice(["wood", "black", "wood"])))
        self.handle_std(la * 0.8, S * 0.07, hk, hc, grip=(hk, hc))
        # rivets
        for a2 in (0.35, 0.55):
            q = self.at(la * 0.8 + (self.Lh - la * 0.8) * a2 * 0.3)
            if self.sc.inframe(q):
                fpoly(self.L, None, ell(q, S * 0.025, S * 0.025, 0, 8), (200, 200, 200))

    def fork(self):
        r = self.r
        S = self.S
        kind, col = self.mat("steel")
        nt = int(r.integers(2, 4))
        sp = S * 0.1
        for i in range(nt):
            b = (i - (nt - 1) / 2) * sp
            self.stick(-S * 0.6, S * 0.1, S * 0.02, S * 0.035, kind, col, b, b * 0.4, head=True)
        self.stick(0.0, S * 0.25, S * 0.08, S * 0.05, kind, col, 0, 0, head=True)
        self.handle_std(S * 0.2, S * 0.05, *self.mat(str(r.choice(["wood", "black", "steel"]))))

    # ---- extras
    def load_food(self):
        """food resting on / in the tool head (food label)."""
        sc = self.sc
        r = self.r
        head = self.head & self.M
        if not head.any():
            return None
        if self.bowl is not None and sc.food_tex is not None and sc.surface is not None:
            m = cv2.erode(self.bowl, np.ones((3, 3), np.uint8)) & self.M | (self.bowl & ~self.M)
            m = cv2.erode(self.bowl, np.ones((3, 3), np.uint8))
            t = sc.tex(sc.food_tex[int(np.clip(sc.c[1], 0, sc.H - 1)), int(np.clip(sc.c[0], 0, sc.W - 1))], 0.06, 6, 1)
            sc.paint(m, t, FOOD)
            if sc.recipe_pieces:
                sc.pieces_batch(cv2.erode(m, np.ones((3, 3), np.uint8)), m, sc.recipe_pieces, int(r.integers(0, 5)))
            return m
        if sc.recipe in ("noodles", "noodle_soup", "boil") and hasattr(sc, "noodle_cols") or sc.recipe == "noodle_soup":
            cols = sc.noodle_cols[0] if hasattr(sc, "noodle_cols") else [C["nood_egg"]]
            th = sc.noodle_cols[1] if hasattr(sc, "noodle_cols") else 2.5
            pts = sc.sample_in(head, int(r.integers(3, 12)))
            if pts is None:
                return None
            full = np.full_like(head, 255)
            return sc.strands(None, full, 0, cols, th, r.uniform(15, 45), hang=pts)
        if not sc.recipe_pieces:
            return None
        region = cv2.erode(head, np.ones((3, 3), np.uint8))
        if not region.any():
            return None
        area = region.sum() / 255
        if sc.food_tex is not None and sc.recipe in ("fried_rice", "scrambled", "veg", "meat") and r.random() < 0.7:
            pts = sc.sample_in(region, 1)
            cm = sc.blank()
            fpoly(None, cm, sc.blob_pts(pts[0], math.sqrt(area) * r.uniform(0.2, 0.4), 0.4, 20, k=1, ang=0))
            cm &= cv2.dilate(head, np.ones((3, 3), np.uint8))
            sc.paint(cm, sc.food_tex, FOOD)
        else:
            cm = sc.blank()
        fm = sc.pieces_batch(region, cv2.dilate(head, np.ones((5, 5), np.uint8)), sc.recipe_pieces,
                             int(min(120, area / (20 * sc.s * sc.s)) + 1))
        return fm | cm

    def hand(self):
        sc = self.sc
        r = self.r
        if self.handle is None:
            return
        a0, a1, w0, w1 = self.handle
        # grip somewhere on the visible part of the handle
        ts = np.linspace(a0 + (a1 - a0) * 0.35, a1, 30)
        vis = [t for t in ts if sc.inframe(self.at(t), 4)]
        if not vis:
            return
        t = vis[int(r.integers(len(vis)))] if r.random() < 0.4 else vis[-1] - r.uniform(0, 0.1) * (a1 - a0)
        t = max(t, a0 + (a1 - a0) * 0.3)
        w = w0 + (w1 - w0) * (t - a0) / max(a1 - a0, 1e-6)
        palm = float(np.clip(max(w * 5.0, self.S * r.uniform(0.55, 0.8)), 14 * sc.s, 120 * sc.s))
        sc.draw_hand(self.at(t), self.d, w, palm)


# ----------------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------------
def render(rng: np.random.Generator, W: int, H: int):
    sc = None
    for _ in range(10):
        sc = Scene(rng, W, H)
        sc.build()
        share = float((sc.lab == STIR).mean())
        if share <= 0.28:
            break
    img, q = sc.finish()
    mask = MASK_BGR[sc.lab]
    return img, mask, q


def generate(out: Path, count: int, seed: int, size: tuple[int, int] = (320, 240)) -> None:
    out = Path(out)
    W, H = int(size[0]), int(size[1])
    di = out / "test" / "images"
    dm = out / "test" / "masks"
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(int(count)):
        rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, i, 0x6B62])
        img, mask, q = render(rng, W, H)
        stem = f"kb_{i:05d}"
        cv2.imwrite(str(di / f"{stem}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, q])
        cv2.imwrite(str(dm / f"{stem}.png"), mask, [cv2.IMWRITE_PNG_COMPRESSION, 3])


def _parse_size(s: str):
    w, h = s.lower().split("x")
    return int(w), int(h)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", type=_parse_size, default=(320, 240))
    a = ap.parse_args()
    generate(a.out, a.count, a.seed, a.size)
