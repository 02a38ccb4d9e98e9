"""Fruit photo generator (fresh / rotten x apple, banana, orange, strawberry).

generate(out, count, seed, size) writes OUT/<freshness><fruit>/<stem>.jpg, count/8 per folder.
numpy + OpenCV + standard library only.
"""
import argparse
import math
import pathlib

import cv2
import numpy as np

cv2.setNumThreads(1)

FRUITS = ["apple", "banana", "orange", "strawberry"]
FOLDERS = ["freshapple", "freshbanana", "freshorange", "freshstrawberry",
           "rottenapple", "rottenbanana", "rottenorange", "rottenstrawberry"]

F32 = np.float32


# ----------------------------------------------------------------------------- helpers
def vnoise(rng, h, w, cells):
    """smooth value noise in ~[0,1], shape (h, w)."""
    m = max(h, w)
    ch = max(2, int(cells * h / m) + 2)
    cw = max(2, int(cells * w / m) + 2)
    a = rng.random((ch, cw), dtype=F32)
    return cv2.resize(a, (w, h), interpolation=cv2.INTER_CUBIC)


def fbm(rng, h, w, cells, octaves=3):
    acc = np.zeros((h, w), F32)
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        acc += amp * vnoise(rng, h, w, cells * (2 ** o))
        tot += amp
        amp *= 0.5
    return acc / tot


def fine(rng, h, w, sigma=0.0):
    a = rng.random((h, w), dtype=F32)
    if sigma > 0:
        a = cv2.GaussianBlur(a, (0, 0), sigma)
        a = (a - a.mean()) / (a.std() + 1e-6) * 0.25 + 0.5
    return a


def jit(rng, col, amt=0.08):
    c = np.asarray(col, F32) * (1 + rng.uniform(-amt, amt, 3).astype(F32))
    return np.clip(c, 0, 1)


def mix(a, b, t):
    return a + (b - a) * t


def hsv_col(h, s, v):
    """h in degrees, s,v in [0,1] -> RGB float."""
    px = np.uint8([[[int(h / 2) % 180, int(s * 255), int(v * 255)]]])
    return cv2.cvtColor(px, cv2.COLOR_HSV2RGB)[0, 0].astype(F32) / 255.0


def smoothstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0, 1)
    return t * t * (3 - 2 * t)


# ----------------------------------------------------------------------------- fruit patch context
class Patch:
    """All per-pixel fields of one fruit inside its bounding box."""

    def __init__(self, rng, x0, y0, x1, y1, cx, cy, R):
        self.rng = rng
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        h, w = y1 - y0, x1 - x0
        self.h, self.w = h, w
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(F32)
        self.dx = xs - cx
        self.dy = ys - cy
        self.R = R
        self.alpha = np.zeros((h, w), F32)
        self.alb = np.zeros((h, w, 3), F32)
        self.nx = np.zeros((h, w), F32)
        self.ny = np.zeros((h, w), F32)
        self.nz = np.ones((h, w), F32)
        self.smod = np.ones((h, w), F32)
        self.gloss = np.ones((h, w), F32)
        self.flat = np.zeros((h, w), F32)
        self.rot = np.zeros((h, w), F32)
        self.extra = np.zeros((h, w), F32)   # alpha of fuzz / calyx / stalk drawn outside the body
        self.leak = False

    def pick(self, thr=0.95, edge_ok=True):
        idx = np.flatnonzero(self.alpha.ravel() > thr)
        if idx.size == 0:
            return 0.0, 0.0
        i = idx[self.rng.integers(idx.size)]
        return float(self.dx.ravel()[i]), float(self.dy.ravel()[i])

    def mask_u8(self):
        return np.zeros((self.h, self.w), np.uint8)

    def to_px(self, lx, ly):
        """fruit-centred offset -> patch pixel coordinates (for cv2 drawing)."""
        return lx - self.dx[0, 0], ly - self.dy[0, 0]


