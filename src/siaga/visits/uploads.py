"""Reading uploaded photo files within the size limit (shared by the visit and tip routes)."""

from __future__ import annotations

from fastapi import UploadFile

from siaga.config import get_settings
from siaga.visits.photos import PayloadTooLarge


def read_upload(upload: UploadFile, *, field: str) -> bytes:
    """The file's bytes, refusing it as soon as it passes the size limit."""
    limit = get_settings().photo_max_bytes
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge(f"Foto terlalu besar; batasnya {limit / 1_048_576:.0f} MB per foto",
                              field=field)
    return data
