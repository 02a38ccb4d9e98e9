#!/usr/bin/env python3
"""kitchen_e: procedural "phone / webcam over a cooking pan" scenes with per-pixel labels.

Classes (mask colours, RGB): stirrer (255,0,0), pan + everything else (0,255,0), food (0,0,255).

The scene is a small 3-D world rendered per pixel: an analytic ray caster for the pans (cone or
spherical bowl, inner/outer wall, lip, lid), a textured counter / hob plane and a back wall, food as
a top-down texture + height map lying on a plane inside the pan, and thin 3-D "strip" objects
(tools, pan handles, fingers, arms, bottles, grates) rasterised with OpenCV (LINE_8, no AA) and
shaded per pixel.  Everything shares one z-buffer, so occlusion is identical in the image and in the
label map.  Motion blur rule: the moving tool + hand layer is smeared along its image-space motion
(a linear exposure kernel); each pixel's label is the class it shows for the largest share of the
exposure (smeared layer coverage per class vs. the uncovered scene behind it; ties go to the
mid-exposure class), i.e. the label is the blurred tool's "core", not its thin smear.
Steam is drawn as thin haze over the image and never changes labels.

Usage: python kitchen_e.py --out DIR --count N --seed S --size 320x240
"""
import argparse
import math
import pathlib

import cv2
import numpy as np

NAME = "kitchen_e"
PAN, STIR, FOOD = 0, 1, 2
MASK_BGR = np.array([[0, 255, 0], [0, 0, 255], [255, 0, 0]], np.uint8)
NEAR = 0.035
F32 = np.float32
_CACHE: dict = {}  # pure functions of the image size only (no randomness)


# ----------------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------------
def lin(c):
    return (np.clip(np.asarray(c, F32), 0, 255) / 255.0) ** 2.2


def jcol(rng, c, s=0.07, sb=0.08):
    """sRGB colour -> linear, with per-channel and brightness jitter."""
    c = np.asarray(c, F32) * np.exp(rng.normal(0, s, 3)) * math.exp(rng.normal(0, sb))
    return lin(c)


def nrm(v):
    v = np.asarray(v, np.float64)
    return v / (np.linalg.norm(v) + 1e-12)


def dot(a, b):
    """row-wise dot product of (k,2) or (k,3) arrays (faster than (a*b).sum(1))."""
    r = a[:, 0] * b[:, 0] + a[:, 1] * b[:, 1]
    if a.shape[1] == 3:
        r += a[:, 2] * b[:, 2]
    return r


def cross(a, b):
    """cross product of 3-vectors (broadcasting over leading axes), cheaper than np.cross."""
    a = np.asarray(a)
    b = np.asarray(b)
    return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1], a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                     a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], -1)


def nrm_rows(a):
    return a / (np.sqrt(dot(a, a)) + 1e-9)[:, None]


def rot_about(v, axis, ang):
    axis = nrm(axis)
    v = np.asarray(v, np.float64)
    return v * math.cos(ang) + cross(axis, v) * math.sin(ang) + axis * np.dot(axis, v) * (1 - math.cos(ang))


def fbm(rng, h, w, cell, octaves=3, pers=0.5, sx=1.0, sy=1.0):
    """Value-noise fbm (resized random grids), roughly zero mean, ~unit amplitude."""
    out = np.zeros((h, w), F32)
    amp, tot, c = 1.0, 0.0, float(cell)
    for _ in range(octaves):
        gh = int(max(2, h / (c * sy))) + 2
        gw = int(max(2, w / (c * sx))) + 2
        g = rng.standard_normal((gh, gw)).astype(F32)
        out += amp * cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
        tot += amp
        amp *= pers
        c /= 2.0
        if c < 1.5:
            break
    return out / tot


def smooth01(x):
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def kelvin_rgb(k):
    table = [(1900, (1.0, 0.55, 0.25)), (2700, (1.0, 0.72, 0.45)), (3200, (1.0, 0.79, 0.58)),
             (4000, (1.0, 0.87, 0.74)), (5000, (1.0, 0.95, 0.88)), (6000, (0.98, 0.98, 0.98)),
             (7000, (0.90, 0.94, 1.0)), (9000, (0.80, 0.88, 1.0))]
    for (k0, c0), (k1, c1) in zip(table[:-1], table[1:]):
        if k <= k1:
            t = (min(max(k, k0), k1) - k0) / (k1 - k0)
            return np.array([a + (b - a) * t for a, b in zip(c0, c1)], F32)
    return np.array(table[-1][1], F32)


# ----------------------------------------------------------------------------------------------
# camera
# ----------------------------------------------------------------------------------------------
class Cam:
    def __init__(self, C, R, f, cx, cy):
        self.C = np.asarray(C, np.float64)
        self.R = np.asarray(R, np.float64)  # rows: x right, y down, z forward (world coords)
        self.f, self.cx, self.cy = f, cx, cy

    def proj(self, P):
        P = np.asarray(P, np.float64)
        pc = (P - self.C) @ self.R.T
        z = pc[..., 2]
        zs = np.maximum(z, 1e-6)
        return np.stack([self.f * pc[..., 0] / zs + self.cx, self.f * pc[..., 1] / zs + self.cy], -1), z


def look_at(C, target, up_hint, roll):
    fw = nrm(np.asarray(target) - np.asarray(C))
    up = np.asarray(up_hint, np.float64)
    up = up - np.dot(up, fw) * fw
    if np.linalg.norm(up) < 1e-6:
        up = np.array([0.0, 1.0, 0.0]) - fw[1] * fw
    yc = -nrm(up)
    xc = cross(yc, fw)
    x2 = math.cos(roll) * xc + math.sin(roll) * yc
    y2 = -math.sin(roll) * xc + math.cos(roll) * yc
    return np.stack([x2, y2, fw])


# ----------------------------------------------------------------------------------------------
# lighting: environment + shading
# ----------------------------------------------------------------------------------------------
def env_lookup(E, r, rough):
    """Procedural room seen in reflections. r: (k,3) directions."""
    rz = r[:, 2]
    t = np.clip(rz * 0.5 + 0.5, 0, 1)[:, None]
    col = E['env_dn'][None] * (1 - t) + E['env_up'][None] * t
    band = 1.0 + E['env_amp'] * np.sin(r[:, 0] * E['env_k'] * 2 + E['env_ph']) * np.sin(r[:, 1] * E['env_k2'] + 1.3) \
        * np.clip(rz * 2.5 + 0.3, -1, 1)
    col = (col * band[:, None]).astype(F32)
    rr = np.broadcast_to(np.asarray(rough, F32) ** 2 * 0.7, rz.shape)
    rrmax = float(np.max(rr)) if rr.size else 0.0
    for d, c, w in E['lobes']:
        cc = r @ d
        if cc.size == 0 or (1.0 - float(cc.max())) > 9.0 * (w + rrmax):
            continue  # this light is nowhere near any reflected direction
        ww = w + rr
        col += c[None] * (np.exp((cc - 1.0) / ww) * np.sqrt(w / ww))[:, None].astype(F32)
    return col.astype(F32)


def shade(ctx, P, N, V, alb, F0, rough, metal, shadow=None, ao=None, emit=None, split=False):
    """Blinn-Phong + environment reflection.  All (k,.) float arrays; returns (k,3) linear colour."""
    E = ctx.E
    k = P.shape[0]
    N = N.astype(F32)
    V = V.astype(F32)
    ndv = np.minimum(np.maximum(dot(N, V), 1e-3), 1.0)
    nz = N[:, 2:3]
    irr = E['amb_dn'][None] + (E['amb_up'] - E['amb_dn'])[None] * (nz * 0.5 + 0.5)
    if ao is not None:
        irr *= ao[:, None]
    if np.ndim(rough) == 0:
        rough = float(rough)
        shin = 2.0 / max(rough * rough, 2e-3) - 2.0
    else:
        rough = np.asarray(rough, F32)
        shin = (2.0 / np.maximum(rough * rough, 2e-3) - 2.0).astype(F32)
    spec = np.zeros((k, 3), F32)
    for li, L in enumerate(E['lights']):
        if L['type'] == 'point':
            Ld = L['pos'][None].astype(F32) - P.astype(F32)
            dist = np.sqrt(dot(Ld, Ld))[:, None] + 1e-6
            l = Ld / dist
            att = (L['d0'] / dist[:, 0]) ** 2
        else:
            l = np.broadcast_to(L['dir'].astype(F32)[None], (k, 3))
            att = 1.0
        ndl = np.maximum(dot(N, l), 0)
        e = ndl * (L['I'] * att)
        if li == 0 and shadow is not None:
            e *= shadow
        irr += L['col'][None] * e[:, None]
        if li > 0 and L['I'] < 0.35:
            continue  # weak fill light: diffuse only
        Hh = nrm_rows(l + V)
        ndh = np.minimum(np.maximum(dot(N, Hh), 1e-6), 1.0)
        spec += L['col'][None] * ((shin + 2) * 0.125 * np.exp(shin * np.log(ndh)) * e)[:, None]
    R = 2 * ndv[:, None] * N - V
    if np.ndim(rough) == 0 and rough > 0.45 and float(np.max(metal)) == 0:
        t = np.clip(R[:, 2:3] * 0.5 + 0.5, 0, 1)
        env = E['env_dn'][None] * (1 - t) + E['env_up'][None] * t
    else:
        env = env_lookup(E, R, rough)
    F0 = np.asarray(F0, F32)
    if F0.ndim == 1 and F0.shape[0] == 3:
        F0 = F0[None]
    elif F0.ndim == 1:
        F0 = F0[:, None]
    rr = (1 - 0.7 * np.clip(rough, 0, 1))
    x = 1 - ndv
    x2 = x * x
    fres = F0 + (1 - F0) * (x2 * x2 * x * rr)[:, None]
    metal = np.asarray(metal, F32)
    if metal.ndim == 1:
        metal = metal[:, None]
    diff = alb * irr if metal.ndim == 0 and float(metal) == 0 else alb * irr * (1 - metal)
    sp = fres * (spec + env * E['env_gain'])
    if emit is not None:
        diff = diff + emit
    if split:
        return diff.astype(F32), sp.astype(F32)
    return (diff + sp).astype(F32)


def sample_lights(rng, pan, cam):
    E = {}
    scheme = rng.choice(['downlight', 'hood', 'window', 'ceiling', 'dim', 'two'],
                        p=[0.25, 0.2, 0.2, 0.15, 0.1, 0.1])
    temp = {'downlight': rng.uniform(2600, 4500), 'hood': rng.uniform(2500, 5000),
            'window': rng.uniform(4800, 8500), 'ceiling': rng.uniform(2800, 6500),
            'dim': rng.uniform(1900, 3200), 'two': rng.uniform(2700, 5500)}[scheme]
    kc = kelvin_rgb(temp)
    if rng.random() < 0.12:  # fluorescent green cast
        kc = kc * np.array([0.95, 1.05, 0.92], F32)
    lights = []
    zr = pan['Hr']
    if scheme in ('downlight', 'hood', 'ceiling', 'dim', 'two'):
        hz = {'downlight': rng.uniform(0.7, 1.6), 'hood': rng.uniform(0.4, 0.7), 'ceiling': rng.uniform(1.4, 2.3),
              'dim': rng.uniform(0.6, 2.0), 'two': rng.uniform(0.8, 1.8)}[scheme]
        off = rng.uniform(0.0, 0.5 if scheme == 'hood' else 1.0)
        a = rng.uniform(0, 2 * math.pi)
        pos = np.array([off * math.cos(a), off * math.sin(a), zr + hz])
        d0 = float(np.linalg.norm(pos - np.array([0, 0, zr])))
        lights.append(dict(type='point', pos=pos, col=kc, I=1.0, d0=d0, size=rng.uniform(0.01, 0.06)))
        if scheme == 'two':
            a2 = a + rng.uniform(1.5, 4.7)
            pos2 = np.array([rng.uniform(0.3, 1.0) * math.cos(a2), rng.uniform(0.3, 1.0) * math.sin(a2),
                             zr + rng.uniform(0.7, 1.8)])
            d02 = float(np.linalg.norm(pos2 - np.array([0, 0, zr])))
            lights.append(dict(type='point', pos=pos2, col=kelvin_rgb(rng.uniform(2700, 6000)),
                               I=rng.uniform(0.3, 0.8), d0=d02, size=0.03))
        soft = rng.uniform(0.005, 0.04)
    else:
        el = math.radians(rng.uniform(25, 70))
        a = rng.uniform(0, 2 * math.pi)
        d = np.array([math.cos(el) * math.cos(a), math.cos(el) * math.sin(a), math.sin(el)])
        lights.append(dict(type='dir', dir=d, col=kc, I=1.0, size=0.2))
        soft = rng.uniform(0.04, 0.15)
        if rng.random() < 0.5:  # warm interior light in addition
            pos = np.array([rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8), zr + rng.uniform(1.0, 2.0)])
            lights.append(dict(type='point', pos=pos, col=kelvin_rgb(rng.uniform(2600, 3500)),
                               I=rng.uniform(0.15, 0.5), d0=float(np.linalg.norm(pos)), size=0.05))
    ambk = {'downlight': rng.uniform(0.08, 0.35), 'hood': rng.uniform(0.1, 0.4), 'window': rng.uniform(0.2, 0.6),
            'ceiling': rng.uniform(0.2, 0.55), 'dim': rng.uniform(0.1, 0.5), 'two': rng.uniform(0.1, 0.35)}[scheme]
    ambc = kelvin_rgb(rng.uniform(3500, 8000)) if rng.random() < 0.5 else kc
    E['amb_up'] = (ambc * ambk).astype(F32)
    E['amb_dn'] = (ambc * ambk * rng.uniform(0.25, 0.6)).astype(F32)
    E['lights'] = lights
    E['soft'] = soft
    E['scheme'] = scheme
    E['kc'] = kc
    # environment seen in reflections
    E['env_up'] = (ambc * rng.uniform(0.25, 0.9)).astype(F32)
    E['env_dn'] = (ambc * rng.uniform(0.03, 0.15)).astype(F32)
    E['env_amp'] = rng.uniform(0.2, 0.7)
    E['env_k'] = float(rng.integers(1, 5))
    E['env_k2'] = float(rng.integers(2, 9))
    E['env_ph'] = rng.uniform(0, 6.28)
    E['env_gain'] = rng.uniform(0.7, 1.2)
    lobes = []
    pc = np.array([0.0, 0.0, zr])
    for L in lights:
        if L['type'] == 'point':
            d = nrm(L['pos'] - pc)
            lobes.append((d.astype(F32), (L['col'] * L['I'] * rng.uniform(4, 12)).astype(F32),
                          float(rng.uniform(0.0008, 0.004))))
        else:
            lobes.append((L['dir'].astype(F32), (L['col'] * rng.uniform(1.5, 3.5)).astype(F32),
                          float(rng.uniform(0.02, 0.08))))
    for _ in range(rng.integers(0, 4)):  # other fixtures / window
        el = math.radians(rng.uniform(20, 85))
        a = rng.uniform(0, 2 * math.pi)
        d = np.array([math.cos(el) * math.cos(a), math.cos(el) * math.sin(a), math.sin(el)], F32)
        lobes.append((d, (ambc * rng.uniform(1, 6)).astype(F32), float(rng.uniform(0.002, 0.05))))
    E['lobes'] = lobes
    E['shadow_strength'] = float(np.clip(1.0 / (1.0 + ambk * 1.5), 0.3, 0.9))
    E['lux'] = rng.uniform(0.15, 0.5) if scheme == 'dim' else rng.uniform(0.5, 1.5)
    return E


def light_dir_at(E, P):
    """unit direction to the key light for points P (k,3)."""
    L = E['lights'][0]
    if L['type'] == 'point':
        return nrm_rows(L['pos'][None] - P)
    return np.broadcast_to(L['dir'][None], P.shape)


# ----------------------------------------------------------------------------------------------
# materials
# ----------------------------------------------------------------------------------------------
BRIGHT = [(200, 30, 30), (230, 90, 20), (240, 190, 30), (60, 150, 70), (30, 120, 140), (40, 80, 180),
          (120, 60, 160), (230, 100, 150), (30, 30, 32), (90, 90, 95), (235, 235, 230), (150, 170, 160),
          (170, 40, 60), (250, 140, 160), (110, 170, 200), (140, 110, 80)]


def mat(alb, F0=0.04, rough=0.4, metal=0.0, tex='plain', **kw):
    d = dict(alb=np.asarray(alb, F32), F0=F0, rough=rough, metal=metal, tex=tex)
    d.update(kw)
    return d


def mat_wood(rng, tone=None):
    t = rng.uniform(0, 1) if tone is None else tone
    light = np.array([225, 190, 140], F32)
    dark = np.array([95, 58, 35], F32)
    c = light * (1 - t) + dark * t
    c = c * np.exp(rng.normal(0, 0.05, 3))
    return mat(lin(c), 0.04, rng.uniform(0.45, 0.75), 0, 'wood', freq=rng.uniform(250, 700),
               warp=rng.uniform(0.3, 2.5), gs=rng.uniform(0.15, 0.45), ph=rng.uniform(0, 6.3),
               f2=rng.uniform(20, 90), used=rng.uniform(0, 1))


def mat_bamboo(rng):
    c = np.array([215, 180, 120], F32) * np.exp(rng.normal(0, 0.07, 3))
    return mat(lin(c), 0.04, rng.uniform(0.35, 0.6), 0, 'bamboo', ph=rng.uniform(0, 6.3),
               node=rng.uniform(0.05, 0.12), used=rng.uniform(0, 0.7))


def mat_steel(rng, tint=None):
    b = rng.uniform(0.45, 0.75)
    F0 = np.array([b, b, b * rng.uniform(0.96, 1.02)], F32)
    if tint is not None:
        F0 = np.asarray(tint, F32)
    return mat(np.zeros(3, F32) + 0.02, F0, rng.uniform(0.04, 0.25), 1.0, 'brushed', ph=rng.uniform(0, 6.3))


def mat_colour(rng, c, kind='silicone'):
    alb = jcol(rng, c, 0.05, 0.05)
    if kind == 'silicone':
        return mat(alb, 0.03, rng.uniform(0.4, 0.7), 0, 'plain', ns=0.03)
    if kind == 'nylon':
        return mat(alb, 0.045, rng.uniform(0.25, 0.5), 0, 'plain', ns=0.02)
    return mat(alb, 0.05, rng.uniform(0.12, 0.35), 0, 'plain', ns=0.01)  # glossy plastic


SKIN = [(244, 214, 196), (236, 196, 170), (222, 178, 140), (198, 150, 110), (170, 120, 85), (140, 95, 65),
        (110, 72, 50), (80, 52, 38), (62, 42, 32)]


def mat_skin(rng):
    i = rng.uniform(0, len(SKIN) - 1)
    a, b = SKIN[int(i)], SKIN[min(int(i) + 1, len(SKIN) - 1)]
    t = i - int(i)
    c = np.array(a, F32) * (1 - t) + np.array(b, F32) * t
    c = c * np.exp(np.array([rng.normal(0.02, 0.04), rng.normal(0, 0.04), rng.normal(0, 0.05)]))
    return mat(lin(c), 0.035, rng.uniform(0.4, 0.6), 0, 'skin', ph=rng.uniform(0, 6.3))


def mat_fabric(rng):
    c1 = BRIGHT[rng.integers(len(BRIGHT))]
    c2 = BRIGHT[rng.integers(len(BRIGHT))] if rng.random() < 0.5 else (240, 240, 235)
    return mat(jcol(rng, c1, 0.1, 0.15), 0.03, rng.uniform(0.7, 0.95), 0, 'fabric', alb2=jcol(rng, c2, 0.1, 0.1),
               pat=int(rng.integers(0, 4)), fq=rng.uniform(20, 90), ph=rng.uniform(0, 6.3))


def mat_albedo(m, s, u, hw):
    """per-pixel albedo (k,3) for a material at strip coords s (m from tip), u in [-1,1], hw (m)."""
    k = s.shape[0]
    a = np.broadcast_to(m['alb'][None], (k, 3)).astype(F32)
    tex = m['tex']
    if tex == 'wood':
        x = u * hw
        g = x * m['freq'] + m['warp'] * np.sin(s * m['f2'] + m['ph']) + 0.4 * np.sin(s * 7.0 + x * 90 + m['ph'])
        st = (0.5 + 0.5 * np.sin(2 * np.pi * g)) ** 3
        v = (1 - m['gs'] * st) * (1 + 0.07 * np.sin(s * 31 + m['ph'] * 2))
        a = a * v[:, None]
    elif tex == 'bamboo':
        x = u * hw
        fib = 1 - 0.08 * (0.5 + 0.5 * np.sin(2 * np.pi * x * 1400 + m['ph']))
        nd = np.mod(s + m['ph'] * 0.01, m['node'])
        node = 1 - 0.35 * np.exp(-((nd - 0.5 * m['node']) / 0.0025) ** 2)
        a = a * (fib * node)[:, None]
    elif tex == 'fabric':
        p = m['pat']
        if p == 0:
            w = (np.sin(2 * np.pi * s * m['fq'] + m['ph']) > 0.3)
        elif p == 1:
            w = (np.sin(2 * np.pi * s * m['fq']) > 0) ^ (np.sin(2 * np.pi * u * hw * m['fq']) > 0)
        elif p == 2:
            w = (np.sin(2 * np.pi * (s + u * hw) * m['fq'] * 0.7) > 0.6)
        else:
            w = np.zeros(k, bool)
        a = np.where(w[:, None], m['alb2'][None], a)
        a = a * (1 + 0.08 * np.sin(2 * np.pi * s * 600) * np.sin(2 * np.pi * u * hw * 600))[:, None]
    elif tex == 'skin':
        a = a * (1 + 0.06 * np.sin(s * 140 + m['ph']) * np.sin(u * 3 + s * 60))[:, None]
    elif tex == 'plain' and m.get('ns', 0) > 0:
        a = a * (1 + m['ns'] * np.sin(s * 211 + u * 3.1))[:, None]
    st = m.get('stain')
    if st is not None:
        col, slen, amt = st
        w = amt * smooth01((slen - s) / max(slen * 0.4, 1e-3))
        a = a * (1 - w[:, None]) + col[None] * w[:, None]
    if m.get('used', 0) > 0.5 and tex in ('wood', 'bamboo'):
        w = (m['used'] - 0.5) * 1.2 * smooth01((0.05 - s) / 0.04)
        a = a * (1 - 0.6 * w[:, None])
    return a.astype(F32)


# ----------------------------------------------------------------------------------------------
# vessels
# ----------------------------------------------------------------------------------------------
PAN_OUT = [(28, 28, 30), (60, 60, 64), (150, 30, 28), (40, 60, 120), (150, 80, 50), (40, 90, 60),
           (220, 210, 190), (100, 100, 105), (20, 20, 22), (90, 40, 90), (200, 120, 40)]
ENAMEL = [(190, 35, 25), (225, 95, 25), (40, 70, 150), (30, 120, 120), (60, 110, 60), (240, 190, 40),
          (30, 30, 32), (235, 232, 225), (120, 20, 35), (140, 170, 190), (200, 150, 160)]


def vessel_materials(rng, kind):
    opts = {'fry': (['nonstick', 'stainless', 'ceramic', 'carbon', 'copper'], [0.5, 0.2, 0.15, 0.1, 0.05]),
            'skillet': (['castiron', 'enamel_black'], [0.8, 0.2]),
            'saute': (['nonstick', 'stainless', 'ceramic'], [0.4, 0.45, 0.15]),
            'saucepan': (['stainless', 'nonstick', 'enamel', 'copper'], [0.5, 0.25, 0.15, 0.1]),
            'pot': (['stainless', 'enamel', 'nonstick'], [0.45, 0.4, 0.15]),
            'wok': (['carbon', 'nonstick', 'stainless'], [0.65, 0.25, 0.1])}[kind]
    t = rng.choice(opts[0], p=opts[1])
    steel = mat_steel(rng)
    steel['tex'] = 'radial'
    hmat = None
    if t == 'nonstick':
        g = rng.uniform(16, 62)
        c = np.array([g, g, g], F32) * np.exp(rng.normal(0, 0.05, 3))
        m_in = mat(lin(c), 0.05, rng.uniform(0.18, 0.45), 0, 'speckle' if rng.random() < 0.4 else 'mottle')
        m_out = mat(jcol(rng, PAN_OUT[rng.integers(len(PAN_OUT))]), 0.05, rng.uniform(0.15, 0.4), 0, 'mottle')
        m_lip = steel if rng.random() < 0.35 else m_out
        hmat = rng.choice(['plastic', 'wood', 'steel', 'silicone'], p=[0.55, 0.15, 0.2, 0.1])
    elif t == 'stainless':
        m_in = steel
        m_out = dict(steel)
        m_lip = steel
        hmat = rng.choice(['steel', 'plastic'], p=[0.75, 0.25])
    elif t == 'ceramic':
        c = [(235, 225, 205), (240, 240, 236), (200, 200, 200), (215, 195, 165), (190, 215, 200), (60, 60, 62)]
        m_in = mat(jcol(rng, c[rng.integers(len(c))], 0.03, 0.05), 0.05, rng.uniform(0.12, 0.3), 0, 'mottle')
        m_out = mat(jcol(rng, PAN_OUT[rng.integers(len(PAN_OUT))]), 0.05, rng.uniform(0.15, 0.35), 0, 'mottle')
        m_lip = m_out
        hmat = rng.choice(['plastic', 'wood'], p=[0.6, 0.4])
    elif t == 'carbon':
        g = rng.uniform(25, 60)
        m_in = mat(lin([g * 1.02, g, g * 1.05]), 0.12, rng.uniform(0.2, 0.4), 0.0, 'patina')
        m_out = mat(lin([g * 0.7] * 3), 0.1, 0.45, 0, 'mottle')
        m_lip = m_out
        hmat = rng.choice(['wood', 'steel', 'plastic'], p=[0.6, 0.2, 0.2])
    elif t == 'copper':
        m_in = steel
        m_out = mat_steel(rng, tint=np.array([0.9, 0.6, 0.48], F32) * rng.uniform(0.7, 1.0))
        m_out['tex'] = 'radial'
        m_lip = m_out
        hmat = 'brass'
    elif t == 'castiron':
        g = rng.uniform(18, 38)
        m_in = mat(lin([g, g, g * 1.03]), 0.05, rng.uniform(0.4, 0.7), 0, 'rough')
        m_out = dict(m_in)
        m_lip = m_in
        hmat = 'castiron'
    elif t == 'enamel_black':
        m_in = mat(lin([25, 25, 27]), 0.05, 0.45, 0, 'rough')
        m_out = mat(jcol(rng, ENAMEL[rng.integers(len(ENAMEL))]), 0.05, rng.uniform(0.08, 0.2), 0, 'plain')
        m_lip = m_in
        hmat = 'castiron'
    else:  # enamel
        c = [(238, 232, 215), (245, 245, 242), (30, 30, 32), (180, 180, 178), (230, 215, 180)]
        m_in = mat(jcol(rng, c[rng.integers(len(c))], 0.02, 0.04), 0.05, rng.uniform(0.06, 0.2), 0, 'mottle')
        m_out = mat(jcol(rng, ENAMEL[rng.integers(len(ENAMEL))]), 0.05, rng.uniform(0.06, 0.2), 0, 'plain')
        m_lip = mat(lin([40, 40, 42]), 0.05, 0.3, 0, 'plain') if rng.random() < 0.5 else m_out
        hmat = 'same'
    return t, m_in, m_out, m_lip, hmat


