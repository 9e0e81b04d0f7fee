"""The relations map: every relation of the focus drawn or named, sanctions pointing the right way."""

import json

import pytest

from relations.charts.basemap import in_box
from relations.charts.palette import SELECTION_STROKE, TIER_RUNGS
from relations.charts.relation_map import (
    MapView,
    edge_points,
    focus_relations,
    frame_box,
    ladder_figure,
    map_records,
    relation_map_figure,
    shape_drawn_everywhere,
    within_reach,
)
from relations.citing import Footnotes
from relations.data.loading import load_dataset
from relations.geo import World, default_world, drawn_region, fitted_bounds, shows_part_of
from tests.conftest import REAL_DATA

MAX_MAP_BYTES = 250_000


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def lookup_rows(figure) -> list[dict]:
    return figure.spec["datasets"]["relations-by-country"]


def drawn_labels(figure) -> set[str]:
    """Every label text the map's data holds."""
    return {
        row["label"]
        for rows in figure.spec["datasets"].values()
        if isinstance(rows, list)
        for row in rows
        if isinstance(row, dict) and "label" in row
    }


def pinned_rows(figure) -> list[dict]:
    """Partners beyond the frame: a dot in their colour at the edge that faces them."""
    return [
        row
        for name, rows in figure.spec["datasets"].items()
        if name.startswith("data-")
        for row in rows
        if isinstance(row, dict) and row.get("side")
    ]


def layers(figure) -> list[dict]:
    return figure.spec["layer"]


def sanction_pairs(dataset) -> list[tuple[str, str]]:
    relations = dataset["relations"]
    rows = relations[relations["kind"] == "sanction"]
    return list(zip(rows["a"], rows["b"], strict=True))


def test_world_geometry_maps_iso_codes():
    world = default_world()
    assert len(world.countries) == 177
    codes = set(world.countries["alpha3"])
    assert {"BLR", "CHN", "RUS", "PAK", "USA", "DEU"} <= codes
    belarus = world.countries.set_index("alpha3").loc["BLR"]
    assert 23 < belarus["label_lon"] < 33 and 51 < belarus["label_lat"] < 57


@pytest.mark.parametrize("focus", ["CHN", "BLR", "RUS", "USA"])
@pytest.mark.parametrize("layer", ["ties", "sanctions"])
def test_every_relation_of_the_focus_is_drawn_or_marked(dataset, focus, layer):
    """Countries are coloured shapes; blocs and groups are labelled markers; nothing is dropped."""
    view = MapView(focus, layer)
    figure = relation_map_figure(dataset, view)
    expected = set(focus_relations(dataset, view)["other"])
    shaded = {
        row["alpha3"]
        for row in lookup_rows(figure)
        if row.get("category", "no recorded relation") != "no recorded relation"
    }
    pinned = {row["alpha3"] for row in pinned_rows(figure)}
    records = map_records(dataset, default_world(), view, Footnotes(dataset))
    markers = set(records.loc[~records["drawn"], "alpha3"])
    assert expected <= shaded | markers | pinned
    assert focus in shaded  # the focus is always drawn as itself, never as "no recorded relation"
    assert len(json.dumps(figure.spec)) <= MAX_MAP_BYTES


def test_china_tiers_are_ordered_and_the_legend_lists_only_what_is_drawn(dataset):
    figure = relation_map_figure(dataset, MapView("CHN"))
    categories = {row["alpha3"]: row.get("category", "no recorded relation") for row in lookup_rows(figure)}
    tiers = dataset["tiers"].sort_values("rank")
    # An editorial rank says so in the legend, as on the ladder: it is ours, not China's.
    first, second = (
        f"rung {r['rank']}: {r['name']}" + (" (ranking editorial)" if r["basis"] == "editorial" else "")
        for _, r in tiers.head(2).iterrows()
    )
    assert categories["RUS"] == first
    assert categories["BLR"] == categories["PAK"] == second
    assert categories["FRA"] == "no recorded relation"
    assert categories["CHN"] == "focus country"
    colour = layers(figure)[0]["encoding"]["color"]
    domain, colours = colour["scale"]["domain"], colour["scale"]["range"]
    assert domain[:2] == [first, second]
    assert colours[0] == TIER_RUNGS[0] and colours[1] == TIER_RUNGS[1]
    drawn = set(categories.values()) | {row["category"] for row in pinned_rows(figure)}
    assert set(domain) == drawn  # nothing in the legend that is not on the map


