#!/usr/bin/env python3
"""fruit_b: procedural machine-vision photos of fresh and rotten fruit on a packing line.

Scenes: fruit on conveyor rollers (plain or spool), flat / modular / fabric belts, plastic crates and
punnets, cardboard boxes and moulded pulp trays, sorter cups, stainless tables, pallets and absorbent
liners, lit by LED bars, light tunnels, fluorescent or sodium lamps and seen by a fixed camera from
above or at an angle.  Fruit (apple, banana, orange, strawberry) is shaded from height fields with
pole-aligned surface features (stalk cavities, navels, calyces, seeds, lenticels, facets) and can
carry rot: bruises, concentric brown-rot rings, fuzzy mould colonies, blackened peel, wrinkles,
splits with juice, collapse.  A sensor stage adds perspective, rolling-shutter skew, motion blur,
defocus, vignetting, exposure / white-balance error, noise, Bayer demosaicing, banding and JPEG.

numpy + OpenCV only.  Usage:  python fruit_b.py OUT --count N --seed S --size 128x128
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import cv2
import numpy as np

F = np.float32
TAU = 2.0 * math.pi
KINDS = ("apple", "banana", "orange", "strawberry")
LABELS = [(fr, k) for fr in ("fresh", "rotten") for k in KINDS]


# ----------------------------------------------------------------------------- small helpers
def lin(c):
    """display-space colour -> linear, shaped (3, 1, 1) for planar (3, h, w) images"""
    return np.power(np.clip(np.asarray(c, F), 0.0, 1.0), 2.2).astype(F).reshape(3, 1, 1)


def jit(r, c, s=0.06):
    c = np.asarray(c, F) * (1.0 + r.normal(0.0, s, 3)).astype(F)
    return np.clip(c, 0.0, 1.0)


def sstep(e0, e1, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def mix3(a, b, t):
    """planar colours: a, b (3, h, w) or (3, 1, 1), t (h, w)"""
    return a + (b - a) * t


def vnoise(r, h, w, cell, octaves=1, persist=0.5, ax=1.0, ay=1.0):
    """smooth value noise, zero mean, unit std"""
    out = np.zeros((h, w), F)
    amp = 1.0
    for _ in range(octaves):
        cx = max(cell * ax, 1.0)
        cy = max(cell * ay, 1.0)
        gw = int(w / cx) + 3
        gh = int(h / cy) + 3
        g = r.standard_normal((gh, gw)).astype(F)
        if cx > 1.0 or cy > 1.0:
            g = cv2.resize(g, (max(w + 1, int(gw * cx)), max(h + 1, int(gh * cy))),
                           interpolation=cv2.INTER_CUBIC)
        oy = int(r.integers(0, g.shape[0] - h + 1))
        ox = int(r.integers(0, g.shape[1] - w + 1))
        out += F(amp) * g[oy:oy + h, ox:ox + w]
        amp *= persist
        cell *= 0.5
    out -= out.mean()
    out /= F(out.std() + 1e-6)
    return out


def pnoise1(r, x, n):
    """periodic 1-D noise of x (period 1), n knots"""
    a = r.standard_normal(n).astype(F)
    a = (np.roll(a, 1) + 2 * a + np.roll(a, -1)) * 0.25
    a /= F(a.std() + 1e-6)
    xp = np.arange(n + 1, dtype=F)
    fp = np.append(a, a[0])
    return np.interp((x % 1.0) * n, xp, fp).astype(F)


def pts16(p):
    return np.round(np.asarray(p, np.float64) * 16.0).astype(np.int32)


def poly_mask(h, w, polys):
    m = np.zeros((h, w), np.uint8)
    cv2.fillPoly(m, [pts16(p) for p in polys], 255, cv2.LINE_AA, 4)
    return m.astype(F) * F(1.0 / 255.0)


def line_mask(h, w, pts, thick):
    m = np.zeros((h, w), np.uint8)
    p = pts16(pts)
    cv2.polylines(m, [p], False, 255, max(1, int(round(thick))), cv2.LINE_AA, 4)
    return m.astype(F) * F(1.0 / 255.0)


def blur(img, sig):
    """gaussian blur; large sigmas on a reduced copy"""
    if sig < 3.0:
        return cv2.GaussianBlur(img, (0, 0), sig)
    k = int(sig / 1.5)
    h, w = img.shape[:2]
    sm = cv2.resize(img, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    sm = cv2.GaussianBlur(sm, (0, 0), sig / k)
    return cv2.resize(sm, (w, h), interpolation=cv2.INTER_LINEAR)


def normals_from_height(h):
    gx = cv2.Sobel(h, cv2.CV_32F, 1, 0, ksize=3) * F(0.125)
    gy = cv2.Sobel(h, cv2.CV_32F, 0, 1, ksize=3) * F(0.125)
    inv = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    return -gx * inv, -gy * inv, inv


def add_bump(nx, ny, nz, bump):
    gx = cv2.Sobel(bump, cv2.CV_32F, 1, 0, ksize=3) * F(0.125)
    gy = cv2.Sobel(bump, cv2.CV_32F, 0, 1, ksize=3) * F(0.125)
    nx = nx - gx * nz
    ny = ny - gy * nz
    inv = 1.0 / np.sqrt(nx * nx + ny * ny + nz * nz + 1e-12)
    return nx * inv, ny * inv, nz * inv


def unit(v):
    v = np.asarray(v, np.float64)
    return v / (np.linalg.norm(v) + 1e-12)


def choice(r, items, p=None):
    if p is not None:
        p = np.asarray(p, np.float64)
        p = p / p.sum()
    return items[int(r.choice(len(items), p=p))]


# ----------------------------------------------------------------------------- lighting
class Ctx:
    pass


def setup_lights(ctx):
    r = ctx.rng
    kind = choice(r, ["led", "tunnel", "sodium", "fluor", "warm", "mixed"],
                  [0.34, 0.18, 0.12, 0.14, 0.1, 0.12])
    cols = {"led": (0.93, 0.99, 1.1), "neutral": (1.0, 1.0, 1.0), "sodium": (1.0, 0.72, 0.36),
            "fluor": (0.9, 1.0, 0.88), "warm": (1.0, 0.83, 0.62)}
    main = {"led": "led", "tunnel": choice(r, ["led", "neutral"]), "sodium": "sodium", "fluor": "fluor",
            "warm": "warm", "mixed": choice(r, ["sodium", "warm", "led"])}[kind]
    lights = []
    if kind == "tunnel":
        el = math.radians(r.uniform(60, 88))
    else:
        el = math.radians(r.uniform(32, 85))
    az = r.uniform(0, TAU)
    mc = np.asarray(cols[main], F) * F(r.uniform(0.9, 1.1))
    lights.append((np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)], F), mc))
    nsec = int(r.integers(0, 3)) + (2 if kind == "tunnel" else 0)
    for _ in range(nsec):
        el2 = math.radians(r.uniform(25, 80))
        az2 = az + r.uniform(0.6, TAU - 0.6)
        sc = cols[choice(r, ["led", "neutral", "sodium", "fluor"])] if kind == "mixed" else cols[main]
        inten = r.uniform(0.15, 0.55) if kind != "tunnel" else r.uniform(0.4, 0.8)
        lights.append((np.array([math.cos(el2) * math.cos(az2), math.cos(el2) * math.sin(az2), math.sin(el2)], F),
                       np.asarray(sc, F) * F(inten)))
    amb_col = np.asarray(cols[main], F) * F(0.6) + np.asarray(cols["neutral"], F) * F(0.4)
    amb = amb_col * F(r.uniform(0.45, 0.75) if kind == "tunnel" else r.uniform(0.12, 0.4))
    ctx.lights = [(L, np.asarray(c, F).reshape(3, 1, 1)) for L, c in lights]
    ctx.amb = np.asarray(amb, F).reshape(3, 1, 1)
    ctx.light_kind = kind
    ctx.sh_strength = r.uniform(0.15, 0.4) if kind == "tunnel" else r.uniform(0.35, 0.8)
    ctx.sh_soft = r.uniform(0.25, 0.6) if kind == "tunnel" else r.uniform(0.03, 0.3)
    ctx.halfvec = [unit(L + np.array([0, 0, 1.0])).astype(F) for L, _ in lights]
    ctx.specw = [1.0] + [0.4] * (len(lights) - 1)


def spow(x, shin):
    """x ** shin with shin rounded to a power of two (repeated squaring; much faster than pow)"""
    k = max(1, int(round(math.log2(max(2.0, float(shin))))))
    x[x < F(1e-5 ** (1.0 / 2 ** k))] = 0.0  # avoid denormals
    for _ in range(k):
        np.multiply(x, x, out=x)
    return x


def shade(ctx, alb, nx, ny, nz, spec, shin, wrap=0.15):
    """wrapped Lambert + Blinn-Phong for all lights; alb None -> the incident light only"""
    amb = F(0.55) + F(0.45) * nz
    light = amb * ctx.amb
    sp = None
    iw = F(1.0 / (1.0 + wrap))
    for (L, col), Hv, sw in zip(ctx.lights, ctx.halfvec, ctx.specw):
        d = nx * F(L[0] * iw) + ny * F(L[1] * iw) + nz * F(L[2] * iw) + F(wrap * iw)
        np.maximum(d, 0.0, out=d)
        light += d * col
        if spec is not None:
            s = nx * Hv[0] + ny * Hv[1] + nz * Hv[2]
            np.clip(s, 0.0, 1.0, out=s)
            s = spow(s, shin)
            sp = s * (col * F(sw)) if sp is None else sp + s * (col * F(sw))
    out = light if alb is None else alb * light
    if sp is not None:
        out = out + sp * spec
    return out


def flat_light(ctx, nz=1.0):
    """light reaching a surface with normal ~z (for small overlays)"""
    col = ctx.amb * F(0.55 + 0.45 * nz)
    for L, c in ctx.lights:
        col = col + c * F(max(0.0, L[2] * nz))
    return col


# ----------------------------------------------------------------------------- backgrounds
BELT_COLS = [(0.08, 0.08, 0.09), (0.22, 0.23, 0.24), (0.16, 0.45, 0.27), (0.18, 0.42, 0.72),
             (0.86, 0.87, 0.85), (0.52, 0.7, 0.85), (0.7, 0.66, 0.55), (0.35, 0.38, 0.42)]
PLASTIC_COLS = [(0.1, 0.3, 0.68), (0.12, 0.48, 0.25), (0.72, 0.1, 0.08), (0.1, 0.1, 0.11), (0.45, 0.46, 0.48),
                (0.9, 0.74, 0.12), (0.85, 0.86, 0.84), (0.2, 0.55, 0.6), (0.9, 0.45, 0.1)]


def grid(D):
    yy, xx = np.mgrid[0:D, 0:D].astype(F)
    return yy, xx


def tri(x):
    return np.abs((x % 1.0) * 2.0 - 1.0)


def add_label(r, alb, bump, D, pc, x, y, ang=0.0):
    """white barcode label on a surface"""
    w = r.uniform(5, 10) * pc
    h = w * r.uniform(0.45, 0.8)
    c, s = math.cos(ang), math.sin(ang)
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    rot = np.array([[c, -s], [s, c]])
    pts = corners @ rot.T + [x, y]
    m = poly_mask(D, D, [pts])
    paper = lin(jit(r, choice(r, [(0.92, 0.92, 0.9), (0.95, 0.93, 0.8), (0.9, 0.93, 0.95)]), 0.03))
    # barcode stripes and text rows
    yy, xx = grid(D)
    lx = (xx - x) * c + (yy - y) * s
    ly = -(xx - x) * s + (yy - y) * c
    bars = (pnoise1(r, lx / (w * 4) + 0.5, 37) > 0.2) & (np.abs(lx) < 0.4 * w) & (ly > 0.05 * h) & (ly < 0.38 * h)
    txt = (np.abs(ly + 0.2 * h) < 0.06 * h) & (np.abs(lx) < 0.4 * w) & (pnoise1(r, lx / w, 23) > -0.3)
    txt2 = (np.abs(ly + 0.36 * h) < 0.04 * h) & (np.abs(lx + 0.1 * w) < 0.3 * w) & (pnoise1(r, lx / w, 31) > -0.2)
    ink = (bars | txt | txt2).astype(F) * m
    col = mix3(alb, paper, m)
    col = mix3(col, np.full((3, 1, 1), 0.02, F), ink * 0.9)
    alb[:] = col
    bump += m * F(0.2)


def bg_rollers(r, D, pc):
    yy, xx = grid(D)
    pitch = r.uniform(6.0, 10.5) * pc
    rad = pitch * r.uniform(0.37, 0.47)
    ph = r.uniform(0, pitch)
    t = (yy + ph) % F(pitch) - F(pitch / 2)
    spool = r.random() < 0.45
    lanes = []
    if spool:
        per = r.uniform(8.5, 13.0) * pc
        ox = r.uniform(0, per)
        q = tri((xx + ox) / per)
        radx = F(rad) * (F(0.5) + F(0.5) * q)
        lanes = [(-ox + per * (k + 0.5)) for k in range(-1, int(D / per) + 2)]
    else:
        radx = np.full_like(xx, F(rad))
    a = np.clip(t / radx, -1.0, 1.0)
    inside = np.abs(t) < radx
    h = np.where(inside, radx * np.sqrt(np.clip(1.0 - a * a, 0, 1)), 0.0).astype(F)
    mat = choice(r, ["steel", "plastic", "rubber"], [0.35, 0.45, 0.2])
    if mat == "steel":
        col = lin(jit(r, (0.6, 0.61, 0.63), 0.04))
        spec, shin = 0.9, 30.0
    elif mat == "plastic":
        col = lin(jit(r, choice(r, PLASTIC_COLS), 0.06))
        spec, shin = 0.25, 14.0
    else:
        col = lin(jit(r, (0.09, 0.09, 0.1), 0.1))
        spec, shin = 0.08, 8.0
    n1 = vnoise(r, D, D, 12 * pc, 2)
    nf = vnoise(r, D, D, 0.6, 1)
    rcol = col * (1.0 + 0.08 * n1 + 0.04 * nf)
    if r.random() < 0.4:  # grooves / rings around rollers
        gp = r.uniform(1.5, 5.0) * pc
        g = tri(xx / gp) > 0.93
        rcol = rcol * np.where(g, 0.55, 1.0).astype(F)
    under = lin(jit(r, (0.05, 0.05, 0.06), 0.2)) * (1.0 + 0.3 * n1)
    alb = np.where(inside, rcol, under).astype(F)
    # dirt
    dirt = sstep(1.2, 2.2, vnoise(r, D, D, 3 * pc, 2))
    alb = alb * (1.0 - 0.35 * dirt)
    specm = np.where(inside, F(spec), F(0.0)).astype(F) * (1.0 - 0.8 * dirt)
    hints = []
    nrow = int(D / pitch) + 2
    for k in range(-1, nrow + 1):
        y = k * pitch - ph
        if spool:
            hints += [(x, y) for x in lanes]
        else:
            hints += [(x, y) for x in np.arange(0, D, 0.7 * pc)]
    return alb, h, specm, shin, hints, math.pi / 2


def bg_belt(r, D, pc):
    yy, xx = grid(D)
    col = lin(jit(r, choice(r, BELT_COLS), 0.06))
    tex = choice(r, ["smooth", "fabric", "diamond", "modular", "ribbed", "rough"], [0.22, 0.16, 0.14, 0.22, 0.12, 0.14])
    n1 = vnoise(r, D, D, 15 * pc, 2)
    nf = vnoise(r, D, D, 0.7, 1)
    alb = col * (1.0 + 0.06 * n1 + 0.05 * nf)
    bump = np.zeros((D, D), F)
    spec, shin = 0.12, 10.0
    if tex == "fabric":
        p = max(2.2, r.uniform(0.12, 0.3) * pc)
        w = np.sin(TAU * xx / p) * np.sin(TAU * yy / p)
        bump += F(0.6) * w
        alb = alb * (1.0 + 0.08 * w)
        spec = 0.04
    elif tex == "diamond":
        p = r.uniform(0.5, 1.2) * pc
        d = tri((xx + yy) / p) + tri((xx - yy) / p)
        bump += F(p * 0.12) * sstep(1.2, 1.6, d)
    elif tex == "modular":
        p = r.uniform(2.0, 5.0) * pc
        hinge = tri(xx / p) > 0.9
        bump -= hinge.astype(F) * F(1.5)
        alb = alb * np.where(hinge, 0.55, 1.0).astype(F)
        if r.random() < 0.6:
            hp = r.uniform(0.8, 1.6) * pc
            holes = (tri(yy / hp + 0.5 * (np.floor(xx / p) % 2)) > 0.78) & (tri(xx / p + 0.5) > 0.45)
            alb = np.where(holes, alb * 0.1, alb)
            bump -= holes.astype(F) * F(2.0)
        else:
            rp = r.uniform(0.6, 1.2) * pc
            rib = tri(yy / rp)
            bump += F(0.8) * sstep(0.6, 0.9, rib)
        spec, shin = 0.2, 16.0
    elif tex == "ribbed":
        p = r.uniform(0.4, 1.2) * pc
        bump += F(p * 0.2) * np.sin(TAU * yy / p)
    elif tex == "rough":
        bump += F(0.9) * vnoise(r, D, D, max(1.2, 0.25 * pc), 1)
        spec = 0.05
    else:
        spec, shin = r.uniform(0.1, 0.35), r.uniform(8, 25)
    # scuffs and stains along the running direction (x)
    sc = vnoise(r, D, D, 2.5 * pc, 2, ax=8.0, ay=0.25)
    alb = alb * (1.0 + 0.12 * sstep(1.0, 2.5, sc))
    st = sstep(1.3, 2.4, vnoise(r, D, D, 6 * pc, 3))
    alb = alb * (1.0 - 0.25 * st)
    if r.random() < 0.25:  # seam
        xs = r.uniform(0, D)
        seam = np.abs(xx - xs - 0.2 * (yy - D / 2)) < 0.25 * pc
        alb = np.where(seam, alb * 0.6, alb)
    specm = np.full((D, D), F(spec)) * (1.0 - 0.5 * st)
    # side rails
    if r.random() < 0.5:
        half = r.uniform(0.3, 0.65) * D * 0.7
        rw = r.uniform(2.5, 6.0) * pc
        yc = D / 2 + r.uniform(-0.15, 0.15) * D
        for sgn in (-1, 1):
            if r.random() < 0.25:
                continue
            e = yc + sgn * half
            dd = (yy - e) * sgn
            rail = (dd > 0) & (dd < rw)
            beyond = dd >= rw
            steel = lin(jit(r, (0.62, 0.63, 0.65), 0.03)) * (1.0 + 0.15 * vnoise(r, D, D, 3 * pc, 1, ax=10, ay=0.2))
            alb = np.where(rail, steel, alb)
            alb = np.where(beyond, lin((0.05, 0.05, 0.055)) * (1 + 0.3 * n1), alb)
            prof = np.clip(dd / rw, 0, 1)
            bump = np.where(rail, F(rw * 0.5) * np.sin(np.pi * prof) + F(4.0), bump)
            bump = np.where(beyond, F(-2.0), bump)
            specm = np.where(rail, F(0.8), specm)
            specm = np.where(beyond, F(0.02), specm)
    if r.random() < 0.12:
        add_label(r, alb, bump, D, pc, D / 2 + r.uniform(-0.35, 0.35) * D, D / 2 + r.uniform(-0.35, 0.35) * D,
                  r.uniform(-0.3, 0.3))
    return alb.astype(F), bump, specm.astype(F), shin, [], 0.0


def add_wall(r, alb, bump, specm, D, pc, col, axis, sgn, dist, rimcol=None):
    """inner wall of a crate / box seen from above: a ramp band beyond `dist` from the centre"""
    yy, xx = grid(D)
    c = (yy if axis == 0 else xx) - D / 2
    dd = c * sgn - dist
    wt = r.uniform(4.0, 12.0) * pc
    wall = (dd > 0) & (dd < wt)
    rim = (dd >= wt) & (dd < wt + r.uniform(0.6, 1.6) * pc)
    out = dd >= wt + 1.6 * pc
    slope = r.uniform(1.2, 2.5)
    h = np.where(dd > 0, np.minimum(dd, wt) * F(slope), 0.0).astype(F)
    if axis == 0:
        h = h  # ramp along y
    shade_ao = sstep(0.0, wt * 0.5, dd)
    wcol = col * (0.55 + 0.45 * shade_ao)
    alb[:] = np.where(wall, wcol, alb)
    rc = col if rimcol is None else rimcol
    alb[:] = np.where(rim, rc * 1.15, alb)
    alb[:] = np.where(out, lin((0.06, 0.06, 0.06)), alb)
    bump[:] = np.where(dd > 0, bump + h, bump)
    specm[:] = np.where(out, 0.02, specm)
    # handle hole
    if r.random() < 0.5:
        along = (xx if axis == 0 else yy) - D / 2 - r.uniform(-0.3, 0.3) * D
        across = dd - wt * 0.5
        hole = (np.abs(along) < 5 * pc) & (np.abs(across) < wt * 0.22)
        alb[:] = np.where(hole, lin((0.03, 0.03, 0.03)), alb)


def bg_crate(r, D, pc, punnet=False):
    yy, xx = grid(D)
    if punnet:
        col = lin(jit(r, choice(r, [(0.15, 0.45, 0.2), (0.82, 0.84, 0.8), (0.1, 0.1, 0.1), (0.25, 0.35, 0.6),
                                    (0.7, 0.74, 0.72)]), 0.05))
    else:
        col = lin(jit(r, choice(r, PLASTIC_COLS), 0.05))
    n1 = vnoise(r, D, D, 10 * pc, 2)
    alb = col * (1.0 + 0.06 * n1)
    bump = np.zeros((D, D), F)
    if punnet:
        sw, sh = r.uniform(0.3, 0.6) * pc, r.uniform(1.0, 2.5) * pc
        px, py = sw * r.uniform(2.5, 5), sh * r.uniform(1.3, 2.0)
    else:
        sw, sh = r.uniform(0.5, 1.4) * pc, r.uniform(1.5, 5.0) * pc
        px, py = sw * r.uniform(1.6, 3.0), sh * r.uniform(1.15, 1.6)
    if r.random() < 0.5:
        sw, sh, px, py = sh, sw, py, px
    lx = ((xx + r.uniform(0, px)) % F(px)) - F(px / 2)
    ly = ((yy + r.uniform(0, py)) % F(py)) - F(py / 2)
    slot = (np.abs(lx) < sw / 2) & (np.abs(ly) < sh / 2)
    under = lin(jit(r, choice(r, [(0.05, 0.05, 0.05), (0.2, 0.2, 0.2), (0.35, 0.3, 0.25)]), 0.2))
    alb = np.where(slot, under * (1 + 0.3 * n1), alb)
    bump = bump - slot.astype(F) * F(2.5)
    if not punnet:
        rib = (np.abs(np.abs(lx) - sw / 2 - 0.15 * pc) < 0.12 * pc) | (np.abs(np.abs(ly) - sh / 2 - 0.15 * pc) < 0.12 * pc)
        bump = bump + rib.astype(F) * F(0.8)
    specm = np.full((D, D), F(0.25 if not punnet else 0.5), F)
    scr = sstep(1.5, 3.0, vnoise(r, D, D, 1.0 * pc, 1, ax=6, ay=0.3))
    alb = alb * (1.0 + 0.25 * scr)
    nw = choice(r, [0, 1, 1, 2], None)
    used = set()
    for _ in range(nw):
        axis, sgn = int(r.integers(2)), int(r.choice([-1, 1]))
        if (axis, sgn) in used:
            continue
        used.add((axis, sgn))
        add_wall(r, alb, bump, specm, D, pc, col, axis, sgn, r.uniform(0.22, 0.45) * D * 0.72)
    if not punnet and r.random() < 0.2:
        add_label(r, alb, bump, D, pc, D / 2 + r.uniform(-0.3, 0.3) * D, D / 2 + r.uniform(-0.3, 0.3) * D,
                  r.uniform(-0.5, 0.5))
    return alb.astype(F), bump, specm, 20.0, [], 0.0


def bg_cardboard(r, D, pc):
    yy, xx = grid(D)
    pulp = r.random() < 0.45
    hints = []
    if pulp:
        col = lin(jit(r, choice(r, [(0.72, 0.7, 0.64), (0.6, 0.68, 0.55), (0.58, 0.66, 0.8), (0.66, 0.58, 0.7),
                                    (0.8, 0.74, 0.6), (0.5, 0.5, 0.5)]), 0.04))
        pit = r.uniform(7.5, 10.0) * pc
        ox, oy = r.uniform(0, pit), r.uniform(0, pit)
        hexa = r.random() < 0.5
        row = np.floor((yy + oy) / pit)
        sx = (xx + ox + (0.5 * pit * (row % 2) if hexa else 0.0))
        lx = (sx % F(pit)) - F(pit / 2)
        ly = ((yy + oy) % F(pit)) - F(pit / 2)
        d = np.sqrt(lx * lx + ly * ly) / F(pit * 0.5)
        depth = pit * r.uniform(0.25, 0.4)
        bump = (-F(depth) * np.clip(1.0 - d * d, 0, 1) + F(depth * 0.15) * sstep(0.9, 1.3, d)).astype(F)
        bump = cv2.GaussianBlur(bump, (0, 0), 0.05 * pit + 0.5)
        n1 = vnoise(r, D, D, 8 * pc, 2)
        nf = vnoise(r, D, D, 0.8, 1)
        alb = col * (1.0 + 0.06 * n1 + 0.1 * nf)
        spec = 0.02
        for k in range(-1, int(D / pit) + 2):
            for j in range(-1, int(D / pit) + 2):
                hx = j * pit - ox + pit / 2 - (0.5 * pit * (k % 2) if hexa else 0.0)
                hints.append((hx, k * pit - oy + pit / 2))
        hints = [(x + 0.0, y) for x, y in hints]
        specm = np.full((D, D), F(spec))
    else:
        col = lin(jit(r, choice(r, [(0.62, 0.47, 0.3), (0.7, 0.56, 0.38), (0.55, 0.4, 0.26), (0.86, 0.83, 0.76)]), 0.04))
        n1 = vnoise(r, D, D, 8 * pc, 2)
        nf = vnoise(r, D, D, 0.7, 1, ax=3.0, ay=0.6)
        alb = col * (1.0 + 0.07 * n1 + 0.06 * nf)
        cp = r.uniform(0.4, 0.8) * pc
        corr = np.sin(TAU * (xx if r.random() < 0.5 else yy) / F(cp))
        bump = F(0.25) * corr
        # printed marks
        for _ in range(int(r.integers(0, 4))):
            ink = lin(jit(r, choice(r, [(0.1, 0.1, 0.12), (0.12, 0.25, 0.6), (0.1, 0.4, 0.2), (0.7, 0.12, 0.1)]), 0.1))
            x0, y0 = r.uniform(0, D), r.uniform(0, D)
            w, h = r.uniform(3, 20) * pc, r.uniform(0.8, 6) * pc
            m = (np.abs(xx - x0) < w / 2) & (np.abs(yy - y0) < h / 2)
            if r.random() < 0.5:  # text-like rows
                m &= (tri(yy / (0.9 * pc)) > 0.35) & (pnoise1(r, xx / (w * 2), 29) > -0.4)
            a = m.astype(F) * F(r.uniform(0.5, 0.9)) * (0.8 + 0.2 * nf)
            alb = mix3(alb, ink, a)
        if r.random() < 0.3:  # tape
            y0 = r.uniform(0.2, 0.8) * D
            tw = r.uniform(3, 5) * pc
            m = np.abs(yy - y0 - 0.1 * (xx - D / 2)) < tw / 2
            tape = lin(jit(r, choice(r, [(0.75, 0.6, 0.35), (0.85, 0.85, 0.82), (0.5, 0.45, 0.35)]), 0.05))
            alb = np.where(m, mix3(alb, tape, np.full((D, D), 0.6, F)), alb)
            bump = bump + m.astype(F) * F(0.3)
        specm = np.full((D, D), F(0.03))
        if r.random() < 0.5:
            specm = np.where(bump > 0.29, F(0.4), specm).astype(F)
    nw = choice(r, [0, 1, 1, 2], None)
    used = set()
    for _ in range(nw):
        axis, sgn = int(r.integers(2)), int(r.choice([-1, 1]))
        if (axis, sgn) in used:
            continue
        used.add((axis, sgn))
        add_wall(r, alb, bump, specm, D, pc, col * F(0.9), axis, sgn, r.uniform(0.22, 0.45) * D * 0.72,
                 rimcol=col * F(0.75))
    return alb.astype(F), bump.astype(F), specm.astype(F), 12.0, hints, 0.0


def bg_steel(r, D, pc):
    yy, xx = grid(D)
    col = lin(jit(r, (0.58, 0.59, 0.6), 0.03))
    br = vnoise(r, D, D, 0.7, 1, ax=25.0, ay=0.5)
    ref = vnoise(r, D, D, 25 * pc, 2, ax=3.0, ay=0.5)
    alb = col * (1.0 + 0.07 * br + 0.15 * ref)
    bump = F(0.15) * br
    specm = np.full((D, D), F(0.5))
    if r.random() < 0.35:  # perforated
        p = r.uniform(1.0, 2.5) * pc
        lx = (xx % F(p)) - F(p / 2)
        ly = (yy % F(p)) - F(p / 2)
        hole = (lx * lx + ly * ly) < (p * 0.28) ** 2
        alb = np.where(hole, lin((0.03, 0.03, 0.03)), alb)
        specm = np.where(hole, F(0.0), specm)
        bump = bump - hole.astype(F) * F(1.5)
    nd = int(r.integers(0, 25))
    if nd:
        m = np.zeros((D, D), np.uint8)
        for _ in range(nd):
            cv2.circle(m, (int(r.uniform(0, D)), int(r.uniform(0, D))), int(r.uniform(0.1, 0.5) * pc + 1), 255, -1)
        md = cv2.GaussianBlur(m.astype(F) / 255, (0, 0), 1.0)
        bump = bump + md * F(2.0)
        specm = np.maximum(specm, md * F(1.2))
    return alb.astype(F), bump.astype(F), specm, 40.0, [], 0.0


def bg_cups(r, D, pc):
    yy, xx = grid(D)
    base = lin(jit(r, choice(r, [(0.08, 0.08, 0.09), (0.2, 0.22, 0.25), (0.12, 0.2, 0.4)]), 0.1))
    n1 = vnoise(r, D, D, 8 * pc, 2)
    alb = base * (1.0 + 0.15 * n1)
    px, py = r.uniform(10, 14) * pc, r.uniform(10, 15) * pc
    ox, oy = r.uniform(0, px), r.uniform(0, py)
    lx = ((xx + ox) % F(px)) - F(px / 2)
    ly = ((yy + oy) % F(py)) - F(py / 2)
    d = np.sqrt(lx * lx + ly * ly)
    rc = min(px, py) * r.uniform(0.36, 0.45)
    cup = d < rc
    ccol = lin(jit(r, choice(r, [(0.75, 0.1, 0.08), (0.85, 0.85, 0.83), (0.15, 0.35, 0.7), (0.9, 0.72, 0.1),
                                 (0.1, 0.1, 0.1), (0.2, 0.55, 0.3)]), 0.05))
    q = d / F(rc)
    alb = np.where(cup, ccol * (0.7 + 0.3 * q), alb)
    bump = np.where(cup, -F(rc * 0.35) * (1 - q * q) + F(1.5) * sstep(0.85, 1.0, q), 0.0).astype(F)
    # fingers / ribs of the cup
    if r.random() < 0.5:
        ang = np.arctan2(ly, lx)
        fing = (np.cos(ang * int(r.integers(4, 8))) > 0.6) & (q > 0.45) & cup
        alb = np.where(fing, alb * 0.6, alb)
    specm = np.where(cup, F(0.3), F(0.08)).astype(F)
    hints = []
    for k in range(-1, int(D / py) + 2):
        for j in range(-1, int(D / px) + 2):
            hints.append((j * px - ox + px / 2, k * py - oy + py / 2))
    return alb.astype(F), bump, specm, 18.0, hints, 0.0


def bg_wood(r, D, pc):
    yy, xx = grid(D)
    if r.random() < 0.35:  # concrete floor
        col = lin(jit(r, (0.55, 0.54, 0.52), 0.05))
        n1 = vnoise(r, D, D, 12 * pc, 3)
        nf = vnoise(r, D, D, 0.8, 1)
        alb = col * (1.0 + 0.12 * n1 + 0.1 * nf)
        st = sstep(0.8, 2.0, vnoise(r, D, D, 8 * pc, 2))
        alb = alb * (1.0 - 0.3 * st)
        return alb.astype(F), F(0.5) * nf, np.full((D, D), F(0.05)), 6.0, [], 0.0
    sw = r.uniform(7, 14) * pc
    gap = r.uniform(0.6, 2.5) * pc
    oy = r.uniform(0, sw + gap)
    ly = (yy + oy) % F(sw + gap)
    slat = ly < sw
    sid = np.floor((yy + oy) / (sw + gap))
    col = lin(jit(r, choice(r, [(0.72, 0.58, 0.4), (0.62, 0.5, 0.35), (0.8, 0.7, 0.52), (0.5, 0.42, 0.32)]), 0.05))
    grain = vnoise(r, D, D, 1.2 * pc, 2, ax=12.0, ay=0.4)
    lines = np.sin(grain * 3.0 + yy * F(TAU / (0.5 * pc)) * 0.2)
    per = (np.sin(sid * 12.9898) * 43758.5453) % 1.0
    alb = col * (1.0 + 0.12 * lines + 0.12 * (per - 0.5))
    alb = np.where(slat, alb, lin((0.04, 0.035, 0.03)))
    bump = np.where(slat, F(2.0) + F(0.3) * lines, F(-3.0)).astype(F)
    return alb.astype(F), bump, np.full((D, D), F(0.04)), 6.0, [], 0.0


def bg_liner(r, D, pc):
    yy, xx = grid(D)
    col = lin(jit(r, choice(r, [(0.92, 0.92, 0.9), (0.85, 0.9, 0.95), (0.9, 0.88, 0.82), (0.6, 0.75, 0.9)]), 0.02))
    p = r.uniform(1.5, 4.0) * pc
    d = np.minimum(tri((xx + yy) / p), tri((xx - yy) / p))
    q = sstep(0.0, 0.15, d)
    nf = vnoise(r, D, D, 0.8, 1)
    alb = col * (0.9 + 0.1 * q + 0.03 * nf)
    bump = F(p * 0.15) * q + F(0.2) * nf
    return alb.astype(F), bump.astype(F), np.full((D, D), F(0.03)), 6.0, [], 0.0


BG_WEIGHTS = {
    "apple": {"rollers": 0.2, "belt": 0.2, "crate": 0.14, "cardboard": 0.2, "cups": 0.1, "steel": 0.06, "wood": 0.05, "liner": 0.05},
    "orange": {"rollers": 0.24, "belt": 0.2, "crate": 0.2, "cardboard": 0.1, "cups": 0.1, "steel": 0.06, "wood": 0.05, "liner": 0.05},
    "banana": {"rollers": 0.1, "belt": 0.26, "crate": 0.15, "cardboard": 0.25, "steel": 0.1, "wood": 0.09, "liner": 0.05},
    "strawberry": {"rollers": 0.07, "belt": 0.2, "crate": 0.16, "punnet": 0.16, "cardboard": 0.08, "steel": 0.1,
                   "wood": 0.05, "liner": 0.18},
}


def make_background(ctx, kind):
    r = ctx.rng
    W, H = ctx.W, ctx.H
    bs = 0.5 if min(W, H) > 160 else 1.0
    D = int(math.ceil(math.hypot(W, H) * bs)) + 4
    names = list(BG_WEIGHTS[kind].keys())
    bgname = choice(r, names, list(BG_WEIGHTS[kind].values()))
    pc = ctx.pc * bs
    fn = {"rollers": bg_rollers, "belt": bg_belt, "crate": bg_crate, "punnet": lambda a, b, c: bg_crate(a, b, c, True),
          "cardboard": bg_cardboard, "steel": bg_steel, "cups": bg_cups, "wood": bg_wood, "liner": bg_liner}[bgname]
    alb, bump, specm, shin, hints, motion = fn(r, D, pc)
    ang = choice(r, [0.0, 90.0, 180.0, 270.0]) + r.normal(0, 3) if r.random() < 0.55 else r.uniform(0, 360)
    M = cv2.getRotationMatrix2D((D / 2, D / 2), ang, 1.0 / bs)
    M[0, 2] += W / 2 - D / 2
    M[1, 2] += H / 2 - D / 2
    alb = np.broadcast_to(alb, (3, D, D))
    stack = cv2.merge([alb[0], alb[1], alb[2], bump * F(1.0 / bs), specm.astype(F)])
    out = cv2.warpAffine(stack, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    ch = cv2.split(out)
    alb, bump, specm = np.stack(ch[:3]), ch[3], ch[4]
    nx, ny, nz = normals_from_height(bump)
    img = shade(ctx, alb, nx, ny, nz, specm, shin, wrap=0.0)
    hp = []
    for (x, y) in hints:
        px = M[0, 0] * x + M[0, 1] * y + M[0, 2]
        py = M[1, 0] * x + M[1, 1] * y + M[1, 2]
        if -0.1 * W < px < 1.1 * W and -0.1 * H < py < 1.1 * H:
            hp.append((px, py))
    # direction of motion in the image (angle in radians, image coords)
    a = math.radians(-ang) + motion
    ctx.motion_dir = a
    ctx.moving = bgname in ("rollers", "belt", "cups")
    ctx.bgname = bgname
    return img.astype(F), hp


# ----------------------------------------------------------------------------- fruit state + rot
class St:
    pass


def pick_sphere(r, zmin=0.35):
    z = r.uniform(zmin, 0.97)
    a = r.uniform(0, TAU)
    s = math.sqrt(1 - z * z)
    return np.array([s * math.cos(a), s * math.sin(a), z], F)


ROT_FORMS = {
    "apple": (["bruise", "rings", "mould", "shrivel", "collapse", "split", "large", "black"],
              [0.2, 0.18, 0.16, 0.1, 0.08, 0.06, 0.14, 0.08]),
    "orange": (["mould", "sour", "black", "shrivel", "collapse", "split", "bruise"],
               [0.4, 0.1, 0.12, 0.12, 0.1, 0.06, 0.1]),
    "strawberry": (["botrytis", "soft", "rhizopus", "collapse", "shrivel"], [0.32, 0.24, 0.14, 0.14, 0.16]),
    "banana": (["black", "brown"], [0.6, 0.4]),
}


def choose_forms(r, kind):
    names, p = ROT_FORMS[kind]
    f = [choice(r, names, p)]
    if kind == "banana":
        for extra, pr in (("split", 0.22), ("mould", 0.25), ("shrivel", 0.2)):
            if r.random() < pr:
                f.append(extra)
        return f
    if r.random() < 0.35:
        g = choice(r, names, p)
        if g not in f and not ({"collapse", "shrivel"} >= {g} and "collapse" in f):
            f.append(g)
    # forms that read weakly on their own always come with a visible lesion
    weak = {"split", "collapse", "shrivel"}
    if set(f) <= weak:
        if kind == "strawberry":
            f.append(choice(r, ["soft", "botrytis"], [0.6, 0.4]))
        elif kind == "apple":
            f.append(choice(r, ["bruise", "large", "rings"], [0.4, 0.3, 0.3]))
        else:
            f.append(choice(r, ["sour", "mould", "bruise"], [0.35, 0.45, 0.2]))
    return f


def lesion_d(st, r, rmin, rmax, rough=0.35, zmin=0.35):
    c = st.pick(zmin)
    rad = st.R * r.uniform(rmin, rmax)
    a = r.uniform(0, TAU)
    nz = st.n1 * F(math.cos(a)) + st.n2 * F(math.sin(a))
    d0 = st.dist(c) / F(rad)
    return d0 + F(rough) * nz * F(0.5), d0 + F(0.08) * st.n1


def mould_overlay(st, r, d, ccol, rimcol, rim_start, dens=1.0):
    fuzz = st.nfs * F(0.6) + st.n2 * F(0.25)
    a = np.clip((1.0 - d) * 3.0 + fuzz * 0.8, 0.0, 1.0) * F(dens)
    tcol = mix3(ccol, rimcol, sstep(rim_start, min(0.99, rim_start + 0.3), d))
    st.ov_col = mix3(st.ov_col, tcol, a)
    st.ov_a = np.maximum(st.ov_a, a)
    st.bump += a * F(st.R * 0.03)
    st.spec *= (1.0 - a)


def apply_rot(st, r, kind, forms):
    R = st.R
    for f in forms:
        if f == "bruise":
            d, _ = lesion_d(st, r, 0.3, 0.85)
            m = sstep(1.0, 0.55, d)
            col = lin(jit(r, (0.45, 0.29, 0.14) if kind != "strawberry" else (0.4, 0.12, 0.08), 0.08))
            core = sstep(0.8, 0.0, d)
            tgt = col * (1.0 - 0.35 * core + 0.1 * st.n2)
            st.alb = mix3(st.alb, tgt, 0.9 * m)
            st.bump -= m * F(R * 0.06)
            st.spec *= 1.0 - 0.75 * m
        elif f in ("rings", "large", "black", "sour", "soft"):
            if f == "large":
                d, dsm = lesion_d(st, r, 1.0, 1.9, zmin=0.55)
            elif f == "rings":
                d, dsm = lesion_d(st, r, 0.45, 1.3)
            elif f in ("soft", "sour"):
                d, dsm = lesion_d(st, r, 0.55, 1.4)
            else:
                d, dsm = lesion_d(st, r, 0.35, 1.2)
            m = sstep(1.0, 0.8, d)
            if f == "black":
                c1, c2 = lin(jit(r, (0.08, 0.06, 0.05), 0.1)), lin(jit(r, (0.3, 0.14, 0.12), 0.1))
                col = mix3(c1, c2, sstep(0.6, 1.0, d))
            elif f == "sour":
                c1 = lin(jit(r, choice(r, [(0.62, 0.46, 0.28), (0.55, 0.4, 0.22), (0.5, 0.36, 0.2)]), 0.06))
                col = mix3(c1 * (1.0 + 0.2 * st.n2), c1 * F(0.5), sstep(0.55, 1.0, d))
            elif f == "soft":
                c1 = lin(jit(r, choice(r, [(0.45, 0.26, 0.16), (0.4, 0.28, 0.2), (0.5, 0.32, 0.22), (0.38, 0.2, 0.14)]), 0.08))
                col = c1 * (1.0 + 0.15 * st.n2)
            else:
                nr = r.uniform(2.0, 4.5)
                ring = F(0.5) + F(0.5) * np.sin(dsm * F(nr * TAU) + F(r.uniform(0, TAU)))
                dark = lin(jit(r, (0.3, 0.18, 0.08), 0.1))
                mid = lin(jit(r, (0.48, 0.32, 0.15), 0.1))
                col = mix3(dark, mid, ring * (0.6 + 0.4 * sstep(0.0, 0.8, d)))
                if r.random() < 0.6:
                    pust = sstep(1.5, 2.2, st.nf) * sstep(0.6, 0.85, ring) * m * F(0.8)
                    col = mix3(col, lin((0.82, 0.78, 0.64)), pust)
                    st.bump += pust * F(R * 0.012)
                st.bump += ring * m * F(R * 0.01)
            st.alb = mix3(st.alb, col, m)
            st.spec *= 1.0 - (0.85 if f != "sour" else 0.3) * m
            st.bump -= m * F(R * (0.03 if f != "soft" else 0.06))
            if f in ("soft", "sour"):
                st.wet = np.maximum(st.wet, m * 0.4)
                st.juice = st.juice or r.random() < 0.5
            if f == "large" and r.random() < 0.5:
                st.bump += m * F(R * 0.025) * (1.0 - np.abs(vnoise(r, *st.shape, R * 0.15, 1)))
        elif f == "mould":
            nc = 1 if r.random() < 0.6 else int(r.integers(2, 4))
            if kind == "orange":
                ccol = lin(jit(r, choice(r, [(0.45, 0.58, 0.32), (0.3, 0.52, 0.45), (0.35, 0.5, 0.55),
                                             (0.55, 0.6, 0.35)]), 0.06))
            elif kind == "banana":
                ccol = lin(jit(r, choice(r, [(0.75, 0.75, 0.72), (0.55, 0.58, 0.5), (0.85, 0.85, 0.82)]), 0.04))
            else:
                ccol = lin(jit(r, choice(r, [(0.4, 0.55, 0.5), (0.45, 0.52, 0.58), (0.8, 0.8, 0.78),
                                             (0.52, 0.56, 0.45)]), 0.05))
            rimcol = lin(jit(r, (0.93, 0.93, 0.9), 0.02))
            for i in range(nc):
                d, _ = lesion_d(st, r, 0.28 if nc == 1 else 0.2, 1.0 if nc == 1 else 0.5, rough=0.45)
                halo = sstep(1.6, 1.0, d)
                soak = lin(jit(r, (0.55, 0.4, 0.22) if kind != "orange" else (0.78, 0.55, 0.28), 0.06))
                st.alb = mix3(st.alb, soak * (1 + 0.1 * st.n2), halo * 0.75)
                st.spec *= 1.0 - 0.5 * halo
                mould_overlay(st, r, d, ccol, rimcol, r.uniform(0.35, 0.7) if kind == "orange" else r.uniform(0.5, 0.9))
        elif f == "botrytis":
            d, _ = lesion_d(st, r, 0.5, 1.8, rough=0.5, zmin=0.2)
            under = sstep(1.3, 0.9, d)
            st.alb = mix3(st.alb, lin(jit(r, (0.42, 0.2, 0.13), 0.08)), under * 0.85)
            st.spec *= 1.0 - 0.8 * under
            grey = lin(jit(r, choice(r, [(0.62, 0.6, 0.55), (0.55, 0.52, 0.47), (0.7, 0.7, 0.66)]), 0.04))
            mould_overlay(st, r, d, grey * F(0.85), grey, 0.6, dens=r.uniform(0.75, 1.0))
            st.calyx_dead = True
        elif f == "rhizopus":
            d, _ = lesion_d(st, r, 0.5, 1.5, rough=0.5, zmin=0.2)
            under = sstep(1.4, 0.9, d)
            st.alb = mix3(st.alb, lin((0.5, 0.15, 0.12)), under * 0.7)
            white = lin(jit(r, (0.92, 0.92, 0.9), 0.02))
            mould_overlay(st, r, d, white, white, 0.7, dens=0.9)
            dots = (sstep(1.6, 2.2, st.nf) * st.ov_a)
            st.ov_col = mix3(st.ov_col, lin((0.08, 0.08, 0.08)), dots)
            st.juice = True
            st.calyx_dead = True
        elif f in ("shrivel", "collapse"):
            ang = r.uniform(0, np.pi)
            w1 = vnoise(r, *st.shape, R * r.uniform(0.16, 0.3), 2, ax=1.0 + 2 * abs(math.cos(ang)), ay=1.0 + 2 * abs(math.sin(ang)))
            ridges = 1.0 - np.abs(w1)
            st.bump += ridges * F(R * (0.06 if f == "shrivel" else 0.08))
            brown = lin(jit(r, (0.42, 0.27, 0.12) if kind != "strawberry" else (0.3, 0.05, 0.06), 0.08))
            k = r.uniform(0.5, 0.8) if kind != "strawberry" else r.uniform(0.65, 0.85)
            st.alb = st.alb * F(1 - k) + (brown * F(k)) * (0.75 + 0.5 * ridges)
            st.spec *= 0.12
            if f == "collapse":
                d, _ = lesion_d(st, r, 0.6, 1.4)
                m = sstep(1.0, 0.7, d)
                st.alb = mix3(st.alb, lin(jit(r, (0.32, 0.2, 0.1) if kind != "strawberry" else (0.25, 0.05, 0.05), 0.1)), m * 0.8)
                st.juice = st.juice or r.random() < 0.6
            st.calyx_dead = True
        elif f == "split":
            c = st.pick(0.5)
            # start point in patch pixel coords: pixel whose surface coordinate is nearest c
            dd = st.dist(c)
            dd = np.where(st.alpha > 0.99, dd, 1e9)
            iy, ix = np.unravel_index(int(np.argmin(dd)), dd.shape)
            L = R * r.uniform(0.6, 1.3)
            if st.axis is not None:
                base = math.atan2(st.axis[1], st.axis[0]) + r.normal(0, 0.25)
            else:
                base = r.uniform(0, TAU)
            pts = []
            for j in range(7):
                s = (j / 6.0 - 0.5) * L
                off = r.normal(0, 0.04 * L)
                pts.append((ix + s * math.cos(base) - off * math.sin(base), iy + s * math.sin(base) + off * math.cos(base)))
            th = R * r.uniform(0.05, 0.12)
            cm = line_mask(st.shape[0], st.shape[1], pts, th) * st.alpha
            wet = cv2.GaussianBlur(cm, (0, 0), R * 0.15 + 0.5)
            wet = np.clip(wet * 2.5, 0, 1)
            flesh = {"apple": (0.8, 0.7, 0.45), "orange": (0.95, 0.6, 0.18), "strawberry": (0.85, 0.3, 0.3),
                     "banana": (0.88, 0.8, 0.58)}[kind]
            halo = np.clip(blur(cm, R * 0.25 + 1.0) * 3.0, 0, 1) * sstep(-0.6, 0.6, st.n2 + 0.3)
            st.alb = mix3(st.alb, lin(jit(r, (0.45, 0.3, 0.15), 0.08)), halo * 0.85)
            st.spec *= 1.0 - 0.6 * halo
            inner = cv2.erode(cm, np.ones((3, 3), np.uint8))
            inner = cv2.erode(inner, np.ones((3, 3), np.uint8)) if th > 5 else inner * 0.6
            st.alb = mix3(st.alb, lin((0.1, 0.06, 0.03)), cm)
            st.alb = mix3(st.alb, lin(jit(r, flesh, 0.05)) * F(0.7), inner)
            st.bump -= cm * F(R * 0.06)
            st.wet = np.maximum(st.wet, wet)
            st.juice = True


def finish_fruit(ctx, st, nx, ny, nz, shin):
    nx, ny, nz = add_bump(nx, ny, nz, st.bump)
    spec = st.spec + st.wet * F(0.9)
    rgb = shade(ctx, st.alb, nx, ny, nz, spec, shin, wrap=st.wrap)
    if st.wet.max() > 0.05:  # extra sharp wet glints
        rgb += shade(ctx, F(0.0), nx, ny, nz, st.wet * F(1.2), 80.0, wrap=0.0)
    if st.ov_a.max() > 0.01:
        light = shade(ctx, None, nx * 0.6, ny * 0.6, np.maximum(nz, 0.3), None, 1.0, wrap=0.5)
        fz = (0.85 + 0.12 * np.clip(st.nfs, -1.5, 1.5) + 0.06 * st.n2)
        rgb = rgb * (1.0 - st.ov_a) + (st.ov_col * light * fz) * st.ov_a
    return rgb.astype(F), (nx, ny, nz)


def new_state(r, shape, R):
    st = St()
    st.shape = shape
    st.R = R
    h, w = shape
    st.n1 = vnoise(r, h, w, max(2.0, R * 0.35), 2)
    st.n2 = vnoise(r, h, w, max(1.5, R * 0.12), 2)
    st.nf = vnoise(r, h, w, 1.0, 1)
    st.nfs = vnoise(r, h, w, max(1.5, R * 0.05), 2, persist=0.7)
    st.ov_col = np.zeros((3,) + shape, F)
    st.ov_a = np.zeros(shape, F)
    st.wet = np.zeros(shape, F)
    st.bump = np.zeros(shape, F)
    st.juice = False
    st.calyx_dead = False
    st.axis = None
    st.wrap = 0.15
    return st


# ----------------------------------------------------------------------------- round fruit (apple / orange)
def in_canvas(ctx, x0, y0, shape):
    """patch pixels that land well inside the frame (rot is placed where the camera sees it)"""
    h, w = shape
    mg = 0.12 * min(ctx.W, ctx.H)
    ys = np.arange(h) + y0
    xs = np.arange(w) + x0
    return ((ys >= mg) & (ys < ctx.H - mg))[:, None] & ((xs >= mg) & (xs < ctx.W - mg))[None, :]


def clip_patch(ctx, cx, cy, hs, mg):
    """square patch of half size hs around (cx, cy), clipped to the canvas plus a margin"""
    xa, ya = int(math.floor(cx)) - hs, int(math.floor(cy)) - hs
    xb, yb = xa + 2 * hs + 1, ya + 2 * hs + 1
    xa, ya = max(xa, -mg), max(ya, -mg)
    xb, yb = min(xb, ctx.W + mg), min(yb, ctx.H + mg)
    if xb - xa < 6 or yb - ya < 6:
        return None
    xs = np.arange(xa, xb, dtype=F) + F(0.5 - cx)
    ys = np.arange(ya, yb, dtype=F) + F(0.5 - cy)
    X, Y = np.meshgrid(xs, ys)
    return xa, ya, X, Y


def render_round(ctx, fr):
    r = ctx.rng
    kind, R, forms = fr["kind"], fr["R"], fr["forms"]
    var = fr["variety"]
    collapse = "collapse" in forms
    if kind == "apple":
        q = r.uniform(0.8, 1.02)
        lob = [(k, r.uniform(0.004, 0.03), r.uniform(0, TAU)) for k in (2, 3, 5)]
    elif var == "mandarin":
        q = r.uniform(0.66, 0.82)
        lob = [(k, r.uniform(0.0, 0.015), r.uniform(0, TAU)) for k in (2, 3)]
    else:
        q = r.uniform(0.9, 1.0)
        lob = [(k, r.uniform(0.0, 0.015), r.uniform(0, TAU)) for k in (2, 3)]
    cosb = r.uniform(-1, 1)
    if kind == "orange" and var == "mandarin" and r.random() < 0.5:
        cosb = math.copysign(r.uniform(0.8, 1.0), cosb)  # mandarins rest on their flat ends
    sinb = math.sqrt(max(0.0, 1 - cosb * cosb))
    a = math.sqrt(cosb * cosb + q * q * sinb * sinb)
    psi = r.uniform(0, TAU)
    cps, sps = math.cos(psi), math.sin(psi)
    pv = np.array([-sps * sinb, cps * sinb, cosb], F)
    zf = 1.0
    if collapse:
        zf = r.uniform(0.4, 0.65)
        lob = [(k, (amp * 3 + r.uniform(0.01, 0.04)) if k < 4 else amp, ph) for k, amp, ph in lob]
    if "shrivel" in forms:
        lob = [(k, amp * 1.8, ph) for k, amp, ph in lob]
    hs = int(R * 1.45) + 4
    cx, cy = fr["cx"], fr["cy"]
    pt = clip_patch(ctx, cx, cy, hs, int(R * 0.7) + 6)
    if pt is None:
        return None
    x0, y0, X, Y = pt
    PH, PW = X.shape
    u = X * F(cps) + Y * F(sps)
    v = (-X * F(sps) + Y * F(cps)) * F(1.0 / a)
    rho = np.sqrt(u * u + v * v) * F(1.0 / R)
    th = np.arctan2(v, u)
    rs = np.ones_like(rho)
    for k, amp, ph in lob:
        rs += F(amp) * np.cos(th * k + F(ph))
    if collapse or "shrivel" in forms:
        rs += F(0.035 if collapse else 0.015) * pnoise1(r, th / F(TAU), 13)
    rn = rho / rs
    sdf = (1.0 - rn) * F(R) * rs * (F(a) + F(1 - a) * np.abs(np.cos(th)))
    alpha = np.clip(sdf + 0.5, 0.0, 1.0).astype(F)
    Xs = np.clip(u / (F(R) * rs), -1, 1)
    Ys = np.clip(v / (F(R) * rs), -1, 1)
    Zs = np.sqrt(np.clip(1.0 - Xs * Xs - Ys * Ys, 0.0, 1.0))
    nu, nv, nzz = F(zf) * Xs, F(zf) * Ys / F(a), Zs + F(0.02)
    nx = nu * F(cps) - nv * F(sps)
    ny = nu * F(sps) + nv * F(cps)
    inv = 1.0 / np.sqrt(nx * nx + ny * ny + nzz * nzz)
    nx, ny, nz = nx * inv, ny * inv, nzz * inv
    Px = Xs * F(cps) - Ys * F(sps)
    Py = Xs * F(sps) + Ys * F(cps)
    Pz = Zs
    cp = Px * pv[0] + Py * pv[1] + Pz * pv[2]
    e1 = unit(np.cross(pv, [0.3, 0.5, 0.8]))
    e2 = np.cross(pv, e1)
    phi = np.arctan2(Px * F(e2[0]) + Py * F(e2[1]) + Pz * F(e2[2]), Px * F(e1[0]) + Py * F(e1[1]) + Pz * F(e1[2]))
    st = new_state(r, (PH, PW), R)
    st.alpha = alpha
    st.dist = lambda c: F(R) * np.sqrt((Px - c[0]) ** 2 + (Py - c[1]) ** 2 + (Pz - c[2]) ** 2)
    cand = np.argwhere((alpha > 0.99) & in_canvas(ctx, x0, y0, alpha.shape))

    def pick(zmin):
        if len(cand):
            for _ in range(24):
                iy, ix = cand[int(r.integers(len(cand)))]
                if Pz[iy, ix] >= zmin:
                    return np.array([Px[iy, ix], Py[iy, ix], Pz[iy, ix]], F)
        return pick_sphere(r, zmin)

    st.pick = pick

    def proj(p):
        xs_ = p[0] * cps + p[1] * sps
        ys_ = -p[0] * sps + p[1] * cps
        uu, vv = xs_ * R, ys_ * R * a
        return cx + uu * cps - vv * sps - x0 - 0.5, cy + uu * sps + vv * cps - y0 - 0.5

    if kind == "apple":
        shin = r.uniform(28, 90)
        spec_s = r.uniform(0.1, 0.4) * math.sqrt(shin / 90.0)
        if var == "red":
            ground = lin(jit(r, (0.78, 0.68, 0.3)))
            red = lin(jit(r, choice(r, [(0.58, 0.06, 0.08), (0.68, 0.1, 0.1), (0.48, 0.05, 0.1)]), 0.08))
            cover = r.uniform(0.85, 1.0)
        elif var == "green":
            ground = lin(jit(r, choice(r, [(0.58, 0.72, 0.32), (0.64, 0.76, 0.38), (0.52, 0.66, 0.27)])))
            red = lin(jit(r, (0.8, 0.42, 0.32)))
            cover = r.uniform(0.0, 0.12)
        elif var == "yellow":
            ground = lin(jit(r, choice(r, [(0.9, 0.8, 0.35), (0.85, 0.82, 0.4), (0.93, 0.76, 0.3)])))
            red = lin(jit(r, (0.92, 0.52, 0.35)))
            cover = r.uniform(0.0, 0.3)
        else:
            ground = lin(jit(r, choice(r, [(0.88, 0.8, 0.38), (0.8, 0.8, 0.38), (0.92, 0.76, 0.4)])))
            red = lin(jit(r, choice(r, [(0.78, 0.14, 0.12), (0.82, 0.22, 0.2), (0.68, 0.1, 0.12), (0.88, 0.3, 0.3)]), 0.05))
            cover = r.uniform(0.35, 0.85)
        stripe = pnoise1(r, phi / F(TAU), int(r.integers(40, 90)))
        streak = r.uniform(0.2, 1.0)
        bdir = pick_sphere(r, -0.5)
        bd = Px * bdir[0] + Py * bdir[1] + Pz * bdir[2]
        t0 = 1.0 - 2.0 * cover
        bl = sstep(t0 - 0.7, t0 + 0.7, bd + 0.06 * st.n1)
        bl = bl + F(streak * 1.2) * stripe * bl * (1.0 - bl)
        if cover > 0.8:
            bl = np.maximum(bl, F(0.85))
        redv = red * (F(0.85) + F(0.25 * streak) * np.clip(stripe, -1, 1))
        alb = mix3(ground * np.ones_like(rho), redv, np.clip(bl, 0, 1))
        alb = alb * (1.0 + 0.05 * st.n1 + 0.03 * st.n2)
        # stalk cavity and calyx basin
        cav = sstep(0.92, 0.99, cp)
        bas = sstep(-0.9, -0.98, cp)
        st.bump = -(cav + bas * 0.7) * F(R * 0.09)
        rus = cav * (0.5 + 0.5 * pnoise1(r, phi / F(TAU), 24))
        alb = mix3(alb, lin(jit(r, (0.55, 0.5, 0.28))), np.clip(rus, 0, 1) * 0.35)
        alb = alb * (1.0 - 0.15 * cav - 0.15 * bas)
        st.bump += st.n1 * F(R * 0.006)
        st.alb = alb.astype(F)
        st.spec = np.full((PH, PW), F(spec_s), F) * (1.0 - 0.6 * cav)
        # lenticels
        lay = np.zeros((PH, PW), np.uint8)
        cnt = int(r.integers(60, 220))
        g = r.standard_normal((cnt, 3))
        g /= np.linalg.norm(g, axis=1, keepdims=True)
        rl = max(0.6, R * r.uniform(0.005, 0.012))
        for p in g:
            if p[2] < 0.15 or abs(float(p @ pv)) > 0.85:
                continue
            qx, qy = proj(p)
            cv2.circle(lay, (int(qx * 16), int(qy * 16)), int(rl * 16 * (0.5 + 0.5 * p[2])), 255, -1, cv2.LINE_AA, 4)
        lent = lay.astype(F) / 255.0 * F(r.uniform(0.15, 0.45) * min(1.0, max(0.15, (R - 12.0) / 60.0)))
        lcol = lin((0.9, 0.82, 0.7) if var != "yellow" else (0.6, 0.5, 0.3))
        st.alb = mix3(st.alb, lcol, lent)
    else:
        shin = r.uniform(20, 50) if var != "mandarin" else r.uniform(30, 70)
        spec_s = r.uniform(0.2, 0.5)
        if var == "mandarin":
            base = lin(jit(r, choice(r, [(1.0, 0.42, 0.03), (0.98, 0.5, 0.06), (0.95, 0.38, 0.02)]), 0.04))
        else:
            base = lin(jit(r, choice(r, [(0.98, 0.52, 0.06), (1.0, 0.58, 0.1), (0.95, 0.45, 0.04), (0.98, 0.55, 0.08)]), 0.04))
        alb = base * (1.0 + 0.06 * st.n1 + 0.03 * st.n2)
        if r.random() < 0.15:  # slight regreening near the stem
            gr = sstep(0.5, 0.97, cp) * F(r.uniform(0.15, 0.4))
            alb = mix3(alb, lin((0.6, 0.62, 0.15)), gr)
        dimp = vnoise(r, PH, PW, max(1.1, R * r.uniform(0.03, 0.055)), 2, persist=0.6)
        st.bump = dimp * F(R * r.uniform(0.003, 0.006))
        alb = alb * (1.0 - 0.04 * dimp)
        if var == "mandarin":
            nseg = int(r.integers(9, 13))
            st.bump -= F(R * 0.008) * np.power(np.abs(np.cos(phi * F(nseg / 2.0))), 8) * (1.0 - np.abs(cp))
        # stem button
        btn = sstep(0.984, 0.992, cp)
        star = sstep(0.3, 0.8, np.cos(phi * 5))
        alb = mix3(alb, lin(jit(r, (0.5, 0.45, 0.18))), btn * (0.6 + 0.4 * star))
        st.bump += btn * F(R * 0.02)
        if var == "navel":
            nav = sstep(-0.93, -0.97, cp)
            st.bump += nav * np.sin(phi * 14) * F(R * 0.01) - sstep(-0.96, -0.995, cp) * F(R * 0.03)
            alb = alb * (1.0 - 0.1 * nav)
        st.alb = alb.astype(F)
        st.spec = np.full((PH, PW), F(spec_s), F)
        st.wrap = 0.3
    if forms:
        apply_rot(st, r, kind, forms)
    rgb, (nx, ny, nz) = finish_fruit(ctx, st, nx, ny, nz, shin)
    # stalk (apple) / stem + leaf (orange)
    dead = bool(forms)
    if kind == "apple" and pv[2] > 0.05 and r.random() < 0.97:
        bx, by = proj(pv)
        d2 = np.array([pv[0], pv[1]])
        ln = np.linalg.norm(d2)
        dirv = d2 / ln if ln > 0.2 else np.array([math.cos(psi + 1), math.sin(psi + 1)])
        length = R * r.uniform(0.18, 0.4) * (0.35 + 0.65 * min(1.0, ln * 1.3))
        tip = (bx + dirv[0] * length + r.normal(0, 0.05 * R), by + dirv[1] * length + r.normal(0, 0.05 * R))
        sm = line_mask(PH, PW, [(bx, by), ((bx + tip[0]) / 2 + r.normal(0, 0.03 * R), (by + tip[1]) / 2), tip],
                       max(1.5, R * r.uniform(0.04, 0.07)))
        scol = lin(jit(r, (0.35, 0.24, 0.12) if not dead else (0.2, 0.14, 0.08), 0.1)) * flat_light(ctx, 0.8)
        rgb = mix3(rgb, scol * (0.85 + 0.3 * st.nf.clip(-1, 1)), sm)
        alpha = np.maximum(alpha, sm)
    if kind == "orange" and pv[2] > 0.3 and r.random() < 0.25 and not dead:
        bx, by = proj(pv)
        ang = r.uniform(0, TAU)
        length = R * r.uniform(0.9, 1.4)
        wdt = length * r.uniform(0.22, 0.3)
        ca, sa = math.cos(ang), math.sin(ang)
        t = np.linspace(0, 1, 9)
        side = wdt * np.sin(np.pi * t) ** 0.8
        xs = bx + ca * (length * t + R * 0.08)
        ys = by + sa * (length * t + R * 0.08)
        poly = np.concatenate([np.stack([xs - sa * side, ys + ca * side], 1), np.stack([xs + sa * side, ys - ca * side], 1)[::-1]])
        lm = poly_mask(PH, PW, [poly])
        lcol = lin(jit(r, (0.12, 0.35, 0.1), 0.1)) * flat_light(ctx, 0.9) * (1.0 + 0.6 * np.clip(st.n2, -1, 1))
        rib = line_mask(PH, PW, [(xs[0], ys[0]), (xs[-1], ys[-1])], 1)
        lcol = lcol * (1.0 + 0.5 * rib)
        rgb = mix3(rgb, lcol, lm)
        alpha = np.maximum(alpha, lm)
    if kind in ("apple", "orange") and r.random() < 0.12 and not (forms and r.random() < 0.5):
        rgb = add_sticker(ctx, rgb, proj, R)
    return dict(x0=x0, y0=y0, rgb=rgb, alpha=alpha, R=R, height=R * zf, juice=st.juice, jcol=kind)


def add_sticker(ctx, rgb, proj, R):
    r = ctx.rng
    PH, PW = rgb.shape[1:]
    p = pick_sphere(r, 0.55)
    qx, qy = proj(p)
    rad = R * r.uniform(0.16, 0.26)
    ang = math.degrees(math.atan2(p[1], p[0]))
    m = np.zeros((PH, PW), np.uint8)
    cv2.ellipse(m, (int(qx * 16), int(qy * 16)), (int(rad * 16 * p[2]), int(rad * 16 * 1.25)), ang, 0, 360, 255, -1,
                cv2.LINE_AA, 4)
    mf = m.astype(F) / 255.0
    cols = [(0.95, 0.95, 0.92), (0.95, 0.85, 0.1), (0.1, 0.3, 0.75), (0.85, 0.1, 0.1), (0.1, 0.55, 0.25), (0.95, 0.6, 0.1)]
    i1 = int(r.integers(len(cols)))
    i2 = (i1 + int(r.integers(1, len(cols)))) % len(cols)
    c1 = lin(cols[i1]) * flat_light(ctx, p[2])
    c2 = lin(cols[i2]) * flat_light(ctx, p[2])
    m2 = np.zeros((PH, PW), np.uint8)
    cv2.ellipse(m2, (int(qx * 16), int(qy * 16)), (int(rad * 2.5 * p[2]), int(rad * 9)), ang, 0, 360, 255, -1,
                cv2.LINE_AA, 4)
    out = mix3(rgb, c1, mf)
    return mix3(out, c2, m2.astype(F) / 255.0 * F(0.6))


# ----------------------------------------------------------------------------- strawberry
def render_strawberry(ctx, fr):
    r = ctx.rng
    forms = fr["forms"]
    L = fr["R"] * 2.0
    W = L * r.uniform(0.36, 0.5)
    ang = fr.get("ang", r.uniform(0, TAU))
    ca, sa = math.cos(ang), math.sin(ang)
    cx, cy = fr["cx"], fr["cy"]
    hs = int(max(L, W) * 0.95) + 4
    pt = clip_patch(ctx, cx, cy, hs, int(W * 0.7) + 6)
    if pt is None:
        return None
    x0, y0, X, Y = pt
    PH, PW = X.shape
    along = X * F(ca) + Y * F(sa) + F(0.5 * L)
    across = -X * F(sa) + Y * F(ca)
    t = along / F(L)
    bend = r.normal(0, 0.08)
    across = across - F(bend * L) * t * t
    um = r.uniform(0.22, 0.4)
    f0 = r.uniform(0.55, 0.8)
    pw = r.uniform(0.45, 0.8)
    cap = r.uniform(0.1, 0.18)
    collapse = "collapse" in forms
    tc = np.clip(t, -cap, 1.0)
    f_cap = F(f0) * np.sqrt(np.clip(1.0 - (tc / F(cap)) ** 2, 0, 1))
    f_sh = F(f0) + F(1 - f0) * np.sin(F(np.pi / 2) * np.clip(tc / F(um), 0, 1))
    f_tip = np.power(np.clip((1.0 - tc) / F(1 - um), 0, 1), F(pw))
    f = np.where(tc < 0, f_cap, np.where(tc < um, f_sh, f_tip))
    f = f * (1.0 + F(0.05) * pnoise1(r, np.clip(t, 0, 1) * 0.5, 7))
    if collapse or "shrivel" in forms:
        f = f * (1.0 + F(0.08) * pnoise1(r, np.clip(t, 0, 1) * 0.7 + 0.1 * across / F(W), 9))
    w = F(W) * f + F(1e-3)
    inside_t = (t > -cap) & (t < 1.0)
    sdf = np.minimum(w - np.abs(across), np.minimum(t + F(cap), 1.0 - t) * F(L))
    alpha = np.clip(sdf + 0.5, 0, 1) * inside_t
    alpha = alpha.astype(F)
    aa = np.clip(across / w, -1, 1)
    hz = F(0.6 if collapse else 1.0) * w * np.sqrt(np.clip(1 - aa * aa, 0, 1))
    hz = np.where(alpha > 0, hz, 0.0).astype(F)
    nx, ny, nz = normals_from_height(hz)
    tha = np.arcsin(aa)
    st = new_state(r, (PH, PW), L * 0.5)
    st.alpha = alpha
    U = t * F(L)
    V = w * tha
    st.dist = lambda c: np.sqrt((U - c[0]) ** 2 + (V - c[1]) ** 2)
    ok = np.argwhere((alpha > 0.99) & (np.abs(aa) < 0.6) & (t > 0.08) & (t < 0.85) & in_canvas(ctx, x0, y0, alpha.shape))

    def pick(zmin):
        if len(ok) == 0:
            return np.array([0.5 * L, 0.0], F)
        iy, ix = ok[int(r.integers(len(ok)))]
        return np.array([U[iy, ix], V[iy, ix]], F)

    st.pick = pick
    st.axis = (ca, sa)
    # albedo
    red = lin(jit(r, choice(r, [(0.82, 0.08, 0.08), (0.72, 0.05, 0.07), (0.88, 0.14, 0.1), (0.6, 0.03, 0.06)]), 0.05))
    alb = red * (1.0 + 0.1 * st.n1 + 0.05 * st.n2)
    if r.random() < 0.35:
        pale = sstep(0.2, 0.0, t) * F(r.uniform(0.3, 0.8))
        alb = mix3(alb, lin((0.95, 0.75, 0.55)), pale)
    alb = alb * (0.65 + 0.35 * sstep(-0.08, 0.12, t))
    # seeds
    nr = r.uniform(8, 13)
    nc = r.uniform(16, 24)
    ta = np.clip(t, 0, 1) * F(nr)
    ka = np.round(ta)
    tb = tha / F(TAU) * F(nc) + F(0.5) * (ka % 2)
    fa = ta - ka
    fb = tb - np.round(tb)
    da = fa * F(L / nr)
    db = fb * F(TAU / nc) * w * np.sqrt(np.clip(1 - aa * aa, 0.05, 1))
    dseed = np.sqrt(da * da + db * db)
    rseed = min(L / nr, TAU * W / nc) * r.uniform(0.09, 0.15)
    seedm = sstep(rseed, rseed * 0.5, dseed) * sstep(0.04, 0.1, t) * sstep(1.0, 0.92, t)
    pit = sstep(rseed * 2.4, rseed, dseed) * sstep(0.04, 0.1, t)
    scol = lin(jit(r, choice(r, [(0.88, 0.75, 0.3), (0.8, 0.65, 0.25), (0.6, 0.2, 0.08), (0.75, 0.7, 0.35)]), 0.05))
    alb = alb * (1.0 - 0.25 * pit)
    alb = mix3(alb, scol, seedm * 0.9)
    st.bump = -pit * F(max(0.4, rseed * 0.7)) + seedm * F(max(0.3, rseed * 0.5))
    st.alb = alb.astype(F)
    st.spec = np.full((PH, PW), F(r.uniform(0.3, 0.6)), F) * (1.0 - 0.5 * seedm)
    st.wrap = 0.35
    shin = r.uniform(40, 90)
    if forms:
        apply_rot(st, r, "strawberry", forms)
    rgb, _ = finish_fruit(ctx, st, nx, ny, nz, shin)
    # calyx
    topx = cx - ca * 0.5 * L - x0 - 0.5
    topy = cy - sa * 0.5 * L - y0 - 0.5
    px_, py_ = -sa, ca
    dead = st.calyx_dead or (forms and r.random() < 0.5)
    gcol = lin(jit(r, choice(r, [(0.2, 0.42, 0.12), (0.26, 0.48, 0.16), (0.18, 0.36, 0.1)]), 0.08)) if not dead \
        else lin(jit(r, choice(r, [(0.36, 0.32, 0.15), (0.3, 0.3, 0.12), (0.25, 0.2, 0.1)]), 0.1))
    ns = int(r.integers(7, 13))
    lt = flat_light(ctx, 0.85)
    order = []
    for i in range(ns):
        al = TAU * i / ns + r.normal(0, 0.2)
        order.append((math.sin(al), al))
    order.sort()
    cm_all = np.zeros((PH, PW), F)
    for sn, al in order:
        l = W * r.uniform(0.3, 0.62) * (0.75 if dead else 1.0)
        dx = px_ * math.cos(al) + ca * (sn * 0.85 + 0.1)
        dy = py_ * math.cos(al) + sa * (sn * 0.85 + 0.1)
        dn = math.hypot(dx, dy) + 1e-6
        dx, dy = dx / dn, dy / dn
        qx, qy = -dy, dx
        bw = l * r.uniform(0.1, 0.16)
        pts = [(topx + qx * bw * 0.6, topy + qy * bw * 0.6), (topx + dx * l * 0.4 + qx * bw, topy + dy * l * 0.4 + qy * bw),
               (topx + dx * l, topy + dy * l),
               (topx + dx * l * 0.4 - qx * bw, topy + dy * l * 0.4 - qy * bw), (topx - qx * bw * 0.6, topy - qy * bw * 0.6)]
        m = poly_mask(PH, PW, [pts])
        c = gcol * F(r.uniform(0.75, 1.15) * (0.75 + 0.25 * sn)) * lt
        rgb = mix3(rgb, np.broadcast_to(c, rgb.shape) * (0.9 + 0.1 * st.nf), m)
        cm_all = np.maximum(cm_all, m)
    if r.random() < 0.75:
        sang = math.atan2(-sa, -ca) + r.normal(0, 0.6)
        sl = L * r.uniform(0.1, 0.45)
        sm = line_mask(PH, PW, [(topx, topy), (topx + math.cos(sang) * sl, topy + math.sin(sang) * sl)],
                       max(1.5, W * r.uniform(0.08, 0.13)))
        rgb = mix3(rgb, np.broadcast_to(gcol * F(1.1) * lt, rgb.shape), sm)
        cm_all = np.maximum(cm_all, sm)
    alpha = np.maximum(alpha, cm_all)
    return dict(x0=x0, y0=y0, rgb=rgb, alpha=alpha, R=W, height=W, juice=st.juice, jcol="strawberry")


# ----------------------------------------------------------------------------- banana
def banana_geom(fr):
    """arc geometry from stem point, start angle, length"""
    L, dlt = fr["L"], fr["dlt"]
    Rc = L / dlt
    phi0 = fr["phi0"]
    sx, sy = fr["sx"], fr["sy"]
    Cx, Cy = sx - Rc * math.cos(phi0), sy - Rc * math.sin(phi0)
    return Rc, Cx, Cy


def banana_point(fr, t, s=0.0):
    Rc, Cx, Cy = banana_geom(fr)
    ph = fr["phi0"] + fr["sg"] * t * fr["dlt"]
    return Cx + (Rc + s) * math.cos(ph), Cy + (Rc + s) * math.sin(ph)


def render_banana(ctx, fr):
    r = ctx.rng
    forms = fr["forms"]
    L, W = fr["L"], fr["W"]
    Rc, Cx, Cy = banana_geom(fr)
    tn = fr["tn"]
    ts = np.linspace(-tn, 1.02, 16)
    P = np.array([banana_point(fr, t) for t in ts])
    pad = W * 1.3 + 4
    x0 = int(math.floor(P[:, 0].min() - pad))
    x1 = int(math.ceil(P[:, 0].max() + pad))
    y0 = int(math.floor(P[:, 1].min() - pad))
    y1 = int(math.ceil(P[:, 1].max() + pad))
    # clip patch to the canvas (+margin) to save work
    x0 = max(x0, -int(W * 2)); y0 = max(y0, -int(W * 2))
    x1 = min(x1, ctx.W + int(W * 2)); y1 = min(y1, ctx.H + int(W * 2))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    X = (np.arange(x0, x1, dtype=F) + F(0.5 - Cx))[None, :]
    Y = (np.arange(y0, y1, dtype=F) + F(0.5 - Cy))[:, None]
    rr = np.sqrt(X * X + Y * Y)
    ph = np.arctan2(Y, X)
    dph = (ph - F(fr["phi0"]) + F(math.pi)) % F(TAU) - F(math.pi)
    t = dph * F(fr["sg"] / fr["dlt"])
    s = rr - F(Rc)
    tk = [-tn - 0.01, -tn, -0.02, 0.05, 0.16, 0.35, 0.6, 0.8, 0.92, 0.975, 1.0, 1.025]
    wk = [0.0, 0.3, 0.32, 0.62, 0.9, 1.0, 1.0, 0.9, 0.68, 0.4, 0.25, 0.0]
    wk = [x * r.uniform(0.95, 1.05) if 0 < i < 10 else x for i, x in enumerate(wk)]
    wmul = 1.0
    if "shrivel" in forms:
        wmul = r.uniform(0.75, 0.9)
    w = np.interp(t, tk, wk).astype(F) * F(W * wmul)
    if "shrivel" in forms:
        w = w * (1.0 + F(0.06) * pnoise1(r, np.clip(t, 0, 1) * 0.5, 11))
    w = w + F(1e-3)
    sdf = np.minimum(w - np.abs(s), (t + F(tn)) * F(L))
    alpha = np.clip(sdf + 0.5, 0, 1).astype(F) * (t > -tn - 0.01)
    alpha = alpha.astype(F)
    aa = np.clip(s / w, -1, 1)
    circ = np.sqrt(np.clip(1 - aa * aa, 0, 1))
    nf = 5
    rot = r.uniform(0, TAU / nf)
    ap = math.cos(math.pi / nf)
    poly = np.full_like(aa, F(9.0))
    for k in range(nf):
        b = rot + TAU * (k + 0.5) / nf
        cb, sb = math.cos(b), math.sin(b)
        if cb > 0.08:
            poly = np.minimum(poly, (F(ap) - aa * F(sb)) / F(cb))
    poly = np.clip(poly, 0, 1.2)
    kf = r.uniform(0.35, 0.7)
    hz = w * (circ * F(1 - kf) + np.minimum(poly, circ * 1.1 + 0.05) * F(kf))
    hz = np.where(alpha > 0, hz, 0).astype(F)
    nx, ny, nz = normals_from_height(hz)
    h_, w_ = alpha.shape
    st = new_state(r, (h_, w_), W * 2.2)
    st.alpha = alpha
    tha = np.arcsin(aa)
    U = t * F(L)
    V = w * tha
    st.dist = lambda c: np.sqrt((U - c[0]) ** 2 + (V - c[1]) ** 2)
    ok = np.argwhere((alpha > 0.99) & (np.abs(aa) < 0.6) & (t > 0.1) & (t < 0.9) & in_canvas(ctx, x0, y0, alpha.shape))

    def pick(zmin):
        if len(ok) == 0:
            return np.array([0.5 * L, 0.0], F)
        iy, ix = ok[int(r.integers(len(ok)))]
        return np.array([U[iy, ix], V[iy, ix]], F)

    st.pick = pick
    pd = banana_point(fr, 0.5, 0.0)
    pe = banana_point(fr, 0.55, 0.0)
    st.axis = (pe[0] - pd[0], pe[1] - pd[1])
    stage = fr["stage"]
    green = lin(jit(r, (0.5, 0.64, 0.2), 0.05))
    mid = lin(jit(r, (0.76, 0.76, 0.22), 0.05))
    yel = lin(jit(r, choice(r, [(0.96, 0.82, 0.22), (0.98, 0.78, 0.18), (0.95, 0.85, 0.3)]), 0.04))
    body = green + (mid - green) * F(min(1.0, stage * 2)) if stage < 0.5 else mid + (yel - mid) * F((stage - 0.5) * 2)
    tipg = np.maximum(sstep(0.2, 0.0, t), sstep(0.82, 1.0, t)) * F((1.0 - stage) * 0.8 + 0.12)
    alb = mix3(np.broadcast_to(body, (3, h_, w_)), green, tipg)
    streak = pnoise1(r, tha / F(np.pi) + 0.5, 12)
    alb = alb * (1.0 + 0.05 * streak + 0.05 * st.n1)
    # facet ridges slightly darker
    ridge = np.abs(poly - circ) < 0.02
    alb = alb * np.where(ridge & (alpha > 0.99), F(0.9), F(1.0))
    neck = sstep(0.05, -0.03, t)
    stalk = lin(jit(r, choice(r, [(0.5, 0.55, 0.2), (0.55, 0.5, 0.25), (0.45, 0.48, 0.22)]), 0.08))
    alb = mix3(alb, stalk, neck)
    cut = sstep(-tn + 0.025, -tn + 0.005, t)
    alb = mix3(alb, lin(jit(r, (0.5, 0.42, 0.28), 0.1)), cut)
    tip = sstep(0.965, 0.99, t)
    alb = mix3(alb, lin((0.14, 0.11, 0.07)), tip)
    st.alb = alb.astype(F)
    st.spec = np.full((h_, w_), F(r.uniform(0.12, 0.3)), F)
    st.bump = st.n2 * F(0.05)
    shin = r.uniform(12, 25)
    # freckles (normal on ripe bananas)
    if not forms and stage > 0.8 and r.random() < 0.55:
        nsp = int(r.integers(5, 40))
        m = np.zeros((h_, w_), np.uint8)
        for _ in range(nsp):
            tt = r.uniform(0.1, 0.9)
            ss = r.uniform(-0.8, 0.8) * W
            qx, qy = banana_point(fr, tt, ss)
            rad = max(0.5, L * r.uniform(0.003, 0.008))
            cv2.circle(m, (int((qx - x0 - 0.5) * 16), int((qy - y0 - 0.5) * 16)), int(rad * 16), 255, -1, cv2.LINE_AA, 4)
        fm = m.astype(F) / 255.0 * alpha
        st.alb = mix3(st.alb, lin((0.38, 0.25, 0.1)), fm * 0.85)
    if forms:
        nbody = alpha > 0.5
        for f in forms:
            if f == "black":
                cov = r.uniform(0.55, 1.0)
                along = pnoise1(r, np.clip(t, -0.2, 1.1) * 0.45, 9)
                field = along * 0.6 + st.n1 * 0.35 + st.n2 * 0.2 + (sstep(0.25, 0.0, t) + sstep(0.75, 1.0, t)) * 0.8
                vals = field[nbody]
                thr = float(np.quantile(vals, 1 - cov)) if vals.size else 0.0
                m = sstep(thr - 0.35, thr + 0.25, field)
                blk = mix3(np.broadcast_to(lin(jit(r, (0.08, 0.06, 0.04), 0.1)), (3, h_, w_)),
                           lin(jit(r, (0.32, 0.2, 0.08), 0.1)), sstep(-1.0, 1.2, st.nf * 0.3 + st.n2 * 0.7))
                st.alb = mix3(st.alb, lin(jit(r, (0.66, 0.46, 0.13), 0.06)), np.full((h_, w_), F(r.uniform(0.45, 0.85))))
                st.alb = mix3(st.alb, blk, m)
                st.spec *= (1.0 - 0.5 * m)
                st.bump += m * F(0.4) * vnoise(r, h_, w_, max(1.2, W * 0.2), 1, ax=3.0)
            elif f == "brown":
                st.alb = mix3(st.alb, lin((0.72, 0.52, 0.15)), np.full((h_, w_), F(r.uniform(0.3, 0.7))))
                nsp = int(r.integers(80, 200))
                m = np.zeros((h_, w_), np.uint8)
                for _ in range(nsp):
                    tt = r.uniform(0.0, 1.0)
                    ss = r.uniform(-0.9, 0.9) * W
                    qx, qy = banana_point(fr, tt, ss)
                    rad = max(1.0, L * r.uniform(0.012, 0.045))
                    cv2.circle(m, (int((qx - x0 - 0.5) * 16), int((qy - y0 - 0.5) * 16)), int(rad * 16), 255, -1, cv2.LINE_AA, 4)
                fm = cv2.GaussianBlur(m.astype(F) / 255.0, (0, 0), max(0.7, L * 0.004)) * alpha
                ends = (sstep(0.2, 0.0, t) + sstep(0.8, 1.0, t)) * F(r.uniform(0.3, 1.0))
                fm = np.clip(fm + ends, 0, 1)
                st.alb = mix3(st.alb, lin(jit(r, (0.2, 0.12, 0.05), 0.1)), fm * 0.95)
                st.spec *= (1.0 - 0.6 * fm)
            elif f == "mould":
                d = np.sqrt((t + F(tn)) ** 2 * F(L * L) + (w * tha) ** 2) / F(L * r.uniform(0.15, 0.3)) + st.n1 * F(0.25)
                st.alb = mix3(st.alb, lin((0.12, 0.09, 0.05)), sstep(1.5, 1.0, d))
                ccol = lin(jit(r, choice(r, [(0.8, 0.8, 0.77), (0.6, 0.62, 0.55), (0.5, 0.6, 0.5)]), 0.04))
                mould_overlay(st, r, d, ccol, lin((0.93, 0.93, 0.9)), 0.6)
                if r.random() < 0.5:
                    d2, _ = lesion_d(st, r, 0.3, 0.8, rough=0.45)
                    mould_overlay(st, r, d2, ccol, lin((0.93, 0.93, 0.9)), 0.6)
            elif f in ("split", "shrivel"):
                apply_rot(st, r, "banana", [f])
    rgb, _ = finish_fruit(ctx, st, nx, ny, nz, shin)
    return dict(x0=x0, y0=y0, rgb=rgb, alpha=alpha, R=W, height=W * 1.2, juice=st.juice, jcol="banana")


# ----------------------------------------------------------------------------- compositing
def composite(ctx, canvas, fp):
    r = ctx.rng
    H, W = canvas.shape[1:]
    x0, y0 = fp["x0"], fp["y0"]
    rgb, alpha = fp["rgb"], fp["alpha"]
    h, w = alpha.shape
    R = fp["R"]
    L = ctx.lights[0][0]
    hgt = fp["height"]
    offx = -L[0] / max(L[2], 0.25) * hgt * 0.9
    offy = -L[1] / max(L[2], 0.25) * hgt * 0.9
    sig = R * (0.08 + ctx.sh_soft) + 0.8
    pad = int(abs(offx) + abs(offy) + 3 * sig + 2)
    ex = np.zeros((h + 2 * pad, w + 2 * pad), F)
    ex[pad:pad + h, pad:pad + w] = alpha
    M = np.float32([[1, 0, offx], [0, 1, offy]])
    sh = cv2.warpAffine(ex, M, (ex.shape[1], ex.shape[0]), flags=cv2.INTER_LINEAR)
    sh = blur(sh, sig)
    ao = blur(ex, R * 0.12 + 0.6)
    fac = (1.0 - F(ctx.sh_strength) * sh) * (1.0 - F(0.45) * ao)
    # juice puddle
    if fp.get("juice") and r.random() < 0.8:
        jcol = {"strawberry": (0.55, 0.12, 0.12), "orange": (0.9, 0.6, 0.3), "apple": (0.7, 0.55, 0.35),
                "banana": (0.55, 0.4, 0.25)}[fp["jcol"]]
        eh, ew = ex.shape
        blob = blur(ex, R * r.uniform(0.1, 0.25) + 1)
        nz_ = vnoise(r, eh, ew, max(2.0, R * 0.5), 1)
        pm = sstep(0.12, 0.16, blob + 0.04 * nz_) * (1.0 - ex)
        tint = lin(jit(r, jcol, 0.05))
        fac3 = mix3(np.ones((3, eh, ew), F), tint * F(0.85), pm * F(r.uniform(0.5, 0.85)))
        gl = sstep(1.8, 2.4, vnoise(r, eh, ew, max(1.5, R * 0.08), 1)) * pm * F(0.3)
    else:
        fac3 = None
        gl = None
    X0, Y0 = x0 - pad, y0 - pad
    cx0, cy0 = max(X0, 0), max(Y0, 0)
    cx1, cy1 = min(X0 + ex.shape[1], W), min(Y0 + ex.shape[0], H)
    if cx1 > cx0 and cy1 > cy0:
        sl = (slice(cy0, cy1), slice(cx0, cx1))
        ps = (slice(cy0 - Y0, cy1 - Y0), slice(cx0 - X0, cx1 - X0))
        region = canvas[:, sl[0], sl[1]]
        if fac3 is not None:
            region *= fac3[:, ps[0], ps[1]]
            region += gl[ps] * ctx.lights[0][1]
        region *= fac[ps]
    cx0, cy0 = max(x0, 0), max(y0, 0)
    cx1, cy1 = min(x0 + w, W), min(y0 + h, H)
    if cx1 > cx0 and cy1 > cy0:
        sl = (slice(cy0, cy1), slice(cx0, cx1))
        ps = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
        a = alpha[ps]
        c = canvas[:, sl[0], sl[1]]
        c += (rgb[:, ps[0], ps[1]] - c) * a
        if fp.get("fruit", True):
            np.maximum(ctx.fmask[sl], a, out=ctx.fmask[sl])


def draw_leaf(ctx, canvas, x, y, size):
    r = ctx.rng
    n = int(size * 2.4) + 5
    ang = r.uniform(0, TAU)
    ca, sa = math.cos(ang), math.sin(ang)
    t = np.linspace(0, 1, 13)
    wd = size * r.uniform(0.25, 0.4) * np.sin(np.pi * t) ** 0.7
    serr = 1.0 + 0.12 * (np.arange(13) % 2) * (r.random() < 0.5)
    cx, cy = n / 2, n / 2
    xs = cx + ca * (t - 0.5) * size * 2
    ys = cy + sa * (t - 0.5) * size * 2
    poly = np.concatenate([np.stack([xs - sa * wd * serr, ys + ca * wd * serr], 1),
                           np.stack([xs + sa * wd * serr, ys - ca * wd * serr], 1)[::-1]])
    m = poly_mask(n, n, [poly])
    col = lin(jit(r, choice(r, [(0.15, 0.4, 0.12), (0.25, 0.5, 0.15), (0.12, 0.3, 0.1)]), 0.1))
    nz = vnoise(r, n, n, max(1.5, size * 0.2), 1)
    rib = line_mask(n, n, [(xs[0], ys[0]), (xs[-1], ys[-1])], max(1, size * 0.04))
    rgb = col * flat_light(ctx, 0.9) * (1.0 + 0.12 * nz + 0.5 * rib)
    fp = dict(x0=int(x - n / 2), y0=int(y - n / 2), rgb=rgb.astype(F), alpha=m, R=size * 0.3, height=size * 0.05,
              juice=False, fruit=False)
    composite(ctx, canvas, fp)


# ----------------------------------------------------------------------------- scene planning
def plan(ctx, kind, fresh):
    r = ctx.rng
    W, H = ctx.W, ctx.H
    m = min(W, H)
    fruits = []
    if kind == "banana":
        mode = choice(r, ["single", "two", "hand", "hand2"], [0.38, 0.17, 0.35, 0.1])
        if mode == "single":
            L = m * math.exp(r.uniform(math.log(0.45), math.log(1.35)))
        elif mode == "two":
            L = m * r.uniform(0.4, 0.85)
        elif mode == "hand":
            L = m * r.uniform(0.45, 1.1)
        else:
            L = m * r.uniform(0.35, 0.6)
        ctx.pc = L / 19.0
        groups = {"single": 1, "two": 2, "hand": 1, "hand2": 2}[mode]
        nper = 1 if mode in ("single", "two") else int(r.integers(3, 7))
        base_stage = r.uniform(0.45, 1.0) if fresh else r.uniform(0.75, 1.0)
        for gi in range(groups):
            Lg = L * r.uniform(0.9, 1.1)
            dlt = r.uniform(0.5, 1.2)
            sg = choice(r, [-1.0, 1.0])
            phi0 = r.uniform(0, TAU)
            crown_fan = r.uniform(0.06, 0.16)
            tmp = dict(L=Lg, sg=sg, dlt=dlt, phi0=phi0, sx=0.0, sy=0.0)
            mx, my = banana_point(tmp, 0.5)
            if groups == 1:
                tx = W / 2 + r.normal(0, 0.12) * W
                ty = H / 2 + r.normal(0, 0.12) * H
            else:
                tx = W * (0.3 + 0.4 * gi) + r.normal(0, 0.08) * W
                ty = H / 2 + r.normal(0, 0.2) * H
            sx, sy = tx - mx, ty - my
            tn = r.uniform(0.08, 0.15)
            Rc0 = Lg / dlt
            Kx = sx + Rc0 * (math.cos(phi0 - sg * tn * dlt) - math.cos(phi0))
            Ky = sy + Rc0 * (math.sin(phi0 - sg * tn * dlt) - math.sin(phi0))
            for bi in range(nper):
                k = bi - (nper - 1) / 2.0
                fr = dict(kind="banana", L=Lg * r.uniform(0.93, 1.07), W=Lg * r.uniform(0.085, 0.11), sg=sg,
                          dlt=dlt * r.uniform(0.9, 1.1), phi0=phi0 + k * crown_fan * r.uniform(0.8, 1.2),
                          tn=tn * (1.0 if nper == 1 else r.uniform(0.75, 1.0)),
                          stage=float(np.clip(base_stage + r.normal(0, 0.06), 0, 1)), forms=[], group=gi)
                # the neck end (t = -tn) of every banana of a hand sits on the crown point K
                Rc = fr["L"] / fr["dlt"]
                a0, a1 = fr["phi0"], fr["phi0"] - sg * fr["tn"] * fr["dlt"]
                fr["sx"] = Kx - Rc * (math.cos(a1) - math.cos(a0)) + r.normal(0, 0.01) * Lg
                fr["sy"] = Ky - Rc * (math.sin(a1) - math.sin(a0)) + r.normal(0, 0.01) * Lg
                fr["cx"], fr["cy"] = banana_point(fr, 0.5)
                fruits.append(fr)
    else:
        n = choice(r, [1, 2, 3, 4, 5, 6, 8, 10], [0.36, 0.13, 0.12, 0.1, 0.09, 0.08, 0.07, 0.05])
        if n == 1:
            R = m * math.exp(r.uniform(math.log(0.16), math.log(0.55)))
        elif n <= 3:
            R = m * r.uniform(0.12, 0.3)
        else:
            R = m * r.uniform(0.07, 0.2)
        if kind == "strawberry":
            R *= 0.85
        var = None
        if kind == "apple":
            var = choice(r, ["red", "green", "yellow", "bicolour"], [0.3, 0.2, 0.15, 0.35])
            ctx.pc = R / r.uniform(3.3, 4.3)
        elif kind == "orange":
            var = choice(r, ["navel", "mandarin", "valencia"], [0.45, 0.35, 0.2])
            ctx.pc = R / (r.uniform(2.6, 3.3) if var == "mandarin" else r.uniform(3.5, 4.5))
        else:
            ctx.pc = R / r.uniform(1.5, 2.5)
        ctx._plan_R = R
        ctx._plan_n = n
        ctx._plan_var = var
        fruits = None
    return fruits


def place_round(ctx, kind, fresh, hints):
    r = ctx.rng
    W, H = ctx.W, ctx.H
    R, n, var = ctx._plan_R, ctx._plan_n, ctx._plan_var
    fruits = []
    pos = []
    if n == 1:
        if r.random() < 0.14:
            side = r.integers(4)
            e = r.uniform(0.05, 0.3) * R
            cxy = [(r.uniform(0.3, 0.7) * W, e + R * 0.3), (W - e - R * 0.3, r.uniform(0.3, 0.7) * H),
                   (r.uniform(0.3, 0.7) * W, H - e - R * 0.3), (e + R * 0.3, r.uniform(0.3, 0.7) * H)][side]
            pos.append(cxy)
        else:
            sp = max(0.0, 0.5 * min(W, H) - R) * 0.8 + 0.05 * min(W, H)
            if hints and r.random() < 0.6:
                hx, hy = min(hints, key=lambda p: (p[0] - W / 2) ** 2 + (p[1] - H / 2) ** 2 + r.uniform(0, (0.3 * W) ** 2))
                pos.append((hx, hy))
            else:
                pos.append((W / 2 + r.uniform(-sp, sp), H / 2 + r.uniform(-sp, sp)))
    else:
        use_h = hints and r.random() < 0.75
        cand = list(hints) if use_h else None
        tries = 0
        mind = R * (1.5 if kind == "strawberry" else 1.75)
        while len(pos) < n and tries < 400:
            tries += 1
            if cand:
                p = cand[int(r.integers(len(cand)))]
                p = (p[0] + r.normal(0, 0.04 * R), p[1] + r.normal(0, 0.04 * R))
            else:
                p = (r.uniform(-0.1, 1.1) * W, r.uniform(-0.1, 1.1) * H)
            if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 > mind ** 2 for q in pos):
                pos.append(p)
        if not any(0.15 * W < p[0] < 0.85 * W and 0.15 * H < p[1] < 0.85 * H for p in pos):
            pos[0] = (W / 2 + r.uniform(-0.2, 0.2) * W, H / 2 + r.uniform(-0.2, 0.2) * H)
    for (x, y) in pos:
        Ri = R * r.uniform(0.88, 1.12)
        v = var
        if kind == "apple" and r.random() < 0.1:
            v = choice(r, ["red", "green", "yellow", "bicolour"])
        fruits.append(dict(kind=kind, R=Ri, cx=x, cy=y, variety=v, forms=[], ang=r.uniform(0, TAU)))
    return fruits


def inframe(fr, W, H):
    x, y = fr["cx"], fr["cy"]
    return min(x, W - x, y, H - y)


def assign_rot(ctx, fruits, kind, fresh):
    r = ctx.rng
    W, H = ctx.W, ctx.H
    m = min(W, H)
    # main fruit of the photo (the rotten one in a rotten photo): well inside the frame and not tiny;
    # chosen the same way for fresh photos so that framing does not differ between the labels
    if kind == "banana":
        prim = max(fruits, key=lambda f: inframe(f, W, H) + r.uniform(0, 0.08 * W))
    else:
        scores = [inframe(f, W, H) + 0.5 * f["R"] + r.uniform(0, 0.1 * W) for f in fruits]
        prim = fruits[int(np.argmax(scores))]
        prim["R"] = max(prim["R"], 0.11 * m * r.uniform(1.0, 1.2))
    lo = 0.3 if kind == "banana" else 0.2
    dx = min(max(prim["cx"], lo * W), (1 - lo) * W) - prim["cx"]
    dy = min(max(prim["cy"], lo * H), (1 - lo) * H) - prim["cy"]
    if kind == "banana":
        for f in fruits:
            if f["group"] == prim["group"]:
                for kx, ky in (("sx", "sy"), ("cx", "cy")):
                    f[kx] += dx
                    f[ky] += dy
    else:
        prim["cx"] += dx
        prim["cy"] += dy
    if fresh:
        return [f for f in fruits if f is not prim] + [prim] if kind != "banana" else fruits
    prim["forms"] = choose_forms(r, kind)
    prim["primary"] = True
    p_other = r.uniform(0.0, 0.6)
    for f in fruits:
        if f is not prim and r.random() < p_other:
            f["forms"] = choose_forms(r, kind)
    if kind != "banana":
        fruits = [f for f in fruits if f is not prim] + [prim]
    else:
        # keep hand order but make sure the primary banana is on top of its hand
        fruits = [f for f in fruits if f is not prim] + [prim]
    return fruits


# ----------------------------------------------------------------------------- camera / sensor
def camera(ctx, canvas, out_w, out_h):
    r = ctx.rng
    img = cv2.merge([canvas[0], canvas[1], canvas[2], ctx.fmask])
    H, W = img.shape[:2]
    # --- geometry: perspective tilt + rolling shutter skew (one warp)
    M = np.eye(3)
    if r.random() < 0.55:
        k = r.uniform(0.04, 0.2)
        kv = r.uniform(0.0, 0.12)
        q = np.array([[-1, -1], [1, -1], [1 - 2 * k, 1 - kv], [-1 + 2 * k, 1 - kv]], np.float64)
        q[:, 1] = np.where(q[:, 1] < 0, -1 + kv, q[:, 1])
        rot = int(r.integers(4))
        for _ in range(rot):
            q = np.stack([-q[:, 1], q[:, 0]], 1)
        # a trapezoid of the scene (narrow side = near the camera) fills the frame
        src = np.float32((q + 1) * 0.5 * [W, H])
        dst = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
        M = cv2.getPerspectiveTransform(src, np.float32([dst[np.argmin(((dst - s) ** 2).sum(1))] for s in src]))
    if r.random() < 0.3:  # rolling-shutter skew of a moving belt, slightly zoomed so no border shows
        sk = r.uniform(-0.12, 0.12)
        if r.random() < 0.5:
            S = np.array([[1, sk, -sk * H / 2], [0, 1, 0], [0, 0, 1]], np.float64)
            z = 1.0 + abs(sk) * H / W
        else:
            S = np.array([[1, 0, 0], [sk, 1, -sk * W / 2], [0, 0, 1]], np.float64)
            z = 1.0 + abs(sk) * W / H
        Z = np.array([[z, 0, (1 - z) * W / 2], [0, z, (1 - z) * H / 2], [0, 0, 1]], np.float64)
        M = Z @ S @ M
    if not np.allclose(M, np.eye(3)):
        img = cv2.warpPerspective(img, M, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    # --- motion blur
    pm = 0.5 if ctx.moving else 0.15
    if r.random() < pm:
        ln = r.uniform(1.5, 0.06 * W)
        a = ctx.motion_dir if ctx.moving else r.uniform(0, TAU)
        ks = int(ln) | 1
        ks = max(ks, 3)
        ker = np.zeros((ks, ks), np.uint8)
        c = ks / 2 - 0.5
        dx, dy = math.cos(a) * ln / 2, math.sin(a) * ln / 2
        cv2.line(ker, (int((c - dx) * 16), int((c - dy) * 16)), (int((c + dx) * 16), int((c + dy) * 16)), 255, 1,
                 cv2.LINE_AA, 4)
        ker = ker.astype(F)
        ker /= ker.sum()
        img = cv2.filter2D(img, -1, ker, borderType=cv2.BORDER_REFLECT)
    if r.random() < 0.22:
        img = cv2.GaussianBlur(img, (0, 0), r.uniform(0.6, 2.2))
    # --- chromatic aberration
    if r.random() < 0.2:
        s = r.uniform(0.003, 0.012)
        for ch, sc in ((0, 1 + s), (2, 1 - s)):
            Ms = cv2.getRotationMatrix2D((W / 2, H / 2), 0, sc)
            img[..., ch] = cv2.warpAffine(np.ascontiguousarray(img[..., ch]), Ms, (W, H), borderMode=cv2.BORDER_REFLECT)
    img = cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_AREA)
    fm = np.ascontiguousarray(img[..., 3])
    img = np.ascontiguousarray(img[..., :3])
    H, W = out_h, out_w
    yy, xx = np.mgrid[0:H, 0:W].astype(F)
    # --- uneven light: spot + vignetting
    g = np.ones((H, W), F)
    if r.random() < 0.6:
        sx, sy = r.uniform(-0.3, 1.3) * W, r.uniform(-0.3, 1.3) * H
        rr = ((xx - sx) ** 2 + (yy - sy) ** 2) / F((r.uniform(0.5, 1.5) * max(W, H)) ** 2)
        g *= F(1.0) / (F(1.0) + rr * F(r.uniform(0.3, 1.5)))
    if r.random() < 0.7:
        rv = ((xx - W / 2) ** 2 + (yy - H / 2) ** 2) / F((W / 2) ** 2 + (H / 2) ** 2)
        g *= F(1.0) - F(r.uniform(0.1, 0.6)) * rv ** F(r.uniform(1.0, 2.0))
    img = img * g[..., None]
    # --- auto exposure, white balance
    lum = img[..., 0] * F(0.25) + img[..., 1] * F(0.6) + img[..., 2] * F(0.15)
    meanl = float(np.mean(lum)) + 1e-6
    gain = r.uniform(0.18, 0.32) / meanl
    fsel = fm > 0.5
    p = None
    if int(fsel.sum()) > 12:  # object-weighted AE: the fruit's bright side lands high but mostly unclipped
        p = float(np.percentile(img.max(axis=2)[fsel], 80)) + 1e-6
        gain = (r.uniform(0.55, 0.9) / p) ** 0.8 * gain ** 0.2
    e = math.exp(r.normal(0, 0.15))
    u = r.random()
    if u < 0.07:
        e *= r.uniform(1.7, 2.6)  # over exposed
    elif u < 0.14:
        e *= r.uniform(0.6, 0.8)  # under exposed
    elif p is not None:
        e = max(e, 0.45 / (p * gain))  # AE error, but the fruit is not left murky
    img = img * F(gain * e)
    awb = r.uniform(0.0, 0.6)
    bgw = (1.0 - fm).reshape(-1, 1)  # grey-world on the surroundings
    mch = (img.reshape(-1, 3) * bgw).sum(0) / (bgw.sum() + 1e-6) + 1e-6
    gw = (mch.mean() / mch) ** awb
    lim = 1.35 if ctx.light_kind in ("sodium", "mixed", "warm") else 1.15
    gw = np.clip(gw / gw[1], 1.0 / lim, lim)
    wb = gw * np.exp(r.normal(0, 0.06, 3))
    img = img * wb.astype(F)
    # --- sensor noise (linear)
    iso = r.uniform(0.0, 1.0) ** 2
    shot = 0.0004 + 0.004 * iso
    read = 0.001 + 0.004 * iso
    if r.random() < 0.3:
        # bayer sensor: noise on the mosaic, then demosaic
        mos = np.empty((H, W), F)
        mos[0::2, 0::2] = img[0::2, 0::2, 0]
        mos[0::2, 1::2] = img[0::2, 1::2, 1]
        mos[1::2, 0::2] = img[1::2, 0::2, 1]
        mos[1::2, 1::2] = img[1::2, 1::2, 2]
        mos = mos + np.sqrt(np.clip(mos, 0, None) * F(shot)) * r.standard_normal((H, W)).astype(F) \
            + F(read) * r.standard_normal((H, W)).astype(F)
        mos8 = (np.power(np.clip(mos, 0, 1), F(1 / 2.2)) * 255 + 0.5).astype(np.uint8)
        bgr = cv2.cvtColor(mos8, cv2.COLOR_BayerBG2BGR)
        img = np.power(bgr[..., ::-1].astype(F) / 255.0, F(2.2))
    else:
        nz = r.standard_normal((H, W, 3)).astype(F)
        lumn = r.standard_normal((H, W, 1)).astype(F)
        nz = nz * F(0.35) + lumn * F(0.94)
        img = img + np.sqrt(np.clip(img, 0, None) * F(shot)) * nz + F(read) * r.standard_normal((H, W, 3)).astype(F)
    if r.random() < 0.15:  # row banding / LED flicker
        band = 1.0 + r.uniform(0.03, 0.15) * np.sin(TAU * yy[:, :1] / r.uniform(6, 40) + r.uniform(0, TAU))
        img = img * band[..., None].astype(F)
    if r.random() < 0.2:
        img = img + (r.standard_normal((H, 1, 1)) * 0.006).astype(F)
    # --- tone curve
    img = np.clip(img, 0, 1)
    gam = r.uniform(2.0, 2.35)
    img = np.power(img, F(1.0 / gam))
    con = r.uniform(-0.1, 0.3)
    img = img + F(con * 2.0) * (img - img * img) * (F(2) * img - F(1))
    sat = r.uniform(0.9, 1.35)
    gray = img.mean(2, keepdims=True)
    img = gray + (img - gray) * F(sat)
    if r.random() < 0.35:
        bl = cv2.GaussianBlur(img, (0, 0), r.uniform(0.6, 1.2))
        img = img + (img - bl) * F(r.uniform(0.3, 1.2))
    out = np.clip(img * 255.0 + 0.5, 0, 255).astype(np.uint8)[..., ::-1]
    out = np.ascontiguousarray(out)
    q = int(r.integers(30, 96)) if r.random() < 0.8 else int(r.integers(15, 35))
    if r.random() < 0.15:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(r.integers(40, 90))])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
    return buf.tobytes()


# ----------------------------------------------------------------------------- one photo
def render_photo(seed, index, fresh, kind, size):
    r = np.random.default_rng([seed, index, 7919])
    ow, oh = size
    ss = max(1.0, min(2.0, 256.0 / min(ow, oh)))
    ctx = Ctx()
    ctx.rng = r
    ctx.W, ctx.H = int(round(ow * ss)), int(round(oh * ss))
    setup_lights(ctx)
    fruits = plan(ctx, kind, fresh)
    canvas, hints = make_background(ctx, kind)
    ctx.fmask = np.zeros((ctx.H, ctx.W), F)
    if fruits is None:
        fruits = place_round(ctx, kind, fresh, hints)
    fruits = assign_rot(ctx, fruits, kind, fresh)
    # loose leaves / other clutter under the fruit
    if kind in ("strawberry", "orange") and r.random() < 0.18:
        for _ in range(int(r.integers(1, 3))):
            draw_leaf(ctx, canvas, r.uniform(0, ctx.W), r.uniform(0, ctx.H), min(ctx.W, ctx.H) * r.uniform(0.12, 0.3))
    for fr in fruits:
        if kind == "banana":
            fp = render_banana(ctx, fr)
        elif kind == "strawberry":
            fp = render_strawberry(ctx, fr)
        else:
            fp = render_round(ctx, fr)
        if fp is not None:
            composite(ctx, canvas, fp)
    if kind == "banana":
        # crown of each hand
        for g in sorted(set(f["group"] for f in fruits)):
            mem = [f for f in fruits if f["group"] == g]
            if len(mem) < 2:
                continue
            f0 = mem[0]
            tn = f0["tn"]
            x, y = banana_point(f0, -tn)
            rad = f0["W"] * r.uniform(0.5, 0.8)
            n = int(rad * 3) + 5
            yy, xx = np.mgrid[0:n, 0:n].astype(F)
            d = np.sqrt((xx - n / 2) ** 2 + ((yy - n / 2) * 1.4) ** 2) / F(rad)
            a = np.clip((1 - d) * rad + 0.5, 0, 1)
            rotten = any(f["forms"] for f in mem)
            col = lin(jit(r, (0.45, 0.45, 0.2) if not rotten else (0.2, 0.15, 0.08), 0.1))
            rgb = col * flat_light(ctx, 0.9) * (0.7 + 0.3 * (1 - d)).clip(0, 1)
            composite(ctx, canvas, dict(x0=int(x - n / 2), y0=int(y - n / 2), rgb=rgb.astype(F), alpha=a.astype(F),
                                        R=rad, height=rad * 0.5, juice=False, fruit=False))
    # occluding guide bar in the foreground (out of focus)
    if ctx.moving and r.random() < 0.1:
        Wc, Hc = ctx.W, ctx.H
        bar = np.zeros((Hc, Wc), np.uint8)
        e = r.uniform(0.0, 0.12) * Hc
        cv2.rectangle(bar, (0, 0), (Wc, int(e + 0.05 * Hc)), 255, -1)
        bar = cv2.GaussianBlur(bar.astype(F) / 255.0, (0, 0), 3.0)
        Mb = cv2.getRotationMatrix2D((Wc / 2, Hc / 2), choice(r, [0, 90, 180, 270]) + r.normal(0, 4), 1.0)
        bar = cv2.warpAffine(bar, Mb, (Wc, Hc))
        bc = lin(jit(r, (0.5, 0.52, 0.55), 0.1)) * flat_light(ctx)
        canvas[:] = mix3(canvas, bc, bar)
    return camera(ctx, canvas, ow, oh)


def generate(out: Path, count: int, seed: int, size: tuple[int, int] = (128, 128)) -> None:
    out = Path(out)
    per = count // len(LABELS)
    if count % len(LABELS):
        print(f"fruit_b: count {count} is not a multiple of 8; writing {per} per folder", file=sys.stderr)
    for fresh, kind in LABELS:
        (out / f"{fresh}{kind}").mkdir(parents=True, exist_ok=True)
    idx = 0
    for j in range(per):
        for li, (fresh, kind) in enumerate(LABELS):
            data = render_photo(seed, idx, fresh == "fresh", kind, tuple(size))
            (out / f"{fresh}{kind}" / f"fb_{idx:05d}.jpg").write_bytes(data)
            idx += 1


def contact_sheet(out: Path, path: Path, per_row: int = 8, tile: int = 128) -> None:
    """one row per label folder (first `per_row` photos), the label written beside each row"""
    rows = []
    for fresh, kind in LABELS:
        files = sorted((Path(out) / f"{fresh}{kind}").glob("*.jpg"))[:per_row]
        ims = [cv2.resize(cv2.imread(str(f)), (tile, tile), interpolation=cv2.INTER_AREA) for f in files]
        ims += [np.full((tile, tile, 3), 255, np.uint8)] * (per_row - len(ims))
        lab = np.full((tile, 150, 3), 255, np.uint8)
        cv2.putText(lab, fresh, (8, tile // 2 - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2, cv2.LINE_AA)
        cv2.putText(lab, kind, (8, tile // 2 + 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (0, 0, 0), 2, cv2.LINE_AA)
        gap = np.full((tile, 3, 3), 255, np.uint8)
        row = [lab]
        for im in ims:
            row += [im, gap]
        rows.append(np.hstack(row))
        rows.append(np.full((3, rows[-1].shape[1], 3), 255, np.uint8))
    cv2.imwrite(str(path), np.vstack(rows))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", type=str, default="128x128", help="WIDTHxHEIGHT")
    ap.add_argument("--contact", type=Path, default=None, help="also write a contact sheet (PNG) here")
    a = ap.parse_args(argv)
    w, h = (int(v) for v in a.size.lower().split("x"))
    generate(a.out, a.count, a.seed, (w, h))
    if a.contact is not None:
        contact_sheet(a.out, a.contact)


if __name__ == "__main__":
    main()
