"""The hello page (hello_chart_app.py) as a two-page app, so it can be opened at a page's address as
the dashboard's pages are: benchmarks/page_address.py times it there and at its root."""

import altair as alt
import pandas as pd
import streamlit as st


def hello() -> None:
    st.title("Hello")
    frame = pd.DataFrame({"year": ["2021", "2022"], "value": [3.7, 5.1]})
    st.altair_chart(alt.Chart(frame).mark_bar().encode(x="year:N", y="value:Q"), width="stretch")


pages = [
    st.Page(hello, title="Hello", url_path="hello", default=True),
    st.Page(hello, title="Two", url_path="two"),
]
st.navigation(pages, position="hidden").run()
