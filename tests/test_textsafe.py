"""The escaping helpers, against hand-written expected strings (their effect in a real browser is
checked by tests/test_e2e_browser.py::test_imported_names_are_text)."""
from __future__ import annotations

from dashboard.textsafe import JOINER as J
from dashboard.textsafe import filename, html, md


def test_md_escapes_every_markdown_construct():
    assert md("**RT** _i_") == r"\*\*RT\*\* \_i\_"
    assert md("![t](x.png)") == r"\!\[t\]\(x\.png\)"
    assert md('<a href="h">l</a>') == r'\<a href\=\"h\"\>l\<\/a\>'
    assert md("$x$ :red[r]") == "\\$x\\$ \\:" + J + "red\\[r\\]"
    assert md("# h\n\n- y") == r"\# h \- y"  # one line: no heading, no list


def test_md_breaks_bare_links():
    # GFM links bare URLs, www. names and e-mail addresses even when their punctuation is escaped
    assert md("http://e.x") == "http\\:" + J + "\\/\\/e\\.x"
    assert md("WWW.e.x") == "WWW" + J + "\\.e\\.x"
    assert md("a@b.x") == "a\\@" + J + "b\\.x"


def test_md_keeps_ordinary_names():
    assert md("Appui à l'insertion") == "Appui à l\\'insertion"  # rendered "Appui à l'insertion"
    assert md("Côte d'Ivoire") == "Côte d\\'Ivoire"
    assert md("Sénégal") == "Sénégal" and md(None) == ""


def test_html_escapes_plotly_markup():
    assert html('<a href="http://x">lien</a> <b>B</b>') == '&lt;a href="http://x"&gt;lien&lt;/a&gt; &lt;b&gt;B&lt;/b&gt;'
    assert html("Santé & co &amp;") == "Santé &amp; co &amp;amp;"
    assert html("Appui à l'insertion") == "Appui à l'insertion" and html(None) is None


def test_filename_keeps_a_plain_name():
    assert filename("PCRPM-C2") == "PCRPM-C2"
    assert filename("../a b/<c>") == "_a_b_c_"
    assert filename("Côte.2024") == "Côte.2024"