def handle_material(rng, hmat, V):
    if hmat == 'plastic':
        return mat_colour(rng, (22, 22, 24) if rng.random() < 0.75 else BRIGHT[rng.integers(len(BRIGHT))], 'plastic')
    if hmat == 'wood':
        return mat_wood(rng)
    if hmat == 'silicone':
        return mat_colour(rng, BRIGHT[rng.integers(len(BRIGHT))], 'silicone')
    if hmat == 'brass':
        return mat_steel(rng, tint=np.array([0.85, 0.7, 0.4], F32))
    if hmat == 'castiron':
        return dict(V['m_out'])
    if hmat == 'same':
        return dict(V['m_out'])
    return mat_steel(rng)


def vessel_texture(rng, V, N=128):
    """(N,N,2): albedo multiplier, patina weight; over [-Ro, Ro]^2."""
    m = V['m_in']
    Ro = V['Rout']
    yy, xx = np.mgrid[0:N, 0:N].astype(F32)
    r = np.hypot(xx - N / 2 + 0.5, yy - N / 2 + 0.5) * (2 * Ro / N)
    b = np.ones((N, N), F32)
    p = np.zeros((N, N), F32)
    t = m['tex']
    if t == 'speckle':
        b += 0.1 * fbm(rng, N, N, 16)
        for _ in range(int(rng.integers(150, 400))):
            x, y = rng.integers(0, N, 2)
            b[y, x] = rng.uniform(1.6, 3.5)
    elif t == 'mottle':
        b += rng.uniform(0.04, 0.15) * fbm(rng, N, N, 24)
    elif t == 'rough':
        b += 0.25 * fbm(rng, N, N, 6, 3) + 0.1 * fbm(rng, N, N, 30)
    elif t == 'radial':
        fr = rng.uniform(120, 400)
        b += 0.04 * np.sin(r * fr + rng.uniform(0, 6)) + 0.05 * fbm(rng, N, N, 20)
    elif t == 'patina':
        p = np.clip(fbm(rng, N, N, 30, 3) * 1.5 + rng.uniform(-0.6, 0.4), 0, 1)
        b += 0.12 * fbm(rng, N, N, 12)
    # burnt-oil ring / usage
    if rng.random() < 0.6:
        rr = V['rf'] if V['shape'] == 'cone' else V['R'] * 0.6
        b *= 1 - rng.uniform(0.05, 0.3) * np.exp(-((r - rr * rng.uniform(0.7, 1.0)) / (0.2 * rr)) ** 2)
    return np.dstack([b, p]).astype(F32)


def sample_vessel(rng, kind=None, main=True):
    if kind is None:
        kind = rng.choice(['fry', 'skillet', 'saute', 'saucepan', 'pot', 'wok'],
                          p=[0.27, 0.12, 0.14, 0.15, 0.17, 0.15])
    V = dict(kind=kind, cx=0.0, cy=0.0, zb=0.0)
    if kind == 'fry':
        R = rng.uniform(0.095, 0.15); depth = rng.uniform(0.03, 0.05); rf = R - rng.uniform(0.012, 0.035)
        tw = rng.uniform(0.003, 0.005)
    elif kind == 'skillet':
        R = rng.uniform(0.09, 0.15); depth = rng.uniform(0.038, 0.055); rf = R - rng.uniform(0.006, 0.015)
        tw = rng.uniform(0.005, 0.008)
    elif kind == 'saute':
        R = rng.uniform(0.1, 0.15); depth = rng.uniform(0.055, 0.08); rf = R - rng.uniform(0.002, 0.01)
        tw = rng.uniform(0.003, 0.005)
    elif kind == 'saucepan':
        R = rng.uniform(0.07, 0.11); depth = rng.uniform(0.07, 0.13); rf = R - rng.uniform(0.0, 0.008)
        tw = rng.uniform(0.002, 0.004)
    elif kind == 'pot':
        R = rng.uniform(0.09, 0.16); depth = rng.uniform(0.09, 0.19); rf = R - rng.uniform(0.0, 0.01)
        tw = rng.uniform(0.003, 0.008)
    else:
        R = rng.uniform(0.13, 0.19); tw = rng.uniform(0.002, 0.004); rf = 0.0
        Rs = R * rng.uniform(1.08, 1.6)
        depth = Rs - math.sqrt(Rs * Rs - R * R)
    if not main:
        R *= rng.uniform(0.8, 1.1)
        rf = min(rf, R - 0.001)
    tb = rng.uniform(0.003, 0.007)
    V.update(R=R, tw=tw, tb=tb, zf=tb, Hr=tb + depth, rf=rf, Rout=R + tw)
    if kind == 'wok':
        V['shape'] = 'bowl'
        V['Rs'] = Rs
        V['zc'] = tb + Rs  # sphere centre
        V['rbo'] = R * 0.3
    else:
        V['shape'] = 'cone'
        V['rbo'] = rf + tw
    t, m_in, m_out, m_lip, hmat = vessel_materials(rng, kind)
    V.update(mtype=t, m_in=m_in, m_out=m_out, m_lip=m_lip, hmat=hmat)
    V['vtex'] = vessel_texture(rng, V)
    V['food'] = None
    V['lid'] = None
    # handles
    hs = []
    a0 = rng.uniform(0, 2 * math.pi)
    long_handle = kind in ('fry', 'skillet', 'saute', 'saucepan') or (kind == 'wok' and rng.random() < 0.6)
    if long_handle:
        hs.append(dict(type='long', ang=a0, L=rng.uniform(0.13, 0.22) if kind != 'saucepan' else rng.uniform(0.14, 0.2),
                       el=math.radians(rng.uniform(5, 28)), hw=rng.uniform(0.010, 0.016)))
        if (kind in ('saute', 'skillet', 'wok') and rng.random() < 0.6) or (kind == 'fry' and R > 0.13 and rng.random() < 0.2):
            hs.append(dict(type='loop', ang=a0 + math.pi, w=rng.uniform(0.025, 0.04), out=rng.uniform(0.025, 0.04),
                           hw=rng.uniform(0.004, 0.007)))
    else:
        for k in range(2):
            hs.append(dict(type='loop', ang=a0 + k * math.pi, w=rng.uniform(0.03, 0.05), out=rng.uniform(0.025, 0.045),
                           hw=rng.uniform(0.005, 0.009)))
    V['handles'] = hs
    V['m_handle'] = handle_material(rng, hmat, V)
    return V


def r_at(V, z):
    """inner radius of the vessel at height z."""
    if V['shape'] == 'cone':
        k = (V['R'] - V['rf']) / (V['Hr'] - V['zf'])
        return V['rf'] + k * (z - V['zf'])
    dz = z - V['zc']
    return math.sqrt(max(V['Rs'] ** 2 - dz * dz, 1e-8))


def handle_comps(rng, V):
    comps = []
    cx, cy = V['cx'], V['cy']
    m = V['m_handle']
    for h in V['handles']:
        a = h['ang']
        rd = np.array([math.cos(a), math.sin(a), 0.0])
        tg = np.array([-math.sin(a), math.cos(a), 0.0])
        base = np.array([cx, cy, 0.0]) + rd * (V['Rout'] - 0.002)
        base[2] = V['Hr'] - 0.012
        if h['type'] == 'long':
            n = 12
            s = np.linspace(0, h['L'], n)
            el = h['el']
            P = base[None] + rd[None] * (s * math.cos(el))[:, None]
            P[:, 2] += s * math.sin(el) - 0.15 * (s / h['L']) ** 2 * s * math.sin(el)
            hw = h['hw'] * (0.6 + 0.4 * np.clip(s / 0.04, 0, 1)) * (1 + 0.12 * (s / h['L']))
            hw[-1] *= 0.7
            flat = V['hmat'] == 'castiron'
            c = dict(P=P, hw=hw, s=s, kind='flat' if flat else 'round', mat=m, label=PAN)
            if flat:
                side = np.broadcast_to(tg, P.shape).copy()
                c['side'] = side
                c['nrm'] = np.broadcast_to(np.array([0, 0, 1.0]), P.shape).copy()
                hl = h['L']
                c['holes'] = lambda ss, uu, hl=hl: ((ss - hl * 0.88) ** 2 / 0.012 ** 2 + uu ** 2 / 0.3 ** 2) < 1
            comps.append(c)
            if V['hmat'] in ('plastic', 'wood', 'silicone') and rng.random() < 0.7:
                # metal bracket at the pan end
                c2 = dict(P=P[:3].copy(), hw=hw[:3] * 0.8, s=s[:3], kind='round', mat=mat_steel(rng), label=PAN)
                comps.append(c2)
        else:
            th = np.linspace(0, math.pi, 9)
            P = base[None] + rd[None] * (h['out'] * np.sin(th))[:, None] + tg[None] * (h['w'] * np.cos(th))[:, None]
            P[:, 2] = V['Hr'] - 0.018 + 0.004 * np.sin(th)
            s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(P, axis=0), axis=1))])
            comps.append(dict(P=P, hw=np.full(len(P), h['hw']), s=s, kind='round', mat=m, label=PAN))
    return comps


# ----------------------------------------------------------------------------------------------
# ray casting helpers
# ----------------------------------------------------------------------------------------------
def sample_map(img, fx, fy, interp=cv2.INTER_LINEAR):
    """Sample img at float pixel coords (k,) -> (k, C) (remap limited to < 32767 wide, so fold)."""
    k = fx.shape[0]
    if k == 0:
        return np.zeros((0, img.shape[2] if img.ndim == 3 else 1), img.dtype)
    Wd = 512
    rows = (k + Wd - 1) // Wd
    pad = rows * Wd - k
    mx = np.concatenate([fx.astype(F32), np.zeros(pad, F32)]).reshape(rows, Wd)
    my = np.concatenate([fy.astype(F32), np.zeros(pad, F32)]).reshape(rows, Wd)
    out = cv2.remap(img, mx, my, interp, borderMode=cv2.BORDER_REPLICATE)
    C = 1 if out.ndim == 2 else out.shape[2]
    return out.reshape(rows * Wd, C)[:k]


def quad_roots(A, B, Cc):
    disc = B * B - 4 * A * Cc
    ok = disc >= 0
    sq = np.sqrt(np.maximum(disc, 0))
    As = np.where(np.abs(A) < 1e-12, 1e-12, A)
    t1 = (-B - sq) / (2 * As)
    t2 = (-B + sq) / (2 * As)
    lo = np.minimum(t1, t2)
    hi = np.maximum(t1, t2)
    return lo, hi, ok


def write_px(ctx, ys, xs, depth, col, lab, layer):
    assert ctx.img.flags.c_contiguous and ctx.zbuf.flags.c_contiguous and ctx.lab.flags.c_contiguous
    fl = ys * ctx.W + xs
    zb = ctx.zbuf.reshape(-1)
    vis = depth < zb[fl]
    if not vis.any():
        return vis
    fl = fl[vis]
    ctx.img.reshape(-1, 3)[fl] = col[vis]
    ctx.lab.reshape(-1)[fl] = lab[vis] if np.ndim(lab) else lab
    zb[fl] = depth[vis]
    ctx.layer.reshape(-1)[fl] = layer[vis] if np.ndim(layer) else layer
    return vis


def rim_shadow(ctx, V, P_loc, P_world):
    E = ctx.E
    l = light_dir_at(E, P_world)
    lz = np.maximum(l[:, 2], 1e-3)
    s = (V['Hr'] - P_loc[:, 2]) / lz
    qx = P_loc[:, 0] + s * l[:, 0]
    qy = P_loc[:, 1] + s * l[:, 1]
    rq = np.hypot(qx, qy)
    pen = 0.002 + E['soft'] * s
    lit = np.clip((V['R'] - rq) / pen + 0.5, 0, 1)
    return np.where(l[:, 2] > 0.02, lit, 0.0).astype(F32)


def halfres_light(flat, bw, bh, light, sel):
    """evaluate smooth lighting on the even-pixel sub-grid and interpolate it (normalised bilinear);
    flat: bbox-flat pixel indices, sel: the matching indices handed to light(); returns (irr, spec)."""
    iy, ix = np.divmod(flat, bw)
    sub = ((iy & 1) == 0) & ((ix & 1) == 0)
    k = len(flat)
    if sub.sum() < 16 or k < 400:
        return light(sel)
    si = np.nonzero(sub)[0]
    irr_s, sp_s = light(sel[si])
    h2, w2 = (bh + 1) // 2 + 1, (bw + 1) // 2 + 1
    A = np.zeros((h2, w2, 4), F32)
    B = np.zeros((h2, w2, 3), F32)
    A[iy[si] >> 1, ix[si] >> 1, :3] = irr_s
    A[iy[si] >> 1, ix[si] >> 1, 3] = 1.0
    B[iy[si] >> 1, ix[si] >> 1] = sp_s
    fx = ix.astype(F32) * 0.5
    fy = iy.astype(F32) * 0.5
    a = sample_map(A, fx, fy)
    b = sample_map(B, fx, fy)
    w = a[:, 3:4]
    ok = w[:, 0] > 0.15
    irr = a[:, :3] / np.maximum(w, 1e-6)
    sp = b / np.maximum(w, 1e-6)
    bad = np.nonzero(~ok)[0]
    if len(bad):
        irr[bad], sp[bad] = light(sel[bad])
    return irr, sp


def vessel_albedo(V, m, P_loc, split=False):
    N = V['vtex'].shape[0]
    Ro = V['Rout']
    fx = (P_loc[:, 0] + Ro) / (2 * Ro) * N - 0.5
    fy = (P_loc[:, 1] + Ro) / (2 * Ro) * N - 0.5
    t = sample_map(V['vtex'], fx, fy)
    alb = m['alb'][None] * t[:, :1]
    if m['tex'] == 'patina':
        pc = np.array(V.get('patina_col', lin([120, 80, 50])), F32)
        alb = alb * (1 - t[:, 1:2]) + pc[None] * t[:, 1:2] * 0.6
    if split:
        return alb.astype(F32), (np.clip(t[:, :1], 0.5, 1.5) if m['metal'] > 0 else np.ones((len(t), 1), F32))
    F0 = m['F0']
    if m['metal'] > 0:
        F0 = np.asarray(F0, F32)[None] * np.clip(t[:, :1], 0.5, 1.5)
    return alb.astype(F32), F0


def render_vessel(ctx, V, static_comps):
    cam = ctx.cam
    W, H = ctx.W, ctx.H
    cx, cy = V['cx'], V['cy']
    ang = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    ca, sa = np.cos(ang), np.sin(ang)
    pts = []
    Ro = V['Rout'] + 0.003
    ztop = V['Hr'] + (V['lid']['hl'] + 0.03 if V['lid'] else 0)
    for r, z in [(Ro, V['Hr']), (V['rbo'], V['zb']), (Ro, 0.5 * (V['Hr'] + V['zb'])), (Ro * 0.7, ztop)]:
        pts.append(np.stack([cx + r * ca, cy + r * sa, np.full_like(ca, z)], -1))
    uv, zz = cam.proj(np.concatenate(pts))
    if (zz < NEAR).all():
        return
    if (zz < NEAR).any():
        x0, y0, x1, y1 = 0, 0, W, H
    else:
        x0 = max(0, int(math.floor(uv[:, 0].min())) - 2)
        y0 = max(0, int(math.floor(uv[:, 1].min())) - 2)
        x1 = min(W, int(math.ceil(uv[:, 0].max())) + 3)
        y1 = min(H, int(math.ceil(uv[:, 1].max())) + 3)
    if x1 <= x0 or y1 <= y0:
        return
    bw = x1 - x0
    D = ctx.D[y0:y1, x0:x1].reshape(-1, 3)
    yy, xx = np.divmod(np.arange(D.shape[0]), bw)
    yy = yy + y0
    xx = xx + x0
    C = (cam.C - np.array([cx, cy, 0.0])).astype(F32)
    Cx, Cy, Cz = (float(v) for v in C)
    off = np.array([cx, cy, 0.0], F32)
    dx, dy, dz = D[:, 0], D[:, 1], D[:, 2]
    down = dz < -1e-9
    dzs = np.where(down, dz, -1e-9)
    R, tw, Hr, zf, zb = V['R'], V['tw'], V['Hr'], V['zf'], V['zb']
    tr = (Hr - Cz) / dzs
    rr = np.hypot(Cx + tr * dx, Cy + tr * dy)
    inside = down & (rr < R)
    ring = down & (rr >= R) & (rr < R + tw)
    E = ctx.E
    cone = V['shape'] == 'cone'
    if cone:
        kk = (R - V['rf']) / (Hr - zf)

    # ---------------- lid
    lid = V['lid']
    if lid is not None:
        Rl = ((R + tw) ** 2 + lid['hl'] ** 2) / (2 * lid['hl'])
        zl = Hr + lid['hl'] - Rl
        idx = np.nonzero(down)[0]
        d = D[idx]
        oc = C - np.array([0, 0, zl], F32)
        b = d @ oc
        A = dot(d, d)
        c0 = oc @ oc - Rl * Rl
        disc = b * b - A * c0
        t = (-b - np.sqrt(np.maximum(disc, 0))) / A
        P = C + t[:, None] * d
        ok = (disc > 0) & (P[:, 2] >= Hr - 1e-4) & (t > 0)
        idx, t, P = idx[ok], t[ok], P[ok]
        if len(idx):
            n = (P - np.array([0, 0, zl], F32)) / Rl
            Vv = -nrm_rows(D[idx])
            Pw = P + off
            m = lid['mat']
            col = shade(ctx, Pw, n, Vv, np.broadcast_to(m['alb'][None], (len(idx), 3)), m['F0'], m['rough'], m['metal'])
            write_px(ctx, yy[idx], xx[idx], t, col, PAN, 2)
        inside = inside & False
        kn = np.array([cx, cy, Hr + lid['hl']])
        static_comps.append(dict(P=np.array([kn - [0, 0, 0.002], kn + [0, 0, 0.012], kn + [0, 0, 0.02]]),
                                 hw=np.array([0.008, 0.01, 0.014]) * lid['kn'], s=np.array([0, 0.012, 0.02]),
                                 kind='round', mat=lid['kmat'], label=PAN))

    # ---------------- interior
    idx = np.nonzero(inside)[0]
    if len(idx):
        d = D[idx]
        ddx, ddy, ddz = d[:, 0], d[:, 1], d[:, 2]
        t_r = tr[idx]
        if cone:
            rf = V['rf']
            tf = (zf - Cz) / ddz
            onf = np.hypot(Cx + tf * ddx, Cy + tf * ddy) <= rf
            a0 = rf + kk * (Cz - zf)
            a1 = kk * ddz
            A = ddx * ddx + ddy * ddy - a1 * a1
            B = 2 * (Cx * ddx + Cy * ddy - a0 * a1)
            Cc = Cx * Cx + Cy * Cy - a0 * a0
            lo, hi, ok = quad_roots(A, B, Cc)
            zlo = Cz + lo * ddz
            zhi = Cz + hi * ddz
            vlo = ok & (lo > t_r - 1e-7) & (zlo >= zf - 1e-6) & (zlo <= Hr + 1e-6)
            vhi = ok & (hi > t_r - 1e-7) & (zhi >= zf - 1e-6) & (zhi <= Hr + 1e-6)
            tw_ = np.where(vlo, lo, np.where(vhi, hi, tf))
            t_int = np.where(onf, tf, np.minimum(tw_, tf))
            P = C + t_int[:, None] * d
            pr = np.hypot(P[:, 0], P[:, 1]) + 1e-9
            wall = ~onf
            n = np.zeros_like(P)
            n[:, 2] = 1.0
            nw = np.stack([-P[:, 0] / pr, -P[:, 1] / pr, np.full_like(pr, kk)], -1)
            nw = nrm_rows(nw)
            n = np.where(wall[:, None], nw, n)
            dist = np.where(wall, P[:, 2] - zf, rf - pr)
            surf = wall.astype(np.uint8)
        else:
            Sc = np.array([0, 0, V['zc']], F32)
            oc = C - Sc
            b = d @ oc
            A = dot(d, d)
            c0 = oc @ oc - V['Rs'] ** 2
            disc = np.maximum(b * b - A * c0, 0)
            t_int = (-b + np.sqrt(disc)) / A
            P = C + t_int[:, None] * d
            n = nrm_rows(Sc[None] - P)
            dist = (P[:, 2] - zf) * 2.5
            surf = np.zeros(len(P), np.uint8)
        Vv = -nrm_rows(d)
        Pw = P + off
        nI = len(idx)
        lab = np.full(nI, PAN, np.uint8)
        depth = t_int.astype(F32)
        col = np.zeros((nI, 3), F32)
        fd = V['food']
        j = np.zeros(0, np.int64)
        if fd is not None:
            hf = fd['hf']
            th = (hf - Cz) / ddz
            ph = C + th[:, None] * d
            rh = np.hypot(ph[:, 0], ph[:, 1])
            onp = (rh < fd['rc']) & (th <= t_int + 1e-9)
            j = np.nonzero(onp)[0]
            if len(j):
                fx = (ph[j, 0] + fd['rc']) / fd['ps'] - 0.5
                fy = (ph[j, 1] + fd['rc']) / fd['ps'] - 0.5
                mk = sample_map(fd['msk'], fx, fy, cv2.INTER_NEAREST)[:, 0] > 0
                j = j[mk]
                fx, fy = fx[mk], fy[mk]
        need = np.ones(nI, bool)
        if len(j):
            s1 = sample_map(fd['m1'], fx, fy)
            s2 = sample_map(fd['m2'], fx, fy)
            op = np.clip(s2[:, 3:4], 0, 1)
            need[j] = op[:, 0] < 0.999
        ni = np.nonzero(need)[0]
        if len(ni):
            m = V['m_in']
            alb, tmul = vessel_albedo(V, m, P[ni], split=True)

            def light(sel):
                ao = (1 - 0.35 * np.exp(-np.maximum(dist[sel], 0) / 0.008)).astype(F32)
                shd = rim_shadow(ctx, V, P[sel], Pw[sel])
                return shade(ctx, Pw[sel], n[sel].astype(F32), Vv[sel], np.ones((len(sel), 3), F32), m['F0'],
                             m['rough'], m['metal'], shadow=shd, ao=ao, split=True)

            irr = np.zeros((len(ni), 3), F32)
            sp = np.zeros((len(ni), 3), F32)
            for grp in ((surf[ni] == 0), (surf[ni] == 1)):  # floor and wall interpolated separately
                gi = np.nonzero(grp)[0]
                if len(gi):
                    irr[gi], sp[gi] = halfres_light(idx[ni[gi]], bw, y1 - y0, light, ni[gi])
            col[ni] = alb * irr + sp * tmul
        if len(j):
            h = s2[:, 0]
            nf = nrm_rows(np.stack([-s2[:, 1], -s2[:, 2], np.ones(len(j), F32)], -1))
            Pf = ph[j].copy()
            Pf[:, 2] += h
            Pfw = Pf + off
            gl = np.clip(s1[:, 3], 0, 1)
            rough = np.clip(0.6 - 0.55 * gl, 0.04, 0.8)
            aof = (1 - 0.3 * np.exp(-(fd['rc'] - rh[j]) / 0.01)).astype(F32)
            shf = rim_shadow(ctx, V, Pf, Pfw)
            fdf, fsp = shade(ctx, Pfw, nf, Vv[j], s1[:, :3], 0.035, rough, 0.0, shadow=shf, ao=aof, split=True)
            under = col[j] * fd['tint'][None]
            col[j] = op * fdf + (1 - op) * under + fsp
            lab[j] = FOOD
            depth[j] = (hf + h - Cz) / ddz[j]
            tr_ = op[:, 0] < 0.999
            if tr_.any():
                jj = j[tr_]
                gy, gx = yy[idx[jj]], xx[idx[jj]]
                ctx.fop[gy, gx] = op[tr_, 0]
                ctx.under[gy, gx] = under[tr_]
                ctx.zunder[gy, gx] = t_int[jj]
        write_px(ctx, yy[idx], xx[idx], depth, col, lab, 1)

    # ---------------- lip
    idx = np.nonzero(ring)[0]
    if len(idx):
        d = D[idx]
        P = C + tr[idx][:, None] * d
        q = (rr[idx] - R) / tw
        pr = rr[idx] + 1e-9
        rad = np.stack([P[:, 0] / pr, P[:, 1] / pr, np.zeros(len(idx), F32)], -1)
        n = nrm_rows(rad * (2 * q - 1)[:, None] * 0.9 + np.array([0, 0, 1.0], F32))
        m = V['m_lip']
        alb, F0 = vessel_albedo(V, m, P) if m is V['m_in'] else (np.broadcast_to(m['alb'][None], (len(idx), 3)), m['F0'])
        col = shade(ctx, P + off, n, -nrm_rows(d), alb * 1.1, F0, m['rough'], m['metal'])
        write_px(ctx, yy[idx], xx[idx], tr[idx], col, PAN, 2)

    # ---------------- outer wall
    idx = np.nonzero(down & ~inside & ~ring)[0]
    if lid is not None:
        idx = np.nonzero(down & ~ring & (rr >= R))[0]
    if len(idx):
        # cull rays whose path between rim height and the base stays outside the widest radius
        d = D[idx]
        t0 = tr[idx]
        t1 = (zb - Cz) / d[:, 2]
        ax, ay = Cx + t0 * d[:, 0], Cy + t0 * d[:, 1]
        bx, by = Cx + t1 * d[:, 0], Cy + t1 * d[:, 1]
        ex, ey = bx - ax, by - ay
        tt = np.clip(-(ax * ex + ay * ey) / np.maximum(ex * ex + ey * ey, 1e-12), 0, 1)
        dmin = np.hypot(ax + tt * ex, ay + tt * ey)
        cand = dmin < R + tw + 0.002
        idx = idx[cand]
    if len(idx):
        d = D[idx]
        ddx, ddy, ddz = d[:, 0], d[:, 1], d[:, 2]
        if cone:
            a0 = V['rf'] + tw + kk * (Cz - zf)
            a1 = kk * ddz
            A = ddx * ddx + ddy * ddy - a1 * a1
            B = 2 * (Cx * ddx + Cy * ddy - a0 * a1)
            Cc = Cx * Cx + Cy * Cy - a0 * a0
            lo, hi, ok = quad_roots(A, B, Cc)
        else:
            Sc = np.array([0, 0, V['zc']], F32)
            oc = C - Sc
            b = d @ oc
            A2 = dot(d, d)
            c0 = oc @ oc - (V['Rs'] + tw) ** 2
            disc = b * b - A2 * c0
            ok = disc > 0
            sq = np.sqrt(np.maximum(disc, 0))
            lo, hi = (-b - sq) / A2, (-b + sq) / A2
        zlo = Cz + lo * ddz
        zhi = Cz + hi * ddz
        vlo = ok & (lo > 0) & (zlo >= zb) & (zlo <= Hr)
        vhi = ok & (hi > 0) & (zhi >= zb) & (zhi <= Hr)
        t = np.where(vlo, lo, hi)
        hit = vlo | vhi
        idx, t, d = idx[hit], t[hit], d[hit]
        if len(idx):
            P = C + t[:, None] * d
            if cone:
                pr = np.hypot(P[:, 0], P[:, 1]) + 1e-9
                n = nrm_rows(np.stack([P[:, 0] / pr, P[:, 1] / pr, np.full_like(pr, -kk)], -1))
            else:
                n = nrm_rows(P - np.array([0, 0, V['zc']], F32))
            m = V['m_out']
            if m['metal'] > 0 or m['tex'] != 'plain':
                alb, F0 = vessel_albedo(V, m, P)
            else:
                alb, F0 = np.broadcast_to(m['alb'][None], (len(idx), 3)), m['F0']
            ao = (1 - 0.4 * np.exp(-(P[:, 2] - zb) / 0.006)).astype(F32)
            col = shade(ctx, P + off, n, -nrm_rows(d), alb, F0, m['rough'], m['metal'], ao=ao)
            write_px(ctx, yy[idx], xx[idx], t, col, PAN, 2)


