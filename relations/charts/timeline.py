"""The timeline: one row per event, days as dots and months as bars, on a time scale that gives the
busiest weeks room (a widened window, marked as such) so every event can be read. Every recorded event
is on it: one dated only to a year has its row in date order with no mark on the scale, said so."""

import datetime as dt
import json
import re
import textwrap
from collections.abc import Callable, Mapping

import altair as alt
import pandas as pd

from relations.charts.layers import Layer, Layers
from relations.charts.palette import INK, MUTED, PRECISION, WHITE
from relations.charts.style import (
    LABEL_SIZE,
    SLIDE_LABEL_SIZE,
    SLIDE_PLOT_WIDTH,
    SUBTITLE_CHARS,
    framed_figure,
    slide_plot_height,
    text_width,
    wrap_to_width,
)
from relations.citing import Footnotes
from relations.data.loading import Dataset, per_dataset
from relations.dates import MONTHS, date_in_words, last_day, month_end, parse_partial_date
from relations.figures import Figure
from relations.paging import spans
from relations.profile import country_names
from relations.rows import records

# No limits by default: the timeline shows every recorded event, on a scale from the first dated one
# to the last. A caller that passes a narrower range gets a subtitle saying what it leaves out.
DEFAULT_START = dt.date.min
DEFAULT_END = dt.date.max
LINE_HEIGHT = 17  # px per label line at 14 px type
ROW_GAP = 10  # px of air between two rows
WINDOW_TICK_DAYS = 7
PAGE_FURNITURE = 70  # px of the page chart for the axis above the rows and the legend below them
BOTTOM_AXIS = 24  # px more on the page for the scale named again below the rows…
TALL_ROWS = 600  # …when the rows are taller than this (most of a screen); a short chart keeps one
CHART_WIDTH = 640
LABEL_WIDTH = 210  # px a row label wraps to on the page, never truncated
PRECISION_LABELS = {"day": "exact day", "month": "month only", "year": "year only"}
# A month-only event is a thin bar across its month: drawn as boldly as a dot, a month's bar in the
# widened weeks was the most prominent mark of the chart while it says the least.
MONTH_BAR_HEIGHT = 6
NARROW_AXIS = 320  # px of plot below which the time axis names only the widened weeks
PRECISION_SYMBOLS = {"exact day": "circle", "month only": "M-1,-0.3H1V0.3H-1Z"}  # a dot; a thin bar
MATCH_RULES = ("all", "any")
MATCH_LABELS = {"all": "every chosen actor", "any": "any chosen actor"}  # as the page's control says them
DENSE_SHARE = 2 / 3  # the window that holds this share of the events…
WIDENED_TO = 0.7  # …gets this share of the width, when it is short
PAD_DAYS = 3
SLIDE_LINE = 18  # px per label line on a slide at 14 pt
SLIDE_ROW_GAP = 6
SLIDE_LABEL_WIDTH = 540  # px of the slide's plot for the labels; the scale takes the rest
SLIDE_FOOTER_LINES = 3  # source lines a timeline slide allows for
EVENTS_PER_PAGE = 40  # a page of rows a reader can scan; longer lists are paged
SAME_FACT = 0.75  # a stance whose event's title has this share of its words repeats that event
YEAR_ONLY_TEXT = "only the year is known: not placed on the scale"
RANGE_DASH = "\u00a0– "  # between a range's dates: a wrapped line may end after the dash, never start with it


def matches(event_actors: list[str], chosen: list[str], rule: str) -> bool:
    """'all': the event involves every chosen actor; 'any': at least one. No choice: every event."""
    if not chosen:
        return True
    return set(chosen) <= set(event_actors) if rule == "all" else bool(set(chosen) & set(event_actors))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def repeats_an_event(stance: Mapping, events: pd.DataFrame) -> bool:
    """A stance says again what an event of the same day says, resting on a quote the event cites, when
    most of the event title's words are in the stance's summary ("Lukashenko denies reports of a
    Kremlin plan…" and "Lukashenko denied reports that the Kremlin had drafted a plan…")."""
    return _repeats(stance, _events_by_day(events))


def _events_by_day(events: pd.DataFrame) -> dict[str, list[tuple[set[str], set[str]]]]:
    """date -> (title words, cited quotes) of each event that day: looked up once per stance instead of
    filtering the events table for each (a dataset of thousands of stances took seconds)."""
    by_day: dict[str, list[tuple[set[str], set[str]]]] = {}
    for date, title, citations in zip(events["date"], events["title"], events["citations"], strict=True):
        by_day.setdefault(date, []).append((_words(title), set(citations)))
    return by_day


