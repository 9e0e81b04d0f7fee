"""Every page through the real app script with AppTest: renders, cites, survives hostile links."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from relations.navigation import PAGES
from tests.conftest import ROOT, build_dataset

APP = str(ROOT / "app.py")


def run_page(path: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if path != PAGES[0].path:
        # The first run is the default page, which writes its own state to the URL; set the link's
        # parameters again so the page sees them as a browser opening the link would.
        for key in list(at.query_params):
            del at.query_params[key]
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(path).run()
    return at


def expander_keys(at: AppTest, prefix: str = "") -> list[str]:
    """The keys of the page's collapsed headings that build their content when opened (pages/shared.py
    lazy_expander): a widget's id ends in its key."""
    ids = [block.proto.id for block in at.get("expander")]
    return [key for key in (i.split("-", 2)[2] for i in ids if i.count("-") >= 2) if key.startswith(prefix)]


def open_expanders(at: AppTest) -> AppTest:
    """Opens every such heading, as an analyst clicking each one would."""
    for key in expander_keys(at):
        at.session_state[key] = True
    return at.run()


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception_and_cites(page):
    at = open_expanders(run_page(page.path))
    assert not at.exception
    assert not at.error
    quotes = [m.value for m in at.markdown if re.search(r"(^|\n)(\d+\. “|- \*\*C)", m.value)]
    assert quotes, "every page shows its quotes"
    numbered = [line for q in quotes for line in q.splitlines() if re.match(r"\d+\. “", line)]
    quote_of = {}
    for line in numbered:  # one number, one quote, wherever it is listed on the page
        number, quote = line.split(" — ", 1)[0].split(".", 1)
        assert quote_of.setdefault(number, quote) == quote


def test_overview_shows_belarus_china_headlines():
    at = run_page("pages/overview.py")
    assert at.title[0].value == "Belarus – China"
    text = "\n".join(m.value for m in at.markdown)
    assert "all\\-weather comprehensive strategic partnership since September 2022" in text
    assert all(f"**{value}**" in text for value in ("1\\.91 Mt", "≥ \\$5 bn", "\\$3\\.5 bn", "top 3"))
    assert at.query_params["pair"] == "BLR-CHN"


def test_overview_follows_pair_in_link():
    at = run_page("pages/overview.py", pair="BLR-RUS")
    assert at.title[0].value == "Belarus – Russia"
    assert not at.warning


@pytest.mark.parametrize("hostile", ["<script>alert(1)</script>", "ZZZ-QQQ", "x" * 10_000, "'; DROP TABLE--"])
def test_overview_hostile_pair_falls_back_with_notice(hostile):
    at = run_page("pages/overview.py", pair=hostile)
    assert not at.exception
    assert at.title[0].value == "Belarus – China"
    assert len(at.warning) == 1
    assert "<script>" not in at.warning[0].value


def test_broken_dataset_shows_message_not_traceback(tmp_path, monkeypatch):
    data = build_dataset(tmp_path / "data", "bad_date")
    monkeypatch.setenv("RELATIONS_DATA_DIR", str(data))
    at = run_page("pages/overview.py")
    assert not at.exception
    assert "2 problem(s)" in at.error[0].value
    assert "events.csv:3: date:" in at.code[0].value


def all_text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info])


def test_sources_page_reaches_every_record():
    from relations.backlinks import CITING_TABLES, citing_records, record_key
    from relations.data.loading import load_dataset

    text = all_text(open_expanders(run_page("pages/sources.py"))).replace("\\", "")
    dataset = load_dataset(ROOT / "data")
    linked = {(ref.table, ref.id): ref for refs in citing_records(dataset).values() for ref in refs}
    missing = []
    for table in CITING_TABLES:
        keys = [record_key(table, row) for _, row in dataset[table].iterrows()]
        missing += [
            f"{table} {key}"
            for key in keys
            if (table, key) not in linked
            or f"[{linked[table, key].label}]({linked[table, key].href})" not in text
        ]
    assert missing == []
    assert not re.search(r"\[(relations|events|stances|trade) [A-Za-z0-9_]+\]", text)  # names, not ids
    assert all(f"**{cid}**" in text for cid in dataset["citations"]["id"])


