"""fruit_d: synthetic fresh/rotten fruit photos (apple, banana, orange, strawberry).

Writes OUT/<freshness><fruit>/<stem>.jpg, count/8 per folder.  numpy + OpenCV + stdlib only.
Every photo is rendered from scratch: a place (belt, crate, shelf, field, counter, punnet, tray, net, hand ...),
one or several fruit of one kind drawn from shape/colour distributions, rot drawn from distributions
(decay, mould, wrinkles, bruises, cuts, leaks, blackening), a light model and a camera model.
"""
import argparse
import pathlib

import cv2
import numpy as np

FOLDERS = ["freshapple", "freshbanana", "freshorange", "freshstrawberry",
           "rottenapple", "rottenbanana", "rottenorange", "rottenstrawberry"]


# ----------------------------------------------------------------------------------------------- helpers
def vnoise(rng, h, w, cell):
    cell = max(cell, 1.0)
    gh = max(2, int(h / cell) + 2)
    gw = max(2, int(w / cell) + 2)
    g = rng.random((gh, gw), dtype=np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)


def fbm(rng, h, w, cell, octaves=3):
    out = np.zeros((h, w), np.float32)
    amp, tot = 1.0, 0.0
    for _ in range(octaves):
        out += amp * vnoise(rng, h, w, cell)
        tot += amp
        amp *= 0.5
        cell *= 0.5
    return out / tot


def sstep(a, b, x):
    t = np.clip((x - a) / (b - a + 1e-6), 0, 1)
    return t * t * (3 - 2 * t)


def jit(rng, c, s):
    return np.clip(np.array(c, np.float32) + rng.normal(0, s, 3).astype(np.float32), 0, 1)


def lerp(a, b, t):
    return a + (b - a) * t


def hsv_col(h, s, v):
    """hue 0..180 (OpenCV), s, v in 0..1 -> BGR float."""
    px = np.uint8([[[int(h) % 180, int(min(max(s, 0.0), 1.0) * 255), int(min(max(v, 0.0), 1.0) * 255)]]])
    return cv2.cvtColor(px, cv2.COLOR_HSV2BGR)[0, 0].astype(np.float32) / 255.0


def blend(img, col, a):
    a = a[..., None] if a.ndim == 2 else a
    d = np.asarray(col, np.float32) - img
    d *= a
    d += img
    return d


# ----------------------------------------------------------------------------------------------- places
def bg_wood(rng, H, W):
    base = hsv_col(rng.uniform(8, 22), rng.uniform(0.25, 0.7), rng.uniform(0.3, 0.85))
    if rng.random() < 0.15:  # painted wood
        base = hsv_col(rng.uniform(0, 180), rng.uniform(0.05, 0.5), rng.uniform(0.4, 0.9))
    ang = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    u = xx * np.cos(ang) + yy * np.sin(ang)
    v = -xx * np.sin(ang) + yy * np.cos(ang)
    warp = fbm(rng, H, W, rng.uniform(20, 60)) * rng.uniform(5, 25)
    grain = 0.5 + 0.5 * np.sin((v + warp) * rng.uniform(0.15, 0.6))
    img = base[None, None] * (0.8 + 0.2 * grain + 0.15 * (fbm(rng, H, W, 30) - 0.5))[..., None]
    pw = rng.uniform(H * 0.25, H * 0.9)
    gap = np.abs((v + 1000) % pw) < rng.uniform(1, 3)
    img[gap] *= 0.35
    return img


