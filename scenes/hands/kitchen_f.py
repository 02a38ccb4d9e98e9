#!/usr/bin/env python3
# mypy: disable-error-code="misc"
"""kitchen_f -- procedural "camera over a cooking pan" scenes with per-pixel labels.

Labels (mask PNG, RGB): stirrer (255,0,0), pan + everything else (0,255,0), food (0,0,255).

The scene is built in 3-D (centimetres, z up, hob at z=0) and projected with a pinhole camera that
looks down on the hob from straight above to ~70 degrees from vertical, close (the pan is cut off) or
far (a whole hob with several pans).  Every object is rasterised with OpenCV (LINE_8, no
anti-aliasing) into the image and the label map in the same call order, so occlusion is identical in
both.  Lens distortion is applied to both afterwards (nearest neighbour for labels), sensor effects
only to the image.

Only numpy + OpenCV + the standard library.  Same seed -> same bytes.
"""
import argparse
import colorsys
import math
import pathlib

import numpy as np
import cv2

NAME = "kitchen_f"
BG, ST, FD = 0, 1, 2          # label ids: pan/background, stirrer, food
EMPTY = 255                   # "nothing drawn" in a layer
MASK_BGR = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)
SHIFT = 4
SCL = 16.0
ZN = 3.0                      # near clipping plane (cm)
UP = np.array([0.0, 0.0, 1.0])
LN = cv2.LINE_8


# ----------------------------------------------------------------------------- small helpers
def unit(v):
    v = np.asarray(v, np.float64)
    n = math.sqrt(float(v @ v))
    return v / n if n > 1e-12 else v


def q16(p):
    a = np.asarray(p, np.float64) * SCL
    np.clip(a, -1e7, 1e7, out=a)
    return np.rint(a, out=a).astype(np.int32)


def col(h, s, v):
    r, g, b = colorsys.hsv_to_rgb((h % 360.0) / 360.0, min(max(s, 0.0), 1.0), min(max(v, 0.0), 1.0))
    return np.array([b, g, r], np.float64)


def tup(c):
    return (float(c[0]), float(c[1]), float(c[2]))


def U(rng, a, b):
    return float(rng.uniform(a, b))


def pick(rng, items, w=None):
    if w is None:
        return items[int(rng.integers(len(items)))]
    w = np.asarray(w, np.float64)
    return items[int(rng.choice(len(items), p=w / w.sum()))]


def jit(rng, c, a=0.06):
    return np.clip(np.asarray(c) * (1.0 + rng.normal(0, a, 3)), 0, 1.2)


def vnoise(rng, h, w, cell):
    gh, gw = h // cell + 3, w // cell + 3
    small = rng.random((gh, gw), dtype=np.float32)
    big = cv2.resize(small, (gw * cell, gh * cell), interpolation=cv2.INTER_CUBIC)
    oy, ox = int(rng.integers(cell)), int(rng.integers(cell))
    return big[oy:oy + h, ox:ox + w]


def fractal(rng, h, w, cells=(40, 14, 5, 2), amps=(0.5, 0.28, 0.14, 0.08)):
    out = np.zeros((h, w), np.float32)
    for c, a in zip(cells, amps):
        out += np.float32(a) * vnoise(rng, h, w, c)
    return out


def ell_pts(cx, cy, ax, ay, ang=0.0, n=20):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    ca, sa = math.cos(ang), math.sin(ang)
    x, y = ax * np.cos(t), ay * np.sin(t)
    return np.stack([cx + ca * x - sa * y, cy + sa * x + ca * y], 1)


def clip_plane(P, n, d):
    """Keep the part of closed polygon P (N,3+) with P[:, :3].n >= d (Sutherland-Hodgman)."""
    if len(P) == 0:
        return P
    s = P[:, :3] @ n - d
    ge = s >= 0
    if ge.all():
        return P
    if not ge.any():
        return P[:0]
    out = []
    N = len(P)
    for i in range(N):
        j = i + 1 if i + 1 < N else 0
        if ge[i]:
            out.append(P[i])
        if ge[i] != ge[j]:
            t = s[i] / (s[i] - s[j])
            out.append(P[i] + t * (P[j] - P[i]))
    return np.array(out)


def clip_runs(Q, n, d):
    """Split open polyline rows Q (N,3+k) keeping Q[:, :3].n >= d; attributes are interpolated."""
    s = Q[:, :3] @ n - d
    ge = s >= 0
    if ge.all():
        return [Q]
    if not ge.any():
        return []
    runs, cur = [], None
    for i in range(len(Q)):
        if ge[i]:
            if cur is None:
                cur = []
                if i > 0:
                    t = s[i - 1] / (s[i - 1] - s[i])
                    cur.append(Q[i - 1] + t * (Q[i] - Q[i - 1]))
            cur.append(Q[i])
        elif cur is not None:
            t = s[i - 1] / (s[i - 1] - s[i])
            cur.append(Q[i - 1] + t * (Q[i] - Q[i - 1]))
            runs.append(np.array(cur))
            cur = None
    if cur is not None:
        runs.append(np.array(cur))
    return [r for r in runs if len(r) >= 2]


def zclip_poly(P, zlo, zhi):
    if zlo is not None:
        P = clip_plane(P, UP, zlo)
    if zhi is not None and len(P):
        P = clip_plane(P, -UP, -zhi)
    return P


def zclip_runs(Q, zlo, zhi):
    runs = [Q]
    if zlo is not None:
        runs = [r2 for r in runs for r2 in clip_runs(r, UP, zlo)]
    if zhi is not None:
        runs = [r2 for r in runs for r2 in clip_runs(r, -UP, -zhi)]
    return runs


_GRID: dict = {}


def grids(W, H):
    key = (W, H)
    if key not in _GRID:
        ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
        _GRID[key] = (xs, ys)
    return _GRID[key]


def rot_axis(v, axis, ang):
    """Rodrigues rotation of vector v about unit axis."""
    axis = unit(axis)
    c, s = math.cos(ang), math.sin(ang)
    return v * c + np.cross(axis, v) * s + axis * (axis @ v) * (1 - c)


# ----------------------------------------------------------------------------- camera
class Cam:
    def __init__(self, W, H, f, C, R, cx, cy):
        self.W, self.H, self.f, self.C, self.R, self.cx, self.cy = W, H, f, C, R, cx, cy
        self.K = np.array([[f, 0, cx], [0, f, cy], [0, 0, 1.0]])

    def cam(self, P):
        return (np.asarray(P, np.float64) - self.C) @ self.R.T

    def pc(self, Pc):
        z = np.maximum(Pc[..., 2], ZN * 0.5)
        return np.stack([self.f * Pc[..., 0] / z + self.cx, self.f * Pc[..., 1] / z + self.cy], -1)

    def proj(self, P):
        return self.pc(self.cam(P))

    def depth(self, P):
        return self.cam(P)[..., 2]

    def poly(self, P):
        Pc = self.cam(P[:, :3])
        if (Pc[:, 2] < ZN).any():
            Pc = clip_plane(Pc, UP, ZN)
            if len(Pc) < 3:
                return None
        return self.pc(Pc)

    def runs(self, Q):
        """open polyline rows [x y z attrs..] -> list of (p2, attrs, depth) clipped at the near plane"""
        Qc = np.array(Q, np.float64)
        Qc[:, :3] = self.cam(Q[:, :3])
        out = []
        for r in clip_runs(Qc, UP, ZN):
            out.append((self.pc(r[:, :3]), r[:, 3:], r[:, 2]))
        return out

    def ppc(self, P):
        return self.f / max(float(self.cam(P)[2]), ZN)

    def plane_H(self, z):
        R, C = self.R, self.C
        M = np.column_stack([R[:, 0], R[:, 1], z * R[:, 2] - R @ C])
        return self.K @ M

    def visible(self, P, margin=0.0):
        p = self.proj(P)
        return (-margin <= p[0] <= self.W + margin) and (-margin <= p[1] <= self.H + margin)


# ----------------------------------------------------------------------------- canvases
class Canvas:
    """An image + label pair that polygons are drawn into with identical rasterisation."""

    def __init__(self, img, lab, mat=None):
        self.img, self.lab, self.mat = img, lab, mat
        self.bb = None if mat is None else [1 << 30, 1 << 30, -(1 << 30), -(1 << 30)]

    def _upd(self, q, pad=0):
        bb = self.bb
        if bb is None:
            return
        lo = q.min(0)
        hi = q.max(0)
        bb[0] = min(bb[0], (int(lo[0]) >> 4) - pad - 1)
        bb[1] = min(bb[1], (int(lo[1]) >> 4) - pad - 1)
        bb[2] = max(bb[2], (int(hi[0]) >> 4) + pad + 2)
        bb[3] = max(bb[3], (int(hi[1]) >> 4) + pad + 2)

    def fill(self, p2, c, cls, mat=0, convex=False):
        if p2 is None or len(p2) < 3:
            return
        q = q16(p2)
        c = tup(c)
        self._upd(q)
        if convex:
            cv2.fillConvexPoly(self.img, q, c, LN, SHIFT)
            if cls is not None:
                cv2.fillConvexPoly(self.lab, q, int(cls), LN, SHIFT)
            if self.mat is not None:
                cv2.fillConvexPoly(self.mat, q, int(mat), LN, SHIFT)
        else:
            cv2.fillPoly(self.img, [q], c, LN, SHIFT)
            if cls is not None:
                cv2.fillPoly(self.lab, [q], int(cls), LN, SHIFT)
            if self.mat is not None:
                cv2.fillPoly(self.mat, [q], int(mat), LN, SHIFT)

    def hole(self, p2):
        if p2 is None or len(p2) < 3:
            return
        cv2.fillPoly(self.lab, [q16(p2)], EMPTY, LN, SHIFT)

    def line(self, p2, c, cls, th, mat=0, closed=False):
        if p2 is None or len(p2) < 2:
            return
        q = q16(p2)
        th = int(max(1, th))
        self._upd(q, th)
        cv2.polylines(self.img, [q], closed, tup(c), th, LN, SHIFT)
        if cls is not None:
            cv2.polylines(self.lab, [q], closed, int(cls), th, LN, SHIFT)
        if self.mat is not None:
            cv2.polylines(self.mat, [q], closed, int(mat), th, LN, SHIFT)

    def circle(self, c2, r, c, cls, mat=0):
        cc = tuple(int(v) for v in q16(c2))
        rr = int(round(max(r, 0.5) * SCL))
        self._upd(np.array([[cc[0] - rr, cc[1] - rr], [cc[0] + rr, cc[1] + rr]]))
        cv2.circle(self.img, cc, rr, tup(c), -1, LN, SHIFT)
        if cls is not None:
            cv2.circle(self.lab, cc, rr, int(cls), -1, LN, SHIFT)
        if self.mat is not None:
            cv2.circle(self.mat, cc, rr, int(mat), -1, LN, SHIFT)


def new_layer(H, W):
    return Canvas(np.zeros((H, W, 3), np.float32), np.full((H, W), EMPTY, np.uint8), np.zeros((H, W), np.uint8))


# ----------------------------------------------------------------------------- scene
class Scene:
    def __init__(self, rng, W, H):
        self.rng, self.W, self.H = rng, W, H
        self.img = np.zeros((H, W, 3), np.float32)
        self.lab = np.zeros((H, W), np.uint8)
        self.cv = Canvas(self.img, self.lab)
        self.n0 = fractal(rng, H, W)
        self.n1 = fractal(rng, H, W, cells=(24, 8, 3), amps=(0.5, 0.3, 0.2))
        self.deferred = []      # (layer, motion) composited after all pans
        self.hands = []
        self.pans = []
        self.objects = []

    # -- light ------------------------------------------------------------------------
    def shade(self, base, n, P=None, ks=0.0, shin=20.0, twosided=True):
        n = unit(n)
        if twosided and P is not None and float(n @ (self.cam.C - P)) < 0:
            n = -n
        d = max(0.0, float(n @ self.L))
        c = np.asarray(base, np.float64) * (self.amb + (1 - self.amb) * d)
        if ks > 0 and P is not None:
            v = unit(self.cam.C - P)
            h = unit(self.L + v)
            c = c + ks * max(0.0, float(n @ h)) ** shin
        return c

    def shade_many(self, base, N, P, ks=0.0, shin=20.0):
        """vectorised: base (3,) or (n,3); normals N (n,3) (unit); points P (n,3)"""
        V = self.cam.C - P
        V = V / np.linalg.norm(V, axis=1, keepdims=True)
        d = np.clip(N @ self.L, 0, None)
        c = np.asarray(base) * (self.amb + (1 - self.amb) * d)[:, None]
        if ks > 0:
            Hh = V + self.L
            Hh = Hh / np.linalg.norm(Hh, axis=1, keepdims=True)
            c = c + ks * (np.clip(np.sum(N * Hh, 1), 0, None) ** shin)[:, None]
        return c

    def spec_point(self, z):
        """point on the horizontal plane z where the light is mirrored into the camera"""
        C, L = self.cam.C, self.L
        t = (C[2] - z) / max(L[2], 0.05)
        return np.array([C[0] + t * L[0], C[1] + t * L[1], z])

    # -- masks and textures --------------------------------------------------------------
    def bbox(self, p2, pad=1):
        x0 = max(0, int(math.floor(p2[:, 0].min())) - pad)
        y0 = max(0, int(math.floor(p2[:, 1].min())) - pad)
        x1 = min(self.W, int(math.ceil(p2[:, 0].max())) + pad + 1)
        y1 = min(self.H, int(math.ceil(p2[:, 1].max())) + pad + 1)
        if x1 <= x0 or y1 <= y0:
            return None
        return x0, y0, x1, y1

    def mask_of(self, p2):
        if p2 is None or len(p2) < 3:
            return None
        bb = self.bbox(p2)
        if bb is None:
            return None
        x0, y0, x1, y1 = bb
        m = np.zeros((y1 - y0, x1 - x0), np.uint8)
        cv2.fillPoly(m, [q16(p2 - np.array([x0, y0]))], 1, LN, SHIFT)
        return x0, y0, m.view(bool)

    def fill_tex(self, p2, fn, cls):
        r = self.mask_of(p2)
        if r is None:
            return None
        x0, y0, mb = r
        h, w = mb.shape
        tex = fn(x0, y0, w, h)
        np.copyto(self.img[y0:y0 + h, x0:x0 + w], tex, where=mb[..., None])
        if cls is not None:
            self.lab[y0:y0 + h, x0:x0 + w][mb] = cls
        return r

    def plane_xy(self, z, x0, y0, w, h):
        """world x,y of the pixels of a bbox on the horizontal plane z"""
        Hi = np.linalg.inv(self.cam.plane_H(z))
        xs, ys = grids(self.W, self.H)
        u = xs[y0:y0 + h, x0:x0 + w]
        v = ys[y0:y0 + h, x0:x0 + w]
        a = Hi[0, 0] * u + Hi[0, 1] * v + Hi[0, 2]
        b = Hi[1, 0] * u + Hi[1, 1] * v + Hi[1, 2]
        c = Hi[2, 0] * u + Hi[2, 1] * v + Hi[2, 2]
        c = np.where(np.abs(c) < 1e-9, 1e-9, c)
        return a / c, b / c

    def composite(self, layer, motion=None):
        bb = layer.bb
        pad = 0 if motion is None else motion.shape[0]
        x0, y0 = max(0, bb[0] - pad), max(0, bb[1] - pad)
        x1, y1 = min(self.W, bb[2] + pad), min(self.H, bb[3] + pad)
        if x1 <= x0 or y1 <= y0:
            return
        li = layer.img[y0:y1, x0:x1]
        ll = layer.lab[y0:y1, x0:x1]
        m = ll != EMPTY
        img = self.img[y0:y1, x0:x1]
        if motion is not None:
            k = motion
            a = cv2.filter2D(m.astype(np.float32), -1, k, borderType=cv2.BORDER_CONSTANT)
            pre = cv2.filter2D(li * m[..., None], -1, k, borderType=cv2.BORDER_CONSTANT)
            img *= (1 - a)[..., None]
            img += pre
        else:
            np.copyto(img, li, where=m[..., None])
        np.copyto(self.lab[y0:y1, x0:x1], ll, where=m)


# ----------------------------------------------------------------------------- surface textures (world-tiled)
def surf_col(rng, v0=0.1, v1=0.95):
    s = U(rng, 0, 0.22) if rng.random() < 0.8 else U(rng, 0.2, 0.55)
    return col(U(rng, 0, 360), s, U(rng, v0, v1))


def tex_wood(rng, n=256, vertical=False):
    base = col(U(rng, 18, 40), U(rng, 0.3, 0.72), U(rng, 0.3, 0.85))
    grain = cv2.resize(rng.random((n, 5), dtype=np.float32), (n, n), interpolation=cv2.INTER_LINEAR)
    fine = cv2.resize(rng.random((n, 40), dtype=np.float32), (n, n), interpolation=cv2.INTER_LINEAR)
    pw = int(U(rng, 18, 70))
    rows = np.arange(n) // pw
    fac = rng.uniform(0.78, 1.18, rows.max() + 1).astype(np.float32)[rows]
    t = (0.72 + 0.3 * grain + 0.12 * fine) * fac[:, None]
    seam = (np.arange(n) % pw) == 0
    t[seam] *= 0.55
    out = base[None, None, :].astype(np.float32) * t[..., None]
    return np.ascontiguousarray(out.transpose(1, 0, 2)) if vertical else out


def tex_stone(rng, n=256):
    base = col(U(rng, 0, 360), U(rng, 0.0, 0.25), U(rng, 0.15, 0.85))
    t = (0.8 + 0.35 * fractal(rng, n, n, cells=(64, 16, 4), amps=(0.5, 0.3, 0.2)))[..., None] * base[None, None]
    d = rng.random((n, n), dtype=np.float32)
    sp = cv2.GaussianBlur(d, (0, 0), 0.6)
    dark = (d < U(rng, 0.05, 0.25))
    light = (d > U(rng, 0.85, 0.97))
    t[dark] *= 0.45
    t[light] = t[light] * 0.5 + 0.5 * col(U(rng, 0, 360), U(rng, 0, .3), U(rng, .7, 1))
    t *= (0.95 + 0.1 * sp)[..., None]
    return t.astype(np.float32)


def tex_marble(rng, n=256):
    base = col(U(rng, 20, 60), U(rng, 0, 0.1), U(rng, 0.75, 0.95))
    turb = fractal(rng, n, n, cells=(64, 24, 8), amps=(0.6, 0.3, 0.1))
    xs = np.arange(n, dtype=np.float32)[None, :]
    v = np.abs(np.sin((xs * U(rng, 0.01, 0.04) + turb * U(rng, 4, 9)) * np.pi))
    vein = (1 - v) ** 10
    t = base[None, None] * (1 - U(rng, 0.25, 0.6) * vein[..., None])
    return t.astype(np.float32)


