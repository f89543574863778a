"""The sync and async clients. Both send every request through the Rust core; this layer
only names arguments and wraps answers in models."""

from __future__ import annotations

import copy
import json
import logging
import os
from datetime import datetime
from typing import (Any, AsyncIterator, BinaryIO, Callable, Dict, Generic, Iterable, Iterator, List, Literal, Mapping, MutableMapping, Optional,
                    Sequence, Tuple, TypeVar, Union)

from . import _native
from .conversions import DocumentConversion, VideoConversion
from .errors import DecodeError, InvalidInputError, NotFoundError
from .models import _NativeFile
from .models import (AddonName, AddonRun, AddonStatus, ApiVersion, AuthScheme, BatchResult, ConversionJob, ConversionResponse, ConversionStatus,
                     DocumentInfo, EventName, File, FileOrdering, Group, GroupOrdering, MetadataWrite, Page, Project, RemoteCopy, Webhook)

__all__ = ["Client", "AsyncClient", "Listing", "AsyncListing", "DEFAULT_BASE_URL"]

DEFAULT_BASE_URL = "https://api.uploadcare.com/"
"""The real API's root."""

T = TypeVar("T")
FromValue = Union[datetime, int, None]
ConversionKind = Literal["document", "video"]

_logger = logging.getLogger("ucare")


def _log_request(method: str, path: str, status: Optional[int], attempt: int, elapsed_ms: float, error: Optional[str]) -> None:
    """One HTTP attempt of the core, to the ``ucare`` logger (never a header or a secret)."""
    if status is None:
        _logger.debug("%s %s failed: %s (attempt %d, %.1f ms)", method, path, error, attempt, elapsed_ms)
    else:
        _logger.debug("%s %s %d (attempt %d, %.1f ms)", method, path, status, attempt, elapsed_ms)


def _options(public_key: str, secret_key: str, auth: str, base_url: str, api_version: str, timeout: float, max_retries: int,
             user_agent_suffix: Optional[str], max_response_bytes: Optional[int], upload_base_url: Optional[str],
             ca_bundle: Optional[Union[str, "os.PathLike[str]"]], proxy: Optional[str]) -> Dict[str, Any]:
    if ca_bundle is not None and not isinstance(ca_bundle, (str, os.PathLike)):
        raise InvalidInputError(f"invalid input: ca_bundle is the path of a PEM file, not {type(ca_bundle).__name__}")
    return {
        "public_key": public_key, "secret_key": secret_key, "auth": auth, "base_url": base_url, "api_version": api_version,
        "timeout": timeout, "max_retries": max_retries, "user_agent_suffix": user_agent_suffix, "max_response_bytes": max_response_bytes,
        "upload_base_url": upload_base_url, "ca_bundle": None if ca_bundle is None else os.fspath(ca_bundle), "proxy": proxy,
    }


UploadSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, BinaryIO]
"""What ``upload`` takes: a path (streamed from disk), bytes, or a binary file object (read)."""

ProgressCallback = Callable[[int, int], None]
"""``on_progress(sent, total)``: bytes acknowledged so far, of the file's size."""


def _metadata(metadata: Optional[Mapping[str, str]]) -> Optional[Dict[str, str]]:
    """Metadata as a plain dict for the core (which checks keys and values); anything but a
    mapping is refused here, before it could reach ``dict()`` and fail there untyped."""
    if metadata is None:
        return None
    if not isinstance(metadata, Mapping):
        raise InvalidInputError(f"invalid input: metadata must be a mapping of str to str, not {type(metadata).__name__}")
    return dict(metadata)


def _group_files(files: Iterable[Union[str, File]]) -> List[str]:
    """The uuids (or CDN URLs with operations) a new group is made of."""
    if isinstance(files, (str, bytes)) or not isinstance(files, Iterable):
        raise InvalidInputError("invalid input: files must be an iterable of uuids, CDN URLs or File objects")
    chosen: List[str] = []
    for item in files:
        if len(chosen) > 1000:
            break  # the core refuses more than 1000; an endless iterable stops here
        if isinstance(item, File):
            chosen.append(item.uuid)
        elif isinstance(item, str):
            chosen.append(item)
        else:
            raise InvalidInputError(f"invalid input: a group member must be a uuid, a CDN URL or a File, not {type(item).__name__}")
    return chosen


def _upload_input(source: UploadSource, name: Optional[str], content_type: Optional[str], store: Optional[bool],
                  metadata: Optional[Mapping[str, str]], multipart_min_size: Optional[int] = None,
                  part_concurrency: Optional[int] = None) -> Tuple[Union[str, bytes], Dict[str, Any]]:
    """The native source (a path as str, or bytes) and the arguments of one upload."""
    data: Union[str, bytes]
    if isinstance(source, (str, os.PathLike)):
        data = os.fspath(source)
        if not isinstance(data, str):
            raise InvalidInputError("invalid input: a path must be text")
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = name or "file"
    elif hasattr(source, "read"):
        read = source.read()
        if not isinstance(read, bytes):
            raise InvalidInputError("invalid input: a file object must be opened in binary mode")
        data = read
        name = name or os.path.basename(str(getattr(source, "name", "") or "")) or "file"
    else:
        raise InvalidInputError(f"invalid input: cannot upload a {type(source).__name__}; pass a path, bytes or a binary file")
    arguments: Dict[str, Any] = {"name": name, "content_type": content_type, "store": store,
                                 "metadata": _metadata(metadata),
                                 "multipart_min_size": multipart_min_size, "part_concurrency": part_concurrency}
    return data, arguments


def _many(files: List[Optional[str]], errors: List[Tuple[int, BaseException]]) -> List[File]:
    """The Files of ``upload_many``, or its first error with every outcome attached."""
    results = [None if f is None else File.from_dict(json.loads(f)) for f in files]
    if errors:
        first = errors[0][1]
        setattr(first, "uploaded", results)
        setattr(first, "errors", {index: error for index, error in errors})
        raise first
    return [f for f in results if f is not None]


