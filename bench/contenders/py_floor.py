"""The Python floor: the leanest hand-written loop (http.client keep-alive, json.loads, the
signature by hand, no models, no retries) doing the same requests."""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import http.client
import json
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from py_common import args, env, peak_rss_kib, report

BASE, PK, SK = env()
HOST = urllib.parse.urlsplit(BASE)
ROOT = HOST.path.rstrip("/")
local = threading.local()


def send(method: str, uri: str, body: bytes = b"") -> Any:
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = local.conn = http.client.HTTPConnection(HOST.hostname, HOST.port)
    date = email.utils.formatdate(usegmt=True)
    sign = "\n".join([method, hashlib.md5(body).hexdigest(), "application/json", date, uri])
    signature = hmac.new(SK.encode(), sign.encode(), hashlib.sha1).hexdigest()
    conn.request(method, uri, body=body, headers={
        "Accept": "application/vnd.uploadcare-v0.5+json", "Content-Type": "application/json", "Date": date,
        "Authorization": f"Uploadcare {PK}:{signature}",
    })
    return json.loads(conn.getresponse().read())


def main() -> None:
    workload, uuids = args()
    started = time.perf_counter()
    if workload == "list":
        uri, items, checksum, first = f"{ROOT}/files/?limit=1000", 0, 0, 0
        while uri:
            page = send("GET", uri)
            for f in page["results"]:
                items += 1
                checksum += f["size"] + len(f["uuid"])
            first = first or peak_rss_kib()
            nxt = page["next"]
            uri = nxt[nxt.index("/", len(HOST.scheme) + 3):] if nxt else None
        report(started, items, checksum, first)
    elif workload == "info-seq":
        report(started, len(uuids), sum(send("GET", f"{ROOT}/files/{u}/")["size"] for u in uuids))
    elif workload == "info-c16":
        with ThreadPoolExecutor(16) as pool:
            sizes = list(pool.map(lambda u: send("GET", f"{ROOT}/files/{u}/")["size"], uuids))
        report(started, len(sizes), sum(sizes))
    elif workload == "store":
        stored = 0
        for i in range(0, len(uuids), 100):
            stored += len(send("PUT", f"{ROOT}/files/storage/", json.dumps(uuids[i:i + 100]).encode())["result"])
        report(started, stored, 0)
    elif workload == "convert":
        answer = send("POST", f"{ROOT}/convert/document/", json.dumps({"paths": [f"{u}/document/-/format/pdf/" for u in uuids]}).encode())
        done = 0
        for job in answer["result"]:
            while True:
                status = send("GET", f"{ROOT}/convert/document/status/{job['token']}/")["status"]
                if status in ("finished", "failed", "cancelled"):
                    done += status == "finished"
                    break
                time.sleep(0.1)
        report(started, len(answer["result"]), done)


if __name__ == "__main__":
    main()
