"""The board pack's pages as images (pdftoppm, part of the browser/CI suite): every page renders,
nothing spills over the paper's edges, chart labels never overlap, and the status colours stay
readable when printed in grey. (The pages were also looked at: see README "Board pack".)"""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from apptest import database
from dashboard import pack
from dashboard.auth import SYSTEM, Scope
from dashboard.pack import charts as pc
from dashboard.pack.render import FONT, _fonts
from dashboard.ui import data
from dashboard.ui import widgets as w

MM = 72 / 25.4  # points per millimetre


def require_pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found:
        return found
    if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
        pytest.fail("DASHBOARD_REQUIRE_BROWSER=1 but pdftoppm is missing (apt-get install poppler-utils)")
    pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")


@pytest.fixture
def demo_app(tmp_path, monkeypatch, demo_workbooks):
    return database(tmp_path, monkeypatch, *demo_workbooks)


@pytest.mark.parametrize("who", ["board", "funder"])
def test_every_page_renders_in_grey_with_nothing_beyond_the_margins(demo_app, tmp_path, who):
    from PIL import Image

    tool = require_pdftoppm()
    scope = SYSTEM if who == "board" else Scope(9, "ef@x.test", "funder", frozenset({"PCRPM-C2"}), None, "EF")
    made = pack.build(data.engine(), scope, "PCRPM-C2", None, (), "fr")
    path = tmp_path / "pack.pdf"
    path.write_bytes(made.data)
    dpi = 50
    subprocess.run([tool, "-r", str(dpi), "-gray", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == made.pages >= (10 if who == "board" else 6)
    edge = round(9 * MM * dpi / 72)  # the outer 9 mm of the sheet stay blank (margins are 16-18 mm)
    for image_path in images:
        image = Image.open(image_path).convert("L")
        width, height = image.size
        assert abs(width - 210 * MM * dpi / 72) < 1.5 and abs(height - 297 * MM * dpi / 72) < 1.5  # A4
        assert image.getextrema()[0] < 100, f"{image_path.name} is blank"
        for box in ((0, 0, edge, height), (width - edge, 0, width, height), (0, 0, width, edge),
                    (0, height - round(6 * MM * dpi / 72), width, height)):
            assert image.crop(box).getextrema()[0] > 230, f"{image_path.name}: something reaches the edge {box}"


def test_bar_labels_never_overlap_and_long_labels_are_shortened():
    _fonts()
    labels = [f"Pays numéro {i} au nom vraiment très long pour une étiquette" for i in range(12)]
    spec = {"data": [{"type": "bar", "orientation": "h", "y": labels, "x": list(range(12)), "text": ["x"] * 12}],
            "layout": {}}
    drawing = pc.hbar(spec, 480, "fr", FONT)
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    names = [s for s in drawing.contents if isinstance(s, String) and s.text.startswith("Pays")]
    assert len(names) == 12 and all(n.text.endswith("…") for n in names)
    ys = sorted(n.y for n in names)
    assert min(b - a for a, b in zip(ys, ys[1:])) >= 7  # rows are 15 pt apart, the text 7 pt high
    assert all(stringWidth(n.text, FONT, 7) <= 144 for n in names)  # within the label column (150 pt)


def test_status_fills_stay_light_enough_for_black_text_in_grey():
    for colour in w.STATUS_FILL.values():
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        grey = 0.299 * r + 0.587 * g + 0.114 * b  # what a grey printer keeps
        assert grey >= 200, colour  # dark ink on it: contrast ratio above 10
