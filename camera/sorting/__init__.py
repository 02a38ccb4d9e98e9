"""The fruit sorting line: a camera over a conveyor, a freshness model, an ejector downstream.

    line.py       line.yaml as typed sections: lane, belt speed, camera-to-ejector travel, decision, actuator
    items.py      what the sorter asks of an item and its tracker (the interface both trackers share)
    tracker.py    items entering and leaving the lane (foreground against the belt, tracks)
    trigger.py    photo-eye inputs (udp, serial, gpio, synth): beam blocked / clear events
    trigger_tracker.py  items as blocked..clear intervals of the beam (detection.method: trigger)
    decide.py     per-frame votes -> reject | pass | divert
    sorter.py     per frame: track, classify, decide, schedule, audit -> a LineResult (result.py)
    scheduler.py  firing each command at its time (wall or simulated clock); missed ones are reported
    audit.py      one JSONL line per item
    stage.py      the Sorter as a stage of the frame loop (camera/pipeline.py), on the right clock
    score.py      decisions and timing against ground truth (synth://conveyor), as an output
    draw.py       the line on its frame: lane, camera line, items by decision, ejection queue
    app.py        `foodcam sort`: the parts opened and run through the frame loop

Importing this package imports nothing heavy (the CLI registers `sort` through it).
"""
