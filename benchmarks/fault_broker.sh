#!/usr/bin/env bash
# Fault run: the sorting line on a real MQTT broker that is killed mid-run and restarted.
#   bash benchmarks/fault_broker.sh [OUT_DIR]   (needs mosquitto and paho-mqtt; ~100 s)
# The line runs 90 s of synth://conveyor paced in real time with the shipped freshness model and an MQTT actuator;
# the broker is killed at 30 s and restarted at 45 s. A subscriber records every command the broker delivered.
# Pass: every decided reject is either fired (acknowledged by the broker, and received by the subscriber) or
# logged as missed; the run exits 0.
set -euo pipefail
command -v mosquitto >/dev/null || { echo "fault_broker.sh: needs mosquitto on PATH (apt install mosquitto)" >&2; exit 2; }
OUT=${1:-benchmarks/results/faults}
PY=${PY:-.venv/bin/python}
PORT=${PORT:-18831}
mkdir -p "$OUT"
conf=$(mktemp -d)
cat > "$conf/line.yaml" <<YAML
name: fault
lane: {rect: [0, 29, 640, 211]}
direction: left_to_right
camera_line: 320
belt: {speed_px_s: null}
ejector: {travel_time_s: 3.0}
decision: {reject_threshold: 0.5, low_confidence: {band: 0.1, action: reject}, min_frames: 3, decide_at: exit}
detection: {method: belt, min_area_px: 400, threshold: 5.0, max_missed: 3}
timing: {tolerance_s: 0.05}
actuator: {type: mqtt, host: 127.0.0.1, port: $PORT, topic: foodcam/fault, ack_timeout_s: 0.5}
YAML
start_broker() { mosquitto -p "$PORT" >>"$OUT/broker.log" 2>&1 & echo $! > "$conf/broker.pid"; sleep 0.5; }
# a subscriber (paho, reconnecting by itself) records every command the broker delivers, one line each
subscribe() {
  $PY -u -c '
import sys, paho.mqtt.client as m
c = m.Client(m.CallbackAPIVersion.VERSION2, client_id="fault-sub", clean_session=False)
c.on_connect = lambda c, u, f, rc, p: c.subscribe("foodcam/fault/command", qos=1)
c.on_message = lambda c, u, msg: print(msg.payload.decode(), flush=True)
c.reconnect_delay_set(0.2, 1.0)
c.connect("127.0.0.1", int(sys.argv[1]))
c.loop_forever(retry_first_connection=True)' "$PORT" > "$OUT/received.txt" 2>"$OUT/subscriber.log" &
  echo $! > "$conf/sub.pid"
}
start_broker
subscribe
sleep 1
t0=$(date +%s)
$PY -m foodcam sort --model foodcam/assets/freshness.onnx --source 'synth://conveyor?fps=30&size=640x240&seed=3' \
    --line "$conf/line.yaml" --realtime --max-seconds 90 --audit "$OUT/audit.jsonl" --json "$OUT/summary.json" \
    > "$OUT/sort.log" 2>&1 &
SORT=$!
sleep 30; kill "$(cat "$conf/broker.pid")"; echo "broker killed at $(( $(date +%s) - t0 )) s" | tee "$OUT/timeline.txt"
sleep 15; start_broker; echo "broker restarted at $(( $(date +%s) - t0 )) s" | tee -a "$OUT/timeline.txt"
rc=0; wait $SORT || rc=$?
sleep 1; kill "$(cat "$conf/sub.pid")" "$(cat "$conf/broker.pid")" 2>/dev/null || true
echo "sort exit $rc" | tee -a "$OUT/timeline.txt"
# every reject is fired or missed; every fired one reached the subscriber; none arrived that was not fired
$PY - "$OUT" <<'CHECK' | tee -a "$OUT/timeline.txt" || rc=1
import json, sys
out = sys.argv[1]
items = [json.loads(line) for line in open(f"{out}/audit.jsonl")]
rejects = [i for i in items if i.get("decision") == "reject"]
fired = {i["id"] for i in rejects if i.get("outcome") == "fired"}
missed = {i["id"] for i in rejects if i.get("outcome") == "missed"}
received = [json.loads(line)["id"] for line in open(f"{out}/received.txt") if line.strip()]
print(f"rejects {len(rejects)}: fired {len(fired)}, missed {len(missed)}, other {len(rejects) - len(fired) - len(missed)}; "
      f"received {len(received)} ({len(set(received))} distinct)")
ok = len(fired) + len(missed) == len(rejects) and fired == set(received)
print("PASS" if ok else f"FAIL: fired but not received {sorted(fired - set(received))}, "
      f"received but not fired {sorted(set(received) - fired)}")
sys.exit(0 if ok else 1)
CHECK
rm -rf "$conf"
exit $rc