def test_sanctions_show_who_sanctions_whom_with_counts_and_arrows(dataset):
    pairs = sanction_pairs(dataset)
    target = max({b for _, b in pairs}, key=lambda b: sum(1 for _, x in pairs if x == b))
    parties = {a for a, b in pairs if b == target}
    figure = relation_map_figure(dataset, MapView(target, "sanctions"))
    rows = {r["alpha3"]: r for r in lookup_rows(figure)}
    count = min(len(parties), 3)
    assert rows[target]["category"].startswith(f"sanctioned by {count} named part")
    arrows = [layer for layer in layers(figure) if layer.get("mark", {}).get("type") == "rule"]
    assert arrows, "sanctions are drawn as arrows"
    arrow_rows = figure.spec["datasets"][arrows[0]["data"]["name"]]
    assert {row["arrow"] for row in arrow_rows} == set(
        dataset["relations"].query("kind == 'sanction' and b == @target")["id"]
    )


def test_blocs_become_labelled_markers_not_dropped(dataset):
    pairs = sanction_pairs(dataset)
    types = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    bloc_targets = {b for a, b in pairs if types[a] != "country"}
    assert bloc_targets, "the data has a bloc that sanctions someone"
    target = sorted(bloc_targets)[0]
    records = map_records(dataset, default_world(), MapView(target, "sanctions"), Footnotes(dataset))
    blocs = set(records.loc[~records["drawn"], "alpha3"])
    assert blocs == {a for a, b in pairs if b == target and types[a] != "country"}
    figure = relation_map_figure(dataset, MapView(target, "sanctions"))
    labels = {
        row["label"]
        for name, rows in figure.spec["datasets"].items()
        for row in rows
        if isinstance(row, dict) and "label" in row
    }
    names = dict(zip(dataset["countries"]["code"], dataset["countries"]["name"], strict=True))
    kinds = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    assert {f"{names[b]} ({kinds[b]})" for b in blocs} <= labels  # a bloc is a bloc, a group a group


def test_far_partners_are_pinned_to_the_edge_facing_them(dataset):
    """China's frame stays on Eurasia; the United States, across the Pacific from a map centred on
    China, is a dot at the eastern edge, Australia one at the southern edge."""
    records = map_records(dataset, default_world(), MapView("CHN"), Footnotes(dataset))
    drawn = records[records["drawn"]]
    china = drawn[drawn["alpha3"] == "CHN"].iloc[0]
    focus = (china["label_lon"], china["label_lat"])
    near = within_reach(drawn, focus)
    box = frame_box(drawn[near], focus)
    assert all(
        in_box(x, y, box) for x, y in zip(drawn[near]["label_lon"], drawn[near]["label_lat"], strict=True)
    )
    assert box[2] - box[0] < 180  # not the whole world
    edges = edge_points(drawn[~near], box).set_index("alpha3")
    assert edges.loc["USA", "side"] == "east" and edges.loc["USA", "label"] == "United States → (off map)"
    assert edges.loc["AUS", "side"] == "south" and edges.loc["AUS", "label"] == "↓ Australia (off map)"
    figure = relation_map_figure(dataset, MapView("CHN"))
    assert "United States" in figure.subtitle and "pinned to the edge" in figure.subtitle
    # Alaska is drawn at the frame's eastern edge, so the United States is not called "off map";
    # nothing of Australia is, at any shape the page or a slide draws the map at.
    shapes = default_world().countries.set_index("alpha3").geometry
    region = drawn_region(box, shape_drawn_everywhere(fitted_bounds(box)))
    assert shows_part_of(shapes["USA"], region) and not shows_part_of(shapes["AUS"], region)
    labels = drawn_labels(figure)
    assert {"United States →", "↓ Australia (off map)"} <= labels
    assert "United States → (off map)" not in labels


