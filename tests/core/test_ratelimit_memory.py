"""A limiter's memory stays bounded however many distinct keys arrive."""

from __future__ import annotations

import siaga.ratelimit as ratelimit
from siaga.ratelimit import RateLimiter


def test_keys_are_evicted_beyond_the_cap() -> None:
    ratelimit.MAX_KEYS = 1000
    try:
        limiter = RateLimiter(limit=2, window_s=60, name="memory-test")
        for i in range(10_000):
            assert limiter._hit_local(f"10.0.{i // 256}.{i % 256}") is not None
        assert len(limiter._hits) <= 1000
        # A key still inside its window keeps being limited after eviction rounds.
        assert limiter._hit_local("hot") is not None
        assert limiter._hit_local("hot") is not None
        assert limiter._hit_local("hot") is None
    finally:
        ratelimit.MAX_KEYS = 50_000
