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


def place_labels(
    positions: list[float], labels: list[str], width: float = MIN_PLOT_WIDTH
) -> list[tuple[int, str]]:
    """(lane, align) for each label, in order: the lowest lane where it stays inside the plot and clear
    of the labels already there, trying the side that faces the middle first. Laid out at the narrowest
    plot: at any wider one rules move apart while labels keep their size, so none can meet. A label
    that fits nowhere gets lane -1 (its rule stays, the tooltip names it)."""
    placed: list[tuple[int, float, float]] = []
    out = []
    for position, label in zip(positions, labels, strict=True):
        sides = ("left", "right") if position <= RIGHT_ALIGN_FROM else ("right", "left")
        choice = (-1, sides[0])
        for lane in range(MAX_LANES):
            for align in sides:
                low, high = label_extent(position, label, align, width)
                clear = all(
                    high + LABEL_GAP <= lo or low >= hi + LABEL_GAP for n, lo, hi in placed if n == lane
                )
                if low >= 0 and high <= width and clear:
                    choice = (lane, align)
                    break
            if choice[0] >= 0:
                break
        if choice[0] >= 0:
            placed.append((choice[0], *label_extent(position, label, choice[1], width)))
        out.append(choice)
    return out


def milestone_layer(milestones: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> Layers:
    """Dashed rules with labels above the plot, each in the lowest lane where it meets no other label
    at the narrowest page width (place_labels)."""
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
        if offset != 0  # lane 0: the label fits nowhere, the rule and its tooltip stay
    ]  # only the lanes in use: an empty layer gives Vega an infinite extent
    return Layers(data=frame, layer=[rules, *labels])
