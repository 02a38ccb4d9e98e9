#!/usr/bin/env python3
"""fruit_e: procedural photos of fresh / rotten fruit (apple, banana, orange, strawberry).

numpy + OpenCV only.  Layout: OUT/<fresh|rotten><fruit>/<stem>.jpg, stems "fruit_e_...".
Every photo is rendered at 2x its output size in linear light, then passed through a phone-like
camera model (exposure, white balance, blur, downscale, sharpening, noise, JPEG).

The label is decided first (kind, fresh/rotten); the drawn fruits are generated from it, and a
per-pixel "rot visibility" map is composited together with the image so that a rotten photo is only
accepted when rot is really visible in the final frame (otherwise the example is redrawn).
"""
import argparse
import colorsys
import math
import pathlib

import cv2
import numpy as np

NAME = "fruit_e"
KINDS = ("apple", "banana", "orange", "strawberry")
FOLDERS = tuple(f + k for f in ("fresh", "rotten") for k in KINDS)
F32 = np.float32
TAU = 2.0 * math.pi


# ----------------------------------------------------------------------------------------- utils
def ss(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def lin(rgb):
    return (np.asarray(rgb, F32) / 255.0) ** 2.2


def hsv(h, s, v):
    r, g, b = colorsys.hsv_to_rgb((h / 360.0) % 1.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0))
    return np.array([r, g, b], F32) ** 2.2


def jit(rng, col, amt=0.08):
    return np.clip(col * (1.0 + rng.normal(0, amt, 3)).astype(F32), 0.0, 1.5).astype(F32)


def lerp(a, b, t):
    return a + (b - a) * t


def mix3(alb, col, m):
    """alb (h,w,3) <- lerp towards col ((3,) or (h,w,3)) by m (h,w)."""
    d = col - alb
    d *= m[..., None]
    d += alb
    return d


def vnoise(rng, h, w, feat):
    """Smooth value noise, ~unit std, features about `feat` pixels."""
    cy = max(2, int(round(h / max(feat, 1.0))) + 2)
    cx = max(2, int(round(w / max(feat, 1.0))) + 2)
    g = rng.standard_normal((cy, cx)).astype(F32)
    n = cv2.resize(g, (max(w, 1), max(h, 1)), interpolation=cv2.INTER_CUBIC)
    return n * 1.25


def fbm(rng, h, w, feat, octaves=3, gain=0.5):
    out = np.zeros((h, w), F32)
    amp, tot = 1.0, 0.0
    for _ in range(octaves):
        out += amp * vnoise(rng, h, w, feat)
        tot += amp
        amp *= gain
        feat = max(feat / 2.0, 1.0)
    return out / tot


def grain(rng, h, w, sigma=0.7):
    g = rng.standard_normal((h, w)).astype(F32)
    if sigma > 0:
        g = cv2.GaussianBlur(g, (0, 0), sigma)
        g /= max(float(g.std()), 1e-6)
    return g


def blur(img, sigma):
    if sigma <= 0.3:
        return img
    if sigma > 5.0:
        f = int(sigma / 2.5)
        h, w = img.shape[:2]
        small = cv2.resize(img, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), sigma / f)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(img, (0, 0), sigma)




def cell_dots(rng_tab, s, t, density, rad, stagger=False, ret_d=False):
    """Jittered dots on a cell grid in coordinates (s, t). Returns (dot strength, per-dot random)."""
    if stagger:
        t = t + 0.5 * (np.floor(s) % 2)
    i = np.floor(s)
    j = np.floor(t)
    fi = s - i
    fj = t - j
    k = ((i.astype(np.int64) * 73856093) ^ (j.astype(np.int64) * 19349663)) & 1023
    r = rng_tab[k]
    jx = rad + r[..., 0] * (1 - 2 * rad)
    jy = rad + r[..., 1] * (1 - 2 * rad)
    rr = rad * (0.55 + 0.9 * r[..., 2])
    d = np.sqrt((fi - jx) ** 2 + (fj - jy) ** 2) / rr
    pres = r[..., 3] < density
    dot = np.clip(1.25 - d * 1.25, 0, 1) * pres
    if ret_d:
        return dot.astype(F32), r[..., 2], np.where(pres, d, 9.0).astype(F32)
    return dot.astype(F32), r[..., 2]


def wrapd(a):
    return (a + math.pi) % TAU - math.pi


def _crop(alpha):
    """Row/column range holding alpha > 0 (plus one pixel), or None."""
    rows = np.flatnonzero(alpha.max(1) > 0)
    if rows.size == 0:
        return None
    cols = np.flatnonzero(alpha.max(0) > 0)
    h, w = alpha.shape
    r0, r1 = max(0, rows[0] - 1), min(h, rows[-1] + 2)
    c0, c1 = max(0, cols[0] - 1), min(w, cols[-1] + 2)
    if r1 - r0 < 2 or c1 - c0 < 2:
        return None
    return int(r0), int(r1), int(c0), int(c1)


