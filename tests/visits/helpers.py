"""Helpers for visit and tip tests: images with EXIF, form posts, demo regions."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime
from io import BytesIO
from typing import Any

from PIL import Image, ImageDraw, ImageEnhance


def make_image(seed: int | None = None, *, size: tuple[int, int] = (320, 240),
               taken_at: datetime | None = None, gps: tuple[float, float] | None = None,
               fmt: str = "JPEG", quality: int = 90, brighten: float = 1.0) -> bytes:
    """A distinct picture per seed (random blocks), optionally with EXIF time and GPS."""
    rng = random.Random(seed if seed is not None else uuid.uuid4().int)
    canvas = (320, 240)
    image = Image.new("RGB", canvas, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x0, y0 = rng.randrange(canvas[0]), rng.randrange(canvas[1])
        x1, y1 = x0 + rng.randrange(20, 160), y0 + rng.randrange(20, 120)
        draw.rectangle((x0, y0, x1, y1), fill=(rng.randrange(256), rng.randrange(256),
                                               rng.randrange(256)))
    if size != canvas:
        image = image.resize(size)
    if brighten != 1.0:
        image = ImageEnhance.Brightness(image).enhance(brighten)
    exif = Image.Exif()
    if taken_at is not None:
        local = taken_at.astimezone()
        exif.get_ifd(0x8769)[36867] = local.strftime("%Y:%m:%d %H:%M:%S")
        offset = local.strftime("%z")
        exif.get_ifd(0x8769)[36881] = f"{offset[:3]}:{offset[3:]}"
    if gps is not None:
        lat, lon = gps
        gps_ifd = exif.get_ifd(0x8825)

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            return (float(d), float(m), round((value - d - m / 60) * 3600, 4))

        gps_ifd[1] = "S" if lat < 0 else "N"
        gps_ifd[2] = dms(lat)
        gps_ifd[3] = "W" if lon < 0 else "E"
        gps_ifd[4] = dms(lon)
    out = BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    else:
        image.save(out, fmt)
    return out.getvalue()


def post_visit(client: Any, headers: dict[str, str], photos: list[bytes] | None = None,
               **fields: Any) -> Any:
    """POST a visit form (multipart) with photos; fields override a sensible default."""
    body: dict[str, Any] = {
        "client_id": str(uuid.uuid4()), "place_type": "house", "place_name": "Rumah Pak RT",
        "rw": "03", "rt": "05", "address": "Jl. Merdeka 1", "person_name": "Pak Slamet",
        "person_role": "Ketua RT", "topics": ["crime"], "findings": "Warga resah curanmor.",
        "problems": "",
    }
    body.update(fields)
    files = [("photos", (f"foto{i}.jpg", data, "image/jpeg"))
             for i, data in enumerate(photos or [])]
    return client.post("/api/v1/visits", data={"data": json.dumps(body)}, files=files or None,
                       headers=headers)


def region_of(username: str) -> dict[str, Any]:
    """The assigned kelurahan of a demo officer: id, name, lat, lon."""
    from sqlalchemy import select

    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.models import Region

    with get_database().session() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None and user.region_id is not None
        region = session.get(Region, user.region_id)
        assert region is not None
        return {"id": region.id, "name": region.name, "lat": region.lat, "lon": region.lon}


def region_named(name: str) -> dict[str, Any]:
    from sqlalchemy import select

    from siaga.db import get_database
    from siaga.orgs.models import Region

    with get_database().session() as session:
        region = session.scalar(select(Region).where(Region.name == name))
        assert region is not None
        return {"id": region.id, "name": region.name, "lat": region.lat, "lon": region.lon}
