"""The base map every map shares: Natural Earth countries, fitted to an editorial lon/lat box."""

from typing import ClassVar

import altair as alt
import numpy as np
import pandas as pd

from relations.charts.layers import Layer, Layers
from relations.charts.palette import MAP, WHITE
from relations.charts.style import SLIDE_PADDING, SLIDE_PLOT_WIDTH, SLIDE_WIDTH, text_width
from relations.geo import (
    TOPOJSON_OBJECT,
    Box,
    World,
    centre_lon,
    fit_scale,
    fitted_bounds,
    project,
    to_pixels,
)

WORLD_DATASET = "world-110m"
__all__ = ["Box", "fitted_projection", "grey_countries", "in_box", "with_world", "world_shapes"]


def world_shapes() -> alt.NamedData:
    """Named once at the top level (see with_world): inline values would repeat in every layer."""
    return alt.NamedData(name=WORLD_DATASET, format=alt.DataFormat(type="topojson", feature=TOPOJSON_OBJECT))


def _box_feature(box: Box) -> dict:
    west, south, east, north = box
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring[::-1]]}, "properties": {}}


def fitted_projection(box: Box, kind: str = "equalEarth") -> dict:
    """Fitted to whatever size the chart is given, so the same map fills a phone, a wide column or a slide.
    Marks clip themselves (clip=True) to the plot, so nothing spills past the frame."""
    return alt.Projection(type=kind, fit=_box_feature(box), rotate=[-centre_lon(box), 0, 0]).to_dict()


def in_box(lon: float, lat: float, box: Box) -> bool:
    west, south, east, north = box
    return west <= lon <= east and south <= lat <= north


def grey_countries() -> Layer:
    return Layer(world_shapes()).mark_geoshape(
        fill=MAP["no recorded relation"], stroke=WHITE, strokeWidth=0.5, clip=True
    )


class SharedJSON:
    """A JSON value Altair puts into the spec as it is, shared, instead of copying it node by node
    (to_dict rebuilds every dict and list: ≈486,000 calls for the world's TopoJSON in one export).
    The value is never modified after it is made."""

    _schema: ClassVar[dict] = {"type": "object"}

    def __init__(self, value: dict) -> None:
        self.value = value

    def to_dict(self, *args, **kwargs) -> dict:
        return self.value


def with_world(world: World, box: Box | None = None) -> dict:
    """The top-level datasets a map needs: the TopoJSON, once, cut to what a map fitted to box can show
    (clamped, requantised, no properties; see World.compact). box=None sends the whole world."""
    return {WORLD_DATASET: SharedJSON(world.compact(box))}


def fitted_box(spec: dict) -> Box | None:
    """The lon/lat box a map spec's projection is fitted to (see fitted_projection), or None."""
    for part in [spec, *spec.get("layer", [])]:
        fit = (part.get("projection") or {}).get("fit")
        if isinstance(fit, dict) and fit.get("geometry", {}).get("type") == "Polygon":
            ring = fit["geometry"]["coordinates"][0]
            lons, lats = [p[0] for p in ring], [p[1] for p in ring]
            return min(lons), min(lats), max(lons), max(lats)
    return None


def compact_world_datasets(spec: dict, world: World) -> dict:
    """A spec's datasets with the world cut to what its fitted projection can show (specs built before
    with_world knew the box carry the whole world)."""
    datasets = dict(spec.get("datasets") or {})
    box = fitted_box(spec)
    if WORLD_DATASET in datasets and box is not None:
        datasets[WORLD_DATASET] = world.compact(box)
    return datasets


# --- A map's height follows its width --------------------------------------------------------------
# The page gives a chart its column's width; a fixed height would leave a wide frame (China and its
# partners) a strip across a phone with blank bands above and below it. The height signal is set from
# the width instead, to the frame's own shape, between a floor and the page's height.


def map_height(bounds: tuple[float, float, float, float], width: float, low: float, high: float) -> float:
    """Python mirror of height_param."""
    x0, y0, x1, y1 = bounds
    return float(min(max(round(width * (y1 - y0) / (x1 - x0)), low), high))