def test_focus_and_selection_are_outlined_in_non_semantic_strokes_and_clickable(dataset):
    figure = relation_map_figure(dataset, MapView("CHN", "ties", selected="BLR"))
    outlines = [layer for layer in layers(figure) if layer.get("mark", {}).get("fillOpacity") == 0]
    assert len(outlines) == 2
    belarus = default_world().countries.set_index("alpha3")["numeric"]["BLR"]  # the shapes' own id
    selection = next(layer for layer in outlines if f"'{belarus}'" in str(layer["transform"][-1]["filter"]))
    assert all(len(layer["transform"]) == 1 for layer in outlines)  # nothing joined to an outline
    assert selection["mark"]["stroke"] == SELECTION_STROKE and selection["mark"]["strokeDash"]
    assert SELECTION_STROKE not in layers(figure)[0]["encoding"]["color"]["scale"]["range"]
    pick = {param["name"]: param for param in figure.spec["params"]}["country"]
    assert pick["select"]["fields"] == ["alpha3"]
    tooltip_titles = [t["title"] for t in layers(figure)[0]["encoding"]["tooltip"]]
    assert tooltip_titles == ["Country", "With China", "Relations", "Since", "Sources"]


def map_frame(figure) -> tuple[float, float, float, float]:
    """The lon/lat box the map is fitted to (west, south, east, north)."""
    ring = figure.spec["projection"]["fit"]["geometry"]["coordinates"][0]
    lons, lats = [lon for lon, _ in ring], [lat for _, lat in ring]
    return min(lons), min(lats), max(lons), max(lats)


def test_a_chosen_pair_with_no_relation_in_the_layer_is_framed_and_named(dataset):
    """China has no sanction with Belarus, so Belarus' sanctions map alone is framed on Europe; chosen
    as the pair, China is outlined, so the frame takes it in and labels it. A pair beyond reach (the
    United States) leaves the frame as it was, rather than shrink Belarus to a few pixels."""
    anchors = default_world().countries.set_index("alpha3")
    china = anchors.loc["CHN", "label_lon"], anchors.loc["CHN", "label_lat"]
    alone = relation_map_figure(dataset, MapView("BLR", "sanctions"))
    assert not in_box(*china, map_frame(alone))
    paired = relation_map_figure(dataset, MapView("BLR", "sanctions", selected="CHN"))
    west, south, east, north = map_frame(paired)
    assert west <= anchors.loc["CHN", "west"] and east >= anchors.loc["CHN", "east"]
    assert south <= anchors.loc["CHN", "south"] and north >= anchors.loc["CHN", "north"]
    assert "China" in drawn_labels(paired) and "China" not in drawn_labels(alone)
    far = relation_map_figure(dataset, MapView("BLR", "sanctions", selected="USA"))
    assert map_frame(far) == map_frame(alone)


def test_ships_topojson_once(dataset):
    spec = relation_map_figure(dataset, MapView("CHN")).spec
    assert spec["datasets"]["world-110m"]["type"] == "Topology"
    assert json.dumps(spec).count('"Topology"') == 1


def test_ladder_names_rungs_in_order_with_holders(dataset):
    frame = ladder_figure(dataset).data
    assert list(frame["rank"]) == sorted(dataset["tiers"]["rank"].astype(int))
    holders = dict(zip(frame["rank"], frame["holders"], strict=True))
    assert "Russia" in holders[1]
    assert "Belarus" in holders[2] and "Pakistan" in holders[2]


