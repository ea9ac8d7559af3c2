"""The floor page: as many elements as a dashboard page, each empty (bench/run.py).

    streamlit run bench/floor/floor_app.py    then open  /?charts=4&tables=2&others=30

``charts`` empty plotly figures, ``tables`` empty dataframes and ``others`` one-word texts, with
a button to rerun: what Streamlit itself costs to send and draw that many elements, the
floor a page of the dashboard cannot go below. No database, no sign-in.
"""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")


def count(name: str) -> int:
    try:
        return max(0, min(int(st.query_params.get(name, "0")), 500))
    except ValueError:
        return 0


st.button("rerun", key="floor_rerun")
for i in range(count("others")):
    st.text("·")
for i in range(count("tables")):
    st.dataframe(pd.DataFrame(), key=f"floor_table_{i}")
for i in range(count("charts")):
    st.plotly_chart(go.Figure(), key=f"floor_chart_{i}")
