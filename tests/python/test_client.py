"""Every method of the sync client, against the emulator over HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import ucare
from ucare.testing import Emulator

from conftest import png


def test_files_list_iterates_every_page_lazily() -> None:
    with Emulator(seed_files=230) as emu:
        client = emu.client()
        listing = client.files.list(limit=50)
        assert emu.stats["requests"] == 0, "nothing is fetched before iteration"
        files = list(listing)
        assert len(files) == 230 and len({f.uuid for f in files}) == 230
        assert emu.stats["requests"] == 5
        stored = list(client.files.list(stored=True, limit=1000))
        assert len(stored) == 77 and all(f.is_stored for f in stored)
        by_size = [f.size for f in emu.client(api_version="0.5").files.list(ordering="-size", limit=100)]
        assert by_size == sorted(by_size, reverse=True)


def test_files_list_pages_total_and_from() -> None:
    with Emulator(seed_files=30) as emu:
        client = emu.client(api_version="0.5")
        listing = client.files.list(limit=12)
        assert listing.total == 30
        assert [len(p.results) for p in listing.pages()] == [12, 12, 6]
        start = list(client.files.list(ordering="size", from_=3000))
        assert start and all(f.size >= 3000 for f in start)
        late = datetime.now(timezone.utc)
        assert list(client.files.list(from_=late)) == []


def test_file_lifecycle_info_store_delete(emu: Emulator, client: ucare.Client) -> None:
    uuid = emu.upload("photo.png", png(3, 2), store=False)
    f = client.files.info(uuid)
    assert (f.original_filename, f.mime_type, f.size, f.is_image) == ("photo.png", "image/png", len(png(3, 2)), True)
    assert f.image_info is not None and (f.image_info.width, f.image_info.height, f.image_info.format) == (3, 2, "PNG")
    assert isinstance(f.datetime_uploaded, datetime) and f.datetime_uploaded.tzinfo == timezone.utc
    assert not f.is_stored
    assert client.files.store(uuid).is_stored
    removed = client.files.delete(uuid)
    assert removed.is_removed and removed.datetime_removed is not None
    assert [x.uuid for x in client.files.list(removed=True)] == [uuid]


def test_batches_report_every_problem(emu: Emulator, client: ucare.Client) -> None:
    uuids = [emu.upload(f"f{i}.txt", b"x", store=False) for i in range(205)]
    missing = "21975c81-7f57-4c7a-aef9-acfe28779f78"
    result = client.files.store_many(uuids + ["4j334o01-8bs3", missing])
    assert len(result.result) == 205 and all(f.is_stored for f in result.result)
    assert result.problems == {"4j334o01-8bs3": "Invalid", missing: "Missing in the project"}
    assert [r.method for r in emu.requests] == ["PUT"] * 3
    deleted = client.files.delete_many(uuids[:3])
    assert len(deleted.result) == 3 and all(f.is_removed for f in deleted.result)
    with pytest.raises(ucare.InvalidInputError):
        client.files.store_many([])
    with pytest.raises(ucare.InvalidInputError):
        client.files.store_many(missing)  # one string, not a list


def test_copies(emu: Emulator, client05: ucare.Client) -> None:
    client = client05
    uuid = emu.upload("photo.png", png(3, 2))
    copy = client.files.copy(uuid, store=True)
    assert copy.uuid != uuid and copy.source == f"/{uuid}/"
    url = client.files.copy_to_storage(uuid, target="backup", pattern="${uuid}${ext}")
    assert url == f"s3://backup/{uuid}.png"
    with pytest.raises(ucare.BadRequestError) as err:
        client.files.copy_to_storage(uuid, target="nowhere")
    assert err.value.detail == "Project has no storage with provided name."


def test_groups(emu: Emulator, client05: ucare.Client) -> None:
    client = client05
    a, b = emu.upload("a.txt", b"a", store=False), emu.upload("b.txt", b"b", store=False)
    group_id = emu.create_group([a, b])
    other = emu.create_group([a])
    assert [g.id for g in client.groups.list(ordering="-datetime_created", limit=1)] == [other, group_id]
    group = client.groups.info(group_id)
    assert group.files_count == 2 and group.files is not None and [f.uuid for f in group.files if f] == [a, b]
    stored = client.groups.store(group_id)
    assert stored.datetime_stored is not None
    assert client.files.info(b).is_stored
    assert client.groups.list().total == 2


def test_project(client: ucare.Client) -> None:
    project = client.project()
    assert (project.name, project.pub_key, project.autostore_enabled) == ("demo", "demopublickey", True)


def test_webhooks_create_list_update_delete_and_deliveries(emu: Emulator, client: ucare.Client) -> None:
    hook = client.webhooks.create("http://127.0.0.1:9/hook", signing_secret="s3cr3t")
    assert hook.is_active and hook.event == "file.uploaded" and hook.signing_secret == "s3cr3t"
    assert "s3cr3t" not in repr(hook)
    assert [h.id for h in client.webhooks.list()] == [hook.id]
    uuid = emu.upload("a.txt", b"hello")
    delivery = emu.deliveries[-1]
    assert delivery.signature is not None
    event = ucare.webhooks.verify_and_parse("s3cr3t", delivery.body, delivery.signature)
    assert event.data.uuid == uuid and event.hook.id == hook.id
    assert not client.webhooks.update(hook.id, is_active=False).is_active
    client.webhooks.delete("http://127.0.0.1:9/hook")
    assert client.webhooks.list() == []
    with pytest.raises(ucare.NotFoundError):
        client.webhooks.update(hook.id, is_active=True)


def test_conversions_document_video_status_wait(emu: Emulator, client: ucare.Client) -> None:
    doc = emu.upload("report.txt", b"hello")
    image = emu.upload("photo.png", png(2, 2))
    clip = emu.upload("clip.mp4", b"\x00" * 32)
    started = client.conversions.document(ucare.DocumentConversion(doc, format="pdf"), store=True)
    assert started.problems == {} and len(started.jobs) == 1
    job = started.jobs[0]
    assert client.conversions.status(job).status in ("pending", "processing", "finished")
    done = client.conversions.wait(job, timeout=10)
    assert done.status == "finished" and done.is_final and done.uuid is not None
    assert client.files.info(done.uuid).original_filename == "report.pdf"
    videos = client.conversions.video([ucare.VideoConversion(clip, format="webm", thumbs=2), ucare.VideoConversion(image)])
    finished = client.conversions.wait(videos.jobs[0], timeout=10)
    assert finished.status == "finished" and finished.thumbnails_group_uuid is not None
    assert client.groups.info(finished.thumbnails_group_uuid).files_count == 2
    failed = client.conversions.wait(videos.jobs[1].token, kind="video", timeout=10)
    assert failed.status == "failed" and failed.error and "not a video" in failed.error
    with pytest.raises(ucare.NotFoundError):
        client.conversions.status(1)


def test_conversion_builders_check_paths() -> None:
    uuid = "21975c81-7f57-4c7a-aef9-acfe28779f78"
    assert ucare.DocumentConversion(uuid, format="png", page=2).path == f"{uuid}/document/-/format/png/-/page/2/"
    assert ucare.VideoConversion(uuid, format="mp4", size=(640, 480, "scale_crop"), cut=("0:0:1", "end"), thumbs=3).path == (
        f"{uuid}/video/-/format/mp4/-/size/640x480/scale_crop/-/cut/0:0:1/end/-/thumbs~3/"
    )
    for bad in (ucare.DocumentConversion(uuid, format="gif"), ucare.VideoConversion(uuid, thumbs=99), ucare.VideoConversion("nope")):
        with pytest.raises(ucare.InvalidInputError):
            bad.path


def test_from_env_and_context_manager(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLOADCARE_PUBLIC_KEY", emu.public_key)
    monkeypatch.setenv("UPLOADCARE_SECRET_KEY", "python-tests-secret-key")
    monkeypatch.setenv("UPLOADCARE_API_BASE", emu.base_url)
    with ucare.Client.from_env() as client:
        assert client.project().pub_key == emu.public_key
    monkeypatch.delenv("UPLOADCARE_SECRET_KEY")
    with pytest.raises(ucare.InvalidInputError):
        ucare.Client.from_env()


def test_simple_auth(emu: Emulator) -> None:
    client = emu.client(auth="simple")
    client.project()
    assert emu.requests[-1].auth_scheme == "Uploadcare.Simple"
    with pytest.raises(ucare.InvalidInputError):
        emu.client(auth="basic")
