"""The demo workbook: two fictitious programmes, generated deterministically.

The demo is shipped in ``data/demo/`` as a plain CSV workbook (docs/DATA_CONTRACT.md) and loaded
through the ordinary importer, so it doubles as a proof that the import path works. It is built
here rather than written by hand so that it stays consistent (every code resolves, computed
indicators have no measurements, the budget adds up...) and can be regenerated after a change of
the contract::

    python -m dashboard demo write          # or: from dashboard.demo import write_demo

Two programmes, inspired by public documents of the sector but with **invented figures**:

- ``PCRPM-C2``: the civil-society component of a regional programme on migration policies
  (Sept. 2021 - June 2023, seven countries, lead FORIM). The logframe is the one of the public
  programme summary; budget, funding, sessions and results are fictitious. The programme is
  closed, so every figure is final.
- ``LT-PAIRS``: a smaller peer-learning and local-advocacy programme (Jan. 2024 - June 2027,
  Tunisia, Mali, Senegal, France), ongoing: its facts stop on :data:`LT_DATA_UNTIL`. One of its
  grants ends soon with no renewal signed (the "funding cliff" alert).

Determinism: every random choice comes from a ``random.Random`` seeded with a fixed string
(:func:`_rng`), never from the global generator, and no date depends on the clock. Two builds
give equal data and byte-identical files; ``tests/test_demo.py`` checks that ``data/demo/`` is
exactly what :func:`write_demo` produces.

No personal data: participants are pseudonymous keys (``P-`` + 10 hex digits of a hash of an
index), organisations are invented or public institutions.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .db import ROOT
from .workbook_io import COLUMNS, write_csv_folder

__all__ = ["DEMO_DIR", "LT_DATA_UNTIL", "budget_totals_eur", "build_demo", "write_demo"]

#: Where the demo workbook lives in the repository.
DEMO_DIR = ROOT / "data" / "demo"

#: Base of every seed: change it to get another (equally valid) demo.
SEED = "dashboard-demo-v1"

P1 = "PCRPM-C2"
P1_START, P1_END = dt.date(2021, 9, 1), dt.date(2023, 6, 30)
P2 = "LT-PAIRS"
P2_START, P2_END = dt.date(2024, 1, 1), dt.date(2027, 6, 30)
#: LT-PAIRS is ongoing: no fact of it (expenditure, receipt, measurement, session, signature) is
#: dated after this day. Only grant end dates and target period ends may be later.
LT_DATA_UNTIL = dt.date(2026, 10, 31)

#: Currencies with a fixed built-in rate (METRICS.md): they never get ``fx_rates`` rows.
BUILTIN_RATES = {"EUR": 1.0, "XOF": 655.957, "XAF": 655.957}


# --------------------------------------------------------------------------------------------
# Small helpers: randomness, dates, money
# --------------------------------------------------------------------------------------------

def _rng(*parts: object) -> random.Random:
    """A generator of its own for one part of the demo.

    ``random.Random`` hashes string seeds with SHA-512, so the sequence does not depend on
    ``PYTHONHASHSEED``; giving each part its own generator keeps the parts independent (adding a
    session does not reshuffle the expenditures).
    """
    return random.Random(":".join([SEED, *map(str, parts)]))


def participant_key(*parts: object) -> str:
    """A pseudonymous participant key: ``P-`` and 10 upper-case hex digits of a seeded hash."""
    digest = hashlib.sha256(":".join([SEED, "participant", *map(str, parts)]).encode()).hexdigest()
    return "P-" + digest[:10].upper()


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (the day is capped at the month's length)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """Every ``(year, month)`` from the month of ``first`` to the month of ``last`` included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def quarter_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The quarter-end dates (31 March, 30 June...) from ``first`` to ``last`` included."""
    return [month_end(y, m) for y, m in months_between(first, last)
            if m % 3 == 0 and first <= month_end(y, m) <= last]


def quarter_end_of(day: dt.date) -> dt.date:
    """The end of the calendar quarter holding ``day``."""
    return month_end(day.year, (day.month - 1) // 3 * 3 + 3)


#: Decimal places used for amounts of each currency (the CFA francs and the Guinean franc have
#: no sub-unit in practice).
DECIMALS = {"EUR": 2, "TND": 2, "MAD": 2, "XOF": 0, "XAF": 0, "GNF": 0}


def money(amount: float, currency: str) -> float | int:
    """``amount`` rounded to the currency's usual precision (an ``int`` when it has none)."""
    places = DECIMALS[currency]
    return int(round(amount)) if places == 0 else round(amount, places)


def _round_to(amount: float, step: float) -> int:
    """Round a planned amount to a "budget-looking" multiple of ``step``."""
    return int(round(amount / step) * step)


def _split(total: float, weights: Sequence[float], currency: str) -> list[float | int]:
    """Split ``total`` along ``weights``, rounded, so that the parts add up to ``money(total)``."""
    whole = sum(weights)
    parts = [money(total * w / whole, currency) for w in weights]
    parts[-1] = money(money(total, currency) - sum(parts[:-1]), currency)
    return parts


# --------------------------------------------------------------------------------------------
# Reference data: countries, places, currencies
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    city: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str  # French name, used in titles
    adjective: str  # masculine singular ("sénégalais")
    adjective_f: str  # feminine singular ("sénégalaise")
    currency: str  # currency of the national budget lines
    places: tuple[Place, ...]  # the capital (or main city) first

    @property
    def capital(self) -> Place:
        return self.places[0]

    def place(self, city: str) -> Place:
        return next(p for p in self.places if p.city == city)


COUNTRIES: dict[str, Country] = {c.iso3: c for c in (
    Country("TUN", "Tunisie", "tunisien", "tunisienne", "TND", (
        Place("Tunis", 36.8065, 10.1815), Place("Sfax", 34.7406, 10.7603),
        Place("Sousse", 35.8256, 10.6360), Place("Médenine", 33.3549, 10.5055),
        Place("Zarzis", 33.5036, 11.1122))),
    Country("MAR", "Maroc", "marocain", "marocaine", "MAD", (
        Place("Rabat", 34.0209, -6.8416), Place("Casablanca", 33.5731, -7.5898),
        Place("Oujda", 34.6814, -1.9086), Place("Tanger", 35.7595, -5.8340),
        Place("Agadir", 30.4278, -9.5981))),
    Country("SEN", "Sénégal", "sénégalais", "sénégalaise", "XOF", (
        Place("Dakar", 14.7167, -17.4677), Place("Ziguinchor", 12.5681, -16.2719),
        Place("Saint-Louis", 16.0326, -16.4818), Place("Tambacounda", 13.7707, -13.6673),
        Place("Thiès", 14.7910, -16.9359))),
    Country("MLI", "Mali", "malien", "malienne", "XOF", (
        Place("Bamako", 12.6392, -8.0029), Place("Kayes", 14.4469, -11.4456),
        Place("Sikasso", 11.3176, -5.6665), Place("Ségou", 13.4317, -6.2157),
        Place("Nioro du Sahel", 15.2302, -9.5900))),
    Country("CIV", "Côte d'Ivoire", "ivoirien", "ivoirienne", "XOF", (
        Place("Abidjan", 5.3600, -4.0083), Place("Bouaké", 7.6906, -5.0300),
        Place("Yamoussoukro", 6.8276, -5.2893), Place("San-Pédro", 4.7485, -6.6363),
        Place("Daloa", 6.8774, -6.4502))),
    Country("GIN", "Guinée", "guinéen", "guinéenne", "GNF", (
        Place("Conakry", 9.6412, -13.5784), Place("Kankan", 10.3854, -9.3057),
        Place("Labé", 11.3182, -12.2833), Place("Kindia", 10.0569, -12.8658),
        Place("Nzérékoré", 7.7562, -8.8179))),
    Country("CMR", "Cameroun", "camerounais", "camerounaise", "XAF", (
        Place("Yaoundé", 3.8480, 11.5021), Place("Douala", 4.0511, 9.7679),
        Place("Bafoussam", 5.4781, 10.4176), Place("Garoua", 9.3077, 13.3981),
        Place("Bamenda", 5.9631, 10.1591))),
    Country("FRA", "France", "français", "française", "EUR", (
        Place("Lille", 50.6292, 3.0573), Place("Paris", 48.8566, 2.3522),
        Place("Montreuil", 48.8638, 2.4485), Place("Roubaix", 50.6942, 3.1746))),
)}

#: Seat of the ECOWAS Commission, destination of the regional advocacy mission (A3.2.2).
ABUJA = Place("Abuja", 9.0765, 7.3986)

P1_COUNTRIES = ("TUN", "MAR", "SEN", "MLI", "CIV", "GIN", "CMR")
P2_COUNTRIES = ("TUN", "MLI", "SEN", "FRA")

#: Approximate market rates (units per EUR) at a few dates; the monthly ``fx_rates`` rows
#: interpolate linearly between them with a little noise. Illustrative, not a rate source.
FX_ANCHORS: dict[str, list[tuple[dt.date, float]]] = {
    "TND": [(dt.date(2021, 9, 1), 3.30), (dt.date(2022, 6, 1), 3.19), (dt.date(2022, 12, 1), 3.30),
            (dt.date(2023, 6, 1), 3.36), (dt.date(2024, 1, 1), 3.39), (dt.date(2025, 1, 1), 3.31),
            (dt.date(2026, 10, 1), 3.42)],
    "MAD": [(dt.date(2021, 9, 1), 10.65), (dt.date(2022, 6, 1), 10.45), (dt.date(2022, 12, 1), 10.95),
            (dt.date(2023, 6, 1), 10.85)],
    "GNF": [(dt.date(2021, 9, 1), 11600.0), (dt.date(2022, 3, 1), 10100.0),
            (dt.date(2022, 9, 1), 8650.0), (dt.date(2023, 6, 1), 9400.0)],
}
#: Months that get a rate: the periods of the programmes that use the currency (LT-PAIRS up to
#: its last fact).
FX_PERIODS: dict[str, list[tuple[dt.date, dt.date]]] = {
    "TND": [(P1_START, P1_END), (P2_START, LT_DATA_UNTIL)],
    "MAD": [(P1_START, P1_END)],
    "GNF": [(P1_START, P1_END)],
}
FX_DECIMALS = {"TND": 4, "MAD": 4, "GNF": 1}


def _interpolate(anchors: list[tuple[dt.date, float]], day: dt.date) -> float:
    if day <= anchors[0][0]:
        return anchors[0][1]
    for (d0, v0), (d1, v1) in zip(anchors, anchors[1:]):
        if day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return anchors[-1][1]