def test_footnote_markers_on_a_page_do_not_break_inside():
    """On a phone "[34–" ended one line and "36]" began the next: inside a marker, a no-break space
    follows each comma and a word joiner each dash."""
    import re

    text = "\n".join(m.value for m in run_page("pages/overview.py").markdown)
    markers = re.findall(r"\\\[([0-9][^\]]*)\\\]", text)
    assert any("," in m for m in markers) and any("–" in m for m in markers)
    assert all(", " not in m and all(part.startswith("\u2060") for part in m.split("–")[1:]) for m in markers)


def test_sources_page_opens_the_linked_quote():
    at = run_page("pages/sources.py", quote="C002-potash")
    assert len(at.info) == 1
    shown = at.info[0].value.replace("\\", "")
    assert "1.91 million tons of potash" in shown
    assert "[figure: China's potash imports from Belarus, 2022](trade)" in shown


@pytest.mark.parametrize("hostile", ["<img src=x onerror=alert(1)>", "C999", "../../etc/passwd"])
def test_sources_page_hostile_quote_param(hostile):
    at = run_page("pages/sources.py", quote=hostile)
    assert not at.exception
    assert len(at.warning) == 1 and not at.info


MAP_CHOICES = "map-choose"  # the map's popover of focus and country


def open_popover(at: AppTest, key: str) -> AppTest:
    at.session_state[key] = True
    return at.run()


def test_timeline_filters_by_actor_from_link():
    at = run_page("pages/timeline.py", actors="IRN")
    assert not at.warning
    assert not at.multiselect  # the filter is built only while its popover is open...
    assert at.main.children[1].proto.popover.label == "Filter events by actor"
    assert any(m.value.startswith("### Events involving Iran") for m in at.markdown)  # the headline
    assert open_popover(at, "timeline-filter").multiselect[0].value == ["IRN"]  # ...and opens on the link's
    at_all = run_page("pages/timeline.py")
    assert open_popover(at_all, "timeline-filter").multiselect[0].value == []
    bad = run_page("pages/timeline.py", actors="IRN,<script>,ZZZ")
    assert len(bad.warning) == 1
    assert open_popover(bad, "timeline-filter").multiselect[0].value == ["IRN"]


def test_the_view_link_keeps_commas_readable():
    """The sidebar's link lists actors as the address is written by hand, `actors=IRN,CHN`."""
    at = run_page("pages/timeline.py", actors="IRN,CHN")
    (sidebar,) = at.sidebar.markdown
    assert sidebar.value.endswith("`?actors=IRN,CHN`") and "%2C" not in sidebar.value


def test_timeline_filter_chosen_in_the_popover_stays_once_it_closes():
    at = open_popover(run_page("pages/timeline.py"), "timeline-filter")
    every = at.get("vega_lite_chart")[0].proto.spec
    at.multiselect[0].set_value(["IRN"]).run()
    assert dict(at.query_params) == {"actors": "IRN"}
    at.session_state["timeline-filter"] = False
    at.run()
    assert not at.multiselect and dict(at.query_params) == {"actors": "IRN"}
    assert at.get("vega_lite_chart")[0].proto.spec != every  # still filtered


@pytest.mark.parametrize("path", ["pages/trade.py", "pages/map.py"])
def test_closed_figure_tools_send_nothing_until_opened(path):
    """The text alternative, quotes and downloads are built only for a figure whose heading is open:
    one element, not seven."""
    at = run_page(path)
    keys = expander_keys(at, "tools-")
    assert keys and not at.main.get("download_button")
    assert not any("Text alternative" in element.value for element in [*at.markdown, *at.caption])
    closed_markdown = len(at.markdown)
    at.session_state[keys[0]] = True
    at.run()
    formats = [button.label for button in at.main.get("download_button")]
    assert formats == ["Data (CSV)", "Slide PNG", "Slide SVG", "Slide PDF"]
    assert any(re.search(r"(^|\n)\d+\. “", m.value) for m in at.main.markdown)
    assert sum(m.value.startswith("**Text alternative:** ") for m in at.main.markdown) == 1
    assert len(at.markdown) == closed_markdown + 1


