"""What the API answers with, as typed objects.

Every model has attributes for the fields the API documents, ``datetime`` values in UTC,
a short ``repr``, equality, ``to_dict()`` (the API's own field names and formats), and
``extra``: the fields the server sent that this version does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional

ApiVersion = Literal["0.7", "0.5"]
"""The REST API versions a client speaks: ``0.7`` (the default, what the service answers) or ``0.5``."""
AuthScheme = Literal["signed", "simple"]
"""How requests are authenticated: signed (the default) or ``simple`` (the secret in every request; tests only)."""
FileOrdering = Literal["datetime_uploaded", "-datetime_uploaded", "size", "-size"]
"""How a file listing is ordered (``size`` and ``-size`` are v0.5 only)."""
GroupOrdering = Literal["datetime_created", "-datetime_created"]
"""How a group listing is ordered."""
EventName = Literal["file.uploaded", "file.infected", "file.stored", "file.deleted", "file.info_updated"]
"""What a webhook subscription is told about (v0.5 knows ``file.uploaded`` only)."""
AddonName = Literal["aws_rekognition_detect_labels", "aws_rekognition_detect_moderation_labels", "remove_bg", "uc_clamav_virus_scan"]
"""The add-ons the service runs (v0.7)."""
AddonState = Literal["in_progress", "done", "error", "unknown"]
"""Where an add-on run is."""
JobState = Literal["pending", "processing", "finished", "failed", "cancelled"]
"""Where a conversion job is."""
MetadataWrite = Literal["created", "replaced"]
"""What setting a metadata key did."""

__all__ = [
    "File",
    "Collaborator",
    "ContentInfo",
    "ImageInfo",
    "AddonRun",
    "AddonStatus",
    "RemoteCopy",
    "DocumentInfo",
    "ApiVersion",
    "AuthScheme",
    "FileOrdering",
    "GroupOrdering",
    "EventName",
    "AddonName",
    "AddonState",
    "JobState",
    "MetadataWrite",
    "Group",
    "Project",
    "Webhook",
    "BatchResult",
    "ConversionJob",
    "ConversionResponse",
    "ConversionStatus",
    "Page",
    "WebhookEvent",
    "Hook",
]


_ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$")


def _datetime(value: Optional[str]) -> Optional[datetime]:
    if value is None:
        return None
    match = _ISO.match(value)
    if match is None:
        return datetime.fromisoformat(value)
    # Python before 3.11 reads neither "Z" nor fractions of other than 3 or 6 digits; the API
    # writes UTC with 0 to 9 digits, depending on the endpoint.
    whole, fraction, zone = match.groups()
    micro = f".{(fraction or '')[:6].ljust(6, '0')}" if fraction else ""
    return datetime.fromisoformat(whole + micro + ("+00:00" if zone in (None, "Z") else zone))


def _comparable(value: Any) -> Any:
    """A JSON value with nulls dropped and timestamps read, so that the same file compares
    equal whichever endpoint described it (a listing leaves out ``null`` fields that info
    writes, and endpoints write timestamps to different precision)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, str) and _ISO.match(value):
        return _datetime(value)
    return value


def _iso(value: Optional[datetime]) -> Optional[str]:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _plain(value: Any) -> Any:
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Model:
    """Shared behaviour: ``to_dict`` and the unknown fields."""

    extra: Dict[str, Any]

    def to_dict(self) -> Dict[str, Any]:
        """The model as the API writes it (datetimes as ISO-8601 strings), unknown fields included."""
        out: Dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name != "extra":
                out[f.name] = _plain(getattr(self, f.name))
        out.update(_plain(getattr(self, "extra", {})))
        return out


def _taker(d: Dict[str, Any]) -> Callable[..., Any]:
    """``d.pop`` that reads a ``null`` as the default: real answers carry nulls where the
    documentation shows values (a fresh copy has ``"is_image": null``)."""

    def take(key: str, default: Any = None) -> Any:
        value = d.pop(key, None)
        return default if value is None else value

    return take


def _split(data: Mapping[str, Any], known: frozenset[str]) -> Dict[str, Any]:
    return {k: v for k, v in data.items() if k not in known}


