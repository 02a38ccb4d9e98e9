"""foodcam camera: frame sources, the per-frame loop, overlays, sinks, actuators, analytics."""
