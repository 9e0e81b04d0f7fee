"""Map layout at every chart shape: the frame holds the focus and its near partners whole, off-map
partners sit at the plot's edge, labels stay inside the plot and clear of each other."""

import itertools

import numpy as np
import pandas as pd
import pytest

from relations.charts import basemap
from relations.charts.basemap import (
    ANCHOR_PAD,
    anchor_pixels,
    drawn_now,
    fit_scale,
    label_positions,
    map_height,
    with_label_layout,
)
from relations.charts.corridors import DETAIL, MIN_HEIGHT, belarus_section_figure, corridor_figure
from relations.charts.relation_map import (
    MAP_HEIGHT,
    MIN_MAP_HEIGHT,
    MapView,
    in_sentence,
    joined,
    ladder_figure,
    map_records,
    relation_map_figure,
    within_reach,
)
from relations.citing import Footnotes
from relations.data.loading import load_dataset
from relations.geo import (
    EXTENT_COLUMNS,
    VIEW_ASPECTS,
    default_world,
    fitted_bounds,
    project,
    to_pixels,
    visible_region,
)
from tests.conftest import REAL_DATA

PHONE, DESKTOP, WIDE = 310, 1000, 1400  # px: a 360 px phone's column to a wide desktop column
FOCUSES = ["CHN", "BLR", "RUS", "USA"]


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def frame_of(figure) -> tuple[float, float, float, float]:
    ring = figure.spec["projection"]["fit"]["geometry"]["coordinates"][0]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


LABELLED_MAPS = [
    lambda d: relation_map_figure(d, MapView("CHN")),
    lambda d: relation_map_figure(d, MapView("BLR", "sanctions")),
    lambda d: relation_map_figure(d, MapView("USA")),
    lambda d: corridor_figure(d),
    lambda d: belarus_section_figure(d),
]


def rows_with(figure, column: str, slide: bool = False) -> list[dict]:
    """Rows holding column in the page's spec (or the slide's)."""
    spec = figure.slide_source_spec if slide else figure.spec
    return [
        row
        for rows in spec["datasets"].values()
        if isinstance(rows, list)
        for row in rows
        if isinstance(row, dict) and column in row
    ]


@pytest.mark.parametrize("focus", FOCUSES)
def test_focus_and_near_partners_are_whole_inside_the_frame(dataset, focus):
    """Their shapes' extents (Hainan, Pakistan's coast, Russia's far east), not just label points."""
    world = default_world()
    figure = relation_map_figure(dataset, MapView(focus))
    box = frame_of(figure)
    records = map_records(dataset, world, MapView(focus), Footnotes(dataset))
    drawn = records[records["drawn"]]
    me = drawn[drawn["alpha3"] == focus].iloc[0]
    near = drawn[within_reach(drawn, (me["label_lon"], me["label_lat"]))]
    assert focus in set(near["alpha3"])
    for _, row in near.iterrows():
        west, south, east, north = (row[c] for c in EXTENT_COLUMNS)
        assert box[0] <= west and east <= box[2] + 1e-6 and box[1] <= south and north <= box[3], row["alpha3"]
    # A fitted chart shows the whole box at any shape: every corner is on the plot at both extremes.
    bounds = fitted_bounds(box)
    lon = np.array([box[0], box[2], box[0], box[2], (box[0] + box[2]) / 2])
    lat = np.array([box[1], box[1], box[3], box[3], box[1]])
    x, y = project(lon, lat, box)
    for width in (PHONE, WIDE):
        height = map_height(bounds, width, MIN_MAP_HEIGHT, MAP_HEIGHT)
        px, py = to_pixels(x, y, bounds, width, height)
        assert (px >= -0.5).all() and (px <= width + 0.5).all(), (focus, width)
        assert (py >= -0.5).all() and (py <= height + 0.5).all(), (focus, width)


def test_china_frame_holds_hainan_pakistan_and_russias_far_east(dataset):
    box = frame_of(relation_map_figure(dataset, MapView("CHN")))
    assert box[1] <= 18.2  # Hainan
    assert box[2] >= 179  # Russia's far east
    assert box[3] >= 77  # Russia's Arctic coast


def test_frame_is_centred_on_its_box(dataset):
    figure = relation_map_figure(dataset, MapView("CHN"))
    box = frame_of(figure)
    assert figure.spec["projection"]["rotate"][0] == pytest.approx(-(box[0] + box[2]) / 2)