class _View:
    """A model read from the API's JSON on access: listings build a thousand of these per
    page, so nothing is converted until it is used."""

    __slots__ = ("_data",)
    _KNOWN: frozenset[str] = frozenset()

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    @property
    def extra(self) -> Dict[str, Any]:
        """The fields the server sent that this version does not model."""
        return {k: v for k, v in self._data.items() if k not in self._KNOWN}

    def to_dict(self) -> Dict[str, Any]:
        """The model as the API wrote it (datetimes as ISO-8601 strings), unknown fields included."""
        return dict(self._data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _View) or _model(other) is not _model(self):
            return False
        return other._data == self._data or _comparable(other._data) == _comparable(self._data)

    def __hash__(self) -> int:
        return hash((_model(self), str(self._data.get("uuid", id(self)))))


def _model(view: "_View") -> type:
    """The public model of a view (a listing's native files are ``File`` too)."""
    return getattr(type(view), "_model", type(view))


class ImageInfo(_View):
    """What the API knows of an image."""

    __slots__ = ()
    _KNOWN = frozenset(["color_mode", "orientation", "format", "sequence", "height", "width", "geo_location", "datetime_original", "dpi"])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ImageInfo":
        """Builds one from the API's JSON."""
        return cls(dict(data))

    @property
    def color_mode(self) -> Optional[str]:
        """``RGB``, ``RGBA``, ``L``, ..."""
        return self._data.get("color_mode")

    @property
    def orientation(self) -> Optional[int]:
        """The EXIF orientation."""
        return self._data.get("orientation")

    @property
    def format(self) -> Optional[str]:
        """``JPEG``, ``PNG``, ..."""
        return self._data.get("format")

    @property
    def sequence(self) -> Optional[bool]:
        """Whether it is an animation."""
        return self._data.get("sequence")

    @property
    def height(self) -> Optional[int]:
        """Height in pixels."""
        return self._data.get("height")

    @property
    def width(self) -> Optional[int]:
        """Width in pixels."""
        return self._data.get("width")

    @property
    def geo_location(self) -> Optional[Any]:
        """Where it was taken, when known."""
        return self._data.get("geo_location")

    @property
    def datetime_original(self) -> Optional[str]:
        """When it was taken, as the file says."""
        return self._data.get("datetime_original")

    @property
    def dpi(self) -> Optional[List[float]]:
        """Resolution in dots per inch."""
        return self._data.get("dpi")

    def __repr__(self) -> str:
        return f"ImageInfo({self.format} {self.width}x{self.height} {self.color_mode})"


class ContentInfo(_View):
    """What the service found a file's content to be (v0.7 ``content_info``)."""

    __slots__ = ()
    _KNOWN = frozenset(["mime", "image", "video"])

    @property
    def mime(self) -> Optional[Dict[str, str]]:
        """The detected type as ``{"mime": "image/png", "type": "image", "subtype": "png"}``."""
        return self._data.get("mime")

    @property
    def image(self) -> Optional[ImageInfo]:
        """Image details, for images."""
        info = self._data.get("image")
        return None if info is None else ImageInfo(info)

    @property
    def video(self) -> Optional[Dict[str, Any]]:
        """Video details (``duration``, ``format``, ``bitrate``, ``audio``, ``video``), for videos."""
        return self._data.get("video")

    def __repr__(self) -> str:
        mime = (self.mime or {}).get("mime")
        return f"ContentInfo({mime})"


