"""The pages' plotly figures (the plain dicts the page models keep) drawn as vector ReportLab
drawings, without a browser: the same traces, values, colours and labels as on screen.

Two shapes of figure cover the pack's charts: horizontal bars (budget vs spent, shares, counts;
``barmode`` overlay or stack, text at the end of the bars) and x/y charts over time or categories
(lines with their dash patterns, vertical bars, a right-hand axis). Each series keeps a distinct
dash pattern or shade so that a grey print stays readable, and every series is in the legend.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from ..i18n import fmt_number, fmt_percent

GRID = colors.HexColor("#e3e3e3")
AXIS = colors.HexColor("#555555")
DASHES = {"dot": [1, 2], "dash": [4, 3], "dashdot": [4, 2, 1, 2], "solid": None, None: None}


def _colour(value, default="#1f5f8b"):
    if not value:
        return colors.HexColor(default)
    value = str(value)
    match = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", value)
    if match:
        r, g, b = (float(x) / 255 for x in match.groups())
        return colors.Color(r, g, b)
    return colors.HexColor(value)


def title_text(spec: dict) -> str:
    """The figure's title as one line of text ("Subject (unit, as of date)")."""
    title = (spec.get("layout", {}).get("title") or {}).get("text") or ""
    return re.sub(r"<[^>]+>", "", title.replace("<br>", " "))


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_label(value: float, percent: bool, lang: str) -> str:
    if percent:
        return fmt_percent(value, lang)
    if abs(value) >= 1_000_000:
        return fmt_number(value / 1_000_000, lang, 1 if value % 1_000_000 else 0) + (" M" if lang == "en" else "\u00a0M")
    if abs(value) >= 10_000:
        return fmt_number(value / 1000, lang) + (" k" if lang == "en" else "\u00a0k")
    return fmt_number(value, lang, 0 if float(value).is_integer() else 1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _legend_rows(items: list[tuple], width: float, font: str) -> int:
    """How many lines the legend takes at ``width`` (the same wrapping as :func:`_legend`)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    rows, cx = 1, 0.0
    for label, *_ in items:
        w = 18 + stringWidth(label, font, 7.5) + 12
        if cx + w > width and cx > 0:
            rows, cx = rows + 1, 0.0
        cx += w
    return rows


def _legend(drawing: Drawing, items: list[tuple], x: float, y: float, width: float, font: str) -> float:
    """Legend entries (label, colour, dash, kind) left to right, wrapping; returns the height used."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cx, cy, size = x, y, 7.5
    for label, colour, dash, kind in items:
        w = 18 + stringWidth(label, font, size) + 12
        if cx + w > x + width and cx > x:
            cx, cy = x, cy - 11
        if kind == "bar":
            drawing.add(Rect(cx, cy - 1, 10, 7, fillColor=colour, strokeColor=AXIS, strokeWidth=0.3))
        else:
            drawing.add(Line(cx, cy + 2.5, cx + 14, cy + 2.5, strokeColor=colour, strokeWidth=2,
                             strokeDashArray=dash))
        drawing.add(String(cx + 18, cy, label, fontName=font, fontSize=size, fillColor=AXIS))
        cx += w
    return y - cy + 11


def hbar(spec: dict, width: float, lang: str, font: str) -> Drawing:
    """Horizontal bars: categories down, values across (overlay or stacked), texts at bar ends."""
    traces = [tr for tr in spec["data"] if tr.get("type") == "bar"]
    layout = spec.get("layout", {})
    stacked = layout.get("barmode") == "stack"
    categories: list = []
    for tr in traces:
        for c in tr.get("y") or []:
            if c not in categories:
                categories.append(c)
    order = (layout.get("yaxis") or {}).get("categoryarray")
    if order:
        categories = [c for c in order if c in categories] + [c for c in categories if c not in order]
    categories = categories[::-1]  # plotly draws the first category at the bottom
    xaxis = layout.get("xaxis") or {}
    # a share axis: its ticks written as percentages (charts.percent_ticks), or plotly's "%" format
    percent = "%" in str(xaxis.get("tickformat", "")) or any("%" in str(x) for x in xaxis.get("ticktext") or [])
    totals: dict = {}
    high = 0.0
    for tr in traces:
        for c, v in zip(tr.get("y") or [], tr.get("x") or []):
            v = v or 0
            totals[c] = totals.get(c, 0) + v if stacked else max(totals.get(c, 0), v)
    high = max([0.0, *totals.values()])
    if percent:
        high = max(high, 0.0) or 1.0
    ticks = _nice_ticks(0, high * 1.12 if high else 1)
    top = ticks[-1] or 1
    row = 15
    label_w = min(150, max(60, width * 0.3))
    plot_w = width - label_w - 10
    legend_items = [(str(tr.get("name")), _colour((tr.get("marker") or {}).get("color")), None, "bar")
                    for tr in traces if tr.get("name") and tr.get("showlegend", True) is not False]
    legend_h = 3 + 11 * _legend_rows(legend_items, width - label_w - 10, font) if legend_items else 0
    plot_h = row * len(categories) + 6
    height = plot_h + 16 + legend_h + 4
    d = Drawing(width, height)
    y0 = 16 + legend_h
    x0 = label_w
    for tick in ticks:
        x = x0 + plot_w * tick / top
        d.add(Line(x, y0, x, y0 + plot_h, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x, y0 - 9, _tick_label(tick, percent, lang), fontName=font, fontSize=6.5, fillColor=AXIS,
                     textAnchor="middle"))
    d.add(Line(x0, y0, x0, y0 + plot_h, strokeColor=AXIS, strokeWidth=0.6))
    base = {c: 0.0 for c in categories}
    for tr in traces:
        colour = _colour((tr.get("marker") or {}).get("color"))
        thickness = (tr.get("width") or 0.8) * row
        texts = tr.get("text") or []
        for i, (c, v) in enumerate(zip(tr.get("y") or [], tr.get("x") or [])):
            idx = categories.index(c)
            yc = y0 + 3 + row * idx + row / 2
            start = base[c] if stacked else 0.0
            value = v or 0
            xa, xb = x0 + plot_w * start / top, x0 + plot_w * (start + value) / top
            if value:
                d.add(Rect(xa, yc - thickness / 2, max(xb - xa, 0.3), thickness, fillColor=colour,
                           strokeColor=AXIS, strokeWidth=0.25))
            text = texts[i] if i < len(texts) else ""
            if text:
                d.add(String(xb + 2, yc - 2.5, str(text), fontName=font, fontSize=6.5, fillColor=colors.black))
            if stacked:
                base[c] = start + value
    for idx, c in enumerate(categories):
        d.add(String(x0 - 4, y0 + 3 + row * idx + row / 2 - 2.5, _fit(str(c), font, 7, label_w - 6), fontName=font,
                     fontSize=7, fillColor=colors.black, textAnchor="end"))
    if legend_items:  # first line at the top of the legend area, the others below it
        _legend(d, legend_items, x0, legend_h - 11, plot_w, font)
    return d


def _as_number(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return dt.datetime.combine(value, dt.time()).timestamp() if not isinstance(value, dt.datetime) \
            else value.timestamp()
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value[:10]).timestamp()
        except ValueError:
            return None
    return value


def xy(spec: dict, width: float, lang: str, font: str, height: float = 190) -> Drawing:
    """Lines (and vertical bars) over dates or categories, with an optional right-hand axis."""
    layout = spec.get("layout", {})
    traces = [tr for tr in spec["data"] if tr.get("type") in ("scatter", "bar")]
    xs = [x for tr in traces for x in (tr.get("x") or []) if x is not None]
    dates = bool(xs) and all(isinstance(x, (dt.date, dt.datetime)) or (isinstance(x, str) and
                                                                        re.match(r"\d{4}-\d\d-\d\d", x)) for x in xs)
    if dates:
        values = [_as_number(x) for x in xs]
        x_low, x_high = min(values), max(values)
        shape_x = [_as_number(sh.get("x0")) for sh in layout.get("shapes") or [] if sh.get("type") == "line"]
        x_high = max([x_high, *[v for v in shape_x if v is not None]])
        if any(tr.get("type") == "bar" for tr in traces):  # room for the first and last bars
            pad = 16 * 86400
            x_low, x_high = x_low - pad, x_high + pad
    else:
        categories = list(dict.fromkeys(xs))
    right = [tr for tr in traces if tr.get("yaxis") == "y2"]
    left = [tr for tr in traces if tr.get("yaxis") != "y2"]

    def extent(group):
        vals = [v for tr in group for v in (tr.get("y") or []) if v is not None]
        return (min([0.0, *vals]), max([0.0, *vals]) or 1.0)

    l_ticks = _nice_ticks(*extent(left)) if left else [0, 1]
    r_ticks = _nice_ticks(*extent(right)) if right else None
    legend_items = []
    for tr in traces:
        if tr.get("showlegend") is False or not tr.get("name"):
            continue
        line = tr.get("line") or {}
        colour = _colour(line.get("color") or (tr.get("marker") or {}).get("color"))
        legend_items.append((str(tr["name"]), colour, DASHES.get(line.get("dash")),
                             "bar" if tr.get("type") == "bar" else "line"))
    legend_h = 13 + 11 * _legend_rows(legend_items, width - 58, font) if legend_items else 0
    height += legend_h - 24 if legend_items else -24
    d = Drawing(width, height)
    x0, x1 = 46, width - (46 if right else 12)
    y0, y1 = 18 + legend_h, height - 8

    def px(x):
        if dates:
            span = (x_high - x_low) or 1
            return x0 + (x1 - x0) * (_as_number(x) - x_low) / span
        slot = (x1 - x0) / max(len(categories), 1)
        return x0 + slot * (categories.index(x) + 0.5)

    def py(v, ticks):
        return y0 + (y1 - y0) * (v - ticks[0]) / ((ticks[-1] - ticks[0]) or 1)

    for tick in l_ticks:
        y = py(tick, l_ticks)
        d.add(Line(x0, y, x1, y, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x0 - 3, y - 2.5, _tick_label(tick, False, lang), fontName=font, fontSize=6.5, fillColor=AXIS,
                     textAnchor="end"))
    if r_ticks:
        for tick in r_ticks:
            d.add(String(x1 + 3, py(tick, r_ticks) - 2.5, _tick_label(tick, False, lang), fontName=font,
                         fontSize=6.5, fillColor=AXIS))
    d.add(Line(x0, y0, x1, y0, strokeColor=AXIS, strokeWidth=0.6))
    # x labels: about six, as dates "MM/YYYY" (fr) or "Mon YYYY" (en), or the categories
    if dates:
        steps = 6
        for i in range(steps + 1):
            stamp = x_low + (x_high - x_low) * i / steps
            day = dt.datetime.fromtimestamp(stamp).date()
            label = day.strftime("%m/%Y") if lang == "fr" else day.strftime("%b %Y")
            d.add(String(x0 + (x1 - x0) * i / steps, y0 - 9, label, fontName=font, fontSize=6.5, fillColor=AXIS,
                         textAnchor="middle"))
    else:
        every = max(1, len(categories) // 12)
        for i, c in enumerate(categories):
            if i % every == 0:
                d.add(String(px(c), y0 - 9, _fit(str(c), font, 6.5, 60), fontName=font, fontSize=6.5,
                             fillColor=AXIS, textAnchor="middle"))
    bars = [tr for tr in traces if tr.get("type") == "bar"]
    for tr in bars:
        ticks = r_ticks if tr in right else l_ticks
        colour = _colour((tr.get("marker") or {}).get("color"))
        slot = ((x1 - x0) / max(len(tr.get("x") or []), 1)) * 0.7
        for x, v in zip(tr.get("x") or [], tr.get("y") or []):
            if v is None:
                continue
            xc = px(x)
            d.add(Rect(xc - slot / 2, py(0, ticks), slot, py(v, ticks) - py(0, ticks), fillColor=colour,
                       strokeColor=AXIS, strokeWidth=0.25))
    for tr in traces:
        if tr.get("type") != "scatter":
            continue
        ticks = r_ticks if tr in right else l_ticks
        line = tr.get("line") or {}
        colour = _colour(line.get("color"))
        dash = DASHES.get(line.get("dash"))
        points: list[float] = []
        segments = []
        for x, v in zip(tr.get("x") or [], tr.get("y") or []):
            if v is None or x is None:
                if points:
                    segments.append(points)
                points = []
                continue
            points += [px(x), py(v, ticks)]
        if points:
            segments.append(points)
        for seg in segments:
            if len(seg) >= 4:
                d.add(PolyLine(seg, strokeColor=colour, strokeWidth=min(float(line.get("width") or 1.5), 2.2),
                               strokeDashArray=dash))
    for sh in layout.get("shapes") or []:
        if sh.get("type") == "line" and dates and sh.get("yref") == "paper":
            x = px(sh["x0"])
            d.add(Line(x, y0, x, y1, strokeColor=AXIS, strokeWidth=0.6, strokeDashArray=[1, 2]))
    for note in layout.get("annotations") or []:
        if dates and note.get("x") is not None:
            x = px(note["x"])
            near_end = x > x0 + (x1 - x0) * 0.75  # label left of the line: never cut at the edge
            d.add(String(x - 2 if near_end else x + 2, y1 - 8, re.sub(r"<[^>]+>", "", str(note.get("text", ""))),
                         fontName=font, fontSize=6.5, fillColor=AXIS, textAnchor="end" if near_end else "start"))
    if legend_items:
        _legend(d, legend_items, x0, legend_h - 11, x1 - x0, font)
    return d


def drawing(spec: dict, width: float, lang: str, font: str) -> Drawing:
    """The figure ``spec`` as a drawing ``width`` points wide."""
    bars = [tr for tr in spec["data"] if tr.get("type") == "bar"]
    if bars and all(tr.get("orientation") == "h" for tr in bars):
        return hbar(spec, width, lang, font)
    return xy(spec, width, lang, font)