def bg_belt(rng, H, W):
    kind = rng.integers(0, 6)
    cols = [hsv_col(0, 0, rng.uniform(0.08, 0.25)), hsv_col(0, 0, rng.uniform(0.02, 0.1)),
            hsv_col(rng.uniform(55, 75), rng.uniform(0.3, 0.8), rng.uniform(0.2, 0.5)),
            hsv_col(rng.uniform(95, 115), rng.uniform(0.4, 0.9), rng.uniform(0.25, 0.6)),
            hsv_col(0, rng.uniform(0, 0.1), rng.uniform(0.7, 0.92)),
            hsv_col(rng.uniform(10, 25), rng.uniform(0.2, 0.5), rng.uniform(0.4, 0.7))]
    base = cols[kind]
    horiz = rng.random() < 0.5
    n = cv2.resize(rng.random((H, max(2, W // 10)), dtype=np.float32), (W, H), interpolation=cv2.INTER_LINEAR)
    if not horiz:
        n = n.T.copy() if H == W else cv2.resize(n, (W, H))
    img = base[None, None] * (0.9 + 0.2 * n + 0.1 * (fbm(rng, H, W, 40) - 0.5))[..., None]
    # seams / slats of a roller or modular belt
    if rng.random() < 0.6:
        per = rng.uniform(H * 0.08, H * 0.4)
        yy = np.arange(H if horiz else W, dtype=np.float32)
        line = (np.abs((yy + rng.uniform(0, per)) % per) < rng.uniform(1, 2.5)).astype(np.float32)
        line = line[:, None] if horiz else line[None, :]
        img *= (1 - 0.5 * line)[..., None]
    if rng.random() < 0.5:  # steel side rails
        w = int(rng.uniform(0.06, 0.18) * W)
        steel = hsv_col(0, 0, rng.uniform(0.5, 0.8))
        grad = np.linspace(0.7, 1.2, w, dtype=np.float32)[None, :, None]
        if rng.random() < 0.5:
            img[:, :w] = steel * grad
        else:
            img[:, W - w:] = steel * grad[:, ::-1]
    return img


def bg_crate(rng, H, W):
    if rng.random() < 0.5:  # wooden slats
        img = bg_wood(rng, H, W)
        n = rng.integers(2, 5)
        horiz = rng.random() < 0.5
        L = H if horiz else W
        edges = np.sort(rng.uniform(0, L, n))
        for e in edges:
            g = rng.uniform(0.03, 0.1) * L
            a, b = int(e), int(e + g)
            if horiz:
                img[a:b] = img[a:b] * 0.15
            else:
                img[:, a:b] = img[:, a:b] * 0.15
        return img
    col = hsv_col(rng.choice([0, 60, 105, 20, 0]), rng.uniform(0.4, 0.9), rng.uniform(0.15, 0.7))
    if rng.random() < 0.25:
        col = hsv_col(0, 0, rng.uniform(0.05, 0.2))
    img = np.ones((H, W, 3), np.float32) * col * (0.9 + 0.2 * fbm(rng, H, W, 40))[..., None]
    ph, pw = rng.uniform(H * 0.1, H * 0.3), rng.uniform(W * 0.05, W * 0.2)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    hole = ((yy % ph) < ph * rng.uniform(0.5, 0.8)) & ((xx % pw) < pw * rng.uniform(0.4, 0.7))
    img[hole] = img[hole] * rng.uniform(0.05, 0.35)
    return img


def bg_cardboard(rng, H, W):
    base = hsv_col(rng.uniform(10, 20), rng.uniform(0.3, 0.6), rng.uniform(0.45, 0.8))
    if rng.random() < 0.3:  # bin liner / fake-grass mat / black plastic bin
        if rng.random() < 0.5:
            base = hsv_col(rng.uniform(50, 75), rng.uniform(0.5, 0.9), rng.uniform(0.25, 0.6))
            img = base * (0.6 + 0.8 * rng.random((H, W), dtype=np.float32))[..., None]
            return cv2.GaussianBlur(img, (3, 3), 0)
        base = hsv_col(0, 0, rng.uniform(0.05, 0.2))
    ang = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    u = xx * np.cos(ang) + yy * np.sin(ang)
    corr = 0.5 + 0.5 * np.sin(u * rng.uniform(0.4, 1.2))
    img = base * (0.9 + 0.06 * corr + 0.15 * (fbm(rng, H, W, 25) - 0.5))[..., None]
    if rng.random() < 0.4:  # printed logo blob
        c = (rng.uniform(0, W), rng.uniform(0, H))
        cv2.ellipse(img, (int(c[0]), int(c[1])), (int(rng.uniform(10, W / 3)), int(rng.uniform(5, H / 5))),
                    rng.uniform(0, 180), 0, 360, hsv_col(rng.uniform(0, 180), 0.8, 0.5).tolist(), -1)
    return img


def bg_field(rng, H, W):
    if rng.random() < 0.5:  # grass
        base = hsv_col(rng.uniform(35, 65), rng.uniform(0.4, 0.9), rng.uniform(0.2, 0.6))
        img = base * (0.6 + 0.6 * fbm(rng, H, W, 30))[..., None]
        for _ in range(int(H * W / 150)):
            x, y = rng.uniform(0, W), rng.uniform(0, H)
            a = rng.uniform(-2.0, -1.1)
            L = rng.uniform(4, 18)
            c = (base * rng.uniform(0.5, 1.6)).clip(0, 1)
            cv2.line(img, (int(x), int(y)), (int(x + L * np.cos(a)), int(y + L * np.sin(a))), c.tolist(), 1)
    else:  # soil / orchard floor
        base = hsv_col(rng.uniform(8, 20), rng.uniform(0.3, 0.7), rng.uniform(0.15, 0.45))
        img = base * (0.6 + 0.6 * fbm(rng, H, W, 12) + 0.2 * rng.random((H, W), dtype=np.float32))[..., None]
        for _ in range(rng.integers(3, 30)):
            c = (rng.uniform(0, W), rng.uniform(0, H))
            col = hsv_col(rng.uniform(10, 60), rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.7))
            cv2.ellipse(img, (int(c[0]), int(c[1])), (int(rng.uniform(2, 12)), int(rng.uniform(2, 6))),
                        rng.uniform(0, 180), 0, 360, col.tolist(), -1)
    if rng.random() < 0.4:
        k = int(rng.uniform(3, 10)) * 2 + 1
        img = cv2.GaussianBlur(img, (k, k), 0)
    return img


def bg_counter(rng, H, W):
    k = rng.integers(0, 4)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if k == 0:  # marble
        base = hsv_col(rng.uniform(0, 30), rng.uniform(0, 0.1), rng.uniform(0.7, 0.95))
        ang = rng.uniform(0, np.pi)
        u = xx * np.cos(ang) + yy * np.sin(ang)
        vein = np.abs(np.sin(u * rng.uniform(0.02, 0.06) + fbm(rng, H, W, 40) * rng.uniform(6, 14)))
        vein = vein ** rng.uniform(0.1, 0.4)
        img = base * (0.75 + 0.25 * vein)[..., None]
    elif k == 1:  # granite
        base = hsv_col(rng.uniform(0, 30), rng.uniform(0, 0.3), rng.uniform(0.1, 0.7))
        sp = rng.random((H, W), dtype=np.float32)
        img = base * (0.6 + 0.8 * sp)[..., None]
        img = cv2.GaussianBlur(img, (3, 3), 0)
    elif k == 2:  # laminate
        base = hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.5), rng.uniform(0.3, 0.95))
        img = base * (0.92 + 0.16 * fbm(rng, H, W, 60))[..., None] * np.ones((H, W, 1), np.float32)
    else:  # brushed steel
        n = cv2.resize(rng.random((H, 8), dtype=np.float32), (W, H), interpolation=cv2.INTER_LINEAR)
        g = np.linspace(rng.uniform(0.4, 0.7), rng.uniform(0.6, 0.95), W, dtype=np.float32)[None]
        img = (g * (0.9 + 0.2 * n))[..., None] * np.ones(3, np.float32)
    return img


def bg_cloth(rng, H, W):
    c1 = hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.8), rng.uniform(0.3, 0.95))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if rng.random() < 0.5:
        c2 = hsv_col(0, 0, rng.uniform(0.85, 1.0)) if rng.random() < 0.6 else \
            hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.8), rng.uniform(0.3, 0.95))
        p = rng.uniform(8, 40)
        ch = ((xx // p + yy // p) % 2).astype(np.float32)
        img = lerp(c1[None, None], c2[None, None], ch[..., None])
    else:
        img = np.ones((H, W, 3), np.float32) * c1
    weave = 0.95 + 0.05 * np.sin(xx * 2.5) * np.sin(yy * 2.5)
    fold = 0.8 + 0.35 * fbm(rng, H, W, rng.uniform(30, 90), 2)
    return img * (weave * fold)[..., None]


def bg_shelf(rng, H, W):
    # blurred products behind, shelf edge with a price strip, bin floor in front
    img = np.ones((H, W, 3), np.float32) * hsv_col(0, 0, rng.uniform(0.2, 0.7))
    for _ in range(rng.integers(5, 20)):
        col = hsv_col(rng.uniform(0, 180), rng.uniform(0.2, 1), rng.uniform(0.2, 1))
        x, y = rng.uniform(0, W), rng.uniform(0, H * 0.6)
        cv2.rectangle(img, (int(x), int(y)), (int(x + rng.uniform(10, W / 3)), int(y + rng.uniform(10, H / 2))),
                      col.tolist(), -1)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(2, 8))
    y0 = int(rng.uniform(0.25, 0.7) * H)
    floor = [bg_cardboard, bg_crate, bg_wood, bg_belt][rng.integers(0, 4)](rng, H, W)
    img[y0:] = floor[y0:]
    sh = int(rng.uniform(0.04, 0.1) * H)
    strip = hsv_col(rng.choice([0, 25, 30, 100]), rng.uniform(0, 0.9), rng.uniform(0.6, 1.0))
    img[y0 - sh:y0] = strip
    for _ in range(rng.integers(1, 5)):  # price labels
        x = int(rng.uniform(0, W))
        cv2.rectangle(img, (x, y0 - sh), (x + int(rng.uniform(8, 30)), y0 - 1), (0.95, 0.95, 0.95), -1)
        cv2.line(img, (x + 2, y0 - sh // 2), (x + int(rng.uniform(5, 20)), y0 - sh // 2), (0.1, 0.1, 0.1), 1)
    return img


BASES = [bg_wood, bg_belt, bg_crate, bg_cardboard, bg_field, bg_counter, bg_cloth, bg_shelf]


def make_place(rng, H, W, fruit):
    """Returns (background image, place name, support region centre/extent for fruit placement)."""
    r = rng.random()
    names = ["wood", "belt", "crate", "cardboard", "field", "counter", "cloth", "shelf"]
    i = int(rng.integers(0, len(BASES)))
    img = BASES[i](rng, H, W).astype(np.float32)
    place = names[i]
    region = (W / 2, H / 2, W * 0.5, H * 0.5)
    if r < 0.14:  # foam / plastic tray on the base
        col = hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.6), rng.uniform(0.05, 0.95))
        if rng.random() < 0.5:
            col = hsv_col(0, 0, rng.choice([0.92, 0.08, 0.6]))
        cx, cy = W / 2 + rng.normal(0, W * 0.08), H / 2 + rng.normal(0, H * 0.08)
        hw, hh = rng.uniform(0.35, 0.6) * W, rng.uniform(0.35, 0.6) * H
        p0, p1 = (int(cx - hw), int(cy - hh)), (int(cx + hw), int(cy + hh))
        cv2.rectangle(img, p0, p1, (col * 0.8).tolist(), -1)
        rim = int(rng.uniform(3, 8))
        cv2.rectangle(img, p0, p1, (col * 1.1).clip(0, 1).tolist(), rim)
        cv2.rectangle(img, (p0[0] + rim, p0[1] + rim), (p1[0] - rim, p1[1] - rim), (col * 0.65).tolist(), 1)
        place += "+tray"
        region = (cx, cy, hw * 0.8, hh * 0.8)
    elif r < 0.24:  # plate
        cx, cy = W / 2 + rng.normal(0, W * 0.05), H / 2 + rng.normal(0, H * 0.05)
        rx = rng.uniform(0.4, 0.7) * W
        ry = rx * rng.uniform(0.6, 1.0)
        col = hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.4), rng.uniform(0.6, 1.0))
        cv2.ellipse(img, (int(cx), int(cy + 4)), (int(rx), int(ry)), 0, 0, 360, (col * 0.4).tolist(), -1)
        cv2.ellipse(img, (int(cx), int(cy)), (int(rx), int(ry)), 0, 0, 360, col.tolist(), -1)
        cv2.ellipse(img, (int(cx), int(cy)), (int(rx * 0.75), int(ry * 0.75)), 0, 0, 360, (col * 0.9).tolist(), 2)
        place += "+plate"
        region = (cx, cy, rx * 0.6, ry * 0.6)
    elif r < 0.32:  # open hand under the fruit
        skin = hsv_col(rng.uniform(5, 18), rng.uniform(0.25, 0.6), rng.uniform(0.3, 0.95))
        cx, cy = W * rng.uniform(0.35, 0.65), H * rng.uniform(0.55, 0.8)
        cv2.ellipse(img, (int(cx), int(cy)), (int(W * 0.3), int(H * 0.25)), rng.uniform(-30, 30), 0, 360,
                    skin.tolist(), -1)
        for k in range(4):
            a = np.deg2rad(-150 + k * 25 + rng.normal(0, 5))
            p = (int(cx + np.cos(a) * W * 0.35), int(cy + np.sin(a) * H * 0.3))
            cv2.ellipse(img, p, (int(W * 0.15), int(W * 0.05)), np.rad2deg(a), 0, 360, (skin * 0.95).tolist(), -1)
        cv2.line(img, (int(cx - W * 0.2), int(cy + H * 0.25)), (int(cx + W * 0.05), int(cy + H * 0.05)),
                 (skin * 0.8).tolist(), 1)
        place += "+hand"
        region = (cx, cy - H * 0.12, W * 0.18, H * 0.15)
    elif r < 0.40:  # punnet (green pulp or plastic)
        col = hsv_col(rng.choice([45, 55, 0, 110]), rng.uniform(0, 0.7), rng.uniform(0.1, 0.7))
        m = int(rng.uniform(0.0, 0.15) * W)
        img[:] = img * 0.5
        cv2.rectangle(img, (m, m), (W - m, H - m), col.tolist(), -1)
        cv2.rectangle(img, (m, m), (W - m, H - m), (col * 1.25).clip(0, 1).tolist(), int(rng.uniform(3, 9)))
        img[m:H - m, m:W - m] *= (0.85 + 0.3 * fbm(rng, H - 2 * m, W - 2 * m, 10))[..., None]
        place += "+punnet"
        region = (W / 2, H / 2, W * 0.4, H * 0.4)
    return img, place, region