class Rates:
    """The demo's monthly exchange rates, with the lookup rule of METRICS.md."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, float]] = {}
        for currency, periods in FX_PERIODS.items():
            rng = _rng("fx", currency)
            months = self.table.setdefault(currency, {})
            for first, last in periods:
                for year, month in months_between(first, last):
                    base = _interpolate(FX_ANCHORS[currency], dt.date(year, month, 1))
                    noisy = base * (1 + rng.uniform(-0.006, 0.006))
                    months[f"{year:04d}-{month:02d}"] = round(noisy, FX_DECIMALS[currency])

    def per_eur(self, currency: str, day: dt.date) -> float:
        """Units of ``currency`` for 1 EUR in the month of ``day`` (else the nearest earlier
        month, else the earliest month), 655.957 for the CFA francs, 1 for the euro."""
        if currency in BUILTIN_RATES:
            return BUILTIN_RATES[currency]
        months = self.table[currency]
        wanted = f"{day.year:04d}-{day.month:02d}"
        earlier = [m for m in months if m <= wanted]
        return months[max(earlier)] if earlier else months[min(months)]

    def rows(self) -> list[dict]:
        return [{"currency": currency, "month": month, "per_eur": rate}
                for currency in sorted(self.table) for month, rate in sorted(self.table[currency].items())]


# --------------------------------------------------------------------------------------------
# The workbook being built
# --------------------------------------------------------------------------------------------

class _Workbook:
    """Rows per sheet, each row holding every contract column (``None`` = blank cell)."""

    def __init__(self) -> None:
        self.sheets: dict[str, list[dict]] = {name: [] for name in COLUMNS}

    def add(self, sheet: str, **values: object) -> dict:
        unknown = set(values) - set(COLUMNS[sheet])
        if unknown:  # a typo in the generator must fail here, not in the importer
            raise KeyError(f"{sheet}: unknown column(s) {sorted(unknown)}")
        row = {column: values.get(column) for column in COLUMNS[sheet]}
        self.sheets[sheet].append(row)
        return row


# --------------------------------------------------------------------------------------------
# Organisations (the country "cartographies")
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Org:
    code: str
    name: str
    country: str
    type: str
    city: str

    @property
    def is_authority(self) -> bool:
        return self.type in ("public_authority", "local_authority")


#: Public institutions and well-known actors, listed before the generated associations.
FIXED_ORGS: dict[str, list[tuple[str, str, str]]] = {
    "TUN": [("Office des Tunisiens à l'étranger", "public_authority", "Tunis"),
            ("Municipalité de Sfax", "local_authority", "Sfax"),
            ("Municipalité de Médenine", "local_authority", "Médenine"),
            ("OIM – bureau de Tunis", "international_organisation", "Tunis")],
    "MAR": [("Ministère délégué chargé des Marocains résidant à l'étranger", "public_authority", "Rabat"),
            ("Commune d'Oujda", "local_authority", "Oujda")],
    "SEN": [("Direction générale d'appui aux Sénégalais de l'extérieur", "public_authority", "Dakar"),
            ("Ville de Ziguinchor", "local_authority", "Ziguinchor"),
            ("OIM – bureau de Dakar", "international_organisation", "Dakar")],
    "MLI": [("Ministère des Maliens établis à l'extérieur", "public_authority", "Bamako"),
            ("Conseil régional de Kayes", "local_authority", "Kayes"),
            ("Espace Migration Développement Kayes (EMDK)", "network", "Kayes")],
    "CIV": [("Direction générale des Ivoiriens de l'extérieur", "public_authority", "Abidjan"),
            ("Commune de Bouaké", "local_authority", "Bouaké")],
    "GIN": [("Ministère des Guinéens de l'étranger", "public_authority", "Conakry"),
            ("Commune urbaine de Kankan", "local_authority", "Kankan")],
    "CMR": [("Ministère des Relations extérieures – Camerounais de l'étranger", "public_authority", "Yaoundé"),
            ("Communauté urbaine de Douala", "local_authority", "Douala")],
    "FRA": [("Grdr Migration-Citoyenneté-Développement", "ngo", "Montreuil"),
            ("FORIM – Forum des organisations de solidarité internationale issues des migrations",
             "network", "Paris"),
            ("La Cimade", "ngo", "Paris"),
            ("Ville de Lille", "local_authority", "Lille"),
            ("Cap Solidarités", "network", "Lille"),
            ("ESSOR", "ngo", "Lille"),
            ("Association des Maliens de Lille", "diaspora_association", "Lille"),
            ("Collectif des Sénégalais de Roubaix", "diaspora_association", "Roubaix"),
            ("Association des Tunisiens du Nord", "diaspora_association", "Lille"),
            ("Maison des solidarités de Roubaix", "local_association", "Roubaix"),
            ("Réseau des associations de migrants du Nord", "network", "Lille")],
}

#: Name patterns of the generated civil-society organisations, by type. ``{de_city}`` is
#: "de Dakar" or "d'Abidjan"; ``{adj}``/``{adj_f}`` the country adjective; ``{country}`` its name.
ORG_PATTERNS: dict[str, list[str]] = {
    "local_association": [
        "Association {city} Solidarité Migrants",
        "Association pour l'accueil et l'orientation des migrants {de_city}",
        "Association des jeunes pour une migration sûre {de_city}",
        "Collectif des femmes pour les droits des migrants {de_city}",
        "Association Droits et Mobilité {de_city}",
        "Maison des migrants {de_city}",
        "Association Citoyenneté et Migration {de_city}",
        "Association Terre d'accueil {de_city}",
        "Comité de soutien aux familles de migrants {de_city}",
    ],
    "diaspora_association": [
        "Association des migrants de retour pour le développement {de_city}",
        "Collectif diaspora et développement local {de_city}",
        "Fédération des associations de la diaspora {adj_f} – section {city}",
        "Association des ressortissants {de_city} en Europe",
    ],
    "network": [
        "Réseau {adj} migration et développement",
        "Plateforme nationale des OSC sur les migrations – {country}",
        "Coordination {adj_f} pour les droits des migrants",
        "Réseau des journalistes sur les migrations – {country}",
        "Réseau des femmes migrantes {de_city}",
    ],
    "ngo": [
        "Centre d'écoute et d'orientation des migrants {de_city}",
        "Observatoire des migrations {de_city}",
        "Clinique juridique pour les droits des migrants {de_city}",
        "ONG Horizons Mobilité {country}",
        "Centre d'études et de recherche sur les migrations {de_city}",
    ],
}
#: How often each type is drawn (local associations dominate the cartographies).
ORG_TYPE_WEIGHTS = {"local_association": 45, "diaspora_association": 20, "network": 12, "ngo": 23}
#: Organisations followed by the national training path (A2.1.3) in each country: the computed
#: indicator "OSC formées" (target 15) is ahead in some countries and behind in others.
TRAINING_COHORT = {"SEN": 18, "CIV": 16, "TUN": 15, "MAR": 14, "CMR": 13, "MLI": 11, "GIN": 8}


def _de(city: str) -> str:
    """French elision: "de Dakar", "d'Abidjan"."""
    return ("d'" if city[0].lower() in "aeiouyàâéèêîôû" else "de ") + city


def build_organisations() -> dict[str, list[Org]]:
    """The organisations of every country: fixed ones first, then 15-21 generated associations
    (at least the country's training cohort plus a few) spread over its cities."""
    result: dict[str, list[Org]] = {}
    for iso3, country in COUNTRIES.items():
        rng = _rng("organisations", iso3)
        entries = list(FIXED_ORGS.get(iso3, []))
        if iso3 in TRAINING_COHORT:
            wanted = max(TRAINING_COHORT[iso3] + 3, rng.randint(15, 21))
            names = {name for name, _, _ in entries}
            types, weights = zip(*ORG_TYPE_WEIGHTS.items())
            generated = 0
            while generated < wanted:
                kind = rng.choices(types, weights)[0]
                # The capital hosts more organisations than the other cities.
                place = rng.choice(country.places[:1] * 3 + country.places[1:])
                name = rng.choice(ORG_PATTERNS[kind]).format(
                    city=place.city, de_city=_de(place.city), adj=country.adjective,
                    adj_f=country.adjective_f, country=country.name)
                if name not in names:
                    names.add(name)
                    entries.append((name, kind, place.city))
                    generated += 1
        result[iso3] = [Org(f"ORG-{iso3}-{n:03d}", name, iso3, kind, city)
                        for n, (name, kind, city) in enumerate(entries, start=1)]
    return result


# --------------------------------------------------------------------------------------------
# Participants and attendance
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """A pseudonymous participant: the key and what the attendance sheet says about them."""

    key: str
    organisation: str | None
    sex: str | None
    age_band: str | None


SEX_WEIGHTS = {"F": 44, "M": 47, "X": 2, None: 7}  # None: not recorded
AGE_WEIGHTS = {"<25": 14, "25-34": 35, "35-49": 36, "50+": 12, None: 3}


def make_people(programme: str, group: str, count: int, organisations: Sequence[Org],
                unaffiliated: float = 0.05) -> list[Person]:
    """``count`` participants of ``group`` (e.g. a country's trainees) attached in turn to each of
    ``organisations`` (so every organisation is represented), a few without organisation."""
    rng = _rng("people", programme, group)
    orgs = list(organisations)
    rng.shuffle(orgs)
    people = []
    for n in range(count):
        if n < len(orgs):
            org = orgs[n].code  # the first pass covers every organisation
        elif orgs and rng.random() >= unaffiliated:
            org = rng.choice(orgs).code
        else:
            org = None
        sex = rng.choices(list(SEX_WEIGHTS), list(SEX_WEIGHTS.values()))[0]
        age = rng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()))[0]
        people.append(Person(participant_key(programme, group, n), org, sex, age))
    return people


def add_attendance(wb: _Workbook, session: str, people: Iterable[Person]) -> int:
    """One attendance row per distinct person. The sex is sometimes left blank on a row (the
    sign-in sheet was incomplete) but never contradicts the person's other rows."""
    rng = _rng("attendance", session)
    seen: set[str] = set()
    for person in people:
        if person.key in seen:
            continue
        seen.add(person.key)
        sex = person.sex if rng.random() >= 0.04 else None
        wb.add("attendance", session_code=session, participant_key=person.key,
               organisation_code=person.organisation, sex=sex, age_band=person.age_band)
    return len(seen)


@dataclass(frozen=True)
class Session:
    code: str
    logframe: str
    country: str | None
    start: dt.date
    end: dt.date
    title: str


def add_session(wb: _Workbook, programme: str, code: str, logframe: str, title: str, kind: str,
                country: str | None, place: Place | None, start: dt.date, days: int, hours: float,
                theme: str | None, coordinates: bool = True) -> Session:
    """Add one session row; ``place=None`` for online sessions, ``coordinates=False`` to leave
    the map position blank (the dashboard then falls back on the country's centroid)."""
    end = start + dt.timedelta(days=days - 1)
    wb.add("sessions", code=code, programme_code=programme, logframe_code=logframe, title=title,
           kind=kind, country_iso3=country, city=place.city if place else None,
           latitude=place.latitude if place and coordinates else None,
           longitude=place.longitude if place and coordinates else None,
           start_date=start, end_date=end, hours=hours, theme=theme)
    return Session(code, logframe, country, start, end, title)


# --------------------------------------------------------------------------------------------
# Budget lines and expenditures
# --------------------------------------------------------------------------------------------

FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
             "octobre", "novembre", "décembre")


@dataclass
class Line:
    """A budget line and how the demo spends it."""

    code: str
    country: str | None
    category: str
    label: str
    amount_eur: float  # planned amount, converted to the line's currency at the programme start
    logframe: str | None = None
    spend: float = 0.93  # share of the planned amount spent over the period (> 1: overspent)
    grant: str | None = None  # grant the vouchers are charged to; None: the programme's main grant
    first: dt.date | None = None  # first day with spending (default: programme start)
    until: dt.date | None = None  # last day with spending (default: end of the data)
    staff: int = 1  # personnel lines: people paid on the line (one payslip each a month)
    currency: str = "EUR"
    amount: float = 0.0  # planned amount in ``currency`` (set by :func:`add_budget_lines`)
    events: list[tuple[dt.date, str]] = field(default_factory=list)  # (date, title) of sessions


#: Planned amounts are rounded to these steps, per currency.
BUDGET_STEP = {"EUR": 500, "TND": 100, "MAD": 100, "XOF": 50_000, "XAF": 50_000, "GNF": 1_000_000}


def add_budget_lines(wb: _Workbook, programme: str, lines: list[Line], rates: Rates,
                     start: dt.date) -> float:
    """Write the budget lines (country lines in the country's currency, the others in EUR) and
    return the budget in EUR at the start-month rates (the rule of METRICS.md)."""
    total_eur = 0.0
    for line in lines:
        line.currency = COUNTRIES[line.country].currency if line.country else "EUR"
        rate = rates.per_eur(line.currency, start)
        line.amount = _round_to(line.amount_eur * rate, BUDGET_STEP[line.currency])
        total_eur += line.amount / rate
        wb.add("budget_lines", programme_code=programme, code=line.code, country_iso3=line.country,
               category=line.category, logframe_code=line.logframe, label=line.label,
               amount=line.amount, currency=line.currency)
    return total_eur


def _day_in_month(rng: random.Random, year: int, month: int, first: dt.date, last: dt.date,
                  low: int = 1, high: int = 28) -> dt.date:
    day = dt.date(year, month, rng.randint(low, high))
    return min(max(day, first), last)


def _vouchers(line: Line, rng: random.Random, first: dt.date, last: dt.date) -> list[tuple[dt.date, float, str]]:
    """The vouchers of a line as ``(date, weight, description)``: the planned spending is then
    split along the weights. Personnel and overheads are monthly, activities follow the sessions
    they finance, travel and services are occasional."""
    start = max(first, line.first or first)
    last = min(last, line.until or last)
    months = months_between(start, last)
    out: list[tuple[dt.date, float, str]] = []
    if line.category == "personnel":
        for year, month in months:
            name = f"{FR_MONTHS[month - 1]} {year}"
            day = _day_in_month(rng, year, month, start, last, 25, 28)
            for post in range(1, line.staff + 1):
                post_name = f" (poste {post})" if line.staff > 1 else ""
                out.append((day, 78 * rng.uniform(0.98, 1.02), f"Salaire {name} — {line.label}{post_name}"))
                out.append((day, 22 * rng.uniform(0.98, 1.02), f"Charges sociales {name}{post_name}"))
            if rng.random() < 0.6:
                out.append((day, 3 * rng.uniform(0.5, 1.5), f"Indemnité de transport {name}"))
    elif line.category == "overheads":
        for year, month in months:
            name = f"{FR_MONTHS[month - 1]} {year}"
            out.append((_day_in_month(rng, year, month, start, last, 1, 8), 60, f"Loyer et charges — {name}"))
            out.append((_day_in_month(rng, year, month, start, last), 14 * rng.uniform(0.8, 1.2),
                        f"Internet et téléphonie — {name}"))
            if rng.random() < 0.5:
                out.append((_day_in_month(rng, year, month, start, last), 9 * rng.uniform(0.5, 1.5),
                            "Fournitures de bureau"))
            if rng.random() < 0.6:
                out.append((_day_in_month(rng, year, month, start, last), 2 * rng.uniform(0.5, 1.5),
                            f"Frais bancaires — {name}"))
            if rng.random() < 0.7:
                out.append((_day_in_month(rng, year, month, start, last), 6 * rng.uniform(0.5, 1.5),
                            f"Carburant et déplacements locaux — {name}"))
    elif line.events and line.category != "travel":
        items = (("Location de salle et matériel", 22), ("Restauration des participants", 24),
                 ("Per diem et hébergement des participants", 30), ("Transport des participants", 18),
                 ("Honoraires de facilitation", 16), ("Impression des supports", 5),
                 ("Interprétariat", 10))
        for when, title in line.events:
            prep = add_months(when, -1)
            out.append((_day_in_month(rng, prep.year, prep.month, start, last), 6 * rng.uniform(0.7, 1.3),
                        f"Acompte de préparation — {title}"))
            for label, weight in items:
                if rng.random() < 0.8:
                    # Per diem and transport are paid to the participants in several batches.
                    batches = rng.randint(2, 4) if label.startswith(("Per diem", "Transport")) else 1
                    for batch in range(1, batches + 1):
                        day = min(max(when + dt.timedelta(days=rng.randint(-4, 6)), start), last)
                        suffix = f" (lot {batch})" if batches > 1 else ""
                        out.append((day, weight / batches * rng.uniform(0.6, 1.4), f"{label}{suffix} — {title}"))
    elif line.category == "travel":
        items = (("Billet d'avion", 45), ("Per diem de mission", 25), ("Hébergement de mission", 25),
                 ("Transport local", 6))
        event_months = {(when.year, when.month) for when, _ in line.events}
        for year, month in months:
            if (year, month) in event_months if event_months else rng.random() < 0.55:
                for label, weight in items:
                    if rng.random() < 0.75:
                        out.append((_day_in_month(rng, year, month, start, last), weight * rng.uniform(0.6, 1.4),
                                    f"{label} — {line.label}"))
    elif line.category == "equipment":
        for number, (label, weight) in enumerate((("Ordinateurs portables", 55), ("Vidéoprojecteur", 12),
                                                  ("Licences de visioconférence", 10), ("Imprimante", 8))):
            when = add_months(start, number + rng.randint(0, 2))
            out.append((_day_in_month(rng, when.year, when.month, start, last), weight, label))
    else:  # services, and activities with no session: a few instalments
        count = min(len(months), rng.randint(4, 8))
        chosen = sorted(rng.sample(range(len(months)), count))
        for number, index in enumerate(chosen, start=1):
            year, month = months[index]
            out.append((_day_in_month(rng, year, month, start, last), rng.uniform(0.6, 1.4),
                        f"{line.label} — tranche {number}"))
    return sorted(out, key=lambda v: (v[0], v[2]))


