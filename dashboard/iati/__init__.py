"""IATI Standard 2.03: publish a programme as an ``iati-activity`` (:mod:`.export`) and read an
IATI activities file into the importer's workbook rows (:mod:`.read`).

What is mapped, and what is ignored, is documented in docs/DATA_CONTRACT.md ("IATI 2.03").
Data the standard has no element for (budget-line categories, grant statuses other than signed,
exchange rates...) travels in elements and attributes of our own namespace :data:`NS`, which
the standard allows (``xsd:any namespace="##other"``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

#: Our extension namespace (elements and attributes the IATI schema accepts from other namespaces).
NS = "urn:x-programme-dashboard:iati:1"
PREFIX = "pm"
IATI_VERSION = "2.03"
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


@lru_cache(maxsize=1)
def schema():
    """The official ``iati-activities-schema.xsd`` (2.03), compiled once."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def pm(name: str) -> str:
    """The qualified name of one of our extension elements or attributes."""
    return f"{{{NS}}}{name}"
