"""Bounds on a JSON body, checked before any parser sees it: size, nesting depth, NUL."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from siaga.errors import Invalid

# A media-intelligence batch of 1,000 posts is about 1 MiB; four leave room for long posts.
MAX_JSON_BYTES = 4 * 1024 * 1024
MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"(?:\\.|[^"\\])*"')
_BRACKETS = re.compile(rb"[\[\]{}]")
NUL_MESSAGE = "teks tidak boleh berisi karakter NUL (\\u0000)"
_NUL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects, strings ignored (no parsing, no recursion)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def body_problem(body: bytes) -> tuple[int, str] | None:
    """Why a JSON-looking body is refused (status, Indonesian message), or None."""
    if len(body) > MAX_JSON_BYTES:
        return 413, f"isi permintaan JSON terlalu besar (batas {MAX_JSON_BYTES // 1024} KiB)"
    if json_depth(body) > MAX_JSON_DEPTH:
        return 422, f"JSON terlalu bertingkat (batas {MAX_JSON_DEPTH} tingkat)"
    if b"\x00" in body or _NUL_ESCAPE.search(body):
        return 422, NUL_MESSAGE
    return None


def _has_encoded_nul(raw: bytes) -> bool:
    """A NUL in a query string or form body (percent-encoded, or raw)."""
    return b"\x00" in raw or b"%00" in raw


def _content_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return bytes(value).lower()
    return b""


def _is_upload(scope: Scope) -> bool:
    """Multipart bodies (photos) are bounded by their own checks, not read here."""
    return _content_type(scope).startswith(b"multipart/")


def _looks_like_json(scope: Scope, body: bytes) -> bool:
    # GPS apps send JSON under any content type, so the first byte decides too.
    return b"json" in _content_type(scope) or body.lstrip()[:1] in (b"{", b"[")


class JsonBodyLimits:
    """Refuses oversized, too-deep or NUL-carrying JSON bodies with a JSON 4xx (plain ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # No database stores NUL in text (PostgreSQL refuses it, SQLite truncates on read).
        if scope["type"] == "http" and _has_encoded_nul(scope.get("query_string") or b""):
            await _refuse(send, 422, NUL_MESSAGE)
            return
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH") \
                or _is_upload(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            chunks.append(chunk)
            more = bool(message.get("more_body"))
            if size > MAX_JSON_BYTES:
                break
        body = b"".join(chunks)
        problem = body_problem(body) if _looks_like_json(scope, body) else None
        if problem is None and b"urlencoded" in _content_type(scope) and _has_encoded_nul(body):
            problem = 422, NUL_MESSAGE
        if problem is not None:
            status, text = problem
            await _refuse(send, status, text)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body,
                                         "more_body": False}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive


async def _refuse(send: Send, status: int, text: str) -> None:
    payload = json.dumps({"detail": text}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def check_form_json(raw: str, *, field: str = "data") -> None:
    """A JSON form field (multipart uploads) under the same bounds as JSON bodies: size,
    depth and NUL; refused with 422 naming the field."""
    problem = body_problem(raw.encode())
    if problem is not None:
        raise Invalid(problem[1], field=field)