# ----------------------------------------------------------------------------------------------- light
def make_light(rng):
    kind = rng.choice(["diffuse", "direct", "top", "flash", "backlight", "shade", "fluor", "led", "low",
                       "tungsten"], p=[0.18, 0.14, 0.12, 0.1, 0.06, 0.08, 0.1, 0.08, 0.07, 0.07])
    az = rng.uniform(0, 2 * np.pi)
    el = rng.uniform(0.35, 1.3)
    L = np.array([np.cos(az) * np.cos(el), np.sin(az) * np.cos(el), np.sin(el)], np.float32)
    lt = dict(kind=kind, L=L, amb=rng.uniform(0.25, 0.5), kd=rng.uniform(0.6, 0.9), spec=rng.uniform(0.5, 1.2),
              shadow=rng.uniform(0.2, 0.5), soft=rng.uniform(0.02, 0.08), cast=np.ones(3, np.float32),
              gain=rng.uniform(0.9, 1.15), bgmul=1.0, rim=0.0, noise=rng.uniform(0.0, 0.015))
    if kind == "diffuse":
        lt.update(amb=rng.uniform(0.45, 0.7), kd=rng.uniform(0.35, 0.6), shadow=rng.uniform(0.1, 0.3),
                  soft=rng.uniform(0.06, 0.12))
    elif kind == "direct":
        lt.update(amb=rng.uniform(0.15, 0.35), kd=rng.uniform(0.8, 1.1), shadow=rng.uniform(0.4, 0.7),
                  soft=rng.uniform(0.005, 0.03), spec=rng.uniform(0.8, 1.6))
        lt["cast"] = np.array([rng.uniform(0.85, 1.0), rng.uniform(0.95, 1.02), 1.05], np.float32)
    elif kind == "top":
        lt.update(L=np.array([rng.normal(0, 0.1), rng.normal(0, 0.1), 1.0], np.float32),
                  amb=rng.uniform(0.3, 0.5), shadow=rng.uniform(0.2, 0.5), soft=rng.uniform(0.01, 0.05))
    elif kind == "flash":
        lt.update(L=np.array([rng.normal(0, 0.15), rng.normal(-0.1, 0.15), 1.0], np.float32),
                  amb=rng.uniform(0.05, 0.2), kd=1.0, spec=rng.uniform(1.2, 2.2), shadow=rng.uniform(0.4, 0.7),
                  soft=0.01, gain=rng.uniform(1.0, 1.3))
    elif kind == "backlight":
        lt.update(amb=rng.uniform(0.2, 0.35), kd=rng.uniform(0.2, 0.4), bgmul=rng.uniform(1.3, 2.0),
                  rim=rng.uniform(0.3, 0.8), shadow=rng.uniform(0.1, 0.3))
        lt["L"] = np.array([L[0], L[1], -0.3], np.float32)
    elif kind == "shade":
        lt.update(amb=rng.uniform(0.5, 0.7), kd=rng.uniform(0.2, 0.4), gain=rng.uniform(0.6, 0.9),
                  shadow=rng.uniform(0.1, 0.25), soft=0.1)
        lt["cast"] = np.array([rng.uniform(1.05, 1.25), 1.0, rng.uniform(0.8, 0.95)], np.float32)
    elif kind == "fluor":
        lt["cast"] = np.array([rng.uniform(0.85, 1.05), rng.uniform(1.05, 1.2), rng.uniform(0.8, 0.95)], np.float32)
    elif kind == "led":
        lt["cast"] = np.array([rng.uniform(1.05, 1.3), 1.0, rng.uniform(0.75, 0.95)], np.float32) \
            if rng.random() < 0.5 else np.array([rng.uniform(0.9, 1.1), rng.uniform(0.8, 0.95), rng.uniform(0.95, 1.15)], np.float32)
    elif kind == "low":
        lt.update(gain=rng.uniform(0.3, 0.55), noise=rng.uniform(0.02, 0.06))
        lt["cast"] = np.array([rng.uniform(0.9, 1.15), 1.0, rng.uniform(0.9, 1.15)], np.float32)
    elif kind == "tungsten":
        lt["cast"] = np.array([rng.uniform(0.55, 0.8), rng.uniform(0.85, 0.95), rng.uniform(1.1, 1.3)], np.float32)
    lt["L"] = lt["L"] / np.linalg.norm(lt["L"])
    return lt


