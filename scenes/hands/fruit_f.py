#!/usr/bin/env python3
"""fruit_f -- procedural fresh / rotten fruit photos (apple, banana, orange, strawberry).

Scoring-only held-out generator written from the label contract alone.  Emphasis: sorting lines and
inspection cameras (rollers, belts, cups, trays, crates, nets), market stalls and bins, orchards and field
crates, harsh light (sodium / LED / fluorescent casts, glare on waxed fruit, backlight, low light with noise),
motion blur, rolling shutter, defocus, low JPEG quality, distant cameras with many small fruits, macro views.

Layout: OUT/<fresh|rotten><fruit>/fruit_f_s<seed>_<index>.jpg, count/8 per folder (index i -> folder i % 8).
Only numpy + OpenCV.  Same seed -> same bytes (np.random.default_rng([seed, i]) per example).

Every label is decided before drawing and checked on what was drawn: a rotten photo is only accepted when
enough rot pixels (lesion, mould, blackening, wrinkles, crack) remain visible after all fruit, hands, nets and
tags are composited; a fresh photo has no rot at all (only harmless marks).
"""
from __future__ import annotations

import argparse
import math
import pathlib

import cv2
import numpy as np

NAME = "fruit_f"
KINDS = ("apple", "banana", "orange", "strawberry")
FOLDERS = tuple(fr + k for fr in ("fresh", "rotten") for k in KINDS)
SS = 1.25                   # supersampling factor of the render canvas
TAU = 2.0 * math.pi
F32 = np.float32


# ----------------------------------------------------------------------------------------------- helpers
def _u(rng, a, b):
    return float(rng.uniform(a, b))


def _ch(rng, seq, p=None):
    if p is not None:
        p = np.asarray(p, float)
        p = p / p.sum()
    return seq[int(rng.choice(len(seq), p=p))]


def _c(rgb):
    return np.asarray(rgb, F32)


def _jit(rng, rgb, j=0.07):
    c = _c(rgb) * (1.0 + rng.uniform(-j, j, 3)).astype(F32) * F32(1.0 + _u(rng, -j, j))
    return np.clip(c, 0.0, 1.0).astype(F32)


def _ss(e0, e1, x):
    t = np.clip((x - e0) * (1.0 / (e1 - e0)), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _lerp(a, b, m):
    """a, b colour arrays (.., 3) or (3,), m (..) weights."""
    return a + (b - a) * m[..., None]


_QC = np.array([0.0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0])
_QZ = np.array([4.0, 3.09, 2.33, 1.645, 1.28, 0.84, 0.52, 0.25, 0.0, -0.25, -0.52, -0.84, -1.28, -1.645,
                -2.33, -3.09, -4.0])


def _qz(cov):
    """threshold on a unit normal field that leaves a fraction `cov` above it."""
    return float(np.interp(cov, _QC, _QZ))


def _vn(rng, h, w, cell, cellx=None):
    """value noise in [0, 1], feature size `cell` px (anisotropic with cellx)."""
    h = max(int(h), 1)
    w = max(int(w), 1)
    cy = float(cell)
    cx = cy if cellx is None else float(cellx)
    if cy <= 1.25 and cx <= 1.25:
        return rng.random((h, w), dtype=F32)
    cy = max(cy, 1.0)
    cx = max(cx, 1.0)
    gh = int(h / cy) + 3
    gw = int(w / cx) + 3
    g = rng.random((gh, gw), dtype=F32)
    big = cv2.resize(g, (int(gw * cx), int(gh * cy)), interpolation=cv2.INTER_CUBIC)
    oy, ox = int(cy), int(cx)
    return big[oy:oy + h, ox:ox + w]


def _fbm(rng, h, w, cell, octaves=3, cellx=None):
    """zero-mean, unit-std fractal noise."""
    cx = cell if cellx is None else cellx
    n = np.zeros((max(int(h), 1), max(int(w), 1)), F32)
    a = 1.0
    for _ in range(octaves):
        n += F32(a) * _vn(rng, h, w, cell, cx)
        a *= 0.5
        cell *= 0.5
        cx *= 0.5
        if max(cell, cx) < 1.0:
            break
    sub = n[::3, ::3]
    n -= F32(sub.mean())
    return n * F32(1.0 / (float(sub.std()) + 1e-6))


def _pts(seq):
    """float canvas points -> int32 points for cv2 drawing with shift=3."""
    return np.round(np.asarray(seq, np.float64) * 8.0).astype(np.int32).reshape(-1, 1, 2)


# ----------------------------------------------------------------------------------------------- canvas
class _Canvas:
    def __init__(self, W, H):
        self.W, self.H = W, H
        self.img = np.zeros((H, W, 3), F32)
        self.rot = np.zeros((H, W), F32)     # visible rot (0..1), occlusion-correct
        self.fruit = np.zeros((H, W), F32)   # visible fruit of the photo's kind
        self.light = None                    # flat light (H, W, 3) for surfaces facing the camera
        self.g = None                        # scalar light falloff (H, W)

    def paste(self, x0, y0, col, a, rot=None, fruit=False, keep=False):
        h, w = a.shape
        ys = slice(y0, y0 + h)
        xs = slice(x0, x0 + w)
        self.img[ys, xs] += (col - self.img[ys, xs]) * a[..., None]
        if keep:          # translucent overlay (glare, water film): rot and fruit stay visible
            return
        if rot is None:
            self.rot[ys, xs] *= 1.0 - a
        else:
            self.rot[ys, xs] += (rot - self.rot[ys, xs]) * a
        if fruit:
            self.fruit[ys, xs] += (1.0 - self.fruit[ys, xs]) * a
        else:
            self.fruit[ys, xs] *= 1.0 - a


# ----------------------------------------------------------------------------------------------- light
_LIGHT_NAMES = ("daylight", "overcast", "led", "fluor", "sodium", "tungsten", "market", "backlight", "flash")
_LIGHT_W = {
    "industrial": (0.08, 0.04, 0.30, 0.20, 0.13, 0.08, 0.02, 0.07, 0.08),
    "market": (0.12, 0.08, 0.10, 0.10, 0.06, 0.14, 0.28, 0.05, 0.07),
    "outdoor": (0.42, 0.30, 0.0, 0.0, 0.02, 0.02, 0.0, 0.16, 0.08),
    "indoor": (0.20, 0.14, 0.15, 0.10, 0.03, 0.15, 0.03, 0.09, 0.11),
}


def _norm(v):
    v = np.asarray(v, np.float64)
    return v / (np.linalg.norm(v) + 1e-9)


def _light(rng, group):
    nm = _ch(rng, _LIGHT_NAMES, _LIGHT_W[group])
    az = _u(rng, -math.pi, 0.0) if rng.random() < 0.75 else _u(rng, 0.0, math.pi)
    el = _u(rng, 0.35, 1.35)
    Lt = dict(name=nm, rim=0.0, sodium=0.0, bgboost=1.0, shadow=_u(rng, 0.35, 0.7), soft=_u(rng, 0.08, 0.35),
              slen=_u(rng, 0.15, 0.5), ao=_u(rng, 0.15, 0.4), photons=float(np.exp(_u(rng, 5.5, 8.5))), tubes=0)
    key, amb = (1.0, 0.97, 0.92), (0.33, 0.36, 0.42)
    if nm == "daylight":
        key = np.array((1.0, 0.97, 0.92)) * _u(rng, 0.8, 1.05)
        amb = np.array((0.30, 0.35, 0.44)) * _u(rng, 0.8, 1.2)
    elif nm == "overcast":
        el = _u(rng, 0.9, 1.5)
        key = np.array((0.95, 0.97, 1.0)) * _u(rng, 0.25, 0.45)
        amb = np.array((0.62, 0.65, 0.70)) * _u(rng, 0.85, 1.1)
        Lt.update(shadow=_u(rng, 0.1, 0.3), soft=_u(rng, 0.4, 0.8))
    elif nm == "led":
        key = np.array((0.9, 0.98, 1.1)) * _u(rng, 0.85, 1.1)
        amb = np.array((0.28, 0.31, 0.37)) * _u(rng, 0.8, 1.2)
        Lt["tubes"] = int(rng.integers(0, 4))
    elif nm == "fluor":
        key = np.array((0.93, 1.05, 0.86)) * _u(rng, 0.85, 1.1)
        amb = np.array((0.31, 0.37, 0.29)) * _u(rng, 0.8, 1.2)
        Lt["tubes"] = int(rng.integers(1, 4))
    elif nm == "sodium":
        key = np.array((1.35, 0.82, 0.24)) * _u(rng, 0.8, 1.05)
        amb = np.array((0.36, 0.23, 0.08)) * _u(rng, 0.8, 1.2)
        Lt["sodium"] = _u(rng, 0.3, 0.9)
    elif nm == "tungsten":
        key = np.array((1.25, 0.92, 0.56)) * _u(rng, 0.85, 1.05)
        amb = np.array((0.31, 0.23, 0.14)) * _u(rng, 0.8, 1.2)
    elif nm == "market":
        key = np.array((1.2, 1.0, 0.8)) * _u(rng, 0.85, 1.1)
        tint = np.array(_ch(rng, [(1, 1, 1), (1.3, 0.6, 0.5), (0.6, 0.8, 1.3), (0.7, 1.25, 0.7),
                                  (1.25, 1.1, 0.5), (1.2, 0.7, 1.0)]), float)
        amb = np.array((0.3, 0.3, 0.3)) * (1.0 + (tint - 1.0) * _u(rng, 0.3, 1.0))
        key = key * (1.0 + (tint - 1.0) * _u(rng, 0.0, 0.35))
    elif nm == "backlight":
        el = _u(rng, -0.5, 0.2)
        key = np.array((1.05, 1.0, 0.95)) * _u(rng, 0.9, 1.3)
        amb = np.array((0.22, 0.24, 0.28)) * _u(rng, 0.7, 1.3)
        Lt.update(rim=_u(rng, 0.15, 0.6), bgboost=_u(rng, 1.4, 2.4), shadow=_u(rng, 0.2, 0.5))
    elif nm == "flash":
        az = _u(rng, 0, TAU)
        el = _u(rng, 1.25, 1.55)
        key = np.array((1.0, 0.98, 0.96)) * _u(rng, 0.9, 1.2)
        amb = np.array((0.1, 0.1, 0.11)) * _u(rng, 0.7, 1.5)
        Lt.update(shadow=_u(rng, 0.4, 0.7), soft=_u(rng, 0.05, 0.15), slen=_u(rng, 0.05, 0.15))
    d = np.array((math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)))
    d = _norm(d)
    Lt["dir"] = d.astype(F32)
    Lt["key"] = np.asarray(key, F32)
    Lt["amb"] = np.asarray(amb, F32)
    Lt["low"] = rng.random() < (0.12 if group in ("industrial", "market") else 0.08)
    if Lt["low"]:
        Lt["photons"] = _u(rng, 25.0, 120.0)
    specs = []
    hv = _norm(np.array([d[0], d[1], max(d[2], -0.2) + 1.0]))
    specs.append((hv.astype(F32), Lt["key"].copy()))
    if Lt["tubes"]:
        tl = _u(rng, 0, math.pi)
        for k in range(Lt["tubes"]):
            off = (k + 1) * _u(rng, 0.08, 0.18) * (1 if k % 2 == 0 else -1)
            dd = _norm(d + off * np.array([math.cos(tl), math.sin(tl), 0.0]))
            hk = _norm(dd + np.array([0, 0, 1.0]))
            specs.append((hk.astype(F32), (Lt["key"] * F32(_u(rng, 0.5, 0.9))).astype(F32)))
    Lt["specs"] = specs
    return Lt


def _lightmap(rng, cv, Lt):
    H, W = cv.H, cv.W
    yy = ((np.arange(H, dtype=F32) + 0.5) / H * 2 - 1)[:, None]
    xx = ((np.arange(W, dtype=F32) + 0.5) / W * 2 - 1)[None, :]
    m = rng.random()
    if Lt["name"] == "flash":
        cx, cy = _u(rng, -0.3, 0.3), _u(rng, -0.3, 0.3)
        g = 1.35 - _u(rng, 0.35, 0.8) * ((xx - cx) ** 2 + (yy - cy) ** 2)
    elif m < 0.45:
        a = _u(rng, 0.0, 0.45)
        t = _u(rng, 0, TAU)
        g = 1.0 + a * (xx * math.cos(t) + yy * math.sin(t))
    elif m < 0.8:
        cx, cy = _u(rng, -0.8, 0.8), _u(rng, -0.8, 0.8)
        g = 1.2 - _u(rng, 0.1, 0.5) * ((xx - cx) ** 2 + (yy - cy) ** 2)
    else:
        g = 1.0 + 0.0 * xx
    g = np.maximum(g + 0.0 * yy + 0.0 * xx, 0.2).astype(F32)
    lz = max(float(Lt["dir"][2]), 0.0)
    flat = Lt["key"] * F32(0.15 + 0.85 * lz) + Lt["amb"]
    cv.g = g
    cv.light = g[..., None] * flat[None, None, :]


def _shade(alb, Hh, Lt, ks, shin, spm, wrap=0.3, g=None):
    gx = cv2.Sobel(Hh, cv2.CV_32F, 1, 0, ksize=3) * F32(0.125)
    gy = cv2.Sobel(Hh, cv2.CV_32F, 0, 1, ksize=3) * F32(0.125)
    nz = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    nx = -gx * nz
    ny = -gy * nz
    d = Lt["dir"]
    ndl = nx * d[0] + ny * d[1] + nz * d[2]
    diff = np.maximum((ndl + F32(wrap)) * F32(1.0 / (1.0 + wrap)), 0.0)
    amb = F32(0.4) + F32(0.6) * nz
    out = alb * (diff[..., None] * Lt["key"] + amb[..., None] * Lt["amb"])
    if ks > 0:
        nsq = int(min(max(round(math.log2(max(shin, 2.0))), 1), 8))
        for hv, sc in Lt["specs"]:
            s = np.maximum(nx * hv[0] + ny * hv[1] + nz * hv[2], 0.0)
            for _ in range(nsq):        # ndh ** (2 ** nsq)
                s = s * s
            s = s * spm * F32(ks)
            out += s[..., None] * sc
    if Lt["rim"] > 0:
        r = (1.0 - nz)
        out += (r * r * F32(Lt["rim"]))[..., None] * Lt["key"] * (0.5 + 0.5 * alb)
    if g is not None:
        out *= g[..., None]
    return out


def _shadow(cv, x0, y0, alpha, Lt, size):
    st = Lt["shadow"]
    if st < 0.03:
        return
    h, w = alpha.shape
    d = Lt["dir"]
    dz = max(float(d[2]), 0.3)
    dx = float(np.clip(-d[0] / dz * size * Lt["slen"], -1.5 * size, 1.5 * size))
    dy = float(np.clip(-d[1] / dz * size * Lt["slen"], -1.5 * size, 1.5 * size))
    soft = max(1, int(size * Lt["soft"]))
    pad = soft + 3 + int(max(abs(dx), abs(dy)))
    m = np.zeros((h + 2 * pad, w + 2 * pad), F32)
    ix, iy = pad + int(round(dx)), pad + int(round(dy))
    m[iy:iy + h, ix:ix + w] = alpha * F32(st)
    m[pad:pad + h, pad:pad + w] += alpha * F32(Lt["ao"])     # contact / ambient occlusion under the object
    k = 2 * soft + 1
    m = cv2.blur(cv2.blur(m, (k, k)), (k, k))
    sh = np.clip(1.0 - m, 0.05, 1.0)
    X0, Y0 = x0 - pad, y0 - pad
    ax0, ay0 = max(X0, 0), max(Y0, 0)
    ax1, ay1 = min(X0 + m.shape[1], cv.W), min(Y0 + m.shape[0], cv.H)
    if ax1 <= ax0 or ay1 <= ay0:
        return
    cv.img[ay0:ay1, ax0:ax1] *= sh[ay0 - Y0:ay1 - Y0, ax0 - X0:ax1 - X0, None]


