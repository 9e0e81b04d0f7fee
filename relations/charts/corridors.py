"""Rail corridors over the base map: schematic lines, terminals and crossings, Belarus highlighted.
Every coordinate is editorial; the figure says so, and cites the sentences each line illustrates."""

import altair as alt
import pandas as pd
import shapely

from relations.charts.basemap import (
    PAGE_HEIGHT,
    SLIDE_HEIGHT,
    Box,
    grey_countries,
    in_box,
    label_layers,
    projected_map,
    raw_xy,
    slide_shapes,
    with_label_layout,
    with_world,
    world_shapes,
)
from relations.charts.layers import Layer, Layers
from relations.charts.palette import BASIS, CORRIDOR, HIGHLIGHT, INK, WHITE
from relations.charts.style import framed_figure
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.figures import Figure
from relations.geo import World, default_world, fitted_bounds, visible_region
from relations.profile import country_names

OVERVIEW: Box = (2.0, 30.0, 126.0, 62.0)  # Beijing to Germany
DETAIL: Box = (8.0, 48.5, 40.0, 57.5)  # Germany to Russia, Belarus in the middle
MAP_WIDTH = 760
OVERVIEW_HEIGHT = 340  # at most: a map's height follows its width, to the frame's shape
DETAIL_HEIGHT = 380
MIN_HEIGHT = 200
MARKER_SIZE = 170  # px² of a waypoint's marker on a slide and on a wide page
# On a narrower chart a marker shrinks as the map does: its area with the square of the width (shrunk
# with the width alone, on a phone the markers at Minsk and Belarus' borders still hid Belarus).
PAGE_MARKER_SIZE = f"clamp({MARKER_SIZE} * pow(width / {MAP_WIDTH}, 2), 30, {MARKER_SIZE})"
HIGHLIGHT_COUNTRY = "BLR"
# Whose label gives way when two collide on a narrow chart: the ends first, then the hubs, then the
# gauge change, then the border crossings (their triangles and the legend still show them).
LABEL_PRIORITY = {"terminal": 0, "hub": 1, "gauge change": 2, "border crossing": 3}
MARKER_RADIUS = 8.0  # px: a waypoint's marker (size 170), which no label covers
LABEL_GAP = 16.0  # px from a waypoint to its label's centre (above or below) or its start (beside)
ROLE_SHAPES = {
    "terminal": "square",
    "hub": "circle",
    "border crossing": "triangle-up",
    "gauge change": "diamond",
}


def corridor_waypoints(dataset: Dataset, shown: tuple[str, ...] | None, notes: Footnotes) -> pd.DataFrame:
    """Waypoints in order with their corridor's name, terminals, crossings and citation markers."""
    corridors = dataset["corridors"]
    if shown is not None:
        corridors = corridors[corridors["id"].isin(shown)]
    names = country_names(dataset)
    rows = []
    for _, corridor in corridors.iterrows():
        steps = dataset["waypoints"][dataset["waypoints"]["corridor"] == corridor["id"]].sort_values("seq")
        terminals = " – ".join(steps.loc[steps["role"] == "terminal", "place"])
        crossings = ", ".join(steps.loc[steps["role"].isin(["border crossing", "gauge change"]), "place"])
        corridor_marker = notes.marker(corridor["citations"])
        for _, step in steps.iterrows():
            rows.append(
                {
                    "corridor": corridor["id"],
                    "corridor_name": corridor["name"],
                    "transit": "via Belarus" if corridor["transits_belarus"] else "avoiding Belarus",
                    "terminals": terminals,
                    "crossings": crossings,
                    "corridor_sources": corridor_marker,
                    "seq": int(step["seq"]),
                    "place": step["place"],
                    "role": step["role"],
                    "countries": " / ".join(names[c] for c in step["countries"]),
                    "lon": step["lon"],
                    "lat": step["lat"],
                    "basis": step["basis"],
                    "note": step["note"] or "—",
                    "sources": notes.marker(step["citations"]),
                }
            )
    return pd.DataFrame(rows)


def line_within(frame: pd.DataFrame, box: Box) -> pd.DataFrame:
    """Each corridor's line cut where it leaves box (straight in lon/lat, as schematic as the line):
    a dashed line running far off the plot is otherwise dashed all the way, and at slide size a
    renderer spends its time on dashes no one sees (resvg, which drew the PNGs then, about a second). Points of a line, in order; nothing else changes."""
    region = visible_region(box) or (-180.0, -90.0, 180.0, 90.0)
    rows = []
    for _, steps in frame.sort_values("seq").groupby("corridor", sort=False):
        if len(steps) < 2:
            continue
        cut = shapely.clip_by_rect(shapely.LineString(steps[["lon", "lat"]].to_numpy()), *region)
        parts = getattr(cut, "geoms", [cut])
        first = steps.iloc[0].to_dict()
        for part, line in enumerate(p for p in parts if not p.is_empty):
            for seq, (lon, lat) in enumerate(line.coords, start=1):
                rows.append(
                    {**first, "corridor": f"{first['corridor']}:{part}", "seq": seq, "lon": lon, "lat": lat}
                )
    return pd.DataFrame(rows, columns=frame.columns)


