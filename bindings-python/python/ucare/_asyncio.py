"""How the native runtime hands results to asyncio: through a socket each event loop
watches (see ``_native.Completions``), so that the runtime's threads never take the GIL;
``resolve`` then sets each future on the loop's own thread."""

from __future__ import annotations

import asyncio
import weakref
from typing import Any, Optional

from . import _native

_completions: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Optional[_native.Completions]]" = weakref.WeakKeyDictionary()


def completions(loop: asyncio.AbstractEventLoop) -> Optional[_native.Completions]:
    """The completion queue of ``loop``, made and watched on first use; ``None`` for a loop
    that cannot watch a socket (Windows' proactor loop), which is then told of each result
    with ``call_soon_threadsafe``."""
    try:
        return _completions[loop]
    except KeyError:
        pass
    except TypeError:
        return None  # a loop that cannot be weakly referenced: no cache, no socket
    queue: Optional[_native.Completions] = None
    try:
        candidate = _native.Completions()
        loop.add_reader(candidate.fileno(), candidate.drain)
        queue = candidate
    except (NotImplementedError, OSError, AttributeError):
        queue = None
    _completions[loop] = queue
    return queue


def resolve(future: "asyncio.Future[Any]", ok: bool, value: Any) -> None:
    """Sets a result or an exception, unless the awaiting side gave up (cancelled)."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
