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
    hook: ucare.Webhook = client.webhooks.create("http://127.0.0.1:9/hook", signing_secret="s")
    client.webhooks.delete(hook.target_url)
    return len(batch.result)


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
