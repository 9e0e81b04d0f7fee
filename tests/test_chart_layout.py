"""Layout rules a reader sees: labels that never meet, every event on the timeline or said to be off it,
slides at their stated type sizes, the deck's title where the slide's headline is."""

import datetime as dt
import io
import re

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Pt

from relations import render
from relations.charts import milestones, timeline
from relations.charts.style import SLIDE_LABEL_SIZE, SUBTITLE_CHARS, slide_plot_height
from relations.charts.trade import trade_figures
from relations.data.loading import dataset_version, load_dataset
from relations.export import deck, slide_spec, subtitle_top, title_box
from tests.conftest import REAL_DATA


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(REAL_DATA)


def _layers(spec: dict):
    for layer in spec.get("layer", []):
        yield layer
        yield from _layers(layer)


def _milestone_positions(dataset, first: int, last: int) -> tuple[list[float], list[str]]:
    frame = milestones.milestones_between(
        dataset, dt.date(first, 1, 1), dt.date(last + 1, 12, 31), timeline.Footnotes(dataset)
    )
    start, end = pd.Timestamp(dt.date(first, 1, 1)), max(frame["date"]) + pd.Timedelta(days=45)
    return [(d - start) / (end - start) for d in frame["date"]], list(frame["label"])


@pytest.mark.parametrize("years", [(2020, 2022), (2021, 2022)])
@pytest.mark.parametrize("width", [milestones.MIN_PLOT_WIDTH, 400, 1000])
def test_milestone_labels_never_meet_from_the_narrowest_plot_up(dataset, years, width):
    positions, labels = _milestone_positions(dataset, *years)
    placement = milestones.place_labels(positions, labels)
    assert all(lane >= 0 for lane, _ in placement), "every label found room"
    boxes = [
        (lane, *milestones.label_extent(p, label, align, width))
        for p, label, (lane, align) in zip(positions, labels, placement, strict=True)
    ]
    poles = [p * width for p in positions]  # each rule goes on up to its label
    for i, (lane, low, high) in enumerate(boxes):
        assert low >= 0 and high <= width, labels[i]
        for other_lane, other_low, other_high in boxes[i + 1 :]:
            assert lane != other_lane or high <= other_low or other_high <= low, (labels[i], width)
        for j, (other_lane, _, _) in enumerate(boxes):
            if other_lane > lane:  # label j sits higher: its pole passes label i's lane
                assert not low <= poles[j] <= high, (labels[j], "through", labels[i], width)


def test_place_labels_moves_a_colliding_label_to_another_lane():
    placement = milestones.place_labels([0.1, 0.12], ["Sanctions since 2020", "Partnership upgrade"])
    assert placement[0][0] != placement[1][0]


def test_potash_supply_gives_every_bar_its_own_row_and_room(dataset):
    figure = next(f for f in trade_figures(dataset) if f.id == "potash-supply")
    assert figure.spec["height"] >= 30 * 6  # six rows (two headings, four bars) of at least 30 px
    texts = [layer for layer in _layers(figure.spec) if layer.get("mark", {}).get("type") == "text"]
    assert all(layer["mark"].get("fontSize", 14) >= 14 for layer in texts)


def test_visit_numbers_stack_so_nothing_sits_beside_anything(dataset):
    figure = next(f for f in trade_figures(dataset) if f.id == "visit-deals")
    encodings = [layer["encoding"] for layer in _layers(figure.spec) if "encoding" in layer]
    assert all(enc["x"] == {"value": 0} for enc in encodings)  # all from the left edge, one above another


def test_every_event_is_on_the_timeline_or_listed_without_a_mark(dataset):
    figure = timeline.timeline_figure(dataset)
    items = timeline.dated_items(dataset)
    year_only = {i for i, d in zip(items["id"], items["date"], strict=True) if len(d) == 4}
    assert set(figure.data["id"]) | year_only == set(items["id"])
    for title in items.loc[items["id"].isin(year_only), "title"]:
        assert title in figure.summary
    assert "year" in figure.subtitle and figure.title == "Events, 1999–2023"


def test_a_narrower_range_says_how_many_events_it_leaves_out(dataset):
    figure = timeline.timeline_figure(dataset, start=dt.date(2022, 9, 1), end=dt.date(2023, 3, 31))
    left = timeline.left_out(dataset, [], dt.date(2022, 9, 1), dt.date(2023, 3, 31), "all")
    assert left and "outside 1 September 2022\u00a0– 31 March 2023" in figure.subtitle
    assert "Every recorded event and dated stance." in figure.subtitle and "not shown" in figure.subtitle


