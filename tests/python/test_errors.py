"""Every error class, raised for the right reason, before or after sending."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import Iterator, Tuple

import pytest

import ucare
from ucare.testing import Emulator

from conftest import SECRET


def test_the_hierarchy() -> None:
    for cls in (ucare.AuthenticationError, ucare.NotFoundError, ucare.ThrottledError, ucare.BadRequestError):
        assert issubclass(cls, ucare.ApiError) and issubclass(cls, ucare.UploadcareError)
    for cls in (ucare.TransportError, ucare.TimeoutError, ucare.InvalidInputError, ucare.OutcomeUnknownError, ucare.DecodeError):
        assert issubclass(cls, ucare.UploadcareError)
    assert issubclass(ucare.InvalidInputError, ValueError)
    assert issubclass(ucare.TimeoutError, TimeoutError)


def test_authentication_errors_carry_status_and_detail(emu: Emulator) -> None:
    with pytest.raises(ucare.AuthenticationError) as err:
        ucare.Client(emu.public_key, "wrong", base_url=emu.base_url).project()
    assert (err.value.status, err.value.detail) == (401, "Invalid signature. Please check your secret key.")
    with pytest.raises(ucare.AuthenticationError) as err:
        ucare.Client("nobody", SECRET, base_url=emu.base_url).project()
    assert err.value.detail == "Public key nobody not found."
    with Emulator(webhooks_enabled=False) as no_hooks:
        with pytest.raises(ucare.AuthenticationError) as err:
            no_hooks.client().webhooks.list()
        assert (err.value.status, err.value.detail) == (403, "You can't use webhooks")


def test_not_found_bad_request_and_other_statuses(emu: Emulator, client: ucare.Client) -> None:
    with pytest.raises(ucare.NotFoundError) as err:
        client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    assert (err.value.status, err.value.detail) == (404, "Not found.")
    client.webhooks.create("http://127.0.0.1:9/x")
    with pytest.raises(ucare.BadRequestError) as bad:
        client.webhooks.create("http://127.0.0.1:9/x")
    assert bad.value.status == 400
    with pytest.raises(ucare.InvalidInputError, match="api_version"):
        emu.client(api_version="0.4")
    with Emulator(fault_rate=1.0, faults=["503"]) as failing:
        with pytest.raises(ucare.ApiError) as api:
            failing.client(max_retries=0).project()
    assert api.value.status == 503 and type(api.value) is ucare.ApiError


def test_throttled_carries_retry_after() -> None:
    with Emulator(rate_limit=1) as emu:
        client = emu.client(max_retries=0)
        with pytest.raises(ucare.ThrottledError) as err:
            for _ in range(5):
                client.project()
        assert err.value.status == 429 and err.value.retry_after == 1.0
        assert "Request was throttled" in err.value.detail
        patient = emu.client()
        for _ in range(3):
            patient.project()
        assert patient.stats()["retries"] > 0


def test_server_errors_after_retries() -> None:
    with Emulator(fault_rate=1.0, faults=["500"]) as emu:
        client = emu.client(max_retries=1)
        with pytest.raises(ucare.ApiError) as err:
            client.project()
        assert err.value.status == 500
        assert client.stats() == {"requests": 2, "retries": 1}


def test_timeout_at_the_configured_time() -> None:
    with Emulator(fault_rate=1.0, faults=["slow"], slow=3.0) as emu:
        client = emu.client(timeout=0.3, max_retries=0)
        started = time.perf_counter()
        with pytest.raises(ucare.TimeoutError):
            client.project()
        assert 0.25 < time.perf_counter() - started < 2.0


def test_lost_post_answer_is_outcome_unknown_and_not_repeated() -> None:
    with Emulator(fault_rate=1.0, faults=["drop"]) as emu:
        uuid = emu.upload("a.txt", b"a")
        before = emu.stats["files"]
        with pytest.raises(ucare.OutcomeUnknownError):
            emu.client().files.local_copy(uuid)
        assert emu.stats["files"] == before + 1


def test_transport_error_for_a_closed_port() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = ucare.Client("pk", SECRET, base_url=f"http://127.0.0.1:{port}/", max_retries=0)
    with pytest.raises(ucare.TransportError):
        client.project()


class _Bad(http.server.BaseHTTPRequestHandler):
    """Answers what a broken proxy might: HTML, truncated JSON, wrong types."""

    def do_GET(self) -> None:  # noqa: N802
        bodies = {
            "/project/": (200, b"<html><body>Gateway</body></html>"),
            "/files/21975c81-7f57-4c7a-aef9-acfe28779f78/": (200, b'{"uuid": "21975c81'),
            "/groups/21975c81-7f57-4c7a-aef9-acfe28779f78~1/": (200, b'{"id": 5}'),
            "/webhooks/": (502, b"<html>Bad gateway</html>"),
        }
        status, body = bodies.get(self.path, (404, b""))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bad_server() -> Iterator[Tuple[str, int]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Bad)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield ("127.0.0.1", server.server_address[1])
    server.shutdown()


def test_bad_answers_are_typed_errors_with_a_snippet(bad_server: Tuple[str, int]) -> None:
    host, port = bad_server
    client = ucare.Client("pk", SECRET, base_url=f"http://{host}:{port}/", max_retries=0)
    with pytest.raises(ucare.DecodeError) as err:
        client.project()
    assert err.value.status == 200 and "<html>" in err.value.snippet
    with pytest.raises(ucare.DecodeError):
        client.files.info("21975c81-7f57-4c7a-aef9-acfe28779f78")
    with pytest.raises(ucare.DecodeError):
        client.groups.info("21975c81-7f57-4c7a-aef9-acfe28779f78~1")
    with pytest.raises(ucare.ApiError) as api:
        client.webhooks.list()
    assert api.value.status == 502 and "Bad gateway" in api.value.detail


def test_wrong_types_are_invalid_input_before_sending(emu: Emulator, client: ucare.Client) -> None:
    before = emu.stats["requests"]
    calls = [
        lambda: client.files.info(123),  # type: ignore[arg-type]
        lambda: client.files.list(limit=0),
        lambda: client.files.list(limit="ten"),  # type: ignore[arg-type]
        lambda: client.files.list(ordering="newest"),
        lambda: client.files.list(ordering="size", from_=__import__("datetime").datetime.now()),
        lambda: client.files.list(from_="yesterday"),  # type: ignore[arg-type]
        lambda: client.files.copy(""),
        lambda: client.groups.info("not-a-group"),
        lambda: client.groups.list(limit=5000),
        lambda: client.webhooks.create("ftp://x"),
        lambda: client.webhooks.create("https://example.com/h", signing_secret="s" * 33),
        lambda: client.webhooks.update(1),
        lambda: client.conversions.document([]),
        lambda: client.conversions.document(["not a conversion"]),  # type: ignore[list-item]
        lambda: client.conversions.status("token"),  # type: ignore[arg-type]
        lambda: client.conversions.wait(1, timeout=-1),
        lambda: ucare.Client("pk", "sk", timeout=0),
    ]
    for call in calls:
        with pytest.raises(ucare.InvalidInputError):
            call()
    assert emu.stats["requests"] == before
