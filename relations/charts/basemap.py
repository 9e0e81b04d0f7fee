"""The base map every map shares: Natural Earth countries, fitted to an editorial lon/lat box."""

import altair as alt

from relations.charts.palette import MAP, WHITE
from relations.geo import TOPOJSON_OBJECT, World

WORLD_DATASET = "world-110m"
Box = tuple[float, float, float, float]  # west, south, east, north


def world_shapes() -> alt.NamedData:
    """Named once at the top level (see with_world): inline values would repeat in every layer (≈100 KB each)."""
    return alt.NamedData(name=WORLD_DATASET, format=alt.DataFormat(type="topojson", feature=TOPOJSON_OBJECT))


def _box_feature(box: Box) -> dict:
    west, south, east, north = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]}, "properties": {}}


def fitted_projection(box: Box, kind: str = "equalEarth") -> dict:
    """Fitted to whatever size the chart is given, so the same map fills a phone, a wide column or a slide.
    Marks clip themselves (clip=True) to the plot, so nothing spills past the frame."""
    return alt.Projection(type=kind, fit=_box_feature(box)).to_dict()


def in_box(lon: float, lat: float, box: Box) -> bool:
    west, south, east, north = box
    return west <= lon <= east and south <= lat <= north


def grey_countries() -> alt.Chart:
    return alt.Chart(world_shapes()).mark_geoshape(
        fill=MAP["no recorded relation"], stroke=WHITE, strokeWidth=0.5, clip=True
    )


def with_world(world: World) -> dict:
    """The top-level datasets a map needs: the TopoJSON, once."""
    return {WORLD_DATASET: world.topology}