def test_a_partner_too_small_for_the_map_is_named_not_pinned(dataset):
    """A country the 1:110m map has no shape for (Singapore, Malta, most islands) gets no edge marker
    at a made-up place: the subtitle names it, as it names blocs."""
    world = default_world()
    without_pakistan = World(world.topology, world.countries[world.countries["alpha3"] != "PAK"])
    figure = relation_map_figure(dataset, MapView("CHN"), world=without_pakistan)
    assert "Too small for the map's scale: Pakistan (" in figure.subtitle
    labels = drawn_labels(figure)
    assert labels and not any("Pakistan" in label for label in labels)
    assert "Pakistan" not in relation_map_figure(dataset, MapView("CHN")).subtitle.split("Beyond")[0]


def test_subtitles_say_only_what_the_map_draws(dataset):
    """No rungs sentence on a map without rungs, "1 country" not "1 countries", and a partner partly
    drawn (Alaska on China's map) listed apart from those wholly beyond the frame."""
    usa = relation_map_figure(dataset, MapView("USA"))
    assert "1 country or bloc" in usa.title
    assert usa.subtitle.startswith("The United States' recorded ties") and "rungs" not in usa.subtitle
    china = relation_map_figure(dataset, MapView("CHN"))
    assert "rungs are darker" in china.subtitle
    wholly, partly = china.subtitle.split("Partly beyond the frame")
    assert "Australia (other ties)" in wholly.split("Beyond the frame")[1] and "United States" not in wholly
    assert "United States (tension)" in partly


def _scene_items(node, dx: float = 0.0, dy: float = 0.0, mark: str | None = None):
    """Every item of a Vega scenegraph with its mark type, in the drawing's own pixels."""
    if isinstance(node, dict):
        if node.get("marktype"):
            for item in node.get("items", []):
                yield from _scene_items(item, dx, dy, node["marktype"])
            return
        x, y = dx + node.get("x", 0.0), dy + node.get("y", 0.0)
        if mark is not None:
            yield mark, node, dx, dy
        for child in node.get("items", []):
            yield from _scene_items(child, x if mark == "group" else dx, y if mark == "group" else dy)
    elif isinstance(node, list):
        for child in node:
            yield from _scene_items(child, dx, dy, mark)


@pytest.mark.parametrize(("width", "columns"), [(358, 1), (945, 2)])
def test_the_page_legend_takes_two_columns_where_they_fit(dataset, width, columns):
    """In one column the six entries of China's ties put the legend below a 900 px screen's fold;
    on a phone the longest entry needs the whole width."""
    import vl_convert as vlc

    from relations import render

    render._register_fonts()
    figure = relation_map_figure(dataset, MapView("CHN"))
    legend = [c for c in figure.spec["layer"][0]["encoding"]["color"]["scale"]["domain"]]
    scene = vlc.vegalite_to_scenegraph({**figure.spec, "width": width})["scenegraph"]
    starts = {
        round(dx + item.get("x", 0.0))
        for mark, item, dx, _ in _scene_items(scene)
        if mark == "text" and item.get("text") in legend
    }
    assert len(starts) == columns


def test_outlines_thin_as_the_map_narrows(dataset):
    """At 2.5 px on a phone, the pair's dashes turned Russia's Arctic coast into black noise."""
    import vl_convert as vlc

    from relations import render

    render._register_fonts()
    figure = relation_map_figure(dataset, MapView("CHN", "ties", selected="RUS"))

    def outline_widths(width: int) -> set[float]:
        scene = vlc.vegalite_to_scenegraph({**figure.spec, "width": width})["scenegraph"]
        return {
            item["strokeWidth"]
            for mark, item, _, _ in _scene_items(scene)
            if mark == "shape" and item.get("stroke") == SELECTION_STROKE and item.get("fillOpacity") == 0
        }

    phone, wide = outline_widths(358), outline_widths(945)
    assert phone and wide and max(phone) < 1.5 < 2.5 == min(wide)


