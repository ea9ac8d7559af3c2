"""The last line of defence: an uncaught exception in a page becomes one sentence in the user's
language, and its traceback goes to the server log only.

Wire it into the app object (``st.App``, the ASGI entry point of Streamlit 1.67)::

    from dashboard.ui.errors import on_script_error
    app = st.App("streamlit_app.py", on_script_error=on_script_error)

``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` as well, so that even an
exception this handler does not see (or one raised by the handler itself) reaches the browser as
Streamlit's generic message, without type, message, server paths or traceback.
"""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from ..db import DatabaseFileGone, QueryError
from ..i18n import DEFAULT_LANG, LANGS, t

log = logging.getLogger(__name__)


def message_key(exc: BaseException) -> tuple[str, dict]:
    """The catalogue key (and its parameters) of the sentence shown for ``exc``: never its text,
    which may hold SQL, parameters or server paths."""
    cause = exc.cause if isinstance(exc, QueryError) else exc
    if isinstance(cause, DatabaseFileGone):
        return "error.db_file_gone", {}
    if isinstance(exc, QueryError):
        return "error.database", {"query": exc.query}
    if isinstance(exc, SQLAlchemyError):
        return "error.database", {"query": "—"}
    return "error.unexpected", {}


def _lang() -> str:
    import streamlit as st

    try:
        lang = st.session_state.get("lang")
    except Exception:  # noqa: BLE001 - no session (outside a script run)
        lang = None
    return lang if lang in LANGS else DEFAULT_LANG


def on_script_error(exc: Exception) -> bool:
    """``st.App(on_script_error=...)``: log ``exc`` with its traceback on the server, show the user
    a sentence in their language, and return True (Streamlit then shows nothing else)."""
    import streamlit as st

    log.error("uncaught exception in a page", exc_info=exc)
    key, params = message_key(exc)
    try:
        st.error(t(key, _lang(), **params), icon=":material/error:")
    except Exception:  # noqa: BLE001 - cannot draw: let Streamlit show its generic message
        log.exception("could not show the error message")
        return False
    return True
