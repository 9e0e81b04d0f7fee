"""The relations map: a focus country's ties (ordered partnership tiers, unions, alliances, tensions)
or its sanctions (who sanctions whom), over Natural Earth TopoJSON."""

from dataclasses import dataclass

import altair as alt
import pandas as pd

from relations.charts.basemap import fitted_projection, in_extent, with_world, world_shapes
from relations.charts.style import (
    BLUE,
    GREEN,
    INK,
    LABEL_SIZE,
    MUTED,
    NEUTRAL,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    YELLOW,
    framed_figure,
)
from relations.citing import Footnotes
from relations.dataset import Dataset
from relations.figures import Figure
from relations.geo import World, default_world
from relations.profile import country_names

LAYERS = ("ties", "sanctions")
SANCTION_KINDS = {"sanction", "tariff"}
TIER_COLOURS = (BLUE, SKY, "#9ecae1")  # ordered: darker is closer
KIND_CATEGORIES = (  # priority order: the first kind found names the country's colour
    ("union", "union", GREEN),
    ("alliance", "alliance", YELLOW),
    ("war", "at war", VERMILLION),
    ("tension", "tension", ORANGE),
    ("partnership", "other ties (trade, initiative, outreach)", PURPLE),
    ("trade", "other ties (trade, initiative, outreach)", PURPLE),
    ("initiative", "other ties (trade, initiative, outreach)", PURPLE),
    ("outreach", "other ties (trade, initiative, outreach)", PURPLE),
)
EURASIAN_FOCUS = {"BLR", "CHN", "RUS", "UKR", "PAK", "IRN", "UZB", "DEU", "LUX"}
LOOKUP_DATASET = "relations-by-country"
MAP_WIDTH = 760
MAP_HEIGHT = 430


@dataclass(frozen=True)
class MapView:
    focus: str
    layer: str = "ties"
    selected: str | None = None
    extent: str | None = None  # None: Eurasia for a Eurasian focus, else the world

    @property
    def resolved_extent(self) -> str:
        return self.extent or ("eurasia" if self.focus in EURASIAN_FOCUS else "world")


def _legend(dataset: Dataset, view: MapView) -> list[tuple[str, str]]:
    """(category, colour) in legend order: tiers by rank first, so the scale reads as a ladder."""
    if view.layer == "sanctions":
        return [(f"sanctions {view.focus}", VERMILLION), (f"sanctioned by {view.focus}", PURPLE)]
    tiers = dataset["tiers"].sort_values("rank")
    legend = [
        (f"tier {r['rank']}: {r['name']}", TIER_COLOURS[min(i, len(TIER_COLOURS) - 1)])
        for i, (_, r) in enumerate(tiers.iterrows())
    ]
    for _, label, colour in KIND_CATEGORIES:
        if label not in [entry[0] for entry in legend]:
            legend.append((label, colour))
    return legend


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


def _category(rows: pd.DataFrame, dataset: Dataset, view: MapView) -> str:
    if view.layer == "sanctions":
        incoming = (rows["b"] == view.focus).any()
        return f"sanctions {view.focus}" if incoming else f"sanctioned by {view.focus}"
    tiers = dataset["tiers"].set_index("id")
    tiered = rows[rows["tier"] != ""]
    if not tiered.empty:
        tier = tiers.loc[tiered.iloc[0]["tier"]]
        return f"tier {tier['rank']}: {tier['name']}"
    kinds = set(rows["kind"])
    return next(label for kind, label, _ in KIND_CATEGORIES if kind in kinds)


def _describe(row: pd.Series, names: dict[str, str]) -> str:
    arrow = "→" if row["directed"] else "–"
    since = f" since {row['start']}" if row["start"] else ""
    return f"{row['kind']} {names[row['a']]} {arrow} {names[row['b']]}{since}"