def _bbox(cx, cy, rx, ry, W, H):
    x0 = int(max(0, math.floor(cx - rx)))
    x1 = int(min(W, math.ceil(cx + rx)))
    y0 = int(max(0, math.floor(cy - ry)))
    y1 = int(min(H, math.ceil(cy + ry)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    return x0, y0, x1, y1


def kelvin(k):
    tab = [(2600, (255, 165, 80)), (3000, (255, 180, 107)), (3500, (255, 196, 137)),
           (4000, (255, 209, 163)), (5000, (255, 228, 206)), (5500, (255, 236, 224)),
           (6500, (255, 249, 253)), (7500, (235, 238, 255)), (9000, (214, 225, 255))]
    k = min(max(k, tab[0][0]), tab[-1][0])
    for (k0, c0), (k1, c1) in zip(tab[:-1], tab[1:]):
        if k0 <= k <= k1:
            t = (k - k0) / (k1 - k0)
            c = [a + (b - a) * t for a, b in zip(c0, c1)]
            break
    c = lin(c)
    return c / c[1]


def _unit(v):
    v = np.asarray(v, F32)
    return v / float(np.linalg.norm(v))


# ----------------------------------------------------------------------------------------- light
class Light:
    pass


def sample_light(rng):
    lt = Light()
    kind = rng.choice(["day", "warm", "fluoro", "flash", "shop", "fridge", "overcast"],
                      p=[0.22, 0.2, 0.14, 0.08, 0.18, 0.06, 0.12])
    lt.kind = kind
    az = rng.uniform(-math.pi, math.pi) if rng.random() < 0.4 else rng.normal(-math.pi / 2, 0.8)
    el = rng.uniform(0.35, 1.35)
    temp = {"day": rng.uniform(5000, 7000), "warm": rng.uniform(2600, 3600), "fluoro": rng.uniform(3800, 5200),
            "flash": rng.uniform(5200, 6200), "shop": rng.uniform(3500, 6000), "fridge": rng.uniform(5500, 9000),
            "overcast": rng.uniform(6000, 8500)}[kind]
    key = kelvin(temp)
    if kind == "fluoro":
        key = key * np.array([0.95, 1.0, 0.9], F32)
    amb_t = {"day": rng.uniform(7000, 9000), "overcast": temp}.get(kind, temp + rng.normal(0, 500))
    amb = kelvin(amb_t)
    if kind == "flash":
        el = rng.uniform(1.25, 1.5)
        ki, ai = rng.uniform(0.9, 1.3), rng.uniform(0.08, 0.2)
        lt.shadow, lt.soft = rng.uniform(0.45, 0.75), rng.uniform(0.02, 0.06)
    elif kind == "overcast":
        ki, ai = rng.uniform(0.3, 0.6), rng.uniform(0.45, 0.7)
        lt.shadow, lt.soft = rng.uniform(0.25, 0.5), rng.uniform(0.2, 0.4)
    elif kind in ("shop", "fridge"):
        el = rng.uniform(0.9, 1.4)
        ki, ai = rng.uniform(0.55, 0.9), rng.uniform(0.3, 0.5)
        lt.shadow, lt.soft = rng.uniform(0.3, 0.6), rng.uniform(0.08, 0.25)
    else:
        ki, ai = rng.uniform(0.6, 1.1), rng.uniform(0.15, 0.45)
        lt.shadow, lt.soft = rng.uniform(0.35, 0.75), rng.uniform(0.03, 0.25)
    lt.L = _unit([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    lt.key = (key * ki).astype(F32)
    lt.amb = (amb * ai).astype(F32)
    lt.up = _unit([rng.normal(0, 0.2), -0.5, 0.85])
    fa = az + math.pi + rng.normal(0, 0.6)
    lt.F = _unit([math.cos(0.6) * math.cos(fa), math.cos(0.6) * math.sin(fa), math.sin(0.6)])
    lt.fill = (amb * ai * rng.uniform(0.0, 0.6)).astype(F32)
    lt.H = _unit(lt.L + np.array([0, 0, 1], F32))
    lt.spec = rng.uniform(0.6, 1.4) * (1.5 if kind == "flash" else 1.0)
    lt.temp = temp
    lt.grad = rng.uniform(0.0, 0.35)
    lt.gdir = az
    return lt


def shade(lt, alb, nx, ny, nz, ks, shin, ao, wrap=0.3, sheen=0.25):
    L = lt.L
    ndl = nx * L[0] + ny * L[1] + nz * L[2]
    dif = np.clip((ndl + wrap) / (1.0 + wrap), 0, None)
    up = lt.up
    amb = 0.55 + 0.45 * (nx * up[0] + ny * up[1] + nz * up[2])
    F = lt.F
    fil = np.clip(nx * F[0] + ny * F[1] + nz * F[2], 0, None)
    Hh = lt.H
    ndh = np.clip(nx * Hh[0] + ny * Hh[1] + nz * Hh[2], 0, 1)
    x = 1.0 - ndh
    t1 = np.clip(1.0 - x * (shin * 0.25), 0, 1)
    t1 *= t1
    t1 *= t1
    t2 = np.clip(1.0 - x * ((shin * 0.12 + 1.0) * 0.5), 0, 1)
    sp = ks * (t1 + sheen * t2 * t2) * lt.spec
    rim = ks * 0.35 * (1.0 - np.clip(nz, 0, 1)) ** 4
    light = (dif[..., None] * lt.key + amb[..., None] * lt.amb + fil[..., None] * lt.fill) * ao[..., None]
    return alb * light + sp[..., None] * lt.key + rim[..., None] * lt.amb


# ----------------------------------------------------------------------------------------- layers
class Layer:
    __slots__ = ("x0", "y0", "rgb", "a", "rot", "cast")

    def __init__(self, x0, y0, rgb, a, rot=None, cast=True):
        self.x0, self.y0, self.rgb, self.a = x0, y0, rgb, a
        self.rot = rot
        self.cast = cast


def composite(S, L, fruit=False):
    h, w = L.a.shape
    sl = (slice(L.y0, L.y0 + h), slice(L.x0, L.x0 + w))
    a = L.a
    S.img[sl] += (L.rgb - S.img[sl]) * a[..., None]
    if L.rot is None:
        S.rot[sl] *= (1.0 - a)
    else:
        S.rot[sl] += (L.rot - S.rot[sl]) * a
    S.cover[sl] = np.maximum(S.cover[sl], a) if fruit else S.cover[sl] * (1 - a)


def cast_shadow(S, layers, height, strength=1.0):
    """Soft drop shadow + contact shadow of the union of layers onto what is already drawn."""
    lay = [L for L in layers if L is not None and L.cast]
    if not lay:
        return
    lt = S.light
    off = -lt.L[:2] / max(lt.L[2], 0.25) * height
    sig = max(1.0, height * (0.25 + 2.5 * lt.soft))
    pad = int(abs(off[0]) + abs(off[1]) + 3 * sig + 3)
    x0 = min(L.x0 for L in lay)
    y0 = min(L.y0 for L in lay)
    x1 = max(L.x0 + L.a.shape[1] for L in lay)
    y1 = max(L.y0 + L.a.shape[0] for L in lay)
    X0, Y0 = max(0, x0 - pad), max(0, y0 - pad)
    X1, Y1 = min(S.W, x1 + pad), min(S.H, y1 + pad)
    acc = np.zeros((Y1 - Y0, X1 - X0), F32)
    for L in lay:
        h, w = L.a.shape
        sub = acc[L.y0 - Y0:L.y0 - Y0 + h, L.x0 - X0:L.x0 - X0 + w]
        np.maximum(sub, L.a, out=sub)
    M = np.float32([[1, 0, off[0]], [0, 1, off[1]]])
    sh = cv2.warpAffine(acc, M, (acc.shape[1], acc.shape[0]), flags=cv2.INTER_LINEAR)
    sh = blur(sh, sig)
    M2 = np.float32([[1, 0, off[0] * 0.15], [0, 1, off[1] * 0.15 + height * 0.05]])
    ct = cv2.warpAffine(acc, M2, (acc.shape[1], acc.shape[0]), flags=cv2.INTER_LINEAR)
    ct = blur(ct, max(0.8, height * 0.08))
    dark = np.clip(lt.shadow * strength * sh + 0.35 * strength * ct, 0, 0.92)
    S.img[Y0:Y1, X0:X1] *= (1.0 - dark)[..., None]


def mask_layer(S, draw, bbox, col, shading=None, cast=True, rot=None):
    """Layer from an anti-aliased uint8 mask drawn by `draw(mask, ox, oy)` (coords shifted by bbox)."""
    x0, y0, x1, y1 = bbox
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(S.W, x1), min(S.H, y1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    draw(m, x0, y0)
    a = m.astype(F32) / 255.0
    if a.max() <= 0:
        return None
    if shading is None:
        rgb = np.broadcast_to(col, a.shape + (3,)).astype(F32)
    else:
        rgb = shading(a, x0, y0)
    return Layer(x0, y0, rgb, a, rot, cast)


def _pts(p, ox, oy):
    return np.round((np.asarray(p, np.float64) - [ox, oy]) * 16).astype(np.int32)


def tube_layer(S, pts, r0, r1, col, ks=0.1, shin=15.0, cast=True, tex=0.05, rng=None, rot=None):
    """A shaded tube along a polyline (stalks, fingers, handles)."""
    pts = np.asarray(pts, F32)
    rmax = max(r0, r1)
    x0, y0 = pts.min(0) - rmax - 2
    x1, y1 = pts.max(0) + rmax + 2
    bb = _bbox((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, S.W, S.H)
    if bb is None:
        return None
    bx0, by0, bx1, by1 = bb
    X = (np.arange(bx0, bx1, dtype=F32) + 0.5)[None, :]
    Y = (np.arange(by0, by1, dtype=F32) + 0.5)[:, None]
    h, w = by1 - by0, bx1 - bx0
    best = np.full((h, w), 1e9, F32)
    nxs = np.zeros((h, w), F32)
    nys = np.zeros((h, w), F32)
    rads = np.full((h, w), 1.0, F32)
    n = len(pts) - 1
    for k in range(n):
        p, q = pts[k], pts[k + 1]
        d = q - p
        ll = float(d @ d) + 1e-6
        t = np.clip(((X - p[0]) * d[0] + (Y - p[1]) * d[1]) / ll, 0, 1)
        rx = X - (p[0] + t * d[0])
        ry = Y - (p[1] + t * d[1])
        dist = np.sqrt(rx * rx + ry * ry)
        tt = (k + t) / n
        rad = r0 + (r1 - r0) * tt
        rel = dist / rad
        sel = rel < best
        best = np.where(sel, rel, best)
        nxs = np.where(sel, rx / rad, nxs)
        nys = np.where(sel, ry / rad, nys)
        rads = np.where(sel, rad, rads)
    a = np.clip((1.0 - best) * rads + 0.5, 0, 1)
    if a.max() <= 0:
        return None
    nz = np.sqrt(np.clip(1 - nxs ** 2 - nys ** 2, 0.0, 1))
    alb = np.broadcast_to(col, (h, w, 3)).astype(F32)
    if rng is not None and tex > 0:
        alb = alb * (1 + tex * vnoise(rng, h, w, max(2.0, rmax)))[..., None]
    ao = np.ones((h, w), F32)
    rgb = shade(S.light, alb, nxs, nys, nz, ks, shin, ao, wrap=0.2)
    return Layer(bx0, by0, rgb, a, rot, cast)


# ----------------------------------------------------------------------------------------- bodies
class Body:
    """Per-pixel state of one fruit inside its (clipped) bounding box."""

    def noise(self, rng, feat):
        return vnoise(rng, self.h, self.w, feat)

    def dist(self, q0):
        return np.sqrt((self.Q0 - q0[0]) ** 2 + (self.Q1 - q0[1]) ** 2 + (self.Q2 - q0[2]) ** 2)

    def pick(self, rng, zmin=0.3, avoid_edge=True):
        """Surface point under a random well-visible pixel."""
        ok = (self.alpha > 0.99) & (self.vis > zmin)
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            idx = np.flatnonzero(self.alpha > 0.5)
            if idx.size == 0:
                return None
        k = int(idx[rng.integers(idx.size)])
        return np.array([self.Q0.flat[k], self.Q1.flat[k], self.Q2.flat[k]], F32)

    def shade_layer(self, S, wrap=0.3, sheen=0.25):
        B = np.ascontiguousarray(self.B, dtype=F32)
        gx = cv2.Sobel(B, cv2.CV_32F, 1, 0, ksize=3) * 0.125
        gy = cv2.Sobel(B, cv2.CV_32F, 0, 1, ksize=3) * 0.125
        wp = getattr(self, "warp", None)
        if wp is not None:  # sprite axes -> screen axes
            c, s = wp[5]
            gx, gy = gx * c - gy * s, gx * s + gy * c
        nz = self.nz
        nx = self.nx - gx * nz
        ny = self.ny - gy * nz
        inv = 1.0 / np.sqrt(nx * nx + ny * ny + nz * nz + 1e-8)
        rgb = shade(S.light, self.alb, nx * inv, ny * inv, nz * inv, self.ks, self.shin, self.ao, wrap, sheen)
        rgb, a, rot = rgb.astype(F32), self.alpha.astype(F32), self.rot.astype(F32)
        if wp is not None:
            M, bx0, by0, bw, bh = wp[:5]
            rgb = cv2.warpAffine(rgb, M, (bw, bh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
            a = cv2.warpAffine(a, M, (bw, bh), flags=cv2.INTER_LINEAR, borderValue=0)
            rot = cv2.warpAffine(rot, M, (bw, bh), flags=cv2.INTER_LINEAR, borderValue=0)
            return Layer(bx0, by0, rgb, a, rot)
        return Layer(self.x0, self.y0, rgb, a, rot)


def round_body(S, cx, cy, R, theta, tilt, oblate, shp, pad=1.3):
    bb = _bbox(cx, cy, pad * R, pad * R, S.W, S.H)
    if bb is None:
        return None
    x0, y0, x1, y1 = bb
    X = (np.arange(x0, x1, dtype=F32) + 0.5 - cx)[None, :]
    Y = (np.arange(y0, y1, dtype=F32) + 0.5 - cy)[:, None]
    c, s = math.cos(theta), math.sin(theta)
    st = abs(math.sin(tilt))
    ev = 1.0 - (1.0 - oblate) * st
    u = (X * c + Y * s) / R
    v = (-X * s + Y * c) / (R * ev)
    if shp.get("tipw", 0):
        u = u / (1.0 - shp["tipw"] * st * ss(-0.9, 1.0, v))
    rho = np.sqrt(u * u + v * v) + 1e-6
    phi = np.arctan2(v, u)
    r = np.ones_like(rho)
    for k, a, p in shp.get("harm", ()):
        r += a * np.cos(k * phi + p)
    sphi = v / rho
    if shp.get("dipT", 0):
        r -= shp["dipT"] * st * st * np.exp(-(wrapd(phi + math.pi / 2) / shp.get("dipW", 0.45)) ** 2)
    if shp.get("dipB", 0):
        r -= shp["dipB"] * st * st * np.exp(-(wrapd(phi - math.pi / 2) / 0.5) ** 2)
    if shp.get("cone", 0):
        r += shp["cone"] * st * np.maximum(sphi, 0) ** shp.get("coneP", 3.0)
    if shp.get("shoulder", 0):
        r -= shp["shoulder"] * st * np.maximum(-sphi, 0) ** 2
    if shp.get("taper", 0):
        r -= shp["taper"] * st * np.maximum(sphi, 0) ** 2
    q = rho / r
    alpha = np.clip((1.0 - q) * r * R * min(1.0, ev) + 0.5, 0, 1)
    cr = _crop(alpha)
    if cr is None:
        return None
    alpha, q, u, v, rho = (a[cr[0]:cr[1], cr[2]:cr[3]] for a in (alpha, q, u, v, rho))
    x0, y0, x1, y1 = x0 + cr[2], y0 + cr[0], x0 + cr[3], y0 + cr[1]
    qq = np.minimum(q, 1.0)
    z = np.sqrt(1.0 - qq * qq)
    x = u / rho * qq
    y = v / rho * qq
    b = Body()
    b.x0, b.y0, b.h, b.w = x0, y0, y1 - y0, x1 - x0
    b.R, b.cx, b.cy, b.theta, b.tilt, b.ev = R, cx, cy, theta, tilt, ev
    b.alpha = alpha.astype(F32)
    b.nx = (x * c - y * s).astype(F32)
    b.ny = (x * s + y * c).astype(F32)
    b.nz = z.astype(F32)
    b.Q0, b.Q1, b.Q2 = x.astype(F32), y.astype(F32), z.astype(F32)
    b.vis = b.nz
    ct, stt = math.cos(tilt), math.sin(tilt)
    cl = np.clip(-y * stt + z * ct, -1, 1)
    b.lat = np.arccos(cl).astype(F32)
    b.lon = np.arctan2(y * ct + z * stt, x).astype(F32)
    b.axis = np.array([0, -stt, ct], F32)
    b.e1 = np.array([1, 0, 0], F32)
    b.e2 = np.array([0, ct, stt], F32)
    b.Rpx = R
    b.ao = (0.72 + 0.28 * np.sqrt(z)).astype(F32)
    b.B = np.zeros((b.h, b.w), F32)
    b.rot = np.zeros((b.h, b.w), F32)
    b.ks = np.zeros((b.h, b.w), F32)
    b.shin = 30.0
    b.q = q
    return b


def proj(b, p3):
    """Fruit-frame 3D point (unit-sphere units) -> screen (x, y), depth."""
    c, s = math.cos(b.theta), math.sin(b.theta)
    u, v = float(p3[0]), float(p3[1]) * b.ev
    return np.array([b.cx + b.R * (u * c - v * s), b.cy + b.R * (u * s + v * c)], F32), float(p3[2])


def lat_cells(b, rows, per_ring):
    """Cell coordinates on latitude rings: each ring has its own whole number of cells (no shear)."""
    s_ = b.lat * (rows / math.pi)
    i = np.floor(s_)
    n_i = np.maximum(1.0, np.round(per_ring * np.sin((i + 0.5) * (math.pi / rows))))
    t_ = (b.lon / TAU + 0.5) * n_i
    return s_, t_


# ----------------------------------------------------------------------------------------- rot ops
def op_decay(b, rng, q0, rad, col_edge, col_core, sink=0.06, wet=None, rings=0.0, halo=0.3, strength=1.0):
    d = b.dist(q0) / rad
    fpx = max(2.0, rad * b.Rpx * 0.5)
    d = d * (1.0 + 0.22 * b.noise(rng, fpx) + 0.07 * b.noise(rng, fpx * 0.3))
    m = ss(1.05, 0.72, d) * strength
    core = ss(0.95, 0.05, d)
    col = col_edge + (col_core - col_edge) * core[..., None]
    tex = 1.0 + 0.12 * b.noise(rng, max(1.5, fpx * 0.2))
    if rings > 0:
        tex = tex * (1.0 + rings * np.sin(d * rng.uniform(14, 26)))
    col = col * tex[..., None]
    if halo > 0:
        hm = ss(1.5, 1.0, d) * (1 - m) * halo
        b.alb = b.alb * (1.0 - 0.35 * hm)[..., None]
    b.alb = mix3(b.alb, col, m)
    b.B -= sink * b.Rpx * ss(1.05, 0.3, d) * strength
    if wet is not None:
        b.ks = b.ks + (wet - b.ks) * m
    b.rot = np.maximum(b.rot, m)
    return m


def op_mould(b, rng, q0, rad, ccol, rimcol=None, halo=0.5, dots=0.0, dotcol=None, fluff=1.0):
    """A raised fuzzy mould colony: coloured sporulating centre, paler cottony margin, soft rim."""
    if rimcol is None:
        rimcol = lin((236, 236, 228))
    d = b.dist(q0) / rad
    fpx = max(2.0, rad * b.Rpx * 0.5)
    d = d * (1.0 + 0.3 * b.noise(rng, fpx) + 0.12 * b.noise(rng, fpx * 0.35))
    tpx = max(1.5, b.Rpx * rng.uniform(0.025, 0.05))
    g = 0.7 * b.noise(rng, tpx) + 0.3 * grain(rng, b.h, b.w, 1.0)
    e = d + 0.07 * fluff * g
    m = ss(1.0 + 0.06 * fluff, 0.85 - 0.12 * fluff, e)
    t = ss(rng.uniform(0.3, 0.6), 1.0, d + 0.08 * g)
    col = ccol + (rimcol - ccol) * t[..., None]
    col = col * np.clip(0.86 + 0.14 * g, 0.6, 1.2)[..., None]
    if dots > 0 and dotcol is not None:
        g2 = b.noise(rng, tpx * 0.6)
        dm = ss(1.3 - dots, 1.9 - dots, g2) * m * ss(0.9, 0.4, d)
        col = col + (dotcol - col) * dm[..., None]
    if halo > 0:
        hm = ss(1.55, 1.0, d) * (1 - m) * halo
        b.alb = b.alb * (1.0 - 0.4 * hm)[..., None]
        b.ks = b.ks + (0.45 - b.ks) * hm * 0.6
        b.rot = np.maximum(b.rot, hm * 0.6)
    b.alb = mix3(b.alb, col, m)
    b.B += b.Rpx * fluff * (0.04 * ss(1.0, 0.2, e) + 0.012 * g * m)
    b.ks = b.ks * (1.0 - m)
    b.rot = np.maximum(b.rot, m)
    return m


def op_wrinkle(b, rng, m, amp=1.0, feat=0.12, darken=0.3):
    fpx = max(2.0, b.Rpx * feat)
    n = b.noise(rng, fpx) + 0.5 * b.noise(rng, fpx * 0.5)
    cre = (1.0 - np.clip(np.abs(n), 0, 1)) ** 3
    b.B += amp * b.Rpx * 0.035 * m * cre
    b.alb = b.alb * (1.0 - darken * m * (cre - 0.3))[..., None]
    b.ao = b.ao * (1.0 - 0.15 * m * cre)
    return cre


def op_split(b, rng, q0, length, flesh, edge, leak=None):
    """A crack in the skin through q0 (surface units), showing flesh with dark rims."""
    ang = rng.uniform(0, math.pi)
    u = (b.Q0 - q0[0]) * math.cos(ang) + (b.Q1 - q0[1]) * math.sin(ang)
    v = -(b.Q0 - q0[0]) * math.sin(ang) + (b.Q1 - q0[1]) * math.cos(ang)
    v = v + 0.06 * length * b.noise(rng, max(2.0, b.Rpx * 0.15))
    wid = 0.05 * length * (1 - np.clip(np.abs(u) / (length / 2), 0, 1)) ** 0.6
    inner = ss(1.0, 0.5, np.abs(v) / (wid + 1e-4))
    rim = ss(2.6, 1.0, np.abs(v) / (wid + 1e-4)) * (np.abs(u) < length / 2)
    b.alb = mix3(b.alb, edge, rim * 0.8)
    b.alb = mix3(b.alb, flesh, inner)
    b.B -= inner * b.Rpx * 0.03
    b.ks = b.ks + (0.6 - b.ks) * inner
    b.rot = np.maximum(b.rot, np.maximum(inner, rim * 0.8))


def rot_plan(rng, kind):
    """Severity and process list for one rotten fruit."""
    r = rng.random()
    if r < 0.36:
        sev = rng.uniform(0.03, 0.12)
    elif r < 0.72:
        sev = rng.uniform(0.12, 0.4)
    else:
        sev = rng.uniform(0.4, 0.95)
    return sev


def mould_colour(rng, kind):
    c = rng.choice(["white", "grey", "bluegreen", "green", "olive", "blue"],
                   p={"apple": [0.15, 0.15, 0.25, 0.15, 0.15, 0.15],
                      "orange": [0.12, 0.05, 0.23, 0.35, 0.15, 0.1],
                      "strawberry": [0.25, 0.55, 0.05, 0.05, 0.05, 0.05],
                      "banana": [0.35, 0.3, 0.1, 0.1, 0.1, 0.05]}[kind])
    base = {"white": hsv(rng.uniform(40, 60), rng.uniform(0.02, 0.12), rng.uniform(0.82, 0.95)),
            "grey": hsv(rng.uniform(20, 60), rng.uniform(0.05, 0.18), rng.uniform(0.45, 0.7)),
            "bluegreen": hsv(rng.uniform(160, 190), rng.uniform(0.3, 0.55), rng.uniform(0.45, 0.7)),
            "green": hsv(rng.uniform(85, 120), rng.uniform(0.35, 0.65), rng.uniform(0.4, 0.62)),
            "olive": hsv(rng.uniform(55, 75), rng.uniform(0.35, 0.6), rng.uniform(0.35, 0.55)),
            "blue": hsv(rng.uniform(190, 215), rng.uniform(0.25, 0.5), rng.uniform(0.5, 0.72))}[c]
    return c, base


def apply_rot(b, rng, kind, sev):
    """Draw a sampled set of spoilage processes on body b with total severity sev (0..1)."""
    # chord radius for a cap covering fraction c of a sphere: 2*sqrt(c)
    nl = 1 + int(rng.poisson(0.4 + 1.6 * sev))
    frac = rng.dirichlet(np.ones(nl)) * sev
    procs = {
        "apple": (["decay", "mould", "brownrot", "bitter", "bruise", "shrivel", "blackrot"],
                  [0.28, 0.2, 0.16, 0.08, 0.1, 0.1, 0.08]),
        "orange": (["mould", "decay", "soft", "shrivel", "blackrot", "whitemould"],
                   [0.42, 0.16, 0.14, 0.1, 0.08, 0.1]),
        "strawberry": (["botrytis", "darksoft", "shrivel", "whitemould", "mould", "leakrot"],
                       [0.36, 0.2, 0.14, 0.1, 0.08, 0.12]),
    }[kind]
    main = rng.choice(procs[0], p=procs[1])
    brown_e = {"apple": hsv(rng.uniform(25, 38), rng.uniform(0.55, 0.8), rng.uniform(0.4, 0.62)),
               "orange": hsv(rng.uniform(25, 38), rng.uniform(0.6, 0.85), rng.uniform(0.45, 0.65)),
               "strawberry": hsv(rng.uniform(0, 15), rng.uniform(0.55, 0.8), rng.uniform(0.3, 0.45))}[kind]
    brown_c = {"apple": hsv(rng.uniform(15, 30), rng.uniform(0.6, 0.85), rng.uniform(0.15, 0.3)),
               "orange": hsv(rng.uniform(20, 35), rng.uniform(0.6, 0.85), rng.uniform(0.2, 0.35)),
               "strawberry": hsv(rng.uniform(350, 375), rng.uniform(0.5, 0.8), rng.uniform(0.12, 0.22))}[kind]
    if main == "shrivel":
        m = np.clip(0.55 + 0.5 * b.noise(rng, b.Rpx * 0.6), 0, 1) * (0.6 + 0.4 * min(1, sev * 2))
        m = np.maximum(m, 0.5)
        op_wrinkle(b, rng, m, amp=rng.uniform(0.8, 1.6), feat=rng.uniform(0.08, 0.16), darken=0.35)
        g = b.alb.mean(2, keepdims=True)
        dull = b.alb * 0.55 + g * 0.45
        tint = brown_e if kind != "strawberry" else hsv(rng.uniform(350, 365), 0.6, 0.3)
        b.alb = mix3(b.alb, dull * 0.75 + tint * 0.25, m * rng.uniform(0.5, 0.9))
        b.ks = b.ks * (1 - 0.6 * m)
        b.rot = np.maximum(b.rot, m * 0.9)
        nl = max(0, nl - 1)
    for i in range(nl):
        q0 = b.pick(rng, zmin=rng.uniform(0.15, 0.55))
        if q0 is None:
            break
        c = max(frac[i] if i < len(frac) else 0.02, 0.012)
        rad = 2.0 * math.sqrt(c) * rng.uniform(0.8, 1.25)
        p = main if i == 0 or rng.random() < 0.6 else rng.choice(procs[0], p=procs[1])
        if p == "shrivel":
            p = "decay"
        if p == "decay":
            op_decay(b, rng, q0, rad, brown_e, brown_c, sink=rng.uniform(0.02, 0.08),
                     wet=rng.choice([0.05, 0.5]), rings=rng.choice([0.0, 0.0, 0.08]))
            if rng.random() < 0.3:
                cn, col = mould_colour(rng, kind)
                op_mould(b, rng, q0, rad * rng.uniform(0.3, 0.6), col, dots=0.3, dotcol=col * 0.6)
        elif p == "brownrot":
            op_decay(b, rng, q0, rad, hsv(30, 0.65, 0.45), hsv(22, 0.7, 0.22), sink=0.05, wet=0.08, rings=0.1)
            fpx = max(1.5, b.Rpx * 0.02)
            d = b.dist(q0) / rad
            ring = 0.5 + 0.5 * np.sin(d * rng.uniform(10, 18))
            g = grain(rng, b.h, b.w, fpx * 0.6)
            pm = (g > 1.0).astype(F32) * ss(1.0, 0.7, d) * ring
            b.alb = mix3(b.alb, hsv(40, rng.uniform(0.15, 0.35), rng.uniform(0.7, 0.85)), pm)
            b.B += pm * b.Rpx * 0.012
        elif p == "bitter":
            for _ in range(int(rng.integers(1, 4))):
                qq = b.pick(rng, 0.3)
                if qq is None:
                    break
                op_decay(b, rng, qq, rad * rng.uniform(0.35, 0.7), hsv(20, 0.6, 0.3), hsv(10, 0.5, 0.1),
                         sink=0.1, wet=0.05, rings=0.15)
        elif p == "bruise":
            d = b.dist(q0) / (rad * 1.25)
            d = d * (1 + 0.15 * b.noise(rng, b.Rpx * 0.3))
            m = ss(1.0, 0.4, d)
            dark = b.alb * np.array([0.5, 0.42, 0.32], F32) + hsv(25, 0.6, 0.3) * 0.3
            b.alb = mix3(b.alb, dark, m * rng.uniform(0.6, 0.9))
            b.B -= m * b.Rpx * 0.05
            b.ks = b.ks * (1 - 0.5 * m)
            b.rot = np.maximum(b.rot, m)
        elif p == "blackrot":
            op_decay(b, rng, q0, rad, hsv(20, 0.5, 0.22), hsv(20, 0.3, 0.05), sink=0.04, wet=0.1,
                     rings=rng.choice([0.0, 0.15]))
        elif p in ("mould", "whitemould", "botrytis"):
            if p == "whitemould":
                col = hsv(rng.uniform(40, 60), rng.uniform(0.0, 0.08), rng.uniform(0.85, 0.97))
                dots, dcol = (0.35, lin((30, 30, 30))) if kind == "strawberry" else (0.0, None)
            elif p == "botrytis":
                col = hsv(rng.uniform(25, 50), rng.uniform(0.08, 0.22), rng.uniform(0.45, 0.66))
                dots, dcol = 0.3, hsv(30, 0.2, 0.3)
            else:
                cn, col = mould_colour(rng, kind)
                dots, dcol = 0.25, col * 0.55
            # soft rotten tissue below and around the mould
            op_decay(b, rng, q0, rad * rng.uniform(1.1, 1.5), brown_e * 0.9 + b_mean(b) * 0.1, brown_c,
                     sink=0.03, wet=0.35, halo=0.2, strength=rng.uniform(0.6, 1.0))
            rim = None
            if kind == "orange" and p == "mould":
                rim = lin((244, 244, 236))
            elif p == "botrytis":
                rim = np.clip(col * rng.uniform(1.1, 1.5), 0, 1)
            op_mould(b, rng, q0, rad * rng.uniform(0.6, 0.95), col, rimcol=rim, dots=dots, dotcol=dcol,
                     fluff=1.4 if p in ("botrytis", "whitemould") else 1.0)
        elif p == "soft":
            op_decay(b, rng, q0, rad, b_mean(b) * 0.72 + hsv(35, 0.5, 0.4) * 0.2, hsv(30, 0.5, 0.3),
                     sink=0.08, wet=0.7, halo=0.0)
            m = ss(1.2, 0.4, b.dist(q0) / rad)
            op_wrinkle(b, rng, m, amp=1.0, feat=0.1, darken=0.2)
        elif p == "darksoft":
            op_decay(b, rng, q0, rad, hsv(rng.uniform(350, 365), 0.7, 0.3), hsv(355, 0.6, 0.14),
                     sink=0.1, wet=rng.uniform(0.3, 0.7), halo=0.4)
            m = ss(1.1, 0.3, b.dist(q0) / rad)
            op_wrinkle(b, rng, m, amp=0.8, feat=0.1, darken=0.25)
        elif p == "leakrot":
            op_decay(b, rng, q0, rad, hsv(355, 0.75, 0.4), hsv(350, 0.6, 0.18), sink=0.08, wet=0.9, halo=0.3)
            cn, col = mould_colour(rng, kind)
            if rng.random() < 0.5:
                op_mould(b, rng, q0, rad * 0.5, col, dots=0.3, dotcol=col * 0.5)


def visible_rot(b, alb0):
    """Keep rot weight only where the spoilage really changed the look of the skin."""
    diff = np.abs(b.alb - alb0).sum(2)
    rel = diff / (alb0.sum(2) * 0.5 + 0.03)
    b.rot = (b.rot * ss(0.05, 0.2, rel)).astype(F32)


def b_mean(b):
    m = b.alpha > 0.5
    if not m.any():
        return b.alb.reshape(-1, 3).mean(0)
    return b.alb[m].mean(0)


def add_sticker(S, b, rng):
    """A PLU price sticker on the skin (oval, printed)."""
    ok = np.flatnonzero((b.alpha > 0.99) & (b.nz > 0.6))
    if ok.size == 0:
        return
    k = int(ok[rng.integers(ok.size)])
    yy, xx = divmod(k, b.w)
    nx, ny, nz = float(b.nx.flat[k]), float(b.ny.flat[k]), float(b.nz.flat[k])
    ax = b.Rpx * rng.uniform(0.18, 0.3)
    ay = ax * rng.uniform(0.6, 0.8)
    ang = rng.uniform(0, 180)
    m = np.zeros((b.h, b.w), np.uint8)
    cv2.ellipse(m, ((xx + 0.5, yy + 0.5), (2 * ax * (0.6 + 0.4 * nz), 2 * ay), ang), 255, -1, cv2.LINE_AA)
    a = m.astype(F32) / 255.0
    col = [lin((245, 245, 240)), lin((40, 90, 190)), lin((250, 210, 40)), lin((30, 140, 70)),
           lin((200, 40, 40)), lin((20, 20, 20))][int(rng.integers(6))]
    b.alb = mix3(b.alb, col, a)
    # printed marks
    tm = np.zeros((b.h, b.w), np.uint8)
    for i in range(int(rng.integers(2, 4))):
        dy = (i - 1) * ay * 0.45
        L = ax * rng.uniform(0.4, 0.8)
        ca, sa = math.cos(math.radians(ang)), math.sin(math.radians(ang))
        p0 = (xx - L * ca * 0.5 - dy * sa, yy - L * sa * 0.5 + dy * ca)
        p1 = (xx + L * ca * 0.5 - dy * sa, yy + L * sa * 0.5 + dy * ca)
        cv2.line(tm, (int(p0[0]), int(p0[1])), (int(p1[0]), int(p1[1])), 255, 1, cv2.LINE_AA)
    t = tm.astype(F32) / 255.0 * a * 0.8
    ink = lin((20, 20, 20)) if col.mean() > 0.3 else lin((240, 240, 240))
    b.alb = mix3(b.alb, ink, t)
    b.ks = b.ks + (0.35 - b.ks) * a
    b.B = b.B * (1 - a)


# ----------------------------------------------------------------------------------------- apple
def draw_apple(S, rng, cx, cy, R, rotten, extras=True):
    var = rng.choice(["green", "yellow", "red", "striped", "bicolour", "russet"],
                     p=[0.17, 0.12, 0.27, 0.24, 0.15, 0.05])
    r = rng.random()
    tilt = (rng.uniform(1.25, 1.9) if r < 0.45 else rng.uniform(0.45, 1.25) if r < 0.75 else
            rng.uniform(0.0, 0.45) if r < 0.88 else rng.uniform(1.9, math.pi))
    theta = rng.normal(0, 0.3) if rng.random() < 0.7 else rng.uniform(-math.pi, math.pi)
    sev = rot_plan(rng, "apple") if rotten else 0.0
    shrivel = rotten and rng.random() < 0.15
    shp = {"harm": [(k, rng.uniform(0, 0.022) / (k - 1) ** 0.5, rng.uniform(0, TAU)) for k in (2, 3, 4, 5)],
           "dipT": rng.uniform(0.05, 0.13), "dipW": rng.uniform(0.35, 0.55), "dipB": rng.uniform(0.0, 0.05),
           "taper": rng.uniform(0.0, 0.2), "shoulder": rng.uniform(0.0, 0.05)}
    if var == "red" and rng.random() < 0.4:  # delicious-type lobes
        shp["harm"].append((5, 0.012, rng.uniform(0, TAU)))
        shp["taper"] += 0.1
    if shrivel:
        shp["harm"] += [(k, rng.uniform(0.01, 0.03), rng.uniform(0, TAU)) for k in (6, 8, 11)]
        R *= 0.9
    b = round_body(S, cx, cy, R, theta, tilt, rng.uniform(0.82, 1.0), shp)
    if b is None:
        return [], None
    h, w = b.h, b.w
    # colours
    if var == "green":
        ground = hsv(rng.uniform(72, 96), rng.uniform(0.5, 0.75), rng.uniform(0.55, 0.8))
    elif var == "yellow":
        ground = hsv(rng.uniform(46, 62), rng.uniform(0.5, 0.75), rng.uniform(0.78, 0.93))
    elif var == "russet":
        ground = hsv(rng.uniform(35, 50), rng.uniform(0.45, 0.7), rng.uniform(0.5, 0.72))
    else:
        ground = hsv(rng.uniform(45, 72), rng.uniform(0.45, 0.7), rng.uniform(0.7, 0.9))
    oh = rng.uniform(-12, 8)
    over = hsv(oh, rng.uniform(0.7, 0.95), rng.uniform(0.4, 0.82))
    cov = {"green": rng.uniform(0, 0.15), "yellow": rng.uniform(0, 0.3), "red": rng.uniform(0.75, 1.05),
           "striped": rng.uniform(0.35, 0.9), "bicolour": rng.uniform(0.2, 0.65),
           "russet": rng.uniform(0, 0.35)}[var]
    if var in ("green", "yellow"):
        over = hsv(rng.uniform(-5, 20), rng.uniform(0.4, 0.7), rng.uniform(0.6, 0.85))
    if var == "russet":
        over = hsv(rng.uniform(10, 25), rng.uniform(0.6, 0.8), rng.uniform(0.45, 0.65))
    bd = _unit(rng.normal(0, 1, 3) + np.array([0, 0, 0.8]))
    f = b.Q0 * bd[0] + b.Q1 * bd[1] + b.Q2 * bd[2]
    f = f + 0.12 * b.noise(rng, R * 0.6) + 0.04 * b.noise(rng, R * 0.15)
    t0 = 1.0 - 2.0 * cov
    bw = rng.uniform(0.2, 0.45)
    bl = ss(t0 - bw, t0 + bw, f)
    if var == "green":
        bl = bl * 0.6
    if var in ("striped", "red") or (var == "bicolour" and rng.random() < 0.3):
        # streaks run along meridians (stalk to calyx): a random 1-D profile of longitude
        nst = int(rng.integers(60, 130))
        tab = rng.random(nst + 1).astype(F32)
        tab[-1] = tab[0]
        lonw = (b.lon / TAU + 0.5) + 0.006 * b.noise(rng, R * 0.4)
        prof = np.interp((lonw % 1.0) * nst, np.arange(nst + 1), tab).astype(F32)
        stripe = ss(0.3, 0.85, prof + 0.06 * b.noise(rng, R * 0.3))
        stripe = stripe * (0.6 + 0.4 * ss(2.9, 1.5, b.lat))
        base = rng.uniform(0.45, 0.75) if var == "striped" else rng.uniform(0.75, 0.92)
        inten = bl * (base + (1 - base) * stripe)
        if var == "striped":
            inten = np.maximum(inten, stripe * 0.3 * ss(t0 - 2 * bw, t0, f))
    else:
        inten = bl * (0.9 + 0.1 * ss(-1, 1, b.noise(rng, R * 0.1)))
    dark_over = over * np.array([rng.uniform(0.7, 0.9), 0.75, 0.8], F32)
    oc = over + (dark_over - over) * ss(0.4, 1.0, f)[..., None]
    alb = np.broadcast_to(ground, (h, w, 3)) + (oc - ground) * inten[..., None]
    alb = alb * (1.0 + 0.06 * b.noise(rng, R * 0.08))[..., None]
    # cavity colouring and shape
    gc = rng.uniform(0.25, 0.42)
    cav = ss(gc * 1.7, gc * 0.5, b.lat)
    cavcol = ground * np.array([0.85, 0.95, 0.7], F32) if rng.random() < 0.5 else \
        hsv(rng.uniform(28, 40), rng.uniform(0.5, 0.7), rng.uniform(0.35, 0.55))
    streak = 0.5 + 0.5 * np.sin(b.lon * rng.uniform(7, 13) + b.noise(rng, R * 0.2))
    alb = mix3(alb, cavcol, cav * (0.4 + 0.5 * streak) * rng.uniform(0.4, 1.0))
    b.B -= R * rng.uniform(0.18, 0.32) * np.exp(-(b.lat / gc) ** 2)
    b.B -= R * 0.12 * np.exp(-((math.pi - b.lat) / 0.28) ** 2)
    b.ao = b.ao * (1.0 - 0.45 * np.exp(-(b.lat / (0.7 * gc)) ** 2))
    # russet: whole skin for russet apples, only the stalk cavity for others
    if var == "russet" or rng.random() < 0.3:
        rn = b.noise(rng, max(2.0, R * 0.05))
        net = (1 - np.clip(np.abs(rn), 0, 1)) ** 2
        if var == "russet":
            area = np.clip(0.75 + 0.4 * b.noise(rng, R * 0.3), 0, 1)
        else:
            area = ss(gc * 2.2, gc * 0.8, b.lat + 0.15 * b.noise(rng, R * 0.2))
        rc = hsv(rng.uniform(28, 40), rng.uniform(0.5, 0.7), rng.uniform(0.4, 0.6))
        alb = mix3(alb, rc, area * (0.4 + 0.6 * net) * (0.85 if var == "russet" else 0.55))
    # lenticels
    rows = rng.uniform(18, 36)
    s_, t_ = lat_cells(b, rows, rows * 2.0)
    dots, _ = cell_dots(S.tab, s_, t_, rng.uniform(0.4, 0.9), rng.uniform(0.1, 0.18))
    lcol = lin((235, 215, 160)) if var in ("red", "striped", "bicolour") else \
        hsv(rng.uniform(40, 60), 0.35, 0.85) if rng.random() < 0.6 else hsv(40, 0.5, 0.4)
    alb = mix3(alb, lcol, dots * rng.uniform(0.2, 0.55) * (0.3 + 0.7 * inten))
    b.alb = alb.astype(F32)
    b.B += 0.15 * b.noise(rng, max(2.0, R * 0.15))
    waxy = var != "russet"
    b.ks[:] = rng.uniform(0.15, 0.6) if waxy else rng.uniform(0.02, 0.08)
    b.shin = rng.uniform(20, 90) if waxy else 8.0
    # a small natural mark on fresh apples (healed scar / hail dot)
    if rng.random() < 0.3:
        q0 = b.pick(rng, 0.3)
        if q0 is not None:
            d = b.dist(q0) / rng.uniform(0.03, 0.06)
            mk = ss(1.0, 0.5, d)
            b.alb = mix3(b.alb, hsv(30, 0.5, 0.35), mk * 0.7)
    if extras and rng.random() < 0.18:
        add_sticker(S, b, rng)
    if rotten:
        alb0 = b.alb.copy()
        if shrivel:
            m = np.clip(0.7 + 0.4 * b.noise(rng, R * 0.5), 0.4, 1)
            op_wrinkle(b, rng, m, amp=1.4, feat=0.1, darken=0.3)
            b.alb = mix3(b.alb, b.alb * 0.55 + hsv(30, 0.5, 0.35) * 0.45, m * 0.6)
            b.ks *= 0.3
            b.rot = np.maximum(b.rot, m * 0.9)
        apply_rot(b, rng, "apple", sev)
        visible_rot(b, alb0)
    layers = [b.shade_layer(S)]
    # stalk
    pole, pz = proj(b, b.axis * (1 - 0.1))
    if tilt < 1.7 and rng.random() < 0.85:
        L = R * rng.uniform(0.15, 0.45)
        bend = _unit(rng.normal(0, 1, 3)) * rng.uniform(0.1, 0.5)
        tip3 = b.axis * 0.85 + (b.axis + bend) * L / R
        mid3 = b.axis * 0.85 + (b.axis + bend * 0.3) * L / R * 0.5
        p0, _ = proj(b, b.axis * 0.8)
        p1, _ = proj(b, mid3)
        p2, _ = proj(b, tip3)
        scol = hsv(rng.uniform(25, 50), rng.uniform(0.4, 0.7), rng.uniform(0.2, 0.4))
        if rotten and rng.random() < 0.5:
            scol = scol * 0.5
        rs = R * rng.uniform(0.035, 0.06)
        tl = tube_layer(S, [p0, p1, p2], rs * 1.1, rs * 0.8, scol, ks=0.1, shin=12, rng=rng)
        if tl is not None:
            layers.append(tl)
        if extras and rng.random() < 0.15:
            lf = leaf_layer(S, rng, p2, R * rng.uniform(0.5, 1.0), rng.uniform(-math.pi, math.pi),
                            rotten and rng.random() < 0.5)
            if lf is not None:
                layers.append(lf)
    elif tilt > 2.2:
        pb, _ = proj(b, -b.axis * 0.9)
        rr = R * rng.uniform(0.03, 0.055)

        def dr(m, ox, oy):
            for k in range(5):
                a = k * TAU / 5 + rng.uniform(-0.2, 0.2)
                q = pb + rr * 1.6 * np.array([math.cos(a), math.sin(a)])
                cv2.line(m, tuple(_pts(pb, ox, oy)), tuple(_pts(q, ox, oy)), 200, max(1, int(rr * 0.35)),
                         cv2.LINE_AA, 4)
            cv2.circle(m, tuple(_pts(pb, ox, oy)), int(rr * 16), 255, -1, cv2.LINE_AA, 4)

        cl = mask_layer(S, dr, (int(pb[0] - rr * 3), int(pb[1] - rr * 3), int(pb[0] + rr * 3) + 1,
                                int(pb[1] + rr * 3) + 1), hsv(rng.uniform(25, 60), 0.5, rng.uniform(0.12, 0.25)) *
                        (S.light.key * 0.6 + S.light.amb), cast=False)
        if cl is not None:
            layers.append(cl)
    return layers, b


def leaf_layer(S, rng, base, L, ang, dry=False, kind="apple"):
    """A leaf attached at `base`, length L, pointing to `ang`."""
    wr = rng.uniform(0.28, 0.45)
    n = 14
    t = np.linspace(0, 1, n)
    hw = L * wr * np.sin(np.pi * t) ** 0.8 * (1 - 0.25 * t)
    bend = rng.uniform(-0.25, 0.25)
    ca, sa = math.cos(ang), math.sin(ang)
    cxs = base[0] + (t * L) * ca - bend * L * t * t * sa
    cys = base[1] + (t * L) * sa + bend * L * t * t * ca
    fs = rng.uniform(0.4, 1.0)  # foreshortening of the blade width
    serr = 1 + (0.08 * (np.arange(n) % 2) if kind == "apple" else 0)
    left = np.stack([cxs - sa * hw * fs * serr, cys + ca * hw * fs * serr], 1)
    right = np.stack([cxs + sa * hw * fs, cys - ca * hw * fs], 1)
    poly = np.concatenate([left, right[::-1]], 0)
    x0, y0 = poly.min(0) - 2
    x1, y1 = poly.max(0) + 2
    col = hsv(rng.uniform(90, 125), rng.uniform(0.45, 0.8), rng.uniform(0.22, 0.5))
    if dry:
        col = hsv(rng.uniform(25, 45), rng.uniform(0.4, 0.7), rng.uniform(0.2, 0.4))
    lt = S.light
    nrm = _unit([rng.normal(0, 0.4), rng.normal(0, 0.4), 1.0])
    sh = max(0.0, float(nrm @ lt.L)) * lt.key + lt.amb * 0.9
    spec = (max(0.0, float(nrm @ lt.H)) ** 25) * 0.3 * lt.key * lt.spec

    def draw(m, ox, oy):
        cv2.fillPoly(m, [_pts(poly, ox, oy)], 255, cv2.LINE_AA, 4)

    def shading(a, ox, oy):
        hh, ww = a.shape
        vm = np.zeros((hh, ww), np.uint8)
        cv2.polylines(vm, [_pts(np.stack([cxs, cys], 1), ox, oy)], False, 255, 1, cv2.LINE_AA, 4)
        for k in range(2, n - 2, 2):
            for sgn in (-1, 1):
                e = np.array([cxs[k] + sgn * (-sa) * hw[k] * fs * 0.9 + ca * hw[k] * 0.5,
                              cys[k] + sgn * ca * hw[k] * fs * 0.9 + sa * hw[k] * 0.5])
                cv2.line(vm, tuple(_pts((cxs[k], cys[k]), ox, oy)), tuple(_pts(e, ox, oy)), 120, 1,
                         cv2.LINE_AA, 4)
        v = vm.astype(F32) / 255.0
        tex = 1 + 0.12 * vnoise(rng, hh, ww, max(2.0, L * 0.15))
        alb = col * tex[..., None]
        alb = mix3(alb, col * 1.7, v * 0.6)
        return (alb * sh + spec).astype(F32)

    return mask_layer(S, draw, (int(x0), int(y0), int(x1) + 1, int(y1) + 1), col, shading)


# ----------------------------------------------------------------------------------------- orange
def draw_orange(S, rng, cx, cy, R, rotten, cut=None, extras=True):
    var = rng.choice(["navel", "valencia", "mandarin", "blood"], p=[0.3, 0.25, 0.33, 0.12])
    if var == "mandarin":
        R *= rng.uniform(0.7, 0.9)
        base = hsv(rng.uniform(17, 30), rng.uniform(0.82, 0.98), rng.uniform(0.8, 0.98))
        obl = rng.uniform(0.72, 0.88)
    else:
        base = hsv(rng.uniform(24, 37), rng.uniform(0.78, 0.95), rng.uniform(0.82, 0.98))
        obl = rng.uniform(0.9, 1.0)
    tilt = rng.uniform(0, math.pi)
    theta = rng.uniform(-math.pi, math.pi)
    shrivel = rotten and rng.random() < 0.12
    shp = {"harm": [(k, rng.uniform(0, 0.025) / (k - 1) ** 0.5, rng.uniform(0, TAU)) for k in (2, 3, 4)]}
    if var == "mandarin":
        shp["harm"].append((int(rng.integers(8, 12)), rng.uniform(0.0, 0.012), rng.uniform(0, TAU)))
    if shrivel:
        shp["harm"] += [(k, rng.uniform(0.01, 0.03), rng.uniform(0, TAU)) for k in (5, 7, 10)]
        R *= 0.92
    if cut is not None:
        return draw_orange_cut(S, rng, cx, cy, R, rotten, cut, var, base)
    b = round_body(S, cx, cy, R, theta, tilt, obl, shp)
    if b is None:
        return [], None
    h, w = b.h, b.w
    alb = np.broadcast_to(base, (h, w, 3)) * (1 + 0.05 * b.noise(rng, R * 0.3))[..., None]
    if rng.random() < 0.25:  # regreening / green stem shoulder
        gm = ss(1.2, 0.2, b.lat) * rng.uniform(0.2, 0.6) * np.clip(0.6 + 0.6 * b.noise(rng, R * 0.4), 0, 1)
        alb = mix3(alb, hsv(rng.uniform(50, 75), 0.7, 0.6), gm)
    if var == "blood":
        bd = _unit(rng.normal(0, 1, 3) + [0, 0, 0.8])
        f = b.Q0 * bd[0] + b.Q1 * bd[1] + b.Q2 * bd[2] + 0.4 * b.noise(rng, R * 0.3)
        alb = mix3(alb, hsv(rng.uniform(0, 14), rng.uniform(0.7, 0.9), rng.uniform(0.45, 0.7)),
                   ss(0.0, 0.9, f) * rng.uniform(0.25, 0.6))
    # oil glands: pits + tint
    rows = rng.uniform(38, 60) * (0.8 if var == "mandarin" else 1)
    s_, t_ = lat_cells(b, rows, rows * 2.0)
    dots, rr = cell_dots(S.tab, s_, t_, 0.85, rng.uniform(0.2, 0.3))
    b.B -= dots * rng.uniform(0.5, 1.0) * max(1.0, R / 40)
    alb = alb * (1 - 0.1 * dots + 0.06 * (rr - 0.5) * dots)[..., None]
    b.B += 0.4 * b.noise(rng, max(1.5, R * 0.03))
    if var == "mandarin":
        b.B += R * 0.02 * b.noise(rng, R * 0.3)
    # stem end button
    sc = ss(0.14, 0.08, b.lat)
    stc = hsv(rng.uniform(60, 95), rng.uniform(0.4, 0.7), rng.uniform(0.3, 0.5)) if rng.random() < 0.6 \
        else hsv(35, 0.6, 0.3)
    alb = mix3(alb, stc, sc)
    b.B += sc * R * 0.02
    ring = np.exp(-((b.lat - 0.17) / 0.03) ** 2)
    b.B -= ring * R * 0.015
    # navel / stylar end
    if var == "navel":
        nr = rng.uniform(0.12, 0.22)
        dn = (math.pi - b.lat) / nr
        fold = np.sin(b.lon * rng.integers(4, 7) + b.noise(rng, R * 0.1))
        b.B -= R * 0.06 * ss(1.1, 0.6, dn)
        b.B += R * 0.02 * fold * ss(0.9, 0.2, dn)
        b.ao = b.ao * (1 - 0.3 * ss(1.0, 0.7, dn) * ss(0.3, 0.7, dn))
        alb = mix3(alb, alb * 1.05, ss(0.9, 0.2, dn))
    else:
        dn = (math.pi - b.lat) / 0.04
        alb = mix3(alb, hsv(30, 0.5, 0.35), ss(1.0, 0.4, dn) * 0.8)
    b.alb = alb.astype(F32)
    b.ks[:] = rng.uniform(0.2, 0.55)
    b.shin = rng.uniform(15, 45)
    if rng.random() < 0.25:  # small wind scar (natural, fresh)
        q0 = b.pick(rng, 0.3)
        if q0 is not None:
            d = b.dist(q0) / rng.uniform(0.06, 0.14)
            d = d * (1 + 0.4 * b.noise(rng, R * 0.05))
            b.alb = mix3(b.alb, b.alb * np.array([1.0, 0.85, 0.65], F32) * 0.85, ss(1.0, 0.6, d) * 0.5)
    if extras and rng.random() < 0.15:
        add_sticker(S, b, rng)
    if rotten:
        alb0 = b.alb.copy()
        if shrivel:
            m = np.clip(0.7 + 0.4 * b.noise(rng, R * 0.5), 0.4, 1)
            op_wrinkle(b, rng, m, amp=1.5, feat=0.12, darken=0.3)
            b.alb = mix3(b.alb, b.alb * 0.5 + hsv(28, 0.7, 0.35) * 0.5, m * 0.7)
            b.ks *= 0.4
            b.rot = np.maximum(b.rot, m * 0.9)
        apply_rot(b, rng, "orange", rot_plan(rng, "orange"))
        visible_rot(b, alb0)
    layers = [b.shade_layer(S, wrap=0.4)]
    if extras and var == "mandarin" and tilt < 1.6 and rng.random() < 0.3:
        p0, _ = proj(b, b.axis)
        p1, _ = proj(b, b.axis * 1.15 + _unit(rng.normal(0, 1, 3)) * 0.1)
        tl = tube_layer(S, [p0, p1], R * 0.04, R * 0.03, hsv(80, 0.5, 0.3), rng=rng)
        if tl is not None:
            layers.append(tl)
        for _ in range(int(rng.integers(1, 3))):
            lf = leaf_layer(S, rng, p1, R * rng.uniform(0.6, 1.1), rng.uniform(-math.pi, math.pi),
                            rotten and rng.random() < 0.5, kind="orange")
            if lf is not None:
                layers.append(lf)
    return layers, b


def draw_orange_cut(S, rng, cx, cy, R, rotten, cut, var, peelcol):
    """A half orange lying cut side up ("half") or a flat slice/wheel ("slice")."""
    theta = rng.normal(0, 0.25)
    beta = rng.uniform(0.0, 1.15)  # view angle from the face normal
    cb = math.cos(beta)
    pad = 1.1
    bb = _bbox(cx, cy, pad * R, pad * R, S.W, S.H)
    if bb is None:
        return [], None
    x0, y0, x1, y1 = bb
    X = (np.arange(x0, x1, dtype=F32) + 0.5 - cx)[None, :]
    Y = (np.arange(y0, y1, dtype=F32) + 0.5 - cy)[:, None]
    c, s = math.cos(theta), math.sin(theta)
    u = (X * c + Y * s) / R
    v = (-X * s + Y * c) / R
    h, w = y1 - y0, x1 - x0
    thick = rng.uniform(0.08, 0.2) if cut == "slice" else 1.0
    fv = v / cb
    rf = np.sqrt(u * u + fv * fv) + 1e-6
    face_a = np.clip((1 - rf) * R * cb + 0.5, 0, 1)
    # dome or slice side below the face
    sb = math.sin(beta)
    v2 = (v - sb * thick) / cb if cut == "slice" else v
    if cut == "half":
        rs = np.sqrt(u * u + v * v)
        side_a = np.clip((1 - rs) * R + 0.5, 0, 1) * (v > 0)
    else:
        rs2 = np.sqrt(u * u + v2 * v2)
        side_a = np.clip((1 - rs2) * R * cb + 0.5, 0, 1) * (v > 0) * (np.abs(u) < 1)
        side_a = np.maximum(side_a, np.clip((1 - np.abs(u)) * R, 0, 1) * (fv > 0) * (v2 < 0))
    alpha = np.maximum(face_a, side_a).astype(F32)
    b = Body()
    b.x0, b.y0, b.h, b.w, b.R, b.Rpx = x0, y0, h, w, R, R
    b.alpha = alpha
    # normals: face is flat, tilted by beta toward the camera-up direction
    fnx, fny = 0.0, -sb
    side_x = u
    side_y = np.where(cut == "half", v, 0.3 + 0 * v)
    side_z = np.sqrt(np.clip(1 - side_x ** 2 - side_y ** 2, 0, 1))
    isf = face_a
    nxl = fnx * isf + side_x * (1 - isf)
    nyl = fny * isf + side_y * (1 - isf)
    nzl = cb * isf + side_z * (1 - isf)
    b.nx = (nxl * c - nyl * s).astype(F32)
    b.ny = (nxl * s + nyl * c).astype(F32)
    b.nz = np.maximum(nzl, 0.05).astype(F32)
    b.Q0, b.Q1, b.Q2 = u.astype(F32) + 0 * v, fv.astype(F32) + 0 * u, (0 * u + 0 * v + 1).astype(F32)
    b.vis = face_a.astype(F32)
    # face texture
    peel = rng.uniform(0.05, 0.09)
    pith = rng.uniform(0.02, 0.05)
    nseg = int(rng.integers(8, 14))
    ang = np.arctan2(fv, u) + rng.uniform(0, TAU)
    segpos = (ang / TAU * nseg) % 1.0
    membrane = np.exp(-(np.minimum(segpos, 1 - segpos) * TAU / nseg * rf * R / max(1.0, R * 0.015)) ** 2)
    flesh = hsv(rng.uniform(25, 38), rng.uniform(0.75, 0.95), rng.uniform(0.85, 1.0))
    if var == "blood":
        flesh = hsv(rng.uniform(350, 365), rng.uniform(0.75, 0.9), rng.uniform(0.35, 0.6))
    elif var == "mandarin":
        flesh = hsv(rng.uniform(22, 32), 0.9, 0.95)
    ves, vr = cell_dots(S.tab, rf * R / max(1.5, R * 0.05), ang * R * 0.35 / max(1.5, R * 0.05) * rf,
                        0.95, 0.4)
    alb = np.broadcast_to(flesh, (h, w, 3)) * (0.85 + 0.2 * ves + 0.1 * (vr - 0.5))[..., None]
    if var == "blood":
        alb = mix3(alb, hsv(25, 0.85, 0.9), np.clip(0.4 * vnoise(rng, h, w, R * 0.3), 0, 1))
    white = lin((240, 232, 205))
    alb = mix3(alb, white, membrane * 0.7 * (rf < 1 - peel - pith))
    alb = mix3(alb, white, ss(0.14, 0.08, rf))
    alb = mix3(alb, white, ss(1 - peel - pith - 0.01, 1 - peel - pith + 0.01, rf))
    alb = mix3(alb, peelcol, ss(1 - peel - 0.01, 1 - peel + 0.01, rf))
    fb = (ves * 0.6 - membrane * 0.8) * max(0.5, R * 0.01)
    sidecol = np.broadcast_to(peelcol, (h, w, 3)) * (1 + 0.05 * vnoise(rng, h, w, R * 0.1))[..., None]
    if cut == "slice":
        sidecol = mix3(sidecol, white, (np.abs(u) < 0.9).astype(F32) * 0.6)
    b.alb = (alb * isf[..., None] + sidecol * (1 - isf[..., None])).astype(F32)
    b.B = (fb * isf).astype(F32) + 0.3 * vnoise(rng, h, w, max(1.5, R * 0.03)) * (1 - isf)
    b.ks = (0.55 * isf + 0.3 * (1 - isf)).astype(F32)
    b.shin = 40.0
    b.ao = np.ones((h, w), F32) * (1 - 0.25 * (1 - isf) * (1 - side_z))
    b.rot = np.zeros((h, w), F32)
    if rotten:
        alb0 = b.alb.copy()
        sev = rot_plan(rng, "orange")
        nl = 1 + int(rng.poisson(1.2 * sev))
        for i in range(nl):
            q0 = b.pick(rng, 0.5)
            if q0 is None:
                break
            rad = 2 * math.sqrt(max(sev / nl, 0.01)) * rng.uniform(0.7, 1.1)
            if rng.random() < 0.6:
                cn, col = mould_colour(rng, "orange")
                op_decay(b, rng, q0, rad * 1.3, hsv(30, 0.7, 0.45), hsv(25, 0.6, 0.25), sink=0.02, wet=0.3)
                op_mould(b, rng, q0, rad, col, dots=0.3, dotcol=col * 0.6, fluff=1.3)
            else:
                op_decay(b, rng, q0, rad, hsv(28, 0.75, 0.4), hsv(20, 0.7, 0.15), sink=0.04, wet=0.2)
                op_wrinkle(b, rng, ss(1.2, 0.4, b.dist(q0) / rad), amp=1.0)
        visible_rot(b, alb0)
    return [b.shade_layer(S, wrap=0.35)], b


# ----------------------------------------------------------------------------------------- strawberry
def draw_strawberry(S, rng, cx, cy, R, rotten, extras=True):
    r = rng.random()
    tilt = rng.uniform(1.1, 2.0) if r < 0.6 else rng.uniform(0.0, 1.1) if r < 0.85 else rng.uniform(2.0, 3.0)
    theta = rng.normal(0, 0.35) if rng.random() < 0.5 else rng.uniform(-math.pi, math.pi)
    shrivel = rotten and rng.random() < 0.2
    shp = {"harm": [(k, rng.uniform(0, 0.04) / (k - 1) ** 0.5, rng.uniform(0, TAU)) for k in (2, 3, 4)],
           "cone": rng.uniform(0.0, 0.25), "coneP": rng.uniform(2.0, 4.0), "shoulder": rng.uniform(0.0, 0.1),
           "tipw": rng.uniform(0.3, 0.65)}
    if shrivel:
        shp["harm"] += [(k, rng.uniform(0.015, 0.04), rng.uniform(0, TAU)) for k in (5, 7, 9)]
        R *= 0.85
    b = round_body(S, cx, cy, R, theta, tilt, rng.uniform(1.0, 1.3), shp, pad=1.6)
    if b is None:
        return [], None
    h, w = b.h, b.w
    red = hsv(rng.uniform(-10, 6), rng.uniform(0.78, 0.95), rng.uniform(0.45, 0.9))
    alb = np.broadcast_to(red, (h, w, 3)) * (1 + 0.07 * b.noise(rng, R * 0.25))[..., None]
    tipc = red * np.array([1.05, 1.2, 1.1], F32)
    alb = mix3(alb, tipc, ss(2.0, 3.0, b.lat) * 0.5)
    if rng.random() < 0.3:  # pale shoulders of a nearly ripe berry
        pale = hsv(rng.uniform(20, 55), rng.uniform(0.25, 0.5), rng.uniform(0.75, 0.9))
        alb = mix3(alb, pale, ss(0.9, 0.35, b.lat + 0.2 * b.noise(rng, R * 0.3)) * rng.uniform(0.5, 0.9))
    rows = rng.uniform(13, 20)
    per = rows * rng.uniform(1.6, 2.1)
    s_, t_ = lat_cells(b, rows, per)
    srad = rng.uniform(0.12, 0.18)
    seeds, sr, dd = cell_dots(S.tab, s_, t_, 0.97, srad, stagger=True, ret_d=True)
    pit = np.clip(1.25 - dd * (1.25 * srad / 0.36), 0, 1)
    seedc = hsv(rng.uniform(35, 55), rng.uniform(0.5, 0.8), rng.uniform(0.55, 0.85)) if rng.random() < 0.7 \
        else hsv(rng.uniform(0, 20), 0.7, 0.45)
    b.B -= pit * max(0.8, R * 0.035)
    b.B += seeds * max(0.5, R * 0.02)
    alb = mix3(alb, seedc, ss(0.2, 0.6, seeds) * rng.uniform(0.6, 0.95))
    b.alb = alb.astype(F32)
    b.ks[:] = rng.uniform(0.3, 0.7)
    b.shin = rng.uniform(30, 100)
    b.B += 0.3 * b.noise(rng, max(1.5, R * 0.1))
    dry_calyx = False
    if rotten:
        alb0 = b.alb.copy()
        if shrivel:
            m = np.clip(0.75 + 0.4 * b.noise(rng, R * 0.5), 0.5, 1)
            op_wrinkle(b, rng, m, amp=1.8, feat=0.1, darken=0.35)
            b.alb = mix3(b.alb, b.alb * 0.45 + hsv(355, 0.6, 0.22) * 0.55, m * 0.8)
            b.ks *= 0.3
            b.rot = np.maximum(b.rot, m * 0.9)
            dry_calyx = True
        apply_rot(b, rng, "strawberry", rot_plan(rng, "strawberry"))
        visible_rot(b, alb0)
        dry_calyx = dry_calyx or rng.random() < 0.5
    layers = [b.shade_layer(S, wrap=0.45)]
    # calyx
    if tilt < 2.0 and rng.random() < 0.9:
        ns = int(rng.integers(5, 10))
        g = hsv(rng.uniform(85, 125), rng.uniform(0.5, 0.85), rng.uniform(0.25, 0.5))
        if dry_calyx:
            g = hsv(rng.uniform(30, 60), rng.uniform(0.35, 0.6), rng.uniform(0.18, 0.35))
        lt = S.light
        base3 = b.axis * 0.95
        pb, _ = proj(b, base3)
        sep = []
        for k in range(ns):
            psi = k * TAU / ns + rng.uniform(-0.25, 0.25)
            d3 = b.e1 * math.cos(psi) + b.e2 * math.sin(psi)
            ln = rng.uniform(0.35, 0.7)
            lift = rng.uniform(-0.1, 0.35)
            pts3 = []
            for tt in (0.0, 0.5, 1.0):
                beta = tt * ln * 1.3
                p3 = (b.axis * math.cos(beta) + d3 * math.sin(beta)) * (1.02 + lift * tt)
                pts3.append(p3)
            zmean = np.mean([p[2] for p in pts3])
            if zmean < -0.15:
                continue
            wid = rng.uniform(0.08, 0.16)
            perp = np.cross(b.axis, d3)
            pa, _ = proj(b, pts3[0])
            pm1, _ = proj(b, pts3[1] + perp * wid)
            pm2, _ = proj(b, pts3[1] - perp * wid)
            pt, _ = proj(b, pts3[2])
            nrm = _unit(pts3[1] * np.array([1, 1, 1], F32) + np.array([0, 0, 0.5], F32))
            sh = max(0.0, float(nrm @ lt.L)) * lt.key + lt.amb
            sep.append((zmean, np.array([pa, pm1, pt, pm2]), g * rng.uniform(0.75, 1.2) * sh))
        sep.sort(key=lambda t: t[0])
        if sep:
            allp = np.concatenate([q[1] for q in sep], 0)
            x0, y0 = allp.min(0) - 2
            x1, y1 = allp.max(0) + 2
            bb = _bbox((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, S.W, S.H)
            if bb is not None:
                bx0, by0, bx1, by1 = bb
                acc = np.zeros((by1 - by0, bx1 - bx0), F32)
                rgb = np.zeros((by1 - by0, bx1 - bx0, 3), F32)
                m = np.zeros((by1 - by0, bx1 - bx0), np.uint8)
                for zm, poly, colr in sep:
                    m[:] = 0
                    cv2.fillPoly(m, [_pts(poly, bx0, by0)], 255, cv2.LINE_AA, 4)
                    a = m.astype(F32) * (1.0 / 255.0)
                    rgb += (colr.astype(F32) - rgb) * a[..., None]
                    np.maximum(acc, a, out=acc)
                if acc.max() > 0:
                    layers.append(Layer(bx0, by0, rgb, acc, None, True))
        if rng.random() < 0.7:
            p1, _ = proj(b, b.axis * (1.0 + rng.uniform(0.15, 0.4)) + _unit(rng.normal(0, 1, 3)) * 0.1)
            tl = tube_layer(S, [pb, p1], R * 0.05, R * 0.04, g * 1.1, rng=rng)
            if tl is not None:
                layers.append(tl)
    return layers, b


# ----------------------------------------------------------------------------------------- banana
def banana_body(S, P0, ang, L, hw, curv, side, stalk=0.13, rng=None, endon=0.0):
    th = max(curv, 0.05)
    Rc = L / th
    d = np.array([math.cos(ang), math.sin(ang)], F32)
    nl = np.array([-d[1], d[0]], F32) * side
    C = np.asarray(P0, F32) + Rc * nl
    r0 = np.asarray(P0, F32) - C
    a0 = math.atan2(r0[1], r0[0])
    sg = 1.0 if (r0[0] * d[1] - r0[1] * d[0]) > 0 else -1.0
    ts = stalk
    tc = 0.4 * hw * 0.8 / L
    # bbox from samples
    tt = np.linspace(-ts, 1 + tc, 24)
    pa = a0 + sg * tt * th
    px = C[0] + Rc * np.cos(pa)
    py = C[1] + Rc * np.sin(pa)
    # render in a sprite aligned with the chord (much smaller than a screen bbox for diagonal bananas)
    ex = np.array([px[-1] - px[0], py[-1] - py[0]], np.float64)
    ex /= max(1e-6, float(np.hypot(*ex)))
    ey = np.array([-ex[1], ex[0]])
    O = np.array([px[0], py[0]], np.float64)
    xs_ = (px - O[0]) * ex[0] + (py - O[1]) * ex[1]
    ys_ = (px - O[0]) * ey[0] + (py - O[1]) * ey[1]
    pad = hw * 1.3 + 2
    xmin, xmax = xs_.min() - pad, xs_.max() + pad
    ymin, ymax = ys_.min() - pad, ys_.max() + pad
    cx_ = np.array([0, S.W, S.W, 0], np.float64) - O[0]
    cy_ = np.array([0, 0, S.H, S.H], np.float64) - O[1]
    cxs, cys = cx_ * ex[0] + cy_ * ex[1], cx_ * ey[0] + cy_ * ey[1]
    xmin, xmax = max(xmin, cxs.min() - 2), min(xmax, cxs.max() + 2)
    ymin, ymax = max(ymin, cys.min() - 2), min(ymax, cys.max() + 2)
    if xmax - xmin < 3 or ymax - ymin < 3:
        return None
    xmin, ymin = math.floor(xmin), math.floor(ymin)
    sw, sh = int(math.ceil(xmax - xmin)), int(math.ceil(ymax - ymin))
    # screen bbox of the sprite
    corners = np.array([[xmin, ymin], [xmin + sw, ymin], [xmin + sw, ymin + sh], [xmin, ymin + sh]], np.float64)
    scr = O[None, :] + corners[:, :1] * ex[None, :] + corners[:, 1:] * ey[None, :]
    bx0, by0 = max(0, int(math.floor(scr[:, 0].min()))), max(0, int(math.floor(scr[:, 1].min())))
    bx1, by1 = min(S.W, int(math.ceil(scr[:, 0].max()))), min(S.H, int(math.ceil(scr[:, 1].max())))
    if bx1 - bx0 < 2 or by1 - by0 < 2:
        return None
    gx = (xmin + np.arange(sw, dtype=np.float64) + 0.5)[None, :]
    gy = (ymin + np.arange(sh, dtype=np.float64) + 0.5)[:, None]
    X = (O[0] + gx * ex[0] + gy * ey[0] - C[0]).astype(F32)
    Y = (O[1] + gx * ex[1] + gy * ey[1] - C[1]).astype(F32)
    tx = O[0] + (xmin + 0.5) * ex[0] + (ymin + 0.5) * ey[0] - 0.5 - bx0
    ty = O[1] + (xmin + 0.5) * ex[1] + (ymin + 0.5) * ey[1] - 0.5 - by0
    warp = (np.array([[ex[0], ey[0], tx], [ex[1], ey[1], ty]], np.float32), bx0, by0, bx1 - bx0, by1 - by0,
            (float(ex[0]), float(ex[1])))
    dist = np.sqrt(X * X + Y * Y) + 1e-6
    ap = np.arctan2(Y, X)
    t = (((ap - a0) * sg + math.pi) % TAU - math.pi) / th
    prof = (0.32 + 0.68 * ss(0.0, 0.2, t)) * (1 - 0.55 * ss(0.75, 1.0, t))
    if endon > 0:
        prof = prof * (1 + endon * (1 - t))
    cap = 0.38 * np.sqrt(np.clip(1 - ((t - 1) / tc) ** 2, 0, 1))
    wt = np.where(t < 0, 0.26, np.where(t <= 1, prof, cap)) * hw
    wt = np.where((t < -ts) | (t > 1 + tc), 0.0, wt)
    s = (dist - Rc) / np.maximum(wt, 1e-3)
    alpha = np.clip((1 - np.abs(s)) * wt + 0.5, 0, 1) * np.clip((t + ts) * L + 0.5, 0, 1)
    alpha = alpha * (wt > 0)
    cr = _crop(alpha)
    if cr is None:
        return None
    alpha, t, s, X, Y, dist = (a[cr[0]:cr[1], cr[2]:cr[3]] for a in (alpha, t, s, X, Y, dist))
    sh, sw = cr[1] - cr[0], cr[3] - cr[2]
    M = warp[0].copy()
    M[:, 2] += M[:, 0] * cr[2] + M[:, 1] * cr[0]
    warp = (M,) + warp[1:]
    sc = np.clip(s, -1, 1)
    al = np.arcsin(sc)
    off = rng.uniform(-0.6, 0.6)
    step = TAU / 5
    aq = np.round((al - off) / step) * step + off
    af = al + (aq - al) * 0.35
    erx, ery = X / dist, Y / dist
    etx, ety = -ery * sg, erx * sg
    nt = -0.9 * (1 - ss(0.0, 0.2, t)) * (t >= 0) + 1.2 * ss(0.86, 1.0 + tc, t)
    nt = nt * np.cos(al)
    nx = erx * np.sin(af) + etx * nt
    ny = ery * np.sin(af) + ety * nt
    nz = np.cos(af) * (1 + 0 * nt)
    inv = 1 / np.sqrt(nx * nx + ny * ny + nz * nz)
    b = Body()
    b.x0, b.y0, b.h, b.w = 0, 0, sh, sw
    b.warp = warp
    b.alpha = alpha.astype(F32)
    b.nx, b.ny, b.nz = (nx * inv).astype(F32), (ny * inv).astype(F32), (nz * inv).astype(F32)
    b.t, b.al, b.L, b.hw = t.astype(F32), al.astype(F32), L, hw
    b.ridge = np.exp(-(((al - off) / step + 0.5) % 1.0 - 0.5) ** 2 / 0.004).astype(F32)
    b.Q0 = (t * L / hw).astype(F32)
    b.Q1 = np.sin(al).astype(F32)
    b.Q2 = np.cos(al).astype(F32)
    b.vis = (b.Q2 * (t > 0.03) * (t < 0.97)).astype(F32)
    b.Rpx = hw
    b.R = hw
    b.ao = (0.75 + 0.25 * np.cos(al)).astype(F32)
    b.B = np.zeros((b.h, b.w), F32)
    b.rot = np.zeros((b.h, b.w), F32)
    b.ks = np.zeros((b.h, b.w), F32)
    b.shin = 20.0
    b.P0, b.C, b.Rc, b.a0, b.sg, b.th, b.ts = P0, C, Rc, a0, sg, th, ts
    return b


def banana_point(b, t):
    a = b.a0 + b.sg * t * b.th
    return np.array([b.C[0] + b.Rc * math.cos(a), b.C[1] + b.Rc * math.sin(a)], F32)


def draw_banana(S, rng, P0, ang, L, hw, curv, side, rotten, ripe, sev=0.0, endon=0.0, style=None, stalk=None):
    stalk = rng.uniform(0.08, 0.14) if stalk is None else stalk
    b = banana_body(S, P0, ang, L, hw, curv, side, stalk=stalk, rng=rng, endon=endon)
    if b is None:
        return [], None
    h, w = b.h, b.w
    t, al = b.t, b.al
    green = hsv(rng.uniform(80, 100), rng.uniform(0.55, 0.78), rng.uniform(0.4, 0.62))
    ygreen = hsv(rng.uniform(62, 72), rng.uniform(0.6, 0.8), rng.uniform(0.7, 0.85))
    yellow = hsv(rng.uniform(46, 56), rng.uniform(0.72, 0.9), rng.uniform(0.85, 0.98))
    gt = rng.uniform(0.1, 0.5)
    edge = 1 - ss(0.05, 0.3, t) * ss(1.0, 0.78, t)
    rl = np.clip(ripe - gt * edge * (1.2 - ripe), 0, 1)
    alb = np.broadcast_to(green, (h, w, 3))
    alb = mix3(alb, ygreen, ss(0.0, 0.45, rl))
    alb = mix3(alb, yellow, ss(0.35, 0.75, rl))
    # longitudinal fibres / streaks
    tab = np.cumsum(rng.normal(0, 1, 64)).astype(F32)
    tab = (tab - tab.mean()) / (tab.std() + 1e-6)
    strk = np.interp((al + 1.6) * 12.0 + 0.4 * vnoise(rng, h, w, b.hw * 2), np.arange(64), tab).astype(F32)
    alb = alb * (1 + 0.05 * strk)[..., None]
    alb = alb * (1 + 0.05 * vnoise(rng, h, w, max(2.0, b.hw * 0.8)))[..., None]
    rc = hsv(rng.uniform(30, 45), 0.6, 0.35) if ripe > 0.5 else green * 0.7
    alb = mix3(alb, rc, b.ridge * rng.uniform(0.15, 0.5) * (t > 0) * (t < 1))
    # stalk & tip
    stc = lerp(green * 1.05, ygreen * 0.85, min(1.0, ripe * 1.2))
    alb = mix3(alb, stc, (t < 0).astype(F32))
    cutc = hsv(rng.uniform(25, 40), rng.uniform(0.4, 0.6), rng.uniform(0.15, 0.35))
    alb = mix3(alb, cutc, ss(-b.ts + 0.04, -b.ts, t))
    tipc = hsv(rng.uniform(20, 35), rng.uniform(0.3, 0.6), rng.uniform(0.06, 0.16))
    alb = mix3(alb, tipc, ss(0.985, 1.01, t))
    # sugar spots (natural, fresh when small and scattered)
    dens = float(np.clip((ripe - 0.6) / 0.4, 0, 1)) * rng.uniform(0.2, 1.0)
    if dens > 0.02:
        cs = b.hw * rng.uniform(0.16, 0.3)
        dots, dr = cell_dots(S.tab, b.t * b.L / cs, al * b.hw / cs, dens, rng.uniform(0.12, 0.25))
        spc = hsv(rng.uniform(22, 35), rng.uniform(0.5, 0.75), rng.uniform(0.12, 0.28))
        alb = mix3(alb, spc, ss(0.0, 0.45, dots) * (0.6 + 0.4 * dr) * (t > 0.02))
    if rng.random() < 0.3:  # a scratch
        u0 = rng.uniform(0.2, 0.8)
        sc = np.exp(-((t - u0 - 0.05 * al) * b.L / max(1.0, b.hw * 0.05)) ** 2) * (np.abs(al - rng.uniform(-1, 1)) < 0.3)
        alb = mix3(alb, hsv(30, 0.6, 0.3), sc * 0.6)
    b.alb = alb.astype(F32)
    b.ks[:] = rng.uniform(0.08, 0.3)
    b.shin = rng.uniform(10, 30)
    b.B += 0.25 * vnoise(rng, h, w, max(2.0, b.hw * 0.2))
    if rotten:
        alb0 = b.alb.copy()
        banana_rot(b, rng, sev, style)
        visible_rot(b, alb0)
    return [b.shade_layer(S, wrap=0.3)], b


def banana_rot(b, rng, sev, style=None):
    h, w = b.h, b.w
    style = style or rng.choice(["patches", "black", "mould", "split", "bruise"], p=[0.34, 0.26, 0.14, 0.12, 0.14])
    blk = hsv(rng.uniform(18, 32), rng.uniform(0.3, 0.6), rng.uniform(0.04, 0.12))
    brn = hsv(rng.uniform(22, 35), rng.uniform(0.5, 0.75), rng.uniform(0.15, 0.32))
    if style == "black":
        thr = 1.0 - 2.0 * max(sev, 0.5)
        n = 0.7 * vnoise(rng, h, w, b.hw * 1.2) + 0.3 * vnoise(rng, h, w, b.hw * 0.35)
        m = ss(thr - 0.35, thr + 0.35, n)
        col = blk + (brn - blk) * ss(0.0, 1.0, vnoise(rng, h, w, b.hw * 0.4))[..., None]
        b.alb = mix3(b.alb, col, m)
        b.alb = mix3(b.alb, blk, ss(0.8, 1.0, np.abs(b.t - 0.5) * 2) * 0.8)
        op_wrinkle(b, rng, m * rng.uniform(0.3, 1.0), amp=0.8, feat=0.4, darken=0.2)
        b.ks = b.ks + (rng.uniform(0.1, 0.4) - b.ks) * m
        b.rot = np.maximum(b.rot, m)
        return
    nl = 1 + int(rng.poisson(1 + 4 * sev))
    if style == "mould":
        nl = min(nl, 2)
    for i in range(nl):
        q0 = b.pick(rng, 0.3)
        if q0 is None:
            break
        rad = (0.5 + 3.0 * sev) * rng.uniform(0.5, 1.3)
        if style == "mould":
            rad = min(rad, 1.6)
        if style in ("patches", "bruise"):
            op_decay(b, rng, q0, rad, brn, blk, sink=rng.uniform(0.05, 0.2), wet=rng.uniform(0.05, 0.4),
                     halo=0.3)
        elif style == "mould":
            cn, col = mould_colour(rng, "banana")
            if i == 0 and rng.random() < 0.6:  # at the crown / stalk end
                q0 = np.array([rng.uniform(-0.1, 0.3) * b.L / b.hw, rng.uniform(-0.5, 0.5), 0.8], F32)
                q0[2] = math.sqrt(max(0.0, 1 - q0[1] ** 2))
            op_decay(b, rng, q0, rad * 1.3, brn, blk, sink=0.1, wet=0.3)
            op_mould(b, rng, q0, rad * 0.8, col, dots=0.3, dotcol=col * 0.5, fluff=1.4)
        elif style == "split":
            op_decay(b, rng, q0, rad, brn, blk, sink=0.08, wet=0.4)
            op_split(b, rng, q0, rad * 1.8, hsv(rng.uniform(30, 42), rng.uniform(0.3, 0.6),
                                                  rng.uniform(0.45, 0.75)), blk)
    if style == "bruise" or rng.random() < 0.4:
        b.alb = mix3(b.alb, blk, ss(0.85, 1.0, np.abs(b.t - 0.5) * 2) * 0.7)
    if rng.random() < 0.4:
        n = vnoise(rng, h, w, b.hw * 0.5)
        m = ss(0.6, 1.4, n) * min(1.0, sev * 2 + 0.2)
        b.alb = mix3(b.alb, brn, m * 0.8)
        b.rot = np.maximum(b.rot, m * 0.8)


# ----------------------------------------------------------------------------------------- backgrounds
def _coords(H, W, ang):
    X = np.arange(W, dtype=F32)[None, :] + 0.5
    Y = np.arange(H, dtype=F32)[:, None] + 0.5
    c, s = math.cos(ang), math.sin(ang)
    return X * c + Y * s, -X * s + Y * c


def tex_wood(rng, H, W):
    hue = rng.uniform(16, 38)
    sat, val = rng.uniform(0.25, 0.7), rng.uniform(0.22, 0.88)
    if rng.random() < 0.15:
        sat, val = rng.uniform(0.03, 0.15), rng.uniform(0.7, 0.92)
    light = hsv(hue, sat * 0.85, val)
    dark = hsv(hue - rng.uniform(0, 8), min(1, sat * 1.25), val * rng.uniform(0.5, 0.8))
    a, bcoord = _coords(H, W, rng.uniform(0, math.pi))
    warp = vnoise(rng, H, W, W * 0.4) * rng.uniform(3, 15) + vnoise(rng, H, W, W * 0.1) * 1.5
    f = rng.uniform(0.08, 0.35)
    rings = 0.5 + 0.5 * np.sin((bcoord + warp + a * rng.normal(0, 0.05)) * f)
    rings = rings ** rng.uniform(1.5, 4)
    tab = rng.normal(0, 1, 512).astype(F32)
    tab = np.convolve(tab, np.ones(3) / 3, "same").astype(F32)
    idx = ((bcoord + warp * 0.5) * rng.uniform(0.8, 2.0)) % 511
    streak = np.interp(idx, np.arange(512), tab).astype(F32)
    m = np.clip(rings * 0.6 + 0.12 * streak + 0.1 * vnoise(rng, H, W, 3), 0, 1)
    img = light + (dark - light) * m[..., None]
    if rng.random() < 0.6:
        pw = rng.uniform(40, 160)
        off = rng.uniform(0, pw)
        k = np.floor((bcoord + off) / pw)
        fr = ((bcoord + off) / pw - k) * pw
        tint = 1 + 0.15 * np.sin(k * 12.9898 + rng.uniform(0, 6))
        seam = 1 - 0.6 * np.exp(-(np.minimum(fr, pw - fr) / 1.0) ** 2)
        img = img * (tint * seam)[..., None]
    return img.astype(F32), rng.uniform(0.02, 0.3)


def tex_stone(rng, H, W):
    kind = rng.choice(["marble", "granite", "concrete"])
    if kind == "marble":
        base = hsv(rng.uniform(0, 360), rng.uniform(0, 0.06), rng.uniform(0.75, 0.95)) if rng.random() < 0.7 \
            else hsv(rng.uniform(0, 360), rng.uniform(0, 0.1), rng.uniform(0.05, 0.2))
        n = fbm(rng, H, W, W * 0.3, 4)
        a, _ = _coords(H, W, rng.uniform(0, math.pi))
        v = np.abs(np.sin(n * rng.uniform(3, 8) + a * 0.02))
        vein = np.exp(-v * rng.uniform(8, 25))
        vc = base * 0.5 if base.mean() > 0.3 else base * 4 + 0.2
        img = base + (vc - base) * (vein * rng.uniform(0.3, 0.8))[..., None]
        img = img * (1 + 0.03 * vnoise(rng, H, W, 4))[..., None]
        return img.astype(F32), rng.uniform(0.2, 0.6)
    if kind == "granite":
        base = hsv(rng.uniform(0, 360), rng.uniform(0, 0.25), rng.uniform(0.08, 0.6))
        img = np.broadcast_to(base, (H, W, 3)).copy()
        for _ in range(3):
            g = grain(rng, H, W, rng.uniform(0.6, 1.5))
            col = hsv(rng.uniform(0, 60), rng.uniform(0, 0.4), rng.uniform(0.02, 0.8))
            img = mix3(img, col, ss(1.0, 1.8, g))
        return img.astype(F32), rng.uniform(0.1, 0.5)
    base = hsv(rng.uniform(20, 60), rng.uniform(0, 0.12), rng.uniform(0.25, 0.6))
    img = base * (1 + 0.1 * fbm(rng, H, W, W * 0.2, 4) + 0.05 * grain(rng, H, W, 0.7))[..., None]
    return img.astype(F32), 0.05


def tex_plain(rng, H, W):
    col = hsv(rng.uniform(0, 360), rng.uniform(0, 0.5) ** 1.5, rng.uniform(0.15, 0.95))
    img = col * (1 + 0.04 * vnoise(rng, H, W, W * 0.3) + 0.02 * grain(rng, H, W, 0.6))[..., None]
    return img.astype(F32), rng.uniform(0.05, 0.5)


def tex_cloth(rng, H, W):
    c1 = hsv(rng.uniform(0, 360), rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.9))
    c2 = hsv(rng.uniform(0, 60), rng.uniform(0, 0.1), rng.uniform(0.85, 0.95)) if rng.random() < 0.7 else \
        hsv(rng.uniform(0, 360), rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.9))
    a, bc = _coords(H, W, rng.uniform(0, math.pi) if rng.random() < 0.5 else rng.normal(0, 0.1))
    warp = vnoise(rng, H, W, W * 0.4) * rng.uniform(0, 6)
    a, bc = a + warp, bc + warp
    p = rng.uniform(8, 40)
    pat = rng.choice(["gingham", "stripes", "plain", "plain"])
    if pat == "gingham":
        m = ((np.floor(a / p) % 2) + (np.floor(bc / p) % 2)) / 2.0
    elif pat == "stripes":
        m = (np.floor(bc / p) % 2).astype(F32) * np.ones_like(a)
    else:
        m = np.zeros((H, W), F32)
    img = c1 + (c2 - c1) * m[..., None]
    weave = 1 + 0.07 * np.sin(a * 2.4) * np.sin(bc * 2.4) + 0.03 * grain(rng, H, W, 0.5)
    folds = 1 + 0.15 * fbm(rng, H, W, W * 0.25, 2)
    return (img * (weave * folds)[..., None]).astype(F32), 0.0


def tex_crate(rng, H, W):
    col = [hsv(rng.uniform(100, 150), rng.uniform(0.5, 0.9), rng.uniform(0.2, 0.5)),
           hsv(0, 0, rng.uniform(0.04, 0.12)), hsv(rng.uniform(200, 230), 0.7, rng.uniform(0.2, 0.5)),
           hsv(rng.uniform(0, 15), 0.8, rng.uniform(0.35, 0.6)), hsv(30, 0.1, rng.uniform(0.4, 0.7))][
        int(rng.integers(5))]
    wood = rng.random() < 0.3
    if wood:
        img, _ = tex_wood(rng, H, W)
    else:
        img = np.broadcast_to(col, (H, W, 3)) * (1 + 0.05 * vnoise(rng, H, W, 20))[..., None]
    a, bc = _coords(H, W, rng.normal(0, 0.15) + (math.pi / 2 if rng.random() < 0.5 else 0))
    pa, pb = rng.uniform(12, 40), rng.uniform(20, 80)
    sw, sh = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.8)
    hole = (((a / pa) % 1) < sw) & (((bc / pb) % 1) < sh)
    if wood:
        hole = ((bc / pb) % 1) < sh * 0.3
    deep = hsv(30, 0.3, rng.uniform(0.01, 0.08)) * (1 + 0.3 * vnoise(rng, H, W, 30))[..., None]
    img = np.where(hole[..., None], deep, img)
    return img.astype(F32), 0.15


def tex_cardboard(rng, H, W):
    col = hsv(rng.uniform(28, 38), rng.uniform(0.35, 0.55), rng.uniform(0.45, 0.75))
    a, bc = _coords(H, W, rng.uniform(0, math.pi))
    img = col * (1 + 0.05 * np.sin(bc * rng.uniform(0.6, 1.2)) + 0.08 * fbm(rng, H, W, W * 0.2, 3)
                 + 0.04 * grain(rng, H, W, 0.7))[..., None]
    if rng.random() < 0.4:  # printing
        m = ss(0.6, 0.8, vnoise(rng, H, W, W * 0.2))
        img = mix3(img, hsv(rng.uniform(0, 360), 0.7, 0.3), m * 0.8)
    return img.astype(F32), 0.0


def tex_grass(rng, H, W):
    col = hsv(rng.uniform(90, 130), rng.uniform(0.55, 0.85), rng.uniform(0.2, 0.45))
    g = grain(rng, H, W, 0.6)
    g2 = cv2.GaussianBlur(rng.standard_normal((H, W)).astype(F32), (1, 9), 0, sigmaY=3)
    img = col * (1 + 0.25 * g + 0.5 * g2)[..., None]
    return np.clip(img, 0, None).astype(F32), 0.05


def tex_paper(rng, H, W):
    col = hsv(rng.uniform(30, 60), rng.uniform(0, 0.08), rng.uniform(0.75, 0.97)) if rng.random() < 0.75 else \
        hsv(rng.uniform(0, 360), rng.uniform(0.1, 0.5), rng.uniform(0.5, 0.9))
    a, bc = _coords(H, W, rng.uniform(0, TAU))
    grad = 1 - rng.uniform(0, 0.35) * (bc / max(H, W))
    img = col * (grad + 0.015 * grain(rng, H, W, 0.8))[..., None]
    return img.astype(F32), 0.1


def tex_fridge(rng, H, W):
    wall = hsv(rng.uniform(180, 220), rng.uniform(0, 0.08), rng.uniform(0.7, 0.92))
    glass = hsv(rng.uniform(160, 200), rng.uniform(0.05, 0.2), rng.uniform(0.5, 0.8))
    X = np.arange(W, dtype=F32)[None, :]
    Y = np.arange(H, dtype=F32)[:, None]
    yh = rng.uniform(-0.3, 0.35) * H
    ribs = 1 + 0.08 * np.sin(X * rng.uniform(0.1, 0.3))
    img = np.where((Y < yh)[..., None], wall * ribs[..., None] * np.ones((H, 1, 1), F32),
                   glass * (1 + 0.04 * vnoise(rng, H, W, W * 0.3))[..., None])
    edge = np.exp(-((Y - yh) / 3.0) ** 2)
    img = mix3(img, lin((240, 240, 240)), edge * np.ones((1, W), F32))
    if rng.random() < 0.5:  # front strip of the shelf
        yf = H * rng.uniform(0.85, 1.0)
        img = mix3(img, hsv(0, 0, 0.85), ((Y > yf) * np.ones((1, W))).astype(F32) * 0.9)
    return img.astype(F32), 0.5


def tex_belt(rng, H, W):
    col = hsv(0, 0, rng.uniform(0.02, 0.1))
    a, bc = _coords(H, W, rng.normal(0, 0.2))
    img = col * (1 + 0.15 * grain(rng, H, W, 0.7) + 0.1 * np.sin(bc * rng.uniform(0.3, 1.0)))[..., None]
    return img.astype(F32), 0.2


SURFACES = {"wood": tex_wood, "stone": tex_stone, "plain": tex_plain, "cloth": tex_cloth, "crate": tex_crate,
            "cardboard": tex_cardboard, "grass": tex_grass, "paper": tex_paper, "fridge": tex_fridge,
            "belt": tex_belt}


def perspective(rng, img):
    H, W = img.shape[:2]
    k = rng.uniform(0.05, 0.3)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    dst = np.float32([[-k * W, 0], [W + k * W, 0], [W, H], [0, H]])
    M = cv2.getPerspectiveTransform(dst, src)
    M2 = cv2.getPerspectiveTransform(src, src + rng.normal(0, 0.04 * W, (4, 2)).astype(F32))
    return cv2.warpPerspective(img, M2 @ M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)


def add_sheen(S, rng, gloss):
    """A broad reflection of a window/lamp on a glossy surface."""
    if gloss < 0.08 or rng.random() < 0.4:
        return
    H, W = S.H, S.W
    m = np.zeros((H, W), np.uint8)
    cx, cy = rng.uniform(0, W), rng.uniform(0, H)
    cv2.ellipse(m, ((cx, cy), (rng.uniform(0.3, 1.2) * W, rng.uniform(0.1, 0.5) * H), rng.uniform(0, 180)),
                255, -1)
    a = blur(m.astype(F32) / 255.0, rng.uniform(6, 25))
    S.img += (a * gloss * rng.uniform(0.1, 0.5))[..., None] * S.light.key


def draw_plate(S, rng, cx, cy, rx, ry, bowl=False):
    """Plate or bowl; returns a front-rim overlay function for bowls."""
    H, W = S.H, S.W
    col = hsv(rng.uniform(0, 360), rng.uniform(0, 0.5) ** 2, rng.uniform(0.5, 0.95)) if rng.random() < 0.8 \
        else hsv(rng.uniform(0, 360), rng.uniform(0.3, 0.8), rng.uniform(0.2, 0.7))
    wood = bowl and rng.random() < 0.25
    Y = np.arange(H, dtype=F32)[:, None] + 0.5
    X = np.arange(W, dtype=F32)[None, :] + 0.5
    e = np.sqrt(((X - cx) / rx) ** 2 + ((Y - cy) / ry) ** 2)
    depth = ry * (rng.uniform(0.5, 0.9) if bowl else rng.uniform(0.06, 0.15))
    e2 = np.sqrt(((X - cx) / rx) ** 2 + ((Y - cy - depth) / ry) ** 2)
    outer = np.clip((1 - np.minimum(e, e2 * (Y > cy) + 9 * (Y <= cy))) * ry + 0.5, 0, 1)
    outer = np.maximum(outer, np.clip((1 - e) * ry + 0.5, 0, 1))
    cast_shadow(S, [Layer(0, 0, np.zeros((H, W, 3), F32), outer.astype(F32))], depth * 0.5 + 2, 0.8)
    if wood:
        tex, _ = tex_wood(rng, H, W)
        alb = tex
    else:
        alb = np.broadcast_to(col, (H, W, 3))
    inner = np.clip((0.88 - e) * ry + 0.5, 0, 1)
    lt = S.light
    # inner shading: bowl interior darker on the light side (wall shadow), plate flat
    sh = 1.0 - (0.35 if bowl else 0.1) * ss(0.2, 0.9, e) * (0.5 + 0.5 * (((X - cx) / rx) * lt.L[0] +
                                                                           ((Y - cy) / ry) * lt.L[1]))
    base = alb * (lt.key * (0.4 + 0.6 * lt.L[2]) + lt.amb)
    rim = np.exp(-((e - 0.94) / 0.03) ** 2)
    img = base * (sh * (0.85 + 0.15 * inner))[..., None] + (rim * 0.25 * (0 if wood else 1))[..., None] * lt.key
    S.img = S.img + (img - S.img) * outer[..., None]
    if not bowl:
        return None
    # front wall of the bowl drawn over the fruit later
    front = np.clip((e - 1) * ry + 0.5, 0, 1) * (Y > cy) * (outer > 0)
    front = np.maximum(front, np.clip((e2 - 1) * 0 + 0, 0, 1))
    wall_n = -(Y - cy - depth) / ry
    wimg = base * (0.8 + 0.2 * np.clip(wall_n, -1, 1))[..., None]
    wimg = wimg + (np.exp(-((e - 1.0) / 0.03) ** 2) * 0.3)[..., None] * lt.key
    a = (front * outer).astype(F32)
    ys, xs = np.nonzero(a > 0)
    if ys.size == 0:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    return Layer(int(x0), int(y0), wimg[y0:y1, x0:x1].astype(F32), a[y0:y1, x0:x1], None, cast=False)


def hand_layers(S, rng, cx, cy, R, ang=None):
    """A palm (with forearm) under the fruit and fingers curling over its edge. Returns (under, over)."""
    tone = hsv(rng.uniform(12, 30), rng.uniform(0.25, 0.6), rng.uniform(0.3, 0.9))
    if ang is None:
        ang = rng.normal(math.pi / 2, 0.5)  # wrist direction (mostly towards the bottom of the image)
    d = np.array([math.cos(ang), math.sin(ang)], F32)
    p = np.array([-d[1], d[0]], F32)
    c = np.array([cx, cy], F32)
    under = []
    pc = c + d * R * 0.45
    pb = round_body(S, float(pc[0]), float(pc[1]), R * 1.05, ang - math.pi / 2, math.pi / 2,
                    rng.uniform(1.15, 1.35), {})
    if pb is not None:
        pb.alb = (np.broadcast_to(tone, (pb.h, pb.w, 3)) * (1 + 0.06 * pb.noise(rng, R * 0.3))[..., None]).astype(F32)
        pb.ks[:] = 0.12
        pb.shin = 8.0
        pb.nx *= 0.45
        pb.ny *= 0.45
        pb.nz = np.sqrt(np.clip(1 - pb.nx ** 2 - pb.ny ** 2, 0, 1)).astype(F32)
        under.append(pb.shade_layer(S, wrap=0.5))
    arm = tube_layer(S, [c + d * R * 1.2, c + d * R * 4.0], R * 0.75, R * 0.85, tone * 0.97, ks=0.1, shin=8,
                     rng=rng, tex=0.05)
    if arm is not None:
        under.insert(0, arm)
    over = []
    nf = int(rng.integers(2, 5))
    sgn = 1 if rng.random() < 0.5 else -1
    reach = rng.uniform(0.25, 0.6)
    for k in range(nf):
        t = (k - (nf - 1) / 2) * 0.4 - 0.2
        base = c + p * sgn * R * 1.12 + d * R * (t + 0.35)
        tip = c + p * sgn * R * (1.0 - reach) + d * R * (t * 0.9 + 0.1)
        mid = base * 0.5 + tip * 0.5 + p * sgn * R * 0.12
        fl = tube_layer(S, [base, mid, tip], R * 0.17, R * 0.14, tone * rng.uniform(0.95, 1.05), ks=0.15,
                        shin=10, rng=rng)
        if fl is not None:
            over.append(fl)
        nl = tube_layer(S, [tip * 0.85 + mid * 0.15, tip], R * 0.09, R * 0.08, tone * 1.25 + 0.05, ks=0.4,
                        shin=30)
        if nl is not None:
            over.append(nl)
    tb = c - p * sgn * R * 1.0 + d * R * 0.9
    tt = c - p * sgn * R * rng.uniform(0.6, 0.85) + d * R * rng.uniform(-0.3, 0.1)
    th = tube_layer(S, [tb, tt], R * 0.22, R * 0.17, tone, ks=0.15, shin=10, rng=rng)
    if th is not None:
        over.append(th)
    return under, over


def knife_layers(S, rng):
    H, W = S.H, S.W
    ang = rng.uniform(0, TAU)
    L = rng.uniform(0.5, 1.0) * max(H, W)
    c = np.array([rng.uniform(0, W), rng.uniform(0, H)], F32)
    d = np.array([math.cos(ang), math.sin(ang)], F32)
    p = np.array([-d[1], d[0]], F32)
    wb = L * rng.uniform(0.05, 0.09)
    blade = np.array([c, c + d * L * 0.6 + p * wb * 0.1, c + d * L * 0.55 + p * wb, c + p * wb])
    steel = hsv(210, 0.05, rng.uniform(0.55, 0.8))
    lt = S.light
    g = float(max(0.0, lt.L[2])) * lt.key + lt.amb

    def dr(m, ox, oy):
        cv2.fillPoly(m, [_pts(blade, ox, oy)], 255, cv2.LINE_AA, 4)

    def shading(a, ox, oy):
        hh, ww = a.shape
        X = np.arange(ww, dtype=F32)[None, :] + ox - c[0]
        Y = np.arange(hh, dtype=F32)[:, None] + oy - c[1]
        across = (X * p[0] + Y * p[1]) / wb
        alb = steel * (0.7 + 0.5 * np.exp(-((across - 0.3) / 0.15) ** 2))[..., None]
        return (alb * g).astype(F32)

    x0, y0 = blade.min(0) - 2
    x1, y1 = blade.max(0) + 2
    out = []
    bl = mask_layer(S, dr, (int(x0), int(y0), int(x1) + 1, int(y1) + 1), steel, shading)
    if bl is not None:
        out.append(bl)
    hc = [hsv(0, 0, 0.04), hsv(25, 0.6, 0.25), hsv(0, 0.7, 0.4), hsv(0, 0, 0.85)][int(rng.integers(4))]
    hl = tube_layer(S, [c + p * wb * 0.5, c - d * L * 0.4 + p * wb * 0.5], wb * 0.45, wb * 0.5, hc, ks=0.3,
                    shin=20, rng=rng)
    if hl is not None:
        out.append(hl)
    return out


def net_overlay(S, rng):
    """Mesh net bag over oranges/mandarins."""
    H, W = S.H, S.W
    m = np.zeros((H, W), np.uint8)
    p = rng.uniform(10, 22)
    col = [lin((220, 40, 30)), lin((250, 140, 20)), lin((230, 200, 40)), lin((40, 150, 60))][int(rng.integers(4))]
    a0 = rng.uniform(0.5, 1.0)
    for sgn in (-1, 1):
        for k in range(-int(2 * max(H, W) / p), int(2 * max(H, W) / p)):
            x = k * p
            pt0 = (int(x * 16), 0)
            pt1 = (int((x + sgn * H * a0) * 16), int(H * 16))
            cv2.line(m, pt0, pt1, 255, 1, cv2.LINE_AA, 4)
    a = m.astype(F32) / 255.0 * 0.85
    rgb = np.broadcast_to(col * (S.light.key * 0.8 + S.light.amb), (H, W, 3)).astype(F32)
    return Layer(0, 0, rgb, a, None, cast=False)


def lid_glare(S, rng):
    """Clear plastic punnet lid / bag between camera and fruit: glare and ribs."""
    H, W = S.H, S.W
    X = np.arange(W, dtype=F32)[None, :]
    Y = np.arange(H, dtype=F32)[:, None]
    a, bc = _coords(H, W, rng.uniform(0, math.pi))
    glare = ss(0.3, 1.5, vnoise(rng, H, W, W * 0.5)) * rng.uniform(0.08, 0.3)
    ribs = blur((np.abs(((bc / rng.uniform(15, 40)) % 1) - 0.5) < 0.03).astype(F32), 1.0) * 0.12
    al = np.clip(glare + ribs + 0.04, 0, 0.45).astype(F32)
    rgb = np.broadcast_to(S.light.key * 0.9 + S.light.amb, (H, W, 3)).astype(F32)
    return Layer(0, 0, rgb, al, None, cast=False)


def puddle(S, rng, cx, cy, R, col):
    """Leaked juice on the surface under a rotten fruit."""
    m = np.zeros((S.H, S.W), np.uint8)
    cv2.ellipse(m, ((cx + rng.normal(0, R * 0.2), cy + R * rng.uniform(0.5, 0.9)),
                    (R * rng.uniform(1.2, 2.4), R * rng.uniform(0.4, 0.9)), rng.uniform(-20, 20)), 255, -1)
    a = blur(m.astype(F32) / 255.0, 1.5)
    n = vnoise(rng, S.H, S.W, max(2.0, R * 0.3))
    a = a * ss(-0.8, 0.2, n)
    S.img = mix3(S.img, S.img * col * 1.5, a * 0.7)
    hl = a * ss(0.5, 1.5, vnoise(rng, S.H, S.W, max(2.0, R * 0.1)))
    S.img += (hl * 0.25)[..., None] * S.light.key
    S.rot = np.maximum(S.rot, a * 0.3)


# ----------------------------------------------------------------------------------------- scene
class Scene:
    pass


def place_group(rng, S, n, Rm, spread=0.42):
    pts = []
    for _ in range(n * 40):
        if len(pts) == n:
            break
        p = np.array([S.W / 2 + rng.uniform(-spread, spread) * S.W, S.H / 2 + rng.uniform(-spread, spread) * S.H])
        R = Rm * rng.uniform(0.85, 1.15)
        if all(np.hypot(*(p - q[:2])) > 0.95 * (R + q[2]) * rng.uniform(0.75, 1.0) for q in pts):
            pts.append((p[0], p[1], R))
    return pts


def place_pile(rng, S, Rm):
    pts = []
    dx = 2 * Rm * rng.uniform(0.85, 1.0)
    dy = dx * 0.87
    ang = rng.uniform(0, math.pi)
    c, s = math.cos(ang), math.sin(ang)
    span = max(S.W, S.H)
    n = int(span / dx) + 3
    for i in range(-n, n + 1):
        for j in range(-n, n + 1):
            x = (i + 0.5 * (j % 2)) * dx + rng.normal(0, dx * 0.08)
            y = j * dy + rng.normal(0, dx * 0.08)
            X = S.W / 2 + x * c - y * s
            Y = S.H / 2 + x * s + y * c
            if -Rm < X < S.W + Rm and -Rm < Y < S.H + Rm and rng.random() > 0.1:
                pts.append((X, Y, Rm * rng.uniform(0.85, 1.12)))
    return pts


def render(rng, kind, rotten, W, H):
    S = Scene()
    S.W, S.H = W, H
    S.light = sample_light(rng)
    S.tab = rng.random((1024, 4)).astype(F32)
    S.rot = np.zeros((H, W), F32)
    S.cover = np.zeros((H, W), F32)
    Smin = min(W, H)
    lt = S.light
    # ---------------- background
    surf_p = {"wood": 0.22, "stone": 0.14, "plain": 0.12, "cloth": 0.1, "crate": 0.1, "cardboard": 0.07,
              "grass": 0.03, "paper": 0.1, "fridge": 0.05, "belt": 0.03}
    if lt.kind == "fridge":
        surf_p = dict(surf_p, fridge=1.5)
    if lt.kind == "shop":
        surf_p = dict(surf_p, crate=0.4, cardboard=0.2, grass=0.12)
    names = list(surf_p)
    pr = np.array([surf_p[k] for k in names])
    surf = names[int(rng.choice(len(names), p=pr / pr.sum()))]
    tex, gloss = SURFACES[surf](rng, H, W)
    if surf not in ("fridge",) and rng.random() < 0.55:
        tex = perspective(rng, tex)
    # lit background with a light fall-off gradient
    X = np.arange(W, dtype=F32)[None, :] / W - 0.5
    Y = np.arange(H, dtype=F32)[:, None] / H - 0.5
    gr = 1 + lt.grad * (X * math.cos(lt.gdir) + Y * math.sin(lt.gdir)) * -2
    if lt.kind == "flash":
        gr = gr * (1 - rng.uniform(0.2, 0.6) * (X * X + Y * Y) * 2)
    S.img = (tex * (lt.key * max(0.25, lt.L[2]) + lt.amb * 1.1) * gr[..., None]).astype(F32)
    add_sheen(S, rng, gloss)
    # ---------------- layout
    if kind == "banana":
        mode = rng.choice(["single", "hand", "close", "pile", "endon"], p=[0.3, 0.33, 0.19, 0.13, 0.05])
    else:
        pm = {"apple": [0.3, 0.2, 0.3, 0.2], "orange": [0.28, 0.2, 0.32, 0.2],
              "strawberry": [0.22, 0.2, 0.3, 0.28]}[kind]
        mode = rng.choice(["single", "close", "group", "pile"], p=pm)
    sizef = {"apple": 1.0, "orange": 1.0, "strawberry": 0.85}.get(kind, 1.0)
    support = None
    if kind != "banana" and mode in ("single", "group") and rng.random() < 0.3:
        support = rng.choice(["plate", "bowl", "hand"], p=[0.35, 0.4, 0.25])
    if kind == "banana" and mode in ("single", "hand") and rng.random() < 0.1:
        support = "hand"
    front = None
    fing = []
    if support in ("plate", "bowl"):
        pcx, pcy = W * rng.uniform(0.35, 0.65), H * rng.uniform(0.4, 0.65)
        prx = Smin * rng.uniform(0.4, 0.7)
        pry = prx * rng.uniform(0.5, 0.95)
        front = draw_plate(S, rng, pcx, pcy, prx, pry, bowl=support == "bowl")
    if rng.random() < 0.12:
        for L in knife_layers(S, rng):
            cast_shadow(S, [L], Smin * 0.02, 0.7)
            composite(S, L)
    bg_sigma = rng.choice([0.0, 0.0, rng.uniform(0.5, 1.5), rng.uniform(1.5, 5)])
    if bg_sigma > 0:
        S.img = blur(S.img, bg_sigma)
    # ---------------- fruit specs
    specs = []  # (cx, cy, R)
    if kind == "banana":
        draw_bananas(S, rng, mode, rotten, support)
    else:
        if mode == "single":
            specs = [(W / 2 + rng.normal(0, 0.08) * W, H / 2 + rng.normal(0, 0.08) * H,
                      Smin * rng.uniform(0.2, 0.36) * sizef)]
        elif mode == "close":
            specs = [(W * rng.uniform(0.2, 0.8), H * rng.uniform(0.2, 0.8), Smin * rng.uniform(0.45, 0.85) * sizef)]
            if rng.random() < 0.35:
                specs = [(rng.uniform(0, W), rng.uniform(0, H), specs[0][2] * rng.uniform(0.7, 1.0))] + specs
        elif mode == "group":
            n = int(rng.integers(2, 6))
            specs = place_group(rng, S, n, Smin * rng.uniform(0.13, 0.24) * sizef)
        else:
            specs = place_pile(rng, S, Smin * rng.uniform(0.1, 0.16) * (1.3 if kind == "strawberry" else 1.0) * sizef)
        if support in ("plate", "bowl"):
            specs = [(pcx + (x - W / 2) * 0.6, pcy + (y - H / 2) * 0.45 - pry * 0.1, R * 0.85) for x, y, R in specs]
        if support == "hand":
            specs = specs[:1]
        specs.sort(key=lambda t: t[1] + rng.normal(0, 0.05 * H))
        n = len(specs)
        rot_flags = [False] * n
        if rotten:
            k = 1 if rng.random() < 0.55 else int(rng.integers(1, n + 1))
            vis_idx = sorted(range(n), key=lambda i: -visible_score(specs[i], W, H))
            cand = vis_idx[:max(1, min(n, 4))]
            for i in rng.choice(cand, size=min(k, len(cand)), replace=False):
                rot_flags[int(i)] = True
            if n > 6 and k > 3:
                for i in range(n):
                    rot_flags[i] = rot_flags[i] or rng.random() < 0.3
        if support == "hand" and specs:
            under, fing = hand_layers(S, rng, specs[0][0], specs[0][1], specs[0][2])
            for L in under:
                cast_shadow(S, [L], Smin * 0.06, 0.6)
                composite(S, L)
        cut_choice = None
        if kind == "orange" and rng.random() < 0.22:
            cut_choice = rng.choice(["half", "slice"], p=[0.7, 0.3])
        for i, (x, y, R) in enumerate(specs):
            if kind == "apple":
                layers, b = draw_apple(S, rng, x, y, R, rot_flags[i])
            elif kind == "orange":
                cut = cut_choice if cut_choice and (i == n - 1 or rng.random() < 0.4) else None
                layers, b = draw_orange(S, rng, x, y, R, rot_flags[i], cut=cut)
            else:
                layers, b = draw_strawberry(S, rng, x, y, R, rot_flags[i])
            if rot_flags[i] and rng.random() < 0.12:
                jc = {"apple": hsv(35, 0.5, 0.7), "orange": hsv(30, 0.8, 0.8),
                      "strawberry": hsv(355, 0.8, 0.5)}[kind]
                puddle(S, rng, x, y, R, jc)
            if layers:
                cast_shadow(S, layers[:1], R * 0.45)
                for L in layers:
                    composite(S, L, True)
    for L in fing:
        composite(S, L)
    if front is not None:
        composite(S, front)
    if mode == "pile" and rng.random() < 0.45:
        for L in container_walls(S, rng, kind):
            composite(S, L)
    if rng.random() < (0.15 if lt.kind == "shop" else 0.03):
        tag = price_tag(S, rng)
        if tag is not None:
            cast_shadow(S, [tag], Smin * 0.02, 0.6)
            composite(S, tag)
    if kind == "orange" and rng.random() < 0.08:
        composite(S, net_overlay(S, rng))
    if kind == "strawberry" and rng.random() < 0.1:
        composite(S, lid_glare(S, rng))
    return S


def container_walls(S, rng, kind):
    """Walls of a crate / punnet / box along one or two frame edges, in front of the fruit."""
    H, W = S.H, S.W
    lt = S.light
    p = [0.35, 0.15, 0.3, 0.2] if kind != "strawberry" else [0.1, 0.5, 0.1, 0.3]
    typ = rng.choice(["crate", "clear", "box", "pulp"], p=p)
    col = {"crate": [hsv(rng.uniform(100, 150), 0.7, rng.uniform(0.2, 0.5)), hsv(0, 0, rng.uniform(0.03, 0.1)),
                     hsv(rng.uniform(200, 230), 0.7, 0.4), hsv(rng.uniform(0, 15), 0.8, 0.5)][int(rng.integers(4))],
           "clear": hsv(190, 0.05, 0.9), "box": hsv(rng.uniform(28, 38), 0.45, rng.uniform(0.45, 0.7)),
           "pulp": hsv(rng.uniform(80, 120), rng.uniform(0.3, 0.6), rng.uniform(0.3, 0.5)) if rng.random() < 0.6
           else hsv(40, 0.1, 0.6)}[typ]
    out = []
    for e in rng.choice(4, size=int(rng.integers(1, 3)), replace=False):
        wd = rng.uniform(0.07, 0.2) * min(H, W)
        sk = rng.normal(0, 0.1) * wd * 3
        if e == 0:
            poly = [(-5, -5), (W + 5, -5), (W + 5, wd + sk), (-5, wd - sk)]
            inner = 1
        elif e == 2:
            poly = [(-5, H + 5), (W + 5, H + 5), (W + 5, H - wd + sk), (-5, H - wd - sk)]
            inner = 1
        elif e == 1:
            poly = [(W + 5, -5), (W + 5, H + 5), (W - wd + sk, H + 5), (W - wd - sk, -5)]
            inner = 0
        else:
            poly = [(-5, -5), (-5, H + 5), (wd + sk, H + 5), (wd - sk, -5)]
            inner = 0
        poly = np.array(poly, np.float64)
        X = np.arange(W, dtype=F32)[None, :] + 0.5
        Y = np.arange(H, dtype=F32)[:, None] + 0.5
        m = np.zeros((H, W), np.uint8)
        cv2.fillPoly(m, [_pts(poly, 0, 0)], 255, cv2.LINE_AA, 4)
        a = m.astype(F32) / 255.0
        if a.max() <= 0:
            continue
        # distance from the inner edge (approx.) for the rim highlight and shading
        coord = (Y + 0 * X) if inner else (X + 0 * Y)
        edgec = poly[2][1 - inner] * 0.5 + poly[3][1 - inner] * 0.5
        dd = np.abs(coord - edgec) / wd
        shadev = (0.6 + 0.4 * np.clip(dd, 0, 1))[..., None] * (lt.key * 0.7 + lt.amb)
        rgb = col * shadev * (1 + 0.05 * vnoise(rng, H, W, 20))[..., None]
        rgb = rgb + (np.exp(-(dd / 0.08) ** 2) * 0.35)[..., None] * lt.key
        if typ == "crate":
            a2, b2 = (X if inner else Y), dd
            slot = ((a2 / rng.uniform(12, 30)) % 1 < 0.45) & (b2 > 0.3) & (b2 < 0.8)
            rgb = np.where(slot[..., None], rgb * 0.15, rgb)
        if typ == "clear":
            streak = ss(0.6, 1.0, np.abs(np.sin((X if inner else Y) * rng.uniform(0.1, 0.3))))
            rgb = rgb * 0.6 + (streak * 0.3)[..., None] * lt.key
            a = a * rng.uniform(0.35, 0.6)
        if typ == "box":
            rgb = rgb * (1 + 0.05 * np.sin(dd * 40))[..., None]
        out.append(Layer(0, 0, rgb.astype(F32), a.astype(F32), None, cast=False))
    return out


def price_tag(S, rng):
    """A shop price card with printed digits."""
    H, W = S.H, S.W
    tw = rng.uniform(0.18, 0.35) * W
    th = tw * rng.uniform(0.5, 0.75)
    cx, cy = rng.uniform(0.1, 0.9) * W, rng.uniform(0.1, 0.9) * H
    ang = rng.normal(0, 12)
    card = np.zeros((int(th), int(tw), 3), np.uint8)
    bg = [(250, 250, 245), (250, 230, 60), (255, 140, 40), (250, 250, 245), (60, 160, 70)][int(rng.integers(5))]
    card[:] = bg[::-1]
    ink = (20, 20, 20) if bg != (60, 160, 70) else (250, 250, 250)
    if rng.random() < 0.5:
        card[: max(2, int(th * 0.25))] = [(200, 40, 40), (40, 60, 160), (30, 120, 50)][int(rng.integers(3))]
    txt = "%d.%02d" % (rng.integers(0, 5), rng.integers(0, 100))
    scale = th / 45.0
    cv2.putText(card, txt, (int(tw * 0.1), int(th * 0.8)), cv2.FONT_HERSHEY_DUPLEX, scale, ink,
                max(1, int(scale * 1.5)), cv2.LINE_AA)
    cv2.line(card, (int(tw * 0.1), int(th * 0.38)), (int(tw * rng.uniform(0.4, 0.9)), int(th * 0.38)), ink,
             max(1, int(th / 25)), cv2.LINE_AA)
    M = cv2.getRotationMatrix2D((tw / 2, th / 2), ang, 1.0)
    M[0, 2] += cx - tw / 2
    M[1, 2] += cy - th / 2
    rgbc = cv2.warpAffine(card, M, (W, H), flags=cv2.INTER_LINEAR)
    a = cv2.warpAffine(np.full((int(th), int(tw)), 255, np.uint8), M, (W, H), flags=cv2.INTER_LINEAR)
    a = a.astype(F32) / 255.0
    cr = _crop(a)
    if cr is None:
        return None
    sl = (slice(cr[0], cr[1]), slice(cr[2], cr[3]))
    rgb = lin(rgbc[sl][..., ::-1].astype(F32)) * (S.light.key * 0.8 + S.light.amb)
    return Layer(cr[2], cr[0], rgb.astype(F32), a[sl], None, cast=True)


def visible_score(spec, W, H):
    x, y, R = spec
    ix = max(0.0, min(W, x + R) - max(0, x - R))
    iy = max(0.0, min(H, y + R) - max(0, y - R))
    return ix * iy + y * 0.01


def banana_hand(rng, crown, ang, nb, L, hw, curv, side, fan, spread):
    """Bananas of one hand: stalks start at a common crown and the fingers fan out."""
    grp = []
    for k in range(nb):
        o = (k - (nb - 1) / 2)
        a = ang + o * fan + rng.normal(0, 0.03)
        d = np.array([math.cos(a), math.sin(a)], F32)
        pn = np.array([-d[1], d[0]], F32)
        ts = rng.uniform(0.07, 0.13)
        Lk = L * rng.uniform(0.92, 1.06)
        P0 = crown + d * ts * Lk + pn * o * hw * spread
        grp.append((P0, a, Lk, hw * rng.uniform(0.92, 1.08), curv * rng.uniform(0.9, 1.1), side, ts))
    return grp


def draw_bananas(S, rng, mode, rotten, support):
    W, H = S.W, S.H
    Smin = min(W, H)
    groups = []  # each: list of banana params (P0, ang, L, hw, curv, side, stalk)
    if mode in ("single", "hand", "close", "endon"):
        if mode == "close":
            L = Smin * rng.uniform(1.2, 2.2)
        elif mode == "endon":  # pointing roughly towards the camera: foreshortened
            L = Smin * rng.uniform(0.4, 0.65)
        else:
            L = Smin * rng.uniform(0.6, 1.0)
        hw = L * rng.uniform(0.085, 0.115) * (rng.uniform(1.5, 1.9) if mode == "endon" else 1.0)
        curv = rng.uniform(0.5, 1.3) if mode != "endon" else rng.uniform(0.2, 0.5)
        side = 1.0 if rng.random() < 0.5 else -1.0
        ang = rng.uniform(-math.pi, math.pi)
        chord = L * (math.sin(curv / 2) / (curv / 2))
        mid = np.array([W / 2, H / 2], F32) + rng.normal(0, 0.08, 2).astype(F32) * Smin
        if mode == "close":
            mid = mid + rng.normal(0, 0.15, 2).astype(F32) * Smin
        d = np.array([math.cos(ang), math.sin(ang)], F32)
        # the chord of an arc is rotated by half the bending from its start direction
        a0 = ang - side * curv / 2
        d0 = np.array([math.cos(a0), math.sin(a0)], F32)
        crown = mid - d * chord / 2 - d0 * 0.1 * L
        if mode in ("single", "endon") or (mode == "close" and rng.random() < 0.6):
            nb = 1
        else:
            nb = int(rng.integers(2, 7))
        groups.append(banana_hand(rng, crown, a0, nb, L, hw, curv, side, rng.uniform(0.04, 0.16),
                                  rng.uniform(0.4, 1.1)))
    else:  # pile / crate of several hands
        ng = int(rng.integers(2, 5))
        for _ in range(ng):
            L = Smin * rng.uniform(0.45, 0.8)
            hw = L * rng.uniform(0.085, 0.115)
            curv = rng.uniform(0.5, 1.2)
            side = 1.0 if rng.random() < 0.5 else -1.0
            ang = rng.uniform(-math.pi, math.pi)
            d = np.array([math.cos(ang), math.sin(ang)], F32)
            mid = np.array([rng.uniform(0, W), rng.uniform(0, H)], F32)
            groups.append(banana_hand(rng, mid - d * L / 2, ang, int(rng.integers(1, 5)), L, hw, curv, side,
                                      rng.uniform(0.04, 0.14), rng.uniform(0.4, 1.1)))
    # ripeness and rot assignment
    ripe_all = rng.uniform(0.0, 1.0) ** 0.6
    if rotten and rng.random() < 0.85:
        ripe_all = rng.uniform(0.55, 1.0)
    nban = sum(len(g) for g in groups)
    rflags = [False] * nban
    if rotten:
        k = 1 if rng.random() < 0.4 else int(rng.integers(1, nban + 1))
        for i in rng.choice(nban, size=min(k, nban), replace=False):
            rflags[int(i)] = True
    fing = []
    if support == "hand" and mode != "endon":
        P0, a, L, hw, curv, side, ts = groups[0][len(groups[0]) // 2]
        t = rng.uniform(0.25, 0.6)
        aa = a + side * curv * t
        ah = a + side * curv * t / 2
        cpos = P0 + np.array([math.cos(ah), math.sin(ah)], F32) * L * t
        under, fing = hand_layers(S, rng, float(cpos[0]), float(cpos[1]), hw * 1.4,
                                  ang=aa + (math.pi / 2 if rng.random() < 0.5 else -math.pi / 2))
        for Ly in under:
            cast_shadow(S, [Ly], hw)
            composite(S, Ly)
    idx = 0
    style = None
    if rotten:
        style = rng.choice(["patches", "black", "mould", "split", "bruise"], p=[0.34, 0.26, 0.14, 0.12, 0.14])
    for grp in groups:
        order = list(range(len(grp)))
        if rng.random() < 0.5:
            order = order[::-1]
        crown_pts = []
        for k in order:
            P0, ang, L, hw, curv, side, ts = grp[k]
            ripe = float(np.clip(ripe_all + rng.normal(0, 0.05), 0, 1))
            rt = rflags[idx]
            sev = rot_plan(rng, "banana") if rt else 0.0
            st = style if rng.random() < 0.75 else None
            layers, b = draw_banana(S, rng, P0, ang, L, hw, curv, side, rt, ripe, sev,
                                    endon=rng.uniform(0.3, 0.6) if mode == "endon" else 0.0, style=st, stalk=ts)
            idx += 1
            if layers:
                cast_shadow(S, layers, hw * 0.8)
                for Ly in layers:
                    composite(S, Ly, True)
                crown_pts.append(banana_point(b, -b.ts * 0.95))
        if len(grp) > 1 and crown_pts:
            c = np.mean(crown_pts, 0)
            rr = grp[0][3] * 0.45
            col = hsv(rng.uniform(40, 80), 0.5, rng.uniform(0.2, 0.35))
            if rotten and rng.random() < 0.5:
                col = hsv(30, 0.4, 0.12)
            dv = np.array([math.cos(grp[0][1]), math.sin(grp[0][1])], F32)
            tl = tube_layer(S, [c + dv * rr * 0.5, c - dv * rr * 2.5], rr * 1.4, rr * 1.1, col, rng=rng)
            if tl is not None:
                composite(S, tl, True)
    for Ly in fing:
        composite(S, Ly)


# ----------------------------------------------------------------------------------------- camera
def camera(rng, S, W, H):
    img = S.img
    lt = S.light
    img = img * 2.0 ** rng.normal(0.0, 0.3)
    # white balance: partially corrects the light colour
    corr = rng.uniform(0.55, 1.0)
    wb = kelvin(lt.temp) ** corr
    wb = wb * (1 + rng.normal(0, 0.04, 3)).astype(F32)
    img = img / wb.astype(F32)
    img = img / max(1e-3, float(np.percentile(img[::4, ::4].mean(2), 97)) / rng.uniform(0.75, 1.0))
    # defocus / motion blur at render resolution
    r = rng.random()
    if r < 0.25:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.5, 2.2))
    elif r < 0.35:
        n = int(rng.integers(3, 10))
        k = np.zeros((n, n), F32)
        a = rng.uniform(0, math.pi)
        c = (n - 1) / 2
        cv2.line(k, (int(round(c - c * math.cos(a))), int(round(c - c * math.sin(a)))),
                 (int(round(c + c * math.cos(a))), int(round(c + c * math.sin(a)))), 1.0, 1)
        img = cv2.filter2D(img, -1, k / k.sum())
    img = cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA)
    # tone curve
    img = np.clip(img, 0, None)
    if rng.random() < 0.5:
        img = img / (1 + img * rng.uniform(0.0, 0.4))
        img = img / max(1e-3, float(np.percentile(img.mean(2), 99)))
    srgb = np.clip(img, 0, 1) ** (1 / 2.2)
    con = rng.uniform(0.85, 1.25)
    srgb = np.clip(0.5 + (srgb - 0.5) * con + rng.normal(0, 0.03), 0, 1)
    sat = rng.uniform(0.75, 1.3)
    g = srgb.mean(2, keepdims=True)
    srgb = np.clip(g + (srgb - g) * sat, 0, 1)
    # vignetting
    if rng.random() < 0.6:
        X = np.linspace(-1, 1, W, dtype=F32)[None, :]
        Y = np.linspace(-1, 1, H, dtype=F32)[:, None]
        srgb = srgb * (1 - rng.uniform(0.05, 0.35) * ((X * X + Y * Y) / 2) ** 1.5)[..., None]
    # sharpening (phone ISP)
    if rng.random() < 0.45:
        bl = cv2.GaussianBlur(srgb, (0, 0), rng.uniform(0.6, 1.4))
        srgb = np.clip(srgb + rng.uniform(0.2, 1.0) * (srgb - bl), 0, 1)
    # sensor noise (signal dependent), chroma noise, denoise smear
    a = rng.uniform(0.0, 0.012) ** 2 * 40
    bnoise = rng.uniform(0.002, 0.02)
    sd = np.sqrt(a * srgb + bnoise ** 2)
    srgb = srgb + sd * rng.standard_normal(srgb.shape).astype(F32)
    if rng.random() < 0.5:
        cn = cv2.resize(rng.standard_normal((H // 2, W // 2, 3)).astype(F32), (W, H)) * rng.uniform(0, 0.02)
        srgb = srgb + cn
    out = np.clip(srgb * 255 + 0.5, 0, 255).astype(np.uint8)[..., ::-1]  # RGB -> BGR
    if rng.random() < 0.15:  # small rotation of the phone
        a = rng.normal(0, 6)
        M = cv2.getRotationMatrix2D((W / 2, H / 2), a, 1.0 + abs(a) / 40)
        out = cv2.warpAffine(out, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    if rng.random() < 0.15:  # low-res capture / messenger recompression
        f = rng.uniform(0.4, 0.75)
        sm = cv2.resize(out, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        ok, enc = cv2.imencode(".jpg", sm, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 80))])
        out = cv2.resize(cv2.imdecode(enc, cv2.IMREAD_COLOR), (W, H), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.08:
        k = int(rng.integers(1, 4))
        out = np.ascontiguousarray(np.rot90(out, k if W == H else 2))
    q = int(rng.integers(35, 96))
    ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
    return enc.tobytes()


# ----------------------------------------------------------------------------------------- driver
def make_example(seed, i, W, H):
    label = FOLDERS[i % 8]
    rotten = label.startswith("rotten")
    kind = label[6:] if rotten else label[5:]
    rng = np.random.default_rng([seed, i])
    ssf = 1.5 if max(W, H) <= 200 else 1.0
    W2, H2 = int(round(W * ssf)), int(round(H * ssf))
    for attempt in range(8):
        S = render(rng, kind, rotten, W2, H2)
        fruit_cover = float((S.cover > 0.5).mean())
        if fruit_cover < 0.1:
            continue
        if rotten:
            vis = float((S.rot > 0.5).sum()) / (ssf * ssf)
            if vis < max(16.0, 0.0012 * W * H):
                continue
        break
    return label, camera(rng, S, W, H)


def generate(out, count, seed, size=(128, 128)):
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    for f in FOLDERS:
        (out / f).mkdir(parents=True, exist_ok=True)
    for i in range(count):
        label, data = make_example(seed, i, W, H)
        with open(out / label / f"{NAME}_{seed}_{i:06d}.jpg", "wb") as fh:
            fh.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="128x128")
    a = ap.parse_args()
    W, H = (int(v) for v in a.size.lower().split("x"))
    generate(pathlib.Path(a.out), a.count, a.seed, (W, H))


if __name__ == "__main__":
    main()
