"""Natural Earth countries (shipped as TopoJSON) with ISO alpha-3 codes and label anchors."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import pycountry

from relations.dataset import DEFAULT_DATA_DIR

WORLD_TOPOJSON = DEFAULT_DATA_DIR / "geo" / "countries-110m.json"
TOPOJSON_OBJECT = "countries"


@dataclass(frozen=True)
class World:
    topology: dict
    countries: gpd.GeoDataFrame  # numeric, alpha3, name, geometry, label_lon, label_lat


def _alpha3(numeric: object) -> str:
    """'' for the few Natural Earth shapes with no ISO code (Kosovo, N. Cyprus, Somaliland): drawn, never coloured."""
    country = pycountry.countries.get(numeric=numeric) if isinstance(numeric, str) and numeric else None
    return country.alpha_3 if country else ""


def load_world(path: Path = WORLD_TOPOJSON) -> World:
    """The browser gets the TopoJSON as it is (≈100 KB); geopandas reads the same file for joins and anchors."""
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
