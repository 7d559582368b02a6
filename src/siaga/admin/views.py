"""Administration routes: staff accounts, organisation details, Bhabinkamtibmas, CSV import."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from sqlalchemy.orm import Session

from siaga.admin import accounts, csvimport, orgs
from siaga.admin.schemas import (
    AccountCreate,
    AccountOut,
    AccountPage,
    AccountUpdate,
    ActiveChange,
    ImportProblem,
    ImportResult,
    OrgDetailsOut,
    OrgDetailsPage,
    OrgDetailsUpdate,
    PasswordReset,
    ResetCodeOut,
    SessionsEnded,
)
from siaga.admin.scope import org_in_scope, user_in_scope
from siaga.auth.models import User
from siaga.deps import ClientIP, SessionDep, Staff, require
from siaga.orgs.models import Organisation

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
public_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
Admin = Annotated[Staff, Depends(require("admin.manage_staff"))]
ROLE_LABELS = {"operator": "Operator", "petugas": "Petugas lapangan", "analis": "Analis",
               "pimpinan": "Pimpinan", "admin": "Admin"}


def account_out(session: Session, user: User, org: Organisation | None = None) -> AccountOut:
    """The API form of a staff account."""
    if org is None and user.org_id is not None:
        org = session.get(Organisation, user.org_id)
    return AccountOut(id=user.id, username=user.username, full_name=user.full_name,
                      role=user.role, role_label=ROLE_LABELS.get(user.role, user.role),
                      org_code=org.code if org else None, org_name=org.name if org else None,
                      phone=user.phone, active=user.active)


@router.get("/users", response_model=AccountPage)
def list_users(staff: Admin, session: SessionDep,
               q: Annotated[str | None, Query(max_length=80)] = None) -> AccountPage:
    rows = accounts.list_accounts(session, staff=staff, q=q)
    return AccountPage(items=[account_out(session, u, o) for u, o in rows], total=len(rows))


@router.post("/users", response_model=AccountOut, status_code=201)
def create_user(body: AccountCreate, staff: Admin, session: SessionDep) -> AccountOut:
    user = accounts.create_account(session, staff=staff, username=body.username,
                                   password=body.password, role=body.role, org_code=body.org,
                                   full_name=body.full_name, phone=body.phone)
    return account_out(session, user)


@router.patch("/users/{user_id}", response_model=AccountOut)
def update_user(user_id: int, body: AccountUpdate, staff: Admin,
                session: SessionDep) -> AccountOut:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    accounts.update_account(session, staff=staff, user=user, role=body.role, org_code=body.org,
                            full_name=body.full_name, phone=body.phone)
    return account_out(session, user)


@router.post("/users/{user_id}/active", response_model=AccountOut)
def set_active(user_id: int, body: ActiveChange, staff: Admin,
               session: SessionDep) -> AccountOut:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    accounts.set_active(session, staff=staff, user=user, active=body.active)
    return account_out(session, user)


@router.post("/users/{user_id}/reset-code", response_model=ResetCodeOut)
def reset_code(user_id: int, staff: Admin, session: SessionDep) -> ResetCodeOut:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    code, expires = accounts.issue_reset_code(session, staff=staff, user=user)
    return ResetCodeOut(code=code, expires_at=expires,
                        note="Kode hanya tampil sekali dan berlaku 24 jam. Berikan langsung "
                             "kepada pemilik akun; ia mengatur kata sandi baru di /admin.")


@router.post("/users/{user_id}/end-sessions", response_model=SessionsEnded)
def end_sessions(user_id: int, staff: Admin, session: SessionDep) -> SessionsEnded:
    user = user_in_scope(session, staff=staff, user_id=user_id)
    return SessionsEnded(sessions_ended=accounts.end_sessions(session, staff=staff, user=user))


@public_router.post("/reset-password", status_code=204)
def reset_password(body: PasswordReset, session: SessionDep, ip: ClientIP) -> None:
    accounts.redeem_reset_code(session, username=body.username, code=body.code,
                               new_password=body.new_password, client_ip=ip)


def org_details_out(session: Session, org: Organisation) -> OrgDetailsOut:
    """The API form of an organisation's details."""
    parent = session.get(Organisation, org.parent_id) if org.parent_id else None
    return OrgDetailsOut(code=org.code, name=org.name, level=org.level,
                         parent_code=parent.code if parent else None, address=org.address,
                         phone=org.phone, lat=org.lat, lon=org.lon)


@router.get("/orgs", response_model=OrgDetailsPage)
def list_orgs(staff: Admin, session: SessionDep) -> OrgDetailsPage:
    items = [org_details_out(session, o)
             for o in orgs.list_org_details(session, staff=staff)]
    return OrgDetailsPage(items=items, total=len(items))


@router.patch("/orgs/{code}", response_model=OrgDetailsOut)
def update_org(code: str, body: OrgDetailsUpdate, staff: Admin,
               session: SessionDep) -> OrgDetailsOut:
    org = org_in_scope(session, staff=staff, code=code)
    orgs.update_org_details(session, staff=staff, org=org,
                            fields=body.model_dump(exclude_unset=True))
    return org_details_out(session, org)


@router.post("/import/{kind}", response_model=ImportResult)
def import_csv(
    kind: Literal["personel", "unit"], staff: Admin, session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV, baris pertama judul kolom")],
    dry_run: bool = True,
) -> ImportResult:
    data = file.file.read(csvimport.MAX_BYTES + 1)
    out = csvimport.import_csv(session, staff=staff, kind=kind, data=data, dry_run=dry_run)
    return ImportResult(kind=out.kind, dry_run=out.dry_run, rows=out.rows, stored=out.stored,
                        problems=[ImportProblem(line=p.line, field=p.field, msg=p.msg)
                                  for p in out.problems],
                        created=out.created)
