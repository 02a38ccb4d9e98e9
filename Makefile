# Two commands do everything on a fresh machine: `make demo` and `make test`. Each creates .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo app test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[train,actuators,app,dev,triton]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m foodcam demo

# the web page on the shipped kitchen and freshness models (http://127.0.0.1:7860); MODELS="a.onnx b.onnx" for others
MODELS ?= foodcam/assets/kitchen.onnx foodcam/assets/freshness.onnx
PORT ?= 7860
app: $(STAMP)
	$(VENV)/bin/foodcam app $(addprefix --model ,$(MODELS)) --port $(PORT)

# PyTriton's tritonserver for the Triton tests, in its own venv (it pins numpy/protobuf); they skip without it
TRITON_VENV := .venv-pytriton
$(TRITON_VENV)/.installed:
	$(PYTHON) -m venv $(TRITON_VENV)
	$(TRITON_VENV)/bin/pip install -q nvidia-pytriton onnxruntime || echo "no PyTriton: the Triton server tests will skip"
	touch $@

test: $(STAMP) $(TRITON_VENV)/.installed
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) $(TRITON_VENV) runs/demo
