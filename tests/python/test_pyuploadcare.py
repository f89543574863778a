"""The independent check of the emulator: the official Python client (pyuploadcare, from
PyPI) configured for API v0.5 works against it."""

from __future__ import annotations

import pathlib
import time

import pytest

from ucare.testing import Emulator

pyuploadcare = pytest.importorskip("pyuploadcare")


def test_pyuploadcare_against_the_emulator(tmp_path: pathlib.Path) -> None:
    from pyuploadcare import Uploadcare
    from pyuploadcare.transformations.document import DocumentFormat, DocumentTransformation

    with Emulator(seed_files=150, conversion_delay=0.1) as emu:
        uc = Uploadcare(public_key=emu.public_key, secret_key="demoprivatekey", api_version="0.5", api_base=emu.base_url, upload_base=emu.base_url)

        listed = [f.uuid for f in uc.list_files()]
        assert len(listed) == 150 and len(set(listed)) == 150, "listing follows every page once"

        document = tmp_path / "notes.txt"
        document.write_bytes(b"hello from pyuploadcare")
        with document.open("rb") as handle:
            uploaded = uc.upload(handle, store=False)
        assert uploaded.info["original_filename"] == "notes.txt"
        assert uploaded.info["size"] == len(b"hello from pyuploadcare")

        uploaded.store()
        assert uploaded.info["datetime_stored"] is not None

        missing = "21975c81-7f57-4c7a-aef9-acfe28779f78"
        uc.store_files([listed[0], listed[1], missing])
        stored = {f.uuid for f in emu.client().files.list(stored=True)}
        assert {listed[0], listed[1], uploaded.uuid} <= stored

        group = uc.create_file_group([uploaded])
        assert group.info["files_count"] == 1
        assert [g.id for g in uc.list_file_groups()] == [group.id]
        group.store()

        project = uc.get_project_info()
        assert project.pub_key == emu.public_key and project.name == "demo"

        converted = uploaded.convert_document(DocumentTransformation().format(DocumentFormat.pdf), store=True)
        assert any(r.uri == "/convert/document/" and r.method == "POST" for r in emu.requests)
        time.sleep(0.3)  # the job finishes after the emulator's conversion delay
        result = emu.client().files.info(converted.uuid)
        assert (result.original_filename, result.mime_type) == ("notes.pdf", "application/pdf")

        uc.delete_files([listed[2]])
        assert emu.client().files.info(listed[2]).is_removed
        uploaded.delete()
        assert emu.client().files.info(uploaded.uuid).is_removed
