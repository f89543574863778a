"""REST API v0.7 from Python, against the emulator: the default version, every v0.7 method
(sync and async), per-call options, the request log, and the operations the package sends."""

from __future__ import annotations

import asyncio
import logging
import pathlib
import re
import time

import pytest

import ucare
from ucare import _native
from ucare.testing import Emulator

from conftest import SECRET, png
from test_hardening import count, hostile  # noqa: F401  (the hostile server fixture, shared)

V07 = "application/vnd.uploadcare-v0.7+json"
PDF = b"%PDF-1.4 a document"


def test_the_default_client_speaks_v07(emu: Emulator, client: ucare.Client) -> None:
    assert client.api_version == "0.7" and "api_version='0.7'" in repr(client)
    client.project()
    assert emu.requests[-1].accept == V07
    assert emu.client(api_version="0.5").api_version == "0.5"
    with pytest.raises(ucare.InvalidInputError, match="api_version"):
        emu.client(api_version="0.6")  # type: ignore[arg-type]


def test_files_in_v07_shape(emu: Emulator, client: ucare.Client) -> None:
    uuid = emu.upload("photo.png", png(3, 2), store=False)
    f = client.files.info(uuid)
    assert f.content_info is not None and f.content_info.mime == {"mime": "image/png", "type": "image", "subtype": "png"}
    assert f.image_info is not None and (f.image_info.width, f.image_info.height) == (3, 2)
    assert f.metadata == {} and f.appdata is None and "content_info" not in f.extra
    assert client.files.info(uuid, include_appdata=True).appdata is not None
    assert "include=appdata" in emu.requests[-1].uri
    listed = [g for g in client.files.list(include_appdata=True) if g.uuid == uuid]
    assert listed[0].appdata is not None


def test_a_file_from_info_equals_the_same_file_from_a_listing(emu: Emulator) -> None:
    emu.upload("a.txt", b"a", store=True)
    for version in ("0.7", "0.5"):
        client = emu.client(api_version=version)  # type: ignore[arg-type]
        for listed in client.files.list():
            assert client.files.info(listed.uuid) == listed, version


def test_copies_and_metadata(emu: Emulator, client: ucare.Client) -> None:
    uuid = emu.upload("photo.png", png(3, 2), store=True)
    copy = client.files.local_copy(uuid, store=True, metadata={"subject": "cat"})
    assert copy.uuid != uuid and copy.metadata == {"subject": "cat"} and copy.is_stored
    remote = client.files.remote_copy(uuid, target="backup", pattern="${uuid}${ext}")
    assert remote == ucare.RemoteCopy(f"s3://backup/{uuid}.png", True)
    assert client.files.remote_copy(uuid, target="backup", pattern="${uuid}${ext}").created is False
    meta = client.files.metadata(uuid)
    meta["subject"] = "dog"
    assert meta.set("subject", "cow") == "replaced" and meta.set("size", "big") == "created"
    assert meta["subject"] == "cow" and dict(meta) == {"subject": "cow", "size": "big"} and len(meta) == 2
    assert client.files.info(uuid).metadata == {"subject": "cow", "size": "big"}
    del meta["size"]
    assert meta.get("size") is None and "size" not in meta
    with pytest.raises(KeyError):
        del meta["size"]
    with pytest.raises(ucare.InvalidInputError, match="key"):
        meta["bad key!"] = "x"


def test_addons(emu: Emulator, client: ucare.Client) -> None:
    uuid = emu.upload("photo.png", png(3, 2), store=True)
    run = client.addons.detect_labels(uuid)
    assert run.addon == "aws_rekognition_detect_labels"
    assert client.addons.wait(run, timeout=10).status == "done"
    assert client.addons.status((run.addon, run.request_id)).is_final
    labels = client.files.info(uuid, include_appdata=True).appdata or {}
    assert "aws_rekognition_detect_labels" in labels
    bg = client.addons.wait(client.addons.remove_bg(uuid, crop=True, type_level="2"), timeout=10)
    assert bg.status == "done" and bg.file_id is not None and client.files.info(bg.file_id).uuid == bg.file_id
    assert client.addons.wait(client.addons.virus_scan(uuid, purge_infected=False)).status == "done"
    assert client.addons.detect_moderation_labels(uuid).addon == "aws_rekognition_detect_moderation_labels"
    with pytest.raises(ucare.InvalidInputError, match="channels"):
        client.addons.remove_bg(uuid, channels="rgb")  # type: ignore[arg-type]
    with pytest.raises(ucare.InvalidInputError, match="add-on"):
        client.addons.run("sharpen", uuid)  # type: ignore[arg-type]


