"""The page's maps fetch the world's shapes from one address instead of carrying them in their specs.

Inline, every map view re-sent 20–70 KB of TopoJSON that Streamlit encodes, decodes and encodes again
(its spec stabilisation) on the server, about a fifth of a map view's server time, and that the browser
received again on every view. Linked, the shapes are the shipped Natural Earth file, which the browser
fetches once and the proxy caches, shared by every map. Slides keep their shapes inline (cut to the
frame, World.compact): the renderer reads no addresses.
"""

import hashlib

from relations.charts.basemap import WORLD_DATASET
from relations.geo import TOPOJSON_OBJECT, WORLD_TOPOJSON
from relations.navigation import base_path_prefix

WORLD_FORMAT = {"type": "topojson", "feature": TOPOJSON_OBJECT}


def world_url(base_url_path: str, route: str, content: bytes) -> str:
    """An absolute path (the page's own address varies with the page and its trailing slash), with the
    file's digest, so a regenerated file is never taken from a cache that kept the old one."""
    digest = hashlib.sha256(content).hexdigest()[:12]
    return f"{base_path_prefix(base_url_path)}{route.strip('/')}/{WORLD_TOPOJSON.name}?v={digest}"


def linked_to_world(spec: dict, url: str) -> dict:
    """spec with every reference to the inline world (top level, layers, concatenations) pointing at url,
    and the inline copy dropped. A spec without the world is returned as it is.

    The file holds every country; the inline copy only those the frame can show (World.compact). Each
    layer drawing the file keeps just those, by id: the browser's projection otherwise ran every other
    country's outline (the Americas, Antarctica) through itself twice a view, to clip it away."""
    datasets = spec.get("datasets") or {}
    if WORLD_DATASET not in datasets:
        return spec
    linked = _relinked(spec, {"url": url, "format": WORLD_FORMAT}, _shown_countries(datasets[WORLD_DATASET]))
    linked["datasets"] = {name: rows for name, rows in datasets.items() if name != WORLD_DATASET}
    return linked


def _shown_countries(topology: dict) -> dict:
    """A Vega-Lite filter passing the countries of the inline world, and the shapes with no id (three
    small ones, never coloured) when the inline world has any."""
    geometries = topology["objects"][TOPOJSON_OBJECT]["geometries"]
    ids = sorted({geometry["id"] for geometry in geometries if "id" in geometry})
    shown = {"field": "id", "oneOf": ids}
    if len(ids) < len(geometries):
        return {"filter": {"or": [{"field": "id", "valid": False}, shown]}}
    return {"filter": shown}


def _relinked(node, data: dict, shown: dict):
    if isinstance(node, dict):
        if node.get("name") == WORLD_DATASET and set(node) <= {"name", "format"}:
            return dict(data)
        relinked = {
            key: value if key == "datasets" else _relinked(value, data, shown) for key, value in node.items()
        }
        if relinked.get("data") == data:  # a layer drawing the world
            relinked["transform"] = [shown, *relinked.get("transform", [])]
        return relinked
    if isinstance(node, list):
        return [_relinked(item, data, shown) for item in node]
    return node
