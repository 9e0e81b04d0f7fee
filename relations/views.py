"""A view as a link states it (focus, layer, pair, actors), parsed once for the pages and the CLI,
and every figure that view shows."""

import functools
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from urllib.parse import parse_qs

from relations.charts.corridors import belarus_section_figure, corridor_figure
from relations.charts.relation_map import LAYERS, MapView, draws_rungs, ladder_figure, relation_map_figure
from relations.charts.timeline import MATCH_LABELS, MATCH_RULES, timeline_figure
from relations.charts.trade import trade_figures
from relations.citing import Footnotes
from relations.data.loading import Dataset, per_dataset
from relations.figures import Figure
from relations.geo import default_world
from relations.profile import Pair, country_names, pair_key
from relations.view_state import parse_choice, parse_codes, parse_pair

DEFAULT_FOCUS = "CHN"
MAX_QUERY_LENGTH = 2000


@dataclass(frozen=True)
class View:
    map: MapView
    actors: tuple[str, ...] = ()
    match: str = MATCH_RULES[0]  # events involving all chosen actors, or any of them
    corridors: tuple[str, ...] | None = None  # None: every corridor

    def as_record(self) -> dict:
        """For manifests: what the exported figures show."""
        corridors = list(self.corridors) if self.corridors is not None else "all"
        return {
            "map": asdict(self.map),
            "actors": list(self.actors),
            "match": self.match,
            "corridors": corridors,
        }


@per_dataset
def focusable_countries(dataset: Dataset) -> list[str]:
    """Countries (not blocs) with at least one recorded relation and a shape on the map: the ones a map
    can centre on (a territory too small for the 1:110m map, Aruba or Andorra, has its Overview)."""
    countries = dataset["countries"]
    drawable = set(countries.loc[countries["type"] == "country", "code"]) & set(map_countries())
    relations = dataset["relations"]
    return sorted((set(relations["a"]) | set(relations["b"])) & drawable)


@functools.cache
def map_countries() -> dict[str, str]:
    """Every country drawn on the map, by ISO alpha-3, for search and selection (shared: read only)."""
    frame = default_world().countries
    return {code: name for code, name in zip(frame["alpha3"], frame["name"], strict=True) if code}


@functools.cache
def _pairs_with(focus: str) -> list[Pair]:
    return [pair_key(focus, code) for code in map_countries() if code != focus]


@per_dataset
def event_actors(dataset: Dataset) -> list[str]:
    return sorted({code for actors in dataset["events"]["actors"] for code in actors})


@per_dataset
def event_actors_by_name(dataset: Dataset) -> list[str]:
    """The timeline's actors in the order a reader scans the list for one: by name. Once per dataset,
    not per page view (it reads every event)."""
    names = country_names(dataset)
    return sorted(event_actors(dataset), key=lambda code: names.get(code, code))


def parse_view(params: Mapping[str, str], dataset: Dataset) -> tuple[View, list[str]]:
    """Unknown or hostile values fall back to defaults; each fallback comes with a notice."""
    names = country_names(dataset)
    focus = parse_choice(
        params.get("focus"), focusable_countries(dataset), DEFAULT_FOCUS, "focus", names.get(DEFAULT_FOCUS)
    )
    layer = parse_choice(params.get("layer"), list(LAYERS), LAYERS[0], "layer", LAYERS[0].capitalize())
    pair = parse_pair(
        params.get("pair"),
        _pairs_with(focus.value),
        None,
        f"The link's `pair` does not include the focus country, {names.get(focus.value, focus.value)}, "
        "or names a country the map does not draw",
    )
    actors = parse_codes(params.get("actors"), event_actors(dataset), "actors")
    match = parse_choice(
        params.get("match"), list(MATCH_RULES), MATCH_RULES[0], "match", MATCH_LABELS[MATCH_RULES[0]]
    )
    corridors = parse_codes(
        params.get("corridors"), list(dataset["corridors"]["id"]), "corridors", upper=False
    )
    selected = next((code for code in (pair.value or ()) if code != focus.value), None)
    notices = [
        n
        for n in (focus.notice, layer.notice, pair.notice, actors.notice, match.notice, corridors.notice)
        if n
    ]
    shown = tuple(corridors.value) if params.get("corridors") else None
    return View(MapView(focus.value, layer.value, selected), tuple(actors.value), match.value, shown), notices


def parse_view_query(query: str, dataset: Dataset) -> tuple[View, list[str]]:
    """'focus=BLR&layer=sanctions' as typed on a command line or copied from a link."""
    notices = []
    if len(query) > MAX_QUERY_LENGTH:
        query, notices = (
            "",
            [f"The view query is longer than {MAX_QUERY_LENGTH} characters; using the defaults."],
        )
    params = {key: values[-1] for key, values in parse_qs(query.lstrip("?")).items()}
    view, more = parse_view(params, dataset)
    return view, notices + more


def iter_view_figures(dataset: Dataset, view: View) -> Iterator[Figure]:
    """Every chart the dashboard shows for this view, in page order, numbered once for the whole export;
    built one at a time, so an export can render the first while it builds the next."""
    notes = Footnotes(dataset)
    yield relation_map_figure(dataset, view.map, notes=notes)
    yield ladder_figure(dataset, notes)
    yield corridor_figure(dataset, view.corridors, notes=notes)
    yield belarus_section_figure(dataset, view.corridors, notes=notes)
    yield from trade_figures(dataset, notes)
    yield timeline_figure(dataset, view.actors, view.match, notes=notes)


def view_figures(dataset: Dataset, view: View) -> list[Figure]:
    return list(iter_view_figures(dataset, view))


@dataclass(frozen=True)
class PageFigures:
    """A page's figures and the one numbering they share; copy notes before numbering more on it."""

    figures: list[Figure]
    notes: Footnotes


def map_page_figures(dataset: Dataset, view: MapView) -> PageFigures:
    """The map, and China's partnership ladder where the map colours countries by its rungs: beside
    a map with none (Belarus' sanctions) the ladder explained nothing on screen."""
    notes = Footnotes(dataset)
    figure = relation_map_figure(dataset, view, notes=notes)
    return PageFigures([figure, ladder_figure(dataset, notes)] if draws_rungs(figure) else [figure], notes)


def corridor_page_figures(dataset: Dataset, shown: tuple[str, ...] | None) -> PageFigures:
    notes = Footnotes(dataset)
    figures = [
        corridor_figure(dataset, shown, notes=notes),
        belarus_section_figure(dataset, shown, notes=notes),
    ]
    return PageFigures(figures, notes)
