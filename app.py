"""Entry point: page config, the shared sidebar and navigation over pages/."""

import streamlit as st

if __name__ == "__main__":  # the script Streamlit runs for each page view
    from pages.shared import (
        curation_enabled,
        dataset_or_stop,
        favicon,
        keep_compiled_scripts,
        navigation_pages,
        require_sign_in,
        script_slot,
        settle_heap,
        world_geometry_url,
    )

    st.set_page_config(page_title="Geopolitical relations", page_icon=favicon(), layout="wide")
    navigation = st.navigation(navigation_pages(curation_enabled()))
    keep_compiled_scripts()
    world_geometry_url()  # the maps' shapes are served from this replica's first run on, whichever page it is
    with script_slot():
        require_sign_in()
        dataset_or_stop()  # loaded before settle_heap freezes it; a dataset failing its checks stops here
        settle_heap()
        navigation.run()
else:  # `streamlit run app.py` imports this file for the server it defines
    from starlette.middleware import Middleware

    from relations.navigation import COMPONENT_ROUTE, CURATE, PAGES, base_path_prefix
    from relations.serving import KeepDigestAddressedFiles, page_shell_routes

    base_url_path = st.get_option("server.baseUrlPath")
    app = st.App(
        __file__,
        routes=page_shell_routes(base_url_path, [page.url_path for page in (*PAGES, CURATE)]),
        # The world's shapes are a component's file (pages/shared.py world_geometry_url).
        middleware=[
            Middleware(
                KeepDigestAddressedFiles, prefix=f"{base_path_prefix(base_url_path)}{COMPONENT_ROUTE}/"
            )
        ],
    )