def tex_tiles(rng, n=256, brick=False):
    ts = int(pick(rng, [32, 43, 64, 85, 128]))
    th = ts // 2 if brick else ts
    gw = int(U(rng, 1.5, 4))
    base = surf_col(rng, 0.4, 0.95)
    grout = col(U(rng, 0, 360), U(rng, 0, 0.15), U(rng, 0.2, 0.85))
    yy, xx = np.mgrid[0:n, 0:n]
    row = yy // th
    xo = xx + (row % 2) * (ts // 2) * (1 if brick else 0)
    tid = row * 97 + (xo // ts) % 97
    var = rng.uniform(0.88, 1.1, tid.max() + 1).astype(np.float32)[tid]
    t = base[None, None].astype(np.float32) * var[..., None]
    t *= (0.94 + 0.1 * fractal(rng, n, n, cells=(32, 6), amps=(0.6, 0.4)))[..., None]
    g = ((yy % th) < gw) | ((xo % ts) < gw)
    t[g] = grout
    return t.astype(np.float32)


def tex_solid(rng, n=256):
    base = surf_col(rng)
    t = base[None, None] * (0.93 + 0.12 * fractal(rng, n, n, cells=(64, 8, 2), amps=(0.5, 0.3, 0.2)))[..., None]
    return t.astype(np.float32)


def tex_steel(rng, n=256):
    v = U(rng, 0.45, 0.8)
    s = cv2.resize(rng.random((n, 3), dtype=np.float32), (n, n), interpolation=cv2.INTER_LINEAR)
    f = cv2.resize(rng.random((n, 64), dtype=np.float32), (n, n), interpolation=cv2.INTER_LINEAR)
    t = v * (0.85 + 0.2 * s + 0.08 * f)
    c = np.array([1.02, 1.0, 0.97], np.float32)
    return (t[..., None] * c[None, None]).astype(np.float32)


def counter_texture(rng):
    k = pick(rng, ['wood', 'stone', 'marble', 'tiles', 'solid', 'steel'], [25, 22, 12, 12, 18, 11])
    return {'wood': tex_wood, 'stone': tex_stone, 'marble': tex_marble, 'tiles': tex_tiles,
            'solid': tex_solid, 'steel': tex_steel}[k](rng)


def wall_texture(rng):
    k = pick(rng, ['subway', 'tiles', 'paint', 'wood', 'stone'], [30, 20, 30, 10, 10])
    if k == 'subway':
        return tex_tiles(rng, brick=True)
    if k == 'tiles':
        return tex_tiles(rng)
    if k == 'wood':
        return tex_wood(rng, vertical=True)
    if k == 'stone':
        return tex_stone(rng)
    return tex_solid(rng)


def warp_plane(sc, tex, Hw, A):
    H = Hw @ A
    return cv2.warpPerspective(tex, H, (sc.W, sc.H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)


def draw_background(sc, world):
    """wall, floor, counter, hob surface"""
    rng, cam = sc.rng, sc.cam
    R, C = cam.R, cam.C
    Yw = world['Yw']
    yf = world['yfront']
    big = 600.0
    # wall (vertical plane y = Yw)
    wall = np.array([[-big, Yw, 0], [big, Yw, 0], [big, Yw, 300], [-big, Yw, 300]], np.float64)
    p2 = cam.poly(wall)
    if p2 is not None and sc.bbox(p2) is not None:
        tex = wall_texture(rng)
        s = U(rng, 0.25, 0.5)
        M = np.column_stack([R[:, 0], R[:, 2], Yw * R[:, 1] - R @ C])
        A = np.array([[s, 0, -big], [0, -s, 300.0], [0, 0, 1]])
        wimg = warp_plane(sc, tex, cam.K @ M, A)
        wimg *= np.float32(U(rng, 0.6, 1.0))
        sc.fill_tex(p2, lambda x0, y0, w, h: wimg[y0:y0 + h, x0:x0 + w], BG)
    # floor and cabinet front (only seen in far, tilted views)
    floor = np.array([[-big, -big, -90], [big, -big, -90], [big, yf, -90], [-big, yf, -90]])
    p2 = cam.poly(floor)
    if p2 is not None:
        c = col(U(rng, 0, 360), U(rng, 0, .3), U(rng, .1, .5))
        sc.fill_tex(p2, lambda x0, y0, w, h: (c[None, None] * (0.8 + 0.3 * sc.n1[y0:y0 + h, x0:x0 + w, None])).astype(np.float32), BG)
    front = np.array([[-big, yf, -90], [big, yf, -90], [big, yf, 0], [-big, yf, 0]])
    p2 = cam.poly(front)
    if p2 is not None:
        c = col(U(rng, 0, 360), U(rng, 0, .4), U(rng, .15, .9))
        sc.cv.fill(p2, c * 0.7, BG)
    # counter top (z = 0)
    top = np.array([[-big, yf, 0], [big, yf, 0], [big, Yw, 0], [-big, Yw, 0]])
    p2 = cam.poly(top)
    tex = counter_texture(rng)
    s = U(rng, 0.2, 0.45)
    ang = rng.uniform(0, np.pi) if rng.random() < 0.3 else 0.0
    ca, sa = math.cos(ang), math.sin(ang)
    A = np.array([[s * ca, -s * sa, 0], [s * sa, s * ca, 0], [0, 0, 1]])
    cimg = warp_plane(sc, tex, cam.plane_H(0.0), A)
    sc.fill_tex(p2, lambda x0, y0, w, h: cimg[y0:y0 + h, x0:x0 + w], BG)
    # counter front edge strip
    edge = np.array([[-big, yf, -3], [big, yf, -3], [big, yf, 0], [-big, yf, 0]])
    p2 = cam.poly(edge)
    if p2 is not None:
        sc.cv.fill(p2, tex.mean((0, 1)) * 0.6, BG)
    draw_hob(sc, world)


def draw_hob(sc, world):
    rng, cam = sc.rng, sc.cam
    hob = world['hob']
    if hob is None:
        return
    hw, hd, kind = hob['hw'], hob['hd'], hob['kind']
    zt = hob['zt']
    rect = np.array([[-hw, -hd, zt], [hw, -hd, zt], [hw, hd, zt], [-hw, hd, zt]], np.float64)
    # frame (a thin steel or black rim around the hob)
    fr = 1.2
    rectf = np.array([[-hw - fr, -hd - fr, zt], [hw + fr, -hd - fr, zt], [hw + fr, hd + fr, zt], [-hw - fr, hd + fr, zt]])
    p2f = cam.poly(rectf)
    if p2f is not None:
        sc.cv.fill(p2f, col(0, 0, U(rng, 0.05, 0.7)), BG)
    n = 320
    m = int(n * hd / hw)
    s = 2 * hw / n
    A = np.array([[s, 0, -hw], [0, -s, hd], [0, 0, 1]])

    def w2t(x, y):
        return (x + hw) / s, (hd - y) / s

    if kind in ('glass', 'coil'):
        if kind == 'glass':
            base = col(U(rng, 0, 360), U(rng, 0, .3), U(rng, 0.02, 0.09))
            t = np.empty((m, n, 3), np.float32)
            t[:] = base
            refl = fractal(rng, m, n, cells=(96, 32), amps=(0.8, 0.2))
            t += (np.clip(refl - 0.55, 0, 1) * U(rng, 0.1, 0.5))[..., None]
            dust = rng.random((m, n), dtype=np.float32) > 0.995
            t[dust] += 0.12
            ring_c = tup(col(pick(rng, [0, 30, 200]), U(rng, 0, .5), U(rng, 0.35, 0.75)))
        else:
            base = col(U(rng, 0, 360), U(rng, 0, .15), pick(rng, [U(rng, .05, .15), U(rng, .75, .92)]))
            t = np.empty((m, n, 3), np.float32)
            t[:] = base
            t *= (0.92 + 0.12 * fractal(rng, m, n, cells=(32, 4), amps=(.6, .4)))[..., None]
        for (bx, by, br) in hob['burners']:
            u, v = w2t(bx, by)
            c = (int(u * 16), int(v * 16))
            if kind == 'glass':
                cv2.circle(t, c, int(br / s * 16), ring_c, 1, cv2.LINE_AA, 4)
                if rng.random() < 0.4:
                    cv2.circle(t, c, int(br * 0.6 / s * 16), ring_c, 1, cv2.LINE_AA, 4)
            else:
                cv2.circle(t, c, int((br + 1.5) / s * 16), (0.75, 0.75, 0.75), -1, cv2.LINE_AA, 4)
                cv2.circle(t, c, int((br + 0.6) / s * 16), (0.5, 0.5, 0.52), -1, cv2.LINE_AA, 4)
                for k in range(5):
                    rr = br * (0.25 + 0.16 * k)
                    cv2.circle(t, c, int(rr / s * 16), (0.07, 0.07, 0.08), max(1, int(1.1 / s)), cv2.LINE_AA, 4)
        # control marks at the front edge
        if kind == 'glass':
            for k in range(int(rng.integers(2, 8))):
                u, v = w2t(U(rng, -hw * 0.8, hw * 0.8), -hd + U(rng, 2, 5))
                cv2.circle(t, (int(u * 16), int(v * 16)), int(U(rng, 0.5, 1.5) / s * 16), ring_c, 1, cv2.LINE_AA, 4)
        himg = warp_plane(sc, t, cam.plane_H(zt), A)
        # the warp uses BORDER_WRAP; mask with the hob polygon
        p2 = cam.poly(rect)
        sc.fill_tex(p2, lambda x0, y0, w, h: himg[y0:y0 + h, x0:x0 + w], BG)
    elif kind == 'gas':
        t = tex_steel(rng) if rng.random() < 0.55 else tex_solid(rng) * 0.2
        t = cv2.resize(t, (n, m))
        himg = warp_plane(sc, t, cam.plane_H(zt), A)
        p2 = cam.poly(rect)
        sc.fill_tex(p2, lambda x0, y0, w, h: himg[y0:y0 + h, x0:x0 + w], BG)
        gcol = col(0, 0, U(rng, 0.04, 0.14))
        for (bx, by, br) in hob['burners']:
            # burner base, cap
            lathe(sc, bx, by, zt, [(0, br * 0.75), (0.6, br * 0.7), (0.8, br * 0.5), (1.4, br * 0.48)],
                  [col(0, 0, U(rng, 0.45, 0.7)), col(0, 0, 0.35), col(0, 0, 0.1)], ks=0.4, nseg=28, capc=col(0, 0, 0.08))
        # grates: per burner a square frame and radial fingers, at height gh
        gh = hob['gh']
        for (bx, by, br) in hob['burners']:
            hsz = br * 1.45
            sq = np.array([[bx - hsz, by - hsz], [bx + hsz, by - hsz], [bx + hsz, by + hsz], [bx - hsz, by + hsz], [bx - hsz, by - hsz]])
            bars = [np.column_stack([sq[:, 0], sq[:, 1], np.full(5, zt + gh)])]
            nf = int(pick(rng, [4, 5, 6]))
            a0 = U(rng, 0, np.pi)
            for k in range(nf):
                a = a0 + 2 * np.pi * k / nf
                r0, r1 = br * 0.55, hsz / max(abs(math.cos(a)), abs(math.sin(a)))
                bars.append(np.array([[bx + r0 * math.cos(a), by + r0 * math.sin(a), zt + gh],
                                      [bx + r1 * math.cos(a), by + r1 * math.sin(a), zt + gh]]))
            for b in bars:
                for p2, _, dep in cam.runs(b):
                    th = max(1, int(round(1.2 * cam.f / dep.mean())))
                    sc.cv.line(p2, gcol, BG, th)
                    if th >= 3:
                        sc.cv.line(p2, gcol + 0.12, BG, max(1, th // 3))
    # knobs at the front
    if hob.get('knobs') and rng.random() < 0.8:
        nk = int(rng.integers(2, 6))
        kc = col(0, 0, U(rng, 0.05, 0.8))
        for k in range(nk):
            x = -hw + (k + 0.5) * 2 * hw / nk
            lathe(sc, x, -hd - 4.0, 0.0, [(0, 2.0), (1.5, 2.0), (2.5, 1.6)], [kc, kc * 0.9], ks=0.3, nseg=16, capc=kc * 1.1)


# ----------------------------------------------------------------------------- lathe objects (bottles, jars, knobs, lids)
def lathe(sc, cx, cy, z0, prof, cols, ks=0.3, shin=20.0, nseg=32, capc=None, cls=BG, cv=None, open_top=None):
    """prof: [(z, r), ...] bottom->top (relative z); cols: colour per band.  Draws front faces + cap."""
    cam = sc.cam
    cv = cv or sc.cv
    th = np.linspace(0, 2 * np.pi, nseg, endpoint=False)
    cs, sn = np.cos(th), np.sin(th)
    # quick reject
    ctr = np.array([cx, cy, z0 + prof[-1][0] * 0.5])
    if cam.depth(ctr) < ZN:
        return
    rmax = max(r for _, r in prof)
    pp = cam.proj(ctr)
    rad = (rmax + prof[-1][0]) * cam.ppc(ctr)
    if pp[0] < -rad or pp[0] > sc.W + rad or pp[1] < -rad or pp[1] > sc.H + rad:
        return
    rings = [np.column_stack([cx + r * cs, cy + r * sn, np.full(nseg, z0 + z)]) for z, r in prof]
    for b in range(len(prof) - 1):
        (z1, r1), (z2, r2) = prof[b], prof[b + 1]
        A, B = rings[b], rings[b + 1]
        nz = (r1 - r2)
        hz = (z2 - z1)
        N = np.column_stack([cs * hz, sn * hz, np.full(nseg, nz)])
        N /= np.maximum(np.linalg.norm(N, axis=1, keepdims=True), 1e-9)
        Pm = 0.5 * (A + B)
        vis = np.sum(N * (cam.C - Pm), 1) > 0
        if not vis.any():
            continue
        base = cols[min(b, len(cols) - 1)]
        cc = sc.shade_many(base, N, Pm, ks, shin)
        A2, B2 = cam.proj(A), cam.proj(B)
        for i in np.nonzero(vis)[0]:
            j = (i + 1) % nseg
            quad = np.array([A2[i], A2[j], B2[j], B2[i]])
            cv.fill(quad, cc[i], cls, convex=True)
    top = rings[-1]
    if open_top is not None:
        cv.fill(cam.proj(top), open_top, cls)
    elif capc is not None and prof[-1][1] > 0:
        cv.fill(cam.proj(top), sc.shade(capc, UP), cls)


# ----------------------------------------------------------------------------- pans
class Pan:
    pass


def metal_col(rng, v0=0.5, v1=0.85):
    v = U(rng, v0, v1)
    return np.array([v * U(rng, 0.98, 1.06), v, v * U(rng, 0.93, 1.01)])


def make_pan(rng, cx, cy, z0, kind=None, max_r=None):
    p = Pan()
    p.kind = kind or pick(rng, ['skillet', 'saute', 'saucepan', 'pot', 'wok', 'dutch', 'griddle'], [30, 14, 16, 13, 12, 9, 6])
    k = p.kind
    handles = []
    if k == 'skillet':
        rr, h = U(rng, 10, 15), U(rng, 3.5, 6)
        rb = rr - h * U(rng, 0.35, 0.9)
        handles = ['long'] + (['helper'] if rng.random() < 0.25 else [])
    elif k == 'saute':
        rr, h = U(rng, 11, 15), U(rng, 6, 9)
        rb = rr - U(rng, 0, 1.5)
        handles = ['long'] + (['helper'] if rng.random() < 0.5 else [])
    elif k == 'saucepan':
        rr, h = U(rng, 7, 11), U(rng, 8, 14)
        rb = rr - U(rng, 0, 0.8)
        handles = ['long']
    elif k == 'pot':
        rr, h = U(rng, 10, 16), U(rng, 11, 22)
        rb = rr - U(rng, 0, 0.6)
        handles = ['loops']
    elif k == 'wok':
        rr, h = U(rng, 14, 18), U(rng, 6, 9)
        rb = rr * U(rng, 0.35, 0.5)
        handles = [pick(rng, ['long', 'loops', 'longhelper'])]
    elif k == 'dutch':
        rr, h = U(rng, 11, 14), U(rng, 9, 13)
        rb = rr - U(rng, 0, 0.8)
        handles = ['lugs']
    else:  # griddle / crepe
        rr, h = U(rng, 12, 15), U(rng, 1.5, 2.5)
        rb = rr - U(rng, 0.5, 1.5)
        handles = ['long']
    if max_r is not None and rr > max_r:
        s = max_r / rr
        rr, rb = rr * s, rb * s
    p.cx, p.cy, p.z0, p.rr, p.rb, p.h = cx, cy, z0, rr, max(rb, 2.0), h
    p.zr = z0 + h
    p.wt = U(rng, 0.2, 0.7)
    p.handles = handles
    p.hang = U(rng, 0, 2 * np.pi)
    # materials
    outer = pick(rng, ['steel', 'black', 'enamel', 'copper', 'castiron', 'alu'], [30, 22, 16, 7, 12, 13])
    if k == 'dutch':
        outer = pick(rng, ['enamel', 'castiron'], [75, 25])
    p.outer = outer
    if outer == 'steel':
        p.ocol, p.oks, p.ometal = metal_col(rng, 0.55, 0.9), U(rng, 0.4, 0.9), True
    elif outer == 'black':
        p.ocol, p.oks, p.ometal = col(U(rng, 0, 360), U(rng, 0, 0.2), U(rng, 0.04, 0.15)), U(rng, 0.1, 0.35), False
    elif outer == 'enamel':
        p.ocol, p.oks, p.ometal = col(U(rng, 0, 360), U(rng, 0.35, 0.9), U(rng, 0.3, 0.85)), U(rng, 0.2, 0.5), False
    elif outer == 'copper':
        p.ocol, p.oks, p.ometal = col(U(rng, 15, 28), U(rng, 0.5, 0.75), U(rng, 0.45, 0.8)), U(rng, 0.4, 0.8), True
    elif outer == 'castiron':
        p.ocol, p.oks, p.ometal = col(0, 0, U(rng, 0.05, 0.12)), U(rng, 0.03, 0.12), False
    else:
        p.ocol, p.oks, p.ometal = metal_col(rng, 0.5, 0.7), U(rng, 0.15, 0.4), True
    if outer in ('steel', 'copper'):
        inner = pick(rng, ['steel', 'nonstick'], [80, 20])
    elif outer == 'enamel':
        inner = pick(rng, ['enamel_light', 'enamel_dark', 'nonstick', 'ceramic'], [45, 20, 20, 15])
    elif outer == 'castiron':
        inner = 'castiron'
    else:
        inner = pick(rng, ['nonstick', 'ceramic', 'steel', 'alu'], [55, 20, 10, 15])
    p.inner = inner
    if inner == 'steel':
        p.icol, p.iks = metal_col(rng, 0.5, 0.85), U(rng, 0.3, 0.8)
    elif inner == 'nonstick':
        p.icol, p.iks = col(U(rng, 0, 360), U(rng, 0, 0.25), U(rng, 0.05, 0.2)), U(rng, 0.1, 0.35)
    elif inner == 'ceramic':
        p.icol, p.iks = col(U(rng, 20, 140), U(rng, 0, 0.35), U(rng, 0.55, 0.95)), U(rng, 0.15, 0.4)
    elif inner == 'enamel_light':
        p.icol, p.iks = col(U(rng, 35, 55), U(rng, 0.05, 0.25), U(rng, 0.75, 0.95)), U(rng, 0.2, 0.4)
    elif inner == 'enamel_dark':
        p.icol, p.iks = col(0, 0, U(rng, 0.08, 0.2)), U(rng, 0.2, 0.4)
    elif inner == 'alu':
        p.icol, p.iks = metal_col(rng, 0.45, 0.65), U(rng, 0.1, 0.3)
    else:
        p.icol, p.iks = col(0, 0, U(rng, 0.06, 0.12)), U(rng, 0.05, 0.15)
    p.rimcol = p.ocol * U(rng, 1.0, 1.3) if p.ometal else (p.icol if rng.random() < 0.4 else p.ocol)
    p.tools = []
    p.recipe = None
    p.lid = None
    p.spills = False
    # handle material
    hm = pick(rng, ['same', 'black', 'wood', 'steel'], [30, 35, 15, 20])
    if hm == 'same':
        p.hcol, p.hks, p.hflat = p.ocol, p.oks, rng.random() < 0.6
    elif hm == 'black':
        p.hcol, p.hks, p.hflat = col(0, 0, U(rng, 0.03, 0.14)), U(rng, 0.15, 0.4), rng.random() < 0.3
    elif hm == 'wood':
        p.hcol, p.hks, p.hflat = col(U(rng, 20, 38), U(rng, 0.35, 0.7), U(rng, 0.3, 0.75)), 0.1, False
    else:
        p.hcol, p.hks, p.hflat = metal_col(rng), 0.7, rng.random() < 0.7
    return p


def pan_r_at(p, z):
    """inner radius at height z (absolute)"""
    t = min(max((z - p.z0) / p.h, 0.0), 1.0)
    return p.rb + (p.rr - p.rb) * t


def pan_handle_prims(sc, p):
    """returns list of (depth, prims) for the pan's handles (background class)"""
    rng = sc.rng
    out = []
    ro = p.rr + p.wt
    for hk in p.handles:
        if hk in ('long', 'longhelper'):
            a = p.hang
            d = np.array([math.cos(a), math.sin(a), 0.0])
            b = np.array([-d[1], d[0], 0.0])
            el = math.radians(U(rng, 5, 28))
            L = U(rng, 15, 24) * (1.1 if p.kind == 'wok' else 1.0)
            ax = unit(d * math.cos(el) + UP * math.sin(el))
            P0 = np.array([p.cx, p.cy, 0]) + d * (ro - 0.3) + UP * (p.zr - max(1.0, p.h * 0.25))
            prims = []
            if p.hflat:
                w0, w1 = U(rng, 1.6, 2.6), U(rng, 2.2, 3.6)
                ss = np.linspace(0, L, 8)
                wid = w0 + (w1 - w0) * (ss / L) ** 0.7
                S = P0[None] + ss[:, None] * ax[None]
                left = S + b[None] * wid[:, None] / 2
                right = S - b[None] * wid[:, None] / 2
                # rounded end
                ang = np.linspace(0, np.pi, 7)[1:-1]
                endc = S[-1]
                cap = endc[None] + (np.cos(ang)[:, None] * b[None] * wid[-1] / 2 + np.sin(ang)[:, None] * ax[None] * wid[-1] / 2)
                poly = np.vstack([left, cap, right[::-1]])
                n = np.cross(b, ax)
                c = sc.shade(p.hcol, n, S[4], p.hks, 30)
                prims.append(dict(k='poly', P=poly, c=c, cls=BG, mat=2 if p.hks > 0.5 else 0))
                # rim bevel line
                prims.append(dict(k='line', P=left, c=c * 1.25, th=0.15, cls=BG))
                if rng.random() < 0.7:
                    hc = S[-1] - ax * wid[-1] * 0.55
                    hr = wid[-1] * U(rng, 0.18, 0.3)
                    t = np.linspace(0, 2 * np.pi, 12, endpoint=False)
                    hole = hc[None] + hr * (np.cos(t)[:, None] * b[None] + 1.6 * np.sin(t)[:, None] * ax[None])
                    prims.append(dict(k='hole', P=hole))
                for rv in range(int(pick(rng, [0, 2, 2, 3]))):
                    rc = P0 + ax * 1.2 + b * (rv - 0.5) * 1.0 + n * 0.1
                    t = np.linspace(0, 2 * np.pi, 8, endpoint=False)
                    prims.append(dict(k='poly', P=rc[None] + 0.3 * (np.cos(t)[:, None] * b + np.sin(t)[:, None] * ax),
                                      c=c * 1.3 + 0.1, cls=BG))
            else:
                r0 = U(rng, 0.8, 1.3)
                ss = np.array([0, 0.12, 0.3, 0.6, 0.85, 1.0]) * L
                S = P0[None] + ss[:, None] * ax[None]
                R = r0 * np.array([0.75, 0.9, 1.0, 1.05, 1.1, 1.0])
                Cc = np.tile(p.hcol, (len(ss), 1))
                if rng.random() < 0.4:
                    Cc[0] = p.ocol
                prims.append(dict(k='tube', S=S, R=R, C=Cc, cls=BG, mat=0, ks=p.hks, shin=25))
            out.append((sc.cam.depth(P0 + ax * L * 0.5), prims))
        if hk in ('loops', 'helper', 'longhelper', 'lugs'):
            angs = [p.hang, p.hang + np.pi] if hk in ('loops', 'lugs') else [p.hang + np.pi]
            for a in angs:
                d = np.array([math.cos(a), math.sin(a), 0.0])
                b = np.array([-d[1], d[0], 0.0])
                base = np.array([p.cx, p.cy, 0]) + d * (ro - 0.2) + UP * (p.zr - 1.5)
                if hk == 'lugs':
                    t = np.linspace(0, np.pi, 9)
                    poly = np.vstack([base + b * 4 * math.cos(tt) + d * 3.0 * math.sin(tt) for tt in t])
                    c = sc.shade(p.ocol, UP, base, p.oks)
                    prims = [dict(k='poly', P=poly, c=c, cls=BG)]
                else:
                    wdt, ext = U(rng, 4, 8), U(rng, 2.5, 4.5)
                    t = np.linspace(0, np.pi, 9)
                    arc = np.array([base + b * (wdt / 2) * math.cos(tt) + d * ext * math.sin(tt) + UP * U(rng, -0.1, 0.1) for tt in t])
                    c = p.hcol if rng.random() < 0.5 else p.ocol
                    prims = [dict(k='line', P=arc, c=sc.shade(c, UP, base, 0.3), th=U(rng, 0.7, 1.3), cls=BG),
                             dict(k='line', P=arc + UP * 0.2, c=sc.shade(c, UP, base, 0.3) * 1.3 + 0.05, th=0.25, cls=BG)]
                out.append((sc.cam.depth(base + d * 2), prims))
    return out


def draw_prims_layer(sc, prims, zlo=None, zhi=None, cls_over=None):
    L = new_layer(sc.H, sc.W)
    render_prims(sc, prims, L, zlo, zhi, cls_over)
    sc.composite(L)


def pan_rings(p, n=48):
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    cs, sn = np.cos(th), np.sin(th)
    ro, rbo = p.rr + p.wt, p.rb + p.wt
    z1 = p.zr
    top_o = np.column_stack([p.cx + ro * cs, p.cy + ro * sn, np.full(n, z1)])
    top_i = np.column_stack([p.cx + p.rr * cs, p.cy + p.rr * sn, np.full(n, z1)])
    bot_o = np.column_stack([p.cx + rbo * cs, p.cy + rbo * sn, np.full(n, p.z0)])
    bot_i = np.column_stack([p.cx + p.rb * cs, p.cy + p.rb * sn, np.full(n, p.z0 + 0.3)])
    return cs, sn, top_o, top_i, bot_o, bot_i


def draw_pan(sc, p):
    rng, cam = sc.rng, sc.cam
    n = 48
    cs, sn, top_o, top_i, bot_o, bot_i = pan_rings(p, n)
    hp = pan_handle_prims(sc, p)
    dc = cam.depth(np.array([p.cx, p.cy, p.zr]))
    # spills on the hob next to the pan (food, drawn before the pan body)
    if p.spills and p.recipe is not None:
        draw_spills(sc, p)
    # handles on the far side first
    for dep, prims in hp:
        if dep > dc:
            draw_prims_layer(sc, prims)
    # body silhouette
    hull = cv2.convexHull(np.vstack([cam.proj(top_o), cam.proj(bot_o)]).astype(np.float32))[:, 0, :]
    sc.cv.fill(hull, p.ocol * sc.amb, BG)
    # inner walls facing the camera
    dr = p.rr - p.rb
    Nin = np.column_stack([-cs * p.h, -sn * p.h, np.full(n, dr)])
    Nin /= np.linalg.norm(Nin, axis=1, keepdims=True)
    Pm = 0.5 * (top_i + bot_i)
    vis = np.sum(Nin * (cam.C - Pm), 1) > 0
    env = 1.0 + (0.35 * np.sin(3 * np.arange(n) * 2 * np.pi / n + U(rng, 0, 6)) if p.inner in ('steel', 'alu') else 0.0)
    ci = sc.shade_many(p.icol, Nin, Pm, p.iks * 0.5, 20) * (np.asarray(env).reshape(-1, 1) if np.ndim(env) else env)
    T2, B2 = cam.proj(top_i), cam.proj(bot_i)
    for i in np.nonzero(vis)[0]:
        j = (i + 1) % n
        sc.cv.fill(np.array([T2[i], T2[j], B2[j], B2[i]]), ci[i], BG, convex=True)
    # bottom
    draw_pan_bottom(sc, p, B2)
    # food
    if p.recipe is not None:
        draw_food(sc, p)
        r = sc.mask_of(TI_ := cam.proj(top_i))
        if r is not None:
            x0, y0, mb = r
            h, w = mb.shape
            fm = mb & (sc.lab[y0:y0 + h, x0:x0 + w] == FD)
            tex = 0.88 + 0.24 * sc.n1[y0:y0 + h, x0:x0 + w]
            sc.img[y0:y0 + h, x0:x0 + w][fm] *= tex[fm][:, None]
    # lid variants handled after walls
    # tools: shadows, in-pan parts, occluding food
    for t in p.tools:
        tool_shadow(sc, t, p)
    for t in p.tools:
        draw_tool_in(sc, t, p)
    # front outer wall (layer, minus the opening)
    L = new_layer(sc.H, sc.W)
    No = np.column_stack([cs * p.h, sn * p.h, np.full(n, -dr)])
    No /= np.linalg.norm(No, axis=1, keepdims=True)
    Pm = 0.5 * (top_o + bot_o)
    vis = np.sum(No * (cam.C - Pm), 1) > 0
    env = (1.0 + 0.45 * np.sin(2 * np.arange(n) * 2 * np.pi / n + U(rng, 0, 6))) if p.ometal else np.ones(n)
    co = sc.shade_many(p.ocol, No, Pm, p.oks, 25) * env[:, None]
    TO, BO = cam.proj(top_o), cam.proj(bot_o)
    for i in np.nonzero(vis)[0]:
        j = (i + 1) % n
        L.fill(np.array([TO[i], TO[j], BO[j], BO[i]]), co[i], BG, convex=True)
    opening = cam.proj(top_i)
    L.hole(opening)
    sc.composite(L)
    # rim ring
    TI = opening
    rim_c = sc.shade_many(p.rimcol, np.tile(UP, (n, 1)), top_o, 0.6 if p.ometal else 0.3, 30)
    rim_c *= (1 + 0.25 * np.sin(np.arange(n) * 2 * np.pi / n * 2 + U(rng, 0, 6)))[:, None]
    for i in range(n):
        j = (i + 1) % n
        sc.cv.fill(np.array([TO[i], TO[j], TI[j], TI[i]]), rim_c[i], BG, convex=True)
    # lid on this pan
    if p.lid is not None:
        draw_lid(sc, p)
    for dep, prims in hp:
        if dep <= dc:
            draw_prims_layer(sc, prims)


def draw_pan_bottom(sc, p, B2):
    rng = sc.rng
    z = p.z0 + 0.3
    S = sc.spec_point(z)
    base = sc.shade(p.icol, UP)
    ks = p.iks
    kind = p.inner
    sig = U(rng, 2, 6)

    def fn(x0, y0, w, h):
        X, Y = sc.plane_xy(z, x0, y0, w, h)
        r = np.sqrt((X - p.cx) ** 2 + (Y - p.cy) ** 2)
        t = np.empty((h, w, 3), np.float32)
        t[:] = base
        if kind in ('steel', 'alu'):
            rings = 0.9 + 0.1 * np.sin(r * 9.0) + 0.15 * np.sin(r * 0.8 + 1.0)
            t *= rings[..., None]
        elif kind == 'nonstick':
            t *= (0.85 + 0.3 * sc.n1[y0:y0 + h, x0:x0 + w])[..., None]
        else:
            t *= (0.92 + 0.16 * sc.n0[y0:y0 + h, x0:x0 + w])[..., None]
        d2 = ((X - S[0]) ** 2 + (Y - S[1]) ** 2) / (2 * sig * sig)
        t += (ks * 0.8 * np.exp(-np.minimum(d2, 50)))[..., None].astype(np.float32)
        return t

    sc.fill_tex(B2, fn, BG)


def draw_lid(sc, p):
    rng, cam = sc.rng, sc.cam
    lid = p.lid
    ro = p.rr + p.wt + 0.3
    dome = lid['dome']
    prof = [(0, ro), (0.25, ro), (0.3, ro * 0.97), (dome * 0.6, ro * 0.7), (dome, ro * 0.3), (dome, 0.01)]
    z0 = p.zr
    if lid['glass']:
        n = 40
        th = np.linspace(0, 2 * np.pi, n, endpoint=False)
        pts = []
        for z, r in prof:
            pts.append(np.column_stack([p.cx + r * np.cos(th), p.cy + r * np.sin(th), np.full(n, z0 + z)]))
        hull = cv2.convexHull(cam.proj(np.vstack(pts)).astype(np.float32))[:, 0, :]
        tint = col(U(rng, 40, 200), U(rng, 0, 0.2), U(rng, 0.5, 0.9))
        a = U(rng, 0.3, 0.55)
        fog = U(rng, 0.2, 0.6)

        xs, ys = grids(sc.W, sc.H)
        ctr = cam.proj(np.array([p.cx, p.cy, z0 + dome]))
        rad = max(ro * cam.ppc(np.array([p.cx, p.cy, z0 + dome])), 1.0)
        l2 = light2d(sc, np.array([p.cx, p.cy, z0]))

        def fn(x0, y0, w, h):
            sub = sc.img[y0:y0 + h, x0:x0 + w]
            n1 = sc.n1[y0:y0 + h, x0:x0 + w, None]
            dx = (xs[y0:y0 + h, x0:x0 + w] - ctr[0]) / rad
            dy = (ys[y0:y0 + h, x0:x0 + w] - ctr[1]) / rad
            # a broad reflection on the dome (towards the light) and a darker, curved edge
            refl = np.clip(1 - ((dx + 0.45 * l2[0]) ** 2 + (dy + 0.45 * l2[1]) ** 2) * 2.5, 0, 1)[..., None] * 0.35
            edge = np.clip(dx * dx + dy * dy - 0.6, 0, 1)[..., None] * 0.5
            out = sub * (1 - a - fog * n1) * (1 - edge) + a * tint * (0.6 + 0.8 * n1) + fog * n1 * 0.85 + refl
            return out.astype(np.float32)

        sc.fill_tex(hull, fn, BG)
        # steel band
        ring = np.column_stack([p.cx + ro * np.cos(th), p.cy + ro * np.sin(th), np.full(n, z0 + 0.2)])
        for p2, _, dep in cam.runs(np.vstack([ring, ring[:1]])):
            sc.cv.line(p2, metal_col(rng, 0.6, 0.95), BG, max(2, int(1.0 * cam.f / dep.mean())))
        # highlight streaks (curved reflections of the light / window)
        for k in range(int(rng.integers(1, 4))):
            a0 = U(rng, 0, 2 * np.pi)
            rr_ = ro * U(rng, 0.45, 0.85)
            tt = np.linspace(a0, a0 + U(rng, 0.4, 1.4), 10)
            arc = np.column_stack([p.cx + rr_ * np.cos(tt), p.cy + rr_ * np.sin(tt), np.full(10, z0 + dome * (1 - (rr_ / ro) ** 2) + 0.1)])
            for p2, _, dep in cam.runs(arc):
                sc.cv.line(p2, np.array([1.0, 1.0, 1.0]) * U(rng, 0.7, 1.0), BG, max(1, int(U(rng, 0.3, 0.9) * cam.f / dep.mean())))
    else:
        c = lid['col']
        lathe(sc, p.cx, p.cy, z0, prof[:-1], [c, c, c, c], ks=0.6, nseg=36, capc=c)
    knob = lid['knob']
    kz = z0 + dome
    lathe(sc, p.cx, p.cy, kz - 0.3, [(0, 1.2), (0.8, 1.0), (1.6, 1.8), (2.4, 1.8)], [knob, knob, knob], ks=0.3, nseg=20, capc=knob)


# ----------------------------------------------------------------------------- food
FAM = {  # hue0, hue1, s0, s1, v0, v1, shapes
    'carrot': (18, 30, .7, .95, .7, 1.0, ['cube', 'disc2', 'strip']),
    'tomato': (0, 10, .65, .9, .5, .9, ['blob', 'cube']),
    'gpepper': (85, 125, .5, .9, .3, .7, ['strip', 'flat']),
    'ypepper': (42, 55, .7, .95, .75, 1.0, ['strip', 'flat']),
    'rpepper': (355, 368, .7, .95, .55, .9, ['strip', 'flat']),
    'onion': (40, 60, .05, .3, .7, .95, ['strip', 'flat', 'ring']),
    'potato': (35, 48, .25, .55, .7, .95, ['cube']),
    'beef': (8, 28, .35, .7, .18, .5, ['blob', 'cube', 'strip']),
    'chicken': (28, 42, .2, .5, .65, .95, ['blob', 'cube', 'strip']),
    'tofu': (42, 55, .05, .3, .75, 1.0, ['cube']),
    'mushroom': (22, 35, .2, .5, .3, .7, ['disc2', 'blob']),
    'broccoli': (95, 130, .5, .85, .2, .5, ['floret']),
    'egg': (45, 55, .55, .9, .8, 1.0, ['blob']),
    'sausage': (5, 18, .4, .7, .35, .7, ['disc2']),
    'shrimp': (8, 22, .45, .75, .8, 1.0, ['shrimp']),
    'bean_red': (355, 375, .5, .8, .2, .45, ['ball']),
    'bean_black': (0, 360, .0, .2, .05, .15, ['ball']),
    'chickpea': (35, 45, .35, .6, .7, .9, ['ball']),
    'corn': (46, 55, .7, .95, .8, 1.0, ['ball']),
    'peas': (80, 105, .55, .9, .45, .75, ['ball']),
    'zucchini': (70, 100, .2, .6, .55, .9, ['disc2', 'cube']),
    'eggplant': (270, 300, .35, .7, .12, .35, ['cube']),
    'bacon': (0, 15, .4, .7, .4, .75, ['strip']),
    'herb': (85, 135, .55, .9, .2, .55, ['leaf']),
    'garlic': (45, 60, .05, .25, .85, 1.0, ['disc', 'cube']),
    'fish': (25, 40, .1, .35, .8, .98, ['blob']),
    'chili': (0, 8, .8, 1, .6, .9, ['disc2', 'strip']),
    'meatball': (10, 28, .4, .7, .2, .45, ['ball']),
    'cabbage': (60, 100, .1, .4, .6, .9, ['strip', 'leaf']),
    'okra': (75, 100, .4, .7, .3, .6, ['disc2']),
}
SAUCE = {  # hue0, hue1, s0, s1, v0, v1, translucency
    'tomato': (0, 14, .65, .95, .4, .85, 0), 'curry': (28, 45, .65, .95, .45, .85, 0),
    'gravy': (18, 32, .55, .85, .15, .42, 0), 'cream': (40, 55, .04, .25, .78, .97, 0),
    'green': (70, 110, .4, .8, .22, .6, 0), 'broth': (32, 50, .3, .75, .4, .8, 1),
    'soy': (15, 30, .6, .9, .08, .25, 0), 'cheese': (44, 52, .6, .9, .85, 1., 0),
    'beet': (335, 355, .6, .9, .22, .55, 0), 'pumpkin': (25, 35, .75, .95, .75, .95, 0),
    'lentil': (28, 40, .55, .85, .5, .8, 0), 'chilisauce': (5, 20, .7, .95, .3, .55, 0),
    'water': (200, 220, 0, .1, .6, .9, 2), 'coconut': (40, 55, .05, .2, .85, .98, 0),
    'miso': (30, 40, .4, .7, .45, .7, 1), 'oil': (40, 52, .5, .85, .6, .9, 2),
}


def fam_col(rng, fam):
    f = FAM[fam]
    return col(U(rng, f[0], f[1]), U(rng, f[2], f[3]), U(rng, f[4], f[5]))


def sauce_col(rng, name):
    f = SAUCE[name]
    return col(U(rng, f[0], f[1]), U(rng, f[2], f[3]), U(rng, f[4], f[5]))


def make_piece_kinds(rng, nk, fams=None):
    out = []
    for _ in range(nk):
        fam = fams[int(rng.integers(len(fams)))] if fams else pick(rng, list(FAM.keys()))
        shape = pick(rng, FAM[fam][6])
        size = {'cube': U(rng, 0.7, 2.4), 'disc2': U(rng, 0.8, 2.0), 'disc': U(rng, 0.4, 1.0), 'strip': U(rng, 2.0, 6.0),
                'flat': U(rng, 1.0, 2.5), 'ring': U(rng, 1.5, 3.0), 'blob': U(rng, 1.2, 3.5), 'floret': U(rng, 1.5, 3.0),
                'shrimp': U(rng, 2.0, 3.5), 'ball': U(rng, 0.3, 0.8) if fam in ('peas', 'corn', 'bean_red', 'bean_black', 'chickpea') else U(rng, 1.2, 2.4),
                'leaf': U(rng, 1.0, 4.0)}[shape]
        out.append(dict(fam=fam, shape=shape, size=size, col=fam_col(rng, fam), w=U(rng, 0.5, 1.5),
                        brown=U(rng, 0, 0.5) if rng.random() < 0.5 else 0.0))
    return out


def make_recipe(rng, p):
    kind = pick(rng, ['liquid', 'chunky', 'pieces', 'grains', 'noodles', 'mash', 'leaves', 'flat', 'oil', 'empty'],
                [16, 17, 22, 9, 9, 7, 7, 7, 3, 3])
    if p.kind == 'griddle':
        kind = pick(rng, ['flat', 'pieces', 'empty', 'oil'], [60, 25, 7, 8])
    r = dict(kind=kind, sauce=None, alpha=1.0, pieces=[], gloss=U(rng, 0.1, 0.9), bubbles=0, under=[])
    h = p.h
    if kind == 'liquid':
        name = pick(rng, list(SAUCE.keys()))
        if name == 'oil':
            name = 'broth'
        r['sauce'] = sauce_col(rng, name)
        tr = SAUCE[name][6]
        r['alpha'] = 1.0 if tr == 0 else (U(rng, 0.55, 0.85) if tr == 1 else U(rng, 0.25, 0.5))
        r['level'] = p.z0 + h * U(rng, 0.25, 0.85)
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 3)))
        r['cov'] = U(rng, 0.05, 0.4)
        if r['alpha'] < 1:
            r['under'] = make_piece_kinds(rng, int(rng.integers(1, 3)))
        r['bubbles'] = int(rng.integers(0, 30)) if rng.random() < 0.5 else 0
        r['swirl'] = rng.random() < 0.25
    elif kind == 'chunky':
        name = pick(rng, ['tomato', 'curry', 'gravy', 'cream', 'green', 'beet', 'lentil', 'chilisauce', 'coconut', 'cheese', 'soy'])
        r['sauce'] = sauce_col(rng, name)
        r['level'] = p.z0 + h * U(rng, 0.15, 0.7)
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(1, 4)))
        r['cov'] = U(rng, 0.4, 1.4)
        r['bubbles'] = int(rng.integers(0, 15)) if rng.random() < 0.4 else 0
    elif kind == 'pieces':
        r['level'] = p.z0 + 0.3 + U(rng, 0.5, 3.0)
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(1, 5)))
        r['cov'] = U(rng, 0.25, 1.8)
        if rng.random() < 0.5:
            r['oil'] = sauce_col(rng, pick(rng, ['oil', 'soy', 'tomato', 'curry', 'gravy']))
    elif kind == 'grains':
        gt = pick(rng, ['rice', 'fried', 'brown', 'quinoa', 'couscous', 'risotto', 'lentils'])
        gc = {'rice': col(U(rng, 35, 60), U(rng, 0.02, 0.15), U(rng, 0.85, 1.0)),
              'fried': col(U(rng, 30, 45), U(rng, 0.3, 0.7), U(rng, 0.55, 0.9)),
              'brown': col(U(rng, 25, 38), U(rng, 0.3, 0.55), U(rng, 0.45, 0.7)),
              'quinoa': col(U(rng, 35, 50), U(rng, 0.2, 0.5), U(rng, 0.6, 0.9)),
              'couscous': col(U(rng, 40, 50), U(rng, 0.35, 0.6), U(rng, 0.75, 0.95)),
              'risotto': col(U(rng, 40, 55), U(rng, 0.1, 0.35), U(rng, 0.75, 0.95)),
              'lentils': col(U(rng, 10, 40), U(rng, 0.5, 0.9), U(rng, 0.3, 0.8))}[gt]
        r['grain'] = gc
        r['glen'] = {'rice': 0.6, 'fried': 0.6, 'brown': 0.6, 'quinoa': 0.2, 'couscous': 0.15, 'risotto': 0.55, 'lentils': 0.45}[gt] * U(rng, 0.8, 1.3)
        r['level'] = p.z0 + 0.3 + h * U(rng, 0.15, 0.6)
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 3)), ['peas', 'carrot', 'egg', 'corn', 'herb', 'chicken', 'shrimp', 'onion'])
        r['cov'] = U(rng, 0.05, 0.3)
    elif kind == 'noodles':
        nt = pick(rng, ['egg', 'rice', 'soba', 'udon', 'spaghetti', 'soy'])
        r['noodle'] = {'egg': col(U(rng, 42, 52), U(rng, 0.3, 0.6), U(rng, 0.8, 0.97)),
                       'rice': col(U(rng, 40, 60), U(rng, 0.02, 0.12), U(rng, 0.85, 0.98)),
                       'soba': col(U(rng, 25, 35), U(rng, 0.2, 0.4), U(rng, 0.3, 0.55)),
                       'udon': col(U(rng, 40, 55), U(rng, 0.05, 0.2), U(rng, 0.88, 1.0)),
                       'spaghetti': col(U(rng, 40, 50), U(rng, 0.4, 0.7), U(rng, 0.75, 0.95)),
                       'soy': col(U(rng, 22, 35), U(rng, 0.5, 0.8), U(rng, 0.4, 0.7))}[nt]
        r['nw'] = {'udon': U(rng, 0.5, 0.8), 'rice': U(rng, 0.2, 0.6)}.get(nt, U(rng, 0.2, 0.35))
        r['level'] = p.z0 + 0.3 + U(rng, 0.8, 3.0)
        if rng.random() < 0.5:
            r['sauce'] = sauce_col(rng, pick(rng, ['tomato', 'soy', 'cream', 'broth', 'curry', 'green']))
            r['alpha'] = 1.0 if rng.random() < 0.6 else U(rng, 0.5, 0.8)
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 3)))
        r['cov'] = U(rng, 0.05, 0.4)
        r['ncov'] = U(rng, 0.6, 1.6)
    elif kind == 'mash':
        mt = pick(rng, ['potato', 'beans', 'porridge', 'polenta', 'mince', 'scrambled', 'hummus'])
        r['mtype'] = mt
        r['sauce'] = {'potato': col(U(rng, 40, 52), U(rng, 0.1, 0.35), U(rng, 0.8, 0.97)),
                      'beans': col(U(rng, 10, 25), U(rng, 0.4, 0.7), U(rng, 0.2, 0.45)),
                      'porridge': col(U(rng, 35, 45), U(rng, 0.15, 0.35), U(rng, 0.7, 0.9)),
                      'polenta': col(U(rng, 45, 52), U(rng, 0.6, 0.9), U(rng, 0.8, 1.0)),
                      'mince': col(U(rng, 10, 25), U(rng, 0.35, 0.7), U(rng, 0.18, 0.45)),
                      'scrambled': col(U(rng, 45, 55), U(rng, 0.5, 0.85), U(rng, 0.8, 1.0)),
                      'hummus': col(U(rng, 35, 45), U(rng, 0.25, 0.45), U(rng, 0.7, 0.88))}[mt]
        r['level'] = p.z0 + 0.3 + h * U(rng, 0.15, 0.6)
        r['crumble'] = mt in ('mince', 'scrambled')
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 2)), ['herb', 'onion', 'gpepper', 'rpepper', 'corn', 'peas'])
        r['cov'] = U(rng, 0.03, 0.2)
    elif kind == 'leaves':
        r['level'] = p.z0 + 0.3 + U(rng, 0.5, 3.0)
        r['leaf'] = pick(rng, ['spinach', 'kale', 'cabbage', 'chard', 'bokchoy'])
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 2)), ['garlic', 'chili', 'onion', 'mushroom'])
        r['cov'] = U(rng, 0.05, 0.3)
        r['lcov'] = U(rng, 0.7, 2.0)
        if rng.random() < 0.4:
            r['oil'] = sauce_col(rng, 'oil')
    elif kind == 'flat':
        r['item'] = pick(rng, ['pancake', 'omelette', 'eggs', 'steak', 'fish', 'tortilla', 'bacon', 'chicken'])
        r['level'] = p.z0 + 0.3 + 1.0
        if rng.random() < 0.4:
            r['oil'] = sauce_col(rng, pick(rng, ['oil', 'oil', 'gravy']))
    elif kind == 'oil':
        r['oil'] = sauce_col(rng, 'oil')
        r['level'] = p.z0 + 0.5
        r['pieces'] = make_piece_kinds(rng, int(rng.integers(0, 2)), ['garlic', 'onion', 'chili', 'herb'])
        r['cov'] = U(rng, 0.02, 0.2)
    else:
        r['level'] = p.z0 + 0.3
    r['level'] = min(r['level'], p.zr - 0.4)
    r['opaque_level'] = r['level'] if kind in ('liquid', 'chunky', 'grains', 'mash') and r['alpha'] >= 0.99 else None
    return r


