"""Citizen tips: routing to the right Polsek, the staff queue, status for the citizen."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.conftest import KLOJEN, LOWOKWARU, SLAWI, device_headers, login, register_device
from tests.visits.helpers import make_image, region_named


def _tip(client: Any, device: dict[str, str], photo: bytes | None = None, **fields: Any) -> Any:
    body: dict[str, Any] = {"client_id": str(uuid.uuid4()), "category": "suspicious",
                            "text": "Ada motor tanpa pelat mondar-mandir tiap malam."}
    body.update(fields)
    files = {"photo": ("bukti.jpg", photo, "image/jpeg")} if photo is not None else None
    return client.post("/api/v1/tips", data={"data": json.dumps(body)}, files=files,
                       headers=device_headers(device))


def test_tip_reaches_the_polsek_of_its_location_and_the_citizen_sees_its_status(
        client: Any) -> None:
    device = register_device(client)
    response = _tip(client, device, lat=LOWOKWARU[0], lon=LOWOKWARU[1], accuracy_m=20)
    assert response.status_code == 201, response.text
    tip = response.json()
    assert tip["status"] == "new" and tip["status_label"] == "Diterima"
    assert tip["polsek"] == "Polsek Lowokwaru" and tip["kelurahan"]

    def queue(username: str) -> dict[int, Any]:
        items = client.get("/api/v1/tips?limit=1000", headers=login(client, username)).json()
        return {t["id"]: t for t in items["items"]}

    assert tip["id"] in queue("operator")
    assert tip["id"] not in queue("operator.klojen")
    assert tip["id"] not in queue("operator.tegal")
    seen = queue("operator")[tip["id"]]
    assert seen["org_code"] == "polsek-lowokwaru"
    assert seen["reporter_phone"].startswith("+62") or seen["reporter_phone"].startswith("08")

    ops = login(client, "operator")
    updated = client.patch(f"/api/v1/tips/{tip['id']}", headers=ops,
                           json={"status": "acted", "public_note": "Patroli malam ditambah."})
    assert updated.status_code == 200 and updated.json()["handled_by"]
    mine = client.get("/api/v1/tips/mine", headers=device_headers(device)).json()
    assert mine["total"] == 1
    assert mine["items"][0]["status"] == "acted"
    assert mine["items"][0]["public_note"] == "Patroli malam ditambah."
    other = register_device(client)
    assert client.get("/api/v1/tips/mine", headers=device_headers(other)).json()["total"] == 0
    analyst = login(client, "analis")
    assert client.patch(f"/api/v1/tips/{tip['id']}", headers=analyst,
                        json={"status": "closed"}).status_code in (403, 404)


def test_anonymous_tip_hides_the_reporter(client: Any) -> None:
    device = register_device(client)
    tip = _tip(client, device, anonymous=True, lat=KLOJEN[0], lon=KLOJEN[1]).json()
    seen = client.get(f"/api/v1/tips/{tip['id']}", headers=login(client, "operator.klojen"))
    assert seen.status_code == 200
    assert seen.json()["anonymous"] is True
    assert seen.json()["reporter_phone"] is None and seen.json()["reporter_name"] is None


def test_tip_without_location_uses_the_chosen_kelurahan(client: Any) -> None:
    device = register_device(client)
    areas = client.get("/api/v1/tips/options").json()["areas"]
    slawi = next(a for a in areas if a["polsek"] == "Polsek Slawi")
    tip = _tip(client, device, region_id=slawi["id"]).json()
    assert tip["polsek"] == "Polsek Slawi"
    tegal = client.get("/api/v1/tips?limit=1000", headers=login(client, "operator.tegal")).json()
    assert tip["id"] in {t["id"] for t in tegal["items"]}
    nowhere = _tip(client, device)
    assert nowhere.status_code == 422
    assert nowhere.json()["detail"]["field"] == "lat"
    slawi_point = _tip(client, device, lat=SLAWI[0], lon=SLAWI[1]).json()
    assert slawi_point["polsek"] == "Polsek Slawi"


def test_tip_photo_is_checked_and_served_only_to_staff(client: Any) -> None:
    device = register_device(client)
    bad = _tip(client, device, photo=b"GIF89a not really", lat=KLOJEN[0], lon=KLOJEN[1])
    assert bad.status_code == 415 and "bukan gambar" in bad.json()["detail"]["msg"]
    photo = make_image()
    tip = _tip(client, device, photo=photo, lat=KLOJEN[0], lon=KLOJEN[1]).json()
    assert tip["has_photo"] is True
    ops = login(client, "operator.klojen")
    staff_view = client.get(f"/api/v1/tips/{tip['id']}", headers=ops).json()
    served = client.get(staff_view["photo_url"], headers=ops)
    assert served.status_code == 200 and served.content == photo
    assert client.get(staff_view["photo_url"],
                      headers=device_headers(device)).status_code == 401
    assert client.get(staff_view["photo_url"],
                      headers=login(client, "operator.tegal")).status_code == 404


def test_same_tip_sent_twice_is_stored_once_and_needs_a_device(client: Any) -> None:
    device = register_device(client)
    client_id = str(uuid.uuid4())
    first = _tip(client, device, client_id=client_id, lat=KLOJEN[0], lon=KLOJEN[1])
    again = _tip(client, device, client_id=client_id, lat=KLOJEN[0], lon=KLOJEN[1])
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert client.get("/api/v1/tips/mine", headers=device_headers(device)).json()["total"] == 1
    clash = _tip(client, register_device(client), client_id=client_id, lat=KLOJEN[0],
                 lon=KLOJEN[1])
    assert clash.status_code == 409
    body = {"client_id": str(uuid.uuid4()), "category": "crime", "text": "percobaan"}
    assert client.post("/api/v1/tips", data={"data": json.dumps(body)}).status_code == 401
    short = _tip(client, device, text="hai", lat=KLOJEN[0], lon=KLOJEN[1])
    assert short.status_code == 422
    officer = login(client, "bhabin.kauman")
    assert client.get("/api/v1/tips", headers=officer).status_code == 403


def test_a_tip_can_become_a_follow_up(client: Any) -> None:
    device = register_device(client)
    tip = _tip(client, device, category="drugs", lat=KLOJEN[0], lon=KLOJEN[1]).json()
    ops = login(client, "operator.klojen")
    made = client.post(f"/api/v1/tips/{tip['id']}/follow-ups", headers=ops,
                       json={"function": "reskrim", "description": "Cek laporan narkoba"})
    assert made.status_code == 201 and made.json()["tip_id"] == tip["id"]
    staff_view = client.get(f"/api/v1/tips/{tip['id']}", headers=ops).json()
    assert staff_view["follow_ups"] == 1


def test_options_list_categories_and_areas(client: Any) -> None:
    options = client.get("/api/v1/tips/options").json()
    assert options["categories"]["drugs"] == "Narkoba"
    assert any(a["name"] == region_named("Kauman")["name"] for a in options["areas"])