def plan_expenditures(programme: str, line: Line, first: dt.date, last: dt.date, share: float,
                      rates: Rates, main_grant: str) -> list[dict]:
    """The expenditure rows of one line, without references (numbered later, by date).

    The line spends ``amount * spend * share`` between ``first`` and ``last``; most rows are in
    the line's currency, but some plane tickets of country lines are paid by headquarters in EUR.
    A few rows are not yet charged to any grant.
    """
    rng = _rng("expenditures", programme, line.code)
    vouchers = _vouchers(line, rng, first, last)
    if not vouchers:
        return []
    amounts = _split(line.amount * line.spend * share, [w for _, w, _ in vouchers], line.currency)
    rows = []
    for (day, _, description), amount in zip(vouchers, amounts):
        currency = line.currency
        if line.currency != "EUR" and description.startswith("Billet d'avion") and rng.random() < 0.4:
            amount, currency = money(amount / rates.per_eur(currency, day), "EUR"), "EUR"
            description += " (payé par le siège)"
        if amount == 0:
            continue
        grant = None if rng.random() < 0.03 else (line.grant or main_grant)
        rows.append({"programme_code": programme, "reference": None, "budget_line_code": line.code,
                     "date": day, "amount": amount, "currency": currency, "grant_code": grant,
                     "description": description})
    return rows


def add_expenditures(wb: _Workbook, prefix: str, rows: list[dict]) -> None:
    """Number the vouchers in date order (``PREFIX-YYYY-000123``, one sequence per programme)
    and add them to the workbook."""
    rows = sorted(rows, key=lambda r: (r["date"], r["budget_line_code"], r["description"], r["amount"]))
    for number, row in enumerate(rows, start=1):
        row["reference"] = f"{prefix}-{row['date'].year}-{number:06d}"
        wb.add("expenditures", **row)


# --------------------------------------------------------------------------------------------
# Logframes
# --------------------------------------------------------------------------------------------

def _level(code: str) -> str:
    """``OG`` goal, ``OS1`` objective, ``R1.1`` result, ``A1.1.1`` activity."""
    if code == "OG":
        return "goal"
    return {"O": "objective", "R": "result", "A": "activity"}[code[0]]


def add_logframe(wb: _Workbook, programme: str,
                 nodes: Sequence[tuple[str, str | None, str] | tuple[str, str | None, str, str]]) -> None:
    """Nodes as ``(code, parent code, title[, description])``, parents listed first."""
    for code, parent, title, *description in nodes:
        wb.add("logframe", programme_code=programme, code=code, level=_level(code), parent_code=parent,
               title=title, description=description[0] if description else None)


_NO_R22 = "Le document source rattache cette activité à un R2.2 absent ; rattachée à R2.1."

#: The logic of intervention of the public programme summary (seed document 001), verbatim
#: except for capitalisation and the numbering prefixes.
P1_LOGFRAME = (
    ("OG", None, "Renforcer le rôle des organisations de la société civile d'Afrique du Nord et de "
     "l'Ouest dans leur participation à l'élaboration et au suivi de politiques migratoires "
     "respectueuses des droits humains et contribuant aux stratégies de développement"),
    ("OS1", "OG", "Mobiliser et regrouper les acteurs pertinents de la société civile engagés sur les "
     "enjeux de la mobilité internationale dans les pays partenaires autour d'un programme commun de "
     "renforcement et de travail"),
    ("OS2", "OG", "Renforcer les capacités des acteurs de la société civile, notamment les associations "
     "locales et issues de la diaspora, en favorisant les échanges de pratiques, des formations "
     "thématiques et techniques sur les enjeux des politiques migratoires"),
    ("OS3", "OG", "Renforcer la contribution de la société civile aux politiques migratoires, via la "
     "création d'espaces de dialogue et plaidoyer, la capitalisation d'expériences, le développement "
     "d'outils de suivi et le soutien à des actions"),
    ("R1.1", "OS1", "Une cartographie des principaux acteurs de la société civile impliqués sur le "
     "secteur de la migration est élaborée par pays"),
    ("R1.2", "OS1", "Des programmes de travail nationaux sont développés pour renforcer les OSC sur deux "
     "thématiques prioritaires et le développement d'outils de dialogue avec les institutions nationales"),
    ("R2.1", "OS2", "Les capacités des acteurs de la société civile sur la base des besoins et des "
     "thématiques identifiés et sur la concertation avec les décideurs publics sont renforcées"),
    ("R3.1", "OS3", "Des espaces de dialogue entre institutions et société civile locale et diasporas "
     "sont mis en place ou renforcés autour d'enjeux prioritaires"),
    ("R3.2", "OS3", "Le suivi des politiques migratoires au niveau national et régional est alimenté "
     "grâce aux apports et aux expériences de terrain des organisations de la société civile "
     "impliquées dans le projet"),
    ("R3.3", "OS3", "Les outils de concertation inter-associative et de dialogue avec les institutions "
     "sont capitalisés"),
    ("A1.1.1", "R1.1", "Réalisation de 7 cartographies pays contextualisées (revue documentaire + "
     "entretiens) des principaux acteurs sur les questions migratoires et de leurs besoins en "
     "renforcement (en fonction de l'existant)"),
    ("A1.2.1", "R1.2", "Restitution de l'étude via 7 ateliers nationaux"),
    ("A1.2.2", "R1.2", "Élaboration de 7 programmes de travail commun"),
    ("A2.1.1", "R2.1", "2 formations régionales techniques à destination des membres des comités de "
     "pilotage nationaux"),
    ("A2.1.2", "R2.1", "3 visites de terrain – échanges de pratiques"),
    ("A2.1.3", "R2.1", "7 parcours de formations nationaux pour 15 OSC"),
    ("A2.1.5", "R2.1", "Production de matériel didactique"),
    ("A2.2.1", "R2.1", "2 échanges de professionnels entre OSC du programme", _NO_R22),
    ("A2.2.2", "R2.1", "Atelier régional d'échanges de pratiques sur le suivi des politiques publiques",
     _NO_R22),
    ("A3.1.1", "R3.1", "7 ateliers nationaux sur le dialogue OSC/autorités dans le cadre des "
     "thématiques prioritaires"),
    ("A3.1.2", "R3.1", "Analyse conjointe des indicateurs de la composante 1 au niveau des comités "
     "nationaux"),
    ("A3.1.3", "R3.1", "Soutien à la réalisation de quelques actions pilotes renforçant le dialogue et "
     "le suivi des politiques publiques (nationales ou régionales)"),
    ("A3.2.1", "R3.2", "Participation aux 4 concertations régionales de la Composante 1 du programme"),
    ("A3.2.2", "R3.2", "Organisation d'une mission de plaidoyer auprès d'une institution régionale "
     "(CEDEAO, UA, etc.)"),
    ("A3.3.1", "R3.3", "1 démarche de capitalisation des expériences du projet"),
)


# --------------------------------------------------------------------------------------------
# Programme 1 (PCRPM-C2): sessions and attendance
# --------------------------------------------------------------------------------------------

#: Per country: dates of the restitution workshop (A1.2.1), of the work-programme workshop
#: (A1.2.2), first national training (A2.1.3), the dialogue workshop (A3.1.1, None: not held)
#: and the joint analysis of indicators (A3.1.2, None: not held). Guinea starts late (political
#: transition of September 2021), Mali and Cameroon are a little behind, Senegal ahead.
P1_CALENDAR: dict[str, dict[str, dt.date | None]] = {
    "TUN": {"A1.2.1": dt.date(2022, 3, 15), "A1.2.2": dt.date(2022, 5, 10), "A2.1.3": dt.date(2022, 6, 6),
            "A3.1.1": dt.date(2023, 2, 9), "A3.1.2": dt.date(2022, 11, 17)},
    "MAR": {"A1.2.1": dt.date(2022, 3, 22), "A1.2.2": dt.date(2022, 5, 17), "A2.1.3": dt.date(2022, 6, 13),
            "A3.1.1": dt.date(2023, 3, 14), "A3.1.2": dt.date(2023, 4, 20)},
    "SEN": {"A1.2.1": dt.date(2022, 2, 17), "A1.2.2": dt.date(2022, 4, 5), "A2.1.3": dt.date(2022, 4, 25),
            "A3.1.1": dt.date(2022, 11, 24), "A3.1.2": dt.date(2022, 10, 13)},
    "MLI": {"A1.2.1": dt.date(2022, 5, 12), "A1.2.2": dt.date(2022, 7, 6), "A2.1.3": dt.date(2022, 9, 12),
            "A3.1.1": dt.date(2023, 5, 18), "A3.1.2": None},
    "CIV": {"A1.2.1": dt.date(2022, 3, 3), "A1.2.2": dt.date(2022, 4, 26), "A2.1.3": dt.date(2022, 5, 9),
            "A3.1.1": dt.date(2022, 12, 6), "A3.1.2": dt.date(2023, 1, 26)},
    "GIN": {"A1.2.1": dt.date(2022, 10, 20), "A1.2.2": dt.date(2022, 12, 8), "A2.1.3": dt.date(2023, 1, 16),
            "A3.1.1": None, "A3.1.2": None},
    "CMR": {"A1.2.1": dt.date(2022, 4, 7), "A1.2.2": dt.date(2022, 6, 14), "A2.1.3": dt.date(2022, 7, 4),
            "A3.1.1": dt.date(2023, 3, 28), "A3.1.2": dt.date(2023, 5, 25)},
}
#: Number of national training sessions (A2.1.3) held per country (target: 6).
P1_TRAININGS = {"SEN": 7, "CIV": 6, "TUN": 6, "MAR": 6, "CMR": 5, "MLI": 4, "GIN": 3}
#: People trained per country (the computed indicator "participants formés" counts them).
P1_TRAINEES = {"SEN": 58, "CIV": 52, "TUN": 48, "MAR": 45, "CMR": 40, "MLI": 33, "GIN": 22}
TRAINING_MODULES = (
    ("Plaidoyer et dialogue avec les autorités", "plaidoyer"),
    ("Suivi des politiques migratoires nationales", "suivi des politiques publiques"),
    ("Droits des personnes migrantes et accès aux services", "droits des migrants"),
    ("Gestion associative et montage de projets", "renforcement organisationnel"),
    ("Migration et développement local", "migration et développement"),
    ("Protection des personnes migrantes vulnérables", "droits des migrants"),
    ("Genre et migration", "genre"),
)


@dataclass
class _Pools:
    """The participants of one country in programme 1."""

    trainees: list[Person]  # follow the national training path; the first three sit on the committee
    public: list[Person]  # other members of the country's organisations
    officials: list[Person]  # staff of public and local authorities

    @property
    def committee(self) -> list[Person]:
        return self.trainees[:3]


def _p1_pools(orgs: dict[str, list[Org]]) -> dict[str, _Pools]:
    pools = {}
    for iso3 in P1_COUNTRIES:
        csos = [o for o in orgs[iso3] if not o.is_authority and o.type != "international_organisation"]
        cohort = csos[:TRAINING_COHORT[iso3]]
        authorities = [o for o in orgs[iso3] if o.is_authority]
        pools[iso3] = _Pools(
            trainees=make_people(P1, f"{iso3}-trainees", P1_TRAINEES[iso3], cohort, unaffiliated=0),
            public=make_people(P1, f"{iso3}-public", 40, csos, unaffiliated=0.08),
            officials=make_people(P1, f"{iso3}-officials", 6, authorities, unaffiliated=0),
        )
    return pools


def _sample(rng: random.Random, people: Sequence[Person], count: int) -> list[Person]:
    return rng.sample(list(people), min(count, len(people)))