# ----------------------------------------------------------------------------------------------
# strip rasteriser: thin 3-D objects (tools, handles, fingers, arms, bottles)
# ----------------------------------------------------------------------------------------------
def clip_near(cam, arr, near=NEAR):
    P = arr['P']
    z = (P - cam.C) @ cam.R[2]
    keep = z > near + 1e-4
    if keep.all():
        return arr
    if not keep.any():
        return None
    out = {k: [] for k in arr}
    n = len(P)
    for i in range(n):
        if keep[i]:
            for k in arr:
                out[k].append(arr[k][i])
        if i < n - 1 and keep[i] != keep[i + 1]:
            t = (near + 2e-4 - z[i]) / (z[i + 1] - z[i])
            for k in arr:
                out[k].append(arr[k][i] * (1 - t) + arr[k][i + 1] * t)
    if len(out['P']) < 2:
        return None
    return {k: np.array(v) for k, v in out.items()}


def scene_reflection(ctx, Pp, n, Vp, F0):
    """colour of the scene seen in a mirror-like tool (blurred copy of the frame)."""
    r = 2 * dot(n, Vp)[:, None] * n - Vp
    w = np.clip(-r[:, 2] * 1.6, 0, 1)
    s = np.maximum(Pp[:, 2] - ctx.refl_z, 0.01) / np.maximum(-r[:, 2], 0.05)
    Q = Pp + r * s[:, None]
    uv, z = ctx.cam.proj(Q)
    sc = ctx.refl_scale
    col = sample_map(ctx.reflimg, uv[:, 0] * sc - 0.5 + 0.5 * sc, uv[:, 1] * sc - 0.5 + 0.5 * sc)
    F0 = np.asarray(F0, F32)
    if F0.ndim == 1 and F0.shape[0] == 3:
        F0 = F0[None]
    return (col * w[:, None] * F0 * 0.5).astype(F32)


def draw_strip(ctx, c):
    cam = ctx.cam
    flat = c['kind'] == 'flat'
    arr = {'P': np.asarray(c['P'], np.float64), 'hw': np.asarray(c['hw'], np.float64),
           's': np.asarray(c['s'], np.float64)}
    if flat:
        arr['side'] = np.asarray(c['side'], np.float64)
        arr['nrm'] = np.asarray(c['nrm'], np.float64)
    arr = clip_near(cam, arr, c.get('near', NEAR))
    if arr is None:
        return
    P, hw, sv = arr['P'], arr['hw'], arr['s']
    n = len(P)
    T = np.empty_like(P)
    T[1:-1] = P[2:] - P[:-2]
    T[0] = P[1] - P[0]
    T[-1] = P[-1] - P[-2]
    T = nrm_rows(T)
    Vd = nrm_rows(cam.C[None] - P)
    if flat:
        S = nrm_rows(arr['side'])
        Nb = nrm_rows(arr['nrm'])
    else:
        S = cross(T, Vd)
        bad = np.linalg.norm(S, axis=1) < 1e-4
        if bad.any():
            S[bad] = cross(T[bad], cam.R[0][None])
        S = nrm_rows(S)
    Sw = S * hw[:, None]
    cuv, cz = cam.proj(P)
    Luv, _ = cam.proj(P + Sw)
    Ruv, _ = cam.proj(P - Sw)
    if flat:
        t2 = np.empty_like(cuv)
        t2[1:-1] = cuv[2:] - cuv[:-2]
        t2[0] = cuv[1] - cuv[0]
        t2[-1] = cuv[-1] - cuv[-2]
        t2 = t2 / (np.linalg.norm(t2, axis=1, keepdims=True) + 1e-9)
        p2 = np.stack([-t2[:, 1], t2[:, 0]], -1)
        half = Luv - cuv
        wp = dot(half, p2)
        mw = c.get('minw', 0.55)
        thin = np.abs(wp) < mw
        sgn = np.where(wp >= 0, 1.0, -1.0)
        half = np.where(thin[:, None], half + p2 * (sgn * mw - wp)[:, None], half)
        Luv = cuv + half
        Ruv = cuv - half
    rad = cam.f * hw / np.maximum(cz, 1e-3)  # projected radius of the round section
    allp = np.concatenate([Luv, Ruv, cuv])
    allp = np.clip(allp, -1e5, 1e5)
    mg = (0 if flat else rad.max()) + 2
    x0 = max(0, int(math.floor(allp[:, 0].min() - mg)))
    y0 = max(0, int(math.floor(allp[:, 1].min() - mg)))
    x1 = min(ctx.W, int(math.ceil(allp[:, 0].max() + mg)) + 1)
    y1 = min(ctx.H, int(math.ceil(allp[:, 1].max() + mg)) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    idx = np.zeros((y1 - y0, x1 - x0), np.int16)
    o = np.array([x0, y0], np.float64)
    order = np.argsort(-(cz[:-1] + cz[1:]))
    for i in order:
        q = np.clip(np.array([Luv[i], Luv[i + 1], Ruv[i + 1], Ruv[i]]) - o, -1e5, 1e5)
        cv2.fillPoly(idx, [np.round(q * 16).astype(np.int32)], int(i + 1), cv2.LINE_8, 4)
        if not flat:
            for j in (i, i + 1):
                ce = np.clip(cuv[j] - o, -1e5, 1e5)
                cv2.circle(idx, (int(round(ce[0] * 16)), int(round(ce[1] * 16))), int(round(min(rad[j], 1e4) * 16)),
                           int(i + 1), -1, cv2.LINE_8, 4)
    ys, xs = np.nonzero(idx)
    if len(ys) == 0:
        return
    seg = idx[ys, xs].astype(np.int64) - 1
    cuvf = cuv.astype(F32)
    hL = (Luv - cuv).astype(F32)
    Pf, Swf, Sf, Tf = P.astype(F32), Sw.astype(F32), S.astype(F32), T.astype(F32)
    hwf, svf = hw.astype(F32), sv.astype(F32)
    Cf = cam.C.astype(F32)
    R2 = cam.R[2].astype(F32)
    pp = np.stack([xs + x0, ys + y0], -1).astype(F32)
    c0 = cuvf[seg]
    dd = cuvf[seg + 1] - c0
    len2 = dot(dd, dd)
    sl = np.clip(dot(pp - c0, dd) / np.maximum(len2, 1e-9), 0, 1)
    sl = np.where(len2 < 0.01, 0.5, sl).astype(F32)
    w0 = (1 - sl)[:, None]
    w1 = sl[:, None]
    hs = hL[seg] * w0 + hL[seg + 1] * w1
    rel = pp - (c0 + dd * w1)
    hn2 = np.maximum(dot(hs, hs), 1e-6)
    u = dot(rel, hs) / hn2
    if flat:
        perp = np.stack([-dd[:, 1], dd[:, 0]], -1) / np.sqrt(np.maximum(len2, 1e-9))[:, None]
        wperp = dot(hs, perp)
        wperp = np.where(np.abs(wperp) < 0.3, np.where(wperp >= 0, 0.3, -0.3), wperp)
        u = np.where(len2 < 0.01, u, dot(rel, perp) / wperp)
    u = np.clip(u, -1, 1).astype(F32)
    Pc = Pf[seg] * w0 + Pf[seg + 1] * w1
    hwp = hwf[seg] * (1 - sl) + hwf[seg + 1] * sl
    sg = svf[seg] * (1 - sl) + svf[seg + 1] * sl
    Vp = nrm_rows(Cf[None] - Pc)
    Tp = nrm_rows(Tf[seg] * w0 + Tf[seg + 1] * w1)
    Sp = Swf[seg] * w0 + Swf[seg + 1] * w1
    if flat:
        Pp = Pc + Sp * u[:, None]
    else:
        vperp = nrm_rows(Vp - dot(Vp, Tp)[:, None] * Tp)
        sq = np.sqrt(np.maximum(1 - u * u, 0))
        Pp = Pc + Sp * u[:, None] + vperp * (hwp * sq)[:, None]
    depth = (Pp - Cf[None]) @ R2
    keep = np.ones(len(ys), bool)
    if c.get('holes') is not None:
        keep &= ~c['holes'](sg, u)
    fm = None
    if c.get('contents') is not None:
        fm = c['contents'](sg, u)
        depth = np.where(fm, depth - 0.004, depth)
    assert ctx.img.flags.c_contiguous and ctx.zbuf.flags.c_contiguous and ctx.lab.flags.c_contiguous
    fl = (ys + y0) * ctx.W + (xs + x0)
    zb = ctx.zbuf.reshape(-1)
    vis = keep & (depth < zb[fl])
    tv = keep & (~vis)
    if tv.any():
        ft = fl[tv]
        tv[tv] = (ctx.lab.reshape(-1)[ft] == FOOD) & (ctx.fop.reshape(-1)[ft] < 0.999) & \
            (depth[tv] < ctx.zunder.reshape(-1)[ft])
    need = vis | tv
    if not need.any():
        return
    j = np.nonzero(need)[0]
    seg, sl, u, Pp, Vp, Tp, hwp, sg, depth, fl, vis, tv = (seg[j], sl[j], u[j], Pp[j], Vp[j], Tp[j], hwp[j], sg[j],
                                                           depth[j], fl[j], vis[j], tv[j])
    if fm is not None:
        fm = fm[j]
    w0 = (1 - sl)[:, None]
    w1 = sl[:, None]
    Su = nrm_rows(Sf[seg] * w0 + Sf[seg + 1] * w1)
    if flat:
        Nbf = Nb.astype(F32)
        Nbp = nrm_rows(Nbf[seg] * w0 + Nbf[seg + 1] * w1)
        sgn = np.where(dot(Nbp, Vp) >= 0, 1.0, -1.0).astype(F32)
        cv = c.get('curv', 0.0)
        if cv:
            sh = c.get('s_head', 1.0)
            cs = np.clip(2 * sg / sh - 1, -1, 1)
            cw = np.where(sg <= sh, cv, 0.0).astype(F32)[:, None]
            nn = Nbp - cw * (u[:, None] * Su + cs[:, None] * Tp)
        else:
            nn = Nbp
        nn = nrm_rows(nn) * sgn[:, None]
        # rounded / bevelled edges
        bev = np.clip(0.0025 / np.maximum(hwp, 1e-4), 0.08, 0.45)
        th = np.clip((np.abs(u) - (1 - bev)) / bev, 0, 1) * 1.15
        nn = nrm_rows(nn * np.cos(th)[:, None] + Su * (np.sign(u) * np.sin(th))[:, None])
    else:
        vperp = nrm_rows(Vp - dot(Vp, Tp)[:, None] * Tp)
        sq = np.sqrt(np.maximum(1 - u * u, 0))
        nn = nrm_rows(Su * u[:, None] + vperp * sq[:, None])
    m = c['mat']
    alb = mat_albedo(m, sg, u, hwp)
    col = shade(ctx, Pp, nn, Vp, alb, m['F0'], m['rough'], m['metal'])
    if m['metal'] > 0 and ctx.reflimg is not None:
        col = col + scene_reflection(ctx, Pp, nn, Vp, m['F0'])
    lab = np.full(len(fl), c['label'], np.uint8)
    if fm is not None and fm.any():
        cm = c['cmat']
        k = np.nonzero(fm)[0]
        nb = nrm_rows(nn[k] + 0.5 * nrm_rows(Pp[k] - c['ccenter'][None].astype(F32)))
        calb = cm['alb'][None] * (1 + 0.15 * np.sin(sg[k] * 900 + u[k] * 7) * np.sin(u[k] * 13 + sg[k] * 300))[:, None]
        col[k] = shade(ctx, Pp[k], nb, Vp[k], calb.astype(F32), 0.04, cm['rough'], 0.0)
        lab[k] = FOOD
    # tool seen through translucent food (label stays food)
    if tv.any():
        ft = fl[tv]
        op = ctx.fop.reshape(-1)[ft][:, None]
        ctx.img.reshape(-1, 3)[ft] += (1 - op) * (col[tv] * ctx.ftint[None] - ctx.under.reshape(-1, 3)[ft])
    if vis.any():
        fv = fl[vis]
        ctx.img.reshape(-1, 3)[fv] = col[vis]
        ctx.lab.reshape(-1)[fv] = lab[vis]
        zb[fv] = depth[vis]
        ctx.layer.reshape(-1)[fv] = 2


def draw_wires(ctx, wires, rw, m, label):
    """thin round wires (whisk loops): list of (n,3) polylines."""
    cam = ctx.cam
    segs = []
    for Wp in wires:
        uv, z = cam.proj(Wp)
        for i in range(len(Wp) - 1):
            if z[i] > NEAR and z[i + 1] > NEAR:
                segs.append((0.5 * (z[i] + z[i + 1]), uv[i], uv[i + 1], Wp[i], Wp[i + 1]))
    if not segs:
        return
    segs.sort(key=lambda t: -t[0])
    dcan = np.full((ctx.H, ctx.W), np.inf, F32)
    ican = np.zeros((ctx.H, ctx.W), F32)
    for k, (z, a, b, _, _) in enumerate(segs):
        th = max(1, int(round(2 * rw * cam.f / z)))
        pa = tuple(int(round(v)) for v in np.clip(a, -1e4, 1e4))
        pb = tuple(int(round(v)) for v in np.clip(b, -1e4, 1e4))
        cv2.line(dcan, pa, pb, float(z), th, cv2.LINE_8)
        cv2.line(ican, pa, pb, float(k + 1), th, cv2.LINE_8)
    ys, xs = np.nonzero(ican > 0)
    if len(ys) == 0:
        return
    k = ican[ys, xs].astype(np.int64) - 1
    A = np.array([s[3] for s in segs])
    B = np.array([s[4] for s in segs])
    Pm = 0.5 * (A + B)
    Tt = nrm_rows(B - A)
    Vv = nrm_rows(cam.C[None] - Pm)
    l = light_dir_at(ctx.E, Pm)
    Hh = nrm_rows(l + Vv)
    nn = nrm_rows(Hh - dot(Hh, Tt)[:, None] * Tt)
    jit = np.sin(np.arange(len(segs)) * 2.7) * 0.4
    nn = nrm_rows(nn + jit[:, None] * Vv)
    col = shade(ctx, Pm, nn, Vv, np.broadcast_to(m['alb'][None], (len(segs), 3)), m['F0'], max(m['rough'], 0.15), m['metal'])
    depth = dcan[ys, xs]
    vis = depth < ctx.zbuf[ys, xs]
    ys, xs, k, depth = ys[vis], xs[vis], k[vis], depth[vis]
    ctx.img[ys, xs] = col[k]
    ctx.lab[ys, xs] = label
    ctx.zbuf[ys, xs] = depth
    ctx.layer[ys, xs] = 2


# ----------------------------------------------------------------------------------------------
# tools
# ----------------------------------------------------------------------------------------------
TOOL_KINDS = ['wood_spoon', 'wood_spatula', 'silicone_spatula', 'turner', 'metal_spoon', 'ladle', 'whisk',
              'tongs', 'chopsticks', 'fork', 'wok_spatula', 'paddle', 'bamboo_spatula', 'skimmer', 'stick']
TOOL_P = np.array([0.13, 0.09, 0.11, 0.12, 0.08, 0.07, 0.05, 0.07, 0.07, 0.03, 0.04, 0.04, 0.05, 0.03, 0.02])
TOOL_P = TOOL_P / TOOL_P.sum()


def to_srgb(alb):
    return tuple(float(v) for v in 255 * np.clip(alb, 0, 1) ** (1 / 2.2))


def pick_colour(rng, info):
    r = rng.random()
    if r < 0.2 and info.get('food_srgb') is not None:
        return info['food_srgb']
    if r < 0.32 and info.get('pan_srgb') is not None:
        return info['pan_srgb']
    return BRIGHT[rng.integers(len(BRIGHT))]


def handle_mat_any(rng, info):
    r = rng.random()
    if r < 0.3:
        return mat_wood(rng)
    if r < 0.5:
        return mat_steel(rng)
    if r < 0.8:
        return mat_colour(rng, (20, 20, 22) if rng.random() < 0.5 else pick_colour(rng, info), 'plastic')
    return mat_colour(rng, pick_colour(rng, info), 'silicone')


def oval_hw(x, half, p=2.2, tipw=0.15):
    x = np.clip(x, 0, 1) ** 0.85
    v = np.clip(1 - np.abs(2 * x - 1) ** p, 0, 1) ** (1 / p)
    return half * np.maximum(v, tipw * (x < 0.5))


def tool_design(rng, kind, info):
    """returns Lh, L, list of segments (s, hw, kind, mat, extra), bend (rad), grip fraction."""
    segs = []
    if kind == 'wood_spoon':
        m = mat_wood(rng)
        Lh = rng.uniform(0.055, 0.075); wh = rng.uniform(0.02, 0.029); hn = rng.uniform(0.005, 0.008)
        L = rng.uniform(0.26, 0.33); hh = rng.uniform(0.006, 0.0105)
        s = np.linspace(0, Lh, 12)
        hw = np.maximum(oval_hw(s / Lh, wh), np.where(s > Lh * 0.6, hn, 0))
        s2 = np.linspace(Lh, Lh + 0.03, 4)
        hw2 = hn + (hh * 0.85 - hn) * (s2 - Lh) / 0.03
        segs.append((np.concatenate([s, s2[1:]]), np.concatenate([hw, hw2[1:]]), 'flat', m,
                     dict(curv=rng.uniform(0.15, 0.4), s_head=Lh)))
        s3 = np.linspace(Lh + 0.03, L, 8)
        hw3 = hh * (0.85 + 0.15 * (s3 - s3[0]) / (L - s3[0]))
        hw3[-1] *= 0.75
        segs.append((s3, hw3, 'round', m, {}))
        bend = math.radians(rng.uniform(-3, 10))
    elif kind in ('wood_spatula', 'bamboo_spatula'):
        m = mat_wood(rng) if kind == 'wood_spatula' else mat_bamboo(rng)
        Lh = rng.uniform(0.06, 0.1); wh = rng.uniform(0.022, 0.033); hn = rng.uniform(0.009, 0.013)
        L = rng.uniform(0.26, 0.33)
        s = np.array([0, 0.002, 0.006] + list(np.linspace(0.012, Lh, 8)))
        hw = np.concatenate([[wh * 0.75, wh * 0.93, wh], wh + (hn - wh) * smooth01((np.linspace(0.012, Lh, 8) - Lh * 0.5) / (Lh * 0.5))])
        s3 = np.linspace(Lh, L, 8)
        hw3 = np.full(8, hn)
        hw3[-1] *= 0.8
        slot = kind == 'bamboo_spatula' and rng.random() < 0.4
        ex = dict(curv=0.05, s_head=Lh)
        if slot:
            ex['holes'] = lambda sg, u, Lh=Lh: (sg > Lh * 0.2) & (sg < Lh * 0.7) & (np.abs(u) < 0.18)
        if rng.random() < 0.5:
            segs.append((np.concatenate([s, s3[1:]]), np.concatenate([hw, hw3[1:]]), 'flat', m, ex))
        else:
            segs.append((s, hw, 'flat', m, ex))
            segs.append((s3, hw3 * 0.8, 'round', m, {}))
        bend = math.radians(rng.uniform(0, 10))
    elif kind == 'silicone_spatula':
        hm = mat_colour(rng, pick_colour(rng, info), 'silicone')
        Lh = rng.uniform(0.075, 0.1); wh = rng.uniform(0.022, 0.03); L = rng.uniform(0.24, 0.3)
        s = np.array([0, 0.003, 0.008] + list(np.linspace(0.015, Lh, 7)))
        hw = np.concatenate([[wh * 0.7, wh * 0.9, wh * 0.98], wh * (1 - 0.35 * smooth01((np.linspace(0.015, Lh, 7) - Lh * 0.6) / (Lh * 0.4)))])
        segs.append((s, hw, 'flat', hm, dict(curv=0.08, s_head=Lh, minw=1.0)))
        seg_h = np.linspace(Lh, L, 8)
        hh = rng.uniform(0.006, 0.01)
        hm2 = hm if rng.random() < 0.4 else handle_mat_any(rng, info)
        segs.append((seg_h, np.full(8, hh) * np.linspace(0.8, 1.05, 8), 'round', hm2, {}))
        bend = math.radians(rng.uniform(0, 8))
    elif kind == 'turner':
        r = rng.random()
        hm = mat_colour(rng, (22, 22, 24), 'nylon') if r < 0.5 else (mat_steel(rng) if r < 0.75 else
                                                                   mat_colour(rng, pick_colour(rng, info), 'silicone'))
        Lh = rng.uniform(0.08, 0.11); wt = rng.uniform(0.032, 0.047); we = rng.uniform(0.018, 0.025)
        L = rng.uniform(0.29, 0.35)
        s = np.linspace(0, Lh, 10)
        x = s / Lh
        hw = np.where(x < 0.75, wt + (we - wt) * x / 0.75, we + (0.006 - we) * (x - 0.75) / 0.25)
        hw[0] *= 0.92
        ex = dict(curv=0.03, s_head=Lh, minw=0.8)
        if rng.random() < 0.6:
            nsl = int(rng.integers(3, 6))
            us = np.linspace(-0.55, 0.55, nsl)
            sw = rng.uniform(0.05, 0.09)
            s0, s1 = rng.uniform(0.1, 0.2) * Lh, rng.uniform(0.55, 0.68) * Lh
            ex['holes'] = lambda sg, u, us=us, sw=sw, s0=s0, s1=s1: (sg > s0) & (sg < s1) & \
                (np.min(np.abs(u[:, None] - us[None]), 1) < sw)
        segs.append((s, hw, 'flat', hm, ex))
        s2 = np.linspace(Lh, L, 9)
        hh = rng.uniform(0.007, 0.011)
        hm2 = hm if rng.random() < 0.4 else handle_mat_any(rng, info)
        segs.append((s2, np.full(9, hh) * np.linspace(0.7, 1.0, 9), 'round', hm2, {}))
        bend = math.radians(rng.uniform(15, 40))
    elif kind in ('metal_spoon', 'skimmer', 'ladle'):
        nyl = rng.random() < (0.3 if kind != 'skimmer' else 0.0)
        hm = mat_colour(rng, (22, 22, 24) if rng.random() < 0.7 else pick_colour(rng, info), 'nylon') if nyl else mat_steel(rng)
        if kind == 'ladle':
            rb = rng.uniform(0.034, 0.05); Lh = 2 * rb; L = rng.uniform(0.28, 0.34)
            s = np.linspace(0, Lh, 14)
            hw = rb * np.sqrt(np.clip(1 - (2 * s / Lh - 1) ** 2, 0, 1))
            hw = np.maximum(hw, np.where(s > Lh * 0.5, 0.006, 0.0))
            ex = dict(curv=0.9, s_head=Lh)
            bend = None
        elif kind == 'skimmer':
            rb = rng.uniform(0.045, 0.065); Lh = 2 * rb; L = rng.uniform(0.3, 0.36)
            s = np.linspace(0, Lh, 14)
            hw = rb * np.sqrt(np.clip(1 - (2 * s / Lh - 1) ** 2, 0, 1))
            hw = np.maximum(hw, np.where(s > Lh * 0.5, 0.005, 0.0))
            pitch = rng.uniform(0.006, 0.01)
            ex = dict(curv=0.3, s_head=Lh, holes=lambda sg, u, rb=rb, p=pitch: (sg < 2 * rb * 0.93) & (sg > 2 * rb * 0.07) &
                      (np.abs(u) < 0.85) & ((np.mod(sg, p) < p * 0.55) & (np.mod(u * rb, p) < p * 0.55)))
            bend = math.radians(rng.uniform(5, 20))
        else:
            Lh = rng.uniform(0.06, 0.08); wh = rng.uniform(0.022, 0.028); L = rng.uniform(0.28, 0.34)
            s = np.linspace(0, Lh, 12)
            hw = np.maximum(oval_hw(s / Lh, wh), np.where(s > Lh * 0.6, 0.005, 0))
            ex = dict(curv=0.5, s_head=Lh)
            if rng.random() < 0.35:
                if rng.random() < 0.5:
                    ex['holes'] = lambda sg, u, Lh=Lh: (sg > Lh * 0.2) & (sg < Lh * 0.7) & \
                        (np.min(np.abs(u[:, None] - np.array([-0.4, 0, 0.4])[None]), 1) < 0.07)
                else:
                    ex['holes'] = lambda sg, u, Lh=Lh: (sg > Lh * 0.15) & (sg < Lh * 0.75) & (np.abs(u) < 0.6) & \
                        ((np.mod(sg, 0.008) < 0.004) & (np.mod(u * 0.025 + 0.1, 0.008) < 0.004))
            bend = math.radians(rng.uniform(8, 22))
        segs.append((s, hw, 'flat', hm, ex))
        s2 = np.linspace(Lh, L, 9)
        hh = rng.uniform(0.005, 0.009)
        hw2 = hh * np.linspace(0.7, 1.25, 9)
        if kind == 'skimmer' and rng.random() < 0.5:
            segs.append((s2, hw2 * 0.9, 'round', mat_bamboo(rng), {}))
        else:
            segs.append((s2, hw2, 'flat', hm, {}))
    elif kind == 'wok_spatula':
        hm = mat_steel(rng)
        Lh = rng.uniform(0.08, 0.1); wh = rng.uniform(0.042, 0.055)
        s = np.array([0, 0.004] + list(np.linspace(0.01, Lh, 8)))
        hw = np.concatenate([[wh * 0.85, wh * 0.97], wh * (1 - 0.75 * smooth01((np.linspace(0.01, Lh, 8) - Lh * 0.5) / (Lh * 0.5)))])
        segs.append((s, hw, 'flat', hm, dict(curv=0.3, s_head=Lh)))
        s2 = np.linspace(Lh, Lh + 0.1, 4)
        segs.append((s2, np.full(4, 0.005), 'round', hm, {}))
        L = Lh + 0.1 + rng.uniform(0.12, 0.16)
        s3 = np.linspace(Lh + 0.1, L, 6)
        segs.append((s3, np.full(6, rng.uniform(0.011, 0.014)), 'round', mat_wood(rng), {}))
        bend = math.radians(rng.uniform(25, 45))
    elif kind == 'paddle':
        hm = mat_colour(rng, (240, 238, 230) if rng.random() < 0.7 else pick_colour(rng, info), 'plastic')
        Lh = rng.uniform(0.07, 0.09); wh = rng.uniform(0.03, 0.037); L = rng.uniform(0.19, 0.23)
        s = np.linspace(0, Lh, 10)
        hw = np.maximum(oval_hw(s / Lh, wh, 2.5, 0.3), np.where(s > Lh * 0.6, 0.012, 0))
        s2 = np.linspace(Lh, L, 6)
        segs.append((np.concatenate([s, s2[1:]]), np.concatenate([hw, np.full(5, 0.012)]), 'flat', hm,
                     dict(curv=0.12, s_head=Lh, minw=1.0)))
        bend = math.radians(rng.uniform(0, 6))
    elif kind == 'stick':
        m = mat_wood(rng) if rng.random() < 0.7 else mat_bamboo(rng)
        L = rng.uniform(0.26, 0.33)
        s = np.linspace(0, L, 10)
        hw = rng.uniform(0.006, 0.009) * np.clip(0.55 + s / 0.05, 0, 1)
        segs.append((s, hw, 'round', m, {}))
        Lh = 0.03
        bend = 0.0
    else:
        raise ValueError(kind)
    return Lh, L, segs, bend


def place_tool(rng, V, cam, info, kind, held=True, resting=False, toward_cam=False, tip=None, fixed=None):
    """choose tip, direction and twist for a tool in vessel V; returns dict with world comps."""
    fi = V.get('finfo') or {}
    level = fi.get('level', V['zf'])
    zf = V['zf']
    # tip position
    rmax = r_at(V, max(level, zf + 0.003)) * 0.8
    for _ in range(20):
        rt = rmax * math.sqrt(rng.uniform(0, 1))
        at = rng.uniform(0, 2 * math.pi)
        x, y = rt * math.cos(at), rt * math.sin(at)
        if V['shape'] == 'bowl':
            zfl = V['zc'] - math.sqrt(max(V['Rs'] ** 2 - rt * rt, 1e-8))
        else:
            zfl = zf
        if rt < r_at(V, zfl + 0.003) * 0.95 or V['shape'] == 'bowl':
            break
    lifted = False
    kindf = fi.get('kind')
    if resting:
        ztip = zfl + 0.004
    elif kindf in ('liquid', 'bed') and rng.random() < 0.75:
        ztip = rng.uniform(zfl + 0.004, level + 0.015)
    elif rng.random() < 0.22:
        ztip = max(level, zfl) + rng.uniform(0.015, 0.07)
        lifted = True
    else:
        ztip = zfl + rng.uniform(0.003, 0.012)
    if tip is not None:
        x, y, ztip = tip
    T = np.array([V['cx'] + x, V['cy'] + y, ztip])
    Lh, L, segs, bend = tool_design(rng, kind, info) if kind not in ('whisk', 'tongs', 'chopsticks', 'fork') \
        else (None, None, None, None)
    # direction: handle over the rim, hand not glued to the lens
    cam_az = math.atan2(cam.C[1] - V['cy'], cam.C[0] - V['cx'])
    p0 = T[:2] - np.array([V['cx'], V['cy']])
    Rw = V['Rout'] + 0.004
    need = V['Hr'] + 0.008

    def el_min(az):
        dxy = np.array([math.cos(az), math.sin(az)])
        B = 2 * p0 @ dxy
        Cq = p0 @ p0 - Rw * Rw
        disc = max(B * B - 4 * Cq, 0.0)
        sh = (-B + math.sqrt(disc)) / 2
        return math.atan2(need - T[2], max(sh, 1e-3))

    Lest = 0.3 if L is None else L
    best = None
    for attempt in range(16):
        if toward_cam:  # strongly foreshortened, passing beside the lens
            toC = cam.C - T
            az = math.atan2(toC[1], toC[0]) + rng.choice([-1, 1]) * rng.uniform(0.12, 0.4)
            el = math.atan2(toC[2], math.hypot(toC[0], toC[1])) + rng.normal(0, 0.1)
        else:
            if attempt < 6:
                az = cam_az + rng.normal(0, 1.1) if rng.random() < 0.6 else rng.uniform(0, 2 * math.pi)
                el = math.radians(rng.uniform(20, 70))
            else:  # close camera: handle away from the lens, flatter
                az = cam_az + math.pi + rng.normal(0, 0.9)
                el = math.radians(rng.uniform(10, 40))
        em = el_min(az)
        if resting:
            el = em + 0.02
        else:
            el = min(max(el, em + math.radians(3)), math.radians(82))
        a = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
        G = T + a * Lest * 0.85
        dG = float((G - cam.C) @ cam.R[2])
        if best is None or dG > best[0]:
            best = (dG, az, el)
        dE = float((T + a * Lest - cam.C) @ cam.R[2])
        if resting or (toward_cam and dE > 0.1) or dG > 0.17:
            best = (dG, az, el)
            break
    _, az, el = best
    a = np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])
    b0 = cross(a, [0, 0, 1.0])
    b0 = nrm(b0) if np.linalg.norm(b0) > 1e-6 else np.array([1.0, 0, 0])
    if rng.random() < 0.55 or resting:
        twist = rng.normal(0, 0.35)
    else:
        twist = rng.uniform(-math.pi / 2, math.pi / 2)
    b = rot_about(b0, a, twist)
    if fixed is not None:  # lying on the counter
        T, a = fixed
        lifted = False
        b = nrm(cross(a, [0, 0, 1.0]))
        b = rot_about(b, a, rng.normal(0, 0.1))
        el = math.asin(max(min(a[2], 1), -1))
    out = dict(kind=kind, T=T, a=a, b=b, lifted=lifted, comps=[], wires=[])
    if kind in ('whisk', 'tongs', 'chopsticks', 'fork'):
        build_multi(rng, out, info)
        return out
    # bend the head toward horizontal
    if bend is None:  # ladle: bowl ~ horizontal
        bend = max(el - rng.uniform(-0.1, 0.25), 0.0)
    ah1 = rot_about(a, b, bend)
    ah2 = rot_about(a, b, -bend)
    ah = ah1 if ah1[2] < ah2[2] else ah2
    # a tip buried under the floor is not allowed: move the tool up if needed
    neck = T + ah * Lh

    def pos(s):
        s = np.asarray(s, np.float64)
        return np.where((s <= Lh)[:, None], T[None] + ah[None] * s[:, None], neck[None] + a[None] * (s - Lh)[:, None])

    def dirs(s):
        return np.where((np.asarray(s) <= Lh + 1e-9)[:, None], ah[None], a[None])

    fk = (V.get('finfo') or {}).get('kind')
    if fk in ('liquid', 'bed') and info.get('food_alb') is not None and not info.get('counter'):
        for (_, _, _, m, _) in segs:
            if m['tex'] in ('wood', 'bamboo') and rng.random() < 0.5:  # sauce-tinted tip (still the tool)
                m['stain'] = (info['food_alb'].astype(F32), rng.uniform(0.03, 0.07), rng.uniform(0.15, 0.4))
    for (s, hw, kd, m, ex) in segs:
        P = pos(s)
        c = dict(P=P, hw=hw, s=s, kind=kd, mat=m, label=STIR if not info.get('counter') else PAN)
        c.update(ex)
        if kd == 'flat':
            c['side'] = np.broadcast_to(b, P.shape).copy()
            c['nrm'] = cross(dirs(s), b[None])
        out['comps'].append(c)
    # food carried on the head
    if lifted and kind in ('wood_spoon', 'metal_spoon', 'ladle', 'turner', 'wood_spatula', 'silicone_spatula',
                           'paddle', 'wok_spatula', 'bamboo_spatula', 'skimmer') and info.get('food_alb') is not None \
            and rng.random() < 0.6:
        c = out['comps'][0]
        if kind == 'ladle':
            cs, rs, ru = Lh * 0.5, Lh * 0.42, 0.82
        else:
            cs, rs, ru = Lh * rng.uniform(0.3, 0.55), Lh * rng.uniform(0.2, 0.4), rng.uniform(0.4, 0.85)
        ph = rng.uniform(0, 6.3)
        c['contents'] = lambda sg, u, cs=cs, rs=rs, ru=ru, ph=ph: \
            ((sg - cs) / rs) ** 2 + (u / ru) ** 2 < 1 + 0.3 * np.sin(np.arctan2(u / ru, (sg - cs) / rs) * 3 + ph)
        c['cmat'] = dict(alb=info['food_alb'] * np.exp(rng.normal(0, 0.1, 3)).astype(F32), rough=rng.uniform(0.1, 0.4))
        c['ccenter'] = pos(np.array([cs]))[0] - cross(ah, b) * 0.02
    out['pos'] = pos
    out['L'] = L
    out['Lh'] = Lh
    out['grip_s'] = L * rng.uniform(0.72, 0.92)
    out['grip_hw'] = float(segs[-1][1][-2])
    return out


