"""The official Python client (pyuploadcare from PyPI, at its default REST API version, v0.7), used as its docs show."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from pyuploadcare import File, Uploadcare
from pyuploadcare.transformations.document import DocumentFormat, DocumentTransformation

from py_common import args, env, peak_rss_kib, report


def main() -> None:
    workload, uuids = args()
    base, pk, sk = env()
    uc = Uploadcare(public_key=pk, secret_key=sk, api_base=base, upload_base=base)  # its default version, v0.7
    started = time.perf_counter()
    if workload == "list":
        items, checksum, first = 0, 0, 0
        for f in uc.list_files(request_limit=1000):
            info = f.info
            items += 1
            checksum += info["size"] + len(str(f.uuid))
            if items == 1000:
                first = peak_rss_kib()
        report(started, items, checksum, first)
    elif workload == "info-seq":
        report(started, len(uuids), sum(uc.file(u).info["size"] for u in uuids))
    elif workload == "info-c16":
        with ThreadPoolExecutor(16) as pool:
            sizes = list(pool.map(lambda u: uc.file(u).info["size"], uuids))
        report(started, len(sizes), sum(sizes))
    elif workload == "store":
        uc.store_files(uuids)
        report(started, len(uuids), 0)
    elif workload == "convert":
        api = uc.document_convert_api
        response = api.convert([DocumentTransformation().format(DocumentFormat.pdf).path(u) for u in uuids])
        done = 0
        for job in response.result:
            while True:
                status = api.status(job.token)
                if status.status in ("finished", "failed", "cancelled"):
                    done += status.status == "finished"
                    break
                time.sleep(0.1)
        report(started, len(response.result), done)
    elif workload == "upload-big":
        uploader = Uploadcare(public_key=pk, secret_key=sk, api_base=base, upload_base=base)
        with open(uuids[0], "rb") as handle:
            uploaded = uploader.upload(handle)
        report(started, 1, 0 if uploaded is None else 1)
    elif workload == "upload-many":
        uploader = Uploadcare(public_key=pk, secret_key=sk, api_base=base, upload_base=base)

        def one(path: str) -> str:
            with open(path, "rb") as handle:
                return str(uploader.upload(handle).uuid)

        with ThreadPoolExecutor(16) as pool:
            uploaded_ids = list(pool.map(one, uuids))
        report(started, len(uploaded_ids), 0)


if __name__ == "__main__":
    main()
    _ = File  # the listing yields File objects
