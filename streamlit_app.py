"""Router: page config, sign-in, the pages this user's role may open, the sidebar filters.

Run with ``streamlit run streamlit_app.py``. Pages are listed explicitly: a page left out of the
list cannot be reached, even by its URL (Streamlit then shows the default page). They live in
``views/``, not ``pages/``: Streamlit runs the files of a ``pages/`` folder as pages of their own
(bypassing this router) until the first ``st.navigation`` call of the server's life.
"""
import logging

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard.i18n import t
from dashboard.ui import access, data, filters

st.set_page_config(page_title="Suivi des programmes", page_icon="📊", layout="wide")  # no icon font to fetch

lang = filters.current_lang()
try:
    data.engine()  # first start: creates the embedded database and loads the demo
    data.sync_version()  # one read: every cached figure of this run is of the current data
    scope = access.current_scope()
except SQLAlchemyError:  # database unreachable: say so; the next click retries (nothing is cached)
    logging.getLogger(__name__).exception("database unavailable")
    st.error(t("error.database", lang, query="—"), icon=":material/cloud_off:")
    st.stop()

PAGES = {  # page key -> (file, title key, icon, url path)
    "overview": ("views/overview.py", "nav.overview", ":material/dashboard:", "synthese"),
    "budget": ("views/budget.py", "nav.budget", ":material/account_balance_wallet:", "budget"),
    "funding": ("views/funding.py", "nav.funding", ":material/pie_chart:", "financements"),
    "training": ("views/training.py", "nav.training", ":material/school:", "formations"),
    "progress": ("views/progress.py", "nav.progress", ":material/flag:", "progres"),
    "packs": ("views/packs.py", "nav.packs", ":material/picture_as_pdf:", "dossiers"),
    "data": ("views/data.py", "nav.data", ":material/upload_file:", "donnees"),
    "admin": ("views/admin.py", "nav.admin", ":material/admin_panel_settings:", "administration"),
}

if scope is None:
    st.session_state.pop("scope", None)
    access.write_cookie()  # clears the cookie after a sign-out
    signin = st.Page("views/signin.py", title=t("auth.title", lang), icon=":material/login:",
                     url_path="connexion", default=True)
    st.navigation([signin], position="hidden").run()
    st.stop()

st.session_state["scope"] = scope
access.write_cookie()  # sets the cookie after a sign-in
pages = [st.Page(file, title=t(title, lang), icon=icon, url_path=path, default=key == "overview")
         for key, (file, title, icon, path) in PAGES.items() if key in scope.pages]
page = st.navigation(pages)
try:
    st.session_state["filters"] = filters.sidebar(lang, scope)
except SQLAlchemyError:
    logging.getLogger(__name__).exception("database unavailable")
    st.error(t("error.database", lang, query="—"), icon=":material/cloud_off:")
    st.stop()
with st.sidebar:
    st.caption(t("auth.signed_in_as", lang, email=scope.email, role=t(f"role.{scope.role}", lang)))
    if st.button(t("auth.sign_out", lang), icon=":material/logout:"):
        access.sign_out()
        if access.sso_configured() and getattr(st.user, "is_logged_in", False):
            st.logout()
        st.rerun()
page.run()