def _paste_mask(cv, rng, m8, col, Lt, rad=0.0, ks=0.05, shin=10.0, tex=0.05, keep=False, opacity=1.0,
                fruit=False):
    """paste a drawn uint8 canvas mask as a lit object; rad>0 gives a rounded (tube / dome) profile."""
    x, y, w, h = cv2.boundingRect(m8)
    if w == 0 or h == 0:
        return
    a = m8[y:y + h, x:x + w].astype(F32) * F32(1.0 / 255.0)
    col = _c(col)
    if tex > 0:
        alb = col[None, None, :] * (1.0 + F32(tex) * _fbm(rng, h, w, max(2.0, rad), 2))[..., None]
    else:
        alb = np.broadcast_to(col, (h, w, 3)).astype(F32)
    if rad > 0.5:
        dt = cv2.distanceTransform(np.ascontiguousarray(m8[y:y + h, x:x + w]), cv2.DIST_L2, 3)
        q = np.minimum(dt / F32(rad), 1.0)
        Hh = F32(rad * 0.75) * np.sqrt(np.maximum(1.0 - (1.0 - q) ** 2, 0.0))
        spm = np.ones((h, w), F32)
        out = _shade(alb, Hh, Lt, ks, shin, spm, 0.55, cv.g[y:y + h, x:x + w])
    else:
        out = alb * cv.light[y:y + h, x:x + w]
    cv.paste(x, y, out, a * F32(opacity), None, fruit=fruit, keep=keep)


# ----------------------------------------------------------------------------------------------- rot
_ROTC = {
    "apple": dict(decay=((0.5, 0.32, 0.14), (0.24, 0.13, 0.06)), black=(0.1, 0.08, 0.06),
                  flesh=(0.86, 0.78, 0.55), juice=(0.62, 0.46, 0.2), wrink=(1.0, 0.72, 0.45)),
    "banana": dict(decay=((0.44, 0.29, 0.12), (0.13, 0.09, 0.05)), black=(0.07, 0.055, 0.04),
                   flesh=(0.9, 0.85, 0.66), juice=(0.55, 0.4, 0.2), wrink=(0.45, 0.32, 0.18)),
    "orange": dict(decay=((0.62, 0.42, 0.18), (0.34, 0.21, 0.09)), black=(0.12, 0.1, 0.07),
                   flesh=(0.96, 0.62, 0.16), juice=(0.92, 0.56, 0.1), wrink=(0.95, 0.7, 0.45)),
    "strawberry": dict(decay=((0.46, 0.26, 0.15), (0.24, 0.13, 0.08)), black=(0.1, 0.05, 0.04),
                       flesh=(0.88, 0.4, 0.38), juice=(0.55, 0.05, 0.08), wrink=(0.6, 0.35, 0.3)),
}
_MOULD = {
    "apple": ([(0.38, 0.56, 0.5), (0.42, 0.52, 0.62), (0.9, 0.9, 0.86), (0.62, 0.62, 0.6)], (3, 2, 3, 2)),
    "banana": ([(0.9, 0.9, 0.87), (0.6, 0.6, 0.58), (0.4, 0.52, 0.45)], (4, 3, 3)),
    "orange": ([(0.5, 0.62, 0.3), (0.33, 0.55, 0.48), (0.92, 0.92, 0.88)], (45, 30, 25)),
    "strawberry": ([(0.58, 0.56, 0.52), (0.9, 0.89, 0.85), (0.42, 0.5, 0.4)], (5, 3.5, 1.5)),
}
_ROT_TYPES = ("decay", "mould", "black", "bruise", "shrivel", "crack")
_ROT_P = {
    "apple": (0.30, 0.20, 0.10, 0.12, 0.16, 0.10),
    "banana": (0.22, 0.12, 0.36, 0.08, 0.12, 0.10),
    "orange": (0.22, 0.40, 0.10, 0.06, 0.12, 0.10),
    "strawberry": (0.27, 0.38, 0.08, 0.0, 0.15, 0.12),
}


def _rot_spec(rng, kind, area_out):
    """sample the rot of one fruit; area_out = its face area in output pixels."""
    out = []
    types = list(_ROT_TYPES)
    first = _ch(rng, types, _ROT_P[kind])
    kinds = [first]
    if rng.random() < 0.3:
        second = _ch(rng, types, _ROT_P[kind])
        if second != first:
            kinds.append(second)
    for t in kinds:
        if t == "shrivel" and area_out < 600:
            t = "decay" if rng.random() < 0.5 else "black"
        r = rng.random()
        if r < 0.25:
            sev = _u(rng, 0.04, 0.12)
        elif r < 0.65:
            sev = _u(rng, 0.12, 0.4)
        else:
            sev = _u(rng, 0.4, 0.95)
        sev = min(max(sev, 300.0 / max(area_out, 1.0), 0.1 if kind == "banana" else 0.0), 0.95)
        if t == "bruise":
            sev = max(sev, 0.2)
        if t == "shrivel":
            sev = _u(rng, 0.5, 1.0)
        n = 1 if rng.random() < 0.6 else int(rng.integers(2, 5))
        blotch = (kind == "banana" and rng.random() < 0.65) or (sev > 0.35 and rng.random() < 0.4)
        out.append(dict(type=t, sev=sev, n=n, blotch=blotch, rings=rng.random() < 0.35,
                        ringf=_u(rng, 2.0, 4.5), sink=_u(rng, 0.02, 0.12), wet=_u(rng, 0.25, 2.0),
                        margin=rng.random() < 0.6, dark=_u(rng, 0.25, 0.5)))
    return out


def _lesions(rng, X, Y, idx, n, rad, rough, at=None):
    h, w = X.shape
    D = None
    for k in range(n):
        if k == 0 and at is not None:
            j = int(idx[np.argmin((X.flat[idx] - at[0]) ** 2 + (Y.flat[idx] - at[1]) ** 2)])
        else:
            j = int(idx[rng.integers(idx.size)])
        r = rad * _u(rng, 0.7, 1.25)
        ax = _u(rng, 0.75, 1.3)
        dx = (X - X.flat[j]) * F32(ax)
        dy = (Y - Y.flat[j]) * F32(1.0 / ax)
        d = np.sqrt(dx * dx + dy * dy) * F32(1.0 / r)
        D = d if D is None else np.minimum(D, d)
    warp = _fbm(rng, h, w, max(2.0, rad * 0.5), 2)
    return D * (1.0 + F32(0.22 * rough) * warp)


