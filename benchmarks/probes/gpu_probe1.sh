#!/usr/bin/env bash
# Device probe (an H200, 15 minutes; benchmarks/results/kitchen_recipe/README.md, "GPU probe"): CUDA checks, then the kitchen recipe's ceiling with more compute.
# Env: COUNT (frames per render), BUDGET (minutes per training run), DEV (cuda|cpu), OUT, SKIPCHECK
set -u
export PYTHONUNBUFFERED=1 NO_ALBUMENTATIONS_UPDATE=1
COUNT=${COUNT:-800}; BUDGET=${BUDGET:-4.5}; DEV=${DEV:-cuda}; W=${W:-2}
T0=$(date +%s); t(){ echo "[$(( $(date +%s)-T0 ))s] $*"; }
if [ -z "${SKIPCHECK:-}" ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 5
  export PYTHONPATH=/tmp/site
  nproc; free -g | head -2
  t gpu_check; timeout 150 bash tests/gpu_check.sh > $OUT/gpu_check.log 2>&1; t "gpu_check rc $?"; tail -4 $OUT/gpu_check.log
  timeout 100 python3 -m pytest -q -k "cuda or gpu" tests/test_eval_predict.py tests/test_precision.py tests/test_bench_units.py tests/test_doctor.py tests/test_cuda_compat.py -rs -p no:cacheprovider > $OUT/cuda_tests.log 2>&1
  t "cuda tests rc $?"; tail -4 $OUT/cuda_tests.log
  FC=foodcam
else
  FC=${FC:-foodcam}
fi
D=/tmp/d; rm -rf $D; mkdir -p $D
for s in 0 1 2 3 4 5 6 7; do $FC synth kitchen --out $D/kt$s --count $COUNT --seed 1$s --styles train >/dev/null & done
$FC synth kitchen --out $D/kclose --count $(( COUNT * 3 / 8 )) --seed 50 --styles closeup >/dev/null &
wait; t rendered
md5sum $D/kt0/train/images/home_curry_000032.jpg 2>/dev/null   # here: 1fb87b5c5c6924199815650a6fbb656d
link() { # name, renders for train
  local n=$1; shift
  for sp in train val test; do for k in images masks; do mkdir -p $D/$n/$sp/$k
    for s in "$@"; do [ $sp = train ] || [ $s -lt 2 ] || continue
      for f in $D/kt$s/$sp/$k/*; do ln -s "$f" "$D/$n/$sp/$k/s${s}_$(basename "$f")"; done; done; done; done
  echo "$n: $(ls $D/$n/train/images | wc -l) train, $(ls $D/$n/val/images | wc -l) val"
}
link ktrain5 0 1 2 3 4 5; link ktrain8 0 1 2 3 4 5 6 7
common="--batch 8 --lr 3e-3 --workers $W --device $DEV --seed 0 --time-budget $BUDGET"
$FC train kitchen --data $D/ktrain5 --imgsz 256 $common --out $D/r_a > $D/log_a 2>&1 &
$FC train kitchen --data $D/ktrain5 --imgsz 256 --width 1.25 $common --out $D/r_b > $D/log_b 2>&1 &
$FC train kitchen --data $D/ktrain5 --imgsz 320 $common --out $D/r_c > $D/log_c 2>&1 &
$FC train kitchen --data $D/ktrain5 --imgsz 256 --model lraspp $common --out $D/r_d > $D/log_d 2>&1 &
$FC train kitchen --data $D/ktrain8 --imgsz 256 $common --out $D/r_e > $D/log_e 2>&1 &
wait; t trained
for r in a b c d e; do
  ( $FC eval --weights $D/r_$r/best.pt --data $D/ktrain5 --split val --device $DEV --out $D/ev_${r}_val > $D/eval_${r}_val.txt 2>&1
    $FC eval --weights $D/r_$r/best.pt --data $D/kclose --split train --device $DEV --out $D/ev_${r}_close > $D/eval_${r}_close.txt 2>&1 ) &
done; wait; t evaluated
for r in a b c d e; do echo "== $r"; tail -2 $D/log_$r; grep -iE "miou|stirrer" $D/eval_${r}_val.txt | head -3; grep -iE "miou|stirrer" $D/eval_${r}_close.txt | head -3; done
cd $D && tar czf $OUT/runs.tgz log_* eval_* r_*/metrics.csv ev_*/metrics.json r_a/best.pt r_b/best.pt r_c/best.pt r_e/best.pt 2>/dev/null
ls -la $OUT; t done
