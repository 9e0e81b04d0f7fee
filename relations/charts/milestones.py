"""Milestone rules for time axes, taken from the events table so no chart types its own dates."""

import datetime as dt

import altair as alt
import pandas as pd

from relations.charts.palette import MUTED
from relations.charts.style import LABEL_SIZE
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.dates import date_in_words, parse_partial_date

LANE_OFFSETS = (-8, -26)  # px above the plot: alternate lanes keep close labels apart
RIGHT_ALIGN_FROM = 0.6  # labels in the right part of the axis end at their rule, so none hangs past the edge


def milestones_between(dataset: Dataset, start: dt.date, end: dt.date, notes: Footnotes) -> pd.DataFrame:
    events = dataset["events"]
    events = events[events["axis_label"] != ""]
    rows = []
    for _, event in events.iterrows():
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
    frame = pd.DataFrame(rows, columns=["date", "when", "label", "event"]).sort_values("date")
    frame["lane"] = [LANE_OFFSETS[i % len(LANE_OFFSETS)] for i in range(len(frame))]
    return frame


def milestone_layer(milestones: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> alt.LayerChart:
    """Dashed rules with labels above the plot; lanes alternate so neighbouring labels do not overlap."""
    frame = milestones.copy()
    span = (end - start) / pd.Timedelta(days=1) or 1
    frame["align"] = [
        "right" if (date - start) / pd.Timedelta(days=1) / span > RIGHT_ALIGN_FROM else "left"
        for date in frame["date"]
    ]
    base = alt.Chart(frame).encode(
        x=alt.X("date:T"),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("event:N", title="Event")],
    )
    rules = base.mark_rule(strokeDash=[4, 4], color=MUTED)
    labels = [
        base.transform_filter((alt.datum.lane == offset) & (alt.datum.align == align))
        .mark_text(
            align=align, dx=3 if align == "left" else -3, dy=offset, y=0, fontSize=LABEL_SIZE - 1, color=MUTED
        )
        .encode(text="label:N")
        for offset, align in sorted(set(zip(frame["lane"], frame["align"], strict=True)))
    ]  # only the lanes in use: an empty layer gives Vega an infinite extent
    return alt.layer(rules, *labels)
