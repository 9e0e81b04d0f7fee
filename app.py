"""Entry point: page config, the shared sidebar and navigation over pages/."""

import streamlit as st

from pages.shared import dataset_or_stop, render_sidebar, require_sign_in, settle_heap
from relations.navigation import PAGES

st.set_page_config(page_title="Geopolitical relations", page_icon=":material/public:", layout="wide")
navigation = st.navigation(
    [
        st.Page(page.path, title=page.title, icon=page.icon, url_path=page.url_path, default=index == 0)
        for index, page in enumerate(PAGES)
    ]
)
require_sign_in()
render_sidebar(dataset_or_stop())
settle_heap()
navigation.run()
