"""Dossiers du Conseil / Board packs (drawn by :mod:`dashboard.ui.pages.packs`)."""
from dashboard.ui.pages import packs

packs.render()
