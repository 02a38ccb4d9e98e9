"""A real Triton server for the tests: PyTriton's bundled tritonserver serving a foodcam model repository.

    <python with nvidia-pytriton + onnxruntime> tests/pytriton_serve.py REPO NAME [NAME...] --grpc-port P --http-port Q

Reads REPO/NAME/config.pbtxt (for each NAME) (written by `foodcam export --triton-repo`) and binds NAME with the same input
and output names, types and dims, max_batch_size and dynamic batching, through a Python callable that runs
REPO/NAME/1/model.onnx with ONNX Runtime on the CPU (Triton's own ONNX Runtime backend is not in PyTriton's
bundle). PyTriton has no public way to put entries in the generated config's `parameters`; this helper adds the
foodcam description the repository writer put there (PyTriton's own `backend_parameters`), so a client reads it
from the server's model config as it would from a tritonserver serving REPO. Runs until killed. Needs no
foodcam: it runs in PyTriton's own virtual environment when PyTriton's pins clash with the project's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnxruntime as ort
from google.protobuf import text_format
from pytriton.decorators import batch
from pytriton.model_config import DynamicBatcher, ModelConfig, Tensor
from pytriton.triton import Triton, TritonConfig
from tritonclient.grpc import model_config_pb2 as pb

NP = {"TYPE_UINT8": np.uint8, "TYPE_FP32": np.float32, "TYPE_FP16": np.float16, "TYPE_INT64": np.int64,
      "TYPE_INT32": np.int32}


def bind(triton, repo: Path, name: str, threads: int) -> None:
    """Bind REPO/NAME (its config.pbtxt, its 1/model.onnx on ONNX Runtime) as NAME on `triton`."""
    folder = repo / name
    cfg = text_format.Parse((folder / "config.pbtxt").read_text(), pb.ModelConfig())
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    session = ort.InferenceSession(str(folder / "1" / "model.onnx"), sess_options=so,
                                   providers=["CPUExecutionProvider"])
    in_name = cfg.input[0].name
    out_names = [o.name for o in cfg.output]

    def run(images: np.ndarray) -> dict:
        return dict(zip(out_names, session.run(out_names, {in_name: images})))

    batched = cfg.max_batch_size > 0

    @batch
    def infer_batched(**inputs):
        return run(inputs[in_name])

    def infer_single(requests):
        return [run(r[in_name]) for r in requests]

    def dtype(t) -> type:
        return NP[pb.DataType.Name(t.data_type)]

    inputs = [Tensor(name=i.name, dtype=dtype(i), shape=tuple(i.dims)) for i in cfg.input]
    outputs = [Tensor(name=o.name, dtype=dtype(o), shape=tuple(o.dims)) for o in cfg.output]
    config = ModelConfig(batching=batched, max_batch_size=max(cfg.max_batch_size, 1),
                         batcher=DynamicBatcher(
                             max_queue_delay_microseconds=cfg.dynamic_batching.max_queue_delay_microseconds))
    triton.bind(model_name=name, infer_func=infer_batched if batched else infer_single,
                inputs=inputs, outputs=outputs, config=config, strict=False)
    model = next(m for m in triton._model_manager.models if m.model_name == name)
    described = model._get_triton_model_config()  # generated once, written into the server's repository
    for key, value in cfg.parameters.items():
        described.backend_parameters[key] = value.string_value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("names", nargs="+", help="the repository's models to serve")
    ap.add_argument("--grpc-port", type=int, required=True)
    ap.add_argument("--http-port", type=int, required=True)
    ap.add_argument("--metrics-port", type=int, required=True)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    triton_config = TritonConfig(grpc_port=args.grpc_port, http_port=args.http_port,
                                 metrics_port=args.metrics_port, grpc_address="127.0.0.1", http_address="127.0.0.1")
    # PyTriton loads the model over HTTP with a 60 s network timeout; on a busy 2-core CI box the Python-backend
    # stub alone can take longer to start. Allow 10 minutes (PyTriton reads these module constants per client).
    import pytriton.client.client as pyt_client

    pyt_client._DEFAULT_NETWORK_TIMEOUT_S = 600.0
    pyt_client._DEFAULT_SYNC_INIT_TIMEOUT_S = max(pyt_client._DEFAULT_SYNC_INIT_TIMEOUT_S, 600.0)
    # PyTriton restricts the shared-memory endpoints to its own token by default; the clients here register
    # system shared memory regions (`?shm=1`), as clients on a tritonserver's host do
    from pytriton.triton import DEFAULT_PROTECTED_ENDPOINTS, TritonSecurityConfig

    security = TritonSecurityConfig(restricted_endpoints=[e for e in DEFAULT_PROTECTED_ENDPOINTS if e != "shared-memory"])
    triton = Triton(config=triton_config, security_config=security)  # not started yet: bound models load when serve() starts it
    try:
        for name in args.names:
            bind(triton, Path(args.repo), name, args.threads)
        print(f"serving {', '.join(args.names)} on grpc {args.grpc_port} / http {args.http_port}", flush=True)
        triton.serve()
    finally:
        triton.stop()

if __name__ == "__main__":
    main()
