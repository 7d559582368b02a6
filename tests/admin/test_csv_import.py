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
