"""The pack as an A4 PDF (ReportLab): cover, contents, then one chapter per section, numbered
pages ("page 3 sur 12"), vector charts (:mod:`dashboard.pack.charts`), tables that repeat their
header on each page. Every text taken from the data is escaped before it reaches ReportLab's
paragraph markup. In French, the spaces before ``: ; ! ?`` and inside « » are no-break spaces.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Frame, KeepTogether, LongTable, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)
from reportlab.platypus.tableofcontents import TableOfContents

from ..i18n import country_name, fmt_date, fmt_money, fmt_number, fmt_percent, t
from ..metrics.thresholds import DEFAULT as TH
from ..ui import status_counts as sc
from ..ui import widgets as w
from . import charts as pc
from .content import period_text, where_text

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
WIDTH = PAGE_W - 2 * MARGIN
INK = colors.HexColor("#1b2733")
MUTED = colors.HexColor("#4d5b69")

#: Fonts with the narrow no-break space of French number formats (U+202F): DejaVu Sans when the
#: system has it (Debian: fonts-dejavu-core), else Bitstream Vera, shipped with ReportLab (the
#: few characters it lacks are replaced by the nearest one it has).
_FONT_DIRS = [os.environ.get("DASHBOARD_PACK_FONTS", ""), "/usr/share/fonts/truetype/dejavu",
              "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu", "/Library/Fonts", "C:/Windows/Fonts"]
_FALLBACK = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0", "\u2003": "  ", "\u25b8": "›"})
FONT, BOLD = "PackSans", "PackSans-Bold"
_registered: dict[str, bool] = {}


def _fonts() -> bool:
    """Register the pack's fonts once; True when the full (DejaVu) font is used."""
    if "full" in _registered:
        return _registered["full"]
    for folder in _FONT_DIRS:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if folder and regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            _registered["full"] = True
            break
    else:
        import reportlab

        base = Path(reportlab.__file__).parent / "fonts"
        pdfmetrics.registerFont(TTFont(FONT, str(base / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(base / "VeraBd.ttf")))
        _registered["full"] = False
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return _registered["full"]


def typo(text: str, lang: str) -> str:
    """French typography: no-break spaces before ``: ; ! ?`` and inside « »."""
    if lang != "fr":
        return text
    text = re.sub(r" ([:;!?])(?=\s|$)", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")


def _styles():
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.6, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7, leading=8.4),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=BOLD, fontSize=6.2, leading=7.6),
        "value": ParagraphStyle("value", parent=base, fontName=BOLD, fontSize=11, leading=13),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19, spaceAfter=6,
                             textColor=colors.HexColor("#1f3b57")),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8,
                             spaceAfter=4),
        "cover": ParagraphStyle("cover", parent=base, fontName=BOLD, fontSize=24, leading=29, spaceAfter=10,
                                textColor=colors.HexColor("#1f3b57")),
        "cover2": ParagraphStyle("cover2", parent=base, fontSize=13, leading=17, spaceAfter=18),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=10, leading=16),
    }


class _Doc(BaseDocTemplate):
    """Chapters (``h1`` paragraphs) are listed in the table of contents."""

    def afterFlowable(self, flowable):
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            text = flowable.getPlainText()
            key = f"ch-{self.seq.nextf('chapter')}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=0)
            self.notify("TOCEntry", (0, text, self.page, key))


