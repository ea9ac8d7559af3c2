"""The definitions of docs/METRICS.md as pure functions over small, already aggregated data.

Nothing here touches the database or Streamlit: SQL (``queries/``) aggregates the fact tables,
these functions turn the small results into figures and statuses, and ``dashboard.kpis`` wires
the two together for the pages, the exports and the ``kpis`` command.
"""
