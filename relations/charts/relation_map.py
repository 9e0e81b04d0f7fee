"""The relations map: a focus country's ties (ordered partnership tiers, unions, alliances, tensions)
or its sanctions (who sanctions whom, blocs included), over Natural Earth TopoJSON."""

import textwrap
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from relations.charts.basemap import (
    ANCHOR_PAD,
    PAGE_HEIGHT,
    PIN_COLUMNS,
    SIM_WIDTHS,
    SLIDE_HEIGHT,
    label_half_width,
    label_layers,
    map_height,
    pixel_chart,
    projected_map,
    raw_xy,
    slide_shapes,
    when_filter,
    with_label_layout,
    with_pins,
    with_world,
    world_shapes,
)
from relations.charts.layers import Layer, Layers
from relations.charts.palette import (
    INK,
    MAP,
    MUTED,
    SANCTIONED_BY_COUNT,
    SANCTIONER,
    SELECTION_DASH,
    SELECTION_STROKE,
    TIER_RUNGS,
    TIES,
    WHITE,
)
from relations.charts.style import (
    LABEL_SIZE,
    SLIDE_PLOT_WIDTH,
    SUBTITLE_CHARS,
    framed_figure,
    slide_plot_height,
    wrap_to_width,
)
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.figures import Figure
from relations.geo import (
    EXTENT_COLUMNS,
    TOPOJSON_OBJECT,
    VIEW_ASPECTS,
    World,
    default_world,
    drawn_region,
    fitted_bounds,
    shows_part_of,
)
from relations.profile import country_names
from relations.rows import records

LAYERS = ("ties", "sanctions")
SANCTION_KINDS = {"sanction"}
TIE_CATEGORIES = {
    "union": "union or alliance",
    "alliance": "union or alliance",
    "war": "at war",
    "tension": "tension",
}
OTHER_TIES = "other ties"  # trade, initiatives, outreach, tariffs: every other recorded kind
FOCUS = "focus country"
NONE = "no recorded relation"
IMPOSES = "imposes sanctions"
LOOKUP_DATASET = "relations-by-country"
MAP_WIDTH = 760
# The page's legend in two columns where they fit (the longest entry, rung 2's name, takes ≈370 px):
# in one, six entries put it below a 900 px screen's fold under the map.
PAGE_LEGEND_COLUMNS = alt.ExprRef(f"width >= {MAP_WIDTH} ? 2 : 1")
# The focus and pair outlines thin as the map narrows: at 2.5 px on a phone, the pair's dashes turned
# Russia's Arctic coast into black noise.
OUTLINE_WIDTH = alt.ExprRef(f"clamp(width * {2.5 / MAP_WIDTH:.5f}, 1.25, 2.5)")
RUNG = "rung"  # a category naming China's partnership rung: "rung 2: all-weather …"
MAP_HEIGHT = 420  # at most: a chart's height follows its width, to the frame's shape (height_param)
MIN_MAP_HEIGHT = 200
MIN_HALF_SPAN = (28.0, 13.0)  # lon, lat: the frame around a focus with few partners
REACH = (100.0, 50.0)  # lon, lat from the focus: partners further away are pinned to the frame's edge
FRAME_PADDING = (2.0, 2.0)  # degrees around the shapes framed
SLIDE_LEGEND_COLUMNS = 3
MAX_LON_SPAN = 179.0  # d3 draws the frame's edges as great circles: a wider box would wrap the other way
EDGE_DOT = 8.0  # px: radius of a dot pinned to an edge (size 200)
BLOC_DOT = 9.0  # px: radius of a bloc's circle (size 260)
BLOC_STEP = 30.0  # px between bloc markers, stacked from the top-left corner
BLOC_LABEL_GAP = 6.0  # px between a bloc's label and its circle
BLOC_STAGGER = 2 * BLOC_DOT  # px each bloc's circle sits left of the one above it
ARROW_BACK = 7.0  # px: the arrowhead's centre short of the target's anchor, so its tip is on the anchor
SHAPE_LABEL_BELOW = 20.0  # px: a sanctioned country's label sits below its anchor, clear of the arrows


@dataclass(frozen=True)
class MapView:
    focus: str
    layer: str = "ties"
    selected: str | None = None


def focus_relations(dataset: Dataset, view: MapView) -> pd.DataFrame:
    """The focus country's relations in this layer, one row per relation, with the counterpart."""
    relations = dataset["relations"]
    involved = relations[(relations["a"] == view.focus) | (relations["b"] == view.focus)].copy()
    in_layer = involved["kind"].isin(SANCTION_KINDS)
    involved = involved[in_layer] if view.layer == "sanctions" else involved[~in_layer]
    involved["other"] = [
        b if a == view.focus else a for a, b in zip(involved["a"], involved["b"], strict=True)
    ]
    return involved


def _tier_labels(dataset: Dataset) -> dict[str, tuple[str, str]]:
    """tier id -> (legend label, colour), highest rung darkest."""
    tiers = dataset["tiers"].sort_values("rank")
    return {
        row["id"]: (
            # The legend says what the ladder and the Overview say: an editorial rank is ours, not China's.
            f"{RUNG} {row['rank']}: {row['name']}{' (ranking editorial)' if row['basis'] == 'editorial' else ''}",
            TIER_RUNGS[min(i, len(TIER_RUNGS) - 1)],
        )
        for i, (_, row) in enumerate(tiers.iterrows())
    }


def _tie_category(rows: pd.DataFrame, tiers: dict[str, tuple[str, str]]) -> str:
    tiered = rows[rows["tier"] != ""]
    if not tiered.empty:
        return tiers[tiered.iloc[0]["tier"]][0]
    for kind in ("war", "union", "alliance", "tension"):
        if kind in set(rows["kind"]):
            return TIE_CATEGORIES[kind]
    return OTHER_TIES


def _sanction_counts(dataset: Dataset) -> dict[str, int]:
    """How many distinct parties sanction each party, over the whole dataset."""
    relations = dataset["relations"]
    sanctions = relations[relations["kind"].isin(SANCTION_KINDS)]
    return sanctions.groupby("b")["a"].nunique().to_dict()