def shade_patch(alpha_u8, albedo, gloss, shin, hextra, lt, flat=1.0, wet=None):
    """Height from distance transform (dome / tube), normals, Lambert + Blinn specular."""
    dist = cv2.distanceTransform(alpha_u8, cv2.DIST_L2, 3)
    dmax = float(dist.max()) + 1e-3
    t = np.minimum(dist / dmax, 1.0)
    h = (np.sqrt(np.clip(1 - (1 - t) ** 2, 0, 1)) * dmax * flat + hextra).astype(np.float32)
    albedo = albedo.astype(np.float32)
    gx = cv2.Sobel(h, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(h, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    nz = 1.0 / np.sqrt(gx * gx + gy * gy + 1.0)
    nx, ny = -gx * nz, -gy * nz
    L = lt["L"]
    ndl = nx * L[0] + ny * L[1] + nz * L[2]
    diff = np.clip(ndl, 0, 1)
    Hv = L + np.array([0, 0, 1], np.float32)
    Hv = Hv / np.linalg.norm(Hv)
    ndh = np.clip(nx * Hv[0] + ny * Hv[1] + nz * Hv[2], 0, 1)
    spec = gloss * ndh ** shin * lt["spec"]
    if wet is not None:
        spec = spec + wet * ndh ** 60 * lt["spec"] * 1.5
    ao = 0.55 + 0.45 * np.sqrt(t)
    lum = (lt["amb"] * ao + lt["kd"] * diff)
    if lt["rim"] > 0:
        lum = lum + lt["rim"] * (1 - nz) ** 2
    col = albedo * lum[..., None] + spec[..., None] * 0.9
    return np.ascontiguousarray(col, dtype=np.float32)


# ----------------------------------------------------------------------------------------------- rot
def rot_field(rng, m, coverage, size):
    """Soft field whose top `coverage` fraction of fruit pixels is the rot core."""
    h, w = m.shape
    f = fbm(rng, h, w, max(size * rng.uniform(0.2, 0.6), 3), 3) * rng.uniform(0.3, 1.0)
    ys, xs = np.nonzero(m)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    nb = rng.integers(1, 4)
    for _ in range(nb):
        j = rng.integers(0, len(ys))
        r = size * rng.uniform(0.15, 0.6)
        f += rng.uniform(0.5, 1.2) * np.exp(-((xx - xs[j]) ** 2 + (yy - ys[j]) ** 2) / (2 * r * r))
    vals = f[m > 0]
    thr = float(np.quantile(vals, 1 - coverage))
    spread = float(vals.std()) * rng.uniform(0.05, 0.3) + 1e-4
    core = sstep(thr, thr + spread, f) * (m > 0)
    halo = sstep(thr - spread * rng.uniform(1, 4), thr, f) * (m > 0)
    return f, core, halo, thr


FLESH = {"apple": (0.62, 0.85, 0.93), "orange": (0.15, 0.6, 0.98), "strawberry": (0.45, 0.45, 0.95),
         "banana": (0.72, 0.9, 0.96)}
JUICE = {"apple": (0.15, 0.3, 0.45), "orange": (0.1, 0.45, 0.75), "strawberry": (0.1, 0.05, 0.45),
         "banana": (0.1, 0.2, 0.3)}


def apply_rot(rng, fruit, st, m, alb, gloss, hx, size):
    """Modifies albedo, gloss, extra height in place according to st['kinds']. Returns wet map."""
    h, w = m.shape
    wet = np.zeros((h, w), np.float32)
    kinds = st["kinds"]
    cov = st["cov"]
    m_all = m
    if "pos" in st:  # restrict rot to the part of the fruit that is inside the frame
        cx, cy, IW, IH = st["pos"]
        x0, y0 = int(cx - w / 2), int(cy - h / 2)
        mv = m.copy()
        e = 3
        mv[:, :max(0, e - x0)] = 0
        mv[:max(0, e - y0)] = 0
        if IW - e - x0 < w:
            mv[:, max(0, IW - e - x0):] = 0
        if IH - e - y0 < h:
            mv[max(0, IH - e - y0):] = 0
        if mv.sum() > 0.15 * m.sum():
            m = mv
    if "decay" in kinds or "black" in kinds:
        f, core, halo, thr = rot_field(rng, m, cov, size)
        if "black" in kinds:
            dcol = hsv_col(rng.uniform(5, 20), rng.uniform(0.3, 0.8), rng.uniform(0.03, 0.15))
        else:
            dcol = hsv_col(rng.uniform(6, 22), rng.uniform(0.4, 0.9), rng.uniform(0.12, 0.45))
        if fruit == "strawberry" and rng.random() < 0.5:  # dark soft red-brown
            dcol = hsv_col(rng.uniform(170, 185), rng.uniform(0.5, 0.9), rng.uniform(0.12, 0.35))
        tex = 0.75 + 0.5 * fbm(rng, h, w, max(size * 0.08, 1.5), 2)
        rings = 1.0
        if rng.random() < 0.4:  # concentric rings of brown rot
            rings = 0.85 + 0.15 * np.sin(f * rng.uniform(30, 80))
        dark = dcol[None, None] * (tex * rings)[..., None]
        halo_col = lerp(alb, dcol[None, None] * 1.6, 0.5)
        alb[:] = blend(alb, halo_col.clip(0, 1), (halo - core) * rng.uniform(0.3, 0.9))
        alb[:] = blend(alb, dark.clip(0, 1), core)
        # sunken soft tissue, dull or wet surface
        hx -= core * size * rng.uniform(0.02, 0.1)
        gloss *= (1 - core * rng.uniform(0.5, 1.0))
        if rng.random() < 0.4:
            wet += core * rng.uniform(0.2, 0.6)
        if rng.random() < 0.35:  # pustules / spore dots on rot
            n = int(cov * size * size * rng.uniform(0.02, 0.08))
            ys, xs = np.nonzero(core > 0.5)
            if len(ys):
                pc = hsv_col(rng.uniform(10, 30), rng.uniform(0, 0.4), rng.uniform(0.6, 0.9))
                for j in rng.integers(0, len(ys), n):
                    cv2.circle(alb, (int(xs[j]), int(ys[j])), int(rng.integers(1, 3)), pc.tolist(), -1)
    if "mould" in kinds:
        mc = cov * rng.uniform(0.5, 1.0) if ("decay" in kinds or "black" in kinds) else cov
        f, core, halo, thr = rot_field(rng, m, max(mc, 0.04), size)
        choice = rng.integers(0, 6)
        cols = [(0.9, 0.92, 0.9), (0.62, 0.64, 0.62), (0.4, 0.62, 0.35), (0.6, 0.55, 0.3),
                (0.3, 0.55, 0.45), (0.75, 0.8, 0.8)]
        if fruit == "orange":
            choice = rng.choice([0, 2, 2, 3, 4, 5])
        if fruit == "strawberry":
            choice = rng.choice([0, 1, 1, 5, 2])
        if fruit == "banana":
            choice = rng.choice([0, 1, 5, 2])
        mcol = jit(rng, cols[choice], 0.05)
        fine = rng.random((h, w), dtype=np.float32)
        fine = cv2.GaussianBlur(fine, (3, 3), 0)
        clump = fbm(rng, h, w, max(size * 0.1, 2), 2)
        dens = np.clip(core * (0.6 + 0.8 * clump) * (0.7 + 0.6 * fine), 0, 1)
        mt = mcol[None, None] * (0.8 + 0.4 * fine)[..., None]
        alb[:] = blend(alb, mt.clip(0, 1), dens)
        if choice in (2, 3, 4) and rng.random() < 0.7:  # white margin around green/blue mould
            ring = np.clip(halo - core, 0, 1) * (0.5 + 0.5 * fine)
            alb[:] = blend(alb, np.float32([0.92, 0.93, 0.92]), ring)
            dens = np.maximum(dens, ring)
        hx += dens * size * 0.03 + (fine - 0.5) * dens * size * 0.03
        gloss *= (1 - dens)
    if "wrinkle" in kinds:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        warp = fbm(rng, h, w, max(size * 0.3, 3), 2) * size * rng.uniform(0.2, 0.8)
        ang = rng.uniform(0, np.pi)
        u = xx * np.cos(ang) + yy * np.sin(ang) + warp
        freq = rng.uniform(0.25, 0.8) * 40.0 / max(size, 10)
        wr = np.sin(u * freq) * np.sin((xx * -np.sin(ang) + yy * np.cos(ang) + warp * 0.5) * freq * 0.4)
        hx += wr * size * rng.uniform(0.03, 0.08) * st.get("wamt", 1.0)
        dull = hsv_col(rng.uniform(8, 20), rng.uniform(0.3, 0.7), rng.uniform(0.2, 0.5))
        alb[:] = blend(alb, dull, m_all * rng.uniform(0.3, 0.7))
        gloss *= 0.4
    if "bruise" in kinds:
        f, core, halo, thr = rot_field(rng, m, max(cov, 0.15), size)
        soft = cv2.GaussianBlur(halo, (0, 0), max(size * 0.05, 1))
        bcol = alb * np.float32([0.55, 0.55, 0.6]) * rng.uniform(0.5, 0.85) + hsv_col(15, 0.6, 0.15) * 0.5
        alb[:] = blend(alb, bcol.clip(0, 1), soft * m * rng.uniform(0.6, 1.0))
        hx -= soft * size * rng.uniform(0.03, 0.08)
    if "cut" in kinds:
        ys, xs = np.nonzero(m)
        j = rng.integers(0, len(ys))
        cx, cy = xs[j], ys[j]
        a = rng.uniform(0, np.pi)
        L = size * rng.uniform(0.3, 0.9)
        pts = []
        for k in range(6):
            s = (k / 5 - 0.5) * L
            pts.append([cx + np.cos(a) * s + rng.normal(0, size * 0.03), cy + np.sin(a) * s + rng.normal(0, size * 0.03)])
        pts = np.int32(pts)
        wdt = max(2, int(size * rng.uniform(0.04, 0.12)))
        cm = np.zeros((h, w), np.uint8)
        cv2.polylines(cm, [pts], False, 255, wdt)
        brown = cv2.dilate(cm, np.ones((3, 3), np.uint8), iterations=max(1, int(size * 0.04)))
        cmf = cm.astype(np.float32) / 255 * m
        bf = cv2.GaussianBlur(brown.astype(np.float32) / 255, (0, 0), max(1, size * 0.02)) * m
        bcol = hsv_col(rng.uniform(8, 20), rng.uniform(0.5, 0.9), rng.uniform(0.2, 0.5))
        alb[:] = blend(alb, bcol, bf * rng.uniform(0.6, 1.0))
        fl = lerp(np.float32(FLESH[fruit]), bcol, rng.uniform(0.2, 0.8))
        alb[:] = blend(alb, fl, cmf)
        hx -= cmf * size * 0.08
        wet += cmf * 0.8
    if "leak" in kinds:
        wet += m_all * rng.uniform(0.3, 0.8) * (fbm(rng, h, w, max(size * 0.2, 2), 2) > 0.45)
    return wet


# ----------------------------------------------------------------------------------------------- fruit
def patch_grid(ph, pw):
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    return yy, xx


def render_apple(rng, R, st, lt, var):
    pad = int(R * 0.35) + 4
    S = int(2 * R + 2 * pad)
    c = S / 2
    topview = rng.random() < 0.3
    n = 72
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n) * R
    r *= 1 + rng.uniform(-0.08, 0.08) * np.cos(2 * th + rng.uniform(0, 6))
    for k in (3, 4, 5):
        r *= 1 + rng.uniform(0, 0.025) * np.cos(k * th + rng.uniform(0, 6))
    tilt = rng.normal(0, 0.5)
    up = -np.pi / 2 + tilt
    if not topview:
        d = ((th - up + np.pi) % (2 * np.pi)) - np.pi
        r *= 1 - rng.uniform(0.04, 0.14) * np.exp(-(d / 0.3) ** 2)
        r *= 1 - rng.uniform(0.0, 0.08) * np.exp(-((np.abs(d) - np.pi) / 0.5) ** 2)
        r *= 1 + rng.uniform(0, 0.05) * np.cos(2 * d)  # wider shoulders
    if "wrinkle" in st["kinds"]:
        r *= 1 + 0.05 * (vnoise(rng, 1, n, 6)[0] - 0.5) * st.get("wamt", 1.0)
    pts = np.stack([c + r * np.cos(th), c + r * np.sin(th)], 1).astype(np.int32)
    m8 = np.zeros((S, S), np.uint8)
    cv2.fillPoly(m8, [pts], 255)
    m = m8.astype(np.float32) / 255
    yy, xx = patch_grid(S, S)
    if topview:
        sx, sy = c + rng.normal(0, R * 0.12), c + rng.normal(0, R * 0.12)
    else:
        sx, sy = c + np.cos(up) * R * 0.8, c + np.sin(up) * R * 0.8
    # colours: ground colour + red over-colour with streaks
    ground = {"red": hsv_col(rng.uniform(22, 38), rng.uniform(0.5, 0.8), rng.uniform(0.6, 0.9)),
              "green": hsv_col(rng.uniform(35, 50), rng.uniform(0.5, 0.85), rng.uniform(0.5, 0.85)),
              "yellow": hsv_col(rng.uniform(22, 32), rng.uniform(0.5, 0.85), rng.uniform(0.75, 0.95)),
              "bicolor": hsv_col(rng.uniform(18, 32), rng.uniform(0.5, 0.85), rng.uniform(0.7, 0.95))}[var]
    over = hsv_col(rng.uniform(172, 186), rng.uniform(0.7, 0.95), rng.uniform(0.35, 0.8))
    cover = {"red": rng.uniform(0.75, 1.0), "green": rng.uniform(0, 0.15), "yellow": rng.uniform(0, 0.25),
             "bicolor": rng.uniform(0.35, 0.8)}[var]
    ang = np.arctan2(yy - sy, xx - sx)
    gdir = rng.uniform(0, 2 * np.pi)
    grad = ((xx - c) * np.cos(gdir) + (yy - c) * np.sin(gdir)) / R
    nz = fbm(rng, S, S, R * 0.5, 2)
    nz2 = fbm(rng, S, S, max(R * 0.15, 2), 2)
    streak = 0.5 + 0.5 * np.sin(ang * rng.integers(12, 40) + nz * 6 + nz2 * 8)
    wgt = np.clip((cover - 0.5) * 3 + grad * rng.uniform(0.3, 1.2) + (nz - 0.5) * 1.5 + 0.5, 0, 1)
    sa = rng.uniform(0, 0.3)
    wgt = np.clip(wgt * (1 - sa + sa * streak), 0, 1)
    alb = lerp(ground[None, None], over[None, None], wgt[..., None])
    alb *= (0.92 + 0.16 * fbm(rng, S, S, R * 0.3, 2))[..., None]
    # lenticels
    nl = int(R * R * rng.uniform(0.01, 0.05))
    lc = lerp(ground, np.float32([0.8, 0.9, 0.95]), 0.5)
    lenti = alb.copy()
    for _ in range(nl):
        p = (int(rng.uniform(c - R, c + R)), int(rng.uniform(c - R, c + R)))
        cv2.circle(lenti, p, 0 if R < 30 else 1, lc.tolist(), -1)
    alb = lerp(alb, lenti, rng.uniform(0.25, 0.7))
    # stem cavity (russet) and stem
    cav = np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * (R * rng.uniform(0.1, 0.2)) ** 2))
    russet = hsv_col(rng.uniform(12, 22), rng.uniform(0.4, 0.7), rng.uniform(0.3, 0.6))
    alb = blend(alb, russet, cav * rng.uniform(0.2, 0.7))
    hx = -cav * R * rng.uniform(0.15, 0.35)
    gloss = m * rng.uniform(0.2, 0.7)
    stem_col = hsv_col(rng.uniform(10, 30), rng.uniform(0.3, 0.7), rng.uniform(0.15, 0.45))
    wet = apply_rot(rng, "apple", st, m, alb, gloss, hx, R) if st["rotten"] else None
    col = shade_patch(m8, alb, gloss, rng.uniform(15, 50), hx, lt, wet=wet)
    if rng.random() < 0.85:
        sa = (up if not topview else rng.uniform(0, 2 * np.pi)) + rng.normal(0, 0.4)
        sl = R * rng.uniform(0.15, 0.45) * (0.6 if topview else 1)
        p0 = (int(sx), int(sy))
        p1 = (int(sx + np.cos(sa) * sl), int(sy + np.sin(sa) * sl))
        cv2.line(col, p0, p1, (stem_col * lt["gain"]).tolist(), max(1, int(R * 0.07)))
        cv2.line(m8, p0, p1, 255, max(1, int(R * 0.07)))
    if st.get("leaf") and rng.random() < 0.5:
        draw_leaf(rng, col, m8, (sx, sy), R * rng.uniform(0.5, 0.9), lt)
    return col, m8