def projected_map(
    layers: list, box: Box, width: int, height: int, page_heights: tuple[float, float] | None = None
) -> Layers:
    """The map's layers on the projection fitted to box. With page_heights (a floor and a ceiling) it is
    the page's chart: its height follows its width (height_param), and only its width fits the column
    (autosize fit-x), so a legend below adds to the height instead of squeezing the map. Made in one
    call: each chained Altair call (layer, project, properties, add_params) deep-copies the whole
    chart, ≈40% of building a map figure."""
    page = {}
    if page_heights is not None:
        page = {
            "params": [height_param(fitted_bounds(box), *page_heights).param],
            "autosize": alt.AutoSizeParams(type="fit-x", contains="padding"),
        }
    projection = alt.Projection(**fitted_projection(box))
    return Layers(layer=layers, projection=projection, width=width, height=height, **page)


def height_param(bounds: tuple[float, float, float, float], low: float, high: float) -> alt.Parameter:
    x0, y0, x1, y1 = bounds
    return alt.param(name="height", expr=f"clamp(round(width * {(y1 - y0) / (x1 - x0)!r}), {low}, {high})")


# --- Marks placed in pixels -----------------------------------------------------------------------
# Labels, dots and arrows are drawn in pixel space from raw Equal Earth coordinates (X, Y), with the
# same arithmetic as d3's fitSize (geo.to_pixels), so they can be kept inside the plot and away from
# each other at any chart shape: a label is moved in from the edge it would cross, and a label that
# would overprint a more important one is dropped below the scale at which they collide.

LABEL_FONT = 14  # px, bold
CHAR_WIDTH = 0.6  # of the font size: a generous average for bold sans capitals and lower case
LABEL_HALF_HEIGHT = 9.0
EDGE_GAP = 4.0  # px between a label and the plot's edge
SIM_WIDTHS = tuple(range(300, 1500, 20))  # from a phone column to a wide desktop column
SLIDE_MIN_PLOT, SLIDE_MAX_PLOT = 100, 380  # px: a map's plot height on a slide, long subtitle to none
NEVER = 1e9


def label_half_width(text: str, size: float = LABEL_FONT) -> float:
    return len(text) * size * CHAR_WIDTH / 2


def raw_xy(lon, lat, box: Box) -> tuple[np.ndarray, np.ndarray]:
    """Raw Equal Earth (x, y) of lon/lat on a map framed on box (see fitted_projection)."""
    return project(lon, lat, box)


# The signal holding the plot's height: "height" on the page; on a slide the chart is the first view
# of relations/export.slide_spec's vconcat, whose plot height Vega-Lite names concat_0_height.
PAGE_HEIGHT, SLIDE_HEIGHT = "height", "concat_0_height"


def pixel_transforms(
    bounds: tuple[float, float, float, float], prefix: str = "", h: str = PAGE_HEIGHT
) -> list[dict]:
    """Vega-Lite calculate transforms: k (the fitted scale), px/py (where raw X/Y is drawn)."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return [
        {"calculate": f"min(width / {x1 - x0!r}, {h} / {y1 - y0!r})", "as": "k"},
        {"calculate": f"width / 2 + datum.k * (datum.{prefix}X - {cx!r})", "as": f"{prefix}px"},
        {"calculate": f"{h} / 2 - datum.k * (datum.{prefix}Y - {cy!r})", "as": f"{prefix}py"},
    ]


PIN_COLUMNS = ("pin_x", "pin_dx", "pin_y", "pin_dy")
ANCHOR_PAD = 12.0  # px: a pinned dot's centre from the plot's edge


def with_pins(frame: pd.DataFrame) -> pd.DataFrame:
    """pin_x / pin_y: -1 where X / Y projects; 0 the left / top edge, 1 the right / bottom edge, plus
    pin_dx / pin_dy px."""
    frame = frame.copy()
    for column in PIN_COLUMNS:
        default = -1 if column in ("pin_x", "pin_y") else 0.0
        frame[column] = frame[column].fillna(default) if column in frame else default
    return frame


def anchor_expressions(prefix: str = "", h: str = PAGE_HEIGHT) -> dict[str, str]:
    """ax, ay: the point a mark is drawn at (px/py, or an edge), kept ANCHOR_PAD inside the plot."""
    pad, d = ANCHOR_PAD, f"datum.{prefix}"
    return {
        f"{prefix}ax": (
            f"clamp({d}pin_x < 0 ? {d}px : {d}pin_x * width + {d}pin_dx, {pad}, max({pad}, width - {pad}))"
        ),
        f"{prefix}ay": (
            f"clamp({d}pin_y < 0 ? {d}py : {d}pin_y * {h} + {d}pin_dy, {pad}, max({pad}, {h} - {pad}))"
        ),
    }


def anchor_pixels(frame: pd.DataFrame, bounds, width: float, height: float) -> tuple[np.ndarray, np.ndarray]:
    """Python mirror of anchor_expressions (for the collision pass and the tests)."""
    px, py = to_pixels(frame["X"].to_numpy(), frame["Y"].to_numpy(), bounds, width, height)
    pin_x, pin_y = frame["pin_x"].to_numpy(), frame["pin_y"].to_numpy()
    ax = np.where(pin_x < 0, px, pin_x * width + frame["pin_dx"].to_numpy())
    ay = np.where(pin_y < 0, py, pin_y * height + frame["pin_dy"].to_numpy())
    pad = ANCHOR_PAD
    return np.clip(ax, pad, max(pad, width - pad)), np.clip(ay, pad, max(pad, height - pad))


def _on_plot(frame: pd.DataFrame, bounds, width: float, height: float) -> np.ndarray:
    """Whether each row's own point (X, Y, before pins) is drawn inside the plot at this shape."""
    px, py = to_pixels(frame["X"].to_numpy(), frame["Y"].to_numpy(), bounds, width, height)
    return (px >= 0) & (px <= width) & (py >= 0) & (py <= height)


