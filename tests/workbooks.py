"""Small valid workbooks shared by the tests (each figure in them can be worked out by hand)."""
from __future__ import annotations

import datetime as dt

D = dt.date


def good_workbook() -> dict[str, list[dict]]:
    """A small valid programme touching every sheet."""
    P = "P1"
    return {
        "programmes": [{"code": P, "name": "Programme un", "start_date": D(2022, 1, 1), "end_date": D(2023, 1, 1)}],
        "logframe": [
            {"programme_code": P, "code": "OG", "level": "goal", "title": "But"},
            {"programme_code": P, "code": "OS1", "level": "objective", "parent_code": "OG", "title": "Objectif"},
            {"programme_code": P, "code": "R1", "level": "result", "parent_code": "OS1", "title": "Résultat"},
            {"programme_code": P, "code": "A1", "level": "activity", "parent_code": "R1", "title": "Activité"},
        ],
        "indicators": [
            {"programme_code": P, "code": "I1", "logframe_code": "R1", "label": "OSC formées", "unit": "count"},
            {"programme_code": P, "code": "I2", "logframe_code": "R1", "label": "Participants", "unit": "count",
             "computed_from": "participants"},
        ],
        "targets": [
            {"programme_code": P, "indicator_code": "I1", "country_iso3": "SEN", "period_end": D(2023, 1, 1), "target": 10},
            {"programme_code": P, "indicator_code": "I2", "country_iso3": None, "period_end": D(2023, 1, 1), "target": 20},
        ],
        "measurements": [
            {"programme_code": P, "indicator_code": "I1", "country_iso3": "SEN", "period_end": D(2022, 6, 30),
             "value": 4, "source": "rapport"},
        ],
        "funders": [{"code": "AFD", "name": "Agence française de développement", "type": "public_bilateral"}],
        "grants": [{"code": "G1", "funder_code": "AFD", "programme_code": P, "status": "signed", "amount": 1500.5,
                    "currency": "EUR", "signed_date": D(2022, 1, 5), "end_date": D(2023, 1, 1)}],
        "receipts": [{"grant_code": "G1", "date": D(2022, 2, 1), "reference": None, "amount": 600, "currency": "EUR"}],
        "budget_lines": [
            {"programme_code": P, "code": "L1", "country_iso3": "SEN", "category": "activities", "label": "Ateliers",
             "amount": 655957, "currency": "XOF"},
            {"programme_code": P, "code": "L2", "country_iso3": "GIN", "category": "travel", "label": "Missions",
             "amount": 9_000_000, "currency": "GNF"},
        ],
        "expenditures": [
            {"programme_code": P, "reference": "E1", "budget_line_code": "L1", "date": D(2022, 3, 15), "amount": 1234.56,
             "currency": "EUR", "grant_code": "G1"},
            {"programme_code": P, "reference": "E2", "budget_line_code": "L2", "date": D(2022, 4, 2),
             "amount": 1_000_000, "currency": "GNF"},
            {"programme_code": P, "reference": "E3", "budget_line_code": "L1", "date": D(2022, 5, 2), "amount": -34.56,
             "currency": "EUR", "description": "avoir"},
        ],
        "organisations": [{"code": "O1", "name": "Association Jappo", "country_iso3": "SEN", "type": "local_association",
                           "city": "Dakar"}],
        "sessions": [{"code": "S1", "programme_code": P, "logframe_code": "A1", "title": "Formation plaidoyer",
                      "kind": "training", "country_iso3": "SEN", "city": "Dakar", "latitude": 14.7, "longitude": -17.4,
                      "start_date": D(2022, 4, 1), "end_date": D(2022, 4, 2), "hours": 12, "theme": "plaidoyer"}],
        "attendance": [
            {"session_code": "S1", "participant_key": "P-aa01", "organisation_code": "O1", "sex": "F", "age_band": "25-34"},
            {"session_code": "S1", "participant_key": "P-aa02", "organisation_code": None, "sex": None, "age_band": None},
        ],
        "fx_rates": [{"currency": "GNF", "month": "2022-01", "per_eur": 9000}, {"currency": "GNF", "month": "2022-04", "per_eur": 10000}],
    }
