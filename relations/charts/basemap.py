"""The base map both map pages share: Natural Earth countries in grey, fitted to an editorial frame."""

import altair as alt

from relations.charts.style import NEUTRAL
from relations.geo import TOPOJSON_OBJECT, World

WORLD_DATASET = "world-110m"
EXTENTS = {  # lon/lat boxes the projection is fitted to (editorial framing)
    "eurasia": (-12.0, 8.0, 146.0, 72.0),
    "world": (-170.0, -56.0, 180.0, 80.0),
    "china-europe": (2.0, 30.0, 126.0, 62.0),
    "belarus-section": (8.0, 48.5, 40.0, 57.5),
}


def world_shapes() -> alt.NamedData:
    """Named once at the top level (see with_world): inline values would repeat in every layer (≈100 KB each)."""
    return alt.NamedData(name=WORLD_DATASET, format=alt.DataFormat(type="topojson", feature=TOPOJSON_OBJECT))


def _extent_feature(extent: str) -> dict:
    west, south, east, north = EXTENTS[extent]
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]}, "properties": {}}


def fitted_projection(extent: str, width: int, height: int, kind: str = "equalEarth") -> dict:
    """Vega-Lite merges same-type projections across concatenated panels, so a second panel needs another kind."""
    projection = alt.Projection(type=kind, fit=_extent_feature(extent), clipExtent=[[0, 0], [width, height]])
    return projection.to_dict()


def in_extent(lon: float, lat: float, extent: str) -> bool:
    west, south, east, north = EXTENTS[extent]
    return west <= lon <= east and south <= lat <= north


def grey_countries() -> alt.Chart:
    return alt.Chart(world_shapes()).mark_geoshape(fill=NEUTRAL, stroke="white", strokeWidth=0.5)


def with_world(chart: alt.TopLevelMixin, world: World, **more: list | dict) -> alt.TopLevelMixin:
    """Puts the TopoJSON (and any lookup tables) once into the top-level datasets."""
    chart.datasets = {WORLD_DATASET: world.topology, **more}
    return chart
