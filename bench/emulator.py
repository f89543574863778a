"""The release-built emulator as a child process, for the benchmark and the soak."""

from __future__ import annotations

import pathlib
import re
import subprocess
from typing import List, Tuple

BINARY = pathlib.Path(__file__).resolve().parent.parent / "target" / "release" / "ucare-emulator"


def start(args: List[str]) -> Tuple["subprocess.Popen[str]", str]:
    """Starts the emulator on a free port with `args`; returns it and its base URL."""
    process = subprocess.Popen([str(BINARY), "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"(http://\S+)", line)
    if not match:
        process.kill()
        process.wait()
        raise SystemExit(f"the emulator did not start: {line}")
    return process, match.group(1)


def stop(process: "subprocess.Popen[str]") -> None:
    """Stops the emulator with SIGTERM so that it removes its work directory (the
    benchmark's 200 MB uploads live there); SIGKILL only if it does not stop."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
