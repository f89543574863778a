"""Hostile and careless input, hostile servers: the process survives, every failure is an
``UploadcareError`` (or a ``TypeError`` for a wrong host type) raised before anything is
sent, nothing hangs, nothing is lost, no secret leaks.

The hostile server is the ``ucare-hostile`` binary (``tests/hostile``); ``make test`` builds
it. Property tests run ``HYPOTHESIS_EXAMPLES`` examples each (100 by default; raise it to
run longer).
"""

from __future__ import annotations

import asyncio
import math
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time
import traceback
import urllib.request
from datetime import datetime
from typing import Any, Callable, Dict, Iterator, List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ucare
from ucare import webhooks
from ucare.testing import Emulator

ROOT = pathlib.Path(__file__).resolve().parents[2]
HOSTILE = os.environ.get("UCARE_HOSTILE", str(ROOT / "target" / "debug" / "ucare-hostile"))
SECRET = "hostile-python-secret"
UUID = "21975c81-7f57-4c7a-aef9-acfe28779f78"
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "100"))


SERVERS: Dict[str, str] = {}
"""Beside the hostile root: ``tls`` (an HTTPS root), ``ca`` (its CA's PEM file), ``proxy``."""


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    """The hostile server's root URL; it exits when its stdin closes. Its TLS server and
    proxy land in ``SERVERS``."""
    process = subprocess.Popen([HOSTILE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    root = process.stdout.readline().strip()
    _, SERVERS["tls"], SERVERS["ca"] = process.stdout.readline().split()
    _, SERVERS["proxy"] = process.stdout.readline().split()
    yield root
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=5)


def test_a_private_ca_is_trusted_only_when_given(hostile: str, tmp_path: Any) -> None:
    settings_ = {"base_url": SERVERS["tls"], "max_retries": 0, "timeout": 5.0}
    with pytest.raises(ucare.TransportError, match="certificate"):
        ucare.Client("pk", SECRET, **settings_).project()
    assert ucare.Client("pk", SECRET, ca_bundle=SERVERS["ca"], **settings_).project().name == "tls"
    assert ucare.Client("pk", SECRET, ca_bundle=pathlib.Path(SERVERS["ca"]), **settings_).project().name == "tls"
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    for wrong in (str(bad), str(tmp_path / "missing.pem"), str(tmp_path), "/dev/zero", 5):
        with pytest.raises(ucare.InvalidInputError):
            ucare.Client("pk", SECRET, ca_bundle=wrong, **settings_)  # type: ignore[arg-type]


def test_requests_go_through_the_proxy(hostile: str) -> None:
    client = ucare.Client("pk", SECRET, base_url="http://upstream.invalid/", proxy=SERVERS["proxy"])
    assert client.project().name == "GET http://upstream.invalid/project/ HTTP/1.1"
    with pytest.raises(ucare.InvalidInputError, match="proxy"):
        ucare.Client("pk", SECRET, proxy="ftp://proxy:21")
    # Without the option, the environment's proxy applies (as the README says).
    script = "import ucare; print(ucare.Client('pk', 'sk', base_url='http://upstream.invalid/').project().name)"
    env = {**os.environ, "HTTP_PROXY": SERVERS["proxy"], "NO_PROXY": ""}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "GET http://upstream.invalid/project/ HTTP/1.1", done.stderr


def count(root: str, mode: str) -> int:
    with urllib.request.urlopen(f"{root}__count/{mode}") as answer:
        return int(answer.read())


def hostile_client(root: str, mode: str, **options: Any) -> ucare.Client:
    settings_ = {"timeout": 2.0, "max_retries": 2, **options}
    return ucare.Client("pk", SECRET, base_url=f"{root}{mode}/", **settings_)


@pytest.fixture(scope="module")
def module_emu() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


# --- crashes: arguments that cannot be arguments ------------------------------------------

def self_referencing() -> List[Any]:
    items: List[Any] = [UUID]
    items.append(items)
    return items


def deeply_nested(depth: int = 100_000) -> List[Any]:
    items: List[Any] = []
    for _ in range(depth):
        items = [items]
    return items


def test_self_referencing_and_deep_arguments_are_refused_not_crashing(module_emu: Emulator) -> None:
    client = module_emu.client()
    before = module_emu.stats["requests"]
    for bad in (self_referencing(), deeply_nested(), [UUID, {"a": self_referencing()}]):
        with pytest.raises(ucare.InvalidInputError) as err:
            client.files.store_many(bad)  # type: ignore[arg-type]
        assert "nested deeper" in str(err.value) or "uuids" in str(err.value)
    assert module_emu.stats["requests"] == before, "nothing was sent"


@pytest.mark.parametrize("timeout", [1e20, 1e300, math.inf, -math.inf, math.nan, -1.0, 0.0])
def test_absurd_timeouts_are_invalid_input_naming_the_parameter(module_emu: Emulator, timeout: float) -> None:
    with pytest.raises(ucare.InvalidInputError, match="timeout"):
        module_emu.client(timeout=timeout)
    with pytest.raises(ucare.InvalidInputError, match="timeout"):
        module_emu.client().conversions.wait(1, timeout=timeout)


@pytest.mark.parametrize("name, value", [("max_retries", -1), ("max_retries", 2**70), ("max_retries", 1.5), ("max_retries", math.nan),
                                         ("max_retries", 1000), ("max_response_bytes", -5), ("max_response_bytes", 1)])
def test_bad_numbers_in_options_name_the_option(module_emu: Emulator, name: str, value: Any) -> None:
    with pytest.raises(ucare.InvalidInputError, match=name):
        module_emu.client(**{name: value})


@pytest.mark.parametrize("limit", [1.5, math.nan, math.inf, -1, 0, 2**64, 2**70, True])
def test_bad_limits_are_refused_before_sending(module_emu: Emulator, limit: Any) -> None:
    before = module_emu.stats["requests"]
    with pytest.raises(ucare.InvalidInputError):
        next(iter(module_emu.client().files.list(limit=limit)))
    assert module_emu.stats["requests"] == before


def test_a_panic_is_an_uploadcare_error_never_a_panic_exception() -> None:
    # PanicException derives from BaseException; none may escape. Every entry point is
    # guarded: a value the core refuses comes back as an Exception subclass.
    for call in (lambda: ucare.Client("pk", "sk", timeout=1e300), lambda: ucare.DocumentConversion(UUID, page=2**40).path):
        with pytest.raises(Exception) as err:
            call()
        assert isinstance(err.value, ucare.UploadcareError), type(err.value)


# --- security -------------------------------------------------------------------------------

@pytest.mark.parametrize("secret", ["", None, 5, b"bytes"])
def test_a_missing_webhook_secret_never_verifies(secret: Any) -> None:
    body = b'{"hook": {}}'
    forged = webhooks.sign("undefined", body)
    for call in (lambda: webhooks.verify(secret, body, forged), lambda: webhooks.sign(secret, body),
                 lambda: webhooks.verify_and_parse(secret, body, forged)):
        with pytest.raises(ucare.InvalidInputError):
            call()


@pytest.mark.parametrize("field", ["public_key", "secret_key", "api_version", "user_agent_suffix"])
@pytest.mark.parametrize("bad", ["a\r\nX-Evil: 1", "a\nb", "a\x00b", "a\x7f"])
def test_header_values_that_cannot_be_sent_are_refused_at_construction(field: str, bad: str) -> None:
    options = {"public_key": "pk", "secret_key": "sk", "base_url": "http://127.0.0.1:1/", field: bad}
    with pytest.raises(ucare.InvalidInputError) as err:
        ucare.Client(**options)
    assert bad not in str(err.value) or field != "secret_key"


def test_credentials_in_the_base_url_are_refused() -> None:
    with pytest.raises(ucare.InvalidInputError, match="user name or password"):
        ucare.Client("pk", "sk", base_url="http://user:password@127.0.0.1:1/")


def test_a_secret_echoed_by_the_server_is_redacted_everywhere(hostile: str) -> None:
    client = hostile_client(hostile, "echo", auth="simple")
    with pytest.raises(ucare.BadRequestError) as err:
        client.files.info(UUID)
    texts = [str(err.value), repr(err.value), repr(err.value.args), err.value.detail,
             "".join(traceback.format_exception(type(err.value), err.value, err.value.__traceback__))]
    assert "Uploadcare.Simple pk:***" in err.value.detail
    for text in texts:
        assert SECRET not in text
    with pytest.raises(ucare.DecodeError) as decode:
        hostile_client(hostile, "echo-page", auth="simple").files.info(UUID)
    assert SECRET not in str(decode.value) + decode.value.snippet


def test_a_webhook_target_url_with_control_characters_is_refused(module_emu: Emulator) -> None:
    with pytest.raises(ucare.InvalidInputError, match="control characters"):
        module_emu.client().webhooks.create("https://example.com/\nhook")


# --- hangs and exhaustion -------------------------------------------------------------------

def test_an_endless_answer_stops_at_the_cap(hostile: str) -> None:
    started = time.monotonic()
    with pytest.raises(ucare.DecodeError, match="larger than 1048576 bytes"):
        hostile_client(hostile, "endless", max_response_bytes=1 << 20).files.info(UUID)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("mode", ["repeat", "cycle"])
def test_a_listing_whose_next_link_loops_ends(hostile: str, mode: str) -> None:
    listing = hostile_client(hostile, mode).files.list()
    with pytest.raises(ucare.DecodeError, match=f"{hostile}{mode}/files/"):
        list(listing)


def test_a_next_link_with_credentials_is_refused(hostile: str) -> None:
    with pytest.raises(ucare.DecodeError, match="user name or password"):
        list(hostile_client(hostile, "userinfo").files.list())


@pytest.mark.parametrize("mode", ["badpage", "badutf8"])
def test_bad_items_in_a_page_are_decode_errors(hostile: str, mode: str) -> None:
    for listing in (hostile_client(hostile, mode).files.list(),):
        with pytest.raises(ucare.DecodeError) as err:
            list(listing)
        assert err.value.status == 200 and err.value.snippet


def test_ctrl_c_interrupts_a_blocked_call_at_once(hostile: str) -> None:
    script = textwrap.dedent(f"""
        import sys, time, ucare
        client = ucare.Client("pk", "sk", base_url={hostile + 'silent/'!r}, timeout=60, max_retries=5)
        print("calling", flush=True)
        try:
            client.files.info({UUID!r})
        except KeyboardInterrupt:
            print(time.monotonic(), flush=True)
            sys.exit(0)
        sys.exit(3)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "calling"
    time.sleep(0.3)  # inside the call
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    caught = float(child.stdout.readline())
    assert child.wait(timeout=5) == 0
    delay_ms = (caught - sent) * 1000
    print(f"SIGINT to KeyboardInterrupt: {delay_ms:.0f} ms")
    assert delay_ms < 200, delay_ms


def test_cancelling_an_asyncio_call_stops_its_requests(hostile: str) -> None:
    async def run() -> None:
        client = ucare.AsyncClient("pk", SECRET, base_url=f"{hostile}unavailable/", max_retries=20)
        task = asyncio.ensure_future(client.files.info(UUID))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        at_cancel = count(hostile, "unavailable")
        await asyncio.sleep(1.0)
        after = count(hostile, "unavailable")
        print(f"requests at cancel {at_cancel}, one second later {after}")
        assert after <= at_cancel + 1, "retries went on after the cancel"

    asyncio.run(run())


# --- nothing lost ---------------------------------------------------------------------------

def test_a_batch_that_fails_part_way_carries_what_was_done(hostile: str) -> None:
    # Four requests of 100, 100, 100 and 51 ids go out together; the third to arrive is refused.
    uuids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(351)]
    client = hostile_client(hostile, "batch")
    with pytest.raises(ucare.BadRequestError) as err:
        client.files.store_many(uuids)
    batch = err.value.batch
    assert batch is not None
    done = {f.uuid for f in batch.partial.result}
    assert len(done) + len(batch.remaining) == 351 and not done & set(batch.remaining)
    assert len(batch.failed) in (100, 51), "exactly the refused request's ids failed"
    rest = client.files.store_many(batch.remaining)
    assert len(rest.result) == len(batch.remaining)


# --- property tests: any value at every public method ---------------------------------------

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63, max_value=2**80) | st.floats() | st.text() | st.binary(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
anything = json_like | st.datetimes() | st.builds(self_referencing) | st.sampled_from([object(), print, ..., 1j, set([1])])


def surviving(call: Callable[[], Any]) -> None:
    try:
        call()
    except (ucare.UploadcareError, TypeError):
        pass


def calls(client: ucare.Client, client05: ucare.Client, value: Any) -> List[Callable[[], Any]]:
    return [
        lambda: client.files.info(value),
        lambda: client.files.info(UUID, include_appdata=value),
        lambda: client.files.store(value),
        lambda: client.files.delete(value),
        lambda: client.files.store_many(value),
        lambda: client.files.delete_many([UUID, value]),
        lambda: client.files.local_copy(value, store=value, metadata=value),
        lambda: client.files.remote_copy(UUID, target=value, make_public=value, pattern=value),
        lambda: client05.files.copy(value, store=value),
        lambda: client05.files.copy_to_storage(UUID, target=value, make_public=value, pattern=value),
        lambda: client.files.metadata(value).set(value, value),
        lambda: client.files.metadata(UUID).get(value),
        lambda: client.addons.run(value, UUID, params=value),
        lambda: client.addons.remove_bg(value, crop=value, type_level=value, channels=value),
        lambda: client.addons.status(value),
        lambda: client.addons.wait(("remove_bg", value), timeout=value),
        lambda: client.groups.delete(value),
        lambda: client.conversions.document_info(value),
        lambda: client.with_options(timeout=value, max_retries=value).files.info(UUID),
        lambda: next(iter(client.files.list(limit=value)), None),
        lambda: next(iter(client.files.list(ordering=value)), None),
        lambda: next(iter(client.files.list(from_=value, stored=value, include_appdata=value)), None),
        lambda: next(iter(client.groups.list(from_=value)), None),
        lambda: client.groups.info(value),
        lambda: client.groups.create(value),
        lambda: client.webhooks.create(value, event=value, signing_secret=value),
        lambda: client.webhooks.update(value, is_active=value),
        lambda: client.webhooks.delete(value),
        lambda: client.conversions.document(ucare.DocumentConversion(value, format=value, page=value)),
        lambda: client.conversions.video(ucare.VideoConversion(UUID, size=value, cut=value, thumbs=value)),
        lambda: client.conversions.status(value, kind=value),
        lambda: client.conversions.wait(value, timeout=value),
        lambda: webhooks.verify(value, value, value),
        lambda: webhooks.parse_event(value),
        lambda: client.upload(value),
        lambda: client.upload(b"x", name=value, store=value, metadata=value, on_progress=value),
        lambda: client.upload_from_url(value, timeout=value),
    ]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=anything)
def test_any_value_at_any_method_is_refused_before_sending(module_emu: Emulator, value: Any) -> None:
    client, client05 = module_emu.client(), module_emu.client(api_version="0.5")
    for call in calls(client, client05, value):
        before = module_emu.stats["requests"]
        try:
            call()
        except (ucare.InvalidInputError, TypeError):
            assert module_emu.stats["requests"] == before, "a refused call sent something"
        except ucare.UploadcareError:
            pass  # a valid-looking value the server answered (404 and the like)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(["public_key", "secret_key", "auth", "base_url", "api_version", "timeout", "max_retries",
                             "user_agent_suffix", "max_response_bytes"]), value=anything)
def test_any_value_at_any_constructor_option_is_an_error_or_a_client(name: str, value: Any) -> None:
    options = {"public_key": "pk", "secret_key": "sk", "base_url": "http://127.0.0.1:1/", name: value}
    surviving(lambda: ucare.Client(**options))
    surviving(lambda: ucare.AsyncClient(**options))