def test_cite_this_view_offers_csl_and_bibtex():
    at = run_page("pages/overview.py")
    assert expander_keys(at, "sidebar-downloads-")
    assert not at.get("download_button")
    labels = [button.label for button in open_expanders(at).sidebar.get("download_button")]
    assert labels == ["CSL-JSON", "BibTeX"]  # no figure on the page, so no deck


def test_the_deck_waits_with_the_citations_under_one_closed_heading():
    """A new tab draws no download button: the deck and the citations are built when opened."""
    at = run_page("pages/trade.py")
    assert len(expander_keys(at, "sidebar-downloads-")) == 1
    assert not at.get("download_button")
    labels = [button.label for button in open_expanders(at).sidebar.get("download_button")]
    assert labels[0] == "Download deck (PPTX)" and {"CSL-JSON", "BibTeX"} <= set(labels[1:])


def test_map_page_reads_focus_layer_and_pair_from_link():
    at = run_page("pages/map.py", focus="BLR", layer="sanctions", pair="BLR-RUS")
    assert not at.exception and not at.warning
    assert not at.selectbox  # the choices are built only while their popover is open...
    assert any(m.value == "#### Belarus and Russia" for m in at.markdown)  # ...and the view is the link's
    open_popover(at, MAP_CHOICES)
    assert at.selectbox[0].value == "BLR"
    assert at.session_state["map-layer"] == "Sanctions"  # the open tab
    assert at.selectbox[1].value == "RUS"
    assert any(m.value == "#### Belarus and Russia" for m in at.markdown)
    assert dict(at.query_params) == {"focus": "BLR", "layer": "sanctions", "pair": "BLR-RUS"}


@pytest.mark.parametrize(
    ("query", "ladder"),
    [
        ({"focus": "CHN"}, True),
        ({"focus": "BLR"}, True),  # China is Belarus' rung-2 partner, coloured so
        ({"focus": "BLR", "layer": "sanctions"}, False),
        ({"focus": "USA"}, False),  # tension with China: no rung coloured
    ],
)
def test_the_partnership_ladder_is_offered_beside_a_map_coloured_by_its_rungs(query, ladder):
    at = run_page("pages/map.py", **query)
    assert bool(expander_keys(at, "ladder")) == ladder


def test_map_pair_detail_heads_its_relations_and_what_each_says_about_the_other():
    """Two lists under one pair heading read as one: each has its heading, as on the Overview."""
    at = run_page("pages/map.py", focus="CHN", pair="CHN-BLR")
    (detail,) = [m.value for m in at.markdown if m.value.startswith("**Relations**\n\n- ")]
    relations, _, stances = detail.partition("\n\n**What China and Belarus say about each other**\n\n- ")
    assert "**Partnership**" in relations and stances


@pytest.mark.parametrize(
    "params",
    [
        {"focus": "<script>alert(1)</script>"},
        {"focus": "XXX", "layer": "nukes"},
        {"pair": "CHN-" + "A" * 500},
        {"focus": "CHN", "pair": "BLR-RUS"},  # a pair without the focus
        {"layer": "../../etc/passwd"},
    ],
)
def test_map_page_hostile_params_fall_back_with_notice(params):
    at = run_page("pages/map.py", **params)
    assert not at.exception
    assert at.warning, params
    assert open_popover(at, MAP_CHOICES).selectbox[0].value == "CHN"
    assert all("<script>" not in w.value and "passwd" not in w.value for w in at.warning)


def test_map_page_shows_pair_without_relation_as_such():
    at = run_page("pages/map.py", focus="CHN", pair="CHN-FRA")
    assert not at.exception
    assert "no relation" in at.info[0].value