class PieceOps:
    """collects food piece draw ops; sorted and drawn together"""

    def __init__(self):
        self.ops = []   # (key, fn)

    def add(self, key, fn):
        self.ops.append((key, fn))

    def draw(self):
        self.ops.sort(key=lambda t: t[0])
        for _, fn in self.ops:
            fn()


def light2d(sc, P):
    a = sc.cam.proj(P)
    b = sc.cam.proj(P + sc.L * 2.0)
    return unit(b - a)


def gen_pieces(sc, cv, kinds, centers, which, ops, cls=FD, nmax=400):
    """centers (n,3) world; which (n,) index into kinds.  Adds draw ops (vectorised geometry)."""
    rng, cam = sc.rng, sc.cam
    if len(centers) == 0:
        return
    dep = cam.depth(centers)
    p2c = cam.proj(centers)
    ok = (dep > ZN) & (p2c[:, 0] > -30) & (p2c[:, 0] < sc.W + 30) & (p2c[:, 1] > -30) & (p2c[:, 1] < sc.H + 30)
    idx = np.nonzero(ok)[0][:nmax]
    ppc = cam.f / np.maximum(dep, ZN)
    l2 = light2d(sc, centers[0])
    for i in idx:
        k = kinds[which[i]]
        P = centers[i]
        s = k['size'] * U(rng, 0.7, 1.3)
        c0 = jit(rng, k['col'], 0.07)
        if k['brown'] > 0 and rng.random() < 0.6:
            c0 = c0 * (1 - k['brown'] * U(rng, 0, 1)) + np.array([0.05, 0.12, 0.25]) * k['brown'] * 0.5
        key = -dep[i] + 2.0 * P[2]
        px = s * ppc[i]
        shape = k['shape']
        if px < 1.2:
            q = p2c[i]
            ops.add(key, lambda q=q, c=sc.shade(c0, UP), r=max(0.5, px * 0.5): cv.circle(q, r, c, cls))
            continue
        if shape in ('cube', 'flat'):
            hf = 0.25 if shape == 'flat' else U(rng, 0.6, 1.0)
            yaw = U(rng, 0, np.pi)
            cy_, sy_ = math.cos(yaw), math.sin(yaw)
            loc = np.array([[-.5, -.5, 0], [.5, -.5, 0], [.5, .5, 0], [-.5, .5, 0],
                            [-.5, -.5, 1], [.5, -.5, 1], [.5, .5, 1], [-.5, .5, 1]]) * np.array([s, s * U(rng, 0.6, 1.1), s * hf])
            loc[:, :2] += rng.normal(0, 0.08 * s, (8, 2))
            Rz = np.array([[cy_, -sy_, 0], [sy_, cy_, 0], [0, 0, 1]])
            V = loc @ Rz.T + P - np.array([0, 0, s * hf * 0.4])
            v2 = cam.proj(V)
            sn = np.array([[0, -1, 0], [1, 0, 0], [0, 1, 0], [-1, 0, 0]]) @ Rz.T
            faces = [[0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]]
            vis = [(fi, float(sn[fi] @ (cam.C - V[faces[fi]].mean(0)))) for fi in range(4)]
            vis = [v for v in vis if v[1] > 0]
            vis.sort(key=lambda t: -t[1])
            side_c = [sc.shade(c0 * 0.82, sn[fi]) for fi, _ in vis]
            top_c = sc.shade(c0, UP, P, 0.15, 12)

            def f(v2=v2, vis=vis, side_c=side_c, top_c=top_c, faces=faces):
                hull = cv2.convexHull(v2.astype(np.float32))[:, 0, :]
                cv.fill(hull, side_c[0] if side_c else top_c * 0.8, cls, convex=True)
                if len(vis) > 1:
                    cv.fill(v2[faces[vis[1][0]]], side_c[1], cls)
                cv.fill(v2[4:8], top_c, cls)
            ops.add(key, f)
        elif shape in ('disc', 'disc2'):
            n = 12
            t = np.linspace(0, 2 * np.pi, n, endpoint=False)
            nrm = unit(UP + rng.normal(0, 0.35, 3) * np.array([1, 1, 0]))
            e1 = unit(np.cross(nrm, [1.0, 0.3, 0.1]))
            e2 = np.cross(nrm, e1)
            th_ = s * U(rng, 0.15, 0.4)
            top = P + s * (np.cos(t)[:, None] * e1 + np.sin(t)[:, None] * e2) + nrm * th_
            bot = top - nrm * th_
            t2, b2 = cam.proj(top), cam.proj(bot)
            ct = sc.shade(c0, nrm, P, 0.2, 15)
            cs_ = sc.shade(c0 * 0.7, unit(e1 + e2))
            inner = None
            if shape == 'disc2':
                c2 = jit(rng, c0 * pick(rng, [0.7, 1.2, 1.35]) + pick(rng, [0, 0.1]), 0.05)
                rin = U(rng, 0.55, 0.8)
                inner = cam.proj(P + nrm * th_ + rin * s * (np.cos(t)[:, None] * e1 + np.sin(t)[:, None] * e2))
                ci = sc.shade(c2, nrm)

            def f(t2=t2, b2=b2, ct=ct, cs_=cs_, inner=inner, ci=(ci if inner is not None else None)):
                hull = cv2.convexHull(np.vstack([t2, b2]).astype(np.float32))[:, 0, :]
                cv.fill(hull, cs_, cls, convex=True)
                cv.fill(t2, ct, cls, convex=True)
                if inner is not None:
                    cv.fill(inner, ci, cls, convex=True)
            ops.add(key, f)
        elif shape == 'ball' or shape == 'floret':
            r = s * 0.5 if shape == 'ball' else s * 0.3
            nb = 1 if shape == 'ball' else int(rng.integers(4, 8))
            cen = [P + np.array([0, 0, r])]
            if shape == 'floret':
                cen = [P + np.array([rng.normal(0, s * 0.25), rng.normal(0, s * 0.25), r + U(rng, 0, s * 0.3)]) for _ in range(nb)]
            items = []
            for cc in cen:
                q = cam.proj(cc)
                rp = r * cam.f / max(cam.depth(cc), ZN)
                items.append((q, rp))
            dark = sc.shade(c0, -sc.L) * 0.9
            lite = sc.shade(c0, sc.L)
            gl = rng.random() < 0.5

            def f(items=items, dark=dark, lite=lite, gl=gl):
                for q, rp in items:
                    cv.circle(q, rp, dark, cls)
                    if rp > 1.5:
                        cv.circle(q + l2 * rp * 0.25, rp * 0.7, lite, cls)
                        if gl and rp > 2.5:
                            cv.circle(q + l2 * rp * 0.45, rp * 0.18, np.minimum(lite * 1.5 + 0.3, 1.3), cls)
            ops.add(key, f)
        elif shape in ('strip', 'ring'):
            n = 7
            if shape == 'strip':
                a0 = U(rng, 0, 2 * np.pi)
                curv = rng.normal(0, 0.25)
                ang = a0 + curv * np.arange(n)
                step = s / (n - 1)
                pts = np.zeros((n, 3))
                for j in range(1, n):
                    pts[j] = pts[j - 1] + step * np.array([math.cos(ang[j]), math.sin(ang[j]), rng.normal(0, 0.1)])
                pts += P - pts.mean(0)
                wid = s * U(rng, 0.12, 0.3)
            else:
                a0 = U(rng, 0, 2 * np.pi)
                t = np.linspace(a0, a0 + U(rng, 2, 6), n)
                pts = P + s * 0.5 * np.column_stack([np.cos(t), np.sin(t), np.zeros(n)])
                wid = s * U(rng, 0.08, 0.15)
            p2 = cam.proj(pts)
            wpx = max(1.0, wid * ppc[i])
            cd = sc.shade(c0 * 0.7, UP)
            cl = sc.shade(c0, UP, P, 0.2, 10)

            def f(p2=p2, wpx=wpx, cd=cd, cl=cl):
                cv.line(p2, cd, cls, int(round(wpx + 1)))
                if wpx >= 2:
                    cv.line(p2, cl, cls, int(round(wpx - 1)))
            ops.add(key, f)
        elif shape == 'blob':
            n = 10
            t = np.linspace(0, 2 * np.pi, n, endpoint=False)
            rr = s * 0.5 * (1 + 0.25 * rng.normal(0, 1, n)).clip(0.55, 1.5) * np.where(np.arange(n) % 2 == 0, 1.0, U(rng, 0.6, 1.0))
            el = U(rng, 0.5, 1.0)
            yaw = U(rng, 0, np.pi)
            xy = np.column_stack([rr * np.cos(t), rr * np.sin(t) * el])
            cy_, sy_ = math.cos(yaw), math.sin(yaw)
            xy = xy @ np.array([[cy_, sy_], [-sy_, cy_]])
            hgt = s * U(rng, 0.2, 0.5)
            top = np.column_stack([P[0] + xy[:, 0], P[1] + xy[:, 1], np.full(n, P[2] + hgt)])
            bot = top - np.array([0, 0, hgt])
            t2, b2 = cam.proj(top), cam.proj(bot)
            cs_ = sc.shade(c0 * 0.7, unit(np.array([1.0, 1, 0])))
            ct = sc.shade(c0, UP, P, 0.2, 12)
            sear = None
            if rng.random() < 0.4:
                sear = cam.proj(P + np.array([0, 0, hgt]) + 0.4 * np.column_stack([xy[:, 0], xy[:, 1], np.zeros(n)]) + np.array([rng.normal(0, s * .1), rng.normal(0, s * .1), 0.01]))

            def f(t2=t2, b2=b2, cs_=cs_, ct=ct, sear=sear):
                hull = cv2.convexHull(np.vstack([t2, b2]).astype(np.float32))[:, 0, :]
                cv.fill(hull, cs_, cls, convex=True)
                cv.fill(t2, ct, cls)
                if sear is not None:
                    cv.fill(sear, ct * 0.7, cls)
            ops.add(key, f)
        elif shape == 'leaf':
            n = 14
            u = np.cos(np.linspace(0, 2 * np.pi, n, endpoint=False))
            side = np.sin(np.linspace(0, 2 * np.pi, n, endpoint=False))
            wr = U(rng, 0.3, 0.6)
            v = side * wr * (1 + 0.15 * rng.normal(0, 1, n))
            nrm = unit(UP + rng.normal(0, 0.4, 3) * np.array([1, 1, 0]))
            e1 = unit(np.cross(nrm, [math.cos(U(rng, 0, 6)), 1.0, 0.0]))
            e2 = np.cross(nrm, e1)
            pts = P + 0.5 * s * (u[:, None] * e1 + v[:, None] * e2)
            p2 = cam.proj(pts)
            mid = cam.proj(np.array([P - 0.5 * s * e1, P + 0.45 * s * e1]))
            cc = sc.shade(c0, nrm, P, 0.25, 15)

            def f(p2=p2, mid=mid, cc=cc):
                cv.fill(p2, cc, cls)
                cv.line(mid, cc * 1.25 + 0.03, cls, 1)
            ops.add(key, f)
        elif shape == 'shrimp':
            n = 6
            a0 = U(rng, 0, 2 * np.pi)
            t = np.linspace(a0, a0 + U(rng, 2.5, 4.0), n)
            R0 = s * 0.35
            cen = P + R0 * np.column_stack([np.cos(t), np.sin(t), np.zeros(n)]) + np.array([0, 0, s * 0.15])
            q = cam.proj(cen)
            rad = np.linspace(s * 0.22, s * 0.08, n) * ppc[i]
            cA = sc.shade(c0, UP)
            cB = sc.shade(np.minimum(c0 * 1.15 + 0.15, 1.0), UP)

            def f(q=q, rad=rad, cA=cA, cB=cB):
                for j in range(len(q)):
                    cv.circle(q[j], rad[j], cA if j % 2 == 0 else cB, cls)
            ops.add(key, f)


def disk_points(rng, n, cx, cy, r, z, zj=0.0):
    a = rng.uniform(0, 2 * np.pi, n)
    d = r * np.sqrt(rng.uniform(0, 1, n))
    return np.column_stack([cx + d * np.cos(a), cy + d * np.sin(a), z + rng.uniform(0, 1, n) * zj])