def _numbered(lang: str, footer: str):
    class NumberedCanvas(rl_canvas.Canvas):
        """Writes "page n sur N" once the number of pages is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 7)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, 10 * mm, footer)
                self.drawRightString(PAGE_W - MARGIN, 10 * mm, t("pk.page", lang, n=self._pageNumber, total=total))
                super().showPage()
            super().save()

    return NumberedCanvas


class Writer:
    def __init__(self, lang: str, full_font: bool):
        self.lang = lang
        self.full = full_font
        self.s = _styles()

    def text(self, value) -> str:
        """Plain text for a paragraph: escaped, typographed, in the font's characters."""
        out = typo(escape("" if value is None else str(value)), self.lang)
        return out if self.full else out.translate(_FALLBACK)

    def p(self, value, style="body", markup: str | None = None) -> Paragraph:
        return Paragraph(markup if markup is not None else self.text(value), self.s[style])

    def cell(self, value, width: float):
        """A table cell: plain text when it fits on one line (no paragraph to lay out: most cells
        of the long tables are short figures and codes), else a wrapped paragraph."""
        if isinstance(value, Paragraph):
            return value
        text = typo("" if value is None else str(value), self.lang)
        text = text if self.full else text.translate(_FALLBACK)
        if "\n" not in text and pdfmetrics.stringWidth(text, FONT, 7) <= width - 6.5:
            return text
        return self.p(value, "cell")

    def table(self, header: list[str], rows: list[list], widths: list[float], status_col: int | None = None,
              statuses: list[str | None] | None = None, long: bool = False) -> Table:
        data = [[self.p(h, "cellb") for h in header]]
        for row in rows:
            data.append([self.cell(c, width) for c, width in zip(row, widths)])
        cls = LongTable if long else Table
        table = cls(data, colWidths=widths, repeatRows=1)
        style = [("FONT", (0, 1), (-1, -1), FONT, 7, 8.4), ("TEXTCOLOR", (0, 1), (-1, -1), INK),
                 ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8c2cc")),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f0")),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        if status_col is not None and statuses:
            for i, status in enumerate(statuses, start=1):
                fill = w.STATUS_FILL.get(w.STATUS_COLOURS.get(status or "", ""), None)
                if fill:
                    style.append(("BACKGROUND", (status_col, i), (status_col, i), colors.HexColor(fill)))
        table.setStyle(TableStyle(style))
        return table

    def chart(self, spec: dict | None) -> list:
        if not spec:
            return []
        drawing = pc.drawing(spec, WIDTH, self.lang, FONT)
        return [KeepTogether([self.p(pc.title_text(spec), "h2"), drawing])]

    def frame_table(self, frame: pd.DataFrame, widths: list[float], money: tuple[str, ...] = (),
                    percent: tuple[str, ...] = (), long: bool = False) -> Table:
        header = [str(c) for c in frame.columns]
        rows = []
        for record in frame.itertuples(index=False):
            row = []
            for col, value in zip(header, record):
                if value is None or (isinstance(value, float) and value != value):
                    row.append("—")
                elif isinstance(value, bool) or type(value).__name__ == "bool_":
                    row.append(t("pk.yes" if value else "pk.no", self.lang))
                elif col in money:
                    row.append(fmt_number(value, self.lang))
                elif col in percent:
                    row.append(fmt_percent(value, self.lang))
                elif isinstance(value, (dt.date, pd.Timestamp)):
                    row.append(fmt_date(value, self.lang))
                elif isinstance(value, float):
                    row.append(fmt_number(value, self.lang, 0 if value.is_integer() else 2))
                else:
                    row.append(value)
            rows.append(row)
        return self.table(header, rows, widths, long=long)


def _funding_chapter(wr: Writer, fu: dict | None, lang: str) -> list:
    """The funding diversification chapter (the funding page's model, a programme or the organisation)."""
    story: list = []
    story += [PageBreak(), wr.p(t("pk.s.funding", lang), "h1")]
    if fu is None:
        story.append(wr.p(t("fu.empty", lang), "body"))
    else:
        f = fu["figures"]
        figures = [(t("fu.signed", lang), fmt_money(f["total_signed"], lang)),
                   (t("fu.hhi", lang), f"{fmt_number(f['hhi'], lang, 2)} — {w.status_label(f['band'], lang)}"),
                   (t("fu.effective", lang), fmt_number(f["effective_funders"], lang, 1)),
                   (t("fu.top", lang), f"{fmt_percent(f['top_share'], lang)} — {fu['top_name']}")]
        story.append(wr.table([x for x, _ in figures], [[v for _, v in figures]], [WIDTH / 4] * 4))
        story.append(wr.p(t("fu.band_rule", lang), "small"))
        story += wr.chart(fu["by_funder"])
        shares = fu["shares"]
        story.append(wr.frame_table(shares, [22 * mm, 60 * mm, 38 * mm, 30 * mm, WIDTH - 150 * mm],
                                    money=(shares.columns[3],), percent=(shares.columns[4],)))
        story.append(CondPageBreak(40 * mm))
        story.append(wr.p(t("pk.cliff_flagged", lang, months=TH.grant_cliff_months), "h2"))
        if fu["cliff"] is None or fu["cliff"].empty:
            story.append(wr.p(t("pk.no_line", lang), "body"))
        else:
            cliff = fu["cliff"]
            story.append(wr.frame_table(cliff, [22 * mm, 22 * mm, 40 * mm, 26 * mm, 22 * mm, 22 * mm,
                                                WIDTH - 154 * mm], money=(cliff.columns[3],)))
        st_ = fu["stress"]
        story.append(wr.p(t("pk.stress", lang, funder=st_["funder"]), "h2"))
        story.append(wr.p(t("pk.stress_text", lang, coverage=st_["coverage"], now=st_["now"], gap=st_["gap"],
                            hhi=st_["hhi"], band=st_["band"]), "body"))
    return story


