"""Explanations of gaps: versions, audit, data version, write scope, the ``comments`` sheet's rules,
what funders may read, and the items still waiting for an explanation. On both databases."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from dashboard import comments as cm
from dashboard import schema as s
from dashboard.auth import Scope
from dashboard.db import read_data_version
from dashboard.importer import import_workbook

Q1_END = dt.date(2023, 3, 31)


def workbook():
    """A small programme: one indicator, two budget lines (one in SEN, one regional)."""
    return {
        "programmes": [{"code": "P1", "name": "Programme un", "start_date": "2022-01-01", "end_date": "2024-12-31"}],
        "logframe": [{"programme_code": "P1", "code": "OG", "level": "goal", "title": "But"}],
        "indicators": [{"programme_code": "P1", "code": "I1", "logframe_code": "OG", "label": "Ateliers",
                        "unit": "count"}],
        "budget_lines": [
            {"programme_code": "P1", "code": "BL-SEN", "country_iso3": "SEN", "category": "activities",
             "label": "Ateliers Sénégal", "amount": 1000, "currency": "EUR"},
            {"programme_code": "P1", "code": "BL-REG", "category": "personnel", "label": "Coordination",
             "amount": 5000, "currency": "EUR"},
        ],
    }


def row(**values):
    base = {"programme_code": "P1", "subject": "indicator", "code": "I1", "country_iso3": "SEN",
            "period_end": "2023-03-31", "text": "Atelier reporté à cause des élections ; reprogrammé en mars"}
    return {**base, **values}


@pytest.fixture
def db(engine):
    assert import_workbook(engine, workbook()).ok
    return engine


ADMIN = Scope(1, "admin@x.test", "admin", None, None)
MANAGER_SEN = Scope(2, "awa@x.test", "manager", frozenset({"P1"}), frozenset({"SEN"}))
FUNDER = Scope(3, "ef@x.test", "funder", frozenset({"P1"}), None, "EF")


def test_an_edit_keeps_the_previous_text_as_a_version_audits_and_bumps_the_data_version(db):
    before = read_data_version(db)
    first = cm.save(db, MANAGER_SEN, row(text="Premier texte"))
    second = cm.save(db, MANAGER_SEN, row(text="Texte corrigé", shared_with_funders=True))
    assert (first.ok, first.version, second.ok, second.version) == (True, 1, True, 2)
    with db.connect() as conn:
        current = conn.execute(sa.select(s.comments.c.text, s.comments.c.version, s.comments.c.author,
                                         s.comments.c.shared_with_funders)).all()
        versions = cm.history(conn, {"programme_code": "P1", "subject": "indicator", "code": "I1",
                                     "country_iso3": "SEN", "period_end": Q1_END})
        audit = conn.execute(sa.select(s.audit_log.c.action, s.audit_log.c.before, s.audit_log.c.after)
                             .where(s.audit_log.c.entity == "comments").order_by(s.audit_log.c.id)).all()
    assert [tuple(r) for r in current] == [("Texte corrigé", 2, "awa@x.test", True)]
    assert [(v["version"], v["text"], bool(v["shared_with_funders"])) for v in versions] == [
        (2, "Texte corrigé", True), (1, "Premier texte", False)]
    assert [a.action for a in audit] == ["comment", "comment"]
    assert audit[1].before == {"text": "Premier texte", "shared_with_funders": False}
    assert read_data_version(db) == before + 2
    # the same text again: no new version, no write
    assert cm.save(db, MANAGER_SEN, row(text="Texte corrigé", shared_with_funders=True)).version == 2
    assert read_data_version(db) == before + 2


def test_writes_stay_in_the_scope_and_funders_never_write(db):
    before = read_data_version(db)
    assert cm.save(db, MANAGER_SEN, row(country_iso3="MLI")).denied
    assert cm.save(db, MANAGER_SEN, row(country_iso3=None)).denied  # regional: unrestricted managers only
    assert cm.save(db, FUNDER, row()).denied
    with db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.comments)).scalar() == 0
        refused = conn.execute(sa.select(sa.func.count()).select_from(s.audit_log).where(
            s.audit_log.c.action == "comment_refused")).scalar()
    assert refused == 3 and read_data_version(db) == before


@pytest.mark.parametrize("values,column,key", [
    (dict(code="I9"), "code", "imp.unknown_ref"),
    (dict(subject="budget_line", code="BL-SEN", country_iso3="MLI"), "country_iso3", "com.line_country"),
    (dict(subject="budget_line", code="BL-REG", country_iso3="SEN"), "country_iso3", "com.line_country"),
    (dict(subject="country", code="I1"), "code", "com.no_code_for_country"),
    (dict(subject="country", code=None, country_iso3=None), "country_iso3", "com.country_required"),
    (dict(subject="indicator", code=None), "code", "imp.required"),
    (dict(text="x" * 1001), "text", "com.too_long"),
    (dict(subject="objective"), "subject", "imp.bad_enum"),
    (dict(period_end="31/13/2023"), "period_end", "imp.bad_date"),
])
def test_a_wrong_row_is_refused_with_its_reason_and_nothing_is_written(db, values, column, key):
    result = cm.save(db, ADMIN, row(**values))
    assert not result.ok and [(i.sheet, i.column, i.key) for i in result.issues] == [("comments", column, key)]
    report = import_workbook(db, {"comments": [row(**values)]})
    assert not report.ok and [(i.column, i.key) for i in report.issues] == [(column, key)]
    with db.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(s.comments)).scalar() == 0


def test_the_comments_sheet_imports_versions_and_reimports_unchanged(db):
    sheet = [row(), row(subject="budget_line", code="BL-SEN", text="Dépassement : deux ateliers regroupés"),
             row(subject="country", code=None, country_iso3="SEN", period_end="2022-12-31", text="Élections",
                 shared_with_funders="oui")]
    first = import_workbook(db, {"comments": sheet}, actor="import@x.test")
    assert first.ok and first.counts["comments"] == {"inserted": 3, "updated": 0, "unchanged": 0, "deleted": 0}
    again = import_workbook(db, {"comments": sheet}, actor="import@x.test")
    assert again.counts["comments"] == {"inserted": 0, "updated": 0, "unchanged": 3, "deleted": 0}
    sheet[0] = row(text="Reprogrammé en avril")
    third = import_workbook(db, {"comments": sheet}, actor="other@x.test")
    assert third.counts["comments"]["updated"] == 1
    with db.connect() as conn:
        versions = cm.history(conn, {"programme_code": "P1", "subject": "indicator", "code": "I1",
                                     "country_iso3": "SEN", "period_end": Q1_END})
        shared = conn.execute(sa.select(s.comments.c.shared_with_funders).where(
            s.comments.c.subject == "country")).scalar()
    assert [(v["version"], v["text"], v["author"]) for v in versions] == [
        (2, "Reprogrammé en avril", "other@x.test"),
        (1, "Atelier reporté à cause des élections ; reprogrammé en mars", "import@x.test")]
    assert shared is True


def test_an_import_out_of_the_managers_scope_is_refused(db):
    report = import_workbook(db, {"comments": [row(country_iso3="MLI")]}, scope=MANAGER_SEN)
    assert not report.ok and [(i.key, i.params["where"]) for i in report.issues] == [("imp.scope_outside_one", ("MLI",))]
    report = import_workbook(db, {"comments": [row()]}, scope=FUNDER)
    assert not report.ok and [i.key for i in report.issues] == ["imp.scope_outside_one"]


def test_funders_read_only_shared_texts_and_never_a_budget_line(db):
    cm.save(db, ADMIN, row(text="interne"))
    cm.save(db, ADMIN, row(country_iso3="MLI", text="partagé", shared_with_funders=True))
    cm.save(db, ADMIN, row(subject="budget_line", code="BL-REG", country_iso3=None, text="ligne partagée",
                           shared_with_funders=True))
    cm.save(db, ADMIN, row(period_end="2023-07-31", text="trimestre suivant"))
    with db.connect() as conn:
        board = cm.visible(conn, "P1", dt.date(2023, 2, 15))
        funder = cm.visible(conn, "P1", dt.date(2023, 2, 15), funder_view=True)
        senegal = cm.visible(conn, "P1", dt.date(2023, 2, 15), restricted={"SEN"})
        later = cm.visible(conn, "P1", dt.date(2023, 8, 1))
    # periods ending by the end of the as-of date's quarter (31/03/2023): not the July one
    assert sorted(c["text"] for c in board) == ["interne", "ligne partagée", "partagé"]
    assert [c["text"] for c in funder] == ["partagé"]
    assert [c["text"] for c in senegal] == ["interne"]
    assert later[0]["text"] == "trimestre suivant"  # latest period first


def test_items_in_red_or_behind_without_an_explanation_this_quarter_are_expected():
    found = [{"subject": "indicator", "code": "I1", "country_iso3": "SEN", "period_end": dt.date(2023, 3, 31)},
             {"subject": "indicator", "code": "I1", "country_iso3": "MLI", "period_end": dt.date(2022, 12, 31)}]
    indicators = [{"code": "I1", "country": "SEN", "status": "behind"},
                  {"code": "I1", "country": "MLI", "status": "behind"},  # explained last quarter only
                  {"code": "I1", "country": None, "status": "on_track"}]
    lines = [{"code": "BL-SEN", "country_iso3": "SEN", "status": "over_budget"},
             {"code": "BL-MLI", "country_iso3": "MLI", "status": "overspend"},
             {"code": "BL-REG", "country_iso3": None, "status": "underspend"}]
    countries = {"SEN": {"status": "overspend"}, "MLI": {"status": "on_track"}, "CIV": {"status": "over_budget"}}
    assert cm.expected(found, indicators, lines, countries, dt.date(2023, 2, 10)) == [
        {"subject": "indicator", "code": "I1", "country": "MLI", "status": "behind"},
        {"subject": "budget_line", "code": "BL-SEN", "country": "SEN", "status": "over_budget"},
        {"subject": "budget_line", "code": "BL-MLI", "country": "MLI", "status": "overspend"},
        {"subject": "country", "code": "", "country": "SEN", "status": "overspend"},
        {"subject": "country", "code": "", "country": "CIV", "status": "over_budget"}]
    assert cm.quarter_bounds(dt.date(2023, 11, 5)) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))


def test_the_exported_comments_sheet_imports_back_unchanged(db, tmp_path):
    from dashboard.importer.read import read_path
    from dashboard.workbook_io import write_xlsx

    cm.save(db, ADMIN, row())
    cm.save(db, ADMIN, row(subject="budget_line", code="BL-REG", country_iso3=None, text="Coordination : poste vacant",
                           shared_with_funders=True))
    with db.connect() as conn:
        exported = cm.export_rows(conn, "P1")
        senegal = cm.export_rows(conn, "P1", {"SEN"})
    assert [(r["subject"], r["code"], r["country_iso3"], r["period_end"], r["shared_with_funders"]) for r in exported] == [
        ("budget_line", "BL-REG", None, Q1_END, True), ("indicator", "I1", "SEN", Q1_END, False)]
    assert [r["code"] for r in senegal] == ["I1"]
    path = write_xlsx({"comments": exported}, tmp_path / "comments.xlsx")
    again = import_workbook(db, read_path(path))
    assert again.ok and again.counts["comments"] == {"inserted": 0, "updated": 0, "unchanged": 2, "deleted": 0}


def test_replacing_the_programme_keeps_its_explanations_and_their_versions(db):
    assert import_workbook(db, {"comments": [row()]}, actor="a@x.test").ok
    again = import_workbook(db, {**workbook(), "comments": [row(text="Nouveau texte")]}, replace_programme="P1")
    assert again.ok and again.counts["comments"]["updated"] == 1
    with db.connect() as conn:
        versions = cm.history(conn, {"programme_code": "P1", "subject": "indicator", "code": "I1",
                                     "country_iso3": "SEN", "period_end": Q1_END})
    assert [v["text"] for v in versions] == ["Nouveau texte", "Atelier reporté à cause des élections ; reprogrammé en mars"]


@pytest.mark.parametrize("programme,as_of", [("PCRPM-C2", "2022-12-31"), ("PCRPM-C2", "2024-06-30"),
                                             ("LT-PAIRS", "2023-06-30"), ("UNSEEN-X", "2026-09-30")])
def test_country_budget_statuses_from_the_lines_are_those_of_kpis(tmp_path, monkeypatch, demo_workbooks,
                                                                   programme, as_of):
    """The budget page's "explication attendue" for countries reads each country's budget status
    from its budget lines, without computing all of kpis: the same statuses as the kpis countries
    block, for every country that has a budget (the others are no_data, never explained)."""
    from apptest import database
    from dashboard import kpis as k
    from dashboard.db import records

    engine = database(tmp_path, monkeypatch, *demo_workbooks)
    day = dt.date.fromisoformat(as_of)
    with engine.connect() as conn:
        prog = k.get_programme(conn, programme)
        whole = k.compute_kpis(conn, programme, day)["countries"]
        lines = records(k.budget_lines(conn, prog, day, None))
    light = k.country_budget_statuses(lines, prog, day)
    assert light == {c: {"status": v["status"]} for c, v in whole.items() if v["status"] != "no_data"}
    assert light
    # the budget page lists, for a writer, the countries over budget or overspending with no
    # explanation this quarter: from these statuses
    from apptest import open_page
    from dashboard.i18n import country_name

    at = open_page("budget", programme=programme, as_of=as_of)
    waiting = [d.value for d in at.dataframe if "Élément" in d.value.columns]
    shown = set(waiting[0]["Élément"]) if waiting else set()
    countries = {f"Pays · {country_name(c, 'fr')}" for c, v in light.items() if v["status"] in ("over_budget", "overspend")}
    assert {x for x in shown if x.startswith("Pays · ")} == countries


@pytest.mark.parametrize("programme,as_of,country", [("PCRPM-C2", "2024-06-30", None), ("PCRPM-C2", "2023-03-31", "GIN"),
                                                     ("UNSEEN-X", "2026-09-30", None)])
def test_the_progress_page_lists_what_kpis_says_waits_for_an_explanation(tmp_path, monkeypatch, demo_workbooks,
                                                                         programme, as_of, country):
    """The progress page takes the indicator rows and countries it already computed for what waits
    for an explanation (not a second kpis): the list equals the one of the kpis blocks."""
    from apptest import open_page
    from dashboard import kpis as k
    from dashboard.i18n import country_name

    from apptest import database

    engine = database(tmp_path, monkeypatch, *demo_workbooks)
    day = dt.date.fromisoformat(as_of)
    with engine.connect() as conn:
        whole = k.compute_kpis(conn, programme, day, [country] if country else None)
        found = cm.visible(conn, programme, day, (country,) if country else (), None, False)
        prog = k.get_programme(conn, programme)
    indicators = [r for r in whole["indicators"] if not country or r["country"] == country]
    block = {c: v for c, v in whole["countries"].items() if not country or c == country}
    oracle = [i for i in cm.expected(found, indicators, [], block, cm.reporting_day(day, prog.end))
              if i["subject"] in ("indicator", "country")]
    at = open_page("progress", programme=programme, as_of=as_of, **({"countries": country} if country else {}))
    waiting = [d.value for d in at.dataframe if "Élément" in d.value.columns]
    shown = list(waiting[0]["Élément"]) if waiting else []

    def where(i):
        place = country_name(i["country"], "fr") if i["country"] else "ensemble du programme / régional"
        return f"Pays · {place}" if i["subject"] == "country" else f"Indicateur {i['code']} · {place}"
    assert shown == [where(i) for i in oracle]
    assert oracle or programme != "PCRPM-C2"
