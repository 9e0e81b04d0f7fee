"""Hostile links on every page: script tags, very long and unicode values, path-like values in
every query parameter. No traceback, nothing echoed, a notice instead."""

import pytest

from relations.navigation import PAGES
from tests.test_pages import MAP_CHOICES, open_popover, run_page

PARAMETERS = ("pair", "focus", "layer", "actors", "match", "corridors", "quote")
HOSTILE_VALUES = {
    "script": '<script>alert("x")</script>',
    "html": '"><img src=x onerror=alert(1)>',
    "long": "BLR-" + "A" * 20_000,
    "unicode": "Б\u202eЛР-中国\u0000🏳️‍🌈",
    "path": "../../../../etc/passwd",
    "markdown": "[click](javascript:alert(1))",
}


def shown_text(at) -> list[str]:
    elements = [
        *at.markdown,
        *at.caption,
        *at.warning,
        *at.info,
        *at.error,
        *at.title,
        *at.subheader,
        *at.code,
    ]
    return [str(element.value) for element in elements]


@pytest.mark.parametrize("page", PAGES, ids=[p.url_path for p in PAGES])
@pytest.mark.parametrize("kind", sorted(HOSTILE_VALUES))
def test_hostile_values_in_every_parameter(page, kind):
    value = HOSTILE_VALUES[kind]
    at = run_page(page.path, **dict.fromkeys(PARAMETERS, value))
    assert not at.exception
    assert not at.error
    texts = shown_text(at)
    assert texts, "the page still renders"
    left_in_url = [str(at.query_params[key]) for key in at.query_params]
    for fragment in ("<script", "<img", "onerror", "javascript:", "etc/passwd", "AAAAAAAAAA"):
        assert not any(fragment in text for text in texts), (fragment, page.url_path)
        assert not any(fragment in text for text in left_in_url), (fragment, page.url_path)


def test_a_refused_value_names_the_default_as_the_page_shows_it():
    """'showing CHN' named a code the page's controls never show; the notice names what they show."""
    at = run_page("pages/map.py", focus="XYZ", layer="nope")
    warnings = " ".join(str(w.value) for w in at.warning)
    open_popover(at, MAP_CHOICES)
    shown_focus = at.selectbox[0].format_func(at.selectbox[0].value)
    shown_layer = at.session_state["map-layer"]  # the open tab's label
    assert shown_layer in [tab.label for tab in at.tabs]
    assert f"showing {shown_focus}." in warnings and f"showing {shown_layer}." in warnings
    at = run_page("pages/timeline.py", match="nope")
    warnings = " ".join(str(w.value) for w in at.warning)
    at.session_state["timeline-filter"] = True  # the filter's popover, opened
    at.run()
    rule = at.radio[0]
    assert f"showing {rule.format_func(rule.value)}." in warnings
