#!/usr/bin/env bash
# run "name ENV=.. ENV=.." experiments one after another: 8 epochs, export, eval val + unseen
# (benchmarks/results/kitchen_recipe/README.md). Run in a folder beside ../ktrain (train styles) and ../kclose (closeup):
#   bash benchmarks/probes/recipe_candidates.sh "base8" "shuffle8 EXP_SHUFFLE=1"
F=${FOODCAM:-foodcam}
while pgrep -f "foodcam train" >/dev/null; do sleep 5; done
for spec in "$@"; do
  set -- $spec; name=$1; shift
  if [ ! -f $name/best.pt ]; then
    env "$@" $F train kitchen --data ../ktrain --imgsz 256 --epochs ${EPOCHS:-8} --batch 8 --lr 3e-3 --workers 1 --device cpu --seed 0 --out $name > $name.log 2>&1
  fi
  env "$@" $F export --weights $name/best.pt --out $name/model.onnx --data ../ktrain > $name.export.log 2>&1
  $F eval --weights $name/model.onnx --data ../ktrain --split val --out $name/ev_val > $name.ev.log 2>&1
  $F eval --weights $name/model.onnx --data ../kclose --split train --out $name/ev_close > $name.evc.log 2>&1
  echo "$name $(grep -h 'mIoU' $name.ev.log | head -1) || $(grep -h 'mIoU' $name.evc.log | head -1)" >> summary.txt
done