def test_corridors_page_with_one_corridor_offers_no_choice_and_refuses_an_unknown_one():
    at = run_page("pages/corridors.py")
    assert not at.exception and not at.warning
    assert not at.multiselect  # a one-corridor dataset: nothing to choose
    assert any("editorial illustrations" in m.value for m in at.markdown)  # the subtitle
    off = run_page("pages/corridors.py", corridors="nothing-here")
    assert len(off.warning) == 1 and "corridors" in off.warning[0].value
    assert len(off.get("vega_lite_chart")) == 1  # the corridor still drawn


@pytest.mark.parametrize(
    ("path", "key"), [("pages/trade.py", "trade-figure"), ("pages/corridors.py", "corridor-figure")]
)
def test_a_figure_page_builds_only_its_open_tab_and_links_to_it(path, key):
    at = run_page(path)
    labels = [tab.label for tab in at.tabs]
    assert len(labels) > 1 and len(at.get("vega_lite_chart")) == 1
    first = at.get("vega_lite_chart")[0].proto.spec
    assert dict(at.query_params) == {}  # the first tab is the default view
    at.session_state[key] = labels[-1]
    at.run()
    assert len(at.get("vega_lite_chart")) == 1 and at.get("vega_lite_chart")[0].proto.spec != first
    linked = dict(at.query_params)
    assert list(linked) == ["figure"]
    again = run_page(path, **linked)  # the copied link opens on that tab
    assert again.session_state[key] == labels[-1] and not again.warning
    assert again.get("vega_lite_chart")[0].proto.spec == at.get("vega_lite_chart")[0].proto.spec
    bad = run_page(path, figure="<script>")
    assert len(bad.warning) == 1 and f"showing {labels[0]}." in bad.warning[0].value


def test_no_sign_in_without_auth_secrets():
    at = run_page("pages/overview.py")
    assert not [b for b in at.button if b.label == "Sign in"]


def test_sign_in_gate_when_auth_is_configured():
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "not-a-real-secret",
        "client_id": "dashboard",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.subheader  # nothing of the dataset before sign-in


def test_map_pair_detail_shows_what_one_says_about_the_other():
    from relations.data.loading import load_dataset
    from relations.formatting import STANCE_NOUNS
    from relations.profile import pair_stances
    from tests.conftest import REAL_DATA

    stances = pair_stances(load_dataset(REAL_DATA), ("CHN", "USA"))
    assert not stances.empty
    at = run_page("pages/map.py", focus="CHN", pair="CHN-USA")
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert all(
        summary.split(" ")[0] in text and f"**{STANCE_NOUNS[stance]}** by" in text
        for summary, stance in zip(stances["summary"], stances["stance"], strict=True)
    )


def test_a_quote_link_opens_its_article_and_only_its_article():
    from relations.data.loading import load_dataset

    citations = load_dataset(ROOT / "data")["citations"]
    cited = citations.iloc[0]
    at = run_page("pages/sources.py", quote=cited["id"])
    text = all_text(at).replace("\\", "")
    assert f"**{cited['id']}**" in text
    others = citations[citations["source"] != cited["source"]]["id"]
    assert not any(f"**{cid}**" in text for cid in others)


def test_waypoint_table_leads_with_the_places():
    at = run_page("pages/corridors.py")
    assert not at.dataframe  # built when its heading is opened
    at.session_state["waypoints"] = True
    at.run()
    order = list(at.dataframe[0].proto.column_order)
    assert order[:2] == ["place", "role"] and "transit" not in order


def _chart_messages_script():
    """Every trade and corridor figure shown twice, as two page views would; the deltas are kept."""
    from unittest import mock

    import streamlit as st
    import streamlit.delta_generator as delta_generator

    from pages.shared import show_chart
    from relations.charts.trade import trade_figures
    from relations.data.loading import DEFAULT_DATA_DIR, load_dataset
    from relations.views import corridor_page_figures

    dataset = load_dataset(DEFAULT_DATA_DIR)
    figures = [*trade_figures(dataset), *corridor_page_figures(dataset, None).figures]
    sent = []
    real = delta_generator._enqueue_message
    with mock.patch.object(delta_generator, "_enqueue_message", lambda msg: (sent.append(msg), real(msg))):
        for figure in figures:
            show_chart(figure)
            show_chart(figure)
    st.session_state["charts"] = [msg.delta.new_element.vega_lite_chart.SerializeToString() for msg in sent]


