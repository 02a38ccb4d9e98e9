"""The kitchen scene: a camera over a cooking pan, food inside, a stirrer moving through it.

One renderer feeds both the training sets (`KitchenScene.render`: every index a new scene) and the live
`synth://kitchen` source (`KitchenFeed`: episodes of a few hundred temporally coherent frames).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from foodcam.scenes.episode import Episode, Pose
from foodcam.scenes.styles import parse_styles


class KitchenScene:
    """Independent training frames: every index is a new pan, dish, stirrer, light and camera.

    `styles` (names from scenes.styles) are taken in turn: frame i is drawn in styles[i % len(styles)]."""

    def __init__(self, size: tuple[int, int] = (320, 240), seed: int = 0,
                 styles: str | tuple[str, ...] | None = None) -> None:
        self.size = (int(size[0]), int(size[1]))
        self.seed = int(seed)
        self.styles = parse_styles(styles)

    def style_of(self, index: int) -> str:
        return self.styles[int(index) % len(self.styles)]

    def episode(self, index: int) -> Episode:
        return Episode(np.random.default_rng([self.seed, int(index), 1]), self.size, style=self.style_of(index))

    def render(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """(BGR uint8 (H, W, 3), class mask uint8 (H, W)); the same for the same (seed, index)."""
        frame, mask, _ = self.render_with_dish(index)
        return frame, mask

    def render_with_dish(self, index: int) -> tuple[np.ndarray, np.ndarray, str]:
        """Like `render`, also naming the dish in the pan."""
        rng = np.random.default_rng([self.seed, int(index), 2])
        ep = self.episode(index)
        style = ep.style
        tip, toward = None, 0.0
        if rng.random() < style.stirrer_p:  # the stirrer is absent in some frames
            tip = np.array(ep.floor_point(np.sqrt(rng.uniform(0, 0.8)), rng.uniform(0, 2 * np.pi)))
            if rng.random() < 0.1:  # on its way in or out
                tip = tip + rng.uniform(0.2, 0.55) * (np.asarray(ep.exit_point()) - tip)
            ex, ey = ep.exit_point()
            toward = float(np.arctan2(ey - tip[1], ex - tip[0]) + rng.normal(0, 0.15))
        pose = Pose(shift=(0, 0), gain=1.0, tip=None if tip is None else (float(tip[0]), float(tip[1])),
                    toward=toward, coverage=float(np.clip(ep.coverage + rng.normal(0, 0.1), 0.35, 1.2)),
                    swirl=float(rng.uniform(0, 2 * np.pi)), noise_at=(int(rng.integers(16)), int(rng.integers(16))))
        quality = int(rng.integers(*style.jpeg)) if rng.random() < style.jpeg_p else None
        frame, mask = ep.compose(pose, jpeg_quality=quality)
        return frame, mask, ep.dish



def _smooth(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


class KitchenFeed:
    """A live, temporally coherent kitchen sequence (the `synth://kitchen` source).

    Episodes of a few hundred frames keep one pan and dish; the camera drifts slowly, the light flickers,
    the stirrer circles through the food, now and then leaves the frame for a while and comes back,
    and the food's outline slowly changes. `frame(i)` is deterministic for (seed, i); `next()` walks on.
    """

    EPISODE_FRAMES = (240, 480)
    PREFETCH_FRAMES = 60  # this many frames before an episode ends, the next one is built in a thread

    def __init__(self, size: tuple[int, int] = (320, 240), seed: int = 0, jpeg_quality: int | None = None,
                 prefetch: bool = True, styles: str | tuple[str, ...] | None = None) -> None:
        self.size = (int(size[0]), int(size[1]))
        self.seed = int(seed)
        self.styles = parse_styles(styles)  # episode e is drawn in styles[e % len(styles)]
        self.jpeg_quality = jpeg_quality
        self.prefetch = prefetch
        self.index = 0
        self._starts = [0]
        self._cached: tuple[int, Episode, dict] | None = None
        self._ahead: dict[int, Future] = {}
        self._pool: ThreadPoolExecutor | None = None

    def _length(self, e: int) -> int:
        return int(np.random.default_rng([self.seed, e, 3]).integers(*self.EPISODE_FRAMES))

    def locate(self, i: int) -> tuple[int, int]:
        """(episode number, frame number inside it) of frame i."""
        while self._starts[-1] + self._length(len(self._starts) - 1) <= i:
            self._starts.append(self._starts[-1] + self._length(len(self._starts) - 1))
        e = int(np.searchsorted(self._starts, i, side="right")) - 1
        return e, i - self._starts[e]

    def _build(self, e: int) -> tuple[Episode, dict]:
        margin = int(6 * min(self.size) / 240) + 2
        ep = Episode(np.random.default_rng([self.seed, e, 1]), self.size, margin=margin,
                     style=self.styles[e % len(self.styles)])
        return ep, self._plan(np.random.default_rng([self.seed, e, 4]), self._length(e), margin)

    def _episode(self, e: int, t: int) -> tuple[Episode, dict]:
        if self._cached is None or self._cached[0] != e:
            fut = self._ahead.pop(e, None)
            self._cached = (e, *(fut.result() if fut is not None else self._build(e)))
            self._ahead.clear()
        if self.prefetch and t >= self._length(e) - self.PREFETCH_FRAMES and e + 1 not in self._ahead:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitchen-feed")
            self._ahead[e + 1] = self._pool.submit(self._build, e + 1)
        return self._cached[1], self._cached[2]

    @staticmethod
    def _plan(rng: np.random.Generator, length: int, margin: int) -> dict:
        """The slow motions of one episode, as parameters of smooth functions of the frame number."""
        absences = []
        for _ in range(int(rng.choice([0, 1, 1, 2]))):  # stretches with the stirrer out of the frame
            dur = int(rng.integers(30, 100))
            absences.append((int(rng.integers(0, max(1, length - dur))), dur))
        return {
            "omega": rng.choice([-1, 1]) * 2 * np.pi / rng.uniform(40, 90),
            "phase": rng.uniform(0, 2 * np.pi),
            "rho": (rng.uniform(0.25, 0.5), rng.uniform(0.05, 0.2), rng.uniform(100, 250)),
            "absences": absences,
            "ramp": int(rng.integers(10, 20)),
            "jitter": [(rng.uniform(0.3, 1.0) * margin / 2, rng.uniform(60, 200), rng.uniform(0, 6.3)) for _ in range(4)],
            "flicker": (rng.uniform(0.0, 0.04), rng.uniform(5, 40), rng.uniform(0.0, 0.02)),
            "coverage": (rng.uniform(0.03, 0.12), rng.uniform(150, 400), rng.uniform(0, 6.3)),
            "wobble": (rng.uniform(0.05, 0.2), rng.uniform(30, 80)),
            "margin": margin,
        }

    def pose(self, i: int) -> tuple[Episode, Pose]:
        """The episode and the pose of frame i."""
        e, t = self.locate(i)
        ep, p = self._episode(e, t)
        m = p["margin"]
        jx = sum(a * np.sin(2 * np.pi * t / per + ph) for a, per, ph in p["jitter"][:2])
        jy = sum(a * np.sin(2 * np.pi * t / per + ph) for a, per, ph in p["jitter"][2:])
        ox, oy = float(np.clip(m + jx, 0, 2 * m - 1)), float(np.clip(m + jy, 0, 2 * m - 1))
        fa, fper, fn = p["flicker"]
        gain = 1 + fa * np.sin(2 * np.pi * t / fper) + fn * np.sin(t * 2.7 + 1.3 * np.sin(t * 0.9))

        present = 1.0
        r = p["ramp"]
        for s, d in p["absences"]:
            if s <= t < s + d:
                present = min(present, 1 - min(_smooth((t - s) / r), _smooth((s + d - t) / r)))
        tip = None
        ca, cper, cph = p["coverage"]
        coverage = float(np.clip(ep.coverage + ca * np.sin(2 * np.pi * t / cper + cph), 0.35, 1.2))
        ang = p["phase"] + p["omega"] * t
        wa, wper = p["wobble"]
        ex, ey = ep.exit_point()
        rho0, rho_a, rho_per = p["rho"]
        sx, sy = ep.floor_point(rho0 + rho_a * np.sin(2 * np.pi * t / rho_per), ang)
        toward = float(np.arctan2(ey - sy, ex - sx) + wa * np.sin(2 * np.pi * t / wper))
        if present > 0.02:
            shift = (m - ox, m - oy)  # the scene moves against the camera
            tip = (ex + present * (sx - ex) + shift[0], ey + present * (sy - ey) + shift[1])
        pose = Pose(shift=(ox, oy), gain=float(gain), tip=tip, toward=toward, coverage=coverage,
                    swirl=0.3 * np.sin(ang) + 0.002 * p["omega"] * t * 20,
                    noise_at=((i * 7919) % 16, (i * 104729) % 16))
        return ep, pose

    def frame(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Frame i: (BGR uint8 (H, W, 3), class mask uint8 (H, W))."""
        ep, pose = self.pose(int(i))
        return ep.compose(pose, self.jpeg_quality)

    def next(self) -> tuple[np.ndarray, np.ndarray]:
        out = self.frame(self.index)
        self.index += 1
        return out

    def __iter__(self):
        return self

    def __next__(self) -> tuple[np.ndarray, np.ndarray]:
        return self.next()
