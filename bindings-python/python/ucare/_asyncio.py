"""Resolves the asyncio futures that the native runtime completes (called on the loop)."""

from __future__ import annotations

import asyncio
from typing import Any


def resolve(future: "asyncio.Future[Any]", ok: bool, value: Any) -> None:
    """Sets a result or an exception, unless the awaiting side gave up (cancelled)."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
