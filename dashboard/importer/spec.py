"""The data contract (docs/DATA_CONTRACT.md) as data: sheets, columns, types, keys.

Each column has a type understood by :mod:`dashboard.importer.cells` and a flag ``required``.
The order of ``SHEETS`` is the dependency order used for writing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fx import BUILTIN_RATES  # noqa: F401  (re-exported: fixed rates need no fx_rates row)

LEVELS = ("goal", "objective", "result", "activity")
UNITS = ("count", "percent", "currency", "other")
DIRECTIONS = ("increase", "decrease")
AGGREGATIONS = ("sum", "latest")
COMPUTED_FROM = ("sessions", "participants", "organisations")
FUNDER_TYPES = (
    "public_bilateral", "multilateral", "european_union", "local_authority", "foundation",
    "private_donors", "corporate", "partner_cofinancing", "own_funds", "other",
)
GRANT_STATUSES = ("prospect", "submitted", "signed", "rejected")
CATEGORIES = ("personnel", "activities", "travel", "equipment", "services", "overheads", "other")
ORGANISATION_TYPES = (
    "local_association", "diaspora_association", "network", "ngo", "public_authority",
    "local_authority", "international_organisation", "other",
)
SESSION_KINDS = ("training", "field_visit", "exchange", "workshop", "webinar", "other")
SEXES = ("F", "M", "X")
AGE_BANDS = ("<25", "25-34", "35-49", "50+")
COMMENT_SUBJECTS = ("indicator", "budget_line", "country")

#: Sheets users may add for their own notes; they are not imported.
IGNORED_SHEETS = ("readme", "lisez-moi", "lisezmoi", "notes")


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # code, text, date, number, enum, bool, iso3, currency, month
    required: bool = True
    choices: tuple[str, ...] = ()
    default: object = None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    #: key columns that may be blank (stored as '').
    blank_key: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


def _opt(name: str, type_: str, **kw) -> Col:
    return Col(name, type_, required=False, **kw)


SHEETS: dict[str, Sheet] = {s.name: s for s in (
    Sheet("programmes", (
        Col("code", "code"), Col("name", "text"), Col("start_date", "date"), Col("end_date", "date"),
        _opt("lead_organisation", "text"), _opt("description", "text"),
    ), key=("code",)),
    Sheet("logframe", (
        Col("programme_code", "code"), Col("code", "code"), Col("level", "enum", choices=LEVELS),
        _opt("parent_code", "code"), Col("title", "text"), _opt("description", "text"),
    ), key=("programme_code", "code")),
    Sheet("indicators", (
        Col("programme_code", "code"), Col("code", "code"), Col("logframe_code", "code"),
        Col("label", "text"), Col("unit", "enum", choices=UNITS),
        _opt("direction", "enum", choices=DIRECTIONS, default="increase"),
        _opt("aggregation", "enum", choices=AGGREGATIONS, default="sum"),
        _opt("baseline", "number", default=0.0),
        _opt("computed_from", "enum", choices=COMPUTED_FROM),
    ), key=("programme_code", "code")),
    Sheet("targets", (
        Col("programme_code", "code"), Col("indicator_code", "code"), _opt("country_iso3", "iso3"),
        Col("period_end", "date"), Col("target", "number"),
    ), key=("programme_code", "indicator_code", "country_iso3", "period_end"), blank_key=("country_iso3",)),
    Sheet("measurements", (
        Col("programme_code", "code"), Col("indicator_code", "code"), _opt("country_iso3", "iso3"),
        Col("period_end", "date"), Col("value", "number"), _opt("source", "text"), _opt("comment", "text"),
    ), key=("programme_code", "indicator_code", "country_iso3", "period_end"), blank_key=("country_iso3",)),
    Sheet("funders", (
        Col("code", "code"), Col("name", "text"), Col("type", "enum", choices=FUNDER_TYPES),
        _opt("country_iso3", "iso3"), _opt("iati_ref", "code"),
    ), key=("code",)),
    Sheet("grants", (
        Col("code", "code"), Col("funder_code", "code"), Col("programme_code", "code"),
        Col("status", "enum", choices=GRANT_STATUSES), Col("amount", "number"), Col("currency", "currency"),
        _opt("signed_date", "date"), _opt("start_date", "date"), _opt("end_date", "date"),
        _opt("probability", "number"), _opt("in_kind", "bool", default=False),
    ), key=("code",)),
    Sheet("receipts", (
        Col("grant_code", "code"), Col("date", "date"), _opt("reference", "code"),
        Col("amount", "number"), Col("currency", "currency"),
    ), key=("grant_code", "date", "reference"), blank_key=("reference",)),
    Sheet("budget_lines", (
        Col("programme_code", "code"), Col("code", "code"), _opt("country_iso3", "iso3"),
        Col("category", "enum", choices=CATEGORIES), _opt("logframe_code", "code"), Col("label", "text"),
        Col("amount", "number"), Col("currency", "currency"),
    ), key=("programme_code", "code")),
    Sheet("expenditures", (
        Col("programme_code", "code"), Col("reference", "code"), Col("budget_line_code", "code"),
        Col("date", "date"), Col("amount", "number"), Col("currency", "currency"),
        _opt("grant_code", "code"), _opt("description", "text"),
    ), key=("programme_code", "reference")),
    Sheet("organisations", (
        Col("code", "code"), Col("name", "text"), Col("country_iso3", "iso3"),
        Col("type", "enum", choices=ORGANISATION_TYPES), _opt("city", "text"), _opt("iati_ref", "code"),
    ), key=("code",)),
    Sheet("sessions", (
        Col("code", "code"), Col("programme_code", "code"), Col("logframe_code", "code"), Col("title", "text"),
        Col("kind", "enum", choices=SESSION_KINDS), _opt("country_iso3", "iso3"), _opt("city", "text"),
        _opt("latitude", "number"), _opt("longitude", "number"), Col("start_date", "date"),
        Col("end_date", "date"), Col("hours", "number"), _opt("theme", "text"),
    ), key=("code",)),
    Sheet("attendance", (
        Col("session_code", "code"), Col("participant_key", "code"), _opt("organisation_code", "code"),
        _opt("sex", "enum", choices=SEXES), _opt("age_band", "enum", choices=AGE_BANDS),
    ), key=("session_code", "participant_key")),
    Sheet("fx_rates", (
        Col("currency", "currency"), Col("month", "month"), Col("per_eur", "number"),
    ), key=("currency", "month")),
    Sheet("comments", (
        Col("programme_code", "code"), Col("subject", "enum", choices=COMMENT_SUBJECTS), _opt("code", "code"),
        _opt("country_iso3", "iso3"), Col("period_end", "date"), Col("text", "text"),
        _opt("shared_with_funders", "bool", default=False),
    ), key=("programme_code", "subject", "code", "country_iso3", "period_end"), blank_key=("code", "country_iso3")),
)}