def drawn_now(frame: pd.DataFrame, bounds, width: float, height: float) -> np.ndarray:
    """Python mirror of WHEN_FILTER: 'off' rows (a partner's edge marker) only while its point is off
    the plot, 'on' rows (its label on its shape) only while it is on it."""
    on = _on_plot(frame, bounds, width, height)
    when = frame["when"].to_numpy() if "when" in frame else np.full(len(frame), "always")
    return (when == "always") | ((when == "on") & on) | ((when == "off") & ~on)


def when_filter(h: str = PAGE_HEIGHT) -> str:
    """See drawn_now."""
    return (
        "datum.when == 'always' || ((datum.when == 'on') == "
        f"(datum.px >= 0 && datum.px <= width && datum.py >= 0 && datum.py <= {h}))"
    )


def label_centres(rows: pd.DataFrame, bounds, width: float, height: float) -> tuple[np.ndarray, np.ndarray]:
    """Python mirror of label_layers' placement: the label's centre, moved in from any edge it crosses."""
    ax, ay = anchor_pixels(rows, bounds, width, height)
    half = rows["half"].to_numpy()
    align = rows["align"].to_numpy() if "align" in rows else np.full(len(rows), "center")
    at = ax + rows["ox"].to_numpy()  # where the text is anchored: its start, centre or end
    shift = np.select([align == "left", align == "right"], [half, -half], 0.0)
    cx = np.clip(at + shift, half + EDGE_GAP, np.maximum(half + EDGE_GAP, width - half - EDGE_GAP))
    low, high = LABEL_HALF_HEIGHT + EDGE_GAP, height - LABEL_HALF_HEIGHT - EDGE_GAP
    cy = np.clip(ay + rows["oy"].to_numpy(), low, max(low, high))
    return cx, cy


