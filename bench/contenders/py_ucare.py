"""The ucare Python contender, sync (`sync`) or asyncio (`async`), used as its users would."""

from __future__ import annotations

import asyncio
import sys
import time

import ucare
from py_common import args, env, peak_rss_kib, report


def run_sync(workload: str, uuids: list) -> None:
    base, pk, sk = env()
    client = ucare.Client(pk, sk, base_url=base)
    started = time.perf_counter()
    if workload == "list":
        items, checksum, first = 0, 0, 0
        for page in client.files.list(limit=1000).pages():
            for f in page.results:
                items += 1
                checksum += f.size + len(f.uuid)
            first = first or peak_rss_kib()
        report(started, items, checksum, first)
    elif workload == "info-seq":
        report(started, len(uuids), sum(client.files.info(u).size for u in uuids))
    elif workload == "info-c16":
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(16) as pool:
            sizes = list(pool.map(lambda u: client.files.info(u).size, uuids))
        report(started, len(sizes), sum(sizes))
    elif workload == "store":
        batch = client.files.store_many(uuids)
        report(started, len(batch.result), len(batch.problems))
    elif workload == "convert":
        job = client.conversions.document([ucare.DocumentConversion(u, format="pdf") for u in uuids])
        done = [client.conversions.wait(j, timeout=120) for j in job.jobs]
        report(started, len(done), sum(d.status == "finished" for d in done))
    elif workload == "upload-big":
        uploader = ucare.Client(pk, sk, base_url=base, upload_base_url=base, timeout=300)
        f = uploader.upload(uuids[0])
        report(started, 1, f.size)
    elif workload == "upload-many":
        uploader = ucare.Client(pk, sk, base_url=base, upload_base_url=base)
        files = uploader.upload_many(uuids, concurrency=16)
        report(started, len(files), sum(f.size for f in files))


async def run_async(workload: str, uuids: list) -> None:
    base, pk, sk = env()
    client = ucare.AsyncClient(pk, sk, base_url=base)
    started = time.perf_counter()
    if workload == "list":
        items, checksum, first = 0, 0, 0
        async for page in client.files.list(limit=1000).pages():
            for f in page.results:
                items += 1
                checksum += f.size + len(f.uuid)
            first = first or peak_rss_kib()
        report(started, items, checksum, first)
    elif workload == "info-seq":
        total = 0
        for u in uuids:
            total += (await client.files.info(u)).size
        report(started, len(uuids), total)
    elif workload == "info-c16":
        semaphore = asyncio.Semaphore(16)

        async def one(u: str) -> int:
            async with semaphore:
                return (await client.files.info(u)).size

        sizes = await asyncio.gather(*(one(u) for u in uuids))
        report(started, len(sizes), sum(sizes))
    elif workload == "store":
        batch = await client.files.store_many(uuids)
        report(started, len(batch.result), len(batch.problems))
    elif workload == "convert":
        job = await client.conversions.document([ucare.DocumentConversion(u, format="pdf") for u in uuids])
        done = await asyncio.gather(*(client.conversions.wait(j, timeout=120) for j in job.jobs))
        report(started, len(done), sum(d.status == "finished" for d in done))


if __name__ == "__main__":
    mode = sys.argv.pop(1)
    workload, uuids = args()
    if mode == "sync":
        run_sync(workload, uuids)
    else:
        asyncio.run(run_async(workload, uuids))
