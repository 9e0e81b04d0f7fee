"""Rail corridors: ordered lines, crossings on the right borders, editorial basis said out loud."""

import datetime as dt

import pytest
from shapely.geometry import Point

from relations.charts.corridors import belarus_section_figure, corridor_figure, corridor_waypoints
from relations.charts.palette import CORRIDOR
from relations.citing import Footnotes
from relations.data.loading import load_dataset
from relations.geo import default_world
from tests.conftest import REAL_DATA

BORDER_TOLERANCE_DEGREES = 0.25  # Natural Earth 1:110m borders are coarse


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def test_waypoints_are_ordered_along_each_line(dataset):
    figure = corridor_figure(dataset)
    line = next(layer for layer in figure.spec["layer"] if layer["mark"]["type"] == "line")
    assert line["encoding"]["order"]["field"] == "seq"
    assert line["encoding"]["detail"]["field"] == "corridor"
    frame = figure.data
    for _, group in frame.groupby("corridor"):
        assert list(group["seq"]) == list(range(1, len(group) + 1))
        assert group.iloc[0]["role"] == "terminal" and group.iloc[-1]["role"] == "terminal"


def test_crossings_sit_on_the_border_of_the_countries_they_join(dataset):
    countries = default_world().countries.set_index("alpha3")
    crossings = dataset["waypoints"][dataset["waypoints"]["role"].isin(["border crossing", "gauge change"])]
    assert len(crossings) >= 4
    for _, waypoint in crossings.iterrows():
        first, second = waypoint["countries"]
        border = countries.loc[first].geometry.boundary.intersection(countries.loc[second].geometry.boundary)
        assert not border.is_empty, (first, second)
        distance = border.distance(Point(waypoint["lon"], waypoint["lat"]))
        assert distance <= BORDER_TOLERANCE_DEGREES, (waypoint["place"], distance)


def test_terminals_and_hubs_lie_in_their_country(dataset):
    countries = default_world().countries.set_index("alpha3")
    inland = dataset["waypoints"][dataset["waypoints"]["role"].isin(["terminal", "hub"])]
    for _, waypoint in inland.iterrows():
        assert countries.loc[waypoint["countries"][0]].geometry.contains(
            Point(waypoint["lon"], waypoint["lat"])
        ), waypoint["place"]


def test_gauge_change_is_marked_and_every_waypoint_is_editorial(dataset):
    frame = corridor_figure(dataset).data
    gauge = frame[frame["role"] == "gauge change"]
    assert list(gauge["place"]) == ["Brest–Małaszewicze"]
    assert set(frame["basis"]) == {"editorial"}
    figure = corridor_figure(dataset)
    assert "editorial" in figure.subtitle and "schematic" in figure.summary.lower()
    section = belarus_section_figure(dataset)
    assert "editorial" in section.subtitle.lower() and "Minsk" in section.summary


def test_corridor_transiting_belarus_is_set_apart(dataset):
    frame = corridor_waypoints(dataset, None, Footnotes(dataset))
    assert set(frame["transit"]) == {"via Belarus"}
    assert "BLR" in set(c for codes in dataset["waypoints"]["countries"] for c in codes)
    lines = corridor_figure(dataset).spec["layer"]
    colour = next(layer for layer in lines if layer["mark"]["type"] == "line")["encoding"]["color"]
    assert colour["scale"]["domain"] == ["via Belarus"]  # the legend lists only what is drawn
    assert colour["scale"]["range"] == [CORRIDOR["via Belarus"]]


def test_hover_names_terminals_crossings_and_sources(dataset):
    row = corridor_figure(dataset).data.iloc[0]
    assert row["terminals"] == "Beijing – Germany"
    assert "Brest–Małaszewicze" in row["crossings"]
    assert row["sources"].startswith("[")


def test_toggling_off_every_corridor_leaves_a_labelled_base_map(dataset):
    figure = corridor_figure(dataset, ())
    assert figure.data.empty
    assert figure.subtitle.startswith("No corridor selected")


def test_waypoint_markers_shrink_on_a_phone_and_keep_their_size_on_a_slide(dataset):
    """On a phone the markers at Belarus's borders and Minsk covered the yellow shape they are about."""
    import vl_convert as vlc

    from relations import render
    from relations.charts.palette import BASIS
    from relations.export import slide_spec

    render._register_fonts()
    figure = corridor_figure(dataset)

    def marker_sizes(spec: dict) -> set[float]:
        """Sizes of the plot's waypoint symbols (not the legend's)."""
        sizes, stack = set(), [vlc.vegalite_to_scenegraph(spec)["scenegraph"]]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if node.get("marktype") == "symbol" and node.get("role") == "mark":
                    sizes |= {i["size"] for i in node["items"] if i.get("fill") == BASIS["editorial"]}
                stack.extend(node.get("items", []))
        return sizes

    phone, wide = (marker_sizes({**figure.spec, "width": w}) for w in (358, 1000))
    slide = marker_sizes(slide_spec(figure, dataset.version, dt.date(2026, 1, 1)))
    assert phone and wide and slide
    assert max(phone) < min(wide) and wide == slide
