"""The official Python client (pyuploadcare, from PyPI) at its default API version (0.7)
against the emulator: its documented flows work unchanged. An independent judge of the
emulator's v0.7."""

from __future__ import annotations

import pathlib
import time

import pytest

from ucare.testing import Emulator

pyuploadcare = pytest.importorskip("pyuploadcare")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x04\x00\x00\x00\x03\x08\x06\x00\x00\x00\x00\x00\x00\x00")


def test_pyuploadcare_v07_flows(tmp_path: pathlib.Path) -> None:
    from pyuploadcare import Uploadcare
    from pyuploadcare.api.addon_entities import AddonLabels
    from pyuploadcare.exceptions import AuthenticationError, InvalidRequestError
    from pyuploadcare.transformations.document import DocumentFormat, DocumentTransformation

    with Emulator(seed_files=150, conversion_delay=0.1, storages=["backup"]) as emu:
        uc = Uploadcare(public_key=emu.public_key, secret_key="demoprivatekey", api_base=emu.base_url, upload_base=emu.base_url)
        assert uc.api_version == "0.7"

        listed = [f.uuid for f in uc.list_files()]
        assert len(listed) == 150 and len(set(listed)) == 150, "listing follows every page once"
        assert all(r.accept == "application/vnd.uploadcare-v0.7+json" for r in emu.requests if r.uri.startswith("/files/"))

        image_path = tmp_path / "pixel.png"
        image_path.write_bytes(PNG)
        with image_path.open("rb") as handle:
            image = uc.upload(handle, store=False, metadata={"kind": "pixel"})
        image.update_info()
        info = image.info
        assert info["original_filename"] == "pixel.png"
        assert info["content_info"]["image"]["width"] == 4
        assert info["metadata"] == {"kind": "pixel"}

        image.store()
        assert image.is_stored
        missing = "21975c81-7f57-4c7a-aef9-acfe28779f78"
        uc.store_files([listed[0], listed[1], missing])
        assert emu.client().files.info(listed[0]).is_stored

        uc.metadata_api.update_or_create_key(image.uuid, "subsystem", "tests")
        assert uc.metadata_api.get_key(image.uuid, "subsystem") == "tests"
        assert uc.metadata_api.get_all_metadata(image.uuid) == {"kind": "pixel", "subsystem": "tests"}
        uc.metadata_api.delete_key(image.uuid, "subsystem")
        assert uc.metadata_api.get_all_metadata(image.uuid) == {"kind": "pixel"}

        local = image.create_local_copy(store=True)
        assert local.uuid != image.uuid and emu.client().files.info(local.uuid).is_stored
        remote = image.create_remote_copy(target="backup", make_public=True, pattern="${uuid}${ext}")
        assert remote == f"s3://backup/{image.uuid}.png"

        group = uc.create_file_group([image, local])
        assert group.info["files_count"] == 2
        assert group.id in [g.id for g in uc.list_file_groups()]
        assert uc.file_group(group.id).info["id"] == group.id
        group.delete()
        assert group.id not in [g.id for g in uc.list_file_groups()]

        project = uc.get_project_info()
        assert project.pub_key == emu.public_key and project.name == "demo"

        hook = uc.create_webhook("http://127.0.0.1:9/hook", event="file.stored", signing_secret="s3cr3t")
        assert hook.event == "file.stored"
        assert [w.id for w in uc.list_webhooks()] == [hook.id]
        updated = uc.update_webhook(hook, is_active=False)
        assert updated.is_active is False
        uc.delete_webhook(hook)
        assert list(uc.list_webhooks()) == []

        document_path = tmp_path / "report.pdf"
        document_path.write_bytes(b"%PDF-1.4 pages")
        with document_path.open("rb") as handle:
            document = uc.upload(handle, store=True)
        converted = document.convert_document(DocumentTransformation().format(DocumentFormat.png), store=True, save_in_group=True)
        started = uc.document_convert_api.convert([f"{document.uuid}/document/-/format/pdf/"], store=True)
        time.sleep(0.3)  # the jobs finish after the emulator's conversion delay
        status = uc.document_convert_api.status(started.result[0].token)
        assert status.status == "finished"
        assert emu.client().files.info(converted.uuid).original_filename == "report.png"
        document_info = uc.document_convert_api.retrieve(document.uuid)
        assert document_info.format.name == "pdf"
        assert "png" in document_info.format.converted_groups

        run = uc.addons_api.execute(image.uuid, AddonLabels.CLAM_AV)
        deadline = time.monotonic() + 10
        while uc.addons_api.status(run.request_id, AddonLabels.CLAM_AV).status.value == "in_progress":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        image.update_info(include_appdata=True)
        assert image.info["appdata"]["uc_clamav_virus_scan"]["data"]["infected"] is False

        uc.delete_files([listed[2]])
        assert emu.client().files.info(listed[2]).is_removed
        image.delete()
        assert emu.client().files.info(image.uuid).is_removed

        with pytest.raises(InvalidRequestError):
            uc.file(missing).update_info()
        wrong = Uploadcare(public_key=emu.public_key, secret_key="wrong", api_base=emu.base_url, upload_base=emu.base_url)
        with pytest.raises(AuthenticationError):
            wrong.get_project_info()


def test_pyuploadcare_uploads_multipart_and_from_url(tmp_path: pathlib.Path) -> None:
    from pyuploadcare import Uploadcare

    with Emulator() as emu:
        uc = Uploadcare(public_key=emu.public_key, secret_key="demoprivatekey", api_base=emu.base_url, upload_base=emu.base_url)
        big = tmp_path / "big.bin"
        content = bytes(range(256)) * (11 * 1024 * 1024 // 256)
        big.write_bytes(content)
        progress = []
        with big.open("rb") as handle:
            uploaded = uc.upload(handle, store=True, callback=lambda p: progress.append(p.done))
        assert uploaded.info["size"] == len(content)
        assert progress and progress[-1] == len(content), "a report per part"
        assert emu.client().files.info(uploaded.uuid).size == len(content)

        source = emu.upload("src.txt", b"fetched by the emulator")
        fetched = uc.upload(f"{emu.base_url}{source}/src.txt", store=True)
        assert fetched.info["original_filename"] == "src.txt"
        assert fetched.info["size"] == len(b"fetched by the emulator")
