"""A page chart as Vega, compiled from its Vega-Lite once on the server instead of in every browser.

Given Vega-Lite, Streamlit's frontend compiles the spec in the reader's browser on every page view, on
the thread that also draws the page: 10–70 ms a chart, as much as drawing it. Given Vega (its own
`$schema` says which), the frontend skips that step and draws. The compiled spec is what the frontend
would have compiled: the Vega-Lite is completed first with the defaults Streamlit adds to a chart shown
at its container's width (autosize, bottom padding), so the page draws the same pixels either way.
One default is left out on purpose: Streamlit's theme gives every mark a tooltip, so a mark with none
of its own showed its bare encoding on hover ("true" over a rail corridor, "x 0.28 x2 0.98" over a
timeline band). Only the tooltips the charts define are shown. Slides compile their own layout in the
renderer (relations/render.py).
"""

import vl_convert as vlc

# What Streamlit's st.vega_lite_chart and its frontend add to a layered chart at the container's width
# (streamlit/elements/vega_charts.py _prepare_vega_lite_spec; the frontend's spec preparation and
# theme config), which the compile must see to draw what the browser drew.
CONTAINER_AUTOSIZE = {"type": "fit", "contains": "padding"}
FRONTEND_PADDING = {"bottom": 20}


def as_streamlit_prepares(spec: dict) -> dict:
    """spec as Streamlit would have it compiled: its defaults where spec sets nothing itself."""
    prepared = dict(spec)
    prepared.setdefault("autosize", CONTAINER_AUTOSIZE)
    prepared.setdefault("padding", FRONTEND_PADDING)
    return prepared


def page_vega(spec: dict) -> dict:
    """The Vega spec the page sends for the Vega-Lite spec. A click selection keeps its Vega-Lite
    declaration beside the compiled signals: Streamlit looks for a chart's selections there (Vega
    ignores the key), and its frontend listens to the compiled signal of the same name."""
    prepared = as_streamlit_prepares(spec)
    vega = vlc.vegalite_to_vega(prepared)
    # The frontend merges its theme under the spec's config: an explicit null keeps its tooltip off.
    config = vega.setdefault("config", {})
    config["mark"] = {**config.get("mark", {}), "tooltip": None}
    # A map on a canvas (Streamlit passes usermeta.embedOptions.renderer to vega-embed): as SVG, each
    # country was a path element for the browser to lay out and paint; on a canvas Vega fills them and
    # skips those outside the frame. Measured on a map view: 27 ms less of the tab's main-thread script
    # (CPU profile, 6 views), same pixels. Marks are not announced one by one either way (style.py).
    if any(mark.get("type") == "shape" for mark in vega_marks(vega)):
        vega["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    selections = [param for param in prepared.get("params", []) if "select" in param]
    if selections:
        vega["params"] = selections
    return vega


def vega_marks(node: dict) -> list[dict]:
    """Every mark of a Vega spec or group, nested groups' marks included."""
    return [found for mark in node.get("marks", []) for found in (mark, *vega_marks(mark))]
