"""Router: page config, the pages this session may open, the sidebar filters. Nothing else.

Run with ``streamlit run streamlit_app.py``. Pages are listed explicitly: a page left out of the
list cannot be reached, even by its URL. They live in ``views/``, not ``pages/``: Streamlit runs
the files of a ``pages/`` folder as pages of their own (bypassing this router) until the first
``st.navigation`` call of the server's life.
"""
import streamlit as st

from dashboard.i18n import t
from dashboard.ui import data, filters

st.set_page_config(page_title="Suivi des programmes", page_icon=":material/monitoring:", layout="wide")

lang = filters.current_lang()
data.engine()  # first start: creates the embedded database and loads the demo

pages = [
    st.Page("views/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:",
            url_path="synthese", default=True),
    st.Page("views/budget.py", title=t("nav.budget", lang), icon=":material/account_balance_wallet:",
            url_path="budget"),
    st.Page("views/funding.py", title=t("nav.funding", lang), icon=":material/pie_chart:",
            url_path="financements"),
]
page = st.navigation(pages)
st.session_state["filters"] = filters.sidebar(lang)
page.run()