def test_groups_webhooks_and_conversions(emu: Emulator, client: ucare.Client) -> None:
    a = emu.upload("a.txt", b"a", store=True)
    group = client.groups.create([a])
    assert client.groups.info(group.id).files_count == 1
    client.groups.delete(group.id)
    with pytest.raises(ucare.NotFoundError):
        client.groups.info(group.id)
    hook = client.webhooks.create("https://example.com/hook", event="file.stored", signing_secret="s3cret")
    assert hook.event == "file.stored"
    assert client.webhooks.update(hook.id, event="file.info_updated", is_active=False).event == "file.info_updated"
    client.webhooks.delete("https://example.com/hook")
    assert client.webhooks.list() == []
    with pytest.raises(ucare.InvalidInputError, match="event"):
        client.webhooks.create("https://example.com/other", event="file.exploded")  # type: ignore[arg-type]
    doc = emu.upload("report.pdf", PDF, store=True)
    started = client.conversions.document(ucare.DocumentConversion(doc, format="png"), store=True, save_in_group=True)
    assert client.conversions.wait(started.jobs[0], timeout=10).status == "finished"
    info = client.conversions.document_info(doc)
    assert info.format == "pdf" and "png" in info.conversion_formats and "png" in info.converted_groups


def test_every_async_v07_method(emu: Emulator) -> None:
    async def main() -> None:
        async with emu.async_client() as client:
            uuid = emu.upload("photo.png", png(3, 2), store=True)
            assert (await client.files.info(uuid, include_appdata=True)).appdata is not None
            copy = await client.files.local_copy(uuid, metadata={"k": "v"})
            assert copy.metadata == {"k": "v"}
            assert (await client.files.remote_copy(uuid, target="backup")).url.startswith("s3://backup/")
            meta = client.files.metadata(uuid)
            assert await meta.set("k", "1") == "created" and await meta.get("k") == "1" and await meta.all() == {"k": "1"}
            await meta.delete("k")
            assert await meta.get("k", "gone") == "gone"
            run = await client.addons.detect_labels(uuid)
            assert (await client.addons.wait(run, timeout=10)).status == "done"
            assert (await client.addons.status(run)).is_final
            assert (await client.addons.remove_bg(uuid)).addon == "remove_bg"
            assert (await client.addons.virus_scan(uuid)).addon == "uc_clamav_virus_scan"
            assert (await client.addons.detect_moderation_labels(uuid)).request_id
            group = await client.groups.create([uuid])
            await client.groups.delete(group.id)
            hook = await client.webhooks.create("https://example.com/h", event="file.deleted")
            assert (await client.webhooks.update(hook.id, is_active=False)).is_active is False
            await client.webhooks.delete("https://example.com/h")
            doc = emu.upload("report.pdf", PDF, store=True)
            job = await client.conversions.document(ucare.DocumentConversion(doc, format="png"), save_in_group=True)
            assert (await client.conversions.wait(job.jobs[0], timeout=10)).status == "finished"
            assert (await client.conversions.document_info(doc)).format == "pdf"
            assert [f async for f in client.files.list(limit=2)]

    asyncio.run(main())


def test_a_method_of_the_other_version_is_refused_before_sending(emu: Emulator, client: ucare.Client, client05: ucare.Client) -> None:
    uuid = emu.upload("a.txt", b"a", store=True)
    before = len(emu.requests)
    for call in (lambda: client05.files.local_copy(uuid), lambda: client05.files.metadata(uuid).all(),
                 lambda: client05.addons.detect_labels(uuid), lambda: client05.groups.delete("x~1"),
                 lambda: client05.conversions.document_info(uuid), lambda: client05.files.info(uuid, include_appdata=True)):
        with pytest.raises(ucare.InvalidInputError, match="v0.7 only"):
            call()
    for call in (lambda: client.files.copy(uuid), lambda: client.groups.store("x~1"),
                 lambda: client.webhooks.create("https://example.com/h", version="0.5"), lambda: list(client.files.list(from_=10))):
        with pytest.raises(ucare.InvalidInputError, match="v0.5 only"):
            call()
    assert len(emu.requests) == before