def p1_sessions(wb: _Workbook, orgs: dict[str, list[Org]]) -> list[Session]:
    """The sessions of PCRPM-C2 with their attendance, as planned in :data:`P1_CALENDAR`."""
    rng = _rng("sessions", P1)
    pools = _p1_pools(orgs)
    sessions: list[Session] = []
    numbers: dict[str, int] = {}

    def session(logframe, title, kind, country, place, start, days, hours, theme, people,
                coordinates=True) -> Session:
        prefix = country or "REG"
        numbers[prefix] = numbers.get(prefix, 0) + 1
        code = f"C2-{prefix}-{numbers[prefix]:03d}"
        s = add_session(wb, P1, code, logframe, title, kind, country, place, start, days, hours, theme,
                        coordinates)
        add_attendance(wb, code, people)
        sessions.append(s)
        return s

    for iso3 in P1_COUNTRIES:
        country, pool, dates = COUNTRIES[iso3], pools[iso3], P1_CALENDAR[iso3]
        session("A1.2.1", f"Atelier national de restitution de la cartographie — {country.name}", "workshop",
                iso3, country.capital, dates["A1.2.1"], 1, 7, "cartographie des acteurs",
                _sample(rng, pool.trainees, 10) + _sample(rng, pool.public, 14) + _sample(rng, pool.officials, 3))
        session("A1.2.2", f"Élaboration du programme de travail national — {country.name}", "workshop",
                iso3, country.capital, dates["A1.2.2"], 2, 12, "programmation",
                pool.committee + _sample(rng, pool.trainees[3:], 8) + _sample(rng, pool.officials, 1))
        # National training path: every trainee attends at least one module, most several.
        count = P1_TRAININGS[iso3]
        first = dates["A2.1.3"]
        step = (dt.date(2023, 6, 15) - first).days // max(count - 1, 1)
        attendees: list[list[Person]] = [[] for _ in range(count)]
        for n, person in enumerate(rng.sample(pool.trainees, len(pool.trainees))):
            attendees[n % count].append(person)
        for n in range(count):
            attendees[n] += [p for p in pool.trainees if p not in attendees[n] and rng.random() < 0.4]
            module, theme = TRAINING_MODULES[n % len(TRAINING_MODULES)]
            place = country.capital if n % 3 != 2 else country.places[1 + n % (len(country.places) - 1)]
            days = 3 if n % 2 == 0 else 2
            session("A2.1.3", f"Parcours de formation national — module {n + 1} : {module}", "training",
                    iso3, place, first + dt.timedelta(days=n * step), days, 6 * days, theme,
                    sorted(attendees[n], key=lambda p: p.key), coordinates=n != 4)
        if dates["A3.1.1"]:
            session("A3.1.1", f"Atelier national de dialogue OSC/autorités — {country.name}", "workshop",
                    iso3, country.capital, dates["A3.1.1"], 1, 7, "dialogue OSC/autorités",
                    _sample(rng, pool.trainees, 8) + _sample(rng, pool.public, 10) + _sample(rng, pool.officials, 5))
        if dates["A3.1.2"]:
            session("A3.1.2", f"Analyse conjointe des indicateurs de la composante 1 — {country.name}",
                    "workshop", iso3, country.capital, dates["A3.1.2"], 1, 4, "suivi des politiques publiques",
                    pool.committee + _sample(rng, pool.trainees[3:], 4) + _sample(rng, pool.officials, 2))

    everyone = [p for iso3 in P1_COUNTRIES for p in pools[iso3].trainees + pools[iso3].public]
    committees = [p for iso3 in P1_COUNTRIES for p in pools[iso3].committee]

    def guests(countries: Iterable[str], count: int) -> list[Person]:
        return [p for iso3 in countries for p in _sample(rng, pools[iso3].trainees, count)]

    # Regional technical trainings for the national steering committees (A2.1.1).
    session("A2.1.1", "Formation régionale technique n°1 — Outils de suivi des politiques migratoires",
            "training", None, COUNTRIES["SEN"].capital, dt.date(2022, 5, 16), 3, 21,
            "suivi des politiques publiques", committees + guests(P1_COUNTRIES, 1))
    session("A2.1.1", "Formation régionale technique n°2 — Plaidoyer et dialogue avec les autorités",
            "training", None, COUNTRIES["TUN"].capital, dt.date(2023, 2, 20), 3, 21, "plaidoyer",
            committees + guests(P1_COUNTRIES, 1))
    # Field visits (A2.1.2): host organisations plus guests from other countries.
    for iso3, city, start, title, visitors in (
            ("MAR", "Oujda", dt.date(2022, 10, 11), "accueil et accompagnement des migrants à Oujda",
             ("SEN", "MLI", "TUN")),
            ("MLI", "Kayes", dt.date(2023, 1, 24), "migrations et développement local dans la région de Kayes",
             ("SEN", "GIN", "CIV", "MAR")),
            ("TUN", "Sfax", dt.date(2023, 4, 18), "coopération entre municipalité et OSC à Sfax",
             ("MAR", "CMR", "CIV"))):
        session("A2.1.2", f"Visite de terrain — {title}", "field_visit", iso3, COUNTRIES[iso3].place(city),
                start, 3, 20, "échanges de pratiques",
                _sample(rng, pools[iso3].trainees, 6) + _sample(rng, pools[iso3].officials, 2) + guests(visitors, 2))
    # Exchanges of professionals (A2.2.1): a delegation visits the host country's organisations.
    for host, guest, start in (("CIV", "SEN", dt.date(2022, 11, 14)), ("TUN", "MAR", dt.date(2023, 3, 6))):
        session("A2.2.1", f"Échange de professionnels {COUNTRIES[guest].name}–{COUNTRIES[host].name}",
                "exchange", host, COUNTRIES[host].capital, start, 5, 30, "échanges de pratiques",
                guests([guest], 6) + guests([host], 6))
    # Teaching material presented online (A2.1.5).
    for start, title in ((dt.date(2022, 9, 22), "présentation du guide du plaidoyer"),
                         (dt.date(2022, 12, 15), "fiches pratiques sur les droits des migrants"),
                         (dt.date(2023, 4, 6), "kit de suivi des politiques migratoires")):
        session("A2.1.5", f"Webinaire — {title}", "webinar", None, None, start, 1, 2, "matériel didactique",
                _sample(rng, everyone, rng.randint(38, 60)))
    session("A2.2.2", "Atelier régional — échanges de pratiques sur le suivi des politiques publiques",
            "workshop", None, COUNTRIES["CIV"].capital, dt.date(2023, 5, 9), 2, 14,
            "suivi des politiques publiques",
            committees + [p for iso3 in P1_COUNTRIES for p in _sample(rng, pools[iso3].officials, 1)])
    session("A3.2.2", "Mission de plaidoyer auprès de la Commission de la CEDEAO", "other", None, ABUJA,
            dt.date(2023, 5, 22), 3, 0, "plaidoyer",
            [pools[iso3].committee[0] for iso3 in ("SEN", "MLI", "CIV", "GIN", "TUN", "MAR")])
    session("A3.3.1", "Webinaire — premiers enseignements de la capitalisation", "webinar", None, None,
            dt.date(2023, 6, 22), 1, 2.5, "capitalisation", _sample(rng, everyone, 34))
    return sessions


# --------------------------------------------------------------------------------------------
# Indicators, targets, measurements
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Indicator:
    code: str
    logframe: str
    label: str
    #: Cumulative milestones ``(period_end, target)``, the same for every country of
    #: ``countries``; or a dict country -> milestones when they differ between countries.
    targets: tuple[tuple[dt.date, float], ...] | dict[str, tuple[tuple[dt.date, float], ...]]
    countries: tuple[str, ...] = ()  # () = one regional target series (blank country)
    unit: str = "count"
    direction: str = "increase"
    aggregation: str = "sum"
    baseline: float = 0
    computed_from: str | None = None


def add_indicators(wb: _Workbook, programme: str, indicators: Iterable[Indicator]) -> None:
    """The indicator rows and their targets (per country, or one regional series)."""
    for ind in indicators:
        wb.add("indicators", programme_code=programme, code=ind.code, logframe_code=ind.logframe,
               label=ind.label, unit=ind.unit, direction=ind.direction, aggregation=ind.aggregation,
               baseline=ind.baseline, computed_from=ind.computed_from)
        series = ind.targets if isinstance(ind.targets, dict) else {
            country: ind.targets for country in ind.countries or (None,)}
        for country, milestones in series.items():
            for period_end, target in milestones:
                wb.add("targets", programme_code=programme, indicator_code=ind.code, country_iso3=country,
                       period_end=period_end, target=target)


def add_measurements(wb: _Workbook, programme: str, indicator: str, country: str | None,
                     values: Iterable[tuple[dt.date, float]], source: str,
                     comments: dict[dt.date, str] | None = None) -> None:
    for period_end, value in values:
        wb.add("measurements", programme_code=programme, indicator_code=indicator, country_iso3=country,
               period_end=period_end, value=value, source=source,
               comment=(comments or {}).get(period_end))


def _event_series(first: dt.date, done: dt.date | None, last: dt.date) -> list[tuple[dt.date, int]]:
    """Quarterly reports of a one-off achievement: 0 each quarter until the quarter of ``done``
    (then 1, and the indicator is no longer reported); 0 up to ``last`` if it never happened."""
    out = []
    for quarter in quarter_ends(first, last):
        if done and quarter >= quarter_end_of(done):
            return out + [(quarter, 1)]
        out.append((quarter, 0))
    return out


def _counts_series(first: dt.date, last: dt.date, events: Iterable[dt.date]) -> list[tuple[dt.date, int]]:
    """Quarterly reports of a count: the number of ``events`` in each quarter (0 included)."""
    events = list(events)
    return [(q, sum(1 for e in events if quarter_end_of(e) == q)) for q in quarter_ends(first, last)]


D = dt.date  # short alias for the milestone tables below

P1_INDICATORS = (
    Indicator("I-OG", "OG", "Nombre de recommandations de la société civile reprises dans les politiques "
              "ou plans d'action migratoires nationaux", ((D(2022, 12, 31), 1), (D(2023, 6, 30), 2)),
              P1_COUNTRIES),
    Indicator("I-A1.1.1", "A1.1.1", "Nombre de cartographies pays des acteurs de la société civile réalisées "
              "et validées", ((D(2022, 3, 31), 1),), P1_COUNTRIES),
    Indicator("I-A1.2.1", "A1.2.1", "Nombre d'ateliers nationaux de restitution de la cartographie",
              ((D(2022, 6, 30), 1),), P1_COUNTRIES),
    Indicator("I-A1.2.2", "A1.2.2", "Nombre de programmes de travail nationaux adoptés par les comités "
              "nationaux", ((D(2022, 9, 30), 1),), P1_COUNTRIES),
    Indicator("I-A2.1.1", "A2.1.1", "Nombre de formations régionales techniques réalisées",
              ((D(2022, 6, 30), 1), (D(2023, 6, 30), 2)), computed_from="sessions"),
    Indicator("I-A2.1.2", "A2.1.2", "Nombre de visites de terrain – échanges de pratiques réalisées",
              ((D(2022, 12, 31), 2), (D(2023, 6, 30), 3)), computed_from="sessions"),
    Indicator("I-A2.1.3-OSC", "A2.1.3", "Nombre d'OSC formées dans les parcours nationaux",
              ((D(2022, 6, 30), 5), (D(2023, 6, 30), 15)), P1_COUNTRIES, computed_from="organisations"),
    Indicator("I-A2.1.3-SES", "A2.1.3", "Nombre de sessions de formation nationales réalisées",
              ((D(2022, 6, 30), 2), (D(2023, 6, 30), 6)), P1_COUNTRIES, computed_from="sessions"),
    Indicator("I-A2.1.5", "A2.1.5", "Nombre de supports didactiques produits",
              ((D(2022, 12, 31), 3), (D(2023, 6, 30), 6))),
    Indicator("I-A2.2.1", "A2.2.1", "Nombre d'échanges de professionnels entre OSC réalisés",
              ((D(2023, 6, 30), 2),), computed_from="sessions"),
    Indicator("I-R2.1", "R2.1", "Nombre de participants formés (personnes distinctes)",
              ((D(2022, 6, 30), 15), (D(2023, 6, 30), 50)), P1_COUNTRIES, computed_from="participants"),
    Indicator("I-OS2", "OS2", "% d'OSC du comité national satisfaites de l'accompagnement",
              ((D(2022, 6, 30), 50), (D(2023, 6, 30), 80)), P1_COUNTRIES, unit="percent",
              aggregation="latest"),
    Indicator("I-A3.1.1", "A3.1.1", "Nombre d'ateliers nationaux de dialogue OSC/autorités organisés",
              ((D(2023, 3, 31), 1),), P1_COUNTRIES),
    Indicator("I-R3.1", "R3.1", "Délai moyen de réponse des autorités aux sollicitations des OSC (jours)",
              ((D(2022, 6, 30), 70), (D(2023, 6, 30), 45)), P1_COUNTRIES, unit="other",
              direction="decrease", aggregation="latest", baseline=90),
    Indicator("I-A3.1.3", "A3.1.3", "Nombre d'actions pilotes soutenues",
              ((D(2022, 12, 31), 3), (D(2023, 6, 30), 7))),
    Indicator("I-A3.2.1", "A3.2.1", "Nombre de concertations régionales de la Composante 1 avec "
              "participation des OSC", ((D(2022, 6, 30), 2), (D(2023, 6, 30), 4))),
    Indicator("I-A3.2.2", "A3.2.2", "Nombre de missions de plaidoyer auprès d'une institution régionale",
              ((D(2023, 6, 30), 1),)),
    Indicator("I-A3.3.1", "A3.3.1", "Démarche de capitalisation finalisée et publiée",
              ((D(2023, 6, 30), 1),)),
)

#: Quarter in which each country's cartography was validated (I-A1.1.1).
P1_CARTOGRAPHY_DONE = {"SEN": D(2021, 12, 31), "TUN": D(2022, 3, 31), "MAR": D(2022, 3, 31),
                       "CIV": D(2022, 3, 31), "CMR": D(2022, 3, 31), "MLI": D(2022, 6, 30),
                       "GIN": D(2022, 9, 30)}
