"""The command line: exit codes, reports, and the kpis JSON."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.__main__ import main
from dashboard.db import ROOT
from dashboard.workbook_io import write_csv_folder
from workbooks import good_workbook


@pytest.fixture
def csv_workbook(tmp_path):
    folder = tmp_path / "classeur"
    write_csv_folder(good_workbook(), folder, dialect="french")
    return folder


def test_import_on_an_empty_database_creates_the_schema_then_kpis_prints_the_figures(tmp_path, csv_workbook, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(csv_workbook), "--db", db]) == 0
    assert "Import réussi" in capsys.readouterr().out
    assert main(["kpis", "--programme", "P1", "--as-of", "2022-12-31", "--db", db]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["as_of"] == "2022-12-31" and figures["currency"] == "EUR"
    assert figures["budget"]["budget"] == pytest.approx(2000.0)
    assert figures["budget"]["spent"] == pytest.approx(1300.0)
    assert figures["budget"]["overspent_lines"] == ["L1"]
    assert figures["training"]["participant_hours"] == 24.0


def test_dry_run_writes_nothing(tmp_path, csv_workbook, capsys):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["import", str(csv_workbook), "--dry-run", "--db", db, "--lang", "en"]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert main(["kpis", "--programme", "P1", "--db", db]) == 2  # still unknown
    assert "unknown programme" in capsys.readouterr().err


def test_a_rejected_workbook_exits_1_with_the_error_table(tmp_path, csv_workbook, capsys):
    text = (csv_workbook / "grants.csv").read_text(encoding="cp1252").replace(";signed;", ";signé;")
    (csv_workbook / "grants.csv").write_text(text, encoding="cp1252")
    code = main(["import", str(csv_workbook), "--db", f"sqlite:///{tmp_path / 'cli.db'}", "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "Workbook rejected: 1 error(s)" in out and "grants | 2 | status | signé" in out


def test_usage_errors_exit_2(tmp_path):
    run = lambda *args: subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=ROOT,  # noqa: E731
                                       capture_output=True, text=True)
    assert run("frobnicate").returncode == 2
    assert run("kpis", "--db", f"sqlite:///{tmp_path / 'x.db'}").returncode == 2  # --programme missing
    assert run("kpis", "--programme", "P1", "--as-of", "31/12/2022").returncode == 2
    assert run("import", str(tmp_path / "missing.xlsx"), "--db", f"sqlite:///{tmp_path / 'x.db'}").returncode == 2


def test_db_is_accepted_before_and_after_the_command(tmp_path, csv_workbook, capsys):
    """``--db URL`` works in both places, the README's examples use either."""
    before = f"sqlite:///{tmp_path / 'before.db'}"
    after = f"sqlite:///{tmp_path / 'after.db'}"
    assert main(["--db", before, "import", str(csv_workbook)]) == 0
    assert main(["import", str(csv_workbook), "--db", after]) == 0
    assert (tmp_path / "before.db").exists() and (tmp_path / "after.db").exists()
    capsys.readouterr()
    assert main(["--db", before, "users", "list"]) == 0
    assert main(["users", "list", "--db", after]) == 0
    capsys.readouterr()
    assert main(["--db", before, "kpis", "--programme", "P1", "--as-of", "2022-12-31"]) == 0
    assert json.loads(capsys.readouterr().out)["budget"]["spent"] == pytest.approx(1300.0)