def test_a_page_chart_is_sent_as_vega_with_its_tables_and_made_once():
    """The browser gets Vega it draws without compiling, the tables inside it, and the same bytes again
    on the next view."""
    import json

    from streamlit.proto.VegaLiteChart_pb2 import VegaLiteChart

    at = AppTest.from_function(_chart_messages_script, default_timeout=60).run()
    assert not at.exception
    sent = at.session_state["charts"]
    assert len(sent) == 2 * 6  # four trade figures and two corridor figures, twice each
    for first, again in zip(sent[::2], sent[1::2], strict=True):
        assert first == again
        chart = VegaLiteChart.FromString(first)
        spec = json.loads(chart.spec)
        assert "/schema/vega/" in spec["$schema"]
        assert not chart.datasets and not chart.data.data
        assert any(entry.get("values") for entry in spec["data"])


def test_the_map_chart_is_a_widget_holding_the_readers_click_selection():
    """The map's click selection (the compiled spec's own signal) comes back as the widget's state, which
    select_clicked_country reads."""
    at = run_page("pages/map.py", focus="CHN")
    assert not at.exception
    assert at.session_state["map-chart"].selection == {"country": {}}
    [chart] = [element for element in at.get("vega_lite_chart") if element.proto.selection_mode]
    assert list(chart.proto.selection_mode) == ["country"]
    assert '"name": "country"' in chart.proto.spec  # the signal its frontend listens to


def test_a_map_pair_without_the_focus_is_refused_for_that_reason_and_shows_no_pair():
    """It said "no relation between BLR and RUS; showing the default pair" of a pair that has one,
    on a map that then showed no pair."""
    at = run_page("pages/map.py", focus="CHN", pair="BLR-RUS")
    assert [w.value for w in at.warning] == [
        "The link's `pair` does not include the focus country, China, or names a country the map "
        "does not draw; showing no pair."
    ]
    assert open_popover(at, MAP_CHOICES).selectbox[1].value is None and "pair" not in dict(at.query_params)


def test_map_choices_made_in_the_popover_stay_once_it_closes():
    at = open_popover(run_page("pages/map.py"), MAP_CHOICES)
    at.selectbox[0].set_value("BLR").run()
    at.selectbox[1].set_value("RUS").run()
    assert dict(at.query_params) == {"focus": "BLR", "layer": "ties", "pair": "BLR-RUS"}
    at.session_state[MAP_CHOICES] = False
    at.run()
    assert not at.selectbox and dict(at.query_params) == {"focus": "BLR", "layer": "ties", "pair": "BLR-RUS"}
    assert any(m.value == "#### Belarus and Russia" for m in at.markdown)
    assert open_popover(at, MAP_CHOICES).selectbox[0].value == "BLR"  # reopened, on the choices made
    at.selectbox[1].set_value(None).run()  # the pair cleared...
    at.session_state[MAP_CHOICES] = False
    at.run()
    assert dict(at.query_params) == {"focus": "BLR", "layer": "ties"}  # ...stays cleared
    assert open_popover(at, MAP_CHOICES).selectbox[1].value is None


def test_a_country_clicked_on_the_map_with_the_choices_closed_is_the_pair():
    at = run_page("pages/map.py", focus="BLR")
    at.session_state["map-search"] = "RUS"  # what a click on Russia's shape sets (select_clicked_country)
    at.run()
    assert dict(at.query_params) == {"focus": "BLR", "layer": "ties", "pair": "BLR-RUS"}
    assert any(m.value == "#### Belarus and Russia" for m in at.markdown)
    assert open_popover(at, MAP_CHOICES).selectbox[1].value == "RUS"


def test_an_actor_named_twice_in_a_link_is_chosen_once():
    at = run_page("pages/timeline.py", actors="BLR,blr,CHN")
    assert not at.warning
    assert dict(at.query_params) == {"actors": "BLR,CHN"}
    assert any(m.value.startswith("### Events involving Belarus and China\n") for m in at.markdown)
