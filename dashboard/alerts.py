"""The alert list of the overview: overspent lines, indicators behind, grants ending with no successor."""
from __future__ import annotations

import calendar
import datetime as dt

from .db import query, records
from .kpis import rows_for
from .metrics.thresholds import DEFAULT, Thresholds


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ending_grants(conn, programme: str | None, as_of: dt.date, th: Thresholds = DEFAULT) -> list[dict]:
    """Signed grants ending within ``th.grant_cliff_months`` of ``as_of`` with no signed successor
    (of one programme, or of the organisation when ``programme`` is None)."""
    frame = query(conn, "grants_ending", programme=programme or "", all_programmes=0 if programme else 1,
                  as_of=as_of, cutoff=add_months(as_of, th.grant_cliff_months))
    return records(frame)


def alerts(conn, kpis: dict, lines, labels: dict[str, str], as_of: dt.date, countries=None,
           th: Thresholds = DEFAULT) -> list[dict]:
    """Alerts as ``{"kind", ...facts}``, most urgent kinds first.

    ``kpis`` is the programme's :func:`dashboard.kpis.compute_kpis` result, ``lines`` its budget
    line table (already filtered by country), ``labels`` indicator code -> label; with
    ``countries``, only the indicator rows of those countries.
    """
    found = []
    for line in records(lines[lines["spent_eur"] > lines["amount_eur"]]):
        found.append({"kind": "overspent", "code": line["code"], "label": line["label"],
                      "spent": line["spent_eur"], "amount": line["amount_eur"]})
    for row in rows_for(kpis, countries):
        if row["status"] == "behind":
            found.append({"kind": "behind", "code": row["code"], "label": labels.get(row["code"], ""),
                          "country": row["country"], "rollup": row["rollup"], "actual": row["actual"],
                          "expected": row["expected"]})
    for grant in ending_grants(conn, kpis["programme"], as_of, th):
        found.append({"kind": "cliff", "code": grant["code"], "funder": grant["funder_name"],
                      "end": grant["end_date"], "amount": grant["amount_eur"]})
    return found