def render_orange(rng, R, st, lt, var):
    pad = int(R * 0.2) + 4
    S = int(2 * R + 2 * pad)
    c = S / 2
    n = 72
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    flat = rng.uniform(0.8, 0.95) if var == "mandarin" else rng.uniform(0.92, 1.04)
    rot = rng.uniform(0, np.pi)
    r = R * np.ones(n)
    for k in (3, 4, 6):
        r *= 1 + rng.uniform(0, 0.02) * np.cos(k * th + rng.uniform(0, 6))
    if "wrinkle" in st["kinds"]:
        r *= 1 + 0.08 * (vnoise(rng, 1, n, 5)[0] - 0.5) * st.get("wamt", 1.0)
    x = r * np.cos(th)
    y = r * np.sin(th) * flat
    xr = c + x * np.cos(rot) - y * np.sin(rot)
    yr = c + x * np.sin(rot) + y * np.cos(rot)
    m8 = np.zeros((S, S), np.uint8)
    cv2.fillPoly(m8, [np.stack([xr, yr], 1).astype(np.int32)], 255)
    m = m8.astype(np.float32) / 255
    yy, xx = patch_grid(S, S)
    if var == "mandarin":
        base = hsv_col(rng.uniform(6, 14), rng.uniform(0.8, 1.0), rng.uniform(0.75, 1.0))
    else:
        base = hsv_col(rng.uniform(10, 20), rng.uniform(0.75, 1.0), rng.uniform(0.75, 1.0))
    alb = base[None, None] * (0.9 + 0.2 * fbm(rng, S, S, R * 0.4, 2))[..., None]
    if rng.random() < 0.3:  # green tinge (regreening / not fully coloured)
        g = hsv_col(rng.uniform(25, 40), 0.7, rng.uniform(0.5, 0.8))
        gd = rng.uniform(0, 2 * np.pi)
        gw = np.clip(((xx - c) * np.cos(gd) + (yy - c) * np.sin(gd)) / R - rng.uniform(0.2, 0.8), 0, 1)
        alb = blend(alb, g, gw * rng.uniform(0.3, 0.8))
    pores = rng.random((S, S), dtype=np.float32)
    pores = cv2.GaussianBlur(pores, (3, 3), 0) if R > 20 else pores
    alb *= (0.93 + 0.1 * pores)[..., None]
    hx = (pores - 0.5) * R * rng.uniform(0.02, 0.05)
    # stem button or navel
    bx, by = c + rng.normal(0, R * 0.35), c + rng.normal(0, R * 0.35)
    if rng.random() < 0.7:
        if rng.random() < 0.6:
            cv2.circle(alb, (int(bx), int(by)), max(1, int(R * 0.08)), hsv_col(35, 0.6, 0.4).tolist(), -1)
            cv2.circle(alb, (int(bx), int(by)), max(1, int(R * 0.03)), hsv_col(20, 0.6, 0.25).tolist(), -1)
        else:
            cv2.circle(alb, (int(bx), int(by)), max(1, int(R * 0.1)), (base * 0.75).tolist(), 1)
            hx -= np.exp(-((xx - bx) ** 2 + (yy - by) ** 2) / (2 * (R * 0.08) ** 2)) * R * 0.1
    gloss = m * rng.uniform(0.15, 0.45)
    wet = apply_rot(rng, "orange", st, m, alb, gloss, hx, R) if st["rotten"] else None
    col = shade_patch(m8, alb, gloss, rng.uniform(10, 30), hx, lt, wet=wet)
    if st.get("leaf") and rng.random() < 0.5:
        draw_leaf(rng, col, m8, (bx, by), R * rng.uniform(0.6, 1.0), lt)
    return col, m8


def draw_leaf(rng, col, m8, p, L, lt):
    a = rng.uniform(0, 2 * np.pi)
    w = L * rng.uniform(0.25, 0.4)
    n = 12
    t = np.linspace(0, 1, n)
    side = w * np.sin(np.pi * t) ** 0.8
    ax = np.array([np.cos(a), np.sin(a)])
    pp = np.array([-np.sin(a), np.cos(a)])
    base = np.array(p)
    left = base + np.outer(t * L, ax) + np.outer(side, pp)
    right = base + np.outer(t * L, ax) - np.outer(side, pp)
    poly = np.concatenate([left, right[::-1]]).astype(np.int32)
    gc = hsv_col(rng.uniform(35, 60), rng.uniform(0.5, 0.9), rng.uniform(0.25, 0.6)) * lt["gain"]
    cv2.fillPoly(col, [poly], gc.tolist())
    cv2.fillPoly(m8, [poly], 255)
    cv2.line(col, tuple(base.astype(int)), tuple((base + ax * L).astype(int)), (gc * 1.3).clip(0, 1).tolist(), 1)


def render_strawberry(rng, R, st, lt, var):
    # R = half width of the berry
    asp = rng.uniform(0.9, 1.5) if var != "round" else rng.uniform(0.8, 1.0)
    Lb = 2 * R * asp
    pad = int(R * 0.6) + 4
    S = int(max(2 * R, Lb) * 1.1 + 2 * pad)
    c = S / 2
    topview = rng.random() < 0.15
    a = rng.uniform(0, 2 * np.pi)
    ax = np.array([np.cos(a), np.sin(a)])
    pp = np.array([-np.sin(a), np.cos(a)])
    top = np.array([c, c]) - ax * Lb * 0.45
    n = 40
    t = np.linspace(0, 1, n)
    p_ = rng.uniform(1.4, 3.0)
    q_ = rng.uniform(0.5, 1.0)
    wprof = R * (1 - t ** p_) ** q_ * (0.85 + 0.3 * np.sin(np.pi * np.minimum(t / 0.6, 1)) * 0.5)
    wprof = np.maximum(wprof, R * 0.04)
    if "wrinkle" in st["kinds"]:
        wprof *= 1 + 0.12 * (vnoise(rng, 1, n, 4)[0] - 0.5)
    cap_t = np.linspace(np.pi, 0, 10)
    cap = top[None] - np.outer(np.sin(cap_t) * R * 0.25, ax) + np.outer(np.cos(cap_t) * wprof[0], pp)
    left = top[None] + np.outer(t * Lb, ax) + np.outer(wprof, pp)
    right = top[None] + np.outer(t * Lb, ax) - np.outer(wprof, pp)
    if topview:
        th = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        rr = R * (1 + 0.04 * np.cos(3 * th + rng.uniform(0, 6)))
        poly = np.stack([c + rr * np.cos(th), c + rr * np.sin(th)], 1)
    else:
        poly = np.concatenate([cap, left, right[::-1]])
    m8 = np.zeros((S, S), np.uint8)
    cv2.fillPoly(m8, [poly.astype(np.int32)], 255)
    m = m8.astype(np.float32) / 255
    yy, xx = patch_grid(S, S)
    red = hsv_col(rng.uniform(172, 183), rng.uniform(0.75, 0.98), rng.uniform(0.55, 0.92))
    alb = red[None, None] * (0.88 + 0.24 * fbm(rng, S, S, R * 0.4, 2))[..., None]
    # paler shoulders near calyx
    if topview:
        dcal = np.sqrt((xx - c) ** 2 + (yy - c) ** 2) / R
        cal = np.array([c, c])
    else:
        dcal = np.sqrt((xx - top[0]) ** 2 + (yy - top[1]) ** 2) / Lb
        cal = top
    pale = hsv_col(rng.uniform(0, 30), rng.uniform(0.2, 0.6), rng.uniform(0.8, 0.95))
    alb = blend(alb, pale, np.exp(-(dcal / rng.uniform(0.08, 0.25)) ** 2) * rng.uniform(0.0, 0.7))
    hx = np.zeros((S, S), np.float32)
    # achenes in a staggered pattern
    seedc = hsv_col(rng.uniform(18, 30), rng.uniform(0.5, 0.9), rng.uniform(0.5, 0.9))
    if rng.random() < 0.3:
        seedc = hsv_col(rng.uniform(0, 15), rng.uniform(0.4, 0.8), rng.uniform(0.3, 0.5))
    spacing = max(R * rng.uniform(0.18, 0.3), 2.5)
    rs = 0 if R < 25 else 1
    if topview:
        for rad in np.arange(spacing * 1.2, R * 0.95, spacing):
            k = int(2 * np.pi * rad / spacing)
            off = rng.uniform(0, 1)
            for j in range(k):
                aa = (j + off) / k * 2 * np.pi
                p = (int(c + rad * np.cos(aa)), int(c + rad * np.sin(aa)))
                cv2.circle(alb, p, rs + 1, (red * 0.6).tolist(), -1)
                cv2.circle(alb, p, rs, seedc.tolist(), -1)
    else:
        nrow = int(Lb / spacing)
        for i in range(1, nrow):
            ti = i / nrow
            wi = np.interp(ti, t, wprof)
            k = max(1, int(2 * wi / spacing))
            for j in range(k + 1):
                s = -0.9 + 1.8 * (j + 0.5 * (i % 2)) / max(k, 1)
                if abs(s) > 0.92:
                    continue
                p = top + ax * ti * Lb + pp * s * wi
                p = (int(p[0]), int(p[1]))
                cv2.circle(alb, p, rs + 1, (red * 0.6).tolist(), -1)
                cv2.circle(alb, p, rs, seedc.tolist(), -1)
    gloss = m * rng.uniform(0.4, 0.9)
    wet = apply_rot(rng, "strawberry", st, m, alb, gloss, hx, R) if st["rotten"] else None
    col = shade_patch(m8, alb, gloss, rng.uniform(20, 60), hx, lt, wet=wet)
    # calyx
    if rng.random() < 0.9:
        ns = rng.integers(5, 11)
        green = hsv_col(rng.uniform(35, 60), rng.uniform(0.5, 0.9), rng.uniform(0.25, 0.6))
        if st["rotten"] and rng.random() < 0.5 or rng.random() < 0.1:
            green = hsv_col(rng.uniform(18, 30), rng.uniform(0.3, 0.6), rng.uniform(0.2, 0.45))
        base_ang = (a + np.pi) if not topview else 0
        spread = np.pi * rng.uniform(0.6, 1.0) if not topview else np.pi
        for k in range(ns):
            sa = base_ang + (k / (ns - 1) - 0.5) * 2 * spread + rng.normal(0, 0.15) if not topview else \
                k / ns * 2 * np.pi + rng.normal(0, 0.2)
            sl = R * rng.uniform(0.4, 0.9)
            sw = R * rng.uniform(0.08, 0.16)
            d = np.array([np.cos(sa), np.sin(sa)])
            q = np.array([-d[1], d[0]])
            tri = np.array([cal + q * sw, cal + d * sl, cal - q * sw]).astype(np.int32)
            gk = (green * rng.uniform(0.7, 1.2) * lt["gain"] * (lt["amb"] + lt["kd"] * 0.6)).clip(0, 1)
            cv2.fillPoly(col, [tri], gk.tolist())
            cv2.fillPoly(m8, [tri], 255)
        if rng.random() < 0.5:
            d = -ax if not topview else np.array([0.3, -1.0])
            e = (cal + d * R * rng.uniform(0.3, 0.7)).astype(int)
            cv2.line(col, tuple(cal.astype(int)), tuple(e), (green * 0.8).tolist(), max(1, int(R * 0.08)))
            cv2.line(m8, tuple(cal.astype(int)), tuple(e), 255, max(1, int(R * 0.08)))
    return col, m8