def make_patch(rng, cx, cy, ext, W, H, R):
    x0 = max(0, int(math.floor(cx - ext)))
    x1 = min(W, int(math.ceil(cx + ext)) + 1)
    y0 = max(0, int(math.floor(cy - ext)))
    y1 = min(H, int(math.ceil(cy + ext)) + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return Patch(rng, x0, y0, x1, y1, cx, cy, R)


def round_body(p, ang, harm, dent=None):
    """polar silhouette; harm = list of (k, amp, phase); dent = (theta, depth, width)."""
    ca, sa = math.cos(ang), math.sin(ang)
    u = ca * p.dx + sa * p.dy
    v = -sa * p.dx + ca * p.dy
    r = np.sqrt(u * u + v * v) + 1e-4
    th = np.arctan2(v, u)
    Rt = np.full_like(r, p.R)
    for k, a, ph in harm:
        Rt += p.R * a * np.cos(k * th + ph)
    if dent is not None:
        t0, dep, wid = dent
        d = np.angle(np.exp(1j * (th - t0))).astype(F32)
        Rt -= p.R * dep * np.exp(-(d / wid) ** 2)
    p.alpha = np.clip(Rt - r + 0.5, 0, 1)
    q = np.clip(r / Rt, 0, 1)
    p.nz = np.sqrt(np.clip(1 - q * q, 0, 1))
    p.nx = p.dx / r * q
    p.ny = p.dy / r * q
    p.u, p.v, p.r, p.Rt, p.th = u, v, r, Rt, th
    return u, v


def paint(p, mask, col):
    m = mask[..., None]
    p.alb = p.alb * (1 - m) + np.asarray(col, F32) * m


def draw_stalk(p, sx, sy, dirx, diry, length, thick, col, rng):
    m = p.mask_u8()
    pts = []
    bend = rng.uniform(-0.4, 0.4)
    for i in range(5):
        t = i / 4
        bx = sx + dirx * length * t - diry * length * bend * t * t
        by = sy + diry * length * t + dirx * length * bend * t * t
        pts.append(p.to_px(bx, by))
    pts = np.round(np.array(pts) * 4).astype(np.int32)
    cv2.polylines(m, [pts], False, 255, max(1, int(round(thick))), cv2.LINE_AA, shift=2)
    mm = m.astype(F32) / 255.0
    paint(p, mm, col)
    p.extra = np.maximum(p.extra, mm)
    p.smod = mix(p.smod, np.float32(1.0), mm)
    p.gloss *= 1 - mm
    p.nz = mix(p.nz, np.float32(0.8), mm)
    return mm


def draw_leaf(p, sx, sy, ang, length, width, col):
    m = p.mask_u8()
    c = p.to_px(sx + math.cos(ang) * length / 2, sy + math.sin(ang) * length / 2)
    cv2.ellipse(m, (int(c[0] * 4), int(c[1] * 4)), (int(length / 2 * 4), max(1, int(width / 2 * 4))),
                math.degrees(ang), 0, 360, 255, -1, cv2.LINE_AA, shift=2)
    mm = m.astype(F32) / 255.0
    # midrib
    rib = p.mask_u8()
    a = p.to_px(sx, sy)
    b = p.to_px(sx + math.cos(ang) * length * 0.95, sy + math.sin(ang) * length * 0.95)
    cv2.line(rib, (int(a[0] * 4), int(a[1] * 4)), (int(b[0] * 4), int(b[1] * 4)), 255, 1, cv2.LINE_AA, shift=2)
    col = np.asarray(col, F32)
    paint(p, mm, col)
    paint(p, rib.astype(F32) / 255.0 * mm * 0.6, np.clip(col * 1.5 + 0.1, 0, 1))
    p.extra = np.maximum(p.extra, mm)
    p.nz = mix(p.nz, np.float32(0.9), mm)
    p.nx = mix(p.nx, np.float32(0.0), mm)
    p.ny = mix(p.ny, np.float32(0.0), mm)
    p.smod = mix(p.smod, np.float32(1.0), mm)
    p.gloss = mix(p.gloss, np.float32(0.6), mm)
    p.rot = p.rot * (1 - mm)


def sticker(p, rng):
    sx, sy = p.pick(0.99)
    rr = max(1.5, p.R * rng.uniform(0.12, 0.22))
    m = p.mask_u8()
    c = p.to_px(sx, sy)
    cv2.ellipse(m, (int(c[0] * 4), int(c[1] * 4)), (int(rr * 4), int(rr * rng.uniform(0.6, 1.0) * 4)),
                rng.uniform(0, 180), 0, 360, 255, -1, cv2.LINE_AA, shift=2)
    mm = m.astype(F32) / 255.0 * p.alpha
    col = jit(rng, [(0.95, 0.95, 0.92), (0.2, 0.35, 0.75), (0.1, 0.5, 0.2), (0.95, 0.8, 0.1), (0.1, 0.1, 0.1)][rng.integers(5)], 0.1)
    paint(p, mm, col)
    txt = (fine(rng, p.h, p.w) > 0.6).astype(F32) * mm * 0.7
    paint(p, txt * (np.abs(p.dy - sy) < rr * 0.4), (0.1, 0.1, 0.1) if col.mean() > 0.5 else (0.95, 0.95, 0.95))
    p.gloss = mix(p.gloss, np.float32(0.4), mm)
    p.rot *= 1 - mm


# ----------------------------------------------------------------------------- rot primitives
def blob(p, cx, cy, rr, irr=0.35, soft=1.2, aniso=1.0, inside=True):
    rng = p.rng
    a = rng.uniform(0, math.pi)
    ca, sa = math.cos(a), math.sin(a)
    ex = p.dx - cx
    ey = p.dy - cy
    u = (ca * ex + sa * ey) / aniso
    v = -sa * ex + ca * ey
    d = np.sqrt(u * u + v * v)
    n = vnoise(rng, p.h, p.w, max(3, int(8 * p.w / max(8.0, rr * 2))))
    dp = d - rr * irr * (n - 0.5) * 2
    m = np.clip((rr - dp) / soft + 0.5, 0, 1)
    if inside:
        m = m * p.alpha
    return m, dp


def rot_decay(p, cx, cy, rr, dark=None, rings=None, sunk=0.5):
    rng = p.rng
    m, dp = blob(p, cx, cy, rr, irr=rng.uniform(0.15, 0.5), soft=rng.uniform(0.8, 2.5), aniso=rng.uniform(0.7, 1.4))
    if dark is None:
        r_ = rng.uniform(0.14, 0.42)
        dark = jit(rng, (r_, r_ * rng.uniform(0.5, 0.78), r_ * rng.uniform(0.15, 0.35)), 0.1)
    light = np.clip(dark * rng.uniform(1.4, 2.6) + rng.uniform(0.0, 0.1), 0, 1)
    if rings is None:
        rings = rng.random() < 0.45
    t = np.clip(dp / max(rr, 1.0), 0, 1) * rng.uniform(-0.6, 0.8)
    if rings:
        per = max(1.6, rr * rng.uniform(0.15, 0.35))
        t = t + 0.5 * (0.5 + 0.5 * np.sin(dp / per * 2 * math.pi + rng.uniform(0, 6)))
    t = np.clip(t + (fine(p.rng, p.h, p.w, 0.7) - 0.5) * 0.4, 0, 1)
    col = dark + (light - dark) * t[..., None]
    # water-soaked halo
    halo = np.clip((rr * rng.uniform(1.1, 1.35) - dp) / 2.0, 0, 1) * p.alpha * (1 - m)
    p.alb *= (1 - 0.25 * halo)[..., None]
    mm = m[..., None]
    p.alb = p.alb * (1 - mm) + col * mm
    p.gloss *= 1 - m * rng.uniform(0.3, 1.0)
    side = np.clip(0.5 - (p.dx - cx) / max(rr, 1.0) * 0.7, 0, 1)
    p.smod *= 1 - sunk * 0.35 * m * side * (dp > rr * 0.6)
    p.rot = np.maximum(p.rot, m)
    return m


MOULD_COLS = {
    "white": (0.92, 0.92, 0.88), "grey": (0.62, 0.62, 0.6), "bluegreen": (0.3, 0.58, 0.55),
    "green": (0.35, 0.55, 0.3), "olive": (0.48, 0.5, 0.22), "bluegrey": (0.5, 0.58, 0.62),
    "yellowish": (0.85, 0.82, 0.6),
}


def rot_mould(p, cx, cy, rr, colname, ring_white=False, cover=None):
    rng = p.rng
    m, dp = blob(p, cx, cy, rr, irr=rng.uniform(0.2, 0.6), soft=rng.uniform(1.5, 3.5), inside=False)
    near = np.clip(cv2.GaussianBlur(p.alpha, (0, 0), max(0.8, rr * 0.08)) * 2.5, 0, 1)
    sp = fine(rng, p.h, p.w, rng.uniform(0.5, 0.9))
    cl = vnoise(rng, p.h, p.w, max(3, int(p.w / max(1.5, rr * 0.4))))
    cov = rng.uniform(0.5, 0.95) if cover is None else cover
    dens = np.clip((cl * 0.65 + sp * 0.35 - (1 - cov)) * 5 + 0.5, 0, 1)
    me = cv2.GaussianBlur(m * dens, (0, 0), 0.6) * near
    base = jit(rng, MOULD_COLS[colname], 0.12)
    col = np.broadcast_to(base, p.alb.shape).copy()
    if ring_white:
        wt = smoothstep(0.45, 0.85, dp / max(rr, 1.0))
        col = col + (np.asarray(MOULD_COLS["white"], F32) - col) * wt[..., None]
    # fuzzy granular brightness
    col *= (0.8 + 0.4 * sp)[..., None]
    p.alb = p.alb * (1 - me[..., None]) + col * me[..., None]
    p.flat = np.maximum(p.flat, me)
    p.gloss *= 1 - me
    out = me * (1 - p.alpha)
    p.extra = np.maximum(p.extra, out * 0.9)
    p.nz = np.maximum(p.nz, out * 0.7)
    p.rot = np.maximum(p.rot, np.maximum(me, m * p.alpha * 0.8))
    return me


def rot_bruise(p, cx, cy, rr):
    rng = p.rng
    m, dp = blob(p, cx, cy, rr, irr=0.3, soft=max(1.0, rr * rng.uniform(0.1, 0.3)))
    tint = jit(rng, (0.5, 0.33, 0.2), 0.15)
    k = rng.uniform(0.55, 0.8)
    mm = m[..., None]
    p.alb = p.alb * (1 - mm) + (p.alb * (1 - k) + tint * k * 0.6) * mm
    p.gloss *= 1 - 0.7 * m
    p.rot = np.maximum(p.rot, m * 0.9)
    return m


def rot_wrinkle(p, region, amt):
    rng = p.rng
    a = rng.uniform(0, math.pi)
    proj = math.cos(a) * p.dx + math.sin(a) * p.dy
    warp = (fbm(rng, p.h, p.w, 4, 2) - 0.5) * p.R * rng.uniform(0.8, 2.0)
    freq = 2 * math.pi / max(2.2, p.R * rng.uniform(0.12, 0.3))
    w = np.abs(np.sin((proj + warp) * freq)) ** rng.uniform(3, 8)
    a2 = a + rng.uniform(0.4, 1.2)
    warp2 = (fbm(rng, p.h, p.w, 5, 2) - 0.5) * p.R * rng.uniform(0.6, 1.5)
    w2 = np.abs(np.sin((math.cos(a2) * p.dx + math.sin(a2) * p.dy + warp2) * freq * 0.7)) ** 10
    brk = np.clip(fbm(rng, p.h, p.w, 5, 1) * 2.5 - 0.7, 0, 1)
    cre = np.clip(w * brk + 0.5 * w2 * (1 - brk), 0, 1) * region * p.alpha
    amt = min(0.85, amt * 1.4)
    p.smod *= 1 - amt * cre
    p.alb *= (1 - 0.3 * region * p.alpha)[..., None]
    p.gloss *= 1 - 0.8 * region
    p.rot = np.maximum(p.rot, (region > 0.5) * p.alpha)


def rot_split(p, cx, cy, length, flesh):
    rng = p.rng
    ang = rng.uniform(0, math.pi)
    n = 7
    pts = []
    x, y = cx - math.cos(ang) * length / 2, cy - math.sin(ang) * length / 2
    for i in range(n):
        pts.append(p.to_px(x, y))
        ang += rng.uniform(-0.5, 0.5)
        x += math.cos(ang) * length / (n - 1)
        y += math.sin(ang) * length / (n - 1)
    pts = np.round(np.array(pts) * 4).astype(np.int32)
    th = max(1, int(round(p.R * rng.uniform(0.05, 0.12))))
    m1 = p.mask_u8()
    cv2.polylines(m1, [pts], False, 255, th + 2, cv2.LINE_AA, shift=2)
    m2 = p.mask_u8()
    cv2.polylines(m2, [pts], False, 255, th, cv2.LINE_AA, shift=2)
    a1 = m1.astype(F32) / 255 * p.alpha
    a2 = m2.astype(F32) / 255 * p.alpha
    paint(p, a1, (0.15, 0.08, 0.04))
    paint(p, a2 * 0.9, jit(rng, flesh, 0.1))
    p.gloss = mix(p.gloss, np.float32(2.5), a2)
    p.rot = np.maximum(p.rot, a1)
    p.leak = p.leak or rng.random() < 0.6


def rot_dull(p, amt, col=(0.4, 0.3, 0.2)):
    g = p.alb.mean(axis=2, keepdims=True)
    p.alb = mix(p.alb, g * 0.6 + np.asarray(col, F32) * 0.4, amt)
    p.gloss *= 1 - amt


# ----------------------------------------------------------------------------- fruits
def fruit_apple(rng, cx, cy, R, W, H, rotten, light):
    p = make_patch(rng, cx, cy, R * 1.55, W, H, R)
    if p is None:
        return None
    view = rng.choice(["side", "top", "bottom"], p=[0.6, 0.28, 0.12])
    ang = rng.normal(0, 0.35) if rng.random() < 0.8 else rng.uniform(-math.pi, math.pi)
    shrivel = rotten and rng.random() < 0.25
    irr = 0.05 if shrivel else 0.015
    harm = [(k, rng.normal(0, irr / k ** 0.3), rng.uniform(0, 6)) for k in (2, 3, 4, 5)]
    harm.append((1, rng.uniform(-0.05, 0.05), math.pi / 2))
    dent = (-math.pi / 2, rng.uniform(0.03, 0.12), rng.uniform(0.25, 0.5)) if view == "side" else None
    u, v = round_body(p, ang, harm, dent)
    # colour family
    fam = rng.choice(["red", "green", "yellow", "bicol", "striped", "pink"], p=[0.24, 0.16, 0.1, 0.25, 0.18, 0.07])
    red = hsv_col(rng.uniform(-8, 8) % 360, rng.uniform(0.75, 0.95), rng.uniform(0.4, 0.85))
    if fam == "green":
        base = hsv_col(rng.uniform(70, 100), rng.uniform(0.5, 0.8), rng.uniform(0.55, 0.85))
    elif fam == "yellow":
        base = hsv_col(rng.uniform(42, 60), rng.uniform(0.5, 0.8), rng.uniform(0.75, 0.95))
    elif fam == "pink":
        base = hsv_col(rng.uniform(-5, 10) % 360, rng.uniform(0.45, 0.65), rng.uniform(0.7, 0.9))
    else:
        base = hsv_col(rng.uniform(40, 85), rng.uniform(0.45, 0.75), rng.uniform(0.65, 0.9))
    p.alb[:] = base
    if fam in ("red", "bicol", "striped", "pink"):
        cover = {"red": rng.uniform(0.75, 1.0), "bicol": rng.uniform(0.25, 0.8),
                 "striped": rng.uniform(0.3, 0.85), "pink": rng.uniform(0.6, 1.0)}[fam]
        n = fbm(rng, p.h, p.w, 3, 2)
        sd = rng.uniform(-1, 1, 2)
        side = (p.dx * sd[0] + p.dy * sd[1]) / R * 0.35
        bl = np.clip((n + side - (1 - cover)) * rng.uniform(3, 8) + 0.5, 0, 1)
        if fam == "striped" or rng.random() < 0.3:
            lon = np.arcsin(np.clip(u / p.Rt, -1, 1))
            if view != "side":
                lon = p.th * 2
            k = rng.integers(25, 60)
            s1 = rng.random(k + 2).astype(F32)
            idx = (lon - lon.min()) / (lon.max() - lon.min() + 1e-6) * k
            st = np.interp(idx.ravel(), np.arange(k + 2), s1).reshape(idx.shape).astype(F32)
            bl = np.clip(bl * (0.5 + st * 1.2), 0, 1)
        p.alb = mix(p.alb, red * (0.85 + 0.3 * n[..., None]), bl[..., None])
    # small colour mottling
    p.alb *= (0.92 + 0.16 * fbm(rng, p.h, p.w, 6, 2))[..., None]
    # lenticels
    nl = int(R * R * rng.uniform(0.03, 0.12))
    if nl:
        idx = np.flatnonzero(p.alpha.ravel() > 0.9)
        if idx.size:
            sel = idx[rng.integers(0, idx.size, nl)]
            lc = np.clip(p.alb.reshape(-1, 3)[sel] * 0.5 + np.array([0.5, 0.45, 0.3], F32) * rng.uniform(0.6, 1.0), 0, 1)
            p.alb.reshape(-1, 3)[sel] = lc
    # stalk / cavity / calyx
    if view == "side":
        sx, sy = -math.sin(ang) * 0 + math.sin(ang) * (p.R * (1 - dent[1]) * 0.92), -math.cos(ang) * (p.R * (1 - dent[1]) * 0.92)
        cav = np.exp(-(((p.dx - sx) ** 2 + (p.dy - sy) ** 2) / (R * 0.3) ** 2)).astype(F32)
        p.smod *= 1 - 0.35 * cav
        if rng.random() < 0.85:
            a = ang - math.pi / 2 + rng.normal(0, 0.3)
            draw_stalk(p, sx, sy, math.cos(a), math.sin(a), R * rng.uniform(0.25, 0.5), max(1, R * 0.07),
                       jit(rng, (0.35, 0.25, 0.12), 0.25), rng)
    else:
        ox, oy = rng.normal(0, R * 0.12, 2)
        d2 = (p.dx - ox) ** 2 + (p.dy - oy) ** 2
        cav = np.exp(-d2 / (R * 0.32) ** 2).astype(F32)
        # cavity: light-side-dependent shading like a dimple
        p.smod *= 1 - 0.5 * cav * np.clip(0.6 + ((p.dx - ox) * light[0] + (p.dy - oy) * light[1]) / (R * 0.3), 0, 1.4)
        if view == "top":
            rus = np.clip((np.exp(-d2 / (R * rng.uniform(0.15, 0.3)) ** 2) - 0.3) * 3, 0, 1) * (rng.random() < 0.5)
            p.alb = mix(p.alb, jit(rng, (0.55, 0.45, 0.25)), rus[..., None] * 0.7)
            if rng.random() < 0.8:
                a = rng.uniform(0, 2 * math.pi)
                draw_stalk(p, ox, oy, math.cos(a), math.sin(a), R * rng.uniform(0.15, 0.35), max(1, R * 0.07),
                           jit(rng, (0.35, 0.25, 0.12), 0.25), rng)
        else:
            calyx = (np.exp(-d2 / (R * 0.1) ** 2) > 0.3).astype(F32)
            p.alb = mix(p.alb, jit(rng, (0.3, 0.25, 0.15)), calyx[..., None])
    if not rotten and rng.random() < 0.25:     # small natural mark
        x, y = p.pick()
        m, _ = blob(p, x, y, max(1.0, R * rng.uniform(0.03, 0.07)), soft=0.8)
        p.alb = mix(p.alb, jit(rng, (0.5, 0.4, 0.25)), m[..., None] * 0.6)
    gloss = rng.uniform(0.15, 0.7)
    if rotten:
        kinds = ["decay", "decay", "mould", "bruise", "wrinkle", "split", "big"]
        n = rng.integers(1, 4)
        for _ in range(n):
            k = kinds[rng.integers(len(kinds))]
            x, y = p.pick()
            if k == "decay":
                rot_decay(p, x, y, R * rng.uniform(0.15, 0.7))
            elif k == "big":
                rot_decay(p, x, y, R * rng.uniform(0.7, 1.3), rings=rng.random() < 0.6)
            elif k == "mould":
                rr = R * rng.uniform(0.2, 0.6)
                rot_decay(p, x, y, rr * 1.3)
                rot_mould(p, x, y, rr, rng.choice(["white", "grey", "bluegreen", "olive", "yellowish"]))
            elif k == "bruise":
                rot_bruise(p, x, y, R * rng.uniform(0.35, 0.7))
            elif k == "wrinkle":
                rot_wrinkle(p, np.clip(fbm(rng, p.h, p.w, 2, 1) * 2.5 - 0.6, 0, 1), rng.uniform(0.3, 0.6))
                rot_dull(p, rng.uniform(0.1, 0.4))
            elif k == "split":
                rot_decay(p, x, y, R * rng.uniform(0.2, 0.5))
                rot_split(p, x, y, R * rng.uniform(0.4, 1.0), (0.8, 0.7, 0.45))
        if shrivel:
            rot_wrinkle(p, np.ones_like(p.alpha), rng.uniform(0.3, 0.6))
            rot_dull(p, rng.uniform(0.2, 0.5))
    elif rng.random() < 0.06:
        sticker(p, rng)
    return p, gloss, rng.uniform(15, 60)


def fruit_orange(rng, cx, cy, R, W, H, rotten, light):
    p = make_patch(rng, cx, cy, R * 1.9, W, H, R)
    if p is None:
        return None
    var = rng.choice(["navel", "mandarin", "clementine", "valencia"], p=[0.35, 0.3, 0.2, 0.15])
    ang = rng.uniform(-math.pi, math.pi)
    collapse = rotten and rng.random() < 0.2
    irr = 0.06 if collapse else 0.015
    ob = {"navel": 0.03, "valencia": 0.02, "mandarin": 0.09, "clementine": 0.06}[var]
    harm = [(2, rng.uniform(0, ob) + rng.normal(0, irr), 0.0)]
    harm += [(k, rng.normal(0, irr / k ** 0.3), rng.uniform(0, 6)) for k in (3, 4, 5)]
    round_body(p, ang, harm)
    hue = {"navel": rng.uniform(22, 34), "valencia": rng.uniform(26, 38),
           "mandarin": rng.uniform(16, 28), "clementine": rng.uniform(18, 30)}[var]
    base = hsv_col(hue, rng.uniform(0.85, 1.0), rng.uniform(0.75, 1.0))
    p.alb[:] = base
    n = fbm(rng, p.h, p.w, 3, 2)
    p.alb *= (0.9 + 0.2 * n)[..., None]
    if rng.random() < 0.25:     # greenish/yellow area near stem (still fresh)
        g = np.clip((n - rng.uniform(0.55, 0.8)) * 4, 0, 1) * rng.uniform(0.3, 0.8)
        p.alb = mix(p.alb, hsv_col(rng.uniform(45, 70), 0.8, 0.75), g[..., None])
    # pore texture: bumpy shading and broken speculars
    pore = fine(rng, p.h, p.w, rng.uniform(0.6, 1.0) * max(0.7, R / 40))
    p.smod *= 1 - rng.uniform(0.04, 0.12) * (pore - 0.5) * 2 * p.nz
    p.gloss = np.clip(1.2 - pore * 1.2, 0, 1) ** 1.5 * 1.6
    view = rng.choice(["side", "stem", "navel"], p=[0.5, 0.3, 0.2])
    if view != "side":
        ox, oy = rng.normal(0, R * 0.2, 2)
    else:
        a = ang - math.pi / 2
        ox, oy = math.cos(a) * R * 0.85, math.sin(a) * R * 0.85
    if view in ("stem", "side"):
        rr = max(1.0, R * rng.uniform(0.06, 0.12))
        m = np.clip(rr - np.sqrt((p.dx - ox) ** 2 + (p.dy - oy) ** 2) + 0.5, 0, 1) * p.alpha
        p.alb = mix(p.alb, jit(rng, (0.4, 0.45, 0.15), 0.2), m[..., None])
        p.smod *= 1 - 0.2 * np.exp(-((p.dx - ox) ** 2 + (p.dy - oy) ** 2) / (R * 0.22) ** 2)
        if rng.random() < 0.35:
            la = math.atan2(oy, ox) + rng.normal(0, 0.6)
            draw_leaf(p, ox, oy, la, R * rng.uniform(0.6, 1.0), R * rng.uniform(0.25, 0.4),
                      hsv_col(rng.uniform(90, 130), rng.uniform(0.5, 0.8), rng.uniform(0.25, 0.5)))
    else:
        d = np.sqrt((p.dx - ox) ** 2 + (p.dy - oy) ** 2)
        rr = R * (rng.uniform(0.08, 0.22) if var == "navel" else rng.uniform(0.03, 0.07))
        m = np.clip(rr - d + 0.5, 0, 1)
        thn = np.arctan2(p.dy - oy, p.dx - ox)
        p.smod *= 1 - m * (0.3 + 0.25 * np.sin(thn * rng.integers(5, 9)))
        p.smod *= 1 - 0.25 * np.exp(-d * d / (rr * 1.8) ** 2)
    if not rotten and rng.random() < 0.2:
        x, y = p.pick()
        mm, _ = blob(p, x, y, max(1.0, R * rng.uniform(0.04, 0.1)), soft=1.0)
        p.alb = mix(p.alb, jit(rng, (0.75, 0.6, 0.35)), mm[..., None] * 0.5)
    gloss = rng.uniform(0.1, 0.35) * (1.5 if var == "clementine" else 1.0)
    if rotten:
        kinds = ["penicillium", "penicillium", "greenmould", "decay", "white", "wrinkle", "sunken"]
        for _ in range(rng.integers(1, 4)):
            k = kinds[rng.integers(len(kinds))]
            x, y = p.pick()
            if k == "penicillium":
                rr = R * rng.uniform(0.2, 0.8)
                m = rot_decay(p, x, y, rr * rng.uniform(1.15, 1.5), dark=jit(rng, (0.6, 0.4, 0.15)), rings=False, sunk=0.2)
                rot_mould(p, x, y, rr, rng.choice(["bluegreen", "green", "bluegrey"]), ring_white=True)
            elif k == "greenmould":
                rr = R * rng.uniform(0.3, 0.9)
                rot_mould(p, x, y, rr, rng.choice(["olive", "green"]), ring_white=rng.random() < 0.7, cover=rng.uniform(0.8, 1.0))
            elif k == "decay":
                rot_decay(p, x, y, R * rng.uniform(0.2, 0.7))
            elif k == "white":
                rr = R * rng.uniform(0.2, 0.6)
                rot_decay(p, x, y, rr * 1.2, rings=False)
                rot_mould(p, x, y, rr, "white")
            elif k == "wrinkle":
                rot_wrinkle(p, np.clip(fbm(rng, p.h, p.w, 2, 1) * 2.5 - 0.5, 0, 1), rng.uniform(0.35, 0.7))
                rot_dull(p, rng.uniform(0.2, 0.5), (0.5, 0.35, 0.15))
            else:
                m = rot_decay(p, x, y, R * rng.uniform(0.25, 0.6), dark=jit(rng, (0.15, 0.09, 0.04)), sunk=1.0)
                p.leak = p.leak or rng.random() < 0.4
        if collapse:
            rot_wrinkle(p, np.ones_like(p.alpha), rng.uniform(0.3, 0.6))
            rot_dull(p, rng.uniform(0.2, 0.4), (0.5, 0.35, 0.15))
    elif rng.random() < 0.1:
        sticker(p, rng)
    return p, gloss, rng.uniform(8, 30)


def fruit_strawberry(rng, cx, cy, R, W, H, rotten, light):
    # R = half the length
    p = make_patch(rng, cx, cy, R * 1.5, W, H, R)
    if p is None:
        return None
    ang = rng.normal(math.pi, 0.6) if rng.random() < 0.2 else rng.uniform(-math.pi, math.pi)
    L = 2 * R
    wr = rng.uniform(0.36, 0.58)
    e1, e2 = rng.uniform(0.3, 0.6), rng.uniform(0.5, 1.0)
    ca, sa = math.cos(ang), math.sin(ang)
    u = ca * p.dx + sa * p.dy
    v = -sa * p.dx + ca * p.dy
    yn = (v + L * 0.45) / L
    ycl = np.clip(yn, 1e-3, 1 - 1e-3)
    pk = (e1 / (e1 + e2)) ** e1 * (e2 / (e1 + e2)) ** e2
    collapse = rotten and rng.random() < 0.3
    wob = vnoise(rng, p.h, p.w, 3) - 0.5
    hw = L * wr * ycl ** e1 * (1 - ycl) ** e2 / pk * (1 + (wob * (0.5 if collapse else 0.12)))
    hw = np.maximum(hw, 1e-3)
    p.alpha = np.clip(hw - np.abs(u) + 0.5, 0, 1) * (yn > 0) * (yn < 1)
    q = np.clip(u / hw, -1, 1)
    nz = np.sqrt(np.clip(1 - q * q, 0, 1))
    tilt = np.clip(0.45 - yn, 0, 1) * 0.8       # top shoulder faces up the fruit axis
    nxl, nyl = q, -tilt
    p.nx = ca * nxl - sa * nyl
    p.ny = sa * nxl + ca * nyl
    p.nz = nz
    # colour
    red = hsv_col(rng.uniform(-6, 6) % 360, rng.uniform(0.8, 0.97), rng.uniform(0.55, 0.9))
    p.alb[:] = red
    p.alb *= (0.85 + 0.3 * fbm(rng, p.h, p.w, 4, 2))[..., None]
    if rng.random() < 0.3:      # paler shoulders (nearly ripe)
        s = np.clip((rng.uniform(0.15, 0.3) - yn) * 8, 0, 1)
        p.alb = mix(p.alb, jit(rng, (0.95, 0.85, 0.6)), s[..., None] * rng.uniform(0.4, 0.9))
    # seeds on a hex lattice in (arc, length) coordinates
    sp = max(2.2, L * rng.uniform(0.07, 0.11))
    jv = (vnoise(rng, p.h, p.w, max(3, int(p.w / sp))) - 0.5) * sp * 0.6
    pa = np.arcsin(q) * hw + jv
    v = v + jv[::-1, ::-1]
    row = np.floor(v / sp)
    off = (row % 2) * 0.5
    fa = pa / sp + off
    da = (fa - np.round(fa)) * sp
    db = (v / sp - row - 0.5) * sp
    dd = np.sqrt(da * da + db * db)
    rs = max(0.5, sp * rng.uniform(0.12, 0.17))
    pit = np.clip(rs * 1.8 - dd, 0, 1) * p.alpha * (yn > 0.08)
    seed = np.clip(rs - dd + 0.5, 0, 1) * p.alpha * (yn > 0.08) * nz
    p.smod *= 1 - rng.uniform(0.12, 0.3) * pit
    seedcol = jit(rng, [(0.9, 0.75, 0.3), (0.75, 0.55, 0.2), (0.55, 0.15, 0.1)][rng.integers(3)], 0.1)
    p.alb = mix(p.alb, seedcol, seed[..., None] * 0.85)
    p.gloss = 1 - 0.6 * pit
    # calyx
    green = hsv_col(rng.uniform(80, 130), rng.uniform(0.55, 0.85), rng.uniform(0.3, 0.6))
    if rotten and rng.random() < 0.5:
        green = mix(green, jit(rng, (0.35, 0.28, 0.12)), rng.uniform(0.4, 1.0))
    has_cal = rng.random() < 0.9
    if has_cal:
        m = p.mask_u8()
        tx, ty = sa * L * 0.45, -ca * L * 0.45
        tx, ty = tx - (sa * L * 0.06), ty + (ca * L * 0.06)
        ns = rng.integers(5, 10)
        for i in range(ns):
            a_l = -math.pi / 2 + rng.uniform(-1, 1) * math.pi * 0.95    # local angle, up = -pi/2
            # sepals fall over the shoulders: bias downward
            a_l = a_l + math.copysign(rng.uniform(0.2, 0.9), math.cos(a_l))
            ln = L * rng.uniform(0.15, 0.32)
            wd = max(1.0, L * rng.uniform(0.04, 0.08))
            ai = a_l + ang
            c = p.to_px(tx + math.cos(ai) * ln * 0.5, ty + math.sin(ai) * ln * 0.5)
            cv2.ellipse(m, (int(c[0] * 4), int(c[1] * 4)), (int(ln * 2), int(wd * 2)), math.degrees(ai), 0, 360, 255, -1,
                        cv2.LINE_AA, shift=2)
        mm = m.astype(F32) / 255.0
        gc = green * (0.8 + 0.4 * fbm(rng, p.h, p.w, 6, 1))[..., None]
        p.alb = p.alb * (1 - mm[..., None]) + gc * mm[..., None]
        p.extra = np.maximum(p.extra, mm)
        p.nx = mix(p.nx, np.float32(0), mm)
        p.ny = mix(p.ny, np.float32(0), mm)
        p.nz = mix(p.nz, np.float32(0.9), mm)
        p.smod = mix(p.smod, np.float32(1), mm)
        p.gloss = mix(p.gloss, np.float32(0.3), mm)
        if rng.random() < 0.6:
            draw_stalk(p, tx, ty, sa, -ca, L * rng.uniform(0.08, 0.2), max(1, L * 0.035), green * 0.9, rng)
    gloss = rng.uniform(0.3, 0.8)
    if rotten:
        kinds = ["botrytis", "botrytis", "mush", "white", "dull", "collapse"]
        for _ in range(rng.integers(1, 3)):
            k = kinds[rng.integers(len(kinds))]
            x, y = p.pick()
            if k == "botrytis":
                rr = R * rng.uniform(0.3, 1.0)
                rot_decay(p, x, y, rr * 1.2, dark=jit(rng, (0.35, 0.12, 0.1)), rings=False)
                rot_mould(p, x, y, rr, rng.choice(["grey", "grey", "white", "bluegrey"]), cover=rng.uniform(0.7, 1.0))
            elif k == "mush":
                rot_decay(p, x, y, R * rng.uniform(0.25, 0.7), dark=jit(rng, (0.3, 0.05, 0.05)), rings=False, sunk=1.0)
                p.leak = p.leak or rng.random() < 0.6
                p.gloss *= 1.5
            elif k == "white":
                rr = R * rng.uniform(0.2, 0.6)
                rot_mould(p, x, y, rr, "white", cover=rng.uniform(0.6, 1.0))
                p.rot = np.maximum(p.rot, blob(p, x, y, rr)[0])
            elif k == "dull":
                rot_dull(p, rng.uniform(0.4, 0.7), (0.4, 0.15, 0.12))
                rot_decay(p, x, y, R * rng.uniform(0.3, 0.6), dark=jit(rng, (0.25, 0.08, 0.06)), rings=False)
            else:
                rot_wrinkle(p, np.ones_like(p.alpha), rng.uniform(0.3, 0.6))
                rot_dull(p, rng.uniform(0.3, 0.6), (0.35, 0.1, 0.1))
                rot_decay(p, x, y, R * rng.uniform(0.2, 0.5), dark=jit(rng, (0.28, 0.06, 0.06)), rings=False)
        if collapse:
            rot_wrinkle(p, np.ones_like(p.alpha), rng.uniform(0.2, 0.5))
    return p, gloss, rng.uniform(20, 80)


def fruit_banana(rng, cx, cy, R, W, H, rotten, light, ang=None, crown=None, ripe=None, style=None):
    """R = half length. crown = (x, y) shared stem end for hands."""
    L = 2 * R
    if ang is None:
        ang = rng.uniform(-math.pi, math.pi)
    d = np.array([math.cos(ang), math.sin(ang)], F32)
    nrm = np.array([-d[1], d[0]], F32)
    bend = rng.uniform(0.08, 0.22) * (1 if rng.random() < 0.5 else -1)
    if crown is not None:
        sx, sy = crown
    else:
        sx, sy = cx - d[0] * R, cy - d[1] * R
    mcx, mcy = sx + d[0] * R + nrm[0] * L * bend, sy + d[1] * R + nrm[1] * L * bend
    Wd = L * rng.uniform(0.08, 0.12)
    p = make_patch(rng, float(mcx), float(mcy), R * 1.15 + Wd, W, H, R)
    if p is None:
        return None
    px = p.dx + (mcx - sx)
    py = p.dy + (mcy - sy)
    au = px * d[0] + py * d[1]
    aw = px * nrm[0] + py * nrm[1]
    tg = au / L
    tc = np.clip(tg, 0, 1)
    off = L * bend * 4 * tc * (1 - tc)
    slope = bend * 4 * (1 - 2 * tc)
    sn = np.sqrt(1 + slope * slope)
    side = (aw - off) / sn
    along = (tg - tc) * L
    dist = np.sqrt(side * side + along * along)
    tnx = (d[0] + nrm[0] * slope) / sn
    tny = (d[1] + nrm[1] * slope) / sn
    tg = tc
    P = np.array([[sx + d[0] * L * 0.06 + nrm[0] * L * bend * 0.22, sy + d[1] * L * 0.06 + nrm[1] * L * bend * 0.22]] * 3, F32)
    body = np.maximum(np.sin(np.pi * np.clip((tg - 0.1) / 0.88, 0, 1)), 0) ** 0.45
    stalk = (tg < 0.16) * 0.32
    wt = Wd * np.maximum(body, stalk) + 0.3
    p.alpha = np.clip(wt - dist + 0.5, 0, 1)
    q = np.clip(side / wt, -1, 1)
    al = np.arcsin(q)
    facet = np.round(al / (math.pi / 5)) * (math.pi / 5)
    al2 = al * 0.55 + facet * 0.45
    pnx, pny = -tny, tnx
    p.nx = np.sin(al2) * pnx
    p.ny = np.sin(al2) * pny
    p.nz = np.cos(al2)
    ridge = np.exp(-((np.abs(q) - 0.55) / 0.07) ** 2)
    p.smod *= 1 - 0.12 * ridge
    # colours
    if ripe is None:
        ripe = rng.uniform(0, 1)
    yellow = hsv_col(rng.uniform(46, 56), rng.uniform(0.7, 0.9), rng.uniform(0.8, 0.97))
    greeny = hsv_col(rng.uniform(62, 85), rng.uniform(0.6, 0.8), rng.uniform(0.55, 0.8))
    gr = np.clip((1 - ripe) * 1.2 - 0.2, 0, 1)
    endg = np.clip(np.maximum(0.3 - tg, tg - 0.8) * 5, 0, 1)
    gmix = np.clip(gr * 0.6 + endg * (1 - ripe * 0.7), 0, 1)
    p.alb[:] = yellow
    p.alb = mix(p.alb, greeny, gmix[..., None])
    p.alb *= (0.9 + 0.2 * fbm(rng, p.h, p.w, 5, 2))[..., None]
    stalkm = np.clip((0.14 - tg) * 40, 0, 1)
    stc = jit(rng, (0.45, 0.5, 0.2) if ripe < 0.6 else (0.55, 0.45, 0.2), 0.15)
    if rotten and rng.random() < 0.6:
        stc = jit(rng, (0.2, 0.13, 0.06), 0.2)
    p.alb = mix(p.alb, stc, stalkm[..., None])
    tipm = np.clip((tg - 0.965) * 60, 0, 1)
    p.alb = mix(p.alb, jit(rng, (0.15, 0.1, 0.06)), tipm[..., None])
    # sugar spots (natural, small)
    if ripe > 0.55 and not (rotten and style == "black"):
        ns = int((ripe - 0.5) * rng.uniform(10, 80) * (R / 30))
        idx = np.flatnonzero((p.alpha.ravel() > 0.8) & (stalkm.ravel() < 0.1))
        if idx.size and ns:
            sel = idx[rng.integers(0, idx.size, ns)]
            m = p.mask_u8().ravel()
            m[sel] = 255
            m = m.reshape(p.h, p.w)
            if R > 30:
                m = cv2.dilate(m, np.ones((2, 2), np.uint8))
            mm = m.astype(F32) / 255 * 0.8
            p.alb = mix(p.alb, jit(rng, (0.35, 0.22, 0.08)), mm[..., None])
    gloss = rng.uniform(0.1, 0.3)
    if rotten:
        if style is None:
            style = rng.choice(["black", "patches", "mould", "split", "brown"], p=[0.35, 0.25, 0.15, 0.1, 0.15])
        if style == "black":
            cov = rng.uniform(0.55, 1.0)
            nb = fbm(rng, p.h, p.w, rng.uniform(3, 8), 3)
            m = np.clip((nb - (1 - cov) * 0.8 - 0.1) * 6 + cov * 0.6, 0, 1)
            blk = jit(rng, (0.1, 0.07, 0.04), 0.3) * (0.7 + 0.6 * fine(rng, p.h, p.w, 0.8))[..., None]
            p.alb = mix(p.alb, blk, m[..., None] * p.alpha[..., None])
            p.rot = np.maximum(p.rot, m * p.alpha)
            p.gloss *= 1 + 0.5 * m
            if rng.random() < 0.4:
                rot_wrinkle(p, m, rng.uniform(0.2, 0.4))
        elif style == "brown":
            rot_dull(p, rng.uniform(0.5, 0.8), (0.42, 0.26, 0.08))
            for _ in range(rng.integers(3, 8)):
                x, y = p.pick()
                rot_decay(p, x, y, Wd * rng.uniform(0.9, 2.2), dark=jit(rng, (0.14, 0.08, 0.04)), rings=False)
        else:
            for _ in range(rng.integers(1, 4)):
                x, y = p.pick()
                rot_decay(p, x, y, Wd * rng.uniform(0.8, 2.5), dark=jit(rng, (0.12, 0.08, 0.05)), rings=rng.random() < 0.2)
            if style == "mould":
                ccx = float(P[2, 0] - mcx); ccy = float(P[2, 1] - mcy)
                if rng.random() < 0.5:
                    ccx, ccy = p.pick()
                rot_mould(p, ccx, ccy, Wd * rng.uniform(0.8, 2.0), rng.choice(["white", "grey", "bluegreen", "olive"]))
            if style == "split":
                x, y = p.pick()
                rot_split(p, x, y, R * rng.uniform(0.3, 0.8), (0.85, 0.78, 0.6))
    elif rng.random() < 0.08:
        sticker(p, rng)
    return p, gloss, rng.uniform(10, 40)


# ----------------------------------------------------------------------------- backgrounds
def bg_surface(rng, H, W, kind):
    if kind == "wood":
        base = hsv_col(rng.uniform(18, 40), rng.uniform(0.25, 0.7), rng.uniform(0.3, 0.9))
        a = rng.uniform(0, math.pi)
        ys, xs = np.mgrid[0:H, 0:W].astype(F32)
        proj = xs * math.cos(a) + ys * math.sin(a)
        warp = fbm(rng, H, W, 3, 2) * rng.uniform(5, 30)
        g = 0.5 + 0.5 * np.sin((proj + warp) * rng.uniform(0.3, 1.2))
        g = g ** rng.uniform(1, 4)
        img = base * (0.8 + 0.35 * fbm(rng, H, W, 6, 2))[..., None] * (1 - rng.uniform(0.05, 0.25) * g)[..., None]
        if rng.random() < 0.5:      # knife scratches on a chopping board
            m = np.zeros((H, W), np.uint8)
            for _ in range(rng.integers(3, 20)):
                x, y = rng.uniform(0, W), rng.uniform(0, H)
                aa = rng.uniform(0, math.pi)
                l = rng.uniform(5, W * 0.4)
                cv2.line(m, (int(x), int(y)), (int(x + math.cos(aa) * l), int(y + math.sin(aa) * l)), int(rng.uniform(60, 200)), 1)
            img = img + (m.astype(F32) / 255 * 0.15)[..., None]
        return img
    if kind == "stone":
        base = hsv_col(rng.uniform(0, 360), rng.uniform(0, 0.2), rng.uniform(0.15, 0.9))
        sp = fine(rng, H, W, rng.uniform(0.3, 1.0))
        return base * (0.8 + 0.25 * fbm(rng, H, W, 4, 3) + 0.2 * (sp - 0.5))[..., None]
    if kind == "plain":
        base = hsv_col(rng.uniform(0, 360), rng.uniform(0, 0.5), rng.uniform(0.2, 0.95))
        return base * (0.9 + 0.15 * fbm(rng, H, W, 3, 2))[..., None]
    if kind == "cloth":
        c1 = hsv_col(rng.uniform(0, 360), rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.9))
        c2 = hsv_col(rng.uniform(0, 360), rng.uniform(0.0, 0.3), rng.uniform(0.7, 1.0))
        ys, xs = np.mgrid[0:H, 0:W].astype(F32)
        a = rng.uniform(0, math.pi)
        per = rng.uniform(6, 30)
        warp = (fbm(rng, H, W, 3, 1) - 0.5) * rng.uniform(0, 12)
        u = xs * math.cos(a) + ys * math.sin(a) + warp
        v = -xs * math.sin(a) + ys * math.cos(a) + warp
        s1 = (np.sin(u / per * 2 * math.pi) > 0).astype(F32)
        s2 = (np.sin(v / per * 2 * math.pi) > 0).astype(F32) if rng.random() < 0.6 else np.zeros_like(s1)
        t = np.clip(s1 * 0.6 + s2 * 0.6, 0, 1)
        img = mix(c2, c1, t[..., None])
        weave = 0.9 + 0.1 * np.sin(xs * 2.5) * np.sin(ys * 2.5)
        fold = 0.85 + 0.3 * fbm(rng, H, W, 2, 2)
        return img * (weave * fold)[..., None]
    if kind == "fridge":
        base = hsv_col(rng.uniform(180, 220), rng.uniform(0, 0.12), rng.uniform(0.7, 0.95))
        img = np.broadcast_to(base, (H, W, 3)).copy()
        ys = np.arange(H, dtype=F32)[:, None]
        y0 = rng.uniform(0.05, 0.5) * H
        img *= (0.75 + 0.25 * np.clip((ys - y0) / H + 0.5, 0, 1))[..., None]
        for _ in range(rng.integers(0, 3)):
            yy = int(rng.uniform(0, H))
            cv2.line(img, (0, yy), (W, yy + int(rng.normal(0, 6))), (0.98, 0.99, 1.0), int(rng.integers(1, 3)))
        return img
    if kind == "bag":
        base = hsv_col(rng.uniform(25, 38), rng.uniform(0.3, 0.55), rng.uniform(0.45, 0.85))
        n = fbm(rng, H, W, rng.uniform(3, 8), 3)
        cre = 1 - np.abs(n - 0.5) * 2
        sh = 0.8 + 0.3 * fbm(rng, H, W, 2, 2) - 0.25 * cre ** 6
        return base * sh[..., None] * (0.95 + 0.1 * fine(rng, H, W, 0.5))[..., None]
    if kind == "crate":
        if rng.random() < 0.5:
            base = hsv_col(rng.uniform(25, 40), rng.uniform(0.25, 0.5), rng.uniform(0.5, 0.85))
        else:
            base = hsv_col(rng.uniform(0, 360), rng.uniform(0.4, 0.9), rng.uniform(0.25, 0.7))
        img = base * (0.85 + 0.25 * fbm(rng, H, W, 5, 2))[..., None]
        per = rng.uniform(12, 40)
        gap = per * rng.uniform(0.1, 0.35)
        ys, xs = np.mgrid[0:H, 0:W].astype(F32)
        c = xs if rng.random() < 0.5 else ys
        g = ((c + rng.uniform(0, per)) % per) < gap
        img[g] *= rng.uniform(0.1, 0.35)
        return img
    if kind == "belt":
        base = hsv_col(rng.uniform(0, 360), rng.uniform(0, 0.35), rng.uniform(0.1, 0.45))
        ys, xs = np.mgrid[0:H, 0:W].astype(F32)
        tex = 0.9 + 0.15 * fine(rng, H, W, 0.6)
        if rng.random() < 0.5:
            tex = tex * (0.9 + 0.1 * (np.sin(xs * rng.uniform(0.5, 1.5)) > 0))
        return base * tex[..., None]
    return np.full((H, W, 3), 0.5, F32)


