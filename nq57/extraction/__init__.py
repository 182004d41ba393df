"""Task extraction for conclusion notices, action programmes and news articles (plain Python, no Django).

Public API::

    extract_text(text, *, source=None, resolver=None, agencies=None) -> dict   # the SCHEMA.md shape
    extract_file(path, *, agencies=None) -> dict
    (agencies: further official agency names the caller knows, e.g. from its database, beside the built-in registry)
    read_document(data: bytes, filename: str) -> str
    ExtractionError                                           # str() is a Vietnamese message for the user
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ExtractionError
from .extractor import extract_text
from .reader import MAX_BYTES, read_document
from .registry import AGENCIES, AgencyRecord, AgencyResolver, default_resolver, resolver_with

__all__ = [
    "AGENCIES",
    "AgencyRecord",
    "AgencyResolver",
    "ExtractionError",
    "default_resolver",
    "extract_file",
    "extract_text",
    "read_document",
    "resolver_with",
]


def extract_file(path: str | os.PathLike, *, agencies=None) -> dict:
    """Read *path* (any supported format) and extract it; ``source`` is the file name."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ExtractionError("Tệp quá lớn (vượt quá 20 MB), vui lòng tải lên tệp nhỏ hơn.")
        data = p.read_bytes()
    except ExtractionError:
        raise
    except IsADirectoryError as exc:
        raise ExtractionError(f"{p.name} là thư mục, không phải tệp văn bản.") from exc
    except OSError as exc:
        raise ExtractionError(f"Không mở được tệp {p.name}.") from exc
    return extract_text(read_document(data, p.name), source=p.name, agencies=agencies)