#: Quarters in which recommendations were taken up (I-OG), one date per recommendation.
P1_RECOMMENDATIONS = {"SEN": (D(2022, 9, 30), D(2023, 3, 31), D(2023, 6, 30)),
                      "CIV": (D(2022, 12, 31), D(2023, 6, 30)), "TUN": (D(2023, 3, 31), D(2023, 6, 30)),
                      "MAR": (D(2023, 3, 31), D(2023, 6, 30)), "CMR": (D(2023, 6, 30),),
                      "MLI": (D(2023, 6, 30),), "GIN": ()}
#: Final satisfaction (I-OS2, %) and response time (I-R3.1, days) per country. Cameroon never
#: reported the response time: its row is "non reporting".
P1_SATISFACTION = {"SEN": 88, "CIV": 84, "TUN": 79, "MAR": 76, "CMR": 70, "MLI": 62, "GIN": 55}
P1_RESPONSE_DAYS = {"SEN": 40, "CIV": 42, "TUN": 48, "MAR": 52, "MLI": 68, "GIN": 80}

SRC_NATIONAL = "Rapport trimestriel du comité national"
SRC_REGIONAL = "Rapport de la coordination régionale"


def p1_results(wb: _Workbook, sessions: list[Session]) -> None:
    """Indicators, targets and measurements of PCRPM-C2. Computed indicators get no measurement;
    the one-off national indicators follow the sessions actually held."""
    add_indicators(wb, P1, P1_INDICATORS)
    rng = _rng("measurements", P1)
    first_quarter, last_quarter = D(2021, 12, 31), P1_END

    def held(logframe: str, iso3: str) -> dt.date | None:
        return next((s.start for s in sessions if s.logframe == logframe and s.country == iso3), None)

    for iso3 in P1_COUNTRIES:
        add_measurements(wb, P1, "I-OG", iso3, _counts_series(D(2022, 6, 30), last_quarter,
                                                              P1_RECOMMENDATIONS[iso3]), SRC_NATIONAL,
                         {last_quarter: "Aucune recommandation reprise à ce jour"} if iso3 == "GIN" else None)
        add_measurements(wb, P1, "I-A1.1.1", iso3,
                         _event_series(first_quarter, P1_CARTOGRAPHY_DONE[iso3], last_quarter),
                         "Cartographie validée par le comité national",
                         {P1_CARTOGRAPHY_DONE[iso3]: "Validée après l'atelier de restitution"}
                         if iso3 == "MLI" else None)
        add_measurements(wb, P1, "I-A1.2.1", iso3, _event_series(first_quarter, held("A1.2.1", iso3), last_quarter),
                         "Liste de présence et compte rendu d'atelier")
        add_measurements(wb, P1, "I-A1.2.2", iso3, _event_series(first_quarter, held("A1.2.2", iso3), last_quarter),
                         "Programme de travail signé")
        dialogue = held("A3.1.1", iso3)
        add_measurements(wb, P1, "I-A3.1.1", iso3, _event_series(D(2022, 6, 30), dialogue, last_quarter),
                         "Liste de présence et compte rendu d'atelier",
                         None if dialogue else {last_quarter: "Atelier reporté : autorités indisponibles "
                                                              "pendant la transition politique"})
        # Satisfaction survey every semester (Guinea's first one only at the end of 2022).
        final = P1_SATISFACTION[iso3]
        surveys = [(D(2022, 6, 30), 0.62), (D(2022, 12, 31), 0.82), (D(2023, 6, 30), 1.0)]
        add_measurements(wb, P1, "I-OS2", iso3,
                         [(day, round(final * share * rng.uniform(0.97, 1.03))) for day, share in surveys
                          if not (iso3 == "GIN" and day == D(2022, 6, 30))],
                         "Enquête de satisfaction semestrielle")
        if iso3 in P1_RESPONSE_DAYS:
            quarters = quarter_ends(D(2022, 3, 31), last_quarter)
            final = P1_RESPONSE_DAYS[iso3]
            values = [(q, round(90 + (final - 90) * (n + 1) / len(quarters) + rng.uniform(-3, 3)))
                      for n, q in enumerate(quarters[:-1])] + [(quarters[-1], final)]
            add_measurements(wb, P1, "I-R3.1", iso3, values, "Registre des sollicitations adressées aux autorités")

    add_measurements(wb, P1, "I-A2.1.5", None, [(D(2022, 6, 30), 1), (D(2022, 9, 30), 1), (D(2022, 12, 31), 2),
                                               (D(2023, 3, 31), 1), (D(2023, 6, 30), 1)], SRC_REGIONAL)
    add_measurements(wb, P1, "I-A3.1.3", None, [(D(2022, 9, 30), 1), (D(2022, 12, 31), 1), (D(2023, 3, 31), 2),
                                               (D(2023, 6, 30), 1)], SRC_REGIONAL,
                     {D(2023, 6, 30): "Deux actions pilotes reportées faute de partenaire public"})
    add_measurements(wb, P1, "I-A3.2.1", None, [(D(2021, 12, 31), 1), (D(2022, 6, 30), 1), (D(2022, 12, 31), 1),
                                               (D(2023, 6, 30), 1)], "Comptes rendus des concertations régionales")
    add_measurements(wb, P1, "I-A3.2.2", None, [(D(2023, 6, 30), 1)], "Compte rendu de mission")
    add_measurements(wb, P1, "I-A3.3.1", None, [(D(2023, 6, 30), 0)], SRC_REGIONAL,
                     {D(2023, 6, 30): "Publication de la capitalisation reportée à septembre 2023"})


# --------------------------------------------------------------------------------------------
# Programme 1 (PCRPM-C2): funding, budget, expenditures
# --------------------------------------------------------------------------------------------

P1_MAIN_GRANT = "EF-PCRPM-C2-2021"
P1_GRDR_GRANT = "GRDR-COFI-PCRPM-2021"

#: Regional and headquarters lines (EUR): code, category, logframe node, label, amount, spend.
P1_REGIONAL_LINES = (
    ("REG-PER-01", "personnel", None, "Coordination régionale du programme (FORIM)", 255_000, 0.97),
    ("REG-PER-02", "personnel", None, "Chargé·e de suivi-évaluation et de capitalisation", 95_000, 0.95),
    ("REG-TRV-01", "travel", None, "Missions de suivi du comité de pilotage", 60_000, 1.09),
    ("REG-ACT-A211", "activities", "A2.1.1", "Formations régionales techniques", 90_000, 0.94),
    ("REG-ACT-A212", "activities", "A2.1.2", "Visites de terrain – échanges de pratiques", 75_000, 0.96),
    ("REG-ACT-A221", "activities", "A2.2.1", "Échanges de professionnels entre OSC", 32_000, 0.90),
    ("REG-ACT-A222", "activities", "A2.2.2", "Atelier régional sur le suivi des politiques publiques", 35_000, 0.92),
    ("REG-SRV-A215", "services", "A2.1.5", "Production de matériel didactique", 25_000, 0.98),
    ("REG-ACT-A313", "activities", "A3.1.3", "Fonds d'appui aux actions pilotes", 80_000, 0.72),
    ("REG-TRV-A321", "travel", "A3.2.1", "Participation aux concertations régionales de la Composante 1",
     30_000, 0.80),
    ("REG-TRV-A322", "travel", "A3.2.2", "Mission de plaidoyer auprès de la CEDEAO", 15_000, 0.95),
    ("REG-SRV-A331", "services", "A3.3.1", "Capitalisation des expériences du projet", 25_000, 0.45),
    ("REG-SRV-01", "services", None, "Audit financier et évaluation finale", 30_000, 0.85),
    ("REG-EQP-01", "equipment", None, "Matériel informatique et de visioconférence", 12_000, 0.97),
    ("REG-OVH-01", "overheads", None, "Frais de gestion de la coordination (7 %)", 95_000, 0.97),
)
#: Lines of every country (local currency): code suffix, category, node, label, EUR amount.
P1_COUNTRY_LINES = (
    ("PER-01", "personnel", None, "Point focal national (temps partiel)", 24_000),
    ("ACT-A111", "activities", "A1.1.1", "Cartographie des acteurs (revue documentaire et entretiens)", 8_000),
    ("ACT-A121", "activities", "A1.2.1", "Atelier national de restitution de la cartographie", 4_500),
    ("ACT-A122", "activities", "A1.2.2", "Atelier d'élaboration du programme de travail", 3_500),
    ("ACT-A213", "activities", "A2.1.3", "Parcours de formation national", 22_000),
    ("ACT-A311", "activities", "A3.1.1", "Atelier national de dialogue OSC/autorités", 5_000),
    ("TRV-01", "travel", None, "Déplacements nationaux du comité", 5_000),
    ("OVH-01", "overheads", None, "Fonctionnement du comité national", 4_000),
)
#: Share of the budget each country spent: Senegal on plan, Guinea far behind.
P1_COUNTRY_SPEND = {"SEN": 0.98, "CIV": 0.96, "TUN": 0.95, "MAR": 0.93, "CMR": 0.88, "MLI": 0.80, "GIN": 0.62}
#: Exceptions: Senegal held a seventh training module (overspent line); Guinea could not hold
#: its dialogue workshop (only preparation costs).
P1_SPEND_OVERRIDES = {"SEN-ACT-A213": 1.14, "GIN-ACT-A311": 0.08}


def _p1_lines(sessions: list[Session]) -> list[Line]:
    lines = [Line(code, None, category, label, amount, logframe, spend, staff=3 if code == "REG-PER-01" else 1,
                  first=D(2021, 11, 1) if code == "REG-PER-02" else
                  D(2022, 9, 1) if code == "REG-SRV-A331" else
                  D(2023, 1, 1) if code == "REG-SRV-01" else None)
             for code, category, logframe, label, amount, spend in P1_REGIONAL_LINES]
    for iso3 in P1_COUNTRIES:
        for suffix, category, logframe, label, amount in P1_COUNTRY_LINES:
            code = f"{iso3}-{suffix}"
            line = Line(code, iso3, category, label, amount, logframe,
                        P1_SPEND_OVERRIDES.get(code, P1_COUNTRY_SPEND[iso3]))
            if suffix == "PER-01":
                line.first = D(2021, 11, 1)  # focal points hired after the launch
            if suffix == "ACT-A111":
                line.first, line.until = D(2021, 10, 1), P1_CARTOGRAPHY_DONE[iso3]
            if suffix == "ACT-A311" and P1_CALENDAR[iso3]["A3.1.1"] is None:
                line.first, line.until = D(2022, 11, 1), D(2023, 2, 28)
            lines.append(line)
    grdr = {"REG-ACT-A212", "MAR-ACT-A213", "MLI-ACT-A213"}  # co-financed by the GRDR
    for line in lines:
        if line.code in grdr:
            line.grant = P1_GRDR_GRANT
        if line.category in ("activities", "travel") and line.logframe:
            line.events = [(s.start, s.title) for s in sessions
                           if s.logframe == line.logframe and (line.country is None or s.country == line.country)]
    return lines


def p1_finance(wb: _Workbook, rates: Rates, sessions: list[Session]) -> float:
    """Funders, grants, receipts, budget lines and expenditures of PCRPM-C2; returns the budget
    in EUR."""
    lines = _p1_lines(sessions)
    budget_eur = add_budget_lines(wb, P1, lines, rates, P1_START)

    main_amount = _round_to(0.85 * budget_eur, 1000)  # about 85 % of the budget
    grants = (
        dict(code=P1_MAIN_GRANT, funder_code="EF", status="signed", amount=main_amount,
             signed_date=D(2021, 8, 24), start_date=P1_START, end_date=P1_END),
        dict(code=P1_GRDR_GRANT, funder_code="GRDR", status="signed", amount=120_000,
             signed_date=D(2021, 9, 15), start_date=P1_START, end_date=P1_END),
        dict(code="FORIM-VAL-PCRPM-2021", funder_code="FORIM", status="signed", amount=70_000,
             signed_date=D(2021, 9, 1), start_date=P1_START, end_date=P1_END, in_kind=True),
        dict(code="FDF-2022-MIG-031", funder_code="FDF", status="rejected", amount=60_000,
             start_date=D(2022, 6, 1), end_date=P1_END),
        dict(code="OIF-2023-CAPI", funder_code="OIF", status="prospect", amount=50_000, probability=0.2,
             start_date=D(2023, 9, 1), end_date=D(2024, 8, 31)),
        dict(code="MEAE-FSPI-2023-PCRPM", funder_code="MEAE", status="submitted", amount=80_000,
             probability=0.6, start_date=D(2023, 7, 1), end_date=D(2024, 6, 30)),
    )
    for grant in grants:
        wb.add("grants", programme_code=P1, currency="EUR", in_kind=grant.pop("in_kind", False), **grant)
    # Tranches of 40 % / 40 % / 20 %, the last one paid after the final report.
    tranches = _split(main_amount, [40, 40, 20], "EUR")
    for day, amount in zip((D(2021, 9, 28), D(2022, 7, 19), D(2023, 10, 24)), tranches):
        wb.add("receipts", grant_code=P1_MAIN_GRANT, date=day, reference=f"VIR-EF-{day:%Y%m%d}",
               amount=amount, currency="EUR")
    for day in (D(2021, 10, 15), D(2022, 11, 8)):
        wb.add("receipts", grant_code=P1_GRDR_GRANT, date=day, reference=f"VIR-GRDR-{day:%Y%m%d}",
               amount=60_000, currency="EUR")

    rows = [row for line in lines
            for row in plan_expenditures(P1, line, P1_START, P1_END, 1.0, rates, P1_MAIN_GRANT)]
    rows += _p1_corrections(rows)
    add_expenditures(wb, "PCRPM", rows)
    return budget_eur