@pytest.mark.parametrize("width", [PHONE, DESKTOP, WIDE])
def test_off_map_partners_sit_at_the_plot_edge_facing_them(dataset, width):
    figure = relation_map_figure(dataset, MapView("CHN"))
    box = frame_of(figure)
    bounds = fitted_bounds(box)
    height = map_height(bounds, width, MIN_MAP_HEIGHT, MAP_HEIGHT)
    dots = [r for r in rows_with(figure, "side") if "pin_x" in r]
    frame = pd.DataFrame(dots).drop_duplicates("alpha3").set_index("alpha3")
    x, y = anchor_pixels(frame, bounds, width, height)
    at = dict(zip(frame.index, zip(x, y, strict=True), strict=True))
    shown = dict(zip(frame.index, drawn_now(frame, bounds, width, height), strict=True))
    assert frame.loc["USA", "side"] == "east"
    assert at["USA"][0] == pytest.approx(width - ANCHOR_PAD)  # the right edge, at any width
    assert ANCHOR_PAD <= at["USA"][1] <= height - ANCHOR_PAD
    if shown["AUS"]:  # a shape that draws Australia itself labels it instead
        assert at["AUS"][1] == pytest.approx(height - ANCHOR_PAD)  # the bottom edge
    # The partner itself is off this plot wherever its edge marker is drawn.
    px, py = to_pixels(frame["X"].to_numpy(), frame["Y"].to_numpy(), bounds, width, height)
    for code, x_, y_ in zip(frame.index, px, py, strict=True):
        off = not (0 <= x_ <= width and 0 <= y_ <= height)
        assert shown[code] == off, code


def test_edge_marker_is_never_over_a_partner_or_the_focus_label(dataset):
    figure = relation_map_figure(dataset, MapView("CHN"))
    bounds = fitted_bounds(frame_of(figure))
    labels = pd.DataFrame(rows_with(figure, "min_k"))
    for width in range(300, 1500, 37):
        height = map_height(bounds, width, MIN_MAP_HEIGHT, MAP_HEIGHT)
        placed = label_positions(labels, bounds, width, height)
        placed = placed[placed["shown"]]
        assert {"China (focus)"} <= set(placed["label"]), width  # the focus is never dropped
        boxes = [(r.cx - r.half, r.cy - 9, r.cx + r.half, r.cy + 9, r.label) for r in placed.itertuples()]
        for a, b in itertools.combinations(boxes, 2):
            overlap = a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
            assert not overlap, (width, a[4], b[4])


@pytest.mark.parametrize(
    "build",
    LABELLED_MAPS,
)
def test_labels_stay_inside_the_plot_and_clear_of_each_other(dataset, build):
    figure = build(dataset)
    bounds = fitted_bounds(frame_of(figure))
    labels = pd.DataFrame(rows_with(figure, "min_k"))
    assert not labels.empty
    low = MIN_HEIGHT if figure.id.startswith("rail") else MIN_MAP_HEIGHT
    high = figure.spec["height"]
    shapes = [(width, map_height(bounds, width, low, high)) for width in (PHONE, 390, 640, DESKTOP, WIDE)]
    assert_clear(labels, bounds, shapes, figure.id)


def assert_clear(labels, bounds, shapes: list[tuple[float, float]], figure_id: str) -> None:
    """At each (width, height): every label shown inside the plot, once, overprinting no other."""
    for width, height in shapes:
        placed = label_positions(labels, bounds, width, height)
        placed = placed[placed["shown"]]
        assert (placed["cx"] - placed["half"] >= 0).all() and (placed["cx"] + placed["half"] <= width).all()
        assert (placed["cy"] >= 0).all() and (placed["cy"] <= height).all()
        assert placed["label"].is_unique, width  # one place per label at a time
        boxes = [(r.cx - r.half, r.cy - 9, r.cx + r.half, r.cy + 9, r.label) for r in placed.itertuples()]
        for a, b in itertools.combinations(boxes, 2):
            overlap = a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
            assert not overlap, (figure_id, width, height, a[4], b[4])


@pytest.mark.parametrize(
    "build",
    LABELLED_MAPS,
)
def test_slide_labels_are_laid_out_for_the_slides_shape(dataset, build):
    """A slide's plot is shorter than the page's at the same scale: its labels have a layout of their
    own, clear of each other at every height a slide leaves the map."""
    figure = build(dataset)
    labels = pd.DataFrame(rows_with(figure, "min_k", slide=True))
    assert not labels.empty
    assert_clear(labels, fitted_bounds(frame_of(figure)), basemap.slide_shapes(), figure.id)


