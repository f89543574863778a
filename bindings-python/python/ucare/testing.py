"""A local Uploadcare for your tests: the ucare emulator, in-process on a free port.

::

    from ucare.testing import Emulator

    def test_my_upload_handler():
        with Emulator() as emu:
            uuid = emu.upload("photo.png", png_bytes)
            client = emu.client()
            handle_new_file(client, uuid)            # the code under test
            assert client.files.info(uuid).is_stored

It speaks the REST API v0.5 as the real service does (signatures, errors, pagination),
records the webhook deliveries it makes, and can throttle or inject faults.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from . import _native
from ._client import AsyncClient, Client

__all__ = ["Emulator", "Delivery", "RecordedRequest"]


@dataclass(frozen=True)
class Delivery:
    """A webhook delivery the emulator made: where, the exact body and its signature."""

    webhook_id: int
    target_url: str
    event: str
    body: str
    signature: Optional[str]
    status: Optional[int]
    error: Optional[str]


@dataclass(frozen=True)
class RecordedRequest:
    """A REST request as the emulator received it (never the credential itself)."""

    method: str
    uri: str
    content_type: Optional[str]
    accept: Optional[str]
    auth_scheme: Optional[str]
    user_agent: Optional[str]
    body: str


class Emulator:
    """Starts an emulator; use it as a context manager, or call ``stop()``.

    ``seed_files`` makes synthetic files; ``storages`` names custom storages for copies;
    ``rate_limit`` (requests per second) makes it answer 429; ``fault_rate`` (0..1) with
    ``faults`` (``"500"``, ``"503"``, ``"drop"``, ``"slow"``) injects failures;
    ``conversion_delay`` is how long conversion jobs take, in seconds.
    """

    def __init__(self, *, public_key: str = "demopublickey", secret_key: str = "demoprivatekey", project_name: str = "demo",
                 autostore: bool = True, seed_files: int = 0, storages: Sequence[str] = (), rate_limit: Optional[int] = None,
                 fault_rate: float = 0.0, faults: Optional[Sequence[str]] = None, slow: Optional[float] = None, fault_seed: int = 1,
                 conversion_delay: float = 0.3, webhooks_enabled: bool = True) -> None:
        self._native = _native.NativeEmulator({
            "public_key": public_key, "secret_key": secret_key, "project_name": project_name, "autostore": autostore,
            "seed_files": seed_files, "storages": list(storages), "rate_limit": rate_limit, "fault_rate": fault_rate,
            "faults": None if faults is None else list(faults), "slow": slow, "fault_seed": fault_seed,
            "conversion_delay": conversion_delay, "webhooks_enabled": webhooks_enabled,
        })

    @property
    def base_url(self) -> str:
        """The REST, upload and CDN root: ``http://127.0.0.1:<port>/``."""
        return str(self._native.base_url)

    @property
    def public_key(self) -> str:
        """The project's public key."""
        return str(self._native.public_key)

    def client(self, **options: Any) -> Client:
        """A sync client for this emulator (options as for ``Client``); uploads go to it too."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("upload_base_url", self.base_url)
        return Client(self._native.public_key, self._native.secret_key, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An async client for this emulator; uploads go to it too."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("upload_base_url", self.base_url)
        return AsyncClient(self._native.public_key, self._native.secret_key, **options)

    def upload(self, name: str, content: bytes, *, store: Optional[bool] = None) -> str:
        """Uploads a file as the Upload API would (webhooks are delivered); answers its UUID.
        ``store=None`` follows the project's autostore."""
        return str(self._native.upload(name, bytes(content), store))

    def create_group(self, uuids: Sequence[str]) -> str:
        """Makes a group of uploaded files, as the Upload API would; answers its id."""
        group = self._native.create_group(list(uuids))
        if group is None:
            raise ValueError("every UUID must be a file of the emulator")
        return str(group)

    @property
    def deliveries(self) -> List[Delivery]:
        """Every webhook delivery so far, in order."""
        return [Delivery(**d) for d in self._native.deliveries()]

    @property
    def requests(self) -> List[RecordedRequest]:
        """The REST requests received (the newest 10,000)."""
        return [RecordedRequest(**r) for r in self._native.requests()]

    @property
    def stats(self) -> Dict[str, int]:
        """Counters: ``requests``, ``faults_injected``, ``throttled``, ``files``, ``stored_files``."""
        return dict(self._native.stats())

    def stop(self) -> None:
        """Stops serving."""
        self._native.stop()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r})"
