"""Progrès par pays / Country progress (drawn by :mod:`dashboard.ui.pages.progress`)."""
from dashboard.ui import access

access.require_page("progress")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import progress  # noqa: E402

progress.render()
