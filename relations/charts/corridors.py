"""Rail corridors over the base map: schematic lines, terminals and crossings, Belarus highlighted.
Every coordinate is editorial; the figure says so, and cites the sentences each line illustrates."""

import altair as alt
import pandas as pd

from relations.charts.basemap import fitted_projection, grey_countries, in_extent, with_world, world_shapes
from relations.charts.style import BLUE, INK, LABEL_SIZE, MUTED, ORANGE, VERMILLION, YELLOW, framed_figure
from relations.citing import Footnotes
from relations.dataset import Dataset
from relations.figures import Figure
from relations.geo import World, default_world
from relations.profile import country_names

OVERVIEW, DETAIL = "china-europe", "belarus-section"
MAP_WIDTH = 640  # fits beside the quotes panel
OVERVIEW_HEIGHT = 300
DETAIL_HEIGHT = 300
HIGHLIGHT = "BLR"
ROLE_STYLE = {  # shape and colour per waypoint role; the gauge change stands out
    "terminal": ("square", INK),
    "hub": ("circle", BLUE),
    "border crossing": ("triangle-up", MUTED),
    "gauge change": ("diamond", VERMILLION),
}
TRANSIT_STYLE = {"via Belarus": BLUE, "avoiding Belarus": ORANGE}


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


def _corridor_panel(
    frame: pd.DataFrame,
    highlight_id: str,
    extent: str,
    height: int,
    label_filter: list[str] | None,
    projection: str,
) -> alt.LayerChart:
    """One map panel: base, Belarus, lines, waypoints; labels for the places in label_filter (all when None)."""
    belarus = (
        alt.Chart(world_shapes())
        .transform_filter(alt.datum.id == highlight_id)
        .mark_geoshape(fill=YELLOW, stroke=INK, strokeWidth=1.5)
        .encode(tooltip=alt.value("Belarus"))
    )
    layers: list[alt.Chart] = [grey_countries(), belarus]
    if not frame.empty:
        lines = (
            alt.Chart(frame)
            .mark_line(strokeWidth=4, strokeDash=[10, 4], opacity=0.9, clip=True)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                order="seq:Q",
                detail="corridor:N",
                color=alt.Color(
                    "transit:N",
                    title="Corridor (schematic)",
                    scale=alt.Scale(domain=list(TRANSIT_STYLE), range=list(TRANSIT_STYLE.values())),
                    legend=alt.Legend(orient="bottom", direction="vertical"),
                ),
                tooltip=[
                    alt.Tooltip("corridor_name:N", title="Corridor"),
                    alt.Tooltip("terminals:N", title="Terminals"),
                    alt.Tooltip("crossings:N", title="Crossings"),
                    alt.Tooltip("corridor_sources:N", title="Sources"),
                ],
            )
        )
        points = (
            alt.Chart(frame)
            .mark_point(filled=True, size=150, stroke="white", strokeWidth=1, opacity=1, clip=True)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                shape=alt.Shape(
                    "role:N",
                    title="Waypoint (editorial)",
                    scale=alt.Scale(
                        domain=list(ROLE_STYLE), range=[shape for shape, _ in ROLE_STYLE.values()]
                    ),
                    legend=alt.Legend(orient="bottom", direction="vertical"),
                ),
                fill=alt.Fill(
                    "role:N",
                    scale=alt.Scale(
                        domain=list(ROLE_STYLE), range=[colour for _, colour in ROLE_STYLE.values()]
                    ),
                    legend=None,
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
        labelled = frame if label_filter is None else frame[frame["place"].isin(label_filter)]
        label_base = alt.Chart(labelled).encode(longitude="lon:Q", latitude="lat:Q", text="place:N")
        style = {"dy": -15, "fontSize": LABEL_SIZE - 1, "fontWeight": "bold", "clip": True}
        layers += [
            lines,
            points,
            label_base.mark_text(stroke="white", strokeWidth=3, **style),
            label_base.mark_text(color=INK, **style),
        ]
    return (
        alt.layer(*layers)
        .project(**fitted_projection(extent, MAP_WIDTH, height, projection))
        .properties(width=MAP_WIDTH, height=height)
    )


def corridor_figure(
    dataset: Dataset, shown: tuple[str, ...] | None = None, world: World | None = None
) -> Figure:
    """The whole corridor above (far places labelled) and the Belarus section below (every place labelled)."""
    world = world or default_world()
    notes = Footnotes(dataset)
    frame = corridor_waypoints(dataset, shown, notes)
    highlight_id = world.countries.set_index("alpha3").loc[HIGHLIGHT, "numeric"]
    far = (
        []
        if frame.empty
        else [
            p
            for p, lon, lat in zip(frame["place"], frame["lon"], frame["lat"], strict=True)
            if not in_extent(lon, lat, DETAIL)
        ]
    )
    overview = _corridor_panel(frame, highlight_id, OVERVIEW, OVERVIEW_HEIGHT, [*far, "Minsk"], "equalEarth")
    detail = _corridor_panel(frame, highlight_id, DETAIL, DETAIL_HEIGHT, None, "mercator").properties(
        title=alt.TitleParams("Belarus section", anchor="start", fontSize=LABEL_SIZE + 1, color=MUTED)
    )
    chart = alt.vconcat(overview, detail, spacing=18)
    title = f"China–Europe rail corridors through Belarus (schematic) {notes.marker(notes.used())}".strip()
    subtitle = (
        "The sources report eight container routes through Belarus; they name no route, terminal or crossing, so the line, "
        "its waypoints and the gauge change (◆) are editorial illustrations, not reported geography. Belarus in yellow."
    )
    if frame.empty:
        subtitle = "No corridor selected. " + subtitle
    data = frame.drop(columns=["corridor_sources"]) if not frame.empty else frame
    figure = framed_figure("rail-corridors", title, subtitle, chart, notes, data, qualifiers=False)
    with_world(figure.chart, world)
    return figure
