"""IATI 2.03 both ways (dashboard/iati/): the export validates against the official schema, the
standard's own should-fail / should-pass documents behave, and a programme survives the round
trip export -> empty database -> import with identical ``kpis`` (training aside: not in IATI),
on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from dashboard import schema as s
from dashboard.__main__ import main
from dashboard.db import make_engine, upgrade
from dashboard.iati import NS
from dashboard.iati.export import export_programme
from dashboard.iati.read import read_iati
from dashboard.importer import import_workbook, read_upload
from dashboard.kpis import compute_kpis
from fixtures.unseen import AS_OF_DATES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "dashboard" / "iati" / "schemas" / "iati-activities-schema.xsd"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "iati"
SHOULD_FAIL = sorted(CORPUS.glob("should-fail/**/*.xml"))
SHOULD_PASS = sorted(CORPUS.glob("should-pass/**/*.xml"))
CARRYING = [p for p in SHOULD_PASS if any(tag in p.read_text() for tag in ("<budget", "<transaction", "<result"))]
GBP_RATE = {"fx_rates": [{"currency": "GBP", "month": "2011-01", "per_eur": 0.85}]}


def official_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def empty_like(engine, tmp_path):
    """An empty database with the schema on the same back end (PostgreSQL: the same test database, wiped)."""
    if engine.dialect.name == "sqlite":
        other = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    else:
        engine.dispose()
        other = make_engine(engine.url.render_as_string(hide_password=False))
        with other.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    upgrade(other)
    return other


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


TRAINING_FIELDS = {"training"}


def assert_same_kpis(after, before, path="kpis"):
    """Same keys and values (numbers to 1e-9 relative), except training reach (not in IATI)."""
    if isinstance(before, dict):
        assert sorted(after) == sorted(before), f"{path}: keys differ"
        for key in before:
            if key in TRAINING_FIELDS or (key == "participants" and ".countries." in path):
                continue
            assert_same_kpis(after[key], before[key], f"{path}.{key}")
    elif isinstance(before, list):
        assert len(after) == len(before), f"{path}: lengths differ"
        for i, (a, b) in enumerate(zip(after, before)):
            assert_same_kpis(a, b, f"{path}[{i}]")
    elif isinstance(before, float) and not isinstance(before, bool):
        assert math.isclose(after, before, rel_tol=1e-9, abs_tol=1e-9), (path, after, before)
    else:
        assert after == before, (path, after, before)


# --- round trip -----------------------------------------------------------------------------

@pytest.mark.parametrize("which, code, as_of", [
    ("demo", "PCRPM-C2", None),
    ("unseen", "UNSEEN-X", None),
    ("unseen", "UNSEEN-X", AS_OF_DATES[0]),
])
def test_round_trip_keeps_every_kpi_but_training(engine, tmp_path, demo_workbooks, which, code, as_of):
    workbook = demo_workbooks[0] if which == "demo" else demo_workbooks[1]
    assert import_workbook(engine, workbook).ok
    with engine.connect() as conn:
        xml = export_programme(conn, code, as_of)
        before = compute_kpis(conn, code, as_of)
    assert official_schema().validate(etree.fromstring(xml)), "the export must validate against the 2.03 schema"

    fresh = empty_like(engine, tmp_path)
    report = import_workbook(fresh, read_iati(xml, f"{code}.xml"), filename=f"{code}.xml")
    assert report.ok, report.render("en")
    with fresh.connect() as conn:
        after = compute_kpis(conn, code, dt.date.fromisoformat(before["as_of"]))
    assert_same_kpis(after, before)
    assert before["training"]["sessions"] > 0 and after["training"]["sessions"] == 0  # reported as not in IATI
    # importing the same file again changes nothing
    again = import_workbook(fresh, read_iati(xml, f"{code}.xml"))
    assert again.ok and not again.changed
    fresh.dispose()


def small_workbook() -> dict:
    return {
        "programmes": [{"code": "P1", "name": "Petit programme", "start_date": dt.date(2024, 1, 1),
                        "end_date": dt.date(2024, 12, 31), "lead_organisation": "ONG1"}],
        "organisations": [{"code": "ONG1", "name": "ONG Une", "country_iso3": "SEN", "type": "ngo",
                           "iati_ref": "SN-RNA-123"}],
        "logframe": [{"programme_code": "P1", "code": "OG", "level": "goal", "title": "But"}],
        "indicators": [{"programme_code": "P1", "code": "IND1", "logframe_code": "OG", "label": "OSC formées",
                        "unit": "count"}],
        "targets": [{"programme_code": "P1", "indicator_code": "IND1", "country_iso3": "SEN",
                     "period_end": dt.date(2024, 12, 31), "target": 100}],
        "measurements": [{"programme_code": "P1", "indicator_code": "IND1", "country_iso3": "SEN",
                          "period_end": dt.date(2024, 3, 31), "value": 30}],
        "funders": [{"code": "F1", "name": "Bailleur Un", "type": "public_bilateral", "iati_ref": "XM-DAC-7"}],
        "grants": [{"code": "G1", "funder_code": "F1", "programme_code": "P1", "status": "signed", "amount": 500,
                    "currency": "EUR", "signed_date": dt.date(2024, 1, 15)},
                   {"code": "G2", "funder_code": "F1", "programme_code": "P1", "status": "prospect", "amount": 400,
                    "currency": "EUR"}],
        "receipts": [{"grant_code": "G1", "date": dt.date(2024, 2, 1), "reference": "VIR-1", "amount": 200,
                      "currency": "EUR"}],
        "fx_rates": [{"currency": "USD", "month": "2024-01", "per_eur": 1.1},
                     {"currency": "USD", "month": "2024-03", "per_eur": 1.2}],
        "budget_lines": [{"programme_code": "P1", "code": "L1", "country_iso3": "SEN", "category": "activities",
                          "label": "Ateliers", "amount": 1000, "currency": "USD"}],
        "expenditures": [
            {"programme_code": "P1", "reference": "E1", "budget_line_code": "L1", "date": dt.date(2024, 3, 5),
             "amount": 110, "currency": "USD"},
            {"programme_code": "P1", "reference": "E2", "budget_line_code": "L1", "date": dt.date(2024, 3, 20),
             "amount": 220, "currency": "USD"},
            {"programme_code": "P1", "reference": "E3", "budget_line_code": "L1", "date": dt.date(2024, 4, 2),
             "amount": 60, "currency": "USD"},
        ],
    }


def test_small_round_trip_by_hand(engine, tmp_path):
    assert import_workbook(engine, small_workbook()).ok
    as_of = dt.date(2024, 3, 31)
    with engine.connect() as conn:
        xml = export_programme(conn, "P1", as_of)
    root = etree.fromstring(xml)
    act = root.find("iati-activity")
    assert act.findtext("iati-identifier") == "SN-RNA-123-P1"  # reporting org ref + programme code
    assert act.find("reporting-org").get("ref") == "SN-RNA-123"
    funding = act.find("participating-org[@role='1']")
    assert funding.get("ref") == "XM-DAC-7" and funding.get("type") == "10"
    assert act.find("participating-org[@role='4']").get("ref") == "SN-RNA-123"
    assert [(c.get("code"), c.get("percentage")) for c in act.findall("recipient-country")] == [("SN", "100")]
    # one yearly budget: 1000 USD at the January rate 1.1 = 909.09 EUR
    budgets = act.findall("budget")
    assert [(b.find("period-start").get("iso-date"), b.findtext("value")) for b in budgets] == [
        ("2024-01-01", "909.09")]
    kinds = [(t.find("transaction-type").get("code"), t.find("transaction-date").get("iso-date"), t.findtext("value"),
              t.find("value").get("currency")) for t in act.findall("transaction")]
    # the signed grant, the receipt, March's two expenditures as one dated at the last, April's apart
    assert kinds == [("11", "2024-01-15", "500", "EUR"), ("1", "2024-02-01", "200", "EUR"),
                     ("4", "2024-03-20", "330", "USD"), ("4", "2024-04-02", "60", "USD")]
    assert act.find(f"{{{NS}}}grant").get(f"{{{NS}}}status") == "prospect"
    indicator = act.find("result/indicator")
    assert indicator.find("baseline").get("value") == "0" and indicator.get("measure") == "1"
    periods = [(p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"),
                [(x.tag, x.get("value"), x.find("dimension").get("value")) for x in p.iterchildren("target", "actual")])
               for p in indicator.findall("period")]
    assert periods == [("2024-01-01", "2024-03-31", [("actual", "30", "SEN")]),
                       ("2024-04-01", "2024-12-31", [("target", "100", "SEN")])]

    fresh = empty_like(engine, tmp_path)
    assert import_workbook(fresh, read_iati(xml, "p1.xml")).ok
    with fresh.connect() as conn:
        k = compute_kpis(conn, "P1", as_of)
        refs = dict(conn.execute(sa.select(s.funders.c.code, s.funders.c.iati_ref)).all())
    assert refs == {"F1": "XM-DAC-7"}
    b = k["budget"]
    assert b["budget"] == pytest.approx(1000 / 1.1, abs=1e-9)
    assert b["spent"] == pytest.approx(330 / 1.2, abs=1e-9)  # 275 EUR: March's rate; April's 60 USD not yet
    assert b["funding_signed"] == 500 and b["received"] == 200
    assert b["cash_exposure"] == pytest.approx(75, abs=1e-9)
    assert k["funding"]["pipeline_weighted"] == pytest.approx(100)  # 400 x 0.25 (prospect default)
    row = next(r for r in k["indicators"] if r["country"] == "SEN")
    expected = 100 * 90 / 365  # linear from (2024-01-01, 0) to (2024-12-31, 100), 90 days in
    assert row["actual"] == 30 and row["expected"] == pytest.approx(expected)
    assert row["achievement"] == pytest.approx(0.3) and row["status"] == "ahead"  # pace 1.217 > 1.15
    fresh.dispose()


# --- the standard's schema test suite ---------------------------------------------------------

def test_should_fail_documents_are_rejected_naming_activity_and_element(sqlite_engine):
    """Every one of the 225 documents the schema rejects (one database for all: ~5 s)."""
    assert len(SHOULD_FAIL) == 225 and len(CARRYING) == 10
    for path in SHOULD_FAIL:
        report = import_workbook(sqlite_engine, path, dry_run=True)
        assert not report.ok and report.issues, path
        for issue in report.issues:
            assert issue.sheet, path  # the activity identifier, or iati-activity[n] when it is blank
            message = issue.message("en")
            assert "IATI 2.03 schema" in message and "element /iati-activities" in message, (path, message)
    assert count(sqlite_engine, s.programmes) == 0
    # one by hand: the second reporting-org of the activity whose identifier is blank
    report = import_workbook(sqlite_engine, CORPUS / "should-fail" / "20-two-reporting-orgs.xml", dry_run=True)
    [issue] = report.issues
    assert issue.sheet == "iati-activity[1]"
    assert issue.params["path"] == "/iati-activities/iati-activity/reporting-org[2]"


@pytest.mark.parametrize("path", CARRYING, ids=lambda p: str(p.relative_to(CORPUS)))
def test_should_pass_documents_with_budgets_transactions_or_results_import(sqlite_engine, path):
    if "GBP" in path.read_text():  # IATI has no exchange rates: the rate is loaded first, as for a workbook
        assert import_workbook(sqlite_engine, GBP_RATE).ok
    report = import_workbook(sqlite_engine, path)
    assert report.ok, report.render("en")
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.select(s.programmes.c.code)).scalars().all() == [path.stem]


def test_should_pass_mapping_by_hand(engine):
    assert import_workbook(engine, GBP_RATE).ok
    assert import_workbook(engine, CORPUS / "should-pass" / "19-budget.xml").ok
    assert import_workbook(engine, CORPUS / "should-pass" / "24-results.xml").ok
    with engine.connect() as conn:
        lines = conn.execute(sa.select(s.budget_lines.c.code, s.budget_lines.c.amount, s.budget_lines.c.currency,
                                       s.budget_lines.c.amount_eur)).all()
        programme = conn.execute(sa.select(s.programmes).where(s.programmes.c.code == "19-budget")).one()
        indicators = conn.execute(sa.select(sa.func.count()).select_from(s.indicators)).scalar_one()
        targets = conn.execute(sa.select(sa.func.count()).select_from(s.targets)).scalar_one()
    # the budget without type (original) counts; the two of type "X" are ignored
    assert [(c, a, cur) for c, a, cur, _ in lines] == [("IATI-BUDGET", 1000000.99, "GBP")]
    assert lines[0][3] == pytest.approx(1000000.99 / 0.85)
    # start: the earliest date of the activity (budget period), end: its latest (activity-date)
    assert (programme.start_date, programme.end_date) == (dt.date(2011, 1, 1), dt.date(2013, 11, 27))
    # 24-results: 14 indicators; every target value is "N=42;P=57"-like (not a number) but one, "110",
    # disaggregated by location: none is stored
    assert indicators == 14 and targets == 0


def test_a_currency_without_rate_is_rejected_at_its_element(sqlite_engine):
    report = import_workbook(sqlite_engine, CORPUS / "should-pass" / "19-budget.xml")
    assert not report.ok
    [issue] = report.issues
    assert issue.sheet == "iati-activity[1]"  # its identifier is blank
    assert issue.column == "/iati-activities/iati-activity/budget[1]/value/@currency" and issue.value == "GBP"
    assert count(sqlite_engine, s.programmes) == 0


def _doc(body: str, identifier: str = "XM-TEST-1", extra: str = "") -> bytes:
    return f"""<?xml version="1.0"?>
