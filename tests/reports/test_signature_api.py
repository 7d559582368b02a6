"""Who signs a Polres's reports: set by its admins, read back, audited, refused clearly."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import login

BODY = {"place": "Banjarnegara", "position": "Kapolres Uji",
        "name": "Kompol Hanafi Şükrü Nguyễn, S.I.K.", "rank": "AKBP", "nrp": "80051122"}
PASSWORD = "Sandi-uji-laporan-2026!"


def _polres_with_admin() -> tuple[str, str]:
    from siaga.auth.service import create_user
    from siaga.db import get_database
    from siaga.orgs.service import create_org, org_by_code

    tag = uuid.uuid4().hex[:6]
    with get_database().session() as session:
        polres = create_org(session, code=f"polres-uji-{tag}", name=f"Polres Uji {tag}",
                            level="polres", parent=org_by_code(session, code="polda-jateng"))
        create_org(session, code=f"polsek-uji-{tag}", name=f"Polsek Uji {tag}", level="polsek",
                   parent=polres)
        create_user(session, username=f"admin.uji{tag}", password=PASSWORD, role="admin",
                    org=polres, full_name="Admin Polres Uji")
    return f"polres-uji-{tag}", f"admin.uji{tag}"


def test_admin_sets_and_reads_the_signature(client: Any) -> None:
    from sqlalchemy import select

    from siaga.audit.models import AuditEntry
    from siaga.db import get_database

    code, username = _polres_with_admin()
    admin = login(client, username, PASSWORD)
    url = f"/api/v1/reports/signature?org={code}"
    empty = client.get(url, headers=admin)
    assert empty.status_code == 200 and empty.json()["configured"] is False
    assert empty.json()["name"] is None
    saved = client.put(url, json={**BODY, "name": "  Kompol  Hanafi Şükrü Nguyễn, S.I.K. "},
                       headers=admin)
    assert saved.status_code == 200, saved.text
    again = client.get(url, headers=admin).json()
    assert again["configured"] and again["name"] == BODY["name"]
    assert {k: again[k] for k in BODY} == BODY
    with get_database().session() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "report.signature_set").order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.detail["after"]["name"] == BODY["name"]


def test_signature_refusals_name_what_was_wrong(client: Any) -> None:
    code, username = _polres_with_admin()
    admin = login(client, username, PASSWORD)
    url = f"/api/v1/reports/signature?org={code}"
    bad = client.put(url, json={**BODY, "nrp": "NRP-satu"}, headers=admin)
    assert bad.status_code == 422
    assert "nrp" in str(bad.json()["detail"])
    polsek = client.get(f"/api/v1/reports/signature?org={code.replace('polres', 'polsek')}",
                        headers=admin)
    assert polsek.status_code == 422 and polsek.json()["detail"]["field"] == "org"
    other = client.put("/api/v1/reports/signature?org=polres-tegal", json=BODY, headers=admin)
    assert other.status_code == 404  # another Polres is outside this admin's organisation
    leader = client.put(url, json=BODY, headers=login(client, "pimpinan.tegal"))
    assert leader.status_code == 403
    missing = client.get("/api/v1/reports/signature", headers=admin)
    assert missing.status_code == 422
    assert client.get(url, headers=admin).json()["configured"] is False
