"""Receiving webhooks: check ``X-Uc-Signature`` and read the delivered event.

::

    from ucare import webhooks

    def handle(request):
        event = webhooks.verify_and_parse(SECRET, request.body, request.headers["X-Uc-Signature"])
        print(event.data.uuid, event.data.original_filename)
"""

from __future__ import annotations

from typing import Union

from . import _native
from .errors import InvalidInputError
from .models import WebhookEvent

__all__ = ["verify", "sign", "parse_event", "verify_and_parse", "SIGNATURE_HEADER"]

SIGNATURE_HEADER = "X-Uc-Signature"
"""The header a signed delivery carries."""


def _bytes(body: Union[bytes, bytearray, memoryview, str]) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise InvalidInputError(f"invalid input: a webhook body is bytes or str, not {type(body).__name__}")


def _secret(signing_secret: object) -> str:
    # A missing secret (an unset environment variable gives None or "") must never verify:
    # anyone could sign with it.
    if not isinstance(signing_secret, str) or not signing_secret:
        raise InvalidInputError("invalid input: the webhook signing secret must be a non-empty str "
                                f"(got {'an empty str' if signing_secret == '' else type(signing_secret).__name__})")
    return signing_secret


def _header(header: object) -> str:
    if not isinstance(header, str):
        raise InvalidInputError(f"invalid input: the {SIGNATURE_HEADER} header must be a str, not {type(header).__name__}")
    return header


def verify(signing_secret: str, body: Union[bytes, bytearray, memoryview, str], header: str) -> bool:
    """Whether ``header`` is the right signature of ``body`` (compared in constant time).

    Pass the body exactly as received; re-serialized JSON will not match. An empty or
    missing secret raises ``InvalidInputError``; it never matches.
    """
    return _native.verify_webhook(_secret(signing_secret), _bytes(body), _header(header))


def sign(signing_secret: str, body: Union[bytes, bytearray, memoryview, str]) -> str:
    """The ``X-Uc-Signature`` value for a body: ``v1=<hex HMAC-SHA256>``."""
    return _native.sign_webhook(_secret(signing_secret), _bytes(body))


def parse_event(body: Union[bytes, bytearray, memoryview, str]) -> WebhookEvent:
    """Reads a delivered event; ``DecodeError`` when it is not one."""
    return WebhookEvent.from_dict(_native.parse_webhook_event(_bytes(body)))


def verify_and_parse(signing_secret: str, body: Union[bytes, bytearray, memoryview, str], header: str) -> WebhookEvent:
    """Checks the signature, then reads the event; ``InvalidInputError`` for a wrong
    signature or an empty secret."""
    if not verify(signing_secret, body, header):
        raise InvalidInputError("invalid input: the webhook signature does not match its body")
    return parse_event(body)