def test_a_label_that_would_cross_an_edge_is_moved_in():
    box = DETAIL
    bounds = fitted_bounds(box)
    x, y = project([box[0]], [52.0], box)  # a point on the frame's west edge
    rows = pd.DataFrame(
        {
            "label": ["Poland–Germany border"],
            "X": x,
            "Y": y,
            "priority": [0],
            "places": [[(0.0, -18.0, "center")]],
        }
    )
    laid = with_label_layout(rows, bounds, (MIN_HEIGHT, 380))
    for width in (PHONE, WIDE):
        height = map_height(bounds, width, MIN_HEIGHT, 380)
        placed = label_positions(laid, bounds, width, height).iloc[0]
        assert placed["cx"] - placed["half"] >= basemap.EDGE_GAP - 1e-9, width
        assert placed["shown"]


def test_collisions_drop_the_lower_priority_label_not_the_focus():
    box = DETAIL
    bounds = fitted_bounds(box)
    x, y = project([27.5, 27.6], [53.9, 53.9], box)
    rows = pd.DataFrame(
        {
            "label": ["Belarus (focus)", "Somewhere close"],
            "X": x,
            "Y": y,
            "priority": [0, 5],
            "places": [[(0.0, 0.0, "center")]] * 2,
        }
    )
    laid = with_label_layout(rows, bounds, (MIN_HEIGHT, 380))
    at_phone = label_positions(laid, bounds, PHONE, map_height(bounds, PHONE, MIN_HEIGHT, 380))
    assert at_phone.set_index("label").loc["Belarus (focus)", "shown"]
    assert "Somewhere close" not in set(at_phone.loc[at_phone["shown"], "label"])


def test_a_label_moves_off_a_shape_narrower_than_itself():
    """Centred on a small shape, a label hides it (Belarus on China's map on a phone): where the shape
    is the narrower, the label sits above it; on a shape wider than the label it stays centred."""
    box = DETAIL
    bounds = fitted_bounds(box)
    x, y = project([27.5, 20.0], [53.9, 50.0], box)
    label = "Somewhere small"
    places = [(0.0, 0.0, "center"), (0.0, -20.0, "center")]
    phone_k = fit_scale(bounds, PHONE, map_height(bounds, PHONE, MIN_HEIGHT, 380))
    wide_k = fit_scale(bounds, WIDE, map_height(bounds, WIDE, MIN_HEIGHT, 380))
    # Narrower than the label on a phone, wider than it on a wide column.
    shape_width = 2 * basemap.label_half_width(label) / ((phone_k * wide_k) ** 0.5)
    rows = pd.DataFrame(
        {
            "label": [label, "Somewhere wide"],
            "X": x,
            "Y": y,
            "priority": [3, 3],
            "places": [places, places],
            "shape_width": [shape_width, np.inf],
        }
    )
    laid = with_label_layout(rows, bounds, (MIN_HEIGHT, 380))
    assert "shape_width" not in laid  # a layout input, not sent to the chart
    for width, small_oy in ((PHONE, -20.0), (WIDE, 0.0)):
        height = map_height(bounds, width, MIN_HEIGHT, 380)
        shown = laid[label_positions(laid, bounds, width, height)["shown"].to_numpy()].set_index("label")
        assert shown.loc[label, "oy"] == small_oy, width
        assert shown.loc["Somewhere wide", "oy"] == 0.0, width


def test_no_label_hides_a_small_partner_on_chinas_map(dataset):
    """Belarus is narrower than its label at every page width: its label is never centred on it."""
    figure = relation_map_figure(dataset, MapView("CHN"))
    placed = [r for r in rows_with(figure, "min_k") if r["label"] == "Belarus"]
    assert placed and all(r["oy"] != 0 for r in placed)
    assert any(r["oy"] == 0 for r in rows_with(figure, "min_k") if r["label"] == "Russia")


def test_height_follows_the_frame_shape():
    bounds = fitted_bounds((3.99, 16.2, 180.0, 83.25))
    assert map_height(bounds, PHONE, MIN_MAP_HEIGHT, MAP_HEIGHT) == MIN_MAP_HEIGHT
    assert map_height(bounds, WIDE, MIN_MAP_HEIGHT, MAP_HEIGHT) == MAP_HEIGHT
    aspect = PHONE / MIN_MAP_HEIGHT
    assert fit_scale(bounds, PHONE, MIN_MAP_HEIGHT) == pytest.approx(PHONE / (bounds[2] - bounds[0]))
    assert aspect >= VIEW_ASPECTS[0]  # no narrower than visible_region assumes


def test_page_chart_sets_its_height_from_its_width_and_fits_only_its_width(dataset):
    for figure in (
        relation_map_figure(dataset, MapView("CHN")),
        corridor_figure(dataset),
        ladder_figure(dataset),
    ):
        params = {p["name"]: p for p in figure.spec.get("params", [])}
        assert "width" in params["height"]["expr"], figure.id
        assert figure.spec["autosize"]["type"] == "fit-x", figure.id
        assert "height" not in {p["name"] for p in figure.slide_source_spec.get("params", [])}
        assert (
            "world-110m" in figure.slide_source_spec.get("datasets", {}) or figure.id == "partnership-ladder"
        )


