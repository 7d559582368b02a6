"""Sliding-window rate limits: in memory per process, or shared through Redis.

With SIAGA_REDIS_URL set every worker counts in the same Redis window (`siaga.ops.ratelimit`),
so N workers do not multiply a limit by N. When Redis cannot answer, the limiter falls back to
this process's own window rather than refusing alarms.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from siaga.config import get_settings
from siaga.ops.ratelimit import RedisWindow

log = logging.getLogger(__name__)
SHARED_RETRY_S = 5.0
_SESSION_HITS = "siaga_rate_hits"
Refund = Callable[[], None]
# Keys (addresses, devices, names) one limiter remembers at most: a flood of new keys from
# outside must not grow memory without end.
MAX_KEYS = 50_000


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
            url = get_settings().redis_url
            if url:
                self._shared = RedisWindow(url=url, namespace=self.name, limit=self.limit,
                                           window_s=self.window_s)
            self._shared_checked = True
        return self._shared

    def hit(self, key: str) -> bool:
        """Record a hit; False when the key is over its limit (the hit is not counted)."""
        return self.admit(key) is not None

    def admit(self, key: str) -> Refund | None:
        """Record a hit and return what takes it back; None when the key is over its limit."""
        shared = self._shared_window()
        if shared is not None and time.monotonic() >= self._shared_retry_at:
            member = uuid.uuid4().hex
            try:
                if not shared.hit(key, member=member):
                    return None
                return lambda: self._refund_shared(shared, key, member)
            except Exception:  # Redis down: keep limiting per process, never refuse alarms
                log.warning("shared rate limit %s unavailable; using this process's", self.name)
                self._shared_retry_at = time.monotonic() + SHARED_RETRY_S
        return self._hit_local(key)

    def _hit_local(self, key: str) -> Refund | None:
        now = time.monotonic()
        with self._lock:
            if key not in self._hits and len(self._hits) >= MAX_KEYS:
                self._evict(now)
            hits = self._hits[key]
            while hits and now - hits[0] > self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return None
            hits.append(now)
        return lambda: self._refund_local(key, now)

    def _evict(self, now: float) -> None:
        """Forget keys whose window has passed; if a flood of new keys remains, the oldest."""
        for stale in [k for k, hits in self._hits.items()
                      if not hits or now - hits[-1] > self.window_s]:
            del self._hits[stale]
        if len(self._hits) >= MAX_KEYS:
            by_age = sorted(self._hits, key=lambda k: self._hits[k][-1])
            for oldest in by_age[: len(by_age) - MAX_KEYS * 9 // 10]:
                del self._hits[oldest]

    def _refund_local(self, key: str, at: float) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._hits[key].remove(at)

    def _refund_shared(self, shared: Any, key: str, member: str) -> None:
        try:
            shared.refund(key, member=member)
        except Exception:  # the hit simply ages out of the window
            log.warning("could not take back a hit on shared rate limit %s", self.name)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
        shared = self._shared_window()
        if shared is not None:
            shared.reset()


def hit_within(session: Session, limiter: RateLimiter, key: str) -> bool:
    """Count a hit that is taken back if the session's transaction rolls back, so a retried
    write is not refused for hits of an attempt that stored nothing."""
    refund = limiter.admit(key)
    if refund is None:
        return False
    session.info.setdefault(_SESSION_HITS, []).append(refund)
    return True


@event.listens_for(Session, "after_commit")
def _keep_hits(session: Session) -> None:
    session.info.pop(_SESSION_HITS, None)


@event.listens_for(Session, "after_rollback")
def _refund_hits(session: Session) -> None:
    for refund in session.info.pop(_SESSION_HITS, []):
        refund()