def label_positions(rows: pd.DataFrame, bounds, width: float, height: float) -> pd.DataFrame:
    """Where each label is drawn (centre and half width, px) and whether it shows, at one chart shape."""
    cx, cy = label_centres(rows, bounds, width, height)
    k = fit_scale(bounds, width, height)
    return pd.DataFrame(
        {
            "label": rows["label"].to_numpy(),
            "cx": cx,
            "cy": cy,
            "half": rows["half"].to_numpy(),
            "shown": (k >= rows["min_k"].to_numpy())
            & (k < rows["max_k"].to_numpy())
            & drawn_now(rows, bounds, width, height),
        }
    )


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _anchors_at(rows: pd.DataFrame, bounds, shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """anchor_pixels at every shape at once: one row per (k, width, height) of shapes, one column per
    row of rows, with the same arithmetic (so the same floats)."""
    x0, y0, x1, y1 = bounds
    k, width, height = (shapes[:, i, None] for i in range(3))
    px = width / 2 + k * (rows["X"].to_numpy(dtype=float) - (x0 + x1) / 2)
    py = height / 2 - k * (rows["Y"].to_numpy(dtype=float) - (y0 + y1) / 2)
    pin_x, pin_y = rows["pin_x"].to_numpy(), rows["pin_y"].to_numpy()
    ax = np.where(pin_x < 0, px, pin_x * width + rows["pin_dx"].to_numpy())
    ay = np.where(pin_y < 0, py, pin_y * height + rows["pin_dy"].to_numpy())
    pad = ANCHOR_PAD
    ax = np.clip(ax, pad, np.maximum(pad, width - pad))
    ay = np.clip(ay, pad, np.maximum(pad, height - pad))
    on = (px >= 0) & (px <= width) & (py >= 0) & (py <= height)
    when = rows["when"].to_numpy()
    drawn = (when == "always") | ((when == "on") & on) | ((when == "off") & ~on)
    return np.stack([ax, ay]), drawn


def slide_shapes() -> list[tuple[float, float]]:
    """The plot shapes a map can have on a slide: the slide's width (before and after the fit gives it
    the axis allowance) and any height its title, subtitle, legend and footer leave."""
    widths = (SLIDE_PLOT_WIDTH, SLIDE_WIDTH - 2 * SLIDE_PADDING)
    return [(w, h) for w in widths for h in range(SLIDE_MIN_PLOT, SLIDE_MAX_PLOT + 1, 10)]


def with_label_layout(
    rows: pd.DataFrame,
    bounds,
    heights: tuple[float, float],
    obstacles: pd.DataFrame | None = None,
    sizes: list[tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """rows: label, X, Y, priority (0: always drawn), places (where to try the label, in order: a list
    of (ox, oy, align), px from its anchor to where the text is anchored, align left, center or right),
    optionally when (always, on, off: see drawn_now) and the pins of with_pins.

    sizes, when given, are the plot (width, height)s to lay out for instead of the page's (a slide's:
    slide_shapes), whose plot is shorter than the page's at the same scale, so that edge-pinned labels
    the page keeps apart would meet there.

    Returns one row per label and place used, with ox, oy, align, half (half the label's width) and
    min_k, max_k: the fitted scales between which it is drawn there. At every shape tried (a phone
    column to a wide desktop column, heights as height_param(*heights)), from the largest down, a label
    takes its first place that overprints no label placed before it (priority order) nor an obstacle
    (X, Y, pins, r px), and never goes back to an earlier place at a smaller scale; with no such place
    it is dropped there and at every smaller scale. A priority 0 label is never dropped (it keeps its
    place when every place clashes). A label centred on a shape narrower than itself would hide it
    (Belarus on a phone): with shape_width (the shape's width in raw X), its centred place is not
    tried at the scales where the label is the wider.

    The label centres (label_centres) and what is drawn (drawn_now) are computed for every shape at
    once with numpy: per shape and place through pandas they were most of building a map."""
    rows = with_pins(rows).reset_index(drop=True)
    if "when" not in rows:
        rows["when"] = "always"
    rows["half"] = [label_half_width(t) for t in rows["label"]]
    priority = rows["priority"].tolist()
    order = sorted(range(len(rows)), key=lambda i: (priority[i], i))
    sizes = sizes or [(w, map_height(bounds, w, *heights)) for w in SIM_WIDTHS]
    shapes = np.array(sorted(((fit_scale(bounds, w, h), w, h) for w, h in sizes), reverse=True))
    if obstacles is not None and not obstacles.empty:
        obstacles = with_pins(obstacles).reset_index(drop=True)
        if "when" not in obstacles:
            obstacles["when"] = "always"
        (obstacle_x, obstacle_y), obstacle_drawn = _anchors_at(obstacles, bounds, shapes)
        radius = obstacles["r"].to_numpy(dtype=float)
    else:
        obstacles = None
    places = [list(p) for p in rows["places"]]
    count = max(len(p) for p in places)
    # Place j of every label (a label with fewer places repeats its last): ox, oy, align.
    chosen_places = [[p[min(j, len(p) - 1)] for p in places] for j in range(count)]
    (ax, ay), drawn = _anchors_at(rows, bounds, shapes)
    half = rows["half"].to_numpy()
    width, height = shapes[:, 1, None], shapes[:, 2, None]
    low, high = LABEL_HALF_HEIGHT + EDGE_GAP, height - LABEL_HALF_HEIGHT - EDGE_GAP
    centres = []  # per place: (cx, cy) as lists [shape][label], as label_centres computes them
    for place in chosen_places:
        ox, oy, align = (np.array([p[n] for p in place]) for n in range(3))
        shift = np.select([align == "left", align == "right"], [half, -half], 0.0)
        cx = np.clip(ax + ox + shift, half + EDGE_GAP, np.maximum(half + EDGE_GAP, width - half - EDGE_GAP))
        cy = np.clip(ay + oy, low, np.maximum(low, high))
        centres.append((cx.tolist(), cy.tolist()))
    half_list, drawn_list = half.tolist(), drawn.tolist()
    covered = rows["shape_width"].fillna(np.inf).tolist() if "shape_width" in rows else [np.inf] * len(rows)
    centred = [[tuple(place[:2]) == (0.0, 0.0) for place in label_places] for label_places in places]
    current = [0] * len(rows)  # the place in use; len(places) once dropped
    used: dict[tuple[int, int], list[float]] = {}  # (label, place) -> scales it is drawn there at
    for s, scale in enumerate(shapes[:, 0].tolist()):
        placed = []
        if obstacles is not None:
            placed += [
                (x - r, y - r, x + r, y + r)
                for x, y, r, t in zip(obstacle_x[s], obstacle_y[s], radius, obstacle_drawn[s], strict=True)
                if t
            ]
        now = drawn_list[s]
        for i in order:
            if not now[i]:
                continue
            h = half_list[i]
            chosen = None
            for j in range(current[i], len(places[i])):
                if centred[i][j] and scale * covered[i] < 2 * h:
                    continue  # centred, it would cover the whole of its shape
                cx, cy = centres[j][0][s][i], centres[j][1][s][i]
                box = (cx - h, cy - LABEL_HALF_HEIGHT, cx + h, cy + LABEL_HALF_HEIGHT)
                if not any(_overlaps(box, b) for b in placed):
                    chosen = j
                    break
            if chosen is None and priority[i] == 0:
                chosen = min(current[i], len(places[i]) - 1)  # never dropped: the place it had
            if chosen is None:
                current[i] = len(places[i])
                continue
            current[i] = chosen
            cx, cy = centres[chosen][0][s][i], centres[chosen][1][s][i]
            placed.append((cx - h, cy - LABEL_HALF_HEIGHT, cx + h, cy + LABEL_HALF_HEIGHT))
            used.setdefault((i, chosen), []).append(scale)
    records = rows.to_dict("records")
    out = []
    for (i, j), scales in sorted(used.items()):
        earlier = [min(used[(i, e)]) for e in range(j) if (i, e) in used]
        moved_on = any((i, later) in used for later in range(j + 1, len(places[i]))) or current[i] > j
        ox, oy, align = chosen_places[j][i]
        out.append(
            {
                **records[i],
                "ox": ox,
                "oy": oy,
                "align": align,
                "min_k": min(scales) if moved_on else 0.0,  # below it: a later place, or dropped
                "max_k": min(earlier) if earlier else NEVER,  # above it: an earlier place
            }
        )
    columns = [*dict.fromkeys([*rows.columns, "ox", "oy", "align"]), "min_k", "max_k"]
    return pd.DataFrame(out, columns=columns).drop(columns=["places", "shape_width"], errors="ignore")


def pixel_chart(
    frame: pd.DataFrame, bounds, prefixes: tuple[str, ...] = ("",), h: str = PAGE_HEIGHT
) -> Layer:
    """A chart of frame with px, py (projected X, Y) and ax, ay (its anchor) computed in the browser,
    for each prefix (an arrow has s… and t… ends)."""
    calculated: dict[str, str] = {}
    for prefix in prefixes:
        calculated |= {t["as"]: t["calculate"] for t in pixel_transforms(bounds, prefix, h)}
        calculated |= anchor_expressions(prefix, h)
    return Layer(frame).transform_calculate(**calculated)


LABEL_COLUMNS = ["label", "X", "Y", "ox", "oy", "align", *PIN_COLUMNS, "half", "min_k", "max_k", "when"]
PLATE_PAD = 3.0  # px of plate around an edge label's text
PLATE_OPACITY = 0.85


def _placed(rows: pd.DataFrame, bounds, align: str, h: str) -> Layer:
    """rows' labels where with_label_layout put them at the drawn scale: tx where the text is anchored
    (its start, centre or end), clamped so the whole label is inside the plot, ty its middle."""
    gap, low = EDGE_GAP, LABEL_HALF_HEIGHT + EDGE_GAP
    anchored = {
        "left": f"clamp(datum.ax + datum.ox, {gap}, max({gap}, width - 2 * datum.half - {gap}))",
        "center": f"clamp(datum.ax + datum.ox, datum.half + {gap}, max(datum.half + {gap}, width - datum.half - {gap}))",
        "right": f"clamp(datum.ax + datum.ox, 2 * datum.half + {gap}, max(2 * datum.half + {gap}, width - {gap}))",
    }[align]
    return (
        pixel_chart(rows, bounds, h=h)
        .transform_filter(f"datum.k >= datum.min_k && datum.k < datum.max_k && ({when_filter(h)})")
        .transform_calculate(tx=anchored, ty=f"clamp(datum.ay + datum.oy, {low}, max({low}, {h} - {low}))")
    )


def _plates(rows: pd.DataFrame, bounds, align: str, fill: str, h: str) -> Layer:
    """A plate under each plated label (rows' plated column): one pinned to the plot's edge (a partner
    beyond the frame) stands where the map happens to have room, not on the partner's own shape, so it
    can fall on any country (on China's map, Australia's fell on Hainan, which showed through between
    the letters of a halo); a bloc's label stands in the path of the arrows from the circles above it
    when the country they point at lies to its left, and the plate keeps the words above the lines.
    As wide as the text measures in the font (rows' plate column, px). rows are the labels' own, so
    the plates and the labels share one table."""
    starts = {"left": "datum.tx", "center": "datum.tx - datum.plate / 2", "right": "datum.tx - datum.plate"}
    start = starts[align]
    return (
        _placed(rows, bounds, align, h)
        .transform_filter("datum.plated")
        .transform_calculate(
            x0=f"{start} - {PLATE_PAD}",
            x1=f"{start} + datum.plate + {PLATE_PAD}",
            y0=f"datum.ty - {LABEL_HALF_HEIGHT}",
            y1=f"datum.ty + {LABEL_HALF_HEIGHT}",
        )
        .mark_rect(color=fill, opacity=PLATE_OPACITY, cornerRadius=3)
        .encode(
            x=alt.X("x0:Q", scale=None, axis=None),
            x2=alt.X2("x1"),
            y=alt.Y("y0:Q", scale=None, axis=None),
            y2=alt.Y2("y1"),
        )
    )


def label_layers(rows: pd.DataFrame, bounds, halo: str, ink: str, h: str = PAGE_HEIGHT) -> list[Layer]:
    """The labels of with_label_layout, a white halo under the ink, kept inside the plot: a label that
    would cross an edge is moved in, whatever the chart's shape. Rows marked plated (labels pinned to
    an edge, bloc names) stand on a plate (_plates)."""
    layers: list[Layer] = []
    for align in ("left", "center", "right"):
        part = rows[rows["align"] == align] if not rows.empty else rows
        if part.empty:
            continue
        plated = part["plated"].astype(bool) if "plated" in part else pd.Series(False, index=part.index)
        part = part[LABEL_COLUMNS].assign(plated=plated.to_numpy())
        if plated.any():
            part = part.assign(plate=[text_width(label, LABEL_FONT, bold=True) for label in part["label"]])
            layers.append(_plates(part, bounds, align, halo, h))
        base = _placed(part, bounds, align, h).encode(
            x=alt.X("tx:Q", scale=None, axis=None),
            y=alt.Y("ty:Q", scale=None, axis=None),
            text=alt.Text("label:N"),
        )
        style = {"fontSize": LABEL_FONT, "fontWeight": "bold", "align": align, "baseline": "middle"}
        layers += [
            base.mark_text(stroke=halo, strokeWidth=4, strokeOpacity=0.9, strokeJoin="round", **style),
            base.mark_text(color=ink, **style),
        ]
    return layers
