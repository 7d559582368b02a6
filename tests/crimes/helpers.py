"""Shared helpers for the crime register tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select


def officer_of(lat: float, lon: float) -> tuple[str, int]:
    """Username and region id of the Bhabinkamtibmas of the kelurahan at this point."""
    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.service import locate

    with get_database().session() as session:
        where = locate(session, lat=lat, lon=lon)
        user = session.scalar(select(User).where(User.role == "petugas")
                              .where(User.region_id == where.region_id))
        assert user is not None and where.region_id is not None
        return user.username, where.region_id


def region_centre(name_like: str) -> tuple[float, float]:
    """The stored centre of the first kelurahan whose name contains the text."""
    from siaga.db import get_database
    from siaga.orgs.models import Region

    with get_database().session() as session:
        region = session.scalar(select(Region).where(Region.name.contains(name_like))
                                .where(Region.level == "kelurahan").order_by(Region.id))
        assert region is not None and region.lat is not None and region.lon is not None
        return region.lat, region.lon


def post_incident(client: Any, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/crimes", json=body, headers=headers)