def test_a_month_bar_is_drawn_at_one_scale(dataset):
    figure = timeline.timeline_figure(dataset)
    rows = timeline.timeline_rows(
        dataset, [], timeline.DEFAULT_START, timeline.DEFAULT_END, timeline.Footnotes(dataset)
    )
    placed = list(rows["start"])
    window = timeline.widen_to_months(timeline.dense_window(placed), rows)
    assert window is not None and "widened" in figure.subtitle
    for start, end, precision in zip(rows["start"], rows["end"], rows["precision"], strict=True):
        if precision == "month only":
            inside = window[0] <= start and end <= window[1]
            outside = end < window[0] or start > window[1]
            assert inside or outside, start


def test_a_stance_that_repeats_an_event_is_left_to_the_event(dataset):
    ids = set(timeline.dated_items(dataset)["id"])
    assert not {"ST11", "ST13", "ST16", "ST18"} & ids  # the same day, quote and words as an event
    assert {"ST12", "ST19", "ST21", "ST23"} <= ids  # the same day and quote, but something else said
    stance = next(
        t
        for i, t in zip(*timeline.dated_items(dataset)[["id", "title"]].T.values, strict=True)
        if i == "ST12"
    )
    assert stance == "Lukashenko supports: China’s 12-point peace plan"


def test_a_stance_title_reads_as_a_headline_whoever_speaks():
    names = {"USA": "United States", "UKR": "Ukraine", "BLR": "Belarus"}

    def title(speaker, voice, stance, topic="lethal aid to Russia"):
        return timeline.stance_title(
            {"speaker": speaker, "voice": voice, "stance": stance, "topic": topic}, names
        )

    assert title(["USA"], "Ned Price", "says", "Belarus’ sovereignty") == "Ned Price on Belarus’ sovereignty"
    assert title(["USA"], "U.S. officials", "warns") == "U.S. officials warn: lethal aid to Russia"
    assert (
        title(["UKR", "USA"], "Kyiv and its allies", "dismisses")
        == "Kyiv and its allies dismiss: lethal aid to Russia"
    )
    assert title(["USA"], "", "denies") == "United States denies: lethal aid to Russia"
    assert title(["UKR", "USA"], "", "accuses") == "Ukraine, United States accuse: lethal aid to Russia"
    assert title(["BLR"], "Lukashenko", "criticizes") == "Lukashenko criticizes: lethal aid to Russia"


def test_every_named_tick_on_the_timeline_says_its_year():
    """A phone keeps only a few of the axis's labels: each has to place itself."""
    ticks = timeline._ticks(
        dt.date(2022, 2, 1), dt.date(2023, 3, 4), (dt.date(2023, 2, 1), dt.date(2023, 3, 4))
    )
    named = [label for label in ticks["label"] if label]
    assert len(named) >= 5 and all(re.search(r"\b20(22|23)\b", label) for label in named), named


def _slide_texts(figure) -> str:
    rows = [row for rows in figure.slide_source_spec.get("datasets", {}).values() for row in rows]
    return " ".join(str(row.get("text", "")) for row in rows)


def test_the_ladder_slide_says_what_each_rung_means_while_every_rung_fits(dataset):
    from relations.charts import relation_map

    texts = _slide_texts(relation_map.ladder_figure(dataset))
    for _, tier in dataset["tiers"].iterrows():
        assert tier["name"] in texts and " ".join(tier["meaning"].split()[:4]) in texts
    frame = pd.DataFrame(
        [
            {
                "rank": i,
                "rung": f"{i}. rung {i}",
                "holders": "Held by Belarus",
                "meaning": "m " * 40,
                "colour": "#000",
            }
            for i in range(1, 5)
        ]
    )
    room = slide_plot_height(2, relation_map.SLIDE_FOOTER_LINES)
    _, height = relation_map._ladder_lines(frame, 800, meanings=True)
    assert height > room  # four rungs with long meanings do not fit: the slide leaves the meanings out
    slide = relation_map._ladder_slide(frame, 2).to_dict()
    drawn = [row for rows in slide["datasets"].values() for row in rows]
    assert {row.get("kind") for row in drawn} == {"rung", "holders"} and slide["height"] <= room
    assert relation_map._ladder_slide(pd.concat([frame] * 8, ignore_index=True), 2) is None