def render(p: dict, meta: dict) -> tuple[bytes, int]:
    """The PDF of pack ``p`` (:func:`dashboard.pack.content.gather`) and its number of pages;
    ``meta``: generated_at, generated_by, data_version, funder (name or None)."""
    lang = p["lang"]
    full = _fonts()
    wr = Writer(lang, full)
    s = wr.s
    prog = p["prog"]
    funder = meta.get("funder")
    title = t("pk.title_funder" if funder else "pk.title", lang)
    story: list = []

    # --- cover --------------------------------------------------------------------------------
    story += [Spacer(1, 40 * mm), wr.p(title, "cover"), wr.p(f"{prog.code} — {prog.name}", "cover2")]
    countries = ", ".join(country_name(c, lang) for c in p["countries"]) or t("pk.cover.all_countries", lang)
    facts = [
        (t("pk.cover.programme", lang), f"{prog.code} — {prog.name}"),
        (t("pk.cover.period", lang), f"{fmt_date(prog.start, lang)} → {fmt_date(prog.end, lang)}"),
        (t("pk.cover.as_of", lang), fmt_date(p["as_of"], lang)),
        (t("pk.cover.countries", lang), countries),
        (t("pk.cover.lang", lang), t("pk.cover.lang_name", lang)),
        (t("pk.cover.audience", lang), t("pk.cover.audience_funder", lang, funder=funder) if funder
         else t("pk.cover.audience_board", lang)),
        (t("pk.cover.generated", lang), f"{fmt_date(meta['generated_at'], lang)} "
                                         f"{meta['generated_at'].strftime('%H:%M')} UTC"),
        (t("pk.cover.by", lang), meta["generated_by"]),
        (t("pk.cover.data_version", lang), str(meta["data_version"])),
    ]
    story.append(_cover_table(wr, facts))
    if p["demo"]:
        story += [Spacer(1, 6 * mm), wr.p(t("pk.cover.demo", lang), "small")]
    if funder:
        story += [Spacer(1, 3 * mm), wr.p(t("pk.funder_note", lang), "small")]
    story.append(PageBreak())

    # --- contents -------------------------------------------------------------------------------
    toc = TableOfContents()
    toc.levelStyles = [s["toc1"]]
    toc.dotsMinLevel = 0
    story += [wr.p(t("pk.toc", lang), "h2"), toc, PageBreak()]

    # --- headline figures ---------------------------------------------------------------------
    story.append(wr.p(t("pk.s.headline", lang), "h1"))
    story.append(wr.p(t("ov.period", lang, start=fmt_date(prog.start, lang), end=fmt_date(prog.end, lang),
                        as_of=fmt_date(p["as_of"], lang), elapsed=fmt_percent(p["elapsed"], lang)), "small"))
    story.append(Spacer(1, 3 * mm))
    story.append(_headline_table(wr, p["headline"], lang))

    # --- budget risk ---------------------------------------------------------------------------
    if p["internal"]:
        story += [PageBreak(), wr.p(t("pk.s.budget", lang), "h1")]
        bu = p["budget"]
        if bu is None:
            story.append(wr.p(t("bu.empty", lang), "body"))
        else:
            b = bu["b"]
            figures = [(t("bu.budget", lang), fmt_money(b["budget"], lang)), (t("bu.spent", lang), fmt_money(b["spent"], lang)),
                       (t("ov.burn", lang), f"{fmt_number(b['burn_index'], lang, 2)} — {w.status_label(b['status'], lang)}"),
                       (t("bu.eac", lang), fmt_money(b["eac"], lang))]
            story.append(wr.table([f for f, _ in figures], [[v for _, v in figures]], [WIDTH / 4] * 4))
            story.append(wr.p(t("bu.spent_help", lang, execution=fmt_percent(b["execution"], lang),
                                elapsed=fmt_percent(b["elapsed"], lang)), "small"))
            story += wr.chart(bu["curve"])
            story += wr.chart(bu["by_country"])
            cols = [t(f"bu.col.{c}", lang) for c in ("code", "label", "country", "amount_eur", "spent_eur",
                                                     "execution", "burn", "status")]
            for key, frame in (("pk.overspent_lines", bu["over"]), ("pk.underspent_lines", bu["under"])):
                story.append(CondPageBreak(40 * mm))
                story.append(wr.p(t(key, lang), "h2"))
                if frame.empty:
                    story.append(wr.p(t("pk.no_line", lang), "body"))
                    continue
                shown = frame[cols]
                story.append(wr.frame_table(
                    shown, [21 * mm, 36 * mm, 22 * mm, 19 * mm, 19 * mm, 15 * mm, 12 * mm, WIDTH - 144 * mm],
                    money=(cols[3], cols[4]), percent=(cols[5],), long=True))

        story += _funding_chapter(wr, p["funding"], lang)

    # --- training -------------------------------------------------------------------------------
    story += [PageBreak(), wr.p(t("pk.s.training", lang), "h1")]
    tr = p["training"]
    if tr is None:
        story.append(wr.p(t("tr.empty", lang), "body"))
    else:
        h = tr["headline"]

        def count(v):  # a funder's figures may be marks of withheld values ("< 5", "n.d.")
            return v if isinstance(v, str) else fmt_number(v, lang)

        def share(v):
            return v if isinstance(v, str) else fmt_percent(v, lang)

        figures = [(t("tr.sessions", lang), count(h["sessions"])),
                   (t("tr.participants", lang), count(h["participants"])),
                   (t("tr.organisations", lang), count(h["organisations"])),
                   (t("tr.women", lang), share(h["women_share"])),
                   (t("tr.hours", lang), count(h["participant_hours"])),
                   (t("tr.repeat", lang), count(h["repeat_participants"]))]
        story.append(wr.table([x for x, _ in figures[:3]], [[v for _, v in figures[:3]]], [WIDTH / 3] * 3))
        story.append(Spacer(1, 2 * mm))
        story.append(wr.table([x for x, _ in figures[3:]], [[v for _, v in figures[3:]]], [WIDTH / 3] * 3))
        if tr["hide"]:
            story.append(wr.p(t("tr.suppressed", lang, n=TH.small_cell, max=TH.small_cell - 1), "small"))
        story += wr.chart(tr["by_month"])
        story += wr.chart(tr["by_country"])
        if tr["reach"] is not None:
            story.append(CondPageBreak(40 * mm))
            story.append(wr.p(t("tr.reach", lang), "h2"))
            reach = tr["reach"].copy()
            ach = t("pg.col.achievement", lang)
            reach[ach] = [("—" if v is None or v != v else f"{fmt_number(v, lang)} %") for v in reach[ach]]
            story.append(wr.frame_table(reach, [16 * mm, 38 * mm, 20 * mm, 22 * mm, 14 * mm, 14 * mm, 14 * mm,
                                                16 * mm, WIDTH - 154 * mm], long=True))

    # --- progress -------------------------------------------------------------------------------
    story += [PageBreak(), wr.p(t("pk.s.progress", lang), "h1")]
    pr = p["progress"]
    if pr is None:
        story.append(wr.p(t("pg.empty", lang), "body"))
    else:
        story.append(wr.p(t("pk.cards", lang), "h2"))
        rows = []
        for card in pr["cards"]:
            badges = " · ".join(re.findall(r"-badge\[([^\]]*)\]", card["badges"])) or card["badges"]
            badges = f"{card['unit']} — {badges}"
            budget = people = ""
            if card["budget"] is not None:
                badge, execution, people = card["budget"]
                budget = re.sub(r":[a-z]+-badge\[([^\]]*)\]", r"\1", badge) + " — " + execution
            rows.append([card["title"], card["value"], badges, budget, people])
        story.append(wr.table([t("pk.col.card", lang), t("pk.col.progress", lang), t("pk.col.indicators", lang),
                               t("pk.col.budget", lang), t("pk.col.people", lang)], rows,
                              [30 * mm, 16 * mm, 52 * mm, 52 * mm, WIDTH - 150 * mm], long=True))
        story.append(wr.p(t("pg.rule", lang, band=fmt_percent(TH.pace_band, lang),
                            low=fmt_percent(1 - TH.pace_band, lang), high=fmt_percent(1 + TH.pace_band, lang)),
                          "small"))
        story.append(CondPageBreak(50 * mm))
        story.append(wr.p(t("pk.logframe", lang, as_of=fmt_date(p["as_of"], lang)), "h2"))
        # the page's tree: its hidden "_status" column (the status key of each indicator row) colours
        # the status cells and is not printed
        statuses = [s if isinstance(s, str) else None for s in pr["tree"]["_status"]]
        tree = pr["tree"].drop(columns="_status")
        ach = t("pg.col.achievement", lang)
        tree[ach] = ["" if v is None or v != v else f"{fmt_number(v, lang)} %" for v in tree[ach]]
        status_col = list(tree.columns).index(t("pg.col.status", lang))
        body = [[c if c != "" else "" for c in r] for r in tree.astype(object).itertuples(index=False)]
        story.append(wr.table([str(c) for c in tree.columns], body,
                              [38 * mm, 15 * mm, 18 * mm, 15 * mm, 11 * mm, 12 * mm, 11 * mm, 16 * mm, 12 * mm,
                               WIDTH - 148 * mm], status_col=status_col, statuses=statuses, long=True))

    # --- alerts ----------------------------------------------------------------------------------
    story += [PageBreak(), wr.p(t("pk.s.alerts", lang), "h1")]
    alerts = p["alerts"]
    if not alerts:
        story.append(wr.p(t("ov.no_alerts", lang), "body"))

    def where(a):
        if a.get("country"):
            return country_name(a["country"], lang)
        return t("ov.programme_total", lang) if a.get("rollup") else t("country.regional", lang)

    def value(v):  # a measured value, or the mark of a withheld one (funder pack: "< 5", "n.d.")
        if v is None or isinstance(v, str):
            return v or ""
        return fmt_number(v, lang, 0 if float(v).is_integer() else 2)

    sections = {
        "overspent": ([t("ov.col.line", lang), t("ov.col.label", lang), t("ov.col.budget", lang), t("ov.col.spent", lang),
                       t("ov.col.overrun", lang)],
                      lambda a: [a["code"], a["label"], fmt_number(a["amount"], lang), fmt_number(a["spent"], lang),
                                 fmt_number(a["spent"] - a["amount"], lang)],
                      [20 * mm, 70 * mm, 27 * mm, 27 * mm, WIDTH - 144 * mm]),
        "behind": ([t("ov.col.indicator", lang), t("ov.col.label", lang), t("ov.col.where", lang),
                    t("ov.col.actual", lang), t("ov.col.expected", lang)],
                   lambda a: [a["code"], a["label"], where(a), value(a["actual"]), value(a["expected"])],
                   [20 * mm, 80 * mm, 30 * mm, 22 * mm, WIDTH - 152 * mm]),
        "cliff": ([t("ov.col.grant", lang), t("ov.col.funder", lang), t("ov.col.end", lang), t("ov.col.amount", lang)],
                  lambda a: [a["code"], a["funder"], fmt_date(a["end"], lang), fmt_number(a["amount"], lang)],
                  [30 * mm, 70 * mm, 30 * mm, WIDTH - 130 * mm]),
    }
    for kind, (header, to_row, widths) in sections.items():
        mine = [a for a in alerts if a["kind"] == kind]
        if mine:
            story.append(wr.p(sc.behind_title(mine, p["countries"], lang) if kind == "behind"
                              else t(f"ov.alerts.{kind}", lang, n=len(mine)), "h2"))
            story.append(wr.table(header, [to_row(a) for a in mine], widths, long=True))

    # --- explanations --------------------------------------------------------------------------
    story += [PageBreak(), wr.p(t("pk.s.comments", lang), "h1")]
    if not p["comments"]:
        story.append(wr.p(t("com.none", lang), "body"))
    for c in p["comments"]:
        meta_line = f"{where_text(c, lang)} · {period_text(c['period_end'], lang)}"
        if p["internal"] and c.get("author"):
            meta_line += " · " + t("com.by", lang, author=c["author"], date=fmt_date(c["written_at"], lang))
        story.append(KeepTogether([wr.p(meta_line, "cellb"), wr.p(c["text"], "body"), Spacer(1, 2.5 * mm)]))
    if p["expected"]:
        from ..comments import quarter_bounds, reporting_day

        start, end = quarter_bounds(reporting_day(p["as_of"], prog.end))
        story.append(wr.p(t("com.expected_list", lang, n=len(p["expected"]), start=fmt_date(start, lang),
                            end=fmt_date(end, lang)), "h2"))
        story.append(wr.table([t("com.item", lang), t("pk.col.status", lang), ""],
                              [[where_text({**i, "country_iso3": i["country"]}, lang), w.status_label(i["status"], lang),
                                t("com.expected", lang)] for i in p["expected"]],
                              [100 * mm, 35 * mm, WIDTH - 135 * mm], status_col=1,
                              statuses=[i["status"] for i in p["expected"]], long=True))

    return _build(story, lang, f"{title} · {prog.code} · {fmt_date(p['as_of'], lang)}", f"{title} — {prog.code}",
                  prog.name, meta, full)


