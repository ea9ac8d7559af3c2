"""The pages' code, imported by the thin scripts of ``views/`` that Streamlit runs.

Each module has a cached ``model`` (everything the page draws, built from the data layer and
keyed by plain arguments: programme, as-of date, countries, language) and ``render()``, which
checks the signed-in user's scope, fetches the model through :mod:`dashboard.ui.scoped` and draws
it. A rerun with a warm cache is then one cache lookup and the drawing, nothing else. (The
overview draws from the shared cached functions of :mod:`dashboard.ui.data` instead: its figures
are those of ``kpis`` and of the programme x country grid, cached there.)

The scripts in ``views/`` stay three lines long on purpose: Streamlit compiles a page script on
each run when no script cache is shared (AppTest), the modules here are imported once.
"""
