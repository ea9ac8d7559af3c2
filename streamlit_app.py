"""Router: page config, the pages this session may open, the sidebar filters. Nothing else.

Run with ``streamlit run streamlit_app.py``. Pages are listed explicitly (``st.navigation`` does
not discover ``pages/``): a page left out of the list cannot be reached, even by its URL.
"""
import streamlit as st

from dashboard.i18n import t
from dashboard.ui import data, filters

st.set_page_config(page_title="Suivi des programmes", page_icon=":material/monitoring:", layout="wide")

lang = filters.current_lang()
data.engine()  # first start: creates the embedded database and loads the demo

pages = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:",
            url_path="synthese", default=True),
]
page = st.navigation(pages)
st.session_state["filters"] = filters.sidebar(lang)
page.run()
