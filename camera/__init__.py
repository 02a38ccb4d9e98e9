"""foodcam camera: frame sources, the per-frame loop, overlays, sinks, actuators, analytics.

The whole application is a loop over a source, a model and sinks:

    from foodcam.camera.sinks import Sinks, VideoSink
    from foodcam.camera.sources import open_source
    from foodcam.runtime.open import open_model

    with open_source("synth://kitchen") as source, open_model("model.onnx") as model, \\
            Sinks([VideoSink("out.mp4")]) as sinks:
        for frame in source:
            sinks.render(frame, model.predict(frame.image))

`camera.pipeline.Pipeline(source, stage, sinks).run()` is the same loop with capture, the per-frame stage
and output overlapped on threads, timed per step. The stage is the job: a model over the whole frame
(`foodcam run`, camera.app) or the sorting line (`foodcam sort`, camera.sorting.app); every output works
for both. Threads that feed the loop are supervised (camera.supervise). Nothing here imports torch.
"""
