"""Milestone rules for time axes, taken from the events table so no chart types its own dates."""

import datetime as dt

import altair as alt
import pandas as pd

from relations.charts.layers import Layer, Layers
from relations.charts.palette import MUTED
from relations.charts.style import LABEL_SIZE, MIN_PLOT_WIDTH, text_width
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.dates import date_in_words, parse_partial_date
from relations.rows import records

FIRST_LANE, LANE_STEP, MAX_LANES = -8, 18, 4  # px above the plot; a label takes the lowest lane it fits in
RIGHT_ALIGN_FROM = 0.6  # labels in the right part of the axis end at their rule, so none hangs past the edge
LABEL_DX = 3
LABEL_GAP = 8  # px between two labels in one lane
SEARCH_STEPS = (
    20_000  # choices the layout search tries before it keeps the best found (four labels: hundreds)
)
WIDTH_MARGIN = 1.1  # the page's face may set a little wider than the one measured


def milestones_between(dataset: Dataset, start: dt.date, end: dt.date, notes: Footnotes) -> pd.DataFrame:
    events = dataset["events"]
    events = events[events["axis_label"] != ""]
    rows = []
    for event in records(events):
        date, _ = parse_partial_date(event["date"])
        if start <= date <= end:
            notes.number(event["citations"])
            rows.append(
                {
                    "date": pd.Timestamp(date),
                    "when": date_in_words(event["date"]),
                    "label": event["axis_label"],
                    "event": event["title"],
                }
            )
    return pd.DataFrame(rows, columns=["date", "when", "label", "event"]).sort_values("date")


def label_extent(position: float, label: str, align: str, width: float) -> tuple[float, float]:
    """Left and right edge in px of a milestone label whose rule is at position (0..1) of a plot width
    px wide."""
    x, w = position * width, text_width(label, LABEL_SIZE) * WIDTH_MARGIN
    return (x + LABEL_DX, x + LABEL_DX + w) if align == "left" else (x - LABEL_DX - w, x - LABEL_DX)


def _clear(
    lane: int, low: float, high: float, pole: float, placed: list[tuple[int, float, float, float]]
) -> bool:
    """Clear of every label already placed: apart from those in its lane, and no pole (the rule's
    dashed line up to its label) through a label: its own through those below it, theirs through it."""
    for other_lane, other_low, other_high, other_pole in placed:
        if other_lane == lane and not (high + LABEL_GAP <= other_low or low >= other_high + LABEL_GAP):
            return False
        if other_lane < lane and other_low - LABEL_GAP / 2 <= pole <= other_high + LABEL_GAP / 2:
            return False
        if other_lane > lane and low - LABEL_GAP / 2 <= other_pole <= high + LABEL_GAP / 2:
            return False
    return True


def place_labels(
    positions: list[float], labels: list[str], width: float = MIN_PLOT_WIDTH
) -> list[tuple[int, str]]:
    """(lane, align) for each label: inside the plot, clear of every other label and pole; as many
    labels as can be, in as few and as low lanes as can be, each on the side that faces the middle
    where it can. Laid out at the narrowest plot: at any wider one rules move apart while labels keep
    their size, so none can meet. A search over the choices, since placing one label at a time can
    leave no room for the next (a pole must not pass through a label below it), cut off after
    SEARCH_STEPS with the best layout found by then. A label left out gets lane -1: its rule stays,
    and the tooltip names it."""
    options = []
    for position, label in zip(positions, labels, strict=True):
        sides = ("left", "right") if position <= RIGHT_ALIGN_FROM else ("right", "left")
        extents = [
            (side, align, label_extent(position, label, align, width)) for side, align in enumerate(sides)
        ]
        options.append(
            [
                (lane, align, side, (low, high), position * width)
                for lane in range(MAX_LANES)
                for side, align, (low, high) in extents
                if low >= 0 and high <= width
            ]
        )
    # cost: labels left out, highest lane, sum of lanes, labels on their second side (lower is better)
    best: list = [None, [(-1, "left")] * len(options)]
    steps = [0]

    def search(index: int, placed: list, chosen: list, cost: tuple[int, int, int, int]) -> None:
        if best[0] is not None and cost >= best[0]:
            return
        if index == len(options):
            best[:] = [cost, list(chosen)]
            return
        for lane, align, side, (low, high), pole in options[index]:
            steps[0] += 1
            if steps[0] > SEARCH_STEPS:
                return
            if _clear(lane, low, high, pole, placed):
                placed.append((lane, low, high, pole))
                chosen.append((lane, align))
                lanes = (cost[0], max(cost[1], lane), cost[2] + lane, cost[3] + side)
                search(index + 1, placed, chosen, lanes)
                placed.pop()
                chosen.pop()
        chosen.append((-1, "left"))  # or leave this one out
        search(index + 1, placed, chosen, (cost[0] + 1, *cost[1:]))
        chosen.pop()

    search(0, [], [], (0, 0, 0, 0))
    return best[1]


def milestone_layer(milestones: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> Layers:
    """Dashed rules with labels above the plot, each in the lowest lane where it meets no other label
    at the narrowest page width (place_labels). Each rule goes on up to its label as a pole, so a
    label three lanes up still reads as its rule's."""
    frame = milestones.copy()
    span = (end - start) / pd.Timedelta(days=1) or 1
    positions = [(date - start) / pd.Timedelta(days=1) / span for date in frame["date"]]
    placement = place_labels(positions, list(frame["label"]))
    frame["lane"] = [FIRST_LANE - LANE_STEP * lane if lane >= 0 else 0 for lane, _ in placement]
    frame["align"] = [align for _, align in placement]
    base = Layer().encode(
        x=alt.X("date:T"),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("event:N", title="Event")],
    )
    rules = base.mark_rule(strokeDash=[4, 4], color=MUTED)
    lanes = sorted(set(frame["lane"]) - {0})  # 0: the label fits nowhere, the rule and its tooltip stay
    poles = [
        base.transform_filter(alt.datum.lane == offset).mark_rule(
            strokeDash=[4, 4], color=MUTED, y=offset, y2=0
        )
        for offset in lanes
    ]
    labels = [
        base.transform_filter((alt.datum.lane == offset) & (alt.datum.align == align))
        .mark_text(
            align=align,
            dx=LABEL_DX if align == "left" else -LABEL_DX,
            dy=offset,
            y=0,
            fontSize=LABEL_SIZE,
            color=MUTED,
        )
        .encode(text=alt.Text("label:N"))
        for offset, align in sorted(set(zip(frame["lane"], frame["align"], strict=True)))
        if offset != 0
    ]  # only the lanes in use: an empty layer gives Vega an infinite extent
    return Layers(data=frame, layer=[rules, *poles, *labels])
