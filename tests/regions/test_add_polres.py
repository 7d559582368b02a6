"""siaga org add-polres: Polsek per kecamatan or by map, refusals that name the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from tests.regions.test_third_tenant import boundary_file, siaga, village


def _counts() -> tuple[int, int]:
    from siaga.db import get_database
    from siaga.orgs.models import Organisation, Region

    with get_database().session() as session:
        orgs = session.scalar(select(func.count(Organisation.id))) or 0
        linked = session.scalar(select(func.count(Region.id))
                                .where(Region.org_id.is_not(None))) or 0
        return int(orgs), int(linked)


def _village_orgs(kab_code: str) -> dict[str, str]:
    """Each village's name -> the code of the organisation it routes to."""
    from siaga.db import get_database
    from siaga.orgs.models import Organisation, Region

    with get_database().session() as session:
        rows = session.execute(select(Region.name, Organisation.code)
                               .join(Organisation, Organisation.id == Region.org_id)
                               .where(Region.source_id.startswith(kab_code + "."))
                               .where(Region.level == "desa")).all()
        return {name: code for name, code in rows}


def _kab(tmp_path: Path, env: dict[str, str], kab: str, lon: float) -> None:
    features = [village(f"{kab}.0{k}.200{d}", f"Desa {kab} {k}{d}", f"Kec {kab} {k}",
                        lon + 0.02 * d, -3.0 - 0.02 * k, kabkota=f"Kabupaten Uji {kab}")
                for k in (1, 2, 3) for d in (1, 2)]
    result = siaga(env, "regions", "import", str(boundary_file(tmp_path, features)))
    assert result.returncode == 0, result.stderr


def _add(env: dict[str, str], kab: str, code: str, *extra: str) -> Any:
    return siaga(env, "org", "add-polres", "--code", code, "--name", f"Polres {code}",
                 "--kabkota", kab, "--polda-code", "polda-uji-map", "--polda-name",
                 "Polda Uji Peta", *extra)


def test_a_polsek_map_groups_kecamatan_and_routes_their_villages(
        siaga_env: dict[str, str], tmp_path: Path) -> None:
    _kab(tmp_path, siaga_env, "93.61", 140.0)
    mapping = tmp_path / "polsek.csv"
    mapping.write_text("kecamatan_code,polsek_code,polsek_name\n"
                       "93.61.01,polsek-pantai-uji,Polsek Pantai Uji\n"
                       "93.61.02,polsek-pantai-uji,Polsek Pantai Uji\n"
                       "93.61.03,polsek-gunung-uji,Polsek Gunung Uji\n")
    result = _add(siaga_env, "93.61", "polres-peta-uji", "--polsek-map", str(mapping))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"polres": "polres-peta-uji", "polsek": [
        {"code": "polsek-pantai-uji", "name": "Polsek Pantai Uji",
         "kecamatan_codes": ["93.61.01", "93.61.02"]},
        {"code": "polsek-gunung-uji", "name": "Polsek Gunung Uji",
         "kecamatan_codes": ["93.61.03"]}]}
    routed = _village_orgs("93.61")
    assert len(routed) == 6
    assert {n: c for n, c in routed.items() if " 3" in n} == {
        "Desa 93.61 31": "polsek-gunung-uji", "Desa 93.61 32": "polsek-gunung-uji"}
    assert set(routed.values()) == {"polsek-pantai-uji", "polsek-gunung-uji"}

    # The same kabupaten again, under another name: refused, naming who covers it.
    again = _add(siaga_env, "93.61", "polres-kedua-uji")
    assert again.returncode == 2 and "Polres polres-peta-uji" in again.stderr


def test_refusals_name_the_problem_and_write_nothing(siaga_env: dict[str, str],
                                                    tmp_path: Path) -> None:
    _kab(tmp_path, siaga_env, "93.62", 141.0)
    before = _counts()
    covered = _add(siaga_env, "35.73", "polres-malang-lagi")
    assert covered.returncode == 2 and "Polres Malang Kota" in covered.stderr

    unknown = tmp_path / "unknown.csv"
    unknown.write_text("kecamatan_code,polsek_code,polsek_name\n"
                       "93.62.01,polsek-a-uji,Polsek A\n93.62.02,polsek-a-uji,Polsek A\n"
                       "93.62.03,polsek-b-uji,Polsek B\n93.62.09,polsek-b-uji,Polsek B\n")
    result = _add(siaga_env, "93.62", "polres-salah-uji", "--polsek-map", str(unknown))
    assert result.returncode == 2 and "93.62.09" in result.stderr

    columns = tmp_path / "columns.csv"
    columns.write_text("kecamatan,polsek_code,polsek_name\n93.62.01,polsek-a-uji,Polsek A\n")
    result = _add(siaga_env, "93.62", "polres-salah-uji", "--polsek-map", str(columns))
    assert result.returncode == 2
    assert "kecamatan_code" in result.stderr and "kecamatan" in result.stderr

    twice = tmp_path / "twice.csv"
    twice.write_text("kecamatan_code,polsek_code,polsek_name\n93.62.01,polsek-a-uji,Polsek A\n"
                     "93.62.01,polsek-b-uji,Polsek B\n")
    result = _add(siaga_env, "93.62", "polres-salah-uji", "--polsek-map", str(twice))
    assert result.returncode == 2 and "baris 3" in result.stderr

    missing = _add(siaga_env, "93.99", "polres-salah-uji")
    assert missing.returncode == 2 and "93.99" in missing.stderr and "regions import" in \
        missing.stderr
    assert _counts() == before  # not even the new Polda


