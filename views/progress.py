"""Progrès par pays / Country progress (drawn by :mod:`dashboard.ui.pages.progress`)."""
from dashboard.ui.pages import progress

progress.render()
