# The only commands a newcomer needs: `make demo`, `make test`, `make bench`.
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WHEELS := target/wheels

.PHONY: test lint test-rust test-python python-package emulator demo clean

## Everything CI runs: format and lint checks, then every suite.
test: lint test-rust test-python

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

## A venv with the build and test tools, from PyPI.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "maturin>=1.5,<2" pytest mypy

## Builds the abi3 wheel, as `pip install .` would, and installs it into the venv.
python-package: $(PY)
	rm -rf $(WHEELS)
	$(VENV)/bin/maturin build --release --quiet --out $(WHEELS)
	$(PY) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/ucare-*.whl

test-python: python-package
	$(PY) -m pytest -q tests/python

## Run the emulator in the foreground on port 8000.
emulator:
	$(CARGO) run --release -p ucare-emulator -- --port 8000

clean:
	rm -rf $(VENV) $(WHEELS) target