def _repeats(stance: Mapping, by_day: dict[str, list[tuple[set[str], set[str]]]]) -> bool:
    summary = _words(stance["summary"])
    return any(
        title and set(stance["citations"]) & cited and len(title & summary) / len(title) >= SAME_FACT
        for title, cited in by_day.get(stance["date"], [])
    )


# The last word of a voice that names several people ("U.S. officials"): their verb takes no -s.
PLURAL_VOICES = {
    "officials",
    "allies",
    "leaders",
    "ministers",
    "diplomats",
    "governments",
    "partners",
    "authorities",
}


def _plural(verb: str) -> str:
    """'warns' -> 'warn', 'denies' -> 'deny', 'dismisses' -> 'dismiss', 'accuses' -> 'accuse'."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes")):
        return verb[:-2]
    return verb[:-1] if verb.endswith("s") else verb


def stance_title(stance: Mapping, names: dict[str, str]) -> str:
    """'Speaker verb: topic', the speaker in the source's words ("Lukashenko supports: China's 12-point
    peace plan"), the verb agreeing with a speaker of several parties or people ("Kyiv and its allies
    dismiss: …"). A plain statement reads as its topic ("Ned Price on Belarus' sovereignty"): "says:
    Belarus' sovereignty" read like a quote cut short. The summary is in the row's tooltip and quote."""
    speakers = list(stance["speaker"])
    speaker = stance.get("voice") or ", ".join(names.get(c, c) for c in speakers)
    if stance["stance"] == "says":
        return f"{speaker} on {stance['topic']}"
    several = len(speakers) > 1 or speaker.rsplit(" ", 1)[-1].lower() in PLURAL_VOICES
    verb = _plural(stance["stance"]) if several else stance["stance"]
    return f"{speaker} {verb}: {stance['topic']}"


@per_dataset
def dated_items(dataset: Dataset) -> pd.DataFrame:
    """Events, and the dated stances (who said what about whom) in the events' shape, so both are on
    the timeline; an undated stance has no place on it, and one that repeats an event is left to it.
    Once per loaded dataset, shared: callers read it, never modify it."""
    events = dataset["events"]
    stances = dataset.tables.get("stances")
    if stances is None or stances.empty:
        return events
    names = country_names(dataset)
    dated = stances[stances["date"] != ""]
    by_day = _events_by_day(events)
    rows = [
        {
            "id": stance["id"],
            "date": stance["date"],
            "actors": list(dict.fromkeys([*stance["speaker"], *stance["subject"]])),
            "title": stance_title(stance, names),
            "kind": "stance",
            "place": "",
            "axis_label": "",
            "citations": stance["citations"],
        }
        for stance in records(dated)
        if not _repeats(stance, by_day)
    ]
    return pd.concat([events, pd.DataFrame(rows, columns=list(rows[0]) if rows else [])], ignore_index=True)


@per_dataset
def _dated_records(dataset: Dataset) -> list[tuple[dict, dt.date, str]]:
    """Each dated item as a plain record with its parsed date and precision, in the order of
    dated_items: every rerun filters them by actors and dates, and reading pandas rows one by one
    (iterrows) took seconds for a dataset of 4,000 items. Shared: callers never modify them."""
    return [(item, *parse_partial_date(item["date"])) for item in records(dated_items(dataset))]


def _placeable(
    item: dict, date: dt.date, precision: str, actors: list[str], start: dt.date, end: dt.date, rule: str
) -> bool:
    """Year-only dates are left out because a single year cannot be placed honestly on a scale of days."""
    return precision != "year" and start <= date <= end and matches(item["actors"], actors, rule)


def matching_event_ids(
    dataset: Dataset,
    actors: tuple[str, ...] = (),
    rule: str = "all",
    start: dt.date = DEFAULT_START,
    end: dt.date = DEFAULT_END,
) -> list[str]:
    """Ids of the events the timeline would show, in date order: cheap, for paging."""
    chosen = list(actors)
    kept = [
        (date, item["id"])
        for item, date, precision in _dated_records(dataset)
        if _placeable(item, date, precision, chosen, start, end, rule)
    ]
    return [item_id for _, item_id in sorted(kept)]


def _row(
    event: dict, date: dt.date, precision: str, names: dict, quotes: pd.Series, notes: Footnotes
) -> dict:
    end = last_day(event["date"])
    return {
        "id": event["id"],
        "date": date_in_words(event["date"]),
        "start": date,
        "end": end,
        # A year-only item sorts after everything dated within its year (the joint declaration of 2023
        # after the visit's days), a month after the days before it as before.
        "key": end if precision == "year" else date,
        "precision": PRECISION_LABELS[precision],
        "title": event["title"],
        "actors": ", ".join(names.get(a, a) for a in event["actors"]),
        "place": event["place"] or "—",
        "quote": f"“{quotes[event['citations'][0]]}”",
        "sources": notes.marker(event["citations"]),
        "kind": event["kind"],
        "citations": ";".join(event["citations"]),
        "milestone": bool(event["axis_label"]),
    }


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
    rows = [
        _row(event, date, precision, names, quotes, notes)
        for event, date, precision in _dated_records(dataset)
        if (only is None or event["id"] in only)
        and _placeable(event, date, precision, actors, start, end, rule)
    ]
    return pd.DataFrame(rows).sort_values(["start", "id"]).reset_index(drop=True) if rows else pd.DataFrame()


def year_only_rows(
    dataset: Dataset, actors: list[str], start: dt.date, end: dt.date, notes: Footnotes, rule: str = "all"
) -> pd.DataFrame:
    """Items the sources date only to a year: listed in date order, with no mark on a scale of days."""
    names = country_names(dataset)
    quotes = dataset["citations"].set_index("id")["quote"]
    rows = [
        _row(event, date, precision, names, quotes, notes)
        for event, date, precision in _dated_records(dataset)
        if precision == "year"
        and start.year <= date.year <= end.year
        and matches(event["actors"], actors, rule)
    ]
    return pd.DataFrame(rows)


def left_out(dataset: Dataset, actors: list[str], start: dt.date, end: dt.date, rule: str) -> list[str]:
    """Ids of the items matching the actors whose dates fall outside [start, end]."""
    out = []
    for event, date, precision in _dated_records(dataset):
        inside = start <= date <= end if precision != "year" else start.year <= date.year <= end.year
        if matches(event["actors"], actors, rule) and not inside:
            out.append(event["id"])
    return out


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
    """Month starts outside the window; inside it, every week, so the widened scale is visible."""
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
        # Weekly, each with its year: on a phone the axis keeps one or two of these, and "17 Feb" beside
        # "Feb 2022" read as 2022.
        day = window[0] + dt.timedelta(days=0 if window[0].day == 1 else 1)
        while day < window[1]:
            ticks.append((day, f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"))
            day += dt.timedelta(days=WINDOW_TICK_DAYS)
    frame = pd.DataFrame(ticks, columns=["date", "label"])
    frame["pos"] = [piecewise_position(d, start, end, window) for d in frame["date"]]
    frame["in_window"] = [window is not None and window[0] <= d <= window[1] for d in frame["date"]]
    return frame.drop(columns="date")


def _headline(names: list[str], rule: str, rows: pd.DataFrame) -> str:
    if not names:
        first, last = min(rows["start"]).year, max(rows["end"]).year
        return f"Events, {first}–{last}" if first != last else f"Events, {first}"
    joined = " and ".join(names) if rule == "all" else " or ".join(names)
    return f"Events involving {joined}"


def widen_to_months(
    window: tuple[dt.date, dt.date] | None, rows: pd.DataFrame
) -> tuple[dt.date, dt.date] | None:
    """The widened window takes in the whole of any month a month-only item overlaps, so a month bar
    is drawn at one scale from its first day to its last: no part of it looks longer than the rest."""
    if window is None:
        return None
    low, high = window
    for start, end, precision in zip(rows["start"], rows["end"], rows["precision"], strict=True):
        if precision == "month only" and start <= high and end >= low:
            low, high = min(low, start), max(high, end)
    return low, high


def _count(n: int, thing: str) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return f"{words[n] if n < len(words) else n} {thing}{'' if n == 1 else 's'}"


def row_layout(labels: list[list[str]], line: int, gap: int) -> tuple[list[int], list[int], int]:
    """Rows as tall as their own label (lines × line px, and gap px of air): each row's top, the
    middle of its first line (where its mark goes, and where Vega sets a multi-line axis label's first
    line), and the total."""
    tops, centres, top = [], [], 0
    for lines in labels:
        tops.append(top)
        centres.append(top + gap // 2 + line // 2)
        top += line * len(lines) + gap
    return tops, centres, top


def _lookup(keys: list[int], values: list) -> str:
    """A Vega expression: the value for datum.value among keys."""
    return f"{json.dumps(values, ensure_ascii=False)}[indexof({json.dumps(keys)}, datum.value)]"


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
    pages = spans(len(ids), EVENTS_PER_PAGE)
    number = min(page, len(pages) - 1)
    span = pages[number]
    frame = timeline_rows(
        dataset, list(actors), start, end, notes, rule, only=set(ids[span.start : span.stop])
    )
    years = year_only_rows(dataset, list(actors), start, end, notes, rule)
    if not years.empty and not frame.empty and len(pages) > 1:
        # Each year-only row on the page whose dates reach its year (before the first: the first page).
        later = (years["key"] > max(frame["key"])) if number < len(pages) - 1 else False
        earlier = (years["key"] < min(frame["key"])) if number > 0 else False
        years = years[~(later | earlier)]
    rows = pd.concat([frame, years], ignore_index=True) if not years.empty else frame
    rule_text = (
        (
            "Each event involves every chosen actor."
            if rule == "all"
            else "Each event involves at least one chosen actor."
        )
        if actors
        else "Every recorded event and dated stance."
    )
    outside = left_out(dataset, list(actors), start, end, rule)
    if outside:
        rule_text += (
            f" {_count(len(outside), 'event').capitalize()} outside {date_in_words(start.isoformat())}{RANGE_DASH}"
            f"{date_in_words(end.isoformat())} {'is' if len(outside) == 1 else 'are'} not shown."
        )
    if rows.empty:
        chart = (
            Layer(pd.DataFrame({"text": ["No events for this selection"]}))
            .mark_text(fontSize=LABEL_SIZE)
            .encode(text=alt.Text("text:N"))
        )
        subtitle = rule_text
        return framed_figure(
            "timeline",
            _headline(actor_names, rule, pd.DataFrame({"start": [start], "end": [start]})),
            subtitle,
            chart,
            notes,
            pd.DataFrame(),
            summary="Timeline: no events for this selection.",
        )
    rows = rows.sort_values(["key", "id"]).reset_index(drop=True)
    title = _headline(actor_names, rule, rows)
    paging = f"Events {span.label} of {len(ids):,}. " if len(ids) > EVENTS_PER_PAGE else ""
    placed = rows[rows["precision"] != PRECISION_LABELS["year"]]
    if placed.empty:
        scale_start, scale_end, window = min(rows["start"]), max(rows["end"]), None
    else:
        scale_start = min(placed["start"]).replace(day=1)
        scale_end = month_end(max(placed["end"]))
        window = widen_to_months(dense_window(list(placed["start"])), placed)
    widened = (
        f" The scale is widened for {date_in_words(window[0].isoformat())}{RANGE_DASH}"
        f"{date_in_words(window[1].isoformat())} (shaded), where most events fall."
        if window
        else ""
    )

    def subtitle_of(shown: pd.DataFrame) -> str:
        """The subtitle of a chart drawing shown (all rows on the page; on a slide, what it holds)."""
        year_only = int((shown["precision"] == PRECISION_LABELS["year"]).sum())
        held = (
            rule_text
            if len(shown) == len(rows)
            else _slide_rule(rule_text, len(shown), len(rows), actors, bool(window))
        )
        # Only the marks it draws: Iran's one event, dated to its month, has a bar and no dot.
        drawn = set(shown["precision"])
        explained = [
            words
            for precision, words in (
                ("exact day", "dots: dated to the day"),
                ("month only", "bars: the source gives only the month"),
            )
            if precision in drawn
        ]
        if year_only:
            explained.append(
                f"{_count(year_only, 'item')} dated only to a year {'has' if year_only == 1 else 'have'} a row but no mark"
            )
        marks = "; ".join(explained)
        marks = marks[:1].upper() + marks[1:]
        return f"{paging}{held}{f' {marks}.' if marks else ''}{widened}"

    subtitle = subtitle_of(rows)
    rows["x"] = [piecewise_position(d, scale_start, scale_end, window) for d in rows["start"]]
    rows["x2"] = [piecewise_position(d, scale_start, scale_end, window) for d in rows["end"]]
    ticks = _ticks(scale_start, scale_end, window)
    colour = alt.Color(
        "precision:N",
        title=None,
        scale=alt.Scale(
            domain=[p for p in PRECISION if p in set(rows["precision"])],
            range=[PRECISION[p] for p in PRECISION if p in set(rows["precision"])],
        ),
        # Under a phone's narrow plot it holds; with no day-dated dot to take its symbols from, the
        # legend draws the month's bar as the chart does, not as a square.
        legend=alt.Legend(
            orient="bottom",
            direction="vertical",
            **(
                {}
                if "exact day" in set(rows["precision"])
                else {"symbolType": PRECISION_SYMBOLS["month only"]}
            ),
        ),
    )
    labels = [
        [d, *wrap_to_width(t, LABEL_WIDTH, LABEL_SIZE)]
        for d, t in zip(rows["date"], rows["title"], strict=True)
    ]
    band = (
        (
            piecewise_position(window[0], scale_start, scale_end, window),
            piecewise_position(window[1], scale_start, scale_end, window),
        )
        if window
        else None
    )
    chart = _chart(rows, labels, ticks, band, colour, position=lambda x: x, width=CHART_WIDTH, page=True)

    slide, slide_subtitle = _slide_layout(rows, subtitle_of, ticks, band, colour)
    summary = "; ".join(f"{d}: {t}" for d, t in zip(rows["date"], rows["title"], strict=True))
    return framed_figure(
        "timeline",
        title,
        subtitle,
        chart,
        notes,
        # The table lists what is placed on the scale; year-only items are in the chart and its text.
        rows[rows["precision"] != PRECISION_LABELS["year"]]
        .drop(columns=["start", "end", "key", "x", "x2"])
        .reset_index(drop=True),
        summary=f"Timeline. {summary}.",
        slide_chart=slide,
        slide_subtitle=slide_subtitle,
    )


def _chart(
    rows: pd.DataFrame,
    labels: list[list[str]],
    ticks: pd.DataFrame,
    band: tuple[float, float] | None,
    colour: alt.Color,
    position,
    width: int,
    page: bool,
    note: str = "",
) -> Layers:
    """Rows on a y scale in px, each as tall as its label: on the page the labels are the y-axis
    (Vega keeps them whole); on a slide they are text beside the scale, one to a row."""
    line, gap, size = (
        (LINE_HEIGHT, ROW_GAP, LABEL_SIZE) if page else (SLIDE_LINE, SLIDE_ROW_GAP, SLIDE_LABEL_SIZE)
    )
    tops, centres, total = row_layout(labels, line, gap)
    note_top = total + gap // 2
    total += (line + gap) if note else 0
    data = rows.drop(columns=["start", "end", "key"]).assign(
        y=centres,
        top=[t + gap // 2 for t in tops],
        x=[position(x) for x in rows["x"]],
        x2=[position(x) for x in rows["x2"]],
        label=["\n".join(lines) for lines in labels],
    )
    y_scale = alt.Scale(domain=[0, max(total, 1)], reverse=True, nice=False, zero=False)
    if page:
        y_axis = alt.Axis(
            values=centres,
            labelExpr=_lookup(centres, labels),
            labelOverlap=False,
            labelLimit=0,
            labelFontSize=size,
            labelColor=INK,
            labelPadding=8,
            labelBaseline="middle",
            labelLineHeight=line,
            labelFlush=False,
            ticks=False,
            domain=False,
            grid=False,
            title=None,
        )
    else:
        y_axis = None
    y = alt.Y("y:Q", scale=y_scale, axis=y_axis)
    x_scale = alt.Scale(domain=[0, 1], nice=False, zero=False)
    positions = [round(position(p), 5) for p in ticks["pos"]]
    values: list[float] | alt.ExprRef = positions
    inside = [p for p, within in zip(positions, ticks["in_window"], strict=True) if within]
    if inside and len(inside) < len(positions):
        # On a phone the axis has room for one or two dates, and the months before the window took it
        # (their unnamed ticks too: an empty label still counts as taken room), leaving none where most
        # events are. A narrow chart has ticks in the widened weeks only; each row names its own date.
        values = alt.ExprRef(f"width < {NARROW_AXIS} ? {json.dumps(inside)} : {json.dumps(positions)}")
    x_axis = alt.Axis(
        values=values,
        labelExpr=f"{_lookup(positions, list(ticks['label']))} || ''",
        orient="top",
        grid=True,
        gridColor="#d0d0d0",
        ticks=False,
        domain=False,
        labelOverlap="greedy",
        labelSeparation=6,
        labelBound=True,  # a date near the end of the scale would run past the chart's edge
        labelFontSize=size - (1 if page else 0),
        labelColor=MUTED,
        title=None,
    )
    x = alt.X("x:Q", scale=x_scale, axis=x_axis)
    # On the page the chart can be taller than a screen: the scale is then named below the rows as
    # well, so a reader scrolled to the last events still has it. Each layer's axis is its own
    # (resolve), so all but the first two draw none.
    below = page and total > TALL_ROWS
    plain_x = alt.X("x:Q", scale=x_scale, axis=None) if below else x
    tooltip = [
        alt.Tooltip("date:N", title="Date"),
        alt.Tooltip("title:N", title="Event"),
        alt.Tooltip("actors:N", title="Actors"),
        alt.Tooltip("place:N", title="Place"),
        alt.Tooltip("quote:N", title="Quote"),
        alt.Tooltip("sources:N", title="Sources"),
    ]
    base = Layer(data).encode(y=y, tooltip=tooltip)
    layers: list[Layer] = []
    if band:
        shaded = pd.DataFrame({"x": [position(band[0])], "x2": [position(band[1])]})
        layers.append(Layer(shaded).mark_rect(color="#f2f2f2").encode(x=x, x2=alt.X2("x2:Q")))
    else:
        # The axis needs a layer that always has data: an invisible point at each end of the scale.
        layers.append(
            Layer(pd.DataFrame({"x": [position(0), position(1)]})).mark_point(opacity=0).encode(x=x)
        )
    present = set(rows["precision"])
    drawn = [p for p in PRECISION if p in present]
    # The legend draws each entry as its mark is drawn (a dot, a bar): a colour legend alone takes the
    # dot from the point layer for both. Same field and title, so Vega-Lite merges the two legends.
    symbol = alt.Shape(
        "precision:N",
        title=None,
        scale=alt.Scale(domain=drawn, range=[PRECISION_SYMBOLS[p] for p in drawn]),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    if "month only" in present:
        layers.append(
            base.transform_filter(alt.datum.precision == "month only")
            .mark_bar(height=MONTH_BAR_HEIGHT, opacity=0.9)
            .encode(x=plain_x, x2=alt.X2("x2:Q"), color=colour)
        )
    if "exact day" in present:
        layers.append(
            base.transform_filter(alt.datum.precision == "exact day")
            .mark_point(filled=True, size=110 if page else 90, opacity=1)
            .encode(x=plain_x, color=colour, shape=symbol)
        )
    if "year only" in present:
        # On a white plate as wide as the words: they sit where the scale's grid lines run, which a
        # halo round the letters left showing between them.
        year_only = base.transform_filter(alt.datum.precision == "year only").encode(
            x=alt.XDatum(position(0), axis=None) if below else alt.XDatum(position(0))
        )
        font = size - (1 if page else 0)
        words = text_width("year only", font) + 4
        layers += [
            year_only.mark_rect(width=words, height=font + 4, xOffset=words / 2, color=WHITE),
            year_only.mark_text(
                align="left", baseline="middle", dx=2, fontSize=font, fontStyle="italic", color=MUTED
            ).encode(text=alt.TextValue("year only")),
        ]
    if not page:
        layers.append(
            Layer(data)
            .mark_text(
                align="left", baseline="top", fontSize=size, color=INK, lineBreak="\n", lineHeight=line
            )
            .encode(x=alt.XDatum(0), y=alt.Y("top:Q", scale=y_scale, axis=None), text=alt.Text("label:N"))
        )
    if note:
        layers.append(
            Layer(pd.DataFrame({"note": [note], "top": [note_top]}))
            .mark_text(align="left", baseline="top", fontSize=size, fontStyle="italic", color=MUTED)
            .encode(x=alt.XDatum(0), y=alt.Y("top:Q", scale=y_scale, axis=None), text=alt.Text("note:N"))
        )
    if below:
        bottom = alt.Axis(**{**x_axis.to_dict(), "orient": "bottom", "grid": False})
        layers.insert(
            1,
            Layer(pd.DataFrame({"x": [position(0), position(1)]}))
            .mark_point(opacity=0)
            .encode(x=alt.X("x:Q", scale=x_scale, axis=bottom)),
        )
    # The page fits the whole chart into its height (Streamlit), so the axes and the legend get
    # theirs on top of the rows' and the rows keep the px the layout gives them; a slide's is the plot's.
    furniture = (PAGE_FURNITURE if page else 0) + (BOTTOM_AXIS if below else 0)
    chart = Layers(layer=layers, width=width, height=total + furniture)
    return chart.resolve_axis(x="independent") if below else chart


def slide_events(
    rows: pd.DataFrame, labels: list[list[str]], budget: int, band: tuple[float, float] | None = None
) -> list[int]:
    """Which rows a slide holds, in date order: the milestones the trade charts mark first, then the
    events of the widened weeks, events dated only to a year, other events and last stances, as long
    as their labels fit in budget px."""

    def priority(i: int) -> tuple:
        row = rows.iloc[i]
        stance, year_only = row["kind"] == "stance", row["precision"] == "year only"
        in_window = band is not None and band[0] <= row["x"] <= band[1] and not year_only
        # In the widened weeks, day-dated events latest first: the visit, then the run-up to it.
        return (not row["milestone"], stance, not in_window, row["precision"] != "exact day", -i)

    chosen, used = [], 0
    for i in sorted(range(len(rows)), key=priority):
        height = SLIDE_LINE * len(labels[i]) + SLIDE_ROW_GAP
        if used + height <= budget:
            chosen.append(i)
            used += height
    return sorted(chosen)


def _slide_rule(rule_text: str, shown: int, total: int, actors, widened: bool) -> str:
    """The slide's account of what it shows when it holds only some of the page's rows, in
    slide_events' order: the page's "Every recorded event." would claim more than the slide draws."""
    first = "milestones and the widened weeks first" if widened else "milestones and the latest first"
    if actors:
        return f"{rule_text} {shown} of the {total} shown, {first}."
    return f"Recorded events: {shown} of the {total}, {first}."


def _slide_layout(
    rows: pd.DataFrame,
    subtitle_of: Callable[[pd.DataFrame], str],
    ticks: pd.DataFrame,
    band: tuple[float, float] | None,
    colour: alt.Color,
) -> tuple[Layers, str | None]:
    """For a 16:9 slide: each label (date · title, 14 pt, wrapped) in a column on the left, its mark
    on the scale to its right, as many events as the slide holds at that size; the rest are counted.
    subtitle_of(kept) is the subtitle of a slide holding the rows kept; returned with the chart when the
    slide holds fewer than all of them (else None: the page's subtitle says it)."""
    labels = [
        wrap_to_width(f"{d} · {t}", SLIDE_LABEL_WIDTH, SLIDE_LABEL_SIZE)
        for d, t in zip(rows["date"], rows["title"], strict=True)
    ]
    axis_labels = SLIDE_LINE + 8

    def budget(subtitle: str) -> int:
        return (
            slide_plot_height(len(textwrap.wrap(subtitle, SUBTITLE_CHARS)), SLIDE_FOOTER_LINES) - axis_labels
        )

    subtitle = subtitle_of(rows)
    chosen = slide_events(rows, labels, budget(subtitle), band)
    if len(chosen) < len(rows):
        # Room for the note counting the rest, under a subtitle saying what the slide holds: a longer
        # subtitle leaves less room, so the rows are chosen again until the two agree.
        room = budget(subtitle) - SLIDE_LINE - SLIDE_ROW_GAP
        for _ in range(3):
            chosen = slide_events(rows, labels, room, band)
            subtitle = subtitle_of(rows.iloc[chosen])
            fits = budget(subtitle) - SLIDE_LINE - SLIDE_ROW_GAP
            if fits >= room:
                break
            room = fits
    kept = rows.iloc[chosen].reset_index(drop=True)
    kept_labels = [labels[i] for i in chosen]
    more = len(rows) - len(kept)
    note = f"{_count(more, 'more event').capitalize()} on the Timeline page" if more else ""
    share = (SLIDE_LABEL_WIDTH + 16) / SLIDE_PLOT_WIDTH
    chart = _chart(
        kept,
        kept_labels,
        ticks,
        band,
        colour,
        position=lambda x: share + (1 - share) * x,
        width=SLIDE_PLOT_WIDTH,
        page=False,
        note=note,
    )
    return chart, (subtitle if more else None)