def _apply_rot(rng, f, alb, Hh, spm, X, Y, inner, size, alpha):
    h, w = Hh.shape
    vis = np.zeros((h, w), F32)
    if not f.get("rot"):
        return alb, vis
    idx = np.flatnonzero(inner)
    if idx.size == 0:
        return alb, vis
    kind = f["kind"]
    RC = _ROTC[kind]
    area = float(alpha.sum())
    on = (alpha > 0.5).astype(F32)
    alb0 = np.array(alb, F32)
    vis_s = np.zeros((h, w), F32)
    at = f.get("rot_at")
    if at is not None:
        at = (at[0] - f["_off"][0], at[1] - f["_off"][1])
    for r in f["rot"]:
        t = r["type"]
        sev = r["sev"]
        if t == "shrivel":
            n1 = _fbm(rng, h, w, size * _u(rng, 0.12, 0.3), 3)
            n2 = _fbm(rng, h, w, size * _u(rng, 0.06, 0.12), 2)
            crease = np.exp(-(n1 * F32(1.0 / 0.3)) ** 2) + F32(0.5) * np.exp(-(n2 * F32(1.0 / 0.25)) ** 2)
            pat = crease - crease.mean()
            Hh -= F32(size * 0.035 * sev) * pat
            lum = alb.mean(axis=2, keepdims=True)
            tgt = lum * _jit(rng, RC["wrink"], 0.1) * F32(_u(rng, 0.55, 0.85))
            alb = alb + (tgt - alb) * F32(0.45 + 0.4 * sev)
            alb *= (1.0 - 0.22 * np.clip(pat, 0, None))[..., None]
            spm *= F32(0.45)
            vis_s = np.maximum(vis_s, F32(0.8) * on)
            continue
        if t == "crack":
            m8 = np.zeros((h, w), np.uint8)
            j = int(idx[rng.integers(idx.size)])
            py, px = divmod(j, w)
            if at is not None:
                j = int(idx[np.argmin((X.flat[idx] - at[0]) ** 2 + (Y.flat[idx] - at[1]) ** 2)])
                py, px = divmod(j, w)
            pts = [(px, py)]
            a = _u(rng, 0, TAU)
            step = size * _u(rng, 0.1, 0.2)
            for _ in range(int(rng.integers(3, 9))):
                a += float(rng.normal(0, 0.5))
                px, py = px + step * math.cos(a), py + step * math.sin(a)
                pts.append((px, py))
            th = max(1, int(round(size * _u(rng, 0.015, 0.04) * (0.6 + sev))))
            cv2.polylines(m8, [_pts(pts)], False, 255, th, cv2.LINE_8, 3)
            C = m8.astype(F32) * F32(1.0 / 255) * (alpha > 0.95)
            k = max(3, int(max(th * 4.0, size * _u(rng, 0.08, 0.22))) | 1)
            Hm = np.clip(cv2.blur(cv2.blur(C, (k, k)), (k, k)) * 4.0, 0, 1) * (alpha > 0.9)
            ys_, xs_ = np.nonzero(C > 0.5)
            Wt = np.zeros((h, w), F32)
            if ys_.size:
                b = int(np.argmax(ys_))
                x_, y_ = int(xs_[b]), int(ys_[b])
                dm = np.zeros((h, w), np.uint8)
                cv2.line(dm, (x_, y_), (x_ + int(rng.integers(-2, 3)), h), 255, max(1, th + 1))
                Wt = dm.astype(F32) * F32(0.6 / 255) * (alpha > 0.9)
            c0, c1 = _jit(rng, RC["decay"][0], 0.12), _jit(rng, RC["decay"][1], 0.12)
            alb = _lerp(alb, c0 + (c1 - c0) * Hm[..., None], Hm)
            Cd = cv2.dilate(C, np.ones((3, 3), np.uint8), iterations=max(1, th // 2))
            alb = _lerp(alb, c1 * F32(0.6), Cd)
            juice = _jit(rng, RC["juice"])
            alb = _lerp(alb, alb * 0.7 + juice * 0.3, Wt)
            spm *= 1.0 + 2.0 * np.maximum(Hm, Wt)
            alb = _lerp(alb, _jit(rng, RC["flesh"]) * F32(_u(rng, 0.3, 0.55)), C)
            Hh -= F32(min(size * 0.05, th * 2.0)) * C
            vis = np.maximum(vis, np.clip(Hm * 1.5, 0, 1))
            f["leak"] = True
            continue
        # lesion / blotch based
        if r["blotch"]:
            nb = _fbm(rng, h, w, max(3.0, math.sqrt(area) * _u(rng, 0.2, 0.35)), 3)
            z = _qz(sev)
            D = np.clip((z + 0.35 - nb) * F32(1.0 / 0.35), 0.0, 3.0) * F32(0.25) + F32(0.75)
            D = np.where(nb > z + 0.35, (z + 1.6 - nb) * F32(0.6 / 1.25), D)
            D = np.maximum(D, 0.0)
        else:
            rad = max(math.sqrt(sev * area / (math.pi * r["n"])), 2.0)
            D = _lesions(rng, X, Y, idx, r["n"], rad, 1.0, at)
        depth = min(size, (rad if not r["blotch"] else math.sqrt(area) * 0.3))
        if t in ("decay", "black"):
            M = _ss(1.0, 0.8, D)
            core = _ss(1.0, 0.1, D)
            if t == "decay":
                c0, c1 = _jit(rng, RC["decay"][0], 0.12), _jit(rng, RC["decay"][1], 0.12)
            else:
                c0 = _jit(rng, RC["black"], 0.2) * F32(1.6)
                c1 = _jit(rng, RC["black"], 0.2)
            rc = c0 + (c1 - c0) * core[..., None]
            if r["rings"] and t == "decay":
                rc = rc * (0.86 + 0.14 * np.sin(D * F32(r["ringf"] * TAU)))[..., None]
            grain = _vn(rng, h, w, max(1.0, size / 12.0))
            rc = rc * (0.82 + 0.36 * grain)[..., None]
            alb = _lerp(alb, rc, M)
            Hh -= F32(depth * r["sink"]) * M
            spm *= 1.0 + F32((r["wet"] if t == "decay" else 0.5) - 1.0) * M
            vis = np.maximum(vis, M)
        elif t == "bruise":
            M = _ss(1.0, 0.35, D)
            tint = alb * _c((0.78, 0.58, 0.42))
            alb = _lerp(alb, tint * F32(1.0 - r["dark"]), M)
            Hh -= F32(depth * 0.04) * M
            vis = np.maximum(vis, M * F32(0.9))
        elif t == "mould":
            M = _ss(1.0, 0.75, D)
            Mb = _ss(1.35, 1.05, D)
            alb = _lerp(alb, _jit(rng, RC["decay"][0], 0.12), Mb * F32(0.8))
            fz = _vn(rng, h, w, max(1.0, size / 22.0))
            fz2 = _vn(rng, h, w, max(1.5, size / 7.0))
            fa = np.clip(M * (0.3 + 0.9 * fz) * (0.6 + 0.7 * fz2), 0, 1)
            mcs, mw = _MOULD[kind]
            mc = _jit(rng, _ch(rng, mcs, mw), 0.08)
            alb = _lerp(alb, mc[None, None, :] * (0.8 + 0.4 * fz)[..., None], fa)
            if r["margin"]:
                ring = np.clip(_ss(1.12, 0.97, D) - _ss(0.8, 0.55, D), 0, 1) * (0.4 + 0.6 * fz2)
                alb = _lerp(alb, _c((0.93, 0.93, 0.9)), ring * F32(0.85))
            Hh += F32(min(size, depth * 0.5) * 0.05) * fa * fz
            spm *= 1.0 - 0.92 * Mb
            vis = np.maximum(vis, Mb)
    # only count rot where it visibly changed the surface colour (low-contrast lesions do not count)
    dc = np.abs(alb - alb0).max(axis=2)
    dl = np.abs((alb - alb0) @ _c((0.3, 0.59, 0.11)))
    vis = np.maximum(vis * _ss(0.06, 0.15, np.maximum(dl * 1.6, dc * 0.8)), vis_s)
    return alb, vis


# ----------------------------------------------------------------------------------------------- fruit specs
_APPLE_VARS = ("green", "yellow", "red", "bicolour", "pink")


def _apple_colours(rng, var):
    if var == "green":
        base, blush, cov = (0.56, 0.76, 0.3), (0.82, 0.8, 0.36), _u(rng, 0, 0.35)
        lentc = (0.85, 0.9, 0.65)
    elif var == "yellow":
        base, blush, cov = (0.9, 0.8, 0.36), (0.95, 0.58, 0.3), _u(rng, 0, 0.3)
        lentc = (0.6, 0.5, 0.25)
    elif var == "red":
        base, blush, cov = _ch(rng, [(0.52, 0.08, 0.1), (0.62, 0.1, 0.1), (0.42, 0.06, 0.1)]), \
            (0.72, 0.55, 0.22), _u(rng, 0, 0.2)
        lentc = (0.85, 0.7, 0.45)
    elif var == "bicolour":
        base, blush, cov = (0.82, 0.76, 0.36), _ch(rng, [(0.78, 0.2, 0.12), (0.85, 0.3, 0.12), (0.7, 0.12, 0.12)]), \
            _u(rng, 0.3, 0.85)
        lentc = (0.9, 0.8, 0.5)
    else:
        base, blush, cov = (0.9, 0.82, 0.45), (0.88, 0.32, 0.36), _u(rng, 0.4, 0.9)
        lentc = (0.9, 0.8, 0.55)
    return base, blush, cov, lentc


def _mk_round(rng, kind, cx, cy, R, ang=None, sv=None, view=None):
    sv = sv or {}
    f = dict(kind=kind, cx=float(cx), cy=float(cy), R=float(R), rot=[], depth=_u(rng, 0.8, 1.0))
    sh = dict(e2=_u(rng, 0, 0.05), p2=_u(rng, 0, TAU), e3=_u(rng, 0, 0.025), p3=_u(rng, 0, TAU),
              e5=_u(rng, 0, 0.025), p5=_u(rng, 0, TAU))
    f["shape"] = sh
    f["sticker"] = rng.random() < (0.0 if kind == "strawberry" or R < 12 * SS else 0.12)
    if kind == "apple":
        var = sv.get("var") or _ch(rng, _APPLE_VARS)
        if sv.get("mixed") and rng.random() < 0.5:
            var = _ch(rng, _APPLE_VARS)
        view = view or _ch(rng, ("side", "oblique", "top"), (0.55, 0.27, 0.18))
        base, blush, cov, lentc = _apple_colours(rng, var)
        f.update(var=var, view=view, base=_jit(rng, base), blush=_jit(rng, blush), lentc=_jit(rng, lentc),
                 thr=_qz(cov) * 0.9, bd=_u(rng, 0, TAU), st=rng.random(int(rng.integers(30, 90))).astype(F32),
                 streak=_u(rng, 0.0, 1.0) if var in ("bicolour", "pink", "red") else _u(rng, 0, 0.3),
                 lent=_u(rng, 0.3, 1.0), russet=_u(rng, 0, 0.8) if rng.random() < 0.3 else 0.0,
                 cd=_u(rng, 0.1, 0.22), cw=_u(rng, 0.12, 0.22),
                 ks=_u(rng, 0.6, 1.4) if rng.random() < 0.45 else _u(rng, 0.12, 0.5),
                 stem=rng.random() < 0.8, stem_len=_u(rng, 0.15, 0.45), stem_ang=float(rng.normal(0, 0.35)),
                 leaf=rng.random() < 0.06)
        f["shin"] = _u(rng, 50, 220) if f["ks"] > 0.6 else _u(rng, 10, 45)
        f["cav"] = {"side": (0.0, -0.82), "oblique": (_u(rng, -0.2, 0.2), -0.45), "top": (0.0, 0.0)}[view]
        sh.update(notch=_u(rng, 0.05, 0.13), nw=_u(rng, 0.22, 0.38), shoulder=_u(rng, 0.0, 0.08),
                  bnotch=_u(rng, 0.0, 0.04))
        f["ext"] = 1.6 if not f["leaf"] else 2.3
        f["depth"] = _u(rng, 0.85, 1.0)
    elif kind == "orange":
        var = sv.get("var") or _ch(rng, ("navel", "valencia", "mandarin", "clementine", "greenish", "pale"),
                                   (0.25, 0.2, 0.18, 0.2, 0.09, 0.05))
        cols = dict(navel=(0.96, 0.55, 0.08), valencia=(0.96, 0.6, 0.13), mandarin=(0.97, 0.46, 0.05),
                    clementine=(0.98, 0.5, 0.06), greenish=(0.86, 0.66, 0.16), pale=(0.98, 0.72, 0.22))
        view = view or _ch(rng, ("side", "top", "bottom"), (0.5, 0.3, 0.2))
        flat = _u(rng, 0.75, 0.92) if var in ("mandarin", "clementine") else _u(rng, 0.88, 1.0)
        f.update(var=var, view=view, base=_jit(rng, cols[var], 0.05),
                 green=_u(rng, 0.2, 0.7) if (var == "greenish" or rng.random() < 0.05) else 0.0,
                 greenc=_jit(rng, (0.62, 0.64, 0.18)), pore=_u(rng, 0.004, 0.01),
                 ks=_u(rng, 0.12, 0.55), shin=_u(rng, 16, 64), navel=(var == "navel" and rng.random() < 0.7),
                 leaves=int(rng.integers(1, 4)) if (var in ("clementine", "mandarin") and rng.random() < 0.4) else 0,
                 scar=rng.random() < 0.18)
        sh.update(ax=1.0, ay=flat if view == "side" else 1.0)
        if var in ("mandarin", "clementine"):
            sh["e3"] += _u(rng, 0, 0.02)
            sh["e5"] += _u(rng, 0, 0.02)
        f["stem_uv"] = {"side": (0.0, -0.93 * sh["ay"]), "top": (_u(rng, -0.1, 0.1), _u(rng, -0.1, 0.1)),
                        "bottom": (9.0, 9.0)}[view]
        f["navel_uv"] = {"side": (0.0, 0.93 * sh["ay"]), "top": (9.0, 9.0),
                         "bottom": (_u(rng, -0.1, 0.1), _u(rng, -0.1, 0.1))}[view]
        f["ext"] = 1.15 if not f["leaves"] else 2.5
    else:  # strawberry
        var = sv.get("var") or _ch(rng, ("std", "dark", "light", "small"))
        cols = dict(std=(0.82, 0.1, 0.12), dark=(0.6, 0.04, 0.08), light=(0.92, 0.24, 0.22), small=(0.85, 0.12, 0.12))
        view = view or _ch(rng, ("side", "top", "tip"), (0.8, 0.16, 0.04))
        f.update(var=var, view=view, base=_jit(rng, cols[var], 0.08), pale=_u(rng, 0, 0.7) if rng.random() < 0.5 else 0.0,
                 sp=_u(rng, 0.2, 0.34), seedc=_jit(rng, _ch(rng, [(0.92, 0.78, 0.3), (0.85, 0.62, 0.2), (0.6, 0.22, 0.1),
                                                                   (0.8, 0.8, 0.35)]), 0.08),
                 pitd=_u(rng, 0.5, 1.3), ks=_u(rng, 0.4, 1.1), shin=_u(rng, 25, 90),
                 nsep=int(rng.integers(6, 12)), sep_len=_u(rng, 0.35, 0.8), sep_spread=_u(rng, 1.2, 1.8),
                 calyx=rng.random() < 0.93, sepc=_jit(rng, _ch(rng, [(0.22, 0.48, 0.14), (0.3, 0.55, 0.18),
                                                                      (0.18, 0.38, 0.12)]), 0.1))
        sh.update(tip=_u(rng, 0.35, 0.75) if var != "small" else _u(rng, 0.5, 0.9), tp=_u(rng, 0.9, 1.5),
                  flat=_u(rng, 0.1, 0.3))
        f["ext"] = 1.95
    if ang is None:
        ang = float(rng.normal(0, 0.3)) if f["view"] in ("side", "oblique") else _u(rng, 0, TAU)
    f["ang"] = float(ang)
    return f


def _ripe_col(rp):
    stops = np.array([0.0, 0.3, 0.55, 0.8, 1.0])
    cols = np.array([(0.36, 0.55, 0.16), (0.6, 0.7, 0.2), (0.88, 0.8, 0.28), (0.95, 0.8, 0.24), (0.9, 0.7, 0.2)])
    return np.array([np.interp(rp, stops, cols[:, k]) for k in range(3)], F32)


def _mk_banana(rng, x, y, L, Wb, ang, bend, sv, crown=False):
    rp = float(np.clip(sv.get("ripe", 0.6) + rng.normal(0, 0.07), 0.0, 1.0))
    pa, pb = _u(rng, 0.45, 0.8), _u(rng, 0.18, 0.35)
    xm = pa / (pa + pb)
    pn = xm ** pa * (1 - xm) ** pb
    nf = int(rng.integers(4, 7))
    ph = _u(rng, -0.3, 0.3)
    ang_nodes = np.clip(np.linspace(-math.pi / 2, math.pi / 2, nf) + ph * math.pi / (nf - 1), -1.5707, 1.5707)
    nodes = np.sort(np.sin(ang_nodes))
    nodes = np.concatenate([[-1.0], nodes, [1.0]])
    return dict(kind="banana", x=float(x), y=float(y), L=float(L), W=float(Wb), dir=float(ang), bend=float(bend),
                ripe=rp, pa=pa, pb=pb, pn=pn, nodes=nodes.astype(F32), neck=_u(rng, 0.2, 0.3),
                tcut=_u(rng, 0.07, 0.14), depth=_u(rng, 0.75, 0.95), greenend=_u(rng, 0.3, 1.0),
                spots=(rp > 0.7 and rng.random() < 0.75), spotcov=_u(rng, 0.005, 0.05),
                strk=rng.random(24).astype(F32), ks=_u(rng, 0.12, 0.45), shin=_u(rng, 8, 30),
                sticker=(rng.random() < 0.12 and Wb >= 8 * SS), rot=[], stalkc=_jit(rng, _ch(rng, [(0.42, 0.45, 0.2), (0.35, 0.3, 0.15),
                                                                                  (0.5, 0.55, 0.25)])))


def _mk_hand(rng, cx, cy, U, ang, sv, n=None):
    """a hand (cluster) of bananas or a single banana, centred near (cx, cy); U = apple-equivalent radius."""
    if n is None:
        n = 1 if rng.random() < 0.4 else int(rng.integers(2, 7))
    L = U * _u(rng, 3.6, 5.0)
    Wb = L * _u(rng, 0.095, 0.12)
    bend = _u(rng, 0.4, 1.0) * (1 if rng.random() < 0.5 else -1)
    dx, dy = math.cos(ang), math.sin(ang)
    px, py = cx - 0.42 * L * dx, cy - 0.42 * L * dy
    spread = _u(rng, 0.05, 0.14)
    out = []
    order = list(range(n)) if rng.random() < 0.5 else list(range(n))[::-1]
    for i in order:
        c = i - (n - 1) / 2.0
        a = ang + c * spread + float(rng.normal(0, 0.03))
        off = c * Wb * _u(rng, 0.9, 1.25)
        bx, by = px - dy * off * 0.5, py + dx * off * 0.5
        b = _mk_banana(rng, bx, by, L * _u(rng, 0.9, 1.07), Wb * _u(rng, 0.93, 1.07), a, bend * _u(rng, 0.85, 1.1), sv)
        out.append(b)
    if n > 1 or rng.random() < 0.3:
        out.append(dict(kind="crown", x=px - dx * Wb * 0.25, y=py - dy * Wb * 0.25, r=Wb * _u(rng, 0.25, 0.4),
                        len=Wb * (0.4 + 0.55 * (n - 1)) * _u(rng, 0.8, 1.1), ang=ang,
                        col=_jit(rng, _ch(rng, [(0.4, 0.42, 0.2), (0.32, 0.26, 0.14), (0.5, 0.5, 0.25)])), rot=[]))
    return out


# ----------------------------------------------------------------------------------------------- fruit renderers
def _radial(f, u, v, rr):
    """radius of the silhouette (in units of R) in the direction of each pixel; angles via complex powers."""
    sh = f["shape"]
    kind = f["kind"]
    z1 = (u + 1j * v).astype(np.complex64) / rr
    z2 = z1 * z1
    z3 = z2 * z1
    z5 = z3 * z2

    def cosk(zk, p):        # cos(k*theta + p)
        return zk.real * F32(math.cos(p)) - zk.imag * F32(math.sin(p))

    rf = 1.0 + F32(sh["e2"]) * cosk(z2, sh["p2"]) + F32(sh["e3"]) * cosk(z3, sh["p3"]) + F32(sh["e5"]) * cosk(z5, sh["p5"])
    sinth = z1.imag
    if f.get("shrivel"):
        z4 = z2 * z2
        z7 = z5 * z2
        rf = rf * (1.0 + F32(f["shrivel"]) * (0.05 * cosk(z4, 1.3) + 0.04 * cosk(z7, 0.4)))
    if kind == "apple":
        if f["view"] == "side":
            # von Mises bumps: 1 + sin(theta) ~ (angle from the top)^2 / 2
            rf = rf * (1.0 - F32(sh["notch"]) * np.exp(-(1.0 + sinth) * F32(2.0 / sh["nw"] ** 2))) \
                * (1.0 - F32(sh["shoulder"]) * sinth)
            rf = rf * (1.0 - F32(sh["bnotch"]) * np.exp(-(1.0 - sinth) * F32(2.0 / 0.09)))
    elif kind == "orange":
        costh = z1.real
        rf = rf / np.sqrt(costh * costh / F32(sh["ax"] ** 2) + sinth * sinth / F32(sh["ay"] ** 2))
    else:
        if f["view"] == "side":
            tip = np.maximum(sinth, 0.0)
            top = np.maximum(-sinth, 0.0)
            rf = rf * (1.0 + F32(sh["tip"]) * tip ** F32(sh["tp"])) * (1.0 - F32(sh["flat"]) * top ** 3)
    return rf


def _sticker(rng, alb, spm, Hh, d2):
    m = _ss(1.0, 0.8, d2)
    col = _jit(rng, _ch(rng, [(0.95, 0.95, 0.93), (0.55, 0.8, 0.4), (0.95, 0.85, 0.2), (0.6, 0.8, 0.95),
                              (0.98, 0.7, 0.3)]), 0.05)
    txt = (np.abs(d2 - 0.35) < 0.08) | (np.abs(d2 - 0.12) < 0.05)
    c2 = np.where(txt[..., None], col * 0.35, col)
    alb = _lerp(alb, c2, m)
    spm += m * 0.8
    return alb


def _leaf(rng, colp, ap, base, a, length, width, Lt, light_xy):
    """draw a leaf polygon onto patch colour / alpha (patch coordinates)."""
    n = 7
    ts = np.linspace(0, 1, n)
    dx, dy = math.cos(a), math.sin(a)
    px, py = -dy, dx
    bend = _u(rng, -0.15, 0.15)
    left, right, mid = [], [], []
    for t in ts:
        hw = width * (math.sin(math.pi * min(t * 1.15, 1.0)) ** 0.8) * 0.5
        cxp = base[0] + dx * length * t + px * bend * length * t * t
        cyp = base[1] + dy * length * t + py * bend * length * t * t
        mid.append((cxp, cyp))
        left.append((cxp + px * hw, cyp + py * hw))
        right.append((cxp - px * hw, cyp - py * hw))
    col = _jit(rng, _ch(rng, [(0.16, 0.32, 0.1), (0.24, 0.44, 0.14), (0.12, 0.25, 0.08)]), 0.1)
    lz = max(float(Lt["dir"][2]), 0.0)
    f1 = Lt["key"] * F32(0.25 + 0.75 * lz) + Lt["amb"]
    s1, s2 = _u(rng, 0.75, 1.2), _u(rng, 0.55, 1.0)
    c1 = tuple(float(x) for x in col * f1 * F32(s1))
    c2 = tuple(float(x) for x in col * f1 * F32(s2))
    poly1 = _pts(mid + left[::-1])
    poly2 = _pts(mid + right[::-1])
    cv2.fillPoly(colp, [poly1], c1, cv2.LINE_8, 3)
    cv2.fillPoly(colp, [poly2], c2, cv2.LINE_8, 3)
    cv2.fillPoly(ap, [poly1, poly2], 1.0, cv2.LINE_8, 3)
    if rng.random() < 0.5:   # glossy sheen
        cv2.fillPoly(colp, [_pts(mid[1:5] + left[4:0:-1])], tuple(float(x) * 1.25 for x in c1), cv2.LINE_8, 3)
    cv2.polylines(colp, [_pts(mid)], False, tuple(float(x) for x in col * f1 * 1.4), 1, cv2.LINE_8, 3)


def _render_round(cv, rng, f, Lt):
    kind = f["kind"]
    R = f["R"]
    cx, cy = f["cx"], f["cy"]
    ext = R * f["ext"] + 2
    x0 = max(0, int(cx - ext))
    x1 = min(cv.W, int(cx + ext) + 2)
    y0 = max(0, int(cy - ext))
    y1 = min(cv.H, int(cy + ext) + 2)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return
    h, w = y1 - y0, x1 - x0
    X = np.broadcast_to((np.arange(x0, x1, dtype=F32) + F32(0.5 - cx))[None, :], (h, w))
    Y = np.broadcast_to((np.arange(y0, y1, dtype=F32) + F32(0.5 - cy))[:, None], (h, w))
    ca, sa = F32(math.cos(f["ang"])), F32(math.sin(f["ang"]))
    iR = F32(1.0 / R)
    u = (X * ca + Y * sa) * iR
    v = (Y * ca - X * sa) * iR
    rr = np.sqrt(u * u + v * v) + F32(1e-5)
    rf = _radial(f, u, v, rr)
    alpha = np.clip((rf - rr) * F32(R) + F32(0.5), 0.0, 1.0)
    if float(alpha.max()) <= 0.0:
        return
    # attachments (stem, calyx, leaves)
    ap = np.zeros((h, w), F32)
    colp = np.zeros((h, w, 3), F32)

    def to_patch(lu, lv):
        return (cx + R * (lu * float(ca) - lv * float(sa)) - x0, cy + R * (lu * float(sa) + lv * float(ca)) - y0)

    gmean = float(cv.g[int(min(max(cy, 0), cv.H - 1)), int(min(max(cx, 0), cv.W - 1))])
    if kind == "apple" and f["stem"]:
        uc, vc = f["cav"]
        p0 = to_patch(uc, vc)
        if f["view"] == "top":
            sl = f["stem_len"] * 0.5
            a = _u(rng, 0, TAU)
        else:
            sl = f["stem_len"] + (0.25 if f["view"] == "side" else 0.1)
            a = f["ang"] - math.pi / 2 + f["stem_ang"]
        p1 = (p0[0] + R * sl * math.cos(a), p0[1] + R * sl * math.sin(a))
        thk = max(1, int(round(R * _u(rng, 0.05, 0.08))))
        sc = _jit(rng, _ch(rng, [(0.35, 0.25, 0.12), (0.42, 0.38, 0.18), (0.28, 0.2, 0.1)]), 0.1)
        fl = Lt["key"] * F32(0.5) + Lt["amb"]
        cv2.line(colp, (int(p0[0] * 8), int(p0[1] * 8)), (int(p1[0] * 8), int(p1[1] * 8)),
                 tuple(float(x) for x in sc * fl * gmean), thk, cv2.LINE_8, 3)
        cv2.line(ap, (int(p0[0] * 8), int(p0[1] * 8)), (int(p1[0] * 8), int(p1[1] * 8)), 1.0, thk, cv2.LINE_8, 3)
        if f["leaf"]:
            _leaf(rng, colp, ap, p1, a + _u(rng, -1.0, 1.0), R * _u(rng, 0.6, 1.0), R * _u(rng, 0.3, 0.45), Lt, None)
    if kind == "orange" and f["leaves"] and f["view"] != "bottom":
        p0 = to_patch(*f["stem_uv"])
        for k in range(f["leaves"]):
            a = f["ang"] - math.pi / 2 + _u(rng, -1.3, 1.3) if f["view"] == "side" else _u(rng, 0, TAU)
            _leaf(rng, colp, ap, p0, a, R * _u(rng, 0.8, 1.35), R * _u(rng, 0.35, 0.5), Lt, None)
    if kind == "strawberry" and f["calyx"] and f["view"] != "tip":
        if f["view"] == "side":
            top = 1.0 - f["shape"]["flat"] * 0.5
            p0 = to_patch(0.0, -top * 0.92)
        else:
            p0 = to_patch(0.0, 0.0)
        sep = f["sepc"]
        if f.get("rot") and rng.random() < 0.5:
            sep = _jit(rng, (0.36, 0.34, 0.16), 0.1)
        lz = max(float(Lt["dir"][2]), 0.0)
        fl = (Lt["key"] * F32(0.25 + 0.75 * lz) + Lt["amb"]) * F32(gmean)
        nsep = f["nsep"]
        kk = np.arange(nsep)
        if f["view"] == "side":
            a = f["ang"] - math.pi / 2 + (kk / max(nsep - 1, 1) - 0.5) * 2 * f["sep_spread"] + rng.normal(0, 0.12, nsep)
            ln = R * f["sep_len"] * rng.uniform(0.7, 1.1, nsep)
        else:
            a = kk * TAU / nsep + rng.uniform(-0.2, 0.2, nsep)
            ln = R * f["sep_len"] * rng.uniform(0.8, 1.3, nsep)
        wd = ln * rng.uniform(0.18, 0.3, nsep)
        dx, dy = np.cos(a), np.sin(a)
        px_, py_ = p0
        P = np.stack([
            np.stack([px_ - dy * wd * 0.3, py_ + dx * wd * 0.3], -1),
            np.stack([px_ + dx * ln * 0.5 - dy * wd, py_ + dy * ln * 0.5 + dx * wd], -1),
            np.stack([px_ + dx * ln, py_ + dy * ln], -1),
            np.stack([px_ + dx * ln * 0.5 + dy * wd, py_ + dy * ln * 0.5 - dx * wd], -1),
            np.stack([px_ + dy * wd * 0.3, py_ - dx * wd * 0.3], -1)], 1)      # (nsep, 5, 2)
        P = np.round(P * 8.0).astype(np.int32)
        polys = [P[k].reshape(-1, 1, 2) for k in range(nsep)]
        cb = sep * fl
        cv2.fillPoly(colp, polys[0::2], tuple(float(x) for x in cb * F32(_u(rng, 0.85, 1.15))), cv2.LINE_8, 3)
        cv2.fillPoly(colp, polys[1::2], tuple(float(x) for x in cb * F32(_u(rng, 0.6, 0.85))), cv2.LINE_8, 3)
        cv2.fillPoly(ap, polys, 1.0, cv2.LINE_8, 3)
        if rng.random() < 0.6:
            a = f["ang"] - math.pi / 2 + float(rng.normal(0, 0.4)) if f["view"] == "side" else _u(rng, 0, TAU)
            sl = R * (_u(rng, 0.2, 0.5) if f["view"] == "side" else _u(rng, 0.05, 0.2))
            p1 = (p0[0] + sl * math.cos(a), p0[1] + sl * math.sin(a))
            cv2.line(colp, (int(p0[0] * 8), int(p0[1] * 8)), (int(p1[0] * 8), int(p1[1] * 8)),
                     tuple(float(x) for x in sep * fl * 0.8), max(1, int(R * 0.07)), cv2.LINE_8, 3)
            cv2.line(ap, (int(p0[0] * 8), int(p0[1] * 8)), (int(p1[0] * 8), int(p1[1] * 8)), 1.0,
                     max(1, int(R * 0.07)), cv2.LINE_8, 3)
    # crop every map to the drawn footprint (fruit + attachments)
    occ = (alpha > 0) | (ap > 0)
    rows = np.flatnonzero(occ.any(1))
    cols = np.flatnonzero(occ.any(0))
    r0, r1 = max(int(rows[0]) - 2, 0), min(int(rows[-1]) + 3, h)
    c0, c1 = max(int(cols[0]) - 2, 0), min(int(cols[-1]) + 3, w)
    X, Y, u, v, rr, rf, alpha, ap, colp = (q[r0:r1, c0:c1] for q in (X, Y, u, v, rr, rf, alpha, ap, colp))
    x0, y0, x1, y1 = x0 + c0, y0 + r0, x0 + c1, y0 + r1
    h, w = y1 - y0, x1 - x0
    rho = np.minimum(rr / rf, F32(0.999))
    z = np.sqrt(1.0 - rho * rho)
    xs_ = np.clip(u / rf, -1, 1)
    ys_ = np.clip(v / rf, -1, 1)
    Hh = F32(R * f["depth"]) * z
    spm = np.ones((h, w), F32)
    if kind == "apple":
        alb = _alb_apple(rng, f, u, v, R, Hh, spm, h, w)
    elif kind == "orange":
        alb = _alb_orange(rng, f, u, v, R, Hh, spm, h, w)
    else:
        alb = _alb_straw(rng, f, u, v, R, Hh, spm, h, w, xs_, ys_, z)
    if f.get("sticker") and kind != "strawberry":
        su, sv_ = _u(rng, -0.4, 0.4), _u(rng, -0.3, 0.4)
        sa_ = _u(rng, 0.2, 0.3)
        d2 = ((u - su) / F32(sa_)) ** 2 + ((v - sv_) / F32(sa_ * 0.75)) ** 2
        alb = _sticker(rng, alb, spm, Hh, d2)
    inner = (rho < 0.8) & (alpha >= 1.0)
    if kind == "strawberry" and f["view"] == "side":
        inner &= v > -0.55
    f["_off"] = (cx, cy)   # lesion target is given in canvas coords; X, Y are relative to the centre
    alb, rotv = _apply_rot(rng, f, alb, Hh, spm, X, Y, inner, R, alpha)
    col = _shade(alb, Hh, Lt, f["ks"], f["shin"], spm, 0.35 if kind == "strawberry" else 0.25, cv.g[y0:y1, x0:x1])
    if float(ap.max()) > 0:
        col = col + (colp - col) * ap[..., None]
        rotv = rotv * (1.0 - ap)
        alpha = np.maximum(alpha, ap)
    if f.get("leak"):
        _puddle(cv, rng, cx, cy + R * 0.85, R, f["kind"], Lt)
    _shadow(cv, x0, y0, alpha, Lt, R)
    cv.paste(x0, y0, col, alpha, rotv, fruit=True)


def _puddle(cv, rng, x, y, R, kind, Lt):
    m8 = np.zeros((cv.H, cv.W), np.uint8)
    cv2.ellipse(m8, (int(x * 8), int(y * 8)), (int(R * _u(rng, 0.6, 1.2) * 8), int(R * _u(rng, 0.25, 0.5) * 8)),
                _u(rng, -20, 20), 0, 360, 255, -1, cv2.LINE_8, 3)
    bx, by, bw, bh = cv2.boundingRect(m8)
    if bw == 0:
        return
    a = cv2.blur(m8[by:by + bh, bx:bx + bw].astype(F32) / 255.0, (3, 3))
    jc = _jit(rng, _ROTC[kind]["juice"], 0.1)
    reg = cv.img[by:by + bh, bx:bx + bw]
    wet = reg * (0.55 + 0.45 * jc) * F32(0.75)
    gl = (_vn(rng, bh, bw, max(1.5, R * 0.15)) > 0.8).astype(F32) * F32(0.35)
    wet = wet + gl[..., None] * Lt["key"]
    cv.paste(bx, by, wet, a * F32(_u(rng, 0.5, 0.9)), None, keep=True)


def _alb_apple(rng, f, u, v, R, Hh, spm, h, w):
    uc, vc = f["cav"]
    dc2 = (u - F32(uc)) ** 2 + (v - F32(vc)) ** 2
    cav = np.exp(-dc2 * F32(1.0 / f["cw"] ** 2))
    Hh -= F32(R * f["cd"]) * cav
    n1 = _fbm(rng, h, w, R * 0.7, 2)
    bd = f["bd"]
    B = 0.55 * n1 + 1.3 * (u * F32(math.cos(bd)) + v * F32(math.sin(bd)))
    st = f["st"]
    phi = np.arctan2(v - F32(vc), u - F32(uc))
    stv = np.interp((phi * F32(1.0 / TAU) + F32(0.5)) * F32(len(st) - 1), np.arange(len(st), dtype=F32), st).astype(F32)
    B = B + (stv - 0.5) * F32(2.0 * f["streak"])
    thr = f["thr"]
    m = _ss(thr - 0.35, thr + 0.35, B)
    alb = _lerp(np.broadcast_to(f["base"], (h, w, 3)), f["blush"][None, None, :] * (0.8 + 0.4 * stv)[..., None], m)
    alb = alb * (1.0 + 0.05 * _fbm(rng, h, w, max(2.0, R / 4.0), 2))[..., None]
    ln = _vn(rng, h, w, max(1.0, R / 40.0))
    dots = _ss(0.86, 0.95, ln) * F32(f["lent"] * 0.6)
    alb = _lerp(alb, f["lentc"], dots)
    if f["russet"] > 0:
        rm = _ss(2.8, 1.2, np.sqrt(dc2) / F32(f["cw"])) * np.clip(0.6 + 0.5 * n1, 0, 1) * F32(f["russet"])
        alb = _lerp(alb, _c((0.55, 0.43, 0.22)), rm)
        spm *= 1.0 - 0.6 * rm
    alb = _lerp(alb, alb * _c((0.75, 0.8, 0.55)), cav * F32(0.6))
    return alb


def _alb_orange(rng, f, u, v, R, Hh, spm, h, w):
    n1 = _fbm(rng, h, w, R * 0.6, 2)
    alb = np.broadcast_to(f["base"], (h, w, 3)) * (1.0 + 0.05 * n1)[..., None]
    sx, sy = f["stem_uv"]
    ds = np.sqrt((u - F32(sx)) ** 2 + (v - F32(sy)) ** 2)
    if f["green"] > 0:
        gm = _ss(-0.2, 1.0, F32(f["green"] * 1.4) - ds + 0.15 * n1)
        alb = _lerp(alb, f["greenc"], gm * F32(0.8))
    pn = _vn(rng, h, w, max(1.0, R / 30.0))
    pore = _ss(0.55, 0.85, pn)
    Hh -= F32(R * f["pore"]) * pore
    alb = alb * (1.0 - 0.1 * pore)[..., None]
    spm *= 1.2 - 0.9 * pore
    btn = _ss(0.09, 0.05, ds)
    alb = _lerp(alb, _c((0.38, 0.42, 0.14)), btn)
    ring = np.clip(_ss(0.17, 0.1, ds) - btn, 0, 1)
    Hh += F32(R * 0.03) * ring
    alb = alb * (1.0 - 0.12 * ring)[..., None]
    if f["navel"]:
        nx_, ny_ = f["navel_uv"]
        dn = np.sqrt((u - F32(nx_)) ** 2 + (v - F32(ny_)) ** 2)
        nav = _ss(0.15, 0.05, dn)
        Hh -= F32(R * 0.05) * nav
        alb = alb * (1.0 - 0.3 * np.clip(_ss(0.15, 0.1, dn) - _ss(0.07, 0.03, dn), 0, 1))[..., None]
    if f["scar"]:
        su, sv_ = _u(rng, -0.5, 0.5), _u(rng, -0.5, 0.5)
        dd = np.sqrt(((u - F32(su)) / 0.18) ** 2 + ((v - F32(sv_)) / 0.08) ** 2) + 0.3 * _fbm(rng, h, w, R * 0.1, 2)
        sm = _ss(1.0, 0.6, dd)
        alb = _lerp(alb, _c((0.86, 0.72, 0.48)), sm * F32(0.7))
    return alb


def _alb_straw(rng, f, u, v, R, Hh, spm, h, w, xs_, ys_, z):
    n1 = _fbm(rng, h, w, R * 0.5, 2)
    alb = np.broadcast_to(f["base"], (h, w, 3)) * (1.0 + 0.08 * n1)[..., None]
    view = f["view"]
    if view == "side":
        pm = _ss(-0.35, -0.95, v + 0.15 * n1) * F32(f["pale"])
        tipd = _ss(0.4, 1.2, v)
    elif view == "top":
        rr = np.sqrt(u * u + v * v)
        pm = _ss(0.55, 0.15, rr + 0.1 * n1) * F32(f["pale"])
        tipd = rr * 0
    else:
        rr = np.sqrt(u * u + v * v)
        pm = rr * 0
        tipd = _ss(0.5, 0.0, rr)
    alb = _lerp(alb, _c((0.96, 0.72, 0.45)), pm)
    if f["var"] == "dark":
        alb = alb * (1.0 - 0.25 * tipd)[..., None]
    # cheap arcsin (odd polynomial) for the seed lattice's surface coordinates
    y2 = ys_ * ys_
    lat = ys_ * (1.0 + y2 * (F32(0.1667) + y2 * F32(0.2)))
    xn = xs_ / np.sqrt(np.maximum(1.0 - y2, F32(0.05)))
    xn = np.clip(xn, -1, 1)
    x2 = xn * xn
    lon = xn * (1.0 + x2 * (F32(0.1667) + x2 * F32(0.2)))
    sp = f["sp"]
    jn = _fbm(rng, h, w, max(2.0, R * 0.3), 1) * F32(0.04)
    a = (lon + jn) * F32(1.0 / sp)
    b = (lat - jn) * F32(1.0 / (sp * 0.866))
    bi = np.round(b)
    a2 = a + F32(0.5) * (bi % 2)
    da = a2 - np.round(a2)
    db = (b - bi) * F32(0.866)
    d = np.sqrt(da * da + db * db)
    seed = _ss(0.17, 0.09, d)
    pit = _ss(0.27, 0.1, d)
    Hh -= F32(R * 0.012 * f["pitd"]) * pit
    alb = _lerp(alb, f["seedc"], seed * F32(0.9))
    spm *= 1.0 - 0.6 * seed
    return alb


def _render_banana(cv, rng, b, Lt):
    Lb, Wb = b["L"], b["W"]
    bend = b["bend"]
    a0 = b["dir"]
    sgn = 1.0 if bend >= 0 else -1.0
    ab = max(abs(bend), 0.05)
    Ra = Lb / ab
    Px, Py = b["x"], b["y"]
    Cx = Px - sgn * Ra * math.sin(a0)
    Cy = Py + sgn * Ra * math.cos(a0)
    phi0 = math.atan2(Py - Cy, Px - Cx)
    tcut = b["tcut"]
    ts = np.linspace(-tcut, 1.0, 14)
    ph = phi0 + sgn * ts * ab
    xs = Cx + Ra * np.cos(ph)
    ys = Cy + Ra * np.sin(ph)
    mg = Wb * 1.25 + 3
    x0 = max(0, int(xs.min() - mg))
    x1 = min(cv.W, int(xs.max() + mg) + 1)
    y0 = max(0, int(ys.min() - mg))
    y1 = min(cv.H, int(ys.max() + mg) + 1)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return
    h, w = y1 - y0, x1 - x0
    dX = (np.arange(x0, x1, dtype=F32) + F32(0.5 - Cx))[None, :]
    dY = (np.arange(y0, y1, dtype=F32) + F32(0.5 - Cy))[:, None]
    dist = np.sqrt(dX * dX + dY * dY)
    phi = np.arctan2(dY, dX)
    dphi = ((phi - F32(phi0)) * F32(sgn) + F32(math.pi)) % F32(TAU) - F32(math.pi)
    t = dphi * F32(1.0 / ab)
    off = dist - F32(Ra)
    tt = (t - F32(0.04)) * F32(1.0 / 0.96)
    ttc = np.clip(tt, 1e-4, 1 - 1e-4)
    body = np.where((tt > 0) & (tt < 1), ttc ** F32(b["pa"]) * (1 - ttc) ** F32(b["pb"]) * F32(1.0 / b["pn"]), 0.0)
    neck = np.where((t > -tcut) & (t < 0.25), F32(b["neck"]), F32(0.0))
    wt = F32(Wb) * np.maximum(body, neck).astype(F32)
    alpha = np.clip(wt - np.abs(off) + 0.5, 0, 1) * np.clip((t + F32(tcut)) * F32(Lb) + 0.5, 0, 1) * np.clip(wt * 2.0, 0, 1)
    alpha = alpha.astype(F32)
    if float(alpha.max()) <= 0:
        return
    s = np.clip(off / np.maximum(wt, F32(1e-3)), -1, 1)
    circ = np.sqrt(np.maximum(1.0 - s * s, 0.0))
    nodes = b["nodes"]
    poly = np.interp(s, nodes, np.sqrt(np.maximum(1.0 - nodes * nodes, 0.0))).astype(F32)
    prof = 0.55 * poly + 0.45 * circ
    Hh = (wt * prof * F32(b["depth"])).astype(F32)
    rp = b["ripe"]
    base = _ripe_col(rp) * F32(_u(rng, 0.93, 1.05))
    alb = np.broadcast_to(base, (h, w, 3)).astype(F32)
    gm = (_ss(0.3, 0.0, t) + 0.6 * _ss(0.85, 1.0, t)) * F32(b["greenend"] * (1.0 - 0.6 * rp))
    alb = _lerp(alb, _c((0.45, 0.6, 0.18)), gm)
    sl = np.interp(s * 11.5 + 11.5, np.arange(24, dtype=F32), b["strk"]).astype(F32)
    alb = alb * (1.0 + 0.07 * (sl - 0.5))[..., None]
    rd = np.min(np.abs(s[..., None] - nodes[1:-1][None, None, :]), axis=2)
    alb = alb * (1.0 - 0.13 * _ss(0.09, 0.0, rd))[..., None]
    alb = alb * (1.0 + 0.05 * _fbm(rng, h, w, max(2.0, Wb * 0.8), 2))[..., None]
    alb = _lerp(alb, b["stalkc"], _ss(0.07, 0.01, t))
    alb = _lerp(alb, b["stalkc"] * F32(0.55), _ss(-tcut + 0.03, -tcut, t))
    alb = _lerp(alb, _c((0.2, 0.15, 0.09)), _ss(0.94, 0.985, tt))
    spm = np.ones((h, w), F32)
    if b["spots"] and not b["rot"]:
        sp = _vn(rng, h, w, max(1.0, Wb / 4.5))
        thr = 1.0 - b["spotcov"] * 2.5
        sm = _ss(thr, min(thr + 0.04, 0.999), sp) * (alpha > 0.5)
        alb = _lerp(alb, _c((0.36, 0.22, 0.1)), sm * F32(0.85))
    if b.get("sticker"):
        tc, sc_ = _u(rng, 0.3, 0.7), _u(rng, -0.3, 0.3)
        d2 = ((t - F32(tc)) * F32(Lb / (Wb * 0.45))) ** 2 + ((s - F32(sc_)) / F32(0.35)) ** 2
        alb = _sticker(rng, alb, spm, Hh, d2)
    inner = (alpha >= 1.0) & (np.abs(s) < 0.75) & (tt > 0.06) & (tt < 0.94)
    X = np.broadcast_to((np.arange(x0, x1, dtype=F32) + F32(0.5))[None, :], (h, w))
    Y = np.broadcast_to((np.arange(y0, y1, dtype=F32) + F32(0.5))[:, None], (h, w))
    b["_off"] = (0.0, 0.0)
    alb, rotv = _apply_rot(rng, b, alb, Hh, spm, X, Y, inner, Wb * 1.6, alpha)
    col = _shade(alb, Hh, Lt, b["ks"], b["shin"], spm, 0.3, cv.g[y0:y1, x0:x1])
    if b.get("leak"):
        _puddle(cv, rng, Px + 0.5 * Lb * math.cos(a0), Py + 0.5 * Lb * math.sin(a0) + Wb, Wb * 2, "banana", Lt)
    _shadow(cv, x0, y0, alpha, Lt, Wb * 1.6)
    cv.paste(x0, y0, col, alpha, rotv, fruit=True)


def _render_crown(cv, rng, c, Lt):
    r = c["r"]
    a = c["ang"] + math.pi / 2
    ln = c["len"]
    dx, dy = math.cos(a) * ln / 2, math.sin(a) * ln / 2
    m8 = np.zeros((cv.H, cv.W), np.uint8)
    cv2.line(m8, (int((c["x"] - dx) * 8), int((c["y"] - dy) * 8)), (int((c["x"] + dx) * 8), int((c["y"] + dy) * 8)), 255,
             max(2, int(2 * r)), cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, c["col"], Lt, rad=r, ks=0.1, shin=8, tex=0.3, fruit=True)


def _render(cv, rng, f, Lt):
    if f["kind"] == "banana":
        _render_banana(cv, rng, f, Lt)
    elif f["kind"] == "crown":
        _render_crown(cv, rng, f, Lt)
    else:
        _render_round(cv, rng, f, Lt)


# ----------------------------------------------------------------------------------------------- backgrounds
_WOODS = [(0.55, 0.38, 0.22), (0.7, 0.55, 0.36), (0.4, 0.27, 0.15), (0.6, 0.58, 0.52), (0.78, 0.7, 0.55),
          (0.3, 0.22, 0.16), (0.5, 0.45, 0.38)]


def _grid(H, W):
    yy = np.arange(H, dtype=F32)[:, None] + F32(0.5)
    xx = np.arange(W, dtype=F32)[None, :] + F32(0.5)
    return yy, xx


def _bg_noise(rng, H, W, col, var=0.08, cell=None, grain=0.03):
    n = _fbm(rng, H, W, cell or max(H, W) * 0.35, 3)
    g = _vn(rng, H, W, 1.0) - 0.5
    return _c(col)[None, None, :] * (1.0 + F32(var) * n + F32(grain) * g)[..., None]


def _bg_wood(rng, H, W, col=None, vertical=None):
    col = _jit(rng, col or _ch(rng, _WOODS), 0.08)
    vertical = (rng.random() < 0.5) if vertical is None else vertical
    pw = _u(rng, 0.18, 0.5) * max(H, W)
    if vertical:
        gr = _fbm(rng, H, W, _u(rng, 25, 60), 3, cellx=_u(rng, 1.5, 3.5))
    else:
        gr = _fbm(rng, H, W, _u(rng, 1.5, 3.5), 3, cellx=_u(rng, 25, 60))
    yy, xx = _grid(H, W)
    coord = (xx + 0 * yy) if vertical else (yy + 0 * xx)
    off = _u(rng, 0, pw)
    idx = np.floor((coord + F32(off)) / F32(pw)).astype(np.int32)
    tint = (1.0 + 0.12 * rng.normal(size=64)).astype(F32)
    t = tint[np.clip(idx, 0, 63)]
    alb = col[None, None, :] * (t * (1.0 + 0.12 * gr))[..., None]
    gapw = _u(rng, 1.0, 4.0)
    gap = ((coord + F32(off)) % F32(pw)) < F32(gapw)
    alb[gap] *= F32(0.22)
    return alb


def _bg_blades(rng, H, W, base, cols, n, length, thick=1):
    alb = _bg_noise(rng, H, W, base, 0.15, max(H, W) * 0.2, 0.08)
    for _ in range(n):
        x, y = _u(rng, 0, W), _u(rng, 0, H)
        a = _u(rng, 0, TAU)
        ln = length * _u(rng, 0.4, 1.2)
        c = _jit(rng, _ch(rng, cols), 0.15)
        cv2.line(alb, (int(x * 8), int(y * 8)), (int((x + ln * math.cos(a)) * 8), int((y + ln * math.sin(a)) * 8)),
                 tuple(float(q) for q in c), thick, cv2.LINE_8, 3)
    return alb


def _bg_surface(rng, H, W, which=None):
    which = which or _ch(rng, ("wood", "marble", "cloth", "paper", "steel", "board", "dark", "cardboard"),
                         (0.25, 0.1, 0.15, 0.12, 0.1, 0.1, 0.1, 0.08))
    yy, xx = _grid(H, W)
    if which == "wood":
        return _bg_wood(rng, H, W)
    if which == "board":
        return _bg_wood(rng, H, W, col=_ch(rng, [(0.82, 0.7, 0.52), (0.9, 0.9, 0.88), (0.3, 0.55, 0.35)]))
    if which == "marble":
        n = _fbm(rng, H, W, max(H, W) * 0.3, 3)
        vein = np.abs(np.sin((xx * 0.02 + yy * 0.013) * _u(rng, 1, 3) + 3.0 * n))
        c = _jit(rng, _ch(rng, [(0.9, 0.9, 0.88), (0.2, 0.2, 0.22), (0.85, 0.82, 0.78)]), 0.04)
        return c[None, None, :] * (1.0 - 0.25 * _ss(0.15, 0.0, vein) + 0.03 * n)[..., None]
    if which == "cloth":
        p = _u(rng, 6, 30)
        c1 = _jit(rng, _ch(rng, [(0.85, 0.15, 0.12), (0.2, 0.3, 0.7), (0.2, 0.5, 0.25), (0.9, 0.88, 0.8), (0.5, 0.5, 0.52)]))
        c2 = _jit(rng, (0.93, 0.92, 0.9)) if rng.random() < 0.7 else _jit(rng, (0.15, 0.15, 0.15))
        a = _u(rng, -0.4, 0.4)
        u = xx * F32(math.cos(a)) + yy * F32(math.sin(a))
        v = yy * F32(math.cos(a)) - xx * F32(math.sin(a))
        if rng.random() < 0.6:
            m = (((u // p) + (v // p)) % 2).astype(F32) * 0.7 + ((u // p) % 2).astype(F32) * 0.15 + ((v // p) % 2) * 0.15
        else:
            m = ((u // p) % 2).astype(F32)
        weave = _vn(rng, H, W, 1.0) * 0.08
        return _lerp(c2[None, None, :] + 0 * m[..., None], c1, m) * (1.0 - weave)[..., None]
    if which == "paper":
        return _bg_noise(rng, H, W, _jit(rng, _ch(rng, [(0.93, 0.93, 0.92), (0.8, 0.8, 0.8), (0.9, 0.87, 0.8)])), 0.05)
    if which == "steel":
        n = _fbm(rng, H, W, 1.5, 2, cellx=60) if rng.random() < 0.5 else _fbm(rng, H, W, 60, 2, cellx=1.5)
        return _c((0.62, 0.64, 0.67))[None, None, :] * (1.0 + 0.08 * n + 0.1 * _fbm(rng, H, W, 80, 2))[..., None]
    if which == "cardboard":
        return _bg_noise(rng, H, W, _jit(rng, (0.62, 0.47, 0.3)), 0.08, 60, 0.06)
    return _bg_noise(rng, H, W, _jit(rng, _ch(rng, [(0.1, 0.1, 0.1), (0.2, 0.18, 0.16), (0.12, 0.14, 0.2)])), 0.1)


def _bg_ground(rng, H, W, kind):
    g = _ch(rng, ("grass", "soil", "straw", "mulch", "litter"),
            (0.35, 0.25, 0.25 if kind == "strawberry" else 0.05, 0.15 if kind == "strawberry" else 0.02, 0.15))
    if g == "grass":
        return _bg_blades(rng, H, W, _jit(rng, (0.22, 0.4, 0.12)), [(0.3, 0.55, 0.15), (0.18, 0.35, 0.1), (0.45, 0.55, 0.2)],
                          int(H * W / 250), max(H, W) * 0.06)
    if g == "soil":
        alb = _bg_noise(rng, H, W, _jit(rng, (0.36, 0.26, 0.17)), 0.2, 30, 0.15)
        for _ in range(int(H * W / 900)):
            r = _u(rng, 1, 4)
            c = _jit(rng, (0.5, 0.45, 0.4), 0.2)
            cv2.circle(alb, (int(_u(rng, 0, W) * 8), int(_u(rng, 0, H) * 8)), int(r * 8), tuple(float(q) for q in c), -1,
                       cv2.LINE_8, 3)
        return alb
    if g == "straw":
        return _bg_blades(rng, H, W, _jit(rng, (0.6, 0.5, 0.28)), [(0.85, 0.75, 0.45), (0.7, 0.6, 0.35), (0.5, 0.4, 0.22)],
                          int(H * W / 120), max(H, W) * 0.15, 2)
    if g == "mulch":
        alb = _bg_noise(rng, H, W, (0.07, 0.07, 0.075), 0.3, 40, 0.1)
        yy, xx = _grid(H, W)
        alb += (0.12 * _ss(0.6, 1.0, np.sin(xx * 0.05 + yy * 0.02 + 2 * _fbm(rng, H, W, 60, 2))))[..., None]
        return alb
    return _bg_blades(rng, H, W, _jit(rng, (0.35, 0.27, 0.15)), [(0.55, 0.35, 0.15), (0.4, 0.3, 0.12), (0.6, 0.5, 0.2)],
                      int(H * W / 400), max(H, W) * 0.08, 3)


# ----------------------------------------------------------------------------------------------- props
def _prop_tag(cv, rng, Lt):
    W, H = cv.W, cv.H
    tw, th = _u(rng, 0.2, 0.4) * W, _u(rng, 0.12, 0.22) * H
    x, y = _u(rng, 0, W - tw), _u(rng, 0, H - th)
    if rng.random() < 0.5:
        y = _ch(rng, [_u(rng, -th * 0.3, 0), H - th * _u(rng, 0.7, 1.0)])
    a = _u(rng, -15, 15)
    box = cv2.boxPoints(((x + tw / 2, y + th / 2), (tw, th), a))
    m8 = np.zeros((H, W), np.uint8)
    cv2.fillPoly(m8, [_pts(box)], 255, cv2.LINE_8, 3)
    col = _ch(rng, [(0.95, 0.95, 0.92), (0.95, 0.85, 0.2), (0.1, 0.1, 0.1), (0.95, 0.35, 0.2), (0.3, 0.6, 0.3)])
    _paste_mask(cv, rng, m8, _jit(rng, col, 0.04), Lt, tex=0.02)
    txt = _ch(rng, ["1.99", "2,49", "0.89/kg", "3.50", "$1.29", "EUR 2", "4/$5", "1,20 kg", "99c", "2.99/lb"])
    tc = (0.1, 0.1, 0.1) if sum(col) > 1.2 else (0.95, 0.95, 0.95)
    lum = cv.light[int(min(y + th / 2, H - 1)), int(min(x + tw / 2, W - 1))]
    fs = th / 40.0
    t8 = np.zeros((H, W), np.uint8)
    cv2.putText(t8, txt, (int(x + tw * 0.08), int(y + th * 0.72)), cv2.FONT_HERSHEY_SIMPLEX, fs, 255,
                max(1, int(fs * 2.2)), cv2.LINE_AA)
    ta = t8.astype(F32) * F32(1.0 / 255.0)
    cv.paste(0, 0, np.broadcast_to(_c(tc) * lum, (H, W, 3)), ta)


def _prop_knife(cv, rng, Lt):
    W, H = cv.W, cv.H
    S = min(W, H)
    x, y = _u(rng, 0, W), _u(rng, 0, H)
    a = _u(rng, 0, TAU)
    L = _u(rng, 0.4, 0.9) * S
    bw = L * _u(rng, 0.07, 0.12)
    dx, dy = math.cos(a), math.sin(a)
    px, py = -dy, dx
    blade = [(x, y), (x + dx * L * 0.6, y + dy * L * 0.6), (x + dx * L * 0.55 + px * bw, y + dy * L * 0.55 + py * bw),
             (x + px * bw, y + py * bw)]
    m8 = np.zeros((H, W), np.uint8)
    cv2.fillPoly(m8, [_pts(blade)], 255, cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, (0.72, 0.74, 0.78), Lt, rad=bw * 0.6, ks=1.2, shin=40, tex=0.03)
    m8[:] = 0
    hw = bw * 0.55
    hx0, hy0 = x + px * bw * 0.5, y + py * bw * 0.5
    cv2.line(m8, (int(hx0 * 8), int(hy0 * 8)), (int((hx0 - dx * L * 0.4) * 8), int((hy0 - dy * L * 0.4) * 8)), 255,
             max(2, int(hw * 2)), cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, _ch(rng, [(0.08, 0.08, 0.08), (0.4, 0.25, 0.12), (0.8, 0.15, 0.1), (0.95, 0.95, 0.95)]), Lt,
                rad=hw, ks=0.4, shin=20)


def _prop_plate(cv, rng, Lt, cx, cy, r):
    m8 = np.zeros((cv.H, cv.W), np.uint8)
    ry = r * _u(rng, 0.7, 1.0)
    cv2.ellipse(m8, (int(cx * 8), int(cy * 8)), (int(r * 8), int(ry * 8)), 0, 0, 360, 255, -1, cv2.LINE_8, 3)
    col = _ch(rng, [(0.95, 0.95, 0.94), (0.9, 0.88, 0.82), (0.3, 0.5, 0.7), (0.15, 0.15, 0.15), (0.75, 0.45, 0.3)])
    _paste_mask(cv, rng, m8, col, Lt, rad=r * 0.12, ks=0.5, shin=30, tex=0.02)
    m8[:] = 0
    cv2.ellipse(m8, (int(cx * 8), int(cy * 8)), (int(r * 0.75 * 8), int(ry * 0.75 * 8)), 0, 0, 360, 255, -1, cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, _c(col) * 0.93, Lt, tex=0.02)


def _prop_cloth(cv, rng, Lt):
    W, H = cv.W, cv.H
    tex = _bg_surface(rng, H, W, "cloth")
    pts = [(_u(rng, -0.2, 1.2) * W, _u(rng, -0.2, 1.2) * H) for _ in range(5)]
    hull = cv2.convexHull(np.asarray(pts, np.float32))
    m8 = np.zeros((H, W), np.uint8)
    cv2.fillPoly(m8, [_pts(hull.reshape(-1, 2))], 255, cv2.LINE_8, 3)
    a = m8.astype(F32) / 255.0
    fold = 1.0 + 0.12 * _fbm(rng, H, W, max(H, W) * 0.15, 2)
    cv.paste(0, 0, tex * cv.light * fold[..., None], a)


def _prop_leaf(cv, rng, Lt, x=None, y=None, size=None):
    W, H = cv.W, cv.H
    S = min(W, H)
    x = _u(rng, 0, W) if x is None else x
    y = _u(rng, 0, H) if y is None else y
    L = (size or _u(rng, 0.2, 0.45) * S) * _u(rng, 0.8, 1.2)
    colp = np.zeros((H, W, 3), F32)
    ap = np.zeros((H, W), F32)
    _leaf(rng, colp, ap, (x, y), _u(rng, 0, TAU), L, L * _u(rng, 0.3, 0.6), Lt, None)
    m = ap > 0
    if not m.any():
        return
    ys, xs = np.nonzero(m)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    cv.paste(x0, y0, colp[y0:y1, x0:x1] * cv.g[y0:y1, x0:x1, None], ap[y0:y1, x0:x1])


def _prop_net(cv, rng, Lt, S):
    W, H = cv.W, cv.H
    sp = S * _u(rng, 0.35, 0.75)
    a = _u(rng, 0, math.pi)
    col = _jit(rng, _ch(rng, [(0.9, 0.35, 0.1), (0.85, 0.12, 0.12), (0.95, 0.85, 0.2), (0.95, 0.95, 0.95),
                              (0.2, 0.6, 0.25), (0.55, 0.3, 0.65)]), 0.08)
    m8 = np.zeros((H, W), np.uint8)
    thick = max(1, int(S * _u(rng, 0.03, 0.07)))
    D = (W + H) * 1.5
    for fam in (a + 0.6, a - 0.6):
        dx, dy = math.cos(fam), math.sin(fam)
        px, py = -dy, dx
        n = int(D / sp) + 2
        for k in range(-n // 2, n // 2 + 1):
            cx, cy = W / 2 + px * k * sp, H / 2 + py * k * sp
            pts = []
            for tt in np.linspace(-D / 2, D / 2, 14):
                wob = float(rng.normal(0, sp * 0.06))
                pts.append((cx + dx * tt + px * wob, cy + dy * tt + py * wob))
            cv2.polylines(m8, [_pts(pts)], False, 255, thick, cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, col, Lt, rad=thick * 0.7, ks=0.3, shin=15, tex=0.1)


def _prop_glare(cv, rng, Lt):
    """clear plastic lid / film: translucent bright bands and a rim line (rot stays visible)."""
    W, H = cv.W, cv.H
    for _ in range(int(rng.integers(1, 4))):
        m8 = np.zeros((H, W), np.uint8)
        a = _u(rng, 0, 180)
        box = cv2.boxPoints(((_u(rng, 0, W), _u(rng, 0, H)), (_u(rng, 0.05, 0.25) * W, 2.5 * max(W, H)), a))
        cv2.fillPoly(m8, [_pts(box)], 255, cv2.LINE_8, 3)
        m8 = cv2.blur(m8, (9, 9))
        x, y, w, h = cv2.boundingRect(m8)
        if w == 0:
            continue
        a8 = m8[y:y + h, x:x + w].astype(F32) / 255.0 * F32(_u(rng, 0.15, 0.45))
        col = np.broadcast_to(Lt["key"] * F32(1.1), (h, w, 3))
        cv.paste(x, y, col, a8, keep=True)


def _prop_water(cv, rng, Lt):
    W, H = cv.W, cv.H
    tint = _jit(rng, (0.62, 0.82, 0.85), 0.08)
    n = _fbm(rng, H, W, max(W, H) * 0.08, 2)
    cv.img *= (tint[None, None, :] * (1.0 + 0.05 * n)[..., None])
    rip = np.exp(-(n * F32(1.0 / 0.07)) ** 2) * F32(_u(rng, 0.06, 0.2))
    cv.img += rip[..., None] * Lt["key"]
    for _ in range(int(rng.integers(5, 30))):
        r = _u(rng, 1, 5)
        c = tuple(float(q) for q in Lt["key"] * 0.9)
        cv2.circle(cv.img, (int(_u(rng, 0, W) * 8), int(_u(rng, 0, H) * 8)), int(r * 8), c, 1, cv2.LINE_AA, 3)


def _prop_walls(cv, rng, Lt, S):
    W, H = cv.W, cv.H
    col = _ch(rng, [(0.15, 0.45, 0.2), (0.2, 0.3, 0.65), (0.12, 0.12, 0.12), (0.75, 0.2, 0.15), (0.6, 0.6, 0.6),
                    (0.55, 0.4, 0.25), (0.85, 0.65, 0.2)])
    for _ in range(int(rng.integers(1, 3))):
        side = int(rng.integers(4))
        t = _u(rng, 0.06, 0.2) * S
        m8 = np.zeros((H, W), np.uint8)
        sk = _u(rng, -0.08, 0.08) * S
        if side == 0:
            pts = [(0, 0), (W, 0), (W, t + sk), (0, t - sk)]
        elif side == 1:
            pts = [(0, H), (W, H), (W, H - t + sk), (0, H - t - sk)]
        elif side == 2:
            pts = [(0, 0), (0, H), (t + sk, H), (t - sk, 0)]
        else:
            pts = [(W, 0), (W, H), (W - t + sk, H), (W - t - sk, 0)]
        cv2.fillPoly(m8, [_pts(pts)], 255, cv2.LINE_8, 3)
        _paste_mask(cv, rng, m8, _jit(rng, col), Lt, rad=t * 0.3, ks=0.2, shin=10, tex=0.12)
        if rng.random() < 0.5:   # holes in a plastic crate wall
            hm = np.zeros((H, W), np.uint8)
            x, y, w, h = cv2.boundingRect(m8)
            st = max(6.0, t * 0.8)
            for yy in np.arange(y + st * 0.3, y + h, st):
                for xx in np.arange(x + st * 0.3, x + w, st):
                    cv2.rectangle(hm, (int(xx * 8), int(yy * 8)), (int((xx + st * 0.45) * 8), int((yy + st * 0.3) * 8)),
                                  255, -1, cv2.LINE_8, 3)
            hm &= m8
            cv.img[hm > 0] *= F32(0.3)


def _skin(rng):
    if rng.random() < 0.35:
        return _jit(rng, _ch(rng, [(0.25, 0.45, 0.85), (0.9, 0.92, 0.95), (0.1, 0.1, 0.12), (0.5, 0.4, 0.8),
                                   (0.2, 0.6, 0.35)]), 0.05), 0.5
    return _jit(rng, _ch(rng, [(0.88, 0.68, 0.56), (0.72, 0.5, 0.38), (0.46, 0.31, 0.22), (0.95, 0.78, 0.68),
                               (0.6, 0.42, 0.3)]), 0.05), 0.15


def _hand_pre(cv, rng, Lt, cx, cy, R, hs, ang, skin):
    """palm and arm behind / below the held fruit."""
    W, H = cv.W, cv.H
    dx, dy = math.cos(ang), math.sin(ang)
    m8 = np.zeros((H, W), np.uint8)
    pcx, pcy = cx - dx * R * 0.75, cy - dy * R * 0.75
    cv2.ellipse(m8, (int(pcx * 8), int(pcy * 8)), (int(hs * 0.85 * 8), int(hs * 1.0 * 8)), math.degrees(ang), 0, 360, 255,
                -1, cv2.LINE_8, 3)
    ex, ey = pcx - dx * 4 * max(W, H), pcy - dy * 4 * max(W, H)
    cv2.line(m8, (int(pcx * 8), int(pcy * 8)), (int(ex * 8), int(ey * 8)), 255, int(hs * 1.2), cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, skin[0], Lt, rad=hs * 0.6, ks=skin[1], shin=12, tex=0.05)


def _hand_post(cv, rng, Lt, cx, cy, R, hs, ang, skin):
    """fingers curling round one side of the fruit and the thumb on the other (drawn over the fruit)."""
    W, H = cv.W, cv.H
    dx, dy = math.cos(ang), math.sin(ang)
    px, py = -dy, dx
    fw = hs * _u(rng, 0.3, 0.4)
    m8 = np.zeros((H, W), np.uint8)
    nf = int(rng.integers(2, 5))
    side = 1 if rng.random() < 0.5 else -1
    for k in range(nf):
        # finger root on the palm rim, tip on the fruit's side
        a0 = -0.9 + 0.45 * k
        bx = cx - dx * R * 0.8 + px * side * R * (0.35 + 0.25 * k)
        by = cy - dy * R * 0.8 + py * side * R * (0.35 + 0.25 * k)
        mx = cx + px * side * R * (1.0 - 0.05 * k) + dx * R * (a0 * 0.5)
        my = cy + py * side * R * (1.0 - 0.05 * k) + dy * R * (a0 * 0.5)
        tx = mx - px * side * R * _u(rng, 0.2, 0.45) + dx * R * 0.2
        ty = my - py * side * R * _u(rng, 0.2, 0.45) + dy * R * 0.2
        cv2.polylines(m8, [_pts([(bx, by), (mx, my), (tx, ty)])], False, 255, max(2, int(fw)), cv2.LINE_8, 3)
    bx, by = cx - dx * R * 0.7 - px * side * R * 0.6, cy - dy * R * 0.7 - py * side * R * 0.6
    mx, my = cx - px * side * R * 0.95, cy - py * side * R * 0.95
    tx, ty = mx + px * side * R * 0.25 + dx * R * 0.3, my + py * side * R * 0.25 + dy * R * 0.3
    cv2.polylines(m8, [_pts([(bx, by), (mx, my), (tx, ty)])], False, 255, max(2, int(fw * 1.15)), cv2.LINE_8, 3)
    _paste_mask(cv, rng, m8, skin[0], Lt, rad=fw * 0.5, ks=skin[1], shin=12, tex=0.05)


# ----------------------------------------------------------------------------------------------- scenes
_SCENES = ("rollers", "belt", "cups", "tray", "crate", "net", "stall", "orchard", "table", "studio", "hand", "macro")
_SCENE_W = {
    "apple": (0.12, 0.12, 0.10, 0.08, 0.10, 0.07, 0.11, 0.08, 0.07, 0.04, 0.05, 0.06),
    "banana": (0.0, 0.20, 0.0, 0.12, 0.14, 0.0, 0.16, 0.10, 0.08, 0.05, 0.07, 0.08),
    "orange": (0.12, 0.11, 0.10, 0.08, 0.10, 0.08, 0.11, 0.07, 0.07, 0.04, 0.05, 0.07),
    "strawberry": (0.0, 0.14, 0.0, 0.18, 0.12, 0.0, 0.14, 0.12, 0.09, 0.05, 0.06, 0.10),
}
_GROUP = dict(rollers="industrial", belt="industrial", cups="industrial", tray="industrial", crate="market",
              net="market", stall="market", orchard="outdoor", table="indoor", studio="indoor", hand="indoor",
              macro="indoor")


def _scene_var(rng, kind, rotten):
    sv = {}
    if kind == "apple":
        sv["var"] = _ch(rng, _APPLE_VARS, (0.2, 0.17, 0.25, 0.28, 0.1))
        sv["mixed"] = rng.random() < 0.2
    elif kind == "orange":
        if rng.random() < 0.8:
            sv["var"] = _ch(rng, ("navel", "valencia", "mandarin", "clementine", "greenish", "pale"),
                            (0.25, 0.2, 0.18, 0.2, 0.09, 0.08))
    elif kind == "strawberry":
        if rng.random() < 0.7:
            sv["var"] = _ch(rng, ("std", "dark", "light", "small"))
    else:
        sv["ripe"] = _u(rng, 0.4, 0.95) if not rotten else _u(rng, 0.5, 1.0)
    return sv


def _pile(rng, x0, y0, x1, y1, R, dens=(0.82, 1.0), holes=0.06, maxn=40):
    sp = 2 * R * float(rng.uniform(*dens))
    pos = []
    row = 0
    y = y0 - R * 0.3
    while y < y1 + R * 0.3:
        x = x0 - R * 0.3 + (sp * 0.5 if row % 2 else 0.0) + _u(rng, -0.2, 0.2) * sp
        while x < x1 + R * 0.3:
            if rng.random() >= holes:
                pos.append((x + _u(rng, -0.14, 0.14) * sp, y + _u(rng, -0.14, 0.14) * sp, R * _u(rng, 0.86, 1.14)))
            x += sp
        y += sp * 0.866
        row += 1
    if len(pos) > maxn:
        keep = np.sort(rng.choice(len(pos), maxn, replace=False))
        pos = [pos[k] for k in keep]
    order = np.argsort([p[1] + _u(rng, -R, R) for p in pos])
    return [pos[k] for k in order]


def _fruits_at(rng, kind, pos, sv, rand_ang=0.7):
    fr = []
    for (x, y, R) in pos:
        if kind == "banana":
            fr += _mk_hand(rng, x, y, R, _u(rng, 0, TAU), sv)
        else:
            ang = _u(rng, 0, TAU) if rng.random() < rand_ang else None
            fr.append(_mk_round(rng, kind, x, y, R, ang, sv))
    return fr


def _scatter(rng, W, H, R, n, margin=0.0, min_d=1.8):
    pos = []
    for _ in range(n * 12):
        if len(pos) >= n:
            break
        x, y = _u(rng, -margin, W + margin), _u(rng, -margin, H + margin)
        if all((x - p[0]) ** 2 + (y - p[1]) ** 2 > (min_d * R) ** 2 for p in pos):
            pos.append((x, y, R * _u(rng, 0.88, 1.12)))
    pos.sort(key=lambda p: p[1])
    return pos


def _scene(rng, cv, kind, rotten):
    W, H = cv.W, cv.H
    S = min(W, H)
    scene = _ch(rng, _SCENES, _SCENE_W[kind])
    Lt = _light(rng, _GROUP[scene])
    _lightmap(rng, cv, Lt)
    sv = _scene_var(rng, kind, rotten)
    info = dict(scene=scene, moving=0.0, mdir=_u(rng, 0, math.pi), dof=False)
    pre, post = [], []
    fr = []
    bana = kind == "banana"
    yy, xx = _grid(H, W)
    if scene == "rollers":
        R = _u(rng, 0.07, 0.16) * S
        horiz = rng.random() < 0.6
        P = 2 * R * _u(rng, 0.95, 1.25)
        off = _u(rng, 0, P)
        rc = _jit(rng, _ch(rng, [(0.85, 0.85, 0.82), (0.2, 0.35, 0.65), (0.12, 0.12, 0.13), (0.6, 0.62, 0.65),
                                 (0.85, 0.45, 0.1), (0.25, 0.5, 0.3)]))
        c = (yy + 0 * xx) if horiz else (xx + 0 * yy)
        o = (xx + 0 * yy) if horiz else (yy + 0 * xx)
        t = ((c + F32(off)) / F32(P)) % 1.0
        gap = _u(rng, 0.05, 0.16)
        pr = np.clip((t - gap / 2) / (1 - gap), 0, 1)
        body = np.maximum(np.sin(pr * F32(math.pi)), 0.0)
        shd = 0.25 + 0.75 * body ** 0.7 + _u(rng, 0.2, 0.8) * np.exp(-((pr - 0.3) / 0.06) ** 2)
        shd = np.where((pr <= 0) | (pr >= 1), F32(0.05), shd)
        if rng.random() < 0.6:
            spool = _u(rng, 0.6, 1.6) * R
            shd = shd * (0.82 + 0.18 * np.abs(np.cos(o * F32(math.pi / spool))))
        bg = rc[None, None, :] * shd[..., None] * (1.0 + 0.06 * _fbm(rng, H, W, 30, 2))[..., None]
        pos = []
        for k in range(-1, int(S * 2 / P) + 3):
            vc = k * P - off + R * _u(rng, -0.08, 0.08)
            along = _u(rng, -R, 2 * R)
            lim = W if horiz else H
            while along < lim + R:
                if rng.random() > 0.12:
                    pos.append((along, vc) if horiz else (vc, along))
                along += 2 * R * _u(rng, 1.02, 1.7)
        pos = [(x, y, R * _u(rng, 0.9, 1.1)) for x, y in pos if -R < x < W + R and -R < y < H + R]
        pos.sort(key=lambda p: p[1])
        fr = _fruits_at(rng, kind, pos, sv, 0.85)
        info.update(moving=_u(rng, 0.3, 1.0), mdir=(math.pi / 2 if horiz else 0.0))
    elif scene == "belt":
        R = _u(rng, 0.07, 0.17) * S
        bc = _jit(rng, _ch(rng, [(0.15, 0.15, 0.16), (0.06, 0.06, 0.07), (0.2, 0.38, 0.26), (0.22, 0.38, 0.6),
                                 (0.86, 0.87, 0.88), (0.55, 0.7, 0.8), (0.6, 0.5, 0.35)]))
        along_x = rng.random() < 0.5
        ani = _fbm(rng, H, W, 1.5, 2, cellx=40) if along_x else _fbm(rng, H, W, 40, 2, cellx=1.5)
        tex = 1.0 + 0.05 * _fbm(rng, H, W, S * 0.3, 2) + 0.05 * ani
        bg = bc[None, None, :] * tex[..., None]
        if rng.random() < 0.35:   # modular plastic belt
            m = _u(rng, 6, 16)
            cc = (yy + 0 * xx) if along_x else (xx + 0 * yy)
            oo = (xx + 0 * yy) if along_x else (yy + 0 * xx)
            brick = ((cc % F32(m)) < 1.2) | (((oo + (cc // F32(m)) % 2 * F32(m * 1.5)) % F32(m * 3)) < 1.2)
            bg[brick] *= F32(0.45)
        st = _fbm(rng, H, W, S * 0.12, 3)
        sm = _ss(1.2, 2.2, st) * F32(_u(rng, 0.1, 0.35) if rng.random() < 0.5 else 0.0)
        bg = _lerp(bg, bg * _c((0.6, 0.55, 0.45)), sm)
        n = int(rng.integers(1, 13)) if not bana else int(rng.integers(1, 5))
        if rng.random() < 0.4 and not bana:
            lanes = int(rng.integers(1, 4))
            pos = []
            for li in range(lanes):
                cc = (li + 0.5) / lanes * (H if along_x else W) + _u(rng, -0.1, 0.1) * S
                a = _u(rng, -R, R)
                while a < (W if along_x else H) + R:
                    pos.append(((a, cc) if along_x else (cc, a)) + (R * _u(rng, 0.9, 1.1),))
                    a += 2 * R * _u(rng, 1.1, 2.5)
            pos.sort(key=lambda p: p[1])
        else:
            pos = _scatter(rng, W, H, R if not bana else R * 2.2, n, R * 0.5 if not bana else -0.12 * S)
            if bana:
                pos = [(x, y, r / 2.2) for x, y, r in pos]
        fr = _fruits_at(rng, kind, pos, sv, 0.85)
        if rng.random() < 0.6:   # side rails
            for _ in range(int(rng.integers(1, 3))):
                tr = _u(rng, 0.06, 0.16) * S
                m8 = np.zeros((H, W), np.uint8)
                p = _u(rng, -0.05, 0.95) * S
                if along_x:
                    cv2.rectangle(m8, (0, int(p * 8)), (W * 8, int((p + tr) * 8)), 255, -1, cv2.LINE_8, 3)
                else:
                    cv2.rectangle(m8, (int(p * 8), 0), (int((p + tr) * 8), H * 8), 255, -1, cv2.LINE_8, 3)
                post.append(lambda cv_, r_, L_, m8=m8, tr=tr: _paste_mask(cv_, r_, m8, (0.7, 0.72, 0.75), L_, rad=tr * 0.4,
                                                                          ks=0.8, shin=25, tex=0.08))
        if bana and rng.random() < 0.35:
            post.append(lambda cv_, r_, L_: _prop_water(cv_, r_, L_))
        info.update(moving=_u(rng, 0.3, 1.0), mdir=(0.0 if along_x else math.pi / 2))
    elif scene == "cups":
        R = _u(rng, 0.08, 0.16) * S
        pitch = 2 * R * _u(rng, 1.25, 1.6)
        bg = _bg_noise(rng, H, W, _jit(rng, (0.14, 0.14, 0.15)), 0.2, 30, 0.05)
        cc = _jit(rng, _ch(rng, [(0.92, 0.92, 0.9), (0.8, 0.15, 0.12), (0.2, 0.35, 0.75), (0.12, 0.12, 0.12),
                                 (0.95, 0.8, 0.2), (0.3, 0.6, 0.35)]))
        ox, oy = _u(rng, 0, pitch), _u(rng, 0, pitch)
        pos = []
        rcup = R * _u(rng, 1.1, 1.3)
        for y in np.arange(-oy, H + pitch, pitch):
            for x in np.arange(-ox, W + pitch, pitch):
                cv2.circle(bg, (int(x * 8), int(y * 8)), int(rcup * 8), tuple(float(q) for q in cc * 1.05), -1, cv2.LINE_8, 3)
                cv2.circle(bg, (int((x + rcup * 0.08) * 8), int((y + rcup * 0.08) * 8)), int(rcup * 0.82 * 8),
                           tuple(float(q) for q in cc * 0.6), -1, cv2.LINE_8, 3)
                if rng.random() > 0.12:
                    pos.append((x + _u(rng, -0.1, 0.1) * R, y + _u(rng, -0.1, 0.1) * R, R * _u(rng, 0.85, 1.05)))
        fr = _fruits_at(rng, kind, pos, sv, 0.85)
        info.update(moving=_u(rng, 0.2, 1.0), mdir=_ch(rng, [0.0, math.pi / 2]))
    elif scene == "tray":
        if bana:
            R = _u(rng, 0.08, 0.16) * S
            bg = _bg_noise(rng, H, W, _jit(rng, (0.62, 0.47, 0.3)), 0.08, 60, 0.06)
            liner = _jit(rng, (0.35, 0.55, 0.85), 0.1)
            fold = _fbm(rng, H, W, S * 0.2, 3)
            lm = (fold * 0 + 1.0) * (_fbm(rng, H, W, S * 0.5, 1) > -0.8)
            bg = _lerp(bg, liner[None, None, :] * (0.85 + 0.2 * fold)[..., None], lm.astype(F32) * 0.9)
            pos = _scatter(rng, W, H, R * 2.0, int(rng.integers(2, 6)), -0.1 * S)
            pos = [(x, y, r / 2.0) for x, y, r in pos]
            fr = _fruits_at(rng, kind, pos, sv)
        elif kind == "strawberry" and rng.random() < 0.7:
            R = _u(rng, 0.08, 0.18) * S
            bg = _bg_noise(rng, H, W, _jit(rng, _ch(rng, [(0.9, 0.9, 0.92), (0.2, 0.5, 0.3), (0.1, 0.1, 0.1)])), 0.1, 30, 0.03)
            pos = _pile(rng, 0, 0, W, H, R, (0.72, 0.95), 0.04)
            fr = []
            for x, y, r in pos:
                fr.append(_mk_round(rng, kind, x, y, r, _u(rng, 0, TAU), sv, view=_ch(rng, ("side", "top", "tip"), (0.8, 0.16, 0.04))))
            if rng.random() < 0.7:
                post.append(lambda cv_, r_, L_: _prop_glare(cv_, r_, L_))
        else:
            R = _u(rng, 0.08, 0.17) * S
            pitch = 2 * R * _u(rng, 1.05, 1.3)
            tc = _jit(rng, _ch(rng, [(0.75, 0.72, 0.65), (0.55, 0.7, 0.55), (0.45, 0.55, 0.78), (0.15, 0.15, 0.15),
                                     (0.82, 0.62, 0.7), (0.85, 0.8, 0.7)]))
            bg = _bg_noise(rng, H, W, tc, 0.08, 40, 0.08)
            ld = Lt["dir"]
            l2 = math.hypot(float(ld[0]), float(ld[1])) + 1e-6
            lx, ly = float(ld[0]) / l2, float(ld[1]) / l2
            ox, oy = _u(rng, 0, pitch), _u(rng, 0, pitch)
            pos = []
            rp = R * 1.08
            for j, y in enumerate(np.arange(-oy, H + pitch, pitch * 0.88)):
                for x in np.arange(-ox + (pitch / 2 if j % 2 else 0), W + pitch, pitch):
                    x0_, y0_ = int(max(0, x - rp)), int(max(0, y - rp))
                    x1_, y1_ = int(min(W, x + rp + 1)), int(min(H, y + rp + 1))
                    if x1_ > x0_ and y1_ > y0_:
                        dxp = xx[:, x0_:x1_] - F32(x)
                        dyp = yy[y0_:y1_] - F32(y)
                        d = np.sqrt(dxp * dxp + dyp * dyp) / F32(rp)
                        sh = 1.0 + 0.35 * (dxp * F32(lx) + dyp * F32(ly)) / F32(rp)
                        sh = np.where(d < 1, sh, 1.0) * (1.0 + 0.2 * _ss(0.9, 1.0, d) * (d < 1.15))
                        bg[y0_:y1_, x0_:x1_] *= sh[..., None]
                    if rng.random() > 0.1:
                        pos.append((x + _u(rng, -0.06, 0.06) * R, y + _u(rng, -0.06, 0.06) * R, R * _u(rng, 0.88, 1.02)))
            fr = _fruits_at(rng, kind, pos, sv, 0.8)
        info.update(moving=_u(rng, 0.0, 0.6))
    elif scene in ("crate", "net", "stall"):
        R = _u(rng, 0.105, 0.2) * S
        if scene == "stall" and rng.random() < 0.5:
            bg = _bg_blades(rng, H, W, _jit(rng, (0.15, 0.45, 0.15)), [(0.3, 0.65, 0.25), (0.2, 0.5, 0.15)],
                            int(H * W / 200), S * 0.05)
        elif scene == "crate" and rng.random() < 0.5:
            bg = _bg_wood(rng, H, W)
        else:
            bg = _bg_surface(rng, H, W, _ch(rng, ("dark", "cardboard", "cloth", "wood")))
        if bana:
            pos = _pile(rng, 0, 0, W, H, R * 2.0, (0.75, 1.0), 0.1, 7)
            pos = [(x, y, r / 2.0) for x, y, r in pos]
            fr = _fruits_at(rng, kind, pos, sv)
        else:
            pos = _pile(rng, 0, 0, W, H, R, (0.8, 1.0), 0.07)
            fr = _fruits_at(rng, kind, pos, sv, 0.8)
        if scene == "net" or (scene == "stall" and rng.random() < 0.15 and kind in ("apple", "orange")):
            post.append(lambda cv_, r_, L_, R=R: _prop_net(cv_, r_, L_, R))
        if scene == "crate" and rng.random() < 0.75:
            post.append(lambda cv_, r_, L_: _prop_walls(cv_, r_, L_, S))
        if scene == "stall":
            if rng.random() < 0.5:
                post.append(lambda cv_, r_, L_: _prop_walls(cv_, r_, L_, S))
            if rng.random() < 0.55:
                post.append(lambda cv_, r_, L_: _prop_tag(cv_, r_, L_))
            if rng.random() < 0.3:
                post.append(lambda cv_, r_, L_: _prop_glare(cv_, r_, L_))
    elif scene == "orchard":
        bg = _bg_ground(rng, H, W, kind)
        mode = rng.random()
        if mode < 0.45:
            R = _u(rng, 0.1, 0.25) * S
            n = int(rng.integers(1, 6))
            pos = _scatter(rng, W, H, R if not bana else R * 2.2, n, 0.0 if not bana else -0.12 * S)
            if bana:
                pos = [(x, y, r / 2.2) for x, y, r in pos]
            fr = _fruits_at(rng, kind, pos, sv, 0.9)
        else:
            R = _u(rng, 0.095, 0.18) * S
            if bana:
                pos = _pile(rng, 0, 0, W, H, R * 2.0, (0.75, 1.0), 0.1, 7)
                pos = [(x, y, r / 2.0) for x, y, r in pos]
                fr = _fruits_at(rng, kind, pos, sv)
            else:
                pos = _pile(rng, 0, 0, W, H, R, (0.8, 1.0), 0.1)
                fr = _fruits_at(rng, kind, pos, sv, 0.8)
            post.append(lambda cv_, r_, L_: _prop_walls(cv_, r_, L_, S))
        for _ in range(int(rng.integers(0, 5))):
            pre.append(lambda cv_, r_, L_: _prop_leaf(cv_, r_, L_))
        if rng.random() < 0.25:   # oblique: blurred foliage / sky band at the top
            band = _u(rng, 0.1, 0.35) * H
            sky = _jit(rng, _ch(rng, [(0.2, 0.4, 0.15), (0.6, 0.75, 0.95), (0.3, 0.45, 0.2)]))
            m = _ss(band, band * 0.7, yy + 0 * xx + 8 * _fbm(rng, H, W, 20, 2))
            bg = _lerp(bg, sky[None, None, :] * (1.0 + 0.2 * _fbm(rng, H, W, 15, 2))[..., None], m)
    elif scene in ("table", "studio"):
        if scene == "studio":
            c = _jit(rng, _ch(rng, [(0.95, 0.95, 0.95), (0.85, 0.85, 0.86), (0.08, 0.08, 0.08), (0.55, 0.55, 0.55),
                                    (0.75, 0.82, 0.9), (0.95, 0.9, 0.8)]), 0.04)
            bg = c[None, None, :] * (1.0 - _u(rng, 0.0, 0.3) * (yy / H) + 0 * xx)[..., None]
        else:
            bg = _bg_surface(rng, H, W)
        R = _u(rng, 0.15, 0.36) * S
        n = 1 if rng.random() < 0.55 else int(rng.integers(2, 5))
        if n > 1:
            R *= 0.8
        pos = _scatter(rng, W, H, R if not bana else R * 2.0, n, (-R * 0.3 if n == 1 else R * 0.2) if not bana else -0.12 * S, 1.6)
        if n == 1:
            pos = [(W / 2 + _u(rng, -0.2, 0.2) * W, H / 2 + _u(rng, -0.2, 0.2) * H, R)]
        if bana:
            pos = [(x, y, r / 2.0) for x, y, r in pos]
            fr = _fruits_at(rng, kind, pos, sv)
        else:
            fr = _fruits_at(rng, kind, pos, sv, 0.25)
        if scene == "table":
            if rng.random() < 0.25:
                pre.append(lambda cv_, r_, L_: _prop_cloth(cv_, r_, L_))
            if rng.random() < 0.25 and not bana and pos:
                x, y, r = pos[0]
                pre.append(lambda cv_, r_, L_, x=x, y=y, r=r: _prop_plate(cv_, r_, L_, x, y, r * _u(r_, 1.8, 2.6)))
            if rng.random() < 0.3:
                pre.append(lambda cv_, r_, L_: _prop_knife(cv_, r_, L_))
            if rng.random() < 0.2:
                pre.append(lambda cv_, r_, L_: _prop_leaf(cv_, r_, L_))
    elif scene == "hand":
        if rng.random() < 0.5:
            bg = _bg_surface(rng, H, W)
        else:
            bg = _bg_ground(rng, H, W, kind)
        bg = cv2.GaussianBlur(bg, (0, 0), _u(rng, 1.0, 4.0))
        R = _u(rng, 0.17, 0.33) * S
        cx, cy = W / 2 + _u(rng, -0.15, 0.15) * W, H / 2 + _u(rng, -0.15, 0.15) * H
        ang = -math.pi / 2 + float(rng.normal(0, 0.5))
        skin = _skin(rng)
        if bana:
            grp = _mk_hand(rng, cx, cy, R * 0.8, _u(rng, 0, TAU), sv)
            fr = grp
            b0 = grp[0]
            hx, hy = b0["x"] + math.cos(b0["dir"]) * b0["L"] * 0.15, b0["y"] + math.sin(b0["dir"]) * b0["L"] * 0.15
            hs = R * 0.75
            pre.append(lambda cv_, r_, L_: _hand_pre(cv_, r_, L_, hx, hy, R * 0.5, hs, ang, skin))
            post.append(lambda cv_, r_, L_: _hand_post(cv_, r_, L_, hx, hy, R * 0.45, hs, ang, skin))
        else:
            hsc = R * (1.0 if kind != "strawberry" else 1.6)
            fr = [_mk_round(rng, kind, cx, cy, R, None, sv)]
            pre.append(lambda cv_, r_, L_: _hand_pre(cv_, r_, L_, cx, cy, R, hsc, ang, skin))
            post.append(lambda cv_, r_, L_: _hand_post(cv_, r_, L_, cx, cy, R, hsc, ang, skin))
    else:  # macro
        bg = _bg_surface(rng, H, W)
        bg = cv2.GaussianBlur(bg, (0, 0), _u(rng, 2.0, 6.0))
        ax, ay = W / 2 + _u(rng, -0.15, 0.15) * W, H / 2 + _u(rng, -0.15, 0.15) * H
        if bana:
            U = _u(rng, 0.4, 1.0) * S
            grp = _mk_hand(rng, ax, ay, U, _u(rng, 0, TAU), sv, n=1)
            fr = grp
        else:
            R = _u(rng, 0.42, 0.85) * S
            a = _u(rng, 0, TAU)
            dd = R * _u(rng, 0.2, 0.75)
            fr = [_mk_round(rng, kind, ax + dd * math.cos(a), ay + dd * math.sin(a), R, None, sv)]
        for f in fr:
            f["rot_at"] = (ax, ay)
            f["sticker"] = False
        info["dof"] = True
    cv.img = (bg * cv.light * F32(Lt["bgboost"])).astype(F32)
    return fr, pre, post, Lt, info


def _area_out(f):
    if f["kind"] == "banana":
        return 1.4 * f["W"] * f["L"] / SS ** 2
    return math.pi * f["R"] ** 2 / SS ** 2


def _assign_rot(rng, fr, kind, W, H, info):
    cand = [k for k, f in enumerate(fr) if f["kind"] == kind and
            0.08 * W < (f["x"] if kind == "banana" else f["cx"]) < 0.92 * W and
            0.08 * H < (f["y"] if kind == "banana" else f["cy"]) < 0.92 * H]
    if kind == "banana":
        cand = [k for k in cand] or [k for k, f in enumerate(fr) if f["kind"] == "banana"]
    if not cand:
        cand = [k for k, f in enumerate(fr) if f["kind"] == kind]
    if not cand:
        return
    r = rng.random()
    nall = len(cand)
    if r < 0.45 or nall == 1:
        pick = [cand[int(rng.integers(nall))]]
        if nall > 1 and rng.random() < 0.8:      # prefer a front (late drawn) fruit
            pick = [cand[int(rng.integers(nall // 2, nall))]]
    elif r < 0.8:
        pick = list(rng.choice(cand, max(1, int(nall * _u(rng, 0.15, 0.6))), replace=False))
    else:
        pick = [k for k, f in enumerate(fr) if f["kind"] == kind]
    for k in pick:
        f = fr[k]
        f["rot"] = _rot_spec(rng, kind, _area_out(f))
        for r_ in f["rot"]:
            if r_["type"] == "shrivel":
                f["shrivel"] = r_["sev"]
                if "depth" in f:
                    f["depth"] *= 0.85


# ----------------------------------------------------------------------------------------------- camera
def _motion_kernel(length, ang):
    k = int(math.ceil(length)) | 1
    ker = np.zeros((k, k), np.float32)
    c = k // 2
    dx, dy = math.cos(ang) * length / 2, math.sin(ang) * length / 2
    cv2.line(ker, (int((c - dx) * 8), int((c - dy) * 8)), (int((c + dx) * 8), int((c + dy) * 8)), 1.0, 1, cv2.LINE_AA, 3)
    s = ker.sum()
    if s <= 0:
        ker[c, c] = 1.0
        s = 1.0
    return ker / s


def _camera(rng, cv, Lt, info, W, H, fragile):
    img = cv2.resize(cv.img, (W, H), interpolation=cv2.INTER_AREA)
    if Lt["sodium"] > 0:
        lum = img @ _c((0.3, 0.59, 0.11))
        mono = lum[..., None] * _c((1.0, 0.74, 0.3)) * F32(1.25)
        img = img + (mono - img) * F32(Lt["sodium"])
    # optics
    r = rng.random()
    if info.get("dof"):
        bl = cv2.GaussianBlur(img, (0, 0), _u(rng, 0.8, 2.0))
        yy, xx = _grid(H, W)
        d = np.sqrt(((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2)
        m = _ss(_u(rng, 0.25, 0.4), _u(rng, 0.6, 0.9), d)
        img = _lerp(img, bl, m)
    elif r < 0.22:
        img = cv2.GaussianBlur(img, (0, 0), _u(rng, 0.4, 0.8 if fragile else 1.6))
    elif r < 0.28 and not fragile:
        rad = _u(rng, 1.2, 2.5)
        k = int(math.ceil(rad)) * 2 + 1
        ker = np.zeros((k, k), np.float32)
        cv2.circle(ker, (k // 2 * 8 + 4, k // 2 * 8 + 4), int(rad * 8), 1.0, -1, cv2.LINE_AA, 3)
        img = cv2.filter2D(img, -1, ker / ker.sum(), borderType=cv2.BORDER_REFLECT)
    pm = 0.0 if info.get("dof") else 0.12 + 0.35 * info["moving"]
    if rng.random() < pm:
        ln = _u(rng, 1.5, 3.0 if fragile else 10.0)
        ang = info["mdir"] + float(rng.normal(0, 0.15)) if info["moving"] > 0 else _u(rng, 0, math.pi)
        img = cv2.filter2D(img, -1, _motion_kernel(ln, ang), borderType=cv2.BORDER_REFLECT)
    if info["moving"] > 0 and rng.random() < 0.35 * info["moving"]:     # rolling shutter skew / wobble
        sk = _u(rng, -0.18, 0.18)
        wob = _u(rng, 0, 1.5)
        fq = _u(rng, 0.02, 0.12)
        yy = np.arange(H, dtype=F32)[:, None]
        mx = np.arange(W, dtype=F32)[None, :] + sk * (yy - H / 2) + F32(wob) * np.sin(yy * F32(fq * TAU))
        my = yy + 0 * mx
        if rng.random() < 0.5:
            mx, my = my.T.copy() if H == W else mx, mx.T.copy() if H == W else my
        img = cv2.remap(img, mx.astype(F32), my.astype(F32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    # exposure / sensor
    lmap = img @ _c((0.3, 0.59, 0.11))
    fm = cv2.resize(cv.fruit, (W, H), interpolation=cv2.INTER_AREA)
    wf = _u(rng, 0.2, 0.8)       # metering: frame average mixed with the subject
    lum = (1 - wf) * float(lmap.mean()) + wf * float((lmap * fm).sum() / (fm.sum() + 1e-3))
    target = _u(rng, 0.3, 0.5)
    gain = float(np.clip(target / max(lum, 1e-3), 0.35, 8.0)) * _u(rng, 0.85, 1.15)
    p98 = float(np.percentile(lmap[::2, ::2], 98)) * gain
    if p98 > 1.25 and rng.random() < 0.7:     # highlight protection
        gain *= (1.25 / p98) ** 0.6
    if Lt["low"] and not fragile:
        flum = float((lmap * fm).sum() / (fm.sum() + 1e-3))
        gain = max(gain * _u(rng, 0.5, 0.9), 0.2 / max(flum, 1e-3))   # AE ran out of gain: dark and noisy
    img = img * F32(gain)
    nph = Lt["photons"] / max(gain, 0.3)
    if fragile:
        nph = max(nph, 150.0)
    sd = np.sqrt(np.clip(img, 0, None) / F32(nph) + F32((0.004 * gain) ** 2))
    nse = rng.standard_normal((H, W, 3), dtype=F32)
    if rng.random() < 0.5:
        nse = 0.6 * nse + 0.4 * rng.standard_normal((H, W, 1), dtype=F32)
    img = img + sd * nse
    if rng.random() < 0.3 or (Lt["low"] and rng.random() < 0.5):      # chroma blotches
        cb = cv2.resize(rng.standard_normal((H // 4 + 1, W // 4 + 1, 3), dtype=F32), (W, H), interpolation=cv2.INTER_LINEAR)
        img = img + cb * sd.mean() * F32(0.8)
    if rng.random() < 0.3 or (Lt["low"] and rng.random() < 0.6):      # in-camera noise reduction
        img = cv2.bilateralFilter(np.clip(img, 0, 1.5).astype(F32), 5, 0.1, 3)
    # ISP: white balance, colour, tone
    key = Lt["key"] / float(Lt["key"][1])
    corr = _u(rng, 0.0, 0.8) if Lt["name"] != "sodium" else _u(rng, 0.0, 0.35)
    wb = np.power(key, -corr).astype(F32) * (1.0 + rng.uniform(-0.08, 0.08, 3)).astype(F32)
    img = img * wb
    sat = _u(rng, 0.85, 1.35)
    lum = img @ _c((0.3, 0.59, 0.11))
    img = lum[..., None] + (img - lum[..., None]) * F32(sat)
    img = np.clip(img, 0.0, None)
    gam = _u(rng, 0.85, 1.15)
    img = np.power(img / (1.0 + img * F32(_u(rng, 0.0, 0.25))), F32(gam)) * F32(1.0 + _u(rng, 0.0, 0.2))
    if rng.random() < 0.5:
        yy, xx = _grid(H, W)
        d2 = ((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2
        img = img * (1.0 - _u(rng, 0.1, 0.6) * d2 * 2)[..., None]
    if rng.random() < 0.4:
        bl = cv2.GaussianBlur(img, (0, 0), _u(rng, 0.8, 1.5))
        img = img + (img - bl) * F32(_u(rng, 0.3, 1.2))
    if rng.random() < 0.12:
        M = np.float32([[1, 0, _u(rng, -0.8, 0.8)], [0, 1, _u(rng, -0.8, 0.8)]])
        img[..., 0] = cv2.warpAffine(np.ascontiguousarray(img[..., 0]), M, (W, H), borderMode=cv2.BORDER_REFLECT)
    if rng.random() < 0.08:
        f = _u(rng, 0.4, 0.7)
        sm = cv2.resize(img, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        img = cv2.resize(sm, (W, H), interpolation=cv2.INTER_LINEAR)
    bgr = np.clip(img[..., ::-1] * 255.0 + 0.5, 0, 255).astype(np.uint8)
    r = rng.random()
    if r < 0.12:
        q = int(rng.integers(18, 35))
    elif r < 0.4:
        q = int(rng.integers(30, 60))
    else:
        q = int(rng.integers(60, 96))
    if fragile:
        q = max(q, 40)
    if rng.random() < 0.2:
        q1 = int(rng.integers(30 if not fragile else 55, 90))
        ok, enc = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, q1])
        bgr = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    ok, enc = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, q])
    return enc.tobytes()


# ----------------------------------------------------------------------------------------------- example
def _example(rng, W, H, kind, rotten, return_debug=False):
    Wc, Hc = int(round(W * SS)), int(round(H * SS))
    best = None
    for attempt in range(8):
        cv = _Canvas(Wc, Hc)
        fr, pre, post, Lt, info = _scene(rng, cv, kind, rotten)
        if rotten:
            _assign_rot(rng, fr, kind, Wc, Hc, info)
        for p in pre:
            p(cv, rng, Lt)
        for f in fr:
            _render(cv, rng, f, Lt)
        for p in post:
            p(cv, rng, Lt)
        rot_px = float((cv.rot > 0.5).sum()) / SS ** 2
        fruit_px = float((cv.fruit > 0.5).sum()) / SS ** 2
        ok = fruit_px >= 0.05 * W * H
        if rotten:
            ok = ok and rot_px >= 180.0
        score = min(fruit_px / (0.05 * W * H), 1.0) + (min(rot_px / 180.0, 1.0) if rotten else 0.0)
        if best is None or score > best[0]:
            best = (score, cv, Lt, info, rot_px, fruit_px)
        if ok:
            break
    _, cv, Lt, info, rot_px, fruit_px = best
    fragile = rotten and rot_px < 450
    data = _camera(rng, cv, Lt, info, W, H, fragile)
    if return_debug:
        return data, dict(scene=info["scene"], light=Lt["name"], low=Lt["low"], rot_px=rot_px, fruit_px=fruit_px,
                          attempts=attempt + 1)
    return data


def generate(out: pathlib.Path, count: int, seed: int, size=(128, 128)) -> None:
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    for fd in FOLDERS:
        (out / fd).mkdir(parents=True, exist_ok=True)
    for i in range(int(count)):
        folder = FOLDERS[i % len(FOLDERS)]
        rotten = folder.startswith("rotten")
        kind = folder[6:] if rotten else folder[5:]
        rng = np.random.default_rng([int(seed), i])
        data = _example(rng, W, H, kind, rotten)
        (out / folder / f"{NAME}_s{int(seed)}_{i:06d}.jpg").write_bytes(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--count", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="128x128", help="WxH")
    a = ap.parse_args()
    W, H = (int(x) for x in a.size.lower().split("x"))
    generate(a.out, a.count, a.seed, (W, H))


if __name__ == "__main__":
    main()