def build_multi(rng, out, info):
    """whisk, tongs, chopsticks, fork (several thin parts)."""
    kind, T, a, b = out['kind'], out['T'], out['a'], out['b']
    nb = cross(a, b)
    lab = STIR if not info.get('counter') else PAN
    if kind == 'whisk':
        Lw = rng.uniform(0.12, 0.17); rw = rng.uniform(0.022, 0.036); Lhd = rng.uniform(0.1, 0.14)
        J = T + a * Lw
        nwire = int(rng.integers(4, 8))
        xs = np.linspace(0, 1, 14)
        prof = np.where(xs < 0.72, 0.004 + (rw - 0.004) * np.sin(np.pi / 2 * xs / 0.72),
                        rw * np.sqrt(np.clip(1 - ((xs - 0.72) / 0.28) ** 2, 0, 1)))
        wires = []
        ph = rng.uniform(0, math.pi)
        for k in range(nwire):
            th = ph + math.pi * k / nwire
            e = math.cos(th) * b + math.sin(th) * nb
            side1 = J[None] - a[None] * (xs * Lw)[:, None] + prof[:, None] * e[None]
            side2 = J[None] - a[None] * (xs * Lw)[:, None] - prof[:, None] * e[None]
            wires.append(np.concatenate([side1, side2[::-1]]))
        wm = mat_steel(rng)
        out['wires'] = [(wires, 0.0009, wm, lab)]
        hm = handle_mat_any(rng, info) if rng.random() < 0.5 else mat_steel(rng)
        s = np.linspace(0, Lhd, 6)
        hw = rng.uniform(0.008, 0.012) * np.linspace(0.75, 1.0, 6)
        out['comps'].append(dict(P=J[None] + a[None] * s[:, None], hw=hw, s=s, kind='round', mat=hm, label=lab))
        out['L'] = Lw + Lhd
        out['pos'] = lambda ss, T=T, a=a: T[None] + a[None] * np.asarray(ss)[:, None]
        out['grip_s'] = Lw + Lhd * rng.uniform(0.4, 0.8)
        out['grip_hw'] = float(hw[-1])
    elif kind in ('tongs', 'chopsticks'):
        if kind == 'tongs':
            L = rng.uniform(0.22, 0.3); gap_end = rng.uniform(0.03, 0.06); gap_tip = rng.uniform(0.0, 0.04)
            am = mat_steel(rng)
            tipm = mat_colour(rng, pick_colour(rng, info), 'silicone') if rng.random() < 0.5 else am
        else:
            L = rng.uniform(0.22, 0.27); gap_end = rng.uniform(0.015, 0.03); gap_tip = rng.uniform(0.0, 0.012)
            r = rng.random()
            am = mat_bamboo(rng) if r < 0.4 else (mat_wood(rng) if r < 0.7 else
                                                   (mat_colour(rng, (20, 20, 20) if rng.random() < 0.6 else (150, 30, 30), 'plastic')
                                                    if r < 0.9 else mat_steel(rng)))
            tipm = am
        sq = b if kind == 'tongs' else rot_about(b, a, rng.uniform(-0.5, 0.5))
        held_piece = rng.random() < 0.35 and info.get('food_alb') is not None
        for sgn in (-1, 1):
            tip = T + sq * sgn * gap_tip / 2
            end = T + a * L + sq * sgn * gap_end / 2
            ax = nrm(end - tip)
            s = np.linspace(0, L, 10)
            P = tip[None] + ax[None] * s[:, None]
            if kind == 'tongs':
                hw = np.where(s < 0.045, rng.uniform(0.011, 0.015), rng.uniform(0.008, 0.01))
                side = nrm(cross(ax, sq))
                twist = rng.uniform(-0.6, 0.6)
                side = rot_about(side, ax, twist)
                nr = cross(ax, side)
                cut = 3
                out['comps'].append(dict(P=P[:cut + 1], hw=hw[:cut + 1], s=s[:cut + 1], kind='flat', mat=tipm, label=lab,
                                         side=np.broadcast_to(side, (cut + 1, 3)).copy(),
                                         nrm=np.broadcast_to(nr, (cut + 1, 3)).copy(), minw=1.0))
                out['comps'].append(dict(P=P[cut:], hw=hw[cut:], s=s[cut:], kind='flat', mat=am, label=lab,
                                         side=np.broadcast_to(side, (10 - cut, 3)).copy(),
                                         nrm=np.broadcast_to(nr, (10 - cut, 3)).copy(), minw=1.0))
            else:
                hw = rng.uniform(0.0016, 0.0022) + (rng.uniform(0.0035, 0.0048) - 0.002) * s / L
                out['comps'].append(dict(P=P, hw=hw, s=s, kind='round', mat=am, label=lab))
        if held_piece and not info.get('counter'):
            pc = T + a * 0.012 + rng.normal(0, 0.002, 3)
            pr = rng.uniform(0.007, 0.016)
            ax2 = nrm(rng.normal(0, 1, 3))
            out['comps'].append(dict(P=np.array([pc - ax2 * pr * 0.6, pc + ax2 * pr * 0.6]), hw=np.array([pr, pr * 0.9]),
                                     s=np.array([0, pr]), kind='round', label=FOOD,
                                     mat=mat(info['food_alb'] * np.exp(rng.normal(0, 0.1, 3)).astype(F32), 0.04,
                                             rng.uniform(0.15, 0.5), 0, 'plain', ns=0.1)))
        out['L'] = L
        out['pos'] = lambda ss, T=T, a=a: T[None] + a[None] * np.asarray(ss)[:, None]
        out['grip_s'] = L * rng.uniform(0.6, 0.85)
        out['grip_hw'] = gap_end * 0.5 + 0.006
    else:  # fork
        m = mat_steel(rng)
        Lt = rng.uniform(0.05, 0.07); nt = int(rng.choice([2, 2, 3, 4]))
        sp = rng.uniform(0.006, 0.009)
        for k in range(nt):
            o = (k - (nt - 1) / 2) * sp
            s = np.linspace(0, Lt, 4)
            P = T[None] + b[None] * o * (0.6 + 0.4 * s[:, None] / Lt) + a[None] * s[:, None]
            out['comps'].append(dict(P=P, hw=np.linspace(0.0012, 0.0022, 4), s=s, kind='round', mat=m, label=lab))
        base = T + a * Lt
        s = np.linspace(0, 0.012, 3)
        out['comps'].append(dict(P=base[None] + a[None] * s[:, None], hw=np.full(3, sp * (nt - 1) / 2 + 0.002), s=s,
                                 kind='flat', mat=m, label=lab, side=np.broadcast_to(b, (3, 3)).copy(),
                                 nrm=np.broadcast_to(cross(a, b), (3, 3)).copy()))
        Ls = rng.uniform(0.08, 0.12)
        s = np.linspace(0, Ls, 4)
        out['comps'].append(dict(P=base[None] + a[None] * (0.012 + s)[:, None], hw=np.full(4, 0.0035), s=s,
                                 kind='round', mat=m, label=lab))
        Lhd = rng.uniform(0.1, 0.13)
        s = np.linspace(0, Lhd, 6)
        hm = handle_mat_any(rng, info)
        out['comps'].append(dict(P=base[None] + a[None] * (0.012 + Ls + s)[:, None], hw=np.linspace(0.008, 0.011, 6),
                                 s=s, kind='round', mat=hm, label=lab))
        out['L'] = Lt + 0.012 + Ls + Lhd
        out['pos'] = lambda ss, T=T, a=a: T[None] + a[None] * np.asarray(ss)[:, None]
        out['grip_s'] = out['L'] - Lhd * rng.uniform(0.3, 0.7)
        out['grip_hw'] = 0.01


# ----------------------------------------------------------------------------------------------
# hands and arms (background class)
# ----------------------------------------------------------------------------------------------
def build_hand(rng, tool, V, cam, look):
    G = tool['pos'](np.array([tool['grip_s']]))[0]
    a = tool['a']
    hwh = tool['grip_hw']
    z = np.array([0, 0, 1.0])
    up = z - np.dot(z, a) * a
    up = nrm(up) if np.linalg.norm(up) > 1e-3 else nrm(cross(a, [1.0, 0, 0]))
    # arm goes toward the cook: roughly along the handle's azimuth, a bit to one side, upward
    ah = np.array([a[0], a[1], 0.0])
    ah = nrm(ah) if np.linalg.norm(ah) > 1e-3 else nrm(G - np.array([V['cx'], V['cy'], G[2]]))
    if float((G - cam.C) @ cam.R[2]) < 0.15:
        return []  # the hand would sit on the lens: it is outside the picture
    best = None
    for k in range(16):
        ah2 = rot_about(ah, z, rng.normal(0, 0.6) if k < 4 else rng.uniform(-math.pi, math.pi))
        B = G + ah2 * 0.45 + z * rng.uniform(-0.15 if k >= 8 else -0.05, 0.25)
        d = nrm(B - G)
        # keep the arm away from the lens
        w = cam.C - G
        tt = min(max(np.dot(w, d), 0.0), 0.5)
        dist = np.linalg.norm(w - tt * d)
        if best is None or dist > best[0]:
            best = (dist, d)
        if dist > 0.26:
            break
    if best[0] < 0.2:
        return []
    d_arm = best[1]
    q = d_arm - np.dot(d_arm, a) * a
    q = nrm(q) if np.linalg.norm(q) > 1e-3 else up
    eu = nrm(cross(a, q))
    if np.dot(eu, up) < 0:
        eu = -eu
    comps = []
    skin = look['skin']
    gm = look['glove'] if look['glove'] is not None else skin
    Kc = G + q * (hwh + 0.018) + eu * (hwh + 0.006)
    if look['gkind'] == 'mitt':
        s = np.linspace(0, 0.13, 6)
        P = G[None] + eu[None] * (hwh + 0.01) + d_arm[None] * (s - 0.02)[:, None]
        hw = 0.05 * np.sqrt(np.clip(np.sin(np.pi * (0.15 + 0.85 * s / 0.13)), 0.2, 1))
        comps.append(dict(P=P, hw=hw, s=s, kind='round', mat=gm, label=PAN))
        wrist = P[-1]
    else:
        # fingers curled around the handle
        rk = hwh + 0.0085
        sp = rng.uniform(0.017, 0.02)
        kn = [Kc - a * sp * 1.9, Kc + a * sp * 1.9]
        comps.append(dict(P=np.array(kn), hw=np.array([0.0105, 0.0115]), s=np.array([0, sp * 3.8]), kind='round',
                          mat=gm, label=PAN))
        for k, o in enumerate(np.array([-1.5, -0.5, 0.5, 1.5]) * sp):
            phis = np.linspace(0.3, -2.2, 5) + rng.normal(0, 0.1)
            P = G[None] + a[None] * o + rk * (np.cos(phis)[:, None] * q[None] + np.sin(phis)[:, None] * eu[None])
            P[0] = Kc + a * o * 0.95
            s = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(P, axis=0), axis=1))])
            fw = rng.uniform(0.0075, 0.0095) * (0.85 if k in (0, 3) else 1.0)
            hw = np.full(len(P), fw)
            hw[-1] *= 0.85
            comps.append(dict(P=P, hw=hw, s=s, kind='round', mat=gm, label=PAN))
        # back of the hand: a slightly curved plate from the knuckles to the wrist
        s = np.linspace(0, 0.085, 6)
        P = Kc[None] + d_arm[None] * s[:, None] + eu[None] * (0.006 * np.sin(np.pi * s / 0.085))[:, None]
        hw = rng.uniform(0.038, 0.045) * (1 - 0.3 * (s / 0.085) ** 1.5)
        side = np.broadcast_to(a, P.shape).copy()
        nr = np.broadcast_to(cross(d_arm, a), P.shape).copy()
        comps.append(dict(P=P, hw=hw, s=s, kind='flat', mat=gm, label=PAN, side=side, nrm=nr, curv=-0.35,
                          s_head=0.085, minw=2.0))
        # thumb along the handle toward the tip
        t0 = Kc + d_arm * 0.035 - a * 0.035 + eu * 0.004
        P = np.array([t0, t0 - a * 0.03 + eu * 0.002, t0 - a * 0.055 - q * 0.008])
        comps.append(dict(P=P, hw=np.array([0.012, 0.0105, 0.009]), s=np.array([0, 0.03, 0.056]), kind='round',
                          mat=gm, label=PAN))
        wrist = Kc + d_arm * 0.085
    # forearm (+ sleeve)
    L = 0.5
    s = np.linspace(0, L, 8)
    P = wrist[None] + d_arm[None] * s[:, None]
    hw = 0.026 + 0.016 * np.clip(s / 0.25, 0, 1)
    fmat = skin
    if look['sleeve'] is not None:
        keep = s <= look['sleeve_at'] + 0.08
        keep[:2] = True
        P, hw, s = P[keep], hw[keep], s[keep]
        if len(P) < 3:
            P, hw, s = P[:2], hw[:2], s[:2]
    if look['gkind'] in ('nitrile', 'cotton') and len(P) > 3:
        cut = 3
        comps.append(dict(P=P[:cut], hw=hw[:cut], s=s[:cut], kind='round', mat=gm, label=PAN))
        comps.append(dict(P=P[cut - 1:], hw=hw[cut - 1:], s=s[cut - 1:], kind='round', mat=fmat, label=PAN))
    else:
        comps.append(dict(P=P, hw=hw, s=s, kind='round', mat=fmat, label=PAN))
    if look['sleeve'] is not None:
        s0 = look['sleeve_at']
        s2 = np.linspace(s0, L, 6)
        P2 = wrist[None] + d_arm[None] * s2[:, None]
        hw2 = (0.026 + 0.016 * np.clip(s2 / 0.25, 0, 1)) * look['sleeve_w']
        comps.append(dict(P=P2, hw=hw2, s=s2, kind='round', mat=look['sleeve'], label=PAN))
    for c in comps:
        c['near'] = 0.09
    return comps