def test_a_frame_reaching_the_pole_sends_what_it_shows_not_every_longitude():
    """Near the pole every longitude is in the lon/lat region; the countries sent are those drawn in
    the window a fitted chart can show (China's frame: no Brazil, no Argentina)."""
    box = (3.99, 16.2, 180.0, 83.25)
    region = visible_region(box)
    assert region is not None and region[2] - region[0] >= 300  # the lon/lat region spans the globe
    sent = {g.get("id") for g in default_world().compact(box)["objects"]["countries"]["geometries"]}
    assert {"156", "643", "586"} <= sent  # China, Russia, Pakistan
    assert not {"076", "032"} & sent  # Brazil, Argentina


def test_sanctions_wording_names_blocs_and_groups_as_the_data_do(dataset):
    figure = relation_map_figure(dataset, MapView("BLR", "sanctions"))
    assert figure.title == "Belarus: sanctioned by the European Union and the West"
    labels = {r["label"] for r in rows_with(figure, "min_k")}
    assert "European Union (bloc)" in labels and "The West (group)" in labels
    assert "The West (bloc)" not in labels
    assert "The European Union (bloc) sanctions Belarus" in figure.summary
    assert "the West (group) sanctions Belarus" in figure.summary


def test_in_sentence_and_joined():
    assert in_sentence("The West") == "the West"
    assert in_sentence("European Union") == "the European Union"
    assert in_sentence("United States") == "the United States"
    assert in_sentence("Belarus") == "Belarus"
    assert joined(["a"]) == "a" and joined(["a", "b", "c"]) == "a, b and c"


def test_sanction_arrows_end_on_the_sanctioned_shape_and_its_label_sits_clear(dataset):
    figure = relation_map_figure(dataset, MapView("BLR", "sanctions"))
    arrows = pd.DataFrame(rows_with(figure, "arrow"))
    belarus = default_world().countries.set_index("alpha3").loc["BLR"]
    x, y = project([belarus["label_lon"]], [belarus["label_lat"]], frame_of(figure))
    assert np.allclose(arrows["tX"], x[0]) and np.allclose(arrows["tY"], y[0])  # on Belarus's anchor
    label = next(r for r in rows_with(figure, "min_k") if r["label"] == "Belarus (focus)")
    assert label["oy"] > 0  # below the anchor: the arrows come from the blocs at the top
    blocs = pd.DataFrame(
        [r for r in rows_with(figure, "min_k") if r["label"].endswith(("(bloc)", "(group)"))]
    )
    blocs = blocs.sort_values("pin_dy")  # top to bottom
    assert (blocs["pin_x"] == 0).all()
    # Each circle left of the one above, so an arrow from above to a country below passes beside it.
    assert (blocs["pin_dx"].diff().dropna() <= -2 * 9.0).all()
    assert (blocs["align"] == "right").all() and (blocs["ox"] < 0).all()  # each label ends left of its circle
    lefts = blocs["pin_dx"] + blocs["ox"] - 2 * blocs["half"]
    assert (lefts >= 12).all()  # and every label still inside the plot
    assert all(r.get("plated") for r in rows_with(figure, "min_k") if r["label"] in set(blocs["label"]))
    # Every arrow leaves from its bloc's circle, not from somewhere past its label.
    assert set(arrows["spin_dx"]) == set(blocs["pin_dx"]) and (arrows["spin_x"] == 0).all()


def test_ladder_wraps_its_rung_names_and_marks_the_editorial_ranking(dataset):
    figure = ladder_figure(dataset)
    rows = figure.spec["datasets"][next(iter(figure.spec["datasets"]))]
    first = next(r for r in rows if r["rank"] == 1)
    assert "(ranking editorial)" in first["rung"]
    second = next(r for r in rows if r["rank"] == 2)
    assert "(ranking editorial)" not in second["rung"]
    for row in rows:  # every word kept, no line longer than its budget unless one word is
        for chars in (26, 32, 40, 50):
            lines = row[f"rung_w{chars}"].split("\n")
            assert " ".join(lines) == row["rung"]
            assert all(len(line) <= chars or " " not in line for line in lines)
    text = next(layer for layer in figure.spec["layer"] if layer["mark"].get("fontWeight") == "bold")
    assert text["mark"]["baseline"] == "top" and "limit" not in text["mark"]