def food_fill_fn(sc, base, z, gloss, alpha=1.0, emboss=0.0, mott=0.18):
    S = sc.spec_point(z)
    sig = U(sc.rng, 1.5, 5.0)
    base = np.asarray(base, np.float32)

    def fn(x0, y0, w, h):
        n0 = sc.n0[y0:y0 + h, x0:x0 + w]
        n1 = sc.n1[y0:y0 + h, x0:x0 + w]
        t = base[None, None] * (1 - mott + 2 * mott * n0)[..., None]
        if emboss > 0:
            gx = cv2.Sobel(n1, cv2.CV_32F, 1, 0, ksize=3)
            gy = cv2.Sobel(n1, cv2.CV_32F, 0, 1, ksize=3)
            l2 = light2d(sc, S)
            t *= np.clip(1 + emboss * 0.4 * (gx * l2[0] + gy * l2[1]), 0.6, 1.45)[..., None]
        if gloss > 0:
            X, Y = sc.plane_xy(z, x0, y0, w, h)
            d2 = ((X - S[0]) ** 2 + (Y - S[1]) ** 2) / (2 * sig * sig)
            spot = np.exp(-np.minimum(d2, 50)).astype(np.float32)
            rip = np.clip((n1 - 0.6) * 3, 0, 1)
            t += (gloss * (0.9 * spot * (0.6 + 0.8 * rip) + 0.12 * rip))[..., None]
        if alpha < 1:
            sub = sc.img[y0:y0 + h, x0:x0 + w]
            t = sub * (1 - alpha) + t * alpha
        return t.astype(np.float32)
    return fn


def surf_poly(sc, p, z, scale=1.0):
    r = pan_r_at(p, z) * scale
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    return sc.cam.proj(np.column_stack([p.cx + r * np.cos(t), p.cy + r * np.sin(t), np.full(48, z)]))


def blob_poly3(rng, cx, cy, z, r, n=16, rough=0.25):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    rr = r * (1 + rough * np.convolve(np.r_[rng.normal(0, 1, n), rng.normal(0, 1, 2)], [0.4, 0.3, 0.3], 'same')[:n]).clip(0.4, 1.6)
    return np.column_stack([cx + rr * np.cos(t), cy + rr * np.sin(t), np.full(n, z)])


def draw_food(sc, p):
    rng, cam, rec = sc.rng, sc.cam, p.recipe
    kind = rec['kind']
    z = rec['level']
    cv = sc.cv
    rlev = pan_r_at(p, z)
    area = math.pi * rlev ** 2
    main = p is sc.main
    nmax = 320 if main else 120

    def scatter(kinds, cov, zbase, zj, rad):
        if not kinds:
            return
        ops = PieceOps()
        nper = [int(min(nmax, cov * area / (k['size'] ** 2) / len(kinds))) for k in kinds]
        cen, wh = [], []
        for ki, nn in enumerate(nper):
            if nn <= 0:
                continue
            rad_k = max(rad - kinds[ki]['size'] * 0.6, 0.5)
            cen.append(disk_points(rng, nn, p.cx, p.cy, rad_k, zbase, zj))
            wh.append(np.full(nn, ki))
        if not cen:
            return
        cen = np.vstack(cen)
        wh = np.concatenate(wh)
        gen_pieces(sc, cv, kinds, cen, wh, ops, nmax=nmax)
        ops.draw()

    if rec.get('oil') is not None:
        zo = p.z0 + 0.35
        poly3 = blob_poly3(rng, p.cx + rng.normal(0, p.rb * 0.1), p.cy + rng.normal(0, p.rb * 0.1), zo, p.rb * U(rng, 0.5, 0.95), 20, 0.15)
        rr_ = np.sqrt((poly3[:, 0] - p.cx) ** 2 + (poly3[:, 1] - p.cy) ** 2)
        sfac = np.minimum(1.0, (p.rb - 0.2) / np.maximum(rr_, 1e-6))
        poly3[:, 0] = p.cx + (poly3[:, 0] - p.cx) * sfac
        poly3[:, 1] = p.cy + (poly3[:, 1] - p.cy) * sfac
        op = cam.proj(poly3)
        sc.fill_tex(op, food_fill_fn(sc, sc.shade(rec['oil'], UP), zo, U(rng, 0.7, 1.3), alpha=U(rng, 0.45, 0.75), mott=0.15), FD)
        sc.cv.line(op, np.minimum(sc.shade(rec['oil'], UP) * 1.3 + 0.1, 1.2), FD, 1, closed=True)
        draw_bubbles(sc, p, zo, rec['oil'], int(rng.integers(5, 40)), p.rb * 0.6)
    if kind == 'empty':
        return
    if kind in ('liquid', 'chunky', 'mash', 'grains'):
        if rec['under'] and rec['alpha'] < 1:
            scatter(rec['under'], U(rng, 0.2, 0.7), p.z0 + 0.3, z - p.z0 - 0.6, pan_r_at(p, p.z0 + 0.3))
        base = rec['sauce'] if kind != 'grains' else rec['grain']
        emb = 0.0
        if kind == 'mash':
            emb = U(rng, 1.0, 4.0)
        if kind == 'grains':
            emb = U(rng, 0.5, 2.0)
        gl = rec['gloss'] * (1.0 if kind in ('liquid', 'chunky') else 0.25)
        sp_ = surf_poly(sc, p, z)
        sc.fill_tex(sp_, food_fill_fn(sc, sc.shade(base, UP), z, gl, rec['alpha'], emb), FD)
        if rec['alpha'] >= 0.99:
            rc = sc.shade(base, UP) * pick(rng, [0.6, 0.75, 1.25])
            sc.cv.line(sp_, np.minimum(rc, 1.2), FD, int(pick(rng, [1, 1, 2])), closed=True)
        if rng.random() < 0.45:
            draw_specks(sc, p, z, rlev)
        if kind == 'grains':
            draw_grains(sc, p, z, rec['grain'], rec['glen'], rlev)
        if kind == 'mash' and rec.get('crumble'):
            kinds = [dict(fam='x', shape='blob', size=U(rng, 0.4, 1.0), col=rec['sauce'], brown=0.2, w=1)]
            scatter(kinds, U(rng, 0.8, 1.5), z, 0.3, rlev)
        if rec.get('swirl'):
            c2 = np.minimum(rec['sauce'] * 1.3 + 0.25, 1.0)
            t = np.linspace(0, U(rng, 6, 14), 40)
            rr_ = rlev * 0.8 * t / t[-1]
            a0 = U(rng, 0, 6)
            pts = np.column_stack([p.cx + rr_ * np.cos(t + a0), p.cy + rr_ * np.sin(t + a0), np.full(40, z + 0.02)])
            for p2, _, dep in cam.runs(pts):
                cv.line(p2, c2, FD, max(1, int(0.5 * cam.f / dep.mean())))
        scatter(rec['pieces'], rec.get('cov', 0.3), z - 0.3, 0.4, rlev)
        if rec['bubbles']:
            draw_bubbles(sc, p, z, rec['sauce'] if rec['sauce'] is not None else rec['grain'], rec['bubbles'], rlev)
    elif kind == 'pieces':
        scatter(rec['pieces'], rec['cov'], p.z0 + 0.3, z - p.z0 - 0.3, pan_r_at(p, p.z0 + 0.5))
    elif kind == 'noodles':
        if rec['sauce'] is not None:
            zs = p.z0 + 0.3 + (z - p.z0) * 0.4
            sc.fill_tex(surf_poly(sc, p, zs), food_fill_fn(sc, sc.shade(rec['sauce'], UP), zs, rec['gloss'], rec['alpha']), FD)
        draw_noodles(sc, p, z, rec['noodle'], rec['nw'], rec['ncov'])
        scatter(rec['pieces'], rec['cov'], z - 0.5, 0.5, rlev)
    elif kind == 'leaves':
        lc = {'spinach': (95, 130, .5, .85, .15, .45), 'kale': (90, 140, .3, .7, .15, .4), 'cabbage': (60, 100, .1, .45, .6, .9),
              'chard': (80, 120, .45, .8, .2, .5), 'bokchoy': (70, 110, .3, .7, .4, .8)}[rec['leaf']]
        kinds = [dict(fam='leaf', shape='leaf', size=U(rng, 3, 7), col=col(U(rng, lc[0], lc[1]), U(rng, lc[2], lc[3]), U(rng, lc[4], lc[5])), brown=0.1, w=1)
                 for _ in range(2)]
        scatter(kinds, rec['lcov'], p.z0 + 0.3, z - p.z0 - 0.3, pan_r_at(p, p.z0 + 0.5))
        scatter(rec['pieces'], rec['cov'], z - 0.5, 0.5, rlev)
    elif kind == 'flat':
        draw_flat(sc, p, rec)
    elif kind == 'oil':
        scatter(rec['pieces'], rec['cov'], p.z0 + 0.4, 0.3, pan_r_at(p, p.z0 + 0.5))


def draw_grains(sc, p, z, gc, glen, rlev):
    rng, cam = sc.rng, sc.cam
    ctr = np.array([p.cx, p.cy, z])
    ppc = cam.ppc(ctr)
    lpx = glen * ppc
    if lpx < 1.3:
        return
    n = int(min(900, 0.9 * math.pi * rlev ** 2 / (glen * glen * 0.45)))
    P = disk_points(rng, n, p.cx, p.cy, rlev * 0.97, z, 0.1)
    q = cam.proj(P)
    ok = (q[:, 0] > -5) & (q[:, 0] < sc.W + 5) & (q[:, 1] > -5) & (q[:, 1] < sc.H + 5)
    q = q[ok]
    dep = cam.depth(P[ok])
    sz = glen * cam.f / np.maximum(dep, ZN)
    ang = rng.uniform(0, 180, len(q))
    vv = rng.uniform(0.75, 1.2, len(q))
    base = sc.shade(gc, UP)
    for i in range(len(q)):
        c = tup(np.minimum(base * vv[i], 1.2))
        ctr16 = (int(q[i, 0] * 16), int(q[i, 1] * 16))
        ax = (int(sz[i] * 8), int(sz[i] * 3.6) + 1)
        cv2.ellipse(sc.img, ctr16, ax, float(ang[i]), 0, 360, c, -1, LN, SHIFT)
        cv2.ellipse(sc.lab, ctr16, ax, float(ang[i]), 0, 360, FD, -1, LN, SHIFT)


def draw_specks(sc, p, z, rlev):
    rng, cam = sc.rng, sc.cam
    n = int(rng.integers(15, 150))
    P = disk_points(rng, n, p.cx, p.cy, rlev * 0.95, z + 0.02)
    q = cam.proj(P)
    dep = cam.depth(P)
    cs = [col(U(rng, 80, 130), U(rng, 0.5, 0.9), U(rng, 0.15, 0.5)), col(0, 0, U(rng, 0.03, 0.15)),
          col(U(rng, 0, 15), U(rng, 0.7, 1.0), U(rng, 0.4, 0.8)), col(U(rng, 40, 55), U(rng, 0.2, 0.6), U(rng, 0.8, 1.0))]
    c = sc.shade(pick(rng, cs), UP)
    c2 = sc.shade(pick(rng, cs), UP)
    sz = U(rng, 0.1, 0.35)
    for i in range(n):
        r = sz * cam.f / max(dep[i], ZN) * U(rng, 0.5, 1.5)
        if -2 < q[i, 0] < sc.W + 2 and -2 < q[i, 1] < sc.H + 2:
            sc.cv.circle(q[i], max(r, 0.5), c if i % 3 else c2, FD)


def draw_bubbles(sc, p, z, base, n, rlev):
    rng, cam = sc.rng, sc.cam
    P = disk_points(rng, n, p.cx, p.cy, rlev * 0.9, z + 0.05)
    for i in range(n):
        r = U(rng, 0.15, 0.9)
        q = cam.proj(P[i])
        rp = r * cam.ppc(P[i])
        if rp < 0.8:
            continue
        sc.cv.circle(q, rp, np.minimum(base * 1.25 + 0.1, 1.2), FD)
        if rp > 1.5:
            sc.cv.circle(q, rp * 0.7, base * 0.85, FD)
            sc.cv.circle(q + np.array([-rp * 0.35, -rp * 0.35]), max(0.6, rp * 0.2), np.array([1.0, 1.0, 1.0]), FD)


def draw_noodles(sc, p, z, nc, nw, ncov):
    rng, cam = sc.rng, sc.cam
    rb = pan_r_at(p, p.z0 + 0.5) * 0.94
    nstr = int(min(160, ncov * 4.0 * rb))
    for k in range(nstr):
        npt = int(rng.integers(8, 22))
        a = U(rng, 0, 2 * np.pi)
        r0 = rb * math.sqrt(U(rng, 0, 1))
        pt = np.array([p.cx + r0 * math.cos(a), p.cy + r0 * math.sin(a)])
        hd = U(rng, 0, 2 * np.pi)
        dh = rng.normal(0, 0.35)
        pts = []
        zz = p.z0 + 0.4 + (z - p.z0 - 0.4) * (k / max(nstr - 1, 1)) + U(rng, -0.2, 0.2)
        for j in range(npt):
            pts.append([pt[0], pt[1], zz])
            dh += rng.normal(0, 0.25)
            hd += dh * 0.3
            step = U(rng, 0.9, 1.6)
            nxt = pt + step * np.array([math.cos(hd), math.sin(hd)])
            d = math.hypot(nxt[0] - p.cx, nxt[1] - p.cy)
            if d > rb:
                hd += np.pi * 0.8
                nxt = pt + step * np.array([math.cos(hd), math.sin(hd)])
                if math.hypot(nxt[0] - p.cx, nxt[1] - p.cy) > rb:
                    break
            pt = nxt
        if len(pts) < 2:
            continue
        pts = np.array(pts)
        c = jit(rng, nc, 0.06)
        for p2, _, dep in cam.runs(pts):
            w = max(1, int(round(nw * cam.f / dep.mean())))
            sc.cv.line(p2, sc.shade(c * 0.72, UP), FD, w + 1)
            if w >= 2:
                sc.cv.line(p2, sc.shade(c, UP, pts[0], 0.25, 10), FD, w - 1)


def draw_flat(sc, p, rec):
    rng, cam = sc.rng, sc.cam
    item = rec['item']
    z = p.z0 + 0.4
    rb = pan_r_at(p, z)
    n = {'pancake': int(rng.integers(1, 4)), 'omelette': 1, 'eggs': int(rng.integers(1, 4)), 'steak': int(rng.integers(1, 3)),
         'fish': int(rng.integers(1, 3)), 'tortilla': 1, 'bacon': int(rng.integers(2, 6)), 'chicken': int(rng.integers(1, 4))}[item]
    for k in range(n):
        a = U(rng, 0, 2 * np.pi)
        if item in ('omelette', 'tortilla') or n == 1:
            d = U(rng, 0, rb * 0.2)
        else:
            d = U(rng, rb * 0.2, rb * 0.55)
        cx, cy = p.cx + d * math.cos(a), p.cy + d * math.sin(a)
        if item in ('pancake', 'tortilla', 'omelette'):
            r = min(rb - d - 0.3, {'pancake': U(rng, 4, 8), 'tortilla': rb * U(rng, 0.8, 0.95), 'omelette': rb * U(rng, 0.6, 0.9)}[item])
            base = {'pancake': col(U(rng, 28, 40), U(rng, 0.5, 0.85), U(rng, 0.55, 0.9)),
                    'tortilla': col(U(rng, 38, 48), U(rng, 0.15, 0.45), U(rng, 0.75, 0.95)),
                    'omelette': col(U(rng, 44, 54), U(rng, 0.55, 0.9), U(rng, 0.8, 1.0))}[item]
            poly = blob_poly3(rng, cx, cy, z + 0.6, max(r, 1.5), 24, 0.05)
            if item == 'omelette' and rng.random() < 0.5:
                poly = poly[:13]
            brown = col(U(rng, 20, 30), U(rng, 0.6, 0.9), U(rng, 0.25, 0.5))

            def fn(x0, y0, w, h, base=base, brown=brown):
                n0 = sc.n1[y0:y0 + h, x0:x0 + w, None]
                m = np.clip((n0 - 0.45) * 3, 0, 1)
                t = sc.shade(base, UP)[None, None] * (1 - m) + sc.shade(brown, UP)[None, None] * m
                return t.astype(np.float32)
            sc.fill_tex(cam.proj(poly), fn, FD)
        elif item == 'eggs':
            r = U(rng, 3.5, 5.5)
            white = blob_poly3(rng, cx, cy, z + 0.3, r, 18, 0.3)
            sc.cv.fill(cam.proj(white), sc.shade(col(U(rng, 30, 50), U(rng, 0, 0.12), U(rng, 0.85, 1.0)), UP), FD)
            yc = np.array([cx + U(rng, -1, 1), cy + U(rng, -1, 1), z + 0.9])
            yr = U(rng, 1.2, 1.7)
            q = cam.proj(yc)
            rp = yr * cam.ppc(yc)
            yk = col(U(rng, 30, 45), U(rng, 0.8, 1.0), U(rng, 0.85, 1.0))
            sc.cv.circle(q, rp, sc.shade(yk, UP), FD)
            sc.cv.circle(q + light2d(sc, yc) * rp * 0.4, max(0.6, rp * 0.22), np.array([1.0, 1.0, 1.0]), FD)
        else:
            L_ = {'steak': U(rng, 8, 13), 'fish': U(rng, 9, 15), 'bacon': U(rng, 10, 16), 'chicken': U(rng, 7, 11)}[item]
            W_ = {'steak': U(rng, 5, 8), 'fish': U(rng, 4, 7), 'bacon': U(rng, 2, 3.5), 'chicken': U(rng, 4, 6)}[item]
            yaw = U(rng, 0, np.pi)
            t = np.linspace(0, 2 * np.pi, 20, endpoint=False)
            pw = 4 if item != 'bacon' else 10
            xs_ = np.sign(np.cos(t)) * np.abs(np.cos(t)) ** (2 / pw) * L_ / 2
            ys_ = np.sign(np.sin(t)) * np.abs(np.sin(t)) ** (2 / pw) * W_ / 2
            if item == 'bacon':
                ys_ = ys_ + 0.5 * np.sin(xs_ * 1.3)
            cyw, syw = math.cos(yaw), math.sin(yaw)
            P3 = np.column_stack([cx + cyw * xs_ - syw * ys_, cy + syw * xs_ + cyw * ys_, np.full(20, z + 0.8)])
            rr_ = np.hypot(P3[:, 0] - p.cx, P3[:, 1] - p.cy)
            f = np.minimum(1.0, (rb - 0.3) / np.maximum(rr_, 1e-6))
            P3[:, 0] = p.cx + (P3[:, 0] - p.cx) * f
            P3[:, 1] = p.cy + (P3[:, 1] - p.cy) * f
            base = {'steak': col(U(rng, 8, 25), U(rng, 0.4, 0.75), U(rng, 0.15, 0.45)), 'fish': col(U(rng, 20, 35), U(rng, 0.1, 0.4), U(rng, 0.75, 0.98)),
                    'bacon': col(U(rng, 0, 15), U(rng, 0.4, 0.7), U(rng, 0.45, 0.8)), 'chicken': col(U(rng, 28, 40), U(rng, 0.3, 0.6), U(rng, 0.55, 0.9))}[item]
            sc.fill_tex(cam.proj(P3), food_fill_fn(sc, sc.shade(base, UP), z + 0.8, 0.3, mott=0.25), FD)
            if item in ('steak', 'chicken') and rng.random() < 0.6:
                for g in range(int(rng.integers(2, 5))):
                    off = (g - 1.5) * W_ * 0.28
                    a2 = np.array([[-L_ * 0.35, off - L_ * 0.1, 0], [L_ * 0.35, off + L_ * 0.1, 0]])
                    a3 = np.column_stack([cx + cyw * a2[:, 0] - syw * a2[:, 1], cy + syw * a2[:, 0] + cyw * a2[:, 1], np.full(2, z + 0.85)])
                    for p2, _, dep in cam.runs(a3):
                        sc.cv.line(p2, base * 0.35, FD, max(1, int(0.5 * cam.f / dep.mean())))


def draw_spills(sc, p):
    rng, cam = sc.rng, sc.cam
    rec = p.recipe
    c = rec.get('sauce')
    if c is None:
        c = rec.get('grain', rec.get('noodle', rec.get('oil')))
    if c is None:
        if rec['pieces']:
            c = rec['pieces'][0]['col']
        else:
            return
    zt = p.z0 if p.z0 < 1.5 else 0.35
    for k in range(int(rng.integers(1, 7))):
        a = U(rng, 0, 2 * np.pi)
        d = p.rr + p.wt + U(rng, 0.3, 7)
        poly = blob_poly3(rng, p.cx + d * math.cos(a), p.cy + d * math.sin(a), zt + 0.05, U(rng, 0.2, 1.5), 10, 0.35)
        sc.cv.fill(cam.proj(poly), sc.shade(c, UP) * U(rng, 0.7, 1.1), FD)


def draw_occluders(sc, p, t):
    """food drawn over the stirrer head (the head is partly buried in the food)"""
    rng, cam, rec = sc.rng, sc.cam, p.recipe
    if rec is None or t.get('occ', 0) <= 0 or rec['kind'] in ('empty', 'oil'):
        return
    hc, hr = t['head_c'], t['head_r']
    n = t['occ']
    kind = rec['kind']
    ztop = t['head_top']
    ops = PieceOps()
    if kind == 'noodles':
        for k in range(min(n, 8)):
            a = U(rng, 0, np.pi)
            d = np.array([math.cos(a), math.sin(a), 0])
            o = hc + rng.normal(0, hr * 0.4, 3) * np.array([1, 1, 0])
            pts = np.array([o + d * s + np.array([0, 0, ztop - hc[2] + 0.2 + 0.3 * math.sin(s)]) + np.cross(UP, d) * 0.6 * math.sin(s * 0.7) for s in np.linspace(-hr * 1.3, hr * 1.3, 10)])
            c = jit(rng, rec['noodle'], 0.05)
            for p2, _, dep in cam.runs(pts):
                w = max(1, int(round(rec['nw'] * cam.f / dep.mean())))
                sc.cv.line(p2, sc.shade(c * 0.72, UP), FD, w + 1)
                if w >= 2:
                    sc.cv.line(p2, sc.shade(c, UP), FD, w - 1)
        return
    if kind in ('mash', 'grains', 'liquid', 'chunky') and rec['sauce' if kind != 'grains' else 'grain'] is not None and rng.random() < 0.6:
        base = rec['sauce'] if kind != 'grains' else rec['grain']
        for k in range(min(n, 4)):
            o = hc + rng.normal(0, hr * 0.5, 3) * np.array([1, 1, 0])
            poly = blob_poly3(rng, o[0], o[1], ztop + 0.15, hr * U(rng, 0.25, 0.6), 12, 0.3)
            sc.fill_tex(cam.proj(poly), food_fill_fn(sc, sc.shade(base, UP), ztop, rec['gloss'] * 0.5, 1.0, 1.0), FD)
    kinds = rec['pieces']
    if kind == 'leaves':
        kinds = [dict(fam='leaf', shape='leaf', size=U(rng, 3, 6), col=col(U(rng, 95, 130), U(rng, .5, .85), U(rng, .15, .45)), brown=0, w=1)]
    if kind == 'flat':
        return
    if not kinds:
        return
    cen = np.vstack([hc + np.array([rng.normal(0, hr * 0.55), rng.normal(0, hr * 0.55), ztop - hc[2] + U(rng, -0.2, 0.3)]) for _ in range(n)])
    wh = rng.integers(0, len(kinds), n)
    gen_pieces(sc, sc.cv, kinds, cen, wh, ops)
    ops.draw()


# ----------------------------------------------------------------------------- tool materials
def material(rng, kind):
    if kind == 'steel':
        return dict(col=metal_col(rng, 0.5, 0.88), ks=U(rng, 0.4, 1.0), shin=U(rng, 15, 60), mat=2)
    if kind == 'wood':
        return dict(col=col(U(rng, 16, 40), U(rng, 0.3, 0.75), U(rng, 0.25, 0.85)), ks=U(rng, 0.03, 0.15), shin=8, mat=1)
    if kind == 'bamboo':
        return dict(col=col(U(rng, 36, 48), U(rng, 0.25, 0.5), U(rng, 0.65, 0.9)), ks=0.08, shin=8, mat=1)
    if kind == 'black':
        return dict(col=col(U(rng, 0, 360), U(rng, 0, 0.2), U(rng, 0.03, 0.16)), ks=U(rng, 0.1, 0.35), shin=15, mat=3)
    if kind == 'silicone':
        h = U(rng, 0, 360)
        return dict(col=col(h, U(rng, 0.3, 0.9), U(rng, 0.3, 0.92)), ks=U(rng, 0.08, 0.25), shin=10, mat=3)
    if kind == 'white':
        return dict(col=col(U(rng, 0, 360), U(rng, 0, 0.1), U(rng, 0.75, 0.95)), ks=0.2, shin=12, mat=3)
    if kind == 'brass':
        return dict(col=col(U(rng, 35, 45), U(rng, 0.4, 0.7), U(rng, 0.5, 0.8)), ks=0.7, shin=30, mat=2)
    if kind == 'lacquer':
        return dict(col=col(pick(rng, [0, 10, 350, 30, 0]), U(rng, 0.5, 0.9), U(rng, 0.1, 0.6)), ks=0.5, shin=40, mat=0)
    raise ValueError(kind)


def scheme(rng, typ):
    opts = {
        'spoon': ['allwood', 'allwood', 'bamboo', 'metal', 'nylon', 'silicone'],
        'ladle': ['metal', 'metal', 'nylon', 'silicone'],
        'turner': ['metal', 'nylon', 'nylon', 'silicone', 'allwood'],
        'slotted_turner': ['metal', 'nylon', 'silicone'],
        'fish_slice': ['metal', 'nylon'],
        'wood_spatula': ['allwood', 'bamboo'],
        'scraper': ['silicone'],
        'slotted_spoon': ['metal', 'nylon', 'silicone'],
        'perf_skimmer': ['metal', 'nylon'],
        'spider': ['metal'],
        'whisk': ['metal', 'metal', 'silicone'],
        'flat_whisk': ['metal', 'silicone'],
        'ball_whisk': ['metal'],
        'fork': ['metal'],
        'tongs': ['metal', 'metal', 'nylon', 'bamboo'],
        'brush': ['metal', 'allwood', 'silicone'],
        'masher': ['metal', 'nylon'],
        'chopsticks': ['allwood', 'bamboo', 'lacquer', 'metal'],
        'probe': ['metal'],
        'pasta_server': ['nylon', 'metal', 'silicone'],
        'chuan': ['metal'],
        'tasting': ['metal'],
    }[typ]
    s = pick(rng, opts)
    if s == 'allwood':
        w = material(rng, 'wood')
        return dict(head=w, neck=w, handle=w, band=material(rng, pick(rng, ['wood', 'silicone', 'steel'])))
    if s == 'bamboo':
        w = material(rng, 'bamboo')
        return dict(head=w, neck=w, handle=w, band=material(rng, 'bamboo'))
    if s == 'lacquer':
        w = material(rng, 'lacquer')
        return dict(head=w, neck=w, handle=w, band=material(rng, pick(rng, ['lacquer', 'brass', 'white'])))
    if s == 'metal':
        m = material(rng, 'steel')
        hk = pick(rng, ['steel', 'black', 'wood', 'silicone', 'white', 'black', 'wood'])
        return dict(head=m, neck=m, handle=material(rng, hk) if hk != 'steel' else m,
                    band=material(rng, pick(rng, ['steel', 'silicone', 'black', 'brass'])))
    if s == 'nylon':
        m = material(rng, pick(rng, ['black', 'black', 'silicone', 'white']))
        hk = pick(rng, ['same', 'same', 'steel', 'black'])
        return dict(head=m, neck=m if hk == 'same' else material(rng, 'steel') if hk == 'steel' else m,
                    handle=m if hk == 'same' else material(rng, hk), band=material(rng, pick(rng, ['steel', 'silicone'])))
    m = material(rng, 'silicone')
    hk = pick(rng, ['same', 'steel', 'wood', 'black', 'silicone'])
    neck = m if hk in ('same', 'silicone', 'black') else material(rng, 'steel') if hk == 'steel' else material(rng, 'wood')
    return dict(head=m, neck=neck, handle=m if hk == 'same' else (neck if hk in ('steel', 'wood') else material(rng, hk)),
                band=material(rng, pick(rng, ['steel', 'silicone', 'black'])))


