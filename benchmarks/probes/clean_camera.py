"""Render the training styles with the camera's faults switched off (no sensor noise, no JPEG, no motion blur, no
steam; the same vessels, utensils, dishes, light and lens blur), in the kitchen folder layout, so a model can be
scored on frames whose outlines nothing hides. A diagnostic of the kitchen recipe
(benchmarks/results/kitchen_recipe/README.md, "what bounds the stirrer").

    python benchmarks/probes/clean_camera.py OUT [--count 800] [--seed 10]
    foodcam eval --weights foodcam/assets/kitchen.onnx --data OUT --split val
"""
import argparse
import dataclasses

from foodcam.cli import main
from foodcam.scenes import styles

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("--count", default="800")
p.add_argument("--seed", default="10")
a = p.parse_args()
for name, st in list(styles.STYLES.items()):
    styles.STYLES[name] = dataclasses.replace(st, noise=(0.0, 0.0), jpeg_p=0.0, motion_p=0.0, steam_p=0.0)
raise SystemExit(main(["synth", "kitchen", "--out", a.out, "--count", a.count, "--seed", a.seed, "--styles", "train"]))