def _p1_corrections(rows: list[dict]) -> list[dict]:
    """A supplier's credit note and a reclassification between two lines: the negative amounts
    the contract allows in expenditures."""
    venue = next(r for r in rows if r["budget_line_code"] == "CIV-ACT-A121"
                 and r["description"].startswith("Location de salle"))
    ticket = next(r for r in rows if r["budget_line_code"] == "REG-TRV-01"
                  and r["description"].startswith("Billet d'avion") and r["date"] >= D(2022, 11, 1))
    credit = money(-0.15 * venue["amount"], venue["currency"])
    moved_on = min(ticket["date"] + dt.timedelta(days=30), P1_END)
    return [
        dict(venue, date=venue["date"] + dt.timedelta(days=21), amount=credit,
             description="Avoir fournisseur — remboursement partiel de la location de salle"),
        dict(ticket, date=moved_on, amount=-ticket["amount"],
             description="Correction d'imputation — billet reclassé vers REG-TRV-A321"),
        dict(ticket, date=moved_on, amount=ticket["amount"], budget_line_code="REG-TRV-A321",
             description="Correction d'imputation — billet reclassé depuis REG-TRV-01"),
    ]


# --------------------------------------------------------------------------------------------
# Programme 2 (LT-PAIRS): ongoing peer learning and local advocacy
# --------------------------------------------------------------------------------------------

P2_LOGFRAME = (
    ("OG", None, "Renforcer la défense des droits des personnes migrantes par la coopération entre "
     "sociétés civiles et collectivités locales des deux rives de la Méditerranée"),
    ("OS1", "OG", "Développer l'apprentissage entre pairs entre organisations de la société civile et "
     "collectivités locales"),
    ("OS2", "OG", "Porter un plaidoyer local fondé sur les expériences de terrain des membres du collectif"),
    ("R1.1", "OS1", "Des échanges réguliers entre pairs renforcent les pratiques d'accueil et "
     "d'accompagnement des personnes migrantes"),
    ("R1.2", "OS1", "Des coopérations de territoire à territoire (Lille–Kayes, Sfax) associant OSC et "
     "collectivités sont structurées"),
    ("R2.1", "OS2", "Des propositions de plaidoyer communes sont portées auprès des autorités locales et "
     "nationales"),
    ("A1.1.1", "R1.1", "Ateliers d'apprentissage entre pairs villes–OSC",
     "Sur le modèle de l'activité sous-régionale d'apprentissage entre pairs de Sfax (MC2CM, juin 2019)."),
    ("A1.1.2", "R1.1", "Webinaires thématiques du collectif"),
    ("A1.2.1", "R1.2", "Échanges de pratiques Lille–Kayes : les migrants, acteurs de l'économie sociale "
     "et solidaire"),
    ("A1.2.2", "R1.2", "Visites de terrain croisées entre territoires"),
    ("A2.1.1", "R2.1", "Rédaction et diffusion de notes de plaidoyer locales"),
    ("A2.1.2", "R2.1", "Rencontres de dialogue avec les municipalités et les autorités"),
)

_YEAR_ENDS = (D(2024, 12, 31), D(2025, 12, 31), D(2026, 12, 31), D(2027, 6, 30))


def _p2_indicators() -> tuple[Indicator, ...]:
    participants = {"TUN": (20, 45, 65, 75), "MLI": (15, 35, 55, 65), "SEN": (10, 30, 45, 55),
                    "FRA": (15, 35, 50, 60)}
    return (
        Indicator("LT-I1", "OS1", "Nombre de participants aux échanges entre pairs (personnes distinctes)",
                  {iso3: tuple(zip(_YEAR_ENDS, participants[iso3])) for iso3 in P2_COUNTRIES},
                  computed_from="participants"),
        Indicator("LT-I2", "A1.1.1", "Nombre d'ateliers d'apprentissage entre pairs réalisés",
                  tuple(zip(_YEAR_ENDS, (1, 3, 5, 6))), computed_from="sessions"),
        Indicator("LT-I3", "R1.2", "Nombre de collectivités locales engagées dans une coopération formalisée "
                  "avec les OSC", tuple(zip(_YEAR_ENDS[1:], (1, 2, 3))), P2_COUNTRIES),
        Indicator("LT-I4", "A2.1.1", "Nombre de notes de plaidoyer publiées",
                  tuple(zip(_YEAR_ENDS, (1, 3, 5, 6)))),
        Indicator("LT-I5", "R2.1", "% des propositions de plaidoyer examinées par les autorités locales",
                  tuple(zip(_YEAR_ENDS[1:], (25, 40, 50))), P2_COUNTRIES, unit="percent",
                  aggregation="latest", baseline=10),
    )


def p2_results(wb: _Workbook) -> None:
    """Indicators, targets and measurements of LT-PAIRS, reported up to September 2026."""
    add_indicators(wb, P2, _p2_indicators())
    last = D(2026, 9, 30)  # last closed quarter before LT_DATA_UNTIL
    cooperations = {"TUN": (D(2024, 9, 30), D(2026, 6, 30)), "MLI": (D(2025, 3, 31),),
                    "SEN": (), "FRA": (D(2024, 12, 31), D(2025, 12, 31))}
    for iso3 in P2_COUNTRIES:
        add_measurements(wb, P2, "LT-I3", iso3, _counts_series(D(2024, 3, 31), last, cooperations[iso3]),
                         "Conventions signées entre collectivités et OSC",
                         {last: "Convention avec la ville de Ziguinchor en négociation"} if iso3 == "SEN" else None)
    semesters = (D(2024, 6, 30), D(2024, 12, 31), D(2025, 6, 30), D(2025, 12, 31), D(2026, 6, 30))
    shares = {"TUN": (12, 18, 24, 30, 36), "MLI": (10, 12, 15, 20, 22), "SEN": (10, 15, 22, 28, 33),
              "FRA": (15, 20, 28, 35, 41)}
    for iso3 in P2_COUNTRIES:
        add_measurements(wb, P2, "LT-I5", iso3, zip(semesters, shares[iso3]),
                         "Suivi des propositions de plaidoyer du collectif")
    add_measurements(wb, P2, "LT-I4", None, [(D(2024, 12, 31), 1), (D(2025, 6, 30), 1), (D(2025, 12, 31), 1),
                                            (D(2026, 6, 30), 1), (D(2026, 9, 30), 1)], "Notes publiées en ligne")


def p2_sessions(wb: _Workbook, orgs: dict[str, list[Org]]) -> list[Session]:
    """The sessions of LT-PAIRS held so far (the last one in September 2026), with attendance."""
    rng = _rng("sessions", P2)
    members = {iso3: make_people(P2, f"{iso3}-members", count,
                                 [o for o in orgs[iso3] if not o.is_authority], unaffiliated=0.06)
               for iso3, count in (("TUN", 55), ("MLI", 45), ("SEN", 40), ("FRA", 45))}
    officials = {iso3: make_people(P2, f"{iso3}-officials", 5, [o for o in orgs[iso3] if o.is_authority],
                                   unaffiliated=0) for iso3 in P2_COUNTRIES}
    sessions: list[Session] = []
    numbers: dict[str, int] = {}

    def session(logframe, title, kind, iso3, city, start, days, hours, theme, people) -> None:
        prefix = iso3 or "REG"
        numbers[prefix] = numbers.get(prefix, 0) + 1
        code = f"LT-{prefix}-{numbers[prefix]:03d}"
        place = COUNTRIES[iso3].place(city) if iso3 and city else None
        sessions.append(add_session(wb, P2, code, logframe, title, kind, iso3, place, start, days, hours, theme))
        add_attendance(wb, code, people)

    def guests(hosts: str, count: int) -> list[Person]:
        return [p for iso3 in P2_COUNTRIES if iso3 != hosts for p in _sample(rng, members[iso3], count)]

    for iso3, city, start, title, theme in (
            ("TUN", "Sfax", D(2024, 6, 25), "Bâtir la confiance entre municipalités et OSC",
             "gouvernance locale des migrations"),
            ("SEN", "Dakar", D(2025, 5, 20), "Accès des personnes migrantes aux services de base",
             "droits des migrants"),
            ("MLI", "Bamako", D(2025, 11, 18), "Des données locales pour des politiques locales",
             "suivi des politiques publiques"),
            ("TUN", "Tunis", D(2026, 4, 14), "Protection des personnes migrantes vulnérables", "droits des migrants"),
            ("FRA", "Lille", D(2026, 6, 9), "Coopérer entre villes des deux rives", "coopération décentralisée")):
        session("A1.1.1", f"Atelier d'apprentissage entre pairs — {title}", "workshop", iso3, city, start, 2, 12,
                theme, _sample(rng, members[iso3], rng.randint(14, 20)) + guests(iso3, 3)
                + _sample(rng, officials[iso3], 2))
    everyone = [p for group in members.values() for p in group]
    for start, title in ((D(2024, 3, 21), "lancement du programme"), (D(2024, 9, 19), "l'accueil dans les villes"),
                         (D(2025, 2, 13), "l'accès au droit au séjour"),
                         (D(2025, 9, 25), "économie sociale et migrations"),
                         (D(2026, 2, 19), "les données locales"), (D(2026, 9, 24), "préparer le plaidoyer 2027")):
        session("A1.1.2", f"Webinaire du collectif — {title}", "webinar", None, None, start, 1, 2,
                "échanges de pratiques", _sample(rng, everyone, rng.randint(25, 40)))
    for iso3, city, start, days, title in (
            ("FRA", "Lille", D(2024, 10, 8), 4, "les migrants, acteurs de l'économie sociale et solidaire"),
            ("MLI", "Kayes", D(2025, 3, 11), 5, "projets portés par les migrants de la région de Kayes"),
            ("FRA", "Lille", D(2026, 3, 17), 4, "bilan et perspectives de la coopération")):
        visitors = "MLI" if iso3 == "FRA" else "FRA"
        session("A1.2.1", f"Échanges de pratiques Lille–Kayes — {title}", "exchange", iso3, city, start, days,
                6 * days, "migration et développement",
                _sample(rng, members[iso3], 10) + _sample(rng, members[visitors], 5) + _sample(rng, officials[iso3], 2))
    for iso3, city, start, title in (("TUN", "Sfax", D(2025, 9, 16), "accueil des personnes migrantes à Sfax"),
                                     ("SEN", "Ziguinchor", D(2026, 2, 10), "mobilités en Casamance")):
        session("A1.2.2", f"Visite de terrain croisée — {title}", "field_visit", iso3, city, start, 3, 18,
                "échanges de pratiques", _sample(rng, members[iso3], 8) + guests(iso3, 2))
    for iso3, city, start, title in (("TUN", "Sfax", D(2024, 11, 21), "la municipalité de Sfax"),
                                     ("FRA", "Roubaix", D(2025, 6, 12), "les élus de Roubaix et de Lille"),
                                     ("MLI", "Kayes", D(2026, 1, 27), "le Conseil régional de Kayes"),
                                     ("SEN", "Dakar", D(2026, 9, 29), "les autorités sénégalaises")):
        session("A2.1.2", f"Rencontre de dialogue avec {title}", "workshop", iso3, city, start, 1, 6, "plaidoyer",
                _sample(rng, members[iso3], 8) + _sample(rng, officials[iso3], 4))
    return sessions


P2_MAIN_GRANT = "UE-FAMI-2024-LT"
#: Lines of LT-PAIRS: code, country (None: coordination), category, node, label, EUR amount,
#: spend (share of the amount spent over the whole period at the current pace).
P2_LINES = (
    ("REG-PER-01", None, "personnel", None, "Coordination du collectif Loujna-Tounkaranké", 210_000, 0.98),
    ("REG-TRV-01", None, "travel", None, "Déplacements entre pays", 60_000, 1.0),
    ("REG-ACT-A111", None, "activities", "A1.1.1", "Ateliers d'apprentissage entre pairs", 90_000, 1.0),
    ("REG-SRV-A112", None, "services", "A1.1.2", "Webinaires et plateforme d'échange en ligne", 15_000, 0.9),
    ("REG-SRV-A211", None, "services", "A2.1.1", "Notes de plaidoyer (rédaction, traduction, édition)", 30_000, 0.85),
    ("REG-OVH-01", None, "overheads", None, "Frais de structure", 52_000, 0.97),
    ("FRA-PER-01", "FRA", "personnel", None, "Animation territoriale Hauts-de-France", 60_000, 1.0),
    ("FRA-ACT-A121", "FRA", "activities", "A1.2.1", "Échanges Lille–Kayes (volet Lille)", 45_000, 1.05),
    ("TUN-PER-01", "TUN", "personnel", None, "Animation du réseau à Sfax", 45_000, 0.97),
    ("TUN-ACT-A122", "TUN", "activities", "A1.2.2", "Visites de terrain croisées à Sfax", 25_000, 0.9),
    ("TUN-ACT-A212", "TUN", "activities", "A2.1.2", "Rencontres de dialogue avec les municipalités", 15_000, 0.95),
    ("TUN-TRV-01", "TUN", "travel", None, "Déplacements nationaux", 5_000, 0.9),
    ("MLI-PER-01", "MLI", "personnel", None, "Animation du réseau à Kayes", 40_000, 0.97),
    # The Kayes exchange cost far more than planned: the line is already overspent.
    ("MLI-ACT-A121", "MLI", "activities", "A1.2.1", "Échanges Lille–Kayes (volet Kayes)", 30_000, 1.32),
    ("MLI-ACT-A212", "MLI", "activities", "A2.1.2", "Rencontres de dialogue avec les autorités", 15_000, 0.9),
    ("MLI-TRV-01", "MLI", "travel", None, "Déplacements nationaux", 5_000, 0.85),
    ("SEN-PER-01", "SEN", "personnel", None, "Animation du réseau à Dakar et Ziguinchor", 40_000, 0.95),
    ("SEN-ACT-A122", "SEN", "activities", "A1.2.2", "Visites de terrain croisées en Casamance", 15_000, 0.9),
    ("SEN-ACT-A212", "SEN", "activities", "A2.1.2", "Rencontres de dialogue avec les autorités", 20_000, 0.7),
    ("SEN-TRV-01", "SEN", "travel", None, "Déplacements nationaux", 5_000, 0.8),
)
#: Lines charged to a grant other than the EU's.
P2_LINE_GRANTS = {"REG-PER-01": "FAP-LT-2024", "FRA-PER-01": "VILLE-LILLE-2024-LT",
                  "FRA-ACT-A121": "VILLE-LILLE-2024-LT", "REG-SRV-A112": "DONS-LT-2024"}


