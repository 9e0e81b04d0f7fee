"""The reference page for cost per page view: a Streamlit page holding only a title, served the same
way as the dashboard (same config, base path, proxy), so every load figure is also a ratio to it."""

import streamlit as st

st.title("Hello")
