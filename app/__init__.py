"""foodcam app: a web page (Gradio) where anyone uploads a photo or takes one with the webcam and sees what every
served model sees. Deployment artifacts only (anything runtime.open_model opens); never torch.

    foodcam app --model runs/demo/model.onnx --model fresh.onnx      # http://127.0.0.1:7860

  photo.py     the one input boundary: upload -> BGR frame, or a one-line reason it cannot be used
  analysis.py  a model opened once and shared: frame -> overlay, legend, areas, colour mask, labels, latency
  page.py      the Gradio page (needs foodcam[app])
  correct.py   the Correct tab's work without Gradio: editor layers -> classes, label pairs, collected frames
  correct_tab.py  the Correct tab (segmentation models): paint the model's mask right, save training pairs
  server.py    `foodcam app`: open the models, build the page, serve it on loopback
  examples.py  the example photos in app/examples/, rendered by foodcam.scenes
"""
