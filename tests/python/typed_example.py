"""A typed use of the public API; `mypy --strict` must pass on it (see test_typing.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import List, Optional

import ucare
from ucare.testing import Delivery, Emulator


def newest_stored(client: ucare.Client, count: int) -> List[ucare.File]:
    files: List[ucare.File] = []
    for f in client.files.list(stored=True, ordering="-datetime_uploaded", limit=100):
        uploaded: Optional[datetime] = f.datetime_uploaded
        if uploaded is not None:
            files.append(f)
        if len(files) == count:
            break
    return files


def tidy(client: ucare.Client, uuids: List[str]) -> int:
    batch: ucare.BatchResult = client.files.store_many(uuids)
    for uuid, problem in batch.problems.items():
        print(uuid, problem)
    album: ucare.Group = client.groups.create(uuids)
    print(album.id, album.files_count)
    page: ucare.Page
    for page in client.groups.list().pages():
        print(page.total)
    job: ucare.ConversionResponse = client.conversions.document(ucare.DocumentConversion(uuids[0], format="pdf"), store=True)
    done: ucare.ConversionStatus = client.conversions.wait(job.jobs[0], timeout=60)
    print(done.status, done.uuid)
    hook: ucare.Webhook = client.webhooks.create("http://127.0.0.1:9/hook", event="file.stored", signing_secret="s")
    client.webhooks.delete(hook.target_url)
    return len(batch.result)


def v07(client: ucare.Client, uuid: str) -> None:
    meta = client.files.metadata(uuid)
    written: ucare.MetadataWrite = meta.set("subject", "cat")
    meta["size"] = "big"
    print(written, meta.get("subject"), dict(meta))
    copy: ucare.File = client.files.local_copy(uuid, store=True, metadata={"k": "v"})
    info: Optional[ucare.ContentInfo] = copy.content_info
    print(info, copy.metadata)
    run: ucare.AddonRun = client.addons.detect_labels(uuid)
    status: ucare.AddonStatus = client.addons.wait(run, timeout=10)
    state: ucare.AddonState = status.status
    print(state, client.files.info(uuid, include_appdata=True).appdata)
    doc: ucare.DocumentInfo = client.conversions.document_info(uuid)
    print(doc.format, doc.conversion_formats)
    quick = client.with_options(timeout=5, max_retries=0)
    print(quick.files.info(uuid).uuid, quick.api_version)


async def count_files(client: ucare.AsyncClient) -> int:
    n = 0
    async for _ in client.files.list():
        n += 1
    project: ucare.Project = await client.project()
    print(project.name)
    return n


def handle_delivery(secret: str, body: bytes, header: str) -> str:
    try:
        event: ucare.WebhookEvent = ucare.webhooks.verify_and_parse(secret, body, header)
    except ucare.InvalidInputError:
        return "forged"
    return event.data.uuid


def main() -> None:
    with Emulator(seed_files=3) as emu:
        client: ucare.Client = emu.client(timeout=10.0)
        uuid: str = emu.upload("a.txt", b"hello")
        print(newest_stored(client, 2), tidy(client, [uuid]))
        v07(client, emu.upload("report.pdf", b"%PDF-1.4 a document", store=True))
        print(asyncio.run(count_files(emu.async_client())))
        deliveries: List[Delivery] = emu.deliveries
        print(len(deliveries))
        try:
            client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
        except ucare.NotFoundError as error:
            status: int = error.status
            print(status, error.detail)


if __name__ == "__main__":
    main()
