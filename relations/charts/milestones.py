"""Milestone rules for time axes, taken from the events table so no chart types its own dates."""

import datetime as dt

import altair as alt
import pandas as pd

from relations.charts.style import LABEL_SIZE, MUTED
from relations.citing import Footnotes
from relations.dataset import Dataset
from relations.dates import parse_partial_date

LANE_OFFSETS = (-6, -22)  # px above the plot: alternate lanes keep close labels apart


def milestones_between(dataset: Dataset, start: dt.date, end: dt.date, notes: Footnotes) -> pd.DataFrame:
    events = dataset["events"]
    events = events[events["axis_label"] != ""]
    rows = []
    for _, event in events.iterrows():
        date, _ = parse_partial_date(event["date"])
        if start <= date <= end:
            rows.append(
                {
                    "date": pd.Timestamp(date),
                    "when": event["date"],
                    "label": f"{event['axis_label']} {notes.marker(event['citations'])}",
                    "event": event["title"],
                }
            )
    frame = pd.DataFrame(rows, columns=["date", "when", "label", "event"]).sort_values("date")
    frame["lane"] = [LANE_OFFSETS[i % len(LANE_OFFSETS)] for i in range(len(frame))]
    return frame


def milestone_layer(milestones: pd.DataFrame) -> alt.LayerChart:
    """Dashed rules with labels; lanes alternate so neighbouring labels do not overlap."""
    base = alt.Chart(milestones).encode(
        x=alt.X("date:T"),
        tooltip=[alt.Tooltip("when:N", title="Date"), alt.Tooltip("event:N", title="Event")],
    )
    rules = base.mark_rule(strokeDash=[4, 4], color=MUTED)
    labels = [
        base.transform_filter(alt.datum.lane == offset)
        .mark_text(align="left", dx=3, dy=offset, y=0, fontSize=LABEL_SIZE - 1, color=MUTED)
        .encode(text="label:N")
        for offset in LANE_OFFSETS
    ]
    return alt.layer(rules, *labels)