# ----------------------------------------------------------------------------- tool geometry
def frame(hc, az, el, pitch, roll, Lh, ucen=None):
    a = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    dh = np.array([-math.cos(pitch) * math.cos(az), -math.cos(pitch) * math.sin(az), -math.sin(pitch)])
    bh0 = np.array([-math.sin(az), math.cos(az), 0.0])
    nh0 = np.cross(bh0, dh)
    bh = bh0 * math.cos(roll) + nh0 * math.sin(roll)
    nh = unit(np.cross(bh, dh))
    O = hc - dh * (Lh / 2 if ucen is None else ucen)
    return O, a, dh, bh, nh


def P3(O, dh, bh, nh, u, v, w=0.0):
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    w = np.broadcast_to(np.asarray(w, np.float64), u.shape)
    return O[None] + u[:, None] * dh[None] + v[:, None] * bh[None] + w[:, None] * nh[None]


def circ(n, cu, cv_, ru, rv=None, a0=0.0):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False) + a0
    return cu + ru * np.cos(t), cv_ + (ru if rv is None else rv) * np.sin(t)


def mcol(sc, m, n, P):
    return sc.shade(m['col'], n, P, m['ks'], m['shin'])


def handle_prims(sc, rng, O, a, a_n, bh, Ln, Lhd, M, cls, style=None):
    """neck (length Ln along a_n) + handle (length Lhd along a) starting at O"""
    prims = []
    st = style or {}
    flat = st.get('flat', rng.random() < 0.42)
    hn = unit(np.cross(a, bh))
    bnd = rng.random() < 0.45
    if flat:
        wn = st.get('wn', U(rng, 0.5, 1.1))
        wh = st.get('wh', U(rng, 1.1, 2.6))
        flare = U(rng, 0.9, 1.35)
        sp = [O, O + a_n * Ln]
        ss = np.linspace(0, 1, 7)[1:]
        for s in ss:
            sp.append(O + a_n * Ln + a * Lhd * s)
        S = np.array(sp)
        wid = np.concatenate([[wn, wn * 1.1], wh * (0.75 + 0.25 * ss ** 0.5) * (1 + (flare - 1) * ss ** 2)])
        ax_end = a
        ang = np.linspace(0, np.pi, 9)[1:-1]
        cap = S[-1][None] + np.cos(ang)[:, None] * bh[None] * wid[-1] / 2 + np.sin(ang)[:, None] * ax_end[None] * wid[-1] * U(rng, 0.3, 0.6)
        left = S + bh[None] * wid[:, None] / 2
        right = S - bh[None] * wid[:, None] / 2
        # neck part (first two spine points) and handle part as separate polygons (materials)
        neckpoly = np.vstack([left[:2], right[1::-1]])
        hpoly = np.vstack([left[1:], cap, right[:0:-1]])
        prims.append(dict(k='poly', P=neckpoly, c=mcol(sc, M['neck'], hn, S[0]), cls=cls, mat=M['neck']['mat']))
        prims.append(dict(k='poly', P=hpoly, c=mcol(sc, M['handle'], hn, S[4]), cls=cls, mat=M['handle']['mat']))
        prims.append(dict(k='line', P=left[1:], c=mcol(sc, M['handle'], hn, S[4]) * 1.2 + 0.04, th=0.12, cls=cls))
        if st.get('scales', rng.random() < 0.35):
            # inserts (scales) with rivets
            sc_m = M['band'] if M['band']['mat'] != 2 else material(rng, pick(rng, ['wood', 'black', 'silicone']))
            i0 = 3
            inner = np.vstack([S[i0:] + bh[None] * wid[i0:, None] * 0.33 + hn * 0.15, (S[i0:] - bh[None] * wid[i0:, None] * 0.33 + hn * 0.15)[::-1]])
            prims.append(dict(k='poly', P=inner, c=mcol(sc, sc_m, hn, S[4]), cls=cls, mat=sc_m['mat']))
            for rv in range(int(rng.integers(2, 4))):
                cpos = S[i0] + (S[-1] - S[i0]) * (0.15 + 0.3 * rv) + hn * 0.2
                cu, cv_ = circ(8, 0, 0, min(0.25, wh * 0.12))
                prims.append(dict(k='poly', P=cpos[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None], c=metal_col(rng, 0.7, 1.0), cls=cls, mat=2))
        hang = st.get('hang', pick(rng, ['hole', 'hole', 'none', 'slot']))
        if hang != 'none':
            hcen = S[-1] - a * wid[-1] * 0.2
            hr = wid[-1] * U(rng, 0.14, 0.24)
            cu, cv_ = circ(12, 0, 0, hr * (2.2 if hang == 'slot' else 1.0), hr)
            prims.append(dict(k='hole', P=hcen[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None]))
        if bnd and rng.random() < 0.5:
            b0 = int(rng.integers(2, 5))
            bp = np.vstack([left[b0:b0 + 2], right[b0 + 1:b0 - 1:-1]]) + hn * 0.1
            prims.append(dict(k='poly', P=bp, c=mcol(sc, M['band'], hn, S[b0]), cls=cls, mat=M['band']['mat']))
        end = S[-1]
    else:
        rn = st.get('rn', U(rng, 0.18, 0.45))
        rh = st.get('rh', U(rng, 0.35, 1.2))
        if st.get('uniform'):
            rn = rh
        prof = st.get('prof', pick(rng, ['straight', 'taper', 'bulge', 'flare']))
        sp, R, C = [O], [rn], [M['neck']['col']]
        sp.append(O + a_n * Ln * 0.98)
        R.append(rn)
        C.append(M['neck']['col'])
        ss = np.linspace(0, 1, 8)
        base = O + a_n * Ln
        bands = []
        if bnd:
            for _ in range(int(rng.integers(1, 3))):
                b0 = U(rng, 0.0, 0.85)
                bands.append((b0, b0 + U(rng, 0.03, 0.15)))
        def prof_r(s):
            return rh * {'straight': 1.0, 'taper': 0.75 + 0.35 * s, 'bulge': 0.8 + 0.35 * math.sin(math.pi * s), 'flare': 0.85 + 0.4 * s ** 3}[prof]

        for s in ss:
            r = prof_r(s)
            if s == 0:
                r = (rn + r) / 2
            cc = M['handle']['col']
            for b0, b1 in bands:
                if b0 <= s < b1:
                    cc = M['band']['col']
            sp.append(base + a * Lhd * s)
            R.append(r)
            C.append(cc)
        # explicit band boundary points
        S = np.array(sp)
        Rr = np.array(R)
        Cc = np.array(C)
        if bands:
            sv = [(-1.0, S[0], Rr[0], Cc[0]), (-0.5, S[1], Rr[1], Cc[1])]
            for s, P_, r_, c_ in zip(ss, S[2:], Rr[2:], Cc[2:]):
                sv.append((s, P_, r_, c_))
            for b0, b1 in bands:
                for bb, cc in ((b0, M['band']['col']), (b1, M['handle']['col'])):
                    if bb <= 0 or bb >= 1:
                        continue
                    sv.append((bb, base + a * Lhd * bb, prof_r(bb) * 1.04, cc))
            sv.sort(key=lambda t: t[0])
            S = np.array([t[1] for t in sv])
            Rr = np.array([t[2] for t in sv])
            Cc = np.array([t[3] for t in sv])
            # colour of a segment = colour of its start point: recompute by position
            for i in range(len(sv)):
                s = sv[i][0]
                cc = M['handle']['col'] if s >= 0 else M['neck']['col']
                for b0, b1 in bands:
                    if b0 <= s < b1:
                        cc = M['band']['col']
                Cc[i] = cc
        prims.append(dict(k='tube', S=S, R=Rr, C=Cc, cls=cls, mat=M['handle']['mat'], ks=M['handle']['ks'], shin=M['handle']['shin'],
                          mats=[M['neck']['mat']] * 2))
        end = S[-1]
        hang = st.get('hang', pick(rng, ['none', 'none', 'ring', 'disc']))
        if hang == 'ring':
            cu, cv_ = circ(14, rh * 2.2, 0, rh * 1.6 + 0.6, rh * 1.2 + 0.5)
            ring = end[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None] - a[None] * rh * 0.5
            prims.append(dict(k='line', P=np.vstack([ring, ring[:1]]), c=metal_col(rng), th=0.18, cls=cls, mat=2))
        elif hang == 'disc':
            cu, cv_ = circ(14, rh * 1.4, 0, rh * 1.6)
            cen = end[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None]
            prims.append(dict(k='poly', P=cen, c=mcol(sc, M['handle'], hn, end), cls=cls, mat=M['handle']['mat']))
            cu, cv_ = circ(10, rh * 1.6, 0, rh * 0.7)
            prims.append(dict(k='hole', P=end[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None]))
    return prims, end


def head_spoon(sc, rng, O, dh, bh, nh, M, cls, L, Wd, variant):
    prims = []
    n = 30
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    egg = U(rng, 0.0, 0.35)
    u = L / 2 * (1 - np.cos(t))
    v = Wd / 2 * np.sin(t) * (1 - egg * np.cos(t))
    hm = M['head']
    c0 = mcol(sc, hm, nh, O + dh * L / 2)
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, u, v), c=c0, cls=cls, mat=hm['mat']))
    # bowl interior (concave): darker on the side towards the light, highlight on the other
    ui = L * 0.55 + 0.78 * (u - L * 0.55)
    vi = 0.78 * v
    l_b = float(sc.L @ bh)
    cin = c0 * U(rng, 0.72, 0.9)
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, ui, vi, -0.05), c=cin, cls=cls, mat=hm['mat']))
    cu, cv_ = circ(12, L * 0.55, -np.sign(l_b) * Wd * 0.15, L * 0.18, Wd * 0.12)
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, cu, cv_, -0.04), c=np.minimum(c0 * 1.3 + hm['ks'] * 0.35, 1.3), cls=cls, mat=hm['mat']))
    if variant == 'slots':
        ns = int(rng.integers(2, 6))
        for k in range(ns):
            vv = (k - (ns - 1) / 2) * Wd * 0.14
            cu, cv_ = circ(10, L * 0.55, vv, L * 0.22, Wd * U(rng, 0.025, 0.045))
            prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    elif variant == 'holes':
        hr = U(rng, 0.18, 0.32)
        sp = hr * U(rng, 2.6, 3.6)
        for uu in np.arange(L * 0.25, L * 0.85, sp):
            for vv in np.arange(-Wd * 0.35, Wd * 0.36, sp):
                if ((uu - L * 0.55) / (L * 0.38)) ** 2 + (vv / (Wd * 0.4)) ** 2 < 1:
                    cu, cv_ = circ(8, uu, vv, hr)
                    prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    elif variant == 'teeth':
        nt = int(rng.integers(6, 10))
        for k in range(nt):
            tt = np.pi + (k - (nt - 1) / 2) * (1.8 / nt)
            bu, bv = L / 2 * (1 - math.cos(tt)), Wd / 2 * math.sin(tt)
            nu, nv = -math.cos(tt), math.sin(tt)
            tl = U(rng, 0.6, 1.1)
            tri_u = np.array([bu - 0.25 * nv, bu + tl * nu, bu + 0.25 * nv])
            tri_v = np.array([bv + 0.25 * nu, bv + tl * nv, bv - 0.25 * nu])
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, tri_u - 0.2 * nu, tri_v - 0.2 * nv), c=c0, cls=cls, mat=hm['mat']))
        cu, cv_ = circ(12, L * 0.5, 0, L * 0.12, Wd * 0.1)
        prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    return prims, dict(kind='bowl', L=L, W=Wd)


def head_ladle(sc, rng, O, dh, bh, nh, M, cls, R, depth):
    prims = []
    n = 24
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    hm = M['head']
    rim = P3(O, dh, bh, nh, R + R * np.cos(t), R * np.sin(t))
    low = P3(O, dh, bh, nh, R + 0.72 * R * np.cos(t), 0.72 * R * np.sin(t), -0.65 * depth)
    bot = P3(O, dh, bh, nh, np.array([R]), np.array([0.0]), -depth)
    cout = mcol(sc, hm, -sc.L + UP * 0.3, O)
    prims.append(dict(k='hull', rings=[rim, low, bot], c=cout * 0.9, cls=cls, mat=hm['mat']))
    # outside highlight band
    hl = P3(O, dh, bh, nh, R + 0.85 * R * np.cos(t), 0.85 * R * np.sin(t), -0.35 * depth)
    prims.append(dict(k='line', P=hl[n // 4: n // 2], c=np.minimum(cout * 1.4 + 0.15 * hm['ks'], 1.3), th=0.3, cls=cls, mat=hm['mat']))
    cin = mcol(sc, hm, nh, O) * 0.75
    prims.append(dict(k='poly', P=rim, c=cin, cls=cls, mat=hm['mat']))
    prims.append(dict(k='line', P=np.vstack([rim, rim[:1]]), c=np.minimum(cin * 1.5 + 0.1, 1.3), th=0.2, cls=cls, mat=hm['mat']))
    return prims, dict(kind='ladle', L=2 * R, W=2 * R, R=R, depth=depth)


def head_blade(sc, rng, O, dh, bh, nh, M, cls, L, Wd, variant):
    prims = []
    hm = M['head']
    taper = U(rng, 0.25, 0.9)
    wn = Wd * taper
    ang = math.radians(U(rng, -25, 25)) if rng.random() < 0.4 else 0.0
    rc = Wd * U(rng, 0.05, 0.45)
    if variant == 'wood':
        rc = Wd * U(rng, 0.3, 0.5)
    ub = L * U(rng, 0.2, 0.45)
    pts = [(0, -wn / 2), (ub, -Wd / 2)]
    tipL = L + math.tan(ang) * (-Wd / 2)
    tipR = L + math.tan(ang) * (Wd / 2)
    # left corner rounded
    for k in range(4):
        a = -np.pi / 2 + k * (np.pi / 2) / 3
        pts.append((tipL - rc + rc * math.cos(a), -Wd / 2 + rc + rc * math.sin(a) * 1.0))
    if variant == 'scraper' and rng.random() < 0.6:
        pts.append((tipR - rc * 0.2, Wd / 2 - rc * 0.2))
    else:
        for k in range(4):
            a = k * (np.pi / 2) / 3
            pts.append((tipR - rc + rc * math.cos(a), Wd / 2 - rc + rc * math.sin(a)))
    pts += [(ub, Wd / 2), (0, wn / 2)]
    pts = np.array(pts)
    c0 = mcol(sc, hm, nh, O + dh * L / 2)
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, pts[:, 0], pts[:, 1]), c=c0, cls=cls, mat=hm['mat']))
    # bevelled front edge
    edge = pts[2:-2]
    prims.append(dict(k='line', P=P3(O, dh, bh, nh, edge[:, 0], edge[:, 1], 0.02), c=np.minimum(c0 * 1.35 + 0.05, 1.3), th=0.12, cls=cls, mat=hm['mat']))
    if variant == 'slots':
        ns = int(rng.integers(3, 7))
        sl = U(rng, 0.35, 0.6) * L
        for k in range(ns):
            vv = (k - (ns - 1) / 2) * Wd * 0.7 / max(ns - 1, 1)
            cu, cv_ = circ(10, ub + (L - ub) * 0.45, vv, sl / 2, Wd * U(rng, 0.025, 0.05))
            prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    elif variant == 'fish':
        ns = int(rng.integers(6, 12))
        for k in range(ns):
            vv = (k - (ns - 1) / 2) * Wd * 0.8 / max(ns - 1, 1)
            u0 = ub * 0.8 + 0.5
            cu, cv_ = circ(8, (u0 + L * 0.85) / 2, vv, (L * 0.85 - u0) / 2, Wd * 0.015)
            prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    elif variant == 'wood' and rng.random() < 0.4:
        cu, cv_ = circ(12, L * 0.6, 0, L * 0.12, Wd * 0.15)
        prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
    elif variant == 'chuan':
        # raised side lips of a wok spatula
        for sgn in (-1, 1):
            lip = P3(O, dh, bh, nh, np.array([ub, L * 0.95]), np.array([sgn * Wd / 2, sgn * Wd / 2]), 0.6)
            prims.append(dict(k='line', P=lip, c=c0 * 1.15, th=0.5, cls=cls, mat=hm['mat']))
    return prims, dict(kind='blade', L=L, W=Wd)


def head_disk(sc, rng, O, dh, bh, nh, M, cls, R, mesh):
    prims = []
    hm = M['head']
    n = 28
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    c0 = mcol(sc, hm, nh, O)
    if not mesh:
        prims.append(dict(k='poly', P=P3(O, dh, bh, nh, R + R * np.cos(t), R * np.sin(t)), c=c0, cls=cls, mat=hm['mat']))
        hr = U(rng, 0.15, 0.35)
        sp = hr * U(rng, 2.5, 3.5)
        for iu, uu in enumerate(np.arange(-R * 0.8, R * 0.81, sp * 0.87)):
            off = (iu % 2) * sp / 2
            for vv in np.arange(-R * 0.8 + off, R * 0.81, sp):
                if uu * uu + vv * vv < (R * 0.82) ** 2:
                    cu, cv_ = circ(6, R + uu, vv, hr)
                    prims.append(dict(k='hole', P=P3(O, dh, bh, nh, cu, cv_)))
        prims.append(dict(k='line', P=P3(O, dh, bh, nh, np.r_[R + R * np.cos(t), 2 * R], np.r_[R * np.sin(t), 0], 0.02),
                          c=np.minimum(c0 * 1.3, 1.3), th=0.2, cls=cls, mat=2))
    else:
        wire = U(rng, 0.05, 0.12)
        rim = P3(O, dh, bh, nh, np.r_[R + R * np.cos(t), 2 * R], np.r_[R * np.sin(t), 0])
        prims.append(dict(k='line', P=rim, c=c0, th=U(rng, 0.2, 0.35), cls=cls, mat=hm['mat']))
        style = pick(rng, ['grid', 'spider'])
        depth = U(rng, 0, 0.5) * R
        cw = c0 * U(rng, 0.8, 1.1)
        if style == 'grid':
            pitch = U(rng, 0.5, 1.3)
            for vv in np.arange(-R + pitch / 2, R, pitch):
                hw = math.sqrt(max(R * R - vv * vv, 0))
                uu = np.linspace(R - hw, R + hw, 6)
                w = -depth * (1 - ((uu - R) ** 2 + vv * vv) / (R * R))
                prims.append(dict(k='line', P=P3(O, dh, bh, nh, uu, np.full(6, vv), w), c=cw, th=wire, cls=cls, mat=hm['mat']))
                prims.append(dict(k='line', P=P3(O, dh, bh, nh, np.full(6, R + vv), uu - R, w), c=cw, th=wire, cls=cls, mat=hm['mat']))
        else:
            nr = int(rng.integers(8, 16))
            for k in range(nr):
                a = 2 * np.pi * k / nr
                rr = np.linspace(0, R, 6)
                w = -depth * (1 - (rr / R) ** 2)
                prims.append(dict(k='line', P=P3(O, dh, bh, nh, R + rr * math.cos(a), rr * math.sin(a), w), c=cw, th=wire, cls=cls, mat=hm['mat']))
            for rr in np.arange(R * 0.15, R, U(rng, 0.5, 1.0)):
                w = -depth * (1 - (rr / R) ** 2)
                tt = np.linspace(0, 2 * np.pi, 24)
                prims.append(dict(k='line', P=P3(O, dh, bh, nh, R + rr * np.cos(tt), rr * np.sin(tt), w), c=cw, th=wire, cls=cls, mat=hm['mat']))
    return prims, dict(kind='disk', L=2 * R, W=2 * R, R=R)


def head_whisk(sc, rng, O, dh, bh, nh, M, cls, L, R, variant):
    prims = []
    hm = M['head']
    wire = U(rng, 0.07, 0.14) if hm['mat'] == 2 else U(rng, 0.18, 0.3)
    x = np.linspace(0, 1, 22)
    x0 = U(rng, 0.35, 0.55)
    r = np.where(x < x0, 0.12 + 0.88 * (x / x0) ** 0.8, np.sqrt(np.clip(1 - ((x - x0) / (1 - x0)) ** 2, 0, 1)))
    r[-1] = 0
    if variant == 'balloon':
        nl = int(rng.integers(4, 9))
        a0 = U(rng, 0, np.pi)
        for k in range(nl):
            th = a0 + np.pi * k / nl
            e = math.cos(th) * bh + math.sin(th) * nh
            side1 = O[None] + (x * L)[:, None] * dh[None] + (r * R)[:, None] * e[None]
            side2 = O[None] + (x * L)[:, None] * dh[None] - (r * R)[:, None] * e[None]
            loop = np.vstack([side1, side2[::-1]])
            cc = sc.shade(hm['col'], e, O, hm['ks'], hm['shin'])
            prims.append(dict(k='line', P=loop, c=cc, th=wire, cls=cls, mat=hm['mat']))
    elif variant == 'flat':
        nl = int(rng.integers(3, 5))
        for k in range(nl):
            s = 0.45 + 0.55 * (k + 1) / nl
            rr = r * R * s
            side1 = O[None] + (x * L * (0.6 + 0.4 * s))[:, None] * dh[None] + rr[:, None] * bh[None]
            side2 = O[None] + (x * L * (0.6 + 0.4 * s))[:, None] * dh[None] - rr[:, None] * bh[None]
            loop = np.vstack([side1, side2[::-1]])
            prims.append(dict(k='line', P=loop, c=mcol(sc, hm, nh, O), th=wire, cls=cls, mat=hm['mat']))
        # coil wound around the outer loop
        if rng.random() < 0.6:
            tt = np.linspace(0, 1, 40)
            cu = x0 * L + (L * 0.95 - x0 * L) * tt
            coil = O[None] + cu[:, None] * dh[None] + (R * 0.6 * np.sin(tt * 30))[:, None] * bh[None] + (0.3 * np.cos(tt * 30))[:, None] * nh[None]
            prims.append(dict(k='line', P=coil, c=mcol(sc, hm, nh, O), th=wire * 0.8, cls=cls, mat=hm['mat']))
    else:  # ball whisk
        nl = int(rng.integers(6, 12))
        for k in range(nl):
            th = 2 * np.pi * k / nl
            e = math.cos(th) * bh + math.sin(th) * nh
            tip = O + dh * L * U(rng, 0.85, 1.0) + e * R * 0.7
            prims.append(dict(k='line', P=np.array([O, tip]), c=mcol(sc, hm, e, O), th=wire, cls=cls, mat=hm['mat']))
            cu, cv_ = circ(8, 0, 0, 0.35)
            prims.append(dict(k='poly', P=tip[None] + cu[:, None] * dh[None] + cv_[:, None] * unit(np.cross(dh, UP) + 1e-9)[None],
                              c=mcol(sc, hm, UP, tip) * 1.1, cls=cls, mat=hm['mat']))
    return prims, dict(kind='whisk', L=L, W=2 * R)


def head_fork(sc, rng, O, dh, bh, nh, M, cls, L, ntine, spread):
    prims = []
    hm = M['head']
    c0 = mcol(sc, hm, nh, O)
    bl = L * 0.18
    bw = spread + 0.5
    base = np.array([(0, -0.4), (bl, -bw / 2), (bl * 1.2, -bw / 2), (bl * 1.2, bw / 2), (bl, bw / 2), (0, 0.4)])
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, base[:, 0], base[:, 1]), c=c0, cls=cls, mat=hm['mat']))
    tw = U(rng, 0.2, 0.4)
    for k in range(ntine):
        vv = (k - (ntine - 1) / 2) * spread / max(ntine - 1, 1)
        tine = np.array([(bl * 1.1, vv - tw / 2), (L, vv - tw * 0.15), (L, vv + tw * 0.15), (bl * 1.1, vv + tw / 2)])
        curve = -0.3 * L * 0.15 * (tine[:, 0] / L) ** 2 * (1 if rng.random() < 0.5 else 0)
        prims.append(dict(k='poly', P=P3(O, dh, bh, nh, tine[:, 0], tine[:, 1], curve), c=c0 * (1.0 + 0.1 * (k % 2)), cls=cls, mat=hm['mat']))
    return prims, dict(kind='fork', L=L, W=spread)


def head_brush(sc, rng, O, dh, bh, nh, M, cls, L, Wd):
    prims = []
    bm = material(rng, pick(rng, ['silicone', 'bamboo', 'white']))
    if bm['mat'] == 1:
        bm['col'] = col(U(rng, 30, 45), U(rng, 0.2, 0.5), U(rng, 0.6, 0.9))
    c0 = mcol(sc, bm, nh, O)
    fer = np.array([(0, -Wd * 0.4), (L * 0.25, -Wd / 2), (L * 0.25, Wd / 2), (0, Wd * 0.4)])
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, fer[:, 0], fer[:, 1], 0.1), c=mcol(sc, material(rng, 'steel'), nh, O), cls=cls, mat=2))
    nb = 9
    tipu = L + rng.normal(0, L * 0.04, nb)
    vv = np.linspace(-Wd / 2, Wd / 2, nb)
    outline = np.vstack([np.column_stack([np.full(1, L * 0.25), [-Wd / 2]]), np.column_stack([tipu, vv * 1.1]), np.column_stack([[L * 0.25], [Wd / 2]])])
    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, outline[:, 0], outline[:, 1]), c=c0, cls=cls, mat=3))
    for k in range(nb):
        prims.append(dict(k='line', P=P3(O, dh, bh, nh, np.array([L * 0.28, tipu[k] * 0.97]), np.array([vv[k] * 0.9, vv[k] * 1.05]), 0.05),
                          c=c0 * 0.75, th=0.05, cls=cls, mat=3))
    return prims, dict(kind='brush', L=L, W=Wd)