def _env_options(overrides: Dict[str, Any]) -> Dict[str, Any]:
    public_key = os.environ.get("UPLOADCARE_PUBLIC_KEY")
    secret_key = os.environ.get("UPLOADCARE_SECRET_KEY")
    if not public_key or not secret_key:
        raise InvalidInputError("invalid input: UPLOADCARE_PUBLIC_KEY and UPLOADCARE_SECRET_KEY must be set")
    options: Dict[str, Any] = {"public_key": public_key, "secret_key": secret_key}
    if os.environ.get("UPLOADCARE_API_BASE"):
        options["base_url"] = os.environ["UPLOADCARE_API_BASE"]
    if os.environ.get("UPLOADCARE_UPLOAD_BASE"):
        options["upload_base_url"] = os.environ["UPLOADCARE_UPLOAD_BASE"]
    options.update(overrides)
    return options


def _from(arguments: Dict[str, Any], from_: FromValue) -> Dict[str, Any]:
    if isinstance(from_, bool):
        raise InvalidInputError("invalid input: from_ must be a datetime or a size in bytes")
    if isinstance(from_, int):
        arguments["from_size"] = from_
    elif isinstance(from_, datetime):
        arguments["from_datetime"] = from_
    elif from_ is not None:
        raise InvalidInputError("invalid input: from_ must be a datetime or a size in bytes")
    return arguments


def _native_batch(answer: Any) -> BatchResult:
    """A batch's merged answer with native files (see ``_native.NativeClient.file_batch``)."""
    status, problems, files = answer
    return BatchResult(status, problems, [_NativeFile(f) for f in files])


def _uuids(uuids: Iterable[str]) -> List[str]:
    if isinstance(uuids, str):
        raise InvalidInputError("invalid input: pass a list of UUIDs, not one string")
    return list(uuids)


def _specs(conversions: Any, kind: type) -> List[Dict[str, Any]]:
    items: List[Any] = [conversions] if isinstance(conversions, kind) else list(conversions)
    for item in items:
        if not isinstance(item, kind):
            raise InvalidInputError(f"invalid input: expected {kind.__name__} objects, got {type(item).__name__}")
    return [item._spec() for item in items]


def _job(job: Union[ConversionJob, int], kind: Optional[str]) -> Dict[str, Any]:
    if isinstance(job, ConversionJob):
        return {"kind": kind or job.kind, "token": job.token}
    if isinstance(job, int) and not isinstance(job, bool):
        return {"kind": kind or "document", "token": job}
    raise InvalidInputError("invalid input: pass a ConversionJob or a job token")


def _page(raw: bytes, wrap: Callable[[Dict[str, Any]], T]) -> Page:
    """A page from its JSON body. The core has checked the body against its models already;
    should it still not read here, that is a ``DecodeError`` like any bad answer."""
    try:
        data = json.loads(raw)
        return Page([wrap(item) for item in data["results"]], data.get("total") or 0, data.get("per_page") or 0, data.get("next"),
                    data.get("previous"))
    except DecodeError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        snippet = raw[:200].decode("utf-8", "replace")
        raise DecodeError(f"could not decode the page (status 200): {error}", status=200, snippet=snippet) from error


def _native_page(answer: Any) -> Optional[Page]:
    """A page of native files (see ``_native.NativePager.next_files``)."""
    if answer is None:
        return None
    files, total, per_page, next_, previous = answer
    return Page([_NativeFile(f) for f in files], total, per_page, next_, previous)


class Listing(Generic[T], Iterator[T]):
    """A lazy listing: iterate for items, ``pages()`` for whole pages; pages are fetched one
    at a time as needed. ``total`` counts every match (it fetches the first page if needed).

    Files are decoded by the core, off the GIL and a page ahead, into objects that read
    their fields on access; other listings are decoded by ``json.loads``."""

    def __init__(self, pager: Any, wrap: Callable[[Dict[str, Any]], T], *, native_files: bool = False) -> None:
        self._pager = pager
        self._wrap = wrap
        # File listings take pages decoded by the core as native objects.
        self._native_files = native_files
        self._pending: List[Page] = []
        self._items: Iterator[T] = iter(())
        self._total: Optional[int] = None

    def _fetch(self) -> Optional[Page]:
        if self._pending:
            return self._pending.pop(0)
        if self._native_files:
            page = _native_page(self._pager.next_files())
        else:
            raw = self._pager.next_page_raw()
            page = None if raw is None else _page(raw, self._wrap)
        if page is None:
            return None
        self._total = page.total
        return page

    @property
    def total(self) -> int:
        """How many items match, across all pages."""
        if self._total is None:
            page = self._fetch()
            if page is not None:
                self._pending.append(page)
        return self._total or 0

    def pages(self) -> Iterator[Page]:
        """The remaining pages, each with ``results`` of models."""
        while True:
            page = self._fetch()
            if page is None:
                return
            yield page

    def __iter__(self) -> "Listing[T]":
        return self

    def __next__(self) -> T:
        while True:
            item = next(self._items, None)
            if item is not None:
                return item
            page = self._fetch()
            if page is None:
                raise StopIteration
            self._items = iter(page.results)


