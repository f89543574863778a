#!/usr/bin/env bash
# `make dist-check`: installs each artifact of dist/ where no Rust exists (cargo and rustc
# hidden from PATH) and runs the quickstart against the emulator:
#  - `ucare[testing]` into a fresh venv from dist/ alone (no package index): the ucare
#    wheel and the ucare-emulator wheel it pulls in, after auditwheel (an independent judge)
#    confirms both are manylinux2014; the quickstart runs against the program that wheel
#    installed, and ucare.testing finds it by itself;
#  - the four npm packages into a fresh npm project (ucare, ucare-emulator and their
#    linux-x64-gnu packages), after checking the addon and the program need no glibc newer
#    than 2.17; the quickstart runs, and ucare/testing finds the program by itself;
#  - the sdist and the crates are checked for their contents; `make dist` built the ucare
#    crate from its packaged sources (`cargo package`), and the ucare-emulator crate is
#    built here from its packaged sources against the packaged ucare.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The helpers must find the emulator as users' installs place it, not through the override.
unset UCARE_EMULATOR
work=$(mktemp -d)
log="$work/emulator.log"
trap 'kill "${emulator:-}" 2>/dev/null || true; wait "${emulator:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "dist-check: $*" >&2; exit 1; }
one() { local found=("$@"); [ ${#found[@]} -eq 1 ] && [ -e "${found[0]}" ] || fail "expected one file, found: ${found[*]}"; echo "${found[0]}"; }

wheel=$(one dist/ucare-*-abi3-*.whl)
emulator_wheel=$(one dist/ucare_emulator-*.whl)
emulator_pkg=$(one dist/ucare-emulator-0*.tgz)
emulator_bin_pkg=$(one dist/ucare-emulator-linux-x64-gnu-*.tgz)
sdist=$(one dist/ucare-*.tar.gz)
addon_pkg=$(one dist/ucare-linux-x64-gnu-*.tgz)
main_pkg=$(one dist/ucare-0*.tgz)
crate=$(one dist/ucare-0*.crate)
emulator_crate=$(one dist/ucare-emulator-0*.crate)

for w in "$wheel" "$emulator_wheel"; do
  echo "== the wheel: $(basename "$w")"
  case "$w" in *manylinux2014_x86_64.manylinux_2_17_x86_64.whl|*manylinux_2_17_x86_64.manylinux2014_x86_64.whl) ;; *) fail "not a manylinux2014 wheel: $w" ;; esac
  .venv/bin/auditwheel show "$w" | tee "$work/auditwheel.txt"
  grep -q 'manylinux_2_17_x86_64' "$work/auditwheel.txt" || fail "auditwheel does not find $w manylinux_2_17 compliant"
done

for pkg in "$addon_pkg" "$emulator_bin_pkg"; do
  echo "== $(basename "$pkg"): the glibc symbols its binary needs"
  mkdir "$work/unpacked"
  tar -xzf "$pkg" -C "$work/unpacked"
  binary=$(find "$work/unpacked/package" -type f ! -name '*.json' ! -name '*.md' | head -1)
  newest=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  echo "$(basename "$binary"): newest glibc symbol $newest"
  [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -1)" = "2.17" ] || fail "$binary needs glibc $newest (> 2.17)"
  rm -rf "$work/unpacked"
done

echo "== the sdist and the crates: their contents"
tar -tzf "$sdist" > "$work/sdist.txt"
for needed in pyproject.toml Cargo.toml core/src/lib.rs bindings-common/src/lib.rs bindings-python/src/lib.rs bindings-python/python/ucare/__init__.py LICENSE README.md; do
  grep -q "/$needed\$" "$work/sdist.txt" || fail "the sdist lacks $needed"
done
tar -tzf "$crate" > "$work/crate.txt"
grep -q '/src/lib.rs$' "$work/crate.txt" || fail "the ucare crate lacks src/lib.rs"
tar -tzf "$emulator_crate" > "$work/crate.txt"
grep -q '/src/main.rs$' "$work/crate.txt" || fail "the ucare-emulator crate lacks src/main.rs"

echo "== the ucare-emulator crate builds from its packaged sources against the packaged ucare"
# `cargo package` cannot verify it before ucare is on crates.io; this is that check, with
# crates.io's ucare replaced by the packaged one.
mkdir "$work/crates"
tar -xzf "$crate" -C "$work/crates"
tar -xzf "$emulator_crate" -C "$work/crates"
cat >> "$work/crates/$(basename "$emulator_crate" .crate)/Cargo.toml" <<TOML

[patch.crates-io]
ucare = { path = "../$(basename "$crate" .crate)" }
TOML
(cd "$work/crates/$(basename "$emulator_crate" .crate)" && CARGO_TARGET_DIR="$root/target/dist-check" cargo build --quiet --bins)

# From here on, no Rust: cargo and rustc are not on PATH.
norust=$(tr ':' '\n' <<<"$PATH" | grep -v -e '\.cargo' -e 'rustup' | while read -r dir; do
  [ -x "$dir/cargo" ] || [ -x "$dir/rustc" ] || printf '%s:' "$dir"; done)
export PATH="${norust%:}"
! command -v cargo >/dev/null && ! command -v rustc >/dev/null || fail "cargo or rustc is still on PATH"
echo "== PATH without Rust: $PATH"

echo "== pip install \"ucare[testing]\" into a fresh venv, from dist/ alone"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-index --find-links "$root/dist" "ucare[testing]"
"$work/venv/bin/python" - <<'PY'
from ucare.testing import Emulator
with Emulator() as emu:
    uuid = emu.upload("hello.txt", b"hello")
    assert emu.client().files.info(uuid).original_filename == "hello.txt"
print("ucare.testing found the program the ucare-emulator wheel installed")
PY

"$work/venv/bin/ucare-emulator" --port 0 --conversion-delay-ms 500 >"$log" 2>&1 &
emulator=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
base=$(grep -o 'http://[^ ]*' "$log" | head -1)
[ -n "$base" ] || { cat "$log"; fail "the emulator did not start"; }
export UPLOADCARE_PUBLIC_KEY=demopublickey UPLOADCARE_SECRET_KEY=demoprivatekey UPLOADCARE_API_BASE="$base" UPLOADCARE_UPLOAD_BASE="$base"
(cd "$work" && "$work/venv/bin/python" "$root/examples/python/quickstart.py")

echo "== npm install the four packages into a fresh project"
mkdir "$work/app"
cp examples/js/quickstart.mjs "$work/app/"
(cd "$work/app" && printf '{"name":"app","version":"1.0.0","private":true}\n' > package.json \
  && npm install --no-audit --no-fund --loglevel=error "$root/$addon_pkg" "$root/$main_pkg" "$root/$emulator_bin_pkg" "$root/$emulator_pkg" \
  && node quickstart.mjs \
  && node -e "
    const { Emulator } = require('ucare/testing')
    Emulator.start().then(async (emu) => {
      const uuid = emu.upload('hello.txt', 'hello')
      if ((await emu.client().files.info(uuid)).originalFilename !== 'hello.txt') throw new Error('wrong file')
      await emu.stop()
      console.log('ucare/testing found the program the ucare-emulator package installed')
    })" \
  && npx --no-install ucare-emulator --version)

echo "dist-check: every artifact installed without Rust and ran"
