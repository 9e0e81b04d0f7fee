"""The relations map: a focus country's ties (ordered partnership tiers, unions, alliances, tensions)
or its sanctions (who sanctions whom, blocs included), over Natural Earth TopoJSON."""

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from relations.charts.basemap import fitted_projection, with_world, world_shapes
from relations.charts.palette import (
    INK,
    MAP,
    SANCTIONED_BY_COUNT,
    SANCTIONER,
    SELECTION_DASH,
    SELECTION_STROKE,
    TIER_RUNGS,
    TIES,
    WHITE,
)
from relations.charts.style import LABEL_SIZE, framed_figure
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.dates import date_in_words
from relations.figures import Figure
from relations.geo import TOPOJSON_OBJECT, World, default_world
from relations.profile import country_names

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
MAP_HEIGHT = 420
MIN_HALF_SPAN = (28.0, 13.0)
REACH = (100.0, 50.0)  # lon, lat from the focus: partners further away are pinned to the frame's edge
EDGE_INSET = 0.03  # share of the frame between an edge and the dot pinned to it  # lon, lat: the frame around a focus with few partners
FRAME_PADDING = (8.0, 5.0)
ARROW_AT = 0.9  # the arrowhead sits short of the target's label


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
        row["id"]: (f"rung {row['rank']}: {row['name']}", TIER_RUNGS[min(i, len(TIER_RUNGS) - 1)])
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


def _count_label(count: int) -> str:
    if count >= len(SANCTIONED_BY_COUNT):
        return f"sanctioned by {len(SANCTIONED_BY_COUNT)} or more parties"
    return f"sanctioned by {count} part{'y' if count == 1 else 'ies'}"


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
        ["alpha3", "numeric", "label_lon", "label_lat"]
    ]
    return frame.merge(anchors, on="alpha3", how="left")


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
    """The smallest lon/lat box holding the focus and every drawn partner, so no partner is off the map
    (the United States for China) and no third of the chart is empty."""
    lons = [focus_lonlat[0], *records["label_lon"].dropna()]
    lats = [focus_lonlat[1], *records["label_lat"].dropna()]
    west = min(min(lons) - FRAME_PADDING[0], focus_lonlat[0] - MIN_HALF_SPAN[0])
    east = max(max(lons) + FRAME_PADDING[0], focus_lonlat[0] + MIN_HALF_SPAN[0])
    south = min(min(lats) - FRAME_PADDING[1], focus_lonlat[1] - MIN_HALF_SPAN[1])
    north = max(max(lats) + FRAME_PADDING[1], focus_lonlat[1] + MIN_HALF_SPAN[1])
    return max(west, -179.0), max(south, -58.0), min(east, 179.0), min(north, 82.0)


def within_reach(records: pd.DataFrame, focus_lonlat: tuple[float, float]) -> pd.Series:
    """Partners close enough to share the focus's frame; the rest sit at its edge. A frame stretched to
    the United States and Australia would shrink China to a few pixels on a phone."""
    return (
        ((records["label_lon"] - focus_lonlat[0]).abs() <= REACH[0])
        & ((records["label_lat"] - focus_lonlat[1]).abs() <= REACH[1])
    ).astype(bool)


