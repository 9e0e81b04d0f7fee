"""Natural Earth countries (shipped as TopoJSON) with ISO alpha-3 codes and label anchors, and the
compact TopoJSON a map sends: only the countries its frame can show, requantised and simplified to
what a slide can show, without properties (see compact_topology)."""

import itertools
import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pycountry

from relations.data.loading import DEFAULT_DATA_DIR

WORLD_TOPOJSON = DEFAULT_DATA_DIR / "geo" / "countries-110m.json"
TOPOJSON_OBJECT = "countries"
Box = tuple[float, float, float, float]  # west, south, east, north (degrees)

QUANTIZATION = 4000  # grid steps across what is sent: < 1 px on a 1920 px slide
MIN_AREA = (
    16.0  # grid steps²: a point whose triangle with its neighbours is smaller is dropped (≈4 px² on a slide)
)
VIEW_ASPECTS = (
    0.8,
    3.2,
)  # width / height of any chart a map is drawn in: a phone column (≈340×420) to a slide
REGION_MARGIN = 3.0  # degrees kept around the visible region, for strokes
MAX_CACHED_REGIONS = 256
MAX_LATITUDE = 90.0


@dataclass(frozen=True)
class World:
    topology: dict
    countries: gpd.GeoDataFrame  # numeric, alpha3, name, geometry, label_lon, label_lat
    _compact: dict = field(default_factory=dict, compare=False, repr=False)  # frame box -> topology

    def compact(self, box: Box | None = None) -> dict:
        """The TopoJSON to send for a map framed on box (None: the whole world), computed once per box."""
        key = None if box is None else tuple(round(v, 3) for v in box)
        if key not in self._compact:
            if len(self._compact) >= MAX_CACHED_REGIONS:
                self._compact.clear()
            self._compact[key] = compact_topology(self.topology, visible_region(key) if key else None)
        return self._compact[key]


def _alpha3(numeric: object) -> str:
    """'' for the few Natural Earth shapes with no ISO code (Kosovo, N. Cyprus, Somaliland): drawn, never coloured."""
    country = pycountry.countries.get(numeric=numeric) if isinstance(numeric, str) and numeric else None
    return country.alpha_3 if country else ""


def load_world(path: Path = WORLD_TOPOJSON) -> World:
    """geopandas reads the TopoJSON for joins and anchors; the browser gets World.compact(box)."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    frame = gpd.read_file(path, layer=TOPOJSON_OBJECT).set_crs(epsg=4326)
    frame = frame.rename(columns={"id": "numeric"}).fillna({"numeric": ""})
    frame["alpha3"] = frame["numeric"].map(_alpha3)
    # On the largest part: Russia's or the USA's first part may sit across the antimeridian.
    mainland = frame.geometry.apply(
        lambda g: max(g.geoms, key=lambda part: part.area) if g.geom_type == "MultiPolygon" else g
    )
    anchors = gpd.GeoSeries(mainland, crs=frame.crs).representative_point()
    frame["label_lon"], frame["label_lat"] = anchors.x.round(2), anchors.y.round(2)
    return World(topology, frame)


@cache
def default_world() -> World:
    """The shipped geometry, read once per process: every map and every session share it."""
    return load_world()


# --- What a fitted map can show -------------------------------------------------------------------

_A1, _A2, _A3, _A4, _M = 1.340264, -0.081106, 0.000893, 0.003796, math.sqrt(3) / 2


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """d3.geoEqualEarth's raw projection (y up), the projection every map uses."""
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(_M * np.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * np.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _great_circle(a: tuple[float, float], b: tuple[float, float], steps: int = 64) -> np.ndarray:
    """Points along the great circle a→b (lon, lat): how d3 draws a polygon edge."""

    def vec(p):
        lon, lat = map(math.radians, p)
        return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])

    u, v = vec(a), vec(b)
    omega = math.acos(max(-1.0, min(1.0, float(u @ v))))
    t = np.linspace(0, 1, steps)[:, None]
    if omega < 1e-9:
        points = np.repeat(u[None, :], steps, axis=0)
    else:
        points = (np.sin((1 - t) * omega) * u + np.sin(t * omega) * v) / math.sin(omega)
    return np.column_stack(
        [np.degrees(np.arctan2(points[:, 1], points[:, 0])), np.degrees(np.arcsin(points[:, 2]))]
    )


@cache
def _globe_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lon, lat = np.meshgrid(np.arange(-180.0, 180.5, 1.0), np.arange(-90.0, 90.5, 1.0))
    x, y = equal_earth(lon.ravel(), lat.ravel())
    return lon.ravel(), lat.ravel(), x, y