def sample_look(rng):
    look = dict(skin=mat_skin(rng), glove=None, gkind='none', sleeve=None)
    r = rng.random()
    if r < 0.14:
        look['gkind'] = 'nitrile'
        c = [(40, 90, 200), (25, 25, 28), (110, 60, 170), (235, 235, 235), (60, 160, 200)][rng.integers(5)]
        look['glove'] = mat_colour(rng, c, 'plastic')
    elif r < 0.22:
        look['gkind'] = 'mitt'
        look['glove'] = mat_fabric(rng) if rng.random() < 0.6 else mat_colour(rng, BRIGHT[rng.integers(len(BRIGHT))], 'silicone')
    elif r < 0.26:
        look['gkind'] = 'cotton'
        look['glove'] = mat(jcol(rng, (225, 225, 220)), 0.03, 0.9, 0, 'plain', ns=0.05)
    if rng.random() < 0.6:
        look['sleeve'] = mat_fabric(rng)
        look['sleeve_at'] = rng.uniform(0.02, 0.22)
        look['sleeve_w'] = rng.uniform(1.2, 1.6)
    return look


# ----------------------------------------------------------------------------------------------
# counter, hob and wall
# ----------------------------------------------------------------------------------------------
class Canvas:
    """top-down texture: albedo(3)+rough, F0+metal, label; drawing in metric coordinates."""

    def __init__(self, u0, v0, nu, nv, ps):
        self.u0, self.v0, self.ps = u0, v0, ps
        self.nu, self.nv = nu, nv
        self.m1 = np.zeros((nv, nu, 4), F32)
        self.m2 = np.zeros((nv, nu, 2), F32)
        self.lab = np.zeros((nv, nu), np.uint8)

    def px(self, u, v):
        return np.stack([(np.asarray(u) - self.u0) / self.ps - 0.5, (np.asarray(v) - self.v0) / self.ps - 0.5], -1)

    def ipts(self, pts):
        return [np.round(np.asarray(pts) * 16).astype(np.int32)]

    def poly(self, uv, alb, rough, F0=0.04, metal=0.0, lab=None):
        p = self.ipts(self.px(uv[:, 0], uv[:, 1]))
        cv2.fillPoly(self.m1, p, (float(alb[0]), float(alb[1]), float(alb[2]), float(rough)), cv2.LINE_AA, 4)
        cv2.fillPoly(self.m2, p, (float(F0), float(metal)), cv2.LINE_AA, 4)
        if lab is not None:
            cv2.fillPoly(self.lab, p, int(lab), cv2.LINE_8, 4)

    def circle(self, u, v, r, alb, rough, F0=0.04, metal=0.0, th=-1, lab=None):
        c = self.px(u, v)
        cc = (int(round(c[0] * 16)), int(round(c[1] * 16)))
        rr = int(round(r / self.ps * 16))
        t = -1 if th < 0 else max(1, int(round(th / self.ps)))
        cv2.circle(self.m1, cc, rr, (float(alb[0]), float(alb[1]), float(alb[2]), float(rough)), t, cv2.LINE_AA, 4)
        cv2.circle(self.m2, cc, rr, (float(F0), float(metal)), t, cv2.LINE_AA, 4)
        if lab is not None:
            cv2.circle(self.lab, cc, rr, int(lab), t, cv2.LINE_8, 4)

    def line(self, a, b, w, alb, rough, F0=0.04, metal=0.0):
        pa, pb = self.px(*a), self.px(*b)
        t = max(1, int(round(w / self.ps)))
        pa = (int(round(pa[0] * 16)), int(round(pa[1] * 16)))
        pb = (int(round(pb[0] * 16)), int(round(pb[1] * 16)))
        cv2.line(self.m1, pa, pb, (float(alb[0]), float(alb[1]), float(alb[2]), float(rough)), t, cv2.LINE_AA, 4)
        cv2.line(self.m2, pa, pb, (float(F0), float(metal)), t, cv2.LINE_AA, 4)

    def grid(self):
        u = self.u0 + (np.arange(self.nu) + 0.5) * self.ps
        v = self.v0 + (np.arange(self.nv) + 0.5) * self.ps
        return np.meshgrid(u.astype(F32), v.astype(F32))


def rrect(u0, v0, u1, v1, r=0.0, n=4):
    if r <= 0:
        return np.array([[u0, v0], [u1, v0], [u1, v1], [u0, v1]])
    pts = []
    for cu, cv_, a0 in [(u1 - r, v0 + r, -90), (u1 - r, v1 - r, 0), (u0 + r, v1 - r, 90), (u0 + r, v0 + r, 180)]:
        for a in np.radians(np.linspace(a0, a0 + 90, n)):
            pts.append([cu + r * math.cos(a), cv_ + r * math.sin(a)])
    return np.array(pts)


def rot_pts(pts, c, ang):
    ca, sa = math.cos(ang), math.sin(ang)
    p = pts - c
    return np.stack([p[:, 0] * ca - p[:, 1] * sa, p[:, 0] * sa + p[:, 1] * ca], -1) + c


COUNTER_COL = {'wood': None, 'granite': [(40, 38, 38), (90, 85, 80), (150, 140, 130), (60, 50, 45)],
               'quartz': [(235, 232, 225), (200, 198, 192), (60, 60, 62), (215, 205, 190)],
               'laminate': [(225, 222, 215), (170, 170, 168), (120, 110, 95), (40, 40, 42), (200, 190, 160)],
               'tile': [(240, 240, 235), (180, 190, 200), (140, 60, 50), (60, 90, 110), (210, 200, 170)],
               'concrete': [(150, 148, 145), (110, 108, 105)], 'marble': [(240, 238, 235), (225, 222, 215)]}


def fill_counter(rng, cv):
    kind = rng.choice(['wood', 'granite', 'quartz', 'laminate', 'tile', 'stainless', 'concrete', 'marble'],
                      p=[0.22, 0.18, 0.13, 0.13, 0.1, 0.1, 0.07, 0.07])
    nv, nu = cv.nv, cv.nu
    U, Vv = cv.grid()
    if kind == 'wood':
        m = mat_wood(rng)
        base = m['alb']
        pw = rng.uniform(0.04, 0.12)
        plank = np.floor(Vv / pw + 100).astype(np.int32)
        tone = np.sin(plank * 12.9898) * 43758.5453
        tone = (tone - np.floor(tone) - 0.5) * 0.35
        g = fbm(rng, nv, nu, 40 * 0.002 / cv.ps, 3, sx=8.0)
        gr = 0.5 + 0.5 * np.sin((Vv * rng.uniform(150, 400) + g * 3.0) * 2 * np.pi)
        b = (1 + tone) * (1 - 0.25 * gr ** 4) * (1 + 0.08 * fbm(rng, nv, nu, 0.05 / cv.ps))
        seam = np.abs(np.mod(Vv / pw + 100, 1.0) - 0.5) > 0.5 - 0.0015 / pw
        b = np.where(seam, b * 0.55, b)
        alb = base[None, None] * b[..., None]
        rough = rng.uniform(0.35, 0.7)
        F0 = 0.04
        metal = 0.0
    elif kind == 'stainless':
        g = rng.uniform(0.5, 0.7)
        b = 1 + 0.05 * fbm(rng, nv, nu, 30, 2, sx=20.0) + 0.03 * fbm(rng, nv, nu, 60)
        alb = np.zeros((nv, nu, 3), F32) + 0.02
        F0 = g * b
        rough = rng.uniform(0.2, 0.4)
        metal = 1.0
    else:
        cols = COUNTER_COL[kind]
        c = jcol(rng, cols[rng.integers(len(cols))], 0.05, 0.08)
        alb = np.broadcast_to(c[None, None], (nv, nu, 3)).copy()
        F0, metal = 0.04, 0.0
        if kind == 'granite':
            n1 = rng.random((nv, nu)).astype(F32)
            spec = lin(rng.choice([[20, 20, 20], [230, 225, 220], [150, 90, 70], [100, 100, 110]], 2))
            d1, d2 = rng.uniform(0.05, 0.2), rng.uniform(0.03, 0.12)
            alb = np.where((n1 < d1)[..., None], alb * 0.5 + spec[0][None, None] * 0.5, alb)
            alb = np.where((n1 > 1 - d2)[..., None], alb * 0.5 + spec[1][None, None] * 0.5, alb)
            alb = cv2.GaussianBlur(alb, (0, 0), rng.uniform(0.5, 1.2))
            alb = alb * (1 + 0.2 * fbm(rng, nv, nu, 0.02 / cv.ps))[..., None]
            rough = rng.uniform(0.1, 0.3)
        elif kind == 'marble':
            f = fbm(rng, nv, nu, 0.15 / cv.ps, 4)
            vein = np.exp(-np.abs(f) * rng.uniform(15, 40))
            alb = alb * (1 - 0.45 * vein)[..., None]
            rough = rng.uniform(0.1, 0.25)
        elif kind == 'tile':
            ts = rng.uniform(0.08, 0.2)
            gw = rng.uniform(0.003, 0.007)
            fu = np.mod(U, ts)
            fv = np.mod(Vv, ts)
            grout = (fu < gw) | (fv < gw)
            tid = np.floor(U / ts) * 7.13 + np.floor(Vv / ts) * 3.71
            j = (np.sin(tid * 12.9898) * 43758.5453) % 1.0
            alb = alb * (1 + 0.12 * (j - 0.5))[..., None]
            gc = lin(rng.choice([[200, 200, 195], [90, 90, 90], [60, 55, 50]]))
            alb = np.where(grout[..., None], gc[None, None], alb)
            rough = rng.uniform(0.1, 0.3)
        elif kind == 'concrete':
            alb = alb * (1 + 0.2 * fbm(rng, nv, nu, 0.05 / cv.ps, 4))[..., None]
            rough = 0.7
        else:
            alb = alb * (1 + 0.04 * fbm(rng, nv, nu, 0.03 / cv.ps))[..., None]
            rough = rng.uniform(0.15, 0.5)
    cv.m1[..., :3] = alb
    cv.m1[..., 3] = rough
    cv.m2[..., 0] = F0
    cv.m2[..., 1] = metal
    return kind


def fill_hob(rng, cv, layout):
    """draw the hob (in counter frame) around the burner list; returns static 3-D grate comps spec."""
    kind = layout['hob']
    burners = layout['burners']
    if kind == 'none':
        if rng.random() < 0.3:  # portable plate
            s = rng.uniform(0.14, 0.19)
            cv.poly(rrect(-s, -s, s, s, 0.02), lin([20, 20, 22]), 0.15, 0.05)
        return []
    bu = np.array([b[0] for b in burners])
    bv = np.array([b[1] for b in burners])
    mu, mvf, mvb = rng.uniform(0.1, 0.15), rng.uniform(0.1, 0.2), rng.uniform(0.08, 0.12)
    rect = rrect(bu.min() - mu, bv.min() - mvf, bu.max() + mu, bv.max() + mvb, rng.uniform(0, 0.02))
    specs = []
    if kind in ('glass', 'induction'):
        g = rng.uniform(8, 30)
        cv.poly(rect, lin([g, g, g * 1.05]), rng.uniform(0.04, 0.15), 0.05)
        if rng.random() < 0.5:  # frame
            fr = rrect(bu.min() - mu, bv.min() - mvf, bu.max() + mu, bv.max() + mvb, 0.01)
            p = cv.ipts(cv.px(fr[:, 0], fr[:, 1]))
            t = max(1, int(round(0.006 / cv.ps)))
            cv2.polylines(cv.m1, p, True, (0.3, 0.3, 0.3, 0.2), t, cv2.LINE_AA, 4)
            cv2.polylines(cv.m2, p, True, (0.6, 1.0), t, cv2.LINE_AA, 4)
        mc = lin(rng.choice([[140, 140, 140], [200, 200, 200], [150, 60, 40], [120, 120, 110]]))
        for (u, v, r) in burners:
            if kind == 'glass':
                cv.circle(u, v, r * rng.uniform(1.0, 1.15), mc, 0.2, th=0.0025)
                if rng.random() < 0.5:
                    cv.circle(u, v, r * 0.6, mc, 0.2, th=0.002)
            else:
                s = r * 1.05
                pts = rrect(u - s, v - s, u + s, v + s, 0.0)
                p = cv.ipts(cv.px(pts[:, 0], pts[:, 1]))
                cv2.polylines(cv.m1, p, True, (0.6, 0.6, 0.6, 0.2), max(1, int(0.002 / cv.ps)), cv2.LINE_AA, 4)
        # control icons along the front edge
        vfront = bv.min() - mvf * 0.6
        for k in range(int(rng.integers(0, 8))):
            u = bu.min() - mu * 0.5 + k * rng.uniform(0.03, 0.05)
            cv.circle(u, vfront, rng.uniform(0.004, 0.008), mc * 1.3, 0.3, th=0.0015)
        # smudges
        U, Vv = cv.grid()
        sm = np.clip(fbm(rng, cv.nv, cv.nu, 0.08 / cv.ps, 3) * rng.uniform(0.5, 1.5) - 0.3, 0, 1) * rng.uniform(0, 0.15)
        inside = np.zeros((cv.nv, cv.nu), np.uint8)
        cv2.fillPoly(inside, cv.ipts(cv.px(rect[:, 0], rect[:, 1])), 1, cv2.LINE_8, 4)
        sm = sm * inside
        cv.m1[..., :3] += sm[..., None] * 0.15
        cv.m1[..., 3] += sm * 2.0
    elif kind == 'gas':
        if rng.random() < 0.6:
            g = rng.uniform(0.5, 0.7)
            cv.poly(rect, lin([20, 20, 20]), 0.3, g, 1.0)
        else:
            g = rng.uniform(12, 40)
            cv.poly(rect, lin([g, g, g]), rng.uniform(0.1, 0.3), 0.05)
        gcol = lin([rng.uniform(15, 35)] * 3)
        for bi, (u, v, r) in enumerate(burners):
            cr = rng.uniform(0.028, 0.042)
            cv.circle(u, v, cr * 1.45, lin([150, 150, 150]), 0.35, 0.5, 1.0)
            cv.circle(u, v, cr * 1.2, lin([40, 40, 40]), 0.5)
            cv.circle(u, v, cr, lin([22, 22, 22]), 0.4)
            hs = min(layout['du'], layout['dv']) * 0.48
            ang0 = rng.choice([0.0, math.pi / 4])
            arms = [(math.cos(ang0 + k * math.pi / 2), math.sin(ang0 + k * math.pi / 2)) for k in range(4)]
            bars = [((u - hs, v - hs), (u + hs, v - hs)), ((u + hs, v - hs), (u + hs, v + hs)),
                    ((u + hs, v + hs), (u - hs, v + hs)), ((u - hs, v + hs), (u - hs, v - hs))]
            for (cu, sv) in arms:
                ext = hs / max(abs(cu), abs(sv))
                bars.append(((u + cu * cr * 1.7, v + sv * cr * 1.7), (u + cu * ext, v + sv * ext)))
            if bi == 0:
                specs.extend(bars)
            else:
                for (p0, p1) in bars:
                    cv.line(p0, p1, 0.011, gcol, 0.5)
                    cv.line((p0[0] + 0.002, p0[1] + 0.002), (p1[0] + 0.002, p1[1] + 0.002), 0.003, gcol * 3, 0.3)
        layout['grate_mat'] = mat(gcol, 0.05, rng.uniform(0.3, 0.6), 0, 'plain')
    elif kind == 'coil':
        g = rng.uniform(0.5, 0.7) if rng.random() < 0.5 else None
        if g:
            cv.poly(rect, lin([20, 20, 20]), 0.3, g, 1.0)
        else:
            cv.poly(rect, jcol(rng, (235, 235, 230)), 0.2, 0.05)
        for (u, v, r) in burners:
            cv.circle(u, v, r * 1.2, lin([40, 40, 40]), 0.3, 0.7, 1.0)
            for rr in np.linspace(0.025, r, int(rng.integers(3, 6))):
                cv.circle(u, v, rr, lin([25, 25, 25]), 0.5, th=0.006)
    return specs


