"""The sorting line: frames in; items tracked, classified, decided, ejected on time, and audited.

    sorter = Sorter(model, line, actuator, audit=AuditLog("audit.jsonl"), clock=SimClock())
    for frame in source:
        sorter.process(frame.image, t, truth)
    summary = sorter.finish()

An item's reference time is when its centre crossed the camera line (fitted over the frames it was seen
whole); its command is due `travel time` later. Live sources run on the wall clock (`Frame.t0`) with a
timer thread; simulated and recorded sources on a simulated clock (t = index / fps), exact and repeatable.
With `detection.method: trigger` a photo-eye finds the items instead (trigger_tracker.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

import numpy as np
from foodcam.camera.actuators import Actuator
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.decide import Votes, check_task, decide
from foodcam.camera.sorting.line import LineConfig
from foodcam.camera.sorting.scheduler import Outcome, Scheduler, SimClock, WallClock
from foodcam.camera.sorting.tracker import Track, Tracker
from foodcam.camera.sorting.trigger_tracker import TriggerTrack, TriggerTracker
from foodcam.runtime.backends import is_dynamic
from foodcam.runtime.model import Model

log = logging.getLogger("foodcam.sorting")

CROP_PAD = 0.2  # context around an item's box, as a fraction of its size (the item fills ~70% of the crop)


def crop(image: np.ndarray, box: tuple[int, int, int, int], pad: float = CROP_PAD) -> np.ndarray:
    """A square crop centred on the box, `pad` larger on every side, clipped to the frame."""
    x0, y0, x1, y1 = box
    side = max(x1 - x0, y1 - y0) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    h, w = image.shape[:2]
    a0, b0 = int(max(0, round(cx - side / 2))), int(max(0, round(cy - side / 2)))
    a1, b1 = int(min(w, round(cx + side / 2))), int(min(h, round(cy + side / 2)))
    return image[b0:b1, a0:a1]


class Sorter:
    def __init__(self, model: Model, line: LineConfig, actuator: Actuator, audit: AuditLog | None = None,
                 clock: WallClock | SimClock | None = None, sim_latency: float | None = None) -> None:
        check_task(model.task, model.path)
        self.model, self.line, self.actuator = model, line, actuator
        self.audit = audit or AuditLog(None)
        self.clock = clock or WallClock()
        self.sim_latency = sim_latency  # simulated clock: fixed processing latency (None: measured)
        self.scheduler = Scheduler(actuator, self.clock, line.tolerance_s)
        self.tracker: Tracker | TriggerTracker | None = None
        self.counts: Counter = Counter()
        self.records: dict[int, dict] = {}  # item id -> its audit record once final
        self.frames = 0
        self.t_last: float | None = None
        self.truth_items: dict[int, object] = {}  # ground truth seen so far (synthetic sources)
        self.truth_t_last: float | None = None
        self._lock = threading.Lock()
        self._batch = is_dynamic(model.input_spec.shape[0])
        self._warned_late = False

    # --- per frame ------------------------------------------------------------------------------------
    def process(self, image: np.ndarray, t: float, truth: list | None = None,
                truth_t: float | None = None) -> list[Track]:
        """One frame taken at `t` (the clock's time base); returns the tracks seen or coasting.

        `truth`: the items in view, from a simulated source, whose own time for this frame is `truth_t`
        (default `t`; they differ when a simulation is paced on the wall clock)."""
        sim = not self.clock.realtime
        if sim:
            self.scheduler.advance_to(t)
        start = time.perf_counter()
        if self.tracker is None:
            trigger = self.line.detection_method == "trigger"
            self.tracker = (TriggerTracker(self.line, image.shape[:2], self.clock.realtime) if trigger
                            else Tracker(self.line, image.shape[:2]))
            self.camera_x_frame = self.tracker.view.along(self.tracker.camera_x)
        if truth is not None and isinstance(self.tracker, TriggerTracker):
            self.tracker.feed_truth(truth, t, truth_t)
        active, ended = self.tracker.update(image, t)
        seen = [tr for tr in active if tr.blob is not None]
        for tr in seen:
            tr.data.setdefault("votes", Votes())
            tr.data.setdefault("truth", Counter())
        whole = [tr for tr in seen if not tr.blob.partial]
        for tr, result in zip(whole, self._classify([self._crop(image, tr) for tr in whole])):
            tr.data["votes"].add(result, t)
        if truth is not None:
            self.truth_t_last = t if truth_t is None else truth_t
            self._match_truth(seen, truth)
        self.frames += 1
        self.t_last = t
        if sim:
            latency = self.sim_latency if self.sim_latency is not None else time.perf_counter() - start
            self.scheduler.advance_to(t + latency)
        latency = self.clock.now() - t
        if self.line.decide_at == "line":
            for tr in active:
                if not tr.decided and tr.crossed(self.tracker.camera_x):
                    self._decide(tr, latency)
        for tr in ended:
            self._end(tr, latency)
        return active

    def finish(self) -> dict:
        """The stream is over: decide the items that crossed the camera line, fire what is due, summarise."""
        if self.tracker is not None:
            latency = self.clock.now() - (self.t_last or 0.0)
            for tr in self.tracker.flush():
                self._end(tr, latency, final=True)
        self.scheduler.close(drain=True)
        return self.summary()

    def _crop(self, image: np.ndarray, tr: Track) -> np.ndarray:
        if isinstance(self.tracker, TriggerTracker):  # a fixed window: exactly the roi
            x0, y0, x1, y1 = tr.blob.frame_box
            return image[y0:y1, x0:x1]
        return crop(image, tr.blob.frame_box)

    # --- decisions ------------------------------------------------------------------------------------
    def _classify(self, crops: list[np.ndarray]) -> list:
        if not crops:
            return []
        if self._batch and len(crops) > 1:
            batch = np.concatenate([self.model.preprocess(c) for c in crops])
            out = self.model.infer(batch)
            return [self.model.postprocess(out, c.shape[:2], i) for i, c in enumerate(crops)]
        return [self.model.predict(c) for c in crops]

    def _end(self, tr: Track, latency: float, final: bool = False) -> None:
        if tr.decided:
            return
        if tr.crossed(self.tracker.camera_x):
            self._decide(tr, latency)
        elif tr.frames >= self.line.min_frames or (final and tr.data.get("votes") and tr.data["votes"].count):
            # seen, but never whole past the camera line: no reference time to eject it by
            tr.decided = True
            why = "still short of the camera line when the stream ended" if final else "lost before the camera line"
            self._final(tr, self._record(tr, None, None), "incomplete" if final else "lost", why)
        else:
            log.debug("track %d: %d frame(s) before vanishing: noise, not an item", tr.id, tr.frames)

    def _decide(self, tr: Track, latency: float) -> None:
        tr.decided = True
        votes = tr.data.get("votes") or Votes()
        if isinstance(tr, TriggerTrack) and tr.vote_span is not None:  # the frames with the item centred
            central = votes.between(*tr.vote_span)
            votes = central if central.count else votes
        line = self.line
        d = decide(votes, self.model.task, line.reject_threshold, line.low_conf_band, line.low_conf_action,
                   line.min_frames)
        t_ref = tr.cross_time(self.tracker.camera_x, speed=line.speed_px_s)
        speed = line.speed_px_s or tr.speed or self.tracker.speed
        fire_at = t_ref + line.travel_time(speed) if t_ref is not None else None
        rec = self._record(tr, d, fire_at)
        rec.update(t_ref=t_ref, speed_px_s=speed, latency_s=latency)
        if d.action == "pass":
            self._final(tr, rec, "passed", None)
            return
        if fire_at is None:
            self._final(tr, rec, "missed", "no reference time (speed unknown)")
            return
        now = self.clock.now()
        if fire_at < now - line.tolerance_s and not self._warned_late:
            self._warned_late = True
            log.warning("item %d was decided %.2f s after it was due at the ejector: the travel time (%.2f s) is "
                        "shorter than the time from the camera line to the decision; use decision.decide_at: "
                        "line, move camera_line upstream, or check ejector settings", tr.id, now - fire_at,
                        fire_at - t_ref)
        self.scheduler.submit(tr.id, d.action, fire_at, on_done=lambda o, tr=tr, rec=rec: self._fired(tr, rec, o))

    def _fired(self, tr: Track, rec: dict, out: Outcome) -> None:
        rec["actual_at"] = out.actual_at
        self._final(tr, rec, out.outcome, out.error)

    def _record(self, tr: Track, d, fire_at: float | None) -> dict:
        votes = tr.data.get("votes") or Votes()
        rec = {
            "line": self.line.name, "id": tr.id, "first_seen": tr.first_seen, "last_seen": tr.last_seen,
            "frames": tr.frames, "votes": [round(p, 4) for p in votes.series(self.model.task)],
            "mean_probs": d.mean_probs if d else {}, "fruit": d.fruit if d else None,
            "p_rotten": d.p_rotten if d else None, "decision": d.action if d else None,
            "low_confidence": d.low_confidence if d else None, "reason": d.reason if d else None,
            "scheduled_at": fire_at, "actual_at": None,
        }
        if "trigger" in tr.data:  # photo-eye times (the dict is completed when the beam clears)
            rec["trigger"] = tr.data["trigger"]
        if tr.data.get("truth"):
            item = self.truth_items[tr.data["truth"].most_common(1)[0][0]]
            rec["truth"] = {"id": item.id, "fruit": item.fruit, "rotten": item.rotten}
            if fire_at is not None and not self.clock.realtime:  # truth times are simulated times
                t_truth = item.time_at_x(self.camera_x_frame) + self.line.travel_time(item.speed)
                rec["truth"]["fire_at"] = t_truth
                rec["timing_error_s"] = fire_at - t_truth
        return rec

    def _final(self, tr: Track, rec: dict, outcome: str, error: str | None) -> None:
        rec["outcome"] = outcome
        if error:
            rec["error"] = error
        with self._lock:
            self.records[tr.id] = rec
            self.counts[outcome] += 1
            if rec.get("decision"):
                self.counts[rec["decision"]] += 1
        self.audit.write(rec)

    def _match_truth(self, seen: list[Track], truth: list) -> None:
        for item in truth:
            self.truth_items[item.id] = item.item if hasattr(item, "item") else item
        for tr in seen:
            x0, y0, x1, y1 = tr.blob.frame_box
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            for item in truth:
                a0, b0, a1, b1 = item.bbox
                if a0 <= cx < a1 and b0 <= cy < b1:
                    tr.data["truth"][item.id] += 1
                    break

    # --- summary --------------------------------------------------------------------------------------
    def summary(self) -> dict:
        with self._lock:
            recs = list(self.records.values())
        decided = [r for r in recs if r.get("decision")]
        s = {
            "frames": self.frames,
            "items": len(decided),
            "rejected": sum(r["decision"] == "reject" for r in decided),
            "diverted": sum(r["decision"] == "divert" for r in decided),
            "passed": sum(r["decision"] == "pass" for r in decided),
            "fired": sum(r["outcome"] == "fired" for r in recs),
            "missed": sum(r["outcome"] == "missed" for r in recs),
            "lost": sum(r["outcome"] == "lost" for r in recs),
            "incomplete": sum(r["outcome"] == "incomplete" for r in recs),
            "low_confidence": sum(bool(r.get("low_confidence")) for r in decided),
        }
        if isinstance(self.tracker, TriggerTracker):
            s.update(self.tracker.stats())
        if self.truth_items and self.truth_t_last is not None:
            s["truth"] = self._truth_summary(decided)
        return s

    def _truth_summary(self, decided: list[dict]) -> dict:
        """Against ground truth: every item whose centre crossed the camera line must be decided once."""
        t_end = self.truth_t_last
        expected = {i for i, it in self.truth_items.items() if it.time_at_x(self.camera_x_frame) <= t_end}
        matched = Counter(r["truth"]["id"] for r in decided if "truth" in r)
        right = [r for r in decided if "truth" in r and (r["decision"] != "pass") == r["truth"]["rotten"]]
        fruit_right = [r for r in decided if "truth" in r and r["fruit"] == r["truth"]["fruit"]]
        errors = [abs(r["timing_error_s"]) for r in decided if r.get("timing_error_s") is not None]
        return {
            "expected": len(expected),
            "counted_once": sum(matched[i] == 1 for i in expected),
            "not_counted": sorted(i for i in expected if matched[i] == 0),
            "counted_twice": sorted(i for i, n in matched.items() if n > 1),
            "false_items": sum(1 for r in decided if "truth" not in r),
            "accuracy": len(right) / len(decided) if decided else float("nan"),
            "fruit_accuracy": len(fruit_right) / len(decided) if decided else float("nan"),
            "max_timing_error_s": max(errors) if errors else None,
        }


# --- the loop -------------------------------------------------------------------------------------------
def open_line_source(uri: str, realtime: bool = False):
    """Live cameras as they are; synthetic scenes, videos and image folders frame by frame (every frame,
    simulated time) unless `realtime`, which paces them on the wall clock like a camera."""
    from foodcam.camera.sources import FileSource, make_grabber, open_source, parse_uri

    spec = parse_uri(uri)
    if spec.kind == "synth" and not realtime:
        return FileSource(make_grabber(spec))
    return open_source(uri, realtime=realtime)


def run_line(model: Model, source, line: LineConfig, actuator: Actuator, audit: AuditLog | None = None,
             max_frames: int | None = None, max_seconds: float | None = None, fps: float | None = None,
             sim_latency: float | None = None, progress: bool = True) -> dict:
    """Sort every frame of `source` until it ends or a limit is reached; the summary dict.

    `max_seconds` counts the source's own time: simulated seconds for synthetic and recorded sources,
    wall-clock seconds for live ones.
    """
    from tqdm import tqdm

    live = bool(getattr(source, "live", False))
    clock = WallClock() if live else SimClock()
    rate = fps or source.fps or 30.0
    sorter = Sorter(model, line, actuator, audit, clock, sim_latency=sim_latency)
    bar = tqdm(total=max_frames, unit="frame", disable=not progress or None, desc="sorting", leave=False)
    t_first = None
    try:
        for frame in source:
            t = frame.t0 if live else frame.index / rate
            t_first = t if t_first is None else t_first
            truth = frame.truth if isinstance(frame.truth, list) else None
            sorter.process(frame.image, t, truth, truth_t=frame.index / rate)
            bar.update(1)
            if (max_frames and sorter.frames >= max_frames) or (max_seconds and t - t_first >= max_seconds):
                break
    finally:
        bar.close()
        summary = sorter.finish()
    summary["clock"] = "wall" if live else "simulated"
    summary["actuator"] = {"type": actuator.kind, "connected": actuator.connected, "sent": actuator.sent,
                           "reconnects": actuator.reconnects}
    return summary


def format_summary(s: dict) -> str:
    lines = [
        f"frames {s['frames']} ({s.get('clock', '?')} clock), items {s['items']}: rejected {s['rejected']}, "
        f"diverted {s['diverted']}, passed {s['passed']} (low confidence {s['low_confidence']})",
        f"commands: fired {s['fired']}, missed {s['missed']}; not decided: lost {s['lost']}, "
        f"still in view at the end {s['incomplete']}",
    ]
    if "trigger_events" in s:
        lines.append(f"trigger: {s['trigger_events']} event(s); ignored: {s['trigger_glitches']} glitch(es), "
                     f"{s['trigger_repeated']} repeated state(s), {s['trigger_malformed']} malformed")
    if "actuator" in s:
        a = s["actuator"]
        lines.append(f"actuator {a['type']}: sent {a['sent']}, reconnects {a['reconnects']}, "
                     f"{'connected' if a['connected'] else 'NOT connected'}")
    t = s.get("truth")
    if t:
        err = t["max_timing_error_s"]
        lines.append(
            f"vs ground truth: {t['counted_once']}/{t['expected']} items counted once, accuracy "
            f"{t['accuracy']:.3f} (fruit {t['fruit_accuracy']:.3f}), "
            f"max timing error {'-' if err is None else f'{1000 * err:.1f} ms'}"
            + (f"; not counted {t['not_counted']}" if t["not_counted"] else "")
            + (f"; counted twice {t['counted_twice']}" if t["counted_twice"] else "")
            + (f"; {t['false_items']} false item(s)" if t["false_items"] else "")
        )
    return "\n".join(lines)
