"""Streamlit pieces every page shares: the cached dataset, the sidebar, notices, footnotes, figures."""

import base64
import copy
import datetime as dt
import gc
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.elements import vega_charts
from streamlit.elements.lib.form_utils import current_form_id
from streamlit.elements.lib.layout_utils import LayoutConfig
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer
from streamlit.elements.lib.mutable_tab_container import TabContainer
from streamlit.elements.lib.policies import check_widget_policies
from streamlit.elements.lib.utils import compute_and_register_element_id
from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart as VegaLiteChartProto
from streamlit.runtime import Runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state import register_widget

from relations.charts.page_vega import page_vega
from relations.charts.world_link import linked_to_world, world_url
from relations.cite_formats import to_bibtex, to_csl_json
from relations.citing import Footnote, Footnotes
from relations.data.loading import (
    DEFAULT_ARCHIVE_DIR,
    DEFAULT_DATA_DIR,
    Dataset,
    dataset_version,
    load_dataset,
)
from relations.data.problems import DatasetError
from relations.dates import date_in_words
from relations.downloads import safe_csv
from relations.export import deck_of_figures, figure_files
from relations.figures import Figure
from relations.formatting import (
    counted,
    escape_markdown,
    footnotes_markdown,
    inline_code,
    relation_lines_markdown,
)
from relations.geo import WORLD_TOPOJSON, default_world
from relations.navigation import COMPONENT_ROUTE, CURATE, PAGES
from relations.view_state import Parsed, parse_choice

T = TypeVar("T")
# A file of our own: a Material icon here would make every browser fetch the favicon from a font host.
ICON = Path(__file__).parent.parent / "relations" / "assets" / "icon.png"
QUOTE_ICON = ":material/format_quote:"
MAX_PROBLEMS_SHOWN = 40
DEFAULT_SCRIPT_SLOTS = "2"
GC_YOUNG_THRESHOLD = 20_000
SOURCES_URL = "sources"  # relative: works at the root and under a base path
CITATION_FORMATS = (
    ("CSL-JSON", to_csl_json, "csl.json", "application/json", ":material/data_object:"),
    ("BibTeX", to_bibtex, "bib", "application/x-bibtex", ":material/menu_book:"),
)
SLIDE_FORMATS = (
    ("png", "Slide PNG", "image/png"),
    ("svg", "Slide SVG", "image/svg+xml"),
    ("pdf", "Slide PDF", "application/pdf"),
)


def data_dir() -> Path:
    """RELATIONS_DATA_DIR lets tests and staging point the app at another copy of the data."""
    return Path(os.environ.get("RELATIONS_DATA_DIR", DEFAULT_DATA_DIR))


def archive_dir() -> Path:
    """RELATIONS_ARCHIVE_DIR: where the archived article texts are (curation reads and writes them)."""
    return Path(os.environ.get("RELATIONS_ARCHIVE_DIR", DEFAULT_ARCHIVE_DIR))


def curation_enabled() -> bool:
    """Curation writes to the data: on only where a curator starts the app with RELATIONS_CURATION=1,
    and never where sign-in is configured, so the shared link stays read-only."""
    return os.environ.get("RELATIONS_CURATION") == "1" and not sign_in_configured()


MAX_RECENT = 256  # as many as the figure cache holds
_RECENT: OrderedDict[tuple, object] = OrderedDict()


def recent(key: tuple, compute: Callable[[], T]) -> T:
    """A plain dictionary in front of the st.cache_resource functions below: Streamlit's own lookup
    inspects the function's signature and hashes every argument on each call (≈0.5 CPU-ms, several
    times a page view). A miss goes to Streamlit's cache, which computes once per key with a spinner;
    both hold the same shared object."""
    if key in _RECENT:
        _RECENT.move_to_end(key)
        return _RECENT[key]
    value = compute()
    _RECENT[key] = value
    while len(_RECENT) > MAX_RECENT:
        _RECENT.popitem(last=False)
    return value


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def _cached_dataset(directory: str, content_hash: str) -> Dataset:
    """content_hash is part of the cache key, so an edited CSV is picked up on the next rerun.
    cache_resource shares one read-only copy between sessions: cache_data unpickled the whole
    dataset on every page view (about 15 ms of each). Pages and builders never modify it."""
    return load_dataset(Path(directory))