def fill_wall(rng, cv):
    kind = rng.choice(['subway', 'square', 'paint', 'steel', 'mosaic', 'glass'], p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
    U, Z = cv.grid()
    nv, nu = cv.nv, cv.nu
    metal, F0 = 0.0, 0.04
    if kind in ('subway', 'square', 'mosaic'):
        c = jcol(rng, [(245, 245, 240), (230, 225, 210), (120, 160, 150), (60, 90, 130), (200, 200, 205), (40, 40, 45),
                       (180, 120, 90)][rng.integers(7)], 0.04, 0.06)
        if kind == 'subway':
            th = rng.uniform(0.06, 0.08); tw = th * 2
        elif kind == 'square':
            th = tw = rng.uniform(0.1, 0.2)
        else:
            th = tw = rng.uniform(0.02, 0.03)
        row = np.floor(Z / th)
        uu = U + (np.mod(row, 2) * 0.5 * tw if kind == 'subway' else 0)
        gw = rng.uniform(0.002, 0.004)
        grout = (np.mod(uu, tw) < gw) | (np.mod(Z, th) < gw)
        tid = np.floor(uu / tw) * 7.13 + row * 3.71
        j = (np.sin(tid * 12.9898) * 43758.5453) % 1.0
        alb = c[None, None] * (1 + (0.3 if kind == 'mosaic' else 0.06) * (j - 0.5))[..., None]
        alb = np.where(grout[..., None], lin([170, 170, 165])[None, None], alb)
        rough = 0.12
    elif kind == 'paint':
        c = jcol(rng, BRIGHT[rng.integers(len(BRIGHT))] if rng.random() < 0.4 else (230, 228, 220), 0.04, 0.1)
        alb = c[None, None] * (1 + 0.03 * fbm(rng, nv, nu, 20))[..., None]
        rough = 0.8
    elif kind == 'steel':
        alb = np.zeros((nv, nu, 3), F32) + 0.02
        F0 = rng.uniform(0.5, 0.7) * (1 + 0.04 * fbm(rng, nv, nu, 20, 2, sx=10.0))
        metal = 1.0
        rough = 0.25
    else:
        c = jcol(rng, BRIGHT[rng.integers(len(BRIGHT))], 0.05, 0.1)
        alb = np.broadcast_to(c[None, None], (nv, nu, 3)).copy()
        rough = 0.05
    cv.m1[..., :3] = alb
    cv.m1[..., 3] = rough
    cv.m2[..., 0] = F0
    cv.m2[..., 1] = metal
    if rng.random() < 0.25:  # socket
        u = rng.uniform(U.min(), U.max())
        z = rng.uniform(0.1, 0.3)
        cv.poly(rrect(u, z, u + 0.08, z + 0.08, 0.005), lin([235, 235, 230]), 0.3)
        cv.circle(u + 0.04, z + 0.04, 0.02, lin([200, 200, 195]), 0.3)


def bg_hits(ctx, layout, D):
    """ground / wall ray hits for ray directions D (k,3) float32."""
    C = ctx.cam.C.astype(F32)
    zc = layout['zc']
    dz = D[:, 2]
    tg = np.where(dz < -1e-6, (zc - C[2]) / np.minimum(dz, -1e-6), np.inf).astype(F32)
    tw = np.full_like(tg, np.inf)
    if layout['wall']:
        ev = layout['ev3'].astype(F32)
        den = D @ ev
        tw = np.where(den > 1e-6, (layout['dw'] - C @ ev) / np.maximum(den, 1e-6), np.inf).astype(F32)
    wall = tw < tg
    ground = (~wall) & np.isfinite(tg)
    return tg, tw, wall, ground


def bg_prepare(ctx, rng, layout):
    """build the counter / hob and wall textures covering what the camera sees."""
    D = ctx.D[::4, ::4].reshape(-1, 3)
    C = ctx.cam.C
    tg, tw, wall, ground = bg_hits(ctx, layout, D)
    eu, ev = layout['eu3'], layout['ev3']
    if ground.any():
        P = C[None] + tg[ground][:, None] * D[ground]
        u = P @ eu
        v = P @ ev
        u0, u1 = max(u.min(), -1.6) - 0.03, min(u.max(), 1.6) + 0.03
        v0, v1 = max(v.min(), -1.6) - 0.03, min(v.max(), max(layout['dw'], 0.2) if layout['wall'] else 1.6) + 0.03
    else:
        u0, u1, v0, v1 = -0.3, 0.3, -0.3, 0.3
    ps = max(u1 - u0, v1 - v0) / layout['nmax']
    cv = Canvas(u0, v0, max(8, int(math.ceil((u1 - u0) / ps))), max(8, int(math.ceil((v1 - v0) / ps))), ps)
    layout['counter_kind'] = fill_counter(rng, cv)
    layout['grate_specs'] = fill_hob(rng, cv, layout)
    counter_clutter_flat(rng, cv, layout)
    layout['cv_ground'] = cv
    layout['cv_wall'] = None
    if wall.any():
        P = C[None] + tw[wall][:, None] * D[wall]
        u = P @ eu
        z = P[:, 2] - layout['zc']
        u0, u1 = u.min() - 0.05, u.max() + 0.05
        z0, z1 = max(z.min(), 0) - 0.02, min(z.max(), 1.5) + 0.05
        ps = max(u1 - u0, z1 - z0) / 300
        cw = Canvas(u0, z0, max(8, int(math.ceil((u1 - u0) / ps))), max(8, int(math.ceil((z1 - z0) / ps))), ps)
        fill_wall(rng, cw)
        layout['cv_wall'] = cw


def bg_sample(layout, P, wall):
    """albedo+rough (k,4), F0+metal (k,2), label (k,) of background points."""
    k = P.shape[0]
    s1 = np.zeros((k, 4), F32)
    s2 = np.zeros((k, 2), F32)
    lb = np.zeros(k, np.uint8)
    eu = layout['eu3'].astype(F32)
    anyw = bool(wall.any())
    g = np.nonzero(~wall)[0] if anyw else slice(None)
    if not anyw or len(g):
        cv = layout['cv_ground']
        Pg = P[g] if anyw else P
        u = Pg @ eu
        v = Pg @ layout['ev3'].astype(F32)
        fx = (u - cv.u0) / cv.ps - 0.5
        fy = (v - cv.v0) / cv.ps - 0.5
        s1[g] = sample_map(cv.m1, fx, fy)
        s2[g] = sample_map(cv.m2, fx, fy)
        lb[g] = sample_map(cv.lab, fx, fy, cv2.INTER_NEAREST)[:, 0]
    if not anyw:
        return s1, s2, lb
    wall = np.nonzero(wall)[0]
    if len(wall) and layout['cv_wall'] is not None:
        cw = layout['cv_wall']
        u = P[wall] @ eu
        z = P[wall, 2] - layout['zc']
        s1[wall] = sample_map(cw.m1, (u - cw.u0) / cw.ps - 0.5, (z - cw.v0) / cw.ps - 0.5)
        s2[wall] = sample_map(cw.m2, (u - cw.u0) / cw.ps - 0.5, (z - cw.v0) / cw.ps - 0.5)
    return s1, s2, lb


def render_background(ctx, layout, vessels):
    """counter / hob / wall where nothing else was drawn; lighting at half resolution."""
    cam = ctx.cam
    W, H = ctx.W, ctx.H
    E = ctx.E
    C = cam.C.astype(F32)
    # --- lighting on a half-resolution grid (albedo = 1)
    Dh = ctx.D[::2, ::2]
    hh, wh = Dh.shape[:2]
    Dh = Dh.reshape(-1, 3)
    tg, tw, wall, ground = bg_hits(ctx, layout, Dh)
    t = np.where(wall, tw, np.where(ground, tg, 50.0)).astype(F32)
    P = C[None] + t[:, None] * Dh
    s1, s2, _ = bg_sample(layout, P, wall)
    n = np.zeros_like(P)
    n[:, 2] = 1
    n[wall] = -layout['ev3'].astype(F32)
    l = light_dir_at(E, P)
    lit = np.ones(len(P), F32)
    ao = np.ones(len(P), F32)
    for V in vessels:
        c = np.array([V['cx'], V['cy']], F32)
        q0 = P[:, :2] - c[None]
        lxy = l[:, :2]
        lz = np.maximum(l[:, 2], 1e-3)
        s_top = (V['Hr'] - P[:, 2]) / lz
        s_bot = np.maximum(0, (V['zb'] - P[:, 2]) / lz)
        l2 = np.maximum(dot(lxy, lxy), 1e-9)
        ss = np.clip(-dot(q0, lxy) / l2, s_bot, s_top)
        q = q0 + ss[:, None] * lxy
        dmin = np.sqrt(dot(q, q))
        pen = 0.003 + E['soft'] * ss
        lit = lit * np.clip((dmin - V['Rout'] * 0.97) / pen + 0.5, 0, 1)
        r = np.sqrt(dot(q0, q0))
        ao = ao * (1 - layout['ao_k'] * np.exp(-np.maximum(r - V['rbo'], 0) / 0.012))
    ao = np.where(wall, ao * (1 - 0.3 * np.exp(-np.maximum(P[:, 2] - layout['zc'], 0) / 0.03)), ao)
    lit = np.where(wall, 1.0, lit).astype(F32)
    metal = s2[:, 1]
    F0 = (np.where(metal > 0.5, s2[:, 0], 0.04)[:, None] * np.ones((1, 3), F32)).astype(F32)
    irr, sp = shade(ctx, P, n, -nrm_rows(Dh), np.ones((len(P), 3), F32), F0, np.clip(s1[:, 3], 0.03, 1), metal,
                    shadow=lit, ao=ao.astype(F32), split=True)
    sky = ~(wall | ground)
    if sky.any():
        irr[sky] = 0
        sp[sky] = env_lookup(E, Dh[sky], 0.3)
    irr = cv2.resize(irr.reshape(hh, wh, 3), (W, H), interpolation=cv2.INTER_LINEAR)
    sp = cv2.resize(sp.reshape(hh, wh, 3), (W, H), interpolation=cv2.INTER_LINEAR)
    # --- full-resolution albedo + labels where nothing else is
    fl = np.nonzero(~np.isfinite(ctx.zbuf.reshape(-1)))[0]
    if len(fl) == 0:
        return
    D = ctx.D.reshape(-1, 3)[fl]
    ys, xs = np.divmod(fl, W)
    tg, tw, wall, ground = bg_hits(ctx, layout, D)
    t = np.where(wall, tw, np.where(ground, tg, 50.0)).astype(F32)
    P = C[None] + t[:, None] * D
    s1, s2, lb = bg_sample(layout, P, wall)
    col = s1[:, :3] * irr.reshape(-1, 3)[fl] + sp.reshape(-1, 3)[fl]
    ctx.img.reshape(-1, 3)[fl] = col
    ctx.lab.reshape(-1)[fl] = np.where(lb == FOOD, FOOD, PAN)
    ctx.zbuf.reshape(-1)[fl] = np.minimum(t, 1e3)
    ctx.layer.reshape(-1)[fl] = 0


def counter_clutter_flat(rng, cv, layout):
    """towels, boards, stains and spilled food on the counter (drawn into the counter canvas)."""
    Ro = layout['Rmain'] + 0.02

    def free_spot(size):
        for _ in range(12):
            u = rng.uniform(cv.u0, cv.u0 + cv.nu * cv.ps)
            v = rng.uniform(cv.v0, cv.v0 + cv.nv * cv.ps)
            if math.hypot(u, v) > Ro + size:
                return u, v
        return None

    if rng.random() < 0.3:
        sp = free_spot(0.15)
        if sp:
            w, h = rng.uniform(0.12, 0.22), rng.uniform(0.15, 0.3)
            pts = rot_pts(rrect(sp[0] - w, sp[1] - h, sp[0] + w, sp[1] + h, 0.01), np.array(sp), rng.uniform(0, 3.14))
            fm = mat_fabric(rng)
            cv.poly(pts, fm['alb'], 0.9)
            if fm['pat'] in (0, 1):
                for k in range(int(rng.integers(2, 6))):
                    o = rng.uniform(-h, h)
                    a = rot_pts(np.array([[sp[0] - w, sp[1] + o], [sp[0] + w, sp[1] + o]]), np.array(sp), 0)
                    cv.line(a[0], a[1], rng.uniform(0.005, 0.02), fm['alb2'], 0.9)
    if rng.random() < 0.15:
        sp = free_spot(0.15)
        if sp:
            w, h = rng.uniform(0.1, 0.18), rng.uniform(0.14, 0.22)
            pts = rot_pts(rrect(sp[0] - w, sp[1] - h, sp[0] + w, sp[1] + h, 0.015), np.array(sp), rng.uniform(0, 3.14))
            c = mat_wood(rng)['alb'] if rng.random() < 0.6 else jcol(rng, BRIGHT[rng.integers(len(BRIGHT))])
            cv.poly(pts, c, 0.5)
    # grease stains (not food: dried marks on the surface)
    for _ in range(int(rng.integers(0, 6))):
        sp = free_spot(0.0)
        if sp:
            r = rng.uniform(0.005, 0.03)
            x, y = cv.px(sp[0], sp[1])
            rr = r / cv.ps
            x0, y0 = int(max(0, x - rr - 1)), int(max(0, y - rr - 1))
            x1, y1 = int(min(cv.nu, x + rr + 2)), int(min(cv.nv, y + rr + 2))
            if x1 > x0 and y1 > y0:
                yy, xx = np.mgrid[y0:y1, x0:x1]
                w = np.clip(1 - np.hypot(xx - x, yy - y) / max(rr, 1), 0, 1) * rng.uniform(0.1, 0.35)
                cv.m1[y0:y1, x0:x1, :3] *= (1 - w[..., None] * np.array([0.3, 0.4, 0.6], F32))
    # spilled food around the pan
    fi = layout.get('food_alb')
    if fi is not None and rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 9))):
            ang = rng.uniform(0, 2 * math.pi)
            rr = Ro + rng.uniform(0.0, 0.12)
            u, v = rr * math.cos(ang), rr * math.sin(ang)
            r = rng.uniform(0.002, 0.012)
            c = fi * np.exp(rng.normal(0, 0.1, 3)).astype(F32)
            if rng.random() < 0.6:
                cv.circle(u, v, r, c, 0.15, lab=FOOD)
            else:
                n = int(rng.integers(6, 10))
                aa = np.sort(rng.uniform(0, 2 * np.pi, n))
                rad = r * rng.uniform(0.5, 1.6, n)
                pts = np.stack([u + rad * np.cos(aa) * 1.8, v + rad * np.sin(aa)], -1)
                pts = rot_pts(pts, np.array([u, v]), rng.uniform(0, 3.14))
                cv.poly(pts, c, 0.15, lab=FOOD)


# ----------------------------------------------------------------------------------------------
# food (top-down texture + height map on a plane inside the pan)
# ----------------------------------------------------------------------------------------------
SAUCES = {'tomato': (175, 38, 22), 'tomato2': (200, 60, 30), 'bolognese': (135, 52, 30), 'curry': (205, 140, 40),
          'orange_curry': (205, 100, 30), 'stew': (100, 55, 30), 'gravy': (125, 78, 42), 'cream': (236, 226, 200),
          'cheese': (240, 200, 110), 'green': (120, 145, 50), 'dal': (212, 160, 62), 'black_bean': (55, 38, 32),
          'chili': (140, 42, 22), 'borscht': (140, 22, 50), 'pea': (125, 150, 55), 'pumpkin': (232, 132, 40),
          'coconut': (232, 220, 190), 'mole': (70, 35, 25), 'teriyaki': (90, 45, 20), 'sweetsour': (220, 90, 40)}
BROTHS = {'chicken': (215, 170, 80), 'beef': (130, 75, 35), 'miso': (185, 145, 90), 'tomyum': (225, 110, 40),
          'veg': (190, 160, 70), 'ramen': (200, 150, 90), 'pho': (180, 130, 70)}
PIECES = {'red_pepper': (200, 30, 20), 'green_pepper': (60, 130, 40), 'yellow_pepper': (240, 190, 30),
          'onion': (225, 205, 165), 'red_onion': (150, 60, 95), 'carrot': (240, 120, 30), 'broccoli': (50, 105, 38),
          'chicken': (228, 195, 150), 'chicken_brown': (205, 150, 90), 'beef': (105, 58, 38), 'beef_dark': (75, 42, 28),
          'pork': (205, 165, 130), 'shrimp': (240, 140, 105), 'tofu': (240, 228, 195), 'tofu_fried': (215, 160, 80),
          'mushroom': (140, 110, 80), 'zucchini': (150, 175, 90), 'potato': (228, 195, 115),
          'potato_brown': (200, 140, 60), 'peas': (100, 165, 60), 'corn': (250, 205, 60), 'spinach': (40, 80, 28),
          'garlic': (240, 228, 195), 'chili': (200, 25, 15), 'green_beans': (75, 135, 48), 'cabbage': (200, 210, 160),
          'eggplant': (90, 55, 75), 'sausage': (150, 80, 50), 'bacon': (190, 90, 70), 'noodle': (235, 205, 130),
          'egg_yolk': (255, 175, 25), 'egg_white': (248, 246, 238), 'scrambled': (248, 215, 100), 'rice': (240, 236, 226),
          'fried_rice': (210, 160, 90), 'yellow_rice': (245, 210, 110), 'brown_rice': (195, 165, 120),
          'pasta': (238, 205, 125), 'mince': (120, 72, 48), 'bean': (120, 52, 40), 'chickpea': (220, 180, 110),
          'fish': (240, 230, 212), 'salmon': (245, 140, 100), 'spring_onion': (110, 175, 60), 'herb': (45, 105, 30),
          'tomato_piece': (215, 45, 30), 'pancake': (215, 160, 80), 'steak': (95, 50, 32), 'kale': (45, 90, 45),
          'cauliflower': (235, 228, 205), 'dumpling': (238, 225, 195), 'olive': (50, 45, 35), 'lemon': (245, 220, 90)}
STIRFRY_SETS = [['red_pepper', 'green_pepper', 'onion', 'chicken_brown'], ['broccoli', 'beef', 'carrot', 'garlic'],
                ['shrimp', 'green_beans', 'red_pepper', 'spring_onion'], ['tofu_fried', 'broccoli', 'mushroom', 'carrot'],
                ['potato_brown', 'onion', 'herb'], ['zucchini', 'eggplant', 'red_pepper', 'onion'],
                ['cabbage', 'pork', 'carrot', 'spring_onion'], ['mushroom', 'garlic', 'herb'],
                ['chicken', 'yellow_pepper', 'red_onion', 'green_beans'], ['cauliflower', 'chickpea', 'spinach'],
                ['sausage', 'potato_brown', 'onion'], ['beef_dark', 'onion', 'mushroom', 'green_pepper'],
                ['kale', 'garlic', 'chili'], ['green_beans', 'garlic', 'chili', 'tofu']]


class FoodCanvas:
    def __init__(self, N, rc):
        self.N, self.rc = N, rc
        self.ps = 2 * rc / N
        self.alb = np.zeros((N, N, 3), F32)
        self.hgt = np.zeros((N, N), F32)
        self.msk = np.zeros((N, N), np.uint8)
        self.gls = np.full((N, N), 0.3, F32)
        self.opa = np.ones((N, N), F32)

    def c(self, x, y):
        return (np.asarray(x) + self.rc) / self.ps - 0.5, (np.asarray(y) + self.rc) / self.ps - 0.5

    def poly(self, pts_m, col, h, g, op=1.0):
        x, y = self.c(pts_m[:, 0], pts_m[:, 1])
        p = [np.round(np.stack([x, y], -1) * 16).astype(np.int32)]
        cv2.fillPoly(self.alb, p, tuple(float(v) for v in col), cv2.LINE_8, 4)
        cv2.fillPoly(self.hgt, p, float(h), cv2.LINE_8, 4)
        cv2.fillPoly(self.msk, p, 1, cv2.LINE_8, 4)
        cv2.fillPoly(self.gls, p, float(g), cv2.LINE_8, 4)
        cv2.fillPoly(self.opa, p, float(op), cv2.LINE_8, 4)

    def pline(self, pts_m, w_m, col, h, g, op=1.0):
        x, y = self.c(pts_m[:, 0], pts_m[:, 1])
        p = [np.round(np.stack([x, y], -1) * 16).astype(np.int32)]
        t = max(1, int(round(w_m / self.ps)))
        cv2.polylines(self.alb, p, False, tuple(float(v) for v in col), t, cv2.LINE_8, 4)
        cv2.polylines(self.hgt, p, False, float(h), t, cv2.LINE_8, 4)
        cv2.polylines(self.msk, p, False, 1, t, cv2.LINE_8, 4)
        cv2.polylines(self.gls, p, False, float(g), t, cv2.LINE_8, 4)
        cv2.polylines(self.opa, p, False, float(op), t, cv2.LINE_8, 4)


def blob(rng, x, y, r, irr=0.25, el=1.0, n=None):
    n = n or int(rng.integers(7, 13))
    if n >= 12:  # smooth organic outline from a few harmonics
        a = np.linspace(0, 2 * np.pi, n, endpoint=False)
        k = np.arange(1, 5)
        amp = rng.normal(0, 1, 4) / k
        ph = rng.uniform(0, 6.28, 4)
        wob = (amp[None] * np.sin(a[:, None] * k[None] + ph[None])).sum(1)
        rad = r * (1 + irr * wob / max(np.abs(wob).max(), 1e-6))
    else:
        a = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 0.5, n)
        rad = r * (1 + irr * rng.uniform(-1, 1, n))
    rot = rng.uniform(0, np.pi)
    px, py = rad * np.cos(a) * el, rad * np.sin(a) / el
    ca, sa = math.cos(rot), math.sin(rot)
    return np.stack([x + px * ca - py * sa, y + px * sa + py * ca], -1)


def piece(rng, fc, kind, x, y, size, col, base_h, gl, sub=0.0, subcol=None):
    """draw one food piece of a given shape family."""
    c = col * np.exp(rng.normal(0, 0.07, 3)).astype(F32) * math.exp(rng.normal(0, 0.08))
    if sub > 0 and subcol is not None:
        c = c * (1 - sub) + subcol * sub
    h = base_h + size * rng.uniform(0.3, 0.6)
    shape = {'red_pepper': 'strip', 'green_pepper': 'strip', 'yellow_pepper': 'strip', 'onion': 'crescent',
             'red_onion': 'crescent', 'carrot': 'coin', 'broccoli': 'floret', 'cauliflower': 'floret',
             'peas': 'ball', 'corn': 'ball', 'chickpea': 'ball', 'bean': 'ball', 'olive': 'ball',
             'spinach': 'leaf', 'kale': 'leaf', 'herb': 'bit', 'spring_onion': 'ringlet', 'garlic': 'coin',
             'chili': 'ringlet', 'green_beans': 'stick', 'sausage': 'coin', 'shrimp': 'shrimp',
             'noodle': 'strand', 'pasta': 'tube', 'zucchini': 'coin', 'mushroom': 'mush', 'bacon': 'strip'}.get(kind, 'cube')
    if shape == 'strip':
        L = size * rng.uniform(1.5, 3.0)
        w = size * rng.uniform(0.35, 0.6)
        p = rot_pts(rrect(x - L / 2, y - w / 2, x + L / 2, y + w / 2, w * 0.3, 2), np.array([x, y]), rng.uniform(0, 3.14))
        fc.poly(p, c, h, gl)
    elif shape == 'crescent':
        a0 = rng.uniform(0, 6.28)
        aa = np.linspace(a0, a0 + rng.uniform(1.5, 3.0), 7)
        r = size * rng.uniform(0.8, 1.5)
        pts = np.stack([x + r * np.cos(aa), y + r * np.sin(aa)], -1)
        fc.pline(pts, size * rng.uniform(0.25, 0.4), c, h * 0.7, gl)
    elif shape == 'coin':
        r = size * rng.uniform(0.5, 0.75)
        p = blob(rng, x, y, r, 0.06, rng.uniform(1.0, 1.3), 12)
        fc.poly(p, c, h * 0.7, gl)
        if kind in ('zucchini', 'sausage') and r / fc.ps > 3:
            x1, y1 = fc.c(p[:, 0], p[:, 1])
            cv2.polylines(fc.alb, [np.round(np.stack([x1, y1], -1) * 16).astype(np.int32)], True,
                          tuple(float(v) for v in c * 0.35), max(1, int(r * 0.2 / fc.ps)), cv2.LINE_8, 4)
    elif shape == 'floret':
        for _ in range(int(rng.integers(4, 8))):
            fc.poly(blob(rng, x + rng.normal(0, size * 0.3), y + rng.normal(0, size * 0.3), size * rng.uniform(0.25, 0.4), 0.2),
                    c * rng.uniform(0.8, 1.15), h * rng.uniform(0.9, 1.2), gl)
    elif shape == 'ball':
        fc.poly(blob(rng, x, y, size * 0.45, 0.05, 1.0, 8), c, h * 0.8, gl)
    elif shape == 'leaf':
        L = size * rng.uniform(1.5, 2.5)
        t = np.linspace(0, 1, 8)
        w = L * rng.uniform(0.25, 0.4) * np.sin(np.pi * t)
        up = np.stack([t * L - L / 2, w], -1)
        dn = np.stack([t * L - L / 2, -w], -1)[::-1]
        pts = rot_pts(np.concatenate([up, dn]) + [x, y], np.array([x, y]), rng.uniform(0, 6.28))
        fc.poly(pts, c, h * 0.5, gl)
    elif shape == 'bit':
        fc.poly(blob(rng, x, y, size * 0.2, 0.4, 1.0, 5), c, h * 0.3, gl)
    elif shape == 'ringlet':
        r = size * 0.3
        x1, y1 = fc.c(x, y)
        t = max(1, int(round(r * 0.5 / fc.ps)))
        for img, val in ((fc.alb, tuple(float(v) for v in c)), (fc.hgt, float(h * 0.4)), (fc.msk, 1), (fc.gls, float(gl)),
                         (fc.opa, 1.0)):
            cv2.circle(img, (int(x1 * 16), int(y1 * 16)), int(r / fc.ps * 16), val, t, cv2.LINE_8, 4)
    elif shape == 'stick':
        L = size * rng.uniform(2.5, 4.5)
        a = rng.uniform(0, 6.28)
        pts = np.array([[x - L / 2 * math.cos(a), y - L / 2 * math.sin(a)], [x + L / 2 * math.cos(a), y + L / 2 * math.sin(a)]])
        fc.pline(pts, size * 0.35, c, h * 0.6, gl)
    elif shape == 'shrimp':
        a0 = rng.uniform(0, 6.28)
        aa = np.linspace(a0, a0 + 3.6, 8)
        r = size * 0.6
        pts = np.stack([x + r * np.cos(aa), y + r * np.sin(aa)], -1)
        fc.pline(pts, size * 0.45, c, h, gl)
    elif shape == 'strand':
        n = 10
        a = rng.uniform(0, 6.28)
        st = size * rng.uniform(0.6, 1.5)
        pts = [[x, y]]
        for _ in range(n):
            a += rng.normal(0, 0.6)
            pts.append([pts[-1][0] + st * math.cos(a), pts[-1][1] + st * math.sin(a)])
        fc.pline(np.array(pts), 0.0022 + rng.uniform(0, 0.001), c, h * 0.3, gl)
    elif shape == 'tube':
        L = size * rng.uniform(1.3, 1.8)
        w = size * 0.5
        p = rot_pts(rrect(x - L / 2, y - w / 2, x + L / 2, y + w / 2, w * 0.1, 2), np.array([x, y]), rng.uniform(0, 3.14))
        fc.poly(p, c, h, gl)
    elif shape == 'mush':
        r = size * rng.uniform(0.5, 0.8)
        aa = np.linspace(0, np.pi, 9)
        pts = np.stack([r * np.cos(aa), r * np.sin(aa) * 0.8], -1)
        pts = np.concatenate([pts, [[-r * 0.25, -r * 0.5], [r * 0.25, -r * 0.5]]])
        fc.poly(rot_pts(pts + [x, y], np.array([x, y]), rng.uniform(0, 6.28)), c, h * 0.6, gl)
    else:  # cube / chunk
        s = size * rng.uniform(0.4, 0.6)
        p = blob(rng, x, y, s, 0.18, rng.uniform(0.8, 1.3), int(rng.integers(4, 8)))
        fc.poly(p, c, h, gl)


def grain_tile(rng, ps, col, kind='rice', T=48):
    """small tile of rice grains / crumbs, tiled across the canvas."""
    alb = np.zeros((T, T, 3), F32) + col * 0.55
    hg = np.zeros((T, T), F32)
    if kind == 'rice':
        L = max(1.5, 0.0065 / ps / 2)
        w = max(0.8, 0.0022 / ps / 2)
        n = int(T * T / (4 * L * w) * 1.6)
    else:
        L = max(1.2, 0.004 / ps / 2)
        w = L * 0.8
        n = int(T * T / (4 * L * w) * 1.5)
    n = min(n, 700)
    for _ in range(n):
        x, y = rng.uniform(0, T, 2)
        c = col * math.exp(rng.normal(0, 0.1))
        a = rng.uniform(0, 360)
        for ox in (0, -T, T):
            for oy in (0, -T, T):
                xx, yy = x + ox, y + oy
                if -L - 1 < xx < T + L + 1 and -L - 1 < yy < T + L + 1:
                    ctr = (int(round(xx * 16)), int(round(yy * 16)))
                    ax = (int(round(L * 16)), int(round(w * 16)))
                    cv2.ellipse(alb, ctr, ax, a, 0, 360, tuple(float(v) for v in c), -1, cv2.LINE_8, 4)
                    cv2.ellipse(hg, ctr, ax, a, 0, 360, float(rng.uniform(0.8, 1.0)), -1, cv2.LINE_8, 4)
    return alb, hg


