"""A minimal keep-alive HTTP/1.1 client for the benchmarks.

httpx spends about 2 ms of CPU per request; on a 2-core machine that shares its cores with the
server, the benchmark would measure itself. Plain asyncio streams cost a few microseconds.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class RawConnection:
    """One keep-alive connection; responses must carry a Content-Length (FastAPI's do)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, host: str, port: int) -> RawConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer, f"{host}:{port}")

    async def _read_response(self) -> tuple[int, bytes]:
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def get(self, target: str) -> tuple[int, bytes]:
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\n"
                          "User-Agent: siaga-bench\r\n\r\n".encode())
        await self.writer.drain()
        return await self._read_response()

    async def post_json(self, target: str, body: Any, headers: dict[str, str] | None = None
                        ) -> tuple[int, bytes]:
        payload = json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.writer.write(
            f"POST {target} HTTP/1.1\r\nHost: {self.host}\r\nUser-Agent: siaga-bench\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n{extra}\r\n"
            .encode() + payload)
        await self.writer.drain()
        return await self._read_response()

    def close(self) -> None:
        self.writer.close()