def _build(story: list, lang: str, footer: str, title: str, subject: str, meta: dict, full: bool) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    footer = footer if full else footer.translate(_FALLBACK)
    doc = _Doc(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=18 * mm,
               title=title, author=meta["generated_by"], subject=subject, creator="programme dashboard")
    frame = Frame(MARGIN, 16 * mm, WIDTH, PAGE_H - MARGIN - 16 * mm, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.multiBuild(story, canvasmaker=_numbered(lang, footer))
    return buffer.getvalue(), doc.page


def _headline_table(wr: Writer, rows: list[dict], lang: str) -> Table:
    return wr.table(
        [t("pk.col.figure", lang), t("pk.col.value", lang), t("pk.col.status", lang), t("pk.col.rule", lang)],
        [[r["figure"], wr.p(r["value"], "value"), w.status_label(r["status"], lang) if r["status"] else "",
          r["rule"]] for r in rows],
        [42 * mm, 30 * mm, 26 * mm, WIDTH - 98 * mm], status_col=2, statuses=[r["status"] for r in rows])


def _cover_table(wr: Writer, facts: list[tuple[str, str]]) -> Table:
    cover = Table([[wr.p(k, "cellb"), wr.p(v, "body")] for k, v in facts], colWidths=[45 * mm, WIDTH - 45 * mm])
    cover.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8c2cc")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return cover


def render_organisation(p: dict, meta: dict) -> tuple[bytes, int]:
    """The pack of the whole organisation (roles that see every programme): each programme's
    headline figures at its default as-of date, and the organisation's funding diversification."""
    lang = p["lang"]
    full = _fonts()
    wr = Writer(lang, full)
    title = t("pk.title", lang)
    org = t("pk.organisation", lang)
    story: list = [Spacer(1, 40 * mm), wr.p(title, "cover"), wr.p(org, "cover2"), _cover_table(wr, [
        (t("pk.cover.as_of", lang), fmt_date(p["as_of"], lang)),
        (t("pk.cover.lang", lang), t("pk.cover.lang_name", lang)),
        (t("pk.cover.audience", lang), t("pk.cover.audience_board", lang)),
        (t("pk.cover.generated", lang), f"{fmt_date(meta['generated_at'], lang)} "
                                         f"{meta['generated_at'].strftime('%H:%M')} UTC"),
        (t("pk.cover.by", lang), meta["generated_by"]),
        (t("pk.cover.data_version", lang), str(meta["data_version"]))])]
    if p["demo"]:
        story += [Spacer(1, 6 * mm), wr.p(t("pk.cover.demo", lang), "small")]
    toc = TableOfContents()
    toc.levelStyles = [wr.s["toc1"]]
    toc.dotsMinLevel = 0
    story += [PageBreak(), wr.p(t("pk.toc", lang), "h2"), toc, PageBreak()]
    story += [wr.p(t("pk.s.programmes", lang), "h1"), wr.p(t("pk.programmes_intro", lang), "small")]
    for item in p["programmes"]:
        prog = item["prog"]
        story.append(KeepTogether([
            wr.p(f"{prog.code} — {prog.name}", "h2"),
            wr.p(t("ov.period", lang, start=fmt_date(prog.start, lang), end=fmt_date(prog.end, lang),
                   as_of=fmt_date(item["as_of"], lang), elapsed=fmt_percent(item["elapsed"], lang)), "small"),
            _headline_table(wr, item["headline"], lang)]))
    story += _funding_chapter(wr, p["funding"], lang)
    return _build(story, lang, f"{title} · {org} · {fmt_date(p['as_of'], lang)}", f"{title} — {org}", org, meta, full)


__all__ = ["render", "typo"]
