"""The page's maps link the world's shapes instead of carrying them: what the spec sends and where."""

import json

import pytest

from relations.charts.basemap import WORLD_DATASET
from relations.charts.relation_map import MapView, relation_map_figure
from relations.charts.trade import trade_figures
from relations.charts.world_link import linked_to_world, world_url
from relations.data.loading import load_dataset
from relations.geo import WORLD_TOPOJSON
from tests.conftest import REAL_DATA

URL = "/relations/component/pages.shared.world/countries-110m.json?v=0123456789ab"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def _world_refs(node) -> list[dict]:
    """Every data reference to the world, by name or by address, anywhere in a spec."""
    found = []
    if isinstance(node, dict):
        if node.get("name") == WORLD_DATASET or "countries-110m" in str(node.get("url", "")):
            found.append(node)
        for key, value in node.items():
            if key != "datasets":
                found += _world_refs(value)
    elif isinstance(node, list):
        for item in node:
            found += _world_refs(item)
    return found


def test_a_linked_map_sends_no_shapes_and_points_every_layer_at_the_file(dataset):
    figure = relation_map_figure(dataset, MapView("CHN", "ties"))
    inline = figure.spec
    linked = linked_to_world(inline, URL)
    assert '"Topology"' not in json.dumps(linked)
    refs = _world_refs(linked)
    assert refs and all(
        ref == {"url": URL, "format": {"type": "topojson", "feature": "countries"}} for ref in refs
    )
    assert len(refs) == len(_world_refs(inline))
    assert set(linked["datasets"]) == set(inline["datasets"]) - {WORLD_DATASET}
    assert len(json.dumps(linked)) < len(json.dumps(inline)) / 2
    # The figure's own spec (the slides') keeps its shapes.
    assert WORLD_DATASET in figure.spec["datasets"] and '"Topology"' in json.dumps(figure.spec)


def test_a_chart_without_the_world_is_left_as_it_is(dataset):
    spec = trade_figures(dataset)[0].spec
    assert linked_to_world(spec, URL) is spec


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("", "/component/x/"),
        ("relations", "/relations/component/x/"),
        ("/team/relations/", "/team/relations/component/x/"),
    ],
)
def test_the_address_is_absolute_under_any_base_path(base, expected):
    url = world_url(base, "component/x", b"{}")
    assert url.startswith(expected + "countries-110m.json?v=")


def test_the_address_changes_with_the_file():
    assert world_url("relations", "component/x", b"{}") != world_url("relations", "component/x", b"{ }")


def _layers_drawing(node, url: str) -> list[dict]:
    """Every view or layer whose own data is the linked file."""
    found = []
    if isinstance(node, dict):
        if node.get("data", {}).get("url") == url:
            found.append(node)
        for key, value in node.items():
            if key != "datasets":
                found += _layers_drawing(value, url)
    elif isinstance(node, list):
        for item in node:
            found += _layers_drawing(item, url)
    return found


@pytest.mark.parametrize("view", [MapView("CHN", "ties"), MapView("BLR", "sanctions")])
def test_each_layer_drawing_the_file_keeps_only_the_countries_its_frame_shows(dataset, view):
    """The file holds the world; a layer draws only the countries the inline (framed) copy holds."""
    inline = relation_map_figure(dataset, view).spec
    geometries = inline["datasets"][WORLD_DATASET]["objects"]["countries"]["geometries"]
    framed = {geometry["id"] for geometry in geometries if "id" in geometry}
    world = json.loads(WORLD_TOPOJSON.read_text())["objects"]["countries"]["geometries"]
    assert len(framed) < len({geometry["id"] for geometry in world if "id" in geometry})
    layers = _layers_drawing(linked_to_world(inline, URL), URL)
    assert layers
    for layer in layers:
        kept = layer["transform"][0]["filter"]
        one_of = kept["or"][1] if "or" in kept else kept
        assert set(one_of["oneOf"]) == framed
        # The shapes with no id (N. Cyprus, Somaliland, Kosovo) pass when the framed copy has any.
        assert ("or" in kept) == any("id" not in geometry for geometry in geometries)