class AsyncListing(Generic[T], AsyncIterator[T]):
    """A lazy listing for ``async for``; ``pages()`` gives whole pages, ``total`` is known
    once the first page is in (or ``await listing.get_total()``)."""

    def __init__(self, pager: Any, wrap: Callable[[Dict[str, Any]], T], *, native_files: bool = False) -> None:
        self._pager = pager
        self._wrap = wrap
        # File listings take pages decoded by the core as native objects.
        self._native_files = native_files
        self._pending: List[Page] = []
        self._items: Iterator[T] = iter(())
        self._total: Optional[int] = None

    async def _fetch(self) -> Optional[Page]:
        if self._pending:
            return self._pending.pop(0)
        if self._native_files:
            page = _native_page(await self._pager.next_files_async())
        else:
            raw = await self._pager.next_page_raw_async()
            page = None if raw is None else _page(raw, self._wrap)
        if page is None:
            return None
        self._total = page.total
        return page

    @property
    def total(self) -> Optional[int]:
        """How many items match, once the first page was fetched; ``None`` before."""
        return self._total

    async def get_total(self) -> int:
        """How many items match, fetching the first page if needed."""
        if self._total is None:
            page = await self._fetch()
            if page is not None:
                self._pending.append(page)
        return self._total or 0

    async def pages(self) -> AsyncIterator[Page]:
        """The remaining pages, each with ``results`` of models."""
        while True:
            page = await self._fetch()
            if page is None:
                return
            yield page

    def __aiter__(self) -> "AsyncListing[T]":
        return self

    async def __anext__(self) -> T:
        while True:
            item = next(self._items, None)
            if item is not None:
                return item
            page = await self._fetch()
            if page is None:
                raise StopAsyncIteration
            self._items = iter(page.results)


B = TypeVar("B", bound="_Base")


class _Base:
    """What both clients share: the native client, the options, repr and stats."""

    _native: Any

    _call_options: Optional[Dict[str, Any]] = None

    def __init__(self, public_key: str, secret_key: str, *, auth: AuthScheme = "signed", base_url: str = DEFAULT_BASE_URL,
                 api_version: ApiVersion = "0.7", timeout: float = 30.0, max_retries: int = 3, user_agent_suffix: Optional[str] = None,
                 max_response_bytes: Optional[int] = None, upload_base_url: Optional[str] = None,
                 ca_bundle: Optional[Union[str, "os.PathLike[str]"]] = None, proxy: Optional[str] = None) -> None:
        options = _options(public_key, secret_key, auth, base_url, api_version, timeout, max_retries, user_agent_suffix, max_response_bytes,
                           upload_base_url, ca_bundle, proxy)
        self._public_key = public_key
        self._base_url = base_url or DEFAULT_BASE_URL
        # The request log costs a call into Python per request: it is wired only when the
        # ``ucare`` logger shows debug records when the client is made.
        on_request = _log_request if _logger.isEnabledFor(logging.DEBUG) else None
        self._native = _native.NativeClient(options, on_request)
        self._attach()

    @property
    def api_version(self) -> ApiVersion:
        """The REST API version this client speaks: ``"0.7"`` or ``"0.5"``."""
        return "0.5" if self._native.api_version == "0.5" else "0.7"

    def with_options(self: B, *, timeout: Optional[float] = None, max_retries: Optional[int] = None) -> B:
        """This client with a ``timeout`` (seconds) or ``max_retries`` of its own for the
        calls made through it, sharing connections and counters::

            client.with_options(timeout=5, max_retries=0).files.info(uuid)
        """
        chosen = {k: v for k, v in {"timeout": timeout, "max_retries": max_retries}.items() if v is not None}
        clone = copy.copy(self)
        clone._call_options = {**(self._call_options or {}), **chosen}
        clone._attach()
        return clone

    def _attach(self) -> None:
        raise NotImplementedError

    @classmethod
    def from_env(cls: "type[B]", **overrides: Any) -> B:
        """A client from ``UPLOADCARE_PUBLIC_KEY``, ``UPLOADCARE_SECRET_KEY``, ``UPLOADCARE_API_BASE`` and ``UPLOADCARE_UPLOAD_BASE``;
        keyword arguments override them or set the other options."""
        return cls(**_env_options(overrides))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(public_key={self._public_key!r}, base_url={self._base_url!r}, api_version={self.api_version!r})"

    def stats(self) -> Dict[str, int]:
        """How many requests and retries this client has made."""
        return dict(self._native.stats())