class File(_View):
    """A file of the project, in the shape of the client's API version: v0.7 files have
    ``content_info``, ``metadata`` and (when asked for) ``appdata``; v0.5 files have
    ``image_info`` and ``source``. Fields are read from the API's JSON when first used."""

    __slots__ = ()
    _KNOWN = frozenset(["uuid", "original_filename", "mime_type", "size", "is_image", "is_ready", "datetime_uploaded", "datetime_stored",
                        "datetime_removed", "image_info", "original_file_url", "url", "source", "content_info", "metadata", "appdata",
                        "variations"])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "File":
        """Builds one from the API's JSON; ``DecodeError`` when it is not a file."""
        if not isinstance(data, dict):
            data = dict(data)
        uuid, size = data.get("uuid"), data.get("size")
        if not isinstance(uuid, str) or not (size is None or isinstance(size, int)):
            from .errors import DecodeError
            raise DecodeError(f"not a file: {str(data)[:200]}", status=200, snippet=str(data)[:200])
        return cls(data)

    @property
    def uuid(self) -> str:
        """The file's UUID."""
        return self._data["uuid"]  # type: ignore[no-any-return]

    @property
    def original_filename(self) -> str:
        """The name it was uploaded with."""
        return self._data.get("original_filename") or ""

    @property
    def mime_type(self) -> str:
        """Its MIME type."""
        return self._data.get("mime_type") or ""

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return self._data.get("size") or 0

    @property
    def is_image(self) -> bool:
        """Whether it is an image."""
        return bool(self._data.get("is_image"))

    @property
    def is_ready(self) -> bool:
        """Whether it is ready to be served."""
        return bool(self._data.get("is_ready"))

    @property
    def datetime_uploaded(self) -> Optional[datetime]:
        """When it was uploaded (UTC)."""
        return _datetime(self._data.get("datetime_uploaded"))

    @property
    def datetime_stored(self) -> Optional[datetime]:
        """When it was stored (UTC); ``None`` until then."""
        return _datetime(self._data.get("datetime_stored"))

    @property
    def datetime_removed(self) -> Optional[datetime]:
        """When it was removed (UTC); ``None`` unless removed."""
        return _datetime(self._data.get("datetime_removed"))

    @property
    def image_info(self) -> Optional[ImageInfo]:
        """Image details, for images (v0.5 ``image_info``, v0.7 ``content_info.image``)."""
        info = self._data.get("image_info")
        if info is None:
            info = (self._data.get("content_info") or {}).get("image")
        return None if info is None else ImageInfo(info)

    @property
    def content_info(self) -> Optional[ContentInfo]:
        """What the content is (v0.7); ``None`` until processed, and in v0.5."""
        info = self._data.get("content_info")
        return None if info is None else ContentInfo(info)

    @property
    def metadata(self) -> Dict[str, str]:
        """The file's metadata (v0.7; ``{}`` when none, and in v0.5)."""
        return dict(self._data.get("metadata") or {})

    @property
    def appdata(self) -> Optional[Dict[str, Any]]:
        """What add-ons wrote about the file (v0.7), when asked for with ``include_appdata``."""
        return self._data.get("appdata")

    @property
    def variations(self) -> Optional[Dict[str, Any]]:
        """Derived variations (of a video, say), when any (v0.7)."""
        return self._data.get("variations")

    @property
    def original_file_url(self) -> Optional[str]:
        """The CDN URL of the original bytes."""
        return self._data.get("original_file_url")

    @property
    def url(self) -> Optional[str]:
        """The API URL of this file."""
        return self._data.get("url")

    @property
    def source(self) -> Optional[str]:
        """Where the file came from (for copies, the source's path)."""
        return self._data.get("source")

    @property
    def is_stored(self) -> bool:
        """Whether the file is kept permanently."""
        return self._data.get("datetime_stored") is not None

    @property
    def is_removed(self) -> bool:
        """Whether the file was removed."""
        return self._data.get("datetime_removed") is not None

    def __hash__(self) -> int:
        return hash((File, self.uuid))

    def __repr__(self) -> str:
        state = "removed" if self.is_removed else "stored" if self.is_stored else "not stored"
        return f"File({self.uuid} {self.original_filename!r} {self.size} bytes, {state})"