def draw_plate(img, rng, H, W):
    cx, cy = W * rng.uniform(0.3, 0.7), H * rng.uniform(0.3, 0.7)
    r = min(W, H) * rng.uniform(0.45, 0.9)
    asp = rng.uniform(0.6, 1.0)
    col = hsv_col(rng.uniform(0, 360), rng.uniform(0, 0.4) if rng.random() < 0.5 else 0.02, rng.uniform(0.6, 0.97))
    m = np.zeros((H, W), np.uint8)
    cv2.ellipse(m, (int(cx * 4), int(cy * 4)), (int(r * 4), int(r * asp * 4)), 0, 0, 360, 255, -1, cv2.LINE_AA, shift=2)
    m2 = np.zeros((H, W), np.uint8)
    cv2.ellipse(m2, (int(cx * 4), int(cy * 4)), (int(r * 0.75 * 4), int(r * 0.75 * asp * 4)), 0, 0, 360, 255, -1, cv2.LINE_AA, shift=2)
    a = m.astype(F32)[..., None] / 255
    a2 = cv2.GaussianBlur(m2.astype(F32), (0, 0), 2)[..., None] / 255
    plate = col * (0.85 + 0.15 * a2)
    # a plate casts a soft shadow
    sh = cv2.GaussianBlur(np.roll(m, 3, axis=0).astype(F32), (0, 0), 3)[..., None] / 255
    img *= 1 - 0.3 * sh
    return img * (1 - a) + plate * a


