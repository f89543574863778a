"""Every exception ucare raises: ``UploadcareError`` is the base of all of them."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from .models import BatchResult

__all__ = [
    "UploadcareError",
    "ApiError",
    "AuthenticationError",
    "NotFoundError",
    "ThrottledError",
    "BadRequestError",
    "TransportError",
    "TimeoutError",
    "InvalidInputError",
    "OutcomeUnknownError",
    "DecodeError",
    "BatchProgress",
]


@dataclass
class BatchProgress:
    """What a batch store or delete had done when a request failed.

    ``partial`` holds the files stored (or removed) and the problems reported so far;
    ``failed`` the ids sent in requests that failed (refused, or of unknown outcome);
    ``not_attempted`` the ids never sent. Storing and deleting are idempotent, so resuming is
    ``client.files.store_many(error.batch.remaining)``.
    """

    partial: "BatchResult"
    failed: List[str] = field(default_factory=list)
    not_attempted: List[str] = field(default_factory=list)

    @property
    def remaining(self) -> List[str]:
        """Every id whose outcome is not in ``partial``: failed, then not attempted."""
        return [*self.failed, *self.not_attempted]

    @classmethod
    def _from_native(cls, data: Dict[str, Any]) -> "BatchProgress":
        from .models import BatchResult

        return cls(BatchResult.from_dict(data["partial"]), list(data["failed"]), list(data["not_attempted"]))


class UploadcareError(Exception):
    """The base of every ucare error. Messages never contain the secret key.

    ``batch`` is set when a batch store or delete stopped part-way (see ``BatchProgress``);
    the error's class is then that of the request that failed.
    """

    batch: Optional[BatchProgress]

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        batch = fields.get("batch")
        self.batch = BatchProgress._from_native(batch) if isinstance(batch, dict) else batch


class ApiError(UploadcareError):
    """The API answered with an error status.

    ``status`` is the HTTP status, ``detail`` the API's explanation, ``retry_after`` the
    seconds a throttled answer asks to wait, ``field_errors`` the messages per field when the
    API gives them (add-ons: ``{"target": ["Must be a valid UUID."]}``), else ``None``.
    """

    status: int
    detail: str
    retry_after: Optional[float]
    field_errors: Optional[Dict[str, List[str]]]

    def __init__(self, message: str, *, status: int = 0, detail: str = "", retry_after: Optional[float] = None,
                 field_errors: Optional[Dict[str, List[str]]] = None, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.status = status
        self.detail = detail
        self.retry_after = retry_after
        self.field_errors = field_errors

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status}, detail={self.detail!r})"


class AuthenticationError(ApiError):
    """401 or 403: wrong keys, a bad signature, a stale ``Date``, or a feature the plan lacks."""


class NotFoundError(ApiError):
    """404: no such file, group, webhook or job."""


class ThrottledError(ApiError):
    """429: too many requests; ``retry_after`` says how many seconds to wait."""


class BadRequestError(ApiError):
    """400: the API refused the request's parameters."""


class TransportError(UploadcareError):
    """The request could not be sent or its answer not read (connection refused, reset...)."""


class TimeoutError(UploadcareError, builtins.TimeoutError):
    """The request did not complete within the client's timeout."""


class InvalidInputError(UploadcareError, ValueError):
    """Arguments refused before anything was sent (a malformed UUID, a limit out of range...)."""


class OutcomeUnknownError(UploadcareError):
    """A POST was sent but its answer was lost: it may or may not have taken effect.

    Such requests (copies, conversions, webhook subscriptions) are never repeated
    automatically, since a repeat could create a second object.
    """


class DecodeError(UploadcareError):
    """The answer was not what the API promises; ``snippet`` shows how it began."""

    status: int
    snippet: str

    def __init__(self, message: str, *, status: int = 0, snippet: str = "", **fields: Any) -> None:
        super().__init__(message, **fields)
        self.status = status
        self.snippet = snippet
