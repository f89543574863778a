"""A local Uploadcare for your tests: the ucare emulator on a free port.

::

    from ucare.testing import Emulator

    def test_my_upload_handler():
        with Emulator() as emu:
            uuid = emu.upload("photo.png", png_bytes)
            client = emu.client()
            handle_new_file(client, uuid)            # the code under test
            assert client.files.info(uuid).is_stored

It speaks the REST API v0.7 and v0.5 as the real service does (signatures, errors,
pagination), records the webhook deliveries it makes, and can throttle or inject faults.

The emulator is its own package, a program that ships as the wheel ``ucare-emulator``:
``pip install "ucare[testing]"`` installs it beside ``ucare``. ``Emulator`` starts that
program on a free port, talks to its inspection endpoint (``/__emulator/``) and stops it;
the program also exits by itself when the Python process that started it ends.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import sysconfig
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence

from ._client import AsyncClient, Client
from .errors import InvalidInputError

__all__ = ["Emulator", "Delivery", "RecordedRequest", "EmulatorNotFoundError", "emulator_binary"]

_PROGRAM = "ucare-emulator" + (".exe" if os.name == "nt" else "")


class EmulatorNotFoundError(RuntimeError):
    """The ``ucare-emulator`` program is not installed: ``pip install "ucare[testing]"``."""


def emulator_binary() -> str:
    """The path of the ``ucare-emulator`` program: ``$UCARE_EMULATOR`` if set, else the one
    installed beside this Python (the ``ucare-emulator`` wheel), else the one on ``PATH``."""
    explicit = os.environ.get("UCARE_EMULATOR")
    if explicit:
        if os.path.isfile(explicit) and os.access(explicit, os.X_OK):
            return explicit
        raise EmulatorNotFoundError(f"UCARE_EMULATOR is {explicit!r}, which is not an executable file")
    for candidate in (os.path.join(sysconfig.get_path("scripts"), _PROGRAM), os.path.join(os.path.dirname(sys.executable), _PROGRAM),
                      shutil.which(_PROGRAM)):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise EmulatorNotFoundError(
        'ucare.testing needs the emulator program, which is not installed: pip install "ucare[testing]" '
        "(or pip install ucare-emulator; or set UCARE_EMULATOR to the program's path)")


def _milliseconds(name: str, seconds: float) -> str:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
        raise InvalidInputError(f"invalid input: {name} must be a finite number of seconds, at least 0, got {seconds!r}")
    return str(round(seconds * 1000))


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
    ``conversion_delay`` is how long conversion jobs take, in seconds; ``start_timeout``
    how long the program may take to say it is listening (then it is stopped and
    ``InvalidInputError`` raised).
    """

    def __init__(self, *, public_key: str = "demopublickey", secret_key: str = "demoprivatekey", project_name: str = "demo",
                 autostore: bool = True, seed_files: int = 0, storages: Sequence[str] = (), rate_limit: Optional[int] = None,
                 fault_rate: float = 0.0, faults: Optional[Sequence[str]] = None, slow: Optional[float] = None, fault_seed: int = 1,
                 conversion_delay: float = 0.3, webhooks_enabled: bool = True, start_timeout: float = 30.0) -> None:
        args = [emulator_binary(), "--port", "0", "--exit-with-stdin", "--public-key", public_key, "--project-name", project_name,
                "--autostore", "true" if autostore else "false", "--seed-files", str(seed_files), "--fault-rate", str(fault_rate),
                "--fault-seed", str(fault_seed), "--conversion-delay-ms", _milliseconds("conversion_delay", conversion_delay)]
        args += [f"--storage={name}" for name in storages]
        if isinstance(start_timeout, bool) or not isinstance(start_timeout, (int, float)) or not 0 < start_timeout <= 86400:
            raise InvalidInputError(f"invalid input: start_timeout must be a number of seconds above 0 and at most a day, got {start_timeout!r}")
        if rate_limit is not None:
            args += ["--rate-limit", str(rate_limit)]
        if faults is not None:
            args += [f"--faults={','.join(faults)}"]
        if slow is not None:
            args += ["--slow-ms", _milliseconds("slow", slow)]
        if not webhooks_enabled:
            args += ["--no-webhooks"]
        # The secret goes through the environment, not the command line that `ps` shows.
        env = {**os.environ, "UPLOADCARE_SECRET_KEY": secret_key}
        env.pop("UPLOADCARE_PUBLIC_KEY", None)
        # stdin stays open and unwritten: when this process ends, it closes and the program
        # exits (--exit-with-stdin), so a test run killed midway leaves no server behind.
        self._process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        stdout = self._process.stdout
        assert stdout is not None
        # Its first line, waited for at most `start_timeout`: a program that never prints
        # one (a wrong UCARE_EMULATOR) must not hang the test run.
        first: List[bytes] = []
        reader = threading.Thread(target=lambda: first.append(stdout.readline(4096)), daemon=True)
        reader.start()
        reader.join(start_timeout)
        said = first[0] if first else None  # read once: killing the program ends the readline
        line = said.decode("utf-8", "replace") if said is not None else ""
        if "listening on" not in line:
            if said is None or self._process.poll() is None:
                self._process.kill()
            _, err = self._process.communicate()
            message = err.decode("utf-8", "replace").strip()[-2000:] or line.strip() or f"exit status {self._process.returncode}"
            if said is None:
                message = f"{args[0]} said nothing in {start_timeout} s" + (f": {message}" if err.strip() else "")
            raise InvalidInputError(f"invalid input: the emulator did not start: {message}")
        self._base_url = line.split("listening on ", 1)[1].split()[0]
        self._public_key = public_key
        self._secret_key = secret_key

    def _inspect(self, method: str, path: str, body: Optional[bytes] = None, content_type: Optional[str] = None) -> Any:
        if self._process.poll() is not None:
            raise InvalidInputError("invalid input: the emulator was stopped")
        request = urllib.request.Request(self._base_url + "__emulator/" + path, data=body, method=method)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read()).get("detail", str(error))
            except (ValueError, AttributeError):
                detail = str(error)
            raise ValueError(detail) from None

    @property
    def base_url(self) -> str:
        """The REST, upload and CDN root: ``http://127.0.0.1:<port>/``."""
        return self._base_url

    @property
    def public_key(self) -> str:
        """The project's public key."""
        return self._public_key

    def client(self, **options: Any) -> Client:
        """A sync client for this emulator (options as for ``Client``); uploads go to it too."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("upload_base_url", self.base_url)
        return Client(self._public_key, self._secret_key, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An async client for this emulator; uploads go to it too."""
        options.setdefault("base_url", self.base_url)
        options.setdefault("upload_base_url", self.base_url)
        return AsyncClient(self._public_key, self._secret_key, **options)

    def upload(self, name: str, content: bytes, *, store: Optional[bool] = None) -> str:
        """Uploads a file as the Upload API would (webhooks are delivered); answers its UUID.
        ``store=None`` follows the project's autostore."""
        query = urllib.parse.urlencode({"name": name, **({} if store is None else {"store": "true" if store else "false"})})
        return str(self._inspect("POST", f"uploads?{query}", bytes(content), "application/octet-stream")["uuid"])

    def create_group(self, uuids: Sequence[str]) -> str:
        """Makes a group of uploaded files, as the Upload API would; answers its id."""
        return str(self._inspect("POST", "groups", json.dumps({"files": list(uuids)}).encode(), "application/json")["id"])

    @property
    def deliveries(self) -> List[Delivery]:
        """Every webhook delivery so far, in order."""
        return [Delivery(**d) for d in self._inspect("GET", "")["deliveries"]]

    @property
    def requests(self) -> List[RecordedRequest]:
        """The REST requests received (the newest 10,000)."""
        return [RecordedRequest(**r) for r in self._inspect("GET", "requests")]

    @property
    def stats(self) -> Dict[str, int]:
        """Counters: ``requests``, ``faults_injected``, ``throttled``, ``files``, ``stored_files``."""
        counters = self._inspect("GET", "")
        return {name: int(counters[name]) for name in ("requests", "faults_injected", "throttled", "files", "stored_files")}

    def stop(self) -> None:
        """Stops the program (SIGTERM: it removes its work directory) and waits for it."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()

    def __del__(self) -> None:
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            process.terminate()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r})"