def skin_col(rng):
    return hsv_col(rng.uniform(10, 30), rng.uniform(0.25, 0.6), rng.uniform(0.3, 0.95))


def draw_capsules(img, rng, segs, col, H, W):
    m = np.zeros((H, W), np.uint8)
    for (x0, y0, x1, y1, th) in segs:
        cv2.line(m, (int(x0 * 4), int(y0 * 4)), (int(x1 * 4), int(y1 * 4)), 255, max(1, int(th)), cv2.LINE_AA, shift=2)
    a = m.astype(F32) / 255
    if a.max() == 0:
        return img, a
    dt = cv2.distanceTransform((m > 127).astype(np.uint8), cv2.DIST_L2, 3)
    sh = np.clip(dt / (dt.max() + 1e-3), 0, 1) ** 0.5
    c = col * (0.55 + 0.5 * sh)[..., None]
    img = img * (1 - a[..., None]) + c * a[..., None]
    return img, a


def draw_knife(img, rng, H, W):
    x, y = rng.uniform(0, W), rng.uniform(0, H)
    a = rng.uniform(0, 2 * math.pi)
    L = min(W, H) * rng.uniform(0.5, 1.1)
    wb = L * rng.uniform(0.08, 0.15)
    d = np.array([math.cos(a), math.sin(a)]); n = np.array([-d[1], d[0]])
    p0 = np.array([x, y])
    blade = [p0, p0 + d * L * 0.6, p0 + d * L * 0.6 + n * wb, p0 + n * wb * 0.3]
    handle = [p0 + d * L * 0.6, p0 + d * L, p0 + d * L + n * wb * 0.9, p0 + d * L * 0.6 + n * wb]
    m = np.zeros((H, W), np.uint8)
    cv2.fillPoly(m, [np.round(np.array(blade) * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
    ab = m.astype(F32)[..., None] / 255
    g = fbm(rng, H, W, 2, 1)[..., None]
    metal = np.float32(rng.uniform(0.5, 0.9)) * (0.7 + 0.6 * g)
    img = img * (1 - ab) + np.clip(metal, 0, 1) * ab
    m = np.zeros((H, W), np.uint8)
    cv2.fillPoly(m, [np.round(np.array(handle) * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
    ah = m.astype(F32)[..., None] / 255
    hc = hsv_col(rng.uniform(0, 360), rng.uniform(0, 0.6), rng.uniform(0.05, 0.5))
    return img * (1 - ah) + hc * ah, np.maximum(ab, ah)[..., 0]


def draw_leafs(img, rng, H, W, n):
    allm = np.zeros((H, W), F32)
    for _ in range(n):
        col = hsv_col(rng.uniform(70, 140), rng.uniform(0.4, 0.85), rng.uniform(0.2, 0.6))
        m = np.zeros((H, W), np.uint8)
        cx, cy = rng.uniform(0, W), rng.uniform(0, H)
        l = min(W, H) * rng.uniform(0.1, 0.35)
        cv2.ellipse(m, (int(cx * 4), int(cy * 4)), (int(l * 4), int(l * rng.uniform(0.25, 0.45) * 4)),
                    rng.uniform(0, 180), 0, 360, 255, -1, cv2.LINE_AA, shift=2)
        a = m.astype(F32) / 255
        img = img * (1 - a[..., None]) + (col * (0.8 + 0.4 * fbm(rng, H, W, 4, 1))[..., None]) * a[..., None]
        allm = np.maximum(allm, a)
    return img, allm


# ----------------------------------------------------------------------------- scene
FRUIT_FN = {"apple": fruit_apple, "orange": fruit_orange, "strawberry": fruit_strawberry, "banana": fruit_banana}


def shade_fruit(p, gloss, shin, L, amb):
    ndl = np.clip(p.nx * L[0] + p.ny * L[1] + p.nz * L[2], 0, 1)
    Hv = np.array([L[0], L[1], L[2] + 1.0]); Hv /= np.linalg.norm(Hv)
    ndh = np.clip(p.nx * Hv[0] + p.ny * Hv[1] + p.nz * Hv[2], 0, 1)
    spec = gloss * np.clip(p.gloss, 0, 3) * ndh ** shin
    ao = 0.55 + 0.45 * np.sqrt(p.nz)
    sh = (amb * ao + (1 - amb) * ndl) * p.smod
    sh = mix(sh, 0.55 + 0.35 * sh, p.flat)
    col = p.alb * sh[..., None] + (spec * (1 - p.flat))[..., None]
    a = np.maximum(p.alpha, p.extra)
    return col, a


def place_fruits(rng, fruit, W, H, layout):
    S = min(W, H)
    items = []   # (cx, cy, R, extra kwargs)
    if fruit == "banana":
        if layout == "single":
            R = S * rng.uniform(0.3, 0.6)
            items.append((W / 2 + rng.normal(0, W * 0.12), H / 2 + rng.normal(0, H * 0.12), R, {}))
        else:
            nh = 1 if layout == "few" else rng.integers(2, 4)
            for h in range(nh):
                R = S * rng.uniform(0.22, 0.42) * (0.8 if nh > 1 else 1)
                cr = (rng.uniform(0.05, 0.95) * W, rng.uniform(0.05, 0.95) * H)
                base = math.atan2(H / 2 - cr[1], W / 2 - cr[0]) + rng.normal(0, 0.4)
                nb = rng.integers(2, 7)
                spread = rng.uniform(0.1, 0.25)
                ripe = rng.uniform(0, 1)
                for i in range(nb):
                    a = base + (i - (nb - 1) / 2) * spread + rng.normal(0, 0.04)
                    items.append((cr[0], cr[1], R * rng.uniform(0.9, 1.1),
                                  {"ang": a, "crown": cr, "ripe": float(np.clip(ripe + rng.normal(0, 0.05), 0, 1))}))
        return items
    if layout == "single":
        R = S * rng.uniform(0.2, 0.5)
        if fruit == "strawberry":
            R *= 1.1
        items.append((W / 2 + rng.normal(0, W * 0.12), H / 2 + rng.normal(0, H * 0.12), R, {}))
    elif layout == "few":
        n = rng.integers(2, 5)
        Rm = S * rng.uniform(0.13, 0.25)
        for i in range(n):
            items.append((rng.uniform(0.1, 0.9) * W, rng.uniform(0.1, 0.9) * H, Rm * rng.uniform(0.85, 1.15), {}))
    else:
        Rm = S * rng.uniform(0.1, 0.18) * (0.85 if fruit == "strawberry" else 1)
        step = Rm * rng.uniform(1.5, 2.0)
        ys = np.arange(-Rm * 0.5, H + Rm, step * 0.87)
        for j, y in enumerate(ys):
            xs = np.arange(-Rm * 0.5 + (j % 2) * step / 2, W + Rm, step)
            for x in xs:
                if rng.random() < 0.9:
                    items.append((x + rng.normal(0, Rm * 0.2), y + rng.normal(0, Rm * 0.2), Rm * rng.uniform(0.85, 1.15), {}))
        if len(items) > 14:
            sel = rng.choice(len(items), 14, replace=False)
            items = [items[i] for i in sorted(sel)]
    return items


def render_scene(rng, fruit, rotten, W, H, force=False):
    # light
    la = rng.uniform(0, 2 * math.pi)
    lz = rng.uniform(0.35, 1.0)
    Lv = np.array([math.cos(la) * (1 - lz * lz) ** 0.5, math.sin(la) * (1 - lz * lz) ** 0.5, lz])
    amb = rng.uniform(0.25, 0.6)
    setting = rng.choice(["board", "table", "fridge", "bag", "crate", "hand", "plate", "belt", "cloth", "market"],
                         p=[0.14, 0.16, 0.09, 0.08, 0.1, 0.1, 0.1, 0.07, 0.08, 0.08])
    kind = {"board": "wood", "table": rng.choice(["wood", "stone", "plain"]), "fridge": "fridge", "bag": "bag",
            "crate": "crate", "hand": rng.choice(["plain", "stone", "wood", "cloth"]), "plate": rng.choice(["wood", "stone", "plain", "cloth"]),
            "belt": "belt", "cloth": "cloth", "market": rng.choice(["crate", "plain", "cloth"])}[setting]
    img = bg_surface(rng, H, W, kind)
    if setting == "hand":
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(1, 4))
    if setting == "plate":
        img = draw_plate(img, rng, H, W)
    if rng.random() < 0.15:
        img, _ = draw_knife(img, rng, H, W)
    if rng.random() < 0.12:
        img, _ = draw_leafs(img, rng, H, W, rng.integers(1, 4))
    if setting in ("crate", "market"):
        layout = rng.choice(["pile", "few"], p=[0.7, 0.3])
    elif setting == "hand":
        layout = rng.choice(["single", "few"], p=[0.8, 0.2])
    else:
        layout = rng.choice(["single", "few", "pile"], p=[0.45, 0.37, 0.18])
    if force:
        layout = "single"
    items = place_fruits(rng, fruit, W, H, layout)
    if fruit != "banana":
        items.sort(key=lambda it: it[1] + rng.normal(0, 3))
    n = len(items)
    # which fruit are rotten
    rot_set = set()
    if rotten:
        if rng.random() < 0.45 or n == 1:
            rot_set = set(range(n))
            if n > 2 and rng.random() < 0.5:
                rot_set = set(int(i) for i in rng.choice(n, rng.integers(1, n), replace=False))
        else:
            # pick one that is reasonably inside the frame
            ok = [i for i, it in enumerate(items) if 0.1 * W < it[0] < 0.9 * W and 0.1 * H < it[1] < 0.9 * H] or list(range(n))
            rot_set = {ok[rng.integers(len(ok))]}
    banana_style = rng.choice(["black", "patches", "mould", "split", "brown"], p=[0.35, 0.25, 0.15, 0.1, 0.15])
    palm = None
    if setting == "hand":
        cx = float(np.mean([it[0] for it in items])); cy = float(np.mean([it[1] for it in items]))
        sc = skin_col(rng)
        R0 = max(it[2] for it in items)
        segs = [(cx + rng.normal(0, 5), cy + R0 * 0.3, cx + rng.normal(0, W * 0.2), H * 1.3, R0 * 2.2)]
        img, _ = draw_capsules(img, rng, segs, sc, H, W)
        palm = (cx, cy, R0, sc)
    rendered = []
    for i, (cx, cy, R, kw) in enumerate(items):
        isrot = i in rot_set
        if fruit == "banana":
            out = fruit_banana(rng, cx, cy, R, W, H, isrot, Lv, style=banana_style if rng.random() < 0.7 else None, **kw)
        else:
            out = FRUIT_FN[fruit](rng, cx, cy, R, W, H, isrot, Lv)
        if out is None:
            continue
        p, gloss, shin = out
        col, a = shade_fruit(p, gloss, shin, Lv, amb)
        rendered.append((i, p, col, a, isrot))
    # composite, with shadows and optional juice puddles
    owner = np.full((H, W), -1, np.int32)
    sh_str = rng.uniform(0.25, 0.65)
    sh_blur = rng.uniform(1.0, 4.0)
    for (i, p, col, a, isrot) in rendered:
        full = np.zeros((H, W), F32)
        full[p.y0:p.y1, p.x0:p.x1] = a
        off = -np.array(Lv[:2]) / max(Lv[2], 0.3) * p.R * 0.25
        M = np.float32([[1, 0, off[0]], [0, 1, off[1] + p.R * 0.05]])
        sh = cv2.GaussianBlur(cv2.warpAffine(full, M, (W, H)), (0, 0), sh_blur + p.R * 0.08)
        img *= (1 - sh_str * sh)[..., None]
        if p.leak:
            pm = cv2.GaussianBlur(cv2.dilate(full, np.ones((3, 3), np.uint8), iterations=int(max(1, p.R * 0.2))), (0, 0), 2)
            wn = np.clip((pm * fbm(rng, H, W, 4, 2) * 2 - 0.5) * 4, 0, 1)
            juice = np.asarray(rng.choice([(0.45, 0.1, 0.08), (0.8, 0.5, 0.1), (0.6, 0.55, 0.3)]), F32)
            img = mix(img, img * 0.5 + juice * 0.3, wn[..., None] * 0.7)
            img += (wn * (fine(rng, H, W, 0.8) > 0.75) * 0.25)[..., None]
        sub = img[p.y0:p.y1, p.x0:p.x1]
        img[p.y0:p.y1, p.x0:p.x1] = sub * (1 - a[..., None]) + col * a[..., None]
        ow = owner[p.y0:p.y1, p.x0:p.x1]
        ow[a > 0.5] = i
    occ = np.zeros((H, W), F32)
    if palm is not None and rng.random() < 0.8:
        cx, cy, R0, sc = palm
        nf = int(rng.integers(1, 5))
        fa = rng.uniform(0, 2 * math.pi) if rng.random() < 0.3 else (0.0 if rng.random() < 0.5 else math.pi) + rng.normal(0, 0.5)
        dvec = np.array([math.cos(fa), math.sin(fa)]); nvec = np.array([-dvec[1], dvec[0]])
        th = R0 * rng.uniform(0.28, 0.4)
        reach = R0 * rng.uniform(0.3, 0.7)
        c0 = np.array([cx, cy]) + nvec * rng.normal(0, R0 * 0.3)
        amask = np.zeros((H, W), F32)
        col = sc * rng.uniform(0.95, 1.05)
        for f in range(nf):
            o = (f - (nf - 1) / 2) * th * 0.95
            tip = c0 - dvec * reach + nvec * o + dvec * abs(o) * 0.3
            base = tip + dvec * R0 * 2.5
            img, a1 = draw_capsules(img, rng, [(base[0], base[1], tip[0], tip[1], th)], col * rng.uniform(0.93, 1.05), H, W)
            amask = np.maximum(amask, a1)
            if rng.random() < 0.7:   # nail
                m = np.zeros((H, W), np.uint8)
                nc = tip + dvec * th * 0.25
                cv2.ellipse(m, (int(nc[0] * 4), int(nc[1] * 4)), (max(1, int(th * 0.3 * 4)), max(1, int(th * 0.22 * 4))),
                            math.degrees(fa), 0, 360, 255, -1, cv2.LINE_AA, shift=2)
                na = m.astype(F32)[..., None] / 255 * 0.6
                img = img * (1 - na) + np.clip(col * 1.25 + 0.08, 0, 1) * na
        a = amask
        occ = np.maximum(occ, a)
    if setting == "bag" and rng.random() < 0.5:
        m = np.zeros((H, W), np.uint8)
        yb = H * rng.uniform(0.55, 0.85)
        xs = np.linspace(-5, W + 5, 9)
        pts = [(x, yb + rng.normal(0, H * 0.04)) for x in xs] + [(W + 5, H + 5), (-5, H + 5)]
        cv2.fillPoly(m, [np.round(np.array(pts) * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
        a = m.astype(F32) / 255
        bc = bg_surface(rng, H, W, "bag") * rng.uniform(0.9, 1.2)
        img = mix(img, bc, a[..., None])
        occ = np.maximum(occ, a)
    if setting == "crate" and rng.random() < 0.4:
        m = np.zeros((H, W), np.uint8)
        th = int(min(W, H) * rng.uniform(0.06, 0.18))
        e = rng.integers(4)
        if e == 0: m[:th] = 255
        elif e == 1: m[-th:] = 255
        elif e == 2: m[:, :th] = 255
        else: m[:, -th:] = 255
        a = m.astype(F32) / 255
        img = mix(img, bg_surface(rng, H, W, "crate") * 1.1, a[..., None])
        occ = np.maximum(occ, a)
    if setting == "fridge" and rng.random() < 0.35:   # looking through a transparent drawer front
        m = np.zeros((H, W), np.uint8)
        yb = int(H * rng.uniform(0.3, 0.8))
        m[yb:] = 255
        a = m.astype(F32) / 255 * rng.uniform(0.25, 0.5)
        tint = hsv_col(rng.uniform(180, 220), rng.uniform(0, 0.2), 0.95)
        img = mix(img, tint, a[..., None])
        cv2.line(img, (0, yb), (W, yb), (0.95, 0.97, 1.0), max(1, H // 60))
    if rng.random() < 0.06:
        img, a = draw_leafs(img, rng, H, W, 1)
        occ = np.maximum(occ, a)
    owner[occ > 0.5] = -1
    # verify visibility of rot (for rotten) and of fruit at all
    vis_fruit = int((owner >= 0).sum())
    vis_rot = 0
    vis_tgt = 0
    for (i, p, col, a, isrot) in rendered:
        if isrot:
            ow = owner[p.y0:p.y1, p.x0:p.x1]
            vis_rot += int(((p.rot > 0.5) & (ow == i)).sum())
            vis_tgt += int((ow == i).sum())
    vis_rot = vis_rot if vis_rot >= max(25, min(0.1 * vis_tgt, 0.012 * W * H)) else 0
    return img, Lv, vis_fruit, vis_rot, setting


def camera(rng, img, W, H):
    # white balance / light colour, exposure, gradient, vignette
    temp = rng.uniform(-1, 1)
    wb = np.array([1 + 0.18 * temp, 1.0, 1 - 0.22 * temp], F32) * (1 + rng.normal(0, 0.04, 3)).astype(F32)
    img = img * wb * np.float32(rng.uniform(0.7, 1.35))
    ys, xs = np.mgrid[0:H, 0:W].astype(F32)
    ga = rng.uniform(0, 2 * math.pi)
    grad = ((xs / W - 0.5) * math.cos(ga) + (ys / H - 0.5) * math.sin(ga))
    img *= (1 + rng.uniform(0, 0.6) * grad)[..., None]
    if rng.random() < 0.6:
        r2 = ((xs / W - 0.5) ** 2 + (ys / H - 0.5) ** 2) * 2
        img *= (1 - rng.uniform(0.1, 0.5) * r2)[..., None]
    if rng.random() < 0.15:   # hard cast shadow (phone / person)
        m = np.zeros((H, W), np.uint8)
        pts = np.array([[rng.uniform(-W, 2 * W), rng.uniform(-H, 2 * H)] for _ in range(4)], np.int32)
        cv2.fillPoly(m, [pts], 255)
        s = cv2.GaussianBlur(m.astype(F32), (0, 0), rng.uniform(1, 6)) / 255
        img *= (1 - rng.uniform(0.2, 0.5) * s)[..., None]
    img = np.clip(img, 0, 1)
    img = img ** np.float32(rng.uniform(0.8, 1.2))
    # optics
    r = rng.random()
    if r < 0.25:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 1.8))
    elif r < 0.33:
        k = int(rng.integers(3, 8))
        ker = np.zeros((k, k), F32)
        a = rng.uniform(0, math.pi)
        c = (k - 1) / 2
        cv2.line(ker, (int(c - math.cos(a) * c), int(c - math.sin(a) * c)), (int(c + math.cos(a) * c), int(c + math.sin(a) * c)), 1.0, 1)
        ker /= ker.sum()
        img = cv2.filter2D(img, -1, ker)
    if rng.random() < 0.15:
        f = rng.uniform(0.35, 0.7)
        sm = cv2.resize(img, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        img = cv2.resize(sm, (W, H), interpolation=cv2.INTER_LINEAR)
    # sensor noise (more in the dark)
    ns = rng.uniform(0.0, 0.05)
    if ns > 0.005:
        lum = img.mean(axis=2, keepdims=True)
        nz = rng.normal(0, 1, (H, W, 1)).astype(F32) * (0.6 + 0.4 * (1 - lum)) + rng.normal(0, 0.4, (H, W, 3)).astype(F32)
        img = img + ns * nz
    if rng.random() < 0.3:   # saturation change / phone processing
        g = img.mean(axis=2, keepdims=True)
        img = g + (img - g) * np.float32(rng.uniform(0.7, 1.35))
    return np.clip(img, 0, 1)


def make_photo(rng, fruit, rotten, W, H):
    # render at working size; optional random crop/zoom so fruit sits anywhere
    for attempt in range(10):
        img, Lv, vis_fruit, vis_rot, setting = render_scene(rng, fruit, rotten, W, H, force=attempt >= 4)
        need_rot = 1
        if vis_fruit < 0.07 * W * H:
            continue
        if rotten and vis_rot < need_rot:
            continue
        break
    img = camera(rng, img, W, H)
    return (img[..., ::-1] * 255 + 0.5).astype(np.uint8), setting


def generate(out, count, seed, size=(128, 128)):
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    per = [count // 8 + (1 if k < count % 8 else 0) for k in range(8)]
    for k, folder in enumerate(FOLDERS):
        (out / folder).mkdir(parents=True, exist_ok=True)
    idx = 0
    for k, folder in enumerate(FOLDERS):
        rotten = folder.startswith("rotten")
        fruit = folder[6:] if rotten else folder[5:]
        for j in range(per[k]):
            rng = np.random.default_rng([seed, k, j])
            img, _ = make_photo(rng, fruit, rotten, W, H)
            q = int(rng.integers(45, 97))
            cv2.imwrite(str(out / folder / f"{folder}_{seed}_{j:06d}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, q])
            idx += 1


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=80)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="128x128")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split("x"))
    generate(pathlib.Path(a.out), a.count, a.seed, (w, h))
