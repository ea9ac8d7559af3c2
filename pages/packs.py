"""Dossiers du Conseil / Board packs (drawn by :mod:`dashboard.ui.pages.packs`)."""
from dashboard.ui import access

access.require_page("packs")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import packs  # noqa: E402

packs.render()