def cached_dataset(directory: str, content_hash: str) -> Dataset:
    return recent(("dataset", directory, content_hash), lambda: _cached_dataset(directory, content_hash))


@st.cache_resource(max_entries=256, show_spinner="Drawing the figures…")
def _cached_build(name: str, content_hash: str, view: tuple, _builder: Callable, _dataset: Dataset):
    return _builder(_dataset, *view)


def cached_build(builder: Callable[..., T], dataset: Dataset, *view: Hashable) -> T:
    """Builders are pure, so (builder, dataset version, view) names the result: a warm rerun reuses the
    figures and their specs. cache_resource shares them read-only, without copying."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    content_hash = dataset.version.content_hash
    return recent(
        (name, content_hash, view), lambda: _cached_build(name, content_hash, view, builder, dataset)
    )


def render_relation_lines(relations: pd.DataFrame, names: dict[str, str], notes: Footnotes) -> None:
    """One Markdown list: one element instead of one per relation."""
    if not relations.empty:
        st.markdown(relation_lines_markdown(relations, names, notes))


@cache
def _script_slots() -> threading.BoundedSemaphore | None:
    slots = int(os.environ.get("RELATIONS_SCRIPT_SLOTS", DEFAULT_SCRIPT_SLOTS) or 0)
    return threading.BoundedSemaphore(slots) if slots > 0 else None


def script_slot() -> AbstractContextManager:
    """At most RELATIONS_SCRIPT_SLOTS page scripts run at once in a replica (0: no limit). Streamlit
    runs every session's script on its own thread under one interpreter lock: when a hundred analysts
    open a page at once, a hundred runnable threads starve the event loop that answers the health
    check and sends every session its messages. A waiting script holds no lock, so the loop keeps
    answering; the burst takes as long in all (the replica has one core's worth of Python either way)."""
    return _script_slots() or nullcontext()


@cache
def settle_heap() -> None:
    """Once per process, after the first run has imported pandas, geopandas and Streamlit and loaded the
    data and the map geometry: freeze those long-lived objects out of the garbage collector. Otherwise
    every full collection walks them all, and parsing a map spec (tens of thousands of new objects)
    triggers several: measured 106 ms for the map chart before, 26 ms after."""
    default_world()
    gc.collect()
    gc.freeze()
    # A rerun allocates tens of thousands of short-lived objects (specs, protobufs): with the default
    # threshold of 700 the collector runs hundreds of times per rerun. Measured on the map page:
    # median warm rerun 119–153 ms at 700, 95–99 ms at 20,000 (benchmarks/page_rerun.py, 11 runs).
    gc.set_threshold(GC_YOUNG_THRESHOLD)


@cache
def keep_compiled_scripts() -> None:
    """Once per process: compiled page scripts stay compiled. Streamlit empties its script cache whenever
    a replica's last session closes, so that an edited script is read again; a quiet replica, one
    analyst at a time, then compiles app.py and the page afresh on every view (≈1.5–2.5 CPU-ms, more
    than the page's own work on Sources). Only without a file watcher (production, where scripts
    change only with a restart); with one, an edit still clears the cache and reruns."""
    if st.get_option("server.fileWatcherType") != "none" or not Runtime.exists():
        return
    script_cache = getattr(Runtime.instance(), "_script_cache", None)  # not public: skipped if renamed
    if script_cache is not None and callable(getattr(script_cache, "clear", None)):
        script_cache.clear = lambda: None


@cache
def favicon() -> str:
    """The icon as a data URL, which Streamlit passes through as it is. Given a file, Streamlit reads it
    and registers it as a media file on every page view, and every browser then fetches it from the
    replica, which nginx does not cache."""
    return "data:image/png;base64," + base64.b64encode(ICON.read_bytes()).decode("ascii")


@cache
def _page_templates(curate_visible: bool) -> tuple[st.Page, ...]:
    # Streamlit serves the default page only at "/", yet reserves its url_path: it gets a name no link
    # uses, and its own address (/overview?pair=…, used by links and the README) opens the same page
    # through a hidden twin instead of a "Page not found" dialog.
    home = PAGES[0]
    pages = [st.Page(home.path, title=home.title, icon=home.icon, url_path="home", default=True)]
    pages += [
        st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path) for page in PAGES[1:]
    ]
    # Curate is listed only where curation is on; elsewhere its address says so instead of "Page not found".
    visibility = "visible" if curate_visible else "hidden"
    pages.append(
        st.Page(
            CURATE.path, title=CURATE.title, icon=CURATE.icon, url_path=CURATE.url_path, visibility=visibility
        )
    )
    pages.append(
        st.Page(home.path, title=home.title, icon=home.icon, url_path=home.url_path, visibility="hidden")
    )
    return tuple(pages)


