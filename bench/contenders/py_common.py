"""What the Python contenders share: arguments, the peak memory, and the report line."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, List, Tuple


def args() -> Tuple[str, List[str]]:
    """The workload and its inputs; options (``--name=value``) are read with ``option``."""
    positional = [a for a in sys.argv[1:] if not a.startswith("--")]
    workload = positional[0]
    uuids = open(positional[1]).read().split() if len(positional) > 1 else []
    return workload, uuids


def option(name: str, default: str) -> str:
    """``--name=value`` from the command line."""
    return next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith(f"--{name}=")), default)


def env() -> Tuple[str, str, str]:
    return os.environ["UPLOADCARE_API_BASE"], os.environ["UPLOADCARE_PUBLIC_KEY"], os.environ["UPLOADCARE_SECRET_KEY"]


def peak_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def report(started: float, items: int, checksum: Any = 0, first_page_peak: int = 0) -> None:
    print(json.dumps({
        "seconds": time.perf_counter() - started, "items": items, "checksum": checksum,
        "peak_rss_first_page_kib": first_page_peak, "peak_rss_kib": peak_rss_kib(),
    }))
