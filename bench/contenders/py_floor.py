"""The Python floor: the leanest hand-written loop (json.loads, the signature by hand, no
models, no retries) doing the same v0.7 requests, over the HTTP client named by the last
argument: ``http.client`` (keep-alive, one connection per thread), ``urllib3`` (a pool) or
``httpx`` (a pool). `make bench` runs all three and takes the fastest as the floor."""

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
from typing import Any, Callable, Dict

from py_common import args, env, option, peak_rss_kib, report

BASE, PK, SK = env()
HOST = urllib.parse.urlsplit(BASE)
ROOT = HOST.path.rstrip("/")
BACKEND = option("http", "http.client")
local = threading.local()


def headers(method: str, uri: str, body: bytes) -> Dict[str, str]:
    date = email.utils.formatdate(usegmt=True)
    sign = "\n".join([method, hashlib.md5(body).hexdigest(), "application/json", date, uri])
    signature = hmac.new(SK.encode(), sign.encode(), hashlib.sha1).hexdigest()
    return {"Accept": "application/vnd.uploadcare-v0.7+json", "Content-Type": "application/json", "Date": date,
            "Authorization": f"Uploadcare {PK}:{signature}"}


def read_http_client(method: str, uri: str, body: bytes) -> bytes:
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = local.conn = http.client.HTTPConnection(HOST.hostname, HOST.port)
    conn.request(method, uri, body=body, headers=headers(method, uri, body))
    return conn.getresponse().read()


def reader() -> Callable[[str, str, bytes], bytes]:
    if BACKEND == "urllib3":
        import urllib3

        pool = urllib3.HTTPConnectionPool(HOST.hostname, HOST.port, maxsize=16)
        return lambda method, uri, body: pool.request(method, uri, body=body or None, headers=headers(method, uri, body)).data
    if BACKEND == "httpx":
        import httpx

        client = httpx.Client(base_url=f"{HOST.scheme}://{HOST.netloc}", limits=httpx.Limits(max_connections=16))
        return lambda method, uri, body: client.request(method, uri, content=body or None, headers=headers(method, uri, body)).content
    return read_http_client


READ = reader()


def send(method: str, uri: str, body: bytes = b"") -> Any:
    return json.loads(READ(method, uri, body))


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
