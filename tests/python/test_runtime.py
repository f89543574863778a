"""GIL release, fork safety, panics, secrets and the signature vectors."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import ucare
from ucare import _native
from ucare.testing import Emulator

from conftest import SECRET, vectors


def test_sync_calls_release_the_gil() -> None:
    with Emulator(fault_rate=1.0, faults=["slow"], slow=0.5) as emu:
        client = emu.client(max_retries=0)
        counter = 0
        stop = threading.Event()

        def spin() -> None:
            nonlocal counter
            while not stop.is_set():
                counter += 1

        thread = threading.Thread(target=spin)
        thread.start()
        time.sleep(0.05)
        before = counter
        client.project()
        during = counter - before
        stop.set()
        thread.join()
        assert during > 100_000, f"the other thread counted only {during} during a 0.5 s call"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_the_client_works_after_fork(emu: object) -> None:
    assert isinstance(emu, Emulator)
    client = emu.client()
    # Each fork comes right after a call, while the parent's runtime may still be returning
    # the connection to its pool: the child must use neither that pool nor its locks.
    for _ in range(20):
        client.project()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            try:
                ok = client.project().name == "demo"
                os.write(write, b"1" if ok else b"0")
            except BaseException:
                os.write(write, b"0")
            finally:
                os._exit(0)
        os.close(write)
        # A child stuck on a lock inherited from the parent fails the test, not hangs it.
        deadline = time.monotonic() + 30
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                pytest.fail("the forked child's call did not finish in 30 s")
            time.sleep(0.005)
        answer = os.read(read, 1)
        os.close(read)
        assert answer == b"1"
    assert client.project().name == "demo"

def test_the_secret_key_appears_in_no_repr_or_message(emu: Emulator) -> None:
    client = emu.client()
    texts = [repr(client), str(client), repr(emu), repr(emu.async_client())]
    for call in (
        lambda: ucare.Client(emu.public_key, SECRET, base_url=emu.base_url, api_version="0.4").project(),
        lambda: ucare.Client("nobody", SECRET, base_url=emu.base_url, auth="simple").project(),
        lambda: ucare.Client("pk", SECRET, base_url="http://127.0.0.1:1/", auth="simple", max_retries=0).project(),
        lambda: ucare.Client("pk", SECRET, timeout=-1),
        lambda: client.files.info("nope"),
    ):
        try:
            call()
        except ucare.UploadcareError as error:
            texts += [repr(error), str(error), repr(error.args)]
    texts += [repr(r) for r in emu.requests]
    assert len(texts) > 10
    for text in texts:
        assert SECRET not in text, text


def test_request_signature_vectors() -> None:
    for case in vectors()["request_signatures"]:
        sig = _native.request_signature(case["secret_key"], case["method"], case["body"].encode(), case["content_type"], case["date"], case["uri"])
        assert sig == case["signature"], case["name"]


def test_webhook_signature_vectors() -> None:
    for case in vectors()["webhook_signatures"]:
        assert ucare.webhooks.sign(case["signing_secret"], case["body"]) == case["value"]
        assert ucare.webhooks.verify(case["signing_secret"], case["body"].encode(), case["value"])
        assert not ucare.webhooks.verify("wrong", case["body"], case["value"])
        event = ucare.webhooks.verify_and_parse(case["signing_secret"], case["body"], case["value"])
        assert event.data.uuid == "f08d7c8a-2971-42e0-ab01-780d9039b40b"
        assert event.data.content_info is not None and "content_info" not in event.data.extra
        with pytest.raises(ucare.InvalidInputError):
            ucare.webhooks.verify_and_parse("wrong", case["body"], case["value"])
    with pytest.raises(ucare.DecodeError):
        ucare.webhooks.parse_event(b"not json")
