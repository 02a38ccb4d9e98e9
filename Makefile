# Two commands do everything on a fresh machine: `make demo` and `make test`. Each creates .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo app test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[train,actuators,app,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m foodcam demo

# the web page on the shipped kitchen and freshness models (http://127.0.0.1:7860); MODELS="a.onnx b.onnx" for others
MODELS ?= foodcam/assets/kitchen.onnx foodcam/assets/freshness.onnx
PORT ?= 7860
app: $(STAMP)
	$(VENV)/bin/foodcam app $(addprefix --model ,$(MODELS)) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) runs/demo
