"""Imported text shown as text: escaping for the channels that interpret markup.

Every name, label, title or code read from a workbook is data, never markup. Streamlit renders
titles, headers, captions, alerts, ``st.markdown``, metric labels, widget labels, expander and tab
labels and segmented-control options as GitHub-flavoured Markdown (images, links, bold, colour
directives ``:red[...]``, ``$`` maths, emoji shortcodes, bare URLs turned into links); plotly
renders a subset of HTML in every text it draws (``<a href>``, ``<b>``, ``<br>``, ``<span style>``...).
Streamlit 1.67 has no option to show these elements' bodies as plain text, so imported text is
escaped where it meets them:

- :func:`md` for Streamlit's Markdown elements;
- :func:`html` for plotly texts (labels, categories, legend entries, hover texts);
- :func:`filename` for download file names built from codes.

Channels that already show text as text need nothing (escaping there would show backslashes or
entities): ``st.text``, dataframe cells and column headers, selectbox / multiselect option labels
(``format_func``), and pydeck tooltips given as ``{"text": ...}`` (the browser sets ``innerText``;
see :func:`dashboard.maps._deck`).
"""
from __future__ import annotations

import re
import string

#: U+2060 WORD JOINER: invisible, no line break. Placed where GFM would turn a bare URL or e-mail
#: address into a live link (after ``:`` and ``@``, between ``www`` and ``.``): its literal-autolink
#: rule runs on the text after escapes are resolved, so a backslash alone does not stop it.
JOINER = "\u2060"
_PUNCTUATION = frozenset(string.punctuation)  # CommonMark: every ASCII punctuation can be escaped
_WWW = re.compile(r"(www)(\\\.)", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"[\r\n\f\v\u2028\u2029]+")


def md(text) -> str:
    """``text`` for a Streamlit element that renders Markdown, so that it shows as written.

    Every ASCII punctuation character gets a backslash (CommonMark shows the character alone:
    ``Côte d'Ivoire`` displays unchanged), which also disarms HTML, ``:colour[...]`` directives,
    ``$`` maths and ``:emoji:`` shortcodes; line breaks become spaces (a name is one line, and a
    blank line would start a new block); bare URLs and e-mail addresses get an invisible word
    joiner so they stay text. None is shown as an empty string."""
    if text is None:
        return ""
    text = _LINE_BREAKS.sub(" ", str(text))
    out = []
    for char in text:
        if char in _PUNCTUATION:
            out.append("\\" + char)
            if char in ":@":
                out.append(JOINER)
        else:
            out.append(char)
    return _WWW.sub(lambda m: m.group(1) + JOINER + m.group(2), "".join(out))


def html(text) -> str:
    """``text`` for plotly, which renders a subset of HTML in every text it draws: ``&``, ``<``
    and ``>`` as entities (plotly shows them as the characters). None stays None (no label)."""
    if text is None:
        return None
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def htmls(values) -> list:
    """:func:`html` of each value of a list or column."""
    return [html(v) for v in values]


_UNSAFE_FILE_CHARS = re.compile(r"[^\w.-]+")


def filename(text) -> str:
    """A piece of a download file name from a code: letters, digits, ``_``, ``-`` and ``.`` kept,
    anything else (path separators, quotes, spaces, control characters) as ``_``."""
    return _UNSAFE_FILE_CHARS.sub("_", str(text)).strip(".") or "_"