def p2_finance(wb: _Workbook, rates: Rates, sessions: list[Session]) -> float:
    """Grants, receipts, budget and expenditures of LT-PAIRS up to :data:`LT_DATA_UNTIL`; returns
    the budget in EUR. The Fondation Abbé Pierre grant ends on 31 December 2026 and its renewal
    is only submitted: the dashboard's "funding cliff" alert."""
    lines = []
    for code, country, category, logframe, label, amount, spend in P2_LINES:
        line = Line(code, country, category, label, amount, logframe, spend, grant=P2_LINE_GRANTS.get(code))
        if category in ("activities", "travel") and logframe:
            line.events = [(s.start, s.title) for s in sessions
                           if s.logframe == logframe and (country is None or s.country == country)]
        lines.append(line)
    budget_eur = add_budget_lines(wb, P2, lines, rates, P2_START)

    for grant in (
            dict(code="FAP-LT-2024", funder_code="FAP", status="signed", amount=180_000,
                 signed_date=D(2023, 11, 15), start_date=P2_START, end_date=D(2026, 12, 31)),
            dict(code=P2_MAIN_GRANT, funder_code="UE-FAMI", status="signed", amount=420_000,
                 signed_date=D(2024, 3, 20), start_date=D(2024, 4, 1), end_date=P2_END),
            dict(code="VILLE-LILLE-2024-LT", funder_code="VILLE-LILLE", status="signed", amount=120_000,
                 signed_date=D(2024, 2, 6), start_date=P2_START, end_date=P2_END),
            dict(code="DONS-LT-2024", funder_code="DONS", status="signed", amount=30_000,
                 signed_date=D(2024, 1, 10), start_date=P2_START, end_date=P2_END),
            # The renewal asked of the foundation; its period is left open until the answer.
            dict(code="FAP-LT-2027", funder_code="FAP", status="submitted", amount=200_000, probability=0.5,
                 end_date=D(2029, 12, 31))):
        wb.add("grants", programme_code=P2, currency="EUR", in_kind=False, **grant)

    # Tranches: the last ones wait for the final reports (after the data stop).
    receipts = [("FAP", "FAP-LT-2024", D(2024, 1, 30), 72_000), ("FAP", "FAP-LT-2024", D(2025, 2, 4), 72_000),
                ("UE-FAMI", P2_MAIN_GRANT, D(2024, 5, 14), 168_000),
                ("UE-FAMI", P2_MAIN_GRANT, D(2025, 10, 21), 147_000),
                ("VILLE-LILLE", "VILLE-LILLE-2024-LT", D(2024, 3, 19), 40_000),
                ("VILLE-LILLE", "VILLE-LILLE-2024-LT", D(2025, 3, 18), 40_000),
                ("VILLE-LILLE", "VILLE-LILLE-2024-LT", D(2026, 3, 24), 40_000)]
    for funder, grant, day, amount in receipts:
        wb.add("receipts", grant_code=grant, date=day, reference=f"VIR-{funder}-{day:%Y%m%d}",
               amount=amount, currency="EUR")
    # Individual donations, transferred by the fundraising platform each quarter.
    rng = _rng("donations", P2)
    for quarter in quarter_ends(P2_START, LT_DATA_UNTIL - dt.timedelta(days=15)):
        day = quarter + dt.timedelta(days=15)
        wb.add("receipts", grant_code="DONS-LT-2024", date=day, reference=f"DONS-{quarter:%Y}T{quarter.month // 3}",
               amount=money(rng.uniform(1500, 2800), "EUR"), currency="EUR")

    share = (LT_DATA_UNTIL - P2_START).days / (P2_END - P2_START).days  # the period elapsed so far
    rows = [row for line in lines
            for row in plan_expenditures(P2, line, P2_START, LT_DATA_UNTIL, share, rates, P2_MAIN_GRANT)]
    # A bank's refund of fees charged twice: a negative row on the overheads.
    fee = next(r for r in rows
               if r["budget_line_code"] == "REG-OVH-01" and r["description"].startswith("Frais bancaires"))
    rows.append(dict(fee, date=fee["date"] + dt.timedelta(days=10), amount=-fee["amount"],
                     description="Remboursement de frais bancaires prélevés en double"))
    add_expenditures(wb, "LT", rows)
    return budget_eur


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------

FUNDERS = (
    ("EF", "Expertise France", "public_bilateral", "FRA"),
    ("GRDR", "GRDR Migration-Citoyenneté-Développement", "partner_cofinancing", "FRA"),
    ("FORIM", "FORIM (valorisation du bénévolat)", "own_funds", "FRA"),
    ("FDF", "Fondation de France", "foundation", "FRA"),
    ("OIF", "Organisation internationale de la Francophonie", "multilateral", None),
    ("MEAE", "Ministère de l'Europe et des Affaires étrangères (FSPI)", "public_bilateral", "FRA"),
    ("FAP", "Fondation Abbé Pierre", "foundation", "FRA"),
    ("UE-FAMI", "Union européenne — Fonds Asile, Migration et Intégration", "european_union", None),
    ("VILLE-LILLE", "Ville de Lille", "local_authority", "FRA"),
    ("DONS", "Donateurs particuliers", "private_donors", None),
)


def p1_comments(wb: _Workbook) -> None:
    """Explanations of gaps, as the managers would write them before a board meeting."""
    for subject, code, country, period, text, shared in (
        ("indicator", "I-A2.1.3-OSC", "GIN", dt.date(2023, 6, 30),
         "Atelier reporté à cause des élections ; reprogrammé en septembre avec les mêmes OSC.", True),
        ("indicator", "I-A2.1.3-SES", "MLI", dt.date(2023, 6, 30),
         "Deux sessions annulées (sécurité à Kayes) ; une session en ligne prévue en octobre.", True),
        ("budget_line", "REG-TRV-01", None, dt.date(2023, 6, 30),
         "Deux réunions supplémentaires du comité de pilotage demandées par le bailleur ; "
         "couvert par le reliquat de la ligne « services ».", False),
        ("budget_line", "SEN-ACT-A213", "SEN", dt.date(2023, 6, 30),
         "Parcours de formation élargi à 25 OSC au lieu de 20 ; dépassement validé par le comité.", False),
        ("country", None, "GIN", dt.date(2023, 6, 30),
         "Sous-consommation : recrutement du point focal retardé de quatre mois.", False),
    ):
        wb.add("comments", programme_code=P1, subject=subject, code=code, country_iso3=country, period_end=period,
               text=text, shared_with_funders=shared)


def _build() -> tuple[dict[str, list[dict]], dict[str, float]]:
    """The workbook and the budget of each programme in EUR."""
    wb = _Workbook()
    rates = Rates()
    orgs = build_organisations()
    wb.add("programmes", code=P1, name="Concertation Régionale des Politiques Migratoires — Composante 2",
           start_date=P1_START, end_date=P1_END, lead_organisation="FORIM",
           description="Composante « Société civile » : améliorer le dialogue entre OSC et pouvoirs publics "
                       "pour des politiques migratoires justes et pertinentes en Afrique. Données de "
                       "démonstration : cadre logique de la fiche synthèse publique, chiffres fictifs.")
    wb.add("programmes", code=P2, name="Loujna-Tounkaranké — Échanges entre pairs et plaidoyer local",
           start_date=P2_START, end_date=P2_END, lead_organisation="Collectif Loujna-Tounkaranké",
           description="Apprentissage entre pairs villes–OSC, échanges Lille–Kayes et plaidoyer local en "
                       "Tunisie, au Mali, au Sénégal et en France. Programme fictif de démonstration, en "
                       f"cours : données arrêtées au {LT_DATA_UNTIL:%d/%m/%Y}.")
    for code, name, kind, country in FUNDERS:
        wb.add("funders", code=code, name=name, type=kind, country_iso3=country)
    for iso3 in COUNTRIES:
        for org in orgs[iso3]:
            wb.add("organisations", code=org.code, name=org.name, country_iso3=org.country, type=org.type,
                   city=org.city)

    add_logframe(wb, P1, P1_LOGFRAME)
    p1 = p1_sessions(wb, orgs)
    p1_results(wb, p1)
    budgets = {P1: p1_finance(wb, rates, p1)}
    p1_comments(wb)

    add_logframe(wb, P2, P2_LOGFRAME)
    p2 = p2_sessions(wb, orgs)
    p2_results(wb)
    budgets[P2] = p2_finance(wb, rates, p2)

    wb.sheets["fx_rates"] = rates.rows()
    return wb.sheets, budgets


def build_demo() -> dict[str, list[dict]]:
    """The demo workbook: sheet name -> rows (column -> ``str``, ``int``, ``float``,
    ``datetime.date``, ``bool`` or ``None``), every sheet of the contract, in contract order.

    Deterministic: two calls return equal data.
    """
    return _build()[0]


def budget_totals_eur() -> dict[str, float]:
    """The budget of each demo programme in EUR (budget lines at the programme's start-month
    rates, as METRICS.md converts them)."""
    return _build()[1]


def write_demo(folder: str | Path = "data/demo") -> list[Path]:
    """Write :func:`build_demo` as a plain CSV workbook (one ``<sheet>.csv`` per sheet) into
    ``folder``; returns the paths written. ``python -m dashboard demo write`` calls it."""
    return write_csv_folder(build_demo(), folder, dialect="plain")


# --------------------------------------------------------------------------------------------
# Scale workbooks (the performance benchmark, bench/run.py)
# --------------------------------------------------------------------------------------------
#
# ``build_scale(n)`` writes a network of 30 programmes in 25 countries with ``n`` expenditures
# and the other fact tables in proportion (at n = 1,000,000: 300,000 attendance rows, 20,000
# measurements, 5,000 budget lines). It reuses the demo's machinery (seeded generators, the
# countries, funders, organisation names, pseudonymous participant keys, money rounding) and is
# deterministic in the same way. The counts are exact, so the benchmark compares like with like.

#: Rows of each fact table per expenditure.
SCALE_RATIOS = {"attendance": 0.3, "measurements": 0.02, "budget_lines": 0.005, "sessions": 0.015}
SCALE_PROGRAMMES = 30
#: No fact of a scale programme is dated after this day.
SCALE_DATA_UNTIL = dt.date(2026, 6, 30)

#: The demo's eight countries plus seventeen more of the francophone network: (ISO3, currency,
#: capital, latitude, longitude).
SCALE_COUNTRIES: tuple[tuple[str, str, str, float, float], ...] = tuple(
    (c.iso3, c.currency, c.capital.city, c.capital.latitude, c.capital.longitude) for c in COUNTRIES.values()
) + (
    ("BEN", "XOF", "Cotonou", 6.3654, 2.4183), ("BFA", "XOF", "Ouagadougou", 12.3714, -1.5197),
    ("NER", "XOF", "Niamey", 13.5116, 2.1254), ("TGO", "XOF", "Lomé", 6.1319, 1.2228),
    ("GNB", "XOF", "Bissau", 11.8636, -15.5977), ("TCD", "XAF", "N'Djamena", 12.1348, 15.0557),
    ("GAB", "XAF", "Libreville", 0.4162, 9.4673), ("COG", "XAF", "Brazzaville", -4.2634, 15.2429),
    ("CAF", "XAF", "Bangui", 4.3947, 18.5582), ("MDG", "MGA", "Antananarivo", -18.8792, 47.5079),
    ("COD", "CDF", "Kinshasa", -4.4419, 15.2663), ("HTI", "HTG", "Port-au-Prince", 18.5944, -72.3074),
    ("MRT", "MRU", "Nouakchott", 18.0735, -15.9582), ("DZA", "DZD", "Alger", 36.7538, 3.0588),
    ("BDI", "BIF", "Gitega", -3.4271, 29.9246), ("RWA", "RWF", "Kigali", -1.9441, 30.0619),
    ("DJI", "DJF", "Djibouti", 11.5721, 43.1456),
)
#: Approximate units per EUR of the currencies without a built-in rate (illustrative).
SCALE_FX_BASE = {"TND": 3.3, "MAD": 10.8, "GNF": 9500.0, "MGA": 4800.0, "CDF": 2900.0, "HTG": 140.0,
                 "MRU": 43.0, "DZD": 145.0, "BIF": 3100.0, "RWF": 1450.0, "DJF": 192.0}
