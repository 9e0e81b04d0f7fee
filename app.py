"""Entry point: page config, the shared sidebar and navigation over pages/."""

from pathlib import Path

import streamlit as st

from pages.shared import (
    curation_enabled,
    dataset_or_stop,
    keep_compiled_scripts,
    render_sidebar,
    require_sign_in,
    script_slot,
    settle_heap,
    world_geometry_url,
)
from relations.navigation import CURATE, PAGES

# A file of our own: a Material icon here would make every browser fetch the favicon from a font host.
ICON = Path(__file__).parent / "relations" / "assets" / "icon.png"

st.set_page_config(page_title="Geopolitical relations", page_icon=str(ICON), layout="wide")
# Streamlit serves the default page only at "/", yet reserves its url_path: it gets a name no link uses,
# and its own address (/overview?pair=…, used by links and the README) opens the same page through a
# hidden twin instead of a "Page not found" dialog.
home = PAGES[0]
pages = [st.Page(home.path, title=home.title, icon=home.icon, url_path="home", default=True)]
pages += [st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path) for page in PAGES[1:]]
# Curate is listed only where curation is on; elsewhere its address says so instead of "Page not found".
curate_visibility = "visible" if curation_enabled() else "hidden"
pages.append(
    st.Page(
        CURATE.path,
        title=CURATE.title,
        icon=CURATE.icon,
        url_path=CURATE.url_path,
        visibility=curate_visibility,
    )
)
home_twin = st.Page(home.path, title=home.title, icon=home.icon, url_path=home.url_path, visibility="hidden")
navigation = st.navigation([*pages, home_twin])
keep_compiled_scripts()
world_geometry_url()  # the maps' shapes are served from this replica's first run on, whichever page it is
with script_slot():
    require_sign_in()
    render_sidebar(dataset_or_stop())
    settle_heap()
    navigation.run()