def map_records(
    dataset: Dataset, world: World, view: MapView, notes: Footnotes
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per counterpart: category, what and since when, citation markers. Drawn countries and the
    blocs or groups that have no single shape are returned apart, so nothing is silently dropped."""
    names = country_names(dataset)
    kinds = dict(zip(dataset["countries"]["code"], dataset["countries"]["type"], strict=True))
    relations = focus_relations(dataset, view)
    rows = []
    for other, group in relations.groupby("other", sort=True):
        citations = [c for ids in group["citations"] for c in ids]
        rows.append(
            {
                "alpha3": other,
                "name": names[other],
                "category": _category(group, dataset, view),
                "relations": "; ".join(_describe(r, names) for _, r in group.iterrows()),
                "since": ", ".join(s for s in group["start"] if s) or "not stated",
                "sources": notes.marker(citations),
                "drawn": kinds[other] == "country",
            }
        )
    frame = pd.DataFrame(
        rows, columns=["alpha3", "name", "category", "relations", "since", "sources", "drawn"]
    )
    geometry = pd.DataFrame(world.countries.drop(columns="geometry"))
    drawn = frame[frame["drawn"]].merge(
        geometry[["alpha3", "numeric", "label_lon", "label_lat"]], on="alpha3", how="left"
    )
    return drawn, frame[~frame["drawn"]].reset_index(drop=True)


def relation_map_figure(dataset: Dataset, view: MapView, world: World | None = None) -> Figure:
    world = world or default_world()
    notes = Footnotes(dataset)
    drawn, undrawn = map_records(dataset, world, view, notes)
    names = country_names(dataset)
    focus_name = names.get(view.focus, view.focus)
    legend = _legend(dataset, view)
    used = [entry for entry in legend if entry[0] in set(drawn["category"])] or legend
    lookup_fields = ["alpha3", "name", "category", "relations", "since", "sources"]
    everyone = pd.DataFrame(world.countries.drop(columns="geometry"))[["numeric", "alpha3", "name"]]
    everyone = everyone[everyone["numeric"] != ""]
    everyone = everyone.merge(
        drawn[["alpha3", "category", "relations", "since", "sources"]], on="alpha3", how="left"
    )
    everyone = everyone.fillna(
        {"category": "no recorded relation", "relations": "—", "since": "—", "sources": ""}
    )
    topo = world_shapes()
    pick = alt.selection_point(name="country", fields=["alpha3"], on="click", clear="dblclick")
    tooltip = [
        alt.Tooltip("name:N", title="Country"),
        alt.Tooltip("category:N", title=f"With {focus_name}"),
        alt.Tooltip("relations:N", title="Relations"),
        alt.Tooltip("since:N", title="Since"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    joined = alt.Chart(topo).transform_lookup(
        lookup="id",
        from_=alt.LookupData(data=alt.NamedData(name=LOOKUP_DATASET), key="numeric", fields=lookup_fields),
    )
    base = (
        joined.mark_geoshape(fill=NEUTRAL, stroke="white", strokeWidth=0.5)
        .encode(tooltip=tooltip)
        .add_params(pick)
    )
    shaded = (
        joined.transform_filter(alt.FieldOneOfPredicate(field="category", oneOf=[c for c, _ in legend]))
        .mark_geoshape(stroke="white", strokeWidth=0.6)
        .encode(
            color=alt.Color(
                "category:N",
                title=f"{focus_name}: {'sanctions (direction)' if view.layer == 'sanctions' else 'ties'}",
                scale=alt.Scale(domain=[c for c, _ in used], range=[colour for _, colour in used]),
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=420),
            ),
            tooltip=tooltip,
        )
    )
    outlines = [
        joined.transform_filter(alt.datum.alpha3 == code).mark_geoshape(
            fillOpacity=0, stroke=colour, strokeWidth=width
        )
        for code, colour, width in ((view.focus, INK, 2.2), (view.selected, ORANGE, 3))
        if code
    ]
    in_view = pd.Series(
        [
            in_extent(lon, lat, view.resolved_extent)
            for lon, lat in zip(drawn["label_lon"], drawn["label_lat"], strict=True)
        ],
        index=drawn.index,
        dtype=bool,
    )
    label_base = alt.Chart(drawn[in_view]).encode(
        longitude="label_lon:Q", latitude="label_lat:Q", text="name:N"
    )
    halo = label_base.mark_text(
        fontSize=LABEL_SIZE - 2, fontWeight="bold", stroke="white", strokeWidth=3, strokeOpacity=0.85
    )
    labels = label_base.mark_text(fontSize=LABEL_SIZE - 2, color=INK, fontWeight="bold")
    chart = (
        alt.layer(base, shaded, *outlines, halo, labels)
        .project(**fitted_projection(view.resolved_extent, MAP_WIDTH, MAP_HEIGHT))
        .properties(width=MAP_WIDTH, height=MAP_HEIGHT)
    )
    what = (
        "who sanctions whom (arrows in the tooltip)"
        if view.layer == "sanctions"
        else "partnership tiers (darker is closer), unions, alliances, tensions"
    )
    title = f"{focus_name}: {view.layer} {notes.marker(notes.used())}".strip()
    subtitle = f"{what}. Grey: no recorded relation. Borders: Natural Earth 1:110m (schematic); framing is editorial."
    off_map = [f"{r['name']} ({r['category']})" for _, r in undrawn.iterrows()]
    off_map += [f"{r['name']} ({r['category']})" for _, r in drawn[~in_view].iterrows()]
    if off_map:
        subtitle += f" Not on this map: {'; '.join(off_map)}."
    data = drawn.drop(columns=["drawn", "numeric", "label_lon", "label_lat"])
    figure = framed_figure(
        f"map-{view.focus.lower()}-{view.layer}", title, subtitle, chart, notes, data, qualifiers=False
    )
    with_world(figure.chart, world, **{LOOKUP_DATASET: everyone.to_dict("records")})
    return figure


def ladder_figure(dataset: Dataset) -> Figure:
    """China's partnership ladder as the sources name it: rungs in order, who holds each."""
    notes = Footnotes(dataset)
    names = country_names(dataset)
    relations = dataset["relations"]
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
                "holders": ", ".join(partners) or "—",
                "meaning": tier["meaning"],
                "basis": tier["basis"] + (" (added for context)" if tier["basis"] == "editorial" else ""),
                "citations": ";".join(tier["citations"]),
            }
        )
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(y=alt.Y("rank:O", axis=None), tooltip=["rung:N", "meaning:N", "basis:N"])
    rungs = base.mark_text(
        align="left", fontSize=LABEL_SIZE + 2, fontWeight="bold", color=BLUE, dy=-8
    ).encode(x=alt.value(0), text="rung:N")
    holders = base.mark_text(align="left", fontSize=LABEL_SIZE, color=INK, dy=10).encode(
        x=alt.value(0), text="holders:N"
    )
    basis = base.mark_text(align="right", fontSize=LABEL_SIZE - 1, color=MUTED).encode(
        x=alt.value(MAP_WIDTH), text="basis:N"
    )
    chart = alt.layer(rungs, holders, basis).properties(width=MAP_WIDTH, height=52 * len(frame))
    title = "China's partnership ladder, highest rung first"
    subtitle = "Only the rungs the sources name; a rung added for context would be marked editorial."
    return framed_figure("partnership-ladder", title, subtitle, chart, notes, frame, qualifiers=False)