SCALE_DECIMALS = {**DECIMALS, "MGA": 0, "CDF": 2, "HTG": 2, "MRU": 2, "DZD": 2, "BIF": 0, "RWF": 0, "DJF": 0}
SCALE_CATEGORIES = ("personnel", "activities", "travel", "services", "equipment", "overheads", "activities")
SCALE_LOGFRAME = (
    ("OG", None, "Renforcer la participation de la société civile aux politiques publiques"),
    ("OS1", "OG", "Structurer les réseaux d'organisations de la société civile"),
    ("OS2", "OG", "Renforcer les capacités des organisations membres"),
    ("R1.1", "OS1", "Des plateformes nationales de concertation fonctionnent"),
    ("R1.2", "OS1", "Les autorités associent les réseaux à leurs décisions"),
    ("R2.1", "OS2", "Les organisations membres sont formées"),
    ("A1.1.1", "R1.1", "Réunions des plateformes nationales"),
    ("A1.2.1", "R1.2", "Ateliers de dialogue avec les autorités"),
    ("A2.1.1", "R2.1", "Formations nationales"),
    ("A2.1.2", "R2.1", "Échanges de pratiques entre organisations"),
)
#: (code, node, label, unit, direction, aggregation, baseline, computed_from, per country?)
SCALE_INDICATORS = (
    ("I-OG", "OG", "Recommandations reprises dans les politiques publiques", "count", "increase", "sum", 0, None, True),
    ("I-R1.1", "R1.1", "Réunions de plateforme tenues", "count", "increase", "sum", 0, None, True),
    ("I-R1.2", "R1.2", "% d'organisations satisfaites du dialogue", "percent", "increase", "latest", 0, None, True),
    ("I-R2.1", "R2.1", "Délai de réponse des autorités (jours)", "other", "decrease", "latest", 90, None, True),
    ("I-A1.1.1", "A1.1.1", "Sessions des plateformes", "count", "increase", "sum", 0, "sessions", True),
    ("I-A2.1.1", "A2.1.1", "Personnes formées", "count", "increase", "sum", 0, "participants", True),
    ("I-A2.1.2", "A2.1.2", "Organisations en échange de pratiques", "count", "increase", "sum", 0, "organisations",
     False),
    ("I-A1.2.1", "A1.2.1", "Notes de plaidoyer publiées", "count", "increase", "sum", 0, None, False),
)
SCALE_THEMES = ("plaidoyer", "droits des migrants", "gouvernance locale", "gestion associative",
                "migration et développement", None)
SCALE_ITEMS = {
    "personnel": ("Salaire", "Charges sociales"), "activities": ("Location de salle", "Restauration", "Per diem"),
    "travel": ("Billet d'avion", "Hébergement de mission"), "services": ("Prestation", "Traduction"),
    "equipment": ("Matériel informatique",), "overheads": ("Loyer et charges", "Frais bancaires"),
}


def scale_sizes(expenditures: int) -> dict[str, int]:
    """Row counts of the fact tables for ``expenditures`` expenditures (proportional, exact)."""
    sizes = {name: max(1, round(expenditures * ratio)) for name, ratio in SCALE_RATIOS.items()}
    sizes["expenditures"] = expenditures
    return sizes


def _apportion(total: int, parts: int) -> list[int]:
    """``total`` split in ``parts`` near-equal whole numbers (the first ones get the remainder)."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _scale_rates(first: dt.date, last: dt.date) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for currency, base in SCALE_FX_BASE.items():
        rng = _rng("scale", "fx", currency)
        level = base
        months = table.setdefault(currency, {})
        for year, month in months_between(first, last):
            level *= 1 + rng.uniform(-0.01, 0.011)
            months[f"{year:04d}-{month:02d}"] = round(level, 4)
    return table


def build_scale(expenditures: int, programmes: int = SCALE_PROGRAMMES) -> dict[str, list[dict]]:
    """A valid workbook of ``programmes`` programmes with exactly ``expenditures`` expenditures
    (and :func:`scale_sizes` rows in the other fact tables). Deterministic."""
    sizes = scale_sizes(expenditures)
    if sizes["budget_lines"] < programmes or sizes["sessions"] < programmes:
        minimum = round(programmes / min(SCALE_RATIOS["budget_lines"], SCALE_RATIOS["sessions"]))
        raise ValueError(f"{expenditures} expenditures are too few for {programmes} programmes "
                         f"(at least {minimum}: one budget line each)")
    wb = _Workbook()
    first_month, last_month = dt.date(2020, 1, 1), SCALE_DATA_UNTIL
    rate_table = _scale_rates(first_month, last_month)

    def per_eur(currency: str, day: dt.date) -> float:
        return BUILTIN_RATES.get(currency) or rate_table[currency][f"{day.year:04d}-{day.month:02d}"]

    def money_in(amount: float, currency: str) -> float | int:
        places = SCALE_DECIMALS[currency]
        return int(round(amount)) if places == 0 else round(amount, places)

    countries = {iso3: (currency, city, lat, lon) for iso3, currency, city, lat, lon in SCALE_COUNTRIES}
    for code, name, kind, country in FUNDERS:
        wb.add("funders", code=code, name=name, type=kind, country_iso3=country)
    types, weights = zip(*ORG_TYPE_WEIGHTS.items())
    orgs: dict[str, list[str]] = {}
    for iso3, (_, city, _, _) in countries.items():
        rng = _rng("scale", "organisations", iso3)
        for n in range(1, 13):
            kind = rng.choices(types, weights)[0]
            name = rng.choice(ORG_PATTERNS[kind]).format(city=city, de_city=_de(city), adj=iso3, adj_f=iso3,
                                                          country=iso3)
            code = f"ORG-{iso3}-{n:03d}"
            orgs.setdefault(iso3, []).append(code)
            wb.add("organisations", code=code, name=f"{name} ({n})", country_iso3=iso3, type=kind, city=city)

    codes = [f"SC-{i + 1:02d}" for i in range(programmes)]
    line_counts = _apportion(sizes["budget_lines"], programmes)
    exp_counts = _apportion(expenditures, programmes)
    session_counts = _apportion(sizes["sessions"], programmes)
    attendance_counts = _apportion(sizes["attendance"], programmes)
    measurement_counts = _apportion(sizes["measurements"], programmes)
    all_countries = list(countries)
    for i, prog in enumerate(codes):
        rng = _rng("scale", "programme", prog)
        start = add_months(dt.date(2021, 1, 1), i)
        end = add_months(start, 48) - dt.timedelta(days=1)
        until = min(end, SCALE_DATA_UNTIL)
        # Every country appears in some programme: the first one of each is chosen in turn.
        mine = sorted({all_countries[i % len(all_countries)],
                       *rng.sample(all_countries, rng.randint(3, 9))})
        wb.add("programmes", code=prog, name=f"Programme d'échelle {i + 1:02d}", start_date=start, end_date=end,
               lead_organisation="Réseau", description="Programme généré pour le banc d'essai de performance.")
        add_logframe(wb, prog, SCALE_LOGFRAME)
        for code, node, label, unit, direction, aggregation, baseline, computed, by_country in SCALE_INDICATORS:
            wb.add("indicators", programme_code=prog, code=code, logframe_code=node, label=label, unit=unit,
                   direction=direction, aggregation=aggregation, baseline=baseline, computed_from=computed)
            for country in (mine if by_country else [None]):
                final = {"percent": 80, "other": 45}.get(unit, rng.randint(4, 40))
                for year in range(1, 5):
                    value = final if unit in ("percent", "other") else round(final * year / 4)
                    if unit == "other":
                        value = round(baseline + (final - baseline) * year / 4)
                    wb.add("targets", programme_code=prog, indicator_code=code, country_iso3=country,
                           period_end=add_months(start, 12 * year) - dt.timedelta(days=1), target=value)

        # Measurements: monthly reports of the measured series, oldest months first.
        series = [(code, country, unit, direction) for code, _, _, unit, direction, _, _, computed, by_country
                  in SCALE_INDICATORS if computed is None for country in (mine if by_country else [None])]
        month_ends_ = [month_end(y, m) for y, m in months_between(start, until)]
        wanted, added = measurement_counts[i], 0
        for period_end in month_ends_:
            for code, country, unit, direction in series:
                if added == wanted:
                    break
                if unit == "percent":
                    value = rng.randint(40, 95)
                elif direction == "decrease":
                    value = max(20, 90 - rng.randint(0, 3) * (period_end.year - start.year + 1))
                else:
                    value = rng.choice((0, 0, 1, 1, 2, 3))
                wb.add("measurements", programme_code=prog, indicator_code=code, country_iso3=country,
                       period_end=period_end, value=value, source="Rapport mensuel")
                added += 1
        if added < wanted:
            raise ValueError(f"{prog}: room for {added} measurements only, {wanted} asked")

        # Budget lines and their expenditures.
        lines = []
        for n in range(line_counts[i]):
            country = None if n % 5 == 0 else mine[n % len(mine)]
            currency = countries[country][0] if country else "EUR"
            category = SCALE_CATEGORIES[n % len(SCALE_CATEGORIES)]
            lines.append((f"{country or 'REG'}-{category[:3].upper()}-{n + 1:04d}", country, category, currency))
        main_grant = f"{prog}-G1"
        per_line = _apportion(exp_counts[i], len(lines))
        days = (until - start).days
        rows = []
        elapsed_share = (until - start).days / (end - start).days
        for (code, country, category, currency), count in zip(lines, per_line):
            lrng = _rng("scale", "expenditures", prog, code)
            spent_eur = 0.0
            items = SCALE_ITEMS[category]
            for _ in range(count):
                day = start + dt.timedelta(days=lrng.randrange(days + 1))
                eur = lrng.uniform(50, 4000)
                paid = "EUR" if currency != "EUR" and lrng.random() < 0.05 else currency
                amount = money_in(eur * per_eur(paid, day), paid) or 1
                spent_eur += amount / per_eur(paid, day)
                rows.append((day, code, amount, paid, None if lrng.random() < 0.03 else main_grant,
                             f"{items[lrng.randrange(len(items))]} — {FR_MONTHS[day.month - 1]} {day.year}"))
            # The plan: what was spent, at a pace between 0.6 and 1.3 of the linear plan.
            pace = lrng.uniform(0.6, 1.3)
            planned_eur = max(spent_eur, 1000.0) / max(elapsed_share, 0.05) / pace
            amount = _round_to(planned_eur * per_eur(currency, start), BUDGET_STEP.get(currency, 100)) or 100
            wb.add("budget_lines", programme_code=prog, code=code, country_iso3=country, category=category,
                   logframe_code=None, label=f"{category.capitalize()} {country or 'régional'} {code[-4:]}",
                   amount=amount, currency=currency)
        rows.sort(key=lambda r: (r[0], r[1]))
        for n, (day, code, amount, currency, grant, description) in enumerate(rows, start=1):
            wb.add("expenditures", programme_code=prog, reference=f"{prog}-{day.year}-{n:07d}",
                   budget_line_code=code, date=day, amount=amount, currency=currency, grant_code=grant,
                   description=description)

        # Grants and receipts: a main grant, two co-funders, a prospect.
        funders = rng.sample([f[0] for f in FUNDERS], 4)
        budget_eur = 0.8 * sum(r[2] / per_eur(r[3], r[0]) for r in rows) / max(elapsed_share, 0.05)
        for n, (funder, share, status) in enumerate(zip(funders, (0.6, 0.2, 0.1, 0.3),
                                                        ("signed", "signed", "signed", "prospect")), start=1):
            grant = f"{prog}-G{n}"
            signed = add_months(start, -2 + n) if status == "signed" else None
            wb.add("grants", code=grant, funder_code=funder, programme_code=prog, status=status,
                   amount=money(budget_eur * share, "EUR"), currency="EUR", signed_date=signed,
                   start_date=start, end_date=end if n != 3 else add_months(start, 30),
                   probability=0.4 if status == "prospect" else None, in_kind=False)
            if status == "signed":
                for year, day in enumerate(d for d in (add_months(start, 12 * k) for k in range(4)) if d <= until):
                    wb.add("receipts", grant_code=grant, date=day, reference=f"VIR-{grant}-{year + 1}",
                           amount=money(budget_eur * share / 4, "EUR"), currency="EUR")

        # Sessions and attendance: a pool of participants per programme.
        pool_size = max(60, attendance_counts[i] // 3)
        people = []
        for n in range(pool_size):
            home = mine[n % len(mine)]
            prng = _rng("scale", "person", prog, n)
            org = None if prng.random() < 0.05 else prng.choice(orgs[home])
            sex = prng.choices(list(SEX_WEIGHTS), list(SEX_WEIGHTS.values()))[0]
            age = prng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()))[0]
            people.append(Person(participant_key("scale", prog, n), org, sex, age))
        nodes = ("A1.1.1", "A1.2.1", "A2.1.1", "A2.1.2")
        per_session = _apportion(attendance_counts[i], session_counts[i])
        srng = _rng("scale", "sessions", prog)
        for n, size in enumerate(per_session, start=1):
            country = None if srng.random() < 0.1 else srng.choice(mine)
            session_start = start + dt.timedelta(days=srng.randrange(max(1, days - 3)))
            length = srng.randint(1, 3)
            place = Place(*countries[country][1:]) if country else None
            code = f"{prog}-S{n:05d}"
            add_session(wb, prog, code, srng.choice(nodes), f"Session {n} — {prog}",
                        srng.choice(("training", "workshop", "exchange", "webinar")), country, place,
                        session_start, length, 6 * length, srng.choice(SCALE_THEMES))
            for person in srng.sample(people, min(size, len(people))):
                wb.add("attendance", session_code=code, participant_key=person.key,
                       organisation_code=person.organisation,
                       sex=person.sex if srng.random() >= 0.04 else None, age_band=person.age_band)

    wb.sheets["fx_rates"] = [{"currency": c, "month": m, "per_eur": v}
                             for c in sorted(rate_table) for m, v in sorted(rate_table[c].items())]
    return wb.sheets


def write_scale(folder: str | Path, expenditures: int, programmes: int = SCALE_PROGRAMMES) -> list[Path]:
    """Write :func:`build_scale` as a plain CSV workbook into ``folder``
    (``python -m dashboard demo scale N --out DIR``)."""
    return write_csv_folder(build_scale(expenditures, programmes), folder, dialect="plain")
