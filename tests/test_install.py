"""Set-up a newcomer can trust: the project installs with ``pip install .`` (its package list and
dependencies are in pyproject.toml), the installed ``dashboard`` command works from the checkout,
and the lock files pin every requirement with hashes."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from packaging.requirements import Requirement

from dashboard.db import ROOT
from dashboard.workbook_io import write_csv_folder
from workbooks import good_workbook


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    return {m.group(1).lower().replace("_", "-"): m.group(2)
            for m in re.finditer(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^ \\\n]+)", text, re.M)}


def _requirements(name: str) -> list[Requirement]:
    found = []
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-r"):
            found.append(Requirement(line))
    return found


@pytest.mark.parametrize("lock,sources", [("requirements.lock", ["requirements.txt"]),
                                          ("requirements-dev.lock", ["requirements.txt", "requirements-dev.txt"])])
def test_the_lock_files_pin_every_requirement_within_its_range_with_hashes(lock, sources):
    pins = _pins(lock)
    for source in sources:
        for req in _requirements(source):
            name = req.name.lower().replace("_", "-")
            assert name in pins, f"{req.name} of {source} is not in {lock}: run `make lock`"
            assert pins[name] in req.specifier, f"{lock} pins {name}=={pins[name]} outside {req.specifier}"
    text = (ROOT / lock).read_text()
    assert text.count("==") == len(pins) and text.count("--hash=sha256:") >= len(pins)
    if lock == "requirements.lock":  # `make run` installs no test tool
        assert "pytest" not in pins and "playwright" not in pins


def test_pip_install_dot_gives_a_working_dashboard_command(tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                           str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "dashboard" / "importer" / "validate.py").exists()
    assert (target / "dashboard" / "ui" / "pages" / "budget.py").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("DASHBOARD_HOME", None)
    folder = tmp_path / "classeur"
    write_csv_folder(good_workbook(), folder)
    db = f"sqlite:///{tmp_path / 'installed.db'}"
    command = str(target / "bin" / "dashboard")
    # run from the checkout: the installed package finds queries/ and migrations/ there
    imported = subprocess.run([command, "import", str(folder), "--db", db, "--lang", "en"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    kpis = subprocess.run([command, "--db", db, "kpis", "--programme", "P1", "--as-of", "2022-12-31"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert kpis.returncode == 0, kpis.stderr
    assert '"spent": 1300.0' in kpis.stdout
    assert str(target) in subprocess.run([sys.executable, "-c", "import dashboard; print(dashboard.__file__)"],
                                         cwd=tmp_path, env=env, capture_output=True, text=True).stdout