class _NativeFile(File):
    """A file of a listing or a batch, decoded by the core off the GIL: the common fields
    are read from the native object; the others, ``to_dict``, ``extra`` and equality build
    the API's dict once, on first use."""

    __slots__ = ("_native",)
    _model = File

    def __init__(self, native: Any) -> None:
        self._native = native

    def __reduce__(self) -> Any:
        # Pickled and copied as the plain File it stands for (the native object is not).
        return (File, (self._data,))

    def __getattr__(self, name: str) -> Any:
        # Reached only for the unset `_data` slot: the dict is built on first need.
        if name != "_data":
            raise AttributeError(name)
        import json

        data = json.loads(self._native.to_json())
        self._data = data
        return data

    @property
    def uuid(self) -> str:
        """The file's UUID."""
        return self._native.uuid  # type: ignore[no-any-return]

    @property
    def original_filename(self) -> str:
        """The name it was uploaded with."""
        return self._native.original_filename  # type: ignore[no-any-return]

    @property
    def mime_type(self) -> str:
        """Its MIME type."""
        return self._native.mime_type  # type: ignore[no-any-return]

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return self._native.size  # type: ignore[no-any-return]

    @property
    def is_image(self) -> bool:
        """Whether it is an image."""
        return self._native.is_image  # type: ignore[no-any-return]

    @property
    def is_ready(self) -> bool:
        """Whether it is ready to be served."""
        return self._native.is_ready  # type: ignore[no-any-return]

    @property
    def datetime_uploaded(self) -> Optional[datetime]:
        """When it was uploaded (UTC)."""
        return _datetime(self._native.datetime_uploaded)

    @property
    def datetime_stored(self) -> Optional[datetime]:
        """When it was stored (UTC); ``None`` until then."""
        return _datetime(self._native.datetime_stored)

    @property
    def datetime_removed(self) -> Optional[datetime]:
        """When it was removed (UTC); ``None`` unless removed."""
        return _datetime(self._native.datetime_removed)

    @property
    def is_stored(self) -> bool:
        """Whether the file is kept permanently."""
        return self._native.datetime_stored is not None

    @property
    def is_removed(self) -> bool:
        """Whether the file was removed."""
        return self._native.datetime_removed is not None


@dataclass(repr=False)
class Group(_Model):
    """A group of files; ``files`` is filled by ``groups.info`` (``None`` for a removed file)."""

    id: str
    datetime_created: Optional[datetime] = None
    datetime_stored: Optional[datetime] = None
    files_count: int = 0
    cdn_url: Optional[str] = None
    url: Optional[str] = None
    files: Optional[List[Optional[File]]] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Group":
        """Builds one from the API's JSON."""
        d = dict(data)
        p = _taker(d)
        files = p("files", None)
        return cls(
            p("id"), _datetime(p("datetime_created", None)), _datetime(p("datetime_stored", None)), p("files_count", 0),
            p("cdn_url", None), p("url", None), None if files is None else [None if f is None else File.from_dict(f) for f in files], d,
        )

    def __repr__(self) -> str:
        return f"Group({self.id} {self.files_count} files)"


@dataclass(repr=False)
class Collaborator(_Model):
    """Someone else who works on the project."""

    email: Optional[str] = None
    name: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Collaborator":
        """Builds one from the API's JSON."""
        d = dict(data)
        return cls(d.pop("email", None), d.pop("name", None), d)

    def __repr__(self) -> str:
        return f"Collaborator({self.name!r} {self.email})"


@dataclass(repr=False)
class Project(_Model):
    """The project the keys belong to."""

    name: str = ""
    pub_key: str = ""
    autostore_enabled: bool = False
    collaborators: List[Collaborator] = field(default_factory=list)
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Project":
        """Builds one from the API's JSON."""
        d = dict(data)
        p = _taker(d)
        collaborators = [Collaborator.from_dict(c) for c in p("collaborators", []) if isinstance(c, Mapping)]
        return cls(p("name", ""), p("pub_key", ""), p("autostore_enabled", False), collaborators, d)

    def __repr__(self) -> str:
        return f"Project({self.name!r} {self.pub_key}, autostore {'on' if self.autostore_enabled else 'off'})"