def render_banana(rng, R, st, lt, var, angle=None, curv=None):
    # R = banana length / 2
    Lb = 2 * R
    T = Lb * rng.uniform(0.14, 0.2)
    if "wrinkle" in st["kinds"]:
        T *= rng.uniform(0.75, 0.95)
    pad = int(T) + 6
    S = int(Lb + 2 * pad)
    c = S / 2
    a = rng.uniform(0, 2 * np.pi) if angle is None else angle
    bend = rng.uniform(0.1, 0.35) * Lb * (1 if rng.random() < 0.5 else -1) if curv is None else curv * Lb
    ax = np.array([np.cos(a), np.sin(a)])
    pp = np.array([-np.sin(a), np.cos(a)])
    P0 = np.array([c, c]) - ax * Lb * 0.48 - pp * bend * 0.4
    P2 = np.array([c, c]) + ax * Lb * 0.48 - pp * bend * 0.4
    P1 = np.array([c, c]) + pp * bend * 1.2
    n = 40
    t = np.linspace(0, 1, n)[:, None]
    C = (1 - t) ** 2 * P0 + 2 * (1 - t) * t * P1 + t ** 2 * P2
    D = 2 * (1 - t) * (P1 - P0) + 2 * t * (P2 - P1)
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    N = np.stack([-D[:, 1], D[:, 0]], 1)
    tt = t[:, 0]
    neck = rng.uniform(0.1, 0.2)
    wprof = T * 0.5 * (0.25 + 0.75 * sstep(0.0, neck * 1.4, tt)) * (0.3 + 0.7 * (1 - sstep(0.8, 1.0, tt) ** 1.5))
    left = C + N * wprof[:, None]
    right = C - N * wprof[:, None]
    poly = np.concatenate([left, right[::-1]]).astype(np.int32)
    m8 = np.zeros((S, S), np.uint8)
    cv2.fillPoly(m8, [poly], 255)
    m = m8.astype(np.float32) / 255
    ripe = st.get("ripe", rng.uniform(0, 1))
    green = hsv_col(rng.uniform(38, 48), rng.uniform(0.6, 0.9), rng.uniform(0.45, 0.7))
    yellow = hsv_col(rng.uniform(23, 29), rng.uniform(0.7, 0.95), rng.uniform(0.8, 0.98))
    base = lerp(green, yellow, np.clip(ripe * 1.3, 0, 1))
    alb = base[None, None] * (0.9 + 0.15 * fbm(rng, S, S, T, 2))[..., None]
    # ridges along the length
    for s in (-0.55, 0.0, 0.55):
        rl = (C + N * (wprof[:, None] * s)).astype(np.int32)
        cv2.polylines(alb, [rl], False, (base * rng.uniform(0.8, 0.95)).tolist(), 1)
    # stalk end and tip
    yy, xx = patch_grid(S, S)
    stalk_c = lerp(green * 0.8, hsv_col(15, 0.5, 0.35), rng.uniform(0, 0.6) + ripe * 0.3)
    dstalk = np.sqrt((xx - P0[0]) ** 2 + (yy - P0[1]) ** 2) / Lb
    alb = blend(alb, stalk_c, sstep(neck * 1.3, neck * 0.7, dstalk))
    dtip = np.sqrt((xx - C[-1, 0]) ** 2 + (yy - C[-1, 1]) ** 2) / Lb
    alb = blend(alb, hsv_col(15, 0.5, 0.12), sstep(0.05, 0.025, dtip))
    # sugar spots on ripe fresh bananas: small, few
    if ripe > 0.75:
        ns = int((ripe - 0.75) * 4 * rng.uniform(0, 40))
        sc = hsv_col(rng.uniform(10, 18), 0.7, rng.uniform(0.2, 0.4))
        ys, xs = np.nonzero(m8)
        for j in rng.integers(0, len(ys), ns):
            cv2.circle(alb, (int(xs[j]), int(ys[j])), int(rng.integers(0, 2)), sc.tolist(), -1)
    hx = np.zeros((S, S), np.float32)
    gloss = m * rng.uniform(0.1, 0.35)
    if st["rotten"] and "split" in st["kinds"]:
        i0 = rng.integers(5, n // 2)
        i1 = min(n - 3, i0 + rng.integers(8, 20))
        s = rng.uniform(-0.3, 0.3)
        sl = (C[i0:i1] + N[i0:i1] * (wprof[i0:i1, None] * s)).astype(np.int32)
        wd = max(2, int(T * rng.uniform(0.15, 0.35)))
        cmk = np.zeros((S, S), np.uint8)
        cv2.polylines(cmk, [sl], False, 255, wd)
        cf = cmk.astype(np.float32) / 255 * m
        br = cv2.GaussianBlur(cf, (0, 0), max(1, T * 0.2))
        alb = blend(alb, hsv_col(14, 0.7, 0.2), np.clip(br * 2, 0, 1) * m)
        alb = blend(alb, lerp(np.float32(FLESH["banana"]), hsv_col(15, 0.6, 0.4), rng.uniform(0.1, 0.6)), cf)
        hx -= cf * T * 0.1
    wet = apply_rot(rng, "banana", st, m, alb, gloss, hx, T * 1.5) if st["rotten"] else None
    col = shade_patch(m8, alb, gloss, rng.uniform(8, 20), hx, lt, flat=0.9, wet=wet)
    return col, m8


RENDER = {"apple": render_apple, "orange": render_orange, "strawberry": render_strawberry, "banana": render_banana}


# ----------------------------------------------------------------------------------------------- rot states
def rot_state(rng, fruit):
    kinds = set()
    r = rng.random()
    if fruit == "apple":
        opts = ["decay", "mould", "wrinkle", "bruise", "cut", "black", "leak"]
        p = [0.35, 0.15, 0.12, 0.13, 0.08, 0.1, 0.07]
    elif fruit == "orange":
        opts = ["decay", "mould", "wrinkle", "bruise", "cut", "black", "leak"]
        p = [0.22, 0.38, 0.12, 0.05, 0.07, 0.09, 0.07]
    elif fruit == "strawberry":
        opts = ["decay", "mould", "wrinkle", "bruise", "cut", "black", "leak"]
        p = [0.3, 0.35, 0.12, 0.05, 0.03, 0.08, 0.07]
    else:
        opts = ["decay", "mould", "wrinkle", "split", "black", "leak"]
        p = [0.4, 0.1, 0.12, 0.1, 0.2, 0.08]
    nk = 1 + int(rng.random() < 0.45) + int(rng.random() < 0.15)
    for k in rng.choice(len(opts), size=nk, replace=False, p=p):
        kinds.add(opts[k])
    if kinds <= {"leak", "cut", "split", "wrinkle"} and rng.random() < 0.7:
        kinds.add("decay")
    if kinds == {"leak"}:
        kinds.add(rng.choice(["decay", "mould"]))
    # coverage: heavy-tailed, from small patch to almost all the fruit
    cov = float(np.clip(rng.beta(1.2, 2.0), 0.12 if fruit == "strawberry" else 0.08, 0.97))
    if "black" in kinds:
        cov = max(cov, rng.uniform(0.3, 0.97))
    if fruit == "banana" and ("decay" in kinds or "black" in kinds):
        cov = max(cov, rng.uniform(0.25, 0.95))
    st = dict(rotten=True, kinds=kinds, cov=cov, wamt=rng.uniform(0.6, 1.5))
    if fruit == "banana":
        st["ripe"] = rng.uniform(0.5, 1.0)
    return st


def fresh_state(rng, fruit):
    st = dict(rotten=False, kinds=set(), cov=0.0, leaf=rng.random() < 0.2)
    if fruit == "banana":
        st["ripe"] = rng.uniform(0.0, 1.0)
    return st


# ----------------------------------------------------------------------------------------------- objects
def draw_object(rng, img, H, W, lt, top=False):
    k = rng.integers(0, 4)
    if top and k == 1:
        k = 0
    if k == 0:  # knife
        p = np.array([rng.uniform(0, W), rng.uniform(0, H)])
        a = rng.uniform(0, 2 * np.pi)
        d = np.array([np.cos(a), np.sin(a)])
        q = np.array([-d[1], d[0]])
        bl, bw = rng.uniform(0.3, 0.6) * W, rng.uniform(0.04, 0.08) * W
        blade = np.array([p, p + d * bl + q * bw * 0.2, p + d * bl * 0.8 + q * bw, p + q * bw]).astype(np.int32)
        steel = hsv_col(0, 0, rng.uniform(0.55, 0.9))
        cv2.fillPoly(img, [blade], steel.tolist())
        cv2.line(img, tuple(p.astype(int)), tuple((p + d * bl).astype(int)), (steel * 1.2).clip(0, 1).tolist(), 1)
        hd = np.array([p, p - d * bl * 0.6, p - d * bl * 0.6 + q * bw, p + q * bw]).astype(np.int32)
        cv2.fillPoly(img, [hd], hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.8), rng.uniform(0.05, 0.6)).tolist())
    elif k == 1:  # cloth corner
        pts = np.array([[rng.uniform(0, W), rng.uniform(0, H)] for _ in range(4)]).astype(np.int32)
        col = hsv_col(rng.uniform(0, 180), rng.uniform(0, 0.7), rng.uniform(0.3, 0.95))
        cv2.fillPoly(img, [cv2.convexHull(pts)], col.tolist())
    elif k == 2:  # loose leaf
        col = np.zeros((H, W, 3), np.float32)
        m8 = np.zeros((H, W), np.uint8)
        draw_leaf(rng, col, m8, (rng.uniform(0, W), rng.uniform(0, H)), rng.uniform(0.1, 0.3) * W, lt)
        mm = m8 > 0
        img[mm] = col[mm]
    else:  # price tag / label
        x, y = rng.uniform(0, W * 0.8), rng.uniform(0, H * 0.8)
        w, h = rng.uniform(0.1, 0.3) * W, rng.uniform(0.06, 0.15) * H
        cv2.rectangle(img, (int(x), int(y)), (int(x + w), int(y + h)),
                      hsv_col(rng.choice([0, 30, 60]), rng.uniform(0, 0.8), rng.uniform(0.8, 1)).tolist(), -1)
        for j in range(rng.integers(1, 3)):
            yy = int(y + h * (j + 1) / 3)
            cv2.line(img, (int(x + 2), yy), (int(x + w * rng.uniform(0.3, 0.9)), yy), (0.1, 0.1, 0.1), 1)


