"""The timeline: one row per event, days as dots and months as bars, on a time scale that gives the
busiest weeks room (a widened window, marked as such) so every event can be read."""

import datetime as dt
import json
import textwrap

import altair as alt
import pandas as pd

from relations.charts.palette import INK, MUTED, PRECISION
from relations.charts.style import LABEL_SIZE, framed_figure
from relations.citing import Footnotes
from relations.data.loading import Dataset
from relations.dates import MONTHS, date_in_words, parse_partial_date
from relations.figures import Figure
from relations.paging import spans
from relations.profile import country_names

DEFAULT_START = dt.date(2022, 9, 1)
DEFAULT_END = dt.date(2023, 3, 31)
LINE_HEIGHT = 17  # px per label line at 14 px type
CHART_WIDTH = 640
LABEL_CHARS = 30  # row labels wrap, never truncate
PRECISION_LABELS = {"day": "exact day", "month": "month only"}
MATCH_RULES = ("all", "any")
DENSE_SHARE = 2 / 3  # the window that holds this share of the events…
WIDENED_TO = 0.7  # …gets this share of the width, when it is short
PAD_DAYS = 3
SLIDE_ROW = 22  # px between events on a slide, where each label is one line
SLIDE_LABEL_SWITCH = 0.45  # labels follow their mark left of this, precede it right of it
EVENTS_PER_PAGE = 40  # a page of rows a reader can scan; longer lists are paged


def _month_end(date: dt.date) -> dt.date:
    following = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def matches(event_actors: list[str], chosen: list[str], rule: str) -> bool:
    """'all': the event involves every chosen actor; 'any': at least one. No choice: every event."""
    if not chosen:
        return True
    return set(chosen) <= set(event_actors) if rule == "all" else bool(set(chosen) & set(event_actors))


def dated_items(dataset: Dataset) -> pd.DataFrame:
    """Events, and the dated stances (who said what about whom) in the events' shape, so both are on
    the timeline; an undated stance has no place on it."""
    events = dataset["events"]
    stances = dataset.tables.get("stances")
    if stances is None or stances.empty:
        return events
    names = country_names(dataset)
    dated = stances[stances["date"] != ""]
    rows = [
        {
            "id": stance["id"],
            "date": stance["date"],
            "actors": list(dict.fromkeys([*stance["speaker"], *stance["subject"]])),
            "title": f"{stance.get('voice') or ', '.join(names.get(c, c) for c in stance['speaker'])} "
            f"{stance['stance']}: {stance['summary']}",
            "kind": "stance",
            "place": "",
            "axis_label": "",
            "citations": stance["citations"],
        }
        for _, stance in dated.iterrows()
    ]
    return pd.concat([events, pd.DataFrame(rows, columns=list(rows[0]) if rows else [])], ignore_index=True)


def _placeable(event: pd.Series, actors: list[str], start: dt.date, end: dt.date, rule: str) -> bool:
    """Year-only dates are left out because a single year cannot be placed honestly on a scale of days."""
    date, precision = parse_partial_date(event["date"])
    return precision != "year" and start <= date <= end and matches(event["actors"], actors, rule)


def matching_event_ids(
    dataset: Dataset,
    actors: tuple[str, ...] = (),
    rule: str = "all",
    start: dt.date = DEFAULT_START,
    end: dt.date = DEFAULT_END,
) -> list[str]:
    """Ids of the events the timeline would show, in date order: cheap, for paging."""
    events = dated_items(dataset)
    kept = events[[_placeable(e, list(actors), start, end, rule) for _, e in events.iterrows()]]
    return list(
        kept.assign(when=[parse_partial_date(d)[0] for d in kept["date"]]).sort_values(["when", "id"])["id"]
    )


def timeline_rows(
    dataset: Dataset,
    actors: list[str],
    start: dt.date,
    end: dt.date,
    notes: Footnotes,
    rule: str = "all",
    only: set[str] | None = None,
) -> pd.DataFrame:
    """Events in [start, end] matching the actors (and, for one page of a long list, only those ids)."""
    names = country_names(dataset)
    quotes = dataset["citations"].set_index("id")["quote"]
    rows = []
    for _, event in dated_items(dataset).iterrows():
        if (only is not None and event["id"] not in only) or not _placeable(event, actors, start, end, rule):
            continue
        date, precision = parse_partial_date(event["date"])
        when = date_in_words(event["date"])
        rows.append(
            {
                "id": event["id"],
                "date": when,
                "start": date,
                "end": date if precision == "day" else _month_end(date),
                "precision": PRECISION_LABELS[precision],
                "row": "\n".join([when, *textwrap.wrap(event["title"], LABEL_CHARS)]),
                "title": event["title"],
                "actors": ", ".join(names.get(a, a) for a in event["actors"]),
                "place": event["place"] or "—",
                "quote": f"“{quotes[event['citations'][0]]}”",
                "sources": notes.marker(event["citations"]),
                "kind": event["kind"],
                "citations": ";".join(event["citations"]),
            }
        )
    return pd.DataFrame(rows).sort_values(["start", "id"]).reset_index(drop=True) if rows else pd.DataFrame()