def test_labels_pinned_to_the_edge_stand_on_a_plate_and_others_do_not(dataset):
    """An edge label stands wherever the plot has room, so it can fall on any country (Australia's fell
    on Hainan, which showed between its letters on China's slide): a plate is drawn under its text.
    Labels on their own shapes keep their halo only, so the map under them stays visible."""
    import datetime as dt

    import vl_convert as vlc

    from relations.export import slide_spec
    from relations.render import _register_fonts

    figure = relation_map_figure(dataset, MapView("CHN"))
    _register_fonts()
    scene = vlc.vegalite_to_scenegraph(slide_spec(figure, dataset.version, dt.date(2026, 1, 1)))
    items = list(_scene_items(scene["scenegraph"]))
    plates = [
        (dx + i["x"], dy + i["y"], dx + i["x"] + i["width"], dy + i["y"] + i["height"])
        for mark, i, dx, dy in items
        if mark == "rect" and i.get("opacity", 1) < 1
    ]
    texts = {
        i["text"]: (dx + i.get("x", 0.0), dy + i.get("y", 0.0))
        for mark, i, dx, dy in items
        if mark == "text" and isinstance(i.get("text"), str)
    }

    def on_plate(label: str) -> bool:
        x, y = texts[label]
        width = 6 * len(label)  # about the narrowest a 14 px bold label is
        return any(
            left <= x <= right and top <= y <= bottom and right - left >= width
            for left, top, right, bottom in plates
        )

    assert on_plate("↓ Australia (off map)") and on_plate("United States →")
    assert not on_plate("Russia") and not on_plate("Belarus")


def test_a_wide_frame_keeps_its_height_on_the_slide_and_shows_each_country_once(dataset):
    """China's frame runs from Germany to the Pacific: with its legend in one column under it, the map was
    a strip on the slide, wide enough for the whole world, and the United States (the tension colour)
    was drawn at both ends, its east coast at the far left."""
    import datetime as dt
    import re

    import vl_convert as vlc

    from relations import render
    from relations.charts.palette import TIES
    from relations.export import slide_spec

    render._register_fonts()
    spec = slide_spec(relation_map_figure(dataset, MapView("CHN")), dataset.version, dt.date(2026, 1, 1))
    spec = render.fitted_spec(spec, render.to_svg(spec)) or spec  # as the export draws it: the 960×540 frame
    scene = vlc.vegalite_to_scenegraph(spec)
    width = spec["vconcat"][0]["width"]
    xs = [
        float(x) + dx
        for mark, item, dx, _ in _scene_items(scene["scenegraph"])
        if mark == "shape" and str(item.get("fill", "")).upper() == TIES["tension"]
        for x in re.findall(r"[ML](-?[\d.]+),", item.get("shape", ""))
    ]
    assert xs, "the United States is drawn"
    assert min(xs) > width / 2, f"part of it is drawn at x={min(xs):.0f} of {width}"


def test_a_shade_that_may_count_one_party_twice_says_so(dataset):
    """The West has no member list and the EU may be part of it: 'sanctioned by 2 named parties' must say
    that the two may overlap, and a count of parties that cannot overlap must not."""
    types = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    names = dict(zip(dataset["countries"]["code"], dataset["countries"]["name"], strict=True))
    pairs = sanction_pairs(dataset)
    sanctioners = {b: {a for a, x in pairs if x == b} for _, b in pairs}
    overlapping = {b for b, by in sanctioners.items() if len(by) > 1 and any(types[a] == "group" for a in by)}
    assert overlapping, "the real data has a country sanctioned by a member-less group and another party"
    for target, by in sanctioners.items():
        subtitle = relation_map_figure(dataset, MapView(target, "sanctions")).subtitle
        if target in overlapping:
            assert "may include" in subtitle
            assert all(names[a].removeprefix("The ") in subtitle for a in by)
        else:
            assert "may include" not in subtitle


def test_a_sanctions_map_with_nothing_recorded_explains_no_arrows_or_circles(dataset):
    """China's sanctions map drew nothing, yet its subtitle explained arrows and bloc circles."""
    empty = relation_map_figure(dataset, MapView("CHN", "sanctions"))
    assert empty.title.endswith("no sanctions recorded")
    assert "Arrows" not in empty.subtitle and "circles" not in empty.subtitle
    assert "no sanctions by or on China" in empty.subtitle
    assert "Arrows point" in relation_map_figure(dataset, MapView("BLR", "sanctions")).subtitle