def overlay_net(rng, img, H, W):
    col = hsv_col(rng.choice([0, 10, 25, 60, 0]), rng.uniform(0.6, 1.0), rng.uniform(0.5, 0.95))
    if rng.random() < 0.2:
        col = hsv_col(0, 0, 0.9)
    p = rng.uniform(6, 16)
    a = rng.uniform(0.4, 1.2)
    th = 1
    warp = fbm(rng, H, W, 40, 2) * rng.uniform(3, 12)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    u = (xx * np.cos(a) + yy * np.sin(a) + warp) % p
    v = (xx * np.cos(-a) + yy * np.sin(-a) + warp) % p
    line = ((u < th * 1.6) | (v < th * 1.6)).astype(np.float32)
    return blend(img, col, line * rng.uniform(0.8, 1.0))


def overlay_plastic(rng, img, H, W):
    # clamshell / cling film: haze, specular streaks, ridges
    out = img * rng.uniform(0.85, 0.97) + rng.uniform(0.03, 0.12)
    streak = np.zeros((H, W), np.float32)
    for _ in range(rng.integers(1, 5)):
        p0 = (int(rng.uniform(0, W)), int(rng.uniform(0, H)))
        p1 = (int(rng.uniform(0, W)), int(rng.uniform(0, H)))
        cv2.line(streak, p0, p1, float(rng.uniform(0.2, 0.7)), int(rng.uniform(1, 6)))
    streak = cv2.GaussianBlur(streak, (0, 0), rng.uniform(1, 4))
    if rng.random() < 0.5:  # clamshell rim
        m = int(rng.uniform(2, 10))
        cv2.rectangle(out, (m, m), (W - m, H - m), (0.95, 0.95, 0.95), int(rng.uniform(1, 3)))
    return out + streak[..., None]


# ----------------------------------------------------------------------------------------------- scene
def layout(rng, fruit, H, W, region, mode):
    """Returns a list of (cx, cy, size R) for the fruit, in draw order (back to front)."""
    D = min(H, W)
    out = []
    if fruit == "banana":
        if mode == "single" or mode == "closeup":
            R = D * (rng.uniform(0.3, 0.5) if mode == "single" else rng.uniform(0.5, 0.9))
            out.append((W / 2 + rng.normal(0, W * 0.1), H / 2 + rng.normal(0, H * 0.1), R))
        else:
            n = rng.integers(2, 6) if mode == "few" else rng.integers(3, 9)
            R = D * rng.uniform(0.22, 0.45)
            cx, cy = region[0] + rng.normal(0, W * 0.08), region[1] + rng.normal(0, H * 0.08)
            for i in range(n):
                out.append((cx + rng.normal(0, W * 0.12), cy + rng.normal(0, H * 0.12), R * rng.uniform(0.85, 1.1)))
        return mode, out
    if fruit == "strawberry":
        scale = 0.55
    elif fruit == "orange":
        scale = 0.9
    else:
        scale = 0.85
    if mode == "single":
        R = D * rng.uniform(0.2, 0.38) * (scale / 0.85) ** 0.3
        out.append((region[0] + rng.normal(0, region[2] * 0.3), region[1] + rng.normal(0, region[3] * 0.3), R))
    elif mode == "closeup":
        R = D * rng.uniform(0.38, 0.75)
        out.append((W / 2 + rng.normal(0, W * 0.15), H / 2 + rng.normal(0, H * 0.15), R))
    elif mode == "few":
        n = rng.integers(2, 5)
        Rb = D * rng.uniform(0.12, 0.24)
        for i in range(n):
            out.append((region[0] + rng.uniform(-1, 1) * region[2] * 1.1, region[1] + rng.uniform(-1, 1) * region[3] * 1.1,
                        Rb * rng.uniform(0.8, 1.2)))
    else:
        Rb = D * rng.uniform(0.11, 0.2) * (1.0 if fruit != "strawberry" else 1.1)
        step = Rb * rng.uniform(1.4, 2.0)
        ys = np.arange(-Rb, H + Rb, step * 0.85)
        for j, y in enumerate(ys):
            for x in np.arange(-Rb + (j % 2) * step / 2, W + Rb, step):
                if rng.random() < 0.92:
                    out.append((x + rng.normal(0, Rb * 0.2), y + rng.normal(0, Rb * 0.2), Rb * rng.uniform(0.85, 1.15)))
        out.sort(key=lambda o: o[1] + rng.normal(0, Rb * 0.5))
    return mode, out


