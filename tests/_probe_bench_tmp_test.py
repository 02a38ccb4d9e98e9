def test_probe(kitchen_onnx, kitchen_ckpt, kitchen_data):
    print(kitchen_onnx, kitchen_ckpt, kitchen_data)
