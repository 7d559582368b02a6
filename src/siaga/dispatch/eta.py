"""Travel-time estimates: haversine distance x road detour factor / typical urban speed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from siaga.config import Settings, get_settings
from siaga.geo import EARTH_RADIUS_M

FloatArray = npt.NDArray[np.float64]
DEFAULT_SPEED_KMH = 25.0


@dataclass(frozen=True)
class TravelModel:
    """The configured detour factor, speeds and turnout times per unit kind."""

    detour_factor: float
    speed_kmh: dict[str, float]
    turnout_s: dict[str, float]

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> TravelModel:
        s = settings or get_settings()
        return cls(s.dispatch_detour_factor, dict(s.dispatch_speed_kmh),
                   dict(s.dispatch_turnout_s))

    def speed_ms(self, kind: str) -> float:
        return max(0.5, self.speed_kmh.get(kind, DEFAULT_SPEED_KMH)) / 3.6

    def travel_s(self, kind: str, distance_m: float, *, moving: bool = False) -> float:
        """Seconds to cover a straight-line distance; `moving` units have no turnout."""
        turnout = 0.0 if moving else self.turnout_s.get(kind, 0.0)
        return turnout + distance_m * self.detour_factor / self.speed_ms(kind)

    def travel_s_array(self, kinds: npt.NDArray[np.object_], distances_m: FloatArray
                       ) -> FloatArray:
        """Vectorised `travel_s` for units about to set off; `kinds` is an object array."""
        speeds = np.full(len(kinds), DEFAULT_SPEED_KMH / 3.6)
        turnout = np.zeros(len(kinds))
        for kind in set(self.speed_kmh) | set(self.turnout_s):
            mask = kinds == kind
            speeds[mask] = self.speed_ms(kind)
            turnout[mask] = self.turnout_s.get(kind, 0.0)
        result: FloatArray = turnout + distances_m * self.detour_factor / speeds
        return result


def haversine_many(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Great-circle distances in metres from one point to many."""
    la, lo = np.radians(lat), np.radians(lon)
    rl, ro = np.radians(lats), np.radians(lons)
    a = np.sin((rl - la) / 2) ** 2 + np.cos(la) * np.cos(rl) * np.sin((ro - lo) / 2) ** 2
    result: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    return result