def render_photo(rng, fruit, rotten, W, H):
    mode = str(rng.choice(["single", "closeup", "few", "pile"], p=[0.3, 0.15, 0.3, 0.25]))
    # supersample some single-fruit shots (smoother edges, finer texture); the rest is drawn at output size
    ss = 2 if max(W, H) <= 256 and mode == "single" and rng.random() < 0.35 else 1
    IW, IH = W * ss, H * ss
    lt = make_light(rng)
    img, place, region = make_place(rng, IH, IW, fruit)
    img = img * lt["bgmul"]
    if rng.random() < 0.2:  # cloth / knife / leaf / tag under or beside the fruit
        draw_object(rng, img, IH, IW, lt)
    mode, items = layout(rng, fruit, IH, IW, region, mode)
    var = {"apple": rng.choice(["red", "green", "yellow", "bicolor"], p=[0.35, 0.2, 0.15, 0.3]),
           "orange": rng.choice(["navel", "mandarin", "valencia"]),
           "strawberry": rng.choice(["conic", "wedge", "round"]),
           "banana": "cav"}[fruit]
    states = []
    for i in range(len(items)):
        states.append(fresh_state(rng, fruit))
    if rotten:
        cand = [i for i, (x, y, R) in enumerate(items) if 0.1 * IW < x < 0.9 * IW and 0.1 * IH < y < 0.9 * IH]
        if not cand:
            cand = [int(np.argmin([(x - IW / 2) ** 2 + (y - IH / 2) ** 2 for x, y, R in items]))]
        if len(items) == 1 or rng.random() < 0.4:
            bad = [int(rng.choice(cand))]
            if len(items) > 1 and rng.random() < 0.7 and fruit != "banana":  # bring it to the front
                it = items.pop(bad[0])
                items.append(it)
                bad = [len(items) - 1]
            elif fruit == "banana" and len(items) > 1:
                bad = [len(items) - 1]
        else:
            pbad = rng.uniform(0.3, 1.0)
            bad = [i for i in range(len(items)) if rng.random() < pbad]
            if not bad or bad[-1] != len(items) - 1 and fruit == "banana":
                bad.append(len(items) - 1 if fruit == "banana" else int(rng.choice(cand)))
        bad = sorted(set(bad))
        if len(bad) > 4:  # a handful of bad fruit at most (keep the front one)
            keep = list(rng.choice(bad[:-1], size=3, replace=False)) + [bad[-1]]
            bad = sorted(int(b) for b in keep)
        for i in bad:
            states[i] = rot_state(rng, fruit)
            x, y, R = items[i]
            items[i] = (float(np.clip(x, 0.15 * IW, 0.85 * IW)), float(np.clip(y, 0.15 * IH, 0.85 * IH)), R)
    # bananas in a hand share curvature and fan direction
    fan = rng.uniform(0, 2 * np.pi)
    curv = rng.uniform(0.1, 0.3) * (1 if rng.random() < 0.5 else -1)
    ripe = rng.uniform(0, 1)
    L = lt["L"]
    sdir = -np.array([L[0], L[1]]) / max(L[2], 0.25)
    cache = []
    for i, (cx, cy, R) in enumerate(items):
        st = states[i]
        st["pos"] = (cx, cy, IW, IH)
        if mode == "pile" and not st["rotten"] and len(cache) >= 6 and fruit != "banana":
            col, m8 = cache[int(rng.integers(0, len(cache)))]
            col = col * rng.uniform(0.85, 1.1, 3).astype(np.float32)
        elif fruit == "banana":
            st.setdefault("ripe", ripe)
            if not st["rotten"]:
                st["ripe"] = float(np.clip(ripe + rng.normal(0, 0.05), 0, 1))
            ang = fan + rng.normal(0, 0.25) if len(items) > 1 else None
            col, m8 = render_banana(rng, R, st, lt, var, angle=ang, curv=curv if len(items) > 1 else None)
        else:
            col, m8 = RENDER[fruit](rng, R, st, lt, var)
            if mode == "pile" and not st["rotten"]:
                cache.append((col, m8))
        S = m8.shape[0]
        x0, y0 = int(cx - S / 2), int(cy - S / 2)
        # clip to canvas
        ax0, ay0 = max(x0, 0), max(y0, 0)
        ax1, ay1 = min(x0 + S, IW), min(y0 + S, IH)
        if ax1 <= ax0 or ay1 <= ay0:
            continue
        a = m8[ay0 - y0:ay1 - y0, ax0 - x0:ax1 - x0].astype(np.float32) / 255
        c = col[ay0 - y0:ay1 - y0, ax0 - x0:ax1 - x0]
        # shadow (cast, offset along the light, soft) computed on a padded patch
        sig = max(1.0, R * lt["soft"] * 2 + 1.0)
        pad = int(3 * sig) + 2
        sp = cv2.copyMakeBorder(m8, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0).astype(np.float32) / 255
        sp = cv2.GaussianBlur(sp, (0, 0), sig) * lt["shadow"]
        off = (sdir * R * 0.35).astype(int)
        sx0, sy0 = x0 - pad + off[0], y0 - pad + off[1]
        P = sp.shape[0]
        bx0, by0, bx1, by1 = max(sx0, 0), max(sy0, 0), min(sx0 + P, IW), min(sy0 + P, IH)
        if bx1 > bx0 and by1 > by0:
            img[by0:by1, bx0:bx1] *= (1 - sp[by0 - sy0:by1 - sy0, bx0 - sx0:bx1 - sx0])[..., None]
        if st.get("rotten") and "leak" in st["kinds"]:  # juice puddle under the fruit
            pm = np.zeros((IH, IW), np.uint8)
            cv2.ellipse(pm, (int(cx + rng.normal(0, R * 0.3)), int(cy + R * rng.uniform(0.3, 0.8))),
                        (int(R * rng.uniform(0.5, 1.1)), int(R * rng.uniform(0.2, 0.5))), rng.uniform(-30, 30), 0, 360,
                        255, -1)
            jc = (np.float32(JUICE[fruit]) * lt["gain"] * rng.uniform(0.4, 0.8)).tolist()
            mm = pm > 0
            img[mm] = img[mm] * 0.4 + np.float32(jc) * 0.6
        img[ay0:ay1, ax0:ax1] = blend(img[ay0:ay1, ax0:ax1], c, a)
    if rng.random() < 0.1:  # knife, leaf or tag on top
        draw_object(rng, img, IH, IW, lt, top=True)
    if "+punnet" in place and rng.random() < 0.5 or rng.random() < 0.07:
        img = overlay_plastic(rng, img, IH, IW)
    if fruit in ("orange", "apple") and rng.random() < 0.15 or rng.random() < 0.03:
        img = overlay_net(rng, img, IH, IW)
    rmin = min(R for _, _, R in items) if items else IW
    img = camera(rng, img, lt, IW, IH, max(1.0, rmin * 0.06) if rotten else 4.0)
    img = cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA) if ss != 1 else img
    return img, dict(place=place, light=lt["kind"], mode=mode, n=len(items))


def camera(rng, img, lt, W, H, blur_max=4.0):
    img = img * lt["cast"][None, None] * lt["gain"]
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if lt["kind"] == "flash" or rng.random() < 0.4:  # vignette / flash falloff
        cx, cy = W / 2 + rng.normal(0, W * 0.1), H / 2 + rng.normal(0, H * 0.1)
        r2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (0.5 * (W * W + H * H) / 2)
        k = rng.uniform(0.6, 1.2) if lt["kind"] == "flash" else rng.uniform(0.1, 0.5)
        img = img * np.clip(1 - k * r2, 0.05, 1)[..., None]
    if lt["kind"] in ("direct", "diffuse", "shade") and rng.random() < 0.3:  # light gradient
        g = np.linspace(rng.uniform(0.6, 1.0), rng.uniform(0.9, 1.2), W, dtype=np.float32)[None]
        if rng.random() < 0.5:
            img = img * g[..., None]
        else:
            img = img * cv2.resize(g, (W, H))[::-1].T[..., None] if W == H else img * g[..., None]
    r = rng.random()
    if r < 0.15:  # defocus
        s = min(rng.uniform(0.8, 3.5), blur_max)
        img = cv2.GaussianBlur(img, (0, 0), s)
    elif r < 0.27:  # motion blur (belt / hand shake)
        L = int(min(rng.uniform(3, 12), 3 * blur_max))
        k = np.zeros((L, L), np.float32)
        a = rng.uniform(0, np.pi)
        c = (L - 1) / 2
        cv2.line(k, (int(c - np.cos(a) * c), int(c - np.sin(a) * c)), (int(c + np.cos(a) * c), int(c + np.sin(a) * c)), 1, 1)
        k /= k.sum()
        img = cv2.filter2D(img, -1, k)
    noise = lt["noise"] + (rng.uniform(0, 0.03) if rng.random() < 0.3 else 0)
    if noise > 0:
        n = rng.normal(0, noise, (H // 2, W // 2, 3)).astype(np.float32)
        n = cv2.resize(n, (W, H), interpolation=cv2.INTER_NEAREST)
        img = img + n * (0.5 + np.sqrt(np.clip(img, 0, 1)))
    if lt["kind"] == "low":
        img = img * rng.uniform(1.3, 2.2)  # auto gain lifts the noise too
    g = rng.uniform(0.85, 1.2)
    img = np.clip(img, 0, 1) ** g
    return img


def generate(out: pathlib.Path, count: int, seed: int, size=(128, 128)) -> None:
    cv2.setNumThreads(1)
    out = pathlib.Path(out)
    W, H = int(size[0]), int(size[1])
    per = [count // 8 + (1 if k < count % 8 else 0) for k in range(8)]
    for k, name in enumerate(FOLDERS):
        (out / name).mkdir(parents=True, exist_ok=True)
        fresh = name.startswith("fresh")
        fruit = name[5:] if fresh else name[6:]
        for i in range(per[k]):
            rng = np.random.default_rng([seed, k, i])
            img, _ = render_photo(rng, fruit, not fresh, W, H)
            q = int(rng.uniform(35, 96))
            u8 = np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8)
            ok, buf = cv2.imencode(".jpg", u8, [cv2.IMWRITE_JPEG_QUALITY, q])
            if rng.random() < 0.1:  # re-saved photo
                u8 = cv2.imdecode(buf, cv2.IMREAD_COLOR)
                ok, buf = cv2.imencode(".jpg", u8, [cv2.IMWRITE_JPEG_QUALITY, int(rng.uniform(50, 95))])  # type: ignore[arg-type]
            (out / name / f"{name}_{seed}_{i:05d}.jpg").write_bytes(buf.tobytes())


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=80)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--size", default="128x128")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.lower().split("x"))
    generate(pathlib.Path(a.out), a.count, a.seed, (w, h))