def _waypoint_layer(frame: pd.DataFrame, roles: list[str], size: int | alt.ExprRef) -> Layer:
    return (
        Layer(frame)
        .mark_point(
            filled=True,
            size=size,
            stroke=INK,
            strokeWidth=1,
            opacity=1,
            color=BASIS["editorial"],
            clip=True,
        )
        .encode(
            longitude=alt.Longitude("lon:Q"),
            latitude=alt.Latitude("lat:Q"),
            shape=alt.Shape(
                "role:N",
                title="Waypoint (editorial)",
                scale=alt.Scale(domain=roles, range=[ROLE_SHAPES[r] for r in roles]),
                legend=alt.Legend(orient="bottom", direction="vertical", symbolFillColor=BASIS["editorial"]),
            ),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("countries:N", title="Countries"),
                alt.Tooltip("basis:N", title="Basis"),
                alt.Tooltip("note:N", title="Note"),
                alt.Tooltip("sources:N", title="Sources"),
            ],
        )
    )


def _corridor_panel(
    frame: pd.DataFrame, highlight_id: str, box: Box, height: int, label_filter: list[str] | None
) -> tuple[Layers, Layers]:
    """One map: base, Belarus, lines, waypoints; labels for the places in label_filter (all when None).
    The page's chart (its height follows its width) and the slide's (a slide sets its own size)."""
    belarus = (
        Layer(world_shapes())
        .transform_filter(alt.datum.id == highlight_id)
        .mark_geoshape(fill=HIGHLIGHT, stroke=INK, strokeWidth=1.5, clip=True)
        .encode(tooltip=alt.TooltipValue("Belarus"))
    )
    layers: list[Layer] = [grey_countries(), belarus]
    roles = [r for r in ROLE_SHAPES if r in set(frame["role"])] if not frame.empty else []
    if not frame.empty:
        drawn_transits = [t for t in CORRIDOR if t in set(frame["transit"])]
        # strokeOpacity, not opacity: the same look for a line, but an element with its own opacity is
        # drawn into a layer of its own (≈0.1 s of the corridor slide's PNG in resvg, which drew it then).
        lines = (
            Layer(line_within(frame, box))
            .mark_line(strokeWidth=4, strokeDash=[10, 4], strokeOpacity=0.9, clip=True)
            .encode(
                longitude=alt.Longitude("lon:Q"),
                latitude=alt.Latitude("lat:Q"),
                order=alt.Order("seq:Q"),
                detail=alt.Detail("corridor:N"),
                color=alt.Color(
                    "transit:N",
                    title="Corridor (schematic)",
                    scale=alt.Scale(domain=drawn_transits, range=[CORRIDOR[t] for t in drawn_transits]),
                    # The key's line drawn as the map draws it: thick and dashed.
                    legend=alt.Legend(
                        orient="bottom", direction="vertical", symbolStrokeWidth=4, symbolDash=[10, 4]
                    ),
                ),
                tooltip=[
                    alt.Tooltip("corridor_name:N", title="Corridor"),
                    alt.Tooltip("terminals:N", title="Terminals"),
                    alt.Tooltip("crossings:N", title="Crossings"),
                    alt.Tooltip("corridor_sources:N", title="Sources"),
                ],
            )
        )
        labelled = frame if label_filter is None else frame[frame["place"].isin(label_filter)]
        layers.append(lines)
    # The page's and the slide's plots differ in shape at one scale: each has a layout of its own.
    laid = {
        h: waypoint_labels(frame, labelled, box, height, sizes) if not frame.empty else None
        for h, sizes in ((PAGE_HEIGHT, None), (SLIDE_HEIGHT, slide_shapes()))
    }

    def labels(h: str) -> list[Layer]:
        return label_layers(laid[h], fitted_bounds(box), WHITE, INK, h) if laid[h] is not None else []

    # On a phone the page's markers shrink with the chart, so Belarus shows between them; a slide's keep
    # the size their labels were laid out around.
    points = {
        h: [_waypoint_layer(frame, roles, size)] if not frame.empty else []
        for h, size in ((PAGE_HEIGHT, alt.ExprRef(PAGE_MARKER_SIZE)), (SLIDE_HEIGHT, MARKER_SIZE))
    }
    page = projected_map(
        [*layers, *points[PAGE_HEIGHT], *labels(PAGE_HEIGHT)], box, MAP_WIDTH, height, (MIN_HEIGHT, height)
    )
    return page, projected_map(
        [*layers, *points[SLIDE_HEIGHT], *labels(SLIDE_HEIGHT)], box, MAP_WIDTH, height
    )