@dataclass(repr=False)
class Webhook(_Model):
    """A webhook subscription."""

    id: int
    project: Optional[int] = None
    created: Optional[datetime] = None
    updated: Optional[datetime] = None
    event: str = ""
    target_url: str = ""
    is_active: bool = False
    signing_secret: Optional[str] = None
    version: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Webhook":
        """Builds one from the API's JSON."""
        d = dict(data)
        p = _taker(d)
        return cls(
            p("id"), p("project", None), _datetime(p("created", None)), _datetime(p("updated", None)), p("event", ""),
            p("target_url", ""), p("is_active", False), p("signing_secret", None), p("version", None), d,
        )

    def __repr__(self) -> str:
        # The signing secret is a secret: show only whether there is one.
        signed = ", signed" if self.signing_secret else ""
        return f"Webhook({self.id} {self.event} -> {self.target_url}, {'active' if self.is_active else 'inactive'}{signed})"


@dataclass(repr=False)
class BatchResult(_Model):
    """The merged answer of a batch store or delete: every file done and every problem."""

    status: str = "ok"
    problems: Dict[str, str] = field(default_factory=dict)
    result: List[File] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "BatchResult":
        """Builds one from the core's merged answer (merged from many, so it keeps no unknown fields)."""
        d = dict(data)
        p = _taker(d)
        return cls(p("status", "ok"), dict(p("problems", {})), [File.from_dict(f) for f in p("result", [])])

    def __repr__(self) -> str:
        return f"BatchResult({len(self.result)} files, {len(self.problems)} problems)"


@dataclass(repr=False)
class ConversionJob(_Model):
    """A started conversion job; pass it to ``conversions.status`` or ``conversions.wait``."""

    token: int
    uuid: str
    kind: str = "document"
    original_source: Optional[str] = None
    thumbnails_group_uuid: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], kind: str = "document") -> "ConversionJob":
        """Builds one from the API's JSON."""
        d = dict(data)
        p = _taker(d)
        return cls(p("token"), p("uuid"), kind, p("original_source", None), p("thumbnails_group_uuid", None), d)

    def __repr__(self) -> str:
        return f"ConversionJob({self.kind} token={self.token} -> {self.uuid})"


@dataclass(repr=False)
class ConversionResponse(_Model):
    """Jobs started, and the paths the API refused with why."""

    jobs: List[ConversionJob] = field(default_factory=list)
    problems: Dict[str, str] = field(default_factory=dict)
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], kind: str = "document") -> "ConversionResponse":
        """Builds one from the API's JSON."""
        d = dict(data)
        p = _taker(d)
        return cls([ConversionJob.from_dict(j, kind) for j in p("result", [])], dict(p("problems", {})), d)

    @property
    def result(self) -> List[ConversionJob]:
        """The jobs, under the API's name."""
        return self.jobs

    def __repr__(self) -> str:
        return f"ConversionResponse({len(self.jobs)} jobs, {len(self.problems)} problems)"


@dataclass(repr=False)
class ConversionStatus(_Model):
    """A job's status: ``pending``, ``processing``, ``finished``, ``failed`` or ``cancelled``."""

    status: str
    error: Optional[str] = None
    uuid: Optional[str] = None
    thumbnails_group_uuid: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ConversionStatus":
        """Builds one from the API's JSON."""
        d = dict(data)
        result = dict(d.pop("result", None) or {})
        return cls(d.pop("status"), d.pop("error", None), result.pop("uuid", None), result.pop("thumbnails_group_uuid", None), {**d, **result})

    @property
    def is_final(self) -> bool:
        """Whether the job will not change any more."""
        return self.status in ("finished", "failed", "cancelled")

    def to_dict(self) -> Dict[str, Any]:
        """The status as the API writes it."""
        result = {"uuid": self.uuid}
        if self.thumbnails_group_uuid is not None:
            result["thumbnails_group_uuid"] = self.thumbnails_group_uuid
        return {"status": self.status, "error": self.error, "result": result, **self.extra}

    def __repr__(self) -> str:
        why = f" ({self.error})" if self.error else ""
        return f"ConversionStatus({self.status}{why} -> {self.uuid})"


@dataclass(repr=False)
class Page(_Model):
    """One page of a listing."""

    results: List[Any]
    total: int = 0
    per_page: int = 0
    next: Optional[str] = None
    previous: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Page({len(self.results)} of {self.total})"