def visible_region(box: Box) -> Box | None:
    """The lon/lat box a chart can show when its projection is fitted to box (d3 fitSize centres the
    box and leaves room on one side, depending on the chart's shape), plus a margin. None: the world."""
    west, south, east, north = box
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    edge = np.vstack([_great_circle(a, b) for a, b in itertools.pairwise(corners)])
    x, y = equal_earth(edge[:, 0], edge[:, 1])
    width, height = x.max() - x.min(), y.max() - y.min()
    cx, cy = (x.max() + x.min()) / 2, (y.max() + y.min()) / 2
    narrowest, widest = VIEW_ASPECTS
    half_w = max(width, height * widest) / 2
    half_h = max(height, width / narrowest) / 2
    lon, lat, gx, gy = _globe_grid()
    seen = (np.abs(gx - cx) <= half_w) & (np.abs(gy - cy) <= half_h)
    if not seen.any():
        return None
    region = (
        max(-180.0, float(lon[seen].min()) - REGION_MARGIN - 1),
        max(-MAX_LATITUDE, float(lat[seen].min()) - REGION_MARGIN - 1),
        min(180.0, float(lon[seen].max()) + REGION_MARGIN + 1),
        min(MAX_LATITUDE, float(lat[seen].max()) + REGION_MARGIN + 1),
    )
    if region[2] - region[0] >= 359 and region[3] - region[1] >= 2 * MAX_LATITUDE - 1:
        return None
    return region


# --- Compact TopoJSON -----------------------------------------------------------------------------


def _decoded_arcs(topology: dict) -> list[np.ndarray]:
    """Every arc as absolute lon/lat points (the file is quantised and delta-encoded)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(points)
    return arcs


def _arc_ids(rings) -> list[int]:
    return [i if i >= 0 else ~i for ring in rings for i in ring]


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def _simplified(grid: np.ndarray) -> np.ndarray:
    """Visvalingam–Whyatt: drop the interior point with the smallest triangle until none is below
    MIN_AREA (ends stay, so neighbouring countries still share them)."""
    points = grid.astype(float)
    fewest = 4 if (grid[0] == grid[-1]).all() else 2  # a closed ring keeps an area
    while len(points) > fewest:
        a, b, c = points[:-2], points[1:-1], points[2:]
        area = (
            np.abs((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (c[:, 0] - a[:, 0]) * (b[:, 1] - a[:, 1])) / 2
        )
        small = area < MIN_AREA
        if not small.any():
            break
        # Drop the smallest among non-adjacent small points in one pass.
        order = np.argsort(area)
        dropped = np.zeros(len(points), dtype=bool)
        budget = len(points) - fewest
        for i in order:
            if not small[i] or budget == 0:
                break
            if not dropped[i] and not dropped[i + 2]:
                dropped[i + 1] = True
                budget -= 1
        points = points[~dropped]
    return points.astype(int)


def compact_topology(topology: dict, region: Box | None) -> dict:
    """The countries object only, ids only (no names: the charts look them up), only the countries
    that reach into region (None: the world), requantised to QUANTIZATION steps across the region,
    simplified below what a slide shows, delta-encoded. Shapes are not cut: what is kept is drawn
    exactly as before, so fills never change (a country crossing the antimeridian always counts)."""
    arcs = _decoded_arcs(topology)
    kept = []
    for geometry in topology["objects"][TOPOJSON_OBJECT]["geometries"]:
        polygons = _polygons(geometry)
        ids = _arc_ids(ring for polygon in polygons for ring in polygon)
        if not ids:
            continue
        if region is not None:
            points = np.vstack([arcs[i] for i in ids])
            west, south, east, north = region
            if (
                points[:, 0].max() < west
                or points[:, 0].min() > east
                or points[:, 1].max() < south
                or points[:, 1].min() > north
            ):
                continue
        kept.append((geometry, polygons))
    used = sorted({i for _, polygons in kept for i in _arc_ids(r for p in polygons for r in p)})
    renumber = {old: new for new, old in enumerate(used)}
    every = np.vstack([arcs[i] for i in used]) if used else np.zeros((1, 2))
    low, high = every.min(axis=0), every.max(axis=0)
    if region is not None:  # the grid is as fine across the region as it would be across the world
        low = np.maximum(low, region[:2])
        high = np.minimum(high, region[2:])
    scale = np.maximum(high - low, 1e-9) / (QUANTIZATION - 1)
    out_arcs = []
    for i in used:
        grid = np.round((arcs[i] - low) / scale).astype(int)
        keep = np.ones(len(grid), dtype=bool)
        keep[1:] = np.any(grid[1:] != grid[:-1], axis=1)
        grid = _simplified(grid[keep])
        if len(grid) < 2:
            grid = np.vstack([grid, grid])
        deltas = np.vstack([grid[:1], np.diff(grid, axis=0)])
        out_arcs.append(deltas.tolist())

    def remap(ring: list[int]) -> list[int]:
        return [renumber[i] if i >= 0 else ~renumber[~i] for i in ring]

    out_geometries = []
    for geometry, polygons in kept:
        remapped = [[remap(ring) for ring in polygon] for polygon in polygons]
        shape = (
            {"type": "Polygon", "arcs": remapped[0]}
            if geometry["type"] == "Polygon"
            else {"type": "MultiPolygon", "arcs": remapped}
        )
        if "id" in geometry:
            shape["id"] = geometry["id"]
        out_geometries.append(shape)
    return {
        "type": "Topology",
        "transform": {"scale": [float(v) for v in scale], "translate": [float(v) for v in low]},
        "objects": {TOPOJSON_OBJECT: {"type": "GeometryCollection", "geometries": out_geometries}},
        "arcs": out_arcs,
    }