def waypoint_labels(
    frame: pd.DataFrame,
    labelled: pd.DataFrame,
    box: Box,
    height: int,
    sizes: list[tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """The labels, laid out to be placed in pixels (see basemap.with_label_layout): above a waypoint, else below, right or
    left of it, never over a marker, moved in from the plot's edges, the less important dropped where
    two would collide on a narrow chart."""
    if labelled.empty:
        return labelled.iloc[0:0].assign(label=[])
    unique = labelled.drop_duplicates("place")
    x, y = raw_xy(unique["lon"].to_numpy(), unique["lat"].to_numpy(), box)
    places = [
        (0.0, -LABEL_GAP - 2, "center"),
        (0.0, LABEL_GAP + 2, "center"),
        (LABEL_GAP - 4, 0.0, "left"),
        (4 - LABEL_GAP, 0.0, "right"),
    ]
    rows = pd.DataFrame(
        {
            "label": unique["place"].to_numpy(),
            "X": x,
            "Y": y,
            "priority": [LABEL_PRIORITY.get(r, 3) for r in unique["role"]],
            "places": [places] * len(unique),
            "when": "on",  # a waypoint off this chart's plot (Beijing on the Belarus section) has none
        }
    )
    markers = frame.drop_duplicates("place")
    mx, my = raw_xy(markers["lon"].to_numpy(), markers["lat"].to_numpy(), box)
    obstacles = pd.DataFrame({"X": mx, "Y": my, "r": MARKER_RADIUS})
    bounds = fitted_bounds(box)
    return with_label_layout(rows, bounds, (MIN_HEIGHT, height), obstacles, sizes)


def _waypoints_and_highlight(dataset: Dataset, shown: tuple[str, ...] | None, world: World, notes: Footnotes):
    frame = corridor_waypoints(dataset, shown, notes)
    highlight_id = world.countries.set_index("alpha3").loc[HIGHLIGHT_COUNTRY, "numeric"]
    return frame, highlight_id


SCHEMATIC = (
    "The sources report eight container routes through Belarus but name no route, terminal or crossing: "
    "the line and its waypoints are editorial illustrations, not reported geography. Belarus in yellow."
)


# The Rail corridors page's tab for each figure.
CORRIDOR_TABS = {"rail-corridors": "The route", "rail-corridors-belarus": "The Belarus section"}


def corridor_figure(
    dataset: Dataset,
    shown: tuple[str, ...] | None = None,
    world: World | None = None,
    notes: Footnotes | None = None,
) -> Figure:
    """The whole corridor, far places and Minsk labelled; the Belarus section has its own figure."""
    world = world or default_world()
    notes = (notes or Footnotes(dataset)).scope()
    frame, highlight_id = _waypoints_and_highlight(dataset, shown, world, notes)
    far = (
        []
        if frame.empty
        else [
            p
            for p, x, y in zip(frame["place"], frame["lon"], frame["lat"], strict=True)
            if not in_box(x, y, DETAIL)
        ]
    )
    chart, slide = _corridor_panel(
        frame,
        highlight_id,
        OVERVIEW,
        OVERVIEW_HEIGHT,
        [*far, *frame.loc[frame["role"].isin(["terminal", "hub"]), "place"]] if not frame.empty else [],
    )
    slide.datasets = with_world(world, OVERVIEW)
    subtitle = SCHEMATIC if not frame.empty else "No corridor selected. " + SCHEMATIC
    data = frame.drop(columns=["corridor_sources"]) if not frame.empty else frame
    places = " – ".join(dict.fromkeys(frame["place"])) if not frame.empty else "no corridor selected"
    return framed_figure(
        "rail-corridors",
        "China–Europe rail freight crosses Belarus",
        subtitle,
        chart,
        notes,
        data,
        summary=f"Schematic map of the rail corridor: {places}.",
        datasets=with_world(world, OVERVIEW),
        slide_chart=slide,
    )


def belarus_section_figure(
    dataset: Dataset,
    shown: tuple[str, ...] | None = None,
    world: World | None = None,
    notes: Footnotes | None = None,
) -> Figure:
    """The Belarus section, every waypoint labelled: where the line crosses borders and changes gauge."""
    world = world or default_world()
    notes = (notes or Footnotes(dataset)).scope()
    frame, highlight_id = _waypoints_and_highlight(dataset, shown, world, notes)
    inside = (
        frame[[in_box(x, y, DETAIL) for x, y in zip(frame["lon"], frame["lat"], strict=True)]]
        if not frame.empty
        else frame
    )
    chart, slide = _corridor_panel(frame, highlight_id, DETAIL, DETAIL_HEIGHT, None)
    slide.datasets = with_world(world, DETAIL)
    data = inside.drop(columns=["corridor_sources"]) if not inside.empty else inside
    places = (
        ", ".join(f"{p} ({r})" for p, r in zip(inside["place"], inside["role"], strict=True))
        if not inside.empty
        else "none"
    )
    return framed_figure(
        "rail-corridors-belarus",
        "The Belarus section: borders and the gauge change",
        "Russia–Belarus border, Minsk, and the break of gauge at the Belarus–Poland border, drawn schematically. "
        + "The line and its waypoints are editorial illustrations, not reported geography. Belarus in yellow.",
        chart,
        notes,
        data,
        summary=f"Schematic map of the corridor's Belarus section. Waypoints: {places}.",
        datasets=with_world(world, DETAIL),
        slide_chart=slide,
    )
