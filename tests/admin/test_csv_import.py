"""CSV import of personnel and units: a dry run lists every bad line; all or nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from tests.admin.helpers import STRONG, polres_admin, tag
from tests.conftest import login


def _post(client: Any, headers: dict[str, str], kind: str, text: str, dry_run: bool) -> Any:
    return client.post(f"/api/v1/admin/import/{kind}", params={"dry_run": dry_run},
                       headers=headers, files={"file": ("data.csv", text.encode(), "text/csv")})


def _users_named(prefix: str) -> int:
    from siaga.auth.models import User
    from siaga.db import get_database

    with get_database().session() as session:
        return int(session.scalar(select(func.count()).select_from(User)
                                  .where(User.username.startswith(prefix))) or 0)


def test_dry_run_lists_every_bad_line_and_stores_nothing(client: Any) -> None:
    t = tag()
    tegal = polres_admin(client, "polres-tegal")
    text = "\n".join([
        "username,full_name,role,org,phone,password",
        f"imp{t}.a,Bripda Satu,operator,polsek-slawi,0811,{STRONG}",
        f"imp{t}.a,Bripda Ganda,operator,polsek-slawi,0812,{STRONG}",
        f"imp{t}.b,Bripda Dua,operator,polsek-entah,,{STRONG}",
        f"imp{t}.c,Bripda Tiga,operator,polsek-klojen,,{STRONG}",
        f"imp{t}.d,Bripda Empat,kapten,polsek-slawi,,{STRONG}",
        f"imp{t}.e,Bripda Lima,petugas,polsek-slawi,,aaaaaaaa",
        "admin,Nama Terpakai,operator,polsek-slawi,," + STRONG,
    ])
    for dry_run in (True, False):
        response = _post(client, tegal, "personel", text, dry_run)
        assert response.status_code == 200, response.text
        result = response.json()
        by_line = {(p["line"], p["field"]) for p in result["problems"]}
        assert by_line == {(3, "username"), (4, "org"), (5, "org"), (6, "role"),
                           (7, "password"), (8, "username")}, result["problems"]
        assert result["stored"] == 0 and result["rows"] == 7
    assert _users_named(f"imp{t}") == 0


def test_wrong_column_is_named_on_line_one(client: Any) -> None:
    response = _post(client, login(client, "admin"), "personel",
                     "username,nama,role,org,password\nx,y,operator,polsek-klojen,z\n", True)
    problems = response.json()["problems"]
    assert problems[0]["line"] == 1 and "nama" in problems[0]["msg"]


def test_good_file_dry_run_then_import_all(client: Any) -> None:
    t = tag()
    admin = login(client, "admin")
    people = "\n".join([
        "username;full_name;role;org;password",
        f"imp{t}.x;Briptu Ok;operator;polsek-klojen;{STRONG}",
        f"imp{t}.y;Bripka Ok;petugas;polsek-sukun;{STRONG}",
    ])
    dry = _post(client, admin, "personel", people, True).json()
    assert dry["problems"] == [] and dry["stored"] == 0
    assert _users_named(f"imp{t}") == 0
    done = _post(client, admin, "personel", people, False).json()
    assert done["stored"] == 2 and sorted(done["created"]) == [f"imp{t}.x", f"imp{t}.y"]
    assert _users_named(f"imp{t}") == 2
    assert client.post("/api/v1/auth/login", json={"username": f"imp{t}.x",
                                                   "password": STRONG}).status_code == 200
    units = "\n".join([
        "callsign,kind,org,tracker_id,crew",
        f"IMP-{t}-1,car,polsek-klojen,,Bripda A;Bripda B",
        f"IMP-{t}-2,motorbike,polsek-sukun,imp-{t}-2,",
    ])
    result = _post(client, admin, "unit", units, False).json()
    assert result["stored"] == 2, result
    listed = {u["callsign"]: u for u in client.get("/api/v1/units", headers=admin).json()["items"]}
    assert listed[f"IMP-{t}-1"]["crew"] == ["Bripda A", "Bripda B"]
    assert len(listed[f"IMP-{t}-1"]["tracker_id"]) == 32
    assert listed[f"IMP-{t}-2"]["tracker_id"] == f"imp-{t}-2"


def test_unit_file_with_duplicates_stores_nothing(client: Any) -> None:
    t = tag()
    units = "\n".join([
        "callsign,kind,org",
        f"IMPD-{t},car,polsek-klojen",
        f"IMPD-{t},car,polsek-klojen",
        f"IMPD-{t}-3,tank,polsek-klojen",
    ])
    result = _post(client, login(client, "admin"), "unit", units, False).json()
    assert {(p["line"], p["field"]) for p in result["problems"]} == {(3, "callsign"),
                                                                    (4, "kind")}
    listed = client.get("/api/v1/units", headers=login(client, "admin")).json()["items"]
    assert not [u for u in listed if u["callsign"].startswith(f"IMPD-{t}")]


def test_import_needs_admin(client: Any) -> None:
    response = _post(client, login(client, "operator"), "unit", "callsign,kind,org\n", True)
    assert response.status_code == 403


def test_unit_kinds_may_be_written_in_indonesian(client: Any) -> None:
    t = tag()
    admin = login(client, "admin")
    units = "\n".join([
        "callsign,kind,org",
        f"IMPK-{t}-1,Mobil patroli,polsek-klojen",
        f"IMPK-{t}-2,sepeda  motor,polsek-klojen",
        f"IMPK-{t}-3,Pos piket,polsek-klojen",
        f"IMPK-{t}-4,petugas,polsek-klojen",
        f"IMPK-{t}-5,motorbike,polsek-klojen",
        f"IMPK-{t}-6,mobil,polsek-klojen",
    ])
    result = _post(client, admin, "unit", units, False).json()
    assert result["problems"] == [] and result["stored"] == 6, result
    listed = {u["callsign"]: u["kind"] for u in
              client.get("/api/v1/units", headers=admin).json()["items"]}
    assert [listed[f"IMPK-{t}-{i}"] for i in range(1, 7)] == [
        "car", "motorbike", "desk", "officer", "motorbike", "car"]


def test_unknown_unit_kind_lists_the_indonesian_choices(client: Any) -> None:
    result = _post(client, login(client, "admin"), "unit",
                   f"callsign,kind,org\nIMPT-{tag()},tank,polsek-klojen\n", True).json()
    [problem] = result["problems"]
    assert problem["field"] == "kind"
    assert problem["msg"] == ("Jenis unit tidak dikenal: tank; isi salah satu: Mobil patroli, "
                              "Motor patroli, Pos piket, Petugas (HP)")


def test_personnel_and_units_answer_the_same_problems_alike(client: Any) -> None:
    t = tag()
    tegal = polres_admin(client, "polres-tegal")
    taken_unit = f"IMPS-{t}-0"
    first = _post(client, tegal, "unit", f"callsign,kind,org\n{taken_unit},car,polsek-slawi\n",
                  False).json()
    assert first["stored"] == 1, first
    people = "\n".join([
        "username,role,org,password",
        f",operator,polsek-slawi,{STRONG}",
        f"imps{t}.a,operator,polsek-slawi,{STRONG}",
        f"imps{t}.a,operator,polsek-slawi,{STRONG}",
        f"admin,operator,polsek-slawi,{STRONG}",
        f"imps{t}.b,operator,polsek-klojen,{STRONG}",
        f"imps{t}.c,operator,,{STRONG}",
    ])
    units = "\n".join([
        "callsign,kind,org",
        ",car,polsek-slawi",
        f"IMPS-{t}-1,car,polsek-slawi",
        f"IMPS-{t}-1,car,polsek-slawi",
        f"{taken_unit},car,polsek-slawi",
        f"IMPS-{t}-2,car,polsek-klojen",
        f"IMPS-{t}-3,car,",
    ])
    found = {}
    for kind, text in (("personel", people), ("unit", units)):
        result = _post(client, tegal, kind, text, True).json()
        found[kind] = [(p["line"], p["msg"]) for p in result["problems"]]
    assert found["personel"] == [
        (2, "Nama pengguna kosong"),
        (4, f"Nama pengguna imps{t}.a ganda (juga di baris 3)"),
        (5, "Nama pengguna sudah dipakai: admin"),
        (6, "Satuan tidak dikenal atau di luar wewenang: polsek-klojen"),
        (7, "Kode satuan kosong"),
    ]
    assert found["unit"] == [
        (2, "Tanda panggil kosong"),
        (4, f"Tanda panggil IMPS-{t}-1 ganda (juga di baris 3)"),
        (5, f"Tanda panggil sudah dipakai: {taken_unit}"),
        (6, "Satuan tidak dikenal atau di luar wewenang: polsek-klojen"),
        (7, "Kode satuan kosong"),
    ]


def test_columns_may_be_headed_in_indonesian(client: Any) -> None:
    t = tag()
    admin = login(client, "admin")
    people = "\n".join([
        "nama_pengguna;nama_lengkap;peran;satuan;telepon;kata_sandi",
        f"impi{t}.x;Briptu Ok;operator;polsek-klojen;0811;{STRONG}",
    ])
    done = _post(client, admin, "personel", people, False).json()
    assert done["problems"] == [] and done["created"] == [f"impi{t}.x"], done
    units = ("tanda_panggil,jenis,satuan,id_pelacak,awak\n"
             f"IMPI-{t},mobil,polsek-klojen,impi-{t},A;B\n")
    assert _post(client, admin, "unit", units, False).json()["stored"] == 1
    listed = {u["callsign"]: u for u in client.get("/api/v1/units", headers=admin).json()["items"]}
    assert (listed[f"IMPI-{t}"]["tracker_id"], listed[f"IMPI-{t}"]["crew"]) == (
        f"impi-{t}", ["A", "B"])
    missing = _post(client, admin, "unit", "tanda_panggil,callsign,satuan\nX,Y,polsek-klojen\n",
                    True).json()["problems"]
    assert [(p["field"], p["msg"]) for p in missing] == [
        ("callsign", "Kolom callsign ditulis lebih dari sekali"),
        ("kind", "Kolom wajib tidak ada: kind (atau jenis)")]
