"""Synthèse / Overview (drawn by :mod:`dashboard.ui.pages.overview`)."""
from dashboard.ui.pages import overview

overview.render()
