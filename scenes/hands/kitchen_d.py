"""Kitchen scene generator (kitchen_d): camera over a cooking pan, per-pixel stirrer / pan / food masks.

Scenes are built in a small 3-D world (cm, z up, pan centred at the origin) and projected through a pinhole
camera at any height / tilt (straight down .. 60 deg oblique), then passed through lens distortion, rolling
shutter, lighting, noise and JPEG. Labels are written in the same drawing pass as the pixels.
"""
import argparse
import colorsys
import math
import pathlib

import cv2
import numpy as np

PAN, TOOL, FOOD = 0, 1, 2
# BGR as written by cv2.imwrite: pan (0,255,0) RGB, stirrer (255,0,0) RGB, food (0,0,255) RGB
LUT = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)


def hsv(h, s, v):
    return np.array(colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0), 1), min(max(v, 0), 1)), np.float32)


def smooth_noise(rng, h, w, cells):
    cw = max(2, int(cells))
    ch = max(2, int(round(cells * h / max(w, 1))))
    small = rng.standard_normal((ch, cw)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def rot_axis(axis, ang):
    axis = np.asarray(axis, np.float64)
    axis = axis / np.linalg.norm(axis)
    K = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.eye(3) + math.sin(ang) * K + (1 - math.cos(ang)) * K @ K


# ----------------------------------------------------------------------------------------------- camera
class Cam:
    def __init__(self, rng, W, H, R, h):
        self.W, self.H = W, H
        fov = math.radians(rng.uniform(48, 110) if rng.random() < 0.5 else rng.uniform(55, 80))
        self.f = (W / 2) / math.tan(fov / 2)
        r = rng.random()
        if r < 0.3:
            tilt = rng.uniform(0, 10)
        elif r < 0.75:
            tilt = rng.uniform(10, 40)
        else:
            tilt = rng.uniform(40, 62)
        self.tilt = math.radians(tilt)
        yaw = rng.uniform(0, 2 * math.pi)
        roll = rng.normal(0, 0.12) if rng.random() < 0.85 else rng.uniform(-math.pi, math.pi)
        frac = rng.uniform(0.45, 1.35)  # pan diameter / image width
        dist = 2 * self.f * R / (frac * W)
        dist = max(dist, h + 12)
        self.dist = dist
        T = np.array([rng.uniform(-0.55, 0.55) * R, rng.uniform(-0.55, 0.55) * R, h * 0.4])
        Rm = rot_axis([0, 0, 1], yaw) @ rot_axis([1, 0, 0], self.tilt)
        x = Rm @ np.array([1.0, 0, 0])
        y = Rm @ np.array([0, -1.0, 0])
        z = Rm @ np.array([0, 0, -1.0])
        x, y = math.cos(roll) * x + math.sin(roll) * y, -math.sin(roll) * x + math.cos(roll) * y
        self.M = np.stack([x, y, z])
        self.C = T - z * dist
        self.cx = W / 2 + rng.normal(0, 2)
        self.cy = H / 2 + rng.normal(0, 2)
        # horizontal direction away from the camera (for the back wall)
        g = z[:2].copy()
        n = np.linalg.norm(g)
        self.away = g / n if n > 1e-3 else np.array([math.cos(yaw), math.sin(yaw)])

    def proj(self, P):
        P = np.asarray(P, np.float64).reshape(-1, 3)
        Xc = (P - self.C) @ self.M.T
        z = np.maximum(Xc[:, 2], 1e-3)
        u = self.f * Xc[:, 0] / z + self.cx
        v = self.f * Xc[:, 1] / z + self.cy
        return np.stack([u, v], 1), Xc[:, 2]

    def rays_to_plane(self, zplane=0.0):
        """World (X, Y) where each pixel's ray meets the plane z=zplane (computed at half resolution)."""
        W, H = self.W, self.H
        w2, h2 = (W + 1) // 2 + 1, (H + 1) // 2 + 1
        u, v = np.meshgrid(np.arange(w2, dtype=np.float32) * 2, np.arange(h2, dtype=np.float32) * 2)
        dx = (u - self.cx) / self.f
        dy = (v - self.cy) / self.f
        M = self.M.astype(np.float32)
        dw = [dx * M[0, k] + dy * M[1, k] + M[2, k] for k in range(3)]
        valid = dw[2] < -1e-3
        s = (zplane - self.C[2]) / np.where(valid, dw[2], -1e-3)
        s = np.minimum(s, 5000.0)
        X = (self.C[0] + s * dw[0]).astype(np.float32)
        Y = (self.C[1] + s * dw[1]).astype(np.float32)
        Mx = np.float32([[0.5, 0, 0], [0, 0.5, 0]])
        X = cv2.warpAffine(X, Mx, (W, H), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
        Y = cv2.warpAffine(Y, Mx, (W, H), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE)
        V = cv2.warpAffine(valid.astype(np.uint8), Mx, (W, H), flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
                           borderMode=cv2.BORDER_REPLICATE)
        return X, Y, V.astype(bool)

    def scale_at(self, P):
        _, z = self.proj(P)
        return self.f / z


def ipoly(pts):
    return [np.round(np.asarray(pts) * 1.0).astype(np.int32).reshape(-1, 1, 2)]


def circle3(cx, cy, r, z, n=72):
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.stack([cx + r * np.cos(t), cy + r * np.sin(t), np.full(n, z)], 1)


def blob_poly(rng, n, rough, harmonics=4):
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.ones(n)
    rough = min(rough, 0.45)
    for k in range(1, harmonics + 1):
        r += rough / k * rng.normal() * np.cos(k * t + rng.uniform(0, 6.3))
    r = np.clip(r, 0.3, 2.0)
    return np.stack([r * np.cos(t), r * np.sin(t)], 1)


def densify(poly, maxlen):
    out = []
    n = len(poly)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        k = max(1, int(math.ceil(np.linalg.norm(b - a) / maxlen)))
        for j in range(k):
            out.append(a + (b - a) * j / k)
    return np.array(out)


def clip_u(poly, umax):
    """Sutherland-Hodgman clip of polygon (u,v) to u <= umax."""
    out = []
    n = len(poly)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        ina, inb = a[0] <= umax, b[0] <= umax
        if ina:
            out.append(a)
        if ina != inb:
            t = (umax - a[0]) / (b[0] - a[0])
            out.append(a + t * (b - a))
    return np.array(out) if len(out) >= 3 else None


# ----------------------------------------------------------------------------------------------- scene
class Scene:
    def __init__(self, rng, W, H):
        self.rng, self.W, self.H = rng, W, H
        self.img = np.zeros((H, W, 3), np.float32)
        self.lab = np.zeros((H, W), np.uint8)
        self.N1 = smooth_noise(rng, H, W, rng.uniform(4, 10))
        self.N2 = smooth_noise(rng, H, W, rng.uniform(14, 30))
        cv2.setRNGSeed(int(rng.integers(1, 2 ** 31 - 1)))
        self.NH = np.zeros((H, W), np.float32)
        cv2.randn(self.NH, 0.0, 1.0)
        a = rng.uniform(0, 2 * math.pi)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        self.G = ((xx - W / 2) * math.cos(a) + (yy - H / 2) * math.sin(a)) / (0.5 * max(W, H))
        self.xx, self.yy = xx, yy

    def mask_poly(self, polys, lt=cv2.LINE_8):
        m = np.zeros((self.H, self.W), np.uint8)
        cv2.fillPoly(m, [np.round(p).astype(np.int32).reshape(-1, 1, 2) for p in polys], 1, lt)
        return m

    def paint(self, m, col, cls, grad=0.15, noise=0.1, hf=0.0, alpha=1.0):
        x, y, w, h = cv2.boundingRect(m)
        if w == 0 or h == 0:
            return
        sl = (slice(y, y + h), slice(x, x + w))
        idx = m[sl].astype(bool)
        sh = 1 + grad * self.G[sl][idx] + noise * self.N1[sl][idx]
        if hf:
            sh = sh + hf * self.NH[sl][idx]
        c = np.asarray(col, np.float32)[None, :] * sh[:, None]
        img = self.img[sl]
        if alpha >= 1:
            img[idx] = c
        else:
            img[idx] = img[idx] * (1 - alpha) + c * alpha
        if cls is not None:
            self.lab[sl][idx] = cls


def rand_food_color(rng):
    r = rng.random()
    if r < 0.22:  # browns (meat, mushrooms, fried)
        return hsv(rng.uniform(0.02, 0.11), rng.uniform(0.35, 0.85), rng.uniform(0.15, 0.65))
    if r < 0.36:  # greens
        return hsv(rng.uniform(0.17, 0.40), rng.uniform(0.3, 0.9), rng.uniform(0.2, 0.8))
    if r < 0.50:  # reds / orange
        return hsv(rng.uniform(-0.03, 0.09), rng.uniform(0.55, 0.95), rng.uniform(0.35, 0.9))
    if r < 0.62:  # yellows
        return hsv(rng.uniform(0.1, 0.17), rng.uniform(0.3, 0.95), rng.uniform(0.5, 0.95))
    if r < 0.74:  # whites / creams
        return hsv(rng.uniform(0.05, 0.15), rng.uniform(0.0, 0.25), rng.uniform(0.6, 0.97))
    if r < 0.80:  # dark / burnt / beans
        return hsv(rng.uniform(0, 1), rng.uniform(0.0, 0.5), rng.uniform(0.04, 0.2))
    if r < 0.86:  # purple / pink
        return hsv(rng.uniform(0.8, 1.0), rng.uniform(0.2, 0.7), rng.uniform(0.3, 0.9))
    return hsv(rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.1, 0.95))


# ------------------------------------------------------------------------------------------- materials
def pan_material(rng):
    k = rng.choice(["steel", "alu", "iron", "nonstick", "enamel", "copper", "carbon"],
                   p=[0.22, 0.1, 0.14, 0.24, 0.12, 0.06, 0.12])
    grey = lambda v, t=0.04: hsv(rng.uniform(0, 1), rng.uniform(0, t), v)
    if k == "steel":
        inner = grey(rng.uniform(0.45, 0.8))
        return dict(kind=k, inner=inner, wall=inner * rng.uniform(0.8, 1.1), outer=grey(rng.uniform(0.5, 0.85)),
                    rim=grey(rng.uniform(0.7, 0.95)), spec=rng.uniform(0.5, 1.0), rough=0.08)
    if k == "alu":
        inner = grey(rng.uniform(0.4, 0.7), 0.06)
        return dict(kind=k, inner=inner, wall=inner * 1.05, outer=grey(rng.uniform(0.45, 0.75)),
                    rim=grey(rng.uniform(0.6, 0.85)), spec=rng.uniform(0.2, 0.6), rough=0.15)
    if k == "iron":
        inner = grey(rng.uniform(0.06, 0.2), 0.15)
        return dict(kind=k, inner=inner, wall=inner * 1.1, outer=inner * 0.9, rim=inner * 1.3,
                    spec=rng.uniform(0.05, 0.35), rough=0.3)
    if k == "nonstick":
        if rng.random() < 0.6:
            inner = grey(rng.uniform(0.05, 0.28), 0.1)
        else:
            inner = hsv(rng.uniform(0, 1), rng.uniform(0.05, 0.6), rng.uniform(0.25, 0.9))
        outer = hsv(rng.uniform(0, 1), rng.uniform(0, 0.9), rng.uniform(0.1, 0.85))
        return dict(kind=k, inner=inner, wall=inner * rng.uniform(0.85, 1.15), outer=outer,
                    rim=outer * rng.uniform(0.8, 1.3) if rng.random() < 0.6 else grey(0.7),
                    spec=rng.uniform(0.1, 0.5), rough=0.1)
    if k == "enamel":
        outer = hsv(rng.uniform(0, 1), rng.uniform(0.3, 0.95), rng.uniform(0.25, 0.9))
        inner = hsv(rng.uniform(0.05, 0.6), rng.uniform(0, 0.25), rng.uniform(0.1, 0.9))
        return dict(kind=k, inner=inner, wall=inner * 1.05, outer=outer, rim=grey(rng.uniform(0.1, 0.8)),
                    spec=rng.uniform(0.3, 0.7), rough=0.05)
    if k == "copper":
        outer = hsv(rng.uniform(0.03, 0.08), rng.uniform(0.45, 0.8), rng.uniform(0.45, 0.85))
        inner = grey(rng.uniform(0.5, 0.8))
        return dict(kind=k, inner=inner, wall=inner, outer=outer, rim=outer * 1.15, spec=rng.uniform(0.5, 1.0),
                    rough=0.08)
    inner = hsv(rng.uniform(0.0, 0.12), rng.uniform(0.1, 0.5), rng.uniform(0.06, 0.3))
    return dict(kind=k, inner=inner, wall=inner * 1.2, outer=inner * 0.9, rim=inner * 1.4,
                spec=rng.uniform(0.2, 0.6), rough=0.25)


def tool_material(rng, food_col=None, pan_col=None):
    r = rng.random()
    if food_col is not None and r < 0.1:
        return ("plastic", np.clip(food_col * rng.uniform(0.75, 1.3, 3), 0, 1).astype(np.float32))
    if pan_col is not None and r < 0.18:
        return ("plastic", np.clip(pan_col * rng.uniform(0.8, 1.2, 3), 0, 1).astype(np.float32))
    r = rng.random()
    if r < 0.28:
        return ("wood", hsv(rng.uniform(0.05, 0.12), rng.uniform(0.25, 0.7), rng.uniform(0.3, 0.85)))
    if r < 0.52:
        return ("metal", hsv(rng.uniform(0, 1), rng.uniform(0, 0.05), rng.uniform(0.45, 0.85)))
    if r < 0.70:
        return ("plastic", hsv(rng.uniform(0, 1), rng.uniform(0, 0.15), rng.uniform(0.03, 0.2)))
    return ("plastic", hsv(rng.uniform(0, 1), rng.uniform(0.2, 1), rng.uniform(0.2, 0.95)))


# ------------------------------------------------------------------------------------------ tool shapes
def rect(u0, u1, w0, w1=None):
    w1 = w0 if w1 is None else w1
    return np.array([[u0, -w0 / 2], [u1, -w1 / 2], [u1, w1 / 2], [u0, w0 / 2]])


def tool_shape(rng, kind):
    """Returns list of parts: dict(poly (u,v) cm or None, lines list, role head/handle, holes list)."""
    L = rng.uniform(18, 36)
    hw = rng.uniform(0.7, 2.4)
    parts = []
    holes = []
    if kind in ("spoon", "ladle", "slotted"):
        a = rng.uniform(2.5, 5) if kind != "ladle" else rng.uniform(3.5, 5.5)
        b = a * rng.uniform(0.55, 0.85) if kind != "ladle" else a * rng.uniform(0.9, 1.0)
        e = blob_poly(rng, 40, 0.04, 2) * [a, b] - [a, 0]
        parts.append(dict(poly=e, role="head"))
        parts.append(dict(poly=rect(-0.5, L, hw * 0.7, hw), role="handle"))
        if kind == "slotted":
            for _ in range(rng.integers(3, 9)):
                c = np.array([rng.uniform(-1.7 * a, -0.4 * a), rng.uniform(-0.5, 0.5) * b])
                holes.append(blob_poly(rng, 10, 0.05, 1) * rng.uniform(0.2, 0.45) + c)
    elif kind in ("spatula", "turner"):
        ln, wd = rng.uniform(5, 11), rng.uniform(4.5, 9.5)
        wd0 = wd * rng.uniform(0.4, 1.0)
        t = rng.uniform(0.2, 1.5)
        poly = np.array([[0, -wd0 / 2], [-ln, -wd / 2 + t * 0.3], [-ln - t * 0.3, -wd / 2 + t], [-ln - t * 0.3, wd / 2 - t],
                         [-ln, wd / 2 - t * 0.3], [0, wd0 / 2]])
        parts.append(dict(poly=poly, role="head"))
        parts.append(dict(poly=rect(-0.3, L, hw * 0.8, hw * 1.2), role="handle"))
        if kind == "turner" or rng.random() < 0.3:
            ns = rng.integers(2, 6)
            for j in range(ns):
                vv = (j - (ns - 1) / 2) * wd * 0.7 / max(ns, 1)
                holes.append(rect(-ln * 0.85, -ln * 0.2, wd * 0.06 + 0.2)[[0, 1, 2, 3]] + [0, vv])
    elif kind == "fork":
        nt = rng.integers(2, 5)
        tl, tw = rng.uniform(3, 8), rng.uniform(0.25, 0.5)
        sp = rng.uniform(0.5, 1.0)
        for j in range(nt):
            vv = (j - (nt - 1) / 2) * sp
            parts.append(dict(poly=rect(-tl, 0, tw, tw * 1.3) + [0, vv], role="head"))
        parts.append(dict(poly=rect(-0.3, 2, sp * (nt - 1) + tw, hw), role="head"))
        parts.append(dict(poly=rect(1.5, L, hw), role="handle"))
    elif kind == "chopsticks":
        L = rng.uniform(22, 32)
        w0, w1 = rng.uniform(0.3, 0.5), rng.uniform(0.6, 1.0)
        gap = rng.uniform(0.0, 3.0)
        for s in (-1, 1):
            p = rect(-4, L, w0, w1)
            ang = s * rng.uniform(0.01, 0.08)
            c, si = math.cos(ang), math.sin(ang)
            p = p @ np.array([[c, si], [-si, c]]) + [0, s * gap / 2]
            parts.append(dict(poly=p, role="handle"))
    elif kind == "tongs":
        sp = rng.uniform(2, 7)
        w = rng.uniform(0.8, 1.8)
        for s in (-1, 1):
            p = np.array([[L, -w / 2 + s * 0.6], [-4, s * sp / 2 - w / 2], [-4, s * sp / 2 + w / 2], [L, w / 2 + s * 0.6]])
            parts.append(dict(poly=p, role="handle"))
            parts.append(dict(poly=blob_poly(rng, 16, 0.05, 1) * [2.2, w * 0.9] + [-5, s * sp / 2], role="head"))
    elif kind == "whisk":
        parts.append(dict(poly=rect(-0.5, L * 0.8, hw * 1.1, hw * 1.5), role="handle"))
        parts.append(dict(whisk=(rng.integers(4, 10), rng.uniform(7, 12), rng.uniform(2, 3.5)), role="head"))
    else:  # generic random head (masher, server, odd gadget)
        a = rng.uniform(2, 5)
        poly = np.clip(blob_poly(rng, 36, rng.uniform(0.05, 0.3), 4), -1.4, 1.4) * [a, a * rng.uniform(0.4, 1.2)] - [a, 0]
        parts.append(dict(poly=poly, role="head"))
        parts.append(dict(poly=rect(-0.5, L, hw * rng.uniform(0.5, 1.2), hw), role="handle"))
        if rng.random() < 0.4:
            for _ in range(rng.integers(2, 10)):
                c = np.array([rng.uniform(-1.6 * a, -0.4 * a), rng.uniform(-0.4, 0.4) * a])
                holes.append(blob_poly(rng, 8, 0.05, 1) * rng.uniform(0.2, 0.6) + c)
    return parts, holes, L


TOOL_KINDS = ["spoon", "ladle", "slotted", "spatula", "turner", "fork", "chopsticks", "tongs", "whisk", "generic"]
TOOL_P = [0.16, 0.08, 0.06, 0.2, 0.08, 0.05, 0.08, 0.09, 0.07, 0.13]


class Tool3D:
    """Tool placed in the world: head near H0 (z0), axis azimuth phi, handle rising at elevation el."""

    def __init__(self, cam, parts, holes, L, H0, z0, phi, el, head_tilt=0.0):
        self.cam, self.parts, self.holes, self.L = cam, parts, holes, L
        self.H0 = np.array([H0[0], H0[1], z0])
        self.d = np.array([math.cos(phi), math.sin(phi), 0.0])
        self.n = np.array([-math.sin(phi), math.cos(phi), 0.0])
        self.el, self.ht = el, head_tilt

    def world(self, uv, w=None):
        u, v = uv[:, 0], uv[:, 1]
        z = np.where(u > 0, u * math.tan(self.el), u * math.tan(self.ht))
        uu = np.where(u > 0, u, u)
        P = self.H0[None] + uu[:, None] * self.d[None] + v[:, None] * self.n[None]
        P[:, 2] += z
        if w is not None:
            P[:, 2] += w
        return P

    def img_poly(self, uv):
        pts, depth = self.cam.proj(self.world(densify(uv, 1.5)))
        if (depth < 3).any():
            return None
        return pts


# ------------------------------------------------------------------------------------------ generation
def make_counter(rng, sc, cam, hobkind):
    """Fills the whole image with wall + counter/hob surface (all PAN)."""
    H, W = sc.H, sc.W
    X, Y, valid = cam.rays_to_plane(0.0)
    back = rng.uniform(25, 90)
    along = X * cam.away[0] + Y * cam.away[1]
    counter = valid & (along < back) & (np.abs(X) < 400) & (np.abs(Y) < 400)
    # wall
    wall_col = hsv(rng.uniform(0, 1), rng.uniform(0, 0.35), rng.uniform(0.3, 0.95))
    wm = ~counter
    if wm.any():
        sc.img[:] = wall_col * (1 + 0.1 * sc.N1 + 0.1 * sc.G)[..., None]
        # tile lines / rail / hanging utensils on the wall plane (along = back)
        e = np.array([cam.away[0], cam.away[1], 0.0])
        t = np.array([-cam.away[1], cam.away[0], 0.0])
        base = e * back
        layer = sc.img
        if rng.random() < 0.6:
            ts = rng.uniform(7, 20)
            lc = wall_col * rng.uniform(0.6, 1.2)
            for k in range(1, 12):
                p, _ = cam.proj([base - t * 200 + [0, 0, k * ts], base + t * 200 + [0, 0, k * ts]])
                cv2.line(layer, tuple(np.int32(np.clip(p[0], -1e4, 1e4))), tuple(np.int32(np.clip(p[1], -1e4, 1e4))),
                         lc.tolist(), 1)
            for k in range(-15, 16):
                p, _ = cam.proj([base + t * k * ts, base + t * k * ts + [0, 0, 150]])
                cv2.line(layer, tuple(np.int32(np.clip(p[0], -1e4, 1e4))), tuple(np.int32(np.clip(p[1], -1e4, 1e4))),
                         lc.tolist(), 1)
        if rng.random() < 0.6:
            zr = rng.uniform(25, 55)
            rc = hsv(0, 0, rng.uniform(0.3, 0.9))
            p, _ = cam.proj([base - t * 150 + [0, 0, zr], base + t * 150 + [0, 0, zr]])
            cv2.line(layer, tuple(np.int32(np.clip(p[0], -1e4, 1e4))), tuple(np.int32(np.clip(p[1], -1e4, 1e4))),
                     rc.tolist(), max(1, int(cam.f * 1.2 / cam.dist)))
            for _ in range(rng.integers(0, 7)):
                kind = rng.choice(TOOL_KINDS, p=TOOL_P)
                parts, holes, L = tool_shape(rng, kind)
                pos = rng.uniform(-60, 60)
                _, mat = tool_material(rng)
                for prt in parts:
                    if "poly" not in prt:
                        continue
                    uv = densify(prt["poly"], 2.0)
                    # hang: u axis vertical, head down
                    P = base[None] + t[None] * (pos + uv[:, 1:2]) + np.array([0, 0, 1.0])[None] * (zr - L + uv[:, 0:1])
                    P = P - e[None] * 1.5
                    pts, dep = cam.proj(P)
                    if (dep > 3).all():
                        cv2.fillPoly(layer, ipoly(pts), (mat * rng.uniform(0.8, 1.1)).tolist())
    # counter texture sampled through the plane
    kind = hobkind
    tex_n = 128
    Lw = 200.0
    if kind in ("glass", "induction"):
        col = hsv(rng.uniform(0, 1), rng.uniform(0, 0.2), rng.uniform(0.02, 0.12))
        amp, hfa = 0.6, 0.05
    elif kind in ("gas", "range"):
        col = hsv(rng.uniform(0, 1), rng.uniform(0, 0.08), rng.uniform(0.08, 0.75))
        amp, hfa = 0.2, 0.06
    elif kind == "wood":
        col = hsv(rng.uniform(0.05, 0.11), rng.uniform(0.3, 0.7), rng.uniform(0.25, 0.8))
        amp, hfa = 0.15, 0.05
    elif kind == "ground":
        col = hsv(rng.uniform(0.05, 0.3), rng.uniform(0.2, 0.7), rng.uniform(0.15, 0.6))
        amp, hfa = 0.35, 0.25
    else:  # stone, tile, laminate
        col = hsv(rng.uniform(0, 1), rng.uniform(0, 0.4), rng.uniform(0.1, 0.95))
        amp, hfa = 0.2, 0.15
    tx = smooth_noise(rng, tex_n, tex_n, rng.uniform(3, 12)) * amp * 0.5
    if kind == "wood":
        gx = np.arange(tex_n, dtype=np.float32)[None, :]
        f = rng.uniform(0.3, 1.2)
        tx = tx + 0.12 * np.sin(gx * f + 6 * smooth_noise(rng, tex_n, tex_n, 4))
    if kind in ("tile",):
        period = rng.integers(6, 20)
        gx = (np.arange(tex_n) % period == 0)
        tx = tx - 0.4 * (gx[None, :] | gx[:, None])
    if kind in ("gas", "range") and rng.random() < 0.5:
        tx = tx + 0.1 * cv2.resize(rng.standard_normal((tex_n, 8)).astype(np.float32), (tex_n, tex_n))  # brushed
    tex = (col[None, None, :] * (1 + tx)[..., None]).astype(np.float32)
    # speckle at pixel scale (granite / dirt / crumbs)
    mx = ((X + Lw) / (2 * Lw) * tex_n).astype(np.float32)
    my = ((Y + Lw) / (2 * Lw) * tex_n).astype(np.float32)
    ctex = cv2.remap(tex, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    ctex = ctex * (1 + hfa * sc.NH[..., None] + 0.08 * sc.G[..., None])
    if kind in ("glass", "induction"):  # reflections in black glass
        ctex = ctex + np.clip(sc.N1 - 0.8, 0, None)[..., None] * rng.uniform(0.0, 0.3)
    cv2.copyTo(ctex, counter.astype(np.uint8), sc.img)
    sc.lab[:] = PAN
    return counter, back


def draw_quad_bar(sc, cam, a, b, w, z0, z1, col):
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    n = np.array([-d[1], d[0]]) / (np.linalg.norm(d) + 1e-9) * w / 2
    P = np.array([[*(a - n), z1], [*(b - n), z1], [*(b + n), z1], [*(a + n), z1]])
    pts, dep = cam.proj(P)
    if (dep < 3).any():
        return
    cv2.fillPoly(sc.img, ipoly(pts), col.tolist())


def draw_hob(rng, sc, cam, kind, R, back):
    if kind in ("gas", "range", "ground"):
        gcol = hsv(rng.uniform(0, 1), rng.uniform(0, 0.15), rng.uniform(0.03, 0.3))
        hi = gcol * 1.6 + 0.05
        cell = rng.uniform(2.0, 2.8) * R if kind != "ground" else rng.uniform(2.0, 2.4) * R
        w = rng.uniform(0.8, 2.0) if kind != "range" else rng.uniform(1.5, 3.0)
        off = rng.uniform(-0.3, 0.3, 2) * R
        if kind == "ground":  # camping stove: a ring of pot supports
            nf = rng.integers(3, 6)
            for k in range(nf):
                a = 2 * math.pi * k / nf + rng.uniform(0, 0.3)
                draw_quad_bar(sc, cam, [0.2 * R * math.cos(a), 0.2 * R * math.sin(a)],
                              [1.4 * R * math.cos(a), 1.4 * R * math.sin(a)], w, 0, 0.5, gcol)
            return
        ext = 2
        for i in range(-ext, ext + 2):
            for j in (0,):
                pass
        xs = [off[0] + (i - 0.5) * cell for i in range(-ext, ext + 2)]
        ys = [off[1] + (i - 0.5) * cell for i in range(-ext, ext + 2)]
        for x in xs:
            draw_quad_bar(sc, cam, [x, ys[0]], [x, ys[-1]], w, 0, 0.5, gcol)
        for y in ys:
            draw_quad_bar(sc, cam, [xs[0], y], [xs[-1], y], w, 0, 0.5, gcol)
        for cxi in range(-ext, ext + 1):
            for cyi in range(-ext, ext + 1):
                cxx, cyy = off[0] + cxi * cell, off[1] + cyi * cell
                if abs(cxi) + abs(cyi) > 0:  # other burners: cap visible
                    p, dep = cam.proj(circle3(cxx, cyy, cell * 0.18, 0.3, 32))
                    if (dep > 3).all():
                        cv2.fillPoly(sc.img, ipoly(p), (gcol * 0.8).tolist())
                        p2, _ = cam.proj(circle3(cxx, cyy, cell * 0.12, 0.4, 32))
                        cv2.fillPoly(sc.img, ipoly(p2), (hsv(0.1, rng.uniform(0, 0.6), rng.uniform(0.1, 0.5))).tolist())
                for k in range(4):
                    a = k * math.pi / 2 + math.pi / 4 * (rng.random() < 0.5)
                    r0, r1 = cell * 0.2, cell * 0.5
                    draw_quad_bar(sc, cam, [cxx + r0 * math.cos(a), cyy + r0 * math.sin(a)],
                                  [cxx + r1 * math.cos(a), cyy + r1 * math.sin(a)], w, 0, 0.5, gcol)
    elif kind in ("glass", "induction"):
        lc = hsv(0, 0, rng.uniform(0.2, 0.6))
        spacing = rng.uniform(2.1, 2.8) * R
        for i in range(-2, 3):
            for j in range(-2, 3):
                rr = R * rng.uniform(0.8, 1.3)
                p, dep = cam.proj(circle3(i * spacing, j * spacing, rr, 0, 48))
                if (dep > 3).all():
                    cv2.polylines(sc.img, ipoly(p), True, lc.tolist(), 1)
    elif kind == "coil":
        cc = hsv(0, 0, rng.uniform(0.05, 0.3))
        for k in range(1, 6):
            p, dep = cam.proj(circle3(0, 0, R * 0.2 * k, 0.3, 48))
            if (dep > 3).all():
                cv2.polylines(sc.img, ipoly(p), True, cc.tolist(), max(1, int(cam.f * 0.8 / cam.dist)))


def make_pan_geom(rng):
    k = rng.choice(["fry", "saute", "saucepan", "stockpot", "wok", "skillet", "camp"],
                   p=[0.26, 0.14, 0.15, 0.1, 0.15, 0.12, 0.08])
    if k == "fry":
        R = rng.uniform(10, 16); h = rng.uniform(3, 5.5); Rb = R - rng.uniform(1.5, 3.5)
    elif k == "saute":
        R = rng.uniform(11, 16); h = rng.uniform(5.5, 8.5); Rb = R - rng.uniform(0.5, 1.5)
    elif k == "saucepan":
        R = rng.uniform(7, 11); h = rng.uniform(7, 14); Rb = R - rng.uniform(0, 0.8)
    elif k == "stockpot":
        R = rng.uniform(11, 18); h = rng.uniform(14, 28); Rb = R
    elif k == "wok":
        R = rng.uniform(15, 22); h = rng.uniform(7, 12); Rb = R * rng.uniform(0.3, 0.5)
    elif k == "skillet":
        R = rng.uniform(10, 15); h = rng.uniform(4, 6); Rb = R - rng.uniform(0.8, 2)
    else:
        R = rng.uniform(6, 10); h = rng.uniform(5, 11); Rb = R - rng.uniform(0, 1)
    return k, R, h, Rb


def draw_pan(rng, sc, cam, kind, R, h, Rb, mat, center=(0.0, 0.0), lid=False):
    cxw, cyw = center
    th = rng.uniform(0.25, 0.9)
    pb, db = cam.proj(circle3(cxw, cyw, Rb, 0))
    pr, dr = cam.proj(circle3(cxw, cyw, R, h))
    if (db < 3).any() or (dr < 3).any():
        return None
    # shadow on counter
    sh = np.zeros((sc.H, sc.W), np.uint8)
    sv = rng.uniform(-0.3, 0.3, 2) * R
    ps, _ = cam.proj(circle3(cxw + sv[0], cyw + sv[1], R * 1.05, 0))
    cv2.fillPoly(sh, ipoly(ps), 1)
    bx, by, bw, bh = cv2.boundingRect(sh)
    if bw > 0:
        x0, y0 = max(bx - 8, 0), max(by - 8, 0)
        x1, y1 = min(bx + bw + 8, sc.W), min(by + bh + 8, sc.H)
        shf = cv2.blur(sh[y0:y1, x0:x1].astype(np.float32), (15, 15))
        sc.img[y0:y1, x0:x1] *= (1 - rng.uniform(0.2, 0.6) * shf)[..., None]
    hull = cv2.convexHull(np.concatenate([pb, pr]).astype(np.float32))
    body = sc.mask_poly([hull.reshape(-1, 2)])
    sc.paint(body, mat["outer"], PAN, grad=0.35, noise=mat["rough"])
    # handles
    hcol = mat["outer"] if rng.random() < 0.4 else tool_material(rng)[1]
    if kind in ("stockpot", "saucepan", "camp") and rng.random() < 0.6 or kind == "stockpot":
        a0 = 0.0
        for s in (0, math.pi):
            a = rng.uniform(0, 2 * math.pi) if s == 0 else a0 + math.pi
            a0 = a
            pts = []
            for t in np.linspace(-0.35, 0.35, 9):
                pts.append([cxw + (R + 2.5 * math.cos(t * 4.5)) * math.cos(a + t * 0.6),
                            cyw + (R + 2.5 * math.cos(t * 4.5)) * math.sin(a + t * 0.6), h - 1.5])
            p, d = cam.proj(pts)
            cv2.polylines(sc.img, ipoly(p), False, hcol.tolist(), max(1, int(cam.f * 1.0 / d.mean())))
    if kind != "stockpot":
        a = rng.uniform(0, 2 * math.pi)
        hl = rng.uniform(12, 24) if kind != "camp" else rng.uniform(8, 14)
        hw = rng.uniform(2, 4)
        el = rng.uniform(0.05, 0.35)
        uv = np.array([[0, -hw * 0.45], [hl, -hw / 2], [hl, hw / 2], [0, hw * 0.45]])
        uv = densify(uv, 2.0)
        d = np.array([math.cos(a), math.sin(a), 0]); n = np.array([-math.sin(a), math.cos(a), 0])
        P = np.array([cxw, cyw, h - 1.0]) + (R - 0.3 + uv[:, 0:1]) * d + uv[:, 1:2] * n
        P[:, 2] += uv[:, 0] * math.tan(el)
        p, dep = cam.proj(P)
        if (dep > 3).all():
            m = sc.mask_poly([p])
            sc.paint(m, hcol, PAN, grad=0.3, noise=0.1)
        if kind == "wok" and rng.random() < 0.5:  # helper handle
            P2 = np.array([cxw, cyw, h - 1]) - (R + np.array([0.0, 3.0, 3.0, 0.0]))[:, None] * d + \
                 np.array([-3, -3, 3, 3.0])[:, None] * n
            p, dep = cam.proj(P2)
            if (dep > 3).all():
                sc.paint(sc.mask_poly([p]), hcol, PAN)
    # rim + interior
    rim = sc.mask_poly([pr])
    sc.paint(rim, mat["rim"], PAN, grad=0.3, noise=0.05)
    pi_, _ = cam.proj(circle3(cxw, cyw, R - th, h))
    inner = sc.mask_poly([pi_])
    if lid:
        lc = hsv(0, 0, rng.uniform(0.3, 0.9)) if rng.random() < 0.5 else mat["outer"]
        sc.paint(inner, lc, PAN, grad=0.4, noise=0.05, alpha=rng.uniform(0.4, 1.0))
        pk, _ = cam.proj(circle3(cxw, cyw, R * 0.12, h + 3))
        sc.paint(sc.mask_poly([pk]), hsv(0, 0, rng.uniform(0.05, 0.6)), PAN)
        return None
    sc.paint(inner, mat["wall"], PAN, grad=0.5, noise=mat["rough"])
    pbi, _ = cam.proj(circle3(cxw, cyw, max(Rb - th, 1), 0))
    bottom = sc.mask_poly([pbi]) & inner
    cxi, cyi = pbi.mean(0)
    rr = cv2.magnitude(sc.xx - np.float32(cxi), sc.yy - np.float32(cyi)) / np.float32(np.abs(pbi - [cxi, cyi]).max() + 1)
    idx = bottom.astype(bool)
    sc.img[idx] = mat["inner"] * (1 + 0.2 * sc.G[idx] + mat["rough"] * sc.N2[idx] - 0.15 * rr[idx] ** 2)[:, None]
    if kind == "wok":
        idxw = inner.astype(bool)
        sc.img[idxw] = mat["inner"] * (0.6 + 0.5 * np.clip(1 - rr[idxw] * 0.5, 0, 1) + 0.25 * sc.G[idxw]
                                       + mat["rough"] * sc.N2[idxw])[:, None]
    # brushed / seasoning rings
    if mat["kind"] in ("steel", "alu", "copper") and rng.random() < 0.7:
        lay = np.zeros((sc.H, sc.W), np.float32)
        for _ in range(rng.integers(2, 6)):
            rk = rng.uniform(0.2, 1.0)
            pc, _ = cam.proj(circle3(cxw, cyw, max(Rb - th, 1) * rk, 0, 48))
            cv2.polylines(lay, ipoly(pc), True, float(rng.uniform(-0.2, 0.2)), 1)
        sc.img[idx] *= (1 + lay[idx])[:, None]
    return dict(inner=inner, bottom=bottom, pbi=pbi, th=th, center=(cxi, cyi), pi=pi_)


def food_texture(rng, sc, idx, base, second=None, grain=0.1):
    sh = 1 + rng.uniform(0.03, 0.25) * sc.N2[idx] + 0.15 * sc.G[idx] + grain * sc.NH[idx]
    c = base[None, :] * sh[:, None]
    if second is not None:
        sel = (sc.N2[idx] * 0.7 + 0.5 * sc.NH[idx]) > rng.uniform(0.3, 1.5)
        c[sel] = second[None, :] * sh[sel, None]
    return c


def draw_piece(rng, sc, cen, size, col, shape, ang, mask_clip=None, acc=None):
    if shape == "grain":
        poly = blob_poly(rng, 10, 0.05, 1) * [size, size * rng.uniform(0.3, 0.6)]
    elif shape == "strip":
        poly = blob_poly(rng, 12, 0.1, 2) * [size * rng.uniform(0.8, 1.6), size * rng.uniform(0.15, 0.35)]
    elif shape == "round":
        poly = blob_poly(rng, 14, 0.05, 1) * size
    elif shape == "leaf":
        poly = blob_poly(rng, 16, 0.35, 4) * [size * 1.2, size * 0.8]
    else:
        poly = blob_poly(rng, 8, 0.25, 3) * [size, size * rng.uniform(0.6, 1.0)]
    c, s = math.cos(ang), math.sin(ang)
    poly = poly @ np.array([[c, s], [-s, c]]) + cen
    H, W = sc.H, sc.W
    x0, y0 = np.floor(poly.min(0)).astype(int) - 1
    x1, y1 = np.ceil(poly.max(0)).astype(int) + 2
    x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, W), min(y1, H)
    if x1 <= x0 or y1 <= y0:
        return
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(m, [np.round(poly - [x0, y0]).astype(np.int32).reshape(-1, 1, 2)], 1)
    if mask_clip is not None:
        m &= mask_clip[y0:y1, x0:x1]
    idx = m.astype(bool)
    if not idx.any():
        return
    img = sc.img[y0:y1, x0:x1]
    pr = col * rng.uniform(0.8, 1.2, 3).astype(np.float32)
    shade = 1 + 0.3 * (sc.G[y0:y1, x0:x1][idx] * 0.5 + 0.15 * sc.NH[y0:y1, x0:x1][idx])
    img[idx] = np.clip(pr[None] * shade[:, None] * rng.uniform(0.85, 1.15), 0, 1.2)
    if size > 3 and rng.random() < 0.7:
        er = cv2.erode(m, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=1)
        edge = idx & ~er.astype(bool)
        img[edge] *= rng.uniform(0.55, 0.85)
    sc.lab[y0:y1, x0:x1][idx] = FOOD
    if acc is not None:
        acc[y0:y1, x0:x1] |= m


def draw_food(rng, sc, cam, P, R, h, Rb, kind):
    """Food inside the pan; returns info for tools (liquid level, mask, colours)."""
    r = rng.random()
    cols = [rand_food_color(rng) for _ in range(rng.integers(1, 5))]
    info = dict(level=None, liquid=None, cols=cols)
    if r < 0.03:
        return info  # empty pan
    inner = P["inner"]
    foodm = np.zeros_like(inner)
    mode = rng.choice(["liquid", "pieces", "mass", "flat", "oil", "noodle"], p=[0.25, 0.25, 0.17, 0.08, 0.1, 0.15])
    sf = cam.f / cam.dist
    if mode in ("liquid", "oil") or (mode == "pieces" and rng.random() < 0.35):
        lvl = rng.uniform(0.2, 0.9) * h if mode != "oil" else 0.15
        rl = Rb + (R - Rb) * lvl / h - P["th"]
        pl, _ = cam.proj(circle3(0, 0, max(rl, 1), lvl))
        lm = sc.mask_poly([pl]) & inner
        if mode == "oil":
            # oil pools (visible sheen) rather than whole base
            lm2 = np.zeros_like(lm)
            for _ in range(rng.integers(1, 5)):
                c = rng.uniform(-0.6, 0.6, 2) * Rb
                pp = blob_poly(rng, 24, 0.3, 4) * rng.uniform(0.2, 0.7) * Rb + c
                p, _ = cam.proj(np.c_[pp, np.full(len(pp), 0.1)])
                lm2 |= sc.mask_poly([p])
            lm = lm2 & inner if rng.random() < 0.7 else lm
            base = hsv(rng.uniform(0.1, 0.16), rng.uniform(0.3, 0.9), rng.uniform(0.5, 0.9))
            idx = lm.astype(bool)
            a = rng.uniform(0.4, 0.75)
            sc.img[idx] = sc.img[idx] * (1 - a) + a * base[None] * (1 + 0.2 * sc.N1[idx])[:, None]
            sc.img[idx] += 0.25 * np.clip(sc.N2[idx] - 0.5, 0, None)[:, None]  # sheen
        else:
            base = cols[0]
            idx = lm.astype(bool)
            sc.img[idx] = food_texture(rng, sc, idx, base, cols[1] if len(cols) > 1 and rng.random() < 0.5 else None,
                                       grain=rng.uniform(0.0, 0.1))
        if mode != "oil" and rng.random() < 0.5:  # bubbles / simmering surface
            bl = np.zeros((sc.H, sc.W), np.float32)
            for _ in range(rng.integers(5, 60)):
                rb = max(1, int(rng.uniform(0.15, 0.8) * sf))
                cv2.circle(bl, (int(rng.uniform(0, sc.W)), int(rng.uniform(0, sc.H))), rb,
                           float(rng.uniform(0.15, 0.5)), 1)
            idx = lm.astype(bool)
            sc.img[idx] *= (1 + bl[idx])[:, None]
        sc.lab[lm.astype(bool)] = FOOD
        foodm |= lm
        info["level"], info["liquid"], info["lcol"] = lvl, lm, base
        if mode == "oil":
            info["level"] = None
    if mode in ("mass", "flat"):
        for _ in range(rng.integers(1, 4) if mode == "mass" else 1):
            c = rng.uniform(-0.4, 0.4, 2) * Rb
            rad = rng.uniform(0.3, 0.9) * Rb if mode == "mass" else rng.uniform(0.5, 0.95) * Rb
            pp = blob_poly(rng, 40, rng.uniform(0.05, 0.3), 5) * rad + c
            p, _ = cam.proj(np.c_[pp, np.full(len(pp), rng.uniform(0.5, 2.5))])
            m = sc.mask_poly([p]) & inner
            idx = m.astype(bool)
            base = cols[rng.integers(len(cols))]
            sec = cols[rng.integers(len(cols))] if rng.random() < 0.6 else rand_food_color(rng)
            sc.img[idx] = food_texture(rng, sc, idx, base, sec, grain=rng.uniform(0.03, 0.3))
            if mode == "flat" and rng.random() < 0.4:  # egg yolk / topping
                p2, _ = cam.proj(np.c_[pp * 0.3 + c * 0.2, np.full(len(pp), 2.5)])
                m2 = sc.mask_poly([p2]) & m
                sc.paint(m2, hsv(rng.uniform(0.08, 0.14), rng.uniform(0.7, 1), rng.uniform(0.7, 1)), FOOD, grad=0.2)
            sc.lab[idx] = FOOD
            foodm |= m
    if mode in ("pieces", "mass", "liquid", "noodle") and rng.random() < (0.95 if mode == "pieces" else 0.5):
        n = int(rng.integers(5, 120))
        shape_p = rng.dirichlet(np.ones(5) * 0.6)
        size_cm = rng.uniform(0.3, 2.2) if rng.random() < 0.8 else rng.uniform(2.0, 3.2)
        cluster = rng.random() < 0.5
        zc = info["level"] or 0.5
        cc = rng.uniform(-0.4, 0.4, 2) * Rb
        for _ in range(n):
            if cluster:
                w = cc + rng.normal(0, 0.35, 2) * Rb
            else:
                rr, a = Rb * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
                w = np.array([rr * math.cos(a), rr * math.sin(a)])
            if np.hypot(*w) > Rb:
                continue
            p, dep = cam.proj([w[0], w[1], zc + rng.uniform(0, 1.5)])
            sz = size_cm * rng.uniform(0.6, 1.4) * cam.f / dep[0]
            shape = rng.choice(["grain", "strip", "round", "leaf", "chunk"], p=shape_p)
            draw_piece(rng, sc, p[0], max(sz, 1.0), cols[rng.integers(len(cols))], shape,
                       rng.uniform(0, 6.3), inner, acc=foodm)
    if mode == "noodle":
        col = cols[0]
        nn = int(rng.integers(10, 60))
        thick = max(1, int(round(rng.uniform(0.25, 0.9) * sf)))
        lay = np.zeros_like(inner)
        colimg = np.zeros_like(sc.img)
        for _ in range(nn):
            a0 = rng.uniform(0, 2 * math.pi)
            w = rng.uniform(-0.8, 0.8, 2) * Rb
            pts = [w]
            for _ in range(12):
                a0 += rng.normal(0, 0.5)
                w = w + 2.0 * np.array([math.cos(a0), math.sin(a0)])
                pts.append(w)
            pts = np.array(pts)
            p, dep = cam.proj(np.c_[pts, np.full(len(pts), 1.0)])
            c = (col * rng.uniform(0.75, 1.15)).tolist()
            cv2.polylines(colimg, ipoly(p), False, c, thick + 1)
            cv2.polylines(lay, ipoly(p), False, 1, thick + 1)
            cv2.polylines(colimg, ipoly(p + rng.uniform(-0.5, 0.5)), False, (np.array(c) * 1.2).tolist(), max(1, thick - 1))
        lay &= inner
        idx = lay.astype(bool)
        sc.img[idx] = colimg[idx] * (1 + 0.2 * sc.G[idx])[:, None]
        sc.lab[idx] = FOOD
        foodm |= lay
    # splatters on inner wall / rim
    if rng.random() < 0.3:
        for _ in range(rng.integers(1, 12)):
            a = rng.uniform(0, 2 * math.pi)
            rr = R - P["th"] * rng.uniform(0, 1) - rng.uniform(0, 2)
            p, dep = cam.proj([rr * math.cos(a), rr * math.sin(a), rng.uniform(0.5, 1.0) * h])
            draw_piece(rng, sc, p[0], max(1.0, rng.uniform(0.2, 0.8) * cam.f / dep[0]), cols[0], "round", 0,
                       acc=foodm)
    # specular highlights on the food (wet, oily)
    if foodm.any() and rng.random() < 0.7:
        hl = np.zeros((sc.H, sc.W), np.float32)
        for _ in range(rng.integers(3, 40)):
            y, x = sc.H * rng.random(), sc.W * rng.random()
            cv2.ellipse(hl, (int(x), int(y)), (int(rng.uniform(1, 5)), int(rng.uniform(1, 3))), rng.uniform(0, 180),
                        0, 360, float(rng.uniform(0.3, 1.2)), -1)
        hl = cv2.GaussianBlur(hl, (0, 0), 0.8)
        idx = foodm.astype(bool)
        sc.img[idx] += hl[idx][:, None]
    info["mask"] = foodm
    return info


def pan_specular(rng, sc, cam, P, mat):
    if mat["spec"] < 0.15:
        return
    lay = np.zeros((sc.H, sc.W), np.float32)
    cx, cy = P["center"]
    rr = np.abs(P["pi"] - [cx, cy]).max(0)
    for _ in range(rng.integers(1, 4)):
        a = rng.uniform(0, 360)
        k = rng.uniform(0.3, 1.0)
        cv2.ellipse(lay, (int(cx), int(cy)), (int(rr[0] * k), int(rr[1] * k)), 0, a, a + rng.uniform(10, 70),
                    float(mat["spec"] * rng.uniform(0.5, 1.5)), int(rng.integers(1, 6)))
    lay = cv2.GaussianBlur(lay, (0, 0), rng.uniform(1, 3))
    idx = (P["inner"] > 0) & (sc.lab == PAN)
    sc.img[idx] += lay[idx][:, None]


def add_tool(rng, sc, cam, R, h, Rb, finfo, pmat, resting=False):
    kind = rng.choice(TOOL_KINDS, p=TOOL_P)
    parts, holes, L = tool_shape(rng, kind)
    fcol = finfo["cols"][0]
    m_head = tool_material(rng, fcol, pmat["inner"])
    m_hand = m_head if rng.random() < 0.55 else tool_material(rng, fcol, pmat["outer"])
    rr = Rb * 0.75 * math.sqrt(rng.random())
    a = rng.uniform(0, 2 * math.pi)
    H0 = [rr * math.cos(a), rr * math.sin(a)]
    lvl = finfo["level"]
    if resting:
        z0 = rng.uniform(0.3, 2.0)
        el = math.atan2(h + 1.5, max(R - rr, 3)) + rng.uniform(-0.05, 0.15)
        phi = a + rng.normal(0, 0.4)
    else:
        r2 = rng.random()
        zmax = min(h + 12, max(0.5, 0.35 * (cam.C[2] - h)) + h * 0.7)
        z0 = rng.uniform(0.3, 2.5) if r2 < 0.6 else rng.uniform(0.5, max(zmax, 0.6))
        el = rng.uniform(0.25, 1.2)
        phi = rng.uniform(0, 2 * math.pi)
    tool = Tool3D(cam, parts, holes, L, H0, z0, phi, el, head_tilt=rng.uniform(-0.15, 0.3))
    us = np.linspace(0, L, 40)
    _, dep = cam.proj(tool.world(np.stack([us, np.zeros_like(us)], 1)))
    bad = np.nonzero(dep < 8)[0]
    if len(bad):
        umax = us[bad[0]] - 1.0
        if umax < 2:
            return None
        newparts = []
        for prt in parts:
            if "poly" in prt:
                cp = clip_u(densify(prt["poly"], 1.0), umax)
                if cp is None:
                    continue
                prt = dict(prt, poly=cp)
            newparts.append(prt)
        parts = newparts
        tool.parts = parts
        L = min(L, umax)
    H, W = sc.H, sc.W
    am = np.zeros((H, W), np.uint8)
    rgb = np.zeros((H, W, 3), np.float32)
    headm = np.zeros((H, W), np.uint8)
    ok = False
    for prt in parts:
        mat = m_head if prt["role"] == "head" else m_hand
        if "whisk" in prt:
            nw, wl, wr = prt["whisk"]
            lm = np.zeros((H, W), np.uint8)
            for k in range(nw):
                psi = math.pi * k / nw
                t = np.linspace(0, math.pi, 24)
                uu = -wl * (1 - np.cos(t)) / 2 * 1.0
                prof = wr * np.sin(t) ** 0.8
                uv = np.stack([uu, prof * math.cos(psi)], 1)
                P = tool.world(uv, w=prof * math.sin(psi))
                p, dep = cam.proj(P)
                if (dep < 3).any():
                    continue
                thick = max(1, int(round(0.18 * cam.f / dep.mean())))
                uv2 = np.stack([uu, -prof * math.cos(psi)], 1)
                p2, _ = cam.proj(tool.world(uv2, w=-prof * math.sin(psi)))
                loop = np.concatenate([p, p2[::-1]])
                cv2.polylines(lm, ipoly(loop), True, 1, thick)
            prt_mask = lm
        else:
            p = tool.img_poly(prt["poly"])
            if p is None:
                continue
            prt_mask = sc.mask_poly([p])
        idx = prt_mask.astype(bool)
        if not idx.any():
            continue
        ok = True
        mk, col = mat
        col = col * rng.uniform(0.9, 1.1, 3).astype(np.float32)
        if mk == "wood":
            sh = 1 + 0.15 * sc.G[idx] + 0.12 * sc.N2[idx] + 0.06 * sc.NH[idx]
        elif mk == "metal":
            sh = 1 + 0.5 * sc.G[idx] + 0.2 * sc.N1[idx]
        else:
            sh = 1 + 0.25 * sc.G[idx] + 0.02 * sc.NH[idx]
        rgb[idx] = col[None] * sh[:, None]
        am |= prt_mask
        if prt["role"] == "head":
            headm |= prt_mask
        # highlight stripe along the axis of handles
        if "poly" in prt and prt["role"] == "handle" and mk != "wood" or (mk == "metal" and "poly" in prt):
            poly = prt["poly"]
            u0, u1 = poly[:, 0].min(), poly[:, 0].max()
            vv = poly[:, 1].mean() + (poly[:, 1].max() - poly[:, 1].min()) * 0.2
            line = np.array([[u, vv] for u in np.linspace(u0 + 0.3, u1 - 0.3, 12)])
            p, dep = cam.proj(tool.world(line))
            if (dep > 3).all():
                hm = np.zeros((H, W), np.uint8)
                cv2.polylines(hm, ipoly(p), False, 1, max(1, int(0.15 * cam.f / dep.mean())))
                hi = (hm > 0) & idx
                rgb[hi] = np.clip(rgb[hi] + (0.5 if mk == "metal" else 0.25) * rng.uniform(0.3, 1.0), 0, 1.3)
    if not ok:
        return None
    # parts below the rim height inside the pan are seen only through the pan opening (near wall hides them)
    opening = finfo.get("opening")
    if opening is not None and z0 < h:
        u_h = (h - z0) / max(math.tan(el), 1e-3)
        bel = np.zeros((H, W), np.uint8)
        for prt in parts:
            if "poly" not in prt:
                bel |= headm
                continue
            cp = clip_u(densify(prt["poly"], 1.0), u_h)
            if cp is not None:
                p = tool.img_poly(cp)
                if p is not None:
                    bel |= sc.mask_poly([p])
        hid = (bel > 0) & (opening == 0)
        am[hid] = 0
        headm[hid] = 0
    for hp in holes:
        p = tool.img_poly(hp)
        if p is not None:
            hm = sc.mask_poly([p])
            am[hm > 0] = 0
            headm[hm > 0] = 0
    bx, by, bw, bh = cv2.boundingRect(am)
    if bw == 0:
        return None
    mg = 24
    x0, y0, x1, y1 = max(bx - mg, 0), max(by - mg, 0), min(bx + bw + mg, W), min(by + bh + mg, H)
    sl = (slice(y0, y1), slice(x0, x1))
    A = am[sl].astype(np.float32)
    simg = sc.img[sl]
    # shadow of the tool on the scene (label unchanged)
    if rng.random() < 0.7:
        dx, dy = np.clip(rng.normal(0, 6, 2), -18, 18)
        Ms = np.float32([[1, 0, dx], [0, 1, dy]])
        sh = cv2.warpAffine(A, Ms, (x1 - x0, y1 - y0))
        sh = cv2.blur(sh, (5, 5))
        simg *= (1 - rng.uniform(0.2, 0.55) * sh)[..., None]
    pre = rgb[sl] * A[..., None]
    hsub = headm[sl]
    if rng.random() < 0.3:  # motion blur of the moving tool
        ln = int(rng.integers(3, 16))
        k = np.zeros((ln, ln), np.float32)
        ang = rng.uniform(0, math.pi)
        c = (ln - 1) / 2
        cv2.line(k, (int(round(c - c * math.cos(ang))), int(round(c - c * math.sin(ang)))),
                 (int(round(c + c * math.cos(ang))), int(round(c + c * math.sin(ang)))), 1.0, 1)
        k /= k.sum()
        A = cv2.filter2D(A, -1, k, borderType=cv2.BORDER_CONSTANT)
        pre = cv2.filter2D(pre, -1, k, borderType=cv2.BORDER_CONSTANT)
        hsub = (cv2.filter2D(hsub.astype(np.float32), -1, k, borderType=cv2.BORDER_CONSTANT) >= 0.5).astype(np.uint8)
    simg[:] = simg * (1 - A[..., None]) + pre
    headm = np.zeros((H, W), np.uint8)
    headm[sl] = hsub
    Af = np.zeros((H, W), np.float32)
    Af[sl] = A
    A = Af
    tm = A >= 0.5
    sc.lab[tm] = TOOL
    headm &= tm.astype(np.uint8)
    # submerged part under liquid -> food
    if lvl is not None and finfo["liquid"] is not None and z0 < lvl:
        u_w = (lvl - z0) / max(math.tan(el), 1e-3)
        sub = np.zeros((H, W), np.uint8)
        for prt in parts:
            if "poly" not in prt:
                continue
            cp = clip_u(densify(prt["poly"], 1.0), u_w)
            if cp is None:
                continue
            p = tool.img_poly(cp)
            if p is not None:
                sub |= sc.mask_poly([p])
        if "whisk" in [k for prt in parts for k in prt]:
            sub |= headm
        sub &= finfo["liquid"] & tm.astype(np.uint8)
        idx = sub.astype(bool)
        if idx.any():
            a = rng.uniform(0.65, 1.0)
            sc.img[idx] = sc.img[idx] * (1 - a) + a * food_texture(rng, sc, idx, finfo["lcol"])
            sc.lab[idx] = FOOD
    # food on the tool / food covering part of the tool
    if headm.any() and finfo.get("mask") is not None and finfo["mask"].any() and rng.random() < 0.55:
        ys, xs = np.nonzero(headm)
        s = cam.f / cam.dist
        for _ in range(rng.integers(1, 14)):
            j = rng.integers(len(xs))
            draw_piece(rng, sc, np.array([xs[j], ys[j]], float), max(1.0, rng.uniform(0.3, 2.0) * s),
                       finfo["cols"][rng.integers(len(finfo["cols"]))],
                       rng.choice(["grain", "strip", "round", "leaf", "chunk"]), rng.uniform(0, 6.3))
    # handle points for the hand
    uh = [np.array([[u, 0.0]]) for u in np.linspace(L * 0.95, L * 0.3, 10)]
    grips = []
    for q in uh:
        p, dep = cam.proj(tool.world(q))
        if dep[0] > 3 and 0 <= p[0, 0] < W and 0 <= p[0, 1] < H:
            p2, _ = cam.proj(tool.world(q + [[1.0, 0]]))
            grips.append((p[0], p2[0] - p[0], cam.f / dep[0]))
    return grips


def draw_hand(rng, sc, grip, skin, sleeve):
    pt, d, s = grip
    H, W = sc.H, sc.W
    d = d / (np.linalg.norm(d) + 1e-9)
    n = np.array([-d[1], d[0]])
    side = 1 if rng.random() < 0.5 else -1
    palm = s * rng.uniform(7.5, 10)
    m = np.zeros((H, W), np.uint8)
    ang = math.degrees(math.atan2(d[1], d[0]))
    c = pt + n * side * palm * 0.25 + d * palm * 0.15
    cv2.ellipse(m, tuple(np.int32(c)), (max(1, int(palm * 0.55)), max(1, int(palm * 0.42))), ang, 0, 360, 1, -1)
    fl = rng.uniform(0.22, 0.34)
    for k in range(4):  # fingers wrapping across the handle
        fc = pt + d * (k - 1.5) * palm * 0.19 - n * side * palm * rng.uniform(0.02, 0.1)
        cv2.ellipse(m, tuple(np.int32(fc)), (max(1, int(palm * 0.11)), max(1, int(palm * fl * rng.uniform(0.85, 1.1)))),
                    ang, 0, 360, 1, -1)
    if rng.random() < 0.7:  # thumb along the handle
        tc = pt - d * palm * 0.35 + n * side * palm * 0.1
        cv2.ellipse(m, tuple(np.int32(tc)), (max(1, int(palm * 0.3)), max(1, int(palm * 0.1))), ang + 15 * side,
                    0, 360, 1, -1)
    # arm to the nearest border, roughly continuing the handle direction
    dirv = d + rng.normal(0, 0.3, 2)
    dirv /= np.linalg.norm(dirv) + 1e-9
    end = c + dirv * (W + H)
    aw0, aw1 = palm * 0.33, palm * rng.uniform(0.42, 0.7)
    nn = np.array([-dirv[1], dirv[0]])
    arm = np.array([c + nn * aw0, end + nn * aw1, end - nn * aw1, c - nn * aw0])
    wrist = palm * rng.uniform(0.6, 2.5)
    armm = np.zeros((H, W), np.uint8)
    cv2.fillPoly(armm, ipoly(arm), 1)
    sl = np.zeros((H, W), np.uint8)
    sleeve_poly = np.array([c + dirv * wrist + nn * aw1 * 1.1, end + nn * aw1 * 1.3, end - nn * aw1 * 1.3,
                            c + dirv * wrist - nn * aw1 * 1.1])
    cv2.fillPoly(sl, ipoly(sleeve_poly), 1)
    skinm = (m | armm) & (1 - sl)
    sc.paint(skinm, skin, PAN, grad=0.3, noise=0.08)
    if sleeve is not None:
        sc.paint(sl & (armm | sl), sleeve, PAN, grad=0.3, noise=0.15)
    else:
        sc.paint(sl & armm, skin, PAN, grad=0.3, noise=0.08)


def counter_utensils(rng, sc, cam, R, back):
    for _ in range(rng.integers(0, 4)):
        kind = rng.choice(TOOL_KINDS, p=TOOL_P)
        parts, holes, L = tool_shape(rng, kind)
        a = rng.uniform(0, 2 * math.pi)
        dist = R + rng.uniform(6, 35) + 8
        base = [dist * math.cos(a), dist * math.sin(a)]
        phi = rng.uniform(0, 2 * math.pi)
        tool = Tool3D(cam, parts, holes, L, base, 0.5, phi, 0.0)
        ok = True
        for prt in parts:
            if "poly" in prt:
                P = tool.world(densify(prt["poly"], 2.0))
                if np.hypot(P[:, 0], P[:, 1]).min() < R + 4:
                    ok = False
        if not ok:
            continue
        _, col = tool_material(rng)
        for prt in parts:
            if "poly" not in prt:
                continue
            p = tool.img_poly(prt["poly"])
            if p is not None:
                sc.paint(sc.mask_poly([p]), col, PAN, grad=0.3, noise=0.1)


def spilled_food(rng, sc, cam, R, cols):
    for _ in range(rng.integers(1, 10)):
        a = rng.uniform(0, 2 * math.pi)
        d = R + rng.uniform(1, 15)
        p, dep = cam.proj([d * math.cos(a), d * math.sin(a), 0.5])
        if dep[0] < 3:
            continue
        draw_piece(rng, sc, p[0], max(1.0, rng.uniform(0.3, 2.0) * cam.f / dep[0]), cols[rng.integers(len(cols))],
                   rng.choice(["grain", "strip", "round", "leaf", "chunk"]), rng.uniform(0, 6.3))


def steam(rng, sc, P):
    H, W = sc.H, sc.W
    n = smooth_noise(rng, H, W, rng.uniform(3, 9)) + 0.5 * smooth_noise(rng, H, W, rng.uniform(10, 20))
    reg = cv2.GaussianBlur(P["inner"].astype(np.float32), (0, 0), max(3, W / 15)) if P is not None else 1.0
    dense = rng.random() < 0.12
    amax = rng.uniform(0.7, 0.95) if dense else rng.uniform(0.1, 0.45)
    a = np.clip((n + rng.uniform(-0.3, 0.8)) * 0.6, 0, 1) * amax * np.clip(reg * 1.5 + 0.2, 0, 1)
    col = hsv(0, 0, rng.uniform(0.75, 1.0))
    sc.img = sc.img * (1 - a[..., None]) + col * a[..., None]
    sc.lab[a >= 0.75] = PAN  # only where the steam is (nearly) opaque


def camera_effects(rng, sc):
    H, W = sc.H, sc.W
    img, lab = sc.img, sc.lab
    temps = [np.array([1.0, 0.72, 0.42]), np.array([0.85, 0.93, 1.0]), np.array([0.92, 0.97, 1.0]),
             np.array([0.9, 1.0, 0.88]), np.array([1.0, 0.85, 0.65])]
    gh, gw = 18, 24
    lf = np.zeros((gh, gw, 3), np.float32) + temps[rng.integers(5)] * rng.uniform(0.2, 0.6)
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    yy *= 8.0 / gw
    xx *= 8.0 / gw
    for _ in range(rng.integers(1, 4)):
        c = rng.uniform(-2, 9), rng.uniform(-2, 7)
        sg = rng.uniform(2, 8)
        w = np.exp(-((xx - c[0]) ** 2 + (yy - c[1]) ** 2) / (2 * sg * sg))
        lf += w[..., None] * temps[rng.integers(5)] * rng.uniform(0.3, 1.0)
    lf /= lf.mean() + 1e-6
    lf *= rng.uniform(0.85, 1.15, 3).astype(np.float32)  # white balance error
    r2 = ((xx - 4) ** 2 + (yy - 3) ** 2) / 25.0
    exp = math.exp(rng.normal(0, 0.35))
    low = rng.random() < 0.18
    if low:
        exp *= rng.uniform(0.15, 0.4)
    if rng.random() < 0.12:
        exp *= rng.uniform(1.4, 2.2)  # overexposed
    lf *= ((1 - rng.uniform(0, 0.65) * r2) * exp)[..., None]
    lf = cv2.resize(lf, (W, H), interpolation=cv2.INTER_CUBIC)
    img = img * lf
    # defocus / shake (image only, small)
    r = rng.random()
    if r < 0.35:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.3))
    elif r < 0.5:
        ln = int(rng.integers(3, 7))
        k = np.zeros((ln, ln), np.float32)
        ang = rng.uniform(0, math.pi)
        c = (ln - 1) / 2
        cv2.line(k, (int(round(c - c * math.cos(ang))), int(round(c - c * math.sin(ang)))),
                 (int(round(c + c * math.cos(ang))), int(round(c + c * math.sin(ang)))), 1.0, 1)
        img = cv2.filter2D(img, -1, k / k.sum())
    # lens distortion + rolling shutter wobble (image and mask together)
    k1 = rng.uniform(-0.35, 0.08) if rng.random() < 0.7 else 0.0
    k2 = rng.uniform(-0.05, 0.05)
    xn = (sc.xx - W / 2) / (W / 2)
    yn = (sc.yy - H / 2) / (W / 2)
    rr = xn * xn + yn * yn
    g = 1 + k1 * rr + k2 * rr * rr
    mx = xn * g
    my = yn * g
    if rng.random() < 0.2:
        amp = rng.uniform(0.5, 4) / (W / 2)
        fr = rng.uniform(0.5, 3)
        ph = rng.uniform(0, 6.3)
        mx = mx + amp * np.sin(2 * math.pi * fr * sc.yy / H + ph) + rng.uniform(-0.03, 0.03) * yn
    sx = np.abs(mx).max()
    sy = np.abs(my).max() / (H / W)
    s = max(sx, sy, 1e-3) * 1.002
    mx = W / 2 + mx / s * (W / 2)
    my = H / 2 + my / s * (W / 2)
    mx, my = mx.astype(np.float32), my.astype(np.float32)
    img = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    lab = cv2.remap(lab, mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    # cheap sensor: low resolution
    if rng.random() < 0.3:
        f = rng.uniform(0.35, 0.8)
        small = cv2.resize(img, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        img = cv2.resize(small, (W, H), interpolation=cv2.INTER_LINEAR)
    # noise
    sig = rng.uniform(0.003, 0.025) + (rng.uniform(0.02, 0.06) if low else 0)
    cv2.setRNGSeed(int(rng.integers(1, 2 ** 31 - 1)))
    nz = np.zeros((H, W, 3), np.float32)
    cv2.randn(nz, (0.0, 0.0, 0.0), (sig, sig, sig))
    nz += (sc.NH * (sig * rng.uniform(0, 1.5)))[..., None]
    img = img + nz * (0.25 + np.clip(img, 0, 1))
    if low:
        img *= rng.uniform(1.5, 3.0)  # auto gain
    if rng.random() < 0.3:
        bl = cv2.GaussianBlur(img, (0, 0), 1.2)
        img = img + rng.uniform(0.3, 1.0) * (img - bl)
    out = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    gam = rng.uniform(0.8, 1.2)
    out = cv2.LUT(out, ((np.arange(256) / 255.0) ** gam * 255 + 0.5).astype(np.uint8))
    if rng.random() < 0.2:  # chromatic aberration
        s = int(rng.integers(1, 3))
        out[..., 0] = np.roll(out[..., 0], s, axis=1)
        out[..., 2] = np.roll(out[..., 2], -s, axis=1)
    return out, lab


def render(rng, W, H):
    sc = Scene(rng, W, H)
    kind, R, h, Rb = make_pan_geom(rng)
    for _ in range(8):
        cam = Cam(rng, W, H, R, h)
        pr, dr = cam.proj(circle3(0, 0, R, h))
        pb, db = cam.proj(circle3(0, 0, Rb, 0))
        c = pr.mean(0)
        if dr.min() > 10 and db.min() > 10 and -0.05 * W < c[0] < 1.05 * W and -0.05 * H < c[1] < 1.05 * H:
            break
    hob = rng.choice(["gas", "range", "glass", "induction", "coil", "wood", "stone", "tile", "ground"],
                     p=[0.25, 0.1, 0.15, 0.08, 0.06, 0.1, 0.12, 0.06, 0.08])
    counter, back = make_counter(rng, sc, cam, hob)
    draw_hob(rng, sc, cam, hob, R, back)
    counter_utensils(rng, sc, cam, R, back)
    if rng.random() < 0.35:  # other cookware on another burner (no food visible)
        k2, R2, h2, Rb2 = make_pan_geom(rng)
        a = rng.uniform(0, 2 * math.pi)
        dd = R + R2 + rng.uniform(4, 20)
        draw_pan(rng, sc, cam, k2, R2, h2, Rb2, pan_material(rng), (dd * math.cos(a), dd * math.sin(a)),
                 lid=rng.random() < 0.6)
    mat = pan_material(rng)
    cols0 = [rand_food_color(rng) for _ in range(2)]
    if rng.random() < 0.2:
        spilled_food(rng, sc, cam, R, cols0)
    P = draw_pan(rng, sc, cam, kind, R, h, Rb, mat)
    finfo = dict(level=None, liquid=None, cols=cols0, mask=None)
    if P is not None:
        pan_specular(rng, sc, cam, P, mat)
        finfo = draw_food(rng, sc, cam, P, R, h, Rb, kind)
        if "mask" not in finfo:
            finfo["mask"] = None
        finfo["opening"] = P["inner"]
    # tools
    r = rng.random()
    ntool = 0 if r < 0.12 else (1 if r < 0.75 else (2 if r < 0.93 else 3))
    skin = hsv(rng.uniform(0.02, 0.09), rng.uniform(0.2, 0.6), rng.uniform(0.25, 0.95))
    if rng.random() < 0.15:
        skin = hsv(rng.uniform(0, 1), rng.uniform(0, 0.8), rng.uniform(0.1, 0.95))  # gloves
    for t in range(ntool):
        grips = add_tool(rng, sc, cam, R, h, Rb, finfo, mat, resting=rng.random() < 0.2)
        if grips and rng.random() < 0.55:
            sleeve = hsv(rng.uniform(0, 1), rng.uniform(0, 0.9), rng.uniform(0.05, 0.95)) if rng.random() < 0.7 else None
            draw_hand(rng, sc, grips[int(rng.integers(len(grips)))], skin, sleeve)
    if rng.random() < 0.1:  # a hand / arm with no tool, reaching in
        pt = np.array([rng.uniform(0, W), rng.uniform(0, H)])
        d = rng.normal(0, 1, 2)
        draw_hand(rng, sc, (pt, d, cam.f / cam.dist), skin, hsv(rng.uniform(0, 1), rng.uniform(0, 0.9), rng.uniform(0.05, 0.95)))
    if rng.random() < 0.3:
        steam(rng, sc, P)
    return camera_effects(rng, sc)


def generate(out: pathlib.Path, count: int, seed: int, size=(320, 240)) -> None:
    cv2.setNumThreads(1)
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    di = out / "test" / "images"
    dm = out / "test" / "masks"
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = np.random.default_rng([int(seed), i])
        img, lab = render(rng, W, H)
        q = int(rng.integers(30, 96))
        stem = f"kd_{seed}_{i:06d}"
        cv2.imwrite(str(di / f"{stem}.jpg"), img[..., ::-1].copy(), [cv2.IMWRITE_JPEG_QUALITY, q])
        cv2.imwrite(str(dm / f"{stem}.png"), LUT[lab])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="320x240")
    a = ap.parse_args()
    w, h = (int(x) for x in a.size.lower().split("x"))
    generate(pathlib.Path(a.out), a.count, a.seed, (w, h))
