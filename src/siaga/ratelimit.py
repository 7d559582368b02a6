"""Sliding-window rate limits: in memory per process, or shared through Redis.

With SIAGA_REDIS_URL set every worker counts in the same Redis window (`siaga.ops.ratelimit`),
so N workers do not multiply a limit by N. When Redis cannot answer, the limiter falls back to
this process's own window rather than refusing alarms.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import defaultdict, deque
from typing import Any

log = logging.getLogger(__name__)
SHARED_RETRY_S = 5.0


class RateLimiter:
    """Allows at most `limit` hits per key within `window_s` seconds."""

    def __init__(self, *, limit: int, window_s: float, name: str | None = None) -> None:
        self.limit = limit
        self.window_s = window_s
        # Workers must agree on the shared key space: default to the creating module's name.
        self.name = name or f"{sys._getframe(1).f_globals.get('__name__', 'siaga')}:{limit}"
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._shared: Any = None
        self._shared_checked = False
        self._shared_retry_at = 0.0

    def _shared_window(self) -> Any:
        if not self._shared_checked:
            from siaga.config import get_settings

            url = get_settings().redis_url
            if url:
                from siaga.ops.ratelimit import RedisWindow

                self._shared = RedisWindow(url=url, namespace=self.name, limit=self.limit,
                                           window_s=self.window_s)
            self._shared_checked = True
        return self._shared

    def hit(self, key: str) -> bool:
        """Record a hit; False when the key is over its limit (the hit is not counted)."""
        shared = self._shared_window()
        if shared is not None and time.monotonic() >= self._shared_retry_at:
            try:
                return bool(shared.hit(key))
            except Exception:  # Redis down: keep limiting per process, never refuse alarms
                log.warning("shared rate limit %s unavailable; using this process's", self.name)
                self._shared_retry_at = time.monotonic() + SHARED_RETRY_S
        return self._hit_local(key)

    def _hit_local(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
        shared = self._shared_window()
        if shared is not None:
            shared.reset()
