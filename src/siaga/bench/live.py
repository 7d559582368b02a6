"""Opening the staff live socket from a benchmark: a single-use ticket, never the token."""

from __future__ import annotations

import httpx


async def live_socket_url(client: httpx.AsyncClient, *, url: str, token: str) -> str:
    """The /ws/ops address of the server at `url`, with a fresh ticket for this staff token."""
    response = await client.post("/api/v1/auth/ws-ticket",
                                 headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    ticket = response.json()["ticket"]
    return url.replace("http", "ws", 1).rstrip("/") + f"/ws/ops?ticket={ticket}"
