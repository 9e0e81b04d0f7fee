"""The relations map: every relation of the focus drawn or named, sanctions pointing the right way."""

import json

import pytest

from relations.charts.relation_map import (
    MapView,
    focus_relations,
    ladder_figure,
    map_records,
    relation_map_figure,
)
from relations.citing import Footnotes
from relations.dataset import load_dataset
from relations.geo import default_world
from tests.conftest import REAL_DATA

MAX_MAP_BYTES = 250_000


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def lookup_rows(figure) -> list[dict]:
    return figure.spec["datasets"]["relations-by-country"]


def layers(figure) -> list[dict]:
    return figure.spec["vconcat"][0]["layer"]


def test_world_geometry_maps_iso_codes():
    world = default_world()
    assert len(world.countries) == 177
    codes = set(world.countries["alpha3"])
    assert {"BLR", "CHN", "RUS", "PAK", "USA", "DEU"} <= codes
    belarus = world.countries.set_index("alpha3").loc["BLR"]
    assert 23 < belarus["label_lon"] < 33 and 51 < belarus["label_lat"] < 57


@pytest.mark.parametrize("focus", ["CHN", "BLR", "RUS", "USA"])
@pytest.mark.parametrize("layer", ["ties", "sanctions"])
def test_every_relation_of_the_focus_is_drawn_or_named(dataset, focus, layer):
    figure = relation_map_figure(dataset, MapView(focus, layer))
    expected = set(focus_relations(dataset, MapView(focus, layer))["other"])
    shaded = {row["alpha3"] for row in lookup_rows(figure) if row["category"] != "no recorded relation"}
    named = {
        code
        for code in expected
        if dataset["countries"].set_index("code").loc[code, "name"] in figure.subtitle
    }
    assert expected == shaded | named
    assert len(json.dumps(figure.spec)) <= MAX_MAP_BYTES


def test_china_tiers_are_ordered_and_grey_is_not_a_category(dataset):
    figure = relation_map_figure(dataset, MapView("CHN"))
    categories = {row["alpha3"]: row["category"] for row in lookup_rows(figure)}
    assert categories["RUS"] == "tier 1: “no-limits” friendship"
    assert categories["BLR"] == categories["PAK"] == "tier 2: all-weather comprehensive strategic partnership"
    assert categories["FRA"] == "no recorded relation"
    shaded = layers(figure)[1]
    domain = shaded["encoding"]["color"]["scale"]["domain"]
    assert domain[:2] == [
        "tier 1: “no-limits” friendship",
        "tier 2: all-weather comprehensive strategic partnership",
    ]
    assert "no recorded relation" not in shaded["transform"][-1]["filter"]["oneOf"]
    assert layers(figure)[0]["mark"]["fill"] == "#d9d9d9"


def test_sanction_direction(dataset):
    china = {r["alpha3"]: r for r in lookup_rows(relation_map_figure(dataset, MapView("CHN", "sanctions")))}
    assert china["USA"]["category"] == "sanctions CHN"
    assert "United States → China" in china["USA"]["relations"]
    usa = {r["alpha3"]: r for r in lookup_rows(relation_map_figure(dataset, MapView("USA", "sanctions")))}
    assert usa["CHN"]["category"] == "sanctioned by USA"


def test_blocs_are_listed_not_dropped(dataset):
    notes = Footnotes(dataset)
    drawn, undrawn = map_records(dataset, default_world(), MapView("BLR", "sanctions"), notes)
    assert drawn.empty
    assert set(undrawn["alpha3"]) == {"EU", "WEST"}
    figure = relation_map_figure(dataset, MapView("BLR", "sanctions"))
    assert (
        "European Union (sanctions BLR)" in figure.subtitle and "The West (sanctions BLR)" in figure.subtitle
    )


def test_focus_and_selection_are_outlined_and_clickable(dataset):
    figure = relation_map_figure(dataset, MapView("CHN", "ties", selected="BLR"))
    outlines = [layer for layer in layers(figure) if layer.get("mark", {}).get("fillOpacity") == 0]
    filters = [layer["transform"][-1]["filter"] for layer in outlines]
    assert any("'CHN'" in str(f) for f in filters) and any("'BLR'" in str(f) for f in filters)
    assert figure.spec["params"][0]["name"] == "country"
    assert figure.spec["params"][0]["select"]["fields"] == ["alpha3"]
    tooltip_titles = [t["title"] for t in layers(figure)[1]["encoding"]["tooltip"]]
    assert tooltip_titles == ["Country", "With China", "Relations", "Since", "Sources"]


def test_ships_topojson_once(dataset):
    spec = relation_map_figure(dataset, MapView("CHN")).spec
    assert spec["datasets"]["world-110m"]["type"] == "Topology"
    assert json.dumps(spec).count('"Topology"') == 1


def test_ladder_names_rungs_in_order_with_holders(dataset):
    frame = ladder_figure(dataset).data
    assert list(frame["rank"]) == [1, 2]
    assert frame.iloc[0]["holders"] == "Russia"
    assert frame.iloc[1]["holders"] == "Belarus, Pakistan"
    assert set(frame["basis"]) == {"reported"}
