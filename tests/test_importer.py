"""Every rule of docs/DATA_CONTRACT.md's import semantics, on SQLite and PostgreSQL."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
import sqlalchemy as sa

from conftest import dump
from dashboard import schema as s
from dashboard.importer import import_workbook
from dashboard.importer.read import read_csv_text
from dashboard.kpis import compute_kpis
from dashboard.workbook_io import write_csv_folder, write_xlsx
from workbooks import good_workbook

D = dt.date


def rows(engine, table) -> list:
    with engine.connect() as conn:
        return conn.execute(sa.select(table)).mappings().all()


def test_a_good_workbook_imports_and_reimporting_it_changes_nothing(engine):
    first = import_workbook(engine, good_workbook())
    assert first.ok, first.render("en")
    assert first.counts["expenditures"] == {"inserted": 3, "updated": 0, "unchanged": 0, "deleted": 0}
    before = dump(engine)
    again = import_workbook(engine, good_workbook())
    assert again.ok and not again.changed
    assert all(c["unchanged"] == len(good_workbook()[sheet]) for sheet, c in again.counts.items())
    after = dump(engine)
    after.pop("audit_log"), before.pop("audit_log")
    assert after == before


def test_derived_columns_are_stored_at_import(engine):
    import_workbook(engine, good_workbook())
    exp = {r["reference"]: r for r in rows(engine, s.expenditures)}
    # 1 000 000 GNF in April 2022 at 10 000 GNF per EUR = 100 EUR
    assert exp["E2"]["amount_eur"] == pytest.approx(100.0)
    assert (exp["E2"]["year"], exp["E2"]["month"]) == (2022, 4)
    lines = {r["code"]: r for r in rows(engine, s.budget_lines)}
    # budget lines convert at the programme start (2022-01): 9 000 000 / 9 000 = 1 000 EUR
    assert lines["L2"]["amount_eur"] == pytest.approx(1000.0) and lines["L2"]["rate_month"] == 202201
    assert lines["L1"]["amount_eur"] == pytest.approx(1000.0)  # 655 957 XOF, built-in rate


def test_dry_run_reports_counts_and_writes_nothing(engine):
    before = dump(engine)
    report = import_workbook(engine, good_workbook(), dry_run=True)
    assert report.ok and report.dry_run
    assert report.counts["logframe"]["inserted"] == 4
    assert dump(engine) == before


def test_a_corrected_workbook_updates_only_its_rows_and_bumps_versions(engine):
    import_workbook(engine, good_workbook())
    wb = good_workbook()
    wb["measurements"][0]["value"] = 5
    report = import_workbook(engine, {"measurements": wb["measurements"]})
    assert report.ok and report.counts["measurements"]["updated"] == 1
    (m,) = rows(engine, s.measurements)
    assert m["value"] == 5 and m["version"] == 2
    assert len(rows(engine, s.expenditures)) == 3  # rows not in the workbook are left as they are


def test_new_exchange_rates_reconvert_existing_amounts(engine):
    import_workbook(engine, good_workbook())
    report = import_workbook(engine, {"fx_rates": [{"currency": "GNF", "month": "2022-04", "per_eur": 8000}]})
    assert report.ok
    exp = {r["reference"]: r for r in rows(engine, s.expenditures)}
    assert exp["E2"]["amount_eur"] == pytest.approx(125.0)  # 1 000 000 / 8 000


def test_moving_the_programme_start_reconverts_its_budget_lines(engine):
    import_workbook(engine, good_workbook())
    wb = good_workbook()
    wb["programmes"][0]["start_date"] = D(2022, 4, 1)
    assert import_workbook(engine, {"programmes": wb["programmes"]}).ok
    lines = {r["code"]: r for r in rows(engine, s.budget_lines)}
    assert lines["L2"]["rate_month"] == 202204 and lines["L2"]["amount_eur"] == pytest.approx(900.0)


def test_replace_programme_deletes_rows_missing_from_the_workbook(engine):
    import_workbook(engine, good_workbook())
    wb = good_workbook()
    wb["expenditures"] = wb["expenditures"][:1]
    wb["attendance"] = wb["attendance"][:1]
    report = import_workbook(engine, wb, replace_programme="P1")
    assert report.ok, report.render("en")
    assert report.counts["expenditures"]["deleted"] == 3 and report.counts["expenditures"]["inserted"] == 1
    assert [r["reference"] for r in rows(engine, s.expenditures)] == ["E1"]
    assert len(rows(engine, s.attendance)) == 1
    assert len(rows(engine, s.funders)) == 1  # shared tables are not the programme's to delete


def test_every_import_is_audited_with_its_counts(engine):
    import_workbook(engine, good_workbook(), actor="amina@forim.test", filename="classeur.xlsx")
    bad = good_workbook()
    bad["grants"][0]["status"] = "signée"
    import_workbook(engine, bad, actor="amina@forim.test", filename="classeur2.xlsx")
    log = rows(engine, s.audit_log)
    assert [(e["action"], e["actor"], e["entity_key"]) for e in log] == [
        ("import", "amina@forim.test", "classeur.xlsx"), ("import_rejected", "amina@forim.test", "classeur2.xlsx")]
    assert log[0]["details"]["counts"]["expenditures"]["inserted"] == 3
    assert log[1]["details"]["errors"] == 1


def _break(mutation):
    wb = good_workbook()
    mutation(wb)
    return wb


BAD_WORKBOOKS = {
    "typo_in_a_column_name": (lambda wb: wb["expenditures"][0].update(ammount=wb["expenditures"][0].pop("amount")),
                              "expenditures", 1, "ammount"),
    "required_value_blank": (lambda wb: wb["budget_lines"][1].update(label=None), "budget_lines", 3, "label"),
    "bad_date": (lambda wb: wb["sessions"][0].update(start_date="2022-02-30"), "sessions", 2, "start_date"),
    "bad_number": (lambda wb: wb["expenditures"][1].update(amount="1O0"), "expenditures", 3, "amount"),
    "value_not_in_the_list": (lambda wb: wb["grants"][0].update(status="signée"), "grants", 2, "status"),
    "unknown_budget_line": (lambda wb: wb["expenditures"][2].update(budget_line_code="L9"),
                            "expenditures", 4, "budget_line_code"),
    "duplicate_key_in_workbook": (lambda wb: wb["expenditures"].append(dict(wb["expenditures"][0])),
                                  "expenditures", 5, "programme_code, reference"),
    "signed_grant_without_date": (lambda wb: wb["grants"][0].update(signed_date=None), "grants", 2, "signed_date"),
    "currency_without_rate": (lambda wb: wb["expenditures"][0].update(currency="USD"), "expenditures", 2, "currency"),
    "computed_indicator_with_measurements": (
        lambda wb: wb["measurements"].append({"programme_code": "P1", "indicator_code": "I2", "country_iso3": None,
                                              "period_end": D(2022, 6, 30), "value": 3}),
        "measurements", 3, "indicator_code"),
    "activity_under_an_objective": (lambda wb: wb["logframe"][3].update(parent_code="OS1"), "logframe", 5, "parent_code"),
    "two_sexes_for_one_participant": (
        lambda wb: wb["attendance"].append({"session_code": "S1", "participant_key": "P-aa01", "sex": "M"}),
        "attendance", 4, None),  # the key is a duplicate too: both errors are reported
    "email_as_participant_key": (lambda wb: wb["attendance"][1].update(participant_key="awa.diop@mail.sn"),
                                 "attendance", 3, "participant_key"),
    "end_before_start": (lambda wb: wb["programmes"][0].update(end_date=D(2021, 1, 1)), "programmes", 2, "end_date"),
    "unknown_country": (lambda wb: wb["organisations"][0].update(country_iso3="SN"), "organisations", 2, "country_iso3"),
    "negative_budget": (lambda wb: wb["budget_lines"][0].update(amount=-5), "budget_lines", 2, "amount"),
    "rate_for_a_builtin_currency": (lambda wb: wb["fx_rates"].append({"currency": "XOF", "month": "2022-01", "per_eur": 600}),
                                    "fx_rates", 4, "currency"),
    "unknown_sheet": (lambda wb: wb.update(budget=[{"code": "x"}]), "budget", None, None),
}


@pytest.mark.parametrize("kind", BAD_WORKBOOKS)
def test_a_bad_workbook_is_rejected_whole_and_changes_nothing(engine, kind):
    mutation, sheet, row, column = BAD_WORKBOOKS[kind]
    import_workbook(engine, good_workbook())
    before = dump(engine)
    before.pop("audit_log")
    bad = good_workbook()
    for table_rows in bad.values():  # change every row, so a partial write would show
        for r in table_rows:
            for key in ("label", "title", "name"):
                if key in r:
                    r[key] = r[key] + " (v2)"
    mutation(bad)
    report = import_workbook(engine, bad)
    assert not report.ok
    errors = report.error_rows("en")
    assert any(e["sheet"] == sheet and e["row"] == row and (column is None or e["column"] == column)
               for e in errors), errors
    after = dump(engine)
    after.pop("audit_log")
    assert after == before


def test_every_error_is_listed_not_only_the_first(engine):
    bad = good_workbook()
    bad["expenditures"][0]["amount"] = "abc"
    bad["sessions"][0]["kind"] = "formation"
    bad["grants"][0]["signed_date"] = None
    report = import_workbook(engine, bad)
    assert {(e["sheet"], e["column"]) for e in report.error_rows()} == {
        ("expenditures", "amount"), ("sessions", "kind"), ("grants", "signed_date")}


def test_the_report_speaks_french_by_default_and_english_on_request(engine):
    bad = good_workbook()
    bad["grants"][0]["signed_date"] = None
    report = import_workbook(engine, bad)
    assert "date de signature obligatoire" in report.render()
    assert "signed_date is required" in report.render("en")


def test_references_may_point_to_rows_already_in_the_database(engine):
    import_workbook(engine, good_workbook())
    more = {"expenditures": [{"programme_code": "P1", "reference": "E9", "budget_line_code": "L1",
                              "date": D(2022, 9, 1), "amount": 10, "currency": "EUR"}]}
    assert import_workbook(engine, more).ok


def test_a_participant_sex_conflicting_with_the_database_is_rejected(engine):
    import_workbook(engine, good_workbook())
    more = {"attendance": [{"session_code": "S1", "participant_key": "P-aa01", "sex": "M"}]}
    report = import_workbook(engine, more)
    assert not report.ok and report.error_rows()[0]["column"] == "sex"


def test_french_excel_csv_and_xlsx_give_the_same_figures_as_rows_in_memory(tmp_path, sqlite_engine):
    from dashboard.db import make_engine, upgrade

    write_csv_folder(good_workbook(), tmp_path / "fr", dialect="french")
    write_xlsx(good_workbook(), tmp_path / "wb.xlsx")
    text = (tmp_path / "fr" / "expenditures.csv").read_bytes().decode("cp1252")
    assert ";" in text and "1 234,56" in text  # really the French dialect
    results = []
    for i, source in enumerate([good_workbook(), tmp_path / "fr", tmp_path / "wb.xlsx"]):
        eng = make_engine(f"sqlite:///{tmp_path / f'db{i}.sqlite'}")
        upgrade(eng)
        report = import_workbook(eng, source)
        assert report.ok, report.render("en")
        with eng.connect() as conn:
            results.append(compute_kpis(conn, "P1", D(2022, 12, 31)))
    assert results[0] == results[1] == results[2]
    assert results[0]["budget"]["spent"] == pytest.approx(1234.56 + 100 - 34.56)


def test_french_csv_cells_parse_as_a_french_excel_writes_them():
    text = ("\ufeffprogramme_code;reference;budget_line_code;date;amount;currency\r\n"
            "P1;E1;L1;15/03/2022;1.234,56;EUR\r\n"
            ";;;;;\r\n"  # a blank row in the middle, as Excel leaves them
            "P1;E2;L1;2022-03-16;12\u202f345,5;EUR\r\n")
    sheet = read_csv_text("expenditures", text.encode("utf-8").decode("utf-8-sig"))
    from dashboard.importer.validate import parse
    from dashboard.importer.read import RawWorkbook

    parsed, issues = parse(RawWorkbook([sheet]))
    assert not issues
    got = [(r.number, r.values["date"], r.values["amount"]) for r in parsed["expenditures"]]
    assert got == [(2, D(2022, 3, 15), 1234.56), (4, D(2022, 3, 16), 12345.5)]


def test_cp1252_csv_is_detected(tmp_path, sqlite_engine):
    folder = tmp_path / "cp"
    folder.mkdir()
    (folder / "funders.csv").write_bytes("code;name;type\nFDN;Fondation Élan;foundation\n".encode("cp1252"))
    assert import_workbook(sqlite_engine, folder).ok
    assert rows(sqlite_engine, s.funders)[0]["name"] == "Fondation Élan"


def test_an_ambiguous_french_number_is_an_error_not_a_guess(tmp_path, sqlite_engine):
    folder = tmp_path / "amb"
    folder.mkdir()
    (folder / "fx_rates.csv").write_text("currency;month;per_eur\nUSD;2022-01;1.1\n", encoding="utf-8")
    report = import_workbook(sqlite_engine, folder)
    assert not report.ok and report.error_rows()[0]["column"] == "per_eur"


def test_xlsx_errors_name_the_excel_row(tmp_path, sqlite_engine):
    wb = good_workbook()
    wb["sessions"][0]["hours"] = -2
    write_xlsx(wb, tmp_path / "bad.xlsx")
    report = import_workbook(sqlite_engine, tmp_path / "bad.xlsx")
    assert [(e["sheet"], e["row"], e["column"]) for e in report.error_rows()] == [("sessions", 2, "hours")]


def test_a_corrupt_file_is_refused_with_a_message(tmp_path, sqlite_engine):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 definitely not a workbook")
    report = import_workbook(sqlite_engine, path)
    assert not report.ok and "illisible" in report.render()
