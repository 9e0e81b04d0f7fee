"""The base map every map shares: Natural Earth countries, fitted to an editorial lon/lat box."""

from typing import ClassVar

import altair as alt

from relations.charts.palette import MAP, WHITE
from relations.geo import TOPOJSON_OBJECT, Box, World

WORLD_DATASET = "world-110m"
__all__ = ["Box", "fitted_projection", "grey_countries", "in_box", "with_world", "world_shapes"]


def world_shapes() -> alt.NamedData:
    """Named once at the top level (see with_world): inline values would repeat in every layer."""
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


class SharedJSON:
    """A JSON value Altair puts into the spec as it is, shared, instead of copying it node by node
    (to_dict rebuilds every dict and list: ≈486,000 calls for the world's TopoJSON in one export).
    The value is never modified after it is made."""

    _schema: ClassVar[dict] = {"type": "object"}

    def __init__(self, value: dict) -> None:
        self.value = value

    def to_dict(self, *args, **kwargs) -> dict:
        return self.value


def with_world(world: World, box: Box | None = None) -> dict:
    """The top-level datasets a map needs: the TopoJSON, once, cut to what a map fitted to box can show
    (clamped, requantised, no properties; see World.compact). box=None sends the whole world."""
    return {WORLD_DATASET: SharedJSON(world.compact(box))}


def fitted_box(spec: dict) -> Box | None:
    """The lon/lat box a map spec's projection is fitted to (see fitted_projection), or None."""
    for part in [spec, *spec.get("layer", [])]:
        fit = (part.get("projection") or {}).get("fit")
        if isinstance(fit, dict) and fit.get("geometry", {}).get("type") == "Polygon":
            ring = fit["geometry"]["coordinates"][0]
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            return min(lons), min(lats), max(lons), max(lats)
    return None


def compact_world_datasets(spec: dict, world: World) -> dict:
    """A spec's datasets with the world cut to what its fitted projection can show (specs built before
    with_world knew the box carry the whole world)."""
    datasets = dict(spec.get("datasets") or {})
    box = fitted_box(spec)
    if WORLD_DATASET in datasets and box is not None:
        datasets[WORLD_DATASET] = world.compact(box)
    return datasets
