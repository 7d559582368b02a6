"""Media-intelligence routes: the connector webhook, warnings for the analyst console and map."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from siaga.auth.capabilities import can
from siaga.auth.models import User
from siaga.auth.service import scope_path, user_for_token
from siaga.db import utcnow
from siaga.deps import BearerDep, SessionDep, Staff, require
from siaga.errors import Forbidden, Unauthorized
from siaga.intel import posts as post_service
from siaga.intel import warnings as warning_service
from siaga.intel.analysis import analyse
from siaga.intel.entities import cached_gazetteer
from siaga.intel.landmarks import create_landmark
from siaga.intel.models import ConnectorToken, EarlyWarning, MediaPost
from siaga.intel.schemas import (
    ClassifyIn,
    ConnectorIn,
    ConnectorOut,
    EvidencePost,
    IntakeResult,
    LandmarkIn,
    LandmarkOut,
    PostBatch,
    PostIn,
    PostResult,
    VerdictIn,
    WarningDetail,
    WarningPage,
    WarningSummary,
)
from siaga.orgs.service import org_by_code
from siaga.validation import indonesian_errors

router = APIRouter(prefix="/api/v1/mediaintel", tags=["mediaintel"])
Analyst = Annotated[Staff, Depends(require("intel.analyse"))]
Admin = Annotated[Staff, Depends(require("intel.administer"))]
# Operators and leaders see warnings on the map; only analysts judge them.
WarningReader = Annotated[Staff, Depends(require("intel.view_warnings"))]


def _sender(session: SessionDep, credentials: BearerDep
            ) -> tuple[ConnectorToken | None, User | None, str]:
    """A connector token, or an analyst's / admin's bearer token: (connector, user, scope)."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized("Butuh token: kirim header Authorization: Bearer <token>")
    token = credentials.credentials
    if token.startswith("sgc_"):
        connector = post_service.connector_for_token(session, token=token)
        return connector, None, connector.org_path
    user = user_for_token(session, token=token)
    if not can(user.role, "intel.analyse"):
        raise Forbidden("Hanya konektor, analis atau admin yang boleh mengirim unggahan")
    return None, user, scope_path(session, user=user)


Sender = Annotated[tuple[ConnectorToken | None, User | None, str], Depends(_sender)]


def _body_error(message: str) -> RequestValidationError:
    return RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": message,
                                    "input": None}])


async def _json_body(request: Request) -> Any:
    """The request body as JSON, read only once the sender is known (declared after Sender)."""
    raw = await request.body()
    if not raw.strip():
        raise _body_error('Badan permintaan kosong: kirim satu unggahan atau {"posts": [...]}')
    try:
        return json.loads(raw)
    except ValueError:
        raise _body_error("Badan permintaan bukan JSON yang sah") from None


def posts_from_body(body: Any) -> list[PostIn]:
    """One post, or a batch when the object has "posts"; errors name the field in Indonesian."""
    try:
        if isinstance(body, dict) and "posts" in body:
            return PostBatch.model_validate(body).posts
        return [PostIn.model_validate(body)]
    except ValidationError as exc:
        raise RequestValidationError(indonesian_errors(exc.errors(), prefix=("body",))) from None


