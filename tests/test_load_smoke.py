"""A few seconds of the load test (bench/load.py) so that it never rots: two concurrent browser
sessions sign in and move between pages and filters without a single error."""
import sys

from browser import require_browser
from dashboard.db import ROOT


def test_two_concurrent_sessions_render_pages_without_errors(capsys):
    require_browser()
    sys.path.insert(0, str(ROOT / "bench"))
    import load

    assert load.main(["--sessions", "2", "--seconds", "30", "--out", "-"]) == 0
    table = capsys.readouterr().out.splitlines()
    sessions, _, rendered, errors = [cell.strip() for cell in table[2].strip("|").split("|")][:4]
    assert sessions == "2" and int(rendered) > 0 and errors == "0"
