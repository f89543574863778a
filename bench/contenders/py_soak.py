"""Soak worker (Python): list every file, batch-store, read infos and copy under faults;
prints one JSON line with what it met. Run by bench/soak.py."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import ucare


def main() -> None:
    store_count, info_count, copies = (int(a) for a in sys.argv[1:4])
    client = ucare.Client(os.environ["UPLOADCARE_PUBLIC_KEY"], os.environ["UPLOADCARE_SECRET_KEY"], base_url=os.environ["UPLOADCARE_API_BASE"],
                          timeout=float(os.environ["SOAK_TIMEOUT"]), max_retries=int(os.environ["SOAK_RETRIES"]))
    report = {"errors": 0}
    uuids = []
    listing = client.files.list(limit=100)
    while True:  # a page that still fails after the retries is asked again: the cursor has not moved
        try:
            for page in listing.pages():
                uuids.extend(f.uuid for f in page.results)
            break
        except ucare.UploadcareError:
            report["errors"] += 1
    report["listed"], report["unique"] = len(uuids), len(set(uuids))

    targets = uuids[:store_count]
    while True:
        try:
            batch = client.files.store_many(targets)
            break
        except ucare.UploadcareError:
            report["errors"] += 1
    report["store_result"], report["store_problems"] = len(batch.result), len(batch.problems)

    def info(uuid: str) -> bool:
        try:
            return client.files.info(uuid).uuid == uuid
        except ucare.UploadcareError:
            return False

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(info, uuids[:info_count]))
    report["info_ok"], report["info_failed"] = sum(results), len(results) - sum(results)

    outcomes = {"ok": 0, "unknown": 0, "failed": 0}
    for i in range(copies):
        try:
            client.files.local_copy(uuids[i])
            outcomes["ok"] += 1
        except ucare.OutcomeUnknownError:
            outcomes["unknown"] += 1
        except ucare.UploadcareError:
            outcomes["failed"] += 1
    report["copies"] = outcomes
    report.update(client.stats())
    print(json.dumps(report))


if __name__ == "__main__":
    main()