def _body_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads its JSON itself (after auth)."""
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": schema}}}}


_ONE_POST = PostIn.model_json_schema()
_POSTS_BODY = {"anyOf": [_ONE_POST, {
    "type": "object", "required": ["posts"],
    "properties": {"posts": {"type": "array", "items": _ONE_POST, "minItems": 1,
                             "maxItems": 1000}}}]}


@router.post("/posts", status_code=201, response_model=IntakeResult,
             openapi_extra=_body_schema(_POSTS_BODY),
             responses={200: {"model": IntakeResult, "description": "Semua sudah diterima"}})
def receive_posts(session: SessionDep, sender: Sender, response: Response,
                  body: Annotated[Any, Depends(_json_body)]) -> IntakeResult:
    """Connector webhook: one post or {"posts": [...]}; the same (source, id) again is a no-op."""
    connector, user, scope = sender
    batch = posts_from_body(body)
    result = post_service.ingest_posts(session, posts=batch, org_path=scope, actor=user,
                                       connector=connector)
    if result.created == 0:
        response.status_code = 200
    return IntakeResult(
        created=result.created, duplicates=result.duplicates, warnings=result.warning_ids,
        items=[_post_result(i) for i in result.items],
    )


@router.post("/classify", openapi_extra=_body_schema(ClassifyIn.model_json_schema()))
def classify(staff: Analyst, session: SessionDep,
             raw: Annotated[Any, Depends(_json_body)]) -> dict[str, Any]:
    """Try the analysis on one text without storing it; the same checks as /posts."""
    try:
        body = ClassifyIn.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(indonesian_errors(exc.errors(), prefix=("body",))) from None
    result = analyse(body.text, posted_at=body.posted_at or utcnow(),
                     gazetteer=cached_gazetteer(session))
    return result.as_dict()


@router.get("/warnings", response_model=WarningPage)
def list_warnings(
    staff: WarningReader, session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(open|confirmed|dismissed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> WarningPage:
    rows, total = warning_service.list_warnings(session, staff=staff, status=status, limit=limit,
                                                offset=offset)
    return WarningPage(items=[_summary(w) for w in rows], total=total)


@router.get("/warnings/{warning_id}", response_model=WarningDetail)
def get_warning(warning_id: int, staff: WarningReader, session: SessionDep) -> WarningDetail:
    warning = warning_service.warning_for_staff(session, staff=staff, warning_id=warning_id)
    posts = warning_service.warning_posts(session, warning=warning)
    return WarningDetail(**_summary(warning).model_dump(), posts=[_evidence(p) for p in posts])


@router.post("/warnings/{warning_id}/verdict", response_model=WarningSummary)
def judge(warning_id: int, body: VerdictIn, staff: Analyst,
          session: SessionDep) -> WarningSummary:
    warning = warning_service.judge_warning(session, staff=staff, warning_id=warning_id,
                                            verdict=body.verdict, note=body.note)
    return _summary(warning)


@router.post("/connectors", status_code=201, response_model=ConnectorOut)
def add_connector(body: ConnectorIn, staff: Admin, session: SessionDep) -> ConnectorOut:
    """A token for a crawler or platform connector (shown once)."""
    org = org_by_code(session, code=body.org) if body.org else None
    connector, token = post_service.create_connector(session, name=body.name, org=org,
                                                     actor=staff.user)
    return ConnectorOut(id=connector.id, name=connector.name, org_path=connector.org_path,
                        token=token)


@router.post("/landmarks", status_code=201, response_model=LandmarkOut)
def add_landmark(body: LandmarkIn, staff: Analyst, session: SessionDep) -> LandmarkOut:
    """A named place (square, stadium, bridge) posts use, for the gazetteer."""
    landmark = create_landmark(session, staff=staff, data=body)
    return LandmarkOut(id=landmark.id, name=landmark.name, aliases=landmark.aliases,
                       lat=landmark.lat, lon=landmark.lon)


def _post_result(item: post_service.IngestItem) -> PostResult:
    post = item.post
    if item.foreign:
        return PostResult(id=None, source=post.source, external_id=post.external_id,
                          created=False, risk=None, is_warning=None)
    return PostResult(id=post.id, source=post.source, external_id=post.external_id,
                      created=item.created, risk=post.risk, is_warning=post.is_warning,
                      warning_id=item.warning_id)


def _summary(warning: EarlyWarning) -> WarningSummary:
    return WarningSummary.model_validate(warning_service.warning_summary(warning))


def _evidence(post: MediaPost) -> EvidencePost:
    analysis = post.analysis or {}
    return EvidencePost(id=post.id, source=post.source, posted_at=post.posted_at, text=post.text,
                        link=post.link, author=post.author_hash[:10] if post.author_hash else None,
                        risk=post.risk, reasons=list(analysis.get("reasons", [])),
                        times=list(analysis.get("times", [])))
