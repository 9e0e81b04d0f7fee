"""The timeline: one row per event, days as points and months as spans, each with its quote."""

import datetime as dt

import altair as alt
import pandas as pd

from relations.charts.style import BLUE, INK, LABEL_SIZE, ORANGE, framed_figure
from relations.citing import Footnotes
from relations.dataset import Dataset
from relations.dates import parse_partial_date
from relations.figures import Figure
from relations.profile import country_names

DEFAULT_START = dt.date(2022, 9, 1)
DEFAULT_END = dt.date(2023, 3, 31)
ROW_HEIGHT = 24
CHART_WIDTH = 520
PRECISION_LABELS = {"day": "exact day", "month": "month only"}


def _month_end(date: dt.date) -> dt.date:
    following = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def timeline_rows(
    dataset: Dataset, actors: list[str], start: dt.date, end: dt.date, notes: Footnotes
) -> pd.DataFrame:
    """Events in [start, end] with any of the actors (all when none are chosen); year-only dates are left
    out because a single year cannot be placed honestly on a scale of days."""
    names = country_names(dataset)
    quotes = dataset["citations"].set_index("id")["quote"]
    rows = []
    for _, event in dataset["events"].iterrows():
        date, precision = parse_partial_date(event["date"])
        if precision == "year" or not (start <= date <= end):
            continue
        if actors and not set(actors) & set(event["actors"]):
            continue
        span_end = date if precision == "day" else _month_end(date)
        rows.append(
            {
                "id": event["id"],
                "date": event["date"],
                "start": pd.Timestamp(date),
                "end": pd.Timestamp(span_end),
                "precision": PRECISION_LABELS[precision],
                "row": f"{event['date']}  {event['title']}",
                "title": event["title"],
                "actors": ", ".join(names[a] for a in event["actors"]),
                "place": event["place"] or "—",
                "quote": f"“{quotes[event['citations'][0]]}”",
                "sources": notes.marker(event["citations"]),
                "kind": event["kind"],
                "citations": ";".join(event["citations"]),
            }
        )
    return pd.DataFrame(rows).sort_values(["start", "id"]).reset_index(drop=True) if rows else pd.DataFrame()


def timeline_figure(
    dataset: Dataset,
    actors: tuple[str, ...] | list[str] = (),
    start: dt.date = DEFAULT_START,
    end: dt.date = DEFAULT_END,
) -> Figure:
    notes = Footnotes(dataset)
    frame = timeline_rows(dataset, list(actors), start, end, notes)
    who = ", ".join(actors) if actors else "all actors"
    title = "Timeline, September 2022 – March 2023"
    subtitle = f"Events involving {who}. Dots: dated to the day; bars: the source gives only the month."
    if frame.empty:
        chart = (
            alt.Chart(pd.DataFrame({"text": ["No events for this selection"]}))
            .mark_text(fontSize=LABEL_SIZE)
            .encode(text="text:N")
        )
        return framed_figure("timeline", title, subtitle, chart, notes, frame, qualifiers=False)
    tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("title:N", title="Event"),
        alt.Tooltip("actors:N", title="Actors"),
        alt.Tooltip("place:N", title="Place"),
        alt.Tooltip("quote:N", title="Quote"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    order = list(frame["row"])
    base = alt.Chart(frame).encode(
        y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=420, labelFontSize=LABEL_SIZE - 1)),
        tooltip=tooltip,
    )
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(domain=[pd.Timestamp(start).isoformat(), pd.Timestamp(end).isoformat()]),
    )
    spans = (
        base.transform_filter(alt.datum.precision == "month only")
        .mark_bar(height=10, color=ORANGE, opacity=0.7)
        .encode(x=x, x2="end:T")
    )
    points = (
        base.transform_filter(alt.datum.precision == "exact day")
        .mark_point(filled=True, size=90, color=BLUE)
        .encode(x=x)
    )
    markers = base.mark_text(align="left", dx=8, fontSize=LABEL_SIZE - 2, color=INK).encode(
        x="end:T", text="sources:N"
    )
    chart = alt.layer(spans, points, markers).properties(width=CHART_WIDTH, height=ROW_HEIGHT * len(frame))
    return framed_figure(
        "timeline",
        title,
        subtitle,
        chart,
        notes,
        frame.drop(columns=["start", "end", "row"]),
        qualifiers=False,
    )
