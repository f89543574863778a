"""Shared fixtures: an emulator on a free port for each test module, and clients for it."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict, Iterator

import pytest

import ucare
from ucare.testing import Emulator

ROOT = pathlib.Path(__file__).resolve().parents[2]
SECRET = "python-tests-secret-key"


def png(width: int, height: int) -> bytes:
    """The header of a real PNG, enough for image_info."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0, 0, 0, 0, 0])


def vectors() -> Dict[str, Any]:
    """The shared signature vectors when they are beside the repository, else our copy."""
    shared = ROOT.parent / "shared" / "vectors" / "signatures.json"
    path = shared if shared.exists() else ROOT / "tests" / "vectors" / "signatures.json"
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(secret_key=SECRET, conversion_delay=0.1, storages=["backup"]) as emulator:
        yield emulator


@pytest.fixture
def client(emu: Emulator) -> ucare.Client:
    return emu.client()


@pytest.fixture
def client05(emu: Emulator) -> ucare.Client:
    """A client of REST API v0.5, for what only v0.5 has."""
    return emu.client(api_version="0.5")
