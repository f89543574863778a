#!/usr/bin/env bash
# `make demo`: starts the emulator on a free port, runs the quickstart in Rust, Python and
# JavaScript against it, and stops it at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
./target/release/ucare-emulator --port 0 --conversion-delay-ms 500 >"$log" 2>&1 &
emulator=$!
trap 'kill "$emulator" 2>/dev/null || true; wait "$emulator" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 100); do
  grep -q "listening on" "$log" && break
  kill -0 "$emulator" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
base=$(grep -o 'http://[^ ]*' "$log" | head -1)
[ -n "$base" ] || { echo "the emulator did not start:"; cat "$log"; exit 1; }
echo "ucare-emulator is running at $base"

export UPLOADCARE_PUBLIC_KEY=demopublickey UPLOADCARE_SECRET_KEY=demoprivatekey UPLOADCARE_API_BASE="$base" UPLOADCARE_UPLOAD_BASE="$base"

echo; echo "=== Rust (examples/rust/quickstart.rs) ==="
./target/release/quickstart
echo; echo "=== Python (examples/python/quickstart.py) ==="
.venv/bin/python examples/python/quickstart.py
echo; echo "=== JavaScript (examples/js/quickstart.mjs) ==="
node examples/js/quickstart.mjs
echo; echo "Demo finished; the emulator is stopped."
