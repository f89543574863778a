# The only commands a newcomer needs: `make demo`, `make test`, `make bench`.
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WHEELS := target/wheels

.PHONY: bench soak soak-short test lint test-rust hostile scenario test-python python-package test-node node-package emulator demo clean

## Everything CI runs: format and lint checks, then every suite.
test: lint test-rust test-python test-node soak-short

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

## A venv with the build and test tools, from PyPI.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "maturin>=1.5,<2" pytest hypothesis mypy pyuploadcare tqdm

## Builds the abi3 wheel, as `pip install .` would, and installs it into the venv.
python-package: $(PY)
	rm -rf $(WHEELS)
	$(VENV)/bin/maturin build --release --quiet --out $(WHEELS)
	$(PY) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/ucare-*.whl

## The misbehaving server the hardening tests of every language run against.
hostile:
	$(CARGO) build -p ucare-hostile

## The Rust side of the cross-language scenario (tests/scenario), which the Python suite runs beside its Python and Node sides.
scenario:
	$(CARGO) build -p ucare-scenario

test-python: python-package node-package hostile scenario
	$(PY) -m pytest -q tests/python

## The npm toolchain (napi CLI, TypeScript) from the lockfile.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## Builds the napi addon next to the JS files.
node-package: node_modules/.installed
	npm run build

test-node: node-package hostile
	node --test tests/node/

## The quickstart in Rust, Python and JavaScript against a fresh emulator.
demo: python-package node-package
	$(CARGO) build --release -p ucare-emulator -p ucare-examples
	examples/run-demo.sh

## Side-by-side benchmarks against the official clients; writes bench/RESULTS.md.
bench: python-package node-package
	$(CARGO) build --release -p ucare-emulator -p ucare-bench
	$(PY) -m pip install --quiet matplotlib pyuploadcare urllib3 httpx
	$(PY) bench/run.py --runs $(or $(RUNS),5)

## The fault soak of every language: nothing lost, nothing repeated; writes bench/SOAK.md.
soak: python-package node-package
	$(CARGO) build --release -p ucare-emulator -p ucare-bench
	$(PY) bench/soak.py

## Its short version, part of `make test`.
soak-short: python-package node-package
	$(CARGO) build --release -p ucare-emulator -p ucare-bench
	$(PY) bench/soak.py --short

## Run the emulator in the foreground on port 8000.
emulator:
	$(CARGO) run --release -p ucare-emulator -- --port 8000

clean:
	rm -rf $(VENV) $(WHEELS) target node_modules bindings-node/*.node
