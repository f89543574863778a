"""The cross-language scenario through the Python package: the same calls as src/main.rs,
each result printed as one line of canonical JSON ``[step, value]``."""

from __future__ import annotations

import json
from typing import Any, Optional

import ucare

MISSING = "21975c81-7f57-4c7a-aef9-acfe28779f78"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (3).to_bytes(4, "big") + (2).to_bytes(4, "big") + b"\x08\x02" + b"\x00" * 7


def iso(value: Any) -> Optional[str]:
    return None if value is None else value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def file(f: ucare.File) -> dict:
    image = f.image_info
    return {
        "uuid": f.uuid, "original_filename": f.original_filename, "mime_type": f.mime_type, "size": f.size, "is_image": f.is_image,
        "is_ready": f.is_ready, "stored": f.is_stored, "removed": f.is_removed, "datetime_uploaded": iso(f.datetime_uploaded),
        "metadata": f.metadata, "content_mime": ((f.content_info.mime or {}).get("mime") if f.content_info else None),
        "image_size": [image.width, image.height] if image else None,
        "appdata_keys": None if f.appdata is None else sorted(f.appdata),
    }


def error(e: ucare.ApiError) -> dict:
    kinds = {ucare.NotFoundError: "not_found", ucare.BadRequestError: "bad_request", ucare.AuthenticationError: "authentication",
             ucare.ThrottledError: "throttled"}
    return {"error": kinds.get(type(e), "api"), "status": e.status, "detail": e.detail}


def step(name: str, value: Any) -> None:
    print(json.dumps([name, value], separators=(",", ":")))


def main() -> None:
    client = ucare.Client.from_env()
    project = client.project()
    step("project", {"name": project.name, "pub_key": project.pub_key, "autostore_enabled": project.autostore_enabled})

    a = client.upload(b"hello", name="a.txt", store=False, metadata={"k": "v"})
    step("upload", file(a))
    step("info", file(client.files.info(a.uuid)))
    step("store", file(client.files.store(a.uuid)))
    step("list", [file(f) for f in client.files.list(stored=True, limit=10)])
    batch = client.files.store_many([a.uuid, "not-a-uuid"])
    step("store_many", {"status": batch.status, "problems": batch.problems, "result": [f.uuid for f in batch.result]})
    copy = client.files.local_copy(a.uuid, store=True)
    step("local_copy", file(copy))

    meta = client.files.metadata(a.uuid)
    step("metadata_set", meta.set("subject", "cat"))
    step("metadata_get", meta["subject"])
    step("metadata_all", dict(meta))

    group = client.groups.info(client.groups.create([a, copy]).id)
    step("group", {"id": group.id, "files_count": group.files_count, "files": [f.uuid if f else None for f in group.files or []]})
    client.groups.delete(group.id)
    try:
        client.groups.info(group.id)
    except ucare.ApiError as e:
        step("group_deleted", error(e))

    def view(h: ucare.Webhook) -> dict:
        return {"id": h.id, "event": h.event, "target_url": h.target_url, "is_active": h.is_active, "has_secret": h.signing_secret is not None}

    hook = client.webhooks.create("https://example.com/hook", event="file.stored", signing_secret="s3cret")
    step("webhook", view(hook))
    step("webhook_update", view(client.webhooks.update(hook.id, is_active=False)))
    client.webhooks.delete("https://example.com/hook")
    step("webhooks_after", len(client.webhooks.list()))

    doc = client.upload(b"%PDF-1.4 a document", name="report.pdf", store=True)
    started = client.conversions.document(ucare.DocumentConversion(doc.uuid, format="png"), store=True, save_in_group=True)
    step("convert", {"jobs": [{"token": j.token, "uuid": j.uuid} for j in started.jobs], "problems": started.problems})
    done = client.conversions.wait(started.jobs[0], timeout=30)
    step("convert_wait", {"status": done.status, "error": done.error, "uuid": done.uuid})
    info = client.conversions.document_info(doc.uuid)
    step("document_info", {"format": info.format, "conversion_formats": info.conversion_formats, "converted_groups": sorted(info.converted_groups)})

    image = client.upload(PNG, name="pixel.png", store=True)
    step("upload_image", file(image))
    run = client.addons.detect_labels(image.uuid)
    step("addon_run", {"addon": run.addon})
    status = client.addons.wait(run, timeout=30)
    step("addon_wait", {"status": status.status, "file_id": status.file_id})
    step("info_appdata", file(client.files.info(image.uuid, include_appdata=True)))

    try:
        client.files.info(MISSING)
    except ucare.ApiError as e:
        step("error", error(e))


if __name__ == "__main__":
    main()