def overlap_note(dataset: Dataset, sanctioned: list[str]) -> str:
    """A shade counts sanctioning parties as the sources name them, and a group the sources give no
    members (the West) may contain a party counted beside it (the EU): say so wherever that happens."""
    relations = dataset["relations"]
    sanctions = relations[relations["kind"].isin(SANCTION_KINDS) & relations["b"].isin(sanctioned)]
    types = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    names = country_names(dataset)
    groups, others = set(), set()
    for _, by in sanctions.groupby("b")["a"]:
        in_groups = {party for party in by if types.get(party) == "group"}
        if in_groups and len(set(by)) > 1:
            groups |= in_groups
            others |= set(by) - in_groups
    if not groups:
        return ""
    listed = joined(sorted(in_sentence(names.get(g, g)) for g in groups))
    counted_too = joined(sorted(in_sentence(names.get(o, o)) for o in others))
    return (
        f" Shades count sanctioning parties as the sources name them; {listed} may include {counted_too}, "
        f"since the sources list no members for {'it' if len(groups) == 1 else 'them'}."
    )


def _count_label(count: int) -> str:
    if count >= len(SANCTIONED_BY_COUNT):
        return f"sanctioned by {len(SANCTIONED_BY_COUNT)} or more named parties"
    # "named": counted as the sources name them, and a group without members may hold another (overlap_note)
    return f"sanctioned by {count} named part{'y' if count == 1 else 'ies'}"


def _describe(row: pd.Series, names: dict[str, str]) -> str:
    arrow = "→" if row["directed"] else "–"
    since = f" since {date_in_words(row['start'])}" if row["start"] else ""
    return f"{row['kind']} {names[row['a']]} {arrow} {names[row['b']]}{since}"


def map_records(dataset: Dataset, world: World, view: MapView, notes: Footnotes) -> pd.DataFrame:
    """One row per party the map shows in this layer (the focus included): category, what, since
    when, citation markers, and whether it has a shape (blocs and groups have none)."""
    names = country_names(dataset)
    types = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    relations = focus_relations(dataset, view)
    tiers = _tier_labels(dataset)
    counts = _sanction_counts(dataset)
    rows = []
    parties = sorted(set(relations["other"]) | {view.focus})
    for party in parties:
        group = relations[(relations["a"] == party) | (relations["b"] == party)]
        if party == view.focus:
            sanctioned = view.layer == "sanctions" and counts.get(party, 0) > 0
            category = _count_label(counts[party]) if sanctioned else FOCUS
            group = relations if view.layer == "sanctions" else relations.iloc[0:0]
        elif view.layer == "sanctions":
            category = _count_label(counts[party]) if (group["b"] == party).any() else IMPOSES
        else:
            category = _tie_category(group, tiers)
        citations = [c for ids in group["citations"] for c in ids]
        rows.append(
            {
                "alpha3": party,
                "name": names.get(party, party),
                "category": category,
                "relations": "; ".join(_describe(r, names) for _, r in group.iterrows()) or "—",
                "since": ", ".join(date_in_words(s) for s in group["start"] if s) or "not stated",
                "sources": notes.marker(citations),
                "drawn": types.get(party) == "country",
            }
        )
    frame = pd.DataFrame(
        rows, columns=["alpha3", "name", "category", "relations", "since", "sources", "drawn"]
    )
    anchors = pd.DataFrame(world.countries.drop(columns="geometry"))[
        ["alpha3", "numeric", "label_lon", "label_lat", *EXTENT_COLUMNS]
    ]
    frame = frame.merge(anchors, on="alpha3", how="left")
    # A country too small for the 1:110m map (Singapore, Malta, most islands) has no shape to colour
    # and no point to pin to an edge: it is shown as blocs are.
    frame["drawn"] = frame["drawn"] & frame["label_lon"].notna()
    return frame


def too_small(records: pd.DataFrame, types: dict[str, str]) -> pd.Series:
    """Which of records are countries the map cannot draw at its scale (the rest of the undrawn are
    blocs and groups)."""
    return ~records["drawn"] & records["alpha3"].map(types).eq("country")


def _listing(lead: str, parties: pd.DataFrame) -> str:
    """' Lead: name (category); name (category).' for the subtitle, or '' for none."""
    if parties.empty:
        return ""
    named = "; ".join(f"{n} ({c})" for n, c in zip(parties["name"], parties["category"], strict=True))
    return f" {lead}: {named}."


def legend_entries(dataset: Dataset, view: MapView, categories: set[str]) -> list[tuple[str, str]]:
    """(category, colour) for what is drawn, in reading order; the grey of 'no relation' is always drawn."""
    if view.layer == "sanctions":
        entries = [(_count_label(n), colour) for n, colour in enumerate(SANCTIONED_BY_COUNT, start=1)]
        entries.append((IMPOSES, SANCTIONER))
    else:
        entries = [*_tier_labels(dataset).values(), *TIES.items()]  # other ties last
    entries = list(dict.fromkeys(entries))
    return [e for e in entries if e[0] in categories] + [
        (label, MAP[key])
        for label, key in ((FOCUS, "focus"), (NONE, "no recorded relation"))
        if label in categories | {NONE}
    ]


def frame_box(records: pd.DataFrame, focus_lonlat: tuple[float, float]) -> tuple[float, float, float, float]:
    """The smallest lon/lat box holding the focus and every partner given whole (their shapes, not
    just their label points: Hainan, Pakistan's coast, Russia's far east), so that at any chart shape
    none is cut (fitSize shows the whole box, and more on one side). records: the focus and its near
    partners, with their extents."""
    west, east = records["west"].min() - FRAME_PADDING[0], records["east"].max() + FRAME_PADDING[0]
    south, north = records["south"].min() - FRAME_PADDING[1], records["north"].max() + FRAME_PADDING[1]
    if east - west < 2 * MIN_HALF_SPAN[0]:  # a focus with few partners near: some context around it
        west, east = (
            min(west, focus_lonlat[0] - MIN_HALF_SPAN[0]),
            max(east, focus_lonlat[0] + MIN_HALF_SPAN[0]),
        )
    if north - south < 2 * MIN_HALF_SPAN[1]:
        south, north = (
            min(south, focus_lonlat[1] - MIN_HALF_SPAN[1]),
            max(north, focus_lonlat[1] + MIN_HALF_SPAN[1]),
        )
    west, east = max(west, -180.0), min(east, 180.0)
    if east - west > MAX_LON_SPAN:  # keep the focus's side whole
        if focus_lonlat[0] - west > east - focus_lonlat[0]:
            west = east - MAX_LON_SPAN
        else:
            east = west + MAX_LON_SPAN
    return west, max(south, -60.0), east, min(north, 84.0)


