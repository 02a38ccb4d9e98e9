"""`foodcam export` entry: a checkpoint export (export/main.py) and/or a Triton model repository.

    foodcam export --weights best.pt --triton-repo models --name kitchen --max-batch 8      # export + repository
    foodcam export --onnx model.onnx --triton-repo models --instance-kind cpu               # existing ONNX
    foodcam export --engine model.engine --triton-repo models                               # existing engine
"""

from __future__ import annotations

from pathlib import Path

from foodcam.runtime.errors import FoodcamError


def _artifact(args) -> Path:
    """The file `export/main.py` wrote (the one its --out / --precision name)."""
    from foodcam.export.main import output_paths

    return output_paths(Path(args.weights), args.out, args.precision)[0]


def main(args) -> int:
    given = [f for f in ("weights", "onnx", "engine") if getattr(args, f, None)]
    if len(given) != 1:
        raise FoodcamError("foodcam export: give exactly one of --weights CKPT, --onnx MODEL.onnx, --engine MODEL.engine"
                           + (f" (got {', '.join('--' + g for g in given)})" if given else ""))
    repo = getattr(args, "triton_repo", None)
    if given[0] != "weights" and not repo:
        raise FoodcamError(f"--{given[0]} is for writing a Triton repository: add --triton-repo REPO")
    if repo:
        from foodcam.export.triton_repo import model_config_pb2

        model_config_pb2()  # "install foodcam[triton]" before a long export, not after it
    rc = 0
    if given[0] == "weights":
        from foodcam.export.main import main as export_main

        if repo and not args.dynamic_batch:
            print("--triton-repo: exporting with a dynamic batch axis (Triton batches requests)")
            args.dynamic_batch = True
        rc = export_main(args)
        if rc != 0 or not repo:
            return rc
        model = _artifact(args)
    else:
        model = Path(getattr(args, given[0]))
    from foodcam.export.triton_repo import write_repository

    config = write_repository(repo, model, name=args.name, version=args.triton_version, max_batch=args.max_batch,
                              kind=args.instance_kind, count=args.instances, fp16_accelerator=args.fp16_accelerator)
    print(f"wrote Triton model {config.parent.name!r}: {config} + {config.parent / str(args.triton_version)}/")
    return rc
