"""Router: page config, sign-in, the pages this user's role may open, the sidebar filters.

Run with ``streamlit run streamlit_app.py``: Streamlit finds the ``st.App`` below and serves it
(uvicorn imports this file as a module), with the app's own routes (sign-in, sign-out, /healthz:
dashboard/web.py); each page run then executes this file as ``__main__``, which is the router.
Pages are listed explicitly: a page left out of the list cannot be reached, even by its URL
(Streamlit then shows the default page). The page scripts live in ``pages/``; Streamlit runs the
files of a ``pages/`` folder as pages of their own (around this router) until the first
``st.navigation`` call of a server's life, so each of them begins with ``access.require_page``,
which lets it draw only when this router runs it (``access.routing``) for a session whose scope
includes it.
"""
import streamlit as st

if __name__ != "__main__":  # imported by `streamlit run` (or uvicorn): the ASGI app around the router
    from starlette.middleware import Middleware

    from dashboard import web
    from dashboard.compression import StaticCompression
    from dashboard.ui.errors import on_script_error

    # on_script_error: an uncaught exception is logged with its traceback on the server and the
    # user reads one sentence in their language (dashboard/ui/errors.py). StaticCompression: the
    # JavaScript and CSS that Streamlit serves plain, gzipped once per file (dashboard/compression.py).
    app = st.App(__file__, routes=web.routes(), lifespan=web.lifespan, on_script_error=on_script_error,
                 middleware=[Middleware(StaticCompression)])
else:
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from dashboard.i18n import t
    from dashboard.ui import access, data, filters
    from dashboard.ui.pages import PAGES, SIGNIN

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

    if scope is None:
        st.session_state.pop("scope", None)
        # the sign-in page answers at every page's address too: the URL the person was given
        # (path and query) stays in the address bar, and the sign-in route returns to it
        signin = [st.Page(SIGNIN, title=t("auth.title", lang), icon=":material/login:",
                          url_path=path, default=path == "connexion")
                  for path in ("connexion", *(p[3] for p in PAGES.values()))]
        with access.routing("signin"):
            st.navigation(signin, position="hidden").run()
        st.stop()

    st.session_state["scope"] = scope
    pages = {key: st.Page(file, title=t(title, lang), icon=icon, url_path=path)
             for key, (file, title, icon, path) in PAGES.items() if key in scope.pages}

    def home() -> None:
        """The app's root URL: the Synthèse at its own address (/synthese), with the same filters."""
        st.switch_page(pages["overview"], query_params=st.query_params.to_dict())

    # Every page, the Synthèse included, answers at its own path; the root (a hidden default page,
    # as st.navigation serves its default page at "/" only) sends the browser on to the Synthèse.
    root = st.Page(home, title=t("nav.overview", lang), url_path="accueil", default=True, visibility="hidden")
    page = st.navigation([root, *pages.values()])
    try:
        st.session_state["filters"] = filters.sidebar(lang, scope)
    except SQLAlchemyError:
        logging.getLogger(__name__).exception("database unavailable")
        st.error(t("error.database", lang, query="—"), icon=":material/cloud_off:")
        st.stop()
    with st.sidebar:
        st.caption(t("auth.signed_in_as", lang, email=scope.email, role=t(f"role.{scope.role}", lang)))
        access.sign_out_form(lang)  # a POST to /auth/signout: ends the session, clears the cookie
    key = next((k for k, p in pages.items() if p.url_path == page.url_path), "home")
    if key != "home":
        filters.show_refusals(lang)
    with access.routing(key):  # the page's access.require_page(key) lets it draw
        page.run()
