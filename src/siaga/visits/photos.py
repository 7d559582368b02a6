"""Photo proof: checking uploads are images, reading EXIF, hashing, and storing files."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from siaga.config import get_settings
from siaga.errors import DomainError, Invalid, TooManyRequests
from siaga.visits.models import Photo

PLAUSIBLE_PHOTO_YEARS = (1990, 2200)
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881


class PayloadTooLarge(DomainError):
    status_code = 413


class UnsupportedMedia(DomainError):
    status_code = 415


@dataclass(frozen=True)
class ImageFacts:
    sha256: str
    dhash: str
    mime: str
    width: int
    height: int
    taken_at: datetime | None
    lat: float | None
    lon: float | None


class PhotoStore(Protocol):
    """Where photo bytes live; the default keeps files under SIAGA_DATA_DIR/photos."""

    def put(self, sha256: str, data: bytes) -> None: ...

    def path(self, sha256: str) -> Path: ...


class FilePhotoStore:
    """Content-addressed files: photos/ab/abcdef...; written atomically, never overwritten."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


_store: PhotoStore | None = None


def get_photo_store() -> PhotoStore:
    """The process-wide photo store (files under the data directory unless swapped)."""
    global _store
    if _store is None:
        _store = FilePhotoStore(get_settings().data_dir / "photos")
    return _store


def set_photo_store(store: PhotoStore | None) -> None:
    """Swap the photo store (another disk, object storage); None returns to the default."""
    global _store
    _store = store


def dhash(image: Image.Image) -> str:
    """64-bit difference hash: is each of 8x8 pixels brighter than its right neighbour."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = list(small.getdata())
    bits = 0
    for row in range(8):
        for col in range(8):
            left = pixels[row * 9 + col]
            right = pixels[row * 9 + col + 1]
            bits = (bits << 1) | (1 if left > right else 0)
    return f"{bits:016x}"


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two hex hashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1]) if value[1] else 0.0
    return float(value)


def _gps(exif: Image.Exif) -> tuple[float | None, float | None]:
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except Exception:
        return None, None
    try:
        def degrees(parts: Any, ref: Any, negative: str) -> float:
            d, m, s = (_rational(p) for p in parts)
            value = d + m / 60 + s / 3600
            return -value if str(ref).upper().startswith(negative) else value

        lat = degrees(gps[2], gps.get(1, "N"), "S")
        lon = degrees(gps[4], gps.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return lat, lon


def _taken_at(exif: Image.Exif) -> datetime | None:
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except Exception:
        sub = {}
    raw = sub.get(_DATETIME_ORIGINAL) or exif.get(_DATETIME)
    if not raw:
        return None
    try:
        naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = str(sub.get(_OFFSET_TIME_ORIGINAL) or "").strip("\x00 ")
    if len(offset) == 6 and offset[0] in "+-":
        try:
            sign = -1 if offset[0] == "-" else 1
            delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
            if PLAUSIBLE_PHOTO_YEARS[0] <= naive.year <= PLAUSIBLE_PHOTO_YEARS[1]:
                return naive.replace(tzinfo=timezone(sign * delta)).astimezone(ZoneInfo("UTC"))
            return None
        except (ValueError, OverflowError):
            pass
    if not PLAUSIBLE_PHOTO_YEARS[0] <= naive.year <= PLAUSIBLE_PHOTO_YEARS[1]:
        # A camera with an unset clock (0001-01-01, 2080...): the date is ignored, not fatal.
        return None
    # Cameras without an offset write local time; Siaga's officers are in its own zone.
    zone = ZoneInfo(get_settings().timezone)
    return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


# Decoding is what costs memory (a 12 Mpx photo is ~36 MB of pixels): two at a time at most,
# so a burst of uploads waits its turn instead of multiplying the server's memory.
_DECODES = threading.BoundedSemaphore(2)
DECODE_WAIT_S = 15.0
_SWAPPED_ORIENTATIONS = {5, 6, 7, 8}


@contextmanager
def _decode_slot(field: str) -> Iterator[None]:
    if not _DECODES.acquire(timeout=DECODE_WAIT_S):
        raise TooManyRequests("Server sedang memproses banyak foto; coba kirim lagi sebentar lagi",
                          field=field)
    try:
        yield
    finally:
        _DECODES.release()


def _upright_size(size: tuple[int, int], exif: Image.Exif) -> tuple[int, int]:
    """The full-resolution size as the photo is meant to be seen (EXIF rotation applied)."""
    width, height = size
    return (height, width) if exif.get(0x0112) in _SWAPPED_ORIENTATIONS else (width, height)


def inspect_image(data: bytes, *, field: str = "photo") -> ImageFacts:
    """Check the bytes are one allowed image within limits; read its EXIF and hashes."""
    settings = get_settings()
    if len(data) > settings.photo_max_bytes:
        raise PayloadTooLarge(
            f"Foto terlalu besar ({len(data) / 1_048_576:.1f} MB); batasnya "
            f"{settings.photo_max_bytes / 1_048_576:.0f} MB per foto", field=field)
    if not data:
        raise Invalid("Berkas foto kosong", field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                fmt = probe.format or ""
                if fmt not in ALLOWED_FORMATS:
                    raise UnsupportedMedia(
                        "Jenis gambar tidak didukung; kirim foto JPEG, PNG atau WebP",
                        field=field)
                if probe.width * probe.height > settings.photo_max_pixels:
                    raise PayloadTooLarge("Resolusi foto terlalu besar", field=field)
                probe_size = probe.size
                probe.verify()
            with _decode_slot(field), Image.open(BytesIO(data)) as image:
                # JPEG decodes at 1/8 scale where that still leaves more than the hash needs.
                image.draft("RGB", (max(64, image.width // 8), max(64, image.height // 8)))
                image.load()
                exif = image.getexif()
                upright = ImageOps.exif_transpose(image)
                facts_hash = dhash(upright)
                width, height = _upright_size(probe_size, exif)
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
            raise PayloadTooLarge("Resolusi foto terlalu besar", field=field) from exc
        raise UnsupportedMedia("Berkas bukan gambar yang bisa dibaca; kirim foto JPEG, PNG "
                               "atau WebP", field=field) from exc
    lat, lon = _gps(exif)
    return ImageFacts(
        sha256=hashlib.sha256(data).hexdigest(), dhash=facts_hash, mime=ALLOWED_FORMATS[fmt],
        width=width, height=height, taken_at=_taken_at(exif), lat=lat, lon=lon,
    )


def store_photo(session: Session, *, data: bytes, facts: ImageFacts) -> Photo:
    """The photo row for these bytes, writing the file the first time they are seen."""
    existing = session.scalar(select(Photo).where(Photo.sha256 == facts.sha256))
    if existing is not None:
        get_photo_store().put(facts.sha256, data)  # heals a file lost from disk
        return existing
    get_photo_store().put(facts.sha256, data)
    photo = Photo(sha256=facts.sha256, dhash=facts.dhash, mime=facts.mime,
                  size_bytes=len(data), width=facts.width, height=facts.height,
                  taken_at=facts.taken_at, exif_lat=facts.lat, exif_lon=facts.lon)
    try:
        with session.begin_nested():
            session.add(photo)
            session.flush()
    except IntegrityError:
        # The same bytes arrived at the same moment in another request, which stored them first.
        raced = session.scalar(select(Photo).where(Photo.sha256 == facts.sha256))
        if raced is None:
            raise
        return raced
    return photo


def photo_path(photo: Photo) -> Path:
    """Where the photo's bytes are, for serving after an access check."""
    return get_photo_store().path(photo.sha256)