def within_reach(records: pd.DataFrame, focus_lonlat: tuple[float, float]) -> pd.Series:
    """Partners close enough to share the focus's frame; the rest sit at its edge. A frame stretched to
    the United States and Australia would shrink China to a few pixels on a phone."""
    return (
        ((records["label_lon"] - focus_lonlat[0]).abs() <= REACH[0])
        & ((records["label_lat"] - focus_lonlat[1]).abs() <= REACH[1])
    ).astype(bool)


def _raw(frame: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.DataFrame:
    """frame with X, Y: its label points in the raw projection of a map framed on box."""
    frame = frame.copy()
    x, y = (
        raw_xy(frame["label_lon"].to_numpy(), frame["label_lat"].to_numpy(), box) if len(frame) else ([], [])
    )
    frame["X"], frame["Y"] = x, y
    return frame


def shape_drawn_everywhere(bounds: tuple[float, float, float, float]) -> float:
    """The chart shape (width / height) whose view every shape of the map holds: the page's map runs
    from a phone column to a wide one (its height follows its width, basemap.height_param), a slide is
    wider still, and a wider chart shows more longitude, a narrower one more latitude. So a shape
    drawn at this one is drawn at every one: the frame's own shape, within that range."""
    x0, y0, x1, y1 = bounds
    aspects = [w / map_height(bounds, w, MIN_MAP_HEIGHT, MAP_HEIGHT) for w in SIM_WIDTHS]
    return min(max((x1 - x0) / (y1 - y0), min(aspects)), max(*aspects, VIEW_ASPECTS[1]))


def partly_drawn_partners(
    far: pd.DataFrame, world: World, box: tuple[float, float, float, float]
) -> frozenset[str]:
    """Which partners beyond the frame still have part of their shape drawn at every chart shape."""
    region = drawn_region(box, shape_drawn_everywhere(fitted_bounds(box)))
    shapes = world.countries[world.countries["alpha3"].isin(set(far["alpha3"]))]
    return frozenset(
        code
        for code, shape in zip(shapes["alpha3"], shapes.geometry, strict=True)
        if shows_part_of(shape, region)
    )


def edge_points(
    far: pd.DataFrame, box: tuple[float, float, float, float], partly_drawn: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """Partners beyond the frame, each a dot pinned to the plot's edge that faces it (in pixels, so it
    is at the edge at every chart shape): on the west or east edge at the height its latitude is drawn
    at, on the south or north edge where its longitude is; its label beside the dot, pointing the way.
    A partner some of whose shape the map draws at every chart shape (partly_drawn: Alaska on China's
    map) is not said to be "off map": its arrow says which way the rest of it is."""
    west, south, east, _north = box
    middle, half = (west + east) / 2, (east - west) / 2
    rows = []
    for _, row in _raw(far, box).iterrows():
        # East or west as the map is drawn: centred on the frame, so the United States is east of China.
        lon, lat = (row["label_lon"] - middle + 180) % 360 - 180, row["label_lat"]
        side = "west" if lon < -half else "east" if lon > half else "south" if lat < south else "north"
        pins = {
            "west": {"pin_x": 0, "pin_dx": ANCHOR_PAD},
            "east": {"pin_x": 1, "pin_dx": -ANCHOR_PAD},
            "south": {"pin_y": 1, "pin_dy": -ANCHOR_PAD},
            "north": {"pin_y": 0, "pin_dy": ANCHOR_PAD},
        }[side]
        arrow = {"west": "← ", "east": "", "south": "↓ ", "north": "↑ "}[side]
        off = "" if row["alpha3"] in partly_drawn else " (off map)"
        label = f"{arrow}{row['name']}{' →' if side == 'east' else ''}{off}"
        leftwards = side == "east" or (side in ("south", "north") and lon > 0)
        rows.append(
            {
                **row.to_dict(),
                **pins,
                "side": side,
                "label": label,
                # Beside the dot, else above it, else below it (toward the plot's inside).
                "places": [
                    (-(EDGE_DOT + 4), 0.0, "right") if leftwards else (EDGE_DOT + 4, 0.0, "left"),
                    (EDGE_DOT, -(EDGE_DOT + 12), "right")
                    if leftwards
                    else (-EDGE_DOT, -(EDGE_DOT + 12), "left"),
                    (EDGE_DOT, EDGE_DOT + 12, "right") if leftwards else (-EDGE_DOT, EDGE_DOT + 12, "left"),
                ],
                "when": "off",  # at a shape that shows the partner itself, its shape is labelled instead
            }
        )
    columns = [*far.columns, "X", "Y", *PIN_COLUMNS, "side", "label", "places", "when"]
    return with_pins(pd.DataFrame(rows, columns=columns))


def bloc_markers(records: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
    """Blocs and groups have no shape: each becomes a labelled circle stacked down from the plot's
    top-left corner (in pixels: an editorial position, said so in the subtitle), so it can still carry
    its arrows. Its label says whether it is a bloc or a group, as the data do. The labels come first,
    each ending at its circle, and the arrows leave from the circles: an arrow starting after its
    label's end read, on a phone, as coming from nowhere, and one leaving a circle left of its label
    would cross the labels below."""
    blocs = records[~records["drawn"]].reset_index(drop=True).copy()
    blocs["label"] = [
        f"{n} ({types.get(c, 'group')})" for n, c in zip(blocs["name"], blocs["alpha3"], strict=True)
    ]
    # Each circle a step left of the one above: an arrow from a circle to a country straight below
    # passed through every circle under it, and read as one chain (the European Union → the West →
    # Belarus). The first circle sits far enough right that every label still fits inside the plot.
    room = max(
        (2 * label_half_width(t) + BLOC_STAGGER * i for i, t in enumerate(blocs["label"])), default=0.0
    )
    first = ANCHOR_PAD + 4 + room + BLOC_LABEL_GAP + BLOC_DOT
    blocs["pin_x"], blocs["pin_dx"] = 0, [first - BLOC_STAGGER * i for i in range(len(blocs))]
    blocs["pin_y"] = 0
    blocs["pin_dy"] = [ANCHOR_PAD + 8 + BLOC_STEP * i for i in range(len(blocs))]
    blocs["X"], blocs["Y"] = 0.0, 0.0
    blocs["places"] = [[(-(BLOC_DOT + BLOC_LABEL_GAP), 0.0, "right")]] * len(blocs)
    blocs["when"] = "always"
    blocs["side"] = "bloc"
    return blocs


ARTICLE_NAMES = ("European ", "United ", "Czech ", "Netherlands", "Philippines")


def in_sentence(name: str) -> str:
    """A party's name as it reads mid-sentence: "the European Union", "the West", "the United States"."""
    if name.startswith("The "):
        return "the " + name[4:]
    if name.startswith(ARTICLE_NAMES):
        return "the " + name
    if name.startswith("Other "):
        return name[0].lower() + name[1:]
    return name


def possessive(name: str) -> str:
    """A party's name opening a sentence, as its owner: "China's", "The United States'"."""
    name = in_sentence(name)
    return name[0].upper() + name[1:] + ("'" if name.endswith("s") else "'s")


def joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def arrows(dataset: Dataset, view: MapView, points: pd.DataFrame) -> pd.DataFrame:
    """From sanctioning party to sanctioned party, one row per arrow: both ends (raw X/Y or pins) and
    what it says. It ends on the sanctioned party's anchor, inside its shape."""
    where = {row["alpha3"]: row for _, row in points.iterrows()}
    names = country_names(dataset)
    rows = []
    for _, relation in focus_relations(dataset, view).iterrows():
        if relation["a"] not in where or relation["b"] not in where:
            continue
        source, target = where[relation["a"]], where[relation["b"]]
        row = {"arrow": relation["id"], "what": f"{names[relation['a']]} sanctions {names[relation['b']]}"}
        for prefix, end in (("s", source), ("t", target)):
            for column in ("X", "Y", "pin_x", "pin_dx", "pin_y", "pin_dy"):
                row[prefix + column] = end[column]
        rows.append(row)
    columns = ["arrow", "what"] + [
        p + c for p in "st" for c in ("X", "Y", "pin_x", "pin_dx", "pin_y", "pin_dy")
    ]
    return pd.DataFrame(rows, columns=columns)


def _headline(view: MapView, records: pd.DataFrame, dataset: Dataset, focus_name: str) -> str:
    if view.layer == "ties":
        partners = len(records) - 1
        parties = "country or bloc" if partners == 1 else "countries and blocs"
        return (
            f"{focus_name}: recorded ties with {partners} {parties}"
            if partners
            else f"{focus_name}: no recorded ties"
        )
    relations = focus_relations(dataset, view)
    names = country_names(dataset)
    pairs = list(zip(relations["a"], relations["b"], strict=True))
    by = sorted({in_sentence(names[a]) for a, b in pairs if b == view.focus}, key=str.lower)
    on = sorted({in_sentence(names[b]) for a, b in pairs if a == view.focus}, key=str.lower)
    parts = ([f"sanctioned by {joined(by)}"] if by else []) + ([f"sanctions {joined(on)}"] if on else [])
    return f"{focus_name}: {'; '.join(parts)}" if parts else f"{focus_name}: no sanctions recorded"


def _shape_labels(
    points: pd.DataFrame, view: MapView, targets: set[str], priority: dict[str, int], box
) -> pd.DataFrame:
    """Labels of the drawn countries: centred on the anchor, or below it for a sanctioned party (its
    arrows end on the anchor)."""
    labels = with_pins(_raw(points, box))
    labels["label"] = [
        f"{n} (focus)" if c == view.focus else n
        for n, c in zip(labels["name"], labels["alpha3"], strict=True)
    ]
    below, above = (0.0, SHAPE_LABEL_BELOW, "center"), (0.0, -SHAPE_LABEL_BELOW, "center")
    labels["places"] = [
        [below, above] if c in targets else [(0.0, 0.0, "center"), above, below] for c in labels["alpha3"]
    ]
    labels["priority"] = [priority.get(c, 9) for c in labels["alpha3"]]
    labels["when"] = "always"
    west_x, _ = raw_xy(labels["west"].to_numpy(), labels["label_lat"].to_numpy(), box)
    east_x, _ = raw_xy(labels["east"].to_numpy(), labels["label_lat"].to_numpy(), box)
    labels["shape_width"] = np.abs(east_x - west_x)
    return labels


def _label_priority(records: pd.DataFrame, view: MapView, legend: list[tuple[str, str]]) -> dict[str, int]:
    """The focus and the pair first (never dropped), then parties with no other label (blocs, partners
    beyond the frame), then the closest ties (legend order)."""
    order = {category: i for i, (category, _) in enumerate(legend)}
    return {
        code: 0 if code in (view.focus, view.selected) else 2 + order.get(category, len(order))
        for code, category in zip(records["alpha3"], records["category"], strict=True)
    }


def _rungs(records: pd.DataFrame) -> pd.Series:
    return records["category"].astype(str).str.startswith(f"{RUNG} ")


def draws_rungs(figure: Figure) -> bool:
    """Whether the map colours a country by China's partnership rung, which the ladder explains."""
    return bool(_rungs(figure.data).any())


def pair_in_reach(
    world: World, view: MapView, drawn: pd.DataFrame, focus_lonlat: tuple[float, float], names: dict
) -> pd.DataFrame:
    """The pair's country (its name, anchor and extents) when the frame should hold it and would not: a
    country with no relation in this layer (China on Belarus' sanctions map) was chosen, outlined and
    described below the map, but left outside the frame, so the outline was nowhere to be seen. Empty
    when there is no pair, when it is framed already, or when it lies beyond reach (it would shrink the
    focus to a few pixels)."""
    countries = world.countries
    columns = ["alpha3", "name", "label_lon", "label_lat", *EXTENT_COLUMNS]
    row = pd.DataFrame(countries.loc[countries["alpha3"] == view.selected, columns])
    if row.empty or view.selected in set(drawn["alpha3"]) or not within_reach(row, focus_lonlat).all():
        return row.iloc[0:0]
    return row.assign(name=names.get(view.selected, row["name"].iloc[0]))


def relation_map_figure(
    dataset: Dataset, view: MapView, world: World | None = None, notes: Footnotes | None = None
) -> Figure:
    world = world or default_world()
    notes = (notes or Footnotes(dataset)).scope()
    names = country_names(dataset)
    types = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    focus_name = names.get(view.focus, view.focus)
    records = map_records(dataset, world, view, notes)
    focus_row = records[records["alpha3"] == view.focus].iloc[0]
    drawn = records[records["drawn"]]
    focus_lonlat = (focus_row["label_lon"], focus_row["label_lat"])
    near = within_reach(drawn, focus_lonlat)
    pair = pair_in_reach(world, view, drawn, focus_lonlat, names)
    box = frame_box(pd.concat([drawn[near], pair]), focus_lonlat)
    bounds = fitted_bounds(box)
    far = drawn[~near]
    partly_drawn = partly_drawn_partners(far, world, box)
    edges = edge_points(far, box, partly_drawn)
    # Blocs carry arrows on the sanctions layer, so they need a place there; on the ties layer a marker
    # would sit on some unrelated country, so they are named in the subtitle instead.
    blocs = (
        bloc_markers(records, types) if view.layer == "sanctions" else bloc_markers(records.iloc[0:0], types)
    )
    legend = legend_entries(dataset, view, set(drawn["category"]))  # blocs are markers, not legend colours
    everyone = pd.DataFrame(world.countries.drop(columns="geometry"))[["numeric", "alpha3", "name"]]
    everyone = everyone[everyone["numeric"] != ""].merge(
        drawn[["alpha3", "category", "relations", "since", "sources"]], on="alpha3", how="left"
    )
    everyone = everyone.fillna({"category": NONE, "relations": "—", "since": "—", "sources": ""})
    pick = alt.selection_point(name="country", fields=["alpha3"], on="click", clear="dblclick")
    tooltip = [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip("category:N", title=f"With {focus_name}"),
        alt.Tooltip("relations:N", title="Relations"),
        alt.Tooltip("since:N", title="Since"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    joined_shapes = (
        Layer(world_shapes())
        .transform_lookup(
            lookup="id",
            from_=alt.LookupData(
                data=alt.NamedData(name=LOOKUP_DATASET),
                key="numeric",
                fields=["alpha3", "name", "category", "relations", "since", "sources"],
            ),
        )
        .transform_calculate(  # a country with no recorded relation is sent with its name only
            category=f"datum.category || '{NONE}'",
            relations="datum.relations || '—'",
            since="datum.since || '—'",
            sources="datum.sources || ''",
        )
    )
    colour_scale = alt.Scale(domain=[c for c, _ in legend], range=[colour for _, colour in legend])

    def coloured_shapes(legend_columns: int | alt.ExprRef) -> Layer:
        return (
            joined_shapes.mark_geoshape(stroke=WHITE, strokeWidth=0.6, clip=True)
            .encode(
                color=alt.Color(
                    "category:N",
                    title=None,
                    scale=colour_scale,
                    legend=alt.Legend(
                        orient="bottom",
                        columns=legend_columns,
                        labelLimit=0,
                        symbolStrokeColor=INK,
                        symbolStrokeWidth=0.5,
                    ),
                ),
                tooltip=tooltip,
            )
            .add_params(pick)
        )

    # An outline needs only its country's shape: picked by the shapes' own id before anything is joined
    # to them, the browser draws it without repeating the lookup for every country (≈0.1 of a hello
    # page's time, benchmarks/page_parts.py). A country without a numeric code has no shape to outline.
    numeric = dict(zip(everyone["alpha3"], everyone["numeric"], strict=True))
    outlined = [(view.focus, {"stroke": INK})]
    if view.selected:
        outlined.append((view.selected, {"stroke": SELECTION_STROKE, "strokeDash": SELECTION_DASH}))
    outlines = [
        Layer(world_shapes())
        .transform_filter(alt.datum.id == numeric[code])
        .mark_geoshape(fillOpacity=0, strokeWidth=OUTLINE_WIDTH, clip=True, **stroke)
        for code, stroke in outlined
        if code in numeric
    ]
    in_frame = with_pins(_raw(drawn[near], box))
    lines = (
        arrows(dataset, view, pd.concat([in_frame, blocs], ignore_index=True))
        if view.layer == "sanctions"
        else arrows(dataset, MapView(view.focus, "ties"), in_frame.iloc[0:0])
    )
    priority = _label_priority(records, view, legend)
    targets = (
        set(lines["arrow"].map(dict(zip(dataset["relations"]["id"], dataset["relations"]["b"], strict=True))))
        if not lines.empty
        else set()
    )
    label_rows = pd.concat(
        [
            _shape_labels(drawn[near], view, targets, priority, box),
            _shape_labels(pair, view, targets, priority, box).assign(priority=0),
            # A partner beyond the frame that a wide or tall chart shows anyway: labelled on its shape.
            _shape_labels(drawn[~near], view, targets, priority, box).assign(when="on"),
            edges.assign(priority=1, plated=True),
            blocs.assign(priority=1, plated=True),
        ],
        ignore_index=True,
    ).fillna({"plated": False})
    obstacles = pd.concat([edges.assign(r=EDGE_DOT), blocs.assign(r=BLOC_DOT)], ignore_index=True)
    label_input = label_rows[
        ["alpha3", "label", "X", "Y", "places", "priority", "when", "shape_width", "plated", *PIN_COLUMNS]
    ]
    obstacle_input = obstacles[["X", "Y", *PIN_COLUMNS, "r", "when"]] if not obstacles.empty else None
    # Laid out for the page's shapes and, apart, for the slide's: the slide's plot is shorter than a
    # page's at the same scale, and labels the page keeps apart would overprint there.
    laid = {
        h: with_label_layout(label_input, bounds, (MIN_MAP_HEIGHT, MAP_HEIGHT), obstacle_input, sizes)
        for h, sizes in ((PAGE_HEIGHT, None), (SLIDE_HEIGHT, slide_shapes()))
    }

    def pixel_layers(h: str) -> list[Layer]:
        """Arrows, markers and labels, in pixels of a plot whose height signal is h."""
        layers: list[Layer] = []
        if not lines.empty:
            back = ARROW_BACK
            ends = (
                pixel_chart(lines, bounds, ("s", "t"), h)
                .transform_calculate(
                    length="max(1, sqrt(pow(datum.tax - datum.sax, 2) + pow(datum.tay - datum.say, 2)))",
                )
                .transform_calculate(
                    hx=f"datum.tax - {back} * (datum.tax - datum.sax) / datum.length",
                    hy=f"datum.tay - {back} * (datum.tay - datum.say) / datum.length",
                    angle="atan2(datum.tax - datum.sax, datum.say - datum.tay) * 180 / PI",
                )
                .encode(tooltip=alt.Tooltip("what:N", title="Sanction"))
            )
            layers += [
                ends.mark_rule(color=INK, strokeWidth=2).encode(
                    x=alt.X("sax:Q", scale=None, axis=None),
                    y=alt.Y("say:Q", scale=None, axis=None),
                    x2=alt.X2("hx:Q"),
                    y2=alt.Y2("hy:Q"),
                ),
                ends.mark_point(shape="triangle-up", filled=True, size=170, color=INK, opacity=1).encode(
                    x=alt.X("hx:Q", scale=None, axis=None),
                    y=alt.Y("hy:Q", scale=None, axis=None),
                    angle=alt.Angle("angle:Q", scale=None),
                ),
            ]
        dot_columns = [
            "alpha3",
            "name",
            "category",
            "relations",
            "since",
            "sources",
            "X",
            "Y",
            *PIN_COLUMNS,
            "when",
        ]
        if not blocs.empty:
            layers.append(
                pixel_chart(blocs[dot_columns], bounds, h=h)
                .mark_point(
                    shape="circle", size=260, filled=True, color=WHITE, stroke=INK, strokeWidth=2, opacity=1
                )
                .encode(
                    x=alt.X("ax:Q", scale=None, axis=None),
                    y=alt.Y("ay:Q", scale=None, axis=None),
                    tooltip=tooltip,
                )
            )
        if not edges.empty:  # a dot in the partner's colour at the edge facing it
            layers.append(
                pixel_chart(edges[[*dot_columns, "side"]], bounds, h=h)
                .transform_filter(when_filter(h))
                .mark_point(shape="circle", size=200, filled=True, stroke=INK, strokeWidth=1, opacity=1)
                .encode(
                    x=alt.X("ax:Q", scale=None, axis=None),
                    y=alt.Y("ay:Q", scale=None, axis=None),
                    color=alt.Color("category:N", scale=colour_scale),
                    tooltip=tooltip,
                )
            )
        return [*layers, *label_layers(laid[h], bounds, WHITE, INK, h)]

    # On the slide the legend runs in columns under the map: in one column it took the map's height,
    # and a wide frame (China's) drawn as a strip showed the whole world, the United States at both ends.
    slide_chart = projected_map(
        [coloured_shapes(SLIDE_LEGEND_COLUMNS), *outlines, *pixel_layers(SLIDE_HEIGHT)],
        box,
        MAP_WIDTH,
        MAP_HEIGHT,
    )
    chart = projected_map(
        [coloured_shapes(PAGE_LEGEND_COLUMNS), *outlines, *pixel_layers(PAGE_HEIGHT)],
        box,
        MAP_WIDTH,
        MAP_HEIGHT,
        (MIN_MAP_HEIGHT, MAP_HEIGHT),
    )
    if view.layer == "sanctions" and focus_relations(dataset, view).empty:  # no arrows or circles to explain
        subtitle = f"The sources report no sanctions by or on {focus_name}."
    elif view.layer == "sanctions":
        subtitle = (
            f"Who sanctions {focus_name} and whom {focus_name} sanctions, as the sources report it. Arrows point from the "
            "sanctioning party to the sanctioned one; blocs and groups (circles at the top, after their names) have no member list in the "
            "sources, so they are markers, not shapes."
        )
        sanctioned = records.loc[records["category"].str.startswith("sanctioned by"), "alpha3"]
        subtitle += overlap_note(dataset, list(sanctioned))
        if (small := too_small(records, types)).any():
            subtitle += f" Too small for the map's scale, so circles there too: {joined(list(records.loc[small, 'name']))}."
    else:
        subtitle = f"{possessive(focus_name)} recorded ties by kind"
        subtitle += (
            "; China's partnership rungs are darker the closer they are." if _rungs(drawn).any() else "."
        )
        small = too_small(records, types)
        subtitle += _listing("Blocs and groups, which have no shape", records[~records["drawn"] & ~small])
        subtitle += _listing("Too small for the map's scale", records[small])
    partly = edges["alpha3"].isin(partly_drawn)
    subtitle += _listing("Beyond the frame, pinned to the edge that faces them", edges[~partly])
    subtitle += _listing(
        "Partly beyond the frame, pinned to the edge that faces the rest of them", edges[partly]
    )
    subtitle += " Natural Earth borders; framing is editorial."
    data = records.drop(columns=["drawn", "numeric", "label_lon", "label_lat", *EXTENT_COLUMNS])
    sent = {g.get("id") for g in world.compact(box)["objects"][TOPOJSON_OBJECT]["geometries"]}
    lookup = everyone[everyone["numeric"].isin(sent)]  # a country the frame cannot show needs no row
    datasets = {**with_world(world, box), LOOKUP_DATASET: _lookup_rows(lookup)}
    slide_chart.datasets = datasets
    return framed_figure(
        f"map-{view.focus.lower()}-{view.layer}",
        _headline(view, records, dataset, focus_name),
        subtitle,
        chart,
        notes,
        data,
        summary=_summary(dataset, view, records, types),
        datasets=datasets,
        slide_chart=slide_chart,  # a slide sets its own size
    )


def _lookup_rows(lookup: pd.DataFrame) -> list[dict]:
    """One row per country the frame can show; one with no recorded relation carries only its id,
    code and name (the map fills in the rest), which keeps the spec small."""
    return [
        row if row["category"] != NONE else {k: row[k] for k in ("numeric", "alpha3", "name")}
        for row in records(lookup)
    ]


def _summary(dataset: Dataset, view: MapView, records: pd.DataFrame, types: dict[str, str]) -> str:
    """The text alternative: each party and its tie; on the sanctions layer, who sanctions whom."""
    if view.layer == "sanctions":
        names = country_names(dataset)
        relations = focus_relations(dataset, view)
        sentences = [
            f"{in_sentence(names[a])} ({types.get(a, 'country')}) sanctions {in_sentence(names[b])}"
            if types.get(a, "country") != "country"
            else f"{in_sentence(names[a])} sanctions {in_sentence(names[b])}"
            for a, b in zip(relations["a"], relations["b"], strict=True)
        ]
        focus = records[records["alpha3"] == view.focus].iloc[0]
        if not sentences:
            return "Map. No recorded sanction."
        text = "; ".join(sentences)
        return f"Map. {text[0].upper()}{text[1:]}. {names.get(view.focus, view.focus)}: {focus['category']}."
    summary = "; ".join(
        f"{r['name']}: {r['category']}" for _, r in records.iterrows() if r["alpha3"] != view.focus
    )
    return f"Map. {summary or 'No recorded relation in this layer'}."


LADDER_WRAPS = (26, 32, 40, 50)  # characters a line: the widths a rung name is wrapped at, narrowest first
LADDER_TEXT_X = 32  # px: where the text starts, right of the swatch
RUNG_CHAR = 8.6  # px a character of a 16 px bold rung name takes, generously
RUNG_LINE, HOLDER_LINE, RUNG_GAP = 20, 18, 22  # px


def _wraps(text: str) -> dict[str, object]:
    """text as lines at each of LADDER_WRAPS (words kept whole, never cut)."""
    out: dict[str, object] = {}
    for chars in LADDER_WRAPS:
        lines = textwrap.wrap(text, chars, break_long_words=False) or [text]
        out[f"w{chars}"], out[f"n{chars}"] = "\n".join(lines), len(lines)  # a string: tables go as Arrow
    out["len"] = len(text)
    return out


def _lines_expression(prefix: str, what: str) -> str:
    """The lines (what='w') or their count (what='n') of a wrapped text for the chart's width."""
    fit = f"floor((width - {LADDER_TEXT_X + 8}) / {RUNG_CHAR})"
    whole = f"[datum.{prefix}]" if what == "w" else "1"

    def wrapped(chars: int) -> str:
        field = f"datum.{prefix}_{what}{chars}"
        return f"split({field}, '\\n')" if what == "w" else field

    expression = wrapped(LADDER_WRAPS[0])
    for chars in LADDER_WRAPS[1:]:
        expression = f"{fit} >= {chars} ? {wrapped(chars)} : {expression}"
    return f"{fit} >= datum.{prefix}_len ? {whole} : {expression}"


# The slide has room the page column has not: each rung in slide type, with what the sources say it
# means (on the page, in its tooltip), laid out here at the slide's fixed width.
SLIDE_RUNG, SLIDE_HOLDERS, SLIDE_MEANING = (20, 26), (16, 21), (14, 19)  # px: type size, line height
SLIDE_SWATCH, SLIDE_TEXT_X, SLIDE_ROW_GAP = 22, 40, 20
SLIDE_FOOTER_LINES = 4  # sources and version: room for one more line than the ladder's sources take


def _ladder_lines(frame: pd.DataFrame, width: float, meanings: bool) -> tuple[pd.DataFrame, float]:
    """One row per line of text (its rung, y, kind), wrapped to width; and the height they take."""
    lines, y = [], 0.0
    for _, row in frame.iterrows():
        parts = [("rung", row["rung"], SLIDE_RUNG, True), ("holders", row["holders"], SLIDE_HOLDERS, False)]
        if meanings:
            parts.append(("meaning", row["meaning"], SLIDE_MEANING, False))
        for kind, text, (size, leading), bold in parts:
            for line in wrap_to_width(text, width, size, bold):
                lines.append(
                    {"rank": row["rank"], "kind": kind, "text": line, "y": y, "colour": row["colour"]}
                )
                y += leading
        y += SLIDE_ROW_GAP
    return pd.DataFrame(lines), y - SLIDE_ROW_GAP


def _ladder_slide(frame: pd.DataFrame, subtitle_lines: int) -> Layers | None:
    """The ladder at slide size, with each rung's meaning if all of them fit, else without; None if even
    that does not fit (the page's compact chart is used)."""
    room = slide_plot_height(subtitle_lines, SLIDE_FOOTER_LINES)
    width = SLIDE_PLOT_WIDTH
    for meanings in (True, False):
        lines, height = _ladder_lines(frame, width - SLIDE_TEXT_X, meanings)
        if height <= room:
            break
    else:
        return None
    firsts = lines[lines["kind"] == "rung"].drop_duplicates("rank")
    swatches = (
        Layer(firsts)
        .mark_square(size=SLIDE_SWATCH**2, opacity=1)
        .encode(
            x=alt.XValue(SLIDE_SWATCH / 2),
            y=alt.Y("swatch_y:Q", scale=None, axis=None),
            color=alt.Color("colour:N", scale=None),
        )
        .transform_calculate(swatch_y=f"datum.y + {SLIDE_RUNG[1] / 2}")
    )
    styles = {
        "rung": {"fontSize": SLIDE_RUNG[0], "fontWeight": "bold", "color": INK},
        "holders": {"fontSize": SLIDE_HOLDERS[0], "color": INK},
        "meaning": {"fontSize": SLIDE_MEANING[0], "color": MUTED},
    }
    texts = [
        Layer(lines[lines["kind"] == kind])
        .mark_text(align="left", baseline="top", **style)
        .encode(x=alt.XValue(SLIDE_TEXT_X), y=alt.Y("y:Q", scale=None, axis=None), text=alt.Text("text:N"))
        for kind, style in styles.items()
        if (lines["kind"] == kind).any()
    ]
    return Layers(layer=[swatches, *texts], width=width, height=round(height))


def ladder_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    """China's partnership ladder as the sources name it: rungs in order, who holds each. A rung's name
    wraps to the column (never cut), and the chart is as tall as its wrapped rows."""
    notes = (notes or Footnotes(dataset)).scope()
    names = country_names(dataset)
    relations = dataset["relations"]
    tiers = _tier_labels(dataset)
    rows = []
    for _, tier in dataset["tiers"].sort_values("rank").iterrows():
        holders = relations[relations["tier"] == tier["id"]]
        partners = sorted(
            {names[b if a == "CHN" else a] for a, b in zip(holders["a"], holders["b"], strict=True)}
        )
        editorial = " (ranking editorial)" if tier["basis"] == "editorial" else ""
        rung = f"{tier['rank']}. {tier['name']}{editorial} {notes.marker(tier['citations'])}"
        held = "Held by " + (", ".join(partners) or "no one recorded")
        rows.append(
            {
                "rank": int(tier["rank"]),
                "rung": rung,
                "holders": held,
                "meaning": tier["meaning"],
                "basis": f"ranking: {tier['basis']}",
                "colour": tiers[tier["id"]][1],
                "citations": ";".join(tier["citations"]),
                **{f"rung_{k}": v for k, v in _wraps(rung).items()},
                **{f"holders_{k}": v for k, v in _wraps(held).items()},
            }
        )
    frame = pd.DataFrame(rows)
    row_height = (
        f"({_lines_expression('rung', 'n')}) * {RUNG_LINE} + ({_lines_expression('holders', 'n')}) * {HOLDER_LINE}"
        f" + {RUNG_GAP}"
    )
    base = (
        Layer()
        .transform_calculate(
            rung_lines=_lines_expression("rung", "w"), holder_lines=_lines_expression("holders", "w")
        )
        .transform_calculate(row_height=row_height, rung_count=_lines_expression("rung", "n"))
        .transform_window(bottom="sum(row_height)", sort=[alt.SortField("rank")], frame=[None, 0])
        .transform_calculate(top="datum.bottom - datum.row_height")
        .encode(tooltip=[alt.Tooltip("rung:N"), alt.Tooltip("meaning:N"), alt.Tooltip("basis:N")])
    )
    swatch = (
        base.mark_square(size=400, opacity=1)
        .encode(
            x=alt.XValue(12),
            y=alt.Y("swatch_y:Q", scale=None, axis=None),
            color=alt.Color("colour:N", scale=None),
        )
        .transform_calculate(swatch_y="datum.top + 14")
    )
    rungs = (
        base.transform_calculate(text_y="datum.top + 4")
        .mark_text(
            align="left",
            baseline="top",
            fontSize=LABEL_SIZE + 2,
            fontWeight="bold",
            color=INK,
            lineHeight=RUNG_LINE,
        )
        .encode(
            x=alt.XValue(LADDER_TEXT_X),
            y=alt.Y("text_y:Q", scale=None, axis=None),
            text=alt.Text("rung_lines:N"),
        )
    )
    holders = (
        base.transform_calculate(text_y=f"datum.top + 6 + datum.rung_count * {RUNG_LINE}")
        .mark_text(align="left", baseline="top", fontSize=LABEL_SIZE, color=INK, lineHeight=HOLDER_LINE)
        .encode(
            x=alt.XValue(LADDER_TEXT_X),
            y=alt.Y("text_y:Q", scale=None, axis=None),
            text=alt.Text("holder_lines:N"),
        )
    )
    one_line = (RUNG_LINE + HOLDER_LINE + RUNG_GAP) * len(frame)
    page_chart = Layers(data=frame, layer=[swatch, rungs, holders], width=MAP_WIDTH, height=one_line)
    total = " + ".join(
        f"({_lines_expression('rung', 'n')}) * {RUNG_LINE} + ({_lines_expression('holders', 'n')}) * {HOLDER_LINE} + {RUNG_GAP}".replace(
            "datum.", f"ladder_{i}."
        )
        for i in range(len(frame))
    )
    heights = {f"ladder_{i}": row for i, row in enumerate(rows)}
    for name, row in heights.items():
        for key in (
            "rung_len",
            "holders_len",
            *(f"{p}_n{c}" for p in ("rung", "holders") for c in LADDER_WRAPS),
        ):
            total = total.replace(f"{name}.{key}", str(row[key]))
    chart = page_chart.add_params(alt.param(name="height", expr=total or "0")).properties(
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    subtitle = (
        "Only the rungs the sources name, highest first, in the colours of the Ties map. The order comes from the sources' "
        "comparisons; where no source calls it a rung, the ranking is editorial (ours) and the rung says so."
    )
    slide_chart = _ladder_slide(frame, len(textwrap.wrap(subtitle, SUBTITLE_CHARS))) or page_chart
    summary = "; ".join(f"{r['rung']} — {r['holders']}" for _, r in frame.iterrows())
    data = frame[["rank", "rung", "holders", "meaning", "basis", "colour", "citations"]]
    return framed_figure(
        "partnership-ladder",
        "China's partnership ladder",
        subtitle,
        chart,
        notes,
        data,
        summary=f"Ladder. {summary}.",
        slide_chart=slide_chart,
        draws_markers=True,  # each rung's name carries its quotes' numbers
    )
