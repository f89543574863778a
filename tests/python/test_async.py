"""The async client: every method, concurrency, and a loop that never blocks."""

from __future__ import annotations

import asyncio
import time

import pytest

import ucare
from ucare.testing import Emulator

from conftest import png


def run(coro: "asyncio.Future[None] | object") -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_every_async_method(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client(api_version="0.5") as client:
            a = emu.upload("a.txt", b"a", store=False)
            b = emu.upload("photo.png", png(2, 2), store=False)
            assert (await client.project()).name == "demo"
            assert (await client.files.info(a)).original_filename == "a.txt"
            assert (await client.files.store(a)).is_stored
            assert (await client.files.delete(a)).is_removed
            batch = await client.files.store_many([b, "nope"])
            assert len(batch.result) == 1 and batch.problems == {"nope": "Invalid"}
            assert len((await client.files.delete_many([b])).result) == 1
            c = emu.upload("c.txt", b"c")
            copy = await client.files.copy(c, store=True)
            assert copy.uuid != c
            assert (await client.files.copy_to_storage(c, target="backup")).startswith("s3://backup/")
            group_id = emu.create_group([c])
            assert (await client.groups.info(group_id)).files_count == 1
            assert (await client.groups.store(group_id)).datetime_stored is not None
            assert [g.id async for g in client.groups.list()] == [group_id]
            hook = await client.webhooks.create("http://127.0.0.1:9/a")
            assert [h.id for h in await client.webhooks.list()] == [hook.id]
            assert not (await client.webhooks.update(hook.id, is_active=False)).is_active
            await client.webhooks.delete("http://127.0.0.1:9/a")
            started = await client.conversions.document(ucare.DocumentConversion(c, format="txt"))
            assert (await client.conversions.status(started.jobs[0])).status in ("pending", "processing", "finished")
            assert (await client.conversions.wait(started.jobs[0], timeout=10)).status == "finished"
            video = await client.conversions.video(ucare.VideoConversion(c))
            assert (await client.conversions.wait(video.jobs[0], timeout=10)).status == "failed"
            with pytest.raises(ucare.NotFoundError):
                await client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
            with pytest.raises(ucare.InvalidInputError):
                await client.files.info("nope")

    run(main())


def test_async_listing_pages_and_total() -> None:
    async def main() -> None:
        with Emulator(seed_files=45) as emu:
            client = emu.async_client()
            listing = client.files.list(limit=20)
            assert listing.total is None
            assert await listing.get_total() == 45
            assert [len(p.results) async for p in listing.pages()] == [20, 20, 5]
            uuids = [f.uuid async for f in client.files.list(limit=7)]
            assert len(set(uuids)) == 45

    run(main())


def test_many_requests_in_flight_at_once() -> None:
    async def main() -> None:
        with Emulator(seed_files=1) as emu:
            client = emu.async_client()
            uuid = next(iter(emu.client().files.list())).uuid
            started = time.perf_counter()
            results = await asyncio.gather(*[client.files.info(uuid) for _ in range(300)])
            assert len(results) == 300 and all(r.uuid == uuid for r in results)
            assert time.perf_counter() - started < 20
        # Proof that they are in flight together: 50 answers that each take 0.3 s arrive in
        # far less than the 15 s they would take one after another.
        with Emulator(fault_rate=1.0, faults=["slow"], slow=0.3) as slow:
            client = slow.async_client(max_retries=0)
            started = time.perf_counter()
            projects = await asyncio.gather(*[client.project() for _ in range(50)])
            assert len(projects) == 50
            assert time.perf_counter() - started < 3.0

    run(main())


def test_the_event_loop_keeps_running_during_a_slow_call() -> None:
    async def main() -> None:
        with Emulator(fault_rate=1.0, faults=["slow"], slow=0.6) as emu:
            client = emu.async_client(max_retries=0)
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.01)
                    ticks += 1

            task = asyncio.create_task(ticker())
            await client.project()
            task.cancel()
            assert ticks >= 20, f"the loop ran only {ticks} times during a 0.6 s call"

    run(main())


def test_a_cancelled_await_does_not_break_the_client() -> None:
    async def main() -> None:
        with Emulator(fault_rate=1.0, faults=["slow"], slow=0.3) as emu:
            client = emu.async_client(max_retries=0)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.project(), timeout=0.05)
            await asyncio.sleep(0.4)  # the abandoned answer arrives and is dropped quietly
            assert (await client.project()).name == "demo"

    run(main())


CONCURRENT_WAITS = """
import asyncio, sys
import ucare

async def main() -> None:
    client = ucare.AsyncClient("demopublickey", "demoprivatekey", base_url=sys.argv[1])
    started = await client.conversions.document([ucare.DocumentConversion(u, format="pdf") for u in sys.argv[2:]])
    done = await asyncio.gather(*(client.conversions.wait(job, timeout=30) for job in started.jobs))
    assert all(d.status == "finished" for d in done)

asyncio.run(main())
"""


def test_the_process_ends_cleanly_right_after_many_concurrent_calls() -> None:
    # Results reach asyncio through a socket the loop watches, never through a runtime thread
    # holding the GIL: such a thread was killed when the program ended under it, and the
    # process crashed at exit (SIGSEGV or SIGABRT) in about 1 run in 5 of this script.
    import subprocess
    import sys

    with Emulator(conversion_delay=0.05) as emu:
        uuids = [emu.upload(f"d{i}.txt", b"a document", store=True) for i in range(50)]
        for _ in range(16):
            done = subprocess.run([sys.executable, "-c", CONCURRENT_WAITS, emu.base_url, *uuids], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr[-2000:]
