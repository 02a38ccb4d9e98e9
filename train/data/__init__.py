"""Dataset readers for the real data layouts (and the procedural sets written in the same layouts)."""
