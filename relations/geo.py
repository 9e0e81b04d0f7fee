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
import shapely
import shapely.affinity

from relations.data.loading import DEFAULT_DATA_DIR

WORLD_TOPOJSON = DEFAULT_DATA_DIR / "geo" / "countries-110m.json"
TOPOJSON_OBJECT = "countries"
Box = tuple[float, float, float, float]  # west, south, east, north (degrees)

QUANTIZATION = 4000  # grid steps across what is sent: < 1 px on a 1920 px slide
MIN_AREA = (
    16.0  # grid steps²: a point whose triangle with its neighbours is smaller is dropped (≈4 px² on a slide)
)
# Width / height of any chart a map is drawn in: a phone column (≈340×420; the page's maps are no
# taller than their frame's shape at least 200 px high, basemap.height_param) to a slide.
VIEW_ASPECTS = (0.8, 3.4)
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
            self._compact[key] = (
                compact_topology(self.topology, visible_region(key), key)
                if key
                else compact_topology(self.topology, None)
            )
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
    extents = [country_extent(g) for g in frame.geometry]
    for i, column in enumerate(EXTENT_COLUMNS):
        frame[column] = [round(e[i], 2) for e in extents]
    return World(topology, frame)


EXTENT_COLUMNS = ("west", "south", "east", "north")
NEAR_PART = 10.0  # degrees: a part of a country this close to its largest part is framed with it


def _bounds(part) -> Box:
    """A polygon's bounds; one drawn across the antimeridian (Russia's mainland) is cut there, on
    the side holding most of its points."""
    w, s, e, n = part.bounds
    if e - w <= 180:
        return w, s, e, n
    lons = np.asarray(part.exterior.coords)[:, 0]
    east_side = lons[lons >= 0]
    west_side = lons[lons < 0]
    if len(east_side) >= len(west_side):
        return float(east_side.min()), s, 180.0, n
    return -180.0, s, float(west_side.max()), n


def country_extent(geometry) -> Box:
    """The lon/lat box a map must hold to show a country whole: its largest part and every part within
    NEAR_PART degrees of it (Hainan with China, Alaska with the USA, not French Guiana with France),
    on the largest part's side of the antimeridian (Russia's Chukotka beyond 180° is left out)."""
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    main = max(parts, key=lambda part: part.area)
    west, south, east, north = _bounds(main)
    for part in parts:
        w, s, e, n = _bounds(part)
        if (w < -170 < 170 < east) or (e > 170 > -170 > west):
            continue  # across the antimeridian from the largest part
        gap = max(w - east, west - e, s - north, south - n, 0.0)
        if gap <= NEAR_PART:
            west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    return west, south, east, north


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


def centre_lon(box: Box) -> float:
    """The meridian a map framed on box is centred on (d3 rotate [-centre, 0]): meridians lean the
    same way on both sides, so a frame far from Greenwich (China's) is not skewed into one corner."""
    return (box[0] + box[2]) / 2


