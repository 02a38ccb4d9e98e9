# Two commands do everything on a fresh machine: `make demo` and `make test`. Each creates .venv.
# `make demo` installs only what the demo needs (foodcam + the PyPI OpenCV: no PyTorch); `make test` installs every
# extra. Two stamps: a lean install never passes for the full one, and the full one includes the lean one.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LEAN := $(VENV)/.installed-demo
FULL := $(VENV)/.installed-full

.PHONY: demo app test lint typecheck links install clean

$(PY):
	@echo "make: creating $(VENV)"
	@$(PYTHON) -m venv $(VENV)

# Editable installs are strict (docs/layout.md): build/__editable__.foodcam-*/foodcam/ links every file where the
# package has it (runtime/x.py -> foodcam/runtime/x.py), so mypy and editors resolve foodcam.* as Python does.
STRICT := --config-settings editable_mode=strict
# --no-compile: the .pyc of what the demo imports are written on first use, not for every installed module
$(LEAN): pyproject.toml | $(PY)
	@echo "make: installing foodcam[opencv] into $(VENV) (editable)"
	@$(PY) -m pip install -qq --no-compile -e '.[opencv]' $(STRICT)
	@touch $@

$(FULL): pyproject.toml | $(PY)
	@echo "make: installing foodcam[train,actuators,app,dev,triton] into $(VENV) (editable; PyTorch included)"
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[train,actuators,app,dev,triton]' $(STRICT)
	@touch $@ $(LEAN)

# a file added or removed since the install gets its link by a quick reinstall (no dependencies)
links: $(FULL)
	@$(PY) .ci/linktree.py

install: links

# mypy on every package: no unresolved foodcam import, no more errors than .ci/mypy-baseline.txt
typecheck: links
	@$(PY) .ci/typecheck.py

demo: $(LEAN)
	@$(PY) .ci/linktree.py
	@$(PY) -m foodcam demo

# the web page on the four shipped models (http://127.0.0.1:7860); MODELS="a.onnx b.onnx" for others
MODELS ?=
PORT ?= 7860
app: $(FULL)
	$(VENV)/bin/foodcam app $(addprefix --model ,$(MODELS)) --port $(PORT)

# PyTriton's tritonserver for the Triton tests, in its own venv (it pins numpy/protobuf); they skip without it
TRITON_VENV := .venv-pytriton
$(TRITON_VENV)/.installed:
	$(PYTHON) -m venv $(TRITON_VENV)
	$(TRITON_VENV)/bin/pip install -q nvidia-pytriton onnxruntime || echo "no PyTriton: the Triton server tests will skip"
	touch $@

# Label Studio for the labelling round-trip test, in its own venv (its Django stack pins clash with ours); it skips without it
LS_VENV := .venv-labelstudio
$(LS_VENV)/.installed:
	$(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/pip install -q 'label-studio>=1.23,<1.24' || echo "no Label Studio: the Label Studio server test will skip"
	touch $@

test: links typecheck $(TRITON_VENV)/.installed $(LS_VENV)/.installed
	$(PY) -m pytest -q

lint: $(FULL)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) $(TRITON_VENV) $(LS_VENV) runs/demo
