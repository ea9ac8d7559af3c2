"""The floor page: as many elements as a dashboard page, with no router, sign-in or database
(bench/run.py, bench/browser_timing.py).

    streamlit run bench/floor/floor_app.py    then open  /?charts=4&tables=2&others=30

Two forms:

* **empty** (``charts``, ``tables``, ``others``): that many empty plotly figures, empty dataframes
  and one-word texts: what Streamlit itself costs to send and draw that many elements;
* **same content** (the environment's ``BENCH_FLOOR_CONTENT``: a pickle written by bench/run.py
  from a page's warm run; never a browser's parameter, a pickle runs code): the
  page's own tables (the values it sent, as plain dataframes or static tables) and plotly figures
  (its specs), and as many one-word texts as its other elements: what Streamlit costs to send
  that page's content, the floor of its warm rerun. The content is loaded once per process
  (``st.cache_resource``), as the page's own models are cached.

A button reruns the page.
"""
import json
import os
import pickle
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")


def count(name: str) -> int:
    try:
        return max(0, min(int(st.query_params.get(name, "0")), 500))
    except ValueError:
        return 0


@st.cache_resource
def content(path: str) -> dict:
    """{"tables": [(kind, frame)], "charts": [spec dict], "others": n} of a page (bench/run.py)."""
    found = pickle.loads(Path(path).read_bytes())
    return {**found, "charts": [json.loads(spec) for spec in found["charts"]]}


st.button("rerun", key="floor_rerun")
if os.environ.get("BENCH_FLOOR_CONTENT"):
    page = content(os.environ["BENCH_FLOOR_CONTENT"])
    for i in range(page["others"]):
        st.text("·")
    for i, (kind, frame) in enumerate(page["tables"]):
        if kind == "table":
            st.table(frame)
        else:
            st.dataframe(frame, key=f"floor_table_{i}", hide_index=True)
    for i, spec in enumerate(page["charts"]):
        st.plotly_chart(go.Figure(spec, _validate=False), key=f"floor_chart_{i}")
    st.stop()
for i in range(count("others")):
    st.text("·")
for i in range(count("tables")):
    st.dataframe(pd.DataFrame(), key=f"floor_table_{i}")
for i in range(count("charts")):
    st.plotly_chart(go.Figure(), key=f"floor_chart_{i}")