def test_timeline_slide_holds_what_fits_at_14_pt(dataset):
    figure = timeline.timeline_figure(dataset)
    slide = figure.slide_source_spec
    texts = [layer for layer in _layers(slide) if layer.get("mark", {}).get("type") == "text"]
    assert texts and all(layer["mark"]["fontSize"] >= SLIDE_LABEL_SIZE for layer in texts)
    budget = slide_plot_height(len(__import__("textwrap").wrap(figure.slide_subtitle, SUBTITLE_CHARS)), 3)
    assert slide["height"] <= budget
    labels = [
        row["label"] for name, rows in slide.get("datasets", {}).items() for row in rows if "label" in row
    ]
    assert labels and not any("(S0" in label for label in labels)
    assert any(
        "more events on the Timeline page" in str(row)
        for rows in slide.get("datasets", {}).values()
        for row in rows
    )


@pytest.mark.parametrize("actors", [(), ("BLR", "CHN")])
def test_a_timeline_slide_holding_some_events_says_which_and_counts_only_those(dataset, actors):
    """The page's "Every recorded event" and "six items dated only to a year" describe the page; a
    slide that holds eight rows says so, and counts the year-only items among them."""
    import re

    figure = timeline.timeline_figure(dataset, actors)

    def event_rows(spec: dict) -> list[dict]:
        return next(rows for rows in spec["datasets"].values() if rows and "precision" in rows[0])

    rows, total = event_rows(figure.slide_source_spec), len(event_rows(figure.spec))
    assert len(rows) < total, "the real dataset has more rows than a slide holds"
    held = re.search(r"(\d+) of the (\d+)", figure.slide_subtitle)
    assert held and (int(held[1]), int(held[2])) == (len(rows), total), figure.slide_subtitle
    assert "Every recorded event" not in figure.slide_subtitle
    year_only = sum(row["precision"] == "year only" for row in rows)
    words = {1: "one item dated only to a year has", 2: "two items dated only to a year have"}
    assert words[year_only] in figure.slide_subtitle, figure.slide_subtitle
    # The page's subtitle is the page's: its own rule, every row.
    assert figure.subtitle.startswith("Every recorded event" if not actors else "Each event involves")
    assert "milestones" not in figure.subtitle


@pytest.mark.parametrize("figure_id", ["visit-deals", "potash-supply", "timeline"])
def test_slides_fill_the_frame_without_scaling(dataset, figure_id):
    figures = {f.id: f for f in [*trade_figures(dataset), timeline.timeline_figure(dataset)]}
    spec = slide_spec(figures[figure_id], dataset_version(REAL_DATA), dt.date(2026, 1, 1))
    svg = render.to_svg(spec)
    fitted = render.fitted_spec(spec, svg) or spec
    assert render.svg_size(render.to_svg(fitted)) == pytest.approx((960, 540), abs=1.5)


def test_deck_title_sits_over_the_headline_and_clear_of_the_subtitle(dataset):
    figure = trade_figures(dataset)[0]
    data = deck(
        [
            (
                figure,
                render.render_files(
                    slide_spec(figure, dataset_version(REAL_DATA), dt.date(2026, 1, 1)), ("png",)
                )["png"],
            )
        ],
        dataset_version(REAL_DATA),
        dt.date(2026, 1, 1),
    )
    title = Presentation(io.BytesIO(data)).slides[0].shapes.title
    left, top, _, _ = title_box()
    assert (title.left, title.top) == (Pt(left), Pt(top)) == (Pt(24), Pt(24))
    assert title.top + title.height <= Pt(subtitle_top())
    assert title.text_frame.margin_left == 0 and title.text_frame.margin_top == 0
    assert title.text_frame.paragraphs[0].runs[0].font.size == Pt(28)


def test_year_only_words_stand_on_a_plate_over_the_grid(dataset):
    """ "year only" sits where the scale's grid lines run: each drawn copy stands on a white plate."""
    import vl_convert as vlc

    from tests.test_map import _scene_items

    render._register_fonts()
    for spec in (timeline.timeline_figure(dataset).slide_source_spec, timeline.timeline_figure(dataset).spec):
        items = list(_scene_items(vlc.vegalite_to_scenegraph(spec)["scenegraph"]))
        words = [
            (dx + i["x"], dy + i["y"])
            for mark, i, dx, dy in items
            if mark == "text" and i.get("text") == "year only"
        ]
        plates = [
            (dx + i["x"], dy + i["y"], i["width"], i["height"])
            for mark, i, dx, dy in items
            if mark == "rect" and i.get("fill") == "#ffffff" and i.get("width", 0) >= 40
        ]
        assert words and all(
            any(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x0, y0, w, h in plates) for x, y in words
        ), (words, plates)