def head_masher(sc, rng, O, a, M, cls, R, stem):
    """plate perpendicular to the handle axis a, hanging below O"""
    prims = []
    hm = M['head']
    e1 = unit(np.cross(a, UP + np.array([1e-3, 0, 0])))
    e2 = unit(np.cross(a, e1))
    pc = O - a * stem
    c0 = mcol(sc, hm, a, pc)
    for sgn in (-1, 1):
        prims.append(dict(k='line', P=np.array([O + e1 * 0.3 * sgn, pc + e1 * R * 0.6 * sgn]), c=c0, th=0.3, cls=cls, mat=hm['mat']))
    n = 24
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    if rng.random() < 0.5:
        sq = rng.random() < 0.4
        cu = R * np.cos(t)
        cv_ = R * np.sin(t) * (0.75 if sq else 1.0)
        prims.append(dict(k='poly', P=pc[None] + cu[:, None] * e1[None] + cv_[:, None] * e2[None], c=c0, cls=cls, mat=hm['mat']))
        hr = U(rng, 0.25, 0.45)
        sp = hr * U(rng, 2.4, 3.2)
        for uu in np.arange(-R * 0.8, R * 0.81, sp):
            for vv in np.arange(-R * 0.8, R * 0.81, sp):
                if uu * uu + vv * vv < (R * 0.8) ** 2:
                    cu, cv_ = circ(6, uu, vv, hr)
                    prims.append(dict(k='hole', P=pc[None] + cu[:, None] * e1[None] + cv_[:, None] * e2[None]))
    else:
        nz = int(rng.integers(4, 8))
        xs = np.linspace(-R, R, 2 * nz + 1)
        ys = np.where(np.arange(2 * nz + 1) % 2 == 0, -R * 0.7, R * 0.7)
        zz = pc[None] + xs[:, None] * e1[None] + ys[:, None] * e2[None]
        prims.append(dict(k='line', P=zz, c=c0, th=0.22, cls=cls, mat=hm['mat']))
    return prims, dict(kind='masher', L=2 * R, W=2 * R, pc=pc)


def head_probe_body(sc, rng, end, a, bh, cls):
    prims = []
    hn = unit(np.cross(a, bh))
    if rng.random() < 0.5:
        # digital body
        bm = material(rng, pick(rng, ['black', 'silicone', 'white']))
        L, Wd = U(rng, 6, 11), U(rng, 2.5, 4.5)
        u = np.array([0, L, L, 0])
        v = np.array([-Wd / 2, -Wd / 2, Wd / 2, Wd / 2])
        pts = end[None] + u[:, None] * a[None] + v[:, None] * bh[None]
        prims.append(dict(k='poly', P=pts, c=mcol(sc, bm, hn, end), cls=cls, mat=3))
        u2 = np.array([L * 0.2, L * 0.55, L * 0.55, L * 0.2])
        v2 = np.array([-Wd * 0.35, -Wd * 0.35, Wd * 0.35, Wd * 0.35])
        prims.append(dict(k='poly', P=end[None] + u2[:, None] * a[None] + v2[:, None] * bh[None] + hn * 0.1, c=col(U(rng, 60, 180), 0.2, U(rng, 0.15, 0.5)), cls=cls))
        for d in range(3):
            vv = -Wd * 0.2 + d * Wd * 0.18
            seg = end[None] + np.array([L * 0.3, L * 0.45])[:, None] * a[None] + vv * bh[None] + hn * 0.15
            prims.append(dict(k='line', P=seg, c=np.array([0.05, 0.05, 0.05]), th=0.12, cls=cls))
    else:
        # dial thermometer: disc perpendicular to the probe
        R = U(rng, 1.8, 3.0)
        e1 = unit(np.cross(a, UP + np.array([1e-3, 0, 0])))
        e2 = unit(np.cross(a, e1))
        t = np.linspace(0, 2 * np.pi, 20, endpoint=False)
        rim = end[None] + R * (np.cos(t)[:, None] * e1[None] + np.sin(t)[:, None] * e2[None])
        prims.append(dict(k='poly', P=rim, c=mcol(sc, material(rng, 'steel'), a, end), cls=cls, mat=2))
        face = end[None] + a * 0.1 + 0.85 * R * (np.cos(t)[:, None] * e1[None] + np.sin(t)[:, None] * e2[None])
        prims.append(dict(k='poly', P=face, c=sc.shade(col(0, 0, U(rng, 0.8, 0.98)), a, end), cls=cls))
        na = U(rng, 0, 6)
        prims.append(dict(k='line', P=np.array([end + a * 0.15, end + a * 0.15 + 0.7 * R * (math.cos(na) * e1 + math.sin(na) * e2)]),
                          c=col(0, 0.9, 0.8), th=0.1, cls=cls))
    return prims


def lift_food_prims(sc, rng, rec, O, dh, bh, nh, info, cls=FD):
    """food carried on the tool head (food class)"""
    prims = []
    if rec is None or rec['kind'] in ('empty',):
        return prims
    kind = rec['kind']
    hk = info['kind']
    L, Wd = info['L'], info['W']
    base = rec.get('sauce')
    if base is None:
        base = rec.get('grain', rec.get('noodle'))
    pcs = rec['pieces']
    if hk == 'ladle':
        R, d = info['R'], info['depth']
        if base is not None and kind in ('liquid', 'chunky'):
            cu, cv_ = circ(20, R, 0, R * 0.86)
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, cu, cv_, -0.2 * d), c=sc.shade(base, UP), cls=cls))
            for k in range(int(rng.integers(0, 4))):
                if pcs:
                    pk = pcs[int(rng.integers(len(pcs)))]
                    cu, cv_ = circ(8, R + rng.normal(0, R * 0.3), rng.normal(0, R * 0.3), min(pk['size'], R) * 0.4)
                    prims.append(dict(k='poly', P=P3(O, dh, bh, nh, cu, cv_, -0.15 * d), c=sc.shade(pk['col'], UP), cls=cls))
        return prims
    if hk in ('bowl', 'blade', 'disk'):
        uc = L * 0.55 if hk != 'disk' else L / 2
        if kind in ('liquid', 'chunky', 'mash', 'grains') and base is not None and hk == 'bowl':
            cu, cv_ = circ(16, uc, 0, L * U(rng, 0.2, 0.36), Wd * U(rng, 0.2, 0.34))
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, cu, cv_, 0.15), c=sc.shade(base, UP), cls=cls))
        elif kind in ('mash', 'grains') and base is not None:
            pts = blob_poly3(rng, 0, 0, 0, 1.0, 14, 0.3)
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, uc + pts[:, 0] * L * 0.3, pts[:, 1] * Wd * 0.3, 0.3), c=sc.shade(base, UP), cls=cls))
        n = int(rng.integers(1, 7))
        kinds = pcs if pcs else []
        if kind == 'leaves':
            kinds = [dict(col=col(U(rng, 95, 130), U(rng, .5, .85), U(rng, .15, .45)), size=4.0)]
        if kind == 'flat':
            kinds = [dict(col=col(U(rng, 28, 45), U(rng, 0.4, 0.8), U(rng, 0.5, 0.9)), size=min(L, Wd) * 0.8)]
            n = 1
        for k in range(n if kinds else 0):
            pk = kinds[int(rng.integers(len(kinds)))]
            s = min(pk['size'], min(L, Wd) * 0.5) * U(rng, 0.5, 1.0)
            pts = blob_poly3(rng, 0, 0, 0, s / 2, 10, 0.25)
            uu = uc + rng.normal(0, L * 0.12)
            vv = rng.normal(0, Wd * 0.12)
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, uu + pts[:, 0], vv + pts[:, 1], 0.3 + s * 0.2),
                              c=sc.shade(jit(rng, pk['col']), nh) , cls=cls))
        if kind == 'noodles':
            prims += hanging_noodles(sc, rng, rec, P3(O, dh, bh, nh, np.array([L * 0.9]), np.array([0.0]))[0], Wd, dh)
        return prims
    if hk in ('fork', 'tongs', 'sticks', 'whisk'):
        tip = P3(O, dh, bh, nh, np.array([L * 0.85]), np.array([0.0]))[0]
        if kind == 'noodles':
            prims += hanging_noodles(sc, rng, rec, tip, max(Wd, 1.5), dh)
        elif pcs or kind in ('leaves', 'flat'):
            kinds = pcs if pcs else [dict(col=col(U(rng, 95, 130), U(rng, .5, .85), U(rng, .15, .45)), size=3.0)]
            pk = kinds[int(rng.integers(len(kinds)))]
            s = min(pk['size'], 3.5)
            pts = blob_poly3(rng, 0, 0, 0, s / 2, 10, 0.25)
            prims.append(dict(k='poly', P=P3(O, dh, bh, nh, L * 0.8 + pts[:, 0], pts[:, 1], 0.35), c=sc.shade(jit(rng, pk['col']), nh), cls=cls))
    return prims


def hanging_noodles(sc, rng, rec, tip, width, dh):
    prims = []
    nc = rec.get('noodle', np.array([0.6, 0.8, 0.9]))
    nw = rec.get('nw', 0.3)
    zb = rec['level']
    for k in range(int(rng.integers(2, 7))):
        off = rng.normal(0, min(width, 4.0) * 0.25) * np.cross(UP, unit(dh + 1e-9 * UP)) - dh * U(rng, 0, min(width, 5.0) * 0.5)
        top = tip + off + np.array([0, 0, U(rng, -0.2, 0.3)])
        drop = max(top[2] - zb, 0.5)
        n = 8
        s = np.linspace(0, 1, n)
        sw = rng.normal(0, 1.5, 2)
        pts = np.column_stack([top[0] + sw[0] * np.sin(s * np.pi) + s * rng.normal(0, 1),
                               top[1] + sw[1] * np.sin(s * np.pi) + s * rng.normal(0, 1),
                               top[2] - drop * s - 0.3])
        c = sc.shade(jit(rng, nc, 0.05), UP)
        prims.append(dict(k='line', P=pts, c=c * 0.75, th=nw * 1.25, cls=FD))
        prims.append(dict(k='line', P=pts, c=c, th=nw * 0.7, cls=FD))
    return prims


# ----------------------------------------------------------------------------- rendering of 3-D primitives
def draw_tube(sc, cv, S, R, C, cls, mat, ks, shin, mats=None, menis=None, zlo=None):
    cam = sc.cam
    for p2, attr, dep in cam.runs(np.column_stack([S, R, C])):
        n = len(p2)
        if n < 2:
            continue
        Rr = attr[:, 0]
        Cr = attr[:, 1:4]
        rpx = Rr * cam.f / np.maximum(dep, ZN)
        d = np.diff(p2, axis=0)
        d = np.vstack([d[:1], (d[:-1] + d[1:]) * 0.5, d[-1:]]) if n > 2 else np.vstack([d, d])
        ln = np.linalg.norm(d, axis=1, keepdims=True)
        ln[ln < 1e-9] = 1
        tt = d / ln
        perp = np.column_stack([-tt[:, 1], tt[:, 0]])
        # 3-D frame for shading: recover world points of this run by inverse (use nearest original spine)
        Pc = np.column_stack([(p2[:, 0] - cam.cx) * dep / cam.f, (p2[:, 1] - cam.cy) * dep / cam.f, dep])
        Pw = Pc @ cam.R + cam.C
        ax = np.diff(Pw, axis=0)
        ax = np.vstack([ax, ax[-1:]])
        ax /= np.maximum(np.linalg.norm(ax, axis=1, keepdims=True), 1e-9)
        V = cam.C - Pw
        V /= np.linalg.norm(V, axis=1, keepdims=True)
        side = np.cross(ax, V)
        side /= np.maximum(np.linalg.norm(side, axis=1, keepdims=True), 1e-9)
        front = np.cross(side, ax)
        # screen perp and 3-D side must agree in sign
        sp2 = cam.proj(Pw + side * 0.5) - p2
        sgn = np.sign(np.sum(sp2 * perp, 1))
        sgn[sgn == 0] = 1
        side = side * sgn[:, None]
        Hh = V + sc.L
        Hh /= np.linalg.norm(Hh, axis=1, keepdims=True)
        mid = np.clip(np.sum(front * sc.L, 1), 0, None)
        cmid = Cr * (sc.amb + (1 - sc.amb) * mid)[:, None]
        thin = rpx.max() < 1.6
        for i in range(n - 1):
            m_i = mat if mats is None or i >= 1 else mats[0]
            quad = np.array([p2[i] + perp[i] * rpx[i], p2[i + 1] + perp[i + 1] * rpx[i + 1],
                             p2[i + 1] - perp[i + 1] * rpx[i + 1], p2[i] - perp[i] * rpx[i]])
            cv.fill(quad, cmid[i], cls, m_i, convex=True)
            if thin:
                cv.line(p2[i:i + 2], cmid[i], cls, 1, m_i)
        if not thin:
            edges = [-1.0, -0.55, -0.15, 0.25, 0.65, 1.0]
            for j in range(len(edges) - 1):
                s0, s1 = edges[j], edges[j + 1]
                sm = 0.5 * (s0 + s1)
                N = side * sm + front * math.sqrt(max(0.0, 1 - sm * sm))
                dif = np.clip(N @ sc.L, 0, None)
                spc = ks * np.clip(np.sum(N * Hh, 1), 0, None) ** shin
                cc = Cr * (sc.amb + (1 - sc.amb) * dif)[:, None] + spc[:, None]
                for i in range(n - 1):
                    m_i = mat if mats is None or i >= 1 else mats[0]
                    quad = np.array([p2[i] + perp[i] * rpx[i] * s0, p2[i + 1] + perp[i + 1] * rpx[i + 1] * s0,
                                     p2[i + 1] + perp[i + 1] * rpx[i + 1] * s1, p2[i] + perp[i] * rpx[i] * s1])
                    cv.fill(quad, cc[i], cls, m_i, convex=True)
            # rounded end cap
            cv.circle(p2[-1], rpx[-1] * 0.98, cmid[-1], cls, mat)
        if menis is not None and zlo is not None:
            for end in (0, n - 1):
                if abs(Pw[end, 2] - zlo) < 0.05:
                    q = p2[end]
                    w = rpx[end] * 1.35
                    cv.line(np.array([q + perp[end] * w, q - perp[end] * w]), menis, FD, max(1, int(round(rpx[end] * 0.45))))


def render_prims(sc, prims, L, zlo=None, zhi=None, cls_over=None, menis=None):
    cam = sc.cam
    for pr in prims:
        k = pr['k']
        cls = pr.get('cls', ST) if cls_over is None else cls_over
        if k in ('poly', 'hole'):
            P = pr['P']
            P2 = zclip_poly(P, zlo, zhi)
            if len(P2) < 3:
                continue
            p2 = cam.poly(P2)
            if p2 is None:
                continue
            if k == 'hole':
                L.hole(p2)
            else:
                L.fill(p2, pr['c'], cls, pr.get('mat', 0))
                if menis is not None and zlo is not None and (P[:, 2] < zlo).any():
                    on = np.abs(P2[:, 2] - zlo) < 1e-6
                    if on.sum() >= 2:
                        e = cam.proj(P2[on][:2])
                        L.line(e, menis, FD, 2)
        elif k == 'hull':
            pts = []
            for ring in pr['rings']:
                r2 = zclip_poly(ring, zlo, zhi) if len(ring) >= 3 else ring
                if len(ring) < 3:
                    if zlo is not None and (ring[:, 2] < zlo).any():
                        continue
                    if zhi is not None and (ring[:, 2] > zhi).any():
                        continue
                if len(r2) == 0:
                    continue
                pc = cam.cam(r2)
                if (pc[:, 2] < ZN).any():
                    continue
                pts.append(cam.pc(pc))
            if not pts:
                continue
            pts = np.vstack(pts)
            if len(pts) < 3:
                continue
            hull = cv2.convexHull(pts.astype(np.float32))[:, 0, :]
            L.fill(hull, pr['c'], cls, pr.get('mat', 0), convex=True)
        elif k == 'line':
            for run in zclip_runs(pr['P'], zlo, zhi):
                for p2, _, dep in cam.runs(run):
                    th = max(1, int(round(pr['th'] * cam.f / max(dep.mean(), ZN))))
                    L.line(p2, pr['c'], cls, th, pr.get('mat', 0))
        elif k == 'tube':
            Q = np.column_stack([pr['S'], pr['R'], pr['C']])
            for run in zclip_runs(Q, zlo, zhi):
                draw_tube(sc, L, run[:, :3], run[:, 3], run[:, 4:7], cls, pr.get('mat', 0), pr.get('ks', 0.2), pr.get('shin', 20),
                          pr.get('mats'), menis, zlo)


def shadow_prims(sc, prims, zs, strength, clip=None, blur=1.5):
    """darken the image where the prims' shadow (along the light) falls on plane zs"""
    cam = sc.cam
    Lv = sc.L
    m = np.zeros((sc.H, sc.W), np.uint8)

    def sp(P):
        P = np.asarray(P, np.float64)
        return P - ((P[:, 2] - zs) / max(Lv[2], 0.1))[:, None] * Lv[None]

    any_ = False
    for pr in prims:
        k = pr['k']
        if k in ('poly', 'hole'):
            P = zclip_poly(pr['P'], zs, None)
            if len(P) < 3:
                continue
            p2 = cam.poly(sp(P))
            if p2 is not None:
                cv2.fillPoly(m, [q16(p2)], 0 if k == 'hole' else 1, LN, SHIFT)
                any_ = True
        elif k == 'hull':
            pts = []
            for r in pr['rings']:
                r = r[r[:, 2] >= zs]
                if len(r):
                    pts.append(sp(r))
            if pts:
                pp = np.vstack(pts)
                if (cam.depth(pp) > ZN).all():
                    hull = cv2.convexHull(cam.proj(pp).astype(np.float32))[:, 0, :]
                    cv2.fillConvexPoly(m, q16(hull), 1, LN, SHIFT)
                    any_ = True
        elif k in ('line', 'tube'):
            P = pr['P'] if k == 'line' else pr['S']
            th = pr['th'] if k == 'line' else float(np.mean(pr['R'])) * 2
            Q = np.column_stack([P, np.zeros(len(P))])
            for run in clip_runs(Q, UP, zs):
                for p2, _, dep in cam.runs(sp(run[:, :3])):
                    cv2.polylines(m, [q16(p2)], False, 1, max(1, int(round(th * cam.f / dep.mean()))), LN, SHIFT)
                    any_ = True
    if not any_:
        return
    f = cv2.GaussianBlur(m.astype(np.float32), (0, 0), blur)
    if clip is not None:
        x0, y0, mb = clip
        g = np.zeros_like(f)
        h, w = mb.shape
        g[y0:y0 + h, x0:x0 + w][mb] = f[y0:y0 + h, x0:x0 + w][mb]
        f = g
    sc.img *= (1 - strength * f)[..., None]


