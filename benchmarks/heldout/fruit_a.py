#!/usr/bin/env python3
"""fruit_a -- procedural phone photos of fresh and rotten fruit (held-out test generator).

Draws apples, bananas, oranges and strawberries the way a shopper or a market seller would
photograph them: on wooden tables and market crates, in bowls and on plates, in supermarket
trays under cling film, held in a hand, on cloth, paper or straw; under window light, sun,
shade, shop fluorescents, tungsten lamps or a phone flash; then passes the picture through a
small phone "camera" (white balance, exposure, blur, noise, JPEG).

Everything is drawn here with numpy + OpenCV at 1.5x the output resolution (up to 320 px
outputs) and downsampled.  Labels are the drawing's own: in a ``rotten*`` photo the most
prominent fruit (and maybe others) is drawn with mould, decay, collapse, wrinkling, leaking
juice or blackening, and the photo is only kept when that rot is actually visible in the
final frame (not hidden by a hand, a bowl rim, a crate board, another fruit or the frame edge);
in a ``fresh*`` photo no fruit is drawn with any of these.  Either way the fruit must cover at
least 3 % of the frame.  No fruit of another of the four kinds is ever drawn.

    python fruit_a.py OUT --count 400 --seed 0 --size 128x128
"""
from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import cv2

LABELS = [("fresh", "apple"), ("fresh", "banana"), ("fresh", "orange"), ("fresh", "strawberry"),
          ("rotten", "apple"), ("rotten", "banana"), ("rotten", "orange"), ("rotten", "strawberry")]
SS = 1.5                    # supersampling factor
PI = math.pi
F32 = np.float32


# ----------------------------------------------------------------------------- small helpers
def U(rng, a, b):
    return float(rng.uniform(a, b))


def pick(rng, items, w=None):
    if w is None:
        return items[int(rng.integers(len(items)))]
    w = np.asarray(w, float)
    return items[int(rng.choice(len(items), p=w / w.sum()))]


def C(*c):
    return np.array(c, F32)


def jit(rng, c, amt=0.06):
    c = np.asarray(c, F32)
    return np.clip(c * (1.0 + rng.uniform(-amt, amt, 3)).astype(F32), 0.0, 1.0).astype(F32)


def sstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def adiff(a, b):
    return (a - b + PI) % (2 * PI) - PI


def mix(a, b, t):
    return a + (b - a) * t[..., None]


def norm01(a):
    lo, hi = float(a.min()), float(a.max())
    return (a - lo) / (hi - lo + 1e-6)


def grid(x0, y0, w, h):
    xs = np.arange(w, dtype=F32) + F32(x0 + 0.5)
    ys = np.arange(h, dtype=F32) + F32(y0 + 0.5)
    return np.meshgrid(xs, ys)


def noise(rng, h, w, cell, octaves=1, persist=0.5, ax=1.0, ay=1.0):
    """Fractal value noise, roughly in [0, 1]; ax/ay > 1 stretch it along x / y."""
    out = np.zeros((h, w), F32)
    amp, tot, c = 1.0, 0.0, float(max(cell, 0.6))
    for _ in range(octaves):
        gw = max(2, int(w / (c * ax)) + 3)
        gh = max(2, int(h / (c * ay)) + 3)
        g = rng.random((gh, gw), dtype=F32)
        out += F32(amp) * cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
        tot += amp
        amp *= persist
        c *= 0.5
        if c < 0.6:
            break
    return out / F32(tot)


def lobes(rng, ang, irr, kmax=6):
    f = np.ones_like(ang)
    for k in range(2, kmax + 1):
        f = f + F32(irr / k ** 0.8 * rng.uniform(-1, 1)) * np.cos(k * ang + F32(rng.uniform(0, 2 * PI)))
    return np.maximum(f, 0.3)


def ipt(x, y):
    """Point for OpenCV drawing with 4 bits of sub-pixel precision."""
    return (int(round(x * 16)), int(round(y * 16)))


def tcol(c):
    return tuple(float(v) for v in c)


def local_bbox(cx, cy, R, rot, xa, xb, ya, yb, W, H, margin=3):
    """Canvas-clipped pixel box holding the local rectangle [xa, xb] x [ya, yb] (units of R) of a rotated part."""
    c, s = math.cos(rot), math.sin(rot)
    X = [cx + R * (c * x - s * y) for x in (xa, xb) for y in (ya, yb)]
    Y = [cy + R * (s * x + c * y) for x in (xa, xb) for y in (ya, yb)]
    x0 = max(int(math.floor(min(X))) - margin, -margin)
    y0 = max(int(math.floor(min(Y))) - margin, -margin)
    x1 = min(int(math.ceil(max(X))) + margin, W + margin)
    y1 = min(int(math.ceil(max(Y))) + margin, H + margin)
    return x0, y0, max(x1 - x0, 4), max(y1 - y0, 4)


def paste(canvas, x0, y0, rgb, a):
    H, W = canvas.shape[:2]
    h, w = a.shape
    cx0, cy0 = max(0, x0), max(0, y0)
    cx1, cy1 = min(W, x0 + w), min(H, y0 + h)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    sa = a[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0, None]
    sub = canvas[cy0:cy1, cx0:cx1]
    canvas[cy0:cy1, cx0:cx1] = sub + (rgb[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0] - sub) * sa


def make_light(rng, scene):
    kinds = ['window', 'overhead', 'sun', 'shade', 'flash', 'warm', 'fluor']
    w = [0.22, 0.2, 0.14, 0.14, 0.07, 0.11, 0.12]
    if scene in ('tray',):
        w = [0.1, 0.25, 0.02, 0.05, 0.08, 0.1, 0.4]
    kind = pick(rng, kinds, w)
    az = U(rng, -PI, PI)
    if rng.random() < 0.65:
        az = -PI / 2 + U(rng, -1.2, 1.2)
    if kind == 'window':
        el, col, amb, wrap, soft = U(rng, 0.45, 0.95), C(1.0, 0.98, 0.95) * U(rng, 0.85, 1.0), C(0.55, 0.6, 0.7) * U(rng, 0.35, 0.5), 0.35, 0.35
    elif kind == 'overhead':
        el, col, amb, wrap, soft = U(rng, 1.0, 1.4), C(1.0, 0.93, 0.82), C(0.55, 0.5, 0.45) * U(rng, 0.38, 0.5), 0.3, 0.25
    elif kind == 'sun':
        el, col, amb, wrap, soft = U(rng, 0.45, 1.1), C(1.05, 0.97, 0.85) * U(rng, 1.0, 1.15), C(0.5, 0.58, 0.75) * U(rng, 0.3, 0.4), 0.1, 0.05
    elif kind == 'shade':
        el, col, amb, wrap, soft = U(rng, 0.8, 1.4), C(0.75, 0.82, 0.95) * U(rng, 0.5, 0.7), C(0.62, 0.7, 0.85) * U(rng, 0.5, 0.65), 0.6, 0.6
    elif kind == 'flash':
        el, col, amb, wrap, soft = U(rng, 1.3, 1.5), C(1.0, 1.0, 1.0) * U(rng, 1.0, 1.15), C(0.5, 0.5, 0.5) * U(rng, 0.2, 0.3), 0.05, 0.08
    elif kind == 'warm':
        el, col, amb, wrap, soft = U(rng, 0.7, 1.3), C(1.0, 0.72, 0.42) * U(rng, 0.9, 1.1), C(0.5, 0.38, 0.28) * U(rng, 0.4, 0.55), 0.3, 0.25
    else:
        el, col, amb, wrap, soft = U(rng, 1.0, 1.45), C(0.92, 1.0, 0.93), C(0.55, 0.6, 0.55) * U(rng, 0.4, 0.5), 0.35, 0.3
    L = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)], F32)
    L /= np.linalg.norm(L)
    direct = float(col.mean()) * max(float(L[2]), 0.15)
    shadow = float(np.clip(direct / (direct + float(amb.mean())), 0.15, 0.8)) * U(rng, 0.8, 1.0)
    Hv = L + np.array([0, 0, 1], F32)
    Hv /= np.linalg.norm(Hv)
    return dict(kind=kind, L=L, H=Hv, col=col.astype(F32), amb=amb.astype(F32), wrap=wrap, soft=soft,
                shadow=shadow)


def shade(alb, h, spec, shin, light, sheen=0.0):
    gx = cv2.Sobel(h, cv2.CV_32F, 1, 0, ksize=3, scale=-0.125)     # = n_x / n_z
    gy = cv2.Sobel(h, cv2.CV_32F, 0, 1, ksize=3, scale=-0.125)
    nz = 1.0 / np.sqrt(1.0 + gx * gx + gy * gy)
    L, Hv = light['L'], light['H']
    w = float(light['wrap'])
    ndl = (gx * F32(L[0]) + gy * F32(L[1]) + F32(L[2])) * nz
    diff = np.clip((ndl + F32(w)) * F32(1 / (1 + w)), 0, 1)
    ndh = np.clip((gx * F32(Hv[0]) + gy * F32(Hv[1]) + F32(Hv[2])) * nz, 1e-4, 1)
    sp = cv2.pow(ndh, float(shin)) * spec
    ambo = np.clip(0.55 + 0.45 * nz - 0.25 * gy * nz, 0.25, 1.1)
    if sheen:
        omz = 1.0 - nz
        sp = sp + omz * omz * omz * F32(sheen * float(light['amb'].mean()) / float(light['col'].mean() + 1e-3))
    shade3 = cv2.merge([ambo * F32(light['amb'][i]) + diff * F32(light['col'][i]) for i in range(3)])
    out = alb * shade3 + cv2.merge([sp * F32(light['col'][i]) for i in range(3)])
    return out.astype(F32, copy=False)


