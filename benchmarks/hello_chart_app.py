"""The reference page for page-complete time in a browser: a title and one small chart, served the
same way as the dashboard, so a page's time to a finished render is also a ratio to it."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Hello")
frame = pd.DataFrame({"year": ["2021", "2022"], "value": [3.7, 5.1]})
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="year:N", y="value:Q"), width="stretch")
