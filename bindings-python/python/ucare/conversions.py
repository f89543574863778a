"""Typed descriptions of document and video conversions.

The paths they make are checked by the core before anything is sent::

    >>> DocumentConversion("21975c81-7f57-4c7a-aef9-acfe28779f78", format="png", page=2).path
    '21975c81-7f57-4c7a-aef9-acfe28779f78/document/-/format/png/-/page/2/'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from . import _native
from .errors import InvalidInputError

__all__ = ["DocumentConversion", "VideoConversion"]


@dataclass(frozen=True)
class DocumentConversion:
    """Convert the document ``uuid`` to ``format`` (doc, docx, xls, xlsx, odt, ods, rtf, txt,
    pdf, jpg, png); ``page`` picks a page for jpg and png targets."""

    uuid: str
    format: Optional[str] = None
    page: Optional[int] = None

    def _spec(self) -> Dict[str, Any]:
        return {"uuid": self.uuid, "format": self.format, "page": self.page}

    @property
    def path(self) -> str:
        """The path the API takes; raises ``InvalidInputError`` when a part is wrong."""
        return _native.document_path(self._spec())


@dataclass(frozen=True)
class VideoConversion:
    """Convert the video ``uuid``: ``format`` (mp4, webm, ogg), ``quality`` (normal, better,
    best, lighter, lightest), ``size`` as ``(width, height)`` or ``(width, height, mode)``
    with mode preserve_ratio, change_ratio, scale_crop or add_padding, ``cut`` as
    ``(start, length)`` (``length`` may be ``"end"``), and ``thumbs`` (1..50)."""

    uuid: str
    format: Optional[str] = None
    quality: Optional[str] = None
    size: Optional[Tuple[Any, ...]] = None
    cut: Optional[Tuple[str, str]] = None
    thumbs: Optional[int] = None

    def _spec(self) -> Dict[str, Any]:
        size = None
        if self.size is not None:
            if not isinstance(self.size, (tuple, list)) or len(self.size) not in (2, 3):
                raise InvalidInputError("invalid input: size is (width, height) or (width, height, mode)")
            size = [self.size[0], self.size[1], self.size[2] if len(self.size) > 2 else None]
        cut = None
        if self.cut is not None:
            if not isinstance(self.cut, (tuple, list)) or len(self.cut) != 2:
                raise InvalidInputError("invalid input: cut is (start, length)")
            cut = list(self.cut)
        return {"uuid": self.uuid, "format": self.format, "quality": self.quality, "size": size, "cut": cut, "thumbs": self.thumbs}

    @property
    def path(self) -> str:
        """The path the API takes; raises ``InvalidInputError`` when a part is wrong."""
        return _native.video_path(self._spec())