class Client(_Base):
    """A client for the Uploadcare REST API.

    ::

        with ucare.Client("public", "secret") as client:
            for f in client.files.list(stored=True):
                print(f.uuid, f.size, f.datetime_uploaded)

    Requests are signed by default; ``auth="simple"`` sends the secret in every request (for
    tests only). HTTPS trusts the platform's certificates (the platform's own verifier), plus
    those of ``ca_bundle`` (a PEM file: for a corporate TLS proxy); ``proxy`` sends every
    request through a proxy (``HTTPS_PROXY`` and friends apply without it). Every request has a ``timeout`` (seconds, at most a day); idempotent ones are
    retried up to ``max_retries`` (at most 20) times, throttled ones after ``Retry-After``. An
    answer larger than ``max_response_bytes`` (64 MiB by default) is a ``DecodeError``. Calls
    release the GIL while they wait, and Ctrl-C interrupts them at once.
    """

    files: "Files"
    """Files: list, info, store, delete, batches, copies, metadata."""
    addons: "Addons"
    """Add-ons (v0.7): labels, moderation, background removal, virus scan."""
    groups: "Groups"
    """Groups: list, info, create, delete (v0.7), store (v0.5)."""
    webhooks: "Webhooks"
    """Webhook subscriptions."""
    conversions: "Conversions"
    """Document and video conversions."""

    def _attach(self) -> None:
        self.files, self.addons, self.groups = Files(self), Addons(self), Groups(self)
        self.webhooks, self.conversions = Webhooks(self), Conversions(self)

    def _call(self, op: str, **arguments: Any) -> Any:
        return json.loads(self._native.call(op, arguments, self._call_options))

    def project(self) -> Project:
        """The project these keys belong to."""
        return Project.from_dict(self._call("project"))

    def upload(self, source: UploadSource, *, name: Optional[str] = None, content_type: Optional[str] = None,
               store: Optional[bool] = None, metadata: Optional[Mapping[str, str]] = None, on_progress: Optional[ProgressCallback] = None,
               multipart_min_size: Optional[int] = None, part_concurrency: Optional[int] = None) -> File:
        """Uploads a file and answers it once ready: directly below 10 MiB, in parts sent
        concurrently (each retried on its own) above. A path is streamed from disk a part at
        a time. ``store`` None follows the project's autostore. ``on_progress(sent, total)``
        is called as parts are acknowledged (``tqdm``'s ``update`` fits), on the client's own
        thread: a blocking ucare call inside it raises ``InvalidInputError``. The GIL is released
        while bytes move; Ctrl-C stops the upload."""
        data, arguments = _upload_input(source, name, content_type, store, metadata, multipart_min_size, part_concurrency)
        return File.from_dict(json.loads(self._native.upload(data, arguments, on_progress, self._call_options)))

    def upload_many(self, sources: Iterable[UploadSource], *, concurrency: int = 16, store: Optional[bool] = None,
                    metadata: Optional[Mapping[str, str]] = None) -> List[File]:
        """Uploads many files, ``concurrency`` at a time, and answers them in order. If any
        fails, the first error is raised with ``uploaded`` (a File or None per source) and
        ``errors`` (index to exception): nothing uploaded is lost."""
        items = [_upload_input(source, None, None, store, metadata) for source in sources]
        files, errors = self._native.upload_many(items, concurrency)
        return _many(files, errors)

    def upload_from_url(self, url: str, *, name: Optional[str] = None, store: Optional[bool] = None,
                        metadata: Optional[Mapping[str, str]] = None, check_duplicates: bool = False,
                        timeout: float = 300.0) -> File:
        """Has the service fetch ``url`` and waits (polling with backoff, at most ``timeout``
        seconds) until the file is in; a failed fetch is an ``ApiError`` with its reason."""
        arguments = {"name": name, "store": store, "metadata": _metadata(metadata),
                     "check_duplicates": check_duplicates, "timeout": timeout}
        return File.from_dict(json.loads(self._native.upload_from_url(url, arguments, self._call_options)))

    def close(self) -> None:
        """Nothing to release eagerly (connections close when the client is collected);
        present so the client works as a context manager."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_Base):
    """The asyncio client: the same API as ``Client``, every call awaitable, listings for
    ``async for``. Requests run on the core's own threads; the event loop never blocks."""

    files: "AsyncFiles"
    """Files: list, info, store, delete, batches, copies, metadata."""
    addons: "AsyncAddons"
    """Add-ons (v0.7)."""
    groups: "AsyncGroups"
    """Groups: list, info, create, delete (v0.7), store (v0.5)."""
    webhooks: "AsyncWebhooks"
    """Webhook subscriptions."""
    conversions: "AsyncConversions"
    """Document and video conversions."""

    def _attach(self) -> None:
        self.files, self.addons, self.groups = AsyncFiles(self), AsyncAddons(self), AsyncGroups(self)
        self.webhooks, self.conversions = AsyncWebhooks(self), AsyncConversions(self)

    async def _call(self, op: str, **arguments: Any) -> Any:
        return json.loads(await self._native.call_async(op, arguments, self._call_options))

    async def project(self) -> Project:
        """The project these keys belong to."""
        return Project.from_dict(await self._call("project"))

    async def upload(self, source: UploadSource, *, name: Optional[str] = None, content_type: Optional[str] = None,
                     store: Optional[bool] = None, metadata: Optional[Mapping[str, str]] = None,
                     on_progress: Optional[ProgressCallback] = None, multipart_min_size: Optional[int] = None,
                     part_concurrency: Optional[int] = None) -> File:
        """Uploads a file; see ``Client.upload``. Cancelling the task stops the upload."""
        data, arguments = _upload_input(source, name, content_type, store, metadata, multipart_min_size, part_concurrency)
        return File.from_dict(json.loads(await self._native.upload_async(data, arguments, on_progress, self._call_options)))

    async def upload_many(self, sources: Iterable[UploadSource], *, concurrency: int = 16, store: Optional[bool] = None,
                          metadata: Optional[Mapping[str, str]] = None) -> List[File]:
        """Uploads many files; see ``Client.upload_many``."""
        items = [_upload_input(source, None, None, store, metadata) for source in sources]
        files, errors = await self._native.upload_many_async(items, concurrency)
        return _many(files, errors)

    async def upload_from_url(self, url: str, *, name: Optional[str] = None, store: Optional[bool] = None,
                              metadata: Optional[Mapping[str, str]] = None, check_duplicates: bool = False,
                              timeout: float = 300.0) -> File:
        """Has the service fetch ``url`` and waits; see ``Client.upload_from_url``."""
        arguments = {"name": name, "store": store, "metadata": _metadata(metadata),
                     "check_duplicates": check_duplicates, "timeout": timeout}
        return File.from_dict(json.loads(await self._native.upload_from_url_async(url, arguments, self._call_options)))

    async def close(self) -> None:
        """Nothing to release eagerly; present so the client works as an async context manager."""

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def _params(params: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    """An add-on's parameters as a plain dict for the core (which checks them)."""
    if params is None:
        return None
    if not isinstance(params, Mapping):
        raise InvalidInputError(f"invalid input: add-on params must be a mapping, not {type(params).__name__}")
    return dict(params)


def _addon_params(params: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    chosen = {k: v for k, v in params.items() if v is not None}
    return chosen or None


def _run(run: Union[AddonRun, Tuple[str, str]]) -> Dict[str, Any]:
    if isinstance(run, AddonRun):
        return {"addon": run.addon, "request_id": run.request_id}
    if isinstance(run, tuple) and len(run) == 2:
        return {"addon": run[0], "request_id": run[1]}
    raise InvalidInputError("invalid input: pass an AddonRun or (addon, request_id)")


class Files:
    """``client.files``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, stored: Optional[bool] = None, removed: Optional[bool] = None, limit: Optional[int] = None,
             ordering: Optional[FileOrdering] = None, from_: FromValue = None, include_appdata: Optional[bool] = None) -> Listing[File]:
        """Every matching file, fetched page by page. ``ordering``: ``datetime_uploaded``
        (default), ``-datetime_uploaded``, or in v0.5 ``size``, ``-size``; ``from_`` a
        datetime (or in v0.5 a size) to start at; ``limit`` files per page (1..1000);
        ``include_appdata`` (v0.7) adds what add-ons wrote."""
        arguments = _from({"stored": stored, "removed": removed, "limit": limit, "ordering": ordering, "include_appdata": include_appdata},
                          from_)
        return Listing(self._client._native.pager("files", arguments, self._client._call_options), File.from_dict, native_files=True)

    def info(self, uuid: str, *, include_appdata: bool = False) -> File:
        """One file; ``include_appdata`` (v0.7) adds what add-ons wrote."""
        return File.from_dict(self._client._call("files.info", uuid=uuid, include_appdata=include_appdata or None))

    def store(self, uuid: str) -> File:
        """Stores a file: it is kept permanently."""
        return File.from_dict(self._client._call("files.store", uuid=uuid))

    def delete(self, uuid: str) -> File:
        """Removes a file."""
        return File.from_dict(self._client._call("files.delete", uuid=uuid))

    def store_many(self, uuids: Iterable[str]) -> BatchResult:
        """Stores any number of files (sent 100 at a time); every problem is reported."""
        return _native_batch(self._client._native.file_batch({"uuids": _uuids(uuids)}, True, self._client._call_options))

    def delete_many(self, uuids: Iterable[str]) -> BatchResult:
        """Removes any number of files (sent 100 at a time); every problem is reported."""
        return _native_batch(self._client._native.file_batch({"uuids": _uuids(uuids)}, False, self._client._call_options))

    def local_copy(self, source: str, *, store: Optional[bool] = None, metadata: Optional[Mapping[str, str]] = None) -> File:
        """Copies a file (UUID or CDN URL with operations) within the project (v0.7); never
        repeated if the answer is lost."""
        return File.from_dict(self._client._call("files.local_copy", source=source, store=store, metadata=_metadata(metadata)))

    def remote_copy(self, source: str, *, target: str, make_public: Optional[bool] = None, pattern: Optional[str] = None) -> RemoteCopy:
        """Copies a file to the custom storage ``target`` (v0.7)."""
        return RemoteCopy.from_dict(self._client._call("files.remote_copy", source=source, target=target, make_public=make_public,
                                                       pattern=pattern))

    def copy(self, source: str, *, store: Optional[bool] = None) -> File:
        """Copies a file within the project (v0.5; v0.7: ``local_copy``)."""
        return File.from_dict(self._client._call("files.copy", source=source, store=store))

    def copy_to_storage(self, source: str, *, target: str, make_public: Optional[bool] = None, pattern: Optional[str] = None) -> str:
        """Copies a file to the custom storage ``target`` (v0.5; v0.7: ``remote_copy``); answers the copy's URL."""
        return str(self._client._call("files.copy_to_storage", source=source, target=target, make_public=make_public, pattern=pattern))

    def metadata(self, uuid: str) -> "FileMetadata":
        """The file's metadata (v0.7) as a mutable mapping: ``meta["k"] = "v"`` sets a key,
        ``del meta["k"]`` removes it, ``meta["k"]`` reads one, iteration reads them all.
        Every access is a request."""
        return FileMetadata(self._client, uuid)


class FileMetadata(MutableMapping[str, str]):
    """A file's metadata (v0.7), read and written through the API on each access."""

    def __init__(self, client: Client, uuid: str) -> None:
        self._client = client
        self._uuid = uuid

    def all(self) -> Dict[str, str]:
        """Every key and value."""
        return dict(self._client._call("metadata.list", uuid=self._uuid))

    def set(self, key: str, value: str) -> MetadataWrite:
        """Sets a key; answers ``"created"`` or ``"replaced"``."""
        return self._client._call("metadata.set", uuid=self._uuid, key=key, value=value)  # type: ignore[no-any-return]

    def __getitem__(self, key: str) -> str:
        try:
            return str(self._client._call("metadata.get", uuid=self._uuid, key=key))
        except NotFoundError:
            raise KeyError(key) from None

    def __setitem__(self, key: str, value: str) -> None:
        self.set(key, value)

    def __delitem__(self, key: str) -> None:
        try:
            self._client._call("metadata.delete", uuid=self._uuid, key=key)
        except NotFoundError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self.all())

    def __repr__(self) -> str:
        return f"FileMetadata({self._uuid})"


class AsyncFiles:
    """``client.files`` of the async client."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, stored: Optional[bool] = None, removed: Optional[bool] = None, limit: Optional[int] = None,
             ordering: Optional[FileOrdering] = None, from_: FromValue = None, include_appdata: Optional[bool] = None) -> AsyncListing[File]:
        """Every matching file, fetched page by page, for ``async for``; see ``Files.list``."""
        arguments = _from({"stored": stored, "removed": removed, "limit": limit, "ordering": ordering, "include_appdata": include_appdata},
                          from_)
        return AsyncListing(self._client._native.pager("files", arguments, self._client._call_options), File.from_dict,
                            native_files=True)

    async def info(self, uuid: str, *, include_appdata: bool = False) -> File:
        """One file; ``include_appdata`` (v0.7) adds what add-ons wrote."""
        return File.from_dict(await self._client._call("files.info", uuid=uuid, include_appdata=include_appdata or None))

    async def store(self, uuid: str) -> File:
        """Stores a file: it is kept permanently."""
        return File.from_dict(await self._client._call("files.store", uuid=uuid))

    async def delete(self, uuid: str) -> File:
        """Removes a file."""
        return File.from_dict(await self._client._call("files.delete", uuid=uuid))

    async def store_many(self, uuids: Iterable[str]) -> BatchResult:
        """Stores any number of files (sent 100 at a time); every problem is reported."""
        return _native_batch(await self._client._native.file_batch_async({"uuids": _uuids(uuids)}, True, self._client._call_options))

    async def delete_many(self, uuids: Iterable[str]) -> BatchResult:
        """Removes any number of files (sent 100 at a time); every problem is reported."""
        return _native_batch(await self._client._native.file_batch_async({"uuids": _uuids(uuids)}, False, self._client._call_options))

    async def local_copy(self, source: str, *, store: Optional[bool] = None, metadata: Optional[Mapping[str, str]] = None) -> File:
        """Copies a file within the project (v0.7); see ``Files.local_copy``."""
        return File.from_dict(await self._client._call("files.local_copy", source=source, store=store, metadata=_metadata(metadata)))

    async def remote_copy(self, source: str, *, target: str, make_public: Optional[bool] = None,
                          pattern: Optional[str] = None) -> RemoteCopy:
        """Copies a file to the custom storage ``target`` (v0.7)."""
        return RemoteCopy.from_dict(await self._client._call("files.remote_copy", source=source, target=target, make_public=make_public,
                                                             pattern=pattern))

    async def copy(self, source: str, *, store: Optional[bool] = None) -> File:
        """Copies a file within the project (v0.5; v0.7: ``local_copy``)."""
        return File.from_dict(await self._client._call("files.copy", source=source, store=store))

    async def copy_to_storage(self, source: str, *, target: str, make_public: Optional[bool] = None, pattern: Optional[str] = None) -> str:
        """Copies a file to the custom storage ``target`` (v0.5; v0.7: ``remote_copy``); answers the copy's URL."""
        return str(await self._client._call("files.copy_to_storage", source=source, target=target, make_public=make_public, pattern=pattern))

    def metadata(self, uuid: str) -> "AsyncFileMetadata":
        """The file's metadata (v0.7): ``await meta.get("k")``, ``set``, ``delete``, ``all``."""
        return AsyncFileMetadata(self._client, uuid)


class AsyncFileMetadata:
    """A file's metadata (v0.7) for the async client; every method is a request."""

    def __init__(self, client: AsyncClient, uuid: str) -> None:
        self._client = client
        self._uuid = uuid

    async def all(self) -> Dict[str, str]:
        """Every key and value."""
        return dict(await self._client._call("metadata.list", uuid=self._uuid))

    async def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        """One key's value, or ``default`` when it is not set."""
        try:
            return str(await self._client._call("metadata.get", uuid=self._uuid, key=key))
        except NotFoundError:
            return default

    async def set(self, key: str, value: str) -> MetadataWrite:
        """Sets a key; answers ``"created"`` or ``"replaced"``."""
        return await self._client._call("metadata.set", uuid=self._uuid, key=key, value=value)  # type: ignore[no-any-return]

    async def delete(self, key: str) -> None:
        """Removes a key; ``KeyError`` when it was not set."""
        try:
            await self._client._call("metadata.delete", uuid=self._uuid, key=key)
        except NotFoundError:
            raise KeyError(key) from None

    def __repr__(self) -> str:
        return f"AsyncFileMetadata({self._uuid})"


class Addons:
    """``client.addons`` (v0.7): start a run, ask its status, wait for it. Results land in
    the file's ``appdata`` (``files.info(uuid, include_appdata=True)``)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def run(self, addon: AddonName, uuid: str, params: Optional[Mapping[str, Any]] = None) -> AddonRun:
        """Starts ``addon`` on a file; never repeated if the answer is lost."""
        return AddonRun.from_dict(self._client._call("addons.run", addon=addon, uuid=uuid, params=_params(params)))

    def detect_labels(self, uuid: str) -> AddonRun:
        """Labels what an image shows (AWS Rekognition)."""
        return self.run("aws_rekognition_detect_labels", uuid)

    def detect_moderation_labels(self, uuid: str) -> AddonRun:
        """Moderation labels for an image (AWS Rekognition)."""
        return self.run("aws_rekognition_detect_moderation_labels", uuid)

    def remove_bg(self, uuid: str, *, crop: Optional[bool] = None, crop_margin: Optional[str] = None, scale: Optional[str] = None,
                  add_shadow: Optional[bool] = None, type_level: Optional[Literal["none", "1", "2", "latest"]] = None,
                  type: Optional[str] = None, semitransparency: Optional[bool] = None, channels: Optional[Literal["rgba", "alpha"]] = None,
                  roi: Optional[str] = None, position: Optional[str] = None) -> AddonRun:
        """Removes an image's background (remove.bg); the status's ``file_id`` is the new file."""
        params = _addon_params({"crop": crop, "crop_margin": crop_margin, "scale": scale, "add_shadow": add_shadow, "type_level": type_level,
                                "type": type, "semitransparency": semitransparency, "channels": channels, "roi": roi, "position": position})
        return self.run("remove_bg", uuid, params)

    def virus_scan(self, uuid: str, *, purge_infected: Optional[bool] = None) -> AddonRun:
        """Scans a file for viruses (ClamAV); ``purge_infected`` removes an infected file."""
        return self.run("uc_clamav_virus_scan", uuid, _addon_params({"purge_infected": purge_infected}))

    def status(self, run: Union[AddonRun, Tuple[str, str]]) -> AddonStatus:
        """A run's status, by the run or ``(addon, request_id)``."""
        return AddonStatus.from_dict(self._client._call("addons.status", **_run(run)))

    def wait(self, run: Union[AddonRun, Tuple[str, str]], *, timeout: float = 300.0) -> AddonStatus:
        """Polls a run with backoff until it is done, failed or unknown; ``TimeoutError`` after ``timeout`` seconds."""
        return AddonStatus.from_dict(self._client._call("addons.wait", timeout=timeout, **_run(run)))


class AsyncAddons:
    """``client.addons`` of the async client (v0.7); see ``Addons``."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def run(self, addon: AddonName, uuid: str, params: Optional[Mapping[str, Any]] = None) -> AddonRun:
        """Starts ``addon`` on a file; never repeated if the answer is lost."""
        return AddonRun.from_dict(await self._client._call("addons.run", addon=addon, uuid=uuid, params=_params(params)))

    async def detect_labels(self, uuid: str) -> AddonRun:
        """Labels what an image shows (AWS Rekognition)."""
        return await self.run("aws_rekognition_detect_labels", uuid)

    async def detect_moderation_labels(self, uuid: str) -> AddonRun:
        """Moderation labels for an image (AWS Rekognition)."""
        return await self.run("aws_rekognition_detect_moderation_labels", uuid)

    async def remove_bg(self, uuid: str, *, crop: Optional[bool] = None, crop_margin: Optional[str] = None, scale: Optional[str] = None,
                        add_shadow: Optional[bool] = None, type_level: Optional[Literal["none", "1", "2", "latest"]] = None,
                        type: Optional[str] = None, semitransparency: Optional[bool] = None,
                        channels: Optional[Literal["rgba", "alpha"]] = None, roi: Optional[str] = None,
                        position: Optional[str] = None) -> AddonRun:
        """Removes an image's background (remove.bg)."""
        params = _addon_params({"crop": crop, "crop_margin": crop_margin, "scale": scale, "add_shadow": add_shadow, "type_level": type_level,
                                "type": type, "semitransparency": semitransparency, "channels": channels, "roi": roi, "position": position})
        return await self.run("remove_bg", uuid, params)

    async def virus_scan(self, uuid: str, *, purge_infected: Optional[bool] = None) -> AddonRun:
        """Scans a file for viruses (ClamAV)."""
        return await self.run("uc_clamav_virus_scan", uuid, _addon_params({"purge_infected": purge_infected}))

    async def status(self, run: Union[AddonRun, Tuple[str, str]]) -> AddonStatus:
        """A run's status."""
        return AddonStatus.from_dict(await self._client._call("addons.status", **_run(run)))

    async def wait(self, run: Union[AddonRun, Tuple[str, str]], *, timeout: float = 300.0) -> AddonStatus:
        """Polls a run until it is done, failed or unknown."""
        return AddonStatus.from_dict(await self._client._call("addons.wait", timeout=timeout, **_run(run)))


class Groups:
    """``client.groups``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, limit: Optional[int] = None, ordering: Optional[GroupOrdering] = None,
             from_: Optional[datetime] = None) -> Listing[Group]:
        """Every group, page by page; ``ordering`` ``datetime_created`` or ``-datetime_created``."""
        arguments = {"limit": limit, "ordering": ordering, "from_datetime": from_}
        return Listing(self._client._native.pager("groups", arguments, self._client._call_options), Group.from_dict)

    def info(self, group_id: str) -> Group:
        """One group with its files."""
        return Group.from_dict(self._client._call("groups.info", group_id=group_id))

    def create(self, files: Iterable[Union[str, File]]) -> Group:
        """Makes a group of uploaded files (uuids, CDN URLs with operations, or ``File``
        objects; 1 to 1000, in order) through the Upload API, and answers it."""
        return Group.from_dict(json.loads(self._client._native.create_group(_group_files(files))))

    def delete(self, group_id: str) -> None:
        """Removes a group, not its files (v0.7)."""
        self._client._call("groups.delete", group_id=group_id)

    def store(self, group_id: str) -> Group:
        """Stores every file of a group (v0.5)."""
        return Group.from_dict(self._client._call("groups.store", group_id=group_id))


class AsyncGroups:
    """``client.groups`` of the async client."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def list(self, *, limit: Optional[int] = None, ordering: Optional[GroupOrdering] = None,
             from_: Optional[datetime] = None) -> AsyncListing[Group]:
        """Every group, page by page, for ``async for``."""
        arguments = {"limit": limit, "ordering": ordering, "from_datetime": from_}
        return AsyncListing(self._client._native.pager("groups", arguments, self._client._call_options), Group.from_dict)

    async def info(self, group_id: str) -> Group:
        """One group with its files."""
        return Group.from_dict(await self._client._call("groups.info", group_id=group_id))

    async def create(self, files: Iterable[Union[str, File]]) -> Group:
        """Makes a group of uploaded files; see ``Groups.create``."""
        return Group.from_dict(json.loads(await self._client._native.create_group_async(_group_files(files))))

    async def delete(self, group_id: str) -> None:
        """Removes a group, not its files (v0.7)."""
        await self._client._call("groups.delete", group_id=group_id)

    async def store(self, group_id: str) -> Group:
        """Stores every file of a group (v0.5)."""
        return Group.from_dict(await self._client._call("groups.store", group_id=group_id))


