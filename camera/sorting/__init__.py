"""The fruit sorting line: a camera over a conveyor, a freshness model, an ejector downstream.

    line.py       line.yaml: lane, belt speed, camera-to-ejector travel, decision rules, actuator
    tracker.py    items entering and leaving the lane (foreground against the belt, tracks)
    trigger.py    photo-eye inputs (udp, serial, gpio, synth): beam blocked / clear events
    trigger_tracker.py  items as blocked..clear intervals of the beam (detection.method: trigger)
    decide.py     per-frame votes -> reject | pass | divert
    scheduler.py  firing each command at its time (wall or simulated clock); missed ones are reported
    audit.py      one JSONL line per item
    app.py        the Sorter, and the loop behind `foodcam sort`

Importing this package imports nothing heavy (the CLI registers `sort` through it).
"""
