# The only commands a newcomer needs: `make demo`, `make test`, `make bench`.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test lint test-rust emulator demo

## Everything CI runs: format and lint checks, then every suite.
test: lint test-rust

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust:
	$(CARGO) test --workspace

## Run the emulator in the foreground on port 8000.
emulator:
	$(CARGO) run --release -p ucare-emulator -- --port 8000