def cast_shadow(canvas, r, light):
    a = r['a']
    u = r['unit']
    L = light['L']
    lz = max(float(L[2]), 0.3)
    ox, oy = -float(L[0]) / lz * 0.45 * u, -float(L[1]) / lz * 0.45 * u
    n = math.hypot(ox, oy)
    if n > 1.3 * u:
        ox, oy = ox * 1.3 * u / n, oy * 1.3 * u / n
    sig = light['soft'] * u + 1.0
    csig = 0.08 * u + 1.0
    m = int(abs(ox) + abs(oy) + 3 * sig) + 3
    h, w = a.shape
    q = 4 if u > 24 else 2
    sw_, sh_ = (w + 2 * m) // q + 1, (h + 2 * m) // q + 1
    small = cv2.resize(a, (max(1, w // q), max(1, h // q)), interpolation=cv2.INTER_AREA)
    M = np.float32([[1, 0, (m + ox) / q], [0, 1, (m + oy) / q]])
    big = cv2.GaussianBlur(cv2.warpAffine(small, M, (sw_, sh_)), (0, 0), max(0.5, sig / q))
    M2 = np.float32([[1, 0, m / q], [0, 1, (m + 0.1 * u) / q]])
    con = cv2.GaussianBlur(cv2.warpAffine(small, M2, (sw_, sh_)), (0, 0), max(0.5, csig / q))
    fac = (1.0 - F32(light['shadow'] * r.get('shadow_mul', 1.0)) * big) * (1.0 - F32(0.45) * con)
    Hc, Wc = canvas.shape[:2]
    gx0, gy0 = r['x0'] - m, r['y0'] - m
    cx0, cy0 = max(0, gx0), max(0, gy0)
    cx1, cy1 = min(Wc, gx0 + sw_ * q), min(Hc, gy0 + sh_ * q)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    A = np.float32([[1.0 / q, 0, (cx0 - gx0 + 0.5) / q - 0.5], [0, 1.0 / q, (cy0 - gy0 + 0.5) / q - 0.5]])
    up = cv2.warpAffine(fac.astype(F32), A, (cx1 - cx0, cy1 - cy0), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                        borderMode=cv2.BORDER_REPLICATE)
    canvas[cy0:cy1, cx0:cx1] *= up[..., None]


# ----------------------------------------------------------------------------- decay / mould operations
def surf_dist(m, c, r):
    dx, dy, dz = m['X'] - F32(c[0]), m['Y'] - F32(c[1]), m['Z'] - F32(c[2])
    return np.sqrt(dx * dx + dy * dy + dz * dz) / F32(r), np.arctan2(dy, dx)


def pick_point(rng, m, zfrac=0.45, W=None, H=None):
    zmax = float(m['Z'].max()) + 1e-6
    ok = (m['in'] > 0.95) & (m['Z'] > zfrac * zmax)
    if W is not None:
        ok &= (m['xx'] > 0.12 * W) & (m['xx'] < 0.88 * W) & (m['yy'] > 0.12 * H) & (m['yy'] < 0.88 * H)
        occ = m.get('occ')
        if occ is not None:
            ix = np.clip(m['xx'].astype(np.int32), 0, W - 1)
            iy = np.clip(m['yy'].astype(np.int32), 0, H - 1)
            ok2 = ok & ~occ[iy, ix]
            if ok2.sum() > 20:
                ok = ok2
    idx = np.flatnonzero(ok)
    if len(idx) == 0:
        idx = np.flatnonzero(m['in'] > 0.95)
    if len(idx) == 0:
        return (0.0, 0.0, 1.0)
    i = int(idx[int(rng.integers(len(idx)))])
    return (float(m['X'].flat[i]), float(m['Y'].flat[i]), float(m['Z'].flat[i]))


def op_decay(rng, m, c, r, inner, outer, rings=0, ringdark=0.3, sink=0.06, wet=0.0, irr=0.35,
             edge=0.14, halo=0.3, mottle=0.3):
    d, ang = surf_dist(m, c, r)
    hh, ww = d.shape
    nz = noise(rng, hh, ww, max(2.0, 0.3 * r * m['unit']), 3)
    d = d / lobes(rng, ang, irr) + (nz - 0.5) * 0.35
    mk = sstep(1 + edge, 1 - edge, d) * m['in']
    t = np.clip(d, 0, 1)
    colr = inner + (outer - inner) * np.power(t, 1.3)[..., None]
    if rings:
        ring = 0.5 + 0.5 * np.cos(2 * PI * rings * t + U(rng, 0, 6.28))
        colr = colr * (1 - ringdark * ring ** 3)[..., None]
    colr = colr * (1 + mottle * (nz - 0.5))[..., None]
    m['alb'] = mix(m['alb'], colr, mk)
    if halo:
        band = np.exp(-((d - 1.0) / 0.15) ** 2) * m['in']
        m['alb'] = m['alb'] * (1 - halo * band)[..., None]
    m['h'] = m['h'] - F32(sink * m['unit']) * mk * (0.6 + 0.4 * (1 - t))
    m['spec'] = m['spec'] * (1 - mk) + F32(wet) * mk
    m['rot'] = np.maximum(m['rot'], mk)
    return mk


def op_mould(rng, m, c, r, core, edgec, bump=0.05, spores=0.02, irr=0.45, dots_col=None, dots=0.0):
    d, ang = surf_dist(m, c, r)
    hh, ww = d.shape
    px = m['unit']
    n1 = noise(rng, hh, ww, max(2.0, 0.25 * r * px), 3)
    fine = norm01(noise(rng, hh, ww, 2.0, 2))
    d = d / lobes(rng, ang, irr) + 0.45 * (n1 - 0.5) + 0.3 * (fine - 0.5)
    mk = sstep(1.05, 0.8, d) * m['in']
    t = np.clip(d, 0, 1)
    colr = core + (edgec - core) * sstep(0.45, 0.85, t)[..., None]
    colr = colr * (0.75 + 0.45 * fine)[..., None]
    a = mk * np.clip(0.6 + 0.6 * fine, 0, 1)
    m['alb'] = mix(m['alb'], colr, a)
    m['h'] = m['h'] + F32(bump * px) * mk * (0.4 + fine)
    m['spec'] = m['spec'] * (1 - mk)
    if spores > 0:
        sp = (rng.random((hh, ww), dtype=F32) < spores * sstep(1.6, 1.0, d)) & (m['in'] > 0.5)
        spf = cv2.GaussianBlur(sp.astype(F32), (3, 3), 0.7) * 1.5
        m['alb'] = mix(m['alb'], edgec * 0.95, np.clip(spf, 0, 1))
    if dots > 0 and dots_col is not None:
        sp = (rng.random((hh, ww), dtype=F32) < dots) & (mk > 0.5)
        spf = cv2.dilate(sp.astype(F32), np.ones((2, 2), np.uint8))
        m['alb'] = mix(m['alb'], dots_col, np.clip(spf, 0, 1))
    m['rot'] = np.maximum(m['rot'], mk)
    return mk


def op_wrinkle(rng, m, amt, cell, ax=1.0, ay=1.0, dark=0.35):
    hh, ww = m['h'].shape
    n = norm01(noise(rng, hh, ww, cell, 3, 0.55, ax, ay))
    v = 1.0 - np.abs(2 * n - 1)
    crease = np.power(v, 6)
    m['h'] = m['h'] - F32(amt * m['unit'] * 0.06) * crease * m['in'] + F32(amt * m['unit'] * 0.03) * n * m['in']
    m['alb'] = m['alb'] * (1 - dark * amt * crease * m['in'])[..., None]
    m['rot'] = np.maximum(m['rot'], m['in'] * F32(0.35 * min(amt, 1.0)))


def op_dull(m, k, target):
    lum = m['alb'].mean(axis=2, keepdims=True)
    m['alb'] = m['alb'] + (target * (0.4 + lum) - m['alb']) * F32(k) * m['in'][..., None]
    m['spec'] = m['spec'] * F32(1 - 0.7 * k)
    m['rot'] = np.maximum(m['rot'], m['in'] * F32(0.5 * min(k / 0.5, 1.0)))


def rot_radius(rng, sev, R, lo=0.3, hi=1.5):
    rmin = max(lo, 5.0 * SS / max(R, 1.0))
    return rmin + (hi - rmin) * (sev ** 1.2)


# ----------------------------------------------------------------------------- small drawn parts
def draw_leaf(rgb, a, bx, by, ang, length, width, colr, light, rng):
    u = np.linspace(0, 1, 16)
    hw = width * np.sin(PI * np.clip(u * 1.02, 0, 1)) ** 0.85 * (1 - 0.35 * u)
    ca, sa = math.cos(ang), math.sin(ang)
    curl = U(rng, -0.15, 0.15) * length
    axx = bx + u * length * ca - sa * curl * u * u
    axy = by + u * length * sa + ca * curl * u * u
    px, py = -sa, ca
    left = np.stack([axx + px * hw, axy + py * hw], 1)
    right = np.stack([axx - px * hw, axy - py * hw], 1)
    L = light['L']
    base = light['amb'] + light['col'] * 0.75
    k1 = 0.85 + 0.25 * (px * L[0] + py * L[1]) * -1
    k2 = 0.85 + 0.25 * (px * L[0] + py * L[1])
    polyL = np.concatenate([left, np.stack([axx, axy], 1)[::-1]], 0)
    polyR = np.concatenate([right, np.stack([axx, axy], 1)[::-1]], 0)
    for poly, k in ((polyL, k1), (polyR, k2)):
        pts = (poly * 16).round().astype(np.int32)
        cv2.fillPoly(rgb, [pts], tcol(colr * base * k), cv2.LINE_AA, 4)
        cv2.fillPoly(a, [pts], 1.0, cv2.LINE_AA, 4)
    mid = (np.stack([axx, axy], 1)[:13] * 16).round().astype(np.int32)
    cv2.polylines(rgb, [mid], False, tcol(np.clip(colr * 1.45, 0, 1) * base), max(1, int(width * 0.12)), cv2.LINE_AA, 4)
    # a glossy streak
    if rng.random() < 0.7:
        j = np.arange(3, 11)
        hl = (np.stack([axx[j] + px * hw[j] * 0.45, axy[j] + py * hw[j] * 0.45], 1) * 16).round().astype(np.int32)
        cv2.polylines(rgb, [hl], False, tcol(np.clip(colr * base * 1.25 + 0.08, 0, 1)), max(1, int(width * 0.15)), cv2.LINE_AA, 4)


def draw_stem(rgb, a, pts, t0, t1, colr, light, endcol=None):
    base = light['amb'] + light['col'] * 0.8
    n = len(pts) - 1
    for i in range(n):
        t = t0 + (t1 - t0) * i / max(n - 1, 1)
        cc = colr if (endcol is None or i < n - 1) else endcol
        p, q = pts[i], pts[i + 1]
        cv2.line(rgb, ipt(*p), ipt(*q), tcol(cc * base), max(1, int(round(t))), cv2.LINE_AA, 4)
        cv2.line(a, ipt(*p), ipt(*q), 1.0, max(1, int(round(t))), cv2.LINE_AA, 4)
    L = light['L']
    for i in range(n):
        t = t0 + (t1 - t0) * i / max(n - 1, 1)
        p, q = pts[i], pts[i + 1]
        off = 0.25 * t
        cv2.line(rgb, ipt(p[0] + L[0] * off, p[1] + L[1] * off), ipt(q[0] + L[0] * off, q[1] + L[1] * off),
                 tcol(np.clip(colr * base * 1.2, 0, 1)), max(1, int(round(t * 0.3))), cv2.LINE_AA, 4)


def draw_sticker(rng, alb, spec, x, y, R, ang):
    colr = pick(rng, [C(0.95, 0.95, 0.92), C(0.95, 0.85, 0.2)])
    ax = (int(0.2 * R * 16), int(0.14 * R * 16))
    dd = float(np.degrees(ang)) + U(rng, -30, 30)
    cv2.ellipse(alb, ipt(x, y), ax, dd, 0, 360, tcol(colr), -1, cv2.LINE_AA, 4)
    cv2.ellipse(spec, ipt(x, y), ax, dd, 0, 360, 0.9, -1, cv2.LINE_AA, 4)
    ink = C(0.05, 0.05, 0.05) if colr.mean() > 0.5 else C(0.95, 0.95, 0.95)
    cv2.ellipse(alb, ipt(x, y), (int(ax[0] * 0.85), int(ax[1] * 0.85)), dd, 0, 360, tcol(ink), max(1, int(R * 0.015)), cv2.LINE_AA, 4)
    ca, sa = math.cos(math.radians(dd)), math.sin(math.radians(dd))
    for k in (-0.3, 0.25):
        L = 0.11 * R
        px, py = x - sa * k * 0.14 * R, y + ca * k * 0.14 * R
        cv2.line(alb, ipt(px - ca * L, py - sa * L), ipt(px + ca * L, py + sa * L), tcol(ink), max(1, int(R * 0.03)), cv2.LINE_AA, 4)


# ----------------------------------------------------------------------------- apple
APPLE_VARS = ['red', 'green', 'yellow', 'striped', 'bicolor']


def render_apple(f, light, W, H):
    rng = f['rng']
    R, cx, cy, rot = f['R'], f['cx'], f['cy'], f['rot']
    rotten, sev = f['rotten'], f['sev']
    var = pick(rng, APPLE_VARS, [0.28, 0.2, 0.12, 0.22, 0.18])
    view = 'side' if (rng.random() < 0.75 or var == 'striped') else 'top'
    has_leaf = rng.random() < (0.2 if view == 'side' else 0.08)
    if has_leaf:
        x0, y0, bw, bh = local_bbox(cx, cy, R, rot, -2.15, 2.15, -2.45, 1.2, W, H)
    elif view == 'side':
        x0, y0, bw, bh = local_bbox(cx, cy, R, rot, -1.2, 1.2, -1.75, 1.2, W, H)
    else:
        x0, y0, bw, bh = local_bbox(cx, cy, R, rot, -1.2, 1.2, -1.2, 1.2, W, H)
    xx, yy = grid(x0, y0, bw, bh)
    c, s = math.cos(rot), math.sin(rot)
    dx, dy = xx - F32(cx), yy - F32(cy)
    lx = (c * dx + s * dy) / F32(R)
    ly = (-s * dx + c * dy) / F32(R)

    def to_px(px_, py_):
        return cx + R * (c * px_ - s * py_) - x0, cy + R * (s * px_ + c * py_) - y0

    harm = [(k, U(rng, -1, 1) * 0.035 / k, U(rng, 0, 2 * PI)) for k in (2, 3, 4, 5)]
    dent = None
    if rotten and rng.random() < 0.3 + 0.4 * sev:
        dent = (U(rng, -PI, PI), U(rng, 0.5, 1.1), U(rng, 0.05, 0.16) * (0.5 + sev))
    a2, dip, wd, bdip, taper, asp, lob, lph = (U(rng, 0.0, 0.06), U(rng, 0.02, 0.08), U(rng, 0.3, 0.5),
                                              U(rng, 0, 0.04), U(rng, 0.0, 0.15), U(rng, 0.9, 1.03),
                                              U(rng, 0, 0.03), U(rng, 0, 2 * PI))

    def rparts(th):
        r = 1.0 + 0.0 * th
        for k, amp, ph in harm:
            r = r + F32(amp) * np.cos(F32(k) * th + F32(ph))
        dp = 0.0
        if view == 'side':
            r = r + F32(a2) * np.cos(2 * th)
            # th - (-pi/2) wrapped, and th - pi/2 wrapped
            dt = adiff(th, -PI / 2)
            dp = F32(dip) * np.exp(-(dt / F32(wd)) ** 2) + F32(bdip) * np.exp(-((np.abs(dt) - F32(PI)) / F32(0.3)) ** 2)
        else:
            r = r + F32(lob) * np.cos(5 * th + F32(lph))
        if dent:
            r = r - F32(dent[2]) * np.exp(-(adiff(th, dent[0]) / F32(dent[1])) ** 2)
        return r, dp

    def rfun(th):
        r, dp = rparts(th)
        return r - dp

    if view == 'side':
        xs = lx / (1 - F32(taper) * np.clip(ly, -1.2, 1.2))
        ys = ly / F32(asp)
    else:
        xs, ys = lx, ly
        asp = 1.0
    rho = np.sqrt(xs * xs + ys * ys)
    th = np.arctan2(ys, xs)
    rr0, dps = rparts(th)
    rr0 = rr0.astype(F32)
    rr = (rr0 - dps).astype(F32)
    alpha = np.clip((rr - rho) * F32(R) + 0.5, 0, 1).astype(F32)
    tt = np.clip(rho / rr0, 0, 1)
    Z = rr0 * np.sqrt(1 - tt * tt)
    hz = U(rng, 0.85, 1.0) * (1 - (0.3 * sev if (rotten and dent) else 0))
    h = (Z * F32(R * hz)).astype(F32)
    hh, ww = h.shape
    if view == 'side':
        rtop = float(rfun(np.array(-PI / 2)))
        cyc = -rtop * asp * 0.9
        cav = np.exp(-((lx / 0.2) ** 2 + ((ly - cyc) / 0.1) ** 2))
        h -= cav * F32(R * U(rng, 0.05, 0.1))
        stem_base = (U(rng, -0.04, 0.04), cyc + 0.04)
    else:
        cav = np.exp(-(rho / 0.2) ** 2)
        h -= cav * F32(R * 0.18)
        stem_base = (0.0, 0.0)

    # ---- colour
    n_lo = noise(rng, hh, ww, max(3.0, R * 0.45), 3)
    # streaks: noise in (longitude, latitude) space, stretched along the meridians and broken up
    stw, sth = 200, 28
    stex = norm01(noise(rng, sth, stw, U(rng, 1.0, 2.2), 2, 0.5, 1.0, U(rng, 3.0, 7.0)))
    if view == 'side':
        lon = np.arcsin(np.clip(xs / np.sqrt(np.maximum(rr * rr - ys * ys, 1e-3)), -1, 1))
        mx_ = ((lon + PI / 2) / PI * (stw / 2 - 1)).astype(F32)
        my_ = ((np.clip(ys / rr, -1, 1) + 1) * 0.5 * (sth - 1)).astype(F32)
    else:
        mx_ = ((th + PI) / (2 * PI) * (stw - 1)).astype(F32)
        my_ = (np.clip(rho / rr, 0, 1) * (sth - 1)).astype(F32)
    streak = cv2.remap(stex, mx_, my_, cv2.INTER_LINEAR, borderMode=cv2.BORDER_WRAP)
    streak = 0.8 * streak + 0.2 * noise(rng, hh, ww, max(2.0, R * 0.1), 2)
    if view != 'side':
        streak = 0.5 + (streak - 0.5) * np.clip(rho / 0.5, 0.3, 1.0)
    bd = U(rng, -PI, PI)
    blush = sstep(-0.9, 0.9, lx * math.cos(bd) + ly * math.sin(bd) + 0.8 * (n_lo - 0.5))
    if var == 'red':
        G = jit(rng, (0.78, 0.66, 0.22), 0.1)
        O = jit(rng, pick(rng, [(0.58, 0.05, 0.07), (0.68, 0.09, 0.08), (0.45, 0.04, 0.08)]), 0.1)
        cov = np.clip(0.8 + 0.5 * (streak - 0.5) + 0.35 * (blush - 0.3), 0, 1)
        spec0, shin = U(rng, 0.3, 0.6), U(rng, 25, 60)
    elif var == 'green':
        G = jit(rng, pick(rng, [(0.52, 0.7, 0.25), (0.58, 0.74, 0.32), (0.45, 0.64, 0.22)]), 0.06)
        O = jit(rng, (0.75, 0.45, 0.18), 0.1)
        cov = blush * (U(rng, 0, 0.35) if rng.random() < 0.35 else 0.0)
        spec0, shin = U(rng, 0.2, 0.45), U(rng, 15, 40)
    elif var == 'yellow':
        G = jit(rng, pick(rng, [(0.9, 0.8, 0.32), (0.86, 0.8, 0.4), (0.92, 0.74, 0.28)]), 0.05)
        O = jit(rng, (0.88, 0.45, 0.22), 0.1)
        cov = blush * (U(rng, 0, 0.45) if rng.random() < 0.45 else 0.0)
        spec0, shin = U(rng, 0.2, 0.45), U(rng, 15, 40)
    elif var == 'striped':
        G = jit(rng, pick(rng, [(0.86, 0.76, 0.32), (0.8, 0.76, 0.32), (0.88, 0.7, 0.28)]), 0.06)
        O = jit(rng, pick(rng, [(0.7, 0.1, 0.1), (0.76, 0.14, 0.12), (0.6, 0.07, 0.1)]), 0.08)
        dens = U(rng, 0.25, 0.6)
        cov = sstep(0.55 - 0.35 * blush - dens * 0.3, 0.75 - 0.35 * blush - dens * 0.3, streak) * (0.5 + 0.4 * blush) + 0.35 * blush * dens
        cov = np.clip(cov, 0, 1)
        spec0, shin = U(rng, 0.3, 0.55), U(rng, 25, 50)
    else:
        G = jit(rng, pick(rng, [(0.78, 0.75, 0.28), (0.85, 0.72, 0.3)]), 0.06)
        O = jit(rng, pick(rng, [(0.72, 0.15, 0.12), (0.8, 0.25, 0.2), (0.6, 0.1, 0.1)]), 0.08)
        cov = sstep(0.15, 0.75, blush + 0.35 * (streak - 0.5))
        spec0, shin = U(rng, 0.3, 0.55), U(rng, 25, 50)
    Om = O * (0.82 + 0.36 * n_lo)[..., None]
    alb = mix(np.broadcast_to(G, (hh, ww, 3)).astype(F32), Om, cov.astype(F32))
    alb = alb * (0.93 + 0.14 * noise(rng, hh, ww, max(2.0, R * 0.2), 2))[..., None]
    # cavity: russet / greener
    rus = jit(rng, (0.55, 0.45, 0.22), 0.1)
    alb = mix(alb, rus, (cav * U(rng, 0.15, 0.5)).astype(F32))
    # lenticels
    area = float((alpha > 0.5).sum())
    nl = int(area * U(rng, 0.004, 0.012))
    if nl > 0:
        dots = np.zeros((hh, ww), F32)
        ry = rng.integers(0, hh, nl)
        rx = rng.integers(0, ww, nl)
        dots[ry, rx] = 1.0
        dots = np.clip(cv2.GaussianBlur(dots, (3, 3), 0.6) * 2.2, 0, 1)
        lc = C(0.92, 0.82, 0.55) if var in ('red', 'striped', 'bicolor') else (C(0.85, 0.9, 0.7) if var == 'green' else C(0.6, 0.5, 0.25))
        alb = mix(alb, lc, dots * U(rng, 0.3, 0.6) * float(np.clip(R / (40 * SS), 0.15, 1.0) ** 1.5))
    spec = np.full((hh, ww), spec0, F32)
    m = dict(rot=np.zeros((hh, ww), F32), alb=alb.astype(F32), h=h, spec=spec, X=lx, Y=ly, Z=Z.astype(F32), **{'in': (alpha > 0.5).astype(F32)},
             unit=R, xx=xx, yy=yy)
    if rng.random() < 0.08 and view == 'side' and R >= 22 * SS:
        sx_, sy_ = to_px(U(rng, -0.35, 0.35), U(rng, -0.25, 0.3))
        draw_sticker(rng, m['alb'], m['spec'], sx_, sy_, R, rot)

    # ---- rot
    m['occ'] = f.get('occ')
    if rotten:
        apple_rot(rng, m, sev, R, W, H, f.get('hero', False))
    rgb = shade(m['alb'], m['h'], m['spec'], shin, light, sheen=0.25)

    # ---- stalk and leaf
    if rng.random() < 0.85:
        scol = jit(rng, pick(rng, [(0.36, 0.25, 0.12), (0.42, 0.36, 0.16), (0.3, 0.2, 0.1)]), 0.1)
        if view == 'side':
            sa_ = -PI / 2 + U(rng, -0.5, 0.5)
            ln = U(rng, 0.22, 0.45)
            bow = U(rng, -0.08, 0.08)
            p0 = stem_base
            pts = []
            for k in range(4):
                t = k / 3
                pts.append(to_px(p0[0] + math.cos(sa_) * ln * t + bow * math.sin(PI * t),
                                 p0[1] + math.sin(sa_) * ln * t))
            draw_stem(rgb, alpha, pts, 0.075 * R, 0.05 * R, scol, light, endcol=scol * 0.6)
            leaf_base = pts[-2]
        else:
            sa_ = U(rng, -PI, PI)
            ln = U(rng, 0.08, 0.2)
            p0 = to_px(0, 0)
            p1 = to_px(math.cos(sa_) * ln, math.sin(sa_) * ln)
            sh = np.zeros_like(alpha)
            L = light['L']
            o = 0.06 * R
            cv2.line(sh, ipt(p0[0] - L[0] * o, p0[1] - L[1] * o), ipt(p1[0] - L[0] * o * 2, p1[1] - L[1] * o * 2), 1.0,
                     max(1, int(0.09 * R)), cv2.LINE_AA, 4)
            sh = cv2.GaussianBlur(sh, (0, 0), 0.04 * R + 0.5)
            rgb *= (1 - 0.45 * sh)[..., None]
            draw_stem(rgb, alpha, [p0, p1], 0.09 * R, 0.08 * R, scol, light, endcol=scol * 0.55)
            leaf_base = p1
        if has_leaf:
            lcol = jit(rng, (0.2, 0.45, 0.12), 0.15)
            if rotten and rng.random() < 0.5:
                lcol = jit(rng, (0.45, 0.38, 0.15), 0.1)
            la = rot - PI / 2 + pick(rng, [-1, 1]) * U(rng, 0.5, 1.4)
            draw_leaf(rgb, alpha, leaf_base[0], leaf_base[1], la, R * U(rng, 0.6, 1.0), R * U(rng, 0.18, 0.26), lcol,
                      light, rng)
    return dict(x0=x0, y0=y0, rgb=rgb, a=alpha, unit=R, rot=m['rot'] if rotten else None)


def apple_rot(rng, m, sev, R, W, H, hero):
    kind = pick(rng, ['brown', 'mould', 'shrivel', 'bitter', 'mostly'], [0.34, 0.22, 0.16, 0.12, 0.16])
    if sev > 0.8 and kind != 'shrivel':
        kind = pick(rng, ['mostly', kind])
    cpt = pick_point(rng, m, 0.5, W if hero else None, H)
    r = rot_radius(rng, sev, R, 0.3, 1.3)
    inner = jit(rng, pick(rng, [(0.25, 0.13, 0.06), (0.32, 0.18, 0.07), (0.2, 0.12, 0.07)]), 0.1)
    outer = jit(rng, pick(rng, [(0.5, 0.3, 0.12), (0.55, 0.35, 0.15), (0.45, 0.22, 0.1)]), 0.1)
    if kind == 'brown':
        op_decay(rng, m, cpt, r, inner, outer, rings=int(U(rng, 0, 4)), sink=0.06, wet=U(rng, 0.05, 0.4))
        if rng.random() < 0.45:     # buff pustules of brown rot in rings
            d, _ = surf_dist(m, cpt, r)
            ring = (0.5 + 0.5 * np.cos(d * U(rng, 14, 24))) ** 6 * (d < 0.85)
            sp = (rng.random(d.shape, dtype=F32) < 0.25 * ring) & (m['in'] > 0.5)
            spf = np.clip(cv2.GaussianBlur(sp.astype(F32), (3, 3), 0.8) * 2.5, 0, 1)
            m['alb'] = mix(m['alb'], jit(rng, (0.85, 0.8, 0.65), 0.05), spf)
            m['h'] = m['h'] + spf * F32(0.02 * R)
    elif kind == 'mould':
        op_decay(rng, m, cpt, r * 1.25, inner, outer, sink=0.05, wet=0.2)
        core = jit(rng, pick(rng, [(0.3, 0.52, 0.45), (0.35, 0.5, 0.3), (0.55, 0.58, 0.55), (0.3, 0.42, 0.55)]), 0.08)
        op_mould(rng, m, cpt, r * 0.85, core, jit(rng, (0.9, 0.9, 0.86), 0.04), bump=0.05)
    elif kind == 'bitter':
        for i in range(int(U(rng, 2, 6))):
            p = cpt if i == 0 else pick_point(rng, m, 0.3)
            op_decay(rng, m, p, max(r * U(rng, 0.35, 0.7), 4.0 * SS / R), inner * 0.8, outer, rings=int(U(rng, 2, 5)),
                     ringdark=0.4, sink=0.1, irr=0.15)
    elif kind == 'shrivel':
        op_dull(m, U(rng, 0.35, 0.7), jit(rng, (0.5, 0.32, 0.15), 0.1))
        op_wrinkle(rng, m, U(rng, 0.8, 1.5), max(4.0, R * 0.3))
        op_decay(rng, m, cpt, r * 0.8, inner, outer, sink=0.1)
    else:
        op_decay(rng, m, cpt, max(r, 1.1) * U(rng, 1.0, 1.4), inner * 0.8, outer * 0.85, rings=int(U(rng, 0, 3)),
                 sink=0.12, wet=U(rng, 0.1, 0.5), halo=0.15)
        op_wrinkle(rng, m, U(rng, 0.3, 1.0), max(4.0, R * 0.35))
        if rng.random() < 0.5:
            op_mould(rng, m, pick_point(rng, m, 0.4), r * 0.5, jit(rng, (0.75, 0.75, 0.7), 0.05),
                     C(0.92, 0.92, 0.9), bump=0.04)


# ----------------------------------------------------------------------------- orange
def render_orange(f, light, W, H):
    rng = f['rng']
    R, cx, cy, rot = f['R'], f['cx'], f['cy'], f['rot']
    rotten, sev = f['rotten'], f['sev']
    var = pick(rng, ['navel', 'valencia', 'mandarin', 'blood'], [0.36, 0.24, 0.32, 0.08])
    asp = U(rng, 0.8, 0.92) if var == 'mandarin' else U(rng, 0.95, 1.03)
    has_leaf = var == 'mandarin' and rng.random() < 0.25
    e_ = 2.5 if has_leaf else 1.15
    x0, y0, bw, bh = local_bbox(cx, cy, R, rot, -e_, e_, -e_, e_, W, H)
    xx, yy = grid(x0, y0, bw, bh)
    c, s = math.cos(rot), math.sin(rot)
    dx, dy = xx - F32(cx), yy - F32(cy)
    lx = (c * dx + s * dy) / F32(R)
    ly = (-s * dx + c * dy) / F32(R)

    def to_px(px_, py_):
        return cx + R * (c * px_ - s * py_) - x0, cy + R * (s * px_ + c * py_) - y0

    ys = ly / F32(asp)
    rho = np.sqrt(lx * lx + ys * ys)
    th = np.arctan2(ys, lx)
    rr = np.ones_like(th)
    for k in (2, 3, 4):
        rr = rr + F32(U(rng, -1, 1) * 0.02 / k) * np.cos(k * th + F32(U(rng, 0, 6.28)))
    collapse = rotten and rng.random() < 0.25 + 0.4 * sev
    if collapse:
        ca_ = U(rng, -PI, PI)
        rr = rr - F32(U(rng, 0.05, 0.15) * (0.5 + sev)) * np.exp(-(adiff(th, ca_) / U(rng, 0.5, 1.1)) ** 2)
    alpha = np.clip((rr - rho) * F32(R) + 0.5, 0, 1).astype(F32)
    tt = np.clip(rho / rr, 0, 1)
    Zs = rr * np.sqrt(1 - tt * tt)
    Pn = (lx / rr, ys / rr, Zs / rr)
    hh, ww = alpha.shape
    mode = pick(rng, ['side', 'top', 'bottom', 'any'], [0.4, 0.15, 0.15 if var == 'navel' else 0.05, 0.3])
    if mode == 'side':
        e = U(rng, 0.1, 0.6)
        B = np.array([U(rng, -0.15, 0.15), -math.cos(e), math.sin(e)])
    elif mode == 'top':
        B = np.array([U(rng, -0.3, 0.3), U(rng, -0.3, 0.3), 1.0])
    elif mode == 'bottom':
        B = np.array([U(rng, -0.3, 0.3), U(rng, -0.3, 0.3), -1.0])
    else:
        B = rng.normal(size=3)
    B = (B / np.linalg.norm(B)).astype(F32)
    e1 = np.cross(B, [0.0, 0.0, 1.0]) if abs(B[2]) < 0.9 else np.cross(B, [1.0, 0.0, 0.0])
    e1 = (e1 / np.linalg.norm(e1)).astype(F32)
    e2 = np.cross(B, e1).astype(F32)
    cosb = np.clip(Pn[0] * B[0] + Pn[1] * B[1] + Pn[2] * B[2], -1, 1)
    angb = np.arccos(cosb)
    phi = np.arctan2(Pn[0] * e2[0] + Pn[1] * e2[1] + Pn[2] * e2[2], Pn[0] * e1[0] + Pn[1] * e1[1] + Pn[2] * e1[2])

    base = jit(rng, {'navel': (0.98, 0.5, 0.06), 'valencia': (0.97, 0.6, 0.12), 'mandarin': (0.98, 0.43, 0.04),
                     'blood': (0.88, 0.36, 0.1)}[var], 0.05)
    n_lo = noise(rng, hh, ww, max(3.0, R * 0.4), 3)
    alb = base * (0.9 + 0.2 * n_lo)[..., None]
    if var == 'blood':
        alb = mix(alb, C(0.7, 0.18, 0.1), sstep(0.45, 0.8, n_lo) * 0.6)
    if rng.random() < (0.3 if var == 'valencia' else 0.08):
        alb = mix(alb, C(0.8, 0.68, 0.12), (np.exp(-angb / U(rng, 0.2, 0.4)) * U(rng, 0.15, 0.35)).astype(F32))
    # peel: oil glands / dimples
    cell = max(1.3, R / U(rng, 28, 42))
    dimp = noise(rng, hh, ww, cell, 2, 0.4)
    und = noise(rng, hh, ww, max(3.0, R / 5), 1)
    h = Zs * F32(R * U(rng, 0.9, 1.0)) + (dimp - 0.5) * F32(U(rng, 0.25, 0.55) * cell) + und * F32(R * 0.012)
    glands = np.clip((dimp - 0.62) * 4, 0, 1)
    alb = alb * (1 - 0.08 * glands)[..., None]
    if var == 'mandarin':
        nseg = int(U(rng, 9, 12))
        groove = np.power(0.5 + 0.5 * np.cos(nseg * phi), 16) * np.sin(np.clip(angb, 0, PI))
        h = h - groove * F32(R * U(rng, 0.004, 0.012))
    # stem button
    rb = U(rng, 0.08, 0.13)
    star = rb * (1 + 0.3 * np.cos(5 * phi + U(rng, 0, 6.28)))
    btn = sstep(star * 1.15, star * 0.85, angb)
    bcol = jit(rng, pick(rng, [(0.4, 0.48, 0.16), (0.5, 0.42, 0.18), (0.35, 0.4, 0.15)]), 0.1)
    alb = mix(alb, bcol, btn.astype(F32))
    h = h + F32(R * 0.035) * sstep(rb * 2.2, rb * 0.8, angb)
    alb = alb * (1 - 0.18 * (np.cos(14 * phi) > 0.6) * np.exp(-angb / 0.22) * (1 - btn))[..., None]
    if var == 'navel':
        angn = PI - angb
        h = h - F32(R * 0.04) * np.exp(-((angn - 0.13) / 0.03) ** 2) + F32(R * 0.02) * np.exp(-(angn / 0.08) ** 2)
        alb = mix(alb, base * 0.75, np.exp(-(angn / 0.09) ** 2).astype(F32))
    spec0 = U(rng, 0.3, 0.55) * (1.25 if var == 'mandarin' else 1.0)
    m = dict(rot=np.zeros((hh, ww), F32), alb=alb.astype(F32), h=h.astype(F32), spec=np.full((hh, ww), spec0, F32), X=lx, Y=ys, Z=Zs.astype(F32),
             **{'in': (alpha > 0.5).astype(F32)}, unit=R, xx=xx, yy=yy)
    if rng.random() < 0.08 and R >= 22 * SS:
        sx_, sy_ = to_px(U(rng, -0.35, 0.35), U(rng, -0.3, 0.3))
        draw_sticker(rng, m['alb'], m['spec'], sx_, sy_, R, rot)
    m['occ'] = f.get('occ')
    if rotten:
        orange_rot(rng, m, sev, R, W, H, f.get('hero', False), base, collapse)
    rgb = shade(m['alb'], m['h'], m['spec'], U(rng, 18, 40), light, sheen=0.2)
    if has_leaf and B[2] > 0.1 and not rotten:
        bx, by = to_px(float(B[0]), float(B[1]) * asp)
        sa_ = math.atan2(float(B[1]), float(B[0])) + rot
        p1 = (bx + math.cos(sa_) * 0.25 * R, by + math.sin(sa_) * 0.25 * R)
        draw_stem(rgb, alpha, [(bx, by), p1], 0.07 * R, 0.06 * R, C(0.35, 0.4, 0.15), light)
        draw_leaf(rgb, alpha, p1[0], p1[1], sa_ + U(rng, -0.8, 0.8), R * U(rng, 0.8, 1.2), R * U(rng, 0.2, 0.28),
                  jit(rng, (0.12, 0.32, 0.1), 0.15), light, rng)
    return dict(x0=x0, y0=y0, rgb=rgb, a=alpha, unit=R, juice=f.get('juice', False), rot=m['rot'] if rotten else None)


def orange_rot(rng, m, sev, R, W, H, hero, base, collapse):
    kind = pick(rng, ['penicillium', 'sour', 'black', 'shrivel'], [0.5, 0.2, 0.12, 0.18])
    cpt = pick_point(rng, m, 0.5, W if hero else None, H)
    r = rot_radius(rng, sev, R, 0.32, 1.3)
    if kind == 'penicillium':
        op_decay(rng, m, cpt, r * 1.3, base * 0.62, base * 0.8, sink=0.04, wet=0.7, halo=0.12, mottle=0.15)
        core = jit(rng, pick(rng, [(0.42, 0.58, 0.3), (0.3, 0.55, 0.48), (0.32, 0.45, 0.55), (0.5, 0.6, 0.35)]), 0.07)
        if rng.random() < 0.2:
            core = jit(rng, (0.9, 0.9, 0.86), 0.03)
        op_mould(rng, m, cpt, r, core, jit(rng, (0.94, 0.94, 0.9), 0.03), bump=0.05, spores=0.015)
        if rng.random() < 0.35:
            op_mould(rng, m, pick_point(rng, m, 0.3), r * U(rng, 0.3, 0.6), core, C(0.93, 0.93, 0.9), bump=0.04)
    elif kind == 'sour':
        op_decay(rng, m, cpt, r * 1.2, jit(rng, (0.5, 0.32, 0.12), 0.1), jit(rng, (0.72, 0.42, 0.12), 0.1), sink=0.1,
                 wet=0.9, halo=0.1)
        if rng.random() < 0.5:
            op_mould(rng, m, cpt, r * 0.6, jit(rng, (0.85, 0.82, 0.72), 0.05), C(0.92, 0.9, 0.85), bump=0.03)
    elif kind == 'black':
        for i in range(int(U(rng, 1, 4))):
            p = cpt if i == 0 else pick_point(rng, m, 0.3)
            op_decay(rng, m, p, max(r * U(rng, 0.45, 0.9), 5.0 * SS / R), jit(rng, (0.1, 0.07, 0.05), 0.1),
                     jit(rng, (0.35, 0.2, 0.08), 0.1), sink=0.12, rings=int(U(rng, 0, 3)), wet=0.1)
    else:
        op_dull(m, U(rng, 0.4, 0.7), jit(rng, (0.6, 0.33, 0.1), 0.1))
        op_wrinkle(rng, m, U(rng, 0.6, 1.2), max(4.0, R * 0.35))
        op_decay(rng, m, cpt, r, jit(rng, (0.3, 0.18, 0.08), 0.1), jit(rng, (0.5, 0.3, 0.1), 0.1), sink=0.1)
        if rng.random() < 0.5:
            op_mould(rng, m, pick_point(rng, m, 0.3), r * 0.6, jit(rng, (0.4, 0.55, 0.35), 0.1), C(0.9, 0.9, 0.86))


# ----------------------------------------------------------------------------- strawberry
def render_strawberry(f, light, W, H):
    rng = f['rng']
    R, cx, cy, rot = f['R'], f['cx'], f['cy'], f['rot']
    rotten, sev = f['rotten'], f['sev']
    Lh = U(rng, 1.45, 2.2)
    if rng.random() < 0.2:
        Lh = U(rng, 1.25, 1.5)
    k = U(rng, 0.6, 1.1)
    bend = U(rng, -0.18, 0.18)
    dipc = U(rng, 0.0, 0.08)
    flat = 1.0
    if rotten and rng.random() < 0.3 + 0.3 * sev:
        flat = U(rng, 0.55, 0.8)
    x0, y0, bw, bh = local_bbox(cx, cy, R, rot, -1.95, 1.95, -0.45 * Lh - 0.9, 0.56 * Lh + 0.1, W, H)
    xx, yy = grid(x0, y0, bw, bh)
    c, s = math.cos(rot), math.sin(rot)
    dx, dy = xx - F32(cx), yy - F32(cy)
    lx = (c * dx + s * dy) / F32(R)
    ly = (-s * dx + c * dy) / F32(R)

    def to_px(px_, py_):
        return cx + R * (c * px_ - s * py_) - x0, cy + R * (s * px_ + c * py_) - y0

    ea = U(rng, 0.45, 0.65)
    vv = np.linspace(0, 1, 256)
    fmax = float((vv ** ea * (1 - vv) ** k).max())

    def fprof(v):
        v = np.clip(v, 0, 1)
        return np.power(v, ea) * np.power(1 - v, k) / fmax

    ytop = -0.45 * Lh
    v = (ly - F32(ytop) - F32(dipc) * np.exp(-(lx / 0.45) ** 2)) / F32(Lh)
    xb = lx - F32(bend) * v * v
    lobe = 1 + 0.04 * np.cos(3 * np.arctan2(ly, lx) + U(rng, 0, 6.28))
    half = fprof(v) * lobe
    half = np.where((v >= 0) & (v <= 1), half, 0).astype(F32)
    alpha = np.clip((half - np.abs(xb)) * F32(R) + 0.5, 0, 1) * np.clip(v * F32(Lh * R) + 0.5, 0, 1) * (half > 0)
    alpha = alpha.astype(F32)
    u = np.clip(xb / np.maximum(half, 1e-3), -1, 1)
    Z = half * np.sqrt(1 - u * u)
    h = (Z * F32(R * 0.85 * flat)).astype(F32)
    hh, ww = h.shape
    h = h + noise(rng, hh, ww, max(3.0, R * 0.3), 2) * F32(R * 0.06)
    base = jit(rng, pick(rng, [(0.82, 0.06, 0.08), (0.74, 0.04, 0.07), (0.9, 0.13, 0.1), (0.66, 0.03, 0.07)]), 0.06)
    n_lo = noise(rng, hh, ww, max(3.0, R * 0.35), 3)
    alb = base * (0.85 + 0.3 * n_lo)[..., None]
    if rng.random() < 0.35:
        pale = U(rng, 0.2, 0.6)
        alb = mix(alb, jit(rng, (0.95, 0.62, 0.45), 0.05), (sstep(0.28, 0.03, v) * pale).astype(F32))
    # seeds
    pit = np.zeros((hh, ww), F32)
    alb = np.ascontiguousarray(alb, F32)
    seedc = jit(rng, pick(rng, [(0.78, 0.62, 0.22), (0.62, 0.45, 0.12), (0.5, 0.16, 0.06), (0.7, 0.64, 0.3),
                                (0.72, 0.55, 0.18)]), 0.08)
    spacing = max(2.4, R * U(rng, 0.17, 0.25))
    rows = max(3, int(Lh * R * 0.92 / spacing))
    sw = max(0.6, spacing * 0.16)
    SX, SY, SWt = [], [], []
    for j in range(rows):
        vj = 0.07 + (j + 0.5) / rows * 0.9
        fj = float(fprof(np.array(vj)))
        hw = fj * R
        if hw < 1.5:
            continue
        nps = max(1, int(PI * hw / spacing))
        off = 0.5 * (j % 2)
        psi = -PI / 2 + (np.arange(nps) + 0.5 + off) / nps * PI
        psi = psi[np.abs(psi) < 1.4]
        lxs = np.sin(psi) * fj + bend * vj * vj + rng.uniform(-0.22, 0.22, len(psi)) * spacing / R
        lys = ytop + vj * Lh + rng.uniform(-0.25, 0.25, len(psi)) * spacing / R
        SX.append(cx + R * (c * lxs - s * lys) - x0)
        SY.append(cy + R * (s * lxs + c * lys) - y0)
        SWt.append(np.sqrt(np.cos(psi)))
    if SX:
        SX, SY, SWt = np.concatenate(SX), np.concatenate(SY), np.concatenate(SWt)
        ok = (SX >= 0) & (SX < ww - 1) & (SY >= 0) & (SY < hh - 1)
        SX, SY, SWt = SX[ok], SY[ok], SWt[ok]
        ix, iy = np.floor(SX).astype(int), np.floor(SY).astype(int)
        fx, fy = SX - ix, SY - iy
        imp = np.zeros((hh, ww), F32)
        for ddx, ddy, wgt in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
            np.add.at(imp, (iy + ddy, ix + ddx), (wgt * SWt).astype(F32))
        s1 = max(0.5, sw * 0.7)
        seedm = np.clip(cv2.GaussianBlur(imp, (0, 0), s1) * F32(2 * PI * s1 * s1 * 1.2), 0, 1)
        s2 = s1 * 1.7
        pit = np.clip(cv2.GaussianBlur(imp, (0, 0), s2) * F32(2 * PI * s2 * s2), 0, 1)
        alb = alb * (1 - 0.45 * np.clip(pit - seedm, 0, 1))[..., None]
        alb = mix(alb, seedc, seedm * 0.75)
    h = h - pit * F32(max(0.8, spacing * 0.3))
    spec = np.full((hh, ww), U(rng, 0.5, 0.9), F32) * (1 - 0.6 * pit)
    m = dict(rot=np.zeros((hh, ww), F32), alb=alb, h=h, spec=spec.astype(F32), X=lx, Y=ly, Z=Z.astype(F32), **{'in': (alpha > 0.5).astype(F32)},
             unit=R, xx=xx, yy=yy)
    dried = False
    m['occ'] = f.get('occ')
    if rotten:
        dried = straw_rot(rng, m, sev, R, W, H, f.get('hero', False), base)
    rgb = shade(m['alb'], m['h'], m['spec'], U(rng, 30, 80), light, sheen=0.3)
    # calyx
    rotm = m['rot'] if rotten else None
    if rng.random() < 0.97:
        nsep = int(U(rng, 8, 13))
        sepc = jit(rng, pick(rng, [(0.16, 0.4, 0.08), (0.22, 0.46, 0.1), (0.13, 0.33, 0.07), (0.25, 0.5, 0.12)]), 0.1)
        if dried or (rotten and rng.random() < 0.3):
            sepc = jit(rng, pick(rng, [(0.42, 0.38, 0.16), (0.32, 0.3, 0.12)]), 0.1)
        sepmask = np.zeros_like(alpha)
        polys = []
        lsep = U(rng, 0.45, 0.8)
        yb = ytop + 0.03 * Lh + dipc
        for i in range(nsep):
            q = rng.random()
            if q < 0.6:
                left = rng.random() < 0.5
                ang = PI - U(rng, -0.35, 0.7) if left else U(rng, -0.35, 0.7)
                ln = lsep * U(rng, 0.8, 1.15)
                bx_ = U(rng, -0.25, 0.0) if left else U(rng, 0.0, 0.25)
                order = 1
            elif q < 0.85:
                ang = PI / 2 + U(rng, -0.9, 0.9)
                ln = lsep * U(rng, 0.35, 0.65)
                bx_ = U(rng, -0.15, 0.15)
                order = 2
            else:
                ang = -PI / 2 + U(rng, -1.1, 1.1)
                ln = lsep * U(rng, 0.3, 0.55)
                bx_ = U(rng, -0.15, 0.15)
                order = 0
            wdt = ln * U(rng, 0.15, 0.24)
            tt_ = np.linspace(0, 1, 8)
            hw_ = wdt * np.sin(PI * np.clip(tt_ * 0.9 + 0.1, 0, 1)) ** 0.7 * (1 - tt_ ** 2)
            ca, sa = math.cos(ang), math.sin(ang)
            curl = U(rng, -0.15, 0.15) * ln
            axp = [(tt_[q_] * ln * ca - sa * curl * tt_[q_] ** 2, tt_[q_] * ln * sa + ca * curl * tt_[q_] ** 2) for q_ in range(8)]
            lft = [to_px(bx_ + a_[0] - sa * w_, yb + a_[1] + ca * w_) for a_, w_ in zip(axp, hw_)]
            rgt = [to_px(bx_ + a_[0] + sa * w_, yb + a_[1] - ca * w_) for a_, w_ in zip(axp, hw_)]
            poly = (np.array(lft + rgt[::-1]) * 16).round().astype(np.int32)
            mid = (np.array([to_px(bx_ + a_[0], yb + a_[1]) for a_ in axp[:6]]) * 16).round().astype(np.int32)
            polys.append((order, poly, mid, U(rng, 0.7, 1.2)))
            cv2.fillPoly(sepmask, [poly], 1.0, cv2.LINE_AA, 4)
        polys.sort(key=lambda t_: t_[0])
        L = light['L']
        o = 0.1 * R
        M = np.float32([[1, 0, -L[0] * o], [0, 1, -L[1] * o]])
        shm = cv2.GaussianBlur(cv2.warpAffine(sepmask, M, (ww, hh)), (0, 0), 0.05 * R + 0.5)
        if rotm is not None:
            rotm = rotm * (1 - sepmask)
        rgb *= (1 - 0.5 * shm * alpha)[..., None]
        lb = light['amb'] + light['col'] * 0.8
        for _, poly, mid, kk in polys:
            cv2.fillPoly(rgb, [poly], tcol(sepc * lb * kk), cv2.LINE_AA, 4)
            cv2.fillPoly(alpha, [poly], 1.0, cv2.LINE_AA, 4)
            cv2.polylines(rgb, [mid], False, tcol(np.clip(sepc * lb * kk * 1.35, 0, 1)), max(1, int(0.035 * R)),
                          cv2.LINE_AA, 4)
        hub = to_px(0.0, yb)
        cv2.circle(rgb, ipt(*hub), int(0.13 * R * 16), tcol(sepc * lb * 0.8), -1, cv2.LINE_AA, 4)
        cv2.circle(alpha, ipt(*hub), int(0.13 * R * 16), 1.0, -1, cv2.LINE_AA, 4)
        if rng.random() < 0.75:
            sa_ = -PI / 2 + U(rng, -0.6, 0.6)
            ln = U(rng, 0.3, 0.7)
            p0 = (0.0, yb)
            pts = [to_px(p0[0] + math.cos(sa_) * ln * t + 0.05 * math.sin(PI * t), p0[1] + math.sin(sa_) * ln * t)
                   for t in (0, 0.5, 1.0)]
            draw_stem(rgb, alpha, pts, 0.12 * R, 0.09 * R, sepc * 1.1, light, endcol=sepc * 0.8)
    return dict(x0=x0, y0=y0, rgb=rgb, a=alpha, unit=R, juice=f.get('juice', False), rot=rotm)


def straw_rot(rng, m, sev, R, W, H, hero, base):
    kind = pick(rng, ['grey', 'soft', 'white', 'shrivel'], [0.42, 0.28, 0.15, 0.15])
    cpt = pick_point(rng, m, 0.45, W if hero else None, H)
    r = rot_radius(rng, sev, R, 0.4, 1.5)
    dried = False
    if kind == 'grey':
        op_decay(rng, m, cpt, r * 1.25, jit(rng, (0.4, 0.16, 0.1), 0.1), jit(rng, (0.55, 0.14, 0.1), 0.1), sink=0.08,
                 wet=0.2, halo=0.2)
        op_mould(rng, m, cpt, r, jit(rng, pick(rng, [(0.6, 0.58, 0.54), (0.55, 0.52, 0.48), (0.68, 0.66, 0.62)]), 0.05),
                 jit(rng, (0.8, 0.78, 0.75), 0.04), bump=0.08, spores=0.02)
    elif kind == 'soft':
        op_decay(rng, m, cpt, max(r, 0.9) * 1.3, jit(rng, (0.28, 0.06, 0.08), 0.1), jit(rng, (0.48, 0.08, 0.1), 0.1),
                 sink=0.2, wet=0.9, halo=0.1)
        op_wrinkle(rng, m, U(rng, 0.4, 1.0), max(3.0, R * 0.35))
        if rng.random() < 0.4:
            op_mould(rng, m, pick_point(rng, m, 0.3), r * 0.5, jit(rng, (0.85, 0.85, 0.82), 0.03), C(0.92, 0.92, 0.9))
    elif kind == 'white':
        op_decay(rng, m, cpt, r * 1.2, jit(rng, (0.45, 0.12, 0.1), 0.1), jit(rng, (0.6, 0.15, 0.1), 0.1), sink=0.08,
                 wet=0.4)
        op_mould(rng, m, cpt, r, jit(rng, (0.9, 0.9, 0.87), 0.03), C(0.95, 0.95, 0.93), bump=0.1, dots=0.03,
                 dots_col=C(0.08, 0.08, 0.08))
    else:
        dried = True
        op_dull(m, U(rng, 0.4, 0.65), jit(rng, (0.42, 0.1, 0.1), 0.1))
        op_wrinkle(rng, m, U(rng, 1.0, 1.8), max(3.0, R * 0.3))
        op_decay(rng, m, cpt, r * 0.8, jit(rng, (0.25, 0.08, 0.06), 0.1), jit(rng, (0.4, 0.12, 0.08), 0.1), sink=0.12)
        if rng.random() < 0.5:
            op_mould(rng, m, pick_point(rng, m, 0.3), r * 0.5, jit(rng, (0.65, 0.63, 0.6), 0.05), C(0.82, 0.8, 0.78))
    return dried


# ----------------------------------------------------------------------------- banana
def arc_point(start, a0, L, span, bend, s):
    Rc = L / span
    n0 = (-math.sin(a0) * bend, math.cos(a0) * bend)
    Cx, Cy = start[0] + n0[0] * Rc, start[1] + n0[1] * Rc
    a_s = math.atan2(start[1] - Cy, start[0] - Cx)
    tx, ty = -math.sin(a_s), math.cos(a_s)
    sg = 1.0 if tx * math.cos(a0) + ty * math.sin(a0) > 0 else -1.0
    a = a_s + sg * span * s
    return (Cx + Rc * math.cos(a), Cy + Rc * math.sin(a)), (Cx, Cy, Rc, a_s, sg)


def render_banana(b, light, W, H):
    rng = b['rng']
    Lb, Wb, span, a0, bend = b['L'], b['W'], b['span'], b['a0'], b['bend']
    rotten, sev, rp = b['rotten'], b['sev'], b['ripe']
    _, (Cx, Cy, Rc, a_s, sg) = arc_point(b['start'], a0, Lb, span, bend, 0.0)
    endlen = 0.5 * Wb / Lb
    ss = np.linspace(0, 1 + endlen, 40)
    aa = a_s + sg * span * ss
    px, py = Cx + Rc * np.cos(aa), Cy + Rc * np.sin(aa)
    mg = Wb * 1.3 + 3
    x0, y0 = max(int(px.min() - mg), -3), max(int(py.min() - mg), -3)
    x1, y1 = min(int(px.max() + mg) + 1, W + 3), min(int(py.max() + mg) + 1, H + 3)
    x1, y1 = max(x1, x0 + 4), max(y1, y0 + 4)
    xx, yy = grid(x0, y0, x1 - x0, y1 - y0)
    rx, ry = xx - F32(Cx), yy - F32(Cy)
    rad = np.sqrt(rx * rx + ry * ry)
    ang = np.arctan2(ry, rx)
    s = (adiff(ang, F32(a_s)) * F32(sg / span)).astype(F32)
    d = rad - F32(Rc)
    sn, neckw, tipk = rp['sn'], rp['neckw'], rp['tipk']
    shriv = 0.0
    if rotten and (b['kind'] == 'black' or rng.random() < 0.3):
        shriv = U(rng, 0.05, 0.18)
    wobble_v = rng.random(12).astype(F32)

    def wprof(sv):
        body = sstep(sn * 0.5, sn + 0.22, sv)
        w = neckw + (1 - neckw) * body
        w = w * (1 - tipk * sstep(0.62, 1.0, sv) ** 2)
        e = np.clip((sv - 1.0) / endlen, 0, 1)
        w = w * np.sqrt(np.clip(1 - e * e, 0, 1))
        if shriv:
            w = w * (1 - shriv * np.interp(sv, np.linspace(0, 1.1, 12), wobble_v) * body)
        return np.where((sv < 0) | (sv > 1 + endlen), 0, w).astype(F32)

    wp = wprof(s) * F32(Wb)
    alpha = (np.clip(wp - np.abs(d) + 0.5, 0, 1) * np.clip(s * F32(Lb) + 0.5, 0, 1) * (wp > 0)).astype(F32)
    t = np.clip(d / np.maximum(wp, 0.5), -1, 1)
    at = np.abs(t)
    facet = 0.5 * np.sqrt(1 - t * t) + 0.5 * np.interp(at, [0, 0.5, 1], [1, 0.86, 0.12]).astype(F32)
    h = (wp * facet * F32(0.85)).astype(F32)

    # ---- param-space texture (s along x, t along y)
    tw = max(8, int(Lb * (1 + endlen)))
    th_ = max(4, int(2 * Wb))
    sv = np.linspace(0, 1 + endlen, tw).astype(F32)
    tv = np.linspace(-1, 1, th_).astype(F32)
    S_, T_ = np.meshgrid(sv, tv)
    yel = rp['yellow']
    green = C(0.52, 0.66, 0.2)
    gmix = np.clip(rp['green'] + rp['gtip'] * (sstep(0.3, 0.0, S_) + 0.85 * sstep(0.72, 1.0, S_)), 0, 1)
    alb = mix(np.broadcast_to(yel, (th_, tw, 3)).astype(F32), green, gmix.astype(F32))
    neckc = mix(alb, rp['neckc'], sstep(sn + 0.06, sn - 0.02, S_).astype(F32))
    alb = neckc
    alb = mix(alb, rp['cutc'], sstep(0.05, 0.015, S_).astype(F32))
    alb = mix(alb, C(0.16, 0.11, 0.07), sstep(0.99, 1.0 + endlen * 0.4, S_).astype(F32))
    streak = noise(rng, th_, tw, 3.0, 2, 0.5, 6, 0.5)
    alb = alb * (0.92 + 0.16 * streak)[..., None]
    alb = alb * (1 - 0.18 * np.exp(-((np.abs(T_) - 0.5) / 0.07) ** 2))[..., None]
    hmod = np.zeros((th_, tw), F32)
    spec = np.full((th_, tw), rp['spec'], F32)
    alb = np.ascontiguousarray(alb, F32)
    # natural marks: sugar spots, small scuffs
    if rp['spots'] > 0:
        nsp = int(rp['spots'] * Lb / Wb * 2)
        spc = C(0.32, 0.2, 0.08)
        for _ in range(nsp):
            sx_ = U(rng, sn + 0.08, 0.95) * (tw - 1) / (1 + endlen)
            sy_ = U(rng, 0.1, 0.9) * (th_ - 1)
            rr_ = U(rng, 0.5, 1.3) * max(1.0, Wb / 22)
            cv2.circle(alb, ipt(sx_, sy_), int(rr_ * 16), tcol(spc * U(rng, 0.8, 1.3)), -1, cv2.LINE_AA, 4)
    if rng.random() < 0.3:
        sx_ = U(rng, 0.3, 0.8) * tw
        sy_ = U(rng, 0.2, 0.8) * th_
        cv2.line(alb, ipt(sx_, sy_), ipt(sx_ + U(rng, 4, 12), sy_ + U(rng, -1, 1)), tcol(C(0.5, 0.38, 0.15)),
                 1, cv2.LINE_AA, 4)
    rm = banana_rot(rng, b['kind'], sev, alb, hmod, spec, S_, T_, sn, Wb, Lb, endlen) if rotten else None
    # ---- to pixel space
    mx = (np.clip(s, 0, 1 + endlen) / F32(1 + endlen) * F32(tw - 1)).astype(F32)
    my = ((t + 1) * F32(0.5 * (th_ - 1))).astype(F32)
    A = cv2.remap(alb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    Hm = cv2.remap(hmod, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    Sp = cv2.remap(spec, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    h = h + Hm * (alpha > 0.5)
    rgb = shade(A, h, Sp, rp['shin'], light, sheen=0.25)
    rot = None
    if rm is not None:
        rot = cv2.remap(rm, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE) * (alpha > 0.5)
    return dict(x0=x0, y0=y0, rgb=rgb, a=alpha, unit=Wb * 1.6, shadow_mul=1.0, rot=rot)


def banana_rot(rng, kind, sev, alb, hmod, spec, S_, T_, sn, Wb, Lb, endlen):
    th_, tw = hmod.shape
    black = C(0.1, 0.07, 0.045)
    dbrown = C(0.25, 0.15, 0.07)
    n1 = norm01(noise(rng, th_, tw, max(3.0, Wb * 0.7), 3, 0.55, 2.0, 1.0))
    fine = norm01(noise(rng, th_, tw, 2.0, 2))
    body = sstep(sn, sn + 0.1, S_) * sstep(1.02, 0.96, S_)

    def darken_cov(cov, col_, soft=0.06):
        thr = float(np.quantile(n1, np.clip(cov, 0.01, 0.99)))
        bm = sstep(thr + soft, thr - soft, n1) * (0.85 + 0.15 * fine)
        return bm

    rm = np.zeros((th_, tw), F32)
    # overall overripe brown base
    base_k = U(rng, 0.3, 0.7)
    alb[:] = mix(alb, jit(rng, (0.62, 0.45, 0.14), 0.08), np.full((th_, tw), base_k, F32))
    if kind == 'black':
        cov = U(rng, 0.55, 0.97) * (0.7 + 0.3 * sev) + 0.1
        bm = darken_cov(cov, black)
        alb[:] = mix(alb, mix(np.broadcast_to(black, alb.shape).astype(F32), dbrown, fine * 0.6), bm.astype(F32))
        cre = np.power(1 - np.abs(2 * norm01(noise(rng, th_, tw, max(2.0, Wb * 0.25), 2, 0.5, 8, 0.5)) - 1), 6)
        hmod -= cre * F32(Wb * 0.12)
        alb *= (1 - 0.3 * cre)[..., None]
        spec *= F32(0.6)
        rm = np.maximum(rm, bm)
    elif kind == 'patches':
        for _ in range(int(U(rng, 2, 5))):
            sc_ = U(rng, sn + 0.1, 0.92)
            tc_ = U(rng, -0.5, 0.5)
            ls = U(rng, 0.08, 0.2) * (0.7 + sev)
            lt = U(rng, 0.4, 1.0)
            dd = np.sqrt(((S_ - sc_) / ls) ** 2 + ((T_ - tc_) / lt) ** 2) + 0.5 * (n1 - 0.5) + 0.25 * (fine - 0.5)
            pm = sstep(1.1, 0.85, dd)
            alb[:] = mix(alb, mix(np.broadcast_to(black, alb.shape).astype(F32), dbrown, sstep(0.2, 1.0, dd)), pm.astype(F32))
            hmod -= pm * F32(Wb * 0.1)
            spec[:] = spec * (1 - pm) + pm * F32(0.6)
            rm = np.maximum(rm, pm)
        nsp = int(U(rng, 40, 110) * Lb / Wb / 7)
        for _ in range(nsp):
            c_ = ipt(U(rng, sn + 0.05, 0.98) * (tw - 1) / (1 + endlen), U(rng, 0.05, 0.95) * (th_ - 1))
            r_ = int(U(rng, 1.0, 3.2) * max(1.0, Wb / 22) * 16)
            cv2.circle(alb, c_, r_, tcol(black * U(rng, 0.8, 2.5)), -1, cv2.LINE_AA, 4)
            cv2.circle(rm, c_, r_, 1.0, -1, cv2.LINE_AA, 4)
    elif kind == 'mould':
        bm = darken_cov(U(rng, 0.35, 0.75), black)
        alb[:] = mix(alb, mix(np.broadcast_to(black, alb.shape).astype(F32), dbrown, fine * 0.7), bm.astype(F32))
        rm = np.maximum(rm, bm)
        ends = []
        if rng.random() < 0.75:
            ends.append((U(rng, 0.0, 0.12), U(rng, 0.12, 0.3)))
        if rng.random() < 0.5 or not ends:
            ends.append((U(rng, 0.85, 1.0), U(rng, 0.1, 0.25)))
        if rng.random() < 0.35:
            ends.append((U(rng, 0.3, 0.7), U(rng, 0.1, 0.2)))
        mcol = jit(rng, pick(rng, [(0.88, 0.88, 0.85), (0.72, 0.72, 0.68), (0.55, 0.62, 0.5), (0.8, 0.82, 0.76)]), 0.04)
        for sc_, ls in ends:
            ls = ls * (0.7 + 0.6 * sev)
            dd = np.sqrt(((S_ - sc_) / ls) ** 2 + (T_ / U(rng, 0.7, 1.4)) ** 2) + 0.6 * (n1 - 0.5) + 0.4 * (fine - 0.5)
            mm = sstep(1.0, 0.7, dd) * (0.6 + 0.5 * fine)
            mm = np.clip(mm, 0, 1)
            alb[:] = mix(alb, mcol * (0.8 + 0.35 * fine)[..., None], mm.astype(F32))
            hmod += mm * F32(Wb * 0.1)
            spec[:] = spec * (1 - mm)
            rm = np.maximum(rm, mm)
    else:   # split peel, leaking
        bm = darken_cov(U(rng, 0.3, 0.6), black)
        alb[:] = mix(alb, np.broadcast_to(black, alb.shape).astype(F32), bm.astype(F32))
        rm = np.maximum(rm, bm)
        s1 = U(rng, 0.25, 0.5)
        s2 = s1 + U(rng, 0.2, 0.4) * (0.6 + sev * 0.6)
        tc_ = U(rng, -0.3, 0.3)
        wdt = U(rng, 0.12, 0.3)
        edge_n = (n1 - 0.5) * 0.25
        sm = sstep(s1, s1 + 0.04, S_) * sstep(s2, s2 - 0.04, S_) * sstep(wdt, wdt * 0.6, np.abs(T_ - tc_ + edge_n))
        flesh = mix(np.broadcast_to(jit(rng, (0.82, 0.72, 0.5), 0.05), alb.shape).astype(F32), C(0.5, 0.35, 0.18), fine)
        rim = sstep(wdt * 1.8, wdt, np.abs(T_ - tc_ + edge_n)) * sstep(s1 - 0.05, s1, S_) * sstep(s2 + 0.05, s2, S_)
        alb[:] = mix(alb, np.broadcast_to(black, alb.shape).astype(F32), (rim * 0.9).astype(F32))
        alb[:] = mix(alb, flesh, sm.astype(F32))
        hmod -= sm * F32(Wb * 0.25)
        spec[:] = spec * (1 - sm) + sm * F32(0.9)
        rm = np.maximum(rm, np.maximum(sm, rim))
        if rng.random() < 0.5:
            dd = np.sqrt(((S_ - (s1 + s2) / 2) / ((s2 - s1) * 0.6)) ** 2 + ((T_ - tc_) / 0.5) ** 2) + 0.5 * (n1 - 0.5)
            mm = sstep(1.0, 0.7, dd) * np.clip(0.6 + 0.5 * fine, 0, 1) * 0.9
            alb[:] = mix(alb, C(0.85, 0.85, 0.82) * (0.8 + 0.3 * fine)[..., None], mm.astype(F32))
            rm = np.maximum(rm, mm)
    return rm


def banana_ripeness(rng, fresh):
    if fresh:
        g = U(rng, 0.0, 0.2) if rng.random() < 0.4 else 0.0
        return dict(yellow=jit(rng, pick(rng, [(0.97, 0.83, 0.24), (0.95, 0.8, 0.2), (0.98, 0.86, 0.32)]), 0.04),
                    green=g, gtip=U(rng, 0.1, 0.7) if g > 0 or rng.random() < 0.5 else U(rng, 0, 0.2),
                    spots=(U(rng, 0.3, 1.5) if (rng.random() < 0.45 and g < 0.1) else 0.0),
                    neckc=jit(rng, (0.42, 0.46, 0.18), 0.1), cutc=jit(rng, (0.24, 0.2, 0.1), 0.1),
                    sn=U(rng, 0.08, 0.13), neckw=U(rng, 0.26, 0.36), tipk=U(rng, 0.45, 0.7),
                    spec=U(rng, 0.2, 0.45), shin=U(rng, 12, 30))
    return dict(yellow=jit(rng, pick(rng, [(0.9, 0.72, 0.2), (0.85, 0.68, 0.22)]), 0.05), green=0.0, gtip=0.0, spots=0.0,
                neckc=jit(rng, pick(rng, [(0.3, 0.22, 0.1), (0.2, 0.15, 0.08)]), 0.1), cutc=C(0.15, 0.1, 0.06),
                sn=U(rng, 0.08, 0.13), neckw=U(rng, 0.26, 0.36), tipk=U(rng, 0.45, 0.7),
                spec=U(rng, 0.15, 0.35), shin=U(rng, 10, 25))


# ----------------------------------------------------------------------------- backgrounds
def warp_flat(rng, tex, W, H, tilt=None):
    th, tw = tex.shape[:2]
    s = U(rng, 0.55, 0.85) * tw / (1.7 * W)
    hx, hy = W * s / 2, H * s / 2
    t = U(rng, 0.0, 0.5) if tilt is None else tilt
    src = np.array([[-hx * (1 + t), -hy * (1 + t * 0.6)], [hx * (1 + t), -hy * (1 + t * 0.6)],
                    [hx * (1 - t * 0.25), hy], [-hx * (1 - t * 0.25), hy]])
    a = U(rng, -PI, PI)
    ca, sa = math.cos(a), math.sin(a)
    src = src @ np.array([[ca, sa], [-sa, ca]]) + np.array([tw / 2, th / 2])
    dst = np.array([[0, 0], [W, 0], [W, H], [0, H]], np.float32)
    M = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    return cv2.warpPerspective(tex, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


def tex_wood(rng, tw, th, crate=False):
    if crate:
        pal = jit(rng, pick(rng, [(0.82, 0.68, 0.5), (0.74, 0.6, 0.42), (0.62, 0.5, 0.36), (0.55, 0.5, 0.45)]), 0.06)
    else:
        pal = jit(rng, pick(rng, [(0.78, 0.6, 0.4), (0.66, 0.47, 0.3), (0.45, 0.3, 0.19), (0.32, 0.21, 0.14),
                                  (0.6, 0.57, 0.52), (0.85, 0.76, 0.62), (0.55, 0.4, 0.28)]), 0.06)
    xx, yy = grid(0, 0, tw, th)
    pw = U(rng, 0.1, 0.25) * th if not crate else U(rng, 0.12, 0.22) * th
    gap = U(rng, 1.0, 3.0) if not crate else U(rng, 0.2, 0.45) * pw
    idx = np.floor(yy / pw)
    fy = yy - idx * pw
    vals = rng.uniform(0.82, 1.12, int(th / pw) + 3).astype(F32)
    pb = vals[idx.astype(int)]
    grain = noise(rng, th, tw, U(rng, 6, 14), 3, 0.5, 10, 0.5)
    rings = 0.5 + 0.5 * np.sin(yy * U(rng, 0.3, 0.8) + grain * U(rng, 8, 20) + idx * 3.1)
    alb = pal * (pb * (0.8 + 0.32 * grain) * (1 - 0.12 * rings ** 4))[..., None]
    if not crate and rng.random() < 0.15:
        paint = jit(rng, pick(rng, [(0.85, 0.85, 0.82), (0.35, 0.5, 0.6), (0.45, 0.6, 0.45), (0.75, 0.3, 0.25)]), 0.05)
        alb = mix(alb, paint, 0.85 * sstep(0.3, 0.55, noise(rng, th, tw, 20, 3)))
    gm = (fy < gap).astype(F32)
    gapc = C(0.05, 0.04, 0.03) if crate else pal * 0.35
    alb = mix(alb, gapc, gm)
    e = sstep(gap, gap + 3, fy) * sstep(pw, pw - 3, fy)
    alb = alb * (0.82 + 0.18 * e)[..., None]
    return alb.astype(F32)


def tex_cloth(rng, tw, th):
    kind = pick(rng, ['gingham', 'stripes', 'plain', 'burlap', 'linen'], [0.25, 0.15, 0.2, 0.25, 0.15])
    xx, yy = grid(0, 0, tw, th)
    c1 = jit(rng, pick(rng, [(0.75, 0.12, 0.12), (0.2, 0.3, 0.6), (0.2, 0.45, 0.25), (0.9, 0.75, 0.2),
                             (0.15, 0.15, 0.15), (0.85, 0.45, 0.2), (0.55, 0.3, 0.55)]), 0.05)
    white = jit(rng, (0.93, 0.92, 0.88), 0.03)
    if kind == 'gingham':
        p = U(rng, 8, 24)
        a = (np.floor(xx / p) % 2)
        b = (np.floor(yy / p) % 2)
        alb = mix(np.broadcast_to(white, (th, tw, 3)).astype(F32), c1, ((a + b) / 2).astype(F32))
        alb = alb * (0.92 + 0.08 * np.sin(xx * 2.2) * np.sin(yy * 2.2))[..., None]
    elif kind == 'stripes':
        p = U(rng, 6, 26)
        k = int(U(rng, 2, 4))
        c2 = jit(rng, pick(rng, [(0.9, 0.85, 0.6), (0.3, 0.5, 0.7), (0.8, 0.3, 0.2)]), 0.05)
        st = (np.floor(xx / p) % k).astype(int)
        alb = np.stack([white, c1, c2, c1])[st]
        alb = alb * (0.93 + 0.07 * np.sin(yy * 2.0))[..., None]
    elif kind == 'plain':
        cc = jit(rng, pick(rng, [(0.85, 0.82, 0.75), (0.6, 0.7, 0.8), (0.8, 0.6, 0.6), (0.4, 0.5, 0.4),
                                 (0.3, 0.3, 0.35), (0.9, 0.88, 0.85), (0.7, 0.55, 0.4)]), 0.05)
        alb = cc * (0.9 + 0.1 * noise(rng, th, tw, 1.5, 1))[..., None]
    elif kind == 'burlap':
        cc = jit(rng, (0.62, 0.5, 0.33), 0.08)
        pp = U(rng, 3.0, 5.0)
        wv = (0.5 + 0.5 * np.sin(2 * PI * xx / pp)) * (0.5 + 0.5 * np.sin(2 * PI * yy / pp + PI / 2))
        alb = cc * (0.68 + 0.35 * wv + 0.25 * (noise(rng, th, tw, 4, 2) - 0.5))[..., None]
    else:
        cc = jit(rng, pick(rng, [(0.88, 0.85, 0.78), (0.75, 0.72, 0.65), (0.6, 0.65, 0.55)]), 0.05)
        alb = cc * (0.9 + 0.15 * noise(rng, th, tw, 2, 2, 0.5, 6, 0.5))[..., None]
    folds = noise(rng, th, tw, U(rng, 40, 90), 2, 0.5, U(rng, 1, 4), 1)
    alb = alb * (0.78 + 0.35 * folds)[..., None]
    return alb.astype(F32)


def tex_counter(rng, tw, th):
    kind = pick(rng, ['marble', 'granite', 'laminate', 'steel', 'tile'], [0.25, 0.2, 0.3, 0.1, 0.15])
    xx, yy = grid(0, 0, tw, th)
    if kind == 'marble':
        base = jit(rng, pick(rng, [(0.9, 0.9, 0.88), (0.85, 0.83, 0.8), (0.2, 0.2, 0.22)]), 0.03)
        n = norm01(noise(rng, th, tw, U(rng, 40, 80), 4, 0.55))
        v = 1 - np.abs(2 * n - 1)
        veins = np.power(v, 30) * 0.7
        vc = C(0.45, 0.45, 0.45) if base.mean() > 0.5 else C(0.8, 0.8, 0.78)
        alb = mix(base * (0.95 + 0.08 * noise(rng, th, tw, 20, 2))[..., None], vc, veins * 0.7)
    elif kind == 'granite':
        base = jit(rng, pick(rng, [(0.35, 0.33, 0.32), (0.55, 0.5, 0.45), (0.15, 0.15, 0.16), (0.7, 0.66, 0.6)]), 0.05)
        alb = base * (0.9 + 0.2 * noise(rng, th, tw, 8, 2))[..., None]
        for cc, q in ((C(0.05, 0.05, 0.05), 0.8), (C(0.85, 0.83, 0.8), 0.85), (C(0.6, 0.45, 0.4), 0.9)):
            sp = noise(rng, th, tw, 1.5, 1)
            alb = mix(alb, cc, sstep(q - 0.03, q + 0.03, norm01(sp)))
    elif kind == 'laminate':
        base = jit(rng, pick(rng, [(0.88, 0.85, 0.78), (0.62, 0.62, 0.62), (0.2, 0.2, 0.2), (0.72, 0.58, 0.42),
                                   (0.93, 0.93, 0.93), (0.45, 0.55, 0.5), (0.3, 0.35, 0.45)]), 0.04)
        alb = base * (0.95 + 0.08 * noise(rng, th, tw, 3, 2))[..., None]
    elif kind == 'steel':
        base = jit(rng, (0.62, 0.63, 0.65), 0.04)
        alb = base * (0.82 + 0.3 * noise(rng, th, tw, 2, 2, 0.5, 40, 0.3))[..., None]
        alb = alb * (0.8 + 0.4 * noise(rng, th, tw, 120, 1))[..., None]
    else:
        base = jit(rng, pick(rng, [(0.92, 0.92, 0.9), (0.85, 0.8, 0.7), (0.7, 0.4, 0.3), (0.3, 0.45, 0.55)]), 0.04)
        p = U(rng, 40, 90)
        g = ((xx % p) < 2.5) | ((yy % p) < 2.5)
        alb = base * (0.95 + 0.08 * noise(rng, th, tw, 6, 2))[..., None]
        alb = mix(alb, C(0.7, 0.7, 0.66), g.astype(F32))
    return alb.astype(F32)


def tex_paper(rng, tw, th):
    kind = pick(rng, ['kraft', 'cardboard', 'newspaper', 'towel'])
    xx, yy = grid(0, 0, tw, th)
    if kind in ('kraft', 'cardboard'):
        base = jit(rng, (0.72, 0.56, 0.38) if kind == 'kraft' else (0.68, 0.52, 0.35), 0.06)
        alb = base * (0.88 + 0.2 * noise(rng, th, tw, 2, 2, 0.5, 4, 1))[..., None]
        if kind == 'cardboard':
            alb = alb * (0.95 + 0.05 * np.sin(xx * 2 * PI / U(rng, 6, 10)))[..., None]
        alb = alb * (0.85 + 0.25 * noise(rng, th, tw, 60, 2))[..., None]
    elif kind == 'newspaper':
        alb = np.broadcast_to(jit(rng, (0.86, 0.85, 0.8), 0.03), (th, tw, 3)).astype(F32).copy()
        lh = U(rng, 3, 5)
        row = (yy % lh) < 1.0
        words = noise(rng, th, tw, 4, 1, 0.5, 1.0, 0.3) > 0.45
        alb = mix(alb, C(0.35, 0.35, 0.35), (row & words).astype(F32) * 0.8)
        alb = alb * (0.85 + 0.25 * noise(rng, th, tw, 60, 2))[..., None]
    else:
        base = jit(rng, (0.93, 0.93, 0.9), 0.02)
        alb = base * (0.85 + 0.15 * noise(rng, th, tw, 5, 2))[..., None]
        alb = alb * (0.93 + 0.07 * (np.sin(xx * 0.6) * np.sin(yy * 0.6)))[..., None]
    return alb.astype(F32)


def tex_pcrate(rng, tw, th):
    xx, yy = grid(0, 0, tw, th)
    cc = jit(rng, pick(rng, [(0.15, 0.45, 0.2), (0.15, 0.3, 0.6), (0.1, 0.1, 0.1), (0.7, 0.15, 0.12),
                             (0.55, 0.55, 0.55), (0.85, 0.6, 0.15)]), 0.05)
    p = U(rng, 14, 30)
    q = p * U(rng, 0.5, 1.5)
    ho = ((xx % p) < p * U(rng, 0.45, 0.7)) & ((yy % q) < q * U(rng, 0.35, 0.65))
    alb = cc * (0.9 + 0.2 * noise(rng, th, tw, 40, 2))[..., None]
    alb = mix(alb, C(0.04, 0.04, 0.04), ho.astype(F32))
    return alb.astype(F32)


def tex_straw(rng, tw, th):
    soil = jit(rng, (0.25, 0.18, 0.12), 0.1)
    alb = (soil * (0.7 + 0.5 * noise(rng, th, tw, 6, 3))[..., None]).astype(F32)
    alb = np.ascontiguousarray(alb)
    main = U(rng, 0, PI)
    for _ in range(int(tw * th / 250)):
        a = main + U(rng, -0.6, 0.6) if rng.random() < 0.7 else U(rng, 0, PI)
        ln = U(rng, 15, 60)
        x, y = U(rng, 0, tw), U(rng, 0, th)
        cc = jit(rng, (0.85, 0.72, 0.45), 0.15) * U(rng, 0.6, 1.1)
        cv2.line(alb, ipt(x, y), ipt(x + math.cos(a) * ln, y + math.sin(a) * ln), tcol(cc), int(U(rng, 1, 3.5)),
                 cv2.LINE_AA, 4)
    return alb


def bg_store(rng, W, H):
    top = jit(rng, pick(rng, [(0.8, 0.8, 0.78), (0.6, 0.55, 0.5), (0.3, 0.3, 0.35), (0.7, 0.75, 0.8)]), 0.08)
    bot = jit(rng, pick(rng, [(0.5, 0.45, 0.4), (0.3, 0.3, 0.3), (0.6, 0.6, 0.6)]), 0.1)
    xx, yy = grid(0, 0, W, H)
    alb = mix(np.broadcast_to(top, (H, W, 3)).astype(F32), bot, (yy / H).astype(F32))
    alb = np.ascontiguousarray(alb)
    for _ in range(int(U(rng, 6, 20))):
        cc = jit(rng, (U(rng, 0.1, 0.9), U(rng, 0.1, 0.9), U(rng, 0.1, 0.9)), 0.0)
        x, y = U(rng, -0.1, 1.1) * W, U(rng, -0.1, 1.1) * H
        w_, h_ = U(rng, 0.05, 0.3) * W, U(rng, 0.05, 0.3) * H
        cv2.rectangle(alb, ipt(x, y), ipt(x + w_, y + h_), tcol(cc), -1, cv2.LINE_AA, 4)
    for _ in range(int(U(rng, 0, 8))):
        x, y = U(rng, 0, W), U(rng, 0, H * 0.5)
        cv2.circle(alb, ipt(x, y), int(U(rng, 0.02, 0.06) * W * 16), (1.3, 1.25, 1.15), -1, cv2.LINE_AA, 4)
    return cv2.GaussianBlur(alb, (0, 0), U(rng, 5, 12) * W / 256)


def light_bg(alb, light, rng):
    H, W = alb.shape[:2]
    L = light['L']
    xx, yy = grid(0, 0, W, H)
    g = 1 + U(rng, 0.1, 0.35) * ((xx / W - 0.5) * L[0] + (yy / H - 0.5) * L[1]) * 2
    return (alb * (light['amb'] + light['col'] * max(float(L[2]), 0.15))[None, None, :] * g[..., None]).astype(F32)


def flat_alb(rng, kind, W, H):
    tw, th = int(W * 1.7 * 0.5), int(H * 1.7 * 0.5)
    if kind == 'wood':
        return warp_flat(rng, tex_wood(rng, tw, th), W, H)
    if kind == 'crate':
        return warp_flat(rng, tex_wood(rng, tw, th, crate=True), W, H, tilt=U(rng, 0, 0.25))
    if kind == 'cloth':
        return warp_flat(rng, tex_cloth(rng, tw, th), W, H)
    if kind == 'counter':
        return warp_flat(rng, tex_counter(rng, tw, th), W, H)
    if kind == 'paper':
        return warp_flat(rng, tex_paper(rng, tw, th), W, H)
    if kind == 'pcrate':
        return warp_flat(rng, tex_pcrate(rng, tw, th), W, H, tilt=U(rng, 0, 0.25))
    if kind == 'straw':
        return warp_flat(rng, tex_straw(rng, tw, th), W, H)
    return cv2.resize(bg_store(rng, W // 2, H // 2), (W, H), interpolation=cv2.INTER_LINEAR)


SCENES = ['table', 'cloth', 'counter', 'board', 'crate', 'pcrate', 'bowl', 'plate', 'tray', 'hand', 'paper', 'straw']
SCENE_W = {
    'apple': [0.13, 0.11, 0.1, 0.08, 0.12, 0.06, 0.11, 0.05, 0.07, 0.1, 0.05, 0.02],
    'orange': [0.13, 0.11, 0.1, 0.08, 0.12, 0.06, 0.11, 0.05, 0.07, 0.1, 0.05, 0.02],
    'banana': [0.18, 0.12, 0.15, 0.07, 0.1, 0.05, 0.04, 0.03, 0.05, 0.13, 0.06, 0.02],
    'strawberry': [0.1, 0.1, 0.08, 0.1, 0.04, 0.03, 0.1, 0.08, 0.15, 0.11, 0.03, 0.08],
}


def make_region(W, H, m=0.0):
    return (W * m, H * m, W * (1 - m), H * (1 - m))


def build_scene(rng, scene, W, H, light, fruit):
    ctx = dict(scene=scene, region=make_region(W, H, 0.18), post=[], modes=['single', 'few', 'pile'],
               mode_w=[0.4, 0.35, 0.25], rmul=1.0)
    under = {'table': 'wood', 'cloth': 'cloth', 'counter': 'counter', 'board': 'counter', 'crate': 'crate',
             'pcrate': 'pcrate', 'paper': 'paper', 'straw': 'straw', 'hand': 'store'}.get(scene)
    if under is None:
        under = pick(rng, ['wood', 'cloth', 'counter', 'paper'], [0.35, 0.25, 0.3, 0.1])
    if scene == 'hand' and rng.random() < 0.4:
        under = pick(rng, ['wood', 'counter', 'cloth', 'crate'])
    alb = flat_alb(rng, under, W, H)
    if scene != 'hand' and rng.random() < 0.3:
        alb = cv2.GaussianBlur(alb, (0, 0), U(rng, 0.8, 2.5) * W / 256)
    canvas = light_bg(alb, light, rng)
    if scene in ('crate', 'pcrate'):
        ctx['modes'], ctx['mode_w'] = ['few', 'pile'], [0.3, 0.7]
        ctx['region'] = make_region(W, H, 0.05)
        if rng.random() < 0.4:
            ctx['post'].append(('crate_front', dict(y=U(rng, 0.78, 0.92) * H, ang=U(rng, -0.12, 0.12), pcrate=scene == 'pcrate')))
    elif scene == 'board':
        bw, bh = U(rng, 0.6, 1.0) * W, U(rng, 0.5, 0.85) * H
        ang = U(rng, -0.4, 0.4)
        bc = jit(rng, pick(rng, [(0.75, 0.58, 0.38), (0.6, 0.42, 0.26), (0.92, 0.92, 0.9), (0.45, 0.6, 0.4)]), 0.05)
        draw_slab(rng, canvas, W / 2 + U(rng, -0.1, 0.1) * W, H / 2 + U(rng, -0.1, 0.1) * H, bw, bh, ang, bc, light,
                  wood=bc[0] - bc[2] > 0.2)
        ctx['modes'], ctx['mode_w'] = ['single', 'few'], [0.6, 0.4]
        if rng.random() < 0.35:
            draw_knife(rng, canvas, W, H, light)
    elif scene == 'bowl':
        ctx.update(draw_bowl(rng, canvas, W, H, light))
        ctx['modes'], ctx['mode_w'] = ['single', 'few'], [0.4, 0.6]
    elif scene == 'plate':
        ctx.update(draw_plate(rng, canvas, W, H, light))
        ctx['modes'], ctx['mode_w'] = ['single', 'few'], [0.55, 0.45]
    elif scene == 'tray':
        ctx.update(draw_tray(rng, canvas, W, H, light, fruit))
        ctx['modes'], ctx['mode_w'] = ['few', 'pile'], [0.5, 0.5]
    elif scene == 'hand':
        ctx['modes'], ctx['mode_w'] = ['single'], [1.0]
        ctx['region'] = make_region(W, H, 0.3)
    if scene in ('table', 'counter', 'cloth', 'paper') and rng.random() < 0.2:
        draw_price_card(rng, canvas, W, H, light)
    if scene in ('table', 'counter', 'cloth') and rng.random() < 0.08:
        draw_knife(rng, canvas, W, H, light)
    return canvas, ctx


def lit(c, light, k=1.0):
    return c * (light['amb'] + light['col'] * max(float(light['L'][2]), 0.2)) * k


def draw_slab(rng, canvas, cx, cy, w, h, ang, colr, light, wood=True):
    H, W = canvas.shape[:2]
    box = cv2.boxPoints(((cx, cy), (w, h), math.degrees(ang)))
    mask = np.zeros((H, W), F32)
    cv2.fillPoly(mask, [(box * 16).round().astype(np.int32)], 1.0, cv2.LINE_AA, 4)
    # shadow
    L = light['L']
    o = 0.02 * W
    sh = cv2.GaussianBlur(cv2.warpAffine(mask, np.float32([[1, 0, -L[0] * o], [0, 1, -L[1] * o + o * 0.3]]), (W, H)),
                          (0, 0), 3)
    canvas *= (1 - 0.5 * light['shadow'] * sh)[..., None]
    if wood:
        tex = tex_wood(rng, int(w) + 4, int(h) + 4)
        tex = mix(tex, colr, np.full(tex.shape[:2], 0.5, F32))
    else:
        tex = colr * (0.95 + 0.08 * noise(rng, int(h) + 4, int(w) + 4, 3, 2))[..., None]
        for _ in range(int(U(rng, 0, 12))):      # knife scratches
            x, y = U(rng, 0, w), U(rng, 0, h)
            a = U(rng, 0, PI)
            cv2.line(tex, ipt(x, y), ipt(x + math.cos(a) * 20, y + math.sin(a) * 20), tcol(colr * 0.85), 1, cv2.LINE_AA, 4)
    src = np.float32([[0, 0], [w, 0], [w, h]])
    dst = box[[1, 2, 3]].astype(np.float32)
    M = cv2.getAffineTransform(src, dst)
    tw = cv2.warpAffine(np.ascontiguousarray(tex, F32), M, (W, H), borderMode=cv2.BORDER_REFLECT)
    layer = lit(tw, light)
    canvas[:] = mix(canvas, layer, mask)
    # edge highlight
    edge = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    canvas[:] = mix(canvas, np.clip(layer * 1.25, 0, 1.5), edge * 0.5)


def draw_knife(rng, canvas, W, H, light):
    ang = U(rng, -PI, PI)
    side = pick(rng, [(0.12, 0.12), (0.88, 0.15), (0.15, 0.88), (0.85, 0.85)])
    cx, cy = side[0] * W, side[1] * H
    L = U(rng, 0.35, 0.6) * W
    ca, sa = math.cos(ang), math.sin(ang)
    bw = U(rng, 0.05, 0.08) * W
    p0 = (cx - ca * L / 2, cy - sa * L / 2)
    pm = (cx + ca * L * 0.05, cy + sa * L * 0.05)
    p1 = (cx + ca * L / 2, cy + sa * L / 2)
    blade = np.array([pm, p1, (pm[0] - sa * bw, pm[1] + ca * bw)])
    mask = np.zeros(canvas.shape[:2], F32)
    cv2.fillPoly(mask, [(blade * 16).round().astype(np.int32)], 1.0, cv2.LINE_AA, 4)
    cv2.line(mask, ipt(*p0), ipt(*pm), 1.0, int(bw * 0.7), cv2.LINE_AA, 4)
    Ls = light['L']
    o = 0.015 * W
    sh = cv2.GaussianBlur(cv2.warpAffine(mask, np.float32([[1, 0, -Ls[0] * o], [0, 1, -Ls[1] * o]]), (W, H)), (0, 0), 2)
    canvas *= (1 - 0.5 * light['shadow'] * sh)[..., None]
    steel = lit(jit(rng, (0.72, 0.73, 0.76), 0.05), light, 1.1)
    hc = lit(jit(rng, pick(rng, [(0.08, 0.08, 0.08), (0.45, 0.3, 0.18), (0.7, 0.15, 0.1)]), 0.1), light)
    cv2.fillPoly(canvas, [(blade * 16).round().astype(np.int32)], tcol(steel), cv2.LINE_AA, 4)
    cv2.line(canvas, ipt(pm[0] - sa * bw * 0.15, pm[1] + ca * bw * 0.15), ipt(p1[0], p1[1]), tcol(np.clip(steel * 1.3, 0, 1.4)),
             max(1, int(bw * 0.12)), cv2.LINE_AA, 4)
    cv2.line(canvas, ipt(*p0), ipt(*pm), tcol(hc), int(bw * 0.7), cv2.LINE_AA, 4)


def draw_price_card(rng, canvas, W, H, light):
    side = pick(rng, [(0.05, 0.05), (0.6, 0.05), (0.05, 0.72), (0.62, 0.75)])
    x, y = side[0] * W, side[1] * H
    w, h = U(rng, 0.28, 0.4) * W, U(rng, 0.17, 0.25) * H
    chalk = rng.random() < 0.5
    bg = C(0.1, 0.1, 0.1) if chalk else jit(rng, pick(rng, [(0.95, 0.95, 0.9), (0.95, 0.9, 0.3), (0.95, 0.6, 0.2)]), 0.03)
    ink = C(0.9, 0.9, 0.88) if chalk else jit(rng, pick(rng, [(0.1, 0.1, 0.1), (0.8, 0.1, 0.1)]), 0.05)
    cv2.rectangle(canvas, ipt(x + 2, y + 3), ipt(x + w + 2, y + h + 3), tcol(canvas[int(min(y, H - 1)), int(min(x, W - 1))] * 0.6), -1, cv2.LINE_AA, 4)
    cv2.rectangle(canvas, ipt(x, y), ipt(x + w, y + h), tcol(lit(bg, light)), -1, cv2.LINE_AA, 4)
    txt = f"{int(U(rng, 0, 6))}.{int(U(rng, 0, 99)):02d}"
    tm = np.zeros(canvas.shape[:2], np.uint8)
    cv2.putText(tm, txt, (int(x + w * 0.1), int(y + h * 0.75)), cv2.FONT_HERSHEY_SIMPLEX, h / 40.0, 255,
                max(1, int(h / 14)), cv2.LINE_AA)
    canvas[:] = mix(canvas, lit(ink, light).astype(F32), tm.astype(F32) / 255)


def draw_bowl(rng, canvas, W, H, light):
    ra = U(rng, 0.38, 0.6) * W
    rb = ra * U(rng, 0.45, 0.75)
    depth = rb * U(rng, 0.5, 1.0)
    bx = W / 2 + U(rng, -0.1, 0.1) * W
    by = H * U(rng, 0.38, 0.52)
    colr = jit(rng, pick(rng, [(0.92, 0.92, 0.9), (0.9, 0.86, 0.75), (0.25, 0.4, 0.7), (0.72, 0.38, 0.22),
                               (0.6, 0.42, 0.25), (0.12, 0.12, 0.13), (0.35, 0.55, 0.4), (0.72, 0.73, 0.76)]), 0.04)
    xx, yy = grid(0, 0, W, H)
    ex, ey = (xx - bx) / ra, (yy - by) / rb
    e_out = ex * ex + ey * ey
    body = np.clip((1 - np.sqrt(e_out)) * ra + 0.5, 0, 1)
    ed = (yy - by) / (rb + depth)
    low = np.clip((1 - np.sqrt(ex * ex + ed * ed)) * ra + 0.5, 0, 1) * (yy >= by)
    body = np.maximum(body, low).astype(F32)
    ix, iy = (xx - bx) / (ra * 0.93), (yy - by) / (rb * 0.89)
    inner = np.clip((1 - np.sqrt(ix * ix + iy * iy)) * ra * 0.9 + 0.5, 0, 1).astype(F32)
    L = light['L']
    # shadow of the bowl
    o = 0.15 * ra
    M = np.float32([[1, 0, -L[0] * o], [0, 1, -L[1] * o + 0.2 * depth]])
    sh = cv2.GaussianBlur(cv2.warpAffine(body, M, (W, H)), (0, 0), 0.08 * ra + 1)
    canvas *= (1 - 0.7 * light['shadow'] * sh)[..., None]
    # outer wall shading: a cylinder-ish lambert across x
    nxv = np.clip(ex, -1, 1)
    outer = 0.55 + 0.4 * np.clip(nxv * L[0] * 1.2 + 0.5 * (-L[1]) * 0.3 + 0.5, 0, 1) - 0.25 * np.clip((yy - by) / (rb + depth), 0, 1)
    layer = (colr * (light['amb'] + light['col'] * 0.7))[None, None, :] * outer[..., None]
    # interior: far wall lit, near wall darker
    intf = 0.55 + 0.45 * np.clip(-iy * 0.6 + 0.3 - (ix * L[0]) * 0.4, 0, 1)
    inl = (colr * (light['amb'] + light['col'] * 0.7))[None, None, :] * intf[..., None] * 0.85
    layer = mix(layer.astype(F32), inl.astype(F32), inner)
    ring = np.exp(-((np.sqrt(e_out) - 0.965) / 0.02) ** 2).astype(F32)
    layer = layer + (ring * 0.25 * (1 + 0.5 * np.clip(-ey, 0, 1)))[..., None] * light['col']
    spec_hl = np.exp(-(((xx - (bx - L[0] * ra * 0.5)) / (0.1 * ra)) ** 2 + ((yy - (by + rb * 0.6)) / (0.25 * depth + 1)) ** 2))
    layer = layer + (spec_hl * 0.3 * (yy > by + rb * 0.3) * (1 - inner))[..., None] * light['col']
    layer = layer.astype(F32)
    canvas[:] = mix(canvas, layer, body)
    front = (body * (1 - inner) * (yy >= by)).astype(F32)
    region = (bx - 0.55 * ra, by - 0.55 * rb, bx + 0.55 * ra, by + 0.35 * rb)
    return dict(post=[('layer', dict(rgb=layer, a=front))], region=region, rmul=min(1.0, 0.9 * ra / W * 2),
                bowl=(bx, by, ra, rb))


def draw_plate(rng, canvas, W, H, light):
    ra = U(rng, 0.4, 0.65) * W
    rb = ra * U(rng, 0.55, 0.95)
    bx, by = W / 2 + U(rng, -0.1, 0.1) * W, H / 2 + U(rng, -0.1, 0.1) * H
    colr = jit(rng, pick(rng, [(0.93, 0.93, 0.92), (0.9, 0.88, 0.82), (0.3, 0.45, 0.7), (0.15, 0.15, 0.15),
                               (0.8, 0.7, 0.55)]), 0.03)
    xx, yy = grid(0, 0, W, H)
    ex, ey = (xx - bx) / ra, (yy - by) / rb
    r = np.sqrt(ex * ex + ey * ey)
    body = np.clip((1 - r) * ra + 0.5, 0, 1).astype(F32)
    L = light['L']
    o = 0.05 * ra
    sh = cv2.GaussianBlur(cv2.warpAffine(body, np.float32([[1, 0, -L[0] * o], [0, 1, -L[1] * o + 2]]), (W, H)), (0, 0),
                          0.04 * ra + 1)
    canvas *= (1 - 0.6 * light['shadow'] * sh)[..., None]
    f = 1.0 - 0.12 * np.exp(-((r - 0.72) / 0.04) ** 2) + 0.1 * np.exp(-((r - 0.8) / 0.05) ** 2) * np.clip(-ey, 0, 1)
    layer = (lit(colr, light)[None, None, :] * f[..., None]).astype(F32)
    if rng.random() < 0.35:
        bc = jit(rng, pick(rng, [(0.2, 0.3, 0.7), (0.7, 0.2, 0.2), (0.3, 0.55, 0.3)]), 0.05)
        band = (np.abs(r - 0.9) < 0.035).astype(F32)
        layer = mix(layer, lit(bc, light), band)
    canvas[:] = mix(canvas, layer, body)
    return dict(region=(bx - 0.5 * ra, by - 0.5 * rb, bx + 0.5 * ra, by + 0.5 * rb), rmul=min(1.0, ra / W * 1.6))


def draw_tray(rng, canvas, W, H, light, fruit):
    punnet = fruit == 'strawberry' and rng.random() < 0.5
    w, h = U(rng, 0.75, 1.2) * W, U(rng, 0.65, 1.05) * H
    cx, cy = W / 2 + U(rng, -0.08, 0.08) * W, H / 2 + U(rng, -0.08, 0.08) * H
    ang = U(rng, -0.35, 0.35)
    if punnet:
        colr = jit(rng, (0.8, 0.85, 0.85), 0.03)
    else:
        colr = jit(rng, pick(rng, [(0.93, 0.93, 0.9), (0.1, 0.1, 0.1), (0.55, 0.7, 0.85), (0.9, 0.8, 0.35),
                                   (0.6, 0.62, 0.5)]), 0.03)
    H_, W_ = canvas.shape[:2]
    outer = cv2.boxPoints(((cx, cy), (w, h), math.degrees(ang)))
    inner = cv2.boxPoints(((cx, cy), (w * 0.88, h * 0.86), math.degrees(ang)))
    mo = np.zeros((H_, W_), F32)
    mi = np.zeros((H_, W_), F32)
    cv2.fillPoly(mo, [(outer * 16).round().astype(np.int32)], 1.0, cv2.LINE_AA, 4)
    cv2.fillPoly(mi, [(inner * 16).round().astype(np.int32)], 1.0, cv2.LINE_AA, 4)
    L = light['L']
    o = 0.02 * W
    sh = cv2.GaussianBlur(cv2.warpAffine(mo, np.float32([[1, 0, -L[0] * o], [0, 1, -L[1] * o + o]]), (W_, H_)), (0, 0), 3)
    canvas *= (1 - 0.6 * light['shadow'] * sh)[..., None]
    rim = lit(colr, light, 1.1)
    floor = lit(colr, light, 0.92)
    inner_sh = cv2.GaussianBlur(1 - mi, (0, 0), 0.03 * W + 1) * mi
    if punnet:
        a_rim, a_floor = 0.55, 0.35
    else:
        a_rim, a_floor = 1.0, 1.0
    canvas[:] = mix(canvas, np.broadcast_to(rim, canvas.shape).astype(F32), (mo * (1 - mi)) * a_rim)
    fl = np.broadcast_to(floor, canvas.shape).astype(F32) * (1 - 0.3 * inner_sh)[..., None]
    canvas[:] = mix(canvas, fl, mi * a_floor)
    edge = cv2.morphologyEx(mi, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    canvas[:] = mix(canvas, np.clip(np.broadcast_to(rim * 1.25, canvas.shape), 0, 1.4).astype(F32), edge * 0.6)
    post = []
    if rng.random() < 0.6 or punnet:
        post.append(('film', dict(mask=mi, punnet=punnet)))
    if rng.random() < 0.4:
        k_ = int(rng.integers(4))
        px_, py_ = inner[k_] * 0.85 + np.array([cx, cy]) * 0.15
        post.append(('label', dict(x=px_ - 0.12 * W, y=py_ - 0.07 * H, w=U(rng, 0.22, 0.32) * W, h=U(rng, 0.12, 0.18) * H)))
    bb = inner.min(0), inner.max(0)
    return dict(post=post, region=(bb[0][0] + 0.1 * W, bb[0][1] + 0.1 * H, bb[1][0] - 0.1 * W, bb[1][1] - 0.1 * H))


# ----------------------------------------------------------------------------- hands
SKINS = [(0.93, 0.76, 0.64), (0.86, 0.66, 0.52), (0.76, 0.55, 0.42), (0.6, 0.42, 0.3), (0.45, 0.3, 0.2),
         (0.33, 0.22, 0.15)]


def skin_layer(rng, canvas, mask_u8, skin, light, nails=None):
    """Shade one skin part (palm, finger) drawn as a mask on the full canvas and paste it."""
    H, W = mask_u8.shape
    x, y, w, h = cv2.boundingRect(mask_u8)
    if w == 0 or h == 0:
        return 0, 0, np.zeros((1, 1), F32)
    x0, y0 = max(0, x - 3), max(0, y - 3)
    x1, y1 = min(W, x + w + 3), min(H, y + h + 3)
    mk = np.ascontiguousarray(mask_u8[y0:y1, x0:x1])
    hh, ww = mk.shape
    d = cv2.distanceTransform(mk, cv2.DIST_L2, 3)
    dm = float(d.max()) + 1e-3
    dd = np.minimum(d, dm)
    hgt = (np.sqrt(np.clip(dd * (2 * dm - dd), 0, None)) * 0.8).astype(F32)
    hgt = cv2.GaussianBlur(hgt, (0, 0), max(0.8, dm * 0.12))
    alb = skin * (0.92 + 0.12 * noise(rng, hh, ww, 5, 2))[..., None]
    # slightly redder towards the edges / creases
    alb = mix(alb.astype(F32), np.clip(skin * C(1.05, 0.85, 0.8), 0, 1), (np.exp(-d / (0.4 * dm + 0.5)) * 0.5).astype(F32))
    alb = np.ascontiguousarray(alb, F32)
    if nails:
        for (nx, ny, a, sz) in nails:
            cv2.ellipse(alb, ipt(nx - x0, ny - y0), (int(sz * 16), int(sz * 0.8 * 16)), math.degrees(a), 0, 360,
                        tcol(np.clip(skin * C(1.05, 1.0, 1.0) + 0.12, 0, 1)), -1, cv2.LINE_AA, 4)
    rgb = shade(alb, hgt, np.full((hh, ww), 0.1, F32), 8.0, light)
    a = cv2.GaussianBlur(mk.astype(F32) / 255, (3, 3), 0.7)
    fr = dict(x0=x0, y0=y0, rgb=rgb, a=a, unit=dm * 1.6, shadow_mul=0.8)
    cast_shadow(canvas, fr, light)
    paste(canvas, x0, y0, rgb, a)
    return x0, y0, a


def _capsule(W, H, pts, wdt):
    m = np.zeros((H, W), np.uint8)
    for p, q in zip(pts[:-1], pts[1:]):
        cv2.line(m, ipt(*p), ipt(*q), 255, max(2, int(round(wdt))), cv2.LINE_8, 4)
    return m


def hand_parts(rng, W, H, target):
    """target: ('round', cx, cy, R) or ('line', cx, cy, ax, ay, halfw).
    Returns (behind, infront): lists of (mask, nails) to draw before / after the fruit."""
    behind, infront = [], []
    if target[0] == 'round':
        _, cx, cy, R = target
        wa = PI / 2 + U(rng, -0.7, 0.7)              # direction from the fruit to the wrist
        wd = (math.cos(wa), math.sin(wa))
        pp = (-wd[1], wd[0])
        pc = (cx + wd[0] * 0.35 * R, cy + wd[1] * 0.35 * R)
        palm = np.zeros((H, W), np.uint8)
        cv2.ellipse(palm, ipt(*pc), (int(0.95 * R * 16), int(1.1 * R * 16)), math.degrees(wa), 0, 360, 255, -1, cv2.LINE_8, 4)
        cv2.line(palm, ipt(*pc), ipt(pc[0] + wd[0] * 4 * R, pc[1] + wd[1] * 4 * R), 255, int(1.45 * R), cv2.LINE_8, 4)
        behind.append((palm, None))
        fw = U(rng, 0.38, 0.46) * R
        side = pick(rng, [-1, 1])
        grip = rng.random() < 0.4
        lens = [0.8, 1.0, 0.95, 0.75]
        for i in range(4):
            o = (i - 1.5) * fw * 1.08
            da = wa + PI + (i - 1.5) * U(rng, 0.08, 0.16)
            d = (math.cos(da), math.sin(da))
            b0 = (pc[0] - wd[0] * 0.7 * R + pp[0] * o, pc[1] - wd[1] * 0.7 * R + pp[1] * o)
            ln = lens[i] * U(rng, 1.6, 2.0) * R
            if grip:
                # fingers reach over the far side of the fruit: the bases are hidden, the tips show in front
                tip = (cx - wd[0] * U(rng, 0.55, 0.75) * R + pp[0] * o * 0.9, cy - wd[1] * U(rng, 0.55, 0.75) * R + pp[1] * o * 0.9)
                mid = (cx - wd[0] * 1.12 * R + pp[0] * o, cy - wd[1] * 1.12 * R + pp[1] * o)
                behind.append((_capsule(W, H, [b0, (b0[0] + d[0] * 0.9 * ln, b0[1] + d[1] * 0.9 * ln)], fw), None))
                infront.append((_capsule(W, H, [mid, tip], fw * 0.95),
                                [(tip[0] + wd[0] * fw * 0.25, tip[1] + wd[1] * fw * 0.25, wa + PI / 2, fw * 0.36)]))
            else:
                tip = (b0[0] + d[0] * ln, b0[1] + d[1] * ln)
                behind.append((_capsule(W, H, [b0, ((b0[0] + tip[0]) / 2, (b0[1] + tip[1]) / 2), tip], fw),
                               [(tip[0] - d[0] * fw * 0.3, tip[1] - d[1] * fw * 0.3, da + PI / 2, fw * 0.36)]))
        # thumb
        tb = (pc[0] + pp[0] * side * 0.85 * R + wd[0] * 0.3 * R, pc[1] + pp[1] * side * 0.85 * R + wd[1] * 0.3 * R)
        ta = math.atan2(pp[1] * side, pp[0] * side) + side * -U(rng, 0.5, 0.9) * (1 if side > 0 else -1)
        ta = math.atan2(pp[1] * side - wd[1] * 0.8, pp[0] * side - wd[0] * 0.8)
        tl = U(rng, 1.0, 1.3) * R
        t1 = (tb[0] + math.cos(ta) * tl * 0.5, tb[1] + math.sin(ta) * tl * 0.5)
        if grip:
            t2 = (cx + pp[0] * side * 0.65 * R - wd[0] * 0.3 * R, cy + pp[1] * side * 0.65 * R - wd[1] * 0.3 * R)
            t1 = ((tb[0] + t2[0]) / 2 + pp[0] * side * 0.2 * R, (tb[1] + t2[1]) / 2 + pp[1] * side * 0.2 * R)
        else:
            t2 = (tb[0] + math.cos(ta) * tl, tb[1] + math.sin(ta) * tl)
        tm = _capsule(W, H, [tb, t1, t2], fw * 1.12)
        nail = [(t2[0] - (t2[0] - t1[0]) * 0.2, t2[1] - (t2[1] - t1[1]) * 0.2, math.atan2(t2[1] - t1[1], t2[0] - t1[0]) + PI / 2, fw * 0.42)]
        (infront if grip else behind).append((tm, nail))
    else:
        _, cx, cy, axv, ayv, hw = target
        nx_, ny_ = -ayv, axv
        if ny_ < 0:
            nx_, ny_ = -nx_, -ny_
        pc = (cx + nx_ * hw * 1.4, cy + ny_ * hw * 1.4)
        pa = math.atan2(ayv, axv)
        palm = np.zeros((H, W), np.uint8)
        cv2.ellipse(palm, ipt(*pc), (int(hw * 2.4 * 16), int(hw * 1.8 * 16)), math.degrees(pa), 0, 360, 255, -1, cv2.LINE_8, 4)
        cv2.line(palm, ipt(*pc), ipt(pc[0] + nx_ * 8 * hw + axv * 2 * hw, pc[1] + ny_ * 8 * hw + ayv * 2 * hw), 255,
                 int(hw * 3.0), cv2.LINE_8, 4)
        behind.append((palm, None))
        fw = hw * U(rng, 0.85, 1.0)
        for i in range(4):
            o = (i - 1.5) * fw * 1.08
            bx, by = cx + axv * o, cy + ayv * o
            p0 = (bx + nx_ * hw * 1.3, by + ny_ * hw * 1.3)
            ln = U(rng, 0.85, 1.05) * (0.8 if i in (0, 3) else 1.0)
            p1 = (bx - nx_ * hw * 1.15 * ln, by - ny_ * hw * 1.15 * ln)
            infront.append((_capsule(W, H, [p0, p1], fw), [(p1[0] + nx_ * fw * 0.25, p1[1] + ny_ * fw * 0.25, pa, fw * 0.38)]))
        tb = (cx + nx_ * hw * 1.6 - axv * hw * 2.4, cy + ny_ * hw * 1.6 - ayv * hw * 2.4)
        t2 = (cx - axv * hw * 3.4 - nx_ * hw * 0.1, cy - ayv * hw * 3.4 - ny_ * hw * 0.1)
        infront.append((_capsule(W, H, [tb, t2], fw * 1.1), [(t2[0] + axv * fw * 0.2, t2[1] + ayv * fw * 0.2, pa + PI / 2, fw * 0.42)]))
    return behind, infront


# ----------------------------------------------------------------------------- post overlays
def post_occluder(ctx, W, H):
    """Where the overlays drawn after the fruit (bowl front, crate board, tray label) will hide it."""
    occ = np.zeros((H, W), bool)
    for kind, p in ctx['post']:
        if kind == 'layer':
            occ |= p['a'] > 0.5
        elif kind == 'crate_front':
            xx, yy = grid(0, 0, W, H)
            occ |= yy > p['y'] + (xx - W / 2) * math.tan(p['ang'])
        elif kind == 'label':
            x, y, w, h = p['x'], p['y'], p['w'], p['h']
            occ[max(0, int(y)):max(0, int(y + h) + 1), max(0, int(x)):max(0, int(x + w) + 1)] = True
    return occ


def apply_post(rng, canvas, ctx, light):
    """Draw the overlays; returns their opacity (what they hide)."""
    H, W = canvas.shape[:2]
    occ = np.zeros((H, W), F32)
    for kind, p in ctx['post']:
        if kind == 'layer':
            canvas[:] = mix(canvas, p['rgb'], p['a'])
            occ = np.maximum(occ, p['a'])
        elif kind == 'crate_front':
            y, ang = p['y'], p['ang']
            xx, yy = grid(0, 0, W, H)
            edge = y + (xx - W / 2) * math.tan(ang)
            mask = np.clip(yy - edge + 0.5, 0, 1).astype(F32)
            if p['pcrate']:
                tex = tex_pcrate(rng, W, H)
            else:
                tex = tex_wood(rng, W, H, crate=False)
            layer = lit(tex, light, 1.05)
            top = np.exp(-((yy - edge - 2) / 2.0) ** 2).astype(F32)
            layer = layer * (1 + 0.3 * top)[..., None]
            sh = np.clip(1 - (edge - yy) / (0.08 * H), 0, 1) * (yy < edge)
            canvas *= (1 - 0.35 * sh)[..., None]
            canvas[:] = mix(canvas, layer.astype(F32), mask)
            occ = np.maximum(occ, mask)
        elif kind == 'film':
            mask = p['mask']
            xx, yy = grid(0, 0, W, H)
            a = U(rng, 0, PI)
            u = xx * math.cos(a) + yy * math.sin(a)
            streak = np.zeros((H, W), F32)
            for _ in range(int(U(rng, 2, 5))):
                c0 = U(rng, -0.2, 1.4) * W
                wd = U(rng, 0.01, 0.06) * W
                streak += F32(U(rng, 0.08, 0.28)) * np.exp(-((u - c0) / wd) ** 2)
            crinkle = np.power(1 - np.abs(2 * norm01(noise(rng, H, W, 40, 1, 0.5, 3, 0.6)) - 1), 8) * 0.5
            haze = U(rng, 0.02, 0.07)
            tot = np.clip(streak + 0.5 * crinkle + haze, 0, 0.8) * mask
            canvas[:] = canvas + (light['col'] * 1.05 - canvas) * tot[..., None]
            if p['punnet']:
                edge = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((5, 5), np.uint8))
                canvas[:] = mix(canvas, np.broadcast_to(light['col'], canvas.shape).astype(F32), edge * 0.5)
        elif kind == 'label':
            x, y, w, h = p['x'], p['y'], p['w'], p['h']
            occ[max(0, int(y)):max(0, int(y + h) + 1), max(0, int(x)):max(0, int(x + w) + 1)] = 1.0
            cv2.rectangle(canvas, ipt(x, y), ipt(x + w, y + h), tcol(lit(C(0.95, 0.95, 0.93), light)), -1, cv2.LINE_AA, 4)
            bx = x + w * 0.55
            while bx < x + w * 0.95:
                lw = U(rng, 0.5, 2.0)
                cv2.line(canvas, ipt(bx, y + h * 0.2), ipt(bx, y + h * 0.8), (0.05, 0.05, 0.05), max(1, int(lw)), cv2.LINE_8, 4)
                bx += lw + U(rng, 1, 2.5)
            for k in range(3):
                cv2.line(canvas, ipt(x + w * 0.06, y + h * (0.25 + 0.22 * k)), ipt(x + w * U(rng, 0.3, 0.48), y + h * (0.25 + 0.22 * k)),
                         (0.1, 0.1, 0.1), 1, cv2.LINE_AA, 4)
    return occ


def draw_puddle(rng, canvas, cx, cy, R, colr, light):
    H, W = canvas.shape[:2]
    pw, ph = R * U(rng, 1.1, 1.8), R * U(rng, 0.45, 0.8)
    x0, y0 = int(cx - pw * 1.4), int(cy + R * 0.4 - ph * 1.4)
    w, h = int(pw * 2.8) + 1, int(ph * 2.8) + 1
    xx, yy = grid(x0, y0, w, h)
    dx, dy = (xx - cx - U(rng, -0.3, 0.3) * R) / pw, (yy - cy - R * U(rng, 0.3, 0.7)) / ph
    d = np.sqrt(dx * dx + dy * dy)
    ang = np.arctan2(dy, dx)
    d = d / lobes(rng, ang, 0.5)
    m = sstep(1.05, 0.9, d).astype(F32)
    tint = colr * 0.6 + 0.15
    sub = np.zeros((h, w, 3), F32)
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
    if cx0 >= cx1 or cy0 >= cy1:
        return x0, y0, np.zeros((h, w), F32)
    sub[cy0 - y0:cy1 - y0, cx0 - x0:cx1 - x0] = canvas[cy0:cy1, cx0:cx1]
    wet = sub * tint * 0.75
    edge = np.exp(-((d - 0.93) / 0.05) ** 2)
    L = light['L']
    hl = edge * np.clip(-(dx * L[0] + dy * L[1]) / (np.sqrt(dx * dx + dy * dy) + 1e-3), 0, 1)
    wet = wet + (hl * 0.5)[..., None] * light['col']
    paste(canvas, x0, y0, wet.astype(F32), m * 0.9)
    return x0, y0, m * 0.9


# ----------------------------------------------------------------------------- placement
def place_round(rng, fruit, ctx, W, H, fresh):
    mode = pick(rng, ctx['modes'], ctx['mode_w'])
    if fruit == 'strawberry' and ctx['scene'] == 'hand' and rng.random() < 0.4:
        mode = 'few'
    m = min(W, H)
    k = (0.62 if fruit == 'strawberry' else 1.0) * ctx.get('rmul', 1.0)
    if fruit == 'orange' and rng.random() < 0.3:
        k *= 0.85
    x0, y0, x1, y1 = ctx['region']
    items = []
    if mode == 'single':
        R = U(rng, 0.2, 0.4) * m * k
        if rng.random() < 0.2 and ctx['scene'] not in ('bowl', 'plate', 'hand'):
            R = U(rng, 0.4, 0.52) * m * k
        R = max(R, (0.14 if fruit == 'strawberry' else 0.17) * m)
        cx, cy = U(rng, x0, x1), U(rng, y0, y1)
        cx = W / 2 + (cx - W / 2) * 0.6
        cy = H / 2 + (cy - H / 2) * 0.6
        if ctx['scene'] in ('bowl', 'plate'):
            cx, cy = U(rng, x0, x1), U(rng, y0, y1)
            cx = (x0 + x1) / 2 + (cx - (x0 + x1) / 2) * 0.4
        if rng.random() < 0.12 and ctx['scene'] not in ('bowl', 'plate', 'hand'):
            a = U(rng, -PI, PI)
            cx += math.cos(a) * 0.2 * W
            cy += math.sin(a) * 0.2 * H
        items.append(dict(cx=cx, cy=cy, R=R, hero=True))
    elif mode == 'few':
        nn = int(rng.integers(2, 5 if fruit != 'strawberry' else 7))
        R0 = U(rng, 0.14, 0.24) * m * k
        if ctx['scene'] == 'hand':
            R0 = U(rng, 0.16, 0.22) * m
            nn = min(nn, 3)
        for i in range(nn):
            R = R0 * U(rng, 0.85, 1.12)
            best = None
            for _ in range(30):
                cx, cy = U(rng, x0, x1), U(rng, y0, y1)
                dmin = min([math.hypot(cx - o['cx'], cy - o['cy']) / (R + o['R']) for o in items] + [9])
                if best is None or dmin > best[0]:
                    best = (dmin, cx, cy)
                if dmin > 0.85:
                    break
            items.append(dict(cx=best[1], cy=best[2], R=R, hero=False))
    else:
        R0 = U(rng, 0.15, 0.22) * m * (0.75 if fruit == "strawberry" else 1.0)
        sp = R0 * (U(rng, 1.7, 1.95) if fruit != 'strawberry' else U(rng, 1.8, 2.3))
        rows = np.arange(y0 - R0, y1 + R0, sp * 0.87)
        for j, yv in enumerate(rows):
            for xv in np.arange(x0 - R0 + (sp / 2 if j % 2 else 0), x1 + R0, sp):
                if rng.random() < 0.08:
                    continue
                items.append(dict(cx=xv + U(rng, -0.2, 0.2) * R0, cy=yv + U(rng, -0.2, 0.2) * R0,
                                  R=R0 * U(rng, 0.88, 1.12), hero=False))
        if not items:
            items.append(dict(cx=W / 2, cy=H / 2, R=R0, hero=False))
    if not any(it['hero'] for it in items):
        dists = [math.hypot(it['cx'] - W / 2, it['cy'] - H / 2) for it in items]
        hi = int(np.argmin(dists))
        items[hi]['hero'] = True
        items[hi]['R'] *= 1.08 if mode == 'few' else 1.15
    for it in items:
        if fruit == 'strawberry':
            it['rot'] = U(rng, -0.7, 0.7) if (mode == 'single' and rng.random() < 0.6) else U(rng, -PI, PI)
        else:
            it['rot'] = U(rng, -0.5, 0.5) if rng.random() < 0.7 else U(rng, -PI, PI)
        it['rotten'] = False
        it['sev'] = 0.0
    if not fresh:
        p_other = 0.35 if mode != 'pile' else 0.25
        for it in items:
            if it['hero'] or rng.random() < p_other:
                it['rotten'] = True
                it['sev'] = U(rng, 0.0, 1.0)
                if it['hero'] and mode != 'single':
                    it['sev'] = U(rng, 0.35, 1.0)
                it['juice'] = fruit in ('orange', 'strawberry') and rng.random() < 0.25
    items.sort(key=lambda it: (it['cy'] + (0.01 * H if it['hero'] else 0)))
    if ctx['scene'] == 'hand':
        # the hero in front
        items.sort(key=lambda it: it['hero'])
    for it in items:
        it['rng'] = np.random.default_rng(rng.integers(0, 2 ** 63))
    return items


def place_bananas(rng, ctx, W, H, fresh):
    m = min(W, H)
    scene = ctx['scene']
    mode = pick(rng, ['single', 'hand', 'several'], [0.3, 0.5, 0.2])
    if scene == 'hand':
        mode = pick(rng, ['single', 'hand'], [0.6, 0.4])
    if scene in ('crate', 'pcrate', 'tray') and rng.random() < 0.6:
        mode = 'several'
    groups = []
    rx0, ry0, rx1, ry1 = ctx['region']
    mx0, my0 = (rx0 + rx1) / 2, (ry0 + ry1) / 2
    if mode == 'single':
        groups.append(dict(k=1, L=U(rng, 0.6, 1.1) * m, mid=(mx0 + U(rng, -0.1, 0.1) * W, my0 + U(rng, -0.1, 0.1) * H)))
    elif mode == 'hand':
        groups.append(dict(k=int(rng.integers(2, 6)), L=U(rng, 0.5, 0.9) * m,
                           mid=(mx0 + U(rng, -0.1, 0.1) * W, my0 + U(rng, -0.1, 0.1) * H)))
    else:
        ng = int(rng.integers(2, 4))
        for i in range(ng):
            groups.append(dict(k=int(rng.integers(1, 4)), L=U(rng, 0.38, 0.6) * m,
                               mid=(U(rng, 0.25, 0.75) * W, (i + 0.5) / ng * H + U(rng, -0.08, 0.08) * H)))
    a_common = U(rng, -PI, PI)
    hero_g = int(np.argmin([math.hypot(g['mid'][0] - W / 2, g['mid'][1] - H / 2) for g in groups]))
    out = []
    for gi, g in enumerate(groups):
        a0 = a_common + U(rng, -0.5, 0.5) if mode == 'several' else U(rng, -PI, PI)
        bend = pick(rng, [-1, 1])
        span = U(rng, 0.55, 1.0)
        fan = U(rng, 0.12, 0.24)
        Wb = g['L'] * U(rng, 0.07, 0.09)
        rip = banana_ripeness(rng, True)
        (mx_, my_), _ = arc_point((0.0, 0.0), a0, g['L'], span, bend, 0.5)
        start = (g['mid'][0] - mx_, g['mid'][1] - my_)
        perp = (-math.sin(a0), math.cos(a0))
        k = g['k']
        all_rot = (not fresh) and gi == hero_g and rng.random() < 0.6
        bananas = []
        for i in range(k):
            off = i - (k - 1) / 2
            sp = Wb * U(rng, 0.45, 0.7)
            st = (start[0] + perp[0] * off * sp, start[1] + perp[1] * off * sp)
            hero = (gi == hero_g) and i == k - 1
            rotten = (not fresh) and (hero or all_rot or rng.random() < 0.2)
            b = dict(start=st, a0=a0 + off * fan * bend, L=g['L'] * U(rng, 0.92, 1.05), W=Wb * U(rng, 0.95, 1.05),
                     span=span * U(rng, 0.9, 1.1), bend=bend, rotten=rotten, sev=U(rng, 0.2, 1.0) if rotten else 0.0,
                     hero=hero, rng=np.random.default_rng(rng.integers(0, 2 ** 63)))
            b['ripe'] = dict(rip) if not rotten else banana_ripeness(rng, False)
            if fresh or not rotten:
                b['ripe'] = dict(rip)
                b['ripe']['spots'] = rip['spots'] * U(rng, 0.6, 1.4)
            b['kind'] = pick(rng, ['black', 'patches', 'mould', 'split'], [0.35, 0.3, 0.2, 0.15]) if rotten else None
            bananas.append(b)
        out.append(dict(bananas=bananas, k=k, start=start, perp=perp, a0=a0, Wb=Wb, rip=rip, mid=g['mid'],
                        rotten_crown=(not fresh) and any(b['rotten'] for b in bananas) and rng.random() < 0.5))
    return out


def draw_crown(rng, canvas, g, light):
    k = g['k']
    st, perp, a0, Wb = g['start'], g['perp'], g['a0'], g['Wb']
    b0, b1 = g['bananas'][0]['start'], g['bananas'][-1]['start']
    col = jit(rng, (0.4, 0.42, 0.18), 0.1) if not g['rotten_crown'] else jit(rng, (0.2, 0.15, 0.08), 0.1)
    back = (-math.cos(a0), -math.sin(a0))
    c0 = ((b0[0] + b1[0]) / 2, (b0[1] + b1[1]) / 2)
    c1 = (c0[0] + back[0] * Wb * U(rng, 0.6, 1.2), c0[1] + back[1] * Wb * U(rng, 0.6, 1.2))
    H, W = canvas.shape[:2]
    mask = np.zeros((H, W), np.uint8)
    cv2.line(mask, ipt(*b0), ipt(*b1), 255, max(2, int(Wb * 1.0)), cv2.LINE_8, 4)
    cv2.line(mask, ipt(*c0), ipt(*c1), 255, max(2, int(Wb * 0.85)), cv2.LINE_8, 4)
    d = cv2.distanceTransform(mask, cv2.DIST_L2, 3)
    h = cv2.GaussianBlur(np.sqrt(d * max(float(d.max()), 1.0)).astype(F32), (0, 0), 1.5)
    alb = (col * (0.85 + 0.3 * noise(rng, H, W, 3, 2))[..., None]).astype(F32)
    alb = np.ascontiguousarray(alb)
    cv2.circle(alb, ipt(*c1), int(Wb * 0.45 * 16), tcol(col * 0.5), -1, cv2.LINE_AA, 4)
    if g['rotten_crown']:
        mm = sstep(0.55, 0.75, noise(rng, H, W, 3, 2)) * (mask > 0)
        alb = mix(alb, C(0.85, 0.85, 0.82), mm.astype(F32))
    rgb = shade(alb, h, np.full((H, W), 0.15, F32), 10.0, light)
    a = cv2.GaussianBlur(mask.astype(F32) / 255, (3, 3), 0.7)
    paste(canvas, 0, 0, rgb, a)
    return a


# ----------------------------------------------------------------------------- camera
def camera(rng, img, out_w, out_h, light):
    img = cv2.resize(img.astype(F32), (out_w, out_h), interpolation=cv2.INTER_AREA)
    H, W = img.shape[:2]
    lc = light['col'] / light['col'].mean()
    gains = np.power(lc, -U(rng, 0.0, 0.85)) * (1 + rng.uniform(-0.05, 0.05, 3))
    img = img * gains.astype(F32)
    if rng.random() < 0.55:
        xx, yy = grid(0, 0, W, H)
        r2 = ((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2) * 2
        img = img * (1 - U(rng, 0.1, 0.45) * r2)[..., None]
    if light['kind'] == 'flash':
        xx, yy = grid(0, 0, W, H)
        r2 = ((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2) * 2
        img = img * (1.15 - 0.5 * r2)[..., None]
    mean = float(img.mean()) + 1e-3
    gain = float(np.clip(0.36 * U(rng, 0.75, 1.3) / mean, 0.6, 2.5))
    img = np.clip(img * F32(gain), 0, None)
    Y = img[..., 0] * 0.3 + img[..., 1] * 0.59 + img[..., 2] * 0.11 + 1e-4
    Yt = 1 - np.exp(-1.7 * Y)
    hue_keep = (img * (Yt / Y)[..., None])
    hue_keep = hue_keep / np.maximum(1.0, hue_keep.max(axis=2, keepdims=True)) ** 0.6
    img = (0.75 * hue_keep + 0.25 * (1 - np.exp(-1.7 * img))).astype(F32)
    r = rng.random()
    if r < 0.22:
        img = cv2.GaussianBlur(img, (0, 0), U(rng, 0.4, 1.1))
    elif r < 0.3:
        ln = int(U(rng, 2, 5))
        k = np.zeros((ln, ln), F32)
        a = U(rng, 0, PI)
        cv2.line(k, ipt((ln - 1) / 2 - math.cos(a) * ln / 2, (ln - 1) / 2 - math.sin(a) * ln / 2),
                 ipt((ln - 1) / 2 + math.cos(a) * ln / 2, (ln - 1) / 2 + math.sin(a) * ln / 2), 1.0, 1, cv2.LINE_AA, 4)
        k /= k.sum()
        img = cv2.filter2D(img, -1, k)
    elif r < 0.5:           # phone sharpening
        bl = cv2.GaussianBlur(img, (0, 0), 1.0)
        img = img + (img - bl) * U(rng, 0.3, 0.8)
    img = np.clip(img, 0, 1) ** F32(U(rng, 0.88, 1.12))
    sig = U(rng, 0.003, 0.02) * (1.8 if light['kind'] in ('warm', 'shade') else 1.0)
    img = img + rng.normal(0, sig, (out_h, out_w, 1)).astype(F32) + rng.normal(0, sig * 0.5, (out_h, out_w, 3)).astype(F32)
    out = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
    return cv2.cvtColor(out, cv2.COLOR_RGB2BGR)


# ----------------------------------------------------------------------------- one photo
RENDER = {'apple': render_apple, 'orange': render_orange, 'strawberry': render_strawberry}
JUICE = {'orange': C(0.95, 0.6, 0.15), 'strawberry': C(0.7, 0.05, 0.1)}


class Visibility:
    """What the finished picture shows: fruit coverage and visible rot, kept while layers are stacked."""

    def __init__(self, W, H):
        self.fruit = np.zeros((H, W), F32)
        self.rot = np.zeros((H, W), F32)

    def _win(self, x0, y0, a):
        H, W = self.fruit.shape
        h, w = a.shape
        cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
        if cx0 >= cx1 or cy0 >= cy1:
            return None
        return (slice(cy0, cy1), slice(cx0, cx1)), (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))

    def fruit_layer(self, x0, y0, a, rot=None):
        w = self._win(x0, y0, a)
        if w is None:
            return
        cs, ps = w
        aa = a[ps]
        self.fruit[cs] = self.fruit[cs] * (1 - aa) + aa
        rr = rot[ps] * aa if rot is not None else 0.0
        self.rot[cs] = self.rot[cs] * (1 - aa) + rr

    def occlude(self, x0, y0, a):
        w = self._win(x0, y0, a)
        if w is None:
            return
        cs, ps = w
        self.fruit[cs] *= 1 - a[ps]
        self.rot[cs] *= 1 - a[ps]


def render_photo(rng, fresh, fruit, size):
    """Returns (BGR uint8 image, info) where info holds the visible fruit and rot area in output pixels."""
    out_w, out_h = size
    ss = SS if max(size) <= 320 else 1
    W, H = int(round(out_w * ss)), int(round(out_h * ss))
    scene = pick(rng, SCENES, SCENE_W[fruit])
    light = make_light(rng, scene)
    canvas, ctx = build_scene(rng, scene, W, H, light, fruit)
    occ = post_occluder(ctx, W, H)
    vis = Visibility(W, H)
    skin = jit(rng, pick(rng, SKINS), 0.05)
    front = None
    if fruit == 'banana':
        groups = place_bananas(rng, ctx, W, H, fresh)
        groups.sort(key=lambda g: g['mid'][1])
        if scene == 'hand':
            g = groups[0]
            if g['k'] == 1:
                b = g['bananas'][0]
                (mx_, my_), _ = arc_point(b['start'], b['a0'], b['L'], b['span'], b['bend'], 0.5)
                (qx, qy), _ = arc_point(b['start'], b['a0'], b['L'], b['span'], b['bend'], 0.55)
                ax_, ay_ = qx - mx_, qy - my_
                nrm = math.hypot(ax_, ay_) + 1e-6
                behind, front = hand_parts(rng, W, H, ('line', mx_, my_, ax_ / nrm, ay_ / nrm, b['W']))
            else:
                bb = g['bananas']
                cx_ = sum(b['start'][0] for b in bb) / len(bb)
                cy_ = sum(b['start'][1] for b in bb) / len(bb)
                ax_, ay_ = g['perp']
                behind, front = hand_parts(rng, W, H, ('line', cx_ + math.cos(g['a0']) * g['Wb'] * 1.2,
                                                            cy_ + math.sin(g['a0']) * g['Wb'] * 1.2, ax_, ay_,
                                                            g['Wb'] * 0.8))
            for mk, nl in behind:
                skin_layer(rng, canvas, mk, skin, light, nl)
        for g in groups:
            for b in g['bananas']:
                r = render_banana(b, light, W, H)
                cast_shadow(canvas, r, light)
                paste(canvas, r['x0'], r['y0'], r['rgb'], r['a'])
                vis.fruit_layer(r['x0'], r['y0'], r['a'], r.get('rot'))
            if g['k'] > 1:
                ca = draw_crown(rng, canvas, g, light)
                vis.fruit_layer(0, 0, ca)
    else:
        items = place_round(rng, fruit, ctx, W, H, fresh)
        if scene == 'hand':
            hero = [it for it in items if it['hero']][0]
            behind, front = hand_parts(rng, W, H, ('round', hero['cx'], hero['cy'],
                                                   hero['R'] * (1.0 if fruit != 'strawberry' else 1.3)))
            for mk, _ in front:
                occ |= mk > 127
            for mk, nl in behind:
                skin_layer(rng, canvas, mk, skin, light, nl)
        for it in items:
            it['occ'] = occ
            r = RENDER[fruit](it, light, W, H)
            if r.get('juice'):
                px0, py0, pa = draw_puddle(rng, canvas, it['cx'], it['cy'], it['R'], JUICE[fruit], light)
                vis.occlude(px0, py0, pa)
            cast_shadow(canvas, r, light)
            paste(canvas, r['x0'], r['y0'], r['rgb'], r['a'])
            vis.fruit_layer(r['x0'], r['y0'], r['a'], r.get('rot'))
    if front is not None:
        for mk, nl in front:
            fx0, fy0, fa = skin_layer(rng, canvas, mk, skin, light, nl)
            vis.occlude(fx0, fy0, fa)
    po = apply_post(rng, canvas, ctx, light)
    vis.occlude(0, 0, po)
    img = camera(rng, canvas, out_w, out_h, light)
    px = (W * H) / float(out_w * out_h)
    info = dict(scene=scene, fruit_px=float(vis.fruit.sum()) / px, rot_px=float(vis.rot.sum()) / px)
    return img, info


def accept(info, fresh, size):
    """A photo is kept when its fruit is plainly visible and, for a rotten label, so is the rot."""
    area = size[0] * size[1]
    if info['fruit_px'] < 0.03 * area:
        return False
    return fresh or info['rot_px'] >= max(12.0, 0.002 * area)


# ----------------------------------------------------------------------------- API
def generate(out: Path, count: int, seed: int, size: tuple[int, int] = (128, 128)) -> None:
    out = Path(out)
    per = count // len(LABELS)
    for li, (fr, fruit) in enumerate(LABELS):
        d = out / f"{fr}{fruit}"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(per):
            for attempt in range(64):
                rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, li, i, 0xF5A1, attempt])
                img, info = render_photo(rng, fr == 'fresh', fruit, tuple(size))
                if accept(info, fr == 'fresh', size):
                    break
            q = int(rng.integers(55, 96))
            ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, q])
            (d / f"fa_{i:05d}.jpg").write_bytes(buf.tobytes())


def contact_sheet(out: Path, path: Path, per_row: int = 8) -> None:
    rows = []
    for fr, fruit in LABELS:
        files = sorted((Path(out) / f"{fr}{fruit}").glob('*.jpg'))[:per_row]
        ims = [cv2.imread(str(f)) for f in files]
        th = ims[0].shape[0]
        label = np.full((th, 170, 3), 255, np.uint8)
        cv2.putText(label, f"{fr}{fruit}", (6, th // 2 + 6), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (0, 0, 0), 1, cv2.LINE_AA)
        pad = np.full((th, 4, 3), 255, np.uint8)
        row = [label]
        for im in ims:
            row += [im, pad]
        rows.append(np.concatenate(row, 1))
        rows.append(np.full((4, rows[-1].shape[1], 3), 255, np.uint8))
    cv2.imwrite(str(path), np.concatenate(rows, 0))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('out', type=Path)
    ap.add_argument('--count', type=int, default=400)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--size', default='128x128')
    ap.add_argument('--contact', type=Path, default=None, help='also write a contact sheet PNG here')
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split('x'))
    t0 = time.time()
    generate(a.out, a.count, a.seed, (w, h))
    dt = time.time() - t0
    print(f"wrote {a.count // 8 * 8} photos to {a.out} in {dt:.1f}s ({dt / max(1, a.count // 8 * 8) * 1000:.1f} ms/photo)")
    if a.contact:
        contact_sheet(a.out, a.contact)


if __name__ == '__main__':
    main()
