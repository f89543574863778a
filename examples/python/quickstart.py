"""The Python quickstart: every part of the client against a running Uploadcare (the
emulator in `make demo`). Reads UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY and
UPLOADCARE_API_BASE; uploads go to UPLOADCARE_UPLOAD_BASE."""

from __future__ import annotations

import base64
import http.server
import json
import os
import queue
import threading
import urllib.parse
import urllib.request
from typing import Tuple

import ucare

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGMAAQAABQABDQottAAAAABJRU5ErkJggg==")
SIGNING_SECRET = "demo-signing-secret"


def start_receiver() -> Tuple[str, "queue.Queue[Tuple[str, bytes]]"]:
    """A local HTTP endpoint that queues each webhook delivery (signature header, raw body)."""
    received: "queue.Queue[Tuple[str, bytes]]" = queue.Queue()

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.put((self.headers.get(ucare.webhooks.SIGNATURE_HEADER, ""), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/hook", received


def main() -> None:
    with ucare.Client.from_env(user_agent_suffix="quickstart") as client:
        upload_base = os.environ["UPLOADCARE_UPLOAD_BASE"]
        public_key = os.environ["UPLOADCARE_PUBLIC_KEY"]

        hook_url, received = start_receiver()
        hook = client.webhooks.create(hook_url, signing_secret=SIGNING_SECRET)
        print(f"subscribed webhook {hook.id} -> {hook.target_url}")

        image = client.upload(PNG, name="pixel.png", store=False, metadata={"subject": "pixel"}).uuid
        document = client.upload(b"Meeting notes: ship the Python package.", name="notes.txt", store=False).uuid
        extra = client.upload(b"to be removed", name="extra.txt", store=False).uuid
        print(f"uploaded pixel.png {image}, notes.txt {document}, extra.txt {extra}")
        copy = client.upload_from_url(f"{upload_base}{image}/pixel.png", name="pixel-copy.png", store=True)
        print(f"uploaded from a URL: {copy.original_filename} {copy.uuid}")

        signature, body = received.get(timeout=10)
        event = ucare.webhooks.verify_and_parse(SIGNING_SECRET, body, signature)
        print(f"webhook delivered for {event.data.original_filename} ({event.data.uuid}), signature verified")

        info = client.files.info(image)
        dims = f"{info.image_info.width}x{info.image_info.height}" if info.image_info else "no"
        print(f"info: {info.original_filename} {info.mime_type} {info.size} bytes, {dims} image, uploaded {info.datetime_uploaded:%Y-%m-%d %H:%M:%S %Z}")

        batch = client.files.store_many([image, document, "not-a-uuid"])
        print(f"batch store: {len(batch.result)} stored, problems: {batch.problems}")
        removed = client.files.delete_many([extra])
        print(f"batch delete: {len(removed.result)} removed")

        print("stored files, newest first:")
        for f in client.files.list(stored=True, ordering="-datetime_uploaded", limit=100):
            print(f"  {f.uuid}  {f.size:>6} bytes  {f.original_filename}")

        form = urllib.parse.urlencode({"pub_key": public_key, "files[0]": image, "files[1]": document}).encode()
        with urllib.request.urlopen(urllib.request.Request(f"{upload_base}group/", data=form, method="POST"), timeout=10) as answer:
            group_id = json.load(answer)["id"]
        group = client.groups.info(group_id)
        print(f"group {group.id} has {group.files_count} files")

        job = client.conversions.document(ucare.DocumentConversion(document, format="pdf"), store=True)
        done = client.conversions.wait(job.jobs[0], timeout=60)
        assert done.uuid is not None
        pdf = client.files.info(done.uuid)
        print(f"converted notes.txt -> {pdf.original_filename} ({pdf.mime_type}), status {done.status}")

        project = client.project()
        print(f"project {project.name!r} ({project.pub_key}), autostore {project.autostore_enabled}")

        client.webhooks.delete(hook_url)
        stats = client.stats()
        print(f"unsubscribed; {stats['requests']} requests made, {stats['retries']} retried")


if __name__ == "__main__":
    main()