def test_per_call_options(hostile: str) -> None:  # noqa: F811
    client = ucare.Client("pk", SECRET, base_url=f"{hostile}unavailable/", max_retries=2)
    start = count(hostile, "unavailable")
    with pytest.raises(ucare.ApiError):
        client.with_options(max_retries=0).files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert count(hostile, "unavailable") == start + 1
    with pytest.raises(ucare.ApiError):
        client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert count(hostile, "unavailable") == start + 4, "the client keeps its own retries"
    silent = ucare.Client("pk", SECRET, base_url=f"{hostile}silent/", timeout=20, max_retries=0)
    started = time.monotonic()
    with pytest.raises(ucare.TimeoutError):
        silent.with_options(timeout=0.2).files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert time.monotonic() - started < 2
    with pytest.raises(ucare.InvalidInputError, match="max_retries"):
        client.with_options(max_retries=99).files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    with pytest.raises(ucare.InvalidInputError, match="timeout"):
        list(client.with_options(timeout=-1).files.list())


def test_the_request_log_goes_to_logging_without_the_secret(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    uuid = emu.upload("a.txt", b"a", store=True)
    with caplog.at_level(logging.DEBUG, logger="ucare"):
        client = emu.client(auth="simple")
        client.files.info(uuid)
        with pytest.raises(ucare.NotFoundError):
            client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    lines = [r.getMessage() for r in caplog.records if r.name == "ucare"]
    assert any(re.match(rf"GET /files/{uuid}/ 200 \(attempt 1, [\d.]+ ms\)", line) for line in lines), lines
    assert any(" 404 " in line for line in lines), lines
    assert not any(SECRET in line for line in lines)
    caplog.clear()
    emu.client().files.info(uuid)  # made while the logger is quiet: no hook, no records
    assert not [r for r in caplog.records if r.name == "ucare"]


def test_every_operation_the_package_sends_exists() -> None:
    source = (pathlib.Path(ucare.__file__).parent / "_client.py").read_text()
    names = set(re.findall(r'_call\("([a-z_.]+)"', source))
    # (batch stores and deletes call NativeClient.file_batch, a method of their own)
    assert len(names) >= 27, names
    assert [n for n in sorted(names) if not _native.is_operation(n)] == []
    assert not _native.is_operation("files.infos")


def test_file_equality_reads_timestamps_and_nulls_not_text() -> None:
    uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78"
    a = ucare.File.from_dict({"uuid": uuid, "datetime_uploaded": "2024-01-01T00:00:00.120Z", "content_info": {"image": None}})
    b = ucare.File.from_dict({"uuid": uuid, "datetime_uploaded": "2024-01-01T00:00:00.12+00:00", "content_info": {}})
    c = ucare.File.from_dict({"uuid": uuid, "datetime_uploaded": "2024-01-01T00:00:00.121Z", "content_info": {}})
    assert a == b and hash(a) == hash(b) and a != c
    assert a.datetime_uploaded is not None and a.datetime_uploaded.microsecond == 120000


def test_field_errors_cross_as_values(emu: Emulator, client: ucare.Client) -> None:
    with pytest.raises(ucare.BadRequestError) as caught:
        client.addons.detect_labels("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert caught.value.status == 400 and caught.value.field_errors == {"target": ["File does not exist."]}
    with pytest.raises(ucare.NotFoundError) as missing:
        client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert missing.value.field_errors is None and missing.value.detail == "Not found."


def test_listed_files_pickle_and_copy_as_plain_files(emu: Emulator, client: ucare.Client) -> None:
    import copy
    import pickle

    emu.upload("a.txt", b"a", store=True)
    listed = next(iter(client.files.list()))
    assert type(listed).__name__ == "_NativeFile"
    for twin in (pickle.loads(pickle.dumps(listed)), copy.deepcopy(listed), copy.copy(listed)):
        assert type(twin) is ucare.File and twin == listed and twin.uuid == listed.uuid and hash(twin) == hash(listed)


def test_batch_files_equal_their_info_and_pickle_as_plain_files(emu: Emulator, client: ucare.Client) -> None:
    import pickle

    for c in (client, emu.client(api_version="0.5")):
        uuids = [emu.upload(f"{i}.txt", b"x" * i, store=False) for i in range(1, 4)]
        stored = c.files.store_many(uuids + ["not-a-uuid"])
        assert stored.problems == {"not-a-uuid": "Invalid"}
        assert [f.uuid for f in stored.result] == uuids
        for f in stored.result:
            assert type(f).__name__ == "_NativeFile" and f.is_stored
            assert f == c.files.info(f.uuid)
            twin = pickle.loads(pickle.dumps(f))
            assert type(twin) is ucare.File and twin == f
        removed = c.files.delete_many(uuids[:1])
        assert removed.result[0].is_removed and removed.result[0] == c.files.info(uuids[0])
