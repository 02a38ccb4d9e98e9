#!/usr/bin/env bash
# Device probe 2: one ThinSeg 1.0 run with the GPU and all cores to itself: how far does more compute take the recipe?
set -u
export PYTHONUNBUFFERED=1 NO_ALBUMENTATIONS_UPDATE=1
COUNT=${COUNT:-800}; BUDGET=${BUDGET:-3.0}; DEV=${DEV:-cuda}; W=${W:-14}; FC=${FC:-foodcam}
T0=$(date +%s); t(){ echo "[$(( $(date +%s)-T0 ))s] $*"; }
if [ -z "${SKIPCHECK:-}" ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 5
  export PYTHONPATH=/tmp/site
  python3 -m pip install --no-index --no-deps --no-build-isolation -q -e . || exit 6
fi
t installed
D=/tmp/d; rm -rf $D; mkdir -p $D
for s in 0 1 2 3 4 5; do $FC synth kitchen --out $D/kt$s --count $COUNT --seed 1$s --styles train >/dev/null 2>&1 & done
wait; t rendered
for sp in train val; do for k in images masks; do mkdir -p $D/ktrain5/$sp/$k
  for s in 0 1 2 3 4 5; do [ $sp = train ] || [ $s -lt 2 ] || continue
    for f in $D/kt$s/$sp/$k/*; do ln -s "$f" "$D/ktrain5/$sp/$k/s${s}_$(basename "$f")"; done; done; done; done
echo "ktrain5: $(ls $D/ktrain5/train/images | wc -l) train, $(ls $D/ktrain5/val/images | wc -l) val"
$FC train kitchen --data $D/ktrain5 --imgsz 256 --batch 32 --lr 6e-3 --workers $W --device $DEV --seed 0 \
   --time-budget $BUDGET --out $D/r_f > $D/log_f 2>&1; t "trained rc $?"
tail -3 $D/log_f | tr '\r' '\n' | tail -3; cat $D/r_f/metrics.csv
cp $D/r_f/metrics.csv $OUT/f_metrics.csv; cp $D/r_f/best.pt $OUT/f_best.pt; t done
