"""The demo tenants stand on their real village boundaries (shipped Kemendagri polygons)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.conftest import login


def test_malang_has_five_polsek_57_kelurahan_and_an_officer_each(siaga_env: Any) -> None:
    from siaga.auth.models import User
    from siaga.db import get_database
    from siaga.orgs.models import Organisation, Region

    with get_database().session() as session:
        polres = session.scalar(
            select(Organisation).where(Organisation.code == "polres-malang-kota")
        )
        assert polres is not None and polres.path == "/polda-jatim/polres-malang-kota/"
        polseks = session.scalars(select(Organisation).where(Organisation.parent_id == polres.id))
        names = sorted(p.name for p in polseks)
        assert names == ["Polsek Blimbing", "Polsek Kedungkandang", "Polsek Klojen",
                         "Polsek Lowokwaru", "Polsek Sukun"]
        kelurahan = session.scalars(
            select(Region).join(Organisation, Organisation.id == Region.org_id)
            .where(Region.level == "kelurahan")
            .where(Organisation.path.startswith(polres.path))
        ).all()
        assert len(kelurahan) == 57
        # Shown at a point inside the real polygon, not at an estimated centre.
        assert all(k.boundary and not k.coords_approximate and k.lat is not None
                   for k in kelurahan)
        assert {k.source_id[:5] for k in kelurahan} == {"35.73"}
        officers = session.scalar(
            select(func.count()).select_from(User)
            .where(User.role == "petugas").where(User.region_id.in_([k.id for k in kelurahan]))
        )
        assert officers == 57


def test_tegal_has_a_polsek_per_kecamatan_and_the_13_schools(siaga_env: Any) -> None:
    from siaga.db import get_database
    from siaga.orgs.models import Organisation, Region
    from siaga.schools.models import School

    with get_database().session() as session:
        polres = session.scalar(select(Organisation).where(Organisation.code == "polres-tegal"))
        assert polres is not None
        count = session.scalar(select(func.count()).select_from(Organisation)
                               .where(Organisation.parent_id == polres.id))
        assert count == 18
        desa = session.scalar(select(func.count()).select_from(Region)
                              .join(Organisation, Organisation.id == Region.org_id)
                              .where(Region.level.in_(("desa", "kelurahan")))
                              .where(Region.boundary.is_not(None))
                              .where(Organisation.path.startswith(polres.path)))
        assert desa == 287
        schools = session.scalars(select(School).where(School.brawl_prone.is_(True))).all()
        assert len(schools) >= 13
        assert "SMKN 2 Slawi" in {s.name for s in schools}


def test_demo_load_is_repeatable(siaga_env: Any) -> None:
    from siaga.db import get_database
    from siaga.demo.load import load_demo
    from siaga.orgs.models import Region

    with get_database().session() as session:
        before = session.scalar(select(func.count()).select_from(Region))
        load_demo(session, activity=False)
        assert session.scalar(select(func.count()).select_from(Region)) == before


def test_staff_org_list_is_scoped(client: Any) -> None:
    polsek = client.get("/api/v1/orgs", headers=login(client, "operator.klojen")).json()
    assert [o["code"] for o in polsek["items"]] == ["polsek-klojen"]
    polres = client.get("/api/v1/orgs", headers=login(client, "operator")).json()
    assert len(polres["items"]) == 6
