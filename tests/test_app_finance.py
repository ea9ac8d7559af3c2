"""The budget-risk and funding pages show exactly the figures of ``kpis`` (docs/METRICS.md), for
the demo programmes and for a programme the pages were not written against."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apptest import database, metrics, open_page, page_as_of
from dashboard.finance import stress_test
from dashboard.i18n import fmt_money, fmt_number, fmt_percent
from dashboard.kpis import compute_kpis, funding_summary
from workbooks import good_workbook

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


CASES = [("PCRPM-C2", None), ("PCRPM-C2", "2022-06-30"), ("LT-PAIRS", None), ("UNSEEN-X", "2025-06-30"),
         ("UNSEEN-X", "2026-09-30")]


def _kpis(engine, programme, as_of, countries=None):
    with engine.connect() as conn:
        return compute_kpis(conn, programme, page_as_of(conn, programme, as_of), countries)


@pytest.mark.parametrize("programme,as_of", CASES)
def test_budget_page_shows_the_kpis_figures(app, programme, as_of):
    query = {"programme": programme, **({"as_of": as_of} if as_of else {})}
    at = open_page("budget", **query)
    b = _kpis(app, programme, as_of)["budget"]
    shown = metrics(at)
    assert shown["Budget"] == fmt_money(b["budget"], "fr")
    assert shown["Dépensé"] == fmt_money(b["spent"], "fr")
    assert shown["Indice de consommation"] == fmt_number(b["burn_index"], "fr", 2)
    assert shown["Prévision à terminaison"] == fmt_money(b["eac"], "fr")
    assert shown["Couverture du budget"] == fmt_percent(b["coverage"], "fr")
    assert shown["Trésorerie avancée"] == fmt_money(b["cash_exposure"], "fr")
    lines = at.dataframe[0].value
    # the line table adds up to the kpis budget and spending (unrounded, to 1e-6)
    assert lines["Budget (EUR)"].sum() == pytest.approx(b["budget"], abs=1e-6)
    assert lines["Dépensé (EUR)"].sum() == pytest.approx(b["spent"], abs=1e-6)
    # a line spent beyond its amount has the programme's status name: "budget dépassé"
    overspent = sorted(lines.loc[lines["État"] == "budget dépassé", "Ligne"])
    assert overspent == b["overspent_lines"]
    # over budget first, then overspending, then underspent, then the rest
    order = {"budget dépassé": 0, "surconsommation": 1, "sous-consommation": 2}
    ranks = [order.get(s, 3) for s in lines["État"]]
    assert ranks == sorted(ranks)


def test_the_pages_open_an_ended_programme_on_its_last_day(app):
    """Precision 1: the pages' default as-of date is the kpis default capped at the programme's end.
    PCRPM-C2 (demo) runs from 2021-09-01 to 2023-06-30; its latest dated fact is the final receipt
    of 2023-10-24 (expenditures end 2023-06-28, measurements 2023-06-30, sessions 2023-06-22)."""
    with app.connect() as conn:  # the kpis command keeps the METRICS.md default (the contract)
        assert compute_kpis(conn, "PCRPM-C2")["as_of"] == "2023-10-24"
    at = open_page("budget", programme="PCRPM-C2")
    assert at.text_input(key="as_of_text").value == "30/06/2023"  # the sidebar's as-of field (typed, French)
    # every page reads the same default (the overview too), and the URL can still ask for later
    at = open_page("overview", programme="PCRPM-C2")
    assert at.text_input(key="as_of_text").value == "30/06/2023"
    at = open_page("budget", programme="PCRPM-C2", as_of="2023-10-24")
    assert at.text_input(key="as_of_text").value == "24/10/2023"


def test_a_country_over_its_budget_reads_over_budget_in_red(app):
    # Sénégal (demo PCRPM-C2) spent 78 075 € of 76 072 € by the programme's end: S > B, so
    # over_budget although its burn index (1.026, elapsed 1) is within the 1.10 band
    for lang, label in (("fr", "budget dépassé"), ("en", "over budget")):
        at = open_page("budget", programme="PCRPM-C2", countries="SEN", lang=lang)
        badges = [m.value for m in at.markdown if "-badge[" in m.value]
        assert f":red-badge[{label}]" in badges, badges
        shown = metrics(at)
        assert shown["Dépensé" if lang == "fr" else "Spent"] == fmt_money(78075.23824861995, lang)
        lines = at.dataframe[0].value
        status = "État" if lang == "fr" else "Status"
        # its lines over their own amount carry the same name (one status, one name)
        assert "SEN-ACT-A213" in set(lines.loc[lines[status] == label, "Ligne" if lang == "fr" else "Line"])


def test_the_country_filter_restricts_the_budget_figures(app):
    everything = _kpis(app, "PCRPM-C2", "2022-12-31")["budget"]
    senegal = _kpis(app, "PCRPM-C2", "2022-12-31", ["SEN"])["budget"]
    at = open_page("budget", programme="PCRPM-C2", as_of="2022-12-31", countries="SEN")
    shown = metrics(at)
    assert shown["Budget"] == fmt_money(senegal["budget"], "fr") != fmt_money(everything["budget"], "fr")
    assert shown["Dépensé"] == fmt_money(senegal["spent"], "fr")
    lines = at.dataframe[0].value
    assert set(lines["Pays"]) == {"Sénégal"}
    assert lines["Budget (EUR)"].sum() == pytest.approx(senegal["budget"], abs=1e-6)
    # coverage and cash exposure stay programme-level, as the page says
    assert shown["Couverture du budget"] == fmt_percent(everything["coverage"], "fr")


@pytest.mark.parametrize("programme,as_of", CASES)
def test_funding_page_shows_the_kpis_figures(app, programme, as_of):
    query = {"programme": programme, **({"as_of": as_of} if as_of else {})}
    at = open_page("funding", **query)
    fu = _kpis(app, programme, as_of)["funding"]
    shown = metrics(at)
    assert shown["Financements signés"] == fmt_money(fu["total_signed"], "fr")
    assert shown["Indice de concentration (HHI)"] == fmt_number(fu["hhi"], "fr", 2)
    assert shown["Nombre effectif de bailleurs"] == fmt_number(fu["effective_funders"], "fr", 1)
    assert shown["Premier bailleur"] == fmt_percent(fu["top_share"], "fr")
    table = at.dataframe[0].value
    assert dict(zip(table["Code"], table["Part"])) == pytest.approx(fu["by_funder"], abs=1e-9)
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges[0].endswith({"concentrated": "[concentré]", "moderate": "[modéré]",
                               "diversified": "[diversifié]"}[fu["band"]])
    assert f"Total pondéré : {fmt_money(fu['pipeline_weighted'], 'fr')}" in " ".join(c.value for c in at.caption)


def test_funding_page_for_the_whole_organisation(app):
    at = open_page("funding", programme="LT-PAIRS", as_of="2026-06-30")
    at.segmented_control(key="funding_scope").set_value("organisation").run()
    with app.connect() as conn:
        org = funding_summary(conn, dt.date(2026, 6, 30), None)
    shown = metrics(at)
    assert shown["Financements signés"] == fmt_money(org["total_signed"], "fr")
    assert shown["Indice de concentration (HHI)"] == fmt_number(org["hhi"], "fr", 2)
    assert set(at.dataframe[0].value["Code"]) == set(org["by_funder"])


def test_the_stress_test_removes_the_chosen_funder(app):
    at = open_page("funding", programme="PCRPM-C2")
    at.selectbox(key="stress_funder").set_value("EF").run()
    k = _kpis(app, "PCRPM-C2", None)
    signed = {code: share * k["funding"]["total_signed"] for code, share in k["funding"]["by_funder"].items()}
    expected = stress_test(signed, "EF", k["budget"]["budget"])
    # by hand: without EF only GRDR (120 000) and FORIM (70 000) remain: HHI = (120² + 70²) / 190²
    assert expected["hhi"] == pytest.approx((120_000**2 + 70_000**2) / 190_000**2)
    shown = metrics(at)
    assert shown["Couverture sans lui"] == fmt_percent(expected["coverage"], "fr")
    assert shown["Écart de financement sans lui"] == fmt_money(expected["gap"], "fr")
    assert shown["HHI des autres"] == fmt_number(expected["hhi"], "fr", 2)


def _programme_only(code):
    return {"programmes": [{"code": code, "name": f"Programme {code}", "start_date": dt.date(2025, 1, 1),
                            "end_date": dt.date(2026, 12, 31)}]}


def test_pages_explain_what_is_missing_for_an_empty_programme(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, _programme_only("VIDE"))
    budget = open_page("budget", programme="VIDE")
    assert any("pas encore de ligne budgétaire" in i.value for i in budget.info)
    funding = open_page("funding", programme="VIDE")
    infos = " ".join(i.value for i in funding.info)
    assert "Aucun financement signé" in infos and "Aucune demande en préparation" in infos


def test_funding_page_with_only_prospects(tmp_path, monkeypatch):
    wb = _programme_only("PROSP")
    wb["funders"] = [{"code": "FDN", "name": "Fondation", "type": "foundation"}]
    wb["grants"] = [{"code": "G-P", "funder_code": "FDN", "programme_code": "PROSP", "status": "prospect",
                     "amount": 40000, "currency": "EUR"},
                    {"code": "G-S", "funder_code": "FDN", "programme_code": "PROSP", "status": "submitted",
                     "amount": 10000, "currency": "EUR", "probability": 0.8}]
    database(tmp_path, monkeypatch, wb)
    at = open_page("funding", programme="PROSP")
    assert any("Aucun financement signé" in i.value for i in at.info)
    # weighted: 40 000 x 0.25 (default) + 10 000 x 0.8 = 18 000
    assert any(f"Total pondéré : {fmt_money(18000, 'fr')}" in c.value for c in at.caption)


def test_pages_with_a_single_funder(tmp_path, monkeypatch):
    database(tmp_path, monkeypatch, good_workbook())
    at = open_page("funding", programme="P1")
    shown = metrics(at)
    assert shown["Indice de concentration (HHI)"] == "1,00"  # one funder: HHI 1, concentrated
    assert shown["Nombre effectif de bailleurs"] == "1,0"
    at.selectbox(key="stress_funder").set_value("AFD").run()
    # without its only funder: no funding at all, coverage 0 %, gap = the whole budget (2 000 €)
    assert metrics(at)["Couverture sans lui"] == fmt_percent(0, "fr")
    assert metrics(at)["Écart de financement sans lui"] == fmt_money(2000, "fr")
    budget = open_page("budget", programme="P1")
    assert metrics(budget)["Budget"] == fmt_money(2000, "fr")


def test_finance_pages_speak_english(app):
    at = open_page("budget", programme="LT-PAIRS", lang="en")
    b = _kpis(app, "LT-PAIRS", None)["budget"]
    assert metrics(at)["Spent"] == fmt_money(b["spent"], "en")
    at = open_page("funding", programme="LT-PAIRS", lang="en")
    assert "Signed funding" in metrics(at)


def test_the_yearly_funding_trend_by_hand():
    """Signed funding per signature year and type, and the HHI of the base at each year end (every
    grant signed by then, capped at the as-of date): one grouping for every year gives the figures
    worked out by hand."""
    import pandas as pd

    from dashboard.finance import yearly_trend

    grants = pd.DataFrame({
        "status": ["signed", "signed", "signed", "prospect", "signed", "signed"],
        "signed_date": [dt.date(2021, 3, 1), dt.date(2021, 6, 1), dt.date(2022, 2, 1), dt.date(2021, 1, 1), None,
                        dt.date(2022, 9, 1)],  # the prospect, the undated and the late grant do not count
        "funder_code": ["A", "B", "A", "C", "C", "C"],
        "funder_type": ["foundation", "ngo", "foundation", "ngo", "ngo", "ngo"],
        "amount_eur": [100.0, 100.0, 200.0, 1000.0, 1000.0, 1000.0],
    })
    per_type, hhi = yearly_trend(grants, dt.date(2022, 6, 30))
    assert [tuple(r) for r in per_type.itertuples(index=False)] == [
        (2021, "foundation", 100.0), (2021, "ngo", 100.0), (2022, "foundation", 200.0)]
    # end of 2021: A 100, B 100 -> 0.5² + 0.5² = 0.5; 30 June 2022: A 300, B 100 -> 0.75² + 0.25² = 0.625
    assert list(hhi["year"]) == [2021, 2022]
    assert list(hhi["hhi"]) == [0.5, 0.625] and list(hhi["effective_funders"]) == [2.0, 1.6]
    assert list(hhi["band"]) == ["concentrated", "concentrated"]


def _pandas_yearly_trend(grants, as_of):
    """The pandas form of ``yearly_trend`` before it became plain Python: the oracle below."""
    import pandas as pd

    from dashboard.metrics import funding as mf

    keep = [s == "signed" and d is not None and d <= as_of for s, d in zip(grants["status"], grants["signed_date"])]
    signed = grants[pd.Series(keep, index=grants.index, dtype=bool)].copy()
    signed["year"] = [d.year for d in signed["signed_date"]]
    per_type = signed.groupby(["year", "funder_type"], as_index=False)["amount_eur"].sum()
    hhi = {}
    for year in range(int(signed["year"].min()), as_of.year + 1):
        base = signed[[d <= min(dt.date(year, 12, 31), as_of) for d in signed["signed_date"]]]
        hhi[year] = mf.hhi(base.groupby("funder_code")["amount_eur"].sum().to_dict())
    return per_type, hhi


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["signed", "signed", "prospect", "submitted"]),
                          st.one_of(st.none(), st.dates(dt.date(2018, 1, 1), dt.date(2025, 12, 31))),
                          st.sampled_from(["F1", "F2", "F3", "F4"]), st.sampled_from(["foundation", "ngo", "public"]),
                          st.floats(1, 5e6, allow_nan=False)), min_size=1, max_size=25),
       st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))
def test_the_yearly_trend_equals_its_pandas_form(rows, as_of):
    import pandas as pd

    from dashboard.finance import yearly_trend

    grants = pd.DataFrame(rows, columns=["status", "signed_date", "funder_code", "funder_type", "amount_eur"])
    per_type, hhi = yearly_trend(grants, as_of)
    if not any(s == "signed" and d is not None and d <= as_of for s, d, *_ in rows):
        assert per_type.empty and hhi.empty
        return
    old_per_type, old_hhi = _pandas_yearly_trend(grants, as_of)
    assert list(per_type["year"]) == list(old_per_type["year"])
    assert list(per_type["funder_type"]) == list(old_per_type["funder_type"])
    assert per_type["amount_eur"].tolist() == pytest.approx(old_per_type["amount_eur"].tolist(), rel=1e-12)
    assert list(hhi["year"]) == list(old_hhi)
    assert [v for v in hhi["hhi"]] == pytest.approx(list(old_hhi.values()), rel=1e-12)