@pytest.mark.parametrize("actors", [(), ("IRN",)])  # Iran's one event is dated to its month only
def test_the_timeline_legend_draws_each_precision_as_its_marks_are_drawn(dataset, actors):
    """Month-only events are bars on the plot: their legend entry is a bar too, not the dot that
    stands for an exact day, nor (with no dot on the chart) a square."""
    import vl_convert as vlc

    from relations.charts.palette import PRECISION
    from tests.test_map import _scene_items

    render._register_fonts()
    figure = timeline.timeline_figure(dataset, actors)
    # The subtitle explains only the marks drawn: no dot is promised where there is none.
    assert ("Dots: dated to the day" in figure.subtitle) == (not actors)
    assert "ars: the source gives only the month" in figure.subtitle
    for spec in (figure.slide_source_spec, figure.spec):
        items = list(_scene_items(vlc.vegalite_to_scenegraph(spec)["scenegraph"]))
        month = PRECISION["month only"]
        assert any(mark == "rect" and i.get("fill") == month for mark, i, _, _ in items), "month bars"
        symbols = [
            i for mark, i, _, _ in items if mark == "symbol" and month in (i.get("fill"), i.get("stroke"))
        ]
        assert symbols and all(i.get("shape") == timeline.PRECISION_SYMBOLS["month only"] for i in symbols), (
            symbols
        )


@pytest.mark.parametrize("width", [140, 700])
def test_the_timeline_axis_names_a_date_where_most_events_are_at_any_width(dataset, width):
    """On a phone the axis had room for one date, and the first month before the widened weeks took
    it: the weeks, where most events fall, had none."""
    import vl_convert as vlc

    from tests.test_map import _scene_items

    render._register_fonts()
    spec = {**timeline.timeline_figure(dataset).spec, "width": width}
    items = list(_scene_items(vlc.vegalite_to_scenegraph(spec)["scenegraph"]))
    shown = [
        i["text"]
        for mark, i, _, _ in items
        if mark == "text"
        and i.get("opacity", 1)  # a label the axis had no room for is still there, transparent
        and re.fullmatch(r"(\d+ )?\w{3} \d{4}", str(i.get("text", "")))
    ]
    weeks = [text for text in shown if text[0].isdigit()]  # the widened weeks' ticks name their day
    assert weeks, shown
    if width >= timeline.NARROW_AXIS:
        assert len(shown) > len(weeks), "a wide chart names months before the weeks too"


def test_the_timeline_page_names_its_scale_above_and_below_the_rows(dataset):
    """The page's chart is taller than a screen: scrolled to its last events, a reader still has the
    scale."""
    import vl_convert as vlc

    from relations.export import slide_spec
    from tests.test_map import _scene_items

    render._register_fonts()
    figure = timeline.timeline_figure(dataset)

    def date_rows(spec: dict) -> list[float]:
        """The heights at which the drawing writes a tick's date, "1 Mar 2023" and the like."""
        items = _scene_items(vlc.vegalite_to_scenegraph(spec)["scenegraph"])
        return sorted(
            {
                round(dy + i.get("y", 0.0))
                for mark, i, _, dy in items
                if mark == "text" and re.fullmatch(r"(\d+ )?\w{3} \d{4}", str(i.get("text", "")))
            }
        )

    page = date_rows({**figure.spec, "width": 700})
    assert len(page) == 2 and page[1] - page[0] > figure.spec["height"] / 2, page
    # A slide is one screen, and keeps its one scale above the rows.
    assert len(date_rows(slide_spec(figure, dataset.version, dt.date(2026, 1, 1)))) == 1


def test_crowded_milestones_keep_what_fits_without_a_collision_and_quickly():
    """More milestones than the lanes hold: every label kept stands clear of the others and of every
    pole, each lane holds one, and the search stops in time however many there are."""
    import random
    import time

    rng = random.Random(16)
    width = milestones.MIN_PLOT_WIDTH
    started = time.perf_counter()
    for count in (6, 10, 25, 60):
        positions = sorted(rng.random() for _ in range(count))
        labels = [f"Milestone {i} label" for i in range(count)]
        placement = milestones.place_labels(positions, labels)
        kept = [
            (lane, *milestones.label_extent(p, label, align, width), p * width)
            for p, label, (lane, align) in zip(positions, labels, placement, strict=True)
            if lane >= 0
        ]
        assert len({lane for lane, *_ in kept}) == milestones.MAX_LANES, placement
        for i, (lane, low, high, _) in enumerate(kept):
            assert low >= 0 and high <= width
            for j, (other, other_low, other_high, pole) in enumerate(kept):
                if i != j and other == lane:
                    assert high <= other_low or other_high <= low
                if other > lane:
                    assert not low <= pole <= high
    assert time.perf_counter() - started < 2.0