def project(lon, lat, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """Raw Equal Earth (x, y), y up, of lon/lat on a map framed on box (rotated to its centre)."""
    shifted = (np.asarray(lon, dtype=float) - centre_lon(box) + 180.0) % 360.0 - 180.0
    return equal_earth(shifted, np.asarray(lat, dtype=float))


def fitted_bounds(box: Box) -> tuple[float, float, float, float]:
    """The box as d3 fits it (a polygon with great-circle edges), in raw Equal Earth units (y up):
    x0, y0, x1, y1. A chart w×h px fitted to it draws raw (x, y) at pixel
    (w/2 + k·(x − cx), h/2 − k·(y − cy)), k = min(w / (x1 − x0), h / (y1 − y0)): see to_pixels."""
    west, south, east, north = box
    half = (east - west) / 2  # in the rotated frame the box runs from -half to +half
    corners = [(-half, south), (half, south), (half, north), (-half, north), (-half, south)]
    edge = np.vstack([_great_circle(a, b) for a, b in itertools.pairwise(corners)])
    x, y = equal_earth(edge[:, 0], edge[:, 1])
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def fit_scale(bounds: tuple[float, float, float, float], width: float, height: float) -> float:
    x0, y0, x1, y1 = bounds
    return min(width / (x1 - x0), height / (y1 - y0))


def to_pixels(
    x: np.ndarray, y: np.ndarray, bounds: tuple[float, float, float, float], width: float, height: float
) -> tuple[np.ndarray, np.ndarray]:
    """Raw Equal Earth (x, y) to the pixel a chart width×height fitted to bounds draws it at (as d3's
    fitSize does: scaled to fit, centred)."""
    x0, y0, x1, y1 = bounds
    k = fit_scale(bounds, width, height)
    return width / 2 + k * (np.asarray(x) - (x0 + x1) / 2), height / 2 - k * (np.asarray(y) - (y0 + y1) / 2)


WINDOW_MARGIN = 0.06  # raw Equal Earth units (≈3° at the equator) kept around the visible window


def visible_window(box: Box) -> tuple[float, float, float, float]:
    """The raw Equal Earth rectangle (x0, y0, x1, y1, in the frame rotated to the box's centre) any
    chart fitted to box can show, at any of VIEW_ASPECTS, plus WINDOW_MARGIN."""
    x0, y0, x1, y1 = fitted_bounds(box)
    width, height = x1 - x0, y1 - y0
    cx, cy = (x1 + x0) / 2, (y1 + y0) / 2
    narrowest, widest = VIEW_ASPECTS
    half_w = max(width, height * widest) / 2 + WINDOW_MARGIN
    half_h = max(height, width / narrowest) / 2 + WINDOW_MARGIN
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def visible_region(box: Box, aspects: tuple[float, float] = VIEW_ASPECTS) -> Box | None:
    """The lon/lat box a chart can show when its projection is fitted to box (d3 fitSize centres the
    box and leaves room on one side, depending on the chart's shape: width / height within aspects),
    plus a margin. None: the world."""
    x0, y0, x1, y1 = fitted_bounds(box)
    width, height = x1 - x0, y1 - y0
    cx, cy = (x1 + x0) / 2, (y1 + y0) / 2
    narrowest, widest = aspects
    half_w = max(width, height * widest) / 2
    half_h = max(height, width / narrowest) / 2
    lon, lat, gx, gy = _globe_grid()  # lon: in the frame rotated to the box's centre
    seen = (np.abs(gx - cx) <= half_w) & (np.abs(gy - cy) <= half_h)
    if not seen.any():
        return None
    centre = centre_lon(box)
    west, east = float(lon[seen].min()) - REGION_MARGIN - 1, float(lon[seen].max()) + REGION_MARGIN + 1
    if east - west >= 359 and float(lat[seen].max()) - float(lat[seen].min()) >= 2 * MAX_LATITUDE - 9:
        return None
    # Real longitudes; the region may run past ±180 (China's frame sees past the antimeridian).
    return (
        max(-180.0, west) + centre,
        max(-MAX_LATITUDE, float(lat[seen].min()) - REGION_MARGIN - 1),
        min(180.0, east) + centre,
        min(MAX_LATITUDE, float(lat[seen].max()) + REGION_MARGIN + 1),
    )


def drawn_region(box: Box, aspect: float):
    """What a map fitted to box draws at one chart shape (width / height = aspect), as a lon/lat
    polygon: test a shape with shows_part_of."""
    region = visible_region(box, (aspect, aspect))
    if region is None:
        return None
    inset = REGION_MARGIN + 1  # the region's margin is for strokes: a shape within it is not drawn
    west, south, east, north = region
    return shapely.box(west + inset, south + inset, east - inset, north - inset)


def shows_part_of(geometry, region) -> bool:
    """Whether any of geometry lies in region (drawn_region; None: the whole world is drawn)."""
    if region is None:
        return True
    # The region may run past ±180 (see visible_region): the shape is tried a world to either side too.
    return any(
        shapely.intersects(shapely.affinity.translate(geometry, xoff=shift), region)
        for shift in (-360, 0, 360)
    )


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


def _in_window(points: np.ndarray, box: Box, window: tuple[float, float, float, float]) -> bool:
    """Whether a country (its points, lon/lat) is drawn inside window on a map framed on box: a point
    inside it, or a country around it (its projected bounds hold the window's centre)."""
    x, y = project(points[:, 0], points[:, 1], box)
    x0, y0, x1, y1 = window
    if ((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).any():
        return True
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return bool(x.min() <= cx <= x.max() and y.min() <= cy <= y.max())


def compact_topology(topology: dict, region: Box | None, box: Box | None = None) -> dict:
    """The countries object only, ids only (no names: the charts look them up), only the countries
    that reach into region (None: the world), requantised to QUANTIZATION steps across the region,
    simplified below what a slide shows, delta-encoded. Shapes are not cut: what is kept is drawn
    exactly as before, so fills never change (a country crossing the antimeridian always counts).
    With the frame's box, a country also has to be drawn inside the window a chart fitted to it can
    show (visible_window): the lon/lat region of a frame reaching the pole spans every longitude."""
    arcs = _decoded_arcs(topology)
    window = visible_window(box) if box is not None else None
    kept = []
    for geometry in topology["objects"][TOPOJSON_OBJECT]["geometries"]:
        polygons = _polygons(geometry)
        ids = _arc_ids(ring for polygon in polygons for ring in polygon)
        if not ids:
            continue
        if region is not None:
            points = np.vstack([arcs[i] for i in ids])
            west, south, east, north = region
            lons = points[:, 0]
            if (
                points[:, 1].max() < south
                or points[:, 1].min() > north
                or not any(  # the region may run past ±180: its copy a turn away counts too
                    lons.max() + turn >= west and lons.min() + turn <= east for turn in (-360.0, 0.0, 360.0)
                )
            ):
                continue
            if window is not None and not _in_window(points, box, window):
                continue
        kept.append((geometry, polygons))
    used = sorted({i for _, polygons in kept for i in _arc_ids(r for p in polygons for r in p)})
    renumber = {old: new for new, old in enumerate(used)}
    every = np.vstack([arcs[i] for i in used]) if used else np.zeros((1, 2))
    low, high = every.min(axis=0), every.max(axis=0)
    if region is not None:  # the grid is as fine across the region as it would be across the world
        clamped = (max(region[0], -180.0), region[1], min(region[2], 180.0), region[3])
        if region[0] >= -180.0 and region[2] <= 180.0:
            low = np.maximum(low, clamped[:2])
            high = np.minimum(high, clamped[2:])
        else:
            low[1], high[1] = max(low[1], region[1]), min(high[1], region[3])
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
