"""The Python quickstart: every part of the client (REST API v0.7) against a running
Uploadcare (the emulator in `make demo`). Reads UPLOADCARE_PUBLIC_KEY, UPLOADCARE_SECRET_KEY
and UPLOADCARE_API_BASE; uploads go to UPLOADCARE_UPLOAD_BASE."""

from __future__ import annotations

import base64
import http.server
import os
import queue
import threading
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

        meta = client.files.metadata(image)
        meta["source"] = "quickstart"
        print(f"metadata: {dict(meta)}")
        run = client.addons.detect_labels(image)
        status = client.addons.wait(run, timeout=30)
        appdata = client.files.info(image, include_appdata=True).appdata or {}
        print(f"add-on {run.addon}: {status.status}; appdata has {sorted(appdata)}")
        twin = client.files.local_copy(image, store=True)
        print(f"local copy: {twin.uuid}")

        batch = client.files.store_many([image, document, "not-a-uuid"])
        print(f"batch store: {len(batch.result)} stored, problems: {batch.problems}")
        removed = client.files.delete_many([extra])
        print(f"batch delete: {len(removed.result)} removed")

        print("stored files, newest first:")
        for f in client.files.list(stored=True, ordering="-datetime_uploaded", limit=100):
            print(f"  {f.uuid}  {f.size:>6} bytes  {f.original_filename}")

        group = client.groups.info(client.groups.create([image, document]).id)
        print(f"group {group.id} has {group.files_count} files")
        client.groups.delete(group.id)
        print(f"group {group.id} deleted (its files stay)")

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
