"""`python -m foodcam.benchmarks ...` is `foodcam bench ...`."""

import sys

from foodcam.cli import main

raise SystemExit(main(["bench", *sys.argv[1:]]))
