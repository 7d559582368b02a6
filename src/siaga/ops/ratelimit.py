"""Sliding-window rate limits shared by every worker through Redis."""

from __future__ import annotations

import logging
import uuid
from typing import Any

log = logging.getLogger(__name__)

KEY_PREFIX = "siaga:rl:"

# Trim the window, count what is left, and record the hit only when under the limit: atomic in
# Redis, so two workers can never both admit the last allowed hit. Redis's own clock keeps
# workers on different hosts in one window.
_SLIDING_WINDOW = """
local key = KEYS[1]
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window_ms = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now_ms - window_ms)
if redis.call('ZCARD', key) >= limit then
  return 0
end
redis.call('ZADD', key, now_ms, ARGV[3])
redis.call('PEXPIRE', key, window_ms)
return 1
"""


class RedisWindow:
    """Counts hits per key in a Redis sorted set; `hit` raises when Redis cannot answer."""

    def __init__(self, *, url: str, namespace: str, limit: int, window_s: float) -> None:
        import redis  # lazy: loaded only where SIAGA_REDIS_URL is set

        self.namespace = namespace
        self.limit = limit
        self.window_ms = int(window_s * 1000)
        self._client: Any = redis.Redis.from_url(url, socket_timeout=0.5,
                                                 socket_connect_timeout=0.5)
        self._script: Any = self._client.register_script(_SLIDING_WINDOW)

    def _key(self, key: str) -> str:
        return f"{KEY_PREFIX}{self.namespace}:{key}"

    def hit(self, key: str, *, member: str | None = None) -> bool:
        """Record a hit; False when the key is over its limit (the hit is not counted)."""
        allowed = self._script(keys=[self._key(key)],
                               args=[self.window_ms, self.limit, member or uuid.uuid4().hex])
        return bool(allowed)

    def refund(self, key: str, *, member: str) -> None:
        """Take back the hit recorded as `member`."""
        self._client.zrem(self._key(key), member)

    def reset(self) -> None:
        """Forget every key of this limiter."""
        keys = list(self._client.scan_iter(match=f"{KEY_PREFIX}{self.namespace}:*", count=500))
        if keys:
            self._client.delete(*keys)