def dense_window(dates: list[dt.date]) -> tuple[dt.date, dt.date] | None:
    """The shortest span holding two thirds of the events, if it is under a quarter of the whole span."""
    dates = sorted(dates)
    need = max(2, round(len(dates) * DENSE_SHARE))
    if len(dates) < 3 or need > len(dates):
        return None
    spans = [(dates[i + need - 1] - dates[i], i) for i in range(len(dates) - need + 1)]
    width, first = min(spans)
    whole = dates[-1] - dates[0]
    if whole.days == 0 or width.days > whole.days / 4:
        return None
    return dates[first] - dt.timedelta(days=PAD_DAYS), dates[first + need - 1] + dt.timedelta(days=PAD_DAYS)


def piecewise_position(
    date: dt.date, start: dt.date, end: dt.date, window: tuple[dt.date, dt.date] | None
) -> float:
    """0..1 across the chart: linear outside the window, widened inside it."""
    if window is None:
        return (date - start).days / max((end - start).days, 1)
    before = (window[0] - start).days
    after = (end - window[1]).days
    rest = 1 - WIDENED_TO
    outside = before + after or 1
    left_share, right_share = rest * before / outside, rest * after / outside
    if date <= window[0]:
        return left_share * (date - start).days / max(before, 1)
    if date >= window[1]:
        return left_share + WIDENED_TO + right_share * (date - window[1]).days / max(after, 1)
    return left_share + WIDENED_TO * (date - window[0]).days / max((window[1] - window[0]).days, 1)


def _ticks(start: dt.date, end: dt.date, window: tuple[dt.date, dt.date] | None) -> pd.DataFrame:
    """Month starts outside the window; inside it, every few days, so the widened scale is visible."""
    ticks = []
    month = start.replace(day=1)
    while month <= end:
        if window is None or not (window[0] <= month <= window[1]):
            ticks.append(
                (
                    month,
                    f"{MONTHS[month.month - 1][:3]} {month.year}"
                    if month.month == 1 or not ticks
                    else "",  # narrow months outside the window: only the first and each January are named
                )
            )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if window is not None:
        day = window[0] + dt.timedelta(days=1)
        while day < window[1]:
            ticks.append((day, f"{day.day} {MONTHS[day.month - 1][:3]}"))
            day += dt.timedelta(days=4)
    frame = pd.DataFrame(ticks, columns=["date", "label"])
    frame["pos"] = [piecewise_position(d, start, end, window) for d in frame["date"]]
    return frame.drop(columns="date")


def _headline(names: list[str], rule: str) -> str:
    if not names:
        return "Events, September 2022 – March 2023"
    joined = " and ".join(names) if rule == "all" else " or ".join(names)
    return f"Events involving {joined}"