<iati-activities version="2.03" xmlns:pm="{NS}"><iati-activity{extra}>
<iati-identifier>{identifier}</iati-identifier>
<reporting-org ref="XM-TEST" type="21"><narrative>Test</narrative></reporting-org>
<title><narrative>Titre</narrative></title>
<description><narrative>Description</narrative></description>
<participating-org role="1" ref="XM-F"><narrative>Bailleur</narrative></participating-org>
<activity-status code="2"/>
<activity-date type="1" iso-date="2024-01-01"/><activity-date type="3" iso-date="2024-12-31"/>
{body}
</iati-activity></iati-activities>""".encode()


def test_mapping_errors_name_the_activity_and_the_element(sqlite_engine):
    # a schema error in an activity with an identifier: the identifier and the element path
    report = import_workbook(sqlite_engine, read_iati(_doc("").replace(b"<description>", b"<description2>")
                                                      .replace(b"</description>", b"</description2>"), "t.xml"))
    assert not report.ok and report.issues[0].sheet == "XM-TEST-1"
    assert report.issues[0].params["path"] == "/iati-activities/iati-activity/description2"
    body = """<transaction><transaction-type code="11"/><transaction-date iso-date="2024-02-01"/>
      <value value-date="2024-02-01">100</value></transaction>"""
    report = import_workbook(sqlite_engine, read_iati(_doc(body), "t.xml"))
    [issue] = report.issues
    assert issue.sheet == "XM-TEST-1" and "/iati-activities/iati-activity/transaction/value" in issue.message("en")
    assert issue.key == "iati.no_currency"
    # a value of our extension that the contract refuses: reported at its element
    ext = '<pm:budget-line pm:code="L1" pm:category="bogus" pm:label="x" pm:amount="10" pm:currency="EUR"/>'
    report = import_workbook(sqlite_engine, read_iati(_doc(ext), "t.xml"))
    assert not report.ok
    [issue] = report.issues
    assert issue.sheet == "XM-TEST-1" and issue.value == "bogus"
    assert issue.column == "/iati-activities/iati-activity/pm:budget-line (category)"
    assert count(sqlite_engine, s.programmes) == 0


def test_hostile_xml_is_refused_before_anything(sqlite_engine, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
           '<iati-activities version="2.03"><iati-activity><iati-identifier>&e;</iati-identifier>'
           '</iati-activity></iati-activities>').encode()
    for data, key in ((xxe, "iati.doctype"), (b"<iati-activities><oops>", "iati.not_xml")):
        report = import_workbook(sqlite_engine, _upload("x.xml", data))
        assert not report.ok and report.issues[0].key == key
        assert "TOP-SECRET" not in report.render("en")
    assert count(sqlite_engine, s.programmes) == 0


def _upload(name, data):
    from dashboard.importer.read import UnreadableWorkbook
    from dashboard.importer.read import RawWorkbook

    try:
        return read_upload(name, data)
    except UnreadableWorkbook as err:
        return RawWorkbook(file_errors=[(name, err.key, err.params)])


def test_upload_of_an_xml_file_is_read_as_iati(sqlite_engine):
    raw = read_upload("projet.xml", _doc(""))
    report = import_workbook(sqlite_engine, raw, dry_run=True)
    assert report.ok and report.counts["programmes"]["inserted"] == 1 and report.counts["funders"]["inserted"] == 1
    assert count(sqlite_engine, s.programmes) == 0  # dry run


# --- command line -----------------------------------------------------------------------------

def test_cli_export_then_import(tmp_path, capsys, demo_workbooks):
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    engine = make_engine(source)
    upgrade(engine)
    assert import_workbook(engine, small_workbook()).ok
    out = tmp_path / "p1.xml"
    assert main(["iati", "export", "--programme", "P1", "--as-of", "2024-03-31", "--out", str(out),
                 "--db", source]) == 0
    assert official_schema().validate(etree.parse(str(out)))
    capsys.readouterr()
    assert main(["import", str(out), "--db", target, "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "expenditures | 2 | 0 | 0 | 0" in printed and "no trainings" in printed
    assert main(["iati", "export", "--programme", "NOPE", "--out", str(tmp_path / "x.xml"), "--db", source]) == 2
    bad = CORPUS / "should-fail" / "20-two-reporting-orgs.xml"
    assert main(["import", str(bad), "--db", target, "--lang", "en"]) == 1
    assert "/iati-activities/iati-activity/reporting-org[2]" in capsys.readouterr().out
    engine.dispose()


# --- Funding page -----------------------------------------------------------------------------

def _iati_buttons(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button") if b.proto.label.startswith(("Publier au format IATI",
                                                                                          "Publish as IATI"))]


def test_funding_page_offers_the_iati_file_to_who_sees_the_whole_programme(tmp_path, monkeypatch, demo_workbooks):
    from apptest import PASSWORD, database, open_page
    from dashboard import auth
    from dashboard.ui.pages.funding import _iati_file

    engine = database(tmp_path, monkeypatch, demo_workbooks[0])
    auth.add_user(engine, "conseil@test.invalid", "conseil", PASSWORD)
    auth.add_user(engine, "awa@test.invalid", "manager", PASSWORD, ["PCRPM-C2"], ["SEN"])
    assert _iati_buttons(open_page("funding", programme="PCRPM-C2")) == ["Publier au format IATI (XML)"]
    assert _iati_buttons(open_page("funding", as_user="conseil@test.invalid", programme="PCRPM-C2",
                                   lang="en")) == ["Publish as IATI (XML)"]
    # a manager restricted to Senegal must not publish the other countries' figures
    manager = open_page("funding", as_user="awa@test.invalid", programme="PCRPM-C2")
    assert any(b.proto.label == "CSV" for b in manager.get("download_button"))  # the Funding page is shown
    assert _iati_buttons(manager) == []
    # what the button downloads (written on click): the programme as of the page's date, schema-valid
    xml = _iati_file("PCRPM-C2", dt.date(2022, 6, 30))
    root = etree.fromstring(xml)
    assert official_schema().validate(root)
    assert root.find("iati-activity").get(f"{{{NS}}}as-of") == "2022-06-30"


def test_identifier_without_iati_ref_is_made_of_letters_digits_and_dashes(sqlite_engine):
    workbook = small_workbook()
    workbook["programmes"][0]["lead_organisation"] = "Collectif Loujna-Tounkaranké"
    assert import_workbook(sqlite_engine, workbook).ok
    with sqlite_engine.connect() as conn:
        act = etree.fromstring(export_programme(conn, "P1", dt.date(2024, 3, 31))).find("iati-activity")
    assert act.findtext("iati-identifier") == "Collectif-Loujna-Tounkarank-P1"
    assert act.find("reporting-org").get("ref") == "Collectif-Loujna-Tounkarank"
    assert act.findtext("reporting-org/narrative") == "Collectif Loujna-Tounkaranké"
