"""Staff log-in routes."""

from __future__ import annotations

from fastapi import APIRouter

from siaga.auth import service, tickets
from siaga.auth.schemas import LoginRequest, LoginResponse, Me, WsTicketOut
from siaga.deps import BearerDep, ClientIP, CurrentUser, SessionDep, bearer_token
from siaga.orgs.models import Organisation

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


@router.post("/login", response_model=LoginResponse)
def login(body: LoginRequest, session: SessionDep, ip: ClientIP) -> LoginResponse:
    token, user = service.login(session, username=body.username, password=body.password,
                                client_ip=ip)
    return LoginResponse(access_token=token, role=user.role)


@router.get("/me", response_model=Me)
def me(user: CurrentUser, session: SessionDep) -> Me:
    org = session.get(Organisation, user.org_id) if user.org_id else None
    return Me(id=user.id, username=user.username, full_name=user.full_name, role=user.role,
              org_code=org.code if org else None, org_name=org.name if org else None,
              scope=service.scope_path(session, user=user))


@router.post("/logout", status_code=204)
def logout(session: SessionDep, credentials: BearerDep) -> None:
    service.logout(session, token=bearer_token(credentials))


@router.post("/ws-ticket", response_model=WsTicketOut)
def ws_ticket(user: CurrentUser, session: SessionDep, credentials: BearerDep) -> WsTicketOut:
    """A single-use ticket, valid 30 s, that opens `/ws/ops?ticket=...` for this account."""
    return WsTicketOut(ticket=tickets.issue_ticket(session, user=user,
                                                   token=bearer_token(credentials)))