@dataclass(repr=False)
class Hook(_Model):
    """The subscription that sent a webhook delivery."""

    id: int
    event: str = ""
    is_active: bool = False
    project_id: Optional[int] = None
    project_pub_key: Optional[str] = None
    version: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Hook":
        """Builds one from the delivery's JSON."""
        d = dict(data)
        p = _taker(d)
        return cls(p("id"), p("event", ""), p("is_active", False), p("project_id", None), p("project_pub_key", None), p("version", None), d)

    def __repr__(self) -> str:
        return f"Hook({self.id} {self.event})"


@dataclass(repr=False)
class WebhookEvent(_Model):
    """A delivered event: which hook sent it, the file it is about, and its CDN URL."""

    hook: Hook
    data: File
    file: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "WebhookEvent":
        """Builds one from the delivery's JSON."""
        d = dict(data)
        return cls(Hook.from_dict(d.pop("hook")), File.from_dict(d.pop("data")), d.pop("file", None), d)

    def __repr__(self) -> str:
        return f"WebhookEvent({self.hook.event} {self.data.uuid})"


@dataclass(repr=False)
class AddonRun(_Model):
    """A started add-on run; pass it to ``addons.status`` or ``addons.wait``."""

    addon: AddonName
    request_id: str
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "AddonRun":
        """Builds one from the core's answer."""
        d = dict(data)
        return cls(d.pop("addon"), d.pop("request_id"), d)

    def __repr__(self) -> str:
        return f"AddonRun({self.addon} {self.request_id})"


@dataclass(repr=False)
class AddonStatus(_Model):
    """Where an add-on run is; ``file_id`` is the file remove.bg made."""

    status: AddonState
    file_id: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "AddonStatus":
        """Builds one from the API's JSON."""
        d = dict(data)
        result = dict(d.pop("result", None) or {})
        return cls(d.pop("status"), result.pop("file_id", None), {**d, **result})

    @property
    def is_final(self) -> bool:
        """Whether the run will not change any more."""
        return self.status in ("done", "error", "unknown")

    def to_dict(self) -> Dict[str, Any]:
        """The status as the API writes it."""
        return {"status": self.status, "result": None if self.file_id is None else {"file_id": self.file_id}, **self.extra}

    def __repr__(self) -> str:
        made = f" -> {self.file_id}" if self.file_id else ""
        return f"AddonStatus({self.status}{made})"


@dataclass(repr=False)
class RemoteCopy(_Model):
    """Where a copy to a custom storage went; ``created`` is False when the name existed."""

    url: str
    created: bool = True
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RemoteCopy":
        """Builds one from the core's answer."""
        d = dict(data)
        return cls(d.pop("url"), bool(d.pop("created", True)), d)

    def __repr__(self) -> str:
        return f"RemoteCopy({self.url}{'' if self.created else ', existed'})"


@dataclass(repr=False)
class DocumentInfo(_Model):
    """A document's format, the formats it converts to, and the groups ``save_in_group``
    conversions made (target format to group id)."""

    format: str = ""
    conversion_formats: List[str] = field(default_factory=list)
    converted_groups: Dict[str, str] = field(default_factory=dict)
    error: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DocumentInfo":
        """Builds one from the API's JSON (``converted_groups`` read from beside ``format``
        or from inside it, as the service answers either)."""
        d = dict(data)
        fmt = dict(d.pop("format", None) or {})
        groups = d.pop("converted_groups", None) or fmt.get("converted_groups") or {}
        formats = [f.get("name", "") for f in fmt.get("conversion_formats") or [] if isinstance(f, dict)]
        return cls(fmt.get("name") or "", formats, dict(groups), d.pop("error", None), d)

    def to_dict(self) -> Dict[str, Any]:
        """The info as the API writes it."""
        return {"error": self.error, "format": {"name": self.format, "conversion_formats": [{"name": n} for n in self.conversion_formats]},
                "converted_groups": dict(self.converted_groups), **self.extra}

    def __repr__(self) -> str:
        return f"DocumentInfo({self.format} -> {', '.join(self.conversion_formats)})"
