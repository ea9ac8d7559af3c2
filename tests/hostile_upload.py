"""The worst upload the importer accepts, generated for the memory test.

One ``expenditures`` sheet of N rows with every cell filled, a distinct voucher reference and a
distinct description on every row (distinct strings cannot be shared in memory), plus the few rows
it refers to, so that it also validates. The XML is written directly (shared strings, as Excel
writes them; openpyxl's writer takes minutes for a million rows): each row is about 200 bytes of
XML, so ``DASHBOARD_MAX_ROWS_PER_SHEET`` rows stay under the 500 MB the zip check allows.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
{sheets}
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
def _col(i: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]


class _Strings:
    def __init__(self):
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found


def _cell(ref: str, value, strings: _Strings) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="s"><v>{strings(str(value))}</v></c>'


def _sheet(fh, rows, strings: _Strings) -> None:
    fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>'.encode())
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(i)}{number}", v, strings) for i, v in enumerate(row))
        fh.write(f'<row r="{number}">{cells}</row>'.encode())
    fh.write(b"</sheetData></worksheet>")


def _expenditures(rows: int):
    yield ("programme_code", "reference", "budget_line_code", "date", "amount", "currency", "grant_code",
           "description")
    days = [(dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat() for i in range(2000)]
    for i in range(rows):
        yield ("BIG", f"V{i:08d}", f"L{i % 50}", days[i % 2000], round(10 + (i * 7919) % 100_000 / 7, 2),
               "XOF", "G1", f"Dépense {i}")


def write_big_xlsx(path: Path, rows: int) -> Path:
    """``path``: a workbook whose expenditures sheet has ``rows`` data rows (see the module)."""
    sheets = {
        "programmes": [("code", "name", "start_date", "end_date"),
                       ("BIG", "Programme volumineux", "2020-01-01", "2025-12-31")],
        "funders": [("code", "name", "type"), ("F1", "Bailleur", "foundation")],
        "grants": [("code", "funder_code", "programme_code", "status", "amount", "currency", "signed_date"),
                   ("G1", "F1", "BIG", "signed", 1_000_000, "EUR", "2020-01-01")],
        "budget_lines": [("programme_code", "code", "category", "label", "amount", "currency"),
                         *[("BIG", f"L{i}", "activities", f"Ligne {i}", 100_000_000, "XOF") for i in range(50)]],
        "expenditures": _expenditures(rows),
    }
    strings = _Strings()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for n, (name, content) in enumerate(sheets.items(), start=1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as fh:
                _sheet(fh, content, strings)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} '
                     f'count="{len(strings.index)}" uniqueCount="{len(strings.index)}">'.encode())
            for text in strings.index:
                fh.write(f"<si><t>{escape(text)}</t></si>".encode())
            fh.write(b"</sst>")
        sheet_list = "".join(f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
                             for n, name in enumerate(sheets, start=1))
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                            f"<workbook {_NS} {_R_NS}><sheets>{sheet_list}</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(sheets) + 1))
        extra = len(sheets)
        rels += (f'<Relationship Id="rId{extra + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         f"{rels}</Relationships>")
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(
            sheets="\n".join(_SHEET_TYPE.format(n=n) for n in range(1, len(sheets) + 1))))
    return path