class Webhooks:
    """``client.webhooks``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self) -> List[Webhook]:
        """Every subscription."""
        return [Webhook.from_dict(w) for w in self._client._call("webhooks.list")]

    def create(self, target_url: str, *, event: EventName = "file.uploaded", is_active: bool = True, signing_secret: Optional[str] = None,
               version: Optional[str] = None) -> Webhook:
        """Subscribes ``target_url`` to ``event``; ``signing_secret`` (up to 32 characters)
        signs deliveries; ``version`` (the payload's, v0.5 only)."""
        return Webhook.from_dict(self._client._call("webhooks.create", target_url=target_url, event=event, is_active=is_active,
                                                    signing_secret=signing_secret, version=version))

    def update(self, webhook_id: int, *, target_url: Optional[str] = None, event: Optional[EventName] = None,
               is_active: Optional[bool] = None, signing_secret: Optional[str] = None) -> Webhook:
        """Changes a subscription; fields left out stay as they are."""
        return Webhook.from_dict(self._client._call("webhooks.update", id=webhook_id, target_url=target_url, event=event,
                                                    is_active=is_active, signing_secret=signing_secret))

    def delete(self, target_url: str) -> None:
        """Unsubscribes ``target_url``."""
        self._client._call("webhooks.delete", target_url=target_url)


class AsyncWebhooks:
    """``client.webhooks`` of the async client."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self) -> List[Webhook]:
        """Every subscription."""
        return [Webhook.from_dict(w) for w in await self._client._call("webhooks.list")]

    async def create(self, target_url: str, *, event: EventName = "file.uploaded", is_active: bool = True,
                     signing_secret: Optional[str] = None, version: Optional[str] = None) -> Webhook:
        """Subscribes ``target_url`` to ``event``; see ``Webhooks.create``."""
        return Webhook.from_dict(await self._client._call("webhooks.create", target_url=target_url, event=event, is_active=is_active,
                                                          signing_secret=signing_secret, version=version))

    async def update(self, webhook_id: int, *, target_url: Optional[str] = None, event: Optional[EventName] = None,
                     is_active: Optional[bool] = None, signing_secret: Optional[str] = None) -> Webhook:
        """Changes a subscription; fields left out stay as they are."""
        return Webhook.from_dict(await self._client._call("webhooks.update", id=webhook_id, target_url=target_url, event=event,
                                                          is_active=is_active, signing_secret=signing_secret))

    async def delete(self, target_url: str) -> None:
        """Unsubscribes ``target_url``."""
        await self._client._call("webhooks.delete", target_url=target_url)


class Conversions:
    """``client.conversions``."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def document(self, conversions: Union[DocumentConversion, Sequence[DocumentConversion]], *, store: Optional[bool] = None,
                 save_in_group: Optional[bool] = None) -> ConversionResponse:
        """Starts document conversions; refused paths are in ``problems``. ``save_in_group``
        (v0.7) saves a multi-page result as a group, one file per page."""
        data = self._client._call("conversions.document", conversions=_specs(conversions, DocumentConversion), store=store,
                                  save_in_group=save_in_group)
        return ConversionResponse.from_dict(data, "document")

    def video(self, conversions: Union[VideoConversion, Sequence[VideoConversion]], *, store: Optional[bool] = None) -> ConversionResponse:
        """Starts video conversions; refused paths are in ``problems``."""
        data = self._client._call("conversions.video", conversions=_specs(conversions, VideoConversion), store=store)
        return ConversionResponse.from_dict(data, "video")

    def status(self, job: Union[ConversionJob, int], *, kind: Optional[ConversionKind] = None) -> ConversionStatus:
        """A job's status, by the job or its token (``kind`` ``document`` or ``video`` for a token)."""
        return ConversionStatus.from_dict(self._client._call("conversions.status", **_job(job, kind)))

    def wait(self, job: Union[ConversionJob, int], *, timeout: float = 300.0, kind: Optional[ConversionKind] = None) -> ConversionStatus:
        """Polls a job with backoff until it is finished, failed or cancelled; ``TimeoutError``
        after ``timeout`` seconds."""
        return ConversionStatus.from_dict(self._client._call("conversions.wait", timeout=timeout, **_job(job, kind)))

    def document_info(self, uuid: str) -> DocumentInfo:
        """A document's format, what it converts to, and the groups conversions made (v0.7)."""
        return DocumentInfo.from_dict(self._client._call("conversions.document_info", uuid=uuid))