def edge_points(far: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.DataFrame:
    """Partners beyond the frame, each pinned to the edge facing it, its label pointing the way."""
    west, south, east, north = box
    inset_lon, inset_lat = (east - west) * EDGE_INSET, (north - south) * EDGE_INSET
    rows = []
    for _, row in far.iterrows():
        lon, lat = row["label_lon"], row["label_lat"]
        pinned_lon = min(max(lon, west + inset_lon), east - inset_lon)
        pinned_lat = min(max(lat, south + inset_lat), north - inset_lat)
        side = "west" if lon < west else "east" if lon > east else "south" if lat < south else "north"
        arrow = {"west": "← ", "east": "", "south": "↓ ", "north": "↑ "}[side]
        rows.append(
            {
                **row.to_dict(),
                "label_lon": pinned_lon,
                "label_lat": pinned_lat,
                "side": side,
                "label": f"{arrow}{row['name']}{' →' if side == 'east' else ''} (off map)",
            }
        )
    return pd.DataFrame(rows, columns=[*far.columns, "side", "label"])


def bloc_markers(records: pd.DataFrame, box: tuple[float, float, float, float]) -> pd.DataFrame:
    """Blocs and groups have no shape: each becomes a labelled marker in a column at the frame's west
    edge (an editorial position, said so in the subtitle), so it can still carry its arrows."""
    blocs = records[~records["drawn"]].reset_index(drop=True).copy()
    west, south, east, north = box
    step = (north - south) / (len(blocs) + 1) if len(blocs) else 0
    blocs["label_lon"] = west + (east - west) * 0.06
    blocs["label_lat"] = [north - step * (i + 1) for i in range(len(blocs))]
    return blocs


def arrows(dataset: Dataset, view: MapView, points: pd.DataFrame) -> pd.DataFrame:
    """From sanctioning party to sanctioned party: a line and, near its end, a head pointing along it."""
    where = {row["alpha3"]: (row["label_lon"], row["label_lat"]) for _, row in points.iterrows()}
    names = country_names(dataset)
    rows = []
    for _, relation in focus_relations(dataset, view).iterrows():
        if relation["a"] not in where or relation["b"] not in where:
            continue
        (x0, y0), (x1, y1) = where[relation["a"]], where[relation["b"]]
        head = (x0 + (x1 - x0) * ARROW_AT, y0 + (y1 - y0) * ARROW_AT)
        # Bearing on screen: a degree of longitude shrinks with latitude; 0° points up, clockwise.
        angle = math.degrees(math.atan2((x1 - x0) * math.cos(math.radians((y0 + y1) / 2)), y1 - y0))
        label = f"{names[relation['a']]} sanctions {names[relation['b']]}"
        for end, (lon, lat) in enumerate(((x0, y0), head)):
            rows.append(
                {"arrow": relation["id"], "end": end, "lon": lon, "lat": lat, "angle": angle, "what": label}
            )
    return pd.DataFrame(rows, columns=["arrow", "end", "lon", "lat", "angle", "what"])


def _headline(view: MapView, records: pd.DataFrame, dataset: Dataset, focus_name: str) -> str:
    if view.layer == "ties":
        partners = len(records) - 1
        return (
            f"{focus_name}: recorded ties with {partners} countries and blocs"
            if partners
            else f"{focus_name}: no recorded ties"
        )
    relations = focus_relations(dataset, view)
    names = country_names(dataset)
    by = sorted({names[a] for a, b in zip(relations["a"], relations["b"], strict=True) if b == view.focus})
    on = sorted({names[b] for a, b in zip(relations["a"], relations["b"], strict=True) if a == view.focus})
    parts = ([f"sanctioned by {' and '.join(by)}"] if by else []) + (
        [f"sanctions {' and '.join(on)}"] if on else []
    )
    return f"{focus_name}: {'; '.join(parts)}" if parts else f"{focus_name}: no sanctions recorded"


def relation_map_figure(
    dataset: Dataset, view: MapView, world: World | None = None, notes: Footnotes | None = None
) -> Figure:
    world = world or default_world()
    notes = (notes or Footnotes(dataset)).scope()
    names = country_names(dataset)
    focus_name = names.get(view.focus, view.focus)
    records = map_records(dataset, world, view, notes)
    focus_row = records[records["alpha3"] == view.focus].iloc[0]
    drawn = records[records["drawn"]]
    focus_lonlat = (focus_row["label_lon"], focus_row["label_lat"])
    near = within_reach(drawn, focus_lonlat)
    box = frame_box(drawn[near], focus_lonlat)
    edges = edge_points(drawn[~near], box)
    # Blocs carry arrows on the sanctions layer, so they need a place there; on the ties layer a marker
    # would sit on some unrelated country, so they are named in the subtitle instead.
    blocs = bloc_markers(records, box) if view.layer == "sanctions" else records.iloc[0:0]
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
    joined = alt.Chart(world_shapes()).transform_lookup(
        lookup="id",
        from_=alt.LookupData(
            data=alt.NamedData(name=LOOKUP_DATASET),
            key="numeric",
            fields=["alpha3", "name", "category", "relations", "since", "sources"],
        ),
    )
    shapes = (
        joined.mark_geoshape(stroke=WHITE, strokeWidth=0.6, clip=True)
        .encode(
            color=alt.Color(
                "category:N",
                title=None,
                scale=alt.Scale(domain=[c for c, _ in legend], range=[colour for _, colour in legend]),
                legend=alt.Legend(
                    orient="bottom", columns=1, labelLimit=0, symbolStrokeColor=INK, symbolStrokeWidth=0.5
                ),
            ),
            tooltip=tooltip,
        )
        .add_params(pick)
    )
    outlines = [
        joined.transform_filter(alt.datum.alpha3 == view.focus).mark_geoshape(
            fillOpacity=0, stroke=INK, strokeWidth=2.5, clip=True
        )
    ]
    if view.selected:
        outlines.append(
            joined.transform_filter(alt.datum.alpha3 == view.selected).mark_geoshape(
                fillOpacity=0, stroke=SELECTION_STROKE, strokeWidth=2.5, strokeDash=SELECTION_DASH, clip=True
            )
        )
    points = pd.concat([drawn[near], blocs], ignore_index=True)
    points["label"] = [
        f"{name} ({'bloc' if not shape else 'focus'})" if (not shape or code == view.focus) else name
        for name, shape, code in zip(points["name"], points["drawn"], points["alpha3"], strict=True)
    ]
    points["side"] = ["shape" if shape else "bloc" for shape in points["drawn"]]
    points = pd.concat([points, edges], ignore_index=True)
    layers = [shapes, *outlines]
    lines = arrows(dataset, view, points)
    if view.layer == "sanctions" and not lines.empty:
        line_base = alt.Chart(lines).encode(
            longitude="lon:Q", latitude="lat:Q", tooltip=alt.Tooltip("what:N", title="Sanction")
        )
        layers += [
            line_base.mark_line(color=INK, strokeWidth=2, clip=True).encode(detail="arrow:N", order="end:Q"),
            line_base.transform_filter(alt.datum.end == 1)
            .mark_point(shape="triangle-up", filled=True, size=170, color=INK, opacity=1, clip=True)
            .encode(angle=alt.Angle("angle:Q", scale=None)),
        ]
    if not blocs.empty:
        layers.append(
            alt.Chart(blocs)
            .mark_point(
                shape="circle", size=260, filled=True, color=WHITE, stroke=INK, strokeWidth=2, opacity=1
            )
            .encode(longitude="label_lon:Q", latitude="label_lat:Q", tooltip=tooltip)
        )
    if not edges.empty:  # a dot in the partner's colour at the edge facing it
        layers.append(
            alt.Chart(edges)
            .mark_point(shape="circle", size=200, filled=True, stroke=INK, strokeWidth=1, opacity=1)
            .encode(
                longitude="label_lon:Q",
                latitude="label_lat:Q",
                color=alt.Color(
                    "category:N",
                    scale=alt.Scale(domain=[c for c, _ in legend], range=[colour for _, colour in legend]),
                ),
                tooltip=tooltip,
            )
        )
    text_style = {"fontSize": LABEL_SIZE, "fontWeight": "bold", "clip": True}
    placements = {
        "shape": {"dy": -14},
        "bloc": {"dx": 14, "align": "left"},
        "west": {"dx": 12, "align": "left"},
        "east": {"dx": -12, "align": "right"},
        "south": {"dy": -14},
        "north": {"dy": 16},
    }
    for side, placement in placements.items():
        labelled = points[points["side"] == side]
        if labelled.empty:
            continue
        label_base = alt.Chart(labelled).encode(
            longitude="label_lon:Q", latitude="label_lat:Q", text="label:N"
        )
        layers += [  # a white halo under the ink keeps labels readable over any fill
            label_base.mark_text(stroke=WHITE, strokeWidth=4, strokeOpacity=0.9, **text_style, **placement),
            label_base.mark_text(color=INK, **text_style, **placement),
        ]
    chart = (
        alt.layer(*layers).project(**fitted_projection(box)).properties(width=MAP_WIDTH, height=MAP_HEIGHT)
    )
    if view.layer == "sanctions":
        subtitle = (
            f"Who sanctions {focus_name} and whom {focus_name} sanctions, as the sources report it. Arrows point from the "
            "sanctioning party to the sanctioned one; blocs and groups (circles) have no member list in the sources, "
            "so they are markers, not shapes."
        )
    else:
        subtitle = (
            f"{focus_name}'s recorded ties by kind; China's partnership rungs are darker the closer they are."
        )
        unshaped = records[~records["drawn"]]
        if not unshaped.empty:
            named = "; ".join(f"{r['name']} ({r['category']})" for _, r in unshaped.iterrows())
            subtitle += f" Blocs and groups, which have no shape: {named}."
    if not edges.empty:
        beyond = "; ".join(f"{r['name']} ({r['category']})" for _, r in edges.iterrows())
        subtitle += f" Beyond the frame, pinned to the edge that faces them: {beyond}."
    subtitle += " Natural Earth borders; framing is editorial."
    summary = "; ".join(
        f"{r['name']}: {r['category']}" for _, r in records.iterrows() if r["alpha3"] != view.focus
    )
    data = records.drop(columns=["drawn", "numeric", "label_lon", "label_lat"])
    sent = {g.get("id") for g in world.compact(box)["objects"][TOPOJSON_OBJECT]["geometries"]}
    lookup = everyone[everyone["numeric"].isin(sent)]  # a country the frame cannot show needs no row
    return framed_figure(
        f"map-{view.focus.lower()}-{view.layer}",
        _headline(view, records, dataset, focus_name),
        subtitle,
        chart,
        notes,
        data,
        summary=f"Map. {summary or 'No recorded relation in this layer'}.",
        datasets={**with_world(world, box), LOOKUP_DATASET: lookup.to_dict("records")},
    )


def ladder_figure(dataset: Dataset, notes: Footnotes | None = None) -> Figure:
    """China's partnership ladder as the sources name it: rungs in order, who holds each."""
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
        rows.append(
            {
                "rank": int(tier["rank"]),
                "rung": f"{tier['rank']}. {tier['name']} {notes.marker(tier['citations'])}",
                "holders": "Held by " + (", ".join(partners) or "no one recorded"),
                "meaning": tier["meaning"],
                "basis": f"ranking: {tier['basis']}",
                "colour": tiers[tier["id"]][1],
                "citations": ";".join(tier["citations"]),
            }
        )
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(y=alt.Y("rank:O", axis=None), tooltip=["rung:N", "meaning:N", "basis:N"])
    swatch = base.mark_square(size=400, opacity=1).encode(
        x=alt.value(12), color=alt.Color("colour:N", scale=None)
    )
    rungs = base.mark_text(
        align="left", fontSize=LABEL_SIZE + 2, fontWeight="bold", color=INK, dy=-10
    ).encode(x=alt.value(32), text="rung:N")
    holders = base.mark_text(align="left", fontSize=LABEL_SIZE, color=INK, dy=10).encode(
        x=alt.value(32), text="holders:N"
    )
    chart = alt.layer(swatch, rungs, holders).properties(width=MAP_WIDTH, height=60 * len(frame))
    subtitle = (
        "Only the rungs the sources name, highest first, with the map's colours. The order comes from the sources' "
        "comparisons; where no source calls it a rung, the ranking is marked editorial in the data."
    )
    summary = "; ".join(f"{r['rung']} — {r['holders']}" for _, r in frame.iterrows())
    return framed_figure(
        "partnership-ladder",
        "China's partnership ladder",
        subtitle,
        chart,
        notes,
        frame,
        summary=f"Ladder. {summary}.",
    )