def streak_tex(sc, ang, fine, lo, hi):
    rng = sc.rng
    D = int(math.hypot(sc.W, sc.H)) + 4
    small = rng.random((max(4, D // fine), 5), dtype=np.float32)
    big = cv2.resize(small, (D, D), interpolation=cv2.INTER_LINEAR)
    M = cv2.getRotationMatrix2D((D / 2, D / 2), -math.degrees(ang), 1.0)
    M[0, 2] -= (D - sc.W) / 2
    M[1, 2] -= (D - sc.H) / 2
    t = cv2.warpAffine(big, M, (sc.W, sc.H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return lo + (hi - lo) * t


def post_materials(sc, L, ang, cache=None):
    bb = L.bb
    x0, y0 = max(0, bb[0]), max(0, bb[1])
    x1, y1 = min(sc.W, bb[2]), min(sc.H, bb[3])
    if x1 <= x0 or y1 <= y0:
        return
    cache = {} if cache is None else cache
    mat = L.mat[y0:y1, x0:x1]
    img = L.img[y0:y1, x0:x1]
    has = L.lab[y0:y1, x0:x1] != EMPTY
    for mk in (1, 2, 3):
        m = has & (mat == mk)
        if not m.any():
            continue
        if mk not in cache:
            if mk == 1:
                cache[mk] = streak_tex(sc, ang, 2, 0.75, 1.15)
            elif mk == 2:
                cache[mk] = streak_tex(sc, ang, 40, 0.65, 1.35)
            else:
                cache[mk] = 0.95 + 0.1 * sc.n1
        t = cache[mk][y0:y1, x0:x1]
        img[m] *= t[m][:, None]


def motion_kernel(rng, length, ang):
    k = np.zeros((int(length) * 2 + 1, int(length) * 2 + 1), np.float32)
    c = int(length)
    dx, dy = math.cos(ang) * length, math.sin(ang) * length
    cv2.line(k, (int(round(c - dx / 2)), int(round(c - dy / 2))), (int(round(c + dx / 2)), int(round(c + dy / 2))), 1.0, 1, cv2.LINE_AA)
    return k / max(k.sum(), 1e-6)


# ----------------------------------------------------------------------------- tools
TOOL_TYPES = ['spoon', 'ladle', 'turner', 'slotted_turner', 'fish_slice', 'wood_spatula', 'scraper', 'slotted_spoon',
              'perf_skimmer', 'spider', 'whisk', 'flat_whisk', 'ball_whisk', 'fork', 'tongs', 'brush', 'masher',
              'chopsticks', 'probe', 'pasta_server', 'chuan', 'tasting']
TOOL_W = [16, 8, 9, 6, 4, 9, 5, 6, 4, 4, 6, 2, 2, 3, 6, 2, 3, 5, 3, 3, 3, 2]


def head_spec(rng, typ):
    """head length (along the tool), a radius for placement, pitch rule, elevation range, neck/handle lengths"""
    if typ in ('spoon', 'slotted_spoon', 'pasta_server'):
        L = U(rng, 6, 10) if typ == 'spoon' else U(rng, 7, 10)
        return dict(L=L, W=L * U(rng, 0.55, 0.8), pitch='straight', el=(20, 65), Ln=U(rng, 1.5, 6), Lhd=U(rng, 14, 26))
    if typ == 'tasting':
        L = U(rng, 3.5, 5)
        return dict(L=L, W=L * 0.7, pitch='straight', el=(25, 70), Ln=U(rng, 1, 3), Lhd=U(rng, 10, 15))
    if typ == 'ladle':
        R = U(rng, 3.5, 5.5)
        return dict(L=2 * R, W=2 * R, R=R, depth=U(rng, 2.2, 4.2), pitch='flat', el=(50, 85), Ln=U(rng, 2, 6), Lhd=U(rng, 18, 28))
    if typ in ('turner', 'slotted_turner', 'fish_slice', 'chuan'):
        L = U(rng, 7, 11) if typ != 'fish_slice' else U(rng, 10, 14)
        W = U(rng, 6, 9) if typ != 'chuan' else U(rng, 8, 11)
        return dict(L=L, W=W, pitch='flat', el=(18, 55), Ln=U(rng, 2, 6), Lhd=U(rng, 14, 24))
    if typ in ('wood_spatula', 'scraper'):
        L = U(rng, 6, 10)
        return dict(L=L, W=L * U(rng, 0.6, 0.85), pitch='straight', el=(20, 60), Ln=U(rng, 1, 4), Lhd=U(rng, 15, 26))
    if typ in ('perf_skimmer', 'spider'):
        R = U(rng, 5, 7) if typ == 'perf_skimmer' else U(rng, 5.5, 8.5)
        return dict(L=2 * R, W=2 * R, R=R, pitch='flat', el=(30, 65), Ln=U(rng, 3, 10), Lhd=U(rng, 14, 24))
    if typ in ('whisk', 'flat_whisk', 'ball_whisk'):
        L = U(rng, 12, 20)
        return dict(L=L, W=U(rng, 4, 8), R=U(rng, 2.2, 4.2), pitch='straight', el=(30, 70), Ln=0.3, Lhd=U(rng, 10, 16))
    if typ == 'fork':
        L = U(rng, 6, 12)
        return dict(L=L, W=U(rng, 1.0, 2.8), pitch='straight', el=(25, 65), Ln=U(rng, 2, 8), Lhd=U(rng, 12, 18))
    if typ == 'brush':
        L = U(rng, 3, 5)
        return dict(L=L, W=U(rng, 2.5, 4.5), pitch='straight', el=(25, 65), Ln=U(rng, 0.5, 2), Lhd=U(rng, 14, 22))
    if typ == 'masher':
        R = U(rng, 4, 5.5)
        return dict(L=2 * R, W=2 * R, R=R, stem=U(rng, 5, 10), pitch='straight', el=(55, 85), Ln=0.3, Lhd=U(rng, 12, 18))
    if typ == 'chopsticks':
        return dict(L=0.5, W=1.0, pitch='straight', el=(30, 75), Ln=0.0, Lhd=U(rng, 23, 30))
    if typ == 'probe':
        return dict(L=0.5, W=0.5, pitch='straight', el=(40, 85), Ln=0.0, Lhd=U(rng, 10, 15))
    if typ == 'tongs':
        return dict(L=U(rng, 3, 5), W=U(rng, 1.5, 4), pitch='straight', el=(25, 65), Ln=0.0, Lhd=U(rng, 20, 30))
    raise ValueError(typ)


def clear_el(p, O, az, margin):
    d = np.array([math.cos(az), math.sin(az)])
    rel = O[:2] - np.array([p.cx, p.cy])
    R = p.rr + p.wt
    b = float(rel @ d)
    cc = float(rel @ rel) - R * R
    if cc >= 0:
        return 0.0
    s = -b + math.sqrt(max(b * b - cc, 0.0))
    return math.atan2(p.zr + margin - O[2], max(s, 0.1))


def build_tool(sc, p, typ=None, mode='held', where=None):
    """mode: held / rest (lying in a pan, no hand) / lift / counter / jar.  Returns tool dict."""
    rng = sc.rng
    typ = typ or pick(rng, TOOL_TYPES, TOOL_W)
    cls = ST if mode in ('held', 'rest', 'lift') else BG
    spec = head_spec(rng, typ)
    M = scheme(rng, typ)
    rec = p.recipe if p is not None else None
    hsize = spec['L'] / 2 + 0.5
    roll = rng.normal(0, math.radians(12))
    bend = math.radians(U(rng, 0, 22)) if rng.random() < 0.6 else 0.0
    if p is not None:
        zl = rec['level'] if rec is not None else p.z0 + 0.3
        rin = pan_r_at(p, zl)
        maxd = max(0.2, rin - hsize - 0.5)
        a0 = U(rng, 0, 2 * np.pi)
        d0 = maxd * math.sqrt(U(rng, 0, 1))
        hx, hy = p.cx + d0 * math.cos(a0), p.cy + d0 * math.sin(a0)
        kind = rec['kind'] if rec is not None else 'empty'
        if mode == 'lift':
            hz = p.zr + U(rng, -1.0, 5.0)
        elif kind in ('liquid', 'chunky', 'grains', 'mash'):
            hz = zl + (U(rng, -2.0, 1.2) if rng.random() < 0.8 else -U(rng, 1.5, 4.0))
        elif kind in ('pieces', 'leaves', 'noodles', 'flat'):
            hz = zl + U(rng, -0.4, 0.8)
        else:
            hz = p.z0 + 0.7
        if typ == 'probe':
            hz = min(hz, zl - U(rng, 0.5, 3.0))
        if hsize > rin * 0.95 and typ not in ('probe', 'chopsticks'):
            # the head is wider than the pan at this level: it can only be held above the rim
            hz = max(hz, p.zr + U(rng, 0.5, 3.0) + spec.get('depth', 0.0))
        camdir = math.atan2(sc.cam.C[1] - hy, sc.cam.C[0] - hx)
        az = camdir + rng.normal(0, math.radians(55)) if rng.random() < 0.6 else U(rng, 0, 2 * np.pi)
        el = math.radians(U(rng, *spec['el']))
    else:
        hx, hy, hz = where
        az = U(rng, 0, 2 * np.pi)
        el = math.radians(U(rng, 1, 4)) if mode == 'counter' else math.radians(U(rng, 70, 88))
        zl = hz
    # pitch of the head
    for it in range(3):
        if spec['pitch'] == 'flat':
            pitch = math.radians(U(rng, -6, 18)) if it == 0 else pitch
        else:
            pitch = el - (bend if it == 0 else bend)
        if typ == 'ladle' or typ in ('perf_skimmer', 'spider'):
            pitch = pitch if it else math.radians(U(rng, -8, 12))
        if p is None and mode == 'counter':
            pitch = math.radians(U(rng, -2, 2))
        depth_below = spec['L'] / 2 * math.sin(max(pitch, 0)) + (spec.get('depth', 0) if typ == 'ladle' else 0.3)
        if typ == 'masher':
            depth_below = spec['stem'] * math.sin(el)
        if p is not None:
            hz = max(hz, p.z0 + 0.35 + depth_below)
        hc = np.array([hx, hy, hz])
        O, a, dh, bh, nh = frame(hc, az, el, pitch, roll, spec['L'])
        if typ == 'masher':
            O = hc + a * spec['stem']
        if typ in ('chopsticks', 'probe', 'tongs'):
            O = hc.copy()
        if p is None or mode == 'lift':
            break
        need = clear_el(p, O, az, 0.9)
        if mode == 'rest':
            el_new = max(need, math.radians(8))
        else:
            el_new = max(el, need + math.radians(2))
        if abs(el_new - el) < 1e-4:
            break
        el = el_new
    a_n = unit(-dh + a) if (spec['pitch'] == 'flat' or bend > 0) and typ not in ('chopsticks', 'probe', 'tongs', 'masher') else a
    if float(np.linalg.norm(-dh + a)) < 1e-6:
        a_n = a
    prims = []
    info = dict(kind='bowl', L=spec['L'], W=spec['W'])
    head_top = hz
    if typ in ('spoon', 'slotted_spoon', 'pasta_server', 'tasting'):
        var = {'spoon': 'plain', 'tasting': 'plain', 'slotted_spoon': pick(rng, ['slots', 'holes']), 'pasta_server': 'teeth'}[typ]
        pr, info = head_spoon(sc, rng, O, dh, bh, nh, M, cls, spec['L'], spec['W'], var)
        prims += pr
    elif typ == 'ladle':
        pr, info = head_ladle(sc, rng, O, dh, bh, nh, M, cls, spec['R'], spec['depth'])
        prims += pr
    elif typ in ('turner', 'slotted_turner', 'fish_slice', 'wood_spatula', 'scraper', 'chuan'):
        var = {'turner': 'plain', 'slotted_turner': 'slots', 'fish_slice': 'fish', 'wood_spatula': 'wood', 'scraper': 'scraper', 'chuan': 'chuan'}[typ]
        pr, info = head_blade(sc, rng, O, dh, bh, nh, M, cls, spec['L'], spec['W'], var)
        prims += pr
    elif typ in ('perf_skimmer', 'spider'):
        pr, info = head_disk(sc, rng, O, dh, bh, nh, M, cls, spec['R'], typ == 'spider')
        prims += pr
    elif typ in ('whisk', 'flat_whisk', 'ball_whisk'):
        pr, info = head_whisk(sc, rng, O, dh, bh, nh, M, cls, spec['L'], spec['R'], {'whisk': 'balloon', 'flat_whisk': 'flat', 'ball_whisk': 'ball'}[typ])
        prims += pr
    elif typ == 'fork':
        pr, info = head_fork(sc, rng, O, dh, bh, nh, M, cls, spec['L'], int(rng.integers(2, 5)), spec['W'])
        prims += pr
    elif typ == 'brush':
        pr, info = head_brush(sc, rng, O, dh, bh, nh, M, cls, spec['L'], spec['W'])
        prims += pr
    elif typ == 'masher':
        pr, info = head_masher(sc, rng, O, a, M, cls, spec['R'], spec['stem'])
        prims += pr
    grip = None
    if typ == 'chopsticks':
        sticks = 1 if rng.random() < 0.25 else 2
        Lc = spec['Lhd']
        r0, r1 = U(rng, 0.15, 0.25), U(rng, 0.3, 0.5)
        for k in range(sticks):
            off = bh * (k - 0.5) * U(rng, 0.4, 2.5) if sticks == 2 else np.zeros(3)
            tip = hc + off
            dirk = unit(a + bh * rng.normal(0, 0.05) - off * 0.03)
            ss = np.linspace(0, 1, 6)
            S = tip[None] + (ss * Lc)[:, None] * dirk[None]
            Rr = r0 + (r1 - r0) * ss
            Cc = np.tile(M['handle']['col'], (6, 1))
            if rng.random() < 0.4:
                Cc[4:] = M['band']['col']
            prims.append(dict(k='tube', S=S, R=Rr, C=Cc, cls=cls, mat=M['handle']['mat'], ks=M['handle']['ks'], shin=M['handle']['shin']))
        info = dict(kind='sticks', L=0.0, W=1.0)
        end = hc + a * Lc
        grip = hc + a * Lc * U(rng, 0.55, 0.8)
        O = hc
        dh = -a
    elif typ == 'probe':
        Lp = spec['Lhd']
        ss = np.linspace(0, 1, 4)
        S = hc[None] + (ss * Lp)[:, None] * a[None]
        prims.append(dict(k='tube', S=S, R=np.full(4, U(rng, 0.12, 0.2)), C=np.tile(metal_col(rng), (4, 1)), cls=cls, mat=2, ks=0.8, shin=40))
        end = hc + a * Lp
        prims += head_probe_body(sc, rng, end, a, bh, cls)
        info = dict(kind='sticks', L=0.0, W=1.0)
        grip = end + a * 3
    elif typ == 'tongs':
        Lt = spec['Lhd']
        gap = U(rng, 0.5, 4.0)
        nt = unit(np.cross(a, bh))
        H = hc + a * Lt
        wa = U(rng, 1.0, 2.0)
        am = M['head']
        tip_m = material(rng, 'silicone') if rng.random() < 0.4 else am
        for sgn in (-1, 1):
            tip = hc + bh * sgn * gap / 2
            ss = np.linspace(0, 1, 7)
            bow = np.sin(ss * np.pi) * sgn * U(rng, 0.3, 1.2)
            S = tip[None] + (H - tip)[None] * ss[:, None] + bh[None] * bow[:, None]
            wid = wa * (1 - 0.3 * ss)
            left = S + nt[None] * wid[:, None] / 2
            right = S - nt[None] * wid[:, None] / 2
            poly = np.vstack([left, right[::-1]])
            prims.append(dict(k='poly', P=poly, c=mcol(sc, am, nt, S[3]), cls=cls, mat=am['mat']))
            prims.append(dict(k='line', P=left[1:], c=np.minimum(mcol(sc, am, nt, S[3]) * 1.3 + 0.05, 1.3), th=0.1, cls=cls, mat=am['mat']))
            # scalloped head
            hl = spec['L']
            uu = np.linspace(0, hl, 9)
            sc_w = wa * 1.4
            top = tip[None] + (unit(H - tip))[None] * (uu - hl * 0.8)[:, None]
            l2 = top + nt[None] * (sc_w / 2 + 0.25 * np.sin(uu * 6))[:, None]
            r2 = top - nt[None] * (sc_w / 2 + 0.25 * np.sin(uu * 6 + 1))[:, None]
            prims.append(dict(k='poly', P=np.vstack([l2, r2[::-1]]), c=mcol(sc, tip_m, nt, tip), cls=cls, mat=tip_m['mat']))
        cu, cv_ = circ(12, 0, 0, wa * 0.8)
        prims.append(dict(k='poly', P=H[None] + cu[:, None] * a[None] + cv_[:, None] * bh[None], c=mcol(sc, am, nt, H), cls=cls, mat=am['mat']))
        if rng.random() < 0.5:
            ring = H[None] + a * 1.5 + 1.2 * (np.cos(np.linspace(0, 2 * np.pi, 13))[:, None] * a[None] + np.sin(np.linspace(0, 2 * np.pi, 13))[:, None] * bh[None])
            prims.append(dict(k='line', P=ring, c=metal_col(rng), th=0.15, cls=cls, mat=2))
        info = dict(kind='tongs', L=0.0, W=gap + 1)
        end = H
        grip = hc + a * Lt * U(rng, 0.55, 0.8)
        O = hc
        dh = -a
    else:
        style = {}
        if M['handle'] is M['head'] and M['head']['mat'] == 1:
            style = dict(flat=rng.random() < 0.35, uniform=rng.random() < 0.7, rh=U(rng, 0.35, 0.75))
        if typ in ('whisk', 'flat_whisk', 'ball_whisk', 'masher'):
            style = dict(flat=False, rn=U(rng, 0.4, 0.8), rh=U(rng, 0.6, 1.3))
        hp, end = handle_prims(sc, rng, O, a, a_n, bh, spec['Ln'], spec['Lhd'], M, cls, style)
        prims = hp + prims
        Ltot = spec['Ln'] + spec['Lhd']
        grip = O + a_n * spec['Ln'] + a * spec['Lhd'] * U(rng, 0.45, 0.85)
    # head centre/top for occluders
    if info['kind'] == 'ladle':
        head_c = P3(O, dh, bh, nh, np.array([info['R']]), np.array([0.0]))[0]
    elif typ == 'masher':
        head_c = info['pc']
    else:
        head_c = hc
    t = dict(typ=typ, prims=prims, cls=cls, pan=p, mode=mode, grip=grip, a=a, end=end, head_c=head_c,
             head_r=max(info['L'], info['W']) * 0.5, head_top=head_c[2] + 0.3, occ=0, motion=None, O=O, dh=dh, bh=bh, nh=nh, info=info)
    if p is not None and mode in ('held', 'rest', 'lift') and rec is not None:
        lifted = mode == 'lift' or (rng.random() < 0.25 and rec['kind'] not in ('empty', 'oil'))
        if lifted:
            prims += lift_food_prims(sc, rng, rec, O, dh, bh, nh, info)
        if mode != 'lift' and rng.random() < 0.55:
            t['occ'] = int(pick(rng, [2, 4, 8, 16, 30]))
    return t


def tool_angle2d(sc, t):
    a = sc.cam.proj(t['O'])
    b = sc.cam.proj(t['O'] + t['a'] * 5)
    return math.atan2(b[1] - a[1], b[0] - a[0])


def tool_shadow(sc, t, p):
    rec = p.recipe
    zs = rec['level'] if rec is not None and rec['kind'] not in ('empty', 'oil', 'pieces', 'leaves', 'flat', 'noodles') else p.z0 + 0.35
    if rec is not None and rec['kind'] in ('pieces', 'leaves', 'noodles', 'flat'):
        zs = (rec['level'] + p.z0) / 2
    r = sc.mask_of(surf_poly(sc, p, p.zr))
    if r is None:
        return
    shadow_prims(sc, t['prims'], zs, sc.shadow_k, r, blur=U(sc.rng, 0.8, 2.5))


def draw_tool_in(sc, t, p):
    rec = p.recipe
    zlo = rec['opaque_level'] if rec is not None and t['mode'] != 'lift' else None
    menis = None
    if zlo is not None:
        base = rec.get('sauce') if rec.get('sauce') is not None else rec.get('grain')
        menis = np.minimum(sc.shade(base, UP) * 1.15 + 0.05, 1.2)
    ang = tool_angle2d(sc, t)
    if t['motion'] is None and t['mode'] == 'held' and sc.rng.random() < 0.18:
        t['motion'] = motion_kernel(sc.rng, U(sc.rng, 2, 8), ang + np.pi / 2 + sc.rng.normal(0, 0.5))
    # the whole tool is drawn once (keeps its own painter order); the parts above the rim are
    # composited again after the pan's front wall and rim
    L = new_layer(sc.H, sc.W)
    render_prims(sc, t['prims'], L, zlo, None, None, menis)
    post_materials(sc, L, ang)
    Lo = new_layer(sc.H, sc.W)
    render_prims(sc, t['prims'], Lo, zlo if zlo is not None and zlo > p.zr else p.zr, None, None, None)
    out_cov = Lo.lab != EMPTY
    Lin = Canvas(L.img, np.where(out_cov, np.uint8(EMPTY), L.lab), L.mat)
    Lin.bb = L.bb
    sc.composite(Lin, t['motion'])
    draw_occluders(sc, p, t)
    Lout = Canvas(L.img, np.where(out_cov, L.lab, np.uint8(EMPTY)), L.mat)
    Lout.bb = Lo.bb
    sc.deferred.append((Lout, t['motion']))


def draw_tool_free(sc, t, zs=0.0):
    """a tool that is not in a pan: background class"""
    shadow_prims(sc, t['prims'], zs, sc.shadow_k * 0.8, None, blur=1.5)
    L = new_layer(sc.H, sc.W)
    render_prims(sc, t['prims'], L, None, None, BG, None)
    post_materials(sc, L, tool_angle2d(sc, t))
    sc.composite(L)


# ----------------------------------------------------------------------------- hands and arms (background)
def skin_col(rng):
    return col(U(rng, 8, 30), U(rng, 0.22, 0.6), U(rng, 0.28, 0.95))


def tube2d(cv, a, b, wa, wb, base, l2, cls=BG, caps=True, lo=0.62, hi=1.12):
    """a shaded 2-D capsule (fingers, arms, sleeves)"""
    d = b - a
    n = np.linalg.norm(d)
    if n < 1e-6:
        return
    d = d / n
    p = np.array([-d[1], d[0]])
    side = float(p @ l2)
    edges = np.linspace(-1, 1, 6)
    cv.fill(np.array([a + p * wa / 2, b + p * wb / 2, b - p * wb / 2, a - p * wa / 2]), base * lo, cls, convex=True)
    if caps:
        cv.circle(b, wb / 2, base * (lo + hi) / 2, cls)
    if wa < 3 and wb < 3:
        return
    for j in range(5):
        s0, s1 = edges[j] * 0.92, edges[j + 1] * 0.92
        sm = 0.5 * (s0 + s1)
        lit = math.sqrt(max(0.0, 1 - sm * sm)) * 0.75 + 0.45 * sm * side
        c = base * (lo + (hi - lo) * min(max(lit, 0.0), 1.0))
        cv.fill(np.array([a + p * wa / 2 * s0, b + p * wb / 2 * s0, b + p * wb / 2 * s1, a + p * wa / 2 * s1]), c, cls, convex=True)


def draw_hand(sc, grip, a, glove=None, skin=None):
    rng, cam = sc.rng, sc.cam
    if cam.depth(grip) < ZN * 3:
        return
    g = cam.proj(grip)
    e = cam.proj(grip + a * 4)
    t2 = e - g
    if np.linalg.norm(t2) < 1e-3:
        t2 = np.array([0.0, 1.0])
    t2 = unit(t2)
    p2 = np.array([-t2[1], t2[0]])
    ppc = cam.ppc(grip)
    Lh = 9.5 * ppc * U(rng, 0.85, 1.15)
    Wh = 8.5 * ppc * U(rng, 0.85, 1.1)
    skin = skin_col(rng) if skin is None else skin
    side = 1 if rng.random() < 0.5 else -1
    cv = sc.cv
    l2 = light2d(sc, grip)
    base = skin * (sc.amb + (1 - sc.amb) * 0.75)
    # forearm from the wrist off the frame (it comes towards the camera, so it widens)
    wrist = g + t2 * Lh * 0.45
    adir = unit(t2 + rng.normal(0, 0.3, 2))
    far = wrist + adir * (sc.W + sc.H) * 1.2
    Ww, Wf = 0.6 * Wh, 0.6 * Wh * U(rng, 1.6, 2.8)
    tube2d(cv, wrist, far, Ww, Wf, base, l2, caps=False)
    cv.circle(wrist, Ww / 2, base * 0.9, BG)
    if rng.random() < 0.7 or glove is not None:
        sl = wrist + adir * Lh * U(rng, 0.2, 2.5)
        scol = col(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.1, 0.9)) if glove is None else glove
        cs = scol * (sc.amb + (1 - sc.amb) * 0.7)
        t = 0.15
        Ws = (Ww + (Wf - Ww) * t) * U(rng, 1.15, 1.5)
        tube2d(cv, sl, far, Ws, Wf * 1.3, cs, l2, caps=False, lo=0.55, hi=1.1)
        pa = np.array([-adir[1], adir[0]])
        cv.line(np.array([sl + pa * Ws / 2, sl - pa * Ws / 2]), cs * 0.65, BG, max(1, int(Ws * 0.06)))
        for k in range(int(rng.integers(1, 6))):
            f0 = sl + adir * Lh * U(rng, 0.3, 3)
            cv.line(np.array([f0 + pa * Ws * U(rng, -0.5, 0), f0 + adir * Lh * U(rng, 0.2, 0.6) + pa * Ws * U(rng, 0, 0.5)]), cs * 0.7, BG,
                    max(1, int(Ws * 0.04)))
    if glove is not None:
        gc = glove * (sc.amb + (1 - sc.amb) * 0.7)
        ang = math.atan2(t2[1], t2[0])
        cen = g + t2 * Lh * 0.1
        cv.fill(ell_pts(cen[0], cen[1], Lh * 0.75, Wh * 0.62, ang, 24), gc * 0.8, BG)
        cv.fill(ell_pts(cen[0] + l2[0] * Wh * 0.1, cen[1] + l2[1] * Wh * 0.1, Lh * 0.65, Wh * 0.5, ang, 24), gc, BG)
        thc = g + p2 * side * Wh * 0.5 - t2 * Lh * 0.05
        cv.fill(ell_pts(thc[0], thc[1], Lh * 0.35, Wh * 0.2, ang - 0.5 * side, 16), gc * 0.9, BG)
        for k in range(-3, 4):
            c0 = cen + p2 * k * Wh * 0.15
            cv.line(np.array([c0 - t2 * Lh * 0.5, c0 + t2 * Lh * 0.5]), gc * 0.75, BG, 1)
        return
    # back of the hand (a fist closed around the handle, seen from above)
    ang = math.atan2(t2[1], t2[0])
    dc = g + t2 * Lh * 0.08 + p2 * side * Wh * U(rng, -0.05, 0.12)
    fw = max(1.2, Wh * U(rng, 0.18, 0.22))
    # fingers curl over the far side of the handle
    for k in range(4):
        off = (-0.27 + 0.17 * k) * Lh
        a0 = dc + t2 * off - p2 * side * Wh * 0.2
        a1 = a0 - p2 * side * Wh * U(rng, 0.2, 0.32) + t2 * rng.normal(0, fw * 0.15)
        tube2d(cv, a0, a1, fw * 1.05, fw * 0.95, base * (0.92 + 0.06 * (k % 2)), l2)
        if fw > 3.5:
            cv.line(np.array([a1 + t2 * fw * 0.45, a1 - t2 * fw * 0.45]) + p2 * side * fw * 0.15, base * 0.6, BG, 1)
    cv.fill(ell_pts(dc[0], dc[1], Lh * 0.45, Wh * 0.4, ang, 24), base * 0.78, BG)
    cv.fill(ell_pts(dc[0] + l2[0] * Wh * 0.07, dc[1] + l2[1] * Wh * 0.07, Lh * 0.36, Wh * 0.3, ang, 24), base * 0.95, BG)
    # knuckles
    for k in range(4):
        kn = dc + t2 * (-0.27 + 0.17 * k) * Lh - p2 * side * Wh * 0.25
        cv.circle(kn + l2 * fw * 0.15, fw * 0.42, np.minimum(base * 1.08, 1.2), BG)
    # thumb along the handle towards the tool head
    th0 = dc - t2 * Lh * 0.05 + p2 * side * Wh * 0.28
    th1 = g - t2 * Lh * U(rng, 0.38, 0.5) + p2 * side * Wh * U(rng, -0.05, 0.1)
    tube2d(cv, th0, th1, fw * 1.35, fw * 1.05, base * 1.0, l2)
    if fw > 3.5:
        cv.circle(th1 - unit(th1 - th0) * fw * 0.25, fw * 0.32, np.minimum(base * 1.2 + 0.06, 1.2), BG)


# ----------------------------------------------------------------------------- counter objects (background)
def draw_box(sc, cx, cy, z0, L, Wd, hgt, yaw, ctop, cside, tex=None):
    cam = sc.cam
    c, s = math.cos(yaw), math.sin(yaw)
    loc = np.array([[-L / 2, -Wd / 2], [L / 2, -Wd / 2], [L / 2, Wd / 2], [-L / 2, Wd / 2]])
    xy = loc @ np.array([[c, s], [-s, c]]) + np.array([cx, cy])
    bot = np.column_stack([xy, np.full(4, z0)])
    top = np.column_stack([xy, np.full(4, z0 + hgt)])
    if (cam.depth(np.vstack([bot, top])) < ZN).any():
        return None
    hull = cv2.convexHull(cam.proj(np.vstack([bot, top])).astype(np.float32))[:, 0, :]
    sc.cv.fill(hull, sc.shade(cside, np.array([0, -1.0, 0.3])), BG, convex=True)
    t2 = cam.proj(top)
    if tex is None:
        sc.cv.fill(t2, sc.shade(ctop, UP), BG, convex=True)
    else:
        sc.fill_tex(t2, tex, BG)
    return top


def draw_knife(sc, cx, cy, z, yaw):
    rng, cam = sc.rng, sc.cam
    Lb, Wb = U(rng, 12, 22), U(rng, 2, 5)
    Lh = U(rng, 10, 13)
    d = np.array([math.cos(yaw), math.sin(yaw), 0])
    b = np.array([-d[1], d[0], 0])
    O = np.array([cx, cy, z + 0.15])
    u = np.linspace(0, 1, 8)
    edge = [O + d * (Lb * uu) - b * (Wb * (1 - uu ** 3)) for uu in u]
    spine = [O + d * (Lb * uu) for uu in u[::-1]]
    blade = np.array(edge + spine)
    steel = metal_col(rng, 0.55, 0.9)
    sc.cv.fill(cam.poly(blade), sc.shade(steel, UP, O, 0.5, 30), BG)
    e2 = cam.poly(np.array(edge))
    if e2 is not None:
        sc.cv.line(e2, np.minimum(steel * 1.3, 1.2), BG, 1)
    hc_ = material(rng, pick(rng, ['black', 'wood', 'steel', 'silicone', 'white']))
    hb = np.array([O - d * 0.2 + b * 0.9, O - d * Lh + b * 1.0, O - d * (Lh + 0.4) + b * 0.3, O - d * (Lh + 0.4) - b * 1.3,
                   O - d * Lh - b * 1.8, O - d * 0.2 - b * 1.6])
    sc.cv.fill(cam.poly(hb), sc.shade(hc_['col'], UP, O, hc_['ks'], 20), BG)
    for k in range(3 if rng.random() < 0.6 else 0):
        rc = O - d * (Lh * (0.2 + 0.3 * k)) - b * 0.4
        q = cam.proj(rc)
        sc.cv.circle(q, 0.3 * cam.ppc(rc), metal_col(rng, 0.7, 1.0), BG)


def tool_points(t):
    pts = []
    for pr in t['prims']:
        if 'P' in pr:
            pts.append(pr['P'][:, :3])
        elif 'S' in pr:
            pts.append(pr['S'])
        elif 'rings' in pr:
            pts += [r[:, :3] for r in pr['rings']]
    return np.vstack(pts)


def counter_tool(sc, x, y, z):
    """a tool lying on the counter / a spoon rest, kept away from every pan"""
    for _ in range(5):
        t = build_tool(sc, None, None, 'counter', (x, y, z))
        P = tool_points(t)
        ok = True
        for p in sc.pans:
            d = np.hypot(P[:, 0] - p.cx, P[:, 1] - p.cy)
            if d.min() < p.rr + p.wt + 2.0:
                ok = False
                break
        if ok:
            return t
    return None


def draw_counter_object(sc, obj):
    rng, cam = sc.rng, sc.cam
    k, x, y = obj['k'], obj['x'], obj['y']
    if k == 'board':
        L, Wd, hgt, yaw = U(rng, 25, 45), U(rng, 18, 30), U(rng, 1.2, 3.5), U(rng, -0.5, 0.5) + pick(rng, [0, np.pi / 2])
        wood = rng.random() < 0.6
        c0 = col(U(rng, 20, 38), U(rng, 0.3, 0.65), U(rng, 0.4, 0.85)) if wood else col(U(rng, 0, 360), U(rng, 0, 0.6), U(rng, 0.5, 0.95))
        ang = tool_angle2d(sc, dict(O=np.array([x, y, hgt]), a=np.array([math.cos(yaw), math.sin(yaw), 0.0])))
        st = streak_tex(sc, ang, 3, 0.8, 1.1) if wood else None

        def tex(x0, y0, w, h):
            t = sc.shade(c0, UP)[None, None] * (0.92 + 0.12 * sc.n0[y0:y0 + h, x0:x0 + w, None])
            if st is not None:
                t = t * st[y0:y0 + h, x0:x0 + w, None]
            return t.astype(np.float32)
        top = draw_box(sc, x, y, 0, L, Wd, hgt, yaw, c0, c0 * 0.8, tex)
        if top is not None and rng.random() < 0.5:
            draw_knife(sc, x + U(rng, -3, 3), y + U(rng, -3, 3), hgt, yaw + U(rng, -0.6, 0.6))
    elif k == 'knife':
        draw_knife(sc, x, y, 0.0, U(rng, 0, 2 * np.pi))
    elif k in ('towel', 'mitt'):
        c0 = col(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.3, 0.95))
        c1 = col(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.2, 0.95))
        yaw = U(rng, 0, np.pi)
        if k == 'towel':
            L, Wd = U(rng, 20, 40), U(rng, 12, 30)
            t = np.linspace(0, 1, 6)
            ca, sa = math.cos(yaw), math.sin(yaw)
            pts = []
            for (u0, v0), (u1, v1) in (((-1, -1), (1, -1)), ((1, -1), (1, 1)), ((1, 1), (-1, 1)), ((-1, 1), (-1, -1))):
                for tt in t[:-1]:
                    uu = (u0 + (u1 - u0) * tt) * L / 2 + rng.normal(0, 0.6)
                    vv = (v0 + (v1 - v0) * tt) * Wd / 2 + rng.normal(0, 0.6)
                    pts.append([x + ca * uu - sa * vv, y + sa * uu + ca * vv, 0.4])
            poly = np.array(pts)
        else:
            ca, sa = math.cos(yaw), math.sin(yaw)
            body = ell_pts(0, 0, U(rng, 9, 12), U(rng, 6.5, 8), 0, 20)
            poly = np.array([[x + ca * u - sa * v, y + sa * u + ca * v, 1.2] for u, v in body])
        freq = U(rng, 0.5, 2.5)
        patt = pick(rng, ['stripes', 'check', 'plain', 'quilt'])

        def tex(x0, y0, w, h):
            X, Y = sc.plane_xy(0.4, x0, y0, w, h)
            u = (X - x) * math.cos(yaw) + (Y - y) * math.sin(yaw)
            v = -(X - x) * math.sin(yaw) + (Y - y) * math.cos(yaw)
            if patt == 'stripes':
                m = (np.sin(u * freq) > 0.3)
            elif patt == 'check':
                m = (np.sin(u * freq) > 0) ^ (np.sin(v * freq) > 0)
            elif patt == 'quilt':
                m = (np.abs(np.sin((u + v) * freq)) < 0.15) | (np.abs(np.sin((u - v) * freq)) < 0.15)
            else:
                m = np.zeros_like(u, bool)
            t = np.where(m[..., None], c1[None, None], c0[None, None]) * (0.75 + 0.45 * sc.n0[y0:y0 + h, x0:x0 + w, None])
            return (t * (sc.amb + (1 - sc.amb) * sc.L[2])).astype(np.float32)
        sc.fill_tex(cam.poly(poly), tex, BG)
        if k == 'mitt':
            th = np.array([[x + ca * u - sa * v, y + sa * u + ca * v, 1.2] for u, v in ell_pts(3, 7, 4, 2.2, 0.6, 12)])
            sc.fill_tex(cam.poly(th), tex, BG)
    elif k == 'bottle':
        r = U(rng, 2.5, 4.5)
        hgt = U(rng, 14, 28)
        glass = pick(rng, [col(U(rng, 90, 150), U(rng, 0.4, 0.9), U(rng, 0.15, 0.45)), col(U(rng, 20, 35), U(rng, 0.6, 0.9), U(rng, 0.15, 0.4)),
                           col(U(rng, 45, 60), U(rng, 0.4, 0.8), U(rng, 0.4, 0.8)), col(U(rng, 0, 360), U(rng, 0, 0.7), U(rng, 0.2, 0.95))])
        lab_c = col(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.3, 1))
        capc = col(U(rng, 0, 360), U(rng, 0, 0.9), U(rng, 0.1, 0.9))
        prof = [(0, r), (hgt * 0.3, r), (hgt * 0.55, r), (hgt * 0.68, r * 0.97), (hgt * 0.8, r * 0.4), (hgt * 0.93, r * 0.35), (hgt, r * 0.38)]
        lathe(sc, x, y, 0, prof, [glass, lab_c, glass, glass, glass, capc], ks=0.8, shin=40, nseg=28, capc=capc)
    elif k == 'shaker':
        r, hgt = U(rng, 1.8, 3), U(rng, 6, 11)
        c0 = col(U(rng, 0, 360), U(rng, 0, 0.5), U(rng, 0.2, 0.95))
        mc = metal_col(rng)
        lathe(sc, x, y, 0, [(0, r), (hgt * 0.75, r), (hgt * 0.8, r * 0.95), (hgt, r * 0.9)], [c0, mc, mc], ks=0.6, nseg=20, capc=mc)
    elif k == 'bowl':
        r, hgt = U(rng, 6, 11), U(rng, 3, 7)
        c0 = col(U(rng, 0, 360), U(rng, 0, 0.6), U(rng, 0.3, 0.97))
        lathe(sc, x, y, 0, [(0, r * 0.55), (hgt * 0.5, r * 0.9), (hgt, r)], [c0, c0], ks=0.4, nseg=28, open_top=sc.shade(c0 * 0.85, UP))
    elif k == 'lid':
        r = U(rng, 9, 14)
        c0 = metal_col(rng) if rng.random() < 0.6 else col(U(rng, 0, 360), U(rng, 0.3, 0.8), U(rng, 0.3, 0.8))
        dome = U(rng, 1.5, 4)
        lathe(sc, x, y, 0, [(0, r), (0.3, r * 0.98), (dome * 0.6, r * 0.7), (dome, r * 0.3)], [c0, c0, c0], ks=0.6, nseg=32, capc=c0)
        kn = col(0, 0, U(rng, 0.05, 0.3))
        lathe(sc, x, y, dome - 0.2, [(0, 1.0), (0.8, 0.9), (1.4, 1.6), (2.2, 1.6)], [kn, kn, kn], ks=0.3, nseg=16, capc=kn)
    elif k == 'jar':
        r, hgt = U(rng, 5, 7), U(rng, 13, 19)
        c0 = col(U(rng, 0, 360), U(rng, 0, 0.7), U(rng, 0.2, 0.95)) if rng.random() < 0.7 else metal_col(rng)
        lathe(sc, x, y, 0, [(0, r * 0.95), (hgt * 0.9, r), (hgt, r * 1.02)], [c0, c0], ks=0.4, nseg=28, open_top=c0 * 0.15)
        for j in range(int(rng.integers(2, 6))):
            a_ = U(rng, 0, 2 * np.pi)
            d_ = U(rng, 0, r * 0.6)
            t = build_tool(sc, None, None, 'jar', (x + d_ * math.cos(a_), y + d_ * math.sin(a_), hgt - U(rng, 2, 6)))
            L = new_layer(sc.H, sc.W)
            render_prims(sc, t['prims'], L, hgt, None, BG, None)
            post_materials(sc, L, tool_angle2d(sc, t))
            sc.composite(L)
    elif k == 'spoonrest':
        r = U(rng, 4, 6)
        c0 = col(U(rng, 0, 360), U(rng, 0, 0.7), U(rng, 0.15, 0.95))
        lathe(sc, x, y, 0, [(0, r * 0.8), (1.0, r), (1.4, r * 1.02)], [c0, c0], ks=0.4, nseg=24, open_top=sc.shade(c0 * 0.9, UP))
        t = counter_tool(sc, x, y, 1.6)
        if t is not None:
            draw_tool_free(sc, t)
    elif k == 'tool':
        t = counter_tool(sc, x, y, 0.6)
        if t is not None:
            draw_tool_free(sc, t)


# ----------------------------------------------------------------------------- world, camera, light
def setup_world(sc):
    rng = sc.rng
    kind = pick(rng, ['glass', 'gas', 'coil', 'none'], [40, 33, 12, 15])
    hw, hd = U(rng, 28, 40), U(rng, 24, 30)
    layout = pick(rng, [4, 2, 1, 5, 3], [45, 20, 10, 10, 15]) if kind != 'none' else 1
    burners = []
    if layout == 1:
        burners = [(U(rng, -5, 5), U(rng, -5, 5), U(rng, 8, 11))]
    elif layout == 2:
        if rng.random() < 0.5:
            burners = [(-hw * 0.5, 0, U(rng, 7, 11)), (hw * 0.5, 0, U(rng, 7, 11))]
        else:
            burners = [(0, -hd * 0.5, U(rng, 7, 11)), (0, hd * 0.5, U(rng, 7, 10))]
    elif layout == 3:
        burners = [(-hw * 0.5, -hd * 0.45, U(rng, 7, 11)), (-hw * 0.5, hd * 0.45, U(rng, 6, 9)), (hw * 0.5, 0, U(rng, 8, 11))]
    else:
        for sx in (-1, 1):
            for sy in (-1, 1):
                burners.append((sx * hw * U(rng, 0.45, 0.55), sy * hd * U(rng, 0.45, 0.55), U(rng, 6, 10.5)))
        if layout == 5:
            burners.append((0, 0, U(rng, 5, 7)))
            hw *= 1.25
            burners = [(bx * 1.25 if i < 4 else bx, by, br) for i, (bx, by, br) in enumerate(burners)]
    zt = 0.4
    hob = None
    gh = U(rng, 2.0, 3.5)
    if kind != 'none':
        hob = dict(kind=kind, hw=hw, hd=hd, zt=zt, burners=burners, gh=gh, knobs=kind in ('gas', 'coil') or rng.random() < 0.2)
    pz = {'glass': zt, 'gas': zt + gh, 'coil': zt + 0.8, 'none': 0.0}[kind]
    if kind == 'none':
        hw, hd = 20, 20
    world = dict(hob=hob, Yw=hd + U(rng, 4, 40), yfront=-hd - U(rng, 8, 25), hw=hw, hd=hd)
    # pans
    order = list(rng.permutation(len(burners)))
    mi = order[0]
    pans = []
    for bi in order:
        bx, by, br = burners[bi]
        if bi != mi and rng.random() > 0.55:
            continue
        # largest radius that keeps clear of the pans already placed
        maxr = 18.0
        for q in pans:
            dd = math.hypot(q.cx - bx, q.cy - by) - q.rr - q.wt - 1.0
            maxr = min(maxr, dd)
        if maxr < 9:
            continue
        p = make_pan(rng, bx + rng.normal(0, 1.0), by + rng.normal(0, 1.0), pz, max_r=maxr - 1.0)
        pans.append(p)
    sc.main = pans[0]
    # long handles point away from the other pans, mostly towards the front or the sides
    for p in pans:
        best, bs = 0.0, -1e9
        for k in range(12):
            a = 2 * np.pi * k / 12 + U(rng, -0.2, 0.2)
            ex, ey = p.cx + (p.rr + 22) * math.cos(a), p.cy + (p.rr + 22) * math.sin(a)
            mx, my = p.cx + (p.rr + 11) * math.cos(a), p.cy + (p.rr + 11) * math.sin(a)
            clear = min([min(math.hypot(ex - q.cx, ey - q.cy), math.hypot(mx - q.cx, my - q.cy)) - q.rr for q in pans if q is not p] + [40.0])
            score = min(clear, 12.0) - 4.0 * math.sin(a) + U(rng, 0, 6)
            if score > bs:
                best, bs = a, score
        p.hang = best
    for p in pans:
        if p is sc.main or rng.random() < 0.85:
            p.recipe = make_recipe(rng, p)
        if p is not sc.main and rng.random() < 0.25:
            p.lid = dict(glass=rng.random() < 0.35, dome=U(rng, 2, 5), col=metal_col(rng), knob=col(0, 0, U(rng, 0.05, 0.3)))
    sc.main.spills = rng.random() < 0.2
    sc.pans = pans
    sc.world = world
    # counter objects
    objs = []
    nobj = int(rng.integers(0, 8))
    kinds = ['board', 'knife', 'towel', 'mitt', 'bottle', 'shaker', 'bowl', 'lid', 'jar', 'spoonrest', 'tool']
    kw = [10, 6, 9, 6, 10, 6, 5, 5, 8, 7, 12]
    orad = dict(board=27, knife=24, towel=25, mitt=12, bottle=5, shaker=3, bowl=11, lid=14, jar=14, spoonrest=6, tool=6)
    for _ in range(nobj):
        k = pick(rng, kinds, kw)
        flat = k in ('board', 'knife', 'towel', 'mitt', 'tool', 'spoonrest', 'lid')
        reg = pick(rng, ['left', 'right', 'front', 'back'] if flat else ['left', 'right', 'back'])
        if reg == 'left':
            x, y = U(rng, -hw - 35, -hw - 6), U(rng, -hd, world['Yw'] - 5)
        elif reg == 'right':
            x, y = U(rng, hw + 6, hw + 35), U(rng, -hd, world['Yw'] - 5)
        elif reg == 'front':
            x, y = U(rng, -hw, hw), U(rng, world['yfront'] + 5, -hd - 3)
        else:
            x, y = U(rng, -hw - 20, hw + 20), U(rng, hd + 3, max(hd + 4, world['Yw'] - 4))
        ok = all(math.hypot(x - p.cx, y - p.cy) > p.rr + p.wt + orad[k] + 2 for p in pans)
        ok = ok and all(math.hypot(x - o['x'], y - o['y']) > orad[k] + orad[o['k']] for o in objs)
        if ok:
            objs.append(dict(k=k, x=x, y=y))
    sc.objects = objs


def setup_camera(sc):
    rng = sc.rng
    W, H = sc.W, sc.H
    p = sc.main
    mode = pick(rng, ['close', 'medium', 'far'], [34, 42, 24])
    if len(sc.pans) == 1 and mode == 'far' and rng.random() < 0.5:
        mode = 'medium'
    sc.mode = mode
    if mode == 'close':
        fov = math.radians(U(rng, 42, 72))
    else:
        fov = math.radians(U(rng, 50, 98) if rng.random() < 0.8 else U(rng, 95, 115))
    f = (W / 2) / math.tan(fov / 2)
    fov_v = 2 * math.atan((H / 2) / f)
    if rng.random() < 0.3:
        tilt = math.radians(U(rng, 0, 12))
    else:
        tilt = math.radians(U(rng, 15, 68))
    if tilt < math.radians(12):
        azc = U(rng, -np.pi, np.pi)
    elif rng.random() < 0.88:
        azc = math.radians(U(rng, -40, 40))
    else:
        azc = U(rng, -np.pi, np.pi)
    roll = rng.normal(0, math.radians(3)) if rng.random() < 0.85 else rng.normal(0, math.radians(12))
    if mode == 'far':
        T = np.array([U(rng, -8, 8), U(rng, -8, 8), 0.0])
        T = 0.5 * T + 0.5 * np.array([p.cx, p.cy, 0.0])
        span = 2 * sc.world['hw'] * U(rng, 0.55, 0.95)
        dist = span / (2 * math.tan(fov / 2))
    elif mode == 'medium':
        k = U(rng, 0.45, 0.85)
        a = U(rng, 0, 2 * np.pi)
        T = np.array([p.cx + math.cos(a) * p.rr * 0.25, p.cy + math.sin(a) * p.rr * 0.25, p.z0 + p.h * 0.5])
        dist = 2 * (p.rr + 2) / (k * 2 * math.tan(fov_v / 2))
    else:
        k = U(rng, 0.9, 1.7)
        a = U(rng, 0, 2 * np.pi)
        T = np.array([p.cx + math.cos(a) * p.rr * U(rng, 0, 0.45), p.cy + math.sin(a) * p.rr * U(rng, 0, 0.45), p.z0 + p.h * 0.3])
        dist = 2 * p.rr / (k * 2 * math.tan(fov_v / 2))
    dist = max(dist, U(rng, 24, 34))
    d = np.array([math.sin(azc), math.cos(azc), 0.0])
    C = T + dist * (-math.sin(tilt) * d + math.cos(tilt) * UP)
    minz = max(q.zr for q in sc.pans) + U(rng, 17, 24)
    if C[2] < minz:
        C = T + (C - T) * (minz - T[2]) / max(C[2] - T[2], 1e-3)
    fwd = unit(T - C)
    r = np.array([math.cos(azc), -math.sin(azc), 0.0])
    r = unit(r - fwd * (r @ fwd))
    y = np.cross(fwd, r)
    cr, sr = math.cos(roll), math.sin(roll)
    r2 = r * cr + y * sr
    y2 = -r * sr + y * cr
    R = np.stack([r2, y2, fwd])
    cx = W / 2 + rng.normal(0, W * 0.015)
    cy = H / 2 + rng.normal(0, H * 0.015)
    sc.cam = Cam(W, H, f, C, R, cx, cy)


def setup_light(sc):
    rng = sc.rng
    el = math.radians(U(rng, 30, 85))
    az = U(rng, 0, 2 * np.pi)
    sc.L = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    sc.amb = U(rng, 0.3, 0.62)
    sc.shadow_k = U(rng, 0.2, 0.6) * (1 - sc.amb)


def setup_tools(sc):
    rng = sc.rng
    p = sc.main
    n = int(pick(rng, [0, 1, 2, 3], [9, 70, 18, 3]))
    for i in range(n):
        mode = pick(rng, ['held', 'rest', 'lift'], [68, 22, 10])
        t = build_tool(sc, p, None, mode)
        p.tools.append(t)
    for q in sc.pans:
        if q is p or q.lid is not None:
            continue
        if rng.random() < 0.3:
            q.tools.append(build_tool(sc, q, None, pick(rng, ['rest', 'held'], [70, 30])))
    # hands
    for q in sc.pans:
        for t in q.tools:
            if t['mode'] in ('held', 'lift') and t['grip'] is not None and rng.random() < 0.7 and len(sc.hands) < 2:
                sc.hands.append(dict(grip=t['grip'], a=t['a'], glove=None))
    # a hand (or oven glove) holding the main pan's long handle
    if any(h in ('long', 'longhelper') for h in p.handles) and rng.random() < 0.15 and len(sc.hands) < 2:
        a = p.hang
        d = np.array([math.cos(a), math.sin(a), 0.0])
        g = np.array([p.cx, p.cy, 0]) + d * (p.rr + p.wt + U(rng, 9, 15)) + UP * (p.zr + 1.5)
        sc.hands.append(dict(grip=g, a=d, glove=col(U(rng, 0, 360), U(rng, 0, 0.8), U(rng, 0.2, 0.9)) if rng.random() < 0.5 else None))


# ----------------------------------------------------------------------------- shadows, steam, light falloff
def ground_shadows(sc):
    cam, Lv = sc.cam, sc.L
    m = np.zeros((sc.H, sc.W), np.uint8)
    zt = sc.world['hob']['zt'] if sc.world['hob'] is not None else 0.0
    t = np.linspace(0, 2 * np.pi, 32, endpoint=False)

    def sp(P, z):
        return P - ((P[:, 2] - z) / max(Lv[2], 0.15))[:, None] * Lv[None]

    items = [(p.cx, p.cy, p.rr + p.wt, p.zr, p.z0) for p in sc.pans]
    for o in sc.objects:
        if o['k'] in ('bottle', 'jar', 'shaker', 'bowl'):
            items.append((o['x'], o['y'], 4.0, 15.0, 0.0))
    for (x, y, r, ztop, z0) in items:
        zs = zt if z0 > 0.2 else 0.0
        foot = np.column_stack([x + r * np.cos(t), y + r * np.sin(t), np.full(32, zs)])
        top = sp(np.column_stack([x + r * np.cos(t), y + r * np.sin(t), np.full(32, ztop)]), zs)
        P = np.vstack([foot, top])
        if (cam.depth(P) < ZN).any():
            continue
        hull = cv2.convexHull(cam.proj(P).astype(np.float32))[:, 0, :]
        cv2.fillConvexPoly(m, q16(hull), 1, LN, SHIFT)
    f = cv2.GaussianBlur(m.astype(np.float32), (0, 0), max(1.5, sc.W / 90))
    sc.img *= (1 - sc.shadow_k * 1.2 * f)[..., None]


def steam(sc):
    rng, cam = sc.rng, sc.cam
    p = sc.main
    c = cam.proj(np.array([p.cx, p.cy, p.zr + 5]))
    r = p.rr * cam.ppc(np.array([p.cx, p.cy, p.zr + 5]))
    xs, ys = grids(sc.W, sc.H)
    d2 = ((xs - c[0]) ** 2 + (ys - c[1]) ** 2) / max(r * r, 1.0)
    a = np.clip(sc.n0 * 2.2 - 1.0, 0, 1) * np.exp(-d2) * U(rng, 0.15, 0.45)
    sc.img[:] = sc.img * (1 - a[..., None]) + a[..., None] * np.float32(U(rng, 0.7, 0.95))


def global_light(sc):
    rng = sc.rng
    xs, ys = grids(sc.W, sc.H)
    a = U(rng, 0, 2 * np.pi)
    g = ((xs - sc.W / 2) * math.cos(a) + (ys - sc.H / 2) * math.sin(a)) / max(sc.W, sc.H)
    sc.img *= (1 + U(rng, 0, 0.5) * g)[..., None]
    if rng.random() < 0.25:
        # a large soft shadow (the cook, a cupboard, the hood)
        m = np.zeros((sc.H, sc.W), np.float32)
        e = ell_pts(U(rng, -0.2, 1.2) * sc.W, U(rng, -0.2, 1.2) * sc.H, U(rng, 0.3, 0.8) * sc.W, U(rng, 0.2, 0.6) * sc.H, U(rng, 0, 3), 24)
        cv2.fillPoly(m, [q16(e)], 1.0, LN, SHIFT)
        m = cv2.GaussianBlur(m, (0, 0), sc.W * U(rng, 0.04, 0.12))
        sc.img *= (1 - U(rng, 0.2, 0.5) * m)[..., None]


# ----------------------------------------------------------------------------- camera / sensor
def post(sc):
    rng = sc.rng
    W, H = sc.W, sc.H
    img, lab = sc.img, sc.lab
    # lens distortion (barrel for wide-angle webcams), applied to image and labels alike
    if rng.random() < 0.55:
        xs, ys = grids(W, H)
        cx, cy = sc.cam.cx, sc.cam.cy
        rn = math.hypot(W / 2, H / 2)
        k1 = U(rng, 0.03, 0.35) if rng.random() < 0.85 else -U(rng, 0.02, 0.08)
        k2 = U(rng, -0.02, 0.06)
        r2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (rn * rn)
        fac = (1 + k1 * r2 + k2 * r2 * r2) / (1 + k1 + k2)
        mx = (cx + (xs - cx) * fac).astype(np.float32)
        my = (cy + (ys - cy) * fac).astype(np.float32)
        if rng.random() < 0.3:
            ca = U(rng, 0.002, 0.008)
            chans = []
            for ci, s in enumerate((1 + ca, 1.0, 1 - ca)):
                chans.append(cv2.remap(np.ascontiguousarray(img[..., ci]), (cx + (mx - cx) * s).astype(np.float32),
                                       (cy + (my - cy) * s).astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT))
            img = np.dstack(chans)
        else:
            img = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        lab = cv2.remap(lab, mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REFLECT)
    # light colour and imperfect white balance
    K = U(rng, 2500, 8000)
    if K < 6500:
        t = (K - 2500) / 4000
        gains = np.array([0.5 + 0.5 * t, 0.82 + 0.18 * t, 1.0])
    else:
        t = (K - 6500) / 1500
        gains = np.array([1.0, 0.98 - 0.02 * t, 1.0 - 0.12 * t])
    wb = U(rng, 0.2, 1.0)
    gains = gains ** (1 - wb)
    gains *= np.exp(rng.normal(0, 0.04, 3))
    gains /= gains.max()
    img = img * gains.astype(np.float32)[None, None]
    # vignetting
    if rng.random() < 0.7:
        xs, ys = grids(W, H)
        r2 = ((xs - W / 2) ** 2 + (ys - H / 2) ** 2) / (W * W / 4 + H * H / 4)
        img *= (1 - U(rng, 0.1, 0.5) * r2)[..., None]
    # exposure
    expo = 2 ** U(rng, -0.5, 0.6)
    low = rng.random() < 0.18
    over = rng.random() < 0.14
    if low:
        expo *= U(rng, 0.35, 0.7)
    if over:
        expo *= U(rng, 1.4, 2.3)
    img = img * np.float32(expo)
    if over or rng.random() < 0.2:
        bright = np.clip(img - 0.9, 0, None)
        img += cv2.GaussianBlur(bright, (0, 0), U(rng, 2, 6)) * U(rng, 0.3, 1.0)
    # optics: defocus / motion blur
    s = U(rng, 0.35, 0.8) if rng.random() < 0.8 else U(rng, 0.9, 2.0)
    img = cv2.GaussianBlur(img, (0, 0), s)
    if rng.random() < 0.1:
        img = cv2.filter2D(img, -1, motion_kernel(rng, U(rng, 2, 7), U(rng, 0, np.pi)))
    # sensor noise (shot + read + chroma); more after gain in low light
    gain = 1.0
    if low:
        gain = U(rng, 1.5, 2.6)
        img *= gain
    sr = U(rng, 0.003, 0.015) * gain
    ss = U(rng, 0.005, 0.03) * math.sqrt(gain)
    noise = rng.standard_normal((H, W, 3), dtype=np.float32)
    img = img + noise * np.sqrt(sr * sr + ss * ss * np.clip(img, 0, None))
    if rng.random() < 0.5 or low:
        cn = rng.standard_normal((H // 4 + 1, W // 4 + 1, 3), dtype=np.float32)
        cn = cv2.resize(cn, (W, H), interpolation=cv2.INTER_LINEAR)
        img += cn * np.float32(sr * U(rng, 0.5, 1.5))
    # tone curve
    img = np.clip(img, 0, 1)
    gmm = U(rng, 0.8, 1.2)
    img = img ** np.float32(gmm)
    if rng.random() < 0.5:
        c = U(rng, 0.0, 0.35)
        img = img + c * (img - 0.5) * (1 - np.abs(2 * img - 1))
    if rng.random() < 0.25:
        # desaturate / oversaturate
        gry = img.mean(2, keepdims=True)
        img = gry + (img - gry) * np.float32(U(rng, 0.6, 1.4))
    out = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    # low resolution webcam path
    if rng.random() < 0.2:
        f = U(rng, 1.4, 2.6)
        small = cv2.resize(out, (max(8, int(W / f)), max(8, int(H / f))), interpolation=cv2.INTER_AREA)
        out = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.25:
        bl = cv2.GaussianBlur(out, (0, 0), 1.2)
        out = cv2.addWeighted(out, 1.0 + U(rng, 0.3, 1.0), bl, -U(rng, 0.3, 1.0), 0)
    q = int(U(rng, 35, 96))
    if rng.random() < 0.15:
        ok, enc = cv2.imencode('.jpg', out, [cv2.IMWRITE_JPEG_QUALITY, int(U(rng, 40, 90))])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    ok, enc = cv2.imencode('.jpg', out, [cv2.IMWRITE_JPEG_QUALITY, q])
    return enc.tobytes(), lab


# ----------------------------------------------------------------------------- one frame
def render(rng, W, H):
    sc = Scene(rng, W, H)
    setup_world(sc)
    setup_camera(sc)
    setup_light(sc)
    setup_tools(sc)
    draw_background(sc, sc.world)
    ground_shadows(sc)
    items = []
    for p in sc.pans:
        items.append((float(sc.cam.depth(np.array([p.cx, p.cy, p.z0]))), 0, p))
    for o in sc.objects:
        items.append((float(sc.cam.depth(np.array([o['x'], o['y'], 0.0]))), 1, o))
    items.sort(key=lambda t: -t[0])
    for _, typ, it in items:
        if typ == 0:
            draw_pan(sc, it)
        else:
            draw_counter_object(sc, it)
    for L, mk in sc.deferred:
        sc.composite(L, mk)
    for h in sc.hands:
        draw_hand(sc, h['grip'], h['a'], h['glove'])
    if sc.main.recipe is not None and sc.main.recipe['kind'] in ('liquid', 'chunky', 'noodles', 'grains') and rng.random() < 0.3:
        steam(sc)
    global_light(sc)
    sc.img *= (0.95 + 0.1 * vnoise(rng, sc.H, sc.W, 2))[..., None]
    return post(sc)


def generate(out, count, seed, size=(320, 240)):
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    di = out / 'test' / 'images'
    dm = out / 'test' / 'masks'
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        jpg, lab = render(rng, W, H)
        stem = f"{NAME}_{seed}_{i:05d}"
        (di / f"{stem}.jpg").write_bytes(jpg)
        ok, png = cv2.imencode('.png', MASK_BGR[lab])
        (dm / f"{stem}.png").write_bytes(png.tobytes())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--count', type=int, default=16)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--size', default='320x240')
    a = ap.parse_args()
    W, H = (int(v) for v in a.size.lower().split('x'))
    generate(pathlib.Path(a.out), a.count, a.seed, (W, H))


if __name__ == '__main__':
    main()