class AsyncConversions:
    """``client.conversions`` of the async client."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def document(self, conversions: Union[DocumentConversion, Sequence[DocumentConversion]], *,
                       store: Optional[bool] = None, save_in_group: Optional[bool] = None) -> ConversionResponse:
        """Starts document conversions; see ``Conversions.document``."""
        data = await self._client._call("conversions.document", conversions=_specs(conversions, DocumentConversion), store=store,
                                        save_in_group=save_in_group)
        return ConversionResponse.from_dict(data, "document")

    async def video(self, conversions: Union[VideoConversion, Sequence[VideoConversion]], *, store: Optional[bool] = None) -> ConversionResponse:
        """Starts video conversions; refused paths are in ``problems``."""
        data = await self._client._call("conversions.video", conversions=_specs(conversions, VideoConversion), store=store)
        return ConversionResponse.from_dict(data, "video")

    async def status(self, job: Union[ConversionJob, int], *, kind: Optional[ConversionKind] = None) -> ConversionStatus:
        """A job's status, by the job or its token."""
        return ConversionStatus.from_dict(await self._client._call("conversions.status", **_job(job, kind)))

    async def wait(self, job: Union[ConversionJob, int], *, timeout: float = 300.0, kind: Optional[ConversionKind] = None) -> ConversionStatus:
        """Polls a job until it is finished, failed or cancelled; ``TimeoutError`` after ``timeout`` seconds."""
        return ConversionStatus.from_dict(await self._client._call("conversions.wait", timeout=timeout, **_job(job, kind)))

    async def document_info(self, uuid: str) -> DocumentInfo:
        """A document's format, what it converts to, and the groups conversions made (v0.7)."""
        return DocumentInfo.from_dict(await self._client._call("conversions.document_info", uuid=uuid))
