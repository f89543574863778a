#!/usr/bin/env bash
# `make dist`: every artifact a release publishes from this machine, into dist/:
#  - the abi3 wheel for manylinux2014 x86_64 (the one `make python-package` built and the
#    tests ran), and the sdist;
#  - the npm platform package ucare-linux-x64-gnu (the addon the tests ran) and the main
#    package ucare naming every platform package in its optionalDependencies;
#  - the wheel ucare-emulator (the program alone, maturin's `bin` bindings) and the npm
#    packages ucare-emulator and ucare-emulator-linux-x64-gnu (the same program);
#  - the crates ucare, built from its packaged sources by `cargo package`, and ucare-emulator
#    (which `make dist-check` builds against the packaged ucare: it cannot be verified
#    against crates.io before ucare is published there).
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf dist
mkdir dist
cp target/wheels/ucare-*.whl target/wheels/ucare_emulator-*.whl dist/
.venv/bin/maturin sdist --out dist
# The emulator program for the npm platform package is the one in its wheel.
.venv/bin/python - <<'PY'
import pathlib, stat, zipfile
wheel = next(pathlib.Path("dist").glob("ucare_emulator-*.whl"))
with zipfile.ZipFile(wheel) as archive:
    member = next(n for n in archive.namelist() if n.endswith(".data/scripts/ucare-emulator"))
    target = pathlib.Path("emulator/js/npm/linux-x64-gnu/ucare-emulator")
    target.write_bytes(archive.read(member))
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
PY
node packaging/npm-pack.mjs dist
cargo package --quiet --allow-dirty -p ucare
cargo package --quiet --allow-dirty --no-verify --exclude-lockfile -p ucare-emulator
cp target/package/ucare-0*.crate target/package/ucare-emulator-0*.crate dist/
echo
ls -l dist/