def test_boundary_file_problems_are_named_and_nothing_is_half_written(
        siaga_env: dict[str, str], tmp_path: Path) -> None:
    before = _counts()
    good = village("94.01.01.2001", "Desa Baik", "Kec Baik", 142.0, -4.0,
                   kabkota="Kabupaten Baik")

    swapped = village("94.01.01.2002", "Desa Tertukar", "Kec Baik", 142.0, -4.0,
                      kabkota="Kabupaten Baik")
    swapped["geometry"]["coordinates"] = [[[y, x] for x, y in
                                           swapped["geometry"]["coordinates"][0]]]
    swapped["geometry"]["coordinates"][0][0][0] = 95.0
    swapped["geometry"]["coordinates"][0][-1][0] = 95.0
    result = siaga(siaga_env, "regions", "import", str(boundary_file(tmp_path, [good, swapped])))
    assert result.returncode == 2 and "Desa Tertukar (94.01.01.2002)" in result.stderr

    point = village("94.01.01.2003", "Desa Titik", "Kec Baik", 142.0, -4.0)
    point["geometry"] = {"type": "Point", "coordinates": [142.0, -4.0]}
    result = siaga(siaga_env, "regions", "import", str(boundary_file(tmp_path, [good, point])))
    assert result.returncode == 2 and "Desa Titik" in result.stderr and "Polygon" in result.stderr

    stray = village("94.01.01.2004", "Desa Nyasar", "Kec Baik", 142.0, -4.0)
    stray["properties"]["kecamatan_code"] = "94.02.01"
    result = siaga(siaga_env, "regions", "import", str(boundary_file(tmp_path, [good, stray])))
    assert result.returncode == 2 and "Desa Nyasar" in result.stderr

    not_collection = tmp_path / "feature.geojson"
    not_collection.write_text(json.dumps(good))
    result = siaga(siaga_env, "regions", "import", str(not_collection))
    assert result.returncode == 2 and "FeatureCollection" in result.stderr
    assert _counts() == before

    # A bow-tie (self-intersecting) outline is repaired and reported by name.
    bowtie = village("94.01.01.2005", "Desa Kupu", "Kec Baik", 142.1, -4.0,
                     kabkota="Kabupaten Baik")
    bowtie["geometry"]["coordinates"] = [[[142.1, -4.0], [142.12, -3.98], [142.12, -4.0],
                                          [142.1, -3.98], [142.1, -4.0]]]
    result = siaga(siaga_env, "regions", "import", str(boundary_file(tmp_path, [good, bowtie])))
    assert result.returncode == 0, result.stderr
    assert "Desa Kupu (94.01.01.2005)" in result.stderr and "diperbaiki" in result.stderr
    assert json.loads(result.stdout)["villages"] == 2


def test_offices_set_by_the_admin_reach_the_information_menu(
        siaga_env: dict[str, str], tmp_path: Path, client: Any) -> None:
    from siaga.db import get_database
    from siaga.errors import Invalid
    from siaga.orgs.onboarding import add_polres, polsek_groups, update_office
    from siaga.orgs.service import org_by_code

    _kab(tmp_path, siaga_env, "93.63", 142.0)
    with get_database().session() as session:  # as the admin page does, in one request
        created = add_polres(session, code="polres-kantor-uji", name="Polres Kantor Uji",
                             kabkota_code="93.63", polda_code="polda-uji-map",
                             polda_name="Polda Uji Peta")
    first = created.polsek[0]
    with get_database().session() as session:
        polsek = org_by_code(session, code=first.code)
        update_office(session, org=polsek, actor=None, name="Polsek Pesisir Uji",
                      address="Jl. Pelabuhan 1", phone="0911 123456", lat=-3.015, lon=142.03)
        try:
            update_office(session, org=polsek, actor=None, phone="telepon<b>")
            raise AssertionError("a bad phone number was accepted")
        except Invalid as exc:
            assert exc.field == "phone"
        polres = org_by_code(session, code="polres-kantor-uji")
        assert [g.name for g in polsek_groups(session, polres=polres)].count(
            "Polsek Pesisir Uji") == 1
    # A point inside the first kecamatan's first desa (see _kab).
    menu = client.get("/api/v1/info", params={"lat": -3.01, "lon": 142.03}).json()
    assert menu["kelurahan"] == "Desa 93.63 11"
    office = menu["nearest_polsek"]
    assert (office["name"], office["phone"], office["address"]) == (
        "Polsek Pesisir Uji", "0911 123456", "Jl. Pelabuhan 1")
