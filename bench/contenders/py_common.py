"""What the Python contenders share: arguments, the peak memory, and the report line."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any, List, Tuple


def args() -> Tuple[str, List[str]]:
    workload = sys.argv[1]
    uuids = open(sys.argv[2]).read().split() if len(sys.argv) > 2 else []
    return workload, uuids


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
