"""The sorting line's per-frame work: items tracked, classified, decided, ejected on time, and audited.

    sorter = Sorter(model, line, actuator, audit=AuditLog("audit.jsonl"), clock=SimClock())
    for frame in source:
        result = sorter.process(frame.image, t, truth)    # a LineResult snapshot for the outputs
    summary = sorter.finish()

An item's reference time is when its centre crossed the camera line (fitted over the frames it was seen
whole); its command is due `travel time` later. Live sources run on the wall clock (`Frame.t0`) with a
timer thread; simulated and recorded sources on a simulated clock (t = index / fps), exact and repeatable.
`stage.SortStage` puts this into the frame loop (camera/pipeline.py); ground truth is scored by score.py.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter

import numpy as np

from foodcam.camera.actuators import Actuator
from foodcam.camera.sorting.audit import AuditLog
from foodcam.camera.sorting.decide import FRESHNESS_HEAD, FRUIT_HEAD, ROTTEN, Decision, check_task, decide
from foodcam.camera.sorting.items import ItemTrack, ItemTracker
from foodcam.camera.sorting.line import LineConfig
from foodcam.camera.sorting.result import ItemView, LineGeometry, LineResult, Pending
from foodcam.camera.sorting.scheduler import Outcome, Scheduler, SimClock, WallClock
from foodcam.camera.sorting.watch import LineWatch
from foodcam.runtime.backends import is_dynamic
from foodcam.runtime.model import Model

log = logging.getLogger("foodcam.sorting")

OUTCOMES = ("fired", "missed", "passed", "lost", "incomplete")


def make_tracker(line: LineConfig, shape: tuple[int, int], realtime: bool) -> ItemTracker:
    """The tracker `detection.method` names: foreground against the belt, or a photo-eye."""
    if line.trigger is not None:
        from foodcam.camera.sorting.trigger_tracker import TriggerTracker

        return TriggerTracker(line, shape, realtime)
    from foodcam.camera.sorting.tracker import Tracker

    return Tracker(line, shape)


class Sorter:
    def __init__(self, model: Model, line: LineConfig, actuator: Actuator, audit: AuditLog | None = None,
                 clock: WallClock | SimClock | None = None, sim_latency: float | None = None) -> None:
        check_task(model.task, model.path)
        self.model, self.line, self.actuator = model, line, actuator
        self.audit = audit or AuditLog(None)
        self.clock = clock or WallClock()
        self.sim_latency = sim_latency  # simulated clock: fixed processing latency (None: measured)
        self.scheduler = Scheduler(actuator, self.clock, line.timing.tolerance_s)
        self.tracker: ItemTracker | None = None
        self.geometry: LineGeometry | None = None
        self.counts: Counter = Counter()
        # item id -> (action, fire_at) while its track is alive; finished items live on only as counts (and in the
        # audit log), so a line that runs for weeks holds no per-item state
        self.decided: dict[int, tuple[str, float | None]] = {}
        self.frames = 0
        self.t_last: float | None = None
        self._events: list[dict] = []  # final records not yet handed to the outputs
        self._lock = threading.Lock()
        self._batch = is_dynamic(model.input_spec.shape[0])
        self._rotten = model.task.head(FRESHNESS_HEAD).classes.index(ROTTEN)
        self._warned_late = False
        self.watch = LineWatch(line)  # warns when what is seen contradicts line.yaml
        self._seen_ids: set[int] = set()

    # --- per frame ------------------------------------------------------------------------------------
    def process(self, image: np.ndarray, t: float, truth: list | None = None,
                truth_t: float | None = None) -> LineResult:
        """One frame taken at `t` (the clock's time base); the line as of this frame.

        `truth`: the items in view, from a simulated source, whose own time for this frame is `truth_t`
        (default `t`); only simulated sensors use it (the synth photo-eye)."""
        sim = not self.clock.realtime
        if sim:
            self.scheduler.advance_to(t)
        start = time.perf_counter()
        if self.tracker is None:
            self._start(image.shape[:2])
        if truth is not None:
            self.tracker.feed_truth(truth, t, truth_t)
        known = self._seen_ids
        active, ended = self.tracker.update(image, t)
        self._seen_ids = {tr.id for tr in active}
        self.watch.frame(t, image, sum(tr.id not in known for tr in active + ended),
                         sum(tr.blob is not None for tr in active))
        whole = [tr for tr in active if tr.blob is not None and not tr.blob.partial]
        for tr, result in zip(whole, self._classify([tr.crop(image) for tr in whole])):
            tr.votes.add(result, t)
        self.frames += 1
        self.t_last = t
        if sim:
            latency = self.sim_latency if self.sim_latency is not None else time.perf_counter() - start
            self.scheduler.advance_to(t + latency)
        latency = self.clock.now() - t
        if self.line.decision.decide_at == "line":
            for tr in active:
                if not tr.decided and tr.crossed(self.tracker.camera_x):
                    self._decide(tr, latency)
        for tr in ended:
            self._end(tr, latency)
            with self._lock:
                self.decided.pop(tr.id, None)
        return self._snapshot(active, t, t if truth_t is None else truth_t)

    def finish(self) -> dict:
        """The stream is over: decide the items that crossed the camera line, fire what is due, summarise."""
        if self.tracker is not None:
            latency = self.clock.now() - (self.t_last or 0.0)
            for tr in self.tracker.flush():
                self._end(tr, latency, final=True)
        self.scheduler.close(drain=True)
        return self.summary()

    def note(self, record: dict) -> None:
        """A record of the line that is not an item (a model swapped in or refused): audit log + outputs."""
        if record.get("event") == "model_swapped":  # the new model may batch differently
            self._batch = is_dynamic(self.model.input_spec.shape[0])
        self.audit.write(record)
        with self._lock:
            self._events.append(record)

    def drain_events(self) -> list[dict]:
        """The item records that became final since the last call (for the outputs)."""
        with self._lock:
            out, self._events = self._events, []
        return out

    def _start(self, shape: tuple[int, int]) -> None:
        self.line.check_frame_size(shape)
        self.tracker = make_tracker(self.line, shape, self.clock.realtime)
        window = self.tracker.window
        self.geometry = LineGeometry(
            lane=self.line.lane_points, direction=self.line.direction,
            camera_line=self.line.camera_line if self.line.camera_line is not None else
            self._frame_coord(self.tracker.camera_x),
            window=window.frame_box if window is not None else None)

    def _frame_coord(self, x: float) -> float:
        px, py = self.tracker.view.frame_point(x)
        return px if px is not None else py

    def _snapshot(self, active: list[ItemTrack], t: float, truth_t: float) -> LineResult:
        items = []
        threshold = self.line.decision.reject_threshold
        for tr in active:
            action, fire_at = self.decided.get(tr.id, (None, None))
            fresh = tr.votes.mean(FRESHNESS_HEAD)
            fruit = tr.votes.mean(FRUIT_HEAD)
            p = None if fresh is None else float(fresh[self._rotten])
            items.append(ItemView(
                id=tr.id, box=tr.blob.frame_box if tr.blob is not None else None, anchor=tr.anchor,
                votes=tr.votes.count, p_rotten=p,
                fruit=None if fruit is None else self.model.task.head(FRUIT_HEAD).classes[int(np.argmax(fruit))],
                decision=action, fire_at=fire_at,
                leaning=None if p is None else "reject" if p >= threshold else "pass"))
        queue = tuple(Pending(i, a, f) for i, a, f in self.scheduler.queue())
        return LineResult(task=self.model.task, t=t, truth_t=truth_t, now=self.clock.now(),
                          realtime=self.clock.realtime, items=tuple(items), queue=queue, counts=self.counters(),
                          geometry=self.geometry)

    # --- decisions ------------------------------------------------------------------------------------
    def _classify(self, crops: list[np.ndarray]) -> list:
        if not crops:
            return []
        if self._batch and len(crops) > 1:
            batch = np.concatenate([self.model.preprocess(c) for c in crops])
            out = self.model.infer(batch)
            return [self.model.postprocess(out, c.shape[:2], i) for i, c in enumerate(crops)]
        return [self.model.predict(c) for c in crops]

    def _end(self, tr: ItemTrack, latency: float, final: bool = False) -> None:
        if tr.decided:
            return
        if tr.crossed(self.tracker.camera_x):
            self._decide(tr, latency)
        elif tr.frames >= self.line.decision.min_frames or (final and tr.votes.count):
            # seen, but never whole past the camera line: no reference time to eject it by
            tr.decided = True
            why = "still short of the camera line when the stream ended" if final else "lost before the camera line"
            self._final(tr, self._record(tr, None, None), "incomplete" if final else "lost", why)
        else:
            log.debug("track %d: %d frame(s) before vanishing: noise, not an item", tr.id, tr.frames)

    def _decide(self, tr: ItemTrack, latency: float) -> None:
        tr.decided = True
        votes = tr.votes
        if tr.vote_span is not None:  # only the frames with the item centred in the window
            central = votes.between(*tr.vote_span)
            votes = central if central.count else votes
        dec = self.line.decision
        d = decide(votes, self.model.task, dec.reject_threshold, dec.low_confidence.band, dec.low_confidence.action,
                   dec.min_frames, dec.unsure)
        t_ref = tr.cross_time(self.tracker.camera_x, speed=self.line.speed_px_s)
        speed = self.line.speed_px_s or tr.speed or self.tracker.speed
        fire_at = t_ref + self.line.travel_time(speed) if t_ref is not None else None
        rec = self._record(tr, d, fire_at)
        rec.update(t_ref=t_ref, speed_px_s=speed, latency_s=latency)
        with self._lock:
            self.decided[tr.id] = (d.action, fire_at)
        if d.action == "pass":
            self._final(tr, rec, "passed", None)
            return
        if fire_at is None:
            self._final(tr, rec, "missed", "no reference time (speed unknown)")
            return
        now = self.clock.now()
        if fire_at < now - self.line.timing.tolerance_s and not self._warned_late:
            self._warned_late = True
            log.warning("item %d was decided %.2f s after it was due at the ejector: the travel time (%.2f s) is "
                        "shorter than the time from the camera line to the decision; use decision.decide_at: "
                        "line, move camera_line upstream, or check ejector settings", tr.id, now - fire_at,
                        fire_at - t_ref)
        self.scheduler.submit(tr.id, d.action, fire_at, on_done=lambda o, tr=tr, rec=rec: self._fired(tr, rec, o))

    def _fired(self, tr: ItemTrack, rec: dict, out: Outcome) -> None:
        rec["actual_at"] = out.actual_at
        self._final(tr, rec, out.outcome, out.error)

    def _record(self, tr: ItemTrack, d: Decision | None, fire_at: float | None) -> dict:
        return {
            "line": self.line.name, "id": tr.id, "first_seen": tr.first_seen, "last_seen": tr.last_seen,
            "frames": tr.frames, "votes": [round(p, 4) for p in tr.votes.series(self.model.task)],
            "mean_probs": d.mean_probs if d else {}, "fruit": d.fruit if d else None,
            "p_rotten": d.p_rotten if d else None, "decision": d.action if d else None,
            "low_confidence": d.low_confidence if d else None, "unsure": d.unsure if d else None,
            "reason": d.reason if d else None,
            "scheduled_at": fire_at, "actual_at": None, **tr.record(),
        }

    def _final(self, tr: ItemTrack, rec: dict, outcome: str, error: str | None) -> None:
        rec["outcome"] = outcome
        if error:
            rec["error"] = error
        with self._lock:
            self.counts[outcome] += 1
            if rec.get("decision"):
                self.counts[rec["decision"]] += 1
                self.counts["low_confidence"] += bool(rec.get("low_confidence"))
                self.counts["unsure"] += bool(rec.get("unsure"))
            self._events.append({"event": "item", **rec})
        self.audit.write(rec)

    # --- summary --------------------------------------------------------------------------------------
    def counters(self) -> dict:
        """Counts so far: items decided, per decision and per outcome, commands pending."""
        with self._lock:
            c = dict(self.counts)
        decided = sum(c.get(a, 0) for a in ("reject", "divert", "pass"))
        return {"items": decided, "rejected": c.get("reject", 0), "diverted": c.get("divert", 0),
                "passed": c.get("pass", 0), **{k: c.get(k, 0) for k in OUTCOMES if k != "passed"},
                "pending": self.scheduler.pending}

    def summary(self) -> dict:
        counts = self.counters()
        counts.pop("pending")
        s = {"frames": self.frames, **counts, "low_confidence": self.counts["low_confidence"],
             "unsure": self.counts["unsure"]}
        if self.tracker is not None:
            s.update(self.tracker.stats())
        return s
