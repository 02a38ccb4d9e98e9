"""Triton Inference Server client backend: a model served by Triton behind the same `Model` interface.

    open_model("grpc://gpu-server:8001/kitchen")            # gRPC (default port 8001)
    open_model("http://gpu-server:8000/kitchen")            # HTTP/REST (default port 8000)
    open_model("grpc://127.0.0.1:8001/kitchen/2?shm=1")     # version 2, frames and results via system shared memory

The task description comes from the server: the model config's `parameters["foodcam"]` (written by
`foodcam export --triton-repo`), so classes, colours and heads are the ones the model was exported with.
Input spec and outputs come from the same config. `?shm=1` (client on the server's host) passes the batch and
the outputs through POSIX shared memory regions registered with the server instead of the socket.

A server that is down when the model opens: one-line FoodcamError naming the URL. A request that fails because
the server went away raises `ModelUnavailable` (a FoodcamError): the camera loop counts the frame as dropped and
retries with backoff (camera/pipeline.py); shared-memory regions are registered again once it is back.
"""

from __future__ import annotations

import logging
import os
import uuid
from urllib.parse import parse_qs, urlsplit

import numpy as np

from foodcam.runtime.backends import check_batch
from foodcam.runtime.backends.onnx_meta import parse_metadata_json, task_from_metadata
from foodcam.runtime.errors import FoodcamError, ModelUnavailable
from foodcam.runtime.model import METADATA_KEY, InputSpec, Model

log = logging.getLogger("foodcam.triton")

SCHEMES = {"grpc": 8001, "http": 8000}
_NP_TYPES = {"UINT8": np.uint8, "FP32": np.float32, "FP16": np.float16, "INT32": np.int32, "INT64": np.int64,
             "INT8": np.int8, "BOOL": np.bool_}


def is_triton_url(path: object) -> bool:
    return isinstance(path, str) and path.split("://", 1)[0].lower() in SCHEMES and "://" in path


