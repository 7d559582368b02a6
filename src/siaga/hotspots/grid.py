"""Square grid over a local metric plane: projection, cell indexing, study area, kernels."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Mean Earth radius; an equirectangular plane is accurate to well under 1% across a city.
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class LocalProjection:
    """Equirectangular projection centred on a reference point (metres east/north of it)."""

    lon0: float
    lat0: float

    def to_xy(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Project degrees to metres."""
        k = math.pi / 180.0 * EARTH_RADIUS_M
        x = (np.asarray(lon, dtype=np.float64) - self.lon0) * k * math.cos(math.radians(self.lat0))
        y = (np.asarray(lat, dtype=np.float64) - self.lat0) * k
        return x, y

    def to_lonlat(self, x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Unproject metres to degrees."""
        k = math.pi / 180.0 * EARTH_RADIUS_M
        lon = np.asarray(x, dtype=np.float64) / (k * math.cos(math.radians(self.lat0))) + self.lon0
        lat = np.asarray(y, dtype=np.float64) / k + self.lat0
        return lon, lat


def projection_for(*, lon: FloatArray, lat: FloatArray) -> LocalProjection:
    """Projection centred on the points' centroid."""
    return LocalProjection(lon0=float(np.mean(lon)), lat0=float(np.mean(lat)))


@dataclass(frozen=True)
class Grid:
    """Row-major grid of `nx` x `ny` square cells of side `cell_m`, lower-left corner (x0, y0)."""

    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return self.nx * self.ny

    def cell_of(self, x: FloatArray, y: FloatArray) -> IntArray:
        """Cell id of each point, -1 for points off the grid."""
        ix = np.floor((np.asarray(x) - self.x0) / self.cell_m).astype(np.int64)
        iy = np.floor((np.asarray(y) - self.y0) / self.cell_m).astype(np.int64)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        return np.where(inside, iy * self.nx + ix, -1)

    def centres(self, cells: IntArray) -> tuple[FloatArray, FloatArray]:
        """Centre coordinates of the given cell ids."""
        cells = np.asarray(cells, dtype=np.int64)
        x = self.x0 + (cells % self.nx + 0.5).astype(np.float64) * self.cell_m
        y = self.y0 + (cells // self.nx + 0.5).astype(np.float64) * self.cell_m
        return x, y


def grid_covering(*, x: FloatArray, y: FloatArray, cell_m: float, margin_m: float) -> Grid:
    """Grid aligned on multiples of `cell_m` that covers the points plus a margin."""
    if x.size == 0:
        raise ValueError("no points to build a grid around")
    x0 = math.floor((float(np.min(x)) - margin_m) / cell_m) * cell_m
    y0 = math.floor((float(np.min(y)) - margin_m) / cell_m) * cell_m
    nx = math.ceil((float(np.max(x)) + margin_m - x0) / cell_m) + 1
    ny = math.ceil((float(np.max(y)) + margin_m - y0) / cell_m) + 1
    return Grid(x0=x0, y0=y0, cell_m=cell_m, nx=nx, ny=ny)


def neighbourhood(
    *, grid: Grid, x: FloatArray, y: FloatArray, reach_m: float
) -> tuple[IntArray, FloatArray]:
    """For each point, the cells in a square of +-reach around its cell and their squared distances.

    Returns (cells, d2), each of shape (n_points, k); cells off the grid get id -1. Working on
    whole stencils turns a kernel sum over many events into one weighted bincount.
    """
    r = math.ceil(reach_m / grid.cell_m)
    offs = np.arange(-r, r + 1, dtype=np.int64)
    dx_cells, dy_cells = (a.ravel() for a in np.meshgrid(offs, offs, indexing="xy"))
    fx = (np.asarray(x) - grid.x0) / grid.cell_m
    fy = (np.asarray(y) - grid.y0) / grid.cell_m
    ix = np.floor(fx).astype(np.int64)[:, None] + dx_cells[None, :]
    iy = np.floor(fy).astype(np.int64)[:, None] + dy_cells[None, :]
    d2 = ((ix + 0.5 - fx[:, None]) ** 2 + (iy + 0.5 - fy[:, None]) ** 2) * grid.cell_m**2
    inside = (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
    cells = np.where(inside, iy * grid.nx + ix, -1)
    return cells, d2


def cells_within(*, grid: Grid, x: FloatArray, y: FloatArray, radius_m: float) -> IntArray:
    """Sorted ids of every cell whose centre lies within `radius_m` of at least one point."""
    if x.size == 0:
        return np.zeros(0, dtype=np.int64)
    cells, d2 = neighbourhood(grid=grid, x=x, y=y, reach_m=radius_m + grid.cell_m)
    keep = (cells >= 0) & (d2 <= radius_m * radius_m)
    return np.unique(cells[keep])
