"""Uploads from Python against the emulator: bytes, paths (multipart, from disk, with
progress), file objects, many at once, from a URL, groups, sync and async, and the tqdm example."""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import pathlib
import subprocess
import sys
from typing import List, Tuple

import pytest

import ucare
from ucare.testing import Emulator


@pytest.fixture(scope="module")
def emu() -> Emulator:
    with Emulator() as emulator:
        yield emulator  # type: ignore[misc]


def test_bytes_and_file_objects_upload_to_files(emu: Emulator) -> None:
    client = emu.client()
    f = client.upload(b"hello", name="hello.txt", store=False, metadata={"kind": "greeting"})
    assert isinstance(f, ucare.File) and (f.original_filename, f.size, f.is_stored) == ("hello.txt", 5, False)
    g = client.upload(io.BytesIO(b"from a file object"), name="object.txt", store=True)
    assert g.is_stored and g.size == 18
    assert client.files.info(f.uuid) == f


def test_a_path_goes_in_parts_with_progress(emu: Emulator, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * (11 * 1024 * 1024 // 256))
    reports: List[Tuple[int, int]] = []
    f = emu.client().upload(path, store=True, on_progress=lambda sent, total: reports.append((sent, total)))
    assert f.size == path.stat().st_size and f.original_filename == "big.bin"
    assert len(reports) == 3 and reports[-1] == (f.size, f.size)


def test_many_at_once_and_nothing_lost_when_one_fails(emu: Emulator) -> None:
    client = emu.client()
    files = client.upload_many([b"a", b"bb", b"ccc"], concurrency=2)
    assert [f.size for f in files] == [1, 2, 3]
    with pytest.raises(ucare.InvalidInputError) as err:
        client.upload_many([b"ok", b"", b"fine"])
    uploaded = err.value.uploaded  # type: ignore[attr-defined]
    assert [u.size if u else None for u in uploaded] == [2, None, 4]
    assert list(err.value.errors) == [1]  # type: ignore[attr-defined]


def test_upload_from_url_waits_for_the_file(emu: Emulator) -> None:
    client = emu.client()
    source = emu.upload("src.txt", b"fetched")
    f = client.upload_from_url(f"{emu.base_url}{source}/src.txt", name="copy.txt", store=True)
    assert (f.original_filename, f.size, f.is_stored) == ("copy.txt", 7, True)
    with pytest.raises(ucare.ApiError, match="404"):
        client.upload_from_url(f"{emu.base_url}21975c81-7f57-4c7a-aef9-acfe28779f78/")
    with pytest.raises(ucare.InvalidInputError):
        client.upload_from_url("ftp://example.com/x")


def test_bad_sources_are_refused(emu: Emulator) -> None:
    client = emu.client()
    for source in (b"", "/nonexistent/file", io.StringIO("text mode"), 5):
        with pytest.raises(ucare.InvalidInputError):
            client.upload(source)  # type: ignore[arg-type]
    with pytest.raises(ucare.InvalidInputError):
        client.upload(b"x", metadata={"a b": "v"})
    with pytest.raises(ucare.InvalidInputError):
        client.upload(b"x", metadata=["not", "a", "mapping"])  # type: ignore[arg-type]


def test_groups_are_made_of_uploaded_files(emu: Emulator) -> None:
    client = emu.client()
    first, second = client.upload_many([b"one", b"two"])
    group = client.groups.create([first, f"{second.uuid}/-/resize/10x10/"])
    assert group.files_count == 2 and group.id.endswith("~2")
    assert group.files is not None and [f.uuid for f in group.files if f] == [first.uuid, second.uuid]
    assert client.groups.info(group.id) == group
    endless = itertools.repeat(first.uuid)
    for bad in ([], "not a list", [5], ["not-a-uuid"], endless):
        before = emu.stats["requests"]
        with pytest.raises(ucare.InvalidInputError):
            client.groups.create(bad)  # type: ignore[arg-type]
        assert emu.stats["requests"] == before
    with pytest.raises(ucare.ApiError):
        client.groups.create(["21975c81-7f57-4c7a-aef9-acfe28779f78"])


def test_async_uploads(emu: Emulator) -> None:
    async def run() -> None:
        client = emu.async_client()
        f = await client.upload(b"async bytes", name="a.txt")
        files = await client.upload_many([b"1", b"22"])
        fetched = await client.upload_from_url(f"{emu.base_url}{f.uuid}/a.txt")
        assert (f.size, [x.size for x in files], fetched.size) == (11, [1, 2], 11)
        group = await client.groups.create(files)
        assert group.files_count == 2

    asyncio.run(run())


def test_the_tqdm_example_shows_progress_to_the_end(emu: Emulator, tmp_path: pathlib.Path) -> None:
    """examples/python/upload_progress.py, as a user runs it: a bar driven by on_progress."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"\x01" * (11 * 1024 * 1024))
    example = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "upload_progress.py"
    env = dict(os.environ, UPLOADCARE_PUBLIC_KEY=emu.public_key, UPLOADCARE_SECRET_KEY="demoprivatekey",  # the emulator's default
               UPLOADCARE_API_BASE=emu.base_url, UPLOADCARE_UPLOAD_BASE=emu.base_url)
    run = subprocess.run([sys.executable, str(example), str(path)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(f"big.bin {11 * 1024 * 1024} bytes")
    assert "100%" in run.stderr  # tqdm draws on stderr; the bar reached the file's size


def test_a_blocking_call_inside_a_progress_callback_is_refused_not_hung(emu: Emulator) -> None:
    # The callback runs on the client's own threads: a blocking call there would wait for
    # threads busy waiting for it.
    import threading

    client = emu.client()
    refused: List[BaseException] = []

    def progress(sent: int, total: int) -> None:
        try:
            client.project()
        except ucare.UploadcareError as error:
            refused.append(error)

    done: List[ucare.File] = []
    worker = threading.Thread(target=lambda: done.append(client.upload(b"x" * (11 * 1024 * 1024), name="big.bin", on_progress=progress)),
                              daemon=True)
    worker.start()
    worker.join(60)
    assert done, "the upload hung"
    assert refused and all(isinstance(e, ucare.InvalidInputError) and "callback" in str(e) for e in refused), refused
    assert client.project().pub_key == emu.public_key
