# The only commands a newcomer needs: `make demo`, `make test`, `make bench`.
SHELL := /bin/bash
CARGO ?= cargo
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WHEELS := target/wheels
## The build and test tools from PyPI, installed once into the venv (see below).
PYTOOLS := $(VENV)/.tools-2
## The venv first on PATH: maturin and cargo-zigbuild find zig as the venv's `python -m ziglang`.
WITH_VENV := PATH="$(CURDIR)/$(VENV)/bin:$$PATH"
## The emulator program the test helpers (ucare.testing, ucare/testing) run: the one the
## ucare-emulator wheel installed into the venv (see python-package).
export UCARE_EMULATOR ?= $(CURDIR)/$(VENV)/bin/ucare-emulator

.PHONY: bench soak soak-short test lint test-rust hostile scenario test-python python-package test-node node-package emulator demo dist dist-check clean

## Everything CI runs: format and lint checks, every suite, then the artifacts installed where no Rust is.
test: lint test-rust test-python test-node soak-short dist-check

lint: $(PYTOOLS)
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

test-rust:
	$(CARGO) test --workspace

## A venv with the build and test tools, from PyPI: zig (ziglang, cargo-zigbuild) links the
## shipped binaries against glibc 2.17; auditwheel judges the wheel; check-jsonschema the workflow.
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
$(PYTOOLS): | $(PY)
	$(PY) -m pip install --quiet "maturin>=1.5,<2" pytest hypothesis mypy pyuploadcare tqdm ziglang cargo-zigbuild auditwheel check-jsonschema
	touch $@

## Builds the wheels that ship (manylinux2014: glibc 2.17, linked by zig), `ucare` (abi3) and
## `ucare-emulator` (the program), and installs both into the venv: the program lands in
## .venv/bin, where ucare.testing finds it, and the Node tests use it too.
python-package: $(PYTOOLS)
	rm -rf $(WHEELS)
	$(WITH_VENV) maturin build --release --strip --quiet --zig --compatibility manylinux2014 --out $(WHEELS)
	$(WITH_VENV) maturin build --release --strip --quiet --zig --compatibility manylinux2014 -m emulator/Cargo.toml --out $(WHEELS)
	$(PY) -m pip install --quiet --force-reinstall --no-deps $(WHEELS)/ucare-*.whl $(WHEELS)/ucare_emulator-*.whl

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

## Builds the napi addon that ships (bindings-node/ucare.linux-x64-gnu.node, glibc 2.17 via
## cargo-zigbuild) next to the JS files. Elsewhere than Linux x86_64: `npm run build`.
node-package: node_modules/.installed $(PYTOOLS)
	$(WITH_VENV) npm run build:dist

## The release artifacts this machine builds, into dist/ (see packaging/dist.sh).
dist: python-package node-package
	packaging/dist.sh

## Installs each artifact where no Rust exists and runs the quickstart (see packaging/dist-check.sh).
dist-check: dist
	packaging/dist-check.sh

test-node: node-package python-package hostile
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