def make_food(rng, V, N):
    """fills V['food'] and V['finfo']; returns the dominant food colour (linear) or None."""
    r = rng.random()
    recipes = ['sauce', 'soup', 'stirfry', 'rice', 'pasta', 'eggs', 'mince', 'greens', 'flat', 'porridge', 'shakshuka',
               'potatoes', 'empty']
    pr = np.array([0.15, 0.1, 0.16, 0.08, 0.08, 0.08, 0.06, 0.05, 0.07, 0.05, 0.04, 0.05, 0.03])
    if V['kind'] in ('pot', 'saucepan'):
        pr = pr * np.array([1.6, 2.5, 0.4, 1.2, 1.5, 0.3, 0.6, 0.6, 0.2, 1.8, 0.6, 0.6, 0.5])
    if V['kind'] == 'wok':
        pr = pr * np.array([0.6, 0.4, 2.5, 1.5, 1.0, 0.5, 1.0, 1.5, 0.3, 0.2, 0.3, 0.6, 0.5])
    recipe = rng.choice(recipes, p=pr / pr.sum())
    zf, Hr = V['zf'], V['Hr']
    depth = Hr - zf
    liquid = recipe in ('sauce', 'soup', 'porridge', 'shakshuka')
    pasta_sauce = recipe == 'pasta' and rng.random() < 0.55  # strands alone lie on the floor
    if liquid:
        lvl = zf + depth * rng.uniform(0.15, 0.8) if V['kind'] in ('pot', 'saucepan') else zf + min(depth * rng.uniform(0.2, 0.7), 0.03)
        if V['shape'] == 'bowl':
            lvl = zf + depth * rng.uniform(0.15, 0.5)
    elif (recipe in ('rice', 'mince') or (recipe == 'pasta' and pasta_sauce)) and rng.random() < 0.6:
        lvl = zf + min(depth * rng.uniform(0.2, 0.6), 0.05)
    else:
        lvl = zf + (0.004 if V['shape'] == 'cone' else rng.uniform(0.012, 0.03))
    rc = r_at(V, lvl) - 0.0005
    fc = FoodCanvas(N, rc)
    ps = fc.ps
    disc = np.zeros((N, N), np.uint8)
    cv2.circle(disc, (int(round((N / 2 - 0.5) * 16)), int(round((N / 2 - 0.5) * 16))), int((N / 2 - 0.3) * 16), 1, -1,
               cv2.LINE_8, 4)
    kind = 'pieces'
    dom = None
    tint = np.ones(3, F32)

    def fill_all(col, h, g, op=1.0):
        fc.alb[:] = col
        fc.hgt[:] = h
        fc.msk[:] = 1
        fc.gls[:] = g
        fc.opa[:] = op

    def rand_xy(spread=1.0, cx=0.0, cy=0.0):
        for _ in range(10):
            if spread >= 1.0:
                rr = rc * math.sqrt(rng.uniform(0, 1)) * 0.98
                a = rng.uniform(0, 6.28)
                x, y = rr * math.cos(a), rr * math.sin(a)
            else:
                x, y = rng.normal(cx, rc * spread), rng.normal(cy, rc * spread)
            if x * x + y * y < (rc * 0.97) ** 2:
                return x, y
        return 0.0, 0.0

    def oil_pools(n, col=None):
        c = lin([235, 200, 90]) if col is None else col
        for _ in range(n):
            x, y = rand_xy()
            fc.poly(blob(rng, x, y, rng.uniform(0.008, 0.035), 0.35, 1.0, 14), c, 0.0008, 1.0, rng.uniform(0.4, 0.65))

    def bubbles(n, col, big=0.004):
        for _ in range(n):
            x, y = rand_xy()
            rb = rng.uniform(0.001, big)
            x1, y1 = fc.c(x, y)
            ctr = (int(x1 * 16), int(y1 * 16))
            rr = max(16, int(rb / ps * 16))
            cv2.circle(fc.hgt, ctr, rr, float(fc.hgt[min(int(y1), N - 1), min(int(x1), N - 1)] + rb * 0.6), -1, cv2.LINE_8, 4)
            cv2.circle(fc.gls, ctr, rr, 1.0, -1, cv2.LINE_8, 4)
            cv2.circle(fc.alb, ctr, rr, tuple(float(v) for v in col * 1.1), -1, cv2.LINE_8, 4)

    if recipe in ('sauce', 'shakshuka', 'porridge'):
        kind = 'liquid'
        if recipe == 'shakshuka':
            base = jcol(rng, SAUCES['tomato2'])
        elif recipe == 'porridge':
            base = jcol(rng, [(225, 210, 175), (240, 200, 90), (235, 225, 200), (200, 170, 130), (230, 215, 160)][rng.integers(5)])
        else:
            base = jcol(rng, list(SAUCES.values())[rng.integers(len(SAUCES))])
        dom = base
        g = rng.uniform(0.45, 0.9) if recipe != 'porridge' else rng.uniform(0.2, 0.5)
        fill_all(base, 0.0, g)
        mot = fbm(rng, N, N, rng.uniform(8, 30), 3)
        fc.alb *= (1 + rng.uniform(0.08, 0.25) * mot)[..., None]
        fc.hgt += (rng.uniform(0.0002, 0.0008) if recipe != 'porridge' else 0.003) * fbm(rng, N, N, rng.uniform(12, 40), 3)
        if recipe != 'porridge':
            if rng.random() < 0.6:  # oil separation / lighter streaks
                m2 = np.clip(fbm(rng, N, N, rng.uniform(10, 30)) * 2 - rng.uniform(0.3, 1.0), 0, 1)
                oc = base * np.array([1.3, 1.1, 0.7], F32)
                fc.alb = fc.alb * (1 - m2[..., None] * 0.35) + oc[None, None] * m2[..., None] * 0.35
                fc.gls = np.maximum(fc.gls, m2)
            bubbles(int(rng.integers(0, 60)), base, 0.005)
            nch = int(rng.integers(0, 60)) if recipe == 'sauce' else 0
            ptypes = list(rng.choice(list(PIECES.keys())[:30], int(rng.integers(1, 4))))
            for _ in range(nch):
                kd = ptypes[rng.integers(len(ptypes))]
                x, y = rand_xy()
                piece(rng, fc, kd, x, y, rng.uniform(0.008, 0.02), jcol(rng, PIECES[kd]), 0.0, g * 0.8,
                      sub=rng.uniform(0.1, 0.6), subcol=base)
        if recipe == 'shakshuka':
            for _ in range(int(rng.integers(2, 6))):
                x, y = rand_xy(0.55)
                fc.poly(blob(rng, x, y, rng.uniform(0.022, 0.035), 0.12, rng.uniform(1.0, 1.25), 20), jcol(rng, PIECES['egg_white']), 0.004, 0.6)
                fc.poly(blob(rng, x + rng.normal(0, 0.004), y + rng.normal(0, 0.004), rng.uniform(0.011, 0.015), 0.05, 1.0, 14),
                        jcol(rng, PIECES['egg_yolk']), 0.009, 0.9)
            for _ in range(int(rng.integers(5, 30))):
                x, y = rand_xy()
                piece(rng, fc, 'herb', x, y, 0.01, jcol(rng, PIECES['herb']), 0.002, 0.5)
    elif recipe == 'soup':
        kind = 'liquid'
        base = jcol(rng, list(BROTHS.values())[rng.integers(len(BROTHS))])
        dom = base
        op = rng.uniform(0.55, 0.9) if rng.random() < 0.7 else 1.0
        fill_all(base, 0.0, rng.uniform(0.8, 1.0), op)
        fc.hgt += 0.001 * fbm(rng, N, N, rng.uniform(10, 30), 2)
        tint = np.clip(base / max(base.max(), 1e-3), 0.05, 1).astype(F32)
        items = list(rng.choice(['noodle', 'spinach', 'carrot', 'tofu', 'herb', 'spring_onion', 'mushroom', 'chicken',
                                 'beef', 'dumpling', 'corn', 'egg_white', 'cabbage', 'potato'], int(rng.integers(1, 4))))
        for _ in range(int(rng.integers(5, 80))):
            kd = items[rng.integers(len(items))]
            x, y = rand_xy()
            if kd == 'dumpling':
                fc.poly(blob(rng, x, y, rng.uniform(0.012, 0.02), 0.15, 1.3), jcol(rng, PIECES[kd]), 0.008, 0.7)
            else:
                piece(rng, fc, kd, x, y, rng.uniform(0.006, 0.018), jcol(rng, PIECES[kd]), 0.001, 0.7, sub=rng.uniform(0, 0.3),
                      subcol=base)
        oc = base * np.array([1.3, 1.1, 0.7], F32) + 0.05
        for _ in range(int(rng.integers(10, 150))):  # oil droplets
            x, y = rand_xy()
            rb = rng.uniform(0.001, 0.006)
            x1, y1 = fc.c(x, y)
            ctr = (int(x1 * 16), int(y1 * 16))
            rr = max(16, int(rb / ps * 16))
            if fc.opa[min(int(y1), N - 1), min(int(x1), N - 1)] < 1:
                cv2.circle(fc.alb, ctr, rr, tuple(float(v) for v in oc), -1, cv2.LINE_8, 4)
                cv2.circle(fc.hgt, ctr, rr, 0.0006, -1, cv2.LINE_8, 4)
                cv2.circle(fc.opa, ctr, rr, float(min(1.0, op + 0.2)), -1, cv2.LINE_8, 4)
    elif recipe in ('stirfry', 'potatoes', 'greens', 'mince'):
        if recipe == 'stirfry':
            types = STIRFRY_SETS[rng.integers(len(STIRFRY_SETS))]
        elif recipe == 'potatoes':
            types = ['potato_brown', 'potato', 'herb', 'onion'][:int(rng.integers(1, 5))]
        elif recipe == 'greens':
            types = ['spinach', 'kale', 'garlic', 'cabbage'][:int(rng.integers(1, 4))]
        else:
            types = ['mince']
        spread = 1.0 if rng.random() < 0.5 else rng.uniform(0.3, 0.6)
        cx, cy = (rng.normal(0, rc * 0.2), rng.normal(0, rc * 0.2)) if spread < 1 else (0, 0)
        gl = rng.uniform(0.3, 0.8)
        if rng.random() < 0.5 and recipe != 'greens':  # glaze / sauce pool under the pieces
            gc = jcol(rng, [SAUCES['teriyaki'], SAUCES['sweetsour'], SAUCES['gravy'], (160, 110, 50), SAUCES['chili']][rng.integers(5)])
            if spread >= 1 or rng.random() < 0.5:
                fill_all(gc, 0.0, 0.9)
                kind = 'liquid'
            else:
                fc.poly(blob(rng, cx, cy, rc * spread * 1.6, 0.3, 1.0, 16), gc, 0.0, 0.9)
        elif rng.random() < 0.5:
            oil_pools(int(rng.integers(1, 8)))
        dom = jcol(rng, PIECES[types[0]])
        if recipe == 'mince':
            mc = jcol(rng, PIECES['mince'])
            region = np.zeros((N, N), np.uint8)
            if spread >= 1 or rng.random() < 0.4:
                region[:] = 1
            else:
                x1, y1 = fc.c(cx, cy)
                cv2.ellipse(region, (int(x1), int(y1)), (int(rc * spread * 1.8 / ps), int(rc * spread * 1.5 / ps)),
                            rng.uniform(0, 180), 0, 360, 1, -1)
            ta, th = grain_tile(rng, ps, mc, 'crumb')
            T = ta.shape[0]
            ry, rx = (N + T - 1) // T, (N + T - 1) // T
            A = np.tile(ta, (ry, rx, 1))[:N, :N]
            Hh = np.tile(th, (ry, rx))[:N, :N]
            m = region > 0
            fc.alb[m] = A[m] * (1 + 0.15 * fbm(rng, N, N, 20))[m][:, None]
            fc.hgt[m] = 0.006 + 0.004 * Hh[m]
            fc.msk[m] = 1
            fc.gls[m] = 0.45
            fc.opa[m] = 1
            dom = mc
            types = ['onion', 'red_pepper', 'herb'][:int(rng.integers(0, 3))]
            npcs = int(rng.integers(0, 40)) if types else 0
        else:
            npcs = int(rng.integers(25, 170))
        base_sz = rng.uniform(0.01, 0.022)
        for _ in range(npcs):
            kd = types[rng.integers(len(types))]
            x, y = rand_xy(spread, cx, cy)
            piece(rng, fc, kd, x, y, base_sz * rng.uniform(0.6, 1.4), jcol(rng, PIECES[kd]), 0.003 + rng.uniform(0, 0.006), gl)
    elif recipe in ('rice', 'pasta'):
        kind = 'bed' if lvl > zf + 0.006 else 'pieces'
        if recipe == 'rice':
            rk = ['rice', 'fried_rice', 'yellow_rice', 'brown_rice'][rng.integers(4)]
            col = jcol(rng, PIECES[rk], 0.04, 0.05)
            ta, th = grain_tile(rng, ps, col, 'rice')
            T = ta.shape[0]
            ry = (N + T - 1) // T
            A = np.tile(ta, (ry, ry, 1))[:N, :N]
            Hh = np.tile(th, (ry, ry))[:N, :N]
            region = np.ones((N, N), np.uint8)
            if kind == 'pieces' or rng.random() < 0.3:
                region[:] = 0
                x1, y1 = fc.c(*rand_xy(0.25))
                cv2.ellipse(region, (int(x1), int(y1)), (int(rc * rng.uniform(0.5, 0.9) / ps), int(rc * rng.uniform(0.5, 0.9) / ps)),
                            rng.uniform(0, 180), 0, 360, 1, -1)
            m = region > 0
            mound = cv2.GaussianBlur(region.astype(F32), (0, 0), N / 8) * rng.uniform(0.005, 0.02)
            fc.alb[m] = A[m] * (1 + 0.1 * fbm(rng, N, N, 25))[m][:, None]
            fc.hgt[m] = (mound + 0.0015 * Hh)[m]
            fc.msk[m] = 1
            fc.gls[m] = 0.25
            dom = col
            if rk == 'fried_rice' or rng.random() < 0.3:
                for _ in range(int(rng.integers(10, 80))):
                    kd = ['peas', 'carrot', 'scrambled', 'spring_onion', 'corn'][rng.integers(5)]
                    x, y = rand_xy()
                    x1, y1 = fc.c(x, y)
                    if 0 <= int(y1) < N and 0 <= int(x1) < N and region[int(y1), int(x1)]:
                        piece(rng, fc, kd if kd != 'carrot' else 'peas', x, y, rng.uniform(0.006, 0.01), jcol(rng, PIECES[kd]),
                              float(mound[int(y1), int(x1)]) + 0.002, 0.4)
        else:
            sauce = pasta_sauce
            pc = jcol(rng, PIECES['pasta'])
            if sauce:
                sc = jcol(rng, SAUCES[['tomato', 'cream', 'green', 'cheese', 'bolognese'][rng.integers(5)]])
                fill_all(sc, 0.0, 0.7)
                fc.alb *= (1 + 0.15 * fbm(rng, N, N, 15))[..., None]
                pc = pc * (1 - rng.uniform(0, 0.5)) + sc * rng.uniform(0, 0.5)
                kind = 'liquid' if kind == 'pieces' else kind
            dom = pc
            if rng.random() < 0.55:  # long strands
                for _ in range(int(rng.integers(60, 200))):
                    x, y = rand_xy(1.0 if rng.random() < 0.6 else 0.5)
                    piece(rng, fc, 'noodle', x, y, rng.uniform(0.008, 0.015), pc, 0.004 + rng.uniform(0, 0.008), 0.5)
            else:
                for _ in range(int(rng.integers(40, 160))):
                    x, y = rand_xy()
                    piece(rng, fc, 'pasta', x, y, rng.uniform(0.014, 0.022), pc, 0.004 + rng.uniform(0, 0.008), 0.5)
    elif recipe == 'eggs':
        ek = rng.choice(['fried', 'scrambled', 'omelette'])
        if rng.random() < 0.6:
            oil_pools(int(rng.integers(1, 6)))
        if ek == 'fried':
            for _ in range(int(rng.integers(1, 5))):
                x, y = rand_xy(0.6)
                rw = rng.uniform(0.035, 0.055)
                wb = blob(rng, x, y, rw, 0.15, rng.uniform(1, 1.3), 22)
                fc.poly(wb, jcol(rng, (200, 150, 80)), 0.002, 0.5)  # crispy edge
                fc.poly((wb - [x, y]) * 0.9 + [x, y], jcol(rng, PIECES['egg_white']), 0.003, 0.6)
                fc.poly(blob(rng, x + rng.normal(0, 0.006), y + rng.normal(0, 0.006), rng.uniform(0.011, 0.015), 0.04, 1.0, 16),
                        jcol(rng, PIECES['egg_yolk']), 0.009, 0.95)
            dom = jcol(rng, PIECES['egg_white'])
        elif ek == 'scrambled':
            cx, cy = rand_xy(0.3)
            col = jcol(rng, PIECES['scrambled'])
            for _ in range(int(rng.integers(20, 70))):
                x, y = rand_xy(0.45, cx, cy)
                fc.poly(blob(rng, x, y, rng.uniform(0.008, 0.02), 0.4), col * math.exp(rng.normal(0, 0.1)), 0.006 +
                        rng.uniform(0, 0.008), 0.5)
            dom = col
        else:
            col = jcol(rng, (245, 205, 90))
            r0 = rc * rng.uniform(0.75, 0.97)
            pts = blob(rng, 0, 0, r0, 0.04, 1.0, 24)
            if rng.random() < 0.3:
                pts = pts[pts[:, 1] > -r0 * 0.1]
            fc.poly(pts, col, 0.004, 0.4)
            m = fc.msk > 0
            spots = np.clip(fbm(rng, N, N, 6) * 2 - 0.6, 0, 1)
            fc.alb[m] = fc.alb[m] * (1 - 0.5 * spots[m][:, None]) + lin([170, 110, 50])[None] * 0.5 * spots[m][:, None]
            dom = col
    elif recipe == 'flat':
        fk = rng.choice(['pancake', 'steak', 'chicken', 'fish', 'sausage', 'bacon', 'tortilla', 'patty'])
        if rng.random() < 0.6:
            oil_pools(int(rng.integers(1, 6)))
        n = int(rng.integers(1, 5))
        for _ in range(n):
            x, y = rand_xy(0.5)
            if fk in ('sausage',):
                L = rng.uniform(0.08, 0.12)
                a = rng.uniform(0, 3.14)
                pts = np.array([[x - L / 2 * math.cos(a), y - L / 2 * math.sin(a)], [x + L / 2 * math.cos(a), y + L / 2 * math.sin(a)]])
                c = jcol(rng, PIECES['sausage'])
                fc.pline(pts, rng.uniform(0.018, 0.026), c, 0.012, 0.8)
            elif fk == 'bacon':
                L = rng.uniform(0.1, 0.16)
                a = rng.uniform(0, 3.14)
                t = np.linspace(-0.5, 0.5, 9)
                pts = np.stack([x + t * L * math.cos(a) - 0.004 * np.sin(t * 20) * math.sin(a),
                                y + t * L * math.sin(a) + 0.004 * np.sin(t * 20) * math.cos(a)], -1)
                fc.pline(pts, 0.025, jcol(rng, PIECES['bacon']), 0.003, 0.7)
                fc.pline(pts + [0.004 * math.sin(a), -0.004 * math.cos(a)], 0.006, jcol(rng, (235, 205, 185)), 0.0035, 0.7)
            else:
                sz = {'pancake': 0.05, 'steak': 0.055, 'chicken': 0.045, 'fish': 0.04, 'tortilla': 0.09, 'patty': 0.045}[fk]
                c = jcol(rng, {'pancake': PIECES['pancake'], 'steak': PIECES['steak'], 'chicken': PIECES['chicken_brown'],
                               'fish': PIECES['fish'], 'tortilla': (235, 215, 170), 'patty': (90, 55, 40)}[fk])
                el = {'pancake': 1.0, 'tortilla': 1.0, 'patty': 1.0}.get(fk, rng.uniform(1.2, 1.6))
                r0 = min(sz * rng.uniform(0.8, 1.2), rc * 0.9)
                fc.poly(blob(rng, x, y, r0, 0.08 if fk in ('pancake', 'tortilla', 'patty') else 0.2, el, 18), c, 0.008, 0.6)
            dom = jcol(rng, PIECES.get(fk, PIECES['pancake']))
        m = fc.msk > 0
        spots = np.clip(fbm(rng, N, N, 5) * 2 - 0.5, 0, 1)
        fc.alb[m] = fc.alb[m] * (1 - 0.4 * spots[m][:, None])
    else:  # empty pan (maybe a film of oil)
        kind = None
        if rng.random() < 0.6:
            oil_pools(int(rng.integers(1, 4)))
    fc.msk &= disc
    if not fc.msk.any():
        V['food'] = None
        V['finfo'] = dict(level=zf, kind=None)
        return None
    hg = cv2.GaussianBlur(fc.hgt, (0, 0), max(0.8, 0.0018 / ps))
    hg = np.where(fc.msk > 0, hg, 0).astype(F32)
    gx = cv2.Sobel(hg, cv2.CV_32F, 1, 0, ksize=3) / (8 * ps)
    gy = cv2.Sobel(hg, cv2.CV_32F, 0, 1, ksize=3) / (8 * ps)
    gx = np.clip(gx, -1.5, 1.5)
    gy = np.clip(gy, -1.5, 1.5)
    fc.alb *= (1 + 0.05 * fbm(rng, N, N, 4, 2))[..., None]
    m1 = np.dstack([np.clip(fc.alb, 0, 1), fc.gls]).astype(F32)
    m2 = np.dstack([hg, gx, gy, fc.opa]).astype(F32)
    V['food'] = dict(hf=lvl, rc=rc, ps=ps, m1=m1, m2=m2, msk=fc.msk, tint=tint)
    V['finfo'] = dict(level=lvl, kind=kind, recipe=recipe)
    return dom


# ----------------------------------------------------------------------------------------------
# shadows of thin objects, motion
# ----------------------------------------------------------------------------------------------
def comp_shadows(ctx, comps, V):
    E = ctx.E
    cam = ctx.cam
    L = E['lights'][0]
    fd = V['food']
    zin = fd['hf'] if fd is not None else V['zf']
    rin = r_at(V, zin)
    cen = np.array([V['cx'], V['cy']])
    smp = np.zeros((ctx.H, ctx.W), F32)
    smc = np.zeros((ctx.H, ctx.W), F32)
    hs = []
    for c in comps:
        P = np.asarray(c['P'], np.float64)
        hw = np.asarray(c['hw'], np.float64)
        for zr, can, want_in in ((zin, smp, True), (ctx.zc, smc, False)):
            if L['type'] == 'point':
                Lp = L['pos']
                den = Lp[2] - P[:, 2]
                ok = den > 0.02
                k = (Lp[2] - zr) / np.where(ok, den, 1)
                Q = Lp[None] + (P - Lp[None]) * k[:, None]
                mag = k
            else:
                l = L['dir']
                Q = P - l[None] * ((P[:, 2] - zr) / max(l[2], 0.05))[:, None]
                ok = P[:, 2] > zr - 0.01
                mag = np.ones(len(P))
            Q[:, 2] = zr
            rin_q = np.hypot(Q[:, 0] - cen[0], Q[:, 1] - cen[1]) < rin
            ok = ok & (rin_q == want_in) & (P[:, 2] > zr)
            if ok.sum() == 0:
                continue
            uv, z = cam.proj(Q)
            ok = ok & (z > NEAR)
            for i in range(len(P) - 1):
                if ok[i] or ok[i + 1]:
                    if z[i] <= NEAR or z[i + 1] <= NEAR:
                        continue
                    w = hw[i] * mag[i] * cam.f / z[i]
                    a = tuple(int(round(v)) for v in np.clip(uv[i], -1e4, 1e4))
                    b = tuple(int(round(v)) for v in np.clip(uv[i + 1], -1e4, 1e4))
                    cv2.line(can, a, b, 1.0, max(1, int(round(2 * w))), cv2.LINE_8)
                    hs.append((P[i, 2] - zr) * cam.f / z[i])
    if not hs:
        return
    sig = 0.6 + E['soft'] * float(np.median(hs))
    sig = min(sig, 25)
    st = E['shadow_strength']
    for can, layer in ((smp, 1), (smc, 0)):
        ys = np.nonzero(can.any(1))[0]
        if len(ys) == 0:
            continue
        xs = np.nonzero(can.any(0))[0]
        mg = int(3 * sig) + 3
        y0, y1 = max(0, ys[0] - mg), min(ctx.H, ys[-1] + mg + 1)
        x0, x1 = max(0, xs[0] - mg), min(ctx.W, xs[-1] + mg + 1)
        b = cv2.GaussianBlur(can[y0:y1, x0:x1], (0, 0), sig)
        m = (ctx.layer[y0:y1, x0:x1] == layer)
        ctx.img[y0:y1, x0:x1] *= (1 - st * np.clip(b, 0, 1) * m)[..., None]


def smear_group(ctx, base_img, base_lab, Sh, ker):
    """linear motion blur of the moving layer (tool + hand + their shadow) over the static scene;
    labels = class with the largest share of the exposure."""
    H, W = ctx.H, ctx.W
    ks = ker.shape[0]
    M = (np.abs(ctx.img - base_img).max(2) > 1e-7) | (ctx.lab != base_lab)
    act = M | (Sh < 0.9999)
    rows = np.nonzero(act.any(1))[0]
    if len(rows) == 0:
        return
    cols = np.nonzero(act.any(0))[0]
    y0, y1 = max(0, rows[0] - ks), min(H, rows[-1] + ks + 1)
    x0, x1 = max(0, cols[0] - ks), min(W, cols[-1] + ks + 1)
    img, bimg, lab, blab = ctx.img[y0:y1, x0:x1], base_img[y0:y1, x0:x1], ctx.lab[y0:y1, x0:x1], base_lab[y0:y1, x0:x1]
    Mr = M[y0:y1, x0:x1]
    bt = cv2.BORDER_REPLICATE
    A = Mr.astype(F32)
    Ab = cv2.filter2D(A, -1, ker, borderType=bt)
    Cb = cv2.filter2D(img * A[..., None], -1, ker, borderType=bt)
    Shb = cv2.filter2D(np.ascontiguousarray(Sh[y0:y1, x0:x1]), -1, ker, borderType=bt)
    out = bimg * (Shb * (1 - Ab))[..., None] + Cb
    score = np.zeros(lab.shape + (3,), F32)
    for cl in range(3):
        score[..., cl] = cv2.filter2D(((lab == cl) & Mr).astype(F32), -1, ker, borderType=bt) + (1 - Ab) * (blab == cl)
        score[..., cl] += 1e-3 * (lab == cl)  # ties: the mid-exposure class
    ctx.img[y0:y1, x0:x1] = out
    ctx.lab[y0:y1, x0:x1] = np.argmax(score, -1).astype(np.uint8)


def draw_group(ctx, comps, wires, V, shadows=True):
    if shadows:
        comp_shadows(ctx, comps, V)
    order = sorted(range(len(comps)), key=lambda i: -float(np.mean((np.asarray(comps[i]['P']) - ctx.cam.C) @ ctx.cam.R[2])))
    for i in order:
        draw_strip(ctx, comps[i])
    for (ws, rw, m, lab) in wires:
        draw_wires(ctx, ws, rw, m, lab)