def timeline_figure(
    dataset: Dataset,
    actors: tuple[str, ...] | list[str] = (),
    rule: str = "all",
    start: dt.date = DEFAULT_START,
    end: dt.date = DEFAULT_END,
    notes: Footnotes | None = None,
    page: int = 0,
) -> Figure:
    """page: which EVENTS_PER_PAGE-long span of the matching events to draw (the first by default)."""
    notes = (notes or Footnotes(dataset)).scope()
    names = country_names(dataset)
    actor_names = [names.get(a, a) for a in actors]
    ids = matching_event_ids(dataset, tuple(actors), rule, start, end)
    span = spans(len(ids), EVENTS_PER_PAGE)[min(page, len(spans(len(ids), EVENTS_PER_PAGE)) - 1)]
    frame = timeline_rows(
        dataset, list(actors), start, end, notes, rule, only=set(ids[span.start : span.stop])
    )
    title = _headline(actor_names, rule)
    rule_text = (
        (
            "Each event involves every chosen actor."
            if rule == "all"
            else "Each event involves at least one chosen actor."
        )
        if actors
        else "All recorded events."
    )
    subtitle = f"{rule_text} Dots: dated to the day; bars: the source gives only the month."
    if len(ids) > EVENTS_PER_PAGE:
        subtitle = f"Events {span.label} of {len(ids):,}. " + subtitle
    if frame.empty:
        chart = (
            alt.Chart(pd.DataFrame({"text": ["No events for this selection"]}))
            .mark_text(fontSize=LABEL_SIZE)
            .encode(text="text:N")
        )
        return framed_figure(
            "timeline",
            title,
            subtitle,
            chart,
            notes,
            frame,
            summary="Timeline: no events for this selection.",
        )
    window = dense_window(list(frame["start"]))
    if window:
        subtitle += f" The scale is widened for {date_in_words(window[0].isoformat())} – {date_in_words(window[1].isoformat())} (shaded), where most events fall."
    frame["x"] = [piecewise_position(d, start, end, window) for d in frame["start"]]
    frame["x2"] = [piecewise_position(d, start, end, window) for d in frame["end"]]
    tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("title:N", title="Event"),
        alt.Tooltip("actors:N", title="Actors"),
        alt.Tooltip("place:N", title="Place"),
        alt.Tooltip("quote:N", title="Quote"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    x_scale = alt.Scale(domain=[0, 1], nice=False, zero=False)
    base = alt.Chart(frame.drop(columns=["start", "end"])).encode(
        y=alt.Y(
            "row:N",
            sort=list(frame["row"]),
            title=None,
            axis=alt.Axis(
                labelLimit=0,
                labelExpr="split(datum.label, '\\n')",
                labelFontSize=LABEL_SIZE,
                labelColor=INK,
                labelPadding=8,
                ticks=False,
                domain=False,
            ),
        ),
        tooltip=tooltip,
    )
    ticks = _ticks(start, end, window)
    positions = [round(p, 5) for p in ticks["pos"]]
    # A real axis (not drawn text) so Vega drops labels that would overlap on a narrow screen.
    label_of = " : ".join(
        f"abs(datum.value - {p}) < 1e-6 ? {json.dumps(label)}"
        for p, label in zip(positions, ticks["label"], strict=True)
    )
    x_axis = alt.Axis(
        values=positions,
        labelExpr=f"{label_of} : ''",
        orient="top",
        grid=True,
        gridColor="#d0d0d0",
        ticks=False,
        domain=False,
        labelOverlap="greedy",
        labelFontSize=LABEL_SIZE - 1,
        labelColor=MUTED,
        title=None,
    )
    layers: list[alt.Chart] = []
    if window:
        band = pd.DataFrame(
            {
                "x": [piecewise_position(window[0], start, end, window)],
                "x2": [piecewise_position(window[1], start, end, window)],
            }
        )
        layers.append(
            alt.Chart(band)
            .mark_rect(color="#f2f2f2")
            .encode(x=alt.X("x:Q", scale=x_scale, axis=x_axis), x2="x2:Q")
        )
    colour = alt.Color(
        "precision:N",
        title=None,
        scale=alt.Scale(
            domain=[p for p in PRECISION if p in set(frame["precision"])],
            range=[PRECISION[p] for p in PRECISION if p in set(frame["precision"])],
        ),
        legend=alt.Legend(orient="bottom"),
    )
    layers += _precision_marks(base, colour, alt.X("x:Q", scale=x_scale, axis=x_axis), bar=12, dot=110)
    lines = max(label.count("\n") + 1 for label in frame["row"])
    row_height = LINE_HEIGHT * lines + 12  # the longest label's lines, and air between rows
    chart = alt.layer(*layers).properties(width=CHART_WIDTH, height=row_height * len(frame))
    slide = _slide_layout(frame, layers[: len(layers) - 2], colour, x_scale, x_axis)
    summary = "; ".join(f"{d}: {t}" for d, t in zip(frame["date"], frame["title"], strict=True))
    return framed_figure(
        "timeline",
        title,
        subtitle,
        chart,
        notes,
        frame.drop(columns=["start", "end", "row", "x", "x2"]),
        summary=f"Timeline. {summary}.",
        slide_chart=slide,
    )


def _precision_marks(base: alt.Chart, colour: alt.Color, x: alt.X, bar: int, dot: int) -> list[alt.Chart]:
    """A bar across the month when the source gives only the month, a dot on the day when it gives one."""
    return [
        base.transform_filter(alt.datum.precision == "month only")
        .mark_bar(height=bar, opacity=0.9)
        .encode(x=x, x2="x2:Q", color=colour),
        base.transform_filter(alt.datum.precision == "exact day")
        .mark_point(filled=True, size=dot, opacity=1)
        .encode(x=x, color=colour),
    ]


def _slide_layout(
    frame: pd.DataFrame, furniture: list[alt.Chart], colour: alt.Color, x_scale: alt.Scale, x_axis: alt.Axis
) -> alt.LayerChart:
    """For a 16:9 slide: one line per event written beside its dot (after it in the first part of the
    axis, before it in the rest) or over its month bar, rows SLIDE_ROW px apart, so fifteen events fit
    at projector size."""
    rows = frame.drop(columns=["start", "end"]).assign(
        line=[f"{d} · {t}" for d, t in zip(frame["date"], frame["title"], strict=True)],
        side=[
            "inside" if precision == "month only" else "after" if x < SLIDE_LABEL_SWITCH else "before"
            for x, precision in zip(frame["x"], frame["precision"], strict=True)
        ],
        order=range(len(frame)),
    )
    y = alt.Y("order:O", axis=None)
    base = alt.Chart(rows).encode(y=y)
    marks = _precision_marks(base, colour, alt.X("x:Q", scale=x_scale, axis=x_axis), bar=10, dot=90)
    labels = [
        base.transform_filter(alt.datum.side == side)
        .mark_text(align=align, dx=dx, fontSize=LABEL_SIZE, color=INK)
        .encode(x=alt.X("x:Q", scale=x_scale, axis=x_axis), text="line:N")
        for side, align, dx in (("after", "left", 9), ("before", "right", -9), ("inside", "left", 6))
        if side in set(rows["side"])
    ]
    return alt.layer(*furniture, *marks, *labels).properties(width=CHART_WIDTH, height=SLIDE_ROW * len(rows))
