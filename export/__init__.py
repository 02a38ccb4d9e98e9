"""foodcam export: checkpoint -> deployment ONNX, precision ladder, accuracy gate, TensorRT engine builder."""
