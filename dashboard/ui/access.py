"""Who is looking: the signed-in user's role and scope, decided on the server.

Until accounts exist (issue "Accounts, roles and scopes") every session is an internal user
with full access; the functions below are the switches the pages already call.
"""
from __future__ import annotations

import streamlit as st


def suppress_small_cells() -> bool:
    """True when counts of people from 1 to 4 must be shown as "< 5" (funder views)."""
    user = st.session_state.get("user")
    return bool(user and user.get("role") == "funder")
