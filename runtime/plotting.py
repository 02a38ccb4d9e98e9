"""Plots are optional: the deployed side (no matplotlib) still writes every table and JSON.

`can_plot()` is the one guard in front of every PNG a verb draws (bench chart, confusion matrices): without
matplotlib it logs one warning per process and the caller skips its plots.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
_warned = False


def can_plot(what: str = "plots") -> bool:
    """True when matplotlib imports; else warn once (naming `what` and the fix) and return False."""
    global _warned
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        if not _warned:
            log.warning("matplotlib is not installed: %s skipped (tables and JSON are still written; "
                        "pip install matplotlib for the PNGs)", what)
            _warned = True
        return False
    return True
