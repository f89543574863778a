"""ucare: a fast, typed client for the Uploadcare REST API (v0.7 by default, v0.5 with
``api_version="0.5"``) and Upload API.

::

    import ucare

    client = ucare.Client("public_key", "secret_key")
    for f in client.files.list(stored=True):
        print(f.uuid, f.original_filename, f.size)

See ``ucare.Client``, ``ucare.AsyncClient``, ``ucare.webhooks`` and ``ucare.testing``.
"""

from . import testing, webhooks
from ._client import DEFAULT_BASE_URL, AsyncClient, AsyncListing, Client, Listing
from .conversions import DocumentConversion, VideoConversion
from .errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    BatchProgress,
    DecodeError,
    InvalidInputError,
    NotFoundError,
    OutcomeUnknownError,
    ThrottledError,
    TimeoutError,
    TransportError,
    UploadcareError,
)
from .models import (
    AddonName,
    AddonRun,
    AddonState,
    AddonStatus,
    ApiVersion,
    AuthScheme,
    BatchResult,
    Collaborator,
    ContentInfo,
    DocumentInfo,
    EventName,
    FileOrdering,
    GroupOrdering,
    JobState,
    MetadataWrite,
    RemoteCopy,
    ConversionJob,
    ConversionResponse,
    ConversionStatus,
    File,
    Group,
    Hook,
    ImageInfo,
    Page,
    Project,
    Webhook,
    WebhookEvent,
)

__version__ = "0.1.0"

__all__ = [
    "Client", "AsyncClient", "Listing", "AsyncListing", "DEFAULT_BASE_URL",
    "DocumentConversion", "VideoConversion",
    "UploadcareError", "ApiError", "AuthenticationError", "NotFoundError", "ThrottledError", "BadRequestError",
    "TransportError", "TimeoutError", "InvalidInputError", "OutcomeUnknownError", "DecodeError", "BatchProgress",
    "File", "ImageInfo", "Group", "Project", "Webhook", "BatchResult", "ConversionJob", "ConversionResponse",
    "ConversionStatus", "Page", "WebhookEvent", "Hook", "Collaborator", "ContentInfo", "AddonRun", "AddonStatus", "RemoteCopy", "DocumentInfo",
    "ApiVersion", "AuthScheme", "FileOrdering", "GroupOrdering", "EventName", "AddonName", "AddonState", "JobState", "MetadataWrite",
    "webhooks", "testing",
]