def parse_url(url: str) -> dict:
    """grpc|http://host[:port]/model[/version][?shm=1&timeout=S] -> its parts; FoodcamError when malformed."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    segments = [s for s in parts.path.split("/") if s]
    if scheme not in SCHEMES or not parts.hostname or not 1 <= len(segments) <= 2:
        raise FoodcamError(f"{url}: expected grpc://HOST[:8001]/MODEL[/VERSION] or http://HOST[:8000]/MODEL[/VERSION]")
    if len(segments) == 2 and not segments[1].isdigit():
        raise FoodcamError(f"{url}: model version {segments[1]!r} must be a number")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"shm", "timeout"})
    if unknown:
        raise FoodcamError(f"{url}: unknown option(s) {unknown} (known: shm, timeout)")
    try:
        port = parts.port or SCHEMES[scheme]
        timeout = float(query.get("timeout", 10.0))
    except ValueError as e:
        raise FoodcamError(f"{url}: {e}") from None
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return {"scheme": scheme, "address": f"{host}:{port}", "model": segments[0],
            "version": segments[1] if len(segments) == 2 else "",
            "shm": query.get("shm", "0").lower() in ("1", "true", "yes", "on"), "timeout": timeout}


def _client_module(scheme: str):
    try:
        if scheme == "grpc":
            import tritonclient.grpc as mod
        else:
            import tritonclient.http as mod
    except ImportError:
        raise FoodcamError(f"a Triton server model needs tritonclient ({scheme}): pip install 'foodcam[triton]'") from None
    return mod


def _config_dict(client, scheme: str, model: str, version: str) -> dict:
    """The model config as a plain dict (gRPC: protobuf -> JSON names as HTTP returns them)."""
    if scheme == "grpc":
        from google.protobuf.json_format import MessageToDict

        return MessageToDict(client.get_model_config(model, version).config, preserving_proto_field_name=True)
    return client.get_model_config(model, version)


class TritonModel(Model):
    """A model on a Triton server, reached with tritonclient over gRPC or HTTP."""

    def __init__(self, path: str, *, shm: bool | None = None, timeout: float | None = None) -> None:
        u = parse_url(path)
        self.path = path
        self.url, self.scheme, self.name, self.version = path, u["scheme"], u["model"], u["version"]
        self.timeout = float(timeout if timeout is not None else u["timeout"])
        self.use_shm = bool(u["shm"] if shm is None else shm)
        self._mod = _client_module(self.scheme)
        from tritonclient.utils import InferenceServerException

        self._server_error = InferenceServerException
        opts = {} if self.scheme == "grpc" else {"connection_timeout": self.timeout, "network_timeout": self.timeout}
        self.client = self._mod.InferenceServerClient(url=u["address"], **opts)
        try:
            live = self.client.is_server_live()
        except Exception as e:  # noqa: BLE001 - refused, DNS, timeout: one line naming the URL
            raise FoodcamError(f"{path}: Triton server not reachable ({_first_line(e)})") from None
        if not live:
            raise FoodcamError(f"{path}: Triton server at {u['address']} is not live")
        try:
            if not self.client.is_model_ready(self.name, self.version):
                raise FoodcamError(f"{path}: model {self.name!r} is not ready on the server (is it in the repository?)")
            config = _config_dict(self.client, self.scheme, self.name, self.version)
        except self._server_error as e:
            raise FoodcamError(f"{path}: {_first_line(e)}") from None
        text = config.get("parameters", {}).get(METADATA_KEY, {}).get("string_value")
        if not text:
            raise FoodcamError(f"{path}: the model config has no parameters[{METADATA_KEY!r}] task description; "
                               "write the repository with `foodcam export --triton-repo`")
        self.meta = parse_metadata_json(text, f"{path} (config parameters)")
        self.task = task_from_metadata(self.meta, path)
        self.max_batch = int(config.get("max_batch_size", 0) or 0)
        inputs = config.get("input", [])
        if len(inputs) != 1 or inputs[0].get("data_type") != "TYPE_UINT8":
            raise FoodcamError(f"{path}: expected one TYPE_UINT8 image input, config has {inputs}")
        dims = [int(d) for d in inputs[0].get("dims", [])]
        dims = dims[1:] if self.max_batch == 0 else dims  # no batching: dims include the batch axis (1)
        th, tw = self.task.input_size
        if len(dims) != 3 or dims[2] != 3:
            raise FoodcamError(f"{path}: input dims {dims}, expected (H, W, 3)")
        h, w = (th if dims[0] < 0 else dims[0]), (tw if dims[1] < 0 else dims[1])
        self.input_spec = InputSpec(inputs[0]["name"], (-1 if self.max_batch else 1, h, w, 3), "uint8")
        self._out_info = {o["name"]: (o["data_type"].removeprefix("TYPE_"), [int(d) for d in o.get("dims", [])])
                          for o in config.get("output", [])}
        self._outputs = self.select_outputs(list(self._out_info), f"{path}: model")
        self.backend = f"triton:{self.scheme}" + (":shm" if self.use_shm else "")
        self._shm: dict = {}
        self._registered = False
        self.reconnects = 0

    @property
    def output_names(self) -> list[str]:
        return list(self._outputs)

    # -- shared memory ---------------------------------------------------------------------------------
    def _chunk(self) -> int:
        return self.max_batch or 1

    def _region_bytes(self, dtype: str, dims: list[int]) -> int:
        h, w = self.input_spec.height, self.input_spec.width
        per = int(np.prod([d if d > 0 else (h if i == 0 else w) for i, d in enumerate(dims)] or [1]))
        if self.max_batch == 0:
            per //= max(1, dims[0] if dims and dims[0] > 0 else 1)
        return per * np.dtype(_NP_TYPES[dtype]).itemsize * self._chunk()

    def _setup_shm(self) -> None:
        import tritonclient.utils.shared_memory as shm

        if not self._shm:
            tag = f"foodcam_{os.getpid()}_{uuid.uuid4().hex[:8]}"
            inp = self.input_spec
            sizes = {"input": inp.height * inp.width * 3 * self._chunk()}
            sizes.update({n: self._region_bytes(*self._out_info[n]) for n in self._outputs})
            for i, (key, size) in enumerate(sizes.items()):
                name = f"{tag}_{i}"
                self._shm[key] = (name, f"/{name}", size, shm.create_shared_memory_region(name, f"/{name}", size))
        for name, key, size, _ in self._shm.values():
            try:
                self.client.unregister_system_shared_memory(name)
            except Exception:  # noqa: BLE001 - not registered (a fresh server)
                pass
            self.client.register_system_shared_memory(name, key, size)
        self._registered = True

    def _release_shm(self) -> None:
        if not self._shm:
            return
        import tritonclient.utils.shared_memory as shm

        for name, _, _, handle in self._shm.values():
            try:
                self.client.unregister_system_shared_memory(name)
            except Exception:  # noqa: BLE001 - the server may be gone; the region is ours to free regardless
                pass
            shm.destroy_shared_memory_region(handle)
        self._shm = {}

    # -- inference -------------------------------------------------------------------------------------
    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        images = check_batch(images, self.input_spec, self.url)
        step = self._chunk()
        parts = [self._infer(images[i:i + step]) for i in range(0, images.shape[0], step)]
        if len(parts) == 1:
            return parts[0]
        return {k: np.concatenate([p[k] for p in parts]) for k in self._outputs}

    def _infer(self, batch: np.ndarray) -> dict[str, np.ndarray]:
        mod = self._mod
        shape = list(batch.shape)  # no batching (max_batch_size 0): the config's dims include the batch axis of 1
        try:
            if self.use_shm and not self._registered:
                self._setup_shm()
            inp = mod.InferInput(self.input_spec.name, shape, "UINT8")
            outs = [mod.InferRequestedOutput(n) for n in self._outputs]
            if self.use_shm:
                import tritonclient.utils.shared_memory as shm

                name, _, _, handle = self._shm["input"]
                shm.set_shared_memory_region(handle, [np.ascontiguousarray(batch)])
                inp.set_shared_memory(name, batch.nbytes)
                for o in outs:
                    oname, _, size, _ = self._shm[o.name()]
                    o.set_shared_memory(oname, size)
            else:
                inp.set_data_from_numpy(batch)
            kwargs = {"client_timeout": self.timeout} if self.scheme == "grpc" else {"timeout": int(self.timeout * 1e6)}
            result = self.client.infer(self.name, [inp], model_version=self.version, outputs=outs, **kwargs)
            got = {n: self._output(result, n, batch.shape[0]) for n in self._outputs}
        except self._server_error as e:
            self._registered = False  # a restarted server has forgotten our regions
            raise ModelUnavailable(f"{self.url}: {_first_line(e)}") from None
        except (ConnectionError, OSError, TimeoutError) as e:
            self._registered = False
            raise ModelUnavailable(f"{self.url}: {type(e).__name__}: {_first_line(e)}") from None
        return got

    def _output(self, result, name: str, n: int) -> np.ndarray:
        if not self.use_shm:
            return np.array(result.as_numpy(name), copy=True)
        import tritonclient.utils.shared_memory as shm

        out = result.get_output(name)
        dims = list(out.shape) if hasattr(out, "shape") else list(out["shape"])
        dtype = out.datatype if hasattr(out, "datatype") else out["datatype"]
        handle = self._shm[name][3]
        return np.array(shm.get_contents_as_numpy(handle, _NP_TYPES[dtype], [int(d) for d in dims]), copy=True)

    def close(self) -> None:
        try:
            self._release_shm()
        finally:
            try:
                self.client.close()
            except Exception:  # noqa: BLE001
                pass


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