def navigation_pages(curate_visible: bool) -> list[st.Page]:
    """The pages st.navigation lists. st.Page resolves and checks its script on the disk: with the
    favicon, ≈2.6 CPU-ms of every view for the nine pages. They are made once and copied for each
    run, because st.navigation marks the page it returns as runnable once: shared objects would race
    between sessions."""
    return [copy.copy(page) for page in _page_templates(curate_visible)]


def route_through_entrypoint() -> None:
    """Until app.py has called st.navigation once in this process, Streamlit treats pages/ as a
    legacy pages folder and runs a page without app.py (no page config, sidebar or navigation).
    One rerun sends the session through app.py; the flag is process-wide, so this happens once."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def dataset_or_stop() -> Dataset:
    route_through_entrypoint()
    directory = data_dir()
    try:
        return cached_dataset(str(directory), dataset_version(directory).content_hash)
    except DatasetError as err:
        st.error(
            f"The dataset cannot be shown: {len(err.problems)} problem(s) were found. "
            "Fix them (run `python -m relations validate` for the full list) and reload."
        )
        st.code("\n".join(str(p) for p in err.problems[:MAX_PROBLEMS_SHOWN]), language=None)
        st.stop()


_SIGN_IN_READ: list = [None, False]  # the secrets object read, and whether it has an [auth] section


def sign_in_configured() -> bool:
    """Sign-in is off unless .streamlit/secrets.toml has an [auth] section (Streamlit's OIDC login).
    Read once per secrets object (Streamlit's is one per process, and a replica restarts to change its
    auth settings): with no secrets file, Streamlit looks for one again on every access, ≈1 CPU-ms."""
    secrets = st.secrets
    if _SIGN_IN_READ[0] is not secrets:
        try:
            configured = "auth" in secrets
        except FileNotFoundError:  # no secrets file at all
            configured = False
        _SIGN_IN_READ[:] = [secrets, configured]
    return _SIGN_IN_READ[1]


def require_sign_in() -> None:
    """With sign-in configured, nothing of the dataset is shown until the user has signed in."""
    if not sign_in_configured():
        return
    if not st.user.get("is_logged_in", False):  # absent until Streamlit has read an [auth] section
        st.title("Geopolitical relations")
        st.write("This dashboard is shared inside the organisation. Sign in to continue.")
        st.button("Sign in", on_click=st.login, icon=":material/login:", type="primary")
        st.stop()
    with st.sidebar:
        st.caption(
            f"Signed in as {escape_markdown(str(st.user.get('email') or st.user.get('name') or 'user'))}"
        )
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")


def dataset_line(dataset: Dataset) -> str:
    """Which data the page shows, as small grey Markdown at the top of the sidebar."""
    return (
        f":small[:gray[Dataset version `{dataset.version.content_hash}` · updated "
        f"{date_in_words(dataset.version.updated)} · {len(dataset['sources'])} sources, "
        f"{len(dataset['citations'])} quotes]]"
    )


def render_page_heading(title: str, intro: str) -> None:
    """The page's title and its one-paragraph introduction (Markdown, small and grey like a caption) as
    one element instead of two: each element is a message to build and send on every page view."""
    st.markdown(f"# {escape_markdown(title)}\n\n:small[:gray[{intro}]]")


def show_notices(*notices: str | None) -> None:
    for notice in notices:
        if notice:
            st.warning(notice, icon=":material/link_off:")


def lazy_expander(
    label: str, *, key: str, icon: str | None = None, expanded: bool = False
) -> ExpanderContainer | None:
    """A collapsed heading whose content is built and sent only while it is open (opening it reruns
    the page, from the caches): None while closed. Closed, it is one element on every page view instead
    of the content's several, which is most of what a page sends."""
    box = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    return box if box.open else None


def render_footnotes(notes: list[Footnote], heading: str = "Sources") -> None:
    """Collapsed: each quote with its source and a link to its entry on the Sources page."""
    if notes and (
        box := lazy_expander(
            f"{heading} · {counted(len(notes), 'quote')}", key=f"notes-{heading}", icon=QUOTE_ICON
        )
    ):
        box.markdown(footnotes_markdown(notes, SOURCES_URL))


def current_link(state: dict[str, str]) -> str:
    """The address that reproduces this view: the page URL plus its state, commas left as they are
    (`actors=BLR,CHN`, as the address bar and the README write it, not `BLR%2CCHN`)."""
    query = urlencode(state, safe=",")
    base = st.context.url or ""
    return f"{base}?{query}" if query else base


def render_view_sidebar(
    view: str,
    dataset: Dataset,
    notes: list[Footnote],
    figures: list[Figure] = (),
    state: dict[str, str] | None = None,
) -> None:
    """Link, citations and deck for what is on screen: the three ways a view leaves the dashboard.

    state is the page's whole view state, already validated: it replaces the query string, so the
    address bar and the copied link hold exactly that, and never a value the page refused."""
    state = state or {}
    if st.query_params.to_dict() != state:
        st.query_params.from_dict(state)
    with st.sidebar:
        # Inline code, not st.code: a code block makes every browser load and run Streamlit's syntax
        # highlighter (≈0.4 s of script in a new tab, more than the rest of a text page).
        # One Markdown element for the dataset line and the link: each element costs every page view.
        link = inline_code(current_link(state)) or "(open the app in a browser to see its link)"
        st.markdown(f"{dataset_line(dataset)}\n\n**Link to this view**\n\n{link}")
        # The deck and the citations under one collapsed heading, built when opened: a new tab draws
        # no download button (each loads and draws its own part of Streamlit's frontend).
        heading = (
            "Deck and citations" if figures and notes else "Deck (PPTX)" if figures else "Cite this view"
        )
        heading_icon = ":material/download:" if figures else QUOTE_ICON
        if (figures or notes) and (
            box := lazy_expander(heading, key=f"sidebar-downloads-{view}", icon=heading_icon)
        ):
            if figures:
                box.download_button(
                    "Download deck (PPTX)",
                    data=lambda: deck_of_figures(list(figures), dataset.version, dt.date.today()),
                    file_name=f"{view}.pptx",
                    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    on_click="ignore",
                    icon=":material/slideshow:",
                    key=f"deck-{view}",
                    help="One 16:9 slide per figure on this page, citations in the speaker notes",
                )
            for label, render, suffix, mime, icon in CITATION_FORMATS if notes else ():
                box.download_button(
                    label,
                    data=lambda render=render: render(notes),  # made on click, not on every page view
                    file_name=f"{view}.{suffix}",
                    mime=mime,
                    on_click="ignore",
                    icon=icon,
                    key=f"{suffix}-{view}",
                )


_PER_FIGURE: OrderedDict[tuple[int, str], tuple[Figure, object]] = OrderedDict()
MAX_PER_FIGURE = 2 * MAX_RECENT


def per_figure(figure: Figure, kind: str, make: Callable[[Figure], T]) -> T:
    """make(figure), once per figure and kind. Figures are shared from the figure cache, so the figure
    itself (kept alongside, against a reused id) is the key."""
    key = (id(figure), kind)
    entry = _PER_FIGURE.get(key)
    if entry is None or entry[0] is not figure:
        entry = (figure, make(figure))
        _PER_FIGURE[key] = entry
        while len(_PER_FIGURE) > MAX_PER_FIGURE:
            _PER_FIGURE.popitem(last=False)
    return entry[1]


@cache
def world_geometry_url() -> str:
    """Where the page's maps fetch the world's shapes (relations/charts/world_link.py). Streamlit serves
    a folder only as a component's: the folder is declared as one, once per process, and never drawn."""
    folder = components.declare_component("world", path=str(WORLD_TOPOJSON.parent))
    return world_url(
        st.get_option("server.baseUrlPath"), f"{COMPONENT_ROUTE}/{folder.name}", WORLD_TOPOJSON.read_bytes()
    )


def _page_spec(figure: Figure) -> dict:
    return page_vega(linked_to_world(figure.spec, world_geometry_url()))


def page_spec(figure: Figure) -> dict:
    """The figure's spec as the page sends it, once per figure: the world's shapes linked, not inline,
    and compiled to Vega (relations/charts/page_vega.py), so no reader's browser compiles it again."""
    return per_figure(figure, "page spec", _page_spec)


CHART_LAYOUT = LayoutConfig(width="stretch", height="content")


def _chart_element(figure: Figure) -> VegaLiteChartProto:
    """The element st.vega_lite_chart sends for a chart at the container's width with no Streamlit theme,
    holding the compiled spec. st.vega_lite_chart itself takes Vega-Lite only: it would move a Vega
    spec's list of data out of the spec as if it were a table. Its tables are in the spec, so the
    element has no datasets of its own."""
    element = VegaLiteChartProto()
    element.spec = vega_charts._stabilize_vega_json_spec(json.dumps(page_spec(figure)))
    element.theme = ""
    return element


def _selectable_chart(
    figure: Figure, *, key: str, on_select: Callable[[], None], selection_mode: str
) -> None:
    """The chart as a widget reporting the reader's click selection, registered as st.vega_lite_chart
    registers one (its own steps, in its order), on the element made once per figure."""
    check_widget_policies(st._main, key, on_change=on_select, default_value=None, writes_allowed=False)
    element = VegaLiteChartProto()
    element.CopyFrom(per_figure(figure, "chart", _chart_element))
    selections = vega_charts._parse_selection_mode(page_spec(figure), selection_mode)
    element.selection_mode.extend(selections)
    element.form_id = current_form_id(st._main)
    element.id = compute_and_register_element_id(
        "vega_lite_chart",
        user_key=key,
        key_as_main_identity={"selection_mode"},
        dg=st._main,
        vega_lite_spec=element.spec,
        vega_lite_data=element.data.data,
        named_datasets=[],
        theme=None,
        use_container_width=None,
        selection_mode=selections,
        alt=None,
    )
    serde = vega_charts.VegaLiteStateSerde(selections)
    register_widget(
        element.id,
        on_change_handler=on_select,
        deserializer=serde.deserialize,
        serializer=serde.serialize,
        ctx=get_script_run_ctx(),
        value_type="string_value",
    )
    st._main._enqueue("vega_lite_chart", element, CHART_LAYOUT)


def show_chart(figure: Figure, **selection) -> None:
    """A chart nobody selects in is the same element on every page view: it is made once per figure and
    sent as it is (st.vega_lite_chart serialised, parsed and rewrote the spec's JSON on every call,
    ≈0.3 CPU-ms of a chart's ≈0.75 at the replica). A chart with a selection (key, on_select,
    selection_mode) is a widget of the session: the same element, registered on every run."""
    if selection:
        _selectable_chart(figure, **selection)
    else:
        st._main._enqueue("vega_lite_chart", per_figure(figure, "chart", _chart_element), CHART_LAYOUT)


def render_figure(figure: Figure, dataset: Dataset, *, divided: bool = False, **selection) -> None:
    """Headline and subtitle as text (they wrap on a phone), the chart filling the column, then its
    text alternative, quotes, data and slide files one click away. Few elements: each one is a message
    to build, send and draw on every page view (0.15–0.3 CPU-ms at the replica), and the browser renders
    every Markdown element on its own (≈10 ms each), so a rule above the figure (divided) is part of
    its headline's Markdown. The text alternative is also the chart's accessible name (the spec's
    description), so a screen reader has it without opening anything."""
    subtitle = escape_markdown(figure.keyed(figure.subtitle))
    rule = "---\n\n" if divided else ""
    st.markdown(f"{rule}### {escape_markdown(figure.title)}\n\n:small[{subtitle}]")
    show_chart(figure, **selection)
    render_figure_tools(figure, dataset)


def start_from_link(key: str, linked: object) -> None:
    """The keyed widget's starting value is the link's, given through its state, not as its default: a
    default is part of a widget's identity, and the link changes with every choice, so the next choice
    would meet a new widget back at the link's previous value. A widget not drawn in a run (a closed
    popover's) loses its state, and starts from the link again when it is next drawn."""
    st.session_state.setdefault(key, linked)


def linked_tabs(labels: list[str], *, key: str, linked: str) -> Sequence[TabContainer]:
    """Tabs that track which is open (each switch reruns the page), opening on the link's tab."""
    start_from_link(key, linked)
    return st.tabs(labels, key=key, on_change="rerun")


FIGURE_PARAM = "figure"


def linked_figure(labels: dict[str, str]) -> Parsed:
    """The link's open tab (?figure=) among a page's figures, labels being figure id → tab name in
    page order; the first when the link names none, with a notice when it names one not here."""
    ids = list(labels)
    return parse_choice(st.query_params.get(FIGURE_PARAM), ids, ids[0], FIGURE_PARAM, labels[ids[0]])


def render_figure_tabs(
    figures: list[Figure], labels: dict[str, str], dataset: Dataset, *, key: str, chosen: str
) -> dict[str, str]:
    """One tab per figure, named by labels (figure id → short name), opening on the chosen figure's;
    only the open tab's figure is built and sent, and a switch reruns the page from the caches. A page
    of four charts drew all four in every new tab (twice the browser work of a one-chart page) while a
    reader looks at one at a time; the deck and citations still hold them all. Returns the open tab's
    part of the view's link (none for the first tab)."""
    tabs = linked_tabs([labels[figure.id] for figure in figures], key=key, linked=labels[chosen])
    shown = next((figure for figure, tab in zip(figures, tabs, strict=True) if tab.open), figures[0])
    with tabs[figures.index(shown)]:
        render_figure(shown, dataset)
    return {FIGURE_PARAM: shown.id} if shown is not figures[0] else {}


def render_figure_tools(figure: Figure, dataset: Dataset) -> None:
    """The text alternative and quotes, then the chart's data as CSV and the chart as slide files
    (rendered server-side only when clicked, from the same spec as the chart above), under one
    collapsed heading, built only once it is opened (lazy_expander): closed, one element instead of
    seven."""
    count = len(figure.footnotes)
    label = f"Text, sources and downloads · {counted(count, 'quote')}" if count else "Text and downloads"
    tools = lazy_expander(label, key=f"tools-{figure.id}", icon=QUOTE_ICON)
    if tools is None:
        return
    with tools:
        text = f"**Text alternative:** {escape_markdown(figure.summary)}"
        st.markdown(f"{text}\n\n{footnotes_markdown(figure.footnotes, SOURCES_URL)}" if count else text)
        with st.container(horizontal=True):
            st.download_button(
                "Data (CSV)",
                data=lambda: safe_csv(figure.data),  # made on click, not on every page view
                file_name=f"{figure.id}.csv",
                mime="text/csv",
                key=f"csv-{figure.id}",
                on_click="ignore",
                icon=":material/download:",
            )
            for fmt, label, mime in SLIDE_FORMATS:
                st.download_button(
                    label,
                    data=lambda fmt=fmt: figure_files(figure, [fmt], dataset.version, dt.date.today())[fmt],
                    file_name=f"{figure.id}.{fmt}",
                    mime=mime,
                    on_click="ignore",
                    key=f"{fmt}-{figure.id}",
                    icon=":material/slideshow:",
                    help="A 16:9 slide: headline, chart, source line and dataset version",
                )
