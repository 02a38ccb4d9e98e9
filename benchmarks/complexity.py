"""Size, parameters and compute of an artifact, from the artifact itself.

ONNX: parameters are the elements of the weight initializers (Q/DQ scales and zero points, and integer
shape constants, are not parameters); multiply-accumulates are counted for Conv, ConvTranspose, Gemm and
MatMul from the shapes `onnx.shape_inference` gives with the batch fixed to one frame.
PyTorch: `torch.utils.flop_counter` on the deployment wrapper for one frame.
GFLOPs = 2 x MACs / 1e9 per frame in both, so the two agree for the same network.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

WEIGHT_TYPES = ("FLOAT", "FLOAT16", "BFLOAT16", "DOUBLE", "INT8", "UINT8", "INT4", "UINT4",
                "FLOAT8E4M3FN", "FLOAT8E5M2")
MAC_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")


def artifact_bytes(path: str | Path) -> int:
    """The file's size plus any external-data files its initializers point to (ONNX)."""
    p = Path(path)
    total = p.stat().st_size
    if p.suffix.lower() == ".onnx":
        import onnx

        model = onnx.load(str(p), load_external_data=False)
        seen = set()
        for init in model.graph.initializer:
            for entry in init.external_data:
                if entry.key == "location" and entry.value not in seen:
                    seen.add(entry.value)
                    ext = p.parent / entry.value
                    if ext.is_file():
                        total += ext.stat().st_size
    return total


def _dims(value_info) -> list[int] | None:
    t = value_info.type.tensor_type
    if not t.HasField("shape"):
        return None
    dims = []
    for d in t.shape.dim:
        if not d.HasField("dim_value"):
            return None
        dims.append(int(d.dim_value))
    return dims


def _fix_batch(model, batch: int = 1) -> None:
    """Replace a symbolic leading dimension of the graph inputs by `batch` (shape inference then resolves it)."""
    init_names = {i.name for i in model.graph.initializer}
    for inp in model.graph.input:
        if inp.name in init_names:
            continue
        dims = inp.type.tensor_type.shape.dim
        if len(dims) and not dims[0].HasField("dim_value"):
            dims[0].ClearField("dim_param")
            dims[0].dim_value = batch


def _non_params(model) -> set[str]:
    """Initializers that are quantisation scales / zero points, not weights."""
    names: set[str] = set()
    for node in model.graph.node:
        if node.op_type in ("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"):
            names.update(node.input[1:])
    return names


def onnx_params(model) -> int:
    from onnx import TensorProto

    skip = _non_params(model)
    weight_types = {getattr(TensorProto, t) for t in WEIGHT_TYPES if hasattr(TensorProto, t)}
    return int(sum(int(np.prod(init.dims)) for init in model.graph.initializer
                   if init.name not in skip and init.data_type in weight_types))


def _macs(node, shapes: dict[str, list[int]]) -> int | None:
    ins = [shapes.get(n) for n in node.input]
    out = shapes.get(node.output[0]) if node.output else None
    if node.op_type == "Conv":
        w = ins[1] if len(ins) > 1 else None
        return None if w is None or out is None else int(np.prod(out)) * int(np.prod(w[1:]))
    if node.op_type == "ConvTranspose":
        x, w = ins[0], ins[1] if len(ins) > 1 else None
        return None if x is None or w is None else int(np.prod(x)) * int(np.prod(w[1:]))
    if node.op_type == "Gemm":
        a = ins[0]
        if a is None or out is None or len(a) != 2:
            return None
        trans_a = next((attr.i for attr in node.attribute if attr.name == "transA"), 0)
        k = a[0] if trans_a else a[1]
        return int(np.prod(out)) * int(k)
    if node.op_type == "MatMul":
        a = ins[0]
        if a is None or out is None or not a:
            return None
        return max(1, int(np.prod(out))) * int(a[-1])
    return None


def onnx_complexity(path: str | Path) -> dict:
    """{"params", "gflops", "macs", "uncounted"} of an ONNX file, for one frame.

    `uncounted` lists MAC ops whose shapes shape inference could not resolve (their MACs are missing).
    """
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    params = onnx_params(model)
    _fix_batch(model, 1)
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
    except Exception:  # noqa: BLE001 - an exotic op: count what the declared shapes allow
        inferred = model
    g = inferred.graph
    shapes: dict[str, list[int]] = {}
    for vi in list(g.input) + list(g.value_info) + list(g.output):
        d = _dims(vi)
        if d is not None:
            shapes[vi.name] = d
    for init in g.initializer:
        shapes[init.name] = [int(d) for d in init.dims]
    macs, uncounted = 0, []
    for node in g.node:
        if node.op_type in MAC_OPS:
            m = _macs(node, shapes)
            if m is None:
                uncounted.append(node.name or node.op_type)
            else:
                macs += m
    return {"params": params, "macs": macs, "gflops": 2.0 * macs / 1e9, "uncounted": uncounted}


def torch_complexity(model) -> dict:
    """{"params", "gflops", "macs"} of a TorchModel (its deployment wrapper) for one frame at its input size."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    wrapper = model.wrapper
    params = int(sum(p.numel() for p in wrapper.parameters()))
    h, w = model.input_spec.height, model.input_spec.width
    x = torch.zeros((1, h, w, 3), dtype=torch.uint8, device=next(wrapper.parameters()).device)
    counter = FlopCounterMode(display=False)
    with torch.inference_mode(), counter:
        wrapper(x)
    flops = int(counter.get_total_flops())
    return {"params": params, "macs": flops // 2, "gflops": flops / 1e9, "uncounted": []}
