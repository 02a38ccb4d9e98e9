"""Install the repository's top-level packages under one import namespace: `runtime/` -> `foodcam.runtime`, ...

The repository keeps train/, export/, runtime/, camera/, benchmarks/ and scenes/ at its root; site-packages gets only
`foodcam` (editable installs included). Every other setting lives in pyproject.toml."""

from setuptools import find_packages, setup

# top-level folders installed as foodcam.<name>; a new package is added here once
SUBPACKAGES = ("train", "export", "runtime", "camera", "benchmarks", "scenes", "app")

package_dir = {"foodcam": "foodcam"}
packages = ["foodcam", "foodcam.doctor"]
for top in SUBPACKAGES:
    package_dir[f"foodcam.{top}"] = top
    packages += [f"foodcam.{top}"] + [f"foodcam.{top}.{p}" for p in find_packages(top)]

# shipped with every install, as data-only packages (no __init__.py): the trained models (foodcam/assets: the demo
# runs without training) and the example photos the web page offers (app/examples.py renders them)
DATA = {"foodcam.assets": ["*.onnx", "*.pt", "*.md"], "foodcam.app.examples": ["*.jpg"]}
packages += list(DATA)

setup(packages=packages, package_dir=package_dir, package_data=DATA)