# ----------------------------------------------------------------------------------------------
# scene sampling
# ----------------------------------------------------------------------------------------------
def sample_camera(rng, W, H, V):
    for _ in range(30):
        hfov = math.radians(rng.uniform(50, 78))
        f = W / 2 / math.tan(hfov / 2)
        cx = W / 2 + rng.normal(0, W * 0.01)
        cy = H / 2 + rng.normal(0, H * 0.01)
        top = rng.random() < 0.38
        pitch = math.radians(rng.uniform(0, 12) if top else rng.uniform(12, 55))
        az = rng.uniform(0, 2 * math.pi)
        frac = rng.uniform(0.5, 1.35)
        Ro = V['Rout']
        dist = f * 2 * Ro / (frac * min(W, H) * 1.1)
        off = rng.normal(0, 0.15 * Ro, 2)
        if rng.random() < 0.2:
            a = rng.uniform(0, 2 * math.pi)
            off = np.array([math.cos(a), math.sin(a)]) * rng.uniform(0.35, 0.75) * Ro
        target = np.array([off[0], off[1], V['Hr'] * rng.uniform(0.1, 0.7)])
        C = target + dist * np.array([math.sin(pitch) * math.cos(az), math.sin(pitch) * math.sin(az), math.cos(pitch)])
        if C[2] < V['Hr'] + 0.14:
            continue
        roll = rng.uniform(-math.pi, math.pi) if top else rng.normal(0, 0.08)
        Rm = look_at(C, target, [-math.cos(az), -math.sin(az), 0.0], roll)
        corners = np.array([[0, 0], [W, 0], [0, H], [W, H]], np.float64)
        dc = np.stack([(corners[:, 0] - cx) / f, (corners[:, 1] - cy) / f, np.ones(4)], -1) @ Rm
        dc = nrm_rows(dc)
        if (dc[:, 2] < -0.12).all():
            return Cam(C, Rm, f, cx, cy), dict(pitch=pitch, az=az, top=top)
    # fallback: straight down
    C = np.array([0, 0, V['Hr'] + 0.5])
    Rm = look_at(C, np.array([0, 0, 0.0]), [0, 1.0, 0], 0)
    f = W / 2 / math.tan(math.radians(30))
    return Cam(C, Rm, f, W / 2, H / 2), dict(pitch=0, az=0, top=True)


def sample_layout(rng, cam, V):
    L = {}
    cam_az = math.atan2(cam.C[1], cam.C[0])
    ang = cam_az + math.pi + rng.normal(0, 0.4)
    ev = np.array([math.cos(ang), math.sin(ang), 0.0])
    eu = np.array([ev[1], -ev[0], 0.0])
    L['eu3'], L['ev3'] = eu, ev
    L['wall'] = rng.random() < 0.6
    L['dw'] = V['Rout'] + rng.uniform(0.06, 0.45)
    hob = rng.choice(['glass', 'gas', 'induction', 'coil', 'none'], p=[0.32, 0.3, 0.1, 0.1, 0.18])
    L['hob'] = hob
    L['zc'] = -rng.uniform(0.02, 0.032) if hob == 'gas' else (-0.004 if hob != 'none' else 0.0)
    du, dv = rng.uniform(0.22, 0.3), rng.uniform(0.2, 0.26)
    du = max(du, V['Rout'] + 0.08)
    dv = max(dv, V['Rout'] + 0.05)
    L['du'], L['dv'] = du, dv
    i = int(rng.integers(0, 2))
    j = int(rng.integers(0, 2))
    if L['wall'] and L['dw'] < dv + 0.15:
        j = 1
    burners = [(0.0, 0.0, V['Rout'] * rng.uniform(0.7, 0.9))]
    ncol = 2 if rng.random() < 0.85 else 1
    for a in range(ncol):
        for b in range(2):
            if (a, b) != (i, j) and not (ncol == 1 and a != i):
                burners.append((du * (a - i), dv * (b - j), rng.uniform(0.06, 0.1)))
    L['burners'] = burners
    L['ao_k'] = 0.45 if L['zc'] > -0.01 else 0.15
    L['nmax'] = 288
    L['Rmain'] = V['Rout']
    return L


def bottle_comps(rng, pos, zc):
    h = rng.uniform(0.1, 0.28)
    r = rng.uniform(0.022, 0.045)
    kind = rng.choice(['bottle', 'jar', 'mill'])
    if kind == 'bottle':
        s = np.array([0, 0.01, h * 0.6, h * 0.72, h * 0.8, h * 0.95, h])
        hw = np.array([r * 0.95, r, r, r * 0.7, 0.012, 0.012, 0.013])
        m = mat(jcol(rng, [(40, 90, 40), (110, 60, 20), (200, 200, 190), (160, 120, 30), (230, 230, 225)][rng.integers(5)]),
                0.05, rng.uniform(0.04, 0.2), 0, 'plain')
    elif kind == 'jar':
        h *= 0.55
        s = np.array([0, 0.005, h * 0.85, h * 0.87, h])
        hw = np.array([r, r * 1.02, r * 1.02, r * 0.95, r * 0.95])
        m = mat(jcol(rng, BRIGHT[rng.integers(len(BRIGHT))]), 0.05, 0.2, 0, 'plain')
    else:
        s = np.array([0, h * 0.3, h * 0.5, h * 0.8, h])
        hw = np.array([r * 0.9, r * 0.7, r * 0.6, r * 0.75, r * 0.5])
        m = mat_wood(rng)
    P = np.array([pos[0], pos[1], zc])[None] + np.array([0, 0, 1.0])[None] * s[:, None]
    comps = [dict(P=P, hw=hw, s=s, kind='round', mat=m, label=PAN)]
    if kind == 'bottle' and rng.random() < 0.7:
        i0 = 1
        comps.append(dict(P=P[i0:3], hw=hw[i0:3] * 1.015, s=s[i0:3], kind='round', mat=mat_fabric(rng), label=PAN))
        comps.append(dict(P=np.array([P[-1] - [0, 0, 0.02], P[-1] + [0, 0, 0.003]]), hw=np.array([0.0135, 0.0135]),
                          s=np.array([0, 0.02]), kind='round', mat=mat_colour(rng, BRIGHT[rng.integers(len(BRIGHT))], 'plastic'),
                          label=PAN))
    return comps


def render_frame(rng, W, H):
    ctx = type('Ctx', (), {})()
    ctx.W, ctx.H = W, H
    V = sample_vessel(rng)
    cam, cinfo = sample_camera(rng, W, H, V)
    ctx.cam = cam
    E = sample_lights(rng, V, cam)
    ctx.E = E
    layout = sample_layout(rng, cam, V)
    ctx.zc = layout['zc']
    # food texture resolution from the pan's size on screen
    dist = float(np.linalg.norm(cam.C - np.array([0, 0, V['zf']])))
    pan_px = 2 * V['R'] * cam.f / dist
    N = int(np.clip(pan_px * 0.95, 128, 320))
    dom = make_food(rng, V, N)
    layout['food_alb'] = dom
    xs = (np.arange(W, dtype=np.float64) - cam.cx) / cam.f
    ys = (np.arange(H, dtype=np.float64) - cam.cy) / cam.f
    ctx.D = (xs[None, :, None] * cam.R[0][None, None] + ys[:, None, None] * cam.R[1][None, None] +
             cam.R[2][None, None]).astype(F32)
    ctx.img = np.zeros((H, W, 3), F32)
    ctx.lab = np.zeros((H, W), np.uint8)
    ctx.zbuf = np.full((H, W), np.inf, F32)
    ctx.layer = np.zeros((H, W), np.uint8)
    ctx.fop = np.ones((H, W), F32)
    ctx.under = np.zeros((H, W, 3), F32)
    ctx.zunder = np.full((H, W), np.inf, F32)
    ctx.ftint = V['food']['tint'] if V['food'] is not None else np.ones(3, F32)
    ctx.reflimg = None
    vessels = [V]
    # second cookware on another burner
    if rng.random() < 0.3 and len(layout['burners']) > 1:
        bu, bv, _ = layout['burners'][1 + rng.integers(len(layout['burners']) - 1)]
        V2 = sample_vessel(rng, rng.choice(['pot', 'saucepan', 'fry', 'pot']), main=False)
        pos = layout['eu3'] * bu + layout['ev3'] * bv
        if math.hypot(pos[0], pos[1]) > V['Rout'] + V2['Rout'] + 0.02 and \
                (not layout['wall'] or bv + V2['Rout'] < layout['dw'] - 0.01):
            V2['cx'], V2['cy'] = float(pos[0]), float(pos[1])
            if rng.random() < 0.65:
                lm = mat_steel(rng) if rng.random() < 0.5 else dict(V2['m_out'])
                V2['lid'] = dict(hl=rng.uniform(0.01, 0.04), mat=lm, kn=rng.uniform(0.8, 1.3),
                                 kmat=mat_colour(rng, (25, 25, 25), 'plastic') if rng.random() < 0.7 else lm)
            vessels.append(V2)
    bg_prepare(ctx, rng, layout)
    static = []
    for Vx in vessels:
        render_vessel(ctx, Vx, static)
        static += handle_comps(rng, Vx)
    # gas grate under the main pan (3-D bars)
    gs = layout.get('grate_specs', [])
    if gs:
        def w3(p):
            q = layout['eu3'] * p[0] + layout['ev3'] * p[1]
            q[2] = layout['zc'] * 0.5
            return q
        ring = np.array([w3(p0) for (p0, p1) in gs[:4]] + [w3(gs[0][0])])
        polys = [ring] + [np.array([w3(p0), w3(p1)]) for (p0, p1) in gs[4:]]
        for P in polys:
            sl = np.concatenate([[0], np.cumsum(np.linalg.norm(np.diff(P, axis=0), axis=1))])
            static.append(dict(P=P, hw=np.full(len(P), 0.0055), s=sl, kind='round', mat=layout['grate_mat'], label=PAN))
    # clutter on the counter
    static_wires = []
    info = dict(food_alb=dom, food_srgb=to_srgb(dom) if dom is not None else None,
                pan_srgb=to_srgb(V['m_in']['alb']) if V['m_in']['metal'] == 0 else None)
    for _ in range(int(rng.integers(0, 3))):
        for _try in range(8):
            px, py = rng.uniform(0, W), rng.uniform(0, H)
            d = ctx.D[int(py), int(px)].astype(np.float64)
            if d[2] > -0.05:
                continue
            t = (layout['zc'] - cam.C[2]) / d[2]
            p = cam.C + t * d
            v_ = p @ layout['ev3']
            if layout['wall'] and v_ > layout['dw'] - 0.05:
                continue
            if any(math.hypot(p[0] - Vx['cx'], p[1] - Vx['cy']) < Vx['Rout'] + 0.06 for Vx in vessels):
                continue
            if rng.random() < 0.55:
                static += bottle_comps(rng, p, layout['zc'])
            else:
                kd = rng.choice(['wood_spoon', 'wood_spatula', 'silicone_spatula', 'turner', 'metal_spoon', 'ladle', 'tongs',
                                 'whisk', 'paddle'])
                az = rng.uniform(0, 2 * math.pi)
                a = np.array([math.cos(az), math.sin(az), 0.03])
                a = nrm(a)
                inf2 = dict(info)
                inf2['counter'] = True
                tl = place_tool(rng, V, cam, inf2, kd, fixed=(np.array([p[0], p[1], layout['zc'] + 0.006]), a))
                static += tl['comps']
                static_wires += tl['wires']
            break
    # food splashes on the rim
    fi = V.get('finfo') or {}
    if dom is not None and fi.get('kind') == 'liquid' and rng.random() < 0.3:
        fm = mat(dom, 0.04, 0.2, 0, 'plain', ns=0.05)
        for _ in range(int(rng.integers(1, 6))):
            a = rng.uniform(0, 2 * math.pi)
            rr = V['R'] + V['tw'] * 0.5
            p0 = np.array([rr * math.cos(a), rr * math.sin(a), V['Hr'] + 0.0005])
            rad = np.array([math.cos(a), math.sin(a), 0.0])
            if rng.random() < 0.5:
                P = np.array([p0, p0 + rad * 0.004 - [0, 0, 0.006], p0 + rad * 0.006 - [0, 0, 0.02 * rng.uniform(0.3, 1)]])
                hw = np.array([0.003, 0.0025, 0.002]) * rng.uniform(0.7, 1.4)
            else:
                tg = np.array([-math.sin(a), math.cos(a), 0.0])
                P = np.array([p0 - tg * 0.004, p0 + tg * 0.004])
                hw = np.array([0.0025, 0.003]) * rng.uniform(0.7, 1.5)
            static.append(dict(P=P, hw=hw, s=np.array([0, 0.01, 0.02])[:len(P)], kind='round', mat=fm, label=FOOD))
    for c in static:
        draw_strip(ctx, c)
    for (ws, rw, m, lb) in static_wires:
        draw_wires(ctx, ws, rw, m, lb)
    render_background(ctx, layout, vessels)
    comp_shadows(ctx, [c for c in static if c['label'] != FOOD], V)
    # ---------------- tools
    r = rng.random()
    ntools = 0 if r < 0.14 else (1 if r < 0.8 else 2)
    look = sample_look(rng)
    held_comps, held_wires = [], []
    rest_comps, rest_wires = [], []
    pivot = None
    held_tip = None
    if ntools == 0 and rng.random() < 0.3:  # an empty hand over / near the pan (background)
        a_ = rng.uniform(0, 2 * math.pi)
        rr_ = V['R'] * rng.uniform(0.3, 1.3)
        G0 = np.array([rr_ * math.cos(a_), rr_ * math.sin(a_), V['Hr'] + rng.uniform(0.03, 0.12)])
        ax = nrm(np.array([math.cos(a_), math.sin(a_), rng.uniform(0.2, 1.0)]))
        dummy = dict(pos=lambda ss, G0=G0: G0[None].repeat(len(np.atleast_1d(ss)), 0), grip_s=0.0, a=ax,
                     grip_hw=rng.uniform(0.003, 0.008))
        held_comps += build_hand(rng, dummy, V, cam, look)
        pivot = G0
    rec = (V.get('finfo') or {}).get('recipe')
    for ti in range(ntools):
        kd = TOOL_KINDS[rng.choice(len(TOOL_KINDS), p=TOOL_P)]
        if rec == 'rice' and rng.random() < 0.3:
            kd = 'paddle'
        held = rng.random() < (0.85 if ti == 0 else 0.5)
        tl = place_tool(rng, V, cam, info, kd, held=held, resting=not held,
                        toward_cam=held and rng.random() < 0.08)
        if held:
            if held_tip is None:
                held_tip = tl['T']
            held_comps += tl['comps']
            held_wires += tl['wires']
            held_comps += build_hand(rng, tl, V, cam, look)
            if pivot is None:
                pivot = tl['pos'](np.array([tl['grip_s']]))[0]
        else:
            rest_comps += tl['comps']
            rest_wires += tl['wires']
    # blurred copy of the frame for mirror-like tools
    small = cv2.resize(ctx.img, (W // 4, H // 4), interpolation=cv2.INTER_AREA)
    ctx.reflimg = cv2.GaussianBlur(small, (0, 0), 1.5)
    ctx.refl_scale = 0.25
    ctx.refl_z = V['food']['hf'] if V['food'] is not None else V['zf']
    if rest_comps or rest_wires:
        draw_group(ctx, rest_comps, rest_wires, V)
    if held_comps:
        mv = None
        if rng.random() < 0.3:  # motion blur along the stroke
            mv = rng.normal(0, 1, 3)
            mv[2] *= 0.2
            mv = nrm(mv) * rng.uniform(0.008, 0.05)
        if mv is not None:
            base_img, base_lab = ctx.img.copy(), ctx.lab.copy()
            comp_shadows(ctx, held_comps, V)
            Sh = (ctx.img.sum(2) + 1e-6) / (base_img.sum(2) + 1e-6)  # multiplicative shadow of the group
            ctx.img = base_img.copy()
            draw_group(ctx, held_comps, held_wires, V, shadows=False)
            tip = held_tip if held_tip is not None else pivot
            Q = 0.5 * (tip + pivot)
            uv, zq = cam.proj(np.array([Q - mv / 2, Q + mv / 2]))
            vec = uv[1] - uv[0]
            Lpx = float(np.hypot(*vec))
            if (zq > NEAR).all() and Lpx >= 1.5:
                Lpx = min(Lpx, 0.12 * W)
                ks = int(math.ceil(Lpx)) | 1
                ker = np.zeros((ks, ks), F32)
                c0 = (ks - 1) / 2
                dvec = vec / max(np.hypot(*vec), 1e-6) * (Lpx - 1) / 2
                for t in np.linspace(-1, 1, 4 * ks):
                    ker[int(round(c0 + t * dvec[1])), int(round(c0 + t * dvec[0]))] += 1
                ker /= ker.sum()
                smear_group(ctx, base_img, base_lab, Sh, ker)
            else:
                M = (np.abs(ctx.img - base_img).max(2) > 1e-7) | (ctx.lab != base_lab)
                ctx.img = np.where(M[..., None], ctx.img, base_img * Sh[..., None])
        else:
            draw_group(ctx, held_comps, held_wires, V)
    # steam (image only, never changes labels)
    if fi.get('kind') in ('liquid', 'bed') and rng.random() < 0.4:
        add_steam(rng, ctx, V)
    if rng.random() < 0.25:  # lens distortion (webcam / wide phone lens): image and labels together
        k1 = rng.uniform(-0.08, 0.2)  # > 0: barrel
        key = ('grid', W, H)
        if key not in _CACHE:
            yy, xx = np.mgrid[0:H, 0:W].astype(F32)
            _CACHE[key] = (xx, yy)
        xx, yy = _CACHE[key]
        nx = (xx - W / 2) / (W / 2)
        ny = (yy - H / 2) / (W / 2)
        f = 1 + k1 * (nx * nx + ny * ny)
        f = f / (1 + k1 * (1 + (H / W) ** 2))  # corners map to corners: no empty border
        mx = (W / 2 + nx * f * (W / 2)).astype(F32)
        my = (H / 2 + ny * f * (W / 2)).astype(F32)
        ctx.img = cv2.remap(ctx.img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        ctx.lab = cv2.remap(ctx.lab, mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
        ctx.zbuf = cv2.remap(ctx.zbuf, mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
    img = camera_pipeline(rng, ctx)
    return img, ctx.lab


def add_steam(rng, ctx, V):
    cam = ctx.cam
    H, W = ctx.H, ctx.W
    uv, z = cam.proj(np.array([V['cx'], V['cy'], V['Hr'] + 0.05]))
    if z <= NEAR:
        return
    rpx = V['R'] * cam.f / z
    n = fbm(rng, H, W, rng.uniform(12, 40), 4)
    yy, xx = np.mgrid[0:H, 0:W].astype(F32)
    d = np.hypot((xx - uv[0]) / (rpx * 1.3), (yy - uv[1]) / (rpx * 1.1))
    a = np.clip(n * 1.5 + 0.3, 0, 1) * np.clip(1.3 - d, 0, 1) * rng.uniform(0.08, 0.3)
    sc = (ctx.E['amb_up'] * 1.5 + ctx.E['kc'] * 0.25)
    ctx.img = ctx.img * (1 - a[..., None]) + sc[None, None] * a[..., None]


def camera_pipeline(rng, ctx):
    x = ctx.img.astype(F32)
    H, W = ctx.H, ctx.W
    E = ctx.E
    x = np.maximum(x, 0)
    lum = x[..., 0] * 0.2126 + x[..., 1] * 0.7152 + x[..., 2] * 0.0722
    g = float(np.exp(np.mean(np.log(lum[::3, ::3] + 1e-4))))
    target = rng.uniform(0.1, 0.22)
    r = rng.random()
    if r < 0.12:
        target *= rng.uniform(0.35, 0.7)
    elif r < 0.22:
        target *= rng.uniform(1.4, 2.4)
    x *= target / max(g, 1e-5)
    # white balance (partial correction of the light colour) + tint
    corr = rng.uniform(0.2, 1.0)
    gains = (1.0 / np.maximum(E['kc'], 0.2)) ** corr
    gains = gains / gains[1] * np.exp(rng.normal(0, 0.04, 3))
    x *= gains[None, None].astype(F32)
    # depth of field around the pan (always when something is close to the lens)
    if rng.random() < 0.5 or float(ctx.zbuf.min()) < 0.15:
        zf = float(np.median(ctx.zbuf[ctx.lab != PAN])) if (ctx.lab != PAN).any() else float(np.median(ctx.zbuf))
        zz = np.minimum(ctx.zbuf, 50)
        coc = np.abs(1 / np.maximum(zz, 0.02) - 1 / zf) * ctx.cam.f * rng.uniform(0.003, 0.012)
        w = np.clip(coc / 2.0, 0, 1)[..., None]
        xb = cv2.GaussianBlur(x, (0, 0), 2.0)
        x = x * (1 - w) + xb * w
    s = rng.uniform(0.0, 0.9)
    if s > 0.3:
        x = cv2.GaussianBlur(x, (0, 0), s)
    if rng.random() < 0.1:  # hand shake
        L = int(rng.integers(3, 7))
        k = np.zeros((L, L), F32)
        a = rng.uniform(0, math.pi)
        cv2.line(k, (int(L / 2 - math.cos(a) * L / 2), int(L / 2 - math.sin(a) * L / 2)),
                 (int(L / 2 + math.cos(a) * L / 2), int(L / 2 + math.sin(a) * L / 2)), 1.0, 1)
        x = cv2.filter2D(x, -1, k / max(k.sum(), 1))
    # vignetting
    key = ('rr', W, H)
    if key not in _CACHE:
        yy, xx = np.mgrid[0:H, 0:W].astype(F32)
        _CACHE[key] = ((xx - W / 2) ** 2 + (yy - H / 2) ** 2) / ((W / 2) ** 2 + (H / 2) ** 2)
    rr = _CACHE[key]
    x *= (1 - rng.uniform(0, 0.45) * rr ** rng.uniform(1, 2))[..., None]
    # sensor noise (signal dependent + read + low-frequency chroma)
    gain = (1.0 / E['lux']) ** 0.7
    shot = rng.uniform(0.0005, 0.004) * gain
    read = rng.uniform(0.0003, 0.002) * gain
    b = np.frombuffer(rng.bytes(4 * H * W * 3), np.uint8).reshape(4, H, W, 3)
    nz = ((b[0] + b[1].astype(np.int16) + b[2] + b[3]).astype(F32) - 510.0) * (1 / 147.8)  # ~N(0,1)
    if rng.random() < 0.5:  # denoised phone look: smoother noise
        nz = cv2.GaussianBlur(nz, (0, 0), 0.7) * 1.6
    x = x + np.sqrt(x * shot + read * read) * nz
    if rng.random() < 0.5:
        ch = cv2.resize(rng.standard_normal((H // 8 + 1, W // 8 + 1, 3)).astype(F32), (W, H)) * read * 2
        x = x + ch
    # tone curve + gamma + contrast as one look-up table (sqrt-spaced in linear light)
    Lw = rng.uniform(1.5, 5.0)
    gk = rng.uniform(1.1, 1.4)
    c = rng.uniform(0, 0.25)
    v = (np.arange(4096, dtype=F32) / 4095) ** 2 * 16
    t = np.clip(v * (1 + v / (Lw * Lw)) / (1 + v) * gk, 0, 1) ** (1 / 2.2)
    lut = (t + c * (t - 0.5) * (1 - np.abs(2 * t - 1))).astype(F32)
    idx = (np.sqrt(np.clip(x, 0, 16) * (1 / 16)) * 4095 + 0.5).astype(np.int32)
    x = lut[idx]
    if rng.random() < 0.5:  # sharpening
        b = cv2.GaussianBlur(x, (0, 0), 1.0)
        x = x + rng.uniform(0.2, 0.9) * (x - b)
    if rng.random() < 0.25:  # low-res webcam
        f = rng.uniform(0.45, 0.8)
        sm = cv2.resize(x, (max(8, int(W * f)), max(8, int(H * f))), interpolation=cv2.INTER_AREA)
        x = cv2.resize(sm, (W, H), interpolation=cv2.INTER_LINEAR)
    out = np.clip(x * 255 + 0.5, 0, 255).astype(np.uint8)
    return out[..., ::-1].copy()  # RGB -> BGR


# ----------------------------------------------------------------------------------------------
# API / CLI
# ----------------------------------------------------------------------------------------------
def generate(out, count, seed, size=(320, 240)):
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    di = out / 'test' / 'images'
    dm = out / 'test' / 'masks'
    di.mkdir(parents=True, exist_ok=True)
    dm.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = np.random.default_rng([seed, i])
        img, lab = render_frame(rng, W, H)
        stem = f"{NAME}_{seed}_{i:05d}"
        q = int(rng.integers(35, 96))
        if rng.random() < 0.15:  # recompressed
            ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 96))])
            img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        cv2.imwrite(str(di / f"{stem}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, q])
        cv2.imwrite(str(dm / f"{stem}.png"), MASK_BGR[lab])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--count', type=int, default=16)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--size', default='320x240')
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split('x'))
    generate(pathlib.Path(a.out), a.count, a.seed, (w, h))


if __name__ == '__main__':
    main()
